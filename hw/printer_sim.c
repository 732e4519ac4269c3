/*
 * printer_sim.c: an ESC/POS receipt printer in memory, and the `sim:`
 * backend built on it (always compiled, like SDL's dummy video driver).
 *
 * The emulator parses strictly: ESC @, ESC d n, ESC J n, LF, GS v 0 (mode
 * 0, at most the paper's width, 1 to 4095 rows), GS V m [n] and DLE EOT n
 * (n = 1..4). Anything else is rejected: the emulator says where and why,
 * reports an error in its status and ignores bytes until the next ESC @.
 * A job runs from its first row to the cut; finished jobs go to a
 * callback as a bitmap as wide as the paper. Faults: a starting state
 * (paper out, cover open, ...), paper that ends after N rows (mid-job),
 * no reply, garbage replies. What the transport does to bytes (slow or
 * partial reads, disconnects) is `waymark printer-sim`'s business.
 *
 * sim: URI options: ?state=NAME&paper=58|80&paper_out_after=ROWS&
 * reply=none|garbage. Its jobs go to hw_printer_set_sim_sink()'s function,
 * else nowhere (nothing is kept).
 */
#include "hw_private.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SIM_FEED_LINE_DOTS 30 /* default line spacing of ESC/POS printers */
#define SIM_MAX_BAND_ROWS  4095
#define SIM_MAX_JOB_ROWS   32768 /* 4 m of paper: a job longer than this is a bug */

struct hw_sim {
    int width, row_bytes;
    hw_sim_job_fn fn;
    void *ctx;
    hw_sim_faults_t faults;
    bool rejected; /* a malformed command came: ignore until ESC @ */
    char error[256];
    uint8_t *pend;
    size_t pend_len, pend_cap;
    size_t offset; /* stream offset of pend[0] */
    uint8_t *page;
    size_t page_cap;
    bool in_job, dropped;
    size_t rows_total; /* rows printed since power-on (paper_out_after) */
    uint8_t reply[64];
    size_t reply_len;
    hw_sim_stats_t stats;
};

typedef struct {
    hw_sim_t *sim;
    hw_sim_job_fn fn;
    void *ctx;
} sim_impl_t;

static size_t parse_one(hw_sim_t *s, const uint8_t *p, size_t n, wm_status_t *st);
static wm_status_t reject(hw_sim_t *s, size_t at, const char *fmt, ...) WM_PRINTF(3, 4);
static wm_status_t add_rows(hw_sim_t *s, const uint8_t *data, int xbytes, int rows);
static void cut(hw_sim_t *s);
static void drop_job(hw_sim_t *s);
static void answer(hw_sim_t *s, int n);
static void push_reply(hw_sim_t *s, uint8_t b);
static bool printing_stopped(const hw_sim_t *s);
static void forward_job(void *ctx, const hw_bitmap_t *job);
static wm_status_t sim_open(const hw_uri_t *uri, void **impl);
static wm_status_t sim_write(void *impl, const uint8_t *data, size_t len, int timeout_ms,
                             size_t *done);
static wm_status_t sim_read(void *impl, uint8_t *buf, size_t cap, int timeout_ms, size_t *got);
static void sim_close(void *impl);

const hw_printer_backend_t hw_backend_sim = {
    "sim", sim_open, sim_write, sim_read, NULL, sim_close,
};

wm_status_t hw_sim_create(int width, hw_sim_job_fn fn, void *ctx, hw_sim_t **out)
{
    hw_sim_t *s;

    if (width != HW_DOTS_58MM && width != HW_DOTS_80MM)
        return wm_error(WM_EINVAL, "printer-sim: paper of %d dots (384 or 576)", width);
    s = wm_calloc(1, sizeof(*s));
    if (!s)
        return wm_error(WM_ENOMEM, "printer-sim: out of memory");
    s->width = width;
    s->row_bytes = width / 8;
    s->fn = fn;
    s->ctx = ctx;
    s->faults.state = HW_PRINTER_READY;
    *out = s;
    return WM_OK;
}

