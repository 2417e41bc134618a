/* BER to DER at the edge (ber.h). One walker, two passes: the first only
 * looks (most input is DER already and is then not copied), the second
 * writes the DER copy through the builder. Nesting is bounded, so the work is
 * linear in the input (each level's content is moved at most once when its
 * length is patched in). */
#include "ber.h"
#include "builder.h"
#include "cursor.h"

#include <string.h>

#define MAX_DEPTH 64

typedef struct {
    uint8_t tag;
    int indef;       /* indefinite length: contents end at an end-of-contents */
    int der;         /* the length is in DER's shortest form */
    size_t len;      /* definite length */
} ber_hdr;

typedef struct {
    jks_builder *b;  /* NULL: the looking pass */
    int changed;     /* the looking pass met something DER forbids */
    size_t bad;      /* offset of the element at fault */
} ber_walk;

static int is_string(uint8_t tag) /* universal string types (X.690 8.23) */
{
    switch (tag) {
    case 0x04: /* OCTET STRING */
    case 0x0C: case 0x12: case 0x13: case 0x14: case 0x15: case 0x16: /* UTF8 .. IA5 */
    case 0x19: case 0x1A: case 0x1B: case 0x1C: case 0x1E: /* Graphic .. BMP */
        return 1;
    default: /* BIT STRING chunks are not joined (ambiguous, as BoringSSL) */
        return 0;
    }
}

static int header(jks_cursor *c, ber_hdr *h)
{
    uint8_t t, l;
    if (!jks_cursor_u8(c, &t) || (t & 0x1F) == 0x1F || !jks_cursor_u8(c, &l))
        return 0;
    h->tag = t;
    h->indef = 0;
    h->der = 1;
    if (l < 0x80) {
        h->len = l;
    } else if (l == 0x80) {
        if (!(t & 0x20))
            return 0; /* indefinite length needs a constructed element */
        h->indef = 1;
        h->der = 0;
        h->len = 0;
    } else {
        size_t k = l & 0x7F, v = 0;
        if (k > sizeof(size_t))
            return 0;
        for (size_t i = 0; i < k; i++) {
            uint8_t x;
            if (!jks_cursor_u8(c, &x))
                return 0;
            if (i == 0 && x == 0)
                h->der = 0; /* leading zero octet */
            v = v << 8 | x;
        }
        if (v < 0x80 || k > 4)
            h->der = 0; /* longer than needed (or more than jks_cursor_der reads) */
        h->len = v;
    }
    return 1;
}

static int element(ber_walk *w, jks_cursor *c, int depth, uint8_t string_tag);

/* An element claims more bytes than there are: walk what there is, so that
 * the error names the deepest element that runs past its end (for a cut
 * file: where the cut is, not the outermost SEQUENCE). */
static void cut_short(ber_walk *w, const jks_cursor *c, int depth, uint8_t string_tag)
{
    ber_walk look = *w;
    jks_cursor rest = *c;
    look.b = NULL;
    while (jks_cursor_remaining(&rest) && element(&look, &rest, depth + 1, string_tag))
        ;
    if (!w->bad)
        w->bad = look.bad;
}

/* The contents of one constructed element: up to the end of body (definite)
 * or to its end-of-contents in *c (indefinite). */
static int contents(ber_walk *w, jks_cursor *c, const ber_hdr *h, int depth, uint8_t string_tag)
{
    jks_cursor body;
    jks_cursor *in = c;
    if (!h->indef) {
        if (!jks_cursor_bytes(c, h->len, &body)) {
            cut_short(w, c, depth, string_tag);
            return 0;
        }
        in = &body;
    }
    for (;;) {
        const uint8_t *p;
        if (!h->indef && !jks_cursor_remaining(in))
            return 1;
        if (h->indef && jks_cursor_peek(in, 2, &p) && p[0] == 0 && p[1] == 0) {
            jks_cursor_skip(in, 2);
            return 1;
        }
        if (!element(w, in, depth + 1, string_tag))
            return 0;
    }
}

static int element(ber_walk *w, jks_cursor *c, int depth, uint8_t string_tag)
{
    size_t start = jks_cursor_offset(c);
    ber_hdr h;
    jks_cursor save = *c;
    if (depth > MAX_DEPTH || !header(c, &h) || (h.tag == 0 && !h.indef))
        goto bad; /* cut short, too deep, or an end-of-contents out of place */
    if (string_tag && (h.tag & ~0x20) != string_tag)
        goto bad; /* a chunk of a constructed string must be of its type */
    int cons = h.tag & 0x20;
    if (!cons) {
        const uint8_t *p;
        if (!jks_cursor_view(c, h.len, &p)) {
            const uint8_t *q;
            /* an OCTET STRING holding a SEQUENCE (PKCS#12's content): look in */
            if (h.tag == 0x04 && jks_cursor_peek(c, 1, &q) && q[0] == 0x30)
                cut_short(w, c, depth, 0);
            goto bad;
        }
        if (!h.der)
            w->changed = 1;
        if (w->b) {
            if (!string_tag)
                jks_builder_der_header(w->b, h.tag, h.len);
            jks_builder_bytes(w->b, p, h.len);
        }
        return 1;
    }
    if (!h.der)
        w->changed = 1;
    if (string_tag) { /* a constructed chunk: its chunks join the same string */
        if (!contents(w, c, &h, depth, string_tag))
            goto bad;
        return 1;
    }
    uint8_t inner = 0;
    if (!(h.tag & 0xC0) && is_string(h.tag & ~0x20)) {
        inner = h.tag & ~0x20;
        w->changed = 1;
    }
    size_t mark = 0;
    if (w->b)
        mark = jks_builder_der_open(w->b, inner ? inner : h.tag);
    if (!contents(w, c, &h, depth, inner))
        goto bad;
    if (w->b)
        jks_builder_der_close(w->b, mark);
    return 1;
bad:
    if (!w->bad)
        w->bad = start + 1; /* +1: 0 means unset */
    *c = save;
    return 0;
}

static int walk(ber_walk *w, const uint8_t *in, size_t len)
{
    jks_cursor c;
    jks_cursor_init(&c, in, len);
    while (jks_cursor_remaining(&c))
        if (!element(w, &c, 0, 0))
            return 0;
    return 1;
}

int jks_ber_to_der(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len,
                   size_t *bad_offset)
{
    ber_walk w;
    jks_builder b;
    *out = NULL;
    *out_len = 0;
    *bad_offset = 0;
    memset(&w, 0, sizeof(w));
    if (!walk(&w, in, len)) {
        *bad_offset = w.bad - 1;
        return 0;
    }
    if (!w.changed)
        return 1;
    jks_builder_init(&b, len);
    w.b = &b;
    if (!walk(&w, in, len)) { /* cannot happen: the first pass took it */
        jks_builder_cleanup(&b);
        *bad_offset = w.bad ? w.bad - 1 : 0;
        return 0;
    }
    return jks_builder_finish(&b, out, out_len) ? 1 : -1;
}

int jks_ber_element_size(const uint8_t *in, size_t len, size_t *size)
{
    ber_walk w;
    jks_cursor c;
    memset(&w, 0, sizeof(w));
    jks_cursor_init(&c, in, len);
    if (!element(&w, &c, 0, 0))
        return 0;
    *size = jks_cursor_offset(&c);
    return 1;
}
