/* jkstool probe: a live mutual-TLS handshake with the keystore's key, and a
 * plain-English verdict on it (README "probe"). Loads the identity keystore
 * and the trust for the server, lets probe_tls.c shake hands, then turns the
 * record (alerts, CA names, what was sent) into a diagnosis and a fix. */
#include "cli.h"
#include "probe.h"
#include "probe_ssl.h"
#include "jks/check.h"
#include "jks/ops.h"
#include "jks/source.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* A Name as keytool prints it (jks_name_format over its DER). */
static void name_string(const X509_NAME *n, char *out, size_t cap)
{
    unsigned char *der = NULL;
    int len = i2d_X509_NAME(n, &der);
    if (len <= 0 || !jks_name_format(der, (size_t)len, out, cap)) {
        if (cap)
            out[0] = 0;
    }
    OPENSSL_free(der);
}

static const char *help =
    "usage: jkstool probe KEYSTORE --connect HOST:PORT [--storepass SPEC] [--keypass SPEC]...\n"
    "                     [--alias A] [--servername NAME] [--cafile PEM | --truststore KS\n"
    "                     [--truststore-pass SPEC] | --java-cacerts PATH] [--timeout SECONDS] [--type T] [-v] [--json]\n"
    "                     [--key-manager sunx509|pkix] [--jdk 17|21|25]\n"
    "       jkstool probe KEYSTORE --explain-choice [--ca-names PEM] [--storepass SPEC] [--json]\n"
    "Connect to a TLS server presenting a key of KEYSTORE (any format) as the client\n"
    "certificate, and explain the outcome: protocol, cipher, the server's chain and whether\n"
    "it is trusted, whether the server asked for a client certificate and which CAs it\n"
    "accepts, which key Java would send, what was sent, and the server's alert.\n"
    "  --connect HOST:PORT   server to probe ([IPv6]:PORT for IPv6 literals)\n"
    "  --servername NAME     SNI and the name the server certificate must match\n"
    "                        (default: HOST; as Java, no SNI for an IP address or a name\n"
    "                        without an inner dot, such as localhost)\n"
    "  --cafile PEM          trust these certificates for the server (PEM or DER)\n"
    "  --truststore KS       trust the certificates of this Java truststore (any format)\n"
    "  --truststore-pass SPEC  its password (pass:, env:, file:); optional for JKS\n"
    "  --java-cacerts PATH   trust a JDK's cacerts (e.g. $JAVA_HOME/lib/security/cacerts);\n"
    "                        its roots count as jdkCA for the SHA1 constraint\n"
    "                        (default trust: the keystore's own trusted entries when it has\n"
    "                        some, else the OS CA store, which is not what Java trusts)\n"
    "  --alias A             present this key entry; default: the key Java's key manager\n"
    "                        picks (one whose chain has an issuer the server lists as\n"
    "                        acceptable; none: Java sends no certificate)\n"
    "  --key-manager KM      the Java key manager modelled: sunx509 (default, the JDK's:\n"
    "                        first match in its HashMap order, no validity check) or pkix\n"
    "                        (keystore order, valid and fitting EKU preferred); a warning\n"
    "                        names both choices when more than one key qualifies\n"
    "  --jdk 17|21|25        the JDK whose TLS client defaults are modelled (default 17):\n"
    "                        its cipher suites (25: no TLS_RSA_*), its\n"
    "                        jdk.tls/jdk.certpath.disabledAlgorithms instead of OpenSSL's\n"
    "                        security level (RSA-1024 keys, SHA-1 certificates and\n"
    "                        1024-bit DH pass, as in Java)\n"
    "  --explain-choice      offline: print what both key managers return from\n"
    "                        chooseClientAlias({RSA, EC}, CA names) for KEYSTORE\n"
    "  --ca-names PEM        with --explain-choice: the subjects of these certificates are\n"
    "                        the acceptable CA names (default: none, any issuer)\n"
    "  --storepass SPEC      keystore password; --keypass SPEC key password (repeatable)\n"
    "  --timeout SECONDS     TCP connect + handshake limit (default 10)\n"
    "  --type T              force the keystore format: jks, jceks, pkcs12, pem, bks, uber, bcfks\n"
    "  -v, --verbose         also print the SHA-256 of each server certificate\n"
    "  --json                machine-readable output\n"
    "exit: 0 handshake done and our certificate accepted (or not requested); 1 the probe\n"
    "failed: certificate or trust problem (either side), handshake refused, optional client\n"
    "auth without a certificate from us, or the client-certificate checks (those of\n"
    "jkstool check for a client store) find an error in a certificate the server took; 2 usage; 3 wrong password; 4 malformed keystore;\n"
    "5 network: DNS, refused, timeout, closed before any TLS answer; or libssl not loadable\n";

/* After a TLS 1.3 handshake, how long to listen for the server's verdict. */
#define VERDICT_WAIT_MS 2000u

typedef struct {
    int rc;
    int java_rc;          /* rc before the client-certificate checks: what Java meets */
    char diag[2048];
    char fix[1024];
    jks_findings *client; /* check --for client of the presented entry (owned), or NULL */
} verdict;

static void addf(char *buf, size_t cap, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void addf(char *buf, size_t cap, const char *fmt, ...)
{
    size_t n = strlen(buf);
    if (n + 1 >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + n, cap - n, fmt, ap);
    va_end(ap);
}

/* As addf, replacing what buf held (vsnprintf: a long name truncates). */
static void setf(char *buf, size_t cap, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void setf(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
}

/* HOST:PORT or [V6]:PORT. */
static int parse_connect(const char *s, char *host, size_t hcap, char *port, size_t pcap)
{
    const char *h = s, *he, *p;
    if (*s == '[') {
        h = s + 1;
        he = strchr(h, ']');
        if (!he || he[1] != ':')
            return 0;
        p = he + 2;
    } else {
        he = strrchr(s, ':');
        if (!he || memchr(s, ':', (size_t)(he - s)))
            return 0;
        p = he + 1;
    }
    size_t hl = (size_t)(he - h);
    char *end;
    unsigned long n = strtoul(p, &end, 10);
    if (!hl || hl >= hcap || !*p || *end || n == 0 || n > 65535 || strlen(p) >= pcap)
        return 0;
    memcpy(host, h, hl);
    host[hl] = 0;
    snprintf(port, pcap, "%lu", n);
    return 1;
}

static int is_ip(const char *s)
{
    unsigned char b[16];
    return inet_pton(AF_INET, s, b) == 1 || inet_pton(AF_INET6, s, b) == 1;
}

/* Java's client sends the host it connects to as SNI only when it is a name
 * with a dot after its first character and not at its end
 * (Utilities.rawToSNIHostName): never for "localhost" or an IP address. */
static int java_sends_sni(const char *host)
{
    const char *dot = strchr(host, '.');
    size_t n = strlen(host);
    return !is_ip(host) && dot && dot != host && host[n - 1] != '.';
}

static void free_identity(probe_identity *id)
{
    EVP_PKEY_free(id->pkey);
    X509_free(id->leaf);
    sk_X509_pop_free(id->chain, X509_free);
    memset(id, 0, sizeof(*id));
}

static X509 *cert_of(const jks_entry *e, size_t i)
{
    jks_bytes c = jks_entry_cert(e, i);
    const unsigned char *p = c.data;
    return d2i_X509(NULL, &p, (long)c.len);
}

/* A decrypted key entry as OpenSSL objects; why says what is wrong on 0. */
static int load_identity(const jks_entry *e, probe_identity *id, char *why, size_t cap)
{
    jks_bytes p8 = jks_entry_pkcs8(e);
    const unsigned char *p = p8.data;
    size_t n = jks_entry_chain_len(e);
    memset(id, 0, sizeof(*id));
    id->alias = jks_entry_alias(e);
    if (n == 0) {
        snprintf(why, cap, "it has no certificate");
        return 0;
    }
    PKCS8_PRIV_KEY_INFO *pi = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)p8.len);
    id->pkey = pi ? EVP_PKCS82PKEY(pi) : NULL;
    PKCS8_PRIV_KEY_INFO_free(pi);
    id->leaf = cert_of(e, 0);
    id->chain = sk_X509_new_null();
    if (!id->pkey || !id->leaf || !id->chain) {
        snprintf(why, cap, "%s does not parse", !id->pkey ? "its private key" : "its certificate");
        goto fail;
    }
    for (size_t i = 1; i < n; i++) {
        X509 *x = cert_of(e, i);
        if (!x || !sk_X509_push(id->chain, x)) {
            X509_free(x);
            snprintf(why, cap, "chain certificate %zu does not parse", i + 1);
            goto fail;
        }
    }
    if (X509_check_private_key(id->leaf, id->pkey) != 1) {
        snprintf(why, cap, "its private key does not match its certificate");
        goto fail;
    }
    ERR_clear_error();
    return 1;
fail:
    ERR_clear_error();
    free_identity(id);
    return 0;
}

