/*
 * layout.c: one paragraph of UTF-8 to positioned glyphs in lines.
 *
 * Pipeline: decode -> bidi levels (FriBidi, with bracket pairs; skipped for
 * a paragraph UAX #9 leaves all at level 0; in RTL paragraphs each phone
 * number is isolated as LTR) -> script itemization (Common/Inherited take
 * the surrounding script, paired brackets the script of their opener) ->
 * font per character from the fallback chain of (language, script) -> runs
 * split by level, script and font -> HarfBuzz shaping per run (cluster
 * level monotone graphemes, the whole paragraph given as context), word by
 * word through the shaped-word cache where that is exact -> UAX #14
 * opportunities (libunibreak) -> greedy line fitting with the shaped
 * advances -> per-line UAX #9 L1/L2 reordering -> positions and alignment.
 *
 * Shaping happens once per paragraph, before line breaking. Lines break at
 * UAX #14 opportunities, which in the scripts we serve sit after spaces,
 * where Arabic joining ends anyway, so a re-shape of the pieces around a
 * break would give the same glyphs; the width of a candidate line is the
 * sum of the advances of its clusters. A word wider than the line breaks at
 * HarfBuzz cluster starts (which never split a grapheme, see
 * HB_BUFFER_CLUSTER_LEVEL_MONOTONE_GRAPHEMES).
 *
 * Words (pieces of a run ending after U+0020, or U+1361 in Ethiopic) are
 * shaped alone only in a font no OpenType lookup of which reads the space
 * glyph, so nothing reaches across a space and the words' glyphs side by
 * side are the run's glyphs; a word is cached only when the text around it
 * cannot change it (see layout_shape_word). The cache lives in the engine
 * (wordcache.c).
 *
 * All scratch lives in i18n_layout_t and only grows: a warm engine and a
 * warm i18n_text_t do not allocate (a word-cache miss allocates its entry).
 */
#include "i18n_private.h"

#include <math.h>
#include <string.h>

#define BRACKET_STACK      64
#define ELLIPSIS_MAX       8
#define WIDTH_EPSILON      0.001f
#define ELLIPSIS_CODEPOINT 0x2026u
#define PHONE_MIN_DIGITS   7

typedef struct {
    size_t start, end; /* characters [start, end) */
    size_t g0, gn;     /* glyphs[g0 .. g0 + gn) */
    uint8_t level;
    hb_script_t script;
    uint16_t file; /* font file index */
} layout_item_t;

typedef struct {
    uint32_t gid;
    uint16_t font;     /* font id */
    uint16_t file;     /* font file index */
    uint32_t ci;       /* cluster: character index */
    float adv, dx, dy; /* px; dy up as in HarfBuzz */
} layout_glyph_t;

typedef struct {
    size_t start, end; /* characters [start, end) */
} layout_range_t;

struct i18n_layout {
    i18n_fonts_t *fonts;
    hb_buffer_t *buf;
    hb_unicode_funcs_t *ufuncs;

    size_t cap; /* per-character arrays hold cap entries */
    uint32_t *cps, *shape, *offs, *map;
    FriBidiCharType *types;
    FriBidiBracketType *brackets;
    uint8_t *levels, *line_levels, *cstart;
    char *breaks;
    hb_script_t *scripts;
    uint16_t *file;
    uint32_t *citem;
    float *cadv;

    layout_item_t *items;
    size_t nitems, items_cap;
    layout_glyph_t *glyphs;
    size_t nglyphs, glyphs_cap;
    layout_range_t *ranges;
    size_t nranges, ranges_cap;

    /* phone numbers of the paragraph, and the bidi input with a virtual
     * LRI ... PDI around each (see layout_isolate_phones) */
    layout_range_t *phones;
    size_t nphones, phones_cap;
    FriBidiCharType *xtypes;
    FriBidiBracketType *xbrackets;
    uint8_t *xlevels;
    size_t xtypes_cap, xbrackets_cap, xlevels_cap;

    /* shaped words (wordcache.c) and the glyphs of the word being shaped */
    i18n_word_cache_t *words;
    bool words_on;
    bool controls; /* the paragraph holds explicit directional controls */
    uint64_t words_alone, runs_whole;
    i18n_word_glyph_t *wglyphs;
    size_t wglyphs_cap;

    layout_glyph_t ellipsis[ELLIPSIS_MAX];
    size_t nellipsis;
    float ellipsis_width;

    i18n_text_t measure; /* scratch for i18n_layout_measure */
};

/* What layout_run works out about one paragraph, for the functions it
 * calls. */
typedef struct {
    const i18n_layout_params_t *p;
    size_t n; /* characters */
    const char *lang;
    const i18n_language_t *language; /* NULL for a tag not in the table */
    hb_script_t lang_script;
    float size, spacing;
    int par_level;
    bool rtl, all_ltr; /* all_ltr: every level 0, FriBidi skipped */
    size_t nlines;
    bool truncated;
    size_t missing;
} layout_para_t;

static wm_status_t layout_reserve(i18n_layout_t *lay, size_t n);
static wm_status_t layout_run(i18n_layout_t *lay, const i18n_layout_params_t *p, const char *utf8,
                              size_t len, i18n_text_t *out);
static wm_status_t layout_resolve_levels(i18n_layout_t *lay, layout_para_t *para);
static void layout_truncate(i18n_layout_t *lay, layout_para_t *para);
static wm_status_t layout_emit_line(i18n_layout_t *lay, const layout_para_t *para, size_t li,
                                    i18n_text_t *out, size_t *gout, float *top);
static void layout_emit_runs(i18n_layout_t *lay, const layout_para_t *para, size_t s, size_t ln,
                             i18n_text_t *out, size_t *gout, float *pen, float *asc, float *desc);
static float layout_emit_ellipsis(i18n_layout_t *lay, i18n_text_t *out, size_t at, size_t end,
                                  float x0, size_t cluster);
static void layout_font_metrics(const i18n_font_file_t *f, float size, float *asc, float *desc);
static void layout_empty_line_metrics(i18n_layout_t *lay, const layout_para_t *para, float *asc,
                                      float *desc);
static void layout_align(i18n_text_t *out, const layout_para_t *para, float widest);
static size_t layout_bound_marks(i18n_layout_t *lay, size_t n);
static bool layout_all_ltr(const i18n_layout_t *lay, size_t n, i18n_dir_t dir, bool auto_rtl);
static wm_status_t layout_find_phones(i18n_layout_t *lay, size_t n);
static wm_status_t layout_isolate_phones(i18n_layout_t *lay, size_t n, int *par_level);
static void layout_itemize_scripts(i18n_layout_t *lay, size_t n, hb_script_t fallback);
static size_t layout_assign_fonts(i18n_layout_t *lay, size_t n, const char *lang);
static wm_status_t layout_shape(i18n_layout_t *lay, size_t n, const char *lang, float size_px);
static wm_status_t layout_shape_run(i18n_layout_t *lay, const layout_item_t *it,
                                    const i18n_font_file_t *f, size_t n, hb_language_t hl);
static wm_status_t layout_shape_words(i18n_layout_t *lay, const layout_item_t *it,
                                      const i18n_font_file_t *f, size_t n, hb_language_t hl,
                                      uint32_t size_q);
static wm_status_t layout_shape_word(i18n_layout_t *lay, const layout_item_t *it,
                                     const i18n_font_file_t *f, size_t ws, size_t we, size_t n,
                                     hb_language_t hl, uint32_t size_q, bool *broken);
static bool layout_hb_added_dotted_circle(const i18n_layout_t *lay, const i18n_font_file_t *f,
                                          size_t ws, size_t we);
