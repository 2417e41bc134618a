/* Certificate facts in one pass by libjks's own DER reader (base/cursor.h):
 * names formatted as X509_NAME_print_ex does with the flags keytool's style
 * needs, serial as OpenSSL's ASN1_INTEGER magnitude, times as
 * ASN1_TIME_to_tm + timegm, key facts from the SubjectPublicKeyInfo,
 * extensions as ossl_x509v3_cache_extensions reads them. No X509 object.
 * Object identifiers get their names from OpenSSL's object table (a cheap
 * table look-up, no decoding). Whatever this reader does not take (BER,
 * strings it cannot prove OpenSSL prints the same way, unknown key types,
 * malformed extensions) returns 0 and the caller falls back to OpenSSL. */
#include "certfacts.h"
#include "builder.h"
#include "digest.h"

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/param_build.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* ---- object identifiers ---- */

typedef struct {
    int nid;
    int bits; /* EC curves: order bits (EVP_PKEY_get_bits) */
    const unsigned char *der;
    int len;
} oid_ent;

static oid_ent oids[] = {
    {NID_commonName, 0, 0, 0}, {NID_countryName, 0, 0, 0}, {NID_localityName, 0, 0, 0},
    {NID_stateOrProvinceName, 0, 0, 0}, {NID_organizationName, 0, 0, 0},
    {NID_organizationalUnitName, 0, 0, 0}, {NID_serialNumber, 0, 0, 0},
    {NID_streetAddress, 0, 0, 0}, {NID_title, 0, 0, 0}, {NID_givenName, 0, 0, 0},
    {NID_surname, 0, 0, 0}, {NID_pkcs9_emailAddress, 0, 0, 0}, {NID_domainComponent, 0, 0, 0},
    {NID_userId, 0, 0, 0}, {NID_initials, 0, 0, 0}, {NID_postalCode, 0, 0, 0},
    {NID_organizationIdentifier, 0, 0, 0}, {NID_businessCategory, 0, 0, 0},
    {NID_jurisdictionCountryName, 0, 0, 0}, {NID_jurisdictionStateOrProvinceName, 0, 0, 0},
    {NID_jurisdictionLocalityName, 0, 0, 0}, {NID_dnQualifier, 0, 0, 0}, {NID_pseudonym, 0, 0, 0},
    {NID_generationQualifier, 0, 0, 0}, {NID_description, 0, 0, 0}, {NID_name, 0, 0, 0},
    /* signature algorithms */
    {NID_sha1WithRSAEncryption, 0, 0, 0}, {NID_sha256WithRSAEncryption, 0, 0, 0},
    {NID_sha384WithRSAEncryption, 0, 0, 0}, {NID_sha512WithRSAEncryption, 0, 0, 0},
    {NID_sha224WithRSAEncryption, 0, 0, 0}, {NID_md5WithRSAEncryption, 0, 0, 0},
    {NID_md2WithRSAEncryption, 0, 0, 0}, {NID_rsassaPss, 0, 0, 0},
    {NID_ecdsa_with_SHA1, 0, 0, 0}, {NID_ecdsa_with_SHA224, 0, 0, 0},
    {NID_ecdsa_with_SHA256, 0, 0, 0}, {NID_ecdsa_with_SHA384, 0, 0, 0},
    {NID_ecdsa_with_SHA512, 0, 0, 0}, {NID_dsaWithSHA1, 0, 0, 0}, {NID_dsa_with_SHA224, 0, 0, 0},
    {NID_dsa_with_SHA256, 0, 0, 0}, {NID_ED25519, 0, 0, 0}, {NID_ED448, 0, 0, 0},
    /* key algorithms */
    {NID_rsaEncryption, 0, 0, 0}, {NID_X9_62_id_ecPublicKey, 0, 0, 0}, {NID_dsa, 0, 0, 0},
    {NID_X25519, 0, 0, 0}, {NID_X448, 0, 0, 0},
    /* named curves (bits = order bits) */
    {NID_X9_62_prime256v1, 256, 0, 0}, {NID_secp384r1, 384, 0, 0}, {NID_secp521r1, 521, 0, 0},
    {NID_secp224r1, 224, 0, 0}, {NID_X9_62_prime192v1, 192, 0, 0}, {NID_secp256k1, 256, 0, 0},
    {NID_brainpoolP256r1, 256, 0, 0}, {NID_brainpoolP384r1, 384, 0, 0},
    {NID_brainpoolP512r1, 512, 0, 0},
    /* extensions */
    {NID_basic_constraints, 0, 0, 0}, {NID_key_usage, 0, 0, 0}, {NID_ext_key_usage, 0, 0, 0},
    {NID_subject_alt_name, 0, 0, 0}, {NID_subject_key_identifier, 0, 0, 0},
    {NID_authority_key_identifier, 0, 0, 0}, {NID_certificate_policies, 0, 0, 0},
    {NID_crl_distribution_points, 0, 0, 0}, {NID_info_access, 0, 0, 0},
    {NID_proxyCertInfo, 0, 0, 0}, {NID_netscape_cert_type, 0, 0, 0}, {NID_name_constraints, 0, 0, 0},
#ifndef OPENSSL_NO_RFC3779
    {NID_sbgp_ipAddrBlock, 0, 0, 0}, {NID_sbgp_autonomousSysNum, 0, 0, 0},
#endif
    /* extended key usages */
    {NID_server_auth, 0, 0, 0}, {NID_client_auth, 0, 0, 0}, {NID_code_sign, 0, 0, 0},
    {NID_email_protect, 0, 0, 0}, {NID_time_stamp, 0, 0, 0}, {NID_OCSP_sign, 0, 0, 0},
    {NID_anyExtendedKeyUsage, 0, 0, 0},
};
#define N_OIDS (sizeof(oids) / sizeof(oids[0]))

/* The table hashed by length and last two octets (oids_init fills it):
 * every AVA, extension and algorithm of a certificate is looked up. */
#define OID_SLOTS 256
static unsigned short oid_slot[OID_SLOTS]; /* index + 1 of the first entry, 0 empty */
static unsigned short oid_next[N_OIDS];    /* index + 1 of the next in the slot */

static unsigned oid_hash(const unsigned char *d, size_t len)
{
    return (unsigned)(len * 31u + d[len - 1] * 7u + (len > 1 ? d[len - 2] : 0)) % OID_SLOTS;
}

static pthread_once_t oids_once = PTHREAD_ONCE_INIT;

static void oids_init(void)
{
    for (size_t i = 0; i < N_OIDS; i++) {
        const ASN1_OBJECT *o = OBJ_nid2obj(oids[i].nid);
        if (o && OBJ_length(o) > 0) {
            oids[i].der = OBJ_get0_data(o);
            oids[i].len = (int)OBJ_length(o);
        }
    }
    /* in table order within a slot, so a duplicate OID finds its first entry */
    for (size_t i = N_OIDS; i-- > 0;) {
        if (!oids[i].der)
            continue;
        unsigned h = oid_hash(oids[i].der, (size_t)oids[i].len);
        oid_next[i] = oid_slot[h];
        oid_slot[h] = (unsigned short)(i + 1);
    }
}

/* An OBJECT IDENTIFIER's contents as d2i_ASN1_OBJECT accepts them: not
 * empty, no subidentifier starting with 0x80, the last octet ending one. */
static int oid_ok(jks_cursor o)
{
    if (o.len == 0 || (o.p[o.len - 1] & 0x80))
        return 0;
    for (size_t i = 0; i < o.len; i++)
        if (o.p[i] == 0x80 && (i == 0 || !(o.p[i - 1] & 0x80)))
            return 0;
    return 1;
}