/* Trust from a loaded store as Java's TrustManagerFactory takes it: each
 * trusted certificate and each key entry's leaf Java lists. Counts what was
 * added and what Java does not list; 0 or an exit code (message printed). */
static int store_trust(const jks_store *st, const char *file, X509_STORE *xs, size_t *added_out,
                       size_t *hidden_out)
{
    size_t added = 0, hidden = 0;
    for (size_t i = 0; i < jks_store_count(st); i++) {
        const jks_entry *e = jks_store_entry(st, i);
        if (jks_entry_kind_of(e) == JKS_ENTRY_SECRET_KEY || jks_entry_chain_len(e) == 0)
            continue;
        if (!jks_entry_java_visible(e)) { /* Java's KeyStore does not list it */
            hidden++;
            continue;
        }
        X509 *x = cert_of(e, 0);
        if (!x) {
            cli_errorf(file, "entry \"%s\": certificate does not parse", jks_entry_alias(e));
            return EXIT_FORMAT;
        }
        X509_STORE_add_cert(xs, x); /* a duplicate is not an error */
        X509_free(x);
        added++;
    }
    *added_out = added;
    *hidden_out = hidden;
    return 0;
}

/* Trust for the server: every trusted certificate and every key entry's
 * leaf of FILE, as Java's TrustManagerFactory takes a truststore. */
static int load_trust(const char *file, const char *pass, jks_format force, X509_STORE *xs)
{
    jks_read_opts ro;
    jks_error err;
    jks_store *st = NULL;
    memset(&ro, 0, sizeof(ro));
    ro.storepass = pass;
    ro.force_format = force;
    ro.no_decrypt = 1;
    jks_error_clear(&err);
    jks_status s = jks_store_read_file(file, &ro, &st, &err);
    if (s != JKS_OK) {
        cli_error(file, &err);
        return (int)s;
    }
    size_t added = 0, hidden = 0;
    int rc = store_trust(st, file, xs, &added, &hidden);
    if (rc) {
        jks_store_free(st);
        return rc;
    }
    ERR_clear_error();
    int p12 = jks_store_format(st) == JKS_FORMAT_PKCS12;
    jks_store_free(st);

    if (!added && hidden) {
        cli_errorf(file, "no certificate to trust in it: its %zu certificate%s lack%s Java's "
                         "trusted-certificate attribute (as openssl pkcs12 -nokeys writes), so "
                         "Java trusts none; rewrite it with jkstool convert",
                   hidden, hidden == 1 ? "" : "s", hidden == 1 ? "s" : "");
        return EXIT_FORMAT;
    }
    if (!added && p12 && !pass) {
        cli_errorf(file, "no certificate to trust without a password: its certificates are "
                         "encrypted; give --truststore-pass (Java without "
                         "javax.net.ssl.trustStorePassword skips them too and trusts nothing)");
        return EXIT_PASSWORD;
    }
    if (!added) {
        cli_errorf(file, "no certificate to trust in it");
        return EXIT_FORMAT;
    }
    return 0;
}

static void cas_text(const probe_run *r, char *out, size_t cap)
{
    out[0] = 0;
    for (int i = 0; r->cas && i < sk_X509_NAME_num(r->cas); i++) {
        char nm[512];
        name_string(sk_X509_NAME_value(r->cas, i), nm, sizeof(nm));
        addf(out, cap, "%s%s", i ? "; " : "", nm);
    }
}

static void issuers_text(const probe_identity *ids, size_t n, char *out, size_t cap)
{
    out[0] = 0;
    for (size_t i = 0; i < n; i++) {
        char nm[512];
        name_string(X509_get_issuer_name(ids[i].leaf), nm, sizeof(nm));
        addf(out, cap, "%s\"%s\" is issued by %s", i ? "; " : "", ids[i].alias, nm);
    }
}

/* The problem with our certificate, as far as we can see it ourselves. */
static void own_cert_hints(const probe_identity *id, char *out, size_t cap)
{
    uint32_t fl = X509_get_extension_flags(id->leaf);
    if (X509_cmp_current_time(X509_get0_notAfter(id->leaf)) < 0)
        addf(out, cap, " Your certificate has expired.");
    else if (X509_cmp_current_time(X509_get0_notBefore(id->leaf)) > 0)
        addf(out, cap, " Your certificate is not valid yet.");
    if ((fl & EXFLAG_XKUSAGE) && !(X509_get_extended_key_usage(id->leaf) & XKU_SSL_CLIENT))
        addf(out, cap, " Its extendedKeyUsage does not allow clientAuth.");
    if (sk_X509_num(id->chain) == 0 && !(fl & EXFLAG_SI))
        addf(out, cap, " Your key entry holds only the leaf certificate, not the chain to its CA.");
}

/* Java's key type of an identity's key (as java_key_type in probe_tls.c). */
static const char *id_key_type(const probe_identity *id)
{
    switch (EVP_PKEY_get_base_id(id->pkey)) {
    case EVP_PKEY_RSA: case EVP_PKEY_RSA_PSS: return "RSA";
    case EVP_PKEY_EC: return "EC";
    case EVP_PKEY_ED25519: case EVP_PKEY_ED448: return "EdDSA";
    case EVP_PKEY_DSA: return "DSA";
    default: return "?";
    }
}

/* 1 when type is one of the ", " separated list. */
static int type_listed(const char *list, const char *type)
{
    size_t n = strlen(type);
    for (const char *p = list; (p = strstr(p, type)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == 0 || p[n] == ','))
            return 1;
    return 0;
}

