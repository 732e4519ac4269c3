/*
 * content.c: loads a content folder (content.json, site.json,
 * categories.json, services.json, rights.json and one flat strings file
 * per language, see content.h and content/README.md) into the model, and
 * provides the built-in English fallback used when no content can be read.
 * Every problem goes to a report (content_validate() shows them all); the
 * booth's load leaves out a language whose files are broken and refuses
 * broken structure files.
 */
#include "content_private.h"
#include "i18n.h"

#include <hb.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const char *dir;
    content_report_t *r;
    content_t *c;
    bool fatal;   /* a structure file is broken */
    bool missing; /* content.json is not there */
} loader_t;

static void ld_error(loader_t *ld, const char *code, const char *file, int line, const char *key,
                     const char *fmt, ...) WM_PRINTF(6, 7);
static wm_status_t ld_warning(loader_t *ld, const char *fmt, ...) WM_PRINTF(2, 3);
static void load_languages(loader_t *ld);
static void load_site(loader_t *ld);
static void load_categories(loader_t *ld);
static void load_services(loader_t *ld);
static void load_rights(loader_t *ld);
static void check_fallbacks(loader_t *ld);
static bool strings_check(content_report_t *r, const char *file, const char *tag,
                          const content_json_t *doc);
static bool id_valid(const char *s);
static bool lang_index(content_lang_t *l);
static const cJSON *lang_lookup(const content_lang_t *l, const char *key);

static const char *const flag_names[] = {"free", "no_documents", "walk_in", "wheelchair"};
static const char *const audience_names[] = {"everyone", "women", "men",   "children",
                                             "families", "youth", "lgbtqi"};

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
    content_report_t *r;
    content_t *c = NULL;
    wm_status_t st;

    r = content_report_new();
    if (!r)
        return wm_error(WM_ENOMEM, "content: out of memory");
    st = content_load_report(dir, r, false, &c);
    if (st == WM_EFORMAT || st == WM_ENOENT) {
        const content_issue_t *first = NULL;

        for (size_t i = 0; i < r->count && !first; i++)
            if (r->issues[i].level == CONTENT_ISSUE_ERROR && !r->issues[i].lang)
                first = &r->issues[i];
        if (!first && r->count)
            first = &r->issues[0];
        if (first && first->line > 0)
            wm_error(st, "content: %s/%s:%d: %s", dir, first->file, first->line, first->message);
        else if (first && first->file)
            wm_error(st, "content: %s/%s: %s", dir, first->file, first->message);
        else
            wm_error(st, "content: %s: %s", dir, first ? first->message : "cannot be loaded");
    } else if (st == WM_OK) {
        for (size_t i = 0; i < c->nwarnings; i++)
            wm_log_warn("%s", c->warnings[i]);
        *out = c;
    }
    content_report_destroy(r);
    return st;
}

wm_status_t content_load_report(const char *dir, content_report_t *r, bool keep_broken,
                                content_t **out)
{
    loader_t ld = {dir, r, NULL, false, false};
    content_t *c;

    content_json_hooks();
    c = wm_calloc(1, sizeof(*c));
    if (!c || !(c->source = wm_strdup(dir))) {
        wm_free(c);
        return wm_error(WM_ENOMEM, "content: out of memory");
    }
    c->local_lang = c->english = SIZE_MAX;
    ld.c = c;
    /* every file is read even after an error, so a report lists them all */
    load_languages(&ld);
    if (!r->oom)
        load_site(&ld);
    if (!r->oom)
        load_categories(&ld);
    if (!r->oom)
        load_services(&ld);
    if (!r->oom)
        load_rights(&ld);
    if (!r->oom)
        content_audio_load(c, dir, r);
    if (!r->oom && !ld.fatal)
        check_fallbacks(&ld);
    if (r->oom) {
        content_destroy(c);
        return wm_error(WM_ENOMEM, "content: out of memory");
    }
    if (ld.fatal && !keep_broken) {
        content_destroy(c);
        return ld.missing ? WM_ENOENT : WM_EFORMAT;
    }
    *out = c;
    return ld.fatal ? (ld.missing ? WM_ENOENT : WM_EFORMAT) : WM_OK;
}

wm_status_t content_builtin(content_t **out)
{
    content_t *c;
    cJSON *strings;

    content_json_hooks();
    c = wm_calloc(1, sizeof(*c));
    strings = cJSON_CreateObject();
    if (!c || !strings || !(c->source = wm_strdup("built-in")) ||
        !(c->langs[0].tag = wm_strdup("en")) || !(c->langs[0].autonym = wm_strdup("English")) ||
        !(c->langs[0].script = wm_strdup("Latn")) || !(c->site_local = wm_strdup("en")) ||
        !(c->site_tz = wm_strdup("UTC")) || !(c->site_id = wm_strdup("built-in")))
        goto oom;
    for (size_t i = 0; i < sizeof(builtin_strings) / sizeof(builtin_strings[0]); i++) {
        if (!cJSON_AddStringToObject(strings, builtin_strings[i][0], builtin_strings[i][1]))
            goto oom;
    }
    c->langs[0].strings = strings;
    c->langs[0].pub = (content_language_t){
        c->langs[0].tag, c->langs[0].autonym, c->langs[0].script, false, NULL, 0, false};
    c->count = 1;
    c->local_lang = c->english = 0;
    c->site = (content_site_t){c->site_id, c->site_local, c->site_tz, NULL};
    *out = c;
    return WM_OK;
oom:
    if (c && !c->langs[0].strings)
        cJSON_Delete(strings);
    content_destroy(c);
    return wm_error(WM_ENOMEM, "content: out of memory");
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        wm_free(v[i]);
    wm_free(v);
}

