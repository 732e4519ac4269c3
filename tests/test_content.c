/*
 * test_content.c: the content model: the sample content loads and
 * validates clean; broken files are reported with file and line and cost
 * only their language; texts fall back local language -> English; opening
 * hours in a real time zone across DST, midnight, closures and exceptions;
 * languages the built-in table does not know; `waymark bundle validate`.
 */
#include <check.h>
#include <cjson/cJSON.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "content.h"
#include "i18n.h"
#include "testutil.h"

#define SAMPLE WAYMARK_SOURCE_DIR "/content/sample"

static void expect_error(const char *needle)
{
    ck_assert_msg(strstr(wm_last_error(), needle) != NULL, "message '%s' lacks '%s'",
                  wm_last_error(), needle);
}

/* ---- a small content folder ----------------------------------------------- */

static const char *mini_files[][2] = {
    {"content.json", "{\"format\": 2, \"languages\": [\"en\", \"fr\", {\"tag\": \"ar\", "
                     "\"review\": true, \"fonts\": [\"NotoNaskhArabic-Regular.ttf\"]}]}"},
    {"site.json", "{\"id\": \"t\", \"local_language\": \"fr\", \"timezone\": \"Europe/Paris\"}"},
    {"categories.json", "{\"categories\": [{\"id\": \"health\", \"icon\": \"icons/h.png\"}]}"},
    {"services.json",
     "{\"services\": [{\"id\": \"clinic\", \"category\": \"health\", \"phone\": \"+33 1 99 00 "
     "00 01\",\n \"hours\": {\"weekdays\": [\"09:00-17:00\"], \"sat\": [\"20:00-02:00\"]},\n"
     " \"exceptions\": [{\"date\": \"2026-12-25\", \"hours\": []}],\n"
     " \"closures\": [{\"from\": \"2026-08-01\", \"to\": \"2026-08-15\"}],\n"
     " \"flags\": [\"free\", \"walk_in\"], \"audience\": [\"women\"], \"languages\": [\"fr\"],"
     " \"qr\": \"tel:+33199000001\"}]}"},
    {"rights.json", "{\"pages\": [\"article-1\"]}"},
    {"strings/en.json", "{\"autonym\": \"English\", \"welcome\": \"Welcome\", \"site.name\": "
                        "\"Test\",\n \"category.health\": \"Health\", \"service.clinic.name\": "
                        "\"Clinic\",\n \"only.en\": \"English only\"}"},
    {"strings/fr.json", "{\"autonym\": \"Français\", \"welcome\": \"Bienvenue\", \"site.name\": "
                        "\"Test\",\n \"category.health\": \"Santé\", \"service.clinic.name\": "
                        "\"Centre\",\n \"only.fr\": \"Français seulement\"}"},
    {"strings/ar.json", "{\"autonym\": \"العربية\", \"welcome\": \"أهلاً\"}"},
    {"rights/en.json", "{\"rights.article-1.title\": \"Article 1\", \"rights.article-1.body\": "
                       "\"All human beings are born free.\"}"},
    {"rights/fr.json", "{\"rights.article-1.title\": \"Article premier\", "
                       "\"rights.article-1.body\": \"Tous les êtres humains naissent libres.\"}"},
};

#define MINI_COUNT (sizeof(mini_files) / sizeof(mini_files[0]))

