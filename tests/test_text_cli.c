/*
 * test_text_cli.c: `waymark text` and `waymark bench` as a content editor
 * runs them: the built binary, its output, exit status and files; and the
 * developer program waymark-bench-pango when Pango is installed.
 */
#include <check.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

static char cmd[8192];

static char *run_program(const char *bin, int *rc, bool join, const char *fmt, va_list ap);
static const char *make_mini_corpus(void);
static void remove_mini_corpus(const char *dir);

/* Runs the shell command line as given (for redirections and limits of its
 * own), with the LeakSanitizer options waymark() uses; returns its stdout
 * (free() it) and the exit status in *rc. */
static char *shell(int *rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static char *shell(int *rc, const char *fmt, ...)
{
    va_list ap;
    size_t n;
    char *out;

    n = (size_t)snprintf(cmd, sizeof(cmd),
                         "export LSAN_OPTIONS=suppressions='%s/lsan.supp':print_suppressions=0; ",
                         WAYMARK_TEST_DIR);
    va_start(ap, fmt);
    vsnprintf(cmd + n, sizeof(cmd) - n, fmt, ap);
    va_end(ap);
    out = tu_run(cmd, rc);
    ck_assert_msg(out != NULL, "cannot run %s", cmd);
    return out;
}

/* Runs `waymark ARGS` (stderr joined to stdout when join); returns the
 * output (free() it) and the exit status in *rc. */
static char *waymark(int *rc, bool join, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static char *waymark(int *rc, bool join, const char *fmt, ...)
{
    va_list ap;
    char *out;

    va_start(ap, fmt);
    out = run_program(WAYMARK_BINARY, rc, join, fmt, ap);
    va_end(ap);
    return out;
}

static char *run_program(const char *bin, int *rc, bool join, const char *fmt, va_list ap)
{
    size_t n;
    int st = -1;
    char *out;

    /* Under LeakSanitizer, fontconfig's global caches (reached by Pango in
     * waymark-bench-pango) are suppressed; see lsan.supp. */
    n = (size_t)snprintf(cmd, sizeof(cmd),
                         "LSAN_OPTIONS=suppressions='%s/lsan.supp':print_suppressions=0 '%s' ",
                         WAYMARK_TEST_DIR, bin);
    n += (size_t)vsnprintf(cmd + n, sizeof(cmd) - n, fmt, ap);
    snprintf(cmd + n, sizeof(cmd) - n, "%s", join ? " 2>&1" : " 2>/dev/null");
    out = tu_run(cmd, &st);
    ck_assert_msg(out != NULL, "cannot run %s", cmd);
    *rc = st;
    return out;
}

START_TEST(lines_breaks_an_english_sentence_at_spaces)
{
    const char *s = "Everyone has the right to seek and to enjoy in other countries asylum "
                    "from persecution.";
    char *out, *p, *end;
    int rc, para, count, n = 0;
    long prev = -1;

    out = waymark(&rc, false, "text lines --lang en --size 20 --width 160 --text '%s'", s);
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(sscanf(out, "%d\t%d\t", &para, &count), 2);
    ck_assert_int_eq(para, 0);
    ck_assert_int_ge(count, 4);
    p = strchr(strchr(out, '\t') + 1, '\t') + 1;
    for (;;) {
        long off = strtol(p, &end, 10);
        ck_assert_ptr_ne(end, p);
        ck_assert_int_gt(off, prev);
        if (off > 0)
            ck_assert_msg(s[off - 1] == ' ' && s[off] != ' ', "line starts at %ld: \"%s\"", off,
                          s + off);
        prev = off;
        n++;
        if (*end != ',')
            break;
        p = end + 1;
    }
    ck_assert_str_eq(end, "\n");
    ck_assert_int_eq(n, count);
    free(out);

    out = waymark(&rc, false, "text lines --lang en --size 20 --width 16000 --text '%s'", s);
    ck_assert_int_eq(rc, 0);
    ck_assert_str_eq(out, "0\t1\t0\n");
    free(out);
}
END_TEST

START_TEST(lines_gives_one_row_per_input_line_including_empty_ones)
{
    const char *dir = tu_tmpdir();
    char path[PATH_MAX];
    char *out;
    int rc;

    snprintf(path, sizeof(path), "%s/in.txt", dir);
    ck_assert_int_eq(tu_write_file(path, "# not a header here\n\n= nor a heading\r\n"), 0);
    out = waymark(&rc, false, "text lines --lang en --size 24 --width 1000 --in '%s'", path);
    ck_assert_int_eq(rc, 0);
    ck_assert_str_eq(out, "0\t1\t0\n1\t1\t0\n2\t1\t0\n");
    free(out);
    remove(path);
    remove(dir);
}
END_TEST

START_TEST(lines_rtl_paragraphs_of_the_corpus)
{
    char path[PATH_MAX];
    char *out, *line, *save = NULL;
    int rc, rows = 0, multi = 0;

    snprintf(path, sizeof(path), "%s/ar.txt", tu_corpus_dir());
    out = waymark(&rc, false, "text lines --lang ar --size 28 --width 400 --align end --in '%s'",
                  path);
    ck_assert_int_eq(rc, 0);
    for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        int idx, count;
        ck_assert_int_eq(sscanf(line, "%d\t%d", &idx, &count), 2);
        ck_assert_int_eq(idx, rows);
        ck_assert_int_ge(count, 1);
        multi += count > 1;
        rows++;
    }
    ck_assert_int_gt(rows, 80);
    ck_assert_int_gt(multi, 40);
    free(out);
}
END_TEST

START_TEST(check_names_characters_no_font_has)
{
    char path[PATH_MAX];
    char *out;
    int rc;
    const char *files[] = {"am", "ar", "bn", "ckb-Latn", "en", "es", "fa",
                           "fr", "my", "ps", "so",       "ti", "uk", "ur"};
    size_t i;

    /* U+10FFFD (plane 16 private use) is in no Noto font; it is the
     * second paragraph's character at byte 3 (after "é "). */
    const char *dir = tu_tmpdir();
    snprintf(path, sizeof(path), "%s/pua.txt", dir);
    ck_assert_int_eq(tu_write_file(path, "ok\n\xc3\xa9 \xf4\x8f\xbf\xbd!\n"), 0);
    out = waymark(&rc, false, "text check --lang en --in '%s'", path);
    ck_assert_int_eq(rc, 3); /* its own code: not a failure to run */
    ck_assert_str_eq(out, "U+10FFFD\t1\t3\n");
    free(out);
    out = shell(&rc, "'%s' text check --lang en --in '%s' 2>&1 >/dev/null", WAYMARK_BINARY, path);
    ck_assert_int_eq(rc, 3);
    ck_assert_str_eq(out, "waymark: text: 1 character no configured font covers\n");
    free(out);
    remove(path);
    remove(dir);
    /* The whole corpus, each in its own language, is covered. */
    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s.txt", tu_corpus_dir(), files[i]);
        out = waymark(&rc, true, "text check --lang %s --in '%s'", files[i], path);
        ck_assert_msg(rc == 0, "%s: %s", files[i], out);
        ck_assert_str_eq(out, "");
        free(out);
    }
}
END_TEST

