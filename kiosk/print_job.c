/*
 * print_job.c: printing a slip without stopping the booth. The slip is
 * composed on the loop's thread (the fonts are not shared across
 * threads), then a worker thread sends it to the printer, paced at the
 * print speed and within the printer's timeouts, which takes seconds. The
 * loop goes on drawing meanwhile ("printing your slip"), and the worker's
 * last act is an SDL event that wakes the loop to show the outcome.
 *
 * While a script runs on the virtual clock the job runs at once on the
 * loop's thread, with the printer's pacing on the same virtual clock, so
 * scripted journeys stay exact and take no real time.
 *
 * A job belongs to the visit that started it: when that visit has ended,
 * the outcome is not shown to the next person (only a printer that needs a
 * crew is logged, as the booth's state). Nothing of the slip is kept.
 */
#include "kiosk_private.h"

#include <string.h>

struct kiosk_print_job {
    SDL_Thread *thread;
    SDL_atomic_t done;
    hw_printer_t *printer;
    render_canvas_t *canvas;
    wm_status_t st;
    hw_print_result_t res;
    char error[256];
    unsigned visit;
    int service;
    Uint32 event;
};

static int job_run(void *ctx);
static void job_send(kiosk_print_job_t *job);
static void job_finish(kiosk_app_t *app, kiosk_print_job_t *job);
static uint64_t virtual_now(void *ctx);
static void virtual_sleep(void *ctx, int ms);

bool kiosk_print_busy(const kiosk_app_t *app)
{
    return app->print_job != NULL;
}

void kiosk_print_start(kiosk_app_t *app, int service, render_canvas_t *canvas)
{
    kiosk_print_job_t *job = NULL;

    app->print_pending = false;
    if (app->print_job || !app->printer || !canvas || !(job = wm_calloc(1, sizeof(*job)))) {
        if (canvas && !job && !app->print_job)
            wm_log_error("print: out of memory");
        render_canvas_destroy(canvas);
        app->print_outcome = KIOSK_PRINT_FAILED;
        return;
    }
    job->printer = app->printer;
    job->canvas = canvas;
    job->visit = app->visit_seq;
    job->service = service;
    job->event = app->print_event;
    if (app->virtual_clock) {
        hw_clock_t clock = {virtual_now, virtual_sleep, app};

        hw_printer_set_clock(app->printer, &clock);
        job_send(job);
        hw_printer_set_clock(app->printer, NULL);
        job_finish(app, job);
        return;
    }
    hw_printer_set_clock(app->printer, NULL);
    app->print_job = job;
    app->print_pending = true;
    job->thread = SDL_CreateThread(job_run, "waymark-print", job);
    if (!job->thread) {
        /* no thread to spare: print here, the booth waits for it */
        wm_log_warn("print: no thread (%s); printing in the loop", SDL_GetError());
        job_send(job);
        app->print_job = NULL;
        job_finish(app, job);
    }
}

void kiosk_print_poll(kiosk_app_t *app)
{
    kiosk_print_job_t *job = app->print_job;

    if (!job || !SDL_AtomicGet(&job->done))
        return;
    SDL_WaitThread(job->thread, NULL);
    app->print_job = NULL;
    job_finish(app, job);
}

void kiosk_print_wait(kiosk_app_t *app)
{
    kiosk_print_job_t *job = app->print_job;

    if (!job)
        return;
    /* the slip being sent finishes: the printer is left in a clean state */
    SDL_WaitThread(job->thread, NULL);
    app->print_job = NULL;
    app->visit_seq++; /* nobody is there to see it */
    job_finish(app, job);
}

static int job_run(void *ctx)
{
    kiosk_print_job_t *job = ctx;
    SDL_Event ev;

    job_send(job);
    SDL_AtomicSet(&job->done, 1);
    if (job->event) {
        memset(&ev, 0, sizeof(ev));
        ev.type = job->event;
        SDL_PushEvent(&ev);
    }
    return 0;
}

/* The part that may take seconds: touches only the printer and the image. */
static void job_send(kiosk_print_job_t *job)
{
    hw_bitmap_t bm;

    memset(&job->res, 0, sizeof(job->res));
    job->res.before = job->res.after = HW_PRINTER_UNKNOWN;
    bm.width = job->canvas->width;
    bm.height = job->canvas->height;
    bm.stride = job->canvas->stride;
    bm.bits = job->canvas->pixels;
    job->st = hw_printer_print(job->printer, &bm, KIOSK_SLIP_FEED_LINES, false, &job->res);
    if (job->st != WM_OK)
        snprintf(job->error, sizeof(job->error), "%s", wm_last_error());
    /* nothing of the slip is kept */
    memset(job->canvas->pixels, 0, (size_t)job->canvas->stride * (size_t)job->canvas->height);
    render_canvas_destroy(job->canvas);
    job->canvas = NULL;
}

/* On the loop's thread: the outcome, shown if the visit is still going. */
static void job_finish(kiosk_app_t *app, kiosk_print_job_t *job)
{
    kiosk_print_outcome_t outcome = kiosk_print_outcome(job->st, &job->res);
    hw_printer_state_t state = job->res.after;
    kiosk_screen_t *top;

    if (outcome == KIOSK_PRINT_FAILED && job->res.before != HW_PRINTER_READY &&
        job->res.before != HW_PRINTER_UNKNOWN)
        state = job->res.before;
    if (outcome == KIOSK_PRINT_FAILED && state == HW_PRINTER_UNKNOWN)
        state = HW_PRINTER_NOT_CONNECTED;
    /* Only a printer that needs a crew is the booth's state; a slip
     * printed is a visitor's act and is never logged. */
    if (outcome != KIOSK_PRINT_PRINTED)
        wm_log_warn("printer: %s", hw_printer_state_name(state));
    if (job->visit == app->visit_seq) {
        app->print_pending = false;
        app->print_outcome = outcome;
        app->print_state = state;
        top = kiosk_screen_stack_top(&app->stack);
        if (top && top->cls == &kiosk_screen_print && top->arg == job->service) {
            if (kiosk_screen_stack_replace(&app->stack, &kiosk_screen_print, job->service) != WM_OK)
                wm_log_error("cannot show the print outcome: %s", wm_last_error());
            app->dirty = true;
        }
    }
    wm_free(job);
}

static uint64_t virtual_now(void *ctx)
{
    const kiosk_app_t *app = ctx;

    return app->now_ms;
}

static void virtual_sleep(void *ctx, int ms)
{
    kiosk_app_t *app = ctx;

    if (ms > 0)
        app->now_ms += (uint64_t)ms;
}