/* An AlgorithmIdentifier's parameters (ASN.1 ANY) of a kind whose OpenSSL
 * decoding is certain to succeed: NULL, an OID, a minimal INTEGER, a
 * BOOLEAN, a SEQUENCE or SET. Anything else goes to OpenSSL. */
static int any_ok(uint8_t tag, jks_cursor v)
{
    switch (tag) {
    case 0x05: return v.len == 0;
    case 0x01: return v.len == 1;
    case 0x30: case 0x31: return 1;
    case 0x06: return oid_ok(v);
    case 0x02:
        return v.len == 1 || (v.len > 1 && !(v.p[0] == 0 && !(v.p[1] & 0x80)) &&
                              !(v.p[0] == 0xFF && (v.p[1] & 0x80)));
    default: return 0;
    }
}


static int read_oid(jks_cursor *c, jks_cursor *o)
{
    return jks_cursor_der_expect(c, 0x06, o) && oid_ok(*o);
}

/* The contents of a whole element (as jks_cursor_der_element gives it) that
 * must carry tag want. */
static int der_inside(jks_cursor el, uint8_t want, jks_cursor *content)
{
    return jks_cursor_der_expect(&el, want, content) && !jks_cursor_remaining(&el);
}

static const oid_ent *oid_find(jks_cursor o)
{
    if (!o.len)
        return NULL;
    for (unsigned i = oid_slot[oid_hash(o.p, o.len)]; i; i = oid_next[i - 1]) {
        const oid_ent *e = &oids[i - 1];
        if (e->len == (int)o.len && !memcmp(e->der, o.p, o.len))
            return e;
    }
    return NULL;
}

/* NIST's post-quantum algorithms (FIPS 203/204/205), which Java 24 and later
 * generate (keytool -keyalg ML-DSA-65) and OpenSSL before 3.5 does not know:
 * their names as Java gives them, from the OID alone. NULL for other OIDs. */
const char *jks_certfacts_pq_name(const uint8_t *oid, size_t len)
{
    static const uint8_t nist[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04};
    static const char *const sigs[] = {
        "ML-DSA-44", "ML-DSA-65", "ML-DSA-87", "SLH-DSA-SHA2-128s", "SLH-DSA-SHA2-128f",
        "SLH-DSA-SHA2-192s", "SLH-DSA-SHA2-192f", "SLH-DSA-SHA2-256s", "SLH-DSA-SHA2-256f",
        "SLH-DSA-SHAKE-128s", "SLH-DSA-SHAKE-128f", "SLH-DSA-SHAKE-192s", "SLH-DSA-SHAKE-192f",
        "SLH-DSA-SHAKE-256s", "SLH-DSA-SHAKE-256f"};
    static const char *const kems[] = {"ML-KEM-512", "ML-KEM-768", "ML-KEM-1024"};
    if (len != sizeof nist + 2 || memcmp(oid, nist, sizeof nist))
        return NULL;
    uint8_t arc = oid[sizeof nist], n = oid[sizeof nist + 1];
    if (arc == 3 && n >= 17 && n < 17 + sizeof sigs / sizeof *sigs)
        return sigs[n - 17]; /* sigAlgs 17..31 */
    if (arc == 4 && n >= 1 && n <= 3)
        return kems[n - 1]; /* kems 1..3 */
    return NULL;
}

/* OpenSSL's nid of an OID (content octets), NID_undef when it has none; the
 * table first, OpenSSL's own look-up for the rest. obj (may be NULL) gets
 * the decoded object when the table did not know it (caller frees). */
static int oid_nid(jks_cursor o, ASN1_OBJECT **obj)
{
    const oid_ent *e = oid_find(o);
    if (obj)
        *obj = NULL;
    if (e)
        return e->nid;
    if (o.len == 0 || o.len > 1024)
        return NID_undef;
    unsigned char el[1030];
    size_t h = 0;
    el[h++] = 0x06;
    if (o.len < 0x80) {
        el[h++] = (unsigned char)o.len;
    } else if (o.len < 0x100) {
        el[h++] = 0x81;
        el[h++] = (unsigned char)o.len;
    } else {
        el[h++] = 0x82;
        el[h++] = (unsigned char)(o.len >> 8);
        el[h++] = (unsigned char)o.len;
    }
    memcpy(el + h, o.p, o.len);
    const unsigned char *p = el;
    ASN1_OBJECT *a = d2i_ASN1_OBJECT(NULL, &p, (long)(h + o.len));
    if (!a) {
        ERR_clear_error();
        return -1; /* malformed */
    }
    int nid = OBJ_obj2nid(a);
    if (obj)
        *obj = a;
    else
        ASN1_OBJECT_free(a);
    return nid;
}

/* ---- bounded output ---- */

typedef struct {
    char *o;
    size_t cap, n; /* n counts every byte offered; at most cap-1 are kept */
} sbuf;

static void sb_put(sbuf *b, char ch)
{
    if (b->n + 1 < b->cap)
        b->o[b->n] = ch;
    b->n++;
}

/* n bytes at once: what fits is copied, every byte is counted */
static void sb_mem(sbuf *b, const void *s, size_t n)
{
    if (b->n + 1 < b->cap) {
        size_t room = b->cap - 1 - b->n;
        memcpy(b->o + b->n, s, n < room ? n : room);
    }
    b->n += n;
}

static void sb_str(sbuf *b, const char *s)
{
    sb_mem(b, s, strlen(s));
}

static void sb_end(sbuf *b)
{
    if (b->cap)
        b->o[b->n + 1 < b->cap ? b->n : b->cap - 1] = 0;
}

/* snprintf(out, cap, "%s", s) without the format machinery (the facts of
 * every certificate of a store copy a few names each) */
static void copy_str(char *out, size_t cap, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (!cap)
        return;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, s ? s : "", n);
    out[n] = 0;
}

static const char HEXU[] = "0123456789ABCDEF";
static const char HEXL[] = "0123456789abcdef";

static void hex_lower(const uint8_t *d, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 2 < cap; i++) {
        out[k++] = HEXL[d[i] >> 4];
        out[k++] = HEXL[d[i] & 15];
    }
    out[k] = 0;
}

/* ---- names (X509_NAME_print_ex, XN_FLAG_RFC2253 without ESC_MSB, ", " and " + ") ---- */

/* OpenSSL's char_type bits for ASCII under the flags used: 1 = RFC 2253
 * special (backslash), 2 = control (\XX), 0x20 = escaped first, 0x40 =
 * escaped last. */
static const unsigned char ESC_TYPE[128] = {
    ['"'] = 1, ['+'] = 1, [','] = 1, [';'] = 1, ['<'] = 1, ['>'] = 1, ['\\'] = 1,
    [' '] = 0x60, ['#'] = 0x20,
};

static unsigned char esc_type(uint8_t c)
{
    if (c < 0x20 || c == 0x7F)
        return 2;
    return c < 0x80 ? ESC_TYPE[c] : 0;
}

static void esc_byte(sbuf *b, uint8_t c, unsigned orflags)
{
    if (c > 0x7F) { /* no ESC_MSB: UTF-8 bytes pass */
        sb_put(b, (char)c);
        return;
    }
    unsigned t = esc_type(c) & (1u | 2u | orflags);
    if (t & (1u | 0x20u | 0x40u)) {
        sb_put(b, '\\');
        sb_put(b, (char)c);
    } else if (t & 2u) {
        sb_put(b, '\\');
        sb_put(b, HEXU[c >> 4]);
        sb_put(b, HEXU[c & 15]);
    } else {
        sb_put(b, (char)c);
    }
}