static void write_rel(const char *dir, const char *rel, const char *text)
{
    char path[512];

    snprintf(path, sizeof(path), "%s/strings", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof(path), "%s/rights", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof(path), "%s/icons", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    if (text)
        ck_assert_int_eq(tu_write_file(path, text), 0);
    else
        unlink(path);
}

/* The mini content with file `rel` replaced by text (NULL: removed). */
static const char *make_mini(const char *rel, const char *text)
{
    static char dir[256];
    char png[512];
    FILE *f;

    snprintf(dir, sizeof(dir), "%s", tu_tmpdir());
    for (size_t i = 0; i < MINI_COUNT; i++)
        write_rel(dir, mini_files[i][0],
                  rel && strcmp(rel, mini_files[i][0]) == 0 ? text : mini_files[i][1]);
    if (rel) {
        bool known = false;

        for (size_t i = 0; i < MINI_COUNT; i++)
            known = known || strcmp(rel, mini_files[i][0]) == 0;
        if (!known)
            write_rel(dir, rel, text);
    }
    snprintf(png, sizeof(png), "%s/icons/h.png", dir);
    f = fopen(png, "wb");
    ck_assert_ptr_nonnull(f);
    /* signature and IHDR of a 96x96 image: what validation reads */
    fwrite("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x60\0\0\0\x60", 1, 24, f);
    fclose(f);
    return dir;
}

/* The validation report of dir; fails the test when validation cannot run. */
static content_report_t *validate(const char *dir)
{
    content_report_t *r = NULL;

    ck_assert_msg(content_validate(dir, &r) == WM_OK, "%s", wm_last_error());
    return r;
}

static const content_issue_t *find_issue(const content_report_t *r, const char *code,
                                         const char *file)
{
    for (size_t i = 0; i < content_report_count(r); i++) {
        const content_issue_t *is = content_report_issue(r, i);

        if (strcmp(is->code, code) == 0 && (!file || (is->file && strcmp(is->file, file) == 0)))
            return is;
    }
    return NULL;
}

static void dump(const content_report_t *r)
{
    for (size_t i = 0; i < content_report_count(r); i++) {
        const content_issue_t *is = content_report_issue(r, i);

        fprintf(stderr, "  %s:%d: %s [%s] %s\n", is->file ? is->file : "-", is->line,
                is->level == CONTENT_ISSUE_ERROR ? "error" : "warning", is->code, is->message);
    }
}

/* ---- the sample ---------------------------------------------------------- */

START_TEST(sample_loads)
{
    content_t *c = NULL;
    const content_language_t *ckb;
    const content_service_t *s;
    size_t used = 99;
    int ar, fr;
    unsigned cats = 0;

    ck_assert_msg(content_load_dir(SAMPLE, &c) == WM_OK, "%s", wm_last_error());
    ck_assert_uint_eq(content_language_count(c), 15);
    ck_assert_str_eq(content_language_tag(c, 0), "en");
    ar = content_language_find(c, "ar");
    fr = content_language_find(c, "fr");
    ck_assert_int_ge(ar, 0);
    ck_assert_str_eq(content_string(c, (size_t)ar, "autonym"), "العربية");
    ck_assert(content_language(c, (size_t)ar)->rtl);
    ck_assert_int_ge(content_language_find(c, "ckb-Latn"), 0);
    ck_assert_int_eq(content_language_find(c, "de"), -1);
    ck_assert_ptr_null(content_string(c, 0, "no-such-key"));
    ck_assert_ptr_null(content_language_tag(c, 99));
    /* Sorani in Arabic script, waiting for a translator */
    ckb = content_language(c, (size_t)content_language_find(c, "ckb"));
    ck_assert_ptr_nonnull(ckb);
    ck_assert(ckb->rtl && ckb->review);
    ck_assert_str_eq(ckb->script, "Arab");
    ck_assert_str_eq(content_string(c, (size_t)content_language_find(c, "ckb"), "welcome"),
                     "بەخێر بێن");
    /* every language has every string the screens show */
    for (size_t i = 0; i < content_language_count(c); i++) {
        static const char *const keys[] = {
            "autonym", "welcome",       "choose",   "title",     "body",
            "back",    "menu.services", "open_now", "flag.free", "service.clinic.name"};

        for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
            ck_assert_msg(content_string(c, i, keys[k]) != NULL, "%s lacks %s",
                          content_language_tag(c, i), keys[k]);
    }
    ck_assert_str_eq(content_site(c)->timezone, "Europe/Paris");
    ck_assert_str_eq(content_site(c)->local_language, "fr");
    ck_assert_uint_ge(content_service_count(c), 12);
    ck_assert_uint_ge(content_category_count(c), 6);
    for (size_t i = 0; i < content_service_count(c); i++)
        cats |= 1u << content_service(c, i)->category;
    ck_assert_uint_eq(cats, (1u << content_category_count(c)) - 1); /* none empty */
    s = content_service(c, 0);
    ck_assert_str_eq(s->id, "clinic");
    ck_assert_uint_eq(s->flags, CONTENT_FLAG_FREE | CONTENT_FLAG_NO_DOCUMENTS |
                                    CONTENT_FLAG_WALK_IN | CONTENT_FLAG_WHEELCHAIR);
    ck_assert(s->has_position);
    ck_assert_str_eq(content_category(c, s->category)->icon, "icons/health.png");
    /* rights: preamble and 30 articles, from the UDHR */
    ck_assert_uint_eq(content_rights_count(c), 31);
    ck_assert_str_eq(content_rights_id(c, 1), "article-1");
    ck_assert_ptr_nonnull(strstr(content_text(c, (size_t)ar, "rights.article-1.body", &used),
                                 "يولد جميع الناس أحرارًا"));
    ck_assert_uint_eq(used, (size_t)ar);
    /* no Amharic preamble in the UDHR corpus: the local language's shows */
    ck_assert_ptr_nonnull(
        content_text(c, (size_t)content_language_find(c, "am"), "rights.preamble.body", &used));
    ck_assert_uint_eq(used, (size_t)fr);
    content_destroy(c);
}
END_TEST

START_TEST(sample_validates_clean)
{
    content_report_t *r = validate(SAMPLE);

    if (content_report_errors(r))
        dump(r);
    ck_assert_uint_eq(content_report_errors(r), 0);
    ck_assert_ptr_null(find_issue(r, "uncovered-character", NULL));
    /* what is left for translators to do, said per language */
    ck_assert_ptr_nonnull(find_issue(r, "review", "content.json"));
    ck_assert_uint_eq(content_report_missing(r, "am"), 2); /* preamble title and body */
    ck_assert_uint_eq(content_report_missing(r, "ar"), 0);
    ck_assert_uint_eq(content_report_language_count(r), 15);
    content_report_destroy(r);
}
END_TEST

START_TEST(builtin_fallback)
{
    content_t *c = NULL;

    ck_assert_int_eq(content_builtin(&c), WM_OK);
    ck_assert_uint_eq(content_language_count(c), 1);
    ck_assert_str_eq(content_source(c), "built-in");
    ck_assert_str_eq(content_string(c, 0, "welcome"), "Welcome");
    ck_assert_str_eq(content_text(c, 0, "back", NULL), "Back");
    ck_assert_uint_eq(content_service_count(c), 0);
    content_destroy(c);
}
END_TEST

/* ---- broken files ---------------------------------------------------------- */

#define CAT4   "{}, {}, {}, {}, "
#define CAT16  CAT4 CAT4 CAT4 CAT4
#define CATS65 CAT16 CAT16 CAT16 CAT16 "{}"

static const struct {
    const char *file, *text, *needle;
} bad[] = {
    {"content.json", NULL, "content.json: missing"},
    {"content.json", "{\"format\": 2,\n \"languages\": [\"en\",]\n}",
     "content.json:2: not valid JSON"},
    {"content.json", "{\"format\": 1, \"languages\": [\"en\"]}", "'format' must be 2"},
    {"content.json", "{\"format\": 2, \"languages\": []}", "'languages' must be a list"},
    {"content.json", "{\"format\": 2, \"languages\": [\"../x\"]}", "bad language tag '../x'"},
    {"content.json", "{\"format\": 2, \"languages\": [\"en\", \"en\"]}",
     "language 'en' listed twice"},
    {"content.json", "[1, 2]", "content.json:1: not a JSON object"},
    {"content.json", "{\"format\": 2,\n\"languages\": [\"en\"]}\n{}",
     "content.json:3: data after the end"},
    {"content.json", "{\"format\": 2,\n\"format\": 2, \"languages\": [\"en\"]}",
     "content.json:2: key 'format' given twice (first on line 1)"},
    {"site.json", "{\"id\": \"t\", \"local_language\": \"fr\",\n \"timezone\": \"Mars/Olympus\"}",
     "site.json:2: unknown time zone 'Mars/Olympus'"},
    {"site.json", "{\"id\": \"t\", \"timezone\": \"UTC\"}",
     "site.json:1: missing 'local_language'"},
    {"categories.json", "{\"categories\": [{\"id\": \"health\", \"icon\": \"../../etc/x.png\"}]}",
     "must be a path inside the content folder"},
    {"services.json", "{\"services\": [{\"id\": \"x\",\n \"category\": \"nope\"}]}",
     "services.json:1: service 'x': unknown category 'nope'"},
    {"services.json",
     "{\"services\": [{\"id\": \"x\", \"category\": \"health\",\n \"flags\": [\"cheap\"]}]}",
     "services.json:2: unknown flags entry"},
    {"rights.json", "{\"pages\": [\"a\", \"a\"]}", "page 'a' given twice"},
    {"categories.json", "{\"categories\": [" CATS65 "]}", "'categories' holds more than 64"},
};

START_TEST(bad_content_names_the_file_and_line)
{
    const char *dir = make_mini(bad[_i].file, bad[_i].text);
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

/* One broken language file costs only that language, and says so. */
static const struct {
    const char *text, *needle;
} bad_lang[] = {
    {"{\"autonym\": \"العربية\",\n \"welcome\": \"أهلاً\",\n \"welcome\": \"مرحباً\"}",
     "strings/ar.json:3: key 'welcome' given twice (first on line 2)"},
    {"{\"autonym\": \"العربية\"}\n}", "strings/ar.json:2: data after the end of the object"},
    {"{\"autonym\": \"العربية\",\n \"welcome\": \"a\\u0000b\"}",
     "strings/ar.json:2: string holds \\u0000"},
    {"{\"autonym\": \"العربية\", \"n\": 3}", "strings/ar.json:1: 'n' is not a string"},
    {"{\"autonym\": \"a \xff byte\"}", "strings/ar.json:1: 'autonym' is not valid UTF-8"},
    {"{\"autonym\": \"العربية\",\n\n \"welcome\": \"x\" \"y\"}",
     "strings/ar.json:3: not valid JSON"},
    {NULL, "strings/ar.json: missing"},
};

START_TEST(broken_language_is_left_out)
{
    const char *dir = make_mini("strings/ar.json", bad_lang[_i].text);
    content_t *c = NULL;
    content_report_t *r;
    bool said = false;
    char where[64];

    ck_assert_msg(content_load_dir(dir, &c) == WM_OK, "%s", wm_last_error());
    ck_assert_uint_eq(content_language_count(c), 2);
    ck_assert_int_eq(content_language_find(c, "ar"), -1);
    ck_assert_int_ge(content_language_find(c, "fr"), 0);
    for (size_t i = 0; i < content_warning_count(c); i++)
        said = said || strstr(content_warning(c, i), "language 'ar' left out");
    ck_assert_msg(said, "no warning names the language left out");
    content_destroy(c);
    /* validation says where */
    r = validate(dir);
    ck_assert_uint_ge(content_report_errors(r), 1);
    for (size_t i = 0; i < content_report_count(r); i++) {
        const content_issue_t *is = content_report_issue(r, i);

        if (is->line)
            snprintf(where, sizeof(where), "%s:%d: %s", is->file, is->line, is->message);
        else
            snprintf(where, sizeof(where), "%s: %s", is->file, is->message);
        if (strncmp(where, bad_lang[_i].needle, strlen(bad_lang[_i].needle)) == 0) {
            ck_assert_str_eq(is->lang, "ar");
            content_report_destroy(r);
            return;
        }
    }
    dump(r);
    content_report_destroy(r);
    ck_abort_msg("no issue starts with '%s'", bad_lang[_i].needle);
}
END_TEST

/* Every prefix of every file (a stick pulled mid-copy, an editor's
 * half-saved file): never a crash, and a refusal names the file. */
START_TEST(truncated_files_are_refused_by_name)
{
    const char *rel = mini_files[_i][0], *full = mini_files[_i][1];
    char dir[256], *part = malloc(strlen(full) + 1);
    size_t len = strlen(full);

    ck_assert_ptr_nonnull(part);
    snprintf(dir, sizeof(dir), "%s", make_mini(NULL, NULL));
    for (size_t n = 0; n < len; n++) {
        content_t *c = NULL;
        wm_status_t st;

        memcpy(part, full, n);
        part[n] = '\0';
        write_rel(dir, rel, part);
        st = content_load_dir(dir, &c);
        if (st == WM_OK) {
            /* only a strings or rights file may be cut: that language goes */
            ck_assert_msg(strncmp(rel, "strings/", 8) == 0 || strncmp(rel, "rights/", 7) == 0,
                          "%s cut at %zu loads", rel, n);
            ck_assert_uint_lt(content_language_count(c), 3);
            content_destroy(c);
        } else {
            ck_assert_msg(st == WM_EFORMAT || st == WM_ENOENT, "%s cut at %zu: %s", rel, n,
                          wm_last_error());
            ck_assert_msg(strstr(wm_last_error(), rel) != NULL, "%s cut at %zu: %s", rel, n,
                          wm_last_error());
        }
    }
    free(part);
}
END_TEST

START_TEST(strings_parse_counts_and_refuses)
{
    size_t n = 0;
    const char ok[] = "\xEF\xBB\xBF{\"a\": \"1\", \"b\": \"\\u00e9\"}\n";

    ck_assert_int_eq(content_strings_parse("t.json", ok, strlen(ok), &n), WM_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(content_strings_parse("t.json", "{\"a\": \"1\"} x", 12, &n), WM_EFORMAT);
    expect_error("t.json:1: data after the end");
    ck_assert_int_eq(content_strings_parse("t.json", "{\"a\": {\"b\": \"c\"}}", 17, &n),
                     WM_EFORMAT);
    expect_error("'a' is not a string");
}
END_TEST

/* ---- fallback ---------------------------------------------------------------- */

START_TEST(texts_fall_back_local_then_english)
{
    const char *dir = make_mini(NULL, NULL);
    content_t *c = NULL;
    size_t en, fr, ar, used = 99;
    content_report_t *r;

    ck_assert_msg(content_load_dir(dir, &c) == WM_OK, "%s", wm_last_error());
    en = (size_t)content_language_find(c, "en");
    fr = (size_t)content_language_find(c, "fr");
    ar = (size_t)content_language_find(c, "ar");
    ck_assert_str_eq(content_text(c, ar, "welcome", &used), "أهلاً");
    ck_assert_uint_eq(used, ar);
    ck_assert_str_eq(content_text(c, ar, "service.clinic.name", &used), "Centre");
    ck_assert_uint_eq(used, fr); /* the local language first */
    ck_assert_str_eq(content_text(c, ar, "only.en", &used), "English only");
    ck_assert_uint_eq(used, en);
    ck_assert_str_eq(content_text(c, en, "only.fr", &used), "Français seulement");
    ck_assert_uint_eq(used, fr);
    ck_assert_ptr_null(content_text(c, ar, "nowhere", &used));
    ck_assert_str_eq(content_text(c, fr, "rights.article-1.title", NULL), "Article premier");
    /* reported: a warning at load, and the keys per language */
    ck_assert_uint_ge(content_warning_count(c), 1);
    content_destroy(c);
    r = validate(dir);
    /* ar lacks welcome? no: site.name, category, service name, only.fr, only.en, 2 rights */
    ck_assert_uint_eq(content_report_missing(r, "ar"), 7);
    ck_assert_uint_eq(content_report_missing(r, "en"), 1); /* only.fr */
    ck_assert_uint_eq(content_report_missing(r, "fr"), 1); /* only.en */
    ck_assert_str_eq(content_report_missing_key(r, "fr", 0), "only.en");
    ck_assert_ptr_nonnull(find_issue(r, "missing-translation", "strings/ar.json"));
    content_report_destroy(r);
}
END_TEST

/* ---- languages outside the built-in table --------------------------------- */

static const struct {
    const char *tag, *text, *script;
    bool rtl;
} unknown_langs[] = {
    {"ht", "Byenveni. Chwazi lang ou. Sèvis gratis, pa bezwen papye.", "Latn", false},
    {"wo", "Dalal ak jàmm. Tànnal sa làkk.", "Latn", false},
    {"sd", "ڀلي ڪري آيا. پنهنجي ٻولي چونڊيو.", "Arab", true},
    {"ug", "خۇش كەلدىڭىز. تىلىڭىزنى تاللاڭ.", "Arab", true},
    {"mr", "स्वागत आहे. तुमची भाषा निवडा.", "Deva", false},
    {"bfq", "வணக்கம். உங்கள் மொழியைத் தேர்ந்தெடுக்கவும்.", "Taml", false},
};

START_TEST(unknown_languages_take_script_from_text)
{
    char index[256], strings[512], rel[64];
    const char *dir;
    content_t *c = NULL;
    const content_language_t *l;
    i18n_fonts_t *fonts;
    i18n_layout_t *lay;
    i18n_text_t text;
    i18n_layout_params_t p = i18n_layout_params_default();

    ck_assert_ptr_null(i18n_language_find(unknown_langs[_i].tag));
    ck_assert(i18n_tag_valid(unknown_langs[_i].tag));
    snprintf(index, sizeof(index), "{\"format\": 2, \"languages\": [\"en\", \"fr\", \"%s\"]}",
             unknown_langs[_i].tag);
    dir = make_mini("content.json", index);
    snprintf(rel, sizeof(rel), "strings/%s.json", unknown_langs[_i].tag);
    snprintf(strings, sizeof(strings), "{\"autonym\": \"%s\", \"welcome\": \"%s\"}",
             unknown_langs[_i].text, unknown_langs[_i].text);
    write_rel(dir, rel, strings);
    ck_assert_msg(content_load_dir(dir, &c) == WM_OK, "%s", wm_last_error());
    l = content_language(c, 2);
    ck_assert_str_eq(l->tag, unknown_langs[_i].tag);
    ck_assert_str_eq(l->script, unknown_langs[_i].script);
    ck_assert(l->rtl == unknown_langs[_i].rtl);
    /* the text engine lays it out with its script's fonts, in its direction */
    ck_assert_int_eq(i18n_fonts_create(NULL, &fonts), WM_OK);
    ck_assert_int_eq(i18n_layout_create(fonts, &lay), WM_OK);
    i18n_text_init(&text);
    p.lang = l->tag;
    p.size_px = 28;
    p.max_width = 300;
    ck_assert_int_eq(i18n_layout_text(lay, &p, content_string(c, 2, "welcome"),
                                      strlen(content_string(c, 2, "welcome")), &text),
                     WM_OK);
    ck_assert_uint_eq(text.missing, 0);
    ck_assert(text.rtl == unknown_langs[_i].rtl);
    ck_assert_uint_gt(text.glyph_count, 5);
    ck_assert_uint_ge(text.line_count, 2);
    i18n_text_free(&text);
    i18n_layout_destroy(lay);
    i18n_fonts_destroy(fonts);
    content_destroy(c);
}
END_TEST

START_TEST(declared_language_overrides_table)
{
    const char *dir = make_mini("content.json",
                                "{\"format\": 2, \"languages\": [\"en\", \"fr\", {\"tag\": \"ar\", "
                                "\"autonym\": \"عربي\", \"dir\": \"ltr\", \"fonts\": "
                                "[\"NotoNaskhArabic-Regular.ttf\"]}, {\"tag\": \"ku-Arab\", "
                                "\"autonym\": \"کوردی\"}]}");
    content_t *c = NULL;

    write_rel(dir, "strings/ku-Arab.json", "{\"welcome\": \"بەخێربێن\"}");
    ck_assert_msg(content_load_dir(dir, &c) == WM_OK, "%s", wm_last_error());
    ck_assert_str_eq(content_language(c, 2)->autonym, "عربي");
    ck_assert_str_eq(content_string(c, 2, "autonym"), "عربي"); /* not the file's */
    ck_assert(!content_language(c, 2)->rtl);
    ck_assert_uint_eq(content_language(c, 2)->font_count, 1);
    ck_assert_str_eq(content_language(c, 2)->fonts[0], "NotoNaskhArabic-Regular.ttf");
    /* the script subtag wins over the table's entry for "ku" (Latin) */
    ck_assert_str_eq(content_language(c, 3)->script, "Arab");
    ck_assert(content_language(c, 3)->rtl);
    ck_assert_str_eq(content_string(c, 3, "autonym"), "کوردی");
    content_destroy(c);
}
END_TEST

/* ---- opening hours ------------------------------------------------------ */

static time_t utc(int y, int m, int d, int h, int mi)
{
    return (time_t)content_days_from_civil(y, m, d) * 86400 + h * 3600 + mi * 60;
}

/* hours from a one-service services.json */
static content_t *hours_content(const char *hours_json)
{
    char services[1024];
    const char *dir;
    content_t *c = NULL;

    snprintf(services, sizeof(services),
             "{\"services\": [{\"id\": \"s\", \"category\": \"health\", %s}]}", hours_json);
    dir = make_mini("services.json", services);
    ck_assert_msg(content_load_dir(dir, &c) == WM_OK, "%s", wm_last_error());
    return c;
}

static content_open_t status_at(content_t *c, time_t t)
{
    content_open_t o;

    ck_assert_msg(content_service_status(c, 0, t, &o) == WM_OK, "%s", wm_last_error());
    return o;
}

START_TEST(hours_weekday_and_next_day)
{
    content_t *c = hours_content("\"hours\": {\"weekdays\": [\"09:00-12:00\", \"13:00-17:00\"]}");
    content_open_t o;

    /* Tuesday 1 December 2026, CET (UTC+1): 10:00 local */
    o = status_at(c, utc(2026, 12, 1, 9, 0));
    ck_assert(o.open);
    ck_assert_int_eq(o.until, utc(2026, 12, 1, 11, 0));
    ck_assert_int_eq(o.hour, 12);
    ck_assert_int_eq(o.days_ahead, 0);
    /* lunch break: opens at 13:00 today */
    o = status_at(c, utc(2026, 12, 1, 11, 30));
    ck_assert(!o.open);
    ck_assert_int_eq(o.next_open, utc(2026, 12, 1, 12, 0));
    ck_assert_int_eq(o.days_ahead, 0);
    /* evening: tomorrow, Wednesday, 09:00 */
    o = status_at(c, utc(2026, 12, 1, 17, 0));
    ck_assert(!o.open);
    ck_assert_int_eq(o.days_ahead, 1);
    ck_assert_int_eq(o.wday, 2);
    ck_assert_int_eq(o.hour, 9);
    ck_assert_int_eq(o.minute, 0);
    /* Friday evening: Monday */
    o = status_at(c, utc(2026, 12, 4, 18, 0));
    ck_assert_int_eq(o.days_ahead, 3);
    ck_assert_int_eq(o.wday, 0);
    /* exactly at closing time it is closed */
    o = status_at(c, utc(2026, 12, 1, 16, 0));
    ck_assert(!o.open);
    content_destroy(c);
}
END_TEST

START_TEST(hours_overnight)
{
    content_t *c = hours_content("\"hours\": {\"daily\": [\"19:00-08:00\"]}");
    content_open_t o;

    /* 02:00 local on Wednesday: open since Tuesday 19:00, until 08:00 */
    o = status_at(c, utc(2026, 12, 2, 1, 0));
    ck_assert(o.open);
    ck_assert_int_eq(o.until, utc(2026, 12, 2, 7, 0));
    ck_assert_int_eq(o.days_ahead, 0);
    ck_assert_int_eq(o.hour, 8);
    /* noon: opens tonight at 19:00 */
    o = status_at(c, utc(2026, 12, 2, 11, 0));
    ck_assert(!o.open);
    ck_assert_int_eq(o.next_open, utc(2026, 12, 2, 18, 0));
    /* 23:00: until tomorrow 08:00 */
    o = status_at(c, utc(2026, 12, 2, 22, 0));
    ck_assert(o.open);
    ck_assert_int_eq(o.days_ahead, 1);
    content_destroy(c);
    /* always open: no closing time in sight */
    c = hours_content("\"hours\": {\"daily\": [\"00:00-24:00\"]}");
    o = status_at(c, utc(2026, 12, 2, 11, 0));
    ck_assert(o.open);
    ck_assert_int_eq(o.until, 0);
    content_destroy(c);
}
END_TEST

START_TEST(hours_across_dst)
{
    content_t *c =
        hours_content("\"hours\": {\"sun\": [\"01:00-05:00\"], \"sat\": [\"22:00-23:00\"]}");
    content_open_t o;

    /* Sunday 29 March 2026, Paris springs forward at 02:00 CET: 01:00 CET
     * (00:00 UTC) to 05:00 CEST (03:00 UTC) lasts three hours */
    o = status_at(c, utc(2026, 3, 29, 2, 30));
    ck_assert(o.open);
    ck_assert_int_eq(o.until, utc(2026, 3, 29, 3, 0));
    ck_assert_int_eq(o.hour, 5);
    o = status_at(c, utc(2026, 3, 28, 23, 30));
    ck_assert(!o.open);
    ck_assert_int_eq(o.next_open, utc(2026, 3, 29, 0, 0));
    /* Sunday 25 October 2026, back at 03:00 CEST: 01:00 CEST (23:00 UTC
     * the day before) to 05:00 CET (04:00 UTC) lasts five hours */
    o = status_at(c, utc(2026, 10, 25, 3, 30));
    ck_assert(o.open);
    ck_assert_int_eq(o.until, utc(2026, 10, 25, 4, 0));
    o = status_at(c, utc(2026, 10, 24, 22, 30));
    ck_assert(!o.open);
    ck_assert_int_eq(o.next_open, utc(2026, 10, 24, 23, 0));
    content_destroy(c);
    /* a wall time in the spring gap moves forward; a repeated one takes
     * the earlier instant */
    c = hours_content("\"hours\": {\"sun\": [\"02:30-04:00\"]}");
    o = status_at(c, utc(2026, 3, 29, 0, 30));
    ck_assert(!o.open);
    ck_assert_int_eq(o.next_open, utc(2026, 3, 29, 1, 30)); /* 03:30 CEST */
    o = status_at(c, utc(2026, 10, 25, 0, 45));             /* 02:45 CEST */
    ck_assert(o.open);
    ck_assert_int_eq(o.until, utc(2026, 10, 25, 3, 0)); /* 04:00 CET */
    content_destroy(c);
}
END_TEST

START_TEST(hours_time_zone_is_the_sites)
{
    content_hours_t h = {0};
    content_open_t o;

    h.week[6].span[0] = (content_span_t){9 * 60, 17 * 60};
    h.week[6].count = 1;
    /* Sunday 8 March 2026, 13:30 UTC: 09:30 in New York (EDT since that
     * morning), 08:30 had the zone stayed on EST; 14:30 in Paris */
    ck_assert_int_eq(content_hours_status(&h, "America/New_York", utc(2026, 3, 8, 13, 30), &o),
                     WM_OK);
    ck_assert(o.open);
    ck_assert_int_eq(o.until, utc(2026, 3, 8, 21, 0));
    ck_assert_int_eq(content_hours_status(&h, "Asia/Kolkata", utc(2026, 3, 8, 13, 30), &o), WM_OK);
    ck_assert(!o.open); /* 19:00 there */
    ck_assert_int_eq(o.days_ahead, 7);
    ck_assert_int_eq(content_hours_status(&h, "Mars/Olympus", 0, &o), WM_EINVAL);
    ck_assert_int_eq(content_hours_status(&h, "../../etc/passwd", 0, &o), WM_EINVAL);
    /* TZ is left as it was */
    setenv("TZ", "Asia/Tokyo", 1);
    ck_assert_int_eq(content_hours_status(&h, "Europe/Paris", 0, &o), WM_OK);
    ck_assert_str_eq(getenv("TZ"), "Asia/Tokyo");
    unsetenv("TZ");
}
END_TEST

START_TEST(hours_closures_and_exceptions)
{
    content_t *c =
        hours_content("\"hours\": {\"wed\": [\"14:00-17:00\"], \"thu\": [\"09:00-17:00\"], "
                      "\"fri\": [\"09:00-17:00\"]},"
                      " \"exceptions\": [{\"date\": \"2026-12-24\", \"hours\": [\"09:00-12:00\"]},"
                      " {\"date\": \"2026-12-25\", \"hours\": []}, {\"date\": \"2026-12-27\", "
                      "\"hours\": [\"10:00-11:00\"]}],"
                      " \"closures\": [{\"from\": \"2026-12-30\", \"to\": \"2027-01-05\"}]");
    content_open_t o;

    /* Christmas Eve (a Thursday): shorter day */
    o = status_at(c, utc(2026, 12, 24, 10, 0));
    ck_assert(o.open);
    ck_assert_int_eq(o.hour, 12);
    /* after it: not Christmas (closed), but Sunday 27th by exception */
    o = status_at(c, utc(2026, 12, 24, 12, 0));
    ck_assert(!o.open);
    ck_assert_int_eq(o.days_ahead, 3);
    ck_assert_int_eq(o.wday, 6);
    ck_assert_int_eq(o.hour, 10);
    /* closed 30 Dec to 5 Jan: next is Wednesday 6 January 14:00 */
    o = status_at(c, utc(2026, 12, 29, 12, 0));
    ck_assert(!o.open);
    ck_assert_int_eq(o.next_open, utc(2027, 1, 6, 13, 0));
    ck_assert_int_eq(o.days_ahead, 8);
    content_destroy(c);
    /* nothing within the horizon */
    c = hours_content("\"hours\": {\"mon\": [\"09:00-10:00\"]},"
                      " \"closures\": [{\"from\": \"2026-12-01\", \"to\": \"2027-02-01\"}]");
    o = status_at(c, utc(2026, 12, 1, 12, 0));
    ck_assert(!o.open);
    ck_assert_int_eq(o.next_open, 0);
    content_destroy(c);
}
END_TEST

START_TEST(open_text_in_the_readers_language)
{
    content_t *c = NULL;
    char out[128];
    size_t used = 99;
    int ar, fr, en;

    ck_assert_msg(content_load_dir(SAMPLE, &c) == WM_OK, "%s", wm_last_error());
    ar = content_language_find(c, "ar");
    fr = content_language_find(c, "fr");
    en = content_language_find(c, "en");
    /* clinic (service 0), Tuesday 1 December 2026 at 10:00 in Paris */
    ck_assert_int_eq(content_service_open_text(c, 0, (size_t)en, utc(2026, 12, 1, 9, 0), out,
                                               sizeof(out), &used),
                     WM_OK);
    ck_assert_str_eq(out, "Open until 12:30");
    ck_assert_int_eq(content_service_open_text(c, 0, (size_t)fr, utc(2026, 12, 1, 17, 0), out,
                                               sizeof(out), &used),
                     WM_OK);
    ck_assert_str_eq(out, "Ouvre demain à 09:00");
    /* Saturday after closing: Monday */
    ck_assert_int_eq(content_service_open_text(c, 0, (size_t)ar, utc(2026, 12, 5, 12, 0), out,
                                               sizeof(out), &used),
                     WM_OK);
    ck_assert_str_eq(out, "يفتح يوم الاثنين الساعة 09:00");
    ck_assert_uint_eq(used, (size_t)ar);
    /* the emergency line never closes */
    for (size_t s = 0; s < content_service_count(c); s++)
        if (strcmp(content_service(c, s)->id, "emergency") == 0) {
            ck_assert_int_eq(content_service_open_text(c, s, (size_t)en, utc(2026, 12, 1, 3, 0),
                                                       out, sizeof(out), NULL),
                             WM_OK);
            ck_assert_str_eq(out, "Open day and night");
        }
    content_destroy(c);
}
END_TEST

START_TEST(text_fill_placeholders)
{
    const char *names[] = {"time", "day"}, *values[] = {"09:00", "lundi"};
    char out[32];

    ck_assert_int_eq(
        content_text_fill("Ouvre {{day}} à {{time}}", names, values, 2, out, sizeof(out)), WM_OK);
    ck_assert_str_eq(out, "Ouvre lundi à 09:00");
    ck_assert_int_eq(content_text_fill("{{x}} {{time", names, values, 2, out, sizeof(out)), WM_OK);
    ck_assert_str_eq(out, "{{x}} {{time");
    /* too long: cut at a character boundary */
    ck_assert_int_eq(content_text_fill("ééééé", names, values, 2, out, 6), WM_EINVAL);
    ck_assert_str_eq(out, "éé");
    ck_assert_int_eq(content_text_fill("a {{day}}", names, values, 2, out, 5), WM_EINVAL);
    ck_assert_str_eq(out, "a lu");
}
END_TEST

static const struct {
    const char *hours, *needle;
} bad_hours[] = {
    {"\"hours\": {\"mon\": [\"25:00-26:00\"]}", "'25:00-26:00' is not a time of day"},
    {"\"hours\": {\"mon\": [\"09:00-09:00\"]}", "opens and closes at the same time"},
    {"\"hours\": {\"mon\": [\"9-17\"]}", "'9-17' is not HH:MM-HH:MM"},
    {"\"hours\": {\"mon\": [\"09:60-10:00\"]}", "is not a time of day"},
    {"\"hours\": {\"mon\": [\"09:00-12:00\", \"11:00-13:00\"]}", "spans overlap"},
    {"\"hours\": {\"funday\": [\"09:00-12:00\"]}", "'funday' is not a day"},
    {"\"hours\": {\"weekdays\": [\"09:00-12:00\"], \"mon\": []}", "Monday is given twice"},
    {"\"hours\": {\"mon\": [\"20:00-10:00\"], \"tue\": [\"09:00-12:00\"]}",
     "Monday's hours run into Tuesday's"},
    {"\"hours\": {}, \"exceptions\": [{\"date\": \"2026-02-30\", \"hours\": []}]",
     "needs a real \"date\""},
    {"\"hours\": {}, \"closures\": [{\"from\": \"2026-08-15\", \"to\": \"2026-08-01\"}]",
     "closure ends (2026-08-01) before it starts (2026-08-15)"},
    {"\"hours\": {\"mon\": \"09:00-12:00\"}", "hours are a list"},
};

START_TEST(impossible_hours_are_refused)
{
    char services[512];
    const char *dir;
    content_t *c = (content_t *)0x1;
    content_report_t *r;
    const content_issue_t *is;

    snprintf(services, sizeof(services),
             "{\"services\": [\n{\"id\": \"s\", \"category\": \"health\",\n %s}]}",
             bad_hours[_i].hours);
    dir = make_mini("services.json", services);
    ck_assert_int_eq(content_load_dir(dir, &c), WM_EFORMAT);
    expect_error(bad_hours[_i].needle);
    expect_error("services.json:");
    ck_assert_ptr_eq(c, (content_t *)0x1);
    r = validate(dir);
    is = find_issue(r, "hours", "services.json");
    ck_assert_ptr_nonnull(is);
    ck_assert_int_ge(is->line, 2);
    ck_assert_ptr_nonnull(strstr(is->message, bad_hours[_i].needle));
    content_report_destroy(r);
}
END_TEST

/* ---- coverage at load ------------------------------------------------------ */

static void note_uncovered(const char *tag, const char *key, uint32_t cp, void *ctx)
{
    char *out = ctx;

    snprintf(out + strlen(out), 256 - strlen(out), "%s %s U+%04X;", tag, key, (unsigned)cp);
}

START_TEST(coverage_named_at_load)
{
    const char *dir = make_mini(NULL, NULL);
    content_t *c = NULL;
    i18n_fonts_t *fonts;
    char seen[256] = "";
    size_t n = 99;

    write_rel(dir, "strings/fr.json",
              "{\"autonym\": \"Français\", \"welcome\": \"Bienvenue \xf4\x8f\xbf\xbd\"}");
    ck_assert_msg(content_load_dir(dir, &c) == WM_OK, "%s", wm_last_error());
    ck_assert_int_eq(i18n_fonts_create(NULL, &fonts), WM_OK);
    ck_assert_int_eq(content_coverage_check(c, fonts, note_uncovered, seen, &n), WM_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(seen, "fr welcome U+10FFFD;");
    i18n_fonts_destroy(fonts);
    content_destroy(c);
}
END_TEST

/* ---- validation ------------------------------------------------------------ */

START_TEST(validate_finds_what_a_booth_cannot)
{
    char services[1024], qr[CONTENT_QR_MAX + 2];
    const char *dir;
    content_report_t *r;
    const content_issue_t *is;

    memset(qr, 'a', sizeof(qr) - 1);
    qr[sizeof(qr) - 1] = '\0';
    snprintf(services, sizeof(services),
             "{\"services\": [{\"id\": \"clinic\", \"category\": \"health\",\n"
             " \"qr\": \"%s\"}]}",
             qr);
    dir = make_mini("services.json", services);
    /* a character no font has (plane 16 private use), a missing icon */
    write_rel(
        dir, "strings/fr.json",
        "{\"autonym\": \"Français\", \"site.name\": \"Test\",\n"
        " \"category.health\": \"Santé\",\n \"service.clinic.name\": \"Centre \xf4\x8f\xbf\xbd\"}");
    write_rel(dir, "categories.json",
              "{\"categories\": [\n{\"id\": \"health\", \"icon\": \"icons/nope.png\"}]}");
    r = validate(dir);
    is = find_issue(r, "qr-too-long", "services.json");
    ck_assert_ptr_nonnull(is);
    ck_assert_int_eq(is->line, 2);
    ck_assert_ptr_nonnull(strstr(is->message, "301 bytes"));
    is = find_issue(r, "uncovered-character", "strings/fr.json");
    ck_assert_ptr_nonnull(is);
    ck_assert_int_eq(is->line, 3);
    ck_assert_ptr_nonnull(strstr(is->message, "U+10FFFD"));
    ck_assert_str_eq(is->key, "service.clinic.name");
    is = find_issue(r, "unknown-icon", "categories.json");
    ck_assert_ptr_nonnull(is);
    ck_assert_int_eq(is->line, 2);
    content_report_destroy(r);
    /* an icon too small to read */
    dir = make_mini(NULL, NULL);
    {
        char png[512];
        FILE *f;

        snprintf(png, sizeof(png), "%s/icons/h.png", dir);
        f = fopen(png, "wb");
        ck_assert_ptr_nonnull(f);
        fwrite("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x10\0\0\0\x10", 1, 24, f);
        fclose(f);
    }
    r = validate(dir);
    is = find_issue(r, "icon-size", "categories.json");
    ck_assert_ptr_nonnull(is);
    ck_assert_ptr_nonnull(strstr(is->message, "16x16"));
    ck_assert_ptr_null(find_issue(r, "unknown-icon", NULL));
    content_report_destroy(r);
    /* the same payload at the limit is fine */
    qr[CONTENT_QR_MAX] = '\0';
    snprintf(services, sizeof(services),
             "{\"services\": [{\"id\": \"clinic\", \"category\": \"health\", \"qr\": \"%s\"}]}",
             qr);
    r = validate(make_mini("services.json", services));
    ck_assert_ptr_null(find_issue(r, "qr-too-long", NULL));
    ck_assert_uint_eq(content_report_errors(r), 0);
    content_report_destroy(r);
}
END_TEST

START_TEST(validate_checks_keys_and_placeholders)
{
    const char *dir =
        make_mini("strings/ar.json", "{\"autonym\": \"العربية\",\n \"welcom\": \"أهلاً\",\n"
                                     " \"opens\": \"يفتح\",\n \"closes\": \"{{time}} {{day}}\"}");
    content_report_t *r;
    const content_issue_t *is;

    write_rel(dir, "strings/fr.json",
              "{\"autonym\": \"Français\", \"site.name\": \"T\", \"category.health\": \"S\",\n"
              " \"service.clinic.name\": \"C\", \"opens\": \"Ouvre à {{time}}\",\n"
              " \"closes\": \"Ferme à {{time}}\"}");
    r = validate(dir);
    is = find_issue(r, "unknown-key", "strings/ar.json");
    ck_assert_ptr_nonnull(is);
    ck_assert_str_eq(is->key, "welcom");
    ck_assert_int_eq(is->line, 2);
    is = find_issue(r, "placeholder", "strings/ar.json");
    ck_assert_ptr_nonnull(is);
    ck_assert_int_eq(is->line, 3);
    ck_assert_ptr_nonnull(strstr(is->message, "'opens' lacks {{time}}"));
    ck_assert_uint_eq(content_report_errors(r), 0);
    content_report_destroy(r);
    /* an extra placeholder is never filled in */
    r = validate(dir);
    for (size_t i = 0; i < content_report_count(r); i++) {
        is = content_report_issue(r, i);
        if (strcmp(is->code, "placeholder") == 0 && is->line == 4) {
            ck_assert_ptr_nonnull(strstr(is->message, "has {{day}}, which is never filled in"));
            content_report_destroy(r);
            return;
        }
    }
    dump(r);
    content_report_destroy(r);
    ck_abort_msg("no placeholder warning on line 4");
}
END_TEST

START_TEST(validate_names_undeclared_languages)
{
    const char *dir = make_mini(NULL, NULL);
    content_report_t *r;
    const content_issue_t *is;

    write_rel(dir, "strings/de.json", "{\"autonym\": \"Deutsch\"}");
    r = validate(dir);
    is = find_issue(r, "undeclared-language", "strings/de.json");
    ck_assert_ptr_nonnull(is);
    ck_assert_str_eq(is->lang, "de");
    ck_assert_ptr_null(find_issue(r, "undeclared-language", "strings/fr.json"));
    content_report_destroy(r);
}
END_TEST

START_TEST(validate_needs_texts_somewhere)
{
    const char *dir = make_mini("strings/en.json", "{\"autonym\": \"English\"}");
    content_report_t *r;
    const content_issue_t *is;

    write_rel(dir, "strings/fr.json", "{\"autonym\": \"Français\", \"site.name\": \"T\"}");
    r = validate(dir);
    is = find_issue(r, "no-text", "services.json");
    ck_assert_ptr_nonnull(is);
    ck_assert_str_eq(is->key, "service.clinic.name");
    ck_assert_int_eq(is->line, 1);
    ck_assert_ptr_nonnull(find_issue(r, "no-text", "categories.json"));
    content_report_destroy(r);
}
END_TEST

START_TEST(report_as_json)
{
    content_report_t *r =
        validate(make_mini("strings/ar.json", "{\"autonym\": \"x\",\n\"autonym\": \"y\"}"));
    char *text = NULL;
    cJSON *doc, *issues, *first = NULL, *it;

    ck_assert_int_eq(content_report_json(r, &text), WM_OK);
    doc = cJSON_Parse(text);
    ck_assert_ptr_nonnull(doc);
    ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(doc, "ok")));
    ck_assert_int_eq(cJSON_GetObjectItem(doc, "errors")->valueint, (int)content_report_errors(r));
    issues = cJSON_GetObjectItem(doc, "issues");
    cJSON_ArrayForEach(it, issues)
    {
        if (strcmp(cJSON_GetObjectItem(it, "code")->valuestring, "duplicate-key") == 0)
            first = it;
    }
    ck_assert_ptr_nonnull(first);
    ck_assert_str_eq(cJSON_GetObjectItem(first, "file")->valuestring, "strings/ar.json");
    ck_assert_int_eq(cJSON_GetObjectItem(first, "line")->valueint, 2);
    ck_assert_str_eq(cJSON_GetObjectItem(first, "lang")->valuestring, "ar");
    ck_assert_str_eq(cJSON_GetObjectItem(first, "level")->valuestring, "error");
    ck_assert(cJSON_IsArray(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "missing"), "fr")));
    cJSON_Delete(doc);
    wm_free(text);
    content_report_destroy(r);
}
END_TEST