static void layout_hb_setup(i18n_layout_t *lay, size_t n, size_t start, size_t end,
                            const layout_item_t *it, hb_language_t hl);
static wm_status_t layout_append_hb(i18n_layout_t *lay, const i18n_font_file_t *f, uint16_t file);
static wm_status_t layout_append_word(i18n_layout_t *lay, const i18n_font_file_t *f, uint16_t file,
                                      const i18n_word_glyph_t *wg, size_t ng, size_t ws);
static bool layout_word_boundary(const i18n_layout_t *lay, size_t k, unsigned seps);
static bool layout_word_sep(uint32_t cp, unsigned seps);
static wm_status_t layout_break_lines(i18n_layout_t *lay, size_t n, float max_width);
static void layout_shape_ellipsis(i18n_layout_t *lay, size_t at, size_t n, const char *lang,
                                  float size_px, bool rtl);
static size_t layout_truncate_line(i18n_layout_t *lay, size_t s, size_t e, float max_width);
static void font_set_size(i18n_font_file_t *f, float size_px);
static bool cp_is_space(uint32_t cp);
static bool cp_is_control(uint32_t cp);
static bool cp_is_ignorable(uint32_t cp);
static bool cp_is_mark(hb_unicode_funcs_t *uf, uint32_t cp);
static bool cp_is_digit(hb_unicode_funcs_t *uf, uint32_t cp);
static bool cp_extends(hb_unicode_funcs_t *uf, uint32_t cp);

i18n_layout_params_t i18n_layout_params_default(void)
{
    i18n_layout_params_t p;

    memset(&p, 0, sizeof(p));
    p.lang = "en";
    p.dir = I18N_DIR_AUTO;
    p.size_px = 16;
    p.max_width = 0;
    p.align = I18N_ALIGN_START;
    p.max_lines = 0;
    p.line_spacing = 1.5f;
    return p;
}

wm_status_t i18n_layout_create(i18n_fonts_t *fonts, i18n_layout_t **out)
{
    i18n_layout_t *lay;

    if (!fonts || !out)
        return wm_error(WM_EINVAL, "layout: bad argument");
    lay = wm_calloc(1, sizeof(*lay));
    if (!lay)
        return wm_error(WM_ENOMEM, "layout: out of memory");
    lay->fonts = fonts;
    lay->ufuncs = hb_unicode_funcs_get_default();
    lay->buf = hb_buffer_create();
    if (!hb_buffer_allocation_successful(lay->buf)) {
        i18n_layout_destroy(lay);
        return wm_error(WM_ENOMEM, "layout: out of memory");
    }
    if (i18n_word_cache_create(I18N_WORD_CACHE_ENTRIES, I18N_WORD_CACHE_BYTES, &lay->words) !=
        WM_OK) {
        i18n_layout_destroy(lay);
        return wm_error(WM_ENOMEM, "layout: out of memory");
    }
    lay->words_on = true;
    i18n_text_init(&lay->measure);
    *out = lay;
    return WM_OK;
}

void i18n_layout_destroy(i18n_layout_t *lay)
{
    if (!lay)
        return;
    hb_buffer_destroy(lay->buf);
    i18n_word_cache_destroy(lay->words);
    wm_free(lay->wglyphs);
    wm_free(lay->cps);
    wm_free(lay->shape);
    wm_free(lay->offs);
    wm_free(lay->map);
    wm_free(lay->types);
    wm_free(lay->brackets);
    wm_free(lay->levels);
    wm_free(lay->line_levels);
    wm_free(lay->cstart);
    wm_free(lay->breaks);
    wm_free(lay->scripts);
    wm_free(lay->file);
    wm_free(lay->citem);
    wm_free(lay->cadv);
    wm_free(lay->items);
    wm_free(lay->glyphs);
    wm_free(lay->ranges);
    wm_free(lay->phones);
    wm_free(lay->xtypes);
    wm_free(lay->xbrackets);
    wm_free(lay->xlevels);
    i18n_text_free(&lay->measure);
    wm_free(lay);
}

wm_status_t i18n_layout_text(i18n_layout_t *layout, const i18n_layout_params_t *params,
                             const char *utf8, size_t len, i18n_text_t *out)
{
    if (!layout || !params || !out || (!utf8 && len > 0))
        return wm_error(WM_EINVAL, "layout: bad argument");
    return layout_run(layout, params, utf8 ? utf8 : "", len, out);
}

wm_status_t i18n_layout_measure(i18n_layout_t *layout, const i18n_layout_params_t *params,
                                const char *utf8, size_t len, i18n_metrics_t *out)
{
    wm_status_t st;

    if (!layout || !params || !out || (!utf8 && len > 0))
        return wm_error(WM_EINVAL, "layout: bad argument");
    st = layout_run(layout, params, utf8 ? utf8 : "", len, &layout->measure);
    if (st != WM_OK)
        return st;
    out->width = layout->measure.width;
    out->height = layout->measure.height;
    out->line_count = layout->measure.line_count;
    out->truncated = layout->measure.truncated;
    return WM_OK;
}

void i18n_layout_set_word_cache(i18n_layout_t *layout, bool on)
{
    if (layout)
        layout->words_on = on;
}

void i18n_layout_word_cache_clear(i18n_layout_t *layout)
{
    if (layout)
        i18n_word_cache_clear(layout->words);
}

void i18n_layout_word_cache_stats(const i18n_layout_t *layout, i18n_word_cache_stats_t *out)
{
    if (!layout || !out)
        return;
    i18n_word_cache_stats(layout->words, out);
    out->words_alone = layout->words_alone;
    out->runs_whole = layout->runs_whole;
}

/* Grows every per-character array to hold n + 1 entries. */
static wm_status_t layout_reserve(i18n_layout_t *lay, size_t n)
{
    size_t need = n + 1, cap;

    if (need <= lay->cap)
        return WM_OK;
    cap = lay->cap ? lay->cap : 256;
    while (cap < need)
        cap *= 2;
#define GROW(field)                                                                                \
    do {                                                                                           \
        void *p_ = wm_realloc(lay->field, cap * sizeof(*lay->field));                              \
        if (!p_)                                                                                   \
            return wm_error(WM_ENOMEM, "layout: out of memory (%zu characters)", n);               \
        lay->field = p_;                                                                           \
    } while (0)
    GROW(cps);
    GROW(shape);
    GROW(offs);
    GROW(map);
    GROW(types);
    GROW(brackets);
    GROW(levels);
    GROW(line_levels);
    GROW(cstart);
    GROW(breaks);
    GROW(scripts);
    GROW(file);
    GROW(citem);
    GROW(cadv);
#undef GROW
    lay->cap = cap;
    return WM_OK;
}

