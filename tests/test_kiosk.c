/*
 * test_kiosk.c: the booth application: run options and the configuration
 * file, the `waymark` command line, scripts, display rotation, the screen
 * stack, and scripted replay headless (taps reach widgets, screenshots,
 * the idle reset on the virtual clock).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kiosk.h"
#include "testutil.h"

#define SAMPLE WAYMARK_SOURCE_DIR "/content/sample"

/* ---- helpers ------------------------------------------------------------ */

static int argv_count(char **argv)
{
    int n = 0;

    while (argv[n])
        n++;
    return n;
}

static wm_status_t parse_args(kiosk_options_t *o, char **argv)
{
    return kiosk_options_parse(argv_count(argv), argv, o);
}

static void expect_error(const char *needle)
{
    ck_assert_msg(strstr(wm_last_error(), needle) != NULL, "message '%s' lacks '%s'",
                  wm_last_error(), needle);
}

static kiosk_options_t headless(int w, int h, int rotate)
{
    kiosk_options_t o;

    kiosk_options_default(&o);
    o.headless = true;
    o.width = w;
    o.height = h;
    o.rotate = rotate;
    o.log_level = WM_LOG_WARN;
    strcpy(o.content_dir, SAMPLE);
    return o;
}

static kiosk_app_t *app_new(const kiosk_options_t *o)
{
    kiosk_app_t *app = NULL;

    ck_assert_msg(kiosk_app_create(o, &app) == WM_OK, "app: %s", wm_last_error());
    return app;
}

/* Runs script text on an app, one command at a time; returns the first
 * failure. */
static wm_status_t app_script(kiosk_app_t *app, const char *text)
{
    kiosk_script_t *s = NULL;
    wm_status_t st;

    ck_assert_msg(kiosk_script_parse(text, "t.script", &s) == WM_OK, "%s", wm_last_error());
    st = WM_OK;
    for (size_t i = 0; i < s->count && st == WM_OK; i++)
        st = kiosk_app_exec(app, s, &s->cmds[i]);
    kiosk_script_destroy(s);
    return st;
}

/* The message holds no byte that is not UTF-8. */
static void expect_clean_message(void)
{
    const char *m = wm_last_error();

    ck_assert_msg(wm_utf8_valid(m, strlen(m)), "raw bytes in message '%s'", m);
}

/* ---- options ------------------------------------------------------------ */

START_TEST(options_defaults)
{
    kiosk_options_t o;
    char *argv[] = {"run", NULL};

    ck_assert_int_eq(parse_args(&o, argv), WM_OK);
    ck_assert_int_eq(o.width, 1080);
    ck_assert_int_eq(o.height, 1920);
    ck_assert_int_eq(o.rotate, 0);
    ck_assert_int_eq(o.idle_timeout, 90);
    ck_assert(!o.fullscreen && !o.headless && !o.exit_after_first_frame);
    ck_assert_str_eq(o.default_language, "en");
    ck_assert_str_eq(o.data_dir, "/var/lib/waymark");
    ck_assert_str_eq(o.content_dir, "");
}
END_TEST

START_TEST(options_good)
{
    kiosk_options_t o;
    char *argv[] = {"run",
                    "--window",
                    "800x600",
                    "--rotate",
                    "270",
                    "--headless",
                    "--content",
                    "/c",
                    "--data-dir",
                    "/d",
                    "--idle-timeout",
                    "30",
                    "--log-level",
                    "debug",
                    "--script",
                    "s.txt",
                    "--screenshot-dir",
                    "/shots",
                    "--fullscreen",
                    "--dry-run",
                    NULL};

    ck_assert_int_eq(parse_args(&o, argv), WM_OK);
    ck_assert_int_eq(o.width, 800);
    ck_assert_int_eq(o.height, 600);
    ck_assert_int_eq(o.rotate, 270);
    ck_assert(o.headless);
    ck_assert(!o.fullscreen); /* headless wins */
    ck_assert_str_eq(o.content_dir, "/c");
    ck_assert_str_eq(o.data_dir, "/d");
    ck_assert_int_eq(o.idle_timeout, 30);
    ck_assert_int_eq(o.log_level, WM_LOG_DEBUG);
    ck_assert_str_eq(o.script, "s.txt");
    ck_assert_str_eq(o.screenshot_dir, "/shots");
    ck_assert(o.dry_run);
    ck_assert(!o.exit_after_first_frame);
}
END_TEST

static const struct {
    const char *args[4];
    const char *needle;
} bad_options[] = {
    {{"--window", "0x100"}, "out of range"},
    {{"--window", "9000x100"}, "out of range"},
    {{"--window", "4097x200"}, "out of range (each side 120 to 4096 px)"},
    {{"--window", "4096x4096"}, "too large: 16777216 pixels, at most 8847360"},
    {{"--window", "8192x8192"}, "out of range"},
    {{"--window", "big"}, "bad size 'big'"},
    {{"--window", "10x"}, "bad size '10x'"},
    {{"--window", "-5x100"}, "bad size '-5x100'"},
    {{"--window"}, "--window needs a value"},
    {{"--rotate", "45"}, "bad rotation '45'"},
    {{"--rotate", "-90"}, "bad rotation '-90'"},
    {{"--idle-timeout", "2"}, "out of range"},
    {{"--idle-timeout", "ninety"}, "bad idle timeout 'ninety'"},
    {{"--log-level", "loud"}, "unknown log level 'loud'"},
    {{"--frobnicate"}, "unknown option '--frobnicate'"},
    {{"stray"}, "unexpected argument 'stray'"},
    {{"--content", ""}, "empty path"},
    {{"--screenshot-dir", "/x"}, "--screenshot-dir needs --script"},
    {{"--script", "s", "--exit-after-first-frame"}, "exclude each other"},
    {{"--exit-after-first-frame", "--script", "s"}, "exclude each other"},
    /* bytes that are not UTF-8 are quoted escaped, never raw */
    {{"--\xFF\xFE"}, "unknown option '--\\xFF\\xFE'"},
    {{"st\xC3ray"}, "unexpected argument 'st\\xC3ray'"},
    {{"--rotate", "9\xE2\x82"}, "bad rotation '9\\xE2\\x82'"},
    {{"--log-level", "\x1B[31m"}, "unknown log level '\\x1B[31m'"},
};

START_TEST(options_bad)
{
    kiosk_options_t o, before;
    char *argv[6] = {"run"};
    int n = 1;

    for (int k = 0; k < 4 && bad_options[_i].args[k]; k++)
        argv[n++] = (char *)bad_options[_i].args[k];
    argv[n] = NULL;
    memset(&o, 0x5A, sizeof(o));
    before = o;
    ck_assert_int_eq(parse_args(&o, argv), WM_EINVAL);
    expect_error(bad_options[_i].needle);
    expect_clean_message();
    ck_assert_msg(memcmp(&o, &before, sizeof(o)) == 0, "options changed on failure");
}
END_TEST

/* The default configuration file is $WAYMARK_CONFIG when set (main() sets
 * it to a file that does not exist, so no test reads the machine's /etc),
 * else the install path; absent, it is simply not read. */
START_TEST(options_default_config_from_env)
{
    const char *dir = tu_tmpdir();
    char path[512], *saved = strdup(getenv("WAYMARK_CONFIG"));
    kiosk_options_t o;
    char *argv[] = {"run", NULL};

    snprintf(path, sizeof(path), "%s/env.conf", dir);
    ck_assert_int_eq(tu_write_file(path, "rotate = 180\n"), 0);
    setenv("WAYMARK_CONFIG", path, 1);
    ck_assert_int_eq(parse_args(&o, argv), WM_OK);
    ck_assert_int_eq(o.rotate, 180);
    ck_assert_str_eq(o.config, path);
    setenv("WAYMARK_CONFIG", saved, 1);
    ck_assert_int_eq(parse_args(&o, argv), WM_OK);
    ck_assert_int_eq(o.rotate, 0);
    ck_assert_str_eq(o.config, "");
    free(saved);
}
END_TEST

/* A folder where a file is expected says so (not "read failed"). */
START_TEST(options_config_or_script_is_a_folder)
{
    const char *dir = tu_tmpdir();
    kiosk_options_t o;
    kiosk_script_t *s = NULL;
    char *argv[] = {"run", "--config", (char *)dir, NULL};
    char needle[600];

    snprintf(needle, sizeof(needle), "%s: is a folder", dir);
    ck_assert_int_ne(parse_args(&o, argv), WM_OK);
    expect_error(needle);
    ck_assert_int_ne(kiosk_script_load(dir, &s), WM_OK);
    expect_error(needle);
    ck_assert_ptr_null(s);
    /* a device is no configuration file either (and a FIFO never blocks) */
    argv[2] = "/dev/null";
    ck_assert_int_ne(parse_args(&o, argv), WM_OK);
    expect_error("/dev/null: not a regular file");
}
END_TEST

/* A missing screenshot folder is created before start-up; a path that is
 * not a folder is refused then, not at the first `shot`. */
START_TEST(options_prepare_screenshot_dir)
{
    const char *dir = tu_tmpdir();
    kiosk_options_t o;
    struct stat sb;

    kiosk_options_default(&o);
    ck_assert_int_eq(kiosk_options_prepare(&o), WM_OK); /* none given */
    snprintf(o.screenshot_dir, sizeof(o.screenshot_dir), "%s/shots", dir);
    ck_assert_int_eq(kiosk_options_prepare(&o), WM_OK);
    ck_assert(stat(o.screenshot_dir, &sb) == 0 && S_ISDIR(sb.st_mode));
    ck_assert_int_eq(kiosk_options_prepare(&o), WM_OK); /* exists: fine */
    snprintf(o.screenshot_dir, sizeof(o.screenshot_dir), "%s/file", dir);
    ck_assert_int_eq(tu_write_file(o.screenshot_dir, "x"), 0);
    ck_assert_int_eq(kiosk_options_prepare(&o), WM_EINVAL);
    expect_error("file: exists and is not a folder");
    snprintf(o.screenshot_dir, sizeof(o.screenshot_dir), "%s/no/such", dir);
    ck_assert_int_eq(kiosk_options_prepare(&o), WM_EINVAL);
    expect_error("cannot create the folder");
}
END_TEST

