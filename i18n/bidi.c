/*
 * bidi.c: UAX #9 through FriBidi. The cores take FriBidi types so the
 * layout engine can keep them in its scratch; the public entry points
 * (used by the conformance tests) compute the types and call the same
 * cores.
 *
 * Overflow (UAX #9 X1-X8, more than 125 levels of embeddings and
 * isolates): FriBidi 1.0.8, the version Debian 12 and Raspberry Pi OS
 * Bookworm ship, mishandles it. An isolate initiator past the limit still
 * raises its internal isolate level while the matching PDI does not lower
 * it again, so runs of different isolating run sequences get linked, and
 * bracket pairing (N0) then follows a dangling link and crashes (fixed
 * upstream in 1.0.11: "Prevent isolate level from being decreased",
 * "Only merge runs with the same isolate level"). FriBidi is therefore
 * never shown an overflow: the rules X1-X8 are run here first, exactly as
 * UAX #9 states them, and every initiator they ignore for overflow is
 * handed to FriBidi as what it then amounts to (an ignored embedding and
 * its PDF as BN, which X9 removes anyway; an overflowing isolate and its
 * PDI as ON, a neutral at the current level, which is what UAX #9 makes of
 * them). FSIs are resolved to LRI or RLI here too (rule X5c; FriBidi
 * 1.0.8 looks past the matching PDI for the strong character). Below the limit FriBidi's own
 * handling is correct (the BidiCharacterTest conformance suite passes through it).
 */
#include "i18n_private.h"

#include <string.h>

#define BIDI_MAX_DEPTH FRIBIDI_BIDI_MAX_EXPLICIT_LEVEL /* 125 */

static wm_status_t bidi_resolve_piece(const FriBidiCharType *types,
                                      const FriBidiBracketType *brackets, size_t n,
                                      FriBidiParType *base, uint8_t *levels);
static size_t bidi_initiators(const FriBidiCharType *types, size_t n);
static void bidi_defuse_overflow(FriBidiCharType *types, size_t n, int par_level);
static void bidi_resolve_fsi(FriBidiCharType *types, size_t n, uint32_t *open);
static FriBidiParType bidi_par_direction(const FriBidiCharType *types, size_t n,
                                         FriBidiParType weak);

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
    /* one FriBidi call per piece ending in a paragraph separator (rule
     * P1): FriBidi 1.0.8 stops its explicit pass at the first one and then
     * builds its run links from levels it never set, which crashed on
     * isolates after a U+2029 or newline. The pieces share one direction
     * (the layout's paragraph has one): P2-P3 over the whole text, as
     * FriBidi would have found it. */
    if (!FRIBIDI_IS_STRONG(base))
        base = bidi_par_direction(types, n, base);
    for (size_t start = 0, end; start < n; start = end) {
        wm_status_t st;

        for (end = start; end < n && types[end] != FRIBIDI_TYPE_BS; end++)
            ;
        if (end < n)
            end++;
        st = bidi_resolve_piece(types + start, brackets ? brackets + start : NULL, end - start,
                                &base, levels + start);
        if (st != WM_OK)
            return st;
    }
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

/* Levels of one piece ending in at most one paragraph separator; *base in:
 * the paragraph direction (weak: from P2-P3), out: the one resolved. */
static wm_status_t bidi_resolve_piece(const FriBidiCharType *types,
                                      const FriBidiBracketType *brackets, size_t n,
                                      FriBidiParType *base, uint8_t *levels)
{
    /* with at most 62 initiators no level can pass 125: nothing to do */
    if (2 * bidi_initiators(types, n) + 1 > BIDI_MAX_DEPTH) {
        FriBidiCharType *safe = wm_malloc(n * sizeof(*safe));
        uint32_t *open = wm_malloc(n * sizeof(*open));
        FriBidiLevel ok;

        if (!safe || !open) {
            wm_free(safe);
            wm_free(open);
            return wm_error(WM_ENOMEM, "bidi: out of memory");
        }
        memcpy(safe, types, n * sizeof(*safe));
        bidi_resolve_fsi(safe, n, open);
        wm_free(open);
        /* the paragraph level comes from the real types (P2 skips text
         * inside isolates, also overflowing ones) */
        if (!FRIBIDI_IS_STRONG(*base))
            *base = bidi_par_direction(types, n, *base);
        bidi_defuse_overflow(safe, n, FRIBIDI_IS_RTL(*base) ? 1 : 0);
        ok = fribidi_get_par_embedding_levels_ex(safe, brackets, (FriBidiStrIndex)n, base,
                                                 (FriBidiLevel *)levels);
        wm_free(safe);
        if (ok == 0)
            return wm_error(WM_ENOMEM, "bidi: FriBidi could not resolve levels");
    } else if (fribidi_get_par_embedding_levels_ex(types, brackets, (FriBidiStrIndex)n, base,
                                                   (FriBidiLevel *)levels) == 0) {
        return wm_error(WM_ENOMEM, "bidi: FriBidi could not resolve levels");
    }
    return WM_OK;
}

/* Embedding, override and isolate initiators in the paragraph. */
static size_t bidi_initiators(const FriBidiCharType *types, size_t n)
{
    size_t i, k = 0;

    for (i = 0; i < n; i++)
        if ((FRIBIDI_IS_EXPLICIT(types[i]) && types[i] != FRIBIDI_TYPE_PDF) ||
            (FRIBIDI_IS_ISOLATE(types[i]) && types[i] != FRIBIDI_TYPE_PDI))
            k++;
    return k;
}

