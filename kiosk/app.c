/*
 * app.c: the booth: SDL start-up (a window, fullscreen, or headless with
 * the dummy/offscreen driver), content and fonts, the event-driven main
 * loop, the idle reset, and script replay on a virtual clock.
 *
 * Drawing: screens draw the UI at its logical size into a target texture;
 * each frame copies it, rotated for the panel and scaled to the window, to
 * the screen. A frame is drawn only when something changed; with nothing
 * to do the loop sleeps until the next event or timer.
 *
 * Privacy: the idle timer wipes the screen stack and the chosen language;
 * nothing a person does is logged or written anywhere.
 */
#include "kiosk_private.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef WAYMARK_SOURCE_DIR
#define WAYMARK_SOURCE_DIR "."
#endif

/* The factory content: the sample shipped in the tree, until bundles. */
#define KIOSK_FACTORY_CONTENT WAYMARK_SOURCE_DIR "/content/sample"

#define KIOSK_GLYPH_CACHE_BYTES (8u * 1024u * 1024u)
#define KIOSK_DRAG_STEP_MS      16
#define KIOSK_DRAG_STEPS_MAX    256
#define KIOSK_FONT_DIRS_MAX     8
/* Video drivers that cannot sleep on events (kmsdrm, dummy, offscreen) are
 * polled: every 10 ms while a person is using the booth, every 50 ms once
 * it has rested 2 s (first-touch latency <= 50 ms), every 100 ms headless
 * (only signals to wait for). */
#define KIOSK_POLL_ACTIVE_MS   10
#define KIOSK_POLL_REST_MS     50
#define KIOSK_POLL_HEADLESS_MS 100
#define KIOSK_POLL_REST_AFTER  2000

static wm_status_t app_start_video(kiosk_app_t *app);
static void app_load_content(kiosk_app_t *app);
static void app_load_text(kiosk_app_t *app);
static void app_render(kiosk_app_t *app);
static void app_handle(kiosk_app_t *app, const SDL_Event *ev);
static void app_pointer(kiosk_app_t *app, Uint32 type, int wx, int wy);
static void app_note_input(kiosk_app_t *app);
static void app_fire_timers(kiosk_app_t *app);
static bool app_next_deadline(const kiosk_app_t *app, uint64_t *deadline);
static void app_clock_update(kiosk_app_t *app);
static void app_wait(kiosk_app_t *app, int timeout_ms);
static void app_drain(kiosk_app_t *app);
static void app_advance(kiosk_app_t *app, uint64_t ms);
static void app_push_pointer(kiosk_app_t *app, Uint32 type, int x, int y);
static wm_status_t app_shot(kiosk_app_t *app, const kiosk_script_t *script,
                            const kiosk_script_cmd_t *cmd);
static bool driver_blocks(const char *driver);

wm_status_t kiosk_app_create(const kiosk_options_t *opts, kiosk_app_t **out)
{
    kiosk_app_t *app = wm_calloc(1, sizeof(*app));
    wm_status_t st;

    if (!app)
        return wm_error(WM_ENOMEM, "out of memory");
    app->opts = *opts;
    app->lang = -1;
    kiosk_screen_stack_init(&app->stack, app);
    wm_log_set_level(opts->log_level);
    if ((st = app_start_video(app)) != WM_OK) {
        kiosk_app_destroy(app);
        return st;
    }
    app_load_content(app);
    app_load_text(app);
    app->clock_ticks0 = SDL_GetTicks64();
    if ((st = kiosk_screen_stack_push(&app->stack, &kiosk_screen_welcome, 0)) != WM_OK) {
        kiosk_app_destroy(app);
        return st;
    }
    app->dirty = true;
    wm_log_info("started: %dx%d, rotation %d, %s, video driver %s, idle timeout %d s", opts->width,
                opts->height, opts->rotate,
                opts->headless ? "headless" : (opts->fullscreen ? "fullscreen" : "window"),
                SDL_GetCurrentVideoDriver(), opts->idle_timeout);
    *out = app;
    return WM_OK;
}

