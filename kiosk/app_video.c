/*
 * app_video.c: SDL video for the booth: start-up on the display that
 * kiosk_display_choose() picked (a desktop window, KMSDRM fullscreen on a
 * console, or headless with the dummy/offscreen driver), and frames.
 *
 * Drawing: screens draw the UI at its logical size into a target texture;
 * each frame copies it, rotated for the panel and scaled to the output, to
 * the screen. The target keeps the last frame, so a change that knows its
 * place (a button pressed, the welcome's next greeting) redraws only that
 * rectangle, every draw clipped to it (kiosk_app_damage, kiosk_app_clip).
 * With SDL's software renderer and an output the size of the UI (headless,
 * or fullscreen unrotated), screens draw straight into the output surface,
 * which keeps its pixels just the same, and there is no target texture.
 */
#include "kiosk_private.h"

#include <string.h>

static bool video_init(const char *drivers);
static wm_status_t video_target(kiosk_app_t *app);
static bool driver_blocks(const char *driver);

wm_status_t kiosk_app_video_start(kiosk_app_t *app)
{
    const kiosk_options_t *o = &app->opts;
    const kiosk_display_t *d = &app->display;
    const bool headless = d->kind == KIOSK_DISPLAY_HEADLESS;
    int pw, ph, ww, wh;
    Uint32 flags = 0;
    SDL_RendererInfo info;

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
    if (SDL_GetRendererInfo(app->renderer, &info) == 0)
        app->out_software = (info.flags & SDL_RENDERER_SOFTWARE) != 0;
    app->out_kept = false;
    app->ui_valid = false;
    /* SDL's software renderer draws into a surface that keeps its pixels:
     * when the UI lands on it as it is (not rotated, not scaled, a window
     * that does not change size), screens draw there directly, saving a
     * copy each frame and the memory of a whole second frame */
    if (app->out_software && o->rotate == 0 && (headless || d->fullscreen) && ww == o->width &&
        wh == o->height)
        return WM_OK;
    return video_target(app);
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
    bool partial = !app->dirty && app->damaged && app->ui_valid;
    int ow, oh;
    double s, cx, cy;
    SDL_Rect dst;

    SDL_SetRenderTarget(r, NULL);
    if (SDL_GetRendererOutputSize(r, &ow, &oh) != 0) {
        ow = app->view.win_w;
        oh = app->view.win_h;
    }
    if (!app->ui && (ow != o->width || oh != o->height) && video_target(app) == WM_OK) {
        /* the output changed size under a directly drawn UI: draw into a
         * target from now on, scaled to the output */
        partial = false;
    }
    SDL_SetRenderTarget(r, app->ui);
    SDL_SetRenderDrawColor(r, bg.r, bg.g, bg.b, bg.a);
    if (partial) {
        /* the target keeps the last frame: clear and draw the damage only */
        app->clip = app->damage;
        app->clipping = true;
        SDL_RenderSetClipRect(r, &app->clip);
        SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_NONE);
        SDL_RenderFillRect(r, &app->clip);
        app->partial_frames++;
    } else {
        SDL_RenderSetClipRect(r, NULL);
        SDL_RenderClear(r);
    }
    if (top && top->cls->draw)
        top->cls->draw(top, app);
    kiosk_overlay_draw(app);
    SDL_RenderSetClipRect(r, NULL);
    app->clipping = false;
    app->ui_valid = true;

    if (app->ui) {
        /* the UI, rotated for the panel and scaled to the output, centred */
        SDL_SetRenderTarget(r, NULL);
        s = (double)ow / app->view.panel_w;
        if ((double)oh / app->view.panel_h < s)
            s = (double)oh / app->view.panel_h;
        cx = ow / 2.0;
        cy = oh / 2.0;
        dst.w = (int)(o->width * s + 0.5);
        dst.h = (int)(o->height * s + 0.5);
        dst.x = (int)(cx - dst.w / 2.0);
        dst.y = (int)(cy - dst.h / 2.0);
        if (partial && app->out_kept && ow == app->out_w && oh == app->out_h) {
            /* the software renderer's output keeps the last frame: copy
             * the damage alone when the UI lands on it unchanged */
            SDL_Rect at = {dst.x + app->damage.x, dst.y + app->damage.y, app->damage.w,
                           app->damage.h};

            SDL_RenderCopy(r, app->ui, &app->damage, &at);
        } else {
            SDL_SetRenderDrawColor(r, bars.r, bars.g, bars.b, bars.a);
            SDL_RenderClear(r);
            SDL_RenderCopyEx(r, app->ui, NULL, &dst, o->rotate, NULL, SDL_FLIP_NONE);
        }
        app->out_kept =
            app->out_software && o->rotate == 0 && dst.w == o->width && dst.h == o->height;
        app->out_w = ow;
        app->out_h = oh;
    }
    SDL_RenderPresent(r);
    app->frames++;
    app->dirty = false;
    app->damaged = false;
    kiosk_update_after_frame(app);
}

bool kiosk_app_frame_due(const kiosk_app_t *app)
{
    return app->dirty || app->damaged;
}

void kiosk_app_damage(kiosk_app_t *app, SDL_Rect r)
{
    const SDL_Rect all = {0, 0, app->opts.width, app->opts.height};
    SDL_Rect in;

    if (!SDL_IntersectRect(&r, &all, &in))
        return;
    if (app->damaged)
        SDL_UnionRect(&app->damage, &in, &app->damage);
    else
        app->damage = in;
    app->damaged = true;
}

void kiosk_app_set_pressed(kiosk_app_t *app, int index)
{
    kiosk_screen_t *top = kiosk_screen_stack_top(&app->stack);

    if (!top || top->pressed == index)
        return;
    if (top->pressed >= 0 && (size_t)top->pressed < top->widget_count)
        kiosk_app_damage(app, top->widgets[top->pressed].rect);
    if (index >= 0 && (size_t)index < top->widget_count)
        kiosk_app_damage(app, top->widgets[index].rect);
    top->pressed = index;
}

void kiosk_app_clip(kiosk_app_t *app, const SDL_Rect *r)
{
    SDL_Rect in;

    if (!app->clipping) {
        SDL_RenderSetClipRect(app->renderer, r);
        return;
    }
    if (!r) {
        in = app->clip;
    } else if (!SDL_IntersectRect(r, &app->clip, &in)) {
        /* nothing of r is drawn this frame: a clip outside the target
         * (an empty rectangle would turn clipping off) */
        in = (SDL_Rect){-2, -2, 1, 1};
    }
    SDL_RenderSetClipRect(app->renderer, &in);
}

/* The logical-size render target the UI is drawn into. */
static wm_status_t video_target(kiosk_app_t *app)
{
    const kiosk_options_t *o = &app->opts;

    app->ui = SDL_CreateTexture(app->renderer, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET,
                                o->width, o->height);
    if (!app->ui)
        return wm_error(WM_ESDL, "cannot create a %dx%d render target: %s", o->width, o->height,
                        SDL_GetError());
    /* opaque: copied, not blended, to the output */
    SDL_SetTextureBlendMode(app->ui, SDL_BLENDMODE_NONE);
    app->ui_valid = false;
    app->out_kept = false;
    return WM_OK;
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
