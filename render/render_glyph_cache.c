/*
 * render_glyph_cache.c: FreeType rasterization into 8-bit coverage bitmaps
 * and a cache of them bounded by bitmap bytes, with LRU eviction.
 *
 * Keys are (font id, glyph id, size in 1/64 px, subpixel x step). Bitmap
 * rows are padded with zeros to a multiple of RENDER_ROW_ALIGN bytes (the
 * padding counts toward the bound) so drawing can blend whole 16-byte
 * pieces. The storage is the project's bounded cache (wm_lru.h): a lookup
 * that hits allocates nothing, a miss allocates one entry holding the
 * bitmap (misses are rare once warm). A glyph bigger than the whole bound
 * is rasterized into a scratch buffer and not cached, so bytes never
 * exceed max_bytes.
 *
 * Rasterization uses FT_LOAD_NO_HINTING: the layout engine positions glyphs
 * with unhinted advances at subpixel x, and hinting (even light) distorts
 * Nastaliq, Myanmar and Ethiopic shapes at booth sizes; unhinted outlines
 * with 1/4 px subpixel positioning and grayscale antialiasing look even and
 * crisp at 20-40 px. Embedded bitmaps are ignored (FT_LOAD_NO_BITMAP).
 *
 * The face's active size belongs to the layout engine, so the cache keeps
 * its own FT_Size per (font, size) and activates it only around a load.
 */
#include <math.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H
#include FT_SIZES_H

#include "render.h"
#include "render_private.h"
#include "wm_lru.h"

/* The key as bytes (padding zeroed). */
typedef struct {
    uint32_t glyph;
    uint32_t size_q; /* em size in 1/64 px */
    uint16_t font;
    uint8_t subpixel;
    uint8_t pad;
} glyph_key_t;

/* An entry's value: the bitmap's shape, then its pixels. */
typedef struct {
    int width, height, pitch, left, top;
} glyph_value_t;

#define GLYPH_PIXELS_OFFSET 32 /* sizeof(glyph_value_t) rounded up to 16 */
_Static_assert(sizeof(glyph_value_t) <= GLYPH_PIXELS_OFFSET, "glyph value header");

typedef struct {
    uint16_t font;
    uint32_t size_q;
    FT_Size size;
} cache_size_t;

struct render_glyph_cache {
    i18n_fonts_t *fonts;
    size_t max_bytes;
    wm_lru_t *lru;

    cache_size_t *sizes;
    size_t size_count, size_cap;

    uint8_t *scratch; /* for glyphs bigger than the bound */
    size_t scratch_cap;

    render_glyph_cache_stats_t stats; /* hits and misses; the rest from lru */
};

static uint32_t key_hash(const glyph_key_t *k);
static void bitmap_out(const glyph_value_t *v, render_glyph_bitmap_t *out);
static wm_status_t rasterize(render_glyph_cache_t *c, const glyph_key_t *k, FT_GlyphSlot *out);
static wm_status_t face_size(render_glyph_cache_t *c, uint16_t font, uint32_t size_q, FT_Face face,
                             FT_Size *out);

wm_status_t render_glyph_cache_create(i18n_fonts_t *fonts, size_t max_bytes,
                                      render_glyph_cache_t **out)
{
    render_glyph_cache_t *c;
    wm_status_t st;

    if (!fonts || !out)
        return wm_error(WM_EINVAL, "glyph cache: no fonts");
    c = wm_calloc(1, sizeof(*c));
    if (!c)
        return wm_error(WM_ENOMEM, "glyph cache: out of memory");
    c->fonts = fonts;
    c->max_bytes = max_bytes;
    /* Empty glyphs (spaces) hold no bitmap bytes; bound the entries too. */
    st = wm_lru_create(max_bytes / 16 < 1024 ? 1024 : max_bytes / 16, max_bytes, &c->lru);
    if (st != WM_OK) {
        wm_free(c);
        return wm_error(WM_ENOMEM, "glyph cache: out of memory");
    }
    *out = c;
    return WM_OK;
}

