/*
 * test_render.c: the render module as a user sees it: canvas pixels in all
 * three formats, PNG files that decode, the glyph cache's bound, drawn text
 * inside its box, the SDL screen matching the CPU canvas, golden images.
 */
#include <check.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "testutil.h"

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
    char path[512];
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
    ck_assert_int_eq(render_png_read("/nonexistent/x.png", &back), WM_ENOENT);
    ck_assert_ptr_eq(back, (void *)(uintptr_t)0x1);
    ck_assert_int_eq(render_png_write_rgba("/nonexistent/x.png", px, 2, 3, 8), WM_EIO);
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
