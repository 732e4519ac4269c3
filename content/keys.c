/*
 * keys.c: the keys a booth trusts over the years. The factory keyring
 * (a folder of minisign public keys from the package) is changed by key
 * updates: small signed files that add keys or revoke them, installed in
 * DATA/keys/state (formats in content.h, "key updates").
 *
 * The rules, checked before anything is written:
 *   - the update is signed by as many distinct trusted, unrevoked keys as
 *     the keyring's threshold (the same check as a content bundle's);
 *   - its sequence is above the installed one, so an older update (which
 *     may still add a key revoked since) cannot be played again;
 *   - a revoked key never comes back, by an update or by the factory
 *     keyring: the revocation is kept in the data folder and wins;
 *   - at least the threshold of keys stay trusted, so an update cannot
 *     leave a booth that no one can ever update again.
 * The state is one file written atomically (tmp, fsync, rename, fsync of
 * the folder) with the install's fault-injectable disk steps; a refusal
 * or a failure leaves the data folder as it was.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bundle_private.h"
#include "content_private.h"

#define KEYS_DIR           "keys"
#define KEYS_STATE         "state"
#define KEYS_FILE_MAX      (256 * 1024)
#define KEYS_MANIFEST_MAX  (64 * 1024)
#define KEYS_STATE_MAX     (64 * 1024)
#define KEYS_ADDED_MAX     64
#define KEYS_REVOKED_MAX   128
#define KEYS_PATH_MAX      4096
#define KEYS_SEQUENCE_MAX  9007199254740992ULL /* 2^53: exact in JSON numbers */
#define KEYS_PUB_B64_BYTES 64                  /* base64 of 42 bytes, with NUL */

typedef struct {
    uint64_t sequence;
    size_t threshold; /* 0: the keyring's own (1) */
    ms_pubkey_t add[KEYS_ADDED_MAX];
    size_t add_count;
    ms_pubkey_t revoke[KEYS_REVOKED_MAX];
    size_t revoke_count;
} keys_state_t;

/* A parsed key update manifest. */
typedef struct {
    uint64_t sequence;
    char created[32];
    ms_pubkey_t add[CONTENT_KEYS_OPS_MAX];
    size_t add_count;
    ms_pubkey_t revoke[CONTENT_KEYS_OPS_MAX];
    size_t revoke_count;
    size_t threshold;
} keys_manifest_t;

static wm_status_t state_read(const char *data_dir, keys_state_t *s);
static wm_status_t state_text(const keys_state_t *s, char **out);
static wm_status_t manifest_parse(const char *text, size_t len, keys_manifest_t *m);
static wm_status_t update_read(const char *path, char **manifest, size_t *manifest_len, char **sigs,
                               size_t *sig_lens, size_t *sig_count);
static wm_status_t update_check(const char *data_dir, const char *path,
                                const content_keyring_t *keys, keys_state_t *state,
                                content_keys_info_t *info);
static wm_status_t write_entry(struct archive *w, const char *name, const char *data, size_t len,
                               int64_t mtime);
static bool id_parse(const char *s, ms_pubkey_t *k);
static bool id_in(const ms_pubkey_t *list, size_t n, const uint8_t id[8]);
static void pub_b64(const ms_pubkey_t *k, char *out);
static int lock_data(const char *data_dir);
static void unlock_data(int fd);

/* ---- the effective keyring ------------------------------------------- */

