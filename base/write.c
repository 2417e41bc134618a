/* Writing files as users expect (jks.h, jks_file_write_atomic and
 * jks_file_write_set):
 *  - a regular file is replaced atomically: the new content goes to an
 *    unnamed temporary file (O_TMPFILE) in the same directory, is fsynced,
 *    and only then gets a name; a killed process leaves nothing behind. Where
 *    the file system has no O_TMPFILE, the temporary file is named
 *    ".jkstool-PID-XXXXXX" and the next write into that directory removes
 *    those whose process is gone;
 *  - an existing file keeps its owner, group and mode; a hard-linked file, or
 *    one whose owner cannot be kept, or one in a directory we cannot write,
 *    is written in place once the new content is complete in memory;
 *  - a symbolic link is followed to its file (a dangling one is refused); a
 *    device, FIFO or socket, and /dev/fd/N, /dev/stdout, /dev/stderr, are
 *    written in place and never replaced; a directory is refused;
 *  - a new file gets the mode asked for, less the umask (0600 stays 0600);
 *  - "exists, not replaced" is JKS_ERR_USAGE, also when another process
 *    created the file between our check and our link. */
#include "error.h"
#include "file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TMP_PREFIX ".jkstool-"

static int write_all(int fd, const uint8_t *data, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = ENOSPC;
            return 0;
        }
        off += (size_t)w;
    }
    return 1;
}

static jks_status io_fail(jks_error *err, const char *what, int e)
{
    return jks_fail(err, JKS_ERR_IO, -1, "%s: %s", what, strerror(e));
}

/* The process's umask, read without changing it (umask(2) would be a
 * process-wide side effect); 022 when it cannot be read. */
static mode_t current_umask(void)
{
    FILE *f = fopen("/proc/self/status", "re");
    char line[128];
    unsigned m = 022;
    while (f && fgets(line, sizeof(line), f))
        if (sscanf(line, "Umask: %o", &m) == 1)
            break;
    if (f)
        fclose(f);
    return (mode_t)(m & 0777);
}

/* The paths that name an already open descriptor: written in place. */
static int names_descriptor(const char *path)
{
    return !strncmp(path, "/dev/fd/", 8) || !strncmp(path, "/proc/self/fd/", 14) ||
           !strcmp(path, "/dev/stdout") || !strcmp(path, "/dev/stderr");
}

/* Open an existing file and write the whole content in place. */
static jks_status write_in_place(const char *path, const uint8_t *data, size_t len, int regular,
                                 jks_error *err)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY | (regular ? O_TRUNC : 0));
    if (fd < 0)
        return io_fail(err, "cannot open for writing", errno);
    if (!write_all(fd, data, len)) {
        int e = errno;
        close(fd);
        return io_fail(err, "cannot write", e);
    }
    if (regular && fsync(fd) != 0) {
        int e = errno;
        close(fd);
        return io_fail(err, "cannot write", e);
    }
    if (close(fd) != 0 && regular)
        return io_fail(err, "cannot write", errno);
    return JKS_OK;
}

static void fsync_dir(const char *dir)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
}

/* Remove ".jkstool-PID-*" files of processes that are gone (a kill between
 * creating and renaming a named temporary file). */
static void remove_stale(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    if (!d)
        return;
    while ((de = readdir(d))) {
        long pid;
        char rest[64];
        if (strncmp(de->d_name, TMP_PREFIX, sizeof(TMP_PREFIX) - 1) ||
            sscanf(de->d_name + sizeof(TMP_PREFIX) - 1, "%ld-%63s", &pid, rest) != 2 || pid <= 0)
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* alive, or not ours to judge */
        unlinkat(dirfd(d), de->d_name, 0);
    }
    closedir(d);
}

/* dirname without modifying or allocating: into buf. */
static const char *dir_of(const char *path, char *buf, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return ".";
    if (slash == path)
        return "/";
    size_t k = (size_t)(slash - path);
    if (k >= n)
        return NULL;
    memcpy(buf, path, k);
    buf[k] = 0;
    return buf;
}

/* A new temporary file in dir: unnamed (O_TMPFILE) when the file system
 * allows, else named TMP_PREFIX PID-XXXXXX into *named (malloc'd). */
static int temp_in(const char *dir, mode_t mode, char **named)
{
    *named = NULL;
#ifdef O_TMPFILE
    /* naming it later goes through /proc/self/fd */
    int fd = access("/proc/self/fd", X_OK) == 0 ? open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode)
                                                : (errno = EOPNOTSUPP, -1);
    if (fd >= 0)
        return fd;
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL && errno != ENOENT)
        return -1;
#endif
    size_t n = strlen(dir) + 64;
    char *t = malloc(n);
    if (!t)
        return -1;
    snprintf(t, n, "%s/" TMP_PREFIX "%ld-XXXXXX", dir, (long)getpid());
    int f = mkstemp(t); /* 0600; fchmod sets the mode */
    if (f < 0) {
        int e = errno;
        free(t);
        errno = e;
        return -1;
    }
    *named = t;
    return f;
}

