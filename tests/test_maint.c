/*
 * test_maint.c: maintenance mode as a crew meets it, headless on the
 * virtual clock: the corner gesture through real pointer events opens the
 * PIN pad (and taps nothing on the way); the right PIN enters, wrong ones
 * lock out with growing delays, across a restart too; the maintenance
 * screen shows the printer's state, a test print sends bytes and says so;
 * roll back switches to the previous content set (and is refused, with
 * nothing changed, when there is none; a fault at any disk step leaves the
 * old or the new set, never a broken one); a forced reinstall takes a
 * bundle from a stick; an idle crew screen goes back to the welcome
 * without "still there?"; every target is 9 mm; the PIN is in no log;
 * the log ring keeps the newest N lines.
 */
#include "kiosk_private.h"
#include "testutil.h"

#include <check.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SAMPLE    WAYMARK_SOURCE_DIR "/content/sample"
#define TEST_WALL 1796117400
#define PIN       "80235719"
#define WRONG     "1111"

static kiosk_options_t opts(const char *root, int w, int h)
{
    kiosk_options_t o;

    kiosk_options_default(&o);
    o.headless = true;
    o.width = w;
    o.height = h;
    o.log_level = WM_LOG_ERROR;
    strcpy(o.content_dir, SAMPLE);
    snprintf(o.data_dir, sizeof(o.data_dir), "%s/data", root);
    snprintf(o.pin_file, sizeof(o.pin_file), "%s/maintenance.pin", root);
    snprintf(o.usb_roots, sizeof(o.usb_roots), "%s/usb", root);
    snprintf(o.keys_dir, sizeof(o.keys_dir), "%s/staff.pub", root);
    mkdir(o.data_dir, 0755);
    return o;
}

static void pin_set(const kiosk_options_t *o)
{
    ck_assert_msg(kiosk_pin_set(o->pin_file, PIN, strlen(PIN)) == WM_OK, "%s", wm_last_error());
}

static kiosk_app_t *app_new(const kiosk_options_t *o, time_t wall)
{
    kiosk_app_t *app = NULL;

    ck_assert_msg(kiosk_app_create(o, &app) == WM_OK, "app: %s", wm_last_error());
    kiosk_app_set_wall_clock(app, wall);
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

/* A long press at x, y: down, held still 2.1 s (a move every 16 ms), up. */
static void hold(kiosk_app_t *app, int x, int y)
{
    char cmd[96];

    snprintf(cmd, sizeof(cmd), "drag %d %d %d %d 2100\nwait 300\n", x, y, x, y);
    go(app, cmd);
}

static void gesture(kiosk_app_t *app)
{
    const int w = app->opts.width, h = app->opts.height;

    hold(app, 8, 8);
    hold(app, w - 8, h - 8);
    hold(app, 8, 8);
}

static void type_pin(kiosk_app_t *app, const char *pin)
{
    char cmd[64];

    for (const char *p = pin; *p; p++) {
        snprintf(cmd, sizeof(cmd), "tap #pin-%c\n", *p);
        go(app, cmd);
    }
    go(app, "tap #pin-ok\n");
}

/* The PIN pad's message, or a maintenance line containing needle. */
static const char *note(kiosk_app_t *app)
{
    const char *l[1];

    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_PIN);
    ck_assert_uint_eq(kiosk_maint_lines(app, l, 1), 1);
    return l[0];
}

static const char *line_with(kiosk_app_t *app, const char *needle)
{
    const char *l[128];
    size_t n = kiosk_maint_lines(app, l, 128);

    for (size_t i = 0; i < n; i++) {
        if (strstr(l[i], needle))
            return l[i];
    }
    return NULL;
}

static void expect_line(kiosk_app_t *app, const char *needle)
{
    const char *l[128];
    size_t n = kiosk_maint_lines(app, l, 128);

    if (line_with(app, needle))
        return;
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "  %s\n", l[i]);
    ck_abort_msg("no line with '%s' on %s (lines above)", needle, kiosk_app_screen_name(app));
}

static kiosk_screen_t *top(kiosk_app_t *app)
{
    return kiosk_screen_stack_top(kiosk_app_stack(app));
}

