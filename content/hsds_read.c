/*
 * hsds_read.c: HSDS 3.0 input into one form: a JSON array of services,
 * each nested as the compiled service schema has it (phones, schedules,
 * languages, cost_options, required_documents, attributes with their
 * taxonomy_term, service_at_locations with their location, organization).
 * JSON input is taken as it is; the tabular data package is read table by
 * table (csv.c) and joined by id. Every service carries "$origin" (its
 * JSON path or FILE:LINE) for messages.
 */

/* Paths and messages are built with snprintf() into fixed buffers; a cut
 * one fails later with its own message, so gcc's truncation guesses are
 * not errors here. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include "hsds_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ORIGIN_KEY "$origin"

static wm_status_t oom(void)
{
    return wm_error(WM_ENOMEM, "hsds: out of memory");
}

static bool set_origin(cJSON *obj, const char *origin)
{
    cJSON *s = cJSON_CreateString(origin);

    if (!s)
        return false;
    cJSON_DeleteItemFromObjectCaseSensitive(obj, ORIGIN_KEY);
    if (!cJSON_AddItemToObject(obj, ORIGIN_KEY, s)) {
        cJSON_Delete(s);
        return false;
    }
    return true;
}

/* Adds item under key; on failure (the key's copy) frees item. */
static bool add_obj(cJSON *obj, const char *key, cJSON *item)
{
    if (cJSON_AddItemToObject(obj, key, item))
        return true;
    cJSON_Delete(item);
    return false;
}

const char *hsds_json_type(const cJSON *v)
{
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsBool(v))
        return "a boolean";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsObject(v))
        return "an object";
    return "null";
}

/* ---- JSON input ---------------------------------------------------------- */

typedef struct {
    const char *file;
    content_report_t *r;
    cJSON *out;
} jin_t;

static wm_status_t add_service(jin_t *j, const cJSON *svc, const char *path, const cJSON *org,
                               const cJSON *sal)
{
    cJSON *copy, *id = cJSON_GetObjectItemCaseSensitive(svc, "id"), *prev = NULL, *it;
    char origin[512];

    if (!cJSON_IsObject(svc))
        return wm_error(WM_EFORMAT, "%s: %s: expected a service object, found %s", j->file, path,
                        hsds_json_type(svc));
    if (!cJSON_IsString(id) || !id->valuestring[0])
        return wm_error(WM_EFORMAT, "%s: %s.id: expected a string id, found %s", j->file, path,
                        id ? hsds_json_type(id) : "nothing");
    cJSON_ArrayForEach(it, j->out)
    {
        const cJSON *other = cJSON_GetObjectItemCaseSensitive(it, "id");
        if (strcmp(other->valuestring, id->valuestring) == 0)
            prev = it;
    }
    if (prev && sal) {
        /* the same service at another location */
        cJSON *sals = cJSON_GetObjectItemCaseSensitive(prev, "service_at_locations"), *c;
        if (!cJSON_IsArray(sals) && !(sals = cJSON_AddArrayToObject(prev, "service_at_locations")))
            return oom();
        if (!(c = cJSON_Duplicate(sal, true)))
            return oom();
        cJSON_DeleteItemFromObjectCaseSensitive(c, "service");
        cJSON_AddItemToArray(sals, c);
        return WM_OK;
    }
    if (prev) {
        char esc[WM_ESCAPE_MAX];
        return wm_error(WM_EFORMAT, "%s: %s: duplicate service id '%s' (first at %s)", j->file,
                        path, wm_escape(id->valuestring, esc, sizeof(esc)),
                        cJSON_GetObjectItemCaseSensitive(prev, ORIGIN_KEY)->valuestring);
    }
    if (!(copy = cJSON_Duplicate(svc, true)))
        return oom();
    snprintf(origin, sizeof(origin), "%s", path);
    if (!set_origin(copy, origin))
        goto nomem;
    if (org && !cJSON_GetObjectItemCaseSensitive(copy, "organization")) {
        cJSON *o = cJSON_Duplicate(org, true);
        if (!o)
            goto nomem;
        cJSON_DeleteItemFromObjectCaseSensitive(o, "services");
        if (!add_obj(copy, "organization", o))
            goto nomem;
    }
    if (sal) {
        cJSON *sals = cJSON_GetObjectItemCaseSensitive(copy, "service_at_locations"), *c;
        if (!cJSON_IsArray(sals)) {
            cJSON_DeleteItemFromObjectCaseSensitive(copy, "service_at_locations");
            if (!(sals = cJSON_AddArrayToObject(copy, "service_at_locations")))
                goto nomem;
        }
        if (!(c = cJSON_Duplicate(sal, true)))
            goto nomem;
        cJSON_DeleteItemFromObjectCaseSensitive(c, "service");
        cJSON_AddItemToArray(sals, c);
    }
    cJSON_AddItemToArray(j->out, copy);
    return WM_OK;
nomem:
    cJSON_Delete(copy);
    return oom();
}

