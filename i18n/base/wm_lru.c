/*
 * wm_lru.c: a bounded LRU cache keyed by bytes (see wm_lru.h).
 *
 * Entries are single allocations: a header, the key, then the value at a
 * 16-byte aligned offset. They hang in a chained hash table (power-of-two
 * bucket count, doubled while the cache warms up so chains stay short)
 * and in a doubly linked list from most to least recently used.
 */
#include "wm_lru.h"

#include <stdbool.h>
#include <string.h>

#define LRU_ALIGN           16
#define LRU_INITIAL_BUCKETS 256

typedef struct lru_entry {
    struct lru_entry *hash_next;
    struct lru_entry *prev, *next; /* towards more / less recently used */
    uint32_t hash;
    size_t klen, vlen, cost;
    /* key bytes follow, then the value at value_offset(klen) */
} lru_entry_t;

struct wm_lru {
    lru_entry_t **buckets;
    size_t bucket_count; /* power of two */
    lru_entry_t *head, *tail;
    wm_lru_stats_t stats;
};

static size_t value_offset(size_t klen);
static unsigned char *entry_key(lru_entry_t *e);
static void list_unlink(wm_lru_t *lru, lru_entry_t *e);
static void list_push_front(wm_lru_t *lru, lru_entry_t *e);
static void evict_tail(wm_lru_t *lru);
static bool rehash(wm_lru_t *lru, size_t bucket_count);

wm_status_t wm_lru_create(size_t max_entries, size_t max_bytes, wm_lru_t **out)
{
    wm_lru_t *lru;

    if (!out)
        return wm_error(WM_EINVAL, "cache: no output pointer");
    lru = wm_calloc(1, sizeof(*lru));
    if (!lru)
        return wm_error(WM_ENOMEM, "cache: out of memory");
    lru->stats.max_entries = max_entries;
    lru->stats.max_bytes = max_bytes;
    if (!rehash(lru, LRU_INITIAL_BUCKETS)) {
        wm_free(lru);
        return wm_error(WM_ENOMEM, "cache: out of memory");
    }
    *out = lru;
    return WM_OK;
}

void wm_lru_destroy(wm_lru_t *lru)
{
    lru_entry_t *e, *next;

    if (!lru)
        return;
    for (e = lru->head; e; e = next) {
        next = e->next;
        wm_free(e);
    }
    wm_free(lru->buckets);
    wm_free(lru);
}

void wm_lru_clear(wm_lru_t *lru)
{
    lru_entry_t *e, *next;

    if (!lru)
        return;
    for (e = lru->head; e; e = next) {
        next = e->next;
        wm_free(e);
    }
    memset(lru->buckets, 0, lru->bucket_count * sizeof(*lru->buckets));
    lru->head = lru->tail = NULL;
    lru->stats.entries = 0;
    lru->stats.bytes = 0;
}

uint32_t wm_lru_hash(const void *key, size_t len)
{
    const unsigned char *p = key;
    uint32_t h = 2166136261u;
    size_t i;

    for (i = 0; i < len; i++)
        h = (h ^ p[i]) * 16777619u;
    return h ^ (h >> 16);
}

size_t wm_lru_entry_bytes(size_t klen, size_t vlen)
{
    return value_offset(klen) + vlen;
}

void *wm_lru_get(wm_lru_t *lru, const void *key, size_t klen, uint32_t hash, size_t *vlen)
{
    lru_entry_t *e;

    for (e = lru->buckets[hash & (lru->bucket_count - 1)]; e; e = e->hash_next) {
        if (e->hash == hash && e->klen == klen && memcmp(entry_key(e), key, klen) == 0) {
            lru->stats.hits++;
            if (lru->head != e) {
                list_unlink(lru, e);
                list_push_front(lru, e);
            }
            if (vlen)
                *vlen = e->vlen;
            return (unsigned char *)e + value_offset(klen);
        }
    }
    lru->stats.misses++;
    return NULL;
}

