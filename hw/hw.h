/*
 * hw.h: receipt printers and hardware status. No SDL, no text: hw/ takes
 * 1-bit bitmaps and speaks ESC/POS; kiosk/ composes what is printed.
 *
 * Printers are named by a URI and reached through a transport backend, a
 * named table of functions picked by the URI's scheme (like SDL's video
 * drivers):
 *
 *   sim:                         in-process emulator (always built; query
 *                                ?state=paper_out etc. sets its state)
 *   file:PATH                    the ESC/POS bytes appended to a file
 *   usblp:/dev/usb/lp0           Linux USB printer class device
 *   serial:/dev/serial0?baud=19200&flow=none|rtscts|xonxoff
 *   tcp://HOST:9100              raw TCP ("JetDirect"), port 9100 default
 *
 * Every scheme also takes ?speed=MM_S (print speed used to pace writes;
 * 0 = no pacing), ?buffer=BYTES (the printer's receive buffer) and
 * ?timeout=MS (write and status timeouts). Nothing printed is kept: no
 * spool file, no copy of a job.
 *
 * Hardware status probes (printer, display, touch, storage, temperature,
 * memory, uptime) are backends too, each with a simulated twin so tests
 * can set every state.
 */
#ifndef HW_H
#define HW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wm_base.h"

/* ---- bitmaps ------------------------------------------------------------ */

/* A 1-bit image: rows of stride bytes, MSB first, 1 = black (the layout of
 * render/'s RENDER_FORMAT_MONO1 canvas). Borrowed by every call. */
typedef struct {
    int width, height;
    int stride;
    const uint8_t *bits;
} hw_bitmap_t;

/* Paper: 203 dpi, printable width 384 dots on 58 mm rolls, 576 on 80 mm. */
#define HW_DOTS_58MM   384
#define HW_DOTS_80MM   576
#define HW_DOTS_PER_MM 8

/* ---- printer state ------------------------------------------------------ */

typedef enum {
    HW_PRINTER_READY = 0,
    HW_PRINTER_PAPER_NEAR_END, /* prints, but the roll needs changing soon */
    HW_PRINTER_PAPER_OUT,
    HW_PRINTER_COVER_OPEN,
    HW_PRINTER_OFFLINE,
    HW_PRINTER_ERROR,         /* printer error, or a reply that makes no sense */
    HW_PRINTER_NOT_CONNECTED, /* the transport cannot be opened / went away */
    HW_PRINTER_UNKNOWN,       /* no reply: never taken as ready */
} hw_printer_state_t;

#define HW_PRINTER_STATE_COUNT 8

/* "ready", "paper_near_end", "paper_out", "cover_open", "offline",
 * "error", "not_connected", "unknown" (stable: JSON and metrics use it). */
const char *hw_printer_state_name(hw_printer_state_t state);

/* A sentence for people: "ready", "paper out", "cover open", ... */
const char *hw_printer_state_text(hw_printer_state_t state);

/* Parses a state name; WM_EINVAL for anything else. */
wm_status_t hw_printer_state_parse(const char *name, hw_printer_state_t *out);

/* True when a slip can be printed in this state (ready, paper near end). */
bool hw_printer_state_can_print(hw_printer_state_t state);

/* ---- ESC/POS ------------------------------------------------------------ */

/* The replies to DLE EOT 1 (printer), 2 (offline cause) and 4 (paper roll
 * sensor): a byte 0..255, or HW_ESCPOS_NO_REPLY. */
#define HW_ESCPOS_NO_REPLY (-1)

typedef struct {
    int printer, offline, paper;
} hw_escpos_replies_t;

/* Decodes the three status bytes. A byte whose fixed bits are wrong (bits
 * 1 and 4 set, 0 and 7 clear) is garbage: HW_PRINTER_ERROR. Then, in
 * order: cover open (2: bit 2), paper out (4: bits 5-6, or 2: bit 5),
 * error (2: bit 6), offline (1: bit 3), and only when all three replied:
 * paper near end (4: bits 2-3), else ready. Any reply missing otherwise:
 * HW_PRINTER_UNKNOWN (no reply is never "ready"). */
hw_printer_state_t hw_escpos_status_decode(const hw_escpos_replies_t *r);

/* A growing byte buffer for encoded commands. Free with
 * hw_bytes_free(). */
typedef struct {
    uint8_t *data;
    size_t len, cap;
} hw_bytes_t;

void hw_bytes_free(hw_bytes_t *b);

/* Band height in rows for a raster of width dots so that one GS v 0
 * command (8-byte header + rows) fits in buffer bytes; at least 1. */
int hw_escpos_band_rows(int width, size_t buffer);

/* Appends ESC @ (initialise). */
wm_status_t hw_escpos_init(hw_bytes_t *out);

