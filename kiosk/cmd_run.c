/*
 * cmd_run.c: `waymark run`, the booth. Parses options and configuration,
 * prints the display choice for --dry-run, checks what the options name
 * and loads the script (refusing a bad one before anything starts),
 * creates the app and runs its main loop.
 */
#include "commands.h"
#include "kiosk.h"

int kiosk_cmd_run(int argc, char **argv)
{
    kiosk_options_t opts;
    kiosk_display_t display;
    kiosk_script_t *script = NULL;
    kiosk_app_t *app;
    wm_status_t st;

    st = kiosk_options_parse(argc, argv, &opts);
    if (st != WM_OK) {
        fprintf(stderr, "waymark run: %s\n", wm_last_error());
        if (st == WM_EINVAL) /* a bad option, not a bad configuration file */
            kiosk_cmd_run_usage(stderr);
        return 2;
    }
    if (opts.help) {
        kiosk_cmd_run_usage(stdout);
        return 0;
    }
    wm_log_set_level(opts.log_level);
    kiosk_display_choose(&opts, &display);
    if (opts.dry_run) {
        printf("display: %s\ndriver: %s\nfullscreen: %s\nreason: %s\n", display.name,
               display.driver[0] ? display.driver : "-", display.fullscreen ? "yes" : "no",
               display.reason);
        return 0; /* kiosk_main reports output that could not be written */
    }
    if (display.kind == KIOSK_DISPLAY_NONE) {
        fprintf(stderr, "waymark run: no display: %s; give --headless to run without one\n",
                display.reason);
        return 1;
    }
    if (opts.script[0]) {
        /* the whole script is checked now, against this screen too: a
         * mistake is found before the booth starts, not halfway through */
        if (kiosk_script_load(opts.script, &script) != WM_OK ||
            kiosk_script_check(script, opts.width, opts.height) != WM_OK) {
            fprintf(stderr, "waymark run: %s\n", wm_last_error());
            kiosk_script_destroy(script);
            return 2;
        }
        if (script->has_shot && !opts.screenshot_dir[0]) {
            fprintf(stderr,
                    "waymark run: %s: the script takes screenshots: give "
                    "--screenshot-dir DIR\n",
                    script->name);
            kiosk_script_destroy(script);
            return 2;
        }
    }
    if (kiosk_options_prepare(&opts) != WM_OK) {
        fprintf(stderr, "waymark run: %s\n", wm_last_error());
        kiosk_script_destroy(script);
        return 2;
    }
    if (kiosk_app_create(&opts, &app) != WM_OK) {
        fprintf(stderr, "waymark run: %s\n", wm_last_error());
        kiosk_script_destroy(script);
        return 1;
    }
    kiosk_app_set_script(app, script);
    st = kiosk_app_run(app);
    if (st != WM_OK)
        fprintf(stderr, "waymark run: %s\n", wm_last_error());
    else
        wm_log_info("stopped");
    kiosk_app_destroy(app);
    kiosk_script_destroy(script);
    return st == WM_OK ? 0 : 1;
}
