/*
 * cmd_status.c: `waymark status [--json | --prom FILE] [options]`: the
 * booth's hardware and content status for maintenance crews (text), for
 * scripts (JSON, schema in hw/status.schema.json) and for fleet monitoring
 * (the Prometheus text format, written atomically, for node_exporter's
 * textfile collector). No network is needed or used.
 *
 * Exit status: 0 nothing needs attention, 1 something does (a check at
 * warn or fail) or the output could not be written, 2 usage error.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "kiosk.h"
#include "status.h"

#define STATUS_FILE_MAX (1024 * 1024)
#define MIB             (1024.0 * 1024.0)
#define GIB             (1024.0 * MIB)

typedef struct {
    bool json, sim;
    const char *prom, *config, *data_dir, *content;
    char printer[KIOSK_PATH_MAX];
    bool printer_set;
} status_opts_t;

static int parse_args(int argc, char **argv, status_opts_t *o, kiosk_options_t *cfg);
static int usage_error(const char *fmt, ...) WM_PRINTF(1, 2);
static void size_text(char *buf, size_t size, long long bytes);
static void prom_gauge(FILE *f, const char *name, const char *help, double v, bool have);
static cJSON *json_level(cJSON *parent, const char *name, hw_level_t level);
static void json_num(cJSON *o, const char *key, double v, bool have);
static void json_str(cJSON *o, const char *key, const char *v);

int kiosk_cmd_status(int argc, char **argv)
{
    status_opts_t o;
    kiosk_options_t cfg;
    kiosk_status_t st;
    const char *data_dir;
    int rc;

    rc = parse_args(argc, argv, &o, &cfg);
    if (rc >= 0)
        return rc;
    data_dir = o.data_dir ? o.data_dir : cfg.data_dir;
    memset(&st, 0, sizeof(st));
    hw_status_probe(o.sim ? HW_PROBES_SIM : HW_PROBES_REAL, o.printer, data_dir, &st.hw);
    if (o.sim) {
        /* the printer is asked for real: a sim: URI simulates it */
        snprintf(st.hw.printer_uri, sizeof(st.hw.printer_uri), "%.*s",
                 (int)sizeof(st.hw.printer_uri) - 1, o.printer);
        hw_probes(HW_PROBES_REAL)[0]->probe(&st.hw);
    }
    kiosk_status_app_read(
        data_dir, o.content ? o.content : (cfg.content_dir[0] ? cfg.content_dir : NULL), &st.app);
    kiosk_status_keys_read(cfg.keys_dir, data_dir, &st.app);
    st.probed_at = (long long)time(NULL);

    if (o.prom) {
        if (kiosk_status_write_prom_file(&st, o.prom) != WM_OK) {
            fprintf(stderr, "waymark: status: %s\n", wm_last_error());
            return 1;
        }
    }
    if (o.json) {
        if (kiosk_status_write_json(&st, stdout) != WM_OK) {
            fprintf(stderr, "waymark: status: %s\n", wm_last_error());
            return 1;
        }
    } else if (!o.prom) {
        if (kiosk_status_write_text(&st, stdout) != WM_OK) {
            fprintf(stderr, "waymark: status: %s\n", wm_last_error());
            return 1;
        }
    }
    return hw_status_level(&st.hw) == HW_LEVEL_OK ? 0 : 1;
}

void kiosk_cmd_status_usage(FILE *f)
{
    fputs("usage: waymark status [--json | --prom FILE] [options]\n"
          "\n"
          "The booth's status: printer (transport, state, paper), display, touch,\n"
          "storage of the data folder, CPU temperature and throttling, memory, uptime,\n"
          "content version and install time, last update, firmware version. Each check\n"
          "is ok, warn, fail or not_available.\n"
          "\n"
          "  --json           one JSON object on stdout (schema: hw/status.schema.json)\n"
          "  --prom FILE      write the Prometheus text format to FILE atomically (for\n"
          "                   node_exporter's textfile collector: FILE ending in .prom)\n"
          "  --printer URI    the printer to ask (default: the configuration's, else sim:)\n"
          "  --data-dir DIR   the data folder (default: configuration, else " KIOSK_DEFAULT_DATA_DIR
          ")\n"
          "  --content DIR    the content folder when DATA_DIR/content has none\n"
          "  --config FILE    configuration file (default " KIOSK_DEFAULT_CONFIG " when it\n"
          "                   exists)\n"
          "  --sim            simulated probes (a healthy booth) for all but the printer\n"
          "\n"
          "Exit status: 0 nothing needs attention, 1 something does (or the output could\n"
          "not be written), 2 usage error.\n",
          f);
}

