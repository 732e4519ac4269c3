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
    size_t i = 0, k = 0;

    while (i < len) {
        uint32_t c = p[i], min;
        size_t need, j;

        if (c < 0x80) {
            offs[k] = (uint32_t)i;
            cps[k++] = c;
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            c &= 0x1F;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            c &= 0x0F;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            c &= 0x07;
            min = 0x10000;
        } else {
            return wm_error(WM_EINVAL, "text: invalid UTF-8 byte 0x%02X at offset %zu", p[i], i);
        }
        if (len - i <= need)
            return wm_error(WM_EINVAL, "text: truncated UTF-8 sequence at offset %zu", i);
        for (j = 1; j <= need; j++) {
            if ((p[i + j] & 0xC0) != 0x80)
                return wm_error(WM_EINVAL, "text: invalid UTF-8 sequence at offset %zu", i);
            c = (c << 6) | (p[i + j] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return wm_error(WM_EINVAL, "text: invalid UTF-8 sequence at offset %zu", i);
        offs[k] = (uint32_t)i;
        cps[k++] = c;
        i += need + 1;
    }
    offs[k] = (uint32_t)len;
    *n = k;
    return WM_OK;
}
