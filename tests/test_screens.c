/*
 * test_screens.c: the visitor's screens as a person meets them: scripted
 * journeys through every screen in English, Arabic, Tigrinya and Burmese,
 * portrait 1080x1920 and landscape 800x480, against golden screenshots;
 * RTL mirroring by widget positions and ink; every touch target at least
 * 9 mm at the configured density; larger text reflowing without cutting
 * anything at the largest step on the smallest display; the high-contrast
 * theme's WCAG contrast ratios; scrolling by drag and fling; finger
 * events; and the booth's answer when the printer cannot print.
 *
 * Golden images are the screenshots halved (2x2 box filter) to keep the
 * tree small; WAYMARK_GOLDEN_UPDATE=1 rewrites them. A mismatch writes
 * NAME.actual.png and NAME.diff.png under <build>/golden-out/screens.
 */
#include "kiosk_private.h"
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SAMPLE WAYMARK_SOURCE_DIR "/content/sample"
/* Tuesday 2026-12-01, 10:30 in Paris: the clinic is open until 12:30. */
#define TEST_WALL 1796117400

static const char *const langs[] = {"en", "ar", "ti", "my"};
static const int sizes[][2] = {{1080, 1920}, {800, 480}};

static kiosk_options_t opts(int w, int h)
{
    kiosk_options_t o;

    kiosk_options_default(&o);
    o.headless = true;
    o.width = w;
    o.height = h;
    o.log_level = WM_LOG_ERROR;
    strcpy(o.content_dir, SAMPLE);
    return o;
}

static kiosk_app_t *app_new(const kiosk_options_t *o)
{
    kiosk_app_t *app = NULL;

    ck_assert_msg(kiosk_app_create(o, &app) == WM_OK, "app: %s", wm_last_error());
    kiosk_app_set_wall_clock(app, TEST_WALL);
    return app;
}

static wm_status_t run(kiosk_app_t *app, const char *text)
{
    kiosk_script_t *s = NULL;
    wm_status_t st = WM_OK;

    ck_assert_msg(kiosk_script_parse(text, "t.script", &s) == WM_OK, "%s", wm_last_error());
    for (size_t i = 0; i < s->count && st == WM_OK; i++)
        st = kiosk_app_exec(app, s, &s->cmds[i]);
    kiosk_script_destroy(s);
    return st;
}

static void go(kiosk_app_t *app, const char *text)
{
    ck_assert_msg(run(app, text) == WM_OK, "'%s': %s", text, wm_last_error());
}

static kiosk_screen_t *top(kiosk_app_t *app)
{
    return kiosk_screen_stack_top(kiosk_app_stack(app));
}

static const kiosk_widget_t *widget(kiosk_app_t *app, const char *id)
{
    const kiosk_widget_t *w = kiosk_screen_find(top(app), id);

    ck_assert_msg(w, "no widget #%s on %s", id, kiosk_app_screen_name(app));
    return w;
}

/* Drags the page up (slowly: no fling) until #id is wholly in sight. */
static void reveal(kiosk_app_t *app, const char *id)
{
    const int w = app->opts.width, h = app->opts.height;
    char cmd[96];

    for (int i = 0; i < 20; i++) {
        const kiosk_screen_t *s = top(app);
        const kiosk_ui_page_t *pg = s->state;
        const kiosk_widget_t *wd = widget(app, id);
        size_t k = (size_t)(wd - s->widgets);

        if (k < pg->scroll.first || k >= pg->scroll.first + pg->scroll.count ||
            wd->rect.h == pg->scroll.base[k - pg->scroll.first].h)
            return;
        snprintf(cmd, sizeof(cmd), "drag %d %d %d %d 3000\n", w / 2, h - h / 8, w / 2, h / 2);
        go(app, cmd);
    }
    ck_abort_msg("#%s stays out of sight", id);
}

static int centre_x(kiosk_app_t *app, const char *id)
{
    const kiosk_widget_t *w = widget(app, id);

    return w->rect.x + w->rect.w / 2;
}

