/*
 * content.h: the content a booth shows: the site, its languages, the UI
 * strings, categories, services with opening hours, and rights pages.
 * Content is a folder of UTF-8 JSON files (content/README.md documents the
 * format with a worked example):
 *
 *   DIR/content.json        format, languages (tag, autonym, dir, script,
 *                           fonts, review) in welcome-screen order
 *   DIR/site.json           booth name key, local language, time zone, ...
 *   DIR/categories.json     [{"id", "icon"}]
 *   DIR/services.json       [{"id", "category", "hours", "flags", ...}]
 *   DIR/rights.json         {"pages": ["preamble", "article-1", ...]}
 *   DIR/strings/TAG.json    flat {"key": "text"} per language (i18next /
 *   DIR/rights/TAG.json     Weblate style); rights/ is optional
 *
 * Texts are looked up by key in the person's language, then the site's
 * local language, then English (content_text()). No SDL here.
 *
 * Threading: the booth is single-threaded; content_hours_status() sets TZ
 * for the duration of the call and restores it.
 */
#ifndef CONTENT_H
#define CONTENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "wm_base.h"

#define CONTENT_FORMAT        2
#define CONTENT_LANGUAGES_MAX 32 /* one welcome-screen button each */
#define CONTENT_FILE_MAX      (1024 * 1024)
#define CONTENT_ID_MAX        64 /* service, category and page ids */
#define CONTENT_QR_MAX                                                                             \
    300                             /* bytes: QR version 13 at level M, 0.5 mm                     \
                                     * modules, fits a 58 mm (384-dot) slip */
#define CONTENT_SPANS_MAX      6    /* opening spans per day */
#define CONTENT_HORIZON_DAYS   14   /* how far "opens at" looks ahead */
#define CONTENT_KEYS_MAX       4096 /* texts in one translation file */
#define CONTENT_SERVICES_MAX   512
#define CONTENT_CATEGORIES_MAX 64
#define CONTENT_PAGES_MAX      256 /* rights pages */

typedef struct content content_t;

/* ---- loading ------------------------------------------------------------ */

/* Loads a content folder. A language whose strings file is broken is left
 * out (and named in content_warning()); a broken structure file fails the
 * whole load. Errors name the file and line ("content: DIR/services.json:12:
 * ..."); *out is untouched on failure. Free with content_destroy(). */
wm_status_t content_load_dir(const char *dir, content_t **out);

/* The built-in minimal content (English only), for a booth whose content
 * cannot be read: never a dead booth. Free with content_destroy(). */
wm_status_t content_builtin(content_t **out);

void content_destroy(content_t *content);

/* Where the content came from: the folder, or "built-in". Owned by content. */
const char *content_source(const content_t *content);

/* What the load left out or could not find (skipped languages, texts shown
 * in another language), one line each; owned by content. */
size_t content_warning_count(const content_t *content);
const char *content_warning(const content_t *content, size_t index);

/* Parses one translation file held in memory (flat object of strings; no
 * duplicate keys, no \u0000, nothing after the object). name is used in
 * messages. On success *count is the number of strings. For the loader and
 * the fuzz target. */
wm_status_t content_strings_parse(const char *name, const char *buf, size_t len, size_t *count);

/* ---- languages ---------------------------------------------------------- */

typedef struct {
    const char *tag;     /* BCP 47 */
    const char *autonym; /* the language's name in itself */
    const char *script;  /* ISO 15924, declared, from i18n's table, or taken
                          * from the language's own text */
    bool rtl;
    const char *const *fonts; /* preferred font files, font_count of them */
    size_t font_count;
    bool review; /* marked for a translator's review */
} content_language_t;

/* Languages in display order; tags are owned by content. */
size_t content_language_count(const content_t *content);
const char *content_language_tag(const content_t *content, size_t index);
const content_language_t *content_language(const content_t *content, size_t index);

/* Index of a language tag, or -1. */
int content_language_find(const content_t *content, const char *tag);

/* The string `key` of a language, or NULL when that language lacks it
 * ("autonym" is the resolved one of content_language()). Owned by content. */
const char *content_string(const content_t *content, size_t lang, const char *key);

/* The text `key` for a person reading language lang: that language's, else
 * the site's local language's, else English's; NULL when none has it.
 * *used_lang (may be NULL) gets the language the text is in, so it is laid
 * out with the right tag. */
const char *content_text(const content_t *content, size_t lang, const char *key, size_t *used_lang);

/* ---- site --------------------------------------------------------------- */