void kiosk_app_destroy(kiosk_app_t *app)
{
    if (!app)
        return;
    kiosk_screen_stack_clear(&app->stack);
    render_screen_destroy(app->draw);
    render_glyph_cache_destroy(app->glyphs);
    i18n_layout_destroy(app->layout);
    i18n_fonts_destroy(app->fonts);
    content_destroy(app->content);
    wm_free(app->shot_ui);
    wm_free(app->shot_panel);
    if (app->ui)
        SDL_DestroyTexture(app->ui);
    if (app->renderer)
        SDL_DestroyRenderer(app->renderer);
    if (app->window)
        SDL_DestroyWindow(app->window);
    if (app->surface)
        SDL_FreeSurface(app->surface);
    if (app->sdl_started)
        SDL_Quit();
    wm_free(app);
}

void kiosk_app_set_script(kiosk_app_t *app, const kiosk_script_t *script)
{
    app->script = script;
}

wm_status_t kiosk_app_run(kiosk_app_t *app)
{
    wm_status_t st;

    app_render(app);
    if (app->opts.exit_after_first_frame)
        return WM_OK;
    if (app->script) {
        app->virtual_clock = true;
        for (size_t i = 0; i < app->script->count && !app->quit; i++) {
            if ((st = kiosk_app_exec(app, app->script, &app->script->cmds[i])) != WM_OK)
                return st;
        }
        /* the script is done: the booth goes on live from the same time */
        app->virtual_clock = false;
        app->clock_ticks0 = SDL_GetTicks64();
        app->clock_ms0 = app->now_ms;
    }
    while (!app->quit) {
        uint64_t deadline;
        int timeout = -1;

        if (app->dirty)
            app_render(app);
        app_clock_update(app);
        if (app_next_deadline(app, &deadline))
            timeout = deadline > app->now_ms ? (int)(deadline - app->now_ms) : 0;
        app_wait(app, timeout);
        app_clock_update(app);
        app_fire_timers(app);
    }
    return WM_OK;
}

