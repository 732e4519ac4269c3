/*
 * test_i18n.c: languages, fonts and text layout, asserted on what a reader
 * sees: glyphs that exist in their font (no boxes), glyphs equal to
 * HarfBuzz's own hb-shape, lines that break where UAX #14 allows and fit,
 * mixed-direction text in the right visual order, ellipses at the right
 * end. Also runs every case of the Unicode 15 conformance files
 * BidiCharacterTest.txt and LineBreakTest.txt through the same bidi and
 * line-break functions the layout engine uses; the cases we knowingly fail
 * are listed with reasons in tests/conformance/.
 */
#include <check.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "testutil.h"

#define NOTO_DIR   "/usr/share/fonts/truetype/noto"
#define BIDI_TEST  "/usr/share/unicode/BidiCharacterTest.txt"
#define LB_TEST    "/usr/share/unicode/auxiliary/LineBreakTest.txt"
#define EXCEPT_DIR WAYMARK_TEST_DIR "/conformance"
#define MAX_CPS    512

static const char *const corpus_langs[] = {"am", "ar", "bn", "ckb-Latn", "en", "es", "fa",
                                           "fr", "my", "ps", "so",       "ti", "uk", "ur"};
#define N_CORPUS (sizeof(corpus_langs) / sizeof(corpus_langs[0]))

typedef struct {
    i18n_fonts_t *fonts;
    i18n_layout_t *lay;
    i18n_text_t text;
} engine_t;

static void engine_open(engine_t *e)
{
    ck_assert_int_eq(i18n_fonts_create(NULL, &e->fonts), WM_OK);
    ck_assert_int_eq(i18n_layout_create(e->fonts, &e->lay), WM_OK);
    i18n_text_init(&e->text);
}

static void engine_close(engine_t *e)
{
    i18n_text_free(&e->text);
    i18n_layout_destroy(e->lay);
    i18n_fonts_destroy(e->fonts);
}

static i18n_layout_params_t params(const char *lang, float size, float width)
{
    i18n_layout_params_t p = i18n_layout_params_default();

    p.lang = lang;
    p.size_px = size;
    p.max_width = width;
    return p;
}

static void layout_ok(engine_t *e, const i18n_layout_params_t *p, const char *s)
{
    wm_status_t st = i18n_layout_text(e->lay, p, s, strlen(s), &e->text);

    ck_assert_msg(st == WM_OK, "layout failed: %s", wm_last_error());
}

/* The basename of the file of a glyph's font. */
static const char *glyph_font(const engine_t *e, const i18n_glyph_t *g)
{
    const char *path = i18n_fonts_path(e->fonts, g->font), *slash;

    ck_assert_ptr_nonnull(path);
    slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Index in text->glyphs of the (first) glyph whose cluster is at byte off,
 * or -1. */
static long glyph_at_byte(const i18n_text_t *t, size_t off)
{
    size_t i;

    for (i = 0; i < t->glyph_count; i++)
        if (t->glyphs[i].cluster == off)
            return (long)i;
    return -1;
}

/* Visual x of the substring needle in s (its first glyph's x). */
static float x_of(const i18n_text_t *t, const char *s, const char *needle)
{
    const char *p = strstr(s, needle);
    long g;

    ck_assert_msg(p != NULL, "'%s' not in text", needle);
    g = glyph_at_byte(t, (size_t)(p - s));
    ck_assert_msg(g >= 0, "no glyph for '%s'", needle);
    return t->glyphs[g].x;
}

/* Asserts the glyphs of bytes [off, off+len) of s run left to right in
 * logical order (an LTR piece) and are contiguous. */
static void assert_ltr_piece(const i18n_text_t *t, size_t off, size_t len)
{
    size_t i;
    long prev = -1;
    uint32_t last = 0;

    for (i = 0; i < t->glyph_count; i++) {
        const i18n_glyph_t *g = &t->glyphs[i];

        if (g->cluster < off || g->cluster >= off + len)
            continue;
        if (prev >= 0) {
            ck_assert_msg((long)i == prev + 1, "piece at %zu is not contiguous", off);
            ck_assert_msg(g->cluster >= last, "piece at %zu is not left to right", off);
        }
        prev = (long)i;
        last = g->cluster;
    }
    ck_assert_msg(prev >= 0, "no glyphs for piece at %zu", off);
}

/* ---- languages ----------------------------------------------------------- */

/* Field by field: i18n_line_t has padding, which memcmp would compare. */
static bool lines_equal(const i18n_text_t *a, const i18n_text_t *b)
{
    if (a->line_count != b->line_count)
        return false;
    for (size_t i = 0; i < a->line_count; i++) {
        const i18n_line_t *x = &a->lines[i], *y = &b->lines[i];

        if (x->first_glyph != y->first_glyph || x->glyph_count != y->glyph_count ||
            x->byte_start != y->byte_start || x->byte_end != y->byte_end || x->x != y->x ||
            x->width != y->width || x->baseline != y->baseline || x->ascent != y->ascent ||
            x->descent != y->descent)
            return false;
    }
    return true;
}

START_TEST(languages_cover_the_corpus_with_scripts_and_directions)
{
    size_t i;
    i18n_dir_t d = I18N_DIR_LTR;
    i18n_align_t a = I18N_ALIGN_END;
    const i18n_language_t *l;

    ck_assert_uint_ge(i18n_language_count(), 14);
    for (i = 0; i < N_CORPUS; i++) {
        l = i18n_language_find(corpus_langs[i]);
        ck_assert_msg(l != NULL, "no language %s", corpus_langs[i]);
        ck_assert_ptr_nonnull(l->autonym);
        ck_assert_uint_eq(strlen(l->script), 4);
    }
    for (i = 0; i < i18n_language_count(); i++)
        ck_assert_ptr_eq(i18n_language_find(i18n_language_at(i)->tag), i18n_language_at(i));
    ck_assert_ptr_null(i18n_language_at(i18n_language_count()));
    ck_assert_int_eq(i18n_language_find("ur")->dir, I18N_DIR_RTL);
    ck_assert_str_eq(i18n_language_find("ur")->autonym, "اردو");
    ck_assert_int_eq(i18n_language_find("ti")->dir, I18N_DIR_LTR);
    ck_assert_str_eq(i18n_language_find("ti")->script, "Ethi");
    ck_assert_str_eq(i18n_language_find("ckb-Latn")->script, "Latn");
    ck_assert_str_eq(i18n_language_find("ar-EG")->tag, "ar");
    ck_assert_str_eq(i18n_language_find("ckb-Arab")->tag, "ckb");
    ck_assert_ptr_null(i18n_language_find("xx"));
    ck_assert_ptr_null(i18n_language_find(""));

    ck_assert_int_eq(i18n_dir_parse("rtl", &d), WM_OK);
    ck_assert_int_eq(d, I18N_DIR_RTL);
    ck_assert_int_eq(i18n_dir_parse("sideways", &d), WM_EINVAL);
    ck_assert_int_eq(d, I18N_DIR_RTL);
    ck_assert_ptr_nonnull(strstr(wm_last_error(), "sideways"));
    ck_assert_int_eq(i18n_align_parse("center", &a), WM_OK);
    ck_assert_int_eq(a, I18N_ALIGN_CENTER);
    ck_assert_int_eq(i18n_align_parse("middle", &a), WM_EINVAL);
    ck_assert_int_eq(a, I18N_ALIGN_CENTER);
}
END_TEST

/* ---- fonts --------------------------------------------------------------- */

START_TEST(fonts_follow_noto_defaults_per_script_and_language)
{
    static const struct {
        const char *lang;
        uint32_t cp;
        const char *file;
    } cases[] = {
        {"ar", 0x0628, "NotoNaskhArabic-Regular.ttf"},
        {"fa", 0x067E, "NotoNaskhArabic-Regular.ttf"},
        {"ps", 0x0681, "NotoNaskhArabic-Regular.ttf"},
        {"ur", 0x0628, "NotoNastaliqUrdu-Regular.ttf"},
        {"am", 0x1200, "NotoSansEthiopic-Regular.ttf"},
        {"ti", 0x1275, "NotoSansEthiopic-Regular.ttf"},
        {"my", 0x1000, "NotoSansMyanmar-Regular.ttf"},
        {"bn", 0x0995, "NotoSansBengali-Regular.ttf"},
        {"uk", 0x0416, "NotoSans-Regular.ttf"},
        {"en", 'A', "NotoSans-Regular.ttf"},
        {"en", 0x05D0, "NotoSansHebrew-Regular.ttf"},
        {"en", 0x0915, "NotoSansDevanagari-Regular.ttf"},
        {"en", 0x20AC, "NotoSans-Regular.ttf"},
        {"en", 0x2618, "NotoSansSymbols2-Regular.ttf"},
    };
    engine_t e;
    size_t i;
    uint16_t id = 999;

    engine_open(&e);
    ck_assert_uint_eq(i18n_fonts_count(e.fonts), 0); /* lazy */
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *path;

        ck_assert_int_eq(i18n_fonts_find(e.fonts, cases[i].lang, cases[i].cp, &id), WM_OK);
        path = i18n_fonts_path(e.fonts, id);
        ck_assert_msg(strstr(path, cases[i].file) != NULL, "%s U+%04X: %s, want %s", cases[i].lang,
                      (unsigned)cases[i].cp, path, cases[i].file);
        ck_assert_ptr_nonnull(i18n_fonts_face(e.fonts, id));
        ck_assert_uint_ne(FT_Get_Char_Index(i18n_fonts_face(e.fonts, id), cases[i].cp), 0);
    }
    id = 77;
    ck_assert_int_eq(i18n_fonts_find(e.fonts, "en", 0x10FFFD, &id), WM_ENOENT);
    ck_assert_uint_eq(id, 77);
    ck_assert_ptr_null(i18n_fonts_face(e.fonts, 9999));
    engine_close(&e);
}
END_TEST

START_TEST(fonts_fallback_file_replaces_rules_and_reports_errors)
{
    const char *dir = tu_tmpdir();
    char path[512];
    i18n_fonts_options_t o = {0};
    i18n_fonts_t *f = NULL, *bad = (i18n_fonts_t *)&o;
    uint16_t id;

    snprintf(path, sizeof(path), "%s/fallback.conf", dir);
    ck_assert_int_eq(tu_write_file(path, "# content fonts\n"
                                         "script:Arab = NotoSansArabic-Regular.ttf\n"
                                         "lang:ur = NotoNaskhArabic-Regular.ttf\n\n"),
                     0);
    o.fallback_file = path;
    ck_assert_int_eq(i18n_fonts_create(&o, &f), WM_OK);
    ck_assert_int_eq(i18n_fonts_find(f, "ar", 0x0628, &id), WM_OK);
    ck_assert_ptr_nonnull(strstr(i18n_fonts_path(f, id), "NotoSansArabic-Regular.ttf"));
    ck_assert_int_eq(i18n_fonts_find(f, "ur", 0x0628, &id), WM_OK);
    ck_assert_ptr_nonnull(strstr(i18n_fonts_path(f, id), "NotoNaskhArabic-Regular.ttf"));
    /* rules not given keep their defaults */
    ck_assert_int_eq(i18n_fonts_find(f, "am", 0x1200, &id), WM_OK);
    ck_assert_ptr_nonnull(strstr(i18n_fonts_path(f, id), "NotoSansEthiopic"));
    i18n_fonts_destroy(f);

    ck_assert_int_eq(tu_write_file(path, "script:Arab NotoSansArabic-Regular.ttf\n"), 0);
    ck_assert_int_eq(i18n_fonts_create(&o, &bad), WM_EFORMAT);
    ck_assert_ptr_eq(bad, (i18n_fonts_t *)&o);
    ck_assert_ptr_nonnull(strstr(wm_last_error(), ":1:"));
    ck_assert_int_eq(tu_write_file(path, "script:Arabic = a.ttf\n"), 0);
    ck_assert_int_eq(i18n_fonts_create(&o, &bad), WM_EFORMAT);
    /* a folder that surely does not exist: inside a new one of our own */
    snprintf(path, sizeof(path), "%s/no-such-folder/fallback.conf", tu_tmpdir());
    o.fallback_file = path;
    ck_assert_int_eq(i18n_fonts_create(&o, &bad), WM_ENOENT);
}
END_TEST

