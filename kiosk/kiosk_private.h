/*
 * kiosk_private.h: the app's state and the functions its parts share: the
 * app and its resources (app.c), video start-up and frames (app_video.c),
 * the event loop and timers (app_loop.c), script replay (app_script.c),
 * the theme and drawing helpers for screens (app_draw.c) and the screens
 * (screens.c). Not for use outside kiosk/.
 */
#ifndef KIOSK_PRIVATE_H
#define KIOSK_PRIVATE_H

#include "kiosk.h"
#include "ops.h"
#include "slip.h"

#include <time.h>

typedef struct kiosk_print_job kiosk_print_job_t;

/* The play button's sound (audio.c). pcm, len and pos are shared with
 * SDL's audio thread: changed only with the device locked or closed. */
typedef struct {
    SDL_AudioDeviceID dev; /* open while a recording plays; 0 none */
    bool subsystem;        /* SDL audio started (at the first press) */
    bool unavailable;      /* no sound here: the play button is hidden */
    bool playing;
    Uint8 *pcm;                           /* the recording at 48 kHz, 16-bit, stereo */
    Uint32 len;                           /* bytes of pcm */
    Uint32 pos;                           /* bytes played */
    const kiosk_screen_class_t *page_cls; /* the page it plays for */
    int page_arg;
    size_t page_depth, page_lang;
    uint64_t started_ms, duration_ms;
} kiosk_audio_t;

struct kiosk_app {
    kiosk_options_t opts;

    /* display */
    kiosk_display_t display;
    bool sdl_started;
    SDL_Window *window; /* NULL when headless fell back to a bare surface */
    SDL_Surface *surface;
    SDL_Renderer *renderer;
    SDL_Texture *ui; /* logical-size render target the screens draw into; NULL: the output */
    Uint32 window_id;
    kiosk_view_t view;
    bool blocking_wait; /* the video driver's SDL_WaitEventTimeout sleeps */

    /* content and text */
    content_t *content;
    char content_path[KIOSK_PATH_MAX + 32]; /* folder the content came from; "" built-in */
    size_t default_lang;
    i18n_fonts_t *fonts;
    i18n_layout_t *layout;
    render_glyph_cache_t *glyphs;
    render_screen_t *draw; /* NULL when text cannot be drawn */
    bool layout_failure_logged;
    bool checks_due; /* kiosk_app_checks waits for the first frame */

    /* navigation: everything here is wiped by the idle timer */
    kiosk_screen_stack_t stack;
    int lang;           /* chosen language index, -1 none */
    int text_step;      /* larger text: 0 .. KIOSK_TEXT_STEPS - 1 */
    bool high_contrast; /* the high-contrast theme */
    /* the last print: its outcome and the printer's state (print screen),
     * or pending while a job is sent (print_job.c) */
    kiosk_print_outcome_t print_outcome;
    hw_printer_state_t print_state;
    bool print_pending;
    unsigned visit_seq; /* counts visits, so a late outcome finds its own */

    /* the pointer (one finger, or the mouse): press, drag, fling */
    bool pointer_down, dragging, finger_active;
    SDL_FingerID finger;
    int down_x, down_y, drag_y;
    uint64_t drag_ms;
    float fling_v;         /* px per ms, 0 none */
    uint64_t fling_next;   /* next fling step */
    uint64_t screen_timer; /* a screen's next redraw (0 none): the welcome's greeting */

    /* the printer, opened at start; the slip composer, made at the first print */
    hw_printer_t *printer;
    kiosk_slip_composer_t *composer;
    kiosk_print_job_t *print_job; /* a slip being sent, NULL none */
    Uint32 print_event;           /* SDL user event: the job is done, 0 none */
    time_t wall_fixed;            /* tests: wall clock = this + app time; 0 real */

    /* time: ms; virtual while a script runs */
    bool virtual_clock;
    uint64_t now_ms;
    uint64_t clock_ticks0, clock_ms0;
    uint64_t last_input_ms;
    bool idle_armed;
    uint64_t idle_deadline;