void kiosk_status_app_read(const char *data_dir, const char *content_dir, kiosk_status_app_t *app)
{
    char path[KIOSK_PATH_MAX * 2], *text;
    content_store_t *store = NULL;
    struct stat sb;
    cJSON *root;

    memset(app, 0, sizeof(*app));
    app->content_installed = -1;
    /* installed bundles: the set a booth would show now (current, else
     * previous), asked of content/'s store without changing anything */
    if (content_store_open(data_dir, NULL, CONTENT_STORE_READONLY, &store) == WM_OK &&
        content_store_origin(store) != CONTENT_STORE_FACTORY) {
        snprintf(app->content_path, sizeof(app->content_path), "%s", content_store_dir(store));
        snprintf(app->content_version, sizeof(app->content_version), "%llu",
                 (unsigned long long)content_store_version(store));
        /* installed when `current` was switched to it (a rename) */
        snprintf(path, sizeof(path), "%s/bundles/current", data_dir);
        if (content_store_origin(store) == CONTENT_STORE_PREVIOUS)
            snprintf(path, sizeof(path), "%s/..", content_store_dir(store));
        if (lstat(path, &sb) == 0)
            app->content_installed = (long long)sb.st_mtime;
        content_store_destroy(store);
        goto last_update;
    }
    content_store_destroy(store);
    snprintf(path, sizeof(path), "%s/content/content.json", data_dir);
    if (stat(path, &sb) == 0) {
        snprintf(app->content_path, sizeof(app->content_path), "%s/content", data_dir);
    } else if (content_dir) {
        snprintf(path, sizeof(path), "%s/content.json", content_dir);
        if (stat(path, &sb) == 0)
            snprintf(app->content_path, sizeof(app->content_path), "%s", content_dir);
    }
    if (app->content_path[0]) {
        app->content_installed = (long long)sb.st_mtime;
        if (wm_file_read(path, STATUS_FILE_MAX, true, &text, NULL) == WM_OK) {
            cJSON *v;
            root = cJSON_Parse(text);
            v = cJSON_GetObjectItemCaseSensitive(root, "version");
            if (cJSON_IsString(v))
                snprintf(app->content_version, sizeof(app->content_version), "%s", v->valuestring);
            else if (cJSON_IsNumber(v))
                snprintf(app->content_version, sizeof(app->content_version), "%g", v->valuedouble);
            cJSON_Delete(root);
            wm_free(text);
        }
    }
last_update:
    snprintf(path, sizeof(path), "%s/last-update", data_dir);
    if (wm_file_read(path, STATUS_FILE_MAX, true, &text, NULL) == WM_OK) {
        size_t len = strcspn(text, "\n");
        if (len >= sizeof(app->last_update))
            len = sizeof(app->last_update) - 1;
        memcpy(app->last_update, text, len);
        app->last_update[len] = '\0';
        wm_free(text);
    }
}

