/*
 * config.c: the booth's configuration file and the value parsers shared
 * with the command line.
 *
 * Format: one `key = value` a line; lines starting with `#` (after blanks)
 * are comments; blank lines are ignored; values run to the end of the line
 * with surrounding blanks trimmed (no quotes, no inline comments). Every
 * key is documented, with its default, in kiosk/waymark.conf. Anything the
 * parser does not understand is an error naming FILE:LINE: the booth
 * refuses to start rather than guess.
 */
#include "kiosk.h"
#include "hw.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define CONFIG_FILE_MAX (64 * 1024)
#define CONFIG_LINE_MAX 2048

static wm_status_t set_window(const char *v, kiosk_options_t *o);
static wm_status_t set_rotate(const char *v, kiosk_options_t *o);
static wm_status_t set_fullscreen(const char *v, kiosk_options_t *o);
static wm_status_t set_idle_timeout(const char *v, kiosk_options_t *o);
static wm_status_t set_log_level(const char *v, kiosk_options_t *o);
static wm_status_t set_default_language(const char *v, kiosk_options_t *o);
static wm_status_t set_content_dir(const char *v, kiosk_options_t *o);
static wm_status_t set_data_dir(const char *v, kiosk_options_t *o);
static void get_window(const kiosk_options_t *o, char *buf, size_t size);
static void get_rotate(const kiosk_options_t *o, char *buf, size_t size);
static void get_fullscreen(const kiosk_options_t *o, char *buf, size_t size);
static void get_idle_timeout(const kiosk_options_t *o, char *buf, size_t size);
static void get_log_level(const kiosk_options_t *o, char *buf, size_t size);
static void get_default_language(const kiosk_options_t *o, char *buf, size_t size);
static void get_content_dir(const kiosk_options_t *o, char *buf, size_t size);
static void get_data_dir(const kiosk_options_t *o, char *buf, size_t size);
static wm_status_t set_keys_dir(const char *v, kiosk_options_t *o);
static void get_keys_dir(const kiosk_options_t *o, char *buf, size_t size);
static wm_status_t set_printer(const char *v, kiosk_options_t *o);
static wm_status_t set_paper_width(const char *v, kiosk_options_t *o);
static void get_printer(const kiosk_options_t *o, char *buf, size_t size);
static void get_paper_width(const kiosk_options_t *o, char *buf, size_t size);
static wm_status_t set_usb_roots(const char *v, kiosk_options_t *o);
static void get_usb_roots(const kiosk_options_t *o, char *buf, size_t size);
static wm_status_t set_pin_file(const char *v, kiosk_options_t *o);
static void get_pin_file(const kiosk_options_t *o, char *buf, size_t size);
static wm_status_t set_screen_dpi(const char *v, kiosk_options_t *o);
static void get_screen_dpi(const kiosk_options_t *o, char *buf, size_t size);
static wm_status_t set_path(const char *v, char *dst);
static char *trim(char *s);

/* Every key the file may hold, each documented with its default in
 * kiosk/waymark.conf (a test checks the file against this table). */
static const kiosk_config_key_t config_keys[] = {
    {"window", set_window, get_window},
    {"rotate", set_rotate, get_rotate},
    {"fullscreen", set_fullscreen, get_fullscreen},
    {"idle_timeout", set_idle_timeout, get_idle_timeout},
    {"log_level", set_log_level, get_log_level},
    {"default_language", set_default_language, get_default_language},
    {"content_dir", set_content_dir, get_content_dir},
    {"data_dir", set_data_dir, get_data_dir},
    {"keys_dir", set_keys_dir, get_keys_dir},
    {"printer", set_printer, get_printer},
    {"paper_width", set_paper_width, get_paper_width},
    {"usb_roots", set_usb_roots, get_usb_roots},
    {"maintenance_pin_file", set_pin_file, get_pin_file},
    {"screen_dpi", set_screen_dpi, get_screen_dpi},
};

#define CONFIG_KEY_COUNT (sizeof(config_keys) / sizeof(config_keys[0]))

const kiosk_config_key_t *kiosk_config_keys(size_t *count)
{
    *count = CONFIG_KEY_COUNT;
    return config_keys;
}

wm_status_t kiosk_config_load(const char *path, kiosk_options_t *opts)
{
    char *buf;
    wm_status_t st;

    st = wm_file_read(path, CONFIG_FILE_MAX, true, &buf, NULL);
    if (st != WM_OK)
        return st;
    st = kiosk_config_parse(buf, path, opts);
    wm_free(buf);
    return st;
}

