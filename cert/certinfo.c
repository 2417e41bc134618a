/* Certificate and key facts for listings and checks: libjks's own DER reader
 * (certfacts.c) first; OpenSSL X.509 for what it leaves, for signatures and
 * for keys. */
#include "digest.h"
#include "cert.h"
#include "certfacts.h"
#include "jks/certificate.h"

#include <limits.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void hex(const uint8_t *d, size_t n, char *out)
{
    static const char h[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = h[d[i] >> 4];
        out[2 * i + 1] = h[d[i] & 15];
    }
    out[2 * n] = 0;
}

void jks_sha256_hex(const uint8_t *data, size_t len, char out[65])
{
    uint8_t md[32];
    if (!out)
        return;
    if (!data && len) {
        out[0] = 0;
        return;
    }
    if (!jks_sha256(data, len, md)) {
        out[0] = 0;
        return;
    }
    hex(md, 32, out);
}

int jks_cert_der_shaped(jks_bytes der, jks_cursor *tbs)
{
    static const uint8_t want[3] = {0x30, 0x30, 0x03};
    jks_cursor c, cert, part;
    uint8_t tag;
    jks_cursor_init(&c, der.data, der.len);
    if (!jks_cursor_der(&c, &tag, &cert) || tag != 0x30 || jks_cursor_remaining(&c))
        return 0;
    for (int i = 0; i < 3; i++) {
        if (!jks_cursor_der(&cert, &tag, &part) || tag != want[i])
            return 0;
        if (i == 0 && tbs)
            *tbs = part;
    }
    return jks_cursor_remaining(&cert) == 0;
}

void jks_name_string(const X509_NAME *n, char *out, size_t cap)
{
    unsigned long fl = (XN_FLAG_RFC2253 & ~(ASN1_STRFLGS_ESC_MSB | XN_FLAG_SEP_MASK)) |
                       XN_FLAG_SEP_CPLUS_SPC;
    BIO *b = BIO_new(BIO_s_mem());
    out[0] = 0;
    if (!b)
        return;
    if (X509_NAME_print_ex(b, n, 0, fl) >= 0) {
        int r = BIO_read(b, out, (int)cap - 1);
        out[r > 0 ? r : 0] = 0;
    }
    BIO_free(b);
}

