/*
 * hsds.c: `waymark bundle import-hsds`: HSDS 3.0 services (read into one
 * form by hsds_read.c) mapped onto Waymark's content source format, field
 * by field as content/HSDS.md describes, then written as a whole new
 * folder beside the target and renamed over it. What does not map, or
 * contradicts itself, is a warning in the report with the record's id.
 */

/* Paths and messages are built with snprintf() into fixed buffers; a cut
 * one fails later with its own message, so gcc's truncation guesses are
 * not errors here. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include "hsds_private.h"

#include "i18n.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOTE_UNMAPPED "hsds-unmapped"
#define NOTE_CONTRA   "hsds-contradictory"
#define NOTE_SKIPPED  "hsds-skipped"
#define NOTE_LANGUAGE "hsds-only-one-language"

typedef struct {
    char id[CONTENT_ID_MAX + 1];
    const char *hsds_id, *origin;
    const char *name, *description;
    char *address, *phone;
    const char *qr;
    bool has_position;
    double lat, lon;
    unsigned flags, audience;
    const char *langs[16];
    size_t nlangs;
    const char *category;
    content_day_t week[7];
    content_exception_t exc[64];
    size_t nexc;
    content_closure_t clo[32];
    size_t nclo;
} svc_t;

typedef struct {
    const char *file; /* input, for the report */
    content_report_t *r;
    const cJSON *tax;   /* the mapping */
    const cJSON *terms; /* every taxonomy term known, or NULL */
    svc_t *svcs;
    size_t n;
    char tz[128]; /* the site's */
    bool tz_known;
    const char *lang;
    wm_status_t st; /* first fatal problem */
} imp_t;

static wm_status_t oom(void)
{
    return wm_error(WM_ENOMEM, "hsds: out of memory");
}

static void note(imp_t *im, const svc_t *s, const char *code, const char *fmt, ...) WM_PRINTF(4, 5);

static void note(imp_t *im, const svc_t *s, const char *code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    content_report_vadd(im->r, CONTENT_ISSUE_WARNING, code, im->file, 0, NULL,
                        s ? s->hsds_id : NULL, fmt, ap);
    va_end(ap);
}

/* Typed members: absent and null are NULL; another type is fatal. */
static const cJSON *member(imp_t *im, const svc_t *s, const char *where, const cJSON *obj,
                           const char *key, int type)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    bool ok;

    if (!v || cJSON_IsNull(v))
        return NULL;
    ok = type == cJSON_String   ? cJSON_IsString(v)
         : type == cJSON_Number ? cJSON_IsNumber(v)
         : type == cJSON_Array  ? cJSON_IsArray(v)
                                : cJSON_IsObject(v);
    if (!ok) {
        if (im->st == WM_OK)
            im->st = wm_error(WM_EFORMAT, "%s: %s%s.%s: expected %s, found %s", im->file, s->origin,
                              where, key,
                              type == cJSON_String   ? "a string"
                              : type == cJSON_Number ? "a number"
                              : type == cJSON_Array  ? "an array"
                                                     : "an object",
                              hsds_json_type(v));
        return NULL;
    }
    if (type == cJSON_String && !v->valuestring[0])
        return NULL;
    return v;
}

static const char *mstr(imp_t *im, const svc_t *s, const char *where, const cJSON *obj,
                        const char *key)
{
    const cJSON *v = member(im, s, where, obj, key, cJSON_String);
    return v ? v->valuestring : NULL;
}

/* Lower-cased, trimmed, without a final full stop: how phrases compare. */
static void fold(const char *s, char *out, size_t cap)
{
    size_t n = 0;

    while (*s == ' ' || *s == '\t' || *s == '\n')
        s++;
    for (; *s && n + 1 < cap; s++)
        out[n++] = (char)tolower((unsigned char)*s);
    while (n &&
           (out[n - 1] == ' ' || out[n - 1] == '.' || out[n - 1] == '\n' || out[n - 1] == '\t'))
        n--;
    out[n] = '\0';
}

static bool phrase_listed(const cJSON *list, const char *text)
{
    char a[512], b[512];
    const cJSON *it;

    fold(text, a, sizeof(a));
    cJSON_ArrayForEach(it, list)
    {
        if (!cJSON_IsString(it))
            continue;
        fold(it->valuestring, b, sizeof(b));
        if (strcmp(a, b) == 0)
            return true;
    }
    return false;
}

/* ---- ids ------------------------------------------------------------------ */

static bool id_ok(const char *id)
{
    size_t n = strlen(id);

    if (n == 0 || n > CONTENT_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(islower((unsigned char)id[i]) || isdigit((unsigned char)id[i]) || id[i] == '-' ||
              id[i] == '_'))
            return false;
    return true;
}

/* The Waymark id: the "waymark" taxonomy's id:ID term (an export's), else
 * the HSDS id lower-cased, with characters ids do not take as '-'. */
static void make_id(imp_t *im, svc_t *s, const cJSON *svc)
{
    const cJSON *attrs = member(im, s, "", svc, "attributes", cJSON_Array), *a;
    size_t n = 0;

    cJSON_ArrayForEach(a, attrs)
    {
        const cJSON *term = cJSON_GetObjectItemCaseSensitive(a, "taxonomy_term");
        const cJSON *tax = cJSON_GetObjectItemCaseSensitive(term, "taxonomy");
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(term, "code");
        if (cJSON_IsString(tax) && strcmp(tax->valuestring, HSDS_TAXONOMY) == 0 &&
            cJSON_IsString(code) && strncmp(code->valuestring, "id:", 3) == 0 &&
            id_ok(code->valuestring + 3)) {
            snprintf(s->id, sizeof(s->id), "%s", code->valuestring + 3);
            return;
        }
    }
    for (const char *p = s->hsds_id; *p && n < CONTENT_ID_MAX; p++) {
        char c = (char)tolower((unsigned char)*p);
        s->id[n++] = (islower((unsigned char)c) || isdigit((unsigned char)c) || c == '_') ? c : '-';
    }
    s->id[n] = '\0';
    if (strcmp(s->id, s->hsds_id) != 0)
        note(im, s, NOTE_UNMAPPED, "id written as '%s' (ids are a-z, 0-9, '-', '_')", s->id);
}

/* ---- hours ---------------------------------------------------------------- */

/* "HH:MM" or "HH:MM:SS" in minutes; closing times round up to the next
 * minute ("23:59:59" is the end of the day). -1 when malformed. */
static int parse_time(const char *t, bool closing)
{
    int h, m, sec = 0, len = 0;

    if (!t)
        return -1;
    if (sscanf(t, "%2d:%2d%n", &h, &m, &len) != 2 || len != 5)
        return -1;
    if (t[5] == ':') {
        int l2 = 0;
        if (sscanf(t + 6, "%2d%n", &sec, &l2) != 1 || l2 != 2 || t[8])
            return -1;
    } else if (t[5]) {
        return -1;
    }
    if (h > 24 || m > 59 || sec > 59 || (h == 24 && (m || sec)))
        return -1;
    return h * 60 + m + (closing && sec ? 1 : 0);
}

static bool parse_date(const char *s, int32_t *days)
{
    int y, m, d, len = 0, yy, mm, dd;

    if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &len) != 3 || len != 10 || s[10])
        return false;
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    *days = content_days_from_civil(y, m, d);
    content_civil_from_days(*days, &yy, &mm, &dd);
    return yy == y && mm == m && dd == d;
}

static bool overlaps(const content_day_t *d, int start, int end)
{
    for (size_t i = 0; i < d->count; i++)
        if (start < d->span[i].end && d->span[i].start < end)
            return true;
    return false;
}