wm_status_t kiosk_status_write_text(const kiosk_status_t *st, FILE *f)
{
    const hw_status_t *h = &st->hw;
    char a[64], b[64];
    hw_level_t l = hw_status_level(h);

    fprintf(f, "waymark %s\n", WAYMARK_VERSION);
    if (!h->printer_uri[0])
        fprintf(f, "  %-8s %-13s %s\n", "printer", "not_available", "none configured");
    else if (h->printer_error[0])
        fprintf(f, "  %-8s %-13s %s: %s\n", "printer", hw_level_name(hw_status_printer_level(h)),
                hw_printer_state_text(h->printer_state), h->printer_error);
    else
        fprintf(f, "  %-8s %-13s %s (%s)\n", "printer", hw_level_name(hw_status_printer_level(h)),
                hw_printer_state_text(h->printer_state), h->printer_uri);
    if (h->display_connected)
        fprintf(f, "  %-8s %-13s %s (%s), %dx%d\n", "display",
                hw_level_name(hw_status_display_level(h)), h->display_name,
                h->display_driver[0] ? h->display_driver : "driver unknown", h->display_width,
                h->display_height);
    else
        fprintf(f, "  %-8s %-13s %s\n", "display", hw_level_name(hw_status_display_level(h)),
                h->display_present ? "nothing connected" : "no DRM device");
    if (h->touch_devices > 0)
        fprintf(f, "  %-8s %-13s %d device%s (%s)\n", "touch",
                hw_level_name(hw_status_touch_level(h)), h->touch_devices,
                h->touch_devices == 1 ? "" : "s", h->touch_name);
    else
        fprintf(f, "  %-8s %-13s %s\n", "touch", hw_level_name(hw_status_touch_level(h)),
                h->touch_present ? "no touch device found" : "no input devices");
    if (h->storage_free_bytes >= 0) {
        size_text(a, sizeof(a), h->storage_free_bytes);
        size_text(b, sizeof(b), h->storage_total_bytes);
        fprintf(f, "  %-8s %-13s %s free of %s (%s)\n", "storage",
                hw_level_name(hw_status_storage_level(h)), a, b, h->storage_path);
    } else {
        fprintf(f, "  %-8s %-13s %s: cannot be read\n", "storage",
                hw_level_name(hw_status_storage_level(h)), h->storage_path);
    }
    if (h->cpu_temp_c >= 0)
        snprintf(a, sizeof(a), "%.1f °C", h->cpu_temp_c);
    else
        snprintf(a, sizeof(a), "temperature not available");
    if (h->throttled < 0)
        snprintf(b, sizeof(b), "throttling not available");
    else if (h->throttled & 0xf)
        snprintf(b, sizeof(b), "throttled now (0x%lx)", h->throttled);
    else
        snprintf(b, sizeof(b), "not throttled (0x%lx)", h->throttled);
    fprintf(f, "  %-8s %-13s %s, %s\n", "thermal", hw_level_name(hw_status_thermal_level(h)), a, b);
    if (h->mem_available_bytes >= 0) {
        size_text(a, sizeof(a), h->mem_available_bytes);
        size_text(b, sizeof(b), h->mem_total_bytes);
        fprintf(f, "  %-8s %-13s %s available of %s\n", "memory",
                hw_level_name(hw_status_memory_level(h)), a, b);
    } else {
        fprintf(f, "  %-8s %-13s %s\n", "memory", "not_available", "not available");
    }
    if (h->uptime_s >= 0)
        fprintf(f, "  %-22s %lld h %02lld min\n", "uptime", (long long)h->uptime_s / 3600,
                ((long long)h->uptime_s % 3600) / 60);
    if (st->app.content_path[0]) {
        char when[32] = "unknown";
        if (st->app.content_installed >= 0) {
            time_t t = (time_t)st->app.content_installed;
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
        }
        fprintf(f, "  %-22s %s, version %s, installed %s\n", "content", st->app.content_path,
                st->app.content_version[0] ? st->app.content_version : "not declared", when);
    } else {
        fprintf(f, "  %-22s %s\n", "content", "not found");
    }
    fprintf(f, "  %-22s %s\n", "last update",
            st->app.last_update[0] ? st->app.last_update : "none recorded");
    if (st->app.keys_trusted_count >= 0)
        fprintf(f, "  %-22s trusted %s (%d needed); revoked %s\n", "signing keys",
                st->app.keys_trusted, st->app.keys_threshold,
                st->app.keys_revoked[0] ? st->app.keys_revoked : "none");
    else if (st->app.keys_error[0])
        fprintf(f, "  %-22s %s\n", "signing keys", st->app.keys_error);
    fprintf(f, "%s\n",
            l == HW_LEVEL_OK     ? "nothing needs attention"
            : l == HW_LEVEL_WARN ? "needs attention soon"
                                 : "NEEDS ATTENTION NOW");
    return ferror(f) || fflush(f) != 0 ? wm_error(WM_EIO, "cannot write the status") : WM_OK;
}