/* Every target of the top screen at least 9 mm a side at the density,
 * wholly on the screen, none overlapping another. */
static void expect_targets(kiosk_app_t *app, int dpi)
{
    const kiosk_screen_t *s = top(app);
    const kiosk_ui_page_t *pg = s->state;
    int min = (int)ceil(9.0 / 25.4 * dpi);

    ck_assert_uint_gt(s->widget_count, 3);
    for (size_t i = 0; i < s->widget_count; i++) {
        SDL_Rect r = s->widgets[i].rect;

        if (i >= pg->scroll.first && i < pg->scroll.first + pg->scroll.count)
            r = pg->scroll.base[i - pg->scroll.first];
        ck_assert_msg(r.w >= min && r.h >= min, "%s: #%s is %dx%d px, less than 9 mm (%d px)",
                      kiosk_app_screen_name(app), s->widgets[i].id, r.w, r.h, min);
        ck_assert_msg(r.x >= 0 && r.y >= 0 && r.x + r.w <= app->opts.width &&
                          r.y + r.h <= app->opts.height,
                      "%s: #%s leaves the screen", kiosk_app_screen_name(app), s->widgets[i].id);
        for (size_t j = 0; j < i; j++)
            ck_assert_msg(!SDL_HasIntersection(&r, &s->widgets[j].rect), "%s: #%s overlaps #%s",
                          kiosk_app_screen_name(app), s->widgets[i].id, s->widgets[j].id);
    }
}

/* ---- the way in ---------------------------------------------------------- */

static const int sizes[][2] = {{1080, 1920}, {800, 480}};

START_TEST(corner_gesture_through_pointer_events_opens_the_pin_pad)
{
    const char *root = tu_tmpdir();
    kiosk_options_t o = opts(root, sizes[_i][0], sizes[_i][1]);
    kiosk_app_t *app;

    pin_set(&o);
    app = app_new(&o, TEST_WALL);
    /* each corner step taps nothing: the welcome stays */
    hold(app, 8, 8);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    hold(app, o.width - 8, o.height - 8);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    hold(app, 8, 8);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_PIN);
    ck_assert_str_eq(note(app), "Enter the maintenance PIN");
    expect_targets(app, o.screen_dpi);
    /* cancel: back to a fresh welcome */
    go(app, "tap #pin-cancel\n");
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    ck_assert_uint_eq(kiosk_app_stack(app)->depth, 1);
    /* short taps in the corners in order are just taps */
    go(app, "tap 8 8\n");
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_LANGUAGES);
    kiosk_app_finish_visit(app);
    /* from a visitor's page too (the corner is the bar's button there) */
    go(app, "tap #lang-en\n");
    gesture(app);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_PIN);
    kiosk_app_destroy(app);
}
END_TEST

/* A finger (0..1 of the window) at a logical point, on a rotated panel. */
static void push_finger(kiosk_app_t *app, Uint32 type, int x, int y)
{
    SDL_Event ev;
    int wx, wy;

    kiosk_view_to_window(&app->view, x, y, &wx, &wy);
    memset(&ev, 0, sizeof(ev));
    ev.type = type;
    ev.tfinger.fingerId = 3;
    ev.tfinger.x = ((float)wx + 0.5f) / (float)app->view.win_w;
    ev.tfinger.y = ((float)wy + 0.5f) / (float)app->view.win_h;
    SDL_PushEvent(&ev);
    kiosk_app_drain(app);
}

static void finger_hold(kiosk_app_t *app, int x, int y)
{
    push_finger(app, SDL_FINGERDOWN, x, y);
    for (int i = 0; i < 21; i++) {
        kiosk_app_advance(app, 100);
        push_finger(app, SDL_FINGERMOTION, x + i % 3, y);
    }
    push_finger(app, SDL_FINGERUP, x + 1, y);
    kiosk_app_advance(app, 300);
}

