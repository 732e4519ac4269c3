/*
 * test_hw.c: the hw module as a printer sees it: the exact ESC/POS bytes
 * for known bitmaps, bands that fit the buffer and waits that keep it from
 * overflowing, every DLE EOT reply decoded, printer URIs, the emulator's
 * jobs and rejections, faults (paper out mid-job, cover open, no reply,
 * garbage, a slow reader, every transport read and write failing in turn)
 * and the status probes with their simulated twins.
 */
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <dirent.h>

#include "content.h"
#include "hw.h"
#include "status.h"
#include "testutil.h"

/* ---- helpers ------------------------------------------------------------ */

/* A bitmap with a recognisable pattern: row y, byte x holds (x * 7 + y). */
typedef struct {
    hw_bitmap_t bm;
    uint8_t *bits;
} test_bitmap_t;

static void bitmap_make(test_bitmap_t *t, int width, int height)
{
    int stride = (width + 7) / 8;

    t->bits = calloc((size_t)height, (size_t)stride);
    ck_assert_ptr_nonnull(t->bits);
    for (int y = 0; y < height; y++)
        for (int x = 0; x < stride; x++)
            t->bits[y * stride + x] = (uint8_t)(x * 7 + y);
    t->bm.width = width;
    t->bm.height = height;
    t->bm.stride = stride;
    t->bm.bits = t->bits;
}

/* Jobs the sim backend hands over: copies of the last one. */
typedef struct {
    int jobs;
    int width, height;
    uint8_t *bits;
} sink_t;

static void sink_job(void *ctx, const hw_bitmap_t *job)
{
    sink_t *s = ctx;
    size_t n = (size_t)job->height * (size_t)job->stride;

    s->jobs++;
    s->width = job->width;
    s->height = job->height;
    free(s->bits);
    s->bits = malloc(n);
    ck_assert_ptr_nonnull(s->bits);
    memcpy(s->bits, job->bits, n);
}

static void sink_free(sink_t *s)
{
    free(s->bits);
    memset(s, 0, sizeof(*s));
}

/* A virtual clock: sleeping advances it, and is counted. */
typedef struct {
    uint64_t now;
    int sleeps;
    uint64_t slept;
} vclock_t;

static uint64_t vclock_now(void *ctx)
{
    return ((vclock_t *)ctx)->now;
}

static void vclock_sleep(void *ctx, int ms)
{
    vclock_t *c = ctx;

    c->now += (uint64_t)ms;
    c->slept += (uint64_t)ms;
    c->sleeps++;
}

/* The bytes of a whole job as the driver must send them (built here by
 * hand, not with the encoder): ESC @, GS v 0 bands, ESC d feed, GS V 66. */
static size_t expected_job(const hw_bitmap_t *bm, int band, int feed, uint8_t *out)
{
    size_t n = 0, row = (size_t)(bm->width + 7) / 8;

    out[n++] = 0x1b, out[n++] = 0x40;
    for (int y = 0; y < bm->height; y += band) {
        int rows = bm->height - y < band ? bm->height - y : band;
        out[n++] = 0x1d, out[n++] = 0x76, out[n++] = 0x30, out[n++] = 0x00;
        out[n++] = (uint8_t)(row & 0xff), out[n++] = (uint8_t)(row >> 8);
        out[n++] = (uint8_t)(rows & 0xff), out[n++] = (uint8_t)(rows >> 8);
        for (int r = 0; r < rows; r++) {
            memcpy(out + n, bm->bits + (size_t)(y + r) * (size_t)bm->stride, row);
            n += row;
        }
    }
    out[n++] = 0x1b, out[n++] = 0x64, out[n++] = (uint8_t)feed;
    out[n++] = 0x1d, out[n++] = 0x56, out[n++] = 66, out[n++] = 0;
    return n;
}

/* ---- ESC/POS bytes ------------------------------------------------------ */

START_TEST(raster_of_a_known_bitmap_is_exact_bytes)
{
    /* 10 dots wide, 3 rows: 2 bytes a row; the 6 bits past the width are
     * sent white even when the bitmap holds garbage there */
    static const uint8_t bits[] = {0xff, 0xff, 0x81, 0x40, 0x00, 0x3f};
    static const uint8_t want[] = {0x1d, 0x76, 0x30, 0x00, 0x02, 0x00, 0x03,
                                   0x00, 0xff, 0xc0, 0x81, 0x40, 0x00, 0x00};
    hw_bitmap_t bm = {10, 3, 2, bits};
    hw_bytes_t b = {0};

    ck_assert_int_eq(hw_escpos_raster(&b, &bm, 0, 3), WM_OK);
    ck_assert_uint_eq(b.len, sizeof(want));
    ck_assert_mem_eq(b.data, want, sizeof(want));
    /* one row from the middle */
    b.len = 0;
    ck_assert_int_eq(hw_escpos_raster(&b, &bm, 1, 1), WM_OK);
    ck_assert_uint_eq(b.len, 10);
    ck_assert_int_eq(b.data[6], 1);
    ck_assert_int_eq(b.data[8], 0x81);
    ck_assert_int_eq(b.data[9], 0x40);
    /* rows outside the bitmap are refused */
    ck_assert_int_eq(hw_escpos_raster(&b, &bm, 2, 2), WM_EINVAL);
    hw_bytes_free(&b);
}
END_TEST

START_TEST(init_feed_and_cut_are_exact_bytes)
{
    static const uint8_t want[] = {0x1b, 0x40, 0x1b, 0x64, 0x05, 0x1d, 0x56,
                                   0x42, 0x00, 0x1d, 0x56, 0x42, 0x01};
    hw_bytes_t b = {0};

    ck_assert_int_eq(hw_escpos_init(&b), WM_OK);
    ck_assert_int_eq(hw_escpos_feed_lines(&b, 5), WM_OK);
    ck_assert_int_eq(hw_escpos_cut(&b, false), WM_OK);
    ck_assert_int_eq(hw_escpos_cut(&b, true), WM_OK);
    ck_assert_uint_eq(b.len, sizeof(want));
    ck_assert_mem_eq(b.data, want, sizeof(want));
    ck_assert_int_eq(hw_escpos_feed_lines(&b, 256), WM_EINVAL);
    hw_bytes_free(&b);
}
END_TEST

START_TEST(bands_fit_the_buffer)
{
    ck_assert_int_eq(hw_escpos_band_rows(384, 2048), 42); /* 8 + 42 * 48 = 2024 */
    ck_assert_int_eq(hw_escpos_band_rows(576, 2048), 28); /* 8 + 28 * 72 = 2024 */
    ck_assert_int_eq(hw_escpos_band_rows(576, 4096), 56);
    ck_assert_int_eq(hw_escpos_band_rows(576, 10), 1); /* never zero */
    for (int w = 8; w <= 576; w += 8) {
        int rows = hw_escpos_band_rows(w, 2048);
        ck_assert_int_le(8 + rows * (w / 8), 2048);
        ck_assert_int_gt(8 + (rows + 1) * (w / 8), 2048);
    }
}
END_TEST

/* ---- status decoding ---------------------------------------------------- */

