/*
 * printer_serial.c: the `serial:/dev/DEVICE?baud=N&flow=none|rtscts|xonxoff`
 * backend: RS-232 and TTL printers (the GPIO UART of a Raspberry Pi is
 * /dev/serial0), USB-serial adapters, and pseudo-terminals (the emulator,
 * `waymark printer-sim --pty`). Raw 8N1 at the given rate (default
 * 19200); with XON/XOFF the printer's own flow control bytes are handled
 * by the kernel.
 */
#define _DEFAULT_SOURCE /* CRTSCTS, B230400, SOCK_NONBLOCK */
#include "hw_private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

typedef struct {
    int fd;
    char path[HW_URI_PATH_MAX];
} serial_impl_t;

static wm_status_t serial_open(const hw_uri_t *uri, void **impl);
static wm_status_t serial_write(void *impl, const uint8_t *data, size_t len, int timeout_ms,
                                size_t *done);
static wm_status_t serial_read(void *impl, uint8_t *buf, size_t cap, int timeout_ms, size_t *got);
static void serial_close(void *impl);
static speed_t baud_constant(int baud);

const hw_printer_backend_t hw_backend_serial = {
    "serial", serial_open, serial_write, serial_read, NULL, serial_close,
};

static wm_status_t serial_open(const hw_uri_t *uri, void **impl)
{
    serial_impl_t *s;
    struct termios tio;
    speed_t speed = baud_constant(uri->baud);
    wm_status_t st;

    s = wm_calloc(1, sizeof(*s));
    if (!s)
        return wm_error(WM_ENOMEM, "printer: out of memory");
    snprintf(s->path, sizeof(s->path), "%s", uri->path);
    s->fd = open(uri->path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (s->fd < 0) {
        st = wm_error(errno == ENOENT ? WM_ENOENT : WM_EIO, "printer: %s: cannot open: %s",
                      uri->path, strerror(errno));
        wm_free(s);
        return st;
    }
    if (tcgetattr(s->fd, &tio) != 0) {
        st = wm_error(WM_EIO, "printer: %s: not a serial port: %s", uri->path, strerror(errno));
        goto fail;
    }
    /* raw 8N1: no echo, no line editing, no translation of CR or NL */
    tio.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON |
                               IXOFF | IXANY);
    tio.c_oflag &= ~(tcflag_t)OPOST;
    tio.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    tio.c_cflag &= ~(tcflag_t)(CSIZE | PARENB | CSTOPB | CRTSCTS);
    tio.c_cflag |= CS8 | CREAD | CLOCAL;
    if (uri->flow == HW_FLOW_RTSCTS)
        tio.c_cflag |= CRTSCTS;
    if (uri->flow == HW_FLOW_XONXOFF)
        tio.c_iflag |= IXON | IXOFF;
    tio.c_cc[VMIN] = 0;
    tio.c_cc[VTIME] = 0;
    if (cfsetispeed(&tio, speed) != 0 || cfsetospeed(&tio, speed) != 0 ||
        tcsetattr(s->fd, TCSANOW, &tio) != 0) {
        st = wm_error(WM_EIO, "printer: %s: cannot set %d baud: %s", uri->path, uri->baud,
                      strerror(errno));
        goto fail;
    }
    tcflush(s->fd, TCIOFLUSH); /* nothing left from an earlier session */
    *impl = s;
    return WM_OK;
fail:
    close(s->fd);
    wm_free(s);
    return st;
}

static wm_status_t serial_write(void *impl, const uint8_t *data, size_t len, int timeout_ms,
                                size_t *done)
{
    serial_impl_t *s = impl;

    return hw_fd_write(s->fd, data, len, timeout_ms, done, s->path);
}

static wm_status_t serial_read(void *impl, uint8_t *buf, size_t cap, int timeout_ms, size_t *got)
{
    serial_impl_t *s = impl;

    return hw_fd_read(s->fd, buf, cap, timeout_ms, got, s->path);
}

static void serial_close(void *impl)
{
    serial_impl_t *s = impl;

    if (!s)
        return;
    close(s->fd);
    wm_free(s);
}

static speed_t baud_constant(int baud)
{
    switch (baud) {
    case 1200:
        return B1200;
    case 2400:
        return B2400;
    case 4800:
        return B4800;
    case 9600:
        return B9600;
    case 38400:
        return B38400;
    case 57600:
        return B57600;
    case 115200:
        return B115200;
    case 230400:
        return B230400;
    default:
        return B19200;
    }
}
