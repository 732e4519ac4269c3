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
 *   DIR/audio/TAG/PAGE.wav  optional recordings of pages (see "recordings")
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

/* ---- recordings --------------------------------------------------------- *
 *
 * For people who cannot read: DIR/audio/TAG/PAGE.wav is a recording of page
 * PAGE in language TAG, played by the booth's play button. Pages are named
 * as the screens are: "home", "languages", "help", "rights" (the list),
 * "rights.ID" (a rights page of rights.json), "category.ID" (the services
 * of a category), "service.ID". Only WAV is read: uncompressed PCM, 8 or
 * 16 bit, mono or stereo, CONTENT_AUDIO_RATE_MIN to _MAX Hz. A recording
 * that fails the checks is left out (a warning; an error for validation).
 */
#define CONTENT_AUDIO_FILE_MAX    (16 * 1024 * 1024) /* bytes in one recording */
#define CONTENT_AUDIO_SECONDS_MAX 300
#define CONTENT_AUDIO_RATE_MIN    8000
#define CONTENT_AUDIO_RATE_MAX    48000
#define CONTENT_AUDIO_MAX         2048 /* recordings in one content */

/* What a WAV file's header says. */
typedef struct {
    unsigned rate, channels, bits;
    uint32_t data_bytes; /* of samples */
    uint32_t frames;     /* data_bytes / (channels * bits / 8) */
} content_wav_t;

/* Checks a WAV file from its header (reads no samples): RIFF/WAVE, a PCM
 * format chunk within the limits above, then a data chunk of whole frames
 * that the file really holds (a declared size beyond the file's end is
 * "truncated"). Fills *out on success; else WM_EFORMAT (WM_EIO when it
 * cannot be opened) and a message without the path. */
wm_status_t content_wav_check(const char *path, content_wav_t *out);

/* The recording of page in language lang (a path owned by content), or
 * NULL when there is none. */
const char *content_audio_find(const content_t *content, size_t lang, const char *page);
size_t content_audio_count(const content_t *content);

/* True when page names a page of the content (the names above). */
bool content_page_exists(const content_t *content, const char *page);

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

/* ---- bundles ----------------------------------------------------------
 *
 * A bundle is one file (a POSIX tar, optionally gzip-compressed, read with
 * libarchive) that carries a content source folder to a booth:
 *
 *   manifest.json            first entry, at most limits.manifest_max bytes
 *   signatures/N.minisig     1 to CONTENT_BUNDLE_SIGS_MAX minisign signatures
 *                            of manifest.json (N = 1, 2, ...)
 *   content/PATH             every file of the content folder, each listed
 *                            in the manifest with its size and BLAKE2b-256
 *
 * The signatures are checked against the trusted keys before anything else
 * in the bundle is parsed; the files are then hashed while they stream past,
 * so a bundle is read once. Signatures use minisign's key and signature
 * formats (Ed25519; prehashed BLAKE2b-512 "ED", and legacy "Ed" on reading),
 * so `minisign -Sm manifest.json` signs a manifest and `minisign -Vm` checks
 * one. The manifest format is described in the README (Bundles).
 */
#include <stdint.h>
#include <stdio.h>

#define CONTENT_BUNDLE_FORMAT   "waymark-bundle-1"
#define CONTENT_BUNDLE_COMPAT   "waymark-content-1" /* what this firmware shows */
#define CONTENT_BUNDLE_EXT      ".wmbundle"
#define CONTENT_BUNDLE_SIGS_MAX 8
#define CONTENT_KEY_ID_HEX      17 /* 16 hex digits and a NUL */

/* Hard caps on what a bundle may hold; content_bundle_limits() gives the
 * defaults (1 MiB manifest, 4096 files, 64 MiB a file, 512 MiB in all,
 * paths of at most 200 bytes, 8 levels, 100 bytes a name). */
typedef struct {
    size_t manifest_max;
    size_t files_max;
    uint64_t file_max;
    uint64_t total_max;
    size_t path_max, depth_max, name_max;
} content_bundle_limits_t;

content_bundle_limits_t content_bundle_limits(void);