void hw_sim_destroy(hw_sim_t *sim)
{
    if (!sim)
        return;
    wm_free(sim->pend);
    wm_free(sim->page);
    wm_free(sim);
}

void hw_sim_set_faults(hw_sim_t *sim, const hw_sim_faults_t *faults)
{
    sim->faults = *faults;
}

hw_printer_state_t hw_sim_state(const hw_sim_t *sim)
{
    return sim->rejected ? HW_PRINTER_ERROR : sim->faults.state;
}

void hw_sim_stats(const hw_sim_t *sim, hw_sim_stats_t *out)
{
    *out = sim->stats;
}

const char *hw_sim_error(const hw_sim_t *sim)
{
    return sim->error;
}

size_t hw_sim_take_reply(hw_sim_t *sim, uint8_t *buf, size_t cap)
{
    size_t n = sim->reply_len < cap ? sim->reply_len : cap;

    memcpy(buf, sim->reply, n);
    memmove(sim->reply, sim->reply + n, sim->reply_len - n);
    sim->reply_len -= n;
    return n;
}

wm_status_t hw_sim_feed(hw_sim_t *s, const uint8_t *data, size_t len)
{
    wm_status_t st = WM_OK, one;
    size_t pos = 0;

    if (wm_grow((void **)&s->pend, &s->pend_cap, s->pend_len + len, 1) != WM_OK)
        return wm_error(WM_ENOMEM, "printer-sim: out of memory");
    memcpy(s->pend + s->pend_len, data, len);
    s->pend_len += len;
    s->stats.bytes += len;
    while (pos < s->pend_len) {
        size_t used;
        if (s->rejected) {
            /* ignore everything up to the next ESC @, but answer DLE EOT:
             * real-time commands work whatever state the printer is in */
            while (pos + 1 < s->pend_len && !(s->pend[pos] == 0x1b && s->pend[pos + 1] == 0x40)) {
                if (s->pend[pos] == 0x10 && s->pend[pos + 1] == 0x04 && pos + 2 < s->pend_len &&
                    s->pend[pos + 2] >= 1 && s->pend[pos + 2] <= 4) {
                    answer(s, s->pend[pos + 2]);
                    pos += 3;
                    continue;
                }
                if (s->pend[pos] == 0x10 && s->pend[pos + 1] == 0x04 && pos + 2 >= s->pend_len)
                    break; /* DLE EOT without its n yet: wait */
                pos++;
            }
            if (pos + 1 >= s->pend_len || s->pend[pos] != 0x1b) {
                if (pos < s->pend_len && s->pend[pos] != 0x1b && s->pend[pos] != 0x10)
                    pos = s->pend_len; /* a last ESC or DLE may start a command: keep it */
                break;
            }
        }
        one = WM_OK;
        used = parse_one(s, s->pend + pos, s->pend_len - pos, &one);
        if (one != WM_OK) {
            st = one;
            pos += used ? used : 1;
            continue;
        }
        if (used == 0)
            break; /* incomplete: wait for more bytes */
        s->stats.commands++;
        pos += used;
    }
    memmove(s->pend, s->pend + pos, s->pend_len - pos);
    s->pend_len -= pos;
    s->offset += pos;
    return st;
}

/* Parses the command at p[0 .. n): returns its length, 0 when incomplete
 * (or, with *st set, the bytes to skip after a rejection). */