wm_status_t kiosk_config_parse(const char *text, const char *name, kiosk_options_t *opts)
{
    kiosk_options_t tmp = *opts; /* opts stays untouched on failure */
    bool seen[CONFIG_KEY_COUNT] = {false};
    char line[CONFIG_LINE_MAX], q[WM_ESCAPE_MAX], qname[WM_ESCAPE_MAX];
    const char *p = text;
    int lineno = 0;

    name = wm_escape(name, qname, sizeof(qname));
    /* editors on Windows start UTF-8 files with a byte order mark */
    if (strncmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;

    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char *key, *value, *eq;
        size_t k;

        lineno++;
        if (len >= sizeof(line))
            return wm_error(WM_EFORMAT, "%s:%d: line too long", name, lineno);
        memcpy(line, p, len);
        line[len] = '\0';
        p = eol ? eol + 1 : p + len;
        if (len && line[len - 1] == '\r')
            line[len - 1] = '\0';
        key = trim(line);
        if (*key == '\0' || *key == '#')
            continue;
        eq = strchr(key, '=');
        if (!eq)
            return wm_error(WM_EFORMAT, "%s:%d: expected 'key = value'", name, lineno);
        *eq = '\0';
        key = trim(key);
        value = trim(eq + 1);
        if (*key == '\0')
            return wm_error(WM_EFORMAT, "%s:%d: missing key before '='", name, lineno);
        for (k = 0; k < CONFIG_KEY_COUNT; k++) {
            if (strcmp(config_keys[k].key, key) == 0)
                break;
        }
        if (k == CONFIG_KEY_COUNT)
            return wm_error(WM_EFORMAT, "%s:%d: unknown key '%s'", name, lineno,
                            wm_escape(key, q, sizeof(q)));
        if (seen[k])
            return wm_error(WM_EFORMAT, "%s:%d: duplicate key '%s'", name, lineno, key);
        seen[k] = true;
        if (*value == '\0')
            return wm_error(WM_EFORMAT, "%s:%d: %s: missing value", name, lineno, key);
        if (config_keys[k].set(value, &tmp) != WM_OK) {
            char why[512];

            snprintf(why, sizeof(why), "%s", wm_last_error());
            return wm_error(WM_EFORMAT, "%s:%d: %s: %s", name, lineno, key, why);
        }
    }
    *opts = tmp;
    return WM_OK;
}

wm_status_t kiosk_parse_size(const char *s, int *w, int *h)
{
    char q[WM_ESCAPE_MAX];
    char *end;
    long lw, lh;

    errno = 0;
    if (!(*s >= '0' && *s <= '9'))
        goto bad;
    lw = strtol(s, &end, 10);
    if (*end != 'x' || !(end[1] >= '0' && end[1] <= '9'))
        goto bad;
    lh = strtol(end + 1, &end, 10);
    if (*end != '\0' || errno)
        goto bad;
    if (lw < KIOSK_MIN_SIDE || lh < KIOSK_MIN_SIDE || lw > KIOSK_MAX_SIDE || lh > KIOSK_MAX_SIDE)
        return wm_error(WM_EINVAL, "size '%s' out of range (each side %d to %d px)", s,
                        KIOSK_MIN_SIDE, KIOSK_MAX_SIDE);
    if (lw * lh > KIOSK_MAX_PIXELS)
        return wm_error(WM_EINVAL,
                        "size '%s' too large: %ld pixels, at most %d (4096x2160) so that the "
                        "booth's frame buffers fit a 1 GB Raspberry Pi",
                        s, lw * lh, KIOSK_MAX_PIXELS);
    *w = (int)lw;
    *h = (int)lh;
    return WM_OK;
bad:
    return wm_error(WM_EINVAL, "bad size '%s' (expected WIDTHxHEIGHT, e.g. 1080x1920)",
                    wm_escape(s, q, sizeof(q)));
}

wm_status_t kiosk_parse_rotation(const char *s, int *out)
{
    static const char *const names[] = {"0", "90", "180", "270"};
    char q[WM_ESCAPE_MAX];

    for (int i = 0; i < 4; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = i * 90;
            return WM_OK;
        }
    }
    return wm_error(WM_EINVAL, "bad rotation '%s' (0, 90, 180 or 270)", wm_escape(s, q, sizeof(q)));
}

