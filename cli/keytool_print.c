/* keytool's text for certificates (keytool -list -v, -printcert): the lines
 * of sun.security.tools.keytool.Main.printX509Cert and the toString() of the
 * sun.security.x509 extensions, with sun.security.util.HexDumpEncoder dumps.
 * Extensions keytool decodes that we do not (CRL distribution points,
 * authority info access, policies, ...) are shown as a hex dump. */
#include "cli.h"
#include "keytool.h"
#include "jks/certificate.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void kt_date(char *out, size_t cap, int64_t ms)
{
    static const char *mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t t = (time_t)ms_to_secs(ms);
    struct tm tm;
    if (!localtime_r(&t, &tm)) {
        snprintf(out, cap, "unknown");
        return;
    }
    snprintf(out, cap, "%s %d, %d", mon[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900);
}

/* java.util.Date.toString(): "Thu Nov 26 04:22:23 UTC 2026" */
void kt_java_date(char *out, size_t cap, int64_t secs)
{
    time_t t = (time_t)secs;
    struct tm tm;
    if (!localtime_r(&t, &tm) || !strftime(out, cap, "%a %b %d %H:%M:%S %Z %Y", &tm))
        snprintf(out, cap, "unknown");
}

void kt_pem(FILE *f, const char *label, const uint8_t *der, size_t len)
{
    size_t cap = 4 * ((len + 2) / 3) + 1;
    unsigned char *b64 = malloc(cap);
    if (!b64)
        return;
    int n = EVP_EncodeBlock(b64, der, (int)len);
    fprintf(f, "-----BEGIN %s-----\n", label);
    for (int i = 0; i < n; i += 64) {
        if (i)
            fputs("\r\n", f);
        fwrite(b64 + i, 1, (size_t)(n - i < 64 ? n - i : 64), f);
    }
    fprintf(f, "\n-----END %s-----\n", label);
    free(b64);
}

void kt_colon_hex(FILE *f, const char *hex)
{
    for (size_t i = 0; hex[i] && hex[i + 1]; i += 2) {
        if (i)
            fputc(':', f);
        fputc(hex[i] >= 'a' ? hex[i] - 32 : hex[i], f);
        fputc(hex[i + 1] >= 'a' ? hex[i + 1] - 32 : hex[i + 1], f);
    }
}

/* sun.security.util.HexDumpEncoder.encodeBuffer */
void kt_hexdump(FILE *f, const unsigned char *p, size_t len)
{
    for (size_t off = 0; off < len; off += 16) {
        size_t n = len - off < 16 ? len - off : 16;
        fprintf(f, "%04X: ", (unsigned)(off & 0xFFFF));
        for (size_t i = 0; i < 16; i++) {
            if (i < n)
                fprintf(f, "%02X ", p[off + i]);
            else
                fputs("   ", f);
            if (i == 7)
                fputs("  ", f);
        }
        fputc(' ', f);
        for (size_t i = 0; i < n; i++) {
            unsigned char c = p[off + i];
            fputc(c < ' ' || c > 'z' ? '.' : c, f);
        }
        fputc('\n', f);
    }
}

const char *kt_java_sigalg(int nid)
{
    switch (nid) {
    case NID_md5WithRSAEncryption: return "MD5withRSA";
    case NID_sha1WithRSAEncryption: return "SHA1withRSA";
    case NID_sha224WithRSAEncryption: return "SHA224withRSA";
    case NID_sha256WithRSAEncryption: return "SHA256withRSA";
    case NID_sha384WithRSAEncryption: return "SHA384withRSA";
    case NID_sha512WithRSAEncryption: return "SHA512withRSA";
    case NID_ecdsa_with_SHA1: return "SHA1withECDSA";
    case NID_ecdsa_with_SHA224: return "SHA224withECDSA";
    case NID_ecdsa_with_SHA256: return "SHA256withECDSA";
    case NID_ecdsa_with_SHA384: return "SHA384withECDSA";
    case NID_ecdsa_with_SHA512: return "SHA512withECDSA";
    case NID_dsaWithSHA1: return "SHA1withDSA";
    case NID_dsa_with_SHA224: return "SHA224withDSA";
    case NID_dsa_with_SHA256: return "SHA256withDSA";
    case NID_ED25519: return "Ed25519";
    case NID_ED448: return "Ed448";
    case NID_rsassaPss: return "RSASSA-PSS";
    default: return NULL;
    }
}

/* keytool's name of the public key: "2048-bit RSA key", "256-bit EC
 * (secp256r1) key"; the caller's buffer. */
static void key_text(X509 *x, char *out, size_t cap)
{
    EVP_PKEY *k = X509_get0_pubkey(x);
    ERR_clear_error();
    kt_key_text(k, X509_get_X509_PUBKEY(x), out, cap);
}

void kt_key_text(EVP_PKEY *k, X509_PUBKEY *pub, char *out, size_t cap)
{
    if (!k) {
        /* a key type OpenSSL does not know (ML-DSA before OpenSSL 3.5):
         * keytool 17 names it by its OID, "of unknown size" */
        ASN1_OBJECT *o = NULL;
        char t[128];
        if (pub && X509_PUBKEY_get0_param(&o, NULL, NULL, NULL, pub) && o &&
            OBJ_obj2txt(t, sizeof t, o, 1) > 0)
            snprintf(out, cap, "%s key of unknown size", t);
        else
            snprintf(out, cap, "unknown key");
        return;
    }
    int id = EVP_PKEY_get_base_id(k), bits = EVP_PKEY_get_bits(k);
    if (id == EVP_PKEY_RSA)
        snprintf(out, cap, "%d-bit RSA key", bits);
    else if (id == EVP_PKEY_RSA_PSS)
        snprintf(out, cap, "%d-bit RSASSA-PSS key", bits);
    else if (id == EVP_PKEY_DSA)
        snprintf(out, cap, "%d-bit DSA key", bits);
    else if (id == EVP_PKEY_ED25519)
        snprintf(out, cap, "255-bit Ed25519 key");
    else if (id == EVP_PKEY_ED448)
        snprintf(out, cap, "448-bit Ed448 key");
    else if (id == EVP_PKEY_EC) {
        char g[64] = "";
        size_t gl = 0;
        EVP_PKEY_get_utf8_string_param(k, "group", g, sizeof(g), &gl);
        if (!strcmp(g, "prime256v1") || !strcmp(g, "P-256"))
            snprintf(g, sizeof(g), "secp256r1");
        else if (!strcmp(g, "prime192v1") || !strcmp(g, "P-192"))
            snprintf(g, sizeof(g), "secp192r1");
        snprintf(out, cap, "%d-bit EC (%s) key", bits, g);
    } else
        snprintf(out, cap, "%d-bit %s key", bits, OBJ_nid2sn(id));
}

/* keytool's marker after an algorithm or key JDK 17 calls legacy or disables. */
static const char *strength_mark(jks_strength s)
{
    return s == JKS_STRENGTH_DISABLED ? " (disabled)" : s == JKS_STRENGTH_WEAK ? " (weak)" : "";
}

/* The name keytool's CertificateExtensions map sorts by. */
static const char *ext_name(int nid)
{
    switch (nid) {
    case NID_subject_key_identifier: return "SubjectKeyIdentifier";
    case NID_key_usage: return "KeyUsage";
    case NID_private_key_usage_period: return "PrivateKeyUsage";
    case NID_subject_alt_name: return "SubjectAlternativeName";
    case NID_issuer_alt_name: return "IssuerAlternativeName";
    case NID_basic_constraints: return "BasicConstraints";
    case NID_name_constraints: return "NameConstraints";
    case NID_policy_mappings: return "PolicyMappings";
    case NID_authority_key_identifier: return "AuthorityKeyIdentifier";
    case NID_policy_constraints: return "PolicyConstraints";
    case NID_netscape_cert_type: return "NetscapeCertType";
    case NID_certificate_policies: return "CertificatePolicies";
    case NID_ext_key_usage: return "ExtendedKeyUsage";
    case NID_inhibit_any_policy: return "InhibitAnyPolicy";
    case NID_crl_distribution_points: return "CRLDistributionPoints";
    case NID_sinfo_access: return "SubjectInfoAccess";
    case NID_info_access: return "AuthorityInfoAccess";
    case NID_freshest_crl: return "FreshestCRL";
    case NID_id_pkix_OCSP_noCheck: return "OCSPNoCheck";
    default: return NULL;
    }
}

#define KT_DN_CAP sizeof(((jks_cert_info *)0)->subject)

/* sun.security.x509.GeneralName.toString(); 0, -1 for a kind keytool
 * shows otherwise (the caller then falls back to a hex dump). */
static int gn_string(const GENERAL_NAME *g, char *out, size_t cap)
{
    char buf[256];
    switch (g->type) {
    case GEN_DNS:
        snprintf(out, cap, "DNSName: %.*s", g->d.dNSName->length, (char *)g->d.dNSName->data);
        return 0;
    case GEN_EMAIL:
        snprintf(out, cap, "RFC822Name: %.*s", g->d.rfc822Name->length,
                 (char *)g->d.rfc822Name->data);
        return 0;
    case GEN_URI:
        snprintf(out, cap, "URIName: %.*s", g->d.uniformResourceIdentifier->length,
                 (char *)g->d.uniformResourceIdentifier->data);
        return 0;
    case GEN_IPADD: {
        const unsigned char *a = g->d.iPAddress->data;
        size_t o = (size_t)snprintf(out, cap, "IPAddress: ");
        if (g->d.iPAddress->length == 4) {
            snprintf(out + o, cap - o, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
        } else if (g->d.iPAddress->length == 16) {
            for (int k = 0; k < 8 && o < cap; k++)
                o += (size_t)snprintf(out + o, cap - o, "%s%x", k ? ":" : "",
                                      (unsigned)(a[2 * k] << 8 | a[2 * k + 1]));
        } else {
            snprintf(out + o, cap - o, "?");
        }
        return 0;
    }
    case GEN_RID:
        OBJ_obj2txt(buf, sizeof(buf), g->d.registeredID, 1);
        snprintf(out, cap, "OID: %s", buf);
        return 0;
    case GEN_DIRNAME: {
        unsigned char *der = NULL;
        int n = i2d_X509_NAME(g->d.directoryName, &der);
        char dn[KT_DN_CAP];
        int rc = n > 0 ? jks_name_der_string(der, (size_t)n, dn, sizeof(dn)) : -1;
        OPENSSL_free(der);
        if (rc != 0)
            return -1;
        snprintf(out, cap, "%s", dn);
        return 0;
    }
    default:
        return -1;
    }
}

/* GeneralNames.toString(): "[a, b]"; -1 when a name cannot be shown. */
static int gns_string(const GENERAL_NAMES *gns, char *out, size_t cap)
{
    size_t o = (size_t)snprintf(out, cap, "[");
    for (int i = 0; i < sk_GENERAL_NAME_num(gns) && o < cap; i++) {
        char one[KT_DN_CAP + 32];
        if (gn_string(sk_GENERAL_NAME_value(gns, i), one, sizeof(one)) != 0)
            return -1;
        o += (size_t)snprintf(out + o, cap - o, "%s%s", i ? ", " : "", one);
    }
    if (o + 2 > cap)
        return -1;
    snprintf(out + o, cap - o, "]");
    return 0;
}

static int print_general_names(FILE *f, GENERAL_NAMES *gns)
{
    for (int i = 0; i < sk_GENERAL_NAME_num(gns); i++) {
        char one[KT_DN_CAP + 32];
        if (gn_string(sk_GENERAL_NAME_value(gns, i), one, sizeof(one)) != 0)
            fputs("  (other name)\n", f);
        else
            fprintf(f, "  %s\n", one);
    }
    return 0;
}

/* CRLDistributionPointsExtension.toString() for distribution points that
 * carry only a full name (what keytool's own text covers here). */
static int print_crldp(FILE *f, CRL_DIST_POINTS *dps)
{
    for (int i = 0; i < sk_DIST_POINT_num(dps); i++) {
        DIST_POINT *dp = sk_DIST_POINT_value(dps, i);
        if (dp->reasons || dp->CRLissuer || !dp->distpoint || dp->distpoint->type != 0)
            return -1;
    }
    fputs("CRLDistributionPoints [\n  [", f);
    for (int i = 0; i < sk_DIST_POINT_num(dps); i++) {
        char names[4096];
        if (gns_string(sk_DIST_POINT_value(dps, i)->distpoint->name.fullname, names,
                       sizeof(names)) != 0)
            names[0] = 0;
        fprintf(f, "%sDistributionPoint:\n     %s\n", i ? ", " : "", names);
    }
    fputs("]]\n", f);
    return 0;
}

/* CertificatePoliciesExtension.toString(): each PolicyInformation with its
 * qualifiers as DER hex dumps. */
static int print_policies(FILE *f, CERTIFICATEPOLICIES *pol)
{
    fputs("CertificatePolicies [\n", f);
    for (int i = 0; i < sk_POLICYINFO_num(pol); i++) {
        POLICYINFO *pi = sk_POLICYINFO_value(pol, i);
        char oid[128];
        OBJ_obj2txt(oid, sizeof(oid), pi->policyid, 1);
        fprintf(f, "  [CertificatePolicyId: [%s]\n[", oid);
        for (int k = 0; k < sk_POLICYQUALINFO_num(pi->qualifiers); k++) {
            POLICYQUALINFO *q = sk_POLICYQUALINFO_value(pi->qualifiers, k);
            unsigned char *der = NULL;
            int n;
            switch (OBJ_obj2nid(q->pqualid)) {
            case NID_id_qt_cps: n = i2d_ASN1_IA5STRING(q->d.cpsuri, &der); break;
            case NID_id_qt_unotice: n = i2d_USERNOTICE(q->d.usernotice, &der); break;
            default: n = i2d_ASN1_TYPE(q->d.other, &der);
            }
            OBJ_obj2txt(oid, sizeof(oid), q->pqualid, 1);
            fprintf(f, "%sPolicyQualifierInfo: [\n  qualifierID: %s\n  qualifier: ",
                    k ? ", " : "", oid);
            if (n > 0)
                kt_hexdump(f, der, (size_t)n);
            OPENSSL_free(der);
            fputs("\n]", f);
        }
        fputs("]  ]\n", f);
    }
    fputs("]\n", f);
    return 0;
}

/* IssuingDistributionPointExtension.toString() (a CRL's): a full name only. */
static int print_idp(FILE *f, ISSUING_DIST_POINT *idp)
{
    static const char *reasons[] = {"Unused", "Key Compromise", "CA Compromise",
                                    "Affiliation_Changed", "Superseded", "Cessation Of Operation",
                                    "Certificate Hold", "Privilege Withdrawn", "AA Compromise"};
    char names[4096];
    if (idp->distpoint && (idp->distpoint->type != 0 ||
                           gns_string(idp->distpoint->name.fullname, names, sizeof(names)) != 0))
        return -1;
    fputs("IssuingDistributionPoint [\n  ", f);
    if (idp->distpoint)
        fprintf(f, "DistributionPointName:\n     %s\n", names);
    if (idp->onlysomereasons) {
        fputs("Reason Flags [\n", f);
        for (int i = 0; i < 9; i++)
            if (ASN1_BIT_STRING_get_bit(idp->onlysomereasons, i))
                fprintf(f, "  %s\n", reasons[i]);
        fputs("]\n", f);
    }
    fprintf(f, "  Only contains user certs: %s\n  Only contains CA certs: %s\n"
               "  Only contains attribute certs: %s\n  Indirect CRL: %s\n]\n",
            idp->onlyuser > 0 ? "true" : "false", idp->onlyCA > 0 ? "true" : "false",
            idp->onlyattr > 0 ? "true" : "false", idp->indirectCRL > 0 ? "true" : "false");
    return 0;
}

static void print_keyid(FILE *f, const ASN1_OCTET_STRING *id)
{
    fputs("KeyIdentifier [\n", f);
    kt_hexdump(f, id->data, (size_t)id->length);
    fputs("]\n", f);
}

/* AuthorityInfoAccessExtension / SubjectInfoAccessExtension.toString(). */
static int print_info_access(FILE *f, AUTHORITY_INFO_ACCESS *ia, const char *title)
{
    fprintf(f, "%s [\n  [", title);
    for (int i = 0; i < sk_ACCESS_DESCRIPTION_num(ia); i++) {
        ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(ia, i);
        char m[128], loc[KT_DN_CAP + 32];
        switch (OBJ_obj2nid(ad->method)) {
        case NID_ad_OCSP: snprintf(m, sizeof(m), "ocsp"); break;
        case NID_ad_ca_issuers: snprintf(m, sizeof(m), "caIssuers"); break;
        case NID_ad_timeStamping: snprintf(m, sizeof(m), "timeStamping"); break;
        case NID_caRepository: snprintf(m, sizeof(m), "caRepository"); break;
        default: OBJ_obj2txt(m, sizeof(m), ad->method, 1);
        }
        if (gn_string(ad->location, loc, sizeof(loc)) != 0)
            loc[0] = 0;
        fprintf(f, "%s\n   accessMethod: %s\n   accessLocation: %s\n", i ? ", " : "", m, loc);
    }
    fputs("]\n]\n", f);
    return 0;
}

static void print_gtime(FILE *f, const ASN1_GENERALIZEDTIME *t)
{
    struct tm tm;
    char d[80];
    if (!ASN1_TIME_to_tm(t, &tm)) {
        fputs("?", f);
        return;
    }
    kt_java_date(d, sizeof(d), (int64_t)timegm(&tm));
    fputs(d, f);
}

/* The body after "ObjectId: ... Criticality=...\n". Returns 0 when printed
 * in keytool's own form, -1 to fall back to a hex dump. */
int kt_print_ext_body(FILE *f, X509_EXTENSION *ext, int nid)
{
    void *d;
    int rc = 0;
    switch (nid) {
    case NID_subject_key_identifier: case NID_authority_key_identifier:
    case NID_basic_constraints: case NID_key_usage: case NID_ext_key_usage:
    case NID_subject_alt_name: case NID_issuer_alt_name:
    case NID_crl_distribution_points: case NID_certificate_policies:
    case NID_info_access: case NID_sinfo_access: case NID_netscape_cert_type:
    case NID_private_key_usage_period: case NID_issuing_distribution_point:
        break;
    default:
        return -1;
    }
    if (!(d = X509V3_EXT_d2i(ext)))
        return -1;
    switch (nid) {
    case NID_subject_key_identifier:
        fputs("SubjectKeyIdentifier [\n", f);
        print_keyid(f, d);
        fputs("]\n", f);
        ASN1_OCTET_STRING_free(d);
        break;
    case NID_authority_key_identifier: {
        AUTHORITY_KEYID *a = d;
        fputs("AuthorityKeyIdentifier [\n", f);
        if (a->keyid)
            print_keyid(f, a->keyid);
        if (a->issuer) {
            char names[4096];
            if (gns_string(a->issuer, names, sizeof(names)) == 0)
                fprintf(f, "%s\n", names);
        }
        if (a->serial) {
            /* BigInteger.toByteArray(), as Debug.toString shows it */
            unsigned char *der = NULL;
            int n = i2d_ASN1_INTEGER(a->serial, &der);
            fputs("SerialNumber: ", f);
            if (n > 2) {
                int h = der[1] & 0x80 ? 2 + (der[1] & 0x7f) : 2;
                for (int i = h; i < n; i++)
                    fprintf(f, "%s%02x", i > h ? ":" : "", der[i]);
            }
            fputc('\n', f);
            OPENSSL_free(der);
        }
        fputs("]\n", f);
        AUTHORITY_KEYID_free(a);
        break;
    }
    case NID_basic_constraints: {
        BASIC_CONSTRAINTS *bc = d;
        fprintf(f, "BasicConstraints:[\n  CA:%s\n  PathLen:", bc->ca ? "true" : "false");
        if (!bc->ca)
            fputs(" undefined", f);
        else if (!bc->pathlen)
            fputs(" no limit", f);
        else
            fprintf(f, "%ld", ASN1_INTEGER_get(bc->pathlen));
        fputs("\n]\n", f);
        BASIC_CONSTRAINTS_free(bc);
        break;
    }
    case NID_key_usage: {
        static const char *names[] = {"DigitalSignature", "Non_repudiation", "Key_Encipherment",
                                      "Data_Encipherment", "Key_Agreement", "Key_CertSign",
                                      "Crl_Sign", "Encipher_Only", "Decipher_Only"};
        ASN1_BIT_STRING *ku = d;
        fputs("KeyUsage [\n", f);
        for (int i = 0; i < 9; i++)
            if (ASN1_BIT_STRING_get_bit(ku, i))
                fprintf(f, "  %s\n", names[i]);
        fputs("]\n", f);
        ASN1_BIT_STRING_free(ku);
        break;
    }
    case NID_ext_key_usage: {
        EXTENDED_KEY_USAGE *eku = d;
        fputs("ExtendedKeyUsages [\n", f);
        for (int i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
            const char *nm;
            char buf[128];
            switch (OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i))) {
            case NID_server_auth: nm = "serverAuth"; break;
            case NID_client_auth: nm = "clientAuth"; break;
            case NID_code_sign: nm = "codeSigning"; break;
            case NID_email_protect: nm = "emailProtection"; break;
            case NID_ipsecEndSystem: nm = "ipsecEndSystem"; break;
            case NID_ipsecTunnel: nm = "ipsecTunnel"; break;
            case NID_ipsecUser: nm = "ipsecUser"; break;
            case NID_time_stamp: nm = "timeStamping"; break;
            case NID_OCSP_sign: nm = "OCSPSigning"; break;
            case NID_anyExtendedKeyUsage: nm = "anyExtendedKeyUsage"; break;
            default:
                OBJ_obj2txt(buf, sizeof(buf), sk_ASN1_OBJECT_value(eku, i), 1);
                nm = buf;
            }
            fprintf(f, "  %s\n", nm);
        }
        fputs("]\n", f);
        sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
        break;
    }
    case NID_subject_alt_name:
    case NID_issuer_alt_name:
        fprintf(f, "%s [\n", nid == NID_subject_alt_name ? "SubjectAlternativeName"
                                                         : "IssuerAlternativeName");
        print_general_names(f, d);
        fputs("]\n", f);
        GENERAL_NAMES_free(d);
        break;
    case NID_crl_distribution_points:
        rc = print_crldp(f, d);
        CRL_DIST_POINTS_free(d);
        break;
    case NID_info_access: case NID_sinfo_access:
        rc = print_info_access(f, d, nid == NID_info_access ? "AuthorityInfoAccess"
                                                            : "SubjectInfoAccess");
        AUTHORITY_INFO_ACCESS_free(d);
        break;
    case NID_netscape_cert_type: {
        static const char *names[] = {"   SSL client\n", "   SSL server\n", "   S/MIME\n",
                                      "   Object Signing\n", "", "   SSL CA\n",
                                      "   S/MIME CA\n", "   Object Signing CA"};
        fputs("NetscapeCertType [\n", f);
        for (int i = 0; i < 8; i++)
            if (ASN1_BIT_STRING_get_bit(d, i))
                fputs(names[i], f);
        fputs("]\n", f);
        ASN1_BIT_STRING_free(d);
        break;
    }
    case NID_private_key_usage_period: {
        PKEY_USAGE_PERIOD *pu = d;
        fputs("PrivateKeyUsage: [\n", f);
        if (pu->notBefore) {
            fputs("From: ", f);
            print_gtime(f, pu->notBefore);
        }
        if (pu->notAfter) {
            fputs(pu->notBefore ? ", To: " : "To: ", f);
            print_gtime(f, pu->notAfter);
        }
        fputs("]\n", f);
        PKEY_USAGE_PERIOD_free(pu);
        break;
    }
    case NID_issuing_distribution_point:
        rc = print_idp(f, d);
        ISSUING_DIST_POINT_free(d);
        break;
    case NID_certificate_policies:
        rc = print_policies(f, d);
        CERTIFICATEPOLICIES_free(d);
        break;
    default:
        rc = -1;
    }
    return rc;
}