/* What a verified manifest says. */
typedef struct {
    uint64_t version; /* monotonic: a booth takes only higher ones */
    char compat[64];
    char created[32]; /* "YYYY-MM-DDTHH:MM:SSZ" */
    int64_t created_unix;
    size_t file_count;
    uint64_t total_bytes;
    char key_ids[CONTENT_BUNDLE_SIGS_MAX][CONTENT_KEY_ID_HEX]; /* keys that signed it */
    size_t key_count;
} content_bundle_info_t;

/* Trusted minisign public keys: one .pub file or a folder of them (a
 * keyring, e.g. /etc/waymark/keys/), and how many distinct trusted keys
 * must have signed a bundle (threshold, default 1). Free with
 * content_keyring_destroy(). */
typedef struct content_keyring content_keyring_t;

wm_status_t content_keyring_load(const char *path, content_keyring_t **out);
void content_keyring_destroy(content_keyring_t *keys);
size_t content_keyring_count(const content_keyring_t *keys);
/* The id of key i as minisign prints it (16 upper-case hex digits). */
const char *content_keyring_id(const content_keyring_t *keys, size_t i);
wm_status_t content_keyring_set_threshold(content_keyring_t *keys, size_t threshold);

/* A minisign secret key (unencrypted, or scrypt-encrypted with password).
 * Free with content_seckey_destroy(), which wipes it. */
typedef struct content_seckey content_seckey_t;

wm_status_t content_seckey_load(const char *path, const char *password, content_seckey_t **out);
void content_seckey_destroy(content_seckey_t *key);
const char *content_seckey_id(const content_seckey_t *key);

/* Writes a new key pair in minisign's formats: seckey_path unencrypted
 * (like `minisign -G -W`; keep it off the booths), pubkey_path. Neither
 * file may exist yet. */
wm_status_t content_minisign_keygen(const char *seckey_path, const char *pubkey_path);

/* A minisign signature file's text for msg (prehashed, "ED"), with the
 * trusted comment given (NULL: minisign's "timestamp:T\tfile:NAME\thashed"
 * with name). *out is a new NUL-terminated string (wm_free()). */
wm_status_t content_minisign_sign(const content_seckey_t *key, const void *msg, size_t len,
                                  const char *trusted_comment, const char *name, char **out);

/* Checks one minisign signature text over msg against the keyring. On
 * success writes the signing key's id to key_id (CONTENT_KEY_ID_HEX bytes)
 * when not NULL. Refusals say why: malformed signature, signed by key X
 * that is not trusted, signature or trusted comment does not match. */
wm_status_t content_minisign_verify(const content_keyring_t *keys, const void *msg, size_t len,
                                    const char *sig, size_t sig_len, char *key_id);

/* Where a bundle's bytes come from: read() returns the bytes read, 0 at
 * the end, -1 on error (errno set). Tests use it for a stick that fails
 * halfway. */
typedef struct {
    long (*read)(void *ctx, void *buf, size_t size);
    void *ctx;
    const char *name; /* for messages */
} content_bundle_source_t;

/* Checks a whole bundle without writing anything: signatures (threshold of
 * trusted keys), manifest, every path rule and cap, every file's size and
 * hash. Fills *info on success (info may be NULL). limits NULL: defaults. */
wm_status_t content_bundle_verify(const char *path, const content_keyring_t *keys,
                                  const content_bundle_limits_t *limits,
                                  content_bundle_info_t *info);

/* Prints what a bundle holds to f: its signatures' key ids and trusted
 * comments, the manifest's fields and files. With keys the signatures are
 * checked first (and the manifest shown only if they pass); without, the
 * manifest is shown marked "signature not checked". */
wm_status_t content_bundle_inspect(const char *path, const content_keyring_t *keys, FILE *f);

/* Options of content_bundle_build(). */
typedef struct {
    uint64_t version;     /* 0: the creation time in seconds */
    int64_t created_unix; /* 0: now, or $SOURCE_DATE_EPOCH */
    const char *compat;   /* NULL: CONTENT_BUNDLE_COMPAT */
    bool gzip;            /* compress the tar */
    /* Either keys (the bundle gets one signature by each, for a booth's
     * threshold of several keys) or signature_text: a signature made
     * elsewhere (`minisign -Sm`) over the manifest that manifest_text
     * holds, which must be what this folder gives. */
    const content_seckey_t *keys[CONTENT_BUNDLE_SIGS_MAX];
    size_t key_count;
    const char *manifest_text;
    const char *signature_text;
} content_bundle_build_opts_t;

