/*
 * test_hsds.c: Open Referral HSDS 3.0 import and export: the strict CSV
 * reader; JSON (a service, a paginated list, an organisation) and the
 * tabular data package mapped field by field onto the content model; the
 * report naming each unmappable or contradictory field with its record's
 * id; "free" and "no documents" never set from data that does not say so;
 * hostile input refused by file and row or path with nothing written; the
 * merge of a second language; export -> import giving back the same
 * services, hours and flags; allocation failures stepped over an import.
 * Fixtures (tests/data/hsds/) are written for these tests.
 */

/* Paths and messages are built with snprintf() into fixed buffers; a cut
 * one fails later with its own message, so gcc's truncation guesses are
 * not errors here. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include <check.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content.h"
#include "testutil.h"

#define SAMPLE  WAYMARK_SOURCE_DIR "/content/sample"
#define FIXTURE WAYMARK_TEST_DIR "/data/hsds"

static bool exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static void expect_error(const char *needle)
{
    ck_assert_msg(strstr(wm_last_error(), needle) != NULL, "message '%s' lacks '%s'",
                  wm_last_error(), needle);
}

/* The report has an issue of code for record id whose message holds needle. */
static bool reported(const content_report_t *r, const char *code, const char *id,
                     const char *needle)
{
    for (size_t i = 0; i < content_report_count(r); i++) {
        const content_issue_t *is = content_report_issue(r, i);
        if (strcmp(is->code, code) == 0 && (!id || (is->key && strcmp(is->key, id) == 0)) &&
            strstr(is->message, needle))
            return true;
    }
    return false;
}

static const char *out_dir(void)
{
    static char path[300];
    snprintf(path, sizeof(path), "%s/content", tu_tmpdir());
    return path;
}

static content_t *import_load(const char *input, const char *out, content_report_t **r)
{
    content_hsds_opts_t o = {.template_dir = SAMPLE};
    content_hsds_result_t res;
    content_t *c;

    ck_assert_msg(content_hsds_import(input, out, &o, r, &res) == WM_OK, "%s", wm_last_error());
    ck_assert_msg(content_load_dir(out, &c) == WM_OK, "%s", wm_last_error());
    return c;
}

static const content_service_t *find(const content_t *c, const char *id)
{
    for (size_t i = 0; i < content_service_count(c); i++)
        if (strcmp(content_service(c, i)->id, id) == 0)
            return content_service(c, i);
    ck_abort_msg("no service %s", id);
    return NULL;
}

static const char *en_text(const content_t *c, const char *key)
{
    return content_text(c, (size_t)content_language_find(c, "en"), key, NULL);
}

static void expect_span(const content_day_t *d, size_t i, int start, int end)
{
    ck_assert_uint_gt(d->count, i);
    ck_assert_int_eq(d->span[i].start, start);
    ck_assert_int_eq(d->span[i].end, end);
}

/* ---- CSV ------------------------------------------------------------------ */

START_TEST(csv_reads_rfc4180)
{
    const char text[] = "\xEF\xBB\xBF"
                        "id,name,note\r\n"
                        "1,\"Legal \"\"first aid\"\"\",\"two\nlines\"\r\n"
                        "2,,\"\"\n"
                        "3,last,no line end";
    content_csv_t csv;

    ck_assert_int_eq(content_csv_parse("t.csv", text, sizeof(text) - 1, &csv), WM_OK);
    ck_assert_uint_eq(csv.nrows, 4);
    ck_assert_uint_eq(csv.ncols, 3);
    ck_assert_str_eq(content_csv_cell(&csv, 0, 0), "id"); /* the BOM is not part of it */
    ck_assert_str_eq(content_csv_cell(&csv, 1, 1), "Legal \"first aid\"");
    ck_assert_str_eq(content_csv_cell(&csv, 1, 2), "two\nlines");
    ck_assert_str_eq(content_csv_cell(&csv, 2, 1), "");
    ck_assert_str_eq(content_csv_cell(&csv, 2, 2), "");
    ck_assert_str_eq(content_csv_cell(&csv, 3, 2), "no line end");
    ck_assert_int_eq(csv.lines[2], 4); /* row 2 starts after the quoted line break */
    ck_assert_int_eq(content_csv_column(&csv, "note"), 2);
    ck_assert_int_eq(content_csv_column(&csv, "nope"), -1);
    content_csv_free(&csv);
}
END_TEST

static const struct {
    const char *text;
    const char *needle;
} bad_csv[] = {
    {"a,b\n1,\"open\n2,3\n", "t.csv:2: a quote opened here is never closed"},
    {"a,b\n1,2\n3,4,5\n", "t.csv:3: row 2 has 3 fields, the header has 2"},
    {"a,b\n1\n", "t.csv:2: row 1 has 1 fields"},
    {"a,b\n1,x\"y\n", "t.csv:2: a quote inside an unquoted field"},
    {"a,b\n1,\"x\"y\n", "t.csv:2: text after a closing quote"},
    {"a,b\n1,\xff\n", "t.csv:2: a field is not UTF-8"},
    {"a,b\n1,2\r3,4\n", "t.csv:2: a carriage return without a line feed"},
    {"", "t.csv: empty"},
};

