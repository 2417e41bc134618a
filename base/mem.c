/* Layer "base": the one deallocator for memory the library hands to its
 * callers (include/jks/jks.h "Ownership"). Every such buffer comes from
 * malloc/realloc, so the allocator knows its size: jks_free wipes all of it,
 * whatever the caller believes its length to be. */
#include "mem.h"
#include "jks/jks.h"

#include <malloc.h>
#include <stdint.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

void jks_free(void *p)
{
    if (!p)
        return;
    OPENSSL_cleanse(p, malloc_usable_size(p));
    free(p);
}

void jks_buffer_free(uint8_t *buf, size_t len)
{
    (void)len; /* the allocator knows the size; the whole block is wiped */
    jks_free(buf);
}

/* OpenSSL's own allocations, wiped when freed (jks.h,
 * jks_openssl_wipe_on_free): OpenSSL 3.0's key decoders free their copies
 * of a private key's DER with a plain free, so without this the key's
 * primes stay in freed heap memory after every decode. */
static void *wipe_malloc(size_t n, const char *file, int line)
{
    (void)file;
    (void)line;
    return malloc(n);
}

static void wipe_free(void *p, const char *file, int line)
{
    (void)file;
    (void)line;
    jks_free(p);
}

static void *wipe_realloc(void *p, size_t n, const char *file, int line)
{
    (void)file;
    (void)line;
    if (!p)
        return malloc(n);
    if (!n) {
        jks_free(p);
        return NULL;
    }
    size_t old = malloc_usable_size(p);
    if (n <= old)
        return p; /* shrinking in place: the tail is wiped when freed */
    void *q = malloc(n);
    if (!q)
        return NULL;
    memcpy(q, p, old);
    jks_free(p);
    return q;
}

int jks_openssl_wipe_on_free(void)
{
    return CRYPTO_set_mem_functions(wipe_malloc, wipe_realloc, wipe_free);
}

void *jks_array_grow(void *v, size_t *cap, size_t n, size_t elem, size_t first)
{
    if (n < *cap)
        return v;
    size_t c = *cap ? *cap : (first ? first : 1);
    while (c <= n) {
        if (c > SIZE_MAX / 2)
            return NULL;
        c *= 2;
    }
    if (!elem || c > SIZE_MAX / elem)
        return NULL;
    void *nv = realloc(v, c * elem);
    if (!nv)
        return NULL;
    *cap = c;
    return nv;
}