START_TEST(every_dle_eot_byte_decodes_as_specified)
{
    const int ok = 0x12;

    for (int b = 0; b < 256; b++) {
        bool valid = (b & 0x93) == 0x12;
        hw_escpos_replies_t r1 = {b, ok, ok}, r2 = {ok, b, ok}, r4 = {ok, ok, b};
        hw_printer_state_t want;

        /* DLE EOT 1: bit 3 offline */
        want = !valid ? HW_PRINTER_ERROR : (b & 0x08) ? HW_PRINTER_OFFLINE : HW_PRINTER_READY;
        ck_assert_msg(hw_escpos_status_decode(&r1) == want, "EOT 1 0x%02x", b);
        /* DLE EOT 2: bit 2 cover, bit 5 paper end stop, bit 6 error */
        want = !valid       ? HW_PRINTER_ERROR
               : (b & 0x04) ? HW_PRINTER_COVER_OPEN
               : (b & 0x20) ? HW_PRINTER_PAPER_OUT
               : (b & 0x40) ? HW_PRINTER_ERROR
                            : HW_PRINTER_READY;
        ck_assert_msg(hw_escpos_status_decode(&r2) == want, "EOT 2 0x%02x", b);
        /* DLE EOT 4: bits 2-3 near end, bits 5-6 paper out */
        want = !valid       ? HW_PRINTER_ERROR
               : (b & 0x60) ? HW_PRINTER_PAPER_OUT
               : (b & 0x0c) ? HW_PRINTER_PAPER_NEAR_END
                            : HW_PRINTER_READY;
        ck_assert_msg(hw_escpos_status_decode(&r4) == want, "EOT 4 0x%02x", b);
    }
}
END_TEST

START_TEST(no_reply_is_unknown_and_garbage_is_error)
{
    const int none = HW_ESCPOS_NO_REPLY;
    hw_escpos_replies_t all_none = {none, none, none}, first = {0x12, none, none};
    hw_escpos_replies_t no_paper = {0x12, 0x12, none}, garbage_late = {0x12, 0x12, 0xff};
    hw_escpos_replies_t cover_known = {0x12, 0x16, none}, garbage_first = {0x00, none, none};
    hw_escpos_replies_t beyond = {300, 0x12, 0x12}, near_unknown = {none, 0x12, 0x1e};

    ck_assert_int_eq(hw_escpos_status_decode(&all_none), HW_PRINTER_UNKNOWN);
    ck_assert_int_eq(hw_escpos_status_decode(&first), HW_PRINTER_UNKNOWN);
    ck_assert_int_eq(hw_escpos_status_decode(&no_paper), HW_PRINTER_UNKNOWN);
    ck_assert_int_eq(hw_escpos_status_decode(&garbage_late), HW_PRINTER_ERROR);
    ck_assert_int_eq(hw_escpos_status_decode(&garbage_first), HW_PRINTER_ERROR);
    ck_assert_int_eq(hw_escpos_status_decode(&beyond), HW_PRINTER_ERROR);
    /* what is known from the bytes that came is said */
    ck_assert_int_eq(hw_escpos_status_decode(&cover_known), HW_PRINTER_COVER_OPEN);
    /* near end only when everything else is known to be fine */
    ck_assert_int_eq(hw_escpos_status_decode(&near_unknown), HW_PRINTER_UNKNOWN);
    ck_assert(!hw_printer_state_can_print(HW_PRINTER_UNKNOWN));
    ck_assert(hw_printer_state_can_print(HW_PRINTER_PAPER_NEAR_END));
}
END_TEST

START_TEST(state_names_round_trip)
{
    for (int i = 0; i < HW_PRINTER_STATE_COUNT; i++) {
        hw_printer_state_t s;
        ck_assert_int_eq(hw_printer_state_parse(hw_printer_state_name((hw_printer_state_t)i), &s),
                         WM_OK);
        ck_assert_int_eq(s, i);
    }
    ck_assert_str_eq(hw_printer_state_name(HW_PRINTER_PAPER_OUT), "paper_out");
    ck_assert_str_eq(hw_printer_state_text(HW_PRINTER_COVER_OPEN), "cover open");
}
END_TEST

/* ---- URIs --------------------------------------------------------------- */

START_TEST(uris_parse_into_their_parts)
{
    hw_uri_t u;

    ck_assert_int_eq(hw_uri_parse("sim:", &u), WM_OK);
    ck_assert_str_eq(u.scheme, "sim");
    ck_assert_int_eq(u.sim_paper_dots, 576);
    ck_assert_int_eq(u.speed_mm_s, 80);
    ck_assert_uint_eq(u.buffer, 4096);
    ck_assert_int_eq(hw_uri_parse("sim:?state=paper_out&paper=58&reply=none", &u), WM_OK);
    ck_assert_int_eq(u.sim_state, HW_PRINTER_PAPER_OUT);
    ck_assert_int_eq(u.sim_paper_dots, 384);
    ck_assert(u.sim_no_reply);
    ck_assert_int_eq(hw_uri_parse("file:/tmp/slip.bin", &u), WM_OK);
    ck_assert_str_eq(u.path, "/tmp/slip.bin");
    ck_assert_int_eq(hw_uri_parse("usblp:/dev/usb/lp0", &u), WM_OK);
    ck_assert_str_eq(u.scheme, "usblp");
    ck_assert_str_eq(u.path, "/dev/usb/lp0");
    ck_assert_int_eq(hw_uri_parse("serial:/dev/serial0?baud=115200&flow=rtscts", &u), WM_OK);
    ck_assert_str_eq(u.path, "/dev/serial0");
    ck_assert_int_eq(u.baud, 115200);
    ck_assert_int_eq(u.flow, HW_FLOW_RTSCTS);
    ck_assert_int_eq(hw_uri_parse("serial:/dev/ttyUSB0", &u), WM_OK);
    ck_assert_int_eq(u.baud, 19200);
    ck_assert_int_eq(hw_uri_parse("tcp://127.0.0.1:9100?timeout=300&speed=0", &u), WM_OK);
    ck_assert_str_eq(u.path, "127.0.0.1");
    ck_assert_int_eq(u.port, 9100);
    ck_assert_int_eq(u.timeout_ms, 300);
    ck_assert_int_eq(u.speed_mm_s, 0);
    ck_assert_int_eq(hw_uri_parse("tcp://printer.local", &u), WM_OK);
    ck_assert_int_eq(u.port, 9100);
}
END_TEST

START_TEST(malformed_uris_are_clear_errors)
{
    static const struct {
        const char *uri, *says;
    } bad[] = {
        {"", "empty URI"},
        {"/dev/usb/lp0", "no scheme"},
        {"lpt:/dev/lp0", "unknown scheme 'lpt'"},
        {"file:", "missing path"},
        {"usblp:dev/usb/lp0", "absolute path"},
        {"serial:/dev/serial0?baud=12345", "baud 12345 not supported"},
        {"serial:/dev/serial0?baud=fast", "baud must be a whole number"},
        {"serial:/dev/serial0?flow=maybe", "flow must be none, rtscts or xonxoff"},
        {"serial:/dev/serial0?baud", "expected KEY=VALUE"},
        {"tcp:printer:9100", "expected tcp://HOST:PORT"},
        {"tcp://:9100", "missing host"},
        {"tcp://host:0", "port must be"},
        {"tcp://host:70000", "port must be"},
        {"tcp://host:91x", "port must be"},
        {"tcp://host:9100/x", "no path"},
        {"sim:paper", "sim takes no path"},
        {"sim:?state=unknown", "state must be"},
        {"sim:?paper=57", "paper must be 58 or 80"},
        {"file:/tmp/x?baud=9600", "unknown option 'baud'"},
        {"tcp://host?speed=-1", "speed must be"},
    };
    hw_uri_t u;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(hw_uri_parse(bad[i].uri, &u) == WM_EINVAL, "%s accepted", bad[i].uri);
        ck_assert_msg(strstr(wm_last_error(), bad[i].says), "%s: '%s'", bad[i].uri,
                      wm_last_error());
    }
}
END_TEST