START_TEST(csv_refuses_malformed)
{
    content_csv_t csv;

    ck_assert_int_eq(content_csv_parse("t.csv", bad_csv[_i].text, strlen(bad_csv[_i].text), &csv),
                     WM_EFORMAT);
    expect_error(bad_csv[_i].needle);
    ck_assert_ptr_null(csv.cells);
}
END_TEST

START_TEST(csv_refuses_nul_and_huge_fields)
{
    static const char nul[] = "a,b\n1,2\n3,x\0y\n";
    size_t big = 10 * 1024 * 1024;
    char *buf = malloc(big + 16);
    content_csv_t csv;

    ck_assert_int_eq(content_csv_parse("t.csv", nul, sizeof(nul) - 1, &csv), WM_EFORMAT);
    expect_error("t.csv:3: a NUL byte");
    memcpy(buf, "a\n", 2);
    memset(buf + 2, 'x', big);
    ck_assert_int_eq(content_csv_parse("t.csv", buf, big + 2, &csv), WM_EFORMAT);
    expect_error("t.csv:2: a field is longer than");
    free(buf);
}
END_TEST

START_TEST(csv_writes_what_it_reads)
{
    const char *path = "/tmp/waymark-hsds-csv-write.csv";
    FILE *f = fopen(path, "wb");
    char *back;
    size_t len;
    content_csv_t csv;

    ck_assert_ptr_nonnull(f);
    ck_assert(content_csv_write_field(f, "a,b", false));
    ck_assert(content_csv_write_field(f, "say \"hi\"\nthen", false));
    ck_assert(content_csv_write_field(f, NULL, true));
    fclose(f);
    back = tu_read_file(path, &len);
    ck_assert_str_eq(back, "\"a,b\",\"say \"\"hi\"\"\nthen\",\r\n");
    ck_assert_int_eq(content_csv_parse("w.csv", back, len, &csv), WM_OK);
    ck_assert_str_eq(content_csv_cell(&csv, 0, 1), "say \"hi\"\nthen");
    content_csv_free(&csv);
    free(back);
    unlink(path);
}
END_TEST

/* ---- import: field by field ------------------------------------------------ */

START_TEST(json_service_maps_field_by_field)
{
    const char *out = out_dir();
    content_report_t *r;
    content_t *c = import_load(FIXTURE "/service.json", out, &r);
    const char *id = "7c1e0d2a-0000-4000-8000-000000000001";
    const content_service_t *s = find(c, id);
    const content_hours_t *h = &s->hours;

    ck_assert_str_eq(content_category(c, s->category)->id, "health"); /* "Mental Health" */
    ck_assert_str_eq(en_text(c, "service.7c1e0d2a-0000-4000-8000-000000000001.name"),
                     "Harbour Street Clinic");
    ck_assert_str_eq(en_text(c, "service.7c1e0d2a-0000-4000-8000-000000000001.description"),
                     "General practice and vaccinations.");
    ck_assert_str_eq(s->qr, "https://clinic.example.org/");
    ck_assert_str_eq(s->phone, "+33 1 99 00 44 10"); /* the voice line, not the fax */
    /* the physical address, not the postal one */
    ck_assert_str_eq(s->address, "12 Harbour Street, Valmont, 69999, FR");
    ck_assert(s->has_position);
    ck_assert_double_eq_tol(s->lat, 45.75, 1e-9);
    ck_assert_double_eq_tol(s->lon, 4.85, 1e-9);
    for (int d = 0; d < 5; d++)
        expect_span(&h->week[d], 0, 9 * 60, 17 * 60);
    ck_assert_uint_eq(h->week[2].count, 1); /* WE 18:00 in a UTC offset: left out */
    ck_assert_uint_eq(h->week[3].count, 1); /* TH 18:00 in "Mars/Olympus": left out */
    expect_span(&h->week[5], 0, 10 * 60, 12 * 60 + 30);
    expect_span(&h->week[6], 0, 20 * 60, 24 * 60 + 8 * 60); /* through the night */
    ck_assert_uint_eq(h->exception_count, 2);
    ck_assert_int_eq(h->exceptions[0].day, content_days_from_civil(2026, 12, 25));
    ck_assert_uint_eq(h->exceptions[0].hours.count, 0);
    ck_assert_int_eq(h->exceptions[1].day, content_days_from_civil(2026, 12, 24));
    expect_span(&h->exceptions[1].hours, 0, 9 * 60, 12 * 60);
    ck_assert_uint_eq(h->closure_count, 1);
    ck_assert_int_eq(h->closures[0].from, content_days_from_civil(2026, 8, 1));
    ck_assert_int_eq(h->closures[0].to, content_days_from_civil(2026, 8, 15));
    ck_assert_uint_eq(s->flags,
                      CONTENT_FLAG_FREE | CONTENT_FLAG_NO_DOCUMENTS | CONTENT_FLAG_WHEELCHAIR);
    ck_assert_uint_eq(s->audience, CONTENT_FOR_EVERYONE | CONTENT_FOR_WOMEN);
    ck_assert_uint_eq(s->language_count, 2);
    ck_assert_str_eq(s->languages[0], "fr");
    ck_assert_str_eq(s->languages[1], "ar");
    /* the report, with the record's id */
    ck_assert(reported(r, "hsds-unmapped", id, "s-monthly: freq MONTHLY"));
    ck_assert(reported(r, "hsds-unmapped", id, "byday '1MO'"));
    ck_assert(reported(r, "hsds-contradictory", id, "'Mars/Olympus' is not an IANA"));
    ck_assert(reported(r, "hsds-contradictory", id, "timezone 1 is a UTC offset"));
    ck_assert(reported(r, "hsds-unmapped", id, "'not a tag!' is not a BCP 47 tag"));
    ck_assert(reported(r, "hsds-unmapped", id, "type fax"));
    ck_assert(reported(r, "hsds-unmapped", id, "extension 12"));
    ck_assert(reported(r, "hsds-unmapped", id, "a second location"));
    ck_assert(reported(r, "hsds-unmapped", id, "'Unheard of' (code 'X-9') is not in the mapping"));
    ck_assert(reported(r, "hsds-unmapped", id, "email: not shown"));
    /* the sample's own services and their texts are gone */
    ck_assert_uint_eq(content_service_count(c), 1);
    ck_assert_ptr_null(en_text(c, "service.clinic.name"));
    content_destroy(c);
    content_report_destroy(r);
}
END_TEST

