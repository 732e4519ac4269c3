/*
 * install.c: the installed content of a booth's data folder (see
 * content.h for the layout), its atomic install, commit, revert and the
 * recovery a booth runs at start-up.
 *
 * An install: verify signatures and manifest (bundle_read) → refuse a
 * version not above the highest committed one (unless forced) → staging/
 * with the manifest and signatures → every file written while hashed (its
 * writeback started at once) → all of them synced (syncfs: one journal
 * commit, not one per file) → every folder fsynced → staging renamed to its set name vN →
 * pending written ("NEW FALLBACK STATE": the set to try and the committed
 * one to go back to) → `current` switched by renaming a fresh symlink over
 * it (the point of no return) → unreferenced sets removed. Until the
 * switch, a failure undoes every step, so a refused or failed install
 * leaves the folder as it was. A power cut at any step leaves either the
 * old `current` or the new one, each complete; the recovery removes what
 * is left over.
 *
 * Commit (first frame drawn): previous := FALLBACK, pending removed,
 * highest := max(highest, version). A booth starting with a pending set in
 * state "trying" (it never got to draw it) reverts to FALLBACK.
 *
 * Each operation holds an exclusive flock on DATA/bundles/lock, so a
 * `waymark bundle install` and a booth do not interleave.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle_private.h"

#define STORE_PATH_MAX 4096
#define STORE_NAME_MAX 64
#define STORE_NONE     "-"
#define STORE_DIR_MAX  1024

typedef struct {
    char new_set[STORE_NAME_MAX];
    char fallback[STORE_NAME_MAX]; /* STORE_NONE: nothing to go back to */
    bool trying;
} pending_t;

struct content_store {
    char *data_dir, *bundles, *inbox, *factory;
    char dir[STORE_PATH_MAX];
    content_store_origin_t origin;
    uint64_t version, highest;
    bool pending, readonly;
    int lock_fd;
};

typedef struct {
    content_store_t *store;
    unsigned flags;
    content_install_progress_t progress;
    void *progress_ctx;
    content_bundle_info_t info;
    uint64_t floor;                   /* the version an install must exceed */
    char staging[STORE_PATH_MAX / 2]; /* data folders are at most STORE_DIR_MAX long */
    bool staging_made;
    install_writer_t *writer; /* runs the file writes beside the reading */
    char **dirs;              /* folders made under staging, to fsync */
    size_t ndirs, capdirs;

} install_t;

static wm_status_t store_select(content_store_t *s, unsigned flags);
static bool link_get(const content_store_t *s, const char *link, char *name, size_t size);
static wm_status_t link_set(const content_store_t *s, const char *link, const char *target);
static wm_status_t set_check(const content_store_t *s, const char *set, uint64_t *version);
static bool pending_get(const content_store_t *s, pending_t *p);
static wm_status_t pending_put(const content_store_t *s, const pending_t *p);
static uint64_t highest_get(const content_store_t *s);
static bool read_small(const char *path, char *buf, size_t size);
static void store_gc(const content_store_t *s);
static void store_lock(content_store_t *s);
static void store_unlock(content_store_t *s);
static wm_status_t store_readonly(const content_store_t *s);
static void show_set(content_store_t *s, const char *set, content_store_origin_t origin,
                     uint64_t version);
static void show_factory(content_store_t *s);
static wm_status_t on_verified(void *ctx, const bundle_manifest_t *m, const char *manifest,
                               size_t manifest_len, char *const *sigs, const size_t *sig_lens,
                               size_t sig_count);
static wm_status_t on_begin(void *ctx, const bundle_file_t *f);
static wm_status_t on_data(void *ctx, const void *buf, size_t len);
static wm_status_t on_end(void *ctx);
static void on_progress(void *ctx, uint64_t done, uint64_t total);
static wm_status_t write_file(const char *path, const void *data, size_t len);
static wm_status_t install_finish(install_t *in, const bundle_manifest_t *m);
static void install_undo(install_t *in);
static char *join(const char *a, const char *b);