/* Adds a weekly span; false (and a note) when the week cannot hold it. */
static bool week_add(imp_t *im, svc_t *s, int wd, int start, int end)
{
    content_day_t *d = &s->week[wd], *prev = &s->week[(wd + 6) % 7], *next = &s->week[(wd + 1) % 7];
    static const char *const names[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

    if (overlaps(d, start, end) || (end > 1440 && overlaps(next, 0, end - 1440))) {
        note(im, s, NOTE_CONTRA, "schedules: %s %02d:%02d-%02d:%02d overlaps other hours: left out",
             names[wd], start / 60, start % 60, (end % 1440) / 60, end % 60);
        return false;
    }
    for (size_t i = 0; i < prev->count; i++)
        if (prev->span[i].end > 1440 && prev->span[i].end - 1440 > start) {
            note(im, s, NOTE_CONTRA, "schedules: %s hours overlap the night before: left out",
                 names[wd]);
            return false;
        }
    for (size_t i = 0; i < d->count; i++)
        if (d->span[i].end > 1440 && end > 1440) {
            note(im, s, NOTE_CONTRA, "schedules: %s has two night spans: left out", names[wd]);
            return false;
        }
    if (d->count >= CONTENT_SPANS_MAX) {
        note(im, s, NOTE_UNMAPPED, "schedules: more than %d spans on %s: left out",
             CONTENT_SPANS_MAX, names[wd]);
        return false;
    }
    d->span[d->count++] = (content_span_t){(uint16_t)start, (uint16_t)end};
    return true;
}

/* False when the schedule's time zone rules it out (reported). */
static bool map_timezone(imp_t *im, svc_t *s, const cJSON *sch, const char *sid)
{
    const cJSON *tz = cJSON_GetObjectItemCaseSensitive(sch, "timezone");
    char esc[WM_ESCAPE_MAX];

    if (!tz || cJSON_IsNull(tz))
        return true;
    if (cJSON_IsNumber(tz)) {
        note(im, s, NOTE_CONTRA,
             "schedule %s: timezone %g is a UTC offset, not an IANA name (it cannot follow "
             "daylight saving time): left out",
             sid, tz->valuedouble);
        return false;
    }
    if (cJSON_IsString(tz) && content_timezone_valid(tz->valuestring)) {
        if (!im->tz_known) {
            snprintf(im->tz, sizeof(im->tz), "%s", tz->valuestring);
            im->tz_known = true;
        } else if (strcmp(tz->valuestring, im->tz) != 0) {
            note(im, s, NOTE_CONTRA,
                 "schedule %s: time zone %s differs from the site's %s: left out", sid,
                 tz->valuestring, im->tz);
            return false;
        }
        return true;
    }
    if (cJSON_IsString(tz)) {
        note(im, s, NOTE_CONTRA,
             "schedule %s: timezone '%s' is not an IANA time zone name: left out", sid,
             wm_escape(tz->valuestring, esc, sizeof(esc)));
        return false;
    }
    if (im->st == WM_OK)
        im->st = wm_error(WM_EFORMAT, "%s: %s: schedule %s: timezone: expected a number, found %s",
                          im->file, s->origin, sid, hsds_json_type(tz));
    return false;
}

static void map_schedule(imp_t *im, svc_t *s, const cJSON *sch, const char *where)
{
    static const char *const days[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
    const char *sid = mstr(im, s, where, sch, "id");
    const char *freq = mstr(im, s, where, sch, "freq"), *byday = mstr(im, s, where, sch, "byday");
    const char *from = mstr(im, s, where, sch, "valid_from"),
               *to = mstr(im, s, where, sch, "valid_to");
    const char *opens = mstr(im, s, where, sch, "opens_at"),
               *closes = mstr(im, s, where, sch, "closes_at");
    const cJSON *interval = member(im, s, where, sch, "interval", cJSON_Number);
    const char *dtstart = mstr(im, s, where, sch, "dtstart"),
               *until = mstr(im, s, where, sch, "until");
    const cJSON *count = member(im, s, where, sch, "count", cJSON_Number);
    static const char *const unsupported[] = {"byweekno", "bymonthday", "byyearday"};
    int start = parse_time(opens, false), end = parse_time(closes, true);
    bool wd[7] = {false};
    int32_t dfrom = 0, dto = 0;

    if (im->st != WM_OK)
        return;
    sid = sid ? sid : "(no id)";
    if (!cJSON_IsObject(sch)) {
        im->st = wm_error(WM_EFORMAT, "%s: %s%s: expected a schedule object, found %s", im->file,
                          s->origin, where, hsds_json_type(sch));
        return;
    }
    if (!map_timezone(im, s, sch, sid))
        return;
    if ((opens && start < 0) || (closes && end < 0)) {
        note(im, s, NOTE_CONTRA, "schedule %s: opens_at/closes_at not HH:MM[:SS]: left out", sid);
        return;
    }
    if ((from && !parse_date(from, &dfrom)) || (to && !parse_date(to, &dto))) {
        note(im, s, NOTE_CONTRA, "schedule %s: valid_from/valid_to not a date: left out", sid);
        return;
    }
    if (!freq && !byday) {
        /* a dated exception or closure */
        if (from && to && dfrom == dto) {
            content_exception_t *e = NULL;
            for (size_t i = 0; i < s->nexc; i++)
                if (s->exc[i].day == dfrom)
                    e = &s->exc[i];
            if (!e && s->nexc < sizeof(s->exc) / sizeof(s->exc[0])) {
                e = &s->exc[s->nexc++];
                memset(e, 0, sizeof(*e));
                e->day = dfrom;
            }
            if (!e) {
                note(im, s, NOTE_UNMAPPED, "schedule %s: too many dated exceptions: left out", sid);
                return;
            }
            if (start < 0 && end < 0)
                return; /* closed that day */
            if (start < 0 || end < 0 || start == end || overlaps(&e->hours, start, end) ||
                e->hours.count >= CONTENT_SPANS_MAX) {
                note(im, s, NOTE_CONTRA, "schedule %s: hours of %s cannot be read: left out", sid,
                     from);
                return;
            }
            e->hours.span[e->hours.count++] =
                (content_span_t){(uint16_t)start, (uint16_t)(end <= start ? end + 1440 : end)};
            return;
        }
        if (from && to && dfrom < dto && !opens && !closes) {
            if (s->nclo < sizeof(s->clo) / sizeof(s->clo[0]))
                s->clo[s->nclo++] = (content_closure_t){dfrom, dto};
            return;
        }
        note(im, s, NOTE_UNMAPPED,
             "schedule %s: neither a weekly rule (freq, byday) nor one date or a closed period: "
             "left out",
             sid);
        return;
    }
    if (freq && strcmp(freq, "WEEKLY") != 0) {
        note(im, s, NOTE_UNMAPPED, "schedule %s: freq %s: only weekly hours can be shown: left out",
             sid, freq);
        return;
    }
    if (interval && interval->valuedouble != 1) {
        note(im, s, NOTE_UNMAPPED,
             "schedule %s: interval %g (every %g weeks): a weekly schedule cannot express it: left "
             "out",
             sid, interval->valuedouble, interval->valuedouble);
        return;
    }
    for (size_t i = 0; i < 3; i++)
        if (mstr(im, s, where, sch, unsupported[i])) {
            note(im, s, NOTE_UNMAPPED,
                 "schedule %s: %s: a weekly schedule cannot express it: left out", sid,
                 unsupported[i]);
            return;
        }
    if (count || until || to) {
        note(im, s, NOTE_UNMAPPED,
             "schedule %s: the rule ends (%s): weekly hours have no end: left out", sid,
             count   ? "count"
             : until ? "until"
                     : "valid_to");
        return;
    }
    if (!byday) {
        note(im, s, NOTE_UNMAPPED, "schedule %s: weekly without byday (which days?): left out",
             sid);
        return;
    }
    for (const char *p = byday; *p;) {
        char tok[16];
        size_t n = strcspn(p, ","), k = 0;
        int found = -1;
        for (size_t i = 0; i < n && k + 1 < sizeof(tok); i++)
            if (p[i] != ' ')
                tok[k++] = (char)toupper((unsigned char)p[i]);
        tok[k] = '\0';
        for (int d = 0; d < 7; d++)
            if (strcmp(tok, days[d]) == 0)
                found = d;
        if (found < 0) {
            char esc[WM_ESCAPE_MAX];
            note(im, s, NOTE_UNMAPPED,
                 "schedule %s: byday '%s': '%s' is not a weekday a weekly schedule can express: "
                 "left out",
                 sid, wm_escape(byday, esc, sizeof(esc)), wm_escape(tok, esc, sizeof(esc)));
            return;
        }
        wd[found] = true;
        p += n;
        if (*p == ',')
            p++;
    }
    if (start < 0 || end < 0 || start == end) {
        note(im, s, NOTE_CONTRA, "schedule %s: needs opens_at and closes_at that differ: left out",
             sid);
        return;
    }
    if (from || dtstart)
        note(im, s, NOTE_UNMAPPED,
             "schedule %s: %s: weekly hours have no start date: taken as in force", sid,
             from ? "valid_from" : "dtstart");
    if (end <= start)
        end += 1440; /* through the night */
    for (int d = 0; d < 7; d++)
        if (wd[d])
            week_add(im, s, d, start, end);
}

/* True when list holds schedules (mapped or not). */
static bool map_schedules(imp_t *im, svc_t *s, const cJSON *list, const char *where)
{
    const cJSON *it;
    size_t i = 0;
    char path[128];

    cJSON_ArrayForEach(it, list)
    {
        snprintf(path, sizeof(path), "%s.schedules[%zu]", where, i++);
        map_schedule(im, s, it, path);
    }
    return i > 0;
}

/* ---- fields --------------------------------------------------------------- */

static bool text_add(char **out, const char *part)
{
    size_t a = *out ? strlen(*out) : 0, b = strlen(part);
    char *p;

    if (!part[0])
        return true;
    if (!(p = wm_realloc(*out, a + b + 3)))
        return false;
    if (a)
        memcpy(p + a, ", ", 2), a += 2;
    memcpy(p + a, part, b + 1);
    *out = p;
    return true;
}

static void map_phone(imp_t *im, svc_t *s, const cJSON *phones, const char *where)
{
    const cJSON *ph;
    size_t i = 0;
    char path[128];

    cJSON_ArrayForEach(ph, phones)
    {
        const char *num, *type;
        const cJSON *ext;
        char buf[160];
        size_t n;

        snprintf(path, sizeof(path), "%s.phones[%zu]", where, i++);
        if (!cJSON_IsObject(ph)) {
            if (im->st == WM_OK)
                im->st = wm_error(WM_EFORMAT, "%s: %s%s: expected a phone object, found %s",
                                  im->file, s->origin, path, hsds_json_type(ph));
            return;
        }
        num = mstr(im, s, path, ph, "number");
        type = mstr(im, s, path, ph, "type");
        ext = member(im, s, path, ph, "extension", cJSON_Number);
        if (!num)
            continue;
        if (type && (strcmp(type, "fax") == 0 || strcmp(type, "pager") == 0)) {
            note(im, s, NOTE_UNMAPPED,
                 "phone %s: type %s: a booth shows a number to call: left out", num, type);
            continue;
        }
        if (s->phone) {
            note(im, s, NOTE_UNMAPPED, "phone %s: the booth shows one phone number: left out", num);
            continue;
        }
        /* some directories keep the quotes of a spreadsheet cell */
        while (*num == '"' || *num == ' ')
            num++;
        snprintf(buf, sizeof(buf), "%s", num);
        n = strlen(buf);
        while (n && (buf[n - 1] == '"' || buf[n - 1] == ' '))
            buf[--n] = '\0';
        if (!n || buf[strspn(buf, "0123456789 +-()./")] != '\0') {
            char esc[WM_ESCAPE_MAX];
            note(im, s, NOTE_UNMAPPED,
                 "phone '%s': a booth's number holds digits, spaces and + - ( ) . /: left out",
                 wm_escape(buf, esc, sizeof(esc)));
            continue;
        }
        if (ext)
            note(im, s, NOTE_UNMAPPED,
                 "phone %s: extension %.0f: the booth shows a number without extension", buf,
                 ext->valuedouble);
        if (!(s->phone = wm_strdup(buf)))
            im->st = oom();
    }
}

static void map_location(imp_t *im, svc_t *s, const cJSON *loc, const char *where)
{
    const cJSON *lat = member(im, s, where, loc, "latitude", cJSON_Number);
    const cJSON *lon = member(im, s, where, loc, "longitude", cJSON_Number);
    const cJSON *addrs = member(im, s, where, loc, "addresses", cJSON_Array), *a, *pick = NULL;
    const cJSON *acc = member(im, s, where, loc, "accessibility", cJSON_Array);
    const char *type = mstr(im, s, where, loc, "location_type");
    static const char *const parts[] = {"address_1",   "address_2",      "city",
                                        "postal_code", "state_province", "country"};

    if (type && strcmp(type, "virtual") == 0) {
        note(im, s, NOTE_UNMAPPED, "location %s: virtual: no address to show",
             mstr(im, s, where, loc, "id") ? mstr(im, s, where, loc, "id") : "");
        return;
    }
    if (lat && lon) {
        if (fabs(lat->valuedouble) <= 90 && fabs(lon->valuedouble) <= 180) {
            s->has_position = true;
            s->lat = lat->valuedouble;
            s->lon = lon->valuedouble;
        } else {
            note(im, s, NOTE_CONTRA,
                 "location: latitude %g, longitude %g are not a position on Earth: no map "
                 "position",
                 lat->valuedouble, lon->valuedouble);
        }
    } else if (lat || lon) {
        note(im, s, NOTE_CONTRA, "location: a latitude without a longitude: no map position");
    }
    cJSON_ArrayForEach(a, addrs)
    {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(a, "address_type");
        if (!pick || (cJSON_IsString(t) && strcmp(t->valuestring, "physical") == 0 &&
                      !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(pick, "address_type"))))
            pick = a;
        if (cJSON_IsString(t) && strcmp(t->valuestring, "physical") == 0) {
            pick = a;
            break;
        }
    }
    if (pick) {
        for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
            const char *v = mstr(im, s, where, pick, parts[i]);
            if (v && !text_add(&s->address, v)) {
                im->st = oom();
                return;
            }
        }
        if (cJSON_GetArraySize(addrs) > 1)
            note(im, s, NOTE_UNMAPPED, "location: %d addresses: the booth shows one",
                 cJSON_GetArraySize(addrs));
    }
    cJSON_ArrayForEach(a, acc)
    {
        static const char *const negations[] = {"no ",     "not ",    "without", "n't",
                                                "limited", "partial", "non "};
        const char *fields[] = {mstr(im, s, where, a, "description"),
                                mstr(im, s, where, a, "details")};
        for (size_t f = 0; f < 2; f++) {
            char text[1024];
            const cJSON *ph;
            bool hit = false, neg = false;
            if (!fields[f])
                continue;
            fold(fields[f], text, sizeof(text));
            cJSON_ArrayForEach(ph, cJSON_GetObjectItemCaseSensitive(im->tax, "wheelchair"))
            {
                char p[256];
                if (!cJSON_IsString(ph))
                    continue;
                fold(ph->valuestring, p, sizeof(p));
                hit |= p[0] && strstr(text, p) != NULL;
            }
            for (size_t k = 0; k < sizeof(negations) / sizeof(negations[0]); k++)
                neg |= strstr(text, negations[k]) != NULL;
            if (hit && !neg)
                s->flags |= CONTENT_FLAG_WHEELCHAIR;
            else if (hit)
                note(im, s, NOTE_CONTRA,
                     "accessibility: mentions wheelchair access with a negation or limit: "
                     "wheelchair flag not set");
        }
    }
}

