/*
 * screens.c: the placeholder screens. "welcome" greets in several languages
 * and offers a grid of language buttons (autonyms); "language" shows a
 * heading and a short text in the chosen language with a Back button.
 * Texts are laid out once in enter; draw only paints.
 */
#include "kiosk_private.h"

#include <math.h>
#include <string.h>

#define COLOR_BG        RENDER_RGBA(0xF4, 0xF1, 0xEA, 0xFF)
#define COLOR_TEXT      RENDER_RGBA(0x1B, 0x1B, 0x1B, 0xFF)
#define COLOR_MUTED     RENDER_RGBA(0x4A, 0x4A, 0x4A, 0xFF)
#define COLOR_BUTTON    RENDER_RGBA(0xFF, 0xFF, 0xFF, 0xFF)
#define COLOR_PRESSED   RENDER_RGBA(0xD6, 0xE6, 0xF5, 0xFF)
#define COLOR_ACCENT    RENDER_RGBA(0x1F, 0x4E, 0x79, 0xFF)
#define COLOR_ON_ACCENT RENDER_RGBA(0xFF, 0xFF, 0xFF, 0xFF)

typedef struct {
    i18n_text_t title, others, choose;
    i18n_text_t labels[KIOSK_WIDGETS_MAX];
    size_t label_count;
    float title_y, others_y, choose_y, margin;
    int border;
} welcome_state_t;

typedef struct {
    i18n_text_t back, title, body;
    float title_y, body_y, margin;
    int back_pad;
} language_state_t;

static wm_status_t welcome_enter(kiosk_screen_t *screen, void *ctx);
static void welcome_leave(kiosk_screen_t *screen, void *ctx);
static void welcome_draw(kiosk_screen_t *screen, void *ctx);
static wm_status_t language_enter(kiosk_screen_t *screen, void *ctx);
static void language_leave(kiosk_screen_t *screen, void *ctx);
static void language_draw(kiosk_screen_t *screen, void *ctx);
static void screen_activate(kiosk_screen_t *screen, void *ctx, const kiosk_widget_t *widget);
static float unit(const kiosk_app_t *app);
static float text_height(const i18n_text_t *text, float size_px);
static void draw_button(kiosk_app_t *app, const kiosk_screen_t *screen, size_t index,
                        const i18n_text_t *label, bool filled, int border, int pad);

const kiosk_screen_class_t kiosk_screen_welcome = {
    KIOSK_SCREEN_WELCOME, welcome_enter, welcome_leave, welcome_draw, screen_activate,
};

const kiosk_screen_class_t kiosk_screen_language = {
    KIOSK_SCREEN_LANGUAGE, language_enter, language_leave, language_draw, screen_activate,
};

