/*
 * render_screen.c: drawing on an SDL_Renderer through a glyph texture atlas.
 *
 * One ARGB8888 texture (static access, blend mode BLEND) holds white glyphs
 * whose alpha is the coverage; text color comes from SDL_SetTextureColorMod
 * and SDL_SetTextureAlphaMod. Glyphs are packed on shelves with a 1 px gap;
 * when the atlas (or its index) is full it is cleared and refilled from the
 * glyph cache, which costs one frame some uploads and never grows memory.
 * The index is a fixed open-addressed hash table, so drawing warm text
 * allocates nothing. Works with every renderer, including the software one
 * (SDL_CreateSoftwareRenderer, offscreen/dummy video) used by tests.
 */
#include <math.h>
#include <string.h>

#include "render.h"
#include "render_private.h"

#define ATLAS_SIZE_MAX  1024
#define ATLAS_SLOTS     8192 /* index capacity, a power of two */
#define ATLAS_MAX_FILL  (ATLAS_SLOTS * 3 / 4)
#define ATLAS_MAX_SHELF 256
#define ATLAS_GAP       1

typedef struct {
    uint32_t glyph;
    uint32_t size_q;
    uint16_t font;
    uint8_t subpixel;
    bool used;
    int16_t x, y, w, h; /* rect in the atlas (w or h 0: empty glyph) */
    int16_t left, top;
} atlas_slot_t;

typedef struct {
    int y, height, x;
} atlas_shelf_t;

struct render_screen {
    SDL_Renderer *renderer;
    render_glyph_cache_t *cache;
    SDL_Texture *atlas;
    int atlas_w, atlas_h;
    atlas_slot_t *slots; /* ATLAS_SLOTS */
    int slot_count;
    atlas_shelf_t shelves[ATLAS_MAX_SHELF];
    int shelf_count;
    uint32_t *upload; /* scratch ARGB pixels for one glyph */
    size_t upload_cap;
    unsigned resets;
};

static const atlas_slot_t *atlas_find(render_screen_t *s, uint16_t font, uint32_t glyph,
                                      uint32_t size_q, int subpixel);
static atlas_slot_t *slot_for(render_screen_t *s, uint16_t font, uint32_t glyph, uint32_t size_q,
                              int subpixel);
static void atlas_reset(render_screen_t *s);
static bool atlas_pack(render_screen_t *s, int w, int h, int *x, int *y);

wm_status_t render_screen_create(SDL_Renderer *renderer, render_glyph_cache_t *cache,
                                 render_screen_t **out)
{
    render_screen_t *s;
    SDL_RendererInfo info;
    int size = ATLAS_SIZE_MAX;

    if (!renderer || !cache || !out)
        return wm_error(WM_EINVAL, "screen: no renderer or glyph cache");
    if (SDL_GetRendererInfo(renderer, &info) == 0) {
        if (info.max_texture_width > 0 && info.max_texture_width < size)
            size = info.max_texture_width;
        if (info.max_texture_height > 0 && info.max_texture_height < size)
            size = info.max_texture_height;
    }
    s = wm_calloc(1, sizeof(*s));
    if (!s)
        return wm_error(WM_ENOMEM, "screen: out of memory");
    s->slots = wm_calloc(ATLAS_SLOTS, sizeof(*s->slots));
    s->upload_cap = 64 * 64;
    s->upload = wm_malloc(s->upload_cap * sizeof(uint32_t));
    if (!s->slots || !s->upload) {
        wm_free(s->slots);
        wm_free(s->upload);
        wm_free(s);
        return wm_error(WM_ENOMEM, "screen: out of memory");
    }
    s->atlas =
        SDL_CreateTexture(renderer, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC, size, size);
    if (!s->atlas) {
        wm_status_t st = wm_error(WM_ESDL, "screen: glyph atlas: %s", SDL_GetError());
        wm_free(s->slots);
        wm_free(s->upload);
        wm_free(s);
        return st;
    }
    SDL_SetTextureBlendMode(s->atlas, SDL_BLENDMODE_BLEND);
    s->renderer = renderer;
    s->cache = cache;
    s->atlas_w = size;
    s->atlas_h = size;
    *out = s;
    return WM_OK;
}

