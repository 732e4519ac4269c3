/*
 * content.c: loads the placeholder content model (an index file and one
 * flat strings file per language, see content.h) with cJSON, and provides
 * the built-in English fallback used when no content can be read.
 */
#include "content.h"
#include "i18n.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define CONTENT_FILE_MAX (1024 * 1024)

typedef struct {
    char *tag;
    cJSON *strings; /* object of string values */
} content_language_t;

struct content {
    char *source;
    content_language_t langs[CONTENT_LANGUAGES_MAX];
    size_t count;
};

static wm_status_t read_json(const char *path, cJSON **out);
static wm_status_t check_tag(const char *path, const char *tag);
static wm_status_t check_strings(const char *path, const cJSON *obj);
static wm_status_t add_language(content_t *c, const char *tag, cJSON *strings);

/* The fallback: English only, the words a person needs to see that the
 * booth is alive. */
static const char *const builtin_strings[][2] = {
    {"autonym", "English"},
    {"welcome", "Welcome"},
    {"choose", "Choose your language"},
    {"title", "Information"},
    {"body", "Please ask a member of staff for help."},
    {"back", "Back"},
};

wm_status_t content_load_dir(const char *dir, content_t **out)
{
    char path[4096];
    cJSON *index = NULL, *langs, *item, *strings;
    content_t *c;
    wm_status_t st;

    snprintf(path, sizeof(path), "%s/content.json", dir);
    st = read_json(path, &index);
    if (st != WM_OK)
        return st;
    item = cJSON_GetObjectItemCaseSensitive(index, "format");
    if (!cJSON_IsNumber(item) || item->valuedouble != CONTENT_FORMAT) {
        cJSON_Delete(index);
        return wm_error(WM_EFORMAT, "content: %s: 'format' must be %d", path, CONTENT_FORMAT);
    }
    langs = cJSON_GetObjectItemCaseSensitive(index, "languages");
    if (!cJSON_IsArray(langs) || cJSON_GetArraySize(langs) == 0 ||
        cJSON_GetArraySize(langs) > CONTENT_LANGUAGES_MAX) {
        cJSON_Delete(index);
        return wm_error(WM_EFORMAT, "content: %s: 'languages' must be a list of 1 to %d tags", path,
                        CONTENT_LANGUAGES_MAX);
    }
    c = wm_calloc(1, sizeof(*c));
    if (!c || !(c->source = wm_strdup(dir))) {
        wm_free(c);
        cJSON_Delete(index);
        return wm_error(WM_ENOMEM, "content: out of memory");
    }
    cJSON_ArrayForEach(item, langs)
    {
        if (!cJSON_IsString(item)) {
            st = wm_error(WM_EFORMAT, "content: %s: 'languages' holds a non-string", path);
            break;
        }
        if ((st = check_tag(path, item->valuestring)) != WM_OK)
            break;
        if (content_language_find(c, item->valuestring) >= 0) {
            st = wm_error(WM_EFORMAT, "content: %s: language '%s' listed twice", path,
                          item->valuestring);
            break;
        }
        snprintf(path, sizeof(path), "%s/strings/%s.json", dir, item->valuestring);
        strings = NULL;
        if ((st = read_json(path, &strings)) != WM_OK)
            break;
        if ((st = check_strings(path, strings)) != WM_OK ||
            (st = add_language(c, item->valuestring, strings)) != WM_OK) {
            cJSON_Delete(strings);
            break;
        }
        snprintf(path, sizeof(path), "%s/content.json", dir);
    }
    cJSON_Delete(index);
    if (st != WM_OK) {
        content_destroy(c);
        return st;
    }
    *out = c;
    return WM_OK;
}

wm_status_t content_builtin(content_t **out)
{
    content_t *c = wm_calloc(1, sizeof(*c));
    cJSON *strings = cJSON_CreateObject();

    if (!c || !strings || !(c->source = wm_strdup("built-in")))
        goto oom;
    for (size_t i = 0; i < sizeof(builtin_strings) / sizeof(builtin_strings[0]); i++) {
        if (!cJSON_AddStringToObject(strings, builtin_strings[i][0], builtin_strings[i][1]))
            goto oom;
    }
    if (add_language(c, "en", strings) != WM_OK)
        goto oom;
    *out = c;
    return WM_OK;
oom:
    cJSON_Delete(strings);
    content_destroy(c);
    return wm_error(WM_ENOMEM, "content: out of memory");
}

