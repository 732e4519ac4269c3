/*
 * screen_maint.c: maintenance mode, behind the PIN pad: what a crew needs
 * to see without a laptop (the hardware status as `waymark status` gives
 * it: printer, paper, connection, display, touch, storage, temperature and
 * throttling, memory; the content's version, origin and date; the last
 * update; the signing keys; the booth's last log lines, which are about
 * the booth and never about a visitor) and what it can fix on the spot:
 * a test print, a roll back to the previous content, a forced reinstall of
 * a bundle from a stick or the inbox. It leaves by itself after
 * KIOSK_MAINT_IDLE_MS without a touch (the loop's idle timer).
 *
 * Crew-facing: English only, left to right. Each action says what came of
 * it at the top of the screen (app->maint_note) and in the log.
 */
#include "kiosk_private.h"
#include "status.h"

#include <dirent.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

enum {
    MAINT_ACTION_PRINT = 200,
    MAINT_ACTION_ROLLBACK,
    MAINT_ACTION_REINSTALL,
    MAINT_ACTION_EXIT,
};

#define MAINT_SHOWN_MAX 112
#define MAINT_LOG_SHOWN 40
#define MAINT_LINE_MAX  (WM_LOG_LINE_MAX + 96)
#define MAINT_BUTTONS   4

typedef struct {
    kiosk_ui_page_t page;
    /* every line shown, in order (tests read them) */
    char shown[MAINT_SHOWN_MAX][MAINT_LINE_MAX];
    size_t shown_count;
} maint_t;

static void maint_note(kiosk_app_t *app, const char *fmt, ...) WM_PRINTF(2, 3);

static void maint_note(kiosk_app_t *app, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(app->maint_note, sizeof(app->maint_note), fmt, ap);
    va_end(ap);
    wm_log_info("maintenance: %s", app->maint_note);
}

/* A line of the status text for a proportional font: "  printer   fail
 * paper out" becomes "printer: fail paper out". */
static void maint_status_line(const char *in, size_t len, char *out, size_t size)
{
    size_t o = 0;
    bool named = false;

    while (len && *in == ' ') {
        in++;
        len--;
    }
    for (size_t i = 0; i < len && o + 3 < size; i++) {
        if (in[i] == ' ' && i + 1 < len && in[i + 1] == ' ') {
            while (i + 1 < len && in[i + 1] == ' ')
                i++;
            if (!named) {
                out[o++] = ':';
                named = true;
            }
            out[o++] = ' ';
            continue;
        }
        out[o++] = in[i];
    }
    out[o] = '\0';
}

static void maint_add(maint_t *st, const char *fmt, ...) WM_PRINTF(2, 3);

static void maint_add(maint_t *st, const char *fmt, ...)
{
    va_list ap;

    if (st->shown_count >= MAINT_SHOWN_MAX)
        return;
    va_start(ap, fmt);
    vsnprintf(st->shown[st->shown_count++], MAINT_LINE_MAX, fmt, ap);
    va_end(ap);
}

/* The status lines, by the functions `waymark status` uses; the printer
 * is the one the booth holds open (asked, not opened a second time). */
