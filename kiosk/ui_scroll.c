/*
 * ui_scroll.c: a scrolling area of a screen. Widgets added between
 * kiosk_ui_scroll_begin and _end move with the scroll offset and are
 * clipped to the view, so a finger hits only what it sees; drawing is
 * clipped to the view too. The scroll bar sits at the reading end's edge
 * (right in LTR, left in RTL).
 */
#include "kiosk_private.h"

#include <math.h>
#include <string.h>

void kiosk_ui_scroll_begin(kiosk_ui_scroll_t *s, const kiosk_screen_t *screen, SDL_Rect view)
{
    memset(s, 0, sizeof(*s));
    s->view = view;
    s->first = screen->widget_count;
}

void kiosk_ui_scroll_end(kiosk_ui_scroll_t *s, kiosk_screen_t *screen, int content_h)
{
    s->count = screen->widget_count - s->first;
    for (size_t i = 0; i < s->count; i++)
        s->base[i] = screen->widgets[s->first + i].rect;
    s->content_h = content_h;
    kiosk_ui_scroll_by(s, screen, 0);
}

bool kiosk_ui_scroll_by(kiosk_ui_scroll_t *s, kiosk_screen_t *screen, int dy)
{
    int max = s->content_h - s->view.h, old = s->scroll;

    s->scroll += dy;
    if (s->scroll > max)
        s->scroll = max;
    if (s->scroll < 0)
        s->scroll = 0;
    for (size_t i = 0; i < s->count; i++) {
        SDL_Rect r = s->base[i], out;

        r.y -= s->scroll;
        if (!SDL_IntersectRect(&r, &s->view, &out))
            out = (SDL_Rect){r.x, r.y, 0, 0}; /* out of sight: not hittable */
        screen->widgets[s->first + i].rect = out;
    }
    return s->scroll != old;
}

void kiosk_ui_scroll_clip(kiosk_app_t *app, const kiosk_ui_scroll_t *s, bool on)
{
    kiosk_app_clip(app, on ? &s->view : NULL);
}

void kiosk_ui_scroll_bar(kiosk_app_t *app, const kiosk_ui_t *ui, const kiosk_ui_scroll_t *s)
{
    const kiosk_theme_t *th = kiosk_app_theme(app);
    int bw = (int)fmaxf(4.0f, roundf(10.0f * ui->u)), len, y;
    SDL_Rect track;

    if (s->content_h <= s->view.h || s->view.h <= 0)
        return;
    len = (int)((int64_t)s->view.h * s->view.h / s->content_h);
    y = s->view.y + (int)((int64_t)(s->view.h - len) * s->scroll / (s->content_h - s->view.h));
    track = (SDL_Rect){ui->rtl ? bw / 2 : ui->w - bw - bw / 2, y, bw, len};
    kiosk_app_fill(app, track, th->muted);
}