/* ---- printing through backends ------------------------------------------ */

START_TEST(file_backend_gets_exactly_the_job)
{
    char path[512], uri[600];
    test_bitmap_t t;
    hw_printer_t *p = NULL;
    hw_print_result_t res;
    uint8_t want[1024];
    size_t want_len, len;
    char *got;

    bitmap_make(&t, 16, 100);
    snprintf(path, sizeof(path), "%s/job.bin", tu_tmpdir());
    /* buffer 256: bands of (128 - 8) / 2 = 60 rows */
    snprintf(uri, sizeof(uri), "file:%s?speed=0&buffer=256", path);
    ck_assert_int_eq(hw_printer_open(uri, &p), WM_OK);
    ck_assert_str_eq(hw_printer_backend(p), "file");
    ck_assert_int_eq(hw_printer_print(p, &t.bm, 4, false, &res), WM_OK);
    ck_assert(res.sent);
    ck_assert(res.printed);
    ck_assert_uint_eq(res.bands, 2);
    hw_printer_close(p);
    want_len = expected_job(&t.bm, 60, 4, want);
    got = tu_read_file(path, &len);
    ck_assert_ptr_nonnull(got);
    ck_assert_uint_eq(len, want_len);
    ck_assert_uint_eq(res.bytes, want_len);
    ck_assert_mem_eq(got, want, want_len);
    free(got);
    free(t.bits);
}
END_TEST

START_TEST(sim_backend_prints_the_bitmap_and_feeds)
{
    test_bitmap_t t;
    hw_printer_t *p = NULL;
    hw_print_result_t res;
    sink_t sink = {0};

    bitmap_make(&t, 384, 300);
    ck_assert_int_eq(hw_printer_open("sim:?paper=58&speed=0", &p), WM_OK);
    hw_printer_set_sim_sink(p, sink_job, &sink);
    ck_assert_int_eq(hw_printer_print(p, &t.bm, 3, true, &res), WM_OK);
    ck_assert_int_eq(res.before, HW_PRINTER_READY);
    ck_assert_int_eq(res.after, HW_PRINTER_READY);
    ck_assert(res.printed);
    ck_assert_int_eq(sink.jobs, 1);
    ck_assert_int_eq(sink.width, 384);
    ck_assert_int_eq(sink.height, 300 + 3 * 30);
    ck_assert_mem_eq(sink.bits, t.bits, 300 * 48);
    for (int i = 300 * 48; i < sink.height * 48; i++)
        ck_assert_int_eq(sink.bits[i], 0);
    /* wider than the paper: refused before anything is sent */
    free(t.bits);
    bitmap_make(&t, 576, 10);
    ck_assert_int_eq(hw_printer_print(p, &t.bm, 3, true, &res), WM_EINVAL);
    ck_assert(!res.sent);
    ck_assert_int_eq(sink.jobs, 1);
    hw_printer_close(p);
    sink_free(&sink);
    free(t.bits);
}
END_TEST

START_TEST(printer_states_and_faults_end_right)
{
    static const struct {
        const char *uri;
        wm_status_t st;
        hw_printer_state_t before, after;
        bool sent, printed;
        int jobs;
    } cases[] = {
        {"sim:?speed=0", WM_OK, HW_PRINTER_READY, HW_PRINTER_READY, true, true, 1},
        {"sim:?speed=0&state=paper_near_end", WM_OK, HW_PRINTER_PAPER_NEAR_END,
         HW_PRINTER_PAPER_NEAR_END, true, true, 1},
        {"sim:?speed=0&state=paper_out", WM_ESTATE, HW_PRINTER_PAPER_OUT, HW_PRINTER_PAPER_OUT,
         false, false, 0},
        {"sim:?speed=0&state=cover_open", WM_ESTATE, HW_PRINTER_COVER_OPEN, HW_PRINTER_COVER_OPEN,
         false, false, 0},
        {"sim:?speed=0&state=offline", WM_ESTATE, HW_PRINTER_OFFLINE, HW_PRINTER_OFFLINE, false,
         false, 0},
        {"sim:?speed=0&state=error", WM_ESTATE, HW_PRINTER_ERROR, HW_PRINTER_ERROR, false, false,
         0},
        {"sim:?speed=0&reply=garbage", WM_ESTATE, HW_PRINTER_ERROR, HW_PRINTER_ERROR, false, false,
         0},
        /* no reply: tried, sent, but never called printed */
        {"sim:?speed=0&reply=none&timeout=50", WM_OK, HW_PRINTER_UNKNOWN, HW_PRINTER_UNKNOWN, true,
         false, 1},
        /* the paper ends mid-job: everything sent, nothing printed */
        {"sim:?speed=0&paper_out_after=100", WM_EIO, HW_PRINTER_READY, HW_PRINTER_PAPER_OUT, true,
         false, 0},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        test_bitmap_t t;
        hw_printer_t *p = NULL;
        hw_print_result_t res;
        sink_t sink = {0};
        wm_status_t st;

        bitmap_make(&t, 576, 200);
        ck_assert_int_eq(hw_printer_open(cases[i].uri, &p), WM_OK);
        hw_printer_set_sim_sink(p, sink_job, &sink);
        st = hw_printer_print(p, &t.bm, 2, false, &res);
        ck_assert_msg(st == cases[i].st, "%s: status %d (%s)", cases[i].uri, st, wm_last_error());
        ck_assert_msg(res.before == cases[i].before, "%s: before %s", cases[i].uri,
                      hw_printer_state_name(res.before));
        ck_assert_msg(res.after == cases[i].after, "%s: after %s", cases[i].uri,
                      hw_printer_state_name(res.after));
        ck_assert_msg(res.sent == cases[i].sent, "%s: sent", cases[i].uri);
        ck_assert_msg(res.printed == cases[i].printed, "%s: printed", cases[i].uri);
        ck_assert_msg(sink.jobs == cases[i].jobs, "%s: %d jobs", cases[i].uri, sink.jobs);
        if (st != WM_OK)
            ck_assert_msg(strstr(wm_last_error(), hw_printer_state_text(res.after)),
                          "%s: message '%s'", cases[i].uri, wm_last_error());
        hw_printer_close(p);
        sink_free(&sink);
        free(t.bits);
    }
}
END_TEST