/* Every target of the top screen at least 9 mm a side at the density, as
 * laid out (a button scrolled half out of sight is still a whole one). */
static void expect_targets(kiosk_app_t *app, int dpi)
{
    const kiosk_screen_t *s = top(app);
    const kiosk_ui_page_t *pg = s->state;
    int min = (int)ceil(9.0 / 25.4 * dpi);

    for (size_t i = 0; i < s->widget_count; i++) {
        SDL_Rect r = s->widgets[i].rect;

        if (i >= pg->scroll.first && i < pg->scroll.first + pg->scroll.count)
            r = pg->scroll.base[i - pg->scroll.first];
        ck_assert_msg(r.w >= min && r.h >= min, "%s: #%s is %dx%d px, less than 9 mm (%d px)",
                      kiosk_app_screen_name(app), s->widgets[i].id, r.w, r.h, min);
    }
}

/* Every page shows the bar. */
static void expect_bar(kiosk_app_t *app)
{
    static const char *const ids[] = {"home", "back", "language", "text-size", "contrast"};

    for (size_t i = 0; i < 5; i++)
        widget(app, ids[i]);
}

/* Nothing truncated, nothing wider than its box, on the top screen. */
static void expect_nothing_cut(kiosk_app_t *app)
{
    const kiosk_screen_t *s = top(app);
    const kiosk_ui_page_t *pg = s->state;

    for (size_t i = 0; i < s->text_count; i++)
        ck_assert_msg(!s->texts[i].truncated, "%s: text %zu cut off", kiosk_app_screen_name(app),
                      i);
    for (size_t i = 0; i < pg->item_count; i++) {
        const kiosk_ui_item_t *it = &pg->items[i];

        if (it->text < 0)
            continue;
        ck_assert_msg(s->texts[it->text].width <= (float)it->box.w + 1.0f,
                      "%s: text %d (%.0f px) wider than its box (%d px)",
                      kiosk_app_screen_name(app), it->text, s->texts[it->text].width, it->box.w);
        ck_assert_msg(it->box.x >= 0 && it->box.x + it->box.w <= app->opts.width,
                      "%s: item %zu leaves the screen", kiosk_app_screen_name(app), i);
    }
    /* the bar's labels inside their buttons */
    for (size_t i = 0; i < KIOSK_UI_BAR_TEXTS; i++)
        ck_assert_msg(s->texts[i].width <= (float)s->widgets[0].rect.w,
                      "%s: bar label %zu wider than its button", kiosk_app_screen_name(app), i);
}

/* ---- golden screenshots ------------------------------------------------- */

static void out_dir(char *out, size_t size)
{
    char *slash;

    snprintf(out, size, "%s", WAYMARK_BINARY);
    for (int i = 0; i < 2 && (slash = strrchr(out, '/')); i++)
        *slash = '\0';
    snprintf(out + strlen(out), size - strlen(out), "/golden-out");
    mkdir(out, 0755);
    snprintf(out + strlen(out), size - strlen(out), "/screens");
    mkdir(out, 0755);
}

/* The shot halved with a 2x2 box filter. */
static render_canvas_t *halve(const render_canvas_t *c)
{
    render_canvas_t *h = NULL;

    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_RGBA8, c->width / 2, c->height / 2, &h),
                     WM_OK);
    for (int y = 0; y < h->height; y++) {
        for (int x = 0; x < h->width; x++) {
            for (int k = 0; k < 4; k++) {
                const uint8_t *p = c->pixels + (size_t)(2 * y) * (size_t)c->stride + 8 * x + k;
                int sum = p[0] + p[4] + p[c->stride] + p[c->stride + 4];

                h->pixels[(size_t)y * (size_t)h->stride + 4 * x + k] = (uint8_t)((sum + 2) / 4);
            }
        }
    }
    return h;
}

