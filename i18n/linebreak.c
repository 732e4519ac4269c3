/*
 * linebreak.c: UAX #14 line-break opportunities from libunibreak, with
 * Waymark's tailoring for what the installed library (1.1, Unicode 6-era
 * data and rules) does not know, so results follow Unicode 15:
 *
 *  - input side (lb_next_char): LB9/LB10 done here (marks after a base are
 *    hidden from the library, a mark without base is AL) because 1.1 gets
 *    LB9 wrong after several classes; RI, EB, EM are passed as an ID
 *    character (1.1 aborts on RI with an assertion); CJ as NS (LB1);
 *    U+3000 as BA.
 *  - output side (lb_tailor_out): the pair rules added or changed since:
 *    LB8a, LB18 at start of text, LB14 before CB, LB20 for CB, LB21a,
 *    LB21b, LB22, LB24, LB25 (the regex form LineBreakTest uses), LB30,
 *    LB30a, LB30b.
 *
 * What remains is listed with reasons in
 * tests/conformance/linebreak-exceptions.txt.
 */
#include "i18n_private.h"

#include <linebreak.h>
#include <linebreakdef.h>
#include <pthread.h>

/* lb_props[] entries: the library's class and whether it is a mark (LB9) */
#define LB_PROP_CLASS 0x3F
#define LB_PROP_CM    0x40
#define LB_BMP        0x10000

static void lb_init(void);
static utf32_t lb_next_char(const void *s, size_t len, size_t *ip);
static uint32_t lb_tailor_in(uint32_t cp);
static bool lb_is_cm(uint32_t cp);
static bool lb_is_cm_lookup(uint32_t cp);
static bool lb_attaches(enum LineBreakClass base);
static enum LineBreakClass lb_class_old(uint32_t cp);
static enum LineBreakClass lb_class_old_lookup(uint32_t cp);
static enum LineBreakClass lb_class(uint32_t cp);
static bool lb_is_eb(uint32_t cp);
static bool lb_is_em(uint32_t cp);
static bool lb_is_ea_wide(uint32_t cp);
static bool lb_number_follows(const uint32_t *cps, size_t n, size_t j);
static void lb_tailor_out(const uint32_t *cps, size_t n, char *breaks);

/* Emoji_Modifier_Base (line break class EB), Unicode 15 */
static const uint32_t eb_ranges[][2] = {
    {0x261D, 0x261D},   {0x26F9, 0x26F9},   {0x270A, 0x270D},   {0x1F385, 0x1F385},
    {0x1F3C2, 0x1F3C4}, {0x1F3C7, 0x1F3C7}, {0x1F3CA, 0x1F3CC}, {0x1F442, 0x1F443},
    {0x1F446, 0x1F450}, {0x1F466, 0x1F478}, {0x1F47C, 0x1F47C}, {0x1F481, 0x1F483},
    {0x1F485, 0x1F487}, {0x1F48F, 0x1F48F}, {0x1F491, 0x1F491}, {0x1F4AA, 0x1F4AA},
    {0x1F574, 0x1F575}, {0x1F57A, 0x1F57A}, {0x1F590, 0x1F590}, {0x1F595, 0x1F596},
    {0x1F645, 0x1F647}, {0x1F64B, 0x1F64F}, {0x1F6A3, 0x1F6A3}, {0x1F6B4, 0x1F6B6},
    {0x1F6C0, 0x1F6C0}, {0x1F6CC, 0x1F6CC}, {0x1F90C, 0x1F90C}, {0x1F90F, 0x1F90F},
    {0x1F918, 0x1F91F}, {0x1F926, 0x1F926}, {0x1F930, 0x1F939}, {0x1F93C, 0x1F93E},
    {0x1F977, 0x1F977}, {0x1F9B5, 0x1F9B6}, {0x1F9B8, 0x1F9B9}, {0x1F9BB, 0x1F9BB},
    {0x1F9CD, 0x1F9CF}, {0x1F9D1, 0x1F9DD}, {0x1FAC3, 0x1FAC5}, {0x1FAF0, 0x1FAF8},
};

/* The class and mark bit of every BMP code point, filled once (lb_init):
 * the tailoring asks for them several times per character, and a lookup
 * here is one load instead of two binary searches. */
