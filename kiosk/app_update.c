/*
 * app_update.c: the booth's content, through the content store: at start
 * the store recovers (leftover staging, a pending set, current, previous,
 * factory) and names the folder to show; a set still pending is committed
 * once a frame with it has been drawn.
 *
 * New content comes as bundles on USB sticks (mounted under usb_roots) or
 * dropped into DATA/inbox. A thread sleeps on the watcher's descriptor and
 * wakes the loop with an SDL user event (no polling); the loop installs
 * each bundle found while staff see the update banner. Installed content
 * waits for the next visit unless nobody is using the booth.
 *
 * Key updates (*.wmkeys) come the same ways and are installed the same
 * way, against the keyring the booth trusts now, which is then loaded
 * again; the watcher names them before bundles, so a bundle signed by a
 * key added on the same stick installs from it.
 *
 * The log names bundles, versions and reasons: booth state, never a
 * visitor's.
 */
#include "kiosk_private.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define UPDATE_PROGRESS_FRAME_MS 100 /* progress frames at most this often */

static int watch_main(void *ctx);
static void watch_start(kiosk_app_t *app);
static void update_install(kiosk_app_t *app, const char *path);
static wm_status_t update_keys(kiosk_app_t *app, const char *path);
static bool update_keyring(kiosk_app_t *app);
static bool is_key_update(const char *path);
static void update_set(kiosk_app_t *app, kiosk_update_state_t state, const char *fmt, ...)
    WM_PRINTF(3, 4);

void kiosk_update_start(kiosk_app_t *app, char *dir, size_t size)
{
    const char *factory = getenv("WAYMARK_CONTENT");
    static const char *const origins[] = {"current", "previous", "factory"};

    if (!factory || !*factory)
        factory = KIOSK_FACTORY_CONTENT;
    snprintf(dir, size, "%s", factory);
    if (content_store_open(app->opts.data_dir, factory, CONTENT_STORE_BOOTH, &app->store) !=
        WM_OK) {
        wm_log_error("%s; showing the factory content", wm_last_error());
        app->store = NULL;
        return;
    }
    if (content_store_dir(app->store))
        snprintf(dir, size, "%s", content_store_dir(app->store));
    app->commit_due = content_store_pending(app->store);
    wm_log_info("content store: %s set, version %" PRIu64 "%s",
                origins[content_store_origin(app->store)], content_store_version(app->store),
                app->commit_due ? ", pending until its first frame" : "");
    if (content_keyring_load_data(app->opts.keys_dir, app->opts.data_dir, &app->keys) != WM_OK) {
        wm_log_warn("content updates: %s; no bundle will be installed", wm_last_error());
        app->keys = NULL;
    }
    watch_start(app);
}

/* The watcher on every usb root and the inbox, and its thread. */
static void watch_start(kiosk_app_t *app)
{
    char roots_buf[KIOSK_PATH_MAX], inbox[KIOSK_PATH_MAX + 16];
    const char *roots[KIOSK_USB_ROOTS_MAX];
    size_t n = 0;

    snprintf(roots_buf, sizeof(roots_buf), "%s", app->opts.usb_roots);
    for (char *save = NULL, *p = strtok_r(roots_buf, ",", &save); p && n < KIOSK_USB_ROOTS_MAX;
         p = strtok_r(NULL, ",", &save))
        roots[n++] = p;
    snprintf(inbox, sizeof(inbox), "%s/inbox", app->opts.data_dir);
    if (content_watch_create(roots, n, inbox, &app->watch) != WM_OK) {
        wm_log_warn("content updates: cannot watch for bundles: %s", wm_last_error());
        app->watch = NULL;
        return;
    }
    if (pipe(app->watch_stop) != 0) {
        wm_log_warn("content updates: no pipe (%s); bundles are looked for at start only",
                    strerror(errno));
        app->watch_stop[0] = app->watch_stop[1] = -1;
        return;
    }
    app->watch_event = SDL_RegisterEvents(1);
    app->watch_ack = SDL_CreateSemaphore(0);
    if (app->watch_event == (Uint32)-1 || !app->watch_ack ||
        !(app->watch_thread = SDL_CreateThread(watch_main, "waymark-watch", app))) {
        wm_log_warn("content updates: no watcher thread (%s); bundles are looked for at start "
                    "only",
                    SDL_GetError());
        app->watch_event = 0;
    }
}

void kiosk_update_stop(kiosk_app_t *app)
{
    if (app->watch_thread) {
        if (write(app->watch_stop[1], "x", 1) != 1)
            wm_log_error("content updates: cannot stop the watcher: %s", strerror(errno));
        SDL_SemPost(app->watch_ack);
        SDL_WaitThread(app->watch_thread, NULL);
        app->watch_thread = NULL;
    }
    if (app->watch_ack)
        SDL_DestroySemaphore(app->watch_ack);
    app->watch_ack = NULL;
    for (int i = 0; i < 2; i++) {
        if (app->watch_stop[i] >= 0)
            close(app->watch_stop[i]);
        app->watch_stop[i] = -1;
    }
    content_watch_destroy(app->watch);
    content_keyring_destroy(app->keys);
    content_store_destroy(app->store);
    app->watch = NULL;
    app->keys = NULL;
    app->store = NULL;
}

