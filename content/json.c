/*
 * json.c: JSON files of the content, parsed with cJSON (through the
 * project's allocator, so allocation faults reach it) and walked once more
 * to note the line of every value and to refuse what cJSON accepts
 * silently: duplicate keys (cJSON keeps both and finds the first),
 * \u0000 escapes (cJSON cuts the string there) and data after the object.
 */
#include "content_private.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *p, *end;
    int line;
    const char *file;
    content_report_t *r;
    content_json_t *doc;
    wm_status_t st;
} walk_t;

typedef struct {
    const cJSON *item;
    size_t index;
} named_t;

static void walk_ws(walk_t *w);
static void walk_value(walk_t *w, const cJSON *item);
static void walk_string(walk_t *w, const char *what, const char *key);
static void check_duplicates(walk_t *w, const cJSON *obj);
static int line_cmp(const void *a, const void *b);

/* cJSON cannot tell a syntax error from a failed allocation; its
 * allocator notes failures so that the parser's NULL can be told apart. */
static bool json_alloc_failed;

static void *json_malloc(size_t size)
{
    void *p = wm_malloc(size);

    if (!p)
        json_alloc_failed = true;
    return p;
}

void content_json_hooks(void)
{
    static bool done;
    cJSON_Hooks hooks = {json_malloc, wm_free};

    if (!done) {
        cJSON_InitHooks(&hooks);
        done = true;
    }
}

wm_status_t content_json_parse(const char *file, const char *buf, size_t len, content_report_t *r,
                               content_json_t *out)
{
    const char *end = NULL, *p;
    int line = 1;
    walk_t w;
    cJSON *root;

    content_json_hooks();
    memset(out, 0, sizeof(*out));
    json_alloc_failed = false;
    root = cJSON_ParseWithLengthOpts(buf, len, &end, false);
    if (!root) {
        if (json_alloc_failed) {
            r->oom = true;
            return wm_error(WM_ENOMEM, "content: out of memory");
        }
        for (p = buf; end && p < end && p < buf + len; p++)
            line += *p == '\n';
        content_report_add(r, CONTENT_ISSUE_ERROR, "json", file, line, NULL, NULL,
                           "not valid JSON");
        return r->oom ? WM_ENOMEM : WM_EFORMAT;
    }
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        content_report_add(r, CONTENT_ISSUE_ERROR, "json", file, 1, NULL, NULL,
                           "not a JSON object");
        return r->oom ? WM_ENOMEM : WM_EFORMAT;
    }
    out->root = root;
    w = (walk_t){buf, buf + len, 1, file, r, out, WM_OK};
    if (w.p + 3 <= w.end && memcmp(w.p, "\xEF\xBB\xBF", 3) == 0)
        w.p += 3; /* cJSON skips a byte-order mark too */
    walk_value(&w, root);
    if (w.st == WM_OK) {
        walk_ws(&w);
        if (w.p < w.end) {
            content_report_add(r, CONTENT_ISSUE_ERROR, "json", file, w.line, NULL, NULL,
                               "data after the end of the object");
            w.st = WM_EFORMAT;
        }
    }
    if (r->oom || w.st == WM_ENOMEM) {
        r->oom = true;
        w.st = WM_ENOMEM;
    }
    if (w.st == WM_OK) {
        qsort(out->lines, out->n, sizeof(out->lines[0]), line_cmp);
        out->sorted = true;
    }
    if (w.st != WM_OK) {
        content_json_free(out);
        return w.st == WM_ENOMEM ? wm_error(WM_ENOMEM, "content: out of memory") : w.st;
    }
    return WM_OK;
}

void content_json_free(content_json_t *doc)
{
    cJSON_Delete(doc->root);
    wm_free(doc->lines);
    memset(doc, 0, sizeof(*doc));
}

int content_json_line(const content_json_t *doc, const cJSON *node)
{
    size_t lo = 0, hi = doc->n;

    if (!doc->sorted) { /* during the walk: in document order */
        for (size_t i = 0; i < doc->n; i++)
            if (doc->lines[i].node == node)
                return doc->lines[i].line;
        return 0;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uintptr_t a = (uintptr_t)doc->lines[mid].node, b = (uintptr_t)node;

        if (a == b)
            return doc->lines[mid].line;
        if (a < b)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static int line_cmp(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const content_json_line_t *)a)->node;
    uintptr_t y = (uintptr_t)((const content_json_line_t *)b)->node;

    return (x > y) - (x < y);
}