/* sun.security.x509.AVA.toKeywordValueString() of one attribute. */
static size_t java_ava(const X509_NAME_ENTRY *e, char *out, size_t cap)
{
    static const struct { int nid; const char *kw; } kws[] = {
        {NID_commonName, "CN"}, {NID_countryName, "C"}, {NID_localityName, "L"},
        {NID_stateOrProvinceName, "ST"}, {NID_organizationName, "O"},
        {NID_organizationalUnitName, "OU"}, {NID_title, "T"}, {NID_streetAddress, "STREET"},
        {NID_domainComponent, "DC"}, {NID_dnQualifier, "DNQUALIFIER"}, {NID_surname, "SURNAME"},
        {NID_givenName, "GIVENNAME"}, {NID_initials, "INITIALS"},
        {NID_generationQualifier, "GENERATION"}, {NID_pkcs9_emailAddress, "EMAILADDRESS"},
        {NID_userId, "UID"}, {NID_serialNumber, "SERIALNUMBER"},
    };
    const ASN1_OBJECT *o = X509_NAME_ENTRY_get_object(e);
    const ASN1_STRING *v = X509_NAME_ENTRY_get_data(e);
    int nid = OBJ_obj2nid(o);
    size_t n = 0, k;
    char oid[128];
    for (k = 0; k < sizeof(kws) / sizeof(kws[0]) && kws[k].nid != nid; k++)
        ;
    if (k < sizeof(kws) / sizeof(kws[0])) {
        n = (size_t)snprintf(out, cap, "%s=", kws[k].kw);
    } else {
        OBJ_obj2txt(oid, sizeof(oid), o, 1);
        n = (size_t)snprintf(out, cap, "OID.%s=", oid);
    }
    if (n >= cap)
        return cap;
    int t = ASN1_STRING_type(v);
    if (t != V_ASN1_PRINTABLESTRING && t != V_ASN1_T61STRING && t != V_ASN1_IA5STRING &&
        t != V_ASN1_GENERALSTRING && t != V_ASN1_BMPSTRING && t != V_ASN1_UTF8STRING) {
        ASN1_TYPE *at = ASN1_TYPE_new();
        unsigned char *der = NULL;
        int dl = at && ASN1_TYPE_set1(at, t, v) ? i2d_ASN1_TYPE(at, &der) : -1;
        n += (size_t)snprintf(out + n, cap - n, "#");
        for (int i = 0; i < dl && n < cap; i++)
            n += (size_t)snprintf(out + n, cap - n, "%02X", der[i]);
        OPENSSL_free(der);
        ASN1_TYPE_free(at);
        return n;
    }
    unsigned char *u = NULL;
    int ul = ASN1_STRING_to_UTF8(&u, v);
    if (ul < 0)
        return n;
    static const char esc[] = ",+=\n<>#;\\\"";
    char *buf = malloc((size_t)ul * 2 + 3);
    if (!buf) {
        OPENSSL_free(u);
        return n;
    }
    size_t b = 0;
    int quote = 0, prev_white = 0;
    int already = ul > 1 && u[0] == '"' && u[ul - 1] == '"';
    for (int i = 0; i < ul; i++) {
        unsigned char c = u[i];
        if (already && (i == 0 || i == ul - 1)) {
            buf[b++] = (char)c;
            continue;
        }
        int printable = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || (c && strchr(" '()+,-./:=?", c));
        if (printable || (c && strchr(esc, c))) {
            if (!quote && ((i == 0 && (c == ' ' || c == '\n')) || (c && strchr(esc, c))))
                quote = 1;
            if (c != ' ' && c != '\n') {
                if (c == '"' || c == '\\')
                    buf[b++] = '\\';
                prev_white = 0;
            } else {
                if (!quote && prev_white)
                    quote = 1;
                prev_white = 1;
            }
        } else {
            prev_white = 0;
        }
        buf[b++] = (char)c;
    }
    if (b > 0 && (buf[b - 1] == ' ' || buf[b - 1] == '\n'))
        quote = 1;
    if (!already && quote)
        n += (size_t)snprintf(out + n, cap - n, "\"%.*s\"", (int)b, buf);
    else
        n += (size_t)snprintf(out + n, cap - n, "%.*s", (int)b, buf);
    free(buf);
    OPENSSL_free(u);
    return n < cap ? n : cap;
}

int jks_name_der_string(const uint8_t *der, size_t len, char *out, size_t cap)
{
    const unsigned char *p = der;
    X509_NAME *nm = d2i_X509_NAME(NULL, &p, (long)len);
    if (cap)
        out[0] = 0;
    if (!nm || !cap)
        return X509_NAME_free(nm), -1;
    /* X500Name.toString(): RDNs last first, ", " between, " + " inside */
    size_t o = 0;
    int cnt = X509_NAME_entry_count(nm);
    for (int i = cnt - 1; i >= 0 && o < cap;) {
        int set = X509_NAME_ENTRY_set(X509_NAME_get_entry(nm, i));
        int first = i;
        while (first > 0 && X509_NAME_ENTRY_set(X509_NAME_get_entry(nm, first - 1)) == set)
            first--;
        if (o && o < cap)
            o += (size_t)snprintf(out + o, cap - o, ", ");
        for (int j = first; j <= i && o < cap; j++) {
            if (j > first)
                o += (size_t)snprintf(out + o, cap - o, " + ");
            if (o < cap)
                o += java_ava(X509_NAME_get_entry(nm, j), out + o, cap - o);
        }
        i = first - 1;
    }
    out[o < cap ? o : cap - 1] = 0;
    X509_NAME_free(nm);
    return 0;
}

static int64_t asn1_time_epoch(const ASN1_TIME *t)
{
    struct tm tm;
    if (!t || !ASN1_TIME_to_tm(t, &tm))
        return 0;
    return (int64_t)timegm(&tm);
}

/* Algorithm name and size as Java reports them: for the RFC 7748/8032 curves
 * that is the field size (keytool: "255-bit Ed25519 key", "448-bit Ed448
 * key"), where OpenSSL says 256 and 456 for Ed25519 and Ed448. */
