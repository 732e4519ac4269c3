/*
 * hw_private.h: what hw/'s files share and nobody else calls: the
 * transports' file-descriptor I/O (with its fault injection point), the
 * backends' tables and the sim backend's sink.
 */
#ifndef HW_PRIVATE_H
#define HW_PRIVATE_H

#include "hw.h"

/* The backends (printer_*.c). */
extern const hw_printer_backend_t hw_backend_sim;
extern const hw_printer_backend_t hw_backend_file;
extern const hw_printer_backend_t hw_backend_usblp;
extern const hw_printer_backend_t hw_backend_serial;
extern const hw_printer_backend_t hw_backend_tcp;

/* True when the transport I/O about to be made must fail (fault
 * injection); counts the call otherwise. Always false in release builds. */
bool hw_fault_io_hit(void);

/* Writes some of data to fd, waiting at most timeout_ms for it to take
 * anything (*done = 0 on timeout). what names the device in messages. */
wm_status_t hw_fd_write(int fd, const uint8_t *data, size_t len, int timeout_ms, size_t *done,
                        const char *what);

/* Reads what arrives on fd within timeout_ms (*got = 0: nothing). The
 * other end closing is WM_EIO ("... closed the connection"). */
wm_status_t hw_fd_read(int fd, uint8_t *buf, size_t cap, int timeout_ms, size_t *got,
                       const char *what);

/* The probes (probe_*.c) and the root the real ones read under. */
extern const hw_probe_t hw_probe_printer, hw_probe_display, hw_probe_touch, hw_probe_storage,
    hw_probe_thermal, hw_probe_memory, hw_probe_uptime;
extern const hw_probe_t hw_probe_sim_printer, hw_probe_sim_display, hw_probe_sim_touch,
    hw_probe_sim_storage, hw_probe_sim_thermal, hw_probe_sim_memory, hw_probe_sim_uptime;
const char *hw_probe_root(void);

/* The sim backend: where its jobs go. */
void hw_sim_backend_set_sink(void *impl, hw_sim_job_fn fn, void *ctx);

#endif
