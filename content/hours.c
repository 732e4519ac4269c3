/*
 * hours.c: weekly opening hours with dated exceptions and closures, and
 * "open now" / "opens at" as a pure function of the hours, an IANA time
 * zone (system tzdata through TZ and localtime_r/mktime) and a time.
 *
 * Hours are local wall-clock times. A span "20:00-08:00" runs past
 * midnight into the next day; "00:00-24:00" is the whole day. A dated
 * exception replaces that day's spans; a closure empties the days it
 * covers (spans that start on them).
 */
#include "content_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DAY_MIN 1440

typedef struct {
    time_t start, end;
} interval_t;

static const struct {
    const char *name;
    int from, to;
} day_keys[] = {
    {"mon", 0, 0}, {"tue", 1, 1}, {"wed", 2, 2},      {"thu", 3, 3},     {"fri", 4, 4},
    {"sat", 5, 5}, {"sun", 6, 6}, {"weekdays", 0, 4}, {"weekend", 5, 6}, {"daily", 0, 6},
};

static const char *const day_names[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                        "Friday", "Saturday", "Sunday"};

static bool parse_date(const char *s, int32_t *day);
static bool parse_spans(const content_json_t *doc, const cJSON *list, const char *file,
                        content_report_t *r, const char *what, content_day_t *out);
static int wday_of(int32_t day);

int32_t content_days_from_civil(int y, int m, int d)
{
    /* Howard Hinnant's days_from_civil */
    int era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

void content_civil_from_days(int32_t z, int *y, int *m, int *d)
{
    int era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (int)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

bool content_timezone_valid(const char *zone)
{
    const char *dir = getenv("TZDIR");
    char path[4096], magic[4];
    struct stat sb;
    FILE *f;
    bool ok;

    if (!zone || !zone[0] || strlen(zone) > 200 || zone[0] == '/' || strstr(zone, ".."))
        return false;
    for (const char *p = zone; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              strchr("/_+-", *p)))
            return false;
    snprintf(path, sizeof(path), "%s/%s", dir && dir[0] ? dir : "/usr/share/zoneinfo", zone);
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || !(f = fopen(path, "rb")))
        return false;
    ok = fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
    fclose(f);
    return ok;
}

