/*
 * printer.c: printers named by URI, the table of transport backends, and
 * the print path: status, ESC @, GS v 0 bands paced to the printer's
 * buffer, feed, cut, status.
 *
 * Pacing: a thermal printer takes bytes into a small buffer (about 4 KB on
 * cheap ones) and empties it at its print speed; flooded, many drop bytes.
 * The driver models that buffer (it drains at speed mm/s x 8 rows/mm x
 * row bytes) and, before each band, waits until the band fits. Bands are
 * half the buffer, so one prints while the next arrives.
 */
#include "hw_private.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HW_DEFAULT_BAUD    19200
#define HW_DEFAULT_PORT    9100
#define HW_DEFAULT_SPEED   80
#define HW_DEFAULT_BUFFER  4096
#define HW_DEFAULT_TIMEOUT 2000
#define HW_MAX_TIMEOUT     60000

struct hw_printer {
    const hw_printer_backend_t *backend;
    void *impl;
    hw_uri_t uri;
    hw_clock_t clock;
    wm_status_t io_status; /* of the last status query's failed I/O */
};

static const hw_printer_backend_t *const backends[] = {
    &hw_backend_sim, &hw_backend_file, &hw_backend_usblp, &hw_backend_serial, &hw_backend_tcp, NULL,
};

static const char *const state_names[HW_PRINTER_STATE_COUNT] = {
    "ready",   "paper_near_end", "paper_out",     "cover_open",
    "offline", "error",          "not_connected", "unknown",
};

static const char *const state_texts[HW_PRINTER_STATE_COUNT] = {
    "ready",   "paper near end", "paper out",     "cover open",
    "offline", "error",          "not connected", "unknown (no reply)",
};

#ifdef WAYMARK_FAULT_INJECTION
static long io_countdown = -1;
static long io_count;
#endif

static wm_status_t parse_query(const char *uri, const char *q, hw_uri_t *u);
static wm_status_t parse_int(const char *uri, const char *key, const char *v, long lo, long hi,
                             long *out);
static hw_printer_state_t status_dle_eot(hw_printer_t *p, hw_escpos_replies_t *raw);
static int ask(hw_printer_t *p, uint8_t n);
static uint64_t real_now_ms(void *ctx);
static void real_sleep_ms(void *ctx, int ms);

const char *hw_printer_state_name(hw_printer_state_t state)
{
    return (unsigned)state < HW_PRINTER_STATE_COUNT ? state_names[state] : "unknown";
}

const char *hw_printer_state_text(hw_printer_state_t state)
{
    return (unsigned)state < HW_PRINTER_STATE_COUNT ? state_texts[state] : "unknown";
}

wm_status_t hw_printer_state_parse(const char *name, hw_printer_state_t *out)
{
    for (int i = 0; i < HW_PRINTER_STATE_COUNT; i++) {
        if (strcmp(name, state_names[i]) == 0) {
            *out = (hw_printer_state_t)i;
            return WM_OK;
        }
    }
    return wm_error(WM_EINVAL, "unknown printer state '%s'", name);
}

bool hw_printer_state_can_print(hw_printer_state_t state)
{
    return state == HW_PRINTER_READY || state == HW_PRINTER_PAPER_NEAR_END;
}

const hw_printer_backend_t *const *hw_printer_backends(void)
{
    return backends;
}

const hw_printer_backend_t *hw_printer_backend_find(const char *name)
{
    for (size_t i = 0; backends[i]; i++) {
        if (strcmp(backends[i]->name, name) == 0)
            return backends[i];
    }
    return NULL;
}

