/*
 * cmd_bench.c: `waymark bench text [--passes N] [--cache-bytes N]
 * [--no-word-cache] DIR`: the text pipeline's speed on a corpus (one *.txt
 * per language, '# lang:' header, '= ' headings, one paragraph a line; the
 * tree's is tests/data/udhr), and the benchmark engine that developer
 * programs reuse to time a peer beside Waymark (kiosk_bench.h).
 *
 * Every heading and paragraph is laid out at 1000 px, 28 px, and drawn into
 * an A8 canvas tall enough for the tallest paragraph (not cleared between
 * paragraphs: clearing is not text work). One untimed warm-up pass fills
 * the caches, then N timed passes (default 5) give microseconds per
 * paragraph for layout alone and for layout + rasterization, per language
 * and in total, with the glyph cache's and the layout engine's word cache's
 * hit rates, the glyph cache's evictions and peak bytes against its bound
 * (a fixed 2 MiB, what a booth would give it), and the process's peak RSS.
 * --no-word-cache shapes every run whole, to see what the word cache buys.
 *
 * With a peer, its timings are taken language by language interleaved with
 * Waymark's (which goes first alternating, so machine noise hits both
 * alike), and the report adds the peer's columns, the time ratios peer /
 * Waymark and how many paragraphs got the same number of lines from both.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "commands.h"
#include "i18n.h"
#include "kiosk_bench.h"
#include "render.h"

#define BENCH_PASSES      5
#define BENCH_CACHE_BYTES (2u << 20)
#define BENCH_FILE_MAX    (16u << 20) /* bytes of one corpus file */
#define BENCH_MAX_PASSES  1000
#define BENCH_MAX_CACHE   (1l << 30) /* bytes, the largest --cache-bytes */

typedef struct {
    i18n_layout_t *layout;
    render_glyph_cache_t *cache;
    render_canvas_t *canvas;
    i18n_text_t text;
    i18n_layout_params_t lp;
} wm_state_t;

static int load_corpus(kiosk_bench_t *b, const char *prog, const char *dir);
static int load_file(kiosk_bench_lang_t *l, const char *prog, const char *path);
static int cmp_names(const void *a, const void *b);
static uint32_t script_sample(const char *s, size_t len);
static int wm_setup(kiosk_bench_t *b, const char *prog, wm_state_t *w);
static void wm_time_lang(wm_state_t *w, kiosk_bench_lang_t *l);
static void wm_teardown(wm_state_t *w);
static void format_rate(char *buf, size_t size, uint64_t hits, uint64_t misses);
static void print_report(const kiosk_bench_t *b, const char *title, const wm_state_t *w,
                         const kiosk_bench_peer_t *peer);

int kiosk_cmd_bench(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "waymark: bench: missing target\n");
        kiosk_cmd_bench_usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        kiosk_cmd_bench_usage(stdout);
        return kiosk_bench_flush("waymark: bench");
    }
    if (strcmp(argv[1], "text") == 0)
        return kiosk_bench_text_main(argc - 1, argv + 1, "waymark: bench", "waymark bench text",
                                     kiosk_cmd_bench_usage, NULL, NULL);
    if (strcmp(argv[1], "print") == 0) /* kiosk/bench_print.c */
        return kiosk_bench_print(argc - 1, argv + 1);
    if (strcmp(argv[1], "bundle") == 0)
        return kiosk_bench_bundle(argc - 1, argv + 1);
    if (strcmp(argv[1], "booth") == 0) /* kiosk/bench_booth.c */
        return kiosk_bench_booth(argc - 1, argv + 1);
    fprintf(stderr, "waymark: bench: unknown target '%s'\n", argv[1]);
    kiosk_cmd_bench_usage(stderr);
    return 2;
}

