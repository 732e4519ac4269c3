/*
 * test_render.c: the render module as a user sees it: canvas pixels in all
 * three formats, PNG files that decode, the glyph cache's bound, drawn text
 * inside its box, the SDL screen matching the CPU canvas, golden images.
 */
#include <check.h>
#include <dirent.h>
#include <limits.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "render.h"
#include "testutil.h"

#define MARGIN 16 /* px around golden paragraphs, as `waymark text render` */

/* ---- canvases ----------------------------------------------------------- */

static void assert_color(render_color_t c, int r, int g, int b, int a)
{
    ck_assert_int_eq(c.r, r);
    ck_assert_int_eq(c.g, g);
    ck_assert_int_eq(c.b, b);
    ck_assert_int_eq(c.a, a);
}

START_TEST(canvas_rgba_clear_and_fill_set_pixels_inside_rect_only)
{
    render_canvas_t *c = NULL;

    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_RGBA8, 10, 8, &c), WM_OK);
    assert_color(render_canvas_get(c, 3, 3), 0, 0, 0, 0); /* starts transparent */
    render_canvas_clear(c, RENDER_RGBA(255, 255, 255, 255));
    render_canvas_fill_rect(c, 2, 3, 4, 2, RENDER_RGBA(10, 20, 30, 255));
    assert_color(render_canvas_get(c, 2, 3), 10, 20, 30, 255);
    assert_color(render_canvas_get(c, 5, 4), 10, 20, 30, 255);
    assert_color(render_canvas_get(c, 6, 4), 255, 255, 255, 255);
    assert_color(render_canvas_get(c, 2, 5), 255, 255, 255, 255);
    assert_color(render_canvas_get(c, 1, 3), 255, 255, 255, 255);
    /* Half-transparent black over white is mid gray; clipping is silent. */
    render_canvas_fill_rect(c, -5, -5, 6, 6, RENDER_RGBA(0, 0, 0, 128));
    assert_color(render_canvas_get(c, 0, 0), 127, 127, 127, 255);
    assert_color(render_canvas_get(c, 1, 1), 255, 255, 255, 255);
    render_canvas_fill_rect(c, 9, 7, 100000, 2147483000, RENDER_RGBA(0, 0, 255, 255));
    assert_color(render_canvas_get(c, 9, 7), 0, 0, 255, 255);
    assert_color(render_canvas_get(c, 10, 7), 0, 0, 0, 0); /* out of range */
    /* Over transparent: the color keeps its own value, alpha accumulates. */
    render_canvas_clear(c, RENDER_RGBA(0, 0, 0, 0));
    render_canvas_fill_rect(c, 0, 0, 1, 1, RENDER_RGBA(200, 100, 50, 128));
    assert_color(render_canvas_get(c, 0, 0), 200, 100, 50, 128);
    render_canvas_destroy(c);
}
END_TEST

START_TEST(canvas_a8_clear_and_fill)
{
    render_canvas_t *c = NULL;

    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_A8, 5, 5, &c), WM_OK);
    ck_assert_int_eq(c->stride, 5);
    assert_color(render_canvas_get(c, 0, 0), 255, 255, 255, 0);
    render_canvas_clear(c, RENDER_RGBA(0, 0, 0, 40));
    render_canvas_fill_rect(c, 1, 1, 2, 2, RENDER_RGBA(0, 0, 0, 255));
    ck_assert_int_eq(c->pixels[0], 40);
    ck_assert_int_eq(c->pixels[1 * 5 + 1], 255);
    ck_assert_int_eq(c->pixels[2 * 5 + 2], 255);
    ck_assert_int_eq(c->pixels[3 * 5 + 3], 40);
    render_canvas_destroy(c);
}
END_TEST

START_TEST(canvas_mono1_is_msb_first_with_black_threshold)
{
    render_canvas_t *c = NULL;

    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_MONO1, 12, 3, &c), WM_OK);
    ck_assert_int_eq(c->stride, 2);
    ck_assert_int_eq(c->pixels[0], 0); /* white paper */
    render_canvas_fill_rect(c, 0, 0, 1, 1, RENDER_RGBA(0, 0, 0, 255));
    ck_assert_int_eq(c->pixels[0], 0x80);
    render_canvas_fill_rect(c, 9, 1, 1, 1, RENDER_RGBA(0, 0, 0, 255));
    ck_assert_int_eq(c->pixels[2 + 1], 0x40);
    assert_color(render_canvas_get(c, 9, 1), 0, 0, 0, 255);
    assert_color(render_canvas_get(c, 8, 1), 255, 255, 255, 255);
    /* Dark gray is black, light gray is white, faint black is nothing. */
    render_canvas_fill_rect(c, 1, 2, 1, 1, RENDER_RGBA(100, 100, 100, 255));
    render_canvas_fill_rect(c, 2, 2, 1, 1, RENDER_RGBA(160, 160, 160, 255));
    render_canvas_fill_rect(c, 3, 2, 1, 1, RENDER_RGBA(0, 0, 0, 100));
    ck_assert_int_eq(c->pixels[2 * 2], 0x40);
    /* White paints paper back. */
    render_canvas_fill_rect(c, 0, 0, 12, 3, RENDER_RGBA(255, 255, 255, 255));
    ck_assert_int_eq(c->pixels[0] | c->pixels[3] | c->pixels[4], 0);
    render_canvas_clear(c, RENDER_RGBA(0, 0, 0, 255));
    ck_assert_int_eq(c->pixels[5], 0xff);
    render_canvas_destroy(c);
}
END_TEST

START_TEST(canvas_bad_size_is_refused_and_out_untouched)
{
    render_canvas_t *c = (render_canvas_t *)(uintptr_t)0x1;

    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_RGBA8, 0, 5, &c), WM_EINVAL);
    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_A8, 5, -1, &c), WM_EINVAL);
    ck_assert_ptr_eq(c, (void *)(uintptr_t)0x1);
    if (wm_fault_injection_available()) {
        wm_fault_alloc_after(1);
        ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_A8, 5, 5, &c), WM_ENOMEM);
        wm_fault_reset();
        ck_assert_ptr_eq(c, (void *)(uintptr_t)0x1);
    }
}
END_TEST

/* ---- PNG ---------------------------------------------------------------- */

/* Decodes with plain libpng (not our reader): width, height, color type. */
static int png_probe(const char *path, png_uint_32 *w, png_uint_32 *h, int *type, int *depth)
{
    png_image img;

    memset(&img, 0, sizeof(img));
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path))
        return -1;
    *w = img.width;
    *h = img.height;
    png_image_free(&img);
    {
        FILE *f = fopen(path, "rb");
        unsigned char hdr[26];
        if (!f || fread(hdr, 1, sizeof(hdr), f) != sizeof(hdr)) {
            if (f)
                fclose(f);
            return -1;
        }
        fclose(f);
        *depth = hdr[24];
        *type = hdr[25];
    }
    return 0;
}

