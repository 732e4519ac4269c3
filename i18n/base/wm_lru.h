/*
 * wm_lru.h: the project's one bounded cache: a hash table and a least
 * recently used list over entries keyed by bytes, bounded in entries and
 * in bytes, used by the shaped-word cache (i18n/) and the glyph cache
 * (render/).
 *
 * Each entry is one allocation holding its key and its value. A lookup
 * that hits allocates nothing; a put allocates the entry and first evicts
 * the least recently used entries until it fits both bounds. What an entry
 * costs toward the byte bound is the caller's choice (the glyph cache
 * counts bitmap bytes, the word cache the whole entry; see
 * wm_lru_entry_bytes).
 */
#ifndef WM_LRU_H
#define WM_LRU_H

#include <stddef.h>
#include <stdint.h>

#include "wm_base.h"

typedef struct wm_lru wm_lru_t;

typedef struct {
    uint64_t hits, misses, evictions;
    size_t entries, bytes, peak_bytes; /* bytes: sum of the entries' costs */
    size_t max_entries, max_bytes;     /* the bounds */
} wm_lru_stats_t;

/* A cache of at most max_entries entries costing at most max_bytes in
 * all. Free with wm_lru_destroy() (which frees every entry). */
wm_status_t wm_lru_create(size_t max_entries, size_t max_bytes, wm_lru_t **out);
void wm_lru_destroy(wm_lru_t *lru);

/* A hash of key bytes (FNV-1a folded), for callers with no better one. */
uint32_t wm_lru_hash(const void *key, size_t len);

/* What an entry with klen key and vlen value bytes takes in memory. */
size_t wm_lru_entry_bytes(size_t klen, size_t vlen);

/* The value stored under key (hash is the caller's hash of the key, the
 * same for every call with that key), made the most recently used, and its
 * length in *vlen (may be NULL); NULL on a miss. The value is owned by the
 * cache and stays valid until the next wm_lru_put() or wm_lru_destroy(). */
void *wm_lru_get(wm_lru_t *lru, const void *key, size_t klen, uint32_t hash, size_t *vlen);

/* Stores a new entry (key must not be in the cache) of vlen value bytes,
 * 16-byte aligned, copied from value when value is not NULL, else left for
 * the caller to fill through *out (may be NULL). cost counts toward the
 * byte bound. Least recently used entries are evicted until it fits. An
 * entry whose cost exceeds the whole bound is refused with WM_EINVAL
 * (nothing evicted). WM_ENOMEM when it cannot be allocated (then nothing
 * was evicted either). */
wm_status_t wm_lru_put(wm_lru_t *lru, const void *key, size_t klen, uint32_t hash,
                       const void *value, size_t vlen, size_t cost, void **out);

/* Frees every entry; the bounds and the hit, miss and eviction counters
 * stay. Allocates nothing. */
void wm_lru_clear(wm_lru_t *lru);

/* Counters since the cache was created. */
void wm_lru_stats(const wm_lru_t *lru, wm_lru_stats_t *out);

#endif
