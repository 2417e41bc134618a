/* Generating keys, self-signed certificates and PKCS#10 requests the way
 * keytool 17 does (-genkeypair, -certreq): keytool's -dname syntax and RDN
 * order (RFC 4514 string, last RDN encoded first), its string types, its -ext
 * syntax (RFC 5280 extensions), its default signature algorithms, a random
 * 64-bit serial and the SubjectKeyIdentifier it always adds. Built with
 * OpenSSL's X.509 objects; RFC 5280 (certificates), RFC 2986 (requests). */
#include "cert.h"
#include "store.h"

#include <ctype.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/rsa.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define DN_MAX_LEN 4096
#define DN_MAX_AVAS 64
#define EXT_MAX_LEN 4096

/* ---- names: keytool's -dname ---- */

enum { STR_DIR = 0, STR_IA5 = 1 };

/* The keywords Java's X500Name accepts (sun.security.x509.AVAKeyword). */
static const struct {
    const char *kw, *oid;
    int type;
} dn_keywords[] = {
    {"CN", "2.5.4.3", STR_DIR},
    {"C", "2.5.4.6", STR_DIR},
    {"L", "2.5.4.7", STR_DIR},
    {"S", "2.5.4.8", STR_DIR},
    {"ST", "2.5.4.8", STR_DIR},
    {"O", "2.5.4.10", STR_DIR},
    {"OU", "2.5.4.11", STR_DIR},
    {"T", "2.5.4.12", STR_DIR},
    {"IP", "1.3.6.1.4.1.42.2.11.2.1", STR_DIR},
    {"STREET", "2.5.4.9", STR_DIR},
    {"DC", "0.9.2342.19200300.100.1.25", STR_IA5},
    {"DNQUALIFIER", "2.5.4.46", STR_DIR},
    {"DNQ", "2.5.4.46", STR_DIR},
    {"SURNAME", "2.5.4.4", STR_DIR},
    {"GIVENNAME", "2.5.4.42", STR_DIR},
    {"INITIALS", "2.5.4.43", STR_DIR},
    {"GENERATION", "2.5.4.44", STR_DIR},
    {"EMAIL", "1.2.840.113549.1.9.1", STR_IA5},
    {"EMAILADDRESS", "1.2.840.113549.1.9.1", STR_IA5},
    {"UID", "0.9.2342.19200300.100.1.1", STR_DIR},
    {"SERIALNUMBER", "2.5.4.5", STR_DIR},
};

/* Java's DerValue.isPrintableStringChar. */
static int printable_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr(" '()+,-./:=?", c) != NULL;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int utf8_valid(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        size_t k = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2
                                : (c & 0xF8) == 0xF0 ? 3 : 9;
        if (k == 9 || (k == 1 && c < 0xC2) || i + k >= n)
            return 0;
        for (size_t j = 1; j <= k; j++)
            if ((s[i + j] & 0xC0) != 0x80)
                return 0;
        i += k + 1;
    }
    return 1;
}

typedef struct {
    ASN1_OBJECT *oid;
    int type;               /* STR_DIR, STR_IA5 */
    unsigned char *val;     /* unescaped UTF-8 */
    size_t len;
    int rdn;                /* index of the RDN in the string */
} dn_ava;

static jks_status dn_fail(jks_error *err, const char *dn, const char *what, size_t at)
{
    return jks_fail(err, JKS_ERR_USAGE, -1, "dname \"%.80s\": %s at character %zu", dn, what,
                    at + 1);
}

/* Parse one attribute value starting at s[*i]; stops at an unescaped ',', ';',
 * '+' or the end. Writes the unescaped bytes into out (cap >= strlen(s)). */
static jks_status dn_value(const char *dn, size_t *i, unsigned char *out, size_t *olen,
                           jks_error *err)
{
    const char *s = dn;
    size_t n = 0, keep = 0; /* keep: length without trailing unescaped spaces */
    while (s[*i] == ' ')
        (*i)++;
    if (s[*i] == '#')
        return dn_fail(err, dn, "hex-encoded (#) values are not supported", *i);
    if (s[*i] == '"') {
        (*i)++;
        for (;;) {
            char c = s[*i];
            if (!c)
                return dn_fail(err, dn, "unterminated quoted value", *i);
            if (c == '"')
                break;
            if (c == '\\') {
                int h1 = hexval((unsigned char)s[*i + 1]), h2 = h1 >= 0 ? hexval((unsigned char)s[*i + 2]) : -1;
                if (h1 >= 0 && h2 >= 0) {
                    out[n++] = (unsigned char)(h1 << 4 | h2);
                    *i += 3;
                    continue;
                }
                if (!s[*i + 1])
                    return dn_fail(err, dn, "backslash at the end", *i);
                (*i)++;
                c = s[*i];
            }
            out[n++] = (unsigned char)c;
            (*i)++;
        }
        (*i)++;
        keep = n;
        while (s[*i] == ' ')
            (*i)++;
        if (s[*i] && !strchr(",;+", s[*i]))
            return dn_fail(err, dn, "text after a quoted value", *i);
    } else {
        while (s[*i] && !strchr(",;+", s[*i])) {
            char c = s[*i];
            if (c == '\\') {
                int h1 = hexval((unsigned char)s[*i + 1]), h2 = h1 >= 0 ? hexval((unsigned char)s[*i + 2]) : -1;
                if (h1 >= 0 && h2 >= 0) {
                    out[n++] = (unsigned char)(h1 << 4 | h2);
                    *i += 3;
                    keep = n;
                    continue;
                }
                if (!s[*i + 1] || !strchr(",=+<>#;\"\\ ", s[*i + 1]))
                    return dn_fail(err, dn, "bad escape (use \\, \\+ \\; \\\" \\\\ \\< \\> \\= \\# or \\XX)", *i);
                out[n++] = (unsigned char)s[*i + 1];
                *i += 2;
                keep = n;
                continue;
            }
            if (c == '"' || c == '<' || c == '>') /* '=' passes, as in Java */
                return dn_fail(err, dn, "special character must be escaped with \\", *i);
            out[n++] = (unsigned char)c;
            if (c != ' ')
                keep = n;
            (*i)++;
        }
    }
    *olen = keep;
    return JKS_OK;
}

static void avas_free(dn_ava *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ASN1_OBJECT_free(a[i].oid);
        free(a[i].val);
    }
}

/* keytool -dname -> X509_NAME. The string lists the most specific RDN first
 * (RFC 4514); the encoding lists it last, as Java's X500Name does. Values are
 * PrintableString when every character allows it, else UTF8String;
 * emailAddress and DC are IA5String. */
static jks_status dn_parse(const char *dn, X509_NAME **out, jks_error *err)
{
    size_t len = strlen(dn), i = 0, n = 0;
    dn_ava avas[DN_MAX_AVAS];
    int rdn = 0;
    jks_status s = JKS_OK;
    *out = NULL;
    if (len > DN_MAX_LEN)
        return jks_fail(err, JKS_ERR_USAGE, -1, "dname is longer than %d characters", DN_MAX_LEN);
    while (s == JKS_OK) {
        while (dn[i] == ' ')
            i++;
        if (!dn[i]) {
            s = n ? dn_fail(err, dn, "nothing after the separator", i)
                  : jks_fail(err, JKS_ERR_USAGE, -1, "dname is empty");
            break;
        }
        size_t k0 = i;
        while (dn[i] && dn[i] != '=' && !strchr(",;+", dn[i]))
            i++;
        if (dn[i] != '=') {
            s = dn_fail(err, dn, "expected KEYWORD=value", k0);
            break;
        }
        size_t k1 = i;
        while (k1 > k0 && dn[k1 - 1] == ' ')
            k1--;
        char kw[80];
        if (k1 == k0 || k1 - k0 >= sizeof(kw)) {
            s = dn_fail(err, dn, "bad attribute keyword", k0);
            break;
        }
        memcpy(kw, dn + k0, k1 - k0);
        kw[k1 - k0] = 0;
        i++;
        if (n == DN_MAX_AVAS) {
            s = jks_fail(err, JKS_ERR_USAGE, -1, "dname has more than %d attributes", DN_MAX_AVAS);
            break;
        }
        dn_ava *a = &avas[n];
        memset(a, 0, sizeof(*a));
        a->rdn = rdn;
        const char *oidtxt = NULL;
        for (size_t k = 0; k < sizeof(dn_keywords) / sizeof(dn_keywords[0]); k++)
            if (!strcasecmp(kw, dn_keywords[k].kw)) {
                oidtxt = dn_keywords[k].oid;
                a->type = dn_keywords[k].type;
            }
        if (!oidtxt) {
            const char *d = !strncasecmp(kw, "OID.", 4) ? kw + 4 : kw;
            int ok = isdigit((unsigned char)d[0]) && strchr(d, '.');
            for (const char *p = d; ok && *p; p++)
                ok = isdigit((unsigned char)*p) || (*p == '.' && p[1] && p[1] != '.');
            if (ok)
                oidtxt = d;
        }
        if (!oidtxt || !(a->oid = OBJ_txt2obj(oidtxt, 1))) {
            s = jks_fail(err, JKS_ERR_USAGE, -1,
                         "dname \"%.80s\": unknown attribute keyword \"%s\" (use CN, OU, O, L, ST, C, "
                         "STREET, DC, EMAILADDRESS, UID, SERIALNUMBER, ... or OID.n.n.n)", dn, kw);
            break;
        }
        n++;
        if (!(a->val = malloc(len + 1))) {
            s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
            break;
        }
        if ((s = dn_value(dn, &i, a->val, &a->len, err)) != JKS_OK)
            break;
        if (!utf8_valid(a->val, a->len)) {
            s = jks_fail(err, JKS_ERR_USAGE, -1, "dname \"%.80s\": value of %s is not UTF-8", dn, kw);
            break;
        }
        for (size_t k = 0; a->type == STR_IA5 && k < a->len; k++)
            if (a->val[k] >= 0x80) {
                s = jks_fail(err, JKS_ERR_USAGE, -1, "dname \"%.80s\": %s must be ASCII", dn, kw);
                break;
            }
        if (!dn[i])
            break;
        if (dn[i] != '+')
            rdn++;
        i++;
    }
    X509_NAME *name = s == JKS_OK ? X509_NAME_new() : NULL;
    if (s == JKS_OK && !name)
        s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    /* most significant (last written) RDN first */
    for (int r = rdn; s == JKS_OK && r >= 0; r--) {
        int first = 1;
        for (size_t k = 0; k < n && s == JKS_OK; k++) {
            if (avas[k].rdn != r)
                continue;
            int type = V_ASN1_PRINTABLESTRING;
            if (avas[k].type == STR_IA5)
                type = V_ASN1_IA5STRING;
            else
                for (size_t j = 0; j < avas[k].len; j++)
                    if (!printable_char(avas[k].val[j]))
                        type = V_ASN1_UTF8STRING;
            if (!X509_NAME_add_entry_by_OBJ(name, avas[k].oid, type, avas[k].val, (int)avas[k].len,
                                            -1, first ? 0 : -1))
                s = jks_fail(err, JKS_ERR_IO, -1, "cannot build the name");
            first = 0;
        }
    }
    avas_free(avas, n);
    if (s != JKS_OK)
        X509_NAME_free(name);
    else
        *out = name;
    return s;
}

