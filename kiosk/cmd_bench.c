/*
 * cmd_bench.c: `waymark bench text [--passes N] [--cache-bytes N] [--no-pango]
 * [--no-word-cache] [DIR]`:
 * the text pipeline's speed on the UDHR corpus (one *.txt per language,
 * '# lang:' header, '= ' headings, one paragraph a line).
 *
 * Every heading and paragraph is laid out at 1000 px, 28 px, and drawn into
 * an A8 canvas tall enough for the tallest paragraph (not cleared between
 * paragraphs: clearing is not text work). One untimed warm-up pass fills
 * the caches, then N timed passes (default 5) give microseconds per
 * paragraph for layout alone and for layout + rasterization, per language
 * and in total, with the glyph cache's and the layout engine's word cache's
 * hit rates, the glyph cache's evictions and peak bytes against its bound
 * (a fixed 2 MiB, what a booth would give it), and the process's peak RSS.
 * --no-word-cache shapes every run whole, to see what the word cache buys.
 *
 * Built with Pango (WAYMARK_HAVE_PANGO), the same paragraphs also go through
 * PangoFT2 in the same run: a fontconfig configuration holding only the
 * font files Waymark loaded, the family Waymark uses for the language, 28 px
 * absolute, hinting off, unrounded glyph positions, word-char wrapping at
 * 1000 px, and pango_ft2_render_layout() into an FT_Bitmap of the same size.
 * Reported: the time ratios Pango / Waymark and how many paragraphs got the
 * same number of lines from both.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#ifdef WAYMARK_HAVE_PANGO
#include <fontconfig/fontconfig.h>
#include <pango/pangofc-fontmap.h>
#include <pango/pangoft2.h>
#endif

#include "commands.h"
#include "i18n.h"
#include "render.h"

#define BENCH_WIDTH       1000
#define BENCH_SIZE        28.0f
#define BENCH_PASSES      5
#define BENCH_CACHE_BYTES (2u << 20)
#define BENCH_MAX_LANGS   64
#define BENCH_LANG_MAX    36

typedef struct {
    const char *s;
    size_t len;
    size_t wm_lines, pg_lines;
} bench_para_t;

typedef struct {
    char lang[BENCH_LANG_MAX];
    char family[128]; /* the family Waymark uses for the language's script */
    char *buf;        /* the file's text; paragraphs point into it */
    bench_para_t *paras;
    size_t para_count;
    double wm_layout_ns, wm_total_ns, pg_layout_ns, pg_total_ns;
    double wm_raster_ns, pg_raster_ns; /* the drawing share of *_total_ns */
    uint64_t hits, misses;             /* glyph cache */
    uint64_t word_hits, word_misses;   /* word cache */
    size_t same_lines;
} bench_lang_t;

typedef struct {
    bench_lang_t langs[BENCH_MAX_LANGS];
    size_t lang_count;
    int passes;
    size_t cache_bytes;
    int canvas_height;
    render_glyph_cache_stats_t cache; /* at the end of the timed passes */
    i18n_word_cache_stats_t words;    /* likewise */
    bool pango;                       /* the Pango columns are filled */
    bool no_pango;                    /* --no-pango: Waymark alone (profiling) */
    bool no_word_cache;               /* --no-word-cache: runs shaped whole */
} bench_t;

typedef struct {
    i18n_layout_t *layout;
    render_glyph_cache_t *cache;
    render_canvas_t *canvas;
    i18n_text_t text;
    i18n_layout_params_t lp;
} wm_state_t;

#ifdef WAYMARK_HAVE_PANGO
typedef struct {
    FcConfig *cfg;
    PangoFontMap *fm;
    PangoLayout *layouts[BENCH_MAX_LANGS]; /* one per language */
    FT_Bitmap bm;
} pg_state_t;
#endif

