/* jkstool probe: one mutual-TLS handshake, as a record of what happened.
 * probe_tls.c connects and shakes hands (OpenSSL, TLS 1.2/1.3) and fills a
 * probe_run; cmd_probe.c loads the keystore and trust, and turns the record
 * into a diagnosis, text and JSON. */
#ifndef JKSTOOL_PROBE_H
#define JKSTOOL_PROBE_H

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "jks/ops.h"

/* A key entry we may present: key, leaf and the rest of the chain (owned). */
typedef struct {
    const char *alias;       /* borrowed from the store */
    EVP_PKEY *pkey;
    X509 *leaf;
    STACK_OF(X509) *chain;   /* certificates after the leaf */
    size_t entry;            /* its index in the store */
} probe_identity;

/* Where a network failure happened (exit 5). */
typedef enum {
    PROBE_NET_OK = 0,
    PROBE_NET_DNS,       /* the name does not resolve */
    PROBE_NET_CONNECT,   /* refused, unreachable */
    PROBE_NET_TIMEOUT,   /* TCP connect or handshake ran past --timeout */
    PROBE_NET_CLOSED,    /* closed or reset before the server sent any TLS message */
} probe_net;

typedef struct {
    /* inputs */
    const char *host, *port;
    const char *sni;          /* server_name to send, NULL for none */
    const char *verify_name;  /* host name or IP address the server cert must match */
    unsigned timeout_ms;      /* TCP connect + handshake */
    unsigned post_wait_ms;    /* TLS 1.3: wait this long for a late client-auth alert */
    X509_STORE *trust;        /* borrowed; NULL = OpenSSL's default paths */
    const probe_identity *ids;
    size_t n_ids;
    int forced;               /* index of the --alias identity, or -1 */
    const jks_store *st;      /* the keystore the identities come from */
    int key_manager_pkix;     /* model Java's PKIX key manager instead of SunX509 */
    const jks_jdk_profile *jdk; /* the JDK whose defaults we offer and apply (not NULL) */
    int jdk_ca_anchors;       /* the trust is a JDK's cacerts: its roots are jdkCA */

    /* outputs */
    probe_net net;
    char detail[256];         /* network or OpenSSL error text */
    char peer[80];            /* numeric address connected to */
    int server_spoke;         /* the server sent at least one handshake message */
    int handshake_ok;
    char protocol[16], cipher[80];
    STACK_OF(X509) *server_chain; /* as sent, leaf first (owned) */
    int verified_known;       /* a server certificate was checked */
    long verify_code;         /* X509_V_OK or the first error */
    int requested;            /* a CertificateRequest arrived */
    STACK_OF(X509_NAME) *cas; /* its certificate_authorities (owned; may be empty) */
    int java_pick;            /* the identity the chosen Java key manager picks, -1 none */
    int other_pick;           /* ... the other key manager picks (SunX509 <-> PKIX), -1 none */
    char key_types[64];       /* Java key types of the server's signature algorithms, in
                               * order, ", " separated ("RSA, EC") */
    size_t qualifying;        /* key entries of a type the server takes with an accepted issuer */
    int pick;                 /* the identity we set, -1 none */
    int sent_cert_msg;        /* we sent a Certificate message */
    int presented;            /* ... with at least one certificate in it */
    int alert_in;             /* alert description received, -1 none */
    int alert_in_fatal;
    int alert_out;            /* alert description we sent, -1 none */
    int alert_after_handshake;/* alert_in came after our handshake had finished */
    int closed_after;         /* TLS 1.3: connection closed or reset right after, no alert */
    int close_notify_after;   /* the server closed gracefully (close_notify) after it */
    int ticket_after;         /* TLS 1.3: a NewSessionTicket came after our Finished */
    int setup_failed;         /* our own TLS setup failed (detail says why) */
    char jdk_refusal[320];    /* what the JDK profile's disabledAlgorithms reject in the
                               * server's chain or key exchange ("" none) */
    int empty_ca_ext;         /* TLS 1.3 CertificateRequest with an empty certificate_authorities
                               * extension (Java aborts on it) */
} probe_run;

/* Connect and shake hands; fills the outputs of r. Never prints. */
void probe_run_tls(probe_run *r);
/* Free the outputs of r. */
void probe_run_free(probe_run *r);

/* 1 when a certificate of id's chain was issued by one of the names
 * (X500Principal equality: canonical, case-insensitive). */
int probe_issuer_accepted(const probe_identity *id, const STACK_OF(X509_NAME) *cas);

/* TLS alert description name ("bad_certificate"), or "alert_N" in buf. */
const char *probe_alert_name(int desc, char *buf, size_t cap);

#endif
