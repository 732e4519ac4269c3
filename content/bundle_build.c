/*
 * bundle_build.c: making bundles from a content source folder: walk the
 * folder (portable names only, hidden files skipped, no symlinks or special
 * files), hash every file (BLAKE2b-256), write the manifest (one file a
 * line, sorted, so two builds of the same folder differ only in version
 * and time), sign it (once per key), and write the tar with libarchive:
 * manifest.json, signatures/1.minisig ..., content/... . The manifest is parsed back with the
 * reader's own parser, so a build obeys exactly the rules a booth applies.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bundle_private.h"

#define BUILD_BLOCK (256u << 10)

typedef struct {
    char *path;
    uint64_t size;
    uint8_t hash[BUNDLE_HASH_BYTES];
} build_file_t;

typedef struct {
    build_file_t *files;
    size_t count, cap;
    content_bundle_limits_t lim;
    const char *root;
} build_list_t;

static wm_status_t walk(build_list_t *l, const char *rel);
static wm_status_t hash_file(const char *path, uint8_t *hash, uint64_t *size, struct archive *w);
static wm_status_t manifest_text(const char *src, const content_bundle_build_opts_t *opts,
                                 build_list_t *l, char **out);
static void list_free(build_list_t *l);
static int cmp_build_ci(const void *a, const void *b);
static wm_status_t add_entry(struct archive *w, const char *name, const void *data, size_t len,
                             int64_t mtime);
static int64_t build_time(const content_bundle_build_opts_t *opts);

wm_status_t content_bundle_manifest(const char *src, const content_bundle_build_opts_t *opts,
                                    char **out)
{
    build_list_t l = {0};
    wm_status_t st = manifest_text(src, opts, &l, out);

    list_free(&l);
    return st;
}

wm_status_t content_bundle_build(const char *src, const char *out,
                                 const content_bundle_build_opts_t *opts)
{
    build_list_t l = {0};
    char *manifest = NULL, *sigs[CONTENT_BUNDLE_SIGS_MAX] = {0}, tmp[4096];
    size_t nsig = 0;
    struct archive *w = NULL;
    content_bundle_build_opts_t o = *opts;
    int64_t mtime;
    wm_status_t st;

    if (opts->key_count > CONTENT_BUNDLE_SIGS_MAX)
        return wm_error(WM_EINVAL, "build: at most %d keys", CONTENT_BUNDLE_SIGS_MAX);
    if (!opts->key_count && !(opts->signature_text && opts->manifest_text))
        return wm_error(WM_EINVAL, "build: a key, or a manifest and its signature, is needed");
    if (!opts->key_count) {
        /* A manifest signed elsewhere: this build must give the same text. */
        bundle_manifest_t given;

        if ((st = bundle_manifest_parse(opts->manifest_text, strlen(opts->manifest_text), NULL,
                                        &given)) != WM_OK)
            return wm_error(st, "build: the signed manifest: %s", wm_last_error());
        o.version = given.info.version;
        o.created_unix = given.info.created_unix;
        o.compat = NULL;
        if (strcmp(given.info.compat, CONTENT_BUNDLE_COMPAT) != 0)
            st = wm_error(WM_EINVAL, "build: the signed manifest is for \"%s\"", given.info.compat);
        bundle_manifest_free(&given);
        if (st != WM_OK)
            return st;
    }
    opts = &o;
    mtime = build_time(opts);
    if ((st = manifest_text(src, opts, &l, &manifest)) != WM_OK)
        goto done;
    if (opts->key_count) {
        for (; nsig < opts->key_count; nsig++) {
            if ((st = content_minisign_sign(opts->keys[nsig], manifest, strlen(manifest), NULL,
                                            BUNDLE_MANIFEST, &sigs[nsig])) != WM_OK)
                goto done;
        }
    } else {
        if (strcmp(opts->manifest_text, manifest) != 0) {
            st = wm_error(WM_EINVAL, "build: the signed manifest is not what %s holds now", src);
            goto done;
        }
        if (!(sigs[0] = wm_strdup(opts->signature_text))) {
            st = wm_error(WM_ENOMEM, "build: out of memory");
            goto done;
        }
        nsig = 1;
    }
    snprintf(tmp, sizeof(tmp), "%s.tmp", out);
    if (!(w = archive_write_new())) {
        st = wm_error(WM_ENOMEM, "build: out of memory");
        goto done;
    }
    if (archive_write_set_format_pax_restricted(w) != ARCHIVE_OK ||
        (opts->gzip && archive_write_add_filter_gzip(w) != ARCHIVE_OK) ||
        archive_write_open_filename(w, tmp) != ARCHIVE_OK) {
        st = wm_error(WM_EIO, "build: %s: %s", tmp, archive_error_string(w));
        goto done;
    }
    if ((st = add_entry(w, BUNDLE_MANIFEST, manifest, strlen(manifest), mtime)) != WM_OK)
        goto fail;
    for (size_t i = 0; i < nsig; i++) {
        char name[64];
        snprintf(name, sizeof(name), BUNDLE_SIG_DIR "%zu.minisig", i + 1);
        if ((st = add_entry(w, name, sigs[i], strlen(sigs[i]), mtime)) != WM_OK)
            goto fail;
    }
    for (size_t i = 0; i < l.count; i++) {
        struct archive_entry *e = archive_entry_new();
        char path[4096], name[4096];
        uint8_t hash[BUNDLE_HASH_BYTES];
        uint64_t size;

        if (!e) {
            st = wm_error(WM_ENOMEM, "build: out of memory");
            goto fail;
        }
        snprintf(name, sizeof(name), BUNDLE_CONTENT_DIR "%s", l.files[i].path);
        snprintf(path, sizeof(path), "%s/%s", src, l.files[i].path);
        archive_entry_set_pathname(e, name);
        archive_entry_set_size(e, (la_int64_t)l.files[i].size);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_mtime(e, mtime, 0);
        if (archive_write_header(w, e) != ARCHIVE_OK) {
            archive_entry_free(e);
            st = wm_error(WM_EIO, "build: %s: %s", tmp, archive_error_string(w));
            goto fail;
        }
        archive_entry_free(e);
        if ((st = hash_file(path, hash, &size, w)) != WM_OK)
            goto fail;
        if (size != l.files[i].size || memcmp(hash, l.files[i].hash, sizeof(hash)) != 0) {
            st = wm_error(WM_EINVAL, "build: %s changed while the bundle was being made", path);
            goto fail;
        }
    }
    if (archive_write_close(w) != ARCHIVE_OK) {
        st = wm_error(WM_EIO, "build: %s: %s", tmp, archive_error_string(w));
        goto fail;
    }
    if (rename(tmp, out) != 0) {
        st = wm_error(WM_EIO, "build: %s: %s", out, strerror(errno));
        goto fail;
    }
    goto done;
