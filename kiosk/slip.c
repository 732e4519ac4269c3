/*
 * slip.c: composing referral slips into a 1-bit canvas, their QR codes
 * (libqrencode), and printing them.
 *
 * A slip, top to bottom, each text in the person's language and then the
 * local one: the service point's name (centred), a rule, the service's
 * name (large), the marks "free" / "no documents needed" (white on black),
 * where it is, when it is open, the phone number (large, left to right so
 * it can be dialled), the QR code (centred, 3 to 8 dots a module, quiet
 * zone of 4 modules) and the print date. Texts go through i18n's layout
 * like the screen's, so right-to-left lines are right-aligned and joined;
 * MONO1 drawing thresholds coverage at 50%.
 */
#include "slip.h"

#include <limits.h>
#include <math.h>
#include <qrencode.h>
#include <string.h>

#define SLIP_MARGIN       8 /* dots kept clear at each edge */
#define SLIP_TEXT_INSET   8 /* and 8 more for text: Nastaliq swashes reach past a line */
#define SLIP_ITEMS_MAX    32
#define SLIP_CACHE_BYTES  (2u << 20)
#define SLIP_LINE_SPACING 1.35f
#define SLIP_QR_MIN       3
#define SLIP_QR_MAX       8
#define SLIP_MARK_PAD     6

typedef enum {
    ITEM_TEXT = 0,
    ITEM_MARK, /* white text on a black box */
    ITEM_RULE,
    ITEM_QR,
} item_kind_t;

typedef struct {
    item_kind_t kind;
    i18n_text_t text;
    int height;    /* px the item takes */
    int gap_after; /* px of paper after it */
    int dx;        /* shift that keeps the ink inside the margins */
} slip_item_t;

struct kiosk_slip_composer {
    i18n_fonts_t *fonts;
    i18n_layout_t *layout;
    render_glyph_cache_t *cache;
    slip_item_t items[SLIP_ITEMS_MAX];
    size_t count;
    size_t missing; /* in the last slip */
    bool missing_logged;
};

static wm_status_t add_text(kiosk_slip_composer_t *c, item_kind_t kind, const char *utf8,
                            const char *lang, float size, i18n_align_t align, i18n_dir_t dir,
                            int avail, int gap);
static wm_status_t add_block(kiosk_slip_composer_t *c, item_kind_t kind, int height, int gap);
static wm_status_t add_person_local(kiosk_slip_composer_t *c, const kiosk_slip_t *slip,
                                    const char *person, const char *local, float psize, float lsize,
                                    i18n_align_t align, int avail, int gap);
static bool has_local(const kiosk_slip_t *slip);
static bool present(const char *s);
static wm_status_t keep_inside(kiosk_slip_composer_t *c, int width);
static void draw_mark(render_canvas_t *canvas, render_glyph_cache_t *cache, const i18n_text_t *text,
                      int y, int width);

wm_status_t kiosk_qr_encode(const char *payload, kiosk_qr_t *out)
{
    QRcode *qr;
    uint8_t *m;
    size_t n;

    if (!payload || !*payload)
        return wm_error(WM_EINVAL, "qr: empty payload");
    qr = QRcode_encodeData((int)strlen(payload), (const unsigned char *)payload, 0, QR_ECLEVEL_M);
    if (!qr)
        return wm_error(WM_EINVAL, "qr: cannot encode %zu bytes (too long for a QR code?)",
                        strlen(payload));
    n = (size_t)qr->width * (size_t)qr->width;
    m = wm_malloc(n);
    if (!m) {
        QRcode_free(qr);
        return wm_error(WM_ENOMEM, "qr: out of memory");
    }
    for (size_t i = 0; i < n; i++)
        m[i] = qr->data[i] & 1;
    out->size = qr->width;
    out->modules = m;
    QRcode_free(qr);
    return WM_OK;
}

void kiosk_qr_free(kiosk_qr_t *qr)
{
    if (!qr)
        return;
    wm_free(qr->modules);
    qr->modules = NULL;
    qr->size = 0;
}

int kiosk_qr_module_px(const kiosk_qr_t *qr, int avail_px, int min_px, int max_px)
{
    int px = avail_px / (qr->size + 2 * KIOSK_QR_QUIET);

    if (px > max_px)
        px = max_px;
    return px < min_px ? 0 : px;
}