wm_status_t kiosk_status_write_json(const kiosk_status_t *st, FILE *f)
{
    const hw_status_t *h = &st->hw;
    cJSON *root = cJSON_CreateObject(), *o;
    hw_level_t l = hw_status_level(h);
    char *text;
    wm_status_t rc = WM_OK;

    if (!root)
        return wm_error(WM_ENOMEM, "status: out of memory");
    cJSON_AddNumberToObject(root, "schema", 1);
    cJSON_AddStringToObject(root, "firmware", WAYMARK_VERSION);
    cJSON_AddNumberToObject(root, "probed_at", (double)st->probed_at);
    cJSON_AddStringToObject(root, "level", hw_level_name(l));
    cJSON_AddBoolToObject(root, "attention", l != HW_LEVEL_OK);

    o = json_level(root, "printer", hw_status_printer_level(h));
    json_str(o, "uri", h->printer_uri);
    json_str(o, "transport", h->printer_transport);
    cJSON_AddStringToObject(o, "state", hw_printer_state_name(h->printer_state));
    json_str(o, "error", h->printer_error);

    o = json_level(root, "display", hw_status_display_level(h));
    cJSON_AddBoolToObject(o, "connected", h->display_connected);
    json_str(o, "connector", h->display_name);
    json_str(o, "driver", h->display_driver);
    json_num(o, "width", h->display_width, h->display_width >= 0);
    json_num(o, "height", h->display_height, h->display_height >= 0);

    o = json_level(root, "touch", hw_status_touch_level(h));
    cJSON_AddNumberToObject(o, "devices", h->touch_devices);
    json_str(o, "name", h->touch_name);

    o = json_level(root, "storage", hw_status_storage_level(h));
    json_str(o, "path", h->storage_path);
    json_num(o, "free_bytes", (double)h->storage_free_bytes, h->storage_free_bytes >= 0);
    json_num(o, "total_bytes", (double)h->storage_total_bytes, h->storage_total_bytes >= 0);

    o = json_level(root, "thermal", hw_status_thermal_level(h));
    json_num(o, "cpu_temp_c", h->cpu_temp_c, h->cpu_temp_c >= 0);
    json_num(o, "throttled", (double)h->throttled, h->throttled >= 0);

    o = json_level(root, "memory", hw_status_memory_level(h));
    json_num(o, "total_bytes", (double)h->mem_total_bytes, h->mem_total_bytes >= 0);
    json_num(o, "available_bytes", (double)h->mem_available_bytes, h->mem_available_bytes >= 0);

    json_num(root, "uptime_s", h->uptime_s, h->uptime_s >= 0);

    o = cJSON_AddObjectToObject(root, "content");
    json_str(o, "path", st->app.content_path);
    json_str(o, "version", st->app.content_version);
    json_num(o, "installed", (double)st->app.content_installed, st->app.content_installed >= 0);
    json_str(root, "last_update", st->app.last_update);
    if (st->app.keys_trusted_count >= 0 || st->app.keys_error[0]) {
        cJSON *arr;
        char ids[KIOSK_STATUS_KEYS_MAX];
        o = cJSON_AddObjectToObject(root, "keys");
        for (int w = 0; w < 2; w++) {
            arr = cJSON_AddArrayToObject(o, w ? "revoked" : "trusted");
            snprintf(ids, sizeof(ids), "%s", w ? st->app.keys_revoked : st->app.keys_trusted);
            for (char *save = NULL, *id = strtok_r(ids, " ", &save); id && arr;
                 id = strtok_r(NULL, " ", &save))
                cJSON_AddItemToArray(arr, cJSON_CreateString(id));
        }
        json_num(o, "threshold", st->app.keys_threshold, st->app.keys_threshold > 0);
        json_str(o, "error", st->app.keys_error);
    }

    text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return wm_error(WM_ENOMEM, "status: out of memory");
    if (fprintf(f, "%s\n", text) < 0 || fflush(f) != 0)
        rc = wm_error(WM_EIO, "cannot write the status");
    cJSON_free(text);
    return rc;
}