wm_status_t content_json_read(const char *dir, const char *file, content_report_t *r,
                              content_json_t *out)
{
    char path[4096];
    char *buf;
    size_t n;
    wm_status_t st;

    memset(out, 0, sizeof(*out));
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >= sizeof(path)) {
        content_report_add(r, CONTENT_ISSUE_ERROR, "file", file, 0, NULL, NULL, "path too long");
        return r->oom ? WM_ENOMEM : WM_EFORMAT;
    }
    st = wm_file_read(path, CONTENT_FILE_MAX, true, &buf, &n);
    if (st == WM_ENOENT)
        return st;
    if (st != WM_OK) {
        if (st == WM_ENOMEM) {
            r->oom = true;
            return st;
        }
        /* the message names the path; keep what follows it */
        const char *m = wm_last_error();
        size_t pl = strlen(path);

        if (strncmp(m, path, pl) == 0 && m[pl] == ':')
            m += pl + 2;
        content_report_add(r, CONTENT_ISSUE_ERROR, "file", file, 0, NULL, NULL, "%s", m);
        return r->oom ? WM_ENOMEM : WM_EFORMAT;
    }
    st = content_json_parse(file, buf, n, r, out);
    wm_free(buf);
    return st;
}

/* ---- the walk ------------------------------------------------------------ */

static void walk_ws(walk_t *w)
{
    while (w->p < w->end && (unsigned char)*w->p <= 32) {
        w->line += *w->p == '\n';
        w->p++;
    }
}

static void note(walk_t *w, const cJSON *item)
{
    content_json_t *d = w->doc;

    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        content_json_line_t *v = wm_realloc(d->lines, cap * sizeof(*v));

        if (!v) {
            w->st = WM_ENOMEM;
            return;
        }
        d->lines = v;
        d->cap = cap;
    }
    d->lines[d->n].node = item;
    d->lines[d->n].line = w->line;
    d->n++;
}

/* The syntax is cJSON's and already checked: this only follows it. */
static void walk_value(walk_t *w, const cJSON *item)
{
    const cJSON *child;

    walk_ws(w);
    if (w->st != WM_OK || w->p >= w->end)
        return;
    note(w, item);
    if (*w->p == '{') {
        w->p++;
        for (child = item->child; child && w->st == WM_OK; child = child->next) {
            walk_ws(w);
            walk_string(w, "key", NULL);
            walk_ws(w);
            w->p++; /* ':' */
            walk_value(w, child);
            walk_ws(w);
            if (w->p < w->end && *w->p == ',')
                w->p++;
        }
        walk_ws(w);
        w->p++; /* '}' */
        if (w->st == WM_OK)
            check_duplicates(w, item);
    } else if (*w->p == '[') {
        w->p++;
        for (child = item->child; child && w->st == WM_OK; child = child->next) {
            walk_value(w, child);
            walk_ws(w);
            if (w->p < w->end && *w->p == ',')
                w->p++;
        }
        walk_ws(w);
        w->p++; /* ']' */
    } else if (*w->p == '"') {
        walk_string(w, "string", item->string);
    } else {
        while (w->p < w->end && !strchr(",]} \t\r\n", *w->p))
            w->p++;
    }
}

static void walk_string(walk_t *w, const char *what, const char *key)
{
    int line = w->line;

    w->p++; /* opening quote */
    while (w->p < w->end && *w->p != '"') {
        if (*w->p == '\\' && w->p + 1 < w->end) {
            if (w->p[1] == 'u' && w->end - w->p >= 6 && memcmp(w->p + 2, "0000", 4) == 0 &&
                w->st == WM_OK) {
                content_report_add(w->r, CONTENT_ISSUE_ERROR, "nul", w->file, line, NULL, key,
                                   "%s holds \\u0000 (a NUL character)", what);
                w->st = WM_EFORMAT;
            }
            w->p++;
        }
        w->p++;
    }
    w->p++; /* closing quote */
}

static int named_cmp(const void *a, const void *b)
{
    const named_t *x = a, *y = b;
    int c = strcmp(x->item->string, y->item->string);

    return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* Sorting keeps this linear-logarithmic: a hostile file of many keys must
 * not take quadratic time. */
static void check_duplicates(walk_t *w, const cJSON *obj)
{
    named_t *v;
    size_t n = 0, i = 0;
    const cJSON *c;

    for (c = obj->child; c; c = c->next)
        n++;
    if (n < 2)
        return;
    v = wm_malloc(n * sizeof(*v));
    if (!v) {
        w->st = WM_ENOMEM;
        return;
    }
    for (c = obj->child; c; c = c->next, i++)
        v[i] = (named_t){c, i};
    qsort(v, n, sizeof(*v), named_cmp);
    for (i = 1; i < n; i++) {
        if (strcmp(v[i].item->string, v[i - 1].item->string) == 0) {
            content_report_add(w->r, CONTENT_ISSUE_ERROR, "duplicate-key", w->file,
                               content_json_line(w->doc, v[i].item), NULL, v[i].item->string,
                               "key '%s' given twice (first on line %d)", v[i].item->string,
                               content_json_line(w->doc, v[i - 1].item));
            w->st = WM_EFORMAT;
            break;
        }
    }
    wm_free(v);
}