void content_destroy(content_t *content)
{
    if (!content)
        return;
    for (size_t i = 0; i < content->count; i++) {
        content_lang_t *l = &content->langs[i];

        wm_free(l->tag);
        wm_free(l->autonym);
        wm_free(l->script);
        free_list(l->fonts, l->pub.font_count);
        wm_free(l->index);
        cJSON_Delete(l->strings);
        cJSON_Delete(l->rights);
    }
    for (size_t i = 0; i < content->ncats; i++) {
        wm_free(content->cats[i].id);
        wm_free(content->cats[i].icon);
    }
    wm_free(content->cats);
    for (size_t i = 0; i < content->nsvcs; i++) {
        content_svc_t *s = &content->svcs[i];

        wm_free(s->id);
        wm_free(s->address);
        wm_free(s->phone);
        wm_free(s->qr);
        free_list(s->languages, s->pub.language_count);
        content_hours_free(&s->pub.hours);
    }
    wm_free(content->svcs);
    free_list(content->rights, content->nrights);
    free_list(content->warnings, content->nwarnings);
    content_audio_free(content);
    wm_free(content->site_id);
    wm_free(content->site_local);
    wm_free(content->site_tz);
    wm_free(content->site_phone);
    wm_free(content->source);
    wm_free(content);
}

const char *content_source(const content_t *content)
{
    return content->source;
}

size_t content_warning_count(const content_t *content)
{
    return content->nwarnings;
}

const char *content_warning(const content_t *content, size_t index)
{
    return index < content->nwarnings ? content->warnings[index] : NULL;
}

wm_status_t content_strings_parse(const char *name, const char *buf, size_t len, size_t *count)
{
    content_report_t *r = content_report_new();
    content_json_t doc;
    wm_status_t st;

    if (!r)
        return wm_error(WM_ENOMEM, "content: out of memory");
    st = content_json_parse(name, buf, len, r, &doc);
    if (st == WM_OK) {
        if (!strings_check(r, name, NULL, &doc))
            st = r->oom ? WM_ENOMEM : WM_EFORMAT;
        else
            *count = (size_t)cJSON_GetArraySize(doc.root);
        content_json_free(&doc);
    }
    if (st == WM_EFORMAT && r->count)
        wm_error(st, "content: %s:%d: %s", name, r->issues[0].line, r->issues[0].message);
    else if (st == WM_ENOMEM || r->oom)
        st = wm_error(WM_ENOMEM, "content: out of memory");
    content_report_destroy(r);
    return st;
}

size_t content_language_count(const content_t *content)
{
    return content->count;
}

const char *content_language_tag(const content_t *content, size_t index)
{
    return index < content->count ? content->langs[index].tag : NULL;
}

const content_language_t *content_language(const content_t *content, size_t index)
{
    return index < content->count ? &content->langs[index].pub : NULL;
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
    if (strcmp(key, "autonym") == 0 && content->langs[lang].autonym)
        return content->langs[lang].autonym;
    item = lang_lookup(&content->langs[lang], key);
    return item ? item->valuestring : NULL;
}

const char *content_text(const content_t *content, size_t lang, const char *key, size_t *used_lang)
{
    size_t order[3] = {lang, content->local_lang, content->english};

    for (size_t i = 0; i < 3; i++) {
        const char *s = content_string(content, order[i], key);

        if (s) {
            if (used_lang)
                *used_lang = order[i];
            return s;
        }
    }
    return NULL;
}

const content_site_t *content_site(const content_t *content)
{
    return &content->site;
}

size_t content_category_count(const content_t *content)
{
    return content->ncats;
}

const content_category_t *content_category(const content_t *content, size_t index)
{
    return index < content->ncats ? &content->cats[index].pub : NULL;
}

int content_category_find(const content_t *content, const char *id)
{
    for (size_t i = 0; i < content->ncats; i++)
        if (strcmp(content->cats[i].id, id) == 0)
            return (int)i;
    return -1;
}

const char *content_flag_name(size_t bit)
{
    return bit < sizeof(flag_names) / sizeof(flag_names[0]) ? flag_names[bit] : NULL;
}

const char *content_audience_name(size_t bit)
{
    return bit < sizeof(audience_names) / sizeof(audience_names[0]) ? audience_names[bit] : NULL;
}

size_t content_service_count(const content_t *content)
{
    return content->nsvcs;
}

const content_service_t *content_service(const content_t *content, size_t index)
{
    return index < content->nsvcs ? &content->svcs[index].pub : NULL;
}

wm_status_t content_service_status(const content_t *content, size_t service, time_t now,
                                   content_open_t *out)
{
    if (service >= content->nsvcs)
        return wm_error(WM_EINVAL, "content: no service %zu", service);
    return content_hours_status(&content->svcs[service].pub.hours, content->site.timezone, now,
                                out);
}

