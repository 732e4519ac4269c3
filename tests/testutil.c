/*
 * testutil.c: temp folders, whole-file reads and command runs for tests.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

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
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, r;

    if (!f)
        return NULL;
    do {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            buf = realloc(buf, cap);
            if (!buf) {
                fclose(f);
                return NULL;
            }
        }
        r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
    } while (r > 0);
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
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
    const char *env = getenv("WAYMARK_CORPUS");

    return env ? env : WAYMARK_SOURCE_DIR "/../shared/corpus/udhr";
}
