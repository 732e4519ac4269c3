/*
 * slip.h: referral slips. A slip carries a service's name, address, hours
 * and phone, "free" and "no documents needed" marks, a QR code and the
 * print date; every text in the person's language and in the local
 * language. It is drawn by the booth's own text engine into a 1-bit canvas
 * (never with the printer's fonts, which cannot show Arabic, Ethiopic or
 * Burmese) and handed to hw/ as a bitmap. Nothing about the person is on
 * it, and nothing of it is kept once printed.
 *
 * Also here for the booth's screens: the QR code as modules (to draw large
 * on screen when printing fails) and the outcome of printing.
 */
#ifndef KIOSK_SLIP_H
#define KIOSK_SLIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "content.h"
#include "hw.h"
#include "render.h"

/* ---- what a slip says --------------------------------------------------- */

/* The texts of a slip in one language (UTF-8; NULL or "" leaves a line
 * out). Borrowed. */
typedef struct {
    const char *lang;               /* BCP 47 tag of these texts */
    const char *site;               /* the service point's name (header) */
    const char *name;               /* the service */
    const char *address;            /* where it is */
    const char *hours;              /* opening hours, as text */
    const char *free_label;         /* "Free" */
    const char *no_documents_label; /* "No documents needed" */
    const char *phone_label;        /* "Phone" */
} kiosk_slip_text_t;

typedef struct {
    kiosk_slip_text_t person; /* the person's language */
    kiosk_slip_text_t local;  /* the local language; left out when it is the
                               * person's (same tag) or its lang is NULL */
    const char *phone;        /* "+49 30 1234567"; NULL: none */
    bool free, no_documents;  /* the marks */
    const char *qr;           /* the QR code's payload (required) */
    const char *date;         /* print date as shown ("2026-12-01"); NULL: none */
} kiosk_slip_t;

/* ---- a slip from the content ------------------------------------------- */

/* What a slip made from the content points into besides the content. */
typedef struct {
    char key[2][CONTENT_ID_MAX + 32]; /* service.ID.name, person and local */
    char hours[2][128];               /* the opening state as read then */
    char date[16];                    /* YYYY-MM-DD */
} kiosk_slip_storage_t;

/* Fills *slip with service (an index of c) for a person reading lang (an
 * index of c's languages), beside the site's local language: the site's
 * name, the service's name, address, opening state at now, marks, phone,
 * QR payload and the date of now. The booth's print button and `waymark
 * print --service` both make their slips here. *slip borrows from c and
 * *storage, which must outlive it. WM_ENOENT for no such service,
 * WM_EINVAL for a service without a QR payload or no such language. */
wm_status_t kiosk_slip_from_content(const content_t *c, size_t service, size_t lang, time_t now,
                                    kiosk_slip_t *slip, kiosk_slip_storage_t *storage);

/* The index of the service with that id, or -1. */
int kiosk_slip_service_find(const content_t *c, const char *id);

/* ---- sample services ----------------------------------------------------
 * A few services of a fictional service point in Berlin (local language
 * German), in English, Arabic, Tigrinya, Burmese and Urdu: fixtures for
 * the slip composer's tests and `waymark bench print`, which need scripts
 * the sample content does not pair with a German local half. Static
 * data, never freed. */

/* The sample service ids ("health-clinic", ...), NULL-terminated. */
const char *const *kiosk_slip_sample_ids(void);

/* The sample languages ("en", "ar", "ti", "my", "ur"), NULL-terminated. */
const char *const *kiosk_slip_sample_langs(void);

/* Fills *out with sample service id in language lang (local texts in
 * German), dated date (may be NULL). WM_ENOENT for an unknown id or a
 * language the samples lack (the message lists what there is). */
wm_status_t kiosk_slip_sample(const char *id, const char *lang, const char *date,
                              kiosk_slip_t *out);

/* A test page in English: the firmware version, the marks, a line in
 * several scripts (Latin, Arabic, Ethiopic, Myanmar, Cyrillic) and a QR
 * code ("WAYMARK TEST PAGE"). */
void kiosk_slip_test_page(const char *date, kiosk_slip_t *out);

