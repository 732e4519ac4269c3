/*
 * test_print.c: referral slips as a person and a phone see them: slips in
 * English, Arabic, Tigrinya, Burmese and Urdu at 58 and 80 mm go through
 * the driver to `waymark printer-sim` (over a pseudo-terminal and over
 * TCP), come back as PNG files, and `zbarimg` reads exactly the service's
 * QR payload from them; the printed image is the composed one, dot for
 * dot; nothing is drawn in the margins; every character has a font; QR
 * modules are exact; outcomes and messages for a printer that cannot
 * print; `waymark print` on the command line, which prints a service of
 * the content with the booth's own slip assembly; the printer in the
 * configuration.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "kiosk.h"
#include "slip.h"
#include "testutil.h"

#define DATE   "2026-12-01"
#define SAMPLE WAYMARK_SOURCE_DIR "/content/sample"

static i18n_fonts_t *fonts;
static kiosk_slip_composer_t *comp;

static void setup(void)
{
    const char *const *langs = kiosk_slip_sample_langs();

    ck_assert_int_eq(i18n_fonts_create(NULL, &fonts), WM_OK);
    ck_assert_int_eq(kiosk_slip_composer_create(fonts, &comp), WM_OK);
    /* warm the fonts and glyphs once, in the parent: every forked test
     * starts with them */
    for (size_t l = 0; langs[l]; l++) {
        for (int w = 0; w < 2; w++) {
            kiosk_slip_t slip;
            render_canvas_t *c = NULL;
            ck_assert_int_eq(kiosk_slip_sample("health-clinic", langs[l], DATE, &slip), WM_OK);
            ck_assert_int_eq(kiosk_slip_compose(comp, &slip, w ? HW_DOTS_80MM : HW_DOTS_58MM, &c),
                             WM_OK);
            render_canvas_destroy(c);
        }
    }
}

static void teardown(void)
{
    kiosk_slip_composer_destroy(comp);
    i18n_fonts_destroy(fonts);
}

static bool black(const render_canvas_t *c, int x, int y)
{
    return render_canvas_get(c, x, y).r == 0;
}

/* ---- composing ---------------------------------------------------------- */

START_TEST(every_sample_slip_has_its_glyphs_and_keeps_to_the_margins)
{
    const char *const *ids = kiosk_slip_sample_ids(), *const *langs = kiosk_slip_sample_langs();
    static const int widths[] = {HW_DOTS_58MM, HW_DOTS_80MM};

    for (size_t i = 0; ids[i]; i++) {
        for (size_t l = 0; langs[l]; l++) {
            for (size_t w = 0; w < 2; w++) {
                kiosk_slip_t slip;
                render_canvas_t *c = NULL;
                int inked = 0;

                ck_assert_int_eq(kiosk_slip_sample(ids[i], langs[l], DATE, &slip), WM_OK);
                ck_assert_int_eq(kiosk_slip_compose(comp, &slip, widths[w], &c), WM_OK);
                ck_assert_int_eq(c->width, widths[w]);
                ck_assert_msg(kiosk_slip_composer_missing(comp) == 0, "%s %s: %zu boxes", ids[i],
                              langs[l], kiosk_slip_composer_missing(comp));
                for (int y = 0; y < c->height; y++) {
                    for (int x = 0; x < 8; x++) {
                        if (black(c, x, y) || black(c, c->width - 1 - x, y))
                            ck_abort_msg("%s %s %d: ink in the margin at y %d", ids[i], langs[l],
                                         widths[w], y);
                    }
                }
                for (int y = 0; y < 8; y++)
                    for (int x = 0; x < c->width; x++)
                        inked += black(c, x, y) + black(c, x, c->height - 1 - y);
                ck_assert_int_eq(inked, 0);
                render_canvas_destroy(c);
            }
        }
    }
}
END_TEST

/* The widest line of ink in rows [y0, y1): its leftmost and rightmost
 * black pixels. */