wm_status_t content_keyring_load_data(const char *keys_dir, const char *data_dir,
                                      content_keyring_t **out)
{
    content_keyring_t *kr = NULL;
    keys_state_t *s;
    wm_status_t st = WM_OK;

    if (!(s = wm_calloc(1, sizeof(*s))))
        return wm_error(WM_ENOMEM, "keys: out of memory");
    if (data_dir && (st = state_read(data_dir, s)) != WM_OK)
        goto done;
    if (keys_dir)
        st = content_keyring_load(keys_dir, &kr);
    if (!keys_dir || (st == WM_ENOENT && s->add_count > 0)) {
        /* no factory keyring: the installed keys alone */
        if (!(kr = wm_calloc(1, sizeof(*kr)))) {
            st = wm_error(WM_ENOMEM, "keys: out of memory");
            goto done;
        }
        kr->threshold = 1;
        st = WM_OK;
    }
    if (st != WM_OK)
        goto done;
    kr->factory_count = kr->count;
    for (size_t i = 0; i < s->revoke_count && st == WM_OK; i++) {
        for (size_t j = 0; j < kr->count; j++) {
            if (memcmp(kr->keys[j].id, s->revoke[i].id, 8) != 0)
                continue;
            memmove(&kr->keys[j], &kr->keys[j + 1], (kr->count - j - 1) * sizeof(kr->keys[0]));
            kr->count--;
            if (j < kr->factory_count)
                kr->factory_count--;
            break;
        }
        if (wm_grow((void **)&kr->revoked, &kr->revoked_cap, kr->revoked_count + 1,
                    sizeof(kr->revoked[0])) != WM_OK)
            st = wm_error(WM_ENOMEM, "keys: out of memory");
        else
            kr->revoked[kr->revoked_count++] = s->revoke[i];
    }
    for (size_t i = 0; i < s->add_count && st == WM_OK; i++) {
        if (id_in(kr->keys, kr->count, s->add[i].id) ||
            id_in(kr->revoked, kr->revoked_count, s->add[i].id))
            continue;
        if (wm_grow((void **)&kr->keys, &kr->cap, kr->count + 1, sizeof(kr->keys[0])) != WM_OK)
            st = wm_error(WM_ENOMEM, "keys: out of memory");
        else
            kr->keys[kr->count++] = s->add[i];
    }
    if (st != WM_OK)
        goto done;
    if (kr->count == 0) {
        st = wm_error(WM_ENOENT, "keys: every key is revoked: no bundle can be trusted");
        goto done;
    }
    if (s->threshold > 0) {
        if (s->threshold > kr->count) {
            st = wm_error(WM_EFORMAT, "keys: the threshold is %zu but only %zu keys are trusted",
                          s->threshold, kr->count);
            goto done;
        }
        kr->threshold = s->threshold;
    }
done:
    wm_free(s);
    if (st != WM_OK) {
        content_keyring_destroy(kr);
        return st;
    }
    *out = kr;
    return WM_OK;
}

size_t content_keyring_revoked_count(const content_keyring_t *keys)
{
    return keys ? keys->revoked_count : 0;
}

const char *content_keyring_revoked_id(const content_keyring_t *keys, size_t i)
{
    return keys && i < keys->revoked_count ? keys->revoked[i].hex : NULL;
}

size_t content_keyring_threshold(const content_keyring_t *keys)
{
    return keys ? keys->threshold : 0;
}

bool content_keyring_factory(const content_keyring_t *keys, size_t i)
{
    return keys && i < keys->factory_count;
}

/* ---- making key updates ---------------------------------------------- */

