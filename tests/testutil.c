/*
 * testutil.c: temp folders, whole-file reads (through wm_file_read) and
 * command runs for tests.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "wm_base.h"

#define TU_READ_MAX (32u << 20)

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
