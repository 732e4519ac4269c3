/*
 * bundle.c: reading bundles: the path rules, the manifest parser, and the
 * one reader that verify, inspect and install all go through.
 *
 * The reader takes the archive apart with libarchive (tar only, plain or
 * gzip), in this order: manifest.json (its header size checked against the
 * cap before a byte is read), the signatures, the signature check, and only
 * then the manifest's JSON. Each later entry must be a regular file under
 * content/ that the manifest lists, seen once, with the declared size; its
 * bytes are hashed (BLAKE2b-256) as they stream to the sink, and the hash
 * compared at its end. Every listed file must appear.
 *
 * Manifest (UTF-8 JSON, every key required, no others):
 *   {"format": "waymark-bundle-1", "version": 7, "compat": "waymark-content-1",
 *    "created": "2026-12-01T16:00:00Z", "hash": "blake2b-256",
 *    "files": [{"path": "content.json", "size": 120, "blake2b": "<64 hex>"}, ...]}
 */
#include <archive.h>
#include <archive_entry.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "bundle_private.h"

#define BUNDLE_READ_BLOCK   (256u << 10)
#define BUNDLE_VERSION_MAX  9007199254740992.0 /* 2^53: exact in JSON numbers */
#define BUNDLE_PROGRESS_GAP (1u << 20)

typedef struct {
    const content_bundle_source_t *src;
    uint8_t *buf;
    int read_errno; /* the source failed: said first, whatever libarchive makes of it */
} reader_ctx_t;

typedef struct {
    int fd;
} file_source_t;

static la_ssize_t reader_read(struct archive *a, void *ctx, const void **buf);
static wm_status_t archive_fail(struct archive *a, const char *name);
static wm_status_t read_small_entry(struct archive *a, struct archive_entry *e, const char *name,
                                    const char *what, size_t max, char **out, size_t *len);
static wm_status_t check_entry(struct archive_entry *e, const char *name, const char *path);
static wm_status_t read_files(struct archive *a, struct archive_entry *e, int r, const char *name,
                              bundle_manifest_t *m, const bundle_sink_t *sink);
static wm_status_t parse_files(const cJSON *arr, const content_bundle_limits_t *lim,
                               bundle_manifest_t *m);
static bool parse_created(const char *s, int64_t *out);
static bool hex_decode(const char *s, uint8_t *out, size_t n);
static int cmp_file_ci(const void *a, const void *b);
static long file_source_read(void *ctx, void *buf, size_t size);

content_bundle_limits_t content_bundle_limits(void)
{
    content_bundle_limits_t l = {
        .manifest_max = 1u << 20,
        .files_max = 4096,
        .file_max = 64u << 20,
        .total_max = 512u << 20,
        .path_max = 200,
        .depth_max = 8,
        .name_max = 100,
    };
    return l;
}

bool content_bundle_path_ok(const char *path, size_t len, const content_bundle_limits_t *limits,
                            const char **why)
{
    content_bundle_limits_t def = content_bundle_limits();
    const content_bundle_limits_t *l = limits ? limits : &def;
    const char *w = NULL;
    size_t depth = 0, name = 0;

    if (len == 0)
        w = "empty path";
    else if (len > l->path_max)
        w = "path too long";
    else if (path[0] == '/')
        w = "absolute path";
    for (size_t i = 0; !w && i <= len; i++) {
        char c = i < len ? path[i] : '/';

        if (c == '/') {
            if (name == 0)
                w = i == len ? "path ends with '/'" : "empty path component";
            else if (++depth > l->depth_max)
                w = "folders nested too deep";
            name = 0;
        } else if (name == 0 && c == '.') {
            w = path[i + 1 < len ? i + 1 : i] == '.' && (i + 2 >= len || path[i + 2] == '/')
                    ? "'..' in path"
                    : "name starts with '.'";
        } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '.' || c == '_' || c == '-')) {
            w = c == '\\' ? "backslash in path" : "character outside [A-Za-z0-9._-] in path";
        } else if (++name > l->name_max) {
            w = "name too long";
        }
    }
    if (w && why)
        *why = w;
    return !w;
}