void render_glyph_cache_destroy(render_glyph_cache_t *cache)
{
    size_t i;

    if (!cache)
        return;
    for (i = 0; i < cache->size_count; i++)
        FT_Done_Size(cache->sizes[i].size);
    wm_lru_destroy(cache->lru);
    wm_free(cache->sizes);
    wm_free(cache->scratch);
    wm_free(cache);
}

void render_glyph_cache_stats(const render_glyph_cache_t *cache, render_glyph_cache_stats_t *out)
{
    wm_lru_stats_t st;

    if (!cache || !out)
        return;
    wm_lru_stats(cache->lru, &st);
    *out = cache->stats;
    out->evictions = st.evictions;
    out->bytes = st.bytes;
    out->peak_bytes = st.peak_bytes;
    out->max_bytes = st.max_bytes;
    out->entries = st.entries;
}

void render_glyph_cache_clear(render_glyph_cache_t *cache)
{
    if (cache)
        wm_lru_clear(cache->lru);
}

wm_status_t render_glyph_cache_get(render_glyph_cache_t *c, uint16_t font, uint32_t glyph,
                                   float size_px, int subpixel, render_glyph_bitmap_t *out)
{
    glyph_key_t k;
    glyph_value_t *v;
    uint32_t h;
    FT_GlyphSlot slot = NULL;
    FT_Bitmap *bm;
    size_t need;
    wm_status_t st;
    int y, pitch;
    void *p;

    memset(&k, 0, sizeof(k));
    k.glyph = glyph;
    k.font = font;
    k.size_q = size_px > 0 ? (uint32_t)lroundf(size_px * 64.0f) : 0;
    k.subpixel = (uint8_t)subpixel;
    h = key_hash(&k);
    v = wm_lru_get(c->lru, &k, sizeof(k), h, NULL);
    if (v) {
        c->stats.hits++;
        bitmap_out(v, out);
        return WM_OK;
    }

    c->stats.misses++;
    st = rasterize(c, &k, &slot);
    if (st != WM_OK)
        return st;
    bm = &slot->bitmap;
    pitch = ((int)bm->width + RENDER_ROW_ALIGN - 1) & ~(RENDER_ROW_ALIGN - 1);
    need = (size_t)pitch * bm->rows;

    if (need > c->max_bytes) {
        /* Too big to ever fit: hand out a scratch copy, cache nothing. */
        if (need > c->scratch_cap) {
            uint8_t *q = wm_realloc(c->scratch, need);
            if (!q)
                return wm_error(WM_ENOMEM, "glyph cache: out of memory");
            c->scratch = q;
            c->scratch_cap = need;
        }
        for (y = 0; y < (int)bm->rows; y++)
            memcpy(c->scratch + (size_t)y * bm->width, bm->buffer + (ptrdiff_t)y * bm->pitch,
                   bm->width);
        out->pixels = c->scratch;
        out->width = (int)bm->width;
        out->height = (int)bm->rows;
        out->pitch = (int)bm->width;
        out->left = slot->bitmap_left;
        out->top = slot->bitmap_top;
        return WM_OK;
    }

    if (wm_lru_put(c->lru, &k, sizeof(k), h, NULL, GLYPH_PIXELS_OFFSET + need, need, &p) != WM_OK)
        return wm_error(WM_ENOMEM, "glyph cache: out of memory");
    v = p;
    for (y = 0; y < (int)bm->rows; y++) {
        uint8_t *row = (uint8_t *)p + GLYPH_PIXELS_OFFSET + (size_t)y * pitch;

        memcpy(row, bm->buffer + (ptrdiff_t)y * bm->pitch, bm->width);
        memset(row + bm->width, 0, (size_t)pitch - bm->width);
    }
    v->width = (int)bm->width;
    v->height = (int)bm->rows;
    v->pitch = pitch;
    v->left = slot->bitmap_left;
    v->top = slot->bitmap_top;
    bitmap_out(v, out);
    return WM_OK;
}

/* The fields folded into one word, then MurmurHash3's finalizer: cheap (a
 * hash per glyph drawn) and every input bit reaches the low bits that pick
 * the bucket. */
