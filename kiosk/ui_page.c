/*
 * ui_page.c: the page every screen but the welcome is: the bar on top and
 * a scrolling area below it holding texts, badges, images and buttons,
 * all laid out once in enter. draw only paints what enter placed.
 */
#include "kiosk_private.h"

#include <math.h>
#include <string.h>

static kiosk_ui_item_t *page_item(kiosk_ui_page_t *page);

void *kiosk_ui_page(kiosk_app_t *app, kiosk_screen_t *screen, size_t size, size_t texts, int bottom,
                    bool bar)
{
    kiosk_ui_page_t *page = kiosk_screen_state(screen, size);
    i18n_text_t *t = kiosk_screen_texts(screen, KIOSK_UI_BAR_TEXTS + texts);
    SDL_Rect view;

    if (!page || !t)
        return NULL;
    kiosk_ui_begin(app, &page->ui);
    page->bar = bar;
    if (bar && kiosk_ui_bar(app, screen, &page->ui) != WM_OK)
        return NULL;
    /* no bar (the welcome): a tap anywhere but on a button starts */
    if (!bar && kiosk_screen_add_widget(screen, "start", (SDL_Rect){0, 0, page->ui.w, page->ui.h},
                                        KIOSK_ACTION_START, 0) != WM_OK)
        return NULL;
    page->texts = t;
    page->text_next = KIOSK_UI_BAR_TEXTS;
    page->text_max = KIOSK_UI_BAR_TEXTS + texts;
    page->pad = (int)roundf(16.0f * page->ui.u);
    view = (SDL_Rect){0, page->ui.top, page->ui.w, (bottom ? bottom : page->ui.h) - page->ui.top};
    kiosk_ui_scroll_begin(&page->scroll, screen, view);
    return page;
}

static kiosk_ui_item_t *page_item(kiosk_ui_page_t *page)
{
    kiosk_ui_item_t *it;

    if (page->item_count >= KIOSK_UI_ITEMS_MAX)
        return NULL;
    it = &page->items[page->item_count++];
    memset(it, 0, sizeof(*it));
    it->text = -1;
    it->image = -1;
    return it;
}

int kiosk_ui_page_text(kiosk_app_t *app, kiosk_ui_page_t *page, const char *utf8, const char *tag,
                       float px, int x, int y, int width, kiosk_ui_kind_t kind, int max_lines,
                       bool fixed)
{
    kiosk_ui_item_t *it;
    i18n_text_t *t;
    int h;

    if (!utf8 || !*utf8 || page->text_next >= page->text_max || !(it = page_item(page)))
        return 0;
    t = &page->texts[page->text_next];
    kiosk_app_layout(app, t, utf8, tag, px, (float)width, I18N_ALIGN_START, max_lines);
    /* a text against the page's direction (an address in French on an
     * Arabic page) still sits on the page's reading side */
    if (t->line_count && t->rtl != page->ui.rtl)
        kiosk_app_layout(app, t, utf8, tag, px, (float)width, I18N_ALIGN_END, max_lines);
    h = (int)ceilf(kiosk_app_text_height(t, px));
    it->text = (int)page->text_next++;
    it->box = (SDL_Rect){x, y, width, h};
    it->kind = kind;
    it->fixed = fixed;
    return h;
}

int kiosk_ui_page_say(kiosk_app_t *app, kiosk_ui_page_t *page, const char *key, float px, int x,
                      int y, int width, kiosk_ui_kind_t kind, int max_lines)
{
    const char *tag;
    const char *s = kiosk_app_say(app, key, &tag);

    return kiosk_ui_page_text(app, page, s, tag, px, x, y, width, kind, max_lines, false);
}

