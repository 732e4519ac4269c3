/*
 * wm_base.h: the status type, error messages, logging and checked allocation
 * shared by every Waymark module.
 *
 * Every fallible function returns a wm_status_t; on failure it has set a
 * readable message with wm_error(), which wm_last_error() returns until the
 * next failure. Out-parameters are left untouched on failure.
 *
 * Logs go to stderr. Nothing about what a person did (screens, touches,
 * language) may ever be logged: log only the booth's own state.
 */
#ifndef WM_BASE_H
#define WM_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define WM_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define WM_PRINTF(f, a)
#endif

typedef enum {
    WM_OK = 0,
    WM_EINVAL,       /* bad argument or bad input value */
    WM_ENOMEM,       /* out of memory */
    WM_EIO,          /* read/write failed */
    WM_ENOENT,       /* file, font or key not found */
    WM_EFORMAT,      /* malformed file (config, script, bundle, ...) */
    WM_EUNSUPPORTED, /* valid request we cannot honour here */
    WM_ESTATE,       /* call made in the wrong state */
    WM_ESDL,         /* SDL call failed */
} wm_status_t;

/* Records a formatted message for the last error and returns code. */
wm_status_t wm_error(wm_status_t code, const char *fmt, ...) WM_PRINTF(2, 3);

/* The message of the last wm_error() on this thread ("" if none). */
const char *wm_last_error(void);

/* A short name for a status ("invalid argument", ...). */
const char *wm_status_str(wm_status_t code);

typedef enum {
    WM_LOG_ERROR = 0,
    WM_LOG_WARN,
    WM_LOG_INFO,
    WM_LOG_DEBUG,
} wm_log_level_t;

/* Sets the most verbose level written (default WM_LOG_INFO). */
void wm_log_set_level(wm_log_level_t level);
wm_log_level_t wm_log_get_level(void);

/* Parses "error", "warn", "info", "debug". Returns WM_EINVAL otherwise. */
wm_status_t wm_log_level_parse(const char *name, wm_log_level_t *out);

/* Writes "waymark: LEVEL: message" to stderr when level is enabled. */
void wm_log(wm_log_level_t level, const char *fmt, ...) WM_PRINTF(2, 3);

/* The last WM_LOG_RING_LINES lines logged (at info or more urgent, and
 * debug when enabled), kept in fixed memory whatever the level written to
 * stderr: the maintenance screen shows them. Each line is "LEVEL: message"
 * cut to WM_LOG_LINE_MAX - 1 bytes (at a UTF-8 boundary), control
 * characters made spaces. Thread-safe. Log lines are about the booth,
 * never about a visitor, so neither are these. */
#define WM_LOG_RING_LINES 64
#define WM_LOG_LINE_MAX   160

/* Copies the newest min(max, held) lines into lines[], oldest first;
 * returns how many. */
size_t wm_log_ring_copy(char (*lines)[WM_LOG_LINE_MAX], size_t max);

/* Lines logged since the start (or the last clear), held or not. */
uint64_t wm_log_ring_total(void);

/* Forgets every line (tests). */
void wm_log_ring_clear(void);

#define wm_log_error(...) wm_log(WM_LOG_ERROR, __VA_ARGS__)
#define wm_log_warn(...)  wm_log(WM_LOG_WARN, __VA_ARGS__)
#define wm_log_info(...)  wm_log(WM_LOG_INFO, __VA_ARGS__)
#define wm_log_debug(...) wm_log(WM_LOG_DEBUG, __VA_ARGS__)

/*
 * Allocation. wm_malloc() and friends behave like their libc namesakes; in
 * builds with WAYMARK_FAULT_INJECTION they can be made to fail on purpose
 * so tests reach every out-of-memory path. Free with wm_free() or free().
 */
void *wm_malloc(size_t size);
void *wm_calloc(size_t n, size_t size);
void *wm_realloc(void *p, size_t size);
char *wm_strdup(const char *s);
char *wm_strndup(const char *s, size_t n);
void wm_free(void *p);

/*
 * Fault injection (tests only; no effect unless built with
 * WAYMARK_FAULT_INJECTION). After `countdown` more successful allocations,
 * every further allocation fails until wm_fault_reset(). A negative
 * countdown disables the fault.
 */
void wm_fault_alloc_after(long countdown);
void wm_fault_reset(void);
bool wm_fault_injection_available(void);

/* True when an allocation was failed on purpose since the last
 * wm_fault_alloc_after(): a sweep that steps the countdown by one is done
 * once a whole run went through without one. */
bool wm_fault_fired(void);

/*
 * Reads a whole file of at most max bytes into a new NUL-terminated buffer
 * (*out, free with wm_free(); *len its length when len is not NULL). With
 * text, a file holding a NUL byte is refused. Errors name the path:
 * "PATH: cannot open: REASON" (WM_ENOENT / WM_EIO), "PATH: is a folder" and
 * "PATH: not a regular file" (WM_EIO: devices and FIFOs are never opened
 * for reading, so none can block), "PATH: read failed",
 * "PATH: larger than MAX bytes", "PATH: contains a NUL byte (not a text
 * file)" (WM_EFORMAT). PATH is quoted through wm_escape().
 */
wm_status_t wm_file_read(const char *path, size_t max, bool text, char **out, size_t *len);

/* Decodes the code point at s[i] (i < len) into *cp; returns its length in
 * bytes, or 0 for a malformed sequence (overlong, surrogate, beyond
 * U+10FFFF, truncated), leaving *cp untouched. */
size_t wm_utf8_next(const char *s, size_t len, size_t i, uint32_t *cp);

/* True when s[0 .. n) is well-formed UTF-8 (no overlongs, surrogates or
 * code points above U+10FFFF). */
bool wm_utf8_valid(const char *s, size_t n);

/* Grows *buf (of *cap elements of elem bytes) to hold at least need. */
wm_status_t wm_grow(void **buf, size_t *cap, size_t need, size_t elem);

/* Input quoted in a message (a key, a value, a path, a command) goes
 * through wm_escape() first, so bytes that are not UTF-8 never reach a
 * terminal or a log: well-formed UTF-8 is copied, every other byte becomes
 * \xNN, and so do the bytes of a backslash, of control characters and of
 * invisible ones that would hide or reorder text (U+FEFF, U+200B-U+200F,
 * U+202A-U+202E, U+2060-U+206F). Writes at most
 * size bytes into buf (NUL included), ending in "..." when s does not fit;
 * returns buf. WM_ESCAPE_MAX is a size that suits a message. */
#define WM_ESCAPE_MAX 256
const char *wm_escape(const char *s, char *buf, size_t size);

#endif