/* Strict UTF-8 decode of one code point (no overlongs, no surrogates). */
static size_t utf8_dec(const uint8_t *s, size_t n, uint32_t *cp)
{
    uint8_t c = s[0];
    size_t k;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        k = 2, v = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        k = 3, v = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        k = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < k)
        return 0;
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return k;
}

static size_t utf8_enc(uint8_t *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (uint8_t)(0xC0 | cp >> 6);
        o[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (uint8_t)(0xE0 | cp >> 12);
        o[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (uint8_t)(0xF0 | cp >> 18);
    o[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

/* One attribute value. Returns 0 for what this reader leaves to OpenSSL. */
static int name_value(sbuf *b, uint8_t tag, jks_cursor v, jks_cursor whole, int dump)
{
    size_t width;
    if (dump || tag == 0x30) {
        if (tag != 0x30 && !(tag == 0x0C || tag == 0x12 || tag == 0x13 || tag == 0x14 ||
                             tag == 0x16 || tag == 0x1C || tag == 0x1E))
            return 0;
        /* OpenSSL converts every string of a name to UTF-8 when it decodes
         * it (x509_name_canon), also those it prints as #hex: a string that
         * does not convert fails the whole certificate there */
        if (tag != 0x30) {
            sbuf scratch = {NULL, 0, 0};
            if (!name_value(&scratch, tag, v, whole, 0))
                return 0;
        }
        sb_put(b, '#');
        for (size_t i = 0; i < whole.len; i++) {
            sb_put(b, HEXU[whole.p[i] >> 4]);
            sb_put(b, HEXU[whole.p[i] & 15]);
        }
        return 1;
    }
    switch (tag) {
    case 0x0C: width = 0; break;                                    /* UTF8String */
    case 0x12: case 0x13: case 0x14: case 0x16: width = 1; break;   /* Numeric, Printable, T61, IA5 */
    case 0x1E: width = 2; break;                                    /* BMPString */
    case 0x1C: width = 4; break;                                    /* UniversalString */
    default: return 0;
    }
    if (width > 1 && v.len % width)
        return 0;
    const uint8_t *p = v.p, *q = v.p + v.len;
    while (p < q) {
        if (width <= 1 && p > v.p) {
            /* the common case in bulk: a run of printable ASCII without
             * RFC 2253 specials, neither first nor last (where a space or
             * '#' is escaped), is copied as it is */
            const uint8_t *r = p;
            while (r + 1 < q && *r >= 0x20 && *r < 0x7F && !(ESC_TYPE[*r] & 1u))
                r++;
            if (r > p) {
                sb_mem(b, p, (size_t)(r - p));
                p = r;
                continue;
            }
        }
        unsigned orf = p == v.p ? 0x20u : 0;
        uint32_t cp;
        size_t k;
        if (width == 0) {
            if (!(k = utf8_dec(p, (size_t)(q - p), &cp)))
                return 0;
            /* UTF8String: printed byte by byte as it is */
            if (p + k == q)
                orf = 0x40u;
            for (size_t i = 0; i < k; i++)
                esc_byte(b, p[i], orf);
            p += k;
            continue;
        }
        if (width == 1) {
            cp = *p++;
        } else if (width == 2) {
            cp = (uint32_t)p[0] << 8 | p[1];
            p += 2;
            if (cp >= 0xD800 && cp <= 0xDFFF)
                return 0;
        } else {
            cp = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
            p += 4;
            if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                return 0;
        }
        if (p == q)
            orf = 0x40u;
        uint8_t u[4];
        k = utf8_enc(u, cp);
        for (size_t i = 0; i < k; i++)
            esc_byte(b, u[i], orf);
    }
    return 1;
}

#define MAX_AVAS 64

int jks_certfacts_name(jks_cursor name, char *out, size_t cap)
{
    struct {
        jks_cursor oid, val, whole;
        uint8_t tag;
        int set;
    } ava[MAX_AVAS];
    size_t n = 0;
    int set = 0;
    sbuf b = {out, cap, 0};
    pthread_once(&oids_once, oids_init);
    while (jks_cursor_remaining(&name)) {
        jks_cursor rdn, atv;
        if (!jks_cursor_der_expect(&name, 0x31, &rdn) || !jks_cursor_remaining(&rdn))
            return 0;
        while (jks_cursor_remaining(&rdn)) {
            if (n == MAX_AVAS || !jks_cursor_der_expect(&rdn, 0x30, &atv) ||
                !read_oid(&atv, &ava[n].oid) ||
                !jks_cursor_der_element(&atv, &ava[n].tag, &ava[n].whole) ||
                jks_cursor_remaining(&atv))
                return 0;
            jks_cursor w = ava[n].whole;
            uint8_t t;
            jks_cursor_der(&w, &t, &ava[n].val);
            ava[n].set = set;
            n++;
        }
        set++;
    }
    for (size_t i = n; i-- > 0;) {
        ASN1_OBJECT *obj = NULL;
        int nid = oid_nid(ava[i].oid, &obj);
        if (nid < 0)
            return 0;
        if (i + 1 < n)
            sb_str(&b, ava[i].set == ava[i + 1].set ? " + " : ", ");
        if (nid != NID_undef) {
            const char *sn = OBJ_nid2sn(nid);
            ASN1_OBJECT_free(obj);
            if (!sn)
                return 0;
            sb_str(&b, sn);
        } else {
            char t[128];
            int r = obj ? OBJ_obj2txt(t, sizeof t, obj, 1) : -1;
            ASN1_OBJECT_free(obj);
            if (r <= 0 || r >= (int)sizeof t)
                return 0;
            sb_str(&b, t);
        }
        sb_put(&b, '=');
        if (!name_value(&b, ava[i].tag, ava[i].val, ava[i].whole, nid == NID_undef))
            return 0;
    }
    sb_end(&b);
    return 1;
}

/* ---- times ---- */

static int digits(const uint8_t *p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return 0;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return 1;
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ, exactly. */
static int read_time(jks_cursor *c, int64_t *out)
{
    uint8_t tag;
    jks_cursor v;
    int y, mo, d, h, mi, s, off;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!jks_cursor_der(c, &tag, &v))
        return 0;
    if (tag == 0x17 && v.len == 13) {
        if (!digits(v.p, 2, &y))
            return 0;
        y += y < 50 ? 2000 : 1900;
        off = 2;
    } else if (tag == 0x18 && v.len == 15) {
        if (!digits(v.p, 4, &y))
            return 0;
        off = 4;
    } else {
        return 0;
    }
    if (v.p[v.len - 1] != 'Z' || !digits(v.p + off, 2, &mo) || !digits(v.p + off + 2, 2, &d) ||
        !digits(v.p + off + 4, 2, &h) || !digits(v.p + off + 6, 2, &mi) ||
        !digits(v.p + off + 8, 2, &s))
        return 0;
    if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59)
        return 0;
    int md = mdays[mo - 1] + (mo == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0));
    if (d > md)
        return 0;
    *out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + s;
    return 1;
}

/* ---- serial (ASN1_INTEGER's magnitude, as c2i_ASN1_INTEGER stores it) ---- */

static int read_serial(jks_cursor *c, char *out, size_t cap)
{
    jks_cursor v;
    uint8_t mag[64];
    if (!jks_cursor_der_expect(c, 0x02, &v) || v.len == 0)
        return 0;
    const uint8_t *p = v.p;
    size_t n = v.len;
    int neg = p[0] & 0x80;
    if (n > 1) {
        int pad = 0;
        if (p[0] == 0) {
            pad = 1;
        } else if (p[0] == 0xFF) {
            for (size_t i = 1; i < n; i++)
                pad |= p[i];
            pad = pad != 0;
        }
        if (pad && (neg == (p[1] & 0x80)))
            return 0; /* OpenSSL: illegal padding */
        p += pad;
        n -= pad;
    }
    /* the first 64 bytes of the magnitude (two's complement for negatives) */
    size_t keep = n < 64 ? n : 64;
    unsigned carry = neg ? 1 : 0;
    uint8_t padb = neg ? 0xFF : 0;
    for (size_t i = n; i-- > 0;) {
        unsigned x = (unsigned)(p[i] ^ padb) + carry;
        carry = x >> 8;
        if (i < keep)
            mag[i] = (uint8_t)x;
    }
    hex_lower(mag, keep, out, cap);
    return 1;
}

/* ---- SubjectPublicKeyInfo ---- */

static size_t uint_bits(jks_cursor v) /* a DER INTEGER's content as unsigned */
{
    const uint8_t *p = v.p;
    size_t n = v.len;
    while (n && !*p)
        p++, n--;
    if (!n)
        return 0;
    size_t b = n * 8;
    for (uint8_t m = 0x80; !(*p & m); m >>= 1)
        b--;
    return b;
}

static int positive_int(jks_cursor *c, jks_cursor *v)
{
    if (!jks_cursor_der_expect(c, 0x02, v) || v->len == 0 || (v->p[0] & 0x80))
        return 0;
    if (v->len > 1 && v->p[0] == 0 && !(v->p[1] & 0x80))
        return 0;
    return 1;
}

/* Key algorithm, bits and curve: 1 read; 0 a key type left to OpenSSL's key
 * decoder; -1 malformed or not taken (the whole certificate goes to OpenSSL). */
static int read_spki(jks_cursor spki, jks_cert_info *info)
{
    jks_cursor alg, oid, bits, params;
    uint8_t ptag = 0;
    int have_params = 0;
    if (!jks_cursor_der_expect(&spki, 0x30, &alg) || !read_oid(&alg, &oid) ||
        !jks_cursor_der_expect(&spki, 0x03, &bits) || jks_cursor_remaining(&spki) ||
        bits.len < 1 || bits.p[0] > 7)
        return -1;
    if (jks_cursor_remaining(&alg)) {
        if (!jks_cursor_der(&alg, &ptag, &params) || jks_cursor_remaining(&alg) ||
            !any_ok(ptag, params))
            return -1;
        have_params = 1;
    }
    jks_cursor key = bits;
    jks_cursor_skip(&key, 1);
    const char *pq = jks_certfacts_pq_name(oid.p, oid.len);
    if (pq) { /* named by its parameter set, as keytool does ("ML-DSA-65 key"); no size */
        if (have_params || bits.p[0] != 0 || !key.len)
            return -1;
        copy_str(info->key_algorithm, sizeof(info->key_algorithm), pq);
        info->key_bits = 0;
        return 1;
    }
    const oid_ent *e = oid_find(oid);
    if (!e)
        return 0; /* a key type this reader does not know: OpenSSL's key facts */
    if (bits.p[0] != 0)
        return -1;
    const char *name = NULL;
    int nbits = 0;
    switch (e->nid) {
    case NID_rsaEncryption:
    case NID_rsassaPss: {
        jks_cursor seq, n, x;
        if (e->nid == NID_rsaEncryption && !(have_params && ptag == 0x05 && params.len == 0))
            return -1;
        if (e->nid == NID_rsassaPss && have_params && ptag != 0x30)
            return -1;
        if (e->nid == NID_rsassaPss && have_params)
            return -1; /* parameters: OpenSSL checks them, leave it to OpenSSL */
        if (!jks_cursor_der_expect(&key, 0x30, &seq) || jks_cursor_remaining(&key) ||
            !positive_int(&seq, &n) || !positive_int(&seq, &x) || jks_cursor_remaining(&seq))
            return -1;
        nbits = (int)uint_bits(n);
        if (nbits < 512 || uint_bits(x) == 0)
            return -1;
        name = e->nid == NID_rsaEncryption ? "RSA" : "RSASSA-PSS";
        break;
    }
    case NID_X9_62_id_ecPublicKey: {
        if (!have_params || ptag != 0x06)
            return -1;
        const oid_ent *cv = oid_find(params);
        if (!cv || !cv->bits)
            return -1;
        int fb = (cv->bits + 7) / 8; /* field bytes = order bytes for these curves */
        if (key.len != (size_t)(1 + 2 * fb) || key.p[0] != 0x04)
            return -1; /* compressed or odd points: OpenSSL decides */
        name = "EC";
        nbits = cv->bits;
        copy_str(info->key_curve, sizeof(info->key_curve), OBJ_nid2sn(cv->nid));
        break;
    }
    case NID_ED25519: case NID_X25519:
        if (have_params || key.len != 32)
            return -1;
        name = e->nid == NID_ED25519 ? "Ed25519" : "X25519";
        nbits = 255;
        break;
    case NID_ED448: case NID_X448:
        if (have_params || key.len != (e->nid == NID_ED448 ? 57u : 56u))
            return -1;
        name = e->nid == NID_ED448 ? "Ed448" : "X448";
        nbits = 448;
        break;
    case NID_dsa: {
        jks_cursor pqg, p, q, g, y;
        if (!have_params || ptag != 0x30 || !positive_int(&params, &p) ||
            !positive_int(&params, &q) || !positive_int(&params, &g) ||
            jks_cursor_remaining(&params) || !positive_int(&key, &y) || jks_cursor_remaining(&key))
            return -1;
        (void)pqg;
        nbits = (int)uint_bits(p);
        if (!nbits)
            return -1;
        name = "DSA";
        break;
    }
    default:
        return 0;
    }
    copy_str(info->key_algorithm, sizeof(info->key_algorithm), name);
    info->key_bits = nbits;
    return 1;
}

/* ---- extensions ---- */

static void list_add(sbuf *b, const char *s)
{
    if (b->n)
        sb_str(b, ", ");
    sb_str(b, s);
}

static int oid_text(jks_cursor o, char *t, size_t cap)
{
    ASN1_OBJECT *obj = NULL;
    int nid = oid_nid(o, &obj);
    if (nid < 0)
        return 0;
    if (nid != NID_undef) {
        ASN1_OBJECT_free(obj);
        copy_str(t, cap, OBJ_nid2sn(nid));
        return 1;
    }
    int r = obj ? OBJ_obj2txt(t, (int)cap, obj, 1) : -1;
    ASN1_OBJECT_free(obj);
    return r > 0 && (size_t)r < cap;
}

static void san_value(sbuf *b, const char *prefix, jks_cursor v)
{
    sb_str(b, prefix);
    for (size_t i = 0; i < v.len; i++)
        sb_put(b, v.p[i] < 0x20 || v.p[i] == 0x7F ? '?' : (char)v.p[i]);
    sb_put(b, '\n');
}

/* *odd: entries whose inner structure only OpenSSL checks (otherName,
 * x400Address, ediPartyName) */
static int read_san(jks_cursor v, jks_cert_info *info, int *odd)
{
    jks_cursor seq, gn;
    uint8_t tag;
    sbuf b = {info->san, sizeof(info->san), 0};
    char t[600];
    if (!jks_cursor_der_expect(&v, 0x30, &seq) || jks_cursor_remaining(&v) ||
        !jks_cursor_remaining(&seq))
        return 0;
    while (jks_cursor_remaining(&seq)) {
        if (!jks_cursor_der(&seq, &tag, &gn))
            return 0;
        switch (tag) {
        case 0x81: san_value(&b, "email:", gn); break;
        case 0x82: san_value(&b, "DNS:", gn); break;
        case 0x86: san_value(&b, "URI:", gn); break;
        case 0x87:
            if (gn.len == 4) {
                snprintf(t, sizeof t, "IP Address:%u.%u.%u.%u\n", gn.p[0], gn.p[1], gn.p[2], gn.p[3]);
            } else if (gn.len == 16) {
                int k = snprintf(t, sizeof t, "IP Address:");
                for (int i = 0; i < 8; i++)
                    k += snprintf(t + k, sizeof t - (size_t)k, "%s%X", i ? ":" : "",
                                  (unsigned)(gn.p[2 * i] << 8 | gn.p[2 * i + 1]));
                snprintf(t + k, sizeof t - (size_t)k, "\n");
            } else {
                snprintf(t, sizeof t, "IP Address:<invalid>\n");
            }
            sb_str(&b, t);
            break;
        case 0xA4: {
            jks_cursor nm;
            if (!jks_cursor_der_expect(&gn, 0x30, &nm) || jks_cursor_remaining(&gn) ||
                !jks_certfacts_name(nm, t, sizeof t))
                return 0;
            sb_str(&b, "DirName:");
            for (char *s = t; *s; s++)
                sb_put(&b, (unsigned char)*s < 0x20 ? '?' : *s);
            sb_put(&b, '\n');
            break;
        }
        case 0xA0: sb_str(&b, "othername:<unsupported>\n"); *odd = 1; break;
        case 0x88:
            if (!oid_ok(gn) || !oid_text(gn, t, sizeof t))
                return 0;
            sb_str(&b, "Registered ID:");
            sb_str(&b, t);
            sb_put(&b, '\n');
            break;
        case 0xA3: sb_str(&b, "X400Name:<unsupported>\n"); *odd = 1; break;
        case 0xA5: sb_str(&b, "EdiPartyName:<unsupported>\n"); *odd = 1; break;
        default: return 0;
        }
    }
    sb_end(&b);
    return 1;
}

static int read_keyid(jks_cursor v, char *out, size_t cap)
{
    hex_lower(v.p, v.len < 32 ? v.len : 32, out, cap);
    return 1;
}

#define SEEN(nid) (1u << (nid))

static int openssl_ext_decodes(int nid, jks_cursor v)
{
    const X509V3_EXT_METHOD *m = X509V3_EXT_get_nid(nid);
    const unsigned char *p = v.p;
    void *d = NULL;
    if (!m || v.len > 0x7fffffff)
        return 0;
    if (m->it) {
        d = ASN1_item_d2i(NULL, &p, (long)v.len, ASN1_ITEM_ptr(m->it));
        ASN1_item_free(d, ASN1_ITEM_ptr(m->it));
    } else if (m->d2i && m->ext_free) {
        d = m->d2i(NULL, &p, (long)v.len);
        if (d)
            m->ext_free(d);
    }
    ERR_clear_error();
    return d != NULL;
}

/* CRL distribution points in their common shape (every point a fullName of
 * URIs, no reasons, no cRLIssuer) checked by the DER reader: OpenSSL decodes
 * these (a URI is an IA5String it does not inspect, as for the SAN). 0 for
 * any other shape, which openssl_ext_decodes then judges. */
static int crldp_common(jks_cursor v)
{
    jks_cursor seq, dp, dpn, full, gn;
    uint8_t tag;
    if (!jks_cursor_der_expect(&v, 0x30, &seq) || jks_cursor_remaining(&v) ||
        !jks_cursor_remaining(&seq))
        return 0;
    while (jks_cursor_remaining(&seq)) {
        if (!jks_cursor_der_expect(&seq, 0x30, &dp) || !jks_cursor_der_expect(&dp, 0xA0, &dpn) ||
            jks_cursor_remaining(&dp) || !jks_cursor_der_expect(&dpn, 0xA0, &full) ||
            jks_cursor_remaining(&dpn) || !jks_cursor_remaining(&full))
            return 0;
        while (jks_cursor_remaining(&full))
            if (!jks_cursor_der(&full, &tag, &gn) || tag != 0x86)
                return 0;
    }
    return 1;
}

/* The authorityKeyIdentifier's issuer and serial in their common shape
 * (one directoryName that the name reader takes, a minimal INTEGER) checked
 * by the DER reader; 0 leaves any other shape to openssl_ext_decodes. */
static int aki_issuer_common(jks_cursor issuer, int has_issuer, jks_cursor serial, int has_serial)
{
    if (has_issuer) {
        jks_cursor dn, nm;
        char scratch[512];
        if (!jks_cursor_der_expect(&issuer, 0xA4, &dn) || jks_cursor_remaining(&issuer) ||
            !jks_cursor_der_expect(&dn, 0x30, &nm) || jks_cursor_remaining(&dn) ||
            !jks_certfacts_name(nm, scratch, sizeof scratch))
            return 0;
    }
    if (has_serial && (serial.len < 1 ||
                       (serial.len > 1 && ((serial.p[0] == 0 && !(serial.p[1] & 0x80)) ||
                                           (serial.p[0] == 0xFF && (serial.p[1] & 0x80))))))
        return 0;
    return 1;
}

static int read_extensions(jks_cursor exts, jks_cert_info *info, int *eku_client, int *eku_server,
                           int *aki_other)
{
    jks_cursor seq, ext, oid, val;
    unsigned seen = 0;
    int odd = 0;
    if (!jks_cursor_der_expect(&exts, 0x30, &seq) || jks_cursor_remaining(&exts) ||
        !jks_cursor_remaining(&seq))
        return 0;
    while (jks_cursor_remaining(&seq)) {
        int crit = 0, present;
        jks_cursor cb;
        if (!jks_cursor_der_expect(&seq, 0x30, &ext) || !read_oid(&ext, &oid) ||
            !jks_cursor_der_optional(&ext, 0x01, &cb, &present))
            return 0;
        if (present && (cb.len != 1 || (cb.p[0] != 0 && cb.p[0] != 0xFF)))
            return 0;
        crit = present && cb.p[0];
        (void)crit;
        if (!jks_cursor_der_expect(&ext, 0x04, &val) || jks_cursor_remaining(&ext))
            return 0;
        const oid_ent *e = oid_find(oid);
        int slot;
        if (!e)
            continue;
        switch (e->nid) {
        case NID_basic_constraints: slot = 0; break;
        case NID_key_usage: slot = 1; break;
        case NID_ext_key_usage: slot = 2; break;
        case NID_subject_alt_name: slot = 3; break;
        case NID_subject_key_identifier: slot = 4; break;
        case NID_authority_key_identifier: slot = 5; break;
        case NID_crl_distribution_points: slot = 6; break;
        case NID_proxyCertInfo: slot = 7; break;
        case NID_netscape_cert_type: slot = 8; break;
        case NID_name_constraints: slot = 9; break;
#ifndef OPENSSL_NO_RFC3779
        case NID_sbgp_ipAddrBlock: slot = 10; break;
        case NID_sbgp_autonomousSysNum: slot = 11; break;
#endif
        default: continue;
        }
        if (seen & SEEN(slot))
            return 0; /* duplicate: OpenSSL marks the certificate invalid */
        seen |= SEEN(slot);
        switch (slot) {
        case 0: { /* BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLen INTEGER OPTIONAL } */
            jks_cursor bc, b;
            int ca = 0, p2;
            int64_t pl;
            if (!jks_cursor_der_expect(&val, 0x30, &bc) || jks_cursor_remaining(&val) ||
                !jks_cursor_der_optional(&bc, 0x01, &b, &p2))
                return 0;
            if (p2) {
                if (b.len != 1 || (b.p[0] != 0 && b.p[0] != 0xFF))
                    return 0;
                ca = b.p[0] != 0;
            }
            info->path_len = -1;
            if (jks_cursor_remaining(&bc)) {
                if (!jks_cursor_der_int64(&bc, &pl) || pl < 0 || pl > INT32_MAX || !ca)
                    return 0; /* OpenSSL: invalid */
                info->path_len = (int)pl;
            }
            if (jks_cursor_remaining(&bc))
                return 0;
            info->has_basic_constraints = 1;
            info->basic_ca = ca;
            info->is_ca = ca; /* key usage applied below */
            break;
        }
        case 1: { /* KeyUsage BIT STRING */
            jks_cursor ku;
            if (!jks_cursor_der_expect(&val, 0x03, &ku) || jks_cursor_remaining(&val) ||
                ku.len < 1 || ku.p[0] > 7 || (ku.len == 1 && ku.p[0]))
                return 0;
            unsigned u = 0;
            for (size_t i = 1; i < ku.len && i < 3; i++)
                for (int bit = 0; bit < 8; bit++)
                    if (ku.p[i] & (0x80 >> bit))
                        u |= 1u << ((i - 1) * 8 + (size_t)bit);
            if (ku.len >= 2 && (ku.p[ku.len - 1] & ((1u << ku.p[0]) - 1)))
                return 0; /* unused bits set: leave to OpenSSL */
            info->has_key_usage = 1;
            info->key_usage = u;
            break;
        }
        case 2: { /* ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF OID */
            jks_cursor s, o;
            sbuf b = {info->eku, sizeof(info->eku), 0};
            char t[128];
            if (!jks_cursor_der_expect(&val, 0x30, &s) || jks_cursor_remaining(&val) ||
                !jks_cursor_remaining(&s))
                return 0;
            while (jks_cursor_remaining(&s)) {
                if (!read_oid(&s, &o) || !oid_text(o, t, sizeof t))
                    return 0;
                const oid_ent *k = oid_find(o);
                if (k && k->nid == NID_client_auth)
                    *eku_client = 1;
                if (k && k->nid == NID_server_auth)
                    *eku_server = 1;
                if (k && k->nid == NID_anyExtendedKeyUsage)
                    *eku_client = *eku_server = 1;
                list_add(&b, t);
            }
            sb_end(&b);
            info->has_eku = 1;
            break;
        }
        case 3:
            if (!read_san(val, info, &odd))
                return 0;
            if (odd && !openssl_ext_decodes(NID_subject_alt_name, val))
                return 0;
            break;
        case 6: case 7: case 8: case 9: case 10: case 11:
            /* extensions OpenSSL decodes to judge a certificate (a failure
             * makes it invalid: no CA, no purpose): decoded the same way */
            if (!(slot == 6 && crldp_common(val)) && !openssl_ext_decodes(e->nid, val))
                return 0;
            break;
        case 4: { /* SubjectKeyIdentifier ::= OCTET STRING */
            jks_cursor k;
            if (!jks_cursor_der_expect(&val, 0x04, &k) || jks_cursor_remaining(&val))
                return 0;
            read_keyid(k, info->ski, sizeof(info->ski));
            break;
        }
        case 5: { /* AuthorityKeyIdentifier ::= SEQUENCE { [0] keyIdentifier OPT, [1] issuer OPT, [2] serial OPT } */
            jks_cursor a, k, xi, xs, val0 = val;
            int p0, p1, p2;
            if (!jks_cursor_der_expect(&val, 0x30, &a) || jks_cursor_remaining(&val) ||
                !jks_cursor_der_optional(&a, 0x80, &k, &p0) ||
                !jks_cursor_der_optional(&a, 0xA1, &xi, &p1) ||
                !jks_cursor_der_optional(&a, 0x82, &xs, &p2) || jks_cursor_remaining(&a))
                return 0;
            if ((p1 || p2) && !aki_issuer_common(xi, p1, xs, p2) &&
                !openssl_ext_decodes(NID_authority_key_identifier, val0))
                return 0; /* other issuer and serial shapes: let OpenSSL judge them */
            *aki_other = p1 || p2;
            if (p0)
                read_keyid(k, info->aki, sizeof(info->aki));
            break;
        }
        }
    }
    return 1;
}

/* ---- the certificate ---- */

int jks_certfacts_read(const uint8_t *der, size_t len, unsigned flags, jks_cert_info *info,
                       jks_certfacts_loc *loc)
{
    jks_cursor c, cert, tbs, tbs_el, sigalg, sigoid, sigbits, spki_el, issuer, subject;
    int present;
    int64_t ver = 0;
    int eku_client = 0, eku_server = 0;
    memset(info, 0, sizeof(*info));
    pthread_once(&oids_once, oids_init);
    jks_cursor_init(&c, der, len);
    /* trailing bytes after the certificate are ignored, as d2i_X509 does */
    jks_cursor sigalg_el, tsig_el;
    if (!jks_cursor_der_expect(&c, 0x30, &cert) || !jks_cursor_der_element(&cert, NULL, &tbs_el) ||
        !jks_cursor_der_element(&cert, NULL, &sigalg_el) ||
        !der_inside(sigalg_el, 0x30, &sigalg) ||
        !jks_cursor_der_expect(&cert, 0x03, &sigbits) || jks_cursor_remaining(&cert) ||
        !read_oid(&sigalg, &sigoid) || sigbits.len < 1 || sigbits.p[0] > 7)
        return 0;
    {
        jks_cursor t = tbs_el;
        uint8_t tag;
        if (!jks_cursor_der(&t, &tag, &tbs) || tag != 0x30)
            return 0;
    }
    if (jks_cursor_remaining(&sigalg)) { /* parameters: NULL or anything, one element */
        jks_cursor pr;
        uint8_t pt;
        if (!jks_cursor_der(&sigalg, &pt, &pr) || jks_cursor_remaining(&sigalg) || !any_ok(pt, pr))
            return 0;
    }
    /* TBSCertificate */
    jks_cursor vw;
    if (!jks_cursor_der_optional(&tbs, 0xA0, &vw, &present))
        return 0;
    if (present && (!jks_cursor_der_int64(&vw, &ver) || jks_cursor_remaining(&vw) || ver < 0 ||
                    ver > 2))
        return 0;
    info->version = (int)ver + 1;
    jks_cursor tsig, validity, spki, x, loc_issuer, loc_subject, tpar;
    uint8_t ttag;
    if (!read_serial(&tbs, info->serial, sizeof(info->serial)) ||
        !jks_cursor_der_element(&tbs, NULL, &tsig_el) || !der_inside(tsig_el, 0x30, &tsig) ||
        !read_oid(&tsig, &x) ||
        (jks_cursor_remaining(&tsig) &&
         (!jks_cursor_der(&tsig, &ttag, &tpar) || jks_cursor_remaining(&tsig) || !any_ok(ttag, tpar))) ||
        !jks_cursor_der_element(&tbs, NULL, &loc_issuer) ||
        !jks_cursor_der_expect(&tbs, 0x30, &validity) ||
        !read_time(&validity, &info->not_before) || !read_time(&validity, &info->not_after) ||
        jks_cursor_remaining(&validity) || !jks_cursor_der_element(&tbs, NULL, &loc_subject) ||
        !jks_cursor_der_element(&tbs, NULL, &spki_el))
        return 0;
    {
        jks_cursor t = spki_el, t2 = loc_issuer, t3 = loc_subject;
        uint8_t tag, tag2, tag3;
        if (!jks_cursor_der(&t, &tag, &spki) || tag != 0x30 || !jks_cursor_der(&t2, &tag2, &issuer) ||
            tag2 != 0x30 || !jks_cursor_der(&t3, &tag3, &subject) || tag3 != 0x30)
            return 0;
    }
    if (!jks_cursor_der_optional(&tbs, 0x81, &x, &present) ||
        (present && (x.len < 1 || x.p[0] > 7)) || !jks_cursor_der_optional(&tbs, 0x82, &x, &present) ||
        (present && (x.len < 1 || x.p[0] > 7)))
        return 0;
    info->path_len = -1;
    loc->aki_other = 0;
    if (!jks_cursor_der_optional(&tbs, 0xA3, &x, &present))
        return 0;
    if (present && !read_extensions(x, info, &eku_client, &eku_server, &loc->aki_other))
        return 0;
    if (jks_cursor_remaining(&tbs))
        return 0;
    if (!jks_certfacts_name(subject, info->subject, sizeof(info->subject)))
        return 0;
    if (issuer.len == subject.len && !memcmp(issuer.p, subject.p, issuer.len))
        memcpy(info->issuer, info->subject, sizeof(info->issuer)); /* self-issued: the same text */
    else if (!jks_certfacts_name(issuer, info->issuer, sizeof(info->issuer)))
        return 0;
    /* the signature algorithm of the outer AlgorithmIdentifier */
    {
        int nid = oid_nid(sigoid, NULL), mdnid = 0, pknid = 0;
        if (nid < 0)
            return 0;
        loc->sig_nid = nid;
        const char *pq = nid ? NULL : jks_certfacts_pq_name(sigoid.p, sigoid.len);
        copy_str(info->sig_algorithm, sizeof(info->sig_algorithm),
                 nid ? OBJ_nid2ln(nid) : pq ? pq : "unknown");
        if (OBJ_find_sigid_algs(nid, &mdnid, &pknid) && mdnid)
            copy_str(info->md_name, sizeof(info->md_name), OBJ_nid2sn(mdnid));
    }
    loc->tbs = tbs_el.p;
    loc->tbs_len = tbs_el.len;
    loc->alg_in = tsig_el.p;
    loc->alg_in_len = tsig_el.len;
    loc->alg_out = sigalg_el.p;
    loc->alg_out_len = sigalg_el.len;
    loc->sig = sigbits.p;
    loc->sig_len = sigbits.len;
    loc->spki = spki_el.p;
    loc->spki_len = spki_el.len;
    int ks = read_spki(spki, info);
    if (ks < 0)
        return 0;
    loc->key_known = ks;
    if (loc->key_known && !(flags & JKS_FACTS_NO_FINGERPRINTS))
        jks_sha256_hex(spki_el.p, spki_el.len, info->spki_sha256);
    /* X509_check_ca with EXFLAG_CA: keyUsage, when present, must allow keyCertSign */
    if (info->is_ca && info->has_key_usage && !(info->key_usage & (1u << 5)))
        info->is_ca = 0;
    info->eku_client_auth = !info->has_eku || eku_client;
    info->eku_server_auth = !info->has_eku || eku_server;
    /* subject == issuer: the same bytes */
    info->self_issued = issuer.len == subject.len && !memcmp(issuer.p, subject.p, issuer.len);
    loc->issuer = loc_issuer.p;
    loc->issuer_len = loc_issuer.len;
    loc->subject = loc_subject.p;
    loc->subject_len = loc_subject.len;
    /* different bytes may still be equal names after OpenSSL's canonical
     * form (case, any whitespace run, string types): OpenSSL decides */
    loc->names_maybe_equal = !info->self_issued;
    if (!(flags & JKS_FACTS_NO_FINGERPRINTS))
        jks_cert_fingerprints(der, len, info->sha1, info->sha256);
    return 1;
}

/* ---- public keys and signatures without the decoder framework ---- */

static EVP_PKEY *pkey_fromdata(const char *type, OSSL_PARAM *params)
{
    EVP_PKEY *pk = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    if (!ctx || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params) != 1)
        pk = NULL;
    EVP_PKEY_CTX_free(ctx);
    return pk;
}

static EVP_PKEY *rsa_pkey(jks_cursor n, jks_cursor e)
{
    EVP_PKEY *pk = NULL;
    BIGNUM *bn = BN_bin2bn(n.p, (int)n.len, NULL), *be = BN_bin2bn(e.p, (int)e.len, NULL);
    OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
    OSSL_PARAM *pr = NULL;
    if (bn && be && b && OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_N, bn) &&
        OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_E, be) && (pr = OSSL_PARAM_BLD_to_param(b)))
        pk = pkey_fromdata("RSA", pr);
    OSSL_PARAM_free(pr);
    OSSL_PARAM_BLD_free(b);
    BN_free(bn);
    BN_free(be);
    return pk;
}