START_TEST(tabular_package_maps_field_by_field)
{
    const char *out = out_dir();
    content_report_t *r;
    content_t *c = import_load(FIXTURE "/tabular", out, &r);
    const content_service_t *kids = find(c, "svc-kids"), *legal = find(c, "svc-legal");

    ck_assert_uint_eq(content_service_count(c), 2);
    /* Tutoring -> its parent Education -> "family" in the mapping */
    ck_assert_str_eq(content_category(c, kids->category)->id, "family");
    ck_assert_str_eq(content_category(c, legal->category)->id, "legal");
    ck_assert_str_eq(en_text(c, "service.svc-kids.name"), "Homework club");
    ck_assert_str_eq(en_text(c, "service.svc-kids.description"),
                     "After-school help, snacks included.\nBring your books.");
    ck_assert_str_eq(en_text(c, "service.svc-legal.name"), "Legal \"first aid\"");
    ck_assert_str_eq(kids->address, "3 School Lane, Valmont, 69999, FR");
    ck_assert(kids->has_position);
    ck_assert_double_eq_tol(kids->lat, 45.7, 1e-9);
    expect_span(&kids->hours.week[0], 0, 16 * 60 + 30, 18 * 60);
    expect_span(&kids->hours.week[1], 0, 16 * 60 + 30, 18 * 60);
    ck_assert_uint_eq(kids->hours.week[2].count, 0);
    expect_span(&kids->hours.week[3], 0, 16 * 60 + 30, 18 * 60);
    ck_assert_uint_eq(kids->flags, CONTENT_FLAG_FREE | CONTENT_FLAG_WHEELCHAIR);
    ck_assert_uint_eq(kids->audience, CONTENT_FOR_CHILDREN); /* ages 6 to 16 */
    ck_assert_uint_eq(kids->language_count, 2);
    ck_assert_str_eq(kids->languages[1], "uk");
    ck_assert_str_eq(kids->qr, "https://club.example.org/");
    ck_assert_str_eq(legal->phone, "+33 1 99 00 55 20");
    ck_assert_uint_eq(legal->flags, 0); /* a document is needed; nothing says free */
    ck_assert(reported(r, "hsds-unmapped", "svc-legal", "sc-2: interval 2"));
    ck_assert(reported(r, "hsds-unmapped", "svc-kids", "schedules of its own"));
    content_destroy(c);
    content_report_destroy(r);
}
END_TEST

START_TEST(ambiguous_records_set_no_flags)
{
    const char *out = out_dir();
    content_report_t *r;
    content_t *c = import_load(FIXTURE "/ambiguous.json", out, &r);

    ck_assert_uint_eq(find(c, "amb-residents")->flags, 0);
    ck_assert_uint_eq(find(c, "amb-empty")->flags, 0); /* empty lists say nothing */
    ck_assert_uint_eq(find(c, "amb-sliding")->flags, 0);
    ck_assert_uint_eq(find(c, "amb-contra")->flags, 0);
    ck_assert_uint_eq(find(c, "amb-docs")->flags, 0);
    ck_assert_uint_eq(find(c, "amb-id")->flags, 0);
    ck_assert_uint_eq(find(c, "amb-nowheel")->flags, 0);
    ck_assert_uint_eq(find(c, "amb-sure")->flags, CONTENT_FLAG_FREE | CONTENT_FLAG_NO_DOCUMENTS);
    ck_assert_uint_eq(content_service_count(c), 8);
    ck_assert(reported(r, "hsds-skipped", "amb-gone", "status defunct"));
    ck_assert(reported(r, "hsds-contradictory", "amb-contra", "free flag not set"));
    ck_assert(reported(r, "hsds-contradictory", "amb-docs", "no-documents flag not set"));
    ck_assert(reported(r, "hsds-unmapped", "amb-residents", "do not say clearly"));
    ck_assert(reported(r, "hsds-unmapped", "amb-sliding", "do not say clearly"));
    ck_assert(reported(r, "hsds-contradictory", "amb-nowheel", "wheelchair flag not set"));
    content_destroy(c);
    content_report_destroy(r);
}
END_TEST