START_TEST(corner_gesture_by_finger_on_a_rotated_panel)
{
    const char *root = tu_tmpdir();
    kiosk_options_t o = opts(root, 480, 800);
    kiosk_app_t *app;

    o.rotate = 90;
    pin_set(&o);
    app = app_new(&o, TEST_WALL);
    go(app, "wait 10\n");
    finger_hold(app, 6, 6);
    finger_hold(app, o.width - 8, o.height - 8);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    finger_hold(app, 6, 6);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_PIN);
    kiosk_app_destroy(app);
}
END_TEST

START_TEST(right_pin_enters_maintenance)
{
    const char *root = tu_tmpdir();
    kiosk_options_t o = opts(root, sizes[_i][0], sizes[_i][1]);
    kiosk_app_t *app;
    const kiosk_screen_t *s;

    pin_set(&o);
    app = app_new(&o, TEST_WALL);
    gesture(app);
    /* erase takes the last digit back */
    go(app, "tap #pin-9\ntap #pin-erase\n");
    type_pin(app, PIN);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_MAINT);
    expect_targets(app, o.screen_dpi);
    expect_line(app, "Maintenance");
    expect_line(app, "printer: ok ready (sim:)");
    expect_line(app, "storage: ");
    expect_line(app, "thermal: ");
    expect_line(app, "content: " SAMPLE);
    expect_line(app, "content store: none");
    expect_line(app, "Booth log, newest last");
    expect_line(app, "info: maintenance: opened");
    /* the crew's texts are laid out, nothing cut */
    s = top(app);
    for (size_t i = KIOSK_UI_BAR_TEXTS; i < s->text_count; i++)
        ck_assert_msg(!s->texts[i].truncated || i > 20, "text %zu cut off", i);
    go(app, "tap #maint-exit\n");
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    ck_assert_uint_eq(kiosk_app_stack(app)->depth, 1);
    kiosk_app_destroy(app);
}
END_TEST

START_TEST(wrong_pins_lock_out_longer_even_across_a_restart)
{
    const char *root = tu_tmpdir();
    kiosk_options_t o = opts(root, 800, 480);
    kiosk_app_t *app;
    uint64_t t;

    pin_set(&o);
    app = app_new(&o, TEST_WALL);
    gesture(app);
    type_pin(app, WRONG);
    ck_assert_str_eq(note(app), "Wrong PIN. Try again.");
    type_pin(app, "123"); /* too short: not a try */
    ck_assert_str_eq(note(app), "A PIN is 4 to 12 digits");
    type_pin(app, WRONG);
    ck_assert_str_eq(note(app), "Wrong PIN. Try again.");
    type_pin(app, WRONG);
    ck_assert_str_eq(note(app), "Wrong PIN. Next try in 30 s.");
    /* even the right PIN waits, and the wait counts down on the clock */
    type_pin(app, PIN);
    ck_assert_str_eq(note(app), "Too many wrong PINs. Next try in 30 s.");
    go(app, "wait 10000\n");
    type_pin(app, PIN);
    ck_assert_str_eq(note(app), "Too many wrong PINs. Next try in 20 s.");
    go(app, "wait 20000\n");
    type_pin(app, WRONG);
    ck_assert_str_eq(note(app), "Wrong PIN. Next try in 1 min.");
    t = kiosk_app_now(app);
    kiosk_app_destroy(app);

    /* a restart 10 s later: still locked, for what is left */
    app = app_new(&o, TEST_WALL + (time_t)(t / 1000) + 10);
    gesture(app);
    ck_assert_msg(strncmp(note(app), "Too many wrong PINs. Next try in ", 33) == 0, "%s",
                  note(app));
    ck_assert_msg(strstr(note(app), " 4") || strstr(note(app), " 5"), "%s", note(app));
    go(app, "wait 50000\n");
    type_pin(app, WRONG);
    ck_assert_str_eq(note(app), "Wrong PIN. Next try in 2 min.");
    go(app, "wait 60000\ntap #pin-erase\nwait 60000\n"); /* not idle: the crew waits */
    type_pin(app, PIN);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_MAINT);
    kiosk_app_destroy(app);

    /* the right PIN cleared the count: three free tries again */
    app = app_new(&o, TEST_WALL + 3600);
    gesture(app);
    ck_assert_str_eq(note(app), "Enter the maintenance PIN");
    type_pin(app, WRONG);
    ck_assert_str_eq(note(app), "Wrong PIN. Try again.");
    kiosk_app_destroy(app);
}
END_TEST

