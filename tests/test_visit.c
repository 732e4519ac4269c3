/*
 * test_visit.c: the end of a visit and what a visit leaves behind: "still
 * there?" and its countdown, finishing at once, the frame after a reset
 * equal to a fresh start's, no file touched and nothing chosen named in the
 * log; and content updates in the booth (store at start-up, bundles found
 * on a stick or in the inbox, installed without disturbing a person).
 *
 * Visits are driven generically (seeded random taps and drags over the
 * whole screen), so they walk whatever screens the booth has.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SDL.h>

#include "kiosk_private.h"
#include "testutil.h"

#define SAMPLE WAYMARK_SOURCE_DIR "/content/sample"

static kiosk_options_t opts_small(void)
{
    kiosk_options_t o;

    kiosk_options_default(&o);
    o.headless = true;
    o.width = 540;
    o.height = 960;
    o.log_level = WM_LOG_WARN;
    strcpy(o.content_dir, SAMPLE);
    return o;
}

static kiosk_app_t *app_new(const kiosk_options_t *o)
{
    kiosk_app_t *app = NULL;

    ck_assert_msg(kiosk_app_create(o, &app) == WM_OK, "app: %s", wm_last_error());
    return app;
}

static wm_status_t app_script(kiosk_app_t *app, const char *text)
{
    kiosk_script_t *s = NULL;
    wm_status_t st = WM_OK;

    ck_assert_msg(kiosk_script_parse(text, "t.script", &s) == WM_OK, "%s", wm_last_error());
    for (size_t i = 0; i < s->count && st == WM_OK; i++)
        st = kiosk_app_exec(app, s, &s->cmds[i]);
    kiosk_script_destroy(s);
    return st;
}

/* A seeded visit: taps and drags all over the screen, short waits (well
 * under the idle timeout), as script text. */
static char *visit_script(unsigned seed, int w, int h, int steps)
{
    size_t cap = (size_t)steps * 64 + 64, used = 0;
    char *buf = malloc(cap);

    ck_assert_ptr_nonnull(buf);
    buf[0] = '\0';
    srand(seed);
    for (int i = 0; i < steps; i++) {
        int x = rand() % w, y = rand() % h, k = rand() % 10;

        if (k < 6)
            used += (size_t)snprintf(buf + used, cap - used, "tap %d %d\nwait 300\n", x, y);
        else if (k < 9)
            used += (size_t)snprintf(buf + used, cap - used, "drag %d %d %d %d %d\n", x, y,
                                     rand() % w, rand() % h, 50 + rand() % 400);
        else
            used += (size_t)snprintf(buf + used, cap - used, "wait 2000\n");
    }
    return buf;
}

/* Starts a visit from the welcome screen: Arabic, from wherever its button
 * is (on the welcome screen, or after a tap anywhere). */