static wm_status_t add_item(jin_t *j, const cJSON *item, const char *path)
{
    const cJSON *services = cJSON_GetObjectItemCaseSensitive(item, "services");
    const cJSON *service = cJSON_GetObjectItemCaseSensitive(item, "service");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "id");
    char sub[512], esc[WM_ESCAPE_MAX];
    wm_status_t st;
    size_t i = 0;
    const cJSON *s;

    if (!cJSON_IsObject(item))
        return wm_error(WM_EFORMAT, "%s: %s: expected an object, found %s", j->file, path,
                        hsds_json_type(item));
    if (services) {
        if (!cJSON_IsArray(services))
            return wm_error(WM_EFORMAT, "%s: %s.services: expected an array, found %s", j->file,
                            path, hsds_json_type(services));
        if (cJSON_GetArraySize(services) == 0)
            content_report_add(j->r, CONTENT_ISSUE_WARNING, "hsds-skipped", j->file, 0, NULL,
                               cJSON_IsString(id) ? id->valuestring : NULL,
                               "%s: organization with no services: nothing to import", path);
        cJSON_ArrayForEach(s, services)
        {
            snprintf(sub, sizeof(sub), "%s.services[%zu]", path, i++);
            if ((st = add_service(j, s, sub, item, NULL)) != WM_OK)
                return st;
        }
        return WM_OK;
    }
    if (service) {
        snprintf(sub, sizeof(sub), "%s.service", path);
        return add_service(j, service, sub, NULL, item);
    }
    if (cJSON_GetObjectItemCaseSensitive(item, "status"))
        return add_service(j, item, path, NULL, NULL);
    content_report_add(j->r, CONTENT_ISSUE_WARNING, "hsds-skipped", j->file, 0, NULL,
                       cJSON_IsString(id) ? id->valuestring : NULL,
                       "%s: not a service, an organization with services or a service at a "
                       "location (no \"status\", \"services\" or \"service\"): skipped",
                       path);
    (void)esc;
    return WM_OK;
}

static wm_status_t read_json(const char *file, content_report_t *r, cJSON *out)
{
    char *buf;
    size_t len;
    cJSON *root, *contents;
    jin_t j = {file, r, out};
    wm_status_t st;

    if ((st = hsds_file_read(file, CONTENT_HSDS_FILE_MAX, true, &buf, &len)) != WM_OK)
        return st;
    st = hsds_json_parse(file, buf, len, &root);
    if (st != WM_OK) {
        wm_free(buf);
        return st;
    }
    wm_free(buf);
    contents = cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, "contents") : NULL;
    if (contents && !cJSON_IsArray(contents)) {
        st = wm_error(WM_EFORMAT, "%s: $.contents: expected an array, found %s", file,
                      hsds_json_type(contents));
    } else if (contents || cJSON_IsArray(root)) {
        const cJSON *it;
        size_t i = 0;
        char path[64];
        st = WM_OK;
        const cJSON *list = contents ? contents : root;
        cJSON_ArrayForEach(it, list)
        {
            snprintf(path, sizeof(path), contents ? "$.contents[%zu]" : "$[%zu]", i++);
            if ((st = add_item(&j, it, path)) != WM_OK)
                break;
        }
    } else {
        st = add_item(&j, root, "$");
    }
    cJSON_Delete(root);
    return st;
}

/* ---- tabular input ------------------------------------------------------- */

