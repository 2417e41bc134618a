/* Whole-file reads with a size limit, and atomic writes (temp file in the same
 * directory, fsync, rename) so that no partial output is ever left behind. */
#include "error.h"
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define BIG_READ ((size_t)4 << 20)

/* Read fd to its end into a new heap buffer, refusing more than limit bytes
 * as soon as byte limit + 1 arrives: a device or pipe that never ends
 * (/dev/zero) costs at most limit bytes, never more. hint is the size fstat
 * reported for a regular file (0 otherwise): one allocation of hint + 1, the
 * extra byte telling a file that grew since from one that did not. */
static jks_status read_fd(int fd, size_t hint, size_t limit, uint8_t **out, size_t *out_len,
                          jks_error *err)
{
    size_t cap = hint ? hint + 1 : 65536, len = 0;
    if (cap > limit + 1)
        cap = limit + 1;
    uint8_t *buf = NULL;
    if (cap >= BIG_READ) {
        /* a big file: huge pages, so that reading 100 MB in takes a few
         * hundred page faults rather than 25,000 (advice only) */
        void *m = NULL;
        if (posix_memalign(&m, (size_t)2 << 20, cap) == 0) {
            buf = m;
#ifdef MADV_HUGEPAGE
            madvise(m, cap - cap % ((size_t)2 << 20), MADV_HUGEPAGE);
#endif
        }
    } else {
        buf = malloc(cap);
    }
    if (!buf)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    for (;;) {
        if (len == cap) {
            if (len > limit)
                break;
            size_t ncap = cap > limit / 2 ? limit + 1 : cap * 2;
            uint8_t *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t r = read(fd, buf + len, cap - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(buf);
            return jks_fail(err, JKS_ERR_IO, -1, "read failed: %s", strerror(e));
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    if (len > limit) {
        free(buf);
        return jks_fail(err, JKS_ERR_FORMAT, -1, "file too large (more than %zu bytes)", limit);
    }
    *out = buf;
    *out_len = len;
    return JKS_OK;
}

/* Open path for reading (*fd) and fstat it; directories are refused. */
static jks_status open_stat(const char *path, struct stat *sb, int *fd, jks_error *err)
{
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0)
        return jks_fail(err, JKS_ERR_IO, -1, "cannot open: %s", strerror(errno));
    if (fstat(*fd, sb) != 0) {
        int e = errno;
        close(*fd);
        return jks_fail(err, JKS_ERR_IO, -1, "cannot stat: %s", strerror(e));
    }
    if (S_ISDIR(sb->st_mode)) {
        close(*fd);
        return jks_fail(err, JKS_ERR_IO, -1, "is a directory");
    }
    return JKS_OK;
}

static jks_status too_large(const struct stat *sb, size_t limit, jks_error *err)
{
    return jks_fail(err, JKS_ERR_FORMAT, -1, "file too large (%lld bytes; limit %zu)",
                    (long long)sb->st_size, limit);
}

jks_status jks_file_read_limit(const char *path, size_t limit, uint8_t **out, size_t *out_len,
                               jks_error *err)
{
    struct stat sb;
    *out = NULL;
    *out_len = 0;
    int fd;
    jks_status s = open_stat(path, &sb, &fd, err);
    if (s != JKS_OK)
        return s;
    if (S_ISREG(sb.st_mode) && (uint64_t)sb.st_size > limit) {
        close(fd);
        return too_large(&sb, limit, err);
    }
    s = read_fd(fd, S_ISREG(sb.st_mode) ? (size_t)sb.st_size : 0, limit, out, out_len, err);
    close(fd);
    return s;
}

jks_status jks_file_read(const char *path, uint8_t **out, size_t *out_len, jks_error *err)
{
    return jks_file_read_limit(path, JKS_MAX_FILE_SIZE, out, out_len, err);
}

jks_status jks_file_write_atomic(const char *path, const uint8_t *data, size_t len,
                                 unsigned mode, int overwrite, jks_error *err)
{
    struct stat sb;
    if (!overwrite && lstat(path, &sb) == 0)
        return jks_fail(err, JKS_ERR_IO, -1, "output file exists (not replaced)");
    char *dcopy = strdup(path);
    if (!dcopy)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    const char *dir = dirname(dcopy);
    size_t tlen = strlen(dir) + 32;
    char *tmp = malloc(tlen);
    if (!tmp) {
        free(dcopy);
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    }
    snprintf(tmp, tlen, "%s/.jkstool-XXXXXX", dir);
    int fd = mkstemp(tmp); /* created 0600 */
    if (fd < 0) {
        int e = errno;
        free(dcopy);
        free(tmp);
        return jks_fail(err, JKS_ERR_IO, -1, "cannot create temporary file: %s", strerror(e));
    }
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            goto fail;
        off += (size_t)w;
    }
    if (fchmod(fd, (mode_t)mode) != 0 || fsync(fd) != 0)
        goto fail;
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (!overwrite) {
        /* link() refuses to replace: no race with a file created meanwhile. */
        if (link(tmp, path) != 0)
            goto fail;
        unlink(tmp);
    } else if (rename(tmp, path) != 0) {
        goto fail;
    }
    {
        int dfd = open(dir, O_RDONLY | O_DIRECTORY);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
    }
    free(dcopy);
    free(tmp);
    return JKS_OK;
fail: {
    int e = errno;
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    free(dcopy);
    free(tmp);
    return jks_fail(err, JKS_ERR_IO, -1, "cannot write output: %s", strerror(e));
}
}

jks_status jks_file_map(const char *path, jks_file_mapping *m, uint8_t **out, size_t *out_len,
                        jks_error *err)
{
    struct stat sb;
    memset(m, 0, sizeof(*m));
    m->fd = -1;
    *out = NULL;
    *out_len = 0;
    int fd;
    jks_status s = open_stat(path, &sb, &fd, err);
    if (s != JKS_OK)
        return s;
    if (S_ISREG(sb.st_mode) && (uint64_t)sb.st_size > JKS_MAX_FILE_SIZE) {
        close(fd);
        return too_large(&sb, JKS_MAX_FILE_SIZE, err);
    }
    if (S_ISREG(sb.st_mode) && sb.st_size > 0) {
        void *p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p != MAP_FAILED) {
            madvise(p, (size_t)sb.st_size, MADV_SEQUENTIAL); /* read ahead; drop behind */
            m->fd = fd;
            m->size = sb.st_size;
            m->mtime_sec = (long long)sb.st_mtim.tv_sec;
            m->mtime_nsec = (long)sb.st_mtim.tv_nsec;
            m->mapped = 1;
            *out = p;
            *out_len = (size_t)sb.st_size;
            return JKS_OK;
        }
    }
    /* pipes, devices, empty files, or mmap refused: read into the heap */
    s = read_fd(fd, S_ISREG(sb.st_mode) ? (size_t)sb.st_size : 0, JKS_MAX_FILE_SIZE, out,
                out_len, err);
    close(fd);
    return s;
}

jks_status jks_file_map_unchanged(const jks_file_mapping *m, jks_error *err)
{
    struct stat sb;
    if (!m->mapped)
        return JKS_OK;
    if (fstat(m->fd, &sb) != 0)
        return jks_fail(err, JKS_ERR_IO, -1, "cannot stat: %s", strerror(errno));
    if (sb.st_size != m->size || (long long)sb.st_mtim.tv_sec != m->mtime_sec ||
        (long)sb.st_mtim.tv_nsec != m->mtime_nsec)
        return jks_fail(err, JKS_ERR_IO, -1,
                        "file changed while it was being read (size %lld, now %lld bytes)",
                        (long long)m->size, (long long)sb.st_size);
    return JKS_OK;
}

void jks_file_unmap(jks_file_mapping *m, uint8_t *p, size_t len)
{
    if (m->fd >= 0)
        close(m->fd);
    m->fd = -1;
    if (!p)
        return;
    if (m->mapped)
        munmap(p, len);
    else
        free(p);
    m->mapped = 0;
}