static uint32_t key_hash(const glyph_key_t *k)
{
    uint32_t h = k->glyph ^ ((uint32_t)k->font << 16) ^ ((uint32_t)k->subpixel << 28) ^
                 (k->size_q * 0x9E3779B1u);

    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    return h ^ (h >> 16);
}

/* A cached bitmap as handed out (pixels owned by the cache). */
static void bitmap_out(const glyph_value_t *v, render_glyph_bitmap_t *out)
{
    out->pixels = v->height > 0 ? (const uint8_t *)v + GLYPH_PIXELS_OFFSET : NULL;
    out->width = v->width;
    out->height = v->height;
    out->pitch = v->pitch;
    out->left = v->left;
    out->top = v->top;
}

/* Loads and renders the glyph into the face's slot. */
static wm_status_t rasterize(render_glyph_cache_t *c, const glyph_key_t *k, FT_GlyphSlot *out)
{
    FT_Face face = i18n_fonts_face(c->fonts, k->font);
    FT_Size size = NULL, saved;
    FT_Error err;
    wm_status_t st;

    if (!face)
        return wm_error(WM_EINVAL, "glyph cache: unknown font id %u", (unsigned)k->font);
    st = face_size(c, k->font, k->size_q, face, &size);
    if (st != WM_OK)
        return st;
    saved = face->size;
    FT_Activate_Size(size);
    err = FT_Load_Glyph(face, k->glyph, FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP);
    if (!err && face->glyph->format == FT_GLYPH_FORMAT_OUTLINE) {
        FT_Outline_Translate(&face->glyph->outline,
                             (FT_Pos)(k->subpixel * 64 / RENDER_SUBPIXEL_STEPS), 0);
        err = FT_Render_Glyph(face->glyph, FT_RENDER_MODE_NORMAL);
    } else if (!err && face->glyph->format != FT_GLYPH_FORMAT_BITMAP) {
        err = FT_Render_Glyph(face->glyph, FT_RENDER_MODE_NORMAL);
    }
    if (saved)
        FT_Activate_Size(saved);
    if (err)
        return wm_error(WM_EFORMAT, "glyph cache: font %u glyph %u: FreeType error %d",
                        (unsigned)k->font, (unsigned)k->glyph, err);
    if (face->glyph->bitmap.pixel_mode != FT_PIXEL_MODE_GRAY && face->glyph->bitmap.rows > 0)
        return wm_error(WM_EUNSUPPORTED, "glyph cache: font %u glyph %u: not a gray bitmap",
                        (unsigned)k->font, (unsigned)k->glyph);
    *out = face->glyph;
    return WM_OK;
}

/* The cache's own FT_Size for (font, size), created on first use. */
static wm_status_t face_size(render_glyph_cache_t *c, uint16_t font, uint32_t size_q, FT_Face face,
                             FT_Size *out)
{
    FT_Size size, saved;
    FT_Error err;
    size_t i;

    for (i = 0; i < c->size_count; i++)
        if (c->sizes[i].font == font && c->sizes[i].size_q == size_q) {
            *out = c->sizes[i].size;
            return WM_OK;
        }
    if (c->size_count == c->size_cap) {
        void *p = c->sizes;
        if (wm_grow(&p, &c->size_cap, c->size_count + 1, sizeof(cache_size_t)) != WM_OK)
            return wm_error(WM_ENOMEM, "glyph cache: out of memory");
        c->sizes = p;
    }
    err = FT_New_Size(face, &size);
    if (err)
        return wm_error(WM_ENOMEM, "glyph cache: FT_New_Size failed (%d)", err);
    saved = face->size;
    FT_Activate_Size(size);
    err = FT_Set_Char_Size(face, 0, (FT_F26Dot6)size_q, 72, 72);
    if (saved)
        FT_Activate_Size(saved);
    if (err) {
        FT_Done_Size(size);
        return wm_error(WM_EUNSUPPORTED, "glyph cache: font %u cannot be sized to %.2f px (%d)",
                        (unsigned)font, size_q / 64.0, err);
    }
    c->sizes[c->size_count].font = font;
    c->sizes[c->size_count].size_q = size_q;
    c->sizes[c->size_count].size = size;
    c->size_count++;
    *out = size;
    return WM_OK;
}