START_TEST(options_override_config)
{
    const char *dir = tu_tmpdir();
    char path[512];
    kiosk_options_t o;

    snprintf(path, sizeof(path), "%s/w.conf", dir);
    ck_assert_int_eq(tu_write_file(path, "rotate = 180\nidle_timeout = 60\nwindow = 600x800\n"), 0);
    {
        char *argv[] = {"run", "--config", path, "--rotate", "90", NULL};

        ck_assert_int_eq(parse_args(&o, argv), WM_OK);
    }
    ck_assert_int_eq(o.rotate, 90);       /* command line wins */
    ck_assert_int_eq(o.idle_timeout, 60); /* from the file */
    ck_assert_int_eq(o.width, 600);
    ck_assert_str_eq(o.config, path);
}
END_TEST

START_TEST(options_config_missing_or_bad)
{
    kiosk_options_t o;
    const char *dir = tu_tmpdir();
    char path[512];
    char *argv[] = {"run", "--config", path, NULL};

    snprintf(path, sizeof(path), "%s/none.conf", dir);
    ck_assert_int_eq(parse_args(&o, argv), WM_ENOENT);
    expect_error(path);
    snprintf(path, sizeof(path), "%s/bad.conf", dir);
    ck_assert_int_eq(tu_write_file(path, "# ok\nrotate = 90\nrotat = 90\n"), 0);
    ck_assert_int_eq(parse_args(&o, argv), WM_EFORMAT);
    expect_error(":3: unknown key 'rotat'");
}
END_TEST

/* ---- configuration ------------------------------------------------------ */

START_TEST(config_good_with_comments)
{
    kiosk_options_t o;

    kiosk_options_default(&o);
    ck_assert_int_eq(kiosk_config_parse("# booth 7, east gate\n"
                                        "\n"
                                        "   # indented comment\n"
                                        "window=720x1280\r\n"
                                        "  rotate   =  90  \n"
                                        "fullscreen = yes\n"
                                        "idle_timeout = 45\n"
                                        "log_level = warn\n"
                                        "default_language = ckb-Latn\n"
                                        "content_dir = /srv/content with space\n"
                                        "data_dir = /data",
                                        "booth.conf", &o),
                     WM_OK);
    ck_assert_int_eq(o.width, 720);
    ck_assert_int_eq(o.height, 1280);
    ck_assert_int_eq(o.rotate, 90);
    ck_assert(o.fullscreen);
    ck_assert_int_eq(o.idle_timeout, 45);
    ck_assert_int_eq(o.log_level, WM_LOG_WARN);
    ck_assert_str_eq(o.default_language, "ckb-Latn");
    ck_assert_str_eq(o.content_dir, "/srv/content with space");
    ck_assert_str_eq(o.data_dir, "/data");
}
END_TEST

static const struct {
    const char *text;
    const char *needle;
} bad_configs[] = {
    {"rotate = 90\n\ncolour = blue\n", "booth.conf:3: unknown key 'colour'"},
    {"# c\nrotate = 45\n", "booth.conf:2: rotate: bad rotation '45'"},
    {"window = 1080\n", "booth.conf:1: window: bad size '1080'"},
    {"idle_timeout = 0\n", "booth.conf:1: idle_timeout: idle timeout 0 s out of range"},
    {"fullscreen = maybe\n", "booth.conf:1: fullscreen: bad boolean 'maybe'"},
    {"log_level = chatty\n", "booth.conf:1: log_level: unknown log level 'chatty'"},
    {"default_language = ../../etc\n", "booth.conf:1: default_language: bad language tag"},
    {"rotate = 90\nrotate = 180\n", "booth.conf:2: duplicate key 'rotate'"},
    {"\n\n\nfullscreen\n", "booth.conf:4: expected 'key = value'"},
    {"rotate =\n", "booth.conf:1: rotate: missing value"},
    {" = 3\n", "booth.conf:1: missing key"},
    {"window = 4096x4096\n", "booth.conf:1: window: size '4096x4096' too large"},
    /* bytes that are not UTF-8 are quoted escaped, never raw */
    {"\xFF\xFEwindow = 100x100\n", "booth.conf:1: unknown key '\\xFF\\xFEwindow'"},
    {"rotate = 9\x80\n", "booth.conf:1: rotate: bad rotation '9\\x80'"},
    {"default_language = \xC0\xAF\n", "default_language: bad language tag '\\xC0\\xAF'"},
    /* a byte order mark only counts at the very start */
    {"rotate = 90\n\xEF\xBB\xBFwindow = 100x100\n",
     "booth.conf:2: unknown key '\\xEF\\xBB\\xBFwindow'"},
};

START_TEST(config_bad)
{
    kiosk_options_t o, before;

    kiosk_options_default(&o);
    o.rotate = 270;
    before = o;
    ck_assert_int_eq(kiosk_config_parse(bad_configs[_i].text, "booth.conf", &o), WM_EFORMAT);
    expect_error(bad_configs[_i].needle);
    expect_clean_message();
    ck_assert_msg(memcmp(&o, &before, sizeof(o)) == 0, "options changed on failure");
}
END_TEST

START_TEST(config_missing_file)
{
    kiosk_options_t o;

    kiosk_options_default(&o);
    ck_assert_int_eq(kiosk_config_load("/nonexistent/waymark.conf", &o), WM_ENOENT);
    expect_error("/nonexistent/waymark.conf");
}
END_TEST

/* A file saved by an editor that starts UTF-8 with a byte order mark. */
START_TEST(config_accepts_bom)
{
    kiosk_options_t o;

    kiosk_options_default(&o);
    ck_assert_msg(
        kiosk_config_parse("\xEF\xBB\xBFwindow = 720x1280\nrotate = 90\n", "bom.conf", &o) == WM_OK,
        "%s", wm_last_error());
    ck_assert_int_eq(o.width, 720);
    ck_assert_int_eq(o.rotate, 90);
}
END_TEST

/* The value of `key = VALUE` on a line of text that is not a comment;
 * NULL when the key is not set there. Counts the lines that set it. */
static const char *conf_value(const char *text, const char *key, bool commented, int *count,
                              char *buf, size_t size)
{
    const char *p = text, *found = NULL;
    size_t klen = strlen(key);

    *count = 0;
    while (*p) {
        const char *eol = strchr(p, '\n'), *q = p;
        size_t len = eol ? (size_t)(eol - p) : strlen(p);

        if (commented) {
            if (strncmp(q, "# ", 2) != 0)
                goto next;
            q += 2;
        }
        if (strncmp(q, key, klen) == 0 && strncmp(q + klen, " =", 2) == 0) {
            const char *v = q + klen + 2;

            while (*v == ' ')
                v++;
            snprintf(buf, size, "%.*s", (int)(len - (size_t)(v - p)), v);
            found = buf;
            ++*count;
        }
    next:
        p = eol ? eol + 1 : p + len;
    }
    return found;
}

/* The shipped, documented file sets every key of the configuration table
 * to its built-in default (a key whose default is unset appears as a
 * commented example), and holds nothing else: if code and documentation
 * drift apart, or a key is deleted from the file, this fails. */
START_TEST(config_shipped_file_matches_defaults)
{
    const char *path = WAYMARK_SOURCE_DIR "/kiosk/waymark.conf";
    size_t nkeys, set_lines = 0;
    const kiosk_config_key_t *keys = kiosk_config_keys(&nkeys);
    char *text = tu_read_file(path, NULL);
    kiosk_options_t o, d;

    ck_assert_ptr_nonnull(text);
    ck_assert_uint_ge(nkeys, 8);
    kiosk_options_default(&d);
    for (size_t i = 0; i < nkeys; i++) {
        char def[KIOSK_PATH_MAX + 32], val[KIOSK_PATH_MAX + 32];
        const char *v;
        int count;

        ck_assert_msg(keys[i].get != NULL, "key '%s' has no get", keys[i].key);
        keys[i].get(&d, def, sizeof(def));
        v = conf_value(text, keys[i].key, false, &count, val, sizeof(val));
        if (def[0]) {
            ck_assert_msg(v && count == 1, "%s: '%s' is not set once (%d times)", path, keys[i].key,
                          count);
            ck_assert_msg(strcmp(v, def) == 0, "%s: %s = %s, but its default is %s", path,
                          keys[i].key, v, def);
            set_lines++;
        } else {
            ck_assert_msg(!v, "%s: '%s' is set, but it has no default", path, keys[i].key);
            ck_assert_msg(conf_value(text, keys[i].key, true, &count, val, sizeof(val)),
                          "%s: '%s' (no default) lacks its commented example '# %s = ...'", path,
                          keys[i].key, keys[i].key);
        }
    }
    /* nothing else: every line that is set names a key of the table (the
     * parser refuses unknown keys), and loading the file changes nothing */
    kiosk_options_default(&o);
    o.rotate = 90;
    o.idle_timeout = 7;
    ck_assert_msg(kiosk_config_load(path, &o) == WM_OK, "%s", wm_last_error());
    ck_assert_msg(memcmp(&o, &d, sizeof(o)) == 0, "kiosk/waymark.conf differs from defaults");
    {
        size_t lines = 0;

        for (const char *p = text; *p;) {
            const char *eol = strchr(p, '\n');

            if (*p != '#' && *p != '\n')
                lines++;
            p = eol ? eol + 1 : p + strlen(p);
        }
        ck_assert_uint_eq(lines, set_lines);
    }
    free(text);
}
END_TEST

/* ---- the command line --------------------------------------------------- */

static int run_main(char **argv)
{
    return kiosk_main(argv_count(argv), argv);
}

