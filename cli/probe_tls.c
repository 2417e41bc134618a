/* jkstool probe, the TLS side: TCP connect with a deadline (non-blocking
 * connect + poll), one OpenSSL client handshake (TLS 1.2/1.3) that picks the
 * client key the way Java's SunX509 key manager does once the server's
 * CertificateRequest is seen (RFC 8446 4.3.2, RFC 5246 7.4.4), and a record
 * of what crossed the wire: alerts both ways, whether a certificate was sent. */
#include "probe.h"
#include "probe_ssl.h"
#include "jks/ops.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <openssl/err.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* libssl is not linked: its functions, and those OpenSSL's macros expand to,
 * go through the table probe_ssl_load() filled (cmd_probe loads it first). A
 * name missing here or in PROBE_SSL_FUNCS fails the build. */
#define TLS_client_method (probe_ssl()->TLS_client_method)
#define SSL_CTX_new (probe_ssl()->SSL_CTX_new)
#define SSL_CTX_free (probe_ssl()->SSL_CTX_free)
#define SSL_CTX_ctrl (probe_ssl()->SSL_CTX_ctrl)
#define SSL_CTX_set1_cert_store (probe_ssl()->SSL_CTX_set1_cert_store)
#define SSL_CTX_set_default_verify_paths (probe_ssl()->SSL_CTX_set_default_verify_paths)
#define SSL_CTX_set_verify (probe_ssl()->SSL_CTX_set_verify)
#define SSL_new (probe_ssl()->SSL_new)
#define SSL_free (probe_ssl()->SSL_free)
#define SSL_ctrl (probe_ssl()->SSL_ctrl)
#define SSL_set_cert_cb (probe_ssl()->SSL_set_cert_cb)
#define SSL_set_msg_callback (probe_ssl()->SSL_set_msg_callback)
#define SSL_get0_param (probe_ssl()->SSL_get0_param)
#define SSL_set1_host (probe_ssl()->SSL_set1_host)
#define SSL_set_fd (probe_ssl()->SSL_set_fd)
#define SSL_connect (probe_ssl()->SSL_connect)
#define SSL_read (probe_ssl()->SSL_read)
#define SSL_shutdown (probe_ssl()->SSL_shutdown)
#define SSL_get_error (probe_ssl()->SSL_get_error)
#define SSL_version (probe_ssl()->SSL_version)
#define SSL_get_version (probe_ssl()->SSL_get_version)
#define SSL_get_current_cipher (probe_ssl()->SSL_get_current_cipher)
#define SSL_CIPHER_get_name (probe_ssl()->SSL_CIPHER_get_name)
#define SSL_get_peer_cert_chain (probe_ssl()->SSL_get_peer_cert_chain)
#define SSL_get_verify_result (probe_ssl()->SSL_get_verify_result)
#define SSL_get_client_CA_list (probe_ssl()->SSL_get_client_CA_list)
#define SSL_get_sigalgs (probe_ssl()->SSL_get_sigalgs)
#define SSL_use_certificate (probe_ssl()->SSL_use_certificate)
#define SSL_use_PrivateKey (probe_ssl()->SSL_use_PrivateKey)
#define SSL_CTX_set_security_level (probe_ssl()->SSL_CTX_set_security_level)
#define SSL_CTX_set_cipher_list (probe_ssl()->SSL_CTX_set_cipher_list)
#define SSL_CTX_set_ciphersuites (probe_ssl()->SSL_CTX_set_ciphersuites)
#define SSL_CTX_get_ciphers (probe_ssl()->SSL_CTX_get_ciphers)
#define SSL_CIPHER_standard_name (probe_ssl()->SSL_CIPHER_standard_name)

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1 ready, 0 deadline passed, -1 poll error. */
static int wait_fd(int fd, int for_write, int64_t deadline)
{
    for (;;) {
        int64_t left = deadline - now_ms();
        if (left <= 0)
            return 0;
        struct pollfd p = {.fd = fd, .events = (short)(for_write ? POLLOUT : POLLIN)};
        int n = poll(&p, 1, left > 60000 ? 60000 : (int)left);
        if (n > 0)
            return 1;
        if (n < 0 && errno != EINTR)
            return -1;
    }
}


