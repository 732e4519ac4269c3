/*
 * options.c: the options of `waymark run`: built-in defaults, then the
 * configuration file, then the command line (which wins).
 */
#include "commands.h"
#include "kiosk.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Which fields the command line set (they override the configuration). */
enum {
    SET_WINDOW = 1 << 0,
    SET_ROTATE = 1 << 1,
    SET_FULLSCREEN = 1 << 2,
    SET_IDLE = 1 << 3,
    SET_LOG_LEVEL = 1 << 4,
    SET_CONTENT = 1 << 5,
    SET_DATA = 1 << 6,
};

static wm_status_t copy_path(const char *opt, const char *v, char *dst);

void kiosk_options_default(kiosk_options_t *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->width = KIOSK_DEFAULT_WIDTH;
    opts->height = KIOSK_DEFAULT_HEIGHT;
    opts->idle_timeout = KIOSK_DEFAULT_IDLE_TIMEOUT;
    opts->log_level = WM_LOG_INFO;
    strcpy(opts->default_language, "en");
    strcpy(opts->data_dir, KIOSK_DEFAULT_DATA_DIR);
    strcpy(opts->keys_dir, KIOSK_DEFAULT_KEYS_DIR);
    strcpy(opts->usb_roots, KIOSK_DEFAULT_USB_ROOTS);
    strcpy(opts->printer, KIOSK_DEFAULT_PRINTER);
    opts->paper_mm = KIOSK_DEFAULT_PAPER_MM;
    opts->screen_dpi = KIOSK_DEFAULT_DPI;
}

void kiosk_cmd_run_usage(FILE *f)
{
    fputs("usage: waymark run [options]\n"
          "\n"
          "Runs the booth: in a window on a desktop (X11 or Wayland), fullscreen\n"
          "through KMSDRM on a console with a DRM device (a Raspberry Pi), headless\n"
          "only when asked. With no display at all and no --headless it exits 1.\n"
          "\n"
          "  --window WxH            UI size in pixels (default 1080x1920, portrait;\n"
          "                          120 to 4096 a side, at most 4096x2160 pixels in\n"
          "                          all); a window is scaled down to fit the desktop\n"
          "  --fullscreen            fill the display (always so on a console)\n"
          "  --headless              no display: SDL dummy (or offscreen) video driver\n"
          "  --dry-run               print the display choice (display, driver,\n"
          "                          fullscreen, reason) and exit 0\n"
          "  --rotate DEG            panel rotation: 0, 90, 180 or 270 (default 0)\n"
          "  --content DIR           content folder (default: DATA_DIR/content if it\n"
          "                          exists, else the factory content, " KIOSK_FACTORY_CONTENT "\n"
          "                          or $WAYMARK_CONTENT)\n"
          "  --data-dir DIR          the booth's data folder (default " KIOSK_DEFAULT_DATA_DIR ")\n"
          "  --config FILE           configuration file (default $WAYMARK_CONFIG, else\n"
          "                          " KIOSK_DEFAULT_CONFIG ", when it exists)\n"
          "  --idle-timeout S        seconds without input before everything is wiped\n"
          "                          (default 90, 5 to 3600)\n"
          "  --log-level LEVEL       error, warn, info or debug (default info)\n"
          "  --script FILE           replay a script (tap, drag, key, wait, shot, quit)\n"
          "                          on a virtual clock\n"
          "  --screenshot-dir DIR    where the script's `shot NAME` writes NAME.png\n"
          "                          (created if missing)\n"
          "  --exit-after-first-frame  exit 0 once the first frame is presented (not\n"
          "                          with --script)\n"
          "  -h, --help              show this help\n"
          "\n"
          "Environment: DISPLAY, WAYLAND_DISPLAY (a desktop), WAYMARK_DRI_DIR (where\n"
          "DRM devices are looked for, default /dev/dri), WAYMARK_CONFIG,\n"
          "WAYMARK_CONTENT (see above).\n"
          "\n"
          "Command-line options override the configuration file. Exit status: 0 ok,\n"
          "1 the booth could not run (no display, a script step failed, a screenshot\n"
          "could not be written), 2 bad options, configuration or script.\n",
          f);
}