wm_status_t content_store_open(const char *data_dir, const char *factory_dir, unsigned flags,
                               content_store_t **out)
{
    content_store_t *s = wm_calloc(1, sizeof(*s));

    if (!s)
        return wm_error(WM_ENOMEM, "content store: out of memory");
    if (strlen(data_dir) > STORE_DIR_MAX) {
        wm_free(s);
        return wm_error(WM_EINVAL, "content store: %.60s...: path too long", data_dir);
    }
    s->lock_fd = -1;
    s->readonly = flags & CONTENT_STORE_READONLY;
    if (!(s->data_dir = wm_strdup(data_dir)) || !(s->bundles = join(data_dir, "bundles")) ||
        !(s->inbox = join(data_dir, "inbox")) ||
        (factory_dir && !(s->factory = wm_strdup(factory_dir)))) {
        content_store_destroy(s);
        return wm_error(WM_ENOMEM, "content store: out of memory");
    }
    if (!s->readonly) {
        mkdir(s->data_dir, 0755);
        mkdir(s->bundles, 0755);
        mkdir(s->inbox, 0755);
    }
    store_lock(s);
    store_select(s, flags);
    store_unlock(s);
    *out = s;
    return WM_OK;
}

void content_store_destroy(content_store_t *store)
{
    if (!store)
        return;
    if (store->lock_fd >= 0)
        close(store->lock_fd);
    wm_free(store->data_dir);
    wm_free(store->bundles);
    wm_free(store->inbox);
    wm_free(store->factory);
    wm_free(store);
}

const char *content_store_dir(const content_store_t *store)
{
    return store->dir;
}

content_store_origin_t content_store_origin(const content_store_t *store)
{
    return store->origin;
}

uint64_t content_store_version(const content_store_t *store)
{
    return store->version;
}

uint64_t content_store_highest(const content_store_t *store)
{
    return store->highest;
}

bool content_store_pending(const content_store_t *store)
{
    return store->pending;
}

wm_status_t content_store_commit(content_store_t *store)
{
    pending_t p;
    char cur[STORE_NAME_MAX], text[32];
    uint64_t version = 0;
    wm_status_t st = WM_OK;

    if (store->readonly)
        return store_readonly(store);
    store_lock(store);
    if (!pending_get(store, &p) || !link_get(store, "current", cur, sizeof(cur)) ||
        strcmp(cur, p.new_set) != 0) {
        store->pending = false;
        store_unlock(store);
        return WM_OK;
    }
    set_check(store, p.new_set, &version);
    if (strcmp(p.fallback, STORE_NONE) != 0 &&
        (st = link_set(store, "previous", p.fallback)) != WM_OK)
        goto done;
    {
        char path[STORE_PATH_MAX];
        snprintf(path, sizeof(path), "%s/pending", store->bundles);
        if (install_io_unlink(path) != 0 || install_io_fsync_dir(store->bundles) != 0) {
            st = wm_error(WM_EIO, "%s: cannot commit: %s", path, strerror(errno));
            goto done;
        }
    }
    store->pending = false;
    if (version > store->highest) {
        snprintf(text, sizeof(text), "%" PRIu64 "\n", version);
        if ((st = install_io_write_atomic(store->bundles, "highest", text)) == WM_OK)
            store->highest = version;
    }
    store_gc(store);
done:
    store_unlock(store);
    return st;
}

wm_status_t content_store_revert(content_store_t *store)
{
    pending_t p;
    char path[STORE_PATH_MAX];
    wm_status_t st = WM_OK;

    if (store->readonly)
        return store_readonly(store);
    store_lock(store);
    if (pending_get(store, &p)) {
        snprintf(path, sizeof(path), "%s/current", store->bundles);
        if (strcmp(p.fallback, STORE_NONE) != 0)
            st = link_set(store, "current", p.fallback);
        else if (install_io_unlink(path) != 0 && errno != ENOENT)
            st = wm_error(WM_EIO, "%s: %s", path, strerror(errno));
        snprintf(path, sizeof(path), "%s/pending", store->bundles);
        if (st == WM_OK && (install_io_unlink(path) != 0 || install_io_fsync_dir(store->bundles)))
            st = wm_error(WM_EIO, "%s: %s", path, strerror(errno));
    }
    store_select(store, 0);
    store_unlock(store);
    return st;
}