/* Give the finished temporary file fd (or *named) the name path: link it
 * (refusing to replace) or rename over what is there. */
static int publish(int fd, char *named, const char *dir, const char *path, int replace)
{
    char proc[64];
    if (!named) {
        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
        if (!replace)
            return linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0;
        /* linkat cannot replace: a short-lived name, then rename */
        size_t n = strlen(dir) + 64;
        char *t = malloc(n);
        if (!t)
            return 0;
        for (unsigned tries = 0; tries < 100; tries++) {
            snprintf(t, n, "%s/" TMP_PREFIX "%ld-%d-%u", dir, (long)getpid(), fd, tries);
            if (linkat(AT_FDCWD, proc, AT_FDCWD, t, AT_SYMLINK_FOLLOW) == 0)
                break;
            if (errno != EEXIST) {
                free(t);
                return 0;
            }
        }
        int ok = rename(t, path) == 0;
        int e = errno;
        if (!ok)
            unlink(t);
        free(t);
        errno = e;
        return ok;
    }
    if (!replace) {
        int ok = link(named, path) == 0; /* refuses to replace: no race */
        int e = errno;
        unlink(named);
        errno = e;
        return ok;
    }
    return rename(named, path) == 0;
}

/* The atomic path: temp file in dir, content, owner and mode, fsync, name. */
static jks_status write_replacing(const char *dir, const char *path, const uint8_t *data,
                                  size_t len, mode_t mode, const struct stat *old, int replace,
                                  int *owner_kept, jks_error *err)
{
    char *named = NULL;
    *owner_kept = 1;
    remove_stale(dir);
    int fd = temp_in(dir, old ? 0600 : mode, &named);
    if (fd < 0)
        return io_fail(err, "cannot create temporary file", errno);
    int ok = write_all(fd, data, len);
    if (ok && old && (old->st_uid != geteuid() || old->st_gid != getegid()) &&
        fchown(fd, old->st_uid, old->st_gid) != 0)
        ok = *owner_kept = 0; /* cannot keep the owner: the caller writes in place */
    if (ok && (old || named))
        ok = fchmod(fd, old ? (old->st_mode & 07777) : mode) == 0;
    ok = ok && fsync(fd) == 0;
    int e = errno;
    if (ok)
        ok = publish(fd, named, dir, path, replace);
    e = ok ? 0 : errno;
    close(fd);
    if (!ok && named)
        unlink(named);
    free(named);
    if (ok) {
        fsync_dir(dir);
        return JKS_OK;
    }
    if (!*owner_kept)
        return JKS_ERR_IO;
    if (e == EEXIST)
        return jks_fail(err, JKS_ERR_USAGE, -1, "output file exists (not replaced)");
    return io_fail(err, "cannot write output", e);
}