/* Appends rows [y0, y0 + rows) of bm as one GS v 0 (mode 0) command:
 * 1D 76 30 00 xL xH yL yH, then (width + 7) / 8 bytes a row. Bits beyond
 * bm->width in the last byte of a row are sent white. */
wm_status_t hw_escpos_raster(hw_bytes_t *out, const hw_bitmap_t *bm, int y0, int rows);

/* Appends ESC d n (print and feed n lines, 0..255). */
wm_status_t hw_escpos_feed_lines(hw_bytes_t *out, int lines);

/* Appends GS V 66 0 (feed to the cutter and cut: full) or GS V 66 1
 * (partial). */
wm_status_t hw_escpos_cut(hw_bytes_t *out, bool partial);

/* ---- printers ----------------------------------------------------------- */

typedef enum {
    HW_FLOW_NONE = 0,
    HW_FLOW_RTSCTS,
    HW_FLOW_XONXOFF,
} hw_flow_t;

#define HW_URI_PATH_MAX 256

/* A parsed printer URI. */
typedef struct {
    char scheme[16];            /* "sim", "file", "usblp", "serial", "tcp" */
    char path[HW_URI_PATH_MAX]; /* file, device; tcp: the host */
    int port;                   /* tcp (default 9100) */
    int baud;                   /* serial (default 19200) */
    hw_flow_t flow;             /* serial (default none) */
    int speed_mm_s;             /* pacing: print speed, 0 = none (default 80) */
    size_t buffer;              /* the printer's buffer (default 4096) */
    int timeout_ms;             /* write and status timeouts (default 2000) */
    /* sim: the emulator's starting state and faults (see hw_sim_faults_t) */
    hw_printer_state_t sim_state;
    int sim_paper_dots;             /* paper width: ?paper=58|80 (default 80) */
    int sim_paper_out_after_rows;   /* ?paper_out_after=ROWS: paper ends mid-job */
    bool sim_no_reply, sim_garbage; /* ?reply=none|garbage */
} hw_uri_t;

/* Parses a printer URI (see the top of this file). A malformed one is
 * WM_EINVAL with a message saying what is wrong and what is expected. */
wm_status_t hw_uri_parse(const char *uri, hw_uri_t *out);

typedef struct hw_printer hw_printer_t;

/* Where the sim backend hands each finished job (NULL: dropped). The
 * bitmap is the emulator's, valid during the call only. */
typedef void (*hw_sim_job_fn)(void *ctx, const hw_bitmap_t *job);

/* Opens a printer by URI. WM_EINVAL for a bad URI, WM_EIO / WM_ENOENT when
 * the device or host cannot be reached (the message names it). Free with
 * hw_printer_close(). */
wm_status_t hw_printer_open(const char *uri, hw_printer_t **out);
void hw_printer_close(hw_printer_t *printer);

/* The backend's name ("sim", "tcp", ...) and the parsed URI. */
const char *hw_printer_backend(const hw_printer_t *printer);
const hw_uri_t *hw_printer_uri(const hw_printer_t *printer);

/* For the sim backend: where its jobs go. No effect on other backends. */
void hw_printer_set_sim_sink(hw_printer_t *printer, hw_sim_job_fn fn, void *ctx);

/* Pacing and timeouts run on a clock that tests may replace: now() in ms
 * and sleep(ms). NULL restores the real clock. */
typedef struct {
    uint64_t (*now_ms)(void *ctx);
    void (*sleep_ms)(void *ctx, int ms);
    void *ctx;
} hw_clock_t;

void hw_printer_set_clock(hw_printer_t *printer, const hw_clock_t *clock);

/* Sends all len bytes (in pieces if the transport takes fewer), within the
 * URI's timeout for each piece. WM_EIO on failure or timeout. */
wm_status_t hw_printer_write(hw_printer_t *printer, const uint8_t *data, size_t len);

/* Asks DLE EOT 1, 2 and 4 (or the backend's own way: a file is "ready"
 * while open) and decodes them; raw (may be NULL) gets the bytes. Each
 * question waits at most the URI's timeout; a printer that does not answer
 * the first is not asked the others. A transport that fails meanwhile is
 * HW_PRINTER_NOT_CONNECTED. */
hw_printer_state_t hw_printer_status(hw_printer_t *printer, hw_escpos_replies_t *raw);

typedef struct {
    hw_printer_state_t before, after; /* status around the job */
    size_t bytes;                     /* bytes the transport took */
    size_t bands;                     /* GS v 0 commands sent */
    int waits;                        /* pacing waits */
    bool sent;                        /* every byte of the job went out */
    bool printed;                     /* sent, and the printer said it is fine afterwards */
} hw_print_result_t;