/* Builds a bundle of the content folder src at out (written next to it as
 * out.tmp and renamed). Refuses names outside the portable set
 * [A-Za-z0-9._-] (hidden files are skipped), symlinks, special files, and
 * anything over the caps. */
wm_status_t content_bundle_build(const char *src, const char *out,
                                 const content_bundle_build_opts_t *opts);

/* The manifest src would get (a new string, wm_free()), for signing with
 * `minisign` before content_bundle_build() with signature_text. */
wm_status_t content_bundle_manifest(const char *src, const content_bundle_build_opts_t *opts,
                                    char **out);

/* Parses manifest text (untrusted input: the signature was checked first)
 * and fills *info; exposed for the fuzz target and tests. */
wm_status_t content_bundle_manifest_parse(const char *text, size_t len,
                                          const content_bundle_limits_t *limits,
                                          content_bundle_info_t *info);

/* True when path (len bytes) is a file path a bundle may hold: relative,
 * components of [A-Za-z0-9._-] not starting with '.', within the limits'
 * length, depth and name caps. On false, *why (if not NULL) says which rule. */
bool content_bundle_path_ok(const char *path, size_t len, const content_bundle_limits_t *limits,
                            const char **why);

/*
 * The installed content in a data folder:
 *
 *   DATA/bundles/current -> vN        the set the booth shows (a symlink,
 *                                     switched by rename)
 *   DATA/bundles/previous -> vM       the last-known-good set
 *   DATA/bundles/vN/content/...       a set: the unpacked content folder,
 *   DATA/bundles/vN/manifest.json     with its manifest and signatures
 *   DATA/bundles/highest              highest version ever committed
 *   DATA/bundles/pending              "NEW FALLBACK installed|trying": a
 *                                     set not yet shown by a booth
 *   DATA/inbox/                       bundles dropped by other tools
 */
typedef struct content_store content_store_t;

typedef enum {
    CONTENT_STORE_CURRENT,
    CONTENT_STORE_PREVIOUS,
    CONTENT_STORE_FACTORY,
} content_store_origin_t;

typedef enum {
    /* A booth starting: a pending set it already tried (it never drew a
     * first frame) is reverted, a freshly installed one marked as tried. */
    CONTENT_STORE_BOOTH = 1 << 0,
    /* Look only (`waymark status`, `waymark print`): creates, repairs and
     * locks nothing, and says which set a booth would show now; commit,
     * revert and install then fail. Wins over CONTENT_STORE_BOOTH. */
    CONTENT_STORE_READONLY = 1 << 1,
} content_store_flags_t;

/* Opens the store of data_dir with start-up recovery: removes leftover
 * staging, handles a pending set (CONTENT_STORE_BOOTH), then picks
 * `current` if it is complete (every file of its manifest there with its
 * size), else `previous` (and points `current` back at it), else
 * factory_dir (may be NULL). Creates DATA/bundles and DATA/inbox when
 * missing (not with CONTENT_STORE_READONLY). Fails only when out of memory: a store whose data
 * folder is unusable still offers the factory content. Free with content_store_destroy(). */
wm_status_t content_store_open(const char *data_dir, const char *factory_dir, unsigned flags,
                               content_store_t **out);
void content_store_destroy(content_store_t *store);

/* The content folder to load (owned by store), where it came from, and
 * its version (0 for factory content). */
const char *content_store_dir(const content_store_t *store);
content_store_origin_t content_store_origin(const content_store_t *store);
uint64_t content_store_version(const content_store_t *store);
/* The highest version committed (what an install must exceed). */
uint64_t content_store_highest(const content_store_t *store);
/* True while the shown set waits for content_store_commit(). */
bool content_store_pending(const content_store_t *store);

/* Call once the booth has drawn its first frame with content_store_dir():
 * the pending set becomes current for good (previous := the set before,
 * highest := its version). A no-op when nothing is pending. */
wm_status_t content_store_commit(content_store_t *store);

/* The booth could not load the pending set: go back to the set before it
 * (content_store_dir() changes). */
wm_status_t content_store_revert(content_store_t *store);