START_TEST(no_pin_set_keeps_maintenance_closed)
{
    const char *root = tu_tmpdir();
    kiosk_options_t o = opts(root, 800, 480);
    kiosk_app_t *app = app_new(&o, TEST_WALL);

    gesture(app);
    type_pin(app, PIN);
    ck_assert_str_eq(note(app), "No maintenance PIN is set up (waymark pin set)");
    kiosk_app_destroy(app);
}
END_TEST

/* ---- what it shows and does ---------------------------------------------- */

static kiosk_app_t *maint_open(const kiosk_options_t *o)
{
    kiosk_app_t *app = app_new(o, TEST_WALL);

    gesture(app);
    type_pin(app, PIN);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_MAINT);
    return app;
}

START_TEST(shows_the_printer_state)
{
    static const struct {
        const char *uri, *line;
    } cases[] = {
        {"sim:?state=paper_out", "printer: fail paper out (sim:?state=paper_out)"},
        {"sim:?state=paper_near_end", "printer: warn paper near end"},
        {"sim:?state=cover_open", "printer: fail cover open"},
        {"sim:?state=offline", "printer: fail offline"},
    };
    const char *root = tu_tmpdir();
    kiosk_options_t o = opts(root, 800, 480);
    kiosk_app_t *app;

    pin_set(&o);
    snprintf(o.printer, sizeof(o.printer), "%s", cases[_i].uri);
    app = maint_open(&o);
    expect_line(app, cases[_i].line);
    expect_line(app, _i == 1 ? "Status: needs attention soon" : "Status: NEEDS ATTENTION NOW");
    kiosk_app_destroy(app);
}
END_TEST

START_TEST(test_print_sends_bytes_and_says_so)
{
    const char *root = tu_tmpdir();
    kiosk_options_t o = opts(root, 1080, 1920);
    char out[600];
    struct stat sb;
    kiosk_app_t *app;

    pin_set(&o);
    snprintf(out, sizeof(out), "%s/printer.bin", root);
    snprintf(o.printer, sizeof(o.printer), "file:%s", out);
    app = maint_open(&o);
    ck_assert_int_eq(stat(out, &sb), 0);
    ck_assert_int_eq(sb.st_size, 0);
    go(app, "tap #maint-print\n");
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_MAINT);
    ck_assert_int_eq(stat(out, &sb), 0);
    ck_assert_int_gt(sb.st_size, 10000); /* a page of raster bands */
    {
        char want[96];

        snprintf(want, sizeof(want), "Test print: printed (%lld bytes)", (long long)sb.st_size);
        expect_line(app, want);
    }
    kiosk_app_destroy(app);

    /* out of paper: nothing printed, and it says why */
    snprintf(o.printer, sizeof(o.printer), "sim:?state=paper_out");
    app = maint_open(&o);
    go(app, "tap #maint-print\n");
    expect_line(app, "Test print: not printed; printer paper out");
    kiosk_app_destroy(app);
}
END_TEST

START_TEST(idle_leaves_for_the_welcome_without_asking)
{
    const char *root = tu_tmpdir();
    kiosk_options_t o = opts(root, 800, 480);
    kiosk_app_t *app;
    char cmd[64];

    pin_set(&o);
    o.idle_timeout = 20;
    app = maint_open(&o);
    /* long past the visitor's idle time: no "still there?" */
    snprintf(cmd, sizeof(cmd), "wait %u\n", KIOSK_MAINT_IDLE_MS - 1000);
    go(app, cmd);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_MAINT);
    ck_assert(!kiosk_app_asking(app));
    go(app, "drag 400 200 400 150 500\n"); /* a touch starts the time over */
    go(app, cmd);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_MAINT);
    go(app, "wait 2000\n");
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    ck_assert_uint_eq(kiosk_app_stack(app)->depth, 1);
    ck_assert(!kiosk_app_asking(app));
    /* the PIN pad left alone goes too, and the next visitor is asked as ever */
    gesture(app);
    go(app, "tap #pin-4\n");
    go(app, cmd);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_PIN);
    ck_assert(!kiosk_app_asking(app));
    go(app, "wait 2000\n");
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    go(app, "tap #lang-en\nwait 21000\n");
    ck_assert(kiosk_app_asking(app));
    kiosk_app_destroy(app);
}
END_TEST

