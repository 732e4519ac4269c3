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