wm_status_t content_bundle_manifest_parse(const char *text, size_t len,
                                          const content_bundle_limits_t *limits,
                                          content_bundle_info_t *info)
{
    bundle_manifest_t m;
    wm_status_t st = bundle_manifest_parse(text, len, limits, &m);

    if (st != WM_OK)
        return st;
    if (info)
        *info = m.info;
    bundle_manifest_free(&m);
    return WM_OK;
}

wm_status_t bundle_manifest_parse(const char *text, size_t len,
                                  const content_bundle_limits_t *limits, bundle_manifest_t *out)
{
    static const char *const keys[] = {"format", "version", "compat", "created", "hash", "files"};
    content_bundle_limits_t def = content_bundle_limits();
    const content_bundle_limits_t *lim = limits ? limits : &def;
    const cJSON *item[6] = {0}, *c;
    bundle_manifest_t m;
    cJSON *root;
    wm_status_t st = WM_OK;

    if (len > lim->manifest_max)
        return wm_error(WM_EFORMAT, "manifest: larger than %zu bytes", lim->manifest_max);
    if (!wm_utf8_valid(text, len) || memchr(text, '\0', len))
        return wm_error(WM_EFORMAT, "manifest: not UTF-8 text");
    if (!(root = cJSON_ParseWithLength(text, len)))
        return wm_error(WM_EFORMAT, "manifest: not valid JSON");
    memset(&m, 0, sizeof(m));
    if (!cJSON_IsObject(root)) {
        st = wm_error(WM_EFORMAT, "manifest: not a JSON object");
        goto done;
    }
    cJSON_ArrayForEach(c, root)
    {
        size_t k = 0;
        while (k < 6 && strcmp(c->string, keys[k]) != 0)
            k++;
        if (k == 6) {
            st = wm_error(WM_EFORMAT, "manifest: unknown key '%.40s'", c->string);
            goto done;
        }
        if (item[k]) {
            st = wm_error(WM_EFORMAT, "manifest: '%s' given twice", keys[k]);
            goto done;
        }
        item[k] = c;
    }
    for (size_t k = 0; k < 6; k++) {
        if (!item[k]) {
            st = wm_error(WM_EFORMAT, "manifest: missing '%s'", keys[k]);
            goto done;
        }
    }
    if (!cJSON_IsString(item[0]) || strcmp(item[0]->valuestring, CONTENT_BUNDLE_FORMAT) != 0) {
        st = wm_error(WM_EFORMAT, "manifest: format is not \"%s\"", CONTENT_BUNDLE_FORMAT);
        goto done;
    }
    if (!cJSON_IsNumber(item[1]) || item[1]->valuedouble < 1 ||
        item[1]->valuedouble > BUNDLE_VERSION_MAX ||
        item[1]->valuedouble != (double)(uint64_t)item[1]->valuedouble) {
        st = wm_error(WM_EFORMAT, "manifest: 'version' must be a whole number from 1 to 2^53");
        goto done;
    }
    m.info.version = (uint64_t)item[1]->valuedouble;
    if (!cJSON_IsString(item[2]) || strlen(item[2]->valuestring) >= sizeof(m.info.compat) ||
        !item[2]->valuestring[0]) {
        st = wm_error(WM_EFORMAT, "manifest: 'compat' must be a string of 1 to %zu bytes",
                      sizeof(m.info.compat) - 1);
        goto done;
    }
    for (const char *p = item[2]->valuestring; *p; p++) {
        if (*p < 0x21 || *p > 0x7e || *p == '"' || *p == '\\') {
            st = wm_error(WM_EFORMAT, "manifest: 'compat' must be printable ASCII");
            goto done;
        }
    }
    strcpy(m.info.compat, item[2]->valuestring);
    if (!cJSON_IsString(item[3]) || !parse_created(item[3]->valuestring, &m.info.created_unix)) {
        st = wm_error(WM_EFORMAT, "manifest: 'created' must read YYYY-MM-DDTHH:MM:SSZ");
        goto done;
    }
    strcpy(m.info.created, item[3]->valuestring);
    if (!cJSON_IsString(item[4]) || strcmp(item[4]->valuestring, "blake2b-256") != 0) {
        st = wm_error(WM_EFORMAT, "manifest: 'hash' must be \"blake2b-256\"");
        goto done;
    }
    if (!cJSON_IsArray(item[5])) {
        st = wm_error(WM_EFORMAT, "manifest: 'files' must be an array");
        goto done;
    }
    st = parse_files(item[5], lim, &m);
done:
    cJSON_Delete(root);
    if (st != WM_OK) {
        bundle_manifest_free(&m);
        return st;
    }
    *out = m;
    return WM_OK;
}