static void ink_extent(const render_canvas_t *c, int y0, int y1, int *left, int *right)
{
    *left = c->width;
    *right = -1;
    for (int y = y0; y < y1; y++)
        for (int x = 0; x < c->width; x++)
            if (black(c, x, y)) {
                if (x < *left)
                    *left = x;
                if (x > *right)
                    *right = x;
            }
}

START_TEST(right_to_left_slips_are_right_aligned)
{
    /* only the service name: a slip whose other texts are left out */
    static const struct {
        const char *lang, *name;
        bool rtl;
    } cases[] = {
        {"en", "Health clinic", false},    {"ar", "عيادة صحية", true},
        {"ur", "صحت کلینک", true},         {"ti", "ክሊኒክ ጥዕና", false},
        {"my", "ကျန်းမာရေး ဆေးခန်း", false},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        kiosk_slip_t slip;
        render_canvas_t *c = NULL;
        int left, right;

        memset(&slip, 0, sizeof(slip));
        slip.person.lang = cases[i].lang;
        slip.person.name = cases[i].name;
        slip.qr = "x";
        ck_assert_int_eq(kiosk_slip_compose(comp, &slip, HW_DOTS_80MM, &c), WM_OK);
        ink_extent(c, 0, 60, &left, &right); /* the name is first */
        ck_assert_int_ge(right, 0);
        if (cases[i].rtl) {
            ck_assert_msg(right >= c->width - 16 - 8, "%s: right edge %d", cases[i].lang, right);
            ck_assert_msg(left > 24, "%s: left edge %d", cases[i].lang, left);
        } else {
            ck_assert_msg(left <= 16 + 8, "%s: left edge %d", cases[i].lang, left);
            ck_assert_msg(right < c->width - 24, "%s: right edge %d", cases[i].lang, right);
        }
        render_canvas_destroy(c);
    }
}
END_TEST

START_TEST(qr_modules_are_exact_and_sized_to_fit)
{
    kiosk_qr_t qr = {0};
    render_canvas_t *c = NULL;
    int px, side;
    char *big;

    ck_assert_int_eq(kiosk_qr_encode("https://services.example.org/berlin-nord/food", &qr), WM_OK);
    ck_assert_int_eq(qr.size, 33); /* version 4 at error correction M */
    /* 58 mm: 368 / (33 + 8) = 8.9, so 8; 123 px take 3; 122 cannot */
    ck_assert_int_eq(kiosk_qr_module_px(&qr, 368, 3, 8), 8);
    ck_assert_int_eq(kiosk_qr_module_px(&qr, 560, 3, 8), 8); /* capped */
    ck_assert_int_eq(kiosk_qr_module_px(&qr, 123, 3, 8), 3);
    ck_assert_int_eq(kiosk_qr_module_px(&qr, 122, 3, 8), 0);
    px = 5;
    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_MONO1, 220, 220, &c), WM_OK);
    render_canvas_clear(c, RENDER_RGBA(0, 0, 0, 255)); /* the quiet zone must whiten it */
    side = kiosk_qr_draw(c, &qr, 3, 2, px);
    ck_assert_int_eq(side, 41 * px);
    for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
            int r = y / px - 4, col = x / px - 4;
            bool dark =
                r >= 0 && col >= 0 && r < qr.size && col < qr.size && qr.modules[r * qr.size + col];
            if (black(c, 3 + x, 2 + y) != dark)
                ck_abort_msg("pixel %d,%d", x, y);
        }
    }
    render_canvas_destroy(c);
    kiosk_qr_free(&qr);
    ck_assert_int_eq(kiosk_qr_encode("", &qr), WM_EINVAL);
    big = malloc(5000);
    memset(big, 'a', 4999);
    big[4999] = '\0';
    ck_assert_int_eq(kiosk_qr_encode(big, &qr), WM_EINVAL);
    free(big);
}
END_TEST