static wm_status_t layout_run(i18n_layout_t *lay, const i18n_layout_params_t *p, const char *utf8,
                              size_t len, i18n_text_t *out)
{
    layout_para_t para;
    size_t n = 0, li, gout = 0;
    float top = 0, widest = 0;
    wm_status_t st;

    if (!(p->size_px > 0) || p->size_px > 10000)
        return wm_error(WM_EINVAL, "layout: font size %g px is out of range", (double)p->size_px);
    if (len > I18N_TEXT_MAX)
        return wm_error(WM_EINVAL,
                        "layout: paragraph of %zu bytes is longer than the limit of %d bytes", len,
                        I18N_TEXT_MAX);
    if (p->dir != I18N_DIR_AUTO && p->dir != I18N_DIR_LTR && p->dir != I18N_DIR_RTL)
        return wm_error(WM_EINVAL, "layout: bad direction %d", (int)p->dir);
    st = layout_reserve(lay, len);
    if (st != WM_OK)
        return st;
    st = i18n_utf8_decode(utf8, len, lay->cps, lay->offs, &n);
    if (st != WM_OK)
        return st;
    n = layout_bound_marks(lay, n);
    /* Explicit embeddings and isolates change the context HarfBuzz sees
     * around a word, so such a paragraph is shaped run by run, never from
     * the word cache (found by fuzzing: the cache was not exact there). */
    lay->controls = false;
    for (size_t k = 0; k < n && !lay->controls; k++)
        lay->controls = (lay->cps[k] >= 0x202A && lay->cps[k] <= 0x202E) ||
                        (lay->cps[k] >= 0x2066 && lay->cps[k] <= 0x2069);
    memset(&para, 0, sizeof(para));
    para.p = p;
    para.n = n;
    para.lang = p->lang && *p->lang ? p->lang : "en";
    para.language = i18n_language_find(para.lang);
    para.lang_script =
        para.language ? hb_script_from_string(para.language->script, -1) : HB_SCRIPT_LATIN;
    para.size = p->size_px;
    para.spacing = p->line_spacing > 0 ? p->line_spacing : 1.5f;

    st = layout_resolve_levels(lay, &para);
    if (st != WM_OK)
        return st;

    /* scripts, fonts, shaping */
    layout_itemize_scripts(lay, n, para.lang_script);
    lay->fonts->load_oom = false;
    para.missing = layout_assign_fonts(lay, n, para.lang);
    if (lay->fonts->load_oom)
        return wm_error(WM_ENOMEM, "layout: out of memory while opening fonts");
    st = layout_shape(lay, n, para.lang, para.size);
    if (st != WM_OK)
        return st;

    /* lines */
    st = i18n_break_opportunities(lay->cps, n, para.lang, lay->breaks);
    if (st == WM_OK)
        st = layout_break_lines(lay, n, p->max_width);
    if (st != WM_OK)
        return st;
    layout_truncate(lay, &para);

    /* output arrays: every glyph at most once, plus the ellipsis */
    st = wm_grow((void **)&out->glyphs, &out->glyph_cap, lay->nglyphs + lay->nellipsis + 1,
                 sizeof(i18n_glyph_t));
    if (st == WM_OK)
        st = wm_grow((void **)&out->lines, &out->line_cap, para.nlines, sizeof(i18n_line_t));
    if (st != WM_OK)
        return st;
    for (li = 0; li < para.nlines; li++) {
        st = layout_emit_line(lay, &para, li, out, &gout, &top);
        if (st != WM_OK)
            return st;
        widest = fmaxf(widest, out->lines[li].width);
    }
    layout_align(out, &para, widest);

    /* the ellipsis and the metrics of empty lines may have opened fonts */
    if (lay->fonts->load_oom)
        return wm_error(WM_ENOMEM, "layout: out of memory while opening fonts");
    out->glyph_count = gout;
    out->line_count = para.nlines;
    out->width = widest;
    out->height = top;
    out->size_px = para.size;
    out->rtl = para.rtl;
    out->truncated = para.truncated;
    out->missing = para.missing;
    return WM_OK;
}

/* Bidi levels of the paragraph (FriBidi unless every level is 0), with
 * phone numbers isolated in RTL paragraphs; sets para->par_level, rtl and
 * all_ltr. */
static wm_status_t layout_resolve_levels(i18n_layout_t *lay, layout_para_t *para)
{
    const i18n_layout_params_t *p = para->p;
    bool auto_rtl = para->language && para->language->dir == I18N_DIR_RTL;
    size_t n = para->n;
    wm_status_t st;

    fribidi_get_bidi_types(lay->cps, (FriBidiStrIndex)n, lay->types);
    fribidi_get_bracket_types(lay->cps, (FriBidiStrIndex)n, lay->types, lay->brackets);
    para->all_ltr = layout_all_ltr(lay, n, p->dir, auto_rtl);
    if (para->all_ltr) {
        memset(lay->levels, 0, n);
        para->par_level = 0;
    } else {
        st = i18n_bidi_resolve_types(lay->types, lay->brackets, n, p->dir, auto_rtl, lay->levels,
                                     &para->par_level);
        if (st != WM_OK)
            return st;
    }
    if (para->par_level & 1) {
        st = layout_find_phones(lay, n);
        if (st == WM_OK && lay->nphones > 0)
            st = layout_isolate_phones(lay, n, &para->par_level);
        if (st != WM_OK)
            return st;
    }
    para->rtl = (para->par_level & 1) != 0;
    return WM_OK;
}

/* Keeps at most max_lines lines: the last kept line is cut so that it and
 * an ellipsis (shaped now) fit. Sets para->nlines and truncated. */
static void layout_truncate(i18n_layout_t *lay, layout_para_t *para)
{
    const i18n_layout_params_t *p = para->p;
    layout_range_t *last;

    para->nlines = lay->nranges;
    lay->nellipsis = 0;
    lay->ellipsis_width = 0;
    if (p->max_lines <= 0 || para->nlines <= (size_t)p->max_lines)
        return;
    para->nlines = (size_t)p->max_lines;
    last = &lay->ranges[para->nlines - 1];
    para->truncated = true;
    layout_shape_ellipsis(lay, last->end > last->start ? last->end - 1 : last->start, para->n,
                          para->lang, para->size, para->rtl);
    last->end = layout_truncate_line(lay, last->start, last->end, p->max_width);
}

/* Line li: its characters in visual order (UAX #9 L1-L2), their glyphs
 * from the shaped items, the ellipsis at the logical end of a truncated
 * last line, and the line's metrics, stacked below *top. Glyph x is
 * relative to the line's left edge until layout_align. */
static wm_status_t layout_emit_line(i18n_layout_t *lay, const layout_para_t *para, size_t li,
                                    i18n_text_t *out, size_t *gout, float *top)
{
    size_t s = lay->ranges[li].start, e = lay->ranges[li].end, ln = e - s, i;
    i18n_line_t *line = &out->lines[li];
    float pen = 0, asc = 0, desc = 0, height, extra, trail = 0, width;
    bool ell = para->truncated && li + 1 == para->nlines && lay->nellipsis > 0;
    wm_status_t st;

    memcpy(lay->line_levels, lay->levels + s, ln);
    if (para->all_ltr) {
        for (i = 0; i < ln; i++)
            lay->map[i] = (uint32_t)i;
    } else {
        st = i18n_bidi_line_order(lay->types + s, ln, para->par_level, lay->line_levels, lay->map);
        if (st != WM_OK)
            return st;
    }
    line->first_glyph = *gout;
    /* the ellipsis is at the logical end: the visual left of an RTL line,
     * so the line's own glyphs start after its width there */
    if (ell && para->rtl)
        pen = lay->ellipsis_width;
    layout_emit_runs(lay, para, s, ln, out, gout, &pen, &asc, &desc);
    if (ell) {
        float after = layout_emit_ellipsis(lay, out, para->rtl ? line->first_glyph : *gout, *gout,
                                           para->rtl ? 0 : pen, lay->offs[e]);

        if (!para->rtl)
            pen = after;
        *gout += lay->nellipsis;
        layout_font_metrics(&lay->fonts->files[lay->ellipsis[0].file], para->size, &asc, &desc);
    }
    /* width without the logical line's trailing white space */
    for (i = e; i > s && cp_is_space(lay->cps[i - 1]); i--)
        trail += lay->cadv[i - 1];
    width = pen - trail;
    if (width < 0)
        width = 0;
    if (asc == 0 && desc == 0)
        layout_empty_line_metrics(lay, para, &asc, &desc);
    height = fmaxf(asc + desc, para->spacing * para->size);
    extra = height - (asc + desc);
    line->glyph_count = *gout - line->first_glyph;
    line->byte_start = lay->offs[s];
    line->byte_end = lay->offs[e];
    line->width = width;
    line->ascent = asc + extra / 2;
    line->descent = desc + extra / 2;
    line->baseline = *top + line->ascent;
    /* trailing white space is at the visual left of an RTL line: keep
     * it outside the line's box */
    line->x = para->rtl ? -trail : 0;
    *top += height;
    return WM_OK;
}