static void map_languages(imp_t *im, svc_t *s, const cJSON *list, const char *where)
{
    const cJSON *l;

    cJSON_ArrayForEach(l, list)
    {
        const char *code = mstr(im, s, where, l, "code"), *name = mstr(im, s, where, l, "name");
        char esc[WM_ESCAPE_MAX];
        bool dup = false;

        if (!code) {
            note(im, s, NOTE_UNMAPPED, "language '%s' has no code: left out",
                 name ? wm_escape(name, esc, sizeof(esc)) : "");
            continue;
        }
        if (!i18n_tag_valid(code)) {
            note(im, s, NOTE_UNMAPPED, "language code '%s' is not a BCP 47 tag: left out",
                 wm_escape(code, esc, sizeof(esc)));
            continue;
        }
        for (size_t i = 0; i < s->nlangs; i++)
            dup |= strcmp(s->langs[i], code) == 0;
        if (dup)
            continue;
        if (s->nlangs >= sizeof(s->langs) / sizeof(s->langs[0])) {
            note(im, s, NOTE_UNMAPPED, "more than 16 languages: '%s' left out", code);
            continue;
        }
        s->langs[s->nlangs++] = code;
    }
}

static void map_cost(imp_t *im, svc_t *s, const cJSON *svc)
{
    const cJSON *opts = member(im, s, "", svc, "cost_options", cJSON_Array), *o;
    const char *fees = mstr(im, s, "", svc, "fees_description");
    const char *fees_old = mstr(im, s, "", svc, "fees");
    const cJSON *free_list = cJSON_GetObjectItemCaseSensitive(im->tax, "free");
    size_t zero = 0, paid = 0, unknown = 0;
    bool says_free = false;

    cJSON_ArrayForEach(o, opts)
    {
        const cJSON *amount = member(im, s, ".cost_options[]", o, "amount", cJSON_Number);
        if (!amount)
            unknown++;
        else if (amount->valuedouble == 0)
            zero++;
        else
            paid++;
    }
    if (fees)
        says_free = phrase_listed(free_list, fees);
    else if (fees_old)
        says_free = phrase_listed(free_list, fees_old);
    if (paid && (says_free || zero)) {
        note(im, s, NOTE_CONTRA,
             "cost: some cost options have a price and the rest say free: free flag not set");
        return;
    }
    if (paid)
        return; /* it costs something: certain */
    if ((zero && !unknown) || (says_free && !unknown)) {
        s->flags |= CONTENT_FLAG_FREE;
        return;
    }
    if (fees || fees_old || unknown)
        note(im, s, NOTE_UNMAPPED,
             "cost: fees_description or cost_options do not say clearly that it is free: free "
             "flag not set");
}

