/*
 * test_ops.c: operations as a crew and systemd see them: the alert rules
 * (promtool), the units (systemd-analyze), the messages systemd gets
 * through a fake NOTIFY_SOCKET (READY=1 after the first frame, WATCHDOG=1
 * at the asked rate, none from a stuck loop), the hidden gesture (opens on
 * the corners in order, never on 100,000 random touches), and the
 * maintenance PIN (right enters, wrong ones lock out longer and longer on a
 * virtual clock and across a restart, the PIN found in no file, log or
 * argument).
 */
#define _GNU_SOURCE /* setenv, kill */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kiosk_private.h"
#include "ops.h"
#include "testutil.h"

#define DEPLOY WAYMARK_SOURCE_DIR "/kiosk/deploy"
#define PIN    "4821"

/* ---- helpers ------------------------------------------------------------ */

static bool have_tool(const char *name)
{
    char cmd[256];
    int st;
    char *out;

    snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", name);
    out = tu_run(cmd, &st);
    free(out);
    return st == 0;
}

/* A datagram socket bound where NOTIFY_SOCKET will point. */
static int notify_socket_open(const char *dir)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

    ck_assert_int_ge(fd, 0);
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/notify", dir);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    ck_assert_int_eq(setenv("NOTIFY_SOCKET", sa.sun_path, 1), 0);
    return fd;
}

/* The next message within timeout_ms into buf ("" when none came). */
static const char *notify_next(int fd, int timeout_ms, char *buf, size_t size)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    ssize_t n;

    buf[0] = '\0';
    if (poll(&p, 1, timeout_ms) <= 0)
        return buf;
    n = recv(fd, buf, size - 1, MSG_DONTWAIT);
    buf[n > 0 ? n : 0] = '\0';
    return buf;
}

/* Messages queued now, counted by kind. */
static void notify_drain(int fd, int *ready, int *watchdog, int *other)
{
    char buf[512];

    while (*notify_next(fd, 0, buf, sizeof(buf))) {
        if (strstr(buf, "READY=1"))
            (*ready)++;
        else if (strcmp(buf, "WATCHDOG=1") == 0)
            (*watchdog)++;
        else
            (*other)++;
    }
}

/* Whether any file under dir holds needle. */
static bool tree_holds(const char *dir, const char *needle)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    bool found = false;

    ck_assert_ptr_nonnull(d);
    while (!found && (e = readdir(d))) {
        char path[1024];
        struct stat sb;

        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (lstat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            found = tree_holds(path, needle);
        } else if (S_ISREG(sb.st_mode)) {
            size_t len;
            char *text = tu_read_file(path, &len);

            found = text && memmem(text, len, needle, strlen(needle)) != NULL;
            free(text);
        }
    }
    closedir(d);
    return found;
}

/* ---- fleet and units ---------------------------------------------------- */

START_TEST(alert_rules_pass_promtool)
{
    char *out;
    int st;

    if (!have_tool("promtool")) {
        fprintf(stderr, "test_ops: promtool not installed: alert rules not checked\n");
        return;
    }
    out = tu_run("cd " DEPLOY " && promtool check rules alerts.yml 2>&1", &st);
    ck_assert_msg(st == 0 && strstr(out, "SUCCESS: 8 rules found"), "%s", out);
    free(out);
    out = tu_run("cd " DEPLOY " && promtool test rules alerts_test.yml 2>&1", &st);
    ck_assert_msg(st == 0 && strstr(out, "SUCCESS"), "%s", out);
    free(out);
}
END_TEST

/* systemd-analyze verify warns on stderr (and still exits 0) for a bad
 * value: nothing at all may be said. The binary's path is put in for
 * /usr/bin/waymark, which verify insists exists. */