const char *probe_alert_name(int desc, char *buf, size_t cap)
{
    static const struct {
        int code;
        const char *name;
    } names[] = {
        {0, "close_notify"}, {10, "unexpected_message"}, {20, "bad_record_mac"},
        {22, "record_overflow"}, {40, "handshake_failure"}, {42, "bad_certificate"},
        {43, "unsupported_certificate"}, {44, "certificate_revoked"},
        {45, "certificate_expired"}, {46, "certificate_unknown"}, {47, "illegal_parameter"},
        {48, "unknown_ca"}, {49, "access_denied"}, {50, "decode_error"},
        {51, "decrypt_error"}, {70, "protocol_version"}, {71, "insufficient_security"},
        {80, "internal_error"}, {86, "inappropriate_fallback"}, {90, "user_canceled"},
        {109, "missing_extension"}, {110, "unsupported_extension"},
        {112, "unrecognized_name"}, {113, "bad_certificate_status_response"},
        {115, "unknown_psk_identity"}, {116, "certificate_required"},
        {120, "no_application_protocol"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].code == desc)
            return names[i].name;
    snprintf(buf, cap, "alert_%d", desc);
    return buf;
}

int probe_issuer_accepted(const probe_identity *id, const STACK_OF(X509_NAME) *cas)
{
    int n = cas ? sk_X509_NAME_num(cas) : 0;
    if (n == 0)
        return 1; /* no names sent: Java takes any key of a fitting type */
    int m = sk_X509_num(id->chain);
    for (int c = -1; c < m; c++) {
        const X509 *x = c < 0 ? id->leaf : sk_X509_value(id->chain, c);
        const X509_NAME *iss = X509_get_issuer_name(x);
        for (int i = 0; i < n; i++)
            if (X509_NAME_cmp(iss, sk_X509_NAME_value(cas, i)) == 0)
                return 1;
    }
    return 0;
}

/* Java's key algorithm name for an OpenSSL signature key type. */
static const char *java_key_type(int sign_nid)
{
    switch (sign_nid) {
    case EVP_PKEY_RSA: case EVP_PKEY_RSA_PSS: return "RSA"; /* rsa_pss_rsae_*: an RSA key */
    case EVP_PKEY_EC: return "EC";
    case EVP_PKEY_ED25519: case EVP_PKEY_ED448: return "EdDSA";
    case EVP_PKEY_DSA: return "DSA";
    default: return NULL;
    }
}

static int identity_of(const probe_run *r, size_t entry)
{
    for (size_t i = 0; i < r->n_ids; i++)
        if (r->ids[i].entry == entry)
            return (int)i;
    return -1;
}

/* As Java's client does (X509Authentication.createClientPossession): for
 * each key type of the server's signature algorithms in order, the key
 * manager's chooseClientAlias({type}, CA names); the first answer wins.
 * jks_client_key_choice models both key managers (Java's alias order). Sets
 * java_pick (the --key-manager one), other_pick and qualifying. */
