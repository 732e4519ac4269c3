/*
 * text.c: the caller-owned i18n_text_t and strict UTF-8 decoding.
 */
#include "i18n_private.h"

#include <string.h>

void i18n_text_init(i18n_text_t *text)
{
    memset(text, 0, sizeof(*text));
}

void i18n_text_free(i18n_text_t *text)
{
    if (!text)
        return;
    wm_free(text->glyphs);
    wm_free(text->lines);
    memset(text, 0, sizeof(*text));
}

wm_status_t i18n_utf8_decode(const char *s, size_t len, uint32_t *cps, uint32_t *offs, size_t *n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, k = 0, step;

    while (i < len) {
        offs[k] = (uint32_t)i;
        if (p[i] < 0x80) { /* most text in most paragraphs */
            cps[k++] = p[i++];
            continue;
        }
        step = wm_utf8_next(s, len, i, &cps[k]);
        if (step == 0)
            return wm_error(WM_EINVAL, "text: invalid UTF-8 at byte %zu", i);
        k++;
        i += step;
    }
    offs[k] = (uint32_t)len;
    *n = k;
    return WM_OK;
}