void content_destroy(content_t *content)
{
    if (!content)
        return;
    for (size_t i = 0; i < content->count; i++) {
        wm_free(content->langs[i].tag);
        cJSON_Delete(content->langs[i].strings);
    }
    wm_free(content->source);
    wm_free(content);
}

const char *content_source(const content_t *content)
{
    return content->source;
}

size_t content_language_count(const content_t *content)
{
    return content->count;
}

const char *content_language_tag(const content_t *content, size_t index)
{
    return index < content->count ? content->langs[index].tag : NULL;
}

int content_language_find(const content_t *content, const char *tag)
{
    for (size_t i = 0; i < content->count; i++) {
        if (strcmp(content->langs[i].tag, tag) == 0)
            return (int)i;
    }
    return -1;
}

const char *content_string(const content_t *content, size_t lang, const char *key)
{
    const cJSON *item;

    if (lang >= content->count)
        return NULL;
    item = cJSON_GetObjectItemCaseSensitive(content->langs[lang].strings, key);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* Reads and parses a JSON file; parse errors give the line. */
static wm_status_t read_json(const char *path, cJSON **out)
{
    char *buf;
    size_t n;
    const char *end = NULL;
    cJSON *json;
    int line = 1;
    wm_status_t st;

    st = wm_file_read(path, CONTENT_FILE_MAX, false, &buf, &n);
    if (st != WM_OK)
        return wm_error(st, "content: %s", wm_last_error());
    json = cJSON_ParseWithLengthOpts(buf, n, &end, false);
    if (!json) {
        for (const char *p = buf; end && p < end && p < buf + n; p++)
            line += *p == '\n';
        wm_free(buf);
        return wm_error(WM_EFORMAT, "content: %s:%d: not valid JSON", path, line);
    }
    wm_free(buf);
    if (!cJSON_IsObject(json)) {
        cJSON_Delete(json);
        return wm_error(WM_EFORMAT, "content: %s: not a JSON object", path);
    }
    *out = json;
    return WM_OK;
}

/* A tag becomes part of a file name; i18n_tag_valid() admits only letters,
 * digits and '-'. */
static wm_status_t check_tag(const char *path, const char *tag)
{
    if (!i18n_tag_valid(tag))
        return wm_error(WM_EFORMAT, "content: %s: bad language tag '%s'", path, tag);
    return WM_OK;
}

static wm_status_t check_strings(const char *path, const cJSON *obj)
{
    const cJSON *item;

    cJSON_ArrayForEach(item, obj)
    {
        if (!cJSON_IsString(item))
            return wm_error(WM_EFORMAT, "content: %s: '%s' is not a string", path,
                            item->string ? item->string : "?");
        if (!wm_utf8_valid(item->valuestring, strlen(item->valuestring)))
            return wm_error(WM_EFORMAT, "content: %s: '%s' is not valid UTF-8", path,
                            item->string ? item->string : "?");
    }
    item = cJSON_GetObjectItemCaseSensitive(obj, "autonym");
    if (!cJSON_IsString(item) || !item->valuestring[0])
        return wm_error(WM_EFORMAT, "content: %s: missing 'autonym'", path);
    return WM_OK;
}

/* Takes ownership of strings on success. */
static wm_status_t add_language(content_t *c, const char *tag, cJSON *strings)
{
    char *t;

    if (c->count >= CONTENT_LANGUAGES_MAX)
        return wm_error(WM_EFORMAT, "content: more than %d languages", CONTENT_LANGUAGES_MAX);
    t = wm_strdup(tag);
    if (!t)
        return wm_error(WM_ENOMEM, "content: out of memory");
    c->langs[c->count].tag = t;
    c->langs[c->count].strings = strings;
    c->count++;
    return WM_OK;
}