/* The watcher's thread: sleeps until the watch descriptor is readable,
 * wakes the loop, and waits until the loop has looked before sleeping
 * again (the loop reads the descriptor). */
static int watch_main(void *ctx)
{
    kiosk_app_t *app = ctx;
    struct pollfd p[2] = {
        {.fd = content_watch_fd(app->watch), .events = POLLIN},
        {.fd = app->watch_stop[0], .events = POLLIN},
    };

    for (;;) {
        SDL_Event ev;
        int r = poll(p, 2, -1);

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 || p[1].revents)
            return 0;
        if (!p[0].revents)
            continue;
        memset(&ev, 0, sizeof(ev));
        ev.type = app->watch_event;
        if (SDL_PushEvent(&ev) < 0)
            return 0;
        SDL_SemWait(app->watch_ack);
    }
}

void kiosk_update_event(kiosk_app_t *app)
{
    kiosk_app_check_updates(app);
    SDL_SemPost(app->watch_ack);
}

void kiosk_app_check_updates(kiosk_app_t *app)
{
    char path[KIOSK_PATH_MAX * 2];

    if (!app->watch || !app->store)
        return;
    while (content_watch_next(app->watch, path, sizeof(path)))
        update_install(app, path);
}

kiosk_update_state_t kiosk_app_update_state(const kiosk_app_t *app, const char **text)
{
    if (text)
        *text = app->update == KIOSK_UPDATE_NONE ? "" : app->update_text;
    return app->update;
}

static void update_set(kiosk_app_t *app, kiosk_update_state_t state, const char *fmt, ...)
{
    va_list ap;

    app->update = state;
    va_start(ap, fmt);
    vsnprintf(app->update_text, sizeof(app->update_text), fmt, ap);
    va_end(ap);
    kiosk_overlay_update_layout(app);
    app->dirty = true;
}

static void update_progress(void *ctx, const content_bundle_info_t *info, uint64_t done,
                            uint64_t total)
{
    kiosk_app_t *app = ctx;
    uint64_t t = SDL_GetTicks64();

    if (done == 0) {
        char date[16];

        snprintf(date, sizeof(date), "%.10s", info->created);
        snprintf(app->update_detail, sizeof(app->update_detail), "Version %" PRIu64 " of %s",
                 info->version, date);
        update_set(app, KIOSK_UPDATE_FOUND, "Update found: installing");
    } else if (app->update != KIOSK_UPDATE_COPYING) {
        update_set(app, KIOSK_UPDATE_COPYING, "Update found: installing");
    }
    app->update_done = done;
    app->update_total = total;
    app->dirty = true;
    /* the booth stands still while it copies: show how far it is */
    if (done == 0 || done == total || t - app->update_drawn_ms >= UPDATE_PROGRESS_FRAME_MS) {
        app->update_drawn_ms = t;
        kiosk_app_frame(app);
    }
}

static void update_install(kiosk_app_t *app, const char *path)
{
    const bool inbox = content_watch_in_inbox(app->watch, path);
    content_bundle_source_t src;
    content_bundle_info_t info;
    char q[WM_ESCAPE_MAX], why[300];
    wm_status_t st;

    app->update_detail[0] = '\0';
    app->update_done = app->update_total = 0;
    wm_log_info("content updates: %s %s found", is_key_update(path) ? "key update" : "bundle",
                wm_escape(path, q, sizeof(q)));
    update_set(app, KIOSK_UPDATE_FOUND, "Update found: checking");
    kiosk_app_frame(app);
    if (!app->keys)
        update_keyring(app); /* it did not load before: try again */
    if (!app->keys) {
        st = wm_error(WM_EINVAL, "this booth has no trusted keys (%s)", app->opts.keys_dir);
    } else if (is_key_update(path)) {
        st = update_keys(app, path);
    } else if ((st = content_bundle_source_open(path, &src)) == WM_OK) {
        st = content_store_install(app->store, &src, app->keys, NULL, 0, update_progress, app,
                                   &info);
        content_bundle_source_close(&src);
    }
    if (st == WM_OK && is_key_update(path)) {
        update_set(app, KIOSK_UPDATE_INSTALLED, "Installed \xE2\x80\x94 you can remove the stick");
    } else if (st == WM_OK) {
        snprintf(app->update_detail, sizeof(app->update_detail), "Version %" PRIu64 " of %.10s",
                 info.version, info.created);
        update_set(app, KIOSK_UPDATE_INSTALLED, "Installed \xE2\x80\x94 you can remove the stick");
        wm_log_info("content updates: version %" PRIu64 " installed", info.version);
        app->swap_due = true;
    } else {
        snprintf(why, sizeof(why), "%s", wm_last_error());
        update_set(app, KIOSK_UPDATE_FAILED, "Not installed: %s", why);
        wm_log_warn("content updates: %s not installed: %s", wm_escape(path, q, sizeof(q)), why);
    }
    if (inbox && unlink(path) != 0)
        wm_log_warn("content updates: cannot remove %s from the inbox: %s",
                    wm_escape(path, q, sizeof(q)), strerror(errno));
    app->update_until = app->now_ms + KIOSK_UPDATE_SHOW_MS;
    /* nobody is using the booth: show the new content now */
    if (app->swap_due && app->stack.depth <= 1 && app->lang < 0 && !app->asking)
        kiosk_app_finish_visit(app);
}