/* The glyphs of a line's characters [s, s + ln) in visual order
 * (lay->map): per run of characters of one item and level that are
 * adjacent in the item, the item's glyphs whose clusters fall in it, at
 * *pen onward. Raises *asc and *desc to the fonts used. */
static void layout_emit_runs(i18n_layout_t *lay, const layout_para_t *para, size_t s, size_t ln,
                             i18n_text_t *out, size_t *gout, float *pen, float *asc, float *desc)
{
    int last_file = -1;
    size_t v;

    for (v = 0; v < ln;) {
        size_t l0 = s + lay->map[v], lo = l0, hi = l0, w = v + 1, g, gend, a, b;
        uint8_t lv = lay->line_levels[lay->map[v]];
        const layout_item_t *it = &lay->items[lay->citem[l0]];
        bool item_rtl = (it->level & 1) != 0;

        while (w < ln) {
            size_t lj = s + lay->map[w];

            if (lay->citem[lj] != lay->citem[l0] || lay->line_levels[lay->map[w]] != lv)
                break;
            if ((lv & 1) ? lj + 1 == lo : lj == hi + 1) {
                lo = lj < lo ? lj : lo;
                hi = lj > hi ? lj : hi;
                w++;
            } else {
                break;
            }
        }
        /* the item's glyphs whose cluster lies in [lo, hi]: clusters are
         * monotone in glyph order (rising for LTR, falling for RTL) */
        gend = it->g0 + it->gn;
        for (a = it->g0, b = gend; a < b;) {
            size_t m = a + (b - a) / 2;
            bool before = item_rtl ? lay->glyphs[m].ci > hi : lay->glyphs[m].ci < lo;

            if (before)
                a = m + 1;
            else
                b = m;
        }
        for (g = a; g < gend && lay->glyphs[g].ci >= lo && lay->glyphs[g].ci <= hi; g++) {
            const layout_glyph_t *sg = &lay->glyphs[g];
            i18n_glyph_t *og = &out->glyphs[(*gout)++];

            og->glyph = sg->gid;
            og->font = sg->font;
            og->x = *pen + sg->dx;
            og->y = -sg->dy;
            og->advance = sg->adv;
            og->cluster = lay->offs[sg->ci];
            *pen += sg->adv;
            if ((int)sg->file != last_file) {
                last_file = sg->file;
                layout_font_metrics(&lay->fonts->files[sg->file], para->size, asc, desc);
            }
        }
        v = w;
    }
}

/* The one place the ellipsis is written: its glyphs at out->glyphs[at]
 * onward, from x0, their cluster the byte where the kept text ends. The
 * glyphs from at to end (the line's own, when the ellipsis goes first)
 * move up to make room. Returns the pen after it. */
static float layout_emit_ellipsis(i18n_layout_t *lay, i18n_text_t *out, size_t at, size_t end,
                                  float x0, size_t cluster)
{
    float pen = x0;
    size_t i;

    memmove(&out->glyphs[at + lay->nellipsis], &out->glyphs[at], (end - at) * sizeof(i18n_glyph_t));
    for (i = 0; i < lay->nellipsis; i++) {
        i18n_glyph_t *g = &out->glyphs[at + i];

        g->glyph = lay->ellipsis[i].gid;
        g->font = lay->ellipsis[i].font;
        g->x = pen + lay->ellipsis[i].dx;
        g->y = -lay->ellipsis[i].dy;
        g->advance = lay->ellipsis[i].adv;
        g->cluster = (uint32_t)cluster;
        pen += lay->ellipsis[i].adv;
    }
    return pen;
}

/* Raises *asc and *desc to font f's at size px. */
static void layout_font_metrics(const i18n_font_file_t *f, float size, float *asc, float *desc)
{
    *asc = fmaxf(*asc, f->ascender * size);
    *desc = fmaxf(*desc, f->descender * size);
}

/* An empty line: the metrics of the language's first font. */
static void layout_empty_line_metrics(i18n_layout_t *lay, const layout_para_t *para, float *asc,
                                      float *desc)
{
    const i18n_chain_t *chain = i18n_fonts_chain(lay->fonts, para->lang, para->lang_script);
    size_t k;

    for (k = 0; k < chain->nfiles; k++) {
        i18n_font_file_t *f = i18n_fonts_file(lay->fonts, chain->files[k]);

        if (f) {
            *asc = f->ascender * para->size;
            *desc = f->descender * para->size;
            return;
        }
    }
}

/* Places each line inside the box (max_width, else the widest line) by
 * the alignment, and moves its glyphs from line to box coordinates. */
static void layout_align(i18n_text_t *out, const layout_para_t *para, float widest)
{
    const i18n_layout_params_t *p = para->p;
    float box_width = p->max_width > 0 ? p->max_width : widest;
    bool right =
        (p->align == I18N_ALIGN_START && para->rtl) || (p->align == I18N_ALIGN_END && !para->rtl);
    size_t li, i;

    for (li = 0; li < para->nlines; li++) {
        i18n_line_t *line = &out->lines[li];
        float shift, x;

        if (p->align == I18N_ALIGN_CENTER)
            x = (box_width - line->width) / 2;
        else
            x = right ? box_width - line->width : 0;
        shift = x + line->x;
        for (i = 0; i < line->glyph_count; i++) {
            i18n_glyph_t *g = &out->glyphs[line->first_glyph + i];

            g->x += shift;
            g->y += line->baseline;
        }
        line->x = x;
    }
}

/* Drops combining marks past I18N_MARKS_MAX in a row (HarfBuzz's time
 * grows with the square of a cluster's length: 'a' and 40,000 acute
 * accents took seconds). A dropped character's bytes join the cluster of
 * the character before it (offs[] of the kept characters is unchanged and
 * offs[n] stays the text's length). Returns the new count. */
static size_t layout_bound_marks(i18n_layout_t *lay, size_t n)
{
    size_t i, k = 0, run = 0;

    for (i = 0; i < n; i++) {
        uint32_t cp = lay->cps[i];

        if (cp >= 0x300 &&
            (cp_is_mark(lay->ufuncs, cp) || hb_unicode_combining_class(lay->ufuncs, cp) != 0)) {
            if (++run > I18N_MARKS_MAX)
                continue;
        } else {
            run = 0;
        }
        lay->cps[k] = cp;
        lay->offs[k] = lay->offs[i];
        k++;
    }
    lay->offs[k] = lay->offs[n];
    return k;
}

/* Whether UAX #9 gives every character level 0 and reorders nothing: an
 * LTR paragraph (by dir, or by P2/P3: an L before any R or AL, or no strong
 * character and no RTL default) with no R, AL or AN character and no
 * explicit embedding, override or isolate. Then W7 turns every EN into L,
 * every neutral resolves to L, and L1/L2 leave each line as it is, so
 * FriBidi can be skipped (as for most of the Latin, Cyrillic, Ethiopic,
 * Bengali and Myanmar paragraphs a booth shows). */