static void no_key_verdict(const probe_run *r, const probe_identity *ids, size_t n, const char *cas,
                           const char *how, int optional, verdict *v)
{
    char iss[1024];
    issuers_text(ids, n, iss, sizeof(iss));
    if (n == 0) {
        setf(v->diag, sizeof(v->diag),
             "The server %s a client certificate, but the keystore has no usable "
             "private key entry, so Java would send no certificate; %s.",
             optional ? "asks for (without requiring)" : "requires", how);
        setf(v->fix, sizeof(v->fix),
             "Probe with the keystore that holds your client key (a PrivateKeyEntry), not a "
             "truststore.");
        return;
    }
    if (r->pick >= 0) { /* we chose a key; OpenSSL could not send it */
        setf(v->diag, sizeof(v->diag),
             "The key \"%s\" was chosen but not sent: its key type does not fit the signature "
             "algorithms the server accepts; %s.",
             ids[r->pick].alias, how);
        setf(v->fix, sizeof(v->fix),
             "Get a client certificate with a key type the server accepts (RSA or EC).");
        return;
    }
    /* a key under an accepted issuer whose type the server's signature
     * algorithms leave out: the key type is the cause, not the issuer */
    for (size_t i = 0; i < n && r->key_types[0]; i++) {
        const char *t = id_key_type(&ids[i]);
        if (probe_issuer_accepted(&ids[i], r->cas) && !type_listed(r->key_types, t)) {
            setf(v->diag, sizeof(v->diag),
                 "The key of \"%s\" is an %s key, but the server accepts only signatures "
                 "made with %s keys from clients (its signature algorithms); its issuer is "
                 "accepted. Java would send no certificate; %s.",
                 ids[i].alias, t, r->key_types, how);
            setf(v->fix, sizeof(v->fix),
                 "Get a client certificate with a key of a type the server accepts (%s), or "
                 "have the partner allow %s signatures for client certificates.",
                 r->key_types, t);
            return;
        }
    }
    if (!cas[0])
        setf(v->diag, sizeof(v->diag),
             "Your keystore has no key of a type the server accepts (%s; %s); Java would send no "
             "certificate; %s.",
             r->key_types[0] ? r->key_types : "?", iss, how);
    else
        setf(v->diag, sizeof(v->diag),
             "Your keystore has no key whose issuer the server accepts: acceptable CAs are "
             "%s; %s; Java would send no certificate; %s.",
             cas, iss, how);
    setf(v->fix, sizeof(v->fix),
         "Use a client certificate issued by one of the acceptable CAs, or make sure your key "
         "entry holds the full chain (import the CA reply with its intermediates) so its "
         "issuer matches; otherwise have the partner add your CA to their truststore (the "
         "acceptable CA list is made from it). To try a key anyway: --alias.");
}

#define TRUST_FIX                                                                                  \
    "Have the partner add your CA (%s) to their truststore; and make sure your key entry "         \
    "holds the full chain up to it."

static void alert_verdict(const probe_run *r, const probe_identity *ids, int a, verdict *v)
{
    const probe_identity *id = &ids[r->pick];
    char subj[512], iss[512], hints[512] = "", an[32];
    const char *name = probe_alert_name(a, an, sizeof(an));
    name_string(X509_get_subject_name(id->leaf), subj, sizeof(subj));
    name_string(X509_get_issuer_name(id->leaf), iss, sizeof(iss));
    own_cert_hints(id, hints, sizeof(hints));
    /* the server names our issuer as acceptable and still cannot verify the
     * chain: a CA of that name with another key (re-keyed or re-issued) */
    if ((a == 48 || a == 51) && r->cas && sk_X509_NAME_num(r->cas) > 0 &&
        probe_issuer_accepted(id, r->cas)) {
        setf(v->diag, sizeof(v->diag),
             "The server lists your issuer %s among its acceptable CAs, yet could not verify "
             "the certificate of \"%s\" (%s %d): its CA of that name has a different key. The "
             "CA was re-keyed (or re-issued) under the same name, and your certificate was "
             "signed by the other key.%s",
             iss, id->alias, name, a, hints);
        setf(v->fix, sizeof(v->fix),
             "Compare the CA certificate in your chain with the partner's (SHA-256, subject key "
             "identifier): get your certificate re-issued by the CA key the partner trusts, or "
             "have them add the other CA certificate (same name, other key) to their truststore.");
        return;
    }
    switch (a) {
    case 48: /* unknown_ca */
        setf(v->diag, sizeof(v->diag),
             "The server does not trust your issuer %s: it answered unknown_ca (48) to the "
             "certificate of \"%s\" (%s).%s",
             iss, id->alias, subj, hints);
        setf(v->fix, sizeof(v->fix), TRUST_FIX, iss);
        break;
    case 46: /* certificate_unknown: what Java servers send when PKIX fails */
    case 42: /* bad_certificate */
        setf(v->diag, sizeof(v->diag),
             "The server rejected the certificate of \"%s\" (%s, issued by %s) with %s (%d). "
             "Usual causes: the server cannot build a path from it to a CA in its truststore "
             "(Java servers answer certificate_unknown, OpenSSL ones bad_certificate or "
             "unknown_ca), an incomplete chain, an expired certificate, or no clientAuth "
             "extended key usage.%s",
             id->alias, subj, iss, name, a, hints);
        setf(v->fix, sizeof(v->fix), TRUST_FIX, iss);
        break;
    case 45:
        setf(v->diag, sizeof(v->diag),
             "The server says a certificate of your chain expired (certificate_expired 45): "
             "\"%s\" (%s).%s",
             id->alias, subj, hints);
        setf(v->fix, sizeof(v->fix),
             "Renew the certificate (and any expired CA certificate in the chain) and import "
             "the new chain into the keystore.");
        break;
    case 44:
        setf(v->diag, sizeof(v->diag),
             "The server says your certificate (%s) is revoked (certificate_revoked 44).", subj);
        setf(v->fix, sizeof(v->fix), "Get a new certificate from %s.", iss);
        break;
    case 43:
        setf(v->diag, sizeof(v->diag),
             "The server does not accept this kind of certificate (unsupported_certificate "
             "43): key type, key usage or extended key usage of %s.%s",
             subj, hints);
        setf(v->fix, sizeof(v->fix),
             "Get a client certificate with digitalSignature key usage and the clientAuth "
             "extended key usage, with a key type the server accepts.");
        break;
    case 49:
        setf(v->diag, sizeof(v->diag),
             "The server validated your certificate but refuses this identity (access_denied "
             "49): %s.",
             subj);
        setf(v->fix, sizeof(v->fix),
             "Ask the partner to authorize your certificate's subject (%s) on their side.", subj);
        break;
    case 51:
        setf(v->diag, sizeof(v->diag),
             "The server could not verify our CertificateVerify signature (decrypt_error 51) "
             "made with the key of \"%s\".",
             id->alias);
        setf(v->fix, sizeof(v->fix),
             "Check that the key entry's private key and certificate belong together, and "
             "that the server supports its signature algorithms.");
        break;
    default:
        setf(v->diag, sizeof(v->diag),
             "The server ended the handshake with %s (%d) after receiving the certificate of "
             "\"%s\" (%s, issued by %s): it most likely rejected that certificate.%s",
             name, a, id->alias, subj, iss, hints);
        setf(v->fix, sizeof(v->fix), TRUST_FIX, iss);
        break;
    }
}

static void verify_fix(long code, verdict *v)
{
    switch (code) {
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
        setf(v->fix, sizeof(v->fix),
             "Connect with a name the server certificate holds (or give it as --servername); "
             "Java's HTTPS clients check it too.");
        break;
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
        setf(v->fix, sizeof(v->fix), "The partner must renew the server certificate.");
        break;
    default:
        setf(v->fix, sizeof(v->fix),
             "Trust the server's CA: give it with --cafile/--truststore here, and import it "
             "into the Java client's truststore (keytool -importcert -trustcacerts); if it is "
             "the right CA already, the server must send its intermediate certificates.");
        break;
    }
}