START_TEST(out_of_memory_anywhere_in_composing)
{
    kiosk_slip_t slip;
    render_canvas_t *c = NULL;

    ck_assert_int_eq(kiosk_slip_sample("legal-aid", "my", DATE, &slip), WM_OK);
    ck_assert_int_eq(kiosk_slip_compose(comp, &slip, HW_DOTS_58MM, &c), WM_OK); /* warm */
    render_canvas_destroy(c);
    for (long n = 0;; n++) {
        wm_status_t st;
        c = NULL;
        wm_fault_alloc_after(n);
        st = kiosk_slip_compose(comp, &slip, HW_DOTS_58MM, &c);
        wm_fault_reset();
        if (st == WM_OK) {
            ck_assert_ptr_nonnull(c);
            render_canvas_destroy(c);
            ck_assert_int_ge(n, 2); /* QR modules, canvas, its pixels */
            break;
        }
        ck_assert_msg(st == WM_ENOMEM, "alloc %ld: %d %s", n, st, wm_last_error());
        ck_assert_ptr_null(c);
        ck_assert_int_lt(n, 10000);
    }
}
END_TEST

/* ---- printing outcomes -------------------------------------------------- */

START_TEST(outcomes_and_messages_follow_the_printer)
{
    static const struct {
        const char *uri;
        kiosk_print_outcome_t outcome;
        const char *key;
    } cases[] = {
        {"sim:?speed=0", KIOSK_PRINT_PRINTED, "print.done"},
        {"sim:?speed=0&state=paper_near_end", KIOSK_PRINT_PRINTED, "print.done"},
        {"sim:?speed=0&reply=none&timeout=20", KIOSK_PRINT_UNCONFIRMED, "print.unconfirmed"},
        {"sim:?speed=0&state=paper_out", KIOSK_PRINT_FAILED, "print.failed.paper_out"},
        {"sim:?speed=0&paper_out_after=300", KIOSK_PRINT_FAILED, "print.failed.paper_out"},
        {"sim:?speed=0&state=cover_open", KIOSK_PRINT_FAILED, "print.failed"},
        {"sim:?speed=0&reply=garbage", KIOSK_PRINT_FAILED, "print.failed"},
    };
    kiosk_slip_t slip;

    ck_assert_int_eq(kiosk_slip_sample("food", "ar", DATE, &slip), WM_OK);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        hw_printer_t *p = NULL;
        hw_print_result_t res;
        kiosk_print_outcome_t o;

        ck_assert_int_eq(hw_printer_open(cases[i].uri, &p), WM_OK);
        o = kiosk_slip_print(comp, p, &slip, HW_DOTS_80MM, &res);
        ck_assert_msg(o == cases[i].outcome, "%s: outcome %d", cases[i].uri, o);
        ck_assert_str_eq(kiosk_print_message_key(o, res.after), cases[i].key);
        ck_assert_ptr_nonnull(kiosk_print_message_en(o, res.after));
        hw_printer_close(p);
    }
}
END_TEST

/* ---- round trips through the emulator ----------------------------------- */

/* Starts `waymark printer-sim` for one job; returns its stdout and puts
 * the URI it listens on in uri. */
