/*
 * app_script.c: script replay on the virtual clock. Taps, drags and keys
 * travel as real SDL events through the window's coordinates, so they take
 * the same rotation and hit-testing path as a finger; `shot` writes the
 * frame as the panel shows it.
 */
#include "kiosk_private.h"

#include <string.h>

#define KIOSK_DRAG_STEP_MS   16
#define KIOSK_DRAG_STEPS_MAX 256

static void app_push_pointer(kiosk_app_t *app, Uint32 type, int x, int y);
static wm_status_t app_shot(kiosk_app_t *app, const kiosk_script_t *script,
                            const kiosk_script_cmd_t *cmd);

void kiosk_app_set_script(kiosk_app_t *app, const kiosk_script_t *script)
{
    app->script = script;
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
        if (app->asking && strcmp(cmd->text, KIOSK_WIDGET_CONTINUE) == 0) {
            x = app->ask_button.x + app->ask_button.w / 2;
            y = app->ask_button.y + app->ask_button.h / 2;
            app_push_pointer(app, SDL_MOUSEBUTTONDOWN, x, y);
            app_push_pointer(app, SDL_MOUSEBUTTONUP, x, y);
            break;
        }
        wd = top ? kiosk_screen_find(top, cmd->text) : NULL;
        if (!wd)
            return wm_error(WM_ENOENT, "%s:%d: no widget '#%s' on this screen", script->name,
                            cmd->line, cmd->text);
        /* scrolled out of sight: a finger could not tap it either */
        if (wd->rect.w <= 0 || wd->rect.h <= 0)
            return wm_error(WM_ENOENT, "%s:%d: widget '#%s' is out of sight (drag to it first)",
                            script->name, cmd->line, cmd->text);
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
        kiosk_app_drain(app);
        for (int i = 1; i <= steps; i++) {
            int64_t dx = (int64_t)(cmd->v[2] - cmd->v[0]) * i / steps;
            int64_t dy = (int64_t)(cmd->v[3] - cmd->v[1]) * i / steps;
            uint64_t t0 = (uint64_t)cmd->v[4] * (uint64_t)(i - 1) / (uint64_t)steps;
            uint64_t t1 = (uint64_t)cmd->v[4] * (uint64_t)i / (uint64_t)steps;

            kiosk_app_advance(app, t1 - t0);
            app_push_pointer(app, SDL_MOUSEMOTION, cmd->v[0] + (int)dx, cmd->v[1] + (int)dy);
            kiosk_app_drain(app);
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
        kiosk_app_drain(app);
        kiosk_app_advance(app, (uint64_t)cmd->v[0]);
        break;
    case KIOSK_CMD_SHOT:
        kiosk_app_drain(app);
        return app_shot(app, script, cmd);
    case KIOSK_CMD_QUIT:
        app->quit = true;
        return WM_OK;
    }
    kiosk_app_drain(app);
    return WM_OK;
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

/* The frame as the panel shows it, to SCREENSHOT_DIR/NAME.png (the name
 * was checked by the script parser: it cannot leave the folder). */
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
    kiosk_app_frame(app);
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
    if (st != WM_OK)
        return wm_error(st, "%s:%d: cannot write the screenshot: %s", script->name, cmd->line,
                        wm_last_error());
    {
        char q[WM_ESCAPE_MAX];

        wm_log_info("screenshot written: %s", wm_escape(path, q, sizeof(q)));
    }
    return WM_OK;
}
