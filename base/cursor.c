/* Bounds-checked reading of big-endian integers, length-prefixed parts and
 * Java modified UTF-8 (FORMATS.md 0.1). The only file that indexes input. */
#include "cursor.h"

#include <stdlib.h>
#include <string.h>

void jks_cursor_init(jks_cursor *c, const uint8_t *data, size_t len)
{
    c->p = data;
    c->len = data ? len : 0;
    c->base = data;
}

size_t jks_cursor_offset(const jks_cursor *c) { return (size_t)(c->p - c->base); }
int jks_cursor_skip(jks_cursor *c, size_t n)
{
    if (n > c->len)
        return 0;
    c->p += n;
    c->len -= n;
    return 1;
}

static int get_be(jks_cursor *c, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    if (n > c->len)
        return 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | c->p[i];
    *out = v;
    c->p += n;
    c->len -= n;
    return 1;
}

int jks_cursor_u8(jks_cursor *c, uint8_t *out)
{
    uint64_t v;
    if (!get_be(c, 1, &v))
        return 0;
    *out = (uint8_t)v;
    return 1;
}

int jks_cursor_u16(jks_cursor *c, uint16_t *out)
{
    uint64_t v;
    if (!get_be(c, 2, &v))
        return 0;
    *out = (uint16_t)v;
    return 1;
}

int jks_cursor_u32(jks_cursor *c, uint32_t *out)
{
    uint64_t v;
    if (!get_be(c, 4, &v))
        return 0;
    *out = (uint32_t)v;
    return 1;
}

int jks_cursor_u64(jks_cursor *c, uint64_t *out) { return get_be(c, 8, out); }

int jks_cursor_peek(const jks_cursor *c, size_t n, const uint8_t **out)
{
    if (n > c->len)
        return 0;
    *out = c->p;
    return 1;
}

int jks_cursor_view(jks_cursor *c, size_t n, const uint8_t **out)
{
    if (n > c->len)
        return 0;
    *out = c->p;
    c->p += n;
    c->len -= n;
    return 1;
}

int jks_cursor_bytes(jks_cursor *c, size_t n, jks_cursor *child)
{
    const uint8_t *p;
    if (!jks_cursor_view(c, n, &p))
        return 0;
    child->p = p;
    child->len = n;
    child->base = c->base;
    return 1;
}

int jks_cursor_der_int64(jks_cursor *c, int64_t *out)
{
    jks_cursor save = *c, v;
    uint8_t b;
    uint64_t u;
    if (!jks_cursor_der_expect(c, 0x02, &v) || v.len == 0 || v.len > 8)
        goto fail;
    if (v.len > 1 && ((v.p[0] == 0 && !(v.p[1] & 0x80)) || (v.p[0] == 0xFF && (v.p[1] & 0x80))))
        goto fail; /* not minimal */
    u = (v.p[0] & 0x80) ? UINT64_MAX : 0;
    while (jks_cursor_u8(&v, &b))
        u = u << 8 | b;
    *out = (int64_t)u;
    return 1;
fail:
    *c = save;
    return 0;
}

int jks_cursor_der_bool(jks_cursor *c, int *out)
{
    jks_cursor save = *c, v;
    if (!jks_cursor_der_expect(c, 0x01, &v) || v.len != 1 || (v.p[0] != 0 && v.p[0] != 0xFF)) {
        *c = save;
        return 0;
    }
    *out = v.p[0] != 0;
    return 1;
}

int jks_cursor_u16_prefixed(jks_cursor *c, jks_cursor *child)
{
    jks_cursor save = *c;
    uint16_t n;
    if (!jks_cursor_u16(c, &n) || !jks_cursor_bytes(c, n, child)) {
        *c = save;
        return 0;
    }
    return 1;
}

int jks_cursor_u32_prefixed(jks_cursor *c, jks_cursor *child)
{
    jks_cursor save = *c;
    uint32_t n;
    if (!jks_cursor_u32(c, &n) || !jks_cursor_bytes(c, n, child)) {
        *c = save;
        return 0;
    }
    return 1;
}

int jks_cursor_copy(jks_cursor *c, void *out, size_t n)
{
    const uint8_t *p;
    if (!jks_cursor_view(c, n, &p))
        return 0;
    if (n)
        memcpy(out, p, n);
    return 1;
}

int jks_cursor_java_utf(jks_cursor *c, char **out, size_t *out_len)
{
    jks_cursor save = *c, s;
    if (!jks_cursor_u16_prefixed(c, &s))
        return 0;
    if (!jks_mutf8_decode(s.p, s.len, out, out_len)) {
        *c = save;
        return 0;
    }
    return 1;
}

/* Decode one modified-UTF-8 sequence to a UTF-16 code unit. */
static int mutf8_unit(const uint8_t *in, size_t len, size_t *i, uint32_t *u)
{
    uint8_t a = in[*i];
    if (a < 0x80) {
        if (a == 0)
            return 0; /* Java never writes a raw NUL; DataInputStream accepts it, we do too */
        *u = a;
        *i += 1;
        return 1;
    }
    if ((a & 0xE0) == 0xC0) {
        if (*i + 1 >= len || (in[*i + 1] & 0xC0) != 0x80)
            return -1;
        *u = ((uint32_t)(a & 0x1F) << 6) | (in[*i + 1] & 0x3F);
        *i += 2;
        return 1;
    }
    if ((a & 0xF0) == 0xE0) {
        if (*i + 2 >= len || (in[*i + 1] & 0xC0) != 0x80 || (in[*i + 2] & 0xC0) != 0x80)
            return -1;
        *u = ((uint32_t)(a & 0x0F) << 12) | ((uint32_t)(in[*i + 1] & 0x3F) << 6) |
             (in[*i + 2] & 0x3F);
        *i += 3;
        return 1;
    }
    return -1;
}