/* UAX #9 X1-X8 on the types alone, with the directional status stack as
 * depths: every initiator the rules ignore for overflow, and the PDF or
 * PDI the overflow counters swallow, becomes what it amounts to (BN for
 * embeddings and PDFs, ON for isolates and PDIs). Stops at a paragraph
 * separator, as FriBidi's own pass does. */
static void bidi_defuse_overflow(FriBidiCharType *types, size_t n, int par_level)
{
    struct {
        uint8_t level;
        bool isolate;
    } stack[BIDI_MAX_DEPTH + 2];
    size_t depth = 1, i;
    unsigned overflow_isolates = 0, overflow_embeddings = 0, valid_isolates = 0;

    stack[0].level = (uint8_t)par_level;
    stack[0].isolate = false;
    for (i = 0; i < n; i++) {
        FriBidiCharType t = types[i];
        unsigned level = stack[depth - 1].level;

        if (t == FRIBIDI_TYPE_BS)
            break;
        if (t == FRIBIDI_TYPE_RLE || t == FRIBIDI_TYPE_LRE || t == FRIBIDI_TYPE_RLO ||
            t == FRIBIDI_TYPE_LRO) {
            bool rtl = t == FRIBIDI_TYPE_RLE || t == FRIBIDI_TYPE_RLO;
            unsigned next = rtl ? (level + 1) | 1u : (level + 2) & ~1u;

            if (next <= BIDI_MAX_DEPTH && overflow_isolates == 0 && overflow_embeddings == 0) {
                stack[depth].level = (uint8_t)next;
                stack[depth].isolate = false;
                depth++;
            } else {
                if (overflow_isolates == 0)
                    overflow_embeddings++;
                types[i] = FRIBIDI_TYPE_BN;
            }
        } else if (t == FRIBIDI_TYPE_RLI || t == FRIBIDI_TYPE_LRI || t == FRIBIDI_TYPE_FSI) {
            bool rtl = t == FRIBIDI_TYPE_RLI; /* FSIs are resolved by now */
            unsigned next = rtl ? (level + 1) | 1u : (level + 2) & ~1u;
            if (next <= BIDI_MAX_DEPTH && overflow_isolates == 0 && overflow_embeddings == 0) {
                valid_isolates++;
                stack[depth].level = (uint8_t)next;
                stack[depth].isolate = true;
                depth++;
            } else {
                overflow_isolates++;
                types[i] = FRIBIDI_TYPE_ON;
            }
        } else if (t == FRIBIDI_TYPE_PDI) {
            if (overflow_isolates > 0) {
                overflow_isolates--;
                types[i] = FRIBIDI_TYPE_ON;
            } else if (valid_isolates > 0) {
                overflow_embeddings = 0;
                while (!stack[depth - 1].isolate)
                    depth--;
                depth--;
                valid_isolates--;
            }
        } else if (t == FRIBIDI_TYPE_PDF) {
            if (overflow_isolates > 0 || overflow_embeddings > 0) {
                if (overflow_isolates == 0)
                    overflow_embeddings--;
                types[i] = FRIBIDI_TYPE_BN;
            } else if (!stack[depth - 1].isolate && depth >= 2) {
                depth--;
            }
        }
    }
}

/* Rule X5c for every FSI at once: the LRI or RLI that P2-P3 make of it
 * (first L, R or AL up to its matching PDI, nested isolates skipped), in
 * one pass with the open isolates on a stack (open[], n entries). */
static void bidi_resolve_fsi(FriBidiCharType *types, size_t n, uint32_t *open)
{
    size_t depth = 0, i;

    for (i = 0; i < n; i++) {
        FriBidiCharType t = types[i];

        if (t == FRIBIDI_TYPE_BS)
            break;
        if (t == FRIBIDI_TYPE_RLI || t == FRIBIDI_TYPE_LRI || t == FRIBIDI_TYPE_FSI) {
            open[depth++] = (uint32_t)i;
        } else if (t == FRIBIDI_TYPE_PDI) {
            if (depth > 0 && types[open[--depth]] == FRIBIDI_TYPE_FSI)
                types[open[depth]] = FRIBIDI_TYPE_LRI;
        } else if (depth > 0 && types[open[depth - 1]] == FRIBIDI_TYPE_FSI &&
                   (t == FRIBIDI_TYPE_LTR || t == FRIBIDI_TYPE_RTL || t == FRIBIDI_TYPE_AL)) {
            types[open[depth - 1]] = t == FRIBIDI_TYPE_LTR ? FRIBIDI_TYPE_LRI : FRIBIDI_TYPE_RLI;
        }
    }
    while (depth > 0)
        if (types[open[--depth]] == FRIBIDI_TYPE_FSI)
            types[open[depth]] = FRIBIDI_TYPE_LRI;
}

/* Rules P2-P3: the direction of the first L, R or AL outside isolates,
 * else weak's. */
static FriBidiParType bidi_par_direction(const FriBidiCharType *types, size_t n,
                                         FriBidiParType weak)
{
    size_t i, nest = 0;

    for (i = 0; i < n; i++) {
        FriBidiCharType t = types[i];

        if (t == FRIBIDI_TYPE_PDI) {
            if (nest > 0)
                nest--;
        } else if (FRIBIDI_IS_ISOLATE(t)) {
            nest++;
        } else if (nest == 0 && FRIBIDI_IS_LETTER(t)) {
            return FRIBIDI_IS_RTL(t) ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
        }
    }
    return FRIBIDI_IS_RTL(weak) ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
}