/* ---- extensions: keytool's -ext ---- */

/* keytool's oneOf: s is a case-insensitive prefix of an item, or its
 * initials (first letter plus every non-lower-case letter: "bc", "eku");
 * several matches are ambiguous unless one is exact. NULL items never match.
 * Returns the index, -1 for none, -2 for ambiguous. */
static int one_of(const char *s, const char *const *list, int n)
{
    int match = -1, count = 0, exact = -1;
    size_t sl = strlen(s);
    if (!sl)
        return -1;
    for (int i = 0; i < n; i++) {
        const char *it = list[i];
        if (!it)
            continue;
        char ab[64];
        size_t an = 0;
        for (const char *p = it; *p && an + 1 < sizeof(ab); p++)
            if (p == it || !islower((unsigned char)*p))
                ab[an++] = *p;
        ab[an] = 0;
        if (!strcasecmp(s, it))
            exact = i;
        if (!strncasecmp(it, s, sl) || !strcasecmp(ab, s)) {
            match = i;
            count++;
        }
    }
    if (exact >= 0)
        return exact;
    return count == 1 ? match : count ? -2 : -1;
}

enum { X_SKI, X_KU, X_SAN, X_IAN, X_BC, X_EKU, X_SIA, X_AIA, X_COUNT };
static const int ext_nid[X_COUNT] = {
    NID_subject_key_identifier, NID_key_usage, NID_subject_alt_name, NID_issuer_alt_name,
    NID_basic_constraints, NID_ext_key_usage, NID_sinfo_access, NID_info_access,
};

static const char *const ext_names[] = {
    "BasicConstraints", "KeyUsage", "ExtendedKeyUsage", "SubjectAlternativeName",
    "IssuerAlternativeName", "SubjectInfoAccess", "AuthorityInfoAccess",
};
static const int ext_slot[] = {X_BC, X_KU, X_EKU, X_SAN, X_IAN, X_SIA, X_AIA};

static const char *const ku_names[] = {
    "digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment",
    "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly",
    "contentCommitment",
};

static const char *const eku_names[] = {
    "anyExtendedKeyUsage", "serverAuth", "clientAuth", "codeSigning", "emailProtection",
    NULL, NULL, NULL, "timeStamping", "OCSPSigning",
};

static const char *const gn_names[] = {"EMAIL", "URI", "DNS", "IP", "OID"};

static int dotted_oid(const char *s)
{
    int dots = 0;
    if (!isdigit((unsigned char)*s))
        return 0;
    for (; *s; s++) {
        if (*s == '.') {
            if (!isdigit((unsigned char)s[1]))
                return 0;
            dots++;
        } else if (!isdigit((unsigned char)*s)) {
            return 0;
        }
    }
    return dots > 0;
}

/* Next comma-separated item of *p into buf (cap bytes); 0 at the end. */
static int next_item(const char **p, char *buf, size_t cap)
{
    if (!*p)
        return 0;
    const char *c = strchr(*p, ',');
    size_t n = c ? (size_t)(c - *p) : strlen(*p);
    if (n >= cap)
        n = cap - 1;
    memcpy(buf, *p, n);
    buf[n] = 0;
    *p = c ? c + 1 : NULL;
    return 1;
}

static int ascii_no_space(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7F)
            return 0;
    return 1;
}

static jks_status ext_fail(jks_error *err, const char *ext, const char *fmt, const char *arg)
{
    char a[64], what[512];
    snprintf(a, sizeof(a), "%.60s", arg);
    snprintf(what, sizeof(what), fmt, a);
    return jks_fail(err, JKS_ERR_USAGE, -1, "ext \"%.80s\": %s", ext, what);
}

/* One GeneralName of keytool's createGeneralName: type (dns, ip, email,
 * uri, oid, abbreviated) and value. */
static jks_status gen_name(const char *ext, const char *type, const char *v, GENERAL_NAME **out,
                           jks_error *err)
{
    int t = one_of(type, gn_names, 5);
    GENERAL_NAME *gn = NULL;
    *out = NULL;
    if (!*v)
        return ext_fail(err, ext, "\"%s\" has no value", type);
    if (t == 3) {
        ASN1_OCTET_STRING *ip = a2i_IPADDRESS(v);
        if (!ip)
            return ext_fail(err, ext, "bad IP address \"%s\"", v);
        gn = GENERAL_NAME_new();
        if (gn)
            GENERAL_NAME_set0_value(gn, GEN_IPADD, ip);
        else
            ASN1_OCTET_STRING_free(ip);
    } else if (t == 4) {
        ASN1_OBJECT *o = dotted_oid(v) ? OBJ_txt2obj(v, 1) : NULL;
        if (!o)
            return ext_fail(err, ext, "bad OID \"%s\"", v);
        gn = GENERAL_NAME_new();
        if (gn)
            GENERAL_NAME_set0_value(gn, GEN_RID, o);
        else
            ASN1_OBJECT_free(o);
    } else if (t >= 0) {
        int gt = t == 0 ? GEN_EMAIL : t == 1 ? GEN_URI : GEN_DNS;
        if (!ascii_no_space(v) || (t == 1 && !strchr(v, ':')) ||
            (t == 2 && (v[0] == '.' || v[strlen(v) - 1] == '.')))
            return ext_fail(err, ext, "bad name \"%s\"", v);
        ASN1_IA5STRING *str = ASN1_IA5STRING_new();
        gn = GENERAL_NAME_new();
        if (str && gn && ASN1_STRING_set(str, v, (int)strlen(v))) {
            GENERAL_NAME_set0_value(gn, gt, str);
        } else {
            ASN1_IA5STRING_free(str);
            GENERAL_NAME_free(gn);
            gn = NULL;
        }
    } else {
        return ext_fail(err, ext, "unknown name type \"%s\" (dns, ip, email, uri, oid)", type);
    }
    if (!gn)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    *out = gn;
    return JKS_OK;
}

static jks_status gen_names(const char *ext, const char *value, GENERAL_NAMES **out,
                            jks_error *err)
{
    GENERAL_NAMES *gns = sk_GENERAL_NAME_new_null();
    char item[EXT_MAX_LEN + 1];
    const char *p = value;
    jks_status s = JKS_OK;
    if (!gns)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    while (s == JKS_OK && next_item(&p, item, sizeof(item))) {
        char *colon = strchr(item, ':');
        GENERAL_NAME *gn = NULL;
        if (!colon || !colon[1]) {
            s = ext_fail(err, ext, "\"%s\" is not TYPE:VALUE (dns, ip, email, uri, oid)", item);
            break;
        }
        *colon = 0;
        if ((s = gen_name(ext, item, colon + 1, &gn, err)) != JKS_OK)
            break;
        if (!sk_GENERAL_NAME_push(gns, gn)) {
            GENERAL_NAME_free(gn);
            s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        }
    }
    if (s == JKS_OK && sk_GENERAL_NAME_num(gns) == 0)
        s = ext_fail(err, ext, "%s", "no names given");
    if (s != JKS_OK) {
        GENERAL_NAMES_free(gns);
        return s;
    }
    *out = gns;
    return JKS_OK;
}

/* keytool's aia=/sia= value: METHOD:TYPE:VALUE,... with METHOD ocsp,
 * caIssuers, timeStamping, caRepository (abbreviated) or a dotted OID
 * (id-ad 1.3.6.1.5.5.7.48.1, .2, .3, .5), TYPE:VALUE a GeneralName. */
static jks_status access_descs(const char *ext, const char *value, AUTHORITY_INFO_ACCESS **out,
                               jks_error *err)
{
    static const char *const methods[] = {NULL, "ocsp", "caIssuers", "timeStamping", NULL,
                                          "caRepository"};
    AUTHORITY_INFO_ACCESS *ads = sk_ACCESS_DESCRIPTION_new_null();
    char item[EXT_MAX_LEN + 1];
    const char *p = value;
    jks_status s = JKS_OK;
    if (!ads)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    while (s == JKS_OK && next_item(&p, item, sizeof(item))) {
        char *c1 = strchr(item, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2) {
            s = ext_fail(err, ext, "%s", "illegal value (METHOD:TYPE:VALUE, e.g. ocsp:uri:http://ocsp.example/)");
            break;
        }
        *c1 = *c2 = 0;
        int m = one_of(item, methods, 6);
        char oid[96];
        if (m > 0)
            snprintf(oid, sizeof(oid), "1.3.6.1.5.5.7.48.%d", m);
        else if (m == -1 && dotted_oid(item) && strlen(item) < sizeof(oid))
            memcpy(oid, item, strlen(item) + 1);
        else {
            s = ext_fail(err, ext, "unknown access method \"%s\" (ocsp, caIssuers, timeStamping, caRepository or an OID)", item);
            break;
        }
        ACCESS_DESCRIPTION *ad = ACCESS_DESCRIPTION_new();
        if (!ad) {
            s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
            break;
        }
        GENERAL_NAME_free(ad->location);
        ad->location = NULL;
        ASN1_OBJECT_free(ad->method);
        ad->method = OBJ_txt2obj(oid, 1);
        if ((s = gen_name(ext, c1 + 1, c2 + 1, &ad->location, err)) == JKS_OK &&
            (!ad->method || !sk_ACCESS_DESCRIPTION_push(ads, ad)))
            s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        if (s != JKS_OK)
            ACCESS_DESCRIPTION_free(ad);
    }
    if (s != JKS_OK) {
        AUTHORITY_INFO_ACCESS_free(ads);
        return s;
    }
    *out = ads;
    return JKS_OK;
}

/* keytool's OID=HEX: the hex digits of value (anything else skipped, as
 * keytool does) are the extnValue; none or no value: empty. */