static bool layout_all_ltr(const i18n_layout_t *lay, size_t n, i18n_dir_t dir, bool auto_rtl)
{
    bool strong = false;
    size_t i;

    if (dir == I18N_DIR_RTL)
        return false;
    for (i = 0; i < n; i++) {
        FriBidiCharType t = lay->types[i];

        if (t == FRIBIDI_TYPE_LTR)
            strong = true;
        else if (FRIBIDI_IS_RTL(t) || FRIBIDI_IS_ARABIC(t) || FRIBIDI_IS_EXPLICIT(t) ||
                 FRIBIDI_IS_ISOLATE(t))
            return false;
    }
    return dir == I18N_DIR_LTR || strong || !auto_rtl;
}

/* Phone numbers: maximal sequences that start with '+' or a decimal digit
 * (any script's), hold only digits, single spaces or no-break spaces and
 * - U+2010 . / ( ), end with a digit, and have at least PHONE_MIN_DIGITS
 * digits and a separator between two digits or a leading '+'. Plain
 * numbers, years (1948) and times (09:00, 09:00-17:00: ':' and the dash
 * U+2013 are not separators here) are not phone numbers. A bracket just
 * outside that pairs with one inside is taken in, so "(030) 1234567"
 * stays whole. */
static wm_status_t layout_find_phones(i18n_layout_t *lay, size_t n)
{
    const uint32_t *cps = lay->cps;
    size_t i = 0;
    wm_status_t st;

    lay->nphones = 0;
    while (i < n) {
        size_t j, last = i, digits = 0, start = i;
        bool sep_between = false, pending = false, prev_space = false;
        int depth = 0, unopened = 0;

        if (cps[i] != '+' && !cp_is_digit(lay->ufuncs, cps[i])) {
            i++;
            continue;
        }
        for (j = i; j < n; j++) {
            uint32_t c = cps[j];

            if (cp_is_digit(lay->ufuncs, c)) {
                digits++;
                sep_between = sep_between || pending;
                pending = false;
                prev_space = false;
                last = j + 1;
            } else if (j == i && c == '+') {
                continue;
            } else if (c == 0x20 || c == 0xA0) {
                if (prev_space)
                    break;
                prev_space = true;
                pending = digits > 0;
            } else if (c == '-' || c == 0x2010 || c == '.' || c == '/' || c == '(' || c == ')') {
                prev_space = false;
                pending = digits > 0;
            } else {
                break;
            }
        }
        if (digits >= PHONE_MIN_DIGITS && (sep_between || cps[i] == '+')) {
            size_t k, end = last;

            for (k = start; k < end; k++) {
                if (cps[k] == '(')
                    depth++;
                else if (cps[k] == ')' && depth > 0)
                    depth--;
                else if (cps[k] == ')')
                    unopened++;
            }
            if (unopened == 1 && depth == 0 && start > 0 && cps[start - 1] == '(')
                start--;
            if (depth == 1 && unopened == 0 && end < n && cps[end] == ')')
                end++;
            st = wm_grow((void **)&lay->phones, &lay->phones_cap, lay->nphones + 1,
                         sizeof(layout_range_t));
            if (st != WM_OK)
                return st;
            lay->phones[lay->nphones].start = start;
            lay->phones[lay->nphones].end = end;
            lay->nphones++;
            i = end;
        } else {
            i = j > i ? j : i + 1;
        }
    }
    return WM_OK;
}

/* Resolves the levels again as if each phone number were wrapped in
 * U+2066 LRI ... U+2069 PDI (so the text around sees a neutral isolate, as
 * UAX #9 defines it) with its characters strong LTR inside (so the groups
 * of Arabic-Indic digits, AN to UAX #9, also read left to right). The
 * isolate marks exist only in this copy of the bidi types: characters,
 * byte offsets and glyphs are the paragraph's own, and the per-line L1/L2
 * pass still sees the real types (a space at a line's end inside a number
 * is trailing white space there). Only for RTL paragraphs. */
static wm_status_t layout_isolate_phones(i18n_layout_t *lay, size_t n, int *par_level)
{
    size_t m = n + 2 * lay->nphones, i, k, x = 0, s = 0;
    int par = 0;
    wm_status_t st;

    st = wm_grow((void **)&lay->xtypes, &lay->xtypes_cap, m, sizeof(FriBidiCharType));
    if (st == WM_OK)
        st = wm_grow((void **)&lay->xbrackets, &lay->xbrackets_cap, m, sizeof(FriBidiBracketType));
    if (st == WM_OK)
        st = wm_grow((void **)&lay->xlevels, &lay->xlevels_cap, m, 1);
    if (st != WM_OK)
        return st;
    for (k = 0; k <= lay->nphones; k++) {
        size_t a = k < lay->nphones ? lay->phones[k].start : n;

        for (i = s; i < a; i++, x++) {
            lay->xtypes[x] = lay->types[i];
            lay->xbrackets[x] = lay->brackets[i];
        }
        if (k == lay->nphones)
            break;
        lay->xtypes[x] = FRIBIDI_TYPE_LRI;
        lay->xbrackets[x++] = FRIBIDI_NO_BRACKET;
        for (i = a; i < lay->phones[k].end; i++, x++) {
            lay->xtypes[x] = FRIBIDI_TYPE_LTR;
            lay->xbrackets[x] = FRIBIDI_NO_BRACKET;
        }
        lay->xtypes[x] = FRIBIDI_TYPE_PDI;
        lay->xbrackets[x++] = FRIBIDI_NO_BRACKET;
        s = lay->phones[k].end;
    }
    /* the paragraph level is known (the marks do not change P2/P3) */
    st = i18n_bidi_resolve_types(lay->xtypes, lay->xbrackets, m, I18N_DIR_RTL, true, lay->xlevels,
                                 &par);
    if (st != WM_OK)
        return st;
    for (k = 0, x = 0, s = 0; k <= lay->nphones; k++) {
        size_t a = k < lay->nphones ? lay->phones[k].start : n;

        for (i = s; i < a; i++)
            lay->levels[i] = lay->xlevels[x++];
        if (k == lay->nphones)
            break;
        x++; /* LRI */
        for (i = a; i < lay->phones[k].end; i++)
            lay->levels[i] = lay->xlevels[x++];
        x++; /* PDI */
        s = lay->phones[k].end;
    }
    *par_level = par;
    return WM_OK;
}

/* Scripts per character: Common and Inherited take the script before them
 * (paired brackets the script of their opening bracket); leading ones take
 * the first real script after them, or fallback when there is none. */
static void layout_itemize_scripts(i18n_layout_t *lay, size_t n, hb_script_t fallback)
{
    struct {
        uint32_t id;
        hb_script_t script;
    } stack[BRACKET_STACK];
    size_t depth = 0, i, k;
    hb_script_t last = HB_SCRIPT_COMMON, first = HB_SCRIPT_COMMON;

    for (i = 0; i < n; i++) {
        hb_script_t s = hb_unicode_script(lay->ufuncs, lay->cps[i]);
        FriBidiBracketType bt = lay->brackets[i];

        if (s == HB_SCRIPT_INHERITED) {
            s = last;
        } else if (s == HB_SCRIPT_COMMON || s == HB_SCRIPT_UNKNOWN) {
            s = last;
            if (bt != FRIBIDI_NO_BRACKET) {
                if (FRIBIDI_IS_BRACKET_OPEN(bt)) {
                    if (depth < BRACKET_STACK) {
                        stack[depth].id = FRIBIDI_BRACKET_ID(bt);
                        stack[depth].script = last;
                        depth++;
                    }
                } else {
                    for (k = depth; k > 0; k--)
                        if (stack[k - 1].id == FRIBIDI_BRACKET_ID(bt))
                            break;
                    if (k > 0) {
                        s = stack[k - 1].script;
                        depth = k - 1;
                    }
                }
            }
        } else {
            if (first == HB_SCRIPT_COMMON)
                first = s;
            for (k = depth; k > 0 && stack[k - 1].script == HB_SCRIPT_COMMON; k--)
                stack[k - 1].script = s;
            last = s;
        }
        lay->scripts[i] = s;
    }
    if (first == HB_SCRIPT_COMMON)
        first = fallback;
    for (i = 0; i < n && lay->scripts[i] == HB_SCRIPT_COMMON; i++)
        lay->scripts[i] = first;
}

