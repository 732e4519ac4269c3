/*
 * screens.c: what all screens share beyond ui_*.c: the content string
 * keys they show, checked for font coverage at start-up. Each screen is
 * one file, screen_NAME.c, a table of functions (kiosk_screen_class_t).
 */
#include "kiosk_private.h"

const char *const kiosk_screen_string_keys[] = {
    "autonym",      "welcome",
    "choose",       "title",
    "body",         "back",
    "site.name",    "site.operator",
    "site.privacy", "site.help",
    "menu.rights",  "print",
    "print_failed", "languages_spoken",
    "open_until",   "opens_at",
    "flag.free",    "flag.no_documents",
    NULL,
};
