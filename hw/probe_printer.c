/*
 * probe_printer.c: the "printer" probe: opens the configured printer, asks
 * its status (DLE EOT, bounded by the URI's timeout) and closes it. A
 * printer that cannot be opened is "not_connected", with the reason.
 */
#include "hw_private.h"

#include <stdio.h>
#include <string.h>

static void probe_printer(hw_status_t *st);

const hw_probe_t hw_probe_printer = {"printer", probe_printer};

static void probe_printer(hw_status_t *st)
{
    hw_printer_t *p = NULL;
    hw_uri_t uri;

    st->printer_error[0] = '\0';
    st->printer_transport[0] = '\0';
    if (!st->printer_uri[0]) {
        st->printer_state = HW_PRINTER_NOT_CONNECTED;
        return;
    }
    if (hw_uri_parse(st->printer_uri, &uri) == WM_OK)
        snprintf(st->printer_transport, sizeof(st->printer_transport), "%s", uri.scheme);
    if (hw_printer_open(st->printer_uri, &p) != WM_OK) {
        st->printer_state = HW_PRINTER_NOT_CONNECTED;
        snprintf(st->printer_error, sizeof(st->printer_error), "%s", wm_last_error());
        return;
    }
    st->printer_state = hw_printer_status(p, NULL);
    hw_printer_close(p);
}