static jks_status raw_ext(const char *ext, const char *oidtxt, int crit, const char *value,
                          X509_EXTENSION **out, jks_error *err)
{
    size_t n = 0, digits = 0;
    unsigned char buf[EXT_MAX_LEN / 2 + 1];
    for (const char *q = value; q && *q; q++) {
        int h = hexval((unsigned char)*q);
        if (h < 0)
            continue;
        if (digits % 2 == 0)
            buf[n] = (unsigned char)(h << 4);
        else
            buf[n++] |= (unsigned char)h;
        digits++;
    }
    if (digits % 2)
        return ext_fail(err, ext, "%s", "odd number of hex digits");
    ASN1_OBJECT *o = OBJ_txt2obj(oidtxt, 1);
    ASN1_OCTET_STRING *v = ASN1_OCTET_STRING_new();
    *out = o && v && ASN1_OCTET_STRING_set(v, buf, (int)n) ? X509_EXTENSION_create_by_OBJ(NULL, o, crit, v) : NULL;
    ASN1_OBJECT_free(o);
    ASN1_OCTET_STRING_free(v);
    return *out ? JKS_OK : jks_fail(err, JKS_ERR_IO, -1, "cannot encode extension \"%.80s\"", ext);
}

#define ISSUE_MAX_EXTS 64

typedef struct {
    X509_EXTENSION *ext;
    char oid[96];
} ext_item;

/* keytool's setExt: ext (owned) replaces the one with its OID, else joins. */
static jks_status items_set(ext_item *it, size_t *n, X509_EXTENSION *ext, jks_error *err)
{
    char oid[96];
    if (!ext)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    if (OBJ_obj2txt(oid, sizeof(oid), X509_EXTENSION_get_object(ext), 1) <= 0) {
        X509_EXTENSION_free(ext);
        return jks_fail(err, JKS_ERR_FORMAT, -1, "an extension has a bad OID");
    }
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(it[i].oid, oid)) {
            X509_EXTENSION_free(it[i].ext);
            it[i].ext = ext;
            return JKS_OK;
        }
    if (*n >= ISSUE_MAX_EXTS) {
        X509_EXTENSION_free(ext);
        return jks_fail(err, JKS_ERR_FORMAT, -1, "more than %d extensions", ISSUE_MAX_EXTS);
    }
    it[*n].ext = ext;
    memcpy(it[*n].oid, oid, sizeof(oid));
    (*n)++;
    return JKS_OK;
}

static void items_free(ext_item *it, size_t n)
{
    for (size_t i = 0; i < n; i++)
        X509_EXTENSION_free(it[i].ext);
}

/* Java's CertificateExtensions keeps them in a TreeMap keyed by the OID
 * string: that is the encoded order. */
static int item_cmp(const void *a, const void *b)
{
    return strcmp(((const ext_item *)a)->oid, ((const ext_item *)b)->oid);
}

/* One keytool -ext value "name[:critical][=value]" into the list it, n. */
static jks_status ext_parse(const char *ext, ext_item *it, size_t *n, jks_error *err)
{
    char name[128];
    const char *eq = strchr(ext, '='), *value = eq ? eq + 1 : NULL;
    size_t nl = eq ? (size_t)(eq - ext) : strlen(ext);
    int crit = 0;
    void *obj = NULL;
    jks_status s = JKS_OK;
    if (strlen(ext) > EXT_MAX_LEN)
        return jks_fail(err, JKS_ERR_USAGE, -1, "ext is longer than %d characters", EXT_MAX_LEN);
    if (nl >= sizeof(name))
        return ext_fail(err, ext, "%s", "name too long");
    memcpy(name, ext, nl);
    name[nl] = 0;
    char *colon = strchr(name, ':');
    if (colon) {
        static const char *const c[] = {"critical"};
        *colon = 0;
        if (one_of(colon + 1, c, 1) != 0)
            return ext_fail(err, ext, "\"%s\" is not :critical", colon + 1);
        crit = 1;
    }
    int which = one_of(name, ext_names, 7);
    if (which == -1 && dotted_oid(name)) { /* keytool's OID=HEX; a repeated OID replaces */
        X509_EXTENSION *raw = NULL;
        if ((s = raw_ext(ext, name, crit, value, &raw, err)) != JKS_OK)
            return s;
        return items_set(it, n, raw, err);
    }
    if (which < 0)
        return ext_fail(err, ext, which == -2 ? "ambiguous name \"%s\""
                                              : "unsupported extension \"%s\" (san, ian, eku, ku, bc, sia, aia or an OID)",
                        name);
    int slot = ext_slot[which];
    for (size_t i = 0; i < *n; i++)
        if (OBJ_obj2nid(X509_EXTENSION_get_object(it[i].ext)) == ext_nid[slot])
            return ext_fail(err, ext, "%s given twice", ext_names[which]);
    if (slot != X_BC && (!value || !*value))
        return ext_fail(err, ext, "%s needs a value", ext_names[which]);
    if ((slot == X_SIA || slot == X_AIA) && crit) /* keytool: always non-critical */
        return ext_fail(err, ext, "%s cannot be marked as critical", ext_names[which]);

    char item[EXT_MAX_LEN + 1];
    const char *p = value;
    if (slot == X_BC) {
        BASIC_CONSTRAINTS *bc = BASIC_CONSTRAINTS_new();
        long pathlen = -1;
        int ca = 0;
        char *end;
        if (!bc)
            return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        obj = bc;
        if (!value) {
            ca = 1;
        } else if (isdigit((unsigned char)value[0]) && (pathlen = strtol(value, &end, 10), !*end)) {
            ca = 1; /* "bc=N" is short for ca:true,pathlen:N */
        } else {
            pathlen = -1;
            while (s == JKS_OK && next_item(&p, item, sizeof(item))) {
                char *c = strchr(item, ':');
                if (c)
                    *c++ = 0;
                int good = 0;
                if (c && !strcasecmp(item, "ca") && (!strcasecmp(c, "true") || !strcasecmp(c, "false"))) {
                    ca = !strcasecmp(c, "true");
                    good = 1;
                } else if (c && !strcasecmp(item, "pathlen") && isdigit((unsigned char)*c)) {
                    pathlen = strtol(c, &end, 10);
                    good = !*end;
                }
                if (!good)
                    s = ext_fail(err, ext, "%s", "basic constraints are ca:true|false[,pathlen:N] or N");
            }
        }
        if (s == JKS_OK && pathlen > 0x7FFFFFFF)
            s = ext_fail(err, ext, "%s", "pathlen too large");
        bc->ca = ca ? 0xFF : 0;
        /* Java writes pathLenConstraint only for a CA */
        if (s == JKS_OK && ca && pathlen >= 0 &&
            (!(bc->pathlen = ASN1_INTEGER_new()) || !ASN1_INTEGER_set(bc->pathlen, pathlen)))
            s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    } else if (slot == X_KU) {
        ASN1_BIT_STRING *ku = ASN1_BIT_STRING_new();
        if (!ku)
            return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        obj = ku;
        while (s == JKS_OK && next_item(&p, item, sizeof(item))) {
            int b = one_of(item, ku_names, 10);
            if (b < 0)
                s = ext_fail(err, ext, b == -2 ? "ambiguous key usage \"%s\"" : "unknown key usage \"%s\"",
                             item);
            else if (!ASN1_BIT_STRING_set_bit(ku, b == 9 ? 1 : b, 1))
                s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        }
    } else if (slot == X_EKU) {
        EXTENDED_KEY_USAGE *eku = sk_ASN1_OBJECT_new_null();
        if (!eku)
            return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        obj = eku;
        while (s == JKS_OK && next_item(&p, item, sizeof(item))) {
            int u = one_of(item, eku_names, 10);
            char oid[64];
            if (u == 0)
                snprintf(oid, sizeof(oid), "2.5.29.37.0");
            else if (u > 0)
                snprintf(oid, sizeof(oid), "1.3.6.1.5.5.7.3.%d", u);
            else if (u == -1 && dotted_oid(item) && strlen(item) < sizeof(oid))
                memcpy(oid, item, strlen(item) + 1);
            else {
                s = ext_fail(err, ext, u == -2 ? "ambiguous extended key usage \"%s\""
                                               : "unknown extended key usage \"%s\" (serverAuth, clientAuth, codeSigning, emailProtection, timeStamping, OCSPSigning, anyExtendedKeyUsage or an OID)",
                             item);
                break;
            }
            ASN1_OBJECT *o = OBJ_txt2obj(oid, 1);
            if (!o || !sk_ASN1_OBJECT_push(eku, o)) {
                ASN1_OBJECT_free(o);
                s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
            }
        }
    } else if (slot == X_SIA || slot == X_AIA) {
        AUTHORITY_INFO_ACCESS *ads = NULL;
        s = access_descs(ext, value, &ads, err);
        obj = ads;
    } else {
        GENERAL_NAMES *gns = NULL;
        s = gen_names(ext, value, &gns, err);
        obj = gns;
    }
    if (s == JKS_OK) {
        X509_EXTENSION *made = X509V3_EXT_i2d(ext_nid[slot], crit, obj);
        s = made ? items_set(it, n, made, err)
                 : jks_fail(err, JKS_ERR_IO, -1, "cannot encode extension \"%.80s\"", ext);
    }
    switch (slot) {
    case X_BC: BASIC_CONSTRAINTS_free(obj); break;
    case X_SIA: case X_AIA: AUTHORITY_INFO_ACCESS_free(obj); break;
    case X_KU: ASN1_BIT_STRING_free(obj); break;
    case X_EKU: sk_ASN1_OBJECT_pop_free(obj, ASN1_OBJECT_free); break;
    default: GENERAL_NAMES_free(obj); break;
    }
    return s;
}


/* keytool's "honored=..." (-gencert: which requested extensions to copy):
 * the other generators skip it, as keytool does. */
static int ext_is_honored(const char *ext)
{
    size_t n = strcspn(ext, ":=");
    return n == 7 && !strncasecmp(ext, "honored", 7);
}

static jks_status ski_ext(EVP_PKEY *k, X509_EXTENSION **out, jks_error *err);

/* p's -ext values into it, *n (empty before; emptied on failure). */
static jks_status exts_parse(const jks_gen_params *p, ext_item *it, size_t *n, jks_error *err)
{
    for (size_t i = 0; i < p->n_exts; i++) {
        if (ext_is_honored(p->exts[i]))
            continue;
        jks_status s = ext_parse(p->exts[i], it, n, err);
        if (s != JKS_OK) {
            items_free(it, *n);
            *n = 0;
            return s;
        }
    }
    return JKS_OK;
}