wm_status_t wm_lru_put(wm_lru_t *lru, const void *key, size_t klen, uint32_t hash,
                       const void *value, size_t vlen, size_t cost, void **out)
{
    size_t size = wm_lru_entry_bytes(klen, vlen), b;
    lru_entry_t *e;

    if (cost > lru->stats.max_bytes || lru->stats.max_entries == 0 || klen > SIZE_MAX / 4 ||
        vlen > SIZE_MAX / 4)
        return wm_error(WM_EINVAL, "cache: an entry of %zu bytes exceeds the bound of %zu", cost,
                        lru->stats.max_bytes);
    /* allocated before anything is evicted: a failure leaves the cache */
    e = wm_malloc(size);
    if (!e)
        return wm_error(WM_ENOMEM, "cache: out of memory");
    while (lru->tail && (lru->stats.bytes + cost > lru->stats.max_bytes ||
                         lru->stats.entries >= lru->stats.max_entries))
        evict_tail(lru);
    e->hash = hash;
    e->klen = klen;
    e->vlen = vlen;
    e->cost = cost;
    memcpy(entry_key(e), key, klen);
    if (value)
        memcpy((unsigned char *)e + value_offset(klen), value, vlen);
    b = hash & (lru->bucket_count - 1);
    e->hash_next = lru->buckets[b];
    lru->buckets[b] = e;
    list_push_front(lru, e);
    lru->stats.entries++;
    lru->stats.bytes += cost;
    if (lru->stats.bytes > lru->stats.peak_bytes)
        lru->stats.peak_bytes = lru->stats.bytes;
    if (out)
        *out = (unsigned char *)e + value_offset(klen);
    /* keep chains short; grows while warming up only (failure is harmless) */
    if (lru->stats.entries > lru->bucket_count)
        (void)rehash(lru, lru->bucket_count * 2);
    return WM_OK;
}

void wm_lru_stats(const wm_lru_t *lru, wm_lru_stats_t *out)
{
    if (lru && out)
        *out = lru->stats;
}

static size_t value_offset(size_t klen)
{
    return (sizeof(lru_entry_t) + klen + LRU_ALIGN - 1) & ~(size_t)(LRU_ALIGN - 1);
}

static unsigned char *entry_key(lru_entry_t *e)
{
    return (unsigned char *)(e + 1);
}

static void list_unlink(wm_lru_t *lru, lru_entry_t *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        lru->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        lru->tail = e->prev;
    e->prev = e->next = NULL;
}

static void list_push_front(wm_lru_t *lru, lru_entry_t *e)
{
    e->prev = NULL;
    e->next = lru->head;
    if (lru->head)
        lru->head->prev = e;
    lru->head = e;
    if (!lru->tail)
        lru->tail = e;
}

/* Drops the least recently used entry and frees it, so the memory really
 * held stays within the bound. */
static void evict_tail(wm_lru_t *lru)
{
    lru_entry_t *e = lru->tail, **p = &lru->buckets[e->hash & (lru->bucket_count - 1)];

    list_unlink(lru, e);
    while (*p && *p != e)
        p = &(*p)->hash_next;
    if (*p == e)
        *p = e->hash_next;
    lru->stats.bytes -= e->cost;
    lru->stats.entries--;
    lru->stats.evictions++;
    wm_free(e);
}

/* Rebuilds the table with bucket_count buckets; false (and the table as it
 * was) when they cannot be allocated. */
static bool rehash(wm_lru_t *lru, size_t bucket_count)
{
    lru_entry_t **b = wm_calloc(bucket_count, sizeof(*b)), *e;

    if (!b)
        return false;
    for (e = lru->head; e; e = e->next) {
        size_t i = e->hash & (bucket_count - 1);

        e->hash_next = b[i];
        b[i] = e;
    }
    wm_free(lru->buckets);
    lru->buckets = b;
    lru->bucket_count = bucket_count;
    return true;
}