wm_status_t hw_uri_parse(const char *uri, hw_uri_t *out)
{
    static const char expected[] = "expected sim:, file:PATH, usblp:/dev/usb/lpN, "
                                   "serial:/dev/DEVICE?baud=N or tcp://HOST:PORT";
    hw_uri_t u;
    const char *colon, *rest, *q;
    size_t slen, plen;

    memset(&u, 0, sizeof(u));
    u.port = HW_DEFAULT_PORT;
    u.baud = HW_DEFAULT_BAUD;
    u.speed_mm_s = HW_DEFAULT_SPEED;
    u.buffer = HW_DEFAULT_BUFFER;
    u.timeout_ms = HW_DEFAULT_TIMEOUT;
    u.sim_state = HW_PRINTER_READY;
    u.sim_paper_dots = HW_DOTS_80MM;
    if (!uri || !*uri)
        return wm_error(WM_EINVAL, "printer: empty URI (%s)", expected);
    if (!wm_utf8_valid(uri, strlen(uri)) || strlen(uri) >= sizeof(u.path))
        return wm_error(WM_EINVAL, "printer: URI too long or not UTF-8 (%s)", expected);
    colon = strchr(uri, ':');
    if (!colon)
        return wm_error(WM_EINVAL, "printer: '%s' has no scheme (%s)", uri, expected);
    slen = (size_t)(colon - uri);
    if (slen == 0 || slen >= sizeof(u.scheme))
        return wm_error(WM_EINVAL, "printer: '%s': bad scheme (%s)", uri, expected);
    memcpy(u.scheme, uri, slen);
    if (!hw_printer_backend_find(u.scheme))
        return wm_error(WM_EINVAL, "printer: '%s': unknown scheme '%s' (%s)", uri, u.scheme,
                        expected);
    rest = colon + 1;
    q = strchr(rest, '?');
    plen = q ? (size_t)(q - rest) : strlen(rest);

    if (strcmp(u.scheme, "tcp") == 0) {
        const char *host, *pc;
        size_t hlen;
        if (strncmp(rest, "//", 2) != 0)
            return wm_error(WM_EINVAL, "printer: '%s': expected tcp://HOST:PORT", uri);
        host = rest + 2;
        plen -= 2;
        pc = memchr(host, ':', plen);
        hlen = pc ? (size_t)(pc - host) : plen;
        if (hlen == 0)
            return wm_error(WM_EINVAL, "printer: '%s': missing host (tcp://HOST:PORT)", uri);
        if (memchr(host, '/', plen))
            return wm_error(WM_EINVAL, "printer: '%s': no path after tcp://HOST:PORT", uri);
        memcpy(u.path, host, hlen);
        if (pc) {
            char port[16];
            long v = 0;
            size_t n = plen - hlen - 1;
            if (n == 0 || n >= sizeof(port))
                return wm_error(WM_EINVAL, "printer: '%s': bad port (1 to 65535)", uri);
            memcpy(port, pc + 1, n);
            port[n] = '\0';
            if (parse_int(uri, "port", port, 1, 65535, &v) != WM_OK)
                return WM_EINVAL;
            u.port = (int)v;
        }
    } else if (strcmp(u.scheme, "sim") == 0) {
        if (plen != 0)
            return wm_error(WM_EINVAL, "printer: '%s': sim takes no path (sim: or sim:?state=...)",
                            uri);
    } else {
        if (plen == 0)
            return wm_error(WM_EINVAL, "printer: '%s': missing path (%s:PATH)", uri, u.scheme);
        if (strcmp(u.scheme, "file") != 0 && rest[0] != '/')
            return wm_error(WM_EINVAL, "printer: '%s': the device must be an absolute path", uri);
        memcpy(u.path, rest, plen);
    }
    if (q && parse_query(uri, q + 1, &u) != WM_OK)
        return WM_EINVAL;
    *out = u;
    return WM_OK;
}

wm_status_t hw_printer_open(const char *uri, hw_printer_t **out)
{
    hw_printer_t *p;
    hw_uri_t u;
    wm_status_t st;

    st = hw_uri_parse(uri, &u);
    if (st != WM_OK)
        return st;
    p = wm_calloc(1, sizeof(*p));
    if (!p)
        return wm_error(WM_ENOMEM, "printer: out of memory");
    p->uri = u;
    p->backend = hw_printer_backend_find(u.scheme);
    hw_printer_set_clock(p, NULL);
    st = p->backend->open(&p->uri, &p->impl);
    if (st != WM_OK) {
        wm_free(p);
        return st;
    }
    *out = p;
    return WM_OK;
}

void hw_printer_close(hw_printer_t *printer)
{
    if (!printer)
        return;
    printer->backend->close(printer->impl);
    wm_free(printer);
}

