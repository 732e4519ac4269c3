/*
 * validate.c: the report of problems in a content source folder, and the
 * checks `waymark bundle validate` adds to the loader's own: texts no
 * fallback language has, missing translations per language, characters
 * no font covers (through the text engine, with the content's fonts before
 * the system's), icons that are not there, fonts a language names that
 * cannot be found, and languages marked for a translator's review.
 */
#include "content_private.h"
#include "i18n.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define UNCOVERED_MAX    8  /* code points named per string */
#define CONTENT_ICON_MIN 48 /* pixels a side: readable at arm's length */
#define CONTENT_ICON_MAX 512

typedef struct {
    content_report_t *r;
    content_t *c;
    const char *dir;
    i18n_fonts_t *fonts;
    i18n_layout_t *layout;
    i18n_text_t text;
} validator_t;

static void check_required(validator_t *v);
static void check_missing(validator_t *v);
static void check_icons(validator_t *v);
static void check_undeclared(validator_t *v);
static void check_fonts(validator_t *v);
static wm_status_t check_coverage(validator_t *v);

/* ---- the report ------------------------------------------------------------ */

content_report_t *content_report_new(void)
{
    return wm_calloc(1, sizeof(content_report_t));
}

void content_report_destroy(content_report_t *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->count; i++) {
        content_issue_t *is = &r->issues[i];

        wm_free((char *)is->file);
        wm_free((char *)is->lang);
        wm_free((char *)is->key);
        wm_free((char *)is->message);
    }
    wm_free(r->issues);
    for (size_t i = 0; i < r->nmissing; i++) {
        for (size_t k = 0; k < r->missing[i].count; k++)
            wm_free(r->missing[i].keys[k]);
        wm_free(r->missing[i].keys);
        wm_free(r->missing[i].tag);
    }
    wm_free(r->missing);
    for (size_t i = 0; i < r->nlangs; i++)
        wm_free(r->langs[i]);
    wm_free(r->langs);
    wm_free(r);
}

static char *dup_or_null(content_report_t *r, const char *s)
{
    char *d;

    if (!s)
        return NULL;
    if (!(d = wm_strdup(s)))
        r->oom = true;
    return d;
}

void content_report_vadd(content_report_t *r, content_issue_level_t level, const char *code,
                         const char *file, int line, const char *lang, const char *key,
                         const char *fmt, va_list ap)
{
    content_issue_t *is;
    char msg[768];

    if (r->oom)
        return;
    if (r->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        content_issue_t *v = wm_realloc(r->issues, cap * sizeof(*v));

        if (!v) {
            r->oom = true;
            return;
        }
        r->issues = v;
        r->cap = cap;
    }
    vsnprintf(msg, sizeof(msg), fmt, ap);
    is = &r->issues[r->count];
    memset(is, 0, sizeof(*is));
    is->level = level;
    is->code = code; /* static strings */
    is->line = line;
    is->file = dup_or_null(r, file);
    is->lang = dup_or_null(r, lang);
    is->key = dup_or_null(r, key);
    is->message = dup_or_null(r, msg);
    r->count++; /* freed with the report even when a copy failed */
}

void content_report_add(content_report_t *r, content_issue_level_t level, const char *code,
                        const char *file, int line, const char *lang, const char *key,
                        const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    content_report_vadd(r, level, code, file, line, lang, key, fmt, ap);
    va_end(ap);
}

static content_missing_t *missing_of(const content_report_t *r, const char *tag)
{
    for (size_t i = 0; i < r->nmissing; i++)
        if (strcmp(r->missing[i].tag, tag) == 0)
            return &r->missing[i];
    return NULL;
}