static void count_missing_font(const char *name, void *ctx)
{
    char *names = ctx;

    strncat(names, name, 255 - strlen(names));
    strncat(names, ";", 255 - strlen(names));
}

/* Preloading opens every font of every rule at start-up and names the ones
 * that cannot be opened; afterwards layout still falls back past them. */
START_TEST(fonts_preload_names_fonts_that_cannot_be_opened)
{
    const char *dir = tu_tmpdir();
    char path[512], missing[256] = "";
    i18n_fonts_options_t o = {0};
    i18n_fonts_t *f = NULL;
    uint16_t id;

    snprintf(path, sizeof(path), "%s/fallback.conf", dir);
    ck_assert_int_eq(
        tu_write_file(path, "script:Ethi = NoSuchFace-Regular.ttf, NotoSansEthiopic-Regular.ttf\n"),
        0);
    o.fallback_file = path;
    ck_assert_int_eq(i18n_fonts_create(&o, &f), WM_OK);
    ck_assert_uint_eq(i18n_fonts_preload(f, count_missing_font, missing), 1);
    ck_assert_str_eq(missing, "NoSuchFace-Regular.ttf;");
    ck_assert_uint_gt(i18n_fonts_count(f), 10); /* the Noto faces opened now */
    ck_assert_int_eq(i18n_fonts_find(f, "am", 0x1200, &id), WM_OK);
    ck_assert_ptr_nonnull(strstr(i18n_fonts_path(f, id), "NotoSansEthiopic-Regular.ttf"));
    i18n_fonts_destroy(f);
}
END_TEST

/* Writes the first `keep` bytes of NOTO_DIR/name (all when keep is 0) to
 * path. */
static void copy_font(const char *name, const char *path, size_t keep)
{
    char src[512];
    size_t len = 0;
    char *data;
    FILE *fp;

    snprintf(src, sizeof(src), "%s/%s", NOTO_DIR, name);
    data = tu_read_file(src, &len);
    ck_assert_msg(data != NULL, "cannot read %s", src);
    fp = fopen(path, "wb");
    ck_assert_ptr_nonnull(fp);
    ck_assert_uint_eq(fwrite(data, 1, keep ? keep : len, fp), keep ? keep : len);
    ck_assert_int_eq(fclose(fp), 0);
    free(data);
}

/* Runs i18n_fonts_preload with stderr (the log) captured into log. */
static size_t preload_logged(i18n_fonts_t *f, char *missing, char *log, size_t cap)
{
    char path[512];
    int saved, fd;
    size_t failed, len = 0;
    char *text;

    snprintf(path, sizeof(path), "%s/log.txt", tu_tmpdir());
    fflush(stderr);
    saved = dup(2);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    dup2(fd, 2);
    close(fd);
    failed = i18n_fonts_preload(f, count_missing_font, missing);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    text = tu_read_file(path, &len);
    ck_assert_ptr_nonnull(text);
    snprintf(log, cap, "%s", text);
    free(text);
    return failed;
}

/* A truncated, empty or garbage file with a system font's name (in the
 * content's fonts folder, searched first) is skipped for the system's good
 * copy, with a warning naming it; a broken font nobody else provides is
 * reported unusable and its characters count as missing. */
START_TEST(broken_fonts_are_skipped_for_the_next_file_and_reported)
{
    char dir[256], path[512], missing[256] = "", log[4096];
    const char *dirs[3] = {dir, NOTO_DIR, NULL};
    i18n_fonts_options_t o = {0};
    i18n_fonts_t *f = NULL;
    i18n_layout_t *lay = NULL;
    i18n_text_t t;
    i18n_layout_params_t p = params("am", 24, 0);
    const char *osage = "\xF0\x90\x92\xB0\xF0\x90\x92\xB1"; /* U+104B0 U+104B1 */
    size_t count = 0, at = 99;
    uint32_t first = 0;
    uint16_t id;
    FILE *fp;

    snprintf(dir, sizeof(dir), "%s", tu_tmpdir());
    snprintf(path, sizeof(path), "%s/NotoSansEthiopic-Regular.ttf", dir);
    copy_font("NotoSansEthiopic-Regular.ttf", path, 40000); /* truncated */
    snprintf(path, sizeof(path), "%s/NotoSans-Regular.ttf", dir);
    ck_assert_int_eq(tu_write_file(path, ""), 0); /* empty */
    snprintf(path, sizeof(path), "%s/NotoNaskhArabic-Regular.ttf", dir);
    fp = fopen(path, "wb"); /* garbage */
    ck_assert_ptr_nonnull(fp);
    for (int i = 0; i < 5000; i++)
        fputc((i * 7919) & 0xFF, fp);
    fclose(fp);
    snprintf(path, sizeof(path), "%s/Osage.ttf", dir);
    copy_font("NotoSansOsage-Regular.ttf", path, 3000); /* truncated, no other copy */
    snprintf(path, sizeof(path), "%s/fallback.conf", dir);
    ck_assert_int_eq(tu_write_file(path, "script:Osge = Osage.ttf\n"), 0);
    o.font_dirs = dirs;
    o.fallback_file = path;
    ck_assert_int_eq(i18n_fonts_create(&o, &f), WM_OK);
    ck_assert_uint_eq(preload_logged(f, missing, log, sizeof(log)), 1);
    ck_assert_str_eq(missing, "Osage.ttf;");
    /* each skipped file is named with its path and what is used instead */
    snprintf(path, sizeof(path), "%s/NotoSansEthiopic-Regular.ttf: damaged or truncated", dir);
    ck_assert_msg(strstr(log, path) != NULL, "log: %s", log);
    ck_assert_ptr_nonnull(strstr(log, "using " NOTO_DIR "/NotoSansEthiopic-Regular.ttf instead"));
    snprintf(path, sizeof(path), "%s/NotoSans-Regular.ttf: 0 bytes", dir);
    ck_assert_msg(strstr(log, path) != NULL, "log: %s", log);
    snprintf(path, sizeof(path), "%s/NotoNaskhArabic-Regular.ttf: not a font", dir);
    ck_assert_msg(strstr(log, path) != NULL, "log: %s", log);
    snprintf(path, sizeof(path), "%s/Osage.ttf:", dir);
    ck_assert_msg(strstr(log, path) != NULL, "log: %s", log);

    /* the system copies draw */
    ck_assert_int_eq(i18n_fonts_find(f, "am", 0x1200, &id), WM_OK);
    ck_assert_str_eq(i18n_fonts_path(f, id), NOTO_DIR "/NotoSansEthiopic-Regular.ttf");
    ck_assert_int_eq(i18n_fonts_find(f, "en", 'a', &id), WM_OK);
    ck_assert_str_eq(i18n_fonts_path(f, id), NOTO_DIR "/NotoSans-Regular.ttf");
    ck_assert_int_eq(i18n_fonts_find(f, "ar", 0x0627, &id), WM_OK);
    ck_assert_str_eq(i18n_fonts_path(f, id), NOTO_DIR "/NotoNaskhArabic-Regular.ttf");
    ck_assert_int_eq(i18n_layout_create(f, &lay), WM_OK);
    i18n_text_init(&t);
    ck_assert_int_eq(i18n_layout_text(lay, &p, "ሰላም ለሁሉም", strlen("ሰላም ለሁሉም"), &t), WM_OK);
    ck_assert_uint_eq(t.missing, 0);
    ck_assert_uint_gt(t.glyph_count, 5);
    for (size_t i = 0; i < t.glyph_count; i++)
        ck_assert_uint_ne(t.glyphs[i].glyph, 0);

    /* the coverage query knows the broken Osage font is no font */
    ck_assert_int_eq(i18n_fonts_missing_count(f, "osa", osage, strlen(osage), &count, &first, &at),
                     WM_OK);
    ck_assert_uint_eq(count, 2);
    ck_assert_uint_eq(first, 0x104B0);
    ck_assert_uint_eq(at, 0);
    ck_assert_int_eq(i18n_fonts_missing_count(f, "am", "ሰላም", strlen("ሰላም"), &count, NULL, NULL),
                     WM_OK);
    ck_assert_uint_eq(count, 0);
    ck_assert_int_eq(i18n_fonts_missing_count(f, "en", "a\xC3", 2, &count, NULL, NULL), WM_EINVAL);
    i18n_text_free(&t);
    i18n_layout_destroy(lay);
    i18n_fonts_destroy(f);

    /* an intact Osage font in its place covers them */
    snprintf(path, sizeof(path), "%s/Osage.ttf", dir);
    copy_font("NotoSansOsage-Regular.ttf", path, 0);
    snprintf(path, sizeof(path), "%s/fallback.conf", dir);
    ck_assert_int_eq(i18n_fonts_create(&o, &f), WM_OK);
    ck_assert_int_eq(i18n_fonts_missing_count(f, "osa", osage, strlen(osage), &count, NULL, NULL),
                     WM_OK);
    ck_assert_uint_eq(count, 0);
    i18n_fonts_destroy(f);
}
END_TEST

/* Rules may only name regular files inside the fonts folders: a FIFO
 * (which blocked open() forever), a device (/dev/zero grew the process to
 * 562 MB), a huge file, '..', an absolute path elsewhere and a script tag
 * no character has are refused; a relative name is taken from the rules
 * file's folder, not the working directory. */
START_TEST(font_rules_name_only_regular_files_in_the_fonts_folder)
{
    static const struct {
        const char *rule, *error;
    } refused[] = {
        {"script:Latn = /dev/zero\n", "'/dev/zero' is outside the fonts folders"},
        {"script:Latn = ../NotoSans-Regular.ttf\n", "'..' is not allowed"},
        {"default = sub/../../x.ttf\n", "'..' is not allowed"},
        {"script:Xyzw = NotoSans-Regular.ttf\n", "'Xyzw' is not an ISO 15924 script"},
    };
    char dir[256], path[600], rules[600], missing[256] = "", log[4096], cwd[1024];
    const char *dirs[3] = {dir, NOTO_DIR, NULL};
    i18n_fonts_options_t o = {0};
    i18n_fonts_t *f = NULL;
    uint16_t id;
    int fd;

    snprintf(dir, sizeof(dir), "%s", tu_tmpdir());
    snprintf(rules, sizeof(rules), "%s/fallback.conf", dir);
    o.font_dirs = dirs;
    o.fallback_file = rules;
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        ck_assert_int_eq(tu_write_file(rules, refused[i].rule), 0);
        ck_assert_int_eq(i18n_fonts_create(&o, &f), WM_EFORMAT);
        ck_assert_msg(strstr(wm_last_error(), refused[i].error) != NULL, "%s: %s", refused[i].rule,
                      wm_last_error());
    }

    snprintf(path, sizeof(path), "%s/Fifo.ttf", dir);
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    snprintf(path, sizeof(path), "%s/Zero.ttf", dir);
    ck_assert_int_eq(symlink("/dev/zero", path), 0);
    snprintf(path, sizeof(path), "%s/Big.ttf", dir);
    fd = open(path, O_WRONLY | O_CREAT, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, (off_t)65 << 20), 0); /* sparse: no disk used */
    close(fd);
    snprintf(path, sizeof(path), "%s/sub", dir);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    snprintf(path, sizeof(path), "%s/sub/Mine.ttf", dir);
    copy_font("NotoSans-Regular.ttf", path, 0);
    snprintf(path, sizeof(path),
             "script:Latn = Fifo.ttf, NotoSans-Regular.ttf\n"
             "script:Cyrl = Zero.ttf, NotoSans-Regular.ttf\n"
             "script:Armn = Big.ttf\n"
             "script:Grek = sub/Mine.ttf\n"
             "script:Geor = %s/sub/Mine.ttf\n",
             dir);
    ck_assert_int_eq(tu_write_file(rules, path), 0);
    /* relative names come from the rules file's folder, wherever we are */
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
    ck_assert_int_eq(chdir("/"), 0);
    ck_assert_int_eq(i18n_fonts_create(&o, &f), WM_OK);
    ck_assert_uint_eq(preload_logged(f, missing, log, sizeof(log)), 3);
    ck_assert_int_eq(chdir(cwd), 0);
    ck_assert_str_eq(missing, "Fifo.ttf;Zero.ttf;Big.ttf;");
    snprintf(path, sizeof(path), "%s/Fifo.ttf: not a regular file", dir);
    ck_assert_msg(strstr(log, path) != NULL, "log: %s", log);
    snprintf(path, sizeof(path), "%s/Zero.ttf: not a regular file", dir);
    ck_assert_msg(strstr(log, path) != NULL, "log: %s", log);
    snprintf(path, sizeof(path), "%s/Big.ttf: 68157440 bytes", dir);
    ck_assert_msg(strstr(log, path) != NULL, "log: %s", log);
    snprintf(path, sizeof(path), "%s/sub/Mine.ttf", dir);
    ck_assert_int_eq(i18n_fonts_find(f, "el", 0x03B1, &id), WM_OK);
    ck_assert_str_eq(i18n_fonts_path(f, id), path);
    ck_assert_int_eq(i18n_fonts_find(f, "en", 'a', &id), WM_OK);
    ck_assert_str_eq(i18n_fonts_path(f, id), NOTO_DIR "/NotoSans-Regular.ttf");
    i18n_fonts_destroy(f);
}
END_TEST