START_TEST(png_round_trip_keeps_every_pixel)
{
    const char *dir = tu_tmpdir();
    char path[512];
    render_canvas_t *c = NULL, *back = NULL;
    png_uint_32 w = 0, h = 0;
    int type = -1, depth = -1, x, y;

    ck_assert_ptr_nonnull(dir);
    snprintf(path, sizeof(path), "%s/shot.png", dir);
    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_RGBA8, 37, 11, &c), WM_OK);
    for (y = 0; y < 11; y++)
        for (x = 0; x < 37; x++) {
            uint8_t *p = c->pixels + y * c->stride + x * 4;
            p[0] = (uint8_t)(x * 7), p[1] = (uint8_t)(y * 23), p[2] = (uint8_t)(x ^ y);
            p[3] = (uint8_t)(255 - x);
        }
    ck_assert_int_eq(render_png_write(path, c), WM_OK);
    ck_assert_int_eq(png_probe(path, &w, &h, &type, &depth), 0);
    ck_assert_uint_eq(w, 37);
    ck_assert_uint_eq(h, 11);
    ck_assert_int_eq(type, PNG_COLOR_TYPE_RGBA);
    ck_assert_int_eq(render_png_read(path, &back), WM_OK);
    ck_assert_int_eq(back->width, 37);
    ck_assert_int_eq(back->height, 11);
    ck_assert_int_eq(memcmp(back->pixels, c->pixels, (size_t)c->stride * 11), 0);
    render_canvas_destroy(back);
    render_canvas_destroy(c);
    remove(path);
    remove(dir);
}
END_TEST

START_TEST(png_a8_and_mono1_read_back_as_they_get)
{
    const char *dir = tu_tmpdir();
    char path[512];
    render_format_t fmts[2] = {RENDER_FORMAT_A8, RENDER_FORMAT_MONO1};
    int i, x, y;

    for (i = 0; i < 2; i++) {
        render_canvas_t *c = NULL, *back = NULL;
        png_uint_32 w = 0, h = 0;
        int type = -1, depth = -1;

        snprintf(path, sizeof(path), "%s/f%d.png", dir, i);
        ck_assert_int_eq(render_canvas_create(fmts[i], 13, 9, &c), WM_OK);
        render_canvas_fill_rect(c, 2, 1, 5, 4, RENDER_RGBA(0, 0, 0, 200));
        render_canvas_fill_rect(c, 9, 6, 9, 9, RENDER_RGBA(0, 0, 0, 255));
        ck_assert_int_eq(render_png_write(path, c), WM_OK);
        ck_assert_int_eq(png_probe(path, &w, &h, &type, &depth), 0);
        ck_assert_uint_eq(w, 13);
        ck_assert_uint_eq(h, 9);
        ck_assert_int_eq(type, i == 0 ? PNG_COLOR_TYPE_GRAY_ALPHA : PNG_COLOR_TYPE_GRAY);
        ck_assert_int_eq(depth, i == 0 ? 8 : 1);
        ck_assert_int_eq(render_png_read(path, &back), WM_OK);
        for (y = 0; y < 9; y++)
            for (x = 0; x < 13; x++) {
                render_color_t a = render_canvas_get(c, x, y), b = render_canvas_get(back, x, y);
                ck_assert_msg(a.r == b.r && a.g == b.g && a.b == b.b && a.a == b.a,
                              "format %d pixel %d,%d differs", i, x, y);
            }
        render_canvas_destroy(back);
        render_canvas_destroy(c);
        remove(path);
    }
    remove(dir);
}
END_TEST

START_TEST(png_write_rgba_and_errors)
{
    const char *dir = tu_tmpdir();
    char path[512], missing[600];
    uint8_t px[3 * 8 * 2];
    render_canvas_t *back = (render_canvas_t *)(uintptr_t)0x1;
    char *data;
    size_t len = 0;

    memset(px, 0x5a, sizeof(px));
    snprintf(path, sizeof(path), "%s/rows.png", dir);
    /* Stride larger than a row: 3 pixels of 8 bytes each row, 2 rows. */
    ck_assert_int_eq(render_png_write_rgba(path, px, 2, 3, 16), WM_OK);
    ck_assert_int_eq(render_png_read(path, &back), WM_OK);
    ck_assert_int_eq(back->width, 2);
    ck_assert_int_eq(back->height, 3);
    assert_color(render_canvas_get(back, 1, 2), 0x5a, 0x5a, 0x5a, 0x5a);
    render_canvas_destroy(back);
    back = (render_canvas_t *)(uintptr_t)0x1;
    ck_assert_int_eq(render_png_write_rgba(path, px, 2, 3, 4), WM_EINVAL);
    /* Not a PNG, missing file, unwritable folder: errors, out untouched. */
    ck_assert_int_eq(tu_write_file(path, "not a png at all"), 0);
    ck_assert_int_eq(render_png_read(path, &back), WM_EFORMAT);
    ck_assert_ptr_nonnull(strstr(wm_last_error(), "rows.png"));
    /* a folder that surely does not exist: inside our own new one */
    snprintf(missing, sizeof(missing), "%s/no-such-folder/x.png", dir);
    ck_assert_int_eq(render_png_read(missing, &back), WM_ENOENT);
    ck_assert_ptr_eq(back, (void *)(uintptr_t)0x1);
    ck_assert_int_eq(render_png_write_rgba(missing, px, 2, 3, 8), WM_EIO);
    /* A truncated PNG is an error, not a crash. */
    ck_assert_int_eq(render_png_write_rgba(path, px, 2, 3, 8), WM_OK);
    data = tu_read_file(path, &len);
    ck_assert_ptr_nonnull(data);
    {
        FILE *f = fopen(path, "wb");
        fwrite(data, 1, len / 2, f);
        fclose(f);
    }
    free(data);
    ck_assert_int_eq(render_png_read(path, &back), WM_EFORMAT);
    ck_assert_ptr_eq(back, (void *)(uintptr_t)0x1);
    remove(path);
    remove(dir);
}
END_TEST

/* ---- text fixtures ------------------------------------------------------ */

static i18n_fonts_t *fonts;
static i18n_layout_t *layout;

static void text_setup(void)
{
    ck_assert_int_eq(i18n_fonts_create(NULL, &fonts), WM_OK);
    ck_assert_int_eq(i18n_layout_create(fonts, &layout), WM_OK);
}

static void text_teardown(void)
{
    i18n_layout_destroy(layout);
    i18n_fonts_destroy(fonts);
    layout = NULL;
    fonts = NULL;
}