static int bench_text(int argc, char **argv);
static int load_corpus(bench_t *b, const char *dir);
static int load_file(bench_lang_t *l, const char *path);
static int cmp_names(const void *a, const void *b);
static double now_ns(void);
static uint32_t script_sample(const char *s, size_t len);
static int wm_setup(bench_t *b, i18n_fonts_t *fonts, wm_state_t *w);
static void wm_time_lang(wm_state_t *w, bench_lang_t *l);
static void wm_teardown(wm_state_t *w);
#ifdef WAYMARK_HAVE_PANGO
static int pg_setup(bench_t *b, i18n_fonts_t *fonts, pg_state_t *g);
static void pg_time_lang(pg_state_t *g, size_t li, bench_lang_t *l);
static void pg_teardown(pg_state_t *g);
#endif
static void format_rate(char *buf, size_t size, uint64_t hits, uint64_t misses);
static void print_report(const bench_t *b);

int kiosk_cmd_bench(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "waymark: bench: missing target\n");
        kiosk_cmd_bench_usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        kiosk_cmd_bench_usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "text") == 0)
        return bench_text(argc - 1, argv + 1);
    if (strcmp(argv[1], "bundle") == 0)
        return kiosk_bench_bundle(argc - 1, argv + 1);
    fprintf(stderr, "waymark: bench: unknown target '%s'\n", argv[1]);
    kiosk_cmd_bench_usage(stderr);
    return 2;
}

void kiosk_cmd_bench_usage(FILE *f)
{
    fputs("usage: waymark bench text [--passes N] [--cache-bytes N] [--no-pango] "
          "[--no-word-cache] [DIR]\n"
          "\n"
          "Lays out and draws every heading and paragraph of the corpus in DIR (*.txt with a\n"
          "'# lang:' header; default $WAYMARK_CORPUS, else the UDHR corpus beside the source\n"
          "tree) at 1000 px wide, 28 px, after one warm-up pass, and prints microseconds per\n"
          "paragraph, glyph cache use and peak memory"
#ifdef WAYMARK_HAVE_PANGO
          ", side by side with Pango"
#endif
          ".\n"
          "\n"
          "usage: waymark bench bundle [--mb N] [--files N] [--runs N] [--dir DIR]\n"
          "\n"
          "Verifies and installs an N MiB bundle (default 50) and prints the throughput next\n"
          "to b2sum and sha256sum of the same file.\n",
          f);
}

static int bench_text(int argc, char **argv)
{
    static bench_t b;
    const char *dir = NULL;
    i18n_fonts_t *fonts = NULL;
    wm_state_t w;
#ifdef WAYMARK_HAVE_PANGO
    pg_state_t g;
#endif
    size_t i;
    int a, rc, pass;

    memset(&b, 0, sizeof(b));
    b.passes = BENCH_PASSES;
    b.cache_bytes = BENCH_CACHE_BYTES;
    for (a = 1; a < argc; a++) {
        char *end;
        if (strcmp(argv[a], "--no-pango") == 0) {
            b.no_pango = true;
        } else if (strcmp(argv[a], "--no-word-cache") == 0) {
            b.no_word_cache = true;
        } else if (strcmp(argv[a], "--passes") == 0 || strcmp(argv[a], "--cache-bytes") == 0) {
            long v;
            if (a + 1 >= argc) {
                fprintf(stderr, "waymark: bench: %s needs a value\n", argv[a]);
                kiosk_cmd_bench_usage(stderr);
                return 2;
            }
            errno = 0;
            v = strtol(argv[a + 1], &end, 10);
            if (errno || *end || end == argv[a + 1] || v < 1 || (argv[a][2] == 'p' && v > 1000)) {
                fprintf(stderr, "waymark: bench: bad value for %s: '%s'\n", argv[a], argv[a + 1]);
                kiosk_cmd_bench_usage(stderr);
                return 2;
            }
            if (argv[a][2] == 'p')
                b.passes = (int)v;
            else
                b.cache_bytes = (size_t)v;
            a++;
        } else if (argv[a][0] == '-') {
            fprintf(stderr, "waymark: bench: unknown option '%s'\n", argv[a]);
            kiosk_cmd_bench_usage(stderr);
            return 2;
        } else if (!dir) {
            dir = argv[a];
        } else {
            fprintf(stderr, "waymark: bench: unexpected argument '%s'\n", argv[a]);
            kiosk_cmd_bench_usage(stderr);
            return 2;
        }
    }
    if (!dir)
        dir = getenv("WAYMARK_CORPUS");
    if (!dir || !*dir)
        dir = WAYMARK_SOURCE_DIR "/../shared/corpus/udhr";

    rc = load_corpus(&b, dir);
    if (rc == 0 && i18n_fonts_create(NULL, &fonts) != WM_OK) {
        fprintf(stderr, "waymark: bench: fonts: %s\n", wm_last_error());
        rc = 1;
    }
    memset(&w, 0, sizeof(w));
    if (rc == 0)
        rc = wm_setup(&b, fonts, &w);
#ifdef WAYMARK_HAVE_PANGO
    memset(&g, 0, sizeof(g));
    if (rc == 0 && !b.no_pango && pg_setup(&b, fonts, &g) != 0) {
        fprintf(stderr, "waymark: bench: Pango setup failed\n");
        rc = 1;
    }
#endif
    /* Timed passes, Waymark and Pango interleaved language by language (and
     * which goes first alternating) so machine noise hits both alike. */
    for (pass = 0; rc == 0 && pass < b.passes; pass++) {
        for (i = 0; i < b.lang_count; i++) {
#ifdef WAYMARK_HAVE_PANGO
            if (b.pango && (pass & 1))
                pg_time_lang(&g, i, &b.langs[i]);
            wm_time_lang(&w, &b.langs[i]);
            if (b.pango && !(pass & 1))
                pg_time_lang(&g, i, &b.langs[i]);
#else
            wm_time_lang(&w, &b.langs[i]);
#endif
        }
    }
    if (rc == 0) {
        render_glyph_cache_stats(w.cache, &b.cache);
        i18n_layout_word_cache_stats(w.layout, &b.words);
        print_report(&b);
    }
#ifdef WAYMARK_HAVE_PANGO
    pg_teardown(&g);
#endif
    wm_teardown(&w);
    i18n_fonts_destroy(fonts);
    for (i = 0; i < b.lang_count; i++) {
        free(b.langs[i].buf);
        free(b.langs[i].paras);
    }
    return rc;
}