int kiosk_qr_draw(render_canvas_t *canvas, const kiosk_qr_t *qr, int x, int y, int module_px)
{
    int side = (qr->size + 2 * KIOSK_QR_QUIET) * module_px;
    int q = KIOSK_QR_QUIET * module_px;

    render_canvas_fill_rect(canvas, x, y, side, side, RENDER_RGBA(255, 255, 255, 255));
    for (int r = 0; r < qr->size; r++) {
        for (int col = 0; col < qr->size; col++) {
            if (qr->modules[r * qr->size + col])
                render_canvas_fill_rect(canvas, x + q + col * module_px, y + q + r * module_px,
                                        module_px, module_px, RENDER_RGBA(0, 0, 0, 255));
        }
    }
    return side;
}

wm_status_t kiosk_slip_composer_create(i18n_fonts_t *fonts, kiosk_slip_composer_t **out)
{
    kiosk_slip_composer_t *c = wm_calloc(1, sizeof(*c));
    wm_status_t st;

    if (!c)
        return wm_error(WM_ENOMEM, "slip: out of memory");
    c->fonts = fonts;
    for (size_t i = 0; i < SLIP_ITEMS_MAX; i++)
        i18n_text_init(&c->items[i].text);
    st = i18n_layout_create(fonts, &c->layout);
    if (st == WM_OK)
        st = render_glyph_cache_create(fonts, SLIP_CACHE_BYTES, &c->cache);
    if (st != WM_OK) {
        kiosk_slip_composer_destroy(c);
        return st;
    }
    *out = c;
    return WM_OK;
}

void kiosk_slip_composer_destroy(kiosk_slip_composer_t *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < SLIP_ITEMS_MAX; i++)
        i18n_text_free(&c->items[i].text);
    render_glyph_cache_destroy(c->cache);
    i18n_layout_destroy(c->layout);
    wm_free(c);
}