static void golden(const char *shots, const char *name)
{
    char path[1400], exp_path[1400], dir[1200];
    render_canvas_t *full = NULL, *actual, *expected = NULL, *diff = NULL;
    long bad = 0;

    snprintf(path, sizeof(path), "%s/%s.png", shots, name);
    ck_assert_msg(render_png_read(path, &full) == WM_OK, "%s", wm_last_error());
    actual = halve(full);
    render_canvas_destroy(full);
    snprintf(exp_path, sizeof(exp_path), "%s/golden/screens/%s.png", WAYMARK_TEST_DIR, name);
    if (getenv("WAYMARK_GOLDEN_UPDATE")) {
        ck_assert_int_eq(render_png_write(exp_path, actual), WM_OK);
        render_canvas_destroy(actual);
        return;
    }
    ck_assert_msg(render_png_read(exp_path, &expected) == WM_OK,
                  "%s: no golden image (make it with WAYMARK_GOLDEN_UPDATE=1)", name);
    ck_assert_int_eq(
        render_canvas_create(RENDER_FORMAT_RGBA8, actual->width, actual->height, &diff), WM_OK);
    render_canvas_clear(diff, RENDER_RGBA(255, 255, 255, 255));
    for (int y = 0; y < actual->height; y++) {
        for (int x = 0; x < actual->width; x++) {
            render_color_t a = render_canvas_get(actual, x, y);
            render_color_t e = render_canvas_get(expected, x, y);
            int d = abs(a.r - e.r) + abs(a.g - e.g) + abs(a.b - e.b);

            if (d > 24) {
                bad++;
                render_canvas_fill_rect(diff, x, y, 1, 1, RENDER_RGBA(230, 0, 0, 255));
            } else if (e.r + e.g + e.b < 384) {
                render_canvas_fill_rect(diff, x, y, 1, 1, RENDER_RGBA(190, 190, 190, 255));
            }
        }
    }
    if (bad > 0 || actual->width != expected->width || actual->height != expected->height) {
        out_dir(dir, sizeof(dir));
        snprintf(path, sizeof(path), "%s/%s.actual.png", dir, name);
        ck_assert_int_eq(render_png_write(path, actual), WM_OK);
        snprintf(path, sizeof(path), "%s/%s.diff.png", dir, name);
        ck_assert_int_eq(render_png_write(path, diff), WM_OK);
        ck_abort_msg("%s: %ld pixels differ from the golden image; see %s/%s.actual.png and "
                     ".diff.png",
                     name, bad, dir, name);
    }
    render_canvas_destroy(actual);
    render_canvas_destroy(expected);
    render_canvas_destroy(diff);
}

/* ---- journeys ----------------------------------------------------------- */

/* One screen of a journey: its name, the bar, 9 mm targets, its shot. */
static void step(kiosk_app_t *app, const char *shots, const char *tag, const char *screen,
                 const char *name)
{
    char cmd[128], shot[96];

    ck_assert_str_eq(kiosk_app_screen_name(app), screen);
    if (strcmp(screen, KIOSK_SCREEN_WELCOME) != 0)
        expect_bar(app);
    expect_targets(app, app->opts.screen_dpi);
    snprintf(shot, sizeof(shot), "%s-%dx%d-%s", tag, app->opts.width, app->opts.height, name);
    snprintf(cmd, sizeof(cmd), "shot %s\n", shot);
    go(app, cmd);
    golden(shots, shot);
}