/* Runs kiosk_cmd_bundle_validate in this (forked) process, stdout to a file. */
static char *run_validate(const char *a1, const char *a2, int *rc)
{
    char out[256];
    char *argv[] = {"validate", (char *)a1, (char *)a2, NULL};
    int argc = 1 + (a1 != NULL) + (a2 != NULL), fd, saved;

    snprintf(out, sizeof(out), "%s/out.txt", tu_tmpdir());
    fflush(stdout);
    saved = dup(STDOUT_FILENO);
    fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    dup2(fd, STDOUT_FILENO);
    close(fd);
    *rc = kiosk_cmd_bundle_validate(argc, argv);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    return tu_read_file(out, NULL);
}

START_TEST(bundle_validate_command)
{
    char *out, dir[256], expect[512];
    int rc;

    out = run_validate(SAMPLE, NULL, &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert_ptr_nonnull(strstr(out, ": 0 errors,"));
    ck_assert_ptr_nonnull(strstr(out, "missing translations:\n"));
    ck_assert_ptr_nonnull(strstr(out, "  am         2  rights.preamble.title"));
    free(out);
    snprintf(dir, sizeof(dir), "%s",
             make_mini("strings/fr.json",
                       "{\"autonym\": \"Français\",\n \"x\": \"1\",\n \"x\": \"2\"}"));
    out = run_validate(dir, NULL, &rc);
    ck_assert_int_eq(rc, 1);
    snprintf(expect, sizeof(expect),
             "%s/strings/fr.json:3: error: key 'x' given twice (first on line 2) [duplicate-key]\n",
             dir);
    ck_assert_msg(strstr(out, expect), "output:\n%s", out);
    ck_assert_ptr_nonnull(strstr(out, ": 1 error,"));
    free(out);
    strcat(dir, "/");
    out = run_validate(dir, NULL, &rc);
    ck_assert_msg(strstr(out, expect), "output:\n%s", out); /* one slash */
    free(out);
    out = run_validate(dir, "--json", &rc);
    ck_assert_int_eq(rc, 1);
    ck_assert_ptr_nonnull(strstr(out, "\"code\":\t\"duplicate-key\""));
    free(out);
    out = run_validate(NULL, NULL, &rc);
    ck_assert_int_eq(rc, 2);
    free(out);
    out = run_validate(dir, "--bogus", &rc);
    ck_assert_int_eq(rc, 2);
    free(out);
}
END_TEST

/* ---- recordings ------------------------------------------------------------- */

/* A WAV file at dir/rel: a header as given (data_decl the declared size
 * of the data chunk, the RIFF size to match it; "RIFf": the RIFF size of
 * the file as written), then `have` bytes of samples (a square wave). */
static void write_wav(const char *dir, const char *rel, const char *magic, unsigned fmt,
                      unsigned ch, unsigned rate, unsigned bits, uint32_t data_decl, uint32_t have)
{
    char path[512], sub[512];
    uint8_t h[44];
    unsigned align = ch * bits / 8;
    uint32_t riff = strcmp(magic, "RIFf") == 0 ? 36 + have : 36 + data_decl;
    FILE *f;

    snprintf(sub, sizeof(sub), "%s/audio", dir);
    mkdir(sub, 0700);
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    snprintf(sub, sizeof(sub), "%s", path);
    *strrchr(sub, '/') = '\0';
    mkdir(sub, 0700);
    memcpy(h, strcmp(magic, "RIFf") == 0 ? "RIFF" : magic, 4);
    h[4] = riff & 0xff, h[5] = riff >> 8 & 0xff, h[6] = riff >> 16 & 0xff, h[7] = riff >> 24;
    memcpy(h + 8, "WAVEfmt ", 8);
    h[16] = 16, h[17] = h[18] = h[19] = 0;
    h[20] = (uint8_t)fmt, h[21] = 0, h[22] = (uint8_t)ch, h[23] = 0;
    h[24] = rate & 0xff, h[25] = rate >> 8 & 0xff, h[26] = rate >> 16 & 0xff, h[27] = 0;
    h[28] = (rate * align) & 0xff, h[29] = (rate * align) >> 8 & 0xff;
    h[30] = (rate * align) >> 16 & 0xff, h[31] = 0;
    h[32] = (uint8_t)align, h[33] = 0, h[34] = (uint8_t)bits, h[35] = 0;
    memcpy(h + 36, "data", 4);
    h[40] = data_decl & 0xff, h[41] = data_decl >> 8 & 0xff;
    h[42] = data_decl >> 16 & 0xff, h[43] = data_decl >> 24;
    f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fwrite(h, 1, sizeof(h), f);
    for (uint32_t i = 0; i < have; i++)
        fputc((int)((i / 2) % 32 < 16 ? 0x10 : 0xf0), f);
    fclose(f);
}

/* A good recording: 16 kHz mono 16-bit, `ms` long. */
static void write_good_wav(const char *dir, const char *rel, unsigned ms)
{
    uint32_t bytes = 16000u * 2u * ms / 1000u;

    write_wav(dir, rel, "RIFF", 1, 1, 16000, 16, bytes, bytes);
}

START_TEST(recordings_are_found_by_language_and_page)
{
    const char *dir = make_mini(NULL, NULL);
    char expect[512];
    content_t *c = NULL;
    content_wav_t w;

    write_good_wav(dir, "audio/en/home.wav", 500);
    write_good_wav(dir, "audio/en/rights.article-1.wav", 200);
    write_good_wav(dir, "audio/en/service.clinic.wav", 100);
    write_good_wav(dir, "audio/fr/category.health.wav", 100);
    write_good_wav(dir, "audio/fr/languages.wav", 100);
    ck_assert_int_eq(content_load_dir(dir, &c), WM_OK);
    ck_assert_uint_eq(content_audio_count(c), 5);
    for (size_t i = 0; i < content_warning_count(c); i++)
        ck_assert_msg(!strstr(content_warning(c, i), "audio"), "%s", content_warning(c, i));
    snprintf(expect, sizeof(expect), "%s/audio/en/home.wav", dir);
    ck_assert_str_eq(content_audio_find(c, 0, "home"), expect);
    ck_assert_ptr_nonnull(content_audio_find(c, 0, "rights.article-1"));
    ck_assert_ptr_nonnull(content_audio_find(c, 0, "service.clinic"));
    ck_assert_ptr_nonnull(content_audio_find(c, 1, "category.health"));
    ck_assert_ptr_nonnull(content_audio_find(c, 1, "languages"));
    /* the other language's recording is not this one's */
    ck_assert_ptr_null(content_audio_find(c, 1, "home"));
    ck_assert_ptr_null(content_audio_find(c, 0, "languages"));
    ck_assert_ptr_null(content_audio_find(c, 2, "home"));
    ck_assert_int_eq(content_wav_check(expect, &w), WM_OK);
    ck_assert_uint_eq(w.rate, 16000);
    ck_assert_uint_eq(w.channels, 1);
    ck_assert_uint_eq(w.bits, 16);
    ck_assert_uint_eq(w.frames, 8000);
    ck_assert(content_page_exists(c, "rights"));
    ck_assert(content_page_exists(c, "rights.article-1"));
    ck_assert(!content_page_exists(c, "rights.article-2"));
    ck_assert(!content_page_exists(c, "service.nowhere"));
    ck_assert(!content_page_exists(c, "category."));
    ck_assert(!content_page_exists(c, "welcome"));
    content_destroy(c);
}
END_TEST

START_TEST(sample_recordings)
{
    content_t *c = NULL;
    content_wav_t w;
    const char *tags[] = {"en", "fr", "es", "ar", "fa", "ur", "am", "my", "bn", "uk"};

    ck_assert_int_eq(content_load_dir(SAMPLE, &c), WM_OK);
    for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
        int lang = content_language_find(c, tags[i]);

        ck_assert_int_ge(lang, 0);
        ck_assert_msg(content_audio_find(c, (size_t)lang, "home"), "%s: no home", tags[i]);
        ck_assert_msg(content_audio_find(c, (size_t)lang, "help"), "%s: no help", tags[i]);
    }
    ck_assert_ptr_nonnull(content_audio_find(c, 0, "rights.article-1"));
    /* what espeak-ng cannot speak has none */
    ck_assert_ptr_null(content_audio_find(c, (size_t)content_language_find(c, "ti"), "home"));
    ck_assert_int_eq(content_wav_check(content_audio_find(c, 0, "home"), &w), WM_OK);
    ck_assert_uint_eq(w.rate, 16000);
    ck_assert_uint_eq(w.channels, 1);
    ck_assert_uint_eq(w.bits, 16);
    ck_assert_uint_gt(w.frames, 16000); /* over a second */
    content_destroy(c);
}
END_TEST

