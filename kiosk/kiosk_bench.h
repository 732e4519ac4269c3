/*
 * kiosk_bench.h: the text benchmark's engine (kiosk/cmd_bench.c), shared by
 * `waymark bench text`, which measures Waymark alone, and developer
 * programs that put a peer beside it in the same run (waymark-bench-pango,
 * tests/bench/). Not part of the booth: nothing here is called by
 * `waymark run`, and the firmware links no peer's libraries.
 *
 * A corpus is a folder of *.txt files, one per language: a '# lang: TAG'
 * header, '= ' headings and one paragraph a line (tests/data/udhr/).
 */
#ifndef KIOSK_BENCH_H
#define KIOSK_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "i18n.h"
#include "render.h"

#define KIOSK_BENCH_WIDTH     1000  /* px, the line width */
#define KIOSK_BENCH_SIZE      28.0f /* px, the text size */
#define KIOSK_BENCH_MAX_LANGS 64    /* corpus files at most */
#define KIOSK_BENCH_LANG_MAX  36    /* bytes of a language tag, with its NUL */

typedef struct {
    const char *s; /* into the language's buffer */
    size_t len;
    size_t wm_lines, peer_lines; /* line counts from the warm-up passes */
} kiosk_bench_para_t;

typedef struct {
    char lang[KIOSK_BENCH_LANG_MAX];
    char family[128]; /* the family Waymark uses for the language's script */
    char *buf;        /* the file's text; paragraphs point into it */
    kiosk_bench_para_t *paras;
    size_t para_count;
    /* Nanoseconds summed over the timed passes; *_raster_ns is the drawing
     * share of *_total_ns (layout + raster). */
    double wm_layout_ns, wm_total_ns, wm_raster_ns;
    double peer_layout_ns, peer_total_ns, peer_raster_ns;
    uint64_t hits, misses;           /* glyph cache */
    uint64_t word_hits, word_misses; /* word cache */
    size_t same_lines;               /* paragraphs with the peer's line count */
} kiosk_bench_lang_t;

typedef struct {
    kiosk_bench_lang_t langs[KIOSK_BENCH_MAX_LANGS];
    size_t lang_count;
    int passes;
    size_t cache_bytes;
    int canvas_height;   /* px, fits the tallest paragraph */
    i18n_fonts_t *fonts; /* the fonts Waymark lays out with */
    bool no_word_cache;  /* --no-word-cache: runs shaped whole */
    bool peer_ready;     /* the peer's columns are filled */
} kiosk_bench_t;

/*
 * A peer: another text engine timed on the same paragraphs in the same run,
 * language by language, interleaved with Waymark.
 * setup: after Waymark's warm-up (line counts, families, canvas height are
 *   set): build the peer's state in *state, run its own warm-up pass and
 *   fill peer_lines and same_lines; 0 on success, else a message on stderr.
 * time_lang: one timed pass over language li, adding to peer_*_ns.
 * teardown: frees the state (also after a failed setup; state may be NULL).
 */
typedef struct {
    const char *name;   /* "Pango" */
    const char *abbrev; /* two letters for the report's columns: "pg" */
    int (*setup)(kiosk_bench_t *b, void **state);
    void (*time_lang)(void *state, size_t li, kiosk_bench_lang_t *l);
    void (*teardown)(void *state);
} kiosk_bench_peer_t;

/*
 * Runs the text benchmark with the options in argv (argv[0] is the
 * command's name): [--passes N] [--cache-bytes N] [--no-word-cache] [DIR].
 * prog prefixes messages ("waymark: bench"), title the report ("waymark
 * bench text"); usage prints the caller's usage after a mistake. Without DIR, default_dir is
 * used, and when that is NULL too it is a usage error. peer may be NULL.
 * Returns the exit status: 0, 1 (failure), 2 (usage error).
 */
int kiosk_bench_text_main(int argc, char **argv, const char *prog, const char *title,
                          void (*usage)(FILE *f), const char *default_dir,
                          const kiosk_bench_peer_t *peer);

/* The options kiosk_bench_text_main() takes, one per line, for usages. */
void kiosk_bench_text_options(FILE *f);

/* Flushes stdout: 0, or 1 after "PROG: write failed: REASON" on stderr
 * (a full disk, a closed pipe). */
int kiosk_bench_flush(const char *prog);

/* A monotonic clock in nanoseconds, for peers' timings. */
double kiosk_bench_now_ns(void);

#endif