static void enter_visit(kiosk_app_t *app)
{
    if (strcmp(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME) == 0 &&
        app_script(app, "tap #lang-ar\n") != WM_OK) {
        app_script(app, "tap 270 480\n");
        app_script(app, "tap #lang-ar\n");
    }
    ck_assert_str_ne(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    ck_assert_uint_gt(kiosk_app_stack(app)->depth, 1);
}

/* The frame as a PNG, through the script's `shot`. */
static char *shot(kiosk_app_t *app, const char *dir, const char *name, size_t *len)
{
    char cmd[128], path[1024];

    snprintf(cmd, sizeof(cmd), "shot %s\n", name);
    ck_assert_msg(app_script(app, cmd) == WM_OK, "%s", wm_last_error());
    snprintf(path, sizeof(path), "%s/%s.png", dir, name);
    return tu_read_file(path, len);
}

static void expect_same_png(const char *a, size_t alen, const char *b, size_t blen,
                            const char *what)
{
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_msg(alen == blen && memcmp(a, b, alen) == 0, "%s: the frame differs", what);
}

/* ---- forgetting ---------------------------------------------------------- */

/* After a visit and "finish", the frame is a fresh start's, byte for byte;
 * the visit itself changed it (or the test would prove nothing). */
START_TEST(finish_frame_equals_fresh_start)
{
    kiosk_options_t o = opts_small();
    char dir[512], *fresh, *mid, *after, *script;
    size_t flen, mlen, alen;
    kiosk_app_t *app;

    snprintf(dir, sizeof(dir), "%s", tu_tmpdir());
    snprintf(o.screenshot_dir, sizeof(o.screenshot_dir), "%s", dir);
    o.rotate = (int)_i * 90;
    app = app_new(&o);
    fresh = shot(app, dir, "fresh", &flen);
    kiosk_app_destroy(app);

    app = app_new(&o);
    script = visit_script(7 + (unsigned)_i, o.width, o.height, 40);
    ck_assert_int_eq(app_script(app, script), WM_OK);
    free(script);
    enter_visit(app);
    mid = shot(app, dir, "mid", &mlen);
    ck_assert_msg(mlen != flen || memcmp(mid, fresh, flen) != 0, "the visit showed nothing");
    kiosk_app_finish_visit(app);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    ck_assert_uint_eq(kiosk_app_stack(app)->depth, 1);
    after = shot(app, dir, "after", &alen);
    expect_same_png(fresh, flen, after, alen, "after finish");
    kiosk_app_destroy(app);
    free(fresh);
    free(mid);
    free(after);
}
END_TEST

/* Left alone: "still there?" after the idle timeout, counting down; when it
 * runs out the visit is gone and the frame is a fresh start's. */
START_TEST(idle_asks_then_resets_to_fresh_start)
{
    kiosk_options_t o = opts_small();
    char dir[512], *fresh, *ask, *ask2, *after, wait[64];
    size_t flen, alen, a2len, len;
    kiosk_app_t *app;

    o.idle_timeout = 30;
    snprintf(dir, sizeof(dir), "%s", tu_tmpdir());
    snprintf(o.screenshot_dir, sizeof(o.screenshot_dir), "%s", dir);
    app = app_new(&o);
    fresh = shot(app, dir, "fresh", &flen);
    kiosk_app_destroy(app);

    app = app_new(&o);
    enter_visit(app);
    snprintf(wait, sizeof(wait), "wait %d\n", o.idle_timeout * 1000 - 10);
    ck_assert_int_eq(app_script(app, wait), WM_OK);
    ck_assert(!kiosk_app_asking(app));
    ck_assert_int_eq(app_script(app, "wait 20\n"), WM_OK);
    ck_assert(kiosk_app_asking(app));
    ck_assert_str_ne(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    ask = shot(app, dir, "ask", &alen);
    /* the countdown moves: a second later the frame differs */
    ck_assert_int_eq(app_script(app, "wait 1000\n"), WM_OK);
    ask2 = shot(app, dir, "ask2", &a2len);
    ck_assert(alen != a2len || memcmp(ask, ask2, alen) != 0);
    snprintf(wait, sizeof(wait), "wait %d\n", KIOSK_ASK_SECONDS * 1000);
    ck_assert_int_eq(app_script(app, wait), WM_OK);
    ck_assert(!kiosk_app_asking(app));
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    after = shot(app, dir, "after", &len);
    expect_same_png(fresh, flen, after, len, "after the idle reset");
    kiosk_app_destroy(app);
    free(fresh);
    free(ask);
    free(ask2);
    free(after);
}
END_TEST

/* Continue (or any touch) keeps the visit where it was, and the idle time
 * starts again. */
START_TEST(continue_keeps_the_visit)
{
    kiosk_options_t o = opts_small();
    kiosk_app_t *app;
    char wait[64];
    size_t depth;

    o.idle_timeout = 10;
    app = app_new(&o);
    enter_visit(app);
    depth = kiosk_app_stack(app)->depth;
    ck_assert_uint_gt(depth, 1);
    snprintf(wait, sizeof(wait), "wait %d\n", o.idle_timeout * 1000 + 3000);
    ck_assert_int_eq(app_script(app, wait), WM_OK);
    ck_assert(kiosk_app_asking(app));
    ck_assert_int_eq(app_script(app, "tap #" KIOSK_WIDGET_CONTINUE "\n"), WM_OK);
    ck_assert(!kiosk_app_asking(app));
    ck_assert_uint_eq(kiosk_app_stack(app)->depth, depth);
    /* the countdown would have ended by now: it was cancelled */
    ck_assert_int_eq(app_script(app, "wait 9000\n"), WM_OK);
    ck_assert(!kiosk_app_asking(app));
    ck_assert_uint_eq(kiosk_app_stack(app)->depth, depth);
    /* a touch anywhere answers too, without reaching the screen below */
    ck_assert_int_eq(app_script(app, "wait 2000\n"), WM_OK);
    ck_assert(kiosk_app_asking(app));
    ck_assert_int_eq(app_script(app, "tap 5 5\n"), WM_OK);
    ck_assert(!kiosk_app_asking(app));
    ck_assert_uint_eq(kiosk_app_stack(app)->depth, depth);
    kiosk_app_destroy(app);
}
END_TEST

/* Nothing chosen yet: no question, the welcome screen simply stays. */
START_TEST(idle_on_welcome_asks_nothing)
{
    kiosk_options_t o = opts_small();
    kiosk_app_t *app;

    o.idle_timeout = 10;
    app = app_new(&o);
    ck_assert_int_eq(app_script(app, "key Escape\nwait 10500\n"), WM_OK);
    ck_assert(!kiosk_app_asking(app));
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    kiosk_app_destroy(app);
}
END_TEST

/* ---- no trace ------------------------------------------------------------ */

/* Every log line written during a visit at debug level: none names a
 * language tag, an autonym, a screen or a widget the person used. */
static bool word_in(const char *hay, const char *word)
{
    size_t n = strlen(word);

    for (const char *p = strstr(hay, word); p; p = strstr(p + 1, word)) {
        bool left = p == hay || !((p[-1] >= 'a' && p[-1] <= 'z') || p[-1] == '-');
        bool right = !((p[n] >= 'a' && p[n] <= 'z') || p[n] == '-');

        if (left && right)
            return true;
    }
    return false;
}

START_TEST(visit_logs_nothing_chosen)
{
    kiosk_options_t o = opts_small();
    char log[1024], *text, *script;
    const char *seen[64];
    size_t nseen = 0;
    int fd, saved;
    kiosk_app_t *app;
    kiosk_script_t *s = NULL;
    off_t start;
    content_t *content;

    o.log_level = WM_LOG_DEBUG;
    o.idle_timeout = 20;
    ck_assert(content_load_dir(SAMPLE, &content) == WM_OK);
    snprintf(log, sizeof(log), "%s/log", tu_tmpdir());
    fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    fflush(stderr);
    saved = dup(2);
    dup2(fd, 2);
    app = app_new(&o);
    fflush(stderr);
    start = lseek(fd, 0, SEEK_CUR);
    /* every language in turn, then wandering, then the idle reset */
    for (size_t i = 0; i < content_language_count(content); i++) {
        char cmd[96];

        snprintf(cmd, sizeof(cmd), "tap #lang-%s\n", content_language_tag(content, i));
        app_script(app, cmd); /* the button may be on another screen */
        if (nseen < 60)
            seen[nseen++] = kiosk_app_screen_name(app);
        kiosk_app_finish_visit(app);
    }
    script = visit_script(11, o.width, o.height, 150);
    ck_assert(kiosk_script_parse(script, "v", &s) == WM_OK);
    for (size_t i = 0; i < s->count; i++) {
        kiosk_app_exec(app, s, &s->cmds[i]);
        if (nseen < 60 && strcmp(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME) != 0)
            seen[nseen++] = kiosk_app_screen_name(app);
    }
    kiosk_script_destroy(s);
    free(script);
    app_script(app, "wait 40000\n");
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(fd);
    text = tu_read_file(log, NULL);
    ck_assert_ptr_nonnull(text);
    for (size_t i = 0; i < content_language_count(content); i++) {
        const char *tag = content_language_tag(content, i);
        const char *autonym = content_string(content, i, "autonym");

        ck_assert_msg(!word_in(text + start, tag), "the log names '%s':\n%s", tag, text + start);
        ck_assert_msg(!autonym || !*autonym || !strstr(text + start, autonym), "the log names '%s'",
                      autonym);
    }
    for (size_t i = 0; i < content_service_count(content); i++) {
        char key[160];
        const char *name;

        snprintf(key, sizeof(key), "service.%s.name", content_service(content, i)->id);
        name = content_string(content, 0, key);

        ck_assert_msg(!name || !*name || !strstr(text + start, name), "the log names '%s'", name);
    }
    for (size_t i = 0; i < nseen; i++) {
        if (strcmp(seen[i], KIOSK_SCREEN_WELCOME) != 0)
            ck_assert_msg(!word_in(text + start, seen[i]), "the log names screen '%s':\n%s",
                          seen[i], text + start);
    }
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    kiosk_app_destroy(app);
    content_destroy(content);
    free(text);
}
END_TEST

/* A visit through every screen under strace: after the first frame the
 * booth opens nothing for writing, creates, renames or removes nothing,
 * and writes to no file (the data folder is read-only too). Skipped, with
 * a message, where ptrace is not allowed. */
START_TEST(visit_touches_no_file)
{
    char root[512], cmd[4096], path[1024], *out, *trace, *script, *line, *save = NULL;
    int status;
    bool after = false;
    size_t bad = 0, lines = 0;

    out = tu_run("strace -f -o /dev/null true 2>&1", &status);
    free(out);
    if (status != 0) {
        fprintf(stderr, "visit_touches_no_file: SKIPPED: strace cannot trace here (ptrace not "
                        "permitted)\n");
        return;
    }
    snprintf(root, sizeof(root), "%s", tu_tmpdir());
    /* a data folder the booth has opened once (its store's folders exist),
     * then read-only */
    snprintf(path, sizeof(path), "%s/usb", root);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    snprintf(path, sizeof(path), "%s/waymark.conf", root);
    snprintf(cmd, sizeof(cmd), "usb_roots = %s/usb\nkeys_dir = %s/keys\n", root, root);
    ck_assert_int_eq(tu_write_file(path, cmd), 0);
    snprintf(cmd, sizeof(cmd),
             "WAYMARK_CONTENT=%s %s run --headless --window 540x960 --config %s/waymark.conf "
             "--data-dir %s/data --exit-after-first-frame 2>&1",
             SAMPLE, WAYMARK_BINARY, root, root);
    out = tu_run(cmd, &status);
    ck_assert_msg(status == 0, "%s", out);
    free(out);
    snprintf(cmd, sizeof(cmd), "chmod -R a-w %s/data", root);
    out = tu_run(cmd, &status);
    free(out);

    script = visit_script(23, 540, 960, 200);
    {
        size_t n = strlen(script);
        char *full = malloc(n + 128);

        snprintf(full, n + 128, "tap #lang-ar\n%swait 200000\nquit\n", script);
        snprintf(path, sizeof(path), "%s/visit.script", root);
        ck_assert_int_eq(tu_write_file(path, full), 0);
        free(full);
    }
    free(script);
    snprintf(cmd, sizeof(cmd),
             "ASAN_OPTIONS=detect_leaks=0 WAYMARK_CONTENT=%s strace -f -y -s 64 -e "
             "trace=%%file,write -o %s/trace %s run "
             "--headless --window 540x960 --config %s/waymark.conf --data-dir %s/data "
             "--log-level debug --script %s/visit.script 2>%s/err",
             SAMPLE, root, WAYMARK_BINARY, root, root, root, root);
    out = tu_run(cmd, &status);
    snprintf(path, sizeof(path), "%s/err", root);
    ck_assert_msg(status == 0, "the visit failed: %s", tu_read_file(path, NULL));
    free(out);
    snprintf(cmd, sizeof(cmd), "chmod -R u+w %s/data", root);
    free(tu_run(cmd, &status));
    snprintf(path, sizeof(path), "%s/trace", root);
    trace = tu_read_file(path, NULL);
    ck_assert_ptr_nonnull(trace);
    for (line = strtok_r(trace, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        const char *call = strchr(line, ' ');

        if (!after) {
            after = strstr(line, "first frame drawn") != NULL;
            continue;
        }
        lines++;
        call = call ? call + 1 : line;
        if (strstr(call, "O_WRONLY") || strstr(call, "O_RDWR") || strstr(call, "O_CREAT") ||
            strncmp(call, "rename", 6) == 0 || strncmp(call, "unlink", 6) == 0 ||
            strncmp(call, "mkdir", 5) == 0 || strncmp(call, "rmdir", 5) == 0 ||
            strncmp(call, "link", 4) == 0 || strncmp(call, "symlink", 7) == 0 ||
            strncmp(call, "truncate", 8) == 0 || strncmp(call, "creat", 5) == 0 ||
            strncmp(call, "chmod", 5) == 0 || strncmp(call, "utime", 5) == 0 ||
            (strncmp(call, "write(", 6) == 0 && strstr(call, "</") &&
             strncmp(call, "write(1<", 8) != 0 && strncmp(call, "write(2<", 8) != 0 &&
             !strstr(call, "</dev/null>") && !strstr(call, "</dev/pts"))) {
            fprintf(stderr, "visit_touches_no_file: %s\n", line);
            bad++;
        }
    }
    ck_assert_msg(after, "the trace never shows the first frame");
    ck_assert_uint_gt(lines, 0);
    ck_assert_msg(bad == 0, "%zu file operations during the visit (listed above)", bad);
    free(trace);
}
END_TEST

/* ---- content updates ----------------------------------------------------- */

/* A signed bundle of the sample content at path (version v), keys in root. */
static void make_bundle(const char *root, const char *keyname, uint64_t v, const char *path)
{
    char sk[600], pk[600];
    content_seckey_t *key = NULL;
    content_bundle_build_opts_t bo = {.version = v};
    struct stat sb;

    snprintf(sk, sizeof(sk), "%s/%s.key", root, keyname);
    snprintf(pk, sizeof(pk), "%s/%s.pub", root, keyname);
    if (stat(sk, &sb) != 0)
        ck_assert_msg(content_minisign_keygen(sk, pk) == WM_OK, "%s", wm_last_error());
    ck_assert_int_eq(content_seckey_load(sk, NULL, &key), WM_OK);
    bo.keys[0] = key;
    bo.key_count = 1;
    ck_assert_msg(content_bundle_build(SAMPLE, path, &bo) == WM_OK, "%s", wm_last_error());
    content_seckey_destroy(key);
}

static kiosk_options_t opts_store(const char *root)
{
    kiosk_options_t o = opts_small();

    o.content_dir[0] = '\0';
    snprintf(o.data_dir, sizeof(o.data_dir), "%s/data", root);
    snprintf(o.usb_roots, sizeof(o.usb_roots), "%s/usb", root);
    snprintf(o.keys_dir, sizeof(o.keys_dir), "%s/staff.pub", root);
    setenv("WAYMARK_CONTENT", SAMPLE, 1);
    return o;
}

/* A stick with a new version while a person reads: they stay where they
 * are, staff read "installed", the next visit shows the new set, which is
 * committed once drawn. */
START_TEST(update_from_stick_waits_for_the_next_visit)
{
    char root[512], path[1024], stick[1024], wait[64];
    const char *text;
    kiosk_options_t o;
    kiosk_app_t *app;
    content_store_t *store;
    size_t depth;
    const char *screen;

    snprintf(root, sizeof(root), "%s", tu_tmpdir());
    snprintf(path, sizeof(path), "%s/usb", root);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    snprintf(path, sizeof(path), "%s/new" CONTENT_BUNDLE_EXT, root);
    make_bundle(root, "staff", 5, path);
    o = opts_store(root);
    app = app_new(&o);
    ck_assert_str_eq(kiosk_app_content_dir(app), SAMPLE); /* factory */
    ck_assert_int_eq(kiosk_app_update_state(app, &text), KIOSK_UPDATE_NONE);
    enter_visit(app);
    depth = kiosk_app_stack(app)->depth;
    screen = kiosk_app_screen_name(app);

    snprintf(stick, sizeof(stick), "%s/usb/new" CONTENT_BUNDLE_EXT, root);
    ck_assert_int_eq(rename(path, stick), 0);
    kiosk_app_check_updates(app);
    ck_assert_int_eq(kiosk_app_update_state(app, &text), KIOSK_UPDATE_INSTALLED);
    ck_assert_msg(strstr(text, "you can remove the stick"), "%s", text);
    /* the person is not thrown out */
    ck_assert_uint_eq(kiosk_app_stack(app)->depth, depth);
    ck_assert_str_eq(kiosk_app_screen_name(app), screen);
    ck_assert_str_eq(kiosk_app_content_dir(app), SAMPLE);
    /* the next visit shows it */
    kiosk_app_finish_visit(app);
    ck_assert_msg(strstr(kiosk_app_content_dir(app), "/bundles/"), "%s",
                  kiosk_app_content_dir(app));
    ck_assert_int_eq(app_script(app, "wait 10\n"), WM_OK); /* a frame: committed */
    snprintf(wait, sizeof(wait), "wait %d\n", KIOSK_UPDATE_SHOW_MS);
    ck_assert_int_eq(app_script(app, wait), WM_OK);
    ck_assert_int_eq(kiosk_app_update_state(app, &text), KIOSK_UPDATE_NONE);
    kiosk_app_destroy(app);
    ck_assert_int_eq(content_store_open(o.data_dir, SAMPLE, 0, &store), WM_OK);
    ck_assert_int_eq(content_store_origin(store), CONTENT_STORE_CURRENT);
    ck_assert_uint_eq(content_store_version(store), 5);
    ck_assert(!content_store_pending(store));
    ck_assert_uint_eq(content_store_highest(store), 5);
    content_store_destroy(store);
    /* the next start shows the installed set */
    app = app_new(&o);
    ck_assert_msg(strstr(kiosk_app_content_dir(app), "/bundles/"), "%s",
                  kiosk_app_content_dir(app));
    kiosk_app_destroy(app);
}
END_TEST

/* With nobody at the booth, an installed set shows at once. A bundle in
 * the inbox wakes the loop through the watcher's thread (no polling); one
 * signed by an unknown key is refused with its reason and removed from the
 * inbox; nothing changes. */
START_TEST(update_from_inbox_wakes_the_loop)
{
    char root[512], path[1024], inbox[1024];
    const char *text;
    kiosk_options_t o;
    kiosk_app_t *app;
    int spins = 0;
    struct stat sb;

    snprintf(root, sizeof(root), "%s", tu_tmpdir());
    snprintf(path, sizeof(path), "%s/usb", root);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    snprintf(path, sizeof(path), "%s/k" CONTENT_BUNDLE_EXT, root);
    make_bundle(root, "staff", 1, path);
    snprintf(path, sizeof(path), "%s/other" CONTENT_BUNDLE_EXT, root);
    make_bundle(root, "stranger", 9, path);
    o = opts_store(root);
    app = app_new(&o);
    snprintf(inbox, sizeof(inbox), "%s/data/inbox/other" CONTENT_BUNDLE_EXT, root);
    ck_assert_int_eq(rename(path, inbox), 0);
    while (kiosk_app_update_state(app, &text) != KIOSK_UPDATE_FAILED && spins++ < 500) {
        SDL_Delay(10);
        app_script(app, "wait 10\n");
    }
    ck_assert_int_eq(kiosk_app_update_state(app, &text), KIOSK_UPDATE_FAILED);
    ck_assert_msg(strncmp(text, "Not installed: ", 15) == 0 && strstr(text, "not trusted"), "%s",
                  text);
    ck_assert_int_ne(stat(inbox, &sb), 0); /* tried once, then removed */
    ck_assert_str_eq(kiosk_app_content_dir(app), SAMPLE);

    snprintf(path, sizeof(path), "%s/k" CONTENT_BUNDLE_EXT, root);
    snprintf(inbox, sizeof(inbox), "%s/data/inbox/k" CONTENT_BUNDLE_EXT, root);
    ck_assert_int_eq(rename(path, inbox), 0);
    spins = 0;
    while (kiosk_app_update_state(app, &text) != KIOSK_UPDATE_INSTALLED && spins++ < 500) {
        SDL_Delay(10);
        app_script(app, "wait 10\n");
    }
    ck_assert_int_eq(kiosk_app_update_state(app, &text), KIOSK_UPDATE_INSTALLED);
    ck_assert_msg(strstr(kiosk_app_content_dir(app), "/bundles/"), "%s",
                  kiosk_app_content_dir(app));
    kiosk_app_destroy(app);
}
END_TEST

/* "Finish" on home and on the print outcome ends the visit at once: the
 * next frame is a fresh start's. */
START_TEST(finish_button_ends_the_visit)
{
    kiosk_options_t o = opts_small();
    char dir[512], *fresh, *after;
    size_t flen, alen;
    kiosk_app_t *app;

    snprintf(dir, sizeof(dir), "%s", tu_tmpdir());
    snprintf(o.screenshot_dir, sizeof(o.screenshot_dir), "%s", dir);
    app = app_new(&o);
    fresh = shot(app, dir, "fresh", &flen);
    kiosk_app_destroy(app);

    app = app_new(&o);
    enter_visit(app);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_HOME);
    ck_assert_int_eq(app_script(app, "tap #text-size\ntap #finish\n"), WM_OK);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    after = shot(app, dir, "after-home", &alen);
    expect_same_png(fresh, flen, after, alen, "after finish on home");
    free(after);

    enter_visit(app);
    ck_assert_int_eq(app_script(app, "tap #cat-health\ntap #svc-clinic\ntap #print\n"), WM_OK);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_PRINT);
    ck_assert_int_eq(app_script(app, "tap #finish\n"), WM_OK);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    after = shot(app, dir, "after-print", &alen);
    expect_same_png(fresh, flen, after, alen, "after finish on the print outcome");
    free(after);
    free(fresh);
    kiosk_app_destroy(app);
}
END_TEST

/* "Finish" also drops the larger text and high contrast the person chose,
 * the slip composer, and the words and glyphs cached for the visit: after
 * a visit in Burmese the caches hold no more than a fresh start's. */
START_TEST(finish_forgets_settings_and_caches)
{
    kiosk_options_t o = opts_small();
    i18n_word_cache_stats_t w0, w1, w2;
    render_glyph_cache_stats_t g0, g1, g2;
    kiosk_app_t *app = app_new(&o);

    ck_assert_int_eq(app_script(app, "wait 10\n"), WM_OK);
    i18n_layout_word_cache_stats(app->layout, &w0);
    render_glyph_cache_stats(app->glyphs, &g0);
    if (app_script(app, "tap #lang-my\n") != WM_OK) {
        ck_assert_int_eq(app_script(app, "tap 270 480\n"), WM_OK);
        ck_assert_int_eq(app_script(app, "tap #lang-my\n"), WM_OK);
    }
    ck_assert_int_eq(app_script(app, "tap #text-size\ntap #text-size\ntap #contrast\n"
                                     "tap #cat-health\ntap #svc-clinic\ntap #print\n"),
                     WM_OK);
    ck_assert_int_gt(app->text_step, 0);
    ck_assert(app->high_contrast);
    ck_assert_ptr_nonnull(app->composer);
    i18n_layout_word_cache_stats(app->layout, &w1);
    render_glyph_cache_stats(app->glyphs, &g1);
    ck_assert_uint_gt(w1.entries, w0.entries);
    ck_assert_uint_gt(g1.entries, g0.entries);

    kiosk_app_finish_visit(app);
    ck_assert_int_eq(app_script(app, "wait 10\n"), WM_OK);
    ck_assert_int_eq(app->text_step, 0);
    ck_assert(!app->high_contrast);
    ck_assert_ptr_null(app->composer);
    i18n_layout_word_cache_stats(app->layout, &w2);
    render_glyph_cache_stats(app->glyphs, &g2);
    ck_assert_uint_le(w2.entries, w0.entries);
    ck_assert_uint_le(g2.entries, g0.entries);
    kiosk_app_destroy(app);
}
END_TEST

/* ---- printing beside the loop --------------------------------------------- */

static SDL_atomic_t slips_out;

static void count_slip(void *ctx, const hw_bitmap_t *job)
{
    (void)ctx;
    if (job && job->height > 0)
        SDL_AtomicIncRef(&slips_out);
}

/* Runs the loop's event handling until no slip is being sent (at most
 * 20 s of real time). */
static void drain_until_printed(kiosk_app_t *app)
{
    for (int i = 0; i < 2000 && kiosk_print_busy(app); i++) {
        kiosk_app_drain(app);
        SDL_Delay(10);
    }
    kiosk_app_drain(app);
    ck_assert(!kiosk_print_busy(app));
}

static kiosk_app_t *app_at_service(int w, int h)
{
    kiosk_options_t o = opts_small();
    kiosk_app_t *app;

    o.width = w;
    o.height = h;
    /* a slow printer: a slip takes about a second to go out */
    strcpy(o.printer, "sim:?speed=60&buffer=2048");
    app = app_new(&o);
    SDL_AtomicSet(&slips_out, 0);
    hw_printer_set_sim_sink(app->printer, count_slip, NULL);
    if (app_script(app, "tap #lang-en\n") != WM_OK) {
        ck_assert_int_eq(app_script(app, "tap 270 480\n"), WM_OK);
        ck_assert_int_eq(app_script(app, "tap #lang-en\n"), WM_OK);
    }
    ck_assert_int_eq(app_script(app, "tap #cat-health\ntap #svc-clinic\n"), WM_OK);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_SERVICE);
    return app;
}

