/*
 * linebreak.c: UAX #14 line-break opportunities from libunibreak, with
 * Waymark's tailoring for what the installed library (1.1, Unicode 6-era
 * data) does not know. See tests/conformance/linebreak-exceptions.txt for
 * the cases that remain.
 */
#include "i18n_private.h"

#include <linebreak.h>

wm_status_t i18n_break_opportunities(const uint32_t *cps, size_t n, const char *lang, char *breaks)
{
    if (n == 0)
        return WM_OK;
    if (!cps || !breaks)
        return wm_error(WM_EINVAL, "linebreak: bad argument");
    set_linebreaks_utf32((const utf32_t *)cps, n, lang, breaks);
    return WM_OK;
}