/* Installs a key update against the keyring trusted now, then loads the
 * keyring again (after a failure too), so that the bundles after it are
 * checked against what the data folder holds. */
static wm_status_t update_keys(kiosk_app_t *app, const char *path)
{
    content_keys_info_t info;
    char ids[CONTENT_KEYS_OPS_MAX * CONTENT_KEY_ID_HEX * 2 + 32] = "";
    size_t n = 0;
    wm_status_t st = content_keys_install(app->opts.data_dir, path, app->keys, &info);
    char why[300];

    if (st != WM_OK) {
        /* a failure after the state's rename (an fsync of its folder)
         * may have left the new state: trust what the folder says */
        snprintf(why, sizeof(why), "%s", wm_last_error());
        update_keyring(app);
        return wm_error(st, "%s", why);
    }
    for (size_t i = 0; i < info.add_count && n < sizeof(ids); i++)
        n += (size_t)snprintf(ids + n, sizeof(ids) - n, " added %s", info.add_ids[i]);
    for (size_t i = 0; i < info.revoke_count && n < sizeof(ids); i++)
        n += (size_t)snprintf(ids + n, sizeof(ids) - n, " revoked %s", info.revoke_ids[i]);
    if (info.threshold && n < sizeof(ids))
        snprintf(ids + n, sizeof(ids) - n, " threshold %zu", info.threshold);
    wm_log_info("content updates: key update %" PRIu64 " installed:%s", info.sequence, ids);
    snprintf(app->update_detail, sizeof(app->update_detail), "Signing keys: %zu added, %zu revoked",
             info.add_count, info.revoke_count);
    update_keyring(app);
    return WM_OK;
}

/* Loads the booth's effective keyring again. When it cannot be loaded,
 * the booth trusts nothing until a later try succeeds: never a key the
 * data folder has revoked. */
static bool update_keyring(kiosk_app_t *app)
{
    content_keyring_t *keys = NULL;

    if (content_keyring_load_data(app->opts.keys_dir, app->opts.data_dir, &keys) != WM_OK) {
        wm_log_warn("content updates: %s; nothing is installed until the keys load",
                    wm_last_error());
        content_keyring_destroy(app->keys);
        app->keys = NULL;
        return false;
    }
    content_keyring_destroy(app->keys);
    app->keys = keys;
    return true;
}

static bool is_key_update(const char *path)
{
    size_t n = strlen(path), e = strlen(CONTENT_KEYS_EXT);

    return n > e && strcmp(path + n - e, CONTENT_KEYS_EXT) == 0;
}

void kiosk_update_swap(kiosk_app_t *app)
{
    char q[WM_ESCAPE_MAX];

    if (!app->swap_due || !app->store)
        return;
    app->swap_due = false;
    kiosk_app_unload(app);
    if (kiosk_app_load(app, content_store_dir(app->store)) != WM_OK)
        wm_log_error("%s", wm_last_error());
    if (!app->content_path[0] && content_store_pending(app->store)) {
        /* the new set does not load: back to the one before */
        wm_log_error("content updates: the new content cannot be shown; going back");
        if (content_store_revert(app->store) != WM_OK)
            wm_log_error("%s", wm_last_error());
        kiosk_app_unload(app);
        if (kiosk_app_load(app, content_store_dir(app->store)) != WM_OK)
            wm_log_error("%s", wm_last_error());
        update_set(app, KIOSK_UPDATE_FAILED, "Not installed: the new content cannot be shown");
    }
    app->commit_due = content_store_pending(app->store);
    kiosk_overlay_update_layout(app);
    wm_log_info("content: showing %s", wm_escape(app->content_path, q, sizeof(q)));
}

void kiosk_update_after_frame(kiosk_app_t *app)
{
    if (!app->commit_due || !app->store)
        return;
    app->commit_due = false;
    if (content_store_commit(app->store) != WM_OK)
        wm_log_error("%s", wm_last_error());
    else
        wm_log_info("content store: version %" PRIu64 " committed",
                    content_store_version(app->store));
}

bool kiosk_update_deadline(const kiosk_app_t *app, uint64_t *deadline)
{
    if (app->update != KIOSK_UPDATE_INSTALLED && app->update != KIOSK_UPDATE_FAILED)
        return false;
    *deadline = app->update_until;
    return true;
}

void kiosk_update_tick(kiosk_app_t *app)
{
    if (kiosk_update_deadline(app, &(uint64_t){0}) && app->now_ms >= app->update_until) {
        app->update = KIOSK_UPDATE_NONE;
        app->dirty = true;
    }
}
