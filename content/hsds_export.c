/*
 * hsds_export.c: `waymark bundle export-hsds`: a content folder's services
 * as an HSDS 3.0 tabular data package (datapackage.json and one CSV file
 * per table, with every column of the specification's tables, in its
 * order) and as JSON (services.json: a paginated list of full services).
 * content/HSDS.md gives the mapping.
 */

/* Paths and messages are built with snprintf() into fixed buffers; a cut
 * one fails later with its own message, so gcc's truncation guesses are
 * not errors here. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include "hsds_private.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The tables written, with the specification's columns in its order
 * (name:type, type "string" unless given; "/uuid", "/uri", "/email" a
 * format). */
typedef struct {
    const char *name, *path, *columns;
} table_def_t;

enum {
    X_ORG,
    X_SVC,
    X_LOC,
    X_SAL,
    X_PHONE,
    X_ADDR,
    X_SCHED,
    X_DOC,
    X_LANG,
    X_COST,
    X_ATTR,
    X_TERM,
    X_TAX,
    X_N
};

static const table_def_t tables[X_N] = {
    {"organization", "organizations.csv",
     "id:string/uuid name alternate_name description email:string/email website:string/uri "
     "tax_status tax_id year_incorporated:number legal_status logo uri:string/uri "
     "parent_organization_id:string/uuid"},
    {"service", "services.csv",
     "id:string/uuid organization_id:string/uuid program_id:string/uuid name alternate_name "
     "description url:string/uri email:string/email status interpretation_services "
     "application_process fees_description wait_time fees accreditations eligibility_description "
     "minimum_age:number maximum_age:number assured_date:date assurer_email:string/email licenses "
     "alert last_modified:datetime"},
    {"location", "locations.csv",
     "id:string/uuid location_type url:string/uri organization_id:string/uuid name alternate_name "
     "description transportation latitude:number longitude:number external_identifier "
     "external_identifier_type"},
    {"service_at_location", "service_at_location.csv",
     "id:string/uuid service_id:string/uuid location_id:string/uuid description"},
    {"phone", "phones.csv",
     "id:string/uuid location_id:string/uuid service_id:string/uuid organization_id:string/uuid "
     "contact_id:string/uuid service_at_location_id:string/uuid number extension:number type "
     "description"},
    {"address", "addresses.csv",
     "id:string/uuid location_id:string/uuid attention address_1 address_2 city region "
     "state_province postal_code country address_type"},
    {"schedule", "schedules.csv",
     "id:string/uuid service_id:string/uuid location_id:string/uuid "
     "service_at_location_id:string/uuid valid_from:date valid_to:date dtstart:date "
     "timezone:number until:date count:number wkst freq interval:number byday byweekno "
     "bymonthday byyearday description opens_at:time closes_at:time schedule_link:string/uri "
     "attending_type notes"},
    {"required_document", "required_documents.csv",
     "id:string/uuid service_id:string/uuid document uri:string/uri"},
    {"language", "languages.csv",
     "id:string/uuid service_id:string/uuid location_id:string/uuid phone_id:string/uuid name "
     "code note"},
    {"cost_option", "cost_options.csv",
     "id:string/uuid service_id:string/uuid valid_from:date valid_to:date option currency "
     "amount:number amount_description"},
    {"attribute", "attributes.csv",
     "id:string/uuid link_id:string/uuid taxonomy_term_id:string/uuid link_type link_entity value"},
    {"taxonomy_term", "taxonomy_terms.csv",
     "id:string/uuid code name description parent_id:string/uuid taxonomy language "
     "taxonomy_id:string/uuid term_uri:string/uri"},
    {"taxonomy", "taxonomies.csv", "id:string/uuid name description uri:string/uri version"},
};

#define COLS_MAX 32

typedef struct {
    FILE *f;
    char names[COLS_MAX][40];
    size_t ncols;
    char path[1200];
} out_table_t;

typedef struct {
    const content_t *c;
    size_t lang;
    const char *site;
    out_table_t t[X_N];
    cJSON *json; /* contents */
    wm_status_t st;
    char taxonomy_id[37];
} exp_t;