const char *hw_printer_backend(const hw_printer_t *printer)
{
    return printer->backend->name;
}

const hw_uri_t *hw_printer_uri(const hw_printer_t *printer)
{
    return &printer->uri;
}

void hw_printer_set_sim_sink(hw_printer_t *printer, hw_sim_job_fn fn, void *ctx)
{
    if (printer->backend == &hw_backend_sim)
        hw_sim_backend_set_sink(printer->impl, fn, ctx);
}

void hw_printer_set_clock(hw_printer_t *printer, const hw_clock_t *clock)
{
    if (clock) {
        printer->clock = *clock;
        return;
    }
    printer->clock.now_ms = real_now_ms;
    printer->clock.sleep_ms = real_sleep_ms;
    printer->clock.ctx = NULL;
}

wm_status_t hw_printer_write(hw_printer_t *p, const uint8_t *data, size_t len)
{
    size_t off = 0;

    while (off < len) {
        size_t done = 0;
        wm_status_t st =
            p->backend->write(p->impl, data + off, len - off, p->uri.timeout_ms, &done);
        if (st != WM_OK)
            return st;
        if (done == 0)
            return wm_error(WM_EIO,
                            "printer: %s: write timed out after %d ms (%zu of %zu bytes sent)",
                            p->backend->name, p->uri.timeout_ms, off, len);
        off += done;
    }
    return WM_OK;
}

hw_printer_state_t hw_printer_status(hw_printer_t *p, hw_escpos_replies_t *raw)
{
    hw_escpos_replies_t r = {HW_ESCPOS_NO_REPLY, HW_ESCPOS_NO_REPLY, HW_ESCPOS_NO_REPLY};
    hw_printer_state_t s;

    p->io_status = WM_OK;
    if (p->backend->status)
        s = p->backend->status(p->impl, &r);
    else
        s = status_dle_eot(p, &r);
    if (raw)
        *raw = r;
    return s;
}

wm_status_t hw_printer_print(hw_printer_t *p, const hw_bitmap_t *bm, int feed_lines,
                             bool partial_cut, hw_print_result_t *result)
{
    hw_print_result_t res;
    hw_bytes_t buf = {0};
    wm_status_t st = WM_OK;
    int max_width = p->backend == &hw_backend_sim ? p->uri.sim_paper_dots : HW_DOTS_80MM;
    int band, y;
    size_t row_bytes;
    double rate, level = 0; /* bytes a ms the printer prints; bytes it holds */
    uint64_t t_last;

    memset(&res, 0, sizeof(res));
    res.before = res.after = HW_PRINTER_UNKNOWN;
    if (!bm || bm->width <= 0 || bm->height <= 0 || bm->width > max_width ||
        bm->stride < (bm->width + 7) / 8) {
        st = wm_error(WM_EINVAL, "printer: bitmap %dx%d does not fit the paper (%d dots)",
                      bm ? bm->width : 0, bm ? bm->height : 0, max_width);
        goto done;
    }
    res.before = hw_printer_status(p, NULL);
    if (p->io_status == WM_ENOMEM) {
        st = wm_error(WM_ENOMEM, "printer: out of memory");
        goto done;
    }
    if (!hw_printer_state_can_print(res.before) && res.before != HW_PRINTER_UNKNOWN) {
        res.after = res.before;
        st = wm_error(WM_ESTATE, "printer: %s: not printing: %s", p->backend->name,
                      hw_printer_state_text(res.before));
        goto done;
    }
    row_bytes = (size_t)(bm->width + 7) / 8;
    band = hw_escpos_band_rows(bm->width, p->uri.buffer / 2);
    rate = p->uri.speed_mm_s * (double)HW_DOTS_PER_MM * (double)row_bytes / 1000.0;

    st = hw_escpos_init(&buf);
    if (st == WM_OK)
        st = hw_printer_write(p, buf.data, buf.len);
    res.bytes += st == WM_OK ? buf.len : 0;
    t_last = p->clock.now_ms(p->clock.ctx);
    for (y = 0; st == WM_OK && y < bm->height; y += band) {
        int rows = bm->height - y < band ? bm->height - y : band;
        buf.len = 0;
        st = hw_escpos_raster(&buf, bm, y, rows);
        if (st != WM_OK)
            break;
        if (rate > 0) {
            uint64_t now = p->clock.now_ms(p->clock.ctx);
            level -= (double)(now - t_last) * rate;
            if (level < 0)
                level = 0;
            if (level + (double)buf.len > (double)p->uri.buffer) {
                double need = (level + (double)buf.len - (double)p->uri.buffer) / rate;
                int ms = (int)need + 1;
                p->clock.sleep_ms(p->clock.ctx, ms);
                res.waits++;
                level -= ms * rate;
                if (level < 0)
                    level = 0;
            }
            t_last = p->clock.now_ms(p->clock.ctx);
        }
        st = hw_printer_write(p, buf.data, buf.len);
        if (st != WM_OK)
            break;
        level += (double)buf.len;
        res.bytes += buf.len;
        res.bands++;
    }
    if (st == WM_OK) {
        buf.len = 0;
        st = hw_escpos_feed_lines(&buf, feed_lines);
        if (st == WM_OK)
            st = hw_escpos_cut(&buf, partial_cut);
        if (st == WM_OK)
            st = hw_printer_write(p, buf.data, buf.len);
        if (st == WM_OK)
            res.bytes += buf.len;
    }
    if (st != WM_OK) {
        char why[512];
        snprintf(why, sizeof(why), "%s", wm_last_error());
        res.after = hw_printer_status(p, NULL);
        st = wm_error(st, "%s", why);
        goto done;
    }
    res.sent = true;
    /* the printer takes a moment to print what it holds: wait for the
     * buffer to drain before asking how the job went */
    if (rate > 0 && level > 0)
        p->clock.sleep_ms(p->clock.ctx, (int)(level / rate) + 1);
    res.after = hw_printer_status(p, NULL);
    if (!hw_printer_state_can_print(res.after) && res.after != HW_PRINTER_UNKNOWN) {
        st = wm_error(WM_EIO, "printer: %s: the job failed: %s", p->backend->name,
                      hw_printer_state_text(res.after));
        goto done;
    }
    res.printed = res.after != HW_PRINTER_UNKNOWN;
done:
    hw_bytes_free(&buf);
    if (result)
        *result = res;
    return st;
}

