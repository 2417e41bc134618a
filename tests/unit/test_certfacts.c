/* certfacts: the one-pass DER fact reader (cert/certfacts.c) against
 * OpenSSL's own view of the same certificate (X509_* here, in the test
 * only). Every certificate found in vectors/, in the fuzz seeds
 * (fuzz/corpus/) and in a generated set (RSA, RSA-PSS, EC P-256/384/521,
 * Ed25519, Ed448, DSA; UTF8String/BMPString/TeletexString/UniversalString
 * and multi-valued names, RFC 2253 specials, unknown attribute types,
 * negative, zero and 20-byte serials, UTCTime/GeneralizedTime edges, v1 and
 * v3 with extensions) is decoded both ways and compared field by field,
 * through the DER reader directly (which must take the generated set and the
 * vectors without falling back) and through jks_cert_facts_get and
 * jks_cert_info_get. One-byte corruptions of real certificates must never
 * make the reader say something OpenSSL does not. */
#include "testutil.h"

#include "certfacts.h"
#include "jks/certificate.h"
#include "jks/jks.h"

#include <dirent.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <string.h>
#include <time.h>

static size_t n_compared, n_fast, n_mismatch;

static void hexs(const unsigned char *d, size_t n, char *out)
{
    static const char h[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = h[d[i] >> 4];
        out[2 * i + 1] = h[d[i] & 15];
    }
    out[2 * n] = 0;
}

/* OpenSSL's view, computed independently of libjks. */
static int ossl_view(const uint8_t *der, size_t len, jks_cert_info *o, int *key_ok)
{
    const unsigned char *p = der;
    X509 *x = d2i_X509(NULL, &p, (long)len);
    memset(o, 0, sizeof(*o));
    *key_ok = 0;
    if (!x) {
        ERR_clear_error();
        return 0;
    }
    unsigned long fl = (XN_FLAG_RFC2253 & ~(ASN1_STRFLGS_ESC_MSB | XN_FLAG_SEP_MASK)) |
                       XN_FLAG_SEP_CPLUS_SPC;
    for (int w = 0; w < 2; w++) {
        BIO *b = BIO_new(BIO_s_mem());
        char *dst = w ? o->issuer : o->subject;
        X509_NAME_print_ex(b, w ? X509_get_issuer_name(x) : X509_get_subject_name(x), 0, fl);
        int r = BIO_read(b, dst, (int)sizeof(o->subject) - 1);
        dst[r > 0 ? r : 0] = 0;
        BIO_free(b);
    }
    const ASN1_INTEGER *sn = X509_get0_serialNumber(x);
    hexs(sn->data, (size_t)(sn->length < 64 ? sn->length : 64), o->serial);
    struct tm tm;
    if (ASN1_TIME_to_tm(X509_get0_notBefore(x), &tm))
        o->not_before = (int64_t)timegm(&tm);
    if (ASN1_TIME_to_tm(X509_get0_notAfter(x), &tm))
        o->not_after = (int64_t)timegm(&tm);
    unsigned char md[32];
    unsigned int ml;
    EVP_Digest(der, len, md, &ml, EVP_sha256(), NULL);
    hexs(md, 32, o->sha256);
    EVP_Digest(der, len, md, &ml, EVP_sha1(), NULL);
    hexs(md, 20, o->sha1);
    EVP_PKEY *k = X509_get0_pubkey(x);
    if (k) {
        const char *n;
        int bits = EVP_PKEY_get_bits(k);
        switch (EVP_PKEY_get_base_id(k)) {
        case EVP_PKEY_RSA: n = "RSA"; break;
        case EVP_PKEY_RSA_PSS: n = "RSASSA-PSS"; break;
        case EVP_PKEY_EC: n = "EC"; break;
        case EVP_PKEY_DSA: n = "DSA"; break;
        case EVP_PKEY_ED25519: n = "Ed25519"; bits = 255; break;
        case EVP_PKEY_ED448: n = "Ed448"; bits = 448; break;
        case EVP_PKEY_X25519: n = "X25519"; bits = 255; break;
        case EVP_PKEY_X448: n = "X448"; bits = 448; break;
        default: n = EVP_PKEY_get0_type_name(k); if (!n) n = "unknown";
        }
        snprintf(o->key_algorithm, sizeof o->key_algorithm, "%s", n);
        o->key_bits = bits;
        unsigned char *sp = NULL;
        int sl = i2d_PUBKEY(k, &sp);
        if (sl > 0) {
            EVP_Digest(sp, (size_t)sl, md, &ml, EVP_sha256(), NULL);
            hexs(md, 32, o->spki_sha256);
        }
        OPENSSL_free(sp);
        if (EVP_PKEY_get_base_id(k) == EVP_PKEY_EC) {
            size_t gl;
            if (!EVP_PKEY_get_utf8_string_param(k, "group", o->key_curve, sizeof o->key_curve, &gl))
                o->key_curve[0] = 0;
        }
        *key_ok = 1;
    }
    int nid = X509_get_signature_nid(x), mdnid = 0, pknid = 0;
    snprintf(o->sig_algorithm, sizeof o->sig_algorithm, "%s", nid ? OBJ_nid2ln(nid) : "unknown");
    if (!nid) {
        /* OpenSSL 3.0 has no name for FIPS 204 signatures: the names NIST's
         * registry gives their dotted OIDs (the reader works from the bytes) */
        static const char *const pq[][2] = {{"2.16.840.1.101.3.4.3.17", "ML-DSA-44"},
                                            {"2.16.840.1.101.3.4.3.18", "ML-DSA-65"},
                                            {"2.16.840.1.101.3.4.3.19", "ML-DSA-87"}};
        const X509_ALGOR *sa = NULL;
        const ASN1_OBJECT *so = NULL;
        char dotted[64];
        X509_get0_signature(NULL, &sa, x);
        X509_ALGOR_get0(&so, NULL, NULL, sa);
        if (so && OBJ_obj2txt(dotted, sizeof dotted, so, 1) > 0)
            for (size_t i = 0; i < sizeof pq / sizeof *pq; i++)
                if (!strcmp(dotted, pq[i][0]))
                    snprintf(o->sig_algorithm, sizeof o->sig_algorithm, "%s", pq[i][1]);
    }
    if (OBJ_find_sigid_algs(nid, &mdnid, &pknid) && mdnid)
        snprintf(o->md_name, sizeof o->md_name, "%s", OBJ_nid2sn(mdnid));
    o->self_issued = X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0;
    o->self_signed = o->self_issued && k && X509_verify(x, k) == 1;
    uint32_t ef = X509_get_extension_flags(x);
    o->is_ca = X509_check_ca(x) > 0 && (ef & EXFLAG_CA);
    uint32_t xku = X509_get_extended_key_usage(x);
    o->has_eku = (ef & EXFLAG_XKUSAGE) != 0;
    o->eku_client_auth = !o->has_eku || (xku & XKU_SSL_CLIENT) || (xku & XKU_ANYEKU);
    o->eku_server_auth = !o->has_eku || (xku & XKU_SSL_SERVER) || (xku & XKU_ANYEKU);
    o->version = (int)X509_get_version(x) + 1;
    o->has_basic_constraints = (ef & EXFLAG_BCONS) != 0;
    o->basic_ca = (ef & EXFLAG_CA) != 0;
    o->path_len = o->has_basic_constraints && X509_get_pathlen(x) >= 0 ? (int)X509_get_pathlen(x) : -1;
    if (ef & EXFLAG_KUSAGE) {
        uint32_t ku = X509_get_key_usage(x);
        o->has_key_usage = 1;
        for (int bit = 0; bit < 9; bit++)
            if (ku & (bit < 8 ? (0x80u >> bit) : 0x8000u))
                o->key_usage |= 1u << bit;
    }
    /* EKU and SAN: OpenSSL's own printer (X509V3_EXT_print), compared with
     * our list joined the same way */
    for (int which = 0; which < 2; which++) {
        int loc = X509_get_ext_by_NID(x, which ? NID_subject_alt_name : NID_ext_key_usage, -1);
        char *dst = which ? o->san : o->eku;
        size_t cap = which ? sizeof o->san : sizeof o->eku;
        if (loc < 0)
            continue;
        BIO *b = BIO_new(BIO_s_mem());
        if (X509V3_EXT_print(b, X509_get_ext(x, loc), 0, 0) == 1) {
            int r = BIO_read(b, dst, (int)cap - 1);
            dst[r > 0 ? r : 0] = 0;
        } else {
            dst[0] = 0; /* does not decode: no entries */
        }
        BIO_free(b);
    }
    const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(x);
    if (ski)
        hexs(ski->data, (size_t)(ski->length < 32 ? ski->length : 32), o->ski);
    const ASN1_OCTET_STRING *aki = X509_get0_authority_key_id(x);
    if (aki)
        hexs(aki->data, (size_t)(aki->length < 32 ? aki->length : 32), o->aki);
    X509_free(x);
    ERR_clear_error();
    return 1;
}