int kiosk_ui_page_badge(kiosk_app_t *app, kiosk_ui_page_t *page, const char *key, const char *utf8,
                        float px, int *x, int y, int x_end, kiosk_ui_kind_t kind)
{
    const char *tag = kiosk_app_lang_tag(app);
    kiosk_ui_item_t *it;
    i18n_text_t *t;
    int w, h;

    if (key)
        utf8 = kiosk_app_say(app, key, &tag);
    if (!utf8 || !*utf8 || page->text_next >= page->text_max || !(it = page_item(page)))
        return 0;
    t = &page->texts[page->text_next];
    kiosk_app_layout(app, t, utf8, tag, px, (float)(x_end - *x - 2 * page->pad), I18N_ALIGN_START,
                     2);
    /* again as wide as it is, so it starts where its pill does */
    if (t->line_count == 1)
        kiosk_app_layout(app, t, utf8, tag, px, ceilf(t->width) + 1.0f, I18N_ALIGN_START, 1);
    w = (int)ceilf(t->width) + 2 * page->pad;
    h = (int)ceilf(kiosk_app_text_height(t, px)) + page->pad;
    if ((t->line_count > 1 || *x + w > x_end) && *x > page->ui.margin + page->pad) {
        /* no room left on this line: the caller moves on and tries again */
        page->item_count--;
        i18n_text_free(t);
        i18n_text_init(t);
        return -1;
    }
    it->text = (int)page->text_next++;
    it->box = kiosk_ui_mirror(&page->ui, (SDL_Rect){*x, y, w, h});
    it->kind = kind;
    *x += w + page->pad;
    return h;
}

int kiosk_ui_page_label(kiosk_app_t *app, kiosk_ui_page_t *page, const char *utf8, const char *tag,
                        float px, SDL_Rect box, kiosk_ui_kind_t kind, int lines)
{
    kiosk_ui_item_t *it;
    i18n_text_t *t;
    int h;

    if (!utf8 || !*utf8 || page->text_next >= page->text_max || !(it = page_item(page)))
        return 0;
    t = &page->texts[page->text_next];
    kiosk_app_layout(app, t, utf8, tag, px, (float)(box.w - 2 * page->pad), I18N_ALIGN_CENTER,
                     lines);
    h = (int)ceilf(kiosk_app_text_height(t, px));
    it->text = (int)page->text_next++;
    it->box = (SDL_Rect){box.x + page->pad, box.h ? box.y + (box.h - h) / 2 : box.y,
                         box.w - 2 * page->pad, h};
    it->kind = kind;
    return h;
}

int kiosk_ui_page_languages(kiosk_app_t *app, kiosk_ui_page_t *page, kiosk_screen_t *screen, int y,
                            int fit)
{
    const kiosk_theme_t *th = kiosk_app_theme(app);
    const kiosk_ui_t *ui = &page->ui;
    size_t n = content_language_count(app->content);
    int cols = ui->w > ui->h ? th->grid_cols_landscape : th->grid_cols_portrait;
    int rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
    int gap = (int)roundf(th->gap * ui->u);
    int cell_w = (ui->w - 2 * ui->margin - (cols - 1) * gap) / cols;
    int cell_h = (int)roundf(th->cell_max_h * ui->u * ui->ts);
    float px;

    if (fit > 0 && (fit - (rows - 1) * gap) / rows < cell_h)
        cell_h = (fit - (rows - 1) * gap) / rows;
    if (cell_h < ui->min_target)
        cell_h = ui->min_target;
    px = fminf(th->label_px * ui->u * ui->ts, (float)cell_h * 0.42f);
    for (size_t i = 0; i < n; i++) {
        const char *tag = content_language_tag(app->content, i);
        SDL_Rect r = {ui->margin + (int)(i % (size_t)cols) * (cell_w + gap),
                      y + (int)(i / (size_t)cols) * (cell_h + gap), cell_w, cell_h};
        char id[KIOSK_WIDGET_ID_MAX];
        wm_status_t s;

        /* in an RTL language the grid reads from the right */
        r = kiosk_ui_mirror(ui, r);
        snprintf(id, sizeof(id), "lang-%.40s", tag);
        if ((s = kiosk_screen_add_widget(screen, id, r, KIOSK_ACTION_LANGUAGE, (int)i)) != WM_OK)
            return y;
        kiosk_ui_page_label(app, page, kiosk_app_string(app, i, "autonym"), tag, px, r,
                            KIOSK_UI_TEXT, 2);
    }
    return y + rows * cell_h + (rows - 1) * gap;
}

void kiosk_ui_page_image(kiosk_ui_page_t *page, SDL_Texture *tex, SDL_Rect box, bool fixed)
{
    kiosk_ui_item_t *it;

    if (!tex)
        return;
    if (page->image_count >= KIOSK_UI_IMAGES_MAX || !(it = page_item(page))) {
        SDL_DestroyTexture(tex);
        return;
    }
    page->images[page->image_count] = tex;
    it->image = (int)page->image_count++;
    it->box = box;
    it->kind = KIOSK_UI_IMAGE;
    it->fixed = fixed;
}

