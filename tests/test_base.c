/*
 * test_base.c: status messages, log levels, allocation fault injection,
 * the bounded LRU cache.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "wm_base.h"
#include "wm_lru.h"

START_TEST(error_message_is_formatted_and_code_returned)
{
    wm_status_t st = wm_error(WM_EFORMAT, "manifest: %s: missing '%s'", "a.json", "version");

    ck_assert_int_eq(st, WM_EFORMAT);
    ck_assert_str_eq(wm_last_error(), "manifest: a.json: missing 'version'");
    ck_assert_str_eq(wm_status_str(WM_ENOMEM), "out of memory");
}
END_TEST

START_TEST(log_level_parse_accepts_names_and_rejects_others)
{
    wm_log_level_t lv = WM_LOG_ERROR;

    ck_assert_int_eq(wm_log_level_parse("debug", &lv), WM_OK);
    ck_assert_int_eq(lv, WM_LOG_DEBUG);
    ck_assert_int_eq(wm_log_level_parse("loud", &lv), WM_EINVAL);
    ck_assert_int_eq(lv, WM_LOG_DEBUG);
    ck_assert_ptr_nonnull(strstr(wm_last_error(), "loud"));
}
END_TEST

START_TEST(grow_doubles_and_keeps_contents)
{
    int *buf = NULL;
    size_t cap = 0;

    ck_assert_int_eq(wm_grow((void **)&buf, &cap, 3, sizeof(int)), WM_OK);
    ck_assert_uint_ge(cap, 3);
    buf[2] = 42;
    ck_assert_int_eq(wm_grow((void **)&buf, &cap, 100, sizeof(int)), WM_OK);
    ck_assert_uint_ge(cap, 100);
    ck_assert_int_eq(buf[2], 42);
    free(buf);
}
END_TEST

START_TEST(fault_injection_fails_allocations)
{
    void *a, *b;

    wm_fault_alloc_after(1);
    a = wm_malloc(8);
    b = wm_malloc(8);
    wm_fault_reset();
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_null(b);
    free(a);
}
END_TEST

START_TEST(file_read_reads_text_and_names_the_path_on_errors)
{
    char path[512], *buf = (char *)"untouched";
    const char *dir = tu_tmpdir();
    size_t len = 0;
    FILE *f;

    snprintf(path, sizeof(path), "%s/a.txt", dir);
    ck_assert_int_eq(tu_write_file(path, "key = value\n"), 0);
    ck_assert_int_eq(wm_file_read(path, 64, true, &buf, &len), WM_OK);
    ck_assert_str_eq(buf, "key = value\n");
    ck_assert_uint_eq(len, 12);
    wm_free(buf);

    buf = (char *)"untouched";
    ck_assert_int_eq(wm_file_read(path, 4, true, &buf, &len), WM_EFORMAT);
    ck_assert_ptr_nonnull(strstr(wm_last_error(), "a.txt: larger than 4 bytes"));
    ck_assert_str_eq(buf, "untouched");

    snprintf(path, sizeof(path), "%s/nul.bin", dir);
    f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fwrite("a\0b", 1, 3, f);
    fclose(f);
    ck_assert_int_eq(wm_file_read(path, 64, true, &buf, &len), WM_EFORMAT);
    ck_assert_ptr_nonnull(strstr(wm_last_error(), "contains a NUL byte"));
    ck_assert_int_eq(wm_file_read(path, 64, false, &buf, &len), WM_OK);
    ck_assert_uint_eq(len, 3);
    wm_free(buf);

    snprintf(path, sizeof(path), "%s/missing.txt", dir);
    ck_assert_int_eq(wm_file_read(path, 64, true, &buf, &len), WM_ENOENT);
    ck_assert_ptr_nonnull(strstr(wm_last_error(), "missing.txt: cannot open"));

    /* a message may wrap the last one */
    wm_error(WM_EIO, "inner %d", 7);
    wm_error(WM_EIO, "outer: %s", wm_last_error());
    ck_assert_str_eq(wm_last_error(), "outer: inner 7");
}
END_TEST

