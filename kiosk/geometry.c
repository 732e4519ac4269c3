/*
 * geometry.c: display rotation and window placement. The UI is laid out in
 * logical pixels (1080x1920 portrait by default); a panel may show it
 * rotated (a landscape panel mounted upright), and a desktop window shows
 * that panel image scaled to fit. Every touch goes window -> panel ->
 * logical through these pure functions.
 */
#include "kiosk.h"

#include <math.h>
#include <string.h>

void kiosk_rotate_size(int rotate, int w, int h, int *pw, int *ph)
{
    if (rotate == 90 || rotate == 270) {
        *pw = h;
        *ph = w;
    } else {
        *pw = w;
        *ph = h;
    }
}

void kiosk_rotate_point(int rotate, int w, int h, int x, int y, int *px, int *py)
{
    switch (rotate) {
    case 90: /* clockwise: the logical top edge becomes the panel's right edge */
        *px = h - 1 - y;
        *py = x;
        break;
    case 180:
        *px = w - 1 - x;
        *py = h - 1 - y;
        break;
    case 270:
        *px = y;
        *py = w - 1 - x;
        break;
    default:
        *px = x;
        *py = y;
        break;
    }
}

void kiosk_unrotate_point(int rotate, int w, int h, int px, int py, int *x, int *y)
{
    switch (rotate) {
    case 90:
        *x = py;
        *y = h - 1 - px;
        break;
    case 180:
        *x = w - 1 - px;
        *y = h - 1 - py;
        break;
    case 270:
        *x = w - 1 - py;
        *y = px;
        break;
    default:
        *x = px;
        *y = py;
        break;
    }
}

void kiosk_rotate_image(int rotate, const uint8_t *src, int w, int h, int stride, uint8_t *dst)
{
    int pw, ph;

    kiosk_rotate_size(rotate, w, h, &pw, &ph);
    for (int y = 0; y < h; y++) {
        const uint8_t *row = src + (size_t)y * (size_t)stride;

        for (int x = 0; x < w; x++) {
            int px, py;

            kiosk_rotate_point(rotate, w, h, x, y, &px, &py);
            memcpy(dst + ((size_t)py * (size_t)pw + (size_t)px) * 4, row + (size_t)x * 4, 4);
        }
    }
}

void kiosk_view_init(kiosk_view_t *view, int log_w, int log_h, int rotate, int win_w, int win_h)
{
    double sx, sy;

    view->log_w = log_w;
    view->log_h = log_h;
    view->rotate = rotate;
    kiosk_rotate_size(rotate, log_w, log_h, &view->panel_w, &view->panel_h);
    view->win_w = win_w > 0 ? win_w : view->panel_w;
    view->win_h = win_h > 0 ? win_h : view->panel_h;
    sx = (double)view->win_w / view->panel_w;
    sy = (double)view->win_h / view->panel_h;
    view->scale = sx < sy ? sx : sy;
    view->off_x = (view->win_w - view->panel_w * view->scale) / 2.0;
    view->off_y = (view->win_h - view->panel_h * view->scale) / 2.0;
}

bool kiosk_view_to_logical(const kiosk_view_t *view, int wx, int wy, int *x, int *y)
{
    int px = (int)floor((wx + 0.5 - view->off_x) / view->scale);
    int py = (int)floor((wy + 0.5 - view->off_y) / view->scale);

    if (px < 0 || py < 0 || px >= view->panel_w || py >= view->panel_h)
        return false;
    kiosk_unrotate_point(view->rotate, view->log_w, view->log_h, px, py, x, y);
    return true;
}

void kiosk_view_to_window(const kiosk_view_t *view, int x, int y, int *wx, int *wy)
{
    int px, py;

    kiosk_rotate_point(view->rotate, view->log_w, view->log_h, x, y, &px, &py);
    /* the window pixel whose centre falls in panel pixel (px, py) */
    *wx = (int)floor(view->off_x + (px + 0.5) * view->scale);
    *wy = (int)floor(view->off_y + (py + 0.5) * view->scale);
}

void kiosk_window_fit(int pw, int ph, int bw, int bh, int *ww, int *wh)
{
    double s = 1.0;

    if (bw > 0 && bh > 0) {
        double sx = (double)bw / pw, sy = (double)bh / ph;

        s = sx < sy ? sx : sy;
        if (s > 1.0)
            s = 1.0;
    }
    *ww = (int)(pw * s);
    *wh = (int)(ph * s);
    if (*ww < 1)
        *ww = 1;
    if (*wh < 1)
        *wh = 1;
}