wm_status_t content_keys_manifest(const content_keys_update_t *u, char **out)
{
    keys_manifest_t m = {0};
    cJSON *root = NULL, *arr;
    char *text = NULL, b64[KEYS_PUB_B64_BYTES];
    time_t t;
    struct tm tm;
    wm_status_t st = WM_OK;

    if (u->add_count + u->revoke_count > CONTENT_KEYS_OPS_MAX)
        return wm_error(WM_EINVAL, "key update: at most %d keys added and revoked",
                        CONTENT_KEYS_OPS_MAX);
    if (u->add_count + u->revoke_count == 0 && u->threshold == 0)
        return wm_error(WM_EINVAL, "key update: nothing to add, revoke or change");
    if (u->threshold > CONTENT_BUNDLE_SIGS_MAX)
        return wm_error(WM_EINVAL, "key update: threshold %zu: at most %d", u->threshold,
                        CONTENT_BUNDLE_SIGS_MAX);
    for (size_t i = 0; i < u->add_count; i++) {
        if (bundle_pubkey_parse(u->add[i], strlen(u->add[i]), "key update: added key", &m.add[i]) !=
            WM_OK)
            return WM_EFORMAT;
    }
    for (size_t i = 0; i < u->revoke_count; i++) {
        if (!id_parse(u->revoke[i], &m.revoke[i]))
            return wm_error(WM_EINVAL, "key update: '%.40s' is not a key id (16 hex digits)",
                            u->revoke[i]);
        if (id_in(m.add, u->add_count, m.revoke[i].id))
            return wm_error(WM_EINVAL, "key update: key %s is both added and revoked",
                            m.revoke[i].hex);
    }
    t = (time_t)u->created_unix;
    if (!t) {
        const char *sde = getenv("SOURCE_DATE_EPOCH");
        t = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
    }
    gmtime_r(&t, &tm);
    strftime(m.created, sizeof(m.created), "%Y-%m-%dT%H:%M:%SZ", &tm);
    content_json_hooks();
    if (!(root = cJSON_CreateObject()) ||
        !cJSON_AddStringToObject(root, "format", CONTENT_KEYS_FORMAT) ||
        !cJSON_AddNumberToObject(root, "sequence",
                                 (double)(u->sequence ? u->sequence : (uint64_t)t)) ||
        !cJSON_AddStringToObject(root, "created", m.created))
        goto oom;
    if (u->add_count) {
        if (!(arr = cJSON_AddArrayToObject(root, "add")))
            goto oom;
        for (size_t i = 0; i < u->add_count; i++) {
            cJSON *v;
            pub_b64(&m.add[i], b64);
            if (!(v = cJSON_CreateString(b64)) || !cJSON_AddItemToArray(arr, v)) {
                cJSON_Delete(v);
                goto oom;
            }
        }
    }
    if (u->revoke_count) {
        if (!(arr = cJSON_AddArrayToObject(root, "revoke")))
            goto oom;
        for (size_t i = 0; i < u->revoke_count; i++) {
            cJSON *v;
            if (!(v = cJSON_CreateString(m.revoke[i].hex)) || !cJSON_AddItemToArray(arr, v)) {
                cJSON_Delete(v);
                goto oom;
            }
        }
    }
    if (u->threshold && !cJSON_AddNumberToObject(root, "threshold", (double)u->threshold))
        goto oom;
    if (!(text = cJSON_Print(root)))
        goto oom;
    cJSON_Delete(root);
    {
        size_t n = strlen(text);
        char *t2 = wm_malloc(n + 2);
        if (!t2) {
            cJSON_free(text);
            return wm_error(WM_ENOMEM, "key update: out of memory");
        }
        memcpy(t2, text, n);
        memcpy(t2 + n, "\n", 2);
        cJSON_free(text);
        *out = t2;
    }
    return st;
oom:
    cJSON_Delete(root);
    return wm_error(WM_ENOMEM, "key update: out of memory");
}

wm_status_t content_keys_build(const char *out, const char *manifest, const char *const *sigs,
                               size_t sig_count)
{
    keys_manifest_t *m;
    char tmp[KEYS_PATH_MAX], name[64];
    struct archive *w = NULL;
    wm_status_t st;

    if (sig_count < 1 || sig_count > CONTENT_BUNDLE_SIGS_MAX)
        return wm_error(WM_EINVAL, "key update: 1 to %d signatures", CONTENT_BUNDLE_SIGS_MAX);
    if (!(m = wm_malloc(sizeof(*m))))
        return wm_error(WM_ENOMEM, "key update: out of memory");
    st = manifest_parse(manifest, strlen(manifest), m);
    wm_free(m);
    if (st != WM_OK)
        return st;
    snprintf(tmp, sizeof(tmp), "%s.tmp", out);
    if (!(w = archive_write_new()))
        return wm_error(WM_ENOMEM, "key update: out of memory");
    if (archive_write_set_format_pax_restricted(w) != ARCHIVE_OK ||
        archive_write_open_filename(w, tmp) != ARCHIVE_OK) {
        st = wm_error(WM_EIO, "%s: %s", tmp, archive_error_string(w));
        archive_write_free(w);
        unlink(tmp);
        return st;
    }
    st = write_entry(w, BUNDLE_MANIFEST, manifest, strlen(manifest), 0);
    for (size_t i = 0; i < sig_count && st == WM_OK; i++) {
        snprintf(name, sizeof(name), BUNDLE_SIG_DIR "%zu.minisig", i + 1);
        st = write_entry(w, name, sigs[i], strlen(sigs[i]), 0);
    }
    if (st == WM_OK && archive_write_close(w) != ARCHIVE_OK)
        st = wm_error(WM_EIO, "%s: %s", tmp, archive_error_string(w));
    archive_write_free(w);
    if (st == WM_OK && rename(tmp, out) != 0)
        st = wm_error(WM_EIO, "%s: cannot rename: %s", out, strerror(errno));
    if (st != WM_OK)
        unlink(tmp);
    return st;
}