/* ---- corpus: no boxes, fits, aligned ------------------------------------- */

START_TEST(corpus_paragraphs_have_no_missing_glyphs_and_fit)
{
    const char *lang = corpus_langs[_i];
    char path[1024];
    char *buf, *line, *save = NULL;
    const i18n_language_t *l = i18n_language_find(lang);
    engine_t e;
    size_t paragraphs = 0;

    snprintf(path, sizeof(path), "%s/%s.txt", tu_corpus_dir(), lang);
    buf = tu_read_file(path, NULL);
    ck_assert_msg(buf != NULL, "cannot read %s", path);
    engine_open(&e);
    for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        i18n_layout_params_t p = params(lang, 28, 1000);
        const char *s = line;
        size_t k, g, len;

        if (line[0] == '#')
            continue;
        if (strncmp(line, "= ", 2) == 0)
            s = line + 2;
        len = strlen(s);
        layout_ok(&e, &p, s);
        paragraphs++;
        ck_assert_msg(e.text.missing == 0, "%s: %zu missing in: %s", lang, e.text.missing, s);
        ck_assert_int_eq(e.text.rtl, l->dir == I18N_DIR_RTL);
        ck_assert_uint_ge(e.text.line_count, 1);
        ck_assert_uint_eq(e.text.lines[0].byte_start, 0);
        ck_assert_uint_eq(e.text.lines[e.text.line_count - 1].byte_end, len);
        for (k = 0; k < e.text.line_count; k++) {
            const i18n_line_t *ln = &e.text.lines[k];

            if (k > 0)
                ck_assert_uint_eq(ln->byte_start, e.text.lines[k - 1].byte_end);
            ck_assert_msg(ln->width <= 1000.01f, "%s: line %zu is %.2f px wide", lang, k,
                          (double)ln->width);
            if (l->dir == I18N_DIR_RTL)
                ck_assert_msg(fabsf(ln->x + ln->width - 1000) < 0.5f,
                              "%s: RTL line not right-aligned (x %.2f width %.2f)", lang,
                              (double)ln->x, (double)ln->width);
            else
                ck_assert_msg(fabsf(ln->x) < 0.5f, "%s: LTR line not left-aligned", lang);
            for (g = ln->first_glyph; g < ln->first_glyph + ln->glyph_count; g++) {
                ck_assert_msg(e.text.glyphs[g].glyph != 0,
                              "%s: box (glyph 0) at byte %u of: %s (font %s)", lang,
                              e.text.glyphs[g].cluster, s, glyph_font(&e, &e.text.glyphs[g]));
                ck_assert_uint_ge(e.text.glyphs[g].cluster, ln->byte_start);
                ck_assert_uint_lt(e.text.glyphs[g].cluster, ln->byte_end);
            }
        }
    }
    ck_assert_uint_ge(paragraphs, 50);
    engine_close(&e);
    free(buf);
}
END_TEST

/* ---- shaping equals hb-shape ------------------------------------------------ */

typedef struct {
    uint32_t gid, cluster;
    int adv;
} hb_ref_t;

/* Parses hb-shape's "[gid=cluster@dx,dy+adv|...]" */
static size_t parse_hb_shape(const char *out, hb_ref_t *ref, size_t max)
{
    const char *p = strchr(out, '[');
    size_t n = 0;

    ck_assert_ptr_nonnull(p);
    p++;
    while (*p && *p != ']' && n < max) {
        char *end;

        ref[n].gid = (uint32_t)strtoul(p, &end, 10);
        ck_assert_int_eq(*end, '=');
        ref[n].cluster = (uint32_t)strtoul(end + 1, &end, 10);
        if (*end == '@') {
            strtol(end + 1, &end, 10);
            strtol(end + 1, &end, 10);
        }
        ck_assert_int_eq(*end, '+');
        ref[n].adv = (int)strtol(end + 1, &end, 10);
        n++;
        p = *end == '|' ? end + 1 : end;
    }
    return n;
}

START_TEST(single_script_runs_equal_hb_shape)
{
    static const struct {
        const char *lang, *script, *dir, *file, *text;
    } cases[] = {
        {"ar", "Arab", "rtl", "NotoNaskhArabic-Regular.ttf",
         "يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق"},
        {"fa", "Arab", "rtl", "NotoNaskhArabic-Regular.ttf",
         "تمام افراد بشر آزاد به دنیا می‌آیند"},
        {"ur", "Arab", "rtl", "NotoNastaliqUrdu-Regular.ttf",
         "چونکہ ہر انسان کی ذاتی عزت اور حرمت اور انسانوں کے مساوی"},
        {"am", "Ethi", "ltr", "NotoSansEthiopic-Regular.ttf", "የሰው ልጅ ሁሉ ሲወለድ ነጻና በክብርና"},
        {"ti", "Ethi", "ltr", "NotoSansEthiopic-Regular.ttf", "ኩሎም ሰባት ብማዕረ ክብርን መሰልን"},
        {"my", "Mymr", "ltr", "NotoSansMyanmar-Regular.ttf", "လူတိုင်းသည် တူညီ လွတ်လပ်သော"},
        {"bn", "Beng", "ltr", "NotoSansBengali-Regular.ttf", "সমস্ত মানুষ স্বাধীনভাবে সমান মর্যাদা"},
        {"uk", "Cyrl", "ltr", "NotoSans-Regular.ttf", "Усі люди народжуються вільними"},
    };
    engine_t e;
    size_t i, k;

    engine_open(&e);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char tpath[512], cmd[2048];
        hb_ref_t ref[512];
        size_t n;
        int status = -1;
        char *out;
        FT_Face face;
        i18n_layout_params_t p = params(cases[i].lang, 16, 0);

        /* at size = units per em, advances are font units */
        layout_ok(&e, &p, cases[i].text);
        ck_assert_uint_gt(e.text.glyph_count, 0);
        face = i18n_fonts_face(e.fonts, e.text.glyphs[0].font);
        p.size_px = (float)face->units_per_EM;
        layout_ok(&e, &p, cases[i].text);
        ck_assert_uint_eq(e.text.line_count, 1);
        for (k = 0; k < e.text.glyph_count; k++)
            ck_assert_msg(strcmp(glyph_font(&e, &e.text.glyphs[k]), cases[i].file) == 0,
                          "%s: glyph %zu from %s", cases[i].lang, k,
                          glyph_font(&e, &e.text.glyphs[k]));

        snprintf(tpath, sizeof(tpath), "%s/text.txt", tu_tmpdir());
        ck_assert_int_eq(tu_write_file(tpath, cases[i].text), 0);
        snprintf(cmd, sizeof(cmd),
                 "/usr/bin/hb-shape --no-glyph-names --utf8-clusters --direction=%s "
                 "--script=%s --language=%s --text-file=%s " NOTO_DIR "/%s",
                 cases[i].dir, cases[i].script, cases[i].lang, tpath, cases[i].file);
        out = tu_run(cmd, &status);
        ck_assert_msg(out && status == 0, "hb-shape failed: %s", cmd);
        n = parse_hb_shape(out, ref, 512);
        ck_assert_uint_eq(n, e.text.glyph_count);
        for (k = 0; k < n; k++) {
            const i18n_glyph_t *g = &e.text.glyphs[k];

            ck_assert_msg(g->glyph == ref[k].gid && g->cluster == ref[k].cluster &&
                              fabsf(g->advance - (float)ref[k].adv) < 0.01f,
                          "%s glyph %zu: ours %u=%u+%.2f, hb-shape %u=%u+%d", cases[i].lang, k,
                          g->glyph, g->cluster, (double)g->advance, ref[k].gid, ref[k].cluster,
                          ref[k].adv);
        }
        free(out);
    }
    engine_close(&e);
}
END_TEST

/* ---- mixed direction --------------------------------------------------------- */

/* The characters of bytes [off, off+len) of s as the glyphs show them, left
 * to right: for each line, the code point at each glyph's cluster in the
 * piece, in visual order (a line break between pieces is written as '|').
 * Asserts the piece's glyphs are contiguous on each line. */
static void visual_piece(const i18n_text_t *t, const char *s, size_t off, size_t len, char *out,
                         size_t cap)
{
    size_t l, i, o = 0;

    out[0] = '\0';
    for (l = 0; l < t->line_count; l++) {
        const i18n_line_t *line = &t->lines[l];
        long prev = -1;

        for (i = line->first_glyph; i < line->first_glyph + line->glyph_count; i++) {
            uint32_t c = t->glyphs[i].cluster, cp;
            size_t k;

            if (c < off || c >= off + len)
                continue;
            ck_assert_msg(prev < 0 || (long)i == prev + 1, "piece at %zu split on line %zu", off,
                          l);
            if (prev < 0 && o > 0 && o + 1 < cap)
                out[o++] = '|';
            prev = (long)i;
            k = wm_utf8_next(s, off + len, c, &cp);
            ck_assert_uint_gt(k, 0);
            ck_assert_uint_lt(o + k, cap);
            memcpy(out + o, s + c, k);
            o += k;
            out[o] = '\0';
        }
    }
}

/* Code points of s and the byte offset of each (offs[n] = strlen(s)),
 * through the project's decoder; cps holds cap entries, offs cap + 1. */
static size_t decode(const char *s, uint32_t *cps, uint32_t *offs, size_t cap)
{
    size_t n = 0, i = 0, len = strlen(s), step;

    while (i < len) {
        ck_assert_uint_lt(n, cap);
        step = wm_utf8_next(s, len, i, &cps[n]);
        ck_assert_msg(step > 0, "invalid UTF-8 in a test string at byte %zu", i);
        offs[n++] = (uint32_t)i;
        i += step;
    }
    offs[n] = (uint32_t)len;
    return n;
}

/* Asserts the glyphs of a single-line layout of s follow plain UAX #9 (the
 * conformance entry points): their clusters' visual positions rise from
 * left to right. */
static void assert_uax9_order(const i18n_text_t *t, const char *s)
{
    uint32_t cps[MAX_CPS], offs[MAX_CPS], map[MAX_CPS], pos[MAX_CPS];
    uint8_t levels[MAX_CPS];
    size_t n = 0, i, k;
    int par;
    long last = -1;

    n = decode(s, cps, offs, MAX_CPS - 1);
    ck_assert_uint_eq(t->line_count, 1);
    ck_assert_int_eq(i18n_bidi_resolve(cps, n, I18N_DIR_AUTO, levels, &par), WM_OK);
    ck_assert_int_eq(i18n_bidi_visual_order(cps, n, par, levels, map), WM_OK);
    for (i = 0; i < n; i++)
        pos[map[i]] = (uint32_t)i;
    for (i = 0; i < t->glyph_count; i++) {
        long p = -1;

        for (k = 0; k < n; k++)
            if (offs[k] == t->glyphs[i].cluster)
                p = (long)pos[k];
        ck_assert_msg(p >= 0, "glyph %zu: cluster %u is no character", i, t->glyphs[i].cluster);
        ck_assert_msg(p >= last, "glyph %zu (byte %u) is out of UAX #9 order in '%s'", i,
                      t->glyphs[i].cluster, s);
        last = p;
    }
}