    bool dirty; /* the whole UI needs drawing */
    /* only app->damage needs drawing (kiosk_app_damage); the UI target
     * holds the last frame when ui_valid */
    bool damaged, ui_valid;
    bool out_software; /* the renderer draws into a surface (SDL's software one) */
    bool out_kept;     /* ...which holds the last frame whole */
    int out_w, out_h;
    SDL_Rect damage;
    bool clipping;              /* a partial frame: every clip lies inside clip */
    SDL_Rect clip;              /* the part being drawn */
    SDL_Rect screen_timer_rect; /* what the screen timer redraws (w 0: all) */
    bool quit;
    uint64_t frames, partial_frames;
    uint64_t wakeups;
    const kiosk_script_t *script;

    /* operations (ops.h): systemd's readiness and watchdog */
    kiosk_notify_t notify;
    /* maintenance (screen_pin.c, screen_maint.c): the hidden gesture, the
     * PIN's lock-out, the last maintenance action's result (no PIN here) */
    kiosk_gesture_t gesture;
    kiosk_pin_t pin;
    char maint_note[320];

    /* the play button's sound (audio.c); stopped with the visit */
    kiosk_audio_t audio;

    /* screenshot buffers, made on the first `shot` */
    uint8_t *shot_ui, *shot_panel;

    /* the visit (visit.c): "still there?" and its countdown */
    bool asking;
    uint64_t ask_deadline;    /* the visit ends then */
    int ask_shown;            /* seconds left as drawn */
    bool ask_laid_out;        /* texts below made for this visit's language */
    i18n_text_t ask_texts[3]; /* question, seconds left, continue */
    SDL_Rect ask_box, ask_button;

    /* content updates (app_update.c, overlay.c) */
    content_store_t *store; /* NULL with --content: no updates */
    content_watch_t *watch;
    content_keyring_t *keys;  /* NULL: no trusted keys, nothing installs */
    SDL_Thread *watch_thread; /* waits on the watch, wakes the loop */
    SDL_sem *watch_ack;       /* the loop has looked: wait again */
    int watch_stop[2];        /* pipe: tells the thread to end */
    Uint32 watch_event;       /* SDL user event type, 0 none */
    bool commit_due;          /* commit the store after the next frame */
    bool swap_due;            /* installed content waits for the next visit */
    kiosk_update_state_t update;
    uint64_t update_until; /* the last word goes away then */
    uint64_t update_done, update_total;
    uint64_t update_drawn_ms;    /* real time of the last progress frame */
    char update_text[320];       /* headline */
    char update_detail[128];     /* version and date */
    i18n_text_t update_texts[2]; /* headline, detail */
};

/* The screens, one file each (screen_*.c). arg: see each. */
extern const kiosk_screen_class_t kiosk_screen_welcome;   /* bottom screen */
extern const kiosk_screen_class_t kiosk_screen_languages; /* the picker */
extern const kiosk_screen_class_t kiosk_screen_home;      /* categories, rights, help */
extern const kiosk_screen_class_t kiosk_screen_services;  /* arg: category index */
extern const kiosk_screen_class_t kiosk_screen_service;   /* arg: service index */
extern const kiosk_screen_class_t kiosk_screen_rights;    /* list of pages */
extern const kiosk_screen_class_t kiosk_screen_article;   /* arg: rights page index */
extern const kiosk_screen_class_t kiosk_screen_help;      /* who runs it, privacy */
extern const kiosk_screen_class_t kiosk_screen_print;     /* arg: service index */
extern const kiosk_screen_class_t kiosk_screen_pin;       /* maintenance PIN pad */
extern const kiosk_screen_class_t kiosk_screen_maint;     /* maintenance */

/* ---- maintenance (screen_pin.c, screen_maint.c) ------------------------- */

#define KIOSK_SCREEN_PIN   "maintenance-pin"
#define KIOSK_SCREEN_MAINT "maintenance"

/* Every touch of the loop, in logical UI coordinates, goes to the hidden
 * gesture first; true when it took the touch (a corner held long enough
 * for a step: it activates nothing; the last step opens the PIN pad). */
bool kiosk_maint_touch(kiosk_app_t *app, Uint32 type, int x, int y);

/* The idle time after a touch: KIOSK_MAINT_IDLE_MS while a maintenance
 * screen is open, else the visitor's idle_timeout. */
uint64_t kiosk_maint_idle_ms(const kiosk_app_t *app);

/* The idle timer fired: when a maintenance screen is open, leave it for a
 * fresh welcome screen (no "still there?") and return true. */