wm_status_t kiosk_slip_compose(kiosk_slip_composer_t *c, const kiosk_slip_t *slip, int width,
                               render_canvas_t **out)
{
    const kiosk_slip_text_t *p = &slip->person, *l = &slip->local;
    const char *plang = p->lang ? p->lang : "en";
    float k = width == HW_DOTS_80MM ? 1.25f : 1.0f; /* sizes grow with the paper */
    int avail = width - 2 * SLIP_MARGIN, total = SLIP_MARGIN, y;
    int tavail = avail - 2 * SLIP_TEXT_INSET; /* for text */
    kiosk_qr_t qr = {0};
    render_canvas_t *canvas = NULL;
    size_t missing = 0;
    int module = 0;
    wm_status_t st;

    if (width != HW_DOTS_58MM && width != HW_DOTS_80MM)
        return wm_error(WM_EINVAL, "slip: paper of %d dots (384 for 58 mm, 576 for 80 mm)", width);
    if (!slip->qr)
        return wm_error(WM_EINVAL, "slip: no QR payload");
    st = kiosk_qr_encode(slip->qr, &qr);
    if (st != WM_OK)
        return st;
    module = kiosk_qr_module_px(&qr, avail, SLIP_QR_MIN, SLIP_QR_MAX);
    if (module == 0) {
        kiosk_qr_free(&qr);
        return wm_error(WM_EINVAL, "slip: a QR code of %d modules does not fit %d dots", qr.size,
                        avail);
    }

    c->count = 0;
    st = add_person_local(c, slip, p->site, l->site, 26 * k, 20 * k, I18N_ALIGN_CENTER, tavail, 4);
    if (st == WM_OK && present(p->site))
        st = add_block(c, ITEM_RULE, 3, 10);
    if (st == WM_OK)
        st = add_person_local(c, slip, p->name, l->name, 40 * k, 26 * k, I18N_ALIGN_START, tavail,
                              10);
    if (st == WM_OK && slip->free) {
        st = add_text(c, ITEM_MARK, p->free_label, plang, 24 * k, I18N_ALIGN_START, I18N_DIR_AUTO,
                      tavail - 2 * SLIP_MARK_PAD, 2);
        if (st == WM_OK && has_local(slip))
            st = add_text(c, ITEM_TEXT, l->free_label, l->lang, 20 * k, I18N_ALIGN_START,
                          I18N_DIR_AUTO, tavail, 8);
    }
    if (st == WM_OK && slip->no_documents) {
        st = add_text(c, ITEM_MARK, p->no_documents_label, plang, 24 * k, I18N_ALIGN_START,
                      I18N_DIR_AUTO, tavail - 2 * SLIP_MARK_PAD, 2);
        if (st == WM_OK && has_local(slip))
            st = add_text(c, ITEM_TEXT, l->no_documents_label, l->lang, 20 * k, I18N_ALIGN_START,
                          I18N_DIR_AUTO, tavail, 8);
    }
    if (st == WM_OK)
        st = add_person_local(c, slip, p->address, l->address, 24 * k, 20 * k, I18N_ALIGN_START,
                              tavail, 10);
    if (st == WM_OK)
        st = add_person_local(c, slip, p->hours, l->hours, 24 * k, 20 * k, I18N_ALIGN_START, tavail,
                              10);
    if (st == WM_OK && present(slip->phone)) {
        char label[256];
        if (has_local(slip) && present(l->phone_label) && present(p->phone_label))
            snprintf(label, sizeof(label), "%s · %s", p->phone_label, l->phone_label);
        else
            snprintf(label, sizeof(label), "%s", present(p->phone_label) ? p->phone_label : "");
        if (label[0])
            st = add_text(c, ITEM_TEXT, label, plang, 20 * k, I18N_ALIGN_CENTER, I18N_DIR_AUTO,
                          tavail, 0);
        if (st == WM_OK)
            st = add_text(c, ITEM_TEXT, slip->phone, "en", 36 * k, I18N_ALIGN_CENTER, I18N_DIR_LTR,
                          tavail, 10);
    }
    if (st == WM_OK)
        st = add_block(c, ITEM_QR, (qr.size + 2 * KIOSK_QR_QUIET) * module, 6);
    if (st == WM_OK && present(slip->date))
        st = add_text(c, ITEM_TEXT, slip->date, "en", 20 * k, I18N_ALIGN_CENTER, I18N_DIR_LTR,
                      tavail, 0);
    if (st != WM_OK)
        goto done;

    for (size_t i = 0; i < c->count; i++) {
        total += c->items[i].height + c->items[i].gap_after;
        if (c->items[i].kind == ITEM_TEXT || c->items[i].kind == ITEM_MARK)
            missing += c->items[i].text.missing;
    }
    total += SLIP_MARGIN;
    c->missing = missing;
    if (missing && !c->missing_logged) {
        /* about the fonts, never the text */
        wm_log_warn("slip: %zu characters no configured font covers", missing);
        c->missing_logged = true;
    }
    st = keep_inside(c, width);
    if (st == WM_OK)
        st = render_canvas_create(RENDER_FORMAT_MONO1, width, total, &canvas);
    if (st != WM_OK)
        goto done;
    y = SLIP_MARGIN;
    for (size_t i = 0; i < c->count; i++) {
        slip_item_t *it = &c->items[i];
        switch (it->kind) {
        case ITEM_TEXT:
            render_canvas_draw_text(canvas, c->cache, &it->text,
                                    (float)(SLIP_MARGIN + SLIP_TEXT_INSET + it->dx), (float)y,
                                    RENDER_RGBA(0, 0, 0, 255));
            break;
        case ITEM_MARK:
            draw_mark(canvas, c->cache, &it->text, y, width);
            break;
        case ITEM_RULE:
            render_canvas_fill_rect(canvas, SLIP_MARGIN, y, avail, it->height,
                                    RENDER_RGBA(0, 0, 0, 255));
            break;
        case ITEM_QR:
            kiosk_qr_draw(canvas, &qr, (width - it->height) / 2, y, module);
            break;
        }
        y += it->height + it->gap_after;
    }
    *out = canvas;
done:
    kiosk_qr_free(&qr);
    return st;
}

size_t kiosk_slip_composer_missing(const kiosk_slip_composer_t *composer)
{
    return composer->missing;
}