/* Font file per character from the (language, script) chain, per character
 * fallback; returns how many characters no font covers. Also prepares the
 * shaping copy of the text (controls and separators made invisible). */
static size_t layout_assign_fonts(i18n_layout_t *lay, size_t n, const char *lang)
{
    const i18n_chain_t *chain = NULL;
    hb_script_t chain_script = HB_SCRIPT_INVALID;
    i18n_font_file_t *prev = NULL, *f;
    size_t i, missing = 0;

    for (i = 0; i < n; i++) {
        uint32_t cp = lay->cps[i];

        if (lay->scripts[i] != chain_script || !chain) {
            chain_script = lay->scripts[i];
            chain = i18n_fonts_chain(lay->fonts, lang, chain_script);
        }
        lay->shape[i] = cp;
        if (cp_is_control(cp)) {
            /* shaped as an invisible zero-width glyph, never a box */
            lay->shape[i] = cp == '\t' ? 0x20 : 0x200B;
        } else if (prev && (cp_is_ignorable(cp) ||
                            (cp_is_mark(lay->ufuncs, cp) && hb_set_has(prev->cover, cp)))) {
            /* marks and joiners stay with their base's font */
            lay->file[i] = (uint16_t)(prev - lay->fonts->files);
            continue;
        } else if (i18n_fonts_chain_find(lay->fonts, chain, cp, &f) ||
                   i18n_fonts_any_find(lay->fonts, cp, &f)) {
            lay->file[i] = (uint16_t)(f - lay->fonts->files);
            prev = f;
            continue;
        } else if (!cp_is_ignorable(cp)) {
            missing++;
        }
        /* not covered (or a control): the previous font, else the chain's
         * first font that loads */
        if (!prev) {
            size_t k;

            for (k = 0; k < chain->nfiles && !prev; k++)
                prev = i18n_fonts_file(lay->fonts, chain->files[k]);
            for (k = 0; k < lay->fonts->nfiles && !prev; k++)
                prev = i18n_fonts_file(lay->fonts, (uint16_t)k);
        }
        lay->file[i] = prev ? (uint16_t)(prev - lay->fonts->files) : 0;
    }
    return missing;
}

/* Splits into runs of equal level, script and font, shapes each (word by
 * word through the word cache when the font allows it), and records per
 * character advances and cluster starts. */
static wm_status_t layout_shape(i18n_layout_t *lay, size_t n, const char *lang, float size_px)
{
    hb_language_t hl = hb_language_from_string(lang, -1);
    uint32_t size_q = (uint32_t)lroundf(size_px * 64.0f);
    size_t i, start, k;
    wm_status_t st;

    lay->nitems = 0;
    lay->nglyphs = 0;
    if (n > 0 && lay->fonts->nloaded == 0)
        return wm_error(WM_ENOENT, "layout: no configured font could be opened");
    for (start = 0; start < n; start = i) {
        layout_item_t *it;
        i18n_font_file_t *f;

        for (i = start + 1; i < n; i++)
            if (lay->levels[i] != lay->levels[start] || lay->scripts[i] != lay->scripts[start] ||
                lay->file[i] != lay->file[start])
                break;
        st = wm_grow((void **)&lay->items, &lay->items_cap, lay->nitems + 1, sizeof(layout_item_t));
        if (st != WM_OK)
            return st;
        it = &lay->items[lay->nitems];
        it->start = start;
        it->end = i;
        it->level = lay->levels[start];
        it->script = lay->scripts[start];
        it->file = lay->file[start];
        f = &lay->fonts->files[it->file];
        if (!f->ok)
            return wm_error(WM_ENOENT, "layout: no configured font could be opened");
        font_set_size(f, size_px);

        it->g0 = lay->nglyphs;
        /* Myanmar runs are shaped whole: HarfBuzz's Myanmar shaper gives
         * a word after a space other glyphs alone, with the paragraph as
         * context, than inside its run (U+1026 after "\u1019\u103E ",
         * found by fuzzing), so no word of it can be cached exactly */
        if (lay->words_on && !lay->controls && it->script != HB_SCRIPT_MYANMAR &&
            i18n_fonts_word_separators(f)) {
            st = layout_shape_words(lay, it, f, n, hl, size_q);
        } else {
            lay->runs_whole++;
            st = layout_shape_run(lay, it, f, n, hl);
        }
        if (st != WM_OK)
            return st;
        it->gn = lay->nglyphs - it->g0;
        for (k = start; k < i; k++) {
            lay->cadv[k] = 0;
            lay->cstart[k] = 0;
            lay->citem[k] = (uint32_t)lay->nitems;
        }
        for (k = it->g0; k < lay->nglyphs; k++) {
            const layout_glyph_t *g = &lay->glyphs[k];

            lay->cadv[g->ci] += g->adv;
            lay->cstart[g->ci] = 1;
        }
        lay->nitems++;
    }
    return WM_OK;
}

/* The whole run in one buffer, the paragraph around it as context. */
static wm_status_t layout_shape_run(i18n_layout_t *lay, const layout_item_t *it,
                                    const i18n_font_file_t *f, size_t n, hb_language_t hl)
{
    layout_hb_setup(lay, n, it->start, it->end, it, hl);
    hb_shape(f->hfont, lay->buf, NULL, 0);
    if (!hb_buffer_allocation_successful(lay->buf))
        return wm_error(WM_ENOMEM, "layout: out of memory while shaping");
    return layout_append_hb(lay, f, it->file);
}

/* The run word by word. A word ends after a space (U+0020, or U+1361 where
 * the font allows) not followed by a mark or joiner (which would belong to
 * the space's grapheme); in a font whose space glyph no lookup reads,
 * nothing reaches across such a space, so the glyphs of the words side by
 * side are the glyphs of the run. HarfBuzz gives them in visual order: the
 * words of an RTL run last to first. */
static wm_status_t layout_shape_words(i18n_layout_t *lay, const layout_item_t *it,
                                      const i18n_font_file_t *f, size_t n, hb_language_t hl,
                                      uint32_t size_q)
{
    unsigned seps = i18n_fonts_word_separators((i18n_font_file_t *)f);
    size_t ws, we;
    bool broken = false;
    wm_status_t st = WM_OK;

    if (!(it->level & 1)) {
        for (ws = it->start; ws < it->end; ws = we) {
            for (we = ws + 1; we < it->end && !layout_word_boundary(lay, we, seps); we++)
                ;
            st = layout_shape_word(lay, it, f, ws, we, n, hl, size_q, &broken);
            if (st != WM_OK || broken)
                break;
        }
    } else {
        for (we = it->end; we > it->start; we = ws) {
            for (ws = we - 1; ws > it->start && !layout_word_boundary(lay, ws, seps); ws--)
                ;
            st = layout_shape_word(lay, it, f, ws, we, n, hl, size_q, &broken);
            if (st != WM_OK || broken)
                break;
        }
    }
    if (st != WM_OK)
        return st;
    if (broken) {
        /* a broken cluster: shaped alone, HarfBuzz segments it otherwise
         * than inside the run, so the run is shaped whole */
        lay->nglyphs = it->g0;
        lay->runs_whole++;
        return layout_shape_run(lay, it, f, n, hl);
    }
    return WM_OK;
}