/* What keytool -genkeypair and -certreq write: the -ext values and the
 * SubjectKeyIdentifier (unless an OID=HEX value gave one), in OID order. */
static jks_status exts_with_ski(const jks_gen_params *p, EVP_PKEY *k, ext_item *it, size_t *n,
                                jks_error *err)
{
    jks_status s = exts_parse(p, it, n, err);
    int have_ski = 0;
    for (size_t i = 0; s == JKS_OK && i < *n; i++)
        have_ski |= OBJ_obj2nid(X509_EXTENSION_get_object(it[i].ext)) == NID_subject_key_identifier;
    X509_EXTENSION *ski = NULL;
    if (s == JKS_OK && !have_ski &&
        ((s = ski_ext(k, &ski, err)) != JKS_OK || (s = items_set(it, n, ski, err)) != JKS_OK)) {
        items_free(it, *n);
        *n = 0;
    }
    if (s == JKS_OK)
        qsort(it, *n, sizeof(it[0]), item_cmp);
    return s;
}

/* SubjectKeyIdentifier as keytool makes it: SHA-1 of the subjectPublicKey
 * bits (RFC 5280 4.2.1.2 method 1). */
static jks_status ski_ext(EVP_PKEY *k, X509_EXTENSION **out, jks_error *err)
{
    X509_PUBKEY *pub = NULL;
    const unsigned char *bits;
    int blen;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdl = 0;
    ASN1_OCTET_STRING *id = ASN1_OCTET_STRING_new();
    jks_status s = JKS_ERR_IO;
    if (id && X509_PUBKEY_set(&pub, k) &&
        X509_PUBKEY_get0_param(NULL, &bits, &blen, NULL, pub) &&
        EVP_Digest(bits, (size_t)blen, md, &mdl, EVP_sha1(), NULL) &&
        ASN1_OCTET_STRING_set(id, md, (int)mdl) &&
        (*out = X509V3_EXT_i2d(NID_subject_key_identifier, 0, id)))
        s = JKS_OK;
    X509_PUBKEY_free(pub);
    ASN1_OCTET_STRING_free(id);
    return s == JKS_OK ? s : jks_fail(err, JKS_ERR_IO, -1, "cannot compute the subject key identifier");
}

/* ---- keys and signature algorithms ---- */

typedef enum { K_NONE, K_RSA, K_EC, K_DSA, K_ED25519, K_ED448, K_PSS } keykind;

/* How Java's AlgorithmId encodes the parameters: NULL (RSA and, in JDK 17,
 * DSA and SHA1withECDSA), absent (ECDSA with SHA-2, EdDSA) or
 * RSASSA-PSS-params (keytool 17's output, tests/interop/keytool_gen.sh). */
enum { PAR_NULL, PAR_ABSENT, PAR_PSS };

static const struct {
    const char *name;
    keykind kind;   /* K_RSA also takes RSASSA-PSS keys */
    const char *md; /* NULL: EdDSA hashes itself; RSASSA-PSS: by the key size */
    const char *oid;
    int params;
} sigalgs[] = {
    {"MD5withRSA", K_RSA, "MD5", "1.2.840.113549.1.1.4", PAR_NULL},
    {"SHA1withRSA", K_RSA, "SHA1", "1.2.840.113549.1.1.5", PAR_NULL},
    {"SHA224withRSA", K_RSA, "SHA224", "1.2.840.113549.1.1.14", PAR_NULL},
    {"SHA256withRSA", K_RSA, "SHA256", "1.2.840.113549.1.1.11", PAR_NULL},
    {"SHA384withRSA", K_RSA, "SHA384", "1.2.840.113549.1.1.12", PAR_NULL},
    {"SHA512withRSA", K_RSA, "SHA512", "1.2.840.113549.1.1.13", PAR_NULL},
    {"RSASSA-PSS", K_RSA, NULL, "1.2.840.113549.1.1.10", PAR_PSS},
    {"SHA1withECDSA", K_EC, "SHA1", "1.2.840.10045.4.1", PAR_NULL}, /* JDK 17 writes NULL */
    {"SHA224withECDSA", K_EC, "SHA224", "1.2.840.10045.4.3.1", PAR_ABSENT},
    {"SHA256withECDSA", K_EC, "SHA256", "1.2.840.10045.4.3.2", PAR_ABSENT},
    {"SHA384withECDSA", K_EC, "SHA384", "1.2.840.10045.4.3.3", PAR_ABSENT},
    {"SHA512withECDSA", K_EC, "SHA512", "1.2.840.10045.4.3.4", PAR_ABSENT},
    {"SHA1withDSA", K_DSA, "SHA1", "1.2.840.10040.4.3", PAR_NULL},
    {"SHA224withDSA", K_DSA, "SHA224", "2.16.840.1.101.3.4.3.1", PAR_NULL},
    {"SHA256withDSA", K_DSA, "SHA256", "2.16.840.1.101.3.4.3.2", PAR_NULL},
    {"SHA384withDSA", K_DSA, "SHA384", "2.16.840.1.101.3.4.3.3", PAR_NULL},
    {"SHA512withDSA", K_DSA, "SHA512", "2.16.840.1.101.3.4.3.4", PAR_NULL},
    {"Ed25519", K_ED25519, NULL, "1.3.101.112", PAR_ABSENT},
    {"Ed448", K_ED448, NULL, "1.3.101.113", PAR_ABSENT},
    {"EdDSA", K_NONE, NULL, NULL, PAR_ABSENT}, /* Ed25519 or Ed448, after the key */
};

#define N_SIGALGS (sizeof(sigalgs) / sizeof(sigalgs[0]))

static keykind kind_of(EVP_PKEY *k)
{
    switch (EVP_PKEY_get_base_id(k)) {
    case EVP_PKEY_RSA: return K_RSA;
    case EVP_PKEY_RSA_PSS: return K_PSS;
    case EVP_PKEY_EC: return K_EC;
    case EVP_PKEY_DSA: return K_DSA;
    case EVP_PKEY_ED25519: return K_ED25519;
    case EVP_PKEY_ED448: return K_ED448;
    default: return K_NONE;
    }
}

static keykind keyalg_kind(const char *alg)
{
    if (!strcasecmp(alg, "RSA"))
        return K_RSA;
    if (!strcasecmp(alg, "RSASSA-PSS"))
        return K_PSS;
    if (!strcasecmp(alg, "EC") || !strcasecmp(alg, "ECDSA"))
        return K_EC;
    if (!strcasecmp(alg, "Ed25519") || !strcasecmp(alg, "EdDSA"))
        return K_ED25519;
    if (!strcasecmp(alg, "Ed448"))
        return K_ED448;
    if (!strcasecmp(alg, "DSA"))
        return K_DSA;
    return K_NONE;
}

static const char *kind_name(keykind k)
{
    static const char *const n[] = {"?", "RSA", "EC", "DSA", "Ed25519", "Ed448", "RSASSA-PSS"};
    return n[k];
}

/* Index into sigalgs for a Java name (case-insensitive, as Java's Signature
 * lookup), checked against the key kind (K_NONE: any). -1 with err set. */
static int sigalg_find(const char *name, keykind kind, jks_error *err)
{
    for (size_t i = 0; i < N_SIGALGS; i++) {
        if (strcasecmp(name, sigalgs[i].name))
            continue;
        keykind need = sigalgs[i].kind, have = kind == K_PSS ? K_RSA : kind;
        if (need == K_NONE && have != K_NONE && have != K_ED25519 && have != K_ED448)
            need = K_ED25519;
        if (have != K_NONE && need != K_NONE && need != have) {
            jks_fail(err, JKS_ERR_USAGE, -1, "signature algorithm %s does not fit the %s key",
                     sigalgs[i].name, kind_name(kind));
            return -1;
        }
        return (int)i;
    }
    jks_fail(err, JKS_ERR_USAGE, -1,
             "unknown signature algorithm %s (SHA256withRSA, SHA384withRSA, SHA512withRSA, "
             "RSASSA-PSS, SHA256withECDSA, SHA384withECDSA, SHA512withECDSA, SHA256withDSA, "
             "Ed25519, Ed448; SHA1with... and MD5withRSA are weak)",
             name);
    return -1;
}

/* keytool 17's default (sun.security.util.SignatureUtil): SHA-256 up to
 * RSA/DSA 3072 bits and EC 383 bits, SHA-384 up to 7680 and 511, else SHA-512. */
static const char *sigalg_default_for(EVP_PKEY *k)
{
    int bits = EVP_PKEY_get_bits(k);
    switch (kind_of(k)) {
    case K_RSA:
        return bits > 7680 ? "SHA512withRSA" : bits > 3072 ? "SHA384withRSA" : "SHA256withRSA";
    case K_PSS: return "RSASSA-PSS";
    case K_EC:
        return bits >= 512 ? "SHA512withECDSA" : bits >= 384 ? "SHA384withECDSA" : "SHA256withECDSA";
    case K_DSA: return "SHA256withDSA";
    case K_ED25519: return "Ed25519";
    case K_ED448: return "Ed448";
    default: return NULL;
    }
}

static jks_status load_key(const uint8_t *pkcs8, size_t len, EVP_PKEY **out, jks_error *err)
{
    const unsigned char *p = pkcs8;
    PKCS8_PRIV_KEY_INFO *p8 = len <= 0x7FFFFFFF ? d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)len) : NULL;
    *out = p8 ? EVP_PKCS82PKEY(p8) : NULL;
    PKCS8_PRIV_KEY_INFO_free(p8);
    if (!*out)
        return jks_fail(err, JKS_ERR_FORMAT, -1, "private key does not parse as PKCS#8");
    if (kind_of(*out) == K_NONE) {
        EVP_PKEY_free(*out);
        *out = NULL;
        return jks_fail(err, JKS_ERR_USAGE, -1, "this key type cannot sign (RSA, RSASSA-PSS, EC, DSA, Ed25519, Ed448 can)");
    }
    return JKS_OK;
}

/* A signature as Java makes it: the algorithm (sigalgs index), its digest
 * (RSASSA-PSS: SHA-256/384/512 by the key size, as keytool 17's
 * SignatureUtil.getDefaultParamSpec; salt = digest length, MGF1 with the
 * same digest), the AlgorithmIdentifier DER Java writes. */
typedef struct {
    int alg;
    const char *md;
    unsigned char algid[80];
    size_t algid_len;
} sigspec;