static wm_status_t welcome_enter(kiosk_screen_t *screen, void *ctx)
{
    kiosk_app_t *app = ctx;
    welcome_state_t *st = wm_calloc(1, sizeof(*st));
    const float w = (float)app->opts.width, h = (float)app->opts.height, u = unit(app);
    const size_t dl = app->default_lang;
    const char *dtag = content_language_tag(app->content, dl);
    size_t n = content_language_count(app->content);
    char others[2048];
    size_t used = 0;
    float y, gap, cell_w, cell_h, label_px;
    int cols, rows;

    if (!st)
        return wm_error(WM_ENOMEM, "welcome screen: out of memory");
    i18n_text_init(&st->title);
    i18n_text_init(&st->others);
    i18n_text_init(&st->choose);
    st->margin = 48 * u;
    st->border = (int)fmaxf(2, roundf(4 * u));

    /* "Welcome" in the default language, big; then the others, smaller */
    kiosk_app_layout(app, &st->title, kiosk_app_string(app, dl, "welcome"), dtag, 88 * u,
                     w - 2 * st->margin, I18N_ALIGN_CENTER, 2);
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
    kiosk_app_layout(app, &st->others, others, dtag, 34 * u, w - 2 * st->margin, I18N_ALIGN_CENTER,
                     4);
    kiosk_app_layout(app, &st->choose, kiosk_app_string(app, dl, "choose"), dtag, 48 * u,
                     w - 2 * st->margin, I18N_ALIGN_CENTER, 2);

    st->title_y = 96 * u;
    st->others_y = st->title_y + text_height(&st->title, 88 * u) + 28 * u;
    st->choose_y = st->others_y + text_height(&st->others, 34 * u) + 56 * u;
    y = st->choose_y + text_height(&st->choose, 48 * u) + 40 * u;

    /* the grid of language buttons: big targets, all on one screen */
    _Static_assert(KIOSK_WIDGETS_MAX >= CONTENT_LANGUAGES_MAX, "a button for every language");
    cols = w > h ? 4 : 2;
    rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
    gap = 24 * u;
    cell_w = (w - 2 * st->margin - (float)(cols - 1) * gap) / (float)cols;
    cell_h = (h - st->margin - y - (float)(rows - 1) * gap) / (float)rows;
    if (cell_h > 200 * u)
        cell_h = 200 * u;
    label_px = fminf(52 * u, cell_h * 0.42f);
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
        if ((s = kiosk_screen_add_widget(screen, id, r, KIOSK_ACTION_LANGUAGE, (int)i)) != WM_OK) {
            screen->state = st;
            welcome_leave(screen, ctx);
            return s;
        }
        i18n_text_init(&st->labels[i]);
        st->label_count = i + 1;
        kiosk_app_layout(app, &st->labels[i], kiosk_app_string(app, i, "autonym"), tag, label_px,
                         (float)(r.w - 2 * st->border), I18N_ALIGN_CENTER, 1);
    }
    screen->state = st;
    return WM_OK;
}

static void welcome_leave(kiosk_screen_t *screen, void *ctx)
{
    welcome_state_t *st = screen->state;

    (void)ctx;
    if (!st)
        return;
    i18n_text_free(&st->title);
    i18n_text_free(&st->others);
    i18n_text_free(&st->choose);
    for (size_t i = 0; i < st->label_count; i++)
        i18n_text_free(&st->labels[i]);
    wm_free(st);
    screen->state = NULL;
}

static void welcome_draw(kiosk_screen_t *screen, void *ctx)
{
    kiosk_app_t *app = ctx;
    welcome_state_t *st = screen->state;

    kiosk_app_text(app, &st->title, st->margin, st->title_y, COLOR_TEXT);
    kiosk_app_text(app, &st->others, st->margin, st->others_y, COLOR_MUTED);
    kiosk_app_text(app, &st->choose, st->margin, st->choose_y, COLOR_ACCENT);
    for (size_t i = 0; i < st->label_count; i++)
        draw_button(app, screen, i, &st->labels[i], false, st->border, st->border);
}

