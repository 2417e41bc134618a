/* keytool mode, continued: -printcertreq, -printcrl, -showinfo -tls and
 * -printcert -sslserver in JDK 17 keytool's words (keytool's Main.doPrintCertReq,
 * doPrintCRL, doShowInfo and printCertFromStream; the toString() of
 * sun.security.pkcs10.PKCS10, X509CRLImpl and X509CRLEntryImpl). OpenSSL
 * parses the request and the CRL here as cli/keytool_print.c parses
 * certificates: this file is presentation; the extension texts are
 * keytool_print.c's, the TLS chain comes from the probe's handshake
 * (probe_run_tls) and the protocol and suite lists from the library's JDK 17
 * profile (jks_jdk_profile_get). */
#include "cli.h"
#include "keytool.h"
#include "probe.h"
#include "probe_ssl.h"
#include "jks/certificate.h"
#include "jks/ops.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The bytes of -file, else of standard input; 1 after keytool's error. */
static int read_input(const char *file, uint8_t **buf, size_t *len)
{
    jks_error err;
    jks_error_clear(&err);
    *buf = NULL;
    *len = 0;
    if (file) {
        if (jks_file_read(file, buf, len, &err) != JKS_OK)
            return kt_fail("java.io.FileNotFoundException", "%s (%s)", file,
                           kt_io_reason(err.msg));
    } else if (kt_read_all(stdin, buf, len) != 0) {
        return kt_fail("java.lang.OutOfMemoryError", "out of memory");
    }
    return 0;
}

/* The Java key algorithm and size of a public key, for the strength judgement. */
static const char *key_alg(EVP_PKEY *k, int *bits)
{
    *bits = k ? EVP_PKEY_get_bits(k) : 0;
    switch (k ? EVP_PKEY_get_base_id(k) : 0) {
    case EVP_PKEY_RSA: return "RSA";
    case EVP_PKEY_RSA_PSS: return "RSASSA-PSS";
    case EVP_PKEY_DSA: return "DSA";
    case EVP_PKEY_EC: return "EC";
    case EVP_PKEY_ED25519: return "Ed25519";
    case EVP_PKEY_ED448: return "Ed448";
    default: return NULL;
    }
}

static const char *mark(jks_strength s)
{
    return s == JKS_STRENGTH_DISABLED ? " (disabled)" : s == JKS_STRENGTH_WEAK ? " (weak)" : "";
}

/* Java's name of an AlgorithmIdentifier (its OID when it has none). */
static void alg_name(const X509_ALGOR *a, char *out, size_t cap)
{
    const ASN1_OBJECT *o = NULL;
    X509_ALGOR_get0(&o, NULL, NULL, a);
    const char *n = o ? kt_java_sigalg(OBJ_obj2nid(o)) : NULL;
    if (n)
        snprintf(out, cap, "%s", n);
    else if (!o || OBJ_obj2txt(out, (int)cap, o, 1) <= 0)
        snprintf(out, cap, "unknown");
}

/* ---- -printcertreq ---- */

/* java.lang.String.hashCode() */
static int32_t java_hash(const char *s)
{
    uint32_t h = 0;
    for (; *s; s++)
        h = 31 * h + (unsigned char)*s;
    return (int32_t)h;
}

/* The order in which PKCS10Attributes (a Hashtable of capacity 3, keyed by
 * the attribute's OID string) gives back n attributes inserted in request
 * order: index[] receives request positions in Java's order. */