/* ---- installing key updates ------------------------------------------ */

wm_status_t content_keys_verify(const char *data_dir, const char *path,
                                const content_keyring_t *keys, content_keys_info_t *info)
{
    keys_state_t *s = wm_malloc(sizeof(*s));
    content_keys_info_t tmp;
    wm_status_t st;

    if (!s)
        return wm_error(WM_ENOMEM, "keys: out of memory");
    st = update_check(data_dir, path, keys, s, &tmp);
    wm_free(s);
    if (st == WM_OK && info)
        *info = tmp;
    return st;
}

wm_status_t content_keys_install(const char *data_dir, const char *path,
                                 const content_keyring_t *keys, content_keys_info_t *info)
{
    char dir[KEYS_PATH_MAX], *text = NULL;
    keys_state_t *s = wm_malloc(sizeof(*s));
    content_keys_info_t tmp;
    bool made = false;
    struct stat sb;
    int lock;
    wm_status_t st;

    if (!s)
        return wm_error(WM_ENOMEM, "keys: out of memory");
    lock = lock_data(data_dir);
    if ((st = update_check(data_dir, path, keys, s, &tmp)) != WM_OK ||
        (st = state_text(s, &text)) != WM_OK)
        goto done;
    snprintf(dir, sizeof(dir), "%s/" KEYS_DIR, data_dir);
    if (lstat(dir, &sb) != 0) {
        if (install_io_mkdir(dir, 0755) != 0) {
            st = wm_error(WM_EIO, "%s: cannot create: %s", dir, strerror(errno));
            goto done;
        }
        made = true;
    }
    if ((st = install_io_write_atomic(dir, KEYS_STATE, text)) != WM_OK) {
        char path2[KEYS_PATH_MAX + 16];
        struct stat sb2;

        snprintf(path2, sizeof(path2), "%s/" KEYS_STATE, dir);
        /* a folder made for a state that never arrived goes again */
        if (made && lstat(path2, &sb2) != 0 && install_io_rmdir(dir) == 0)
            install_io_fsync_dir(data_dir);
        goto done;
    }
    if (made && install_io_fsync_dir(data_dir) != 0)
        st = wm_error(WM_EIO, "%s: fsync failed: %s", data_dir, strerror(errno));
done:
    unlock_data(lock);
    wm_free(text);
    wm_free(s);
    if (st == WM_OK && info)
        *info = tmp;
    return st;
}

uint64_t content_keys_sequence(const char *data_dir)
{
    keys_state_t *s = wm_malloc(sizeof(*s));
    uint64_t v = 0;

    if (s && state_read(data_dir, s) == WM_OK)
        v = s->sequence;
    wm_free(s);
    return v;
}

/* ---- static ------------------------------------------------------------- */

/* DATA/keys/state into *s; a missing file is the empty state. */
static wm_status_t state_read(const char *data_dir, keys_state_t *s)
{
    char path[KEYS_PATH_MAX + 16], *text, *line, *save = NULL;
    size_t len;
    int n = 0;
    wm_status_t st;

    memset(s, 0, sizeof(*s));
    snprintf(path, sizeof(path), "%s/" KEYS_DIR "/" KEYS_STATE, data_dir);
    st = wm_file_read(path, KEYS_STATE_MAX, true, &text, &len);
    if (st == WM_ENOENT)
        return WM_OK;
    if (st != WM_OK)
        return st;
    st = WM_OK;
    for (line = strtok_r(text, "\n", &save); line && st == WM_OK;
         line = strtok_r(NULL, "\n", &save)) {
        char id[32], b64[128];
        unsigned long long v;
        ms_pubkey_t k;

        n++;
        if (n == 1) {
            if (strcmp(line, CONTENT_KEYS_FORMAT) != 0)
                st = WM_EFORMAT;
        } else if (sscanf(line, "sequence %llu", &v) == 1) {
            s->sequence = v;
        } else if (sscanf(line, "threshold %llu", &v) == 1 && v <= CONTENT_BUNDLE_SIGS_MAX) {
            s->threshold = (size_t)v;
        } else if (sscanf(line, "add %31s %127s", id, b64) == 2 && s->add_count < KEYS_ADDED_MAX &&
                   bundle_pubkey_parse(b64, strlen(b64), path, &k) == WM_OK &&
                   strcmp(k.hex, id) == 0) {
            s->add[s->add_count++] = k;
        } else if (sscanf(line, "revoke %31s", id) == 1 && s->revoke_count < KEYS_REVOKED_MAX &&
                   id_parse(id, &k)) {
            s->revoke[s->revoke_count++] = k;
        } else {
            st = WM_EFORMAT;
        }
    }
    wm_free(text);
    if (st != WM_OK || n == 0)
        return wm_error(WM_EFORMAT,
                        "keys: %s: damaged (line %d): no key is trusted until it is "
                        "replaced",
                        path, n);
    return WM_OK;
}