static wm_status_t language_enter(kiosk_screen_t *screen, void *ctx)
{
    kiosk_app_t *app = ctx;
    language_state_t *st = wm_calloc(1, sizeof(*st));
    const float w = (float)app->opts.width, u = unit(app);
    const size_t lang = (size_t)screen->arg;
    const char *tag = content_language_tag(app->content, lang);
    SDL_Rect back;
    wm_status_t s;

    if (!st)
        return wm_error(WM_ENOMEM, "language screen: out of memory");
    if (!tag) {
        wm_free(st);
        return wm_error(WM_EINVAL, "language screen: no language %d", screen->arg);
    }
    i18n_text_init(&st->back);
    i18n_text_init(&st->title);
    i18n_text_init(&st->body);
    st->margin = 48 * u;
    back.w = (int)(320 * u);
    back.h = (int)(128 * u);
    back.y = (int)st->margin;

    kiosk_app_layout(app, &st->title, kiosk_app_string(app, lang, "title"), tag, 72 * u,
                     w - 2 * st->margin, I18N_ALIGN_START, 4);
    kiosk_app_layout(app, &st->body, kiosk_app_string(app, lang, "body"), tag, 44 * u,
                     w - 2 * st->margin, I18N_ALIGN_START, 12);
    st->back_pad = (int)(8 * u);
    kiosk_app_layout(app, &st->back, kiosk_app_string(app, lang, "back"), tag, 44 * u,
                     (float)(back.w - 2 * st->back_pad), I18N_ALIGN_CENTER, 1);
    /* Back sits where reading starts: top left, top right in RTL */
    back.x = st->title.rtl ? (int)(w - st->margin) - back.w : (int)st->margin;
    st->title_y = (float)(back.y + back.h) + 72 * u;
    st->body_y = st->title_y + text_height(&st->title, 72 * u) + 40 * u;
    if ((s = kiosk_screen_add_widget(screen, "back", back, KIOSK_ACTION_BACK, 0)) != WM_OK) {
        screen->state = st;
        language_leave(screen, ctx);
        return s;
    }
    screen->state = st;
    return WM_OK;
}

static void language_leave(kiosk_screen_t *screen, void *ctx)
{
    language_state_t *st = screen->state;

    (void)ctx;
    if (!st)
        return;
    i18n_text_free(&st->back);
    i18n_text_free(&st->title);
    i18n_text_free(&st->body);
    wm_free(st);
    screen->state = NULL;
}

static void language_draw(kiosk_screen_t *screen, void *ctx)
{
    kiosk_app_t *app = ctx;
    language_state_t *st = screen->state;

    draw_button(app, screen, 0, &st->back, true, 0, st->back_pad);
    kiosk_app_text(app, &st->title, st->margin, st->title_y, COLOR_TEXT);
    kiosk_app_text(app, &st->body, st->margin, st->body_y, COLOR_TEXT);
}

static void screen_activate(kiosk_screen_t *screen, void *ctx, const kiosk_widget_t *widget)
{
    kiosk_app_t *app = ctx;

    (void)screen;
    switch (widget->action) {
    case KIOSK_ACTION_LANGUAGE:
        kiosk_app_choose_language(app, widget->arg);
        break;
    case KIOSK_ACTION_BACK:
        kiosk_app_back(app);
        break;
    default:
        break;
    }
}

/* Sizes are given for the 1080x1920 reference and scaled to the UI. */
static float unit(const kiosk_app_t *app)
{
    float ux = (float)app->opts.width / KIOSK_DEFAULT_WIDTH;
    float uy = (float)app->opts.height / KIOSK_DEFAULT_HEIGHT;

    return ux < uy ? ux : uy;
}

/* Height of laid-out text, or a nominal one when text is unavailable. */
static float text_height(const i18n_text_t *text, float size_px)
{
    return text->line_count ? text->height : size_px * 1.5f;
}

static void draw_button(kiosk_app_t *app, const kiosk_screen_t *screen, size_t index,
                        const i18n_text_t *label, bool filled, int border, int pad)
{
    const kiosk_widget_t *wd = &screen->widgets[index];
    SDL_Rect r = wd->rect, in;
    bool pressed = screen->pressed == (int)index;
    render_color_t fg = filled ? COLOR_ON_ACCENT : COLOR_TEXT;

    if (filled) {
        kiosk_app_fill(app, r, pressed ? COLOR_TEXT : COLOR_ACCENT);
    } else {
        kiosk_app_fill(app, r, COLOR_ACCENT);
        in = (SDL_Rect){r.x + border, r.y + border, r.w - 2 * border, r.h - 2 * border};
        kiosk_app_fill(app, in, pressed ? COLOR_PRESSED : COLOR_BUTTON);
    }
    /* labels were laid out centred in the button less pad on each side */
    kiosk_app_text(app, label, (float)(r.x + pad), (float)r.y + ((float)r.h - label->height) / 2.0f,
                   fg);
}