START_TEST(pacing_waits_so_the_buffer_never_overflows)
{
    test_bitmap_t t;
    hw_printer_t *p = NULL;
    hw_print_result_t res;
    vclock_t vc = {0};
    hw_clock_t clock = {vclock_now, vclock_sleep, &vc};
    double rate = 80.0 * 8 * 72 / 1000; /* bytes a ms at 80 mm/s, 576 dots */
    size_t band_bytes;

    bitmap_make(&t, 576, 1000);
    ck_assert_int_eq(hw_printer_open("sim:?buffer=4096", &p), WM_OK);
    hw_printer_set_clock(p, &clock);
    ck_assert_int_eq(hw_printer_print(p, &t.bm, 2, false, &res), WM_OK);
    /* 36 bands of 28 rows (half the buffer); the first two fit at once,
     * each later one waits for a band to print */
    ck_assert_uint_eq(res.bands, 36);
    ck_assert_int_eq(res.waits, 34);
    ck_assert_int_eq(vc.sleeps, 35); /* and one for the last bands to print */
    /* the virtual time slept is the time the bands take to print */
    band_bytes = res.bytes - 2 - 7; /* all but ESC @, feed and cut */
    ck_assert_uint_eq(band_bytes, 35 * (8 + 28 * 72) + 8 + 20 * 72);
    ck_assert_uint_ge(vc.slept, (uint64_t)((double)band_bytes / rate));
    ck_assert_uint_le(vc.slept, (uint64_t)((double)band_bytes / rate) + 36);
    hw_printer_close(p);

    /* speed 0: no pacing */
    vc = (vclock_t){0};
    ck_assert_int_eq(hw_printer_open("sim:?speed=0", &p), WM_OK);
    hw_printer_set_clock(p, &clock);
    ck_assert_int_eq(hw_printer_print(p, &t.bm, 2, false, &res), WM_OK);
    ck_assert_int_eq(res.waits, 0);
    ck_assert_int_eq(vc.sleeps, 0);
    hw_printer_close(p);
    free(t.bits);
}
END_TEST

/* A reader at the end of a FIFO that takes 97 bytes at a time. */
typedef struct {
    char path[512];
    uint8_t *got;
    size_t len, cap;
} slow_reader_t;

static void *slow_reader(void *arg)
{
    slow_reader_t *r = arg;
    int fd = open(r->path, O_RDONLY);
    ssize_t n;

    if (fd < 0)
        return NULL;
    fcntl(fd, F_SETPIPE_SZ, 4096);
    do {
        struct timespec ts = {0, 200000};
        nanosleep(&ts, NULL);
        n = read(fd, r->got + r->len, r->cap - r->len < 97 ? r->cap - r->len : 97);
        if (n > 0)
            r->len += (size_t)n;
    } while (n > 0 && r->len < r->cap);
    close(fd);
    return NULL;
}

START_TEST(a_slow_reader_gets_every_byte_in_order)
{
    slow_reader_t r;
    pthread_t th;
    test_bitmap_t t;
    hw_printer_t *p = NULL;
    hw_print_result_t res;
    char uri[600];
    uint8_t *want;
    size_t want_len;
    int fd;

    bitmap_make(&t, 576, 400);
    want = malloc(64 * 1024);
    ck_assert_ptr_nonnull(want);
    want_len = expected_job(&t.bm, 113, 2, want); /* 8 + 113 * 72 > the pipe */
    memset(&r, 0, sizeof(r));
    r.cap = want_len;
    r.got = malloc(r.cap);
    snprintf(r.path, sizeof(r.path), "%s/fifo", tu_tmpdir());
    ck_assert_int_eq(mkfifo(r.path, 0600), 0);
    ck_assert_int_eq(pthread_create(&th, NULL, slow_reader, &r), 0);
    /* open for writing once the reader is there (O_NONBLOCK open of a FIFO
     * without a reader fails) */
    fd = open(r.path, O_WRONLY);
    ck_assert_int_ge(fd, 0);
    fcntl(fd, F_SETPIPE_SZ, 4096);
    snprintf(uri, sizeof(uri), "file:%s?speed=0&timeout=5000&buffer=16384", r.path);
    hw_fault_io_after(-1); /* counts the writes */
    ck_assert_int_eq(hw_printer_open(uri, &p), WM_OK);
    ck_assert_int_eq(hw_printer_print(p, &t.bm, 2, false, &res), WM_OK);
    hw_printer_close(p);
    close(fd);
    pthread_join(th, NULL);
    ck_assert_uint_eq(r.len, want_len);
    ck_assert_mem_eq(r.got, want, want_len);
    if (wm_fault_injection_available()) /* partial writes were taken up */
        ck_assert_int_gt(hw_fault_io_count(), (long)res.bands + 2);
    free(r.got);
    free(want);
    free(t.bits);
}
END_TEST

/* ---- the emulator ------------------------------------------------------- */

START_TEST(emulator_rejects_malformed_commands_loudly)
{
    static const struct {
        const char *bytes;
        size_t len;
        const char *says;
    } bad[] = {
        {"\x1b\x74\x11", 3, "byte 0: unknown command ESC 0x74"},
        {"\x1b@\x1dv0\x00\x4a\x00\x01\x00", 10, "byte 2: GS v 0: 74 bytes a row does not fit"},
        {"\x1dv0\x00\x01\x00\x00\x00", 8, "0 rows"},
        {"\x1dv1", 3, "expected '0'"},
        {"\x1dv0\x03\x01\x00\x01\x00\xff", 9, "mode 3 not supported"},
        {"\x1dV\x07", 3, "unknown cut mode 7"},
        {"\x10\x04\x09", 3, "DLE EOT 9"},
        {"AB", 2, "unexpected byte 0x41"},
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        hw_sim_t *s = NULL;
        uint8_t reply[8];
        static const uint8_t reset[] = {0x1b, 0x40, 0x10, 0x04, 0x02};

        ck_assert_int_eq(hw_sim_create(576, NULL, NULL, &s), WM_OK);
        ck_assert_msg(hw_sim_feed(s, (const uint8_t *)bad[i].bytes, bad[i].len) == WM_EFORMAT,
                      "case %zu accepted", i);
        ck_assert_msg(strstr(hw_sim_error(s), bad[i].says), "case %zu: '%s'", i, hw_sim_error(s));
        ck_assert_int_eq(hw_sim_state(s), HW_PRINTER_ERROR);
        /* it still answers DLE EOT (real time), with the error bit */
        ck_assert_int_eq(hw_sim_feed(s, (const uint8_t *)"\x10\x04\x02", 3), WM_OK);
        ck_assert_uint_eq(hw_sim_take_reply(s, reply, sizeof(reply)), 1);
        ck_assert_int_eq(reply[0], 0x52);
        /* ESC @ brings it back */
        ck_assert_int_eq(hw_sim_feed(s, reset, sizeof(reset)), WM_OK);
        ck_assert_uint_eq(hw_sim_take_reply(s, reply, sizeof(reply)), 1);
        ck_assert_int_eq(reply[0], 0x12);
        hw_sim_destroy(s);
    }
}
END_TEST

START_TEST(emulator_takes_a_job_byte_by_byte)
{
    test_bitmap_t t;
    hw_sim_t *s = NULL;
    sink_t sink = {0};
    hw_sim_stats_t stats;
    uint8_t *job = malloc(64 * 1024);
    size_t n;

    bitmap_make(&t, 384, 90);
    n = expected_job(&t.bm, 42, 1, job);
    ck_assert_int_eq(hw_sim_create(384, sink_job, &sink, &s), WM_OK);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(hw_sim_feed(s, job + i, 1), WM_OK);
    ck_assert_int_eq(sink.jobs, 1);
    ck_assert_int_eq(sink.height, 90 + 30);
    ck_assert_mem_eq(sink.bits, t.bits, 90 * 48);
    hw_sim_stats(s, &stats);
    ck_assert_uint_eq(stats.bytes, n);
    ck_assert_uint_eq(stats.commands, 6); /* ESC @, 3 bands, feed, cut */
    hw_sim_destroy(s);
    sink_free(&sink);
    free(job);
    free(t.bits);
}
END_TEST

/* ---- transport faults, stepped one by one -------------------------------- */

typedef struct {
    int listen_fd, port;
    volatile int stop;
    hw_sim_t *sim;
    hw_sim_link_t link;
    sink_t sink;
} tcp_server_t;

