/*
 * test_audio.c: the play button for people who cannot read, as a person
 * meets it: shown in the bar only on a page whose recording exists in the
 * language chosen (mirrored with the bar for RTL, 9 mm like every target);
 * a press queues the whole recording converted to the device's format
 * (48 kHz, 16-bit stereo: its length follows from the WAV's duration);
 * a second press, leaving the page (by a tap or the keyboard), another
 * language, the recording's end and the end of the visit stop it; a
 * corrupt recording in the content hides the button and the booth runs;
 * a booth without sound hides it too; running out of memory anywhere on
 * the way to playing fails cleanly. SDL's "dummy" audio driver plays
 * (headless), so no sound card is needed.
 */
#include "kiosk_private.h"
#include "testutil.h"

#include <check.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SAMPLE    WAYMARK_SOURCE_DIR "/content/sample"
#define TEST_WALL 1796117400

static kiosk_options_t opts(int w, int h, const char *content)
{
    kiosk_options_t o;

    kiosk_options_default(&o);
    o.headless = true;
    o.width = w;
    o.height = h;
    o.log_level = WM_LOG_ERROR;
    snprintf(o.content_dir, sizeof(o.content_dir), "%s", content);
    return o;
}

static kiosk_app_t *app_new(int w, int h, const char *content)
{
    kiosk_options_t o = opts(w, h, content);
    kiosk_app_t *app = NULL;

    ck_assert_msg(kiosk_app_create(&o, &app) == WM_OK, "app: %s", wm_last_error());
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

static const kiosk_widget_t *find(kiosk_app_t *app, const char *id)
{
    return kiosk_screen_find(top(app), id);
}

/* Into the booth in language tag: its home screen. */
static void start(kiosk_app_t *app, const char *tag)
{
    char cmd[64];

    snprintf(cmd, sizeof(cmd), "tap 5 5\ntap #lang-%s\n", tag);
    go(app, cmd);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_HOME);
}

/* The frames of a WAV file (its header, as the content checks it). */
static uint32_t wav_frames(const char *path)
{
    content_wav_t w;

    ck_assert_int_eq(content_wav_check(path, &w), WM_OK);
    ck_assert_uint_eq(w.rate, 16000);
    return w.frames;
}

static void expect_stopped(kiosk_app_t *app)
{
    ck_assert(!kiosk_audio_playing(app));
    ck_assert_uint_eq(kiosk_audio_queued(app), 0);
    ck_assert_uint_eq(app->audio.dev, 0);
    ck_assert_ptr_null(app->audio.pcm);
}

/* ---- where the button is ----------------------------------------------- */

START_TEST(button_only_where_a_recording_is)
{
    kiosk_app_t *app = app_new(1080, 1920, SAMPLE);
    int min = (int)ceil(9.0 / 25.4 * app->opts.screen_dpi);
    const kiosk_widget_t *p;

    /* the welcome has no bar, and no button */
    ck_assert_ptr_null(find(app, "play"));
    ck_assert_int_ne(run(app, "tap #play\n"), WM_OK);
    start(app, "en");
    p = find(app, "play");
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(p->action, KIOSK_ACTION_PLAY);
    ck_assert_int_ge(p->rect.w, min);
    ck_assert_int_ge(p->rect.h, min);
    /* after home, before the language: back, home, play, language, ... */
    ck_assert_int_gt(p->rect.x, find(app, "home")->rect.x);
    ck_assert_int_lt(p->rect.x, find(app, "language")->rect.x);
    ck_assert_int_eq(p->rect.y, find(app, "home")->rect.y);
    /* the services of a category have no recording: no button */
    go(app, "tap #cat-health\n");
    ck_assert_ptr_null(find(app, "play"));
    ck_assert_int_ne(run(app, "tap #play\n"), WM_OK);
    ck_assert(!kiosk_audio_playing(app));
    /* five buttons share the bar again: each wider than with six */
    ck_assert_int_gt(find(app, "home")->rect.w, p->rect.w);
    go(app, "tap #home\ntap #rights\ntap #page-article-1\n");
    ck_assert_ptr_nonnull(find(app, "play"));
    go(app, "tap #back\ntap #page-article-2\n");
    ck_assert_ptr_null(find(app, "play"));
    kiosk_app_destroy(app);

    /* Tigrinya: espeak-ng does not speak it, the sample has no recording */
    app = app_new(800, 480, SAMPLE);
    start(app, "ti");
    ck_assert_ptr_null(find(app, "play"));
    kiosk_app_destroy(app);
}
END_TEST