typedef struct {
    const char *id;
    const char *local_language; /* BCP 47; staff read it (bilingual slips) */
    const char *timezone;       /* IANA, e.g. "Europe/Paris" */
    const char *phone;          /* help contact; may be NULL */
    /* texts: site.name, site.operator, site.privacy, site.help */
} content_site_t;

const content_site_t *content_site(const content_t *content);

/* ---- categories and services -------------------------------------------- */

typedef struct {
    const char *id;   /* text: category.ID */
    const char *icon; /* path relative to the content folder, e.g.
                       * "icons/health.png" */
} content_category_t;

size_t content_category_count(const content_t *content);
const content_category_t *content_category(const content_t *content, size_t index);
int content_category_find(const content_t *content, const char *id);

enum {
    CONTENT_FLAG_FREE = 1u << 0,
    CONTENT_FLAG_NO_DOCUMENTS = 1u << 1,
    CONTENT_FLAG_WALK_IN = 1u << 2,
    CONTENT_FLAG_WHEELCHAIR = 1u << 3,
};

enum {
    CONTENT_FOR_EVERYONE = 1u << 0,
    CONTENT_FOR_WOMEN = 1u << 1,
    CONTENT_FOR_MEN = 1u << 2,
    CONTENT_FOR_CHILDREN = 1u << 3,
    CONTENT_FOR_FAMILIES = 1u << 4,
    CONTENT_FOR_YOUTH = 1u << 5,
    CONTENT_FOR_LGBTQI = 1u << 6,
};

/* Names of flags ("free", "no_documents", "walk_in", "wheelchair") and
 * audiences ("everyone", "women", ...) as the files spell them; the UI
 * text of each is the key flag.NAME / audience.NAME. NULL past the end. */
const char *content_flag_name(size_t bit);
const char *content_audience_name(size_t bit);

/* One opening span in minutes after local midnight; end > start, and
 * end > 1440 for a span that runs past midnight ("20:00-08:00"). */
typedef struct {
    uint16_t start, end;
} content_span_t;

typedef struct {
    content_span_t span[CONTENT_SPANS_MAX];
    uint8_t count;
} content_day_t;

typedef struct {
    int32_t day; /* days since 1970-01-01 (civil date, no time zone) */
    content_day_t hours;
} content_exception_t;

typedef struct {
    int32_t from, to; /* inclusive days since 1970-01-01 */
} content_closure_t;

typedef struct {
    content_day_t week[7]; /* 0 = Monday ... 6 = Sunday */
    content_exception_t *exceptions;
    size_t exception_count;
    content_closure_t *closures;
    size_t closure_count;
} content_hours_t;

typedef struct {
    const char *id; /* texts: service.ID.name, service.ID.description */
    size_t category;
    const char *address; /* written once, as on the street; may be NULL */
    const char *phone;   /* may be NULL */
    bool has_position;
    double lat, lon;
    unsigned flags;               /* CONTENT_FLAG_* */
    unsigned audience;            /* CONTENT_FOR_* */
    const char *const *languages; /* spoken there (BCP 47) */
    size_t language_count;
    const char *qr; /* slip payload: URL, geo:, tel: or text; may be NULL */
    content_hours_t hours;
} content_service_t;

size_t content_service_count(const content_t *content);
const content_service_t *content_service(const content_t *content, size_t index);

/* ---- rights ------------------------------------------------------------- */

/* Rights pages in order; texts rights.ID.title and rights.ID.body
 * (paragraphs separated by "\n"). The section's own title is rights.title. */
size_t content_rights_count(const content_t *content);
const char *content_rights_id(const content_t *content, size_t index);

/* ---- opening hours ------------------------------------------------------ */

typedef struct {
    bool open;        /* open at the given time */
    time_t until;     /* open: when it closes; 0 when it stays open past the horizon */
    time_t next_open; /* closed: the next opening; 0 when none within the horizon */
    int days_ahead;   /* of next_open (closed) or until (open): 0 today, 1 tomorrow, ... */
    int wday;         /* its local weekday, 0 = Monday */
    int hour, minute; /* its local wall time */
} content_open_t;

/* Whether hours are open at `now` in IANA zone tz (system tzdata), when
 * they close, or when they open next within CONTENT_HORIZON_DAYS: a pure
 * function of its arguments. Wall times that do not exist on a DST day
 * move forward by the gap; repeated ones take the first. WM_EINVAL for an
 * unknown zone. */
wm_status_t content_hours_status(const content_hours_t *hours, const char *tz, time_t now,
                                 content_open_t *out);

