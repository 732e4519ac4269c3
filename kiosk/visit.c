/*
 * visit.c: the end of a visit. After idle_timeout seconds without a touch
 * the booth asks "still there?" for KIOSK_ASK_SECONDS, counting down; any
 * touch answers it. When the countdown runs out, or when the person taps
 * "finish", everything about the visit is dropped: every screen (with its
 * state, scroll positions and anything pending), the chosen language, the
 * screenshot buffers; installed content waiting for a new visit is shown;
 * the shaped words and glyph bitmaps cached for it; a fresh welcome
 * screen replaces the old one, so the next frame is a fresh start's.
 *
 * Nothing of this is logged or written anywhere.
 */
#include "kiosk_private.h"

#include <string.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

void kiosk_app_finish_visit(kiosk_app_t *app)
{
    const size_t bytes = (size_t)app->opts.width * (size_t)app->opts.height * 4;

    kiosk_audio_stop(app);
    app->asking = false;
    app->ask_laid_out = false;
    app->idle_armed = false;
    kiosk_screen_stack_pop_all(&app->stack);
    app->lang = -1;
    app->text_step = 0;
    app->high_contrast = false;
    /* a slip still being sent finishes, but not for the next person */
    app->visit_seq++;
    app->print_pending = false;
    /* The words shaped and glyphs drawn for this visit go too: the next
     * visit starts from the same memory, so the booth's memory does not
     * creep from visit to visit, and nothing shaped for a visitor stays. */
    i18n_layout_word_cache_clear(app->layout);
    render_glyph_cache_clear(app->glyphs);
    /* and the slip composer's own, made again at the next print */
    kiosk_slip_composer_destroy(app->composer);
    app->composer = NULL;
    if (app->shot_ui) {
        memset(app->shot_ui, 0, bytes);
        memset(app->shot_panel, 0, bytes);
    }
    if (app->swap_due) {
        /* new content: no screen may keep texts laid out with the old */
        kiosk_screen_stack_clear(&app->stack);
        kiosk_update_swap(app);
        if (kiosk_screen_stack_push(&app->stack, &kiosk_screen_welcome, 0) != WM_OK)
            wm_log_error("cannot open the welcome screen: %s", wm_last_error());
    } else if (kiosk_screen_stack_replace(&app->stack, &kiosk_screen_welcome, 0) != WM_OK) {
        /* a fresh welcome screen could not be made: the old one stays */
        wm_log_error("cannot open the welcome screen: %s", wm_last_error());
        if (app->stack.depth)
            app->stack.items[0].pressed = -1;
    }
#if defined(__GLIBC__)
    /* what the visit freed goes back to the system, so the booth's
     * resident size is the same from one visit to the next */
    malloc_trim(0);
#endif
    app->dirty = true;
}

bool kiosk_app_asking(const kiosk_app_t *app)
{
    return app->asking;
}

/* Something a person chose that the booth would have to forget. */
static bool visit_started(const kiosk_app_t *app)
{
    const kiosk_screen_t *top = app->stack.depth ? &app->stack.items[app->stack.depth - 1] : NULL;

    return app->stack.depth > 1 || app->lang >= 0 || (top && top->pressed >= 0);
}

void kiosk_visit_idle(kiosk_app_t *app)
{
    app->idle_armed = false;
    if (!visit_started(app)) {
        kiosk_app_finish_visit(app);
        return;
    }
    app->asking = true;
    app->ask_deadline = app->now_ms + (uint64_t)KIOSK_ASK_SECONDS * 1000u;
    app->ask_shown = -1;
    kiosk_overlay_ask_layout(app);
    if (app->stack.depth)
        app->stack.items[app->stack.depth - 1].pressed = -1;
    app->dirty = true;
}

bool kiosk_visit_deadline(const kiosk_app_t *app, uint64_t *deadline)
{
    uint64_t left;

    if (!app->asking)
        return false;
    if (app->now_ms >= app->ask_deadline) {
        *deadline = app->ask_deadline;
        return true;
    }
    /* the next whole second of the countdown, so the number changes */
    left = app->ask_deadline - app->now_ms;
    *deadline = app->now_ms + ((left - 1) % 1000u) + 1;
    return true;
}

void kiosk_visit_tick(kiosk_app_t *app)
{
    if (!app->asking)
        return;
    if (app->now_ms >= app->ask_deadline) {
        kiosk_app_finish_visit(app);
        return;
    }
    app->dirty = true;
}

void kiosk_visit_answer(kiosk_app_t *app)
{
    app->asking = false;
    app->dirty = true;
}
