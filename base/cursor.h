/* The byte cursor every parser reads through (style of BoringSSL's CBS).
 * A cursor is a view (pointer, remaining length) into a buffer it does not own.
 * Every getter returns 1 on success and 0 on failure; a failed read leaves the
 * cursor unchanged. Lengths read from input are checked against the bytes that
 * remain before anything is returned, so no caller allocates on a claim. */
#ifndef JKS_CURSOR_H
#define JKS_CURSOR_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const uint8_t *p;
    size_t len;
    const uint8_t *base; /* start of the whole input, for offsets in errors */
} jks_cursor;

void jks_cursor_init(jks_cursor *c, const uint8_t *data, size_t len);
/* Byte offset of the cursor from the start of the input it was made from. */
size_t jks_cursor_offset(const jks_cursor *c);
static inline size_t jks_cursor_remaining(const jks_cursor *c) { return c->len; }

int jks_cursor_skip(jks_cursor *c, size_t n);
int jks_cursor_u8(jks_cursor *c, uint8_t *out);
int jks_cursor_u16(jks_cursor *c, uint16_t *out);
int jks_cursor_u32(jks_cursor *c, uint32_t *out);
int jks_cursor_u64(jks_cursor *c, uint64_t *out);
/* Peek at the next n bytes without advancing. */
int jks_cursor_peek(const jks_cursor *c, size_t n, const uint8_t **out);
/* A child view of the next n bytes; the cursor moves past them. */
int jks_cursor_bytes(jks_cursor *c, size_t n, jks_cursor *child);
/* The next n bytes as a pointer into the input. */
int jks_cursor_view(jks_cursor *c, size_t n, const uint8_t **out);
int jks_cursor_u16_prefixed(jks_cursor *c, jks_cursor *child);
int jks_cursor_u32_prefixed(jks_cursor *c, jks_cursor *child);
/* Copy n bytes out. */
int jks_cursor_copy(jks_cursor *c, void *out, size_t n);
/* One DER element: *tag gets the identifier octet (low tag numbers only, as
 * in every structure libjks reads), *content a view of the contents. Only
 * definite lengths in their shortest form (at most 4 length octets) are
 * accepted, as DER requires. Inline: the hot path of every DER reader. */
static inline int jks_cursor_der(jks_cursor *c, uint8_t *tag, jks_cursor *content)
{
    /* one pass over the header bytes; nothing moves unless the whole
     * element is there (a failure empties *content) */
    const uint8_t *p = c->p;
    size_t left = c->len, h = 2, n = 0;
    if (left < 2 || (p[0] & 0x1F) == 0x1F)
        goto fail;
    if (p[1] < 0x80) {
        n = p[1];
    } else {
        size_t k = p[1] & 0x7F;
        /* indefinite, more than 4 GiB, or a leading zero length octet */
        if (k == 0 || k > 4 || left - 2 < k || p[2] == 0)
            goto fail;
        for (size_t i = 0; i < k; i++)
            n = n << 8 | p[2 + i];
        if (n < 0x80)
            goto fail; /* not the shortest form */
        h += k;
    }
    if (n > left - h)
        goto fail;
    content->p = p + h;
    content->len = n;
    content->base = c->base;
    *tag = p[0];
    c->p = p + h + n;
    c->len = left - h - n;
    return 1;
fail:
    content->p = NULL;
    content->len = 0;
    content->base = c->base;
    return 0;
}
/* One DER element that must carry tag want; *content its contents. */
static inline int jks_cursor_der_expect(jks_cursor *c, uint8_t want, jks_cursor *content)
{
    uint8_t tag;
    if (c->len < 2 || c->p[0] != want) { /* the common miss (an absent OPTIONAL) */
        content->p = NULL;
        content->len = 0;
        content->base = c->base;
        return 0;
    }
    return jks_cursor_der(c, &tag, content); /* moves nothing on failure */
}
/* One DER element as a whole (identifier, length and contents) in *element,
 * its tag in *tag (either may be NULL): the exact bytes to hand to d2i. */
static inline int jks_cursor_der_element(jks_cursor *c, uint8_t *tag, jks_cursor *element)
{
    const uint8_t *start = c->p;
    uint8_t t;
    jks_cursor body;
    if (!jks_cursor_der(c, &t, &body)) {
        *element = body;
        return 0;
    }
    if (tag)
        *tag = t;
    element->p = start;
    element->len = (size_t)(c->p - start);
    element->base = c->base;
    return 1;
}
/* The identifier octet of the next element, without moving (0 at the end). */
static inline int jks_cursor_der_peek_tag(const jks_cursor *c, uint8_t *tag)
{
    if (!c->len)
        return 0;
    *tag = c->p[0];
    return 1;
}
/* An OPTIONAL element: when the next element carries tag want it is read
 * into *content and *present is 1; otherwise nothing moves and *present is 0.
 * Fails only on a malformed element with that tag. */
static inline int jks_cursor_der_optional(jks_cursor *c, uint8_t want, jks_cursor *content, int *present)
{
    *present = 0;
    if (!c->len || c->p[0] != want) {
        content->p = NULL;
        content->len = 0;
        content->base = c->base;
        return 1;
    }
    if (!jks_cursor_der_expect(c, want, content))
        return 0;
    *present = 1;
    return 1;
}
/* A DER INTEGER that fits in int64_t (minimal encoding required). */
int jks_cursor_der_int64(jks_cursor *c, int64_t *out);
/* A DER BOOLEAN (0x00 or 0xFF). */
int jks_cursor_der_bool(jks_cursor *c, int *out);

/* A Java DataOutputStream.writeUTF string: u16 length + modified UTF-8.
 * Decodes into standard UTF-8 (C0 80 becomes U+0000 and is rejected when
 * allow_nul is 0; surrogate pairs join into one 4-byte sequence; a lone
 * surrogate is kept as its 3-byte form). *out is a new NUL-terminated
 * string (free with free()), *out_len its byte length. */
int jks_cursor_java_utf(jks_cursor *c, char **out, size_t *out_len);

/* Modified UTF-8 of a u16 length-prefixed payload, without the prefix. */
int jks_mutf8_decode(const uint8_t *in, size_t len, char **out, size_t *out_len);
/* Encode UTF-8 into modified UTF-8 (no length prefix). Returns 0 on invalid
 * UTF-8. *out malloc'd. */
int jks_mutf8_encode(const char *in, size_t len, uint8_t **out, size_t *out_len);

/* Write one code point as UTF-8 (1 to 4 bytes) at o; returns the length. */
size_t jks_utf8_put(uint8_t *o, uint32_t cp);

/* UTF-8 to UTF-16BE code units (for Java password bytes). Invalid UTF-8
 * bytes are taken as Latin-1 (each one a code unit). *out malloc'd; caller
 * wipes it. */
int jks_utf8_to_utf16be(const char *in, uint8_t **out, size_t *out_len);

#endif