wm_status_t kiosk_app_exec(kiosk_app_t *app, const kiosk_script_t *script,
                           const kiosk_script_cmd_t *cmd)
{
    const kiosk_screen_t *top = kiosk_screen_stack_top(&app->stack);
    const kiosk_widget_t *wd;
    int x, y;

    app->virtual_clock = true;
    switch (cmd->type) {
    case KIOSK_CMD_TAP_ID:
        wd = top ? kiosk_screen_find(top, cmd->text) : NULL;
        if (!wd)
            return wm_error(WM_ENOENT, "%s:%d: no widget '#%s' on this screen", script->name,
                            cmd->line, cmd->text);
        x = wd->rect.x + wd->rect.w / 2;
        y = wd->rect.y + wd->rect.h / 2;
        app_push_pointer(app, SDL_MOUSEBUTTONDOWN, x, y);
        app_push_pointer(app, SDL_MOUSEBUTTONUP, x, y);
        break;
    case KIOSK_CMD_TAP:
        if (cmd->v[0] >= app->opts.width || cmd->v[1] >= app->opts.height)
            return wm_error(WM_EINVAL, "%s:%d: tap %d %d is outside the screen (%dx%d)",
                            script->name, cmd->line, cmd->v[0], cmd->v[1], app->opts.width,
                            app->opts.height);
        app_push_pointer(app, SDL_MOUSEBUTTONDOWN, cmd->v[0], cmd->v[1]);
        app_push_pointer(app, SDL_MOUSEBUTTONUP, cmd->v[0], cmd->v[1]);
        break;
    case KIOSK_CMD_DRAG: {
        /* a move every 16 ms, at most KIOSK_DRAG_STEPS_MAX of them */
        int steps = cmd->v[4] / KIOSK_DRAG_STEP_MS;

        for (int i = 0; i < 4; i++) {
            int lim = i % 2 ? app->opts.height : app->opts.width;

            if (cmd->v[i] >= lim)
                return wm_error(WM_EINVAL, "%s:%d: drag point outside the screen (%dx%d)",
                                script->name, cmd->line, app->opts.width, app->opts.height);
        }
        if (steps < 1)
            steps = 1;
        if (steps > KIOSK_DRAG_STEPS_MAX)
            steps = KIOSK_DRAG_STEPS_MAX;
        app_push_pointer(app, SDL_MOUSEBUTTONDOWN, cmd->v[0], cmd->v[1]);
        app_drain(app);
        for (int i = 1; i <= steps; i++) {
            int64_t dx = (int64_t)(cmd->v[2] - cmd->v[0]) * i / steps;
            int64_t dy = (int64_t)(cmd->v[3] - cmd->v[1]) * i / steps;
            uint64_t t0 = (uint64_t)cmd->v[4] * (uint64_t)(i - 1) / (uint64_t)steps;
            uint64_t t1 = (uint64_t)cmd->v[4] * (uint64_t)i / (uint64_t)steps;

            app_advance(app, t1 - t0);
            app_push_pointer(app, SDL_MOUSEMOTION, cmd->v[0] + (int)dx, cmd->v[1] + (int)dy);
            app_drain(app);
        }
        app_push_pointer(app, SDL_MOUSEBUTTONUP, cmd->v[2], cmd->v[3]);
        break;
    }
    case KIOSK_CMD_KEY: {
        SDL_Event ev;

        memset(&ev, 0, sizeof(ev));
        ev.type = SDL_KEYDOWN;
        ev.key.windowID = app->window_id;
        ev.key.state = SDL_PRESSED;
        ev.key.keysym.sym = cmd->key;
        ev.key.keysym.scancode = SDL_GetScancodeFromKey(cmd->key);
        SDL_PushEvent(&ev);
        ev.type = SDL_KEYUP;
        ev.key.state = SDL_RELEASED;
        SDL_PushEvent(&ev);
        break;
    }
    case KIOSK_CMD_WAIT:
        app_drain(app);
        app_advance(app, (uint64_t)cmd->v[0]);
        break;
    case KIOSK_CMD_SHOT:
        app_drain(app);
        return app_shot(app, script, cmd);
    case KIOSK_CMD_QUIT:
        app->quit = true;
        return WM_OK;
    }
    app_drain(app);
    return WM_OK;
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

bool kiosk_app_quit_requested(const kiosk_app_t *app)
{
    return app->quit;
}

const char *kiosk_app_string(const kiosk_app_t *app, size_t lang, const char *key)
{
    const char *s = content_string(app->content, lang, key);

    if (!s)
        s = content_string(app->content, app->default_lang, key);
    return s ? s : "";
}

void kiosk_app_layout(kiosk_app_t *app, i18n_text_t *text, const char *utf8, const char *lang,
                      float size_px, float max_width, i18n_align_t align, int max_lines)
{
    i18n_layout_params_t p;

    text->glyph_count = 0;
    text->line_count = 0;
    text->width = text->height = 0;
    if (!app->layout || !*utf8)
        return;
    p = i18n_layout_params_default();
    p.lang = lang;
    p.size_px = size_px;
    p.max_width = max_width;
    p.align = align;
    p.max_lines = max_lines;
    if (i18n_layout_text(app->layout, &p, utf8, strlen(utf8), text) != WM_OK) {
        /* once, and without the language: this runs while a person uses the
         * booth, and the log must not tell what they read */
        if (!app->layout_failure_logged)
            wm_log_warn("text layout failed: %s (further failures not logged)", wm_last_error());
        app->layout_failure_logged = true;
        text->glyph_count = 0;
        text->line_count = 0;
        text->width = text->height = 0;
    }
}

void kiosk_app_fill(kiosk_app_t *app, SDL_Rect r, render_color_t c)
{
    if (app->draw) {
        render_screen_fill_rect(app->draw, r.x, r.y, r.w, r.h, c);
        return;
    }
    SDL_SetRenderDrawColor(app->renderer, c.r, c.g, c.b, c.a);
    SDL_RenderFillRect(app->renderer, &r);
}

void kiosk_app_text(kiosk_app_t *app, const i18n_text_t *text, float x, float y,
                    render_color_t color)
{
    if (app->draw && text->glyph_count)
        render_screen_draw_text(app->draw, text, x, y, color);
}

void kiosk_app_choose_language(kiosk_app_t *app, int lang)
{
    if (kiosk_screen_stack_push(&app->stack, &kiosk_screen_language, lang) != WM_OK) {
        wm_log_error("cannot open a screen: %s", wm_last_error());
        return;
    }
    app->lang = lang;
    app->dirty = true;
}

void kiosk_app_back(kiosk_app_t *app)
{
    if (kiosk_screen_stack_pop(&app->stack) == WM_OK)
        app->dirty = true;
    if (app->stack.depth <= 1)
        app->lang = -1;
}

/* ---- start-up ----------------------------------------------------------- */

static wm_status_t app_start_video(kiosk_app_t *app)
{
    const kiosk_options_t *o = &app->opts;
    int pw, ph, ww, wh;
    Uint32 flags = 0;

    kiosk_rotate_size(o->rotate, o->width, o->height, &pw, &ph);
    if (o->headless) {
        /* Override the environment: headless means no display at all. The
         * dummy driver first: it draws in memory and loads no GPU stack
         * (offscreen in SDL 2.26 loads EGL and Mesa for nothing here). */
        SDL_SetHintWithPriority(SDL_HINT_VIDEODRIVER, "dummy", SDL_HINT_OVERRIDE);
        if (SDL_Init(SDL_INIT_VIDEO) != 0) {
            wm_log_debug("dummy video driver unavailable (%s), trying offscreen", SDL_GetError());
            SDL_SetHintWithPriority(SDL_HINT_VIDEODRIVER, "offscreen", SDL_HINT_OVERRIDE);
            if (SDL_Init(SDL_INIT_VIDEO) != 0)
                return wm_error(WM_ESDL, "cannot start SDL headless: %s", SDL_GetError());
        }
    } else if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        return wm_error(WM_ESDL, "cannot start SDL video: %s", SDL_GetError());
    }
    app->sdl_started = true;
    app->blocking_wait = driver_blocks(SDL_GetCurrentVideoDriver());
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");

    if (o->headless) {
        ww = pw;
        wh = ph;
        flags = SDL_WINDOW_HIDDEN;
    } else if (o->fullscreen) {
        ww = pw;
        wh = ph;
        flags = SDL_WINDOW_FULLSCREEN_DESKTOP;
    } else {
        SDL_Rect usable;

        if (SDL_GetDisplayUsableBounds(0, &usable) != 0)
            usable.w = usable.h = 0;
        /* leave room for window decorations */
        kiosk_window_fit(pw, ph, usable.w * 95 / 100, usable.h * 95 / 100, &ww, &wh);
        flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
    }
    app->window =
        SDL_CreateWindow("Waymark", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, ww, wh, flags);
    if (app->window) {
        Uint32 rflags = o->headless ? SDL_RENDERER_SOFTWARE : SDL_RENDERER_ACCELERATED;

        app->window_id = SDL_GetWindowID(app->window);
        app->renderer = SDL_CreateRenderer(app->window, -1, rflags | SDL_RENDERER_TARGETTEXTURE);
        if (!app->renderer && !o->headless)
            app->renderer = SDL_CreateRenderer(app->window, -1,
                                               SDL_RENDERER_SOFTWARE | SDL_RENDERER_TARGETTEXTURE);
        if (!app->renderer)
            return wm_error(WM_ESDL, "cannot create a renderer: %s", SDL_GetError());
        SDL_GetWindowSize(app->window, &ww, &wh);
    } else if (o->headless) {
        /* no window at all: draw into a surface (screenshots still work) */
        wm_log_debug("no headless window (%s); drawing into a surface", SDL_GetError());
        app->surface = SDL_CreateRGBSurfaceWithFormat(0, pw, ph, 32, SDL_PIXELFORMAT_ARGB8888);
        if (!app->surface || !(app->renderer = SDL_CreateSoftwareRenderer(app->surface)))
            return wm_error(WM_ESDL, "cannot create a software renderer: %s", SDL_GetError());
        ww = pw;
        wh = ph;
    } else {
        return wm_error(WM_ESDL, "cannot open a window: %s", SDL_GetError());
    }
    if (o->fullscreen)
        SDL_ShowCursor(SDL_DISABLE);
    kiosk_view_init(&app->view, o->width, o->height, o->rotate, ww, wh);
    app->ui = SDL_CreateTexture(app->renderer, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET,
                                o->width, o->height);
    if (!app->ui)
        return wm_error(WM_ESDL, "cannot create a %dx%d render target: %s", o->width, o->height,
                        SDL_GetError());
    return WM_OK;
}