static wm_status_t state_text(const keys_state_t *s, char **out)
{
    size_t cap = 128 + s->add_count * 128 + s->revoke_count * 32, n;
    char *t = wm_malloc(cap), b64[KEYS_PUB_B64_BYTES];

    if (!t)
        return wm_error(WM_ENOMEM, "keys: out of memory");
    n = (size_t)snprintf(t, cap, CONTENT_KEYS_FORMAT "\nsequence %" PRIu64 "\nthreshold %zu\n",
                         s->sequence, s->threshold);
    for (size_t i = 0; i < s->add_count; i++) {
        pub_b64(&s->add[i], b64);
        n += (size_t)snprintf(t + n, cap - n, "add %s %s\n", s->add[i].hex, b64);
    }
    for (size_t i = 0; i < s->revoke_count; i++)
        n += (size_t)snprintf(t + n, cap - n, "revoke %s\n", s->revoke[i].hex);
    *out = t;
    return WM_OK;
}

/* Reads and checks the update at path against keys and the state of
 * data_dir; on success *state is the state to write and *info filled. */
static wm_status_t update_check(const char *data_dir, const char *path,
                                const content_keyring_t *keys, keys_state_t *state,
                                content_keys_info_t *info)
{
    char *manifest = NULL, *sigs[CONTENT_BUNDLE_SIGS_MAX] = {0};
    size_t manifest_len = 0, sig_lens[CONTENT_BUNDLE_SIGS_MAX] = {0}, nsig = 0, left, threshold;
    keys_manifest_t *m = wm_calloc(1, sizeof(*m));
    content_bundle_info_t bi = {0};
    wm_status_t st;

    if (!m)
        return wm_error(WM_ENOMEM, "keys: out of memory");
    memset(info, 0, sizeof(*info));
    if ((st = update_read(path, &manifest, &manifest_len, sigs, sig_lens, &nsig)) != WM_OK)
        goto done;
    /* the signatures before anything else of the file is parsed */
    if ((st = bundle_signatures_check(keys, manifest, manifest_len, sigs, sig_lens, nsig, &bi)) !=
        WM_OK) {
        st = wm_error(st, "%s: %s", path, wm_last_error());
        goto done;
    }
    if ((st = manifest_parse(manifest, manifest_len, m)) != WM_OK) {
        st = wm_error(st, "%s: %s", path, wm_last_error());
        goto done;
    }
    if ((st = state_read(data_dir, state)) != WM_OK)
        goto done;
    if (m->sequence <= state->sequence) {
        st = wm_error(WM_EINVAL,
                      m->sequence == state->sequence
                          ? "%s: key update %" PRIu64 " is already installed"
                          : "%s: key update %" PRIu64 " is older than the installed one %" PRIu64,
                      path, m->sequence, state->sequence);
        goto done;
    }
    for (size_t i = 0; i < m->add_count; i++) {
        if (id_in(state->revoke, state->revoke_count, m->add[i].id) ||
            id_in(keys->revoked, keys->revoked_count, m->add[i].id)) {
            st = wm_error(WM_EINVAL, "%s: key %s was revoked: it is never trusted again", path,
                          m->add[i].hex);
            goto done;
        }
    }
    /* what the booth will trust afterwards */
    left = keys->count;
    for (size_t i = 0; i < m->add_count; i++)
        left += !id_in(keys->keys, keys->count, m->add[i].id);
    for (size_t i = 0; i < m->revoke_count; i++)
        left -= id_in(keys->keys, keys->count, m->revoke[i].id);
    threshold = m->threshold ? m->threshold : keys->threshold;
    if (left < threshold || left == 0) {
        st = wm_error(WM_EINVAL,
                      "%s: it would leave %zu trusted key%s, fewer than the %zu "
                      "needed to sign: refused, so that the booth can still be updated",
                      path, left, left == 1 ? "" : "s", threshold ? threshold : 1);
        goto done;
    }
    for (size_t i = 0; i < m->add_count; i++) {
        if (id_in(state->add, state->add_count, m->add[i].id) ||
            (id_in(keys->keys, keys->factory_count, m->add[i].id)))
            continue;
        if (state->add_count == KEYS_ADDED_MAX) {
            st = wm_error(WM_EINVAL, "%s: more than %d added keys", path, KEYS_ADDED_MAX);
            goto done;
        }
        state->add[state->add_count++] = m->add[i];
    }
    for (size_t i = 0; i < m->revoke_count; i++) {
        if (id_in(state->revoke, state->revoke_count, m->revoke[i].id))
            continue;
        if (state->revoke_count == KEYS_REVOKED_MAX) {
            st = wm_error(WM_EINVAL, "%s: more than %d revoked keys", path, KEYS_REVOKED_MAX);
            goto done;
        }
        state->revoke[state->revoke_count++] = m->revoke[i];
    }
    state->sequence = m->sequence;
    if (m->threshold)
        state->threshold = m->threshold;
    info->sequence = m->sequence;
    memcpy(info->created, m->created, sizeof(info->created));
    for (size_t i = 0; i < m->add_count; i++)
        memcpy(info->add_ids[i], m->add[i].hex, CONTENT_KEY_ID_HEX);
    info->add_count = m->add_count;
    for (size_t i = 0; i < m->revoke_count; i++)
        memcpy(info->revoke_ids[i], m->revoke[i].hex, CONTENT_KEY_ID_HEX);
    info->revoke_count = m->revoke_count;
    info->threshold = m->threshold;
    memcpy(info->key_ids, bi.key_ids, sizeof(bi.key_ids));
    info->key_count = bi.key_count;
done:
    wm_free(manifest);
    for (size_t i = 0; i < nsig; i++)
        wm_free(sigs[i]);
    wm_free(m);
    return st;
}

