/*
 * content.h: the content a booth shows. For now a placeholder model until
 * the content issue brings bundles: a folder with an index file and one
 * strings file per language,
 *
 *   DIR/content.json        {"format": 1, "languages": ["en", "ar", ...]}
 *   DIR/strings/TAG.json    {"autonym": "العربية", "welcome": "...", ...}
 *
 * where every strings file is a flat JSON object of string values. No SDL.
 */
#ifndef CONTENT_H
#define CONTENT_H

#include <stddef.h>

#include "wm_base.h"

#define CONTENT_FORMAT        1
#define CONTENT_LANGUAGES_MAX 32 /* one welcome-screen button each */

typedef struct content content_t;

/* Loads DIR/content.json and every strings file it names. Errors name the
 * file ("content: DIR/strings/ar.json: line 3: ..." and the like); *out is
 * untouched on failure. Free with content_destroy(). */
wm_status_t content_load_dir(const char *dir, content_t **out);

/* The built-in minimal content (English only), for a booth whose content
 * cannot be read: never a dead booth. Free with content_destroy(). */
wm_status_t content_builtin(content_t **out);

void content_destroy(content_t *content);

/* Where the content came from: the folder, or "built-in". Owned by content. */
const char *content_source(const content_t *content);

/* Languages in display order; tags are owned by content. */
size_t content_language_count(const content_t *content);
const char *content_language_tag(const content_t *content, size_t index);

/* Index of a language tag, or -1. */
int content_language_find(const content_t *content, const char *tag);

/* The string `key` of a language, or NULL when that language lacks it.
 * Owned by content. */
const char *content_string(const content_t *content, size_t lang, const char *key);

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
} content_store_flags_t;

/* Opens the store of data_dir with start-up recovery: removes leftover
 * staging, handles a pending set (CONTENT_STORE_BOOTH), then picks
 * `current` if it is complete (every file of its manifest there with its
 * size), else `previous` (and points `current` back at it), else
 * factory_dir (may be NULL). Creates DATA/bundles and DATA/inbox when
 * missing. Fails only when out of memory: a store whose data folder is
 * unusable still offers the factory content. Free with
 * content_store_destroy(). */
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
 * changed; content_watch_next() then names bundle files (*.wmbundle at the
 * top of a root, of a folder mounted in it, or of the inbox), each once
 * while it stays there.
 */
typedef struct content_watch content_watch_t;

wm_status_t content_watch_create(const char *const *roots, size_t root_count, const char *inbox,
                                 content_watch_t **out);
void content_watch_destroy(content_watch_t *watch);
int content_watch_fd(const content_watch_t *watch);
/* Waits up to timeout_ms (-1: forever) for a change; true if one came. */
bool content_watch_wait(content_watch_t *watch, int timeout_ms);
/* Reads pending events, rescans, and copies the next new bundle path into
 * path; false when there is none. Never blocks. */
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

#endif
