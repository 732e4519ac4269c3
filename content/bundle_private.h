/*
 * bundle_private.h: what the bundle, install, watch and minisign files of
 * content/ share and nothing else may call: the bundle reader, the
 * manifest's file table, and the install's disk steps (each one a fault
 * injection point).
 */
#ifndef CONTENT_BUNDLE_PRIVATE_H
#define CONTENT_BUNDLE_PRIVATE_H

#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "content.h"

#define BUNDLE_HASH_BYTES  32 /* BLAKE2b-256 */
#define BUNDLE_SIG_MAX     4096
#define BUNDLE_MANIFEST    "manifest.json"
#define BUNDLE_SIG_DIR     "signatures/"
#define BUNDLE_CONTENT_DIR "content/"

typedef struct {
    char *path; /* relative to the content folder */
    uint64_t size;
    uint8_t hash[BUNDLE_HASH_BYTES];
    bool seen;
} bundle_file_t;

/* A parsed manifest: info plus the files sorted by path. */
typedef struct {
    content_bundle_info_t info;
    bundle_file_t *files;
    size_t count;
} bundle_manifest_t;

wm_status_t bundle_manifest_parse(const char *text, size_t len,
                                  const content_bundle_limits_t *limits, bundle_manifest_t *m);
void bundle_manifest_free(bundle_manifest_t *m);
/* The entry for path (NUL-terminated), or NULL. */
bundle_file_t *bundle_manifest_find(bundle_manifest_t *m, const char *path);

/* Where bundle_read() puts each listed file: begin (path relative to the
 * content folder, size), data (any number of times), end. Any non-OK
 * return stops the read with that status. NULL sink: verify only. */
typedef struct {
    wm_status_t (*begin)(void *ctx, const bundle_file_t *f);
    wm_status_t (*data)(void *ctx, const void *buf, size_t len);
    wm_status_t (*end)(void *ctx);
    /* Called once signatures and manifest passed, before any file. */
    wm_status_t (*verified)(void *ctx, const bundle_manifest_t *m, const char *manifest,
                            size_t manifest_len, char *const *sigs, const size_t *sig_lens,
                            size_t sig_count);
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *ctx;
} bundle_sink_t;

/* Reads a bundle from src: signatures first (threshold of keys), then the
 * manifest, then every file against it. Fills *m on success (free with
 * bundle_manifest_free()). */
wm_status_t bundle_read(const content_bundle_source_t *src, const content_keyring_t *keys,
                        const content_bundle_limits_t *limits, const bundle_sink_t *sink,
                        bundle_manifest_t *m);

/* Checks every signature text against the keyring; passes when at least
 * the keyring's threshold of distinct trusted keys signed msg. */
wm_status_t bundle_signatures_check(const content_keyring_t *keys, const void *msg, size_t len,
                                    char *const *sigs, const size_t *sig_lens, size_t count,
                                    content_bundle_info_t *info);

/* The key id and trusted comment of a signature, unchecked (for inspect). */
wm_status_t bundle_signature_describe(const char *sig, size_t len, char *key_id, char *comment,
                                      size_t comment_size);

/* Hex of a hash (2 * n + 1 bytes). */
void bundle_hex(const uint8_t *bin, size_t n, char *out);

/* The install's disk steps: each counts as one fault injection step and
 * fails with -1 / errno EIO when injected. */
int install_io_open(const char *path, int flags, mode_t mode);
ssize_t install_io_write(int fd, const void *buf, size_t len); /* all of it, or -1 */
int install_io_fsync(int fd);
/* Starts writing a file's dirty pages back, without waiting (a hint: not a
 * step). */
void install_io_writeback(int fd);
/* Syncs the filesystem holding path (every file written to it). */
int install_io_syncfs(const char *path);
int install_io_rename(const char *from, const char *to);
int install_io_mkdir(const char *path, mode_t mode);
int install_io_symlink(const char *target, const char *path);
int install_io_unlink(const char *path);
int install_io_rmdir(const char *path);
/* fsync of a folder (open O_DIRECTORY, fsync, close) */
int install_io_fsync_dir(const char *path);
/* Writes text to path atomically: path.tmp, fsync, rename, fsync folder. */
wm_status_t install_io_write_atomic(const char *dir, const char *name, const char *text);
/* Removes a tree (symlinks are removed, not followed); each unlink and
 * rmdir is a step. */
int install_io_remove_tree(const char *path);

/* The install's writing thread (install_writer.c): folders made, files
 * opened, written and closed in the order asked, beside the reading; the
 * first failure is returned by the next call. stop() waits for the thread
 * and frees everything (flush() first to know whether all went well). */
typedef struct install_writer install_writer_t;

wm_status_t install_writer_start(install_writer_t **out);
wm_status_t install_writer_mkdir(install_writer_t *w, const char *path);
wm_status_t install_writer_open(install_writer_t *w, const char *path);
wm_status_t install_writer_data(install_writer_t *w, const void *buf, size_t len);
wm_status_t install_writer_close(install_writer_t *w);
wm_status_t install_writer_flush(install_writer_t *w);
void install_writer_stop(install_writer_t *w);

#endif