wm_status_t content_service_open_text(const content_t *content, size_t service, size_t lang,
                                      time_t now, char *out, size_t cap, size_t *used_lang)
{
    static const char *const days[] = {"day.mon", "day.tue", "day.wed", "day.thu",
                                       "day.fri", "day.sat", "day.sun"};
    const char *names[] = {"time", "day"}, *values[2], *key, *tmpl;
    char hhmm[8];
    content_open_t o;
    size_t used = lang;
    wm_status_t st;

    if ((st = content_service_status(content, service, now, &o)) != WM_OK)
        return st;
    if (o.open)
        key = o.until ? "open_until" : "open_day_and_night";
    else if (!o.next_open)
        key = "closed_long";
    else
        key = o.days_ahead == 0 ? "opens_at" : o.days_ahead == 1 ? "opens_tomorrow" : "opens_on";
    if (!(tmpl = content_text(content, lang, key, &used)))
        return wm_error(WM_ENOENT, "content: no text '%s'", key);
    snprintf(hhmm, sizeof(hhmm), "%02d:%02d", o.hour % 100, o.minute % 100);
    values[0] = hhmm;
    values[1] = content_text(content, used, days[o.wday % 7], NULL);
    if (!values[1])
        values[1] = "";
    if (used_lang)
        *used_lang = used;
    return content_text_fill(tmpl, names, values, 2, out, cap);
}

wm_status_t content_text_fill(const char *text, const char *const *names, const char *const *values,
                              size_t n, char *out, size_t cap)
{
    size_t o = 0;
    bool fits = true;

    if (cap == 0)
        return wm_error(WM_EINVAL, "content: no room for the text");
    for (const char *p = text; *p && fits;) {
        const char *piece = p, *end;
        size_t len = 1;

        if (p[0] == '{' && p[1] == '{' && (end = strstr(p + 2, "}}"))) {
            len = (size_t)(end + 2 - p);
            for (size_t i = 0; i < n; i++)
                if (strlen(names[i]) == len - 4 && strncmp(p + 2, names[i], len - 4) == 0) {
                    piece = values[i];
                    break;
                }
            p += len;
            if (piece != p - len)
                len = strlen(piece);
        } else {
            while (((unsigned char)p[len] & 0xC0) == 0x80) /* a whole character */
                len++;
            p += len;
        }
        if (o + len >= cap) {
            /* what fits, ending on a character boundary */
            size_t k = cap - 1 - o < len ? cap - 1 - o : len;

            while (k > 0 && ((unsigned char)piece[k] & 0xC0) == 0x80)
                k--;
            memcpy(out + o, piece, k);
            o += k;
            fits = false;
            break;
        }
        memcpy(out + o, piece, len);
        o += len;
    }
    out[o] = '\0';
    return fits ? WM_OK : wm_error(WM_EINVAL, "content: text longer than %zu bytes", cap - 1);
}

size_t content_rights_count(const content_t *content)
{
    return content->nrights;
}

const char *content_rights_id(const content_t *content, size_t index)
{
    return index < content->nrights ? content->rights[index] : NULL;
}

/* ---- loading ------------------------------------------------------------- */

static void ld_error(loader_t *ld, const char *code, const char *file, int line, const char *key,
                     const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    content_report_vadd(ld->r, CONTENT_ISSUE_ERROR, code, file, line, NULL, key, fmt, ap);
    va_end(ap);
    ld->fatal = true;
}

/* A line for content_warning(); out of memory is noted in the report. */
static wm_status_t ld_warning(loader_t *ld, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (content_warning_add(ld->c, "%s", msg) != WM_OK) {
        ld->r->oom = true;
        return WM_ENOMEM;
    }
    return WM_OK;
}

wm_status_t content_warning_add(content_t *c, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (c->nwarnings == c->warnings_cap) {
        size_t cap = c->warnings_cap ? c->warnings_cap * 2 : 8;
        char **w = wm_realloc(c->warnings, cap * sizeof(*w));

        if (!w)
            return WM_ENOMEM;
        c->warnings = w;
        c->warnings_cap = cap;
    }
    if (!(c->warnings[c->nwarnings] = wm_strdup(msg)))
        return WM_ENOMEM;
    c->nwarnings++;
    return WM_OK;
}

/* Reads a required (or optional) structure file. */
static bool ld_read(loader_t *ld, const char *file, bool required, content_json_t *doc)
{
    wm_status_t st = content_json_read(ld->dir, file, ld->r, doc);

    if (st == WM_ENOENT && required) {
        ld_error(ld, "file", file, 0, NULL, "missing (%s)", wm_last_error());
        ld->missing = ld->missing || strcmp(file, "content.json") == 0;
    } else if (st == WM_ENOMEM)
        ld->r->oom = true;
    else if (st == WM_EFORMAT)
        ld->fatal = true;
    return st == WM_OK;
}

static char *ld_strdup(loader_t *ld, const char *s)
{
    char *d = s ? wm_strdup(s) : NULL;

    if (s && !d)
        ld->r->oom = true;
    return d;
}

/* An optional string member: NULL when absent, error when not a string. */
static const char *member_string(loader_t *ld, const content_json_t *doc, const char *file,
                                 const cJSON *obj, const char *name, bool required)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

    if (!v) {
        if (required)
            ld_error(ld, "format", file, content_json_line(doc, obj), name, "missing '%s'", name);
        return NULL;
    }
    if (!cJSON_IsString(v) || !v->valuestring[0] ||
        !wm_utf8_valid(v->valuestring, strlen(v->valuestring))) {
        ld_error(ld, "format", file, content_json_line(doc, v), name,
                 "'%s' must be a non-empty UTF-8 string", name);
        return NULL;
    }
    return v->valuestring;
}

/* The ISO 15924 code of the first character with a script of its own. */
static bool script_of_text(const char *s, char out[5])
{
    hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
    size_t len = strlen(s), i = 0, n;
    uint32_t cp;

    while (i < len && (n = wm_utf8_next(s, len, i, &cp)) > 0) {
        hb_script_t sc = hb_unicode_script(uf, cp);

        i += n;
        if (sc != HB_SCRIPT_COMMON && sc != HB_SCRIPT_INHERITED && sc != HB_SCRIPT_UNKNOWN) {
            hb_tag_t t = hb_script_to_iso15924_tag(sc);

            out[0] = (char)(t >> 24);
            out[1] = (char)((t >> 16) & 0xff);
            out[2] = (char)((t >> 8) & 0xff);
            out[3] = (char)(t & 0xff);
            out[4] = '\0';
            return true;
        }
    }
    return false;
}

