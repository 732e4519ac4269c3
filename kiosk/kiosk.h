/*
 * kiosk.h: the application: command line, configuration, display geometry,
 * the screen stack, scripted input and the main loop.
 *
 * Everything here but main() lives in the waymark::kiosk library so the
 * tests can drive it: parse options and configuration, build a script,
 * create an app (headless), run it and look at its screen stack.
 *
 * Nothing in this module logs what a person did (screens, touches,
 * languages); logs are about the booth's own state only.
 */
#ifndef KIOSK_H
#define KIOSK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "content.h"
#include "render.h"

/* ---- command line ------------------------------------------------------- */

/* The `waymark` program: dispatches argv[1] to a subcommand and returns the
 * exit status (0 ok, 1 failure, 2 usage or configuration error). */
int kiosk_main(int argc, char **argv);

/* ---- options and configuration ------------------------------------------ */

#define KIOSK_DEFAULT_WIDTH  1080
#define KIOSK_DEFAULT_HEIGHT 1920
#define KIOSK_MIN_SIDE       120
/* At most 4096 px a side and 4096x2160 px in all (DCI 4K, either way up;
 * every 4K panel fits): the booth keeps about five frames of 4 bytes a
 * pixel (UI target, window, renderer, two screenshot buffers), 35 MB each
 * at the limit, which a 1 GB Raspberry Pi holds beside its fonts and
 * content. 8192x8192 took 1.9 GB. */
#define KIOSK_MAX_SIDE             4096
#define KIOSK_MAX_PIXELS           (4096 * 2160)
#define KIOSK_DEFAULT_IDLE_TIMEOUT 90 /* seconds */
#define KIOSK_MIN_IDLE_TIMEOUT     5
#define KIOSK_MAX_IDLE_TIMEOUT     3600
/* Install paths (GNUInstallDirs, from the build): the configuration file
 * read by default and the factory content shipped with the firmware. Both
 * can be overridden for a build tree: $WAYMARK_CONFIG names another
 * configuration file, $WAYMARK_CONTENT another factory content folder. */
#ifndef WAYMARK_SYSCONFDIR
#define WAYMARK_SYSCONFDIR "/etc"
#endif
#ifndef WAYMARK_DATADIR
#define WAYMARK_DATADIR "/usr/share"
#endif
#define KIOSK_DEFAULT_CONFIG    WAYMARK_SYSCONFDIR "/waymark/waymark.conf"
#define KIOSK_FACTORY_CONTENT   WAYMARK_DATADIR "/waymark/content"
#define KIOSK_DEFAULT_DATA_DIR  "/var/lib/waymark"
#define KIOSK_DEFAULT_USB_ROOTS "/media/waymark"
#define KIOSK_DEFAULT_KEYS_DIR  "/etc/waymark/keys"
#define KIOSK_USB_ROOTS_MAX     8
#define KIOSK_PATH_MAX          1024
#define KIOSK_LANG_MAX          36
#define KIOSK_DEFAULT_PRINTER   "sim:"
#define KIOSK_DEFAULT_PAPER_MM  80
#define KIOSK_DEFAULT_PIN_FILE  WAYMARK_SYSCONFDIR "/waymark/maintenance.pin"
/* The official 7-inch Raspberry Pi display (800x480) has 133 px/inch; a
 * 1080x1920 21.5-inch panel about 102. 160 errs on the side of big. */
#define KIOSK_DEFAULT_DPI 160
#define KIOSK_MIN_DPI     50
#define KIOSK_MAX_DPI     600

/* What `waymark run` was asked to do: defaults, overridden by the
 * configuration file, overridden by the command line. Plain values, no
 * allocation. */