START_TEST(journey_through_every_screen)
{
    const char *tag = langs[_i % 4];
    const int w = sizes[_i / 4][0], h = sizes[_i / 4][1];
    kiosk_options_t o = opts(w, h);
    kiosk_app_t *app;
    char cmd[128];
    bool rtl = strcmp(tag, "ar") == 0;

    snprintf(o.screenshot_dir, sizeof(o.screenshot_dir), "%s", tu_tmpdir());
    app = app_new(&o);
    step(app, o.screenshot_dir, tag, KIOSK_SCREEN_WELCOME, "1-welcome");
    go(app, "tap 5 5\n"); /* anywhere but a language: the picker */
    step(app, o.screenshot_dir, tag, KIOSK_SCREEN_LANGUAGES, "2-languages");
    snprintf(cmd, sizeof(cmd), "tap #lang-%s\n", tag);
    go(app, cmd);
    step(app, o.screenshot_dir, tag, KIOSK_SCREEN_HOME, "3-home");
    /* mirrored: back at the reading start, categories from the right */
    ck_assert(rtl == (centre_x(app, "back") > w / 2));
    ck_assert(rtl == (centre_x(app, "contrast") < w / 2));
    ck_assert(rtl == (centre_x(app, "cat-health") > centre_x(app, "cat-shelter")));
    go(app, "tap #cat-health\n");
    step(app, o.screenshot_dir, tag, KIOSK_SCREEN_SERVICES, "4-services");
    go(app, "tap #svc-clinic\n");
    step(app, o.screenshot_dir, tag, KIOSK_SCREEN_SERVICE, "5-service");
    go(app, "tap #print\n");
    step(app, o.screenshot_dir, tag, KIOSK_SCREEN_PRINT, "6-print");
    go(app, "tap #home\n");
    reveal(app, "rights");
    go(app, "tap #rights\n");
    step(app, o.screenshot_dir, tag, KIOSK_SCREEN_RIGHTS, "7-rights");
    go(app, "tap #page-article-1\n");
    step(app, o.screenshot_dir, tag, KIOSK_SCREEN_ARTICLE, "8-article");
    go(app, "tap #home\n");
    reveal(app, "help");
    go(app, "tap #help\n");
    step(app, o.screenshot_dir, tag, KIOSK_SCREEN_HELP, "9-help");
    go(app, "tap #back\ntap #back\n");
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    kiosk_app_destroy(app);
}
END_TEST

/* Text ink of a row band: the leftmost and rightmost dark pixel. */
static void ink_span(const render_canvas_t *c, int y0, int y1, int *left, int *right)
{
    *left = c->width;
    *right = -1;
    for (int y = y0; y < y1; y++) {
        for (int x = 0; x < c->width; x++) {
            render_color_t p = render_canvas_get(c, x, y);

            if (p.r + p.g + p.b < 200) {
                if (x < *left)
                    *left = x;
                if (x > *right)
                    *right = x;
            }
        }
    }
}

START_TEST(rtl_text_starts_at_the_right)
{
    for (int k = 0; k < 2; k++) {
        kiosk_options_t o = opts(1080, 1920);
        kiosk_app_t *app;
        render_canvas_t *c = NULL;
        char path[1200];
        const kiosk_ui_page_t *pg;
        int left, right, y0, y1;

        snprintf(o.screenshot_dir, sizeof(o.screenshot_dir), "%s", tu_tmpdir());
        app = app_new(&o);
        go(app, k ? "tap #lang-ar\ntap #rights\ntap #page-article-1\nshot a\n"
                  : "tap #lang-en\ntap #rights\ntap #page-article-1\nshot a\n");
        /* the article's title band */
        pg = top(app)->state;
        y0 = pg->items[0].box.y;
        y1 = y0 + pg->items[0].box.h;
        snprintf(path, sizeof(path), "%s/a.png", o.screenshot_dir);
        ck_assert_int_eq(render_png_read(path, &c), WM_OK);
        ink_span(c, y0, y1, &left, &right);
        ck_assert_int_ge(right, 0);
        if (k) /* Arabic: flush right, ragged left */
            ck_assert_msg(right >= 1080 - pg->ui.margin - 8 && left > pg->ui.margin + 8,
                          "ar title ink %d..%d", left, right);
        else
            ck_assert_msg(left <= pg->ui.margin + 8 && right < 1080 - pg->ui.margin - 8,
                          "en title ink %d..%d", left, right);
        render_canvas_destroy(c);
        kiosk_app_destroy(app);
    }
}
END_TEST

/* Larger text at its largest step on the smallest display: every screen
 * reflows, nothing cut off, every target still 9 mm. */