void bundle_manifest_free(bundle_manifest_t *m)
{
    for (size_t i = 0; i < m->count; i++)
        wm_free(m->files[i].path);
    wm_free(m->files);
    m->files = NULL;
    m->count = 0;
}

bundle_file_t *bundle_manifest_find(bundle_manifest_t *m, const char *path)
{
    bundle_file_t key = {.path = (char *)path}, *f;

    if (m->count == 0)
        return NULL;
    f = bsearch(&key, m->files, m->count, sizeof(*f), cmp_file_ci);
    return f && strcmp(f->path, path) == 0 ? f : NULL;
}

void bundle_hex(const uint8_t *bin, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bin[i] >> 4];
        out[2 * i + 1] = digits[bin[i] & 15];
    }
    out[2 * n] = '\0';
}

wm_status_t bundle_read(const content_bundle_source_t *src, const content_keyring_t *keys,
                        const content_bundle_limits_t *limits, const bundle_sink_t *sink,
                        bundle_manifest_t *out)
{
    content_bundle_limits_t def = content_bundle_limits();
    const content_bundle_limits_t *lim = limits ? limits : &def;
    const char *name = src->name ? src->name : "bundle";
    reader_ctx_t rc = {.src = src};
    struct archive *a = NULL;
    struct archive_entry *e;
    char *manifest = NULL, *sigs[CONTENT_BUNDLE_SIGS_MAX] = {0};
    size_t manifest_len = 0, sig_lens[CONTENT_BUNDLE_SIGS_MAX] = {0}, nsig = 0;
    bundle_manifest_t m = {0};
    bool parsed = false;
    wm_status_t st;
    int r;

    if (sodium_init() < 0)
        return wm_error(WM_EUNSUPPORTED, "%s: libsodium cannot start", name);
    if (!(rc.buf = wm_malloc(BUNDLE_READ_BLOCK)) || !(a = archive_read_new())) {
        st = wm_error(WM_ENOMEM, "%s: out of memory", name);
        goto done;
    }
    archive_read_support_format_tar(a);
    archive_read_support_filter_gzip(a);
    if (archive_read_open(a, &rc, NULL, reader_read, NULL) != ARCHIVE_OK) {
        st = archive_fail(a, name);
        goto done;
    }
    r = archive_read_next_header(a, &e);
    if (r == ARCHIVE_EOF) {
        st = wm_error(WM_EFORMAT, "%s: empty bundle", name);
        goto done;
    }
    if (r != ARCHIVE_OK) {
        st = archive_fail(a, name);
        goto done;
    }
    if (!archive_entry_pathname(e) || strcmp(archive_entry_pathname(e), BUNDLE_MANIFEST) != 0) {
        st = wm_error(WM_EFORMAT, "%s: not a Waymark bundle (it does not start with %s)", name,
                      BUNDLE_MANIFEST);
        goto done;
    }
    if ((st = read_small_entry(a, e, name, "the manifest", lim->manifest_max, &manifest,
                               &manifest_len)) != WM_OK)
        goto done;
    while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
        const char *p = archive_entry_pathname(e);
        char want[64];

        if (!p || strncmp(p, BUNDLE_SIG_DIR, strlen(BUNDLE_SIG_DIR)) != 0)
            break;
        if (nsig == CONTENT_BUNDLE_SIGS_MAX) {
            st = wm_error(WM_EFORMAT, "%s: more than %d signatures", name, CONTENT_BUNDLE_SIGS_MAX);
            goto done;
        }
        snprintf(want, sizeof(want), BUNDLE_SIG_DIR "%zu.minisig", nsig + 1);
        if (strcmp(p, want) != 0) {
            st = wm_error(WM_EFORMAT, "%s: unexpected entry %.80s (wanted %s)", name, p, want);
            goto done;
        }
        if ((st = read_small_entry(a, e, name, "a signature", BUNDLE_SIG_MAX, &sigs[nsig],
                                   &sig_lens[nsig])) != WM_OK)
            goto done;
        nsig++;
    }
    if (r != ARCHIVE_OK && r != ARCHIVE_EOF) {
        st = archive_fail(a, name);
        goto done;
    }
    if (nsig == 0) {
        st = wm_error(WM_EINVAL, "%s: not signed", name);
        goto done;
    }
    /* The signatures come before any parsing of what they cover. */
    if ((st = bundle_signatures_check(keys, manifest, manifest_len, sigs, sig_lens, nsig,
                                      &m.info)) != WM_OK) {
        st = wm_error(st, "%s: %s", name, wm_last_error());
        goto done;
    }
    {
        content_bundle_info_t signers = m.info;

        if ((st = bundle_manifest_parse(manifest, manifest_len, lim, &m)) != WM_OK) {
            st = wm_error(st, "%s: %s", name, wm_last_error());
            goto done;
        }
        memcpy(m.info.key_ids, signers.key_ids, sizeof(signers.key_ids));
        m.info.key_count = signers.key_count;
    }
    parsed = true;
    if (strcmp(m.info.compat, CONTENT_BUNDLE_COMPAT) != 0) {
        st = wm_error(WM_EUNSUPPORTED, "%s: made for \"%s\"; this firmware shows \"%s\"", name,
                      m.info.compat, CONTENT_BUNDLE_COMPAT);
        goto done;
    }
    if (sink && sink->verified &&
        (st = sink->verified(sink->ctx, &m, manifest, manifest_len, sigs, sig_lens, nsig)) != WM_OK)
        goto done;
    st = read_files(a, e, r, name, &m, sink);