static void map_documents(imp_t *im, svc_t *s, const cJSON *svc)
{
    const cJSON *docs = member(im, s, "", svc, "required_documents", cJSON_Array), *d;
    const cJSON *none = cJSON_GetObjectItemCaseSensitive(im->tax, "no_documents");
    size_t nones = 0, real = 0;

    cJSON_ArrayForEach(d, docs)
    {
        const char *doc = mstr(im, s, ".required_documents[]", d, "document");
        if (doc && phrase_listed(none, doc))
            nones++;
        else
            real++;
    }
    if (nones && real)
        note(im, s, NOTE_CONTRA,
             "required_documents: says none and names documents: no-documents flag not set");
    else if (nones)
        s->flags |= CONTENT_FLAG_NO_DOCUMENTS;
}

static bool term_match(const cJSON *rule, const cJSON *term)
{
    static const char *const keys[] = {"taxonomy", "code", "name"};
    bool any = false;

    for (size_t i = 0; i < 3; i++) {
        const cJSON *want = cJSON_GetObjectItemCaseSensitive(rule, keys[i]);
        const cJSON *have = cJSON_GetObjectItemCaseSensitive(term, keys[i]);
        if (!cJSON_IsString(want))
            continue;
        if (!cJSON_IsString(have) || strcasecmp(want->valuestring, have->valuestring) != 0)
            return false;
        any = true;
    }
    return any;
}

static const cJSON *term_by_id(const imp_t *im, const char *id)
{
    const cJSON *t;

    cJSON_ArrayForEach(t, im->terms)
    {
        const cJSON *tid = cJSON_GetObjectItemCaseSensitive(t, "id");
        if (cJSON_IsString(tid) && strcmp(tid->valuestring, id) == 0)
            return t;
    }
    return NULL;
}

static bool category_known(const imp_t *im, const char *id)
{
    const cJSON *c;

    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(im->tax, "categories"))
    {
        const cJSON *cid = cJSON_GetObjectItemCaseSensitive(c, "id");
        if (cJSON_IsString(cid) && strcmp(cid->valuestring, id) == 0)
            return true;
    }
    return false;
}

static void apply_waymark_term(imp_t *im, svc_t *s, const char *code)
{
    if (strncmp(code, "category:", 9) == 0 && category_known(im, code + 9)) {
        if (!s->category)
            s->category = code + 9;
    } else if (strncmp(code, "audience:", 9) == 0) {
        for (size_t b = 0; content_audience_name(b); b++)
            if (strcmp(content_audience_name(b), code + 9) == 0)
                s->audience |= 1u << b;
    } else if (strncmp(code, "flag:", 5) == 0) {
        for (size_t b = 0; content_flag_name(b); b++)
            if (strcmp(content_flag_name(b), code + 5) == 0 && (1u << b) == CONTENT_FLAG_WALK_IN)
                s->flags |= 1u << b;
    }
}

static void map_terms(imp_t *im, svc_t *s, const cJSON *svc)
{
    const cJSON *attrs = member(im, s, "", svc, "attributes", cJSON_Array), *a;
    const cJSON *rules = cJSON_GetObjectItemCaseSensitive(im->tax, "terms");

    cJSON_ArrayForEach(a, attrs)
    {
        const cJSON *term = member(im, s, ".attributes[]", a, "taxonomy_term", cJSON_Object);
        const cJSON *tax, *code;
        size_t hops = 0;
        bool mapped = false;

        if (!term)
            continue;
        tax = cJSON_GetObjectItemCaseSensitive(term, "taxonomy");
        code = cJSON_GetObjectItemCaseSensitive(term, "code");
        if (cJSON_IsString(tax) && strcmp(tax->valuestring, HSDS_TAXONOMY) == 0) {
            if (cJSON_IsString(code))
                apply_waymark_term(im, s, code->valuestring);
            continue;
        }
        /* the term, then its parents */
        for (const cJSON *t = term; t && !mapped;) {
            const cJSON *rule, *parent;
            cJSON_ArrayForEach(rule, rules)
            {
                const cJSON *cat = cJSON_GetObjectItemCaseSensitive(rule, "category");
                const cJSON *aud = cJSON_GetObjectItemCaseSensitive(rule, "audience");
                if (!term_match(rule, t))
                    continue;
                if (cJSON_IsString(cat) && !s->category)
                    s->category = cat->valuestring;
                else if (cJSON_IsString(cat) && strcmp(s->category, cat->valuestring) != 0)
                    note(im, s, NOTE_UNMAPPED,
                         "taxonomy term '%s' maps to category %s too: the booth files a service "
                         "under one (%s)",
                         cJSON_IsString(cJSON_GetObjectItemCaseSensitive(t, "name"))
                             ? cJSON_GetObjectItemCaseSensitive(t, "name")->valuestring
                             : "",
                         cat->valuestring, s->category);
                if (cJSON_IsString(aud))
                    for (size_t b = 0; content_audience_name(b); b++)
                        if (strcmp(content_audience_name(b), aud->valuestring) == 0)
                            s->audience |= 1u << b;
                mapped = true;
                break;
            }
            parent = cJSON_GetObjectItemCaseSensitive(t, "parent_id");
            t = cJSON_IsString(parent) ? term_by_id(im, parent->valuestring) : NULL;
            if (++hops > 64) {
                if (im->st == WM_OK)
                    im->st = wm_error(WM_EFORMAT,
                                      "%s: %s: taxonomy term parents form a cycle (through '%s')",
                                      im->file, s->origin, parent->valuestring);
                return;
            }
        }
        if (!mapped) {
            const cJSON *name = cJSON_GetObjectItemCaseSensitive(term, "name");
            char esc[WM_ESCAPE_MAX];
            note(im, s, NOTE_UNMAPPED,
                 "taxonomy term '%s' (code '%s') is not in the mapping file: not used",
                 cJSON_IsString(name) ? wm_escape(name->valuestring, esc, sizeof(esc)) : "",
                 cJSON_IsString(code) ? code->valuestring : "");
        }
    }
}