EVP_PKEY *jks_certfacts_pkey(const uint8_t *spki, size_t len)
{
    jks_cursor c, s, alg, oid, bits, params = {0};
    uint8_t ptag = 0;
    int have_params = 0;
    EVP_PKEY *pk = NULL;
    pthread_once(&oids_once, oids_init);
    jks_cursor_init(&c, spki, len);
    if (!jks_cursor_der_expect(&c, 0x30, &s) || jks_cursor_remaining(&c) ||
        !jks_cursor_der_expect(&s, 0x30, &alg) || !read_oid(&alg, &oid) ||
        !jks_cursor_der_expect(&s, 0x03, &bits) || jks_cursor_remaining(&s) || bits.len < 2 ||
        bits.p[0] != 0)
        return NULL;
    if (jks_cursor_remaining(&alg)) {
        if (!jks_cursor_der(&alg, &ptag, &params) || jks_cursor_remaining(&alg))
            return NULL;
        have_params = 1;
    }
    jks_cursor key = bits;
    jks_cursor_skip(&key, 1);
    const oid_ent *e = oid_find(oid);
    if (!e)
        return NULL;
    switch (e->nid) {
    case NID_rsaEncryption: {
        jks_cursor seq, n, x;
        if (!have_params || ptag != 0x05 || params.len ||
            !jks_cursor_der_expect(&key, 0x30, &seq) || jks_cursor_remaining(&key) ||
            !positive_int(&seq, &n) || !positive_int(&seq, &x) || jks_cursor_remaining(&seq) ||
            n.len > 2048 || x.len > 2048)
            return NULL;
        return rsa_pkey(n, x);
    }
    case NID_X9_62_id_ecPublicKey: {
        const oid_ent *cv;
        if (!have_params || ptag != 0x06 || !(cv = oid_find(params)) || !cv->bits)
            return NULL;
        OSSL_PARAM pr[3];
        pr[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
                                                 (char *)OBJ_nid2sn(cv->nid), 0);
        pr[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)key.p, key.len);
        pr[2] = OSSL_PARAM_construct_end();
        pk = pkey_fromdata("EC", pr);
        ERR_clear_error();
        return pk;
    }
    case NID_ED25519:
    case NID_ED448:
        if (have_params)
            return NULL;
        pk = EVP_PKEY_new_raw_public_key(e->nid, NULL, key.p, key.len);
        ERR_clear_error();
        return pk;
    default:
        return NULL;
    }
}

