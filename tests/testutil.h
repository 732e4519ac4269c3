/*
 * testutil.h: small helpers shared by the Check suites.
 */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <stddef.h>

/* A new empty temporary folder (mkdtemp); the returned path is static
 * storage owned by testutil, valid until the next call. */
const char *tu_tmpdir(void);

/* Reads a whole file (at most 32 MiB) with wm_file_read() into a new
 * NUL-terminated buffer (free() it); sets *len when len is not NULL. NULL
 * when the file cannot be read. */
char *tu_read_file(const char *path, size_t *len);

/* Writes text to path; returns 0 on success. */
int tu_write_file(const char *path, const char *text);

/* Runs a shell command, captures its stdout into a new buffer (free() it)
 * and its exit status into *status. */
char *tu_run(const char *cmd, int *status);

/* Path of the UDHR corpus in the tree (tests/data/udhr). */
const char *tu_corpus_dir(void);

#endif