void hw_fault_io_after(long countdown)
{
#ifdef WAYMARK_FAULT_INJECTION
    io_countdown = countdown;
    io_count = 0;
#else
    (void)countdown;
#endif
}

void hw_fault_reset(void)
{
    hw_fault_io_after(-1);
}

long hw_fault_io_count(void)
{
#ifdef WAYMARK_FAULT_INJECTION
    return io_count;
#else
    return 0;
#endif
}

bool hw_fault_io_hit(void)
{
#ifdef WAYMARK_FAULT_INJECTION
    if (io_countdown == 0)
        return true;
    io_count++;
    if (io_countdown > 0)
        io_countdown--;
#endif
    return false;
}

/* Waits up to timeout_ms for fd to be ready for events; *ready false when
 * the time ran out. */
static wm_status_t fd_wait(int fd, short events, int timeout_ms, const char *what,
                           struct pollfd *pfd, bool *ready)
{
    int r;

    pfd->fd = fd;
    pfd->events = events;
    pfd->revents = 0;
    do {
        r = poll(pfd, 1, timeout_ms);
    } while (r < 0 && errno == EINTR);
    *ready = r > 0;
    if (r < 0)
        return wm_error(WM_EIO, "printer: %s: %s", what, strerror(errno));
    return WM_OK;
}

wm_status_t hw_fd_write(int fd, const uint8_t *data, size_t len, int timeout_ms, size_t *done,
                        const char *what)
{
    struct pollfd pfd;
    ssize_t n;
    bool ready;

    *done = 0;
    if (fd_wait(fd, POLLOUT, timeout_ms, what, &pfd, &ready) != WM_OK)
        return WM_EIO;
    if (!ready)
        return WM_OK;
    if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL) && !(pfd.revents & POLLOUT))
        return wm_error(WM_EIO, "printer: %s: the connection is gone", what);
    if (hw_fault_io_hit())
        return wm_error(WM_EIO, "printer: %s: write failed: %s (injected)", what, strerror(EIO));
    /* send() so a printer that hangs up is EPIPE, not SIGPIPE */
    do {
        n = send(fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && errno == ENOTSOCK)
            n = write(fd, data, len);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return WM_OK;
    if (n < 0)
        return wm_error(WM_EIO, "printer: %s: write failed: %s", what, strerror(errno));
    *done = (size_t)n;
    return WM_OK;
}