/* The handshake was refused (an alert, or a close): why. */
static void refused_verdict(const probe_run *r, const probe_identity *ids, size_t n,
                            const char *cas, verdict *v)
{
    char an[32];
    char how[128];
    if (r->alert_in >= 0)
        snprintf(how, sizeof(how), "the server answered %s (%d)",
                 probe_alert_name(r->alert_in, an, sizeof(an)), r->alert_in);
    else
        snprintf(how, sizeof(how), "the server closed the connection");
    if (r->requested && !r->presented) {
        no_key_verdict(r, ids, n, cas, how, 0, v);
        return;
    }
    if (r->requested && r->presented && r->pick >= 0) {
        if (r->alert_in >= 0) {
            alert_verdict(r, ids, r->alert_in, v);
        } else {
            char subj[512];
            name_string(X509_get_subject_name(ids[r->pick].leaf), subj, sizeof(subj));
            setf(v->diag, sizeof(v->diag),
                 "The server closed the connection without an alert after receiving the "
                 "certificate of \"%s\" (%s): it most likely rejected it.",
                 ids[r->pick].alias, subj);
            setf(v->fix, sizeof(v->fix),
                 "Ask the partner what their server logged for this connection; check "
                 "that they trust your CA.");
        }
        return;
    }
    /* not about our certificate */
    switch (r->alert_in) {
    case 70:
        setf(v->diag, sizeof(v->diag),
             "The server does not accept TLS 1.2 or 1.3 as offered (protocol_version 70).");
        setf(v->fix, sizeof(v->fix), "The server must enable TLS 1.2 or TLS 1.3.");
        break;
    case 112:
        setf(v->diag, sizeof(v->diag),
             "The server does not serve the name sent as SNI (unrecognized_name 112).");
        setf(v->fix, sizeof(v->fix), "Give the server's virtual host name as --servername.");
        break;
    case 40:
        setf(v->diag, sizeof(v->diag),
             "The server refused the handshake before asking for a client certificate "
             "(handshake_failure 40): no common protocol version, cipher suite or "
             "signature algorithm, or a required SNI name is missing.%s",
             jks_jdk_profile_get(17)->n_cipher_suites != r->jdk->n_cipher_suites
                 ? " JDK 25 offers no TLS_RSA_* cipher suite (disabled since JDK 24): a server "
                   "that takes only RSA key exchange refuses it (probe with --jdk 17 to compare)."
                 : "");
        setf(v->fix, sizeof(v->fix),
             "Compare the server's TLS settings with what Java offers (ECDHE or DHE key "
             "exchange with AES-GCM is common to all JDKs); try --servername.");
        break;
    default:
        if (r->alert_in >= 0)
            setf(v->diag, sizeof(v->diag), "The handshake failed: %s (%s %d).", r->detail,
                 probe_alert_name(r->alert_in, an, sizeof(an)), r->alert_in);
        else
            setf(v->diag, sizeof(v->diag), "The handshake failed: %s.", r->detail);
        setf(v->fix, sizeof(v->fix),
             strstr(r->detail, "wrong version number") || strstr(r->detail, "packet length")
                 ? "The port does not speak TLS (plain HTTP?); check the port."
                 : "Compare the server's TLS settings with this client's.");
        break;
    }
}

/* The server's chain did not verify against trust: what Java makes of it. */
static void server_trust_verdict(const probe_run *r, const char *trust, verdict *v)
{
    long c = r->verify_code;
    if (c == X509_V_ERR_HOSTNAME_MISMATCH || c == X509_V_ERR_IP_ADDRESS_MISMATCH) {
        setf(v->diag, sizeof(v->diag),
             "Name mismatch (only HTTPS clients check names): the server's certificate is "
             "trusted but does not hold the name %s. Java HTTPS clients (HttpsURLConnection, "
             "HttpClient, any with endpoint identification \"HTTPS\") abort the handshake; a "
             "plain SSLSocket client does not check names.",
             r->verify_name ? r->verify_name : "?");
        verify_fix(c, v);
        return;
    }
    if (c == X509_V_ERR_INVALID_PURPOSE) {
        setf(v->diag, sizeof(v->diag),
             "The server's certificate may not be used by a TLS server: its extendedKeyUsage "
             "lacks serverAuth. Java's client refuses it (\"Extended key usage does not "
             "permit use for TLS server authentication\") whatever the truststore holds.");
        setf(v->fix, sizeof(v->fix),
             "The partner must install a server certificate whose extendedKeyUsage includes "
             "serverAuth (or has no extendedKeyUsage); trusting its CA does not help.");
        return;
    }
    setf(v->diag, sizeof(v->diag),
         "The server's certificate is not trusted against %s: %s (verify error %ld); a "
         "Java client with this trust would abort the handshake.",
         trust, X509_verify_cert_error_string(c), c);
    verify_fix(c, v);
}