/* Prints a bitmap as a slip: status check (refused when the printer
 * cannot print; unknown is tried), ESC @, GS v 0 bands that each fit the
 * printer's buffer, paced so the buffer never holds more than it can take
 * at the print speed, a feed of feed_lines, a cut, then a status check.
 * The bitmap must be at most the paper's width (384 or 576 dots). Returns
 * WM_OK when every byte went out and the printer did not then report a
 * fault (result->printed says whether it confirmed: a printer that never
 * answers is sent to but not "printed"); WM_ESTATE when it was not ready,
 * WM_EIO when sending failed or it reported a fault afterwards (paper out
 * mid-job). *result (may be NULL) says what happened either way. Nothing
 * of the job is kept after return. */
wm_status_t hw_printer_print(hw_printer_t *printer, const hw_bitmap_t *bm, int feed_lines,
                             bool partial_cut, hw_print_result_t *result);

/* ---- transport backends ------------------------------------------------- */

/* A transport: state behind impl. write sends some bytes (*done how many;
 * 0 is allowed when not ready) waiting at most timeout_ms; read takes what
 * has arrived within timeout_ms (*got may be 0: nothing). status may be
 * NULL: then DLE EOT is asked through write and read. */
typedef struct {
    const char *name;
    wm_status_t (*open)(const hw_uri_t *uri, void **impl);
    wm_status_t (*write)(void *impl, const uint8_t *data, size_t len, int timeout_ms, size_t *done);
    wm_status_t (*read)(void *impl, uint8_t *buf, size_t cap, int timeout_ms, size_t *got);
    hw_printer_state_t (*status)(void *impl, hw_escpos_replies_t *raw);
    void (*close)(void *impl);
} hw_printer_backend_t;

/* The backends, NULL-terminated, and one by name (NULL if none). */
const hw_printer_backend_t *const *hw_printer_backends(void);
const hw_printer_backend_t *hw_printer_backend_find(const char *name);

/*
 * Transport fault injection (tests only; no effect unless built with
 * WAYMARK_FAULT_INJECTION): after countdown more successful transport
 * reads and writes (each read() / write() / send() / recv() of any
 * backend counts one), every further one fails with EIO until
 * hw_fault_reset(). Negative: off. hw_fault_io_count() says how many
 * have been made since the last reset, to step through every one.
 */
void hw_fault_io_after(long countdown);
void hw_fault_reset(void);
long hw_fault_io_count(void);

/* ---- the emulator ------------------------------------------------------- */

/* An ESC/POS printer in memory: feed it the bytes a driver sends, take
 * the replies it would send back. It accepts ESC @, GS v 0, ESC d, ESC J,
 * LF, GS V and DLE EOT n; anything else (or a command that does not fit
 * the paper) is rejected loudly: the emulator goes to HW_PRINTER_ERROR,
 * drops the job and says why (hw_sim_error()). A job runs from the first
 * printed row to the cut and is handed to the job callback as a bitmap. */
typedef struct hw_sim hw_sim_t;

typedef struct {
    hw_printer_state_t state; /* what DLE EOT reports (ready by default) */
    int paper_out_after_rows; /* > 0: the paper ends after so many rows */
    bool no_reply;            /* never answer DLE EOT */
    bool garbage;             /* answer DLE EOT with nonsense */
} hw_sim_faults_t;

/* width: the paper's dots (384 or 576). Free with hw_sim_destroy(). */
wm_status_t hw_sim_create(int width, hw_sim_job_fn fn, void *ctx, hw_sim_t **out);
void hw_sim_destroy(hw_sim_t *sim);
void hw_sim_set_faults(hw_sim_t *sim, const hw_sim_faults_t *faults);
hw_printer_state_t hw_sim_state(const hw_sim_t *sim);

/* Parses len more bytes. WM_EFORMAT when they hold a malformed command
 * (the message says which, at which byte offset of the stream); the
 * emulator then ignores the rest until ESC @. */
wm_status_t hw_sim_feed(hw_sim_t *sim, const uint8_t *data, size_t len);

/* Takes up to cap reply bytes (status answers); returns how many. */
size_t hw_sim_take_reply(hw_sim_t *sim, uint8_t *buf, size_t cap);

/* Counters: jobs finished (handed to the callback), jobs dropped (paper
 * out, malformed), rows printed in the current job. */
typedef struct {
    size_t jobs, dropped, rows, bytes, commands;
} hw_sim_stats_t;

void hw_sim_stats(const hw_sim_t *sim, hw_sim_stats_t *out);

/* The last rejection message ("" if none). */
const char *hw_sim_error(const hw_sim_t *sim);

/* What the line between driver and emulator does (faults of the link). */
typedef struct {
    size_t read_chunk;       /* > 0: take at most so many bytes a read (partial reads) */
    int read_delay_ms;       /* > 0: wait so long between reads (a slow printer) */
    size_t disconnect_after; /* > 0: hang up after so many bytes */
} hw_sim_link_t;

