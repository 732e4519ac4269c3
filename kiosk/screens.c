/*
 * screens.c: the placeholder screens. "welcome" greets in several languages
 * and offers a grid of language buttons (autonyms); "language" shows a
 * heading and a short text in the chosen language with a Back button.
 *
 * Texts are laid out once in enter, into texts the screen stack owns
 * (kiosk_screen_texts) and frees on leave; draw only paints. Every colour
 * and size comes from kiosk_theme; forward navigation goes through
 * kiosk_app_push().
 */
#include "kiosk_private.h"

#include <math.h>
#include <string.h>

/* The welcome screen's texts: three, then a label per language. */
enum { WELCOME_TITLE, WELCOME_OTHERS, WELCOME_CHOOSE, WELCOME_LABELS };

/* The language screen's texts. */
enum { LANGUAGE_BACK, LANGUAGE_HEADING, LANGUAGE_BODY, LANGUAGE_TEXTS };

typedef struct {
    float title_y, others_y, choose_y, margin;
    int border;
} welcome_state_t;

typedef struct {
    float heading_y, body_y, margin;
    int back_pad;
} language_state_t;

static wm_status_t welcome_enter(kiosk_screen_t *screen, void *ctx);
static void welcome_draw(kiosk_screen_t *screen, void *ctx);
static wm_status_t language_enter(kiosk_screen_t *screen, void *ctx);
static void language_draw(kiosk_screen_t *screen, void *ctx);
static void screen_activate(kiosk_screen_t *screen, void *ctx, const kiosk_widget_t *widget);
static void draw_button(kiosk_app_t *app, const kiosk_screen_t *screen, size_t index,
                        const i18n_text_t *label, bool filled, int border, int pad);

const kiosk_screen_class_t kiosk_screen_welcome = {
    KIOSK_SCREEN_WELCOME, welcome_enter, NULL, welcome_draw, screen_activate,
};

const kiosk_screen_class_t kiosk_screen_language = {
    KIOSK_SCREEN_LANGUAGE, language_enter, NULL, language_draw, screen_activate,
};

const char *const kiosk_screen_string_keys[] = {
    "autonym", "welcome", "choose", "title", "body", "back", NULL,
};