START_TEST(utf8_validation_accepts_text_and_rejects_malformed_bytes)
{
    static const char *const good[] = {"",    "Welcome", "مرحبا",
                                       "ሰላም", "မင်္ဂလာပါ", "\xf0\x9f\x87\xba"};
    static const char *const bad[] = {"\xff",         "\xc0\xaf",         "\xe0\x80\xaf",
                                      "\xed\xa0\x80", "\xf4\x90\x80\x80", "a\xe1\x88",
                                      "\x80"};

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        ck_assert_msg(wm_utf8_valid(good[i], strlen(good[i])), "good %zu", i);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(!wm_utf8_valid(bad[i], strlen(bad[i])), "bad %zu", i);
}
END_TEST

/* ---- bounded LRU cache ------------------------------------------------------ */

static wm_status_t lru_put_int(wm_lru_t *lru, int key, int value, size_t cost)
{
    return wm_lru_put(lru, &key, sizeof(key), wm_lru_hash(&key, sizeof(key)), &value, sizeof(value),
                      cost, NULL);
}

/* The value under key, or -1 on a miss. */
static int lru_get_int(wm_lru_t *lru, int key)
{
    size_t len = 0;
    const int *v = wm_lru_get(lru, &key, sizeof(key), wm_lru_hash(&key, sizeof(key)), &len);

    if (!v)
        return -1;
    ck_assert_uint_eq(len, sizeof(int));
    return *v;
}

START_TEST(lru_evicts_least_recently_used_within_both_bounds)
{
    wm_lru_t *lru = NULL;
    wm_lru_stats_t st;
    int i;
    void *p = NULL;

    /* entries bound: 4 */
    ck_assert_int_eq(wm_lru_create(4, 1000, &lru), WM_OK);
    for (i = 0; i < 4; i++)
        ck_assert_int_eq(lru_put_int(lru, i, i * 10, 10), WM_OK);
    ck_assert_int_eq(lru_get_int(lru, 0), 0); /* 0 is now the most recent */
    ck_assert_int_eq(lru_put_int(lru, 4, 40, 10), WM_OK);
    ck_assert_int_eq(lru_get_int(lru, 1), -1); /* 1 was the least recent */
    ck_assert_int_eq(lru_get_int(lru, 0), 0);
    ck_assert_int_eq(lru_get_int(lru, 2), 20);
    ck_assert_int_eq(lru_get_int(lru, 4), 40);
    wm_lru_stats(lru, &st);
    ck_assert_uint_eq(st.entries, 4);
    ck_assert_uint_eq(st.evictions, 1);
    ck_assert_uint_eq(st.bytes, 40);
    ck_assert_uint_eq(st.hits, 4);
    ck_assert_uint_eq(st.misses, 1);
    wm_lru_destroy(lru);

    /* byte bound: 100; costs 30 each hold three, a 90 evicts all three */
    ck_assert_int_eq(wm_lru_create(1000, 100, &lru), WM_OK);
    for (i = 0; i < 3; i++)
        ck_assert_int_eq(lru_put_int(lru, i, i, 30), WM_OK);
    ck_assert_int_eq(lru_put_int(lru, 3, 3, 30), WM_OK);
    ck_assert_int_eq(lru_get_int(lru, 0), -1);
    ck_assert_int_eq(lru_put_int(lru, 9, 9, 90), WM_OK);
    wm_lru_stats(lru, &st);
    ck_assert_uint_eq(st.entries, 1);
    ck_assert_uint_eq(st.bytes, 90);
    ck_assert_uint_eq(st.peak_bytes, 90);
    ck_assert_uint_le(st.bytes, st.max_bytes);
    /* more than the whole bound: refused, nothing evicted */
    ck_assert_int_eq(lru_put_int(lru, 7, 7, 101), WM_EINVAL);
    ck_assert_int_eq(lru_get_int(lru, 9), 9);
    /* values are 16-byte aligned and filled by the caller when value is NULL */
    i = 42;
    ck_assert_int_eq(wm_lru_put(lru, &i, sizeof(i), 5, NULL, 64, 5, &p), WM_OK);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq((uintptr_t)p % 16, 0);
    memset(p, 0xAB, 64);
    ck_assert_ptr_eq(wm_lru_get(lru, &i, sizeof(i), 5, NULL), p);
    wm_lru_destroy(lru);
}
END_TEST