static void pkey_facts(EVP_PKEY *k, char *alg, size_t alg_cap, int *bits)
{
    const char *n;
    int b = EVP_PKEY_get_bits(k);
    switch (EVP_PKEY_get_base_id(k)) {
    case EVP_PKEY_RSA: n = "RSA"; break;
    case EVP_PKEY_RSA_PSS: n = "RSASSA-PSS"; break;
    case EVP_PKEY_EC: n = "EC"; break;
    case EVP_PKEY_DSA: n = "DSA"; break;
    case EVP_PKEY_ED25519: n = "Ed25519"; b = 255; break;
    case EVP_PKEY_ED448: n = "Ed448"; b = 448; break;
    case EVP_PKEY_X25519: n = "X25519"; b = 255; break;
    case EVP_PKEY_X448: n = "X448"; b = 448; break;
    case EVP_PKEY_DH: case EVP_PKEY_DHX: n = "DH"; break;
    default: n = EVP_PKEY_get0_type_name(k); if (!n) n = "unknown";
    }
    snprintf(alg, alg_cap, "%s", n);
    *bits = b;
}

static void spki_hash(EVP_PKEY *k, char out[65])
{
    unsigned char *der = NULL;
    int n = i2d_PUBKEY(k, &der);
    out[0] = 0;
    if (n > 0)
        jks_sha256_hex(der, (size_t)n, out);
    OPENSSL_free(der);
}

/* The facts of the newer fields from an OpenSSL X509 (the fallback path). */
static void x509_ext_facts(X509 *x, jks_cert_info *info)
{
    uint32_t fl = X509_get_extension_flags(x);
    info->version = (int)X509_get_version(x) + 1;
    info->path_len = -1;
    if (fl & EXFLAG_BCONS) {
        info->has_basic_constraints = 1;
        info->basic_ca = (fl & EXFLAG_CA) != 0;
        long pl = X509_get_pathlen(x);
        info->path_len = pl >= 0 && pl <= INT_MAX ? (int)pl : -1;
    }
    if (fl & EXFLAG_KUSAGE) {
        uint32_t k = X509_get_key_usage(x), u = 0;
        for (int bit = 0; bit < 9; bit++) {
            /* OpenSSL: byte 0 in the low 8 bits, byte 1 above */
            uint32_t m = bit < 8 ? (0x80u >> bit) : (0x8000u >> (bit - 8));
            if (k & m)
                u |= 1u << bit;
        }
        info->has_key_usage = 1;
        info->key_usage = u;
    }
    EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);
    if (eku) {
        size_t k = 0;
        for (int i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
            char t[128];
            const ASN1_OBJECT *o = sk_ASN1_OBJECT_value(eku, i);
            int nid = OBJ_obj2nid(o);
            if (nid != NID_undef)
                snprintf(t, sizeof t, "%s", OBJ_nid2sn(nid));
            else if (OBJ_obj2txt(t, sizeof t, o, 1) <= 0)
                continue;
            int r = snprintf(info->eku + k, sizeof(info->eku) - k, "%s%s", k ? ", " : "", t);
            if (r < 0 || (size_t)r >= sizeof(info->eku) - k)
                break;
            k += (size_t)r;
        }
        EXTENDED_KEY_USAGE_free(eku);
    }
    GENERAL_NAMES *gns = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    if (gns) {
        size_t k = 0;
        for (int i = 0; i < sk_GENERAL_NAME_num(gns); i++) {
            const GENERAL_NAME *g = sk_GENERAL_NAME_value(gns, i);
            char t[600];
            const ASN1_STRING *str = NULL;
            const char *pre = NULL;
            switch (g->type) {
            case GEN_EMAIL: pre = "email:"; str = g->d.rfc822Name; break;
            case GEN_DNS: pre = "DNS:"; str = g->d.dNSName; break;
            case GEN_URI: pre = "URI:"; str = g->d.uniformResourceIdentifier; break;
            case GEN_IPADD: {
                const unsigned char *p = g->d.iPAddress->data;
                int n = g->d.iPAddress->length;
                if (n == 4) {
                    snprintf(t, sizeof t, "IP Address:%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
                } else if (n == 16) {
                    int m = snprintf(t, sizeof t, "IP Address:");
                    for (int j = 0; j < 8; j++)
                        m += snprintf(t + m, sizeof t - (size_t)m, "%s%X", j ? ":" : "",
                                      (unsigned)(p[2 * j] << 8 | p[2 * j + 1]));
                } else {
                    snprintf(t, sizeof t, "IP Address:<invalid>");
                }
                break;
            }
            case GEN_DIRNAME: {
                char nm[512];
                jks_name_string(g->d.directoryName, nm, sizeof nm);
                for (char *q = nm; *q; q++)
                    if ((unsigned char)*q < 0x20)
                        *q = '?';
                snprintf(t, sizeof t, "DirName:%s", nm);
                break;
            }
            case GEN_OTHERNAME: snprintf(t, sizeof t, "othername:<unsupported>"); break;
            case GEN_X400: snprintf(t, sizeof t, "X400Name:<unsupported>"); break;
            case GEN_EDIPARTY: snprintf(t, sizeof t, "EdiPartyName:<unsupported>"); break;
            case GEN_RID: {
                char o[128];
                int nid = OBJ_obj2nid(g->d.registeredID);
                if (nid != NID_undef)
                    snprintf(o, sizeof o, "%s", OBJ_nid2sn(nid));
                else
                    OBJ_obj2txt(o, sizeof o, g->d.registeredID, 1);
                snprintf(t, sizeof t, "Registered ID:%s", o);
                break;
            }
            default: t[0] = 0;
            }
            if (str) {
                int n = snprintf(t, sizeof t, "%s", pre);
                for (int j = 0; j < str->length && (size_t)n + 1 < sizeof t; j++) {
                    unsigned char ch = str->data[j];
                    t[n++] = (char)(ch < 0x20 || ch == 0x7F ? '?' : ch);
                }
                t[n] = 0;
            }
            for (const char *q = t; *q && k + 1 < sizeof(info->san); q++)
                info->san[k++] = *q;
            if (k + 1 < sizeof(info->san))
                info->san[k++] = '\n';
            info->san[k] = 0;
        }
        GENERAL_NAMES_free(gns);
    }
    const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(x);
    if (ski)
        hex(ski->data, (size_t)(ski->length < 32 ? ski->length : 32), info->ski);
    const ASN1_OCTET_STRING *aki = X509_get0_authority_key_id(x);
    if (aki)
        hex(aki->data, (size_t)(aki->length < 32 ? aki->length : 32), info->aki);
    EVP_PKEY *k = X509_get0_pubkey(x);
    if (k && EVP_PKEY_get_base_id(k) == EVP_PKEY_EC) {
        size_t gl = 0;
        if (!EVP_PKEY_get_utf8_string_param(k, "group", info->key_curve, sizeof(info->key_curve), &gl))
            info->key_curve[0] = 0;
    }
}