START_TEST(button_mirrors_for_rtl)
{
    kiosk_app_t *app = app_new(800, 480, SAMPLE);
    int min = (int)ceil(9.0 / 25.4 * app->opts.screen_dpi);
    const kiosk_widget_t *p;

    start(app, "ar");
    p = find(app, "play");
    ck_assert_ptr_nonnull(p);
    ck_assert_int_ge(p->rect.w, min);
    ck_assert_int_ge(p->rect.h, min);
    /* from the right: back, home, play, language */
    ck_assert_int_lt(p->rect.x, find(app, "home")->rect.x);
    ck_assert_int_gt(p->rect.x, find(app, "language")->rect.x);
    ck_assert_int_gt(find(app, "back")->rect.x, find(app, "home")->rect.x);
    kiosk_app_destroy(app);
}
END_TEST

/* ---- playing ------------------------------------------------------------ */

START_TEST(press_queues_the_whole_recording_and_again_stops)
{
    kiosk_app_t *app = app_new(1080, 1920, SAMPLE);
    const char *path;
    uint32_t frames, expect, got, queued;

    start(app, "en");
    path = kiosk_audio_recording(app, top(app));
    ck_assert_ptr_nonnull(path);
    ck_assert_ptr_nonnull(strstr(path, "/audio/en/home.wav"));
    frames = wav_frames(path);
    go(app, "tap #play\n");
    ck_assert(kiosk_audio_playing(app));
    ck_assert_uint_ne(app->audio.dev, 0);
    /* 16 kHz mono to 48 kHz stereo 16-bit: 3 frames each, 4 bytes a frame */
    expect = frames * 3;
    got = app->audio.len / 4;
    ck_assert_msg(got + 3 >= expect && got <= expect + 3, "%u frames queued, %u expected", got,
                  expect);
    ck_assert_uint_eq(app->audio.duration_ms, (uint64_t)frames * 1000u / 16000u);
    queued = kiosk_audio_queued(app);
    ck_assert_uint_le(queued, app->audio.len);
    ck_assert_uint_gt(queued, 0);
    /* the button now shows "stop" */
    go(app, "tap #play\n");
    expect_stopped(app);
    ck_assert_ptr_nonnull(find(app, "play"));
    /* and plays again from the start */
    go(app, "tap #play\n");
    ck_assert(kiosk_audio_playing(app));
    ck_assert_uint_eq(app->audio.len / 4, got);
    kiosk_app_destroy(app);
}
END_TEST

/* The button's pixels: a loudspeaker, then a square while it plays. */
START_TEST(button_shows_play_then_stop)
{
    kiosk_options_t o = opts(1080, 1920, SAMPLE);
    kiosk_app_t *app = NULL;
    render_canvas_t *a = NULL, *b = NULL;
    char path[1200];
    SDL_Rect r;
    long differ = 0;

    snprintf(o.screenshot_dir, sizeof(o.screenshot_dir), "%s", tu_tmpdir());
    ck_assert_int_eq(kiosk_app_create(&o, &app), WM_OK);
    start(app, "en");
    r = find(app, "play")->rect;
    go(app, "shot idle\ntap #play\nshot playing\n");
    ck_assert(kiosk_audio_playing(app));
    snprintf(path, sizeof(path), "%s/idle.png", o.screenshot_dir);
    ck_assert_int_eq(render_png_read(path, &a), WM_OK);
    snprintf(path, sizeof(path), "%s/playing.png", o.screenshot_dir);
    ck_assert_int_eq(render_png_read(path, &b), WM_OK);
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++) {
            render_color_t p = render_canvas_get(a, x, y), q = render_canvas_get(b, x, y);

            differ += p.r != q.r || p.g != q.g || p.b != q.b;
        }
    ck_assert_int_gt(differ, 100);
    render_canvas_destroy(a);
    render_canvas_destroy(b);
    kiosk_app_destroy(app);
}
END_TEST

/* Every way of leaving the page stops the recording. */
static const char *const leave_by[] = {
    "tap #back\n",       "tap #home\n",   "tap #language\n", "key Escape\n",
    "tap #cat-health\n", "wait 200000\n", /* past the idle timeout and the question: the visit ends
                                           */
};

START_TEST(leaving_the_page_stops)
{
    kiosk_app_t *app = app_new(1080, 1920, SAMPLE);

    start(app, "en");
    if (_i == 1) /* home from another page with a recording: help */
        go(app, "tap #help\n");
    go(app, "tap #play\n");
    ck_assert(kiosk_audio_playing(app));
    go(app, leave_by[_i]);
    expect_stopped(app);
    kiosk_app_destroy(app);
}
END_TEST

