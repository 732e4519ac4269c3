/*
 * ui_bar.c: what every screen shares: the layout frame (language,
 * direction, margins, scale), the bar (home, back, language, larger text,
 * high contrast), buttons, texts, and the one function that runs every
 * widget's action.
 *
 * The bar is laid out left to right and mirrored for RTL languages: back
 * sits where reading starts and its arrow points against the reading
 * direction. A page with a recording in the person's language gets a
 * sixth button after home, "play" (a loudspeaker; a square while it
 * plays): the other five stay the bar's first widgets, play is the sixth.
 */
#include "kiosk_private.h"

#include <math.h>
#include <string.h>

#define BAR_BUTTONS 5

static void ui_arrow(kiosk_app_t *app, SDL_Rect r, bool left, render_color_t c);
static void ui_house(kiosk_app_t *app, SDL_Rect r, render_color_t c);
static void ui_speaker(kiosk_app_t *app, SDL_Rect r, render_color_t c);
static void ui_print(kiosk_app_t *app, size_t service);

void kiosk_ui_begin(kiosk_app_t *app, kiosk_ui_t *ui)
{
    const kiosk_theme_t *th = kiosk_app_theme(app);

    ui->lang = kiosk_app_lang(app);
    ui->tag = kiosk_app_lang_tag(app);
    ui->rtl = kiosk_app_rtl(app);
    ui->u = kiosk_app_unit(app);
    ui->ts = kiosk_app_text_scale(app);
    ui->w = app->opts.width;
    ui->h = app->opts.height;
    ui->margin = (int)roundf(th->margin * ui->u);
    ui->top = ui->margin;
    ui->min_target = kiosk_app_min_target(app);
}

SDL_Rect kiosk_ui_mirror(const kiosk_ui_t *ui, SDL_Rect r)
{
    if (ui->rtl)
        r.x = ui->w - r.x - r.w;
    return r;
}

wm_status_t kiosk_ui_bar(kiosk_app_t *app, kiosk_screen_t *screen, kiosk_ui_t *ui)
{
    static const struct {
        const char *id;
        int action;
    } buttons[BAR_BUTTONS] = {
        {"back", KIOSK_ACTION_BACK},         {"home", KIOSK_ACTION_HOME},
        {"language", KIOSK_ACTION_PICKER},   {"text-size", KIOSK_ACTION_TEXT_SIZE},
        {"contrast", KIOSK_ACTION_CONTRAST},
    };
    const kiosk_theme_t *th = kiosk_app_theme(app);
    i18n_text_t *t = screen->texts;
    const bool play = kiosk_audio_recording(app, screen) != NULL;
    const int slots = play ? BAR_BUTTONS + 1 : BAR_BUTTONS;
    int bar_h = (int)fmaxf(roundf(th->bar_h * ui->u), (float)ui->min_target);
    int gap = (int)roundf(th->gap * ui->u / 2), x = 0;
    int bw = (ui->w - 2 * gap - (slots - 1) * gap) / slots;
    float px = fminf(th->bar_px * ui->u * ui->ts, (float)bar_h * 0.4f);
    const char *tag;
    const char *back = kiosk_app_say(app, "back", &tag);
    SDL_Rect pr = {0};
    wm_status_t s;

    /* back and home first (reading start), play, then the person's settings */
    x = gap;
    for (int i = 0; i < BAR_BUTTONS; i++) {
        SDL_Rect r = {x, gap, bw, bar_h - 2 * gap};

        if (r.h < ui->min_target)
            r.h = ui->min_target;
        if (play && i == 2) {
            pr = r;
            r.x += bw + gap;
            x += bw + gap;
        }
        if ((s = kiosk_screen_add_widget(screen, buttons[i].id, kiosk_ui_mirror(ui, r),
                                         buttons[i].action, 0)) != WM_OK)
            return s;
        x += bw + gap;
    }
    if (play && (s = kiosk_screen_add_widget(screen, "play", kiosk_ui_mirror(ui, pr),
                                             KIOSK_ACTION_PLAY, 0)) != WM_OK)
        return s;
    /* back: arrow and word; language: the autonym; text: "A+"; a long
     * word gets a smaller size rather than an ellipsis */
    for (float f = 1.0f; f > 0.5f; f -= 0.1f) {
        kiosk_app_layout(app, &t[KIOSK_UI_BAR_BACK], back, tag, px * f, (float)bw * 0.6f,
                         I18N_ALIGN_CENTER, 1);
        if (!t[KIOSK_UI_BAR_BACK].truncated)
            break;
    }
    for (float f = 1.0f; f > 0.5f; f -= 0.1f) {
        kiosk_app_layout(app, &t[KIOSK_UI_BAR_LANG], kiosk_app_string(app, ui->lang, "autonym"),
                         ui->tag, px * f, (float)bw * 0.9f, I18N_ALIGN_CENTER, 1);
        if (!t[KIOSK_UI_BAR_LANG].truncated)
            break;
    }
    kiosk_app_layout(app, &t[KIOSK_UI_BAR_TEXT], app->text_step + 1 < KIOSK_TEXT_STEPS ? "A+" : "A",
                     "en", px * 1.3f, (float)bw, I18N_ALIGN_CENTER, 1);
    ui->top = bar_h + ui->margin / 2;
    return WM_OK;
}