START_TEST(units_pass_systemd_analyze_verify)
{
    static const char *const units[] = {"waymark.service", "waymark-status.service",
                                        "waymark-status.timer", "waymark-usb@.service"};
    const char *dir = tu_tmpdir();
    char cmd[4096], list[2048] = "";
    char *out;
    int st;

    if (!have_tool("systemd-analyze")) {
        fprintf(stderr, "test_ops: systemd-analyze not installed: units not checked\n");
        return;
    }
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        snprintf(cmd, sizeof(cmd), "sed 's#/usr/bin/waymark#%s#g' %s/%s > %s/%s", WAYMARK_BINARY,
                 DEPLOY, units[i], dir, units[i]);
        out = tu_run(cmd, &st);
        free(out);
        ck_assert_int_eq(st, 0);
        snprintf(list + strlen(list), sizeof(list) - strlen(list), " %s/%s", dir, units[i]);
    }
    snprintf(cmd, sizeof(cmd), "systemd-analyze verify --man=no%s 2>&1", list);
    out = tu_run(cmd, &st);
    ck_assert_msg(st == 0 && out[0] == '\0', "systemd-analyze verify:\n%s", out);
    free(out);
    /* what the unit promises */
    out = tu_read_file(DEPLOY "/waymark.service", NULL);
    ck_assert_ptr_nonnull(strstr(out, "\nType=notify\n"));
    ck_assert_ptr_nonnull(strstr(out, "\nWatchdogSec="));
    ck_assert_ptr_nonnull(strstr(out, "\nRestart=always\n"));
    ck_assert_ptr_nonnull(strstr(out, "\nProtectSystem=strict\n"));
    ck_assert_ptr_nonnull(strstr(out, "\nStateDirectory=waymark\n"));
    free(out);
}
END_TEST

/* ---- systemd's messages ------------------------------------------------- */

/* On the loop's virtual clock, WATCHDOG_USEC=2 s: nothing before the first
 * frame, READY=1 once, then a ping every second; a loop stuck for 10 s
 * sends nothing meanwhile and one ping (not a burst) when it comes back. */
START_TEST(notify_ready_after_first_frame_then_watchdog_at_the_rate)
{
    int fd = notify_socket_open(tu_tmpdir());
    int ready = 0, watchdog = 0, other = 0;
    kiosk_notify_t n;
    uint64_t t = 5000, deadline;

    if (!kiosk_notify_available()) {
        fprintf(stderr, "test_ops: built without libsystemd: notify not checked\n");
        close(fd);
        return;
    }
    setenv("WATCHDOG_USEC", "2000000", 1);
    unsetenv("WATCHDOG_PID");
    kiosk_notify_init(&n);
    for (int i = 0; i < 100; i++)
        kiosk_notify_tick(&n, t + (uint64_t)i * 100); /* start-up: no frame yet */
    ck_assert(!kiosk_notify_deadline(&n, &deadline));
    notify_drain(fd, &ready, &watchdog, &other);
    ck_assert_int_eq(ready + watchdog + other, 0);

    t += 10000;
    kiosk_notify_frame(&n, t);
    kiosk_notify_frame(&n, t + 16); /* later frames say nothing */
    notify_drain(fd, &ready, &watchdog, &other);
    ck_assert_int_eq(ready, 1);
    ck_assert_int_eq(watchdog, 0);
    ck_assert(kiosk_notify_deadline(&n, &deadline));
    ck_assert_uint_eq(deadline, t + 1000);

    /* 60 s of a loop turning every 10 ms: 60 pings (read as they come:
     * the socket's queue is short, as systemd reads at once) */
    for (uint64_t ms = 10; ms <= 60000; ms += 10) {
        kiosk_notify_tick(&n, t + ms);
        notify_drain(fd, &ready, &watchdog, &other);
    }
    ck_assert_int_eq(watchdog, 60);
    t += 60000;

    /* stuck for 10 s: nothing; back: one ping, then the rate again */
    watchdog = 0;
    t += 10000;
    notify_drain(fd, &ready, &watchdog, &other);
    ck_assert_int_eq(watchdog, 0);
    kiosk_notify_tick(&n, t);
    kiosk_notify_tick(&n, t + 1);
    notify_drain(fd, &ready, &watchdog, &other);
    ck_assert_int_eq(watchdog, 1);
    kiosk_notify_stopping(&n);
    notify_drain(fd, &ready, &watchdog, &other);
    ck_assert_int_eq(other, 1);
    ck_assert_int_eq(ready, 1);
    close(fd);
}
END_TEST

/* The booth itself, headless, WATCHDOG_USEC=200 ms: READY=1 first, pings
 * from its loop; stopped (SIGSTOP: a loop that hangs) it sends none; going
 * on it pings again; SIGTERM ends it with STOPPING=1. */