int kt_ext_slot_cmp(const void *a, const void *b)
{
    const kt_ext_slot *x = a, *y = b;
    return strcmp(x->name ? x->name : x->oid, y->name ? y->name : y->oid);
}

void kt_print_exts(FILE *f, const STACK_OF(X509_EXTENSION) *exts, const char *title)
{
    int n = sk_X509_EXTENSION_num(exts);
    if (n <= 0)
        return;
    kt_ext_slot *s = calloc((size_t)n, sizeof(*s));
    if (!s)
        return;
    for (int i = 0; i < n; i++) {
        s[i].ext = sk_X509_EXTENSION_value(exts, i);
        ASN1_OBJECT *o = X509_EXTENSION_get_object(s[i].ext);
        OBJ_obj2txt(s[i].oid, sizeof(s[i].oid), o, 1);
        s[i].name = ext_name(OBJ_obj2nid(o));
    }
    qsort(s, (size_t)n, sizeof(*s), kt_ext_slot_cmp);
    fputs(title, f);
    for (int i = 0; i < n; i++) {
        ASN1_OBJECT *o = X509_EXTENSION_get_object(s[i].ext);
        int nid = OBJ_obj2nid(o);
        fprintf(f, "#%d: ObjectId: %s Criticality=%s\n", i + 1, s[i].oid,
                X509_EXTENSION_get_critical(s[i].ext) ? "true" : "false");
        if (!s[i].name || kt_print_ext_body(f, s[i].ext, nid) != 0) {
            ASN1_OCTET_STRING *v = X509_EXTENSION_get_data(s[i].ext);
            if (v->length == 0) {
                fputs("Empty value\n", f);
            } else {
                kt_hexdump(f, v->data, (size_t)v->length);
                fputc('\n', f);
            }
        }
        fputc('\n', f);
    }
    free(s);
}