/* One word: from the cache, else shaped with the paragraph as context and
 * cached when nothing outside it can change it: it starts the paragraph or
 * follows a space, ends it or ends with a space (Arabic joining and mark
 * attachment stop at a space), and is not too long. */
static wm_status_t layout_shape_word(i18n_layout_t *lay, const layout_item_t *it,
                                     const i18n_font_file_t *f, size_t ws, size_t we, size_t n,
                                     hb_language_t hl, uint32_t size_q, bool *broken)
{
    const uint32_t *sh = lay->shape;
    i18n_word_key_t key;
    const i18n_word_glyph_t *wg;
    hb_glyph_info_t *info;
    hb_glyph_position_t *pos;
    unsigned int gn, k;
    uint32_t hash = 0;
    size_t ng;
    unsigned seps = i18n_fonts_word_separators((i18n_font_file_t *)f);
    bool cacheable;
    wm_status_t st;

    *broken = false;
    cacheable = (ws == 0 || layout_word_sep(sh[ws - 1], seps)) &&
                (we == n || layout_word_sep(sh[we - 1], seps)) && we - ws <= I18N_WORD_MAX;

    key.cps = sh + ws;
    key.ncp = we - ws;
    key.size_q = size_q;
    key.script = it->script;
    key.lang = hl;
    key.file = it->file;
    key.rtl = (uint8_t)(it->level & 1);
    if (cacheable) {
        hash = i18n_word_key_hash(&key);
        wg = i18n_word_cache_get(lay->words, &key, hash, &ng);
        if (wg)
            return layout_append_word(lay, f, it->file, wg, ng, ws);
    } else {
        lay->words_alone++;
    }

    layout_hb_setup(lay, n, ws, we, it, hl);
    hb_shape(f->hfont, lay->buf, NULL, 0);
    if (!hb_buffer_allocation_successful(lay->buf))
        return wm_error(WM_ENOMEM, "layout: out of memory while shaping");
    if (layout_hb_added_dotted_circle(lay, f, ws, we)) {
        *broken = true;
        return WM_OK;
    }
    if (!cacheable)
        return layout_append_hb(lay, f, it->file);

    info = hb_buffer_get_glyph_infos(lay->buf, &gn);
    pos = hb_buffer_get_glyph_positions(lay->buf, &gn);
    st = wm_grow((void **)&lay->wglyphs, &lay->wglyphs_cap, gn ? gn : 1, sizeof(i18n_word_glyph_t));
    if (st != WM_OK)
        return st;
    for (k = 0; k < gn; k++) {
        i18n_word_glyph_t *g = &lay->wglyphs[k];

        /* values that do not fit are not cached: hits stay exact */
        if (info[k].codepoint > UINT16_MAX || pos[k].x_advance < INT16_MIN ||
            pos[k].x_advance > INT16_MAX || pos[k].x_offset < INT16_MIN ||
            pos[k].x_offset > INT16_MAX || pos[k].y_offset < INT16_MIN ||
            pos[k].y_offset > INT16_MAX) {
            lay->words_alone++;
            return layout_append_hb(lay, f, it->file);
        }
        g->gid = (uint16_t)info[k].codepoint;
        g->cluster = (uint16_t)(info[k].cluster - ws);
        g->adv = (int16_t)pos[k].x_advance;
        g->dx = (int16_t)pos[k].x_offset;
        g->dy = (int16_t)pos[k].y_offset;
    }
    st = i18n_word_cache_put(lay->words, &key, hash, lay->wglyphs, gn);
    if (st != WM_OK)
        return st;
    return layout_append_word(lay, f, it->file, lay->wglyphs, gn, ws);
}

/* Whether HarfBuzz put a dotted circle (its mark for a broken cluster,
 * such as a Myanmar medial after an asat) into the buffer that is not in
 * the text [ws, we): where a cluster is broken, HarfBuzz's syllables in a
 * word shaped alone can differ from those in the whole run (found by
 * fuzzing), so such words are not shaped alone. */
static bool layout_hb_added_dotted_circle(const i18n_layout_t *lay, const i18n_font_file_t *f,
                                          size_t ws, size_t we)
{
    hb_codepoint_t dc;
    unsigned int gn, k;
    hb_glyph_info_t *info;
    size_t i;

    if (!hb_font_get_nominal_glyph(f->hfont, 0x25CC, &dc))
        return false;
    info = hb_buffer_get_glyph_infos(lay->buf, &gn);
    for (k = 0; k < gn && info[k].codepoint != dc; k++)
        ;
    if (k == gn)
        return false;
    for (i = ws; i < we; i++)
        if (lay->shape[i] == 0x25CC)
            return false;
    return true;
}

/* Fills the buffer with characters [start, end) of the paragraph (the
 * rest is context) in the item's direction, script and language. */
