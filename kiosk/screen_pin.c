/*
 * screen_pin.c: the way into maintenance mode: the hidden gesture fed
 * from the loop's touches (gesture.c), then this PIN pad: digits 0-9,
 * erase, OK and cancel as big targets, a dot for each digit typed (never
 * the digit), the lock-out's wait after wrong tries (pin.c, on the booth's
 * wall clock, which tests run virtually). The digits live only in this
 * screen's state, wiped after each check and when the screen is left;
 * nothing of them is logged, drawn or written.
 *
 * Crew-facing: English only, left to right, whatever the visitor chose.
 */
#include "kiosk_private.h"

#include <math.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

enum {
    PIN_ACTION_DIGIT = 100, /* arg: the digit */
    PIN_ACTION_ERASE,
    PIN_ACTION_OK,
    PIN_ACTION_CANCEL,
};

#define PIN_TEXTS 16

typedef struct {
    kiosk_ui_page_t page;
    char digits[KIOSK_PIN_MAX + 1]; /* what was typed: wiped after use */
    size_t len;
    int note_text;   /* texts index of the message line */
    SDL_Rect note;   /* where it is */
    SDL_Rect dots;   /* where the dots go */
    char shown[160]; /* the message as shown (tests read it) */
} pin_screen_t;

static void pin_note(kiosk_app_t *app, kiosk_screen_t *screen, const char *fmt, ...)
    WM_PRINTF(3, 4);

/* ---- shared by the maintenance screens ---------------------------------- */

void *kiosk_maint_page(kiosk_app_t *app, kiosk_screen_t *screen, size_t size, size_t texts,
                       int bottom)
{
    kiosk_ui_page_t *page = kiosk_screen_state(screen, size);
    i18n_text_t *t = kiosk_screen_texts(screen, KIOSK_UI_BAR_TEXTS + texts);

    if (!page || !t)
        return NULL;
    kiosk_ui_begin(app, &page->ui);
    page->ui.rtl = false;
    page->ui.tag = "en";
    page->bar = false;
    page->texts = t;
    page->text_next = KIOSK_UI_BAR_TEXTS;
    page->text_max = KIOSK_UI_BAR_TEXTS + texts;
    page->pad = (int)roundf(16.0f * page->ui.u);
    kiosk_ui_scroll_begin(
        &page->scroll, screen,
        (SDL_Rect){0, page->ui.top, page->ui.w, (bottom ? bottom : page->ui.h) - page->ui.top});
    /* the crew has longer than a visitor before the booth gives up */
    app->idle_armed = true;
    app->idle_deadline = app->now_ms + KIOSK_MAINT_IDLE_MS;
    return page;
}

bool kiosk_maint_open(const kiosk_app_t *app)
{
    for (size_t i = 0; i < app->stack.depth; i++) {
        const kiosk_screen_class_t *c = app->stack.items[i].cls;

        if (c == &kiosk_screen_pin || c == &kiosk_screen_maint)
            return true;
    }
    return false;
}

uint64_t kiosk_maint_idle_ms(const kiosk_app_t *app)
{
    if (kiosk_maint_open(app))
        return KIOSK_MAINT_IDLE_MS;
    return (uint64_t)app->opts.idle_timeout * 1000u;
}

bool kiosk_maint_idle(kiosk_app_t *app)
{
    if (!kiosk_maint_open(app))
        return false;
    wm_log_info("maintenance: closed after %u s without a touch", KIOSK_MAINT_IDLE_MS / 1000u);
    app->maint_note[0] = '\0';
    kiosk_gesture_init(&app->gesture, app->opts.width, app->opts.height);
    /* every screen left: the PIN pad wipes its digits on the way */
    kiosk_app_finish_visit(app);
    return true;
}

