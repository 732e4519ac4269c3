/*
 * render_text.c: drawing laid-out text (i18n_text_t) into a CPU canvas.
 *
 * Each glyph's coverage bitmap comes from the glyph cache at the glyph's
 * quantized subpixel x; its origin is (x + glyph.x, y + glyph.y) with y
 * the baseline rounded to whole pixels. RGBA8 blends the color source-over
 * (straight alpha), A8 keeps the maximum coverage (whole zero-padded 16-byte
 * pieces of cached rows where they fit the canvas), MONO1 turns pixels with
 * coverage >= 50% black (or white, for a light color). Clipped to the
 * canvas.
 */
#include <math.h>

#include "render.h"
#include "render_private.h"

static void blit(render_canvas_t *canvas, const render_glyph_bitmap_t *bm, int x0, int y0,
                 render_color_t color, bool mono_black);
static void max_row(uint8_t *restrict d, const uint8_t *restrict s, int n);
static void max_row16(uint8_t *restrict d, const uint8_t *restrict s, int n);

void render_canvas_draw_text(render_canvas_t *canvas, render_glyph_cache_t *cache,
                             const i18n_text_t *text, float x, float y, render_color_t color)
{
    unsigned lum = (299u * color.r + 587u * color.g + 114u * color.b) / 1000u;
    bool mono_black = lum < 128;
    size_t l, g;

    if (!canvas || !cache || !text || color.a == 0)
        return;
    for (l = 0; l < text->line_count; l++) {
        const i18n_line_t *line = &text->lines[l];
        for (g = line->first_glyph; g < line->first_glyph + line->glyph_count; g++) {
            const i18n_glyph_t *gl = &text->glyphs[g];
            render_glyph_bitmap_t bm;
            int ix, sub = render_subpixel_split(x + gl->x, &ix);
            int iy = (int)lroundf(y + gl->y);

            if (render_glyph_cache_get(cache, gl->font, gl->glyph, text->size_px, sub, &bm) !=
                    WM_OK ||
                bm.width == 0 || bm.height == 0)
                continue;
            blit(canvas, &bm, ix + bm.left, iy - bm.top, color, mono_black);
        }
    }
}

static void blit(render_canvas_t *canvas, const render_glyph_bitmap_t *bm, int x0, int y0,
                 render_color_t color, bool mono_black)
{
    int sx0 = x0 < 0 ? -x0 : 0, sy0 = y0 < 0 ? -y0 : 0;
    int sx1 = bm->width, sy1 = bm->height;
    int sx, sy;
    bool whole;

    if (x0 + sx1 > canvas->width)
        sx1 = canvas->width - x0;
    if (y0 + sy1 > canvas->height)
        sy1 = canvas->height - y0;
    if (sx0 >= sx1 || sy0 >= sy1)
        return;
    /* padded rows that fit the canvas whole: blend them 16 bytes at a time
     * (the zero padding leaves the canvas as it is) */
    whole = sx0 == 0 && bm->pitch % RENDER_ROW_ALIGN == 0 && x0 + bm->pitch <= canvas->width;
    for (sy = sy0; sy < sy1; sy++) {
        const uint8_t *src = bm->pixels + (size_t)sy * (size_t)bm->pitch;
        uint8_t *row = canvas->pixels + (size_t)(y0 + sy) * (size_t)canvas->stride;
        switch (canvas->format) {
        case RENDER_FORMAT_RGBA8:
            for (sx = sx0; sx < sx1; sx++) {
                unsigned a = src[sx];
                if (a == 0)
                    continue;
                if (color.a != 255)
                    a = (a * color.a + 127) / 255;
                render_blend_rgba(row + (size_t)(x0 + sx) * 4, color.r, color.g, color.b, a);
            }
            break;
        case RENDER_FORMAT_A8:
            if (color.a == 255 && whole) {
                max_row16(row + x0, src, bm->pitch);
                break;
            }
            if (color.a == 255) {
                max_row(row + x0 + sx0, src + sx0, sx1 - sx0);
                break;
            }
            for (sx = sx0; sx < sx1; sx++) {
                unsigned a = (src[sx] * color.a + 127) / 255;
                uint8_t *d = row + x0 + sx;
                if (a > *d)
                    *d = (uint8_t)a;
            }
            break;
        case RENDER_FORMAT_MONO1:
            for (sx = sx0; sx < sx1; sx++) {
                unsigned a = (src[sx] * color.a + 127) / 255;
                int px = x0 + sx;
                if (a < 128)
                    continue;
                if (mono_black)
                    row[px >> 3] |= (uint8_t)(0x80u >> (px & 7));
                else
                    row[px >> 3] &= (uint8_t) ~(0x80u >> (px & 7));
            }
            break;
        }
    }
}

/* d = max(d, s): the hot loop of opaque text on A8, kept this simple so
 * compilers vectorize it (GCC does at -O2). */
static void max_row(uint8_t *restrict d, const uint8_t *restrict s, int n)
{
    int i;

    for (i = 0; i < n; i++)
        d[i] = s[i] > d[i] ? s[i] : d[i];
}

/* max_row() for n a multiple of 16: whole 16-byte pieces and no scalar
 * head or tail, which for glyph rows of 10 to 30 pixels cost more than the
 * blending itself. The fixed-length inner loop compiles to one vector max
 * (SSE2 pmaxub, NEON umax). */
static void max_row16(uint8_t *restrict d, const uint8_t *restrict s, int n)
{
    int i, k;

    for (i = 0; i < n; i += 16)
        for (k = 0; k < 16; k++)
            d[i + k] = s[i + k] > d[i + k] ? s[i + k] : d[i + k];
}