START_TEST(phone_numbers_in_rtl_text_read_left_to_right)
{
    static const struct {
        const char *lang, *text, *number;
    } cases[] = {
        {"ar", "اتصل على +49 30 1234567 من فضلك", "+49 30 1234567"},
        {"fa", "لطفاً با شماره +49 30 1234567 تماس بگیرید", "+49 30 1234567"},
        {"ar", "اتصل على +٤٩ ٣٠ ١٢٣٤٥٦٧ من فضلك", "+٤٩ ٣٠ ١٢٣٤٥٦٧"},
        {"fa", "با شماره +۴۹ ۳۰ ۱۲۳۴۵۶۷ تماس بگیرید", "+۴۹ ۳۰ ۱۲۳۴۵۶۷"},
        {"ar", "+49 30 1234567 هو رقم المكتب", "+49 30 1234567"},
        {"fa", "شماره دفتر +49 30 1234567", "+49 30 1234567"},
        {"ar", "الهاتف: 030-1234567، أو (030) 123 4567.", "030-1234567"},
        {"ar", "الهاتف: 030-1234567، أو (030) 123 4567.", "(030) 123 4567"},
    };
    const char *s = "اتصل على +49 30 1234567 من فضلك";
    const char *iso = "اتصل على \xE2\x81\xA6+49 30 1234567\xE2\x81\xA9 من فضلك";
    engine_t e;
    i18n_layout_params_t p;
    char vis[256];
    size_t i, off;

    engine_open(&e);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *t = cases[i].text, *num = strstr(t, cases[i].number);

        p = params(cases[i].lang, 28, 0);
        layout_ok(&e, &p, t);
        ck_assert(e.text.rtl);
        ck_assert_uint_eq(e.text.line_count, 1);
        /* one piece, the characters left to right in logical order */
        visual_piece(&e.text, t, (size_t)(num - t), strlen(cases[i].number), vis, sizeof(vis));
        ck_assert_str_eq(vis, cases[i].number);
        assert_ltr_piece(&e.text, (size_t)(num - t), strlen(cases[i].number));
    }

    /* the words around keep their RTL order: the number sits between them */
    p = params("ar", 28, 0);
    layout_ok(&e, &p, s);
    ck_assert(x_of(&e.text, s, "اتصل") > x_of(&e.text, s, "1234567"));
    ck_assert(x_of(&e.text, s, "+49") > x_of(&e.text, s, "فضلك"));
    ck_assert(x_of(&e.text, s, "+49") < x_of(&e.text, s, "30"));
    ck_assert(x_of(&e.text, s, "30") < x_of(&e.text, s, "1234567"));
    /* the same as content that isolates the number itself */
    layout_ok(&e, &p, iso);
    visual_piece(&e.text, iso, (size_t)(strstr(iso, "+49") - iso), 14, vis, sizeof(vis));
    ck_assert_str_eq(vis, "+49 30 1234567");

    /* Arabic-Indic digits keep their own glyphs */
    {
        const char *t = cases[2].text;
        size_t k;

        layout_ok(&e, &p, t);
        off = (size_t)(strstr(t, "١٢٣٤٥٦٧") - t);
        for (k = 0; k < 7; k++) {
            long g = glyph_at_byte(&e.text, off + 2 * k);
            FT_Face face;

            ck_assert_int_ge(g, 0);
            face = i18n_fonts_face(e.fonts, e.text.glyphs[g].font);
            ck_assert_uint_eq(e.text.glyphs[g].glyph,
                              FT_Get_Char_Index(face, 0x0661 + (FT_ULong)k));
        }
    }

    /* wrapped: each line's part reads left to right, in order */
    p = params("ar", 28, 0);
    layout_ok(&e, &p, s);
    p.max_width = x_of(&e.text, s, "اتصل") + 40 - x_of(&e.text, s, "30");
    layout_ok(&e, &p, s);
    ck_assert_uint_ge(e.text.line_count, 2);
    off = (size_t)(strstr(s, "+49") - s);
    visual_piece(&e.text, s, off, 14, vis, sizeof(vis));
    /* the space at the break is the line's trailing white space, which
     * UAX #9 L1 puts at the visual end of an RTL line: its left */
    ck_assert_msg(strcmp(vis, " +49 30|1234567") == 0 || strcmp(vis, " +49|30 1234567") == 0,
                  "wrapped number shows as '%s'", vis);
    engine_close(&e);
}
END_TEST

START_TEST(years_times_and_ltr_paragraphs_keep_uax9_order)
{
    static const struct {
        const char *lang, *text;
    } cases[] = {
        {"ar", "ولد في عام 1948 في القاهرة"},
        {"fa", "ساعت کاری 09:00–17:00 است"},
        {"ar", "من 1948 إلى 2024 و 09:00 - 17:00"},
        {"ar", "الرقم 123456 فقط"},
        {"en", "Call مكتب +49 30 1234567 today"},
        {"en", "Office +49 30 1234567, open 09:00–17:00"},
        /* LTR only (layout skips FriBidi for these): still plain UAX #9 */
        {"en", "Room [12] (floor 3), 09:00–17:00; 50% off, 1,234.5 €! «Hi» \"x\" 3/4"},
        {"am", "ቢሮ 12 (ክፍል 3) 09:00–17:00።"},
    };
    engine_t e;
    size_t i;

    engine_open(&e);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        i18n_layout_params_t p = params(cases[i].lang, 28, 0);

        layout_ok(&e, &p, cases[i].text);
        assert_uax9_order(&e.text, cases[i].text);
    }
    engine_close(&e);
}
END_TEST

START_TEST(opening_hours_url_and_latin_name_in_rtl_text)
{
    const char *hours = "ساعت کاری 09:00–17:00 است";
    const char *url = "لمزيد من المساعدة زوروا https://example.org/help اليوم";
    const char *name = "نام من Maria Schmidt است";
    engine_t e;
    i18n_layout_params_t p = params("fa", 28, 0);

    engine_open(&e);
    layout_ok(&e, &p, hours);
    assert_ltr_piece(&e.text, (size_t)(strstr(hours, "09:00") - hours), 5);
    assert_ltr_piece(&e.text, (size_t)(strstr(hours, "17:00") - hours), 5);
    /* read right to left: from 09:00 to 17:00 */
    ck_assert(x_of(&e.text, hours, "09:00") > x_of(&e.text, hours, "17:00"));
    ck_assert(x_of(&e.text, hours, "ساعت") > x_of(&e.text, hours, "09:00"));
    ck_assert(x_of(&e.text, hours, "17:00") > x_of(&e.text, hours, "است"));

    p.lang = "ar";
    layout_ok(&e, &p, url);
    assert_ltr_piece(&e.text, (size_t)(strstr(url, "https") - url),
                     strlen("https://example.org/help"));
    ck_assert(x_of(&e.text, url, "زوروا") > x_of(&e.text, url, "https"));
    ck_assert(x_of(&e.text, url, "help") > x_of(&e.text, url, "https"));
    ck_assert(x_of(&e.text, url, "help") > x_of(&e.text, url, "اليوم"));

    p.lang = "fa";
    layout_ok(&e, &p, name);
    assert_ltr_piece(&e.text, (size_t)(strstr(name, "Maria") - name), strlen("Maria Schmidt"));
    ck_assert(x_of(&e.text, name, "Maria") < x_of(&e.text, name, "Schmidt"));
    ck_assert(x_of(&e.text, name, "نام") > x_of(&e.text, name, "Schmidt"));
    engine_close(&e);
}
END_TEST

START_TEST(arabic_indic_digits_stay_as_written)
{
    const char *s = "الرقم ٠١٢٣ و ۴۵۶";
    const char *latin = "الرقم 0123";
    engine_t e;
    i18n_layout_params_t p = params("ar", 28, 0);
    FT_Face face;
    long g;
    int k;

    engine_open(&e);
    layout_ok(&e, &p, s);
    assert_ltr_piece(&e.text, (size_t)(strstr(s, "٠") - s), strlen("٠١٢٣"));
    for (k = 0; k < 4; k++) {
        g = glyph_at_byte(&e.text, (size_t)(strstr(s, "٠") - s) + 2 * (size_t)k);
        ck_assert_int_ge(g, 0);
        face = i18n_fonts_face(e.fonts, e.text.glyphs[g].font);
        ck_assert_uint_eq(e.text.glyphs[g].glyph, FT_Get_Char_Index(face, 0x0660 + (FT_ULong)k));
        ck_assert_uint_ne(e.text.glyphs[g].glyph, FT_Get_Char_Index(face, '0' + (FT_ULong)k));
    }
    /* Persian four: not the Arabic-Indic or the European four */
    g = glyph_at_byte(&e.text, (size_t)(strstr(s, "۴") - s));
    face = i18n_fonts_face(e.fonts, e.text.glyphs[g].font);
    ck_assert_uint_ne(e.text.glyphs[g].glyph, 0);
    ck_assert_uint_ne(e.text.glyphs[g].glyph, FT_Get_Char_Index(face, 0x0664));
    ck_assert_uint_ne(e.text.glyphs[g].glyph, FT_Get_Char_Index(face, '4'));
    layout_ok(&e, &p, latin);
    g = glyph_at_byte(&e.text, (size_t)(strstr(latin, "0") - latin));
    face = i18n_fonts_face(e.fonts, e.text.glyphs[g].font);
    ck_assert_uint_eq(e.text.glyphs[g].glyph, FT_Get_Char_Index(face, '0'));
    engine_close(&e);
}
END_TEST

/* ---- per-character fallback ---------------------------------------------------- */

START_TEST(characters_the_run_font_lacks_fall_back_per_character)
{
    const char *ar = "حقوق (الإنسان)";
    const char *am = "የሰው ’ልጅ’ ሁሉ";
    engine_t e;
    i18n_layout_params_t p = params("ar", 28, 0);
    long g;
    size_t i;

    engine_open(&e);
    layout_ok(&e, &p, ar);
    ck_assert_uint_eq(e.text.missing, 0);
    for (i = 0; i < e.text.glyph_count; i++)
        ck_assert_uint_ne(e.text.glyphs[i].glyph, 0);
    g = glyph_at_byte(&e.text, (size_t)(strchr(ar, '(') - ar));
    ck_assert_int_ge(g, 0);
    ck_assert_uint_ne(FT_Get_Char_Index(i18n_fonts_face(e.fonts, e.text.glyphs[g].font), '('), 0);
    g = glyph_at_byte(&e.text, (size_t)(strstr(ar, "حقوق") - ar));
    ck_assert_str_eq(glyph_font(&e, &e.text.glyphs[g]), "NotoNaskhArabic-Regular.ttf");

    p.lang = "am";
    layout_ok(&e, &p, am);
    ck_assert_uint_eq(e.text.missing, 0);
    for (i = 0; i < e.text.glyph_count; i++)
        ck_assert_uint_ne(e.text.glyphs[i].glyph, 0);
    g = glyph_at_byte(&e.text, (size_t)(strstr(am, "’") - am));
    ck_assert_int_ge(g, 0);
    ck_assert_uint_eq(e.text.glyphs[g].glyph,
                      FT_Get_Char_Index(i18n_fonts_face(e.fonts, e.text.glyphs[g].font), 0x2019));
    g = glyph_at_byte(&e.text, 0);
    ck_assert_str_eq(glyph_font(&e, &e.text.glyphs[g]), "NotoSansEthiopic-Regular.ttf");

    /* a code point no font has is counted, and still laid out */
    p.lang = "en";
    layout_ok(&e, &p,
              "a\xF3\xBF\xBF\xBD"
              "b");
    ck_assert_uint_eq(e.text.missing, 1);
    engine_close(&e);
}
END_TEST