/* A real tap on "print" with the real clock, as on a booth. */
static void tap_print(kiosk_app_t *app)
{
    const kiosk_screen_t *top = kiosk_screen_stack_top(&app->stack);
    const kiosk_widget_t *print = top ? kiosk_screen_find(top, "print") : NULL;
    SDL_Event ev;
    int wx, wy;

    ck_assert_ptr_nonnull(print);
    kiosk_view_to_window(&app->view, print->rect.x + print->rect.w / 2,
                         print->rect.y + print->rect.h / 2, &wx, &wy);
    app->virtual_clock = false;
    for (int k = 0; k < 2; k++) {
        memset(&ev, 0, sizeof(ev));
        ev.type = k ? SDL_MOUSEBUTTONUP : SDL_MOUSEBUTTONDOWN;
        ev.button.windowID = app->window_id;
        ev.button.button = SDL_BUTTON_LEFT;
        ev.button.state = k ? SDL_RELEASED : SDL_PRESSED;
        ev.button.clicks = 1;
        ev.button.x = wx;
        ev.button.y = wy;
        ck_assert_int_eq(SDL_PushEvent(&ev), 1);
    }
    kiosk_app_drain(app);
}

/* The slip goes out on a worker: the tap returns at once with "printing
 * your slip" on screen, the loop goes on, and the outcome replaces it. */