START_TEST(larger_text_keeps_playing)
{
    kiosk_app_t *app = app_new(1080, 1920, SAMPLE);

    start(app, "en");
    go(app, "tap #play\ntap #text-size\ntap #contrast\n");
    ck_assert(kiosk_audio_playing(app));
    ck_assert_ptr_nonnull(find(app, "play"));
    kiosk_app_destroy(app);
}
END_TEST

START_TEST(finish_visit_stops)
{
    kiosk_app_t *app = app_new(1080, 1920, SAMPLE);

    start(app, "fr");
    go(app, "tap #play\n");
    ck_assert(kiosk_audio_playing(app));
    kiosk_app_finish_visit(app);
    expect_stopped(app);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    kiosk_app_destroy(app);
}
END_TEST

/* At its end (on the booth's clock) the button shows "play" again. */
START_TEST(the_end_stops)
{
    kiosk_app_t *app = app_new(1080, 1920, SAMPLE);
    char cmd[64];

    start(app, "en");
    go(app, "tap #play\n");
    ck_assert(kiosk_audio_playing(app));
    snprintf(cmd, sizeof(cmd), "wait %llu\n", (unsigned long long)app->audio.duration_ms / 2);
    go(app, cmd);
    ck_assert(kiosk_audio_playing(app));
    snprintf(cmd, sizeof(cmd), "wait %llu\n", (unsigned long long)app->audio.duration_ms / 2 + 100);
    go(app, cmd);
    expect_stopped(app);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_HOME);
    kiosk_app_destroy(app);
}
END_TEST

/* Playing, stopping and playing elsewhere, at the most talkative log
 * level: no log line names a recording or a page. */
START_TEST(nothing_played_is_logged)
{
    kiosk_options_t o = opts(1080, 1920, SAMPLE);
    kiosk_app_t *app = NULL;
    char path[600];
    char *log;
    int fd, saved;

    o.log_level = WM_LOG_DEBUG;
    ck_assert_int_eq(kiosk_app_create(&o, &app), WM_OK);
    start(app, "en");
    snprintf(path, sizeof(path), "%s/log.txt", tu_tmpdir());
    fflush(stderr);
    saved = dup(STDERR_FILENO);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    dup2(fd, STDERR_FILENO);
    close(fd);
    go(app, "tap #play\ntap #play\ntap #play\ntap #help\ntap #play\nwait 1000\nkey Escape\n");
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    log = tu_read_file(path, NULL);
    ck_assert_ptr_nonnull(log);
    ck_assert_msg(!strstr(log, ".wav") && !strstr(log, "audio/") && !strstr(log, "help") &&
                      !strstr(log, "playing") && !strstr(log, "recording"),
                  "the log tells what was played:\n%s", log);
    free(log);
    kiosk_app_destroy(app);
}
END_TEST

/* ---- broken recordings, no sound ---------------------------------------- */

static const char *sample_copy(void)
{
    static char dir[512];
    char cmd[1200];
    int status;
    char *out;

    snprintf(dir, sizeof(dir), "%s/content", tu_tmpdir());
    snprintf(cmd, sizeof(cmd), "cp -r '%s' '%s' 2>&1", SAMPLE, dir);
    out = tu_run(cmd, &status);
    ck_assert_msg(status == 0, "%s", out ? out : "");
    free(out);
    return dir;
}

static const char *const corrupt[] = {
    "RIFF\x24\0\0\0WAVEfmt ", /* truncated in the header */
    "RIFX\x24\0\0\0WAVEfmt \x10\0\0\0\1\0\1\0\x80\x3e\0\0\0\x7d\0\0\2\0\x10\0data\0\0\0\0",
    "RIFF\x24\0\0\x7fWAVEfmt "
    "\x10\0\0\0\1\0\1\0\x80\x3e\0\0\0\x7d\0\0\2\0\x10\0data\xff\xff\xff\x7f",
};
static const size_t corrupt_len[] = {16, 44, 44};

START_TEST(corrupt_recording_hides_the_button)
{
    const char *dir = sample_copy();
    char path[700];
    FILE *f;
    kiosk_app_t *app;
    content_report_t *r = NULL;
    bool named = false;

    snprintf(path, sizeof(path), "%s/audio/en/home.wav", dir);
    f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fwrite(corrupt[_i], 1, corrupt_len[_i], f);
    fclose(f);
    ck_assert_int_eq(content_validate(dir, &r), WM_OK);
    ck_assert_uint_eq(content_report_errors(r), 1);
    for (size_t i = 0; i < content_report_count(r); i++) {
        const content_issue_t *is = content_report_issue(r, i);

        named = named || (is->file && strcmp(is->file, "audio/en/home.wav") == 0 &&
                          strcmp(is->code, "audio") == 0);
    }
    ck_assert(named);
    content_report_destroy(r);

    app = app_new(1080, 1920, dir);
    ck_assert_str_eq(kiosk_app_content_dir(app), dir); /* not the built-in fallback */
    start(app, "en");
    ck_assert_ptr_null(find(app, "play"));
    ck_assert_int_ne(run(app, "tap #play\n"), WM_OK);
    /* the other recordings still play */
    go(app, "tap #help\ntap #play\n");
    ck_assert(kiosk_audio_playing(app));
    kiosk_app_destroy(app);
}
END_TEST