/* Content: --content/content_dir, else installed content in DATA_DIR, else
 * the factory content; any failure falls back to built-in text. */
static void app_load_content(kiosk_app_t *app)
{
    char installed[KIOSK_PATH_MAX + 32];
    const char *dir;
    struct stat sb;
    int dl;

    snprintf(installed, sizeof(installed), "%s/content/content.json", app->opts.data_dir);
    if (app->opts.content_dir[0]) {
        dir = app->opts.content_dir;
    } else if (stat(installed, &sb) == 0) {
        snprintf(installed, sizeof(installed), "%s/content", app->opts.data_dir);
        dir = installed;
    } else {
        dir = KIOSK_FACTORY_CONTENT;
    }
    if (content_load_dir(dir, &app->content) == WM_OK) {
        snprintf(app->content_path, sizeof(app->content_path), "%s", dir);
        wm_log_info("content: %zu languages from %s", content_language_count(app->content), dir);
    } else {
        wm_log_error("%s", wm_last_error());
        wm_log_error("content: using the built-in fallback text");
        if (content_builtin(&app->content) != WM_OK) {
            /* cannot even allocate the fallback: nothing sensible is left */
            wm_log_error("%s", wm_last_error());
            abort();
        }
    }
    dl = content_language_find(app->content, app->opts.default_language);
    if (dl < 0) {
        wm_log_warn("default_language '%s' is not in the content; using '%s'",
                    app->opts.default_language, content_language_tag(app->content, 0));
        dl = 0;
    }
    app->default_lang = (size_t)dl;
}

