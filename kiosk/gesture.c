/*
 * gesture.c: the hidden entry to maintenance mode: long presses in the
 * top-left, bottom-right and top-left corners, in that order (ops.h). A
 * pure state machine: touches and the clock in, "done" out.
 */
#include "ops.h"

/* corner of each step: 0 top-left, 1 bottom-right */
static const int gesture_corners[KIOSK_GESTURE_STEPS] = {0, 1, 0};

static bool gesture_in_corner(const kiosk_gesture_t *g, int corner, int x, int y);
static void gesture_press(kiosk_gesture_t *g, int x, int y, uint64_t now_ms);

void kiosk_gesture_init(kiosk_gesture_t *g, int w, int h)
{
    *g = (kiosk_gesture_t){.w = w, .h = h};
}

bool kiosk_gesture_feed(kiosk_gesture_t *g, kiosk_touch_t type, int x, int y, uint64_t now_ms)
{
    switch (type) {
    case KIOSK_TOUCH_DOWN:
        gesture_press(g, x, y, now_ms);
        break;
    case KIOSK_TOUCH_MOVE:
        /* a finger that slides out of the corner is not holding it */
        if (g->holding && !gesture_in_corner(g, gesture_corners[g->step], x, y)) {
            g->holding = false;
            g->step = 0;
        }
        break;
    case KIOSK_TOUCH_UP:
        if (!g->holding)
            break;
        g->holding = false;
        if (now_ms - g->down_ms < KIOSK_GESTURE_HOLD_MS ||
            !gesture_in_corner(g, gesture_corners[g->step], x, y)) {
            g->step = 0;
            break;
        }
        g->up_ms = now_ms;
        if (++g->step == KIOSK_GESTURE_STEPS) {
            g->step = 0;
            return true;
        }
        break;
    }
    return false;
}

static void gesture_press(kiosk_gesture_t *g, int x, int y, uint64_t now_ms)
{
    if (g->step > 0 && now_ms - g->up_ms > KIOSK_GESTURE_GAP_MS)
        g->step = 0;
    if (!gesture_in_corner(g, gesture_corners[g->step], x, y))
        g->step = 0; /* the wrong place starts the sequence over */
    g->holding = gesture_in_corner(g, gesture_corners[g->step], x, y);
    g->down_ms = now_ms;
}

static bool gesture_in_corner(const kiosk_gesture_t *g, int corner, int x, int y)
{
    int side = (int)((g->w < g->h ? g->w : g->h) * KIOSK_GESTURE_CORNER);

    if (corner == 0)
        return x >= 0 && y >= 0 && x < side && y < side;
    return x >= g->w - side && y >= g->h - side && x < g->w && y < g->h;
}
