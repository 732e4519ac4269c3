/*
 * bench_booth.c: `waymark bench booth`: how the booth itself performs, on
 * the machine it runs on:
 *
 *   - time from process start to the first frame (a child `waymark run
 *     --headless`, timed from before its fork to its "first frame drawn"
 *     log line);
 *   - frame time p50 and p99 of every visitor screen reachable by tapping,
 *     at 1080x1920 with SDL's software renderer, wall clock and the
 *     drawing thread's CPU time (less noisy on a shared machine): a whole
 *     frame (a screen entered), and a button's pressed feedback (the
 *     button alone redrawn);
 *   - peak memory (VmHWM) once every language has been shown;
 *   - CPU use of the idle loop over --idle-seconds (default 10).
 *
 * The load average before and after is printed with the figures.
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

#define BOOTH_FRAMES       60 /* timed frames a screen, of each kind */
#define BOOTH_SCREENS_MAX  24
#define BOOTH_DEPTH_MAX    6
#define BOOTH_TARGET_FIRST 130.0 /* ms */
#define BOOTH_TARGET_P99   16.0  /* ms */
#define BOOTH_TARGET_PEAK  40.0  /* MB */
#define BOOTH_TARGET_IDLE  1.0   /* % */

typedef struct {
    double p50, p99;         /* wall clock, ms */
    double cpu_p50, cpu_p99; /* this thread's CPU time, ms */
} booth_times_t;

typedef struct {
    char name[48];
    booth_times_t full;   /* the whole screen drawn (entering it) */
    booth_times_t update; /* a button's pressed feedback, drawn alone */
} booth_screen_t;

typedef struct {
    kiosk_app_t *app;
    booth_screen_t screens[BOOTH_SCREENS_MAX];
    size_t count;
    int frames;
    double *wall, *cpu; /* frames entries each */
} booth_t;

static void booth_usage(FILE *f)
{
    fputs("usage: waymark bench booth [--content DIR] [--idle-seconds N] [--frames N]\n"
          "\n"
          "Prints the booth's time from process start to first frame (a child booth,\n"
          "from its fork to its first frame presented), frame time p50 and p99 of every\n"
          "visitor screen at 1080x1920 with SDL's software renderer, both wall clock and\n"
          "CPU time (a whole frame, and a button's pressed feedback, which redraws the\n"
          "button alone), peak memory with every language shown, CPU use over N idle\n"
          "seconds (default 10), and the load average around the run. Content: DIR, else\n"
          "$WAYMARK_CONTENT, else the factory content.\n",
          f);
}

static double now_ms(void)
{
    return kiosk_bench_now_ns() / 1e6;
}

static double thread_cpu_ms(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0;
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static void load_average(char *out, size_t size)
{
    FILE *f = fopen("/proc/loadavg", "r");
    double a = 0, b = 0, c = 0;

    if (!f || fscanf(f, "%lf %lf %lf", &a, &b, &c) != 3)
        snprintf(out, size, "unknown");
    else
        snprintf(out, size, "%.2f %.2f %.2f", a, b, c);
    if (f)
        fclose(f);
}

/* A child booth's first frame, from before fork to its log line; *cpu:
 * the CPU time of the child's main thread when that line arrives (from
 * /proc/PID/schedstat; a little after the frame), less noisy than the wall
 * clock on a busy machine. */
static double booth_first_frame(const char *content, double *cpu)
{
    int fd[2];
    pid_t pid;
    double t0, t = -1;
    char buf[4096];
    size_t used = 0;

    *cpu = -1;
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
        if (t < 0 && strstr(buf, "first frame drawn")) {
            char path[64];
            FILE *f;
            unsigned long long ns;

            t = now_ms() - t0;
            snprintf(path, sizeof(path), "/proc/%ld/schedstat", (long)pid);
            if ((f = fopen(path, "r"))) {
                if (fscanf(f, "%llu", &ns) == 1)
                    *cpu = (double)ns / 1e6;
                fclose(f);
            }
        }
        if (used > sizeof(buf) / 2) { /* keep the tail only */
            memmove(buf, buf + used - 64, 64);
            used = 64;
        }
    }
    close(fd[0]);
    waitpid(pid, NULL, 0);
    return t;
}