/* Fonts, layout, glyph cache and the screen drawer. Fonts the content
 * brings (CONTENT/fonts/, with optional fallback rules in
 * CONTENT/fonts/fallback.conf) are searched before the system's. A booth
 * without text still runs (and says so in the log) rather than dying. */
static void app_font_missing(const char *name, void *ctx)
{
    (void)ctx;
    wm_log_warn("fonts: cannot open %s", name);
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
    /* every font now, so nothing about fonts is logged during a visit */
    i18n_fonts_preload(app->fonts, app_font_missing, NULL);
}

/* ---- frames ------------------------------------------------------------- */

static void app_render(kiosk_app_t *app)
{
    SDL_Renderer *r = app->renderer;
    kiosk_screen_t *top = kiosk_screen_stack_top(&app->stack);
    const kiosk_options_t *o = &app->opts;
    int ow, oh;
    double s, cx, cy;
    SDL_Rect dst;

    SDL_SetRenderTarget(r, app->ui);
    SDL_SetRenderDrawColor(r, 0xF4, 0xF1, 0xEA, 0xFF);
    SDL_RenderClear(r);
    if (top && top->cls->draw)
        top->cls->draw(top, app);

    /* the UI, rotated for the panel and scaled to the output, centred */
    SDL_SetRenderTarget(r, NULL);
    SDL_SetRenderDrawColor(r, 0, 0, 0, 0xFF);
    SDL_RenderClear(r);
    if (SDL_GetRendererOutputSize(r, &ow, &oh) != 0) {
        ow = app->view.win_w;
        oh = app->view.win_h;
    }
    s = (double)ow / app->view.panel_w;
    if ((double)oh / app->view.panel_h < s)
        s = (double)oh / app->view.panel_h;
    cx = ow / 2.0;
    cy = oh / 2.0;
    dst.w = (int)(o->width * s + 0.5);
    dst.h = (int)(o->height * s + 0.5);
    dst.x = (int)(cx - dst.w / 2.0);
    dst.y = (int)(cy - dst.h / 2.0);
    SDL_RenderCopyEx(r, app->ui, NULL, &dst, o->rotate, NULL, SDL_FLIP_NONE);
    SDL_RenderPresent(r);
    app->frames++;
    app->dirty = false;
}

/* ---- events and timers -------------------------------------------------- */

static void app_handle(kiosk_app_t *app, const SDL_Event *ev)
{
    switch (ev->type) {
    case SDL_QUIT:
        app->quit = true;
        break;
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
            kiosk_view_init(&app->view, app->opts.width, app->opts.height, app->opts.rotate,
                            ev->window.data1, ev->window.data2);
            app->dirty = true;
        } else if (ev->window.event == SDL_WINDOWEVENT_EXPOSED ||
                   ev->window.event == SDL_WINDOWEVENT_RESTORED) {
            app->dirty = true;
        }
        break;
    case SDL_RENDER_TARGETS_RESET:
    case SDL_RENDER_DEVICE_RESET:
        app->dirty = true;
        break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        /* touches arrive as mouse events too (SDL_HINT_TOUCH_MOUSE_EVENTS) */
        if (ev->button.button == SDL_BUTTON_LEFT)
            app_pointer(app, ev->type, ev->button.x, ev->button.y);
        break;
    case SDL_MOUSEMOTION:
        if (ev->motion.state & SDL_BUTTON_LMASK)
            app_pointer(app, ev->type, ev->motion.x, ev->motion.y);
        break;
    case SDL_KEYDOWN:
        app_note_input(app);
        if (ev->key.keysym.sym == SDLK_ESCAPE || ev->key.keysym.sym == SDLK_AC_BACK ||
            ev->key.keysym.sym == SDLK_BACKSPACE)
            kiosk_app_back(app);
        break;
    default:
        break;
    }
}