START_TEST(booth_pings_systemd_and_a_stuck_loop_stops_the_pings)
{
    const char *dir = tu_tmpdir();
    char data[1024], conf[1024], buf[512];
    int fd, ready = 0, watchdog = 0, other = 0, status;
    pid_t pid;

    if (!kiosk_notify_available()) {
        fprintf(stderr, "test_ops: built without libsystemd: notify not checked\n");
        return;
    }
    fd = notify_socket_open(dir);
    snprintf(data, sizeof(data), "%s/data", dir);
    ck_assert_int_eq(mkdir(data, 0700), 0);
    snprintf(conf, sizeof(conf), "%s/waymark.conf", dir);
    ck_assert_int_eq(tu_write_file(conf, "# nothing set\n"), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        setenv("WATCHDOG_USEC", "200000", 1);
        setenv("WAYMARK_CONTENT", WAYMARK_SOURCE_DIR "/content/sample", 1);
        setenv("WAYMARK_CONFIG", conf, 1);
        unsetenv("WATCHDOG_PID");
        execl(WAYMARK_BINARY, "waymark", "run", "--headless", "--window", "360x640", "--data-dir",
              data, "--log-level", "error", (char *)NULL);
        _exit(127);
    }
    /* the first message is READY=1 (start-up may be slow under ASan) */
    ck_assert_str_eq(notify_next(fd, 60000, buf, sizeof(buf)),
                     "READY=1\nSTATUS=showing the welcome screen");
    for (int i = 0; i < 3; i++)
        ck_assert_str_eq(notify_next(fd, 5000, buf, sizeof(buf)), "WATCHDOG=1");

    ck_assert_int_eq(kill(pid, SIGSTOP), 0);
    ck_assert_int_eq(waitpid(pid, &status, WUNTRACED), pid);
    notify_drain(fd, &ready, &watchdog, &other); /* sent before it stopped */
    watchdog = 0;
    ck_assert_str_eq(notify_next(fd, 1500, buf, sizeof(buf)), "");

    ck_assert_int_eq(kill(pid, SIGCONT), 0);
    ck_assert_str_eq(notify_next(fd, 5000, buf, sizeof(buf)), "WATCHDOG=1");
    ck_assert_int_eq(kill(pid, SIGTERM), 0);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "booth ended with %d", status);
    notify_drain(fd, &ready, &watchdog, &other);
    ck_assert_int_eq(ready, 0);
    ck_assert_int_eq(other, 1); /* STOPPING=1 */
    close(fd);
}
END_TEST

/* ---- fullscreen -------------------------------------------------------- */

static void push_window_event(kiosk_app_t *app, Uint8 what)
{
    SDL_Event ev = {.type = SDL_WINDOWEVENT};

    ev.window.windowID = app->window_id;
    ev.window.event = what;
    ck_assert_int_eq(SDL_PushEvent(&ev), 1);
}

/* A window closed from the desktop (Alt+F4) leaves a windowed booth and
 * not a fullscreen one; SIGTERM's SDL_QUIT ends both. */
START_TEST(closing_the_window_is_ignored_in_fullscreen)
{
    kiosk_options_t o;
    kiosk_app_t *app = NULL;
    SDL_Event quit = {.type = SDL_QUIT};

    kiosk_options_default(&o);
    o.headless = true;
    o.width = 240;
    o.height = 320;
    o.log_level = WM_LOG_ERROR;
    strcpy(o.content_dir, WAYMARK_SOURCE_DIR "/content/sample");
    ck_assert_msg(kiosk_app_create(&o, &app) == WM_OK, "%s", wm_last_error());
    app->display.fullscreen = true;
    push_window_event(app, SDL_WINDOWEVENT_CLOSE);
    kiosk_app_drain(app);
    ck_assert(!kiosk_app_quit_requested(app));
    app->display.fullscreen = false;
    push_window_event(app, SDL_WINDOWEVENT_CLOSE);
    kiosk_app_drain(app);
    ck_assert(kiosk_app_quit_requested(app));
    app->quit = false;
    app->display.fullscreen = true;
    ck_assert_int_eq(SDL_PushEvent(&quit), 1);
    kiosk_app_drain(app);
    ck_assert(kiosk_app_quit_requested(app));
    kiosk_app_destroy(app);
}
END_TEST