/* ---- content: roll back and reinstall ------------------------------------ */

static void make_bundle(const char *root, uint64_t v, const char *path)
{
    char sk[600], pk[600];
    content_seckey_t *key = NULL;
    content_bundle_build_opts_t bo = {.version = v};
    struct stat sb;

    snprintf(sk, sizeof(sk), "%s/staff.key", root);
    snprintf(pk, sizeof(pk), "%s/staff.pub", root);
    if (stat(sk, &sb) != 0)
        ck_assert_msg(content_minisign_keygen(sk, pk) == WM_OK, "%s", wm_last_error());
    ck_assert_int_eq(content_seckey_load(sk, NULL, &key), WM_OK);
    bo.keys[0] = key;
    bo.key_count = 1;
    ck_assert_msg(content_bundle_build(SAMPLE, path, &bo) == WM_OK, "%s", wm_last_error());
    content_seckey_destroy(key);
}

/* Installs and commits versions vs[] in the data folder of root, in order. */
static void store_with(const char *root, const uint64_t *vs, size_t n)
{
    char data[600], pk[600], path[700];
    content_store_t *store = NULL;
    content_keyring_t *keys = NULL;

    snprintf(data, sizeof(data), "%s/data", root);
    snprintf(pk, sizeof(pk), "%s/staff.pub", root);
    for (size_t i = 0; i < n; i++) {
        content_bundle_source_t src;

        snprintf(path, sizeof(path), "%s/v%llu" CONTENT_BUNDLE_EXT, root,
                 (unsigned long long)vs[i]);
        make_bundle(root, vs[i], path);
        if (!keys)
            ck_assert_msg(content_keyring_load(pk, &keys) == WM_OK, "%s", wm_last_error());
        ck_assert_int_eq(content_store_open(data, SAMPLE, 0, &store), WM_OK);
        ck_assert_int_eq(content_bundle_source_open(path, &src), WM_OK);
        ck_assert_msg(content_store_install(store, &src, keys, NULL, 0, NULL, NULL, NULL) == WM_OK,
                      "%s", wm_last_error());
        content_bundle_source_close(&src);
        ck_assert_int_eq(content_store_commit(store), WM_OK);
        content_store_destroy(store);
    }
    content_keyring_destroy(keys);
}

/* The bundles folder as text: each entry, and where each link points. */
static char *tree(const char *data)
{
    char cmd[KIOSK_PATH_MAX + 200];

    snprintf(cmd, sizeof(cmd),
             "cd %s/bundles && for f in $(ls -A | sort); do "
             "if [ -L $f ]; then echo \"$f -> $(readlink $f)\"; else echo $f; fi; done; "
             "cat highest",
             data);
    return tu_run(cmd, NULL);
}

static kiosk_options_t opts_store(const char *root, int w, int h)
{
    kiosk_options_t o = opts(root, w, h);

    o.content_dir[0] = '\0';
    setenv("WAYMARK_CONTENT", SAMPLE, 1);
    return o;
}

