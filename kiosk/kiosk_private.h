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

struct kiosk_app {
    kiosk_options_t opts;

    /* display */
    kiosk_display_t display;
    bool sdl_started;
    SDL_Window *window; /* NULL when headless fell back to a bare surface */
    SDL_Surface *surface;
    SDL_Renderer *renderer;
    SDL_Texture *ui; /* logical-size render target the screens draw into */
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

    /* navigation: everything here is wiped by the idle timer */
    kiosk_screen_stack_t stack;
    int lang; /* chosen language index, -1 none */

    /* time: ms; virtual while a script runs */
    bool virtual_clock;
    uint64_t now_ms;
    uint64_t clock_ticks0, clock_ms0;
    uint64_t last_input_ms;
    bool idle_armed;
    uint64_t idle_deadline;

    bool dirty;
    bool quit;
    uint64_t frames;
    uint64_t wakeups;
    const kiosk_script_t *script;

    /* operations (ops.h): systemd's readiness and watchdog */
    kiosk_notify_t notify;

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

/* The screens (screens.c). arg of the language screen: language index. */
extern const kiosk_screen_class_t kiosk_screen_welcome;
extern const kiosk_screen_class_t kiosk_screen_language;

/* Content string keys the screens show (NULL-terminated; screens.c): the
 * ones checked for font coverage at start-up. */
extern const char *const kiosk_screen_string_keys[];

/* Widget actions. */
enum {
    KIOSK_ACTION_LANGUAGE = 1, /* arg: language index */
    KIOSK_ACTION_BACK,
};

/* ---- the theme (app_draw.c) --------------------------------------------- */

/* Every colour and size the screens use, in one table. Sizes are pixels at
 * the 1080x1920 reference, scaled to the UI by kiosk_app_unit(). */
typedef struct {
    render_color_t background, text, muted, button, pressed, accent, on_accent, letterbox;
    float margin;      /* around every screen */
    float border;      /* outline of a language button */
    float border_min;  /* ... never thinner than this, in px of the UI */
    float line_height; /* nominal height of a missing text, x its size */
    /* welcome: greeting, the others' greetings, "choose", language grid */
    float welcome_top, title_px, title_after, others_px, others_after;
    float choose_px, choose_after, grid_gap, cell_max_h, label_px, label_fill;
    int title_lines, others_lines, choose_lines;
    int grid_cols_portrait, grid_cols_landscape;
    /* a language: Back button, heading, body */
    float back_w, back_h, back_pad, back_px, heading_before, heading_px, heading_after, body_px;
    int heading_lines, body_lines;
} kiosk_theme_t;

extern const kiosk_theme_t kiosk_theme;

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

/* ---- video and frames (app_video.c) ------------------------------------- */

/* Starts SDL video on app->display, opens the window (or a surface when
 * headless cannot have one), the renderer and the UI target. */
wm_status_t kiosk_app_video_start(kiosk_app_t *app);

/* Frees what kiosk_app_video_start made and quits SDL. */
void kiosk_app_video_stop(kiosk_app_t *app);

/* Draws the top screen into the UI target and presents it, rotated and
 * scaled to the output. */
void kiosk_app_frame(kiosk_app_t *app);

/* ---- the visit (visit.c) ------------------------------------------------ */

/* Idle timer fired: ask "still there?" (or, with nothing to forget, start
 * over at once). */
void kiosk_visit_idle(kiosk_app_t *app);

/* The countdown's timer: the next second, or the end of the visit. */
bool kiosk_visit_deadline(const kiosk_app_t *app, uint64_t *deadline);
void kiosk_visit_tick(kiosk_app_t *app);

/* A press while asking: the person is still there (the press is used up). */
void kiosk_visit_answer(kiosk_app_t *app);

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

/* ---- the loop (app_loop.c) ---------------------------------------------- */

/* Handles every event already queued (without waiting); on the virtual
 * clock, draws a frame when something changed. */
void kiosk_app_drain(kiosk_app_t *app);

/* Moves the virtual clock forward, firing every timer on the way. */
void kiosk_app_advance(kiosk_app_t *app, uint64_t ms);

#endif
