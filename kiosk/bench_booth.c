/*
 * bench_booth.c: `waymark bench booth`: how the booth itself performs, on
 * the machine it runs on:
 *
 *   - time from process start to the first frame (a child `waymark run
 *     --headless`, timed from before its fork to its "first frame drawn"
 *     log line);
 *   - frame time p50 and p99 of every screen reachable by tapping, at
 *     1080x1920 with SDL's software renderer (each frame drawn whole);
 *   - peak memory (VmHWM) once every language has been shown;
 *   - CPU use of the idle loop over --idle-seconds (default 10).
 *
 * Measures and prints; the targets are printed beside the figures, never
 * asserted (timings depend on the machine).
 */
#include "commands.h"
#include "kiosk_bench.h"
#include "kiosk_private.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BOOTH_FRAMES       60 /* timed frames a screen */
#define BOOTH_SCREENS_MAX  24
#define BOOTH_DEPTH_MAX    4
#define BOOTH_TARGET_FIRST 130.0 /* ms */
#define BOOTH_TARGET_P99   16.0  /* ms */
#define BOOTH_TARGET_PEAK  40.0  /* MB */
#define BOOTH_TARGET_IDLE  1.0   /* % */

typedef struct {
    char name[48];
    double p50, p99;
} booth_screen_t;

typedef struct {
    kiosk_app_t *app;
    booth_screen_t screens[BOOTH_SCREENS_MAX];
    size_t count;
    int frames;
} booth_t;

static void booth_usage(FILE *f)
{
    fputs("usage: waymark bench booth [--content DIR] [--idle-seconds N] [--frames N]\n"
          "\n"
          "Prints the booth's time from process start to first frame, frame time p50 and\n"
          "p99 of each screen at 1080x1920 with SDL's software renderer, peak memory with\n"
          "every language shown, and CPU use over N idle seconds (default 10). Content:\n"
          "DIR, else $WAYMARK_CONTENT, else the factory content.\n",
          f);
}

static double now_ms(void)
{
    return kiosk_bench_now_ns() / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* A child booth's first frame, from before fork to its log line. */
static double booth_first_frame(const char *content)
{
    int fd[2];
    pid_t pid;
    double t0, t = -1;
    char buf[4096];
    size_t used = 0;

    if (pipe(fd) != 0)
        return -1;
    t0 = now_ms();
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        dup2(fd[1], 2);
        close(fd[0]);
        close(fd[1]);
        execl("/proc/self/exe", "waymark", "run", "--headless", "--exit-after-first-frame",
              "--log-level", "debug", "--content", content, (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    for (;;) {
        ssize_t n = read(fd[0], buf + used, sizeof(buf) - 1 - used);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        used += (size_t)n;
        buf[used] = '\0';
        if (t < 0 && strstr(buf, "first frame drawn"))
            t = now_ms() - t0;
        if (used > sizeof(buf) / 2) { /* keep the tail only */
            memmove(buf, buf + used - 64, 64);
            used = 64;
        }
    }
    close(fd[0]);
    waitpid(pid, NULL, 0);
    return t;
}

static void booth_time_screen(booth_t *b)
{
    const char *name = kiosk_app_screen_name(b->app);
    double *times;
    booth_screen_t *s;

    for (size_t i = 0; i < b->count; i++) {
        if (strcmp(b->screens[i].name, name) == 0)
            return;
    }
    if (b->count >= BOOTH_SCREENS_MAX || !(times = malloc(sizeof(double) * (size_t)b->frames)))
        return;
    kiosk_app_frame(b->app); /* warm */
    for (int i = 0; i < b->frames; i++) {
        double t0 = now_ms();

        b->app->dirty = true;
        kiosk_app_frame(b->app);
        times[i] = now_ms() - t0;
    }
    qsort(times, (size_t)b->frames, sizeof(double), cmp_double);
    s = &b->screens[b->count++];
    snprintf(s->name, sizeof(s->name), "%s", name);
    s->p50 = times[b->frames / 2];
    s->p99 = times[(b->frames * 99) / 100 < b->frames ? (b->frames * 99) / 100 : b->frames - 1];
    free(times);
}

/* Taps a widget by index through the script path. */
static bool booth_tap(booth_t *b, size_t index)
{
    kiosk_screen_t *top = kiosk_screen_stack_top(&b->app->stack);
    kiosk_script_cmd_t cmd = {.type = KIOSK_CMD_TAP_ID, .line = 1};
    kiosk_script_t script = {.name = "bench", .cmds = &cmd, .count = 1};

    if (!top || index >= top->widget_count)
        return false;
    snprintf(cmd.text, sizeof(cmd.text), "%s", top->widgets[index].id);
    return kiosk_app_exec(b->app, &script, &cmd) == WM_OK;
}

/* Every screen reachable by tapping, depth first, back after each. */
static void booth_explore(booth_t *b, int depth)
{
    kiosk_screen_t *top = kiosk_screen_stack_top(&b->app->stack);
    size_t n = top ? top->widget_count : 0, d0 = b->app->stack.depth;

    booth_time_screen(b);
    if (depth >= BOOTH_DEPTH_MAX)
        return;
    for (size_t i = 0; i < n && i < 6; i++) {
        if (!booth_tap(b, i))
            continue;
        if (b->app->stack.depth > d0) {
            booth_explore(b, depth + 1);
            while (b->app->stack.depth > d0)
                kiosk_app_back(b->app);
        }
    }
}

static double peak_mb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double kb = -1;

    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, "VmHWM:", 6) == 0)
            kb = strtod(line + 6, NULL);
    }
    fclose(f);
    return kb / 1024.0;
}