START_TEST(print_runs_beside_the_loop)
{
    kiosk_app_t *app = app_at_service(540, 960);
    uint64_t frames;

    tap_print(app);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_PRINT);
    ck_assert(kiosk_print_busy(app));
    ck_assert(app->print_pending);
    ck_assert_int_eq(SDL_AtomicGet(&slips_out), 0);
    frames = kiosk_app_frames(app);
    kiosk_app_frame(app);
    ck_assert_uint_gt(kiosk_app_frames(app), frames);
    drain_until_printed(app);
    ck_assert_int_eq(SDL_AtomicGet(&slips_out), 1);
    ck_assert(!app->print_pending);
    ck_assert_int_eq(app->print_outcome, KIOSK_PRINT_PRINTED);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_PRINT);
    kiosk_app_destroy(app);
}
END_TEST

/* A visit that ends while its slip is going out: the slip finishes (the
 * printer is left clean), but its outcome is not shown to the next
 * person; and the booth can stop meanwhile. */
START_TEST(print_outcome_stays_with_its_visit)
{
    kiosk_app_t *app = app_at_service(540, 960);

    tap_print(app);
    ck_assert(kiosk_print_busy(app));
    kiosk_app_finish_visit(app);
    ck_assert(!app->print_pending);
    drain_until_printed(app);
    ck_assert_int_eq(SDL_AtomicGet(&slips_out), 1);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    ck_assert_uint_eq(kiosk_app_stack(app)->depth, 1);
    ck_assert_int_ne(app->print_outcome, KIOSK_PRINT_PRINTED);
    kiosk_app_destroy(app);

    app = app_at_service(540, 960);
    tap_print(app);
    ck_assert(kiosk_print_busy(app));
    kiosk_app_destroy(app); /* waits for the slip */
    ck_assert_int_eq(SDL_AtomicGet(&slips_out), 1);
}
END_TEST

