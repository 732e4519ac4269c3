/*
 * i18n.h: languages, fonts with per-script fallback, and text layout
 * (itemize -> bidi -> shape -> break -> reorder). No SDL here.
 *
 * Typical use:
 *
 *   i18n_fonts_t *fonts;   i18n_fonts_create(NULL, &fonts);
 *   i18n_layout_t *lay;    i18n_layout_create(fonts, &lay);
 *   i18n_text_t text;      i18n_text_init(&text);
 *   i18n_layout_params_t p = i18n_layout_params_default();
 *   p.lang = "ar"; p.size_px = 28; p.max_width = 1000;
 *   i18n_layout_text(lay, &p, utf8, len, &text);
 *   ... draw text.glyphs line by line (render/) ...
 *   i18n_text_free(&text); i18n_layout_destroy(lay); i18n_fonts_destroy(fonts);
 */
#ifndef I18N_H
#define I18N_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include "wm_base.h"

typedef enum {
    I18N_DIR_AUTO = 0, /* first strong character, else the language's direction */
    I18N_DIR_LTR,
    I18N_DIR_RTL,
} i18n_dir_t;

typedef enum {
    I18N_ALIGN_START = 0, /* left in LTR paragraphs, right in RTL ones */
    I18N_ALIGN_END,
    I18N_ALIGN_CENTER,
} i18n_align_t;

/* ---- languages ---------------------------------------------------------- */

typedef struct {
    const char *tag;     /* BCP 47: "ar", "ckb-Latn", "ti" */
    const char *autonym; /* the language's name in itself: "العربية" */
    const char *english; /* "Arabic" */
    const char *script;  /* ISO 15924: "Arab", "Ethi", "Latn" */
    i18n_dir_t dir;      /* I18N_DIR_LTR or I18N_DIR_RTL */
} i18n_language_t;

/* The language for a tag (exact, then its primary subtag), or NULL. */
const i18n_language_t *i18n_language_find(const char *tag);
size_t i18n_language_count(void);
const i18n_language_t *i18n_language_at(size_t index);

/* True when tag is a well-formed BCP 47 language tag (RFC 5646 syntax:
 * language[-extlang][-Script][-REGION][-variant]*[-ext]*[-x-private], or a
 * private-use tag "x-..."), case-insensitive, at most I18N_TAG_MAX - 1
 * bytes. Well-formed is all it checks: an unknown but well-formed tag
 * ("ht", "ln", "wo", "kmr-Latn") is accepted. The one language-tag check of
 * the project: everything that takes a tag calls this. */
#define I18N_TAG_MAX 36
bool i18n_tag_valid(const char *tag);

/* Parses "auto", "ltr", "rtl" / "start", "end", "center". */
wm_status_t i18n_dir_parse(const char *s, i18n_dir_t *out);
wm_status_t i18n_align_parse(const char *s, i18n_align_t *out);

/* ---- fonts -------------------------------------------------------------- */

typedef struct i18n_fonts i18n_fonts_t;

typedef struct {
    /* Folders searched for font files named in fallback chains, in order;
     * NULL-terminated. NULL: the system Noto folders. Content fonts are
     * added by putting their folder first. */
    const char *const *font_dirs;
    /* Optional file of fallback rules, one per line:
     *   script:Arab = NotoNaskhArabic-Regular.ttf, NotoSans-Regular.ttf
     *   lang:ur     = NotoNastaliqUrdu-Regular.ttf
     *   default     = NotoSans-Regular.ttf
     * Rules given here replace the built-in Noto rule for the same key.
     * Its folder is searched first; a font named with a '/' is taken
     * relative to that folder, an absolute one must lie inside one of the
     * folders, '..' is refused, and script:Xxxx must be a script of some
     * Unicode character (i18n_fonts_create fails with WM_EFORMAT). */
    const char *fallback_file;
} i18n_fonts_options_t;