/* Reads every *.txt of dir, in name order. */
static int load_corpus(bench_t *b, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char *names[BENCH_MAX_LANGS];
    size_t n = 0, i;
    int rc = 0;

    if (!d) {
        fprintf(stderr, "waymark: bench: cannot open corpus %s: %s\n", dir, strerror(errno));
        return 1;
    }
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".txt") != 0)
            continue;
        if (n == BENCH_MAX_LANGS) {
            fprintf(stderr, "waymark: bench: more than %d corpus files in %s\n", BENCH_MAX_LANGS,
                    dir);
            rc = 1;
            break;
        }
        names[n] = strdup(e->d_name);
        if (!names[n]) {
            rc = 1;
            break;
        }
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof(names[0]), cmp_names);
    for (i = 0; i < n; i++) {
        char path[4096];
        if (rc == 0) {
            snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
            rc = load_file(&b->langs[b->lang_count], path);
            if (rc == 0)
                b->lang_count++;
        }
        free(names[i]);
    }
    if (rc == 0 && b->lang_count == 0) {
        fprintf(stderr, "waymark: bench: no *.txt corpus files in %s\n", dir);
        rc = 1;
    }
    return rc;
}

/* One corpus file: '# lang: TAG' header, '= heading' and paragraph lines
 * (both are paragraphs here), blank lines skipped. */