#define KT_MAX_ATTR 32
static void hashtable_order(char oids[][80], int n, int *index)
{
    int cap = 3, threshold = 2, count = 0;
    int next[KT_MAX_ATTR], head[4 * KT_MAX_ATTR + 8];
    for (int b = 0; b < cap; b++)
        head[b] = -1;
    for (int i = 0; i < n; i++) {
        int dup = -1;
        int32_t h = java_hash(oids[i]);
        for (int e = head[(h & 0x7fffffff) % cap]; e >= 0; e = next[e])
            if (!strcmp(oids[e], oids[i]))
                dup = e;
        if (dup >= 0) { /* put() replaces the value: the later attribute wins */
            index[dup] = i;
            continue;
        }
        if (count >= threshold && 2 * cap + 1 <= 4 * KT_MAX_ATTR + 8) {
            int ncap = 2 * cap + 1, nhead[4 * KT_MAX_ATTR + 8];
            for (int b = 0; b < ncap; b++)
                nhead[b] = -1;
            for (int b = cap - 1; b >= 0; b--)
                for (int e = head[b], nx; e >= 0; e = nx) {
                    nx = next[e];
                    int nb = (java_hash(oids[e]) & 0x7fffffff) % ncap;
                    next[e] = nhead[nb];
                    nhead[nb] = e;
                }
            cap = ncap;
            threshold = (int)(cap * 0.75f);
            memcpy(head, nhead, sizeof(int) * (size_t)cap);
        }
        int b = (h & 0x7fffffff) % cap;
        next[i] = head[b];
        head[b] = i;
        index[i] = i;
        count++;
    }
    /* Enumeration: buckets from the last down, each chain from its head */
    int o = 0, order[KT_MAX_ATTR];
    for (int b = cap - 1; b >= 0; b--)
        for (int e = head[b]; e >= 0; e = next[e])
            order[o++] = index[e];
    for (int i = 0; i < n; i++)
        index[i] = i < o ? order[i] : -1;
}

/* One attribute other than extensionRequest, as keytool prints it
 * ("Attribute: OID" and PKCS9Attribute's name and value). */
static void print_attribute(X509_ATTRIBUTE *at, const char *oid)
{
    static const struct {
        const char *oid, *name;
        int multi; /* a String[] value: "[a, b]" */
    } known[] = {
        {"1.2.840.113549.1.9.1", "EmailAddress", 1},
        {"1.2.840.113549.1.9.2", "UnstructuredName", 1},
        {"1.2.840.113549.1.9.7", "ChallengePassword", 0},
        {"1.2.840.113549.1.9.8", "UnstructuredAddress", 0},
    };
    printf("Attribute: %s\n", oid);
    for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++) {
        if (strcmp(known[k].oid, oid))
            continue;
        printf("%s: %s", known[k].name, known[k].multi ? "[" : "");
        int n = known[k].multi ? X509_ATTRIBUTE_count(at) : 1;
        for (int i = 0; i < n; i++) {
            ASN1_TYPE *t = X509_ATTRIBUTE_get0_type(at, i);
            if (t && (t->type == V_ASN1_UTF8STRING || t->type == V_ASN1_PRINTABLESTRING ||
                      t->type == V_ASN1_IA5STRING || t->type == V_ASN1_T61STRING ||
                      t->type == V_ASN1_BMPSTRING)) {
                unsigned char *u = NULL;
                int ul = ASN1_STRING_to_UTF8(&u, t->value.asn1_string);
                printf("%s%.*s", i ? ", " : "", ul > 0 ? ul : 0, ul > 0 ? (char *)u : "");
                OPENSSL_free(u);
            }
        }
        printf("%s\n", known[k].multi ? "]" : "");
        return;
    }
    /* PKCS9Attribute names no other attribute a request carries: keytool
     * then prints the OID alone */
}

static X509_REQ *parse_req(const uint8_t *buf, size_t len)
{
    BIO *b = BIO_new_mem_buf(buf, (int)len);
    X509_REQ *r = b ? PEM_read_bio_X509_REQ(b, NULL, NULL, NULL) : NULL;
    BIO_free(b);
    if (!r) { /* DER, which keytool does not read */
        const unsigned char *p = buf;
        r = d2i_X509_REQ(NULL, &p, (long)len);
        if (r && p != buf + len) {
            X509_REQ_free(r);
            r = NULL;
        }
    }
    ERR_clear_error();
    return r;
}