/* OpenSSL's long EKU names in X509V3_EXT_print vs our short names: map ours. */
static void eku_as_openssl(const char *ours, char *out, size_t cap)
{
    char tmp[256];
    size_t k = 0;
    snprintf(tmp, sizeof tmp, "%s", ours);
    out[0] = 0;
    for (char *t = strtok(tmp, ","); t; t = strtok(NULL, ",")) {
        while (*t == ' ')
            t++;
        int nid = OBJ_sn2nid(t);
        const char *ln = nid != NID_undef ? OBJ_nid2ln(nid) : t;
        k += (size_t)snprintf(out + k, cap - k, "%s%s", k ? ", " : "", ln);
        if (k >= cap)
            break;
    }
}

static void san_as_openssl(const char *ours, char *out, size_t cap, int *comparable)
{
    size_t k = 0;
    out[0] = 0;
    *comparable = !strstr(ours, "DirName:") && !strstr(ours, "othername:") &&
                  !strstr(ours, "?") && !strstr(ours, "<");
    for (const char *s = ours; *s && k + 3 < cap; s++) {
        if (*s == '\n') {
            if (s[1])
                out[k++] = ',', out[k++] = ' ';
        } else {
            out[k++] = *s;
        }
    }
    out[k] = 0;
}

#define FIELD_S(f)                                                                              \
    if (strcmp(a->f, o->f)) {                                                                   \
        fprintf(stderr, "%s: %s: ours \"%s\" openssl \"%s\"\n", what, #f, a->f, o->f);          \
        bad = 1;                                                                                \
    }
#define FIELD_I(f)                                                                              \
    if ((long long)a->f != (long long)o->f) {                                                   \
        fprintf(stderr, "%s: %s: ours %lld openssl %lld\n", what, #f, (long long)a->f,          \
                (long long)o->f);                                                               \
        bad = 1;                                                                                \
    }

/* 1 when every fact agrees. key_ok = OpenSSL decoded the key. */
static int same_facts(const char *what, const jks_cert_info *a, const jks_cert_info *o, int key_ok,
                      int check_self_signed)
{
    int bad = 0;
    FIELD_S(sha256) FIELD_S(sha1) FIELD_S(subject) FIELD_S(issuer) FIELD_S(serial)
    FIELD_I(not_before) FIELD_I(not_after) FIELD_S(sig_algorithm) FIELD_S(md_name)
    FIELD_I(self_issued) FIELD_I(is_ca) FIELD_I(has_eku) FIELD_I(eku_client_auth)
    FIELD_I(eku_server_auth) FIELD_I(version) FIELD_I(has_basic_constraints) FIELD_I(basic_ca)
    FIELD_I(path_len) FIELD_I(has_key_usage) FIELD_I(key_usage) FIELD_S(ski) FIELD_S(aki)
    if (key_ok) {
        FIELD_S(key_algorithm) FIELD_I(key_bits) FIELD_S(spki_sha256) FIELD_S(key_curve)
    }
    if (check_self_signed) {
        FIELD_I(self_signed)
    }
    char t[1100];
    if (a->has_eku) {
        eku_as_openssl(a->eku, t, sizeof t);
        if (strcmp(t, o->eku)) {
            fprintf(stderr, "%s: eku: ours \"%s\" openssl \"%s\"\n", what, t, o->eku);
            bad = 1;
        }
    }
    int comparable;
    san_as_openssl(a->san, t, sizeof t, &comparable);
    if (comparable && strcmp(t, o->san)) {
        fprintf(stderr, "%s: san: ours \"%s\" openssl \"%s\"\n", what, t, o->san);
        bad = 1;
    }
    return !bad;
}

/* Compare one certificate; must_fast: the DER reader has to take it. */
static void compare(const char *what, const uint8_t *der, size_t len, int must_fast)
{
    jks_cert_info mine, pub, o;
    jks_certfacts_loc loc;
    int key_ok;
    int ok_o = ossl_view(der, len, &o, &key_ok);
    int fast = jks_certfacts_read(der, len, 0, &mine, &loc);
    jks_status s = jks_cert_facts_get(der, len, &pub);
    if (must_fast && !fast)
        fprintf(stderr, "%s: the DER reader did not take it\n", what);
    if (must_fast)
        CU_ASSERT(fast);
    if (!ok_o) {
        /* OpenSSL refuses it: so must we */
        if (fast || s == JKS_OK)
            fprintf(stderr, "%s: OpenSSL refuses, ours reads it\n", what);
        CU_ASSERT(!fast);
        CU_ASSERT_EQUAL(s, JKS_ERR_FORMAT);
        n_mismatch += fast || s == JKS_OK;
        return;
    }
    n_compared++;
    CU_ASSERT_EQUAL(s, JKS_OK);
    if (fast) {
        n_fast++;
        /* the raw reader: key facts only when it knew the key; names with
         * different bytes are compared by OpenSSL on the public path */
        if (loc.names_maybe_equal)
            mine.self_issued = o.self_issued;
        int r = same_facts(what, &mine, &o, key_ok && loc.key_known, 0);
        if (loc.key_known && !key_ok) {
            /* OpenSSL could not decode a key the reader took (EC point off
             * the curve): documented difference, the public path then says
             * what the reader says */
        }
        CU_ASSERT(r);
        n_mismatch += !r;
    }
    int r2 = same_facts(what, &pub, &o, key_ok, 0);
    CU_ASSERT(r2);
    n_mismatch += !r2;
    /* without fingerprints: every other fact the same, the three hashes
     * empty; on demand they equal the facts' own */
    jks_cert_info nofp;
    char sha1[41], sha256[65];
    CU_ASSERT_EQUAL(jks_cert_facts_get_ex(der, len, JKS_FACTS_NO_FINGERPRINTS, &nofp), JKS_OK);
    CU_ASSERT(!nofp.sha1[0] && !nofp.sha256[0] && !nofp.spki_sha256[0]);
    memcpy(nofp.sha1, pub.sha1, sizeof nofp.sha1);
    memcpy(nofp.sha256, pub.sha256, sizeof nofp.sha256);
    memcpy(nofp.spki_sha256, pub.spki_sha256, sizeof nofp.spki_sha256);
    CU_ASSERT(memcmp(&nofp, &pub, sizeof pub) == 0);
    CU_ASSERT_EQUAL(jks_cert_fingerprints(der, len, sha1, sha256), JKS_OK);
    CU_ASSERT_STRING_EQUAL(sha1, o.sha1);
    CU_ASSERT_STRING_EQUAL(sha256, o.sha256);
    CU_ASSERT_EQUAL(jks_cert_facts_get_ex(der, len, 0x80, &nofp), JKS_ERR_USAGE);
    CU_ASSERT_EQUAL(pub.self_signed, 0);
    CU_ASSERT_EQUAL(pub.self_signed_known, 0);
    /* jks_cert_info_get verifies the self-signature as OpenSSL does */
    jks_cert_info full;
    CU_ASSERT_EQUAL(jks_cert_info_get(der, len, &full), JKS_OK);
    CU_ASSERT(same_facts(what, &full, &o, key_ok, 1));
    CU_ASSERT_EQUAL(full.self_signed_known, 1);
    /* and the handle, lazily */
    jks_cert *h = NULL;
    jks_cert_info hi;
    CU_ASSERT_EQUAL(jks_cert_decode(der, len, &hi, &h), JKS_OK);
    CU_ASSERT_EQUAL(jks_cert_self_verified(h), o.self_signed);
    CU_ASSERT_EQUAL(jks_cert_self_verified(h), o.self_signed); /* cached */
    jks_cert_free(h);
    /* a view of the caller's bytes answers the same (no copy kept) */
    jks_cert_info vi;
    CU_ASSERT_EQUAL(jks_cert_decode_view(der, len, &vi, &h), JKS_OK);
    CU_ASSERT_STRING_EQUAL(vi.subject, hi.subject);
    CU_ASSERT_STRING_EQUAL(vi.spki_sha256, hi.spki_sha256);
    CU_ASSERT_EQUAL(jks_cert_self_verified(h), o.self_signed);
    jks_cert_free(h);
}

/* Every certificate-shaped DER element at any offset of a file, and the
 * certificates of PEM blocks. Returns how many were compared. */
static size_t scan_buffer(const char *name, const uint8_t *d, size_t n, int must_fast)
{
    size_t found = 0;
    for (size_t i = 0; i + 4 < n; i++) {
        if (d[i] != 0x30 || d[i + 1] != 0x82)
            continue;
        size_t l = (size_t)d[i + 2] << 8 | d[i + 3];
        if (l < 0x100 || i + 4 + l > n || d[i + 4] != 0x30)
            continue;
        jks_cert_info tmp;
        jks_certfacts_loc loc;
        int key_ok;
        /* certificate-shaped for OpenSSL or for us */
        if (!ossl_view(d + i, 4 + l, &tmp, &key_ok) && !jks_certfacts_read(d + i, 4 + l, 0, &tmp, &loc))
            continue;
        char what[1200];
        snprintf(what, sizeof what, "%s@%zu", name, i);
        compare(what, d + i, 4 + l, must_fast);
        found++;
    }
    BIO *b = BIO_new_mem_buf(d, (int)n);
    X509 *x;
    while (b && (x = PEM_read_bio_X509(b, NULL, NULL, NULL))) {
        unsigned char *der = NULL;
        int dl = i2d_X509(x, &der);
        if (dl > 0) {
            char what[1200];
            snprintf(what, sizeof what, "%s(pem)", name);
            compare(what, der, (size_t)dl, must_fast);
            found++;
        }
        OPENSSL_free(der);
        X509_free(x);
    }
    BIO_free(b);
    ERR_clear_error();
    return found;
}

static size_t scan_dir(const char *dir, int must_fast)
{
    DIR *dd = opendir(dir);
    struct dirent *de;
    size_t found = 0;
    if (!dd)
        return 0;
    while ((de = readdir(dd))) {
        if (de->d_name[0] == '.')
            continue;
        char path[1024];
        size_t n;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        uint8_t *d = slurp(path, &n);
        if (d)
            found += scan_buffer(path, d, n, must_fast);
        free(d);
    }
    closedir(dd);
    return found;
}

static void every_vector_certificate_matches_openssl(void)
{
    const char *v = getenv("JKS_VECTORS");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/files", v ? v : "vectors");
    size_t before = n_compared;
    size_t found = scan_dir(dir, 0);
    fprintf(stderr, "vectors: %zu certificates, %zu compared, DER reader took %zu\n", found,
            n_compared - before, n_fast);
    CU_ASSERT(found > 200);
    CU_ASSERT_EQUAL(n_mismatch, 0);
}

static void every_fuzz_seed_certificate_matches_openssl(void)
{
    static const char *const dirs[] = {"jks", "jceks", "pkcs12", "pem", "roundtrip", "javaser"};
    size_t found = 0, mm = n_mismatch;
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        char dir[256];
        snprintf(dir, sizeof dir, "fuzz/corpus/%s", dirs[i]);
        found += scan_dir(dir, 0);
    }
    fprintf(stderr, "fuzz seeds: %zu certificates, %zu compared in all, DER reader took %zu in all\n", found, n_compared, n_fast);
    CU_ASSERT(found > 100);
    CU_ASSERT_EQUAL(n_mismatch, mm);
}