static void maint_status(kiosk_app_t *app, maint_t *st)
{
    static const char *const origins[] = {"current", "previous", "factory"};
    kiosk_status_t s;
    char *text = NULL, line[MAINT_LINE_MAX];
    size_t size = 0;
    FILE *f;

    memset(&s, 0, sizeof(s));
    hw_status_probe(HW_PROBES_REAL, NULL, app->opts.data_dir, &s.hw);
    snprintf(s.hw.printer_uri, sizeof(s.hw.printer_uri), "%.*s", (int)sizeof(s.hw.printer_uri) - 1,
             app->opts.printer);
    if (app->printer && kiosk_print_busy(app)) {
        /* the worker thread has it: not asked meanwhile */
        s.hw.printer_state = HW_PRINTER_UNKNOWN;
        snprintf(s.hw.printer_error, sizeof(s.hw.printer_error), "busy sending a slip");
    } else if (app->printer) {
        snprintf(s.hw.printer_transport, sizeof(s.hw.printer_transport), "%s",
                 hw_printer_backend(app->printer));
        s.hw.printer_state = hw_printer_status(app->printer, NULL);
    } else {
        s.hw.printer_state = HW_PRINTER_NOT_CONNECTED;
        snprintf(s.hw.printer_error, sizeof(s.hw.printer_error), "could not be opened at start");
    }
    kiosk_status_app_read(app->opts.data_dir, app->content_path[0] ? app->content_path : NULL,
                          &s.app);
    kiosk_status_keys_read(app->opts.keys_dir, app->opts.data_dir, &s.app);
    s.probed_at = (long long)kiosk_app_wall(app);
    f = open_memstream(&text, &size);
    if (!f || kiosk_status_write_text(&s, f) != WM_OK) {
        maint_add(st, "status: %s", f ? wm_last_error() : "out of memory");
        if (f)
            fclose(f);
        free(text);
        return;
    }
    fclose(f);
    /* the verdict (the text's last line) first, then the checks */
    {
        size_t n = strlen(text);
        const char *last;

        while (n > 0 && text[n - 1] == '\n')
            text[--n] = '\0';
        last = strrchr(text, '\n');
        maint_add(st, "Status: %s", last ? last + 1 : text);
        if (last)
            text[last - text] = '\0';
    }
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);

        maint_status_line(p, len, line, sizeof(line));
        if (line[0])
            maint_add(st, "%s", line);
        p = nl ? nl + 1 : NULL;
    }
    free(text);
    /* what the booth itself knows beyond the files */
    if (app->store)
        maint_add(st, "content store: %s set, version %" PRIu64 ", highest %" PRIu64 "%s",
                  origins[content_store_origin(app->store)], content_store_version(app->store),
                  content_store_highest(app->store),
                  content_store_pending(app->store) ? ", pending its first frame" : "");
    else
        maint_add(st, "content store: none (a fixed content folder)");
    if (app->update != KIOSK_UPDATE_NONE)
        maint_add(st, "update: %s %s", app->update_text, app->update_detail);
    if (s.app.keys_trusted_count >= 0)
        maint_add(st, "keys: %d trusted, %d revoked", s.app.keys_trusted_count,
                  s.app.keys_revoked_count);
}

static wm_status_t maint_enter(kiosk_screen_t *screen, void *ctx)
{
    static const struct {
        const char *id, *label;
        int action;
    } buttons[MAINT_BUTTONS] = {
        {"maint-print", "Test print", MAINT_ACTION_PRINT},
        {"maint-rollback", "Roll back content", MAINT_ACTION_ROLLBACK},
        {"maint-reinstall", "Reinstall bundle", MAINT_ACTION_REINSTALL},
        {"maint-exit", "Exit", MAINT_ACTION_EXIT},
    };
    static char log_lines[WM_LOG_RING_LINES][WM_LOG_LINE_MAX];
    kiosk_app_t *app = ctx;
    const kiosk_theme_t *th = kiosk_app_theme(app);
    const bool land = app->opts.width > app->opts.height;
    const int cols = land ? MAINT_BUTTONS : 2;
    kiosk_ui_t ui0;
    maint_t *st;
    const kiosk_ui_t *ui;
    int gap, bw, bh, top_y, y, inner;
    size_t first_log, nlog, title, note = 0;
    float px_head, px_body, px_small;
    wm_status_t s;

    kiosk_ui_begin(app, &ui0);
    gap = (int)roundf(th->gap * ui0.u);
    bh = (int)fmaxf((float)ui0.min_target, roundf(130.0f * ui0.u));
    top_y = ui0.h - ui0.margin - (MAINT_BUTTONS / cols) * bh - (MAINT_BUTTONS / cols - 1) * gap;
    st = kiosk_maint_page(app, screen, sizeof(*st), MAINT_SHOWN_MAX + MAINT_BUTTONS, top_y - gap);
    if (!st)
        return WM_ENOMEM;
    ui = &st->page.ui;
    inner = ui->w - 2 * ui->margin;
    px_head = th->heading_px * ui->u * ui->ts;
    px_body = th->body_px * ui->u * ui->ts;
    px_small = th->small_px * ui->u * ui->ts;

    title = st->shown_count;
    maint_add(st, "Maintenance");
    if (app->maint_note[0]) {
        note = st->shown_count;
        maint_add(st, "%s", app->maint_note);
    }
    maint_status(app, st);
    first_log = st->shown_count;
    maint_add(st, "Booth log, newest last");
    nlog = wm_log_ring_copy(log_lines, MAINT_LOG_SHOWN);
    for (size_t i = 0; i < nlog; i++)
        maint_add(st, "%s", log_lines[i]);

    y = ui->top;
    for (size_t i = 0; i < st->shown_count; i++) {
        bool head = i == title || i == first_log;
        float px = head ? (i == title ? px_head : px_body) : i > first_log ? px_small : px_body;
        kiosk_ui_kind_t kind = i == note && note ? KIOSK_UI_ACCENT
                               : i > first_log   ? KIOSK_UI_MUTED
                                                 : KIOSK_UI_TEXT;

        if (i == first_log || (note && i == note + 1) || (!note && i == title + 1))
            y += gap;
        y += kiosk_ui_page_text(app, &st->page, st->shown[i], "en", px, ui->margin, y, inner, kind,
                                i > first_log ? 2 : 3, false);
    }
    kiosk_ui_page_end(&st->page, screen, y + ui->margin);

    /* the actions stay put under the scrolling lines */
    bw = (inner - (cols - 1) * gap) / cols;
    for (int i = 0; i < MAINT_BUTTONS; i++) {
        SDL_Rect r = {ui->margin + (i % cols) * (bw + gap), top_y + (i / cols) * (bh + gap), bw,
                      bh};

        if ((s = kiosk_screen_add_widget(screen, buttons[i].id, r, buttons[i].action, 0)) != WM_OK)
            return s;
        if (kiosk_ui_page_label(app, &st->page, buttons[i].label, "en", px_body, r,
                                KIOSK_UI_ON_ACCENT, 2) > 0)
            st->page.items[st->page.item_count - 1].fixed = true;
    }
    return WM_OK;
}

