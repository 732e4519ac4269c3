/*
 * render_png.c: PNG files with libpng. Writing goes to a temporary file in
 * the same folder which is flushed, fsynced and renamed over the target, so
 * a reader (or a power cut) never sees half an image; a target that exists
 * and is not a regular file (a symbolic link, device, FIFO or folder) is
 * refused, never replaced. Write errors (a full disk) are reported with
 * their reason. Reading converts any PNG to an RGBA8 canvas, for
 * golden-image tests and content images.
 *
 * libpng reports errors by longjmp; each setjmp lives in a small function
 * whose locals do not change after it, and messages are kept in a buffer
 * so the caller gets a readable wm_error().
 */
#include <errno.h>
#include <fcntl.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render.h"
#include "render_private.h"

/* Largest image render_png_read() accepts in either direction. */
#define RENDER_PNG_MAX_DIM 16384

typedef struct {
    jmp_buf jmp;
    char msg[160];
} png_err_t;

/* What a write needs: the rows come from get_row(). */
typedef struct {
    int width, height;
    int color_type, bit_depth;
    bool invert_mono;
    const uint8_t *(*get_row)(const void *src, int y, uint8_t *scratch);
    const void *src;
    uint8_t *scratch;
} png_job_t;

typedef struct {
    const uint8_t *rgba;
    int stride;
} rgba_src_t;

static void on_png_error(png_structp png, png_const_charp msg);
static void on_png_warning(png_structp png, png_const_charp msg);
static wm_status_t png_write_file(const char *path, const png_job_t *job);
static wm_status_t png_check_target(const char *path);
static void png_sync_dir(const char *path);
static void on_png_write(png_structp png, png_bytep data, size_t n);
static void on_png_flush(png_structp png);
static int png_write_stream(FILE *f, const png_job_t *job, png_err_t *err);
static int png_read_stream(FILE *f, png_err_t *err, render_canvas_t **out);
static const uint8_t *row_rgba(const void *src, int y, uint8_t *scratch);
static const uint8_t *row_canvas(const void *src, int y, uint8_t *scratch);
static const uint8_t *row_a8(const void *src, int y, uint8_t *scratch);

wm_status_t render_png_write(const char *path, const render_canvas_t *canvas)
{
    png_job_t job;
    wm_status_t st;

    if (!path || !canvas)
        return wm_error(WM_EINVAL, "png: no path or canvas");
    memset(&job, 0, sizeof(job));
    job.width = canvas->width;
    job.height = canvas->height;
    job.src = canvas;
    job.bit_depth = 8;
    switch (canvas->format) {
    case RENDER_FORMAT_RGBA8:
        job.color_type = PNG_COLOR_TYPE_RGBA;
        job.get_row = row_canvas;
        break;
    case RENDER_FORMAT_A8:
        /* White with the coverage as alpha, as render_canvas_get() reads it. */
        job.color_type = PNG_COLOR_TYPE_GRAY_ALPHA;
        job.get_row = row_a8;
        job.scratch = wm_malloc((size_t)canvas->width * 2);
        if (!job.scratch)
            return wm_error(WM_ENOMEM, "png: %s: out of memory", path);
        break;
    case RENDER_FORMAT_MONO1:
        /* PNG gray 0 is black; our bit 1 is black. */
        job.color_type = PNG_COLOR_TYPE_GRAY;
        job.bit_depth = 1;
        job.invert_mono = true;
        job.get_row = row_canvas;
        break;
    default:
        return wm_error(WM_EINVAL, "png: %s: unknown canvas format", path);
    }
    st = png_write_file(path, &job);
    wm_free(job.scratch);
    return st;
}

wm_status_t render_png_write_rgba(const char *path, const uint8_t *rgba, int width, int height,
                                  int stride)
{
    png_job_t job;
    rgba_src_t src = {rgba, stride};

    if (!path || !rgba || width <= 0 || height <= 0 || stride < width * 4)
        return wm_error(WM_EINVAL, "png: %s: bad image (%dx%d, stride %d)", path ? path : "?",
                        width, height, stride);
    memset(&job, 0, sizeof(job));
    job.width = width;
    job.height = height;
    job.color_type = PNG_COLOR_TYPE_RGBA;
    job.bit_depth = 8;
    job.get_row = row_rgba;
    job.src = &src;
    return png_write_file(path, &job);
}