static void lay_out(i18n_text_t *t, const char *lang, const char *s, float size, float width)
{
    i18n_layout_params_t p = i18n_layout_params_default();

    p.lang = lang;
    p.size_px = size;
    p.max_width = width;
    ck_assert_msg(i18n_layout_text(layout, &p, s, strlen(s), t) == WM_OK, "layout: %s",
                  wm_last_error());
}

/* A corpus file's language and its first paragraph that is not a heading
 * (both in static storage). */
static const char *corpus_paragraph(const char *file, char *lang, size_t lang_size)
{
    static char para[16384];
    char path[PATH_MAX];
    char *text, *line, *save = NULL;

    snprintf(path, sizeof(path), "%s/%s", tu_corpus_dir(), file);
    text = tu_read_file(path, NULL);
    ck_assert_msg(text != NULL, "cannot read %s", path);
    para[0] = '\0';
    lang[0] = '\0';
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "# lang: ", 8) == 0)
            snprintf(lang, lang_size, "%s", line + 8);
        else if (line[0] != '#' && line[0] != '=' && line[0] != '\0') {
            snprintf(para, sizeof(para), "%s", line);
            break;
        }
    }
    free(text);
    ck_assert_msg(lang[0] && para[0], "%s: no lang header or paragraph", file);
    return para;
}

static bool is_ink(render_color_t c)
{
    return c.r < 250 || c.g < 250 || c.b < 250;
}

/* ---- glyph cache -------------------------------------------------------- */

START_TEST(glyph_cache_counts_hits_and_misses)
{
    render_glyph_cache_t *cache = NULL;
    render_glyph_cache_stats_t st;
    render_canvas_t *c = NULL, *c2 = NULL;
    i18n_text_t t;

    i18n_text_init(&t);
    lay_out(&t, "en", "Hello, waymark", 24, 0);
    ck_assert_int_eq(render_glyph_cache_create(fonts, 1 << 20, &cache), WM_OK);
    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_A8, 300, 60, &c), WM_OK);
    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_A8, 300, 60, &c2), WM_OK);
    render_canvas_draw_text(c, cache, &t, 4, 4, RENDER_RGBA(0, 0, 0, 255));
    render_glyph_cache_stats(cache, &st);
    ck_assert_uint_gt(st.misses, 0);
    ck_assert_uint_le(st.misses, t.glyph_count);
    ck_assert_uint_eq(st.hits + st.misses, t.glyph_count);
    ck_assert_uint_eq(st.entries, st.misses);
    ck_assert_uint_gt(st.bytes, 0);
    ck_assert_uint_eq(st.peak_bytes, st.bytes);
    ck_assert_uint_eq(st.max_bytes, 1 << 20);
    /* Drawn again at the same subpixel positions: all hits, same pixels. */
    render_canvas_draw_text(c2, cache, &t, 4, 4, RENDER_RGBA(0, 0, 0, 255));
    {
        render_glyph_cache_stats_t st2;
        render_glyph_cache_stats(cache, &st2);
        ck_assert_uint_eq(st2.misses, st.misses);
        ck_assert_uint_eq(st2.hits, st.hits + t.glyph_count);
        ck_assert_uint_eq(st2.evictions, 0);
    }
    ck_assert_int_eq(memcmp(c->pixels, c2->pixels, (size_t)c->stride * c->height), 0);
    render_canvas_destroy(c2);
    render_canvas_destroy(c);
    render_glyph_cache_destroy(cache);
    i18n_text_free(&t);
}
END_TEST

/* Over a whole corpus file with a small bound: never above the bound,
 * evictions happen, and a paragraph drawn after its glyphs were evicted
 * looks exactly as before (and as with a roomy cache). */
static void check_bound(const char *file, const char *lang, size_t bound)
{
    char path[PATH_MAX];
    render_glyph_cache_t *small = NULL, *big = NULL;
    render_glyph_cache_stats_t st;
    render_canvas_t *first = NULL, *again = NULL, *roomy = NULL;
    i18n_text_t t;
    char *text, *line, *save = NULL;
    char *para0 = NULL;
    int paras = 0;

    snprintf(path, sizeof(path), "%s/%s", tu_corpus_dir(), file);
    text = tu_read_file(path, NULL);
    ck_assert_ptr_nonnull(text);
    i18n_text_init(&t);
    ck_assert_int_eq(render_glyph_cache_create(fonts, bound, &small), WM_OK);
    ck_assert_int_eq(render_glyph_cache_create(fonts, 8 << 20, &big), WM_OK);
    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_A8, 1000, 900, &first), WM_OK);
    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_A8, 1000, 900, &again), WM_OK);
    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_A8, 1000, 900, &roomy), WM_OK);
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#')
            continue;
        if (line[0] == '=' && line[1] == ' ')
            line += 2;
        lay_out(&t, lang, line, 28, 1000);
        render_canvas_draw_text(paras == 0 ? first : again, small, &t, 0, 0,
                                RENDER_RGBA(0, 0, 0, 255));
        if (!para0)
            para0 = line;
        render_glyph_cache_stats(small, &st);
        ck_assert_uint_le(st.bytes, bound);
        ck_assert_uint_le(st.peak_bytes, bound);
        paras++;
    }
    ck_assert_int_gt(paras, 50);
    ck_assert_uint_gt(st.evictions, 0);
    ck_assert_uint_gt(st.peak_bytes, bound / 2);
    /* The first paragraph again, its glyphs long evicted. */
    memset(again->pixels, 0, (size_t)again->stride * again->height);
    lay_out(&t, lang, para0, 28, 1000);
    render_canvas_draw_text(again, small, &t, 0, 0, RENDER_RGBA(0, 0, 0, 255));
    render_canvas_draw_text(roomy, big, &t, 0, 0, RENDER_RGBA(0, 0, 0, 255));
    ck_assert_int_eq(memcmp(first->pixels, again->pixels, (size_t)first->stride * first->height),
                     0);
    ck_assert_int_eq(memcmp(first->pixels, roomy->pixels, (size_t)first->stride * first->height),
                     0);
    render_canvas_destroy(first);
    render_canvas_destroy(again);
    render_canvas_destroy(roomy);
    render_glyph_cache_destroy(small);
    render_glyph_cache_destroy(big);
    i18n_text_free(&t);
    free(text);
}

START_TEST(glyph_cache_stays_within_bound_over_corpus)
{
    check_bound("am.txt", "am", 16 << 10);
    check_bound("ur.txt", "ur", 32 << 10);
}
END_TEST