void content_report_add_missing(content_report_t *r, const char *tag, const char *key)
{
    content_missing_t *m;

    if (r->oom)
        return;
    if (!(m = missing_of(r, tag))) {
        if (r->nmissing == r->missing_cap) {
            size_t cap = r->missing_cap ? r->missing_cap * 2 : 8;
            content_missing_t *v = wm_realloc(r->missing, cap * sizeof(*v));

            if (!v) {
                r->oom = true;
                return;
            }
            r->missing = v;
            r->missing_cap = cap;
        }
        m = &r->missing[r->nmissing];
        memset(m, 0, sizeof(*m));
        if (!(m->tag = wm_strdup(tag))) {
            r->oom = true;
            return;
        }
        r->nmissing++;
    }
    if (m->count == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        char **v = wm_realloc(m->keys, cap * sizeof(*v));

        if (!v) {
            r->oom = true;
            return;
        }
        m->keys = v;
        m->cap = cap;
    }
    if (!(m->keys[m->count] = wm_strdup(key))) {
        r->oom = true;
        return;
    }
    m->count++;
}

size_t content_report_count(const content_report_t *report)
{
    return report->count;
}

const content_issue_t *content_report_issue(const content_report_t *report, size_t index)
{
    return index < report->count ? &report->issues[index] : NULL;
}

static size_t count_level(const content_report_t *r, content_issue_level_t level)
{
    size_t n = 0;

    for (size_t i = 0; i < r->count; i++)
        n += r->issues[i].level == level;
    return n;
}

size_t content_report_errors(const content_report_t *report)
{
    return count_level(report, CONTENT_ISSUE_ERROR);
}

size_t content_report_warnings(const content_report_t *report)
{
    return count_level(report, CONTENT_ISSUE_WARNING);
}

size_t content_report_missing(const content_report_t *report, const char *tag)
{
    const content_missing_t *m = missing_of(report, tag);

    return m ? m->count : 0;
}

const char *content_report_missing_key(const content_report_t *report, const char *tag,
                                       size_t index)
{
    const content_missing_t *m = missing_of(report, tag);

    return m && index < m->count ? m->keys[index] : NULL;
}

size_t content_report_language_count(const content_report_t *report)
{
    return report->nlangs;
}

const char *content_report_language(const content_report_t *report, size_t index)
{
    return index < report->nlangs ? report->langs[index] : NULL;
}

static cJSON *json_str_or_null(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

wm_status_t content_report_json(const content_report_t *r, char **out)
{
    cJSON *root, *issues, *missing;
    char *text;
    bool ok = true;

    content_json_hooks();
    root = cJSON_CreateObject();
    ok = root && cJSON_AddBoolToObject(root, "ok", content_report_errors(r) == 0) &&
         cJSON_AddNumberToObject(root, "errors", (double)content_report_errors(r)) &&
         cJSON_AddNumberToObject(root, "warnings", (double)content_report_warnings(r)) &&
         (issues = cJSON_AddArrayToObject(root, "issues")) &&
         (missing = cJSON_AddObjectToObject(root, "missing"));
    for (size_t i = 0; ok && i < r->count; i++) {
        const content_issue_t *is = &r->issues[i];
        cJSON *o = cJSON_CreateObject();

        ok = o && cJSON_AddItemToArray(issues, o);
        if (!ok) {
            cJSON_Delete(o);
            break;
        }
        ok = cJSON_AddStringToObject(o, "level",
                                     is->level == CONTENT_ISSUE_ERROR ? "error" : "warning") &&
             cJSON_AddStringToObject(o, "code", is->code) &&
             cJSON_AddItemToObject(o, "file", json_str_or_null(is->file)) &&
             cJSON_AddNumberToObject(o, "line", is->line) &&
             cJSON_AddItemToObject(o, "lang", json_str_or_null(is->lang)) &&
             cJSON_AddItemToObject(o, "key", json_str_or_null(is->key)) &&
             cJSON_AddStringToObject(o, "message", is->message ? is->message : "");
    }
    for (size_t i = 0; ok && i < r->nlangs; i++) {
        const content_missing_t *m = missing_of(r, r->langs[i]);
        cJSON *keys = cJSON_AddArrayToObject(missing, r->langs[i]);

        ok = keys != NULL;
        for (size_t k = 0; ok && m && k < m->count; k++) {
            cJSON *s = cJSON_CreateString(m->keys[k]);

            ok = s && cJSON_AddItemToArray(keys, s);
            if (!ok)
                cJSON_Delete(s);
        }
    }
    text = ok ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!text)
        return wm_error(WM_ENOMEM, "content: out of memory");
    *out = text;
    return WM_OK;
}