START_TEST(cli_exit_codes)
{
    char *none[] = {"waymark", NULL};
    char *version[] = {"waymark", "--version", NULL};
    char *help[] = {"waymark", "help", NULL};
    char *help_run[] = {"waymark", "help", "run", NULL};
    char *help_bad[] = {"waymark", "help", "fly", NULL};
    char *unknown[] = {"waymark", "fly", NULL};
    char *bad_opt[] = {"waymark", "--fly", NULL};
    char *run_bad[] = {"waymark", "run", "--rotate", "45", NULL};
    char *run_help[] = {"waymark", "run", "--help", NULL};

    ck_assert_int_eq(run_main(none), 2);
    ck_assert_int_eq(run_main(version), 0);
    ck_assert_int_eq(run_main(help), 0);
    ck_assert_int_eq(run_main(help_run), 0);
    ck_assert_int_eq(run_main(help_bad), 2);
    ck_assert_int_eq(run_main(unknown), 2);
    ck_assert_int_eq(run_main(bad_opt), 2);
    ck_assert_int_eq(run_main(run_bad), 2);
    ck_assert_int_eq(run_main(run_help), 0);
}
END_TEST

START_TEST(cli_binary_messages)
{
    int status = -1;
    char *out;

    out = tu_run(WAYMARK_BINARY " --version", &status);
    ck_assert_int_eq(status, 0);
    ck_assert_str_eq(out, "waymark 0.1.0\n");
    free(out);

    out = tu_run(WAYMARK_BINARY " fly 2>&1", &status);
    ck_assert_int_eq(status, 2);
    ck_assert_ptr_nonnull(strstr(out, "waymark: unknown command 'fly'"));
    ck_assert_ptr_nonnull(strstr(out, "usage: waymark"));
    free(out);

    /* bytes that are not UTF-8 are quoted escaped */
    out = tu_run(WAYMARK_BINARY " $(printf 'fl\\377y') 2>&1", &status);
    ck_assert_int_eq(status, 2);
    ck_assert_msg(strstr(out, "waymark: unknown command 'fl\\xFFy'") != NULL, "%s", out);
    free(out);
    out = tu_run(WAYMARK_BINARY " $(printf -- '--\\377') 2>&1", &status);
    ck_assert_int_eq(status, 2);
    ck_assert_msg(strstr(out, "waymark: unknown option '--\\xFF'") != NULL, "%s", out);
    free(out);

    out = tu_run(WAYMARK_BINARY " help", &status);
    ck_assert_int_eq(status, 0);
    ck_assert_ptr_nonnull(strstr(out, "run "));
    ck_assert_ptr_nonnull(strstr(out, "text "));
    free(out);

    out = tu_run(WAYMARK_BINARY " help run", &status);
    ck_assert_int_eq(status, 0);
    ck_assert_ptr_nonnull(strstr(out, "--exit-after-first-frame"));
    free(out);

    /* every command's help goes to stdout when asked for */
    out = tu_run(WAYMARK_BINARY " help text 2>/dev/null", &status);
    ck_assert_int_eq(status, 0);
    ck_assert_ptr_nonnull(strstr(out, "usage: waymark text render"));
    free(out);
    out = tu_run(WAYMARK_BINARY " help bench 2>/dev/null", &status);
    ck_assert_int_eq(status, 0);
    ck_assert_ptr_nonnull(strstr(out, "usage: waymark bench text"));
    free(out);

    out = tu_run(WAYMARK_BINARY " run --window 10x10 2>&1", &status);
    ck_assert_int_eq(status, 2);
    ck_assert_ptr_nonnull(strstr(out, "waymark run: --window: size '10x10' out of range"));
    free(out);
}
END_TEST

START_TEST(cli_run_headless_first_frame)
{
    int status = -1;
    char *out =
        tu_run(WAYMARK_BINARY " run --headless --exit-after-first-frame --content " SAMPLE " 2>&1",
               &status);

    ck_assert_msg(status == 0, "exit %d: %s", status, out ? out : "");
    ck_assert_ptr_nonnull(strstr(out, "started"));
    free(out);
}
END_TEST

/* The display choice, without the hardware: the environment stands in
 * for a desktop, and a temporary folder for /dev/dri. */
static const struct {
    const char *env; /* assignments after `env -u DISPLAY -u WAYLAND_DISPLAY` */
    bool card;       /* the DRM folder holds card0 */
    const char *args;
    const char *expect;
} display_cases[] = {
    {"DISPLAY=:7", true, "",
     "display: window\ndriver: x11\nfullscreen: no\nreason: X display :7 (DISPLAY)\n"},
    {"DISPLAY=:7", false, "--fullscreen",
     "display: window\ndriver: x11\nfullscreen: yes\nreason: X display :7 (DISPLAY)\n"},
    {"WAYLAND_DISPLAY=wayland-1", true, "",
     "display: window\ndriver: wayland\nfullscreen: no\n"
     "reason: Wayland display wayland-1 (WAYLAND_DISPLAY)\n"},
    {"DISPLAY=:0 WAYLAND_DISPLAY=wayland-0", false, "",
     "display: window\ndriver: x11,wayland\nfullscreen: no\n"},
    {"DISPLAY= WAYLAND_DISPLAY=", true, "", /* empty is unset */
     "display: kmsdrm\ndriver: kmsdrm\nfullscreen: yes\n"
     "reason: no X or Wayland display; DRM device DRI/card0 (console)\n"},
    {"", true, "--rotate 90", "display: kmsdrm\ndriver: kmsdrm\nfullscreen: yes\n"},
    {"", false, "",
     "display: none\ndriver: -\nfullscreen: no\nreason: no X or Wayland display (DISPLAY and "
     "WAYLAND_DISPLAY unset) and no DRM device in DRI\n"},
    {"DISPLAY=:7", true, "--headless --fullscreen",
     "display: headless\ndriver: dummy,offscreen\nfullscreen: no\nreason: --headless given\n"},
    {"", false, "--headless", "display: headless\n"},
};

/* text with every "DRI" replaced by dir */
static void fill_dri(char *out, size_t size, const char *text, const char *dir)
{
    size_t used = 0;

    for (const char *p = text; *p && used + 1 < size;) {
        if (strncmp(p, "DRI", 3) == 0) {
            used += (size_t)snprintf(out + used, size - used, "%s", dir);
            p += 3;
        } else {
            out[used++] = *p++;
        }
    }
    out[used < size ? used : size - 1] = '\0';
}

START_TEST(cli_run_dry_run_display_choice)
{
    const char *dir = tu_tmpdir();
    char dri[512], cmd[2048], expect[1024];
    int status = -1;
    char *out;

    snprintf(dri, sizeof(dri), "%s/dri", dir);
    ck_assert_int_eq(mkdir(dri, 0755), 0);
    if (display_cases[_i].card) {
        char card[600];

        snprintf(card, sizeof(card), "%s/card0", dri);
        ck_assert_int_eq(tu_write_file(card, ""), 0);
        snprintf(card, sizeof(card), "%s/renderD128", dri); /* not a card */
        ck_assert_int_eq(tu_write_file(card, ""), 0);
    } else {
        char other[600];

        snprintf(other, sizeof(other), "%s/renderD128", dri);
        ck_assert_int_eq(tu_write_file(other, ""), 0);
    }
    snprintf(cmd, sizeof(cmd),
             "env -u DISPLAY -u WAYLAND_DISPLAY WAYMARK_DRI_DIR=%s %s " WAYMARK_BINARY
             " run --dry-run %s",
             dri, display_cases[_i].env, display_cases[_i].args);
    out = tu_run(cmd, &status);
    fill_dri(expect, sizeof(expect), display_cases[_i].expect, dri);
    ck_assert_msg(status == 0, "%s: exit %d", cmd, status);
    ck_assert_msg(strncmp(out, expect, strlen(expect)) == 0, "%s:\n%s\nexpected:\n%s", cmd, out,
                  expect);
    free(out);
}
END_TEST

/* No display and no --headless: exit 1 and say why, before starting. */
START_TEST(cli_run_without_display_exits_1)
{
    char cmd[1024];
    int status = -1;
    char *out;

    snprintf(cmd, sizeof(cmd),
             "env -u DISPLAY -u WAYLAND_DISPLAY WAYMARK_DRI_DIR=%s " WAYMARK_BINARY
             " run --content " SAMPLE " 2>&1",
             tu_tmpdir());
    out = tu_run(cmd, &status);
    ck_assert_msg(status == 1, "exit %d: %s", status, out);
    ck_assert_ptr_nonnull(strstr(out, "waymark run: no display: no X or Wayland display"));
    ck_assert_ptr_nonnull(strstr(out, "give --headless"));
    ck_assert_ptr_null(strstr(out, "started"));
    free(out);
}
END_TEST

/* A --screenshot-dir that is a file: exit 2 before anything starts; a
 * missing one is created and holds the shots. */
START_TEST(cli_run_screenshot_dir_checked_first)
{
    const char *dir = tu_tmpdir();
    char script[512], shots[512], cmd[2048], png[600];
    int status = -1;
    char *out;
    struct stat sb;

    snprintf(script, sizeof(script), "%s/s.script", dir);
    ck_assert_int_eq(tu_write_file(script, "shot one # the welcome screen\nquit\n"), 0);
    snprintf(shots, sizeof(shots), "%s/file", dir);
    ck_assert_int_eq(tu_write_file(shots, "x"), 0);
    snprintf(cmd, sizeof(cmd),
             "%s run --headless --window 240x320 --content " SAMPLE
             " --script %s --screenshot-dir %s 2>&1",
             WAYMARK_BINARY, script, shots);
    out = tu_run(cmd, &status);
    ck_assert_msg(status == 2, "exit %d: %s", status, out);
    ck_assert_ptr_nonnull(strstr(out, "file: exists and is not a folder"));
    ck_assert_ptr_null(strstr(out, "started"));
    free(out);

    snprintf(shots, sizeof(shots), "%s/new", dir);
    snprintf(cmd, sizeof(cmd),
             "%s run --headless --window 240x320 --content " SAMPLE
             " --script %s --screenshot-dir %s 2>&1",
             WAYMARK_BINARY, script, shots);
    out = tu_run(cmd, &status);
    ck_assert_msg(status == 0, "exit %d: %s", status, out);
    snprintf(png, sizeof(png), "%s/one.png", shots);
    ck_assert_int_eq(stat(png, &sb), 0);
    ck_assert_int_gt(sb.st_size, 100);
    free(out);
}
END_TEST