/* DER of an OID given as text (tag and length included) into out. */
static size_t oid_der(const char *txt, unsigned char *out, size_t cap)
{
    ASN1_OBJECT *o = OBJ_txt2obj(txt, 1);
    int n = o ? i2d_ASN1_OBJECT(o, NULL) : -1;
    unsigned char *q = out;
    if (n <= 0 || (size_t)n > cap || i2d_ASN1_OBJECT(o, &q) != n)
        n = 0;
    ASN1_OBJECT_free(o);
    return (size_t)n;
}

static jks_status pick_sig(EVP_PKEY *k, const jks_gen_params *p, sigspec *sg, jks_error *err)
{
    const char *name = p->sigalg ? p->sigalg : sigalg_default_for(k);
    int i = sigalg_find(name, kind_of(k), err), bits = EVP_PKEY_get_bits(k);
    if (i < 0)
        return JKS_ERR_USAGE;
    memset(sg, 0, sizeof(*sg));
    sg->alg = i;
    sg->md = sigalgs[i].md;
    if (sigalgs[i].params == PAR_PSS)
        sg->md = bits > 7680 ? "SHA512" : bits > 3072 ? "SHA384" : "SHA256";
    if (sigalgs[i].kind == K_DSA) {
        /* Java's DSA.checkKey: the digest may not be shorter than q */
        BIGNUM *q = NULL;
        int qbits = EVP_PKEY_get_bn_param(k, "q", &q) ? BN_num_bits(q) : 0;
        BN_free(q);
        const EVP_MD *md = EVP_get_digestbyname(sg->md);
        if (md && qbits > EVP_MD_get_size(md) * 8)
            return jks_fail(err, JKS_ERR_USAGE, -1,
                            "The security strength of SHA-%s digest algorithm is not sufficient for this key size",
                            sg->md + 3);
    }
    const char *oid = sigalgs[i].oid;
    if (!oid) /* EdDSA */
        oid = kind_of(k) == K_ED448 ? "1.3.101.113" : "1.3.101.112";
    unsigned char o[32], h[32], mgf[32];
    size_t ol = oid_der(oid, o, sizeof(o)), n = 0;
    if (!ol)
        return jks_fail(err, JKS_ERR_IO, -1, "cannot encode the algorithm");
    unsigned char *a = sg->algid;
    if (sigalgs[i].params == PAR_PSS) {
        /* RSASSA-PSS-params: [0] hash, [1] MGF1(hash), [2] salt length; the
         * hash AlgorithmIdentifiers with NULL parameters, as Java writes them */
        const char *hoid = !strcmp(sg->md, "SHA256") ? "2.16.840.1.101.3.4.2.1"
                           : !strcmp(sg->md, "SHA384") ? "2.16.840.1.101.3.4.2.2" : "2.16.840.1.101.3.4.2.3";
        size_t hl = oid_der(hoid, h, sizeof(h)), ml = oid_der("1.2.840.113549.1.1.8", mgf, sizeof(mgf));
        size_t halg = hl + 2, salt = !strcmp(sg->md, "SHA256") ? 32 : !strcmp(sg->md, "SHA384") ? 48 : 64;
        size_t mgfseq = ml + 2 + halg, params = 2 + 2 + halg + 2 + 2 + mgfseq + 2 + 3;
        if (!hl || !ml || 2 + ol + 2 + params > sizeof(sg->algid))
            return jks_fail(err, JKS_ERR_IO, -1, "cannot encode the algorithm");
        a[n++] = 0x30; a[n++] = (unsigned char)(ol + 2 + params);
        memcpy(a + n, o, ol); n += ol;
        a[n++] = 0x30; a[n++] = (unsigned char)params;
        a[n++] = 0xA0; a[n++] = (unsigned char)(2 + halg);
        a[n++] = 0x30; a[n++] = (unsigned char)halg;
        memcpy(a + n, h, hl); n += hl;
        a[n++] = 0x05; a[n++] = 0x00;
        a[n++] = 0xA1; a[n++] = (unsigned char)(2 + mgfseq);
        a[n++] = 0x30; a[n++] = (unsigned char)mgfseq;
        memcpy(a + n, mgf, ml); n += ml;
        a[n++] = 0x30; a[n++] = (unsigned char)halg;
        memcpy(a + n, h, hl); n += hl;
        a[n++] = 0x05; a[n++] = 0x00;
        a[n++] = 0xA2; a[n++] = 0x03; a[n++] = 0x02; a[n++] = 0x01; a[n++] = (unsigned char)salt;
    } else {
        int null = sigalgs[i].params == PAR_NULL;
        a[n++] = 0x30; a[n++] = (unsigned char)(ol + (null ? 2 : 0));
        memcpy(a + n, o, ol); n += ol;
        if (null) {
            a[n++] = 0x05; a[n++] = 0x00;
        }
    }
    sg->algid_len = n;
    return JKS_OK;
}

/* An RSASSA-PSS key as a plain RSA key (same numbers), for the PKCS#1
 * signatures Java makes with it (-sigalg SHA256withRSA on a PSS key). */
static EVP_PKEY *pss_as_rsa(EVP_PKEY *k)
{
    OSSL_PARAM *params = NULL;
    EVP_PKEY *r = NULL;
    EVP_PKEY_CTX *c = NULL;
    if (EVP_PKEY_todata(k, EVP_PKEY_KEYPAIR, &params) == 1 &&
        (c = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) && EVP_PKEY_fromdata_init(c) == 1 &&
        EVP_PKEY_fromdata(c, &r, EVP_PKEY_KEYPAIR, params) != 1)
        r = NULL;
    EVP_PKEY_CTX_free(c);
    for (OSSL_PARAM *q = params; q && q->key; q++) /* OSSL_PARAM_clear_free is 3.1+ */
        if (q->data)
            OPENSSL_cleanse(q->data, q->data_size);
    OSSL_PARAM_free(params);
    return r;
}

/* DER header (tag, length) for len bytes of content into h; its size. */
static size_t der_header(unsigned char tag, size_t len, unsigned char *h)
{
    size_t n = 0;
    h[n++] = tag;
    if (len < 0x80) {
        h[n++] = (unsigned char)len;
    } else {
        int bytes = len > 0xFFFFFF ? 4 : len > 0xFFFF ? 3 : len > 0xFF ? 2 : 1;
        h[n++] = (unsigned char)(0x80 | bytes);
        for (int b = bytes - 1; b >= 0; b--)
            h[n++] = (unsigned char)(len >> (8 * b));
    }
    return n;
}

/* Sign tbs (DER of a TBSCertificate or CertificationRequestInfo) with k as
 * sg says and wrap it: SEQUENCE { tbs, algid, BIT STRING signature }. */
static jks_status sign_wrap(EVP_PKEY *k, const sigspec *sg, const unsigned char *tbs,
                            size_t tbs_len, uint8_t **der, size_t *der_len, jks_error *err)
{
    EVP_MD_CTX *mc = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pc = NULL;
    EVP_PKEY *rsa = NULL, *use = k;
    unsigned char *sig = NULL;
    size_t sl = 0;
    int pss = sigalgs[sg->alg].params == PAR_PSS;
    if (!pss && kind_of(k) == K_PSS)
        use = rsa = pss_as_rsa(k);
    int ok = mc && use && EVP_DigestSignInit_ex(mc, &pc, sg->md, NULL, NULL, use, NULL) == 1;
    if (ok && pss)
        ok = EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) > 0 &&
             EVP_PKEY_CTX_set_rsa_mgf1_md_name(pc, sg->md, NULL) > 0 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, RSA_PSS_SALTLEN_DIGEST) > 0;
    ok = ok && EVP_DigestSign(mc, NULL, &sl, tbs, tbs_len) == 1 && (sig = malloc(sl)) &&
         EVP_DigestSign(mc, sig, &sl, tbs, tbs_len) == 1;
    EVP_MD_CTX_free(mc);
    EVP_PKEY_free(rsa);
    if (!ok) {
        free(sig);
        return jks_fail(err, JKS_ERR_IO, -1, "cannot sign with the %s key", kind_name(kind_of(k)));
    }
    unsigned char bh[8], sh[8];
    size_t bl = der_header(0x03, sl + 1, bh), body = tbs_len + sg->algid_len + bl + 1 + sl;
    size_t shl = der_header(0x30, body, sh);
    unsigned char *o = malloc(shl + body), *w = o;
    if (o) {
        memcpy(w, sh, shl); w += shl;
        memcpy(w, tbs, tbs_len); w += tbs_len;
        memcpy(w, sg->algid, sg->algid_len); w += sg->algid_len;
        memcpy(w, bh, bl); w += bl;
        *w++ = 0;
        memcpy(w, sig, sl);
        *der = o;
        *der_len = shl + body;
    }
    free(sig);
    return o ? JKS_OK : jks_fail(err, JKS_ERR_IO, -1, "out of memory");
}

/* Sign certificate x as sg says: its TBS signature field gets Java's
 * AlgorithmIdentifier, then the DER is assembled around the signature. */
static jks_status sign_cert(X509 *x, EVP_PKEY *k, const sigspec *sg, uint8_t **der,
                            size_t *der_len, jks_error *err)
{
    const unsigned char *q = sg->algid;
    X509_ALGOR *want = d2i_X509_ALGOR(NULL, &q, (long)sg->algid_len);
    /* the TBSCertificate's own copy of the algorithm (X509 has no setter) */
    X509_ALGOR *tbs_alg = (X509_ALGOR *)X509_get0_tbs_sigalg(x);
    unsigned char *tbs = NULL;
    int n = want && X509_ALGOR_copy(tbs_alg, want) ? i2d_re_X509_tbs(x, &tbs) : -1;
    X509_ALGOR_free(want);
    jks_status s = n > 0 ? sign_wrap(k, sg, tbs, (size_t)n, der, der_len, err)
                         : jks_fail(err, JKS_ERR_IO, -1, "cannot encode the certificate");
    OPENSSL_free(tbs);
    return s;
}

/* RSA bits 512..16384 (keytool 17 takes any size RSAKeyPairGenerator does;
 * below 1024 only for tests of weak keys). DSA: Java's sizes, 512..1024 in
 * steps of 64, 2048, 3072; q 160, 224 for 2048, 256 for 3072. */
/* A DSA key for params whose size FIPS 186-4 does not know (Java's 512..960
 * bits): x random in [1, q-1], y = g^x mod p. */
