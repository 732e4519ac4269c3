/*
 * test_content.c: the placeholder content model: the sample content loads,
 * broken content is reported with the file at fault, the built-in fallback
 * is always there.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "content.h"
#include "testutil.h"

static void expect_error(const char *needle)
{
    ck_assert_msg(strstr(wm_last_error(), needle) != NULL, "message '%s' lacks '%s'",
                  wm_last_error(), needle);
}

/* A content folder with an index and the given strings files. */
static const char *make_content(const char *index, const char *tag, const char *strings)
{
    const char *dir = tu_tmpdir();
    char path[512];

    snprintf(path, sizeof(path), "%s/content.json", dir);
    ck_assert_int_eq(tu_write_file(path, index), 0);
    snprintf(path, sizeof(path), "%s/strings", dir);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    if (tag) {
        snprintf(path, sizeof(path), "%s/strings/%s.json", dir, tag);
        ck_assert_int_eq(tu_write_file(path, strings), 0);
    }
    return dir;
}

START_TEST(sample_loads)
{
    content_t *c = NULL;
    int ar;

    ck_assert_msg(content_load_dir(WAYMARK_SOURCE_DIR "/content/sample", &c) == WM_OK, "%s",
                  wm_last_error());
    ck_assert_uint_eq(content_language_count(c), 14);
    ck_assert_str_eq(content_language_tag(c, 0), "en");
    ar = content_language_find(c, "ar");
    ck_assert_int_ge(ar, 0);
    ck_assert_str_eq(content_string(c, (size_t)ar, "autonym"), "العربية");
    ck_assert_int_ge(content_language_find(c, "ckb-Latn"), 0);
    ck_assert_int_eq(content_language_find(c, "de"), -1);
    ck_assert_ptr_null(content_string(c, 0, "no-such-key"));
    ck_assert_ptr_null(content_language_tag(c, 99));
    /* every language has every string the screens show */
    for (size_t i = 0; i < content_language_count(c); i++) {
        static const char *const keys[] = {"autonym", "welcome", "choose", "title", "body", "back"};

        for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
            ck_assert_msg(content_string(c, i, keys[k]) != NULL, "%s lacks %s",
                          content_language_tag(c, i), keys[k]);
    }
    content_destroy(c);
}
END_TEST

START_TEST(builtin_fallback)
{
    content_t *c = NULL;

    ck_assert_int_eq(content_builtin(&c), WM_OK);
    ck_assert_uint_eq(content_language_count(c), 1);
    ck_assert_str_eq(content_source(c), "built-in");
    ck_assert_str_eq(content_string(c, 0, "welcome"), "Welcome");
    content_destroy(c);
}
END_TEST

static const struct {
    const char *index, *tag, *strings, *needle;
} bad[] = {
    {"{\"format\": 1, \"languages\": [\"en\"]}", NULL, NULL, "strings/en.json"},
    {"{\"format\": 1,\n \"languages\": [\"en\",]\n}", NULL, NULL, "content.json:2: not valid JSON"},
    {"{\"format\": 2, \"languages\": [\"en\"]}", NULL, NULL, "'format' must be 1"},
    {"{\"format\": 1, \"languages\": []}", NULL, NULL, "'languages' must be a list"},
    {"{\"format\": 1, \"languages\": [\"../x\"]}", NULL, NULL, "bad language tag '../x'"},
    {"{\"format\": 1, \"languages\": [\"en\", \"en\"]}", "en", "{\"autonym\": \"English\"}",
     "language 'en' listed twice"},
    {"{\"format\": 1, \"languages\": [\"en\"]}", "en", "{\"welcome\": \"Hi\"}",
     "strings/en.json: missing 'autonym'"},
    {"{\"format\": 1, \"languages\": [\"en\"]}", "en", "{\"autonym\": \"English\", \"n\": 3}",
     "strings/en.json: 'n' is not a string"},
    {"[1, 2]", NULL, NULL, "content.json: not a JSON object"},
    {"{\"format\": 1, \"languages\": [\"en\"]}", "en",
     "{\"autonym\": \"English\", \"body\": \"a \xff byte\"}",
     "strings/en.json: 'body' is not valid UTF-8"},
};

START_TEST(bad_content_names_the_file)
{
    const char *dir = make_content(bad[_i].index, bad[_i].tag, bad[_i].strings);
    content_t *c = (content_t *)0x1;

    ck_assert_int_ne(content_load_dir(dir, &c), WM_OK);
    expect_error(dir);
    expect_error(bad[_i].needle);
    ck_assert_ptr_eq(c, (content_t *)0x1);
}
END_TEST

START_TEST(missing_folder)
{
    content_t *c = NULL;

    ck_assert_int_eq(content_load_dir("/nonexistent/content", &c), WM_ENOENT);
    expect_error("/nonexistent/content/content.json");
}
END_TEST

START_TEST(out_of_memory_is_reported)
{
    content_t *c = NULL;

    for (long n = 0; n < 8; n++) {
        wm_fault_alloc_after(n);
        wm_status_t st = content_load_dir(WAYMARK_SOURCE_DIR "/content/sample", &c);
        wm_fault_reset();
        if (st == WM_OK) {
            content_destroy(c);
            c = NULL;
        } else {
            ck_assert_int_eq(st, WM_ENOMEM);
        }
    }
}
END_TEST

static Suite *content_suite(void)
{
    Suite *s = suite_create("content");
    TCase *tc = tcase_create("load");

    tcase_add_test(tc, sample_loads);
    tcase_add_test(tc, builtin_fallback);
    tcase_add_loop_test(tc, bad_content_names_the_file, 0, sizeof(bad) / sizeof(bad[0]));
    tcase_add_test(tc, missing_folder);
    /* only where allocation failures can be injected (scripts/test builds) */
    if (wm_fault_injection_available())
        tcase_add_test(tc, out_of_memory_is_reported);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(content_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