/* Opens every font named in the fallback rules now rather than on first
 * use, so that a booth pays the cost and reports unusable fonts at
 * start-up, not when a visitor first needs a script. Only regular files of
 * at most 64 MiB that are whole fonts (every table inside the file, glyphs
 * that load) are used; a file that is not is skipped for the next file of
 * the same name in the folders, with a warning in the log naming its path
 * and the reason. Calls report (may be NULL) with the name of each font
 * for which no usable file exists; returns how many. */
size_t i18n_fonts_preload(i18n_fonts_t *fonts, void (*report)(const char *name, void *ctx),
                          void *ctx);

/* The system font folders searched when font_dirs is NULL (NULL-terminated,
 * static). Callers that add a folder of their own (content fonts) put it
 * first and these after it. */
const char *const *i18n_fonts_system_dirs(void);

/* Loads the fallback configuration (fonts themselves load lazily on first
 * use). opts may be NULL for the Noto defaults. Free with
 * i18n_fonts_destroy(). */
wm_status_t i18n_fonts_create(const i18n_fonts_options_t *opts, i18n_fonts_t **out);
void i18n_fonts_destroy(i18n_fonts_t *fonts);

/* Number of fonts loaded so far; font ids are 0 .. count-1. */
size_t i18n_fonts_count(const i18n_fonts_t *fonts);

/* The FreeType face of a loaded font (owned by fonts; its size may be
 * changed by the caller before loading glyphs). */
FT_Face i18n_fonts_face(const i18n_fonts_t *fonts, uint16_t font_id);

/* File path of a loaded font (owned by fonts). */
const char *i18n_fonts_path(const i18n_fonts_t *fonts, uint16_t font_id);

/* The font that covers code point cp for lang (first in the fallback chain
 * of cp's script for lang that has it, then any configured font). Returns
 * WM_ENOENT when no configured font covers it. */
wm_status_t i18n_fonts_find(i18n_fonts_t *fonts, const char *lang, uint32_t cp, uint16_t *font_id);

/* Characters of utf8[0 .. len) that no configured font covers (the ones
 * text layout would draw as boxes; invisible characters, see
 * i18n_char_is_invisible, are not counted), for lang as in
 * i18n_fonts_find: *count (may be NULL) gets how many, *first (may be
 * NULL) the first such code point and *first_offset (may be NULL) its byte
 * offset (both untouched when there is none). For checking content when it
 * is loaded. WM_EINVAL for invalid UTF-8, WM_ENOMEM when fonts could not be
 * opened for want of memory; out-parameters are untouched on failure. */
wm_status_t i18n_fonts_missing_count(i18n_fonts_t *fonts, const char *lang, const char *utf8,
                                     size_t len, size_t *count, uint32_t *first,
                                     size_t *first_offset);

/* Controls, line separators and default-ignorable code points: never
 * drawn, so a font not having them is no box (layout gives them invisible
 * zero-width glyphs and does not count them in i18n_text_t.missing). */
bool i18n_char_is_invisible(uint32_t cp);

/* ---- layout ------------------------------------------------------------- */

typedef struct {
    const char *lang;   /* BCP 47 tag of the text; NULL: "en" */
    i18n_dir_t dir;     /* base direction */
    float size_px;      /* font size in pixels (em size) */
    float max_width;    /* line width in px; <= 0: no wrapping */
    i18n_align_t align; /* alignment of each line inside max_width */
    int max_lines;      /* > 0: truncate to this many lines with an ellipsis */
    float line_spacing; /* line height as a multiple of size_px; 0: 1.5 */
} i18n_layout_params_t;

/* Returns lang "en", auto direction, 16 px, no wrapping, start alignment. */
i18n_layout_params_t i18n_layout_params_default(void);

typedef struct {
    uint32_t glyph;   /* glyph id in font */
    uint16_t font;    /* font id (i18n_fonts_face) */
    float x, y;       /* pen position of the glyph origin, relative to the text
                       * box's top-left; y is the baseline (down is positive),
                       * HarfBuzz offsets already applied */
    float advance;    /* x advance in px */
    uint32_t cluster; /* byte offset in the source of the glyph's cluster */
} i18n_glyph_t;