START_TEST(rollback_switches_to_the_previous_set)
{
    const char *root = tu_tmpdir();
    kiosk_options_t o = opts_store(root, 800, 480);
    const uint64_t vs[] = {5, 6};
    kiosk_app_t *app;
    char *before, *after;

    store_with(root, vs, 2);
    pin_set(&o);
    app = maint_open(&o);
    ck_assert_msg(strstr(kiosk_app_content_dir(app), "/bundles/v6/"), "%s",
                  kiosk_app_content_dir(app));
    expect_line(app, "content store: current set, version 6, highest 6");
    expect_line(app, "/bundles/v6/content, version 6, installed ");

    go(app, "tap #maint-rollback\n");
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_MAINT);
    ck_assert_uint_eq(kiosk_app_stack(app)->depth, 2);
    ck_assert_msg(strstr(kiosk_app_content_dir(app), "/bundles/v5/"), "%s",
                  kiosk_app_content_dir(app));
    expect_line(app, "Rolled back: now showing version 5");
    expect_line(app, "content store: current set, version 5, highest 6");
    expect_line(app, "/bundles/v5/content, version 5, installed ");

    /* again: nothing older to go to, and nothing changes */
    before = tree(o.data_dir);
    go(app, "tap #maint-rollback\n");
    expect_line(app, "Not rolled back: no previous content to go back to");
    after = tree(o.data_dir);
    ck_assert_str_eq(after, before);
    ck_assert_msg(strstr(after, "current -> v5\n"), "%s", after);
    ck_assert_msg(strstr(after, "\n6\n"), "highest kept: %s", after);
    free(before);
    free(after);
    kiosk_app_destroy(app);

    /* and a restart shows the rolled-back set */
    app = app_new(&o, TEST_WALL);
    ck_assert_msg(strstr(kiosk_app_content_dir(app), "/bundles/v5/"), "%s",
                  kiosk_app_content_dir(app));
    kiosk_app_destroy(app);
}
END_TEST

START_TEST(rollback_without_previous_is_refused_and_changes_nothing)
{
    const char *root = tu_tmpdir();
    kiosk_options_t o = opts_store(root, 800, 480);
    const uint64_t vs[] = {5};
    kiosk_app_t *app;
    char *before, *after;
    content_store_t *store;

    store_with(root, vs, 1);
    pin_set(&o);
    before = tree(o.data_dir);
    app = maint_open(&o);
    go(app, "tap #maint-rollback\n");
    expect_line(app, "Not rolled back: no previous content to go back to");
    ck_assert_msg(strstr(kiosk_app_content_dir(app), "/bundles/v5/"), "%s",
                  kiosk_app_content_dir(app));
    kiosk_app_destroy(app);
    after = tree(o.data_dir);
    ck_assert_str_eq(after, before);
    free(before);
    free(after);
    /* a fresh store, nothing installed: refused too */
    ck_assert_int_eq(content_store_open(tu_tmpdir(), SAMPLE, 0, &store), WM_OK);
    ck_assert_int_eq(content_store_rollback(store), WM_ENOENT);
    ck_assert_str_eq(content_store_dir(store), SAMPLE);
    content_store_destroy(store);
}
END_TEST

/* A fault at each disk step of a roll back in turn (the next step fails;
 * with crash, every later one too, as a power cut), or at each allocation:
 * the store reopened at a booth's start shows v6 or v5, complete, never
 * anything else. */
START_TEST(rollback_fault_at_every_step_leaves_old_or_new)
{
    const char *root = tu_tmpdir();
    const uint64_t vs[] = {5, 6};
    char data[600], cmd[2200], copy[700];
    bool crash = _i == 1, alloc = _i == 2;
    long k;
    int olds = 0, news = 0;

    wm_log_set_level(WM_LOG_ERROR);
    store_with(root, vs, 2);
    snprintf(data, sizeof(data), "%s/data", root);
    snprintf(copy, sizeof(copy), "%s/try", root);
    for (k = 0; k < 1000; k++) {
        content_store_t *store = NULL;
        wm_status_t st;
        long steps;
        uint64_t v;

        snprintf(cmd, sizeof(cmd), "rm -rf %s && cp -a %s %s", copy, data, copy);
        ck_assert_int_eq(system(cmd), 0);
        ck_assert_int_eq(content_store_open(copy, SAMPLE, CONTENT_STORE_BOOTH, &store), WM_OK);
        ck_assert_uint_eq(content_store_version(store), 6);
        if (alloc) {
            wm_fault_alloc_after(k);
            st = content_store_rollback(store);
            steps = wm_fault_fired() ? k + 1 : k - 1;
            wm_fault_reset();
        } else {
            content_fault_io_after(k, crash);
            st = content_store_rollback(store);
            steps = content_fault_io_steps();
            content_fault_io_after(-1, false);
        }
        content_store_destroy(store);

        ck_assert_int_eq(content_store_open(copy, SAMPLE, CONTENT_STORE_BOOTH, &store), WM_OK);
        ck_assert_int_eq(content_store_origin(store), CONTENT_STORE_CURRENT);
        v = content_store_version(store);
        ck_assert_msg(v == 5 || v == 6, "step %ld: version %llu", k, (unsigned long long)v);
        snprintf(cmd, sizeof(cmd), "%s/bundles/v%llu/content", copy, (unsigned long long)v);
        ck_assert_str_eq(content_store_dir(store), cmd);
        ck_assert_uint_eq(content_store_highest(store), 6);
        content_store_destroy(store);
        if (st == WM_OK)
            ck_assert_uint_eq(v, 5);
        v == 5 ? olds++ : news++;
        if (steps <= k && st == WM_OK)
            break; /* it ran through without reaching the fault */
    }
    ck_assert_msg(k < 1000, "the roll back never finished");
    fprintf(stderr, "rollback, %s faults: %ld steps\n",
            alloc   ? "allocation"
            : crash ? "power cut"
                    : "disk",
            k);
    ck_assert_int_gt(k, 1); /* there were steps to fail */
    ck_assert_int_gt(news, 0);
    ck_assert_int_gt(olds, 0);
}
END_TEST