START_TEST(organization_with_services)
{
    const char *out = out_dir();
    content_report_t *r;
    content_t *c = import_load(FIXTURE "/organization.json", out, &r);

    ck_assert_uint_eq(content_service_count(c), 2);
    ck_assert_str_eq(content_category(c, find(c, "org-svc-a")->category)->id, "legal");
    ck_assert_str_eq(content_category(c, find(c, "org-svc-b")->category)->id, "food");
    content_destroy(c);
    content_report_destroy(r);
}
END_TEST

static const char *const valid_inputs[] = {"/service.json", "/tabular", "/ambiguous.json",
                                           "/organization.json"};

START_TEST(import_result_validates)
{
    char in[512];
    const char *out = out_dir();
    content_hsds_opts_t o = {.template_dir = SAMPLE};
    content_report_t *r, *v;

    snprintf(in, sizeof(in), "%s%s", FIXTURE, valid_inputs[_i]);
    ck_assert_msg(content_hsds_import(in, out, &o, &r, NULL) == WM_OK, "%s", wm_last_error());
    ck_assert_int_eq(content_validate(out, &v), WM_OK);
    for (size_t i = 0; i < content_report_count(v); i++) {
        const content_issue_t *is = content_report_issue(v, i);
        ck_assert_msg(is->level != CONTENT_ISSUE_ERROR, "%s: %s: %s", is->file, is->code,
                      is->message);
    }
    content_report_destroy(v);
    content_report_destroy(r);
}
END_TEST

/* ---- hostile input --------------------------------------------------------- */

static void copy_fixture(const char *to)
{
    char cmd[1024];
    int st;
    char *o;

    snprintf(cmd, sizeof(cmd), "cp -r '%s/tabular' '%s'", FIXTURE, to);
    o = tu_run(cmd, &st);
    free(o);
    ck_assert_int_eq(st, 0);
}

static const struct {
    const char *file; /* in a copy of tabular/, or "json" for a JSON input */
    const char *text;
    const char *needle;
} hostile[] = {
    {"services.csv", "id,name,status\nsvc-kids,\"Homework club,active\n",
     "services.csv:2: a quote"},
    {"services.csv", "id,name,status\nsvc-kids,Homework club\n", "services.csv:2: row 1 has 2"},
    {"phones.csv", "id,service_id,number\nph-1,nope,+33 1\n",
     "phones.csv:2: service_id 'nope' names no service"},
    {"cost_options.csv", "id,service_id,option,amount\nco-1,svc-gone,Membership,0\n",
     "cost_options.csv:2: service_id 'svc-gone' names no service"},
    {"services.csv", "id,name,status\nsvc-kids,A,active\nsvc-kids,B,active\n",
     "services.csv:3: duplicate id 'svc-kids' (first at"},
    {"taxonomy_terms.csv",
     "id,code,name,parent_id,taxonomy\ntt-tutor,X,Loop one,tt-b,x\ntt-b,Y,Loop two,tt-tutor,x\n"
     "tt-legal,LG,Legal Aid,,example\n",
     "taxonomy term parents form a cycle"},
    {"services.csv", "id,name,minimum_age,status\nsvc-kids,A,six,active\n",
     "services.csv:2: column minimum_age: expected a number, found 'six'"},
    {"json", "{\"id\": \"s\", \"name\": 5, \"status\": \"active\"}",
     "bad.json: $.name: expected a string, found a number"},
    {"json",
     "{\"contents\": [{\"id\": \"s\", \"name\": \"A\", \"status\": \"active\", \"phones\": {}}]}",
     "bad.json: $.contents[0].phones: expected an array, found an object"},
    {"json", "{\"contents\": \"none\"}", "bad.json: $.contents: expected an array"},
    {"json",
     "[{\"id\": \"s\", \"name\": \"A\", \"status\": \"active\"}, {\"id\": \"s\", \"name\": \"B\", "
     "\"status\": \"active\"}]",
     "bad.json: $[1]: duplicate service id 's' (first at $[0])"},
    {"json",
     "{\"id\": \"s\", \"name\": \"A\", \"status\": \"active\", \"attributes\": ["
     "{\"id\": \"a\", \"taxonomy_term\": {\"id\": \"t1\", \"name\": \"x\", \"parent_id\": \"t2\"}},"
     "{\"id\": \"b\", \"taxonomy_term\": {\"id\": \"t2\", \"name\": \"y\", \"parent_id\": "
     "\"t1\"}}]}",
     "taxonomy term parents form a cycle"},
    {"json", "{\"id\": \"s\",\n \"name\": \"A\",,}", "bad.json:2: not valid JSON"},
};