static void *tcp_serve(void *arg)
{
    tcp_server_t *srv = arg;

    while (!srv->stop) {
        int fd = accept(srv->listen_fd, NULL, NULL);
        if (fd < 0)
            continue;
        hw_sim_serve(srv->sim, fd, &srv->link, &srv->stop);
        close(fd);
    }
    return NULL;
}

static void tcp_server_start(tcp_server_t *srv, pthread_t *th, const hw_sim_link_t *link)
{
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    struct timeval tv = {0, 100000};

    memset(srv, 0, sizeof(*srv));
    srv->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(srv->listen_fd, 0);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(srv->listen_fd, (struct sockaddr *)&a, sizeof(a)), 0);
    ck_assert_int_eq(listen(srv->listen_fd, 4), 0);
    ck_assert_int_eq(getsockname(srv->listen_fd, (struct sockaddr *)&a, &len), 0);
    setsockopt(srv->listen_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    srv->port = ntohs(a.sin_port);
    if (link)
        srv->link = *link;
    ck_assert_int_eq(hw_sim_create(576, sink_job, &srv->sink, &srv->sim), WM_OK);
    ck_assert_int_eq(pthread_create(th, NULL, tcp_serve, srv), 0);
}

static void tcp_server_stop_keep(tcp_server_t *srv, pthread_t th)
{
    srv->stop = 1;
    pthread_join(th, NULL);
    close(srv->listen_fd);
    hw_sim_destroy(srv->sim);
}

static void tcp_server_stop(tcp_server_t *srv, pthread_t th)
{
    srv->stop = 1;
    pthread_join(th, NULL);
    close(srv->listen_fd);
    hw_sim_destroy(srv->sim);
    sink_free(&srv->sink);
}

START_TEST(every_transport_read_and_write_failing_in_turn)
{
    tcp_server_t srv;
    pthread_t th;
    test_bitmap_t t;
    char uri[128];
    long total, n;
    int ok_jobs = 0;

    bitmap_make(&t, 576, 120);
    tcp_server_start(&srv, &th, NULL);
    snprintf(uri, sizeof(uri), "tcp://127.0.0.1:%d?speed=0&timeout=2000", srv.port);
    /* a clean run counts the transport calls */
    {
        hw_printer_t *p = NULL;
        hw_print_result_t res;
        hw_fault_io_after(-1);
        ck_assert_int_eq(hw_printer_open(uri, &p), WM_OK);
        ck_assert_int_eq(hw_printer_print(p, &t.bm, 2, false, &res), WM_OK);
        ck_assert(res.printed);
        total = hw_fault_io_count();
        hw_printer_close(p);
    }
    ck_assert_int_ge(total, 3 + 3 + 1 + 5 + 1); /* status, init, bands, feed+cut */
    for (n = 0; n < total; n++) {
        hw_printer_t *p = NULL;
        hw_print_result_t res;
        wm_status_t st;

        ck_assert_int_eq(hw_printer_open(uri, &p), WM_OK);
        hw_fault_io_after(n);
        st = hw_printer_print(p, &t.bm, 2, false, &res);
        hw_fault_reset();
        /* the nth call failed: an error, a message, never "printed" */
        ck_assert_msg(st != WM_OK, "fault at call %ld: WM_OK", n);
        ck_assert_msg(!res.printed, "fault at call %ld reported printed", n);
        ck_assert_msg(wm_last_error()[0] != '\0', "fault at call %ld: no message", n);
        if (n >= 6 && !res.sent)
            ck_assert_msg(strstr(wm_last_error(), "injected"), "call %ld: '%s'", n,
                          wm_last_error());
        hw_printer_close(p);
    }
    /* and the printer still works afterwards */
    {
        hw_printer_t *p = NULL;
        hw_print_result_t res;
        ck_assert_int_eq(hw_printer_open(uri, &p), WM_OK);
        ck_assert_int_eq(hw_printer_print(p, &t.bm, 2, false, &res), WM_OK);
        ck_assert(res.printed);
        ok_jobs++;
        hw_printer_close(p);
    }
    tcp_server_stop(&srv, th);
    ck_assert_int_eq(ok_jobs, 1);
    free(t.bits);
}
END_TEST

START_TEST(out_of_memory_anywhere_in_open_and_print)
{
    test_bitmap_t t;

    bitmap_make(&t, 576, 120);
    for (long n = 0;; n++) {
        hw_printer_t *p = NULL;
        hw_print_result_t res = {0};
        wm_status_t st;

        wm_fault_alloc_after(n);
        st = hw_printer_open("sim:?speed=0", &p);
        if (st == WM_OK) {
            st = hw_printer_print(p, &t.bm, 2, false, &res);
            hw_printer_close(p);
        }
        wm_fault_reset();
        if (st == WM_OK) {
            ck_assert_int_gt(n, 3);
            break;
        }
        ck_assert_msg(st == WM_ENOMEM, "alloc %ld: %d %s", n, st, wm_last_error());
        ck_assert_msg(!res.printed || st == WM_OK, "alloc %ld", n);
        ck_assert_int_lt(n, 1000);
    }
    free(t.bits);
}
END_TEST

START_TEST(unreachable_printers_say_so)
{
    hw_printer_t *p = NULL;
    int fd, port;
    struct sockaddr_in a;
    socklen_t len = sizeof(a);

    ck_assert_int_eq(hw_printer_open("usblp:/dev/usb/lp-none", &p), WM_ENOENT);
    ck_assert_ptr_nonnull(strstr(wm_last_error(), "no such device"));
    ck_assert_int_eq(hw_printer_open("serial:/dev/null", &p), WM_EIO);
    ck_assert_ptr_nonnull(strstr(wm_last_error(), "not a serial port"));
    ck_assert_int_eq(hw_printer_open("file:/nonexistent-dir/x", &p), WM_ENOENT);
    /* a closed port on loopback: refused, quickly */
    fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    getsockname(fd, (struct sockaddr *)&a, &len);
    port = ntohs(a.sin_port);
    close(fd);
    {
        char uri[64];
        snprintf(uri, sizeof(uri), "tcp://127.0.0.1:%d?timeout=500", port);
        ck_assert_int_eq(hw_printer_open(uri, &p), WM_EIO);
        ck_assert_ptr_nonnull(strstr(wm_last_error(), "cannot connect"));
    }
    ck_assert_ptr_null(p);
}
END_TEST

START_TEST(a_printer_that_hangs_up_mid_job_is_not_printed)
{
    hw_sim_link_t link = {.disconnect_after = 5000};
    tcp_server_t srv;
    pthread_t th;
    test_bitmap_t t;
    hw_printer_t *p = NULL;
    hw_print_result_t res;
    char uri[128];

    bitmap_make(&t, 576, 400);
    tcp_server_start(&srv, &th, &link);
    snprintf(uri, sizeof(uri), "tcp://127.0.0.1:%d?speed=0&timeout=500", srv.port);
    ck_assert_int_eq(hw_printer_open(uri, &p), WM_OK);
    ck_assert_int_eq(hw_printer_print(p, &t.bm, 2, false, &res), WM_EIO);
    /* the kernel may have taken every byte, but nobody printed them */
    ck_assert(!res.printed);
    ck_assert_int_eq(res.after, HW_PRINTER_NOT_CONNECTED);
    hw_printer_close(p);
    tcp_server_stop(&srv, th);
    ck_assert_int_eq(srv.sink.jobs, 0);
    free(t.bits);
}
END_TEST

/* ---- status probes ------------------------------------------------------ */