wm_status_t kiosk_parse_idle_timeout(const char *s, int *out)
{
    char q[WM_ESCAPE_MAX];
    char *end;
    long v;

    errno = 0;
    if (!(*s >= '0' && *s <= '9'))
        goto bad;
    v = strtol(s, &end, 10);
    if (*end != '\0' || errno)
        goto bad;
    if (v < KIOSK_MIN_IDLE_TIMEOUT || v > KIOSK_MAX_IDLE_TIMEOUT)
        return wm_error(WM_EINVAL, "idle timeout %ld s out of range (%d to %d seconds)", v,
                        KIOSK_MIN_IDLE_TIMEOUT, KIOSK_MAX_IDLE_TIMEOUT);
    *out = (int)v;
    return WM_OK;
bad:
    return wm_error(WM_EINVAL, "bad idle timeout '%s' (whole seconds, e.g. 90)",
                    wm_escape(s, q, sizeof(q)));
}

wm_status_t kiosk_parse_bool(const char *s, bool *out)
{
    char q[WM_ESCAPE_MAX];

    if (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0 || strcmp(s, "1") == 0) {
        *out = true;
        return WM_OK;
    }
    if (strcmp(s, "false") == 0 || strcmp(s, "no") == 0 || strcmp(s, "0") == 0) {
        *out = false;
        return WM_OK;
    }
    return wm_error(WM_EINVAL, "bad boolean '%s' (true or false)", wm_escape(s, q, sizeof(q)));
}

wm_status_t kiosk_parse_language(const char *s, char out[KIOSK_LANG_MAX])
{
    char q[WM_ESCAPE_MAX];

    if (!i18n_tag_valid(s) || strlen(s) >= KIOSK_LANG_MAX)
        return wm_error(WM_EINVAL, "bad language tag '%s' (BCP 47, e.g. en or ckb-Latn)",
                        wm_escape(s, q, sizeof(q)));
    memcpy(out, s, strlen(s) + 1);
    return WM_OK;
}

wm_status_t kiosk_parse_printer(const char *s, char out[KIOSK_PATH_MAX])
{
    hw_uri_t uri;

    if (strlen(s) >= KIOSK_PATH_MAX)
        return wm_error(WM_EINVAL, "printer URI longer than %d bytes", KIOSK_PATH_MAX - 1);
    if (hw_uri_parse(s, &uri) != WM_OK) {
        /* hw_uri_parse said what is wrong; the key already says "printer" */
        const char *why = wm_last_error();
        return wm_error(WM_EINVAL, "%s", strncmp(why, "printer: ", 9) == 0 ? why + 9 : why);
    }
    memcpy(out, s, strlen(s) + 1);
    return WM_OK;
}

wm_status_t kiosk_parse_paper(const char *s, int *mm)
{
    if (strcmp(s, "58") == 0 || strcmp(s, "80") == 0) {
        *mm = s[0] == '5' ? 58 : 80;
        return WM_OK;
    }
    return wm_error(WM_EINVAL, "bad paper width '%s' (58 or 80, in mm)", s);
}

static wm_status_t set_window(const char *v, kiosk_options_t *o)
{
    return kiosk_parse_size(v, &o->width, &o->height);
}

static wm_status_t set_rotate(const char *v, kiosk_options_t *o)
{
    return kiosk_parse_rotation(v, &o->rotate);
}

static wm_status_t set_fullscreen(const char *v, kiosk_options_t *o)
{
    return kiosk_parse_bool(v, &o->fullscreen);
}

static wm_status_t set_idle_timeout(const char *v, kiosk_options_t *o)
{
    return kiosk_parse_idle_timeout(v, &o->idle_timeout);
}

static wm_status_t set_log_level(const char *v, kiosk_options_t *o)
{
    return wm_log_level_parse(v, &o->log_level);
}

static wm_status_t set_default_language(const char *v, kiosk_options_t *o)
{
    return kiosk_parse_language(v, o->default_language);
}

static wm_status_t set_content_dir(const char *v, kiosk_options_t *o)
{
    return set_path(v, o->content_dir);
}

static wm_status_t set_data_dir(const char *v, kiosk_options_t *o)
{
    return set_path(v, o->data_dir);
}

static void get_window(const kiosk_options_t *o, char *buf, size_t size)
{
    snprintf(buf, size, "%dx%d", o->width, o->height);
}

static void get_rotate(const kiosk_options_t *o, char *buf, size_t size)
{
    snprintf(buf, size, "%d", o->rotate);
}

static void get_fullscreen(const kiosk_options_t *o, char *buf, size_t size)
{
    snprintf(buf, size, "%s", o->fullscreen ? "true" : "false");
}