wm_status_t kiosk_status_write_prom(const kiosk_status_t *st, FILE *f)
{
    static const struct {
        const char *name;
        hw_level_t (*level)(const hw_status_t *);
    } checks[] = {
        {"printer", hw_status_printer_level}, {"display", hw_status_display_level},
        {"touch", hw_status_touch_level},     {"storage", hw_status_storage_level},
        {"thermal", hw_status_thermal_level}, {"memory", hw_status_memory_level},
    };
    const hw_status_t *h = &st->hw;

    fputs("# HELP waymark_info The booth's firmware version.\n"
          "# TYPE waymark_info gauge\n",
          f);
    fprintf(f, "waymark_info{version=\"%s\"} 1\n", WAYMARK_VERSION);
    prom_gauge(f, "waymark_attention", "1 when something on the booth needs attention.",
               hw_status_level(h) != HW_LEVEL_OK, true);
    fputs("# HELP waymark_check_level Each check: 0 ok, 1 warn, 2 fail (not available: "
          "absent).\n"
          "# TYPE waymark_check_level gauge\n",
          f);
    for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
        hw_level_t l = checks[i].level(h);
        if (l != HW_LEVEL_NA)
            fprintf(f, "waymark_check_level{check=\"%s\"} %d\n", checks[i].name,
                    l == HW_LEVEL_OK     ? 0
                    : l == HW_LEVEL_WARN ? 1
                                         : 2);
    }
    if (h->printer_uri[0]) {
        fputs("# HELP waymark_printer_state The printer's state: 1 for the current one.\n"
              "# TYPE waymark_printer_state gauge\n",
              f);
        for (int i = 0; i < HW_PRINTER_STATE_COUNT; i++)
            fprintf(f, "waymark_printer_state{transport=\"%s\",state=\"%s\"} %d\n",
                    h->printer_transport, hw_printer_state_name((hw_printer_state_t)i),
                    (int)h->printer_state == i);
    }
    prom_gauge(f, "waymark_display_connected", "1 when a display is connected.",
               h->display_connected, h->display_present);
    prom_gauge(f, "waymark_touch_devices", "Touch input devices found.", h->touch_devices,
               h->touch_present);
    prom_gauge(f, "waymark_storage_free_bytes", "Free space of the data folder for the booth.",
               (double)h->storage_free_bytes, h->storage_free_bytes >= 0);
    prom_gauge(f, "waymark_storage_size_bytes", "Size of the data folder's file system.",
               (double)h->storage_total_bytes, h->storage_total_bytes >= 0);
    prom_gauge(f, "waymark_cpu_temperature_celsius", "CPU temperature.", h->cpu_temp_c,
               h->cpu_temp_c >= 0);
    prom_gauge(f, "waymark_throttled_flags", "Raspberry Pi firmware get_throttled bits.",
               (double)h->throttled, h->throttled >= 0);
    prom_gauge(f, "waymark_memory_size_bytes", "Memory in total.", (double)h->mem_total_bytes,
               h->mem_total_bytes >= 0);
    prom_gauge(f, "waymark_memory_available_bytes", "Memory available.",
               (double)h->mem_available_bytes, h->mem_available_bytes >= 0);
    prom_gauge(f, "waymark_uptime_seconds", "Time since the system started.", h->uptime_s,
               h->uptime_s >= 0);
    prom_gauge(f, "waymark_content_installed_timestamp_seconds",
               "When the content in use was installed.", (double)st->app.content_installed,
               st->app.content_installed >= 0);
    prom_gauge(f, "waymark_keys_trusted", "Signing keys the booth trusts.",
               st->app.keys_trusted_count, st->app.keys_trusted_count >= 0);
    prom_gauge(f, "waymark_keys_revoked", "Signing keys the booth revoked.",
               st->app.keys_revoked_count, st->app.keys_revoked_count >= 0);
    prom_gauge(f, "waymark_status_timestamp_seconds", "When this status was taken.",
               (double)st->probed_at, true);
    return ferror(f) ? wm_error(WM_EIO, "cannot write the metrics") : WM_OK;
}