bool kiosk_maint_touch(kiosk_app_t *app, Uint32 type, int x, int y)
{
    kiosk_gesture_t *g = &app->gesture;
    kiosk_screen_t *top = kiosk_screen_stack_top(&app->stack);
    kiosk_touch_t t = type == SDL_MOUSEBUTTONDOWN ? KIOSK_TOUCH_DOWN
                      : type == SDL_MOUSEBUTTONUP ? KIOSK_TOUCH_UP
                                                  : KIOSK_TOUCH_MOVE;
    int before;
    bool done;

    if (g->w != app->opts.width || g->h != app->opts.height)
        kiosk_gesture_init(g, app->opts.width, app->opts.height);
    if (!top || kiosk_maint_open(app))
        return false;
    before = g->step;
    done = kiosk_gesture_feed(g, t, x, y, app->now_ms);
    if (t != KIOSK_TOUCH_UP || (!done && g->step <= before))
        return false;
    /* a corner held for a step of the gesture: it taps nothing */
    top->pressed = -1;
    app->pointer_down = false;
    app->dragging = false;
    app->fling_v = 0;
    app->dirty = true;
    if (done)
        kiosk_app_push(app, &kiosk_screen_pin, 0);
    return true;
}

/* ---- the PIN pad -------------------------------------------------------- */