static wm_status_t welcome_enter(kiosk_screen_t *screen, void *ctx)
{
    kiosk_app_t *app = ctx;
    const kiosk_theme_t *th = &kiosk_theme;
    const float w = (float)app->opts.width, h = (float)app->opts.height, u = kiosk_app_unit(app);
    const size_t dl = app->default_lang;
    const char *dtag = content_language_tag(app->content, dl);
    size_t n = content_language_count(app->content);
    welcome_state_t *st = kiosk_screen_state(screen, sizeof(*st));
    i18n_text_t *t = kiosk_screen_texts(screen, WELCOME_LABELS + n);
    char others[2048];
    size_t used = 0;
    float y, gap, cell_w, cell_h, label_px, inner;
    int cols, rows;

    if (!st || !t)
        return WM_ENOMEM; /* message set; the stack frees what was made */
    st->margin = th->margin * u;
    st->border = (int)fmaxf(th->border_min, roundf(th->border * u));
    inner = w - 2 * st->margin;

    /* "Welcome" in the default language, big; then the others, smaller */
    kiosk_app_layout(app, &t[WELCOME_TITLE], kiosk_app_string(app, dl, "welcome"), dtag,
                     th->title_px * u, inner, I18N_ALIGN_CENTER, th->title_lines);
    others[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const char *s = content_string(app->content, i, "welcome");
        int k;

        if (i == dl || !s)
            continue;
        /* each greeting in its own bidi isolate (FSI ... PDI) so the dots
         * between RTL and LTR greetings stay where they belong */
        k = snprintf(others + used, sizeof(others) - used, "%s\xE2\x81\xA8%s\xE2\x81\xA9",
                     used ? "  \xC2\xB7  " : "", s);
        if (k < 0 || (size_t)k >= sizeof(others) - used) {
            others[used] = '\0';
            break;
        }
        used += (size_t)k;
    }
    kiosk_app_layout(app, &t[WELCOME_OTHERS], others, dtag, th->others_px * u, inner,
                     I18N_ALIGN_CENTER, th->others_lines);
    kiosk_app_layout(app, &t[WELCOME_CHOOSE], kiosk_app_string(app, dl, "choose"), dtag,
                     th->choose_px * u, inner, I18N_ALIGN_CENTER, th->choose_lines);

    st->title_y = th->welcome_top * u;
    st->others_y = st->title_y + kiosk_app_text_height(&t[WELCOME_TITLE], th->title_px * u) +
                   th->title_after * u;
    st->choose_y = st->others_y + kiosk_app_text_height(&t[WELCOME_OTHERS], th->others_px * u) +
                   th->others_after * u;
    y = st->choose_y + kiosk_app_text_height(&t[WELCOME_CHOOSE], th->choose_px * u) +
        th->choose_after * u;

    /* the grid of language buttons: big targets, all on one screen */
    _Static_assert(KIOSK_WIDGETS_MAX >= CONTENT_LANGUAGES_MAX, "a button for every language");
    cols = w > h ? th->grid_cols_landscape : th->grid_cols_portrait;
    rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
    gap = th->grid_gap * u;
    cell_w = (inner - (float)(cols - 1) * gap) / (float)cols;
    cell_h = (h - st->margin - y - (float)(rows - 1) * gap) / (float)rows;
    if (cell_h > th->cell_max_h * u)
        cell_h = th->cell_max_h * u;
    label_px = fminf(th->label_px * u, cell_h * th->label_fill);
    for (size_t i = 0; i < n; i++) {
        const char *tag = content_language_tag(app->content, i);
        SDL_Rect r;
        char id[KIOSK_WIDGET_ID_MAX];
        wm_status_t s;

        r.x = (int)roundf(st->margin + (float)(i % (size_t)cols) * (cell_w + gap));
        r.y = (int)roundf(y + (float)(i / (size_t)cols) * (cell_h + gap));
        r.w = (int)cell_w;
        r.h = (int)cell_h;
        snprintf(id, sizeof(id), "lang-%s", tag);
        if ((s = kiosk_screen_add_widget(screen, id, r, KIOSK_ACTION_LANGUAGE, (int)i)) != WM_OK)
            return s;
        kiosk_app_layout(app, &t[WELCOME_LABELS + i], kiosk_app_string(app, i, "autonym"), tag,
                         label_px, (float)(r.w - 2 * st->border), I18N_ALIGN_CENTER, 1);
    }
    return WM_OK;
}

static void welcome_draw(kiosk_screen_t *screen, void *ctx)
{
    kiosk_app_t *app = ctx;
    const welcome_state_t *st = screen->state;
    const i18n_text_t *t = screen->texts;

    kiosk_app_text(app, &t[WELCOME_TITLE], st->margin, st->title_y, kiosk_theme.text);
    kiosk_app_text(app, &t[WELCOME_OTHERS], st->margin, st->others_y, kiosk_theme.muted);
    kiosk_app_text(app, &t[WELCOME_CHOOSE], st->margin, st->choose_y, kiosk_theme.accent);
    for (size_t i = 0; i < screen->widget_count; i++)
        draw_button(app, screen, i, &t[WELCOME_LABELS + i], false, st->border, st->border);
}

