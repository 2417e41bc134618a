/* Growing output buffer with deferred length prefixes (see builder.h). */
#include "builder.h"
#include "cursor.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

void jks_builder_init(jks_builder *b, size_t initial)
{
    b->len = 0;
    b->failed = 0;
    b->cap = initial ? initial : 256;
    b->buf = malloc(b->cap);
    if (!b->buf)
        b->failed = 1;
}

int jks_builder_ok(const jks_builder *b) { return !b->failed; }

static int reserve(jks_builder *b, size_t n)
{
    if (b->failed)
        return 0;
    if (n > SIZE_MAX - b->len) {
        b->failed = 1;
        return 0;
    }
    if (b->len + n > b->cap) {
        size_t cap = b->cap;
        while (cap < b->len + n)
            cap = cap > SIZE_MAX / 2 ? b->len + n : cap * 2;
        /* Grow without leaving stale copies of secrets in freed memory. */
        uint8_t *nb = malloc(cap);
        if (!nb) {
            b->failed = 1;
            return 0;
        }
        memcpy(nb, b->buf, b->len);
        OPENSSL_cleanse(b->buf, b->cap);
        free(b->buf);
        b->buf = nb;
        b->cap = cap;
    }
    return 1;
}

void jks_builder_bytes(jks_builder *b, const void *p, size_t n)
{
    if (!reserve(b, n))
        return;
    if (n)
        memcpy(b->buf + b->len, p, n);
    b->len += n;
}

static void put_be(jks_builder *b, uint64_t v, int n)
{
    uint8_t t[8];
    for (int i = n - 1; i >= 0; i--) {
        t[i] = (uint8_t)v;
        v >>= 8;
    }
    jks_builder_bytes(b, t, (size_t)n);
}

void jks_builder_u8(jks_builder *b, uint8_t v) { put_be(b, v, 1); }
void jks_builder_u16(jks_builder *b, uint16_t v) { put_be(b, v, 2); }
void jks_builder_u32(jks_builder *b, uint32_t v) { put_be(b, v, 4); }
void jks_builder_u64(jks_builder *b, uint64_t v) { put_be(b, v, 8); }

void jks_builder_java_utf(jks_builder *b, const char *utf8)
{
    uint8_t *m = NULL;
    size_t n = 0;
    if (b->failed)
        return;
    if (!jks_mutf8_encode(utf8, strlen(utf8), &m, &n) || n > 0xFFFF) {
        free(m);
        b->failed = 1;
        return;
    }
    jks_builder_u16(b, (uint16_t)n);
    jks_builder_bytes(b, m, n);
    free(m);
}

static size_t der_len_bytes(size_t n)
{
    size_t k = 0;
    if (n < 0x80)
        return 0;
    while (n) {
        k++;
        n >>= 8;
    }
    return k;
}

size_t jks_der_size(size_t n) { return 2 + der_len_bytes(n) + n; }

static void der_length(uint8_t *o, size_t n)
{
    size_t k = der_len_bytes(n);
    if (!k) {
        o[0] = (uint8_t)n;
        return;
    }
    o[0] = (uint8_t)(0x80 | k);
    for (size_t i = k; i > 0; i--, n >>= 8)
        o[i] = (uint8_t)n;
}

void jks_builder_der_header(jks_builder *b, uint8_t tag, size_t n)
{
    uint8_t h[2 + sizeof(size_t)];
    h[0] = tag;
    der_length(h + 1, n);
    jks_builder_bytes(b, h, 2 + der_len_bytes(n));
}

void jks_builder_der(jks_builder *b, uint8_t tag, const void *p, size_t n)
{
    jks_builder_der_header(b, tag, n);
    jks_builder_bytes(b, p, n);
}

size_t jks_builder_der_open(jks_builder *b, uint8_t tag)
{
    jks_builder_u8(b, tag);
    jks_builder_u8(b, 0);
    return b->len; /* where the content starts */
}

void jks_builder_der_close(jks_builder *b, size_t mark)
{
    if (b->failed)
        return;
    size_t n = b->len - mark, k = der_len_bytes(n);
    if (k && !reserve(b, k))
        return;
    if (k)
        memmove(b->buf + mark + k, b->buf + mark, n);
    der_length(b->buf + mark - 1, n);
    b->len += k;
}

void jks_builder_der_uint(jks_builder *b, uint64_t v)
{
    uint8_t t[9];
    size_t k = 0;
    do {
        t[8 - k++] = (uint8_t)v;
        v >>= 8;
    } while (v);
    if (t[9 - k] & 0x80)
        t[8 - k++] = 0; /* stays positive */
    jks_builder_der(b, 0x02, t + 9 - k, k);
}

uint8_t *jks_builder_space(jks_builder *b, size_t n)
{
    if (!reserve(b, n))
        return NULL;
    b->len += n;
    return b->buf + b->len - n;
}

void jks_builder_cleanup(jks_builder *b)
{
    if (b->buf) {
        OPENSSL_cleanse(b->buf, b->cap);
        free(b->buf);
    }
    b->buf = NULL;
    b->len = b->cap = 0;
}

int jks_builder_finish(jks_builder *b, uint8_t **out, size_t *out_len)
{
    if (b->failed) {
        jks_builder_cleanup(b);
        return 0;
    }
    *out = b->buf;
    *out_len = b->len;
    b->buf = NULL;
    b->len = b->cap = 0;
    return 1;
}