static size_t parse_one(hw_sim_t *s, const uint8_t *p, size_t n, wm_status_t *st)
{
    size_t at = s->offset + (size_t)(p - s->pend);

    switch (p[0]) {
    case 0x0a: /* LF: print and feed a line */
        *st = add_rows(s, NULL, 0, SIM_FEED_LINE_DOTS);
        return 1;
    case 0x1b:
        if (n < 2)
            return 0;
        if (p[1] == 0x40) { /* ESC @ */
            if (s->in_job)
                drop_job(s);
            s->rejected = false;
            return 2;
        }
        if (p[1] == 0x64 || p[1] == 0x4a) { /* ESC d n, ESC J n */
            if (n < 3)
                return 0;
            *st = add_rows(s, NULL, 0, p[1] == 0x64 ? p[2] * SIM_FEED_LINE_DOTS : p[2]);
            return 3;
        }
        *st = reject(s, at, "unknown command ESC 0x%02x", p[1]);
        return 2;
    case 0x1d:
        if (n < 2)
            return 0;
        if (p[1] == 0x76) { /* GS v 0 m xL xH yL yH d1...dk */
            int x, y;
            if (n < 3)
                return 0;
            if (p[2] != 0x30) {
                *st = reject(s, at, "GS v: expected '0' (0x30), got 0x%02x", p[2]);
                return 3;
            }
            if (n < 4)
                return 0;
            if (p[3] != 0 && p[3] != 0x30) {
                *st = reject(s, at, "GS v 0: mode %u not supported (only 0, normal size)", p[3]);
                return 4;
            }
            if (n < 8)
                return 0;
            x = p[4] | p[5] << 8;
            y = p[6] | p[7] << 8;
            if (x == 0 || x > s->row_bytes) {
                *st =
                    reject(s, at, "GS v 0: %d bytes a row does not fit %d-dot paper", x, s->width);
                return 8;
            }
            if (y == 0 || y > SIM_MAX_BAND_ROWS) {
                *st = reject(s, at, "GS v 0: %d rows (1 to %d)", y, SIM_MAX_BAND_ROWS);
                return 8;
            }
            if (n < 8 + (size_t)x * (size_t)y)
                return 0;
            *st = add_rows(s, p + 8, x, y);
            return 8 + (size_t)x * (size_t)y;
        }
        if (p[1] == 0x56) { /* GS V m [n] */
            if (n < 3)
                return 0;
            if (p[2] == 0 || p[2] == 1 || p[2] == 48 || p[2] == 49) {
                cut(s);
                return 3;
            }
            if (p[2] == 65 || p[2] == 66) {
                if (n < 4)
                    return 0;
                cut(s);
                return 4;
            }
            *st = reject(s, at, "GS V: unknown cut mode %u", p[2]);
            return 3;
        }
        *st = reject(s, at, "unknown command GS 0x%02x", p[1]);
        return 2;
    case 0x10:
        if (n < 2)
            return 0;
        if (p[1] != 0x04) {
            *st = reject(s, at, "unknown command DLE 0x%02x", p[1]);
            return 2;
        }
        if (n < 3)
            return 0;
        if (p[2] < 1 || p[2] > 4) {
            *st = reject(s, at, "DLE EOT %u (1 to 4)", p[2]);
            return 3;
        }
        answer(s, p[2]);
        return 3;
    default:
        *st = reject(s, at, "unexpected byte 0x%02x outside a command", p[0]);
        return 1;
    }
}