static int load_file(bench_lang_t *l, const char *path)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 0, len = 0, r, n = 0, i, start;
    char *buf = NULL;

    if (!f) {
        fprintf(stderr, "waymark: bench: cannot read %s: %s\n", path, strerror(errno));
        return 1;
    }
    do {
        if (len + 65536 + 1 > cap) {
            char *p = realloc(buf, cap = cap ? cap * 2 : 262144);
            if (!p) {
                free(buf);
                fclose(f);
                fprintf(stderr, "waymark: bench: out of memory\n");
                return 1;
            }
            buf = p;
        }
        r = fread(buf + len, 1, cap - len - 1, f);
        len += r;
    } while (r > 0);
    fclose(f);
    buf[len] = '\0';
    memset(l, 0, sizeof(*l));
    l->buf = buf;
    for (i = 0; i < len; i++)
        if (buf[i] == '\n')
            n++;
    l->paras = calloc(n + 1, sizeof(*l->paras));
    if (!l->paras) {
        fprintf(stderr, "waymark: bench: out of memory\n");
        free(buf);
        return 1;
    }
    for (start = 0; start < len; start = i + 1) {
        char *s = buf + start;
        size_t ll;
        for (i = start; i < len && buf[i] != '\n'; i++)
            ;
        ll = i - start;
        if (ll > 0 && s[ll - 1] == '\r')
            ll--;
        if (ll == 0)
            continue;
        if (s[0] == '#') {
            if (strncmp(s, "# lang:", 7) == 0) {
                size_t k = 7, m = 0;
                while (k < ll && s[k] == ' ')
                    k++;
                while (k < ll && s[k] != ' ' && m + 1 < sizeof(l->lang))
                    l->lang[m++] = s[k++];
                l->lang[m] = '\0';
            }
            continue;
        }
        if (ll >= 2 && s[0] == '=' && s[1] == ' ') {
            s += 2;
            ll -= 2;
        }
        l->paras[l->para_count].s = s;
        l->paras[l->para_count].len = ll;
        l->para_count++;
    }
    if (!l->lang[0]) {
        fprintf(stderr, "waymark: bench: %s: no '# lang:' header\n", path);
        free(l->paras);
        free(buf);
        return 1;
    }
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* The first code point of s that says which script the text is in: the
 * first non-Latin letter if any (Cyrillic and beyond), else the first
 * ASCII letter. */
