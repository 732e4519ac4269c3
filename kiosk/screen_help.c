/*
 * screen_help.c: help and privacy: who runs the booth, what it keeps
 * (nothing about the person) and where to ask.
 */
#include "kiosk_private.h"

static wm_status_t help_enter(kiosk_screen_t *screen, void *ctx)
{
    static const char *const keys[] = {"site.operator", "site.privacy", "site.help"};
    kiosk_app_t *app = ctx;
    const kiosk_theme_t *th = kiosk_app_theme(app);
    const content_site_t *site = content_site(app->content);
    kiosk_ui_page_t *pg = kiosk_ui_page(app, screen, sizeof(*pg), 5, 0, true);
    const kiosk_ui_t *ui;
    int y, inner;

    if (!pg)
        return WM_ENOMEM;
    ui = &pg->ui;
    inner = ui->w - 2 * ui->margin;
    y = ui->top;
    y += kiosk_ui_page_say(app, pg, "site.name", th->heading_px * ui->u * ui->ts, ui->margin, y,
                           inner, KIOSK_UI_TEXT, 3);
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        y += ui->margin / 2;
        y += kiosk_ui_page_say(app, pg, keys[i], th->body_px * ui->u * ui->ts, ui->margin, y, inner,
                               KIOSK_UI_TEXT, 0);
    }
    if (site && site->phone) {
        char buf[128];

        snprintf(buf, sizeof(buf), "\xE2\x81\xA6%s\xE2\x81\xA9", site->phone);
        y += ui->margin / 2;
        y += kiosk_ui_page_text(app, pg, buf, ui->tag, th->body_px * ui->u * ui->ts, ui->margin, y,
                                inner, KIOSK_UI_ACCENT, 1, false);
    }
    kiosk_ui_page_end(pg, screen, y + ui->margin);
    return WM_OK;
}

const kiosk_screen_class_t kiosk_screen_help = {
    KIOSK_SCREEN_HELP,  help_enter,        kiosk_ui_page_leave,
    kiosk_ui_page_draw, kiosk_ui_activate, kiosk_ui_page_scroll,
};