/* The script subtag of a tag ("ckb-Arab" -> "Arab"), if any. */
static bool script_of_tag(const char *tag, char out[5])
{
    const char *p = strchr(tag, '-');

    while (p) {
        const char *q = strchr(p + 1, '-');
        size_t n = q ? (size_t)(q - p - 1) : strlen(p + 1);

        if (n == 1)
            return false; /* extensions and private use follow */
        if (n == 4 && !(p[1] >= '0' && p[1] <= '9')) {
            out[0] = (char)(p[1] & ~0x20);
            for (int i = 1; i < 4; i++)
                out[i] = (char)(p[1 + i] | 0x20);
            out[4] = '\0';
            return true;
        }
        p = q;
    }
    return false;
}

static bool script_valid(const char *s)
{
    if (strlen(s) != 4)
        return false;
    for (int i = 0; i < 4; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
            return false;
    return true;
}

/* Declared values first, then i18n's table, then the text itself. */
static void language_resolve(loader_t *ld, content_lang_t *l, const content_json_t *doc,
                             const cJSON *decl, const char *file)
{
    const i18n_language_t *known = i18n_language_find(l->tag);
    const char *autonym = NULL, *script = NULL, *dir = NULL;
    const cJSON *v, *fonts = NULL;
    char sc[5] = "";

    if (cJSON_IsObject(decl)) {
        autonym = member_string(ld, doc, file, decl, "autonym", false);
        script = member_string(ld, doc, file, decl, "script", false);
        dir = member_string(ld, doc, file, decl, "dir", false);
        if (script && !script_valid(script)) {
            ld_error(ld, "format", file, content_json_line(doc, decl), "script",
                     "language '%s': script '%s' is not an ISO 15924 code (Latn, Arab, ...)",
                     l->tag, script);
            script = NULL;
        }
        if (dir && strcmp(dir, "ltr") != 0 && strcmp(dir, "rtl") != 0) {
            ld_error(ld, "format", file, content_json_line(doc, decl), "dir",
                     "language '%s': dir must be \"ltr\" or \"rtl\"", l->tag);
            dir = NULL;
        }
        v = cJSON_GetObjectItemCaseSensitive(decl, "review");
        if (v && !cJSON_IsBool(v))
            ld_error(ld, "format", file, content_json_line(doc, v), "review",
                     "language '%s': review must be true or false", l->tag);
        l->pub.review = cJSON_IsTrue(v);
        fonts = cJSON_GetObjectItemCaseSensitive(decl, "fonts");
    }
    if (!autonym) {
        v = cJSON_GetObjectItemCaseSensitive(l->strings, "autonym");
        autonym = cJSON_IsString(v) && v->valuestring[0] ? v->valuestring
                  : known                                ? known->autonym
                                                         : NULL;
    }
    if (!autonym) {
        ld_error(ld, "format", file, content_json_line(doc, decl), "autonym",
                 "language '%s' has no autonym (declare it, or give 'autonym' in strings/%s.json)",
                 l->tag, l->tag);
        autonym = l->tag;
    }
    if (script)
        snprintf(sc, sizeof(sc), "%s", script);
    else if (!script_of_tag(l->tag, sc) && known)
        snprintf(sc, sizeof(sc), "%s", known->script);
    if (!sc[0] && !script_of_text(autonym, sc)) {
        const cJSON *it;

        cJSON_ArrayForEach(it, l->strings)
        {
            if (script_of_text(it->valuestring, sc))
                break;
        }
    }
    if (!sc[0])
        snprintf(sc, sizeof(sc), "Latn");
    if (dir)
        l->pub.rtl = strcmp(dir, "rtl") == 0;
    else if (known && strcmp(known->script, sc) == 0)
        l->pub.rtl = known->dir == I18N_DIR_RTL;
    else
        l->pub.rtl =
            hb_script_get_horizontal_direction(hb_script_from_string(sc, -1)) == HB_DIRECTION_RTL;
    l->autonym = ld_strdup(ld, autonym);
    l->script = ld_strdup(ld, sc);
    if (fonts) {
        size_t n = 0;

        if (!cJSON_IsArray(fonts)) {
            ld_error(ld, "format", file, content_json_line(doc, fonts), "fonts",
                     "language '%s': fonts must be a list of font file names", l->tag);
        } else if ((n = (size_t)cJSON_GetArraySize(fonts)) > 0 &&
                   !(l->fonts = wm_calloc(n, sizeof(char *)))) {
            ld->r->oom = true;
        } else {
            const cJSON *f;

            cJSON_ArrayForEach(f, fonts)
            {
                if (!cJSON_IsString(f) || !f->valuestring[0] || strchr(f->valuestring, '/') ||
                    strcmp(f->valuestring, "..") == 0) {
                    ld_error(ld, "format", file, content_json_line(doc, f), "fonts",
                             "language '%s': a font is a file name (no folders)", l->tag);
                    break;
                }
                if (!(l->fonts[l->pub.font_count] = ld_strdup(ld, f->valuestring)))
                    break;
                l->pub.font_count++;
            }
        }
    }
    l->pub.tag = l->tag;
    l->pub.autonym = l->autonym;
    l->pub.script = l->script;
    l->pub.fonts = (const char *const *)l->fonts;
}

/* strings/TAG.json (required) and rights/TAG.json (optional) of one
 * language; false when the language has to be left out. */
static bool language_files(loader_t *ld, const char *tag, content_json_t *strings,
                           content_json_t *rights)
{
    char file[64];
    wm_status_t st;

    snprintf(file, sizeof(file), "strings/%s.json", tag);
    st = content_json_read(ld->dir, file, ld->r, strings);
    if (st == WM_ENOENT)
        content_report_add(ld->r, CONTENT_ISSUE_ERROR, "file", file, 0, tag, NULL,
                           "missing: every language needs its strings file");
    if (st != WM_OK)
        return false;
    if (!strings_check(ld->r, file, tag, strings)) {
        content_json_free(strings);
        return false;
    }
    snprintf(file, sizeof(file), "rights/%s.json", tag);
    st = content_json_read(ld->dir, file, ld->r, rights);
    if (st == WM_ENOENT)
        return true;
    if (st == WM_OK && strings_check(ld->r, file, tag, rights)) {
        const cJSON *it;

        cJSON_ArrayForEach(it, rights->root)
        {
            if (cJSON_GetObjectItemCaseSensitive(strings->root, it->string)) {
                content_report_add(ld->r, CONTENT_ISSUE_ERROR, "duplicate-key", file,
                                   content_json_line(rights, it), tag, it->string,
                                   "key '%s' is also in strings/%s.json", it->string, tag);
                content_json_free(rights);
                content_json_free(strings);
                return false;
            }
        }
        return true;
    }
    if (st == WM_OK)
        content_json_free(rights);
    content_json_free(strings);
    return false;
}

static void load_languages(loader_t *ld)
{
    static const char file[] = "content.json";
    content_json_t doc, strings, rights;
    const cJSON *item, *langs;
    content_t *c = ld->c;

    if (!ld_read(ld, file, true, &doc))
        return;
    item = cJSON_GetObjectItemCaseSensitive(doc.root, "format");
    if (!cJSON_IsNumber(item) || item->valuedouble != CONTENT_FORMAT) {
        ld_error(ld, "format", file, item ? content_json_line(&doc, item) : 1, "format",
                 "'format' must be %d", CONTENT_FORMAT);
        goto done;
    }
    langs = cJSON_GetObjectItemCaseSensitive(doc.root, "languages");
    if (!cJSON_IsArray(langs) || cJSON_GetArraySize(langs) == 0 ||
        cJSON_GetArraySize(langs) > CONTENT_LANGUAGES_MAX) {
        ld_error(ld, "format", file, langs ? content_json_line(&doc, langs) : 1, "languages",
                 "'languages' must be a list of 1 to %d languages", CONTENT_LANGUAGES_MAX);
        goto done;
    }
    cJSON_ArrayForEach(item, langs)
    {
        const cJSON *decl = cJSON_IsObject(item) ? item : NULL;
        const cJSON *t = decl ? cJSON_GetObjectItemCaseSensitive(decl, "tag") : item;
        int line = content_json_line(&doc, item);
        content_lang_t *l;

        if (!cJSON_IsString(t)) {
            ld_error(ld, "format", file, line, "languages",
                     "a language is a tag or an object with a 'tag'");
            continue;
        }
        if (!i18n_tag_valid(t->valuestring)) {
            ld_error(ld, "format", file, line, "languages", "bad language tag '%s'",
                     t->valuestring);
            continue;
        }
        if (content_language_find(c, t->valuestring) >= 0) {
            ld_error(ld, "format", file, line, "languages", "language '%s' listed twice",
                     t->valuestring);
            continue;
        }
        size_t first_issue = ld->r->count;

        if (!language_files(ld, t->valuestring, &strings, &rights)) {
            for (size_t i = first_issue; i < ld->r->count; i++)
                if (!ld->r->issues[i].lang &&
                    !(ld->r->issues[i].lang = ld_strdup(ld, t->valuestring)))
                    break;
            if (ld_warning(ld, "content: language '%s' left out: its files have errors",
                           t->valuestring) != WM_OK)
                break;
            continue;
        }
        l = &c->langs[c->count];
        memset(l, 0, sizeof(*l));
        l->strings = strings.root;
        l->rights = rights.root;
        strings.root = rights.root = NULL;
        c->count++;
        if (!(l->tag = ld_strdup(ld, t->valuestring))) {
            content_json_free(&strings);
            content_json_free(&rights);
            break;
        }
        if (!lang_index(l)) {
            ld->r->oom = true;
            content_json_free(&strings);
            content_json_free(&rights);
            break;
        }
        language_resolve(ld, l, &doc, decl, file);
        content_json_free(&strings);
        content_json_free(&rights);
        if (strcmp(l->tag, "en") == 0)
            c->english = c->count - 1;
        if (ld->r->oom)
            break;
    }
    if (c->count == 0 && !ld->fatal && !ld->r->oom)
        ld_error(ld, "format", file, content_json_line(&doc, langs), "languages",
                 "no language could be loaded");
done:
    content_json_free(&doc);
}

static void load_site(loader_t *ld)
{
    static const char file[] = "site.json";
    content_json_t doc;
    const char *id, *local, *tz, *phone;
    content_t *c = ld->c;
    int idx;

    if (!ld_read(ld, file, true, &doc))
        return;
    id = member_string(ld, &doc, file, doc.root, "id", true);
    local = member_string(ld, &doc, file, doc.root, "local_language", true);
    tz = member_string(ld, &doc, file, doc.root, "timezone", true);
    phone = member_string(ld, &doc, file, doc.root, "phone", false);
    if (id && !id_valid(id))
        ld_error(ld, "format", file, content_json_line(&doc, doc.root), "id",
                 "'id' may hold only a-z, 0-9, '-' and '_' (at most %d)", CONTENT_ID_MAX - 1);
    if (local && !i18n_tag_valid(local))
        ld_error(ld, "format", file, content_json_line(&doc, doc.root), "local_language",
                 "bad language tag '%s'", local);
    if (tz && !content_timezone_valid(tz))
        ld_error(ld, "timezone", file,
                 content_json_line(&doc, cJSON_GetObjectItemCaseSensitive(doc.root, "timezone")),
                 "timezone", "unknown time zone '%s' (an IANA name such as Europe/Paris)", tz);
    if (!ld->fatal) {
        c->site_id = ld_strdup(ld, id);
        c->site_local = ld_strdup(ld, local);
        c->site_tz = ld_strdup(ld, tz);
        c->site_phone = ld_strdup(ld, phone);
        c->site = (content_site_t){c->site_id, c->site_local, c->site_tz, c->site_phone};
        idx = content_language_find(c, local);
        if (idx >= 0)
            c->local_lang = (size_t)idx;
        else
            ld_warning(ld,
                       "content: the local language '%s' is not loaded; texts fall back to "
                       "English only",
                       local);
    }
    content_json_free(&doc);
}

/* The list member `name` of a structure file, checked to be an array. */
static const cJSON *ld_list(loader_t *ld, const content_json_t *doc, const char *file,
                            const char *name, int max)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc->root, name);

    if (!cJSON_IsArray(v)) {
        ld_error(ld, "format", file, v ? content_json_line(doc, v) : 1, name, "'%s' must be a list",
                 name);
        return NULL;
    }
    if (cJSON_GetArraySize(v) > max) {
        ld_error(ld, "format", file, content_json_line(doc, v), name,
                 "'%s' holds more than %d entries", name, max);
        return NULL;
    }
    return v;
}

