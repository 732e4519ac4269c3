/*
 * app.c: the booth as a whole: creating it (display choice, video, content,
 * fonts, the first screen), its resources, navigation between screens, and
 * what tests and diagnostics may ask of it.
 *
 * The parts live beside it: app_video.c (SDL start-up and frames),
 * app_loop.c (events, timers, the clock), app_script.c (script replay),
 * app_draw.c (theme and drawing helpers for screens), screens.c.
 */
#include "kiosk_private.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define KIOSK_GLYPH_CACHE_BYTES (2u * 1024u * 1024u)
#define KIOSK_FONT_DIRS_MAX     8
#define KIOSK_MISSING_LISTED    8 /* code points named in a coverage warning */

static wm_status_t app_load_content(kiosk_app_t *app, const char *dir);
static void app_load_text(kiosk_app_t *app);
static void app_check_coverage(kiosk_app_t *app);
static void app_font_missing(const char *name, void *ctx);

wm_status_t kiosk_app_create(const kiosk_options_t *opts, kiosk_app_t **out)
{
    kiosk_app_t *app = wm_calloc(1, sizeof(*app));
    char dir[KIOSK_PATH_MAX + 64];
    wm_status_t st;

    if (!app)
        return wm_error(WM_ENOMEM, "out of memory");
    app->opts = *opts;
    app->lang = -1;
    app->watch_stop[0] = app->watch_stop[1] = -1;
    for (size_t i = 0; i < sizeof(app->ask_texts) / sizeof(app->ask_texts[0]); i++)
        i18n_text_init(&app->ask_texts[i]);
    for (size_t i = 0; i < sizeof(app->update_texts) / sizeof(app->update_texts[0]); i++)
        i18n_text_init(&app->update_texts[i]);
    kiosk_screen_stack_init(&app->stack, app);
    wm_log_set_level(opts->log_level);
    kiosk_display_choose(opts, &app->display);
    wm_log_info("display: %s (%s)", app->display.name, app->display.reason);
    if ((st = kiosk_app_video_start(app)) != WM_OK) {
        kiosk_app_destroy(app);
        return st;
    }
    /* --content: that folder as it is; else the content store's choice */
    if (opts->content_dir[0])
        snprintf(dir, sizeof(dir), "%s", opts->content_dir);
    else
        kiosk_update_start(app, dir, sizeof(dir));
    /* the fonts' and the content's checks wait for the first frame
     * (kiosk_app_checks): a person sees the booth sooner */
    app->checks_due = true;
    if ((st = kiosk_app_load(app, dir)) != WM_OK) {
        kiosk_app_destroy(app);
        return st;
    }
    if (hw_printer_open(opts->printer, &app->printer) != WM_OK) {
        /* the booth runs without: a print shows the QR code on screen */
        wm_log_error("printer: %s", wm_last_error());
        app->printer = NULL;
    }
    /* a slip's worker says it is done with this event (0: none, and the
     * outcome is looked at on the next wake-up instead) */
    app->print_event = SDL_RegisterEvents(1);
    if (app->print_event == (Uint32)-1)
        app->print_event = 0;
    app->clock_ticks0 = SDL_GetTicks64();
    if ((st = kiosk_screen_stack_push(&app->stack, &kiosk_screen_welcome, 0)) != WM_OK) {
        kiosk_app_destroy(app);
        return st;
    }
    app->dirty = true;
    wm_log_info("started: %dx%d, rotation %d, %s, video driver %s, idle timeout %d s", opts->width,
                opts->height, opts->rotate,
                app->display.kind == KIOSK_DISPLAY_HEADLESS
                    ? "headless"
                    : (app->display.fullscreen ? "fullscreen" : "window"),
                SDL_GetCurrentVideoDriver(), opts->idle_timeout);
    *out = app;
    return WM_OK;
}

wm_status_t kiosk_app_load(kiosk_app_t *app, const char *dir)
{
    wm_status_t st = app_load_content(app, dir);

    if (st != WM_OK)
        return st;
    app_load_text(app);
    if (!app->checks_due)
        kiosk_app_checks(app);
    return WM_OK;
}

void kiosk_app_checks(kiosk_app_t *app)
{
    app->checks_due = false;
    if (!app->fonts)
        return;
    /* every font now, so nothing about fonts is logged during a visit */
    i18n_fonts_preload(app->fonts, app_font_missing, NULL);
    app_check_coverage(app);
}

void kiosk_app_unload(kiosk_app_t *app)
{
    /* the slip composer holds the fonts' faces */
    kiosk_slip_composer_destroy(app->composer);
    app->composer = NULL;
    render_screen_destroy(app->draw);
    render_glyph_cache_destroy(app->glyphs);
    i18n_layout_destroy(app->layout);
    i18n_fonts_destroy(app->fonts);
    content_destroy(app->content);
    app->draw = NULL;
    app->glyphs = NULL;
    app->layout = NULL;
    app->fonts = NULL;
    app->content = NULL;
    app->content_path[0] = '\0';
}

