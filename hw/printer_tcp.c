/*
 * printer_tcp.c: the `tcp://HOST:PORT` backend: network receipt printers
 * on the raw port 9100. Connect and each write are bounded by the URI's
 * timeout (?timeout=MS, default 2000). Most network printers answer
 * DLE EOT on the same connection.
 */
#define _DEFAULT_SOURCE /* CRTSCTS, B230400, SOCK_NONBLOCK */
#include "hw_private.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct {
    int fd;
    char name[HW_URI_PATH_MAX + 16];
} tcp_impl_t;

static wm_status_t tcp_open(const hw_uri_t *uri, void **impl);
static int connect_timeout(const struct addrinfo *ai, int timeout_ms, int *err);
static wm_status_t tcp_write(void *impl, const uint8_t *data, size_t len, int timeout_ms,
                             size_t *done);
static wm_status_t tcp_read(void *impl, uint8_t *buf, size_t cap, int timeout_ms, size_t *got);
static void tcp_close(void *impl);

const hw_printer_backend_t hw_backend_tcp = {
    "tcp", tcp_open, tcp_write, tcp_read, NULL, tcp_close,
};

static wm_status_t tcp_open(const hw_uri_t *uri, void **impl)
{
    struct addrinfo hints, *res = NULL, *ai;
    char port[8];
    tcp_impl_t *t;
    int rc, fd = -1, err = 0;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    snprintf(port, sizeof(port), "%d", uri->port);
    rc = getaddrinfo(uri->path, port, &hints, &res);
    if (rc != 0)
        return wm_error(WM_ENOENT, "printer: tcp://%s:%d: %s", uri->path, uri->port,
                        gai_strerror(rc));
    for (ai = res; ai && fd < 0; ai = ai->ai_next)
        fd = connect_timeout(ai, uri->timeout_ms, &err);
    freeaddrinfo(res);
    if (fd < 0)
        return wm_error(WM_EIO, "printer: tcp://%s:%d: cannot connect: %s", uri->path, uri->port,
                        err == ETIMEDOUT ? "timed out" : strerror(err));
    t = wm_calloc(1, sizeof(*t));
    if (!t) {
        close(fd);
        return wm_error(WM_ENOMEM, "printer: out of memory");
    }
    t->fd = fd;
    snprintf(t->name, sizeof(t->name), "tcp://%s:%d", uri->path, uri->port);
    *impl = t;
    return WM_OK;
}

/* A non-blocking connect bounded by timeout_ms; the socket or -1. */
static int connect_timeout(const struct addrinfo *ai, int timeout_ms, int *err)
{
    struct pollfd pfd;
    socklen_t len = sizeof(*err);
    int fd, one = 1, r;

    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
        *err = errno;
        return -1;
    }
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        if (errno != EINPROGRESS) {
            *err = errno;
            close(fd);
            return -1;
        }
        pfd.fd = fd;
        pfd.events = POLLOUT;
        do {
            r = poll(&pfd, 1, timeout_ms);
        } while (r < 0 && errno == EINTR);
        if (r <= 0) {
            *err = r == 0 ? ETIMEDOUT : errno;
            close(fd);
            return -1;
        }
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, err, &len) != 0 || *err != 0) {
            close(fd);
            return -1;
        }
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}

static wm_status_t tcp_write(void *impl, const uint8_t *data, size_t len, int timeout_ms,
                             size_t *done)
{
    tcp_impl_t *t = impl;

    return hw_fd_write(t->fd, data, len, timeout_ms, done, t->name);
}

static wm_status_t tcp_read(void *impl, uint8_t *buf, size_t cap, int timeout_ms, size_t *got)
{
    tcp_impl_t *t = impl;

    return hw_fd_read(t->fd, buf, cap, timeout_ms, got, t->name);
}

static void tcp_close(void *impl)
{
    tcp_impl_t *t = impl;

    if (!t)
        return;
    close(t->fd);
    wm_free(t);
}