wm_status_t content_hours_parse(const content_json_t *doc, const cJSON *svc, const char *file,
                                content_report_t *r, content_hours_t *h)
{
    const cJSON *hours = cJSON_GetObjectItemCaseSensitive(svc, "hours"), *it;
    const cJSON *exc = cJSON_GetObjectItemCaseSensitive(svc, "exceptions");
    const cJSON *clo = cJSON_GetObjectItemCaseSensitive(svc, "closures");
    const cJSON *idv = cJSON_GetObjectItemCaseSensitive(svc, "id");
    const char *id = cJSON_IsString(idv) ? idv->valuestring : "?";
    bool set[7] = {false}, ok = true;
    char what[96];
    size_t n;

    memset(h, 0, sizeof(*h));
    if (hours && !cJSON_IsObject(hours)) {
        content_report_add(r, CONTENT_ISSUE_ERROR, "hours", file, content_json_line(doc, hours),
                           NULL, "hours", "service '%s': 'hours' maps days to lists of spans", id);
        return WM_EFORMAT;
    }
    cJSON_ArrayForEach(it, hours)
    {
        size_t k;
        content_day_t day;

        for (k = 0; k < sizeof(day_keys) / sizeof(day_keys[0]); k++)
            if (strcmp(it->string, day_keys[k].name) == 0)
                break;
        if (k == sizeof(day_keys) / sizeof(day_keys[0])) {
            content_report_add(r, CONTENT_ISSUE_ERROR, "hours", file, content_json_line(doc, it),
                               NULL, "hours",
                               "service '%s': '%s' is not a day (mon ... sun, weekdays, "
                               "weekend, daily)",
                               id, it->string);
            ok = false;
            continue;
        }
        snprintf(what, sizeof(what), "service '%s', %s", id, it->string);
        if (!parse_spans(doc, it, file, r, what, &day)) {
            ok = false;
            continue;
        }
        for (int d = day_keys[k].from; d <= day_keys[k].to; d++) {
            if (set[d]) {
                content_report_add(r, CONTENT_ISSUE_ERROR, "hours", file,
                                   content_json_line(doc, it), NULL, "hours",
                                   "service '%s': %s is given twice", id, day_names[d]);
                ok = false;
            }
            set[d] = true;
            h->week[d] = day;
        }
    }
    /* a span past midnight must end before the next day's first opens */
    for (int d = 0; ok && d < 7; d++) {
        const content_day_t *a = &h->week[d], *b = &h->week[(d + 1) % 7];

        for (size_t i = 0; i < a->count; i++)
            if (a->span[i].end > DAY_MIN && b->count &&
                b->span[0].start < a->span[i].end - DAY_MIN) {
                content_report_add(r, CONTENT_ISSUE_ERROR, "hours", file,
                                   content_json_line(doc, hours), NULL, "hours",
                                   "service '%s': %s's hours run into %s's", id, day_names[d],
                                   day_names[(d + 1) % 7]);
                ok = false;
            }
    }
    if (exc && !cJSON_IsArray(exc)) {
        content_report_add(r, CONTENT_ISSUE_ERROR, "hours", file, content_json_line(doc, exc), NULL,
                           "exceptions",
                           "service '%s': 'exceptions' is a list of {\"date\", \"hours\"}", id);
        ok = false;
    } else if ((n = (size_t)cJSON_GetArraySize(exc)) > 0) {
        if (!(h->exceptions = wm_calloc(n, sizeof(*h->exceptions)))) {
            r->oom = true;
            return WM_ENOMEM;
        }
        cJSON_ArrayForEach(it, exc)
        {
            const cJSON *date = cJSON_GetObjectItemCaseSensitive(it, "date");
            const cJSON *spans = cJSON_GetObjectItemCaseSensitive(it, "hours");
            content_exception_t *e = &h->exceptions[h->exception_count];
            int line = content_json_line(doc, it);

            if (!cJSON_IsString(date) || !parse_date(date->valuestring, &e->day)) {
                content_report_add(r, CONTENT_ISSUE_ERROR, "hours", file, line, NULL, "exceptions",
                                   "service '%s': an exception needs a real \"date\": "
                                   "\"YYYY-MM-DD\"",
                                   id);
                ok = false;
                continue;
            }
            snprintf(what, sizeof(what), "service '%s', %s", id, date->valuestring);
            if (!spans || !parse_spans(doc, spans, file, r, what, &e->hours)) {
                if (!spans)
                    content_report_add(r, CONTENT_ISSUE_ERROR, "hours", file, line, NULL,
                                       "exceptions",
                                       "%s: an exception needs \"hours\" ([] for closed)", what);
                ok = false;
                continue;
            }
            for (size_t i = 0; i < h->exception_count; i++)
                if (h->exceptions[i].day == e->day) {
                    content_report_add(r, CONTENT_ISSUE_ERROR, "hours", file, line, NULL,
                                       "exceptions", "%s is given twice", what);
                    ok = false;
                }
            h->exception_count++;
        }
    }
    if (clo && !cJSON_IsArray(clo)) {
        content_report_add(r, CONTENT_ISSUE_ERROR, "hours", file, content_json_line(doc, clo), NULL,
                           "closures", "service '%s': 'closures' is a list of {\"from\", \"to\"}",
                           id);
        ok = false;
    } else if ((n = (size_t)cJSON_GetArraySize(clo)) > 0) {
        if (!(h->closures = wm_calloc(n, sizeof(*h->closures)))) {
            r->oom = true;
            return WM_ENOMEM;
        }
        cJSON_ArrayForEach(it, clo)
        {
            const cJSON *from = cJSON_GetObjectItemCaseSensitive(it, "from");
            const cJSON *to = cJSON_GetObjectItemCaseSensitive(it, "to");
            content_closure_t *c = &h->closures[h->closure_count];
            int line = content_json_line(doc, it);

            if (!cJSON_IsString(from) || !cJSON_IsString(to) ||
                !parse_date(from->valuestring, &c->from) || !parse_date(to->valuestring, &c->to)) {
                content_report_add(r, CONTENT_ISSUE_ERROR, "hours", file, line, NULL, "closures",
                                   "service '%s': a closure is {\"from\": \"YYYY-MM-DD\", "
                                   "\"to\": \"YYYY-MM-DD\"} with real dates",
                                   id);
                ok = false;
                continue;
            }
            if (c->from > c->to) {
                content_report_add(r, CONTENT_ISSUE_ERROR, "hours", file, line, NULL, "closures",
                                   "service '%s': closure ends (%s) before it starts (%s)", id,
                                   to->valuestring, from->valuestring);
                ok = false;
                continue;
            }
            h->closure_count++;
        }
    }
    if (r->oom)
        return WM_ENOMEM;
    return ok ? WM_OK : WM_EFORMAT;
}

