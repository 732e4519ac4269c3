/*
 * display.c: where the booth shows itself, decided once at start-up from
 * the options and the environment, the same way `waymark run --dry-run`
 * prints it and scripts/run reads it:
 *
 *   --headless                      SDL's dummy driver (offscreen fallback)
 *   $DISPLAY or $WAYLAND_DISPLAY    a desktop window (x11, or wayland)
 *   a DRM device, no desktop        KMSDRM, fullscreen (a Raspberry Pi console)
 *   nothing                         none: `waymark run` exits 1
 *
 * The DRM folder is $WAYMARK_DRI_DIR (default /dev/dri), so tests can
 * stand a temporary folder in for the hardware.
 */
#include "kiosk.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#define DISPLAY_DRI_DIR "/dev/dri"

static const char *env(const char *name);
static bool drm_card(const char *dir, char *name, size_t size);

void kiosk_display_choose(const kiosk_options_t *opts, kiosk_display_t *out)
{
    const char *x = env("DISPLAY"), *wl = env("WAYLAND_DISPLAY");
    const char *dri = env("WAYMARK_DRI_DIR");
    char q[WM_ESCAPE_MAX], q2[WM_ESCAPE_MAX], card[256];

    memset(out, 0, sizeof(*out));
    if (!dri)
        dri = DISPLAY_DRI_DIR;
    if (opts->headless) {
        out->kind = KIOSK_DISPLAY_HEADLESS;
        out->name = "headless";
        out->driver = "dummy,offscreen";
        snprintf(out->reason, sizeof(out->reason), "--headless given");
    } else if (x) {
        /* X first, as SDL itself would: XWayland serves a Wayland desktop
         * that sets both */
        out->kind = KIOSK_DISPLAY_WINDOW;
        out->name = "window";
        out->driver = wl ? "x11,wayland" : "x11";
        out->fullscreen = opts->fullscreen;
        snprintf(out->reason, sizeof(out->reason), "X display %s (DISPLAY)",
                 wm_escape(x, q, sizeof(q)));
    } else if (wl) {
        out->kind = KIOSK_DISPLAY_WINDOW;
        out->name = "window";
        out->driver = "wayland";
        out->fullscreen = opts->fullscreen;
        snprintf(out->reason, sizeof(out->reason), "Wayland display %s (WAYLAND_DISPLAY)",
                 wm_escape(wl, q, sizeof(q)));
    } else if (drm_card(dri, card, sizeof(card))) {
        out->kind = KIOSK_DISPLAY_KMSDRM;
        out->name = "kmsdrm";
        out->driver = "kmsdrm";
        out->fullscreen = true;
        snprintf(out->reason, sizeof(out->reason),
                 "no X or Wayland display; DRM device %s/%s (console)",
                 wm_escape(dri, q, sizeof(q)), wm_escape(card, q2, sizeof(q2)));
    } else {
        out->kind = KIOSK_DISPLAY_NONE;
        out->name = "none";
        out->driver = "";
        snprintf(out->reason, sizeof(out->reason),
                 "no X or Wayland display (DISPLAY and WAYLAND_DISPLAY unset) and no DRM "
                 "device in %s",
                 wm_escape(dri, q, sizeof(q)));
    }
}

/* An environment variable, NULL when unset or empty. */
static const char *env(const char *name)
{
    const char *v = getenv(name);

    return v && *v ? v : NULL;
}

/* The first cardN entry of dir (by name order), as KMSDRM opens them. */
static bool drm_card(const char *dir, char *name, size_t size)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    bool found = false;

    if (!d)
        return false;
    while ((e = readdir(d)) != NULL) {
        const char *n = e->d_name;

        if (strncmp(n, "card", 4) != 0 || n[4] < '0' || n[4] > '9')
            continue;
        if (!found || strcmp(n, name) < 0)
            snprintf(name, size, "%s", n);
        found = true;
    }
    closedir(d);
    return found;
}