/* Each bad recording: an error naming the file for validation, a warning
 * naming it for the booth, which loads without it (and keeps the good). */
static const struct {
    const char *rel;
    const char *magic;
    unsigned fmt, ch, rate, bits;
    uint32_t decl, have;
    const char *needle;
} bad_wavs[] = {
    {"audio/en/home.wav", "RIFF", 1, 1, 16000, 16, 32000, 1000, "truncated"},
    {"audio/en/home.wav", "RIFX", 1, 1, 16000, 16, 1000, 1000, "not a WAV file"},
    {"audio/en/home.wav", "RIFF", 1, 1, 16000, 16, 0x7fffffff, 64, "truncated"},
    {"audio/en/home.wav", "RIFf", 1, 1, 16000, 16, 0x7fffffff, 64, "truncated"},
    {"audio/en/home.wav", "RIFf", 1, 1, 16000, 16, 32000, 1000, "truncated"},
    {"audio/en/home.wav", "RIFF", 3, 1, 16000, 32, 1000, 1000, "not PCM"},
    {"audio/en/home.wav", "RIFF", 1, 1, 16000, 24, 999, 999, "24 bits"},
    {"audio/en/home.wav", "RIFF", 1, 6, 16000, 16, 1200, 1200, "6 channels"},
    {"audio/en/home.wav", "RIFF", 1, 1, 1000, 16, 1000, 1000, "1000 Hz"},
    {"audio/en/home.wav", "RIFF", 1, 2, 16000, 16, 1002, 1002, "whole frames"},
    {"audio/en/home.wav", "RIFF", 1, 1, 8000, 8, 8000 * 301, 8000 * 301, "301 s"},
    {"audio/en/nowhere.wav", "RIFF", 1, 1, 16000, 16, 1000, 1000, "names no page"},
    {"audio/en/home.ogg", "RIFF", 1, 1, 16000, 16, 1000, 1000, "only WAV"},
    {"audio/de/home.wav", "RIFF", 1, 1, 16000, 16, 1000, 1000, "names no language"},
};

