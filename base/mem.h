/* Layer "base": growing arrays. */
#ifndef JKS_MEM_H
#define JKS_MEM_H

#include <stddef.h>

/* Room for element n (0-based) of an array of elem-byte elements that holds
 * *cap: returns the array (moved by realloc when it had to grow, doubling
 * from first) with *cap updated, or NULL when out of memory or when the size
 * would overflow; the old array is then untouched and still the caller's.
 * Usage: T *nv = jks_array_grow(v, &cap, n, sizeof(*nv), 16); if (!nv) fail; v = nv; */
void *jks_array_grow(void *v, size_t *cap, size_t n, size_t elem, size_t first);

#endif