static void map_audience(imp_t *im, svc_t *s, const cJSON *svc)
{
    const cJSON *min = member(im, s, "", svc, "minimum_age", cJSON_Number);
    const cJSON *max = member(im, s, "", svc, "maximum_age", cJSON_Number);
    const char *elig = mstr(im, s, "", svc, "eligibility_description");
    const cJSON *map = cJSON_GetObjectItemCaseSensitive(im->tax, "eligibility");

    if (min && max && min->valuedouble > max->valuedouble) {
        note(im, s, NOTE_CONTRA, "minimum_age %g above maximum_age %g: ages not used",
             min->valuedouble, max->valuedouble);
    } else if (max && max->valuedouble < 18) {
        s->audience |= CONTENT_FOR_CHILDREN;
    } else if (min && max && min->valuedouble >= 12 && max->valuedouble <= 25) {
        s->audience |= CONTENT_FOR_YOUTH;
    } else if (min || max) {
        note(im, s, NOTE_UNMAPPED,
             "ages %g to %g: the booth's audiences are children (under 18) and youth (12 to 25): "
             "not shown",
             min ? min->valuedouble : 0, max ? max->valuedouble : 0);
    }
    if (elig) {
        char f[512];
        const cJSON *hit;
        fold(elig, f, sizeof(f));
        hit = cJSON_GetObjectItemCaseSensitive(map, f);
        if (cJSON_IsString(hit)) {
            for (size_t b = 0; content_audience_name(b); b++)
                if (strcmp(content_audience_name(b), hit->valuestring) == 0)
                    s->audience |= 1u << b;
        } else {
            note(im, s, NOTE_UNMAPPED,
                 "eligibility_description is free text the booth cannot sort into audiences: not "
                 "shown");
        }
    }
}

static void map_service(imp_t *im, const cJSON *svc)
{
    svc_t *s = &im->svcs[im->n];
    const cJSON *sals, *sal, *orig = cJSON_GetObjectItemCaseSensitive(svc, "$origin");
    const char *status;
    static const char *const unmapped[] = {"alternate_name",
                                           "email",
                                           "interpretation_services",
                                           "application_process",
                                           "wait_time",
                                           "accreditations",
                                           "alert",
                                           "licenses"};
    size_t i = 0;
    bool has_sched;

    memset(s, 0, sizeof(*s));
    s->origin = cJSON_IsString(orig) ? orig->valuestring : "?";
    s->hsds_id = cJSON_GetObjectItemCaseSensitive(svc, "id")->valuestring;
    s->name = mstr(im, s, "", svc, "name");
    status = mstr(im, s, "", svc, "status");
    if (im->st != WM_OK)
        return;
    if (!s->name) {
        note(im, s, NOTE_SKIPPED, "no name: not imported");
        return;
    }
    if (status && strcmp(status, "active") != 0 && strcmp(status, "temporarily closed") != 0) {
        note(im, s, NOTE_SKIPPED, "status %s: not imported", status);
        return;
    }
    if (status && strcmp(status, "temporarily closed") == 0)
        note(im, s, NOTE_UNMAPPED,
             "status 'temporarily closed' has no dates: imported with its usual hours");
    make_id(im, s, svc);
    for (size_t k = 0; k < im->n; k++)
        if (strcmp(im->svcs[k].id, s->id) == 0 && im->st == WM_OK) {
            char esc[WM_ESCAPE_MAX];
            im->st = wm_error(WM_EFORMAT, "%s: %s: duplicate id '%s' (also %s)", im->file,
                              s->origin, wm_escape(s->id, esc, sizeof(esc)), im->svcs[k].origin);
            return;
        }
    s->description = mstr(im, s, "", svc, "description");
    s->qr = mstr(im, s, "", svc, "url");
    if (s->qr && strlen(s->qr) > CONTENT_QR_MAX) {
        note(im, s, NOTE_UNMAPPED, "url longer than %d bytes: no QR code", CONTENT_QR_MAX);
        s->qr = NULL;
    }
    for (size_t k = 0; k < sizeof(unmapped) / sizeof(unmapped[0]); k++)
        if (mstr(im, s, "", svc, unmapped[k]))
            note(im, s, NOTE_UNMAPPED, "%s: not shown by the booth", unmapped[k]);
    map_phone(im, s, member(im, s, "", svc, "phones", cJSON_Array), "");
    has_sched = map_schedules(im, s, member(im, s, "", svc, "schedules", cJSON_Array), "");
    map_languages(im, s, member(im, s, "", svc, "languages", cJSON_Array), ".languages");
    sals = member(im, s, "", svc, "service_at_locations", cJSON_Array);
    cJSON_ArrayForEach(sal, sals)
    {
        char where[96];
        const cJSON *loc;
        snprintf(where, sizeof(where), ".service_at_locations[%zu]", i++);
        if (i > 1) {
            note(im, s, NOTE_UNMAPPED,
                 "%s: a second location: the booth shows one address (import it as a service of "
                 "its own)",
                 where);
            continue;
        }
        loc = member(im, s, where, sal, "location", cJSON_Object);
        /* phones and schedules: the service's own, else the service at the
         * location's, else the location's */
        if (!s->phone)
            map_phone(im, s, member(im, s, where, sal, "phones", cJSON_Array), where);
        if (!has_sched)
            has_sched =
                map_schedules(im, s, member(im, s, where, sal, "schedules", cJSON_Array), where);
        else if (cJSON_GetArraySize(member(im, s, where, sal, "schedules", cJSON_Array)))
            note(im, s, NOTE_UNMAPPED,
                 "%s.schedules: the service has schedules of its own: these left out", where);
        if (loc) {
            char lw[128];
            snprintf(lw, sizeof(lw), "%s.location", where);
            map_location(im, s, loc, lw);
            if (!s->phone)
                map_phone(im, s, member(im, s, lw, loc, "phones", cJSON_Array), lw);
            if (!has_sched)
                has_sched =
                    map_schedules(im, s, member(im, s, lw, loc, "schedules", cJSON_Array), lw);
            else if (cJSON_GetArraySize(member(im, s, lw, loc, "schedules", cJSON_Array)))
                note(im, s, NOTE_UNMAPPED,
                     "%s.schedules: the service has schedules of its own: these left out", lw);
            if (!s->nlangs)
                map_languages(im, s, member(im, s, lw, loc, "languages", cJSON_Array), lw);
        }
    }
    map_cost(im, s, svc);
    map_documents(im, s, svc);
    map_terms(im, s, svc);
    map_audience(im, s, svc);
    if (im->st != WM_OK)
        return;
    if (!s->category) {
        const cJSON *def = cJSON_GetObjectItemCaseSensitive(im->tax, "default_category");
        s->category = cJSON_IsString(def) ? def->valuestring : "essentials";
        note(im, s, NOTE_UNMAPPED,
             "no taxonomy term maps to a category: filed under '%s' (edit the mapping file)",
             s->category);
    }
    if (!s->address)
        note(im, s, NOTE_UNMAPPED, "no address");
    im->n++;
}

/* ---- writing -------------------------------------------------------------- */

static bool add_spans(cJSON *arr, const content_day_t *d)
{
    for (size_t i = 0; i < d->count; i++) {
        char buf[16];
        int s = d->span[i].start, e = d->span[i].end;
        if (e > 1440)
            e -= 1440;
        snprintf(buf, sizeof(buf), "%02d:%02d-%02d:%02d", s / 60, s % 60, e / 60, e % 60);
        if (!cJSON_AddItemToArray(arr, cJSON_CreateString(buf)))
            return false;
    }
    return true;
}

