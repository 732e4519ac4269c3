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

/* The BLAKE2b-256 of data as 64 hex digits (hex holds 65 bytes). */
void tu_hash_hex(const void *data, size_t len, char *hex);

/* A sorted listing of the tree under root, one line per entry: path and
 * "/" for a folder, "-> target" for a symlink, size and hash for a file
 * (a new string, free() it). Two listings compare equal when nothing in
 * the tree changed; a test fails on an entry it cannot read. */
char *tu_tree_listing(const char *root);

/* Fails the test unless wm_last_error() holds needle. */
void tu_expect_error(const char *needle);

/* Path of the UDHR corpus in the tree (tests/data/udhr). */
const char *tu_corpus_dir(void);

#endif