/* Any well-formed BCP 47 tag is accepted, also one the built-in table
 * does not list (Haitian Creole, Wolof, Sindhi in Arabic script, Marathi,
 * Kurmanji): its script comes from the text, and an RTL text is right to
 * left. Before, `--lang ht` was refused with exit 2. */
START_TEST(text_takes_any_well_formed_language_tag)
{
    static const struct {
        const char *tag, *text;
    } cases[] = {
        {"ht", "Bonjou, ki jan ou ye?"},
        {"wo", "Nanga def?"},
        {"sd", "\xd8\xb3\xd9\x86\xda\x8c\xd9\x8a"},
        {"mr", "\xe0\xa4\xae\xe0\xa4\xb0\xe0\xa4\xbe\xe0\xa4\xa0\xe0\xa5\x80"},
        {"kmr-Latn", "Kurmanc\xc3\xae"},
    };
    char *out;
    int rc;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        out = waymark(&rc, true, "text check --lang %s --text '%s'", cases[i].tag, cases[i].text);
        ck_assert_msg(rc == 0, "%s: exit %d: %s", cases[i].tag, rc, out);
        ck_assert_msg(strcmp(out, "") == 0, "%s: %s", cases[i].tag, out);
        free(out);
        out = waymark(&rc, true, "text lines --lang %s --size 28 --width 600 --text '%s'",
                      cases[i].tag, cases[i].text);
        ck_assert_msg(rc == 0, "%s: exit %d: %s", cases[i].tag, rc, out);
        free(out);
    }
    /* malformed tags are still usage errors */
    out = waymark(&rc, true, "text check --lang 'en--x' --text hi");
    ck_assert_int_eq(rc, 2);
    free(out);
}
END_TEST