static void java_choose(SSL *ssl, probe_run *r)
{
    const char *types[16];
    size_t nt = 0;
    int n = SSL_get_sigalgs(ssl, -1, NULL, NULL, NULL, NULL, NULL);
    for (int s = 0; s < n && nt < 16; s++) {
        int sign = 0;
        const char *t;
        if (!SSL_get_sigalgs(ssl, s, &sign, NULL, NULL, NULL, NULL) || !(t = java_key_type(sign)))
            continue;
        size_t k = 0;
        while (k < nt && strcmp(types[k], t))
            k++;
        if (k == nt)
            types[nt++] = t;
    }
    if (n <= 0) { /* no signature_algorithms: what Java asks without them */
        types[nt++] = "RSA";
        types[nt++] = "EC";
    }
    r->key_types[0] = 0;
    for (size_t k = 0; k < nt; k++) {
        size_t l = strlen(r->key_types);
        snprintf(r->key_types + l, sizeof(r->key_types) - l, "%s%s", k ? ", " : "", types[k]);
    }
    int nc = r->cas ? sk_X509_NAME_num(r->cas) : 0;
    jks_bytes *names = calloc(nc ? (size_t)nc : 1, sizeof(*names));
    size_t nn = 0;
    for (int i = 0; names && i < nc; i++) {
        unsigned char *der = NULL;
        int len = i2d_X509_NAME(sk_X509_NAME_value(r->cas, i), &der);
        if (len > 0) {
            names[nn].data = der;
            names[nn++].len = (size_t)len;
        }
    }
    jks_key_choice_opts o = JKS_KEY_CHOICE_OPTS_INIT;
    jks_key_choice ch;
    jks_error err;
    o.issuers = names;
    o.n_issuers = nn;
    o.key_types = types;
    o.n_key_types = nt;
    r->java_pick = r->other_pick = -1;
    r->qualifying = 0;
    if (jks_client_key_choice(r->st, &o, &ch, &err) == JKS_OK)
        r->qualifying = ch.qualifying;
    o.n_key_types = 1;
    size_t sun = SIZE_MAX, pkix = SIZE_MAX;
    for (size_t t = 0; t < nt && (sun == SIZE_MAX || pkix == SIZE_MAX); t++) {
        o.key_types = &types[t];
        if (jks_client_key_choice(r->st, &o, &ch, &err) != JKS_OK)
            break;
        if (sun == SIZE_MAX)
            sun = ch.sunx509;
        if (pkix == SIZE_MAX)
            pkix = ch.pkix;
    }
    int s_id = sun == SIZE_MAX ? -1 : identity_of(r, sun);
    int p_id = pkix == SIZE_MAX ? -1 : identity_of(r, pkix);
    r->java_pick = r->key_manager_pkix ? p_id : s_id;
    r->other_pick = r->key_manager_pkix ? s_id : p_id;
    for (size_t i = 0; i < nn; i++)
        OPENSSL_free((void *)names[i].data);
    free(names);
}

static void openssl_error(char *out, size_t cap, const char *what)
{
    unsigned long e = ERR_peek_last_error();
    char buf[200];
    if (e) {
        ERR_error_string_n(e, buf, sizeof(buf));
        snprintf(out, cap, "%s: %s", what, buf);
    } else {
        snprintf(out, cap, "%s", what);
    }
}

/* Called when the server's CertificateRequest has been read: its CA names
 * are known, so choose the key now, as Java does. */
static int on_cert_request(SSL *ssl, void *arg)
{
    probe_run *r = arg;
    STACK_OF(X509_NAME) *cas = SSL_get_client_CA_list(ssl);
    r->requested = 1;
    sk_X509_NAME_pop_free(r->cas, X509_NAME_free);
    r->cas = cas ? sk_X509_NAME_deep_copy(cas, X509_NAME_dup, X509_NAME_free)
                 : sk_X509_NAME_new_null();
    if (!r->cas) {
        r->setup_failed = 1;
        snprintf(r->detail, sizeof(r->detail), "out of memory");
        return 0;
    }
    /* Java aborts on an empty certificate_authorities before it asks its key
     * manager (CertificateAuthoritiesExtension): it chooses nothing */
    if (!r->empty_ca_ext && r->st) /* no store (keytool -sslserver): nothing to send */
        java_choose(ssl, r);
    r->pick = r->forced >= 0 ? r->forced : r->java_pick;
    if (r->pick < 0)
        return 1; /* an empty Certificate message goes out */
    const probe_identity *id = &r->ids[r->pick];
    if (SSL_use_certificate(ssl, id->leaf) != 1 || SSL_use_PrivateKey(ssl, id->pkey) != 1 ||
        SSL_set1_chain(ssl, id->chain) != 1) {
        r->setup_failed = 1;
        openssl_error(r->detail, sizeof(r->detail), "cannot use the key entry");
        return 0;
    }
    return 1;
}

