/*
 * app_draw.c: what screens draw with: the theme (every colour and size in
 * one table), content strings with fallback, text layout done once when a
 * screen is entered, and filling and text drawing on the UI target.
 */
#include "kiosk_private.h"

#include <string.h>

const kiosk_theme_t kiosk_theme = {
    .background = {0xF4, 0xF1, 0xEA, 0xFF},
    .text = {0x1B, 0x1B, 0x1B, 0xFF},
    .muted = {0x4A, 0x4A, 0x4A, 0xFF},
    .button = {0xFF, 0xFF, 0xFF, 0xFF},
    .pressed = {0xD6, 0xE6, 0xF5, 0xFF},
    .accent = {0x1F, 0x4E, 0x79, 0xFF},
    .on_accent = {0xFF, 0xFF, 0xFF, 0xFF},
    .letterbox = {0x00, 0x00, 0x00, 0xFF},
    .margin = 48,
    .border = 4,
    .border_min = 2,
    .line_height = 1.5f,

    .welcome_top = 96,
    .title_px = 88,
    .title_after = 28,
    .others_px = 34,
    .others_after = 56,
    .choose_px = 48,
    .choose_after = 40,
    .grid_gap = 24,
    .cell_max_h = 200,
    .label_px = 52,
    .label_fill = 0.42f, /* a label's size at most this share of its button */
    .title_lines = 2,
    .others_lines = 4,
    .choose_lines = 2,
    .grid_cols_portrait = 2,
    .grid_cols_landscape = 4,

    .back_w = 320,
    .back_h = 128,
    .back_pad = 8,
    .back_px = 44,
    .heading_before = 72,
    .heading_px = 72,
    .heading_after = 40,
    .body_px = 44,
    .heading_lines = 4,
    .body_lines = 12,
};

float kiosk_app_unit(const kiosk_app_t *app)
{
    float ux = (float)app->opts.width / KIOSK_DEFAULT_WIDTH;
    float uy = (float)app->opts.height / KIOSK_DEFAULT_HEIGHT;

    return ux < uy ? ux : uy;
}

const char *kiosk_app_string(const kiosk_app_t *app, size_t lang, const char *key)
{
    const char *s = content_string(app->content, lang, key);

    if (!s)
        s = content_string(app->content, app->default_lang, key);
    return s ? s : "";
}

void kiosk_app_layout(kiosk_app_t *app, i18n_text_t *text, const char *utf8, const char *lang,
                      float size_px, float max_width, i18n_align_t align, int max_lines)
{
    i18n_layout_params_t p;

    text->glyph_count = 0;
    text->line_count = 0;
    text->width = text->height = 0;
    if (!app->layout || !*utf8)
        return;
    p = i18n_layout_params_default();
    p.lang = lang;
    p.size_px = size_px;
    p.max_width = max_width;
    p.align = align;
    p.max_lines = max_lines;
    if (i18n_layout_text(app->layout, &p, utf8, strlen(utf8), text) != WM_OK) {
        /* once, and without the language: this runs while a person uses the
         * booth, and the log must not tell what they read */
        if (!app->layout_failure_logged)
            wm_log_warn("text layout failed: %s (further failures not logged)", wm_last_error());
        app->layout_failure_logged = true;
        text->glyph_count = 0;
        text->line_count = 0;
        text->width = text->height = 0;
    }
}

float kiosk_app_text_height(const i18n_text_t *text, float size_px)
{
    return text->line_count ? text->height : size_px * kiosk_theme.line_height;
}

void kiosk_app_fill(kiosk_app_t *app, SDL_Rect r, render_color_t c)
{
    if (app->draw) {
        render_screen_fill_rect(app->draw, r.x, r.y, r.w, r.h, c);
        return;
    }
    SDL_SetRenderDrawColor(app->renderer, c.r, c.g, c.b, c.a);
    SDL_RenderFillRect(app->renderer, &r);
}

void kiosk_app_text(kiosk_app_t *app, const i18n_text_t *text, float x, float y,
                    render_color_t color)
{
    if (app->draw && text->glyph_count)
        render_screen_draw_text(app->draw, text, x, y, color);
}
