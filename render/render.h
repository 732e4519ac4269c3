/*
 * render.h: drawing. Glyph rasterization (FreeType) with a bounded LRU
 * glyph cache; CPU canvases (RGBA8 for screenshots, A8, 1-bit for the
 * printer); PNG output; and an SDL screen with a glyph texture atlas.
 *
 * Laid-out text comes from i18n/ (i18n_text_t); render/ only draws it.
 */
#ifndef RENDER_H
#define RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "i18n.h"
#include "wm_base.h"

typedef struct {
    uint8_t r, g, b, a;
} render_color_t;

#define RENDER_RGBA(r, g, b, a) ((render_color_t){(r), (g), (b), (a)})

/* ---- glyph cache -------------------------------------------------------- */

typedef struct render_glyph_cache render_glyph_cache_t;

typedef struct {
    uint64_t hits, misses, evictions;
    size_t bytes;      /* bitmap bytes held now */
    size_t peak_bytes; /* most ever held */
    size_t max_bytes;  /* the bound */
    size_t entries;
} render_glyph_cache_stats_t;

/* A cache of 8-bit coverage bitmaps keyed by (font, glyph, size, subpixel
 * x), bounded to max_bytes of bitmap memory (LRU eviction). Borrows fonts.
 * Free with render_glyph_cache_destroy(). */
wm_status_t render_glyph_cache_create(i18n_fonts_t *fonts, size_t max_bytes,
                                      render_glyph_cache_t **out);
void render_glyph_cache_destroy(render_glyph_cache_t *cache);
void render_glyph_cache_stats(const render_glyph_cache_t *cache, render_glyph_cache_stats_t *out);
/* Drops every cached bitmap (counters and font sizes stay); allocates
 * nothing. */
void render_glyph_cache_clear(render_glyph_cache_t *cache);

/* ---- CPU canvases ------------------------------------------------------- */

typedef enum {
    RENDER_FORMAT_RGBA8 = 0, /* 4 bytes a pixel, R G B A, straight alpha */
    RENDER_FORMAT_A8,        /* 1 byte a pixel, coverage */
    RENDER_FORMAT_MONO1,     /* 1 bit a pixel, MSB first, 1 = black (printer) */
} render_format_t;

typedef struct {
    render_format_t format;
    int width, height;
    int stride; /* bytes per row */
    uint8_t *pixels;
} render_canvas_t;

/* Free with render_canvas_destroy(). Pixels start cleared (transparent /
 * zero / white paper for MONO1). */
wm_status_t render_canvas_create(render_format_t format, int width, int height,
                                 render_canvas_t **out);
void render_canvas_destroy(render_canvas_t *canvas);

/* Fills the canvas / a rectangle (clipped). For A8 the alpha is used; for
 * MONO1 a color is black when its luminance < 50% and alpha >= 50%. */
void render_canvas_clear(render_canvas_t *canvas, render_color_t color);
void render_canvas_fill_rect(render_canvas_t *canvas, int x, int y, int w, int h,
                             render_color_t color);

/* Draws laid-out text with its box's top-left at (x, y), clipped to the
 * canvas. MONO1 thresholds coverage at 50% for crisp print. */
void render_canvas_draw_text(render_canvas_t *canvas, render_glyph_cache_t *cache,
                             const i18n_text_t *text, float x, float y, render_color_t color);

/* Reads pixel (x, y) as RGBA (A8: white with that alpha; MONO1: black or
 * white). Out of range: transparent. For tests. */
render_color_t render_canvas_get(const render_canvas_t *canvas, int x, int y);

/* ---- PNG ---------------------------------------------------------------- */

/* Writes a canvas as PNG (RGBA8 as RGBA, A8 as gray+alpha, MONO1 as 1-bit
 * gray). Written to a temporary file and renamed. */
wm_status_t render_png_write(const char *path, const render_canvas_t *canvas);

/* Writes RGBA8 rows (stride bytes apart) as a PNG. */
wm_status_t render_png_write_rgba(const char *path, const uint8_t *rgba, int width, int height,
                                  int stride);

/* Reads a PNG into a new RGBA8 canvas (for golden-image tests). */
wm_status_t render_png_read(const char *path, render_canvas_t **out);

/* ---- SDL screen --------------------------------------------------------- */

typedef struct render_screen render_screen_t;

/* Drawing on an SDL renderer through a glyph texture atlas. Borrows the
 * renderer and the cache. Free with render_screen_destroy(). */
wm_status_t render_screen_create(SDL_Renderer *renderer, render_glyph_cache_t *cache,
                                 render_screen_t **out);
void render_screen_destroy(render_screen_t *screen);

typedef struct {
    unsigned resets;   /* times the atlas was full and started over */
    size_t used;       /* glyphs it holds now */
    size_t capacity;   /* glyphs its index takes before it starts over */
    int width, height; /* texture size in px */
    int used_height;   /* px of that height its shelves of glyphs take */
} render_screen_atlas_stats_t;

/* The glyph atlas's counters since the screen was created. */
void render_screen_atlas_stats(const render_screen_t *screen, render_screen_atlas_stats_t *out);

void render_screen_fill_rect(render_screen_t *screen, int x, int y, int w, int h,
                             render_color_t color);
void render_screen_draw_text(render_screen_t *screen, const i18n_text_t *text, float x, float y,
                             render_color_t color);

#endif