/* The update's entries: manifest.json first, then signatures/1.minisig,
 * 2, ... and nothing else. */
static wm_status_t update_read(const char *path, char **manifest, size_t *manifest_len, char **sigs,
                               size_t *sig_lens, size_t *sig_count)
{
    char *data = NULL;
    size_t len;
    struct archive *a = NULL;
    struct archive_entry *e;
    size_t n = 0;
    int r;
    wm_status_t st;

    if ((st = wm_file_read(path, KEYS_FILE_MAX, false, &data, &len)) != WM_OK)
        return st;
    if (!(a = archive_read_new())) {
        wm_free(data);
        return wm_error(WM_ENOMEM, "%s: out of memory", path);
    }
    archive_read_support_format_tar(a);
    if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
        st = wm_error(WM_EFORMAT, "%s: not a key update: %s", path, archive_error_string(a));
        goto done;
    }
    for (n = 0; (r = archive_read_next_header(a, &e)) == ARCHIVE_OK; n++) {
        const char *p = archive_entry_pathname(e);
        char want[64];
        la_int64_t size = archive_entry_size(e);
        size_t max = n == 0 ? KEYS_MANIFEST_MAX : BUNDLE_SIG_MAX;
        char *buf;

        if (n == 0)
            snprintf(want, sizeof(want), BUNDLE_MANIFEST);
        else
            snprintf(want, sizeof(want), BUNDLE_SIG_DIR "%zu.minisig", n);
        if (!p || strcmp(p, want) != 0 || archive_entry_filetype(e) != AE_IFREG) {
            st = wm_error(WM_EFORMAT, "%s: not a key update: '%.60s' where %s was expected", path,
                          p ? p : "", want);
            goto done;
        }
        if (n > CONTENT_BUNDLE_SIGS_MAX) {
            st = wm_error(WM_EFORMAT, "%s: more than %d signatures", path, CONTENT_BUNDLE_SIGS_MAX);
            goto done;
        }
        if (size < 0 || (size_t)size > max) {
            st = wm_error(WM_EFORMAT, "%s: %s larger than %zu bytes", path, want, max);
            goto done;
        }
        if (!(buf = wm_malloc((size_t)size + 1))) {
            st = wm_error(WM_ENOMEM, "%s: out of memory", path);
            goto done;
        }
        if (archive_read_data(a, buf, (size_t)size) != (la_ssize_t)size) {
            wm_free(buf);
            st = wm_error(WM_EFORMAT, "%s: %s: truncated", path, want);
            goto done;
        }
        buf[size] = '\0';
        if (n == 0) {
            *manifest = buf;
            *manifest_len = (size_t)size;
        } else {
            sigs[n - 1] = buf;
            sig_lens[n - 1] = (size_t)size;
            *sig_count = n;
        }
    }
    if (r != ARCHIVE_EOF)
        st = wm_error(WM_EFORMAT, "%s: not a key update: %s", path, archive_error_string(a));
    else if (n == 0)
        st = wm_error(WM_EFORMAT, "%s: empty", path);
    else if (n == 1)
        st = wm_error(WM_EINVAL, "%s: not signed", path);