/* ---- the hidden gesture ------------------------------------------------- */

static bool hold(kiosk_gesture_t *g, int x, int y, uint64_t *t, uint64_t ms)
{
    bool done = kiosk_gesture_feed(g, KIOSK_TOUCH_DOWN, x, y, *t);

    done |= kiosk_gesture_feed(g, KIOSK_TOUCH_MOVE, x + 2, y + 1, *t + ms / 2);
    *t += ms;
    done |= kiosk_gesture_feed(g, KIOSK_TOUCH_UP, x + 2, y + 1, *t);
    *t += 500;
    return done;
}

START_TEST(gesture_opens_on_the_corners_in_order_only)
{
    kiosk_gesture_t g;
    uint64_t t = 1000;

    kiosk_gesture_init(&g, 1080, 1920);
    ck_assert(!hold(&g, 10, 10, &t, 2100));
    ck_assert(!hold(&g, 1070, 1910, &t, 2100));
    ck_assert(hold(&g, 20, 30, &t, 2100));

    /* wrong order, too short, too slow between presses, a slide out */
    ck_assert(!hold(&g, 1070, 1910, &t, 2100));
    ck_assert(!hold(&g, 10, 10, &t, 2100));
    ck_assert(!hold(&g, 10, 10, &t, 2100));
    ck_assert(!hold(&g, 10, 10, &t, 1900)); /* too short: starts over */
    ck_assert(!hold(&g, 1070, 1910, &t, 2100));
    ck_assert(!hold(&g, 10, 10, &t, 2100));
    ck_assert(!hold(&g, 10, 10, &t, 2100));
    ck_assert(!hold(&g, 1070, 1910, &t, 2100));
    t += KIOSK_GESTURE_GAP_MS;
    ck_assert(!hold(&g, 10, 10, &t, 2100)); /* came too late */
    ck_assert(!hold(&g, 10, 10, &t, 2100));
    ck_assert(!hold(&g, 1070, 1910, &t, 2100));
    ck_assert(!kiosk_gesture_feed(&g, KIOSK_TOUCH_DOWN, 10, 10, t));
    ck_assert(!kiosk_gesture_feed(&g, KIOSK_TOUCH_MOVE, 540, 960, t + 100));
    ck_assert(!kiosk_gesture_feed(&g, KIOSK_TOUCH_MOVE, 10, 10, t + 200));
    ck_assert(!kiosk_gesture_feed(&g, KIOSK_TOUCH_UP, 10, 10, t + 2500));
    t += 3000;
    /* and it still opens after all that */
    ck_assert(!hold(&g, 10, 10, &t, 2100));
    ck_assert(!hold(&g, 1070, 1910, &t, 2100));
    ck_assert(hold(&g, 10, 10, &t, 2100));
}
END_TEST

static uint64_t rnd_state = 0x9e3779b97f4a7c15u;

static uint32_t rnd(uint32_t n)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return (uint32_t)(rnd_state % n);
}

/* 100,000 touch events from a seeded generator harder on the recogniser
 * than visitors: a quarter of the presses near a corner, long presses
 * common, short gaps. None opens maintenance mode. */
START_TEST(gesture_is_not_made_by_100000_random_touches)
{
    kiosk_gesture_t g;
    uint64_t t = 0;
    int events = 0, opened = 0, corner_holds = 0;

    kiosk_gesture_init(&g, 1080, 1920);
    while (events < 100000) {
        int x, y, moves;
        uint64_t held;

        if (rnd(4) == 0) {
            int c = (int)rnd(4);

            x = (int)rnd(150);
            y = (int)rnd(150);
            x = (c & 1) ? 1079 - x : x;
            y = (c & 2) ? 1919 - y : y;
        } else {
            x = (int)rnd(1080);
            y = (int)rnd(1920);
        }
        t += 50 + rnd(5000);
        opened += kiosk_gesture_feed(&g, KIOSK_TOUCH_DOWN, x, y, t);
        events++;
        moves = (int)rnd(4);
        held = 20 + rnd(4000);
        for (int m = 0; m < moves; m++) {
            x += (int)rnd(41) - 20;
            y += (int)rnd(41) - 20;
            opened += kiosk_gesture_feed(&g, KIOSK_TOUCH_MOVE, x, y, t + held * (m + 1) / 5);
            events++;
        }
        t += held;
        if (held >= KIOSK_GESTURE_HOLD_MS && x < 86 && y < 86)
            corner_holds++;
        opened += kiosk_gesture_feed(&g, KIOSK_TOUCH_UP, x, y, t);
        events++;
    }
    ck_assert_int_eq(opened, 0);
    /* the run did hold the first corner long, many times */
    ck_assert_int_gt(corner_holds, 100);
}
END_TEST