static EVP_PKEY *dsa_small_key(EVP_PKEY *params)
{
    BIGNUM *p = NULL, *q = NULL, *g = NULL, *x = BN_secure_new(), *y = BN_new(), *qm1 = NULL;
    BN_CTX *bc = BN_CTX_new();
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *ps = NULL;
    EVP_PKEY_CTX *c = NULL;
    EVP_PKEY *k = NULL;
    if (x && y && bc && bld && EVP_PKEY_get_bn_param(params, "p", &p) && EVP_PKEY_get_bn_param(params, "q", &q) &&
        EVP_PKEY_get_bn_param(params, "g", &g) && (qm1 = BN_dup(q)) && BN_sub_word(qm1, 1) &&
        BN_priv_rand_range(x, qm1) && BN_add_word(x, 1) && BN_mod_exp(y, g, x, p, bc) &&
        OSSL_PARAM_BLD_push_BN(bld, "p", p) && OSSL_PARAM_BLD_push_BN(bld, "q", q) &&
        OSSL_PARAM_BLD_push_BN(bld, "g", g) && OSSL_PARAM_BLD_push_BN(bld, "pub", y) &&
        OSSL_PARAM_BLD_push_BN(bld, "priv", x) && (ps = OSSL_PARAM_BLD_to_param(bld)) &&
        (c = EVP_PKEY_CTX_new_from_name(NULL, "DSA", NULL)) && EVP_PKEY_fromdata_init(c) == 1 &&
        EVP_PKEY_fromdata(c, &k, EVP_PKEY_KEYPAIR, ps) != 1)
        k = NULL;
    EVP_PKEY_CTX_free(c);
    OSSL_PARAM_free(ps); /* built in secure memory for x (BN_secure_new), freed wiped */
    OSSL_PARAM_BLD_free(bld);
    BN_CTX_free(bc);
    BN_free(p);
    BN_free(q);
    BN_free(g);
    BN_free(qm1);
    BN_free(y);
    BN_clear_free(x);
    return k;
}

static EVP_PKEY *dsa_generate(unsigned bits)
{
    EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "DSA", NULL), *kc = NULL;
    EVP_PKEY *params = NULL, *k = NULL;
    unsigned qbits = bits == 3072 ? 256 : bits == 2048 ? 224 : 160;
    size_t pb = bits, qb = qbits;
    char type[] = "fips186_2"; /* FIPS 186-4 knows 1024, 2048 and 3072 only */
    OSSL_PARAM set[] = {
        OSSL_PARAM_size_t("pbits", &pb), OSSL_PARAM_size_t("qbits", &qb),
        OSSL_PARAM_utf8_string("type", type, 0), OSSL_PARAM_END,
    };
    if (bits == 1024 || bits == 2048 || bits == 3072)
        set[2] = OSSL_PARAM_construct_end();
    if (pc && EVP_PKEY_paramgen_init(pc) == 1 && EVP_PKEY_CTX_set_params(pc, set) == 1 &&
        EVP_PKEY_paramgen(pc, &params) == 1 && (kc = EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL)) &&
        EVP_PKEY_keygen_init(kc) == 1 && EVP_PKEY_keygen(kc, &k) != 1)
        k = NULL;
    if (!k && params && bits < 1024) /* OpenSSL's keygen wants FIPS 186-4 sizes: x, y by hand */
        k = dsa_small_key(params);
    EVP_PKEY_CTX_free(pc);
    EVP_PKEY_CTX_free(kc);
    EVP_PKEY_free(params);
    return k;
}

jks_status jks_key_generate(const char *alg, unsigned bits, uint8_t **pkcs8, size_t *pkcs8_len,
                            jks_error *err)
{
    if (!pkcs8 || !pkcs8_len)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no place for the key (pkcs8 is NULL)");
    keykind kind = alg ? keyalg_kind(alg) : K_RSA;
    EVP_PKEY *k = NULL;
    *pkcs8 = NULL;
    *pkcs8_len = 0;
    switch (kind) {
    case K_RSA:
    case K_PSS:
        if (!bits)
            bits = 2048;
        if (bits < 512 || bits > 16384)
            return jks_fail(err, JKS_ERR_USAGE, -1, "%s key size must be 512..16384 bits, not %u",
                            kind_name(kind), bits);
        if (kind == K_RSA) {
            k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
        } else { /* EVP_PKEY_Q_keygen takes no size for RSA-PSS */
            EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_name(NULL, "RSA-PSS", NULL);
            if (!c || EVP_PKEY_keygen_init(c) != 1 || EVP_PKEY_CTX_set_rsa_keygen_bits(c, (int)bits) <= 0 ||
                EVP_PKEY_keygen(c, &k) != 1)
                k = NULL;
            EVP_PKEY_CTX_free(c);
        }
        break;
    case K_EC: {
        const char *curve = !bits || bits == 256 ? "P-256" : bits == 384 ? "P-384" : bits == 521 ? "P-521" : NULL;
        if (!curve)
            return jks_fail(err, JKS_ERR_USAGE, -1, "EC key size must be 256, 384 or 521, not %u", bits);
        k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
        break;
    }
    case K_ED25519:
    case K_ED448:
        if (bits && bits != (kind == K_ED25519 ? 255u : 448u))
            return jks_fail(err, JKS_ERR_USAGE, -1, "%s keys have no key size choice", kind_name(kind));
        k = EVP_PKEY_Q_keygen(NULL, NULL, kind == K_ED25519 ? "ED25519" : "ED448");
        break;
    case K_DSA:
        if (!bits)
            bits = 2048;
        if (bits != 2048 && bits != 3072 && (bits < 512 || bits > 1024 || bits % 64))
            return jks_fail(err, JKS_ERR_USAGE, -1, "Invalid DSA Prime Size: %u", bits);
        k = dsa_generate(bits);
        break;
    default:
        return jks_fail(err, JKS_ERR_USAGE, -1,
                        "unknown key algorithm %.40s (RSA, RSASSA-PSS, EC, DSA, Ed25519, Ed448)", alg);
    }
    if (!k)
        return jks_fail(err, JKS_ERR_IO, -1, "key generation failed");
    PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(k);
    int n = p8 ? i2d_PKCS8_PRIV_KEY_INFO(p8, NULL) : -1;
    unsigned char *buf = n > 0 ? malloc((size_t)n) : NULL, *q = buf;
    jks_status s = JKS_OK;
    if (!buf || i2d_PKCS8_PRIV_KEY_INFO(p8, &q) != n) {
        free(buf);
        s = jks_fail(err, JKS_ERR_IO, -1, "cannot encode the new key");
    } else {
        *pkcs8 = buf;
        *pkcs8_len = (size_t)n;
    }
    PKCS8_PRIV_KEY_INFO_free(p8);
    EVP_PKEY_free(k);
    return s;
}

jks_status jks_sigalg_default(const uint8_t *pkcs8, size_t len, char *out, size_t cap,
                              jks_error *err)
{
    if (!pkcs8 || !len || !out || !cap)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no key or no output buffer");
    EVP_PKEY *k;
    jks_status s = load_key(pkcs8, len, &k, err);
    if (s != JKS_OK)
        return s;
    snprintf(out, cap, "%s", sigalg_default_for(k));
    EVP_PKEY_free(k);
    return JKS_OK;
}

/* ---- keytool's -startdate ---- */

static int month_days(int year, int mon)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = year + 1900;
    return mon == 1 && ((y % 4 == 0 && y % 100) || y % 400 == 0) ? 29 : d[mon];
}

static int digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return 0;
        *v = *v * 10 + (s[i] - '0');
    }
    return 1;
}

jks_status jks_startdate_parse(const char *s, int64_t now, int64_t *out, jks_error *err)
{
    time_t t = now ? (time_t)now : time(NULL);
    struct tm tm;
    size_t len = s ? strlen(s) : 0;
    if (!out || !len || !localtime_r(&t, &tm))
        goto bad;
    if (s[0] == '+' || s[0] == '-') {
        for (const char *p = s; *p;) {
            long sign = *p == '+' ? 1 : *p == '-' ? -1 : 0, n = 0;
            if (!sign || !isdigit((unsigned char)p[1]))
                goto bad;
            for (p++; isdigit((unsigned char)*p); p++)
                if ((n = n * 10 + (*p - '0')) > 0x7FFFFFFF) /* Integer.parseInt */
                    goto bad;
            long v = sign * n;
            char unit = *p ? *p++ : 0;
            if (unit == 'y' || unit == 'm') {
                long months = (long)tm.tm_year * 12 + tm.tm_mon + (unit == 'y' ? v * 12 : v);
                if (months < -1900L * 12 || months > 8000L * 12)
                    goto bad;
                tm.tm_year = (int)(months >= 0 ? months / 12 : -((11 - months) / 12));
                tm.tm_mon = (int)(months - (long)tm.tm_year * 12);
                if (tm.tm_mday > month_days(tm.tm_year, tm.tm_mon))
                    tm.tm_mday = month_days(tm.tm_year, tm.tm_mon);
            } else if (unit == 'd') {
                if (v > 3000000 || v < -3000000)
                    goto bad;
                tm.tm_mday += (int)v;
            } else if (unit == 'H' || unit == 'M' || unit == 'S') {
                /* a fixed amount of time, across daylight saving changes too */
                tm.tm_isdst = -1;
                time_t at = mktime(&tm);
                at += (time_t)v * (unit == 'H' ? 3600 : unit == 'M' ? 60 : 1);
                if (!localtime_r(&at, &tm))
                    goto bad;
                continue;
            } else {
                goto bad;
            }
            tm.tm_isdst = -1;
            time_t at = mktime(&tm);
            if (at == (time_t)-1 || !localtime_r(&at, &tm))
                goto bad;
        }
    } else {
        const char *date = len == 19 || len == 10 ? s : NULL;
        const char *tod = len == 19 ? s + 11 : len == 8 ? s : NULL;
        int y, mo, d, h, mi, se;
        if ((!date && !tod) || (len == 19 && s[10] != ' '))
            goto bad;
        if (date) {
            if (!digits(date, 4, &y) || date[4] != '/' || !digits(date + 5, 2, &mo) ||
                date[7] != '/' || !digits(date + 8, 2, &d))
                goto bad;
            tm.tm_year = y - 1900;
            tm.tm_mon = mo - 1; /* lenient, as Calendar.set: 13 is next January */
            tm.tm_mday = d;
        }
        if (tod) {
            if (!digits(tod, 2, &h) || tod[2] != ':' || !digits(tod + 3, 2, &mi) ||
                tod[5] != ':' || !digits(tod + 6, 2, &se))
                goto bad;
            tm.tm_hour = h;
            tm.tm_min = mi;
            tm.tm_sec = se;
        }
    }
    tm.tm_isdst = -1;
    t = mktime(&tm);
    if (t == (time_t)-1 || t < 0)
        goto bad;
    *out = (int64_t)t;
    return JKS_OK;
bad:
    return jks_fail(err, JKS_ERR_USAGE, -1, "startdate \"%.60s\": not [+-]N(y|m|d|H|M|S)..., "
                    "yyyy/mm/dd HH:MM:SS, yyyy/mm/dd or HH:MM:SS", s ? s : "");
}

