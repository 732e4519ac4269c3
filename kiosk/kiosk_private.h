/*
 * kiosk_private.h: the app's state, shared by the main loop (app.c) and the
 * screens (screens.c). Not for use outside kiosk/.
 */
#ifndef KIOSK_PRIVATE_H
#define KIOSK_PRIVATE_H

#include "kiosk.h"

struct kiosk_app {
    kiosk_options_t opts;

    /* display */
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
    const kiosk_script_t *script;

    /* screenshot buffers, made on the first `shot` */
    uint8_t *shot_ui, *shot_panel;
};

/* The screens (screens.c). arg of the language screen: language index. */
extern const kiosk_screen_class_t kiosk_screen_welcome;
extern const kiosk_screen_class_t kiosk_screen_language;

/* Widget actions. */
enum {
    KIOSK_ACTION_LANGUAGE = 1, /* arg: language index */
    KIOSK_ACTION_BACK,
};

/* A string of the content for a language, falling back to the default
 * language, then "". Never NULL. */
const char *kiosk_app_string(const kiosk_app_t *app, size_t lang, const char *key);

/* Lays out text for drawing (screens call this from enter, never per
 * frame). On failure text is left empty and a warning is logged. */
void kiosk_app_layout(kiosk_app_t *app, i18n_text_t *text, const char *utf8, const char *lang,
                      float size_px, float max_width, i18n_align_t align, int max_lines);

/* Drawing for screens, in logical coordinates on the UI target. */
void kiosk_app_fill(kiosk_app_t *app, SDL_Rect r, render_color_t color);
void kiosk_app_text(kiosk_app_t *app, const i18n_text_t *text, float x, float y,
                    render_color_t color);

/* Navigation requested by a screen. */
void kiosk_app_choose_language(kiosk_app_t *app, int lang);
void kiosk_app_back(kiosk_app_t *app);

#endif