static wm_status_t language_enter(kiosk_screen_t *screen, void *ctx)
{
    kiosk_app_t *app = ctx;
    const kiosk_theme_t *th = &kiosk_theme;
    const float w = (float)app->opts.width, u = kiosk_app_unit(app);
    const size_t lang = (size_t)screen->arg;
    const char *tag = content_language_tag(app->content, lang);
    language_state_t *st;
    i18n_text_t *t;
    SDL_Rect back;
    wm_status_t s;

    if (screen->arg < 0 || !tag)
        return wm_error(WM_EINVAL, "language screen: no language %d", screen->arg);
    st = kiosk_screen_state(screen, sizeof(*st));
    t = kiosk_screen_texts(screen, LANGUAGE_TEXTS);
    if (!st || !t)
        return WM_ENOMEM;
    st->margin = th->margin * u;
    back.w = (int)(th->back_w * u);
    back.h = (int)(th->back_h * u);
    back.y = (int)st->margin;

    kiosk_app_layout(app, &t[LANGUAGE_HEADING], kiosk_app_string(app, lang, "title"), tag,
                     th->heading_px * u, w - 2 * st->margin, I18N_ALIGN_START, th->heading_lines);
    kiosk_app_layout(app, &t[LANGUAGE_BODY], kiosk_app_string(app, lang, "body"), tag,
                     th->body_px * u, w - 2 * st->margin, I18N_ALIGN_START, th->body_lines);
    st->back_pad = (int)(th->back_pad * u);
    kiosk_app_layout(app, &t[LANGUAGE_BACK], kiosk_app_string(app, lang, "back"), tag,
                     th->back_px * u, (float)(back.w - 2 * st->back_pad), I18N_ALIGN_CENTER, 1);
    /* Back sits where reading starts: top left, top right in RTL */
    back.x = t[LANGUAGE_HEADING].rtl ? (int)(w - st->margin) - back.w : (int)st->margin;
    st->heading_y = (float)(back.y + back.h) + th->heading_before * u;
    st->body_y = st->heading_y + kiosk_app_text_height(&t[LANGUAGE_HEADING], th->heading_px * u) +
                 th->heading_after * u;
    if ((s = kiosk_screen_add_widget(screen, "back", back, KIOSK_ACTION_BACK, 0)) != WM_OK)
        return s;
    /* the language a person chose: wiped with the stack by the idle timer */
    app->lang = screen->arg;
    return WM_OK;
}

static void language_draw(kiosk_screen_t *screen, void *ctx)
{
    kiosk_app_t *app = ctx;
    const language_state_t *st = screen->state;
    const i18n_text_t *t = screen->texts;

    draw_button(app, screen, 0, &t[LANGUAGE_BACK], true, 0, st->back_pad);
    kiosk_app_text(app, &t[LANGUAGE_HEADING], st->margin, st->heading_y, kiosk_theme.text);
    kiosk_app_text(app, &t[LANGUAGE_BODY], st->margin, st->body_y, kiosk_theme.text);
}

static void screen_activate(kiosk_screen_t *screen, void *ctx, const kiosk_widget_t *widget)
{
    kiosk_app_t *app = ctx;

    (void)screen;
    switch (widget->action) {
    case KIOSK_ACTION_LANGUAGE:
        kiosk_app_push(app, &kiosk_screen_language, widget->arg);
        break;
    case KIOSK_ACTION_BACK:
        kiosk_app_back(app);
        break;
    default:
        break;
    }
}

static void draw_button(kiosk_app_t *app, const kiosk_screen_t *screen, size_t index,
                        const i18n_text_t *label, bool filled, int border, int pad)
{
    const kiosk_theme_t *th = &kiosk_theme;
    const kiosk_widget_t *wd = &screen->widgets[index];
    SDL_Rect r = wd->rect, in;
    bool pressed = screen->pressed == (int)index;
    render_color_t fg = filled ? th->on_accent : th->text;

    if (filled) {
        kiosk_app_fill(app, r, pressed ? th->text : th->accent);
    } else {
        kiosk_app_fill(app, r, th->accent);
        in = (SDL_Rect){r.x + border, r.y + border, r.w - 2 * border, r.h - 2 * border};
        kiosk_app_fill(app, in, pressed ? th->pressed : th->button);
    }
    /* labels were laid out centred in the button less pad on each side */
    kiosk_app_text(app, label, (float)(r.x + pad), (float)r.y + ((float)r.h - label->height) / 2.0f,
                   fg);
}