START_TEST(render_writes_a_png_of_the_given_width)
{
    const char *dir = tu_tmpdir();
    char png[PATH_MAX], in[PATH_MAX];
    png_image img;
    char *out;
    int rc;

    snprintf(png, sizeof(png), "%s/out.png", dir);
    snprintf(in, sizeof(in), "%s/in.txt", dir);
    /* "salam" in Persian, an empty paragraph, a Latin word. */
    ck_assert_int_eq(tu_write_file(in, "\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85\n\nhello\n"), 0);
    out = waymark(&rc, true, "text render --lang fa --size 28 --width 500 --in '%s' --png '%s'", in,
                  png);
    ck_assert_msg(rc == 0, "%s", out);
    free(out);
    memset(&img, 0, sizeof(img));
    img.version = PNG_IMAGE_VERSION;
    ck_assert(png_image_begin_read_from_file(&img, png));
    ck_assert_uint_eq(img.width, 500 + 2 * 16);
    /* Three paragraphs of 42 px lines, gaps and margins. */
    ck_assert_uint_ge(img.height, 3 * 28 + 32);
    ck_assert_uint_le(img.height, 3 * 60 + 60);
    img.format = PNG_FORMAT_GRAY;
    {
        unsigned char *px = malloc(PNG_IMAGE_SIZE(img));
        size_t k, dark = 0, rightish = 0;
        ck_assert(png_image_finish_read(&img, NULL, px, 0, NULL));
        for (k = 0; k < PNG_IMAGE_SIZE(img); k++)
            if (px[k] < 128) {
                dark++;
                rightish += k % img.width > img.width / 2;
            }
        ck_assert_uint_gt(dark, 50);
        ck_assert_uint_gt(rightish, 0); /* the Persian word is at the right */
        free(px);
    }
    remove(in);
    remove(png);
    remove(dir);
}
END_TEST

START_TEST(bad_usage_exits_2_with_a_message)
{
    const char *bad[] = {
        "text",
        "text frobnicate",
        "text lines --size 20 --width 100 --text x",
        "text lines --lang en --width 100 --text x",
        "text lines --lang en --size 20 --width 100",
        "text lines --lang en --size 20 --width 100 --text x --in /dev/null",
        "text lines --lang en --size -3 --width 100 --text x",
        "text lines --lang en --size 20 --width 10px --text x",
        "text lines --lang en --size 20 --width 100 --text x --dir sideways",
        "text lines --lang en --size 20 --width 100 --text x --align middle",
        "text lines --lang en --size 20 --width 100 --text x --png a.png",
        "text render --lang en --size 20 --width 100 --text x",
        "text lines --lang zz--Nope --size 20 --width 100 --text x",
        "text check --lang en --text",
        "text lines --lang en --size 0.001 --width 100 --text x",
        "text lines --lang en --size 0.999 --width 100 --text x",
        "text lines --lang en --size 1000.5 --width 100 --text x",
        "text lines --lang en --size nan --width 100 --text x",
        "text lines --lang en --size inf --width 100 --text x",
        "text lines --lang en --size 20 --width 0 --text x",
        "text lines --lang en --size 20 --width 16001 --text x",
        "text lines --lang en --size 20 --width 100 --max-lines 100001 --text x",
        "text lines --lang en --size 20 --width 100 --max-lines -1 --text x",
        "text render --lang en --size 20 --width 100 --text x --png ''",
        "text lines --lang en --size 20 --width 100 --in ''",
        "bench",
        "bench nothing",
        "bench text --passes 0",
        "bench text --passes 1001 tests/data/udhr",
        "bench text --cache-bytes 0 tests/data/udhr",
        "bench text --cache-bytes 1073741825 tests/data/udhr",
    };
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc;
        char *out = waymark(&rc, true, "%s", bad[i]);
        ck_assert_msg(rc == 2, "`waymark %s` exited %d: %s", bad[i], rc, out);
        ck_assert_msg(strstr(out, "usage: waymark") != NULL, "`waymark %s`: no usage", bad[i]);
        ck_assert_msg(strstr(out, "waymark: ") != NULL, "`waymark %s`: no message", bad[i]);
        free(out);
    }
}
END_TEST