START_TEST(glyph_cache_never_caches_a_glyph_bigger_than_bound)
{
    render_glyph_cache_t *tiny = NULL, *big = NULL;
    render_glyph_cache_stats_t st;
    render_canvas_t *a = NULL, *b = NULL;
    i18n_text_t t;

    i18n_text_init(&t);
    lay_out(&t, "en", "Wg", 48, 0);
    ck_assert_int_eq(render_glyph_cache_create(fonts, 64, &tiny), WM_OK);
    ck_assert_int_eq(render_glyph_cache_create(fonts, 1 << 20, &big), WM_OK);
    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_A8, 120, 80, &a), WM_OK);
    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_A8, 120, 80, &b), WM_OK);
    render_canvas_draw_text(a, tiny, &t, 2, 2, RENDER_RGBA(0, 0, 0, 255));
    render_canvas_draw_text(a, tiny, &t, 2, 2, RENDER_RGBA(0, 0, 0, 255));
    render_canvas_draw_text(b, big, &t, 2, 2, RENDER_RGBA(0, 0, 0, 255));
    render_glyph_cache_stats(tiny, &st);
    ck_assert_uint_eq(st.bytes, 0);
    ck_assert_uint_eq(st.peak_bytes, 0);
    ck_assert_uint_eq(st.hits, 0);
    ck_assert_uint_eq(st.misses, 2 * t.glyph_count);
    ck_assert_int_eq(memcmp(a->pixels, b->pixels, (size_t)a->stride * a->height), 0);
    ck_assert_uint_gt(st.misses, 0);
    render_canvas_destroy(a);
    render_canvas_destroy(b);
    render_glyph_cache_destroy(tiny);
    render_glyph_cache_destroy(big);
    i18n_text_free(&t);
}
END_TEST

/* Opaque text on A8 blends cached rows 16 bytes at a time where they fit
 * the canvas and pixel by pixel where they are clipped: both give the same
 * pixels, and nothing right of a glyph's ink (its zero padding) changes. */
START_TEST(a8_whole_rows_and_clipped_rows_draw_the_same)
{
    static const char *const langs[] = {"en", "ar", "my"};
    render_glyph_cache_t *cache = NULL;
    size_t i;

    ck_assert_int_eq(render_glyph_cache_create(fonts, 1 << 20, &cache), WM_OK);
    for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
        const char *para;
        char lang[16], file[32];
        render_canvas_t *narrow = NULL, *wide = NULL;
        i18n_text_t t;
        int x, y, ink = 0;

        snprintf(file, sizeof(file), "%s.txt", langs[i]);
        para = corpus_paragraph(file, lang, sizeof(lang));
        i18n_text_init(&t);
        lay_out(&t, lang, para, 28, 300);
        ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_A8, 290, (int)t.height + 4, &narrow),
                         WM_OK);
        ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_A8, 340, (int)t.height + 4, &wide),
                         WM_OK);
        render_canvas_clear(narrow, RENDER_RGBA(0, 0, 0, 40));
        render_canvas_clear(wide, RENDER_RGBA(0, 0, 0, 40));
        render_canvas_draw_text(narrow, cache, &t, 0.3f, 1, RENDER_RGBA(0, 0, 0, 255));
        render_canvas_draw_text(wide, cache, &t, 0.3f, 1, RENDER_RGBA(0, 0, 0, 255));
        for (y = 0; y < narrow->height; y++)
            for (x = 0; x < narrow->width; x++) {
                uint8_t a = narrow->pixels[(size_t)y * narrow->stride + x];

                ck_assert_msg(a == wide->pixels[(size_t)y * wide->stride + x],
                              "%s: pixel %d,%d: %u vs %u", lang, x, y, a,
                              wide->pixels[(size_t)y * wide->stride + x]);
                ink += a > 40;
            }
        /* right of the text box only the background */
        for (y = 0; y < wide->height; y++)
            for (x = 302; x < wide->width; x++)
                ck_assert_uint_eq(wide->pixels[(size_t)y * wide->stride + x], 40);
        ck_assert_int_gt(ink, 500);
        render_canvas_destroy(narrow);
        render_canvas_destroy(wide);
        i18n_text_free(&t);
    }
    render_glyph_cache_destroy(cache);
}
END_TEST

/* ---- drawing text ------------------------------------------------------- */

/* Ink only inside the lines' boxes (1 px antialiasing slack), and some. */
static void assert_ink_inside_lines(const render_canvas_t *c, const i18n_text_t *t, int ox, int oy)
{
    int x, y, inked = 0;
    size_t l;

    for (y = 0; y < c->height; y++)
        for (x = 0; x < c->width; x++) {
            bool inside = false;
            if (!is_ink(render_canvas_get(c, x, y)))
                continue;
            inked++;
            for (l = 0; l < t->line_count; l++) {
                const i18n_line_t *ln = &t->lines[l];
                if (x >= ox + ln->x - 1 && x <= ox + ln->x + ln->width + 1 &&
                    y >= oy + ln->baseline - ln->ascent - 1 &&
                    y <= oy + ln->baseline + ln->descent + 1)
                    inside = true;
            }
            ck_assert_msg(inside, "ink at %d,%d outside every line box", x, y);
        }
    ck_assert_int_gt(inked, 10);
}

START_TEST(draw_text_latin_ink_stays_inside_line_box)
{
    /* (No line may end in 'f': its hook overhangs the advance by design.) */
    const char *samples[] = {"l", "Hamburgefonstiv", "Right to asylum: free, no documents."};
    const float widths[] = {240, 0, 240};
    render_glyph_cache_t *cache = NULL;
    i18n_text_t t;
    size_t i;

    i18n_text_init(&t);
    ck_assert_int_eq(render_glyph_cache_create(fonts, 1 << 20, &cache), WM_OK);
    for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        render_canvas_t *c = NULL;
        lay_out(&t, "en", samples[i], 40, widths[i]);
        ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_RGBA8, 400, 260, &c), WM_OK);
        render_canvas_clear(c, RENDER_RGBA(255, 255, 255, 255));
        render_canvas_draw_text(c, cache, &t, 20, 30, RENDER_RGBA(0, 0, 0, 255));
        assert_ink_inside_lines(c, &t, 20, 30);
        render_canvas_destroy(c);
    }
    /* 'l' is a vertical stem: its darkest column is fully dark. */
    {
        render_canvas_t *c = NULL;
        int x, y, dark = 0;
        lay_out(&t, "en", "l", 40, 0);
        ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_RGBA8, 60, 80, &c), WM_OK);
        render_canvas_clear(c, RENDER_RGBA(255, 255, 255, 255));
        render_canvas_draw_text(c, cache, &t, 10, 10, RENDER_RGBA(0, 0, 0, 255));
        for (y = 0; y < 80; y++)
            for (x = 0; x < 60; x++)
                dark += render_canvas_get(c, x, y).r == 0;
        ck_assert_int_gt(dark, 40); /* a stem of ~30 px, more than a px wide */
        render_canvas_destroy(c);
    }
    /* Clipped at the canvas edges without harm. */
    {
        render_canvas_t *c = NULL;
        lay_out(&t, "en", "Hamburgefonstiv", 40, 0);
        ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_RGBA8, 50, 20, &c), WM_OK);
        render_canvas_draw_text(c, cache, &t, -30, -25, RENDER_RGBA(0, 0, 0, 255));
        render_canvas_draw_text(c, cache, &t, 40, 10, RENDER_RGBA(0, 0, 0, 255));
        render_canvas_draw_text(c, cache, &t, 4000, -4000, RENDER_RGBA(0, 0, 0, 255));
        render_canvas_destroy(c);
    }
    render_glyph_cache_destroy(cache);
    i18n_text_free(&t);
}
END_TEST