START_TEST(lru_many_keys_with_colliding_hashes_stay_findable)
{
    wm_lru_t *lru = NULL;
    wm_lru_stats_t st;
    char key[32];
    int i, found = 0;

    ck_assert_int_eq(wm_lru_create(5000, 1 << 20, &lru), WM_OK);
    for (i = 0; i < 3000; i++) {
        int len = snprintf(key, sizeof(key), "key-%d", i);

        /* every eighth key shares one hash: chains and rehashing */
        ck_assert_int_eq(wm_lru_put(lru, key, (size_t)len,
                                    i % 8 ? wm_lru_hash(key, (size_t)len) : 7u, &i, sizeof(i),
                                    wm_lru_entry_bytes((size_t)len, sizeof(i)), NULL),
                         WM_OK);
    }
    for (i = 0; i < 3000; i++) {
        int len = snprintf(key, sizeof(key), "key-%d", i);
        const int *v =
            wm_lru_get(lru, key, (size_t)len, i % 8 ? wm_lru_hash(key, (size_t)len) : 7u, NULL);

        found += v && *v == i;
    }
    ck_assert_int_eq(found, 3000);
    wm_lru_stats(lru, &st);
    ck_assert_uint_eq(st.entries, 3000);
    ck_assert_uint_eq(st.evictions, 0);
    wm_lru_destroy(lru);
}
END_TEST

/* A hit allocates nothing; a put that cannot allocate fails with
 * WM_ENOMEM and leaves the cache as it was (nothing evicted). */
START_TEST(lru_hits_do_not_allocate_and_failed_puts_change_nothing)
{
    wm_lru_t *lru = NULL;
    wm_lru_stats_t st;
    long n;

    for (n = 0; n < 2; n++) {
        wm_fault_alloc_after(n);
        ck_assert_int_eq(wm_lru_create(2, 100, &lru), WM_ENOMEM);
        wm_fault_reset();
    }
    ck_assert_int_eq(wm_lru_create(2, 100, &lru), WM_OK);
    ck_assert_int_eq(lru_put_int(lru, 1, 10, 50), WM_OK);
    ck_assert_int_eq(lru_put_int(lru, 2, 20, 50), WM_OK);
    wm_fault_alloc_after(0);
    ck_assert_int_eq(lru_get_int(lru, 1), 10);
    ck_assert_int_eq(lru_put_int(lru, 3, 30, 50), WM_ENOMEM);
    wm_fault_reset();
    ck_assert_int_eq(lru_get_int(lru, 2), 20);
    ck_assert_int_eq(lru_get_int(lru, 3), -1);
    wm_lru_stats(lru, &st);
    ck_assert_uint_eq(st.entries, 2);
    ck_assert_uint_eq(st.evictions, 0);
    wm_lru_destroy(lru);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("base");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, error_message_is_formatted_and_code_returned);
    tcase_add_test(tc, log_level_parse_accepts_names_and_rejects_others);
    tcase_add_test(tc, grow_doubles_and_keeps_contents);
    /* only where allocation failures can be injected (scripts/test builds) */
    if (wm_fault_injection_available())
        tcase_add_test(tc, fault_injection_fails_allocations);
    tcase_add_test(tc, file_read_reads_text_and_names_the_path_on_errors);
    tcase_add_test(tc, utf8_validation_accepts_text_and_rejects_malformed_bytes);
    tcase_add_test(tc, lru_evicts_least_recently_used_within_both_bounds);
    tcase_add_test(tc, lru_many_keys_with_colliding_hashes_stay_findable);
    if (wm_fault_injection_available())
        tcase_add_test(tc, lru_hits_do_not_allocate_and_failed_puts_change_nothing);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