wm_status_t content_store_rollback(content_store_t *store)
{
    pending_t p;
    char cur[STORE_NAME_MAX] = "", target[STORE_NAME_MAX] = "", path[STORE_PATH_MAX];
    bool pending;
    wm_status_t st;

    store_lock(store);
    pending = pending_get(store, &p);
    link_get(store, "current", cur, sizeof(cur));
    if (pending && strcmp(cur, p.new_set) == 0) {
        if (strcmp(p.fallback, STORE_NONE) != 0)
            snprintf(target, sizeof(target), "%s", p.fallback);
    } else {
        pending = false;
        link_get(store, "previous", target, sizeof(target));
    }
    if (!target[0] || strcmp(target, cur) == 0 || set_check(store, target, NULL) != WM_OK) {
        store_unlock(store);
        return wm_error(WM_ENOENT, "no previous content to go back to");
    }
    /* the one step that counts: current names the previous set */
    if ((st = link_set(store, "current", target)) != WM_OK) {
        store_unlock(store);
        return st;
    }
    if (pending) {
        /* the pending note names a set no longer shown: the recovery at
         * the next start would drop it anyway */
        snprintf(path, sizeof(path), "%s/pending", store->bundles);
        if (install_io_unlink(path) != 0 || install_io_fsync_dir(store->bundles) != 0)
            wm_log_warn("content: %s: %s", path, strerror(errno));
    }
    wm_log_info("content: rolled back from %s to %s", cur[0] ? cur : STORE_NONE, target);
    store_select(store, 0);
    store_unlock(store);
    return WM_OK;
}

wm_status_t content_store_install(content_store_t *store, const content_bundle_source_t *src,
                                  const content_keyring_t *keys,
                                  const content_bundle_limits_t *limits, unsigned flags,
                                  content_install_progress_t progress, void *ctx,
                                  content_bundle_info_t *info)
{
    install_t in = {.store = store, .flags = flags, .progress = progress, .progress_ctx = ctx};
    bundle_sink_t sink = {on_begin, on_data, on_end, on_verified, on_progress, &in};
    bundle_manifest_t m;
    pending_t p;
    char cur[STORE_NAME_MAX];
    uint64_t v;
    wm_status_t st;

    if (store->readonly)
        return store_readonly(store);
    store_lock(store);
    /* The floor: the highest committed version, the committed set's, and a
     * pending set's. Only out of memory stops the count: a set that is
     * not there or incomplete has no version to defend. */
    in.floor = highest_get(store);
    {
        const char *sets[2] = {NULL, NULL};
        if (pending_get(store, &p)) {
            sets[0] = strcmp(p.fallback, STORE_NONE) != 0 ? p.fallback : NULL;
            sets[1] = p.new_set;
        } else if (link_get(store, "current", cur, sizeof(cur))) {
            sets[0] = cur;
        }
        for (size_t i = 0; i < 2; i++) {
            if (!sets[i])
                continue;
            st = set_check(store, sets[i], &v);
            if (st == WM_ENOMEM) {
                store_unlock(store);
                return st;
            }
            if (st == WM_OK && v > in.floor)
                in.floor = v;
        }
    }
    snprintf(in.staging, sizeof(in.staging), "%s/staging", store->bundles);
    install_io_remove_tree(in.staging);
    st = bundle_read(src, keys, limits, &sink, &m);
    if (in.writer) {
        wm_status_t wst = install_writer_flush(in.writer);
        char msg[1024];

        snprintf(msg, sizeof(msg), "%s", wm_last_error());
        install_writer_stop(in.writer);
        in.writer = NULL;
        if (st == WM_OK && wst != WM_OK) {
            bundle_manifest_free(&m);
            st = wm_error(wst, "%s", msg);
        } else if (st != WM_OK) {
            wm_error(st, "%s", msg); /* the reader's reason, not the writer's */
        }
    }
    if (st == WM_OK) {
        st = install_finish(&in, &m);
        bundle_manifest_free(&m);
    } else {
        install_undo(&in);
    }
    for (size_t i = 0; i < in.ndirs; i++)
        wm_free(in.dirs[i]);
    wm_free(in.dirs);

    store_unlock(store);
    if (st == WM_OK && info)
        *info = in.info;
    return st;
}

/* ---- static ------------------------------------------------------------- */

