/*
 * app_loop.c: the booth's event loop: input (touches arrive as mouse
 * events, keys), window events, the idle timer and the clock (real, or
 * virtual while a script runs).
 *
 * A frame is drawn only when something changed; with nothing to do the
 * loop sleeps until the next event or timer. Privacy: the idle timer wipes
 * the screen stack and the chosen language; nothing a person does is
 * logged or written anywhere.
 */
#include "kiosk_private.h"

static void app_handle(kiosk_app_t *app, const SDL_Event *ev);
static void app_pointer(kiosk_app_t *app, Uint32 type, int wx, int wy);
static void app_fling(kiosk_app_t *app);
static void app_note_input(kiosk_app_t *app);
static void app_fire_timers(kiosk_app_t *app);
static bool app_next_deadline(const kiosk_app_t *app, uint64_t *deadline);
static void app_clock_update(kiosk_app_t *app);
static void app_wait(kiosk_app_t *app, int timeout_ms);

wm_status_t kiosk_app_run(kiosk_app_t *app)
{
    wm_status_t st;

    kiosk_notify_init(&app->notify);
    kiosk_app_frame(app);
    wm_log_debug("first frame drawn");
    kiosk_notify_frame(&app->notify, app->now_ms);
    if (app->opts.exit_after_first_frame)
        return WM_OK;
    /* a stick already in, or a bundle left in the inbox */
    kiosk_app_check_updates(app);
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
            kiosk_app_frame(app);
        app_clock_update(app);
        /* the watchdog hears from the render loop itself: a hung loop
         * stops the pings and systemd restarts the booth */
        kiosk_notify_tick(&app->notify, app->now_ms);
        if (app_next_deadline(app, &deadline))
            timeout = deadline > app->now_ms ? (int)(deadline - app->now_ms) : 0;
        if (kiosk_notify_deadline(&app->notify, &deadline)) {
            int wd = deadline > app->now_ms ? (int)(deadline - app->now_ms) : 0;

            if (timeout < 0 || wd < timeout)
                timeout = wd;
        }
        app_wait(app, timeout);
        app_clock_update(app);
        app_fire_timers(app);
    }
    kiosk_notify_stopping(&app->notify);
    return WM_OK;
}

void kiosk_app_drain(kiosk_app_t *app)
{
    SDL_Event ev;

    while (SDL_PollEvent(&ev)) {
        app_clock_update(app);
        app_handle(app, &ev);
    }
    if (app->virtual_clock && app->dirty)
        kiosk_app_frame(app);
}

void kiosk_app_advance(kiosk_app_t *app, uint64_t ms)
{
    uint64_t target = app->now_ms + ms, deadline;

    while (app_next_deadline(app, &deadline) && deadline <= target) {
        uint64_t again;

        app->now_ms = deadline > app->now_ms ? deadline : app->now_ms;
        app_fire_timers(app);
        kiosk_app_drain(app);
        /* a timer that neither fired nor moved would spin here forever */
        if (app_next_deadline(app, &again) && again <= deadline)
            break;
    }
    app->now_ms = target;
}

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
        } else if (ev->window.event == SDL_WINDOWEVENT_CLOSE) {
            /* a visitor's Alt+F4 must not leave a fullscreen booth */
            if (!app->display.fullscreen)
                app->quit = true;
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
        /* a touch comes as finger events; the mouse events SDL makes from
         * it (SDL_TOUCH_MOUSEID) would count it twice */
        if (ev->button.button == SDL_BUTTON_LEFT && ev->button.which != SDL_TOUCH_MOUSEID)
            app_pointer(app, ev->type, ev->button.x, ev->button.y);
        break;
    case SDL_MOUSEMOTION:
        if ((ev->motion.state & SDL_BUTTON_LMASK) && ev->motion.which != SDL_TOUCH_MOUSEID)
            app_pointer(app, ev->type, ev->motion.x, ev->motion.y);
        break;
    case SDL_FINGERDOWN:
    case SDL_FINGERMOTION:
    case SDL_FINGERUP: {
        /* one finger at a time; coordinates are 0..1 of the window */
        int wx = (int)(ev->tfinger.x * (float)app->view.win_w);
        int wy = (int)(ev->tfinger.y * (float)app->view.win_h);

        if (ev->type == SDL_FINGERDOWN) {
            if (app->finger_active)
                break;
            app->finger_active = true;
            app->finger = ev->tfinger.fingerId;
        } else if (!app->finger_active || ev->tfinger.fingerId != app->finger) {
            break;
        }
        if (ev->type == SDL_FINGERUP)
            app->finger_active = false;
        app_pointer(app,
                    ev->type == SDL_FINGERDOWN ? SDL_MOUSEBUTTONDOWN
                    : ev->type == SDL_FINGERUP ? SDL_MOUSEBUTTONUP
                                               : SDL_MOUSEMOTION,
                    wx, wy);
        break;
    }
    case SDL_KEYDOWN:
        app_note_input(app);
        if (ev->key.keysym.sym == SDLK_ESCAPE || ev->key.keysym.sym == SDLK_AC_BACK ||
            ev->key.keysym.sym == SDLK_BACKSPACE)
            kiosk_app_back(app);
        break;
    default:
        if (app->watch_event && ev->type == app->watch_event)
            kiosk_update_event(app);
        else if (app->print_event && ev->type == app->print_event)
            kiosk_print_poll(app);
        break;
    }
}