/* The bundle a forced reinstall takes: the newest *.wmbundle at the top
 * of a usb root, of a folder mounted in one, or of the inbox (where the
 * watcher looks). */
static void maint_bundle_in(const char *dir, int depth, char *best, size_t size, time_t *best_t)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    const size_t ext = strlen(CONTENT_BUNDLE_EXT);

    if (!d)
        return;
    while ((e = readdir(d))) {
        char path[KIOSK_PATH_MAX * 2];
        size_t n = strlen(e->d_name);
        struct stat sb;

        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (stat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode) && depth > 0) {
            maint_bundle_in(path, depth - 1, best, size, best_t);
        } else if (S_ISREG(sb.st_mode) && n > ext &&
                   strcmp(e->d_name + n - ext, CONTENT_BUNDLE_EXT) == 0 &&
                   (!best[0] || sb.st_mtime > *best_t ||
                    (sb.st_mtime == *best_t && strcmp(path, best) < 0))) {
            snprintf(best, size, "%s", path);
            *best_t = sb.st_mtime;
        }
    }
    closedir(d);
}

static bool maint_find_bundle(const kiosk_app_t *app, char *path, size_t size)
{
    char roots[KIOSK_PATH_MAX], inbox[KIOSK_PATH_MAX + 16];
    time_t t = 0;

    path[0] = '\0';
    snprintf(roots, sizeof(roots), "%s", app->opts.usb_roots);
    for (char *save = NULL, *p = strtok_r(roots, ",", &save); p; p = strtok_r(NULL, ",", &save))
        maint_bundle_in(p, 1, path, size, &t);
    snprintf(inbox, sizeof(inbox), "%s/inbox", app->opts.data_dir);
    maint_bundle_in(inbox, 0, path, size, &t);
    return path[0] != '\0';
}

/* New content in the store: load it, then come back here (every screen
 * goes: none may keep text laid out with the old fonts). */
static void maint_reload(kiosk_app_t *app)
{
    app->swap_due = true;
    kiosk_app_finish_visit(app);
    kiosk_app_push(app, &kiosk_screen_maint, 0);
}

/* The screen again, with the note on top. */
static void maint_refresh(kiosk_app_t *app)
{
    if (kiosk_screen_stack_replace(&app->stack, &kiosk_screen_maint, 0) != WM_OK)
        wm_log_error("cannot lay out the %s screen: %s", KIOSK_SCREEN_MAINT, wm_last_error());
    app->dirty = true;
}