void content_hours_free(content_hours_t *h)
{
    wm_free(h->exceptions);
    wm_free(h->closures);
    h->exceptions = NULL;
    h->closures = NULL;
    h->exception_count = h->closure_count = 0;
}

/* The spans of a civil day: an exception, a closure, or the week's. */
static const content_day_t *hours_of_day(const content_hours_t *h, int32_t day)
{
    static const content_day_t closed = {{{0, 0}}, 0};

    for (size_t i = 0; i < h->exception_count; i++)
        if (h->exceptions[i].day == day)
            return &h->exceptions[i].hours;
    for (size_t i = 0; i < h->closure_count; i++)
        if (day >= h->closures[i].from && day <= h->closures[i].to)
            return &closed;
    return &h->week[wday_of(day)];
}

/* Local wall time (day, minute; minute may pass 1440) to a time, with TZ
 * already set. A repeated wall time (the autumn hour) takes the earlier
 * instant; one that does not exist (the spring gap) moves forward. */
static time_t local_time(int32_t day, int minute)
{
    int y, m, d;
    struct tm base = {0}, t, back;
    time_t best = (time_t)-1;

    day += minute / DAY_MIN;
    minute %= DAY_MIN;
    content_civil_from_days(day, &y, &m, &d);
    base.tm_year = y - 1900;
    base.tm_mon = m - 1;
    base.tm_mday = d;
    base.tm_hour = minute / 60;
    base.tm_min = minute % 60;
    for (int dst = 0; dst <= 1; dst++) {
        time_t v;

        t = base;
        t.tm_isdst = dst;
        v = mktime(&t);
        if (v == (time_t)-1 || !localtime_r(&v, &back))
            continue;
        if (back.tm_mday == d && back.tm_hour == base.tm_hour && back.tm_min == base.tm_min &&
            (best == (time_t)-1 || v < best))
            best = v;
    }
    if (best == (time_t)-1) {
        /* in the gap: the first instant after it */
        t = base;
        t.tm_isdst = 0; /* read as standard time: lands after the gap */
        best = mktime(&t);
    }
    return best;
}