START_TEST(draw_text_rtl_arabic_ink_is_at_the_right)
{
    char lang[16];
    const char *para = corpus_paragraph("ar.txt", lang, sizeof(lang));
    render_glyph_cache_t *cache = NULL;
    render_canvas_t *c = NULL;
    i18n_text_t t;
    int x, y, min_x = INT_MAX, max_x = -1, last_min_x = INT_MAX;
    const i18n_line_t *last;

    i18n_text_init(&t);
    lay_out(&t, lang, para, 28, 500);
    ck_assert(t.rtl);
    ck_assert_uint_ge(t.line_count, 2);
    last = &t.lines[t.line_count - 1];
    ck_assert_float_lt(last->width, 400); /* the last line is short */
    ck_assert_int_eq(render_glyph_cache_create(fonts, 1 << 20, &cache), WM_OK);
    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_RGBA8, 600, (int)t.height + 40, &c), WM_OK);
    render_canvas_clear(c, RENDER_RGBA(255, 255, 255, 255));
    render_canvas_draw_text(c, cache, &t, 50, 20, RENDER_RGBA(0, 0, 0, 255));
    assert_ink_inside_lines(c, &t, 50, 20);
    for (y = 0; y < c->height; y++)
        for (x = 0; x < c->width; x++)
            if (is_ink(render_canvas_get(c, x, y))) {
                if (x < min_x)
                    min_x = x;
                if (x > max_x)
                    max_x = x;
                if (y >= 20 + last->baseline - last->ascent && x < last_min_x)
                    last_min_x = x;
            }
    /* The box is x 50..550: every line ends at its right edge. */
    ck_assert_int_ge(max_x, 550 - 3);
    ck_assert_int_le(max_x, 550 + 1);
    ck_assert_int_ge(min_x, 50 - 1);
    /* The short last line hangs from the right, far from the left edge. */
    ck_assert_int_gt(last_min_x, 50 + 500 - (int)last->width - 4);
    ck_assert_int_gt(last_min_x, 150);
    render_canvas_destroy(c);
    render_glyph_cache_destroy(cache);
    i18n_text_free(&t);
}
END_TEST

START_TEST(draw_text_mono1_is_thresholded_coverage)
{
    render_glyph_cache_t *cache = NULL;
    render_canvas_t *m = NULL, *a = NULL;
    i18n_text_t t;
    int x, y, black = 0;

    i18n_text_init(&t);
    lay_out(&t, "am", "ሁሉም ሰው የመኖር፣ የነጻነትና የአካል ደህንነት መብት አለው።", 24, 376);
    ck_assert_int_eq(render_glyph_cache_create(fonts, 1 << 20, &cache), WM_OK);
    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_MONO1, 384, (int)t.height + 8, &m), WM_OK);
    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_A8, 384, (int)t.height + 8, &a), WM_OK);
    render_canvas_draw_text(m, cache, &t, 4, 4, RENDER_RGBA(0, 0, 0, 255));
    render_canvas_draw_text(a, cache, &t, 4, 4, RENDER_RGBA(0, 0, 0, 255));
    for (y = 0; y < m->height; y++)
        for (x = 0; x < m->width; x++) {
            render_color_t c = render_canvas_get(m, x, y);
            bool is_black = c.r == 0 && c.g == 0 && c.b == 0 && c.a == 255;
            ck_assert(is_black || (c.r == 255 && c.g == 255 && c.b == 255 && c.a == 255));
            ck_assert_msg(is_black == (a->pixels[y * a->stride + x] >= 128),
                          "pixel %d,%d: mono %d, coverage %d", x, y, is_black,
                          a->pixels[y * a->stride + x]);
            black += is_black;
        }
    ck_assert_int_gt(black, 500);
    render_canvas_destroy(m);
    render_canvas_destroy(a);
    render_glyph_cache_destroy(cache);
    i18n_text_free(&t);
}
END_TEST

START_TEST(draw_text_rgba_blends_color_over_background)
{
    render_glyph_cache_t *cache = NULL;
    render_canvas_t *c = NULL;
    i18n_text_t t;
    int x, y, full = 0;

    i18n_text_init(&t);
    lay_out(&t, "en", "IIII", 40, 0);
    ck_assert_int_eq(render_glyph_cache_create(fonts, 1 << 20, &cache), WM_OK);
    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_RGBA8, 120, 70, &c), WM_OK);
    render_canvas_clear(c, RENDER_RGBA(0, 0, 255, 255));
    render_canvas_draw_text(c, cache, &t, 5, 5, RENDER_RGBA(255, 0, 0, 255));
    for (y = 0; y < c->height; y++)
        for (x = 0; x < c->width; x++) {
            render_color_t p = render_canvas_get(c, x, y);
            ck_assert_int_eq(p.a, 255);
            ck_assert_int_eq(p.g, 0);
            ck_assert_int_le(abs((int)p.r + (int)p.b - 255), 1); /* a mix of the two */
            full += p.r == 255;
        }
    ck_assert_int_gt(full, 100);
    render_canvas_destroy(c);
    render_glyph_cache_destroy(cache);
    i18n_text_free(&t);
}
END_TEST

/* ---- SDL screen --------------------------------------------------------- */

/* Draws text on a software renderer over an RGBA surface and on an RGBA8
 * canvas, both white, and counts pixels whose darkness differs by more
 * than `tol` levels. */
/* Draws s on an SDL software renderer through the atlas and on a canvas,
 * cold then warm, and asserts the same ink; *stats (may be NULL) gets the
 * atlas's counters after the cold pass. */