static FILE *sim_start(const char *how, const char *dir, int paper, char *uri, size_t size)
{
    char cmd[2048];
    FILE *f;

    snprintf(cmd, sizeof(cmd), "'%s' printer-sim %s --out '%s' --paper %d --jobs 1 --idle 60",
             WAYMARK_BINARY, how, dir, paper);
    f = popen(cmd, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(fgets(uri, (int)size, f));
    uri[strcspn(uri, "\n")] = '\0';
    return f;
}

static void round_trip(const char *how, const char *lang, int paper, const char *pacing)
{
    const char *dir = tu_tmpdir();
    char uri[256], full[400], png[600], cmd[800];
    int width = paper == 58 ? HW_DOTS_58MM : HW_DOTS_80MM, status;
    kiosk_slip_t slip;
    render_canvas_t *want = NULL, *got = NULL;
    hw_printer_t *p = NULL;
    hw_print_result_t res;
    FILE *sim;
    char *out;

    ck_assert_int_eq(kiosk_slip_sample("health-clinic", lang, DATE, &slip), WM_OK);
    ck_assert_int_eq(kiosk_slip_compose(comp, &slip, width, &want), WM_OK);
    sim = sim_start(how, dir, paper, uri, sizeof(uri));
    snprintf(full, sizeof(full), "%s%s%s", uri,
             strncmp(uri, "serial:", 7) == 0 ? "?baud=115200&" : "?", pacing);
    ck_assert_msg(hw_printer_open(full, &p) == WM_OK, "%s: %s", full, wm_last_error());
    ck_assert_msg(kiosk_slip_print(comp, p, &slip, width, &res) == KIOSK_PRINT_PRINTED,
                  "%s %s %d: %s", how, lang, paper, wm_last_error());
    hw_printer_close(p);
    ck_assert_int_eq(pclose(sim), 0);

    /* the emulator's page is the composed slip, dot for dot, then the feed */
    snprintf(png, sizeof(png), "%s/job-0001.png", dir);
    ck_assert_msg(render_png_read(png, &got) == WM_OK, "%s", wm_last_error());
    ck_assert_int_eq(got->width, width);
    ck_assert_int_eq(got->height, want->height + 4 * 30);
    for (int y = 0; y < got->height; y++) {
        const uint8_t *g = got->pixels + (size_t)y * (size_t)got->stride;
        const uint8_t *w = want->pixels + (size_t)(y < want->height ? y : 0) * (size_t)want->stride;
        for (int x = 0; x < width; x++) {
            bool ink = y < want->height && (w[x >> 3] & (0x80u >> (x & 7)));
            if ((g[4 * x] == 0) != ink) /* after the slip: the feed, blank */
                ck_abort_msg("%s %s: pixel %d,%d differs", how, lang, x, y);
        }
    }
    /* and a phone reads exactly the service's payload */
    snprintf(cmd, sizeof(cmd), "zbarimg -q --raw '%s' 2>/dev/null", png);
    out = tu_run(cmd, &status);
    ck_assert_int_eq(status, 0);
    ck_assert_ptr_nonnull(out);
    ck_assert_msg(strcmp(out, "https://services.example.org/berlin-nord/health-clinic\n") == 0,
                  "%s %s %d: zbarimg read '%s'", how, lang, paper, out);
    free(out);
    render_canvas_destroy(got);
    render_canvas_destroy(want);
}

static const char *const rt_langs[] = {"en", "ar", "ti", "my", "ur"};

START_TEST(round_trip_over_a_pty)
{
    const char *lang = rt_langs[_i / 2];
    int paper = _i % 2 ? 80 : 58;

    /* the first one paced at the default 80 mm/s, the rest as fast as the line */
    round_trip("--pty", lang, paper, _i == 0 ? "" : "speed=0");
}
END_TEST

START_TEST(round_trip_over_tcp)
{
    const char *lang = rt_langs[_i / 2];
    int paper = _i % 2 ? 80 : 58;

    round_trip("--tcp 0", lang, paper, _i == 1 ? "" : "speed=0");
}
END_TEST

START_TEST(emulator_faults_over_the_wire)
{
    static const struct {
        const char *flags;
        kiosk_print_outcome_t outcome;
        hw_printer_state_t after;
        int jobs;
    } cases[] = {
        {"--paper-out-after 200", KIOSK_PRINT_FAILED, HW_PRINTER_PAPER_OUT, 0},
        {"--state cover_open", KIOSK_PRINT_FAILED, HW_PRINTER_COVER_OPEN, 0},
        {"--no-reply", KIOSK_PRINT_UNCONFIRMED, HW_PRINTER_UNKNOWN, 1},
        {"--garbage", KIOSK_PRINT_FAILED, HW_PRINTER_ERROR, 0},
        {"--slow 1 --chunk 300", KIOSK_PRINT_PRINTED, HW_PRINTER_READY, 1},
        {"--disconnect-after 20000", KIOSK_PRINT_FAILED, HW_PRINTER_NOT_CONNECTED, 0},
    };
    kiosk_slip_t slip;

    ck_assert_int_eq(kiosk_slip_sample("legal-aid", "ur", DATE, &slip), WM_OK);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *dir = tu_tmpdir();
        char how[128], uri[256], full[400], png[600];
        hw_printer_t *p = NULL;
        hw_print_result_t res;
        kiosk_print_outcome_t o;
        struct stat sb;
        FILE *sim;

        snprintf(how, sizeof(how), "--tcp 0 --connections 1 %s", cases[i].flags);
        sim = sim_start(how, dir, 58, uri, sizeof(uri));
        /* a slow reader answers status once it has read the backlog: wait
         * longer for it (the others answer at once or never) */
        snprintf(full, sizeof(full), "%s?speed=0&timeout=%d", uri,
                 strstr(cases[i].flags, "--slow") ? 10000 : 300);
        ck_assert_int_eq(hw_printer_open(full, &p), WM_OK);
        o = kiosk_slip_print(comp, p, &slip, HW_DOTS_58MM, &res);
        hw_printer_close(p);
        ck_assert_msg(o == cases[i].outcome, "%s: outcome %d (%s)", cases[i].flags, o,
                      wm_last_error());
        ck_assert_msg(res.after == cases[i].after, "%s: after %s", cases[i].flags,
                      hw_printer_state_name(res.after));
        ck_assert(o == KIOSK_PRINT_PRINTED || !res.printed);
        snprintf(png, sizeof(png), "%s/job-0001.png", dir);
        ck_assert_int_eq(pclose(sim), 0); /* it stops when we hang up */
        ck_assert_int_eq(stat(png, &sb) == 0, cases[i].jobs == 1);
    }
}
END_TEST