static uint32_t script_sample(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t latin = 'a';
    size_t i = 0;

    while (i < len) {
        uint32_t cp = u[i];
        size_t n = cp < 0x80 ? 1 : cp < 0xe0 ? 2 : cp < 0xf0 ? 3 : 4;
        size_t k;
        if (i + n > len)
            break;
        if (n > 1) {
            cp &= 0x3fu >> (n - 1);
            for (k = 1; k < n; k++)
                cp = (cp << 6) | (u[i + k] & 0x3f);
        }
        if (cp >= 0x370 && !(cp >= 0x2000 && cp <= 0x2bff))
            return cp;
        if (latin == 'a' && ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z'))
            latin = cp;
        i += n;
    }
    return latin;
}

static int wm_setup(bench_t *b, i18n_fonts_t *fonts, wm_state_t *w)
{
    float max_h = 0;
    size_t li, p;

    memset(w, 0, sizeof(*w));
    i18n_text_init(&w->text);
    w->lp = i18n_layout_params_default();
    w->lp.size_px = BENCH_SIZE;
    w->lp.max_width = BENCH_WIDTH;
    if (i18n_layout_create(fonts, &w->layout) != WM_OK ||
        render_glyph_cache_create(fonts, b->cache_bytes, &w->cache) != WM_OK) {
        fprintf(stderr, "waymark: bench: %s\n", wm_last_error());
        return 1;
    }
    i18n_layout_set_word_cache(w->layout, !b->no_word_cache);
    /* Warm-up, layout: line counts, the tallest paragraph, the family. */
    for (li = 0; li < b->lang_count; li++) {
        bench_lang_t *l = &b->langs[li];
        uint16_t id;
        w->lp.lang = l->lang;
        for (p = 0; p < l->para_count; p++) {
            if (i18n_layout_text(w->layout, &w->lp, l->paras[p].s, l->paras[p].len, &w->text) !=
                WM_OK) {
                fprintf(stderr, "waymark: bench: %s paragraph %zu: %s\n", l->lang, p,
                        wm_last_error());
                return 1;
            }
            l->paras[p].wm_lines = w->text.line_count;
            if (w->text.height > max_h)
                max_h = w->text.height;
        }
        if (l->para_count &&
            i18n_fonts_find(fonts, l->lang, script_sample(l->paras[0].s, l->paras[0].len), &id) ==
                WM_OK) {
            FT_Face face = i18n_fonts_face(fonts, id);
            if (face && face->family_name)
                snprintf(l->family, sizeof(l->family), "%s", face->family_name);
        }
    }
    b->canvas_height = (int)(max_h + 1.999f);
    if (render_canvas_create(RENDER_FORMAT_A8, BENCH_WIDTH, b->canvas_height, &w->canvas) !=
        WM_OK) {
        fprintf(stderr, "waymark: bench: %s\n", wm_last_error());
        return 1;
    }
    /* Warm-up, raster. */
    for (li = 0; li < b->lang_count; li++) {
        bench_lang_t *l = &b->langs[li];
        w->lp.lang = l->lang;
        for (p = 0; p < l->para_count; p++) {
            (void)i18n_layout_text(w->layout, &w->lp, l->paras[p].s, l->paras[p].len, &w->text);
            render_canvas_draw_text(w->canvas, w->cache, &w->text, 0, 0, RENDER_RGBA(0, 0, 0, 255));
        }
    }
    return 0;
}

/* One timed pass over one language: layout alone, then layout + raster. */
static void wm_time_lang(wm_state_t *w, bench_lang_t *l)
{
    render_glyph_cache_stats_t s0, s1;
    i18n_word_cache_stats_t w0, w1;
    double t0, t1, t2;
    size_t p;

    w->lp.lang = l->lang;
    i18n_layout_word_cache_stats(w->layout, &w0);
    t0 = now_ns();
    for (p = 0; p < l->para_count; p++)
        (void)i18n_layout_text(w->layout, &w->lp, l->paras[p].s, l->paras[p].len, &w->text);
    t1 = now_ns();
    render_glyph_cache_stats(w->cache, &s0);
    for (p = 0; p < l->para_count; p++) {
        double r0;
        (void)i18n_layout_text(w->layout, &w->lp, l->paras[p].s, l->paras[p].len, &w->text);
        r0 = now_ns();
        render_canvas_draw_text(w->canvas, w->cache, &w->text, 0, 0, RENDER_RGBA(0, 0, 0, 255));
        l->wm_raster_ns += now_ns() - r0;
    }
    t2 = now_ns();
    render_glyph_cache_stats(w->cache, &s1);
    i18n_layout_word_cache_stats(w->layout, &w1);
    l->word_hits += w1.hits - w0.hits;
    l->word_misses += w1.misses - w0.misses;
    l->wm_layout_ns += t1 - t0;
    l->wm_total_ns += t2 - t1;
    l->hits += s1.hits - s0.hits;
    l->misses += s1.misses - s0.misses;
}

static void wm_teardown(wm_state_t *w)
{
    i18n_text_free(&w->text);
    render_canvas_destroy(w->canvas);
    render_glyph_cache_destroy(w->cache);
    i18n_layout_destroy(w->layout);
}

#ifdef WAYMARK_HAVE_PANGO
/* Grayscale antialiasing, no hinting: what Waymark rasterizes with. */
static void pango_substitute(FcPattern *pattern, gpointer data)
{
    (void)data;
    FcPatternDel(pattern, FC_HINTING);
    FcPatternAddBool(pattern, FC_HINTING, FcFalse);
    FcPatternDel(pattern, FC_ANTIALIAS);
    FcPatternAddBool(pattern, FC_ANTIALIAS, FcTrue);
}

static int pg_setup(bench_t *b, i18n_fonts_t *fonts, pg_state_t *g)
{
    size_t li, p, id;

    memset(g, 0, sizeof(*g));
    g->cfg = FcConfigCreate();
    if (!g->cfg)
        return 1;
    for (id = 0; id < i18n_fonts_count(fonts); id++) {
        const char *path = i18n_fonts_path(fonts, (uint16_t)id);
        if (path && !FcConfigAppFontAddFile(g->cfg, (const FcChar8 *)path)) {
            fprintf(stderr, "waymark: bench: fontconfig cannot add %s\n", path);
            return 1;
        }
    }
    g->fm = pango_ft2_font_map_new();
    pango_fc_font_map_set_default_substitute(PANGO_FC_FONT_MAP(g->fm), pango_substitute, NULL,
                                             NULL);
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(g->fm), g->cfg);
    g->bm.rows = (unsigned)b->canvas_height;
    g->bm.width = BENCH_WIDTH;
    g->bm.pitch = BENCH_WIDTH;
    g->bm.num_grays = 256;
    g->bm.pixel_mode = FT_PIXEL_MODE_GRAY;
    g->bm.buffer = calloc((size_t)g->bm.rows, (size_t)g->bm.pitch);
    if (!g->bm.buffer)
        return 1;
    for (li = 0; li < b->lang_count; li++) {
        bench_lang_t *l = &b->langs[li];
        PangoFontDescription *fd = pango_font_description_from_string(l->family);
        PangoContext *ctx = pango_font_map_create_context(g->fm);
        PangoLayout *lay;

        /* A context per language: the language is context state. */
        pango_context_set_round_glyph_positions(ctx, FALSE);
        pango_context_set_language(ctx, pango_language_from_string(l->lang));
        pango_font_description_set_absolute_size(fd, BENCH_SIZE * PANGO_SCALE);
        lay = pango_layout_new(ctx);
        g_object_unref(ctx); /* the layout holds it */
        pango_layout_set_font_description(lay, fd);
        pango_font_description_free(fd);
        pango_layout_set_width(lay, BENCH_WIDTH * PANGO_SCALE);
        pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
        g->layouts[li] = lay;
        /* Warm-up: line counts, fonts, glyph caches. */
        for (p = 0; p < l->para_count; p++) {
            pango_layout_set_text(lay, l->paras[p].s, (int)l->paras[p].len);
            l->paras[p].pg_lines = (size_t)pango_layout_get_line_count(lay);
            pango_ft2_render_layout(&g->bm, lay, 0, 0);
            if (l->paras[p].pg_lines == l->paras[p].wm_lines)
                l->same_lines++;
        }
    }
    b->pango = true;
    return 0;
}

