/*
 * wm_base.c: status messages, stderr logging and allocation with optional
 * fault injection.
 */
#include "wm_base.h"

#include <errno.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static _Thread_local char last_error[1024];
static wm_log_level_t log_level = WM_LOG_INFO;

#ifdef WAYMARK_FAULT_INJECTION
static long fault_countdown = -1;
static bool fault_fired;

static bool fault_hit(void)
{
    if (fault_countdown < 0)
        return false;
    if (fault_countdown == 0) {
        fault_fired = true;
        return true;
    }
    fault_countdown--;
    return false;
}
#else
static bool fault_hit(void)
{
    return false;
}
#endif

wm_status_t wm_error(wm_status_t code, const char *fmt, ...)
{
    char msg[sizeof(last_error)];
    va_list ap;

    /* formatted aside first, so wm_last_error() may be an argument */
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    memcpy(last_error, msg, sizeof(msg));
    return code;
}

const char *wm_last_error(void)
{
    return last_error;
}

const char *wm_status_str(wm_status_t code)
{
    switch (code) {
    case WM_OK:
        return "ok";
    case WM_EINVAL:
        return "invalid argument";
    case WM_ENOMEM:
        return "out of memory";
    case WM_EIO:
        return "input/output error";
    case WM_ENOENT:
        return "not found";
    case WM_EFORMAT:
        return "malformed input";
    case WM_EUNSUPPORTED:
        return "not supported";
    case WM_ESTATE:
        return "wrong state";
    case WM_ESDL:
        return "display error";
    }
    return "unknown error";
}

void wm_log_set_level(wm_log_level_t level)
{
    log_level = level;
}

wm_log_level_t wm_log_get_level(void)
{
    return log_level;
}

wm_status_t wm_log_level_parse(const char *name, wm_log_level_t *out)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};

    char q[WM_ESCAPE_MAX];

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(name, names[i]) == 0) {
            *out = (wm_log_level_t)i;
            return WM_OK;
        }
    }
    return wm_error(WM_EINVAL, "unknown log level '%s' (error, warn, info, debug)",
                    wm_escape(name, q, sizeof(q)));
}

/* The ring of the last lines: fixed memory, a spin lock (threads log too:
 * the bundle watcher, the printer). */
static char log_ring[WM_LOG_RING_LINES][WM_LOG_LINE_MAX];
static uint64_t log_ring_count; /* lines ever added; the next goes to count % N */
static atomic_flag log_ring_lock = ATOMIC_FLAG_INIT;

static void log_ring_add(const char *level, const char *msg)
{
    char line[WM_LOG_LINE_MAX];
    size_t n;

    n = (size_t)snprintf(line, sizeof(line), "%s: %s", level, msg);
    if (n >= sizeof(line)) {
        /* cut at a character boundary, never inside one */
        n = sizeof(line) - 1;
        while (n > 0 && ((unsigned char)line[n] & 0xC0) == 0x80)
            n--;
        line[n] = '\0';
    }
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)line[i] < 0x20 || line[i] == 0x7F)
            line[i] = ' ';
    }
    while (atomic_flag_test_and_set_explicit(&log_ring_lock, memory_order_acquire))
        ;
    memcpy(log_ring[log_ring_count % WM_LOG_RING_LINES], line, n + 1);
    log_ring_count++;
    atomic_flag_clear_explicit(&log_ring_lock, memory_order_release);
}

size_t wm_log_ring_copy(char (*lines)[WM_LOG_LINE_MAX], size_t max)
{
    size_t held, n;
    uint64_t first;

    while (atomic_flag_test_and_set_explicit(&log_ring_lock, memory_order_acquire))
        ;
    held = log_ring_count < WM_LOG_RING_LINES ? (size_t)log_ring_count : WM_LOG_RING_LINES;
    n = held < max ? held : max;
    first = log_ring_count - n;
    for (size_t i = 0; i < n; i++)
        memcpy(lines[i], log_ring[(first + i) % WM_LOG_RING_LINES], WM_LOG_LINE_MAX);
    atomic_flag_clear_explicit(&log_ring_lock, memory_order_release);
    return n;
}

uint64_t wm_log_ring_total(void)
{
    uint64_t n;

    while (atomic_flag_test_and_set_explicit(&log_ring_lock, memory_order_acquire))
        ;
    n = log_ring_count;
    atomic_flag_clear_explicit(&log_ring_lock, memory_order_release);
    return n;
}

void wm_log_ring_clear(void)
{
    while (atomic_flag_test_and_set_explicit(&log_ring_lock, memory_order_acquire))
        ;
    log_ring_count = 0;
    memset(log_ring, 0, sizeof(log_ring));
    atomic_flag_clear_explicit(&log_ring_lock, memory_order_release);
}

