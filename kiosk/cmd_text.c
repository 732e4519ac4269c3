/*
 * cmd_text.c: `waymark text render|lines|check`, a tool for content editors
 * and tests: see how paragraphs in a language break and look, and which
 * characters no configured font covers.
 *
 * Input is taken literally: each line of --in FILE (or --text STRING) is a
 * paragraph, empty lines are empty paragraphs, a final newline does not
 * start another paragraph and a CR before a newline is dropped (files from
 * Windows editors). Invalid UTF-8 is reported with its byte offset.
 *
 * Exit status: 0 ok, 1 failure (unreadable input, bad UTF-8, layout or
 * write error; for `check`: characters not covered), 2 usage error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "i18n.h"
#include "render.h"

#define TEXT_MARGIN      16      /* px around the rendered paragraphs */
#define TEXT_MAX_SIZE    1000.0f /* px, largest --size accepted */
#define TEXT_MAX_W       16000   /* px, widest --width accepted */
#define TEXT_INPUT_MAX   (64u << 20)
#define TEXT_CACHE_BYTES (8u << 20)

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
static char *read_input(const text_opts_t *o, size_t *len);
static size_t utf8_invalid_at(const char *s, size_t len);
static text_para_t *split_paragraphs(char *buf, size_t len, size_t *count);
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
    size_t len = 0, n = 0, bad;
    char *buf;
    int rc;

    rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    buf = read_input(&o, &len);
    if (!buf)
        return 1;
    bad = utf8_invalid_at(buf, len);
    if (bad != SIZE_MAX) {
        fprintf(stderr, "waymark: text: %s: invalid UTF-8 at byte %zu\n", o.in ? o.in : "--text",
                bad);
        free(buf);
        return 1;
    }
    paras = split_paragraphs(buf, len, &n);
    if (!paras && n > 0) {
        fprintf(stderr, "waymark: text: out of memory\n");
        free(buf);
        return 1;
    }
    memset(&fopts, 0, sizeof(fopts));
    fopts.fallback_file = o.fonts;
    if (i18n_fonts_create(&fopts, &fonts) != WM_OK) {
        fprintf(stderr, "waymark: text: fonts: %s\n", wm_last_error());
        free(paras);
        free(buf);
        return 1;
    }
    if (o.mode == TEXT_CHECK)
        rc = run_check(&o, fonts, buf, paras, n);
    else
        rc = run_layout(&o, fonts, buf, paras, n);
    i18n_fonts_destroy(fonts);
    free(paras);
    free(buf);
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
          "          of the given width plus a margin\n"
          "  lines   prints per paragraph: index, line count, and the byte offsets\n"
          "          (within the paragraph) where lines start, tab-separated\n"
          "  check   lists characters no configured font covers (U+XXXX, paragraph,\n"
          "          byte offset); exits 1 if there is any\n"
          "options:\n"
          "  --dir auto|ltr|rtl        paragraph direction (default auto)\n"
          "  --align start|end|center  line alignment (default start)\n"
          "  --max-lines N             truncate paragraphs to N lines with an ellipsis\n"
          "  --fonts FILE              font fallback rules (see i18n.h)\n",
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
        strcmp(argv[1], "help") == 0) {
        kiosk_cmd_text_usage(stdout);
        return 0;
    }
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
        if (strcmp(opt, "--help") == 0) {
            kiosk_cmd_text_usage(stdout);
            return 0;
        }
        if (i + 1 >= argc)
            return usage_error("%s needs a value", opt);
        val = argv[++i];
        errno = 0;
        if (strcmp(opt, "--lang") == 0) {
            if (!i18n_language_find(val)) {
                size_t k;
                fprintf(stderr, "waymark: text: unknown language '%s'; known:", val);
                for (k = 0; k < i18n_language_count(); k++)
                    fprintf(stderr, " %s", i18n_language_at(k)->tag);
                fputc('\n', stderr);
                kiosk_cmd_text_usage(stderr);
                return 2;
            }
            o->lang = val;
        } else if (strcmp(opt, "--dir") == 0) {
            if (i18n_dir_parse(val, &o->dir) != WM_OK)
                return usage_error("--dir must be auto, ltr or rtl, not '%s'", val);
        } else if (strcmp(opt, "--align") == 0) {
            if (i18n_align_parse(val, &o->align) != WM_OK)
                return usage_error("--align must be start, end or center, not '%s'", val);
        } else if (strcmp(opt, "--size") == 0) {
            o->size = strtof(val, &end);
            if (errno || end == val || *end || !(o->size > 0) || o->size > TEXT_MAX_SIZE)
                return usage_error("--size must be a number of px from 1 to 1000, not '%s'", val);
            have_size = true;
        } else if (strcmp(opt, "--width") == 0) {
            long w = strtol(val, &end, 10);
            if (errno || end == val || *end || w <= 0 || w > TEXT_MAX_W)
                return usage_error("--width must be a whole number of px from 1 to 16000, "
                                   "not '%s'",
                                   val);
            o->width = (int)w;
            have_width = true;
        } else if (strcmp(opt, "--max-lines") == 0) {
            long m = strtol(val, &end, 10);
            if (errno || end == val || *end || m < 0 || m > 100000)
                return usage_error("--max-lines must be a whole number >= 0, not '%s'", val);
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

static char *read_input(const text_opts_t *o, size_t *len)
{
    FILE *f;
    char *buf = NULL;
    size_t cap = 0, n = 0, r;

    if (o->text) {
        buf = strdup(o->text);
        if (!buf)
            fprintf(stderr, "waymark: text: out of memory\n");
        *len = strlen(o->text);
        return buf;
    }
    f = fopen(o->in, "rb");
    if (!f) {
        fprintf(stderr, "waymark: text: cannot read %s: %s\n", o->in, strerror(errno));
        return NULL;
    }
    do {
        if (n + 4096 + 1 > cap) {
            char *p;
            cap = cap ? cap * 2 : 65536;
            p = cap > TEXT_INPUT_MAX ? NULL : realloc(buf, cap);
            if (!p) {
                fprintf(stderr, "waymark: text: %s: too large or out of memory\n", o->in);
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = p;
        }
        r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
    } while (r > 0);
    if (ferror(f)) {
        fprintf(stderr, "waymark: text: cannot read %s: %s\n", o->in, strerror(errno));
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Byte offset of the first invalid UTF-8 sequence, or SIZE_MAX. */
static size_t utf8_invalid_at(const char *s, size_t len)
{
    size_t i = 0;
    uint32_t cp;

    while (i < len) {
        size_t n = wm_utf8_next(s, len, i, &cp);
        if (n == 0)
            return i;
        i += n;
    }
    return SIZE_MAX;
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
    p = malloc(n * sizeof(*p));
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
                    fprintf(stderr, "waymark: text: fonts: %s\n", wm_last_error());
                    return 1;
                }
            }
            i += k;
        }
    }
    if (fflush(stdout) != 0)
        return 1;
    if (missing) {
        fprintf(stderr, "waymark: text: %zu character%s no configured font covers\n", missing,
                missing == 1 ? "" : "s");
        return 1;
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
    size_t p, l;
    int rc = 1;

    lp.lang = o->lang;
    lp.dir = o->dir;
    lp.size_px = o->size;
    lp.max_width = (float)o->width;
    lp.align = o->align;
    lp.max_lines = o->max_lines;
    if (i18n_layout_create(fonts, &layout) != WM_OK) {
        fprintf(stderr, "waymark: text: layout: %s\n", wm_last_error());
        return 1;
    }
    texts = calloc(n ? n : 1, sizeof(*texts));
    if (!texts) {
        fprintf(stderr, "waymark: text: out of memory\n");
        goto done;
    }
    for (p = 0; p < n; p++) {
        i18n_text_init(&texts[p]);
        if (i18n_layout_text(layout, &lp, buf + paras[p].start, paras[p].len, &texts[p]) != WM_OK) {
            fprintf(stderr, "waymark: text: paragraph %zu: %s\n", p, wm_last_error());
            goto done;
        }
        if (o->mode == TEXT_LINES) {
            printf("%zu\t%zu\t", p, texts[p].line_count);
            for (l = 0; l < texts[p].line_count; l++)
                printf("%s%zu", l ? "," : "", texts[p].lines[l].byte_start);
            putchar('\n');
        }
        /* An empty paragraph still takes a line's height on the page. */
        height += texts[p].line_count ? texts[p].height : o->size * 1.5f;
        if (p + 1 < n)
            height += gap;
    }
    if (o->mode == TEXT_LINES) {
        rc = fflush(stdout) == 0 ? 0 : 1;
        goto done;
    }
    if (height + 2 * TEXT_MARGIN > 32768) {
        fprintf(stderr, "waymark: text: %zu paragraphs are too tall for one image (%.0f px)\n", n,
                height);
        goto done;
    }
    if (render_glyph_cache_create(fonts, TEXT_CACHE_BYTES, &cache) != WM_OK ||
        render_canvas_create(RENDER_FORMAT_RGBA8, o->width + 2 * TEXT_MARGIN,
                             (int)(height + 0.999f) + 2 * TEXT_MARGIN, &canvas) != WM_OK) {
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
        for (p = 0; p < n; p++)
            i18n_text_free(&texts[p]);
    free(texts);
    render_canvas_destroy(canvas);
    render_glyph_cache_destroy(cache);
    i18n_layout_destroy(layout);
    return rc;
}