static void screen_vs_canvas(const char *lang, const char *s, float size, float width, int w, int h,
                             render_screen_atlas_stats_t *stats)
{
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGBA32);
    SDL_Renderer *r;
    render_glyph_cache_t *cache = NULL;
    render_screen_t *screen = NULL;
    render_canvas_t *c = NULL;
    i18n_text_t t;
    int x, y, bad = 0, ink_s = 0, ink_c = 0, pass;

    ck_assert_ptr_nonnull(surf);
    r = SDL_CreateSoftwareRenderer(surf);
    ck_assert_msg(r != NULL, "%s", SDL_GetError());
    i18n_text_init(&t);
    lay_out(&t, lang, s, size, width);
    ck_assert_int_eq(render_glyph_cache_create(fonts, 4 << 20, &cache), WM_OK);
    ck_assert_int_eq(render_screen_create(r, cache, &screen), WM_OK);
    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_RGBA8, w, h, &c), WM_OK);
    render_canvas_clear(c, RENDER_RGBA(255, 255, 255, 255));
    render_canvas_draw_text(c, cache, &t, 10, 10, RENDER_RGBA(20, 20, 20, 255));
    /* Twice: a cold atlas, then a warm one. */
    for (pass = 0; pass < 2; pass++) {
        bad = ink_s = ink_c = 0;
        render_screen_fill_rect(screen, 0, 0, w, h, RENDER_RGBA(255, 255, 255, 255));
        render_screen_draw_text(screen, &t, 10, 10, RENDER_RGBA(20, 20, 20, 255));
        SDL_RenderFlush(r);
        if (pass == 0 && stats)
            render_screen_atlas_stats(screen, stats);
        ck_assert_int_eq(SDL_LockSurface(surf), 0);
        for (y = 0; y < h; y++)
            for (x = 0; x < w; x++) {
                const uint8_t *p = (const uint8_t *)surf->pixels + y * surf->pitch + x * 4;
                render_color_t q = render_canvas_get(c, x, y);
                int d = abs((int)p[0] - (int)q.r);
                if (d > 8)
                    bad++;
                ink_s += p[0] < 128;
                ink_c += q.r < 128;
            }
        SDL_UnlockSurface(surf);
        ck_assert_int_gt(ink_c, 100);
        ck_assert_msg(bad <= w * h / 1000, "%s pass %d: %d pixels differ by more than 8 levels",
                      lang, pass, bad);
        ck_assert_int_le(abs(ink_s - ink_c), ink_c / 100 + 2);
    }
    render_canvas_destroy(c);
    render_screen_destroy(screen);
    render_glyph_cache_destroy(cache);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(surf);
    i18n_text_free(&t);
}

START_TEST(screen_draws_the_same_ink_as_the_canvas)
{
    char lang[16];
    const char *para = corpus_paragraph("fa.txt", lang, sizeof(lang));

    render_screen_atlas_stats_t st;

    screen_vs_canvas("en", "Free legal aid: open now, no documents needed.", 28, 600, 640, 120,
                     &st);
    /* small text: no reset, each distinct glyph once */
    ck_assert_uint_eq(st.resets, 0);
    ck_assert_uint_gt(st.used, 15);
    ck_assert_uint_lt(st.used, 60);
    screen_vs_canvas(lang, para, 28, 700, 720, 400, NULL);
}
END_TEST

START_TEST(screen_atlas_refills_when_full)
{
    /* At 200 px the 62 letters and digits (about 130 x 150 px each) take
     * more than a 1024 px atlas, so it is reset in the middle of the text;
     * the result must still match. */
    render_screen_atlas_stats_t st;

    screen_vs_canvas("en", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 200,
                     1800, 1900, 1600, &st);
    ck_assert_uint_ge(st.resets, 1);
    ck_assert_uint_gt(st.used, 0);
    ck_assert_uint_lt(st.used, 62);
    ck_assert_int_le(st.used_height, st.height);
    ck_assert_int_gt(st.capacity, 62);
}
END_TEST

/* Draws t through a fresh atlas on the software renderer r; the pixels of
 * surf after it. */
static wm_status_t screen_draw_once(SDL_Renderer *r, render_glyph_cache_t *cache,
                                    const i18n_text_t *t, render_screen_t **screen)
{
    wm_status_t st = render_screen_create(r, cache, screen);

    if (st != WM_OK)
        return st;
    render_screen_fill_rect(*screen, 0, 0, 400, 50, RENDER_RGBA(255, 255, 255, 255));
    render_screen_draw_text(*screen, t, 2, 2, RENDER_RGBA(0, 0, 0, 255));
    SDL_RenderFlush(r);
    return WM_OK;
}

/* Every allocation failing in turn, one at a time until the whole path
 * (glyph cache, canvas, drawing, PNG, screen atlas) goes through: errors,
 * never crashes or leaks, and once memory is back the pixels are right. */
START_TEST(out_of_memory_fails_cleanly)
{
    const char *dir = tu_tmpdir();
    char path[PATH_MAX];
    render_glyph_cache_t *ref_cache = NULL;
    render_canvas_t *ref = NULL;
    render_screen_t *ref_screen = NULL;
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, 400, 50, 32, SDL_PIXELFORMAT_RGBA32);
    SDL_Renderer *r = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    uint8_t *ref_screen_px;
    size_t screen_bytes;
    i18n_text_t t;
    long n;
    int failures = 0;
    bool clean = false;

    ck_assert_msg(r != NULL, "%s", SDL_GetError());
    screen_bytes = (size_t)surf->pitch * (size_t)surf->h;
    ref_screen_px = malloc(screen_bytes);
    ck_assert_ptr_nonnull(ref_screen_px);
    snprintf(path, sizeof(path), "%s/oom.png", dir);
    i18n_text_init(&t);
    lay_out(&t, "en", "Shelter, food, legal aid", 24, 0);
    ck_assert_int_eq(render_glyph_cache_create(fonts, 1 << 20, &ref_cache), WM_OK);
    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_A8, 400, 50, &ref), WM_OK);
    render_canvas_draw_text(ref, ref_cache, &t, 2, 2, RENDER_RGBA(0, 0, 0, 255));
    ck_assert_int_eq(screen_draw_once(r, ref_cache, &t, &ref_screen), WM_OK);
    memcpy(ref_screen_px, surf->pixels, screen_bytes);
    render_screen_destroy(ref_screen);
    for (n = 0; n < 10000 && !clean; n++) {
        render_glyph_cache_t *cache = (render_glyph_cache_t *)(uintptr_t)0x1;
        render_canvas_t *c = (render_canvas_t *)(uintptr_t)0x1;
        render_screen_t *screen = NULL;
        wm_status_t st1, st2, st3 = WM_ENOMEM, st4 = WM_ENOMEM;
        bool drawn_whole = false, screen_whole = false;

        wm_fault_alloc_after(n);
        st1 = render_glyph_cache_create(fonts, 1 << 20, &cache);
        st2 = render_canvas_create(RENDER_FORMAT_A8, 400, 50, &c);
        if (st1 == WM_OK && st2 == WM_OK) {
            render_canvas_draw_text(c, cache, &t, 2, 2, RENDER_RGBA(0, 0, 0, 255));
            drawn_whole = memcmp(c->pixels, ref->pixels, (size_t)c->stride * c->height) == 0;
            st3 = render_png_write(path, c);
            st4 = screen_draw_once(r, cache, &t, &screen);
            screen_whole = st4 == WM_OK && memcmp(surf->pixels, ref_screen_px, screen_bytes) == 0;
        }
        wm_fault_reset();
        if (st1 != WM_OK)
            ck_assert_ptr_eq(cache, (void *)(uintptr_t)0x1);
        if (st2 != WM_OK)
            ck_assert_ptr_eq(c, (void *)(uintptr_t)0x1);
        ck_assert(st1 == WM_OK || st1 == WM_ENOMEM);
        ck_assert(st2 == WM_OK || st2 == WM_ENOMEM);
        ck_assert_msg(st3 == WM_OK || st3 == WM_ENOMEM, "png: %s", wm_last_error());
        ck_assert(st4 == WM_OK || st4 == WM_ENOMEM);
        if (st1 == WM_OK && st2 == WM_OK) {
            /* Glyphs whose bitmaps could not be allocated are missing;
             * drawn again with memory back, everything is there. */
            memset(c->pixels, 0, (size_t)c->stride * c->height);
            render_canvas_draw_text(c, cache, &t, 2, 2, RENDER_RGBA(0, 0, 0, 255));
            ck_assert_int_eq(memcmp(c->pixels, ref->pixels, (size_t)c->stride * c->height), 0);
            if (screen) {
                render_screen_fill_rect(screen, 0, 0, 400, 50, RENDER_RGBA(255, 255, 255, 255));
                render_screen_draw_text(screen, &t, 2, 2, RENDER_RGBA(0, 0, 0, 255));
                SDL_RenderFlush(r);
                ck_assert_int_eq(memcmp(surf->pixels, ref_screen_px, screen_bytes), 0);
            }
        }
        clean = drawn_whole && st3 == WM_OK && screen_whole;
        failures += !clean;
        render_screen_destroy(screen);
        if (st1 == WM_OK)
            render_glyph_cache_destroy(cache);
        if (st2 == WM_OK)
            render_canvas_destroy(c);
    }
    ck_assert(clean);
    ck_assert_int_gt(failures, 10);
    printf("render path: %d allocation failures checked\n", failures);
    remove(path);
    remove(dir);
    free(ref_screen_px);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(surf);
    render_canvas_destroy(ref);
    render_glyph_cache_destroy(ref_cache);
    i18n_text_free(&t);
}
END_TEST