/* A screenshot that cannot be written (the file-size limit stands in for
 * a full disk: the same failing write): a message naming the script line
 * and the reason, exit 1, and no partial file left. */
START_TEST(cli_run_screenshot_write_failure)
{
    const char *dir = tu_tmpdir();
    char script[512], cmd[2048], png[600];
    int status = -1;
    char *out;
    struct stat sb;

    snprintf(script, sizeof(script), "%s/s.script", dir);
    ck_assert_int_eq(tu_write_file(script, "wait 5\nshot big\nquit\n"), 0);
    snprintf(cmd, sizeof(cmd),
             "trap '' XFSZ; ulimit -f 4; %s run --headless --content " SAMPLE
             " --script %s --screenshot-dir %s 2>&1",
             WAYMARK_BINARY, script, dir);
    out = tu_run(cmd, &status);
    ck_assert_msg(status == 1, "exit %d: %s", status, out);
    ck_assert_msg(strstr(out, "s.script:2: cannot write the screenshot: png: ") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "File too large") != NULL, "%s", out);
    snprintf(png, sizeof(png), "%s/big.png", dir);
    ck_assert_int_ne(stat(png, &sb), 0);
    free(out);
}
END_TEST

/* The factory content is found through its install path, or
 * $WAYMARK_CONTENT; nothing in the binary points into the source tree. */
START_TEST(cli_run_factory_content_is_installed_path)
{
    char cmd[1024];
    int status = -1;
    char *out;

    out = tu_run("cd / && env -u WAYMARK_CONTENT " WAYMARK_BINARY
                 " run --headless --exit-after-first-frame --data-dir /nonexistent 2>&1",
                 &status);
    ck_assert_msg(status == 0, "exit %d: %s", status, out);
    ck_assert_msg(strstr(out, KIOSK_FACTORY_CONTENT) != NULL, "%s", out);
    ck_assert_msg(strstr(out, WAYMARK_SOURCE_DIR) == NULL, "%s", out);
    free(out);

    snprintf(cmd, sizeof(cmd),
             "cd / && WAYMARK_CONTENT=" SAMPLE " " WAYMARK_BINARY
             " run --headless --exit-after-first-frame --data-dir /nonexistent 2>&1");
    out = tu_run(cmd, &status);
    ck_assert_msg(status == 0, "exit %d: %s", status, out);
    ck_assert_msg(strstr(out, "content: 15 languages from " SAMPLE "\n") != NULL, "%s", out);
    free(out);

    /* grep exits 1 when the bytes are nowhere in the file */
    out = tu_run("grep -c -a -F '" WAYMARK_SOURCE_DIR "/content/sample' " WAYMARK_BINARY, &status);
    ck_assert_msg(status == 1, "the binary names %s/content/sample (grep: %d)", WAYMARK_SOURCE_DIR,
                  status);
    free(out);
}
END_TEST

/* Output that cannot be written (a full disk) is exit 1 with a message. */
START_TEST(cli_output_to_full_disk)
{
    static const char *const cmds[] = {
        WAYMARK_BINARY " --version",
        WAYMARK_BINARY " help run",
        WAYMARK_BINARY " run --dry-run --headless",
    };

    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        char cmd[1024];
        int status = -1;
        char *out;

        /* stdout to the full device, stderr to the captured pipe */
        snprintf(cmd, sizeof(cmd), "%s 3>&1 1>/dev/full 2>&3", cmds[i]);
        out = tu_run(cmd, &status);
        ck_assert_msg(status == 1, "%s: exit %d", cmd, status);
        ck_assert_msg(strcmp(out, "waymark: write failed: No space left on device\n") == 0,
                      "%s: %s", cmd, out);
        free(out);
    }
}
END_TEST

/* Characters no font covers: one warning per language at start-up, with
 * the language tag and the code points. */
START_TEST(cli_run_warns_of_uncovered_characters)
{
    const char *dir = tu_tmpdir();
    char cmd[2048];
    int status = -1;
    char *out;

    snprintf(cmd, sizeof(cmd),
             "cp -r " SAMPLE " %s/c && sed -i 's/\"Back\"/\"\\\\uE000Back\\\\uE001\\\\uE000\"/' "
             "%s/c/strings/en.json && sed -i 's/\"title\": \"/&\\\\uE002/' %s/c/strings/so.json && "
             "%s run --headless --exit-after-first-frame --content %s/c 2>&1",
             dir, dir, dir, WAYMARK_BINARY, dir);
    out = tu_run(cmd, &status);
    ck_assert_msg(status == 0, "exit %d: %s", status, out);
    ck_assert_msg(strstr(out, "warning: content: language 'en': no font covers U+E000 U+E001 "
                              "(drawn as boxes)\n") != NULL,
                  "%s", out);
    ck_assert_msg(strstr(out, "language 'so': no font covers U+E002 (drawn") != NULL, "%s", out);
    ck_assert_ptr_null(strstr(out, "language 'ar'"));
    free(out);
}
END_TEST

START_TEST(cli_run_refuses_bad_script)
{
    const char *dir = tu_tmpdir();
    char path[512], cmd[1024];
    int status = -1;
    char *out;

    snprintf(path, sizeof(path), "%s/bad.script", dir);
    ck_assert_int_eq(tu_write_file(path, "wait 10\ntap 5\n"), 0);
    snprintf(cmd, sizeof(cmd), "%s run --headless --script %s 2>&1", WAYMARK_BINARY, path);
    out = tu_run(cmd, &status);
    ck_assert_int_eq(status, 2);
    ck_assert_ptr_nonnull(strstr(out, "bad.script:2:"));
    ck_assert_ptr_null(strstr(out, "started")); /* refused before starting */
    free(out);

    /* a script that takes shots needs a folder for them */
    ck_assert_int_eq(tu_write_file(path, "shot a\n"), 0);
    out = tu_run(cmd, &status);
    ck_assert_int_eq(status, 2);
    ck_assert_ptr_nonnull(strstr(out, "--screenshot-dir"));
    free(out);

    /* a script would never run after the first frame */
    snprintf(cmd, sizeof(cmd), "%s run --headless --exit-after-first-frame --script %s 2>&1",
             WAYMARK_BINARY, path);
    out = tu_run(cmd, &status);
    ck_assert_int_eq(status, 2);
    ck_assert_ptr_nonnull(strstr(out, "exclude each other"));
    ck_assert_ptr_null(strstr(out, "started"));
    free(out);

    /* a point outside this screen is found before start-up */
    ck_assert_int_eq(tu_write_file(path, "wait 5\n# corner\ntap 539 959\ndrag 1 1 540 3 100\n"), 0);
    snprintf(cmd, sizeof(cmd), "%s run --headless --window 540x960 --script %s 2>&1",
             WAYMARK_BINARY, path);
    out = tu_run(cmd, &status);
    ck_assert_int_eq(status, 2);
    ck_assert_msg(strstr(out, "bad.script:4: point 540 3 is outside the screen (540x960)") != NULL,
                  "%s", out);
    ck_assert_ptr_null(strstr(out, "started"));
    free(out);

    /* a folder as the script says so */
    snprintf(cmd, sizeof(cmd), "%s run --headless --script %s 2>&1", WAYMARK_BINARY, dir);
    out = tu_run(cmd, &status);
    ck_assert_int_eq(status, 2);
    ck_assert_ptr_nonnull(strstr(out, ": is a folder"));
    free(out);
}
END_TEST

/* ---- scripts ------------------------------------------------------------ */

START_TEST(script_parse_good)
{
    kiosk_script_t *s = NULL;

    ck_assert_int_eq(kiosk_script_parse("# tour\n"
                                        "\n"
                                        "tap 10 20\n"
                                        "tap #lang-ar\n"
                                        "  drag 1 2 3 4 500  \n"
                                        "key Escape\n"
                                        "key AC_Back\n"
                                        "wait 90000\n"
                                        "shot 01-welcome\n"
                                        "shot two.png\n"
                                        "quit",
                                        "tour", &s),
                     WM_OK);
    ck_assert_uint_eq(s->count, 9);
    ck_assert_int_eq(s->cmds[0].type, KIOSK_CMD_TAP);
    ck_assert_int_eq(s->cmds[0].line, 3);
    ck_assert_int_eq(s->cmds[0].v[0], 10);
    ck_assert_int_eq(s->cmds[0].v[1], 20);
    ck_assert_int_eq(s->cmds[1].type, KIOSK_CMD_TAP_ID);
    ck_assert_str_eq(s->cmds[1].text, "lang-ar");
    ck_assert_int_eq(s->cmds[2].type, KIOSK_CMD_DRAG);
    ck_assert_int_eq(s->cmds[2].v[4], 500);
    ck_assert_int_eq(s->cmds[3].key, SDLK_ESCAPE);
    ck_assert_int_eq(s->cmds[4].key, SDLK_AC_BACK);
    ck_assert_int_eq(s->cmds[5].type, KIOSK_CMD_WAIT);
    ck_assert_int_eq(s->cmds[5].v[0], 90000);
    ck_assert_str_eq(s->cmds[6].text, "01-welcome");
    ck_assert_str_eq(s->cmds[7].text, "two");
    ck_assert_int_eq(s->cmds[8].type, KIOSK_CMD_QUIT);
    ck_assert_int_eq(s->cmds[8].line, 11);
    ck_assert(s->has_shot);
    kiosk_script_destroy(s);
}
END_TEST