bool kiosk_maint_idle(kiosk_app_t *app);

/* True while the PIN pad or the maintenance screen is on the stack. */
bool kiosk_maint_open(const kiosk_app_t *app);

/* What the top maintenance screen shows, as text, in order (the PIN pad:
 * its message; the maintenance screen: every line); returns how many
 * (0 on any other screen). For tests and diagnostics. */
size_t kiosk_maint_lines(kiosk_app_t *app, const char **lines, size_t max);
const char *kiosk_pin_shown(const kiosk_screen_t *screen);

/* A page for the crew's screens: like kiosk_ui_page() without the bar and
 * without the welcome's "start", laid out left to right in English. */
void *kiosk_maint_page(kiosk_app_t *app, kiosk_screen_t *screen, size_t size, size_t texts,
                       int bottom);

/* Content string keys the screens show (NULL-terminated; screens.c): the
 * ones checked for font coverage at start-up. */
extern const char *const kiosk_screen_string_keys[];

/* Widget actions (ui_bar.c runs them all: kiosk_ui_activate). */
enum {
    KIOSK_ACTION_LANGUAGE = 1, /* arg: language index */
    KIOSK_ACTION_BACK,
    KIOSK_ACTION_HOME,
    KIOSK_ACTION_PICKER,
    KIOSK_ACTION_TEXT_SIZE,
    KIOSK_ACTION_CONTRAST,
    KIOSK_ACTION_START,
    KIOSK_ACTION_CATEGORY, /* arg: category index */
    KIOSK_ACTION_SERVICE,  /* arg: service index */
    KIOSK_ACTION_RIGHTS,
    KIOSK_ACTION_PAGE, /* arg: rights page index */
    KIOSK_ACTION_HELP,
    KIOSK_ACTION_PRINT,  /* arg: service index */
    KIOSK_ACTION_FINISH, /* the visit ends now, as at the idle reset */
    KIOSK_ACTION_PLAY,   /* the page's recording: play or stop */
};

/* ---- the theme (app_draw.c) --------------------------------------------- */

/* Every colour and size the screens use, in one table. Sizes are pixels at
 * the 1080x1920 reference (1920x1080 in landscape), scaled to the UI by
 * kiosk_app_unit(); text sizes also by the larger-text step. */
typedef struct {
    render_color_t background, text, muted, button, pressed, accent, on_accent, letterbox;
    render_color_t badge, on_badge, open, on_open, bar, on_bar;
    float margin;        /* around every screen */
    float gap;           /* between tiles and rows */
    float border;        /* outline of a button */
    float border_min;    /* ... never thinner than this, in px of the UI */
    float line_height;   /* nominal height of a missing text, x its size */
    float bar_h, bar_px; /* the bar: height, label size */
    float welcome_top, title_px, others_px, choose_px, label_px, cell_max_h;
    float heading_px, body_px, small_px, tile_h, row_h, qr_px;
    int grid_cols_portrait, grid_cols_landscape;
} kiosk_theme_t;

extern const kiosk_theme_t kiosk_theme;          /* calm: dark on warm white */
extern const kiosk_theme_t kiosk_theme_contrast; /* high contrast: white on black */

#define KIOSK_TEXT_STEPS 3 /* larger text: 100 %, 125 %, 150 % */

/* The theme in use, the text scale of the step in use, and the smallest
 * side of a touch target (9 mm at screen_dpi) in px of the UI. */
const kiosk_theme_t *kiosk_app_theme(const kiosk_app_t *app);
float kiosk_app_text_scale(const kiosk_app_t *app);
int kiosk_app_min_target(const kiosk_app_t *app);

/* The language the person reads (chosen, else the default), its tag and
 * direction. */
size_t kiosk_app_lang(const kiosk_app_t *app);
const char *kiosk_app_lang_tag(const kiosk_app_t *app);
bool kiosk_app_rtl(const kiosk_app_t *app);

/* A text for the person (content_text fallback); *tag gets the tag of the
 * language it is in. Never NULL ("" when missing). */
const char *kiosk_app_say(const kiosk_app_t *app, const char *key, const char **tag);

/* The wall clock the booth shows opening hours by. */
time_t kiosk_app_wall(const kiosk_app_t *app);

/* Images: an RGBA canvas as a texture (NULL on failure, logged once), and
 * drawing one into a rectangle of the UI. */