static void booth_percentiles(booth_t *b, booth_times_t *out)
{
    const size_t n = (size_t)b->frames, k99 = n * 99 / 100 < n ? n * 99 / 100 : n - 1;

    qsort(b->wall, n, sizeof(double), cmp_double);
    qsort(b->cpu, n, sizeof(double), cmp_double);
    out->p50 = b->wall[n / 2];
    out->p99 = b->wall[k99];
    out->cpu_p50 = b->cpu[n / 2];
    out->cpu_p99 = b->cpu[k99];
}

/* The button whose pressed feedback is timed: the last one in sight. */
static int booth_button(const kiosk_screen_t *top)
{
    for (size_t i = top->widget_count; i-- > 0;) {
        if (top->widgets[i].rect.w > 0 && top->widgets[i].rect.h > 0)
            return (int)i;
    }
    return -1;
}

static void booth_time_screen(booth_t *b)
{
    const char *name = kiosk_app_screen_name(b->app);
    kiosk_screen_t *top = kiosk_screen_stack_top(&b->app->stack);
    booth_screen_t *s;
    int button;

    for (size_t i = 0; i < b->count; i++) {
        if (strcmp(b->screens[i].name, name) == 0)
            return;
    }
    if (b->count >= BOOTH_SCREENS_MAX || !top)
        return;
    s = &b->screens[b->count++];
    snprintf(s->name, sizeof(s->name), "%s", name);
    kiosk_app_frame(b->app); /* warm */
    for (int i = 0; i < b->frames; i++) {
        double t0 = now_ms(), c0 = thread_cpu_ms();

        b->app->dirty = true;
        kiosk_app_frame(b->app);
        b->cpu[i] = thread_cpu_ms() - c0;
        b->wall[i] = now_ms() - t0;
    }
    booth_percentiles(b, &s->full);
    /* a press and a release in turn, each a frame of its own */
    button = booth_button(top);
    for (int i = 0; i < b->frames; i++) {
        double t0 = now_ms(), c0 = thread_cpu_ms();

        kiosk_app_set_pressed(b->app, top->pressed < 0 ? button : -1);
        kiosk_app_frame(b->app);
        b->cpu[i] = thread_cpu_ms() - c0;
        b->wall[i] = now_ms() - t0;
    }
    kiosk_app_set_pressed(b->app, -1);
    kiosk_app_frame(b->app);
    booth_percentiles(b, &s->update);
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

/* Whether a widget's action opens a visitor screen (not a setting, not
 * back or home). */
static bool booth_opens(int action)
{
    switch (action) {
    case KIOSK_ACTION_LANGUAGE:
    case KIOSK_ACTION_START:
    case KIOSK_ACTION_CATEGORY:
    case KIOSK_ACTION_SERVICE:
    case KIOSK_ACTION_RIGHTS:
    case KIOSK_ACTION_PAGE:
    case KIOSK_ACTION_HELP:
    case KIOSK_ACTION_PRINT:
        return true;
    default:
        return false;
    }
}

/* Every screen reachable by tapping, depth first: the first widget of
 * each kind that opens one, back after each. */
static void booth_explore(booth_t *b, int depth)
{
    kiosk_screen_t *top = kiosk_screen_stack_top(&b->app->stack);
    size_t n = top ? top->widget_count : 0, d0 = b->app->stack.depth;
    const char *name = kiosk_app_screen_name(b->app);
    bool tried[64] = {false};

    booth_time_screen(b);
    if (depth >= BOOTH_DEPTH_MAX)
        return;
    for (size_t i = 0; i < n; i++) {
        int action;

        top = kiosk_screen_stack_top(&b->app->stack);
        if (!top || i >= top->widget_count || strcmp(kiosk_app_screen_name(b->app), name) != 0)
            break;
        action = top->widgets[i].action;
        if (!booth_opens(action) || action < 0 || action >= 64 || tried[action])
            continue;
        tried[action] = true;
        if (!booth_tap(b, i))
            continue;
        if (b->app->stack.depth > d0) {
            booth_explore(b, depth + 1);
            while (b->app->stack.depth > d0)
                kiosk_app_back(b->app);
        } else if (b->app->stack.depth < d0) {
            break; /* a language from the welcome: home replaced the stack */
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
    double first, first_cpu, peak, c0, w0, cpu, wall;
    uint64_t idle_frames;
    size_t langs;
    char load0[64], load1[64];

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
    load_average(load0, sizeof(load0));
    first = booth_first_frame(content, &first_cpu);

    kiosk_options_default(&o);
    o.headless = true;
    o.log_level = WM_LOG_ERROR;
    o.idle_timeout = KIOSK_MAX_IDLE_TIMEOUT;
    snprintf(o.content_dir, sizeof(o.content_dir), "%s", content);
    b.wall = malloc(sizeof(double) * (size_t)b.frames);
    b.cpu = malloc(sizeof(double) * (size_t)b.frames);
    if (!b.wall || !b.cpu) {
        free(b.wall);
        free(b.cpu);
        fprintf(stderr, "waymark: bench booth: out of memory\n");
        return 1;
    }
    if (kiosk_app_create(&o, &b.app) != WM_OK) {
        fprintf(stderr, "waymark: bench booth: %s\n", wm_last_error());
        free(b.wall);
        free(b.cpu);
        return 1;
    }
    kiosk_app_set_wall_clock(b.app, time(NULL));
    kiosk_app_checks(b.app); /* as a booth does after its first frame */
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
    idle_frames = kiosk_app_frames(b.app);
    c0 = cpu_ms();
    w0 = now_ms();
    kiosk_app_run(b.app);
    cpu = cpu_ms() - c0;
    wall = now_ms() - w0;
    idle_frames = kiosk_app_frames(b.app) - idle_frames;
    load_average(load1, sizeof(load1));

    printf("booth: load average %s before, %s after (%ld CPUs online)\n", load0, load1,
           sysconf(_SC_NPROCESSORS_ONLN));
    printf("booth: first frame %.1f ms after process start (target < %.0f ms); CPU time "
           "%.1f ms\n",
           first, BOOTH_TARGET_FIRST, first_cpu);
    printf("booth: frame time at %dx%d, %s renderer, %d frames of each kind a screen;\n"
           "       wall clock (CPU time of the drawing thread), ms:\n",
           o.width, o.height, "software", b.frames);
    printf("  %-10s %-30s %s\n", "screen", "whole frame p50 / p99", "pressed button p50 / p99");
    for (size_t i = 0; i < b.count; i++) {
        const booth_screen_t *s = &b.screens[i];
        char full[64];

        snprintf(full, sizeof(full), "%5.2f (%5.2f) / %5.2f (%5.2f)", s->full.p50, s->full.cpu_p50,
                 s->full.p99, s->full.cpu_p99);
        printf("  %-10s %-30s %5.2f (%5.2f) / %5.2f (%5.2f)%s\n", s->name, full, s->update.p50,
               s->update.cpu_p50, s->update.p99, s->update.cpu_p99,
               s->full.p99 < BOOTH_TARGET_P99 ? "" : "  (whole frame over target)");
    }
    printf("booth: p99 target < %.0f ms\n", BOOTH_TARGET_P99);
    printf("booth: peak memory %.1f MB with %zu languages shown (target < %.0f MB)\n", peak, langs,
           BOOTH_TARGET_PEAK);
    printf("booth: idle CPU %.2f%% over %.1f s, %llu wake-ups, %llu frames (target < %.0f%%)\n",
           wall > 0 ? 100.0 * cpu / wall : 0.0, wall / 1000.0,
           (unsigned long long)kiosk_app_wakeups(b.app), (unsigned long long)idle_frames,
           BOOTH_TARGET_IDLE);
    kiosk_app_destroy(b.app);
    free(b.wall);
    free(b.cpu);
    return kiosk_bench_flush("waymark: bench booth");
}