/* ---- the generated set ---- */

static EVP_PKEY *gen_key(const char *alg, const char *param)
{
    EVP_PKEY *k = NULL;
    if (!strcmp(alg, "DSA")) {
        EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "DSA", NULL);
        EVP_PKEY *params = NULL;
        EVP_PKEY_paramgen_init(pc);
        EVP_PKEY_CTX_set_dsa_paramgen_bits(pc, 1024);
        EVP_PKEY_paramgen(pc, &params);
        EVP_PKEY_CTX_free(pc);
        pc = EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL);
        EVP_PKEY_keygen_init(pc);
        EVP_PKEY_keygen(pc, &k);
        EVP_PKEY_CTX_free(pc);
        EVP_PKEY_free(params);
        return k;
    }
    if (!strcmp(alg, "EC"))
        return EVP_PKEY_Q_keygen(NULL, NULL, "EC", param);
    if (!strcmp(alg, "RSA-PSS")) {
        EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "RSA-PSS", NULL);
        if (pc && EVP_PKEY_keygen_init(pc) == 1 && EVP_PKEY_CTX_set_rsa_keygen_bits(pc, atoi(param)) == 1)
            EVP_PKEY_keygen(pc, &k);
        EVP_PKEY_CTX_free(pc);
        return k;
    }
    if (!strcmp(alg, "RSA"))
        return EVP_PKEY_Q_keygen(NULL, NULL, alg, (size_t)atoi(param));
    return EVP_PKEY_Q_keygen(NULL, NULL, alg);
}