void kiosk_ui_bar_draw(kiosk_app_t *app, const kiosk_screen_t *screen)
{
    const kiosk_theme_t *th = kiosk_app_theme(app);
    const i18n_text_t *t = screen->texts;
    const kiosk_widget_t *wd = screen->widgets;
    const bool rtl = kiosk_app_rtl(app);
    SDL_Rect bar = {0, 0, app->opts.width, wd[0].rect.y * 2 + wd[0].rect.h};
    const bool play =
        screen->widget_count > BAR_BUTTONS && wd[BAR_BUTTONS].action == KIOSK_ACTION_PLAY;

    /* a recording of another page (or one that ended) stops here */
    kiosk_audio_sync(app, screen);
    kiosk_app_fill(app, bar, th->bar);
    for (size_t i = 0; i < BAR_BUTTONS + (play ? 1 : 0) && i < screen->widget_count; i++) {
        SDL_Rect r = wd[i].rect, icon;
        bool pressed = screen->pressed == (int)i;
        render_color_t fg = pressed ? th->bar : th->on_bar;
        int side = r.h / 2;
        const i18n_text_t *label = NULL;

        kiosk_app_fill(app, r, pressed ? th->on_bar : th->bar);
        if (app->high_contrast && !pressed) {
            /* outlined buttons: the edge of each target is visible */
            int b = (int)fmaxf(th->border_min, th->border * kiosk_app_unit(app));

            kiosk_app_fill(app, (SDL_Rect){r.x, r.y, r.w, b}, th->on_bar);
            kiosk_app_fill(app, (SDL_Rect){r.x, r.y + r.h - b, r.w, b}, th->on_bar);
            kiosk_app_fill(app, (SDL_Rect){r.x, r.y, b, r.h}, th->on_bar);
            kiosk_app_fill(app, (SDL_Rect){r.x + r.w - b, r.y, b, r.h}, th->on_bar);
        }
        icon = (SDL_Rect){r.x + (r.w - side) / 2, r.y + (r.h - side) / 2, side, side};
        switch (i) {
        case 0: /* back: the arrow at the reading start, then the word */
            icon.w = icon.h = side * 2 / 3;
            label = &t[KIOSK_UI_BAR_BACK];
            {
                int total = icon.w + side / 4 + (int)label->width;
                int x0 = r.x + (r.w - total) / 2;

                icon.y = r.y + (r.h - icon.h) / 2;
                icon.x = rtl ? x0 + total - icon.w : x0;
                ui_arrow(app, icon, !rtl, fg);
                kiosk_app_text(app, label,
                               (float)(rtl ? x0 : x0 + icon.w + side / 4) -
                                   ((float)r.w * 0.6f - label->width) / 2.0f,
                               (float)r.y + ((float)r.h - label->height) / 2.0f, fg);
            }
            label = NULL;
            break;
        case 1:
            ui_house(app, icon, fg);
            break;
        case 2:
            label = &t[KIOSK_UI_BAR_LANG];
            kiosk_app_text(app, label, (float)r.x + (float)r.w * 0.05f,
                           (float)r.y + ((float)r.h - label->height) / 2.0f, fg);
            break;
        case 3:
            label = &t[KIOSK_UI_BAR_TEXT];
            kiosk_app_text(app, label, (float)r.x, (float)r.y + ((float)r.h - label->height) / 2.0f,
                           fg);
            break;
        case 4: /* a circle half dark, half light: contrast */
            kiosk_app_fill(app, icon, fg);
            kiosk_app_fill(app, (SDL_Rect){icon.x + 3, icon.y + 3, icon.w / 2 - 3, icon.h - 6},
                           pressed ? th->on_bar : th->bar);
            break;
        case 5: /* play: a loudspeaker; stop: a square */
            if (kiosk_audio_playing(app)) {
                int q = side * 2 / 3;

                kiosk_app_fill(app, (SDL_Rect){r.x + (r.w - q) / 2, r.y + (r.h - q) / 2, q, q}, fg);
            } else {
                ui_speaker(app, icon, fg);
            }
            break;
        default:
            break;
        }
    }
}