static void uuid_of(const exp_t *x, const char *kind, const char *key, char out[37])
{
    unsigned char h[16];
    crypto_generichash_state s;

    crypto_generichash_init(&s, (const unsigned char *)"waymark-hsds", 12, sizeof(h));
    crypto_generichash_update(&s, (const unsigned char *)x->site, strlen(x->site) + 1);
    crypto_generichash_update(&s, (const unsigned char *)kind, strlen(kind) + 1);
    crypto_generichash_update(&s, (const unsigned char *)key, strlen(key) + 1);
    crypto_generichash_final(&s, h, sizeof(h));
    h[6] = (unsigned char)((h[6] & 0x0f) | 0x50); /* name-based */
    h[8] = (unsigned char)((h[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", h[0],
             h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11], h[12], h[13],
             h[14], h[15]);
}

static size_t columns(const char *spec, char names[][40], char types[][16], char formats[][16])
{
    size_t n = 0;

    for (const char *p = spec; *p && n < COLS_MAX;) {
        size_t len = strcspn(p, " ");
        char tok[80];
        char *colon, *slash;
        snprintf(tok, sizeof(tok), "%.*s", (int)len, p);
        colon = strchr(tok, ':');
        slash = colon ? strchr(colon, '/') : NULL;
        if (slash)
            *slash = '\0';
        if (colon)
            *colon = '\0';
        snprintf(names[n], 40, "%.39s", tok);
        if (types)
            snprintf(types[n], 16, "%s", colon ? colon + 1 : "string");
        if (formats)
            snprintf(formats[n], 16, "%s", slash ? slash + 1 : "");
        n++;
        p += len;
        while (*p == ' ')
            p++;
    }
    return n;
}

/* A row: pairs of column name and value, NULL-terminated; unnamed
 * columns are empty. */
static void row(exp_t *x, int table, ...)
{
    out_table_t *t = &x->t[table];
    const char *vals[COLS_MAX] = {0};
    va_list ap;
    const char *k;

    if (x->st != WM_OK)
        return;
    va_start(ap, table);
    while ((k = va_arg(ap, const char *))) {
        const char *v = va_arg(ap, const char *);
        for (size_t i = 0; i < t->ncols; i++)
            if (strcmp(t->names[i], k) == 0)
                vals[i] = v;
    }
    va_end(ap);
    for (size_t i = 0; i < t->ncols; i++)
        if (!content_csv_write_field(t->f, vals[i], i + 1 == t->ncols)) {
            x->st = wm_error(WM_EIO, "%s: write failed", t->path);
            return;
        }
}

static const char *text(const exp_t *x, const char *key)
{
    return content_text(x->c, x->lang, key, NULL);
}

static cJSON *jobj(cJSON *parent_arr)
{
    cJSON *o = cJSON_CreateObject();

    if (o && !cJSON_AddItemToArray(parent_arr, o)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static void jstr(exp_t *x, cJSON *o, const char *k, const char *v)
{
    if (x->st == WM_OK && v && (!o || !cJSON_AddStringToObject(o, k, v)))
        x->st = wm_error(WM_ENOMEM, "hsds: out of memory");
}

static void term(exp_t *x, cJSON *attrs, const char *svc_uuid, const char *code, const char *name)
{
    char tid[37], aid[37], key[128];
    cJSON *a = jobj(attrs), *t;

    snprintf(key, sizeof(key), "%s", code);
    uuid_of(x, "term", key, tid);
    snprintf(key, sizeof(key), "%s/%s", svc_uuid, code);
    uuid_of(x, "attribute", key, aid);
    row(x, X_ATTR, "id", aid, "link_id", svc_uuid, "taxonomy_term_id", tid, "link_type", "service",
        "link_entity", "service", NULL);
    jstr(x, a, "id", aid);
    jstr(x, a, "link_entity", "service");
    t = a ? cJSON_AddObjectToObject(a, "taxonomy_term") : NULL;
    jstr(x, t, "id", tid);
    jstr(x, t, "code", code);
    jstr(x, t, "name", name);
    jstr(x, t, "description", "Waymark booth content");
    jstr(x, t, "taxonomy", HSDS_TAXONOMY);
}

static void export_hours(exp_t *x, cJSON *scheds, const char *svc, const char *svc_uuid,
                         const content_hours_t *h)
{
    static const char *const days[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
    char key[160], id[37], a[16], b[16], date[16], date2[16];
    int y, m, d;

    for (int wd = 0; wd < 7; wd++)
        for (size_t i = 0; i < h->week[wd].count; i++) {
            const content_span_t *sp = &h->week[wd].span[i];
            int e = sp->end >= 1440 ? sp->end - 1440 : sp->end;
            cJSON *o = jobj(scheds);
            snprintf(key, sizeof(key), "%s/week/%d/%zu", svc, wd, i);
            uuid_of(x, "schedule", key, id);
            snprintf(a, sizeof(a), "%02d:%02d:00", sp->start / 60, sp->start % 60);
            if (sp->end == 1440)
                snprintf(b, sizeof(b), "23:59:59");
            else
                snprintf(b, sizeof(b), "%02d:%02d:00", e / 60, e % 60);
            row(x, X_SCHED, "id", id, "service_id", svc_uuid, "freq", "WEEKLY", "byday", days[wd],
                "opens_at", a, "closes_at", b, NULL);
            jstr(x, o, "id", id);
            jstr(x, o, "freq", "WEEKLY");
            jstr(x, o, "byday", days[wd]);
            jstr(x, o, "opens_at", a);
            jstr(x, o, "closes_at", b);
        }
    for (size_t i = 0; i < h->exception_count; i++) {
        const content_exception_t *ex = &h->exceptions[i];
        content_civil_from_days(ex->day, &y, &m, &d);
        snprintf(date, sizeof(date), "%04d-%02d-%02d", y, m, d);
        for (size_t k = 0; k < (ex->hours.count ? ex->hours.count : 1); k++) {
            cJSON *o = jobj(scheds);
            bool closed = ex->hours.count == 0;
            snprintf(key, sizeof(key), "%s/exception/%s/%zu", svc, date, k);
            uuid_of(x, "schedule", key, id);
            if (!closed) {
                const content_span_t *sp = &ex->hours.span[k];
                int e = sp->end >= 1440 ? sp->end - 1440 : sp->end;
                snprintf(a, sizeof(a), "%02d:%02d:00", sp->start / 60, sp->start % 60);
                if (sp->end == 1440)
                    snprintf(b, sizeof(b), "23:59:59");
                else
                    snprintf(b, sizeof(b), "%02d:%02d:00", e / 60, e % 60);
            }
            row(x, X_SCHED, "id", id, "service_id", svc_uuid, "valid_from", date, "valid_to", date,
                "opens_at", closed ? NULL : a, "closes_at", closed ? NULL : b, "description",
                closed ? "Closed" : NULL, NULL);
            jstr(x, o, "id", id);
            jstr(x, o, "valid_from", date);
            jstr(x, o, "valid_to", date);
            if (!closed) {
                jstr(x, o, "opens_at", a);
                jstr(x, o, "closes_at", b);
            } else {
                jstr(x, o, "description", "Closed");
            }
        }
    }
    for (size_t i = 0; i < h->closure_count; i++) {
        cJSON *o = jobj(scheds);
        content_civil_from_days(h->closures[i].from, &y, &m, &d);
        snprintf(date, sizeof(date), "%04d-%02d-%02d", y, m, d);
        content_civil_from_days(h->closures[i].to, &y, &m, &d);
        snprintf(date2, sizeof(date2), "%04d-%02d-%02d", y, m, d);
        snprintf(key, sizeof(key), "%s/closure/%s", svc, date);
        uuid_of(x, "schedule", key, id);
        row(x, X_SCHED, "id", id, "service_id", svc_uuid, "valid_from", date, "valid_to", date2,
            "description", "Closed", NULL);
        jstr(x, o, "id", id);
        jstr(x, o, "valid_from", date);
        jstr(x, o, "valid_to", date2);
        jstr(x, o, "description", "Closed");
    }
}

static void export_service(exp_t *x, const content_service_t *s, const char *org_uuid,
                           const char *org_name, const char *org_desc)
{
    char sid[37], id[37], key[CONTENT_ID_MAX + 64];
    const char *name, *desc;
    cJSON *o = jobj(x->json), *arr, *org;

    uuid_of(x, "service", s->id, sid);
    snprintf(key, sizeof(key), "service.%s.name", s->id);
    name = text(x, key);
    snprintf(key, sizeof(key), "service.%s.description", s->id);
    desc = text(x, key);
    name = name ? name : s->id;
    row(x, X_SVC, "id", sid, "organization_id", org_uuid, "name", name, "description", desc, "url",
        s->qr && strncmp(s->qr, "http", 4) == 0 ? s->qr : NULL, "status", "active", NULL);
    jstr(x, o, "id", sid);
    jstr(x, o, "organization_id", org_uuid);
    jstr(x, o, "name", name);
    jstr(x, o, "description", desc);
    if (s->qr && strncmp(s->qr, "http", 4) == 0)
        jstr(x, o, "url", s->qr);
    jstr(x, o, "status", "active");
    org = o ? cJSON_AddObjectToObject(o, "organization") : NULL;
    jstr(x, org, "id", org_uuid);
    jstr(x, org, "name", org_name);
    jstr(x, org, "description", org_desc);
    if (s->phone) {
        arr = o ? cJSON_AddArrayToObject(o, "phones") : NULL;
        cJSON *p = arr ? jobj(arr) : NULL;
        uuid_of(x, "phone", s->id, id);
        row(x, X_PHONE, "id", id, "service_id", sid, "number", s->phone, "type", "voice", NULL);
        jstr(x, p, "id", id);
        jstr(x, p, "number", s->phone);
        jstr(x, p, "type", "voice");
    }
    arr = o ? cJSON_AddArrayToObject(o, "schedules") : NULL;
    export_hours(x, arr, s->id, sid, &s->hours);
    if (s->address || s->has_position) {
        char lid[37], salid[37], lat[32], lon[32];
        cJSON *sal, *loc, *addrs, *ad;
        uuid_of(x, "location", s->id, lid);
        uuid_of(x, "service_at_location", s->id, salid);
        snprintf(lat, sizeof(lat), "%.7g", s->lat);
        snprintf(lon, sizeof(lon), "%.7g", s->lon);
        row(x, X_LOC, "id", lid, "location_type", "physical", "organization_id", org_uuid,
            "latitude", s->has_position ? lat : NULL, "longitude", s->has_position ? lon : NULL,
            NULL);
        row(x, X_SAL, "id", salid, "service_id", sid, "location_id", lid, NULL);
        arr = o ? cJSON_AddArrayToObject(o, "service_at_locations") : NULL;
        sal = arr ? jobj(arr) : NULL;
        jstr(x, sal, "id", salid);
        loc = sal ? cJSON_AddObjectToObject(sal, "location") : NULL;
        jstr(x, loc, "id", lid);
        jstr(x, loc, "location_type", "physical");
        if (s->has_position && loc &&
            (!cJSON_AddNumberToObject(loc, "latitude", s->lat) ||
             !cJSON_AddNumberToObject(loc, "longitude", s->lon)))
            x->st = wm_error(WM_ENOMEM, "hsds: out of memory");
        if (s->address) {
            uuid_of(x, "address", s->id, id);
            /* the address is one line as on the street: all of it in
             * address_1; the parts HSDS requires are empty */
            row(x, X_ADDR, "id", id, "location_id", lid, "address_1", s->address, "city", "",
                "state_province", "", "postal_code", "", "country", "", "address_type", "physical",
                NULL);
            addrs = loc ? cJSON_AddArrayToObject(loc, "addresses") : NULL;
            ad = addrs ? jobj(addrs) : NULL;
            jstr(x, ad, "id", id);
            jstr(x, ad, "address_1", s->address);
            jstr(x, ad, "city", "");
            jstr(x, ad, "state_province", "");
            jstr(x, ad, "postal_code", "");
            jstr(x, ad, "country", "");
            jstr(x, ad, "address_type", "physical");
        }
        if (s->flags & CONTENT_FLAG_WHEELCHAIR) {
            cJSON *acc = loc ? cJSON_AddArrayToObject(loc, "accessibility") : NULL, *a;
            a = acc ? jobj(acc) : NULL;
            uuid_of(x, "accessibility", s->id, id);
            jstr(x, a, "id", id);
            jstr(x, a, "description", "Wheelchair accessible");
        }
    }
    if (s->language_count) {
        arr = o ? cJSON_AddArrayToObject(o, "languages") : NULL;
        for (size_t i = 0; i < s->language_count; i++) {
            cJSON *l = arr ? jobj(arr) : NULL;
            snprintf(key, sizeof(key), "%s/%s", s->id, s->languages[i]);
            uuid_of(x, "language", key, id);
            row(x, X_LANG, "id", id, "service_id", sid, "code", s->languages[i], NULL);
            jstr(x, l, "id", id);
            jstr(x, l, "code", s->languages[i]);
        }
    }
    if (s->flags & CONTENT_FLAG_FREE) {
        cJSON *c;
        arr = o ? cJSON_AddArrayToObject(o, "cost_options") : NULL;
        c = arr ? jobj(arr) : NULL;
        uuid_of(x, "cost_option", s->id, id);
        row(x, X_COST, "id", id, "service_id", sid, "option", "Free", "amount", "0", NULL);
        jstr(x, c, "id", id);
        jstr(x, c, "option", "Free");
        if (c && !cJSON_AddNumberToObject(c, "amount", 0))
            x->st = wm_error(WM_ENOMEM, "hsds: out of memory");
        jstr(x, o, "fees_description", "Free");
    }
    if (s->flags & CONTENT_FLAG_NO_DOCUMENTS) {
        cJSON *dj;
        arr = o ? cJSON_AddArrayToObject(o, "required_documents") : NULL;
        dj = arr ? jobj(arr) : NULL;
        uuid_of(x, "required_document", s->id, id);
        row(x, X_DOC, "id", id, "service_id", sid, "document", "None", NULL);
        jstr(x, dj, "id", id);
        jstr(x, dj, "document", "None");
    }
    arr = o ? cJSON_AddArrayToObject(o, "attributes") : NULL;
    snprintf(key, sizeof(key), "id:%s", s->id);
    term(x, arr, sid, key, s->id);
    snprintf(key, sizeof(key), "category:%s", content_category(x->c, s->category)->id);
    term(x, arr, sid, key, content_category(x->c, s->category)->id);
    for (size_t b = 0; content_audience_name(b); b++)
        if (s->audience & (1u << b)) {
            snprintf(key, sizeof(key), "audience:%s", content_audience_name(b));
            term(x, arr, sid, key, content_audience_name(b));
        }
    if (s->flags & CONTENT_FLAG_WALK_IN)
        term(x, arr, sid, "flag:walk_in", "walk_in");
    if (!o)
        x->st = wm_error(WM_ENOMEM, "hsds: out of memory");
}

/* accessibility rows go through their own table: written after the
 * services, from the same content */
static void export_accessibility(exp_t *x, out_table_t *t)
{
    for (size_t i = 0; i < content_service_count(x->c) && x->st == WM_OK; i++) {
        const content_service_t *s = content_service(x->c, i);
        char id[37], lid[37];
        const char *vals[5];
        if (!(s->flags & CONTENT_FLAG_WHEELCHAIR) || !(s->address || s->has_position))
            continue;
        uuid_of(x, "accessibility", s->id, id);
        uuid_of(x, "location", s->id, lid);
        vals[0] = id;
        vals[1] = lid;
        vals[2] = "Wheelchair accessible";
        vals[3] = NULL;
        vals[4] = NULL;
        for (size_t k = 0; k < 5; k++)
            if (!content_csv_write_field(t->f, vals[k], k == 4))
                x->st = wm_error(WM_EIO, "%s: write failed", t->path);
    }
}

static wm_status_t write_datapackage(const char *dir)
{
    cJSON *doc = cJSON_CreateObject(), *res;
    char path[1024], *txt;
    wm_status_t st;
    bool ok = doc && cJSON_AddStringToObject(doc, "name", "waymark_services") &&
              cJSON_AddStringToObject(doc, "profile", "tabular-data-package") &&
              cJSON_AddStringToObject(doc, "version", "3.0.0") &&
              (res = cJSON_AddArrayToObject(doc, "resources"));

    for (int k = 0; k <= X_N && ok; k++) {
        static const table_def_t acc = {"accessibility", "accessibility.csv",
                                        "id:string/uuid location_id:string/uuid description "
                                        "details url:string/uri"};
        const table_def_t *t = k == X_N ? &acc : &tables[k];
        char names[COLS_MAX][40], types[COLS_MAX][16], formats[COLS_MAX][16];
        size_t n = columns(t->columns, names, types, formats);
        cJSON *r = cJSON_CreateObject(), *schema, *fields;
        ok = r && cJSON_AddItemToArray(res, r) && cJSON_AddStringToObject(r, "name", t->name) &&
             cJSON_AddStringToObject(r, "path", t->path) &&
             cJSON_AddStringToObject(r, "profile", "tabular-data-resource") &&
             (schema = cJSON_AddObjectToObject(r, "schema")) &&
             (fields = cJSON_AddArrayToObject(schema, "fields")) &&
             cJSON_AddStringToObject(schema, "primaryKey", "id");
        for (size_t i = 0; i < n && ok; i++) {
            cJSON *f = cJSON_CreateObject();
            ok = f && cJSON_AddItemToArray(fields, f) &&
                 cJSON_AddStringToObject(f, "name", names[i]) &&
                 cJSON_AddStringToObject(f, "type", types[i]) &&
                 (!formats[i][0] || cJSON_AddStringToObject(f, "format", formats[i]));
        }
    }
    if (!ok || !(txt = cJSON_Print(doc))) {
        cJSON_Delete(doc);
        return wm_error(WM_ENOMEM, "hsds: out of memory");
    }
    snprintf(path, sizeof(path), "%s/datapackage.json", dir);
    st = hsds_file_write(path, txt, strlen(txt));
    wm_free(txt);
    cJSON_Delete(doc);
    return st;
}

wm_status_t content_hsds_export(const char *src, const char *dir, size_t *services)
{
    exp_t x = {0};
    content_t *c;
    char tmp[1024], org[37], *txt = NULL;
    const content_site_t *site;
    cJSON *root = NULL;
    out_table_t acc = {0};
    int li;
    wm_status_t st;

    content_json_hooks();
    if ((st = content_load_dir(src, &c)) != WM_OK)
        return st;
    x.c = c;
    site = content_site(c);
    x.site = site->id ? site->id : "site";
    li = content_language_find(c, site->local_language);
    x.lang = li >= 0 ? (size_t)li : 0;
    if ((st = hsds_tree_stage(dir, tmp, sizeof(tmp))) != WM_OK) {
        content_destroy(c);
        return st;
    }
    for (int k = 0; k < X_N && st == WM_OK; k++) {
        out_table_t *t = &x.t[k];
        snprintf(t->path, sizeof(t->path), "%s/%s", tmp, tables[k].path);
        t->ncols = columns(tables[k].columns, t->names, NULL, NULL);
        if (!(t->f = fopen(t->path, "wb")))
            st = wm_error(WM_EIO, "%s: cannot write", t->path);
        for (size_t i = 0; i < t->ncols && st == WM_OK; i++)
            if (!content_csv_write_field(t->f, t->names[i], i + 1 == t->ncols))
                st = wm_error(WM_EIO, "%s: write failed", t->path);
    }
    snprintf(acc.path, sizeof(acc.path), "%s/accessibility.csv", tmp);
    if (st == WM_OK && (!(acc.f = fopen(acc.path, "wb")) ||
                        fputs("id,location_id,description,details,url\r\n", acc.f) == EOF))
        st = wm_error(WM_EIO, "%s: cannot write", acc.path);
    if (st == WM_OK &&
        (!(root = cJSON_CreateObject()) || !(x.json = cJSON_AddArrayToObject(root, "contents"))))
        st = wm_error(WM_ENOMEM, "hsds: out of memory");
    x.st = st;
    if (st == WM_OK) {
        const char *name = text(&x, "site.name"), *op = text(&x, "site.operator");
        char tax[37];
        uuid_of(&x, "organization", x.site, org);
        uuid_of(&x, "taxonomy", HSDS_TAXONOMY, tax);
        name = name ? name : x.site;
        row(&x, X_ORG, "id", org, "name", name, "description", op ? op : name, NULL);
        row(&x, X_TAX, "id", tax, "name", HSDS_TAXONOMY, "description",
            "Waymark booth content: id, category, audience and flag of a service", NULL);
        for (size_t i = 0; i < content_service_count(c) && x.st == WM_OK; i++)
            export_service(&x, content_service(c, i), org, name, op ? op : name);
        /* the terms used, once each */
        for (size_t i = 0; i < content_service_count(c) && x.st == WM_OK; i++) {
            const content_service_t *s = content_service(c, i);
            char key[CONTENT_ID_MAX + 16], tid[37];
            snprintf(key, sizeof(key), "id:%s", s->id);
            uuid_of(&x, "term", key, tid);
            row(&x, X_TERM, "id", tid, "code", key, "name", s->id, "description",
                "Waymark booth content", "taxonomy", HSDS_TAXONOMY, "taxonomy_id", tax, NULL);
        }
        for (size_t i = 0; i < content_category_count(c) && x.st == WM_OK; i++) {
            char key[CONTENT_ID_MAX + 16], tid[37];
            snprintf(key, sizeof(key), "category:%s", content_category(c, i)->id);
            uuid_of(&x, "term", key, tid);
            row(&x, X_TERM, "id", tid, "code", key, "name", content_category(c, i)->id,
                "description", "Waymark booth content", "taxonomy", HSDS_TAXONOMY, "taxonomy_id",
                tax, NULL);
        }
        for (size_t b = 0; content_audience_name(b) && x.st == WM_OK; b++) {
            char key[64], tid[37];
            snprintf(key, sizeof(key), "audience:%s", content_audience_name(b));
            uuid_of(&x, "term", key, tid);
            row(&x, X_TERM, "id", tid, "code", key, "name", content_audience_name(b), "description",
                "Waymark booth content", "taxonomy", HSDS_TAXONOMY, "taxonomy_id", tax, NULL);
        }
        if (x.st == WM_OK) {
            char tid[37];
            uuid_of(&x, "term", "flag:walk_in", tid);
            row(&x, X_TERM, "id", tid, "code", "flag:walk_in", "name", "walk_in", "description",
                "Waymark booth content", "taxonomy", HSDS_TAXONOMY, "taxonomy_id", tax, NULL);
        }
        export_accessibility(&x, &acc);
        st = x.st;
    }
    for (int k = 0; k < X_N; k++)
        if (x.t[k].f && fclose(x.t[k].f) != 0 && st == WM_OK)
            st = wm_error(WM_EIO, "%s: write failed", x.t[k].path);
    if (acc.f && fclose(acc.f) != 0 && st == WM_OK)
        st = wm_error(WM_EIO, "%s: write failed", acc.path);
    if (st == WM_OK) {
        int n = cJSON_GetArraySize(x.json);
        bool ok = cJSON_AddNumberToObject(root, "total_items", n) &&
                  cJSON_AddNumberToObject(root, "total_pages", 1) &&
                  cJSON_AddNumberToObject(root, "page_number", 1) &&
                  cJSON_AddNumberToObject(root, "size", n) &&
                  cJSON_AddBoolToObject(root, "first_page", 1) &&
                  cJSON_AddBoolToObject(root, "last_page", 1) &&
                  cJSON_AddBoolToObject(root, "empty", n == 0);
        char path[1100];
        if (!ok || !(txt = cJSON_Print(root))) {
            st = wm_error(WM_ENOMEM, "hsds: out of memory");
        } else {
            snprintf(path, sizeof(path), "%s/services.json", tmp);
            st = hsds_file_write(path, txt, strlen(txt));
        }
    }
    if (st == WM_OK)
        st = write_datapackage(tmp);
    if (st == WM_OK)
        st = hsds_tree_commit(tmp, dir);
    if (st != WM_OK)
        hsds_tree_remove(tmp);
    else if (services)
        *services = content_service_count(c);
    wm_free(txt);
    cJSON_Delete(root);
    content_destroy(c);
    return st;
}