static void app_pointer(kiosk_app_t *app, Uint32 type, int wx, int wy)
{
    kiosk_screen_t *top = kiosk_screen_stack_top(&app->stack);
    const kiosk_widget_t *wd = NULL;
    int x, y, index;

    app_note_input(app);
    if (!top)
        return;
    if (kiosk_view_to_logical(&app->view, wx, wy, &x, &y))
        wd = kiosk_screen_hit(top, x, y);
    index = wd ? (int)(wd - top->widgets) : -1;
    if (type == SDL_MOUSEBUTTONDOWN) {
        top->pressed = index;
        app->dirty = true;
    } else if (type == SDL_MOUSEMOTION) {
        /* sliding off a button cancels it, as on a phone */
        if (top->pressed >= 0 && index != top->pressed) {
            top->pressed = -1;
            app->dirty = true;
        }
    } else {
        int pressed = top->pressed;

        top->pressed = -1;
        app->dirty = true;
        if (index >= 0 && index == pressed && top->cls->activate)
            top->cls->activate(top, app, &top->widgets[index]);
    }
}

static void app_note_input(kiosk_app_t *app)
{
    app->last_input_ms = app->now_ms;
    app->idle_armed = true;
    app->idle_deadline = app->now_ms + (uint64_t)app->opts.idle_timeout * 1000u;
}

static bool app_next_deadline(const kiosk_app_t *app, uint64_t *deadline)
{
    if (!app->idle_armed)
        return false;
    *deadline = app->idle_deadline;
    return true;
}

static void app_fire_timers(kiosk_app_t *app)
{
    kiosk_screen_t *top;

    if (app->idle_armed && app->now_ms >= app->idle_deadline) {
        /* Nobody has touched the booth: forget everything they did. */
        app->idle_armed = false;
        if (app->stack.depth > 1 || app->lang >= 0) {
            kiosk_screen_stack_pop_all(&app->stack);
            app->lang = -1;
        }
        top = kiosk_screen_stack_top(&app->stack);
        if (top)
            top->pressed = -1;
        app->dirty = true;
    }
}

static void app_clock_update(kiosk_app_t *app)
{
    if (!app->virtual_clock)
        app->now_ms = app->clock_ms0 + (SDL_GetTicks64() - app->clock_ticks0);
}

/* Sleeps until an event arrives or timeout_ms pass (-1: no timeout), then
 * handles every pending event. */
static void app_wait(kiosk_app_t *app, int timeout_ms)
{
    SDL_Event ev;
    uint64_t start = SDL_GetTicks64();

    if (app->blocking_wait) {
        if (SDL_WaitEventTimeout(&ev, timeout_ms)) {
            app_clock_update(app);
            app_handle(app, &ev);
        }
    } else {
        /* SDL 2 polls every millisecond in SDL_WaitEventTimeout for video
         * drivers without a native wait (kmsdrm, offscreen, dummy); poll
         * more gently instead. */
        for (;;) {
            uint64_t waited = SDL_GetTicks64() - start;
            int slice;

            app_clock_update(app); /* so the rest interval below sees real time */
            slice = app->opts.headless ? KIOSK_POLL_HEADLESS_MS
                    : app->now_ms - app->last_input_ms < KIOSK_POLL_REST_AFTER
                        ? KIOSK_POLL_ACTIVE_MS
                        : KIOSK_POLL_REST_MS;

            if (SDL_PollEvent(&ev)) {
                app_clock_update(app);
                app_handle(app, &ev);
                break;
            }
            if (timeout_ms >= 0) {
                if (waited >= (uint64_t)timeout_ms)
                    break;
                if ((uint64_t)slice > (uint64_t)timeout_ms - waited)
                    slice = (int)((uint64_t)timeout_ms - waited);
            }
            SDL_Delay((Uint32)slice);
        }
    }
    app_drain(app);
}

/* Handles every event already queued (without waiting). */
static void app_drain(kiosk_app_t *app)
{
    SDL_Event ev;

    while (SDL_PollEvent(&ev)) {
        app_clock_update(app);
        app_handle(app, &ev);
    }
    if (app->virtual_clock && app->dirty)
        app_render(app);
}