done:
    archive_read_free(a);
    wm_free(data);
    return st;
}

static wm_status_t manifest_parse(const char *text, size_t len, keys_manifest_t *m)
{
    static const char *const names[] = {"format", "sequence", "created",
                                        "add",    "revoke",   "threshold"};
    const cJSON *item[6] = {0}, *c;
    cJSON *root;
    int y, mo, d, h, mi, s;
    char z;
    wm_status_t st = WM_OK;

    memset(m, 0, sizeof(*m));
    if (len > KEYS_MANIFEST_MAX || !wm_utf8_valid(text, len) || memchr(text, '\0', len))
        return wm_error(WM_EFORMAT, "key update: the manifest is not UTF-8 text");
    content_json_hooks();
    if (!(root = cJSON_ParseWithLength(text, len))) {
        /* cJSON says NULL for both: a small allocation tells memory apart */
        void *probe = wm_malloc(64);
        if (!probe)
            return wm_error(WM_ENOMEM, "key update: out of memory");
        wm_free(probe);
        return wm_error(WM_EFORMAT, "key update: the manifest is not valid JSON");
    }
    if (!cJSON_IsObject(root)) {
        st = wm_error(WM_EFORMAT, "key update: the manifest is not a JSON object");
        goto done;
    }
    cJSON_ArrayForEach(c, root)
    {
        size_t k = 0;
        while (k < 6 && strcmp(c->string, names[k]) != 0)
            k++;
        if (k == 6 || item[k]) {
            st = wm_error(WM_EFORMAT, "key update: '%.40s' %s", c->string,
                          k == 6 ? "is not a key of the manifest" : "given twice");
            goto done;
        }
        item[k] = c;
    }
    if (!cJSON_IsString(item[0]) || strcmp(item[0]->valuestring, CONTENT_KEYS_FORMAT) != 0) {
        st = wm_error(WM_EFORMAT, "key update: format is not \"%s\"", CONTENT_KEYS_FORMAT);
        goto done;
    }
    if (!cJSON_IsNumber(item[1]) || item[1]->valuedouble < 1 ||
        item[1]->valuedouble > (double)KEYS_SEQUENCE_MAX ||
        item[1]->valuedouble != (double)(uint64_t)item[1]->valuedouble) {
        st = wm_error(WM_EFORMAT, "key update: 'sequence' must be a whole number from 1");
        goto done;
    }
    m->sequence = (uint64_t)item[1]->valuedouble;
    if (!cJSON_IsString(item[2]) || strlen(item[2]->valuestring) != 20 ||
        sscanf(item[2]->valuestring, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &z) !=
            7 ||
        z != 'Z') {
        st = wm_error(WM_EFORMAT, "key update: 'created' must read YYYY-MM-DDTHH:MM:SSZ");
        goto done;
    }
    memcpy(m->created, item[2]->valuestring, 21);
    for (int k = 3; k <= 4; k++) {
        if (!item[k])
            continue;
        if (!cJSON_IsArray(item[k])) {
            st = wm_error(WM_EFORMAT, "key update: '%s' must be a list", names[k]);
            goto done;
        }
        cJSON_ArrayForEach(c, item[k])
        {
            ms_pubkey_t key;

            if (m->add_count + m->revoke_count == CONTENT_KEYS_OPS_MAX) {
                st = wm_error(WM_EFORMAT, "key update: more than %d keys added and revoked",
                              CONTENT_KEYS_OPS_MAX);
                goto done;
            }
            if (!cJSON_IsString(c) ||
                (k == 3 ? bundle_pubkey_parse(c->valuestring, strlen(c->valuestring),
                                              "key update: 'add'", &key) != WM_OK
                        : !id_parse(c->valuestring, &key))) {
                st = wm_error(WM_EFORMAT, "key update: '%s' holds something that is not %s",
                              names[k], k == 3 ? "a minisign public key" : "a key id");
                goto done;
            }
            if (id_in(m->add, m->add_count, key.id) || id_in(m->revoke, m->revoke_count, key.id)) {
                st = wm_error(WM_EFORMAT, "key update: key %s is named twice", key.hex);
                goto done;
            }
            if (k == 3)
                m->add[m->add_count++] = key;
            else
                m->revoke[m->revoke_count++] = key;
        }
    }
    if (item[5]) {
        if (!cJSON_IsNumber(item[5]) || item[5]->valuedouble < 1 ||
            item[5]->valuedouble > CONTENT_BUNDLE_SIGS_MAX ||
            item[5]->valuedouble != (double)(int)item[5]->valuedouble) {
            st = wm_error(WM_EFORMAT, "key update: 'threshold' must be 1 to %d",
                          CONTENT_BUNDLE_SIGS_MAX);
            goto done;
        }
        m->threshold = (size_t)item[5]->valuedouble;
    }
    if (m->add_count + m->revoke_count == 0 && !m->threshold)
        st = wm_error(WM_EFORMAT, "key update: it neither adds nor revokes a key");
done:
    cJSON_Delete(root);
    return st;
}

