/* Layer "base": reading input files for the readers: into the heap (the
 * default; the store owns its bytes) or, for a low-memory read, mapped for
 * the duration of one decode. */
#ifndef JKS_BASE_FILE_H
#define JKS_BASE_FILE_H

#include "jks/jks.h"

/* jks_file_read with another limit than JKS_MAX_FILE_SIZE: JKS_ERR_FORMAT
 * "file too large" as soon as more than limit bytes arrive. */
jks_status jks_file_read_limit(const char *path, size_t limit, uint8_t **out, size_t *out_len,
                               jks_error *err);

/* A file mapped for one decode: the descriptor stays open so that the size
 * and modification time can be compared afterwards. */
typedef struct {
    int fd;
    int mapped;              /* 0: *out was read into the heap (malloc'd) */
    long long size;
    long long mtime_sec;
    long mtime_nsec;
} jks_file_mapping;

/* Map a regular, non-empty file read-only (private); other files (pipes,
 * devices, empty files) are read into the heap, m->mapped 0. JKS_ERR_FORMAT
 * when over JKS_MAX_FILE_SIZE. Release with jks_file_unmap. */
jks_status jks_file_map(const char *path, jks_file_mapping *m, uint8_t **out, size_t *out_len,
                        jks_error *err);
/* JKS_OK when the mapped file has the size and modification time it had
 * when mapped (always for a heap read); JKS_ERR_IO naming the change else. */
jks_status jks_file_map_unchanged(const jks_file_mapping *m, jks_error *err);
/* Unmap (or free) p and close the descriptor; p may be NULL. */
void jks_file_unmap(jks_file_mapping *m, uint8_t *p, size_t len);

#endif