/* ---- line breaking --------------------------------------------------------------- */

START_TEST(lines_break_at_opportunities_fit_and_cover_the_text)
{
    static const struct {
        const char *lang, *text;
    } cases[] = {
        {"en", "Everyone has the right to life, liberty and security of person. No one shall be "
               "held in slavery or servitude; slavery and the slave trade shall be prohibited in "
               "all their forms."},
        {"ar", "لكل فرد الحق في الحياة والحرية وسلامة شخصه. لا يجوز استرقاق أحد أو استعباده، "
               "ويحظر الاسترقاق وتجارة الرقيق بكافة أوضاعهما."},
        {"my", "လူတိုင်းသည် အသက်ရှင်ရန်၊ လွတ်လပ်ရန်နှင့် မိမိ၏ လုံခြုံမှုအတွက် အခွင့်အရေး ရှိသည်။"},
        {"en", "Line one\nLine two\xE2\x80\xA8Line three"},
    };
    static uint32_t cps[2048];
    static uint32_t offs[2049];
    static char brk[2048];
    engine_t e;
    size_t i, k, n;

    engine_open(&e);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        i18n_layout_params_t p = params(cases[i].lang, 28, 300);

        layout_ok(&e, &p, cases[i].text);
        n = decode(cases[i].text, cps, offs, 2048);
        ck_assert_int_eq(i18n_break_opportunities(cps, n, cases[i].lang, brk), WM_OK);
        ck_assert_uint_gt(e.text.line_count, 2);
        ck_assert_uint_eq(e.text.lines[0].byte_start, 0);
        for (k = 0; k < e.text.line_count; k++) {
            const i18n_line_t *ln = &e.text.lines[k];
            size_t c;

            ck_assert(ln->width <= 300.001f);
            ck_assert(ln->baseline > (k ? e.text.lines[k - 1].baseline : 0));
            if (k + 1 == e.text.line_count) {
                ck_assert_uint_eq(ln->byte_end, strlen(cases[i].text));
                continue;
            }
            ck_assert_uint_eq(ln->byte_end, e.text.lines[k + 1].byte_start);
            for (c = 0; c < n && offs[c] != ln->byte_end; c++)
                ;
            ck_assert_msg(c < n && c > 0, "line end %zu is not a character boundary", ln->byte_end);
            ck_assert_msg(brk[c - 1] != I18N_BREAK_NO,
                          "%s: line %zu ends at byte %zu, no UAX #14 "
                          "opportunity",
                          cases[i].lang, k, ln->byte_end);
        }
    }
    /* mandatory breaks: three lines even without wrapping */
    {
        i18n_layout_params_t p = params("en", 28, 0);

        layout_ok(&e, &p, cases[3].text);
        ck_assert_uint_eq(e.text.line_count, 3);
        ck_assert_uint_eq(e.text.lines[1].byte_start, strlen("Line one\n"));
        for (k = 0; k < e.text.glyph_count; k++)
            ck_assert_uint_ne(e.text.glyphs[k].glyph, 0);
    }
    engine_close(&e);
}
END_TEST

START_TEST(a_word_wider_than_the_line_breaks_between_graphemes)
{
    static char word[4096];
    static uint32_t cps[4096];
    static uint32_t offs[4097];
    const char *url = "https://example.org/services/health/clinics/opening-hours/"
                      "weekdays-and-weekends/information-for-new-arrivals/index.html";
    engine_t e;
    i18n_layout_params_t p = params("en", 28, 300);
    size_t k, i, n;

    engine_open(&e);
    /* e + COMBINING ACUTE ACCENT, 150 times: one word, ~2500 px */
    word[0] = '\0';
    for (i = 0; i < 150; i++)
        strcat(word, "e\xCC\x81");
    layout_ok(&e, &p, word);
    ck_assert(e.text.glyphs[e.text.glyph_count - 1].x > 0);
    ck_assert_uint_gt(e.text.line_count, 5);
    n = decode(word, cps, offs, 4096);
    (void)n;
    for (k = 0; k < e.text.line_count; k++) {
        const i18n_line_t *ln = &e.text.lines[k];

        ck_assert(ln->width <= 300.001f);
        ck_assert_msg(word[ln->byte_start] == 'e', "line %zu starts inside a grapheme", k);
        if (k > 0)
            ck_assert_uint_eq(ln->byte_start, e.text.lines[k - 1].byte_end);
    }
    ck_assert_uint_eq(e.text.lines[e.text.line_count - 1].byte_end, strlen(word));

    /* a long URL: ~3000 px in 300 px lines */
    p.size_px = 40;
    layout_ok(&e, &p, url);
    ck_assert_uint_ge(e.text.line_count, 8);
    for (k = 0; k < e.text.line_count; k++)
        ck_assert(e.text.lines[k].width <= 300.001f);

    /* a single grapheme wider than the line stays whole on its line */
    p.size_px = 200;
    p.max_width = 50;
    layout_ok(&e, &p, "WW");
    ck_assert_uint_eq(e.text.line_count, 2);
    ck_assert(e.text.lines[0].width > 50);
    engine_close(&e);
}
END_TEST

/* ---- truncation ---------------------------------------------------------------------- */

START_TEST(truncation_puts_an_ellipsis_at_the_logical_end)
{
    const char *en = "Everyone has the right to life, liberty and security of person. No one shall "
                     "be held in slavery or servitude.";
    const char *ar = "لكل فرد الحق في الحياة والحرية وسلامة شخصه. لا يجوز استرقاق أحد أو استعباده.";
    engine_t e;
    i18n_layout_params_t p = params("en", 28, 300);
    const i18n_line_t *last;
    const i18n_glyph_t *g;
    size_t k, extreme;

    engine_open(&e);
    p.max_lines = 2;
    layout_ok(&e, &p, en);
    ck_assert(e.text.truncated);
    ck_assert_uint_eq(e.text.line_count, 2);
    last = &e.text.lines[1];
    ck_assert(last->width <= 300.001f);
    /* rightmost glyph is U+2026 */
    extreme = last->first_glyph;
    for (k = last->first_glyph; k < last->first_glyph + last->glyph_count; k++)
        if (e.text.glyphs[k].x > e.text.glyphs[extreme].x)
            extreme = k;
    g = &e.text.glyphs[extreme];
    ck_assert_uint_eq(g->glyph, FT_Get_Char_Index(i18n_fonts_face(e.fonts, g->font), 0x2026));
    ck_assert_uint_ne(g->glyph, 0);

    p.lang = "ar";
    layout_ok(&e, &p, ar);
    ck_assert(e.text.truncated);
    ck_assert(e.text.rtl);
    ck_assert_uint_eq(e.text.line_count, 2);
    last = &e.text.lines[1];
    ck_assert(last->width <= 300.001f);
    ck_assert(fabsf(last->x + last->width - 300) < 0.5f);
    extreme = last->first_glyph;
    for (k = last->first_glyph; k < last->first_glyph + last->glyph_count; k++)
        if (e.text.glyphs[k].x < e.text.glyphs[extreme].x)
            extreme = k;
    g = &e.text.glyphs[extreme];
    ck_assert_uint_eq(g->glyph, FT_Get_Char_Index(i18n_fonts_face(e.fonts, g->font), 0x2026));
    ck_assert_uint_ne(g->glyph, 0);

    /* no truncation when it fits */
    p.max_lines = 50;
    layout_ok(&e, &p, ar);
    ck_assert(!e.text.truncated);
    engine_close(&e);
}
END_TEST

/* ---- errors, empty text, reuse, measure ----------------------------------------------------- */

START_TEST(invalid_utf8_is_an_error_and_empty_text_is_fine)
{
    static const char *const bad[] = {"ab\xC3",
                                      "\xC0\xAF",
                                      "\xED\xA0\x80",
                                      "\xF4\x90\x80\x80",
                                      "a\x80"
                                      "b",
                                      "\xE2\x82"};
    engine_t e;
    i18n_layout_params_t p = params("en", 28, 300);
    i18n_metrics_t m = {0};
    size_t i, lines;

    engine_open(&e);
    layout_ok(&e, &p, "hello");
    lines = e.text.line_count;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_int_eq(i18n_layout_text(e.lay, &p, bad[i], strlen(bad[i]), &e.text), WM_EINVAL);
        ck_assert_ptr_nonnull(strstr(wm_last_error(), "UTF-8"));
        ck_assert_uint_eq(e.text.line_count, lines);
    }
    ck_assert_int_eq(i18n_layout_measure(e.lay, &p, bad[0], strlen(bad[0]), &m), WM_EINVAL);
    ck_assert_int_eq(i18n_layout_text(e.lay, &p, "", 0, &e.text), WM_OK);
    ck_assert_uint_le(e.text.line_count, 1);
    ck_assert_uint_eq(e.text.glyph_count, 0);
    ck_assert_int_eq(i18n_layout_text(e.lay, &p, NULL, 0, &e.text), WM_OK);
    p.size_px = 0;
    ck_assert_int_eq(i18n_layout_text(e.lay, &p, "x", 1, &e.text), WM_EINVAL);
    engine_close(&e);
}
END_TEST

/* ---- bad input found by probing --------------------------------------------------- */