static void load_categories(loader_t *ld)
{
    static const char file[] = "categories.json";
    content_json_t doc;
    const cJSON *list, *it;
    content_t *c = ld->c;
    size_t n;

    if (!ld_read(ld, file, false, &doc))
        return;
    if (!(list = ld_list(ld, &doc, file, "categories", CONTENT_CATEGORIES_MAX)))
        goto done;
    n = (size_t)cJSON_GetArraySize(list);
    if (n && !(c->cats = wm_calloc(n, sizeof(*c->cats)))) {
        ld->r->oom = true;
        goto done;
    }
    cJSON_ArrayForEach(it, list)
    {
        int line = content_json_line(&doc, it);
        const char *id, *icon;
        content_cat_t *cat;

        if (!cJSON_IsObject(it)) {
            ld_error(ld, "format", file, line, NULL, "a category is an object");
            continue;
        }
        id = member_string(ld, &doc, file, it, "id", true);
        icon = member_string(ld, &doc, file, it, "icon", true);
        if (!id || !icon)
            continue;
        if (!id_valid(id)) {
            ld_error(ld, "format", file, line, "id",
                     "category id '%s' may hold only a-z, 0-9, '-' and '_'", id);
            continue;
        }
        if (content_category_find(c, id) >= 0) {
            ld_error(ld, "format", file, line, "id", "category '%s' given twice", id);
            continue;
        }
        if (icon[0] == '/' || strstr(icon, "..")) {
            ld_error(ld, "unknown-icon", file, line, "icon",
                     "icon '%s' must be a path inside the content folder", icon);
            continue;
        }
        cat = &c->cats[c->ncats];
        cat->id = ld_strdup(ld, id);
        cat->icon = ld_strdup(ld, icon);
        cat->line = line;
        cat->pub = (content_category_t){cat->id, cat->icon};
        c->ncats++;
        if (ld->r->oom)
            break;
    }
done:
    content_json_free(&doc);
}