static void add_entry(X509_NAME *n, const char *field, int type, const void *bytes, int len, int set)
{
    int r = X509_NAME_add_entry_by_txt(n, field, type, bytes, len, -1, set);
    if (r != 1)
        fprintf(stderr, "add %s failed\n", field);
    CU_ASSERT(r == 1);
}

static X509_NAME *make_name(int variant)
{
    X509_NAME *n = X509_NAME_new();
    switch (variant) {
    case 0:
        add_entry(n, "C", MBSTRING_ASC, "DE", -1, 0);
        add_entry(n, "O", MBSTRING_ASC, "libjks test", -1, 0);
        add_entry(n, "CN", MBSTRING_ASC, "plain.example", -1, 0);
        break;
    case 1: { /* UTF8String, BMPString, TeletexString, UniversalString */
        static const unsigned char bmp[] = {0x00, 'M', 0x00, 0xFC, 0x04, 0x1F, 0x4E, 0x2D};
        static const unsigned char t61[] = {'Z', 0xFC, 'r', 'i', 'c', 'h'};
        static const unsigned char uni[] = {0, 0, 0, 'U', 0, 1, 0xF6, 0x00, 0, 0, 0x00, 0xE9};
        add_entry(n, "CN", V_ASN1_UTF8STRING, "M\xc3\xbcller \xe4\xb8\xad \xf0\x9f\x98\x80", -1, 0);
        add_entry(n, "O", V_ASN1_BMPSTRING, bmp, sizeof bmp, 0);
        add_entry(n, "L", V_ASN1_T61STRING, t61, sizeof t61, 0);
        add_entry(n, "OU", V_ASN1_UNIVERSALSTRING, uni, sizeof uni, 0);
        add_entry(n, "emailAddress", V_ASN1_IA5STRING, "a@b.example", -1, 0);
        break;
    }
    case 2: /* multi-valued RDNs */
        add_entry(n, "C", MBSTRING_ASC, "US", -1, 0);
        add_entry(n, "O", MBSTRING_ASC, "Multi", -1, 0);
        add_entry(n, "OU", MBSTRING_ASC, "one", -1, -1);
        add_entry(n, "OU", MBSTRING_ASC, "two", -1, -1);
        add_entry(n, "CN", MBSTRING_ASC, "multi.example", -1, 0);
        add_entry(n, "UID", MBSTRING_ASC, "u1", -1, -1);
        break;
    case 3: /* RFC 2253 specials, control characters, unknown attribute types */
        add_entry(n, "CN", V_ASN1_UTF8STRING, " lead,+\"\\<>;=#trail ", -1, 0);
        add_entry(n, "O", V_ASN1_UTF8STRING, "#hash", -1, 0);
        add_entry(n, "OU", V_ASN1_UTF8STRING, "ctl\x01\x1f\x7f" "end", -1, 0);
        add_entry(n, "L", V_ASN1_UTF8STRING, " ", -1, 0);
        add_entry(n, "ST", V_ASN1_UTF8STRING, "#", -1, 0);
        add_entry(n, "1.2.3.4.5.6", V_ASN1_UTF8STRING, "unknown", -1, 0);
        add_entry(n, "DC", V_ASN1_IA5STRING, "example", -1, 0);
        add_entry(n, "serialNumber", V_ASN1_PRINTABLESTRING, "1234", -1, 0);
        add_entry(n, "2.5.4.97", V_ASN1_UTF8STRING, "VATDE-123", -1, 0); /* organizationIdentifier */
        break;
    case 4: { /* long: truncated at 511 bytes */
        char big[300];
        memset(big, 'x', sizeof big - 1);
        big[sizeof big - 1] = 0;
        add_entry(n, "CN", V_ASN1_UTF8STRING, big, -1, 0);
        add_entry(n, "O", V_ASN1_UTF8STRING, big, -1, 0);
        break;
    }
    default: /* empty name */
        break;
    }
    return n;
}

