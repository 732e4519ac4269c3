/*
 * bidi.c: UAX #9 through FriBidi. The cores take FriBidi types so the
 * layout engine can keep them in its scratch; the public entry points
 * (used by the conformance tests) compute the types and call the same
 * cores.
 */
#include "i18n_private.h"

#include <string.h>

_Static_assert(sizeof(FriBidiStrIndex) == sizeof(uint32_t), "map type");
_Static_assert(sizeof(FriBidiLevel) == sizeof(uint8_t), "level type");

wm_status_t i18n_bidi_resolve_types(const FriBidiCharType *types,
                                    const FriBidiBracketType *brackets, size_t n, i18n_dir_t dir,
                                    bool auto_rtl, uint8_t *levels, int *par_level)
{
    FriBidiParType base;

    if (n > (size_t)INT32_MAX / 2)
        return wm_error(WM_EINVAL, "bidi: paragraph too long (%zu characters)", n);
    if (dir == I18N_DIR_LTR)
        base = FRIBIDI_PAR_LTR;
    else if (dir == I18N_DIR_RTL)
        base = FRIBIDI_PAR_RTL;
    else
        base = auto_rtl ? FRIBIDI_PAR_WRTL : FRIBIDI_PAR_WLTR;
    if (n == 0) {
        *par_level = FRIBIDI_IS_RTL(base) ? 1 : 0;
        return WM_OK;
    }
    if (fribidi_get_par_embedding_levels_ex(types, brackets, (FriBidiStrIndex)n, &base,
                                            (FriBidiLevel *)levels) == 0)
        return wm_error(WM_ENOMEM, "bidi: FriBidi could not resolve levels");
    *par_level = FRIBIDI_IS_RTL(base) ? 1 : 0;
    return WM_OK;
}

wm_status_t i18n_bidi_line_order(const FriBidiCharType *types, size_t n, int par_level,
                                 uint8_t *levels, uint32_t *map)
{
    size_t i;

    for (i = 0; i < n; i++)
        map[i] = (uint32_t)i;
    if (n == 0)
        return WM_OK;
    /* flags 0: no NSM reordering or mirroring here; HarfBuzz shapes marks
     * with their base and mirrors by direction */
    if (fribidi_reorder_line(0, types, (FriBidiStrIndex)n, 0,
                             (par_level & 1) ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR,
                             (FriBidiLevel *)levels, NULL, (FriBidiStrIndex *)map) == 0)
        return wm_error(WM_ENOMEM, "bidi: FriBidi could not reorder a line");
    return WM_OK;
}

wm_status_t i18n_bidi_resolve(const uint32_t *cps, size_t n, i18n_dir_t dir, uint8_t *levels,
                              int *par_level)
{
    FriBidiCharType *types;
    FriBidiBracketType *brackets;
    uint8_t *lv;
    wm_status_t st;
    int par = 0;

    if ((!cps || !levels) && n > 0)
        return wm_error(WM_EINVAL, "bidi: bad argument");
    if (!par_level)
        return wm_error(WM_EINVAL, "bidi: bad argument");
    types = wm_malloc((n ? n : 1) * sizeof(*types));
    brackets = wm_malloc((n ? n : 1) * sizeof(*brackets));
    lv = wm_malloc(n ? n : 1);
    if (!types || !brackets || !lv) {
        wm_free(types);
        wm_free(brackets);
        wm_free(lv);
        return wm_error(WM_ENOMEM, "bidi: out of memory");
    }
    fribidi_get_bidi_types(cps, (FriBidiStrIndex)n, types);
    fribidi_get_bracket_types(cps, (FriBidiStrIndex)n, types, brackets);
    st = i18n_bidi_resolve_types(types, brackets, n, dir, false, lv, &par);
    if (st == WM_OK) {
        memcpy(levels, lv, n);
        *par_level = par;
    }
    wm_free(types);
    wm_free(brackets);
    wm_free(lv);
    return st;
}

wm_status_t i18n_bidi_visual_order(const uint32_t *cps, size_t n, int par_level, uint8_t *levels,
                                   uint32_t *map)
{
    FriBidiCharType *types;
    wm_status_t st;

    if ((!cps || !levels || !map) && n > 0)
        return wm_error(WM_EINVAL, "bidi: bad argument");
    types = wm_malloc((n ? n : 1) * sizeof(*types));
    if (!types)
        return wm_error(WM_ENOMEM, "bidi: out of memory");
    fribidi_get_bidi_types(cps, (FriBidiStrIndex)n, types);
    st = i18n_bidi_line_order(types, n, par_level, levels, map);
    wm_free(types);
    return st;
}