static uint8_t lb_props[LB_BMP];
static size_t lb_prop_count;
static pthread_once_t lb_once = PTHREAD_ONCE_INIT;

wm_status_t i18n_break_opportunities(const uint32_t *cps, size_t n, const char *lang, char *breaks)
{
    size_t i;

    if (n == 0)
        return WM_OK;
    if (!cps || !breaks)
        return wm_error(WM_EINVAL, "linebreak: bad argument");
    pthread_once(&lb_once, lb_init);
    set_linebreaks(cps, n, lang, breaks, lb_next_char);
    for (i = 0; i < n; i++)
        if (breaks[i] == LINEBREAK_INSIDEACHAR)
            breaks[i] = LINEBREAK_NOBREAK;
    lb_tailor_out(cps, n, breaks);
    return WM_OK;
}

/* Once per process: the library's own index over its class table (without
 * it every lookup is a linear search from U+0000) and lb_props[]. */
static void lb_init(void)
{
    uint32_t cp;

    init_linebreak();
    while (lb_prop_default[lb_prop_count].prop != LBP_Undefined)
        lb_prop_count++;
    for (cp = 0; cp < LB_BMP; cp++)
        lb_props[cp] =
            (uint8_t)((unsigned)lb_class_old_lookup(cp) | (lb_is_cm_lookup(cp) ? LB_PROP_CM : 0));
}

/* Feeds libunibreak one character at a time. Rule LB9 (X CM* -> X) is
 * applied here: combining marks after a base are skipped, so the library
 * sees the base only (and marks the skipped positions as inside a
 * character); LB10: a mark with no base is AL. */
static utf32_t lb_next_char(const void *s, size_t len, size_t *ip)
{
    const uint32_t *p = s;
    uint32_t ch;

    if (*ip >= len)
        return EOS;
    ch = p[(*ip)++];
    if (lb_is_cm(ch)) {
        while (*ip < len && lb_is_cm(p[*ip]))
            (*ip)++;
        return 'A';
    }
    if (lb_attaches(lb_class_old(ch)))
        while (*ip < len && lb_is_cm(p[*ip]))
            (*ip)++;
    return lb_tailor_in(ch);
}

static uint32_t lb_tailor_in(uint32_t cp)
{
    /* LB1: CJ resolves to NS (U+30FD is NS in every version) */
    if (lb_class_old(cp) == LBP_CJ)
        return 0x30FD;
    /* version 1.1 aborts on RI (an assertion); RI, EB and EM pair like ID
     * with everything but each other, which lb_tailor_out() handles */
    if ((cp >= 0x1F1E6 && cp <= 0x1F1FF) || lb_is_eb(cp) || lb_is_em(cp))
        return 0x4E00;
    if (cp == 0x3000) /* IDEOGRAPHIC SPACE is BA; EN SPACE is BA in every version */
        return 0x2002;
    if (cp == EOS)
        return 0xFFFE;
    return cp;
}

/* Combining marks for LB9: class CM or ZWJ in Unicode 15. */
static bool lb_is_cm(uint32_t cp)
{
    return cp < LB_BMP ? (lb_props[cp] & LB_PROP_CM) != 0 : lb_is_cm_lookup(cp);
}

static bool lb_is_cm_lookup(uint32_t cp)
{
    hb_unicode_general_category_t gc =
        hb_unicode_general_category(hb_unicode_funcs_get_default(), cp);

    return gc == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK ||
           gc == HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK ||
           gc == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK || cp == 0x200C || cp == 0x200D ||
           (cp >= 0xE0020 && cp <= 0xE007F) || lb_class_old_lookup(cp) == LBP_CM;
}

/* Whether marks attach to a base of this class (LB9). */
static bool lb_attaches(enum LineBreakClass base)
{
    return base != LBP_Undefined && base != LBP_BK && base != LBP_CR && base != LBP_LF &&
           base != LBP_NL && base != LBP_SP && base != LBP_ZW;
}

/* Rules of Unicode 15's UAX #14 that version 1.1 predates, applied to the
 * library's answer, pair by pair (after LB9, marks belong to their base). */
