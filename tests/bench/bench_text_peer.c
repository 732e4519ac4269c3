/*
 * bench_text_peer.c: `waymark-bench-pango [--passes N] [--cache-bytes N]
 * [--no-word-cache] [DIR]`, a developer program: the text benchmark of
 * `waymark bench text` (kiosk_bench.h) with Pango timed beside Waymark in
 * the same run, on the same paragraphs. DIR defaults to the tree's UDHR
 * corpus (tests/data/udhr). Built only when Pango is installed and the
 * tests are built; the booth's `waymark` never links Pango, GLib,
 * fontconfig or cairo.
 *
 * Pango's side: PangoFT2 with a fontconfig configuration holding only the
 * font files Waymark loaded, the family Waymark uses for the language, 28 px
 * absolute, hinting off, grayscale antialiasing, unrounded glyph positions,
 * word-char wrapping at 1000 px, and pango_ft2_render_layout() into an
 * FT_Bitmap as tall as Waymark's canvas.
 */
#include <fontconfig/fontconfig.h>
#include <pango/pangofc-fontmap.h>
#include <pango/pangoft2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk_bench.h"

#define PROG "waymark-bench-pango"

typedef struct {
    FcConfig *cfg;
    PangoFontMap *fm;
    PangoLayout *layouts[KIOSK_BENCH_MAX_LANGS]; /* one per language */
    FT_Bitmap bm;
} pg_state_t;

static void usage(FILE *f);
static int pg_setup(kiosk_bench_t *b, void **state);
static void pg_time_lang(void *state, size_t li, kiosk_bench_lang_t *l);
static void pg_teardown(void *state);
static void pg_substitute(FcPattern *pattern, gpointer data);

static const kiosk_bench_peer_t pango_peer = {
    .name = "Pango",
    .abbrev = "pg",
    .setup = pg_setup,
    .time_lang = pg_time_lang,
    .teardown = pg_teardown,
};

int main(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        usage(stdout);
        return kiosk_bench_flush(PROG);
    }
    return kiosk_bench_text_main(argc, argv, PROG, PROG, usage,
                                 WAYMARK_SOURCE_DIR "/tests/data/udhr", &pango_peer);
}

static void usage(FILE *f)
{
    fputs("usage: " PROG " [--passes N] [--cache-bytes N] [--no-word-cache] [DIR]\n"
          "\n"
          "`waymark bench text` with Pango beside Waymark in the same run: the same\n"
          "paragraphs of the corpus in DIR (default: the tree's tests/data/udhr) through\n"
          "PangoFT2 with the same font files, and the time ratios Pango / Waymark and the\n"
          "paragraphs that got the same number of lines from both.\n"
          "options:\n",
          f);
    kiosk_bench_text_options(f);
}

