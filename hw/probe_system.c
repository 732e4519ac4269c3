/*
 * probe_system.c: the "storage", "thermal", "memory" and "uptime" probes:
 *
 *   storage  statvfs() of the data folder (free for the booth, total)
 *   thermal  /sys/class/thermal/thermal_zone0/temp (millidegrees C) and,
 *            on a Raspberry Pi, the firmware's throttling bits from
 *            /sys/devices/platform/soc/soc:firmware/get_throttled
 *   memory   /proc/meminfo MemTotal and MemAvailable
 *   uptime   /proc/uptime
 *
 * What a machine lacks is reported as not available (-1), never guessed.
 */
#include "hw_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#define SMALL_FILE (64 * 1024)

static void probe_storage(hw_status_t *st);
static void probe_thermal(hw_status_t *st);
static void probe_memory(hw_status_t *st);
static void probe_uptime(hw_status_t *st);
static char *read_small(const char *rel);
static long long meminfo_kb(const char *text, const char *key);

const hw_probe_t hw_probe_storage = {"storage", probe_storage};
const hw_probe_t hw_probe_thermal = {"thermal", probe_thermal};
const hw_probe_t hw_probe_memory = {"memory", probe_memory};
const hw_probe_t hw_probe_uptime = {"uptime", probe_uptime};

static void probe_storage(hw_status_t *st)
{
    struct statvfs v;

    st->storage_free_bytes = st->storage_total_bytes = -1;
    if (!st->storage_path[0] || statvfs(st->storage_path, &v) != 0)
        return;
    st->storage_free_bytes = (long long)v.f_bavail * (long long)v.f_frsize;
    st->storage_total_bytes = (long long)v.f_blocks * (long long)v.f_frsize;
}

static void probe_thermal(hw_status_t *st)
{
    char *t;

    st->cpu_temp_c = -1;
    st->throttled = -1;
    if ((t = read_small("/sys/class/thermal/thermal_zone0/temp"))) {
        char *end;
        long m = strtol(t, &end, 10);
        if (end != t)
            st->cpu_temp_c = (double)m / 1000.0;
        wm_free(t);
    }
    if ((t = read_small("/sys/devices/platform/soc/soc:firmware/get_throttled"))) {
        char *end;
        long b = strtol(t, &end, 16);
        if (end != t && b >= 0)
            st->throttled = b;
        wm_free(t);
    }
}

static void probe_memory(hw_status_t *st)
{
    char *t = read_small("/proc/meminfo");
    long long total, avail;

    st->mem_total_bytes = st->mem_available_bytes = -1;
    if (!t)
        return;
    total = meminfo_kb(t, "MemTotal:");
    avail = meminfo_kb(t, "MemAvailable:");
    st->mem_total_bytes = total >= 0 ? total * 1024 : -1;
    st->mem_available_bytes = avail >= 0 ? avail * 1024 : -1;
    wm_free(t);
}

static void probe_uptime(hw_status_t *st)
{
    char *t = read_small("/proc/uptime"), *end;
    double up;

    st->uptime_s = -1;
    if (!t)
        return;
    up = strtod(t, &end);
    if (end != t && up >= 0)
        st->uptime_s = up;
    wm_free(t);
}

static char *read_small(const char *rel)
{
    char path[1024], *text;

    snprintf(path, sizeof(path), "%s%s", hw_probe_root(), rel);
    return wm_file_read(path, SMALL_FILE, true, &text, NULL) == WM_OK ? text : NULL;
}

static long long meminfo_kb(const char *text, const char *key)
{
    const char *p = strstr(text, key);
    char *end;
    long long v;

    if (!p)
        return -1;
    v = strtoll(p + strlen(key), &end, 10);
    return end == p + strlen(key) ? -1 : v;
}
