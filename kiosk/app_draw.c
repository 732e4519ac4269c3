/*
 * app_draw.c: what screens draw with: the theme (every colour and size in
 * one table), content strings with fallback, text layout done once when a
 * screen is entered, and filling and text drawing on the UI target.
 */
#include "kiosk_private.h"

#include <math.h>
#include <string.h>

#define THEME_SIZES                                                                                \
    .margin = 48, .gap = 24, .border = 4, .border_min = 2, .line_height = 1.5f, .bar_h = 150,      \
    .bar_px = 40, .welcome_top = 96, .title_px = 96, .others_px = 36, .choose_px = 48,             \
    .label_px = 52, .cell_max_h = 200, .heading_px = 64, .body_px = 42, .small_px = 34,            \
    .tile_h = 220, .row_h = 200, .qr_px = 12, .grid_cols_portrait = 2, .grid_cols_landscape = 4

/* The calm theme: dark text on warm white, one blue accent. */
const kiosk_theme_t kiosk_theme = {
    .background = {0xF4, 0xF1, 0xEA, 0xFF},
    .text = {0x1B, 0x1B, 0x1B, 0xFF},
    .muted = {0x4A, 0x4A, 0x4A, 0xFF},
    .button = {0xFF, 0xFF, 0xFF, 0xFF},
    .pressed = {0xD6, 0xE6, 0xF5, 0xFF},
    .accent = {0x1F, 0x4E, 0x79, 0xFF},
    .on_accent = {0xFF, 0xFF, 0xFF, 0xFF},
    .letterbox = {0x00, 0x00, 0x00, 0xFF},
    .badge = {0xE3, 0xEE, 0xE3, 0xFF},
    .on_badge = {0x1E, 0x4D, 0x2B, 0xFF},
    .open = {0x1E, 0x6B, 0x34, 0xFF},
    .on_open = {0xFF, 0xFF, 0xFF, 0xFF},
    .bar = {0x1F, 0x4E, 0x79, 0xFF},
    .on_bar = {0xFF, 0xFF, 0xFF, 0xFF},
    THEME_SIZES,
};

/* High contrast: white and yellow on black, outlines everywhere. */
const kiosk_theme_t kiosk_theme_contrast = {
    .background = {0x00, 0x00, 0x00, 0xFF},
    .text = {0xFF, 0xFF, 0xFF, 0xFF},
    .muted = {0xFF, 0xFF, 0xFF, 0xFF},
    .button = {0x00, 0x00, 0x00, 0xFF},
    .pressed = {0x33, 0x33, 0x33, 0xFF},
    .accent = {0xFF, 0xE0, 0x00, 0xFF},
    .on_accent = {0x00, 0x00, 0x00, 0xFF},
    .letterbox = {0x00, 0x00, 0x00, 0xFF},
    .badge = {0xFF, 0xFF, 0xFF, 0xFF},
    .on_badge = {0x00, 0x00, 0x00, 0xFF},
    .open = {0xFF, 0xE0, 0x00, 0xFF},
    .on_open = {0x00, 0x00, 0x00, 0xFF},
    .bar = {0x00, 0x00, 0x00, 0xFF},
    .on_bar = {0xFF, 0xE0, 0x00, 0xFF},
    THEME_SIZES,
};

static const float text_steps[KIOSK_TEXT_STEPS] = {1.0f, 1.25f, 1.5f};

const kiosk_theme_t *kiosk_app_theme(const kiosk_app_t *app)
{
    return app->high_contrast ? &kiosk_theme_contrast : &kiosk_theme;
}

float kiosk_app_text_scale(const kiosk_app_t *app)
{
    int s = app->text_step;

    return text_steps[s < 0 ? 0 : s >= KIOSK_TEXT_STEPS ? KIOSK_TEXT_STEPS - 1 : s];
}

int kiosk_app_min_target(const kiosk_app_t *app)
{
    return (int)ceilf(9.0f / 25.4f * (float)app->opts.screen_dpi);
}

/* Against 1080x1920 standing up, 1920x1080 lying down. */
float kiosk_app_unit(const kiosk_app_t *app)
{
    const bool land = app->opts.width > app->opts.height;
    float ux = (float)app->opts.width / (land ? KIOSK_DEFAULT_HEIGHT : KIOSK_DEFAULT_WIDTH);
    float uy = (float)app->opts.height / (land ? KIOSK_DEFAULT_WIDTH : KIOSK_DEFAULT_HEIGHT);

    return ux < uy ? ux : uy;
}

size_t kiosk_app_lang(const kiosk_app_t *app)
{
    return app->lang >= 0 ? (size_t)app->lang : app->default_lang;
}

const char *kiosk_app_lang_tag(const kiosk_app_t *app)
{
    return content_language_tag(app->content, kiosk_app_lang(app));
}

bool kiosk_app_rtl(const kiosk_app_t *app)
{
    const content_language_t *l = content_language(app->content, kiosk_app_lang(app));

    return l && l->rtl;
}

const char *kiosk_app_say(const kiosk_app_t *app, const char *key, const char **tag)
{
    size_t used = kiosk_app_lang(app);
    const char *s = content_text(app->content, kiosk_app_lang(app), key, &used);

    if (tag)
        *tag = content_language_tag(app->content, used);
    return s ? s : "";
}

time_t kiosk_app_wall(const kiosk_app_t *app)
{
    if (app->wall_fixed)
        return app->wall_fixed + (time_t)(app->now_ms / 1000u);
    return time(NULL);
}

void kiosk_app_set_wall_clock(kiosk_app_t *app, time_t t)
{
    app->wall_fixed = t;
}

SDL_Texture *kiosk_app_texture(kiosk_app_t *app, const render_canvas_t *c)
{
    SDL_Texture *t;

    if (!c || c->format != RENDER_FORMAT_RGBA8)
        return NULL;
    t = SDL_CreateTexture(app->renderer, SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_STATIC, c->width,
                          c->height);
    if (!t || SDL_UpdateTexture(t, NULL, c->pixels, c->stride) != 0) {
        if (t)
            SDL_DestroyTexture(t);
        if (!app->layout_failure_logged)
            wm_log_warn("image: %s", SDL_GetError());
        return NULL;
    }
    SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
    SDL_SetTextureScaleMode(t, SDL_ScaleModeLinear);
    return t;
}

void kiosk_app_image(kiosk_app_t *app, SDL_Texture *tex, SDL_Rect r)
{
    if (tex)
        SDL_RenderCopy(app->renderer, tex, NULL, &r);
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