/* ---- coverage at load ------------------------------------------------------ */

/* The first code point of s no font covers for tag, or 0. */
static uint32_t first_uncovered(i18n_fonts_t *fonts, const char *tag, const char *s)
{
    size_t len = strlen(s), i = 0, n;
    uint32_t cp;

    while (i < len && (n = wm_utf8_next(s, len, i, &cp)) > 0) {
        uint16_t id;

        i += n;
        if (!i18n_char_is_invisible(cp) && i18n_fonts_find(fonts, tag, cp, &id) != WM_OK)
            return cp;
    }
    return 0;
}

wm_status_t content_coverage_check(const content_t *c, i18n_fonts_t *fonts,
                                   void (*report)(const char *tag, const char *key, uint32_t cp,
                                                  void *ctx),
                                   void *ctx, size_t *uncovered)
{
    i18n_layout_params_t p = i18n_layout_params_default();
    i18n_layout_t *lay;
    i18n_text_t text;
    size_t count = 0;
    wm_status_t st;

    if ((st = i18n_layout_create(fonts, &lay)) != WM_OK)
        return st;
    i18n_text_init(&text);
    p.size_px = 28;
    for (size_t l = 0; l < c->count && st == WM_OK; l++) {
        const cJSON *objs[2] = {c->langs[l].strings, c->langs[l].rights}, *it;

        p.lang = c->langs[l].tag;
        for (size_t o = 0; o < 3 && st == WM_OK; o++) {
            const char *key = "autonym", *s = c->langs[l].autonym;

            it = o < 2 && objs[o] ? objs[o]->child : NULL;
            if (o < 2 && !it)
                continue;
            do {
                if (it) {
                    key = it->string;
                    s = it->valuestring;
                }
                st = i18n_layout_text(lay, &p, s, strlen(s), &text);
                if (st == WM_OK && text.missing) {
                    count++;
                    if (report)
                        report(c->langs[l].tag, key, first_uncovered(fonts, p.lang, s), ctx);
                } else if (st != WM_OK && st != WM_ENOMEM) {
                    st = WM_OK; /* laid out as nothing: not a coverage matter */
                }
            } while (st == WM_OK && it && (it = it->next));
        }
    }
    i18n_text_free(&text);
    i18n_layout_destroy(lay);
    if (st != WM_OK)
        return st;
    if (uncovered)
        *uncovered = count;
    return WM_OK;
}

/* ---- validation -------------------------------------------------------- */

wm_status_t content_validate(const char *dir, content_report_t **out)
{
    validator_t v = {0};
    wm_status_t st;

    v.dir = dir;
    if (!(v.r = content_report_new()))
        return wm_error(WM_ENOMEM, "content: out of memory");
    st = content_load_report(dir, v.r, true, &v.c);
    if (st == WM_ENOMEM) {
        content_report_destroy(v.r);
        return st;
    }
    if (v.c) {
        if (v.c->count && !(v.r->langs = wm_calloc(v.c->count, sizeof(char *))))
            v.r->oom = true;
        for (size_t i = 0; v.r->langs && i < v.c->count; i++) {
            if (!(v.r->langs[i] = wm_strdup(v.c->langs[i].tag))) {
                v.r->oom = true;
                break;
            }
            v.r->nlangs++;
        }
        check_required(&v);
        check_missing(&v);
        check_icons(&v);
        check_undeclared(&v);
        check_fonts(&v);
        st = check_coverage(&v);
        content_destroy(v.c);
    }
    if (st == WM_ENOMEM || v.r->oom) {
        content_report_destroy(v.r);
        return wm_error(WM_ENOMEM, "content: out of memory");
    }
    *out = v.r;
    return WM_OK;
}