/* NULL parameters are the defaults; newer versions are refused (jks.h). */
static jks_status params_or_defaults(const jks_gen_params **p, jks_error *err)
{
    static const jks_gen_params defaults = JKS_GEN_PARAMS_INIT;
    if (!*p)
        *p = &defaults;
    if ((*p)->version > JKS_GEN_PARAMS_VERSION)
        return jks_fail(err, JKS_ERR_USAGE, -1, "jks_gen_params version %u is newer than this library's (%u)",
                        (*p)->version, JKS_GEN_PARAMS_VERSION);
    return JKS_OK;
}

jks_status jks_gen_params_check(const jks_gen_params *p, const char *keyalg, jks_error *err)
{
    keykind kind = K_NONE;
    ext_item items[ISSUE_MAX_EXTS];
    size_t n_items = 0;
    jks_status s;
    if ((s = params_or_defaults(&p, err)) != JKS_OK)
        return s;
    if (keyalg && (kind = keyalg_kind(keyalg)) == K_NONE)
        return jks_fail(err, JKS_ERR_USAGE, -1,
                        "unknown key algorithm %.40s (RSA, RSASSA-PSS, EC, DSA, Ed25519, Ed448)", keyalg);
    if (p->sigalg && sigalg_find(p->sigalg, kind, err) < 0)
        return JKS_ERR_USAGE;
    if (p->dname) {
        X509_NAME *n;
        if ((s = dn_parse(p->dname, &n, err)) != JKS_OK)
            return s;
        X509_NAME_free(n);
    }
    if ((s = exts_parse(p, items, &n_items, err)) != JKS_OK)
        return s;
    items_free(items, n_items);
    return JKS_OK;
}

/* A random positive 64-bit serial (Java's CertificateSerialNumber.newRandom64bit). */
static int random_serial(X509 *x)
{
    unsigned char b[8];
    BIGNUM *bn = NULL;
    int ok = 0;
    do {
        if (RAND_bytes(b, sizeof(b)) != 1)
            return 0;
    } while (!(b[0] | b[1] | b[2] | b[3] | b[4] | b[5] | b[6] | b[7]));
    if ((bn = BN_bin2bn(b, sizeof(b), NULL)) && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)))
        ok = 1;
    BN_free(bn);
    return ok;
}

jks_status jks_cert_self_signed(const uint8_t *pkcs8, size_t pkcs8_len, const jks_gen_params *p,
                                uint8_t **der, size_t *der_len, jks_error *err)
{
    if (!pkcs8 || !pkcs8_len || !der || !der_len)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no key or no place for the certificate");
    EVP_PKEY *k = NULL;
    X509 *x = NULL;
    X509_NAME *name = NULL;
    ext_item items[ISSUE_MAX_EXTS];
    size_t n_items = 0;
    sigspec sg;
    jks_status s;
    if ((s = params_or_defaults(&p, err)) != JKS_OK)
        return s;
    *der = NULL;
    *der_len = 0;
    if (!p->dname)
        return jks_fail(err, JKS_ERR_USAGE, -1, "a certificate needs a dname (subject)");
    if ((s = load_key(pkcs8, pkcs8_len, &k, err)) != JKS_OK)
        return s;
    if ((s = pick_sig(k, p, &sg, err)) != JKS_OK || (s = dn_parse(p->dname, &name, err)) != JKS_OK ||
        (s = exts_with_ski(p, k, items, &n_items, err)) != JKS_OK)
        goto done;
    time_t now = p->not_before > 0 ? (time_t)p->not_before : time(NULL);
    long days = p->validity_days ? (long)p->validity_days : 90;
    x = X509_new();
    int ok = x && X509_set_version(x, 2) && random_serial(x) && X509_set_subject_name(x, name) &&
             X509_set_issuer_name(x, name) && X509_time_adj_ex(X509_getm_notBefore(x), 0, 0, &now) &&
             X509_time_adj_ex(X509_getm_notAfter(x), (int)days, 0, &now) && X509_set_pubkey(x, k);
    for (size_t i = 0; ok && i < n_items; i++)
        ok = X509_add_ext(x, items[i].ext, -1);
    if (!ok) {
        s = jks_fail(err, JKS_ERR_IO, -1, "cannot build the certificate");
        goto done;
    }
    s = sign_cert(x, k, &sg, der, der_len, err);
done:
    items_free(items, n_items);
    X509_NAME_free(name);
    X509_free(x);
    EVP_PKEY_free(k);
    return s;
}

jks_status jks_csr_create(const uint8_t *pkcs8, size_t pkcs8_len, const uint8_t *cert,
                          size_t cert_len, const jks_gen_params *p, uint8_t **der,
                          size_t *der_len, jks_error *err)
{
    if (!pkcs8 || !pkcs8_len || !der || !der_len || (!cert && cert_len))
        return jks_fail(err, JKS_ERR_USAGE, -1, "no key or no place for the request");
    EVP_PKEY *k = NULL;
    X509_REQ *req = NULL;
    X509_NAME *name = NULL;
    ext_item items[ISSUE_MAX_EXTS];
    size_t n_items = 0;
    STACK_OF(X509_EXTENSION) *sk = NULL;
    sigspec sg;
    jks_status s;
    *der = NULL;
    *der_len = 0;
    if ((s = params_or_defaults(&p, err)) != JKS_OK)
        return s;
    if ((s = load_key(pkcs8, pkcs8_len, &k, err)) != JKS_OK)
        return s;
    if ((s = pick_sig(k, p, &sg, err)) != JKS_OK)
        goto done;
    if (p->dname) {
        if ((s = dn_parse(p->dname, &name, err)) != JKS_OK)
            goto done;
    } else {
        const unsigned char *q = cert;
        X509 *c = cert && cert_len <= 0x7FFFFFFF ? d2i_X509(NULL, &q, (long)cert_len) : NULL;
        name = c ? X509_NAME_dup(X509_get_subject_name(c)) : NULL;
        X509_free(c);
        if (!name) {
            s = jks_fail(err, cert ? JKS_ERR_FORMAT : JKS_ERR_USAGE, -1,
                         cert ? "the entry's certificate does not parse" : "a request needs a dname or a certificate");
            goto done;
        }
    }
    if ((s = exts_with_ski(p, k, items, &n_items, err)) != JKS_OK)
        goto done;
    req = X509_REQ_new();
    sk = sk_X509_EXTENSION_new_null();
    int ok = req && sk && X509_REQ_set_version(req, 0) && X509_REQ_set_subject_name(req, name) &&
             X509_REQ_set_pubkey(req, k);
    for (size_t i = 0; ok && i < n_items; i++)
        ok = sk_X509_EXTENSION_push(sk, items[i].ext) > 0;
    /* keytool always asks for its SubjectKeyIdentifier, so the list is never empty */
    unsigned char *info = NULL;
    int n = ok && X509_REQ_add_extensions(req, sk) ? i2d_re_X509_REQ_tbs(req, &info) : -1;
    s = n > 0 ? sign_wrap(k, &sg, info, (size_t)n, der, der_len, err)
              : jks_fail(err, JKS_ERR_IO, -1, "cannot build the request");
    OPENSSL_free(info);
done:
    sk_X509_EXTENSION_free(sk); /* the extensions belong to items */
    items_free(items, n_items);
    X509_NAME_free(name);
    X509_REQ_free(req);
    EVP_PKEY_free(k);
    return s;
}

jks_status jks_pem_armor(const char *label, const uint8_t *der, size_t len, char **out,
                         size_t *out_len, jks_error *err)
{
    if (!label || (!der && len) || !out || !out_len)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no label, bytes or place for the text");
    size_t ll = strlen(label), cap = 2 * (ll + 20) + (len + 47) / 48 * 65 + 1, n = 0;
    char *o = len <= 0x7FFFFFFF && ll < 64 ? malloc(cap) : NULL;
    *out = NULL;
    *out_len = 0;
    if (!o)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    n += (size_t)snprintf(o + n, cap - n, "-----BEGIN %s-----\n", label);
    for (size_t i = 0; i < len; i += 48) {
        n += (size_t)EVP_EncodeBlock((unsigned char *)o + n, der + i, (int)(len - i < 48 ? len - i : 48));
        o[n++] = '\n';
    }
    n += (size_t)snprintf(o + n, cap - n, "-----END %s-----\n", label);
    *out = o;
    *out_len = n;
    return JKS_OK;
}

/* ---- signing a request: keytool -gencert ---- */

/* keytool's findOidForExtName: a name (abbreviated as -ext allows) or a
 * dotted OID. */
static const char *honor_oid(const char *ext, const char *type, jks_error *err)
{
    static const char *const names[] = {
        "BasicConstraints", "KeyUsage", "ExtendedKeyUsage", "SubjectAlternativeName",
        "IssuerAlternativeName", "SubjectInfoAccess", "AuthorityInfoAccess", NULL,
        "CRLDistributionPoints",
    };
    static const char *const oids[] = {
        "2.5.29.19", "2.5.29.15", "2.5.29.37", "2.5.29.17", "2.5.29.18",
        "1.3.6.1.5.5.7.1.11", "1.3.6.1.5.5.7.1.1", NULL, "2.5.29.31",
    };
    int i = one_of(type, names, 9);
    if (i >= 0)
        return oids[i];
    if (i == -1 && dotted_oid(type))
        return type;
    ext_fail(err, ext, i == -2 ? "ambiguous name \"%s\"" : "unknown extension \"%s\"", type);
    return NULL;
}

/* keytool's "honored=all,-name,name:critical,name:non-critical": copy the
 * requested extensions named (all: every one; -name: drop it again),
 * optionally with criticality changed. */