wm_status_t render_png_read(const char *path, render_canvas_t **out)
{
    png_err_t err;
    render_canvas_t *canvas = NULL;
    FILE *f;
    int ok;

    if (!path || !out)
        return wm_error(WM_EINVAL, "png: no path");
    f = fopen(path, "rb");
    if (!f)
        return wm_error(errno == ENOENT ? WM_ENOENT : WM_EIO, "png: %s: %s", path, strerror(errno));
    memset(&err, 0, sizeof(err));
    ok = png_read_stream(f, &err, &canvas);
    fclose(f);
    if (!ok) {
        if (err.msg[0] == '\0')
            return wm_error(WM_ENOMEM, "png: %s: out of memory", path);
        return wm_error(WM_EFORMAT, "png: %s: %s", path, err.msg);
    }
    *out = canvas;
    return WM_OK;
}

static wm_status_t png_write_file(const char *path, const png_job_t *job)
{
    size_t n = strlen(path);
    char *tmp = wm_malloc(n + 8);
    png_err_t err;
    FILE *f;
    int fd, ok;

    if (!tmp)
        return wm_error(WM_ENOMEM, "png: %s: out of memory", path);
    if (png_check_target(path) != WM_OK) {
        wm_free(tmp);
        return WM_EINVAL;
    }
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".XXXXXX", 8);
    fd = mkstemp(tmp);
    if (fd < 0) {
        wm_status_t st =
            wm_error(WM_EIO, "png: %s: cannot create a temporary file: %s", path, strerror(errno));
        wm_free(tmp);
        return st;
    }
    (void)fchmod(fd, 0644);
    f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        unlink(tmp);
        wm_free(tmp);
        return wm_error(WM_EIO, "png: %s: %s", path, strerror(errno));
    }
    memset(&err, 0, sizeof(err));
    ok = png_write_stream(f, job, &err);
    if (ok && (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0)) {
        snprintf(err.msg, sizeof(err.msg), "write failed: %s", strerror(errno));
        ok = 0;
    }
    if (fclose(f) != 0 && ok) {
        snprintf(err.msg, sizeof(err.msg), "write failed: %s", strerror(errno));
        ok = 0;
    }
    /* Checked again just before the rename: the target may have changed. */
    if (ok && png_check_target(path) != WM_OK) {
        unlink(tmp);
        wm_free(tmp);
        return WM_EINVAL;
    }
    if (ok && rename(tmp, path) != 0) {
        snprintf(err.msg, sizeof(err.msg), "rename: %s", strerror(errno));
        ok = 0;
    }
    if (!ok) {
        unlink(tmp);
        wm_free(tmp);
        if (err.msg[0] == '\0')
            return wm_error(WM_ENOMEM, "png: %s: out of memory", path);
        return wm_error(WM_EIO, "png: %s: %s", path, err.msg);
    }
    wm_free(tmp);
    png_sync_dir(path);
    return WM_OK;
}

/* WM_OK when path does not exist or is a regular file (replaced by the
 * write); WM_EINVAL with a message for anything else. */
static wm_status_t png_check_target(const char *path)
{
    struct stat st;
    const char *what;

    if (lstat(path, &st) != 0)
        return errno == ENOENT ? WM_OK : wm_error(WM_EINVAL, "png: %s: %s", path, strerror(errno));
    if (S_ISREG(st.st_mode))
        return WM_OK;
    what = S_ISLNK(st.st_mode)                          ? "a symbolic link"
           : S_ISDIR(st.st_mode)                        ? "a folder"
           : S_ISFIFO(st.st_mode)                       ? "a FIFO"
           : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                                                        : "not a regular file";
    return wm_error(WM_EINVAL, "png: %s: is %s; only a regular file or a new name is replaced",
                    path, what);
}

/* After the rename: fsync the folder so the new name survives a power
 * cut. Best effort: a folder that cannot be opened is left as it is. */
static void png_sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];
    int fd;

    if (!slash)
        snprintf(dir, sizeof(dir), ".");
    else if (slash == path)
        snprintf(dir, sizeof(dir), "/");
    else if ((size_t)(slash - path) < sizeof(dir))
        snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
    else
        return;
    fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

/* Returns 1 on success; 0 with err->msg set (empty: out of memory). */
static int png_write_stream(FILE *f, const png_job_t *job, png_err_t *err)
{
    png_structp png;
    png_infop info = NULL;
    int y;

    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, err, on_png_error, on_png_warning);
    if (!png)
        return 0;
    info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return 0;
    }
    if (setjmp(err->jmp)) {
        png_destroy_write_struct(&png, &info);
        return 0;
    }
    png_set_write_fn(png, f, on_png_write, on_png_flush);
    png_set_IHDR(png, info, (png_uint_32)job->width, (png_uint_32)job->height, job->bit_depth,
                 job->color_type, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    /* Level 6 is a good size/speed balance for screenshots and goldens. */
    png_set_compression_level(png, 6);
    png_write_info(png, info);
    if (job->invert_mono)
        png_set_invert_mono(png);
    for (y = 0; y < job->height; y++)
        png_write_row(png, job->get_row(job->src, y, job->scratch));
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return 1;
}