int kt_printcertreq(const char *file)
{
    uint8_t *buf;
    size_t len;
    if (read_input(file, &buf, &len))
        return 1;
    X509_REQ *req = parse_req(buf, len);
    int pem = memmem(buf, len, "-----", 5) != NULL;
    free(buf);
    if (!req)
        /* keytool reads the base64 between the first two "-----" lines:
         * with none it decodes nothing ("Too short") */
        return pem ? kt_fail("java.io.IOException", "not a PKCS #10 certificate request")
                   : kt_fail("java.io.IOException", "Too short");
    EVP_PKEY *pk = X509_REQ_get0_pubkey(req);
    if (!pk || X509_REQ_verify(req, pk) != 1) {
        X509_REQ_free(req);
        ERR_clear_error();
        return kt_fail("java.security.SignatureException", "Invalid PKCS #10 signature");
    }
    char subject[2048], key[160], sig[128];
    kt_java_name(X509_REQ_get_subject_name(req), subject, sizeof(subject));
    kt_key_text(pk, X509_REQ_get_X509_PUBKEY(req), key, sizeof(key));
    const X509_ALGOR *sa = NULL;
    X509_REQ_get0_signature(req, NULL, &sa);
    alg_name(sa, sig, sizeof(sig));
    int bits;
    const char *ka = key_alg(pk, &bits);
    jks_strength ks = ka ? jks_key_strength(ka, bits, JKS_JDK_17) : JKS_STRENGTH_OK;
    jks_strength ss = jks_algorithm_strength(sig, JKS_JDK_17);
    printf("PKCS #10 Certificate Request (Version 1.0)\nSubject: %s\nFormat: X.509\n"
           "Public Key: %s%s\nSignature algorithm: %s%s\n",
           subject, key, mark(ks), sig, mark(ss));
    int n = X509_REQ_get_attr_count(req);
    if (n > KT_MAX_ATTR)
        n = KT_MAX_ATTR;
    char oids[KT_MAX_ATTR][80];
    int order[KT_MAX_ATTR];
    for (int i = 0; i < n; i++)
        OBJ_obj2txt(oids[i], sizeof(oids[i]),
                    X509_ATTRIBUTE_get0_object(X509_REQ_get_attr(req, i)), 1);
    hashtable_order(oids, n, order);
    for (int i = 0; i < n; i++) {
        if (order[i] < 0)
            continue;
        X509_ATTRIBUTE *at = X509_REQ_get_attr(req, order[i]);
        if (OBJ_obj2nid(X509_ATTRIBUTE_get0_object(at)) == NID_ext_req) {
            STACK_OF(X509_EXTENSION) *exts = X509_REQ_get_extensions(req);
            kt_print_exts(stdout, exts, "\nExtension Request:\n\n");
            sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
        } else {
            print_attribute(at, oids[order[i]]);
        }
    }
    kt_weak_lines("The certificate request", sig, ss, key, ks);
    X509_REQ_free(req);
    ERR_clear_error();
    return 0;
}

/* ---- -printcrl ---- */

/* sun.security.util.Debug.toHexString(BigInteger): four spaces, hex bytes. */
static void debug_hex(const ASN1_INTEGER *v)
{
    BIGNUM *bn = ASN1_INTEGER_to_BN(v, NULL);
    char *hex = bn ? BN_bn2hex(bn) : NULL;
    if (hex) {
        const char *h = hex;
        int neg = *h == '-';
        h += neg;
        while (h[0] == '0' && h[1] && h[2]) /* BN_bn2hex pads to whole bytes */
            h += 2;
        fputs(neg ? "   -" : "    ", stdout);
        size_t l = strlen(h);
        for (size_t i = 0; i < l; i += 2) {
            putchar(h[i] >= 'A' ? h[i] + 32 : h[i]);
            putchar(h[i + 1] >= 'A' ? h[i + 1] + 32 : h[i + 1]);
            if (i + 2 < l) {
                if ((i + 2) % 64 == 0)
                    fputs("\n    ", stdout);
                else if ((i + 2) % 8 == 0)
                    putchar(' ');
            }
        }
    }
    OPENSSL_free(hex);
    BN_free(bn);
}