static uint64_t pin_wall_ms(const kiosk_app_t *app)
{
    struct timespec ts;

    if (app->wall_fixed)
        return (uint64_t)app->wall_fixed * 1000u + app->now_ms;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* A wait as people read it: "45 s", "2 min 30 s", rounded up. */
static void pin_wait_text(uint64_t ms, char *buf, size_t size)
{
    uint64_t s = (ms + 999) / 1000;

    if (s < 60)
        snprintf(buf, size, "%u s", (unsigned)s);
    else if (s % 60 == 0)
        snprintf(buf, size, "%u min", (unsigned)(s / 60));
    else
        snprintf(buf, size, "%u min %u s", (unsigned)(s / 60), (unsigned)(s % 60));
}

static void pin_note(kiosk_app_t *app, kiosk_screen_t *screen, const char *fmt, ...)
{
    pin_screen_t *st = screen->state;
    const kiosk_theme_t *th = kiosk_app_theme(app);
    const kiosk_ui_t *ui = &st->page.ui;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(st->shown, sizeof(st->shown), fmt, ap);
    va_end(ap);
    kiosk_app_layout(app, &st->page.texts[st->note_text], st->shown, "en",
                     th->body_px * ui->u * ui->ts, (float)st->note.w, I18N_ALIGN_CENTER, 2);
    app->dirty = true;
}

static wm_status_t pin_enter(kiosk_screen_t *screen, void *ctx)
{
    static const char *const labels[12] = {"1", "2", "3", "4",     "5", "6",
                                           "7", "8", "9", "Erase", "0", "OK"};
    kiosk_app_t *app = ctx;
    const kiosk_theme_t *th = kiosk_app_theme(app);
    pin_screen_t *st = kiosk_maint_page(app, screen, sizeof(*st), PIN_TEXTS, 0);
    const kiosk_ui_t *ui;
    const bool land = app->opts.width > app->opts.height;
    int gap, col_x, col_w, pad_x, pad_w, y, key_w, key_h, avail, side_y, cancel_h;
    float px_head, px_body, px_key;
    SDL_Rect cancel;
    wm_status_t s;

    if (!st)
        return WM_ENOMEM;
    ui = &st->page.ui;
    gap = (int)roundf(th->gap * ui->u);
    px_head = th->heading_px * ui->u * ui->ts;
    px_body = th->body_px * ui->u * ui->ts;
    px_key = th->heading_px * ui->u * ui->ts;
    /* the lock-out as saved: a restart does not reset it */
    kiosk_pin_open(&app->pin, app->opts.pin_file[0] ? app->opts.pin_file : KIOSK_DEFAULT_PIN_FILE,
                   app->opts.data_dir);
    /* standing: texts over the pad; lying: texts left, pad right */
    col_x = ui->margin;
    col_w = land ? (ui->w - 3 * ui->margin) / 2 : ui->w - 2 * ui->margin;
    pad_x = land ? col_x + col_w + ui->margin : ui->margin;
    pad_w = col_w;
    y = ui->top;
    y += kiosk_ui_page_label(app, &st->page, "Maintenance", "en", px_head,
                             (SDL_Rect){col_x, y, col_w, 0}, KIOSK_UI_TEXT, 1);
    y += gap;
    st->note = (SDL_Rect){col_x + st->page.pad, y, col_w - 2 * st->page.pad,
                          (int)ceilf(px_body * 1.5f * 2)};
    st->note_text = (int)st->page.text_next;
    kiosk_ui_page_text(app, &st->page, " ", "en", px_body, st->note.x, st->note.y, st->note.w,
                       KIOSK_UI_TEXT, 2, false);
    y += st->note.h + gap;
    st->dots = (SDL_Rect){col_x, y, col_w, (int)fmaxf((float)ui->min_target * 0.8f, px_head)};
    y += st->dots.h + gap;
    /* the keys: as big as the room allows, never under 9 mm */
    key_w = (pad_w - 2 * gap) / 3;
    if (land) {
        side_y = y;
        y = ui->top;
        avail = ui->h - ui->margin - y;
    } else {
        side_y = 0;
        avail = ui->h - ui->margin - y - 2 * ui->min_target - gap;
    }
    key_h = (avail - 3 * gap) / 4;
    if (key_h > key_w * 3 / 4)
        key_h = key_w * 3 / 4;
    if (key_h < ui->min_target)
        key_h = ui->min_target;
    if (key_w < ui->min_target)
        key_w = ui->min_target;
    for (int i = 0; i < 12; i++) {
        SDL_Rect r = {pad_x + (i % 3) * (key_w + gap), y + (i / 3) * (key_h + gap), key_w, key_h};
        char id[16];
        int action = i == 9 ? PIN_ACTION_ERASE : i == 11 ? PIN_ACTION_OK : PIN_ACTION_DIGIT;
        int digit = i == 10 ? 0 : i + 1;

        if (action == PIN_ACTION_DIGIT)
            snprintf(id, sizeof(id), "pin-%d", digit);
        else
            snprintf(id, sizeof(id), "%s", action == PIN_ACTION_OK ? "pin-ok" : "pin-erase");
        if ((s = kiosk_screen_add_widget(screen, id, r, action, digit)) != WM_OK)
            return s;
        kiosk_ui_page_label(app, &st->page, labels[i], "en",
                            action == PIN_ACTION_DIGIT ? px_key : px_body, r, KIOSK_UI_TEXT, 1);
    }
    y += 4 * key_h + 3 * gap;
    cancel_h = key_h / 2 > ui->min_target ? key_h / 2 : ui->min_target;
    if (land) {
        cancel = (SDL_Rect){col_x, side_y, col_w, cancel_h};
        if (cancel.y + cancel.h > ui->h - ui->margin)
            cancel.y = ui->h - ui->margin - cancel.h;
    } else {
        cancel = (SDL_Rect){pad_x, y + gap, pad_w, cancel_h};
        y = cancel.y + cancel.h;
    }
    if ((s = kiosk_screen_add_widget(screen, "pin-cancel", cancel, PIN_ACTION_CANCEL, 0)) != WM_OK)
        return s;
    kiosk_ui_page_label(app, &st->page, "Cancel", "en", px_body, cancel, KIOSK_UI_TEXT, 1);
    kiosk_ui_page_end(&st->page, screen, (land ? ui->h - ui->margin : y) + ui->margin);
    if (app->pin.failures >= KIOSK_PIN_FREE_TRIES && app->pin.locked_until_ms != UINT64_MAX &&
        pin_wall_ms(app) < app->pin.locked_until_ms) {
        char wait[32];

        pin_wait_text(app->pin.locked_until_ms - pin_wall_ms(app), wait, sizeof(wait));
        pin_note(app, screen, "Too many wrong PINs. Next try in %s.", wait);
    } else {
        pin_note(app, screen, "Enter the maintenance PIN");
    }
    return WM_OK;
}

static void pin_leave(kiosk_screen_t *screen, void *ctx)
{
    pin_screen_t *st = screen->state;

    if (st) {
        sodium_memzero(st->digits, sizeof(st->digits));
        st->len = 0;
    }
    kiosk_ui_page_leave(screen, ctx);
}

static void pin_check(kiosk_screen_t *screen, kiosk_app_t *app)
{
    pin_screen_t *st = screen->state;
    char wait[32];
    uint64_t wait_ms = 0;
    kiosk_pin_result_t r;

    if (!kiosk_pin_valid(st->digits, st->len)) {
        pin_note(app, screen, "A PIN is %d to %d digits", KIOSK_PIN_MIN, KIOSK_PIN_MAX);
        return;
    }
    r = kiosk_pin_try(&app->pin, st->digits, st->len, pin_wall_ms(app), &wait_ms);
    sodium_memzero(st->digits, sizeof(st->digits));
    st->len = 0;
    pin_wait_text(wait_ms, wait, sizeof(wait));
    switch (r) {
    case KIOSK_PIN_RIGHT:
        app->maint_note[0] = '\0';
        if (kiosk_screen_stack_replace(&app->stack, &kiosk_screen_maint, 0) != WM_OK) {
            wm_log_error("cannot open the %s screen: %s", KIOSK_SCREEN_MAINT, wm_last_error());
            pin_note(app, screen, "The maintenance screen cannot be shown (see the log)");
        }
        app->dirty = true;
        return; /* screen is the maintenance screen now */
    case KIOSK_PIN_WRONG:
        if (wait_ms)
            pin_note(app, screen, "Wrong PIN. Next try in %s.", wait);
        else
            pin_note(app, screen, "Wrong PIN. Try again.");
        break;
    case KIOSK_PIN_LOCKED:
        pin_note(app, screen, "Too many wrong PINs. Next try in %s.", wait);
        break;
    case KIOSK_PIN_UNSET:
        pin_note(app, screen, "No maintenance PIN is set up (waymark pin set)");
        break;
    }
}

static void pin_activate(kiosk_screen_t *screen, void *ctx, const kiosk_widget_t *widget)
{
    kiosk_app_t *app = ctx;
    pin_screen_t *st = screen->state;

    switch (widget->action) {
    case PIN_ACTION_DIGIT:
        if (st->len < KIOSK_PIN_MAX)
            st->digits[st->len++] = (char)('0' + widget->arg);
        app->dirty = true;
        break;
    case PIN_ACTION_ERASE:
        if (st->len > 0)
            st->digits[--st->len] = '\0';
        app->dirty = true;
        break;
    case PIN_ACTION_OK:
        pin_check(screen, app);
        break;
    case PIN_ACTION_CANCEL:
        kiosk_app_finish_visit(app);
        break;
    default:
        break;
    }
}

/* A filled circle of diameter d at x, y (its top-left), in rows. */
static void pin_dot(kiosk_app_t *app, int x, int y, int d, render_color_t c)
{
    float r = (float)d / 2.0f;

    for (int row = 0; row < d; row++) {
        float dy = (float)row + 0.5f - r;
        int half = (int)roundf(sqrtf(fmaxf(0.0f, r * r - dy * dy)));

        kiosk_app_fill(app, (SDL_Rect){x + (int)r - half, y + row, 2 * half, 1}, c);
    }
}

static void pin_draw(kiosk_screen_t *screen, void *ctx)
{
    kiosk_app_t *app = ctx;
    const pin_screen_t *st = screen->state;
    const kiosk_theme_t *th = kiosk_app_theme(app);
    int d = st->dots.h * 3 / 5, step = d + d / 2;
    int n = (int)st->len, x0 = st->dots.x + (st->dots.w - (n * step - d / 2)) / 2;
    int line_w = KIOSK_PIN_MAX * step, lx = st->dots.x + (st->dots.w - line_w) / 2;

    kiosk_ui_page_draw(screen, ctx);
    for (int i = 0; i < n; i++)
        pin_dot(app, x0 + i * step, st->dots.y + (st->dots.h - d) / 2, d, th->text);
    kiosk_app_fill(app,
                   (SDL_Rect){lx > st->dots.x ? lx : st->dots.x, st->dots.y + st->dots.h - 2,
                              line_w < st->dots.w ? line_w : st->dots.w, 2},
                   th->muted);
}

const char *kiosk_pin_shown(const kiosk_screen_t *screen)
{
    const pin_screen_t *st = screen->state;

    return screen->cls == &kiosk_screen_pin && st ? st->shown : "";
}

const kiosk_screen_class_t kiosk_screen_pin = {
    KIOSK_SCREEN_PIN, pin_enter, pin_leave, pin_draw, pin_activate, NULL,
};