void render_screen_destroy(render_screen_t *screen)
{
    if (!screen)
        return;
    SDL_DestroyTexture(screen->atlas);
    wm_free(screen->slots);
    wm_free(screen->upload);
    wm_free(screen);
}

void render_screen_atlas_stats(const render_screen_t *screen, render_screen_atlas_stats_t *out)
{
    if (!screen || !out)
        return;
    out->resets = screen->resets;
    out->used = (size_t)screen->slot_count;
    out->capacity = ATLAS_MAX_FILL;
    out->width = screen->atlas_w;
    out->height = screen->atlas_h;
    out->used_height = screen->shelf_count ? screen->shelves[screen->shelf_count - 1].y +
                                                 screen->shelves[screen->shelf_count - 1].height
                                           : 0;
}

void render_screen_fill_rect(render_screen_t *screen, int x, int y, int w, int h,
                             render_color_t color)
{
    SDL_Rect r = {x, y, w, h};

    if (!screen || w <= 0 || h <= 0)
        return;
    /* an opaque colour is copied: the same pixels, without a blend each */
    SDL_SetRenderDrawBlendMode(screen->renderer,
                               color.a == 0xFF ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(screen->renderer, color.r, color.g, color.b, color.a);
    SDL_RenderFillRect(screen->renderer, &r);
}

void render_screen_draw_text(render_screen_t *screen, const i18n_text_t *text, float x, float y,
                             render_color_t color)
{
    uint32_t size_q;
    size_t l, g;
    SDL_Rect clip;
    float pad;

    if (!screen || !text || color.a == 0)
        return;
    /* what can show: the clip rectangle, else the whole target */
    SDL_RenderGetViewport(screen->renderer, &clip);
    clip.x = clip.y = 0;
    if (SDL_RenderIsClipEnabled(screen->renderer))
        SDL_RenderGetClipRect(screen->renderer, &clip);
    size_q = text->size_px > 0 ? (uint32_t)lroundf(text->size_px * 64.0f) : 0;
    /* ink may reach past a line's ascent and descent (stacked marks): a
     * line is left out only when it lies a whole size beyond the clip */
    pad = text->size_px > 0 ? text->size_px : 0;
    SDL_SetTextureColorMod(screen->atlas, color.r, color.g, color.b);
    SDL_SetTextureAlphaMod(screen->atlas, color.a);
    for (l = 0; l < text->line_count; l++) {
        const i18n_line_t *line = &text->lines[l];
        const float base = y + line->baseline;

        if (base + line->descent + pad < (float)clip.y ||
            base - line->ascent - pad > (float)(clip.y + clip.h))
            continue;
        for (g = line->first_glyph; g < line->first_glyph + line->glyph_count; g++) {
            const i18n_glyph_t *gl = &text->glyphs[g];
            int ix, sub = render_subpixel_split(x + gl->x, &ix);
            int iy = (int)lroundf(y + gl->y);
            const atlas_slot_t *a = atlas_find(screen, gl->font, gl->glyph, size_q, sub);
            SDL_Rect src, dst;

            if (!a || a->w == 0 || a->h == 0)
                continue;
            src.x = a->x, src.y = a->y, src.w = a->w, src.h = a->h;
            dst.x = ix + a->left, dst.y = iy - a->top, dst.w = a->w, dst.h = a->h;
            if (!SDL_HasIntersection(&dst, &clip))
                continue; /* nothing of it shows */
            SDL_RenderCopy(screen->renderer, screen->atlas, &src, &dst);
        }
    }
}

/* The atlas rect of a glyph, uploading it on a miss; NULL if it cannot be
 * had (unknown font, larger than the atlas). */
static const atlas_slot_t *atlas_find(render_screen_t *s, uint16_t font, uint32_t glyph,
                                      uint32_t size_q, int subpixel)
{
    atlas_slot_t *slot = slot_for(s, font, glyph, size_q, subpixel);
    render_glyph_bitmap_t bm;
    SDL_Rect r;
    int x = 0, y = 0, i, j;

    if (slot && slot->used)
        return slot;
    if (render_glyph_cache_get(s->cache, font, glyph, size_q / 64.0f, subpixel, &bm) != WM_OK)
        return NULL;
    if (bm.width + ATLAS_GAP > s->atlas_w || bm.height + ATLAS_GAP > s->atlas_h)
        return NULL;
    if (!slot || s->slot_count >= ATLAS_MAX_FILL ||
        (bm.width > 0 && !atlas_pack(s, bm.width, bm.height, &x, &y))) {
        /* Full: start over. Earlier draws this frame are already queued
         * with the old pixels; SDL flushes them before the upload. */
        atlas_reset(s);
        slot = slot_for(s, font, glyph, size_q, subpixel);
        if (bm.width > 0 && !atlas_pack(s, bm.width, bm.height, &x, &y))
            return NULL;
    }
    if (bm.width > 0 && bm.height > 0) {
        size_t n = (size_t)bm.width * (size_t)bm.height;
        if (n > s->upload_cap) {
            uint32_t *p = wm_realloc(s->upload, n * sizeof(uint32_t));
            if (!p)
                return NULL;
            s->upload = p;
            s->upload_cap = n;
        }
        for (j = 0; j < bm.height; j++)
            for (i = 0; i < bm.width; i++)
                s->upload[(size_t)j * bm.width + i] =
                    ((uint32_t)bm.pixels[(size_t)j * bm.pitch + i] << 24) | 0x00ffffffu;
        r.x = x, r.y = y, r.w = bm.width, r.h = bm.height;
        if (SDL_UpdateTexture(s->atlas, &r, s->upload, bm.width * 4) != 0)
            return NULL;
    }
    slot->used = true;
    slot->font = font;
    slot->glyph = glyph;
    slot->size_q = size_q;
    slot->subpixel = (uint8_t)subpixel;
    slot->x = (int16_t)x, slot->y = (int16_t)y;
    slot->w = (int16_t)bm.width, slot->h = (int16_t)bm.height;
    slot->left = (int16_t)bm.left, slot->top = (int16_t)bm.top;
    s->slot_count++;
    return slot;
}

/* The slot holding the key, or the empty slot where it would go (linear
 * probing); NULL only if the table is full, which ATLAS_MAX_FILL prevents. */
static atlas_slot_t *slot_for(render_screen_t *s, uint16_t font, uint32_t glyph, uint32_t size_q,
                              int subpixel)
{
    uint32_t h = glyph * 2654435761u ^ size_q * 40503u ^ (uint32_t)font * 97u ^ (uint32_t)subpixel;
    int n;

    h ^= h >> 13;
    for (n = 0; n < ATLAS_SLOTS; n++) {
        atlas_slot_t *a = &s->slots[(h + (uint32_t)n) & (ATLAS_SLOTS - 1)];
        if (!a->used)
            return a;
        if (a->glyph == glyph && a->font == font && a->size_q == size_q && a->subpixel == subpixel)
            return a;
    }
    return NULL;
}

static void atlas_reset(render_screen_t *s)
{
    memset(s->slots, 0, ATLAS_SLOTS * sizeof(*s->slots));
    s->slot_count = 0;
    s->shelf_count = 0;
    s->resets++;
}

/* Shelf packing: the first shelf tall enough (but not more than a third
 * taller) with room, else a new shelf below the last. */
static bool atlas_pack(render_screen_t *s, int w, int h, int *x, int *y)
{
    int i, top;

    for (i = 0; i < s->shelf_count; i++) {
        atlas_shelf_t *sh = &s->shelves[i];
        if (sh->height >= h && sh->height <= h + h / 3 + 2 && sh->x + w <= s->atlas_w) {
            *x = sh->x;
            *y = sh->y;
            sh->x += w + ATLAS_GAP;
            return true;
        }
    }
    if (s->shelf_count == ATLAS_MAX_SHELF)
        return false;
    top = s->shelf_count
              ? s->shelves[s->shelf_count - 1].y + s->shelves[s->shelf_count - 1].height + ATLAS_GAP
              : 0;
    if (top + h > s->atlas_h)
        return false;
    s->shelves[s->shelf_count].y = top;
    s->shelves[s->shelf_count].height = h;
    s->shelves[s->shelf_count].x = w + ATLAS_GAP;
    s->shelf_count++;
    *x = 0;
    *y = top;
    return true;
}