/* Appends cp to buf as UTF-8 (test inputs only). */
static void put_cp(char *buf, size_t cap, size_t *o, uint32_t cp)
{
    ck_assert_uint_lt(*o + 4, cap);
    if (cp < 0x80) {
        buf[(*o)++] = (char)cp;
    } else if (cp < 0x800) {
        buf[(*o)++] = (char)(0xC0 | (cp >> 6));
        buf[(*o)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        buf[(*o)++] = (char)(0xE0 | (cp >> 12));
        buf[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[(*o)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        buf[(*o)++] = (char)(0xF0 | (cp >> 18));
        buf[(*o)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        buf[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[(*o)++] = (char)(0x80 | (cp & 0x3F));
    }
    buf[*o] = '\0';
}

/* Embeddings and isolates nested past UAX #9's 125 levels, mixed with
 * brackets: FriBidi 1.0.8 crashed on these (SIGSEGV in bracket pairing);
 * the layout is made and the levels are those UAX #9 gives (initiators
 * past the limit are ignored). */
START_TEST(controls_nested_past_the_bidi_limit_are_safe)
{
    static const uint32_t alphabet[] = {0x202A, 0x202B, 0x202D, 0x202E, 0x202C, 0x2066, 0x2067,
                                        0x2068, 0x2069, '(',    ')',    '[',    ']',    'a',
                                        0x05D0, 0x0627, '1',    ' ',    0x0661, 0x2029};
    static const char *const langs[] = {"en", "ar"};
    uint32_t cps[300];
    uint8_t levels[300];
    char buf[2048];
    engine_t e;
    size_t i, k, o;
    uint32_t seed = 12345;
    int par;

    engine_open(&e);
    /* the reproducer: "\u202a"*23 + "(" + "\u2066\u202a"*20 + "\u2067" +
     * "\u2069"*20 + ")\u2069)" */
    o = 0;
    for (i = 0; i < 23; i++)
        put_cp(buf, sizeof(buf), &o, 0x202A);
    put_cp(buf, sizeof(buf), &o, '(');
    for (i = 0; i < 20; i++) {
        put_cp(buf, sizeof(buf), &o, 0x2066);
        put_cp(buf, sizeof(buf), &o, 0x202A);
    }
    put_cp(buf, sizeof(buf), &o, 0x2067);
    for (i = 0; i < 20; i++)
        put_cp(buf, sizeof(buf), &o, 0x2069);
    put_cp(buf, sizeof(buf), &o, ')');
    put_cp(buf, sizeof(buf), &o, 0x2069);
    put_cp(buf, sizeof(buf), &o, ')');
    for (k = 0; k < 2; k++) {
        i18n_layout_params_t p = params(langs[k], 20, 300);

        layout_ok(&e, &p, buf);
        ck_assert_uint_eq(e.text.missing, 0);
    }

    /* 130 deep: 62 LRI or LRE (up to level 124) or 63 RLI (125, where the
     * L is raised to 126 by rule I2) are valid, the rest ignored */
    for (k = 0; k < 3; k++) {
        uint32_t init = k == 0 ? 0x2066 : k == 1 ? 0x2067 : 0x202A;
        uint32_t end = k == 2 ? 0x202C : 0x2069;

        for (i = 0; i < 130; i++) {
            cps[i] = init;
            cps[131 + i] = end;
        }
        cps[130] = 'a';
        ck_assert_int_eq(i18n_bidi_resolve(cps, 261, I18N_DIR_LTR, levels, &par), WM_OK);
        ck_assert_int_eq(par, 0);
        ck_assert_uint_eq(levels[130], k == 1 ? 126 : 124);
    }

    /* as many bracket pairs as the length limit allows (FriBidi sorts
     * them recursively: the limit bounds that recursion too) */
    {
        size_t cap = I18N_TEXT_MAX + 8, bo = 0;
        char *big = malloc(cap);
        i18n_layout_params_t p = params("ar", 16, 300);

        ck_assert_ptr_nonnull(big);
        while (bo + 4 < I18N_TEXT_MAX) {
            put_cp(big, cap, &bo, '(');
            put_cp(big, cap, &bo, 0x0628);
            put_cp(big, cap, &bo, ')');
        }
        layout_ok(&e, &p, big);
        ck_assert_uint_eq(e.text.lines[e.text.line_count - 1].byte_end, bo);
        free(big);
    }

    /* isolates across paragraph separators: FriBidi 1.0.8 stops its explicit
     * pass at a U+2029 and then read levels it never set (a crash in
     * release builds, found by the random mixes below) */
    {
        static const uint32_t mix[] = {
            0x2066, 0x2066, 0x2066, 0x2068, 0x2067, 0x5D0,  0x61,   0x31,   0x202B, 0x2068, 0x2066,
            0x202C, 0x2066, 0x5D0,  0x20,   0x2066, 0x5D,   0x20,   0x2067, 0x2066, 0x2068, 0x2067,
            0x61,   0x202D, 0x2067, 0x20,   0x2066, 0x2066, 0x2068, 0x202B, 0x31,   0x31,   0x2066,
            0x2067, 0x202E, 0x661,  0x2068, 0x202A, 0x29,   0x202C, 0x202B, 0x202B, 0x2067, 0x202B,
            0x202A, 0x2068, 0x202A, 0x202A, 0x202B, 0x2067, 0x2066, 0x202B, 0x202B, 0x2066, 0x202B,
            0x2067, 0x202B, 0x2029, 0x2069, 0x2069, 0x2069, 0x5B,   0x61,   0x2067, 0x202D, 0x2068,
            0x2066, 0x2068, 0x2067, 0x202B, 0x202C, 0x2067, 0x31,   0x202B, 0x2066, 0x5B,   0x2067,
            0x2029, 0x627,  0x2068, 0x2066, 0x2068, 0x20,   0x29,   0x2068, 0x2067, 0x627,  0x29,
            0x2066, 0x31,   0x202D, 0x627,  0x2068, 0x2068, 0x28,   0x2066, 0x202B, 0x2029, 0x2068,
            0x2068, 0x2068, 0x20,   0x2068, 0x661,  0x2067, 0x202B, 0x202A, 0x5D0,  0x202B, 0x2066,
            0x2066, 0x2068, 0x202B, 0x202A, 0x2067, 0x202A, 0x2067, 0x202A, 0x202C, 0x2066, 0x28,
            0x202B, 0x2066, 0x2066, 0x202B, 0x2067, 0x2067, 0x5D0,  0x2066, 0x202B, 0x5D,   0x2068,
            0x28,   0x5B,   0x61,   0x2067, 0x202E, 0x2066, 0x2066, 0x5D,   0x61,   0x2068, 0x2068,
            0x2029, 0x202A, 0x2066, 0x31,   0x202E, 0x2067, 0x5B,   0x202A, 0x2067, 0x627,  0x2067,
            0x2066, 0x2066, 0x202A, 0x202A, 0x202B};
        i18n_layout_params_t p = params("ar", 16, 120);

        o = 0;
        for (i = 0; i < sizeof(mix) / sizeof(mix[0]); i++)
            put_cp(buf, sizeof(buf), &o, mix[i]);
        layout_ok(&e, &p, buf);
        p.max_width = 0;
        layout_ok(&e, &p, buf);
        ck_assert_uint_eq(e.text.lines[e.text.line_count - 1].byte_end, o);
    }

    /* random mixes of controls, brackets, letters and digits */
    for (k = 0; k < 600; k++) {
        i18n_layout_params_t p = params(langs[k % 2], 16, (k % 3) ? 120 : 0);
        size_t n = 150 + k % 150;

        o = 0;
        for (i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            /* mostly initiators, so the stack gets deep */
            if ((seed >> 16) % 3 == 0)
                put_cp(buf, sizeof(buf), &o, 0x2066 + (seed >> 20) % 3);
            else if ((seed >> 16) % 3 == 1 && (seed >> 24) % 2)
                put_cp(buf, sizeof(buf), &o, 0x202A + (seed >> 20) % 2);
            else
                put_cp(buf, sizeof(buf), &o,
                       alphabet[(seed >> 18) % (sizeof(alphabet) / sizeof(alphabet[0]))]);
        }
        p.dir = (i18n_dir_t)(k % 3);
        layout_ok(&e, &p, buf);
    }
    engine_close(&e);
}
END_TEST

/* 'a' and 40,000 acute accents took seconds to shape (30,000 fit in
 * I18N_TEXT_MAX): past I18N_MARKS_MAX
 * marks in a row the rest are dropped, and the lines still cover every
 * byte. Counted in glyphs, not time. */
START_TEST(long_runs_of_combining_marks_are_bounded)
{
    size_t cap = 2 * 30000 + 16, o = 0, i, marks = 0;
    char *buf = malloc(cap);
    engine_t e;
    i18n_layout_params_t p = params("en", 20, 300);

    ck_assert_ptr_nonnull(buf);
    engine_open(&e);
    put_cp(buf, cap, &o, 'a');
    for (i = 0; i < 30000; i++)
        put_cp(buf, cap, &o, 0x0301);
    put_cp(buf, cap, &o, 'b');
    for (i = 0; i < 3; i++)
        put_cp(buf, cap, &o, 0x0301);
    layout_ok(&e, &p, buf);
    for (i = 0; i < e.text.glyph_count; i++)
        if (e.text.glyphs[i].advance == 0)
            marks++;
    /* a + at most 30 marks (one may compose with it), b + its 3 */
    ck_assert_uint_le(e.text.glyph_count, 2 + I18N_MARKS_MAX + 3);
    ck_assert_uint_ge(e.text.glyph_count, 2 + 3);
    ck_assert_uint_ge(marks, I18N_MARKS_MAX - 1 + 3 - 1);
    ck_assert_uint_eq(e.text.line_count, 1);
    ck_assert_uint_eq(e.text.lines[0].byte_start, 0);
    ck_assert_uint_eq(e.text.lines[0].byte_end, o);
    ck_assert_int_ge(glyph_at_byte(&e.text, 1 + 2 * 30000), 0); /* 'b' */
    ck_assert_uint_eq(e.text.missing, 0);
    engine_close(&e);
    free(buf);
}
END_TEST

/* A 16 MB paragraph took 1.4 GB: longer than I18N_TEXT_MAX is refused. */
START_TEST(paragraphs_longer_than_the_limit_are_refused)
{
    size_t len = I18N_TEXT_MAX + 1;
    char *buf = malloc(len + 1);
    engine_t e;
    i18n_layout_params_t p = params("en", 20, 300);
    i18n_metrics_t m;

    ck_assert_ptr_nonnull(buf);
    memset(buf, 'a', len);
    buf[len] = '\0';
    engine_open(&e);
    ck_assert_int_eq(i18n_layout_text(e.lay, &p, buf, len, &e.text), WM_EINVAL);
    ck_assert_ptr_nonnull(strstr(wm_last_error(), "65536"));
    ck_assert_int_eq(i18n_layout_measure(e.lay, &p, buf, len, &m), WM_EINVAL);
    ck_assert_int_eq(i18n_layout_text(e.lay, &p, buf, len - 1, &e.text), WM_OK);
    ck_assert_uint_eq(e.text.lines[e.text.line_count - 1].byte_end, len - 1);
    engine_close(&e);
    free(buf);
}
END_TEST

START_TEST(reused_engine_and_text_equal_fresh_ones)
{
    static const char *const langs[] = {"ar", "ur", "my", "am", "en"};
    engine_t warm, fresh;
    size_t li;

    engine_open(&warm);
    for (li = 0; li < sizeof(langs) / sizeof(langs[0]); li++) {
        char path[1024];
        char *buf, *line, *save = NULL;
        int count = 0;

        snprintf(path, sizeof(path), "%s/%s.txt", tu_corpus_dir(), langs[li]);
        buf = tu_read_file(path, NULL);
        ck_assert_ptr_nonnull(buf);
        for (line = strtok_r(buf, "\n", &save); line && count < 8;
             line = strtok_r(NULL, "\n", &save)) {
            i18n_layout_params_t p = params(langs[li], 24, 500);
            i18n_metrics_t m;
            size_t k;

            if (line[0] == '#' || line[0] == '=')
                continue;
            count++;
            p.max_lines = count % 3 == 0 ? 2 : 0;
            layout_ok(&warm, &p, line);
            engine_open(&fresh);
            layout_ok(&fresh, &p, line);
            ck_assert_uint_eq(warm.text.glyph_count, fresh.text.glyph_count);
            ck_assert_uint_eq(warm.text.line_count, fresh.text.line_count);
            for (k = 0; k < warm.text.glyph_count; k++) {
                const i18n_glyph_t *a = &warm.text.glyphs[k], *b = &fresh.text.glyphs[k];

                ck_assert(a->glyph == b->glyph && a->x == b->x && a->y == b->y &&
                          a->advance == b->advance && a->cluster == b->cluster);
                ck_assert_str_eq(i18n_fonts_path(warm.fonts, a->font),
                                 i18n_fonts_path(fresh.fonts, b->font));
            }
            ck_assert(lines_equal(&warm.text, &fresh.text));
            ck_assert(warm.text.width == fresh.text.width);
            ck_assert(warm.text.height == fresh.text.height);
            ck_assert_int_eq(i18n_layout_measure(warm.lay, &p, line, strlen(line), &m), WM_OK);
            ck_assert_uint_eq(m.line_count, fresh.text.line_count);
            ck_assert(m.width == fresh.text.width && m.height == fresh.text.height);
            ck_assert_int_eq(m.truncated, fresh.text.truncated);
            engine_close(&fresh);
        }
        free(buf);
    }
    engine_close(&warm);
}
END_TEST

/* Asserts two layouts show the same glyphs at the same places. */
static void assert_same_text(const i18n_text_t *a, const i18n_text_t *b, const char *what)
{
    size_t k;

    ck_assert_msg(a->glyph_count == b->glyph_count, "%s: %zu glyphs vs %zu", what, a->glyph_count,
                  b->glyph_count);
    ck_assert_uint_eq(a->line_count, b->line_count);
    for (k = 0; k < a->glyph_count; k++) {
        const i18n_glyph_t *x = &a->glyphs[k], *y = &b->glyphs[k];

        ck_assert_msg(x->glyph == y->glyph && x->font == y->font && x->x == y->x && x->y == y->y &&
                          x->advance == y->advance && x->cluster == y->cluster,
                      "%s: glyph %zu: %u/%u at %.3f,%.3f +%.3f byte %u vs %u/%u at %.3f,%.3f "
                      "+%.3f byte %u",
                      what, k, x->font, x->glyph, (double)x->x, (double)x->y, (double)x->advance,
                      x->cluster, y->font, y->glyph, (double)y->x, (double)y->y, (double)y->advance,
                      y->cluster);
    }
    ck_assert(lines_equal(a, b));
    ck_assert(a->width == b->width && a->height == b->height);
}

/* The word cache is exact: every paragraph of the corpus (and some text
 * made to trip it) gives the same glyphs with it as with whole-run shaping,
 * both when words are first shaped and when they come from the cache. */
START_TEST(word_cache_gives_the_glyphs_of_whole_runs)
{
    static const char *const extra[] = {
        "a \xCC\x81"
        "b c\xE2\x80\x8D d",
        "\xD8\xA8\xE2\x80\x8D \xD8\xA8 \xE2\x80\x8C\xD8\xA8\xD8\xA8 \xD8\xA8\xD8\xA8",
        "\xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A"
        "ABC \xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A 123 "
        "\xD8\xA8\t\xD8\xA8",
        "\xD8\xA7\xD8\xAA\xD8\xB5\xD9\x84 \xD8\xB9\xD9\x84\xD9\x89 +49 30 1234567 Maria  "
        "Schmidt (\xD8\xAD\xD9\x82\xD9\x88\xD9\x82)",
        "Waymark  Wa ymark Way mark",
        "\xE1\x88\xB0\xE1\x88\x8B\xE1\x88\x9D\xE1\x8D\xA1\xE1\x8B\x93\xE1\x88\x88"
        "\xE1\x88\x9D\xE1\x8D\xA1 \xE1\x88\xB0\xE1\x8D\xA1\xE1\x8D\x9D\xE1\x88\x8D"
        "\xE1\x8D\xA1\xE1\x8D\xA1\xE1\x8C\x85",
        /* broken Myanmar clusters (a medial after an asat), found by
         * fuzzing: alone, HarfBuzz put a dotted circle into a word that the
         * whole run shapes without one */
        "\xE1\x80\x9C\xE1\x80\x80\xEF\xBF\xBD\xEF\xBF\xBD\xE1\xB0\x95\xE1\x80\xBA\xE1\x80\x9E\xE1"
        "\x80\xAD"
        "\xE1\x80\x99\xE1\x80\xBA\xE1\x80\xB8\xE1\x81\x8F "
        "\xE1\x80\x99\xE1\x80\xBB\xE1\x80\xAD\xE1\x80"
        "\xAF\xE1\x80\xB8\xE1\x80\x9B\xE1\x80\xAD\xE1\x80\xAF\xE1\x80\xB8\xE1\x80\x82\xE1\x80\xAF"
        "\xE1\x80"
        "\x8F\xE1\x80\xBA\xE1\x80\x9E\xE1\x80\xAD\xE1\x80\x80\xE1\x80\xB9\xE1\x80\x81\xE1\x80\xAC"
        "\xE1\x80"
        "\x94\xE1\x80\xBE\xE1\x80\x84\xE1\x80\xB7\xE1\x80\xBA\xE1\x80\x90\xE1\x80\x80\xE1\x80\xBD "
        "\xE1"
        "\x80\x9C\xE1\x80\xB0\xE1\x80\x90\xE1\x80\xAD\xE1\x80\xAF\xE8\x80\x84\xE1\x80\xBA\xE1\x80"
        "\xB8\xE1"
        "\x80\xA1\xE1\x80\x8A\xEF\xBF\xBD\xE1\x80\x99\xE1\x80\xBE\xE1\x80\xAF\xE1\x81\x8A "
        "\xE1\x80\x84"
        "\xE1\x80\xBC\xE1\x80\xAD\xE1\x80\x99\xE1\x80\xBA\xE1\x80\xB8\xE1\x80\x81\xE1\x80\xBB\xE1"
        "\x80\x99"
        "\xE1\x80\xBA\xE1\x80\xB8\xE1\x80\x99\xE1\x80\xBE\xE1\x80\xAF\xE1\x80\x90\xEF\xBF\xBD\xE1"
        "\x80\x80"
        "\xEF\xBF\xBD\xE1\x80\xB7\xE1\x81\x8F "
        "\xE1\x80\xA1\xE1\x80\x81\xE1\x80\xBC\xE1\x80\xB1\xE1\x80"
        "\x81\xE1\x80\xB6\xE1\x80\xA1\xE1\x80\xAF\xE1\x80\x90\xE1\x80\xBA\xE1\x80\x99\xE1\x80\xBC"
        "\xE1\x80"
        "\x85\xE1\x80\xBA\xE1\x80\x96\xE1\x80\xBC\xE1\x80\x85\xE1\x80\xBA\xE1\x80\x9E\xE1\x80\xB1"
        "\xE1\x80"
        "\xAC\xE1\x80\x80\xE1\x80\xBC\xE1\x80\xB1\xE1\x80\xAC\xE1\x80\x84\xE1\x80\xB7\xE1\x80\xBA"
        "\xE1\x80"
        "\xBC\xE1\x80\x8A\xE1\x80\xBA\xE1\x80\xB8\xE1\x80\x80\xE1\x80\xB1\xE1\x80\xAC\xE1\x80\x84"
        "\xE1\x80"
        "\xBA\xE1\x80\xB8\xE1\x81\x8A",
        /* U+1026 after a word and a space, found by fuzzing: shaped as a
         * word with the paragraph as context it decomposed, inside the
         * run it did not */
        "\xEF\xBF\xBD\xE1\x80\x99\xE1\x80\xBE \xE1\x80\xA6",
        "\xE1\x80\x99\xE1\x80\xBE \xE1\x80\xA6",
    };
    const char *lang = corpus_langs[_i];
    char path[1024];
    char *buf, *line, *save = NULL, *lines[256];
    engine_t plain, cached;
    i18n_text_t ref;
    i18n_word_cache_stats_t st0, st1;
    size_t n = 0, k, pass;

    snprintf(path, sizeof(path), "%s/%s.txt", tu_corpus_dir(), lang);
    buf = tu_read_file(path, NULL);
    ck_assert_ptr_nonnull(buf);
    for (line = strtok_r(buf, "\n", &save); line && n < 256; line = strtok_r(NULL, "\n", &save))
        if (line[0] != '#')
            lines[n++] = strncmp(line, "= ", 2) == 0 ? line + 2 : line;
    for (k = 0; k < sizeof(extra) / sizeof(extra[0]) && n < 256; k++)
        lines[n++] = (char *)extra[k];
    engine_open(&plain);
    engine_open(&cached);
    i18n_text_init(&ref);
    i18n_layout_set_word_cache(plain.lay, false);
    for (pass = 0; pass < 2; pass++) {
        i18n_layout_word_cache_stats(cached.lay, &st0);
        for (k = 0; k < n; k++) {
            i18n_layout_params_t p = params(lang, k % 5 == 0 ? 17.5f : 28, 1000);

            ck_assert_int_eq(i18n_layout_text(plain.lay, &p, lines[k], strlen(lines[k]), &ref),
                             WM_OK);
            layout_ok(&cached, &p, lines[k]);
            assert_same_text(&cached.text, &ref, lines[k]);
        }
        i18n_layout_word_cache_stats(cached.lay, &st1);
        /* the comparison means something: words went through the cache,
         * the first pass filling it, the second hitting it (Burmese is
         * shaped run by run, never from the cache) */
        if (strcmp(lang, "my") == 0)
            ck_assert_uint_gt(st1.runs_whole - st0.runs_whole, (uint64_t)n / 2);
        else if (pass == 0)
            ck_assert_uint_gt(st1.misses - st0.misses, 50);
        else
            ck_assert_msg(st1.hits - st0.hits > 10 * (st1.misses - st0.misses),
                          "%s: %llu hits, %llu misses", lang,
                          (unsigned long long)(st1.hits - st0.hits),
                          (unsigned long long)(st1.misses - st0.misses));
    }
    i18n_layout_word_cache_stats(plain.lay, &st1);
    ck_assert_uint_eq(st1.hits + st1.misses, 0);
    ck_assert_uint_gt(st1.runs_whole, 0);
    i18n_text_free(&ref);
    engine_close(&cached);
    engine_close(&plain);
    free(buf);
}
END_TEST

START_TEST(nastaliq_lines_are_taller_and_alignment_options_work)
{
    engine_t e;
    i18n_layout_params_t p = params("ur", 28, 600);
    float ur_height;

    engine_open(&e);
    layout_ok(&e, &p, "انسانی حقوق کا عالمی منشور");
    ck_assert_uint_eq(e.text.line_count, 1);
    ur_height = e.text.lines[0].ascent + e.text.lines[0].descent;
    ck_assert(ur_height >= 1.5f * 28);
    ck_assert(e.text.height >= ur_height);
    p.lang = "en";
    layout_ok(&e, &p, "Human rights");
    ck_assert(ur_height > e.text.lines[0].ascent + e.text.lines[0].descent);
    ck_assert(fabsf(e.text.lines[0].x) < 0.01f);
    p.align = I18N_ALIGN_END;
    layout_ok(&e, &p, "Human rights");
    ck_assert(fabsf(e.text.lines[0].x + e.text.lines[0].width - 600) < 0.5f);
    p.align = I18N_ALIGN_CENTER;
    layout_ok(&e, &p, "Human rights");
    ck_assert(fabsf(e.text.lines[0].x - (600 - e.text.lines[0].width) / 2) < 0.5f);
    /* forced direction: an English sentence in an RTL paragraph */
    p.align = I18N_ALIGN_START;
    p.dir = I18N_DIR_RTL;
    layout_ok(&e, &p, "Human rights");
    ck_assert(e.text.rtl);
    ck_assert(fabsf(e.text.lines[0].x + e.text.lines[0].width - 600) < 0.5f);
    /* no wrapping: the box is as wide as the line */
    p.dir = I18N_DIR_AUTO;
    p.max_width = 0;
    layout_ok(&e, &p, "Human rights");
    ck_assert(fabsf(e.text.width - e.text.lines[0].width) < 0.01f);
    engine_close(&e);
}
END_TEST

/* One pass over everything a booth does with text: open fonts and an
 * engine, lay out mixed Arabic, Latin and Ethiopic text, truncate English
 * with an ellipsis, measure, and ask which font covers a character. */
static wm_status_t text_path(i18n_fonts_t **f, i18n_layout_t **l, i18n_text_t *t, i18n_text_t *t2,
                             i18n_metrics_t *m, uint16_t *id)
{
    static const char *s = "لكل فرد الحق (في) الحياة Hello ሰላም 123";
    static const char *en = "Everyone has the right to life, liberty and security of person.";
    i18n_layout_params_t p = params("ar", 20, 200);
    i18n_layout_params_t q = params("en", 20, 150);
    wm_status_t st;

    q.max_lines = 1;
    st = i18n_fonts_create(NULL, f);
    if (st == WM_OK)
        st = i18n_layout_create(*f, l);
    if (st == WM_OK)
        st = i18n_layout_text(*l, &p, s, strlen(s), t);
    if (st == WM_OK)
        st = i18n_layout_text(*l, &q, en, strlen(en), t2);
    if (st == WM_OK)
        st = i18n_layout_measure(*l, &q, en, strlen(en), m);
    if (st == WM_OK)
        st = i18n_fonts_find(*f, "my", 0x1000, id);
    return st;
}

/* Fails the 1st, 2nd, 3rd ... allocation of the path in turn, every one:
 * each failure is WM_ENOMEM with a message (never "no font", never a
 * crash or leak), and a fault-free pass over the same objects afterwards
 * gives what a fresh pass gives. */
START_TEST(allocation_failures_are_reported_not_crashes)
{
    i18n_fonts_t *rf = NULL;
    i18n_layout_t *rl = NULL;
    i18n_text_t rt, rt2;
    i18n_metrics_t rm;
    uint16_t rid;
    long n;
    int ok = 0, failures = 0;

    i18n_text_init(&rt);
    i18n_text_init(&rt2);
    ck_assert_int_eq(text_path(&rf, &rl, &rt, &rt2, &rm, &rid), WM_OK);
    ck_assert(rt2.truncated);
    for (n = 0; n < 20000 && !ok; n++) {
        i18n_fonts_t *f = NULL;
        i18n_layout_t *l = NULL;
        i18n_text_t t, t2;
        i18n_metrics_t m;
        uint16_t id = 0;
        wm_status_t st;

        i18n_text_init(&t);
        i18n_text_init(&t2);
        wm_fault_alloc_after(n);
        st = text_path(&f, &l, &t, &t2, &m, &id);
        wm_fault_reset();
        if (st == WM_OK) {
            /* the first pass that succeeds gives the full result */
            ok = 1;
            ck_assert_uint_eq(t.glyph_count, rt.glyph_count);
            ck_assert_uint_eq(t.missing, rt.missing);
            ck_assert_uint_eq(t2.glyph_count, rt2.glyph_count);
            ck_assert_uint_eq(m.line_count, rm.line_count);
            ck_assert_str_eq(i18n_fonts_path(f, id), i18n_fonts_path(rf, rid));
        } else {
            /* every failure is reported as what it is, with a message */
            ck_assert_msg(st == WM_ENOMEM, "after %ld allocations: %s (%s)", n, wm_status_str(st),
                          wm_last_error());
            ck_assert_str_ne(wm_last_error(), "");
            failures++;
            if (l) {
                /* the engine that failed still works, and as a fresh one */
                i18n_layout_params_t q = params("en", 20, 150);
                static const char *en =
                    "Everyone has the right to life, liberty and security of person.";

                q.max_lines = 1;
                ck_assert_int_eq(i18n_layout_text(l, &q, en, strlen(en), &t2), WM_OK);
                ck_assert_uint_eq(t2.glyph_count, rt2.glyph_count);
                ck_assert_uint_eq(t2.line_count, rt2.line_count);
                ck_assert(t2.truncated);
                for (size_t i = 0; i < t2.glyph_count; i++)
                    ck_assert_uint_eq(t2.glyphs[i].glyph, rt2.glyphs[i].glyph);
            }
        }
        i18n_text_free(&t);
        i18n_text_free(&t2);
        i18n_layout_destroy(l);
        i18n_fonts_destroy(f);
    }
    ck_assert(ok);
    ck_assert_int_gt(failures, 0);
    printf("text path: %d allocation failures checked\n", failures);
    i18n_text_free(&rt);
    i18n_text_free(&rt2);
    i18n_layout_destroy(rl);
    i18n_fonts_destroy(rf);
}
END_TEST

/* ---- conformance ------------------------------------------------------------------- */

/* Reads an exceptions file: one test line number at the start of a line,
 * '#' comments. Returns a sorted-free flag array indexed by line number. */
static unsigned char *load_exceptions(const char *name, size_t max_line, size_t *count)
{
    char path[512];
    unsigned char *flags = calloc(max_line + 1, 1);
    char *buf, *line, *save = NULL;

    ck_assert_ptr_nonnull(flags);
    *count = 0;
    snprintf(path, sizeof(path), "%s/%s", EXCEPT_DIR, name);
    buf = tu_read_file(path, NULL);
    ck_assert_msg(buf != NULL, "cannot read %s", path);
    for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        unsigned long ln;

        if (line[0] < '0' || line[0] > '9')
            continue;
        ln = strtoul(line, NULL, 10);
        ck_assert_uint_le(ln, max_line);
        if (!flags[ln])
            (*count)++;
        flags[ln] = 1;
    }
    free(buf);
    return flags;
}

/* Counts a conformance file's cases against its list of exceptions. */
typedef struct {
    const char *name;   /* "BidiCharacterTest" */
    unsigned char *exc; /* flags by test line number */
    size_t nexc, total, pass, listed, listed_pass, failed;
} conformance_t;

static void conformance_open(conformance_t *c, const char *name, const char *exceptions,
                             size_t max_line)
{
    memset(c, 0, sizeof(*c));
    c->name = name;
    c->exc = load_exceptions(exceptions, max_line, &c->nexc);
}

static void conformance_case(conformance_t *c, size_t lineno, bool ok)
{
    c->total++;
    if (c->exc[lineno]) {
        c->listed++;
        c->listed_pass += ok;
    } else if (ok) {
        c->pass++;
    } else if (c->failed++ < 10) {
        fprintf(stderr, "%s.txt:%zu fails\n", c->name, lineno);
    }
}

/* Prints the totals and asserts: every listed exception is still a case,
 * no unlisted case fails, and the file had at least min_total cases. */
static void conformance_close(conformance_t *c, size_t min_total)
{
    printf("%s: %zu/%zu pass, %zu listed exceptions (%zu of them now pass)\n", c->name,
           c->pass + c->listed_pass, c->total, c->listed, c->listed_pass);
    ck_assert_uint_eq(c->listed, c->nexc);
    ck_assert_msg(c->failed == 0, "%zu unlisted %s cases fail", c->failed, c->name);
    ck_assert_uint_gt(c->total, min_total);
    free(c->exc);
}

START_TEST(bidi_character_test_conformance)
{
    static uint32_t cps[MAX_CPS], map[MAX_CPS];
    static uint8_t levels[MAX_CPS];
    static int want[MAX_CPS];
    static int order[MAX_CPS];
    char *buf, *line, *next;
    size_t lineno = 0;
    conformance_t conf;

    conformance_open(&conf, "BidiCharacterTest", "bidi-exceptions.txt", 200000);

    buf = tu_read_file(BIDI_TEST, NULL);
    ck_assert_msg(buf != NULL, "cannot read " BIDI_TEST);
    for (line = buf; line && *line; line = next) {
        char *f[5], *p;
        size_t n = 0, i, nw = 0, norder = 0;
        int dir, want_par, par = -1;
        bool ok = true;

        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        if (line[0] == '#' || line[0] == '\0')
            continue;
        for (i = 0, p = line; i < 5; i++) {
            f[i] = p;
            p = strchr(p, ';');
            if (p)
                *p++ = '\0';
            else if (i < 4)
                ck_abort_msg("BidiCharacterTest line %zu: bad format", lineno);
        }
        for (p = f[0]; *p;) {
            char *end;

            cps[n++] = (uint32_t)strtoul(p, &end, 16);
            if (end == p)
                break;
            p = end;
        }
        if (n && cps[n - 1] == 0 && *f[0] == '\0')
            n--;
        dir = atoi(f[1]);
        want_par = atoi(f[2]);
        for (p = f[3]; *p;) {
            while (*p == ' ')
                p++;
            if (!*p)
                break;
            if (*p == 'x') {
                want[nw++] = -1;
                p++;
            } else {
                want[nw++] = (int)strtol(p, &p, 10);
            }
        }
        for (p = f[4]; *p;) {
            char *end;
            long v = strtol(p, &end, 10);

            if (end == p)
                break;
            order[norder++] = (int)v;
            p = end;
        }
        ck_assert_uint_eq(nw, n);
        if (i18n_bidi_resolve(cps, n,
                              dir == 0   ? I18N_DIR_LTR
                              : dir == 1 ? I18N_DIR_RTL
                                         : I18N_DIR_AUTO,
                              levels, &par) != WM_OK)
            ok = false;
        if (ok && par != want_par)
            ok = false;
        for (i = 0; ok && i < n; i++)
            if (want[i] >= 0 && levels[i] != want[i])
                ok = false;
        if (ok) {
            size_t v, k = 0;

            ck_assert_int_eq(i18n_bidi_visual_order(cps, n, par, levels, map), WM_OK);
            for (v = 0; v < n && ok; v++) {
                if (want[map[v]] < 0)
                    continue; /* removed by X9 */
                if (k >= norder || (int)map[v] != order[k])
                    ok = false;
                k++;
            }
            if (k != norder)
                ok = false;
        }
        conformance_case(&conf, lineno, ok);
    }
    conformance_close(&conf, 90000);
    free(buf);
}
END_TEST

START_TEST(line_break_test_conformance)
{
    static uint32_t cps[MAX_CPS];
    static char want[MAX_CPS], got[MAX_CPS];
    char *buf, *line, *next;
    size_t lineno = 0;
    conformance_t conf;

    conformance_open(&conf, "LineBreakTest", "linebreak-exceptions.txt", 20000);

    buf = tu_read_file(LB_TEST, NULL);
    ck_assert_msg(buf != NULL, "cannot read " LB_TEST);
    for (line = buf; line && *line; line = next) {
        char *p, *hash;
        size_t n = 0, i;
        bool ok = true;

        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        for (p = line; *p;) {
            unsigned char c = (unsigned char)*p;

            if (c == ' ' || c == '\t') {
                p++;
            } else if (c == 0xC3 && (unsigned char)p[1] == 0x97) { /* × */
                if (n)
                    want[n - 1] = I18N_BREAK_NO;
                p += 2;
            } else if (c == 0xC3 && (unsigned char)p[1] == 0xB7) { /* ÷ */
                if (n)
                    want[n - 1] = I18N_BREAK_ALLOW;
                p += 2;
            } else {
                char *end;

                ck_assert_uint_lt(n, MAX_CPS);
                cps[n++] = (uint32_t)strtoul(p, &end, 16);
                ck_assert_msg(end != p, "LineBreakTest line %zu: bad format", lineno);
                p = end;
            }
        }
        if (n == 0)
            continue;
        ck_assert_int_eq(i18n_break_opportunities(cps, n, NULL, got), WM_OK);
        for (i = 0; i < n; i++)
            if ((got[i] != I18N_BREAK_NO) != (want[i] != I18N_BREAK_NO))
                ok = false;
        conformance_case(&conf, lineno, ok);
    }
    conformance_close(&conf, 7000);
    free(buf);
}
END_TEST

static Suite *i18n_suite(void)
{
    Suite *s = suite_create("i18n");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, languages_cover_the_corpus_with_scripts_and_directions);
    tcase_add_test(tc, fonts_follow_noto_defaults_per_script_and_language);
    tcase_add_test(tc, fonts_fallback_file_replaces_rules_and_reports_errors);
    tcase_add_test(tc, fonts_preload_names_fonts_that_cannot_be_opened);
    tcase_add_test(tc, broken_fonts_are_skipped_for_the_next_file_and_reported);
    tcase_add_test(tc, font_rules_name_only_regular_files_in_the_fonts_folder);
    tcase_add_loop_test(tc, corpus_paragraphs_have_no_missing_glyphs_and_fit, 0, (int)N_CORPUS);
    tcase_add_test(tc, single_script_runs_equal_hb_shape);
    tcase_add_test(tc, phone_numbers_in_rtl_text_read_left_to_right);
    tcase_add_test(tc, years_times_and_ltr_paragraphs_keep_uax9_order);
    tcase_add_test(tc, opening_hours_url_and_latin_name_in_rtl_text);
    tcase_add_test(tc, arabic_indic_digits_stay_as_written);
    tcase_add_test(tc, characters_the_run_font_lacks_fall_back_per_character);
    tcase_add_test(tc, lines_break_at_opportunities_fit_and_cover_the_text);
    tcase_add_test(tc, a_word_wider_than_the_line_breaks_between_graphemes);
    tcase_add_test(tc, truncation_puts_an_ellipsis_at_the_logical_end);
    tcase_add_test(tc, invalid_utf8_is_an_error_and_empty_text_is_fine);
    tcase_add_test(tc, controls_nested_past_the_bidi_limit_are_safe);
    tcase_add_test(tc, long_runs_of_combining_marks_are_bounded);
    tcase_add_test(tc, paragraphs_longer_than_the_limit_are_refused);
    tcase_add_test(tc, reused_engine_and_text_equal_fresh_ones);
    tcase_add_loop_test(tc, word_cache_gives_the_glyphs_of_whole_runs, 0, (int)N_CORPUS);
    tcase_add_test(tc, nastaliq_lines_are_taller_and_alignment_options_work);
    /* only where allocation failures can be injected (scripts/test builds) */
    if (wm_fault_injection_available())
        tcase_add_test(tc, allocation_failures_are_reported_not_crashes);
    tcase_add_test(tc, bidi_character_test_conformance);
    tcase_add_test(tc, line_break_test_conformance);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(i18n_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