void kiosk_cmd_bench_usage(FILE *f)
{
    kiosk_bench_print_usage(f);
    fputc('\n', f);
    fputs("usage: waymark bench text [--passes N] [--cache-bytes N] [--no-word-cache] DIR\n"
          "\n"
          "Lays out and draws every heading and paragraph of the corpus in DIR (*.txt with a\n"
          "'# lang:' header, such as tests/data/udhr in the source tree) at 1000 px wide,\n"
          "28 px, after one warm-up pass, and prints microseconds per paragraph, glyph and\n"
          "word cache use and peak memory. Waymark alone: the comparison with Pango is the\n"
          "developer program waymark-bench-pango, built beside the tests.\n"
          "options:\n",
          f);
    kiosk_bench_text_options(f);
    fputs("\n"
          "usage: waymark bench bundle [--mb N] [--files N] [--runs N] [--dir DIR]\n"
          "\n"
          "Verifies and installs an N MiB bundle (default 50) and prints the throughput next\n"
          "to b2sum, sha256sum and a plain copy with fsync of the same file.\n",
          f);
}

void kiosk_bench_text_options(FILE *f)
{
    fputs("  --passes N       timed passes after the warm-up, 1 to 1000 (default 5)\n"
          "  --cache-bytes N  the glyph cache's bound in bytes, 1 to 1073741824\n"
          "                   (default 2097152)\n"
          "  --no-word-cache  shape every run whole (text shown for the first time)\n",
          f);
}

int kiosk_bench_text_main(int argc, char **argv, const char *prog, const char *title,
                          void (*usage)(FILE *f), const char *default_dir,
                          const kiosk_bench_peer_t *peer)
{
    static kiosk_bench_t b;
    const char *dir = NULL;
    void *peer_state = NULL;
    wm_state_t w;
    size_t i;
    int a, rc, pass;

    memset(&b, 0, sizeof(b));
    memset(&w, 0, sizeof(w));
    b.passes = BENCH_PASSES;
    b.cache_bytes = BENCH_CACHE_BYTES;
    for (a = 1; a < argc; a++) {
        char *end;
        if (strcmp(argv[a], "--no-word-cache") == 0) {
            b.no_word_cache = true;
        } else if (strcmp(argv[a], "--passes") == 0 || strcmp(argv[a], "--cache-bytes") == 0) {
            long v;
            if (a + 1 >= argc) {
                fprintf(stderr, "%s: %s needs a value\n", prog, argv[a]);
                usage(stderr);
                return 2;
            }
            errno = 0;
            v = strtol(argv[a + 1], &end, 10);
            if (errno || *end || end == argv[a + 1] || v < 1 ||
                v > (argv[a][2] == 'p' ? BENCH_MAX_PASSES : BENCH_MAX_CACHE)) {
                fprintf(stderr, "%s: bad value for %s: '%s'\n", prog, argv[a], argv[a + 1]);
                usage(stderr);
                return 2;
            }
            if (argv[a][2] == 'p')
                b.passes = (int)v;
            else
                b.cache_bytes = (size_t)v;
            a++;
        } else if (argv[a][0] == '-') {
            fprintf(stderr, "%s: unknown option '%s'\n", prog, argv[a]);
            usage(stderr);
            return 2;
        } else if (!dir) {
            dir = argv[a];
        } else {
            fprintf(stderr, "%s: unexpected argument '%s'\n", prog, argv[a]);
            usage(stderr);
            return 2;
        }
    }
    if (!dir)
        dir = default_dir;
    if (!dir) {
        fprintf(stderr, "%s: missing the corpus folder DIR (e.g. tests/data/udhr)\n", prog);
        usage(stderr);
        return 2;
    }

    rc = load_corpus(&b, prog, dir);
    if (rc == 0 && i18n_fonts_create(NULL, &b.fonts) != WM_OK) {
        fprintf(stderr, "%s: %s\n", prog, wm_last_error());
        rc = 1;
    }
    if (rc == 0)
        rc = wm_setup(&b, prog, &w);
    if (rc == 0 && peer) {
        rc = peer->setup(&b, &peer_state);
        b.peer_ready = rc == 0;
    }
    for (pass = 0; rc == 0 && pass < b.passes; pass++) {
        for (i = 0; i < b.lang_count; i++) {
            if (peer && (pass & 1))
                peer->time_lang(peer_state, i, &b.langs[i]);
            wm_time_lang(&w, &b.langs[i]);
            if (peer && !(pass & 1))
                peer->time_lang(peer_state, i, &b.langs[i]);
        }
    }
    if (rc == 0)
        print_report(&b, title, &w, peer);
    if (rc == 0)
        rc = kiosk_bench_flush(prog);
    if (peer)
        peer->teardown(peer_state);
    wm_teardown(&w);
    i18n_fonts_destroy(b.fonts);
    for (i = 0; i < b.lang_count; i++) {
        wm_free(b.langs[i].buf);
        wm_free(b.langs[i].paras);
    }
    return rc;
}

