/*
 * screen_welcome.c: the welcome screen, the bottom of the stack: a
 * greeting cycling through every language (one every KIOSK_GREET_MS),
 * that the booth is free and asks for no name or ID, and every language by
 * its own name. A tap on a language opens home in it; a tap anywhere else
 * opens the language picker.
 */
#include "kiosk_private.h"

#include <math.h>

#define KIOSK_GREET_MS 3000

typedef struct {
    kiosk_ui_page_t page;
    int greet_y, greet_h;
    size_t greet0, n;
    uint64_t t0;
} welcome_t;

static wm_status_t welcome_enter(kiosk_screen_t *screen, void *ctx)
{
    kiosk_app_t *app = ctx;
    const kiosk_theme_t *th = kiosk_app_theme(app);
    size_t n = content_language_count(app->content);
    welcome_t *st = kiosk_ui_page(app, screen, sizeof(*st), 2 * n + 2, 0, false);
    const kiosk_ui_t *ui;
    const size_t dl = app->default_lang;
    const char *dtag = content_language_tag(app->content, dl);
    SDL_Rect full;
    float px;
    int y, bottom;

    if (!st)
        return WM_ENOMEM; /* message set; the stack frees what was made */
    ui = &st->page.ui;
    st->n = n;
    st->greet0 = st->page.text_next;
    st->t0 = app->now_ms;
    px = th->title_px * ui->u;
    for (size_t i = 0; i < n; i++) {
        i18n_text_t *t = &st->page.texts[st->page.text_next++];
        float h;

        kiosk_app_layout(app, t, kiosk_app_string(app, i, "welcome"),
                         content_language_tag(app->content, i), px, (float)(ui->w - 2 * ui->margin),
                         I18N_ALIGN_CENTER, 1);
        h = kiosk_app_text_height(t, px);
        if ((int)ceilf(h) > st->greet_h)
            st->greet_h = (int)ceilf(h);
    }
    st->greet_y = (int)roundf(th->welcome_top * ui->u);
    y = st->greet_y + st->greet_h + ui->margin / 2;
    full = (SDL_Rect){ui->margin, y, ui->w - 2 * ui->margin, 0};
    y += kiosk_ui_page_label(app, &st->page, kiosk_app_string(app, dl, "body"), dtag,
                             th->others_px * ui->u, full, KIOSK_UI_MUTED, 2);
    y += ui->margin / 2;
    full.y = y;
    y += kiosk_ui_page_label(app, &st->page, kiosk_app_string(app, dl, "choose"), dtag,
                             th->choose_px * ui->u, full, KIOSK_UI_ACCENT, 2);
    y += ui->margin / 2;
    bottom = kiosk_ui_page_languages(app, &st->page, screen, y, ui->h - ui->margin - y);
    kiosk_ui_page_end(&st->page, screen, bottom + ui->margin);
    return WM_OK;
}

static void welcome_draw(kiosk_screen_t *screen, void *ctx)
{
    kiosk_app_t *app = ctx;
    const welcome_t *st = screen->state;
    uint64_t since = app->now_ms - st->t0;
    size_t k = st->n ? (size_t)(since / KIOSK_GREET_MS) % st->n : 0;

    kiosk_ui_page_draw(screen, ctx);
    if (st->n) {
        const i18n_text_t *t = &st->page.texts[st->greet0 + k];

        kiosk_app_text(app, t, (float)st->page.ui.margin,
                       (float)st->greet_y + ((float)st->greet_h - t->height) / 2.0f,
                       kiosk_app_theme(app)->text);
        /* the next greeting: the only timer a resting booth has */
        app->screen_timer = st->t0 + (since / KIOSK_GREET_MS + 1) * KIOSK_GREET_MS;
        /* it redraws the greeting's band alone: the top of the screen down
         * to the line below it */
        app->screen_timer_rect =
            (SDL_Rect){0, 0, st->page.ui.w, st->greet_y + st->greet_h + st->page.ui.margin / 2};
    }
}

const kiosk_screen_class_t kiosk_screen_welcome = {
    KIOSK_SCREEN_WELCOME, welcome_enter,     kiosk_ui_page_leave,
    welcome_draw,         kiosk_ui_activate, kiosk_ui_page_scroll,
};