START_TEST(unreadable_or_invalid_input_exits_1)
{
    const char *dir = tu_tmpdir();
    char path[PATH_MAX];
    char *out;
    int rc;

    out =
        waymark(&rc, true, "text lines --lang en --size 20 --width 100 --in '%s/missing.txt'", dir);
    ck_assert_int_eq(rc, 1);
    ck_assert_ptr_nonnull(strstr(out, "missing.txt"));
    free(out);
    snprintf(path, sizeof(path), "%s/bad.txt", dir);
    ck_assert_int_eq(tu_write_file(path, "fine\nbad \xc3\x28 here\n"), 0);
    out = waymark(&rc, true, "text check --lang en --in '%s'", path);
    ck_assert_int_eq(rc, 1);
    ck_assert_ptr_nonnull(strstr(out, "bad.txt:2: invalid UTF-8 at byte 9\n"));
    free(out);
    out = waymark(&rc, true,
                  "text render --lang en --size 20 --width 100 --text x --png '%s/no/"
                  "such/dir/x.png'",
                  dir);
    ck_assert_int_eq(rc, 1);
    free(out);
    remove(path);
    remove(dir);
}
END_TEST

/* The names in dir, sorted, one per line ("" when empty). */
static char *list_dir(const char *dir)
{
    int rc;
    char *out = shell(&rc, "ls -A '%s' | sort", dir);

    ck_assert_int_eq(rc, 0);
    return out;
}

START_TEST(png_replaces_only_a_regular_file)
{
    const char *dir = tu_tmpdir();
    const char *kinds[] = {"link.png", "fifo.png", "sub.png", "null.png"};
    const char *says[] = {"is a symbolic link", "is a FIFO", "is a folder", "is a device"};
    char path[PATH_MAX], *out, *keep;
    struct stat st;
    size_t i;
    int rc;
    bool have_dev;

    ck_assert_ptr_nonnull(dir);
    snprintf(path, sizeof(path), "%s/keep.txt", dir);
    ck_assert_int_eq(tu_write_file(path, "precious\n"), 0);
    out = shell(&rc, "cd '%s' && ln -s keep.txt link.png && mkfifo fifo.png && mkdir sub.png", dir);
    ck_assert_int_eq(rc, 0);
    free(out);
    /* A device node needs root (as root, `--png /dev/full` once replaced
     * the device); a private one stands in for it. */
    out = shell(&rc, "mknod '%s/null.png' c 1 3 2>/dev/null", dir);
    have_dev = rc == 0;
    free(out);
    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (i == 3 && !have_dev)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, kinds[i]);
        out = waymark(&rc, true, "text render --lang en --size 20 --width 100 --text x --png '%s'",
                      path);
        ck_assert_msg(rc == 1, "%s: exit %d: %s", kinds[i], rc, out);
        ck_assert_msg(strstr(out, says[i]) != NULL, "%s: %s", kinds[i], out);
        ck_assert_ptr_nonnull(strstr(out, "only a regular file or a new name is replaced"));
        free(out);
        ck_assert_int_eq(lstat(path, &st), 0);
        ck_assert_msg(i == 0   ? S_ISLNK(st.st_mode)
                      : i == 1 ? S_ISFIFO(st.st_mode)
                      : i == 2 ? S_ISDIR(st.st_mode)
                               : S_ISCHR(st.st_mode),
                      "%s was replaced", kinds[i]);
    }
    snprintf(path, sizeof(path), "%s/keep.txt", dir);
    keep = tu_read_file(path, NULL);
    ck_assert_str_eq(keep, "precious\n");
    free(keep);
    /* No temporary file is left behind. */
    out = list_dir(dir);
    ck_assert_str_eq(out, have_dev ? "fifo.png\nkeep.txt\nlink.png\nnull.png\nsub.png\n"
                                   : "fifo.png\nkeep.txt\nlink.png\nsub.png\n");
    free(out);
    /* A regular file is replaced by the image. */
    snprintf(path, sizeof(path), "%s/keep.txt", dir);
    out =
        waymark(&rc, true, "text render --lang en --size 20 --width 100 --text x --png '%s'", path);
    ck_assert_msg(rc == 0, "%s", out);
    free(out);
    keep = tu_read_file(path, NULL);
    ck_assert_int_eq(memcmp(keep, "\x89PNG", 4), 0);
    free(keep);
    free(shell(&rc, "rm -rf '%s'", dir));
}
END_TEST

