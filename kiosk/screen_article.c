/*
 * screen_article.c: one rights page (arg: its index): the title and the
 * text, scrolled with a finger.
 */
#include "kiosk_private.h"

static wm_status_t article_enter(kiosk_screen_t *screen, void *ctx)
{
    kiosk_app_t *app = ctx;
    const kiosk_theme_t *th = kiosk_app_theme(app);
    const char *pid = content_rights_id(app->content, (size_t)screen->arg);
    kiosk_ui_page_t *pg;
    const kiosk_ui_t *ui;
    char key[CONTENT_ID_MAX + 32];
    int y;

    if (screen->arg < 0 || !pid)
        return wm_error(WM_EINVAL, "article screen: no page %d", screen->arg);
    pg = kiosk_ui_page(app, screen, sizeof(*pg), 2, 0, true);
    if (!pg)
        return WM_ENOMEM;
    ui = &pg->ui;
    y = ui->top;
    snprintf(key, sizeof(key), "rights.%s.title", pid);
    y += kiosk_ui_page_say(app, pg, key, th->heading_px * ui->u * ui->ts, ui->margin, y,
                           ui->w - 2 * ui->margin, KIOSK_UI_TEXT, 4);
    y += ui->margin / 2;
    snprintf(key, sizeof(key), "rights.%s.body", pid);
    y += kiosk_ui_page_say(app, pg, key, th->body_px * ui->u * ui->ts, ui->margin, y,
                           ui->w - 2 * ui->margin, KIOSK_UI_TEXT, 0);
    kiosk_ui_page_end(pg, screen, y + ui->margin);
    return WM_OK;
}

const kiosk_screen_class_t kiosk_screen_article = {
    KIOSK_SCREEN_ARTICLE, article_enter,     kiosk_ui_page_leave,
    kiosk_ui_page_draw,   kiosk_ui_activate, kiosk_ui_page_scroll,
};