typedef struct {
    size_t first_glyph; /* glyphs[first_glyph .. +glyph_count), visual order */
    size_t glyph_count;
    size_t byte_start; /* source bytes of the line, logical order: */
    size_t byte_end;   /* [byte_start, byte_end) */
    float x;           /* left edge of the line after alignment */
    float width;       /* sum of advances (trailing spaces excluded) */
    float baseline;    /* y of the baseline from the box top */
    float ascent;      /* above the baseline, positive */
    float descent;     /* below the baseline, positive */
} i18n_line_t;

/* A laid-out paragraph; caller-owned. Arrays are reused across layouts so a
 * warm i18n_text_t does not allocate. */
typedef struct {
    i18n_glyph_t *glyphs;
    size_t glyph_count, glyph_cap;
    i18n_line_t *lines;
    size_t line_count, line_cap;
    float width;    /* widest line */
    float height;   /* box height: last line's baseline + descent */
    float size_px;  /* the size the glyphs were shaped at */
    bool rtl;       /* resolved paragraph direction */
    bool truncated; /* lines were dropped and an ellipsis added */
    size_t missing; /* characters no configured font covers (drawn as
                     * .notdef of the fallback font) */
} i18n_text_t;

void i18n_text_init(i18n_text_t *text);
void i18n_text_free(i18n_text_t *text);

typedef struct i18n_layout i18n_layout_t;

/* A layout engine: scratch buffers and shaping state, reused across calls.
 * Borrows fonts, which must outlive it. Free with i18n_layout_destroy(). */
wm_status_t i18n_layout_create(i18n_fonts_t *fonts, i18n_layout_t **out);
void i18n_layout_destroy(i18n_layout_t *layout);

/* The longest paragraph i18n_layout_text() and i18n_layout_measure() take,
 * in bytes of UTF-8 (longer input is refused with WM_EINVAL). A booth's
 * paragraph is a few hundred bytes; the limit keeps a layout's scratch
 * (about 80 bytes a character) within a few megabytes on a 1 GB Pi. */
#define I18N_TEXT_MAX 65536

/* More combining marks than this after one base character are dropped
 * before shaping (UAX #15's stream-safe limit of 30 non-starters, as
 * browsers do): their bytes stay in the base's cluster, so byte offsets and
 * line ranges still cover the whole input. */
#define I18N_MARKS_MAX 30

/* Lays out one paragraph of UTF-8 (newlines inside are treated as line
 * separators). Invalid UTF-8 is an error (WM_EINVAL), not a crash; so is a
 * paragraph longer than I18N_TEXT_MAX bytes.
 *
 * Direction follows UAX #9, digits are drawn as written (no digit
 * substitution), with one addition: in an RTL paragraph a phone number is
 * laid out as if wrapped in U+2066 LRI ... U+2069 PDI with its characters
 * LTR, so "+49 30 1234567" (or "+٤٩ ٣٠ ١٢٣٤٥٦٧") reads left to right as
 * one piece that can be dialled, where plain UAX #9 would show the digit
 * groups in right-to-left order. A phone number is a maximal sequence that
 * starts with '+' or a decimal digit, holds only decimal digits (any
 * script), single spaces or no-break spaces, '-', U+2010, '.', '/', '('
 * and ')', ends with a digit and has at least 7 digits and a separator
 * between two digit groups (or a leading '+'); a bracket just outside that
 * pairs with one inside is taken in. Plain numbers, years ("1948") and
 * times ("09:00–17:00") keep UAX #9 order, and LTR paragraphs are not
 * touched. The conformance entry points below are plain UAX #9. Lines
 * break at UAX #14
 * opportunities (a word wider than the line at grapheme boundaries),
 * widths are unhinted HarfBuzz advances in float px, and trailing white
 * space does not count toward a line's width. */
wm_status_t i18n_layout_text(i18n_layout_t *layout, const i18n_layout_params_t *params,
                             const char *utf8, size_t len, i18n_text_t *out);

