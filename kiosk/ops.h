/*
 * ops.h: what keeps a booth running in the field and lets a crew look
 * after it: readiness and watchdog messages to systemd (notify.c, a no-op
 * twin notify_none.c when built without libsystemd), the hidden gesture
 * that opens maintenance mode (gesture.c), the maintenance PIN with its
 * lock-out (pin.c) and the maintenance screens (screen_pin.c, screen_maint.c). Not
 * for use outside kiosk/.
 */
#ifndef KIOSK_OPS_H
#define KIOSK_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk.h"

/* ---- systemd (notify.c) ------------------------------------------------- */

/* The service manager's side of the loop: READY=1 once the first frame is
 * on the panel, WATCHDOG=1 every half WatchdogSec= (systemd's WATCHDOG_USEC)
 * from the render loop, so a loop that hangs stops the pings and systemd
 * restarts the booth. Without NOTIFY_SOCKET (not under systemd) nothing is
 * sent. Times are the loop's clock in ms. */
typedef struct {
    bool ready_sent;
    uint64_t interval_ms; /* 0: no watchdog asked for */
    uint64_t next_ms;     /* the next ping is due then */
    uint64_t pings;       /* WATCHDOG=1 messages sent */
} kiosk_notify_t;

/* Reads the watchdog interval from the environment (sd_watchdog_enabled). */
void kiosk_notify_init(kiosk_notify_t *n);

/* After a frame is presented: READY=1 the first time, which also starts
 * the watchdog's schedule. */
void kiosk_notify_frame(kiosk_notify_t *n, uint64_t now_ms);

/* From the loop on each turn: WATCHDOG=1 when one is due (at most one per
 * call, however late: a loop that was stuck does not send a burst). */
void kiosk_notify_tick(kiosk_notify_t *n, uint64_t now_ms);

/* When the loop must wake next for the watchdog; false when never. */
bool kiosk_notify_deadline(const kiosk_notify_t *n, uint64_t *deadline);

/* STOPPING=1 as the booth leaves its loop. */
void kiosk_notify_stopping(kiosk_notify_t *n);

/* Whether this build can talk to systemd (libsystemd was found). */
bool kiosk_notify_available(void);

/* ---- the hidden entry (gesture.c) --------------------------------------- */

/* Maintenance mode opens with three long presses, in order: top-left,
 * bottom-right, top-left corner, each held still for KIOSK_GESTURE_HOLD_MS
 * inside a square of KIOSK_GESTURE_CORNER of the UI's shorter side, each
 * begun within KIOSK_GESTURE_GAP_MS of the last one ending. A visitor does
 * not do that by chance (tests/test_ops.c feeds 100,000 random touches). */
#define KIOSK_GESTURE_HOLD_MS 2000
#define KIOSK_GESTURE_GAP_MS  4000
#define KIOSK_GESTURE_CORNER  0.08
#define KIOSK_GESTURE_STEPS   3

typedef enum {
    KIOSK_TOUCH_DOWN,
    KIOSK_TOUCH_MOVE,
    KIOSK_TOUCH_UP,
} kiosk_touch_t;

/* The recogniser: a pure state machine fed with touches in logical UI
 * coordinates and the loop's clock (ms). No allocation, no I/O. */
typedef struct {
    int w, h;     /* the UI's size */
    int step;     /* presses done so far */
    bool holding; /* the finger is down in the corner of this step */
    uint64_t down_ms, up_ms;
} kiosk_gesture_t;

void kiosk_gesture_init(kiosk_gesture_t *g, int w, int h);

/* Feeds one touch; true when it completes the gesture (the recogniser then
 * starts over). */
bool kiosk_gesture_feed(kiosk_gesture_t *g, kiosk_touch_t type, int x, int y, uint64_t now_ms);

/* The maintenance screens leave by themselves, back to a fresh welcome
 * screen, after this long without a touch (the visitor's "still there?"
 * is not asked there). */
#define KIOSK_MAINT_IDLE_MS (120u * 1000u)

/* ---- the maintenance PIN (pin.c) ---------------------------------------- */

#define KIOSK_PIN_MIN 4
#define KIOSK_PIN_MAX 12
/* Failed tries before the first delay, the first delay, doubled with each
 * further failure up to the longest. */
#define KIOSK_PIN_FREE_TRIES 3
#define KIOSK_PIN_DELAY_MS   (30u * 1000u)
#define KIOSK_PIN_DELAY_MAX  (60u * 60u * 1000u)
#define KIOSK_PIN_TRIES_FILE "maintenance-tries"

/* The PIN's hash lives in its own file (an Argon2id string from libsodium's
 * crypto_pwhash_str, mode 0640, owner root, group waymark); the failed
 * tries live in DATA_DIR/maintenance-tries (the count and the wall-clock
 * time until which tries are refused), so a restart does not reset them. */
typedef struct {
    char hash_path[KIOSK_PATH_MAX];
    char tries_path[KIOSK_PATH_MAX + 32];
    unsigned failures;
    uint64_t locked_until_ms; /* Unix time in ms */
} kiosk_pin_t;

typedef enum {
    KIOSK_PIN_RIGHT,
    KIOSK_PIN_WRONG,
    KIOSK_PIN_LOCKED, /* not even checked: wait first */
    KIOSK_PIN_UNSET,  /* no usable hash file: maintenance stays closed */
} kiosk_pin_result_t;

/* A PIN is 4 to 12 ASCII digits. */
bool kiosk_pin_valid(const char *pin, size_t len);

/* The delay imposed after this many failures in a row (0 for the first
 * KIOSK_PIN_FREE_TRIES - 1). */
uint64_t kiosk_pin_delay_ms(unsigned failures);

/* Checks that the hash file is a regular file nobody but its owner may
 * write and others may not read (the configuration's rule); WM_ENOENT when
 * missing, WM_EINVAL with the reason otherwise. */
wm_status_t kiosk_pin_file_check(const char *path);

/* Writes the PIN's Argon2id hash to path atomically, mode 0640. The PIN
 * itself is written nowhere. */
wm_status_t kiosk_pin_set(const char *path, const char *pin, size_t len);

/* Reads the lock-out state of data_dir (a missing file: none). */
void kiosk_pin_open(kiosk_pin_t *p, const char *hash_path, const char *data_dir);

/* One try at now_ms (Unix time in ms): refused while locked; a wrong PIN
 * counts and is saved before the answer; the right one clears the count.
 * *wait_ms (may be NULL): how long until the next try is taken. */
kiosk_pin_result_t kiosk_pin_try(kiosk_pin_t *p, const char *pin, size_t len, uint64_t now_ms,
                                 uint64_t *wait_ms);

#endif