static void diagnose(const probe_run *r, const probe_identity *ids, size_t n, const char *trust,
                     verdict *v)
{
    char cas[2048];
    cas_text(r, cas, sizeof(cas));
    v->diag[0] = v->fix[0] = 0;
    v->rc = EXIT_CHECK;

    if (r->net != PROBE_NET_OK) {
        v->rc = EXIT_IO;
        setf(v->diag, sizeof(v->diag), "%s.", r->detail);
        switch (r->net) {
        case PROBE_NET_DNS:
            setf(v->fix, sizeof(v->fix), "Check the host name and your DNS.");
            break;
        case PROBE_NET_CONNECT:
            setf(v->fix, sizeof(v->fix),
                 "Check host and port, and that the service is up and reachable from here.");
            break;
        case PROBE_NET_TIMEOUT:
            setf(v->fix, sizeof(v->fix),
                 "Check firewalls and the partner's allow-list of client IP addresses; a slow "
                 "link needs a larger --timeout.");
            break;
        default:
            setf(v->fix, sizeof(v->fix),
                 "Check that the port speaks TLS, that your address is allowed, and the SNI "
                 "name (--servername).");
            break;
        }
        return;
    }
    if (r->setup_failed) {
        setf(v->diag, sizeof(v->diag), "%s.", r->detail);
        setf(v->fix, sizeof(v->fix),
             "The key entry cannot be used by TLS as it is (for example a key too small for "
             "today's security level): get a new key and certificate.");
        return;
    }

    /* Java checks the server first: its chain against the profile's
     * disabledAlgorithms, the CertificateRequest as it parses it */
    if (r->jdk_refusal[0]) {
        setf(v->diag, sizeof(v->diag),
             "A Java %d client would abort the handshake: it refuses %s (the JDK's default "
             "java.security; OpenSSL-based clients may accept it).",
             r->jdk->version, r->jdk_refusal);
        setf(v->fix, sizeof(v->fix),
             "The partner must replace the server's certificate or key exchange parameters "
             "with ones the JDK accepts (RSA or DSA keys of 2048 bits or more, EC keys of 256 "
             "bits, SHA-256 signatures, DH groups of 2048 bits); relaxing "
             "jdk.certpath.disabledAlgorithms on the client is the last resort.");
        return;
    }
    if (r->empty_ca_ext) {
        setf(v->diag, sizeof(v->diag),
             "A Java %d client would abort the handshake: the server's TLS 1.3 "
             "CertificateRequest carries an empty certificate_authorities extension, which Java "
             "refuses (decode_error: Invalid certificate_authorities extension).",
             r->jdk->version);
        setf(v->fix, sizeof(v->fix),
             "The partner's server must either list its acceptable CAs or leave the "
             "certificate_authorities extension out.");
        return;
    }
    int refused = !r->handshake_ok || (r->alert_in >= 0 && r->alert_in_fatal) || r->closed_after;
    /* Java checks the server's chain when it arrives, before it sends its
     * own certificate: a server trust problem is what Java meets first */
    if (r->verified_known && r->verify_code != X509_V_OK) {
        server_trust_verdict(r, trust, v);
        verdict w = {0, 0, "", "", NULL};
        if (refused)
            refused_verdict(r, ids, n, cas, &w);
        else if (r->requested && !r->presented)
            no_key_verdict(r, ids, n, cas, "the server accepted the handshake anyway", 1, &w);
        if (w.diag[0])
            addf(v->diag, sizeof(v->diag), " Then, past that: %s", w.diag);
        return;
    }
    if (refused) {
        refused_verdict(r, ids, n, cas, v);
        return;
    }

    /* the handshake stood */
    if (r->requested && !r->presented) {
        no_key_verdict(r, ids, n, cas,
                       "the server made the certificate optional and finished the handshake "
                       "without one, so it treats you as anonymous (expect 401/403 answers)",
                       1, v);
        return;
    }
    v->rc = EXIT_OK;
    if (!r->requested) {
        setf(v->diag, sizeof(v->diag),
             "Handshake succeeded. The server did not request a client certificate: no "
             "mutual TLS on this endpoint (or it asks later, per path, by renegotiation).");
        setf(v->fix, sizeof(v->fix),
             "Nothing to fix; if mutual TLS is expected here, ask the "
             "partner to enable client authentication.");
        return;
    }
    char subj[512];
    name_string(X509_get_subject_name(ids[r->pick].leaf), subj, sizeof(subj));
    setf(v->diag, sizeof(v->diag),
         "Handshake succeeded; the server accepted the certificate "
         "of \"%s\" (%s)%s.",
         ids[r->pick].alias, subj,
         !strcmp(r->protocol, "TLSv1.3")
             ? r->ticket_after         ? " (it sent a session ticket after taking it)"
               : r->close_notify_after ? " (then it closed the connection, without an alert)"
                                       : " (no alert within 2 s after the TLS 1.3 handshake)"
             : "");
    if (r->java_pick != r->pick) {
        if (r->java_pick < 0)
            addf(v->diag, sizeof(v->diag),
                 " Note: Java's key manager would not send this key: its issuer is not "
                 "among the acceptable CAs (%s).",
                 cas);
        else
            addf(v->diag, sizeof(v->diag),
                 " Note: Java's key manager would send \"%s\" "
                 "instead.",
                 ids[r->java_pick].alias);
    }
    setf(v->fix, sizeof(v->fix), "Nothing to fix.");
}

/* The server took our certificate; a lenient server may take one a strict
 * one refuses: the client-certificate checks of `check --for client` on the
 * presented entry (its errors are findings, exit 1). */
static void client_checks(const cli_args *a, const jks_store *st, const char *alias, verdict *v)
{
    jks_check_opts co = JKS_CHECK_OPTS_INIT;
    co.purpose = JKS_PURPOSE_CLIENT;
    co.file_name = a->pos[0];
    if (jks_check_run(st, &co, &v->client) != JKS_OK) {
        v->client = NULL;
        return;
    }
    size_t errors = 0;
    for (size_t i = 0; i < v->client->count; i++) {
        const jks_finding *fd = &v->client->items[i];
        if (strcmp(fd->alias, alias) || fd->severity != JKS_SEV_ERROR)
            continue;
        if (!errors++) {
            addf(v->diag, sizeof(v->diag),
                 " But the client-certificate checks find what a stricter server would refuse:");
            setf(v->fix, sizeof(v->fix), "%s", fd->fix);
        }
        addf(v->diag, sizeof(v->diag), " %s (%s).", fd->message, fd->id);
    }
    if (errors)
        v->rc = EXIT_CHECK;
}

static void chain_json(FILE *f, const probe_run *r)
{
    fputc('[', f);
    for (int i = 0; r->server_chain && i < sk_X509_num(r->server_chain); i++) {
        unsigned char *der = NULL;
        int len = i2d_X509(sk_X509_value(r->server_chain, i), &der);
        jks_cert_info ci;
        char a[64], b[64];
        if (i)
            fputc(',', f);
        if (len <= 0 || jks_cert_info_get(der, (size_t)len, &ci) != JKS_OK) {
            fputs("{\"error\":\"unparseable-certificate\"}", f);
            OPENSSL_free(der);
            continue;
        }
        OPENSSL_free(der);
        iso_time(a, sizeof(a), ci.not_before);
        iso_time(b, sizeof(b), ci.not_after);
        fputs("{\"subject\":", f);
        json_str(f, ci.subject);
        fputs(",\"issuer\":", f);
        json_str(f, ci.issuer);
        fprintf(f, ",\"sha256\":\"%s\",\"not_before\":\"%s\",\"not_after\":\"%s\"}", ci.sha256, a,
                b);
    }
    fputc(']', f);
}

static void chain_text(FILE *f, const probe_run *r, int verbose)
{
    int n = r->server_chain ? sk_X509_num(r->server_chain) : 0;
    fprintf(f, "Server certificate chain (%d):\n", n);
    for (int i = 0; i < n; i++) {
        unsigned char *der = NULL;
        int len = i2d_X509(sk_X509_value(r->server_chain, i), &der);
        jks_cert_info ci;
        char a[64], b[64];
        if (len <= 0 || jks_cert_info_get(der, (size_t)len, &ci) != JKS_OK) {
            fprintf(f, "  %d: (does not parse)\n", i);
            OPENSSL_free(der);
            continue;
        }
        OPENSSL_free(der);
        iso_time(a, sizeof(a), ci.not_before);
        iso_time(b, sizeof(b), ci.not_after);
        fprintf(f, "  %d: %s\n     issuer %s, valid %s to %s\n", i, ci.subject, ci.issuer, a, b);
        if (verbose)
            fprintf(f, "     SHA-256 %s\n", ci.sha256);
    }
}

