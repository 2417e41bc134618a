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

/* A regular file read through a window with pread (jks_store_visit_file):
 * memory is the window (grown to the largest part asked for at once), never
 * the file, and a file truncated meanwhile is an I/O error, not a fault.
 * buf[0..have) holds the file from offset start; the reader is at pos. */
typedef struct {
    int fd;
    uint8_t *buf;
    size_t cap, have, pos, start;
    size_t size;             /* the file's size when opened */
    long long mtime_sec;
    long mtime_nsec;
} jks_file_window;

/* Open path for windowed reading. JKS_ERR_USAGE (nothing set in err) when
 * it is not a regular file (a pipe, a device: the caller reads it whole);
 * JKS_ERR_FORMAT when over JKS_MAX_FILE_SIZE; JKS_ERR_IO when unreadable. */
jks_status jks_file_window_open(const char *path, jks_file_window *w, jks_error *err);
/* Make at least want bytes from the reader's position available (fewer only
 * at the end of the file): *avail views buf[pos..have). 0 on an I/O error or
 * a file that shrank, or out of memory. */
int jks_file_window_get(jks_file_window *w, size_t want, const uint8_t **p, size_t *avail);
/* Move the reader by n bytes (at most what jks_file_window_get made available). */
void jks_file_window_advance(jks_file_window *w, size_t n);
/* The reader's file offset. */
size_t jks_file_window_offset(const jks_file_window *w);
/* Read n bytes at file offset off into buf, outside the window: the count
 * read (less at the end of the file or on an error). */
size_t jks_file_window_read_at(const jks_file_window *w, size_t off, void *buf, size_t n);
/* Back to file offset 0 (a second pass); the window memory is kept. */
void jks_file_window_rewind(jks_file_window *w);
/* JKS_OK when the file still has the size and modification time it had
 * when opened; JKS_ERR_IO naming the change else. */
jks_status jks_file_window_unchanged(const jks_file_window *w, jks_error *err);
void jks_file_window_close(jks_file_window *w);

#endif
