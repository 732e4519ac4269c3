/*
 * render_private.h: what the render/ sources share and the rest of the program does
 * not see: glyph lookups in the cache and pixel helpers.
 */
#ifndef RENDER_PRIVATE_H
#define RENDER_PRIVATE_H

#include <math.h>
#include <stdint.h>

#include "render.h"

/* Subpixel x positions a glyph is rasterized at (1/4 px steps). */
#define RENDER_SUBPIXEL_STEPS 4

/* Cached bitmap rows are zero-padded to a multiple of this many bytes. */
#define RENDER_ROW_ALIGN 16

/* A rasterized glyph: 8-bit coverage, width x height, pitch bytes a row
 * (from the cache: a multiple of RENDER_ROW_ALIGN, the bytes past width
 * zero).
 * left/top place the bitmap relative to the glyph origin snapped to whole
 * pixels: the bitmap's top-left is at (floor(x) + left, round(y) - top). */
typedef struct {
    const uint8_t *pixels; /* owned by the cache; valid until the next lookup */
    int width, height, pitch;
    int left, top;
} render_glyph_bitmap_t;

/* The cache key of a glyph drawn at pen position x: subpixel is the
 * quantized fraction of x (0 .. RENDER_SUBPIXEL_STEPS-1) and *ix the whole
 * pixel part, so the bitmap goes at *ix + left. Inline: it runs for every
 * glyph drawn. */
static inline int render_subpixel_split(float x, int *ix)
{
    float f = floorf(x);
    int s = (int)((x - f) * RENDER_SUBPIXEL_STEPS + 0.5f);

    if (s >= RENDER_SUBPIXEL_STEPS) {
        s = 0;
        f += 1.0f;
    }
    *ix = (int)f;
    return s;
}

/* Looks a glyph up, rasterizing it on a miss. size_px is the em size;
 * subpixel from render_subpixel_split(). An empty glyph (space) gives a
 * 0x0 bitmap. Fails when the font id is unknown or FreeType fails. */
wm_status_t render_glyph_cache_get(render_glyph_cache_t *cache, uint16_t font, uint32_t glyph,
                                   float size_px, int subpixel, render_glyph_bitmap_t *out);

/* Straight-alpha source-over of (r, g, b) at alpha a onto an RGBA8 pixel. */
static inline void render_blend_rgba(uint8_t *d, uint8_t r, uint8_t g, uint8_t b, unsigned a)
{
    unsigned da, t, oa255;

    if (a == 0)
        return;
    if (a >= 255) {
        d[0] = r, d[1] = g, d[2] = b, d[3] = 255;
        return;
    }
    da = d[3];
    if (da == 255) {
        unsigned ia = 255 - a;
        d[0] = (uint8_t)((r * a + d[0] * ia + 127) / 255);
        d[1] = (uint8_t)((g * a + d[1] * ia + 127) / 255);
        d[2] = (uint8_t)((b * a + d[2] * ia + 127) / 255);
        return;
    }
    /* General case: out_a = a + da (1 - a); colors weighted by alpha. */
    t = da * (255 - a);
    oa255 = a * 255 + t;
    d[0] = (uint8_t)((r * a * 255 + d[0] * t + oa255 / 2) / oa255);
    d[1] = (uint8_t)((g * a * 255 + d[1] * t + oa255 / 2) / oa255);
    d[2] = (uint8_t)((b * a * 255 + d[2] * t + oa255 / 2) / oa255);
    d[3] = (uint8_t)((oa255 + 127) / 255);
}

#endif