START_TEST(bad_recordings_are_named_and_left_out)
{
    const char *dir = make_mini(NULL, NULL);
    const char *rel = bad_wavs[_i].rel;
    const char *file = strncmp(rel, "audio/de/", 9) == 0 ? "audio/de" : rel;
    content_report_t *r;
    const content_issue_t *is;
    content_t *c = NULL;
    bool named = false;

    write_wav(dir, rel, bad_wavs[_i].magic, bad_wavs[_i].fmt, bad_wavs[_i].ch, bad_wavs[_i].rate,
              bad_wavs[_i].bits, bad_wavs[_i].decl, bad_wavs[_i].have);
    write_good_wav(dir, "audio/fr/home.wav", 100);
    r = validate(dir);
    is = find_issue(r, "audio", file);
    if (!is)
        dump(r);
    ck_assert_ptr_nonnull(is);
    ck_assert_int_eq(is->level, CONTENT_ISSUE_ERROR);
    ck_assert_msg(strstr(is->message, bad_wavs[_i].needle), "'%s' lacks '%s'", is->message,
                  bad_wavs[_i].needle);
    ck_assert_uint_eq(content_report_errors(r), 1);
    content_report_destroy(r);
    ck_assert_msg(content_load_dir(dir, &c) == WM_OK, "%s", wm_last_error());
    ck_assert_ptr_null(content_audio_find(c, 0, "home"));
    ck_assert_ptr_nonnull(content_audio_find(c, 1, "home"));
    ck_assert_uint_eq(content_audio_count(c), 1);
    for (size_t i = 0; i < content_warning_count(c); i++)
        named = named || strstr(content_warning(c, i), file);
    ck_assert_msg(named, "no warning names %s", file);
    content_destroy(c);
}
END_TEST

