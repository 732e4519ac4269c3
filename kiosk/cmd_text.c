/*
 * cmd_text.c: `waymark text render|lines|check`, a tool for content editors
 * and tests: see how paragraphs in a language break and look, and which
 * characters no configured font covers.
 *
 * Input is taken literally: each line of --in FILE (or --text STRING) is a
 * paragraph, empty lines are empty paragraphs, a final newline does not
 * start another paragraph and a CR before a newline is dropped (files from
 * Windows editors). Invalid UTF-8 is reported with its line and byte
 * offset.
 *
 * Limits, so a 1 GB Raspberry Pi copes with whatever it is given: 16 MiB
 * of input, I18N_TEXT_MAX bytes per paragraph, and an image of at most
 * 32768 px and 32 Mpx (128 MiB of RGBA); `lines` and `check` keep one
 * paragraph's layout at a time.
 *
 * Exit status: 0 ok, 1 failure (unreadable input, bad UTF-8, a paragraph
 * over the limit, layout or write error), 2 usage error, 3 (`check`)
 * characters no configured font covers.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "i18n.h"
#include "render.h"

/* The layout engine's limit on one paragraph (i18n.h defines it once the
 * engine enforces it). */
#ifndef I18N_TEXT_MAX
#define I18N_TEXT_MAX 65536
#endif

#define TEXT_MARGIN       16         /* px around the rendered paragraphs */
#define TEXT_MIN_SIZE     1.0f       /* px, smallest --size accepted */
#define TEXT_MAX_SIZE     1000.0f    /* px, largest --size accepted */
#define TEXT_MAX_W        16000      /* px, widest --width accepted */
#define TEXT_MAX_LINES    100000     /* largest --max-lines accepted */
#define TEXT_MAX_H        32768      /* px, tallest image */
#define TEXT_MAX_PIXELS   (32 << 20) /* pixels of the image at most (128 MiB) */
#define TEXT_INPUT_MAX    (16u << 20)
#define TEXT_CACHE_BYTES  (8u << 20)
#define TEXT_EXIT_MISSING 3 /* `check`: characters no font covers */

typedef enum { TEXT_RENDER, TEXT_LINES, TEXT_CHECK } text_mode_t;

typedef struct {
    text_mode_t mode;
    const char *lang, *in, *text, *png, *fonts;
    i18n_dir_t dir;
    i18n_align_t align;
    float size;
    int width;
    int max_lines;
} text_opts_t;

/* A paragraph of the input: bytes [start, start + len). */
typedef struct {
    size_t start, len;
} text_para_t;

static int parse_args(int argc, char **argv, text_opts_t *o);
static int usage_error(const char *fmt, ...) WM_PRINTF(1, 2);
static int help(void);
static int flush_stdout(void);
static char *read_input(const text_opts_t *o, size_t *len);
static text_para_t *split_paragraphs(char *buf, size_t len, size_t *count);
static int check_paragraphs(const text_opts_t *o, const char *buf, const text_para_t *paras,
                            size_t n);
static int run_check(const text_opts_t *o, i18n_fonts_t *fonts, const char *buf,
                     const text_para_t *paras, size_t n);
static int run_layout(const text_opts_t *o, i18n_fonts_t *fonts, const char *buf,
                      const text_para_t *paras, size_t n);

int kiosk_cmd_text(int argc, char **argv)
{
    text_opts_t o;
    i18n_fonts_options_t fopts;
    i18n_fonts_t *fonts = NULL;
    text_para_t *paras = NULL;
    size_t len = 0, n = 0;
    char *buf;
    int rc;

    rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    buf = read_input(&o, &len);
    if (!buf)
        return 1;
    paras = split_paragraphs(buf, len, &n);
    if (!paras && n > 0) {
        fprintf(stderr, "waymark: text: out of memory\n");
        wm_free(buf);
        return 1;
    }
    if (check_paragraphs(&o, buf, paras, n) != 0) {
        wm_free(paras);
        wm_free(buf);
        return 1;
    }
    memset(&fopts, 0, sizeof(fopts));
    fopts.fallback_file = o.fonts;
    if (i18n_fonts_create(&fopts, &fonts) != WM_OK) {
        /* The message names its part ("fonts: ..."). */
        fprintf(stderr, "waymark: text: %s\n", wm_last_error());
        wm_free(paras);
        wm_free(buf);
        return 1;
    }
    if (o.mode == TEXT_CHECK)
        rc = run_check(&o, fonts, buf, paras, n);
    else
        rc = run_layout(&o, fonts, buf, paras, n);
    i18n_fonts_destroy(fonts);
    wm_free(paras);
    wm_free(buf);
    return rc;
}