static void lb_tailor_out(const uint32_t *cps, size_t n, char *breaks)
{
    enum LineBreakClass pb = LBP_Undefined, ppb = LBP_Undefined, nc;
    uint32_t pbcp = 0;
    size_t i, ri = 0;
    int num = 0; /* LB25 regex state: 1 in NU (NU|SY|IS)*, 2 after its (CL|CP) */
    bool leading_sp = true, op_sp = false;

    for (i = 0; i + 1 < n; i++) {
        uint32_t cp = cps[i], next = cps[i + 1];
        char *b = &breaks[i];

        if (!(lb_is_cm(cp) && lb_attaches(pb))) {
            enum LineBreakClass c = lb_is_cm(cp) ? LBP_AL : lb_class(cp);

            ri = c == LBP_RI ? (pb == LBP_RI ? ri + 1 : 1) : 0;
            if (c == LBP_NU)
                num = 1;
            else if ((c == LBP_SY || c == LBP_IS) && num == 1)
                num = 1;
            else if ((c == LBP_CL || c == LBP_CP) && num == 1)
                num = 2;
            else
                num = 0;
            op_sp = c == LBP_OP || (c == LBP_SP && op_sp);
            ppb = pb;
            pb = c;
            pbcp = cp;
            if (c != LBP_SP)
                leading_sp = false;
        }
        if (lb_is_cm(next) && lb_attaches(pb))
            continue; /* inside a combining sequence */
        nc = lb_is_cm(next) ? LBP_AL : lb_class(next);
        if (cp == 0x200D) { /* LB8a: ZWJ x */
            *b = LINEBREAK_NOBREAK;
            continue;
        }
        if (leading_sp) {
            /* LB18 at the start of text: 1.1 never breaks there */
            if (nc != LBP_SP && nc != LBP_BK && nc != LBP_CR && nc != LBP_LF && nc != LBP_NL &&
                nc != LBP_ZW && nc != LBP_WJ && nc != LBP_CL && nc != LBP_CP && nc != LBP_EX &&
                nc != LBP_IS && nc != LBP_SY)
                *b = LINEBREAK_ALLOWBREAK;
            continue;
        }
        if (op_sp && nc == LBP_CB) { /* LB14: OP SP* x, before LB20 */
            *b = LINEBREAK_NOBREAK;
            continue;
        }
        if (pb == LBP_SP || pb == LBP_BK || pb == LBP_CR || pb == LBP_LF || pb == LBP_NL ||
            pb == LBP_ZW)
            continue;
        if (nc == LBP_IN && pb != LBP_CB) /* LB22: x IN */
            *b = LINEBREAK_NOBREAK;
        else if (((pb == LBP_PR || pb == LBP_PO) && (nc == LBP_AL || nc == LBP_HL)) ||
                 ((pb == LBP_AL || pb == LBP_HL) && (nc == LBP_PR || nc == LBP_PO)))
            *b = LINEBREAK_NOBREAK;            /* LB24 */
        else if (pb == LBP_SY && nc == LBP_HL) /* LB21b */
            *b = LINEBREAK_NOBREAK;
        else if (ppb == LBP_HL && (pb == LBP_HY || pb == LBP_BA)) /* LB21a */
            *b = LINEBREAK_NOBREAK;
        else if ((pb == LBP_IS || pb == LBP_SY) && nc == LBP_NU && num != 1)
            *b = LINEBREAK_ALLOWBREAK; /* LB25 as a regex: no number before */
        else if ((pb == LBP_CL || pb == LBP_CP) && (nc == LBP_PO || nc == LBP_PR) && num != 2)
            *b = LINEBREAK_ALLOWBREAK; /* LB25: (CL|CP) ends a number only */
        else if ((pb == LBP_PO || pb == LBP_PR) && nc == LBP_OP &&
                 !lb_number_follows(cps, n, i + 2))
            *b = LINEBREAK_ALLOWBREAK; /* LB25: (PR|PO) OP only before NU */
        else if ((pb == LBP_AL || pb == LBP_HL || pb == LBP_NU) && nc == LBP_OP &&
                 lb_is_ea_wide(next))
            *b = LINEBREAK_ALLOWBREAK; /* LB30: only narrow OP */
        else if (pb == LBP_CP && lb_is_ea_wide(pbcp) &&
                 (nc == LBP_AL || nc == LBP_HL || nc == LBP_NU))
            *b = LINEBREAK_ALLOWBREAK;         /* LB30: only narrow CP */
        else if (pb == LBP_RI && nc == LBP_RI) /* LB30a: pairs of RI */
            *b = (ri % 2) ? LINEBREAK_NOBREAK : LINEBREAK_ALLOWBREAK;
        else if ((pb == LBP_PR && nc == LBP_RI) || (pb == LBP_RI && nc == LBP_PO))
            *b = LINEBREAK_ALLOWBREAK; /* LB23a applies to ID, EB, EM only */
        else if (lb_is_em(next) && (lb_is_eb(pbcp) || (pbcp >= 0x1F000 && pbcp <= 0x1FFFD &&
                                                       hb_unicode_general_category(
                                                           hb_unicode_funcs_get_default(), pbcp) ==
                                                           HB_UNICODE_GENERAL_CATEGORY_UNASSIGNED)))
            *b = LINEBREAK_NOBREAK; /* LB30b */
        else if (pb == LBP_CB && (nc == LBP_BA || nc == LBP_HY || nc == LBP_NS))
            *b = LINEBREAK_ALLOWBREAK; /* LB20 before LB21 */
        else if ((nc == LBP_CB && (pb == LBP_GL || pb == LBP_OP || pb == LBP_QU || pb == LBP_WJ)) ||
                 (pb == LBP_CB && nc == LBP_GL))
            *b = LINEBREAK_NOBREAK; /* LB11, LB12, LB12a, LB14, LB19 before LB20 */
    }
}