/* Maintenance: shows the previous set instead of the current one
 * (`current` switched to what `previous` names, by renaming one symlink
 * over it: a power cut leaves one or the other). A set still pending goes
 * back to the one it replaced. `highest` stays as it is, so the set rolled
 * back from cannot come back by a plain install (only a forced one).
 * WM_ENOENT "no previous content to go back to" when there is none (or it
 * is incomplete, or it is the current one): nothing changes then. On
 * success content_store_dir() names the set to load. */
wm_status_t content_store_rollback(content_store_t *store);

typedef enum {
    CONTENT_INSTALL_FORCE = 1 << 0, /* equal or older version (maintenance mode) */
    CONTENT_INSTALL_LIVE = 1 << 1,  /* the booth shows it now: a crash before the
                                       commit reverts it at the next start */
} content_install_flags_t;

/* Progress of an install: once with done = 0 after the signature and the
 * manifest passed (info filled: "update found (version, date)"), then as
 * bytes are copied (done of total). */
typedef void (*content_install_progress_t)(void *ctx, const content_bundle_info_t *info,
                                           uint64_t done, uint64_t total);

/* Installs a bundle: verifies it, copies it into staging while hashing,
 * fsyncs, switches `current` atomically and leaves it pending. The store
 * then shows it (content_store_dir()): load it, draw, content_store_commit().
 * A refused or failed install changes nothing on disk and says why
 * (wm_last_error()). limits NULL: defaults. */
wm_status_t content_store_install(content_store_t *store, const content_bundle_source_t *src,
                                  const content_keyring_t *keys,
                                  const content_bundle_limits_t *limits, unsigned flags,
                                  content_install_progress_t progress, void *ctx,
                                  content_bundle_info_t *info);

/* A source reading the file at path (open with content_bundle_source_open,
 * close with content_bundle_source_close). */
wm_status_t content_bundle_source_open(const char *path, content_bundle_source_t *src);
void content_bundle_source_close(content_bundle_source_t *src);

/*
 * Watching for bundles without polling: inotify on each mount root (where
 * sticks are mounted, e.g. /media/waymark) and on DATA/inbox, plus the
 * kernel's mount table (/proc/self/mountinfo), so a stick mounted under a
 * root is seen at once. content_watch_fd() becomes readable when something
 * changed; content_watch_next() then names update files (*.wmkeys key
 * updates, then *.wmbundle bundles, at the top of a root, of a folder
 * mounted in it, or of the inbox), each once while it stays there.
 */
typedef struct content_watch content_watch_t;

wm_status_t content_watch_create(const char *const *roots, size_t root_count, const char *inbox,
                                 content_watch_t **out);
void content_watch_destroy(content_watch_t *watch);
int content_watch_fd(const content_watch_t *watch);
/* Waits up to timeout_ms (-1: forever) for a change; true if one came. */
bool content_watch_wait(content_watch_t *watch, int timeout_ms);
/* Reads pending events, rescans, and copies the next new update file's
 * path into path (key updates before bundles); false when there is none.
 * Never blocks. */
bool content_watch_next(content_watch_t *watch, char *path, size_t size);
/* True when path is in the inbox (the caller then removes it once tried). */
bool content_watch_in_inbox(const content_watch_t *watch, const char *path);

/* Fault injection for the install's disk steps (builds with
 * WAYMARK_FAULT_INJECTION; no effect otherwise): the step after `countdown`
 * more successful ones (each write, fsync, rename, mkdir, symlink, unlink)
 * fails with EIO; with crash, every later step fails too, as if the power
 * had gone. Negative: off. content_fault_io_steps() counts the steps done
 * since the last call of content_fault_io_after(). In such builds, the
 * environment variable WAYMARK_FAULT_KILL_AT=N makes the process SIGKILL
 * itself at step N (for fork-and-kill tests of `waymark bundle install`). */
void content_fault_io_after(long countdown, bool crash);
long content_fault_io_steps(void);