/* Key facts from a SubjectPublicKeyInfo the DER reader left to OpenSSL. As
 * d2i_X509 does, a key OpenSSL cannot decode leaves the facts empty. */
static void spki_facts_openssl(const uint8_t *spki, size_t len, jks_cert_info *info)
{
    const unsigned char *p = spki;
    EVP_PKEY *k = len <= LONG_MAX ? d2i_PUBKEY(NULL, &p, (long)len) : NULL;
    if (!k) {
        ERR_clear_error();
        return;
    }
    pkey_facts(k, info->key_algorithm, sizeof(info->key_algorithm), &info->key_bits);
    spki_hash(k, info->spki_sha256);
    if (EVP_PKEY_get_base_id(k) == EVP_PKEY_EC) {
        size_t gl = 0;
        if (!EVP_PKEY_get_utf8_string_param(k, "group", info->key_curve, sizeof(info->key_curve), &gl))
            info->key_curve[0] = 0;
    }
    EVP_PKEY_free(k);
}

static int names_equal_openssl(const jks_certfacts_loc *loc)
{
    const unsigned char *a = loc->issuer, *b = loc->subject;
    X509_NAME *x = d2i_X509_NAME(NULL, &a, (long)loc->issuer_len);
    X509_NAME *y = d2i_X509_NAME(NULL, &b, (long)loc->subject_len);
    int eq = x && y && X509_NAME_cmp(x, y) == 0;
    X509_NAME_free(x);
    X509_NAME_free(y);
    ERR_clear_error();
    return eq;
}

/* Facts without verification: the DER reader, else OpenSSL. *xo (may be
 * NULL) receives the X509 when the OpenSSL path decoded one. */