static void layout_hb_setup(i18n_layout_t *lay, size_t n, size_t start, size_t end,
                            const layout_item_t *it, hb_language_t hl)
{
    hb_buffer_clear_contents(lay->buf);
    hb_buffer_add_utf32(lay->buf, lay->shape, (int)n, (unsigned int)start, (int)(end - start));
    hb_buffer_set_direction(lay->buf, (it->level & 1) ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
    hb_buffer_set_script(lay->buf, it->script);
    hb_buffer_set_language(lay->buf, hl);
    hb_buffer_set_cluster_level(lay->buf, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_GRAPHEMES);
}

/* Appends the buffer's glyphs (clusters are paragraph character indices). */
static wm_status_t layout_append_hb(i18n_layout_t *lay, const i18n_font_file_t *f, uint16_t file)
{
    unsigned int gn, k;
    hb_glyph_info_t *info = hb_buffer_get_glyph_infos(lay->buf, &gn);
    hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(lay->buf, &gn);
    wm_status_t st;

    st =
        wm_grow((void **)&lay->glyphs, &lay->glyphs_cap, lay->nglyphs + gn, sizeof(layout_glyph_t));
    if (st != WM_OK)
        return st;
    for (k = 0; k < gn; k++) {
        layout_glyph_t *g = &lay->glyphs[lay->nglyphs++];

        g->gid = info[k].codepoint;
        g->font = f->id;
        g->file = file;
        g->ci = info[k].cluster;
        g->adv = (float)pos[k].x_advance / 64.0f;
        g->dx = (float)pos[k].x_offset / 64.0f;
        g->dy = (float)pos[k].y_offset / 64.0f;
    }
    return WM_OK;
}

/* Appends a shaped word's glyphs; its first character is ws. */
static wm_status_t layout_append_word(i18n_layout_t *lay, const i18n_font_file_t *f, uint16_t file,
                                      const i18n_word_glyph_t *wg, size_t ng, size_t ws)
{
    size_t k;
    wm_status_t st;

    st =
        wm_grow((void **)&lay->glyphs, &lay->glyphs_cap, lay->nglyphs + ng, sizeof(layout_glyph_t));
    if (st != WM_OK)
        return st;
    for (k = 0; k < ng; k++) {
        layout_glyph_t *g = &lay->glyphs[lay->nglyphs++];

        g->gid = wg[k].gid;
        g->font = f->id;
        g->file = file;
        g->ci = (uint32_t)(ws + wg[k].cluster);
        g->adv = (float)wg[k].adv / 64.0f;
        g->dx = (float)wg[k].dx / 64.0f;
        g->dy = (float)wg[k].dy / 64.0f;
    }
    return WM_OK;
}

/* Whether a word starts at character k: after a separator, unless k is a
 * mark or joiner that belongs with it. */
static bool layout_word_boundary(const i18n_layout_t *lay, size_t k, unsigned seps)
{
    return layout_word_sep(lay->shape[k - 1], seps) && !cp_extends(lay->ufuncs, lay->shape[k]);
}

/* Whether a word may end after cp in a font with these separators: U+0020
 * (the space belongs to the word before it, as in browsers), and U+1361
 * where Ethiopic text divides words with it instead. */
static bool layout_word_sep(uint32_t cp, unsigned seps)
{
    return (cp == 0x20 && (seps & I18N_WORD_SEP_SPACE)) ||
           (cp == 0x1361 && (seps & I18N_WORD_SEP_ETHIOPIC));
}

/* Greedy fitting: the widest prefix ending at a UAX #14 opportunity that
 * fits (trailing white space not counted); a cluster wider than the line
 * alone on its line; mandatory breaks always. */
static wm_status_t layout_break_lines(i18n_layout_t *lay, size_t n, float max_width)
{
    size_t s = 0;
    wm_status_t st;

    lay->nranges = 0;
    do {
        size_t i, e = n, cand = s;
        float total = 0, vis = 0;

        for (i = s; i < n; i++) {
            total += lay->cadv[i];
            if (!cp_is_space(lay->cps[i]))
                vis = total;
            if (max_width > 0 && vis > max_width + WIDTH_EPSILON) {
                if (cand > s) {
                    e = cand;
                } else {
                    size_t c = i;

                    while (c > s && !lay->cstart[c])
                        c--;
                    if (c > s) {
                        e = c;
                    } else {
                        for (e = i + 1; e < n && !lay->cstart[e]; e++)
                            ;
                    }
                }
                break;
            }
            if (lay->breaks[i] == I18N_BREAK_MUST) {
                e = i + 1;
                break;
            }
            if (lay->breaks[i] == I18N_BREAK_ALLOW && (i + 1 == n || lay->cstart[i + 1]))
                cand = i + 1;
        }
        st = wm_grow((void **)&lay->ranges, &lay->ranges_cap, lay->nranges + 1,
                     sizeof(layout_range_t));
        if (st != WM_OK)
            return st;
        lay->ranges[lay->nranges].start = s;
        lay->ranges[lay->nranges].end = e;
        lay->nranges++;
        s = e;
    } while (s < n);
    return WM_OK;
}

/* Shapes U+2026 in the font the chain of the character at index `at`
 * gives, in the paragraph's direction. */
static void layout_shape_ellipsis(i18n_layout_t *lay, size_t at, size_t n, const char *lang,
                                  float size_px, bool rtl)
{
    hb_script_t script = n > 0 ? lay->scripts[at < n ? at : n - 1] : HB_SCRIPT_LATIN;
    const i18n_chain_t *chain = i18n_fonts_chain(lay->fonts, lang, script);
    uint32_t cp = ELLIPSIS_CODEPOINT;
    hb_glyph_info_t *info;
    hb_glyph_position_t *pos;
    i18n_font_file_t *f;
    unsigned int gn, k;

    lay->nellipsis = 0;
    lay->ellipsis_width = 0;
    if (!i18n_fonts_chain_find(lay->fonts, chain, cp, &f) &&
        !i18n_fonts_any_find(lay->fonts, cp, &f)) {
        cp = '.';
        if (!i18n_fonts_chain_find(lay->fonts, chain, cp, &f))
            return;
    }
    font_set_size(f, size_px);
    hb_buffer_clear_contents(lay->buf);
    hb_buffer_add_utf32(lay->buf, &cp, 1, 0, 1);
    hb_buffer_set_direction(lay->buf, rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
    hb_buffer_set_script(lay->buf, script);
    hb_buffer_set_language(lay->buf, hb_language_from_string(lang, -1));
    hb_shape(f->hfont, lay->buf, NULL, 0);
    info = hb_buffer_get_glyph_infos(lay->buf, &gn);
    pos = hb_buffer_get_glyph_positions(lay->buf, &gn);
    for (k = 0; k < gn && k < ELLIPSIS_MAX; k++) {
        layout_glyph_t *g = &lay->ellipsis[lay->nellipsis++];

        g->gid = info[k].codepoint;
        g->font = f->id;
        g->file = (uint16_t)(f - lay->fonts->files);
        g->ci = 0;
        g->adv = (float)pos[k].x_advance / 64.0f;
        g->dx = (float)pos[k].x_offset / 64.0f;
        g->dy = (float)pos[k].y_offset / 64.0f;
        lay->ellipsis_width += g->adv;
    }
}

/* The end of the last kept line so that it and the ellipsis fit: the
 * widest prefix ending at a cluster start, trailing white space dropped. */
static size_t layout_truncate_line(i18n_layout_t *lay, size_t s, size_t e, float max_width)
{
    size_t i, best = s;
    float total = 0;

    if (max_width <= 0) {
        best = e;
    } else {
        for (i = s; i < e; i++) {
            if (lay->cstart[i] && total + lay->ellipsis_width <= max_width + WIDTH_EPSILON && i > s)
                best = i;
            total += lay->cadv[i];
        }
        if (total + lay->ellipsis_width <= max_width + WIDTH_EPSILON)
            best = e;
    }
    while (best > s && (cp_is_space(lay->cps[best - 1]) || cp_is_control(lay->cps[best - 1])))
        best--;
    return best;
}

static void font_set_size(i18n_font_file_t *f, float size_px)
{
    if (f->scale_px != size_px) {
        int scale = (int)lroundf(size_px * 64.0f);

        hb_font_set_scale(f->hfont, scale, scale);
        f->scale_px = size_px;
    }
}

/* White space that does not count toward a line's width at its end. */
static bool cp_is_space(uint32_t cp)
{
    return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200B && cp != 0x2007) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0x205F || cp == 0x3000;
}

/* Controls and separators: never drawn. */
bool i18n_char_is_invisible(uint32_t cp)
{
    return cp_is_control(cp) || cp_is_ignorable(cp);
}

static bool cp_is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
}

/* Default-ignorable code points HarfBuzz hides when a font lacks them. */
static bool cp_is_ignorable(uint32_t cp)
{
    return cp == 0x00AD || cp == 0x034F || cp == 0x061C || (cp >= 0x115F && cp <= 0x1160) ||
           (cp >= 0x17B4 && cp <= 0x17B5) || (cp >= 0x180B && cp <= 0x180F) ||
           (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x206F) || cp == 0x3164 || (cp >= 0xFE00 && cp <= 0xFE0F) ||
           cp == 0xFEFF || cp == 0xFFA0 || (cp >= 0xFFF0 && cp <= 0xFFF8) ||
           (cp >= 0x1BCA0 && cp <= 0x1BCA3) || (cp >= 0x1D173 && cp <= 0x1D17A) ||
           (cp >= 0xE0000 && cp <= 0xE0FFF);
}

static bool cp_is_mark(hb_unicode_funcs_t *uf, uint32_t cp)
{
    hb_unicode_general_category_t gc = hb_unicode_general_category(uf, cp);

    return gc == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK ||
           gc == HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK ||
           gc == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK;
}

/* Decimal digits of any script (General Category Nd). */
static bool cp_is_digit(hb_unicode_funcs_t *uf, uint32_t cp)
{
    if (cp < 0x80)
        return cp >= '0' && cp <= '9';
    return hb_unicode_general_category(uf, cp) == HB_UNICODE_GENERAL_CATEGORY_DECIMAL_NUMBER;
}

/* Characters that continue the grapheme before them: a word never starts
 * with one. */
static bool cp_extends(hb_unicode_funcs_t *uf, uint32_t cp)
{
    if (cp < 0x300)
        return false;
    return cp_is_mark(uf, cp) || cp_is_ignorable(cp) || (cp >= 0x1F3FB && cp <= 0x1F3FF);
}