int jks_certfacts_verify(const jks_certfacts_loc *loc, EVP_PKEY *pk)
{
    int mdnid = 0, pknid = 0;
    if (!loc || !pk || !loc->sig_nid || loc->sig_nid == NID_rsassaPss ||
        !OBJ_find_sigid_algs(loc->sig_nid, &mdnid, &pknid) || pknid == NID_rsassaPss ||
        pknid == NID_dsa || !EVP_PKEY_is_a(pk, OBJ_nid2sn(pknid)))
        return -1;
    /* X509_verify: the two AlgorithmIdentifiers must be equal, the BIT
     * STRING must have no unused bits */
    if (loc->alg_in_len != loc->alg_out_len || memcmp(loc->alg_in, loc->alg_out, loc->alg_in_len) ||
        loc->sig_len < 1 || loc->sig[0] != 0)
        return 0;
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    int ok = m &&
             EVP_DigestVerifyInit_ex(m, NULL, mdnid != NID_undef ? OBJ_nid2sn(mdnid) : NULL, NULL,
                                     NULL, pk, NULL) == 1 &&
             EVP_DigestVerify(m, loc->sig + 1, loc->sig_len - 1, loc->tbs, loc->tbs_len) == 1;
    EVP_MD_CTX_free(m);
    ERR_clear_error();
    return ok;
}