/* The same for a service, in the site's time zone. */
wm_status_t content_service_status(const content_t *content, size_t service, time_t now,
                                   content_open_t *out);

/* The opening state of a service as a person reads it, in language lang
 * (falling back like content_text(); *used_lang gets the language of the
 * wording): "Open until 17:00", "Open day and night", "Opens today at
 * 14:00", "Opens tomorrow at 09:00", "Opens Monday at 09:00", "Closed for
 * the coming days" (keys open_until, open_day_and_night, opens_at,
 * opens_tomorrow, opens_on with day.mon ... day.sun, closed_long). Times
 * are 24-hour HH:MM. WM_ENOENT when the content has no such wording. */
wm_status_t content_service_open_text(const content_t *content, size_t service, size_t lang,
                                      time_t now, char *out, size_t cap, size_t *used_lang);

/* Copies text into out (cap bytes, NUL-terminated) with each {{name}}
 * replaced by values[i] where names[i] is name (i18next placeholders);
 * others are kept as written. WM_EINVAL when it does not fit (out then
 * holds what fits, cut at a character boundary). */
wm_status_t content_text_fill(const char *text, const char *const *names, const char *const *values,
                              size_t n, char *out, size_t cap);

/* True when /usr/share/zoneinfo (or $TZDIR) holds a TZif file for zone. */
bool content_timezone_valid(const char *zone);

/* Days since 1970-01-01 of a civil date (proleptic Gregorian), and back. */
int32_t content_days_from_civil(int y, int m, int d);
void content_civil_from_days(int32_t days, int *y, int *m, int *d);

/* ---- characters no font covers ------------------------------------------- */

typedef struct i18n_fonts i18n_fonts_t; /* i18n.h */

/* Lays out every text of every language (and each autonym) with fonts as
 * the booth draws it, and calls report (may be NULL) for each text that
 * holds a character no font covers, with the first such code point, so a
 * booth can name them in its log rather than draw boxes silently. Lays
 * out every text: call it after the first frame. *uncovered (may be NULL)
 * gets the number of such texts. WM_ENOMEM when memory ran out. */
wm_status_t content_coverage_check(const content_t *content, i18n_fonts_t *fonts,
                                   void (*report)(const char *tag, const char *key, uint32_t cp,
                                                  void *ctx),
                                   void *ctx, size_t *uncovered);

/* ---- validation (`waymark bundle validate`) ----------------------------- */

typedef enum {
    CONTENT_ISSUE_ERROR = 0, /* the content must not ship */
    CONTENT_ISSUE_WARNING,   /* shown, but not as meant (a fallback) */
} content_issue_level_t;

typedef struct {
    content_issue_level_t level;
    const char *code; /* stable: "json", "duplicate-key", "missing-translation",
                       * "uncovered-character", "unknown-icon", "hours",
                       * "qr-too-long", ... */
    const char *file; /* relative to the content folder; may be NULL */
    int line;         /* 1-based; 0 when none */
    const char *lang; /* may be NULL */
    const char *key;  /* may be NULL */
    const char *message;
} content_issue_t;

typedef struct content_report content_report_t;

/* Checks a content source folder as the booth would load it, plus what a
 * booth cannot see for itself: missing translations per language,
 * characters no font covers (laid out by the text engine with the
 * content's fonts before the system's), unknown icons, impossible opening
 * hours, QR payloads longer than CONTENT_QR_MAX. Fails only when it cannot
 * run (out of memory): problems are in the report. Free with
 * content_report_destroy(). */
wm_status_t content_validate(const char *dir, content_report_t **out);
void content_report_destroy(content_report_t *report);

size_t content_report_count(const content_report_t *report);
const content_issue_t *content_report_issue(const content_report_t *report, size_t index);
size_t content_report_errors(const content_report_t *report);
size_t content_report_warnings(const content_report_t *report);

/* The languages that loaded, in order (tags owned by the report). */
size_t content_report_language_count(const content_report_t *report);
const char *content_report_language(const content_report_t *report, size_t index);

/* Missing translations of language tag: how many texts of the local
 * language or English it lacks, and the key of each (owned by the report;
 * NULL past the end). */
size_t content_report_missing(const content_report_t *report, const char *tag);
const char *content_report_missing_key(const content_report_t *report, const char *tag,
                                       size_t index);

/* The report as JSON for CI ({"ok", "errors", "warnings", "issues": [...],
 * "missing": {"TAG": [keys]}}), a new NUL-terminated string: free with
 * wm_free(). */
wm_status_t content_report_json(const content_report_t *report, char **out);

#endif