void kiosk_ui_button(kiosk_app_t *app, const kiosk_screen_t *screen, size_t index, bool filled)
{
    const kiosk_theme_t *th = kiosk_app_theme(app);
    SDL_Rect r = screen->widgets[index].rect, in;
    bool pressed = screen->pressed == (int)index;
    int b = (int)fmaxf(th->border_min, roundf(th->border * kiosk_app_unit(app)));

    if (r.w <= 0 || r.h <= 0)
        return;
    if (filled) {
        kiosk_app_fill(app, r, pressed ? th->text : th->accent);
        return;
    }
    kiosk_app_fill(app, r, th->accent);
    in = (SDL_Rect){r.x + b, r.y + b, r.w - 2 * b, r.h - 2 * b};
    kiosk_app_fill(app, in, pressed ? th->pressed : th->button);
}

float kiosk_ui_text(kiosk_app_t *app, const kiosk_ui_t *ui, i18n_text_t *t, const char *key,
                    float px, int width, int max_lines)
{
    const char *tag;
    const char *s = kiosk_app_say(app, key, &tag);

    kiosk_app_layout(app, t, s, tag, px, (float)width, I18N_ALIGN_START, max_lines);
    (void)ui;
    return *s ? kiosk_app_text_height(t, px) : 0;
}

/* ---- actions ------------------------------------------------------------ */

void kiosk_ui_activate(kiosk_screen_t *screen, void *ctx, const kiosk_widget_t *widget)
{
    kiosk_app_t *app = ctx;

    /* every step elsewhere ends the recording; a new layout of the same
     * page (text size, theme) does not */
    if (widget->action != KIOSK_ACTION_PLAY && widget->action != KIOSK_ACTION_TEXT_SIZE &&
        widget->action != KIOSK_ACTION_CONTRAST)
        kiosk_audio_stop(app);
    switch (widget->action) {
    case KIOSK_ACTION_PLAY:
        kiosk_audio_toggle(app, screen);
        app->dirty = true;
        break;
    case KIOSK_ACTION_LANGUAGE:
        /* the language a person chose: wiped with the stack by the idle timer */
        app->lang = widget->arg;
        kiosk_screen_stack_pop_all(&app->stack);
        kiosk_app_push(app, &kiosk_screen_home, 0);
        break;
    case KIOSK_ACTION_BACK:
        kiosk_app_back(app);
        break;
    case KIOSK_ACTION_HOME:
        while (app->stack.depth > 2)
            kiosk_screen_stack_pop(&app->stack);
        if (app->stack.depth < 2 || strcmp(kiosk_app_screen_name(app), KIOSK_SCREEN_HOME) != 0) {
            kiosk_screen_stack_pop_all(&app->stack);
            kiosk_app_push(app, &kiosk_screen_home, 0);
        }
        app->dirty = true;
        break;
    case KIOSK_ACTION_PICKER:
    case KIOSK_ACTION_START:
        kiosk_app_push(app, &kiosk_screen_languages, 0);
        break;
    case KIOSK_ACTION_TEXT_SIZE:
        app->text_step = (app->text_step + 1) % KIOSK_TEXT_STEPS;
        kiosk_app_relayout(app);
        break;
    case KIOSK_ACTION_CONTRAST:
        app->high_contrast = !app->high_contrast;
        kiosk_app_relayout(app);
        break;
    case KIOSK_ACTION_CATEGORY:
        kiosk_app_push(app, &kiosk_screen_services, widget->arg);
        break;
    case KIOSK_ACTION_SERVICE:
        kiosk_app_push(app, &kiosk_screen_service, widget->arg);
        break;
    case KIOSK_ACTION_RIGHTS:
        kiosk_app_push(app, &kiosk_screen_rights, 0);
        break;
    case KIOSK_ACTION_PAGE:
        kiosk_app_push(app, &kiosk_screen_article, widget->arg);
        break;
    case KIOSK_ACTION_HELP:
        kiosk_app_push(app, &kiosk_screen_help, 0);
        break;
    case KIOSK_ACTION_PRINT:
        ui_print(app, (size_t)widget->arg);
        break;
    case KIOSK_ACTION_FINISH:
        /* every screen goes, this one too: nothing may touch it after */
        kiosk_app_finish_visit(app);
        return;
    default:
        break;
    }
}