typedef struct {
    int width, height; /* logical UI size in px (portrait 1080x1920) */
    int rotate;        /* 0, 90, 180 or 270: UI rotation on the panel */
    bool fullscreen;   /* SDL_WINDOW_FULLSCREEN_DESKTOP */
    bool headless;     /* dummy/offscreen video driver, no window shown */
    int idle_timeout;  /* seconds without input before everything is wiped */
    wm_log_level_t log_level;
    char default_language[KIOSK_LANG_MAX]; /* fallback for missing strings */
    char content_dir[KIOSK_PATH_MAX];      /* "" = DATA_DIR/content, else factory */
    char data_dir[KIOSK_PATH_MAX];
    char keys_dir[KIOSK_PATH_MAX];       /* factory keyring: trusted minisign public keys */
    char usb_roots[KIOSK_PATH_MAX];      /* where sticks are mounted, comma-separated */
    char printer[KIOSK_PATH_MAX];        /* printer URI (hw.h), checked at load */
    int paper_mm;                        /* 58 or 80 */
    char pin_file[KIOSK_PATH_MAX];       /* PIN hash; "" = KIOSK_DEFAULT_PIN_FILE */
    int screen_dpi;                      /* pixels per inch of the UI: touch targets are 9 mm */
    char config[KIOSK_PATH_MAX];         /* file read ("" = none) */
    bool config_explicit;                /* --config given: must exist */
    char script[KIOSK_PATH_MAX];         /* --script FILE ("" = none) */
    char screenshot_dir[KIOSK_PATH_MAX]; /* --screenshot-dir DIR */
    bool exit_after_first_frame;
    bool dry_run; /* --dry-run: print the display choice, start nothing */
    bool help;    /* -h/--help was given: print usage, exit 0 */
} kiosk_options_t;

/* Fills opts with the built-in defaults. */
void kiosk_options_default(kiosk_options_t *opts);

/* Parses the arguments of `waymark run` (argv[0] is "run") into *out:
 * defaults, then the configuration file (--config FILE, else
 * $WAYMARK_CONFIG or KIOSK_DEFAULT_CONFIG when it exists), then the
 * command line. Returns
 * WM_EINVAL for a bad option and WM_EFORMAT/WM_ENOENT for a bad
 * configuration, with a message naming the problem; *out is untouched
 * then. */
wm_status_t kiosk_options_parse(int argc, char **argv, kiosk_options_t *out);

/* Checks what the options name before anything starts, so a mistake is
 * not found at the first screenshot: creates a missing --screenshot-dir
 * (one level); WM_EINVAL when it exists but is not a folder or cannot be
 * created. */
wm_status_t kiosk_options_prepare(const kiosk_options_t *opts);

/* Reads a configuration file into opts (only the keys it sets change).
 * Format: one `key = value` a line, `#` starts a comment line, blank lines
 * are ignored; see kiosk/waymark.conf for every key. An unknown key, a bad
 * value, a duplicate key or a line without '=' is an error
 * "FILE:LINE: ..."; opts is untouched on failure. */
wm_status_t kiosk_config_load(const char *path, kiosk_options_t *opts);

/* The same from text in memory; name is used in messages. A UTF-8 byte
 * order mark at the start is skipped. */
wm_status_t kiosk_config_parse(const char *text, const char *name, kiosk_options_t *opts);

/* A key of the configuration file: set parses a value into opts (messages
 * without FILE:LINE, which the parser adds); get writes the value opts
 * holds as the file would say it ("" for an unset path). */
typedef struct {
    const char *key;
    wm_status_t (*set)(const char *value, kiosk_options_t *opts);
    void (*get)(const kiosk_options_t *opts, char *buf, size_t size);
} kiosk_config_key_t;

/* Every key the file may hold (static table; *count set). */
const kiosk_config_key_t *kiosk_config_keys(size_t *count);

/* Value parsers shared by the command line and the configuration. */
wm_status_t kiosk_parse_size(const char *s, int *w, int *h);
wm_status_t kiosk_parse_rotation(const char *s, int *out);
wm_status_t kiosk_parse_idle_timeout(const char *s, int *out);
wm_status_t kiosk_parse_bool(const char *s, bool *out);
wm_status_t kiosk_parse_language(const char *s, char out[KIOSK_LANG_MAX]);
wm_status_t kiosk_parse_printer(const char *s, char out[KIOSK_PATH_MAX]);
wm_status_t kiosk_parse_paper(const char *s, int *mm);