fail:
    unlink(tmp);
done:
    if (w)
        archive_write_free(w);
    wm_free(manifest);
    for (size_t i = 0; i < nsig; i++)
        wm_free(sigs[i]);
    list_free(&l);
    return st;
}

/* ---- static ------------------------------------------------------------- */

static wm_status_t manifest_text(const char *src, const content_bundle_build_opts_t *opts,
                                 build_list_t *l, char **out)
{
    const char *compat = opts->compat ? opts->compat : CONTENT_BUNDLE_COMPAT;
    int64_t created = build_time(opts);
    uint64_t version = opts->version ? opts->version : (uint64_t)created;
    char stamp[32], *text = NULL;
    size_t cap, len;
    struct tm tm;
    time_t t = (time_t)created;
    bundle_manifest_t check;
    wm_status_t st;

    if (sodium_init() < 0)
        return wm_error(WM_EUNSUPPORTED, "build: libsodium cannot start");
    l->lim = content_bundle_limits();
    l->root = src;
    if ((st = walk(l, "")) != WM_OK)
        return st;
    if (l->count == 0)
        return wm_error(WM_EINVAL, "build: %s: no files", src);
    qsort(l->files, l->count, sizeof(*l->files), cmp_build_ci);
    for (size_t i = 0; i < l->count; i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", src, l->files[i].path);
        if ((st = hash_file(path, l->files[i].hash, &l->files[i].size, NULL)) != WM_OK)
            return st;
    }
    gmtime_r(&t, &tm);
    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
    cap = 512 + strlen(compat) + l->count * (l->lim.path_max + 2 * BUNDLE_HASH_BYTES + 64);
    if (!(text = wm_malloc(cap)))
        return wm_error(WM_ENOMEM, "build: out of memory");
    len = (size_t)snprintf(text, cap,
                           "{\n  \"format\": \"%s\",\n  \"version\": %llu,\n  \"compat\": \"%s\",\n"
                           "  \"created\": \"%s\",\n  \"hash\": \"blake2b-256\",\n  \"files\": [\n",
                           CONTENT_BUNDLE_FORMAT, (unsigned long long)version, compat, stamp);
    for (size_t i = 0; i < l->count; i++) {
        char hex[2 * BUNDLE_HASH_BYTES + 1];
        bundle_hex(l->files[i].hash, BUNDLE_HASH_BYTES, hex);
        len += (size_t)snprintf(text + len, cap - len,
                                "    {\"path\": \"%s\", \"size\": %llu, \"blake2b\": \"%s\"}%s\n",
                                l->files[i].path, (unsigned long long)l->files[i].size, hex,
                                i + 1 < l->count ? "," : "");
    }
    len += (size_t)snprintf(text + len, cap - len, "  ]\n}\n");
    /* The booth's own parser judges it: caps, collisions, compat string. */
    if ((st = bundle_manifest_parse(text, len, &l->lim, &check)) != WM_OK) {
        wm_free(text);
        return wm_error(st, "build: %s: %s", src, wm_last_error());
    }
    bundle_manifest_free(&check);
    *out = text;
    return WM_OK;
}