static jks_status facts_loc(const uint8_t *der, size_t len, unsigned flags, jks_cert_info *info,
                            X509 **xo, jks_certfacts_loc *loc, int *have_loc)
{
    *have_loc = 0;
    if (xo)
        *xo = NULL;
    if (jks_certfacts_read(der, len, flags, info, loc)) {
        if (!loc->key_known)
            spki_facts_openssl(loc->spki, loc->spki_len, info);
        if (loc->names_maybe_equal)
            info->self_issued = names_equal_openssl(loc);
        *have_loc = 1;
        return JKS_OK;
    }
    const unsigned char *p = der;
    X509 *x;
    memset(info, 0, sizeof(*info));
    if (len > LONG_MAX || !(x = d2i_X509(NULL, &p, (long)len))) {
        ERR_clear_error();
        return JKS_ERR_FORMAT;
    }
    jks_cert_info_x509(x, der, len, info);
    if (flags & JKS_FACTS_NO_FINGERPRINTS) /* the same answer on both paths */
        info->sha1[0] = info->sha256[0] = info->spki_sha256[0] = 0;
    if (xo)
        *xo = x;
    else
        X509_free(x);
    return JKS_OK;
}

jks_status jks_cert_facts_get_ex(const uint8_t *der, size_t len, unsigned flags, jks_cert_info *info)
{
    jks_certfacts_loc loc;
    int have;
    if (!der || !len || !info || (flags & ~JKS_FACTS_NO_FINGERPRINTS))
        return JKS_ERR_USAGE;
    return facts_loc(der, len, flags, info, NULL, &loc, &have);
}

jks_status jks_cert_facts_get(const uint8_t *der, size_t len, jks_cert_info *info)
{
    return jks_cert_facts_get_ex(der, len, 0, info);
}

jks_status jks_cert_fingerprints(const uint8_t *der, size_t len, char sha1[41], char sha256[65])
{
    uint8_t md[20];
    if (!der || !len)
        return JKS_ERR_USAGE;
    if (sha1) {
        if (!jks_sha1(der, len, md))
            return JKS_ERR_IO;
        hex(md, 20, sha1);
    }
    if (sha256) {
        jks_sha256_hex(der, len, sha256);
        if (!sha256[0])
            return JKS_ERR_IO;
    }
    return JKS_OK;
}

static int verify_self(X509 **xp, const uint8_t *der, size_t len)
{
    if (!*xp) {
        const unsigned char *p = der;
        if (len > LONG_MAX || !(*xp = d2i_X509(NULL, &p, (long)len))) {
            ERR_clear_error();
            return 0;
        }
    }
    EVP_PKEY *k = X509_get0_pubkey(*xp);
    int ok = k && X509_verify(*xp, k) == 1;
    ERR_clear_error();
    return ok;
}

jks_status jks_cert_info_get(const uint8_t *der, size_t len, jks_cert_info *info)
{
    if (!der || !len || !info)
        return JKS_ERR_USAGE;
    X509 *x = NULL;
    jks_certfacts_loc loc;
    int have_loc;
    jks_status s = facts_loc(der, len, 0, info, &x, &loc, &have_loc);
    if (s == JKS_OK) {
        int r = -1;
        if (info->self_issued && have_loc) {
            /* the key from the SPKI and the signature over the TBS bytes,
             * without an X509 object (OpenSSL decides what this leaves) */
            EVP_PKEY *k = jks_certfacts_pkey(loc.spki, loc.spki_len);
            r = k ? jks_certfacts_verify(&loc, k) : -1;
            EVP_PKEY_free(k);
        }
        if (info->self_issued)
            info->self_signed = r >= 0 ? r : verify_self(&x, der, len);
        info->self_signed_known = 1;
    }
    X509_free(x);
    return s;
}

/* The OpenSSL path: every fact from a decoded X509, verifying nothing. */
void jks_cert_info_x509(X509 *x, const uint8_t *der, size_t len, jks_cert_info *info)
{
    memset(info, 0, sizeof(*info));
    jks_sha256_hex(der, len, info->sha256);
    {
        uint8_t md[20];
        if (jks_sha1(der, len, md))
            hex(md, 20, info->sha1);
    }
    jks_name_string(X509_get_subject_name(x), info->subject, sizeof(info->subject));
    jks_name_string(X509_get_issuer_name(x), info->issuer, sizeof(info->issuer));
    const ASN1_INTEGER *sn = X509_get0_serialNumber(x);
    if (sn) {
        size_t n = (size_t)sn->length < 64 ? (size_t)sn->length : 64;
        hex(sn->data, n, info->serial);
    }
    info->not_before = asn1_time_epoch(X509_get0_notBefore(x));
    info->not_after = asn1_time_epoch(X509_get0_notAfter(x));
    EVP_PKEY *k = X509_get0_pubkey(x);
    if (k) {
        pkey_facts(k, info->key_algorithm, sizeof(info->key_algorithm), &info->key_bits);
        spki_hash(k, info->spki_sha256);
    }
    int nid = X509_get_signature_nid(x), mdnid = 0, pknid = 0;
    snprintf(info->sig_algorithm, sizeof(info->sig_algorithm), "%s",
             nid ? OBJ_nid2ln(nid) : "unknown");
    if (OBJ_find_sigid_algs(nid, &mdnid, &pknid) && mdnid)
        snprintf(info->md_name, sizeof(info->md_name), "%s", OBJ_nid2sn(mdnid));
    info->self_issued = X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0;
    info->is_ca = X509_check_ca(x) > 0 && (X509_get_extension_flags(x) & EXFLAG_CA);
    uint32_t xku = X509_get_extended_key_usage(x);
    info->has_eku = (X509_get_extension_flags(x) & EXFLAG_XKUSAGE) != 0;
    info->eku_client_auth = !info->has_eku || (xku & XKU_SSL_CLIENT) || (xku & XKU_ANYEKU);
    info->eku_server_auth = !info->has_eku || (xku & XKU_SSL_SERVER) || (xku & XKU_ANYEKU);
    x509_ext_facts(x, info);
}

