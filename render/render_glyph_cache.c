/*
 * render_glyph_cache.c: FreeType rasterization into 8-bit coverage bitmaps
 * and a cache of them bounded by bitmap bytes, with LRU eviction.
 *
 * Keys are (font id, glyph id, size in 1/64 px, subpixel x step). Bitmap
 * rows are padded with zeros to a multiple of RENDER_ROW_ALIGN bytes (the
 * padding counts toward the bound) so drawing can blend whole 16-byte
 * pieces. Entries live in a pool addressed by index; a chained hash table and a doubly
 * linked LRU list thread through it, so a lookup that hits allocates
 * nothing. A miss allocates the bitmap (misses are rare once warm). A glyph bigger than the whole
 * bound is rasterized into a scratch buffer and not cached, so bytes never exceed max_bytes.
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

#define NIL UINT32_MAX

typedef struct {
    uint32_t glyph;
    uint32_t size_q; /* em size in 1/64 px */
    uint16_t font;
    uint8_t subpixel;
} glyph_key_t;

typedef struct {
    glyph_key_t key;
    uint32_t hash_next;          /* chain in the bucket, or NIL */
    uint32_t lru_prev, lru_next; /* towards more / less recently used */
    uint8_t *pixels;             /* pitch * height bytes (may be NULL) */
    size_t cap;                  /* bytes allocated at pixels */
    int width, height, pitch, left, top;
    bool used;
} glyph_entry_t;

typedef struct {
    uint16_t font;
    uint32_t size_q;
    FT_Size size;
} cache_size_t;

struct render_glyph_cache {
    i18n_fonts_t *fonts;
    size_t max_bytes;
    size_t max_entries;

    glyph_entry_t *entries;
    size_t entry_count, entry_cap; /* pool slots in use / allocated */
    uint32_t free_head;            /* free slots chained by hash_next */
    uint32_t *buckets;
    size_t bucket_count; /* power of two */
    uint32_t lru_head, lru_tail;

    cache_size_t *sizes;
    size_t size_count, size_cap;

    uint8_t *scratch; /* for glyphs bigger than the bound */
    size_t scratch_cap;

    render_glyph_cache_stats_t stats;
};

static uint32_t key_hash(const glyph_key_t *k);
static bool key_eq(const glyph_key_t *a, const glyph_key_t *b);
static void lru_unlink(render_glyph_cache_t *c, uint32_t i);
static void lru_push_front(render_glyph_cache_t *c, uint32_t i);
static void hash_remove(render_glyph_cache_t *c, uint32_t i);
static void evict_lru(render_glyph_cache_t *c);
static wm_status_t rehash(render_glyph_cache_t *c, size_t bucket_count);
static wm_status_t slot_alloc(render_glyph_cache_t *c, uint32_t *out);
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
    /* Empty glyphs (spaces) hold no bitmap bytes; bound the pool too. */
    c->max_entries = max_bytes / 16 < 1024 ? 1024 : max_bytes / 16;
    c->free_head = NIL;
    c->lru_head = c->lru_tail = NIL;
    c->stats.max_bytes = max_bytes;
    st = rehash(c, 256);
    if (st != WM_OK) {
        wm_free(c);
        return st;
    }
    *out = c;
    return WM_OK;
}

void render_glyph_cache_destroy(render_glyph_cache_t *cache)
{
    size_t i;

    if (!cache)
        return;
    for (i = 0; i < cache->entry_count; i++)
        wm_free(cache->entries[i].pixels);
    for (i = 0; i < cache->size_count; i++)
        FT_Done_Size(cache->sizes[i].size);
    wm_free(cache->entries);
    wm_free(cache->buckets);
    wm_free(cache->sizes);
    wm_free(cache->scratch);
    wm_free(cache);
}

void render_glyph_cache_stats(const render_glyph_cache_t *cache, render_glyph_cache_stats_t *out)
{
    if (!cache || !out)
        return;
    *out = cache->stats;
}