static void pg_time_lang(pg_state_t *g, size_t li, bench_lang_t *l)
{
    PangoLayout *lay = g->layouts[li];
    double t0, t1, t2;
    size_t p;

    t0 = now_ns();
    for (p = 0; p < l->para_count; p++) {
        pango_layout_set_text(lay, l->paras[p].s, (int)l->paras[p].len);
        (void)pango_layout_get_line_count(lay);
    }
    t1 = now_ns();
    /* Lines first (as Waymark does), so the drawing share can be timed. */
    for (p = 0; p < l->para_count; p++) {
        double r0;
        pango_layout_set_text(lay, l->paras[p].s, (int)l->paras[p].len);
        (void)pango_layout_get_line_count(lay);
        r0 = now_ns();
        pango_ft2_render_layout(&g->bm, lay, 0, 0);
        l->pg_raster_ns += now_ns() - r0;
    }
    t2 = now_ns();
    l->pg_layout_ns += t1 - t0;
    l->pg_total_ns += t2 - t1;
}

static void pg_teardown(pg_state_t *g)
{
    size_t i;

    for (i = 0; i < BENCH_MAX_LANGS; i++)
        if (g->layouts[i])
            g_object_unref(g->layouts[i]);
    free(g->bm.buffer);
    if (g->fm)
        g_object_unref(g->fm);
    if (g->cfg)
        FcConfigDestroy(g->cfg);
}
#endif

/* "98.50%" for hits of hits + misses (100% when nothing was looked up). */
static void format_rate(char *buf, size_t size, uint64_t hits, uint64_t misses)
{
    snprintf(buf, size, "%.2f%%",
             hits + misses ? 100.0 * (double)hits / (double)(hits + misses) : 100.0);
}