static cJSON *service_json(const svc_t *s)
{
    static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    cJSON *o = cJSON_CreateObject(), *hours, *arr;
    bool ok = o != NULL;

    ok = ok && cJSON_AddStringToObject(o, "id", s->id) &&
         cJSON_AddStringToObject(o, "category", s->category);
    if (ok && s->address)
        ok = cJSON_AddStringToObject(o, "address", s->address) != NULL;
    if (ok && s->phone)
        ok = cJSON_AddStringToObject(o, "phone", s->phone) != NULL;
    if (ok && s->has_position) {
        cJSON *p = cJSON_AddObjectToObject(o, "position");
        ok = p && cJSON_AddNumberToObject(p, "lat", s->lat) &&
             cJSON_AddNumberToObject(p, "lon", s->lon);
    }
    if (ok && (hours = cJSON_AddObjectToObject(o, "hours")))
        for (int d = 0; d < 7 && ok; d++)
            if (s->week[d].count)
                ok = (arr = cJSON_AddArrayToObject(hours, days[d])) && add_spans(arr, &s->week[d]);
    ok = ok && hours;
    if (ok && s->nexc && (arr = cJSON_AddArrayToObject(o, "exceptions"))) {
        for (size_t i = 0; i < s->nexc && ok; i++) {
            cJSON *e = cJSON_CreateObject(), *h;
            char date[16];
            int y, m, d;
            content_civil_from_days(s->exc[i].day, &y, &m, &d);
            snprintf(date, sizeof(date), "%04d-%02d-%02d", y, m, d);
            ok = e && cJSON_AddItemToArray(arr, e) && cJSON_AddStringToObject(e, "date", date) &&
                 (h = cJSON_AddArrayToObject(e, "hours")) && add_spans(h, &s->exc[i].hours);
        }
    }
    if (ok && s->nclo && (arr = cJSON_AddArrayToObject(o, "closures"))) {
        for (size_t i = 0; i < s->nclo && ok; i++) {
            cJSON *c = cJSON_CreateObject();
            char a[16], b[16];
            int y, m, d;
            content_civil_from_days(s->clo[i].from, &y, &m, &d);
            snprintf(a, sizeof(a), "%04d-%02d-%02d", y, m, d);
            content_civil_from_days(s->clo[i].to, &y, &m, &d);
            snprintf(b, sizeof(b), "%04d-%02d-%02d", y, m, d);
            ok = c && cJSON_AddItemToArray(arr, c) && cJSON_AddStringToObject(c, "from", a) &&
                 cJSON_AddStringToObject(c, "to", b);
        }
    }
    if (ok && (arr = cJSON_AddArrayToObject(o, "flags")))
        for (size_t b = 0; content_flag_name(b) && ok; b++)
            if (s->flags & (1u << b))
                ok = cJSON_AddItemToArray(arr, cJSON_CreateString(content_flag_name(b)));
    if (ok && (arr = cJSON_AddArrayToObject(o, "audience")))
        for (size_t b = 0; content_audience_name(b) && ok; b++)
            if (s->audience & (1u << b))
                ok = cJSON_AddItemToArray(arr, cJSON_CreateString(content_audience_name(b)));
    if (ok && (arr = cJSON_AddArrayToObject(o, "languages")))
        for (size_t i = 0; i < s->nlangs && ok; i++)
            ok = cJSON_AddItemToArray(arr, cJSON_CreateString(s->langs[i]));
    if (ok && s->qr)
        ok = cJSON_AddStringToObject(o, "qr", s->qr) != NULL;
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static wm_status_t write_json(const char *dir, const char *name, const cJSON *doc)
{
    char path[1024], *text;
    wm_status_t st;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (!(text = cJSON_Print(doc)))
        return oom();
    st = hsds_file_write(path, text, strlen(text));
    wm_free(text);
    return st;
}

static wm_status_t read_json_doc(const char *dir, const char *name, cJSON **out)
{
    char path[1024], *buf;
    wm_status_t st;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if ((st = hsds_file_read(path, CONTENT_FILE_MAX, true, &buf, NULL)) != WM_OK)
        return st;
    st = hsds_json_parse(path, buf, strlen(buf), out);
    wm_free(buf);
    return st;
}

static bool set_text(cJSON *strings, const char *key, const char *text)
{
    cJSON *v = cJSON_CreateString(text);

    if (!v)
        return false;
    cJSON_DeleteItemFromObjectCaseSensitive(strings, key);
    if (!cJSON_AddItemToObject(strings, key, v)) {
        cJSON_Delete(v);
        return false;
    }
    return true;
}

static bool svc_known(const imp_t *im, const char *key)
{
    /* "service.ID.name": is ID one of the import's? */
    const char *id = key + 8, *dot = strrchr(key, '.');

    for (size_t i = 0; i < im->n; i++)
        if (dot > id && strlen(im->svcs[i].id) == (size_t)(dot - id) &&
            strncmp(im->svcs[i].id, id, (size_t)(dot - id)) == 0)
            return true;
    return false;
}

/* Service texts of the import into strings/LANG.json; without merge, the
 * texts of services no longer there leave every language's file. */
static wm_status_t write_strings(imp_t *im, const char *dir, bool merge)
{
    char sdir[1024];
    DIR *d;
    struct dirent *e;
    wm_status_t st = WM_OK;
    char name[300];
    bool have_lang = false;

    snprintf(sdir, sizeof(sdir), "%s/strings", dir);
    mkdir(sdir, 0755);
    if (!(d = opendir(sdir)))
        return wm_error(WM_EIO, "%s: cannot open: %s", sdir, strerror(errno));
    while (st == WM_OK && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0 || e->d_name[0] == '.')
            continue;
        snprintf(name, sizeof(name), "strings/%s", e->d_name);
        if (strncmp(e->d_name, im->lang, n - 5) == 0 && strlen(im->lang) == n - 5) {
            have_lang = true;
            continue;
        }
        if (!merge) {
            cJSON *doc, *it, *next;
            bool changed = false;
            if ((st = read_json_doc(dir, name, &doc)) != WM_OK)
                break;
            for (it = doc->child; it; it = next) {
                next = it->next;
                if (strncmp(it->string, "service.", 8) == 0 && !svc_known(im, it->string)) {
                    cJSON_Delete(cJSON_DetachItemViaPointer(doc, it));
                    changed = true;
                }
            }
            if (changed)
                st = write_json(dir, name, doc);
            cJSON_Delete(doc);
        }
    }
    closedir(d);
    if (st != WM_OK)
        return st;
    {
        cJSON *doc = NULL, *it, *next;
        const cJSON *c;
        char key[CONTENT_ID_MAX + 32];
        snprintf(name, sizeof(name), "strings/%s.json", im->lang);
        if (have_lang) {
            if ((st = read_json_doc(dir, name, &doc)) != WM_OK)
                return st;
        } else if (!(doc = cJSON_CreateObject())) {
            return oom();
        }
        if (!merge)
            for (it = doc->child; it; it = next) {
                next = it->next;
                if (strncmp(it->string, "service.", 8) == 0 && !svc_known(im, it->string))
                    cJSON_Delete(cJSON_DetachItemViaPointer(doc, it));
            }
        for (size_t i = 0; i < im->n; i++) {
            const svc_t *s = &im->svcs[i];
            snprintf(key, sizeof(key), "service.%s.name", s->id);
            if (!set_text(doc, key, s->name))
                goto nomem;
            snprintf(key, sizeof(key), "service.%s.description", s->id);
            if (s->description && !set_text(doc, key, s->description))
                goto nomem;
        }
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(im->tax, "categories"))
        {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "id");
            const cJSON *nm = cJSON_GetObjectItemCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(c, "names"), im->lang);
            if (!cJSON_IsString(id) || !cJSON_IsString(nm))
                continue;
            snprintf(key, sizeof(key), "category.%s", id->valuestring);
            if (!cJSON_GetObjectItemCaseSensitive(doc, key) && !set_text(doc, key, nm->valuestring))
                goto nomem;
        }
        st = write_json(dir, name, doc);
        cJSON_Delete(doc);
        return st;
    nomem:
        cJSON_Delete(doc);
        return oom();
    }
}

/* Adds lang to content.json's languages when it is not there. */
static wm_status_t add_language(imp_t *im, const char *dir)
{
    cJSON *doc, *langs, *l;
    wm_status_t st;

    if ((st = read_json_doc(dir, "content.json", &doc)) != WM_OK)
        return st;
    langs = cJSON_GetObjectItemCaseSensitive(doc, "languages");
    cJSON_ArrayForEach(l, langs)
    {
        const cJSON *tag = cJSON_IsString(l) ? l : cJSON_GetObjectItemCaseSensitive(l, "tag");
        if (cJSON_IsString(tag) && strcmp(tag->valuestring, im->lang) == 0) {
            cJSON_Delete(doc);
            return WM_OK;
        }
    }
    if (!cJSON_IsArray(langs) || !cJSON_AddItemToArray(langs, cJSON_CreateString(im->lang))) {
        cJSON_Delete(doc);
        return cJSON_IsArray(langs) ? oom()
                                    : wm_error(WM_EFORMAT, "%s/content.json: no languages", dir);
    }
    st = write_json(dir, "content.json", doc);
    cJSON_Delete(doc);
    return st;
}