static wm_status_t on_verified(void *ctx, const bundle_manifest_t *m, const char *manifest,
                               size_t manifest_len, char *const *sigs, const size_t *sig_lens,
                               size_t sig_count)
{
    install_t *in = ctx;
    char path[STORE_PATH_MAX];
    wm_status_t st;

    in->info = m->info;
    if (!(in->flags & CONTENT_INSTALL_FORCE) && m->info.version <= in->floor)
        return wm_error(WM_EINVAL,
                        m->info.version == in->floor
                            ? "version %" PRIu64 " is already installed"
                            : "version %" PRIu64 " is older than the installed version %" PRIu64,
                        m->info.version, in->floor);
    if (in->progress)
        in->progress(in->progress_ctx, &in->info, 0, m->info.total_bytes);
    if (install_io_mkdir(in->staging, 0755) != 0)
        return wm_error(WM_EIO, "%s: cannot create: %s", in->staging, strerror(errno));
    in->staging_made = true;
    snprintf(path, sizeof(path), "%s/" BUNDLE_MANIFEST, in->staging);
    if ((st = write_file(path, manifest, manifest_len)) != WM_OK)
        return st;
    snprintf(path, sizeof(path), "%s/signatures", in->staging);
    if (install_io_mkdir(path, 0755) != 0)
        return wm_error(WM_EIO, "%s: cannot create: %s", path, strerror(errno));
    for (size_t i = 0; i < sig_count; i++) {
        snprintf(path, sizeof(path), "%s/signatures/%zu.minisig", in->staging, i + 1);
        if ((st = write_file(path, sigs[i], sig_lens[i])) != WM_OK)
            return st;
    }
    snprintf(path, sizeof(path), "%s/content", in->staging);
    if (install_io_mkdir(path, 0755) != 0)
        return wm_error(WM_EIO, "%s: cannot create: %s", path, strerror(errno));
    return install_writer_start(&in->writer);
}

static wm_status_t on_begin(void *ctx, const bundle_file_t *f)
{
    install_t *in = ctx;
    char path[STORE_PATH_MAX];
    size_t base;
    wm_status_t st;

    base = (size_t)snprintf(path, sizeof(path), "%s/content/", in->staging);
    snprintf(path + base, sizeof(path) - base, "%s", f->path);
    /* the file's folders, made on first use (the manifest has no file that
     * is also a folder, and staging starts empty) */
    for (char *s = strchr(path + base, '/'); s; s = strchr(s + 1, '/')) {
        bool made = false;

        *s = '\0';
        for (size_t i = in->ndirs; i-- > 0 && !made;)
            made = strcmp(in->dirs[i], path) == 0;
        if (!made) {
            if ((st = install_writer_mkdir(in->writer, path)) != WM_OK) {
                *s = '/';
                return st;
            }
            if (wm_grow((void **)&in->dirs, &in->capdirs, in->ndirs + 1, sizeof(*in->dirs)) !=
                    WM_OK ||
                !(in->dirs[in->ndirs] = wm_strdup(path))) {
                *s = '/';
                return wm_error(WM_ENOMEM, "install: out of memory");
            }
            in->ndirs++;
        }
        *s = '/';
    }
    return install_writer_open(in->writer, path);
}

static wm_status_t on_data(void *ctx, const void *buf, size_t len)
{
    install_t *in = ctx;

    return install_writer_data(in->writer, buf, len);
}

/* The file goes to disk in the background while the next one streams in;
 * install_finish() waits for them all at once (syncfs). */
static wm_status_t on_end(void *ctx)
{
    install_t *in = ctx;

    return install_writer_close(in->writer);
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    install_t *in = ctx;

    if (in->progress && done > 0)
        in->progress(in->progress_ctx, &in->info, done, total);
}