START_TEST(hostile_input_is_refused_and_nothing_written)
{
    char dir[300], in[400], path[500], before_path[600];
    const char *tmp = tu_tmpdir();
    content_hsds_opts_t o = {.template_dir = SAMPLE};
    content_report_t *r = NULL;
    char *before, *after;

    snprintf(dir, sizeof(dir), "%s", tmp);
    if (strcmp(hostile[_i].file, "json") == 0) {
        snprintf(in, sizeof(in), "%s/bad.json", dir);
        ck_assert_int_eq(tu_write_file(in, hostile[_i].text), 0);
    } else {
        snprintf(in, sizeof(in), "%s/tabular", dir);
        copy_fixture(in);
        snprintf(path, sizeof(path), "%s/%s", in, hostile[_i].file);
        ck_assert_int_eq(tu_write_file(path, hostile[_i].text), 0);
    }
    /* into a new folder: none appears */
    snprintf(path, sizeof(path), "%s/new", dir);
    ck_assert_int_ne(content_hsds_import(in, path, &o, &r, NULL), WM_OK);
    expect_error(hostile[_i].needle);
    ck_assert(!exists(path));
    /* into existing content: it stays as it was */
    snprintf(path, sizeof(path), "%s/old", dir);
    ck_assert_int_eq(content_hsds_import(FIXTURE "/organization.json", path, &o, &r, NULL), WM_OK);
    content_report_destroy(r);
    snprintf(before_path, sizeof(before_path), "%s/services.json", path);
    before = tu_read_file(before_path, NULL);
    ck_assert_int_ne(content_hsds_import(in, path, NULL, &r, NULL), WM_OK);
    expect_error(hostile[_i].needle);
    after = tu_read_file(before_path, NULL);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
}
END_TEST

START_TEST(huge_field_and_nul_byte_in_a_table)
{
    char in[400], path[500];
    const char *tmp = tu_tmpdir();
    content_hsds_opts_t o = {.template_dir = SAMPLE};
    content_report_t *r = NULL;
    size_t big = 10 * 1024 * 1024;
    char *buf = malloc(big + 64);
    FILE *f;

    snprintf(in, sizeof(in), "%s/tabular", tmp);
    copy_fixture(in);
    snprintf(path, sizeof(path), "%s/services.csv", in);
    ck_assert_ptr_nonnull(f = fopen(path, "wb"));
    fputs("id,name,description,status\nsvc-kids,A,", f);
    memset(buf, 'x', big);
    fwrite(buf, 1, big, f);
    fputs(",active\n", f);
    fclose(f);
    snprintf(path, sizeof(path), "%s/out", tmp);
    ck_assert_int_eq(content_hsds_import(in, path, &o, &r, NULL), WM_EFORMAT);
    expect_error("services.csv:2: a field is longer than");
    ck_assert(!exists(path));
    snprintf(path, sizeof(path), "%s/services.csv", in);
    ck_assert_ptr_nonnull(f = fopen(path, "wb"));
    fwrite("id,name,status\nsvc-kids,A\0B,active\n", 1, 35, f);
    fclose(f);
    snprintf(path, sizeof(path), "%s/out", tmp);
    ck_assert_int_eq(content_hsds_import(in, path, &o, &r, NULL), WM_EFORMAT);
    expect_error("services.csv:2: a NUL byte");
    ck_assert(!exists(path));
    free(buf);
}
END_TEST

/* ---- languages ------------------------------------------------------------- */

START_TEST(merge_second_language_by_id)
{
    const char *tmp = tu_tmpdir();
    char out[300], fr[400], svc_before_path[400], *before, *after;
    content_hsds_opts_t o = {.template_dir = SAMPLE};
    content_hsds_result_t res;
    content_report_t *r;
    content_t *c;
    int li;

    snprintf(out, sizeof(out), "%s/content", tmp);
    ck_assert_int_eq(content_hsds_import(FIXTURE "/tabular", out, &o, &r, NULL), WM_OK);
    content_report_destroy(r);
    snprintf(svc_before_path, sizeof(svc_before_path), "%s/services.json", out);
    before = tu_read_file(svc_before_path, NULL);
    snprintf(fr, sizeof(fr), "%s/fr.json", tmp);
    ck_assert_int_eq(tu_write_file(fr,
                                   "{\"contents\": ["
                                   "{\"id\": \"svc-kids\", \"name\": \"Aide aux devoirs\", "
                                   "\"description\": \"Après l'école.\", \"status\": \"active\"},"
                                   "{\"id\": \"svc-new\", \"name\": \"Nouveau\", \"status\": "
                                   "\"active\"}]}"),
                     0);
    o.lang = "fr";
    o.merge = true;
    ck_assert_msg(content_hsds_import(fr, out, &o, &r, &res) == WM_OK, "%s", wm_last_error());
    ck_assert_uint_eq(res.services, 1);
    ck_assert_uint_eq(res.only_here, 1);
    ck_assert_uint_eq(res.only_there, 1);
    ck_assert(reported(r, "hsds-only-one-language", "svc-new", "not in the content"));
    ck_assert(reported(r, "hsds-only-one-language", "svc-legal", "not in the fr import"));
    after = tu_read_file(svc_before_path, NULL);
    ck_assert_str_eq(before, after); /* structure untouched */
    ck_assert_int_eq(content_load_dir(out, &c), WM_OK);
    li = content_language_find(c, "fr");
    ck_assert_int_ge(li, 0);
    ck_assert_str_eq(content_string(c, (size_t)li, "service.svc-kids.name"), "Aide aux devoirs");
    ck_assert_str_eq(en_text(c, "service.svc-kids.name"), "Homework club");
    ck_assert_ptr_null(content_string(c, (size_t)li, "service.svc-new.name"));
    content_destroy(c);
    content_report_destroy(r);
    free(before);
    free(after);
}
END_TEST

