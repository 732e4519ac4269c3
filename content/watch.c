/*
 * watch.c: finding bundles on USB sticks and in the inbox, without
 * polling (Linux).
 *
 * One epoll descriptor (content_watch_fd()) gathers an inotify instance
 * and /proc/self/mountinfo, which the kernel marks with POLLPRI whenever a
 * filesystem is mounted or unmounted. Watched: each mount root (create,
 * move, delete: a folder appearing there is a stick's mount point, and
 * gets a watch of its own), and the inbox, for files closed after writing
 * or moved in (so a file still being written is not taken: rsync,
 * Syncthing and Ansible write a temporary name and rename it; scp's
 * close-after-write counts as done). A change marks the watch for a
 * rescan; content_watch_next() rescans and reports each update file
 * (*.wmkeys key updates and *.wmbundle bundles, not hidden) once while it
 * stays the same file (device, inode, size, time); a file that leaves and
 * comes back is reported again, and one that changes (rewritten) too. Key
 * updates come before bundles, so a bundle signed by a key that a key
 * update on the same stick adds is checked after that key is in.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle_private.h"

#define WATCH_SEEN_MAX 256
#define WATCH_SUBDIRS  32 /* mount points looked at under one root */
#define WATCH_PATH_MAX 4096

typedef struct {
    char *path;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    bool present, reported;
} watch_seen_t;

struct content_watch {
    int efd, ifd, mfd;
    char **roots;
    size_t root_count;
    char *inbox;
    watch_seen_t seen[WATCH_SEEN_MAX];
    size_t seen_count;
    bool dirty;
};

static void drain(content_watch_t *w);
static void rescan(content_watch_t *w);
static void scan_dir(content_watch_t *w, const char *dir);
static void consider(content_watch_t *w, const char *path);
static bool is_update_name(const char *name);
static bool has_ext(const char *name, const char *ext);

wm_status_t content_watch_create(const char *const *roots, size_t root_count, const char *inbox,
                                 content_watch_t **out)
{
    content_watch_t *w = wm_calloc(1, sizeof(*w));
    struct epoll_event ev;

    if (!w)
        return wm_error(WM_ENOMEM, "watch: out of memory");
    w->efd = w->ifd = w->mfd = -1;
    w->dirty = true; /* what is there already counts */
    if (root_count && !(w->roots = wm_calloc(root_count, sizeof(*w->roots))))
        goto nomem;
    for (size_t i = 0; i < root_count; i++) {
        if (!(w->roots[i] = wm_strdup(roots[i])))
            goto nomem;
        w->root_count = i + 1;
    }
    if (inbox && !(w->inbox = wm_strdup(inbox)))
        goto nomem;
    w->efd = epoll_create1(EPOLL_CLOEXEC);
    w->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->efd < 0 || w->ifd < 0) {
        content_watch_destroy(w);
        return wm_error(WM_EIO, "watch: inotify: %s", strerror(errno));
    }
    memset(&ev, 0, sizeof(ev));
    ev.events = EPOLLIN;
    ev.data.fd = w->ifd;
    epoll_ctl(w->efd, EPOLL_CTL_ADD, w->ifd, &ev);
    /* mounts: optional (a container may hide them); the inotify part works alone */
    if ((w->mfd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC)) >= 0) {
        ev.events = EPOLLPRI;
        ev.data.fd = w->mfd;
        if (epoll_ctl(w->efd, EPOLL_CTL_ADD, w->mfd, &ev) != 0) {
            close(w->mfd);
            w->mfd = -1;
        }
    }
    rescan(w); /* adds the watches; reports come from content_watch_next() */
    w->dirty = true;
    *out = w;
    return WM_OK;
nomem:
    content_watch_destroy(w);
    return wm_error(WM_ENOMEM, "watch: out of memory");
}

void content_watch_destroy(content_watch_t *watch)
{
    if (!watch)
        return;
    if (watch->efd >= 0)
        close(watch->efd);
    if (watch->ifd >= 0)
        close(watch->ifd);
    if (watch->mfd >= 0)
        close(watch->mfd);
    for (size_t i = 0; i < watch->root_count; i++)
        wm_free(watch->roots[i]);
    wm_free(watch->roots);
    wm_free(watch->inbox);
    for (size_t i = 0; i < watch->seen_count; i++)
        wm_free(watch->seen[i].path);
    wm_free(watch);
}

int content_watch_fd(const content_watch_t *watch)
{
    return watch->efd;
}

bool content_watch_wait(content_watch_t *watch, int timeout_ms)
{
    struct epoll_event ev[4];
    int n;

    if (watch->dirty)
        return true;
    do
        n = epoll_wait(watch->efd, ev, 4, timeout_ms);
    while (n < 0 && errno == EINTR);
    return n > 0;
}