static void print_report(const bench_t *b)
{
    double wl = 0, wr = 0, wt = 0, pl = 0, pr = 0, pt = 0;
    uint64_t hits = 0, misses = 0, whits = 0, wmisses = 0;
    size_t paras = 0, same = 0, li;
    struct rusage ru;
    double per;
    char hit[32], whit[32];

    printf("waymark bench text: %zu languages, %d px wide, %.0f px, 1 warm-up + %d timed "
           "passes%s\n",
           b->lang_count, BENCH_WIDTH, (double)BENCH_SIZE, b->passes,
           b->no_word_cache ? ", word cache off" : "");
    printf("microseconds per paragraph: lay = layout alone, l+r = layout + raster, of which\n"
           "ras = raster; x = Pango / Waymark; glyphs / words = glyph cache / word cache hit "
           "rate\n\n");
    printf("%-9s %5s | %7s %7s %7s | %7s %7s", "lang", "paras", "wm lay", "wm ras", "wm l+r",
           "glyphs", "words");
    if (b->pango)
        printf(" | %7s %7s %7s | %5s %5s | %s", "pg lay", "pg ras", "pg l+r", "x lay", "x l+r",
               "same lines");
    printf("\n");
    for (li = 0; li < b->lang_count; li++) {
        const bench_lang_t *l = &b->langs[li];
        double n = (double)l->para_count * b->passes * 1e3;

        if (l->para_count == 0)
            continue;
        format_rate(hit, sizeof(hit), l->hits, l->misses);
        format_rate(whit, sizeof(whit), l->word_hits, l->word_misses);
        printf("%-9s %5zu | %7.1f %7.1f %7.1f | %7s %7s", l->lang, l->para_count,
               l->wm_layout_ns / n, l->wm_raster_ns / n, l->wm_total_ns / n, hit, whit);
        if (b->pango)
            printf(" | %7.1f %7.1f %7.1f | %5.2f %5.2f | %zu/%zu %.1f%% (%s)", l->pg_layout_ns / n,
                   l->pg_raster_ns / n, l->pg_total_ns / n, l->pg_layout_ns / l->wm_layout_ns,
                   l->pg_total_ns / l->wm_total_ns, l->same_lines, l->para_count,
                   100.0 * (double)l->same_lines / (double)l->para_count, l->family);
        printf("\n");
        wl += l->wm_layout_ns;
        wr += l->wm_raster_ns;
        wt += l->wm_total_ns;
        pl += l->pg_layout_ns;
        pr += l->pg_raster_ns;
        pt += l->pg_total_ns;
        hits += l->hits;
        misses += l->misses;
        whits += l->word_hits;
        wmisses += l->word_misses;
        paras += l->para_count;
        same += l->same_lines;
    }
    per = (double)paras * b->passes * 1e3;
    format_rate(hit, sizeof(hit), hits, misses);
    format_rate(whit, sizeof(whit), whits, wmisses);
    printf("%-9s %5zu | %7.1f %7.1f %7.1f | %7s %7s", "total", paras, wl / per, wr / per, wt / per,
           hit, whit);
    if (b->pango && paras)
        printf(" | %7.1f %7.1f %7.1f | %5.2f %5.2f | %zu/%zu %.1f%%", pl / per, pr / per, pt / per,
               pl / wl, pt / wt, same, paras, 100.0 * (double)same / (double)paras);
    printf("\n\n");
    printf("glyph cache: bound %zu bytes, peak %zu bytes (%s the bound), now %zu bytes in %zu "
           "entries, %llu evictions, %llu hits / %llu misses in all\n",
           b->cache.max_bytes, b->cache.peak_bytes,
           b->cache.peak_bytes <= b->cache.max_bytes ? "within" : "OVER", b->cache.bytes,
           b->cache.entries, (unsigned long long)b->cache.evictions,
           (unsigned long long)b->cache.hits, (unsigned long long)b->cache.misses);
    printf("word cache: bound %zu words / %zu bytes, peak %zu bytes, now %zu words in %zu bytes, "
           "%llu evictions, %llu hits / %llu misses in all (timed passes %s); %llu words shaped "
           "alone uncached, %llu runs shaped whole\n",
           b->words.max_entries, b->words.max_bytes, b->words.peak_bytes, b->words.entries,
           b->words.bytes, (unsigned long long)b->words.evictions,
           (unsigned long long)b->words.hits, (unsigned long long)b->words.misses, whit,
           (unsigned long long)b->words.words_alone, (unsigned long long)b->words.runs_whole);
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        printf("peak RSS: %ld KiB\n", ru.ru_maxrss);
    if (b->pango && paras)
        printf("targets: layout+raster Pango/Waymark %.2fx (target >= 3x: %s); same line count "
               "%.1f%% (target >= 95%%: %s)\n",
               pt / wt, pt / wt >= 3.0 ? "met" : "MISSED", 100.0 * (double)same / (double)paras,
               100.0 * (double)same / (double)paras >= 95.0 ? "met" : "MISSED");
}