/* ---- display choice ----------------------------------------------------- */

typedef enum {
    KIOSK_DISPLAY_NONE = 0, /* nothing to show the booth on */
    KIOSK_DISPLAY_WINDOW,   /* a desktop: X11 or Wayland */
    KIOSK_DISPLAY_KMSDRM,   /* a console with a DRM device: fullscreen */
    KIOSK_DISPLAY_HEADLESS, /* --headless: SDL's dummy (or offscreen) driver */
} kiosk_display_kind_t;

typedef struct {
    kiosk_display_kind_t kind;
    const char *name;   /* "none", "window", "kmsdrm", "headless" */
    const char *driver; /* SDL video drivers to try, in order ("x11,wayland"); "" none */
    bool fullscreen;
    char reason[KIOSK_PATH_MAX + 128]; /* why, for the log and --dry-run */
} kiosk_display_t;

/* Where the booth runs, from the options and the environment: --headless;
 * else a desktop window when $DISPLAY (X) or $WAYLAND_DISPLAY is set (and
 * not empty; fullscreen only with --fullscreen); else KMSDRM fullscreen
 * when the DRM folder ($WAYMARK_DRI_DIR, default /dev/dri) holds a
 * card* device; else none. */
void kiosk_display_choose(const kiosk_options_t *opts, kiosk_display_t *out);

/* ---- display geometry --------------------------------------------------- */

/* Maps a pixel of the logical UI (w x h, as laid out) to the pixel it shows
 * on a panel that displays the UI rotated clockwise by rotate degrees (the
 * panel is h x w for 90 and 270). Corners map to corners. */
void kiosk_rotate_point(int rotate, int w, int h, int x, int y, int *px, int *py);

/* The inverse: a panel pixel back to the logical UI pixel (w x h is the
 * logical size). Used for every touch and mouse event. */
void kiosk_unrotate_point(int rotate, int w, int h, int px, int py, int *x, int *y);

/* The panel size for a logical size and rotation. */
void kiosk_rotate_size(int rotate, int w, int h, int *pw, int *ph);

/* Rotates a logical RGBA8 image (w x h, stride bytes a row) into dst (the
 * panel image, tightly packed, kiosk_rotate_size() big). */
void kiosk_rotate_image(int rotate, const uint8_t *src, int w, int h, int stride, uint8_t *dst);

/* How the panel image is placed in a window of win_w x win_h: scaled to fit,
 * keeping its aspect, centred. */
typedef struct {
    int log_w, log_h; /* logical UI size */
    int rotate;
    int panel_w, panel_h; /* logical size after rotation */
    int win_w, win_h;     /* window size (event coordinates) */
    double scale;         /* panel px -> window px */
    double off_x, off_y;  /* panel's top-left in the window */
} kiosk_view_t;

void kiosk_view_init(kiosk_view_t *view, int log_w, int log_h, int rotate, int win_w, int win_h);

/* Window coordinates to logical UI coordinates; false when outside the
 * panel image (letterbox bars). */
bool kiosk_view_to_logical(const kiosk_view_t *view, int wx, int wy, int *x, int *y);

/* Logical UI coordinates to window coordinates (for synthetic input). */
void kiosk_view_to_window(const kiosk_view_t *view, int x, int y, int *wx, int *wy);

/* The window size for a panel of pw x ph on a desktop whose usable area is
 * bw x bh (<= 0: unknown): scaled down to fit, keeping the aspect. */
void kiosk_window_fit(int pw, int ph, int bw, int bh, int *ww, int *wh);

/* ---- screens ------------------------------------------------------------ */

#define KIOSK_SCREEN_STACK_MAX 8
#define KIOSK_WIDGETS_MAX      64
#define KIOSK_WIDGET_ID_MAX    48 /* "lang-" + a 35-character tag */

typedef struct kiosk_screen kiosk_screen_t;