static Uint32 push_quit(Uint32 interval, void *param)
{
    SDL_Event ev;

    (void)interval;
    (void)param;
    memset(&ev, 0, sizeof(ev));
    ev.type = SDL_QUIT;
    SDL_PushEvent(&ev);
    return 0;
}

static double cpu_ms(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0;
}

int kiosk_bench_booth(int argc, char **argv)
{
    const char *content = getenv("WAYMARK_CONTENT");
    booth_t b = {.frames = BOOTH_FRAMES};
    kiosk_options_t o;
    long idle_s = 10;
    double first, peak, c0, w0, cpu, wall;
    size_t langs;

    if (!content || !*content)
        content = KIOSK_FACTORY_CONTENT;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end = NULL;

        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            booth_usage(stdout);
            return kiosk_bench_flush("waymark: bench booth");
        } else if (strcmp(argv[i], "--content") == 0 && v) {
            content = v;
            i++;
        } else if (strcmp(argv[i], "--idle-seconds") == 0 && v &&
                   (idle_s = strtol(v, &end, 10)) >= 1 && idle_s <= 600 && *end == '\0') {
            i++;
        } else if (strcmp(argv[i], "--frames") == 0 && v &&
                   (b.frames = (int)strtol(v, &end, 10)) >= 1 && b.frames <= 10000 &&
                   *end == '\0') {
            i++;
        } else {
            fprintf(stderr, "waymark: bench booth: bad option '%s'\n", argv[i]);
            booth_usage(stderr);
            return 2;
        }
    }
    first = booth_first_frame(content);

    kiosk_options_default(&o);
    o.headless = true;
    o.log_level = WM_LOG_ERROR;
    o.idle_timeout = KIOSK_MAX_IDLE_TIMEOUT;
    snprintf(o.content_dir, sizeof(o.content_dir), "%s", content);
    if (kiosk_app_create(&o, &b.app) != WM_OK) {
        fprintf(stderr, "waymark: bench booth: %s\n", wm_last_error());
        return 1;
    }
    booth_explore(&b, 0);
    /* every language shown: its screens laid out, its glyphs drawn */
    langs = content_language_count(b.app->content);
    for (size_t l = 0; l < langs; l++) {
        kiosk_screen_t *top;
        char id[KIOSK_WIDGET_ID_MAX];

        kiosk_app_finish_visit(b.app);
        kiosk_app_frame(b.app);
        top = kiosk_screen_stack_top(&b.app->stack);
        snprintf(id, sizeof(id), "lang-%s", content_language_tag(b.app->content, l));
        for (size_t i = 0; top && i < top->widget_count; i++) {
            if (strcmp(top->widgets[i].id, id) == 0 && booth_tap(&b, i)) {
                kiosk_app_frame(b.app);
                break;
            }
        }
    }
    kiosk_app_finish_visit(b.app);
    peak = peak_mb();

    /* the live loop with nobody there */
    b.app->virtual_clock = false;
    b.app->clock_ticks0 = SDL_GetTicks64();
    b.app->clock_ms0 = b.app->now_ms;
    SDL_AddTimer((Uint32)(idle_s * 1000), push_quit, NULL);
    c0 = cpu_ms();
    w0 = now_ms();
    kiosk_app_run(b.app);
    cpu = cpu_ms() - c0;
    wall = now_ms() - w0;

    printf("booth: first frame %.1f ms after process start (target < %.0f ms)\n", first,
           BOOTH_TARGET_FIRST);
    printf("booth: frame time at %dx%d, %s renderer, %d frames a screen:\n", o.width, o.height,
           "software", b.frames);
    for (size_t i = 0; i < b.count; i++)
        printf("  %-16s p50 %6.2f ms  p99 %6.2f ms%s\n", b.screens[i].name, b.screens[i].p50,
               b.screens[i].p99, b.screens[i].p99 < BOOTH_TARGET_P99 ? "" : "  (over target)");
    printf("booth: peak memory %.1f MB with %zu languages shown (target < %.0f MB)\n", peak, langs,
           BOOTH_TARGET_PEAK);
    printf("booth: idle CPU %.2f%% over %.1f s, %llu wake-ups (target < %.0f%%)\n",
           wall > 0 ? 100.0 * cpu / wall : 0.0, wall / 1000.0,
           (unsigned long long)kiosk_app_wakeups(b.app), BOOTH_TARGET_IDLE);
    kiosk_app_destroy(b.app);
    return kiosk_bench_flush("waymark: bench booth");
}