static void report(FILE *f, const cli_args *a, const probe_run *r, const probe_identity *ids,
                   const char *trust, const verdict *v)
{
    char an[32], nm[512];
    int ncas = r->cas ? sk_X509_NAME_num(r->cas) : 0;
    int verified = r->verified_known && r->verify_code == X509_V_OK;
    const char *presented = r->presented && r->pick >= 0 ? ids[r->pick].alias : NULL;
    const char *km = a->key_manager_pkix ? "pkix" : "sunx509";
    int sun = a->key_manager_pkix ? r->other_pick : r->java_pick;
    int pk = a->key_manager_pkix ? r->java_pick : r->other_pick;
    if (a->json) {
        fputs("{\"connect\":", f);
        json_str(f, a->connect);
        fprintf(f, ",\"jdk\":%d,\"jdk_disabled\":", r->jdk->version);
        r->jdk_refusal[0] ? json_str(f, r->jdk_refusal) : (void)fputs("null", f);
        fputs(",\"servername\":", f);
        r->sni ? json_str(f, r->sni) : (void)fputs("null", f);
        fputs(",\"address\":", f);
        r->peer[0] ? json_str(f, r->peer) : (void)fputs("null", f);
        fputs(",\"protocol\":", f);
        r->protocol[0] ? json_str(f, r->protocol) : (void)fputs("null", f);
        fputs(",\"cipher\":", f);
        r->cipher[0] ? json_str(f, r->cipher) : (void)fputs("null", f);
        fputs(",\"server_chain\":", f);
        chain_json(f, r);
        fprintf(f, ",\"server_verified\":%s,\"trust_source\":\"%s\",\"trust\":",
                verified ? "true" : "false", a->cafile ? "cafile" : a->truststore ? "truststore"
                                             : a->java_cacerts ? "java-cacerts"
                                             : r->trust ? "keystore" : "os");
        json_str(f, trust);
        fputs(",\"verify_error\":", f);
        if (r->verified_known && !verified)
            json_str(f, X509_verify_cert_error_string(r->verify_code));
        else
            fputs("null", f);
        fprintf(f, ",\"client_cert_requested\":%s,\"acceptable_cas\":[",
                r->requested ? "true" : "false");
        for (int i = 0; i < ncas; i++) {
            name_string(sk_X509_NAME_value(r->cas, i), nm, sizeof(nm));
            if (i)
                fputc(',', f);
            json_str(f, nm);
        }
        fputs("],\"presented_alias\":", f);
        presented ? json_str(f, presented) : (void)fputs("null", f);
        fprintf(f, ",\"presented\":%s,\"java_alias\":", r->presented ? "true" : "false");
        r->requested && r->java_pick >= 0 ? json_str(f, ids[r->java_pick].alias)
                                          : (void)fputs("null", f);
        fprintf(f, ",\"key_manager\":\"%s\",\"qualifying_keys\":%zu,\"sunx509_alias\":", km,
                r->requested ? r->qualifying : 0);
        r->requested && sun >= 0 ? json_str(f, ids[sun].alias) : (void)fputs("null", f);
        fputs(",\"pkix_alias\":", f);
        r->requested && pk >= 0 ? json_str(f, ids[pk].alias) : (void)fputs("null", f);
        fputs(",\"alert\":", f);
        if (r->alert_in >= 0)
            fprintf(f, "{\"code\":%d,\"name\":\"%s\",\"after_handshake\":%s}", r->alert_in,
                    probe_alert_name(r->alert_in, an, sizeof(an)),
                    r->alert_after_handshake ? "true" : "false");
        else
            fputs("null", f);
        fprintf(f, ",\"java_outcome\":\"%s\",\"client_findings\":[",
                v->java_rc == 0 ? "ok" : "fail");
        size_t nf = 0;
        for (size_t i = 0; v->client && presented && i < v->client->count; i++) {
            const jks_finding *fd = &v->client->items[i];
            if (strcmp(fd->alias, presented) || fd->severity == JKS_SEV_INFO)
                continue;
            fprintf(f, "%s{\"id\":", nf++ ? "," : "");
            json_str(f, fd->id);
            fprintf(f, ",\"severity\":\"%s\",\"message\":", jks_severity_name(fd->severity));
            json_str(f, fd->message);
            fputc('}', f);
        }
        fputc(']', f);
        fprintf(f, ",\"ok\":%s,\"exit\":%d,\"diagnosis\":", v->rc == 0 ? "true" : "false", v->rc);
        json_str(f, v->diag);
        fputs(",\"fix\":", f);
        json_str(f, v->fix);
        fputs("}\n", f);
        return;
    }
    fprintf(f, "Server: %s", a->connect);
    if (r->peer[0])
        fprintf(f, " (%s)", r->peer);
    fprintf(f, ", SNI %s\n", r->sni ? r->sni : "(none)");
    fprintf(f, "Java profile: JDK %d defaults (cipher suites, disabledAlgorithms; --jdk)\n",
            r->jdk->version);
    if (r->jdk_refusal[0])
        fprintf(f, "JDK %d refuses: %s\n", r->jdk->version, r->jdk_refusal);
    if (r->protocol[0])
        fprintf(f, "Protocol: %s, cipher %s\n", r->protocol, r->cipher);
    if (r->net == PROBE_NET_OK) {
        chain_text(f, r, a->verbose);
        if (r->verified_known)
            fprintf(f, "Server certificate: %s (checked against %s)\n",
                    verified ? "trusted" : X509_verify_cert_error_string(r->verify_code), trust);
        fprintf(f, "Client certificate requested: %s\n", r->requested ? "yes" : "no");
        if (r->requested) {
            fprintf(f, "Acceptable client CAs (%d)%s\n", ncas,
                    ncas ? ":" : ": none named (any issuer may be sent)");
            for (int i = 0; i < ncas; i++) {
                name_string(sk_X509_NAME_value(r->cas, i), nm, sizeof(nm));
                fprintf(f, "  %s\n", nm);
            }
            fprintf(f, "Java's key manager (%s) would send: %s%s%s\n", km, r->java_pick >= 0 ? "\"" : "",
                    r->java_pick >= 0 ? ids[r->java_pick].alias : "no certificate",
                    r->java_pick >= 0 ? "\"" : "");
            if (r->qualifying > 1)
                fprintf(f, "Warning: %zu keys qualify; Java's choice depends on the key manager: "
                           "SunX509 (the JDK default) sends %s%s%s, PKIX sends %s%s%s\n",
                        r->qualifying, sun >= 0 ? "\"" : "", sun >= 0 ? ids[sun].alias : "none",
                        sun >= 0 ? "\"" : "", pk >= 0 ? "\"" : "", pk >= 0 ? ids[pk].alias : "none",
                        pk >= 0 ? "\"" : "");
            if (presented) {
                const probe_identity *id = &ids[r->pick];
                char iss[512];
                name_string(X509_get_subject_name(id->leaf), nm, sizeof(nm));
                name_string(X509_get_issuer_name(id->leaf), iss, sizeof(iss));
                fprintf(f, "Presented: \"%s\": %s, issued by %s, chain of %d\n", id->alias, nm, iss,
                        1 + sk_X509_num(id->chain));
            } else {
                fprintf(f, "Presented: no certificate%s\n",
                        r->sent_cert_msg ? " (empty Certificate message)" : "");
            }
        }
        if (r->alert_in >= 0)
            fprintf(f, "Alert received: %s (%d)%s\n", probe_alert_name(r->alert_in, an, sizeof(an)),
                    r->alert_in, r->alert_after_handshake ? ", after the handshake" : "");
        if (r->alert_out >= 0)
            fprintf(f, "Alert sent: %s (%d)\n", probe_alert_name(r->alert_out, an, sizeof(an)),
                    r->alert_out);
    }
    fprintf(f, "Result: %s\nDiagnosis: %s\nFix: %s\n", v->rc ? "FAILED" : "OK", v->diag, v->fix);
}

/* The subjects of the certificates in file (PEM or DER) as DER Names, for
 * --ca-names. Returns 0 or an exit code (message printed). */
static int load_ca_names(const char *file, jks_bytes **out, size_t *n)
{
    jks_read_opts ro;
    jks_error err;
    jks_store *st = NULL;
    memset(&ro, 0, sizeof(ro));
    ro.force_format = JKS_FORMAT_PEM;
    ro.no_decrypt = 1;
    jks_error_clear(&err);
    *out = NULL;
    *n = 0;
    if (jks_store_read_file(file, &ro, &st, &err) != JKS_OK) {
        cli_error(file, &err);
        return (int)err.status;
    }
    size_t count = jks_store_count(st);
    *out = calloc(count ? count : 1, sizeof(**out));
    int rc = *out ? 0 : EXIT_IO;
    for (size_t i = 0; !rc && i < count; i++) {
        const jks_entry *e = jks_store_entry(st, i);
        if (jks_entry_chain_len(e) == 0)
            continue;
        X509 *x = cert_of(e, 0);
        unsigned char *der = NULL;
        int len = x ? i2d_X509_NAME(X509_get_subject_name(x), &der) : -1;
        X509_free(x);
        if (len <= 0) {
            cli_errorf(file, "entry \"%s\": certificate does not parse", jks_entry_alias(e));
            rc = EXIT_FORMAT;
            break;
        }
        (*out)[*n].data = der;
        (*out)[(*n)++].len = (size_t)len;
    }
    ERR_clear_error();
    jks_store_free(st);
    return rc;
}