wm_status_t content_hours_status(const content_hours_t *hours, const char *tz, time_t now,
                                 content_open_t *out)
{
    interval_t iv[(CONTENT_HORIZON_DAYS + 2) * CONTENT_SPANS_MAX];
    size_t n = 0;
    char *saved = NULL;
    const char *old;
    struct tm lt;
    int32_t today;
    content_open_t res = {0};
    time_t event = 0;

    static char known[208]; /* the last zone found valid: a screen asks for many services */

    if (!tz || (strcmp(tz, known) != 0 && !content_timezone_valid(tz)))
        return wm_error(WM_EINVAL, "content: unknown time zone '%s'", tz ? tz : "(none)");
    snprintf(known, sizeof(known), "%s", tz);
    old = getenv("TZ");
    if (old && !(saved = wm_strdup(old)))
        return wm_error(WM_ENOMEM, "content: out of memory");
    setenv("TZ", tz, 1);
    tzset();
    localtime_r(&now, &lt);
    today = content_days_from_civil(lt.tm_year + 1900, lt.tm_mon + 1, lt.tm_mday);
    for (int32_t d = today - 1; d <= today + CONTENT_HORIZON_DAYS; d++) {
        const content_day_t *day = hours_of_day(hours, d);

        for (size_t i = 0; i < day->count; i++) {
            iv[n].start = local_time(d, day->span[i].start);
            iv[n].end = local_time(d, day->span[i].end);
            n++;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (iv[i].start <= now && now < iv[i].end && (!res.open || iv[i].end > res.until)) {
            res.open = true;
            res.until = iv[i].end;
        }
    }
    if (res.open) {
        /* back-to-back spans (a night split at midnight) are one opening */
        bool grew = true;

        while (grew) {
            grew = false;
            for (size_t i = 0; i < n; i++)
                if (iv[i].start <= res.until && iv[i].end > res.until) {
                    res.until = iv[i].end;
                    grew = true;
                }
        }
        /* still open on the horizon's last day: no closing time in sight */
        if (res.until >= local_time(today + CONTENT_HORIZON_DAYS, DAY_MIN - 1))
            res.until = 0;
        event = res.until;
    } else {
        for (size_t i = 0; i < n; i++)
            if (iv[i].start > now && (!res.next_open || iv[i].start < res.next_open))
                res.next_open = iv[i].start;
        event = res.next_open;
    }
    if (event) {
        struct tm et;

        localtime_r(&event, &et);
        res.days_ahead =
            (int)(content_days_from_civil(et.tm_year + 1900, et.tm_mon + 1, et.tm_mday) - today);
        res.wday = (et.tm_wday + 6) % 7;
        res.hour = et.tm_hour;
        res.minute = et.tm_min;
    }
    if (saved) {
        setenv("TZ", saved, 1);
        wm_free(saved);
    } else {
        unsetenv("TZ");
    }
    tzset();
    *out = res;
    return WM_OK;
}

/* ---- parsing ------------------------------------------------------------- */

static bool parse_date(const char *s, int32_t *day)
{
    int y, m, d, yy, mm, dd;
    char tail;

    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || s[4] != '-' ||
        s[7] != '-' || m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    *day = content_days_from_civil(y, m, d);
    content_civil_from_days(*day, &yy, &mm, &dd);
    return yy == y && mm == m && dd == d; /* no 30 February */
}

/* "HH:MM-HH:MM" into minutes; false with a reason in why. */
static bool parse_span(const char *s, content_span_t *out, const char **why)
{
    int h1, m1, h2, m2, n = 0;

    if (sscanf(s, "%2d:%2d-%2d:%2d%n", &h1, &m1, &h2, &m2, &n) != 4 || s[n] != '\0' ||
        strlen(s) != 11) {
        *why = "is not HH:MM-HH:MM";
        return false;
    }
    if (h1 > 23 || h2 > 24 || m1 > 59 || m2 > 59 || h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0 ||
        (h2 == 24 && m2 != 0)) {
        *why = "is not a time of day (00:00 to 24:00)";
        return false;
    }
    out->start = (uint16_t)(h1 * 60 + m1);
    out->end = (uint16_t)(h2 * 60 + m2);
    if (out->end == out->start) {
        *why = "opens and closes at the same time (00:00-24:00 is the whole day)";
        return false;
    }
    if (out->end < out->start)
        out->end += DAY_MIN; /* past midnight */
    return true;
}

static int span_cmp(const void *a, const void *b)
{
    const content_span_t *x = a, *y = b;

    return (x->start > y->start) - (x->start < y->start);
}

static bool parse_spans(const content_json_t *doc, const cJSON *list, const char *file,
                        content_report_t *r, const char *what, content_day_t *out)
{
    const cJSON *it;
    const char *why = NULL;

    memset(out, 0, sizeof(*out));
    if (!cJSON_IsArray(list)) {
        content_report_add(r, CONTENT_ISSUE_ERROR, "hours", file, content_json_line(doc, list),
                           NULL, "hours", "%s: hours are a list such as [\"09:00-17:00\"]", what);
        return false;
    }
    if (cJSON_GetArraySize(list) > CONTENT_SPANS_MAX) {
        content_report_add(r, CONTENT_ISSUE_ERROR, "hours", file, content_json_line(doc, list),
                           NULL, "hours", "%s: more than %d spans in a day", what,
                           CONTENT_SPANS_MAX);
        return false;
    }
    cJSON_ArrayForEach(it, list)
    {
        if (!cJSON_IsString(it) || !parse_span(it->valuestring, &out->span[out->count], &why)) {
            content_report_add(r, CONTENT_ISSUE_ERROR, "hours", file, content_json_line(doc, it),
                               NULL, "hours", "%s: '%s' %s", what,
                               cJSON_IsString(it) ? it->valuestring : "?",
                               why ? why : "is not HH:MM-HH:MM");
            return false;
        }
        out->count++;
    }
    qsort(out->span, out->count, sizeof(out->span[0]), span_cmp);
    for (size_t i = 1; i < out->count; i++)
        if (out->span[i].start < out->span[i - 1].end) {
            content_report_add(r, CONTENT_ISSUE_ERROR, "hours", file, content_json_line(doc, list),
                               NULL, "hours", "%s: spans overlap", what);
            return false;
        }
    return true;
}

static int wday_of(int32_t day)
{
    /* 1970-01-01 was a Thursday (3 with Monday = 0) */
    int w = (int)((day + 3) % 7);

    return w < 0 ? w + 7 : w;
}