typedef struct {
    const char *name; /* resource name */
    content_csv_t csv;
    bool have;
    char path[1200];
    cJSON *rows; /* array of row objects */
    const cJSON *fields;
} table_t;

enum {
    T_SERVICE,
    T_ORGANIZATION,
    T_LOCATION,
    T_SAL,
    T_PHONE,
    T_SCHEDULE,
    T_ADDRESS,
    T_LANGUAGE,
    T_COST,
    T_DOCUMENT,
    T_ACCESS,
    T_TERM,
    T_ATTRIBUTE,
    T_COUNT
};

static const char *const table_names[T_COUNT] = {
    "service",       "organization",  "location", "service_at_location", "phone",
    "schedule",      "address",       "language", "cost_option",         "required_document",
    "accessibility", "taxonomy_term", "attribute"};

static const cJSON *row_find(const table_t *t, const char *id)
{
    const cJSON *row;

    if (!t->rows || !id)
        return NULL;
    cJSON_ArrayForEach(row, t->rows)
    {
        const cJSON *rid = cJSON_GetObjectItemCaseSensitive(row, "id");
        if (cJSON_IsString(rid) && strcmp(rid->valuestring, id) == 0)
            return row;
    }
    return NULL;
}

static const char *row_str(const cJSON *row, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const char *field_type(const table_t *t, const char *col)
{
    const cJSON *f;

    cJSON_ArrayForEach(f, t->fields)
    {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(f, "name");
        const cJSON *ty = cJSON_GetObjectItemCaseSensitive(f, "type");
        if (cJSON_IsString(n) && strcmp(n->valuestring, col) == 0)
            return cJSON_IsString(ty) ? ty->valuestring : "string";
    }
    return NULL;
}

static wm_status_t table_load(table_t *t, content_report_t *r)
{
    char *buf;
    size_t len;
    wm_status_t st;
    char esc[WM_ESCAPE_MAX];

    if ((st = hsds_file_read(t->path, CONTENT_HSDS_FILE_MAX, false, &buf, &len)) != WM_OK)
        return st;
    st = content_csv_parse(t->path, buf, len, &t->csv);
    wm_free(buf);
    if (st != WM_OK)
        return st;
    if (!(t->rows = cJSON_CreateArray()))
        return oom();
    for (size_t c = 0; c < t->csv.ncols; c++)
        if (!field_type(t, content_csv_cell(&t->csv, 0, c)))
            content_report_add(r, CONTENT_ISSUE_WARNING, "hsds-unmapped", t->path, 1, NULL, NULL,
                               "column '%s' is not in the data package's schema: not read",
                               wm_escape(content_csv_cell(&t->csv, 0, c), esc, sizeof(esc)));
    for (size_t row = 1; row < t->csv.nrows; row++) {
        cJSON *obj = cJSON_CreateObject();
        char origin[600];
        const char *id;
        const cJSON *dup;

        if (!obj)
            return oom();
        cJSON_AddItemToArray(t->rows, obj);
        for (size_t c = 0; c < t->csv.ncols; c++) {
            const char *col = content_csv_cell(&t->csv, 0, c),
                       *v = content_csv_cell(&t->csv, row, c);
            const char *type = field_type(t, col);
            cJSON *item;

            if (!type || !v[0])
                continue;
            if (strcmp(type, "number") == 0 || strcmp(type, "integer") == 0) {
                char *end;
                double d = strtod(v, &end);
                if (*end || end == v)
                    return wm_error(WM_EFORMAT, "%s:%d: column %s: expected a number, found '%s'",
                                    t->path, t->csv.lines[row], col,
                                    wm_escape(v, esc, sizeof(esc)));
                item = cJSON_CreateNumber(d);
            } else {
                item = cJSON_CreateString(v);
            }
            if (!item)
                return oom();
            if (!add_obj(obj, col, item))
                return oom();
        }
        id = row_str(obj, "id");
        if (!id)
            return wm_error(WM_EFORMAT, "%s:%d: a row without an id", t->path, t->csv.lines[row]);
        for (dup = t->rows->child; dup && dup != obj; dup = dup->next) {
            const char *o = row_str(dup, "id");
            if (strcmp(o, id) == 0)
                return wm_error(WM_EFORMAT, "%s:%d: duplicate id '%s' (first at %s)", t->path,
                                t->csv.lines[row], wm_escape(id, esc, sizeof(esc)),
                                row_str(dup, ORIGIN_KEY));
        }
        snprintf(origin, sizeof(origin), "%.500s:%d", t->path, t->csv.lines[row]);
        if (!set_origin(obj, origin))
            return oom();
    }
    return WM_OK;
}

/* Appends a copy of child to parent[key] (an array made when missing). */
static wm_status_t attach(cJSON *parent, const char *key, const cJSON *child)
{
    cJSON *arr = cJSON_GetObjectItemCaseSensitive(parent, key), *c;

    if (!arr && !(arr = cJSON_AddArrayToObject(parent, key)))
        return oom();
    if (!(c = cJSON_Duplicate(child, true)))
        return oom();
    cJSON_AddItemToArray(arr, c);
    return WM_OK;
}

static wm_status_t unknown_ref(const cJSON *row, const char *col, const char *id, const char *what)
{
    char esc[WM_ESCAPE_MAX];
    return wm_error(WM_EFORMAT, "%s: %s '%s' names no %s", row_str(row, ORIGIN_KEY), col,
                    wm_escape(id, esc, sizeof(esc)), what);
}

/* Attaches each row of table `from` to the row of `to` named by its
 * column col, under key; a name that is not there is an error. */
static wm_status_t join(table_t *t, int from, int to, const char *col, const char *key,
                        bool required)
{
    cJSON *row;
    wm_status_t st;

    if (!t[from].have)
        return WM_OK;
    cJSON_ArrayForEach(row, t[from].rows)
    {
        const char *ref = row_str(row, col);
        cJSON *target;

        if (!ref) {
            if (required)
                return wm_error(WM_EFORMAT, "%s: no %s", row_str(row, ORIGIN_KEY), col);
            continue;
        }
        if (!(target = (cJSON *)row_find(&t[to], ref)))
            return unknown_ref(row, col, ref, table_names[to]);
        if ((st = attach(target, key, row)) != WM_OK)
            return st;
    }
    return WM_OK;
}

static wm_status_t read_tabular(const char *pkg, content_report_t *r, cJSON *out)
{
    table_t t[T_COUNT] = {{0}};
    char *buf = NULL, dir[512];
    const char *slash = strrchr(pkg, '/');
    cJSON *root = NULL, *res;
    wm_status_t st = WM_OK;
    char esc[WM_ESCAPE_MAX];
    size_t ri = 0;

    snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - pkg) : 1, slash ? pkg : ".");
    if ((st = hsds_file_read(pkg, CONTENT_FILE_MAX, true, &buf, NULL)) != WM_OK)
        return st;
    st = hsds_json_parse(pkg, buf, strlen(buf), &root);
    wm_free(buf);
    if (st != WM_OK)
        return st;
    res = cJSON_GetObjectItemCaseSensitive(root, "resources");
    if (!cJSON_IsArray(res)) {
        st = wm_error(WM_EFORMAT, "%s: $.resources: expected an array, found %s", pkg,
                      res ? hsds_json_type(res) : "nothing");
        goto done;
    }
    for (const cJSON *it = res->child; it; it = it->next, ri++) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(it, "name");
        const cJSON *path = cJSON_GetObjectItemCaseSensitive(it, "path");
        const cJSON *schema = cJSON_GetObjectItemCaseSensitive(it, "schema");
        const cJSON *fields = cJSON_GetObjectItemCaseSensitive(schema, "fields");
        struct stat sb;
        int k = -1;

        if (!cJSON_IsString(name) || !cJSON_IsString(path) || !cJSON_IsArray(fields)) {
            st = wm_error(WM_EFORMAT,
                          "%s: $.resources[%zu]: needs a string name, a string path and "
                          "schema.fields",
                          pkg, ri);
            goto done;
        }
        for (int i = 0; i < T_COUNT; i++)
            if (strcmp(name->valuestring, table_names[i]) == 0)
                k = i;
        if (k < 0)
            continue;
        if (strchr(path->valuestring, '/') || path->valuestring[0] == '.' ||
            !path->valuestring[0]) {
            st = wm_error(WM_EFORMAT, "%s: $.resources[%zu].path: '%s' is not a file beside it",
                          pkg, ri, wm_escape(path->valuestring, esc, sizeof(esc)));
            goto done;
        }
        t[k].name = table_names[k];
        t[k].fields = fields;
        snprintf(t[k].path, sizeof(t[k].path), "%s/%.600s", dir, path->valuestring);
        if (stat(t[k].path, &sb) != 0) {
            if (k == T_SERVICE) {
                st = wm_error(WM_EFORMAT, "%s: %s: missing (the services are there)", pkg,
                              t[k].path);
                goto done;
            }
            continue; /* an optional table left out */
        }
        if ((st = table_load(&t[k], r)) != WM_OK)
            goto done;
        t[k].have = true;
    }
    if (!t[T_SERVICE].have) {
        st = wm_error(WM_EFORMAT, "%s: no \"service\" resource", pkg);
        goto done;
    }
    /* innermost first: each copy carries what was attached before it */
    if ((st = join(t, T_ADDRESS, T_LOCATION, "location_id", "addresses", true)) != WM_OK ||
        (st = join(t, T_ACCESS, T_LOCATION, "location_id", "accessibility", true)) != WM_OK)
        goto done;
    if (t[T_LANGUAGE].have) {
        cJSON *row;
        cJSON_ArrayForEach(row, t[T_LANGUAGE].rows)
        {
            const char *sid = row_str(row, "service_id"), *lid = row_str(row, "location_id");
            cJSON *target;
            if (sid) {
                if (!(target = (cJSON *)row_find(&t[T_SERVICE], sid))) {
                    st = unknown_ref(row, "service_id", sid, "service");
                    goto done;
                }
            } else if (lid) {
                if (!(target = (cJSON *)row_find(&t[T_LOCATION], lid))) {
                    st = unknown_ref(row, "location_id", lid, "location");
                    goto done;
                }
            } else {
                continue;
            }
            if ((st = attach(target, "languages", row)) != WM_OK)
                goto done;
        }
    }
    /* phones and schedules: to the service, else the service at a location,
     * else the location */
    for (int k = T_PHONE; k <= T_SCHEDULE; k++) {
        const char *key = k == T_PHONE ? "phones" : "schedules";
        cJSON *row;
        if (!t[k].have)
            continue;
        cJSON_ArrayForEach(row, t[k].rows)
        {
            static const char *const cols[] = {"service_id", "service_at_location_id",
                                               "location_id"};
            static const int tabs[] = {T_SERVICE, T_SAL, T_LOCATION};
            for (int c = 0; c < 3; c++) {
                const char *ref = row_str(row, cols[c]);
                cJSON *target;
                if (!ref)
                    continue;
                if (!(target = (cJSON *)row_find(&t[tabs[c]], ref))) {
                    st = unknown_ref(row, cols[c], ref, table_names[tabs[c]]);
                    goto done;
                }
                if ((st = attach(target, key, row)) != WM_OK)
                    goto done;
                break;
            }
        }
    }
    if (t[T_SAL].have) {
        cJSON *row;
        cJSON_ArrayForEach(row, t[T_SAL].rows)
        {
            const char *lid = row_str(row, "location_id");
            const cJSON *loc;
            cJSON *c;
            if (!lid)
                continue;
            if (!(loc = row_find(&t[T_LOCATION], lid))) {
                st = unknown_ref(row, "location_id", lid, "location");
                goto done;
            }
            if (!(c = cJSON_Duplicate(loc, true))) {
                st = oom();
                goto done;
            }
            if (!add_obj(row, "location", c)) {
                st = oom();
                goto done;
            }
        }
    }
    if ((st = join(t, T_SAL, T_SERVICE, "service_id", "service_at_locations", true)) != WM_OK ||
        (st = join(t, T_COST, T_SERVICE, "service_id", "cost_options", true)) != WM_OK ||
        (st = join(t, T_DOCUMENT, T_SERVICE, "service_id", "required_documents", true)) != WM_OK)
        goto done;
    if (t[T_ATTRIBUTE].have) {
        cJSON *row;
        cJSON_ArrayForEach(row, t[T_ATTRIBUTE].rows)
        {
            const char *link = row_str(row, "link_id"), *tid = row_str(row, "taxonomy_term_id");
            cJSON *svc = (cJSON *)row_find(&t[T_SERVICE], link);
            const cJSON *term;
            cJSON *c;
            if (!svc) {
                const char *ent = row_str(row, "link_entity");
                if (ent && strcmp(ent, "service") == 0) {
                    st = unknown_ref(row, "link_id", link ? link : "", "service");
                    goto done;
                }
                continue; /* an attribute of something else */
            }
            if (tid && t[T_TERM].have) {
                if (!(term = row_find(&t[T_TERM], tid))) {
                    st = unknown_ref(row, "taxonomy_term_id", tid, "taxonomy_term");
                    goto done;
                }
                if (!(c = cJSON_Duplicate(term, true))) {
                    st = oom();
                    goto done;
                }
                if (!add_obj(row, "taxonomy_term", c)) {
                    st = oom();
                    goto done;
                }
            }
            if ((st = attach(svc, "attributes", row)) != WM_OK)
                goto done;
        }
    }
    {
        cJSON *row;
        cJSON_ArrayForEach(row, t[T_SERVICE].rows)
        {
            const char *oid = row_str(row, "organization_id");
            cJSON *c;
            if (oid && t[T_ORGANIZATION].have) {
                const cJSON *org = row_find(&t[T_ORGANIZATION], oid);
                if (!org) {
                    st = unknown_ref(row, "organization_id", oid, "organization");
                    goto done;
                }
                if (!(c = cJSON_Duplicate(org, true))) {
                    st = oom();
                    goto done;
                }
                if (!add_obj(row, "organization", c)) {
                    st = oom();
                    goto done;
                }
            }
            if (!(c = cJSON_Duplicate(row, true))) {
                st = oom();
                goto done;
            }
            cJSON_AddItemToArray(out, c);
        }
    }
    /* every term, for the parents that categories are looked up through */
    if (t[T_TERM].have) {
        cJSON *terms = cJSON_Duplicate(t[T_TERM].rows, true);
        if (!terms || !cJSON_AddItemToObject(out->child ? out->child : out, "$terms", terms)) {
            cJSON_Delete(terms);
            st = oom();
            goto done;
        }
    }
