/*
 * printer_file.c: the `file:PATH` backend. The job's ESC/POS bytes are
 * appended to PATH (a file, or a device such as /dev/usb/lp0 when nothing
 * else is wanted). Write-only: a file has no paper, so its status is
 * "ready" while it is open. For tests, and for printers reached through
 * another program (a FIFO that something reads).
 */
#include "hw_private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    int fd;
    char path[HW_URI_PATH_MAX];
} file_impl_t;

static wm_status_t file_open(const hw_uri_t *uri, void **impl);
static wm_status_t file_write(void *impl, const uint8_t *data, size_t len, int timeout_ms,
                              size_t *done);
static wm_status_t file_read(void *impl, uint8_t *buf, size_t cap, int timeout_ms, size_t *got);
static hw_printer_state_t file_status(void *impl, hw_escpos_replies_t *raw);
static void file_close(void *impl);

const hw_printer_backend_t hw_backend_file = {
    "file", file_open, file_write, file_read, file_status, file_close,
};

static wm_status_t file_open(const hw_uri_t *uri, void **impl)
{
    file_impl_t *f = wm_calloc(1, sizeof(*f));

    if (!f)
        return wm_error(WM_ENOMEM, "printer: out of memory");
    snprintf(f->path, sizeof(f->path), "%s", uri->path);
    f->fd = open(uri->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NONBLOCK, 0644);
    if (f->fd < 0) {
        wm_status_t st = wm_error(errno == ENOENT ? WM_ENOENT : WM_EIO,
                                  "printer: %s: cannot open: %s", uri->path, strerror(errno));
        wm_free(f);
        return st;
    }
    *impl = f;
    return WM_OK;
}

static wm_status_t file_write(void *impl, const uint8_t *data, size_t len, int timeout_ms,
                              size_t *done)
{
    file_impl_t *f = impl;

    return hw_fd_write(f->fd, data, len, timeout_ms, done, f->path);
}

static wm_status_t file_read(void *impl, uint8_t *buf, size_t cap, int timeout_ms, size_t *got)
{
    (void)impl, (void)buf, (void)cap, (void)timeout_ms;
    *got = 0;
    return WM_OK;
}

static hw_printer_state_t file_status(void *impl, hw_escpos_replies_t *raw)
{
    (void)raw;
    return ((file_impl_t *)impl)->fd >= 0 ? HW_PRINTER_READY : HW_PRINTER_NOT_CONNECTED;
}

static void file_close(void *impl)
{
    file_impl_t *f = impl;

    if (!f)
        return;
    if (f->fd >= 0)
        close(f->fd);
    wm_free(f);
}
