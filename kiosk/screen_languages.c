/*
 * screen_languages.c: the language picker, from the bar's language
 * button or a tap on the welcome screen: every language by its own name
 * in its own script (no flags), big buttons.
 */
#include "kiosk_private.h"

static wm_status_t languages_enter(kiosk_screen_t *screen, void *ctx)
{
    kiosk_app_t *app = ctx;
    const kiosk_theme_t *th = kiosk_app_theme(app);
    size_t n = content_language_count(app->content);
    kiosk_ui_page_t *pg = kiosk_ui_page(app, screen, sizeof(*pg), n + 1, 0, true);
    int y;

    if (!pg)
        return WM_ENOMEM;
    y = pg->ui.top;
    y += kiosk_ui_page_say(app, pg, "choose", th->heading_px * pg->ui.u * pg->ui.ts, pg->ui.margin,
                           y, pg->ui.w - 2 * pg->ui.margin, KIOSK_UI_TEXT, 3);
    y += pg->ui.margin / 2;
    y = kiosk_ui_page_languages(app, pg, screen, y, 0);
    kiosk_ui_page_end(pg, screen, y + pg->ui.margin);
    return WM_OK;
}

const kiosk_screen_class_t kiosk_screen_languages = {
    KIOSK_SCREEN_LANGUAGES, languages_enter,   kiosk_ui_page_leave,
    kiosk_ui_page_draw,     kiosk_ui_activate, kiosk_ui_page_scroll,
};