/* ---- QR codes ----------------------------------------------------------- */

typedef struct {
    int size;         /* modules a side */
    uint8_t *modules; /* size * size, row by row, 1 = dark */
} kiosk_qr_t;

#define KIOSK_QR_QUIET 4 /* modules of white around the code */

/* Encodes payload (UTF-8, as 8-bit bytes) with error correction M, the
 * smallest version that holds it. Free with kiosk_qr_free(). WM_EINVAL
 * when it is empty or too long for a QR code. */
wm_status_t kiosk_qr_encode(const char *payload, kiosk_qr_t *out);
void kiosk_qr_free(kiosk_qr_t *qr);

/* The largest whole module size in px (at most max_px) at which the code
 * and its quiet zone fit avail_px; 0 when not even min_px fits. */
int kiosk_qr_module_px(const kiosk_qr_t *qr, int avail_px, int min_px, int max_px);

/* Draws the code with its quiet zone, module_px a module, its top-left
 * (quiet zone included) at (x, y), into any canvas (MONO1 for paper, RGBA
 * for a screen image). Returns the side drawn in px. No SDL. */
int kiosk_qr_draw(render_canvas_t *canvas, const kiosk_qr_t *qr, int x, int y, int module_px);

/* ---- composing ---------------------------------------------------------- */

typedef struct kiosk_slip_composer kiosk_slip_composer_t;

/* A composer: a layout engine and a glyph cache of its own (slip sizes),
 * reused across slips. Borrows fonts, which must outlive it. Free with
 * kiosk_slip_composer_destroy(). */
wm_status_t kiosk_slip_composer_create(i18n_fonts_t *fonts, kiosk_slip_composer_t **out);
void kiosk_slip_composer_destroy(kiosk_slip_composer_t *composer);

/* Draws a slip into a new MONO1 canvas width dots wide (HW_DOTS_58MM or
 * HW_DOTS_80MM) and as tall as it needs: header, service name, marks,
 * address, hours, phone, QR code (module at least 3 dots, at most 8, quiet
 * zone of 4 modules), date. Every text keeps inside a margin of 8 dots.
 * Free *out with render_canvas_destroy(). */
wm_status_t kiosk_slip_compose(kiosk_slip_composer_t *composer, const kiosk_slip_t *slip, int width,
                               render_canvas_t **out);

/* Characters no configured font covered in the last slip composed (they
 * would print as boxes); 0 is what a slip should have. */
size_t kiosk_slip_composer_missing(const kiosk_slip_composer_t *composer);

/* ---- printing ----------------------------------------------------------- */

typedef enum {
    KIOSK_PRINT_PRINTED = 0, /* sent, and the printer said it is fine */
    KIOSK_PRINT_UNCONFIRMED, /* sent, but the printer does not answer */
    KIOSK_PRINT_FAILED,      /* not printed: show the QR on screen */
} kiosk_print_outcome_t;

/* Lines fed after a slip, so that its end clears the cutter. */
#define KIOSK_SLIP_FEED_LINES 4

/* What hw_printer_print()'s status and result mean for the person. */
kiosk_print_outcome_t kiosk_print_outcome(wm_status_t st, const hw_print_result_t *res);

/* Composes the slip at the paper width and prints it (hw_printer_print),
 * then drops the image. *result (may be NULL) gets the printer's side. For
 * the booth: on anything but KIOSK_PRINT_PRINTED, show
 * kiosk_print_message() in the person's language and the QR code large
 * (kiosk_qr_encode + kiosk_qr_draw). */
kiosk_print_outcome_t kiosk_slip_print(kiosk_slip_composer_t *composer, hw_printer_t *printer,
                                       const kiosk_slip_t *slip, int width,
                                       hw_print_result_t *result);

/* The content string key of the message for an outcome and printer state
 * ("print.done", "print.unconfirmed", "print.failed.paper_out",
 * "print.failed"), and its English text (the fallback when the content
 * lacks the key). */
const char *kiosk_print_message_key(kiosk_print_outcome_t outcome, hw_printer_state_t state);
const char *kiosk_print_message_en(kiosk_print_outcome_t outcome, hw_printer_state_t state);

#endif