size_t jks_utf8_put(uint8_t *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (uint8_t)(0xC0 | (cp >> 6));
        o[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (uint8_t)(0xE0 | (cp >> 12));
        o[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (uint8_t)(0xF0 | (cp >> 18));
    o[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

int jks_mutf8_decode(const uint8_t *in, size_t len, char **out, size_t *out_len)
{
    /* U+0000 stays as C0 80 so the result is a C string (a raw NUL input
     * byte grows to 2); a 6-byte surrogate pair becomes 4 bytes. */
    uint8_t *o = malloc(len * 2 + 1);
    size_t i = 0, n = 0;
    if (!o)
        return 0;
    while (i < len) {
        uint32_t u;
        int r = mutf8_unit(in, len, &i, &u);
        if (r == 0) { /* raw NUL byte: accept as U+0000 like DataInputStream */
            u = 0;
            i++;
        } else if (r < 0) {
            free(o);
            return 0;
        }
        if (u >= 0xD800 && u <= 0xDBFF && i < len) {
            size_t j = i;
            uint32_t lo;
            if (mutf8_unit(in, len, &j, &lo) == 1 && lo >= 0xDC00 && lo <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                i = j;
            }
        }
        if (u == 0) {
            o[n++] = 0xC0;
            o[n++] = 0x80;
        } else {
            n += jks_utf8_put(o + n, u);
        }
    }
    o[n] = 0;
    *out = (char *)o;
    *out_len = n;
    return 1;
}

/* Decode one UTF-8 code point; returns bytes used, 0 when invalid. */
static size_t utf8_next(const uint8_t *s, size_t len, uint32_t *cp)
{
    uint8_t a = s[0];
    if (a < 0x80) {
        *cp = a;
        return 1;
    }
    if (a == 0xC0 && len >= 2 && s[1] == 0x80) { /* U+0000 as Java writes it */
        *cp = 0;
        return 2;
    }
    if (a >= 0xC2 && a <= 0xDF && len >= 2 && (s[1] & 0xC0) == 0x80) {
        *cp = ((uint32_t)(a & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if ((a & 0xF0) == 0xE0 && len >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
        uint32_t v = ((uint32_t)(a & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        if (v < 0x800)
            return 0;
        *cp = v; /* lone surrogates (CESU-style) are passed through */
        return 3;
    }
    if (a >= 0xF0 && a <= 0xF4 && len >= 4 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
        (s[3] & 0xC0) == 0x80) {
        uint32_t v = ((uint32_t)(a & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
                     ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        if (v < 0x10000 || v > 0x10FFFF)
            return 0;
        *cp = v;
        return 4;
    }
    return 0;
}

int jks_mutf8_encode(const char *in, size_t len, uint8_t **out, size_t *out_len)
{
    const uint8_t *s = (const uint8_t *)in;
    /* worst case: 1 byte -> 2 (NUL), 4 bytes -> 6 */
    uint8_t *o = malloc(len * 2 + 1);
    size_t i = 0, n = 0;
    if (!o)
        return 0;
    while (i < len) {
        uint32_t cp;
        size_t k = utf8_next(s + i, len - i, &cp);
        if (!k) {
            free(o);
            return 0;
        }
        i += k;
        if (cp == 0) {
            o[n++] = 0xC0;
            o[n++] = 0x80;
        } else if (cp >= 0x10000) {
            cp -= 0x10000;
            n += jks_utf8_put(o + n, 0xD800 + (cp >> 10));
            n += jks_utf8_put(o + n, 0xDC00 + (cp & 0x3FF));
        } else {
            n += jks_utf8_put(o + n, cp);
        }
    }
    *out = o;
    *out_len = n;
    return 1;
}

int jks_utf8_to_utf16be(const char *in, uint8_t **out, size_t *out_len)
{
    const uint8_t *s = (const uint8_t *)in;
    size_t len = strlen(in), i = 0, n = 0;
    uint8_t *o = malloc(len * 2 + 2);
    if (!o)
        return 0;
    while (i < len) {
        uint32_t cp;
        size_t k = utf8_next(s + i, len - i, &cp);
        if (!k) { /* not UTF-8: take the byte as Latin-1 */
            cp = s[i];
            k = 1;
        }
        i += k;
        if (cp >= 0x10000) {
            uint32_t v = cp - 0x10000, hi = 0xD800 + (v >> 10), lo = 0xDC00 + (v & 0x3FF);
            o[n++] = (uint8_t)(hi >> 8);
            o[n++] = (uint8_t)hi;
            o[n++] = (uint8_t)(lo >> 8);
            o[n++] = (uint8_t)lo;
        } else {
            o[n++] = (uint8_t)(cp >> 8);
            o[n++] = (uint8_t)cp;
        }
    }
    *out = o;
    *out_len = n;
    return 1;
}