/* ---- the maintenance PIN ------------------------------------------------ */

static void pin_hash_in(const char *dir, char *path, size_t size)
{
    snprintf(path, size, "%s/maintenance.pin", dir);
    ck_assert_msg(kiosk_pin_set(path, PIN, strlen(PIN)) == WM_OK, "%s", wm_last_error());
}

START_TEST(pin_right_enters_wrong_ones_lock_out_longer_even_across_a_restart)
{
    const char *dir = tu_tmpdir();
    char hash[1024], log[1100];
    kiosk_pin_t p;
    uint64_t t = 1796140000000ull, wait;
    int saved = dup(STDERR_FILENO), lf;

    pin_hash_in(dir, hash, sizeof(hash));
    snprintf(log, sizeof(log), "%s/log", dir);
    lf = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(lf, 0);
    fflush(stderr);
    dup2(lf, STDERR_FILENO); /* the log, to look for the PIN in it */

    kiosk_pin_open(&p, hash, dir);
    ck_assert_int_eq(kiosk_pin_try(&p, PIN, strlen(PIN), t, &wait), KIOSK_PIN_RIGHT);
    ck_assert_int_eq(kiosk_pin_try(&p, "1234", 4, t, &wait), KIOSK_PIN_WRONG);
    ck_assert_uint_eq(wait, 0);
    ck_assert_int_eq(kiosk_pin_try(&p, "48210", 5, t, &wait), KIOSK_PIN_WRONG);
    ck_assert_uint_eq(wait, 0);
    ck_assert_int_eq(kiosk_pin_try(&p, "482", 3, t, &wait), KIOSK_PIN_WRONG);
    ck_assert_uint_eq(wait, 30000);
    /* locked: even the right PIN is not looked at */
    ck_assert_int_eq(kiosk_pin_try(&p, PIN, strlen(PIN), t + 29999, &wait), KIOSK_PIN_LOCKED);
    ck_assert_uint_eq(wait, 1);
    t += 30000;
    ck_assert_int_eq(kiosk_pin_try(&p, "0000", 4, t, &wait), KIOSK_PIN_WRONG);
    ck_assert_uint_eq(wait, 60000);
    t += 60000;
    ck_assert_int_eq(kiosk_pin_try(&p, "0000", 4, t, &wait), KIOSK_PIN_WRONG);
    ck_assert_uint_eq(wait, 120000);

    /* a restart: the same lock-out, read back from the data folder */
    kiosk_pin_open(&p, hash, dir);
    ck_assert_uint_eq(p.failures, 5);
    ck_assert_int_eq(kiosk_pin_try(&p, PIN, strlen(PIN), t + 119000, &wait), KIOSK_PIN_LOCKED);
    ck_assert_uint_eq(wait, 1000);
    t += 120000;
    ck_assert_int_eq(kiosk_pin_try(&p, PIN, strlen(PIN), t, &wait), KIOSK_PIN_RIGHT);
    kiosk_pin_open(&p, hash, dir);
    ck_assert_uint_eq(p.failures, 0);
    ck_assert_int_eq(kiosk_pin_try(&p, "9999", 4, t, &wait), KIOSK_PIN_WRONG);
    ck_assert_uint_eq(wait, 0);
    /* the delays grow to an hour and stay there */
    ck_assert_uint_eq(kiosk_pin_delay_ms(2), 0);
    ck_assert_uint_eq(kiosk_pin_delay_ms(7), 16u * 30000u);
    ck_assert_uint_eq(kiosk_pin_delay_ms(1000), 3600000u);

    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    close(lf);
    /* the log said what happened, and the PIN is nowhere but in its hash */
    {
        char *text = tu_read_file(log, NULL);

        ck_assert_ptr_nonnull(strstr(text, "wrong PIN (5 in a row)"));
        free(text);
        text = tu_read_file(hash, NULL);
        ck_assert_msg(strncmp(text, "$argon2id$", 10) == 0, "%s", text);
        free(text);
    }
    ck_assert(!tree_holds(dir, PIN));
}
END_TEST