/* A recording that went bad after the load: nothing plays, the booth runs. */
START_TEST(recording_unreadable_at_play)
{
    const char *dir = sample_copy();
    char path[700];
    kiosk_app_t *app = app_new(1080, 1920, dir);

    start(app, "en");
    ck_assert_ptr_nonnull(find(app, "play"));
    snprintf(path, sizeof(path), "%s/audio/en/home.wav", dir);
    ck_assert_int_eq(tu_write_file(path, "RIFF junk"), 0);
    ck_assert_int_eq(kiosk_audio_play(app, top(app)), WM_EFORMAT);
    expect_stopped(app);
    go(app, "tap #play\n");
    expect_stopped(app);
    unlink(path);
    ck_assert_int_ne(kiosk_audio_play(app, top(app)), WM_OK);
    expect_stopped(app);
    go(app, "tap #help\ntap #play\n");
    ck_assert(kiosk_audio_playing(app));
    kiosk_app_destroy(app);
}
END_TEST

START_TEST(no_sound_hides_the_button)
{
    kiosk_app_t *app;

    setenv("SDL_AUDIODRIVER", "no-such-driver", 1);
    app = app_new(1080, 1920, SAMPLE);
    start(app, "en");
    ck_assert_ptr_nonnull(find(app, "play")); /* not known before the first press */
    go(app, "tap #play\n");
    ck_assert(!kiosk_audio_playing(app));
    ck_assert(app->audio.unavailable);
    ck_assert_ptr_null(find(app, "play"));
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_HOME);
    go(app, "tap #help\n");
    ck_assert_ptr_null(find(app, "play"));
    ck_assert_int_eq(kiosk_audio_play(app, top(app)), WM_ENOENT);
    kiosk_app_destroy(app);
}
END_TEST

/* ---- out of memory ------------------------------------------------------ */

/* Every allocation from the press to playing, failed in turn: each an
 * error with nothing playing and nothing leaked (LeakSanitizer). */
START_TEST(out_of_memory_play_every_step)
{
    kiosk_app_t *app = app_new(800, 480, SAMPLE);
    wm_status_t st = WM_ENOMEM;
    long n;

    start(app, "en");
    for (n = 0; n < 1000 && st != WM_OK; n++) {
        wm_fault_alloc_after(n);
        st = kiosk_audio_play(app, top(app));
        wm_fault_reset();
        if (st != WM_OK) {
            ck_assert_msg(st == WM_ENOMEM, "step %ld: %s", n, wm_last_error());
            expect_stopped(app);
        }
    }
    ck_assert_int_eq(st, WM_OK);
    ck_assert_int_ge(n, 2); /* the file and the converted samples */
    ck_assert(kiosk_audio_playing(app));
    kiosk_audio_stop(app);
    expect_stopped(app);
    kiosk_app_destroy(app);
}
END_TEST

static Suite *audio_suite(void)
{
    Suite *s = suite_create("audio");
    TCase *tc = tcase_create("play");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, button_only_where_a_recording_is);
    tcase_add_test(tc, button_mirrors_for_rtl);
    tcase_add_test(tc, press_queues_the_whole_recording_and_again_stops);
    tcase_add_test(tc, button_shows_play_then_stop);
    tcase_add_loop_test(tc, leaving_the_page_stops, 0, sizeof(leave_by) / sizeof(leave_by[0]));
    tcase_add_test(tc, larger_text_keeps_playing);
    tcase_add_test(tc, finish_visit_stops);
    tcase_add_test(tc, the_end_stops);
    tcase_add_test(tc, nothing_played_is_logged);
    tcase_add_loop_test(tc, corrupt_recording_hides_the_button, 0,
                        sizeof(corrupt) / sizeof(corrupt[0]));
    tcase_add_test(tc, recording_unreadable_at_play);
    tcase_add_test(tc, no_sound_hides_the_button);
    if (wm_fault_injection_available())
        tcase_add_test(tc, out_of_memory_play_every_step);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(audio_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