START_TEST(real_probes_read_a_raspberry_pi)
{
    hw_status_t st;

    hw_probe_set_root(WAYMARK_TEST_DIR "/data/status/pi");
    hw_status_probe(HW_PROBES_REAL, "sim:?state=paper_near_end", "/", &st);
    hw_probe_set_root(NULL);
    ck_assert_int_eq(st.printer_state, HW_PRINTER_PAPER_NEAR_END);
    ck_assert_str_eq(st.printer_transport, "sim");
    ck_assert(st.display_present);
    ck_assert(st.display_connected);
    ck_assert_str_eq(st.display_name, "card1-DSI-1"); /* HDMI is disconnected */
    ck_assert_str_eq(st.display_driver, "vc4-drm");
    ck_assert_int_eq(st.display_width, 800);
    ck_assert_int_eq(st.display_height, 480);
    ck_assert_int_eq(st.touch_devices, 1);
    ck_assert_str_eq(st.touch_name, "raspberrypi-ts");
    ck_assert_double_eq_tol(st.cpu_temp_c, 81.234, 1e-9);
    ck_assert_int_eq(st.throttled, 0x50005);
    ck_assert_int_eq(st.mem_total_bytes, 948012LL * 1024);
    ck_assert_int_eq(st.mem_available_bytes, 512000LL * 1024);
    ck_assert_double_eq_tol(st.uptime_s, 93784.25, 1e-9);
    ck_assert_int_gt(st.storage_total_bytes, 0);
    ck_assert_int_eq(hw_status_printer_level(&st), HW_LEVEL_WARN);
    ck_assert_int_eq(hw_status_thermal_level(&st), HW_LEVEL_FAIL); /* 81 C, under-voltage */
    ck_assert_int_eq(hw_status_display_level(&st), HW_LEVEL_OK);
    ck_assert_int_eq(hw_status_touch_level(&st), HW_LEVEL_OK);
    ck_assert_int_eq(hw_status_level(&st), HW_LEVEL_FAIL);
}
END_TEST

START_TEST(real_probes_on_a_desk_say_what_is_missing)
{
    hw_status_t st;

    hw_probe_set_root(WAYMARK_TEST_DIR "/data/status/desk");
    hw_status_probe(HW_PROBES_REAL, "", "/nonexistent-data", &st);
    hw_probe_set_root(NULL);
    ck_assert(st.display_present);
    ck_assert(!st.display_connected);
    ck_assert_int_eq(hw_status_display_level(&st), HW_LEVEL_FAIL);
    ck_assert(st.touch_present);
    ck_assert_int_eq(st.touch_devices, 0); /* a keyboard and a mouse */
    ck_assert_int_eq(hw_status_touch_level(&st), HW_LEVEL_WARN);
    ck_assert(st.cpu_temp_c < 0);
    ck_assert_int_eq(st.throttled, -1);
    ck_assert_int_eq(hw_status_thermal_level(&st), HW_LEVEL_NA);
    ck_assert_int_eq(st.mem_total_bytes, -1);
    ck_assert(st.uptime_s < 0);
    ck_assert_int_eq(st.storage_free_bytes, -1);
    ck_assert_int_eq(hw_status_storage_level(&st), HW_LEVEL_NA);
    ck_assert_int_eq(hw_status_printer_level(&st), HW_LEVEL_NA);
    /* and with nothing at all */
    hw_probe_set_root("/nonexistent-root");
    hw_status_probe(HW_PROBES_REAL, "", "", &st);
    hw_probe_set_root(NULL);
    ck_assert(!st.display_present);
    ck_assert(!st.touch_present);
    ck_assert_int_eq(hw_status_level(&st), HW_LEVEL_OK); /* not available is no alarm */
}
END_TEST

START_TEST(simulated_twins_reach_every_level)
{
    hw_status_t v, st;

    hw_probe_sim_defaults(&v);
    hw_probe_sim_set(&v);
    hw_status_probe(HW_PROBES_SIM, "", "/x", &st);
    ck_assert_int_eq(hw_status_level(&st), HW_LEVEL_OK);
    for (int i = 0; i < HW_PRINTER_STATE_COUNT; i++) {
        hw_level_t want = i == HW_PRINTER_READY ? HW_LEVEL_OK
                          : i == HW_PRINTER_PAPER_NEAR_END || i == HW_PRINTER_UNKNOWN
                              ? HW_LEVEL_WARN
                              : HW_LEVEL_FAIL;
        v.printer_state = (hw_printer_state_t)i;
        hw_probe_sim_set(&v);
        hw_status_probe(HW_PROBES_SIM, "", "/x", &st);
        ck_assert_msg(hw_status_printer_level(&st) == want, "%s",
                      hw_printer_state_name(v.printer_state));
        ck_assert_int_eq(hw_status_level(&st), want);
    }
    hw_probe_sim_defaults(&v);
    v.storage_free_bytes = 31LL << 20;
    hw_probe_sim_set(&v);
    hw_status_probe(HW_PROBES_SIM, "", "/x", &st);
    ck_assert_int_eq(hw_status_storage_level(&st), HW_LEVEL_FAIL);
    v.storage_free_bytes = 255LL << 20;
    hw_probe_sim_set(&v);
    hw_status_probe(HW_PROBES_SIM, "", "/x", &st);
    ck_assert_int_eq(hw_status_storage_level(&st), HW_LEVEL_WARN);
    v.storage_free_bytes = v.storage_total_bytes / 11; /* under 10% */
    hw_probe_sim_set(&v);
    hw_status_probe(HW_PROBES_SIM, "", "/x", &st);
    ck_assert_int_eq(hw_status_storage_level(&st), HW_LEVEL_WARN);
    hw_probe_sim_defaults(&v);
    v.cpu_temp_c = 72;
    hw_probe_sim_set(&v);
    hw_status_probe(HW_PROBES_SIM, "", "/x", &st);
    ck_assert_int_eq(hw_status_thermal_level(&st), HW_LEVEL_WARN);
    v.cpu_temp_c = 50;
    v.throttled = 0x80000; /* soft limit since boot only: fine now */
    hw_probe_sim_set(&v);
    hw_status_probe(HW_PROBES_SIM, "", "/x", &st);
    ck_assert_int_eq(hw_status_thermal_level(&st), HW_LEVEL_OK);
    v.throttled = 0x4;
    hw_probe_sim_set(&v);
    hw_status_probe(HW_PROBES_SIM, "", "/x", &st);
    ck_assert_int_eq(hw_status_thermal_level(&st), HW_LEVEL_FAIL);
    hw_probe_sim_defaults(&v);
    v.display_connected = false;
    v.touch_devices = 0;
    v.mem_available_bytes = 10LL << 20;
    hw_probe_sim_set(&v);
    hw_status_probe(HW_PROBES_SIM, "", "/x", &st);
    ck_assert_int_eq(hw_status_display_level(&st), HW_LEVEL_FAIL);
    ck_assert_int_eq(hw_status_touch_level(&st), HW_LEVEL_WARN);
    ck_assert_int_eq(hw_status_memory_level(&st), HW_LEVEL_WARN);
    hw_probe_sim_set(NULL);
}
END_TEST