SDL_Texture *kiosk_app_texture(kiosk_app_t *app, const render_canvas_t *canvas);
void kiosk_app_image(kiosk_app_t *app, SDL_Texture *tex, SDL_Rect r);

/* The scale of the UI against the 1080x1920 reference. */
float kiosk_app_unit(const kiosk_app_t *app);

/* A string of the content for a language, falling back to the default
 * language, then "". Never NULL. */
const char *kiosk_app_string(const kiosk_app_t *app, size_t lang, const char *key);

/* Lays out text for drawing (screens call this from enter, never per
 * frame). On failure text is left empty and a warning is logged. */
void kiosk_app_layout(kiosk_app_t *app, i18n_text_t *text, const char *utf8, const char *lang,
                      float size_px, float max_width, i18n_align_t align, int max_lines);

/* Height of laid-out text, or a nominal one when text is unavailable. */
float kiosk_app_text_height(const i18n_text_t *text, float size_px);

/* Drawing for screens, in logical coordinates on the UI target. */
void kiosk_app_fill(kiosk_app_t *app, SDL_Rect r, render_color_t color);
void kiosk_app_text(kiosk_app_t *app, const i18n_text_t *text, float x, float y,
                    render_color_t color);

/* ---- navigation (app.c) ------------------------------------------------- */

/* Opens any screen class with its argument on top of the stack (the one
 * way screens navigate forward); logs and stays put when it cannot. */
void kiosk_app_push(kiosk_app_t *app, const kiosk_screen_class_t *cls, int arg);

/* Back one screen (never past the first). */
void kiosk_app_back(kiosk_app_t *app);

/* Lays every screen of the stack out again (text size, theme or language
 * changed): the same screens with the same arguments. */
void kiosk_app_relayout(kiosk_app_t *app);

/* ---- widgets shared by the screens (ui_*.c) ------------------------------ */

/* Widgets the bar adds first: home, back, language, larger text, high
 * contrast, and "play" when the page has a recording. */
#define KIOSK_UI_BAR_WIDGETS_MAX 6

/* Texts every screen keeps first for its bar (kiosk_screen_texts). */
enum { KIOSK_UI_BAR_BACK, KIOSK_UI_BAR_LANG, KIOSK_UI_BAR_TEXT, KIOSK_UI_BAR_TEXTS };

/* What a screen lays out with: the person's language, its direction, the
 * margin and the first y below the bar. */
typedef struct {
    size_t lang;
    const char *tag;
    bool rtl;
    float u, ts; /* unit and text scale */
    int w, h, margin, top, min_target;
} kiosk_ui_t;

void kiosk_ui_begin(kiosk_app_t *app, kiosk_ui_t *ui);

/* Mirrors a rectangle laid out left to right for an RTL language. */
SDL_Rect kiosk_ui_mirror(const kiosk_ui_t *ui, SDL_Rect r);

/* Adds the bar's widgets (home, back, language, larger text, high
 * contrast) and lays out its texts; sets ui->top below it. */
wm_status_t kiosk_ui_bar(kiosk_app_t *app, kiosk_screen_t *screen, kiosk_ui_t *ui);
void kiosk_ui_bar_draw(kiosk_app_t *app, const kiosk_screen_t *screen);

/* Runs any widget's action (every screen's activate). */
void kiosk_ui_activate(kiosk_screen_t *screen, void *ctx, const kiosk_widget_t *widget);

/* A button: its fill (pressed or not) and outline. */
void kiosk_ui_button(kiosk_app_t *app, const kiosk_screen_t *screen, size_t index, bool filled);

/* Lays out a text at x..x+width (aligned to the reading start) and moves
 * *y below it; returns its height. */
float kiosk_ui_text(kiosk_app_t *app, const kiosk_ui_t *ui, i18n_text_t *t, const char *key,
                    float px, int width, int max_lines);

/* A scrolling area: widgets from `first` on move with it and are clipped
 * to view. */
typedef struct {
    SDL_Rect view;
    int content_h, scroll;
    size_t first, count;
    SDL_Rect base[KIOSK_WIDGETS_MAX];
} kiosk_ui_scroll_t;