/* Returns 1 with *out set; 0 with err->msg set (empty: out of memory). The
 * canvas is reached through out so it survives a longjmp without volatile. */
static int png_read_stream(FILE *f, png_err_t *err, render_canvas_t **out)
{
    png_structp png;
    png_infop info = NULL;
    png_uint_32 w, h, y;
    int depth, type, passes, p;

    png = png_create_read_struct(PNG_LIBPNG_VER_STRING, err, on_png_error, on_png_warning);
    if (!png)
        return 0;
    info = png_create_info_struct(png);
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return 0;
    }
    if (setjmp(err->jmp)) {
        png_destroy_read_struct(&png, &info, NULL);
        render_canvas_destroy(*out);
        *out = NULL;
        if (err->msg[0] == '\0')
            snprintf(err->msg, sizeof(err->msg), "cannot decode");
        return 0;
    }
    png_init_io(png, f);
    png_read_info(png, info);
    png_get_IHDR(png, info, &w, &h, &depth, &type, NULL, NULL, NULL);
    if (w == 0 || h == 0 || w > RENDER_PNG_MAX_DIM || h > RENDER_PNG_MAX_DIM)
        png_error(png, "image too large");
    /* Whatever came in, go to 8-bit RGBA. */
    if (type == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(png);
    if (type == PNG_COLOR_TYPE_GRAY && depth < 8)
        png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS))
        png_set_tRNS_to_alpha(png);
    if (depth == 16)
        png_set_strip_16(png);
    if (type == PNG_COLOR_TYPE_GRAY || type == PNG_COLOR_TYPE_GRAY_ALPHA)
        png_set_gray_to_rgb(png);
    png_set_filler(png, 0xff, PNG_FILLER_AFTER);
    passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if (png_get_rowbytes(png, info) != (size_t)w * 4)
        png_error(png, "unexpected row size after conversion");
    if (render_canvas_create(RENDER_FORMAT_RGBA8, (int)w, (int)h, out) != WM_OK)
        png_error(png, "out of memory");
    /* Row by row, every row once per interlace pass (no row pointer array). */
    for (p = 0; p < passes; p++)
        for (y = 0; y < h; y++)
            png_read_row(png, (*out)->pixels + (size_t)y * (size_t)(*out)->stride, NULL);
    png_read_end(png, NULL);
    png_destroy_read_struct(&png, &info, NULL);
    return 1;
}

static void on_png_error(png_structp png, png_const_charp msg)
{
    png_err_t *err = png_get_error_ptr(png);

    /* libpng's writer says only "Write Error": add why (a full disk) */
    if (strcmp(msg, "Write Error") == 0 && errno)
        snprintf(err->msg, sizeof(err->msg), "%s: %s", msg, strerror(errno));
    else
        snprintf(err->msg, sizeof(err->msg), "%s", msg);
    longjmp(err->jmp, 1);
}

/* libpng's own writer says only "Write Error"; this one says why. */
static void on_png_write(png_structp png, png_bytep data, size_t n)
{
    FILE *f = png_get_io_ptr(png);
    char msg[96];

    if (fwrite(data, 1, n, f) != n) {
        snprintf(msg, sizeof(msg), "write failed: %s", strerror(errno));
        png_error(png, msg);
    }
}

static void on_png_flush(png_structp png)
{
    FILE *f = png_get_io_ptr(png);
    char msg[96];

    if (fflush(f) != 0) {
        snprintf(msg, sizeof(msg), "write failed: %s", strerror(errno));
        png_error(png, msg);
    }
}

static void on_png_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

static const uint8_t *row_rgba(const void *src, int y, uint8_t *scratch)
{
    const rgba_src_t *s = src;

    (void)scratch;
    return s->rgba + (size_t)y * (size_t)s->stride;
}

static const uint8_t *row_canvas(const void *src, int y, uint8_t *scratch)
{
    const render_canvas_t *c = src;

    (void)scratch;
    return c->pixels + (size_t)y * (size_t)c->stride;
}

static const uint8_t *row_a8(const void *src, int y, uint8_t *scratch)
{
    const render_canvas_t *c = src;
    const uint8_t *p = c->pixels + (size_t)y * (size_t)c->stride;
    int x;

    for (x = 0; x < c->width; x++) {
        scratch[2 * x] = 255;
        scratch[2 * x + 1] = p[x];
    }
    return scratch;
}