void kiosk_cmd_text_usage(FILE *f)
{
    fputs("usage: waymark text render --lang TAG --size PX --width PX (--in FILE | --text STRING)\n"
          "                           --png OUT [options]\n"
          "       waymark text lines  --lang TAG --size PX --width PX (--in FILE | --text STRING)\n"
          "                           [options]\n"
          "       waymark text check  --lang TAG (--in FILE | --text STRING) [--fonts FILE]\n"
          "\n"
          "Each line of the input is one paragraph (empty lines too).\n"
          "  render  draws the paragraphs one below the other, dark on white, into a PNG\n"
          "          of the given width plus a margin (OUT is replaced only if it is a\n"
          "          regular file)\n"
          "  lines   prints per paragraph: index, line count, and the byte offsets\n"
          "          (within the paragraph) where lines start, tab-separated\n"
          "  check   lists characters no configured font covers (U+XXXX, paragraph,\n"
          "          byte offset)\n"
          "options:\n"
          "  --size PX                 text size, 1 to 1000 px\n"
          "  --width PX                line width, a whole number of px from 1 to 16000\n"
          "  --dir auto|ltr|rtl        paragraph direction (default auto)\n"
          "  --align start|end|center  line alignment (default start)\n"
          "  --max-lines N             truncate paragraphs to N lines with an ellipsis\n"
          "                            (0 to 100000; 0, the default: no limit)\n"
          "  --fonts FILE              font fallback rules (see i18n.h)\n",
          f);
    fprintf(f,
            "limits: input at most %u MiB, a paragraph at most %d bytes; an image at\n"
            "most %d px tall and %d Mpx\n",
            TEXT_INPUT_MAX >> 20, (int)I18N_TEXT_MAX, TEXT_MAX_H, TEXT_MAX_PIXELS >> 20);
    fputs("exit status: 0 ok, 1 failure, 2 usage error, 3 (check) characters no\n"
          "configured font covers\n",
          f);
}

/* Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, text_opts_t *o)
{
    bool have_size = false, have_width = false;
    int i;

    memset(o, 0, sizeof(*o));
    o->dir = I18N_DIR_AUTO;
    o->align = I18N_ALIGN_START;
    if (argc < 2)
        return usage_error("missing subcommand (render, lines or check)");
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "help") == 0)
        return help();
    if (strcmp(argv[1], "render") == 0)
        o->mode = TEXT_RENDER;
    else if (strcmp(argv[1], "lines") == 0)
        o->mode = TEXT_LINES;
    else if (strcmp(argv[1], "check") == 0)
        o->mode = TEXT_CHECK;
    else
        return usage_error("unknown subcommand '%s'", argv[1]);

    for (i = 2; i < argc; i++) {
        const char *opt = argv[i], *val;
        char *end;

        if (strncmp(opt, "--", 2) != 0)
            return usage_error("unexpected argument '%s'", opt);
        if (strcmp(opt, "--help") == 0)
            return help();
        if (i + 1 >= argc)
            return usage_error("%s needs a value", opt);
        val = argv[++i];
        /* An empty --text is an empty paragraph; anything else needs a value. */
        if (!*val && strcmp(opt, "--text") != 0)
            return usage_error("%s needs a value", opt);
        errno = 0;
        if (strcmp(opt, "--lang") == 0) {
            if (!i18n_tag_valid(val))
                return usage_error("--lang needs a language tag such as 'ar' or 'ckb-Latn'");
            /* Any well-formed tag: a language the table does not list takes
             * its script, fonts and direction from the text itself. */
            o->lang = val;
        } else if (strcmp(opt, "--dir") == 0) {
            if (i18n_dir_parse(val, &o->dir) != WM_OK)
                return usage_error("--dir must be auto, ltr or rtl, not '%s'", val);
        } else if (strcmp(opt, "--align") == 0) {
            if (i18n_align_parse(val, &o->align) != WM_OK)
                return usage_error("--align must be start, end or center, not '%s'", val);
        } else if (strcmp(opt, "--size") == 0) {
            o->size = strtof(val, &end);
            /* Written so that NaN fails too. */
            if (errno || end == val || *end ||
                !(o->size >= TEXT_MIN_SIZE && o->size <= TEXT_MAX_SIZE))
                return usage_error("--size must be a number of px from 1 to 1000, not '%s'", val);
            have_size = true;
        } else if (strcmp(opt, "--width") == 0) {
            long w = strtol(val, &end, 10);
            if (errno || end == val || *end || w < 1 || w > TEXT_MAX_W)
                return usage_error("--width must be a whole number of px from 1 to 16000, "
                                   "not '%s'",
                                   val);
            o->width = (int)w;
            have_width = true;
        } else if (strcmp(opt, "--max-lines") == 0) {
            long m = strtol(val, &end, 10);
            if (errno || end == val || *end || m < 0 || m > TEXT_MAX_LINES)
                return usage_error("--max-lines must be a whole number from 0 to 100000, "
                                   "not '%s'",
                                   val);
            o->max_lines = (int)m;
        } else if (strcmp(opt, "--in") == 0) {
            o->in = val;
        } else if (strcmp(opt, "--text") == 0) {
            o->text = val;
        } else if (strcmp(opt, "--png") == 0 && o->mode == TEXT_RENDER) {
            o->png = val;
        } else if (strcmp(opt, "--fonts") == 0) {
            o->fonts = val;
        } else {
            return usage_error("unknown option '%s'", opt);
        }
    }
    if (!o->lang)
        return usage_error("--lang TAG is required");
    if (!o->in == !o->text)
        return usage_error("give exactly one of --in FILE or --text STRING");
    if (o->mode != TEXT_CHECK && !have_size)
        return usage_error("--size PX is required");
    if (o->mode != TEXT_CHECK && !have_width)
        return usage_error("--width PX is required");
    if (o->mode == TEXT_RENDER && !o->png)
        return usage_error("--png OUT is required");
    return -1;
}