START_TEST(bundle_validate_names_a_bad_recording)
{
    const char *dir = make_mini(NULL, NULL);
    char *out, expect[512];
    int rc;

    write_wav(dir, "audio/en/help.wav", "RIFF", 1, 1, 16000, 16, 64000, 100);
    out = run_validate(dir, NULL, &rc);
    ck_assert_int_eq(rc, 1);
    snprintf(expect, sizeof(expect), "%s/audio/en/help.wav: error: truncated", dir);
    ck_assert_msg(strstr(out, expect), "output:\n%s", out);
    free(out);
}
END_TEST

/* A load that finds recordings, every allocation failed in turn. */
START_TEST(out_of_memory_recordings_every_step)
{
    const char *dir = make_mini(NULL, NULL);
    content_t *c = NULL;
    long n;
    wm_status_t st = WM_ENOMEM;

    write_good_wav(dir, "audio/en/home.wav", 50);
    write_good_wav(dir, "audio/fr/home.wav", 50);
    write_good_wav(dir, "audio/en/help.wav", 50);
    write_wav(dir, "audio/ar/home.wav", "RIFF", 1, 1, 16000, 16, 9999, 10); /* a warning */
    for (n = 0; n < 100000 && st != WM_OK; n++) {
        wm_fault_alloc_after(n);
        st = content_load_dir(dir, &c);
        wm_fault_reset();
        if (st != WM_OK)
            ck_assert_msg(st == WM_ENOMEM, "step %ld: %s", n, wm_last_error());
    }
    ck_assert_int_eq(st, WM_OK);
    ck_assert_uint_eq(content_audio_count(c), 3);
    content_destroy(c);
}
END_TEST

