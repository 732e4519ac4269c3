/*
 * screen_home.c: home, in the person's language: a tile for each category
 * of services (its icon from the content, its name), then "your rights",
 * help and privacy, and "finish" (the visit ends at once).
 */
#include "kiosk_private.h"

#include <math.h>

static wm_status_t home_enter(kiosk_screen_t *screen, void *ctx)
{
    kiosk_app_t *app = ctx;
    const kiosk_theme_t *th = kiosk_app_theme(app);
    size_t nc = content_category_count(app->content), n = nc + 3;
    kiosk_ui_page_t *pg = kiosk_ui_page(app, screen, sizeof(*pg), n + 1, 0, true);
    const kiosk_ui_t *ui;
    int y, cols, gap, cell_w, cell_h, icon;
    float px;

    if (!pg)
        return WM_ENOMEM;
    ui = &pg->ui;
    y = ui->top;
    y += kiosk_ui_page_say(app, pg, "title", th->heading_px * ui->u * ui->ts, ui->margin, y,
                           ui->w - 2 * ui->margin, KIOSK_UI_TEXT, 3);
    y += ui->margin / 2;
    cols = ui->w > ui->h ? th->grid_cols_landscape : th->grid_cols_portrait;
    gap = (int)roundf(th->gap * ui->u);
    cell_w = (ui->w - 2 * ui->margin - (cols - 1) * gap) / cols;
    px = th->body_px * ui->u * ui->ts;
    icon = (int)roundf(th->tile_h * ui->u * 0.45f);
    /* as tall as the tallest label needs (larger text reflows) */
    cell_h = (int)ceilf((float)icon + px * 1.5f * 2 + 3.0f * (float)pg->pad);
    for (size_t i = 0; i < n; i++) {
        const content_category_t *cat = i < nc ? content_category(app->content, i) : NULL;
        char key[CONTENT_ID_MAX + 16];
        const char *tag, *text;
        i18n_text_t probe;
        int need;

        snprintf(key, sizeof(key), "category.%s", cat ? cat->id : "");
        text = kiosk_app_say(app,
                             cat           ? key
                             : i == nc     ? "menu.rights"
                             : i == nc + 1 ? "site.help"
                                           : "finish",
                             &tag);
        i18n_text_init(&probe);
        kiosk_app_layout(app, &probe, text, tag, px, (float)(cell_w - 2 * pg->pad),
                         I18N_ALIGN_CENTER, 0);
        need = (int)ceilf(kiosk_app_text_height(&probe, px)) + 3 * pg->pad + (cat ? icon : 0);
        i18n_text_free(&probe);
        if (need > cell_h)
            cell_h = need;
    }
    if (cell_h < ui->min_target)
        cell_h = ui->min_target;
    for (size_t i = 0; i < n; i++) {
        const content_category_t *cat = i < nc ? content_category(app->content, i) : NULL;
        SDL_Rect r = {ui->margin + (int)(i % (size_t)cols) * (cell_w + gap),
                      y + (int)(i / (size_t)cols) * (cell_h + gap), cell_w, cell_h};
        SDL_Rect lab;
        char id[KIOSK_WIDGET_ID_MAX], key[CONTENT_ID_MAX + 16];
        const char *tag, *text;
        wm_status_t s;

        r = kiosk_ui_mirror(ui, r);
        if (cat) {
            snprintf(id, sizeof(id), "cat-%.40s", cat->id);
            snprintf(key, sizeof(key), "category.%s", cat->id);
            s = kiosk_screen_add_widget(screen, id, r, KIOSK_ACTION_CATEGORY, (int)i);
            kiosk_ui_page_image(pg, kiosk_ui_icon(app, cat->icon),
                                (SDL_Rect){r.x + (r.w - icon) / 2, r.y + pg->pad, icon, icon},
                                false);
        } else if (i == nc) {
            snprintf(key, sizeof(key), "menu.rights");
            s = kiosk_screen_add_widget(screen, "rights", r, KIOSK_ACTION_RIGHTS, 0);
        } else if (i == nc + 1) {
            snprintf(key, sizeof(key), "site.help");
            s = kiosk_screen_add_widget(screen, "help", r, KIOSK_ACTION_HELP, 0);
        } else {
            snprintf(key, sizeof(key), "finish");
            s = kiosk_screen_add_widget(screen, "finish", r, KIOSK_ACTION_FINISH, 0);
        }
        if (s != WM_OK)
            return s;
        text = kiosk_app_say(app, key, &tag);
        lab = cat ? (SDL_Rect){r.x, r.y + icon + pg->pad, r.w, r.h - icon - pg->pad} : r;
        kiosk_ui_page_label(app, pg, text, tag, px, lab, KIOSK_UI_TEXT, 0);
    }
    y += (int)((n + (size_t)cols - 1) / (size_t)cols) * (cell_h + gap);
    kiosk_ui_page_end(pg, screen, y + ui->margin);
    return WM_OK;
}

const kiosk_screen_class_t kiosk_screen_home = {
    KIOSK_SCREEN_HOME,  home_enter,        kiosk_ui_page_leave,
    kiosk_ui_page_draw, kiosk_ui_activate, kiosk_ui_page_scroll,
};