int kiosk_bench_flush(const char *prog)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: write failed: %s\n", prog, strerror(errno));
        return 1;
    }
    return 0;
}

double kiosk_bench_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Reads every *.txt of dir, in name order. */
static int load_corpus(kiosk_bench_t *b, const char *prog, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char *names[KIOSK_BENCH_MAX_LANGS];
    size_t n = 0, i;
    int rc = 0;

    if (!d) {
        fprintf(stderr, "%s: cannot open corpus %s: %s\n", prog, dir, strerror(errno));
        return 1;
    }
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".txt") != 0)
            continue;
        if (n == KIOSK_BENCH_MAX_LANGS) {
            fprintf(stderr, "%s: more than %d corpus files in %s\n", prog, KIOSK_BENCH_MAX_LANGS,
                    dir);
            rc = 1;
            break;
        }
        names[n] = wm_strdup(e->d_name);
        if (!names[n]) {
            fprintf(stderr, "%s: out of memory\n", prog);
            rc = 1;
            break;
        }
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof(names[0]), cmp_names);
    for (i = 0; i < n; i++) {
        char path[4096];
        if (rc == 0) {
            snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
            rc = load_file(&b->langs[b->lang_count], prog, path);
            if (rc == 0)
                b->lang_count++;
        }
        wm_free(names[i]);
    }
    if (rc == 0 && b->lang_count == 0) {
        fprintf(stderr, "%s: no *.txt corpus files in %s\n", prog, dir);
        rc = 1;
    }
    return rc;
}

/* One corpus file: '# lang: TAG' header, '= heading' and paragraph lines
 * (both are paragraphs here), blank lines skipped. */