void kiosk_app_destroy(kiosk_app_t *app)
{
    if (!app)
        return;
    kiosk_print_wait(app);
    kiosk_update_stop(app);
    kiosk_screen_stack_clear(&app->stack);
    for (size_t i = 0; i < sizeof(app->ask_texts) / sizeof(app->ask_texts[0]); i++)
        i18n_text_free(&app->ask_texts[i]);
    for (size_t i = 0; i < sizeof(app->update_texts) / sizeof(app->update_texts[0]); i++)
        i18n_text_free(&app->update_texts[i]);
    kiosk_audio_destroy(app);
    kiosk_app_unload(app);
    hw_printer_close(app->printer);
    wm_free(app->shot_ui);
    wm_free(app->shot_panel);
    kiosk_app_video_stop(app);
    wm_free(app);
}

const char *kiosk_app_content_dir(const kiosk_app_t *app)
{
    return app->content_path;
}

kiosk_screen_stack_t *kiosk_app_stack(kiosk_app_t *app)
{
    return &app->stack;
}

const char *kiosk_app_screen_name(kiosk_app_t *app)
{
    kiosk_screen_t *top = kiosk_screen_stack_top(&app->stack);

    return top ? top->cls->name : "";
}

uint64_t kiosk_app_now(const kiosk_app_t *app)
{
    return app->now_ms;
}

uint64_t kiosk_app_frames(const kiosk_app_t *app)
{
    return app->frames;
}

uint64_t kiosk_app_wakeups(const kiosk_app_t *app)
{
    return app->wakeups;
}

bool kiosk_app_quit_requested(const kiosk_app_t *app)
{
    return app->quit;
}

void kiosk_app_relayout(kiosk_app_t *app)
{
    const kiosk_screen_class_t *cls[KIOSK_SCREEN_STACK_MAX];
    int args[KIOSK_SCREEN_STACK_MAX];
    size_t n = app->stack.depth;

    for (size_t i = 0; i < n; i++) {
        cls[i] = app->stack.items[i].cls;
        args[i] = app->stack.items[i].arg;
    }
    kiosk_screen_stack_pop_all(&app->stack);
    if (n && kiosk_screen_stack_replace(&app->stack, cls[0], args[0]) != WM_OK)
        wm_log_error("cannot lay out the %s screen: %s", cls[0]->name, wm_last_error());
    for (size_t i = 1; i < n; i++)
        kiosk_app_push(app, cls[i], args[i]);
    app->fling_v = 0;
    app->screen_timer = 0;
    app->dirty = true;
}

void kiosk_app_push(kiosk_app_t *app, const kiosk_screen_class_t *cls, int arg)
{
    app->fling_v = 0;
    app->screen_timer = 0;
    if (kiosk_screen_stack_push(&app->stack, cls, arg) != WM_OK) {
        /* names the screen class only: nothing of what the person chose */
        wm_log_error("cannot open the %s screen: %s", cls->name, wm_last_error());
        return;
    }
    app->dirty = true;
}

void kiosk_app_back(kiosk_app_t *app)
{
    kiosk_audio_stop(app); /* the page it played for is left */
    app->fling_v = 0;
    app->screen_timer = 0;
    if (kiosk_screen_stack_pop(&app->stack) == WM_OK)
        app->dirty = true;
    if (app->stack.depth <= 1)
        app->lang = -1;
}

/* ---- resources ---------------------------------------------------------- */

/* Content from dir (the --content folder or the store's choice); any
 * failure falls back to built-in text; only running out of memory for that
 * is an error. */
static wm_status_t app_load_content(kiosk_app_t *app, const char *dir)
{
    char q[WM_ESCAPE_MAX];
    int dl;

    app->content_path[0] = '\0';
    if (dir[0] && content_load_dir(dir, &app->content) == WM_OK) {
        snprintf(app->content_path, sizeof(app->content_path), "%s", dir);
        wm_log_info("content: %zu languages from %s", content_language_count(app->content),
                    wm_escape(dir, q, sizeof(q)));
    } else {
        if (dir[0])
            wm_log_error("%s", wm_last_error());
        wm_log_error("content: using the built-in fallback text");
        if (content_builtin(&app->content) != WM_OK)
            return wm_error(WM_ENOMEM, "content: no memory even for the built-in text");
    }
    dl = content_language_find(app->content, app->opts.default_language);
    if (dl < 0) {
        wm_log_warn("default_language '%s' is not in the content; using '%s'",
                    app->opts.default_language, content_language_tag(app->content, 0));
        dl = 0;
    }
    app->default_lang = (size_t)dl;
    return WM_OK;
}

