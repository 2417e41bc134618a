/* jkstool probe: libssl, opened at run time. Only probe speaks TLS, so jkstool
 * does not link libssl and every other command starts without loading it
 * (Debian links libssl with BIND_NOW: loading it costs ~0.5 M instructions of
 * symbol lookups). libcrypto (X509, EVP_PKEY, ERR) stays linked as usual. */
#ifndef JKSTOOL_PROBE_SSL_H
#define JKSTOOL_PROBE_SSL_H

#include <openssl/ssl.h>
#include <stddef.h>

/* Every libssl function probe_tls.c calls, including what OpenSSL's macros
 * expand to (SSL_CTX_set_min_proto_version, SSL_CTX_set1_groups_list,
 * SSL_CTX_set1_sigalgs_list -> SSL_CTX_ctrl; SSL_set1_chain, SSL_get_peer_tmp_key,
 * SSL_set_tlsext_host_name, SSL_set_msg_callback_arg -> SSL_ctrl). */
#define PROBE_SSL_FUNCS(X)                                                                       \
    X(TLS_client_method) X(SSL_CTX_new) X(SSL_CTX_free) X(SSL_CTX_ctrl)                          \
    X(SSL_CTX_set1_cert_store) X(SSL_CTX_set_default_verify_paths) X(SSL_CTX_set_verify)         \
    X(SSL_new) X(SSL_free) X(SSL_ctrl) X(SSL_set_cert_cb) X(SSL_set_msg_callback)                \
    X(SSL_get0_param) X(SSL_set1_host) X(SSL_set_fd) X(SSL_connect) X(SSL_read) X(SSL_shutdown)  \
    X(SSL_get_error) X(SSL_version) X(SSL_get_version) X(SSL_get_current_cipher)                 \
    X(SSL_CIPHER_get_name) X(SSL_get_peer_cert_chain) X(SSL_get_verify_result)                   \
    X(SSL_get_client_CA_list) X(SSL_get_sigalgs) X(SSL_use_certificate) X(SSL_use_PrivateKey)    \
    X(SSL_CTX_set_security_level) X(SSL_CTX_set_cipher_list) X(SSL_CTX_set_ciphersuites)          \
    X(SSL_CTX_get_ciphers) X(SSL_CIPHER_standard_name)

/* One pointer per function, typed from OpenSSL's own prototype. */
typedef struct {
#define PROBE_SSL_MEMBER(f) __typeof__(f) *f;
    PROBE_SSL_FUNCS(PROBE_SSL_MEMBER)
#undef PROBE_SSL_MEMBER
} probe_ssl_api;

/* Open libssl.so.3 (else libssl.so) and resolve PROBE_SSL_FUNCS, on the first
 * call only. Returns 1, or 0 with one line in why naming the library and what
 * failed (the missing symbol, or the loader's message). */
int probe_ssl_load(char *why, size_t cap);

/* The resolved table; call only after probe_ssl_load() returned 1. */
const probe_ssl_api *probe_ssl(void);

#endif