/* ---- export and the round trip --------------------------------------------- */

/* The columns HSDS 3.0's tables have, in order (written here from the
 * specification's tables). */
static const char *const columns[][2] = {
    {"services.csv", "id,organization_id,program_id,name,alternate_name,description,url,email,"
                     "status,interpretation_services,application_process,fees_description,"
                     "wait_time,fees,accreditations,eligibility_description,minimum_age,"
                     "maximum_age,assured_date,assurer_email,licenses,alert,last_modified"},
    {"organizations.csv", "id,name,alternate_name,description,email,website,tax_status,tax_id,"
                          "year_incorporated,legal_status,logo,uri,parent_organization_id"},
    {"locations.csv", "id,location_type,url,organization_id,name,alternate_name,description,"
                      "transportation,latitude,longitude,external_identifier,"
                      "external_identifier_type"},
    {"service_at_location.csv", "id,service_id,location_id,description"},
    {"phones.csv", "id,location_id,service_id,organization_id,contact_id,service_at_location_id,"
                   "number,extension,type,description"},
    {"addresses.csv", "id,location_id,attention,address_1,address_2,city,region,state_province,"
                      "postal_code,country,address_type"},
    {"schedules.csv",
     "id,service_id,location_id,service_at_location_id,valid_from,valid_to,"
     "dtstart,timezone,until,count,wkst,freq,interval,byday,byweekno,bymonthday,"
     "byyearday,description,opens_at,closes_at,schedule_link,attending_type,notes"},
    {"required_documents.csv", "id,service_id,document,uri"},
    {"languages.csv", "id,service_id,location_id,phone_id,name,code,note"},
    {"cost_options.csv", "id,service_id,valid_from,valid_to,option,currency,amount,"
                         "amount_description"},
    {"attributes.csv", "id,link_id,taxonomy_term_id,link_type,link_entity,value"},
    {"taxonomy_terms.csv", "id,code,name,description,parent_id,taxonomy,language,taxonomy_id,"
                           "term_uri"},
    {"taxonomies.csv", "id,name,description,uri,version"},
    {"accessibility.csv", "id,location_id,description,details,url"},
};

START_TEST(export_has_the_specification_columns)
{
    const char *tmp = tu_tmpdir();
    char out[300], path[400];
    size_t n = 0;
    char *text;
    cJSON *doc;

    snprintf(out, sizeof(out), "%s/hsds", tmp);
    ck_assert_msg(content_hsds_export(SAMPLE, out, &n) == WM_OK, "%s", wm_last_error());
    ck_assert_uint_eq(n, 15);
    for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++) {
        size_t len;
        snprintf(path, sizeof(path), "%s/%s", out, columns[i][0]);
        text = tu_read_file(path, NULL);
        ck_assert_msg(text != NULL, "%s missing", columns[i][0]);
        len = strcspn(text, "\r");
        ck_assert_msg(strlen(columns[i][1]) == len && strncmp(text, columns[i][1], len) == 0,
                      "%s: %.*s", columns[i][0], (int)len, text);
        free(text);
    }
    snprintf(path, sizeof(path), "%s/services.json", out);
    text = tu_read_file(path, NULL);
    ck_assert_ptr_nonnull(doc = cJSON_Parse(text));
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "contents")), 15);
    ck_assert_int_eq(cJSON_GetObjectItem(doc, "total_items")->valueint, 15);
    {
        const cJSON *s = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "contents"), 0);
        const char *id = cJSON_GetObjectItem(s, "id")->valuestring;
        ck_assert_uint_eq(strlen(id), 36); /* a UUID */
        ck_assert_int_eq(id[14], '5');
        ck_assert_str_eq(cJSON_GetObjectItem(s, "status")->valuestring, "active");
        ck_assert_str_eq(cJSON_GetObjectItem(s, "name")->valuestring, "Centre de santé");
    }
    cJSON_Delete(doc);
    free(text);
    snprintf(path, sizeof(path), "%s/datapackage.json", out);
    ck_assert(exists(path));
}
END_TEST

