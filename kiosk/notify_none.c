/*
 * notify_none.c: the twin of notify.c for builds without libsystemd: the
 * booth runs the same, systemd just hears nothing (use Type=simple and no
 * WatchdogSec= with such a build).
 */
#include "ops.h"

void kiosk_notify_init(kiosk_notify_t *n)
{
    *n = (kiosk_notify_t){0};
}

void kiosk_notify_frame(kiosk_notify_t *n, uint64_t now_ms)
{
    n->ready_sent = true;
}

void kiosk_notify_tick(kiosk_notify_t *n, uint64_t now_ms)
{
}

bool kiosk_notify_deadline(const kiosk_notify_t *n, uint64_t *deadline)
{
    return false;
}

void kiosk_notify_stopping(kiosk_notify_t *n)
{
}

bool kiosk_notify_available(void)
{
    return false;
}