/* Moves the virtual clock forward, firing every timer on the way. */
static void app_advance(kiosk_app_t *app, uint64_t ms)
{
    uint64_t target = app->now_ms + ms, deadline;

    while (app_next_deadline(app, &deadline) && deadline <= target) {
        uint64_t again;

        app->now_ms = deadline > app->now_ms ? deadline : app->now_ms;
        app_fire_timers(app);
        app_drain(app);
        /* a timer that neither fired nor moved would spin here forever */
        if (app_next_deadline(app, &again) && again <= deadline)
            break;
    }
    app->now_ms = target;
}

/* A synthetic pointer event at a logical point, sent through the window's
 * coordinates so it takes the same path as a real touch. */
static void app_push_pointer(kiosk_app_t *app, Uint32 type, int x, int y)
{
    SDL_Event ev;
    int wx, wy;

    kiosk_view_to_window(&app->view, x, y, &wx, &wy);
    memset(&ev, 0, sizeof(ev));
    ev.type = type;
    if (type == SDL_MOUSEMOTION) {
        ev.motion.windowID = app->window_id;
        ev.motion.state = SDL_BUTTON_LMASK;
        ev.motion.x = wx;
        ev.motion.y = wy;
    } else {
        ev.button.windowID = app->window_id;
        ev.button.button = SDL_BUTTON_LEFT;
        ev.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
        ev.button.clicks = 1;
        ev.button.x = wx;
        ev.button.y = wy;
    }
    SDL_PushEvent(&ev);
}

/* ---- screenshots -------------------------------------------------------- */

static wm_status_t app_shot(kiosk_app_t *app, const kiosk_script_t *script,
                            const kiosk_script_cmd_t *cmd)
{
    const int w = app->opts.width, h = app->opts.height;
    const size_t bytes = (size_t)w * (size_t)h * 4;
    char path[KIOSK_PATH_MAX + KIOSK_SCRIPT_ARG_MAX + 8];
    int pw, ph, rc;
    wm_status_t st;

    if (!app->opts.screenshot_dir[0])
        return wm_error(WM_EINVAL, "%s:%d: 'shot' needs --screenshot-dir", script->name, cmd->line);
    if (!app->shot_ui) {
        app->shot_ui = wm_malloc(bytes);
        app->shot_panel = wm_malloc(bytes);
        if (!app->shot_ui || !app->shot_panel) {
            wm_free(app->shot_ui);
            wm_free(app->shot_panel);
            app->shot_ui = app->shot_panel = NULL;
            return wm_error(WM_ENOMEM, "%s:%d: out of memory for a screenshot", script->name,
                            cmd->line);
        }
    }
    app_render(app);
    SDL_SetRenderTarget(app->renderer, app->ui);
    rc = SDL_RenderReadPixels(app->renderer, NULL, SDL_PIXELFORMAT_RGBA32, app->shot_ui, w * 4);
    SDL_SetRenderTarget(app->renderer, NULL);
    if (rc != 0)
        return wm_error(WM_ESDL, "%s:%d: cannot read the frame back: %s", script->name, cmd->line,
                        SDL_GetError());
    for (size_t i = 3; i < bytes; i += 4)
        app->shot_ui[i] = 0xFF;
    kiosk_rotate_size(app->opts.rotate, w, h, &pw, &ph);
    kiosk_rotate_image(app->opts.rotate, app->shot_ui, w, h, w * 4, app->shot_panel);
    snprintf(path, sizeof(path), "%s/%s.png", app->opts.screenshot_dir, cmd->text);
    st = render_png_write_rgba(path, app->shot_panel, pw, ph, pw * 4);
    if (st != WM_OK) {
        char why[512];

        snprintf(why, sizeof(why), "%s", wm_last_error());
        return wm_error(st, "%s:%d: %s", script->name, cmd->line, why);
    }
    wm_log_info("screenshot written: %s", path);
    return WM_OK;
}

/* Video drivers whose SDL_WaitEventTimeout sleeps in the OS (SDL 2.26). */
static bool driver_blocks(const char *driver)
{
    static const char *const blocking[] = {"x11", "wayland", "windows", "cocoa"};

    if (!driver)
        return false;
    for (size_t i = 0; i < sizeof(blocking) / sizeof(blocking[0]); i++) {
        if (strcmp(driver, blocking[i]) == 0)
            return true;
    }
    return false;
}