static wm_status_t write_structure(imp_t *im, const char *dir, const char *tax_dir)
{
    cJSON *doc = cJSON_CreateObject(), *arr, *site = NULL;
    const cJSON *c;
    wm_status_t st;

    if (!doc || !(arr = cJSON_AddArrayToObject(doc, "services")))
        goto nomem;
    for (size_t i = 0; i < im->n; i++) {
        cJSON *o = service_json(&im->svcs[i]);
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            goto nomem;
        }
    }
    if ((st = write_json(dir, "services.json", doc)) != WM_OK)
        goto fail;
    cJSON_Delete(doc);
    if (!(doc = cJSON_CreateObject()) || !(arr = cJSON_AddArrayToObject(doc, "categories")))
        goto nomem;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(im->tax, "categories"))
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "id");
        const cJSON *icon = cJSON_GetObjectItemCaseSensitive(c, "icon");
        bool used = false;
        cJSON *o;
        char path[1024];
        struct stat sb;
        if (!cJSON_IsString(id) || !cJSON_IsString(icon))
            continue;
        for (size_t i = 0; i < im->n; i++)
            used |= strcmp(im->svcs[i].category, id->valuestring) == 0;
        if (!used)
            continue;
        if (!(o = cJSON_CreateObject()) || !cJSON_AddItemToArray(arr, o) ||
            !cJSON_AddStringToObject(o, "id", id->valuestring) ||
            !cJSON_AddStringToObject(o, "icon", icon->valuestring))
            goto nomem;
        snprintf(path, sizeof(path), "%s/%s", dir, icon->valuestring);
        if (stat(path, &sb) != 0 && tax_dir && !strstr(icon->valuestring, "..")) {
            /* the icon beside the mapping file */
            char from[1024], *data;
            size_t len;
            char *slash;
            snprintf(from, sizeof(from), "%s/%s", tax_dir, icon->valuestring);
            if (hsds_file_read(from, 4 * 1024 * 1024, false, &data, &len) == WM_OK) {
                snprintf(path, sizeof(path), "%s/%s", dir, icon->valuestring);
                if ((slash = strrchr(path, '/'))) {
                    *slash = '\0';
                    mkdir(path, 0755);
                    *slash = '/';
                }
                st = hsds_file_write(path, data, len);
                wm_free(data);
                if (st != WM_OK)
                    goto fail;
            }
        }
    }
    if ((st = write_json(dir, "categories.json", doc)) != WM_OK)
        goto fail;
    cJSON_Delete(doc);
    doc = NULL;
    /* the site's time zone, when the data named one and the site had none */
    if (read_json_doc(dir, "site.json", &site) == WM_OK) {
        const cJSON *tz = cJSON_GetObjectItemCaseSensitive(site, "timezone");
        if (cJSON_IsString(tz) && im->tz_known && strcmp(tz->valuestring, im->tz) != 0)
            note(im, NULL, NOTE_CONTRA,
                 "the schedules' time zone %s differs from site.json's %s: site.json kept", im->tz,
                 tz->valuestring);
        cJSON_Delete(site);
    }
    return WM_OK;
nomem:
    st = oom();
fail:
    cJSON_Delete(doc);
    return st;
}

static wm_status_t load_taxonomy(const content_hsds_opts_t *o, cJSON **tax)
{
    char *buf = NULL;
    const char *text = content_hsds_taxonomy_default();
    wm_status_t st;
    const cJSON *cats;

    if (o->taxonomy) {
        if ((st = hsds_file_read(o->taxonomy, CONTENT_FILE_MAX, true, &buf, NULL)) != WM_OK)
            return st;
        text = buf;
    }
    st = hsds_json_parse(o->taxonomy ? o->taxonomy : "built-in taxonomy mapping", text,
                         strlen(text), tax);
    wm_free(buf);
    if (st != WM_OK)
        return st;
    cats = cJSON_GetObjectItemCaseSensitive(*tax, "categories");
    if (!cJSON_IsArray(cats) || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(*tax, "terms"))) {
        cJSON_Delete(*tax);
        return wm_error(WM_EFORMAT, "%s: needs \"categories\" and \"terms\" arrays",
                        o->taxonomy ? o->taxonomy : "built-in taxonomy mapping");
    }
    return WM_OK;
}

/* Records in one language and not the other (merge). */
static wm_status_t merge_check(imp_t *im, const char *dir, content_hsds_result_t *res)
{
    cJSON *doc;
    const cJSON *s;
    wm_status_t st;
    size_t found = 0;

    if ((st = read_json_doc(dir, "services.json", &doc)) != WM_OK)
        return st;
    for (size_t i = 0; i < im->n; i++) {
        bool there = false;
        cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(doc, "services"))
        {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(s, "id");
            there |= cJSON_IsString(id) && strcmp(id->valuestring, im->svcs[i].id) == 0;
        }
        if (there) {
            im->svcs[found++] = im->svcs[i];
        } else {
            note(im, &im->svcs[i], NOTE_LANGUAGE,
                 "service '%s' is in the %s import but not in the content: its texts are left out",
                 im->svcs[i].id, im->lang);
            res->only_here++;
            wm_free(im->svcs[i].address);
            wm_free(im->svcs[i].phone);
        }
    }
    im->n = found;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(doc, "services"))
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(s, "id");
        bool here = false;
        for (size_t i = 0; i < im->n && cJSON_IsString(id); i++)
            here |= strcmp(id->valuestring, im->svcs[i].id) == 0;
        if (!here && cJSON_IsString(id)) {
            content_report_add(im->r, CONTENT_ISSUE_WARNING, NOTE_LANGUAGE, "services.json", 0,
                               im->lang, id->valuestring,
                               "service '%s' is in the content but not in the %s import: shown "
                               "in the local language",
                               id->valuestring, im->lang);
            res->only_there++;
        }
    }
    cJSON_Delete(doc);
    return WM_OK;
}