static void print_time(const ASN1_TIME *t)
{
    struct tm tm;
    char d[80];
    if (!t || !ASN1_TIME_to_tm(t, &tm)) {
        fputs("null", stdout);
        return;
    }
    kt_java_date(d, sizeof(d), (int64_t)timegm(&tm));
    fputs(d, stdout);
}

/* The name CRLExtensions sorts by (OIDMap's, else the OID). */
static const char *crl_ext_name(int nid)
{
    switch (nid) {
    case NID_authority_key_identifier: return "AuthorityKeyIdentifier";
    case NID_crl_number: return "CRLNumber";
    case NID_delta_crl: return "DeltaCRLIndicator";
    case NID_issuing_distribution_point: return "IssuingDistributionPoint";
    case NID_issuer_alt_name: return "IssuerAlternativeName";
    case NID_info_access: return "AuthorityInfoAccess";
    case NID_freshest_crl: return "FreshestCRL";
    case NID_crl_reason: return "CRLReasonCode";
    case NID_certificate_issuer: return "CertificateIssuer";
    default: return NULL;
    }
}

/* Extension.toString() and its subclass's, after "[i]: " (indent: the
 * entry extensions' four spaces). */
static void print_crl_ext(X509_EXTENSION *ext, const char *oid, const char *name)
{
    int nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));
    printf("ObjectId: %s Criticality=%s\n", oid,
           X509_EXTENSION_get_critical(ext) ? "true" : "false");
    /* InvalidityDate is not in JDK 17's OIDMap: a hex dump, sorted by its OID */
    int mine = nid == NID_crl_number || nid == NID_delta_crl || nid == NID_crl_reason;
    void *d = mine ? X509V3_EXT_d2i(ext) : NULL;
    if (d && (nid == NID_crl_number || nid == NID_delta_crl)) {
        fputs(nid == NID_crl_number ? "CRL Number: " : "Base CRL Number: ", stdout);
        debug_hex(d);
        putchar('\n');
    } else if (d && nid == NID_crl_reason) {
        static const char *reasons[] = {"UNSPECIFIED", "KEY_COMPROMISE", "CA_COMPROMISE",
                                        "AFFILIATION_CHANGED", "SUPERSEDED",
                                        "CESSATION_OF_OPERATION", "CERTIFICATE_HOLD", "UNUSED",
                                        "REMOVE_FROM_CRL", "PRIVILEGE_WITHDRAWN", "AA_COMPROMISE"};
        long r = ASN1_ENUMERATED_get(d);
        printf("    Reason Code: %s", reasons[r >= 0 && r <= 10 ? r : 0]);
    } else if (mine || !name || kt_print_ext_body(stdout, ext, nid) != 0) {
        /* not decoded by keytool (or not by us): the DER OCTET STRING dump */
        ASN1_OCTET_STRING *v = X509_EXTENSION_get_data(ext);
        unsigned char *der = NULL;
        int l = i2d_ASN1_OCTET_STRING(v, &der);
        fputs("Extension unknown: DER encoded OCTET string =\n", stdout);
        if (l > 0)
            kt_hexdump(stdout, der, (size_t)l);
        putchar('\n');
        OPENSSL_free(der);
    }
    if (d) /* INTEGER or ENUMERATED */
        ASN1_STRING_free(d);
}

