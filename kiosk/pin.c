/*
 * pin.c: the maintenance PIN: its Argon2id hash (libsodium's
 * crypto_pwhash_str, in a file of its own with the configuration's
 * permissions), and the lock-out after wrong tries: the count and the
 * time until which tries are refused, in DATA_DIR/maintenance-tries, saved
 * before a wrong try is answered so that pulling the plug does not reset
 * it. The PIN itself is never logged, written or kept after the check.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ops.h"

#define PIN_TRIES_MAX 256

static wm_status_t pin_write_atomic(const char *path, const char *text, mode_t mode);
static void pin_save(const kiosk_pin_t *p);

bool kiosk_pin_valid(const char *pin, size_t len)
{
    if (len < KIOSK_PIN_MIN || len > KIOSK_PIN_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (pin[i] < '0' || pin[i] > '9')
            return false;
    }
    return true;
}

uint64_t kiosk_pin_delay_ms(unsigned failures)
{
    uint64_t d = KIOSK_PIN_DELAY_MS;

    if (failures < KIOSK_PIN_FREE_TRIES)
        return 0;
    for (unsigned i = KIOSK_PIN_FREE_TRIES; i < failures && d < KIOSK_PIN_DELAY_MAX; i++)
        d *= 2;
    return d < KIOSK_PIN_DELAY_MAX ? d : KIOSK_PIN_DELAY_MAX;
}

wm_status_t kiosk_pin_file_check(const char *path)
{
    struct stat sb;

    if (stat(path, &sb) != 0) {
        if (errno == ENOENT)
            return wm_error(WM_ENOENT, "%s: no maintenance PIN set (waymark pin set)", path);
        return wm_error(WM_EIO, "%s: %s", path, strerror(errno));
    }
    if (!S_ISREG(sb.st_mode))
        return wm_error(WM_EINVAL, "%s: not a regular file", path);
    if (sb.st_mode & (S_IWGRP | S_IWOTH))
        return wm_error(WM_EINVAL, "%s: writable by others than its owner (chmod 0640)", path);
    if (sb.st_mode & S_IROTH)
        return wm_error(WM_EINVAL, "%s: readable by everyone (chmod 0640)", path);
    return WM_OK;
}

wm_status_t kiosk_pin_set(const char *path, const char *pin, size_t len)
{
    char hash[crypto_pwhash_STRBYTES + 2];
    wm_status_t st;

    if (!kiosk_pin_valid(pin, len))
        return wm_error(WM_EINVAL, "a PIN is %d to %d digits", KIOSK_PIN_MIN, KIOSK_PIN_MAX);
    if (sodium_init() < 0)
        return wm_error(WM_EUNSUPPORTED, "libsodium could not start");
    if (crypto_pwhash_str(hash, pin, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return wm_error(WM_ENOMEM, "not enough memory to hash the PIN");
    strcat(hash, "\n");
    st = pin_write_atomic(path, hash, 0640);
    sodium_memzero(hash, sizeof(hash));
    return st;
}

void kiosk_pin_open(kiosk_pin_t *p, const char *hash_path, const char *data_dir)
{
    char *text = NULL;
    unsigned failures;
    uint64_t until;

    memset(p, 0, sizeof(*p));
    snprintf(p->hash_path, sizeof(p->hash_path), "%s", hash_path);
    snprintf(p->tries_path, sizeof(p->tries_path), "%s/%s", data_dir, KIOSK_PIN_TRIES_FILE);
    if (wm_file_read(p->tries_path, PIN_TRIES_MAX, true, &text, NULL) != WM_OK)
        return;
    if (sscanf(text, "failures %u\nlocked_until_ms %" SCNu64, &failures, &until) == 2) {
        p->failures = failures;
        p->locked_until_ms = until;
    } else {
        /* a damaged file locks as after the first delay, never opens */
        wm_log_warn("%s: unreadable, counted as %d failures", p->tries_path, KIOSK_PIN_FREE_TRIES);
        p->failures = KIOSK_PIN_FREE_TRIES;
        p->locked_until_ms = UINT64_MAX;
    }
    wm_free(text);
}

kiosk_pin_result_t kiosk_pin_try(kiosk_pin_t *p, const char *pin, size_t len, uint64_t now_ms,
                                 uint64_t *wait_ms)
{
    char hash[crypto_pwhash_STRBYTES + 2];
    char *text = NULL;
    size_t n = 0;
    bool right;

    if (wait_ms)
        *wait_ms = 0;
    if (p->locked_until_ms == UINT64_MAX) /* damaged: the first try restarts the clock */
        p->locked_until_ms = now_ms + kiosk_pin_delay_ms(p->failures);
    if (now_ms < p->locked_until_ms) {
        if (wait_ms)
            *wait_ms = p->locked_until_ms - now_ms;
        return KIOSK_PIN_LOCKED;
    }
    if (kiosk_pin_file_check(p->hash_path) != WM_OK ||
        wm_file_read(p->hash_path, sizeof(hash), true, &text, &n) != WM_OK) {
        wm_log_error("maintenance: %s", wm_last_error());
        return KIOSK_PIN_UNSET;
    }
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r'))
        text[--n] = '\0';
    if (sodium_init() < 0) {
        wm_free(text);
        return KIOSK_PIN_UNSET;
    }
    right = kiosk_pin_valid(pin, len) && crypto_pwhash_str_verify(text, pin, len) == 0;
    wm_free(text);
    if (right) {
        if (p->failures > 0) {
            p->failures = 0;
            p->locked_until_ms = 0;
            if (unlink(p->tries_path) != 0 && errno != ENOENT)
                wm_log_warn("%s: %s", p->tries_path, strerror(errno));
        }
        wm_log_info("maintenance: opened");
        return KIOSK_PIN_RIGHT;
    }
    p->failures++;
    p->locked_until_ms = now_ms + kiosk_pin_delay_ms(p->failures);
    pin_save(p);
    wm_log_warn("maintenance: wrong PIN (%u in a row)", p->failures);
    if (wait_ms)
        *wait_ms = p->locked_until_ms - now_ms;
    return KIOSK_PIN_WRONG;
}

static void pin_save(const kiosk_pin_t *p)
{
    char text[96];

    snprintf(text, sizeof(text), "failures %u\nlocked_until_ms %" PRIu64 "\n", p->failures,
             p->locked_until_ms);
    if (pin_write_atomic(p->tries_path, text, 0600) != WM_OK)
        wm_log_error("maintenance: %s", wm_last_error());
}

/* path.tmp, written, flushed to disk, renamed over path. */
static wm_status_t pin_write_atomic(const char *path, const char *text, mode_t mode)
{
    char tmp[KIOSK_PATH_MAX + 40];
    size_t len = strlen(text), off = 0;
    int fd;

    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return wm_error(WM_EIO, "%s: %s", tmp, strerror(errno));
    /* the umask may have taken bits away; never added any */
    if (fchmod(fd, mode) != 0)
        goto fail;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            goto fail;
        off += (size_t)w;
    }
    if (fsync(fd) != 0)
        goto fail;
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0)
        goto fail;
    return WM_OK;
fail : {
    int err = errno;

    if (fd >= 0)
        close(fd);
    unlink(tmp);
    return wm_error(WM_EIO, "%s: %s", path, strerror(err));
}
}