done:
    for (int k = 0; k < T_COUNT; k++) {
        content_csv_free(&t[k].csv);
        cJSON_Delete(t[k].rows);
    }
    cJSON_Delete(root);
    return st;
}

wm_status_t hsds_json_parse(const char *name, const char *text, size_t len, cJSON **out)
{
    const char *end = NULL;
    void *probe;
    int line = 1;

    content_json_hooks();
    if ((*out = cJSON_ParseWithLengthOpts(text, len + 1, &end, true)))
        return WM_OK;
    /* cJSON says NULL for both: an allocation that fails now tells */
    if (!(probe = wm_malloc(64)))
        return oom();
    wm_free(probe);
    if (!end || end < text || end > text + len)
        end = text;
    for (const char *p = text; p < end; p++)
        line += *p == '\n';
    return wm_error(WM_EFORMAT, "%s:%d: not valid JSON", name, line);
}

wm_status_t hsds_read(const char *input, content_report_t *r, cJSON **services)
{
    struct stat sb;
    char pkg[512];
    size_t n = strlen(input);
    cJSON *out;
    wm_status_t st;

    content_json_hooks();
    if (!(out = cJSON_CreateArray()))
        return oom();
    if (stat(input, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        snprintf(pkg, sizeof(pkg), "%s/datapackage.json", input);
        st = read_tabular(pkg, r, out);
    } else if (n >= 16 && strcmp(input + n - 16, "datapackage.json") == 0) {
        st = read_tabular(input, r, out);
    } else {
        st = read_json(input, r, out);
    }
    if (st == WM_OK && cJSON_GetArraySize(out) == 0)
        st = wm_error(WM_EFORMAT, "%s: no services in it", input);
    if (st != WM_OK) {
        cJSON_Delete(out);
        return st;
    }
    *services = out;
    return WM_OK;
}