static void print_crl_exts(const STACK_OF(X509_EXTENSION) *exts, const char *title,
                           const char *indent)
{
    int n = sk_X509_EXTENSION_num(exts);
    if (n < 0)
        return;
    kt_ext_slot *s = calloc(n ? (size_t)n : 1, sizeof(*s));
    if (!s)
        return;
    for (int i = 0; i < n; i++) {
        s[i].ext = sk_X509_EXTENSION_value(exts, i);
        ASN1_OBJECT *o = X509_EXTENSION_get_object(s[i].ext);
        OBJ_obj2txt(s[i].oid, sizeof(s[i].oid), o, 1);
        s[i].name = crl_ext_name(OBJ_obj2nid(o));
    }
    qsort(s, (size_t)n, sizeof(*s), kt_ext_slot_cmp);
    printf("%s%d", title, n);
    for (int i = 0; i < n; i++) {
        printf("\n%s[%d]: ", indent, i + 1);
        print_crl_ext(s[i].ext, s[i].oid, s[i].name);
    }
    free(s);
}

/* Debug.toString(BigInteger.toByteArray()): "10:00" */
static void serial_bytes(const ASN1_INTEGER *serial)
{
    unsigned char *der = NULL;
    int n = i2d_ASN1_INTEGER(serial, &der);
    if (n > 2) {
        int h = der[1] & 0x80 ? 2 + (der[1] & 0x7f) : 2;
        for (int i = h; i < n; i++)
            printf("%s%02x", i > h ? ":" : "", der[i]);
    }
    OPENSSL_free(der);
}

/* X509CRLImpl.toStringWithAlgName, then println */
static void print_crl(X509_CRL *crl, const char *sig, jks_strength ss)
{
    char name[2048], oid[80];
    printf("X.509 CRL v%ld\n", X509_CRL_get_version(crl) + 1);
    const X509_ALGOR *a = NULL;
    const ASN1_OBJECT *o = NULL;
    X509_CRL_get0_signature(crl, NULL, &a);
    X509_ALGOR_get0(&o, NULL, NULL, a);
    OBJ_obj2txt(oid, sizeof(oid), o, 1);
    printf("Signature Algorithm: %s%s, OID=%s\n", sig, mark(ss), oid);
    kt_java_name(X509_CRL_get_issuer(crl), name, sizeof(name));
    printf("Issuer: %s\n\nThis Update: ", name);
    print_time(X509_CRL_get0_lastUpdate(crl));
    putchar('\n');
    if (X509_CRL_get0_nextUpdate(crl)) {
        fputs("Next Update: ", stdout);
        print_time(X509_CRL_get0_nextUpdate(crl));
        putchar('\n');
    }
    STACK_OF(X509_REVOKED) *rev = X509_CRL_get_REVOKED(crl);
    int nr = sk_X509_REVOKED_num(rev);
    if (nr <= 0) {
        fputs("\nNO certificates have been revoked\n", stdout);
    } else {
        printf("\nRevoked Certificates: %d", nr);
        for (int i = 0; i < nr; i++) {
            X509_REVOKED *r = sk_X509_REVOKED_value(rev, i);
            printf("\n[%d] SerialNumber: ", i + 1);
            serial_bytes(X509_REVOKED_get0_serialNumber(r));
            fputs("  On: ", stdout);
            print_time(X509_REVOKED_get0_revocationDate(r));
            const STACK_OF(X509_EXTENSION) *re = X509_REVOKED_get0_extensions(r);
            if (re && sk_X509_EXTENSION_num(re) > 0)
                print_crl_exts(re, "\n    CRL Entry Extensions: ", "    ");
            putchar('\n');
        }
    }
    const STACK_OF(X509_EXTENSION) *ce = X509_CRL_get0_extensions(crl);
    if (ce && X509_CRL_get_version(crl) >= 1)
        print_crl_exts(ce, "\nCRL Extensions: ", "");
    const ASN1_BIT_STRING *sigbits = NULL;
    X509_CRL_get0_signature(crl, &sigbits, NULL);
    fputs("\nSignature:\n", stdout);
    if (sigbits)
        kt_hexdump(stdout, sigbits->data, (size_t)sigbits->length);
    fputs("\n\n", stdout);
}