wm_status_t content_hsds_import(const char *input, const char *out, const content_hsds_opts_t *opts,
                                content_report_t **report, content_hsds_result_t *result)
{
    content_hsds_opts_t o = opts ? *opts : (content_hsds_opts_t){0};
    content_hsds_result_t res = {0};
    imp_t im = {0};
    cJSON *svcs = NULL, *tax = NULL, *own_terms = NULL;
    content_report_t *r;
    char tmp[1024], path[1024], tax_dir[1024];
    struct stat sb;
    wm_status_t st;
    bool exists;

    content_json_hooks();
    if (!(r = content_report_new()))
        return oom();
    im.file = input;
    im.r = r;
    im.lang = o.lang ? o.lang : "en";
    if (!i18n_tag_valid(im.lang)) {
        content_report_destroy(r);
        return wm_error(WM_EINVAL, "--lang '%s' is not a BCP 47 language tag", im.lang);
    }
    snprintf(path, sizeof(path), "%s/content.json", out);
    exists = stat(path, &sb) == 0;
    if (!exists && (o.merge || !o.template_dir)) {
        content_report_destroy(r);
        return wm_error(WM_EINVAL,
                        o.merge ? "%s: no content to merge into (import the first language first)"
                                : "%s: no content there yet: give a template folder to start from "
                                  "(e.g. content/sample)",
                        out);
    }
    if ((st = load_taxonomy(&o, &tax)) != WM_OK)
        goto done;
    im.tax = tax;
    tax_dir[0] = '\0';
    if (o.taxonomy) {
        const char *slash = strrchr(o.taxonomy, '/');
        snprintf(tax_dir, sizeof(tax_dir), "%.*s", slash ? (int)(slash - o.taxonomy) : 1,
                 slash ? o.taxonomy : ".");
    }
    if ((st = hsds_read(input, r, &svcs)) != WM_OK)
        goto done;
    /* every taxonomy term known: the table's, else those given inline */
    im.terms = cJSON_GetObjectItemCaseSensitive(svcs->child, "$terms");
    if (!im.terms) {
        const cJSON *sv, *a;
        if (!(own_terms = cJSON_CreateArray())) {
            st = oom();
            goto done;
        }
        cJSON_ArrayForEach(sv, svcs)
        {
            cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(sv, "attributes"))
            {
                const cJSON *t = cJSON_GetObjectItemCaseSensitive(a, "taxonomy_term");
                cJSON *ref;
                if (!cJSON_IsObject(t))
                    continue;
                if (!(ref = cJSON_CreateObjectReference(t->child))) {
                    st = oom();
                    goto done;
                }
                cJSON_AddItemToArray(own_terms, ref);
            }
        }
        im.terms = own_terms;
    }
    /* the site's time zone, for messages and the schedules' checks */
    {
        cJSON *site = NULL;
        const cJSON *tz;
        if (read_json_doc(exists ? out : o.template_dir, "site.json", &site) == WM_OK &&
            cJSON_IsString(tz = cJSON_GetObjectItemCaseSensitive(site, "timezone"))) {
            snprintf(im.tz, sizeof(im.tz), "%s", tz->valuestring);
            im.tz_known = true;
        } else {
            snprintf(im.tz, sizeof(im.tz), "UTC");
        }
        cJSON_Delete(site);
    }
    if (!(im.svcs = wm_calloc((size_t)cJSON_GetArraySize(svcs) + 1, sizeof(svc_t)))) {
        st = oom();
        goto done;
    }
    {
        const cJSON *s;
        cJSON_ArrayForEach(s, svcs)
        {
            if (im.n >= CONTENT_SERVICES_MAX) {
                note(&im, NULL, NOTE_SKIPPED, "more than %d services: the rest left out",
                     CONTENT_SERVICES_MAX);
                break;
            }
            map_service(&im, s);
            if (im.st != WM_OK)
                break;
        }
    }
    if ((st = im.st) != WM_OK)
        goto done;
    if (r->oom) {
        st = oom();
        goto done;
    }
    res.skipped = (size_t)cJSON_GetArraySize(svcs) - im.n;
    if (im.n == 0) {
        st = wm_error(WM_EFORMAT, "%s: no service could be imported (see the report)", input);
        goto done;
    }
    /* the new folder, beside out */
    if ((st = hsds_tree_stage(out, tmp, sizeof(tmp))) != WM_OK)
        goto done;
    if ((st = hsds_tree_copy(exists ? out : o.template_dir, tmp)) != WM_OK)
        goto fail;
    if (o.merge) {
        if ((st = merge_check(&im, tmp, &res)) != WM_OK)
            goto fail;
    } else if ((st = write_structure(&im, tmp, o.taxonomy ? tax_dir : NULL)) != WM_OK) {
        goto fail;
    }
    if ((st = write_strings(&im, tmp, o.merge)) != WM_OK || (st = add_language(&im, tmp)) != WM_OK)
        goto fail;
    if (r->oom) {
        st = oom();
        goto fail;
    }
    if ((st = hsds_tree_commit(tmp, out)) != WM_OK)
        goto fail;
    res.services = im.n;
    goto done;
fail:
    hsds_tree_remove(tmp);
done:
    for (size_t i = 0; i < im.n; i++) {
        wm_free(im.svcs[i].address);
        wm_free(im.svcs[i].phone);
    }
    if (im.svcs && im.n < (size_t)cJSON_GetArraySize(svcs) + 1) {
        /* a service mapped halfway (a fatal problem) */
        wm_free(im.svcs[im.n].address);
        wm_free(im.svcs[im.n].phone);
    }
    wm_free(im.svcs);
    cJSON_Delete(own_terms);
    cJSON_Delete(svcs);
    cJSON_Delete(tax);
    if (st != WM_OK) {
        content_report_destroy(r);
        return st;
    }
    *report = r;
    if (result)
        *result = res;
    return WM_OK;
}

/* ---- folders -------------------------------------------------------------- */

wm_status_t hsds_file_read(const char *path, size_t max, bool text, char **out, size_t *len)
{
    struct stat sb;
    char esc[WM_ESCAPE_MAX];

    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
        if ((uint64_t)sb.st_size > max)
            return wm_error(WM_EFORMAT, "%s: larger than %zu bytes",
                            wm_escape(path, esc, sizeof(esc)), max);
        max = (size_t)sb.st_size;
    }
    return wm_file_read(path, max, text, out, len);
}

wm_status_t hsds_file_write(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    char esc[WM_ESCAPE_MAX];

    if (!f)
        return wm_error(WM_EIO, "%s: cannot write: %s", wm_escape(path, esc, sizeof(esc)),
                        strerror(errno));
    if ((len && fwrite(data, 1, len, f) != len) | (fclose(f) != 0))
        return wm_error(WM_EIO, "%s: write failed", wm_escape(path, esc, sizeof(esc)));
    return WM_OK;
}

wm_status_t hsds_tree_stage(const char *path, char *tmp, size_t size)
{
    char esc[WM_ESCAPE_MAX];

    snprintf(tmp, size, "%s.tmp-%ld", path, (long)getpid());
    hsds_tree_remove(tmp);
    if (mkdir(tmp, 0755) != 0)
        return wm_error(WM_EIO, "%s: cannot create: %s", wm_escape(tmp, esc, sizeof(esc)),
                        strerror(errno));
    return WM_OK;
}

wm_status_t hsds_tree_copy(const char *src, const char *dst)
{
    DIR *d = opendir(src);
    struct dirent *e;
    wm_status_t st = WM_OK;
    char esc[WM_ESCAPE_MAX];

    if (!d)
        return wm_error(WM_EIO, "%s: cannot open: %s", wm_escape(src, esc, sizeof(esc)),
                        strerror(errno));
    while (st == WM_OK && (e = readdir(d))) {
        char from[1024], to[1024];
        struct stat sb;
        if (e->d_name[0] == '.')
            continue;
        snprintf(from, sizeof(from), "%s/%s", src, e->d_name);
        snprintf(to, sizeof(to), "%s/%s", dst, e->d_name);
        if (strcmp(from, dst) == 0 || lstat(from, &sb) != 0)
            continue; /* the new folder itself, when it is made inside src */
        if (S_ISDIR(sb.st_mode)) {
            if (mkdir(to, 0755) != 0 && errno != EEXIST)
                st = wm_error(WM_EIO, "%s: cannot create: %s", wm_escape(to, esc, sizeof(esc)),
                              strerror(errno));
            else
                st = hsds_tree_copy(from, to);
        } else if (S_ISREG(sb.st_mode)) {
            char *data;
            size_t len;
            if ((st = hsds_file_read(from, 64 * 1024 * 1024, false, &data, &len)) == WM_OK) {
                st = hsds_file_write(to, data, len);
                wm_free(data);
            }
        }
    }
    closedir(d);
    return st;
}

void hsds_tree_remove(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;

    if (!d) {
        unlink(path);
        return;
    }
    while ((e = readdir(d))) {
        char sub[1024];
        struct stat sb;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
        if (lstat(sub, &sb) == 0 && S_ISDIR(sb.st_mode))
            hsds_tree_remove(sub);
        else
            unlink(sub);
    }
    closedir(d);
    rmdir(path);
}

wm_status_t hsds_tree_commit(const char *tmp, const char *path)
{
    char old[1024], esc[WM_ESCAPE_MAX];
    struct stat sb;
    bool had = stat(path, &sb) == 0;

    snprintf(old, sizeof(old), "%s.old-%ld", path, (long)getpid());
    if (had && rename(path, old) != 0)
        return wm_error(WM_EIO, "%s: cannot move aside: %s", wm_escape(path, esc, sizeof(esc)),
                        strerror(errno));
    if (rename(tmp, path) != 0) {
        wm_status_t st = wm_error(WM_EIO, "%s: cannot rename into place: %s",
                                  wm_escape(path, esc, sizeof(esc)), strerror(errno));
        if (had)
            rename(old, path);
        return st;
    }
    if (had)
        hsds_tree_remove(old);
    return WM_OK;
}
