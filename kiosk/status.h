/*
 * status.h: the booth's status for maintenance crews and fleet monitoring:
 * the hardware probes (hw.h) plus what only the application knows (content
 * version and install time, last update, firmware version), as text for
 * people, JSON for scripts (schema: hw/status.schema.json) and the
 * Prometheus text format for node_exporter's textfile collector. Used by
 * `waymark status` and, later, the maintenance screen.
 */
#ifndef KIOSK_STATUS_H
#define KIOSK_STATUS_H

#include <stdio.h>

#include "hw.h"

#define KIOSK_STATUS_TEXT_MAX 256

/* What the application adds; "" when not available. */
typedef struct {
    char content_path[KIOSK_STATUS_TEXT_MAX];    /* the content folder in use */
    char content_version[KIOSK_STATUS_TEXT_MAX]; /* its declared version */
    long long content_installed;                 /* Unix time, -1: not available */
    char last_update[KIOSK_STATUS_TEXT_MAX];     /* last update's result line */
} kiosk_status_app_t;

typedef struct {
    hw_status_t hw;
    kiosk_status_app_t app;
    long long probed_at; /* Unix time of the probe */
} kiosk_status_t;

/* Fills app from the data folder: the installed bundle when
 * DATA_DIR/bundles/current links to a set vN (version N, installed when
 * the link was switched), else DATA_DIR/content or content_dir (may be
 * NULL) with the "version" its content.json declares; DATA_DIR/last-update
 * (one line) for the last update's result. */
void kiosk_status_app_read(const char *data_dir, const char *content_dir, kiosk_status_app_t *app);

/* The three formats. Text: one line per check, its level and what was
 * found. JSON: one object (schema 1, hw/status.schema.json). Prometheus:
 * waymark_* gauges, HELP and TYPE for each, values only for what is
 * available. Return WM_EIO when f could not take it. */
wm_status_t kiosk_status_write_text(const kiosk_status_t *st, FILE *f);
wm_status_t kiosk_status_write_json(const kiosk_status_t *st, FILE *f);
wm_status_t kiosk_status_write_prom(const kiosk_status_t *st, FILE *f);

/* Writes the Prometheus text to path atomically: a temporary file in the
 * same folder, flushed to disk, renamed over path. */
wm_status_t kiosk_status_write_prom_file(const kiosk_status_t *st, const char *path);

#endif