START_TEST(pin_file_others_may_read_or_write_is_refused)
{
    const char *dir = tu_tmpdir();
    char hash[1024];
    kiosk_pin_t p;
    struct stat sb;

    pin_hash_in(dir, hash, sizeof(hash));
    ck_assert_int_eq(stat(hash, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 0777, 0640);
    ck_assert_int_eq(kiosk_pin_file_check(hash), WM_OK);
    chmod(hash, 0644);
    ck_assert_int_eq(kiosk_pin_file_check(hash), WM_EINVAL);
    ck_assert_ptr_nonnull(strstr(wm_last_error(), "readable by everyone"));
    kiosk_pin_open(&p, hash, dir);
    ck_assert_int_eq(kiosk_pin_try(&p, PIN, strlen(PIN), 1000, NULL), KIOSK_PIN_UNSET);
    chmod(hash, 0660);
    ck_assert_int_eq(kiosk_pin_file_check(hash), WM_EINVAL);
    unlink(hash);
    ck_assert_int_eq(kiosk_pin_file_check(hash), WM_ENOENT);
    ck_assert_int_eq(kiosk_pin_try(&p, PIN, strlen(PIN), 1000, NULL), KIOSK_PIN_UNSET);
}
END_TEST

/* `waymark pin set` takes the PIN from stdin only: given as an argument it
 * is refused without being repeated; from stdin only its hash is written. */
START_TEST(pin_set_reads_stdin_never_arguments)
{
    const char *dir = tu_tmpdir();
    char cmd[2048], hash[1024];
    char *out;
    int st;
    kiosk_pin_t p;

    snprintf(hash, sizeof(hash), "%s/m.pin", dir);
    snprintf(cmd, sizeof(cmd), "%s pin set --file %s " PIN " 2>&1 </dev/null", WAYMARK_BINARY,
             hash);
    out = tu_run(cmd, &st);
    ck_assert_int_eq(st, 2);
    ck_assert_msg(!strstr(out, PIN), "the PIN was repeated: %s", out);
    ck_assert_int_eq(access(hash, F_OK), -1);
    free(out);

    snprintf(cmd, sizeof(cmd), "printf '12a4\\n' | %s pin set --file %s 2>&1", WAYMARK_BINARY,
             hash);
    out = tu_run(cmd, &st);
    ck_assert_int_eq(st, 1);
    ck_assert_int_eq(access(hash, F_OK), -1);
    free(out);

    snprintf(cmd, sizeof(cmd), "printf '" PIN "\\n' | %s pin set --file %s 2>&1", WAYMARK_BINARY,
             hash);
    out = tu_run(cmd, &st);
    ck_assert_msg(st == 0, "%s", out);
    ck_assert_msg(!strstr(out, PIN), "the PIN was repeated: %s", out);
    free(out);
    ck_assert(!tree_holds(dir, PIN));
    kiosk_pin_open(&p, hash, dir);
    ck_assert_int_eq(kiosk_pin_try(&p, PIN, strlen(PIN), 1000, NULL), KIOSK_PIN_RIGHT);
    ck_assert_int_eq(kiosk_pin_try(&p, "4822", 4, 1000, NULL), KIOSK_PIN_WRONG);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ops");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, alert_rules_pass_promtool);
    tcase_add_test(tc, units_pass_systemd_analyze_verify);
    tcase_add_test(tc, notify_ready_after_first_frame_then_watchdog_at_the_rate);
    tcase_add_test(tc, booth_pings_systemd_and_a_stuck_loop_stops_the_pings);
    tcase_add_test(tc, closing_the_window_is_ignored_in_fullscreen);
    tcase_add_test(tc, gesture_opens_on_the_corners_in_order_only);
    tcase_add_test(tc, gesture_is_not_made_by_100000_random_touches);
    tcase_add_test(tc, pin_right_enters_wrong_ones_lock_out_longer_even_across_a_restart);
    tcase_add_test(tc, pin_file_others_may_read_or_write_is_refused);
    tcase_add_test(tc, pin_set_reads_stdin_never_arguments);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