static int usage_error(const char *fmt, ...)
{
    va_list ap;

    fputs("waymark: text: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    kiosk_cmd_text_usage(stderr);
    return 2;
}

static int help(void)
{
    kiosk_cmd_text_usage(stdout);
    return flush_stdout();
}

/* 0 when everything written to stdout got out, else 1 with a message (a
 * full disk, a closed pipe). */
static int flush_stdout(void)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "waymark: text: write failed: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}

static char *read_input(const text_opts_t *o, size_t *len)
{
    char *buf = NULL;

    if (o->text) {
        buf = wm_strdup(o->text);
        if (!buf)
            fprintf(stderr, "waymark: text: out of memory\n");
        *len = strlen(o->text);
        return buf;
    }
    if (wm_file_read(o->in, TEXT_INPUT_MAX, true, &buf, len) != WM_OK) {
        fprintf(stderr, "waymark: text: %s\n", wm_last_error());
        return NULL;
    }
    return buf;
}

static text_para_t *split_paragraphs(char *buf, size_t len, size_t *count)
{
    text_para_t *p;
    size_t n = 0, i, start = 0, k = 0;

    for (i = 0; i < len; i++)
        if (buf[i] == '\n')
            n++;
    if (len > 0 && buf[len - 1] != '\n')
        n++;
    *count = n;
    if (n == 0)
        return NULL;
    p = wm_malloc(n * sizeof(*p));
    if (!p)
        return NULL;
    for (i = 0; i <= len && k < n; i++) {
        if (i == len || buf[i] == '\n') {
            size_t l = i - start;
            if (l > 0 && buf[start + l - 1] == '\r')
                l--;
            p[k].start = start;
            p[k].len = l;
            k++;
            start = i + 1;
        }
    }
    return p;
}

/* Every paragraph is UTF-8 and within the layout engine's limit; else 1
 * with a message naming the line (and for bad UTF-8 the byte offset in
 * the input). */
static int check_paragraphs(const text_opts_t *o, const char *buf, const text_para_t *paras,
                            size_t n)
{
    const char *src = o->in ? o->in : "--text";
    size_t p;

    for (p = 0; p < n; p++) {
        const char *s = buf + paras[p].start;
        if (!wm_utf8_valid(s, paras[p].len)) {
            size_t i = 0, k;
            uint32_t cp;
            while ((k = wm_utf8_next(s, paras[p].len, i, &cp)) > 0)
                i += k;
            fprintf(stderr, "waymark: text: %s:%zu: invalid UTF-8 at byte %zu\n", src, p + 1,
                    paras[p].start + i);
            return 1;
        }
        if (paras[p].len > (size_t)I18N_TEXT_MAX) {
            fprintf(stderr, "waymark: text: %s:%zu: paragraph too long (%zu bytes; at most %d)\n",
                    src, p + 1, paras[p].len, (int)I18N_TEXT_MAX);
            return 1;
        }
    }
    return 0;
}

static int run_check(const text_opts_t *o, i18n_fonts_t *fonts, const char *buf,
                     const text_para_t *paras, size_t n)
{
    size_t p, missing = 0;

    for (p = 0; p < n; p++) {
        const char *s = buf + paras[p].start;
        size_t i = 0;
        while (i < paras[p].len) {
            uint32_t cp = 0;
            uint16_t id;
            size_t k = wm_utf8_next(s, paras[p].len, i, &cp);
            wm_status_t st;

            if (k == 0)
                return 1; /* validated before; cannot happen */
            if (!i18n_char_is_invisible(cp)) {
                st = i18n_fonts_find(fonts, o->lang, cp, &id);
                if (st == WM_ENOENT) {
                    printf("U+%04X\t%zu\t%zu\n", (unsigned)cp, p, i);
                    missing++;
                } else if (st != WM_OK) {
                    fprintf(stderr, "waymark: text: %s\n", wm_last_error());
                    return 1;
                }
            }
            i += k;
        }
    }
    if (flush_stdout() != 0)
        return 1;
    if (missing) {
        fprintf(stderr, "waymark: text: %zu character%s no configured font covers\n", missing,
                missing == 1 ? "" : "s");
        return TEXT_EXIT_MISSING;
    }
    return 0;
}

static int run_layout(const text_opts_t *o, i18n_fonts_t *fonts, const char *buf,
                      const text_para_t *paras, size_t n)
{
    i18n_layout_params_t lp = i18n_layout_params_default();
    i18n_layout_t *layout = NULL;
    i18n_text_t *texts = NULL;
    render_glyph_cache_t *cache = NULL;
    render_canvas_t *canvas = NULL;
    float gap = o->size * 0.5f, height = 0, y;
    int img_w = o->width + 2 * TEXT_MARGIN;
    int max_h = TEXT_MAX_PIXELS / img_w < TEXT_MAX_H ? TEXT_MAX_PIXELS / img_w : TEXT_MAX_H;
    size_t p, l, count = o->mode == TEXT_LINES ? 1 : n;
    int rc = 1;

    lp.lang = o->lang;
    lp.dir = o->dir;
    lp.size_px = o->size;
    lp.max_width = (float)o->width;
    lp.align = o->align;
    lp.max_lines = o->max_lines;
    if (i18n_layout_create(fonts, &layout) != WM_OK) {
        fprintf(stderr, "waymark: text: %s\n", wm_last_error());
        return 1;
    }
    /* `lines` reuses one layout result; `render` keeps every paragraph's
     * until the image is drawn, bounded by the image's size. */
    texts = wm_calloc(count ? count : 1, sizeof(*texts));
    if (!texts) {
        fprintf(stderr, "waymark: text: out of memory\n");
        goto done;
    }
    for (p = 0; p < count; p++)
        i18n_text_init(&texts[p]);
    for (p = 0; p < n; p++) {
        i18n_text_t *t = &texts[o->mode == TEXT_LINES ? 0 : p];
        if (i18n_layout_text(layout, &lp, buf + paras[p].start, paras[p].len, t) != WM_OK) {
            fprintf(stderr, "waymark: text: paragraph %zu: %s\n", p, wm_last_error());
            goto done;
        }
        if (o->mode == TEXT_LINES) {
            printf("%zu\t%zu\t", p, t->line_count);
            for (l = 0; l < t->line_count; l++)
                printf("%s%zu", l ? "," : "", t->lines[l].byte_start);
            putchar('\n');
            continue;
        }
        /* An empty paragraph still takes a line's height on the page. */
        height += t->line_count ? t->height : o->size * 1.5f;
        if (height + 2 * TEXT_MARGIN > (float)max_h) {
            fprintf(stderr,
                    "waymark: text: %s%zu paragraph%s too tall for one image (%.0f px; at "
                    "most %d px at %d px wide)\n",
                    p ? "the first " : "", p + 1, p ? "s are" : " is",
                    (double)(height + 2 * TEXT_MARGIN), max_h, img_w);
            goto done;
        }
        if (p + 1 < n)
            height += gap;
    }
    if (o->mode == TEXT_LINES) {
        rc = flush_stdout();
        goto done;
    }
    if (render_glyph_cache_create(fonts, TEXT_CACHE_BYTES, &cache) != WM_OK ||
        render_canvas_create(RENDER_FORMAT_RGBA8, img_w, (int)(height + 0.999f) + 2 * TEXT_MARGIN,
                             &canvas) != WM_OK) {
        fprintf(stderr, "waymark: text: %s\n", wm_last_error());
        goto done;
    }
    render_canvas_clear(canvas, RENDER_RGBA(255, 255, 255, 255));
    y = TEXT_MARGIN;
    for (p = 0; p < n; p++) {
        render_canvas_draw_text(canvas, cache, &texts[p], TEXT_MARGIN, y,
                                RENDER_RGBA(0x1a, 0x1a, 0x1a, 255));
        y += (texts[p].line_count ? texts[p].height : o->size * 1.5f) + gap;
    }
    if (render_png_write(o->png, canvas) != WM_OK) {
        fprintf(stderr, "waymark: text: %s\n", wm_last_error());
        goto done;
    }
    rc = 0;
done:
    if (texts)
        for (p = 0; p < count; p++)
            i18n_text_free(&texts[p]);
    wm_free(texts);
    render_canvas_destroy(canvas);
    render_glyph_cache_destroy(cache);
    i18n_layout_destroy(layout);
    return rc;
}