/* Everything is in staging: make it durable, name it, switch to it. */
static wm_status_t install_finish(install_t *in, const bundle_manifest_t *m)
{
    content_store_t *s = in->store;
    char set[STORE_NAME_MAX], path[STORE_PATH_MAX], sub[STORE_PATH_MAX];
    pending_t old, p;
    bool had_pending = pending_get(s, &old), pending_written = false;
    char cur[STORE_NAME_MAX];
    wm_status_t st;

    /* Every file at once: one journal commit instead of one per file. */
    if (install_io_syncfs(in->staging) != 0) {
        st = wm_error(WM_EIO, "%s: sync failed: %s", in->staging, strerror(errno));
        goto undo;
    }
    for (size_t i = in->ndirs; i-- > 0;) {
        if (install_io_fsync_dir(in->dirs[i]) != 0) {
            st = wm_error(WM_EIO, "%s: fsync failed: %s", in->dirs[i], strerror(errno));
            goto undo;
        }
    }
    snprintf(sub, sizeof(sub), "%s/content", in->staging);
    snprintf(path, sizeof(path), "%s/signatures", in->staging);
    if (install_io_fsync_dir(sub) != 0 || install_io_fsync_dir(path) != 0 ||
        install_io_fsync_dir(in->staging) != 0) {
        st = wm_error(WM_EIO, "%s: fsync failed: %s", in->staging, strerror(errno));
        goto undo;
    }
    snprintf(set, sizeof(set), "v%" PRIu64, m->info.version);
    for (unsigned n = 1;; n++) {
        struct stat sb;
        snprintf(path, sizeof(path), "%s/%s", s->bundles, set);
        if (lstat(path, &sb) != 0)
            break;
        snprintf(set, sizeof(set), "v%" PRIu64 "-%u", m->info.version, n);
    }
    if (install_io_rename(in->staging, path) != 0) {
        st = wm_error(WM_EIO, "%s: cannot rename: %s", path, strerror(errno));
        goto undo;
    }
    if (strlen(path) < sizeof(in->staging)) /* what undo removes now */
        memcpy(in->staging, path, strlen(path) + 1);
    if (install_io_fsync_dir(s->bundles) != 0) {
        st = wm_error(WM_EIO, "%s: fsync failed: %s", s->bundles, strerror(errno));
        goto undo;
    }
    snprintf(p.new_set, sizeof(p.new_set), "%s", set);
    snprintf(p.fallback, sizeof(p.fallback), STORE_NONE);
    if (had_pending) {
        snprintf(p.fallback, sizeof(p.fallback), "%s", old.fallback);
    } else if (link_get(s, "current", cur, sizeof(cur))) {
        if ((st = set_check(s, cur, NULL)) == WM_OK)
            snprintf(p.fallback, sizeof(p.fallback), "%s", cur);
        else if (st == WM_ENOMEM)
            goto undo;
    }
    p.trying = (in->flags & CONTENT_INSTALL_LIVE) != 0;
    pending_written = true; /* even half-written, undo removes it */
    if ((st = pending_put(s, &p)) != WM_OK)
        goto undo;
    if ((st = link_set(s, "current", set)) != WM_OK)
        goto undo;
    /* Switched: from here on the new set is what the booth gets. */
    show_set(s, set, CONTENT_STORE_CURRENT, m->info.version);
    s->pending = true;
    store_gc(s);
    return WM_OK;
undo : {
    char msg[1024];
    snprintf(msg, sizeof(msg), "%s", wm_last_error());
    if (pending_written) {
        if (had_pending)
            pending_put(s, &old);
        else {
            snprintf(path, sizeof(path), "%s/pending", s->bundles);
            install_io_unlink(path);
        }
    }
    install_undo(in);
    return wm_error(st, "%s", msg);
}
}

static void install_undo(install_t *in)
{
    char path[STORE_PATH_MAX];

    if (in->staging_made) {
        install_io_remove_tree(in->staging);
        install_io_fsync_dir(in->store->bundles);
    }
    snprintf(path, sizeof(path), "%s/current.tmp", in->store->bundles);
    install_io_unlink(path);
}

/* Picks what to show, handling pending (with CONTENT_STORE_BOOTH) and
 * self-healing a broken `current`. Never fails: at worst, factory. */
