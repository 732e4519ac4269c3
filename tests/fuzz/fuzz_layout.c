/*
 * fuzz_layout.c: libFuzzer target for i18n_layout_text() (and
 * i18n_layout_measure(), i18n_fonts_missing_count()).
 *
 * Input: a 6-byte header, then the paragraph's bytes. Each header byte is
 * taken modulo the size of its table, so any bytes are a valid header:
 *   [0] language (LANGS)     [1] direction (auto, ltr, rtl)
 *   [2] width (WIDTHS)       [3] max_lines (0 .. 4)
 *   [4] size (SIZES)         [5] alignment (start, end, center); bit 7 set:
 *                                also lay out without the word cache and
 *                                compare
 * Text that is not UTF-8 must be refused with WM_EINVAL; it is then laid
 * out again with every bad byte replaced by U+FFFD. Besides crashes and
 * sanitizer reports, the target traps when the result breaks what the API
 * promises: lines in order covering the text, glyph and cluster indices in
 * range, finite positions, measure agreeing with layout, and the word
 * cache changing nothing.
 *
 * Built and run by scripts/fuzz (tests/fuzz/CMakeLists.txt); seeds in
 * tests/fuzz/corpus/layout/.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

#define HEADER 6

static const char *const LANGS[] = {"en", "ar",       "ur", "fa",      "ps", "am", "ti",
                                    "my", "bn",       "so", "uk",      "fr", "es", "he",
                                    "xx", "ckb-Latn", "",   "zh-Hant", "hi", "ru"};
static const float WIDTHS[] = {0, 1, 17, 60, 120, 300, 700, 1000};
static const float SIZES[] = {6, 16, 28, 40, 100};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static i18n_fonts_t *fonts;
static i18n_layout_t *layout;
static i18n_text_t text, plain;

static void check_text(const i18n_text_t *t, const i18n_layout_params_t *p, size_t len);
static void check_same(const i18n_text_t *a, const i18n_text_t *b);
static void run(const i18n_layout_params_t *p, const char *s, size_t len, bool compare);
static char *repair_utf8(const uint8_t *s, size_t len, size_t *out_len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    i18n_layout_params_t p = i18n_layout_params_default();
    const char *s = (const char *)data + HEADER;
    size_t len;
    bool compare;
    wm_status_t st;

    if (size < HEADER)
        return 0;
    if (!fonts) {
        if (i18n_fonts_create(NULL, &fonts) != WM_OK || i18n_layout_create(fonts, &layout) != WM_OK)
            abort();
        i18n_text_init(&text);
        i18n_text_init(&plain);
    }
    len = size - HEADER;
    p.lang = LANGS[data[0] % COUNT(LANGS)];
    p.dir = (i18n_dir_t)(data[1] % 3);
    p.max_width = WIDTHS[data[2] % COUNT(WIDTHS)];
    p.max_lines = data[3] % 5;
    p.size_px = SIZES[data[4] % COUNT(SIZES)];
    p.align = (i18n_align_t)((data[5] & 0x7F) % 3);
    compare = (data[5] & 0x80) != 0;

    st = i18n_layout_text(layout, &p, s, len, &text);
    if (st == WM_OK) {
        run(&p, s, len, compare);
    } else if (st == WM_EINVAL) {
        /* refused: not UTF-8, or longer than the limit */
        size_t fixed_len;
        char *fixed;

        if (wm_utf8_valid(s, len) && len <= I18N_TEXT_MAX)
            __builtin_trap();
        fixed = repair_utf8(data + HEADER, len, &fixed_len);
        if (!fixed)
            abort();
        if (fixed_len <= I18N_TEXT_MAX) {
            if (i18n_layout_text(layout, &p, fixed, fixed_len, &text) != WM_OK)
                __builtin_trap();
            run(&p, fixed, fixed_len, compare);
        }
        free(fixed);
    } else {
        __builtin_trap(); /* no other error is possible here */
    }
    return 0;
}

/* Checks the layout in text, then measures and (when compare) lays out
 * again without the word cache: both must agree with it. */
static void run(const i18n_layout_params_t *p, const char *s, size_t len, bool compare)
{
    i18n_metrics_t m;
    size_t missing = 0;

    check_text(&text, p, len);
    if (i18n_layout_measure(layout, p, s, len, &m) != WM_OK || m.line_count != text.line_count ||
        m.width != text.width || m.height != text.height || m.truncated != text.truncated)
        __builtin_trap();
    if (i18n_fonts_missing_count(fonts, p->lang, s, len, &missing, NULL, NULL) != WM_OK)
        __builtin_trap();
    if (compare) {
        i18n_layout_set_word_cache(layout, false);
        if (i18n_layout_text(layout, p, s, len, &plain) != WM_OK)
            __builtin_trap();
        i18n_layout_set_word_cache(layout, true);
        check_same(&text, &plain);
    }
}

/* The promises i18n_layout_text makes about a result for len bytes: lines
 * in order, each taking the glyphs after the one before, covering the
 * text (up to the cut when truncated); indices in range; finite numbers. */
static void check_text(const i18n_text_t *t, const i18n_layout_params_t *p, size_t len)
{
    size_t i, g, next = 0, first = 0;

    if (t->line_count == 0 && len > 0)
        __builtin_trap();
    for (i = 0; i < t->line_count; i++) {
        const i18n_line_t *l = &t->lines[i];

        if (l->byte_start != next || l->byte_end < l->byte_start || l->byte_end > len)
            __builtin_trap();
        if (l->first_glyph != first || first + l->glyph_count > t->glyph_count)
            __builtin_trap();
        if (!isfinite(l->x) || !isfinite(l->width) || !isfinite(l->baseline) || l->width < 0)
            __builtin_trap();
        next = l->byte_end;
        first += l->glyph_count;
    }
    if (first != t->glyph_count || (!t->truncated && next != len))
        __builtin_trap();
    if (p->max_lines > 0 && t->line_count > (size_t)p->max_lines)
        __builtin_trap();
    for (g = 0; g < t->glyph_count; g++)
        if (t->glyphs[g].cluster > len || !isfinite(t->glyphs[g].x) || !isfinite(t->glyphs[g].y) ||
            i18n_fonts_face(fonts, t->glyphs[g].font) == NULL)
            __builtin_trap();
}

/* The word cache is exact: the same glyphs at the same places. */
static void check_same(const i18n_text_t *a, const i18n_text_t *b)
{
    size_t i;

    if (a->glyph_count != b->glyph_count || a->line_count != b->line_count)
        __builtin_trap();
    for (i = 0; i < a->glyph_count; i++)
        if (a->glyphs[i].glyph != b->glyphs[i].glyph || a->glyphs[i].font != b->glyphs[i].font ||
            a->glyphs[i].cluster != b->glyphs[i].cluster ||
            fabsf(a->glyphs[i].x - b->glyphs[i].x) > 0.01f)
            __builtin_trap();
}

/* s with every byte that does not start a well-formed sequence replaced
 * by U+FFFD (malloc'd; *out_len its length). */
static char *repair_utf8(const uint8_t *s, size_t len, size_t *out_len)
{
    char *out = malloc(len * 3 + 1);
    size_t i = 0, o = 0;

    if (!out)
        return NULL;
    while (i < len) {
        uint32_t cp;
        size_t k = wm_utf8_next((const char *)s, len, i, &cp);

        if (k == 0) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        } else {
            memcpy(out + o, s + i, k);
            o += k;
            i += k;
        }
    }
    *out_len = o;
    return out;
}
