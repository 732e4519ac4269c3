/*
 * testutil.c: temp folders, whole-file reads (through wm_file_read),
 * command runs, tree listings and error checks for tests.
 */
#include "testutil.h"

#include <check.h>
#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wm_base.h"

#define TU_READ_MAX (32u << 20)

static void listing_walk(const char *root, const char *rel, char **out, size_t *len);

const char *tu_tmpdir(void)
{
    static char path[256];

    snprintf(path, sizeof(path), "/tmp/waymark-test-XXXXXX");
    if (!mkdtemp(path))
        return NULL;
    return path;
}

char *tu_read_file(const char *path, size_t *len)
{
    char *buf = NULL;

    /* The project's reader; 32 MiB holds Unicode's largest test file. */
    if (wm_file_read(path, TU_READ_MAX, false, &buf, len) != WM_OK)
        return NULL;
    return buf;
}

int tu_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");

    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f) == 0 ? 0 : -1;
}

char *tu_run(const char *cmd, int *status)
{
    FILE *p = popen(cmd, "r");
    char *buf = NULL;
    size_t cap = 0, n = 0, r;
    int st;

    if (!p)
        return NULL;
    do {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            buf = realloc(buf, cap);
            if (!buf)
                break;
        }
        r = fread(buf + n, 1, cap - n - 1, p);
        n += r;
    } while (r > 0);
    st = pclose(p);
    if (buf)
        buf[n] = '\0';
    if (status)
        *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return buf;
}

const char *tu_corpus_dir(void)
{
    return WAYMARK_TEST_DIR "/data/udhr";
}

void tu_hash_hex(const void *data, size_t len, char *hex)
{
    uint8_t h[32];

    crypto_generichash(h, sizeof(h), data, len, NULL, 0);
    sodium_bin2hex(hex, 65, h, sizeof(h));
}

char *tu_tree_listing(const char *root)
{
    char *out = strdup("");
    size_t len = 0;

    listing_walk(root, "", &out, &len);
    return out;
}

void tu_expect_error(const char *needle)
{
    ck_assert_msg(strstr(wm_last_error(), needle) != NULL, "message '%s' lacks '%s'",
                  wm_last_error(), needle);
}

/* Appends the entries under root/rel, sorted, to *out. */
static void listing_walk(const char *root, const char *rel, char **out, size_t *len)
{
    char dir[4096];
    struct dirent **names;
    int n;

    snprintf(dir, sizeof(dir), "%s%s%s", root, rel[0] ? "/" : "", rel);
    if ((n = scandir(dir, &names, NULL, alphasort)) < 0)
        return;
    for (int i = 0; i < n; i++) {
        char path[4096], full[4096 + 300], line[5000], hex[65] = "";
        struct stat sb;

        if (strcmp(names[i]->d_name, ".") == 0 || strcmp(names[i]->d_name, "..") == 0) {
            free(names[i]);
            continue;
        }
        snprintf(path, sizeof(path), "%s%s%s", rel, rel[0] ? "/" : "", names[i]->d_name);
        snprintf(full, sizeof(full), "%s/%s", root, path);
        free(names[i]);
        ck_assert_int_eq(lstat(full, &sb), 0);
        if (S_ISLNK(sb.st_mode)) {
            char t[256] = "";
            ck_assert_int_gt(readlink(full, t, sizeof(t) - 1), 0);
            snprintf(line, sizeof(line), "%s -> %s\n", path, t);
        } else if (S_ISDIR(sb.st_mode)) {
            snprintf(line, sizeof(line), "%s/\n", path);
        } else {
            size_t flen;
            char *data = tu_read_file(full, &flen);
            ck_assert_ptr_nonnull(data);
            tu_hash_hex(data, flen, hex);
            free(data);
            snprintf(line, sizeof(line), "%s %lld %s\n", path, (long long)sb.st_size, hex);
        }
        *out = realloc(*out, *len + strlen(line) + 1);
        strcpy(*out + *len, line);
        *len += strlen(line);
        if (S_ISDIR(sb.st_mode))
            listing_walk(root, path, out, len);
    }
    free(names);
}