static wm_status_t store_select(content_store_t *s, unsigned flags)
{
    char cur[STORE_NAME_MAX], prev[STORE_NAME_MAX], path[STORE_PATH_MAX];
    pending_t p;
    uint64_t v;
    bool pending;

    s->highest = highest_get(s);
    if (!s->readonly)
        store_gc(s); /* leftover staging and .tmp names first */
    pending = pending_get(s, &p);
    snprintf(path, sizeof(path), "%s/pending", s->bundles);
    if (pending && (!link_get(s, "current", cur, sizeof(cur)) || strcmp(cur, p.new_set) != 0)) {
        /* the install stopped before its switch */
        if (!s->readonly)
            install_io_unlink(path);
        pending = false;
    }
    if (pending && (flags & CONTENT_STORE_BOOTH) && !s->readonly) {
        if (p.trying || set_check(s, p.new_set, NULL) != WM_OK) {
            /* tried and never drawn, or broken: back to what was committed */
            wm_log_warn("content: version in %s was not confirmed; going back to %s", p.new_set,
                        p.fallback);
            if (strcmp(p.fallback, STORE_NONE) != 0)
                link_set(s, "current", p.fallback);
            else {
                snprintf(path, sizeof(path), "%s/current", s->bundles);
                install_io_unlink(path);
            }
            snprintf(path, sizeof(path), "%s/pending", s->bundles);
            install_io_unlink(path);
            install_io_fsync_dir(s->bundles);
            pending = false;
        } else {
            p.trying = true;
            pending_put(s, &p);
        }
    }
    s->pending = false;
    if (link_get(s, "current", cur, sizeof(cur)) && set_check(s, cur, &v) == WM_OK) {
        show_set(s, cur, CONTENT_STORE_CURRENT, v);
        s->pending = pending;
    } else if (s->readonly && pending && strcmp(p.fallback, STORE_NONE) != 0 &&
               set_check(s, p.fallback, &v) == WM_OK) {
        /* what a booth starting now would go back to (see above) */
        show_set(s, p.fallback, CONTENT_STORE_PREVIOUS, v);
    } else if (link_get(s, "previous", prev, sizeof(prev)) && set_check(s, prev, &v) == WM_OK) {
        if (!s->readonly) {
            wm_log_warn("content: the current set is missing or incomplete; showing %s", prev);
            link_set(s, "current", prev);
            snprintf(path, sizeof(path), "%s/pending", s->bundles);
            install_io_unlink(path);
        }
        show_set(s, prev, CONTENT_STORE_PREVIOUS, v);
    } else {
        show_factory(s);
    }
    if (!s->readonly)
        store_gc(s);
    return WM_OK;
}

static void show_set(content_store_t *s, const char *set, content_store_origin_t origin,
                     uint64_t version)
{
    snprintf(s->dir, sizeof(s->dir), "%s/%s/content", s->bundles, set);
    s->origin = origin;
    s->version = version;
}

static void show_factory(content_store_t *s)
{
    snprintf(s->dir, sizeof(s->dir), "%s", s->factory ? s->factory : "");
    s->origin = CONTENT_STORE_FACTORY;
    s->version = 0;
    s->pending = false;
}

static bool link_get(const content_store_t *s, const char *link, char *name, size_t size)
{
    char path[STORE_PATH_MAX];
    ssize_t n;

    snprintf(path, sizeof(path), "%s/%s", s->bundles, link);
    n = readlink(path, name, size - 1);
    if (n <= 0)
        return false;
    name[n] = '\0';
    return name[0] == 'v' && !strchr(name, '/');
}

/* link := target, atomically: a new symlink renamed over the old one. */
static wm_status_t link_set(const content_store_t *s, const char *link, const char *target)
{
    char tmp[STORE_PATH_MAX], path[STORE_PATH_MAX];

    snprintf(tmp, sizeof(tmp), "%s/%s.tmp", s->bundles, link);
    snprintf(path, sizeof(path), "%s/%s", s->bundles, link);
    unlink(tmp);
    if (install_io_symlink(target, tmp) != 0)
        return wm_error(WM_EIO, "%s: cannot create: %s", tmp, strerror(errno));
    if (install_io_rename(tmp, path) != 0) {
        int e = errno;
        install_io_unlink(tmp);
        return wm_error(WM_EIO, "%s: cannot switch: %s", path, strerror(e));
    }
    if (install_io_fsync_dir(s->bundles) != 0)
        wm_log_warn("content: %s: fsync failed: %s", s->bundles, strerror(errno));
    return WM_OK;
}

/* A set is complete when its manifest parses and every file it lists is
 * there, a plain file of the listed size. */
static wm_status_t set_check(const content_store_t *s, const char *set, uint64_t *version)
{
    char path[STORE_PATH_MAX], *text;
    size_t len;
    bundle_manifest_t m;
    wm_status_t st;

    snprintf(path, sizeof(path), "%s/%s/" BUNDLE_MANIFEST, s->bundles, set);
    if ((st = wm_file_read(path, content_bundle_limits().manifest_max, true, &text, &len)) != WM_OK)
        return st;
    st = bundle_manifest_parse(text, len, NULL, &m);
    wm_free(text);
    if (st != WM_OK)
        return st;
    for (size_t i = 0; i < m.count && st == WM_OK; i++) {
        struct stat sb;
        snprintf(path, sizeof(path), "%s/%s/content/%s", s->bundles, set, m.files[i].path);
        if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
            (uint64_t)sb.st_size != m.files[i].size)
            st = wm_error(WM_EFORMAT, "%s: missing or of the wrong size", path);
    }
    if (st == WM_OK && version)
        *version = m.info.version;
    bundle_manifest_free(&m);
    return st;
}