static int load_file(kiosk_bench_lang_t *l, const char *prog, const char *path)
{
    size_t len = 0, n = 0, i, start;
    char *buf = NULL;

    if (wm_file_read(path, BENCH_FILE_MAX, true, &buf, &len) != WM_OK) {
        fprintf(stderr, "%s: %s\n", prog, wm_last_error());
        return 1;
    }
    if (!wm_utf8_valid(buf, len)) {
        fprintf(stderr, "%s: %s: not UTF-8\n", prog, path);
        wm_free(buf);
        return 1;
    }
    memset(l, 0, sizeof(*l));
    l->buf = buf;
    for (i = 0; i < len; i++)
        if (buf[i] == '\n')
            n++;
    l->paras = wm_calloc(n + 1, sizeof(*l->paras));
    if (!l->paras) {
        fprintf(stderr, "%s: out of memory\n", prog);
        wm_free(buf);
        return 1;
    }
    for (start = 0; start < len; start = i + 1) {
        char *s = buf + start;
        size_t ll;
        for (i = start; i < len && buf[i] != '\n'; i++)
            ;
        ll = i - start;
        if (ll > 0 && s[ll - 1] == '\r')
            ll--;
        if (ll == 0)
            continue;
        if (s[0] == '#') {
            if (strncmp(s, "# lang:", 7) == 0) {
                size_t k = 7, m = 0;
                while (k < ll && s[k] == ' ')
                    k++;
                while (k < ll && s[k] != ' ' && m + 1 < sizeof(l->lang))
                    l->lang[m++] = s[k++];
                l->lang[m] = '\0';
            }
            continue;
        }
        if (ll >= 2 && s[0] == '=' && s[1] == ' ') {
            s += 2;
            ll -= 2;
        }
        l->paras[l->para_count].s = s;
        l->paras[l->para_count].len = ll;
        l->para_count++;
    }
    if (!l->lang[0] || !i18n_tag_valid(l->lang)) {
        fprintf(stderr, "%s: %s: no '# lang: TAG' header with a language tag\n", prog, path);
        wm_free(l->paras);
        wm_free(buf);
        return 1;
    }
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The first code point of s that says which script the text is in: the
 * first non-Latin letter if any (Cyrillic and beyond), else the first
 * ASCII letter. s is valid UTF-8 (checked at load). */
static uint32_t script_sample(const char *s, size_t len)
{
    uint32_t latin = 'a';
    size_t i = 0, n;
    uint32_t cp = 0;

    while (i < len && (n = wm_utf8_next(s, len, i, &cp)) > 0) {
        if (cp >= 0x370 && !(cp >= 0x2000 && cp <= 0x2bff))
            return cp;
        if (latin == 'a' && ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z'))
            latin = cp;
        i += n;
    }
    return latin;
}

static int wm_setup(kiosk_bench_t *b, const char *prog, wm_state_t *w)
{
    float max_h = 0;
    size_t li, p;

    memset(w, 0, sizeof(*w));
    i18n_text_init(&w->text);
    w->lp = i18n_layout_params_default();
    w->lp.size_px = KIOSK_BENCH_SIZE;
    w->lp.max_width = KIOSK_BENCH_WIDTH;
    if (i18n_layout_create(b->fonts, &w->layout) != WM_OK ||
        render_glyph_cache_create(b->fonts, b->cache_bytes, &w->cache) != WM_OK) {
        fprintf(stderr, "%s: %s\n", prog, wm_last_error());
        return 1;
    }
    i18n_layout_set_word_cache(w->layout, !b->no_word_cache);
    /* Warm-up, layout: line counts, the tallest paragraph, the family. */
    for (li = 0; li < b->lang_count; li++) {
        kiosk_bench_lang_t *l = &b->langs[li];
        uint16_t id;
        w->lp.lang = l->lang;
        for (p = 0; p < l->para_count; p++) {
            if (i18n_layout_text(w->layout, &w->lp, l->paras[p].s, l->paras[p].len, &w->text) !=
                WM_OK) {
                fprintf(stderr, "%s: %s paragraph %zu: %s\n", prog, l->lang, p, wm_last_error());
                return 1;
            }
            l->paras[p].wm_lines = w->text.line_count;
            if (w->text.height > max_h)
                max_h = w->text.height;
        }
        if (l->para_count &&
            i18n_fonts_find(b->fonts, l->lang, script_sample(l->paras[0].s, l->paras[0].len),
                            &id) == WM_OK) {
            FT_Face face = i18n_fonts_face(b->fonts, id);
            if (face && face->family_name)
                snprintf(l->family, sizeof(l->family), "%s", face->family_name);
        }
    }
    b->canvas_height = (int)(max_h + 1.999f);
    if (render_canvas_create(RENDER_FORMAT_A8, KIOSK_BENCH_WIDTH, b->canvas_height, &w->canvas) !=
        WM_OK) {
        fprintf(stderr, "%s: %s\n", prog, wm_last_error());
        return 1;
    }
    /* Warm-up, raster. */
    for (li = 0; li < b->lang_count; li++) {
        kiosk_bench_lang_t *l = &b->langs[li];
        w->lp.lang = l->lang;
        for (p = 0; p < l->para_count; p++) {
            (void)i18n_layout_text(w->layout, &w->lp, l->paras[p].s, l->paras[p].len, &w->text);
            render_canvas_draw_text(w->canvas, w->cache, &w->text, 0, 0, RENDER_RGBA(0, 0, 0, 255));
        }
    }
    return 0;
}

/* One timed pass over one language: layout alone, then layout + raster. */
static void wm_time_lang(wm_state_t *w, kiosk_bench_lang_t *l)
{
    render_glyph_cache_stats_t s0, s1;
    i18n_word_cache_stats_t w0, w1;
    double t0, t1, t2;
    size_t p;

    w->lp.lang = l->lang;
    i18n_layout_word_cache_stats(w->layout, &w0);
    t0 = kiosk_bench_now_ns();
    for (p = 0; p < l->para_count; p++)
        (void)i18n_layout_text(w->layout, &w->lp, l->paras[p].s, l->paras[p].len, &w->text);
    t1 = kiosk_bench_now_ns();
    render_glyph_cache_stats(w->cache, &s0);
    for (p = 0; p < l->para_count; p++) {
        double r0;
        (void)i18n_layout_text(w->layout, &w->lp, l->paras[p].s, l->paras[p].len, &w->text);
        r0 = kiosk_bench_now_ns();
        render_canvas_draw_text(w->canvas, w->cache, &w->text, 0, 0, RENDER_RGBA(0, 0, 0, 255));
        l->wm_raster_ns += kiosk_bench_now_ns() - r0;
    }
    t2 = kiosk_bench_now_ns();
    render_glyph_cache_stats(w->cache, &s1);
    i18n_layout_word_cache_stats(w->layout, &w1);
    l->word_hits += w1.hits - w0.hits;
    l->word_misses += w1.misses - w0.misses;
    l->wm_layout_ns += t1 - t0;
    l->wm_total_ns += t2 - t1;
    l->hits += s1.hits - s0.hits;
    l->misses += s1.misses - s0.misses;
}

static void wm_teardown(wm_state_t *w)
{
    i18n_text_free(&w->text);
    render_canvas_destroy(w->canvas);
    render_glyph_cache_destroy(w->cache);
    i18n_layout_destroy(w->layout);
}

/* "98.50%" for hits of hits + misses (100% when nothing was looked up). */
static void format_rate(char *buf, size_t size, uint64_t hits, uint64_t misses)
{
    snprintf(buf, size, "%.2f%%",
             hits + misses ? 100.0 * (double)hits / (double)(hits + misses) : 100.0);
}

static void print_report(const kiosk_bench_t *b, const char *title, const wm_state_t *w,
                         const kiosk_bench_peer_t *peer)
{
    render_glyph_cache_stats_t cache;
    i18n_word_cache_stats_t words;
    double wl = 0, wr = 0, wt = 0, pl = 0, pr = 0, pt = 0;
    uint64_t hits = 0, misses = 0, whits = 0, wmisses = 0;
    size_t paras = 0, same = 0, li;
    bool with_peer = peer && b->peer_ready;
    const char *ab = with_peer ? peer->abbrev : "";
    struct rusage ru;
    double per;
    char hit[32], whit[32], col[3][16];

    render_glyph_cache_stats(w->cache, &cache);
    i18n_layout_word_cache_stats(w->layout, &words);
    printf("%s: %zu language%s, %d px wide, %.0f px, 1 warm-up + %d timed pass%s%s\n", title,
           b->lang_count, b->lang_count == 1 ? "" : "s", KIOSK_BENCH_WIDTH,
           (double)KIOSK_BENCH_SIZE, b->passes, b->passes == 1 ? "" : "es",
           b->no_word_cache ? ", word cache off" : "");
    printf("microseconds per paragraph: lay = layout alone, l+r = layout + raster, of which\n"
           "ras = raster; glyphs / words = glyph cache / word cache hit rate");
    if (with_peer)
        printf("; %s = %s, x = %s / Waymark", ab, peer->name, peer->name);
    printf("\n\n");
    printf("%-9s %5s | %7s %7s %7s | %7s %7s", "lang", "paras", "wm lay", "wm ras", "wm l+r",
           "glyphs", "words");
    if (with_peer) {
        snprintf(col[0], sizeof(col[0]), "%.2s lay", ab);
        snprintf(col[1], sizeof(col[1]), "%.2s ras", ab);
        snprintf(col[2], sizeof(col[2]), "%.2s l+r", ab);
        printf(" | %7s %7s %7s | %5s %5s | %s", col[0], col[1], col[2], "x lay", "x l+r",
               "same lines");
    }
    printf("\n");
    for (li = 0; li < b->lang_count; li++) {
        const kiosk_bench_lang_t *l = &b->langs[li];
        double n = (double)l->para_count * b->passes * 1e3;

        if (l->para_count == 0)
            continue;
        format_rate(hit, sizeof(hit), l->hits, l->misses);
        format_rate(whit, sizeof(whit), l->word_hits, l->word_misses);
        printf("%-9s %5zu | %7.1f %7.1f %7.1f | %7s %7s", l->lang, l->para_count,
               l->wm_layout_ns / n, l->wm_raster_ns / n, l->wm_total_ns / n, hit, whit);
        if (with_peer)
            printf(" | %7.1f %7.1f %7.1f | %5.2f %5.2f | %zu/%zu %.1f%% (%s)",
                   l->peer_layout_ns / n, l->peer_raster_ns / n, l->peer_total_ns / n,
                   l->peer_layout_ns / l->wm_layout_ns, l->peer_total_ns / l->wm_total_ns,
                   l->same_lines, l->para_count,
                   100.0 * (double)l->same_lines / (double)l->para_count, l->family);
        printf("\n");
        wl += l->wm_layout_ns;
        wr += l->wm_raster_ns;
        wt += l->wm_total_ns;
        pl += l->peer_layout_ns;
        pr += l->peer_raster_ns;
        pt += l->peer_total_ns;
        hits += l->hits;
        misses += l->misses;
        whits += l->word_hits;
        wmisses += l->word_misses;
        paras += l->para_count;
        same += l->same_lines;
    }
    per = (double)paras * b->passes * 1e3;
    format_rate(hit, sizeof(hit), hits, misses);
    format_rate(whit, sizeof(whit), whits, wmisses);
    printf("%-9s %5zu | %7.1f %7.1f %7.1f | %7s %7s", "total", paras, wl / per, wr / per, wt / per,
           hit, whit);
    if (with_peer && paras)
        printf(" | %7.1f %7.1f %7.1f | %5.2f %5.2f | %zu/%zu %.1f%%", pl / per, pr / per, pt / per,
               pl / wl, pt / wt, same, paras, 100.0 * (double)same / (double)paras);
    printf("\n\n");
    printf("glyph cache: bound %zu bytes, peak %zu bytes (%s the bound), now %zu bytes in %zu "
           "entries, %llu evictions, %llu hits / %llu misses in all\n",
           cache.max_bytes, cache.peak_bytes,
           cache.peak_bytes <= cache.max_bytes ? "within" : "OVER", cache.bytes, cache.entries,
           (unsigned long long)cache.evictions, (unsigned long long)cache.hits,
           (unsigned long long)cache.misses);
    printf("word cache: bound %zu words / %zu bytes, peak %zu bytes, now %zu words in %zu bytes, "
           "%llu evictions, %llu hits / %llu misses in all (timed passes %s); %llu words shaped "
           "alone uncached, %llu runs shaped whole\n",
           words.max_entries, words.max_bytes, words.peak_bytes, words.entries, words.bytes,
           (unsigned long long)words.evictions, (unsigned long long)words.hits,
           (unsigned long long)words.misses, whit, (unsigned long long)words.words_alone,
           (unsigned long long)words.runs_whole);
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        printf("peak RSS: %ld KiB\n", ru.ru_maxrss);
    if (with_peer && paras)
        printf("targets: layout+raster %s/Waymark %.2fx (target >= 3x: %s); same line count "
               "%.1f%% (target >= 95%%: %s)\n",
               peer->name, pt / wt, pt / wt >= 3.0 ? "met" : "MISSED",
               100.0 * (double)same / (double)paras,
               100.0 * (double)same / (double)paras >= 95.0 ? "met" : "MISSED");
}
