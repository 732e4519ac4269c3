/*
 * bench_bundle.c: `waymark bench bundle [--mb N] [--files N] [--dir DIR]
 * [--runs N]`: the cost of taking a bundle from a stick.
 *
 * Makes a content folder of N MiB (default 50) of incompressible bytes in
 * --files files (default 50), signs it into a bundle with a throwaway key,
 * then times, best of --runs (default 3), with the file in the page cache:
 * `b2sum` and `sha256sum` of the bundle (the plain hashing a person would
 * compare with; b2sum is BLAKE2b, the manifest's hash family), `verify`
 * (signature, manifest, every file hashed, nothing written) and `install`
 * (the same plus copying into staging, fsync of every file and folder, the
 * atomic switch) into a fresh data folder in DIR (default: a new folder
 * under $TMPDIR or /var/tmp, removed afterwards), and a plain copy of the
 * bundle with fsync (the disk's own pace). Prints wall seconds, MB/s, the
 * ratio to b2sum (the goal: at least 0.5) and CPU seconds (user + system,
 * all threads; on a busy machine the fairer comparison).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "content.h"

#define BENCH_MB    50
#define BENCH_FILES 50
#define BENCH_RUNS  3

static double now_s(void);
static int make_source(const char *dir, size_t bytes, size_t files);
static double time_cmd(const char *cmd, int runs);
static double cpu_s(int who);
static int remove_tree(const char *path);
static double time_write_fsync(const char *from, const char *to, int runs);

int kiosk_bench_bundle(int argc, char **argv)
{
    long mb = BENCH_MB, files = BENCH_FILES, runs = BENCH_RUNS;
    const char *base = NULL;
    char work[1024], src[1100], bundle[1100], sk[1100], pk[1100], data[1200], cmd[2600];
    content_bundle_build_opts_t o = {.version = 1};
    content_seckey_t *key = NULL;
    content_keyring_t *keys = NULL;
    double t_build, t_b2 = 0, t_sha = 0, t_verify = 1e9, t_install = 1e9, t_disk, mbytes;
    double c_b2, c_sha, c_verify = 1e9, c_install = 1e9, c; /* CPU seconds */
    char copy[1200];
    struct stat sb;
    int rc = 1;

    for (int a = 1; a < argc; a++) {
        long *slot = strcmp(argv[a], "--mb") == 0      ? &mb
                     : strcmp(argv[a], "--files") == 0 ? &files
                     : strcmp(argv[a], "--runs") == 0  ? &runs
                                                       : NULL;
        if (strcmp(argv[a], "--dir") == 0 && a + 1 < argc) {
            base = argv[++a];
            continue;
        }
        if (!slot || a + 1 >= argc || (*slot = strtol(argv[a + 1], NULL, 10)) < 1 || *slot > 4096) {
            fprintf(stderr, "waymark: bench bundle: bad option '%s'\n", argv[a]);
            kiosk_cmd_bench_usage(stderr);
            return 2;
        }
        a++;
    }
    if (!base)
        base = getenv("TMPDIR") ? getenv("TMPDIR") : "/var/tmp";
    snprintf(work, sizeof(work), "%s/waymark-bench-XXXXXX", base);
    if (!mkdtemp(work)) {
        fprintf(stderr, "waymark: bench bundle: %s: %s\n", work, strerror(errno));
        return 1;
    }
    snprintf(src, sizeof(src), "%s/src", work);
    snprintf(bundle, sizeof(bundle), "%s/bench" CONTENT_BUNDLE_EXT, work);
    snprintf(sk, sizeof(sk), "%s/bench.key", work);
    snprintf(pk, sizeof(pk), "%s/bench.pub", work);
    if (make_source(src, (size_t)mb << 20, (size_t)files) != 0 ||
        content_minisign_keygen(sk, pk) != WM_OK || content_seckey_load(sk, NULL, &key) != WM_OK ||
        content_keyring_load(pk, &keys) != WM_OK) {
        fprintf(stderr, "waymark: bench bundle: setup: %s\n", wm_last_error());
        goto done;
    }
    o.keys[0] = key;
    o.key_count = 1;
    t_build = now_s();
    if (content_bundle_build(src, bundle, &o) != WM_OK) {
        fprintf(stderr, "waymark: bench bundle: %s\n", wm_last_error());
        goto done;
    }
    t_build = now_s() - t_build;
    stat(bundle, &sb);
    mbytes = (double)sb.st_size / 1e6;
    snprintf(cmd, sizeof(cmd), "b2sum '%s' >/dev/null 2>&1", bundle);
    time_cmd(cmd, 1); /* warm the page cache */
    c = cpu_s(RUSAGE_CHILDREN);
    t_b2 = time_cmd(cmd, (int)runs);
    c_b2 = (cpu_s(RUSAGE_CHILDREN) - c) / (double)runs;
    snprintf(cmd, sizeof(cmd), "sha256sum '%s' >/dev/null 2>&1", bundle);
    c = cpu_s(RUSAGE_CHILDREN);
    t_sha = time_cmd(cmd, (int)runs);
    c_sha = (cpu_s(RUSAGE_CHILDREN) - c) / (double)runs;
    snprintf(copy, sizeof(copy), "%s/copy", work);
    t_disk = time_write_fsync(bundle, copy, (int)runs);
    for (long r = 0; r < runs; r++) {
        content_store_t *store;
        content_bundle_source_t s;
        double t = now_s();

        c = cpu_s(RUSAGE_SELF);
        if (content_bundle_verify(bundle, keys, NULL, NULL) != WM_OK) {
            fprintf(stderr, "waymark: bench bundle: verify: %s\n", wm_last_error());
            goto done;
        }
        t = now_s() - t;
        t_verify = t < t_verify ? t : t_verify;
        c = cpu_s(RUSAGE_SELF) - c;
        c_verify = c < c_verify ? c : c_verify;
        snprintf(data, sizeof(data), "%s/data%ld", work, r);
        if (content_store_open(data, NULL, 0, &store) != WM_OK)
            goto done;
        t = now_s();
        c = cpu_s(RUSAGE_SELF);
        if (content_bundle_source_open(bundle, &s) == WM_OK) {
            wm_status_t st = content_store_install(store, &s, keys, NULL, 0, NULL, NULL, NULL);
            content_bundle_source_close(&s);
            if (st != WM_OK) {
                fprintf(stderr, "waymark: bench bundle: install: %s\n", wm_last_error());
                content_store_destroy(store);
                goto done;
            }
        }
        t = now_s() - t;
        t_install = t < t_install ? t : t_install;
        c = cpu_s(RUSAGE_SELF) - c;
        c_install = c < c_install ? c : c_install;
        content_store_destroy(store);
        remove_tree(data);
    }
    printf("bundle: %.1f MB in %ld files (built and signed in %.2f s); best of %ld runs, cached\n",
           mbytes, files, t_build, runs);
    printf("%-28s %8s %10s %9s %8s\n", "", "seconds", "MB/s", "vs b2sum", "cpu s");
    if (t_b2 > 0)
        printf("%-28s %8.3f %10.1f %9.2f %8.3f\n", "b2sum (BLAKE2b-512)", t_b2, mbytes / t_b2, 1.0,
               c_b2);
    else
        printf("%-28s %8s\n", "b2sum", "missing");
    if (t_sha > 0)
        printf("%-28s %8.3f %10.1f %9.2f %8.3f\n", "sha256sum", t_sha, mbytes / t_sha,
               t_b2 > 0 ? t_b2 / t_sha : 0, c_sha);
    if (t_disk > 0)
        printf("%-28s %8.3f %10.1f %9.2f\n", "plain copy + fsync (disk)", t_disk, mbytes / t_disk,
               t_b2 > 0 ? t_b2 / t_disk : 0);
    printf("%-28s %8.3f %10.1f %9.2f %8.3f\n", "waymark verify", t_verify, mbytes / t_verify,
           t_b2 > 0 ? t_b2 / t_verify : 0, c_verify);
    printf("%-28s %8.3f %10.1f %9.2f %8.3f\n", "waymark install (fsync)", t_install,
           mbytes / t_install, t_b2 > 0 ? t_b2 / t_install : 0, c_install);
    printf("goal: verify and install at least 0.5 of b2sum: %s\n",
           t_b2 > 0 && t_b2 / t_verify >= 0.5 && t_b2 / t_install >= 0.5 ? "met" : "not met");
    rc = 0;