/* TLS 1.3 CertificateRequest (RFC 8446 4.3.2): u8 context, u16 extensions;
 * 1 when it holds certificate_authorities (47) with an empty name list. */
static int empty_ca_extension(const unsigned char *p, size_t len)
{
    size_t off = 4;
    if (len < off + 1)
        return 0;
    off += 1 + (size_t)p[off];
    if (len < off + 2)
        return 0;
    size_t end = off + 2 + ((size_t)p[off] << 8 | p[off + 1]);
    off += 2;
    if (end > len)
        end = len;
    while (off + 4 <= end) {
        unsigned type = (unsigned)p[off] << 8 | p[off + 1];
        size_t elen = (size_t)p[off + 2] << 8 | p[off + 3];
        off += 4;
        if (type == 47)
            return elen < 2 || (off + 2 <= len && ((size_t)p[off] << 8 | p[off + 1]) == 0);
        off += elen;
    }
    return 0;
}

/* Every handshake message and alert, both directions, in plaintext. */
static void on_message(int write_p, int version, int content_type, const void *buf, size_t len,
                       SSL *ssl, void *arg)
{
    probe_run *r = arg;
    const unsigned char *p = buf;
    (void)version;
    if (content_type == SSL3_RT_ALERT && len >= 2) {
        if (write_p) {
            if (r->alert_out < 0 && p[1] != SSL_AD_CLOSE_NOTIFY)
                r->alert_out = p[1];
        } else if (p[1] == SSL_AD_CLOSE_NOTIFY) {
            if (r->handshake_ok)
                r->close_notify_after = 1;
        } else if (r->alert_in < 0) {
            r->alert_in = p[1];
            r->alert_in_fatal = p[0] == SSL3_AL_FATAL;
            r->alert_after_handshake = r->handshake_ok;
        }
        return;
    }
    if (content_type != SSL3_RT_HANDSHAKE || len < 4)
        return;
    if (!write_p) {
        r->server_spoke = 1;
        if (p[0] == SSL3_MT_CERTIFICATE_REQUEST) {
            r->requested = 1;
            if (SSL_version(ssl) >= TLS1_3_VERSION && empty_ca_extension(p, len))
                r->empty_ca_ext = 1;
        }
        /* a server asking for a certificate sends tickets only after our
         * Finished, i.e. after it has taken our certificate (RFC 8446 4.6.1) */
        if (p[0] == SSL3_MT_NEWSESSION_TICKET && r->handshake_ok)
            r->ticket_after = 1;
        return;
    }
    if (p[0] != SSL3_MT_CERTIFICATE)
        return;
    /* TLS 1.2: u24 list; TLS 1.3: u8 context, then u24 list */
    size_t off = 4;
    if (SSL_version(ssl) >= TLS1_3_VERSION) {
        if (len < 5)
            return;
        off = 5 + (size_t)p[4];
    }
    if (len < off + 3)
        return;
    r->sent_cert_msg = 1;
    r->presented = ((size_t)p[off] << 16 | (size_t)p[off + 1] << 8 | p[off + 2]) > 0;
}

static int is_ip(const char *s)
{
    unsigned char b[16];
    return inet_pton(AF_INET, s, b) == 1 || inet_pton(AF_INET6, s, b) == 1;
}

