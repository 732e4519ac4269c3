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
 * (slot headers plus the words' code points and glyphs; the bucket array,
 * at most 64 KiB, is not counted), whichever comes first, least recently
 * used evicted first. Slots live in a pool addressed
 * by index with a chained hash table and an LRU list threaded through it;
 * a word's code points and glyphs are one allocation made on a miss, so a
 * hit allocates nothing.
 */
#include "i18n_private.h"

#include <string.h>

#define NIL UINT32_MAX

typedef struct {
    uint32_t hash;
    uint32_t hash_next;          /* chain in the bucket, or NIL */
    uint32_t lru_prev, lru_next; /* towards more / less recently used */
    uint32_t size_q;
    hb_script_t script;
    hb_language_t lang;
    uint16_t file;
    uint8_t rtl;
    bool used;
    uint16_t ncp, ng;
    uint32_t *cps;            /* ncp code points, then the glyphs */
    i18n_word_glyph_t *glyph; /* inside the same allocation as cps */
} word_slot_t;

struct i18n_word_cache {
    size_t max_entries, max_bytes;
    word_slot_t *slots;
    size_t slot_count, slot_cap;
    uint32_t free_head; /* free slots chained by hash_next */
    uint32_t *buckets;
    size_t bucket_count; /* power of two */
    uint32_t lru_head, lru_tail;
    i18n_word_cache_stats_t stats;
};

static bool slot_matches(const word_slot_t *s, const i18n_word_key_t *k, uint32_t hash);
static size_t slot_bytes(size_t ncp, size_t ng);
static void lru_unlink(i18n_word_cache_t *c, uint32_t i);
static void lru_push_front(i18n_word_cache_t *c, uint32_t i);
static void evict_lru(i18n_word_cache_t *c);
static wm_status_t rehash(i18n_word_cache_t *c, size_t bucket_count);

wm_status_t i18n_word_cache_create(size_t max_entries, size_t max_bytes, i18n_word_cache_t **out)
{
    i18n_word_cache_t *c = wm_calloc(1, sizeof(*c));
    wm_status_t st;

    if (!c)
        return wm_error(WM_ENOMEM, "word cache: out of memory");
    c->max_entries = max_entries;
    c->max_bytes = max_bytes;
    c->free_head = NIL;
    c->lru_head = c->lru_tail = NIL;
    c->stats.max_entries = max_entries;
    c->stats.max_bytes = max_bytes;
    st = rehash(c, 1024);
    if (st != WM_OK) {
        wm_free(c);
        return st;
    }
    *out = c;
    return WM_OK;
}

void i18n_word_cache_destroy(i18n_word_cache_t *c)
{
    size_t i;

    if (!c)
        return;
    for (i = 0; i < c->slot_count; i++)
        wm_free(c->slots[i].cps);
    wm_free(c->slots);
    wm_free(c->buckets);
    wm_free(c);
}

void i18n_word_cache_stats(const i18n_word_cache_t *c, i18n_word_cache_stats_t *out)
{
    *out = c->stats;
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
    uint32_t i;

    for (i = c->buckets[hash & (c->bucket_count - 1)]; i != NIL; i = c->slots[i].hash_next) {
        word_slot_t *s = &c->slots[i];

        if (slot_matches(s, k, hash)) {
            c->stats.hits++;
            if (c->lru_head != i) {
                lru_unlink(c, i);
                lru_push_front(c, i);
            }
            *ng = s->ng;
            return s->glyph;
        }
    }
    c->stats.misses++;
    return NULL;
}