static jks_status honor(const char *ext, const STACK_OF(X509_EXTENSION) *req, ext_item *it,
                        size_t *n, jks_error *err)
{
    const char *list = strchr(ext, '=');
    char item[EXT_MAX_LEN + 1];
    const char *p;
    jks_status s = JKS_OK;
    if (!list || !list[1])
        return ext_fail(err, ext, "%s", "honored needs a list: all, NAME, -NAME, NAME:critical");
    list++;
    for (p = list; next_item(&p, item, sizeof(item));)
        if (!strcasecmp(item, "all"))
            for (int i = 0; s == JKS_OK && i < sk_X509_EXTENSION_num(req); i++)
                s = items_set(it, n, X509_EXTENSION_dup(sk_X509_EXTENSION_value(req, i)), err);
    for (p = list; s == JKS_OK && next_item(&p, item, sizeof(item));) {
        if (!strcasecmp(item, "all"))
            continue;
        int del = item[0] == '-', crit = -1;
        char *type = item + del, *colon = strchr(type, ':');
        if (colon && !del) {
            static const char *const c[] = {"critical", "non-critical"};
            *colon = 0;
            int a = one_of(colon + 1, c, 2);
            if (a < 0)
                return ext_fail(err, ext, "\"%s\" is not :critical or :non-critical", colon + 1);
            crit = a == 0;
        }
        const char *oid = honor_oid(ext, type, err);
        if (!oid)
            return JKS_ERR_USAGE;
        if (del) { /* keytool fails on one that is not there, so do we */
            size_t i = 0;
            while (i < *n && strcmp(it[i].oid, oid))
                i++;
            if (i == *n)
                return ext_fail(err, ext, "no %s extension to leave out", type);
            X509_EXTENSION_free(it[i].ext);
            it[i] = it[--*n];
            continue;
        }
        ASN1_OBJECT *o = OBJ_txt2obj(oid, 1);
        int at = o ? X509v3_get_ext_by_OBJ(req, o, -1) : -1;
        ASN1_OBJECT_free(o);
        if (at < 0)
            return ext_fail(err, ext, "the request has no %s extension", type);
        X509_EXTENSION *e = X509_EXTENSION_dup(sk_X509_EXTENSION_value(req, at));
        if (e && crit >= 0 && !X509_EXTENSION_set_critical(e, crit)) {
            X509_EXTENSION_free(e);
            e = NULL;
        }
        s = items_set(it, n, e, err);
    }
    return s;
}

/* keytool reads a request from text as the base64 between a line starting
 * "-----BEGIN" holding "REQUEST" and the matching END line; else DER. */
static X509_REQ *csr_decode(jks_bytes csr, jks_error *err)
{
    /* every failure here is JKS_ERR_FORMAT */
    const unsigned char *q = csr.data;
    X509_REQ *req = NULL;
    if (csr.len > 0x7FFFFFFF) {
        jks_fail(err, JKS_ERR_FORMAT, -1, "certificate request too large");
        return NULL;
    }
    if (csr.len && csr.data[0] == 0x30) {
        req = d2i_X509_REQ(NULL, &q, (long)csr.len);
        if (!req || q != csr.data + csr.len) {
            X509_REQ_free(req);
            jks_fail(err, JKS_ERR_FORMAT, -1, "not a PKCS#10 certificate request (DER)");
            return NULL;
        }
        return req;
    }
    unsigned char *b64 = malloc(csr.len + 1), *der = malloc(csr.len / 4 * 3 + 3);
    size_t nb = 0, i = 0;
    int reading = 0, ended = 0;
    while (b64 && der && i < csr.len && !ended) {
        size_t e = i;
        while (e < csr.len && csr.data[e] != '\n')
            e++;
        size_t ll = e - i;
        const char *line = (const char *)csr.data + i;
        int begin = ll >= 10 && !memcmp(line, "-----BEGIN", 10);
        int end = ll >= 8 && !memcmp(line, "-----END", 8);
        int has_req = 0;
        for (size_t k = 0; k + 7 <= ll && !has_req; k++)
            has_req = !memcmp(line + k, "REQUEST", 7);
        if (begin && has_req)
            reading = 1;
        else if (end && has_req)
            ended = reading;
        else if (reading)
            for (size_t k = 0; k < ll; k++)
                if (!isspace((unsigned char)line[k]))
                    b64[nb++] = (unsigned char)line[k];
        i = e + 1;
    }
    int n = -1;
    if (b64 && der && ended && nb && nb % 4 == 0) {
        n = EVP_DecodeBlock(der, b64, (int)nb);
        if (n >= 0 && nb >= 1 && b64[nb - 1] == '=')
            n--;
        if (n >= 0 && nb >= 2 && b64[nb - 2] == '=')
            n--;
    }
    if (n > 0) {
        q = der;
        req = d2i_X509_REQ(NULL, &q, n);
        if (req && q != der + n) {
            X509_REQ_free(req);
            req = NULL;
        }
    }
    free(b64);
    free(der);
    if (!req)
        jks_fail(err, JKS_ERR_FORMAT, -1, !ended ? "no \"-----BEGIN ... REQUEST-----\" block and not DER"
                                                 : "not a PKCS#10 certificate request (bad PEM block)");
    return req;
}

/* The keyIdentifier of the AuthorityKeyIdentifier: the issuer's
 * SubjectKeyIdentifier when it has one, else the SHA-1 of its key bits (what
 * keytool computes, equal for certificates keytool or openssl made). */
static X509_EXTENSION *aki_ext(X509 *ca)
{
    const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(ca);
    AUTHORITY_KEYID *aki = AUTHORITY_KEYID_new();
    X509_EXTENSION *ext = NULL;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdl = 0;
    if (!aki)
        return NULL;
    if (ski) {
        aki->keyid = ASN1_OCTET_STRING_dup(ski);
    } else {
        ASN1_BIT_STRING *bits = X509_get0_pubkey_bitstr(ca);
        if (bits && EVP_Digest(bits->data, (size_t)bits->length, md, &mdl, EVP_sha1(), NULL) &&
            (aki->keyid = ASN1_OCTET_STRING_new()) && !ASN1_OCTET_STRING_set(aki->keyid, md, (int)mdl)) {
            ASN1_OCTET_STRING_free(aki->keyid);
            aki->keyid = NULL;
        }
    }
    if (aki->keyid)
        ext = X509V3_EXT_i2d(NID_authority_key_identifier, 0, aki);
    AUTHORITY_KEYID_free(aki);
    return ext;
}

jks_status jks_cert_issue(jks_bytes ca_pkcs8, jks_bytes ca_cert, jks_bytes csr,
                          const jks_gen_params *p, uint8_t **der, size_t *der_len,
                          jks_error *err)
{
    if (!ca_pkcs8.data || !ca_pkcs8.len || !ca_cert.data || !csr.data || !der || !der_len)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no key, certificate, request or place for the certificate");
    EVP_PKEY *k = NULL, *subj_key = NULL;
    X509 *x = NULL, *ca = NULL;
    X509_REQ *req = NULL;
    X509_NAME *name = NULL;
    STACK_OF(X509_EXTENSION) *reqex = NULL;
    ext_item items[ISSUE_MAX_EXTS], mine[ISSUE_MAX_EXTS];
    size_t n_items = 0, n_mine = 0;
    sigspec sg;
    jks_status s;
    *der = NULL;
    *der_len = 0;
    if ((s = params_or_defaults(&p, err)) != JKS_OK)
        return s;
    const unsigned char *q = ca_cert.data;
    ca = ca_cert.len <= 0x7FFFFFFF ? d2i_X509(NULL, &q, (long)ca_cert.len) : NULL;
    if (!ca)
        return jks_fail(err, JKS_ERR_FORMAT, -1, "the issuer's certificate does not parse");
    if ((s = load_key(ca_pkcs8.data, ca_pkcs8.len, &k, err)) != JKS_OK ||
        (s = pick_sig(k, p, &sg, err)) != JKS_OK)
        goto done;
    if (!(req = csr_decode(csr, err))) {
        s = JKS_ERR_FORMAT;
        goto done;
    }
    if (!(subj_key = X509_REQ_get_pubkey(req))) {
        s = jks_fail(err, JKS_ERR_FORMAT, -1, "the request's public key is not supported");
        goto done;
    }
    if (X509_REQ_verify(req, subj_key) != 1) {
        s = jks_fail(err, JKS_ERR_FORMAT, -1, "the request's signature does not verify (altered, or not signed with its key)");
        goto done;
    }
    if (p->dname)
        s = dn_parse(p->dname, &name, err);
    else if (!(name = X509_NAME_dup(X509_REQ_get_subject_name(req))))
        s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    if (s != JKS_OK)
        goto done;
    reqex = X509_REQ_get_extensions(req);
    for (size_t i = 0; s == JKS_OK && i < p->n_exts; i++)
        if (ext_is_honored(p->exts[i])) {
            if (reqex)
                s = honor(p->exts[i], reqex, items, &n_items, err);
            break; /* keytool honours the first one only */
        }
    if (s != JKS_OK || (s = exts_parse(p, mine, &n_mine, err)) != JKS_OK)
        goto done;
    for (size_t i = 0; i < n_mine; i++) {
        if (s == JKS_OK)
            s = items_set(items, &n_items, mine[i].ext, err);
        else
            X509_EXTENSION_free(mine[i].ext);
    }
    n_mine = 0;
    X509_EXTENSION *ski = NULL;
    if (s != JKS_OK || (s = ski_ext(subj_key, &ski, err)) != JKS_OK ||
        (s = items_set(items, &n_items, ski, err)) != JKS_OK)
        goto done;
    if (EVP_PKEY_eq(subj_key, X509_get0_pubkey(ca)) != 1 &&
        (s = items_set(items, &n_items, aki_ext(ca), err)) != JKS_OK)
        goto done;
    qsort(items, n_items, sizeof(items[0]), item_cmp);

    time_t now = p->not_before > 0 ? (time_t)p->not_before : time(NULL);
    long days = p->validity_days ? (long)p->validity_days : 90;
    x = X509_new();
    int ok = x && X509_set_version(x, 2) && random_serial(x) && X509_set_subject_name(x, name) &&
             X509_set_issuer_name(x, X509_get_subject_name(ca)) &&
             X509_time_adj_ex(X509_getm_notBefore(x), 0, 0, &now) &&
             X509_time_adj_ex(X509_getm_notAfter(x), (int)days, 0, &now) &&
             X509_set_pubkey(x, subj_key);
    for (size_t i = 0; ok && i < n_items; i++)
        ok = X509_add_ext(x, items[i].ext, -1);
    if (!ok) {
        s = jks_fail(err, JKS_ERR_IO, -1, "cannot build the certificate");
        goto done;
    }
    s = sign_cert(x, k, &sg, der, der_len, err);
done:
    items_free(items, n_items);
    sk_X509_EXTENSION_pop_free(reqex, X509_EXTENSION_free);
    X509_NAME_free(name);
    X509_REQ_free(req);
    X509_free(x);
    X509_free(ca);
    EVP_PKEY_free(subj_key);
    EVP_PKEY_free(k);
    return s;
}
