/*
 * test_speed.c: what keeps the booth fast on a Pi, checked by what it
 * draws and counts rather than by timings: a partial redraw (a pressed
 * button, the welcome's next greeting) leaves exactly the pixels of a
 * whole frame; a warm frame allocates nothing, so it draws the same with
 * every allocation failing; text is laid out when a screen is entered,
 * never by a frame; and a booth nobody touches draws no frames
 * but the welcome's greetings, one every few seconds.
 */
#include "kiosk_private.h"
#include "testutil.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#define SAMPLE WAYMARK_SOURCE_DIR "/content/sample"
/* Tuesday 2026-12-01, 10:30 in Paris (as test_screens). */
#define TEST_WALL 1796117400

/* The visitor's screens, each reached by its script from the welcome. */
static const struct {
    const char *name, *script;
} journeys[] = {
    {KIOSK_SCREEN_WELCOME, ""},
    {KIOSK_SCREEN_LANGUAGES, "tap 5 5\n"},
    {KIOSK_SCREEN_HOME, "tap #lang-ar\n"},
    {KIOSK_SCREEN_SERVICES, "tap #lang-en\ntap #cat-health\n"},
    {KIOSK_SCREEN_SERVICE, "tap #lang-my\ntap #cat-health\ntap #svc-clinic\n"},
    {KIOSK_SCREEN_PRINT, "tap #lang-en\ntap #cat-health\ntap #svc-clinic\ntap #print\n"},
    {KIOSK_SCREEN_RIGHTS, "tap #lang-ti\ntap #rights\n"},
    {KIOSK_SCREEN_ARTICLE, "tap #lang-en\ntap #rights\ntap #page-article-1\n"},
    {KIOSK_SCREEN_HELP, "tap #lang-ar\ntap #help\n"},
};
#define JOURNEYS (sizeof(journeys) / sizeof(journeys[0]))

static kiosk_app_t *app_new(int w, int h)
{
    kiosk_options_t o;
    kiosk_app_t *app = NULL;

    kiosk_options_default(&o);
    o.headless = true;
    o.width = w;
    o.height = h;
    o.log_level = WM_LOG_ERROR;
    strcpy(o.content_dir, SAMPLE);
    ck_assert_msg(kiosk_app_create(&o, &app) == WM_OK, "app: %s", wm_last_error());
    kiosk_app_set_wall_clock(app, TEST_WALL);
    app->virtual_clock = true;
    return app;
}

static void go(kiosk_app_t *app, const char *text)
{
    kiosk_script_t *s = NULL;
    wm_status_t st = WM_OK;

    if (!*text)
        return;
    ck_assert_msg(kiosk_script_parse(text, "t.script", &s) == WM_OK, "%s", wm_last_error());
    for (size_t i = 0; i < s->count && st == WM_OK; i++)
        st = kiosk_app_exec(app, s, &s->cmds[i]);
    kiosk_script_destroy(s);
    ck_assert_msg(st == WM_OK, "'%s': %s", text, wm_last_error());
}

static void journey(kiosk_app_t *app, size_t j)
{
    go(app, journeys[j].script);
    ck_assert_str_eq(kiosk_app_screen_name(app), journeys[j].name);
}

/* The UI target's pixels (what the next present shows), into buf. */
static void pixels(kiosk_app_t *app, uint8_t *buf)
{
    SDL_SetRenderTarget(app->renderer, app->ui);
    ck_assert_int_eq(
        SDL_RenderReadPixels(app->renderer, NULL, SDL_PIXELFORMAT_RGBA32, buf, app->opts.width * 4),
        0);
    SDL_SetRenderTarget(app->renderer, NULL);
}

/* The first differing pixel, or -1. */
static long differs(const uint8_t *a, const uint8_t *b, size_t bytes)
{
    for (size_t i = 0; i < bytes; i++) {
        if (a[i] != b[i])
            return (long)(i / 4);
    }
    return -1;
}

static bool visible(const kiosk_widget_t *w)
{
    return w->rect.w > 0 && w->rect.h > 0;
}

/* Draws what is pending (a partial frame when only damage is), then the
 * same state as a whole frame: the two must be the same pixels. */