/* ---- speed --------------------------------------------------------------- */

/* Once warm, a frame allocates nothing: with every allocation made to fail,
 * a touch and its frames go through on the welcome screen and on the one a
 * visit opens. */
START_TEST(warm_frames_allocate_nothing)
{
    kiosk_options_t o = opts_small();
    kiosk_script_t *s = NULL;
    kiosk_app_t *app;

    if (!wm_fault_injection_available()) {
        fprintf(stderr,
                "warm_frames_allocate_nothing: SKIPPED: no fault injection in this build\n");
        return;
    }
    ck_assert_int_eq(kiosk_script_parse("tap 2 2\nwait 10\ndrag 2 2 3 40 100\n", "w", &s), WM_OK);
    app = app_new(&o);
    for (int round = 0; round < 2; round++) {
        uint64_t frames;

        for (int warm = 0; warm < 2; warm++) {
            for (size_t i = 0; i < s->count; i++)
                ck_assert_int_eq(kiosk_app_exec(app, s, &s->cmds[i]), WM_OK);
        }
        frames = kiosk_app_frames(app);
        wm_fault_alloc_after(0);
        for (size_t i = 0; i < s->count; i++)
            kiosk_app_exec(app, s, &s->cmds[i]);
        ck_assert_msg(!wm_fault_fired(), "a warm frame allocated (on the %s screen)",
                      kiosk_app_screen_name(app));
        wm_fault_reset();
        ck_assert_uint_gt(kiosk_app_frames(app), frames);
        if (round == 0)
            enter_visit(app);
    }
    kiosk_app_destroy(app);
    kiosk_script_destroy(s);
}
END_TEST

