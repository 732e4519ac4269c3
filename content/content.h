/*
 * content.h: the content a booth shows. For now a placeholder model until
 * the content issue brings bundles: a folder with an index file and one
 * strings file per language,
 *
 *   DIR/content.json        {"format": 1, "languages": ["en", "ar", ...]}
 *   DIR/strings/TAG.json    {"autonym": "العربية", "welcome": "...", ...}
 *
 * where every strings file is a flat JSON object of string values. No SDL.
 */
#ifndef CONTENT_H
#define CONTENT_H

#include <stddef.h>

#include "wm_base.h"

#define CONTENT_FORMAT        1
#define CONTENT_LANGUAGES_MAX 32 /* one welcome-screen button each */

typedef struct content content_t;

/* Loads DIR/content.json and every strings file it names. Errors name the
 * file ("content: DIR/strings/ar.json: line 3: ..." and the like); *out is
 * untouched on failure. Free with content_destroy(). */
wm_status_t content_load_dir(const char *dir, content_t **out);

/* The built-in minimal content (English only), for a booth whose content
 * cannot be read: never a dead booth. Free with content_destroy(). */
wm_status_t content_builtin(content_t **out);

void content_destroy(content_t *content);

/* Where the content came from: the folder, or "built-in". Owned by content. */
const char *content_source(const content_t *content);

/* Languages in display order; tags are owned by content. */
size_t content_language_count(const content_t *content);
const char *content_language_tag(const content_t *content, size_t index);

/* Index of a language tag, or -1. */
int content_language_find(const content_t *content, const char *tag);

/* The string `key` of a language, or NULL when that language lacks it.
 * Owned by content. */
const char *content_string(const content_t *content, size_t lang, const char *key);

#endif
