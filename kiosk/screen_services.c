/*
 * screen_services.c: the services of a category (arg: its index), one
 * button each: the name, then badges: open now or when it opens (on the
 * booth's clock, in the site's time zone), free, no documents needed.
 */
#include "kiosk_private.h"

#include <math.h>
#include <string.h>

/* Badges of service i from (x, y) in a row x..x_end; returns the bottom. */
int kiosk_ui_service_badges(kiosk_app_t *app, kiosk_ui_page_t *pg, size_t i, int x, int y,
                            int x_end, float px, bool all)
{
    const content_service_t *sv = content_service(app->content, i);
    static const struct {
        unsigned flag;
        const char *key;
    } flags[] = {
        {CONTENT_FLAG_FREE, "flag.free"},
        {CONTENT_FLAG_NO_DOCUMENTS, "flag.no_documents"},
        {CONTENT_FLAG_WALK_IN, "flag.walk_in"},
        {CONTENT_FLAG_WHEELCHAIR, "flag.wheelchair"},
    };
    char open[160];
    content_open_t os;
    size_t used;
    int x0 = x, line = 0, h;
    bool is_open =
        content_service_status(app->content, i, kiosk_app_wall(app), &os) == WM_OK && os.open;

    if (content_service_open_text(app->content, i, kiosk_app_lang(app), kiosk_app_wall(app), open,
                                  sizeof(open), &used) != WM_OK)
        open[0] = '\0';
    for (int k = -1; k < (int)(sizeof(flags) / sizeof(flags[0])); k++) {
        const char *key = k < 0 ? NULL : flags[k].key;

        if (k >= 0 && (!(sv->flags & flags[k].flag) || (!all && k >= 2)))
            continue;
        h = kiosk_ui_page_badge(app, pg, key, k < 0 ? open : NULL, px, &x, y, x_end,
                                k < 0 && is_open ? KIOSK_UI_OPEN : KIOSK_UI_BADGE);
        if (h < 0) { /* a new line of badges */
            y += line + pg->pad / 2;
            x = x0;
            line = 0;
            h = kiosk_ui_page_badge(app, pg, key, k < 0 ? open : NULL, px, &x, y, x_end,
                                    k < 0 && is_open ? KIOSK_UI_OPEN : KIOSK_UI_BADGE);
        }
        if (h > line)
            line = h;
    }
    return y + line;
}

static wm_status_t services_enter(kiosk_screen_t *screen, void *ctx)
{
    kiosk_app_t *app = ctx;
    const kiosk_theme_t *th = kiosk_app_theme(app);
    const content_category_t *cat = content_category(app->content, (size_t)screen->arg);
    size_t ns = content_service_count(app->content);
    kiosk_ui_page_t *pg;
    const kiosk_ui_t *ui;
    char key[CONTENT_ID_MAX + 32];
    int y, gap;
    float px, bpx;

    if (screen->arg < 0 || !cat)
        return wm_error(WM_EINVAL, "services screen: no category %d", screen->arg);
    pg = kiosk_ui_page(app, screen, sizeof(*pg), 1 + 5 * 24, 0, true);
    if (!pg)
        return WM_ENOMEM;
    ui = &pg->ui;
    gap = (int)roundf(th->gap * ui->u);
    px = th->body_px * ui->u * ui->ts;
    bpx = th->small_px * ui->u * ui->ts;
    y = ui->top;
    snprintf(key, sizeof(key), "category.%s", cat->id);
    y += kiosk_ui_page_say(app, pg, key, th->heading_px * ui->u * ui->ts, ui->margin, y,
                           ui->w - 2 * ui->margin, KIOSK_UI_TEXT, 3);
    y += ui->margin / 2;
    for (size_t i = 0, rows = 0; i < ns && rows < 24; i++) {
        const content_service_t *sv = content_service(app->content, i);
        int x = ui->margin + pg->pad, top = y, bottom, inner = ui->w - 2 * ui->margin - 2 * pg->pad;
        char id[KIOSK_WIDGET_ID_MAX];
        SDL_Rect r;
        wm_status_t s;

        if (sv->category != (size_t)screen->arg)
            continue;
        rows++;
        snprintf(key, sizeof(key), "service.%s.name", sv->id);
        y += pg->pad;
        y += kiosk_ui_page_say(app, pg, key, px, x, y, inner, KIOSK_UI_TEXT, 2);
        y += pg->pad / 2;
        bottom = kiosk_ui_service_badges(app, pg, i, x, y, x + inner, bpx, false) + pg->pad;
        r = (SDL_Rect){ui->margin, top, ui->w - 2 * ui->margin, bottom - top};
        if (r.h < ui->min_target) {
            r.h = ui->min_target;
            bottom = top + r.h;
        }
        snprintf(id, sizeof(id), "svc-%.40s", sv->id);
        if ((s = kiosk_screen_add_widget(screen, id, r, KIOSK_ACTION_SERVICE, (int)i)) != WM_OK)
            return s;
        y = bottom + gap;
    }
    kiosk_ui_page_end(pg, screen, y + ui->margin);
    return WM_OK;
}

const kiosk_screen_class_t kiosk_screen_services = {
    KIOSK_SCREEN_SERVICES, services_enter,    kiosk_ui_page_leave,
    kiosk_ui_page_draw,    kiosk_ui_activate, kiosk_ui_page_scroll,
};