static int tcp_connect(probe_run *r, int64_t deadline)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int g = getaddrinfo(r->host, r->port, &hints, &res);
    if (g) {
        r->net = PROBE_NET_DNS;
        snprintf(r->detail, sizeof(r->detail), "cannot resolve %s: %s", r->host,
                 g == EAI_SYSTEM ? strerror(errno) : gai_strerror(g));
        return -1;
    }
    int fd = -1;
    r->net = PROBE_NET_CONNECT;
    snprintf(r->detail, sizeof(r->detail), "cannot connect to %s port %s", r->host, r->port);
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        char addr[64] = "?";
        getnameinfo(ai->ai_addr, ai->ai_addrlen, addr, sizeof(addr), NULL, 0, NI_NUMERICHOST);
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    ai->ai_protocol);
        if (fd < 0)
            continue;
        int err = 0;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
            err = errno;
            if (err == EINPROGRESS) {
                int w = wait_fd(fd, 1, deadline);
                socklen_t el = sizeof(err);
                if (w == 0) {
                    r->net = PROBE_NET_TIMEOUT;
                    snprintf(r->detail, sizeof(r->detail),
                             "TCP connect to %s port %s timed out (no answer, often a firewall "
                             "dropping packets)", addr, r->port);
                    close(fd);
                    fd = -1;
                    break;
                }
                if (w < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0)
                    err = errno;
            }
        }
        if (!err) {
            snprintf(r->peer, sizeof(r->peer), "%s", addr);
            r->net = PROBE_NET_OK;
            r->detail[0] = 0;
            break;
        }
        snprintf(r->detail, sizeof(r->detail), "cannot connect to %s port %s: %s", addr, r->port,
                 strerror(err));
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

/* TLS 1.3: the client's Finished completes our handshake before the server
 * has looked at our certificate; its verdict (an alert, or nothing) comes
 * after. Read until data, an alert, a close, or the wait runs out. */
static void await_verdict(probe_run *r, SSL *ssl, int fd)
{
    int64_t until = now_ms() + r->post_wait_ms;
    unsigned char buf[1024];
    for (;;) {
        ERR_clear_error();
        int n = SSL_read(ssl, buf, (int)sizeof(buf));
        if (n > 0)
            break; /* the server talks to us: it accepted */
        int e = SSL_get_error(ssl, n);
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
            if (r->ticket_after)
                break; /* accepted */
            if (wait_fd(fd, e == SSL_ERROR_WANT_WRITE, until) > 0)
                continue;
            break; /* silence: nothing rejected us */
        }
        if (e != SSL_ERROR_ZERO_RETURN && r->alert_in < 0) {
            r->closed_after = 1;
            openssl_error(r->detail, sizeof(r->detail),
                          "the server closed the connection right after the handshake");
        }
        break;
    }
    OPENSSL_cleanse(buf, sizeof(buf));
}

/* What the JDK offers instead of OpenSSL's defaults: security level 0 (Java
 * takes RSA-1024 keys, SHA-1 certificates, 1024-bit DH that OpenSSL's level
 * refuses: the profile's disabledAlgorithms are applied after the handshake),
 * its cipher suites in its order, its named groups and signature schemes. */