/* A list of names (flags, audiences) into bits. */
static unsigned name_bits(loader_t *ld, const content_json_t *doc, const char *file,
                          const cJSON *svc, const char *member, const char *const *names,
                          size_t count)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(svc, member), *it;
    unsigned bits = 0;

    if (!v)
        return 0;
    if (!cJSON_IsArray(v)) {
        ld_error(ld, "format", file, content_json_line(doc, v), member, "'%s' must be a list",
                 member);
        return 0;
    }
    cJSON_ArrayForEach(it, v)
    {
        size_t k;

        for (k = 0; k < count; k++)
            if (cJSON_IsString(it) && strcmp(it->valuestring, names[k]) == 0)
                break;
        if (k == count) {
            char known[160] = "";

            for (size_t j = 0; j < count; j++)
                snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s",
                         j ? ", " : "", names[j]);
            ld_error(ld, "format", file, content_json_line(doc, it), member,
                     "unknown %s entry (known: %s)", member, known);
            continue;
        }
        bits |= 1u << k;
    }
    return bits;
}

static bool phone_valid(const char *s)
{
    size_t digits = 0;

    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (!strchr("+ -()./", *p))
            return false;
    }
    return digits >= 3;
}

static void load_service(loader_t *ld, const content_json_t *doc, const char *file, const cJSON *it)
{
    content_t *c = ld->c;
    content_svc_t *s = &c->svcs[c->nsvcs];
    int line = content_json_line(doc, it), cat;
    const char *id, *category, *address, *phone, *qr;
    const cJSON *pos, *langs;

    if (!cJSON_IsObject(it)) {
        ld_error(ld, "format", file, line, NULL, "a service is an object");
        return;
    }
    id = member_string(ld, doc, file, it, "id", true);
    category = member_string(ld, doc, file, it, "category", true);
    address = member_string(ld, doc, file, it, "address", false);
    phone = member_string(ld, doc, file, it, "phone", false);
    qr = member_string(ld, doc, file, it, "qr", false);
    if (!id || !category)
        return;
    if (!id_valid(id)) {
        ld_error(ld, "format", file, line, "id",
                 "service id '%s' may hold only a-z, 0-9, '-' and '_'", id);
        return;
    }
    for (size_t i = 0; i < c->nsvcs; i++)
        if (strcmp(c->svcs[i].id, id) == 0) {
            ld_error(ld, "format", file, line, "id", "service '%s' given twice", id);
            return;
        }
    if ((cat = content_category_find(c, category)) < 0) {
        ld_error(ld, "format", file, line, "category",
                 "service '%s': unknown category '%s' (see categories.json)", id, category);
        return;
    }
    if (phone && !phone_valid(phone))
        ld_error(ld, "format", file, line, "phone",
                 "service '%s': a phone number holds digits, spaces, + - ( ) . /", id);
    if (qr && strlen(qr) > CONTENT_QR_MAX)
        ld_error(ld, "qr-too-long", file,
                 content_json_line(doc, cJSON_GetObjectItemCaseSensitive(it, "qr")), "qr",
                 "service '%s': QR payload of %zu bytes; a slip holds at most %d", id, strlen(qr),
                 CONTENT_QR_MAX);
    memset(s, 0, sizeof(*s));
    s->line = line;
    pos = cJSON_GetObjectItemCaseSensitive(it, "position");
    if (pos) {
        const cJSON *lat = cJSON_GetObjectItemCaseSensitive(pos, "lat");
        const cJSON *lon = cJSON_GetObjectItemCaseSensitive(pos, "lon");

        if (!cJSON_IsNumber(lat) || !cJSON_IsNumber(lon) || lat->valuedouble < -90 ||
            lat->valuedouble > 90 || lon->valuedouble < -180 || lon->valuedouble > 180) {
            ld_error(ld, "format", file, content_json_line(doc, pos), "position",
                     "service '%s': position is {\"lat\": -90..90, \"lon\": -180..180}", id);
        } else {
            s->pub.has_position = true;
            s->pub.lat = lat->valuedouble;
            s->pub.lon = lon->valuedouble;
        }
    }
    s->pub.flags = name_bits(ld, doc, file, it, "flags", flag_names,
                             sizeof(flag_names) / sizeof(flag_names[0]));
    s->pub.audience = name_bits(ld, doc, file, it, "audience", audience_names,
                                sizeof(audience_names) / sizeof(audience_names[0]));
    if (!s->pub.audience)
        s->pub.audience = CONTENT_FOR_EVERYONE;
    langs = cJSON_GetObjectItemCaseSensitive(it, "languages");
    if (langs) {
        const cJSON *t;
        size_t n = (size_t)cJSON_GetArraySize(langs);

        if (!cJSON_IsArray(langs)) {
            ld_error(ld, "format", file, content_json_line(doc, langs), "languages",
                     "service '%s': 'languages' must be a list of tags", id);
        } else if (n && !(s->languages = wm_calloc(n, sizeof(char *)))) {
            ld->r->oom = true;
            return;
        } else {
            cJSON_ArrayForEach(t, langs)
            {
                if (!cJSON_IsString(t) || !i18n_tag_valid(t->valuestring)) {
                    ld_error(ld, "format", file, content_json_line(doc, t), "languages",
                             "service '%s': bad language tag in 'languages'", id);
                    break;
                }
                if (!(s->languages[s->pub.language_count] = ld_strdup(ld, t->valuestring)))
                    break;
                s->pub.language_count++;
            }
        }
    }
    if (content_hours_parse(doc, it, file, ld->r, &s->pub.hours) != WM_OK)
        ld->fatal = true;
    s->id = ld_strdup(ld, id);
    s->address = ld_strdup(ld, address);
    s->phone = ld_strdup(ld, phone);
    s->qr = ld_strdup(ld, qr);
    s->pub.id = s->id;
    s->pub.category = (size_t)cat;
    s->pub.address = s->address;
    s->pub.phone = s->phone;
    s->pub.qr = s->qr;
    s->pub.languages = (const char *const *)s->languages;
    c->nsvcs++;
}