/* A tappable area of a screen, in logical coordinates. */
typedef struct {
    char id[KIOSK_WIDGET_ID_MAX]; /* "lang-ar", "back": `tap #id` in scripts */
    SDL_Rect rect;
    int action; /* screen-defined */
    int arg;
} kiosk_widget_t;

/* A kind of screen: a table of functions. ctx is what the stack was given
 * (the app). enter lays the screen out (the only place it may allocate:
 * through kiosk_screen_state() and kiosk_screen_texts(), which the stack
 * frees when the screen is left, also after a failed enter); leave frees
 * anything else enter made; draw draws it; activate runs a tapped
 * widget's action. Any may be NULL. */
typedef struct {
    const char *name;
    wm_status_t (*enter)(kiosk_screen_t *screen, void *ctx);
    void (*leave)(kiosk_screen_t *screen, void *ctx);
    void (*draw)(kiosk_screen_t *screen, void *ctx);
    void (*activate)(kiosk_screen_t *screen, void *ctx, const kiosk_widget_t *widget);
    /* a finger dragged by dy px (positive: content moves up); true when
     * the screen moved. NULL: the screen does not scroll. */
    bool (*scroll)(kiosk_screen_t *screen, void *ctx, int dy);
} kiosk_screen_class_t;

struct kiosk_screen {
    const kiosk_screen_class_t *cls;
    int arg;            /* given to push/replace (e.g. a language index) */
    void *state;        /* from kiosk_screen_state(): freed by the stack */
    i18n_text_t *texts; /* from kiosk_screen_texts(): freed by the stack */
    size_t text_count;
    kiosk_widget_t widgets[KIOSK_WIDGETS_MAX];
    size_t widget_count;
    int pressed; /* index of the widget held down, -1 none */
};

typedef struct {
    kiosk_screen_t items[KIOSK_SCREEN_STACK_MAX];
    size_t depth;
    void *ctx;
} kiosk_screen_stack_t;

void kiosk_screen_stack_init(kiosk_screen_stack_t *stack, void *ctx);

/* Pushes a screen and enters it. WM_ESTATE when the stack is full; when
 * enter fails the screen is not pushed. */
wm_status_t kiosk_screen_stack_push(kiosk_screen_stack_t *stack, const kiosk_screen_class_t *cls,
                                    int arg);

/* Leaves and pops the top screen. WM_ESTATE when that would empty the stack
 * (the bottom screen stays). */
wm_status_t kiosk_screen_stack_pop(kiosk_screen_stack_t *stack);

/* Enters another screen in place of the top one, then leaves the old one;
 * on failure the stack is unchanged. Screens must not keep pointers to
 * themselves (they may be moved). */
wm_status_t kiosk_screen_stack_replace(kiosk_screen_stack_t *stack, const kiosk_screen_class_t *cls,
                                       int arg);

/* Pops down to the bottom screen. */
void kiosk_screen_stack_pop_all(kiosk_screen_stack_t *stack);

/* Leaves every screen, bottom included (shutdown). */
void kiosk_screen_stack_clear(kiosk_screen_stack_t *stack);

/* The top screen, NULL when empty. */
kiosk_screen_t *kiosk_screen_stack_top(kiosk_screen_stack_t *stack);

/* The screen's state: size bytes, zeroed, made once from enter and freed
 * by the stack when the screen is left. NULL (message set) when out of
 * memory or already made. */
void *kiosk_screen_state(kiosk_screen_t *screen, size_t size);

/* The screen's n laid-out texts, made once from enter, each initialised
 * empty; the stack frees them (i18n_text_free each) when the screen is
 * left. Heap storage, so pointers into it survive the screen being moved.
 * NULL (message set) when out of memory or already made. */
i18n_text_t *kiosk_screen_texts(kiosk_screen_t *screen, size_t n);

/* Adds a widget to a screen (from enter). WM_ESTATE when full. */
wm_status_t kiosk_screen_add_widget(kiosk_screen_t *screen, const char *id, SDL_Rect rect,
                                    int action, int arg);

