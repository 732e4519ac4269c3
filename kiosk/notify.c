/*
 * notify.c: readiness and watchdog messages to systemd through libsystemd's
 * sd_notify (Type=notify, WatchdogSec= in kiosk/deploy/waymark.service).
 * Built when pkg-config finds libsystemd; notify_none.c is built instead
 * otherwise, so no #ifdef reaches the loop.
 */
#include <systemd/sd-daemon.h>

#include "ops.h"

void kiosk_notify_init(kiosk_notify_t *n)
{
    uint64_t usec = 0;

    *n = (kiosk_notify_t){0};
    /* systemd's advice: ping at half the interval it will wait */
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        n->interval_ms = usec / 2000u;
        if (n->interval_ms == 0)
            n->interval_ms = 1;
    }
}

void kiosk_notify_frame(kiosk_notify_t *n, uint64_t now_ms)
{
    if (n->ready_sent)
        return;
    n->ready_sent = true;
    n->next_ms = now_ms + n->interval_ms;
    sd_notify(0, "READY=1\nSTATUS=showing the welcome screen");
    wm_log(WM_LOG_INFO, "ready: first frame presented");
}

void kiosk_notify_tick(kiosk_notify_t *n, uint64_t now_ms)
{
    if (!n->ready_sent || n->interval_ms == 0 || now_ms < n->next_ms)
        return;
    sd_notify(0, "WATCHDOG=1");
    n->pings++;
    n->next_ms = now_ms + n->interval_ms;
}

bool kiosk_notify_deadline(const kiosk_notify_t *n, uint64_t *deadline)
{
    if (!n->ready_sent || n->interval_ms == 0)
        return false;
    *deadline = n->next_ms;
    return true;
}

void kiosk_notify_stopping(kiosk_notify_t *n)
{
    (void)n;
    sd_notify(0, "STOPPING=1");
}

bool kiosk_notify_available(void)
{
    return true;
}