/* ---- out of memory ------------------------------------------------------------- */

/* Every allocation of a load, failed in turn (cJSON's too, through
 * cJSON_InitHooks): each reports WM_ENOMEM and leaks nothing. */
START_TEST(out_of_memory_load_every_step)
{
    const char *dir = make_mini(NULL, NULL);
    content_t *c = NULL;
    long n;
    wm_status_t st = WM_ENOMEM;

    for (n = 0; n < 100000 && st != WM_OK; n++) {
        wm_fault_alloc_after(n);
        st = content_load_dir(dir, &c);
        wm_fault_reset();
        if (st != WM_OK) {
            ck_assert_msg(st == WM_ENOMEM, "step %ld: %s", n, wm_last_error());
            expect_error("out of memory");
        }
    }
    ck_assert_int_eq(st, WM_OK);
    ck_assert_uint_eq(content_language_count(c), 3);
    ck_assert_int_gt(n, 100); /* cJSON's allocations were reached too */
    content_destroy(c);
}
END_TEST

START_TEST(out_of_memory_validate_every_step)
{
    const char *dir = make_mini(NULL, NULL);
    content_report_t *r = NULL;
    long n;
    wm_status_t st = WM_ENOMEM;

    for (n = 0; n < 200000 && st != WM_OK; n++) {
        wm_fault_alloc_after(n);
        st = content_validate(dir, &r);
        wm_fault_reset();
        if (st != WM_OK)
            ck_assert_msg(st == WM_ENOMEM, "step %ld: %s", n, wm_last_error());
    }
    ck_assert_int_eq(st, WM_OK);
    ck_assert_uint_eq(content_report_errors(r), 0);
    content_report_destroy(r);
}
END_TEST