/* The widget under a logical point / with an id, or NULL. */
const kiosk_widget_t *kiosk_screen_hit(const kiosk_screen_t *screen, int x, int y);
const kiosk_widget_t *kiosk_screen_find(const kiosk_screen_t *screen, const char *id);

/* ---- scripts ------------------------------------------------------------ */

typedef enum {
    KIOSK_CMD_TAP = 0, /* tap X Y */
    KIOSK_CMD_TAP_ID,  /* tap #widget-id */
    KIOSK_CMD_DRAG,    /* drag X1 Y1 X2 Y2 MS */
    KIOSK_CMD_KEY,     /* key NAME (SDL key name) */
    KIOSK_CMD_WAIT,    /* wait MS (virtual time) */
    KIOSK_CMD_SHOT,    /* shot NAME -> SCREENSHOT_DIR/NAME.png */
    KIOSK_CMD_QUIT,    /* quit */
} kiosk_cmd_type_t;

#define KIOSK_SCRIPT_ARG_MAX  64
#define KIOSK_SCRIPT_WAIT_MAX 86400000 /* one day */

typedef struct {
    kiosk_cmd_type_t type;
    int line;
    int v[5];                        /* numbers, in order */
    int key;                         /* SDL_Keycode for KEY */
    char text[KIOSK_SCRIPT_ARG_MAX]; /* widget id (without '#') or shot name */
} kiosk_script_cmd_t;

typedef struct {
    char name[KIOSK_PATH_MAX]; /* file name for messages */
    kiosk_script_cmd_t *cmds;
    size_t count, cap;
    bool has_shot;
} kiosk_script_t;

/* Parses a script; `#` starts a comment line, blank lines are ignored.
 * Errors read "NAME:LINE: ..." (WM_EFORMAT). Free with
 * kiosk_script_destroy(). */
wm_status_t kiosk_script_parse(const char *text, const char *name, kiosk_script_t **out);
wm_status_t kiosk_script_load(const char *path, kiosk_script_t **out);
void kiosk_script_destroy(kiosk_script_t *script);

/* Checks a parsed script against a UI of width x height before it runs:
 * WM_EINVAL "NAME:LINE: point X Y is outside the screen (WxH)" for a tap
 * or drag point outside it. */
wm_status_t kiosk_script_check(const kiosk_script_t *script, int width, int height);

/* ---- the booth ---------------------------------------------------------- */

typedef struct kiosk_app kiosk_app_t;

/* Starts SDL on the display kiosk_display_choose() picks (WM_EUNSUPPORTED
 * when there is none), opens the window and renderer, loads content
 * (falling back to built-in text on error) and fonts, and enters the
 * welcome screen. Borrows nothing: opts are copied. Free with
 * kiosk_app_destroy(), which also quits SDL. */
wm_status_t kiosk_app_create(const kiosk_options_t *opts, kiosk_app_t **out);
void kiosk_app_destroy(kiosk_app_t *app);

/* The main loop until quit (window closed, SIGINT/SIGTERM, `quit` in the
 * script, or the first frame with exit_after_first_frame). Replays the
 * script first when given (it must be loaded: see kiosk_app_set_script). */
wm_status_t kiosk_app_run(kiosk_app_t *app);

/* Gives the app a script to replay in kiosk_app_run (borrowed). */
void kiosk_app_set_script(kiosk_app_t *app, const kiosk_script_t *script);

/* Runs one script command now, on the virtual clock. Errors name the
 * script line ("NAME:LINE: no widget '#x' on this screen"). */
wm_status_t kiosk_app_exec(kiosk_app_t *app, const kiosk_script_t *script,
                           const kiosk_script_cmd_t *cmd);

/* For tests and diagnostics. */
kiosk_screen_stack_t *kiosk_app_stack(kiosk_app_t *app);
const char *kiosk_app_screen_name(kiosk_app_t *app);
uint64_t kiosk_app_now(const kiosk_app_t *app);    /* ms on the app clock */
uint64_t kiosk_app_frames(const kiosk_app_t *app); /* frames presented */
/* Times the live loop woke up to look for events (each return from a wait
 * or a poll slice): an idle booth wakes at most every
 * KIOSK_POLL_HEADLESS_MS headless, and never on the virtual clock. */
