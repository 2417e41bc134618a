/* Layer "base": reading input files (mapped or read) for the readers. */
#ifndef JKS_BASE_FILE_H
#define JKS_BASE_FILE_H

#include "jks/jks.h"

/* Map a regular file read-only (private, populated); JKS_ERR_FORMAT when
 * over JKS_MAX_FILE_SIZE. *mapped is 0 when the file was read instead (pipes,
 * empty files): then *out is malloc'd. */
jks_status jks_file_map(const char *path, uint8_t **out, size_t *out_len, int *mapped,
                        jks_error *err);
void jks_file_unmap(uint8_t *p, size_t len, int mapped);

#endif
