/*
 * screen_print.c: what came of printing a slip (arg: the service): a
 * short message in the person's language, and when the slip did not
 * print, the service's QR code large, to scan with a phone. While the
 * slip is being sent it says so, and is laid out again with the outcome.
 */
#include "kiosk_private.h"

#include <math.h>

static wm_status_t print_enter(kiosk_screen_t *screen, void *ctx)
{
    kiosk_app_t *app = ctx;
    const kiosk_theme_t *th = kiosk_app_theme(app);
    const content_service_t *sv = content_service(app->content, (size_t)screen->arg);
    const char *key = app->print_pending
                          ? "print.printing"
                          : kiosk_print_message_key(app->print_outcome, app->print_state);
    kiosk_ui_page_t *pg;
    kiosk_ui_t ui0;
    const kiosk_ui_t *ui;
    const char *msg, *tag = "en";
    size_t used;
    int y, side, avail, bh;
    SDL_Rect fin;
    wm_status_t s;

    if (screen->arg < 0 || !sv)
        return wm_error(WM_EINVAL, "print screen: no service %d", screen->arg);
    /* "finish" at the bottom, out of the scrolling part */
    kiosk_ui_begin(app, &ui0);
    bh = (int)fmaxf(roundf(th->bar_h * ui0.u), (float)ui0.min_target);
    pg = kiosk_ui_page(app, screen, sizeof(*pg), 3, ui0.h - ui0.margin - bh - ui0.margin / 2, true);
    if (!pg)
        return WM_ENOMEM;
    ui = &pg->ui;
    /* the message for this outcome, else the general one, else English */
    msg = content_text(app->content, ui->lang, key, &used);
    if (!msg && !app->print_pending && app->print_outcome != KIOSK_PRINT_PRINTED)
        msg = content_text(app->content, ui->lang, "print_failed", &used);
    if (msg)
        tag = content_language_tag(app->content, used);
    else if (app->print_pending)
        msg = "Printing your slip…";
    else
        msg = kiosk_print_message_en(app->print_outcome, app->print_state);
    y = ui->top;
    y += kiosk_ui_page_text(app, pg, msg, tag, th->heading_px * ui->u * ui->ts, ui->margin, y,
                            ui->w - 2 * ui->margin, KIOSK_UI_TEXT, 0, false);
    y += ui->margin;
    if (!app->print_pending && app->print_outcome != KIOSK_PRINT_PRINTED && sv->qr) {
        SDL_Texture *t;

        int room = ui->h - 2 * ui->margin - bh - y;

        avail = ui->w - 2 * ui->margin;
        if (room > ui->min_target * 4 && room < avail)
            avail = room;
        t = kiosk_ui_qr(app, sv->qr, avail, 64, &side);
        if (t) {
            kiosk_ui_page_image(pg, t, (SDL_Rect){(ui->w - side) / 2, y, side, side}, false);
            y += side;
        }
    }
    kiosk_ui_page_end(pg, screen, y + ui->margin);
    fin = (SDL_Rect){ui->margin, ui->h - ui->margin - bh, ui->w - 2 * ui->margin, bh};
    if ((s = kiosk_screen_add_widget(screen, "finish", fin, KIOSK_ACTION_FINISH, 0)) != WM_OK)
        return s;
    msg = kiosk_app_say(app, "finish", &tag);
    kiosk_ui_page_label(app, pg, msg, tag, th->body_px * ui->u * ui->ts, fin, KIOSK_UI_ON_ACCENT,
                        1);
    if (pg->item_count)
        pg->items[pg->item_count - 1].fixed = true;
    return WM_OK;
}

const kiosk_screen_class_t kiosk_screen_print = {
    KIOSK_SCREEN_PRINT, print_enter,       kiosk_ui_page_leave,
    kiosk_ui_page_draw, kiosk_ui_activate, kiosk_ui_page_scroll,
};