static const struct {
    const char *text;
    const char *needle;
} bad_scripts[] = {
    {"tap 10\n", "s:1: expected 'tap X Y' or 'tap #widget-id'"},
    {"# c\n\ntap x 3\n", "s:3: X: expected a number >= 0, got 'x'"},
    {"wait -5\n", "s:1: MS: expected a number >= 0, got '-5'"},
    {"wait 100000000\n", "s:1: MS: 100000000 is larger than"},
    {"wait\n", "s:1: expected 'wait MS'"},
    {"drag 1 2 3 4\n", "s:1: expected 'drag X1 Y1 X2 Y2 MS'"},
    {"key NoSuchKey\n", "s:1: unknown key 'NoSuchKey'"},
    {"shot ../etc/x\n", "s:1: bad shot name '../etc/x'"},
    {"shot .hidden\n", "s:1: bad shot name"},
    {"shot a/b\n", "s:1: bad shot name 'a/b'"},
    {"shot x..y\n", "s:1: bad shot name 'x..y'"},
    {"shot ..\n", "s:1: bad shot name"},
    {"tap #\n", "s:1: expected 'tap X Y' or 'tap #widget-id'"}, /* '#' alone: a comment */
    {"tap #a\xFF\n", "s:1: bad widget id '#a\\xFF'"},
    {"fl\xC3\x28y\n", "s:1: unknown command 'fl\\xC3(y'"},
    {"wait 1\xE2\n", "s:1: MS: expected a number >= 0, got '1\\xE2'"},
    {"quit now # bye\n", "s:1: expected 'quit'"},
    {"quit now\n", "s:1: expected 'quit'"},
    {"wait 1\nfly 3\n", "s:2: unknown command 'fly'"},
};

START_TEST(script_parse_bad)
{
    kiosk_script_t *s = (kiosk_script_t *)0x1;

    ck_assert_int_eq(kiosk_script_parse(bad_scripts[_i].text, "s", &s), WM_EFORMAT);
    expect_error(bad_scripts[_i].needle);
    expect_clean_message();
    ck_assert_ptr_eq(s, (kiosk_script_t *)0x1);
}
END_TEST

/* Comments after a command, and a file that starts with a byte order
 * mark; `tap #ID` still takes its '#'. */
START_TEST(script_trailing_comments_and_bom)
{
    kiosk_script_t *s = NULL;

    ck_assert_msg(kiosk_script_parse("\xEF\xBB\xBFwait 5 # settle\n"
                                     "tap #lang-ar   # Arabic\n"
                                     "tap 1 2 #corner\n"
                                     "shot a\t# the first\n"
                                     "quit # bye",
                                     "c", &s) == WM_OK,
                  "%s", wm_last_error());
    ck_assert_uint_eq(s->count, 5);
    ck_assert_int_eq(s->cmds[0].type, KIOSK_CMD_WAIT);
    ck_assert_int_eq(s->cmds[0].v[0], 5);
    ck_assert_int_eq(s->cmds[1].type, KIOSK_CMD_TAP_ID);
    ck_assert_str_eq(s->cmds[1].text, "lang-ar");
    ck_assert_int_eq(s->cmds[2].type, KIOSK_CMD_TAP);
    ck_assert_str_eq(s->cmds[3].text, "a");
    ck_assert_int_eq(s->cmds[4].type, KIOSK_CMD_QUIT);
    ck_assert_int_eq(s->cmds[4].line, 5);
    kiosk_script_destroy(s);
}
END_TEST

START_TEST(script_load_missing)
{
    kiosk_script_t *s = NULL;

    ck_assert_int_eq(kiosk_script_load("/nonexistent/x.script", &s), WM_ENOENT);
    expect_error("/nonexistent/x.script");
}
END_TEST

/* ---- rotation and window geometry --------------------------------------- */

START_TEST(rotate_corners)
{
    const int w = 1080, h = 1920;
    /* logical corners TL, TR, BL, BR -> panel pixel, per rotation */
    static const int expect[4][4][2] = {
        {{0, 0}, {1079, 0}, {0, 1919}, {1079, 1919}}, /* 0: 1080x1920 */
        {{1919, 0}, {1919, 1079}, {0, 0}, {0, 1079}}, /* 90: 1920x1080 */
        {{1079, 1919}, {0, 1919}, {1079, 0}, {0, 0}}, /* 180 */
        {{0, 1079}, {0, 0}, {1919, 1079}, {1919, 0}}, /* 270 */
    };
    const int corners[4][2] = {{0, 0}, {w - 1, 0}, {0, h - 1}, {w - 1, h - 1}};

    for (int r = 0; r < 4; r++) {
        int pw, ph;

        kiosk_rotate_size(r * 90, w, h, &pw, &ph);
        ck_assert_int_eq(pw, r % 2 ? h : w);
        ck_assert_int_eq(ph, r % 2 ? w : h);
        for (int c = 0; c < 4; c++) {
            int px, py, x, y;

            kiosk_rotate_point(r * 90, w, h, corners[c][0], corners[c][1], &px, &py);
            ck_assert_msg(px == expect[r][c][0] && py == expect[r][c][1],
                          "rotate %d corner %d -> (%d,%d)", r * 90, c, px, py);
            kiosk_unrotate_point(r * 90, w, h, px, py, &x, &y);
            ck_assert_int_eq(x, corners[c][0]);
            ck_assert_int_eq(y, corners[c][1]);
        }
    }
}
END_TEST

START_TEST(rotate_round_trip_every_pixel)
{
    const int w = 7, h = 5;

    for (int r = 0; r < 360; r += 90) {
        int pw, ph;

        kiosk_rotate_size(r, w, h, &pw, &ph);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int px, py, bx, by;

                kiosk_rotate_point(r, w, h, x, y, &px, &py);
                ck_assert(px >= 0 && px < pw && py >= 0 && py < ph);
                kiosk_unrotate_point(r, w, h, px, py, &bx, &by);
                ck_assert(bx == x && by == y);
            }
        }
    }
}
END_TEST

START_TEST(rotate_image_90)
{
    /* 3x2 logical image, pixel value = index; rotated 90 clockwise it is
     * 2x3 and its top row is the logical left column, read bottom-up */
    uint8_t src[3 * 2 * 4], dst[3 * 2 * 4];

    for (int i = 0; i < 6; i++)
        memset(src + i * 4, i, 4);
    kiosk_rotate_image(90, src, 3, 2, 3 * 4, dst);
    ck_assert_int_eq(dst[0 * 4], 3); /* (0,0) <- logical (0,1) */
    ck_assert_int_eq(dst[1 * 4], 0); /* (1,0) <- logical (0,0) */
    ck_assert_int_eq(dst[2 * 4], 4); /* (0,1) <- logical (1,1) */
    ck_assert_int_eq(dst[5 * 4], 2); /* (1,2) <- logical (2,0) */
}
END_TEST

START_TEST(view_scaled_and_letterboxed)
{
    kiosk_view_t v;
    int x, y, wx, wy;

    /* half size window: window (270, 480) is logical (540, 960) */
    kiosk_view_init(&v, 1080, 1920, 0, 540, 960);
    ck_assert(kiosk_view_to_logical(&v, 270, 480, &x, &y));
    ck_assert(abs(x - 540) <= 1 && abs(y - 960) <= 1);
    kiosk_view_to_window(&v, 1079, 1919, &wx, &wy);
    ck_assert(wx == 539 && wy == 959);

    /* rotated 90 on a landscape window: the logical top-left corner is at
     * the window's top right */
    kiosk_view_init(&v, 1080, 1920, 90, 960, 540);
    ck_assert(kiosk_view_to_logical(&v, 959, 0, &x, &y));
    ck_assert(x <= 1 && y <= 1);
    kiosk_view_to_window(&v, 0, 0, &wx, &wy);
    ck_assert(wx == 959 && wy == 0);

    /* square window: bars left and right of the portrait panel */
    kiosk_view_init(&v, 1080, 1920, 0, 1000, 1000);
    ck_assert(!kiosk_view_to_logical(&v, 10, 500, &x, &y));
    ck_assert(kiosk_view_to_logical(&v, 500, 500, &x, &y));
    ck_assert(abs(x - 540) <= 2 && abs(y - 960) <= 2);
}
END_TEST

START_TEST(window_fits_desktop)
{
    int w, h;

    kiosk_window_fit(1080, 1920, 1824, 1026, &w, &h);
    ck_assert_int_eq(h, 1026);
    ck_assert_int_eq(w, 577);
    kiosk_window_fit(1080, 1920, 4000, 4000, &w, &h); /* never scaled up */
    ck_assert(w == 1080 && h == 1920);
    kiosk_window_fit(1080, 1920, 0, 0, &w, &h); /* unknown desktop */
    ck_assert(w == 1080 && h == 1920);
}
END_TEST

/* ---- screen stack ------------------------------------------------------- */

typedef struct {
    int enters, leaves, fail_arg;
} fake_ctx_t;

static wm_status_t fake_enter(kiosk_screen_t *s, void *ctx)
{
    fake_ctx_t *f = ctx;

    if (s->arg == f->fail_arg)
        return wm_error(WM_ENOMEM, "fake enter failed");
    f->enters++;
    return kiosk_screen_add_widget(s, "ok", (SDL_Rect){10, 10, 100, 50}, 1, s->arg);
}

static void fake_leave(kiosk_screen_t *s, void *ctx)
{
    (void)s;
    ((fake_ctx_t *)ctx)->leaves++;
}

static const kiosk_screen_class_t fake_a = {"a", fake_enter, fake_leave, NULL, NULL, NULL};
static const kiosk_screen_class_t fake_b = {"b", fake_enter, fake_leave, NULL, NULL, NULL};