jks_status jks_key_info_get(const uint8_t *pkcs8, size_t len, jks_key_info *info)
{
    if (!pkcs8 || !len || !info)
        return JKS_ERR_USAGE;
    const unsigned char *p = pkcs8;
    if (jks_certfacts_key_info(pkcs8, len, info))
        return JKS_OK; /* RSA and EC: read here, no decoder framework */
    memset(info, 0, sizeof(*info));
    if (len > LONG_MAX)
        return JKS_ERR_FORMAT;
    PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)len);
    if (!p8)
        return JKS_ERR_FORMAT;
    EVP_PKEY *k = EVP_PKCS82PKEY(p8);
    if (!k) {
        /* a key type OpenSSL does not support: named when libjks knows its OID */
        const ASN1_OBJECT *o = NULL;
        const unsigned char *od;
        const char *pq = NULL;
        ERR_clear_error();
        if (PKCS8_pkey_get0(&o, NULL, NULL, NULL, p8) && o && (od = OBJ_get0_data(o)) != NULL)
            pq = jks_certfacts_pq_name(od, OBJ_length(o));
        if (pq) {
            size_t fam = strcspn(pq, "-") + 1 + strcspn(pq + strcspn(pq, "-") + 1, "-");
            snprintf(info->curve, sizeof(info->curve), "%s", pq);
            snprintf(info->algorithm, sizeof(info->algorithm), "%.*s", (int)fam, pq); /* ML-DSA */
        }
        PKCS8_PRIV_KEY_INFO_free(p8);
        return JKS_ERR_FORMAT;
    }
    PKCS8_PRIV_KEY_INFO_free(p8);
    pkey_facts(k, info->algorithm, sizeof(info->algorithm), &info->bits);
    int id = EVP_PKEY_get_base_id(k);
    if (id == EVP_PKEY_EC) {
        size_t gl = 0;
        EVP_PKEY_get_utf8_string_param(k, "group", info->curve, sizeof(info->curve), &gl);
    } else if (id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448 || id == EVP_PKEY_X25519 ||
               id == EVP_PKEY_X448) {
        /* Java's Key.getAlgorithm names the family (EdDSA, XDH); the curve,
         * from the key's OID whatever its alias says, in its own field */
        snprintf(info->curve, sizeof(info->curve), "%s", info->algorithm);
        snprintf(info->algorithm, sizeof(info->algorithm), "%s",
                 id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448 ? "EdDSA" : "XDH");
    }
    spki_hash(k, info->spki_sha256);
    EVP_PKEY_free(k);
    return info->spki_sha256[0] ? JKS_OK : JKS_ERR_FORMAT;
}

int jks_cert_issued_by(const uint8_t *der, size_t len, const uint8_t *issuer_der,
                       size_t issuer_len)
{
    if (!der || !len || !issuer_der || !issuer_len)
        return 0;
    const unsigned char *p = der, *q = issuer_der;
    X509 *x = d2i_X509(NULL, &p, (long)len), *y = d2i_X509(NULL, &q, (long)issuer_len);
    int ok = 0;
    if (x && y && X509_check_issued(y, x) == X509_V_OK) {
        EVP_PKEY *k = X509_get0_pubkey(y);
        ok = k && X509_verify(x, k) == 1;
    }
    X509_free(x);
    X509_free(y);
    return ok;
}

