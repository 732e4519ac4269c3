/*
 * wordcache.c: shaped words, as browsers keep them (Chromium's ShapeCache):
 * HarfBuzz output for one word (a piece of a run ending after U+0020, or
 * U+1361 in Ethiopic) in one font at one size, script, direction and
 * language, so that text seen before is not shaped again.
 *
 * The layout engine decides when a word may be shaped on its own (see
 * layout.c: only fonts whose space glyph no GSUB/GPOS lookup reads, and
 * only words whose context cannot change them); this file only stores
 * and finds. Key: (font file, size in 1/64 px, script, direction, language,
 * the word's code points). Value: per glyph the glyph id, the cluster as a
 * character index relative to the word, and HarfBuzz's advance and offsets
 * in 1/64 px, as given (stored in 16 bits; a word whose values do not fit
 * is not cached, so a hit is always exact).
 *
 * Bound: I18N_WORD_CACHE_ENTRIES entries and I18N_WORD_CACHE_BYTES bytes
 * (each entry whole: its header, key and glyphs; the bucket array is not
 * counted), whichever comes first, least recently used evicted first. The
 * storage is the project's bounded cache (wm_lru.h): a word is one
 * allocation made on a miss, so a hit allocates nothing.
 */
#include "i18n_private.h"

#include <string.h>

#include "wm_lru.h"

/* The fixed part of a key; the word's code points follow it. */
typedef struct {
    uintptr_t lang; /* hb_language_t: interned, compared by address */
    uint32_t size_q;
    uint32_t script;
    uint16_t file;
    uint16_t rtl;
} word_key_head_t;

#define WORD_KEY_MAX (sizeof(word_key_head_t) + I18N_WORD_MAX * sizeof(uint32_t))

struct i18n_word_cache {
    wm_lru_t *lru;
    unsigned char key[WORD_KEY_MAX]; /* the key being looked up */
};

static size_t word_key(i18n_word_cache_t *c, const i18n_word_key_t *k);

wm_status_t i18n_word_cache_create(size_t max_entries, size_t max_bytes, i18n_word_cache_t **out)
{
    i18n_word_cache_t *c = wm_calloc(1, sizeof(*c));

    if (!c)
        return wm_error(WM_ENOMEM, "word cache: out of memory");
    if (wm_lru_create(max_entries, max_bytes, &c->lru) != WM_OK) {
        wm_free(c);
        return wm_error(WM_ENOMEM, "word cache: out of memory");
    }
    *out = c;
    return WM_OK;
}

void i18n_word_cache_destroy(i18n_word_cache_t *c)
{
    if (!c)
        return;
    wm_lru_destroy(c->lru);
    wm_free(c);
}

void i18n_word_cache_clear(i18n_word_cache_t *c)
{
    if (c)
        wm_lru_clear(c->lru);
}

void i18n_word_cache_stats(const i18n_word_cache_t *c, i18n_word_cache_stats_t *out)
{
    wm_lru_stats_t st;

    wm_lru_stats(c->lru, &st);
    memset(out, 0, sizeof(*out));
    out->hits = st.hits;
    out->misses = st.misses;
    out->evictions = st.evictions;
    out->entries = st.entries;
    out->bytes = st.bytes;
    out->peak_bytes = st.peak_bytes;
    out->max_entries = st.max_entries;
    out->max_bytes = st.max_bytes;
}

uint32_t i18n_word_key_hash(const i18n_word_key_t *k)
{
    uint32_t h = 2166136261u;
    size_t i;

    h = (h ^ k->file) * 16777619u;
    h = (h ^ k->size_q) * 16777619u;
    h = (h ^ (uint32_t)k->script) * 16777619u;
    h = (h ^ (uint32_t)(uintptr_t)k->lang) * 16777619u;
    h = (h ^ k->rtl) * 16777619u;
    for (i = 0; i < k->ncp; i++)
        h = (h ^ k->cps[i]) * 16777619u;
    return h ^ (h >> 16);
}

const i18n_word_glyph_t *i18n_word_cache_get(i18n_word_cache_t *c, const i18n_word_key_t *k,
                                             uint32_t hash, size_t *ng)
{
    size_t klen = word_key(c, k), vlen = 0;
    const i18n_word_glyph_t *g;

    if (klen == 0)
        return NULL;
    g = wm_lru_get(c->lru, c->key, klen, hash, &vlen);
    if (g)
        *ng = vlen / sizeof(i18n_word_glyph_t);
    return g;
}

wm_status_t i18n_word_cache_put(i18n_word_cache_t *c, const i18n_word_key_t *k, uint32_t hash,
                                const i18n_word_glyph_t *glyphs, size_t ng)
{
    size_t klen = word_key(c, k), vlen = ng * sizeof(*glyphs), cost;
    wm_lru_stats_t st;

    wm_lru_stats(c->lru, &st);
    cost = wm_lru_entry_bytes(klen, vlen);
    /* too long, or more than the whole bound: not cached */
    if (klen == 0 || ng > UINT16_MAX || cost > st.max_bytes || st.max_entries == 0)
        return WM_OK;
    if (wm_lru_put(c->lru, c->key, klen, hash, glyphs, vlen, cost, NULL) != WM_OK)
        return wm_error(WM_ENOMEM, "word cache: out of memory");
    return WM_OK;
}

/* Packs k into c->key (no padding bytes left unset); its length, or 0 for
 * a word too long to cache. */
static size_t word_key(i18n_word_cache_t *c, const i18n_word_key_t *k)
{
    word_key_head_t h;

    if (k->ncp > I18N_WORD_MAX)
        return 0;
    memset(&h, 0, sizeof(h));
    h.lang = (uintptr_t)k->lang;
    h.size_q = k->size_q;
    h.script = (uint32_t)k->script;
    h.file = k->file;
    h.rtl = k->rtl;
    memcpy(c->key, &h, sizeof(h));
    memcpy(c->key + sizeof(h), k->cps, k->ncp * sizeof(uint32_t));
    return sizeof(h) + k->ncp * sizeof(uint32_t);
}