done:
    content_seckey_destroy(key);
    content_keyring_destroy(keys);
    remove_tree(work);
    return rc;
}

/* ---- static ------------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* files files of incompressible bytes (xorshift), bytes in all */
static int make_source(const char *dir, size_t bytes, size_t files)
{
    uint64_t x = 0x9E3779B97F4A7C15u;
    size_t per = bytes / files;
    uint64_t *buf;

    if (mkdir(dir, 0755) != 0 || !(buf = malloc(per + 8)))
        return -1;
    for (size_t f = 0; f < files; f++) {
        char path[1200];
        FILE *fp;

        for (size_t i = 0; i < per / 8 + 1; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            buf[i] = x;
        }
        snprintf(path, sizeof(path), "%s/file%03zu.bin", dir, f);
        if (!(fp = fopen(path, "wb")) || fwrite(buf, 1, per, fp) != per || fclose(fp) != 0) {
            free(buf);
            return -1;
        }
    }
    free(buf);
    return 0;
}

/* The disk's own pace: the bundle's bytes copied to a file in the same
 * folder and fsynced (best of runs; 0 on failure). No install can beat it. */
static double time_write_fsync(const char *from, const char *to, int runs)
{
    static char buf[256 << 10];
    double best = 0;

    for (int r = 0; r < runs; r++) {
        FILE *in = fopen(from, "rb");
        FILE *out = fopen(to, "wb");
        double t = now_s();
        size_t n;

        if (!in || !out) {
            if (in)
                fclose(in);
            if (out)
                fclose(out);
            return 0;
        }
        while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
            fwrite(buf, 1, n, out);
        fflush(out);
        fsync(fileno(out));
        fclose(out);
        fclose(in);
        t = now_s() - t;
        best = r == 0 || t < best ? t : best;
        unlink(to);
    }
    return best;
}

/* CPU seconds (user + system) of this process or of its waited-for children. */
static double cpu_s(int who)
{
    struct rusage ru;

    getrusage(who, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* Best wall time of runs runs of a shell command; 0 when it fails. */
static double time_cmd(const char *cmd, int runs)
{
    double best = 0;

    for (int r = 0; r < runs; r++) {
        double t = now_s();
        if (system(cmd) != 0)
            return 0;
        t = now_s() - t;
        best = r == 0 || t < best ? t : best;
    }
    return best;
}

static int remove_tree(const char *path)
{
    char cmd[1300];

    if (strchr(path, '\''))
        return -1;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
    return system(cmd);
}