/* The booth's bench prints every figure it promises (the figures are
 * measured, not judged). */
START_TEST(bench_booth_prints_every_figure)
{
    char *out;
    int status;

    out = tu_run(WAYMARK_BINARY " bench booth --content " SAMPLE
                                " --idle-seconds 1 --frames 2 2>/dev/null",
                 &status);
    ck_assert_msg(status == 0, "%s", out);
    ck_assert_msg(strstr(out, "booth: first frame ") && strstr(out, " ms after process start"),
                  "%s", out);
    ck_assert_msg(strstr(out, "  welcome ") && strstr(out, " p50 ") && strstr(out, " p99 "), "%s",
                  out);
    ck_assert_msg(strstr(out, "booth: peak memory ") && strstr(out, "with 15 languages shown"),
                  "%s", out);
    ck_assert_msg(strstr(out, "booth: idle CPU ") && strstr(out, "% over "), "%s", out);
    free(out);
}
END_TEST

/* The keys for updates: mount roots (a list of absolute folders) and the
 * trusted keys. */
START_TEST(config_usb_roots_and_keys)
{
    kiosk_options_t o;

    kiosk_options_default(&o);
    ck_assert_str_eq(o.usb_roots, KIOSK_DEFAULT_USB_ROOTS);
    ck_assert_int_eq(
        kiosk_config_parse("usb_roots = /media/a , /mnt/b\nkeys_dir = /k.pub\n", "w.conf", &o),
        WM_OK);
    ck_assert_str_eq(o.usb_roots, "/media/a,/mnt/b");
    ck_assert_str_eq(o.keys_dir, "/k.pub");
    ck_assert_int_eq(kiosk_config_parse("usb_roots = media\n", "w.conf", &o), WM_EFORMAT);
    ck_assert_msg(strstr(wm_last_error(), "w.conf:1: usb_roots: 'media' is not an absolute folder"),
                  "%s", wm_last_error());
    ck_assert_int_eq(kiosk_config_parse("usb_roots = /1,/2,/3,/4,/5,/6,/7,/8,/9\n", "w.conf", &o),
                     WM_EFORMAT);
    ck_assert_str_eq(o.usb_roots, "/media/a,/mnt/b"); /* untouched */
}
END_TEST