/* Fonts, layout, glyph cache and the screen drawer. Fonts the content
 * brings (CONTENT/fonts/, with optional fallback rules in
 * CONTENT/fonts/fallback.conf) are searched before the system's. A booth
 * without text still runs (and says so in the log) rather than dying. */
static void app_font_missing(const char *name, void *ctx)
{
    char q[WM_ESCAPE_MAX];

    (void)ctx;
    wm_log_warn("fonts: cannot open %s", wm_escape(name, q, sizeof(q)));
}

static void app_load_text(kiosk_app_t *app)
{
    const char *const *sys = i18n_fonts_system_dirs();
    const char *dirs[KIOSK_FONT_DIRS_MAX + 2];
    char fonts_dir[KIOSK_PATH_MAX + 48], rules[KIOSK_PATH_MAX + 64];
    i18n_fonts_options_t fopts = {0};
    struct stat sb;
    size_t n = 0;

    snprintf(fonts_dir, sizeof(fonts_dir), "%s/fonts", app->content_path);
    if (app->content_path[0] && stat(fonts_dir, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        dirs[n++] = fonts_dir;
        snprintf(rules, sizeof(rules), "%s/fallback.conf", fonts_dir);
        if (stat(rules, &sb) == 0)
            fopts.fallback_file = rules;
    }
    for (size_t i = 0; sys[i] && i < KIOSK_FONT_DIRS_MAX; i++)
        dirs[n++] = sys[i];
    dirs[n] = NULL;
    fopts.font_dirs = dirs;
    if (fopts.fallback_file && i18n_fonts_create(&fopts, &app->fonts) != WM_OK) {
        /* bad content rules: say so, and draw with the system's fonts */
        wm_log_error("%s; using the built-in font rules", wm_last_error());
        fopts.fallback_file = NULL;
    }
    if ((!app->fonts && i18n_fonts_create(&fopts, &app->fonts) != WM_OK) ||
        i18n_layout_create(app->fonts, &app->layout) != WM_OK ||
        render_glyph_cache_create(app->fonts, KIOSK_GLYPH_CACHE_BYTES, &app->glyphs) != WM_OK ||
        render_screen_create(app->renderer, app->glyphs, &app->draw) != WM_OK) {
        wm_log_error("text: %s; the booth runs without text",
                     wm_last_error()[0] ? wm_last_error() : "unavailable");
        render_glyph_cache_destroy(app->glyphs);
        i18n_layout_destroy(app->layout);
        i18n_fonts_destroy(app->fonts);
        app->glyphs = NULL;
        app->layout = NULL;
        app->fonts = NULL;
        app->draw = NULL;
        return;
    }
}

/* Characters no configured font covers would show as boxes: say so at
 * start-up, once per language of the content, naming its tag and the code
 * points (booth state: what the content holds, not what anyone read). */
static void app_check_coverage(kiosk_app_t *app)
{
    size_t n = app->fonts ? content_language_count(app->content) : 0;

    for (size_t lang = 0; lang < n; lang++) {
        const char *tag = content_language_tag(app->content, lang);
        uint32_t listed[KIOSK_MISSING_LISTED];
        size_t nlisted = 0, more = 0;
        char msg[KIOSK_MISSING_LISTED * 10 + 64];
        size_t used = 0;

        for (size_t k = 0; kiosk_screen_string_keys[k]; k++) {
            const char *s = content_string(app->content, lang, kiosk_screen_string_keys[k]);
            size_t len = s ? strlen(s) : 0, i = 0;

            while (i < len) {
                uint32_t cp = 0;
                uint16_t id;
                size_t step = wm_utf8_next(s, len, i, &cp);
                bool seen = false;

                if (step == 0)
                    break; /* content is validated at load; cannot happen */
                i += step;
                if (i18n_char_is_invisible(cp) ||
                    i18n_fonts_find(app->fonts, tag, cp, &id) != WM_ENOENT)
                    continue;
                for (size_t j = 0; j < nlisted; j++)
                    seen = seen || listed[j] == cp;
                if (seen)
                    continue;
                if (nlisted < KIOSK_MISSING_LISTED)
                    listed[nlisted++] = cp;
                else
                    more++;
            }
        }
        if (!nlisted)
            continue;
        for (size_t j = 0; j < nlisted; j++)
            used +=
                (size_t)snprintf(msg + used, sizeof(msg) - used, " U+%04X", (unsigned)listed[j]);
        if (more)
            snprintf(msg + used, sizeof(msg) - used, " and %zu more", more);
        wm_log_warn("content: language '%s': no font covers%s (drawn as boxes)", tag, msg);
    }
}