wm_status_t hw_fd_read(int fd, uint8_t *buf, size_t cap, int timeout_ms, size_t *got,
                       const char *what)
{
    struct pollfd pfd;
    ssize_t n;
    bool ready;

    *got = 0;
    if (fd_wait(fd, POLLIN, timeout_ms, what, &pfd, &ready) != WM_OK)
        return WM_EIO;
    if (!ready)
        return WM_OK;
    if (hw_fault_io_hit())
        return wm_error(WM_EIO, "printer: %s: read failed: %s (injected)", what, strerror(EIO));
    do {
        n = read(fd, buf, cap);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return WM_OK;
    if (n < 0)
        return wm_error(WM_EIO, "printer: %s: read failed: %s", what, strerror(errno));
    if (n == 0)
        return wm_error(WM_EIO, "printer: %s closed the connection", what);
    *got = (size_t)n;
    return WM_OK;
}

static wm_status_t parse_query(const char *uri, const char *q, hw_uri_t *u)
{
    bool sim = strcmp(u->scheme, "sim") == 0, serial = strcmp(u->scheme, "serial") == 0;

    while (*q) {
        char key[32], val[64];
        const char *amp = strchr(q, '&'), *eq;
        size_t len = amp ? (size_t)(amp - q) : strlen(q), klen, vlen;
        long v = 0;

        eq = memchr(q, '=', len);
        if (!eq)
            return wm_error(WM_EINVAL, "printer: '%s': expected KEY=VALUE after '?'", uri);
        klen = (size_t)(eq - q);
        vlen = len - klen - 1;
        if (klen == 0 || klen >= sizeof(key) || vlen == 0 || vlen >= sizeof(val))
            return wm_error(WM_EINVAL, "printer: '%s': bad option '%.*s'", uri, (int)len, q);
        memcpy(key, q, klen);
        key[klen] = '\0';
        memcpy(val, eq + 1, vlen);
        val[vlen] = '\0';
        q = amp ? amp + 1 : q + len;

        if (strcmp(key, "speed") == 0) {
            if (parse_int(uri, key, val, 0, 1000, &v) != WM_OK)
                return WM_EINVAL;
            u->speed_mm_s = (int)v;
        } else if (strcmp(key, "buffer") == 0) {
            if (parse_int(uri, key, val, 256, 1 << 24, &v) != WM_OK)
                return WM_EINVAL;
            u->buffer = (size_t)v;
        } else if (strcmp(key, "timeout") == 0) {
            if (parse_int(uri, key, val, 1, HW_MAX_TIMEOUT, &v) != WM_OK)
                return WM_EINVAL;
            u->timeout_ms = (int)v;
        } else if (serial && strcmp(key, "baud") == 0) {
            static const long bauds[] = {1200,  2400,  4800,   9600,  19200,
                                         38400, 57600, 115200, 230400};
            size_t i;
            if (parse_int(uri, key, val, 1, 230400, &v) != WM_OK)
                return WM_EINVAL;
            for (i = 0; i < sizeof(bauds) / sizeof(bauds[0]) && bauds[i] != v; i++)
                ;
            if (i == sizeof(bauds) / sizeof(bauds[0]))
                return wm_error(WM_EINVAL,
                                "printer: '%s': baud %ld not supported (1200 to 230400, a "
                                "standard rate)",
                                uri, v);
            u->baud = (int)v;
        } else if (serial && strcmp(key, "flow") == 0) {
            if (strcmp(val, "none") == 0)
                u->flow = HW_FLOW_NONE;
            else if (strcmp(val, "rtscts") == 0)
                u->flow = HW_FLOW_RTSCTS;
            else if (strcmp(val, "xonxoff") == 0)
                u->flow = HW_FLOW_XONXOFF;
            else
                return wm_error(WM_EINVAL, "printer: '%s': flow must be none, rtscts or xonxoff",
                                uri);
        } else if (sim && strcmp(key, "state") == 0) {
            if (hw_printer_state_parse(val, &u->sim_state) != WM_OK ||
                u->sim_state == HW_PRINTER_NOT_CONNECTED || u->sim_state == HW_PRINTER_UNKNOWN)
                return wm_error(WM_EINVAL,
                                "printer: '%s': state must be ready, paper_near_end, paper_out, "
                                "cover_open, offline or error",
                                uri);
        } else if (sim && strcmp(key, "paper") == 0) {
            if (strcmp(val, "58") == 0)
                u->sim_paper_dots = HW_DOTS_58MM;
            else if (strcmp(val, "80") == 0)
                u->sim_paper_dots = HW_DOTS_80MM;
            else
                return wm_error(WM_EINVAL, "printer: '%s': paper must be 58 or 80 (mm)", uri);
        } else if (sim && strcmp(key, "paper_out_after") == 0) {
            if (parse_int(uri, key, val, 1, INT_MAX, &v) != WM_OK)
                return WM_EINVAL;
            u->sim_paper_out_after_rows = (int)v;
        } else if (sim && strcmp(key, "reply") == 0) {
            if (strcmp(val, "none") == 0)
                u->sim_no_reply = true;
            else if (strcmp(val, "garbage") == 0)
                u->sim_garbage = true;
            else
                return wm_error(WM_EINVAL, "printer: '%s': reply must be none or garbage", uri);
        } else {
            return wm_error(WM_EINVAL, "printer: '%s': unknown option '%s' for %s:", uri, key,
                            u->scheme);
        }
    }
    return WM_OK;
}

static wm_status_t parse_int(const char *uri, const char *key, const char *v, long lo, long hi,
                             long *out)
{
    char *end;
    long n;

    errno = 0;
    if (!(*v >= '0' && *v <= '9'))
        goto bad;
    n = strtol(v, &end, 10);
    if (*end || errno || n < lo || n > hi)
        goto bad;
    *out = n;
    return WM_OK;
bad:
    return wm_error(WM_EINVAL, "printer: '%s': %s must be a whole number from %ld to %ld", uri, key,
                    lo, hi);
}

/* DLE EOT 1, 2, 4, one byte each; a printer that does not answer the
 * first is not asked the others (unknown either way). */
static hw_printer_state_t status_dle_eot(hw_printer_t *p, hw_escpos_replies_t *raw)
{
    raw->printer = ask(p, 1);
    if (raw->printer == -2)
        return HW_PRINTER_NOT_CONNECTED;
    if (raw->printer >= 0) {
        raw->offline = ask(p, 2);
        raw->paper = raw->offline == -2 ? -2 : ask(p, 4);
        if (raw->offline == -2 || raw->paper == -2) {
            raw->offline = raw->paper = HW_ESCPOS_NO_REPLY;
            return HW_PRINTER_NOT_CONNECTED;
        }
    }
    return hw_escpos_status_decode(raw);
}

/* One DLE EOT n: the reply byte, HW_ESCPOS_NO_REPLY, or -2 when the
 * transport failed (gone). Stale bytes are drained first. */
static int ask(hw_printer_t *p, uint8_t n)
{
    uint8_t q[3] = {0x10, 0x04, n}, b[16];
    size_t got;
    int i;

    for (i = 0; i < 8; i++) {
        if ((p->io_status = p->backend->read(p->impl, b, sizeof(b), 0, &got)) != WM_OK)
            return -2;
        if (got == 0)
            break;
    }
    if ((p->io_status = hw_printer_write(p, q, sizeof(q))) != WM_OK)
        return -2;
    if ((p->io_status = p->backend->read(p->impl, b, 1, p->uri.timeout_ms, &got)) != WM_OK)
        return -2;
    return got ? b[0] : HW_ESCPOS_NO_REPLY;
}

static uint64_t real_now_ms(void *ctx)
{
    struct timespec ts;

    (void)ctx;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void real_sleep_ms(void *ctx, int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

    (void)ctx;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}