static void load_services(loader_t *ld)
{
    static const char file[] = "services.json";
    content_json_t doc;
    const cJSON *list, *it;
    size_t n;

    if (!ld_read(ld, file, false, &doc))
        return;
    if (!(list = ld_list(ld, &doc, file, "services", CONTENT_SERVICES_MAX)))
        goto done;
    n = (size_t)cJSON_GetArraySize(list);
    if (n && !(ld->c->svcs = wm_calloc(n, sizeof(*ld->c->svcs)))) {
        ld->r->oom = true;
        goto done;
    }
    cJSON_ArrayForEach(it, list)
    {
        load_service(ld, &doc, file, it);
        if (ld->r->oom)
            break;
    }
done:
    content_json_free(&doc);
}

static void load_rights(loader_t *ld)
{
    static const char file[] = "rights.json";
    content_json_t doc;
    const cJSON *list, *it;
    content_t *c = ld->c;
    size_t n;

    if (!ld_read(ld, file, false, &doc))
        return;
    if (!(list = ld_list(ld, &doc, file, "pages", CONTENT_PAGES_MAX)))
        goto done;
    n = (size_t)cJSON_GetArraySize(list);
    if (n && !(c->rights = wm_calloc(n, sizeof(char *)))) {
        ld->r->oom = true;
        goto done;
    }
    cJSON_ArrayForEach(it, list)
    {
        int line = content_json_line(&doc, it);
        bool dup = false;

        if (!cJSON_IsString(it) || !id_valid(it->valuestring)) {
            ld_error(ld, "format", file, line, "pages",
                     "a page is an id of a-z, 0-9, '-' and '_' (its texts: rights.ID.title, "
                     "rights.ID.body)");
            continue;
        }
        for (size_t i = 0; i < c->nrights; i++)
            dup = dup || strcmp(c->rights[i], it->valuestring) == 0;
        if (dup) {
            ld_error(ld, "format", file, line, "pages", "page '%s' given twice", it->valuestring);
            continue;
        }
        if (!(c->rights[c->nrights] = ld_strdup(ld, it->valuestring)))
            break;
        c->nrights++;
    }
done:
    content_json_free(&doc);
}