void wm_log(wm_log_level_t level, const char *fmt, ...)
{
    static const char *const names[] = {"error", "warning", "info", "debug"};
    char msg[WM_LOG_LINE_MAX];
    va_list ap;

    if (level > log_level && level > WM_LOG_INFO)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    log_ring_add(names[level], msg);
    if (level > log_level)
        return;
    fprintf(stderr, "waymark: %s: ", names[level]);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void *wm_malloc(size_t size)
{
    return fault_hit() ? NULL : malloc(size ? size : 1);
}

void *wm_calloc(size_t n, size_t size)
{
    return fault_hit() ? NULL : calloc(n ? n : 1, size ? size : 1);
}

void *wm_realloc(void *p, size_t size)
{
    return fault_hit() ? NULL : realloc(p, size ? size : 1);
}

char *wm_strdup(const char *s)
{
    return wm_strndup(s, strlen(s));
}

char *wm_strndup(const char *s, size_t n)
{
    char *d = wm_malloc(n + 1);

    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

void wm_free(void *p)
{
    free(p);
}

void wm_fault_alloc_after(long countdown)
{
#ifdef WAYMARK_FAULT_INJECTION
    fault_countdown = countdown;
    fault_fired = false;
#else
    (void)countdown;
#endif
}

void wm_fault_reset(void)
{
    wm_fault_alloc_after(-1);
}

bool wm_fault_injection_available(void)
{
#ifdef WAYMARK_FAULT_INJECTION
    return true;
#else
    return false;
#endif
}

wm_status_t wm_file_read(const char *path, size_t max, bool text, char **out, size_t *len)
{
    char q[WM_ESCAPE_MAX];
    wm_status_t st = WM_OK;
    struct stat sb;
    char *buf;
    FILE *f;
    size_t n;
    int fd;

    /* O_NONBLOCK: a FIFO must not block the open; only regular files are
     * read (a folder, a device or a FIFO is refused by name) */
    wm_escape(path, q, sizeof(q));
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return wm_error(errno == ENOENT ? WM_ENOENT : WM_EIO, "%s: cannot open: %s", q,
                        strerror(errno));
    if (fstat(fd, &sb) != 0) {
        st = wm_error(WM_EIO, "%s: cannot open: %s", q, strerror(errno));
        close(fd);
        return st;
    }
    if (!S_ISREG(sb.st_mode)) {
        close(fd);
        return wm_error(WM_EIO, "%s: %s", q,
                        S_ISDIR(sb.st_mode) ? "is a folder" : "not a regular file");
    }
    if (fcntl(fd, F_SETFL, 0) != 0 || !(f = fdopen(fd, "rb"))) {
        st = wm_error(WM_EIO, "%s: cannot open: %s", q, strerror(errno));
        close(fd);
        return st;
    }
    buf = wm_malloc(max + 1);
    if (!buf) {
        fclose(f);
        return wm_error(WM_ENOMEM, "%s: out of memory", q);
    }
    n = fread(buf, 1, max + 1, f);
    if (ferror(f))
        st = wm_error(WM_EIO, "%s: read failed", q);
    else if (n > max)
        st = wm_error(WM_EFORMAT, "%s: larger than %zu bytes", q, max);
    fclose(f);
    if (st == WM_OK) {
        buf[n] = '\0';
        if (text && strlen(buf) != n)
            st = wm_error(WM_EFORMAT, "%s: contains a NUL byte (not a text file)", q);
    }
    if (st != WM_OK) {
        wm_free(buf);
        return st;
    }
    *out = buf;
    if (len)
        *len = n;
    return WM_OK;
}

size_t wm_utf8_next(const char *s, size_t len, size_t i, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s + i;
    size_t n, k;
    uint32_t c, min;

    if (i >= len)
        return 0;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    if (u[0] >= 0xC2 && u[0] <= 0xDF)
        n = 2, c = u[0] & 0x1Fu, min = 0x80;
    else if (u[0] >= 0xE0 && u[0] <= 0xEF)
        n = 3, c = u[0] & 0x0Fu, min = 0x800;
    else if (u[0] >= 0xF0 && u[0] <= 0xF4)
        n = 4, c = u[0] & 0x07u, min = 0x10000;
    else
        return 0;
    if (len - i < n)
        return 0;
    for (k = 1; k < n; k++) {
        if ((u[k] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (u[k] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

bool wm_utf8_valid(const char *s, size_t n)
{
    uint32_t cp;

    for (size_t i = 0, k; i < n; i += k) {
        if ((k = wm_utf8_next(s, n, i, &cp)) == 0)
            return false;
    }
    return true;
}

wm_status_t wm_grow(void **buf, size_t *cap, size_t need, size_t elem)
{
    size_t ncap;
    void *nb;

    if (need <= *cap)
        return WM_OK;
    ncap = *cap ? *cap : 16;
    while (ncap < need)
        ncap *= 2;
    nb = wm_realloc(*buf, ncap * elem);
    if (!nb)
        return wm_error(WM_ENOMEM, "out of memory (%zu bytes)", ncap * elem);
    *buf = nb;
    *cap = ncap;
    return WM_OK;
}

const char *wm_escape(const char *s, char *buf, size_t size)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t len = strlen(s), i = 0, o = 0;

    if (size == 0)
        return buf;
    while (i < len) {
        uint32_t cp = 0;
        size_t k = wm_utf8_next(s, len, i, &cp);
        /* controls, and the invisible characters that hide or reorder
         * text in a terminal (byte order mark, zero-width, bidi controls) */
        bool raw = k > 0 && cp >= 0x20 && cp != 0x7F && cp != '\\' && !(cp >= 0x80 && cp < 0xA0) &&
                   cp != 0xFEFF && !(cp >= 0x200B && cp <= 0x200F) &&
                   !(cp >= 0x202A && cp <= 0x202E) && !(cp >= 0x2060 && cp <= 0x206F);
        size_t need = raw ? k : 4;

        if (!raw)
            k = 1;
        /* room for this, and for "..." should more follow */
        if (o + need + (i + k < len ? 3 : 0) >= size) {
            if (o + 3 < size) {
                memcpy(buf + o, "...", 3);
                o += 3;
            }
            break;
        }
        if (raw) {
            memcpy(buf + o, s + i, k);
        } else {
            unsigned char b = (unsigned char)s[i];

            buf[o] = '\\';
            buf[o + 1] = 'x';
            buf[o + 2] = hex[b >> 4];
            buf[o + 3] = hex[b & 15];
        }
        o += need;
        i += k;
    }
    buf[o] = '\0';
    return buf;
}

bool wm_fault_fired(void)
{
#ifdef WAYMARK_FAULT_INJECTION
    return fault_fired;
#else
    return false;
#endif
}
