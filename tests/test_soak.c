/*
 * test_soak.c: the booth under a long, seeded storm of touches: taps,
 * drags and flings all over the screen, idle resets and "still there?"
 * on the way, in portrait 1080x1920 and landscape 800x480, on the virtual
 * clock. Nothing may crash (the suite runs under AddressSanitizer in
 * scripts/test, which also checks for leaks at exit), and memory stays
 * flat: the resident size after the first 10,000 events is within 2 MB of
 * the end's (under ASan: the memory allocated, see rss_kb()).
 *
 * Touches travel as SDL events through the window's coordinates, as a
 * finger's do; they hit whatever widgets the screens have.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if !defined(__SANITIZE_ADDRESS__)
#include <malloc.h>
#endif

#include "kiosk_private.h"
#include "testutil.h"

#define SAMPLE       WAYMARK_SOURCE_DIR "/content/sample"
#define SOAK_EVENTS  50000 /* a phase: each orientation, 100,000 in all */
#define SOAK_WARM    10000
#define SOAK_FLAT_KB 2048
#define SOAK_BATCH   4 /* gestures between frames, as on a loaded booth */

#if defined(__SANITIZE_ADDRESS__)
/* Freed memory waits in ASan's quarantine (256 MB by default) and would
 * count as resident; keep it small so the resident size means something. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "quarantine_size_mb=1";
}
/* Hands ASan's cached free chunks back to the system before each reading,
 * so that the resident size is the booth's live memory. */
void __sanitizer_purge_allocator(void);
/* ASan's allocator keeps the regions it mapped for each size class (and
 * the redzones and stack records of every block) after the blocks are
 * freed, so under ASan the resident size grows with the tool's own
 * bookkeeping while the booth's memory does not. There the reading is the
 * bytes the booth holds allocated; the release build's run of this suite
 * reads the resident size itself. */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

/* The booth's memory in kB: the resident size, or under ASan the bytes
 * allocated (see above). */
static long rss_kb(void)
{
#if defined(__SANITIZE_ADDRESS__)
    __sanitizer_purge_allocator();
    return (long)(__sanitizer_get_current_allocated_bytes() / 1024);
#else
    long pages = 0, resident = 0;
    FILE *f;

    /* under an emulator (scripts/cross-arm64) the resident size is the
     * emulator's, whose code cache grows as it translates: there the
     * reading is what the booth's allocator holds */
    if (getenv("WAYMARK_EMULATED")) {
        struct mallinfo2 mi = mallinfo2();

        return (long)((mi.uordblks + mi.hblkhd) / 1024);
    }
    f = fopen("/proc/self/statm", "r");

    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fscanf(f, "%ld %ld", &pages, &resident), 2);
    fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
#endif
}

typedef struct {
    kiosk_app_t *app;
    long events;
    unsigned seed;
} soak_t;

static int rnd(soak_t *s, int n)
{
    s->seed = s->seed * 1103515245u + 12345u;
    return (int)((s->seed >> 8) % (unsigned)n);
}

static void push(soak_t *s, Uint32 type, int x, int y)
{
    SDL_Event ev;
    int wx, wy;

    kiosk_view_to_window(&s->app->view, x, y, &wx, &wy);
    memset(&ev, 0, sizeof(ev));
    ev.type = type;
    if (type == SDL_MOUSEMOTION) {
        ev.motion.windowID = s->app->window_id;
        ev.motion.state = SDL_BUTTON_LMASK;
        ev.motion.x = wx;
        ev.motion.y = wy;
    } else {
        ev.button.windowID = s->app->window_id;
        ev.button.button = SDL_BUTTON_LEFT;
        ev.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
        ev.button.clicks = 1;
        ev.button.x = wx;
        ev.button.y = wy;
    }
    ck_assert_int_eq(SDL_PushEvent(&ev), 1);
    s->events++;
}

/* One gesture: a tap, a slow drag or a fling (few, far-apart moves). */
static void gesture(soak_t *s, int w, int h)
{
    int x = rnd(s, w), y = rnd(s, h), k = rnd(s, 10);

    push(s, SDL_MOUSEBUTTONDOWN, x, y);
    if (k >= 5) {
        int steps = k < 8 ? 4 + rnd(s, 12) : 2 + rnd(s, 3);
        int tx = rnd(s, w), ty = rnd(s, h);

        for (int i = 1; i <= steps; i++) {
            push(s, SDL_MOUSEMOTION, x + (tx - x) * i / steps, y + (ty - y) * i / steps);
            kiosk_app_advance(s->app, k < 8 ? 16 : 8);
        }
        x = tx;
        y = ty;
    }
    kiosk_app_advance(s->app, 16);
    push(s, SDL_MOUSEBUTTONUP, x, y);
}

static void soak_phase(int w, int h, unsigned seed)
{
    kiosk_options_t o;
    soak_t s = {.seed = seed};
    long warm = 0, end, gestures = 0;

    kiosk_options_default(&o);
    o.headless = true;
    o.width = w;
    o.height = h;
    o.idle_timeout = 20;
    o.log_level = WM_LOG_ERROR;
    strcpy(o.content_dir, SAMPLE);
    ck_assert_msg(kiosk_app_create(&o, &s.app) == WM_OK, "%s", wm_last_error());
    s.app->virtual_clock = true;
    kiosk_app_drain(s.app);
    while (s.events < SOAK_EVENTS) {
        gesture(&s, w, h);
        if (++gestures % SOAK_BATCH == 0)
            kiosk_app_drain(s.app);
        /* now and then the person walks away: "still there?", answered
         * or not, or "finish" */
        if (rnd(&s, 400) == 0) {
            kiosk_app_drain(s.app);
            kiosk_app_advance(s.app, (uint64_t)(rnd(&s, 40) * 1000));
        } else if (rnd(&s, 800) == 0) {
            kiosk_app_finish_visit(s.app);
        }
        if (!warm && s.events >= SOAK_WARM)
            warm = rss_kb();
    }
    kiosk_app_drain(s.app);
    end = rss_kb();
    fprintf(stderr,
            "soak %dx%d: %ld events, %ld gestures, %llu frames, memory %ld kB at %d events, "
            "%ld kB at the end\n",
            w, h, s.events, gestures, (unsigned long long)kiosk_app_frames(s.app), warm, SOAK_WARM,
            end);
    ck_assert_uint_gt(kiosk_app_frames(s.app), (uint64_t)gestures / SOAK_BATCH / 2);
    ck_assert_msg(labs(end - warm) <= SOAK_FLAT_KB,
                  "resident memory moved %ld kB between %d events and the end", end - warm,
                  SOAK_WARM);
    kiosk_app_destroy(s.app);
}

START_TEST(soak_portrait)
{
    soak_phase(1080, 1920, 1);
}
END_TEST

START_TEST(soak_landscape)
{
    soak_phase(800, 480, 2);
}
END_TEST

static Suite *soak_suite(void)
{
    Suite *s = suite_create("soak");
    TCase *tc = tcase_create("touch");

    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, soak_portrait);
    tcase_add_test(tc, soak_landscape);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(soak_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