static wm_status_t write_entry(struct archive *w, const char *name, const char *data, size_t len,
                               int64_t mtime)
{
    struct archive_entry *e = archive_entry_new();
    wm_status_t st = WM_OK;

    if (!e)
        return wm_error(WM_ENOMEM, "key update: out of memory");
    archive_entry_set_pathname(e, name);
    archive_entry_set_size(e, (la_int64_t)len);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, (time_t)mtime, 0);
    if (archive_write_header(w, e) != ARCHIVE_OK ||
        archive_write_data(w, data, len) != (la_ssize_t)len)
        st = wm_error(WM_EIO, "key update: %s: %s", name, archive_error_string(w));
    archive_entry_free(e);
    return st;
}

/* A key id, 16 hex digits in either case, into k->id and k->hex. */
static bool id_parse(const char *s, ms_pubkey_t *k)
{
    uint8_t id[8];

    if (strlen(s) != 16)
        return false;
    for (int i = 0; i < 16; i++) {
        int c = s[i], v;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'A' && c <= 'F')
            v = c - 'A' + 10;
        else if (c >= 'a' && c <= 'f')
            v = c - 'a' + 10;
        else
            return false;
        /* the hex is the 8 bytes as a little-endian number, highest first */
        if (i % 2 == 0)
            id[7 - i / 2] = (uint8_t)(v << 4);
        else
            id[7 - i / 2] |= (uint8_t)v;
    }
    memset(k, 0, sizeof(*k));
    memcpy(k->id, id, 8);
    bundle_key_id_hex(k->id, k->hex);
    return true;
}

static bool id_in(const ms_pubkey_t *list, size_t n, const uint8_t id[8])
{
    for (size_t i = 0; i < n; i++) {
        if (memcmp(list[i].id, id, 8) == 0)
            return true;
    }
    return false;
}

/* The base64 line of a public key (what `minisign -P` takes). */
static void pub_b64(const ms_pubkey_t *k, char *out)
{
    uint8_t raw[42];

    memcpy(raw, "Ed", 2);
    memcpy(raw + 2, k->id, 8);
    memcpy(raw + 10, k->pk, 32);
    sodium_bin2base64(out, KEYS_PUB_B64_BYTES, raw, sizeof(raw), sodium_base64_VARIANT_ORIGINAL);
}

/* An exclusive flock on the data folder itself (no lock file: a refused
 * update leaves nothing behind), so two installs do not interleave. */
static int lock_data(const char *data_dir)
{
    int fd = open(data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd >= 0)
        while (flock(fd, LOCK_EX) != 0 && errno == EINTR)
            ;
    return fd;
}

static void unlock_data(int fd)
{
    if (fd >= 0)
        close(fd);
}
