/*
 * bench_print.c: `waymark bench print [--slips N] [--paper 58|80]`: how
 * long a referral slip takes the software, against how long the wire and
 * the printer take. Composes each sample service's bilingual slip in each
 * sample language (layout, drawing, QR code) and encodes it as ESC/POS
 * (bands of GS v 0 sized for a 4 KB buffer, feed, cut), after one untimed
 * warm-up pass; prints per language the milliseconds to compose and to
 * encode, the bytes and rows per slip, the time those bytes take on a
 * 115200 baud serial line (10 bits a byte) and the time the paper takes
 * at 80 mm/s (8 rows a mm), and the software's share of the wait.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "slip.h"

#define BENCH_SLIPS      20
#define BENCH_BAUD       115200.0
#define BENCH_SPEED_MM_S 80.0
#define BENCH_BUFFER     4096

static double now_ms(void);
static wm_status_t encode(const render_canvas_t *c, hw_bytes_t *out);

int kiosk_bench_print(int argc, char **argv)
{
    const char *const *ids = kiosk_slip_sample_ids(), *const *langs = kiosk_slip_sample_langs();
    int slips = BENCH_SLIPS, width = HW_DOTS_80MM, paper = 80;
    i18n_fonts_t *fonts = NULL;
    kiosk_slip_composer_t *comp = NULL;
    hw_bytes_t bytes = {0};
    double all_compose = 0, all_encode = 0, all_bytes = 0, all_rows = 0;
    int all_n = 0, rc = 1;

    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            kiosk_bench_print_usage(stdout);
            return 0;
        }
        if (strcmp(argv[i], "--slips") == 0 && v && atoi(v) > 0 && atoi(v) <= 100000) {
            slips = atoi(v);
            i++;
        } else if (strcmp(argv[i], "--paper") == 0 && v &&
                   (strcmp(v, "58") == 0 || strcmp(v, "80") == 0)) {
            paper = atoi(v);
            width = paper == 58 ? HW_DOTS_58MM : HW_DOTS_80MM;
            i++;
        } else {
            fprintf(stderr, "waymark: bench print: bad argument '%s'\n", argv[i]);
            kiosk_bench_print_usage(stderr);
            return 2;
        }
    }
    if (i18n_fonts_create(NULL, &fonts) != WM_OK ||
        kiosk_slip_composer_create(fonts, &comp) != WM_OK) {
        fprintf(stderr, "waymark: bench print: %s\n", wm_last_error());
        goto out;
    }
    printf("slips: %d per language (each of %d services in turn), %d mm paper (%d dots), "
           "local language de\n",
           slips, 3, paper, width);
    printf("%-5s %10s %10s %9s %7s %12s %12s %9s\n", "lang", "compose ms", "encode ms", "bytes",
           "rows", "115200 Bd s", "80 mm/s s", "software");
    for (size_t l = 0; langs[l]; l++) {
        double tc = 0, te = 0, nbytes = 0, nrows = 0;
        for (int pass = -1; pass < slips; pass++) { /* pass -1: warm-up */
            kiosk_slip_t slip;
            render_canvas_t *c = NULL;
            double t0, t1, t2;

            if (kiosk_slip_sample(ids[(pass + 3) % 3], langs[l], "2026-12-01", &slip) != WM_OK)
                goto fail;
            t0 = now_ms();
            if (kiosk_slip_compose(comp, &slip, width, &c) != WM_OK)
                goto fail;
            t1 = now_ms();
            bytes.len = 0;
            if (encode(c, &bytes) != WM_OK) {
                render_canvas_destroy(c);
                goto fail;
            }
            t2 = now_ms();
            if (pass >= 0) {
                tc += t1 - t0;
                te += t2 - t1;
                nbytes += (double)bytes.len;
                nrows += c->height;
            }
            render_canvas_destroy(c);
        }
        {
            double sw = (tc + te) / slips, wire = nbytes / slips * 10.0 / BENCH_BAUD,
                   paper_s = nrows / slips / (BENCH_SPEED_MM_S * HW_DOTS_PER_MM);
            double slow = wire > paper_s ? wire : paper_s;
            printf("%-5s %10.2f %10.3f %9.0f %7.0f %12.2f %12.2f %8.1f%%\n", langs[l], tc / slips,
                   te / slips, nbytes / slips, nrows / slips, wire, paper_s,
                   100.0 * (sw / 1000.0) / (sw / 1000.0 + slow));
        }
        all_compose += tc;
        all_encode += te;
        all_bytes += nbytes;
        all_rows += nrows;
        all_n += slips;
    }
    {
        double sw = (all_compose + all_encode) / all_n,
               wire = all_bytes / all_n * 10.0 / BENCH_BAUD,
               paper_s = all_rows / all_n / (BENCH_SPEED_MM_S * HW_DOTS_PER_MM);
        double slow = wire > paper_s ? wire : paper_s;
        printf("%-5s %10.2f %10.3f %9.0f %7.0f %12.2f %12.2f %8.1f%%\n", "all", all_compose / all_n,
               all_encode / all_n, all_bytes / all_n, all_rows / all_n, wire, paper_s,
               100.0 * (sw / 1000.0) / (sw / 1000.0 + slow));
        printf("per slip: %.1f ms of software, then %.2f s on a 115200 baud line or %.2f s of "
               "paper at 80 mm/s, whichever is slower\n",
               sw, wire, paper_s);
    }
    rc = 0;
    goto out;
fail:
    fprintf(stderr, "waymark: bench print: %s\n", wm_last_error());
out:
    hw_bytes_free(&bytes);
    kiosk_slip_composer_destroy(comp);
    i18n_fonts_destroy(fonts);
    return rc;
}

void kiosk_bench_print_usage(FILE *f)
{
    fputs("usage: waymark bench print [--slips N] [--paper 58|80]\n"
          "\n"
          "Composes and encodes each sample service's bilingual slip (person's language and\n"
          "German) N times per language (default 20) after a warm-up, and prints the\n"
          "milliseconds to compose and to encode, bytes and rows per slip, and the seconds\n"
          "those take at 115200 baud and at 80 mm/s, with the software's share of the wait.\n",
          f);
}

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The bytes hw_printer_print() sends for this slip. */
static wm_status_t encode(const render_canvas_t *c, hw_bytes_t *out)
{
    hw_bitmap_t bm = {c->width, c->height, c->stride, c->pixels};
    int band = hw_escpos_band_rows(c->width, BENCH_BUFFER / 2);
    wm_status_t st = hw_escpos_init(out);

    for (int y = 0; st == WM_OK && y < c->height; y += band)
        st = hw_escpos_raster(out, &bm, y, c->height - y < band ? c->height - y : band);
    if (st == WM_OK)
        st = hw_escpos_feed_lines(out, 4);
    if (st == WM_OK)
        st = hw_escpos_cut(out, false);
    return st;
}