static bool pending_get(const content_store_t *s, pending_t *p)
{
    char path[STORE_PATH_MAX], text[256], state[16];
    int n;

    snprintf(path, sizeof(path), "%s/pending", s->bundles);
    if (!read_small(path, text, sizeof(text)))
        return false;
    n = sscanf(text, "%63s %63s %15s", p->new_set, p->fallback, state);
    if (n != 3 || p->new_set[0] != 'v' || (strcmp(state, "trying") && strcmp(state, "installed")))
        return false;
    p->trying = strcmp(state, "trying") == 0;
    return true;
}

static wm_status_t pending_put(const content_store_t *s, const pending_t *p)
{
    char text[256];

    snprintf(text, sizeof(text), "%s %s %s\n", p->new_set, p->fallback,
             p->trying ? "trying" : "installed");
    return install_io_write_atomic(s->bundles, "pending", text);
}

static uint64_t highest_get(const content_store_t *s)
{
    char path[STORE_PATH_MAX], text[64];
    unsigned long long v = 0;

    snprintf(path, sizeof(path), "%s/highest", s->bundles);
    if (!read_small(path, text, sizeof(text)) || sscanf(text, "%llu", &v) != 1)
        v = 0;
    return (uint64_t)v;
}

/* A small state file into buf (NUL-terminated), without allocating. */
static bool read_small(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    ssize_t n;

    if (fd < 0)
        return false;
    n = read(fd, buf, size - 1);
    close(fd);
    if (n < 0)
        return false;
    buf[n] = '\0';
    return true;
}

/* Removes staging, *.tmp and every set nothing refers to. */
static void store_gc(const content_store_t *s)
{
    char cur[STORE_NAME_MAX] = "", prev[STORE_NAME_MAX] = "";
    pending_t p = {{0}, {0}, false};
    DIR *d;
    struct dirent *e;

    link_get(s, "current", cur, sizeof(cur));
    link_get(s, "previous", prev, sizeof(prev));
    if (!pending_get(s, &p))
        memset(&p, 0, sizeof(p));
    if (!(d = opendir(s->bundles)))
        return;
    while ((e = readdir(d))) {
        const char *n = e->d_name;
        size_t l = strlen(n);
        char path[STORE_PATH_MAX];
        bool tmp = l > 4 && strcmp(n + l - 4, ".tmp") == 0;

        if (strcmp(n, "staging") != 0 && !tmp &&
            (n[0] != 'v' || strcmp(n, cur) == 0 || strcmp(n, prev) == 0 ||
             strcmp(n, p.new_set) == 0 || strcmp(n, p.fallback) == 0))
            continue;
        snprintf(path, sizeof(path), "%s/%s", s->bundles, n);
        install_io_remove_tree(path);
    }
    closedir(d);
}

/* A read-only store takes no lock: it would have to create the lock file,
 * and what it reads (links, pending, highest) is each replaced whole. */
static void store_lock(content_store_t *s)
{
    char path[STORE_PATH_MAX];

    if (s->readonly)
        return;
    if (s->lock_fd < 0) {
        snprintf(path, sizeof(path), "%s/lock", s->bundles);
        s->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    }
    if (s->lock_fd >= 0)
        while (flock(s->lock_fd, LOCK_EX) != 0 && errno == EINTR)
            ;
}

static void store_unlock(content_store_t *s)
{
    if (s->lock_fd >= 0)
        flock(s->lock_fd, LOCK_UN);
}

static wm_status_t store_readonly(const content_store_t *s)
{
    return wm_error(WM_EINVAL, "content store: %s: opened read-only", s->data_dir);
}

static wm_status_t write_file(const char *path, const void *data, size_t len)
{
    int fd = install_io_open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644), e;

    if (fd < 0)
        return wm_error(WM_EIO, "%s: cannot create: %s", path, strerror(errno));
    if (install_io_write(fd, data, len) < 0 || install_io_fsync(fd) != 0) {
        e = errno;
        close(fd);
        return wm_error(WM_EIO, "%s: write failed: %s", path, strerror(e));
    }
    close(fd);
    return WM_OK;
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = wm_malloc(n);

    if (s)
        snprintf(s, n, "%s/%s", a, b);
    return s;
}
