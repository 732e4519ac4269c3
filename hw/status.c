/*
 * status.c: the probe tables (real and simulated), running them, and the
 * levels that say what needs attention.
 */
#include "hw_private.h"

#include <stdio.h>
#include <string.h>

#define MIB (1024LL * 1024LL)

static const hw_probe_t *const real_probes[] = {
    &hw_probe_printer, &hw_probe_display, &hw_probe_touch,  &hw_probe_storage,
    &hw_probe_thermal, &hw_probe_memory,  &hw_probe_uptime, NULL,
};

static const hw_probe_t *const sim_probes[] = {
    &hw_probe_sim_printer, &hw_probe_sim_display, &hw_probe_sim_touch,  &hw_probe_sim_storage,
    &hw_probe_sim_thermal, &hw_probe_sim_memory,  &hw_probe_sim_uptime, NULL,
};

static char probe_root[HW_URI_PATH_MAX];

static hw_level_t worst(hw_level_t a, hw_level_t b);

const char *hw_level_name(hw_level_t level)
{
    switch (level) {
    case HW_LEVEL_OK:
        return "ok";
    case HW_LEVEL_NA:
        return "not_available";
    case HW_LEVEL_WARN:
        return "warn";
    case HW_LEVEL_FAIL:
        return "fail";
    }
    return "fail";
}

const hw_probe_t *const *hw_probes(hw_probe_set_t set)
{
    return set == HW_PROBES_SIM ? sim_probes : real_probes;
}

void hw_probe_set_root(const char *root)
{
    snprintf(probe_root, sizeof(probe_root), "%s", root ? root : "");
}

const char *hw_probe_root(void)
{
    return probe_root;
}

void hw_status_probe(hw_probe_set_t set, const char *printer_uri, const char *data_dir,
                     hw_status_t *st)
{
    const hw_probe_t *const *probes = hw_probes(set);

    memset(st, 0, sizeof(*st));
    snprintf(st->printer_uri, sizeof(st->printer_uri), "%s", printer_uri ? printer_uri : "");
    snprintf(st->storage_path, sizeof(st->storage_path), "%s", data_dir ? data_dir : "");
    for (size_t i = 0; probes[i]; i++)
        probes[i]->probe(st);
}

hw_level_t hw_status_printer_level(const hw_status_t *st)
{
    if (!st->printer_uri[0])
        return HW_LEVEL_NA;
    switch (st->printer_state) {
    case HW_PRINTER_READY:
        return HW_LEVEL_OK;
    case HW_PRINTER_PAPER_NEAR_END:
    case HW_PRINTER_UNKNOWN:
        return HW_LEVEL_WARN;
    default:
        return HW_LEVEL_FAIL;
    }
}

hw_level_t hw_status_display_level(const hw_status_t *st)
{
    if (!st->display_present)
        return HW_LEVEL_NA;
    return st->display_connected ? HW_LEVEL_OK : HW_LEVEL_FAIL;
}

hw_level_t hw_status_touch_level(const hw_status_t *st)
{
    if (!st->touch_present)
        return HW_LEVEL_NA;
    return st->touch_devices > 0 ? HW_LEVEL_OK : HW_LEVEL_WARN;
}

hw_level_t hw_status_storage_level(const hw_status_t *st)
{
    if (st->storage_free_bytes < 0 || st->storage_total_bytes <= 0)
        return HW_LEVEL_NA;
    if (st->storage_free_bytes < 32 * MIB)
        return HW_LEVEL_FAIL;
    if (st->storage_free_bytes < 256 * MIB || st->storage_free_bytes * 10 < st->storage_total_bytes)
        return HW_LEVEL_WARN;
    return HW_LEVEL_OK;
}

hw_level_t hw_status_thermal_level(const hw_status_t *st)
{
    hw_level_t l = HW_LEVEL_NA;

    if (st->cpu_temp_c >= 0)
        l = st->cpu_temp_c >= 80   ? HW_LEVEL_FAIL
            : st->cpu_temp_c >= 70 ? HW_LEVEL_WARN
                                   : HW_LEVEL_OK;
    if (st->throttled >= 0) {
        hw_level_t t = (st->throttled & 0x7)   ? HW_LEVEL_FAIL
                       : (st->throttled & 0x8) ? HW_LEVEL_WARN
                                               : HW_LEVEL_OK;
        l = l == HW_LEVEL_NA ? t : worst(l, t);
    }
    return l;
}

hw_level_t hw_status_memory_level(const hw_status_t *st)
{
    if (st->mem_available_bytes < 0)
        return HW_LEVEL_NA;
    return st->mem_available_bytes < 64 * MIB ? HW_LEVEL_WARN : HW_LEVEL_OK;
}

hw_level_t hw_status_level(const hw_status_t *st)
{
    hw_level_t l = HW_LEVEL_OK;

    l = worst(l, hw_status_printer_level(st));
    l = worst(l, hw_status_display_level(st));
    l = worst(l, hw_status_touch_level(st));
    l = worst(l, hw_status_storage_level(st));
    l = worst(l, hw_status_thermal_level(st));
    l = worst(l, hw_status_memory_level(st));
    return l == HW_LEVEL_NA ? HW_LEVEL_OK : l;
}

/* The more pressing of two levels; not available ranks with ok. */
static hw_level_t worst(hw_level_t a, hw_level_t b)
{
    int ra = a == HW_LEVEL_NA ? 0 : (int)a, rb = b == HW_LEVEL_NA ? 0 : (int)b;

    return rb > ra ? b : a;
}