static void expect_same_day(const content_day_t *a, const content_day_t *b, const char *what)
{
    ck_assert_msg(a->count == b->count, "%s: %u spans, not %u", what, b->count, a->count);
    for (size_t i = 0; i < a->count; i++) {
        ck_assert_int_eq(a->span[i].start, b->span[i].start);
        ck_assert_int_eq(a->span[i].end, b->span[i].end);
    }
}

static const char *const round_trip_inputs[] = {"", "/services.json"};

START_TEST(export_then_import_gives_the_same_services)
{
    const char *tmp = tu_tmpdir();
    char exp[300], in[400], out[300];
    content_hsds_opts_t o = {.template_dir = SAMPLE, .lang = "fr"};
    content_report_t *r;
    content_t *a, *b;

    snprintf(exp, sizeof(exp), "%s/hsds", tmp);
    snprintf(out, sizeof(out), "%s/back", tmp);
    ck_assert_int_eq(content_hsds_export(SAMPLE, exp, NULL), WM_OK);
    snprintf(in, sizeof(in), "%s%s", exp, round_trip_inputs[_i]);
    ck_assert_msg(content_hsds_import(in, out, &o, &r, NULL) == WM_OK, "%s", wm_last_error());
    ck_assert_int_eq(content_load_dir(SAMPLE, &a), WM_OK);
    ck_assert_int_eq(content_load_dir(out, &b), WM_OK);
    ck_assert_uint_eq(content_service_count(b), content_service_count(a));
    for (size_t i = 0; i < content_service_count(a); i++) {
        const content_service_t *s = content_service(a, i), *t = find(b, s->id);
        char key[128];
        size_t fa = (size_t)content_language_find(a, "fr"),
               fb = (size_t)content_language_find(b, "fr");
        ck_assert_str_eq(content_category(a, s->category)->id,
                         content_category(b, t->category)->id);
        ck_assert_msg(s->flags == t->flags, "%s: flags %x, not %x", s->id, t->flags, s->flags);
        ck_assert_uint_eq(s->audience, t->audience);
        ck_assert_str_eq(s->address ? s->address : "-", t->address ? t->address : "-");
        ck_assert_str_eq(s->phone ? s->phone : "-", t->phone ? t->phone : "-");
        ck_assert_int_eq(s->has_position, t->has_position);
        ck_assert_double_eq_tol(s->lat, t->lat, 1e-6);
        ck_assert_double_eq_tol(s->lon, t->lon, 1e-6);
        ck_assert_uint_eq(s->language_count, t->language_count);
        for (size_t k = 0; k < s->language_count; k++)
            ck_assert_str_eq(s->languages[k], t->languages[k]);
        for (int d = 0; d < 7; d++)
            expect_same_day(&s->hours.week[d], &t->hours.week[d], s->id);
        ck_assert_uint_eq(s->hours.exception_count, t->hours.exception_count);
        for (size_t k = 0; k < s->hours.exception_count; k++) {
            ck_assert_int_eq(s->hours.exceptions[k].day, t->hours.exceptions[k].day);
            expect_same_day(&s->hours.exceptions[k].hours, &t->hours.exceptions[k].hours, s->id);
        }
        ck_assert_uint_eq(s->hours.closure_count, t->hours.closure_count);
        for (size_t k = 0; k < s->hours.closure_count; k++) {
            ck_assert_int_eq(s->hours.closures[k].from, t->hours.closures[k].from);
            ck_assert_int_eq(s->hours.closures[k].to, t->hours.closures[k].to);
        }
        snprintf(key, sizeof(key), "service.%s.name", s->id);
        ck_assert_str_eq(content_string(a, fa, key), content_string(b, fb, key));
    }
    content_destroy(a);
    content_destroy(b);
    content_report_destroy(r);
}
END_TEST

START_TEST(builtin_mapping_is_the_file)
{
    char *file = tu_read_file(WAYMARK_SOURCE_DIR "/content/hsds-taxonomy.json", NULL);

    ck_assert_ptr_nonnull(file);
    ck_assert_str_eq(content_hsds_taxonomy_default(), file);
    free(file);
}
END_TEST

