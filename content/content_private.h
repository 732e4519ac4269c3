/*
 * content_private.h: what the content files share inside content/: the
 * model's struct, the issue report every loader writes to, and JSON
 * documents that remember the line of each value.
 */
#ifndef CONTENT_PRIVATE_H
#define CONTENT_PRIVATE_H

#include "content.h"

#include <cjson/cJSON.h>
#include <stdarg.h>

#define CONTENT_TEXT_MAX 16384 /* bytes in one string: a UDHR article is < 3 KB */

typedef struct {
    content_language_t pub;
    char *tag, *autonym, *script;
    char **fonts;
    cJSON *strings;      /* strings/TAG.json: object of strings */
    cJSON *rights;       /* rights/TAG.json, or NULL */
    const cJSON **index; /* every text of both, sorted by key */
    size_t nindex;
} content_lang_t;

typedef struct {
    content_category_t pub;
    char *id, *icon;
    int line;
} content_cat_t;

typedef struct {
    content_service_t pub;
    char *id, *address, *phone, *qr;
    char **languages;
    int line;
} content_svc_t;

typedef struct {
    size_t lang;
    char *page; /* "home", "rights.article-1", ... */
    char *path; /* DIR/audio/TAG/PAGE.wav */
} content_audio_t;

struct content {
    char *source;
    content_lang_t langs[CONTENT_LANGUAGES_MAX];
    size_t count;
    content_site_t site;
    char *site_id, *site_local, *site_tz, *site_phone;
    size_t local_lang, english; /* indices, or SIZE_MAX */
    content_cat_t *cats;
    size_t ncats;
    content_svc_t *svcs;
    size_t nsvcs;
    char **rights;
    size_t nrights;
    char **warnings;
    size_t nwarnings, warnings_cap;
    content_audio_t *audio; /* recordings (audio.c) */
    size_t naudio, audio_cap;
};

/* Adds a line for content_warning(); WM_ENOMEM when out of memory. */
wm_status_t content_warning_add(content_t *c, const char *fmt, ...) WM_PRINTF(2, 3);

/* ---- recordings (audio.c) ------------------------------------------------ */

#define CONTENT_AUDIO_PATH_MAX 1280

/* Finds and checks DIR/audio/TAG/PAGE.wav for every loaded language (after
 * the structure files: pages must exist); a bad one is an error in r and a
 * warning in c, and is left out. Out of memory sets r->oom. */
void content_audio_load(content_t *c, const char *dir, content_report_t *r);
void content_audio_free(content_t *c);

/* ---- report ---------------------------------------------------------------- */

typedef struct {
    char *tag;
    char **keys;
    size_t count, cap;
} content_missing_t;

struct content_report {
    content_issue_t *issues;
    size_t count, cap;
    content_missing_t *missing;
    size_t nmissing, missing_cap;
    char **langs; /* tags of the languages that loaded, in order */
    size_t nlangs;
    bool oom;
};

/* Adds an issue (strings copied). Out of memory sets report->oom. */
void content_report_add(content_report_t *r, content_issue_level_t level, const char *code,
                        const char *file, int line, const char *lang, const char *key,
                        const char *fmt, ...) WM_PRINTF(8, 9);
void content_report_vadd(content_report_t *r, content_issue_level_t level, const char *code,
                         const char *file, int line, const char *lang, const char *key,
                         const char *fmt, va_list ap) WM_PRINTF(8, 0);
void content_report_add_missing(content_report_t *r, const char *tag, const char *key);
content_report_t *content_report_new(void);

/* Loads dir into a new content (*out) writing every problem to r; a
 * language with an error in its files is left out (named in r). Returns
 * WM_ENOMEM when memory ran out, WM_EFORMAT when the structure files (not
 * one language's) are broken; *out is set on WM_OK, and with keep_broken
 * also on WM_EFORMAT (what did load, for further checks). */
wm_status_t content_load_report(const char *dir, content_report_t *r, bool keep_broken,
                                content_t **out);

/* ---- JSON with lines --------------------------------------------------- */

typedef struct {
    const cJSON *node;
    int line;
} content_json_line_t;

typedef struct {
    cJSON *root;
    content_json_line_t *lines; /* every value and the line it starts on,
                                 * sorted by node address once parsed */
    size_t n, cap;
    bool sorted;
} content_json_t;

/* Installs wm_malloc/wm_free as cJSON's allocator (once). */
void content_json_hooks(void);

/* Parses buf[0..len) (NUL-terminated at len) as one JSON object. Syntax
 * errors, trailing data, \u0000 escapes and duplicate keys are reported to
 * r (file name as given) with their line and fail with WM_EFORMAT;
 * WM_ENOMEM when memory ran out. Free with content_json_free(). */
wm_status_t content_json_parse(const char *file, const char *buf, size_t len, content_report_t *r,
                               content_json_t *out);
void content_json_free(content_json_t *doc);

/* The line where node starts, or 0 (a binary search). */
int content_json_line(const content_json_t *doc, const cJSON *node);

/* Reads DIR/FILE and parses it; WM_ENOENT (not reported) when missing. */
wm_status_t content_json_read(const char *dir, const char *file, content_report_t *r,
                              content_json_t *out);

/* ---- hours --------------------------------------------------------------- */

/* Parses a service's "hours", "exceptions" and "closures" into h (arrays
 * allocated; free with content_hours_free()). Impossible hours are
 * reported as errors with their line; returns WM_EFORMAT then. */
wm_status_t content_hours_parse(const content_json_t *doc, const cJSON *svc, const char *file,
                                content_report_t *r, content_hours_t *h);
void content_hours_free(content_hours_t *h);

#endif