/* A text the structure needs must exist in the local language or English. */
static void need_text(validator_t *v, const char *file, int line, const char *key)
{
    content_t *c = v->c;
    size_t ref = c->local_lang < c->count ? c->local_lang : c->english;

    if (ref >= c->count)
        ref = 0;
    if (c->count && !content_text(c, ref, key, NULL))
        content_report_add(v->r, CONTENT_ISSUE_ERROR, "no-text", file, line, NULL, key,
                           "'%s' has no text in the local language or English", key);
}

static void check_required(validator_t *v)
{
    content_t *c = v->c;
    char key[CONTENT_ID_MAX + 32];

    need_text(v, "site.json", 0, "site.name");
    if (c->count &&
        !content_text(c, c->local_lang < c->count ? c->local_lang : 0, "site.privacy", NULL))
        content_report_add(v->r, CONTENT_ISSUE_WARNING, "no-text", "site.json", 0, NULL,
                           "site.privacy",
                           "no privacy statement (site.privacy): say what the booth keeps");
    for (size_t i = 0; i < c->ncats; i++) {
        snprintf(key, sizeof(key), "category.%s", c->cats[i].id);
        need_text(v, "categories.json", c->cats[i].line, key);
    }
    for (size_t i = 0; i < c->nsvcs; i++) {
        snprintf(key, sizeof(key), "service.%s.name", c->svcs[i].id);
        need_text(v, "services.json", c->svcs[i].line, key);
    }
    for (size_t i = 0; i < c->nrights; i++) {
        snprintf(key, sizeof(key), "rights.%s.title", c->rights[i]);
        need_text(v, "rights.json", 0, key);
        snprintf(key, sizeof(key), "rights.%s.body", c->rights[i]);
        need_text(v, "rights.json", 0, key);
    }
    if (c->nsvcs == 0)
        content_report_add(v->r, CONTENT_ISSUE_WARNING, "empty", "services.json", 0, NULL, NULL,
                           "no services: the booth shows none");
    if (c->nrights == 0)
        content_report_add(v->r, CONTENT_ISSUE_WARNING, "empty", "rights.json", 0, NULL, NULL,
                           "no rights pages");
}

static void check_missing(validator_t *v)
{
    for (size_t i = 0; i < v->c->count; i++) {
        const content_lang_t *l = &v->c->langs[i];
        const content_missing_t *m = missing_of(v->r, l->tag);
        char file[64], some[256] = "";

        snprintf(file, sizeof(file), "strings/%s.json", l->tag);
        if (m && m->count) {
            for (size_t k = 0; k < m->count && k < 3; k++)
                snprintf(some + strlen(some), sizeof(some) - strlen(some), "%s%s", k ? ", " : "",
                         m->keys[k]);
            content_report_add(v->r, CONTENT_ISSUE_WARNING, "missing-translation", file, 0, l->tag,
                               NULL, "%zu missing translation%s (%s%s): shown in %s", m->count,
                               m->count == 1 ? "" : "s", some, m->count > 3 ? ", ..." : "",
                               v->c->site_local ? v->c->site_local : "en");
        }
        if (l->pub.review)
            content_report_add(v->r, CONTENT_ISSUE_WARNING, "review", "content.json", 0, l->tag,
                               NULL, "language '%s' is marked for a translator's review", l->tag);
    }
}