START_TEST(commands_import_validate_export)
{
    const char *tmp = tu_tmpdir();
    char cmd[2048];
    char *o;
    int st;

    snprintf(cmd, sizeof(cmd),
             "'%s' bundle import-hsds '%s/tabular' -o '%s/c' --template '%s' 2>&1 && "
             "'%s' bundle validate '%s/c' >/dev/null && '%s' bundle export-hsds '%s/c' -o '%s/x'",
             WAYMARK_BINARY, FIXTURE, tmp, SAMPLE, WAYMARK_BINARY, tmp, WAYMARK_BINARY, tmp, tmp);
    o = tu_run(cmd, &st);
    ck_assert_msg(st == 0, "%s", o);
    ck_assert_msg(strstr(o, "record svc-legal: schedule sc-2: interval 2") != NULL, "%s", o);
    ck_assert_msg(strstr(o, "/c: 2 services imported, 0 not imported") != NULL, "%s", o);
    ck_assert_msg(strstr(o, "/x: 2 services written") != NULL, "%s", o);
    free(o);
    snprintf(cmd, sizeof(cmd), "'%s' bundle import-hsds '%s/none.json' -o '%s/d' 2>&1",
             WAYMARK_BINARY, tmp, tmp);
    o = tu_run(cmd, &st);
    ck_assert_int_eq(st, 1);
    ck_assert_msg(strstr(o, "nothing written") != NULL, "%s", o);
    free(o);
}
END_TEST

/* ---- allocation failures ---------------------------------------------------- */

static const char *mini_template(void)
{
    static char dir[300];
    char path[400];

    snprintf(dir, sizeof(dir), "%s", tu_tmpdir());
    snprintf(path, sizeof(path), "%s/content.json", dir);
    ck_assert_int_eq(tu_write_file(path, "{\"format\": 2, \"languages\": [\"en\"]}"), 0);
    snprintf(path, sizeof(path), "%s/site.json", dir);
    ck_assert_int_eq(tu_write_file(path, "{\"id\": \"t\", \"local_language\": \"en\", "
                                         "\"timezone\": \"Europe/Paris\"}"),
                     0);
    snprintf(path, sizeof(path), "%s/strings", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/strings/en.json", dir);
    ck_assert_int_eq(tu_write_file(path, "{\"site.name\": \"Test\"}"), 0);
    return dir;
}

static const char *const oom_inputs[] = {"/organization.json", "/tabular"};

START_TEST(out_of_memory_import_every_step)
{
    char tpl[300], out[400], in[400];
    content_hsds_opts_t o = {0};
    content_report_t *r = NULL;
    wm_status_t st = WM_ENOMEM;
    long n;

    snprintf(tpl, sizeof(tpl), "%s", mini_template());
    snprintf(out, sizeof(out), "%s/out", tu_tmpdir());
    snprintf(in, sizeof(in), "%s%s", FIXTURE, oom_inputs[_i]);
    o.template_dir = tpl;
    for (n = 0; n < 200000 && st != WM_OK; n++) {
        wm_fault_alloc_after(n);
        st = content_hsds_import(in, out, &o, &r, NULL);
        wm_fault_reset();
        if (st != WM_OK) {
            ck_assert_msg(st == WM_ENOMEM, "step %ld: %s", n, wm_last_error());
            ck_assert_msg(!exists(out), "step %ld: something was written", n);
        }
    }
    ck_assert_int_eq(st, WM_OK);
    ck_assert_int_gt(n, 200);
    fprintf(stderr, "hsds: import of %s: %ld allocation steps\n", oom_inputs[_i], n);
    content_report_destroy(r);
}
END_TEST

static Suite *hsds_suite(void)
{
    Suite *s = suite_create("hsds");
    TCase *tc = tcase_create("csv");
    TCase *ti = tcase_create("import");
    TCase *te = tcase_create("export");

    tcase_add_test(tc, csv_reads_rfc4180);
    tcase_add_loop_test(tc, csv_refuses_malformed, 0, sizeof(bad_csv) / sizeof(bad_csv[0]));
    tcase_add_test(tc, csv_refuses_nul_and_huge_fields);
    tcase_add_test(tc, csv_writes_what_it_reads);
    suite_add_tcase(s, tc);
    tcase_add_test(ti, json_service_maps_field_by_field);
    tcase_add_test(ti, tabular_package_maps_field_by_field);
    tcase_add_test(ti, ambiguous_records_set_no_flags);
    tcase_add_test(ti, organization_with_services);
    tcase_add_loop_test(ti, import_result_validates, 0,
                        sizeof(valid_inputs) / sizeof(valid_inputs[0]));
    tcase_add_loop_test(ti, hostile_input_is_refused_and_nothing_written, 0,
                        sizeof(hostile) / sizeof(hostile[0]));
    tcase_add_test(ti, huge_field_and_nul_byte_in_a_table);
    tcase_add_test(ti, merge_second_language_by_id);
    tcase_add_test(ti, builtin_mapping_is_the_file);
    suite_add_tcase(s, ti);
    if (wm_fault_injection_available()) {
        TCase *tf = tcase_create("faults");
        tcase_set_timeout(tf, 900);
        tcase_add_loop_test(tf, out_of_memory_import_every_step, 0,
                            sizeof(oom_inputs) / sizeof(oom_inputs[0]));
        suite_add_tcase(s, tf);
    }
    tcase_add_test(te, export_has_the_specification_columns);
    tcase_add_loop_test(te, export_then_import_gives_the_same_services, 0,
                        sizeof(round_trip_inputs) / sizeof(round_trip_inputs[0]));
    tcase_add_test(te, commands_import_validate_export);
    suite_add_tcase(s, te);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(hsds_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