static void set_serial(X509 *x, int variant)
{
    static const unsigned char twenty[20] = {0x7f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19};
    static const unsigned char twenty_hi[20] = {0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19};
    BIGNUM *bn = BN_new();
    switch (variant) {
    case 0: BN_set_word(bn, 1); break;
    case 1: BN_set_word(bn, 0); break;
    case 2: BN_set_word(bn, 1); BN_set_negative(bn, 1); break;
    case 3: BN_set_word(bn, 128); BN_set_negative(bn, 1); break;
    case 4: BN_set_word(bn, 129); BN_set_negative(bn, 1); break;
    case 5: BN_bin2bn(twenty, 20, bn); break;
    case 6: BN_bin2bn(twenty_hi, 20, bn); break; /* 21 encoded bytes with the 0x00 pad */
    case 7: BN_bin2bn(twenty_hi, 20, bn); BN_set_negative(bn, 1); break;
    default: BN_set_word(bn, 0x80); break;
    }
    ASN1_INTEGER *ai = BN_to_ASN1_INTEGER(bn, NULL);
    X509_set_serialNumber(x, ai);
    ASN1_INTEGER_free(ai);
    BN_free(bn);
}

static void set_times(X509 *x, int variant)
{
    static const char *const t[][2] = {
        {"20260101000000Z", "20360101000000Z"},
        {"491231235959Z", "500101000000Z"},          /* UTCTime 2049 and 1950 */
        {"20491231235959Z", "20500101000000Z"},      /* GeneralizedTime around 2050 */
        {"19700101000000Z", "99991231235959Z"},
        {"20240229120000Z", "21000228235959Z"},      /* leap day; 2100 is no leap year */
        {"700101000000Z", "20501231235959Z"},
    };
    const char *const *p = t[variant % 6];
    ASN1_TIME *a = ASN1_TIME_new(), *b = ASN1_TIME_new();
    /* ASN1_TIME_set_string keeps the form given: 13 chars UTCTime, 15 GeneralizedTime */
    CU_ASSERT(ASN1_TIME_set_string(a, p[0]) == 1);
    CU_ASSERT(ASN1_TIME_set_string(b, p[1]) == 1);
    X509_set1_notBefore(x, a);
    X509_set1_notAfter(x, b);
    ASN1_TIME_free(a);
    ASN1_TIME_free(b);
}

static void add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
    X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    CU_ASSERT_PTR_NOT_NULL(e);
    if (e)
        X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
}

typedef struct {
    const char *alg, *param, *md;
} keyspec;

static const keyspec keys[] = {
    {"RSA", "2048", "SHA256"}, {"RSA", "1024", "SHA1"},     {"RSA-PSS", "2048", "SHA256"},
    {"EC", "P-256", "SHA256"}, {"EC", "P-384", "SHA384"},   {"EC", "P-521", "SHA512"},
    {"ED25519", "", NULL},     {"ED448", "", NULL},         {"DSA", "", "SHA256"},
    {"RSA", "3072", "SHA512"}, {"EC", "secp256k1", "SHA256"},
};
#define N_KEYS (sizeof keys / sizeof keys[0])

static uint8_t *gen_one(EVP_PKEY *k, EVP_PKEY *ik, X509 *issuer, const char *md, int name_v, int serial_v,
                        int time_v, int version, int exts, size_t *len)
{
    X509 *x = X509_new();
    X509_set_version(x, version);
    set_serial(x, serial_v);
    set_times(x, time_v);
    X509_NAME *sn = make_name(name_v);
    X509_set_subject_name(x, sn);
    X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : sn);
    X509_NAME_free(sn);
    X509_set_pubkey(x, k);
    if (version == 2) {
        X509 *is = issuer ? issuer : x;
        add_ext(x, is, NID_subject_key_identifier, "hash");
        switch (exts % 4) {
        case 0:
            add_ext(x, is, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
            add_ext(x, is, NID_key_usage, "critical,keyCertSign,cRLSign");
            break;
        case 1:
            add_ext(x, is, NID_basic_constraints, "CA:FALSE");
            add_ext(x, is, NID_key_usage, "digitalSignature,nonRepudiation,keyEncipherment,decipherOnly");
            add_ext(x, is, NID_ext_key_usage, "serverAuth,clientAuth,codeSigning,1.3.6.1.4.1.311.10.3.4");
            add_ext(x, is, NID_subject_alt_name,
                    "DNS:a.example,DNS:*.b.example,IP:10.1.2.3,IP:2001:db8::1,email:x@y.example,URI:https://u.example/p");
            /* the common CRL distribution point shape the reader checks itself */
            add_ext(x, is, NID_crl_distribution_points,
                    "URI:http://crl.example/ca.crl,URI:ldap://l.example/cn=ca");
            break;
        case 2:
            add_ext(x, is, NID_basic_constraints, "critical,CA:TRUE");
            add_ext(x, is, NID_key_usage, "digitalSignature"); /* a CA without keyCertSign: not is_ca */
            add_ext(x, is, NID_ext_key_usage, "anyExtendedKeyUsage");
            add_ext(x, is, NID_subject_alt_name, "RID:1.2.3.4,DNS:c.example");
            break;
        default:
            add_ext(x, is, NID_ext_key_usage, "clientAuth,emailProtection,timeStamping,OCSPSigning");
            break;
        }
        if (issuer) /* with the issuer's name and serial too in some (the reader checks them) */
            add_ext(x, is, NID_authority_key_identifier,
                    exts % 4 == 1 ? "keyid:always,issuer:always" : "keyid:always");
    }
    ERR_clear_error();
    CU_ASSERT(X509_sign(x, ik ? ik : k, md ? EVP_get_digestbyname(md) : NULL) > 0);
    unsigned char *der = NULL;
    int dl = i2d_X509(x, &der);
    X509_free(x);
    *len = dl > 0 ? (size_t)dl : 0;
    return der;
}