/* A PNG file's size from its header; false when it is not a PNG file. */
static bool png_size(const char *path, unsigned *w, unsigned *h)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char buf[24];
    struct stat sb;
    FILE *f;
    bool ok;

    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || !(f = fopen(path, "rb")))
        return false;
    ok = fread(buf, 1, 24, f) == 24 && memcmp(buf, sig, 8) == 0 && memcmp(buf + 12, "IHDR", 4) == 0;
    fclose(f);
    *w = (unsigned)buf[16] << 24 | (unsigned)buf[17] << 16 | (unsigned)buf[18] << 8 | buf[19];
    *h = (unsigned)buf[20] << 24 | (unsigned)buf[21] << 16 | (unsigned)buf[22] << 8 | buf[23];
    return ok;
}

/* Translation files of languages content.json does not list: a
 * translator's work the booth would never show. */
static void check_undeclared(validator_t *v)
{
    static const char *const subdirs[] = {"strings", "rights"};
    char path[4096], tag[I18N_TAG_MAX + 8], file[300];

    for (size_t d = 0; d < 2; d++) {
        DIR *dir;
        struct dirent *e;

        snprintf(path, sizeof(path), "%s/%s", v->dir, subdirs[d]);
        if (!(dir = opendir(path)))
            continue;
        while ((e = readdir(dir))) {
            size_t n = strlen(e->d_name);

            if (n <= 5 || n - 5 >= sizeof(tag) || strcmp(e->d_name + n - 5, ".json") != 0)
                continue;
            snprintf(tag, sizeof(tag), "%.*s", (int)(n - 5), e->d_name);
            if (content_language_find(v->c, tag) >= 0)
                continue;
            /* a language left out for its errors is reported already */
            bool reported = false;

            for (size_t i = 0; i < v->r->count && !reported; i++)
                reported = v->r->issues[i].lang && strcmp(v->r->issues[i].lang, tag) == 0;
            if (reported)
                continue;
            snprintf(file, sizeof(file), "%s/%s", subdirs[d], e->d_name);
            content_report_add(v->r, CONTENT_ISSUE_WARNING, "undeclared-language", file, 0, tag,
                               NULL, "'%s' is not in content.json's languages: never shown", tag);
        }
        closedir(dir);
    }
}

static void check_icons(validator_t *v)
{
    char path[4096];
    unsigned w = 0, h = 0;

    for (size_t i = 0; i < v->c->ncats; i++) {
        const content_cat_t *cat = &v->c->cats[i];

        snprintf(path, sizeof(path), "%s/%s", v->dir, cat->icon);
        if (!png_size(path, &w, &h))
            content_report_add(v->r, CONTENT_ISSUE_ERROR, "unknown-icon", "categories.json",
                               cat->line, NULL, "icon",
                               "category '%s': icon '%s' is not a PNG file in the content", cat->id,
                               cat->icon);
        else if (w < CONTENT_ICON_MIN || h < CONTENT_ICON_MIN || w > CONTENT_ICON_MAX ||
                 h > CONTENT_ICON_MAX)
            content_report_add(v->r, CONTENT_ISSUE_WARNING, "icon-size", "categories.json",
                               cat->line, NULL, "icon",
                               "category '%s': icon '%s' is %ux%u; a touch screen wants %d to %d "
                               "pixels a side",
                               cat->id, cat->icon, w, h, CONTENT_ICON_MIN, CONTENT_ICON_MAX);
    }
}

static bool font_exists(const char *dir, const char *name)
{
    const char *const *sys = i18n_fonts_system_dirs();
    char path[4096];
    struct stat sb;

    snprintf(path, sizeof(path), "%s/fonts/%s", dir, name);
    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
        return true;
    for (size_t i = 0; sys[i]; i++) {
        snprintf(path, sizeof(path), "%s/%s", sys[i], name);
        if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
            return true;
    }
    return false;
}

static void check_fonts(validator_t *v)
{
    for (size_t i = 0; i < v->c->count; i++) {
        const content_lang_t *l = &v->c->langs[i];

        for (size_t k = 0; k < l->pub.font_count; k++)
            if (!font_exists(v->dir, l->fonts[k]))
                content_report_add(v->r, CONTENT_ISSUE_WARNING, "unknown-font", "content.json", 0,
                                   l->tag, "fonts",
                                   "language '%s': font '%s' is neither in fonts/ nor installed",
                                   l->tag, l->fonts[k]);
    }
}