/* ---- key updates: rotation and revocation ------------------------------
 *
 * A booth trusts the keys of its keyring folder (the factory keyring that
 * comes with the package, e.g. /etc/waymark/keys/) changed by the key
 * updates installed in its data folder:
 *
 *   DATA/keys/state   "waymark-keys-1", then "sequence N", "threshold T",
 *                     one "add ID BASE64" per added key and one
 *                     "revoke ID" per revoked key (written atomically:
 *                     state.tmp, fsync, rename, fsync of the folder)
 *
 * The file lives beside DATA/bundles, not in a content set, so switching
 * or rolling content back never touches it. A key update is a file (a tar,
 * like a bundle) holding manifest.json:
 *
 *   {"format": "waymark-keys-1", "sequence": 2, "created": "...Z",
 *    "add": ["RWQ... (a minisign public key line)"], "revoke": ["ID"],
 *    "threshold": 2}                       (add, revoke, threshold optional)
 *
 * and signatures/N.minisig, minisign signatures of manifest.json by keys
 * the booth trusts now (as many distinct ones as its threshold). Its
 * sequence must be above the installed one, so an older update cannot be
 * replayed; a revoked key is never trusted again, whatever a later update
 * or a new factory keyring says.
 */
#define CONTENT_KEYS_FORMAT  "waymark-keys-1"
#define CONTENT_KEYS_EXT     ".wmkeys"
#define CONTENT_KEYS_OPS_MAX 16 /* keys added plus keys revoked by one update */

/* The booth's effective keyring: the keys of keys_dir (a folder or one
 * .pub file; NULL: none), plus the keys added by the updates installed in
 * data_dir (NULL: none), minus the revoked ones, with the installed
 * threshold. Fails when the state file cannot be read or is damaged (a
 * booth then trusts nothing rather than keys it revoked) or when no key is
 * left. Free with content_keyring_destroy(). */
wm_status_t content_keyring_load_data(const char *keys_dir, const char *data_dir,
                                      content_keyring_t **out);
/* Revoked key ids (16 hex digits, owned by keys), how many keys must sign,
 * and whether key i came from the keyring folder rather than an update. */
size_t content_keyring_revoked_count(const content_keyring_t *keys);
const char *content_keyring_revoked_id(const content_keyring_t *keys, size_t i);
size_t content_keyring_threshold(const content_keyring_t *keys);
bool content_keyring_factory(const content_keyring_t *keys, size_t i);

/* What a key update asks. */
typedef struct {
    uint64_t sequence;      /* 0: the creation time in seconds */
    int64_t created_unix;   /* 0: now, or $SOURCE_DATE_EPOCH */
    const char *const *add; /* public key file texts (or the base64 line alone) */
    size_t add_count;
    const char *const *revoke; /* key ids */
    size_t revoke_count;
    size_t threshold; /* 0: unchanged */
} content_keys_update_t;

/* What a verified key update holds. */
typedef struct {
    uint64_t sequence;
    char created[32];
    char add_ids[CONTENT_KEYS_OPS_MAX][CONTENT_KEY_ID_HEX];
    size_t add_count;
    char revoke_ids[CONTENT_KEYS_OPS_MAX][CONTENT_KEY_ID_HEX];
    size_t revoke_count;
    size_t threshold;                                          /* 0: unchanged */
    char key_ids[CONTENT_BUNDLE_SIGS_MAX][CONTENT_KEY_ID_HEX]; /* keys that signed it */
    size_t key_count;
} content_keys_info_t;

/* The manifest of a key update (a new string, wm_free()): sign it with
 * content_minisign_sign() or `minisign -Sm`. */
wm_status_t content_keys_manifest(const content_keys_update_t *update, char **out);

/* Writes a key update file at out (out.tmp, then renamed) from a manifest
 * and 1 to CONTENT_BUNDLE_SIGS_MAX signature texts. Checks the manifest's
 * form, not the signatures. */
wm_status_t content_keys_build(const char *out, const char *manifest, const char *const *sigs,
                               size_t sig_count);

/* Checks a key update against keys (the booth's effective keyring) and
 * the state installed in data_dir, without writing: signatures (the
 * threshold), form, a sequence above the installed one, no revoked key
 * added back, and at least the threshold of keys left. Fills *info (may
 * be NULL). */
wm_status_t content_keys_verify(const char *data_dir, const char *path,
                                const content_keyring_t *keys, content_keys_info_t *info);

/* Verifies, then installs the update in data_dir's state. A refused or
 * failed update leaves the folder as it was (each write, fsync and rename
 * is a fault injection step, see content_fault_io_after()); afterwards,
 * load the keyring again. */
