/*
 * wm_base.c: status messages, stderr logging and allocation with optional
 * fault injection.
 */
#include "wm_base.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local char last_error[1024];
static wm_log_level_t log_level = WM_LOG_INFO;

#ifdef WAYMARK_FAULT_INJECTION
static long fault_countdown = -1;

static bool fault_hit(void)
{
    if (fault_countdown < 0)
        return false;
    if (fault_countdown == 0)
        return true;
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

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(name, names[i]) == 0) {
            *out = (wm_log_level_t)i;
            return WM_OK;
        }
    }
    return wm_error(WM_EINVAL, "unknown log level '%s' (error, warn, info, debug)", name);
}

void wm_log(wm_log_level_t level, const char *fmt, ...)
{
    static const char *const names[] = {"error", "warning", "info", "debug"};
    va_list ap;

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
    FILE *f = fopen(path, "rb");
    wm_status_t st = WM_OK;
    char *buf;
    size_t n;

    if (!f)
        return wm_error(errno == ENOENT ? WM_ENOENT : WM_EIO, "%s: cannot open: %s", path,
                        strerror(errno));
    buf = wm_malloc(max + 1);
    if (!buf) {
        fclose(f);
        return wm_error(WM_ENOMEM, "%s: out of memory", path);
    }
    n = fread(buf, 1, max + 1, f);
    if (ferror(f))
        st = wm_error(WM_EIO, "%s: read failed", path);
    else if (n > max)
        st = wm_error(WM_EFORMAT, "%s: larger than %zu bytes", path, max);
    fclose(f);
    if (st == WM_OK) {
        buf[n] = '\0';
        if (text && strlen(buf) != n)
            st = wm_error(WM_EFORMAT, "%s: contains a NUL byte (not a text file)", path);
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