/* Keys the local language or English have that a language lacks: shown
 * in a fallback language, reported per language. */
static void check_fallbacks(loader_t *ld)
{
    content_t *c = ld->c;
    size_t refs[2] = {c->local_lang, c->english};

    for (size_t l = 0; l < c->count; l++) {
        size_t missing = 0;

        for (size_t k = 0; k < 2; k++) {
            const cJSON *objs[2], *it;

            if (refs[k] >= c->count || refs[k] == l || (k == 1 && refs[1] == refs[0]))
                continue;
            objs[0] = c->langs[refs[k]].strings;
            objs[1] = c->langs[refs[k]].rights;
            for (size_t o = 0; o < 2; o++) {
                cJSON_ArrayForEach(it, objs[o])
                {
                    if (lang_lookup(&c->langs[l], it->string))
                        continue;
                    /* counted once when both references have it */
                    if (k == 1 && refs[0] < c->count && lang_lookup(&c->langs[refs[0]], it->string))
                        continue;
                    if (strcmp(it->string, "autonym") == 0)
                        continue;
                    content_report_add_missing(ld->r, c->langs[l].tag, it->string);
                    missing++;
                }
            }
        }
        if (missing)
            ld_warning(ld, "content: %s: %zu text%s shown in a fallback language", c->langs[l].tag,
                       missing, missing == 1 ? "" : "s");
    }
}

/* Flat object of non-empty keys and UTF-8 string values of bounded size. */
static bool strings_check(content_report_t *r, const char *file, const char *tag,
                          const content_json_t *doc)
{
    const cJSON *item;

    if (cJSON_GetArraySize(doc->root) > CONTENT_KEYS_MAX) {
        content_report_add(r, CONTENT_ISSUE_ERROR, "format", file, 1, tag, NULL,
                           "more than %d texts in one file", CONTENT_KEYS_MAX);
        return false;
    }
    cJSON_ArrayForEach(item, doc->root)
    {
        int line = content_json_line(doc, item);
        const char *key = item->string;

        if (!key[0] || !wm_utf8_valid(key, strlen(key))) {
            content_report_add(r, CONTENT_ISSUE_ERROR, "format", file, line, tag, NULL,
                               "a key must be non-empty UTF-8");
            return false;
        }
        if (!cJSON_IsString(item)) {
            content_report_add(r, CONTENT_ISSUE_ERROR, "format", file, line, tag, key,
                               "'%s' is not a string", key);
            return false;
        }
        if (!wm_utf8_valid(item->valuestring, strlen(item->valuestring))) {
            content_report_add(r, CONTENT_ISSUE_ERROR, "format", file, line, tag, key,
                               "'%s' is not valid UTF-8", key);
            return false;
        }
        if (strlen(item->valuestring) > CONTENT_TEXT_MAX) {
            content_report_add(r, CONTENT_ISSUE_ERROR, "format", file, line, tag, key,
                               "'%s' is longer than %d bytes", key, CONTENT_TEXT_MAX);
            return false;
        }
    }
    return true;
}

static bool id_valid(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n >= CONTENT_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
              s[i] == '_'))
            return false;
    return true;
}

static int index_cmp(const void *a, const void *b)
{
    return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

static int key_cmp(const void *key, const void *item)
{
    return strcmp(key, (*(const cJSON *const *)item)->string);
}

/* A language's texts sorted by key, so that lookups (the booth's, and the
 * fallback check's over every key of every language) are binary searches. */
static bool lang_index(content_lang_t *l)
{
    size_t n = (size_t)cJSON_GetArraySize(l->strings) + (size_t)cJSON_GetArraySize(l->rights);
    const cJSON *it;

    if (!(l->index = wm_malloc((n ? n : 1) * sizeof(*l->index))))
        return false;
    cJSON_ArrayForEach(it, l->strings)
    {
        l->index[l->nindex++] = it;
    }
    cJSON_ArrayForEach(it, l->rights)
    {
        l->index[l->nindex++] = it;
    }
    qsort(l->index, l->nindex, sizeof(*l->index), index_cmp);
    return true;
}

static const cJSON *lang_lookup(const content_lang_t *l, const char *key)
{
    const cJSON *const *v;

    if (!l->index) /* the built-in content */
        return cJSON_GetObjectItemCaseSensitive(l->strings, key);
    v = bsearch(key, l->index, l->nindex, sizeof(*l->index), key_cmp);
    return v ? *v : NULL;
}