static kiosk_status_t sample_status(hw_printer_state_t printer)
{
    kiosk_status_t st;
    hw_status_t v;

    memset(&st, 0, sizeof(st));
    hw_probe_sim_defaults(&v);
    v.printer_state = printer;
    hw_probe_sim_set(&v);
    hw_status_probe(HW_PROBES_SIM, "", "/var/lib/waymark", &st.hw);
    hw_probe_sim_set(NULL);
    snprintf(st.app.content_path, sizeof(st.app.content_path), "/var/lib/waymark/content");
    snprintf(st.app.content_version, sizeof(st.app.content_version), "2026.12-3");
    st.app.content_installed = 1796140000;
    st.probed_at = 1796144000;
    return st;
}

START_TEST(prometheus_file_passes_promtool_and_is_replaced_whole)
{
    const char *dir = tu_tmpdir();
    kiosk_status_t st = sample_status(HW_PRINTER_PAPER_OUT);
    char path[600], cmd[800];
    char *text, *out;
    int status, files = 0;
    DIR *d;
    struct dirent *e;

    snprintf(path, sizeof(path), "%s/waymark.prom", dir);
    ck_assert_int_eq(tu_write_file(path, "stale\n"), 0);
    ck_assert_int_eq(kiosk_status_write_prom_file(&st, path), WM_OK);
    text = tu_read_file(path, NULL);
    ck_assert_ptr_nonnull(
        strstr(text, "waymark_printer_state{transport=\"sim\",state=\"paper_out\"} 1\n"));
    ck_assert_ptr_nonnull(
        strstr(text, "waymark_printer_state{transport=\"sim\",state=\"ready\"} 0\n"));
    ck_assert_ptr_nonnull(strstr(text, "waymark_attention 1\n"));
    ck_assert_ptr_nonnull(strstr(text, "waymark_check_level{check=\"printer\"} 2\n"));
    ck_assert_ptr_nonnull(strstr(text, "waymark_cpu_temperature_celsius 48.5\n"));
    ck_assert_ptr_null(strstr(text, "stale"));
    free(text);
    snprintf(cmd, sizeof(cmd), "promtool check metrics < '%s' 2>&1", path);
    out = tu_run(cmd, &status);
    ck_assert_msg(status == 0, "promtool: %s", out);
    free(out);
    /* not available: the metric is left out, and the file still passes */
    st.hw.cpu_temp_c = -1;
    st.hw.throttled = -1;
    ck_assert_int_eq(kiosk_status_write_prom_file(&st, path), WM_OK);
    text = tu_read_file(path, NULL);
    ck_assert_ptr_null(strstr(text, "waymark_cpu_temperature_celsius"));
    free(text);
    out = tu_run(cmd, &status);
    ck_assert_msg(status == 0, "promtool: %s", out);
    free(out);
    /* no temporary file left behind */
    d = opendir(dir);
    while ((e = readdir(d)))
        files += e->d_name[0] != '.';
    closedir(d);
    ck_assert_int_eq(files, 1);
    ck_assert_int_eq(kiosk_status_write_prom_file(&st, "/nonexistent-dir/w.prom"), WM_EIO);
}
END_TEST

/* Every key the schema requires, at each level, is in the output. */
static void check_required(const cJSON *schema, const cJSON *obj, const char *where)
{
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(schema, "required");
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(schema, "properties");
    const cJSON *k;

    cJSON_ArrayForEach(k, req)
    {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, k->valuestring);
        const cJSON *sub = cJSON_GetObjectItemCaseSensitive(props, k->valuestring);
        ck_assert_msg(v != NULL, "%s.%s missing", where, k->valuestring);
        if (cJSON_IsObject(v) && sub)
            check_required(sub, v, k->valuestring);
    }
}

START_TEST(json_has_every_key_of_the_documented_schema)
{
    kiosk_status_t st = sample_status(HW_PRINTER_COVER_OPEN);
    char *text, *schema_text;
    cJSON *doc, *schema;
    FILE *f = tmpfile();
    size_t n;

    ck_assert_int_eq(kiosk_status_write_json(&st, f), WM_OK);
    n = (size_t)ftell(f);
    rewind(f);
    text = calloc(1, n + 1);
    ck_assert_uint_eq(fread(text, 1, n, f), n);
    fclose(f);
    doc = cJSON_Parse(text);
    ck_assert_ptr_nonnull(doc);
    schema_text = tu_read_file(WAYMARK_SOURCE_DIR "/hw/status.schema.json", NULL);
    schema = cJSON_Parse(schema_text);
    ck_assert_ptr_nonnull(schema);
    check_required(schema, doc, "status");
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "printer"), "state")->valuestring,
                     "cover_open");
    ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(doc, "attention")));
    ck_assert_str_eq(cJSON_GetObjectItem(doc, "level")->valuestring, "fail");
    ck_assert_str_eq(
        cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "content"), "version")->valuestring,
        "2026.12-3");
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(doc, "last_update")));
    cJSON_Delete(schema);
    cJSON_Delete(doc);
    free(schema_text);
    free(text);
}
END_TEST

