/* Layer "base": the one deallocator for memory the library hands to its
 * callers (include/jks/jks.h "Ownership"). Every such buffer comes from
 * malloc/realloc, so the allocator knows its size: jks_free wipes all of it,
 * whatever the caller believes its length to be. */
#include "jks/jks.h"

#include <malloc.h>
#include <openssl/crypto.h>
#include <stdlib.h>

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