/* The subject or issuer as keytool prints it. */
void kt_java_name(const X509_NAME *n, char *out, size_t cap)
{
    unsigned char *der = NULL;
    int l = i2d_X509_NAME(n, &der);
    if (l <= 0 || jks_name_der_string(der, (size_t)l, out, cap) != 0)
        out[0] = 0;
    OPENSSL_free(der);
}

int kt_cert_names(const uint8_t *der, size_t len, char *sig, size_t sigcap, char *key,
                  size_t keycap)
{
    const unsigned char *p = der;
    X509 *x = d2i_X509(NULL, &p, (long)len);
    if (!x)
        return -1;
    const char *sa = kt_java_sigalg(X509_get_signature_nid(x));
    if (sa)
        snprintf(sig, sigcap, "%s", sa);
    else
        OBJ_obj2txt(sig, (int)sigcap, X509_get0_tbs_sigalg(x)->algorithm, 0);
    key_text(x, key, keycap);
    X509_free(x);
    return 0;
}

int kt_print_cert(FILE *f, const uint8_t *der, size_t len)
{
    return kt_print_cert_trusted(f, der, len, 0);
}

int kt_print_cert_trusted(FILE *f, const uint8_t *der, size_t len, int trusted)
{
    jks_cert_info ci;
    const unsigned char *p = der;
    X509 *x = d2i_X509(NULL, &p, (long)len);
    if (!x || jks_cert_info_get(der, len, &ci) != JKS_OK) {
        X509_free(x);
        return -1;
    }
    kt_java_name(X509_get_subject_name(x), ci.subject, sizeof(ci.subject));
    kt_java_name(X509_get_issuer_name(x), ci.issuer, sizeof(ci.issuer));
    char a[80], b[80];
    kt_java_date(a, sizeof(a), ci.not_before);
    kt_java_date(b, sizeof(b), ci.not_after);
    const char *serial = ci.serial;
    while (serial[0] == '0' && serial[1])
        serial++;
    fprintf(f, "Owner: %s\nIssuer: %s\nSerial number: %s\nValid from: %s until: %s\n",
            ci.subject, ci.issuer, serial, a, b);
    fputs("Certificate fingerprints:\n\t SHA1: ", f);
    kt_colon_hex(f, ci.sha1);
    fputs("\n\t SHA256: ", f);
    kt_colon_hex(f, ci.sha256);
    const char *sa = kt_java_sigalg(X509_get_signature_nid(x));
    char dotted[128];
    if (!sa && X509_get_signature_nid(x) == NID_undef) {
        /* an algorithm JDK 17 has no name for (ML-DSA from JDK 24 and later):
         * keytool 17 prints its OID */
        const X509_ALGOR *alg = NULL;
        const ASN1_OBJECT *o = NULL;
        X509_get0_signature(NULL, &alg, x);
        if (alg)
            X509_ALGOR_get0(&o, NULL, NULL, alg);
        if (o && OBJ_obj2txt(dotted, sizeof dotted, o, 1) > 0)
            sa = dotted;
    }
    jks_strength ss, ks;
    jks_cert_strength(der, len, JKS_JDK_17, &ss, &ks);
    fprintf(f, "\nSignature algorithm name: %s%s\n", sa ? sa : ci.sig_algorithm,
            strength_mark(trusted ? JKS_STRENGTH_OK : ss));
    char kt[128];
    key_text(x, kt, sizeof(kt));
    fprintf(f, "Subject Public Key Algorithm: %s%s\n", kt, strength_mark(ks));
    fprintf(f, "Version: %ld\n", X509_get_version(x) + 1);
    kt_print_exts(f, X509_get0_extensions(x), "\nExtensions: \n\n");
    X509_free(x);
    return 0;
}