static void generated_set_matches_openssl(void)
{
    EVP_PKEY *k[N_KEYS];
    size_t total = 0, fast_before = n_fast, mm = n_mismatch;
    for (size_t i = 0; i < N_KEYS; i++) {
        k[i] = gen_key(keys[i].alg, keys[i].param);
        if (!k[i])
            fprintf(stderr, "keygen %s %s failed\n", keys[i].alg, keys[i].param);
        CU_ASSERT_PTR_NOT_NULL_FATAL(k[i]);
    }
    /* a CA certificate that issues some of them (AKI, issuer != subject) */
    size_t cal;
    uint8_t *ca_der = gen_one(k[0], NULL, NULL, "SHA256", 2, 0, 0, 2, 0, &cal);
    const unsigned char *q = ca_der;
    X509 *ca = d2i_X509(NULL, &q, (long)cal);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ca);
    for (size_t i = 0; i < N_KEYS; i++) {
        for (int v = 0; v < 8; v++) {
            int version = v == 7 ? 0 : 2; /* one v1 certificate per key */
            int issued = v & 1;
            size_t len;
            uint8_t *der = gen_one(k[i], issued ? k[0] : NULL, issued ? ca : NULL,
                                   issued ? "SHA256" : keys[i].md, v % 6, (int)(i + (size_t)v) % 9,
                                   (int)(i * 3 + (size_t)v) % 6, version, v, &len);
            char what[128];
            snprintf(what, sizeof what, "generated %s %s v%d", keys[i].alg, keys[i].param, v);
            CU_ASSERT_FATAL(der != NULL);
            compare(what, der, len, 1);
            OPENSSL_free(der);
            total++;
        }
    }
    X509_free(ca);
    OPENSSL_free(ca_der);
    for (size_t i = 0; i < N_KEYS; i++)
        EVP_PKEY_free(k[i]);
    ERR_clear_error();
    fprintf(stderr, "generated: %zu certificates, DER reader took %zu\n", total, n_fast - fast_before);
    CU_ASSERT_EQUAL(n_fast - fast_before, total);
    CU_ASSERT_EQUAL(n_mismatch, mm);
}

/* One-byte corruptions: whatever the reader accepts, OpenSSL reads the same
 * way (or the public path falls back to OpenSSL's answer). Returns how many
 * were tried. */
static size_t corrupt_each_byte(const char *name, uint8_t *d, size_t n)
{
    size_t tried = 0;
    for (size_t i = 0; i < n; i++) {
        static const uint8_t flips[] = {0x01, 0x80, 0xFF};
        for (size_t f = 0; f < sizeof flips; f++) {
            d[i] ^= flips[f];
            jks_cert_info o, pub;
            jks_certfacts_loc loc;
            int key_ok;
            int ok_o = ossl_view(d, n, &o, &key_ok);
            int fast = jks_certfacts_read(d, n, 0, &pub, &loc);
            char what[96];
            snprintf(what, sizeof what, "%s byte %zu ^%02x", name, i, flips[f]);
            if (fast && !ok_o) {
                fprintf(stderr, "%s: OpenSSL refuses, the reader takes it\n", what);
                n_mismatch++;
            } else if (ok_o) {
                CU_ASSERT_EQUAL(jks_cert_facts_get(d, n, &pub), JKS_OK);
                /* an EC point off the curve: OpenSSL has no key; the reader
                 * does not check points (listed in README) */
                if (!same_facts(what, &pub, &o, key_ok, 0))
                    n_mismatch++;
            }
            tried++;
            d[i] ^= flips[f];
        }
    }
    return tried;
}

static void corrupted_certificates_never_disagree(void)
{
    const char *v = getenv("JKS_VECTORS");
    char path[512];
    size_t n = 0, tried = 0, mm = n_mismatch;
    snprintf(path, sizeof path, "%s/files/cert-leaf.der", v ? v : "vectors");
    uint8_t *d = slurp(path, &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    tried += corrupt_each_byte("cert-leaf.der", d, n);
    free(d);
    /* an issued certificate with CRL distribution points and an
     * authorityKeyIdentifier naming the issuer and its serial: the shapes
     * the reader checks without OpenSSL */
    EVP_PKEY *k = gen_key("EC", "P-256");
    CU_ASSERT_PTR_NOT_NULL_FATAL(k);
    size_t cal, len;
    uint8_t *ca_der = gen_one(k, NULL, NULL, "SHA256", 2, 0, 0, 2, 0, &cal);
    const unsigned char *q = ca_der;
    X509 *ca = d2i_X509(NULL, &q, (long)cal);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ca);
    uint8_t *der = gen_one(k, k, ca, "SHA256", 1, 1, 0, 2, 1, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(der);
    {
        jks_certfacts_loc loc;
        jks_cert_info t;
        CU_ASSERT(jks_certfacts_read(der, len, 0, &t, &loc)); /* taken by the reader */
        CU_ASSERT(loc.aki_other);
    }
    tried += corrupt_each_byte("issued with CRL DP and AKI issuer", der, len);
    OPENSSL_free(der);
    X509_free(ca);
    OPENSSL_free(ca_der);
    EVP_PKEY_free(k);
    ERR_clear_error();
    fprintf(stderr, "corruptions: %zu tried\n", tried);
    CU_ASSERT(tried > 2000);
    CU_ASSERT_EQUAL(n_mismatch, mm);
}

/* ---- keys and issuer links without the decoder framework ---- */

/* OpenSSL's answer to jks_cert_issued: X509_check_issued and X509_verify. */
static int ossl_issued(const uint8_t *der, size_t len, const uint8_t *ider, size_t ilen)
{
    const unsigned char *p = der, *q = ider;
    X509 *x = d2i_X509(NULL, &p, (long)len), *y = d2i_X509(NULL, &q, (long)ilen);
    int ok = x && y && X509_check_issued(y, x) == X509_V_OK && X509_get0_pubkey(y) &&
             X509_verify(x, X509_get0_pubkey(y)) == 1;
    X509_free(x);
    X509_free(y);
    ERR_clear_error();
    return ok;
}

/* OpenSSL's key facts of a PKCS#8 PrivateKeyInfo: SHA-256 of i2d_PUBKEY, bits. */
static int ossl_key(const uint8_t *p8, size_t len, char sha[65], int *bits)
{
    const unsigned char *p = p8;
    PKCS8_PRIV_KEY_INFO *inf = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)len);
    EVP_PKEY *k = inf ? EVP_PKCS82PKEY(inf) : NULL;
    unsigned char *der = NULL;
    int n = k ? i2d_PUBKEY(k, &der) : 0;
    if (n > 0)
        jks_sha256_hex(der, (size_t)n, sha);
    *bits = k ? EVP_PKEY_get_bits(k) : 0;
    /* libjks names the curve's size for these, as Java does (255, 448) */
    if (k && (EVP_PKEY_get_base_id(k) == EVP_PKEY_ED25519 || EVP_PKEY_get_base_id(k) == EVP_PKEY_X25519))
        *bits = 255;
    if (k && (EVP_PKEY_get_base_id(k) == EVP_PKEY_ED448 || EVP_PKEY_get_base_id(k) == EVP_PKEY_X448))
        *bits = 448;
    OPENSSL_free(der);
    EVP_PKEY_free(k);
    PKCS8_PRIV_KEY_INFO_free(inf);
    ERR_clear_error();
    return n > 0;
}