static int pg_setup(kiosk_bench_t *b, void **state)
{
    pg_state_t *g = calloc(1, sizeof(*g));
    size_t li, p, id;

    *state = g;
    if (!g) {
        fprintf(stderr, PROG ": out of memory\n");
        return 1;
    }
    g->cfg = FcConfigCreate();
    if (!g->cfg) {
        fprintf(stderr, PROG ": fontconfig: cannot create a configuration\n");
        return 1;
    }
    for (id = 0; id < i18n_fonts_count(b->fonts); id++) {
        const char *path = i18n_fonts_path(b->fonts, (uint16_t)id);
        if (path && !FcConfigAppFontAddFile(g->cfg, (const FcChar8 *)path)) {
            fprintf(stderr, PROG ": fontconfig cannot add %s\n", path);
            return 1;
        }
    }
    g->fm = pango_ft2_font_map_new();
    pango_fc_font_map_set_default_substitute(PANGO_FC_FONT_MAP(g->fm), pg_substitute, NULL, NULL);
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(g->fm), g->cfg);
    g->bm.rows = (unsigned)b->canvas_height;
    g->bm.width = KIOSK_BENCH_WIDTH;
    g->bm.pitch = KIOSK_BENCH_WIDTH;
    g->bm.num_grays = 256;
    g->bm.pixel_mode = FT_PIXEL_MODE_GRAY;
    g->bm.buffer = calloc((size_t)g->bm.rows, (size_t)g->bm.pitch);
    if (!g->bm.buffer) {
        fprintf(stderr, PROG ": out of memory\n");
        return 1;
    }
    for (li = 0; li < b->lang_count; li++) {
        kiosk_bench_lang_t *l = &b->langs[li];
        PangoFontDescription *fd = pango_font_description_from_string(l->family);
        PangoContext *ctx = pango_font_map_create_context(g->fm);
        PangoLayout *lay;

        /* A context per language: the language is context state. */
        pango_context_set_round_glyph_positions(ctx, FALSE);
        pango_context_set_language(ctx, pango_language_from_string(l->lang));
        pango_font_description_set_absolute_size(fd, KIOSK_BENCH_SIZE * PANGO_SCALE);
        lay = pango_layout_new(ctx);
        g_object_unref(ctx); /* the layout holds it */
        pango_layout_set_font_description(lay, fd);
        pango_font_description_free(fd);
        pango_layout_set_width(lay, KIOSK_BENCH_WIDTH * PANGO_SCALE);
        pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
        g->layouts[li] = lay;
        /* Warm-up: line counts, fonts, glyph caches. */
        for (p = 0; p < l->para_count; p++) {
            pango_layout_set_text(lay, l->paras[p].s, (int)l->paras[p].len);
            l->paras[p].peer_lines = (size_t)pango_layout_get_line_count(lay);
            pango_ft2_render_layout(&g->bm, lay, 0, 0);
            if (l->paras[p].peer_lines == l->paras[p].wm_lines)
                l->same_lines++;
        }
    }
    return 0;
}

static void pg_time_lang(void *state, size_t li, kiosk_bench_lang_t *l)
{
    pg_state_t *g = state;
    PangoLayout *lay = g->layouts[li];
    double t0, t1, t2;
    size_t p;

    t0 = kiosk_bench_now_ns();
    for (p = 0; p < l->para_count; p++) {
        pango_layout_set_text(lay, l->paras[p].s, (int)l->paras[p].len);
        (void)pango_layout_get_line_count(lay);
    }
    t1 = kiosk_bench_now_ns();
    /* Lines first (as Waymark does), so the drawing share can be timed. */
    for (p = 0; p < l->para_count; p++) {
        double r0;
        pango_layout_set_text(lay, l->paras[p].s, (int)l->paras[p].len);
        (void)pango_layout_get_line_count(lay);
        r0 = kiosk_bench_now_ns();
        pango_ft2_render_layout(&g->bm, lay, 0, 0);
        l->peer_raster_ns += kiosk_bench_now_ns() - r0;
    }
    t2 = kiosk_bench_now_ns();
    l->peer_layout_ns += t1 - t0;
    l->peer_total_ns += t2 - t1;
}

static void pg_teardown(void *state)
{
    pg_state_t *g = state;
    size_t i;

    if (!g)
        return;
    for (i = 0; i < KIOSK_BENCH_MAX_LANGS; i++)
        if (g->layouts[i])
            g_object_unref(g->layouts[i]);
    free(g->bm.buffer);
    if (g->fm)
        g_object_unref(g->fm);
    if (g->cfg)
        FcConfigDestroy(g->cfg);
    free(g);
}

/* Grayscale antialiasing, no hinting: what Waymark rasterizes with. */
static void pg_substitute(FcPattern *pattern, gpointer data)
{
    (void)data;
    FcPatternDel(pattern, FC_HINTING);
    FcPatternAddBool(pattern, FC_HINTING, FcFalse);
    FcPatternDel(pattern, FC_ANTIALIAS);
    FcPatternAddBool(pattern, FC_ANTIALIAS, FcTrue);
}