/* ---- golden images ------------------------------------------------------ */

static const char *const golden_files[] = {
    "am.txt", "ar.txt", "bn.txt", "ckb-Latn.txt", "en.txt", "es.txt", "fa.txt",
    "fr.txt", "my.txt", "ps.txt", "so.txt",       "ti.txt", "uk.txt", "ur.txt",
};

/* <build>/golden-out, from the waymark binary's path <build>/kiosk/waymark. */
static void golden_out_dir(char *out, size_t size)
{
    char *slash;

    snprintf(out, size, "%s", WAYMARK_BINARY);
    slash = strrchr(out, '/');
    if (slash)
        *slash = '\0';
    slash = strrchr(out, '/');
    if (slash)
        *slash = '\0';
    snprintf(out + strlen(out), size - strlen(out), "/golden-out");
}

/* The paragraph as `waymark text render` draws it: width 1000 + margins,
 * dark text on white. */
static render_canvas_t *golden_render(const char *lang, const char *para)
{
    render_glyph_cache_t *cache = NULL;
    render_canvas_t *c = NULL;
    i18n_text_t t;

    i18n_text_init(&t);
    lay_out(&t, lang, para, 28, 1000);
    ck_assert_int_eq(render_glyph_cache_create(fonts, 4 << 20, &cache), WM_OK);
    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_RGBA8, 1000 + 2 * MARGIN,
                                          (int)(t.height + 0.999f) + 2 * MARGIN, &c),
                     WM_OK);
    render_canvas_clear(c, RENDER_RGBA(255, 255, 255, 255));
    render_canvas_draw_text(c, cache, &t, MARGIN, MARGIN, RENDER_RGBA(0x1a, 0x1a, 0x1a, 255));
    render_glyph_cache_destroy(cache);
    i18n_text_free(&t);
    return c;
}

START_TEST(golden_first_paragraph_of_each_language)
{
    const char *file = golden_files[_i];
    const char *update = getenv("WAYMARK_GOLDEN_UPDATE");
    char lang[16], expected_path[PATH_MAX], dir[PATH_MAX], path[PATH_MAX + 32];
    const char *para = corpus_paragraph(file, lang, sizeof(lang));
    render_canvas_t *actual = golden_render(lang, para), *expected = NULL, *diff = NULL;
    long x, y, over = 0, total, worst = 0;
    int dw, dh;

    snprintf(expected_path, sizeof(expected_path), "%s/golden/%s.png", WAYMARK_TEST_DIR, lang);
    if (update && *update && strcmp(update, "0") != 0) {
        ck_assert_int_eq(render_png_write(expected_path, actual), WM_OK);
        render_canvas_destroy(actual);
        return;
    }
    ck_assert_msg(render_png_read(expected_path, &expected) == WM_OK,
                  "%s (regenerate with "
                  "WAYMARK_GOLDEN_UPDATE=1)",
                  wm_last_error());
    /* Compared over the union of both sizes: a pixel only one image has
     * (out of range reads as transparent) differs. The diff shows
     * differences in red over the expected ink in gray. */
    dw = actual->width > expected->width ? actual->width : expected->width;
    dh = actual->height > expected->height ? actual->height : expected->height;
    total = (long)dw * dh;
    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_RGBA8, dw, dh, &diff), WM_OK);
    render_canvas_clear(diff, RENDER_RGBA(255, 255, 255, 255));
    for (y = 0; y < dh; y++)
        for (x = 0; x < dw; x++) {
            render_color_t a = render_canvas_get(actual, (int)x, (int)y);
            render_color_t e = render_canvas_get(expected, (int)x, (int)y);
            int d = abs(a.r - e.r);
            if (abs(a.g - e.g) > d)
                d = abs(a.g - e.g);
            if (abs(a.b - e.b) > d)
                d = abs(a.b - e.b);
            if (abs(a.a - e.a) > d)
                d = abs(a.a - e.a);
            if (d > worst)
                worst = d;
            if (d > 2) {
                over++;
                render_canvas_fill_rect(diff, (int)x, (int)y, 1, 1,
                                        RENDER_RGBA(255, 0, 0, (uint8_t)(d < 96 ? 96 : d)));
            } else if (e.r < 128) {
                render_canvas_fill_rect(diff, (int)x, (int)y, 1, 1,
                                        RENDER_RGBA(190, 190, 190, 255));
            }
        }
    /* Up to 2 levels anywhere (FreeType patch releases), more on <= 0.1%. */
    if (over * 1000 > total) {
        golden_out_dir(dir, sizeof(dir));
        mkdir(dir, 0755);
        snprintf(path, sizeof(path), "%s/%s.actual.png", dir, lang);
        ck_assert_int_eq(render_png_write(path, actual), WM_OK);
        snprintf(path, sizeof(path), "%s/%s.diff.png", dir, lang);
        ck_assert_int_eq(render_png_write(path, diff), WM_OK);
        ck_abort_msg("%s: %ld of %ld pixels differ by more than 2 levels (worst %ld; sizes "
                     "%dx%d vs expected %dx%d); see %s/%s.actual.png and .diff.png",
                     lang, over, total, worst, actual->width, actual->height, expected->width,
                     expected->height, dir, lang);
    }
    render_canvas_destroy(diff);
    render_canvas_destroy(expected);
    render_canvas_destroy(actual);
}
END_TEST