static size_t n_links, n_links_issued, n_keys_fast, n_keys;

static void compare_key(const char *what, const uint8_t *p8, size_t len)
{
    jks_key_info mine, fast;
    char sha[65];
    int bits;
    if (!ossl_key(p8, len, sha, &bits))
        return;
    n_keys++;
    CU_ASSERT_EQUAL_FATAL(jks_key_info_get(p8, len, &mine), JKS_OK);
    if (strcmp(mine.spki_sha256, sha) || mine.bits != bits)
        fprintf(stderr, "%s: key facts differ from OpenSSL's\n", what);
    CU_ASSERT_STRING_EQUAL(mine.spki_sha256, sha);
    CU_ASSERT_EQUAL(mine.bits, bits);
    if (jks_certfacts_key_info(p8, len, &fast)) {
        n_keys_fast++;
        CU_ASSERT_STRING_EQUAL(fast.spki_sha256, sha);
        CU_ASSERT_STRING_EQUAL(fast.algorithm, mine.algorithm);
        CU_ASSERT_STRING_EQUAL(fast.curve, mine.curve);
    }
}

static void compare_link(const char *what, jks_bytes a, jks_bytes b)
{
    jks_cert *ha = NULL, *hb = NULL;
    if (jks_cert_decode(a.data, a.len, NULL, &ha) != JKS_OK ||
        jks_cert_decode(b.data, b.len, NULL, &hb) != JKS_OK) {
        jks_cert_free(ha);
        return;
    }
    int o = ossl_issued(a.data, a.len, b.data, b.len);
    int m = jks_cert_issued(ha, hb);
    if (m != o)
        fprintf(stderr, "%s: jks_cert_issued %d, OpenSSL %d\n", what, m, o);
    CU_ASSERT_EQUAL(m, o);
    CU_ASSERT_EQUAL(jks_cert_issued(ha, hb), o); /* cached issuer key */
    /* views of the same bytes (jks_cert_decode_view) decide alike */
    jks_cert *va = NULL, *vb = NULL;
    CU_ASSERT_EQUAL(jks_cert_decode_view(a.data, a.len, NULL, &va), JKS_OK);
    CU_ASSERT_EQUAL(jks_cert_decode_view(b.data, b.len, NULL, &vb), JKS_OK);
    CU_ASSERT_EQUAL(jks_cert_issued(va, vb), o);
    CU_ASSERT_EQUAL(jks_cert_issued(va, hb), o);
    jks_cert_free(va);
    jks_cert_free(vb);
    n_links++;
    n_links_issued += o;
    /* a flipped byte at the end of the signature never verifies */
    uint8_t *bad = malloc(a.len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(bad);
    memcpy(bad, a.data, a.len);
    bad[a.len - 1] ^= 0x01;
    jks_cert *hbad = NULL;
    if (jks_cert_decode(bad, a.len, NULL, &hbad) == JKS_OK) {
        CU_ASSERT_EQUAL(jks_cert_issued(hbad, hb), ossl_issued(bad, a.len, b.data, b.len));
        CU_ASSERT_EQUAL(jks_cert_issued(hbad, hb), 0);
    }
    jks_cert_free(hbad);
    free(bad);
    jks_cert_free(ha);
    jks_cert_free(hb);
}

static char *read_line_file(const char *path)
{
    size_t n;
    unsigned char *d = slurp(path, &n);
    if (!d)
        return NULL;
    char *s = malloc(n + 1);
    memcpy(s, d, n);
    s[n] = 0;
    free(d);
    s[strcspn(s, "\r\n")] = 0;
    return s;
}

static void vector_keys_and_issuers_match_openssl(void)
{
    const char *v = getenv("JKS_VECTORS");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/files", v ? v : "vectors");
    DIR *dh = opendir(dir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dh);
    struct dirent *de;
    n_links = n_links_issued = n_keys_fast = n_keys = 0;
    while ((de = readdir(dh))) {
        const char *dot = strrchr(de->d_name, '.');
        if (!dot || (strcmp(dot, ".jks") && strcmp(dot, ".jceks") && strcmp(dot, ".p12") &&
                     strcmp(dot, ".pem")))
            continue;
        char path[1024], pp[1024], kp[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        snprintf(pp, sizeof pp, "%s/%.*s.pass", dir, (int)(dot - de->d_name), de->d_name);
        snprintf(kp, sizeof kp, "%s/%.*s.keypass", dir, (int)(dot - de->d_name), de->d_name);
        char *pass = read_line_file(pp), *keypass = read_line_file(kp);
        const char *kps[1] = {keypass};
        jks_read_opts o = JKS_READ_OPTS_INIT;
        o.storepass = pass;
        o.keypasses = keypass ? kps : NULL;
        o.n_keypasses = keypass ? 1 : 0;
        jks_store *st = NULL;
        jks_error err;
        if (jks_store_read_file(path, &o, &st, &err) == JKS_OK) {
            /* every certificate of the store against every other */
            size_t nc = 0;
            jks_bytes certs[16];
            for (size_t i = 0; i < jks_store_count(st); i++) {
                const jks_entry *e = jks_store_entry(st, i);
                jks_bytes k = jks_entry_pkcs8(e);
                if (k.len)
                    compare_key(path, k.data, k.len);
                for (size_t c = 0; c < jks_entry_chain_len(e) && nc < 16; c++)
                    certs[nc++] = jks_entry_cert(e, c);
            }
            for (size_t i = 0; i < nc; i++)
                for (size_t j = 0; j < nc; j++)
                    compare_link(path, certs[i], certs[j]);
        }
        jks_store_free(st);
        free(pass);
        free(keypass);
    }
    closedir(dh);
    fprintf(stderr, "vectors: %zu issuer links compared (%zu issued), %zu keys (%zu read without OpenSSL's decoder)\n",
            n_links, n_links_issued, n_keys, n_keys_fast);
    CU_ASSERT(n_links_issued > 20);
    CU_ASSERT(n_keys_fast > 10);
}

/* Generated keys: PKCS#8 as OpenSSL writes it (EC with its public key) and
 * EC without it (as Java writes it), and a CA that issues, re-keyed under the
 * same name, and with a key usage that forbids signing certificates. */
static void generated_keys_and_issuers_match_openssl(void)
{
    static const char *const curves[] = {"P-256", "P-384", "P-521", "secp256k1", "brainpoolP256r1"};
    n_keys = n_keys_fast = 0;
    for (size_t i = 0; i < sizeof curves / sizeof curves[0] + 3; i++) {
        EVP_PKEY *k = i < 5 ? gen_key("EC", curves[i])
                            : gen_key(i == 5 ? "RSA" : i == 6 ? "ED25519" : "RSA", i == 7 ? "3072" : "2048");
        CU_ASSERT_PTR_NOT_NULL_FATAL(k);
        PKCS8_PRIV_KEY_INFO *inf = EVP_PKEY2PKCS8(k);
        unsigned char *der = NULL;
        int n = i2d_PKCS8_PRIV_KEY_INFO(inf, &der);
        CU_ASSERT_FATAL(n > 0);
        compare_key(curves[i < 5 ? i : 0], der, (size_t)n);
        if (i < 5) {
            /* the same key without [1] publicKey: drop it from the ECPrivateKey */
            const unsigned char *q = der;
            PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &q, n);
            const unsigned char *pk;
            int pkl;
            const X509_ALGOR *alg;
            PKCS8_pkey_get0(NULL, &pk, &pkl, &alg, p8);
            /* SEQ { INT 1, OCTET priv, [0] params?, [1] pub } -> SEQ { INT 1, OCTET priv } */
            const unsigned char *s = pk;
            long sl;
            int tag, cls;
            ASN1_get_object(&s, &sl, &tag, &cls, pkl);
            const unsigned char *body = s;
            s += 3;                          /* INTEGER 1 */
            long ol;
            const unsigned char *os = s;
            ASN1_get_object(&s, &ol, &tag, &cls, pkl - (s - pk));
            size_t keep = (size_t)(s + ol - body);
            unsigned char *nk = malloc(keep + 4);
            nk[0] = 0x30;
            nk[1] = (unsigned char)keep;
            memcpy(nk + 2, body, keep);
            (void)os;
            ASN1_OBJECT *aoid;
            int ptype;
            const void *pval;
            X509_ALGOR_get0((const ASN1_OBJECT **)&aoid, &ptype, &pval, alg);
            PKCS8_PRIV_KEY_INFO *np = PKCS8_PRIV_KEY_INFO_new();
            CU_ASSERT_FATAL(PKCS8_pkey_set0(np, OBJ_dup(aoid), 0, ptype,
                                            ptype == V_ASN1_OBJECT ? OBJ_dup(pval) : NULL, nk,
                                            (int)keep + 2) == 1);
            unsigned char *nd = NULL;
            int nn = i2d_PKCS8_PRIV_KEY_INFO(np, &nd);
            CU_ASSERT_FATAL(nn > 0);
            size_t before = n_keys_fast;
            compare_key("EC without public key", nd, (size_t)nn);
            CU_ASSERT_EQUAL(n_keys_fast, before + 1);
            OPENSSL_free(nd);
            PKCS8_PRIV_KEY_INFO_free(np);
            PKCS8_PRIV_KEY_INFO_free(p8);
        }
        OPENSSL_free(der);
        PKCS8_PRIV_KEY_INFO_free(inf);
        EVP_PKEY_free(k);
    }
    CU_ASSERT(n_keys_fast >= 11);

    /* issuer links: ca issues leaf; ca2 has ca's name and another key (the
     * re-keyed CA); ca3 forbids keyCertSign */
    EVP_PKEY *kca = gen_key("EC", "P-256"), *kca2 = gen_key("RSA", "2048"), *kl = gen_key("RSA", "2048");
    size_t l1, l2, l3, l4, l5;
    uint8_t *ca = gen_one(kca, NULL, NULL, "SHA256", 2, 0, 0, 2, 0, &l1);
    uint8_t *ca2 = gen_one(kca2, NULL, NULL, "SHA256", 2, 0, 0, 2, 0, &l2);
    uint8_t *ca3 = gen_one(kca, NULL, NULL, "SHA384", 2, 0, 0, 2, 2, &l3);
    const unsigned char *q = ca;
    X509 *xca = d2i_X509(NULL, &q, (long)l1);
    uint8_t *leaf = gen_one(kl, kca, xca, "SHA256", 1, 1, 1, 2, 1, &l4);
    uint8_t *leaf1 = gen_one(kl, kca, xca, "SHA512", 3, 2, 2, 0, 0, &l5); /* v1, no AKI */
    jks_bytes bca = {ca, l1}, bca2 = {ca2, l2}, bca3 = {ca3, l3}, bl = {leaf, l4}, bl1 = {leaf1, l5};
    n_links = n_links_issued = 0;
    compare_link("leaf by ca", bl, bca);
    compare_link("leaf by re-keyed ca", bl, bca2);
    compare_link("leaf by ca without keyCertSign", bl, bca3);
    compare_link("v1 leaf by ca", bl1, bca);
    compare_link("v1 leaf by re-keyed ca", bl1, bca2);
    compare_link("ca by itself", bca, bca);
    compare_link("ca by leaf", bca, bl);
    CU_ASSERT_EQUAL(n_links_issued, 3);
    X509_free(xca);
    OPENSSL_free(ca);
    OPENSSL_free(ca2);
    OPENSSL_free(ca3);
    OPENSSL_free(leaf);
    OPENSSL_free(leaf1);
    EVP_PKEY_free(kca);
    EVP_PKEY_free(kca2);
    EVP_PKEY_free(kl);
}

int main(void)
{
    static const test_case cases[] = {
        {"every vector certificate matches OpenSSL", every_vector_certificate_matches_openssl},
        {"every fuzz seed certificate matches OpenSSL", every_fuzz_seed_certificate_matches_openssl},
        {"generated set matches OpenSSL", generated_set_matches_openssl},
        {"corrupted certificates never disagree", corrupted_certificates_never_disagree},
        {"vector keys and issuer links match OpenSSL", vector_keys_and_issuers_match_openssl},
        {"generated keys and issuer links match OpenSSL", generated_keys_and_issuers_match_openssl},
    };
    return run_suite("certfacts", cases, sizeof cases / sizeof cases[0]);
}