START_TEST(output_to_a_full_disk_fails_with_the_reason)
{
    char *dir = strdup(tu_tmpdir()); /* tu_tmpdir's storage is reused below */
    const char *to_stdout[] = {
        "text lines --lang en --size 20 --width 100 --text hi",
        "text check --lang en --text $(printf '\\364\\217\\277\\275')", /* U+10FFFD */
        "text --help",
    };
    char *out, *corpus;
    size_t i;
    int rc;

    ck_assert_ptr_nonnull(dir);
    for (i = 0; i < sizeof(to_stdout) / sizeof(to_stdout[0]); i++) {
        out = shell(&rc, "'%s' %s 2>&1 >/dev/full", WAYMARK_BINARY, to_stdout[i]);
        ck_assert_msg(rc == 1, "`waymark %s` exited %d", to_stdout[i], rc);
        ck_assert_str_eq(out, "waymark: text: write failed: No space left on device\n");
        free(out);
    }
    corpus = strdup(make_mini_corpus());
    out = shell(&rc, "'%s' bench text --passes 1 '%s' 2>&1 >/dev/full", WAYMARK_BINARY, corpus);
    ck_assert_int_eq(rc, 1);
    ck_assert_str_eq(out, "waymark: bench: write failed: No space left on device\n");
    free(out);
    remove_mini_corpus(corpus);
    free(corpus);
    /* The PNG: a file size limit (EFBIG, the signal ignored) ... */
    out = shell(&rc,
                "(ulimit -f 4; trap '' XFSZ; '%s' text render --lang en --size 300 --width 3000 "
                "--text 'write failed on purpose' --png '%s/big.png') 2>&1",
                WAYMARK_BINARY, dir);
    ck_assert_int_eq(rc, 1);
    ck_assert_msg(strstr(out, "/big.png: write failed: File too large\n") != NULL, "%s", out);
    free(out);
    out = list_dir(dir);
    ck_assert_str_eq(out, ""); /* neither the image nor a temporary file */
    free(out);
    /* ... and, where a private mount is allowed (root), a full tmpfs. */
    out = shell(&rc, "unshare -m true 2>/dev/null");
    free(out);
    if (rc == 0) {
        out = shell(&rc,
                    "unshare -m sh -c \"mount -t tmpfs -o size=16k tmpfs '%s' && cd '%s' && "
                    "echo old > x.png && (head -c 1M /dev/zero > fill 2>/dev/null; true) && "
                    "'%s' text render --lang en --size 300 --width 3000 --text 'no space' "
                    "--png '%s/x.png'; echo rc=\\$?; ls; cat x.png\" 2>&1",
                    dir, dir, WAYMARK_BINARY, dir);
        ck_assert_int_eq(rc, 0);
        /* The old image is still whole, and nothing else is left. */
        ck_assert_msg(strstr(out, "/x.png: write failed: No space left on device\nrc=1\nfill\n"
                                  "x.png\nold\n") != NULL,
                      "%s", out);
        free(out);
    }
    remove(dir);
    free(dir);
}
END_TEST

