/*
 * screen_rights.c: the rights pages of the content, one button each with
 * its title; a tap opens the article.
 */
#include "kiosk_private.h"

#include <math.h>

static wm_status_t rights_enter(kiosk_screen_t *screen, void *ctx)
{
    kiosk_app_t *app = ctx;
    const kiosk_theme_t *th = kiosk_app_theme(app);
    size_t n = content_rights_count(app->content);
    size_t max = KIOSK_WIDGETS_MAX - KIOSK_UI_BAR_WIDGETS_MAX;
    kiosk_ui_page_t *pg = kiosk_ui_page(app, screen, sizeof(*pg), (n < max ? n : max) + 1, 0, true);
    const kiosk_ui_t *ui;
    int y, gap;
    float px;

    if (!pg)
        return WM_ENOMEM;
    ui = &pg->ui;
    gap = (int)roundf(th->gap * ui->u / 2);
    px = th->body_px * ui->u * ui->ts;
    y = ui->top;
    y += kiosk_ui_page_say(app, pg, "menu.rights", th->heading_px * ui->u * ui->ts, ui->margin, y,
                           ui->w - 2 * ui->margin, KIOSK_UI_TEXT, 3);
    y += ui->margin / 2;
    for (size_t i = 0; i < n && i < max; i++) {
        const char *pid = content_rights_id(app->content, i);
        char key[CONTENT_ID_MAX + 32], id[KIOSK_WIDGET_ID_MAX];
        SDL_Rect r;
        int h;
        wm_status_t s;

        snprintf(key, sizeof(key), "rights.%s.title", pid);
        snprintf(id, sizeof(id), "page-%.40s", pid);
        h = kiosk_ui_page_say(app, pg, key, px, ui->margin + pg->pad, y + pg->pad,
                              ui->w - 2 * ui->margin - 2 * pg->pad, KIOSK_UI_TEXT, 3);
        r = (SDL_Rect){ui->margin, y, ui->w - 2 * ui->margin, h + 2 * pg->pad};
        if (r.h < ui->min_target) {
            /* centre the title in a button as tall as a finger */
            pg->items[pg->item_count - 1].box.y += (ui->min_target - r.h) / 2;
            r.h = ui->min_target;
        }
        if ((s = kiosk_screen_add_widget(screen, id, r, KIOSK_ACTION_PAGE, (int)i)) != WM_OK)
            return s;
        y += r.h + gap;
    }
    kiosk_ui_page_end(pg, screen, y + ui->margin);
    return WM_OK;
}

const kiosk_screen_class_t kiosk_screen_rights = {
    KIOSK_SCREEN_RIGHTS, rights_enter,      kiosk_ui_page_leave,
    kiosk_ui_page_draw,  kiosk_ui_activate, kiosk_ui_page_scroll,
};