wm_status_t kiosk_status_write_prom_file(const kiosk_status_t *st, const char *path)
{
    char tmp[KIOSK_PATH_MAX + 32];
    FILE *f;
    int fd;
    wm_status_t rc;

    if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >= (int)sizeof(tmp))
        return wm_error(WM_EINVAL, "%s: path too long", path);
    fd = mkstemp(tmp);
    if (fd < 0)
        return wm_error(WM_EIO, "%s: cannot create a temporary file: %s", path, strerror(errno));
    fchmod(fd, 0644); /* the collector runs as another user */
    f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp);
        return wm_error(WM_EIO, "%s: %s", path, strerror(errno));
    }
    rc = kiosk_status_write_prom(st, f);
    if (rc == WM_OK && (fflush(f) != 0 || fsync(fileno(f)) != 0))
        rc = wm_error(WM_EIO, "%s: cannot write: %s", path, strerror(errno));
    if (fclose(f) != 0 && rc == WM_OK)
        rc = wm_error(WM_EIO, "%s: cannot write: %s", path, strerror(errno));
    if (rc == WM_OK && rename(tmp, path) != 0)
        rc = wm_error(WM_EIO, "%s: cannot rename into place: %s", path, strerror(errno));
    if (rc != WM_OK)
        unlink(tmp);
    return rc;
}

static int parse_args(int argc, char **argv, status_opts_t *o, kiosk_options_t *cfg)
{
    memset(o, 0, sizeof(*o));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            kiosk_cmd_status_usage(stdout);
            return 0;
        }
        if (strcmp(a, "--json") == 0) {
            o->json = true;
            continue;
        }
        if (strcmp(a, "--sim") == 0) {
            o->sim = true;
            continue;
        }
        if (strncmp(a, "--", 2) != 0)
            return usage_error("unexpected argument '%s'", a);
        if (!v)
            return usage_error("%s needs a value", a);
        i++;
        if (strcmp(a, "--prom") == 0)
            o->prom = v;
        else if (strcmp(a, "--config") == 0)
            o->config = v;
        else if (strcmp(a, "--data-dir") == 0)
            o->data_dir = v;
        else if (strcmp(a, "--content") == 0)
            o->content = v;
        else if (strcmp(a, "--printer") == 0) {
            if (kiosk_parse_printer(v, o->printer) != WM_OK)
                return usage_error("%s", wm_last_error());
            o->printer_set = true;
        } else
            return usage_error("unknown option '%s'", a);
    }
    kiosk_options_default(cfg);
    if (o->config || access(KIOSK_DEFAULT_CONFIG, F_OK) == 0) {
        const char *path = o->config ? o->config : KIOSK_DEFAULT_CONFIG;
        if (kiosk_config_load(path, cfg) != WM_OK) {
            fprintf(stderr, "waymark: status: %s\n", wm_last_error());
            return 2;
        }
    }
    if (!o->printer_set)
        memcpy(o->printer, cfg->printer, sizeof(o->printer));
    return -1;
}

static int usage_error(const char *fmt, ...)
{
    va_list ap;

    fputs("waymark: status: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    kiosk_cmd_status_usage(stderr);
    return 2;
}

static void size_text(char *buf, size_t size, long long bytes)
{
    if (bytes >= (long long)GIB)
        snprintf(buf, size, "%.1f GiB", (double)bytes / GIB);
    else
        snprintf(buf, size, "%.0f MiB", (double)bytes / MIB);
}

static void prom_gauge(FILE *f, const char *name, const char *help, double v, bool have)
{
    if (!have)
        return;
    fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n%s %.17g\n", name, help, name, name, v);
}

static cJSON *json_level(cJSON *parent, const char *name, hw_level_t level)
{
    cJSON *o = cJSON_AddObjectToObject(parent, name);

    cJSON_AddStringToObject(o, "level", hw_level_name(level));
    return o;
}

static void json_num(cJSON *o, const char *key, double v, bool have)
{
    if (have)
        cJSON_AddNumberToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

static void json_str(cJSON *o, const char *key, const char *v)
{
    if (v && *v)
        cJSON_AddStringToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}