wm_status_t i18n_word_cache_put(i18n_word_cache_t *c, const i18n_word_key_t *k, uint32_t hash,
                                const i18n_word_glyph_t *glyphs, size_t ng)
{
    size_t need = slot_bytes(k->ncp, ng);
    word_slot_t *s;
    uint32_t i;
    void *data;

    if (k->ncp > UINT16_MAX || ng > UINT16_MAX || need > c->max_bytes || c->max_entries == 0)
        return WM_OK;
    while (c->lru_tail != NIL &&
           (c->stats.bytes + need > c->max_bytes || c->stats.entries >= c->max_entries))
        evict_lru(c);
    data = wm_malloc(need - sizeof(word_slot_t));
    if (!data)
        return wm_error(WM_ENOMEM, "word cache: out of memory");
    if (c->free_head != NIL) {
        i = c->free_head;
        c->free_head = c->slots[i].hash_next;
    } else {
        if (wm_grow((void **)&c->slots, &c->slot_cap, c->slot_count + 1, sizeof(word_slot_t)) !=
            WM_OK) {
            wm_free(data);
            return wm_error(WM_ENOMEM, "word cache: out of memory");
        }
        i = (uint32_t)c->slot_count++;
    }
    s = &c->slots[i];
    s->hash = hash;
    s->size_q = k->size_q;
    s->script = k->script;
    s->lang = k->lang;
    s->file = k->file;
    s->rtl = k->rtl;
    s->used = true;
    s->ncp = (uint16_t)k->ncp;
    s->ng = (uint16_t)ng;
    s->cps = data;
    s->glyph = (i18n_word_glyph_t *)(s->cps + k->ncp);
    memcpy(s->cps, k->cps, k->ncp * sizeof(uint32_t));
    memcpy(s->glyph, glyphs, ng * sizeof(*glyphs));
    s->hash_next = c->buckets[hash & (c->bucket_count - 1)];
    c->buckets[hash & (c->bucket_count - 1)] = i;
    s->lru_prev = s->lru_next = NIL;
    lru_push_front(c, i);
    c->stats.entries++;
    c->stats.bytes += need;
    if (c->stats.bytes > c->stats.peak_bytes)
        c->stats.peak_bytes = c->stats.bytes;
    /* keep chains short; grows while warming up only (failure is harmless) */
    if (c->stats.entries > c->bucket_count)
        (void)rehash(c, c->bucket_count * 2);
    return WM_OK;
}

static bool slot_matches(const word_slot_t *s, const i18n_word_key_t *k, uint32_t hash)
{
    return s->hash == hash && s->ncp == k->ncp && s->file == k->file && s->size_q == k->size_q &&
           s->script == k->script && s->lang == k->lang && s->rtl == k->rtl &&
           memcmp(s->cps, k->cps, k->ncp * sizeof(uint32_t)) == 0;
}

/* What a word holds: its slot, its code points and its glyphs. */
static size_t slot_bytes(size_t ncp, size_t ng)
{
    return sizeof(word_slot_t) + ncp * sizeof(uint32_t) + ng * sizeof(i18n_word_glyph_t);
}

static void lru_unlink(i18n_word_cache_t *c, uint32_t i)
{
    word_slot_t *s = &c->slots[i];

    if (s->lru_prev != NIL)
        c->slots[s->lru_prev].lru_next = s->lru_next;
    else
        c->lru_head = s->lru_next;
    if (s->lru_next != NIL)
        c->slots[s->lru_next].lru_prev = s->lru_prev;
    else
        c->lru_tail = s->lru_prev;
    s->lru_prev = s->lru_next = NIL;
}

static void lru_push_front(i18n_word_cache_t *c, uint32_t i)
{
    word_slot_t *s = &c->slots[i];

    s->lru_prev = NIL;
    s->lru_next = c->lru_head;
    if (c->lru_head != NIL)
        c->slots[c->lru_head].lru_prev = i;
    c->lru_head = i;
    if (c->lru_tail == NIL)
        c->lru_tail = i;
}

static void evict_lru(i18n_word_cache_t *c)
{
    uint32_t i = c->lru_tail;
    word_slot_t *s = &c->slots[i];
    uint32_t *p = &c->buckets[s->hash & (c->bucket_count - 1)];

    lru_unlink(c, i);
    while (*p != NIL && *p != i)
        p = &c->slots[*p].hash_next;
    if (*p == i)
        *p = s->hash_next;
    c->stats.bytes -= slot_bytes(s->ncp, s->ng);
    c->stats.entries--;
    c->stats.evictions++;
    wm_free(s->cps);
    s->cps = NULL;
    s->glyph = NULL;
    s->used = false;
    s->hash_next = c->free_head;
    c->free_head = i;
}

static wm_status_t rehash(i18n_word_cache_t *c, size_t bucket_count)
{
    uint32_t *b = wm_malloc(bucket_count * sizeof(*b));
    size_t i;

    if (!b)
        return wm_error(WM_ENOMEM, "word cache: out of memory");
    for (i = 0; i < bucket_count; i++)
        b[i] = NIL;
    for (i = 0; i < c->slot_count; i++) {
        word_slot_t *s = &c->slots[i];
        uint32_t h;

        if (!s->used)
            continue;
        h = s->hash & (uint32_t)(bucket_count - 1);
        s->hash_next = b[h];
        b[h] = (uint32_t)i;
    }
    wm_free(c->buckets);
    c->buckets = b;
    c->bucket_count = bucket_count;
    return WM_OK;
}