uint64_t kiosk_app_wakeups(const kiosk_app_t *app);
bool kiosk_app_quit_requested(const kiosk_app_t *app);

/* Video drivers that cannot sleep on events (kmsdrm, dummy, offscreen) are
 * polled: every 10 ms while a person is using the booth, every 50 ms once
 * it has rested 2 s (first-touch latency <= 50 ms), every 100 ms headless
 * (only signals to wait for). */
#define KIOSK_POLL_ACTIVE_MS   10
#define KIOSK_POLL_REST_MS     50
#define KIOSK_POLL_HEADLESS_MS 100
#define KIOSK_POLL_REST_AFTER  2000

/* ---- the visit ----------------------------------------------------------
 *
 * A visit ends when a person taps "finish" or leaves the booth alone: after
 * idle_timeout seconds the booth asks "still there?" with a countdown of
 * KIOSK_ASK_SECONDS and a continue button (any touch answers it); when the
 * countdown runs out, everything about the visit is dropped. */
#define KIOSK_ASK_SECONDS     15
#define KIOSK_WIDGET_CONTINUE "visit-continue" /* `tap #visit-continue` */

/* Ends the visit now: every screen is left (their state, scroll positions
 * and anything pending go with them), the chosen language is forgotten,
 * content installed meanwhile takes effect, and a fresh welcome screen is
 * entered: the next frame equals a fresh start's. The "finish" button. */
void kiosk_app_finish_visit(kiosk_app_t *app);

/* True while "still there?" is shown. */
bool kiosk_app_asking(const kiosk_app_t *app);

/* ---- content updates -----------------------------------------------------
 *
 * Without --content, the booth shows what the content store of data_dir
 * holds (current, else previous, else the factory content) and watches the
 * usb_roots and DATA/inbox for bundles. A bundle found is installed while
 * staff see an overlay (update found, version and date; progress; then
 * installed or not installed and why); a person using the booth stays
 * where they are: the new content is shown from the next welcome screen. */
typedef enum {
    KIOSK_UPDATE_NONE = 0,
    KIOSK_UPDATE_FOUND,     /* verified: version and date known */
    KIOSK_UPDATE_COPYING,   /* progress */
    KIOSK_UPDATE_INSTALLED, /* "installed — you can remove the stick" */
    KIOSK_UPDATE_FAILED,    /* "not installed: REASON" */
} kiosk_update_state_t;

/* How long the last word of an update stays on screen. */
#define KIOSK_UPDATE_SHOW_MS 15000

/* Looks for new bundles now and installs each found (the loop calls it
 * when the watcher wakes it; tests call it directly). */
void kiosk_app_check_updates(kiosk_app_t *app);

/* The update overlay's state and its text ("" none; owned by app). */
kiosk_update_state_t kiosk_app_update_state(const kiosk_app_t *app, const char **text);

/* The folder the shown content came from ("" built-in text). */
const char *kiosk_app_content_dir(const kiosk_app_t *app);

/* Names of the screens (kiosk_screen_class_t.name). */
#define KIOSK_SCREEN_WELCOME   "welcome"
#define KIOSK_SCREEN_LANGUAGES "languages"
#define KIOSK_SCREEN_HOME      "home"
#define KIOSK_SCREEN_SERVICES  "services"
#define KIOSK_SCREEN_SERVICE   "service"
#define KIOSK_SCREEN_RIGHTS    "rights"
#define KIOSK_SCREEN_ARTICLE   "article"
#define KIOSK_SCREEN_HELP      "help"
#define KIOSK_SCREEN_PRINT     "print"

/* Tests: the booth's wall clock (opening hours) reads t plus the app's
 * time from now on; 0 goes back to the real clock. */
void kiosk_app_set_wall_clock(kiosk_app_t *app, time_t t);

#endif