START_TEST(out_of_memory_strings_parse_every_step)
{
    const char buf[] = "{\"a\": \"1\",\n \"b\": \"2\", \"c\": \"3\"}";
    size_t count = 0;
    long n;
    wm_status_t st = WM_ENOMEM;

    for (n = 0; n < 1000 && st != WM_OK; n++) {
        wm_fault_alloc_after(n);
        st = content_strings_parse("t.json", buf, strlen(buf), &count);
        wm_fault_reset();
        if (st != WM_OK)
            ck_assert_msg(st == WM_ENOMEM, "step %ld: %s", n, wm_last_error());
    }
    ck_assert_uint_eq(count, 3);
}
END_TEST

static Suite *content_suite(void)
{
    Suite *s = suite_create("content");
    TCase *tc = tcase_create("load");
    TCase *th = tcase_create("hours");
    TCase *tv = tcase_create("validate");

    tcase_add_test(tc, sample_loads);
    tcase_add_test(tc, builtin_fallback);
    tcase_add_loop_test(tc, bad_content_names_the_file_and_line, 0, sizeof(bad) / sizeof(bad[0]));
    tcase_add_test(tc, missing_folder);
    tcase_add_loop_test(tc, broken_language_is_left_out, 0, sizeof(bad_lang) / sizeof(bad_lang[0]));
    tcase_add_test(tc, strings_parse_counts_and_refuses);
    tcase_add_loop_test(tc, truncated_files_are_refused_by_name, 0, MINI_COUNT);
    tcase_add_test(tc, texts_fall_back_local_then_english);
    tcase_add_loop_test(tc, unknown_languages_take_script_from_text, 0,
                        sizeof(unknown_langs) / sizeof(unknown_langs[0]));
    tcase_add_test(tc, declared_language_overrides_table);
    tcase_add_test(tc, coverage_named_at_load);
    tcase_add_test(tc, recordings_are_found_by_language_and_page);
    tcase_add_test(tc, sample_recordings);
    tcase_add_loop_test(tc, bad_recordings_are_named_and_left_out, 0,
                        sizeof(bad_wavs) / sizeof(bad_wavs[0]));
    /* only where allocation failures can be injected (scripts/test builds) */
    if (wm_fault_injection_available()) {
        tcase_add_test(tc, out_of_memory_load_every_step);
        tcase_add_test(tc, out_of_memory_strings_parse_every_step);
        tcase_add_test(tc, out_of_memory_recordings_every_step);
        tcase_add_test(tv, out_of_memory_validate_every_step);
    }
    suite_add_tcase(s, tc);
    tcase_add_test(th, hours_weekday_and_next_day);
    tcase_add_test(th, hours_overnight);
    tcase_add_test(th, hours_across_dst);
    tcase_add_test(th, hours_time_zone_is_the_sites);
    tcase_add_test(th, hours_closures_and_exceptions);
    tcase_add_test(th, open_text_in_the_readers_language);
    tcase_add_test(th, text_fill_placeholders);
    tcase_add_loop_test(th, impossible_hours_are_refused, 0,
                        sizeof(bad_hours) / sizeof(bad_hours[0]));
    suite_add_tcase(s, th);
    tcase_add_test(tv, sample_validates_clean);
    tcase_add_test(tv, validate_finds_what_a_booth_cannot);
    tcase_add_test(tv, validate_needs_texts_somewhere);
    tcase_add_test(tv, validate_names_undeclared_languages);
    tcase_add_test(tv, validate_checks_keys_and_placeholders);
    tcase_add_test(tv, report_as_json);
    tcase_add_test(tv, bundle_validate_command);
    tcase_add_test(tv, bundle_validate_names_a_bad_recording);
    suite_add_tcase(s, tv);
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