/* The SubjectPublicKeyInfo's SHA-256 and the facts, as i2d_PUBKEY of the
 * key OpenSSL would decode would give. */
static int key_info_spki(jks_builder *b, jks_key_info *info)
{
    uint8_t *der;
    size_t n;
    if (!jks_builder_finish(b, &der, &n))
        return 0;
    jks_sha256_hex(der, n, info->spki_sha256);
    jks_buffer_free(der, n);
    return info->spki_sha256[0] != 0;
}

int jks_certfacts_key_info(const uint8_t *pkcs8, size_t len, jks_key_info *info)
{
    jks_cursor c, p8, alg, oid, params, priv, ver;
    uint8_t ptag = 0;
    int present;
    pthread_once(&oids_once, oids_init);
    memset(info, 0, sizeof(*info));
    jks_cursor_init(&c, pkcs8, len);
    if (!jks_cursor_der_expect(&c, 0x30, &p8) || jks_cursor_remaining(&c) ||
        !jks_cursor_der_expect(&p8, 0x02, &ver) || ver.len != 1 || ver.p[0] != 0 ||
        !jks_cursor_der_expect(&p8, 0x30, &alg) || !read_oid(&alg, &oid) ||
        !jks_cursor_der(&alg, &ptag, &params) || jks_cursor_remaining(&alg) ||
        !jks_cursor_der_expect(&p8, 0x04, &priv) ||
        !jks_cursor_der_optional(&p8, 0xA0, &ver, &present) || jks_cursor_remaining(&p8))
        return 0;
    const oid_ent *e = oid_find(oid);
    if (!e)
        return 0;
    jks_builder b;
    if (e->nid == NID_rsaEncryption) {
        /* RSAPrivateKey: version 0 (two primes), n, e, d, p, q, dp, dq, qinv */
        jks_cursor k, v, n, x, y;
        if (ptag != 0x05 || params.len || !jks_cursor_der_expect(&priv, 0x30, &k) ||
            jks_cursor_remaining(&priv) || !jks_cursor_der_expect(&k, 0x02, &v) || v.len != 1 ||
            v.p[0] != 0 || !positive_int(&k, &n) || !positive_int(&k, &x))
            return 0;
        for (int i = 0; i < 6; i++)
            if (!positive_int(&k, &y))
                return 0;
        if (jks_cursor_remaining(&k) || uint_bits(n) < 512)
            return 0;
        jks_builder_init(&b, 64 + n.len + x.len);
        size_t m0 = jks_builder_der_open(&b, 0x30), m1 = jks_builder_der_open(&b, 0x30);
        jks_builder_der(&b, 0x06, oid.p, oid.len);
        jks_builder_der(&b, 0x05, NULL, 0);
        jks_builder_der_close(&b, m1);
        jks_builder_der_header(&b, 0x03, 1 + jks_der_size(jks_der_size(n.len) + jks_der_size(x.len)));
        jks_builder_u8(&b, 0);
        jks_builder_der_header(&b, 0x30, jks_der_size(n.len) + jks_der_size(x.len));
        jks_builder_der(&b, 0x02, n.p, n.len);
        jks_builder_der(&b, 0x02, x.p, x.len);
        jks_builder_der_close(&b, m0);
        snprintf(info->algorithm, sizeof(info->algorithm), "RSA");
        info->bits = (int)uint_bits(n);
        return key_info_spki(&b, info);
    }
    if (e->nid != NID_X9_62_id_ecPublicKey || ptag != 0x06)
        return 0;
    const oid_ent *cv = oid_find(params);
    if (!cv || !cv->bits)
        return 0;
    /* ECPrivateKey: version 1, privateKey, [0] parameters OPT, [1] publicKey OPT */
    jks_cursor k, v, d, cp, pub, pubbits;
    int have_cp, have_pub;
    if (!jks_cursor_der_expect(&priv, 0x30, &k) || jks_cursor_remaining(&priv) ||
        !jks_cursor_der_expect(&k, 0x02, &v) || v.len != 1 || v.p[0] != 1 ||
        !jks_cursor_der_expect(&k, 0x04, &d) || d.len == 0 ||
        !jks_cursor_der_optional(&k, 0xA0, &cp, &have_cp) ||
        !jks_cursor_der_optional(&k, 0xA1, &pub, &have_pub) || jks_cursor_remaining(&k))
        return 0;
    if (have_cp && (cp.len != params.len + 2 || cp.p[0] != 0x06 || cp.p[1] != params.len ||
                    memcmp(cp.p + 2, params.p, params.len)))
        return 0; /* other parameters than the AlgorithmIdentifier's: OpenSSL decides */
    size_t fb = ((size_t)cv->bits + 7) / 8;
    uint8_t point[1 + 2 * 66];
    const uint8_t *pt = NULL;
    size_t pt_len = 1 + 2 * fb;
    if (pt_len > sizeof(point))
        return 0;
    if (have_pub) {
        if (!jks_cursor_der_expect(&pub, 0x03, &pubbits) || jks_cursor_remaining(&pub) ||
            pubbits.len != 1 + pt_len || pubbits.p[0] != 0 || pubbits.p[1] != 0x04)
            return 0; /* compressed or odd points: OpenSSL decides */
        pt = pubbits.p + 1;
    } else {
        /* Java writes no public key: derive it as OpenSSL's decoder does */
        EC_GROUP *g = EC_GROUP_new_by_curve_name(cv->nid);
        EC_POINT *q = g ? EC_POINT_new(g) : NULL;
        BIGNUM *bd = BN_secure_new();
        int ok = g && q && bd && BN_bin2bn(d.p, (int)d.len, bd) && !BN_is_zero(bd) &&
                 EC_POINT_mul(g, q, bd, NULL, NULL, NULL) &&
                 EC_POINT_point2oct(g, q, POINT_CONVERSION_UNCOMPRESSED, point, sizeof(point),
                                    NULL) == pt_len;
        BN_clear_free(bd);
        EC_POINT_free(q);
        EC_GROUP_free(g);
        ERR_clear_error();
        if (!ok)
            return 0;
        pt = point;
    }
    jks_builder_init(&b, 32 + params.len + pt_len);
    size_t m0 = jks_builder_der_open(&b, 0x30), m1 = jks_builder_der_open(&b, 0x30);
    jks_builder_der(&b, 0x06, oid.p, oid.len);
    jks_builder_der(&b, 0x06, params.p, params.len);
    jks_builder_der_close(&b, m1);
    jks_builder_der_header(&b, 0x03, 1 + pt_len);
    jks_builder_u8(&b, 0);
    jks_builder_bytes(&b, pt, pt_len);
    jks_builder_der_close(&b, m0);
    snprintf(info->algorithm, sizeof(info->algorithm), "EC");
    info->bits = cv->bits;
    copy_str(info->curve, sizeof(info->curve), OBJ_nid2sn(cv->nid));
    return key_info_spki(&b, info);
}