static void get_idle_timeout(const kiosk_options_t *o, char *buf, size_t size)
{
    snprintf(buf, size, "%d", o->idle_timeout);
}

static void get_log_level(const kiosk_options_t *o, char *buf, size_t size)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};

    snprintf(buf, size, "%s", names[o->log_level]);
}

static void get_default_language(const kiosk_options_t *o, char *buf, size_t size)
{
    snprintf(buf, size, "%s", o->default_language);
}

static void get_content_dir(const kiosk_options_t *o, char *buf, size_t size)
{
    snprintf(buf, size, "%s", o->content_dir);
}

static void get_data_dir(const kiosk_options_t *o, char *buf, size_t size)
{
    snprintf(buf, size, "%s", o->data_dir);
}

static wm_status_t set_keys_dir(const char *v, kiosk_options_t *o)
{
    return set_path(v, o->keys_dir);
}

static void get_keys_dir(const kiosk_options_t *o, char *buf, size_t size)
{
    snprintf(buf, size, "%s", o->keys_dir);
}

static wm_status_t set_printer(const char *v, kiosk_options_t *o)
{
    return kiosk_parse_printer(v, o->printer);
}

static wm_status_t set_paper_width(const char *v, kiosk_options_t *o)
{
    return kiosk_parse_paper(v, &o->paper_mm);
}

static void get_printer(const kiosk_options_t *o, char *buf, size_t size)
{
    snprintf(buf, size, "%s", o->printer);
}

static void get_paper_width(const kiosk_options_t *o, char *buf, size_t size)
{
    snprintf(buf, size, "%d", o->paper_mm);
}

/* Folders separated by commas (blanks around each trimmed), at most
 * KIOSK_USB_ROOTS_MAX, each absolute. */
static wm_status_t set_usb_roots(const char *v, kiosk_options_t *o)
{
    char tmp[KIOSK_PATH_MAX], out[KIOSK_PATH_MAX], q[WM_ESCAPE_MAX];
    size_t n = 0, used = 0;

    if (strlen(v) >= sizeof(tmp))
        return wm_error(WM_EINVAL, "longer than %d bytes", KIOSK_PATH_MAX - 1);
    memcpy(tmp, v, strlen(v) + 1);
    out[0] = '\0';
    for (char *save = NULL, *p = strtok_r(tmp, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        char *root = trim(p);

        if (*root != '/')
            return wm_error(WM_EINVAL, "'%s' is not an absolute folder",
                            wm_escape(root, q, sizeof(q)));
        if (++n > KIOSK_USB_ROOTS_MAX)
            return wm_error(WM_EINVAL, "more than %d folders", KIOSK_USB_ROOTS_MAX);
        used += (size_t)snprintf(out + used, sizeof(out) - used, "%s%s", n > 1 ? "," : "", root);
    }
    if (!n)
        return wm_error(WM_EINVAL, "no folder given");
    memcpy(o->usb_roots, out, used + 1);
    return WM_OK;
}

static void get_usb_roots(const kiosk_options_t *o, char *buf, size_t size)
{
    snprintf(buf, size, "%s", o->usb_roots);
}

static wm_status_t set_pin_file(const char *v, kiosk_options_t *o)
{
    return set_path(v, o->pin_file);
}

static void get_pin_file(const kiosk_options_t *o, char *buf, size_t size)
{
    snprintf(buf, size, "%s", o->pin_file);
}

static wm_status_t set_screen_dpi(const char *v, kiosk_options_t *o)
{
    char *end;
    long n = strtol(v, &end, 10);

    if (end == v || *end || n < KIOSK_MIN_DPI || n > KIOSK_MAX_DPI)
        return wm_error(WM_EINVAL, "bad screen_dpi '%s' (%d to %d pixels per inch)", v,
                        KIOSK_MIN_DPI, KIOSK_MAX_DPI);
    o->screen_dpi = (int)n;
    return WM_OK;
}

static void get_screen_dpi(const kiosk_options_t *o, char *buf, size_t size)
{
    snprintf(buf, size, "%d", o->screen_dpi);
}

static wm_status_t set_path(const char *v, char *dst)
{
    size_t n = strlen(v);

    if (n >= KIOSK_PATH_MAX)
        return wm_error(WM_EINVAL, "path longer than %d bytes", KIOSK_PATH_MAX - 1);
    memcpy(dst, v, n + 1);
    return WM_OK;
}

static char *trim(char *s)
{
    char *end;

    while (*s == ' ' || *s == '\t')
        s++;
    end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
        *--end = '\0';
    return s;
}