done:
    if (st != WM_OK && rc.read_errno) /* the stick failed, whatever libarchive made of it */
        st = wm_error(WM_EIO, "%s: read failed: %s", name, strerror(rc.read_errno));
    if (a)
        archive_read_free(a);
    wm_free(rc.buf);
    wm_free(manifest);
    for (size_t i = 0; i < nsig; i++)
        wm_free(sigs[i]);
    if (st != WM_OK) {
        if (parsed)
            bundle_manifest_free(&m);
        return st;
    }
    *out = m;
    return WM_OK;
}

wm_status_t content_bundle_verify(const char *path, const content_keyring_t *keys,
                                  const content_bundle_limits_t *limits,
                                  content_bundle_info_t *info)
{
    content_bundle_source_t src;
    bundle_manifest_t m;
    wm_status_t st;

    if ((st = content_bundle_source_open(path, &src)) != WM_OK)
        return st;
    st = bundle_read(&src, keys, limits, NULL, &m);
    content_bundle_source_close(&src);
    if (st != WM_OK)
        return st;
    if (info)
        *info = m.info;
    bundle_manifest_free(&m);
    return WM_OK;
}

wm_status_t content_bundle_inspect(const char *path, const content_keyring_t *keys, FILE *f)
{
    content_bundle_limits_t lim = content_bundle_limits();
    content_bundle_source_t src;
    reader_ctx_t rc = {.src = &src};
    struct archive *a = NULL;
    struct archive_entry *e;
    char *manifest = NULL, *sigs[CONTENT_BUNDLE_SIGS_MAX] = {0};
    size_t manifest_len = 0, sig_lens[CONTENT_BUNDLE_SIGS_MAX] = {0}, nsig = 0;
    bundle_manifest_t m = {0};
    wm_status_t st;
    int r;

    if ((st = content_bundle_source_open(path, &src)) != WM_OK)
        return st;
    if (!(rc.buf = wm_malloc(BUNDLE_READ_BLOCK)) || !(a = archive_read_new())) {
        st = wm_error(WM_ENOMEM, "%s: out of memory", path);
        goto done;
    }
    archive_read_support_format_tar(a);
    archive_read_support_filter_gzip(a);
    if (archive_read_open(a, &rc, NULL, reader_read, NULL) != ARCHIVE_OK ||
        archive_read_next_header(a, &e) != ARCHIVE_OK) {
        st = archive_fail(a, path);
        goto done;
    }
    if (!archive_entry_pathname(e) || strcmp(archive_entry_pathname(e), BUNDLE_MANIFEST) != 0) {
        st = wm_error(WM_EFORMAT, "%s: not a Waymark bundle (it does not start with %s)", path,
                      BUNDLE_MANIFEST);
        goto done;
    }
    if ((st = read_small_entry(a, e, path, "the manifest", lim.manifest_max, &manifest,
                               &manifest_len)) != WM_OK)
        goto done;
    fprintf(f, "bundle: %s\n", path);
    while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK && nsig < CONTENT_BUNDLE_SIGS_MAX) {
        const char *p = archive_entry_pathname(e);
        char id[CONTENT_KEY_ID_HEX], comment[256];

        if (!p || strncmp(p, BUNDLE_SIG_DIR, strlen(BUNDLE_SIG_DIR)) != 0)
            break;
        if ((st = read_small_entry(a, e, path, "a signature", BUNDLE_SIG_MAX, &sigs[nsig],
                                   &sig_lens[nsig])) != WM_OK)
            goto done;
        if (bundle_signature_describe(sigs[nsig], sig_lens[nsig], id, comment, sizeof(comment)) ==
            WM_OK)
            fprintf(f, "signature %zu: key %s, trusted comment: %s\n", nsig + 1, id, comment);
        else
            fprintf(f, "signature %zu: malformed\n", nsig + 1);
        nsig++;
    }
    if (keys) {
        if ((st = bundle_signatures_check(keys, manifest, manifest_len, sigs, sig_lens, nsig,
                                          &m.info)) != WM_OK) {
            st = wm_error(st, "%s: %s", path, wm_last_error());
            goto done;
        }
        fprintf(f, "signature: good (%zu trusted key%s)\n", m.info.key_count,
                m.info.key_count == 1 ? "" : "s");
    } else {
        fputs("signature: not checked (no --pubkey)\n", f);
    }
    if ((st = bundle_manifest_parse(manifest, manifest_len, &lim, &m)) != WM_OK) {
        st = wm_error(st, "%s: %s", path, wm_last_error());
        goto done;
    }
    fprintf(f, "version: %llu\ncompat: %s\ncreated: %s\nfiles: %zu\nbytes: %llu\n",
            (unsigned long long)m.info.version, m.info.compat, m.info.created, m.count,
            (unsigned long long)m.info.total_bytes);
    for (size_t i = 0; i < m.count; i++) {
        char hex[2 * BUNDLE_HASH_BYTES + 1];
        bundle_hex(m.files[i].hash, BUNDLE_HASH_BYTES, hex);
        fprintf(f, "  %10llu  %s  %s\n", (unsigned long long)m.files[i].size, hex, m.files[i].path);
    }
    bundle_manifest_free(&m);