static void maint_test_print(kiosk_app_t *app)
{
    kiosk_slip_composer_t *composer = NULL;
    hw_print_result_t res;
    kiosk_print_outcome_t out;
    kiosk_slip_t slip;
    time_t now = kiosk_app_wall(app);
    struct tm tm;
    char date[16];

    localtime_r(&now, &tm);
    strftime(date, sizeof(date), "%Y-%m-%d", &tm);
    kiosk_slip_test_page(date, &slip);
    memset(&res, 0, sizeof(res));
    if (!app->printer) {
        maint_note(app, "Test print: no printer (%s could not be opened at start)",
                   app->opts.printer);
        return;
    }
    if (kiosk_print_busy(app)) {
        maint_note(app, "Test print: a slip is being sent; try again in a moment");
        return;
    }
    if (!app->fonts || kiosk_slip_composer_create(app->fonts, &composer) != WM_OK) {
        maint_note(app, "Test print: cannot draw the page: %s",
                   app->fonts ? wm_last_error() : "no fonts");
        return;
    }
    out = kiosk_slip_print(composer, app->printer, &slip,
                           app->opts.paper_mm == 58 ? HW_DOTS_58MM : HW_DOTS_80MM, &res);
    kiosk_slip_composer_destroy(composer);
    if (out == KIOSK_PRINT_PRINTED)
        maint_note(app, "Test print: printed (%zu bytes); printer %s", res.bytes,
                   hw_printer_state_text(res.after));
    else if (out == KIOSK_PRINT_UNCONFIRMED)
        maint_note(app, "Test print: sent (%zu bytes), but the printer does not answer", res.bytes);
    else
        maint_note(
            app, "Test print: not printed; printer %s",
            hw_printer_state_text(res.before != HW_PRINTER_READY && res.before != HW_PRINTER_UNKNOWN
                                      ? res.before
                                      : res.after));
}

static void maint_rollback(kiosk_app_t *app)
{
    if (!app->store) {
        maint_note(app, "Not rolled back: this booth shows a fixed content folder");
        maint_refresh(app);
        return;
    }
    if (content_store_rollback(app->store) != WM_OK) {
        maint_note(app, "Not rolled back: %s", wm_last_error());
        maint_refresh(app);
        return;
    }
    maint_note(app, "Rolled back: now showing version %" PRIu64, content_store_version(app->store));
    maint_reload(app);
}

static void maint_reinstall(kiosk_app_t *app)
{
    char path[KIOSK_PATH_MAX * 2], q[WM_ESCAPE_MAX];
    content_bundle_source_t src;
    content_bundle_info_t info;
    const char *name;
    wm_status_t st;

    if (!app->store) {
        maint_note(app, "Not reinstalled: this booth shows a fixed content folder");
    } else if (!maint_find_bundle(app, path, sizeof(path))) {
        maint_note(app, "Not reinstalled: no bundle (*%s) on a stick or in the inbox",
                   CONTENT_BUNDLE_EXT);
    } else if (!app->keys) {
        maint_note(app, "Not reinstalled: this booth has no trusted keys (%s)", app->opts.keys_dir);
    } else {
        name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        if ((st = content_bundle_source_open(path, &src)) == WM_OK) {
            st = content_store_install(app->store, &src, app->keys, NULL, CONTENT_INSTALL_FORCE,
                                       NULL, NULL, &info);
            content_bundle_source_close(&src);
        }
        if (st != WM_OK) {
            maint_note(app, "Not reinstalled: %s", wm_last_error());
        } else {
            maint_note(app, "Reinstalled version %" PRIu64 " from %s", info.version,
                       wm_escape(name, q, sizeof(q)));
            maint_reload(app);
            return;
        }
    }
    maint_refresh(app);
}

static void maint_activate(kiosk_screen_t *screen, void *ctx, const kiosk_widget_t *widget)
{
    kiosk_app_t *app = ctx;

    (void)screen;
    switch (widget->action) {
    case MAINT_ACTION_PRINT:
        maint_test_print(app);
        maint_refresh(app);
        break;
    case MAINT_ACTION_ROLLBACK:
        maint_rollback(app);
        break;
    case MAINT_ACTION_REINSTALL:
        maint_reinstall(app);
        break;
    case MAINT_ACTION_EXIT:
        wm_log_info("maintenance: closed");
        app->maint_note[0] = '\0';
        kiosk_app_finish_visit(app);
        break;
    default:
        break;
    }
}

size_t kiosk_maint_lines(kiosk_app_t *app, const char **lines, size_t max)
{
    const kiosk_screen_t *top = kiosk_screen_stack_top(&app->stack);
    const maint_t *st = top ? top->state : NULL;
    size_t n = 0;

    if (!st)
        return 0;
    if (top->cls == &kiosk_screen_pin) {
        if (max > 0)
            lines[n++] = kiosk_pin_shown(top);
        return n;
    }
    if (top->cls != &kiosk_screen_maint)
        return 0;
    for (; n < st->shown_count && n < max; n++)
        lines[n] = st->shown[n];
    return n;
}

const kiosk_screen_class_t kiosk_screen_maint = {
    KIOSK_SCREEN_MAINT, maint_enter,    kiosk_ui_page_leave,
    kiosk_ui_page_draw, maint_activate, kiosk_ui_page_scroll,
};