/* Whether the character at index j is NU. */
static bool lb_number_follows(const uint32_t *cps, size_t n, size_t j)
{
    return j < n && lb_class(cps[j]) == LBP_NU;
}

/* Class as Unicode 15 resolves it by LB1, where it matters here. */
static enum LineBreakClass lb_class(uint32_t cp)
{
    enum LineBreakClass c;

    /* below the first EB (U+261D) there is no RI, EB or EM */
    if (cp >= eb_ranges[0][0]) {
        if (cp >= 0x1F1E6 && cp <= 0x1F1FF)
            return LBP_RI;
        if (lb_is_eb(cp) || lb_is_em(cp))
            return LBP_ID;
    }
    c = lb_class_old(cp);
    if (c == LBP_AI || c == LBP_SA || c == LBP_XX || c == LBP_SG)
        return LBP_AL;
    if (c == LBP_CJ)
        return LBP_NS;
    return c;
}

static bool lb_is_eb(uint32_t cp)
{
    size_t lo = 0, hi = sizeof(eb_ranges) / sizeof(eb_ranges[0]);

    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;

        if (cp < eb_ranges[m][0])
            hi = m;
        else if (cp > eb_ranges[m][1])
            lo = m + 1;
        else
            return true;
    }
    return false;
}

static bool lb_is_em(uint32_t cp)
{
    return cp >= 0x1F3FB && cp <= 0x1F3FF;
}

/* East Asian Width F, W or H among opening and closing punctuation. */
static bool lb_is_ea_wide(uint32_t cp)
{
    return cp == 0x2329 || cp == 0x232A || (cp >= 0x3000 && cp <= 0x303F) ||
           (cp >= 0xFE10 && cp <= 0xFE6F) || (cp >= 0xFF00 && cp <= 0xFFEF);
}

/* The class in libunibreak's own table. */
static enum LineBreakClass lb_class_old(uint32_t cp)
{
    if (cp < LB_BMP)
        return (enum LineBreakClass)(lb_props[cp] & LB_PROP_CLASS);
    return lb_class_old_lookup(cp);
}

static enum LineBreakClass lb_class_old_lookup(uint32_t cp)
{
    size_t lo = 0, hi = lb_prop_count;

    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;

        if (cp < lb_prop_default[m].start)
            hi = m;
        else if (cp > lb_prop_default[m].end)
            lo = m + 1;
        else
            return lb_prop_default[m].prop;
    }
    return LBP_XX;
}