START_TEST(stack_push_pop_replace)
{
    fake_ctx_t f = {0, 0, -1};
    kiosk_screen_stack_t st;

    kiosk_screen_stack_init(&st, &f);
    ck_assert_ptr_null(kiosk_screen_stack_top(&st));
    ck_assert_int_eq(kiosk_screen_stack_push(&st, &fake_a, 1), WM_OK);
    ck_assert_int_eq(kiosk_screen_stack_push(&st, &fake_b, 2), WM_OK);
    ck_assert_str_eq(kiosk_screen_stack_top(&st)->cls->name, "b");
    ck_assert_int_eq(kiosk_screen_stack_replace(&st, &fake_a, 3), WM_OK);
    ck_assert_uint_eq(st.depth, 2);
    ck_assert_int_eq(kiosk_screen_stack_top(&st)->arg, 3);
    ck_assert_int_eq(f.enters, 3);
    ck_assert_int_eq(f.leaves, 1);
    ck_assert_int_eq(kiosk_screen_stack_pop(&st), WM_OK);
    ck_assert_int_eq(kiosk_screen_stack_top(&st)->arg, 1);
    /* the bottom screen stays */
    ck_assert_int_eq(kiosk_screen_stack_pop(&st), WM_ESTATE);
    expect_error("bottom");
    ck_assert_uint_eq(st.depth, 1);
    kiosk_screen_stack_clear(&st);
    ck_assert_uint_eq(st.depth, 0);
    ck_assert_int_eq(f.enters, f.leaves);
}
END_TEST

START_TEST(stack_overflow_and_failed_enter)
{
    fake_ctx_t f = {0, 0, 99};
    kiosk_screen_stack_t st;

    kiosk_screen_stack_init(&st, &f);
    for (int i = 0; i < KIOSK_SCREEN_STACK_MAX; i++)
        ck_assert_int_eq(kiosk_screen_stack_push(&st, &fake_a, i), WM_OK);
    ck_assert_int_eq(kiosk_screen_stack_push(&st, &fake_a, 0), WM_ESTATE);
    expect_error("full");
    ck_assert_uint_eq(st.depth, KIOSK_SCREEN_STACK_MAX);

    /* a screen that fails to enter is not pushed; replace keeps the old */
    kiosk_screen_stack_pop_all(&st);
    ck_assert_uint_eq(st.depth, 1);
    ck_assert_int_eq(kiosk_screen_stack_push(&st, &fake_b, 99), WM_ENOMEM);
    ck_assert_uint_eq(st.depth, 1);
    ck_assert_int_eq(kiosk_screen_stack_replace(&st, &fake_b, 99), WM_ENOMEM);
    ck_assert_uint_eq(st.depth, 1);
    ck_assert_str_eq(kiosk_screen_stack_top(&st)->cls->name, "a");
    ck_assert_int_eq(kiosk_screen_stack_top(&st)->arg, 0);
    kiosk_screen_stack_clear(&st);
    ck_assert_int_eq(f.enters, f.leaves);
}
END_TEST

/* A screen whose state and texts hold memory; it fails to enter for
 * fail_arg after making them. */
static wm_status_t owning_enter(kiosk_screen_t *s, void *ctx)
{
    fake_ctx_t *f = ctx;
    i18n_text_t *t;

    ck_assert_ptr_nonnull(kiosk_screen_state(s, 100));
    t = kiosk_screen_texts(s, 3);
    ck_assert_ptr_nonnull(t);
    ck_assert_ptr_null(kiosk_screen_texts(s, 3));
    expect_error("texts made twice");
    for (int i = 0; i < 3; i++) {
        ck_assert_uint_eq(t[i].glyph_count, 0);
        ck_assert_int_eq(wm_grow((void **)&t[i].glyphs, &t[i].glyph_cap, 50, sizeof(*t[i].glyphs)),
                         WM_OK);
    }
    if (s->arg == f->fail_arg)
        return wm_error(WM_EIO, "owning enter failed");
    f->enters++;
    return WM_OK;
}

static const kiosk_screen_class_t owning = {"owning", owning_enter, NULL, NULL, NULL, NULL};

/* The stack frees what a screen made through it: on pop, replace, clear
 * and after a failed enter (LeakSanitizer checks that nothing is left);
 * texts stay where they are when the screen itself is moved. */
START_TEST(stack_owns_screen_texts)
{
    fake_ctx_t f = {0, 0, 7};
    kiosk_screen_stack_t st;
    i18n_text_t *texts;

    kiosk_screen_stack_init(&st, &f);
    ck_assert_int_eq(kiosk_screen_stack_push(&st, &owning, 1), WM_OK);
    ck_assert_int_eq(kiosk_screen_stack_push(&st, &owning, 2), WM_OK);
    ck_assert_uint_eq(kiosk_screen_stack_top(&st)->text_count, 3);
    ck_assert_int_eq(kiosk_screen_stack_push(&st, &owning, 7), WM_EIO);
    ck_assert_uint_eq(st.depth, 2);
    ck_assert_int_eq(kiosk_screen_stack_replace(&st, &owning, 7), WM_EIO);
    ck_assert_int_eq(kiosk_screen_stack_top(&st)->arg, 2);
    ck_assert_int_eq(kiosk_screen_stack_replace(&st, &owning, 3), WM_OK);
    texts = kiosk_screen_stack_top(&st)->texts;
    ck_assert_ptr_nonnull(texts[2].glyphs); /* moved into place, still its own */
    ck_assert_int_eq(kiosk_screen_stack_pop(&st), WM_OK);
    kiosk_screen_stack_clear(&st);
    ck_assert_int_eq(f.enters, 3);
}
END_TEST

START_TEST(stack_widget_hit_and_find)
{
    fake_ctx_t f = {0, 0, -1};
    kiosk_screen_stack_t st;
    kiosk_screen_t *s;

    kiosk_screen_stack_init(&st, &f);
    ck_assert_int_eq(kiosk_screen_stack_push(&st, &fake_a, 1), WM_OK);
    s = kiosk_screen_stack_top(&st);
    ck_assert_ptr_nonnull(kiosk_screen_hit(s, 10, 10));
    ck_assert_ptr_nonnull(kiosk_screen_hit(s, 109, 59));
    ck_assert_ptr_null(kiosk_screen_hit(s, 110, 30));
    ck_assert_ptr_null(kiosk_screen_hit(s, 9, 30));
    ck_assert_ptr_nonnull(kiosk_screen_find(s, "ok"));
    ck_assert_ptr_null(kiosk_screen_find(s, "nope"));
    for (int i = 1; i < KIOSK_WIDGETS_MAX; i++)
        ck_assert_int_eq(kiosk_screen_add_widget(s, "w", (SDL_Rect){0, 0, 1, 1}, 0, 0), WM_OK);
    ck_assert_int_eq(kiosk_screen_add_widget(s, "w", (SDL_Rect){0, 0, 1, 1}, 0, 0), WM_ESTATE);
    kiosk_screen_stack_clear(&st);
}
END_TEST

/* ---- replay, headless --------------------------------------------------- */

START_TEST(replay_tap_point_reaches_widget)
{
    kiosk_options_t o = headless(1080, 1920, (int)_i * 90);
    kiosk_app_t *app = app_new(&o);
    kiosk_screen_t *top = kiosk_screen_stack_top(kiosk_app_stack(app));
    const kiosk_widget_t *ar = kiosk_screen_find(top, "lang-ar");
    char script[128];

    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    ck_assert_ptr_nonnull(ar);
    /* away from every language: the welcome opens the language picker */
    ck_assert_int_eq(app_script(app, "tap 3 3\n"), WM_OK);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_LANGUAGES);
    ck_assert_int_eq(app_script(app, "tap #back\n"), WM_OK);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    top = kiosk_screen_stack_top(kiosk_app_stack(app));
    ar = kiosk_screen_find(top, "lang-ar");
    /* a point inside the Arabic button (not its centre) */
    snprintf(script, sizeof(script), "tap %d %d\n", ar->rect.x + 5, ar->rect.y + ar->rect.h - 5);
    ck_assert_int_eq(app_script(app, script), WM_OK);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_HOME);
    top = kiosk_screen_stack_top(kiosk_app_stack(app));
    /* home in Arabic: its Back button sits at the right, where reading starts */
    ck_assert_ptr_nonnull(kiosk_screen_find(top, "back"));
    ck_assert_int_gt(kiosk_screen_find(top, "back")->rect.x, 540);
    ck_assert_int_eq(app_script(app, "tap #back\n"), WM_OK);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    ck_assert_uint_eq(kiosk_app_stack(app)->depth, 1);
    kiosk_app_destroy(app);
}
END_TEST

START_TEST(replay_tap_unknown_id_fails)
{
    kiosk_options_t o = headless(540, 960, 0);
    kiosk_app_t *app = app_new(&o);

    ck_assert_int_eq(app_script(app, "wait 5\ntap #nope\n"), WM_ENOENT);
    expect_error("t.script:2: no widget '#nope'");
    ck_assert_int_eq(app_script(app, "tap 540 10\n"), WM_EINVAL);
    expect_error("outside the screen");
    kiosk_app_destroy(app);
}
END_TEST

START_TEST(replay_key_and_drag)
{
    kiosk_options_t o = headless(540, 960, 0);
    kiosk_app_t *app = app_new(&o);
    const kiosk_widget_t *fr =
        kiosk_screen_find(kiosk_screen_stack_top(kiosk_app_stack(app)), "lang-fr");
    char script[128];
    int cx = fr->rect.x + fr->rect.w / 2, cy = fr->rect.y + fr->rect.h / 2;

    /* sliding off a button cancels it */
    snprintf(script, sizeof(script), "drag %d %d 5 5 200\n", cx, cy);
    ck_assert_int_eq(app_script(app, script), WM_OK);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    ck_assert_uint_eq(kiosk_app_now(app), 200);
    /* a small wobble inside it still counts */
    snprintf(script, sizeof(script), "drag %d %d %d %d 100\n", cx, cy, cx + 4, cy + 2);
    ck_assert_int_eq(app_script(app, script), WM_OK);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_HOME);
    /* Escape is Back */
    ck_assert_int_eq(app_script(app, "key Escape\n"), WM_OK);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    kiosk_app_destroy(app);
}
END_TEST