START_TEST(largest_text_on_the_smallest_display)
{
    const char *tag = langs[_i];
    kiosk_options_t o = opts(800, 480);
    kiosk_app_t *app = app_new(&o);
    char cmd[160];
    static const char *const path[] = {
        "",        "#cat-health",     "#svc-clinic", "#print", "#home",
        "#rights", "#page-article-1", "#home",       "#help",  "#language",
    };
    float before;

    snprintf(cmd, sizeof(cmd), "tap #lang-%s\n", tag);
    go(app, cmd);
    before = top(app)->texts[KIOSK_UI_BAR_TEXTS].height;
    go(app, "tap #text-size\ntap #text-size\n");
    ck_assert_int_eq(app->text_step, KIOSK_TEXT_STEPS - 1);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_HOME);
    /* it did grow: the heading is taller */
    ck_assert_float_gt(top(app)->texts[KIOSK_UI_BAR_TEXTS].height, before * 1.2f);
    for (size_t i = 0; i < sizeof(path) / sizeof(path[0]); i++) {
        if (*path[i]) {
            snprintf(cmd, sizeof(cmd), "tap %s\n", path[i]);
            reveal(app, path[i] + 1);
            go(app, cmd);
        }
        expect_nothing_cut(app);
        expect_targets(app, o.screen_dpi);
    }
    kiosk_app_destroy(app);
}
END_TEST

/* ---- contrast ----------------------------------------------------------- */

static double lum(render_color_t c)
{
    double v[3] = {c.r / 255.0, c.g / 255.0, c.b / 255.0};

    for (int i = 0; i < 3; i++)
        v[i] = v[i] <= 0.04045 ? v[i] / 12.92 : pow((v[i] + 0.055) / 1.055, 2.4);
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
}

static double ratio(render_color_t a, render_color_t b)
{
    double la = lum(a), lb = lum(b);

    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

START_TEST(themes_meet_wcag_contrast)
{
    const kiosk_theme_t *themes[] = {&kiosk_theme, &kiosk_theme_contrast};

    ck_assert_double_eq_tol(ratio(RENDER_RGBA(0, 0, 0, 255), RENDER_RGBA(255, 255, 255, 255)), 21,
                            0.01);
    for (int k = 0; k < 2; k++) {
        const kiosk_theme_t *t = themes[k];
        /* text on what it is drawn on */
        const render_color_t pairs[][2] = {
            {t->text, t->background}, {t->muted, t->background}, {t->accent, t->background},
            {t->text, t->button},     {t->text, t->pressed},     {t->on_accent, t->accent},
            {t->on_badge, t->badge},  {t->on_open, t->open},     {t->on_bar, t->bar},
            {t->bar, t->on_bar},      {t->on_accent, t->text},
        };
        /* AA for normal text is 4.5; the high-contrast theme reaches AAA */
        double need = k ? 7.0 : 4.5;

        for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
            ck_assert_msg(ratio(pairs[i][0], pairs[i][1]) >= need,
                          "theme %d pair %zu: contrast %.2f < %.1f", k, i,
                          ratio(pairs[i][0], pairs[i][1]), need);
    }
}
END_TEST

START_TEST(contrast_button_switches_theme)
{
    kiosk_options_t o = opts(800, 480);
    kiosk_app_t *app;
    render_canvas_t *c = NULL;
    char path[1200];
    render_color_t p;

    snprintf(o.screenshot_dir, sizeof(o.screenshot_dir), "%s", tu_tmpdir());
    app = app_new(&o);
    go(app, "tap #lang-ti\ntap #contrast\nshot hc\n");
    ck_assert(app->high_contrast);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_HOME);
    snprintf(path, sizeof(path), "%s/hc.png", o.screenshot_dir);
    ck_assert_int_eq(render_png_read(path, &c), WM_OK);
    p = render_canvas_get(c, 2, 470); /* the page's background: black */
    ck_assert_int_eq(p.r + p.g + p.b, 0);
    render_canvas_destroy(c);
    go(app, "tap #contrast\n");
    ck_assert(!app->high_contrast);
    kiosk_app_destroy(app);
}
END_TEST

/* ---- touch -------------------------------------------------------------- */

static int scroll_of(kiosk_app_t *app)
{
    return ((const kiosk_ui_page_t *)top(app)->state)->scroll.scroll;
}

