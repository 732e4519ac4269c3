/*
 * probe_sim.c: the simulated twins of every probe, for tests and for
 * machines without the hardware: each copies its part of the values given
 * to hw_probe_sim_set() (a healthy booth until then).
 */
#include "hw_private.h"

#include <stdio.h>
#include <string.h>

static hw_status_t sim_values;
static bool sim_set;

static const hw_status_t *values(void);
static void sim_printer(hw_status_t *st);
static void sim_display(hw_status_t *st);
static void sim_touch(hw_status_t *st);
static void sim_storage(hw_status_t *st);
static void sim_thermal(hw_status_t *st);
static void sim_memory(hw_status_t *st);
static void sim_uptime(hw_status_t *st);

const hw_probe_t hw_probe_sim_printer = {"printer", sim_printer};
const hw_probe_t hw_probe_sim_display = {"display", sim_display};
const hw_probe_t hw_probe_sim_touch = {"touch", sim_touch};
const hw_probe_t hw_probe_sim_storage = {"storage", sim_storage};
const hw_probe_t hw_probe_sim_thermal = {"thermal", sim_thermal};
const hw_probe_t hw_probe_sim_memory = {"memory", sim_memory};
const hw_probe_t hw_probe_sim_uptime = {"uptime", sim_uptime};

void hw_probe_sim_defaults(hw_status_t *v)
{
    memset(v, 0, sizeof(*v));
    snprintf(v->printer_uri, sizeof(v->printer_uri), "sim:");
    snprintf(v->printer_transport, sizeof(v->printer_transport), "sim");
    v->printer_state = HW_PRINTER_READY;
    v->display_present = v->display_connected = true;
    snprintf(v->display_name, sizeof(v->display_name), "card1-DSI-1");
    snprintf(v->display_driver, sizeof(v->display_driver), "vc4-drm");
    v->display_width = 1080;
    v->display_height = 1920;
    v->touch_present = true;
    v->touch_devices = 1;
    snprintf(v->touch_name, sizeof(v->touch_name), "simulated touch panel");
    snprintf(v->storage_path, sizeof(v->storage_path), "/var/lib/waymark");
    v->storage_free_bytes = 8LL << 30;
    v->storage_total_bytes = 16LL << 30;
    v->cpu_temp_c = 48.5;
    v->throttled = 0;
    v->mem_total_bytes = 1LL << 30;
    v->mem_available_bytes = 600LL << 20;
    v->uptime_s = 3600;
}

void hw_probe_sim_set(const hw_status_t *v)
{
    if (!v) {
        sim_set = false;
        return;
    }
    sim_values = *v;
    sim_set = true;
}

static const hw_status_t *values(void)
{
    if (!sim_set) {
        hw_probe_sim_defaults(&sim_values);
        sim_set = true;
    }
    return &sim_values;
}

static void sim_printer(hw_status_t *st)
{
    const hw_status_t *v = values();

    memcpy(st->printer_uri, v->printer_uri, sizeof(st->printer_uri));
    memcpy(st->printer_transport, v->printer_transport, sizeof(st->printer_transport));
    memcpy(st->printer_error, v->printer_error, sizeof(st->printer_error));
    st->printer_state = v->printer_state;
}

static void sim_display(hw_status_t *st)
{
    const hw_status_t *v = values();

    st->display_present = v->display_present;
    st->display_connected = v->display_connected;
    memcpy(st->display_name, v->display_name, sizeof(st->display_name));
    memcpy(st->display_driver, v->display_driver, sizeof(st->display_driver));
    st->display_width = v->display_width;
    st->display_height = v->display_height;
}

static void sim_touch(hw_status_t *st)
{
    const hw_status_t *v = values();

    st->touch_present = v->touch_present;
    st->touch_devices = v->touch_devices;
    memcpy(st->touch_name, v->touch_name, sizeof(st->touch_name));
}

static void sim_storage(hw_status_t *st)
{
    const hw_status_t *v = values();

    st->storage_free_bytes = v->storage_free_bytes;
    st->storage_total_bytes = v->storage_total_bytes;
}

static void sim_thermal(hw_status_t *st)
{
    st->cpu_temp_c = values()->cpu_temp_c;
    st->throttled = values()->throttled;
}

static void sim_memory(hw_status_t *st)
{
    st->mem_total_bytes = values()->mem_total_bytes;
    st->mem_available_bytes = values()->mem_available_bytes;
}

static void sim_uptime(hw_status_t *st)
{
    st->uptime_s = values()->uptime_s;
}