static void expect_partial_whole(kiosk_app_t *app, uint8_t *part, uint8_t *whole, const char *what)
{
    const size_t bytes = (size_t)app->opts.width * (size_t)app->opts.height * 4;
    uint64_t p0 = app->partial_frames;
    long at;

    ck_assert_msg(kiosk_app_frame_due(app), "%s: nothing to draw", what);
    kiosk_app_frame(app);
    ck_assert_msg(app->partial_frames == p0 + 1, "%s: not a partial frame", what);
    pixels(app, part);
    app->dirty = true;
    kiosk_app_frame(app);
    pixels(app, whole);
    at = differs(part, whole, bytes);
    ck_assert_msg(at < 0, "%s: the partial frame differs at (%ld, %ld)", what, at % app->opts.width,
                  at / app->opts.width);
}

/* Every button of every visitor screen pressed and let go, each a partial
 * frame, in both orientations: the same pixels as drawing it whole. */
START_TEST(partial_redraw_equals_whole)
{
    static const int sizes[][2] = {{1080, 1920}, {800, 480}};
    const int w = sizes[_i][0], h = sizes[_i][1];
    uint8_t *part = malloc((size_t)w * (size_t)h * 4), *whole = malloc((size_t)w * (size_t)h * 4);

    ck_assert(part && whole);
    for (size_t j = 0; j < JOURNEYS; j++) {
        kiosk_app_t *app = app_new(w, h);
        kiosk_screen_t *top;
        size_t tested = 0;

        journey(app, j);
        kiosk_app_frame(app);
        top = kiosk_screen_stack_top(&app->stack);
        for (size_t i = 0; i < top->widget_count; i++) {
            char what[128];

            if (!visible(&top->widgets[i]))
                continue;
            snprintf(what, sizeof(what), "%s %dx%d: #%s pressed", journeys[j].name, w, h,
                     top->widgets[i].id);
            kiosk_app_set_pressed(app, (int)i);
            expect_partial_whole(app, part, whole, what);
            /* sliding from one button to the next: both change */
            if (i + 1 < top->widget_count && visible(&top->widgets[i + 1])) {
                snprintf(what, sizeof(what), "%s %dx%d: #%s to #%s", journeys[j].name, w, h,
                         top->widgets[i].id, top->widgets[i + 1].id);
                kiosk_app_set_pressed(app, (int)i + 1);
                expect_partial_whole(app, part, whole, what);
            }
            snprintf(what, sizeof(what), "%s %dx%d: #%s let go", journeys[j].name, w, h,
                     top->widgets[i].id);
            kiosk_app_set_pressed(app, -1);
            expect_partial_whole(app, part, whole, what);
            tested++;
        }
        ck_assert_msg(tested > 0, "%s: no button in sight", journeys[j].name);
        kiosk_app_destroy(app);
    }
    free(part);
    free(whole);
}
END_TEST

/* The welcome's greeting changes on its timer as a partial frame, every
 * language in turn, each the same pixels as a whole frame. */
START_TEST(greeting_redraw_equals_whole)
{
    static const int sizes[][2] = {{1080, 1920}, {800, 480}};
    const int w = sizes[_i][0], h = sizes[_i][1];
    uint8_t *part = malloc((size_t)w * (size_t)h * 4), *whole = malloc((size_t)w * (size_t)h * 4);
    kiosk_app_t *app = app_new(w, h);
    size_t n = content_language_count(app->content);

    ck_assert(part && whole);
    kiosk_app_frame(app);
    for (size_t k = 0; k < n + 1; k++) {
        char what[64];
        uint64_t p0 = app->partial_frames;

        snprintf(what, sizeof(what), "%dx%d: greeting %zu", w, h, k + 1);
        ck_assert_msg(app->screen_timer > app->now_ms, "%s: no timer", what);
        /* the frame is drawn by the loop when the timer fires */
        kiosk_app_advance(app, app->screen_timer - app->now_ms);
        ck_assert_msg(app->partial_frames == p0 + 1, "%s: not a partial frame", what);
        pixels(app, part);
        app->dirty = true;
        kiosk_app_frame(app);
        pixels(app, whole);
        ck_assert_msg(differs(part, whole, (size_t)w * (size_t)h * 4) < 0,
                      "%s: the partial frame differs", what);
    }
    kiosk_app_destroy(app);
    free(part);
    free(whole);
}
END_TEST

/* One round of what warm frames do: a whole frame, a press and its
 * release, and a scroll down and back where the screen scrolls. */
static void warm_round(kiosk_app_t *app)
{
    kiosk_screen_t *top = kiosk_screen_stack_top(&app->stack);
    int button = -1;

    for (size_t i = top->widget_count; i-- > 0 && button < 0;) {
        if (visible(&top->widgets[i]))
            button = (int)i;
    }
    app->dirty = true;
    kiosk_app_frame(app);
    kiosk_app_set_pressed(app, button);
    kiosk_app_frame(app);
    kiosk_app_set_pressed(app, -1);
    kiosk_app_frame(app);
    for (int d = 0; d < 2 && top->cls->scroll; d++) {
        for (int k = 0; k < 6; k++) {
            if (top->cls->scroll(top, app, d ? -400 : 400)) {
                app->dirty = true;
                kiosk_app_frame(app);
            }
        }
    }
}