static Suite *visit_suite(void)
{
    Suite *s = suite_create("visit");
    TCase *tc = tcase_create("forget");

    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, finish_frame_equals_fresh_start, 0, 2);
    tcase_add_test(tc, idle_asks_then_resets_to_fresh_start);
    tcase_add_test(tc, continue_keeps_the_visit);
    tcase_add_test(tc, idle_on_welcome_asks_nothing);
    tcase_add_test(tc, finish_forgets_settings_and_caches);
    tcase_add_test(tc, finish_button_ends_the_visit);
    suite_add_tcase(s, tc);
    tc = tcase_create("print");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, print_runs_beside_the_loop);
    tcase_add_test(tc, print_outcome_stays_with_its_visit);
    suite_add_tcase(s, tc);
    tc = tcase_create("trace");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, visit_logs_nothing_chosen);
    tcase_add_test(tc, visit_touches_no_file);
    suite_add_tcase(s, tc);
    tc = tcase_create("speed");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, warm_frames_allocate_nothing);
    tcase_add_test(tc, bench_booth_prints_every_figure);
    suite_add_tcase(s, tc);
    tc = tcase_create("update");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, update_from_stick_waits_for_the_next_visit);
    tcase_add_test(tc, update_from_inbox_wakes_the_loop);
    tcase_add_test(tc, config_usb_roots_and_keys);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(visit_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