void kiosk_ui_page_end(kiosk_ui_page_t *page, kiosk_screen_t *screen, int content_bottom)
{
    kiosk_ui_scroll_end(&page->scroll, screen, content_bottom - page->scroll.view.y);
}

void kiosk_ui_page_leave(kiosk_screen_t *screen, void *ctx)
{
    kiosk_ui_page_t *page = screen->state;

    (void)ctx;
    if (!page)
        return;
    for (size_t i = 0; i < page->image_count; i++)
        SDL_DestroyTexture(page->images[i]);
    page->image_count = 0;
}

bool kiosk_ui_page_scroll(kiosk_screen_t *screen, void *ctx, int dy)
{
    kiosk_ui_page_t *page = screen->state;

    (void)ctx;
    return page && kiosk_ui_scroll_by(&page->scroll, screen, dy);
}

void kiosk_ui_page_draw(kiosk_screen_t *screen, void *ctx)
{
    kiosk_app_t *app = ctx;
    const kiosk_ui_page_t *page = screen->state;
    const kiosk_theme_t *th = kiosk_app_theme(app);
    const kiosk_ui_scroll_t *sc = &page->scroll;

    kiosk_ui_scroll_clip(app, sc, true);
    /* the buttons of the scrolling area, where they are now */
    for (size_t i = 0; i < sc->count; i++) {
        size_t wi = sc->first + i;
        SDL_Rect r = sc->base[i], in;
        bool pressed = screen->pressed == (int)wi;
        int b = (int)fmaxf(th->border_min, roundf(th->border * page->ui.u));

        r.y -= sc->scroll;
        kiosk_app_fill(app, r, th->accent);
        in = (SDL_Rect){r.x + b, r.y + b, r.w - 2 * b, r.h - 2 * b};
        kiosk_app_fill(app, in, pressed ? th->pressed : th->button);
    }
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            kiosk_ui_scroll_clip(app, sc, false);
            kiosk_ui_scroll_bar(app, &page->ui, sc);
            if (page->bar)
                kiosk_ui_bar_draw(app, screen);
            /* fixed buttons: filled */
            for (size_t wi = sc->first + sc->count; wi < screen->widget_count; wi++)
                kiosk_ui_button(app, screen, wi, true);
        }
        for (size_t i = 0; i < page->item_count; i++) {
            const kiosk_ui_item_t *it = &page->items[i];
            SDL_Rect r = it->box;
            render_color_t fg = th->text;

            if (it->fixed != (pass == 1))
                continue;
            if (!it->fixed)
                r.y -= sc->scroll;
            if (!it->fixed && (r.y + r.h < sc->view.y || r.y > sc->view.y + sc->view.h))
                continue;
            switch (it->kind) {
            case KIOSK_UI_IMAGE:
                kiosk_app_image(app, page->images[it->image], r);
                continue;
            case KIOSK_UI_MUTED:
                fg = th->muted;
                break;
            case KIOSK_UI_ACCENT:
                fg = app->high_contrast ? th->accent : th->accent;
                break;
            case KIOSK_UI_BADGE:
                kiosk_app_fill(app, r, th->badge);
                fg = th->on_badge;
                break;
            case KIOSK_UI_OPEN:
                kiosk_app_fill(app, r, th->open);
                fg = th->on_open;
                break;
            case KIOSK_UI_ON_ACCENT:
                fg = th->on_accent;
                break;
            default:
                break;
            }
            if (it->kind == KIOSK_UI_BADGE || it->kind == KIOSK_UI_OPEN)
                kiosk_app_text(app, &page->texts[it->text], (float)(r.x + page->pad),
                               (float)(r.y + page->pad / 2), fg);
            else
                kiosk_app_text(app, &page->texts[it->text], (float)r.x, (float)r.y, fg);
        }
    }
}

SDL_Texture *kiosk_ui_icon(kiosk_app_t *app, const char *path)
{
    char full[KIOSK_PATH_MAX + 64 + CONTENT_ID_MAX];
    render_canvas_t *c = NULL;
    SDL_Texture *t;

    if (!path || !app->content_path[0])
        return NULL;
    snprintf(full, sizeof(full), "%s/%s", app->content_path, path);
    if (render_png_read(full, &c) != WM_OK)
        return NULL;
    t = kiosk_app_texture(app, c);
    render_canvas_destroy(c);
    return t;
}
