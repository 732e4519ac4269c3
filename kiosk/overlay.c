/*
 * overlay.c: what the booth draws over any screen: the "still there?"
 * question with its countdown and continue button (in the visit's
 * language), and the staff update banner at the top (update found with
 * version and date, a progress bar, then installed or not installed and
 * why, in English: it is for staff).
 *
 * Texts are laid out when something changes (the question once, its
 * number once a second, the banner once per state), never per frame.
 */
#include "kiosk_private.h"

#include <math.h>
#include <stdio.h>

enum { ASK_QUESTION, ASK_SECONDS, ASK_CONTINUE };

/* Reference sizes (1080x1920), scaled by kiosk_app_unit(). */
#define ASK_BOX_W       900.0f
#define ASK_BOX_H       640.0f
#define ASK_QUESTION_PX 64.0f
#define ASK_SECONDS_PX  120.0f
#define ASK_BUTTON_W    560.0f
#define ASK_BUTTON_H    140.0f
#define ASK_BUTTON_PX   52.0f
#define BANNER_H        210.0f
#define BANNER_PX       40.0f
#define BANNER_BAR_H    24.0f

static const char *ask_string(const kiosk_app_t *app, size_t lang, const char *key,
                              const char *fallback)
{
    const char *s = kiosk_app_string(app, lang, key);

    return *s ? s : fallback;
}

static size_t ask_lang(const kiosk_app_t *app)
{
    return app->lang >= 0 ? (size_t)app->lang : app->default_lang;
}

static void ask_seconds_layout(kiosk_app_t *app, int secs)
{
    const float u = kiosk_app_unit(app);
    const size_t lang = ask_lang(app);
    char num[16];

    snprintf(num, sizeof(num), "%d", secs);
    kiosk_app_layout(app, &app->ask_texts[ASK_SECONDS], num,
                     content_language_tag(app->content, lang), ASK_SECONDS_PX * u,
                     (float)app->ask_box.w, I18N_ALIGN_CENTER, 1);
    app->ask_shown = secs;
}

void kiosk_overlay_ask_layout(kiosk_app_t *app)
{
    const float u = kiosk_app_unit(app);
    const float w = (float)app->opts.width, h = (float)app->opts.height;
    const size_t lang = ask_lang(app);
    const char *tag = content_language_tag(app->content, lang);
    float bw = fminf(ASK_BOX_W * u, w - 2 * kiosk_theme.margin * u);

    app->ask_box = (SDL_Rect){(int)((w - bw) / 2), (int)((h - ASK_BOX_H * u) / 2), (int)bw,
                              (int)(ASK_BOX_H * u)};
    app->ask_button = (SDL_Rect){(int)((w - fminf(ASK_BUTTON_W * u, bw)) / 2),
                                 app->ask_box.y + app->ask_box.h - (int)(ASK_BUTTON_H * u * 1.25f),
                                 (int)fminf(ASK_BUTTON_W * u, bw), (int)(ASK_BUTTON_H * u)};
    kiosk_app_layout(app, &app->ask_texts[ASK_QUESTION],
                     ask_string(app, lang, "visit.still_there", "Are you still there?"), tag,
                     ASK_QUESTION_PX * u, bw * 0.9f, I18N_ALIGN_CENTER, 2);
    kiosk_app_layout(app, &app->ask_texts[ASK_CONTINUE],
                     ask_string(app, lang, "visit.continue", "Continue"), tag, ASK_BUTTON_PX * u,
                     (float)app->ask_button.w * 0.9f, I18N_ALIGN_CENTER, 1);
    ask_seconds_layout(app, KIOSK_ASK_SECONDS);
    app->ask_laid_out = true;
}

static void ask_draw(kiosk_app_t *app)
{
    const kiosk_theme_t *th = &kiosk_theme;
    const float u = kiosk_app_unit(app);
    const SDL_Rect box = app->ask_box, bt = app->ask_button;
    const int border = (int)fmaxf(th->border_min, roundf(th->border * u));
    uint64_t left = app->ask_deadline > app->now_ms ? app->ask_deadline - app->now_ms : 0;
    int secs = (int)((left + 999) / 1000);
    const i18n_text_t *t = app->ask_texts;
    float y;

    if (!app->ask_laid_out)
        kiosk_overlay_ask_layout(app);
    if (secs != app->ask_shown)
        ask_seconds_layout(app, secs);
    kiosk_app_fill(
        app, (SDL_Rect){box.x - border, box.y - border, box.w + 2 * border, box.h + 2 * border},
        th->accent);
    kiosk_app_fill(app, box, th->button);
    y = (float)box.y + 48 * u;
    kiosk_app_text(app, &t[ASK_QUESTION], (float)box.x + (box.w - t[ASK_QUESTION].width) / 2, y,
                   th->text);
    y += kiosk_app_text_height(&t[ASK_QUESTION], ASK_QUESTION_PX * u) + 24 * u;
    kiosk_app_text(app, &t[ASK_SECONDS], (float)box.x + (box.w - t[ASK_SECONDS].width) / 2, y,
                   th->accent);
    kiosk_app_fill(app, bt, th->accent);
    kiosk_app_text(app, &t[ASK_CONTINUE], (float)bt.x + (bt.w - t[ASK_CONTINUE].width) / 2,
                   (float)bt.y +
                       (bt.h - kiosk_app_text_height(&t[ASK_CONTINUE], ASK_BUTTON_PX * u)) / 2,
                   th->on_accent);
}

void kiosk_overlay_update_layout(kiosk_app_t *app)
{
    const float u = kiosk_app_unit(app);
    const float inner = (float)app->opts.width - 2 * kiosk_theme.margin * u;

    if (app->update == KIOSK_UPDATE_NONE)
        return;
    kiosk_app_layout(app, &app->update_texts[0], app->update_text, "en", BANNER_PX * u, inner,
                     I18N_ALIGN_START, 2);
    kiosk_app_layout(app, &app->update_texts[1], app->update_detail, "en", BANNER_PX * u * 0.8f,
                     inner, I18N_ALIGN_START, 1);
}

static void banner_draw(kiosk_app_t *app)
{
    const kiosk_theme_t *th = &kiosk_theme;
    const float u = kiosk_app_unit(app), m = th->margin * u;
    const int w = app->opts.width;
    const int bh = (int)(BANNER_H * u);
    float y = m * 0.5f;

    kiosk_app_fill(app, (SDL_Rect){0, 0, w, bh}, th->accent);
    kiosk_app_text(app, &app->update_texts[0], m, y, th->on_accent);
    y += kiosk_app_text_height(&app->update_texts[0], BANNER_PX * u) + 8 * u;
    kiosk_app_text(app, &app->update_texts[1], m, y, th->on_accent);
    if (app->update == KIOSK_UPDATE_COPYING || app->update == KIOSK_UPDATE_FOUND) {
        const int bar_w = w - (int)(2 * m), bar_h = (int)fmaxf(4, BANNER_BAR_H * u);
        const int bar_y = bh - bar_h - (int)(m * 0.5f);
        int done = app->update_total
                       ? (int)((double)bar_w * (double)app->update_done / (double)app->update_total)
                       : 0;

        kiosk_app_fill(app, (SDL_Rect){(int)m, bar_y, bar_w, bar_h}, th->muted);
        kiosk_app_fill(app, (SDL_Rect){(int)m, bar_y, done, bar_h}, th->on_accent);
    }
}

void kiosk_overlay_draw(kiosk_app_t *app)
{
    if (app->asking)
        ask_draw(app);
    if (app->update != KIOSK_UPDATE_NONE)
        banner_draw(app);
}