START_TEST(emulator_rejects_malformed_commands_on_the_wire_loudly)
{
    static const uint8_t bad[] = {0x1b, 0x40, 0x1b, 0x74, 0x11, 0x1d, 0x56, 0x42, 0x00};
    char cmd[2048], uri[256], full[300], rest[4096];
    hw_printer_t *p = NULL;
    size_t n;
    FILE *f;

    snprintf(cmd, sizeof(cmd), "'%s' printer-sim --tcp 0 --connections 1 --out '%s' --idle 60 2>&1",
             WAYMARK_BINARY, tu_tmpdir());
    f = popen(cmd, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(fgets(uri, sizeof(uri), f));
    uri[strcspn(uri, "\n")] = '\0';
    snprintf(full, sizeof(full), "%s?timeout=300", uri);
    ck_assert_int_eq(hw_printer_open(full, &p), WM_OK);
    ck_assert_int_eq(hw_printer_write(p, bad, sizeof(bad)), WM_OK);
    /* the emulator now says error */
    ck_assert_int_eq(hw_printer_status(p, NULL), HW_PRINTER_ERROR);
    hw_printer_close(p);
    n = fread(rest, 1, sizeof(rest) - 1, f);
    rest[n] = '\0';
    ck_assert_int_ne(pclose(f), 0); /* exit status 1 */
    ck_assert_msg(strstr(rest, "byte 2: unknown command ESC 0x74"), "%s", rest);
    ck_assert_msg(strstr(rest, "0 jobs printed"), "%s", rest);
}
END_TEST

/* ---- the command line --------------------------------------------------- */

static char *run(const char *args, int *status)
{
    char cmd[2048];

    snprintf(cmd, sizeof(cmd), "'%s' %s 2>&1", WAYMARK_BINARY, args);
    return tu_run(cmd, status);
}

START_TEST(print_command_previews_prints_and_refuses)
{
    const char *dir = tu_tmpdir();
    char args[1024], path[600];
    struct stat sb;
    int status;
    char *out;

    snprintf(path, sizeof(path), "%s/ti.png", dir);
    snprintf(args, sizeof(args),
             "print --service clinic --lang ti --content '%s' --paper 58 --png '%s' --date %s",
             SAMPLE, path, DATE);
    out = run(args, &status);
    ck_assert_msg(status == 0, "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "384x"));
    ck_assert_int_eq(stat(path, &sb), 0);
    free(out);

    snprintf(path, sizeof(path), "%s/job.png", dir);
    snprintf(args, sizeof(args),
             "print --service legal-aid --lang ar --content '%s' --printer 'sim:?speed=0' "
             "--job-png '%s'",
             SAMPLE, path);
    out = run(args, &status);
    ck_assert_msg(status == 0, "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "printed on sim:"));
    free(out);
    snprintf(args, sizeof(args), "zbarimg -q --raw '%s' 2>/dev/null", path);
    out = tu_run(args, &status);
    ck_assert_str_eq(out, "https://porte-sud.example.org/fr/aide-juridique\n");
    free(out);

    snprintf(path, sizeof(path), "%s/test.png", dir);
    snprintf(args, sizeof(args), "print --test-page --paper 58 --png '%s'", path);
    out = run(args, &status);
    ck_assert_msg(status == 0, "%s", out);
    free(out);
    snprintf(args, sizeof(args), "zbarimg -q --raw '%s' 2>/dev/null", path);
    out = tu_run(args, &status);
    ck_assert_str_eq(out, "WAYMARK TEST PAGE\n");
    free(out);

    out = run("print --test-page --printer 'sim:?state=cover_open'", &status);
    ck_assert_int_eq(status, 1);
    ck_assert_ptr_nonnull(strstr(out, "not printed"));
    ck_assert_ptr_nonnull(strstr(out, "cover open"));
    free(out);

    out = run("print --test-page --printer 'lpt:/dev/lp0'", &status);
    ck_assert_int_eq(status, 2);
    ck_assert_ptr_nonnull(strstr(out, "unknown scheme 'lpt'"));
    free(out);

    out = run("print --service food --lang", &status);
    ck_assert_int_eq(status, 2);
    ck_assert_ptr_nonnull(strstr(out, "--lang needs a value"));
    free(out);
}
END_TEST

/* The raster of an ESC/POS job as the printer would print it: ESC @,
 * GS v 0 bands stacked, ESC d feed, GS V cut; anything else fails. */
static render_canvas_t *escpos_raster(const uint8_t *d, size_t len)
{
    render_canvas_t *c = NULL;
    uint8_t *bits = NULL;
    size_t rows = 0, row_bytes = 0, i = 0;

    while (i < len) {
        if (i + 1 < len && d[i] == 0x1b && d[i + 1] == '@') {
            i += 2;
        } else if (i + 2 < len && d[i] == 0x1b && d[i + 1] == 'd') {
            i += 3;
        } else if (i + 3 < len && d[i] == 0x1d && d[i + 1] == 'V') {
            i += d[i + 2] >= 65 ? 4 : 3;
        } else if (i + 7 < len && d[i] == 0x1d && d[i + 1] == 'v' && d[i + 2] == '0') {
            size_t w = d[i + 4] | (size_t)d[i + 5] << 8, h = d[i + 6] | (size_t)d[i + 7] << 8;

            ck_assert_msg(i + 8 + w * h <= len, "band cut short at byte %zu", i);
            ck_assert_msg(!row_bytes || row_bytes == w, "bands of %zu and %zu bytes", row_bytes, w);
            row_bytes = w;
            bits = realloc(bits, (rows + h) * w);
            memcpy(bits + rows * w, d + i + 8, w * h);
            rows += h;
            i += 8 + w * h;
        } else {
            ck_abort_msg("byte %zu: 0x%02x is not a command of a slip", i, d[i]);
        }
    }
    ck_assert_uint_gt(rows, 0);
    ck_assert_int_eq(render_canvas_create(RENDER_FORMAT_MONO1, (int)row_bytes * 8, (int)rows, &c),
                     WM_OK);
    for (size_t y = 0; y < rows; y++) {
        for (size_t x = 0; x < row_bytes * 8; x++) {
            if (bits[y * row_bytes + x / 8] & (0x80 >> (x % 8)))
                render_canvas_fill_rect(c, (int)x, (int)y, 1, 1, (render_color_t){0, 0, 0, 255});
        }
    }
    free(bits);
    return c;
}

/* `waymark print --service ID` to a file: printer: the bytes, decoded as a
 * printer would, hold a QR code that zbarimg reads as the content's
 * payload for that service (not a fixture's); --lang changes the person's
 * half; an unknown service or language is refused, naming it. */
START_TEST(print_service_comes_from_the_content)
{
    const char *dir = tu_tmpdir(), *langs[] = {"en", "ar"};
    content_t *content;
    render_canvas_t *raster[2];
    char args[1400], path[600], png[600];
    int status, at;
    char *out;

    ck_assert_int_eq(content_load_dir(SAMPLE, &content), WM_OK);
    at = kiosk_slip_service_find(content, "night-shelter");
    ck_assert_int_ge(at, 0);
    for (int l = 0; l < 2; l++) {
        size_t len;
        uint8_t *job;
        char want[300];

        snprintf(path, sizeof(path), "%s/job-%s.bin", dir, langs[l]);
        snprintf(args, sizeof(args),
                 "print --service night-shelter --lang %s --content '%s' --paper 58 --date %s "
                 "--printer 'file:%s'",
                 langs[l], SAMPLE, DATE, path);
        out = run(args, &status);
        ck_assert_msg(status == 0, "%s", out);
        free(out);
        job = (uint8_t *)tu_read_file(path, &len);
        ck_assert_ptr_nonnull(job);
        raster[l] = escpos_raster(job, len);
        free(job);
        ck_assert_int_eq(raster[l]->width, HW_DOTS_58MM);
        snprintf(png, sizeof(png), "%s/job-%s.png", dir, langs[l]);
        ck_assert_int_eq(render_png_write(png, raster[l]), WM_OK);
        snprintf(args, sizeof(args), "zbarimg -q --raw '%s' 2>/dev/null", png);
        out = tu_run(args, &status);
        snprintf(want, sizeof(want), "%s\n", content_service(content, (size_t)at)->qr);
        ck_assert_str_eq(out, want);
        free(out);
    }
    /* the person's half: another language, other lines (the local French
     * half and the QR code are the same) */
    {
        long differ = 0;
        int h = raster[0]->height < raster[1]->height ? raster[0]->height : raster[1]->height;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < raster[0]->width; x++)
                differ += black(raster[0], x, y) != black(raster[1], x, y);
        }
        ck_assert_msg(differ > 2000, "en and ar slips differ in %ld dots", differ);
    }
    render_canvas_destroy(raster[0]);
    render_canvas_destroy(raster[1]);

    snprintf(args, sizeof(args), "print --service nowhere --content '%s' --png /dev/null", SAMPLE);
    out = run(args, &status);
    ck_assert_int_eq(status, 2);
    ck_assert_msg(strstr(out, "no service 'nowhere'") && strstr(out, "night-shelter"), "%s", out);
    free(out);
    snprintf(args, sizeof(args), "print --service clinic --lang de --content '%s' --png /dev/null",
             SAMPLE);
    out = run(args, &status);
    ck_assert_int_eq(status, 2);
    ck_assert_msg(strstr(out, "no language 'de'"), "%s", out);
    free(out);
    content_destroy(content);
}
END_TEST

/* The booth's slip assembly: both halves from the content, the marks,
 * phone and QR payload of the service; no local half when the person
 * reads the local language; a service without a QR code has no slip. */
START_TEST(slip_from_content_fills_both_halves)
{
    content_t *content;
    kiosk_slip_t slip;
    kiosk_slip_storage_t storage;
    const content_service_t *sv;
    int at, ar, fr;

    ck_assert_int_eq(content_load_dir(SAMPLE, &content), WM_OK);
    at = kiosk_slip_service_find(content, "clinic");
    ar = content_language_find(content, "ar");
    fr = content_language_find(content, "fr");
    ck_assert(at >= 0 && ar >= 0 && fr >= 0);
    sv = content_service(content, (size_t)at);
    ck_assert_int_eq(
        kiosk_slip_from_content(content, (size_t)at, (size_t)ar, 1796126400, &slip, &storage),
        WM_OK);
    ck_assert_str_eq(slip.person.lang, "ar");
    ck_assert_str_eq(slip.local.lang, "fr");
    ck_assert_str_eq(slip.person.name,
                     content_text(content, (size_t)ar, "service.clinic.name", NULL));
    ck_assert_str_eq(slip.local.name,
                     content_text(content, (size_t)fr, "service.clinic.name", NULL));
    ck_assert_str_ne(slip.person.name, slip.local.name);
    ck_assert_str_eq(slip.person.site, content_text(content, (size_t)ar, "site.name", NULL));
    ck_assert_ptr_nonnull(slip.person.hours);
    ck_assert_ptr_nonnull(slip.local.hours);
    ck_assert_str_eq(slip.qr, sv->qr);
    ck_assert_str_eq(slip.phone, sv->phone);
    ck_assert(slip.free && slip.no_documents);
    ck_assert_str_eq(slip.date, "2026-12-01");
    ck_assert_int_eq(
        kiosk_slip_from_content(content, (size_t)at, (size_t)fr, 1796126400, &slip, &storage),
        WM_OK);
    ck_assert_str_eq(slip.person.lang, slip.local.lang); /* the composer prints one half */
    at = kiosk_slip_service_find(content, "meals");
    ck_assert_int_ge(at, 0);
    ck_assert_int_eq(
        kiosk_slip_from_content(content, (size_t)at, (size_t)fr, 1796126400, &slip, &storage),
        WM_EINVAL);
    ck_assert_int_eq(kiosk_slip_from_content(content, content_service_count(content), (size_t)fr,
                                             1796126400, &slip, &storage),
                     WM_ENOENT);
    ck_assert_int_eq(kiosk_slip_service_find(content, "nowhere"), -1);
    content_destroy(content);
}
END_TEST

START_TEST(printer_in_the_configuration_is_checked_at_load)
{
    kiosk_options_t o;

    kiosk_options_default(&o);
    ck_assert_str_eq(o.printer, "sim:");
    ck_assert_int_eq(o.paper_mm, 80);
    ck_assert_int_eq(kiosk_config_parse("printer = serial:/dev/serial0?baud=9600\n"
                                        "paper_width = 58\n",
                                        "t.conf", &o),
                     WM_OK);
    ck_assert_str_eq(o.printer, "serial:/dev/serial0?baud=9600");
    ck_assert_int_eq(o.paper_mm, 58);
    ck_assert_int_eq(kiosk_config_parse("printer = usb0\n", "t.conf", &o), WM_EFORMAT);
    ck_assert_ptr_nonnull(strstr(wm_last_error(), "t.conf:1: printer: 'usb0' has no scheme"));
    ck_assert_int_eq(kiosk_config_parse("paper_width = 57\n", "t.conf", &o), WM_EFORMAT);
    ck_assert_ptr_nonnull(strstr(wm_last_error(), "58 or 80"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("print");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_unchecked_fixture(tc, setup, teardown); /* warm fonts, shared by the forks */
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, every_sample_slip_has_its_glyphs_and_keeps_to_the_margins);
    tcase_add_test(tc, right_to_left_slips_are_right_aligned);
    tcase_add_test(tc, qr_modules_are_exact_and_sized_to_fit);
    tcase_add_test(tc, outcomes_and_messages_follow_the_printer);
    tcase_add_loop_test(tc, round_trip_over_a_pty, 0, 10);
    tcase_add_loop_test(tc, round_trip_over_tcp, 0, 10);
    tcase_add_test(tc, emulator_faults_over_the_wire);
    tcase_add_test(tc, emulator_rejects_malformed_commands_on_the_wire_loudly);
    tcase_add_test(tc, print_command_previews_prints_and_refuses);
    tcase_add_test(tc, print_service_comes_from_the_content);
    tcase_add_test(tc, slip_from_content_fills_both_halves);
    tcase_add_test(tc, printer_in_the_configuration_is_checked_at_load);
    /* only where allocation failures can be injected (scripts/test builds) */
    if (wm_fault_injection_available())
        tcase_add_test(tc, out_of_memory_anywhere_in_composing);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