wm_status_t content_keys_install(const char *data_dir, const char *path,
                                 const content_keyring_t *keys, content_keys_info_t *info);

/* The sequence of the last key update installed in data_dir (0: none). */
uint64_t content_keys_sequence(const char *data_dir);

/* ---- HSDS: Open Referral's Human Services Data Specification 3.0 -------
 *
 * Services from the directories organisations already keep (a 211
 * database, a referral platform) and back: HSDS 3.0 JSON (a service, a
 * list, a paginated {"contents": [...]}, organisations with their services,
 * services at locations) or the tabular data package (datapackage.json and
 * CSV files) become the services, categories and texts of a content source
 * folder; content/HSDS.md gives the mapping field by field. What cannot be
 * mapped, or contradicts itself, goes into a report with the record's id,
 * never silently dropped or guessed.
 */
#define CONTENT_CSV_FIELD_MAX   (1024 * 1024) /* bytes in one field */
#define CONTENT_CSV_COLUMNS_MAX 256
#define CONTENT_CSV_ROWS_MAX    200000
#define CONTENT_HSDS_FILE_MAX   (64 * 1024 * 1024) /* one JSON or CSV file */

/* A CSV file read whole (RFC 4180, strict: csv.c says what is refused).
 * Row 0 is the header; lines[r] is the line row r starts on. */
typedef struct {
    char **cells; /* nrows * ncols, row-major */
    size_t ncells, nrows, ncols;
    int *lines;
} content_csv_t;

/* Parses buf[0..len); errors name name and the line ("FILE:LINE: ...").
 * Free with content_csv_free(). */
wm_status_t content_csv_parse(const char *name, const char *buf, size_t len, content_csv_t *out);
void content_csv_free(content_csv_t *csv);
const char *content_csv_cell(const content_csv_t *csv, size_t row, size_t col);
int content_csv_column(const content_csv_t *csv, const char *name); /* -1: none */
/* Writes one field (quoted when it must be) and "," or, when last, CRLF. */
bool content_csv_write_field(FILE *f, const char *s, bool last);

typedef struct {
    const char *lang;         /* the dataset's language (BCP 47); NULL: "en" */
    bool merge;               /* only the texts of lang, matched by id */
    const char *taxonomy;     /* mapping file; NULL: the built-in one */
    const char *template_dir; /* content to start from when out has none */
} content_hsds_opts_t;

typedef struct {
    size_t services;   /* written (or whose texts were merged) */
    size_t skipped;    /* records not imported (each in the report) */
    size_t only_here;  /* merge: in the import, not in the content */
    size_t only_there; /* merge: in the content, not in the import */
} content_hsds_result_t;

/* Imports input (a JSON file, a datapackage.json, or a folder holding
 * one) into the content source folder out: a new folder built from
 * template_dir, or out itself when it holds content already (its site,
 * languages, UI texts and icons are kept; services, categories and the
 * service texts are replaced). The new folder is written beside out and
 * renamed over it at the end, so a failed import writes nothing. Problems
 * that make the input unreadable (malformed CSV or JSON, wrong types,
 * unknown or duplicate ids, cycles of references) fail with a message
 * naming the file and the row or JSON path; everything else is a warning
 * in *report (code "hsds-unmapped", "hsds-contradictory", "hsds-skipped",
 * "hsds-only-one-language"; key = the record's id). Free the report with
 * content_report_destroy(). */
wm_status_t content_hsds_import(const char *input, const char *out, const content_hsds_opts_t *opts,
                                content_report_t **report, content_hsds_result_t *result);

/* Writes the services of content source folder src as an HSDS 3.0
 * tabular data package (datapackage.json and CSV files) and as JSON
 * (services.json, a paginated list of full services) into the folder
 * dir (written beside it and renamed). Texts are the site's local
 * language's (else English). Ids are UUIDs derived from the site and
 * Waymark ids; the Waymark id, category, audience and walk-in flag travel
 * as terms of the "waymark" taxonomy, so an import gives them back. */
wm_status_t content_hsds_export(const char *src, const char *dir, size_t *services);

/* The built-in taxonomy mapping (the text of content/hsds-taxonomy.json). */
const char *content_hsds_taxonomy_default(void);

#endif