START_TEST(drag_scrolls_and_flings)
{
    kiosk_options_t o = opts(1080, 1920);
    kiosk_app_t *app = app_new(&o);
    int after_drag;

    go(app, "tap #lang-en\ntap #rights\n");
    /* a slow drag moves the list by the finger's way, opens nothing */
    go(app, "drag 540 1500 540 1100 4000\n");
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_RIGHTS);
    ck_assert_int_ge(scroll_of(app), 390);
    ck_assert_int_le(scroll_of(app), 400);
    go(app, "wait 2000\n");
    ck_assert_int_le(scroll_of(app), 400); /* no fling */
    /* a quick flick goes on after the finger lifts */
    go(app, "drag 540 1500 540 1100 200\n");
    after_drag = scroll_of(app);
    go(app, "wait 2000\n");
    ck_assert_int_gt(scroll_of(app), after_drag + 200);
    /* dragging back down to the top stops at the top */
    go(app, "drag 540 400 540 1800 4000\ndrag 540 400 540 1800 4000\n"
            "drag 540 400 540 1800 4000\ndrag 540 400 540 1800 4000\nwait 3000\n");
    ck_assert_int_eq(scroll_of(app), 0);
    kiosk_app_destroy(app);
}
END_TEST

static void push_finger(kiosk_app_t *app, Uint32 type, int x, int y)
{
    SDL_Event ev;

    memset(&ev, 0, sizeof(ev));
    ev.type = type;
    ev.tfinger.touchId = 1;
    ev.tfinger.fingerId = 7;
    ev.tfinger.x = ((float)x + 0.5f) / (float)app->view.win_w;
    ev.tfinger.y = ((float)y + 0.5f) / (float)app->view.win_h;
    SDL_PushEvent(&ev);
}

static void push_touch_mouse(Uint32 type, int x, int y)
{
    SDL_Event ev;

    memset(&ev, 0, sizeof(ev));
    ev.type = type;
    ev.button.which = SDL_TOUCH_MOUSEID;
    ev.button.button = SDL_BUTTON_LEFT;
    ev.button.x = x;
    ev.button.y = y;
    SDL_PushEvent(&ev);
}

START_TEST(finger_taps_once)
{
    kiosk_options_t o = opts(800, 480);
    kiosk_app_t *app = app_new(&o);
    const kiosk_widget_t *w = widget(app, "lang-my");
    int x = w->rect.x + w->rect.w / 2, y = w->rect.y + w->rect.h / 2;

    /* a finger, and the mouse events SDL makes of it: one tap */
    push_finger(app, SDL_FINGERDOWN, x, y);
    push_touch_mouse(SDL_MOUSEBUTTONDOWN, x, y);
    push_finger(app, SDL_FINGERUP, x, y);
    push_touch_mouse(SDL_MOUSEBUTTONUP, x, y);
    go(app, "wait 10\n");
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_HOME);
    ck_assert_uint_eq(kiosk_app_stack(app)->depth, 2);
    ck_assert_str_eq(kiosk_app_lang_tag(app), "my");
    /* a second finger while one is down is not a tap */
    w = widget(app, "back");
    x = w->rect.x + w->rect.w / 2;
    y = w->rect.y + w->rect.h / 2;
    push_finger(app, SDL_FINGERDOWN, 5, 470);
    {
        SDL_Event ev;

        memset(&ev, 0, sizeof(ev));
        ev.type = SDL_FINGERDOWN;
        ev.tfinger.fingerId = 8;
        ev.tfinger.x = (float)x / (float)app->view.win_w;
        ev.tfinger.y = (float)y / (float)app->view.win_h;
        SDL_PushEvent(&ev);
        ev.type = SDL_FINGERUP;
        SDL_PushEvent(&ev);
    }
    push_finger(app, SDL_FINGERUP, 5, 470);
    go(app, "wait 10\n");
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_HOME);
    kiosk_app_destroy(app);
}
END_TEST

/* ---- printing ----------------------------------------------------------- */