/* keytool's verifyCRL: the alias of a certificate of ks named as the CRL's
 * issuer whose key verifies it, NULL when none. */
static const jks_entry *crl_signer(const jks_store *ks, X509_CRL *crl, char *key, size_t cap)
{
    for (size_t i = 0; ks && i < jks_store_count(ks); i++) {
        const jks_entry *e = jks_store_entry(ks, i);
        jks_bytes c = jks_entry_cert(e, 0);
        const unsigned char *p = c.data;
        X509 *x = c.data ? d2i_X509(NULL, &p, (long)c.len) : NULL;
        int ok = x && !X509_NAME_cmp(X509_get_subject_name(x), X509_CRL_get_issuer(crl)) &&
                 X509_get0_pubkey(x) && X509_CRL_verify(crl, X509_get0_pubkey(x)) == 1;
        if (ok)
            kt_key_text(X509_get0_pubkey(x), X509_get_X509_PUBKEY(x), key, cap);
        X509_free(x);
        ERR_clear_error();
        if (ok)
            return e;
    }
    return NULL;
}

int kt_printcrl(const char *file, int rfc, const jks_store *ks, const char *cacerts)
{
    uint8_t *buf;
    size_t len;
    if (read_input(file, &buf, &len))
        return 1;
    STACK_OF(X509_CRL) *crls = sk_X509_CRL_new_null();
    X509_CRL *c;
    int rc = 0;
    if (memmem(buf, len, "-----BEGIN", 10)) {
        BIO *b = BIO_new_mem_buf(buf, (int)len);
        while (b && crls && (c = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL)) != NULL)
            if (!sk_X509_CRL_push(crls, c))
                X509_CRL_free(c);
        BIO_free(b);
    } else {
        const unsigned char *p = buf, *end = buf + len;
        while (crls && p < end && (c = d2i_X509_CRL(NULL, &p, (long)(end - p))) != NULL)
            if (!sk_X509_CRL_push(crls, c))
                X509_CRL_free(c);
        if (p < end && crls)
            sk_X509_CRL_zero(crls), rc = -1;
    }
    ERR_clear_error();
    if (!crls || (len > 0 && sk_X509_CRL_num(crls) == 0) || rc < 0) {
        sk_X509_CRL_pop_free(crls, X509_CRL_free);
        free(buf);
        return kt_fail("java.security.cert.CRLException", "Parsing error: not a CRL");
    }
    free(buf);
    /* cacerts is read without a password, as keytool reads it (its
     * certificates need none); one that does not load verifies nothing */
    jks_store *cas = NULL;
    jks_read_opts ro = JKS_READ_OPTS_INIT;
    ro.no_decrypt = 1;
    jks_error err;
    jks_error_clear(&err);
    if (cacerts && jks_store_read_file(cacerts, &ro, &cas, &err) != JKS_OK)
        cas = NULL;
    for (int i = 0; i < sk_X509_CRL_num(crls); i++) {
        c = sk_X509_CRL_value(crls, i);
        char sig[128], key[160];
        const X509_ALGOR *a = NULL;
        X509_CRL_get0_signature(c, NULL, &a);
        alg_name(a, sig, sizeof(sig));
        jks_strength ss = jks_algorithm_strength(sig, JKS_JDK_17);
        if (rfc) {
            unsigned char *der = NULL;
            int l = i2d_X509_CRL(c, &der);
            if (l > 0)
                kt_pem(stdout, "X509 CRL", der, (size_t)l);
            OPENSSL_free(der);
        } else {
            print_crl(c, sig, ss);
        }
        const jks_entry *e = crl_signer(cas, c, key, sizeof(key));
        const char *where = "cacerts";
        if (!e) {
            e = crl_signer(ks, c, key, sizeof(key));
            where = "keystore";
        }
        if (e)
            printf("Verified by %s in %s with a %s\n", jks_entry_alias(e), where, key);
        else
            printf("*******************************************\n"
                   "WARNING: not verified. Make sure -keystore is correct%s.\n"
                   "*******************************************\n\n\n",
                   cacerts ? "" : " or specify -trustcacerts");
        kt_weak_lines("The CRL", sig, ss, NULL, JKS_STRENGTH_OK);
    }
    sk_X509_CRL_pop_free(crls, X509_CRL_free);
    jks_store_free(cas);
    return 0;
}

