/*
 * escpos.c: the ESC/POS commands Waymark sends, and the decoding of the
 * real-time status replies.
 *
 * Only raster printing is used (GS v 0): receipt printers' built-in fonts
 * cannot show Arabic, Ethiopic or Burmese, so every slip is drawn by the
 * booth's own text engine and sent as dots.
 */
#include "hw_private.h"

#include <string.h>

#define RASTER_HEADER   8
#define RASTER_MAX_ROWS 65535

static wm_status_t put(hw_bytes_t *out, const uint8_t *data, size_t len);
static bool reply_valid(int b);

void hw_bytes_free(hw_bytes_t *b)
{
    if (!b)
        return;
    wm_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int hw_escpos_band_rows(int width, size_t buffer)
{
    size_t row = (size_t)(width + 7) / 8, rows;

    if (row == 0 || buffer <= RASTER_HEADER + row)
        return 1;
    rows = (buffer - RASTER_HEADER) / row;
    return rows > RASTER_MAX_ROWS ? RASTER_MAX_ROWS : (int)rows;
}

wm_status_t hw_escpos_init(hw_bytes_t *out)
{
    static const uint8_t cmd[] = {0x1b, 0x40};

    return put(out, cmd, sizeof(cmd));
}

wm_status_t hw_escpos_raster(hw_bytes_t *out, const hw_bitmap_t *bm, int y0, int rows)
{
    size_t row = (size_t)(bm->width + 7) / 8, need;
    uint8_t hdr[RASTER_HEADER] = {0x1d, 0x76, 0x30, 0x00};
    uint8_t *dst;
    unsigned tail = (unsigned)bm->width & 7u;
    uint8_t mask = tail ? (uint8_t)(0xffu << (8 - tail)) : 0xffu;

    if (bm->width <= 0 || rows <= 0 || rows > RASTER_MAX_ROWS || y0 < 0 || y0 + rows > bm->height ||
        row > 0xffff)
        return wm_error(WM_EINVAL, "escpos: raster rows %d..%d outside a %dx%d bitmap", y0,
                        y0 + rows, bm->width, bm->height);
    hdr[4] = (uint8_t)(row & 0xff);
    hdr[5] = (uint8_t)(row >> 8);
    hdr[6] = (uint8_t)(rows & 0xff);
    hdr[7] = (uint8_t)(rows >> 8);
    need = out->len + sizeof(hdr) + row * (size_t)rows;
    if (wm_grow((void **)&out->data, &out->cap, need, 1) != WM_OK)
        return wm_error(WM_ENOMEM, "escpos: out of memory for a band of %d rows", rows);
    memcpy(out->data + out->len, hdr, sizeof(hdr));
    dst = out->data + out->len + sizeof(hdr);
    for (int y = 0; y < rows; y++, dst += row) {
        memcpy(dst, bm->bits + (size_t)(y0 + y) * (size_t)bm->stride, row);
        dst[row - 1] &= mask;
    }
    out->len = need;
    return WM_OK;
}

wm_status_t hw_escpos_feed_lines(hw_bytes_t *out, int lines)
{
    uint8_t cmd[3] = {0x1b, 0x64, 0};

    if (lines < 0 || lines > 255)
        return wm_error(WM_EINVAL, "escpos: feed of %d lines (0 to 255)", lines);
    cmd[2] = (uint8_t)lines;
    return put(out, cmd, sizeof(cmd));
}

wm_status_t hw_escpos_cut(hw_bytes_t *out, bool partial)
{
    uint8_t cmd[4] = {0x1d, 0x56, 66, 0};

    cmd[3] = partial ? 1 : 0;
    return put(out, cmd, sizeof(cmd));
}

hw_printer_state_t hw_escpos_status_decode(const hw_escpos_replies_t *r)
{
    bool all = true;
    const int b[3] = {r->printer, r->offline, r->paper};

    for (int i = 0; i < 3; i++) {
        if (b[i] == HW_ESCPOS_NO_REPLY)
            all = false;
        else if (!reply_valid(b[i]))
            return HW_PRINTER_ERROR;
    }
    if (r->offline != HW_ESCPOS_NO_REPLY && (r->offline & 0x04))
        return HW_PRINTER_COVER_OPEN;
    if ((r->paper != HW_ESCPOS_NO_REPLY && (r->paper & 0x60)) ||
        (r->offline != HW_ESCPOS_NO_REPLY && (r->offline & 0x20)))
        return HW_PRINTER_PAPER_OUT;
    if (r->offline != HW_ESCPOS_NO_REPLY && (r->offline & 0x40))
        return HW_PRINTER_ERROR;
    if (r->printer != HW_ESCPOS_NO_REPLY && (r->printer & 0x08))
        return HW_PRINTER_OFFLINE;
    if (!all)
        return HW_PRINTER_UNKNOWN;
    if (r->paper & 0x0c)
        return HW_PRINTER_PAPER_NEAR_END;
    return HW_PRINTER_READY;
}

static wm_status_t put(hw_bytes_t *out, const uint8_t *data, size_t len)
{
    if (wm_grow((void **)&out->data, &out->cap, out->len + len, 1) != WM_OK)
        return wm_error(WM_ENOMEM, "escpos: out of memory");
    memcpy(out->data + out->len, data, len);
    out->len += len;
    return WM_OK;
}

/* Every status byte has bits 1 and 4 set and bits 0 and 7 clear. */
static bool reply_valid(int b)
{
    return b >= 0 && b <= 255 && (b & 0x93) == 0x12;
}