static wm_status_t reject(hw_sim_t *s, size_t at, const char *fmt, ...)
{
    char msg[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    snprintf(s->error, sizeof(s->error), "printer-sim: byte %zu: %s", at, msg);
    if (s->in_job)
        drop_job(s);
    s->rejected = true;
    return wm_error(WM_EFORMAT, "%s", s->error);
}

/* Appends rows (data NULL: blank feed) to the job, as the paper allows. */
static wm_status_t add_rows(hw_sim_t *s, const uint8_t *data, int xbytes, int rows)
{
    size_t rb = (size_t)s->row_bytes;

    if (rows == 0)
        return WM_OK;
    s->in_job = true;
    if (s->dropped || printing_stopped(s)) {
        s->dropped = true;
        return WM_OK;
    }
    if (s->stats.rows + (size_t)rows > SIM_MAX_JOB_ROWS) {
        s->dropped = true;
        return reject(s, s->offset, "job longer than %d rows", SIM_MAX_JOB_ROWS);
    }
    if (wm_grow((void **)&s->page, &s->page_cap, (s->stats.rows + (size_t)rows) * rb, 1) != WM_OK)
        return wm_error(WM_ENOMEM, "printer-sim: out of memory");
    for (int y = 0; y < rows; y++) {
        uint8_t *dst = s->page + s->stats.rows * rb;
        if (s->faults.paper_out_after_rows > 0 &&
            s->rows_total >= (size_t)s->faults.paper_out_after_rows) {
            s->faults.state = HW_PRINTER_PAPER_OUT;
            s->dropped = true;
            return WM_OK;
        }
        memset(dst, 0, rb);
        if (data)
            memcpy(dst, data + (size_t)y * (size_t)xbytes, (size_t)xbytes);
        s->stats.rows++;
        s->rows_total++;
    }
    return WM_OK;
}

static void cut(hw_sim_t *s)
{
    if (s->in_job && !s->dropped && s->stats.rows > 0) {
        hw_bitmap_t bm = {s->width, (int)s->stats.rows, s->row_bytes, s->page};
        s->stats.jobs++;
        if (s->fn)
            s->fn(s->ctx, &bm);
    } else if (s->in_job) {
        s->stats.dropped++;
    }
    s->in_job = s->dropped = false;
    s->stats.rows = 0;
    /* nothing of a job is kept */
    if (s->page)
        memset(s->page, 0, s->page_cap);
}

static void drop_job(hw_sim_t *s)
{
    s->dropped = true;
    cut(s);
}

static void answer(hw_sim_t *s, int n)
{
    hw_printer_state_t st = hw_sim_state(s);
    uint8_t b = 0x12;

    if (s->faults.no_reply)
        return;
    if (s->faults.garbage) {
        push_reply(s, 0xff);
        push_reply(s, 0xa5);
        return;
    }
    switch (n) {
    case 1:
        if (printing_stopped(s))
            b |= 0x08;
        break;
    case 2:
        if (st == HW_PRINTER_COVER_OPEN)
            b |= 0x04;
        if (st == HW_PRINTER_PAPER_OUT)
            b |= 0x20;
        if (st == HW_PRINTER_ERROR)
            b |= 0x40;
        break;
    case 4:
        if (st == HW_PRINTER_PAPER_NEAR_END)
            b |= 0x0c;
        if (st == HW_PRINTER_PAPER_OUT)
            b |= 0x60;
        break;
    default:
        break;
    }
    push_reply(s, b);
}

static void push_reply(hw_sim_t *s, uint8_t b)
{
    if (s->reply_len < sizeof(s->reply))
        s->reply[s->reply_len++] = b;
}

static bool printing_stopped(const hw_sim_t *s)
{
    return !hw_printer_state_can_print(hw_sim_state(s));
}

wm_status_t hw_sim_serve(hw_sim_t *sim, int fd, const hw_sim_link_t *link, volatile int *stop)
{
    static const hw_sim_link_t none = {0};
    uint8_t buf[4096], reply[64];
    size_t total = 0;

    if (!link)
        link = &none;
    /* a new connection: answers meant for an earlier one are gone, and so
     * is a command it left half sent */
    while (hw_sim_take_reply(sim, reply, sizeof(reply)) > 0)
        ;
    if (sim->pend_len) {
        wm_log_warn("printer-sim: dropping %zu bytes of a command the last connection left "
                    "unfinished",
                    sim->pend_len);
        sim->offset += sim->pend_len;
        sim->pend_len = 0;
    }
    while (!stop || !*stop) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        size_t cap = sizeof(buf), r;
        ssize_t n;
        int pr = poll(&pfd, 1, 100);

        if (pr < 0 && errno == EINTR)
            continue;
        if (pr < 0)
            return wm_error(WM_EIO, "printer-sim: poll: %s", strerror(errno));
        if (pr == 0)
            continue;
        if (link->read_chunk > 0 && link->read_chunk < cap)
            cap = link->read_chunk;
        if (link->disconnect_after > 0 && link->disconnect_after - total < cap)
            cap = link->disconnect_after - total;
        n = read(fd, buf, cap);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n < 0 && errno == EIO)
            return WM_OK; /* a pty whose other side closed */
        if (n < 0)
            return wm_error(WM_EIO, "printer-sim: read: %s", strerror(errno));
        if (n == 0)
            return WM_OK;
        total += (size_t)n;
        if (hw_sim_feed(sim, buf, (size_t)n) != WM_OK && hw_sim_error(sim)[0])
            wm_log_warn("%s", hw_sim_error(sim));
        while ((r = hw_sim_take_reply(sim, reply, sizeof(reply))) > 0) {
            if (write(fd, reply, r) < 0 && errno != EAGAIN)
                return wm_error(WM_EIO, "printer-sim: write: %s", strerror(errno));
        }
        if (link->disconnect_after > 0 && total >= link->disconnect_after) {
            wm_log_info("printer-sim: hanging up after %zu bytes (fault)", total);
            return WM_OK;
        }
        if (link->read_delay_ms > 0) {
            struct timespec ts = {link->read_delay_ms / 1000,
                                  (long)(link->read_delay_ms % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    return WM_OK;
}

/* ---- the sim: backend --------------------------------------------------- */

void hw_sim_backend_set_sink(void *impl, hw_sim_job_fn fn, void *ctx)
{
    sim_impl_t *m = impl;

    m->fn = fn;
    m->ctx = ctx;
}

static void forward_job(void *ctx, const hw_bitmap_t *job)
{
    sim_impl_t *m = ctx;

    if (m->fn)
        m->fn(m->ctx, job);
}

static wm_status_t sim_open(const hw_uri_t *uri, void **impl)
{
    sim_impl_t *m = wm_calloc(1, sizeof(*m));
    hw_sim_faults_t f = {0};

    if (!m)
        return wm_error(WM_ENOMEM, "printer: out of memory");
    if (hw_sim_create(uri->sim_paper_dots, forward_job, m, &m->sim) != WM_OK) {
        wm_free(m);
        return WM_ENOMEM;
    }
    f.state = uri->sim_state;
    f.paper_out_after_rows = uri->sim_paper_out_after_rows;
    f.no_reply = uri->sim_no_reply;
    f.garbage = uri->sim_garbage;
    hw_sim_set_faults(m->sim, &f);
    *impl = m;
    return WM_OK;
}

static wm_status_t sim_write(void *impl, const uint8_t *data, size_t len, int timeout_ms,
                             size_t *done)
{
    sim_impl_t *m = impl;

    (void)timeout_ms;
    *done = 0;
    if (hw_fault_io_hit())
        return wm_error(WM_EIO, "printer: sim: write failed (injected)");
    switch (hw_sim_feed(m->sim, data, len)) {
    case WM_OK:
        break;
    case WM_ENOMEM:
        return WM_ENOMEM;
    default: /* a real printer would not say: it is in its status */
        wm_log_warn("%s", hw_sim_error(m->sim));
        break;
    }
    *done = len;
    return WM_OK;
}

static wm_status_t sim_read(void *impl, uint8_t *buf, size_t cap, int timeout_ms, size_t *got)
{
    sim_impl_t *m = impl;

    (void)timeout_ms;
    *got = 0;
    if (hw_fault_io_hit())
        return wm_error(WM_EIO, "printer: sim: read failed (injected)");
    *got = hw_sim_take_reply(m->sim, buf, cap);
    return WM_OK;
}

static void sim_close(void *impl)
{
    sim_impl_t *m = impl;

    if (!m)
        return;
    hw_sim_destroy(m->sim);
    wm_free(m);
}
