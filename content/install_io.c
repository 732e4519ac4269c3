/*
 * install_io.c: the disk steps of an install (open for writing, write,
 * fsync, rename, mkdir, symlink, unlink, rmdir), each one a fault injection
 * point in builds with WAYMARK_FAULT_INJECTION: tests fail the 1st, 2nd,
 * 3rd ... step in turn, with or without a "power cut" (every later step
 * failing too), and WAYMARK_FAULT_KILL_AT=N makes the process SIGKILL
 * itself at step N, so a real `waymark bundle install` can be killed at
 * each step. Release builds call the system directly.
 */
#define _GNU_SOURCE /* sync_file_range */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle_private.h"

static bool io_fail(void);

#ifdef WAYMARK_FAULT_INJECTION
static long io_countdown = -1;
static bool io_crash, io_crashed;
static long io_steps;
static long io_kill_at = -2; /* -2: environment not read yet */

void content_fault_io_after(long countdown, bool crash)
{
    io_countdown = countdown;
    io_crash = crash;
    io_crashed = false;
    io_steps = 0;
}

long content_fault_io_steps(void)
{
    return io_steps;
}

static bool io_fail(void)
{
    if (io_kill_at == -2) {
        const char *env = getenv("WAYMARK_FAULT_KILL_AT");
        io_kill_at = env && *env ? atol(env) : -1;
    }
    io_steps++;
    if (io_kill_at > 0 && io_steps == io_kill_at)
        raise(SIGKILL);
    if (io_crashed)
        return true;
    if (io_countdown < 0)
        return false;
    if (io_countdown == 0) {
        io_countdown = -1;
        io_crashed = io_crash;
        return true;
    }
    io_countdown--;
    return false;
}
#else
void content_fault_io_after(long countdown, bool crash)
{
    (void)countdown;
    (void)crash;
}

long content_fault_io_steps(void)
{
    return 0;
}

static bool io_fail(void)
{
    return false;
}
#endif

#define IO_STEP(ret)                                                                               \
    do {                                                                                           \
        if (io_fail()) {                                                                           \
            errno = EIO;                                                                           \
            return ret;                                                                            \
        }                                                                                          \
    } while (0)

int install_io_open(const char *path, int flags, mode_t mode)
{
    IO_STEP(-1);
    return open(path, flags | O_CLOEXEC, mode);
}

ssize_t install_io_write(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    size_t done = 0;

    IO_STEP(-1);
    while (done < len) {
        ssize_t n = write(fd, p + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = ENOSPC;
            return -1;
        }
        done += (size_t)n;
    }
    return (ssize_t)len;
}

int install_io_fsync(int fd)
{
    IO_STEP(-1);
    return fsync(fd);
}

void install_io_writeback(int fd)
{
    sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
}

int install_io_syncfs(const char *path)
{
    int fd, r;

    IO_STEP(-1);
    if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        return -1;
    r = syncfs(fd);
    close(fd);
    return r;
}

int install_io_rename(const char *from, const char *to)
{
    IO_STEP(-1);
    return rename(from, to);
}

int install_io_mkdir(const char *path, mode_t mode)
{
    IO_STEP(-1);
    return mkdir(path, mode);
}

int install_io_symlink(const char *target, const char *path)
{
    IO_STEP(-1);
    return symlink(target, path);
}

int install_io_unlink(const char *path)
{
    IO_STEP(-1);
    return unlink(path);
}

int install_io_rmdir(const char *path)
{
    IO_STEP(-1);
    return rmdir(path);
}

int install_io_fsync_dir(const char *path)
{
    int fd, r;

    IO_STEP(-1);
    if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        return -1;
    r = fsync(fd);
    close(fd);
    return r;
}

wm_status_t install_io_write_atomic(const char *dir, const char *name, const char *text)
{
    char tmp[4096], path[4096];
    size_t len = strlen(text);
    int fd;

    snprintf(tmp, sizeof(tmp), "%s/%s.tmp", dir, name);
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    unlink(tmp);
    if ((fd = install_io_open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0644)) < 0)
        return wm_error(WM_EIO, "%s: cannot create: %s", tmp, strerror(errno));
    if (install_io_write(fd, text, len) < 0 || install_io_fsync(fd) != 0) {
        int e = errno;
        close(fd);
        install_io_unlink(tmp);
        return wm_error(WM_EIO, "%s: write failed: %s", tmp, strerror(e));
    }
    close(fd);
    if (install_io_rename(tmp, path) != 0) {
        int e = errno;
        install_io_unlink(tmp);
        return wm_error(WM_EIO, "%s: cannot rename: %s", path, strerror(e));
    }
    if (install_io_fsync_dir(dir) != 0)
        return wm_error(WM_EIO, "%s: fsync failed: %s", dir, strerror(errno));
    return WM_OK;
}

int install_io_remove_tree(const char *path)
{
    struct stat sb;
    DIR *d;
    struct dirent *e;
    int r = 0;

    if (lstat(path, &sb) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(sb.st_mode))
        return install_io_unlink(path);
    if (!(d = opendir(path)))
        return -1;
    while ((e = readdir(d))) {
        char sub[4096];
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
        if (install_io_remove_tree(sub) != 0)
            r = -1;
    }
    closedir(d);
    if (install_io_rmdir(path) != 0)
        r = -1;
    return r;
}
