/*
 * app_video.c: SDL video for the booth: start-up on the display that
 * kiosk_display_choose() picked (a desktop window, KMSDRM fullscreen on a
 * console, or headless with the dummy/offscreen driver), and frames.
 *
 * Drawing: screens draw the UI at its logical size into a target texture;
 * each frame copies it, rotated for the panel and scaled to the output, to
 * the screen.
 */
#include "kiosk_private.h"

#include <string.h>

static bool video_init(const char *drivers);
static bool driver_blocks(const char *driver);

wm_status_t kiosk_app_video_start(kiosk_app_t *app)
{
    const kiosk_options_t *o = &app->opts;
    const kiosk_display_t *d = &app->display;
    const bool headless = d->kind == KIOSK_DISPLAY_HEADLESS;
    int pw, ph, ww, wh;
    Uint32 flags = 0;

    if (d->kind == KIOSK_DISPLAY_NONE)
        return wm_error(WM_EUNSUPPORTED, "no display: %s; give --headless for the demo", d->reason);
    kiosk_rotate_size(o->rotate, o->width, o->height, &pw, &ph);
    /* The choice overrides the environment's SDL_VIDEODRIVER: headless
     * means no display at all, and a console means KMSDRM. The dummy
     * driver comes first headless: it draws in memory and loads no GPU
     * stack (offscreen in SDL 2.26 loads EGL and Mesa for nothing here).
     * Each driver of the list is tried alone: SDL 2.26's dummy driver
     * only starts when the hint names it and nothing else. */
    if (!video_init(d->driver))
        return wm_error(WM_ESDL, "cannot start SDL video (%s: %s): %s", d->name, d->driver,
                        SDL_GetError());
    app->sdl_started = true;
    app->blocking_wait = driver_blocks(SDL_GetCurrentVideoDriver());
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
    /* closing the window (Alt+F4) only says so (SDL_WINDOWEVENT_CLOSE): the
     * loop ignores it in fullscreen; SIGTERM still quits */
    SDL_SetHint(SDL_HINT_QUIT_ON_LAST_WINDOW_CLOSE, "0");

    if (headless) {
        ww = pw;
        wh = ph;
        flags = SDL_WINDOW_HIDDEN;
    } else if (d->fullscreen) {
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
        Uint32 rflags = headless ? SDL_RENDERER_SOFTWARE : SDL_RENDERER_ACCELERATED;

        app->window_id = SDL_GetWindowID(app->window);
        app->renderer = SDL_CreateRenderer(app->window, -1, rflags | SDL_RENDERER_TARGETTEXTURE);
        if (!app->renderer && !headless)
            app->renderer = SDL_CreateRenderer(app->window, -1,
                                               SDL_RENDERER_SOFTWARE | SDL_RENDERER_TARGETTEXTURE);
        if (!app->renderer)
            return wm_error(WM_ESDL, "cannot create a renderer: %s", SDL_GetError());
        SDL_GetWindowSize(app->window, &ww, &wh);
    } else if (headless) {
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
    if (d->fullscreen) {
        SDL_ShowCursor(SDL_DISABLE);
        /* Alt+Tab and the desktop's other shortcuts come to the booth */
        if (app->window)
            SDL_SetWindowKeyboardGrab(app->window, SDL_TRUE);
    }
    kiosk_view_init(&app->view, o->width, o->height, o->rotate, ww, wh);
    app->ui = SDL_CreateTexture(app->renderer, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET,
                                o->width, o->height);
    if (!app->ui)
        return wm_error(WM_ESDL, "cannot create a %dx%d render target: %s", o->width, o->height,
                        SDL_GetError());
    return WM_OK;
}

void kiosk_app_video_stop(kiosk_app_t *app)
{
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
    app->ui = NULL;
    app->renderer = NULL;
    app->window = NULL;
    app->surface = NULL;
    app->sdl_started = false;
}

void kiosk_app_frame(kiosk_app_t *app)
{
    SDL_Renderer *r = app->renderer;
    kiosk_screen_t *top = kiosk_screen_stack_top(&app->stack);
    const kiosk_options_t *o = &app->opts;
    const render_color_t bg = kiosk_app_theme(app)->background, bars = kiosk_theme.letterbox;
    int ow, oh;
    double s, cx, cy;
    SDL_Rect dst;

    SDL_SetRenderTarget(r, app->ui);
    SDL_SetRenderDrawColor(r, bg.r, bg.g, bg.b, bg.a);
    SDL_RenderClear(r);
    if (top && top->cls->draw)
        top->cls->draw(top, app);
    kiosk_overlay_draw(app);

    /* the UI, rotated for the panel and scaled to the output, centred */
    SDL_SetRenderTarget(r, NULL);
    SDL_SetRenderDrawColor(r, bars.r, bars.g, bars.b, bars.a);
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
    kiosk_update_after_frame(app);
}

/* SDL video on the first driver of a comma-separated list that starts. */
static bool video_init(const char *drivers)
{
    char name[32];

    while (*drivers) {
        size_t n = strcspn(drivers, ",");

        snprintf(name, sizeof(name), "%.*s", (int)n, drivers);
        drivers += n + (drivers[n] == ',');
        SDL_SetHintWithPriority(SDL_HINT_VIDEODRIVER, name, SDL_HINT_OVERRIDE);
        if (SDL_Init(SDL_INIT_VIDEO) == 0)
            return true;
        wm_log_debug("video driver %s unavailable: %s", name, SDL_GetError());
    }
    return false;
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