/* ---- -showinfo -tls ---- */

int kt_showinfo(int tls)
{
    if (!tls) {
        puts("Missing option for -showinfo. Try \"keytool -showinfo -tls\".");
        return 0;
    }
    const jks_jdk_profile *p = jks_jdk_profile_get(17);
    fputs("Enabled Protocols\n-----------------\n", stdout);
    for (size_t i = 0; i < p->n_protocols; i++)
        puts(p->protocols[i]);
    fputs("\nEnabled Cipher Suites\n---------------------\n", stdout);
    for (size_t i = 0; i < p->n_cipher_suites; i++)
        puts(p->cipher_suites[i]);
    if (p->renegotiation_scsv)
        puts("TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
    return 0;
}

/* ---- -printcert -sslserver ---- */

int kt_sslserver(const char *hostport, int rfc)
{
    char host[256], port[16] = "443", why[256];
    const char *colon = strrchr(hostport, ':');
    const char *h = hostport;
    size_t hl = colon ? (size_t)(colon - hostport) : strlen(hostport);
    if (h[0] == '[' && hl >= 2 && h[hl - 1] == ']') { /* [::1]:443 */
        h++;
        hl -= 2;
    } else if (colon && strchr(hostport, ':') != colon) { /* a bare IPv6 address */
        colon = NULL;
        hl = strlen(hostport);
    }
    if (hl == 0 || hl >= sizeof(host) || (colon && (!colon[1] || strlen(colon + 1) >= sizeof(port))))
        return kt_fail("java.lang.Exception", "No certificate from the SSL server");
    memcpy(host, h, hl);
    host[hl] = 0;
    if (colon)
        snprintf(port, sizeof(port), "%s", colon + 1);
    if (!probe_ssl_load(why, sizeof(why)))
        return kt_fail("java.lang.Exception", "No certificate from the SSL server (%s)", why);
    probe_run r;
    memset(&r, 0, sizeof(r));
    r.host = host;
    r.port = port;
    /* Java sends SNI for a host name with an inner dot, never for an address */
    unsigned char addr[16];
    int dotted = strchr(host, '.') && host[strlen(host) - 1] != '.';
    r.sni = dotted && inet_pton(AF_INET, host, addr) != 1 && inet_pton(AF_INET6, host, addr) != 1
                ? host
                : NULL;
    r.timeout_ms = 20000;
    r.forced = -1;
    r.jdk = jks_jdk_profile_get(17);
    probe_run_tls(&r); /* no identities: no client certificate, as keytool */
    int n = r.server_chain ? sk_X509_num(r.server_chain) : 0;
    if (n == 0) {
        probe_run_free(&r);
        return kt_fail("java.lang.Exception", "No certificate from the SSL server");
    }
    for (int i = 0; i < n; i++) {
        unsigned char *der = NULL;
        int l = i2d_X509(sk_X509_value(r.server_chain, i), &der);
        if (l <= 0)
            continue;
        if (rfc) {
            kt_pem(stdout, "CERTIFICATE", der, (size_t)l);
        } else {
            printf("Certificate #%d\n====================================\n", i);
            kt_print_cert(stdout, der, (size_t)l);
            putchar('\n');
        }
        char label[64];
        if (n > 1)
            snprintf(label, sizeof(label), "The certificate #%d of %d", i + 1, n);
        else
            snprintf(label, sizeof(label), "The certificate");
        kt_check_weak(label, der, (size_t)l, 0);
        OPENSSL_free(der);
    }
    probe_run_free(&r);
    return 0;
}