START_TEST(messages_say_what_went_wrong_once)
{
    const char *dir = tu_tmpdir();
    char path[PATH_MAX], *out, *text;
    int rc, i;

    /* One paragraph too tall for an image: singular. */
    out = waymark(&rc, true,
                  "text render --lang en --size 1000 --width 100 --png '%s/x.png' --text "
                  "'a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a'",
                  dir);
    ck_assert_int_eq(rc, 1);
    ck_assert_msg(strstr(out, "waymark: text: 1 paragraph is too tall for one image (") != NULL,
                  "%s", out);
    free(out);
    /* A wide image may be less tall: 32 Mpx at most (16032 px wide: 2092 px). */
    snprintf(path, sizeof(path), "%s/in.txt", dir);
    text = malloc(64);
    ck_assert_ptr_nonnull(text);
    strcpy(text, "");
    for (i = 0; i < 20; i++)
        strcat(text, "a\n");
    ck_assert_int_eq(tu_write_file(path, text), 0);
    free(text);
    out = waymark(&rc, true,
                  "text render --lang en --size 100 --width 16000 --in '%s' --png '%s/x.png'", path,
                  dir);
    ck_assert_int_eq(rc, 1);
    ck_assert_msg(strstr(out, "paragraphs are too tall for one image (") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "; at most 2092 px at 16032 px wide)\n") != NULL, "%s", out);
    free(out);
    remove(path);
    /* The fonts' message carries its own prefix. */
    out = waymark(&rc, true, "text check --lang en --text x --fonts '%s/none.conf'", dir);
    ck_assert_int_eq(rc, 1);
    ck_assert_msg(strstr(out, "waymark: text: fonts: ") == out, "%s", out);
    ck_assert_ptr_null(strstr(out, "fonts: fonts:"));
    free(out);
    /* Bytes that are not a tag are not echoed back. */
    out = waymark(&rc, true, "text check --lang $(printf '\\377') --text x");
    ck_assert_int_eq(rc, 2);
    ck_assert_ptr_nonnull(strstr(out, "--lang needs a language tag such as"));
    ck_assert_ptr_null(strchr(out, '\xff'));
    free(out);
    remove(dir);
}
END_TEST

START_TEST(paragraphs_longer_than_the_limit_are_refused)
{
    const char *dir = tu_tmpdir();
    char path[PATH_MAX], *text, *out;
    int rc;

    out = waymark(&rc, false, "text --help");
    ck_assert_int_eq(rc, 0);
    ck_assert_ptr_nonnull(strstr(out, "a paragraph at most 65536 bytes"));
    ck_assert_ptr_nonnull(strstr(out, "3 (check) characters no\nconfigured font covers"));
    free(out);
    snprintf(path, sizeof(path), "%s/long.txt", dir);
    text = malloc(65537 + 5);
    ck_assert_ptr_nonnull(text);
    memcpy(text, "ok\n", 3);
    memset(text + 3, 'a', 65536);
    text[3 + 65536] = '\n';
    text[4 + 65536] = '\0';
    ck_assert_int_eq(tu_write_file(path, text), 0);
    out = waymark(&rc, true, "text check --lang en --in '%s'", path);
    ck_assert_msg(rc == 0, "%s", out); /* exactly the limit */
    free(out);
    text[3 + 65536] = 'a';
    text[4 + 65536] = '\0';
    ck_assert_int_eq(tu_write_file(path, text), 0);
    out = waymark(&rc, true, "text lines --lang en --size 20 --width 100 --in '%s'", path);
    ck_assert_int_eq(rc, 1);
    ck_assert_msg(strstr(out, "long.txt:2: paragraph too long (65537 bytes; at most 65536)\n") !=
                      NULL,
                  "%s", out);
    free(out);
    free(text);
    remove(path);
    remove(dir);
}
END_TEST

/* A two-language corpus in a new folder (returned); remove with
 * remove_mini_corpus(). */
static const char *make_mini_corpus(void)
{
    const char *dir = tu_tmpdir();
    char path[PATH_MAX];

    ck_assert_ptr_nonnull(dir);
    snprintf(path, sizeof(path), "%s/en.txt", dir);
    ck_assert_int_eq(tu_write_file(path, "# lang: en\n= Title\nOne paragraph.\nTwo.\n"), 0);
    snprintf(path, sizeof(path), "%s/ar.txt", dir);
    ck_assert_int_eq(tu_write_file(path, "# lang: ar\n= \xd8\xb3\xd9\x84\xd8\xa7\xd9\x85\n"), 0);
    return dir;
}