/* Serves one connection (a socket or a pty master) until the other end
 * closes, the link's disconnect fault hangs up, or *stop becomes true
 * (checked at least every 100 ms; stop may be NULL): bytes read are fed to
 * the emulator and its replies written back. Returns WM_OK on a close or
 * stop, WM_EIO on a read or write error. Does not close fd. A command
 * an earlier connection left unfinished is dropped first. */
wm_status_t hw_sim_serve(hw_sim_t *sim, int fd, const hw_sim_link_t *link, volatile int *stop);

/* ---- hardware status probes --------------------------------------------- */

#define HW_TEXT_MAX 128

typedef enum {
    HW_LEVEL_OK = 0, /* nothing to do */
    HW_LEVEL_NA,     /* not available on this machine: nothing to do */
    HW_LEVEL_WARN,   /* needs attention soon (paper near end, warm, space low) */
    HW_LEVEL_FAIL,   /* needs attention now */
} hw_level_t;

/* "ok", "not_available", "warn", "fail". */
const char *hw_level_name(hw_level_t level);

/* Everything the probes found. Numbers are -1 when not available. */
typedef struct {
    /* printer ("" uri: none configured) */
    char printer_uri[HW_URI_PATH_MAX + 32];
    char printer_transport[16];
    hw_printer_state_t printer_state;
    char printer_error[HW_TEXT_MAX]; /* why it could not be reached, "" */
    /* display: the first connected DRM connector */
    bool display_present; /* a DRM device exists */
    bool display_connected;
    char display_name[HW_TEXT_MAX];   /* "card1-DSI-1" */
    char display_driver[HW_TEXT_MAX]; /* its DRM driver: "vc4-drm" */
    int display_width, display_height;
    /* touch: input devices reporting multi-touch positions */
    bool touch_present; /* the input device list could be read */
    int touch_devices;
    char touch_name[HW_TEXT_MAX];
    /* storage of the data folder */
    char storage_path[HW_URI_PATH_MAX];
    long long storage_free_bytes, storage_total_bytes;
    /* temperature and throttling */
    double cpu_temp_c;
    long throttled; /* Raspberry Pi firmware get_throttled bits */
    /* memory and time */
    long long mem_total_bytes, mem_available_bytes;
    double uptime_s;
} hw_status_t;

/* A probe: fills its part of st. Real probes read /sys, /proc, statvfs()
 * and the printer; each has a simulated twin of the same name that copies
 * its part of hw_probe_sim_set()'s values. */
typedef struct {
    const char *name; /* "printer", "display", "touch", "storage", "thermal",
                       * "memory", "uptime" */
    void (*probe)(hw_status_t *st);
} hw_probe_t;

typedef enum { HW_PROBES_REAL = 0, HW_PROBES_SIM } hw_probe_set_t;

/* The probes of a set, NULL-terminated. */
const hw_probe_t *const *hw_probes(hw_probe_set_t set);

/* Runs every probe of the set into *st. printer_uri: the printer to ask
 * ("" or NULL: none); data_dir: the folder whose storage is reported. */
void hw_status_probe(hw_probe_set_t set, const char *printer_uri, const char *data_dir,
                     hw_status_t *st);

/* The values the simulated twins report; hw_probe_sim_defaults() gives a
 * healthy booth (ready printer, 1080x1920 display, one touch panel, 8 GiB
 * free of 16, 48.5 C, not throttled, 1 GiB memory, an hour up). */
void hw_probe_sim_set(const hw_status_t *values);
void hw_probe_sim_defaults(hw_status_t *values);

/* Where the real probes find /sys and /proc ("" : the machine's own; a
 * folder of copies for tests). */
void hw_probe_set_root(const char *root);

/* Levels. Printer: ready ok, paper near end or unknown warn, else fail (no
 * printer configured: n/a). Storage: fail below 32 MiB free, warn below
 * 256 MiB or 10%. Thermal: fail from 80 C or when the firmware reports
 * under-voltage, frequency capping or throttling now (bits 0-2), warn from
 * 70 C or at the soft temperature limit (bit 3). Display: fail when a DRM
 * device has nothing connected. Touch: warn when no touch device is
 * found. Memory: warn below 64 MiB available. */
hw_level_t hw_status_printer_level(const hw_status_t *st);
hw_level_t hw_status_display_level(const hw_status_t *st);
hw_level_t hw_status_touch_level(const hw_status_t *st);
hw_level_t hw_status_storage_level(const hw_status_t *st);
hw_level_t hw_status_thermal_level(const hw_status_t *st);
hw_level_t hw_status_memory_level(const hw_status_t *st);

/* The worst of the levels above (n/a counts as ok). */
hw_level_t hw_status_level(const hw_status_t *st);

#endif