/* Lays out one string as the booth would and names what no font covers. */
static wm_status_t cover_string(validator_t *v, const char *file, int line, const char *tag,
                                const char *key, const char *s)
{
    i18n_layout_params_t p = i18n_layout_params_default();
    size_t len = strlen(s), i = 0, n, named = 0;
    char list[UNCOVERED_MAX * 10 + 8] = "";
    uint32_t cp, seen[UNCOVERED_MAX];
    wm_status_t st;

    p.lang = tag;
    p.size_px = 28;
    st = i18n_layout_text(v->layout, &p, s, len, &v->text);
    if (st == WM_ENOMEM)
        return st;
    if (st != WM_OK) {
        content_report_add(v->r, CONTENT_ISSUE_ERROR, "layout", file, line, tag, key,
                           "'%s' cannot be laid out: %s", key, wm_last_error());
        return WM_OK;
    }
    if (v->text.missing == 0)
        return WM_OK;
    while (i < len && (n = wm_utf8_next(s, len, i, &cp)) > 0) {
        uint16_t id;
        bool dup = false;

        i += n;
        if (i18n_char_is_invisible(cp) || i18n_fonts_find(v->fonts, tag, cp, &id) == WM_OK)
            continue;
        for (size_t k = 0; k < named; k++)
            dup = dup || seen[k] == cp;
        if (dup)
            continue;
        if (named == UNCOVERED_MAX) {
            strcat(list, " ...");
            break;
        }
        seen[named++] = cp;
        snprintf(list + strlen(list), sizeof(list) - strlen(list), "%sU+%04X", named > 1 ? " " : "",
                 (unsigned)cp);
    }
    content_report_add(v->r, CONTENT_ISSUE_ERROR, "uncovered-character", file, line, tag, key,
                       "'%s': no font covers %s", key, list[0] ? list : "some characters");
    return WM_OK;
}

/* Whether every {{name}} of a appears in b; the first that does not into
 * missing. */
static bool placeholders_in(const char *a, const char *b, char *missing, size_t cap)
{
    for (const char *p = strstr(a, "{{"); p; p = strstr(p + 2, "{{")) {
        const char *e = strstr(p + 2, "}}");
        size_t n;
        bool found = false;

        if (!e)
            break;
        n = (size_t)(e + 2 - p);
        for (const char *q = strstr(b, "{{"); q && !found; q = strstr(q + 2, "{{"))
            found = strncmp(p, q, n) == 0;
        if (!found) {
            snprintf(missing, cap, "%.*s", (int)(n < 64 ? n : 64), p);
            return false;
        }
    }
    return true;
}

/* Keys the reference languages do not know (a typo, or a text that is
 * never shown), and placeholders that differ from the reference text's. */
static void check_key(validator_t *v, size_t lang, const char *file, int line, const char *key,
                      const char *text)
{
    const content_t *c = v->c;
    const char *ref = NULL;
    char ph[72];

    if (lang != c->local_lang && c->local_lang < c->count)
        ref = content_string(c, c->local_lang, key);
    if (!ref && lang != c->english && c->english < c->count)
        ref = content_string(c, c->english, key);
    if (!ref) {
        if (lang != c->local_lang && lang != c->english && strcmp(key, "autonym") != 0)
            content_report_add(
                v->r, CONTENT_ISSUE_WARNING, "unknown-key", file, line, c->langs[lang].tag, key,
                "'%s' is neither in the local language nor in English (a typo?)", key);
        return;
    }
    if (!placeholders_in(ref, text, ph, sizeof(ph)))
        content_report_add(v->r, CONTENT_ISSUE_WARNING, "placeholder", file, line,
                           c->langs[lang].tag, key, "'%s' lacks %s", key, ph);
    else if (!placeholders_in(text, ref, ph, sizeof(ph)))
        content_report_add(v->r, CONTENT_ISSUE_WARNING, "placeholder", file, line,
                           c->langs[lang].tag, key, "'%s' has %s, which is never filled in", key,
                           ph);
}