void kiosk_ui_scroll_begin(kiosk_ui_scroll_t *s, const kiosk_screen_t *screen, SDL_Rect view);
void kiosk_ui_scroll_end(kiosk_ui_scroll_t *s, kiosk_screen_t *screen, int content_h);
/* Scrolls by dy px (clamped); true when it moved. */
bool kiosk_ui_scroll_by(kiosk_ui_scroll_t *s, kiosk_screen_t *screen, int dy);
/* Clips drawing to the view (on) or not (off); draws the scroll bar. */
void kiosk_ui_scroll_clip(kiosk_app_t *app, const kiosk_ui_scroll_t *s, bool on);
void kiosk_ui_scroll_bar(kiosk_app_t *app, const kiosk_ui_t *ui, const kiosk_ui_scroll_t *s);

/* A page: the bar, then texts, badges and images laid out once in enter,
 * in a scrolling area under the bar; buttons in it are the widgets added
 * between kiosk_ui_page() and kiosk_ui_page_end(); widgets added after
 * stay put (filled buttons, e.g. "print"). Every screen but the welcome
 * is one; its state starts with this struct. */
typedef enum {
    KIOSK_UI_TEXT = 0, /* theme text colour */
    KIOSK_UI_MUTED,
    KIOSK_UI_ACCENT,
    KIOSK_UI_BADGE,     /* a filled pill behind the text */
    KIOSK_UI_OPEN,      /* an "open now" pill */
    KIOSK_UI_ON_ACCENT, /* label of a filled button */
    KIOSK_UI_IMAGE,     /* image[] at box */
} kiosk_ui_kind_t;

#define KIOSK_UI_ITEMS_MAX  160
#define KIOSK_UI_IMAGES_MAX 16

typedef struct {
    int text;     /* screen->texts index, -1 none */
    SDL_Rect box; /* content coordinates (scrolled unless fixed) */
    kiosk_ui_kind_t kind;
    int image;
    bool fixed;
} kiosk_ui_item_t;

typedef struct {
    kiosk_ui_t ui;
    kiosk_ui_scroll_t scroll;
    i18n_text_t *texts; /* the screen's (heap: survives the screen moving) */
    kiosk_ui_item_t items[KIOSK_UI_ITEMS_MAX];
    size_t item_count, text_next, text_max;
    SDL_Texture *images[KIOSK_UI_IMAGES_MAX];
    size_t image_count;
    int pad; /* inside buttons and badges */
    bool bar;
} kiosk_ui_page_t;

/* Makes the screen's state (size bytes, starting with a page) and texts
 * (the bar's and `texts` more), lays out the bar and opens the scroll
 * area below it down to bottom (0: the screen's bottom). */
void *kiosk_ui_page(kiosk_app_t *app, kiosk_screen_t *screen, size_t size, size_t texts, int bottom,
                    bool bar);

/* A label centred in box (at most two lines); returns its height. */
int kiosk_ui_page_label(kiosk_app_t *app, kiosk_ui_page_t *page, const char *utf8, const char *tag,
                        float px, SDL_Rect box, kiosk_ui_kind_t kind, int lines);

/* The grid of language buttons (widgets "lang-TAG", each language by its
 * own name in its own script) from y down; returns the bottom. fit: the
 * height it should fit in (0: any). */
int kiosk_ui_page_languages(kiosk_app_t *app, kiosk_ui_page_t *page, kiosk_screen_t *screen, int y,
                            int fit);

/* Lays out utf8 (in language tag) at x, y, width px wide, as an item of
 * kind; returns its height (0 for an empty text). fixed: not scrolled. */
int kiosk_ui_page_text(kiosk_app_t *app, kiosk_ui_page_t *page, const char *utf8, const char *tag,
                       float px, int x, int y, int width, kiosk_ui_kind_t kind, int max_lines,
                       bool fixed);
/* The same for a content key in the person's language (with fallback). */
int kiosk_ui_page_say(kiosk_app_t *app, kiosk_ui_page_t *page, const char *key, float px, int x,
                      int y, int width, kiosk_ui_kind_t kind, int max_lines);
/* A badge: a pill with text, placed at the reading start of *x (moved on
 * past it); returns its height. */
int kiosk_ui_page_badge(kiosk_app_t *app, kiosk_ui_page_t *page, const char *key, const char *utf8,
                        float px, int *x, int y, int x_end, kiosk_ui_kind_t kind);
