/*
 * printer_usblp.c: the `usblp:/dev/usb/lpN` backend, Linux's USB printer
 * class driver. Most USB receipt printers are bidirectional: DLE EOT
 * replies are read back from the same device. Unidirectional ones never
 * answer, so their status is "unknown" (never "ready"). The device node
 * must be writable by the booth's user (the lp group on Debian).
 */
#include "hw_private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    int fd;
    char path[HW_URI_PATH_MAX];
} usblp_impl_t;

static wm_status_t usblp_open(const hw_uri_t *uri, void **impl);
static wm_status_t usblp_write(void *impl, const uint8_t *data, size_t len, int timeout_ms,
                               size_t *done);
static wm_status_t usblp_read(void *impl, uint8_t *buf, size_t cap, int timeout_ms, size_t *got);
static void usblp_close(void *impl);

const hw_printer_backend_t hw_backend_usblp = {
    "usblp", usblp_open, usblp_write, usblp_read, NULL, usblp_close,
};

static wm_status_t usblp_open(const hw_uri_t *uri, void **impl)
{
    usblp_impl_t *u;
    struct stat sb;

    if (stat(uri->path, &sb) != 0)
        return wm_error(errno == ENOENT ? WM_ENOENT : WM_EIO, "printer: %s: %s", uri->path,
                        errno == ENOENT ? "no such device (is the printer plugged in?)"
                                        : strerror(errno));
    if (!S_ISCHR(sb.st_mode))
        return wm_error(WM_EINVAL, "printer: %s: not a character device", uri->path);
    u = wm_calloc(1, sizeof(*u));
    if (!u)
        return wm_error(WM_ENOMEM, "printer: out of memory");
    snprintf(u->path, sizeof(u->path), "%s", uri->path);
    u->fd = open(uri->path, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (u->fd < 0) {
        wm_status_t st =
            wm_error(WM_EIO, "printer: %s: cannot open: %s", uri->path, strerror(errno));
        wm_free(u);
        return st;
    }
    *impl = u;
    return WM_OK;
}

static wm_status_t usblp_write(void *impl, const uint8_t *data, size_t len, int timeout_ms,
                               size_t *done)
{
    usblp_impl_t *u = impl;

    return hw_fd_write(u->fd, data, len, timeout_ms, done, u->path);
}

static wm_status_t usblp_read(void *impl, uint8_t *buf, size_t cap, int timeout_ms, size_t *got)
{
    usblp_impl_t *u = impl;

    return hw_fd_read(u->fd, buf, cap, timeout_ms, got, u->path);
}

static void usblp_close(void *impl)
{
    usblp_impl_t *u = impl;

    if (!u)
        return;
    close(u->fd);
    wm_free(u);
}