static void app_pointer(kiosk_app_t *app, Uint32 type, int wx, int wy)
{
    kiosk_screen_t *top = kiosk_screen_stack_top(&app->stack);
    const kiosk_widget_t *wd = NULL;
    int x = 0, y = 0, index, slop = kiosk_app_min_target(app) / 4;
    bool inside;

    app_note_input(app);
    if (!top)
        return;
    if (app->asking) {
        /* "still there?": any touch answers it, and does nothing else */
        if (type == SDL_MOUSEBUTTONDOWN)
            kiosk_visit_answer(app);
        top->pressed = -1;
        return;
    }
    inside = kiosk_view_to_logical(&app->view, wx, wy, &x, &y);
    /* the hidden entry to maintenance sees every touch first */
    if (inside && kiosk_maint_touch(app, type, x, y))
        return;
    if (inside)
        wd = kiosk_screen_hit(top, x, y);
    index = wd ? (int)(wd - top->widgets) : -1;
    if (type == SDL_MOUSEBUTTONDOWN) {
        top->pressed = index;
        app->pointer_down = true;
        app->dragging = false;
        app->down_x = x;
        app->down_y = app->drag_y = y;
        app->drag_ms = app->now_ms;
        app->fling_v = 0; /* a finger stops a fling */
        app->dirty = true;
    } else if (type == SDL_MOUSEMOTION) {
        if (!app->pointer_down || !inside)
            return;
        if (!app->dragging && (y - app->down_y > slop || app->down_y - y > slop) &&
            top->cls->scroll) {
            /* a drag, not a tap: the button under the finger lets go */
            app->dragging = true;
            top->pressed = -1;
            app->dirty = true;
        }
        if (app->dragging) {
            uint64_t dt = app->now_ms - app->drag_ms;

            if (top->cls->scroll(top, app, app->drag_y - y))
                app->dirty = true;
            if (dt > 0)
                app->fling_v = (float)(app->drag_y - y) / (float)dt;
            app->drag_y = y;
            app->drag_ms = app->now_ms;
        } else if (top->pressed >= 0 && index != top->pressed) {
            /* sliding off a button cancels it, as on a phone */
            top->pressed = -1;
            app->dirty = true;
        }
    } else {
        int pressed = top->pressed;

        top->pressed = -1;
        app->pointer_down = false;
        app->dirty = true;
        if (app->dragging) {
            app->dragging = false;
            /* a quick flick goes on by itself, slowing down */
            if (app->now_ms - app->drag_ms > 100 ||
                (app->fling_v < KIOSK_FLING_MIN && app->fling_v > -KIOSK_FLING_MIN))
                app->fling_v = 0;
            app->fling_next = app->now_ms + KIOSK_FLING_STEP_MS;
            return;
        }
        app->fling_v = 0;
        if (index >= 0 && index == pressed && top->cls->activate)
            top->cls->activate(top, app, &top->widgets[index]);
    }
}