done:
    if (a)
        archive_read_free(a);
    wm_free(rc.buf);
    wm_free(manifest);
    for (size_t i = 0; i < nsig; i++)
        wm_free(sigs[i]);
    content_bundle_source_close(&src);
    return st;
}

wm_status_t content_bundle_source_open(const char *path, content_bundle_source_t *src)
{
    file_source_t *fs;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

    if (fd < 0)
        return wm_error(errno == ENOENT ? WM_ENOENT : WM_EIO, "%s: cannot open: %s", path,
                        strerror(errno));
    if (!(fs = wm_malloc(sizeof(*fs)))) {
        close(fd);
        return wm_error(WM_ENOMEM, "%s: out of memory", path);
    }
    fs->fd = fd;
    src->read = file_source_read;
    src->ctx = fs;
    src->name = path;
    return WM_OK;
}

void content_bundle_source_close(content_bundle_source_t *src)
{
    file_source_t *fs = src->ctx;

    if (fs) {
        close(fs->fd);
        wm_free(fs);
    }
    src->ctx = NULL;
}

/* ---- static ------------------------------------------------------------- */

/* Fills the block (sources may return short reads); an error anywhere in
 * it is the block's error. */
static la_ssize_t reader_read(struct archive *a, void *ctx, const void **buf)
{
    reader_ctx_t *rc = ctx;
    size_t got = 0;

    while (got < BUNDLE_READ_BLOCK) {
        long n = rc->src->read(rc->src->ctx, rc->buf + got, BUNDLE_READ_BLOCK - got);

        if (n < 0) {
            rc->read_errno = errno ? errno : EIO;
            archive_set_error(a, rc->read_errno, "read failed: %s", strerror(rc->read_errno));
            return -1;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    *buf = rc->buf;
    return (la_ssize_t)got;
}

static wm_status_t archive_fail(struct archive *a, const char *name)
{
    const char *msg = a ? archive_error_string(a) : NULL;

    return wm_error(WM_EFORMAT, "%s: damaged or cut short: %s", name, msg ? msg : "unreadable");
}

static wm_status_t read_small_entry(struct archive *a, struct archive_entry *e, const char *name,
                                    const char *what, size_t max, char **out, size_t *len)
{
    la_int64_t size = archive_entry_size(e);
    la_ssize_t got;
    char *buf;

    if (archive_entry_filetype(e) != AE_IFREG || archive_entry_hardlink(e) ||
        archive_entry_sparse_count(e) > 0)
        return wm_error(WM_EFORMAT, "%s: %s is not a plain file", name, what);
    if (!archive_entry_size_is_set(e) || size < 0 || (uint64_t)size > max)
        return wm_error(WM_EFORMAT, "%s: %s is larger than %zu bytes", name, what, max);
    if (!(buf = wm_malloc((size_t)size + 1)))
        return wm_error(WM_ENOMEM, "%s: out of memory", name);
    got = size ? archive_read_data(a, buf, (size_t)size) : 0;
    if (got != size) {
        wm_free(buf);
        return got < 0 ? archive_fail(a, name)
                       : wm_error(WM_EFORMAT, "%s: %s is cut short", name, what);
    }
    buf[size] = '\0';
    *out = buf;
    *len = (size_t)size;
    return WM_OK;
}

static wm_status_t check_entry(struct archive_entry *e, const char *name, const char *path)
{
    if (!path)
        return wm_error(WM_EFORMAT, "%s: an entry's name is unreadable", name);
    if (archive_entry_hardlink(e))
        return wm_error(WM_EFORMAT, "%s: %s is a hard link", name, path);
    switch (archive_entry_filetype(e)) {
    case AE_IFREG:
        break;
    case AE_IFLNK:
        return wm_error(WM_EFORMAT, "%s: %s is a symbolic link", name, path);
    case AE_IFDIR:
        return wm_error(WM_EFORMAT, "%s: %s is a folder entry", name, path);
    case AE_IFCHR:
    case AE_IFBLK:
        return wm_error(WM_EFORMAT, "%s: %s is a device", name, path);
    default:
        return wm_error(WM_EFORMAT, "%s: %s is not a plain file", name, path);
    }
    if (archive_entry_sparse_count(e) > 0)
        return wm_error(WM_EFORMAT, "%s: %s is a sparse file", name, path);
    return WM_OK;
}

/* The content entries, from the header already read (r, e) to the end. */
static wm_status_t read_files(struct archive *a, struct archive_entry *e, int r, const char *name,
                              bundle_manifest_t *m, const bundle_sink_t *sink)
{
    uint64_t done = 0, reported = 0;
    size_t plen = strlen(BUNDLE_CONTENT_DIR);
    wm_status_t st;

    if (sink && sink->progress)
        sink->progress(sink->ctx, 0, m->info.total_bytes);
    for (; r == ARCHIVE_OK; r = archive_read_next_header(a, &e)) {
        const char *p = archive_entry_pathname(e), *why = "";
        la_int64_t hsize = archive_entry_size(e);
        crypto_generichash_state hs;
        uint8_t hash[BUNDLE_HASH_BYTES];
        uint64_t got = 0;
        bundle_file_t *f;

        if ((st = check_entry(e, name, p)) != WM_OK)
            return st;
        if (strncmp(p, BUNDLE_CONTENT_DIR, plen) != 0)
            return wm_error(WM_EFORMAT, "%s: %.100s: not listed in the manifest", name, p);
        if (!content_bundle_path_ok(p + plen, strlen(p + plen), NULL, &why))
            return wm_error(WM_EFORMAT, "%s: %.100s: %s", name, p, why);
        if (!(f = bundle_manifest_find(m, p + plen)))
            return wm_error(WM_EFORMAT, "%s: %.100s: not listed in the manifest", name, p);
        if (f->seen)
            return wm_error(WM_EFORMAT, "%s: %s: appears twice", name, p);
        f->seen = true;
        if (!archive_entry_size_is_set(e) || hsize < 0 || (uint64_t)hsize != f->size)
            return wm_error(WM_EFORMAT, "%s: %s: %s than the manifest says", name, p,
                            hsize >= 0 && (uint64_t)hsize < f->size ? "smaller" : "larger");
        if (sink && sink->begin && (st = sink->begin(sink->ctx, f)) != WM_OK)
            return st;
        crypto_generichash_init(&hs, NULL, 0, BUNDLE_HASH_BYTES);
        for (;;) {
            const void *buf;
            size_t len;
            la_int64_t off;
            int rr = archive_read_data_block(a, &buf, &len, &off);

            if (rr == ARCHIVE_EOF)
                break;
            if (rr != ARCHIVE_OK)
                return archive_fail(a, name);
            if (off < 0 || (uint64_t)off != got)
                return wm_error(WM_EFORMAT, "%s: %s: holes in the data", name, p);
            if (len > f->size - got)
                return wm_error(WM_EFORMAT, "%s: %s: larger than the manifest says", name, p);
            got += len;
            crypto_generichash_update(&hs, buf, len);
            if (sink && sink->data && (st = sink->data(sink->ctx, buf, len)) != WM_OK)
                return st;
            done += len;
            if (sink && sink->progress && done - reported >= BUNDLE_PROGRESS_GAP) {
                sink->progress(sink->ctx, done, m->info.total_bytes);
                reported = done;
            }
        }
        if (got != f->size)
            return wm_error(WM_EFORMAT, "%s: %s: cut short", name, p);
        crypto_generichash_final(&hs, hash, sizeof(hash));
        if (sodium_memcmp(hash, f->hash, sizeof(hash)) != 0)
            return wm_error(WM_EFORMAT, "%s: %s: does not match its hash (damaged or altered)",
                            name, p);
        if (sink && sink->end && (st = sink->end(sink->ctx)) != WM_OK)
            return st;
    }
    if (r != ARCHIVE_EOF)
        return archive_fail(a, name);
    for (size_t i = 0; i < m->count; i++) {
        if (!m->files[i].seen)
            return wm_error(WM_EFORMAT, "%s: content/%s: missing", name, m->files[i].path);
    }
    if (sink && sink->progress)
        sink->progress(sink->ctx, done, m->info.total_bytes);
    return WM_OK;
}

static wm_status_t parse_files(const cJSON *arr, const content_bundle_limits_t *lim,
                               bundle_manifest_t *m)
{
    static const char *const keys[] = {"path", "size", "blake2b"};
    size_t n = (size_t)cJSON_GetArraySize(arr), i = 0;
    const cJSON *it;

    if (n == 0)
        return wm_error(WM_EFORMAT, "manifest: no files");
    if (n > lim->files_max)
        return wm_error(WM_EFORMAT, "manifest: more than %zu files", lim->files_max);
    if (!(m->files = wm_calloc(n, sizeof(*m->files))))
        return wm_error(WM_ENOMEM, "manifest: out of memory");
    cJSON_ArrayForEach(it, arr)
    {
        const cJSON *item[3] = {0}, *c;
        bundle_file_t *f = &m->files[i];
        const char *why = "";

        if (!cJSON_IsObject(it))
            return wm_error(WM_EFORMAT, "manifest: files[%zu]: not an object", i);
        cJSON_ArrayForEach(c, it)
        {
            size_t k = 0;
            while (k < 3 && strcmp(c->string, keys[k]) != 0)
                k++;
            if (k == 3 || item[k])
                return wm_error(WM_EFORMAT,
                                "manifest: files[%zu]: unknown or repeated key "
                                "'%.40s'",
                                i, c->string);
            item[k] = c;
        }
        if (!cJSON_IsString(item[0]))
            return wm_error(WM_EFORMAT, "manifest: files[%zu]: 'path' must be a string", i);
        if (!content_bundle_path_ok(item[0]->valuestring, strlen(item[0]->valuestring), lim, &why))
            return wm_error(WM_EFORMAT, "manifest: files[%zu]: %s", i, why);
        if (!cJSON_IsNumber(item[1]) || item[1]->valuedouble < 0 ||
            item[1]->valuedouble > BUNDLE_VERSION_MAX ||
            item[1]->valuedouble != (double)(uint64_t)item[1]->valuedouble)
            return wm_error(WM_EFORMAT, "manifest: %s: 'size' must be a whole number",
                            item[0]->valuestring);
        if (!cJSON_IsString(item[2]) ||
            !hex_decode(item[2]->valuestring, f->hash, BUNDLE_HASH_BYTES))
            return wm_error(WM_EFORMAT, "manifest: %s: 'blake2b' must be 64 hex digits",
                            item[0]->valuestring);
        f->size = (uint64_t)item[1]->valuedouble;
        if (f->size > lim->file_max)
            return wm_error(WM_EFORMAT, "manifest: %s: larger than %llu bytes",
                            item[0]->valuestring, (unsigned long long)lim->file_max);
        if (f->size > lim->total_max - m->info.total_bytes)
            return wm_error(WM_EFORMAT, "manifest: more than %llu bytes in all",
                            (unsigned long long)lim->total_max);
        m->info.total_bytes += f->size;
        if (!(f->path = wm_strdup(item[0]->valuestring)))
            return wm_error(WM_ENOMEM, "manifest: out of memory");
        m->count = ++i;
    }
    m->info.file_count = n;
    qsort(m->files, n, sizeof(*m->files), cmp_file_ci);
    for (i = 0; i + 1 < n; i++) {
        if (strcasecmp(m->files[i].path, m->files[i + 1].path) == 0)
            return wm_error(
                WM_EFORMAT, "manifest: %s and %s: %s", m->files[i].path, m->files[i + 1].path,
                strcmp(m->files[i].path, m->files[i + 1].path) == 0 ? "listed twice"
                                                                    : "names differ only in case");
    }
    /* A file cannot also be a folder of another file's path. */
    for (i = 0; i < n; i++) {
        char buf[512];
        const char *p = m->files[i].path, *s;

        for (s = strchr(p, '/'); s; s = strchr(s + 1, '/')) {
            bundle_file_t key = {.path = buf};
            size_t l = (size_t)(s - p);

            if (l >= sizeof(buf))
                break;
            memcpy(buf, p, l);
            buf[l] = '\0';
            if (bsearch(&key, m->files, n, sizeof(*m->files), cmp_file_ci))
                return wm_error(WM_EFORMAT, "manifest: %s is a file and a folder", buf);
        }
    }
    return WM_OK;
}

/* "YYYY-MM-DDTHH:MM:SSZ" to seconds since 1970 (UTC), strictly. */
static bool parse_created(const char *s, int64_t *out)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int v[6] = {0}, field = 0;
    int64_t y, m, days;

    if (strlen(s) != sizeof(shape) - 1)
        return false;
    for (size_t i = 0; shape[i]; i++) {
        if (shape[i] == 'd') {
            if (s[i] < '0' || s[i] > '9')
                return false;
            v[field] = v[field] * 10 + (s[i] - '0');
        } else {
            if (s[i] != shape[i])
                return false;
            field++;
        }
    }
    y = v[0];
    m = v[1];
    if (y < 1970 || m < 1 || m > 12 || v[2] < 1 || v[3] > 23 || v[4] > 59 || v[5] > 59)
        return false;
    if (v[2] > mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)))
        return false;
    /* days from civil (H. Hinnant) */
    y -= m <= 2;
    {
        int64_t era = y / 400, yoe = y - era * 400;
        int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + v[2] - 1;
        int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        days = era * 146097 + doe - 719468;
    }
    *out = days * 86400 + v[3] * 3600 + v[4] * 60 + v[5];
    return true;
}

static bool hex_decode(const char *s, uint8_t *out, size_t n)
{
    if (strlen(s) != 2 * n)
        return false;
    for (size_t i = 0; i < 2 * n; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0)
            return false;
        if (i % 2 == 0)
            out[i / 2] = (uint8_t)(d << 4);
        else
            out[i / 2] |= (uint8_t)d;
    }
    return true;
}

static int cmp_file_ci(const void *a, const void *b)
{
    const bundle_file_t *x = a, *y = b;
    int c = strcasecmp(x->path, y->path);

    return c ? c : strcmp(x->path, y->path);
}

static long file_source_read(void *ctx, void *buf, size_t size)
{
    file_source_t *fs = ctx;
    ssize_t n;

    do
        n = read(fs->fd, buf, size);
    while (n < 0 && errno == EINTR);
    return (long)n;
}