static int offer_as_jdk(SSL_CTX *ctx, const jks_jdk_profile *p)
{
    char tls12[2048] = "", tls13[256] = "";
    SSL_CTX_set_security_level(ctx, 0);
    if (!SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0"))
        return 0;
    STACK_OF(SSL_CIPHER) *all = SSL_CTX_get_ciphers(ctx);
    for (size_t i = 0; i < p->n_cipher_suites; i++) {
        const char *want = p->cipher_suites[i];
        if (!strstr(want, "_WITH_")) { /* a TLS 1.3 suite: OpenSSL uses the IANA name */
            size_t n = strlen(tls13);
            snprintf(tls13 + n, sizeof(tls13) - n, "%s%s", n ? ":" : "", want);
            continue;
        }
        for (int c = 0; all && c < sk_SSL_CIPHER_num(all); c++) {
            const SSL_CIPHER *ci = sk_SSL_CIPHER_value(all, c);
            const char *std = SSL_CIPHER_standard_name(ci);
            if (std && !strcmp(std, want)) {
                size_t n = strlen(tls12);
                snprintf(tls12 + n, sizeof(tls12) - n, "%s%s", n ? ":" : "",
                         SSL_CIPHER_get_name(ci));
                break;
            }
        }
    }
    if (!SSL_CTX_set_cipher_list(ctx, tls12) || !SSL_CTX_set_ciphersuites(ctx, tls13))
        return 0;
    SSL_CTX_set_security_level(ctx, 0); /* the cipher string may have set it */
    if (!SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384:P-521:X448:ffdhe2048:ffdhe3072:"
                                       "ffdhe4096:ffdhe6144:ffdhe8192"))
        return 0;
    char sig[512];
    snprintf(sig, sizeof(sig),
             "ECDSA+SHA256:ECDSA+SHA384:ECDSA+SHA512:ed25519:ed448:rsa_pss_rsae_sha256:"
             "rsa_pss_rsae_sha384:rsa_pss_rsae_sha512:rsa_pss_pss_sha256:rsa_pss_pss_sha384:"
             "rsa_pss_pss_sha512:RSA+SHA256:RSA+SHA384:RSA+SHA512:DSA+SHA256:ECDSA+SHA224:"
             "RSA+SHA224:DSA+SHA224%s",
             p->sha1_handshake_signatures ? ":ECDSA+SHA1:RSA+SHA1:DSA+SHA1" : "");
    return SSL_CTX_set1_sigalgs_list(ctx, sig) == 1;
}

/* The profile's disabledAlgorithms over what the server sent: each chain
 * certificate (jdk.certpath), the (EC)DHE key (jdk.tls "DH keySize"). */
static void jdk_constraints(probe_run *r, SSL *ssl)
{
    char why[200];
    for (int i = 0; r->server_chain && i < sk_X509_num(r->server_chain); i++) {
        unsigned char *der = NULL;
        int len = i2d_X509(sk_X509_value(r->server_chain, i), &der);
        int off = len > 0 && jks_jdk_cert_disabled(r->jdk, der, (size_t)len, r->jdk_ca_anchors, why,
                                                      sizeof(why));
        OPENSSL_free(der);
        if (off) {
            snprintf(r->jdk_refusal, sizeof(r->jdk_refusal),
                     "server certificate %d of the chain: jdk.certpath.disabledAlgorithms "
                     "\"%s\"", i, why);
            return;
        }
    }
    EVP_PKEY *tmp = NULL;
    if (SSL_get_peer_tmp_key(ssl, &tmp) && tmp) {
        if (EVP_PKEY_get_base_id(tmp) == EVP_PKEY_DH && EVP_PKEY_get_bits(tmp) < r->jdk->dh_min_bits)
            snprintf(r->jdk_refusal, sizeof(r->jdk_refusal),
                     "the server's DHE key: jdk.tls.disabledAlgorithms \"DH keySize < %d\" (it "
                     "has %d bits)", r->jdk->dh_min_bits, EVP_PKEY_get_bits(tmp));
        EVP_PKEY_free(tmp);
    }
}