kiosk_print_outcome_t kiosk_slip_print(kiosk_slip_composer_t *composer, hw_printer_t *printer,
                                       const kiosk_slip_t *slip, int width,
                                       hw_print_result_t *result)
{
    hw_print_result_t res;
    render_canvas_t *canvas = NULL;
    hw_bitmap_t bm;
    wm_status_t st;

    memset(&res, 0, sizeof(res));
    res.before = res.after = HW_PRINTER_UNKNOWN;
    st = kiosk_slip_compose(composer, slip, width, &canvas);
    if (st == WM_OK) {
        bm.width = canvas->width;
        bm.height = canvas->height;
        bm.stride = canvas->stride;
        bm.bits = canvas->pixels;
        st = hw_printer_print(printer, &bm, KIOSK_SLIP_FEED_LINES, false, &res);
        render_canvas_destroy(canvas); /* nothing of the slip is kept */
    }
    if (result)
        *result = res;
    return kiosk_print_outcome(st, &res);
}

kiosk_print_outcome_t kiosk_print_outcome(wm_status_t st, const hw_print_result_t *res)
{
    if (st == WM_OK && res->printed)
        return KIOSK_PRINT_PRINTED;
    if (st == WM_OK && res->sent)
        return KIOSK_PRINT_UNCONFIRMED;
    return KIOSK_PRINT_FAILED;
}

const char *kiosk_print_message_key(kiosk_print_outcome_t outcome, hw_printer_state_t state)
{
    if (outcome == KIOSK_PRINT_PRINTED)
        return "print.done";
    if (outcome == KIOSK_PRINT_UNCONFIRMED)
        return "print.unconfirmed";
    if (state == HW_PRINTER_PAPER_OUT)
        return "print.failed.paper_out";
    return "print.failed";
}

const char *kiosk_print_message_en(kiosk_print_outcome_t outcome, hw_printer_state_t state)
{
    if (outcome == KIOSK_PRINT_PRINTED)
        return "Your slip is printed. Please take it.";
    if (outcome == KIOSK_PRINT_UNCONFIRMED)
        return "Your slip should come out of the printer. If it does not, scan this code with "
               "your phone.";
    if (state == HW_PRINTER_PAPER_OUT)
        return "The printer has no paper. Scan this code with your phone. Staff have been told "
               "on the status screen.";
    return "The slip could not be printed. Scan this code with your phone.";
}

static wm_status_t add_person_local(kiosk_slip_composer_t *c, const kiosk_slip_t *slip,
                                    const char *person, const char *local, float psize, float lsize,
                                    i18n_align_t align, int avail, int gap)
{
    const char *plang = slip->person.lang ? slip->person.lang : "en";
    bool both = has_local(slip) && present(local);
    wm_status_t st = WM_OK;

    if (present(person))
        st = add_text(c, ITEM_TEXT, person, plang, psize, align, I18N_DIR_AUTO, avail,
                      both ? 2 : gap);
    if (st == WM_OK && both)
        st = add_text(c, ITEM_TEXT, local, slip->local.lang, lsize, align, I18N_DIR_AUTO, avail,
                      gap);
    return st;
}

static wm_status_t add_text(kiosk_slip_composer_t *c, item_kind_t kind, const char *utf8,
                            const char *lang, float size, i18n_align_t align, i18n_dir_t dir,
                            int avail, int gap)
{
    i18n_layout_params_t lp = i18n_layout_params_default();
    slip_item_t *it;
    wm_status_t st;

    if (!present(utf8))
        return WM_OK;
    if (c->count >= SLIP_ITEMS_MAX)
        return wm_error(WM_ESTATE, "slip: more than %d items", SLIP_ITEMS_MAX);
    it = &c->items[c->count];
    lp.lang = lang;
    lp.dir = dir;
    lp.size_px = size;
    lp.max_width = (float)avail;
    lp.align = align;
    lp.line_spacing = SLIP_LINE_SPACING;
    st = i18n_layout_text(c->layout, &lp, utf8, strlen(utf8), &it->text);
    if (st != WM_OK)
        return st;
    it->kind = kind;
    it->height = (int)ceilf(it->text.height) + (kind == ITEM_MARK ? 2 * SLIP_MARK_PAD : 0);
    it->gap_after = gap;
    c->count++;
    return WM_OK;
}