static void remove_mini_corpus(const char *dir)
{
    char path[PATH_MAX];

    snprintf(path, sizeof(path), "%s/en.txt", dir);
    remove(path);
    snprintf(path, sizeof(path), "%s/ar.txt", dir);
    remove(path);
    remove(dir);
}

START_TEST(bench_text_reports_every_language)
{
    const char *dir = make_mini_corpus();
    char *out;
    int rc;

    /* One timed pass: the report's shape, Waymark alone. */
    out = waymark(&rc, true, "bench text --passes 1 --cache-bytes 4096 '%s'", dir);
    ck_assert_msg(rc == 0, "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "waymark bench text: 2 languages"));
    ck_assert_ptr_nonnull(strstr(out, ", 1 warm-up + 1 timed pass\n"));
    ck_assert_ptr_nonnull(strstr(out, "\nar "));
    ck_assert_ptr_nonnull(strstr(out, "\nen "));
    ck_assert_ptr_nonnull(strstr(out, "\ntotal         4 |"));
    ck_assert_ptr_nonnull(strstr(out, "glyph cache: bound 4096 bytes"));
    ck_assert_ptr_nonnull(strstr(out, "within the bound"));
    ck_assert_ptr_nonnull(strstr(out, "word cache: bound 16384 words"));
    ck_assert_ptr_nonnull(strstr(out, "(timed passes 100.00%)"));
    ck_assert_ptr_nonnull(strstr(out, " 0 runs shaped whole"));
    ck_assert_ptr_nonnull(strstr(out, "peak RSS: "));
    ck_assert_ptr_null(strstr(out, "Pango"));
    ck_assert_ptr_null(strstr(out, "same lines"));
    free(out);
    /* without the word cache every run is shaped whole */
    out = waymark(&rc, true, "bench text --passes 1 --no-word-cache '%s'", dir);
    ck_assert_msg(rc == 0, "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "word cache off"));
    ck_assert_ptr_nonnull(strstr(out, " 0 hits / 0 misses in all"));
    ck_assert_ptr_null(strstr(out, " 0 runs shaped whole"));
    free(out);
    remove_mini_corpus(dir);
}
END_TEST

START_TEST(bench_text_needs_a_good_corpus_folder_and_says_so)
{
    const char *dir = tu_tmpdir();
    char path[PATH_MAX], *out;
    int rc;

    /* No default compiled into the firmware: the folder is an argument. */
    out = waymark(&rc, true, "bench text --passes 1");
    ck_assert_int_eq(rc, 2);
    ck_assert_ptr_nonnull(strstr(out, "missing the corpus folder DIR"));
    ck_assert_ptr_nonnull(strstr(out, "usage: waymark bench text"));
    free(out);
    out = waymark(&rc, true, "bench text --passes 1 '%s'", dir);
    ck_assert_int_eq(rc, 1);
    ck_assert_ptr_nonnull(strstr(out, "no *.txt corpus files in"));
    free(out);
    out = waymark(&rc, true, "bench text --passes 1 '%s/nope'", dir);
    ck_assert_int_eq(rc, 1);
    ck_assert_ptr_nonnull(strstr(out, "cannot open corpus"));
    free(out);
    /* One language, two passes: singular and plural as they fall. */
    snprintf(path, sizeof(path), "%s/en.txt", dir);
    ck_assert_int_eq(tu_write_file(path, "# lang: en\nOne.\n"), 0);
    out = waymark(&rc, true, "bench text --passes 2 '%s'", dir);
    ck_assert_msg(rc == 0, "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "waymark bench text: 1 language, "));
    ck_assert_ptr_nonnull(strstr(out, ", 1 warm-up + 2 timed passes\n"));
    free(out);
    /* A header without a language tag. */
    ck_assert_int_eq(tu_write_file(path, "# lang: $$$\nOne.\n"), 0);
    out = waymark(&rc, true, "bench text --passes 1 '%s'", dir);
    ck_assert_int_eq(rc, 1);
    ck_assert_ptr_nonnull(strstr(out, "en.txt: no '# lang: TAG' header with a language tag\n"));
    free(out);
    remove(path);
    /* Help to a full disk. */
    out = shell(&rc, "'%s' bench --help 2>&1 >/dev/full", WAYMARK_BINARY);
    ck_assert_int_eq(rc, 1);
    ck_assert_str_eq(out, "waymark: bench: write failed: No space left on device\n");
    free(out);
#ifdef WAYMARK_BENCH_PANGO
    out = shell(&rc, "'%s' --help 2>&1 >/dev/full", WAYMARK_BENCH_PANGO);
    ck_assert_int_eq(rc, 1);
    ck_assert_str_eq(out, "waymark-bench-pango: write failed: No space left on device\n");
    free(out);
#endif
    remove(dir);
}
END_TEST

#ifdef WAYMARK_BENCH_PANGO
/* Runs `waymark-bench-pango ARGS` as waymark() runs waymark. */
static char *bench_pango(int *rc, bool join, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static char *bench_pango(int *rc, bool join, const char *fmt, ...)
{
    va_list ap;
    char *out;

    va_start(ap, fmt);
    out = run_program(WAYMARK_BENCH_PANGO, rc, join, fmt, ap);
    va_end(ap);
    return out;
}

START_TEST(bench_pango_puts_both_engines_side_by_side)
{
    const char *dir = make_mini_corpus();
    char *out, *row;
    int rc;

    out = bench_pango(&rc, true, "--passes 1 '%s'", dir);
    ck_assert_msg(rc == 0, "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "waymark-bench-pango: 2 languages"));
    ck_assert_ptr_nonnull(strstr(out, "pg = Pango, x = Pango / Waymark"));
    ck_assert_ptr_nonnull(strstr(out, "|  wm lay  wm ras  wm l+r |"));
    ck_assert_ptr_nonnull(strstr(out, "|  pg lay  pg ras  pg l+r | x lay x l+r | same lines"));
    /* Both engines break these short paragraphs into one line each. */
    row = strstr(out, "\nen ");
    ck_assert_ptr_nonnull(row);
    ck_assert_ptr_nonnull(strstr(row, "| 3/3 100.0% (Noto Sans)\n"));
    row = strstr(out, "\nar ");
    ck_assert_ptr_nonnull(row);
    ck_assert_ptr_nonnull(strstr(row, "| 1/1 100.0% (Noto Naskh Arabic)\n"));
    ck_assert_ptr_nonnull(strstr(out, "| 4/4 100.0%\n"));
    ck_assert_ptr_nonnull(strstr(out, "targets: layout+raster Pango/Waymark "));
    free(out);
    /* Same options and errors as `waymark bench text`. */
    out = bench_pango(&rc, true, "--passes 0 '%s'", dir);
    ck_assert_int_eq(rc, 2);
    ck_assert_ptr_nonnull(strstr(out, "usage: waymark-bench-pango"));
    free(out);
    remove_mini_corpus(dir);
}
END_TEST
#endif

static Suite *text_cli_suite(void)
{
    Suite *s = suite_create("text_cli");
    TCase *tc = tcase_create("text");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, lines_breaks_an_english_sentence_at_spaces);
    tcase_add_test(tc, text_takes_any_well_formed_language_tag);
    tcase_add_test(tc, lines_gives_one_row_per_input_line_including_empty_ones);
    tcase_add_test(tc, lines_rtl_paragraphs_of_the_corpus);
    tcase_add_test(tc, check_names_characters_no_font_has);
    tcase_add_test(tc, render_writes_a_png_of_the_given_width);
    tcase_add_test(tc, bad_usage_exits_2_with_a_message);
    tcase_add_test(tc, unreadable_or_invalid_input_exits_1);
    tcase_add_test(tc, png_replaces_only_a_regular_file);
    tcase_add_test(tc, output_to_a_full_disk_fails_with_the_reason);
    tcase_add_test(tc, messages_say_what_went_wrong_once);
    tcase_add_test(tc, paragraphs_longer_than_the_limit_are_refused);
    tcase_add_test(tc, bench_text_reports_every_language);
    tcase_add_test(tc, bench_text_needs_a_good_corpus_folder_and_says_so);
#ifdef WAYMARK_BENCH_PANGO
    tcase_add_test(tc, bench_pango_puts_both_engines_side_by_side);
#endif
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(text_cli_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