/* Once warm, every allocation failing changes nothing: frames draw the
 * same pixels and ask for no memory. */
START_TEST(warm_frames_allocate_nothing)
{
    const int w = 1080, h = 1920;
    const size_t bytes = (size_t)w * (size_t)h * 4;
    uint8_t *ok = malloc(bytes), *failing = malloc(bytes);

    if (!wm_fault_injection_available()) {
        free(ok);
        free(failing);
        return; /* a build without fault injection cannot tell */
    }
    ck_assert(ok && failing);
    for (size_t j = 0; j < JOURNEYS; j++) {
        kiosk_app_t *app = app_new(w, h);
        uint64_t f0;

        journey(app, j);
        warm_round(app);
        warm_round(app);
        pixels(app, ok);
        f0 = kiosk_app_frames(app);
        wm_fault_alloc_after(0);
        warm_round(app);
        ck_assert_msg(!wm_fault_fired(), "%s: a warm frame asked for memory", journeys[j].name);
        wm_fault_reset();
        ck_assert_uint_gt(kiosk_app_frames(app), f0);
        pixels(app, failing);
        ck_assert_msg(differs(ok, failing, bytes) < 0,
                      "%s: frames with allocations failing draw differently", journeys[j].name);
        kiosk_app_destroy(app);
    }
    free(ok);
    free(failing);
}
END_TEST

static uint64_t shaped(kiosk_app_t *app)
{
    i18n_word_cache_stats_t st;

    i18n_layout_word_cache_stats(app->layout, &st);
    return st.hits + st.misses + st.words_alone + st.runs_whole;
}

/* Text is laid out once, when a screen is entered: frames of every kind
 * (whole, pressed feedback, scrolled), and going back to a screen, shape
 * nothing again. */
START_TEST(frames_lay_out_nothing)
{
    for (size_t j = 0; j < JOURNEYS; j++) {
        kiosk_app_t *app = app_new(1080, 1920);
        uint64_t before;
        size_t depth;

        journey(app, j);
        warm_round(app);
        before = shaped(app);
        ck_assert_uint_gt(before, 0);
        warm_round(app);
        ck_assert_msg(shaped(app) == before, "%s: a frame laid text out again", journeys[j].name);
        depth = app->stack.depth;
        if (depth > 1 && app->stack.items[depth - 2].cls != &kiosk_screen_welcome) {
            kiosk_app_back(app);
            before = shaped(app);
            warm_round(app);
            ck_assert_msg(shaped(app) == before, "%s: back, the screen below laid out again",
                          journeys[j].name);
        }
        kiosk_app_destroy(app);
    }
}
END_TEST

/* Nobody there: the welcome draws one greeting every few seconds and
 * nothing else; another screen, untouched, draws nothing until the idle
 * timer asks "still there?". */
START_TEST(idle_booth_draws_no_frames)
{
    kiosk_app_t *app = app_new(1080, 1920);
    uint64_t f0, p0;

    kiosk_app_frame(app);
    f0 = kiosk_app_frames(app);
    p0 = app->partial_frames;
    kiosk_app_advance(app, 60000);
    /* 3 s a greeting: 20 in a minute, each its band alone */
    ck_assert_uint_eq(kiosk_app_frames(app) - f0, 20);
    ck_assert_uint_eq(app->partial_frames - p0, 20);

    go(app, "tap #lang-en\ntap #rights\n");
    kiosk_app_drain(app);
    f0 = kiosk_app_frames(app);
    kiosk_app_advance(app, (uint64_t)app->opts.idle_timeout * 1000u - 1000u);
    ck_assert_uint_eq(kiosk_app_frames(app) - f0, 0);
    kiosk_app_destroy(app);
}
END_TEST

static Suite *speed_suite(void)
{
    Suite *s = suite_create("speed");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, partial_redraw_equals_whole, 0, 2);
    tcase_add_loop_test(tc, greeting_redraw_equals_whole, 0, 2);
    tcase_add_test(tc, warm_frames_allocate_nothing);
    tcase_add_test(tc, frames_lay_out_nothing);
    tcase_add_test(tc, idle_booth_draws_no_frames);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(speed_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
