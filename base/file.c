/* Whole-file reads with a size limit, mapped and windowed reads (writes are
 * in write.c). */
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
    if (!path || !out || !out_len)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no file name or no place for the bytes");
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

jks_status jks_fd_read(int fd, uint8_t **out, size_t *out_len, jks_error *err)
{
    if (fd < 0 || !out || !out_len)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no descriptor or no place for the bytes");
    *out = NULL;
    *out_len = 0;
    return read_fd(fd, 0, JKS_MAX_FILE_SIZE, out, out_len, err);
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

/* ---- windowed reading (file.h) ---- */

#define WINDOW_FIRST ((size_t)1 << 20)

jks_status jks_file_window_open(const char *path, jks_file_window *w, jks_error *err)
{
    struct stat sb;
    memset(w, 0, sizeof(*w));
    w->fd = -1;
    /* a pipe or device is not opened here: it could not be read twice, and
     * opening a FIFO would take its one writer away from the whole read */
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
        return JKS_ERR_USAGE;
    w->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (w->fd < 0)
        return jks_fail(err, JKS_ERR_IO, -1, "cannot open: %s", strerror(errno));
    if (fstat(w->fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(w->fd); /* replaced by something else since the stat */
        w->fd = -1;
        return jks_fail(err, JKS_ERR_IO, -1, "file changed while it was being opened");
    }
    if ((unsigned long long)sb.st_size > JKS_MAX_FILE_SIZE) {
        close(w->fd);
        w->fd = -1;
        return jks_fail(err, JKS_ERR_FORMAT, -1, "file too large (%lld bytes; the limit is %zu)",
                        (long long)sb.st_size, (size_t)JKS_MAX_FILE_SIZE);
    }
    w->size = (size_t)sb.st_size;
    w->mtime_sec = (long long)sb.st_mtim.tv_sec;
    w->mtime_nsec = (long)sb.st_mtim.tv_nsec;
    return JKS_OK;
}

int jks_file_window_get(jks_file_window *w, size_t want, const uint8_t **p, size_t *avail)
{
    size_t left = w->size - (w->start + w->pos); /* from the reader to the end */
    if (want > left)
        want = left;
    if (w->have - w->pos < want) {
        if (w->pos) { /* slide what is unread to the front */
            memmove(w->buf, w->buf + w->pos, w->have - w->pos);
            w->start += w->pos;
            w->have -= w->pos;
            w->pos = 0;
        }
        if (want > w->cap) {
            size_t cap = w->cap ? w->cap : WINDOW_FIRST;
            while (cap < want)
                cap *= 2;
            if (cap > left)
                cap = left;
            uint8_t *nb = realloc(w->buf, cap);
            if (!nb)
                return 0;
            w->buf = nb;
            w->cap = cap;
        }
        while (w->have < want || (w->have < w->cap && w->start + w->have < w->size)) {
            ssize_t n = pread(w->fd, w->buf + w->have, w->cap - w->have,
                              (off_t)(w->start + w->have));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return 0; /* an error, or the file shrank */
            w->have += (size_t)n;
        }
    }
    *p = w->buf + w->pos;
    *avail = w->have - w->pos;
    return 1;
}

void jks_file_window_advance(jks_file_window *w, size_t n)
{
    w->pos += n <= w->have - w->pos ? n : w->have - w->pos;
}

size_t jks_file_window_offset(const jks_file_window *w)
{
    return w->start + w->pos;
}

size_t jks_file_window_read_at(const jks_file_window *w, size_t off, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(w->fd, (uint8_t *)buf + got, n - got, (off_t)(off + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    return got;
}

void jks_file_window_rewind(jks_file_window *w)
{
    w->start = w->have = w->pos = 0;
}

jks_status jks_file_window_unchanged(const jks_file_window *w, jks_error *err)
{
    struct stat sb;
    if (fstat(w->fd, &sb) != 0)
        return jks_fail(err, JKS_ERR_IO, -1, "cannot stat: %s", strerror(errno));
    if ((size_t)sb.st_size != w->size || (long long)sb.st_mtim.tv_sec != w->mtime_sec ||
        (long)sb.st_mtim.tv_nsec != w->mtime_nsec)
        return jks_fail(err, JKS_ERR_IO, -1,
                        "file changed while it was being read (size %zu, now %lld bytes)",
                        w->size, (long long)sb.st_size);
    return JKS_OK;
}

void jks_file_window_close(jks_file_window *w)
{
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
    free(w->buf);
    w->buf = NULL;
    w->cap = w->have = w->pos = w->start = 0;
}
