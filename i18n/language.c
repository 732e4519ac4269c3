/*
 * language.c: the table of languages the booth knows (autonym, English
 * name, ISO 15924 script, direction) and the small parsers for direction
 * and alignment names. Only scripts with an installed Noto face are listed.
 */
#include "i18n_private.h"

#include <string.h>
#include <strings.h>

static const i18n_language_t languages[] = {
    /* the 14 languages of the corpus */
    {"ar", "العربية", "Arabic", "Arab", I18N_DIR_RTL},
    {"fa", "فارسی", "Persian", "Arab", I18N_DIR_RTL},
    {"ps", "پښتو", "Pashto", "Arab", I18N_DIR_RTL},
    {"ur", "اردو", "Urdu", "Arab", I18N_DIR_RTL},
    {"ti", "ትግርኛ", "Tigrinya", "Ethi", I18N_DIR_LTR},
    {"am", "አማርኛ", "Amharic", "Ethi", I18N_DIR_LTR},
    {"my", "မြန်မာ", "Burmese", "Mymr", I18N_DIR_LTR},
    {"bn", "বাংলা", "Bengali", "Beng", I18N_DIR_LTR},
    {"so", "Soomaali", "Somali", "Latn", I18N_DIR_LTR},
    {"ckb-Latn", "Kurdîy Nawendî", "Central Kurdish (Latin)", "Latn", I18N_DIR_LTR},
    {"uk", "Українська", "Ukrainian", "Cyrl", I18N_DIR_LTR},
    {"fr", "Français", "French", "Latn", I18N_DIR_LTR},
    {"es", "Español", "Spanish", "Latn", I18N_DIR_LTR},
    {"en", "English", "English", "Latn", I18N_DIR_LTR},
    /* others often met at service points */
    {"ckb", "کوردیی ناوەندی", "Central Kurdish", "Arab", I18N_DIR_RTL},
    {"ku", "Kurmancî", "Kurdish (Kurmanji)", "Latn", I18N_DIR_LTR},
    {"prs", "دری", "Dari", "Arab", I18N_DIR_RTL},
    {"de", "Deutsch", "German", "Latn", I18N_DIR_LTR},
    {"tr", "Türkçe", "Turkish", "Latn", I18N_DIR_LTR},
    {"ru", "Русский", "Russian", "Cyrl", I18N_DIR_LTR},
    {"it", "Italiano", "Italian", "Latn", I18N_DIR_LTR},
    {"pt", "Português", "Portuguese", "Latn", I18N_DIR_LTR},
    {"pl", "Polski", "Polish", "Latn", I18N_DIR_LTR},
    {"ro", "Română", "Romanian", "Latn", I18N_DIR_LTR},
    {"sq", "Shqip", "Albanian", "Latn", I18N_DIR_LTR},
    {"el", "Ελληνικά", "Greek", "Grek", I18N_DIR_LTR},
    {"sw", "Kiswahili", "Swahili", "Latn", I18N_DIR_LTR},
    {"om", "Afaan Oromoo", "Oromo", "Latn", I18N_DIR_LTR},
    {"ha", "Hausa", "Hausa", "Latn", I18N_DIR_LTR},
    {"hi", "हिन्दी", "Hindi", "Deva", I18N_DIR_LTR},
    {"ne", "नेपाली", "Nepali", "Deva", I18N_DIR_LTR},
    {"ta", "தமிழ்", "Tamil", "Taml", I18N_DIR_LTR},
    {"he", "עברית", "Hebrew", "Hebr", I18N_DIR_RTL},
    {"hy", "Հայերեն", "Armenian", "Armn", I18N_DIR_LTR},
    {"ka", "ქართული", "Georgian", "Geor", I18N_DIR_LTR},
    {"th", "ไทย", "Thai", "Thai", I18N_DIR_LTR},
};

#define LANG_COUNT (sizeof(languages) / sizeof(languages[0]))