static wm_status_t cover_file(validator_t *v, size_t lang, const char *file)
{
    const char *tag = v->c->langs[lang].tag;
    content_report_t *scratch = content_report_new();
    content_json_t doc;
    const cJSON *it;
    wm_status_t st;

    if (!scratch)
        return WM_ENOMEM;
    st = content_json_read(v->dir, file, scratch, &doc);
    content_report_destroy(scratch);
    if (st == WM_ENOMEM)
        return st;
    if (st != WM_OK)
        return WM_OK; /* missing or reported by the loader */
    cJSON_ArrayForEach(it, doc.root)
    {
        if (!cJSON_IsString(it))
            continue;
        check_key(v, lang, file, content_json_line(&doc, it), it->string, it->valuestring);
        if ((st = cover_string(v, file, content_json_line(&doc, it), tag, it->string,
                               it->valuestring)) != WM_OK)
            break;
    }
    content_json_free(&doc);
    return st == WM_ENOMEM ? st : WM_OK;
}

static wm_status_t check_coverage(validator_t *v)
{
    const char *const *sys = i18n_fonts_system_dirs();
    const char *dirs[16];
    char fonts_dir[4096], rules[4096 + 16], file[64];
    i18n_fonts_options_t fo = {0};
    struct stat sb;
    size_t n = 0;
    wm_status_t st = WM_OK;

    snprintf(fonts_dir, sizeof(fonts_dir), "%s/fonts", v->dir);
    if (stat(fonts_dir, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        dirs[n++] = fonts_dir;
        snprintf(rules, sizeof(rules), "%s/fallback.conf", fonts_dir);
        if (stat(rules, &sb) == 0)
            fo.fallback_file = rules;
    }
    for (size_t i = 0; sys[i] && n + 1 < sizeof(dirs) / sizeof(dirs[0]); i++)
        dirs[n++] = sys[i];
    dirs[n] = NULL;
    fo.font_dirs = dirs;
    if (i18n_fonts_create(&fo, &v->fonts) != WM_OK) {
        if (wm_last_error()[0] && strstr(wm_last_error(), "out of memory"))
            return WM_ENOMEM;
        content_report_add(v->r, CONTENT_ISSUE_ERROR, "fonts", "fonts/fallback.conf", 0, NULL, NULL,
                           "%s", wm_last_error());
        fo.fallback_file = NULL;
        if ((st = i18n_fonts_create(&fo, &v->fonts)) != WM_OK)
            return st;
    }
    if ((st = i18n_layout_create(v->fonts, &v->layout)) != WM_OK) {
        i18n_fonts_destroy(v->fonts);
        return st;
    }
    i18n_text_init(&v->text);
    for (size_t l = 0; l < v->c->count && st == WM_OK; l++) {
        const char *tag = v->c->langs[l].tag;

        st = cover_string(v, "content.json", 0, tag, "autonym", v->c->langs[l].autonym);
        snprintf(file, sizeof(file), "strings/%s.json", tag);
        if (st == WM_OK)
            st = cover_file(v, l, file);
        snprintf(file, sizeof(file), "rights/%s.json", tag);
        if (st == WM_OK)
            st = cover_file(v, l, file);
    }
    for (size_t i = 0; i < v->c->nsvcs && st == WM_OK; i++)
        if (v->c->svcs[i].address)
            st = cover_string(v, "services.json", v->c->svcs[i].line,
                              v->c->site_local ? v->c->site_local : "en", "address",
                              v->c->svcs[i].address);
    i18n_text_free(&v->text);
    i18n_layout_destroy(v->layout);
    i18n_fonts_destroy(v->fonts);
    return st;
}