/* An image item owning tex (destroyed on leave). */
void kiosk_ui_page_image(kiosk_ui_page_t *page, SDL_Texture *tex, SDL_Rect box, bool fixed);
/* Ends the scrolling area; content_bottom in content coordinates. */
void kiosk_ui_page_end(kiosk_ui_page_t *page, kiosk_screen_t *screen, int content_bottom);

/* Class functions every page uses. */
void kiosk_ui_page_draw(kiosk_screen_t *screen, void *ctx);
void kiosk_ui_page_leave(kiosk_screen_t *screen, void *ctx);
bool kiosk_ui_page_scroll(kiosk_screen_t *screen, void *ctx, int dy);

/* The badges of service i (open now / when it opens, free, no documents;
 * all: walk-in and wheelchair too) flowing from x, y up to x_end; returns
 * the bottom (screen_services.c). */
int kiosk_ui_service_badges(kiosk_app_t *app, kiosk_ui_page_t *pg, size_t i, int x, int y,
                            int x_end, float px, bool all);

/* A QR code of payload as a texture at the largest module (at most
 * max_module px) that fits avail px; *side gets its size (screen_service.c). */
SDL_Texture *kiosk_ui_qr(kiosk_app_t *app, const char *payload, int avail, int max_module,
                         int *side);

/* An icon of the content (PNG) as a texture; NULL when it cannot be read. */
SDL_Texture *kiosk_ui_icon(kiosk_app_t *app, const char *path);

/* ---- the play button's sound (audio.c) ---------------------------------- */

/* The content's name of the page a screen shows ("home", "rights.ID",
 * "category.ID", "service.ID", ...: content.h); false for a screen that
 * has none (the welcome, the print result). */
bool kiosk_audio_page(const kiosk_app_t *app, const kiosk_screen_t *screen, char *out, size_t size);

/* The recording of that page in the person's language (owned by the
 * content), or NULL: no play button then (nor when the booth has no sound). */
const char *kiosk_audio_recording(const kiosk_app_t *app, const kiosk_screen_t *screen);

/* Plays the screen's recording from the start (stopping any other): reads
 * and converts it, opens the device (SDL audio starts at the first call).
 * WM_ENOENT: no recording; WM_EUNSUPPORTED: no sound here (the button is
 * hidden from then on); WM_EFORMAT, WM_EIO, WM_ENOMEM: nothing plays. */
wm_status_t kiosk_audio_play(kiosk_app_t *app, const kiosk_screen_t *screen);

/* The play button: stops what plays, else plays (a failure is logged
 * without naming the page; no sound: the bar is laid out without it). */
void kiosk_audio_toggle(kiosk_app_t *app, const kiosk_screen_t *screen);

/* Stops playing and closes the device (nothing playing: nothing to do). */
void kiosk_audio_stop(kiosk_app_t *app);

bool kiosk_audio_playing(const kiosk_app_t *app);

/* Bytes of the recording not yet handed to the device (0 when stopped). */
uint32_t kiosk_audio_queued(kiosk_app_t *app);

/* From the bar's drawing: stops when screen is not the page that plays (or
 * the language changed, or it has ended); else asks for a frame at its end. */
void kiosk_audio_sync(kiosk_app_t *app, const kiosk_screen_t *screen);

/* Stops and quits SDL audio (app exit). */
void kiosk_audio_destroy(kiosk_app_t *app);

/* ---- video and frames (app_video.c) ------------------------------------- */

/* Starts SDL video on app->display, opens the window (or a surface when
 * headless cannot have one), the renderer and the UI target. */
wm_status_t kiosk_app_video_start(kiosk_app_t *app);

/* Frees what kiosk_app_video_start made and quits SDL. */
void kiosk_app_video_stop(kiosk_app_t *app);

/* Draws the top screen into the UI target and presents it, rotated and
 * scaled to the output. With only damage pending (and the target holding
 * the last frame) just the damaged rectangle is cleared and drawn again,
 * every draw clipped to it: the pixels are those of a whole frame. */
void kiosk_app_frame(kiosk_app_t *app);

/* Whether a frame is due: something changed (dirty or damaged). */
bool kiosk_app_frame_due(const kiosk_app_t *app);