START_TEST(status_command_exit_code_says_when_attention_is_needed)
{
    char cmd[1024];
    char *out;
    int status;

    snprintf(cmd, sizeof(cmd), "'%s' status --sim --printer 'sim:' 2>&1", WAYMARK_BINARY);
    out = tu_run(cmd, &status);
    ck_assert_msg(status == 0, "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "nothing needs attention"));
    free(out);
    snprintf(cmd, sizeof(cmd), "'%s' status --sim --printer 'sim:?state=paper_out' 2>&1",
             WAYMARK_BINARY);
    out = tu_run(cmd, &status);
    ck_assert_int_eq(status, 1);
    ck_assert_ptr_nonnull(strstr(out, "printer  fail          paper out"));
    ck_assert_ptr_nonnull(strstr(out, "NEEDS ATTENTION NOW"));
    free(out);
    snprintf(cmd, sizeof(cmd),
             "'%s' status --sim --printer 'tcp://127.0.0.1:1?timeout=200' --json 2>&1",
             WAYMARK_BINARY);
    out = tu_run(cmd, &status);
    ck_assert_int_eq(status, 1);
    ck_assert_ptr_nonnull(strstr(out, "\"not_connected\""));
    ck_assert_ptr_nonnull(strstr(out, "cannot connect"));
    free(out);
    snprintf(cmd, sizeof(cmd), "'%s' status --printer 'usb:' 2>&1", WAYMARK_BINARY);
    out = tu_run(cmd, &status);
    ck_assert_int_eq(status, 2);
    ck_assert_ptr_nonnull(strstr(out, "unknown scheme 'usb'"));
    free(out);
}
END_TEST

START_TEST(serial_backend_sends_every_byte_value_untouched)
{
    uint8_t all[512], got[512];
    size_t n = 0;
    hw_printer_t *p = NULL;
    char uri[160];
    int m = posix_openpt(O_RDWR | O_NOCTTY);

    ck_assert_int_ge(m, 0);
    ck_assert_int_eq(grantpt(m), 0);
    ck_assert_int_eq(unlockpt(m), 0);
    for (int i = 0; i < 512; i++)
        all[i] = (uint8_t)i; /* CR, LF, XON, XOFF, DEL, 8-bit: all of them, twice */
    snprintf(uri, sizeof(uri), "serial:%s?baud=115200&timeout=1000", ptsname(m));
    ck_assert_msg(hw_printer_open(uri, &p) == WM_OK, "%s", wm_last_error());
    ck_assert_int_eq(hw_printer_write(p, all, sizeof(all)), WM_OK);
    while (n < sizeof(all)) {
        ssize_t r = read(m, got + n, sizeof(got) - n);
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    ck_assert_uint_eq(n, sizeof(all));
    ck_assert_mem_eq(got, all, sizeof(all));
    hw_printer_close(p);
    close(m);
}
END_TEST

START_TEST(a_printer_that_stops_reading_times_out)
{
    test_bitmap_t t;
    hw_printer_t *p = NULL;
    hw_print_result_t res;
    char uri[160];
    int m = posix_openpt(O_RDWR | O_NOCTTY);

    /* a pty nobody reads: its buffer fills and stays full */
    ck_assert_int_ge(m, 0);
    ck_assert_int_eq(grantpt(m), 0);
    ck_assert_int_eq(unlockpt(m), 0);
    bitmap_make(&t, 576, 2000);
    snprintf(uri, sizeof(uri), "serial:%s?timeout=200&speed=0", ptsname(m));
    ck_assert_int_eq(hw_printer_open(uri, &p), WM_OK);
    ck_assert_int_eq(hw_printer_print(p, &t.bm, 2, false, &res), WM_EIO);
    ck_assert_ptr_nonnull(strstr(wm_last_error(), "timed out after 200 ms"));
    ck_assert_int_eq(res.before, HW_PRINTER_UNKNOWN); /* it never answered */
    ck_assert(!res.sent);
    ck_assert(!res.printed);
    ck_assert_uint_lt(res.bytes, 576 / 8 * 2000);
    hw_printer_close(p);
    close(m);
    free(t.bits);
}
END_TEST

START_TEST(content_version_comes_from_the_installed_bundle)
{
    const char *dir = tu_tmpdir();
    char path[700];
    kiosk_status_app_t app;

    kiosk_status_app_read(dir, NULL, &app);
    ck_assert_str_eq(app.content_path, "");
    ck_assert_int_eq(app.content_installed, -1);
    snprintf(path, sizeof(path), "%s/bundles", dir);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    snprintf(path, sizeof(path), "%s/bundles/v7", dir);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    snprintf(path, sizeof(path), "%s/bundles/v7/content", dir);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    { /* a complete set: its manifest, and every file it lists */
        content_bundle_build_opts_t bo = {.version = 7};
        char *man = NULL, mpath[800];
        snprintf(mpath, sizeof(mpath), "%s/content.json", path);
        ck_assert_int_eq(tu_write_file(mpath, "{}\n"), 0);
        ck_assert_msg(content_bundle_manifest(path, &bo, &man) == WM_OK, "%s", wm_last_error());
        snprintf(mpath, sizeof(mpath), "%s/bundles/v7/manifest.json", dir);
        ck_assert_int_eq(tu_write_file(mpath, man), 0);
        wm_free(man);
    }
    snprintf(path, sizeof(path), "%s/bundles/current", dir);
    ck_assert_int_eq(symlink("v7", path), 0);
    snprintf(path, sizeof(path), "%s/last-update", dir);
    ck_assert_int_eq(tu_write_file(path, "installed version 7\nmore\n"), 0);
    kiosk_status_app_read(dir, NULL, &app);
    ck_assert_str_eq(app.content_version, "7");
    ck_assert_ptr_nonnull(strstr(app.content_path, "/bundles/v7/content"));
    ck_assert_int_gt(app.content_installed, 0);
    ck_assert_str_eq(app.last_update, "installed version 7");
    /* no bundle: the content folder and the version it declares */
    kiosk_status_app_read("/nonexistent", WAYMARK_SOURCE_DIR "/content/sample", &app);
    ck_assert_ptr_nonnull(strstr(app.content_path, "content/sample"));
    ck_assert_str_eq(app.last_update, "");
}
END_TEST

START_TEST(a_command_cut_off_with_its_connection_spoils_nothing_after)
{
    /* GS v 0 for 72 x 10 bytes, and only 100 of them */
    static const uint8_t half[8] = {0x1d, 0x76, 0x30, 0x00, 72, 0, 10, 0};
    uint8_t some[100] = {0};
    tcp_server_t srv;
    pthread_t th;
    test_bitmap_t t;
    hw_printer_t *p = NULL;
    hw_print_result_t res;
    char uri[128];

    bitmap_make(&t, 576, 50);
    tcp_server_start(&srv, &th, NULL);
    snprintf(uri, sizeof(uri), "tcp://127.0.0.1:%d?speed=0&timeout=1000", srv.port);
    ck_assert_int_eq(hw_printer_open(uri, &p), WM_OK);
    ck_assert_int_eq(hw_printer_write(p, half, sizeof(half)), WM_OK);
    ck_assert_int_eq(hw_printer_write(p, some, sizeof(some)), WM_OK);
    hw_printer_close(p);
    ck_assert_int_eq(hw_printer_open(uri, &p), WM_OK);
    ck_assert_int_eq(hw_printer_print(p, &t.bm, 1, false, &res), WM_OK);
    ck_assert(res.printed);
    hw_printer_close(p);
    tcp_server_stop_keep(&srv, th);
    ck_assert_int_eq(srv.sink.jobs, 1);
    ck_assert_int_eq(srv.sink.height, 50 + 30);
    ck_assert_mem_eq(srv.sink.bits, t.bits, 50 * 72);
    sink_free(&srv.sink);
    free(t.bits);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("hw");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, raster_of_a_known_bitmap_is_exact_bytes);
    tcase_add_test(tc, init_feed_and_cut_are_exact_bytes);
    tcase_add_test(tc, bands_fit_the_buffer);
    tcase_add_test(tc, every_dle_eot_byte_decodes_as_specified);
    tcase_add_test(tc, no_reply_is_unknown_and_garbage_is_error);
    tcase_add_test(tc, state_names_round_trip);
    tcase_add_test(tc, uris_parse_into_their_parts);
    tcase_add_test(tc, malformed_uris_are_clear_errors);
    tcase_add_test(tc, file_backend_gets_exactly_the_job);
    tcase_add_test(tc, sim_backend_prints_the_bitmap_and_feeds);
    tcase_add_test(tc, printer_states_and_faults_end_right);
    tcase_add_test(tc, pacing_waits_so_the_buffer_never_overflows);
    tcase_add_test(tc, a_slow_reader_gets_every_byte_in_order);
    tcase_add_test(tc, emulator_rejects_malformed_commands_loudly);
    tcase_add_test(tc, emulator_takes_a_job_byte_by_byte);
    tcase_add_test(tc, unreachable_printers_say_so);
    tcase_add_test(tc, serial_backend_sends_every_byte_value_untouched);
    tcase_add_test(tc, a_printer_that_stops_reading_times_out);
    tcase_add_test(tc, a_printer_that_hangs_up_mid_job_is_not_printed);
    tcase_add_test(tc, a_command_cut_off_with_its_connection_spoils_nothing_after);
    tcase_add_test(tc, real_probes_read_a_raspberry_pi);
    tcase_add_test(tc, real_probes_on_a_desk_say_what_is_missing);
    tcase_add_test(tc, simulated_twins_reach_every_level);
    tcase_add_test(tc, prometheus_file_passes_promtool_and_is_replaced_whole);
    tcase_add_test(tc, json_has_every_key_of_the_documented_schema);
    tcase_add_test(tc, content_version_comes_from_the_installed_bundle);
    tcase_add_test(tc, status_command_exit_code_says_when_attention_is_needed);
    /* only where faults can be injected (scripts/test builds) */
    if (wm_fault_injection_available()) {
        tcase_add_test(tc, every_transport_read_and_write_failing_in_turn);
        tcase_add_test(tc, out_of_memory_anywhere_in_open_and_print);
    }
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