const i18n_language_t *i18n_language_find(const char *tag)
{
    size_t i, primary;

    if (!tag || !*tag)
        return NULL;
    for (i = 0; i < LANG_COUNT; i++)
        if (strcasecmp(languages[i].tag, tag) == 0)
            return &languages[i];
    primary = strcspn(tag, "-_");
    if (tag[primary] == '\0')
        return NULL;
    for (i = 0; i < LANG_COUNT; i++)
        if (strlen(languages[i].tag) == primary && strncasecmp(languages[i].tag, tag, primary) == 0)
            return &languages[i];
    return NULL;
}

/* Length of the run of [A-Za-z0-9] at s (stops at '-' or the end), with
 * counts of letters and digits. */
static size_t subtag_len(const char *s, size_t *alpha, size_t *digit)
{
    size_t n = 0;

    *alpha = *digit = 0;
    for (; s[n] && s[n] != '-'; n++) {
        unsigned char c = (unsigned char)s[n];

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            (*alpha)++;
        else if (c >= '0' && c <= '9')
            (*digit)++;
        else
            return 0; /* not alphanumeric: malformed */
    }
    return n;
}

bool i18n_tag_valid(const char *tag)
{
    /* RFC 5646 section 2.1 over the subtags. state: 1 after a 2-3 letter
     * language (extlang may follow), 2 after a longer one, 3 after the
     * script, 4 after the region or a variant, 5 in an extension, 6 in
     * private use. need: a singleton still waits for its first subtag. */
    const char *s = tag;
    int state = 0, extlangs = 0;
    bool need = false;

    if (!tag || !*tag || strlen(tag) >= I18N_TAG_MAX)
        return false;
    for (;;) {
        size_t a, d, n = subtag_len(s, &a, &d);
        bool alpha = n > 0 && a == n, digit_first = n > 0 && s[0] >= '0' && s[0] <= '9';
        bool x = n == 1 && (s[0] == 'x' || s[0] == 'X');

        if (n == 0 || n > 8)
            return false;
        if (state == 0) {
            if (x) {
                state = 6;
                need = true;
            } else if (alpha && n >= 2) {
                state = n <= 3 ? 1 : 2;
            } else {
                return false;
            }
        } else if (state == 6) {
            need = false;
        } else if (n == 1) {
            if (need)
                return false;
            state = x ? 6 : 5;
            need = true;
        } else if (state == 5) {
            need = false;
        } else if (state == 1 && alpha && n == 3 && extlangs < 3) {
            extlangs++;
        } else if (state <= 2 && alpha && n == 4) {
            state = 3;
        } else if (state <= 3 && ((alpha && n == 2) || (d == 3 && n == 3))) {
            state = 4;
        } else if (n >= 5 || (n == 4 && digit_first)) {
            state = 4;
        } else {
            return false;
        }
        s += n;
        if (*s == '\0')
            break;
        s++; /* the '-' */
        if (*s == '\0')
            return false;
    }
    return !need;
}

size_t i18n_language_count(void)
{
    return LANG_COUNT;
}

const i18n_language_t *i18n_language_at(size_t index)
{
    return index < LANG_COUNT ? &languages[index] : NULL;
}

wm_status_t i18n_dir_parse(const char *s, i18n_dir_t *out)
{
    if (!s)
        return wm_error(WM_EINVAL, "direction: missing value");
    if (strcmp(s, "auto") == 0)
        *out = I18N_DIR_AUTO;
    else if (strcmp(s, "ltr") == 0)
        *out = I18N_DIR_LTR;
    else if (strcmp(s, "rtl") == 0)
        *out = I18N_DIR_RTL;
    else
        return wm_error(WM_EINVAL, "direction: '%s' is not auto, ltr or rtl", s);
    return WM_OK;
}

wm_status_t i18n_align_parse(const char *s, i18n_align_t *out)
{
    if (!s)
        return wm_error(WM_EINVAL, "alignment: missing value");
    if (strcmp(s, "start") == 0)
        *out = I18N_ALIGN_START;
    else if (strcmp(s, "end") == 0)
        *out = I18N_ALIGN_END;
    else if (strcmp(s, "center") == 0)
        *out = I18N_ALIGN_CENTER;
    else
        return wm_error(WM_EINVAL, "alignment: '%s' is not start, end or center", s);
    return WM_OK;
}
