/*
 * render_canvas.c: CPU canvases: RGBA8 (screenshots), A8 (coverage masks)
 * and MONO1 (the thermal printer's 1-bit raster, MSB first, 1 = black).
 *
 * Fills: clear() sets every pixel to the color as given; fill_rect() paints
 * source-over (RGBA8: straight alpha; A8: coverage a + d (1 - a); MONO1: an
 * opaque-enough dark color sets bits, an opaque-enough light one clears
 * them, a mostly transparent one leaves the paper alone).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "render_private.h"

/* Canvases larger than this in either direction are refused (a bad size is
 * a bug, not a request for gigabytes). */
#define RENDER_CANVAS_MAX_DIM 32768

static bool mono_is_black(render_color_t c);

wm_status_t render_canvas_create(render_format_t format, int width, int height,
                                 render_canvas_t **out)
{
    render_canvas_t *c;
    int stride;

    if (width <= 0 || height <= 0 || width > RENDER_CANVAS_MAX_DIM ||
        height > RENDER_CANVAS_MAX_DIM)
        return wm_error(WM_EINVAL, "canvas: bad size %dx%d", width, height);
    switch (format) {
    case RENDER_FORMAT_RGBA8:
        stride = width * 4;
        break;
    case RENDER_FORMAT_A8:
        stride = width;
        break;
    case RENDER_FORMAT_MONO1:
        stride = (width + 7) / 8;
        break;
    default:
        return wm_error(WM_EINVAL, "canvas: unknown format %d", (int)format);
    }
    c = wm_calloc(1, sizeof(*c));
    if (!c)
        return wm_error(WM_ENOMEM, "canvas: out of memory");
    c->pixels = wm_calloc((size_t)height, (size_t)stride);
    if (!c->pixels) {
        wm_free(c);
        return wm_error(WM_ENOMEM, "canvas: out of memory for %dx%d", width, height);
    }
    c->format = format;
    c->width = width;
    c->height = height;
    c->stride = stride;
    *out = c;
    return WM_OK;
}

void render_canvas_destroy(render_canvas_t *canvas)
{
    if (!canvas)
        return;
    wm_free(canvas->pixels);
    wm_free(canvas);
}

void render_canvas_clear(render_canvas_t *canvas, render_color_t color)
{
    int x, y;

    if (!canvas)
        return;
    switch (canvas->format) {
    case RENDER_FORMAT_RGBA8:
        for (y = 0; y < canvas->height; y++) {
            uint8_t *p = canvas->pixels + (size_t)y * (size_t)canvas->stride;
            for (x = 0; x < canvas->width; x++, p += 4)
                p[0] = color.r, p[1] = color.g, p[2] = color.b, p[3] = color.a;
        }
        break;
    case RENDER_FORMAT_A8:
        memset(canvas->pixels, color.a, (size_t)canvas->height * (size_t)canvas->stride);
        break;
    case RENDER_FORMAT_MONO1:
        memset(canvas->pixels, mono_is_black(color) ? 0xff : 0x00,
               (size_t)canvas->height * (size_t)canvas->stride);
        break;
    }
}

void render_canvas_fill_rect(render_canvas_t *canvas, int x, int y, int w, int h,
                             render_color_t color)
{
    int x0, y0, x1, y1, i, j;

    if (!canvas || w <= 0 || h <= 0)
        return;
    /* Clip in 64 bits so x + w cannot overflow. */
    x0 = x < 0 ? 0 : x;
    y0 = y < 0 ? 0 : y;
    x1 = (long long)x + w > canvas->width ? canvas->width : x + w;
    y1 = (long long)y + h > canvas->height ? canvas->height : y + h;
    if (x0 >= x1 || y0 >= y1)
        return;
    switch (canvas->format) {
    case RENDER_FORMAT_RGBA8:
        for (j = y0; j < y1; j++) {
            uint8_t *p = canvas->pixels + (size_t)j * (size_t)canvas->stride + (size_t)x0 * 4;
            for (i = x0; i < x1; i++, p += 4)
                render_blend_rgba(p, color.r, color.g, color.b, color.a);
        }
        break;
    case RENDER_FORMAT_A8:
        for (j = y0; j < y1; j++) {
            uint8_t *p = canvas->pixels + (size_t)j * (size_t)canvas->stride + x0;
            for (i = x0; i < x1; i++, p++)
                *p = (uint8_t)(color.a + (*p * (255u - color.a) + 127) / 255);
        }
        break;
    case RENDER_FORMAT_MONO1: {
        bool black;
        if (color.a < 128)
            return;
        black = mono_is_black(color);
        for (j = y0; j < y1; j++) {
            uint8_t *row = canvas->pixels + (size_t)j * (size_t)canvas->stride;
            for (i = x0; i < x1; i++) {
                uint8_t bit = (uint8_t)(0x80u >> (i & 7));
                if (black)
                    row[i >> 3] |= bit;
                else
                    row[i >> 3] &= (uint8_t)~bit;
            }
        }
        break;
    }
    }
}

render_color_t render_canvas_get(const render_canvas_t *canvas, int x, int y)
{
    const uint8_t *row;

    if (!canvas || x < 0 || y < 0 || x >= canvas->width || y >= canvas->height)
        return RENDER_RGBA(0, 0, 0, 0);
    row = canvas->pixels + (size_t)y * (size_t)canvas->stride;
    switch (canvas->format) {
    case RENDER_FORMAT_RGBA8: {
        const uint8_t *p = row + (size_t)x * 4;
        return RENDER_RGBA(p[0], p[1], p[2], p[3]);
    }
    case RENDER_FORMAT_A8:
        return RENDER_RGBA(255, 255, 255, row[x]);
    case RENDER_FORMAT_MONO1:
        if (row[x >> 3] & (0x80u >> (x & 7)))
            return RENDER_RGBA(0, 0, 0, 255);
        return RENDER_RGBA(255, 255, 255, 255);
    }
    return RENDER_RGBA(0, 0, 0, 0);
}

/* The printer's rule: black when darker than mid-gray and mostly opaque. */
static bool mono_is_black(render_color_t c)
{
    unsigned lum = (299u * c.r + 587u * c.g + 114u * c.b) / 1000u;

    return lum < 128 && c.a >= 128;
}