START_TEST(reinstall_takes_the_bundle_on_the_stick)
{
    const char *root = tu_tmpdir();
    kiosk_options_t o = opts_store(root, 800, 480);
    const uint64_t vs[] = {5, 6};
    char usb[700], stick[800], from[700];
    kiosk_app_t *app;

    store_with(root, vs, 2);
    pin_set(&o);
    snprintf(usb, sizeof(usb), "%s/usb", root);
    ck_assert_int_eq(mkdir(usb, 0755), 0);
    app = maint_open(&o);
    go(app, "tap #maint-reinstall\n");
    expect_line(app, "Not reinstalled: no bundle (*.wmbundle) on a stick or in the inbox");
    /* a stick mounted under the root, with version 5 (older: forced) */
    snprintf(stick, sizeof(stick), "%s/stick", usb);
    ck_assert_int_eq(mkdir(stick, 0755), 0);
    snprintf(from, sizeof(from), "%s/v5" CONTENT_BUNDLE_EXT, root);
    snprintf(stick, sizeof(stick), "%s/stick/booth" CONTENT_BUNDLE_EXT, usb);
    ck_assert_int_eq(rename(from, stick), 0);
    go(app, "tap #maint-reinstall\n");
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_MAINT);
    expect_line(app, "Reinstalled version 5 from booth.wmbundle");
    /* a fresh copy beside the old set of the same version */
    ck_assert_msg(strstr(kiosk_app_content_dir(app), "/bundles/v5-1/"), "%s",
                  kiosk_app_content_dir(app));
    expect_line(app, "content store: current set, version 5, highest 6, pending its first frame");
    go(app, "wait 10\n"); /* drawn: committed */
    kiosk_app_destroy(app);
    app = app_new(&o, TEST_WALL);
    ck_assert_msg(strstr(kiosk_app_content_dir(app), "/bundles/v5-1/"), "%s",
                  kiosk_app_content_dir(app));
    kiosk_app_destroy(app);
}
END_TEST

/* ---- privacy and the log ring -------------------------------------------- */

START_TEST(the_pin_is_in_no_log_and_no_file)
{
    const char *root = tu_tmpdir();
    kiosk_options_t o = opts(root, 800, 480);
    char log[700], cmd[800], lines[WM_LOG_RING_LINES][WM_LOG_LINE_MAX], *text, *grep;
    kiosk_app_t *app;
    int fd, saved, status;
    size_t n;

    pin_set(&o);
    o.log_level = WM_LOG_DEBUG;
    snprintf(log, sizeof(log), "%s/stderr", root);
    fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    fflush(stderr);
    saved = dup(2);
    dup2(fd, 2);
    wm_log_ring_clear();
    app = app_new(&o, TEST_WALL);
    gesture(app);
    type_pin(app, "80235718");
    type_pin(app, PIN);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_MAINT);
    go(app, "tap #maint-print\n");
    ck_assert_ptr_null(line_with(app, PIN));
    ck_assert_ptr_null(line_with(app, "8023571"));
    kiosk_app_destroy(app);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(fd);
    text = tu_read_file(log, NULL);
    ck_assert_ptr_nonnull(text);
    ck_assert_msg(strstr(text, "maintenance: wrong PIN (1 in a row)"), "%s", text);
    ck_assert_msg(!strstr(text, "8023571"), "the PIN in stderr:\n%s", text);
    free(text);
    n = wm_log_ring_copy(lines, WM_LOG_RING_LINES);
    ck_assert_uint_gt(n, 3);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(!strstr(lines[i], "8023571"), "the PIN in the ring: %s", lines[i]);
    /* no file of the booth holds it (the hash file holds its hash only) */
    snprintf(cmd, sizeof(cmd), "grep -rl 8023571 %s; true", root);
    grep = tu_run(cmd, &status);
    ck_assert_str_eq(grep, "");
    free(grep);
}
END_TEST