/* jks/certificate.h: the handle keeps a copy of the DER; the OpenSSL object
 * is decoded only when a signature is to be verified, and the
 * self-signature's result is cached. */
struct jks_cert {
    const uint8_t *der;
    uint8_t *der_owned; /* der's copy (jks_cert_decode); NULL for a view */
    size_t len;
    X509 *x;          /* NULL until needed */
    int x_failed;
    int self_ok;      /* -1 not yet verified, 1 verifies, 0 does not, 2 cannot tell */
    /* the DER reader's view (have_loc), for issuer checks and signatures
     * without an X509 object; loc points into der */
    int have_loc;
    jks_certfacts_loc loc;
    char ski[65], aki[65];
    int has_key_usage;
    unsigned key_usage;
    EVP_PKEY *pk;     /* its public key, built on first use */
    int pk_tried;
};

static jks_status cert_decode(const uint8_t *der, size_t len, int copy, jks_cert_info *info,
                              jks_cert **out)
{
    if (!der || !len || !out)
        return JKS_ERR_USAGE;
    jks_cert_info tmp;
    jks_certfacts_loc loc;
    int have_loc;
    X509 *x = NULL;
    *out = NULL;
    jks_status s = facts_loc(der, len, info ? 0 : JKS_FACTS_NO_FINGERPRINTS, info ? info : &tmp, &x,
                             &loc, &have_loc);
    if (s != JKS_OK) {
        if (info)
            memset(info, 0, sizeof(*info));
        return s;
    }
    jks_cert *c = calloc(1, sizeof(*c));
    if (!c || (copy && !(c->der_owned = malloc(len ? len : 1)))) {
        free(c);
        X509_free(x);
        if (info)
            memset(info, 0, sizeof(*info));
        return JKS_ERR_IO;
    }
    if (copy)
        memcpy(c->der_owned, der, len);
    c->der = copy ? c->der_owned : der;
    c->len = len;
    c->x = x;
    const jks_cert_info *fi = info ? info : &tmp;
    c->self_ok = fi->self_issued ? -1 : 0;
    if (have_loc) {
        /* rebase the reader's pointers from the caller's bytes to the copy */
#define REBASE(f) c->loc.f = loc.f ? c->der + (loc.f - der) : NULL
        c->loc = loc;
        REBASE(spki);
        REBASE(issuer);
        REBASE(subject);
        REBASE(tbs);
        REBASE(alg_in);
        REBASE(alg_out);
        REBASE(sig);
#undef REBASE
        c->have_loc = 1;
        memcpy(c->ski, fi->ski, sizeof(c->ski));
        memcpy(c->aki, fi->aki, sizeof(c->aki));
        c->has_key_usage = fi->has_key_usage;
        c->key_usage = fi->key_usage;
    }
    *out = c;
    return JKS_OK;
}

jks_status jks_cert_decode(const uint8_t *der, size_t len, jks_cert_info *info, jks_cert **out)
{
    return cert_decode(der, len, 1, info, out);
}

jks_status jks_cert_decode_view(const uint8_t *der, size_t len, jks_cert_info *info,
                                jks_cert **out)
{
    return cert_decode(der, len, 0, info, out);
}

static X509 *cert_x509(jks_cert *c)
{
    if (!c->x && !c->x_failed) {
        const unsigned char *p = c->der;
        if (c->len > LONG_MAX || !(c->x = d2i_X509(NULL, &p, (long)c->len))) {
            ERR_clear_error();
            c->x_failed = 1;
        }
    }
    return c->x;
}

static EVP_PKEY *cert_pkey(jks_cert *c)
{
    if (!c->pk_tried && c->have_loc) {
        c->pk_tried = 1;
        c->pk = jks_certfacts_pkey(c->loc.spki, c->loc.spki_len);
    }
    return c->pk;
}

/* X509_check_issued(issuer, cert) && X509_verify(cert, issuer key) from the
 * DER reader's view: 1 or 0, -1 when OpenSSL must decide (names that are not
 * the same bytes, an authorityKeyIdentifier naming issuer or serial, key
 * identifiers too long for the facts, key types left to OpenSSL). */