static void free_ca_names(jks_bytes *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        OPENSSL_free((void *)names[i].data);
    free(names);
}

static const char *fit_name(jks_key_fit f)
{
    switch (f) {
    case JKS_KEY_FIT_OK: return "ok";
    case JKS_KEY_FIT_INSENSITIVE: return "insensitive";
    case JKS_KEY_FIT_EXPIRED: return "expired";
    default: return "extension_mismatch";
    }
}

/* --explain-choice: which key each Java key manager returns from
 * chooseClientAlias({"RSA", "EC"}, CA names of --ca-names or none), offline. */
static int explain_choice(const cli_args *a, const jks_store *st, FILE *f)
{
    jks_bytes *names = NULL;
    size_t n_names = 0;
    int rc = a->ca_names ? load_ca_names(a->ca_names, &names, &n_names) : 0;
    if (rc)
        return rc;
    jks_key_choice_opts o = JKS_KEY_CHOICE_OPTS_INIT;
    jks_key_choice ch;
    jks_error err;
    o.issuers = names;
    o.n_issuers = n_names;
    jks_error_clear(&err);
    if ((rc = (int)jks_client_key_choice(st, &o, &ch, &err)) != JKS_OK) {
        cli_error(a->ca_names, &err);
        free_ca_names(names, n_names);
        return rc;
    }
    const char *sx = ch.sunx509 != SIZE_MAX ? jks_entry_alias(jks_store_entry(st, ch.sunx509)) : NULL;
    const char *px = ch.pkix != SIZE_MAX ? jks_entry_alias(jks_store_entry(st, ch.pkix)) : NULL;
    /* as chooseClientAlias returns it: PKCS#12 lower-cases aliases, JKS keeps them */
    int low = jks_store_format(st) == JKS_FORMAT_PKCS12;
    char *sl = sx ? (low ? jks_alias_java_lower(sx) : strdup(sx)) : NULL;
    char *pl = px ? (low ? jks_alias_java_lower(px) : strdup(px)) : NULL;
    if (a->json) {
        fputs("{\"explain\":\"key-choice\",\"key_types\":[\"RSA\",\"EC\"],\"ca_names\":", f);
        fprintf(f, "%zu,\"qualifying\":%zu,\"sunx509\":", n_names, ch.qualifying);
        sl ? json_str(f, sl) : (void)fputs("null", f);
        fputs(",\"pkix\":", f);
        pl ? json_str(f, pl) : (void)fputs("null", f);
        fprintf(f, ",\"pkix_check\":");
        px ? json_str(f, fit_name(ch.pkix_fit)) : (void)fputs("null", f);
        fprintf(f, ",\"order_exact\":%s}\n", ch.order_exact ? "true" : "false");
    } else {
        fprintf(f, "qualifying keys: %zu (key types RSA, EC; %s)\n", ch.qualifying,
                n_names ? "issuers from --ca-names" : "any issuer");
        fprintf(f, "sunx509: %s%s%s\n", sl ? "\"" : "", sl ? sl : "none", sl ? "\"" : "");
        fprintf(f, "pkix: %s%s%s%s%s\n", pl ? "\"" : "", pl ? pl : "none", pl ? "\" (" : "",
                pl ? fit_name(ch.pkix_fit) : "", pl ? ")" : "");
        if (!ch.order_exact)
            fputs("note: 9 or more aliases share a HashMap bucket; Java's order there is not "
                  "modelled\n", f);
    }
    low ? jks_free(sl) : free(sl);
    low ? jks_free(pl) : free(pl);
    free_ca_names(names, n_names);
    return cli_output_failed(f) ? EXIT_IO : 0;
}

/* --json, an error before connecting: one record naming the stage and the
 * error line(s) printed on stderr. */
static void setup_error_json(FILE *f, const cli_args *a, const char *stage, int rc, const char *msg)
{
    char line[1024];
    const char *p = msg;
    if (!strncmp(p, "jkstool: ", 9))
        p += 9;
    snprintf(line, sizeof(line), "%s", p);
    line[strcspn(line, "\n")] = 0;
    fputs("{\"connect\":", f);
    json_str(f, a->connect);
    fprintf(f, ",\"jdk\":%d,\"stage\":\"%s\",\"ok\":false,\"exit\":%d,\"error\":",
            a->jdk ? a->jdk : 17, stage, rc);
    json_str(f, line);
    fputs(",\"diagnosis\":", f);
    char diag[1200];
    snprintf(diag, sizeof(diag), "Not connected: the %s could not be used: %s.",
             !strcmp(stage, "keystore") ? "keystore" : "trust for the server", line);
    json_str(f, diag);
    fputs(",\"fix\":", f);
    json_str(f, rc == EXIT_PASSWORD ? "Give the right password (--storepass, --keypass, "
                                      "--truststore-pass)."
                                    : "Check the file named in the error.");
    fputs("}\n", f);
}