void probe_run_tls(probe_run *r)
{
    int64_t deadline = now_ms() + r->timeout_ms;
    r->alert_in = r->alert_out = -1;
    r->java_pick = r->pick = r->other_pick = -1;
    int fd = tcp_connect(r, deadline);
    if (fd < 0)
        return;

    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL *ssl = NULL;
    if (!ctx || !SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) || !offer_as_jdk(ctx, r->jdk))
        goto setup_error;
    if (r->trust)
        SSL_CTX_set1_cert_store(ctx, r->trust);
    else if (!SSL_CTX_set_default_verify_paths(ctx))
        goto setup_error;
    /* never abort on the server's certificate: report on it instead */
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    if (!(ssl = SSL_new(ctx)))
        goto setup_error;
    SSL_set_cert_cb(ssl, on_cert_request, r);
    SSL_set_msg_callback(ssl, on_message);
    SSL_set_msg_callback_arg(ssl, r);
    if (r->sni && !SSL_set_tlsext_host_name(ssl, r->sni))
        goto setup_error;
    if (r->verify_name) {
        X509_VERIFY_PARAM *vp = SSL_get0_param(ssl);
        int ok = is_ip(r->verify_name) ? X509_VERIFY_PARAM_set1_ip_asc(vp, r->verify_name)
                                       : SSL_set1_host(ssl, r->verify_name);
        if (!ok)
            goto setup_error;
    }
    /* like Java's PKIX, any certificate of a given trust file is an anchor */
    if (r->trust)
        X509_VERIFY_PARAM_set_flags(SSL_get0_param(ssl), X509_V_FLAG_PARTIAL_CHAIN);
    if (!SSL_set_fd(ssl, fd))
        goto setup_error;

    ERR_clear_error();
    for (;;) {
        errno = 0;
        int rc = SSL_connect(ssl);
        if (rc == 1) {
            r->handshake_ok = 1;
            break;
        }
        int e = SSL_get_error(ssl, rc);
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
            if (wait_fd(fd, e == SSL_ERROR_WANT_WRITE, deadline) > 0)
                continue;
            r->net = PROBE_NET_TIMEOUT;
            snprintf(r->detail, sizeof(r->detail),
                     "TLS handshake with %s port %s timed out after %u s (%s)", r->host, r->port,
                     r->timeout_ms / 1000,
                     r->server_spoke ? "the server stopped answering mid-handshake"
                                     : "the server never answered our ClientHello");
            break;
        }
        if (r->setup_failed)
            break;
        if (e == SSL_ERROR_SYSCALL && !ERR_peek_last_error()) {
            int en = errno;
            if (!en || en == EPIPE)
                snprintf(r->detail, sizeof(r->detail),
                         "the server closed the connection during the TLS handshake");
            else if (en == ECONNRESET)
                snprintf(r->detail, sizeof(r->detail),
                         "the server reset the connection during the TLS handshake");
            else
                snprintf(r->detail, sizeof(r->detail),
                         "connection error during the TLS handshake: %s", strerror(en));
        } else {
            openssl_error(r->detail, sizeof(r->detail), "TLS handshake failed");
        }
        if (!r->server_spoke && r->alert_in < 0)
            r->net = PROBE_NET_CLOSED;
        break;
    }

    if (SSL_get_current_cipher(ssl)) {
        snprintf(r->protocol, sizeof(r->protocol), "%s", SSL_get_version(ssl));
        snprintf(r->cipher, sizeof(r->cipher), "%s",
                 SSL_CIPHER_get_name(SSL_get_current_cipher(ssl)));
    }
    STACK_OF(X509) *pc = SSL_get_peer_cert_chain(ssl);
    if (pc && sk_X509_num(pc) > 0) {
        r->server_chain = X509_chain_up_ref(pc);
        r->verified_known = 1;
        r->verify_code = SSL_get_verify_result(ssl);
        jdk_constraints(r, ssl);
    }
    if (r->handshake_ok && r->requested && SSL_version(ssl) >= TLS1_3_VERSION)
        await_verdict(r, ssl, fd);
    if (r->handshake_ok && r->alert_in < 0 && !r->closed_after && !r->close_notify_after)
        SSL_shutdown(ssl); /* best effort close_notify; the socket is non-blocking */
    goto done;

setup_error:
    r->setup_failed = 1;
    openssl_error(r->detail, sizeof(r->detail), "TLS setup failed");
done:
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    close(fd);
    ERR_clear_error();
}

void probe_run_free(probe_run *r)
{
    sk_X509_pop_free(r->server_chain, X509_free);
    sk_X509_NAME_pop_free(r->cas, X509_NAME_free);
    r->server_chain = NULL;
    r->cas = NULL;
}