wm_status_t kiosk_options_parse(int argc, char **argv, kiosk_options_t *out)
{
    kiosk_options_t cli, opts;
    const char *config;
    char q[WM_ESCAPE_MAX];
    unsigned set = 0;
    wm_status_t st;

    kiosk_options_default(&cli);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            cli.help = true;
        } else if (strcmp(a, "--fullscreen") == 0) {
            cli.fullscreen = true;
            set |= SET_FULLSCREEN;
        } else if (strcmp(a, "--headless") == 0) {
            cli.headless = true;
        } else if (strcmp(a, "--exit-after-first-frame") == 0) {
            cli.exit_after_first_frame = true;
        } else if (strcmp(a, "--dry-run") == 0) {
            cli.dry_run = true;
        } else if (strcmp(a, "--window") == 0 || strcmp(a, "--rotate") == 0 ||
                   strcmp(a, "--content") == 0 || strcmp(a, "--data-dir") == 0 ||
                   strcmp(a, "--config") == 0 || strcmp(a, "--idle-timeout") == 0 ||
                   strcmp(a, "--log-level") == 0 || strcmp(a, "--script") == 0 ||
                   strcmp(a, "--screenshot-dir") == 0) {
            if (!v)
                return wm_error(WM_EINVAL, "option %s needs a value", a);
            if (strcmp(a, "--window") == 0) {
                st = kiosk_parse_size(v, &cli.width, &cli.height);
                set |= SET_WINDOW;
            } else if (strcmp(a, "--rotate") == 0) {
                st = kiosk_parse_rotation(v, &cli.rotate);
                set |= SET_ROTATE;
            } else if (strcmp(a, "--idle-timeout") == 0) {
                st = kiosk_parse_idle_timeout(v, &cli.idle_timeout);
                set |= SET_IDLE;
            } else if (strcmp(a, "--log-level") == 0) {
                st = wm_log_level_parse(v, &cli.log_level);
                set |= SET_LOG_LEVEL;
            } else if (strcmp(a, "--content") == 0) {
                st = copy_path(a, v, cli.content_dir);
                set |= SET_CONTENT;
            } else if (strcmp(a, "--data-dir") == 0) {
                st = copy_path(a, v, cli.data_dir);
                set |= SET_DATA;
            } else if (strcmp(a, "--config") == 0) {
                st = copy_path(a, v, cli.config);
                cli.config_explicit = true;
            } else if (strcmp(a, "--script") == 0) {
                st = copy_path(a, v, cli.script);
            } else {
                st = copy_path(a, v, cli.screenshot_dir);
            }
            if (st != WM_OK) {
                char why[512];

                snprintf(why, sizeof(why), "%s", wm_last_error());
                return wm_error(WM_EINVAL, "%s: %s", a, why);
            }
            i++;
        } else if (a[0] == '-') {
            return wm_error(WM_EINVAL, "unknown option '%s'", wm_escape(a, q, sizeof(q)));
        } else {
            return wm_error(WM_EINVAL, "unexpected argument '%s'", wm_escape(a, q, sizeof(q)));
        }
    }
    if (cli.help) {
        *out = cli;
        return WM_OK;
    }
    if (cli.screenshot_dir[0] && !cli.script[0])
        return wm_error(WM_EINVAL, "--screenshot-dir needs --script (shots come from a script)");
    if (cli.script[0] && cli.exit_after_first_frame)
        return wm_error(WM_EINVAL,
                        "--script and --exit-after-first-frame exclude each other (the script "
                        "would never run)");

    /* Defaults, then the configuration file, then the command line. */
    kiosk_options_default(&opts);
    if (cli.config_explicit) {
        if ((st = kiosk_config_load(cli.config, &opts)) != WM_OK)
            return st;
        strcpy(opts.config, cli.config);
        opts.config_explicit = true;
    } else {
        /* the default file is optional; $WAYMARK_CONFIG replaces it (tests
         * and build trees must not read the machine's /etc) */
        config = getenv("WAYMARK_CONFIG");
        if (!config || !*config)
            config = KIOSK_DEFAULT_CONFIG;
        if (strlen(config) < KIOSK_PATH_MAX && access(config, F_OK) == 0) {
            if ((st = kiosk_config_load(config, &opts)) != WM_OK)
                return st;
            strcpy(opts.config, config);
        }
    }
    if (set & SET_WINDOW) {
        opts.width = cli.width;
        opts.height = cli.height;
    }
    if (set & SET_ROTATE)
        opts.rotate = cli.rotate;
    if (set & SET_FULLSCREEN)
        opts.fullscreen = true;
    if (set & SET_IDLE)
        opts.idle_timeout = cli.idle_timeout;
    if (set & SET_LOG_LEVEL)
        opts.log_level = cli.log_level;
    if (set & SET_CONTENT)
        strcpy(opts.content_dir, cli.content_dir);
    if (set & SET_DATA)
        strcpy(opts.data_dir, cli.data_dir);
    opts.headless = cli.headless;
    opts.exit_after_first_frame = cli.exit_after_first_frame;
    opts.dry_run = cli.dry_run;
    strcpy(opts.script, cli.script);
    strcpy(opts.screenshot_dir, cli.screenshot_dir);
    if (opts.headless && opts.fullscreen)
        opts.fullscreen = false; /* nothing to fill: headless wins */
    *out = opts;
    return WM_OK;
}

wm_status_t kiosk_options_prepare(const kiosk_options_t *opts)
{
    char q[WM_ESCAPE_MAX];
    struct stat sb;

    if (!opts->screenshot_dir[0])
        return WM_OK;
    wm_escape(opts->screenshot_dir, q, sizeof(q));
    if (stat(opts->screenshot_dir, &sb) == 0) {
        if (!S_ISDIR(sb.st_mode))
            return wm_error(WM_EINVAL, "--screenshot-dir %s: exists and is not a folder", q);
        return WM_OK;
    }
    if (errno != ENOENT || mkdir(opts->screenshot_dir, 0755) != 0)
        return wm_error(WM_EINVAL, "--screenshot-dir %s: cannot create the folder: %s", q,
                        strerror(errno));
    wm_log_info("screenshot folder created: %s", q);
    return WM_OK;
}

static wm_status_t copy_path(const char *opt, const char *v, char *dst)
{
    size_t n = strlen(v);

    if (n == 0)
        return wm_error(WM_EINVAL, "empty path");
    if (n >= KIOSK_PATH_MAX)
        return wm_error(WM_EINVAL, "path longer than %d bytes", KIOSK_PATH_MAX - 1);
    (void)opt;
    memcpy(dst, v, n + 1);
    return WM_OK;
}
