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

jks_status jks_file_read(const char *path, uint8_t **out, size_t *out_len, jks_error *err)
{
    struct stat sb;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    *out = NULL;
    *out_len = 0;
    if (fd < 0)
        return jks_fail(err, JKS_ERR_IO, -1, "cannot open: %s", strerror(errno));
    if (fstat(fd, &sb) != 0) {
        int e = errno;
        close(fd);
        return jks_fail(err, JKS_ERR_IO, -1, "cannot stat: %s", strerror(e));
    }
    if (S_ISDIR(sb.st_mode)) {
        close(fd);
        return jks_fail(err, JKS_ERR_IO, -1, "is a directory");
    }
    /* Regular files are read in one go at their size; pipes grow as needed. */
    size_t cap = S_ISREG(sb.st_mode) ? (size_t)sb.st_size : 65536, len = 0;
    if (S_ISREG(sb.st_mode) && (uint64_t)sb.st_size > JKS_MAX_FILE_SIZE) {
        close(fd);
        return jks_fail(err, JKS_ERR_FORMAT, -1, "file too large (%lld bytes; limit %zu)",
                        (long long)sb.st_size, (size_t)JKS_MAX_FILE_SIZE);
    }
    uint8_t *buf = malloc(cap ? cap : 1);
    if (!buf) {
        close(fd);
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    }
    for (;;) {
        if (len == cap) {
            if (S_ISREG(sb.st_mode)) {
                /* File grew while reading: check for more with a small probe. */
                uint8_t probe;
                ssize_t r = read(fd, &probe, 1);
                if (r == 0)
                    break;
                if (r < 0 && errno == EINTR)
                    continue;
                if (r < 0)
                    goto ioerr;
                cap = cap ? cap * 2 : 4096;
                uint8_t *nb = cap > JKS_MAX_FILE_SIZE ? NULL : realloc(buf, cap);
                if (!nb)
                    goto toolarge;
                buf = nb;
                buf[len++] = probe;
                continue;
            }
            if (cap >= JKS_MAX_FILE_SIZE)
                goto toolarge;
            cap *= 2;
            uint8_t *nb = realloc(buf, cap);
            if (!nb)
                goto toolarge;
            buf = nb;
        }
        ssize_t r = read(fd, buf + len, cap - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            goto ioerr;
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    *out = buf;
    *out_len = len;
    return JKS_OK;
ioerr: {
    int e = errno;
    close(fd);
    free(buf);
    return jks_fail(err, JKS_ERR_IO, -1, "read failed: %s", strerror(e));
}
toolarge:
    close(fd);
    free(buf);
    return jks_fail(err, JKS_ERR_FORMAT, -1, "file too large (limit %zu bytes)",
                    (size_t)JKS_MAX_FILE_SIZE);
}

jks_status jks_file_write_atomic(const char *path, const uint8_t *data, size_t len,
                                 unsigned mode, int overwrite, jks_error *err)
{
    struct stat sb;
    if (!overwrite && lstat(path, &sb) == 0)
        return jks_fail(err, JKS_ERR_IO, -1, "output file exists (use --force to replace it)");
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

jks_status jks_file_map(const char *path, uint8_t **out, size_t *out_len, int *mapped,
                        jks_error *err)
{
    struct stat sb;
    *mapped = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0) {
        if ((uint64_t)sb.st_size > JKS_MAX_FILE_SIZE) {
            close(fd);
            return jks_fail(err, JKS_ERR_FORMAT, -1, "file too large (%lld bytes; limit %zu)",
                            (long long)sb.st_size, (size_t)JKS_MAX_FILE_SIZE);
        }
        /* A typical store (a truststore is ~200 KB) is mapped in one call
         * instead of a page fault per 64 KB; a big one is faulted in as the
         * parser walks it, so that pages behind can be handed back. */
        int small = (uint64_t)sb.st_size <= ((uint64_t)4 << 20);
        void *p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE | (small ? MAP_POPULATE : 0),
                       fd, 0);
        close(fd);
        if (p != MAP_FAILED) {
            if (!small)
                madvise(p, (size_t)sb.st_size, MADV_SEQUENTIAL); /* read ahead; drop behind */
            *out = p;
            *out_len = (size_t)sb.st_size;
            *mapped = 1;
            return JKS_OK;
        }
    } else if (fd >= 0) {
        close(fd);
    }
    return jks_file_read(path, out, out_len, err);
}

void jks_file_unmap(uint8_t *p, size_t len, int mapped)
{
    if (!p)
        return;
    if (mapped)
        munmap(p, len);
    else
        free(p);
}