START_TEST(replay_idle_timer_on_virtual_clock)
{
    kiosk_options_t o = headless(540, 960, 0);
    kiosk_app_t *app;

    o.idle_timeout = 90;
    app = app_new(&o);
    ck_assert_int_eq(app_script(app, "tap #lang-uk\nwait 89000\n"), WM_OK);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_HOME);
    /* "still there?" for KIOSK_ASK_SECONDS, then the visit is gone */
    ck_assert_int_eq(app_script(app, "wait 2000\n"), WM_OK);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_HOME);
    ck_assert(kiosk_app_asking(app));
    ck_assert_int_eq(app_script(app, "wait 15000\n"), WM_OK);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    ck_assert_uint_eq(kiosk_app_now(app), 106000);
    /* a touch restarts the countdown */
    ck_assert_int_eq(app_script(app, "tap #lang-so\nwait 60000\ntap 1 1\nwait 60000\n"), WM_OK);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_HOME);
    ck_assert_int_eq(app_script(app, "wait 45000\n"), WM_OK);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    /* 271 s of virtual time without a single sleep */
    ck_assert_uint_eq(kiosk_app_wakeups(app), 0);
    kiosk_app_destroy(app);
}
END_TEST

/* Counts dark pixels (text) in a rectangle of a decoded image. */
static int dark_pixels(const render_canvas_t *c, int x0, int y0, int x1, int y1)
{
    int n = 0;

    for (int y = y0; y < y1; y++) {
        for (int x = x0; x < x1; x++) {
            render_color_t p = render_canvas_get(c, x, y);

            n += p.r < 90 && p.g < 90 && p.b < 90;
        }
    }
    return n;
}

static render_canvas_t *shoot(kiosk_options_t *o, const char *script, const char *name)
{
    kiosk_app_t *app;
    render_canvas_t *png = NULL;
    char path[1200];

    snprintf(o->screenshot_dir, sizeof(o->screenshot_dir), "%s", tu_tmpdir());
    app = app_new(o);
    ck_assert_msg(app_script(app, script) == WM_OK, "%s", wm_last_error());
    kiosk_app_destroy(app);
    snprintf(path, sizeof(path), "%s/%s.png", o->screenshot_dir, name);
    ck_assert_msg(render_png_read(path, &png) == WM_OK, "%s", wm_last_error());
    return png;
}

START_TEST(replay_shot_writes_png_with_text)
{
    kiosk_options_t o = headless(1080, 1920, 0);
    render_canvas_t *png = shoot(&o, "shot welcome\n", "welcome");

    ck_assert_int_eq(png->width, 1080);
    ck_assert_int_eq(png->height, 1920);
    /* "Welcome" in big dark letters at the top centre; nothing dark in the
     * margin above it */
    ck_assert_int_gt(dark_pixels(png, 240, 90, 840, 230), 2000);
    ck_assert_int_eq(dark_pixels(png, 0, 0, 1080, 60), 0);
    render_canvas_destroy(png);
}
END_TEST

/* Pixels of the region that differ between two shots of the same size. */
static int differing_pixels(const render_canvas_t *a, const render_canvas_t *b, int x0, int y0,
                            int x1, int y1)
{
    int n = 0;

    for (int y = y0; y < y1; y++) {
        for (int x = x0; x < x1; x++) {
            render_color_t p = render_canvas_get(a, x, y), q = render_canvas_get(b, x, y);

            n += p.r != q.r || p.g != q.g || p.b != q.b;
        }
    }
    return n;
}

/* A copy of the sample content with a fonts/ folder whose fallback.conf
 * holds rules (the font file itself is a link to a system serif face). */
static void content_with_fonts(char *dir, size_t size, const char *rules)
{
    char cmd[1024], path[1100];
    int status = -1;
    char *out;

    snprintf(dir, size, "%s/content", tu_tmpdir());
    snprintf(cmd, sizeof(cmd),
             "cp -r " SAMPLE " %s && mkdir %s/fonts && ln -s "
             "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf %s/fonts/BoothSerif.ttf",
             dir, dir, dir);
    out = tu_run(cmd, &status);
    free(out);
    ck_assert_int_eq(status, 0);
    snprintf(path, sizeof(path), "%s/fonts/fallback.conf", dir);
    ck_assert_int_eq(tu_write_file(path, rules), 0);
}

START_TEST(replay_content_fonts_are_drawn)
{
    kiosk_options_t o = headless(1080, 1920, 0);
    render_canvas_t *plain = shoot(&o, "shot plain\n", "plain"), *serif, *broken;
    char dir[512];

    /* the content's rules put its own face first for Latin text: the
     * "Welcome" title changes, and is still text */
    content_with_fonts(dir, sizeof(dir), "script:Latn = BoothSerif.ttf, NotoSans-Regular.ttf\n");
    snprintf(o.content_dir, sizeof(o.content_dir), "%s", dir);
    serif = shoot(&o, "shot serif\n", "serif");
    ck_assert_int_gt(dark_pixels(serif, 240, 90, 840, 230), 2000);
    ck_assert_int_gt(differing_pixels(plain, serif, 240, 90, 840, 230), 1000);

    /* malformed rules are reported and the booth draws with its own fonts */
    content_with_fonts(dir, sizeof(dir), "script:Latn BoothSerif.ttf\n");
    snprintf(o.content_dir, sizeof(o.content_dir), "%s", dir);
    broken = shoot(&o, "shot broken\n", "broken");
    ck_assert_int_eq(differing_pixels(plain, broken, 0, 0, 1080, 1920), 0);

    render_canvas_destroy(plain);
    render_canvas_destroy(serif);
    render_canvas_destroy(broken);
}
END_TEST

START_TEST(replay_shot_arabic_is_right_aligned)
{
    kiosk_options_t o = headless(1080, 1920, 0);
    render_canvas_t *png = shoot(&o, "tap #lang-ar\nshot ar\n", "ar");
    int right = dark_pixels(png, 700, 180, 1032, 260);
    int left = dark_pixels(png, 48, 180, 380, 260);

    /* the heading hugs the right margin */
    ck_assert_msg(right > 1000 && left < right / 10, "heading: left %d right %d", left, right);
    render_canvas_destroy(png);
}
END_TEST

/* A 90 degree panel shows exactly the upright image, turned. */
START_TEST(replay_shot_rotated_matches_upright)
{
    kiosk_options_t up = headless(540, 960, 0), rot = headless(540, 960, 90);
    render_canvas_t *a = shoot(&up, "tap #lang-ti\nshot s\n", "s");
    render_canvas_t *b = shoot(&rot, "tap #lang-ti\nshot s\n", "s");
    int mismatches = 0;

    ck_assert_int_eq(b->width, 960);
    ck_assert_int_eq(b->height, 540);
    for (int y = 0; y < 960; y++) {
        for (int x = 0; x < 540; x++) {
            int px, py;
            render_color_t p, q;

            kiosk_rotate_point(90, 540, 960, x, y, &px, &py);
            p = render_canvas_get(a, x, y);
            q = render_canvas_get(b, px, py);
            mismatches += p.r != q.r || p.g != q.g || p.b != q.b;
        }
    }
    ck_assert_int_eq(mismatches, 0);
    ck_assert_int_gt(dark_pixels(a, 0, 0, 540, 960), 1000);
    render_canvas_destroy(a);
    render_canvas_destroy(b);
}
END_TEST

START_TEST(replay_run_script_and_first_frame)
{
    kiosk_options_t o = headless(540, 960, 0);
    kiosk_script_t *s = NULL;
    kiosk_app_t *app;

    o.exit_after_first_frame = true;
    app = app_new(&o);
    ck_assert_int_eq(kiosk_app_run(app), WM_OK);
    ck_assert_uint_eq(kiosk_app_frames(app), 1);
    kiosk_app_destroy(app);

    o.exit_after_first_frame = false;
    ck_assert_int_eq(kiosk_script_parse("tap #lang-bn\nwait 10\nquit\ntap #back\n", "q", &s),
                     WM_OK);
    app = app_new(&o);
    kiosk_app_set_script(app, s);
    ck_assert_int_eq(kiosk_app_run(app), WM_OK);
    ck_assert(kiosk_app_quit_requested(app));
    /* quit stops the script: the last tap never ran */
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_HOME);
    ck_assert_uint_ge(kiosk_app_frames(app), 2);
    kiosk_app_destroy(app);
    kiosk_script_destroy(s);
}
END_TEST

static Uint32 push_quit(Uint32 interval, void *param)
{
    SDL_Event ev;

    (void)param;
    memset(&ev, 0, sizeof(ev));
    ev.type = SDL_QUIT;
    SDL_PushEvent(&ev);
    return 0;
}

/* After a script without `quit` the booth goes on live: it must sleep, not
 * spin or redraw, until something happens (here SDL_QUIT after 1.5 s).
 * Counted, not timed: headless, the loop may wake at most once per poll
 * interval of the real time that passed (a busy loop wakes thousands of
 * times); a slow machine only wakes less. */
START_TEST(live_loop_after_script_sleeps)
{
    kiosk_options_t o = headless(540, 960, 0);
    kiosk_script_t *s = NULL;
    kiosk_app_t *app;
    Uint64 t0, elapsed;

    ck_assert_int_eq(kiosk_script_parse("tap #lang-bn\nwait 106000\n", "live", &s), WM_OK);
    app = app_new(&o);
    kiosk_app_set_script(app, s);
    ck_assert_int_ne(SDL_AddTimer(1500, push_quit, NULL), 0);
    t0 = SDL_GetTicks64();
    ck_assert_int_eq(kiosk_app_run(app), WM_OK);
    elapsed = SDL_GetTicks64() - t0;
    ck_assert_uint_ge(elapsed, 1400);
    /* the idle timer fired on virtual time; then a handful of frames only */
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
    /* (and one a second of the "still there?" countdown) */
    ck_assert_uint_le(kiosk_app_frames(app), 6 + KIOSK_ASK_SECONDS);
    ck_assert_uint_ge(kiosk_app_wakeups(app), 1);
    ck_assert_msg(kiosk_app_wakeups(app) <= elapsed / KIOSK_POLL_HEADLESS_MS + 2,
                  "%llu wake-ups in %llu ms of an idle booth",
                  (unsigned long long)kiosk_app_wakeups(app), (unsigned long long)elapsed);
    kiosk_app_destroy(app);
    kiosk_script_destroy(s);
}
END_TEST