bool content_watch_next(content_watch_t *watch, char *path, size_t size)
{
    drain(watch);
    if (watch->dirty) {
        watch->dirty = false;
        rescan(watch);
    }
    /* key updates first (pass 0), then bundles */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < watch->seen_count; i++) {
            watch_seen_t *s = &watch->seen[i];

            if (!s->present || s->reported || has_ext(s->path, CONTENT_KEYS_EXT) != (pass == 0))
                continue;
            s->reported = true;
            snprintf(path, size, "%s", s->path);
            return true;
        }
    }
    return false;
}

bool content_watch_in_inbox(const content_watch_t *watch, const char *path)
{
    size_t n = watch->inbox ? strlen(watch->inbox) : 0;

    return n && strncmp(path, watch->inbox, n) == 0 && path[n] == '/' && !strchr(path + n + 1, '/');
}

/* ---- static ------------------------------------------------------------- */

/* Reads what the descriptors have; any event means "look again". */
static void drain(content_watch_t *w)
{
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    struct pollfd pf;

    while (read(w->ifd, buf, sizeof(buf)) > 0)
        w->dirty = true;
    if (w->mfd >= 0) {
        pf.fd = w->mfd;
        pf.events = POLLPRI;
        pf.revents = 0;
        if (poll(&pf, 1, 0) > 0 && (pf.revents & (POLLPRI | POLLERR))) {
            /* re-read to re-arm the notification */
            lseek(w->mfd, 0, SEEK_SET);
            while (read(w->mfd, buf, sizeof(buf)) > 0)
                ;
            w->dirty = true;
        }
    }
}

static void rescan(content_watch_t *w)
{
    size_t kept = 0;

    for (size_t i = 0; i < w->seen_count; i++)
        w->seen[i].present = false;
    for (size_t i = 0; i < w->root_count; i++) {
        DIR *d;
        struct dirent *e;
        size_t subdirs = 0;

        inotify_add_watch(w->ifd, w->roots[i],
                          IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | IN_CLOSE_WRITE |
                              IN_ONLYDIR);
        scan_dir(w, w->roots[i]);
        if (!(d = opendir(w->roots[i])))
            continue;
        while ((e = readdir(d)) && subdirs < WATCH_SUBDIRS) {
            char sub[WATCH_PATH_MAX];
            struct stat sb;

            if (e->d_name[0] == '.')
                continue;
            snprintf(sub, sizeof(sub), "%s/%s", w->roots[i], e->d_name);
            if (stat(sub, &sb) != 0 || !S_ISDIR(sb.st_mode))
                continue;
            subdirs++;
            inotify_add_watch(w->ifd, sub,
                              IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | IN_CLOSE_WRITE |
                                  IN_ONLYDIR);
            scan_dir(w, sub);
        }
        closedir(d);
    }
    if (w->inbox) {
        inotify_add_watch(w->ifd, w->inbox,
                          IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM | IN_ONLYDIR);
        scan_dir(w, w->inbox);
    }
    /* forget what went away, so it counts as new when it comes back */
    for (size_t i = 0; i < w->seen_count; i++) {
        if (w->seen[i].present)
            w->seen[kept++] = w->seen[i];
        else
            wm_free(w->seen[i].path);
    }
    w->seen_count = kept;
}

static void scan_dir(content_watch_t *w, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    if (!d)
        return;
    while ((e = readdir(d))) {
        char path[WATCH_PATH_MAX];

        if (!is_update_name(e->d_name))
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        consider(w, path);
    }
    closedir(d);
}

static void consider(content_watch_t *w, const char *path)
{
    struct stat sb;
    watch_seen_t *s;

    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return;
    for (size_t i = 0; i < w->seen_count; i++) {
        s = &w->seen[i];
        if (strcmp(s->path, path) != 0)
            continue;
        if (s->dev != sb.st_dev || s->ino != sb.st_ino || s->size != sb.st_size ||
            s->mtime.tv_sec != sb.st_mtim.tv_sec || s->mtime.tv_nsec != sb.st_mtim.tv_nsec)
            s->reported = false; /* another file under the same name */
        s->dev = sb.st_dev;
        s->ino = sb.st_ino;
        s->size = sb.st_size;
        s->mtime = sb.st_mtim;
        s->present = true;
        return;
    }
    if (w->seen_count == WATCH_SEEN_MAX)
        return;
    s = &w->seen[w->seen_count];
    if (!(s->path = wm_strdup(path)))
        return;
    s->dev = sb.st_dev;
    s->ino = sb.st_ino;
    s->size = sb.st_size;
    s->mtime = sb.st_mtim;
    s->present = true;
    s->reported = false;
    w->seen_count++;
}

static bool is_update_name(const char *name)
{
    return name[0] != '.' && (has_ext(name, CONTENT_BUNDLE_EXT) || has_ext(name, CONTENT_KEYS_EXT));
}

/* name ends in ext, with something before it */
static bool has_ext(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);

    return n > e && strcmp(name + n - e, ext) == 0 && name[n - e - 1] != '/';
}