/* Once warm, a frame allocates nothing: with every allocation made to fail,
 * laying out the same paragraphs again and drawing them on a canvas and on
 * the screen still succeeds and gives the same pixels. */
START_TEST(warm_layout_and_drawing_do_not_allocate)
{
    static const struct {
        const char *lang, *text;
    } paras[] = {
        {"en", "Free. No documents needed. Open now: 09:00–17:00."},
        {"ar", "معلومات عن حقوقك والخدمات القريبة منك (مجاناً) +49 30 1234567"},
        {"ur", "آپ کے حقوق اور خدمات کے بارے میں معلومات"},
        {"ti", "ብዛዕባ መሰላትኩምን ኣብ ጥቓኹም ዘለዉ ኣገልግሎታትን ሓበሬታ።"},
        {"my", "လူတိုင်းသည် တူညီသော အခွင့်အရေးများ ရှိသည်။"},
    };
    enum { N = sizeof(paras) / sizeof(paras[0]), W = 700, H = 140 };
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_RGBA32);
    SDL_Renderer *r = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    render_glyph_cache_t *cache = NULL;
    render_screen_t *screen = NULL;
    render_canvas_t *c[N], *again = NULL;
    i18n_layout_params_t p = i18n_layout_params_default();
    i18n_text_t t[N];
    size_t i;

    ck_assert_msg(r != NULL, "%s", SDL_GetError());
    ck_assert_int_eq(render_glyph_cache_create(fonts, 2 << 20, &cache), WM_OK);
    ck_assert_int_eq(render_screen_create(r, cache, &screen), WM_OK);
    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_RGBA8, W, H, &again), WM_OK);
    p.size_px = 28;
    p.max_width = W - 20;
    for (i = 0; i < N; i++) { /* warm up: layout, glyph cache, atlas */
        i18n_text_init(&t[i]);
        p.lang = paras[i].lang;
        ck_assert_int_eq(i18n_layout_text(layout, &p, paras[i].text, strlen(paras[i].text), &t[i]),
                         WM_OK);
        ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_RGBA8, W, H, &c[i]), WM_OK);
        render_canvas_clear(c[i], RENDER_RGBA(255, 255, 255, 255));
        render_canvas_draw_text(c[i], cache, &t[i], 10, 10, RENDER_RGBA(0, 0, 0, 255));
        render_screen_draw_text(screen, &t[i], 10, 10, RENDER_RGBA(0, 0, 0, 255));
    }
    for (i = 0; i < N; i++) {
        wm_status_t st;

        p.lang = paras[i].lang;
        wm_fault_alloc_after(0);
        st = i18n_layout_text(layout, &p, paras[i].text, strlen(paras[i].text), &t[i]);
        render_canvas_clear(again, RENDER_RGBA(255, 255, 255, 255));
        render_canvas_draw_text(again, cache, &t[i], 10, 10, RENDER_RGBA(0, 0, 0, 255));
        render_screen_fill_rect(screen, 0, 0, W, H, RENDER_RGBA(255, 255, 255, 255));
        render_screen_draw_text(screen, &t[i], 10, 10, RENDER_RGBA(0, 0, 0, 255));
        wm_fault_reset();
        ck_assert_msg(st == WM_OK, "%s: warm layout allocated: %s", paras[i].lang, wm_last_error());
        ck_assert_msg(memcmp(again->pixels, c[i]->pixels, (size_t)again->stride * H) == 0,
                      "%s: warm drawing differs", paras[i].lang);
    }
    for (i = 0; i < N; i++) {
        i18n_text_free(&t[i]);
        render_canvas_destroy(c[i]);
    }
    render_canvas_destroy(again);
    render_screen_destroy(screen);
    render_glyph_cache_destroy(cache);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(surf);
}
END_TEST

static Suite *render_suite(void)
{
    Suite *s = suite_create("render");
    TCase *tc = tcase_create("canvas");

    tcase_add_test(tc, canvas_rgba_clear_and_fill_set_pixels_inside_rect_only);
    tcase_add_test(tc, canvas_a8_clear_and_fill);
    tcase_add_test(tc, canvas_mono1_is_msb_first_with_black_threshold);
    tcase_add_test(tc, canvas_bad_size_is_refused_and_out_untouched);
    suite_add_tcase(s, tc);
    tc = tcase_create("png");
    tcase_add_test(tc, png_round_trip_keeps_every_pixel);
    tcase_add_test(tc, png_a8_and_mono1_read_back_as_they_get);
    tcase_add_test(tc, png_write_rgba_and_errors);
    suite_add_tcase(s, tc);
    tc = tcase_create("text");
    tcase_add_checked_fixture(tc, text_setup, text_teardown);
    tcase_add_test(tc, glyph_cache_counts_hits_and_misses);
    tcase_add_test(tc, glyph_cache_stays_within_bound_over_corpus);
    tcase_add_test(tc, glyph_cache_never_caches_a_glyph_bigger_than_bound);
    tcase_add_test(tc, a8_whole_rows_and_clipped_rows_draw_the_same);
    tcase_add_test(tc, draw_text_latin_ink_stays_inside_line_box);
    tcase_add_test(tc, draw_text_rtl_arabic_ink_is_at_the_right);
    tcase_add_test(tc, draw_text_mono1_is_thresholded_coverage);
    tcase_add_test(tc, draw_text_rgba_blends_color_over_background);
    tcase_add_test(tc, screen_draws_the_same_ink_as_the_canvas);
    tcase_add_test(tc, screen_atlas_refills_when_full);
    /* only where allocation failures can be injected (scripts/test builds) */
    if (wm_fault_injection_available()) {
        tcase_add_test(tc, out_of_memory_fails_cleanly);
        tcase_add_test(tc, warm_layout_and_drawing_do_not_allocate);
    }
    suite_add_tcase(s, tc);
    tc = tcase_create("golden");
    tcase_add_checked_fixture(tc, text_setup, text_teardown);
    tcase_add_loop_test(tc, golden_first_paragraph_of_each_language, 0,
                        (int)(sizeof(golden_files) / sizeof(golden_files[0])));
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(render_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