static int issued_fast(jks_cert *cert, jks_cert *issuer)
{
    const jks_certfacts_loc *a = &cert->loc, *b = &issuer->loc;
    if (!cert->have_loc || !issuer->have_loc || a->aki_other)
        return -1;
    if (a->issuer_len != b->subject_len || memcmp(a->issuer, b->subject, a->issuer_len))
        return -1;
    if (cert->aki[0] && issuer->ski[0]) {
        if (strlen(cert->aki) >= 64 || strlen(issuer->ski) >= 64)
            return -1;
        if (strcmp(cert->aki, issuer->ski))
            return 0;
    }
    /* ku_reject(issuer, KU_KEY_CERT_SIGN) */
    if (issuer->has_key_usage && !(issuer->key_usage & (1u << 5)))
        return 0;
    EVP_PKEY *k = cert_pkey(issuer);
    return k ? jks_certfacts_verify(a, k) : -1;
}

int jks_cert_self_verified(jks_cert *c)
{
    return jks_cert_self_signature(c) == 1;
}

int jks_cert_self_signature(jks_cert *c)
{
    if (!c)
        return 0;
    if (c->self_ok < 0 && c->have_loc && cert_pkey(c)) {
        int r = jks_certfacts_verify(&c->loc, c->pk);
        if (r >= 0)
            c->self_ok = r;
    }
    if (c->self_ok < 0) {
        X509 *x = cert_x509(c);
        EVP_PKEY *k = x ? X509_get0_pubkey(x) : NULL;
        if (x && !k) {
            c->self_ok = 2; /* OpenSSL has no key of this type: cannot tell */
        } else {
            int r = k ? X509_verify(x, k) : 0;
            /* an algorithm OpenSSL cannot verify with this key: cannot tell */
            c->self_ok = r == 1 ? 1 : r < 0 && ERR_GET_REASON(ERR_peek_last_error()) ==
                                                   ASN1_R_UNKNOWN_SIGNATURE_ALGORITHM ? 2 : 0;
        }
        ERR_clear_error();
    }
    return c->self_ok == 2 ? -1 : c->self_ok;
}

int jks_cert_issued(const jks_cert *cert, const jks_cert *issuer)
{
    if (!cert || !issuer)
        return 0;
    /* the handles are logically const: decoding on demand caches only */
    int r = issued_fast((jks_cert *)cert, (jks_cert *)issuer);
    if (r >= 0)
        return r;
    X509 *x = cert_x509((jks_cert *)cert), *y = cert_x509((jks_cert *)issuer);
    if (!x || !y || X509_check_issued(y, x) != X509_V_OK)
        return 0;
    EVP_PKEY *k = X509_get0_pubkey(y);
    int ok = k && X509_verify(x, k) == 1;
    ERR_clear_error();
    return ok;
}

void jks_cert_free(jks_cert *c)
{
    if (!c)
        return;
    X509_free(c->x);
    EVP_PKEY_free(c->pk);
    free(c->der_owned);
    free(c);
}

char *jks_cert_name_base(jks_bytes der)
{
    static const int nids[] = {NID_commonName, NID_organizationalUnitName, NID_organizationName};
    const unsigned char *p = der.data;
    X509 *x = d2i_X509(NULL, &p, (long)der.len);
    char *out = NULL;
    if (!x)
        return NULL;
    const X509_NAME *nm = X509_get_subject_name(x);
    int idx, last = -1;
    for (size_t k = 0; k < sizeof(nids) / sizeof(nids[0]) && last < 0; k++)
        for (idx = -1; (idx = X509_NAME_get_index_by_NID(nm, nids[k], idx)) >= 0;)
            last = idx;
    if (last >= 0) {
        unsigned char *u = NULL;
        const ASN1_STRING *s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(nm, last));
        int ul = ASN1_STRING_to_UTF8(&u, s);
        int ok = ul > 0;
        for (int i = 0; ok && i < ul; i++)
            ok = u[i] >= 0x20 && u[i] != 0x7F;
        if (ok && (out = malloc((size_t)ul + 1))) {
            memcpy(out, u, (size_t)ul);
            out[ul] = 0;
        }
        OPENSSL_free(u);
    }
    X509_free(x);
    return out;
}

int jks_cert_der_broken(jks_bytes der, int verify)
{
    const unsigned char *p = der.data;
    X509 *x = d2i_X509(NULL, &p, (long)der.len);
    int bad = !x || p != der.data + der.len;
    if (!bad && verify && X509_check_issued(x, x) == X509_V_OK) {
        EVP_PKEY *k = X509_get0_pubkey(x);
        bad = !k || X509_verify(x, k) != 1;
    }
    X509_free(x);
    return bad;
}