START_TEST(printer_out_of_paper_shows_the_qr_large)
{
    kiosk_options_t o = opts(1080, 1920);
    kiosk_app_t *app;
    char cmd[1400], *out;
    int status;
    const kiosk_ui_page_t *pg;

    snprintf(o.screenshot_dir, sizeof(o.screenshot_dir), "%s", tu_tmpdir());
    strcpy(o.printer, "sim:?state=paper_out");
    app = app_new(&o);
    go(app, "tap #lang-ar\ntap #cat-health\ntap #svc-clinic\ntap #print\nshot p\n");
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_PRINT);
    ck_assert_int_eq(app->print_outcome, KIOSK_PRINT_FAILED);
    pg = top(app)->state;
    /* the message, in Arabic, then the code, at least half the width */
    ck_assert_int_ge(pg->item_count, 2);
    ck_assert(top(app)->texts[pg->items[0].text].rtl);
    ck_assert_int_eq(pg->items[1].kind, KIOSK_UI_IMAGE);
    ck_assert_int_ge(pg->items[1].box.w, 540);
    kiosk_app_destroy(app);
    /* and a phone reads it */
    snprintf(cmd, sizeof(cmd), "zbarimg -q --raw %s/p.png 2>/dev/null", o.screenshot_dir);
    out = tu_run(cmd, &status);
    ck_assert_int_eq(status, 0);
    ck_assert_str_eq(out, "geo:45.7421,4.8512?q=Centre%20Porte%20Sud%2C%20b%C3%A2timent%20A\n");
    free(out);
}
END_TEST

START_TEST(printed_slip_says_so_without_qr)
{
    kiosk_options_t o = opts(800, 480);
    kiosk_app_t *app = app_new(&o);
    const kiosk_ui_page_t *pg;

    go(app, "tap #lang-en\ntap #cat-health\ntap #svc-clinic\ntap #print\n");
    ck_assert_int_eq(app->print_outcome, KIOSK_PRINT_PRINTED);
    pg = top(app)->state;
    for (size_t i = 0; i < pg->item_count; i++)
        ck_assert_int_ne(pg->items[i].kind, KIOSK_UI_IMAGE);
    kiosk_app_destroy(app);
}
END_TEST

START_TEST(screen_dpi_config_key)
{
    kiosk_options_t o;

    kiosk_options_default(&o);
    ck_assert_int_eq(o.screen_dpi, KIOSK_DEFAULT_DPI);
    ck_assert_int_eq(kiosk_config_parse("screen_dpi = 133\n", "c", &o), WM_OK);
    ck_assert_int_eq(o.screen_dpi, 133);
    ck_assert_int_eq(kiosk_config_parse("screen_dpi = 9000\n", "c", &o), WM_EFORMAT);
    ck_assert_int_eq(o.screen_dpi, 133);
}
END_TEST

/* A denser screen makes bigger targets (in px). */
START_TEST(targets_follow_the_density)
{
    kiosk_options_t o = opts(800, 480);
    kiosk_app_t *app;

    o.screen_dpi = 300; /* 9 mm = 107 px */
    app = app_new(&o);
    expect_targets(app, 300);
    go(app, "tap #lang-fa\n");
    expect_targets(app, 300);
    go(app, "tap #rights\n");
    expect_targets(app, 300);
    kiosk_app_destroy(app);
}
END_TEST

static Suite *screens_suite(void)
{
    Suite *s = suite_create("screens");
    TCase *tc = tcase_create("screens");

    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, journey_through_every_screen, 0, 8);
    tcase_add_test(tc, rtl_text_starts_at_the_right);
    tcase_add_loop_test(tc, largest_text_on_the_smallest_display, 0, 4);
    tcase_add_test(tc, themes_meet_wcag_contrast);
    tcase_add_test(tc, contrast_button_switches_theme);
    tcase_add_test(tc, drag_scrolls_and_flings);
    tcase_add_test(tc, finger_taps_once);
    tcase_add_test(tc, printer_out_of_paper_shows_the_qr_large);
    tcase_add_test(tc, printed_slip_says_so_without_qr);
    tcase_add_test(tc, screen_dpi_config_key);
    tcase_add_test(tc, targets_follow_the_density);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(screens_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
