/*
 * install_writer.c: the install's writing thread. While the reader thread
 * takes the bundle apart and hashes it, this one makes the folders, writes
 * the files and starts their writeback, so reading, hashing and writing
 * overlap (a booth has 4 cores). Jobs run in the order given, through the
 * install_io steps, so fault injection steps through them exactly as if
 * they ran inline; the first failure sticks and is reported by the next
 * call. A ring of WRITER_SLOTS buffers bounds the memory (2 MiB).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bundle_private.h"

#define WRITER_SLOTS      8
#define WRITER_SLOT_BYTES (256u << 10)

typedef enum {
    JOB_MKDIR,
    JOB_OPEN,
    JOB_DATA,
    JOB_CLOSE,
} job_kind_t;

typedef struct {
    job_kind_t kind;
    char *path; /* MKDIR, OPEN: owned */
    size_t len; /* DATA: bytes in the slot's buffer */
} job_t;

struct install_writer {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv_job, cv_free;
    job_t jobs[WRITER_SLOTS];
    uint8_t *bufs[WRITER_SLOTS];
    size_t head, count;
    bool stop;
    wm_status_t err;
    char msg[1024];
    int fd;
};

static void *writer_main(void *arg);
static wm_status_t writer_push(install_writer_t *w, job_kind_t kind, const char *path,
                               const void *buf, size_t len);
static wm_status_t writer_error(install_writer_t *w);
static void writer_fail(install_writer_t *w, const char *what, const char *path, int e);

wm_status_t install_writer_start(install_writer_t **out)
{
    install_writer_t *w = wm_calloc(1, sizeof(*w));

    if (!w)
        return wm_error(WM_ENOMEM, "install: out of memory");
    w->fd = -1;
    for (size_t i = 0; i < WRITER_SLOTS; i++) {
        if (!(w->bufs[i] = wm_malloc(WRITER_SLOT_BYTES))) {
            for (size_t j = 0; j < i; j++)
                wm_free(w->bufs[j]);
            wm_free(w);
            return wm_error(WM_ENOMEM, "install: out of memory");
        }
    }
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv_job, NULL);
    pthread_cond_init(&w->cv_free, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv_job);
        pthread_cond_destroy(&w->cv_free);
        for (size_t i = 0; i < WRITER_SLOTS; i++)
            wm_free(w->bufs[i]);
        wm_free(w);
        return wm_error(WM_ENOMEM, "install: cannot start the writing thread");
    }
    *out = w;
    return WM_OK;
}

wm_status_t install_writer_mkdir(install_writer_t *w, const char *path)
{
    return writer_push(w, JOB_MKDIR, path, NULL, 0);
}

wm_status_t install_writer_open(install_writer_t *w, const char *path)
{
    return writer_push(w, JOB_OPEN, path, NULL, 0);
}

wm_status_t install_writer_data(install_writer_t *w, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    wm_status_t st = WM_OK;

    while (len > 0 && st == WM_OK) {
        size_t n = len < WRITER_SLOT_BYTES ? len : WRITER_SLOT_BYTES;
        st = writer_push(w, JOB_DATA, NULL, p, n);
        p += n;
        len -= n;
    }
    return st;
}

wm_status_t install_writer_close(install_writer_t *w)
{
    return writer_push(w, JOB_CLOSE, NULL, NULL, 0);
}

wm_status_t install_writer_flush(install_writer_t *w)
{
    wm_status_t st;

    pthread_mutex_lock(&w->mu);
    while (w->count > 0)
        pthread_cond_wait(&w->cv_free, &w->mu);
    st = writer_error(w);
    pthread_mutex_unlock(&w->mu);
    return st;
}

void install_writer_stop(install_writer_t *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_signal(&w->cv_job);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    for (size_t i = 0; i < w->count; i++)
        wm_free(w->jobs[(w->head + i) % WRITER_SLOTS].path);
    if (w->fd >= 0)
        close(w->fd);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv_job);
    pthread_cond_destroy(&w->cv_free);
    for (size_t i = 0; i < WRITER_SLOTS; i++)
        wm_free(w->bufs[i]);
    wm_free(w);
}

/* ---- static ------------------------------------------------------------- */

static wm_status_t writer_push(install_writer_t *w, job_kind_t kind, const char *path,
                               const void *buf, size_t len)
{
    char *copy = NULL;
    size_t slot;
    wm_status_t st;

    if (path && !(copy = wm_strdup(path)))
        return wm_error(WM_ENOMEM, "install: out of memory");
    pthread_mutex_lock(&w->mu);
    while (w->count == WRITER_SLOTS && w->err == WM_OK)
        pthread_cond_wait(&w->cv_free, &w->mu);
    if ((st = writer_error(w)) != WM_OK) {
        pthread_mutex_unlock(&w->mu);
        wm_free(copy);
        return st;
    }
    slot = (w->head + w->count) % WRITER_SLOTS;
    w->jobs[slot] = (job_t){kind, copy, len};
    if (len)
        memcpy(w->bufs[slot], buf, len);
    w->count++;
    pthread_cond_signal(&w->cv_job);
    pthread_mutex_unlock(&w->mu);
    return WM_OK;
}

/* Called with the lock held: the sticky error, raised in this thread. */
static wm_status_t writer_error(install_writer_t *w)
{
    if (w->err == WM_OK)
        return WM_OK;
    return wm_error(w->err, "%s", w->msg);
}

static void writer_fail(install_writer_t *w, const char *what, const char *path, int e)
{
    pthread_mutex_lock(&w->mu);
    if (w->err == WM_OK) {
        w->err = WM_EIO;
        snprintf(w->msg, sizeof(w->msg), "%s: %s: %s", path ? path : "install", what, strerror(e));
    }
    pthread_cond_broadcast(&w->cv_free);
    pthread_mutex_unlock(&w->mu);
}

static void *writer_main(void *arg)
{
    install_writer_t *w = arg;

    for (;;) {
        job_t job;
        size_t slot;
        bool failed;

        pthread_mutex_lock(&w->mu);
        while (w->count == 0 && !w->stop)
            pthread_cond_wait(&w->cv_job, &w->mu);
        if (w->count == 0) {
            pthread_mutex_unlock(&w->mu);
            return NULL;
        }
        slot = w->head;
        job = w->jobs[slot];
        failed = w->err != WM_OK;
        pthread_mutex_unlock(&w->mu);
        if (!failed) {
            switch (job.kind) {
            case JOB_MKDIR:
                if (install_io_mkdir(job.path, 0755) != 0)
                    writer_fail(w, "cannot create", job.path, errno);
                break;
            case JOB_OPEN:
                w->fd = install_io_open(job.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
                if (w->fd < 0)
                    writer_fail(w, "cannot create", job.path, errno);
                break;
            case JOB_DATA:
                if (install_io_write(w->fd, w->bufs[slot], job.len) < 0)
                    writer_fail(w, "write failed", NULL, errno);
                break;
            case JOB_CLOSE:
                install_io_writeback(w->fd);
                close(w->fd);
                w->fd = -1;
                break;
            }
        }
        wm_free(job.path);
        pthread_mutex_lock(&w->mu);
        w->jobs[slot].path = NULL;
        w->head = (w->head + 1) % WRITER_SLOTS;
        w->count--;
        pthread_cond_broadcast(&w->cv_free);
        pthread_mutex_unlock(&w->mu);
    }
}
