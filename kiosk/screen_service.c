/*
 * screen_service.c: one service (arg: its index): name, badges (open now
 * or when it opens, free, no documents, walk-in, wheelchair), what it
 * offers, address, phone, languages spoken, the week's opening hours, its
 * QR code, and a "print a slip" button that stays at the bottom.
 */
#include "kiosk_private.h"

#include <math.h>
#include <string.h>

/* "09:00-12:30, 13:30-17:00" */
static void day_text(const content_day_t *d, char *out, size_t cap)
{
    size_t used = 0;

    out[0] = '\0';
    for (size_t i = 0; i < d->count && used < cap; i++) {
        int a = d->span[i].start, b = d->span[i].end % 1440;
        int k = snprintf(out + used, cap - used, "%s%02d:%02d\xE2\x80\x93%02d:%02d", i ? ", " : "",
                         a / 60, a % 60, b / 60, b % 60);

        if (k < 0)
            break;
        used += (size_t)k;
    }
    if (!d->count)
        snprintf(out, cap, "\xE2\x80\x94");
}

SDL_Texture *kiosk_ui_qr(kiosk_app_t *app, const char *payload, int avail, int max_module,
                         int *side)
{
    kiosk_qr_t qr;
    render_canvas_t *c = NULL;
    SDL_Texture *t = NULL;
    int m;

    *side = 0;
    if (!payload || kiosk_qr_encode(payload, &qr) != WM_OK)
        return NULL;
    m = kiosk_qr_module_px(&qr, avail, 2, max_module);
    if (m > 0 && render_canvas_create(RENDER_FORMAT_RGBA8, (qr.size + 2 * KIOSK_QR_QUIET) * m,
                                      (qr.size + 2 * KIOSK_QR_QUIET) * m, &c) == WM_OK) {
        *side = kiosk_qr_draw(c, &qr, 0, 0, m);
        t = kiosk_app_texture(app, c);
        render_canvas_destroy(c);
    }
    kiosk_qr_free(&qr);
    return t;
}

static wm_status_t service_enter(kiosk_screen_t *screen, void *ctx)
{
    static const char *const days[7] = {"day.mon", "day.tue", "day.wed", "day.thu",
                                        "day.fri", "day.sat", "day.sun"};
    kiosk_app_t *app = ctx;
    const kiosk_theme_t *th = kiosk_app_theme(app);
    const content_service_t *sv = content_service(app->content, (size_t)screen->arg);
    kiosk_ui_page_t *pg;
    kiosk_ui_t ui0;
    const kiosk_ui_t *ui;
    char key[CONTENT_ID_MAX + 32], buf[512];
    int y, inner, bh, side, bottom;
    float px, spx;

    if (screen->arg < 0 || !sv)
        return wm_error(WM_EINVAL, "service screen: no service %d", screen->arg);
    kiosk_ui_begin(app, &ui0);
    bh = (int)fmaxf(roundf(th->bar_h * ui0.u), (float)ui0.min_target);
    bottom = sv->qr ? ui0.h - ui0.margin - bh - ui0.margin / 2 : 0;
    pg = kiosk_ui_page(app, screen, sizeof(*pg), 48, bottom, true);
    if (!pg)
        return WM_ENOMEM;
    ui = &pg->ui;
    inner = ui->w - 2 * ui->margin;
    px = th->body_px * ui->u * ui->ts;
    spx = th->small_px * ui->u * ui->ts;
    y = ui->top;
    snprintf(key, sizeof(key), "service.%s.name", sv->id);
    y += kiosk_ui_page_say(app, pg, key, th->heading_px * ui->u * ui->ts, ui->margin, y, inner,
                           KIOSK_UI_TEXT, 4);
    y += pg->pad;
    y = kiosk_ui_service_badges(app, pg, (size_t)screen->arg, ui->margin, y, ui->w - ui->margin,
                                spx, true);
    y += pg->pad;
    snprintf(key, sizeof(key), "service.%s.description", sv->id);
    y += kiosk_ui_page_say(app, pg, key, px, ui->margin, y, inner, KIOSK_UI_TEXT, 0);
    y += pg->pad;
    if (sv->address) {
        y += kiosk_ui_page_text(app, pg, sv->address, content_site(app->content)->local_language,
                                px, ui->margin, y, inner, KIOSK_UI_TEXT, 0, false);
        y += pg->pad;
    }
    if (sv->phone) {
        /* a phone number reads left to right in every language */
        snprintf(buf, sizeof(buf), "\xE2\x81\xA6%s\xE2\x81\xA9", sv->phone);
        y += kiosk_ui_page_text(app, pg, buf, ui->tag, px, ui->margin, y, inner, KIOSK_UI_ACCENT, 1,
                                false);
        y += pg->pad;
    }
    if (sv->language_count) {
        size_t used = 0;

        y += kiosk_ui_page_say(app, pg, "languages_spoken", spx, ui->margin, y, inner,
                               KIOSK_UI_MUTED, 2);
        buf[0] = '\0';
        for (size_t i = 0; i < sv->language_count && used < sizeof(buf); i++) {
            int li = content_language_find(app->content, sv->languages[i]);
            const char *name =
                li >= 0 ? kiosk_app_string(app, (size_t)li, "autonym") : sv->languages[i];
            int k = snprintf(buf + used, sizeof(buf) - used, "%s\xE2\x81\xA8%s\xE2\x81\xA9",
                             i ? " \xC2\xB7 " : "", name);

            if (k < 0 || (size_t)k >= sizeof(buf) - used)
                break;
            used += (size_t)k;
        }
        y += kiosk_ui_page_text(app, pg, buf, ui->tag, px, ui->margin, y, inner, KIOSK_UI_TEXT, 0,
                                false);
        y += pg->pad;
    }
    for (int d = 0; d < 7; d++) {
        const char *tag;
        const char *name = kiosk_app_say(app, days[d], &tag);
        char line[256], spans[160];

        day_text(&sv->hours.week[d], spans, sizeof(spans));
        snprintf(line, sizeof(line), "%s  \xE2\x81\xA6%s\xE2\x81\xA9", name, spans);
        y += kiosk_ui_page_text(app, pg, line, tag, spx, ui->margin, y, inner, KIOSK_UI_TEXT, 1,
                                false);
    }
    y += pg->pad;
    if (sv->qr) {
        SDL_Texture *t =
            kiosk_ui_qr(app, sv->qr, inner / 2, (int)fmaxf(2, th->qr_px * ui->u / 2), &side);

        if (t) {
            kiosk_ui_page_image(pg, t, (SDL_Rect){(ui->w - side) / 2, y, side, side}, false);
            y += side;
        }
    }
    kiosk_ui_page_end(pg, screen, y + ui->margin);
    if (sv->qr) {
        SDL_Rect r = {ui->margin, ui->h - ui->margin - bh, inner, bh};
        const char *tag;
        const char *label = kiosk_app_say(app, "print", &tag);
        wm_status_t s;

        if ((s = kiosk_screen_add_widget(screen, "print", r, KIOSK_ACTION_PRINT, screen->arg)) !=
            WM_OK)
            return s;
        kiosk_ui_page_label(app, pg, label, tag, th->body_px * ui->u * ui->ts, r,
                            KIOSK_UI_ON_ACCENT, 1);
        if (pg->item_count)
            pg->items[pg->item_count - 1].fixed = true;
    }
    return WM_OK;
}

const kiosk_screen_class_t kiosk_screen_service = {
    KIOSK_SCREEN_SERVICE, service_enter,     kiosk_ui_page_leave,
    kiosk_ui_page_draw,   kiosk_ui_activate, kiosk_ui_page_scroll,
};
