/* Writing a file so that it is either the old one or the whole new one:
 * a temporary in the same folder, fsync, rename, fsync of the folder. */
#include "export/export.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/util.h"

/* The longest part of the target's name kept in the temporary's: with
 * "." and ".XXXXXX" it stays within NAME_MAX (255). */
#define TEMP_BASE_MAX 200

/* Set *err to "PATH: reason" for ERRNUM, the path shown escaped (a file
 * name may hold control characters); returns -1. */
static int fail(const char *path, int errnum, char **err)
{
    if (err) {
        char *shown = str_escape_display(path);
        *err = xasprintf("%s: %s", shown, strerror(errnum));
        free(shown);
    }
    return -1;
}

/* Write all LEN bytes of DATA to FD; 0, or -1 with errno set. */
static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0)
            errno = EIO;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The folder of PATH ("." when it has none). Caller frees. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

/* The mode a new file gets: 0666 less the umask, as open(2) would give it. */
static mode_t new_file_mode(void)
{
    mode_t mask = umask(022);
    umask(mask);
    return 0666 & ~mask;
}

/* Flush the folder's entry for the renamed file to disk. Errors are
 * ignored: the new file is already in place, and some file systems cannot
 * sync a folder. */
static void sync_folder(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return;
    (void)fsync(fd);
    close(fd);
}

/* Fill the temporary FD: data, mode and owner of the file it replaces (OLD,
 * or NULL when new), flushed to disk. 0, or -1 with errno set. */
static int fill_temp(int fd, const char *data, size_t len, const struct stat *old)
{
    if (write_all(fd, data, len) < 0)
        return -1;
    /* Only root may give a file away; anyone else's copy keeps their owner. */
    if (old && fchown(fd, old->st_uid, old->st_gid) < 0 && errno != EPERM)
        return -1;
    mode_t mode = old ? old->st_mode & 07777 : new_file_mode();
    if (fchmod(fd, mode) < 0 || fsync(fd) < 0)
        return -1;
    return 0;
}

/* Create a temporary in DIR, fill it and rename it over TARGET. 0, or -1
 * with errno set; the temporary is gone either way. */
static int swap_in(const char *dir, const char *target, const struct stat *old, const char *data,
                   size_t len)
{
    const char *slash = strrchr(target, '/');
    const char *base = slash ? slash + 1 : target;
    /* ".NAME.XXXXXX" must fit where NAME did: a long name is shortened. */
    int keep = (int)(strlen(base) > TEMP_BASE_MAX ? TEMP_BASE_MAX : strlen(base));
    char *tmp = xasprintf("%s/.%.*s.XXXXXX", dir, keep, base);
    int fd = mkstemp(tmp);
    int rc = fd < 0 ? -1 : 0, errnum = errno;
    if (fd >= 0) {
        (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
        rc = fill_temp(fd, data, len, old);
        errnum = errno;
        if (close(fd) < 0 && rc == 0)
            rc = -1, errnum = errno;
        if (rc == 0 && rename(tmp, target) < 0)
            rc = -1, errnum = errno;
        if (rc < 0)
            unlink(tmp);
    }
    free(tmp);
    errno = errnum;
    return rc;
}

/* Replace TARGET (OLD: its status, NULL when new) with DATA, atomically.
 * PATH is the name the caller gave, for messages. */
static int replace_file(const char *path, const char *target, const struct stat *old,
                        const char *data, size_t len, char **err)
{
    char *dir = folder_of(target);
    int rc = swap_in(dir, target, old, data, len);
    int errnum = errno;
    if (rc == 0)
        sync_folder(dir);
    free(dir);
    return rc == 0 ? 0 : fail(path, errnum, err);
}

/* Write straight into a device or FIFO (/dev/stdout, a pipe): those cannot
 * be replaced, and renaming over them would be wrong. */
static int write_device(const char *path, const char *data, size_t len, char **err)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(path, errno, err);
    int rc = write_all(fd, data, len);
    int errnum = errno;
    if (close(fd) < 0 && rc == 0)
        rc = -1, errnum = errno;
    return rc == 0 ? 0 : fail(path, errnum, err);
}

/* The file descriptor PATH names when it is one of this process's own
 * (/dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N), else -1. Such a
 * path is written through the descriptor itself: it keeps the shell's
 * offset and O_APPEND ("-o /dev/stdout >>log" appends), where reopening or
 * renaming over the file it points to would overwrite or replace it. */
static int own_fd(const char *path)
{
    if (strcmp(path, "/dev/stdout") == 0)
        return 1;
    if (strcmp(path, "/dev/stderr") == 0)
        return 2;
    const char *num = NULL;
    if (strncmp(path, "/dev/fd/", 8) == 0)
        num = path + 8;
    else if (strncmp(path, "/proc/self/fd/", 14) == 0)
        num = path + 14;
    if (!num || *num < '0' || *num > '9' || strlen(num) > 7)
        return -1;
    for (const char *p = num; *p; p++)
        if (*p < '0' || *p > '9')
            return -1;
    return atoi(num);
}

/* Write DATA to PATH so that PATH is the old file or the whole new one. */
int export_write_atomic(const char *path, const char *data, size_t len, char **err)
{
    if (!path || !*path)
        return fail(path ? path : "", ENOENT, err);
    int fd = own_fd(path);
    if (fd >= 0) {
        if (fcntl(fd, F_GETFL) < 0)
            return fail(path, errno, err);
        return write_all(fd, data, len) == 0 ? 0 : fail(path, errno, err);
    }
    struct stat st;
    if (stat(path, &st) < 0) {
        if (errno != ENOENT)
            return fail(path, errno, err);
        return replace_file(path, path, NULL, data, len, err);
    }
    if (S_ISDIR(st.st_mode))
        return fail(path, EISDIR, err);
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
        return write_device(path, data, len, err);
    if (!S_ISREG(st.st_mode))
        return fail(path, EINVAL, err);
    /* A file one may not write is not replaced either (as cp would not);
     * a read-only file system says so here too. */
    if (access(path, W_OK) < 0)
        return fail(path, errno, err);
    /* A symbolic link stays a link: the file it points to is replaced. */
    char *target = realpath(path, NULL);
    if (!target)
        return fail(path, errno, err);
    int rc = replace_file(path, target, &st, data, len, err);
    free(target);
    return rc;
}
