/*
 * probe_display.c: the "display" and "touch" probes, from the kernel's
 * view (no SDL, so they work while the booth holds the screen):
 *
 *   display  /sys/class/drm/cardN-CONNECTOR/status and modes: the first
 *            connected connector and its preferred mode
 *   touch    /proc/bus/input/devices: devices whose absolute axes include
 *            ABS_MT_POSITION_X (multi-touch panels)
 *
 * Not available (machines without DRM, containers) is said as such.
 */
#include "hw_private.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ABS_MT_POSITION_X_BIT 0x35
#define SMALL_FILE            (64 * 1024)

static void probe_display(hw_status_t *st);
static void probe_touch(hw_status_t *st);
static bool read_line(const char *dir, const char *name, char *buf, size_t size);
static bool abs_has_mt(const char *hex);

const hw_probe_t hw_probe_display = {"display", probe_display};
const hw_probe_t hw_probe_touch = {"touch", probe_touch};

static void probe_display(hw_status_t *st)
{
    char dir[512], path[1024], line[128];
    DIR *d;
    struct dirent *e;

    st->display_present = st->display_connected = false;
    st->display_name[0] = '\0';
    st->display_driver[0] = '\0';
    st->display_width = st->display_height = -1;
    snprintf(dir, sizeof(dir), "%s/sys/class/drm", hw_probe_root());
    d = opendir(dir);
    if (!d)
        return;
    while ((e = readdir(d))) {
        int w, h;
        /* connectors are cardN-NAME; cardN alone is the device */
        if (strncmp(e->d_name, "card", 4) != 0)
            continue;
        if (!strchr(e->d_name, '-')) {
            st->display_present = true;
            continue;
        }
        st->display_present = true;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (!read_line(path, "status", line, sizeof(line)) || strcmp(line, "connected") != 0)
            continue;
        if (st->display_connected && strcmp(e->d_name, st->display_name) > 0)
            continue; /* the first by name, whatever readdir's order */
        st->display_connected = true;
        snprintf(st->display_name, sizeof(st->display_name), "%.*s",
                 (int)sizeof(st->display_name) - 1, e->d_name);
        if (read_line(path, "modes", line, sizeof(line)) && sscanf(line, "%dx%d", &w, &h) == 2) {
            st->display_width = w;
            st->display_height = h;
        }
    }
    closedir(d);
    if (st->display_connected) {
        /* the device's driver: cardN/device/driver links to it */
        char link[512];
        size_t card = strcspn(st->display_name, "-");
        ssize_t n;
        snprintf(path, sizeof(path), "%s/%.*s/device/driver", dir, (int)card, st->display_name);
        n = readlink(path, link, sizeof(link) - 1);
        if (n > 0) {
            const char *base;
            link[n] = '\0';
            base = strrchr(link, '/');
            snprintf(st->display_driver, sizeof(st->display_driver), "%.*s",
                     (int)sizeof(st->display_driver) - 1, base ? base + 1 : link);
        }
    }
}

static void probe_touch(hw_status_t *st)
{
    char path[512], name[HW_TEXT_MAX] = "", *buf, *line, *save = NULL;

    st->touch_present = false;
    st->touch_devices = 0;
    st->touch_name[0] = '\0';
    snprintf(path, sizeof(path), "%s/proc/bus/input/devices", hw_probe_root());
    if (wm_file_read(path, SMALL_FILE, true, &buf, NULL) != WM_OK)
        return;
    st->touch_present = true;
    for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "N: Name=", 8) == 0) {
            char *v = line + 8;
            size_t n = strlen(v);
            if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
                v[n - 1] = '\0';
                v++;
            }
            snprintf(name, sizeof(name), "%s", v);
        } else if (strncmp(line, "B: ABS=", 7) == 0 && abs_has_mt(line + 7)) {
            if (st->touch_devices++ == 0)
                snprintf(st->touch_name, sizeof(st->touch_name), "%s", name);
        }
    }
    wm_free(buf);
}

static bool read_line(const char *dir, const char *name, char *buf, size_t size)
{
    char path[1100], *text;
    size_t n;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (wm_file_read(path, SMALL_FILE, true, &text, NULL) != WM_OK)
        return false;
    n = strcspn(text, "\n");
    if (n >= size)
        n = size - 1;
    memcpy(buf, text, n);
    buf[n] = '\0';
    wm_free(text);
    return true;
}

/* The ABS bitmap is hex words of the kernel's long, most significant
 * first. Absolute axes stop at 0x3f, so a 64-bit kernel prints one word;
 * a 32-bit one prints two when any axis above 31 is set. */
static bool abs_has_mt(const char *hex)
{
    const char *last = strrchr(hex, ' ');
    unsigned long long w;

    if (!last) /* one word: bit 0x35 of it (0 on 32-bit kernels) */
        return (strtoull(hex, NULL, 16) >> ABS_MT_POSITION_X_BIT) & 1u;
    /* 32-bit words: the one before the last holds bits 32-63 */
    while (last > hex && last[-1] == ' ')
        last--;
    {
        const char *prev = last;
        while (prev > hex && prev[-1] != ' ')
            prev--;
        w = strtoull(prev, NULL, 16);
    }
    return (w >> (ABS_MT_POSITION_X_BIT - 32)) & 1u;
}