/* Prints the service's slip in the person's language and the local one,
 * then shows the outcome (and the QR code large when it did not print). */
static void ui_print(kiosk_app_t *app, size_t service)
{
    kiosk_slip_storage_t storage;
    kiosk_slip_t slip;
    render_canvas_t *canvas = NULL;

    if (kiosk_slip_from_content(app->content, service, kiosk_app_lang(app), kiosk_app_wall(app),
                                &slip, &storage) != WM_OK)
        return;

    /* a slip still coming out: this tap waits for it */
    if (kiosk_print_busy(app))
        return;
    app->print_outcome = KIOSK_PRINT_FAILED;
    app->print_state = HW_PRINTER_NOT_CONNECTED;
    if (!app->composer && app->fonts &&
        kiosk_slip_composer_create(app->fonts, &app->composer) != WM_OK) {
        wm_log_error("print: %s", wm_last_error());
        app->composer = NULL;
    }
    /* composed here (the fonts stay on this thread), sent by a worker */
    if (app->printer && app->composer &&
        kiosk_slip_compose(app->composer, &slip,
                           app->opts.paper_mm == 58 ? HW_DOTS_58MM : HW_DOTS_80MM,
                           &canvas) != WM_OK) {
        wm_log_error("print: %s", wm_last_error());
        canvas = NULL;
    }
    if (canvas)
        kiosk_print_start(app, (int)service, canvas);
    else
        wm_log_warn("printer: %s", hw_printer_state_name(app->print_state));
    kiosk_app_push(app, &kiosk_screen_print, (int)service);
}

/* ---- icons drawn with rectangles (no font needed) ----------------------- */

/* A triangle pointing left or right, in rows of one px. */
static void ui_arrow(kiosk_app_t *app, SDL_Rect r, bool left, render_color_t c)
{
    int half = r.h / 2;

    for (int y = 0; y < r.h; y++) {
        int d = y < half ? y : r.h - 1 - y, len = r.w * (d + 1) / (half + 1);

        kiosk_app_fill(app, (SDL_Rect){left ? r.x + r.w - len : r.x, r.y + y, len, 1}, c);
    }
    /* the shaft */
    kiosk_app_fill(app, (SDL_Rect){left ? r.x + r.w / 3 : r.x, r.y + r.h / 3, r.w * 2 / 3, r.h / 3},
                   c);
}

static void ui_house(kiosk_app_t *app, SDL_Rect r, render_color_t c)
{
    int roof = r.h * 2 / 5;

    for (int y = 0; y < roof; y++) {
        int len = r.w * (y + 1) / roof;

        kiosk_app_fill(app, (SDL_Rect){r.x + (r.w - len) / 2, r.y + y, len, 1}, c);
    }
    kiosk_app_fill(app, (SDL_Rect){r.x + r.w / 6, r.y + roof, r.w * 2 / 3, r.h - roof}, c);
}

/* A loudspeaker: a box, a cone widening away from it, two sound waves. */
static void ui_speaker(kiosk_app_t *app, SDL_Rect r, render_color_t c)
{
    int box = r.w / 5, cone = r.w * 3 / 10, x = r.x;

    kiosk_app_fill(app, (SDL_Rect){x, r.y + r.h * 3 / 10, box, r.h * 2 / 5}, c);
    x += box;
    for (int i = 0; i < cone; i++) {
        int h = r.h * 2 / 5 + (r.h * 3 / 5) * (i + 1) / cone;

        kiosk_app_fill(app, (SDL_Rect){x + i, r.y + (r.h - h) / 2, 1, h}, c);
    }
    x += cone + r.w / 12;
    for (int k = 0; k < 2; k++) {
        int h = r.h * (3 + 2 * k) / 7, w = r.w / 10 > 1 ? r.w / 10 : 1;

        kiosk_app_fill(app, (SDL_Rect){x, r.y + (r.h - h) / 2, w, h}, c);
        x += w * 2;
    }
}