int jks_file_would_replace(const char *path)
{
    struct stat sb;
    return path && !names_descriptor(path) && stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

jks_status jks_file_write_atomic(const char *path, const uint8_t *data, size_t len,
                                 unsigned mode, int overwrite, jks_error *err)
{
    struct stat lsb, sb;
    char *real = NULL, dbuf[4096];
    const char *target = path;
    jks_status s;
    if (!path || (!data && len))
        return jks_fail(err, JKS_ERR_USAGE, -1, path ? "no data" : "no file name");
    if (names_descriptor(path)) { /* an open descriptor: never replaced */
        if (stat(path, &sb) != 0)
            return io_fail(err, "cannot open for writing", errno);
        return write_in_place(path, data, len, S_ISREG(sb.st_mode), err);
    }
    int exists = lstat(path, &lsb) == 0;
    if (!exists && errno != ENOENT)
        return io_fail(err, "cannot stat", errno);
    if (exists && S_ISLNK(lsb.st_mode)) {
        if (!(real = realpath(path, NULL))) {
            if (errno == ENOENT)
                return jks_fail(err, JKS_ERR_IO, -1,
                                "a symbolic link to a file that does not exist: not written");
            return io_fail(err, "cannot follow the symbolic link", errno);
        }
        target = real;
    }
    if (exists && stat(target, &sb) != 0) {
        s = io_fail(err, "cannot stat", errno);
        goto out;
    }
    if (exists && S_ISDIR(sb.st_mode)) {
        s = jks_fail(err, JKS_ERR_IO, -1, "is a directory");
        goto out;
    }
    if (exists && !S_ISREG(sb.st_mode)) { /* device, FIFO, socket: in place */
        s = write_in_place(target, data, len, 0, err);
        goto out;
    }
    if (exists && !overwrite) {
        s = jks_fail(err, JKS_ERR_USAGE, -1, "output file exists (not replaced)");
        goto out;
    }
    if (exists && access(target, W_OK) != 0) {
        s = jks_fail(err, JKS_ERR_IO, -1, "output file is not writable (%s): not replaced",
                     strerror(errno));
        goto out;
    }
    const char *dir = dir_of(target, dbuf, sizeof(dbuf));
    if (!dir) {
        s = jks_fail(err, JKS_ERR_IO, -1, "path too long");
        goto out;
    }
    if (exists && (sb.st_nlink > 1 || access(dir, W_OK) != 0)) {
        /* a hard link stays one; a directory we cannot write: in place */
        s = write_in_place(target, data, len, 1, err);
        goto out;
    }
    mode_t m = (mode_t)(mode & 07777);
    if (!exists && (m & 077))
        m &= ~current_umask(); /* private files stay private; others follow the umask */
    int owner_kept;
    s = write_replacing(dir, target, data, len, m, exists ? &sb : NULL, exists, &owner_kept, err);
    if (s != JKS_OK && !owner_kept) /* another user's file we may write: in place */
        s = write_in_place(target, data, len, 1, err);
out:
    free(real);
    return s;
}

jks_status jks_file_write_set(const char *dir, const jks_file_part *parts, size_t n,
                              int overwrite, jks_error *err)
{
    struct stat sb;
    char pbuf[4096], *tmp = NULL;
    jks_status s = JKS_OK;
    size_t done = 0;
    if (!dir || (!parts && n))
        return jks_fail(err, JKS_ERR_USAGE, -1, dir ? "no files" : "no directory");
    int exists = stat(dir, &sb) == 0;
    if (exists && !S_ISDIR(sb.st_mode))
        return jks_fail(err, JKS_ERR_IO, -1, "not a directory");
    for (size_t i = 0; i < n; i++) {
        if (!parts[i].name || !*parts[i].name || strchr(parts[i].name, '/') ||
            !strcmp(parts[i].name, ".") || !strcmp(parts[i].name, ".."))
            return jks_fail(err, JKS_ERR_USAGE, -1, "file name %zu is not a plain name", i + 1);
        if (exists && !overwrite) {
            char p[4096];
            snprintf(p, sizeof(p), "%s/%s", dir, parts[i].name);
            if (lstat(p, &sb) == 0)
                return jks_fail(err, JKS_ERR_USAGE, -1, "%s exists (not replaced)", parts[i].name);
        }
    }
    /* every file is written into a new directory beside dir first: a full
     * disk or a kill leaves dir as it was */
    const char *parent = dir_of(dir, pbuf, sizeof(pbuf));
    size_t tn = strlen(parent) + 64;
    if (!parent || !(tmp = malloc(tn)))
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    remove_stale(parent);
    snprintf(tmp, tn, "%s/" TMP_PREFIX "%ld-XXXXXX", parent, (long)getpid());
    if (!mkdtemp(tmp)) {
        s = io_fail(err, "cannot create a temporary directory", errno);
        free(tmp);
        return s;
    }
    mode_t um = current_umask();
    for (size_t i = 0; i < n && s == JKS_OK; i++) {
        char p[4096];
        snprintf(p, sizeof(p), "%s/%s", tmp, parts[i].name);
        mode_t m = (mode_t)(parts[i].mode & 07777);
        if (m & 077)
            m &= ~um;
        int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        int ok = fd >= 0 && write_all(fd, parts[i].data, parts[i].len) && fchmod(fd, m) == 0 &&
                 fsync(fd) == 0;
        int e = errno;
        if (fd >= 0)
            close(fd);
        if (!ok)
            s = jks_fail(err, JKS_ERR_IO, -1, "cannot write %s: %s", parts[i].name, strerror(e));
    }
    if (s == JKS_OK && !exists) {
        /* a new directory: the whole set appears at once */
        if (chmod(tmp, 0777 & ~um) != 0 || rename(tmp, dir) != 0)
            s = io_fail(err, "cannot create the directory", errno);
        else
            done = n;
        fsync_dir(parent);
    } else if (s == JKS_OK) {
        /* into an existing directory: each file renamed in (renames need
         * no space, so a full disk has already failed above) */
        for (; done < n; done++) {
            char from[4096], to[4096];
            snprintf(from, sizeof(from), "%s/%s", tmp, parts[done].name);
            snprintf(to, sizeof(to), "%s/%s", dir, parts[done].name);
            if (!overwrite ? link(from, to) != 0 : rename(from, to) != 0) {
                s = errno == EEXIST ? jks_fail(err, JKS_ERR_USAGE, -1, "%s exists (not replaced)",
                                               parts[done].name)
                                    : io_fail(err, "cannot move the file into place", errno);
                break;
            }
        }
        fsync_dir(dir);
    }
    if (done < n || exists) { /* remove what is left of the temporary directory */
        for (size_t i = 0; i < n; i++) {
            char p[4096];
            snprintf(p, sizeof(p), "%s/%s", tmp, parts[i].name);
            unlink(p);
        }
        rmdir(tmp);
    }
    free(tmp);
    return s;
}