int cmd_probe(int argc, char **argv)
{
    cli_args a;
    jks_store *st = NULL;
    jks_error err;
    const char *kp[CLI_MAX_MULTI];
    jks_read_opts ro;
    probe_identity *ids = NULL;
    size_t n_ids = 0;
    X509_STORE *xs = NULL;
    probe_run r;
    char host[256], port[8], trust[1100];
    FILE *ecap = NULL;
    char *ebuf = NULL;
    size_t elen = 0;
    const char *stage = NULL; /* "keystore", "truststore": loading it */
    int rc = cli_start(argc, argv,
                       OPT_STOREPASS | OPT_KEYPASS | OPT_ALIAS | OPT_TYPE | OPT_JSON | OPT_VERBOSE |
                           OPT_PROBE,
                       help, 1, 1, &a);
    memset(&r, 0, sizeof(r));
    if (rc >= 0)
        return rc;
    if (a.explain_choice && a.connect) {
        cli_errorf(NULL, "--explain-choice works offline: give it without --connect");
        cli_args_free(&a);
        return EXIT_USAGE;
    }
    if (a.ca_names && !a.explain_choice) {
        cli_errorf(NULL, "--ca-names goes with --explain-choice");
        cli_args_free(&a);
        return EXIT_USAGE;
    }
    if (a.explain_choice) {
        const char *file = a.pos[0];
        if ((rc = cli_resolve_passwords(&a, !a.json, file)) == 0) {
            cli_read_opts(&a, &ro, kp);
            ro.no_decrypt = 1;
            jks_error_clear(&err);
            if ((rc = (int)jks_store_read_file(file, &ro, &st, &err)) != JKS_OK)
                cli_error(file, &err);
            else
                rc = explain_choice(&a, st, stdout);
        }
        jks_store_free(st);
        cli_args_free(&a);
        return rc;
    }
    if (!a.connect) {
        cli_errorf(NULL, "probe needs --connect HOST:PORT");
        fputs(help, stderr);
        cli_args_free(&a);
        return EXIT_USAGE;
    }
    const char *file = a.pos[0];
    rc = EXIT_USAGE;
    if (!parse_connect(a.connect, host, sizeof(host), port, sizeof(port))) {
        cli_errorf(NULL, "bad --connect %s: want HOST:PORT or [IPV6]:PORT", a.connect);
        goto out;
    }
    if (!cli_type_ok(&a)) {
        goto out;
    }
    if (a.n_aliases > 1) {
        cli_errorf(NULL, "probe presents one key: give --alias once");
        goto out;
    }
    if (!!a.cafile + !!a.truststore + !!a.java_cacerts > 1) {
        cli_errorf(NULL, "give one of --cafile, --truststore, --java-cacerts");
        goto out;
    }
    if (a.truststore_pass_spec && !a.truststore) {
        cli_errorf(NULL, "--truststore-pass needs --truststore");
        goto out;
    }
    /* libssl is opened only here (probe_ssl.h), before any password prompt */
    char ssl_why[256];
    if (!probe_ssl_load(ssl_why, sizeof(ssl_why))) {
        cli_errorf(NULL, "%s", ssl_why);
        rc = EXIT_IO;
        goto out;
    }
    if ((rc = cli_resolve_passwords(&a, !a.json, file)))
        goto out;
    /* --json: an error before connecting is a JSON record too (stderr keeps the line) */
    if (a.json && (ecap = open_memstream(&ebuf, &elen)) != NULL)
        cli_err_out = ecap;
    stage = "keystore";

    /* the identity keystore */
    cli_read_opts(&a, &ro, kp);
    jks_error_clear(&err);
    if ((rc = (int)jks_store_read_file(file, &ro, &st, &err)) != JKS_OK) {
        cli_error(file, &err);
        goto out;
    }
    size_t count = jks_store_count(st);
    int forced = -1;
    const jks_entry *want = NULL;
    if (a.n_aliases) {
        want = jks_store_find(st, a.aliases[0]);
        if (!want || jks_entry_kind_of(want) != JKS_ENTRY_PRIVATE_KEY) {
            cli_errorf(file, want ? "entry \"%s\" is not a private key entry" : "no entry \"%s\"",
                       a.aliases[0]);
            rc = EXIT_USAGE;
            goto out;
        }
    }
    ids = calloc(count ? count : 1, sizeof(*ids));
    if (!ids) {
        rc = EXIT_IO;
        goto out;
    }
    for (size_t i = 0; i < count; i++) {
        const jks_entry *e = jks_store_entry(st, i);
        char why[128];
        if (jks_entry_kind_of(e) != JKS_ENTRY_PRIVATE_KEY)
            continue;
        if (jks_entry_key_state(e) != JKS_KEY_DECRYPTED) {
            /* Java's SunX509 key manager refuses a store whose keys do not all open */
            cli_errorf(file, "entry \"%s\": key does not open with %s", jks_entry_alias(e),
                       a.storepass_given || a.n_keypass ? "any --keypass nor the store password"
                                                        : "no password: give --storepass");
            rc = jks_entry_key_state(e) == JKS_KEY_UNSUPPORTED ? EXIT_FORMAT : EXIT_PASSWORD;
            goto out;
        }
        if (!load_identity(e, &ids[n_ids], why, sizeof(why))) {
            if (e == want) {
                cli_errorf(file, "entry \"%s\": cannot present it: %s", jks_entry_alias(e), why);
                rc = EXIT_FORMAT;
                goto out;
            }
            if (!a.json || a.verbose)
                fprintf(stderr, "jkstool: %s: entry \"%s\": skipped, %s\n", file,
                        jks_entry_alias(e), why);
            continue;
        }
        ids[n_ids].entry = i;
        if (e == want)
            forced = (int)n_ids;
        n_ids++;
    }

    /* trust for the server */
    stage = "truststore";
    int own_trusted = 0;
    for (size_t i = 0; i < count; i++) {
        const jks_entry *e = jks_store_entry(st, i);
        own_trusted += jks_entry_kind_of(e) == JKS_ENTRY_TRUSTED_CERT && jks_entry_java_visible(e);
    }
    if (a.cafile || a.truststore || a.java_cacerts || own_trusted) {
        xs = X509_STORE_new();
        if (!xs) {
            rc = EXIT_IO;
            goto out;
        }
        if (a.cafile) {
            rc = load_trust(a.cafile, NULL, JKS_FORMAT_PEM, xs);
            snprintf(trust, sizeof(trust), "--cafile %s", a.cafile);
        } else if (a.truststore) {
            rc = load_trust(a.truststore, a.truststore_pass, JKS_FORMAT_UNKNOWN, xs);
            snprintf(trust, sizeof(trust), "--truststore %s", a.truststore);
        } else if (a.java_cacerts) {
            rc = load_trust(a.java_cacerts, NULL, JKS_FORMAT_UNKNOWN, xs);
            snprintf(trust, sizeof(trust), "the Java cacerts %s", a.java_cacerts);
        } else { /* a keystore that doubles as truststore */
            size_t added = 0, hidden = 0;
            rc = store_trust(st, file, xs, &added, &hidden);
            snprintf(trust, sizeof(trust),
                     "the keystore's own %d trusted entr%s (it doubles as truststore)",
                     own_trusted, own_trusted == 1 ? "y" : "ies");
        }
        if (rc)
            goto out;
    } else {
        snprintf(trust, sizeof(trust),
                 "the OS CA store (OpenSSL's default paths, not a Java truststore: give "
                 "--truststore or --java-cacerts for what a Java client trusts)");
    }

    stage = NULL;
    signal(SIGPIPE, SIG_IGN);
    r.host = host;
    r.port = port;
    r.sni = a.servername ? a.servername : java_sends_sni(host) ? host : NULL;
    r.verify_name = a.servername ? a.servername : host;
    r.timeout_ms = (unsigned)(a.timeout ? a.timeout : 10) * 1000u;
    r.post_wait_ms = r.timeout_ms < VERDICT_WAIT_MS ? r.timeout_ms : VERDICT_WAIT_MS;
    r.trust = xs;
    r.ids = ids;
    r.n_ids = n_ids;
    r.forced = forced;
    r.st = st;
    r.key_manager_pkix = a.key_manager_pkix;
    r.jdk = jks_jdk_profile_get(a.jdk ? a.jdk : 17);
    r.jdk_ca_anchors = a.java_cacerts != NULL;
    probe_run_tls(&r);

    verdict v;
    diagnose(&r, ids, n_ids, trust, &v);
    v.java_rc = v.rc;
    v.client = NULL;
    if (v.rc == EXIT_OK && r.presented && r.pick >= 0)
        client_checks(&a, st, ids[r.pick].alias, &v);
    report(stdout, &a, &r, ids, trust, &v);
    jks_findings_free(v.client);
    rc = v.rc;
    if (cli_output_failed(stdout))
        rc = EXIT_IO;
out:
    if (ecap) {
        cli_err_out = NULL;
        fclose(ecap);
        if (ebuf)
            fputs(ebuf, stderr);
        if (stage && rc)
            setup_error_json(stdout, &a, stage, rc, ebuf ? ebuf : "");
        free(ebuf);
    }
    probe_run_free(&r);
    for (size_t i = 0; i < n_ids; i++)
        free_identity(&ids[i]);
    free(ids);
    X509_STORE_free(xs);
    jks_store_free(st);
    cli_args_free(&a);
    return rc;
}