static wm_status_t walk(build_list_t *l, const char *rel)
{
    char dir[4096];
    DIR *d;
    struct dirent *e;
    wm_status_t st = WM_OK;

    snprintf(dir, sizeof(dir), "%s%s%s", l->root, rel[0] ? "/" : "", rel);
    if (!(d = opendir(dir)))
        return wm_error(errno == ENOENT ? WM_ENOENT : WM_EIO, "build: %s: %s", dir,
                        strerror(errno));
    while (st == WM_OK && (e = readdir(d))) {
        char path[4096], full[4096];
        const char *why = "";
        struct stat sb;

        if (e->d_name[0] == '.')
            continue; /* hidden files (.git, .DS_Store) are not content */
        if ((size_t)snprintf(path, sizeof(path), "%s%s%s", rel, rel[0] ? "/" : "", e->d_name) >=
                sizeof(path) ||
            (size_t)snprintf(full, sizeof(full), "%s/%s", l->root, path) >= sizeof(full)) {
            st = wm_error(WM_EINVAL, "build: %s/%s: path too long", dir, e->d_name);
        } else if (lstat(full, &sb) != 0) {
            st = wm_error(WM_EIO, "build: %s: %s", full, strerror(errno));
        } else if (!content_bundle_path_ok(path, strlen(path), &l->lim, &why)) {
            st = wm_error(WM_EINVAL, "build: %s: %s", full, why);
        } else if (S_ISDIR(sb.st_mode)) {
            st = walk(l, path);
        } else if (!S_ISREG(sb.st_mode)) {
            st = wm_error(WM_EINVAL, "build: %s: not a plain file (%s)", full,
                          S_ISLNK(sb.st_mode) ? "a symbolic link" : "a special file");
        } else if (l->count >= l->lim.files_max) {
            st = wm_error(WM_EINVAL, "build: %s: more than %zu files", l->root, l->lim.files_max);
        } else if (wm_grow((void **)&l->files, &l->cap, l->count + 1, sizeof(*l->files)) != WM_OK) {
            st = wm_error(WM_ENOMEM, "build: out of memory");
        } else if (!(l->files[l->count].path = wm_strdup(path))) {
            st = wm_error(WM_ENOMEM, "build: out of memory");
        } else {
            l->files[l->count].size = (uint64_t)sb.st_size;
            l->count++;
        }
    }
    closedir(d);
    return st;
}

/* Hashes a file; with w, also writes its bytes to the archive. */
static wm_status_t hash_file(const char *path, uint8_t *hash, uint64_t *size, struct archive *w)
{
    crypto_generichash_state hs;
    uint8_t *buf;
    uint64_t total = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    wm_status_t st = WM_OK;

    if (fd < 0)
        return wm_error(WM_EIO, "build: %s: %s", path, strerror(errno));
    if (!(buf = wm_malloc(BUILD_BLOCK))) {
        close(fd);
        return wm_error(WM_ENOMEM, "build: out of memory");
    }
    crypto_generichash_init(&hs, NULL, 0, BUNDLE_HASH_BYTES);
    for (;;) {
        ssize_t n = read(fd, buf, BUILD_BLOCK);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            st = wm_error(WM_EIO, "build: %s: %s", path, strerror(errno));
            break;
        }
        if (n == 0)
            break;
        crypto_generichash_update(&hs, buf, (size_t)n);
        total += (uint64_t)n;
        if (w && archive_write_data(w, buf, (size_t)n) != n) {
            st = wm_error(WM_EIO, "build: writing %s: %s", path, archive_error_string(w));
            break;
        }
    }
    crypto_generichash_final(&hs, hash, BUNDLE_HASH_BYTES);
    wm_free(buf);
    close(fd);
    if (st == WM_OK)
        *size = total;
    return st;
}

static wm_status_t add_entry(struct archive *w, const char *name, const void *data, size_t len,
                             int64_t mtime)
{
    struct archive_entry *e = archive_entry_new();
    wm_status_t st = WM_OK;

    if (!e)
        return wm_error(WM_ENOMEM, "build: out of memory");
    archive_entry_set_pathname(e, name);
    archive_entry_set_size(e, (la_int64_t)len);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, mtime, 0);
    if (archive_write_header(w, e) != ARCHIVE_OK ||
        archive_write_data(w, data, len) != (la_ssize_t)len)
        st = wm_error(WM_EIO, "build: %s: %s", name, archive_error_string(w));
    archive_entry_free(e);
    return st;
}

static void list_free(build_list_t *l)
{
    for (size_t i = 0; i < l->count; i++)
        wm_free(l->files[i].path);
    wm_free(l->files);
    memset(l, 0, sizeof(*l));
}

static int cmp_build_ci(const void *a, const void *b)
{
    const build_file_t *x = a, *y = b;
    int c = strcasecmp(x->path, y->path);

    return c ? c : strcmp(x->path, y->path);
}

/* The creation time: given, else $SOURCE_DATE_EPOCH (reproducible builds),
 * else now. */
static int64_t build_time(const content_bundle_build_opts_t *opts)
{
    const char *env = getenv("SOURCE_DATE_EPOCH");

    if (opts->created_unix > 0)
        return opts->created_unix;
    if (env && *env) {
        char *end;
        long long v = strtoll(env, &end, 10);
        if (!*end && v > 0)
            return v;
    }
    return (int64_t)time(NULL);
}