/* One step of a fling: move by the speed, lose some of it. */
static void app_fling(kiosk_app_t *app)
{
    kiosk_screen_t *top = kiosk_screen_stack_top(&app->stack);
    float d = app->fling_v * (float)KIOSK_FLING_STEP_MS;

    if (!top || !top->cls->scroll || !top->cls->scroll(top, app, (int)d)) {
        app->fling_v = 0; /* it hit an end */
    } else {
        app->fling_v *= KIOSK_FLING_DECAY;
        if (app->fling_v < KIOSK_FLING_MIN / 4 && app->fling_v > -KIOSK_FLING_MIN / 4)
            app->fling_v = 0;
    }
    app->fling_next = app->now_ms + KIOSK_FLING_STEP_MS;
    app->dirty = true;
}

static void app_note_input(kiosk_app_t *app)
{
    app->last_input_ms = app->now_ms;
    app->idle_armed = true;
    app->idle_deadline = app->now_ms + kiosk_maint_idle_ms(app);
}

static bool app_next_deadline(const kiosk_app_t *app, uint64_t *deadline)
{
    uint64_t d;
    bool any = false;

    if (app->idle_armed) {
        *deadline = app->idle_deadline;
        any = true;
    }
    if (kiosk_visit_deadline(app, &d) && (!any || d < *deadline)) {
        *deadline = d;
        any = true;
    }
    if (kiosk_update_deadline(app, &d) && (!any || d < *deadline)) {
        *deadline = d;
        any = true;
    }
    /* a screen's own redraw and a fling in motion */
    if (app->screen_timer && (!any || app->screen_timer < *deadline)) {
        *deadline = app->screen_timer;
        any = true;
    }
    if (app->fling_v != 0 && !app->pointer_down && (!any || app->fling_next < *deadline)) {
        *deadline = app->fling_next;
        any = true;
    }
    return any;
}

static void app_fire_timers(kiosk_app_t *app)
{
    if (app->fling_v != 0 && !app->pointer_down && app->now_ms >= app->fling_next)
        app_fling(app);
    if (app->screen_timer && app->now_ms >= app->screen_timer) {
        app->screen_timer = 0; /* the screen sets the next one when it draws */
        app->dirty = true;
    }
    /* Nobody has touched the booth: ask, then forget everything. */
    if (app->idle_armed && app->now_ms >= app->idle_deadline) {
        if (!kiosk_maint_idle(app))
            kiosk_visit_idle(app);
    } else if (app->asking)
        kiosk_visit_tick(app);
    kiosk_update_tick(app);
    if (!app->print_event)
        kiosk_print_poll(app);
}

static void app_clock_update(kiosk_app_t *app)
{
    if (!app->virtual_clock)
        app->now_ms = app->clock_ms0 + (SDL_GetTicks64() - app->clock_ticks0);
}

/* Sleeps until an event arrives or timeout_ms pass (-1: no timeout), then
 * handles every pending event. Each return from the OS counts as a
 * wake-up (kiosk_app_wakeups). */
static void app_wait(kiosk_app_t *app, int timeout_ms)
{
    SDL_Event ev;
    uint64_t start = SDL_GetTicks64();

    if (app->blocking_wait) {
        int got = SDL_WaitEventTimeout(&ev, timeout_ms);

        app->wakeups++;
        if (got) {
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

            app->wakeups++;
            app_clock_update(app); /* so the rest interval below sees real time */
            slice = app->display.kind == KIOSK_DISPLAY_HEADLESS ? KIOSK_POLL_HEADLESS_MS
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
    kiosk_app_drain(app);
}