wm_status_t render_glyph_cache_get(render_glyph_cache_t *c, uint16_t font, uint32_t glyph,
                                   float size_px, int subpixel, render_glyph_bitmap_t *out)
{
    glyph_key_t k;
    uint32_t i, h;
    FT_GlyphSlot slot = NULL;
    FT_Bitmap *bm;
    size_t need;
    wm_status_t st;
    int y, pitch;

    memset(&k, 0, sizeof(k));
    k.glyph = glyph;
    k.font = font;
    k.size_q = size_px > 0 ? (uint32_t)lroundf(size_px * 64.0f) : 0;
    k.subpixel = (uint8_t)subpixel;
    h = key_hash(&k) & (uint32_t)(c->bucket_count - 1);
    for (i = c->buckets[h]; i != NIL; i = c->entries[i].hash_next) {
        glyph_entry_t *e = &c->entries[i];
        if (key_eq(&e->key, &k)) {
            c->stats.hits++;
            if (c->lru_head != i) {
                lru_unlink(c, i);
                lru_push_front(c, i);
            }
            out->pixels = e->pixels;
            out->width = e->width;
            out->height = e->height;
            out->pitch = e->pitch;
            out->left = e->left;
            out->top = e->top;
            return WM_OK;
        }
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
            uint8_t *p = wm_realloc(c->scratch, need);
            if (!p)
                return wm_error(WM_ENOMEM, "glyph cache: out of memory");
            c->scratch = p;
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

    while (c->lru_tail != NIL &&
           (c->stats.bytes + need > c->max_bytes || c->stats.entries >= c->max_entries))
        evict_lru(c);
    st = slot_alloc(c, &i);
    if (st != WM_OK)
        return st;
    {
        glyph_entry_t *e = &c->entries[i];
        if (need > e->cap) {
            wm_free(e->pixels);
            e->pixels = NULL;
            e->cap = 0;
            e->pixels = wm_malloc(need);
            if (!e->pixels) {
                e->hash_next = c->free_head;
                c->free_head = i;
                return wm_error(WM_ENOMEM, "glyph cache: out of memory");
            }
            e->cap = need;
        }
        for (y = 0; y < (int)bm->rows; y++) {
            memcpy(e->pixels + (size_t)y * pitch, bm->buffer + (ptrdiff_t)y * bm->pitch, bm->width);
            memset(e->pixels + (size_t)y * pitch + bm->width, 0, (size_t)pitch - bm->width);
        }
        e->key = k;
        e->width = (int)bm->width;
        e->height = (int)bm->rows;
        e->pitch = pitch;
        e->left = slot->bitmap_left;
        e->top = slot->bitmap_top;
        e->used = true;
        e->hash_next = c->buckets[h];
        c->buckets[h] = i;
        lru_push_front(c, i);
        c->stats.entries++;
        c->stats.bytes += need;
        if (c->stats.bytes > c->stats.peak_bytes)
            c->stats.peak_bytes = c->stats.bytes;
        out->pixels = e->pixels;
        out->width = e->width;
        out->height = e->height;
        out->pitch = e->pitch;
        out->left = e->left;
        out->top = e->top;
    }
    /* Keep chains short; growing happens while warming up only. */
    if (c->stats.entries > c->bucket_count)
        (void)rehash(c, c->bucket_count * 2);
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

static bool key_eq(const glyph_key_t *a, const glyph_key_t *b)
{
    return a->glyph == b->glyph && a->size_q == b->size_q && a->font == b->font &&
           a->subpixel == b->subpixel;
}

static void lru_unlink(render_glyph_cache_t *c, uint32_t i)
{
    glyph_entry_t *e = &c->entries[i];

    if (e->lru_prev != NIL)
        c->entries[e->lru_prev].lru_next = e->lru_next;
    else
        c->lru_head = e->lru_next;
    if (e->lru_next != NIL)
        c->entries[e->lru_next].lru_prev = e->lru_prev;
    else
        c->lru_tail = e->lru_prev;
    e->lru_prev = e->lru_next = NIL;
}

static void lru_push_front(render_glyph_cache_t *c, uint32_t i)
{
    glyph_entry_t *e = &c->entries[i];

    e->lru_prev = NIL;
    e->lru_next = c->lru_head;
    if (c->lru_head != NIL)
        c->entries[c->lru_head].lru_prev = i;
    c->lru_head = i;
    if (c->lru_tail == NIL)
        c->lru_tail = i;
}

static void hash_remove(render_glyph_cache_t *c, uint32_t i)
{
    uint32_t h = key_hash(&c->entries[i].key) & (uint32_t)(c->bucket_count - 1);
    uint32_t *p = &c->buckets[h];

    while (*p != NIL && *p != i)
        p = &c->entries[*p].hash_next;
    if (*p == i)
        *p = c->entries[i].hash_next;
}

/* Drops the least recently used entry and frees its bitmap (so the memory
 * really held stays within the bound); the slot goes on the free list. */
static void evict_lru(render_glyph_cache_t *c)
{
    uint32_t i = c->lru_tail;
    glyph_entry_t *e = &c->entries[i];

    lru_unlink(c, i);
    hash_remove(c, i);
    c->stats.bytes -= (size_t)e->pitch * (size_t)e->height;
    c->stats.entries--;
    c->stats.evictions++;
    e->used = false;
    wm_free(e->pixels);
    e->pixels = NULL;
    e->cap = 0;
    e->hash_next = c->free_head;
    c->free_head = i;
}

static wm_status_t rehash(render_glyph_cache_t *c, size_t bucket_count)
{
    uint32_t *b = wm_malloc(bucket_count * sizeof(*b));
    size_t i;

    if (!b)
        return wm_error(WM_ENOMEM, "glyph cache: out of memory");
    for (i = 0; i < bucket_count; i++)
        b[i] = NIL;
    for (i = 0; i < c->entry_count; i++) {
        glyph_entry_t *e = &c->entries[i];
        uint32_t h;
        if (!e->used)
            continue;
        h = key_hash(&e->key) & (uint32_t)(bucket_count - 1);
        e->hash_next = b[h];
        b[h] = (uint32_t)i;
    }
    wm_free(c->buckets);
    c->buckets = b;
    c->bucket_count = bucket_count;
    return WM_OK;
}

static wm_status_t slot_alloc(render_glyph_cache_t *c, uint32_t *out)
{
    uint32_t i;

    if (c->free_head != NIL) {
        i = c->free_head;
        c->free_head = c->entries[i].hash_next;
    } else {
        if (c->entry_count == c->entry_cap) {
            void *p = c->entries;
            if (wm_grow(&p, &c->entry_cap, c->entry_count + 1, sizeof(glyph_entry_t)) != WM_OK)
                return wm_error(WM_ENOMEM, "glyph cache: out of memory");
            c->entries = p;
        }
        i = (uint32_t)c->entry_count++;
        memset(&c->entries[i], 0, sizeof(c->entries[i]));
    }
    c->entries[i].lru_prev = c->entries[i].lru_next = NIL;
    c->entries[i].hash_next = NIL;
    *out = i;
    return WM_OK;
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