/* Only r (logical pixels) changed: the next frame redraws r alone, unless
 * something else asks for a whole frame (app->dirty). */
void kiosk_app_damage(kiosk_app_t *app, SDL_Rect r);

/* The pressed button of the top screen becomes index (-1 none); the old
 * and the new button are damaged. */
void kiosk_app_set_pressed(kiosk_app_t *app, int index);

/* SDL_RenderSetClipRect for screens: r (NULL: none), kept inside the part
 * a partial frame draws. */
void kiosk_app_clip(kiosk_app_t *app, const SDL_Rect *r);

/* ---- the visit (visit.c) ------------------------------------------------ */

/* Idle timer fired: ask "still there?" (or, with nothing to forget, start
 * over at once). */
void kiosk_visit_idle(kiosk_app_t *app);

/* The countdown's timer: the next second, or the end of the visit. */
bool kiosk_visit_deadline(const kiosk_app_t *app, uint64_t *deadline);
void kiosk_visit_tick(kiosk_app_t *app);

/* A press while asking: the person is still there (the press is used up). */
void kiosk_visit_answer(kiosk_app_t *app);

/* ---- printing a slip (print_job.c) -------------------------------------- */

/* Sends a composed slip (canvas, taken over) for a service: on a worker
 * thread (print_pending until the outcome), or at once on the virtual
 * clock. Without a printer, or while another slip is being sent, the
 * outcome is KIOSK_PRINT_FAILED at once. */
void kiosk_print_start(kiosk_app_t *app, int service, render_canvas_t *canvas);
/* The job's SDL event came: show its outcome (if its visit goes on). */
void kiosk_print_poll(kiosk_app_t *app);
/* At exit: waits for a slip being sent. */
void kiosk_print_wait(kiosk_app_t *app);
bool kiosk_print_busy(const kiosk_app_t *app);

/* ---- updates and overlays (app_update.c, overlay.c) --------------------- */

/* Opens the content store and the watcher (without --content); picks the
 * folder to load into app->content_path. */
void kiosk_update_start(kiosk_app_t *app, char *dir, size_t size);
void kiosk_update_stop(kiosk_app_t *app);

/* The watcher woke the loop (its SDL user event): install what it found. */
void kiosk_update_event(kiosk_app_t *app);

/* After a frame: commits a pending set once it has been drawn. */
void kiosk_update_after_frame(kiosk_app_t *app);

/* At the start of a visit: shows installed content that waited. */
void kiosk_update_swap(kiosk_app_t *app);

/* The overlays' timers (the update's last word going away). */
bool kiosk_update_deadline(const kiosk_app_t *app, uint64_t *deadline);
void kiosk_update_tick(kiosk_app_t *app);

/* Lays out "still there?" (texts and the continue button) when asking. */
void kiosk_overlay_ask_layout(kiosk_app_t *app);

/* Draws "still there?" and the staff update banner over the screen. */
void kiosk_overlay_draw(kiosk_app_t *app);

/* Lays out the staff banner's texts for app->update_text. */
void kiosk_overlay_update_layout(kiosk_app_t *app);

/* Loads content from dir (built-in text on failure), fonts and text. */
wm_status_t kiosk_app_load(kiosk_app_t *app, const char *dir);
void kiosk_app_unload(kiosk_app_t *app);

/* Start-up checks of what kiosk_app_load opened: every font is opened
 * (those that cannot be are logged) and characters no font covers are
 * logged per language. kiosk_app_load runs them at once, except while the
 * booth starts (checks_due): then kiosk_app_run runs them after the first
 * frame, before it handles any input. */
void kiosk_app_checks(kiosk_app_t *app);

/* ---- the loop (app_loop.c) ---------------------------------------------- */

/* A fling: a step every 16 ms, keeping 92 % of its speed each step, from a
 * release faster than 0.3 px/ms until it is slower than a quarter of that. */
#define KIOSK_FLING_STEP_MS 16
#define KIOSK_FLING_DECAY   0.92f
#define KIOSK_FLING_MIN     0.3f

/* Handles every event already queued (without waiting); on the virtual
 * clock, draws a frame when something changed. */
void kiosk_app_drain(kiosk_app_t *app);

/* Moves the virtual clock forward, firing every timer on the way. */
void kiosk_app_advance(kiosk_app_t *app, uint64_t ms);

#endif