static wm_status_t add_block(kiosk_slip_composer_t *c, item_kind_t kind, int height, int gap)
{
    slip_item_t *it;

    if (c->count >= SLIP_ITEMS_MAX)
        return wm_error(WM_ESTATE, "slip: more than %d items", SLIP_ITEMS_MAX);
    it = &c->items[c->count++];
    it->kind = kind;
    it->height = height;
    it->gap_after = gap;
    return WM_OK;
}

/* Glyphs may reach past their advances (Nastaliq's swashes, Burmese
 * vowel signs): each text is drawn once aside, and moved when its ink
 * would enter a margin. */
static wm_status_t keep_inside(kiosk_slip_composer_t *c, int width)
{
    const int pad = 64, x0 = SLIP_MARGIN + SLIP_TEXT_INSET;
    render_canvas_t *scratch = NULL;
    int h = 1;
    wm_status_t st;

    for (size_t i = 0; i < c->count; i++)
        if (c->items[i].kind == ITEM_TEXT && c->items[i].height > h)
            h = c->items[i].height;
    st = render_canvas_create(RENDER_FORMAT_MONO1, width + 2 * pad, h + 2 * pad, &scratch);
    if (st != WM_OK)
        return st;
    for (size_t i = 0; i < c->count; i++) {
        slip_item_t *it = &c->items[i];
        int left = INT_MAX, right = -1;

        it->dx = 0;
        if (it->kind != ITEM_TEXT)
            continue;
        render_canvas_clear(scratch, RENDER_RGBA(255, 255, 255, 255));
        render_canvas_draw_text(scratch, c->cache, &it->text, (float)(pad + x0), (float)pad,
                                RENDER_RGBA(0, 0, 0, 255));
        for (int y = 0; y < scratch->height; y++) {
            const uint8_t *row = scratch->pixels + (size_t)y * (size_t)scratch->stride;
            for (int b = 0; b < scratch->stride; b++) {
                if (!row[b])
                    continue;
                for (int k = 0; k < 8; k++) {
                    if (row[b] & (0x80u >> k)) {
                        int x = b * 8 + k - pad;
                        left = x < left ? x : left;
                        right = x > right ? x : right;
                    }
                }
            }
        }
        if (right < 0)
            continue;
        if (left < SLIP_MARGIN)
            it->dx = SLIP_MARGIN - left;
        else if (right > width - 1 - SLIP_MARGIN)
            it->dx = width - 1 - SLIP_MARGIN - right;
    }
    render_canvas_destroy(scratch);
    return WM_OK;
}

static bool has_local(const kiosk_slip_t *slip)
{
    return slip->local.lang && slip->person.lang && strcmp(slip->local.lang, slip->person.lang);
}

static bool present(const char *s)
{
    return s && *s;
}

/* A mark: its text white on a black box that hugs the lines, on the
 * line's start side (right for right-to-left text). */
static void draw_mark(render_canvas_t *canvas, render_glyph_cache_t *cache, const i18n_text_t *text,
                      int y, int width)
{
    float minx = 1e9f, maxx = -1e9f;
    int x0 = SLIP_MARGIN + SLIP_TEXT_INSET + SLIP_MARK_PAD, bx, bw;

    (void)width;
    for (size_t i = 0; i < text->line_count; i++) {
        const i18n_line_t *ln = &text->lines[i];
        if (ln->x < minx)
            minx = ln->x;
        if (ln->x + ln->width > maxx)
            maxx = ln->x + ln->width;
    }
    if (text->line_count == 0)
        return;
    bx = x0 + (int)floorf(minx) - SLIP_MARK_PAD;
    bw = (int)ceilf(maxx - minx) + 2 * SLIP_MARK_PAD;
    render_canvas_fill_rect(canvas, bx, y, bw, (int)ceilf(text->height) + 2 * SLIP_MARK_PAD,
                            RENDER_RGBA(0, 0, 0, 255));
    render_canvas_draw_text(canvas, cache, text, (float)x0, (float)(y + SLIP_MARK_PAD),
                            RENDER_RGBA(255, 255, 255, 255));
}