START_TEST(log_ring_keeps_the_newest_lines)
{
    static char lines[WM_LOG_RING_LINES + 8][WM_LOG_LINE_MAX];
    char longer[400];
    wm_log_level_t was = wm_log_get_level();
    size_t n;

    wm_log_set_level(WM_LOG_ERROR); /* stderr quiet; the ring still keeps info */
    wm_log_ring_clear();
    ck_assert_uint_eq(wm_log_ring_copy(lines, 8), 0);
    for (int i = 0; i < 200; i++)
        wm_log_info("line %d", i);
    wm_log_debug("not kept: debug is off");
    ck_assert_uint_eq(wm_log_ring_total(), 200);
    n = wm_log_ring_copy(lines, WM_LOG_RING_LINES + 8);
    ck_assert_uint_eq(n, WM_LOG_RING_LINES);
    ck_assert_str_eq(lines[0], "info: line 136");
    ck_assert_str_eq(lines[n - 1], "info: line 199");
    n = wm_log_ring_copy(lines, 3);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(lines[0], "info: line 197");
    ck_assert_str_eq(lines[2], "info: line 199");
    /* a long line is cut at a character, control characters go */
    memset(longer, 0, sizeof(longer));
    for (size_t i = 0; i + 2 < 300; i += 2)
        memcpy(longer + i, "\xC3\xA9", 2); /* é */
    wm_log_error("a\tb\n%s", longer);
    n = wm_log_ring_copy(lines, 1);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_lt(strlen(lines[0]), WM_LOG_LINE_MAX);
    ck_assert_uint_gt(strlen(lines[0]), WM_LOG_LINE_MAX - 4);
    ck_assert(strncmp(lines[0], "error: a b ", 11) == 0);
    for (size_t i = 11; lines[0][i]; i += 2)
        ck_assert_msg(memcmp(lines[0] + i, "\xC3\xA9", 2) == 0, "cut inside a character at %zu", i);
    wm_log_set_level(was);
}
END_TEST

static Suite *maint_suite(void)
{
    Suite *s = suite_create("maint");
    TCase *tc = tcase_create("maint");

    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, corner_gesture_through_pointer_events_opens_the_pin_pad, 0, 2);
    tcase_add_test(tc, corner_gesture_by_finger_on_a_rotated_panel);
    tcase_add_loop_test(tc, right_pin_enters_maintenance, 0, 2);
    tcase_add_test(tc, wrong_pins_lock_out_longer_even_across_a_restart);
    tcase_add_test(tc, no_pin_set_keeps_maintenance_closed);
    tcase_add_loop_test(tc, shows_the_printer_state, 0, 4);
    tcase_add_test(tc, test_print_sends_bytes_and_says_so);
    tcase_add_test(tc, idle_leaves_for_the_welcome_without_asking);
    tcase_add_test(tc, rollback_switches_to_the_previous_set);
    tcase_add_test(tc, rollback_without_previous_is_refused_and_changes_nothing);
    tcase_add_loop_test(tc, rollback_fault_at_every_step_leaves_old_or_new, 0, 3);
    tcase_add_test(tc, reinstall_takes_the_bundle_on_the_stick);
    tcase_add_test(tc, the_pin_is_in_no_log_and_no_file);
    tcase_add_test(tc, log_ring_keeps_the_newest_lines);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(maint_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