START_TEST(replay_bad_content_still_starts)
{
    kiosk_options_t o = headless(540, 960, 0);
    kiosk_app_t *app;

    strcpy(o.content_dir, "/nonexistent/content");
    o.log_level = WM_LOG_ERROR;
    app = app_new(&o);
    ck_assert_ptr_nonnull(
        kiosk_screen_find(kiosk_screen_stack_top(kiosk_app_stack(app)), "lang-en"));
    ck_assert_int_eq(app_script(app, "tap #lang-en\n"), WM_OK);
    ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_HOME);
    kiosk_app_destroy(app);
}
END_TEST

/* Every allocation of start-up and of a visit fails in turn, one at a
 * time: start-up fails with WM_ENOMEM and a message, or the booth runs
 * (a screen that cannot open is logged, and the booth stays where it
 * was); nothing leaks (LeakSanitizer) and nothing crashes. */
START_TEST(faults_app_create_and_visit)
{
    kiosk_options_t o = headless(240, 320, 0);
    kiosk_script_t *s = NULL;
    long n, failures = 0, runs = 0;

    /* The sample cut down to the languages the visit uses and the local
     * one, so that failing each allocation in turn, one run a step, stays
     * within minutes: the sample's fifteen languages make thousands. */
    strcpy(o.content_dir, WAYMARK_TEST_DIR "/data/content-visit");
    o.log_level = WM_LOG_ERROR;
    wm_log_set_level(WM_LOG_ERROR);
    ck_assert_int_eq(
        kiosk_script_parse("tap #lang-ar\ntap #back\ntap #lang-my\nwait 106000\n", "visit", &s),
        WM_OK);
    for (n = 0;; n++) {
        kiosk_app_t *app = NULL;
        wm_status_t st;
        bool fired;

        wm_fault_alloc_after(n);
        st = kiosk_app_create(&o, &app);
        if (st != WM_OK) {
            fired = wm_fault_fired();
            wm_fault_reset();
            ck_assert_msg(fired, "start-up failed without a fault: %s", wm_last_error());
            ck_assert_msg(st == WM_ENOMEM, "after %ld allocations: %s (%s)", n, wm_status_str(st),
                          wm_last_error());
            ck_assert_str_ne(wm_last_error(), "");
            failures++;
            continue;
        }
        for (size_t i = 0; i < s->count; i++) {
            st = kiosk_app_exec(app, s, &s->cmds[i]);
            /* a screen that could not open has no Back button */
            ck_assert_msg(st == WM_OK || (st == WM_ENOENT && i == 1),
                          "after %ld allocations, line %zu: %s", n, i + 1, wm_last_error());
        }
        fired = wm_fault_fired();
        wm_fault_reset();
        ck_assert_str_eq(kiosk_app_screen_name(app), KIOSK_SCREEN_WELCOME);
        kiosk_app_destroy(app);
        runs++;
        if (!fired)
            break;
    }
    ck_assert_int_gt(failures, 0);
    ck_assert_int_gt(runs, 1);
    kiosk_script_destroy(s);
}
END_TEST

/* Scripts and configuration files under every allocation failure. */
START_TEST(faults_script_and_config_load)
{
    const char *dir = tu_tmpdir();
    char script[512], conf[512];
    long n;

    snprintf(script, sizeof(script), "%s/s.script", dir);
    snprintf(conf, sizeof(conf), "%s/w.conf", dir);
    ck_assert_int_eq(tu_write_file(script, "tap 1 1\nwait 5\nkey Escape\ndrag 1 1 2 2 50\n"
                                           "shot a\ntap #back\nquit\n"),
                     0);
    ck_assert_int_eq(tu_write_file(conf, "rotate = 90\nwindow = 600x800\n"), 0);
    for (n = 0;; n++) {
        kiosk_script_t *s = (kiosk_script_t *)0x1;
        wm_status_t st;
        bool fired;

        wm_fault_alloc_after(n);
        st = kiosk_script_load(script, &s);
        fired = wm_fault_fired();
        wm_fault_reset();
        if (st == WM_OK) {
            ck_assert_uint_eq(s->count, 7);
            kiosk_script_destroy(s);
            if (!fired)
                break;
            continue;
        }
        ck_assert_msg(st == WM_ENOMEM, "after %ld: %s", n, wm_last_error());
        ck_assert_ptr_eq(s, (kiosk_script_t *)0x1);
    }
    ck_assert_int_ge(n, 3);
    for (n = 0;; n++) {
        kiosk_options_t o;
        wm_status_t st;
        bool fired;

        kiosk_options_default(&o);
        wm_fault_alloc_after(n);
        st = kiosk_config_load(conf, &o);
        fired = wm_fault_fired();
        wm_fault_reset();
        if (st == WM_OK) {
            ck_assert_int_eq(o.rotate, 90);
            ck_assert(!fired);
            break;
        }
        ck_assert_msg(st == WM_ENOMEM, "after %ld: %s", n, wm_last_error());
        ck_assert_int_eq(o.rotate, 0);
    }
    ck_assert_int_ge(n, 1);
}
END_TEST

static Suite *kiosk_suite(void)
{
    Suite *s = suite_create("kiosk");
    TCase *tc;

    tc = tcase_create("options");
    tcase_add_test(tc, options_defaults);
    tcase_add_test(tc, options_good);
    tcase_add_loop_test(tc, options_bad, 0, sizeof(bad_options) / sizeof(bad_options[0]));
    tcase_add_test(tc, options_override_config);
    tcase_add_test(tc, options_config_missing_or_bad);
    tcase_add_test(tc, options_default_config_from_env);
    tcase_add_test(tc, options_config_or_script_is_a_folder);
    tcase_add_test(tc, options_prepare_screenshot_dir);
    suite_add_tcase(s, tc);

    tc = tcase_create("config");
    tcase_add_test(tc, config_good_with_comments);
    tcase_add_loop_test(tc, config_bad, 0, sizeof(bad_configs) / sizeof(bad_configs[0]));
    tcase_add_test(tc, config_missing_file);
    tcase_add_test(tc, config_accepts_bom);
    tcase_add_test(tc, config_shipped_file_matches_defaults);
    suite_add_tcase(s, tc);

    tc = tcase_create("cli");
    tcase_add_test(tc, cli_exit_codes);
    tcase_add_test(tc, cli_binary_messages);
    tcase_add_test(tc, cli_run_headless_first_frame);
    tcase_add_test(tc, cli_run_refuses_bad_script);
    tcase_add_loop_test(tc, cli_run_dry_run_display_choice, 0,
                        sizeof(display_cases) / sizeof(display_cases[0]));
    tcase_add_test(tc, cli_run_without_display_exits_1);
    tcase_add_test(tc, cli_run_screenshot_dir_checked_first);
    tcase_add_test(tc, cli_run_screenshot_write_failure);
    tcase_add_test(tc, cli_run_warns_of_uncovered_characters);
    tcase_add_test(tc, cli_output_to_full_disk);
    tcase_add_test(tc, cli_run_factory_content_is_installed_path);
    suite_add_tcase(s, tc);

    tc = tcase_create("script");
    tcase_add_test(tc, script_parse_good);
    tcase_add_loop_test(tc, script_parse_bad, 0, sizeof(bad_scripts) / sizeof(bad_scripts[0]));
    tcase_add_test(tc, script_trailing_comments_and_bom);
    tcase_add_test(tc, script_load_missing);
    suite_add_tcase(s, tc);

    tc = tcase_create("geometry");
    tcase_add_test(tc, rotate_corners);
    tcase_add_test(tc, rotate_round_trip_every_pixel);
    tcase_add_test(tc, rotate_image_90);
    tcase_add_test(tc, view_scaled_and_letterboxed);
    tcase_add_test(tc, window_fits_desktop);
    suite_add_tcase(s, tc);

    tc = tcase_create("stack");
    tcase_add_test(tc, stack_push_pop_replace);
    tcase_add_test(tc, stack_overflow_and_failed_enter);
    tcase_add_test(tc, stack_widget_hit_and_find);
    tcase_add_test(tc, stack_owns_screen_texts);
    suite_add_tcase(s, tc);

    tc = tcase_create("replay");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, replay_tap_point_reaches_widget, 0, 4);
    tcase_add_test(tc, replay_tap_unknown_id_fails);
    tcase_add_test(tc, replay_key_and_drag);
    tcase_add_test(tc, replay_idle_timer_on_virtual_clock);
    tcase_add_test(tc, replay_shot_writes_png_with_text);
    tcase_add_test(tc, replay_content_fonts_are_drawn);
    tcase_add_test(tc, replay_shot_arabic_is_right_aligned);
    tcase_add_test(tc, replay_shot_rotated_matches_upright);
    tcase_add_test(tc, replay_run_script_and_first_frame);
    tcase_add_test(tc, replay_bad_content_still_starts);
    tcase_add_test(tc, live_loop_after_script_sleeps);
    suite_add_tcase(s, tc);

    if (wm_fault_injection_available()) {
        tc = tcase_create("faults");
        tcase_set_timeout(tc, 600);
        tcase_add_test(tc, faults_app_create_and_visit);
        tcase_add_test(tc, faults_script_and_config_load);
        suite_add_tcase(s, tc);
    }
    return s;
}

int main(void)
{
    SRunner *sr;
    int failed;

    /* hermetic: never the machine's configuration file */
    setenv("WAYMARK_CONFIG", "/nonexistent/waymark-test.conf", 1);
    sr = srunner_create(kiosk_suite());

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