/* Shaped-word cache. Each layout engine keeps the HarfBuzz output of the
 * words it shaped (a word ends after a space, or after U+1361 ETHIOPIC
 * WORDSPACE, Amharic's word divider) per font, size, script, direction and
 * language, bounded to 16384 words and 2 MiB, least recently used dropped
 * first, and reuses it when the same word comes again: most
 * of a paragraph's shaping time once the booth's texts have been shown.
 * Results are exactly those of shaping whole runs: words are only shaped
 * alone in fonts whose space glyph no OpenType lookup reads, and a word
 * whose neighbours could change it is shaped with them as context and not
 * cached. On by default; turning it off (for comparisons and tests) shapes
 * every run whole, as before, and keeps what is cached. */
void i18n_layout_set_word_cache(i18n_layout_t *layout, bool on);

typedef struct {
    uint64_t hits, misses; /* word lookups */
    uint64_t evictions;
    uint64_t words_alone; /* words shaped alone but not cached (context, length) */
    uint64_t runs_whole;  /* runs shaped whole (cache off, or font not word-safe) */
    size_t entries, bytes, peak_bytes;
    size_t max_entries, max_bytes; /* the bound */
} i18n_word_cache_stats_t;

/* Forgets every cached word (counters stay); allocates nothing. */
void i18n_layout_word_cache_clear(i18n_layout_t *layout);

/* The engine's word-cache counters since it was created. */
void i18n_layout_word_cache_stats(const i18n_layout_t *layout, i18n_word_cache_stats_t *out);

typedef struct {
    float width, height;
    size_t line_count;
    bool truncated;
} i18n_metrics_t;

/* Measure only: the same decisions as i18n_layout_text without keeping
 * glyph positions. */
wm_status_t i18n_layout_measure(i18n_layout_t *layout, const i18n_layout_params_t *params,
                                const char *utf8, size_t len, i18n_metrics_t *out);

/* ---- conformance entry points -------------------------------------------
 * The building blocks i18n_layout_text() itself uses, exposed so tests can
 * run the Unicode conformance files (BidiCharacterTest, LineBreakTest)
 * through exactly the code that lays text out (plain UAX #9: the layout
 * engine adds its phone-number isolates around these cores). They allocate
 * scratch per call (the layout engine keeps its own); not for the drawing
 * path. */

/* UAX #9 for one paragraph of code points cps[0..n): resolves the
 * embedding level of each character into levels[0..n) (rules P2-P3, X1-X10,
 * W1-W7, N0-N2, I1-I2; characters removed by X9 get the level of their
 * neighbour) and the paragraph level into *par_level. dir AUTO takes the
 * first strong character (P2-P3), LTR when there is none. */
wm_status_t i18n_bidi_resolve(const uint32_t *cps, size_t n, i18n_dir_t dir, uint8_t *levels,
                              int *par_level);

/* UAX #9 rules L1 and L2 for one line: cps[0..n) are the line's characters
 * and levels[0..n) their resolved levels from i18n_bidi_resolve(), updated
 * in place by L1 (trailing whitespace and whitespace before separators
 * reset to par_level). On return map[v] is the logical index (0..n-1) of
 * the character shown at visual position v, left to right. */
wm_status_t i18n_bidi_visual_order(const uint32_t *cps, size_t n, int par_level, uint8_t *levels,
                                   uint32_t *map);

/* Line-break opportunities after each code point (UAX #14, libunibreak
 * with Waymark's tailoring for classes newer than the library knows):
 * breaks[i] is I18N_BREAK_MUST, I18N_BREAK_ALLOW or I18N_BREAK_NO for the
 * position after cps[i]; the last position is always I18N_BREAK_MUST.
 * lang (may be NULL) selects language tailorings. */
#define I18N_BREAK_MUST  0
#define I18N_BREAK_ALLOW 1
#define I18N_BREAK_NO    2
wm_status_t i18n_break_opportunities(const uint32_t *cps, size_t n, const char *lang, char *breaks);

#endif
