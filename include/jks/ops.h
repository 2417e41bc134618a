/* libjks operations: what keytool does to a keystore beyond reading and
 * writing it (chain building, key pairing, CA replies, merging, renaming,
 * passwords, exports), as library calls. Same conventions as jks.h: nothing
 * is printed, each call returns a jks_status and fills a caller-provided
 * jks_error; memory returned is freed with the function named. */
#ifndef JKS_OPS_H
#define JKS_OPS_H

#include "jks/jks.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Order the issuers of the certificate leaf (DER) from the candidate
 * certificates pool[0..n): writes the pool index of leaf's issuer to
 * picked[0], of that one's issuer to picked[1], ..., at most cap indexes,
 * and their number to *n_picked. A candidate is an issuer when its subject is
 * the issuer name, its key identifiers agree and its key verifies the
 * signature; no certificate is used twice and the chain ends at a
 * self-signed root or where no issuer is found (not an error). Validity
 * dates are not looked at. The pool is borrowed. Returns JKS_OK, or
 * JKS_ERR_IO when out of memory. */
JKS_EXTERN jks_status jks_chain_build(const uint8_t *leaf, size_t leaf_len, const jks_bytes *pool, size_t n,
                           size_t *picked, size_t cap, size_t *n_picked, jks_error *err);

/* The index in certs[0..n) of the first certificate whose public key is the
 * public half of the private key pkcs8 (a PKCS#8 PrivateKeyInfo), or -1 when
 * none is (or the key or no certificate decodes). Compares public keys; signs
 * nothing. Everything is borrowed. */
JKS_EXTERN long jks_key_find_cert(const uint8_t *pkcs8, size_t len, const jks_bytes *certs, size_t n);

/* ---- CA replies (ops/reply.c) ---- */

typedef struct {
    unsigned version;            /* JKS_REPLY_OPTS_VERSION */
    const jks_store *extra_cas;  /* more candidate issuers (e.g. a system CA bundle); NULL none */
    int allow_extra;             /* reply certificates outside the chain are left out, not refused */
    int allow_incomplete;        /* a lone certificate whose chain cannot be completed is
                                  * installed alone instead of refused */
} jks_reply_opts;
#define JKS_REPLY_OPTS_VERSION 1
#define JKS_REPLY_OPTS_INIT {JKS_REPLY_OPTS_VERSION, NULL, 0, 0}

typedef enum {
    JKS_REPLY_INSTALLED = 0,  /* the chain was replaced */
    JKS_REPLY_UNCHANGED,      /* the entry already had this chain: nothing done */
    JKS_REPLY_NOT_A_KEY,      /* the entry is no private key entry (JKS_ERR_USAGE) */
    JKS_REPLY_KEY_UNKNOWN,    /* key not decrypted and no readable certificate (JKS_ERR_PASSWORD) */
    JKS_REPLY_NOT_FOR_KEY,    /* no reply certificate has the key's public key (JKS_ERR_FORMAT) */
    JKS_REPLY_EXTRA_CERTS,    /* reply certificates outside the chain (JKS_ERR_FORMAT) */
    JKS_REPLY_INCOMPLETE,     /* a lone certificate whose issuer is nowhere (JKS_ERR_FORMAT) */
} jks_reply_outcome;

typedef struct {
    jks_reply_outcome outcome;
    size_t chain_len;         /* the chain built (installed, or already there) */
    size_t unused;            /* reply certificates left out of the chain */
    int complete;             /* the chain ends at a self-signed certificate */
    jks_cert_info top;        /* facts of the chain's last certificate (when chain_len > 0) */
} jks_reply_result;

/* Install a certificate-authority reply (certificates reply[0..n), in any
 * order) on private key entry index of st, as keytool -importcert does: the
 * reply certificate holding the entry's public key (from its decrypted key,
 * else from its current certificate) becomes the leaf; its issuers are taken
 * from the reply first, then from the store's other entries and
 * opts->extra_cas (THE chain builder, jks_chain_build). The key and its
 * protection are untouched; certificates are copied into st. res (may be
 * NULL) tells what happened, also on failure (outcome, counts, the top
 * certificate). NULL opts = JKS_REPLY_OPTS_INIT. Returns JKS_OK for
 * INSTALLED and UNCHANGED, else the status named at the outcome. */
JKS_EXTERN jks_status jks_store_install_reply(jks_store *st, size_t index, const jks_bytes *reply, size_t n,
                                   const jks_reply_opts *opts, jks_reply_result *res,
                                   jks_error *err);

/* ---- exports (ops/export.c) ---- */

typedef enum {
    JKS_EXPORT_CERT = 0,   /* the entry's (leaf) certificate */
    JKS_EXPORT_CHAIN,      /* leaf first, PEM only when longer than one */
    JKS_EXPORT_KEY,        /* the decrypted private key as PKCS#8 */
} jks_export_what;

typedef struct {
    unsigned version;      /* JKS_EXPORT_OPTS_VERSION */
    int der;               /* DER instead of PEM (one certificate, or the key) */
    const char *password;  /* keys: encrypt (PBES2 AES-256-CBC, PBKDF2-HMAC-SHA256) when set */
} jks_export_opts;
#define JKS_EXPORT_OPTS_VERSION 1
#define JKS_EXPORT_OPTS_INIT {JKS_EXPORT_OPTS_VERSION, 0, NULL}

/* The bytes of one part of entry e: a certificate, the chain or the private
 * key, as PEM ("CERTIFICATE" blocks; "PRIVATE KEY", or "ENCRYPTED PRIVATE
 * KEY" with opts->password) or DER. NULL opts = JKS_EXPORT_OPTS_INIT. On
 * success *out is new memory (free with jks_buffer_free, which wipes it).
 * JKS_ERR_USAGE when e has no such part or DER cannot hold it,
 * JKS_ERR_PASSWORD when the key is not decrypted. */
JKS_EXTERN jks_status jks_entry_export(const jks_entry *e, jks_export_what what, const jks_export_opts *opts,
                            uint8_t **out, size_t *out_len, jks_error *err);

/* ---- small store facts and edits (ops/storeops.c) ---- */

/* The entry whose alias equals alias once both are lower-cased as Java does
 * for JKS and JCEKS aliases (toLowerCase(Locale.ENGLISH)), NULL if none.
 * Borrowed from st. */
JKS_EXTERN const jks_entry *jks_store_find_java(const jks_store *st, const char *alias);

/* 1 when aliases a and b are equal once lower-cased as Java does, else 0. */
JKS_EXTERN int jks_alias_java_equal(const char *a, const char *b);

/* Position of e in st (SIZE_MAX when e is not st's). */
JKS_EXTERN size_t jks_store_index_of(const jks_store *st, const jks_entry *e);

/* Drop the stored protected bytes of decrypted key entry i, so that the next
 * jks_store_write encrypts it afresh with the write options' key password
 * even when they keep the stored encryption (a key password change). Returns
 * 1 when done, 0 (nothing changed) when entry i holds no decrypted key. */
JKS_EXTERN int jks_store_forget_protection(jks_store *st, size_t i);

/* JKS_P12_LEGACY when st was read from a PKCS#12 using JDK 8-era algorithms
 * (PBE-SHA1 key or certificate encryption, SHA-1 MAC); JKS_P12_MODERN else:
 * what a rewrite should keep. */
JKS_EXTERN jks_p12_algorithms jks_store_p12_algorithms(const jks_store *st);

/* Generate a key pair (jks_key_generate: keyalg, bits) and its self-signed
 * certificate (jks_cert_self_signed with p), and add them to st as private
 * key entry alias (created_ms as for jks_store_add_private_key): keytool
 * -genkeypair. The new entry is st's last; the key is wiped from temporary
 * memory. Statuses as those functions'. */
JKS_EXTERN jks_status jks_store_generate_key(jks_store *st, const char *alias, const char *keyalg,
                                  unsigned bits, const jks_gen_params *p, int64_t created_ms,
                                  jks_error *err);

/* ---- secret keys as keytool makes them (ops/secret.c) ---- */

/* A secret key algorithm and size as Java's KeyGenerator (SunJCE, JDK 17)
 * takes them: keytool -genseckey's -keyalg (AES, DES, DESede/TripleDES,
 * HmacMD5, HmacSHA1/224/256/384/512, HmacSHA512/224, HmacSHA512/256,
 * HmacSHA3-224..512, ARCFOUR/RC4, RC2, Blowfish, ChaCha20; any case). */
typedef struct {
    char algorithm[32]; /* the key's Java name (Key.getAlgorithm): "AES", "DESede", "ARCFOUR" */
    unsigned bits;      /* the size asked, or the default (DES 56, DESede 168) */
    size_t key_len;     /* bytes: (bits + 7) / 8; DES 8, DESede 24 (parity bits included) */
    int pkcs12;         /* 1 when JDK 17's PKCS12 keystore stores it (it knows an OID) */
} jks_secret_spec;

/* Check keyalg and bits (0: the default) as Java does and fill spec.
 * JKS_ERR_FORMAT for an unknown algorithm (err: "FOO KeyGenerator not
 * available"), JKS_ERR_USAGE for a size Java refuses, with Java's message
 * ("Wrong keysize: must be equal to 128, 192 or 256", "Please provide
 * -keysize for secret key generation" when there is no default). */
JKS_EXTERN jks_status jks_secret_key_spec(const char *keyalg, unsigned bits, jks_secret_spec *spec,
                               jks_error *err);

/* keytool -genseckey: a random secret key (OpenSSL RAND; DES and DESede
 * with odd parity, two-key DESede with k3 = k1) added to st as secret key
 * entry alias (jks_store_add_secret_key). The key is wiped from temporary
 * memory. JKS cannot hold it: jks_store_write to JKS then fails. */
JKS_EXTERN jks_status jks_store_generate_secret_key(jks_store *st, const char *alias, const char *keyalg,
                                         unsigned bits, int64_t created_ms, jks_error *err);

/* The algorithm of a password kept as a key: keytool -importpass's PBE key
 * (SunJCE names it so; JCEKS serializes it as a KeyRep, PKCS#12 stores OID
 * 1.2.840.113549.1.5.3). */
#define JKS_PASSWORD_KEY_ALG "PBEWithMD5AndDES"

/* keytool -importpass: password (printable ASCII, as Java's PBE key takes
 * it; JKS_ERR_USAGE "Password is not ASCII" otherwise, and for an empty one,
 * which Java cannot read back) added to st as secret key entry alias of
 * algorithm JKS_PASSWORD_KEY_ALG. The password bytes are copied into the
 * store, which wipes them when freed. */
JKS_EXTERN jks_status jks_store_add_password(jks_store *st, const char *alias, const char *password,
                                  int64_t created_ms, jks_error *err);

/* A distinguished name (DER Name) as keytool prints it: RFC 2253 order,
 * ", " between RDNs, UTF-8 kept, into out (always terminated when cap > 0).
 * Returns 1, or 0 when der is no Name (out is then ""). */
JKS_EXTERN int jks_name_format(const uint8_t *der, size_t len, char *out, size_t cap);

/* ---- merging stores, renaming entries (ops/merge.c) ---- */

typedef enum {
    JKS_CONFLICT_FAIL = 0,     /* an alias already in the destination: JKS_ERR_USAGE */
    JKS_CONFLICT_SKIP,         /* keep the destination's entry, leave the source's out */
    JKS_CONFLICT_OVERWRITE,    /* replace the destination's entry */
    JKS_CONFLICT_RENAME,       /* add the source's entry as "alias-2", "alias-3", ... */
} jks_conflict_policy;

typedef struct {
    unsigned version;            /* JKS_MERGE_OPTS_VERSION */
    jks_conflict_policy on_conflict;
    const char *const *aliases;  /* only these source entries (NULL: every entry Java lists) */
    size_t n_aliases;
    const char *rename_to;       /* with one alias: its alias in the destination */
    int64_t created_ms;          /* creation time for entries without one (< 0: none) */
} jks_merge_opts;
#define JKS_MERGE_OPTS_VERSION 1
#define JKS_MERGE_OPTS_INIT {JKS_MERGE_OPTS_VERSION, JKS_CONFLICT_FAIL, NULL, 0, NULL, -1}

typedef struct {
    size_t added;                /* entries added (renamed and replacing ones included) */
    size_t replaced, renamed, skipped;
    size_t hidden;               /* source entries Java does not list, left out */
    const jks_entry *failed;     /* on failure: the source entry concerned (borrowed), or NULL */
    const jks_entry *existing;   /* on a FAIL conflict: the destination's entry (borrowed) */
} jks_merge_result;

/* Copy entries of src into dst (keytool -importkeystore): keys and secret
 * keys must be decrypted in src (they are stored in dst by value and
 * encrypted when dst is written). Aliases are compared as Java compares
 * them (lower-cased). Selected aliases are found exactly, else ignoring
 * case. res (may be NULL) counts what was done; on failure it names the
 * entry (failed, existing). NULL opts = JKS_MERGE_OPTS_INIT. Returns JKS_OK;
 * JKS_ERR_USAGE for an unknown selected alias or a conflict under
 * JKS_CONFLICT_FAIL; JKS_ERR_PASSWORD for a key not decrypted; on failure dst
 * keeps the entries added before it. */
JKS_EXTERN jks_status jks_store_merge(jks_store *dst, const jks_store *src, const jks_merge_opts *opts,
                           jks_merge_result *res, jks_error *err);

/* keytool -importkeystore's copy of one entry (KeyStore.setEntry): entry si
 * of src (a key must be decrypted) into dst as alias (NULL: its own),
 * replacing dst's entry of that alias as Java compares aliases; the new entry
 * is dst's last. keypass (may be NULL), for a key in a JKS or JCEKS dst: the
 * key is encrypted now with it, and a write keeping the stored encryption
 * (jks_write_opts.keep_encryption) keeps it, so each key keeps its own
 * password as keytool gives it; otherwise the write's key password applies.
 * created_ms as for jks_store_merge. Returns JKS_OK; JKS_ERR_USAGE when dst's
 * format cannot hold the entry (a secret key into JKS: err's message is
 * Java's "Cannot store non-PrivateKeys", err's alias the entry's);
 * JKS_ERR_PASSWORD for a key not decrypted. dst is unchanged on failure
 * except that an entry being replaced may be gone. */
JKS_EXTERN jks_status jks_store_import_entry(jks_store *dst, const jks_store *src, size_t si,
                                            const char *alias, const char *keypass,
                                            int64_t created_ms, jks_error *err);

/* Rename entry i to alias (copied). JKS_ERR_USAGE when another entry has
 * that alias once lower-cased as Java does (keytool -changealias), or
 * alias is empty. The entry keeps its position and everything else. */
JKS_EXTERN jks_status jks_store_rename(jks_store *st, size_t i, const char *alias, jks_error *err);

/* Make st what Java's KeyStore shows of it, as keytool -importkeystore
 * copies it: every alias as Java names it (lower-cased as
 * jks_alias_java_lower does; an entry whose lower-cased alias another entry
 * already has keeps its spelling), and unless keep_hidden the entries Java
 * does not show (jks_entry_java_visible 0: a PKCS#12 certificate outside
 * any chain without Java's trust attribute, a key in an unencrypted key bag)
 * removed. *n_removed (may be NULL) gets how many were removed; call
 * jks_entry_java_visible first to name them. */
JKS_EXTERN jks_status jks_store_java_view(jks_store *st, int keep_hidden, size_t *n_removed,
                                         jks_error *err);

/* ---- CA bundles into a truststore, several PEM inputs (ops/bundle.c) ---- */

typedef struct {
    const char *alias;  /* the new entry's alias, or the trusted entry already holding the
                           certificate (borrowed from st: valid until st changes) */
    int added;          /* 1 added, 0 skipped as already in st (same DER bytes) */
} jks_bundle_item;

/* Add each certificate certs[0..n) (DER; a PEM bundle or PKCS#7 read with
 * jks_store_read gives them) to st as a trusted certificate entry, as
 * keytool -importcert -trustcacerts would one by one: the alias is the
 * certificate's CN (else OU, else O, else "ca") lower-cased as Java does,
 * made unique as "cn-2", "cn-3", ... against st's aliases. A certificate
 * some trusted entry of st already holds (the same DER, also one added
 * earlier from this bundle) is skipped. items (may be NULL) gets n answers,
 * in order. Returns JKS_OK; JKS_ERR_FORMAT when a certificate is not X.509
 * (st keeps the ones added before it). */
JKS_EXTERN jks_status jks_store_add_ca_bundle(jks_store *st, const jks_bytes *certs, size_t n,
                                              int64_t created_ms, jks_bundle_item *items,
                                              jks_error *err);

/* Read inputs parts[0..n) as one store (jkstool convert key.pem chain.pem
 * out.jks): one part is read as jks_store_read reads it; several must each
 * be PEM text (JKS_ERR_USAGE naming the first that is not, its index in
 * *bad_part, may be NULL) and are read as one PEM file, so that a key in one
 * is paired with its certificate and chain in the others. Options as
 * jks_store_read's (the format is PEM for several). */
JKS_EXTERN jks_status jks_store_read_parts(const jks_bytes *parts, size_t n,
                                           const jks_read_opts *opts, size_t *bad_part,
                                           jks_store **out, jks_error *err);

/* ---- signing a certificate request with a CA entry (ops/gencert.c) ---- */

typedef enum {
    JKS_GENCERT_DER = 0,       /* DER certificates one after the other (keytool -gencert) */
    JKS_GENCERT_PEM,           /* "CERTIFICATE" PEM blocks, 64-column lines, LF */
    JKS_GENCERT_PEM_KEYTOOL,   /* keytool -gencert -rfc byte for byte (CRLF between the
                                * base64 lines, LF elsewhere) */
} jks_gencert_output;

typedef struct {
    unsigned version;          /* JKS_GENCERT_OPTS_VERSION */
    const char *dname;         /* subject (keytool -dname syntax); NULL: the request's */
    const char *sigalg;        /* Java name; NULL: keytool 17's default for the CA key */
    const char *const *exts;   /* keytool -ext values (jks_gen_params syntax), and
                                * "honored=all,NAME,-NAME,NAME:critical,NAME:non-critical"
                                * to copy extensions the request asks for */
    size_t n_exts;
    uint32_t validity_days;    /* 0 = 90 */
    int64_t not_before;        /* seconds since the epoch; 0 = now */
    jks_gencert_output output;
    int cert_only;             /* leave out the CA's chain keytool writes after the new one */
    int allow_non_ca;          /* sign even when the CA certificate says it is no CA */
} jks_gencert_opts;
#define JKS_GENCERT_OPTS_VERSION 1
#define JKS_GENCERT_OPTS_INIT {JKS_GENCERT_OPTS_VERSION, NULL, NULL, NULL, 0, 0, 0, \
                               JKS_GENCERT_DER, 0, 0}

typedef enum {
    JKS_GENCERT_IS_CA = 0,     /* basicConstraints cA true (keyUsage, if any, has keyCertSign),
                                * or a version 1 certificate */
    JKS_GENCERT_CA_UNMARKED,   /* v3 without basicConstraints (keytool -genkeypair without
                                * -ext bc): Java takes it as a trust anchor; OpenSSL and
                                * PKIX path checks as an intermediate do not */
    JKS_GENCERT_NOT_CA,        /* basicConstraints cA false, or keyUsage without keyCertSign */
} jks_gencert_ca;

typedef struct {
    jks_gencert_ca ca;         /* what the signing entry's certificate says of itself */
    size_t n_certs;            /* certificates written: the new one, then (unless
                                * cert_only) the CA chain's certificates that are not
                                * self-signed, in chain order, as keytool does */
    jks_cert_info cert;        /* facts of the new certificate (on success) */
} jks_gencert_result;

/* Sign the PKCS#10 request csr (DER, or PEM as keytool reads it: any
 * "-----BEGIN ...REQUEST-----" block) with private key entry index of st, as
 * keytool -gencert does: the request's signature must verify; issuer = the
 * subject of the entry's certificate; subject and public key from the
 * request (subject: opts->dname when set); random positive 64-bit serial;
 * validity as opts says; extensions: those opts->exts name (the request's
 * only through "honored=..."), the SubjectKeyIdentifier of the new key and an
 * AuthorityKeyIdentifier (the CA's SubjectKeyIdentifier, else the SHA-1 of
 * its key), in OID order as Java encodes them; signed with opts->sigalg or
 * the CA key's default. *out (free with jks_buffer_free) holds the new
 * certificate and, unless opts->cert_only, the CA chain keytool appends, in
 * opts->output's form. res (may be NULL) says what the CA certificate is and
 * describes the result. NULL opts = JKS_GENCERT_OPTS_INIT. Returns JKS_OK;
 * JKS_ERR_USAGE for no such entry, an entry that is no private key, a CA
 * certificate that is JKS_GENCERT_NOT_CA (unless opts->allow_non_ca), a bad
 * dname, ext or sigalg; JKS_ERR_PASSWORD when the key is not decrypted;
 * JKS_ERR_FORMAT for a request that does not parse or whose signature does
 * not verify. */
JKS_EXTERN jks_status jks_store_gencert(const jks_store *st, size_t index, const uint8_t *csr,
                                        size_t csr_len, const jks_gencert_opts *opts,
                                        jks_gencert_result *res, uint8_t **out, size_t *out_len,
                                        jks_error *err);

/* ---- which key Java's key managers send (ops/keychoice.c) ---- */

typedef enum {
    JKS_KM_SUNX509 = 0, /* KeyManagerFactory "SunX509", the JDK default */
    JKS_KM_PKIX = 1,    /* "PKIX" / "NewSunX509" (X509KeyManagerImpl) */
} jks_key_manager;

/* X509KeyManagerImpl's CheckResult for a client certificate, best first. */
typedef enum {
    JKS_KEY_FIT_OK = 0,
    JKS_KEY_FIT_INSENSITIVE,        /* (server SNI only; never for a client) */
    JKS_KEY_FIT_EXPIRED,            /* outside its validity at opts->now */
    JKS_KEY_FIT_EXTENSION_MISMATCH, /* EKU without clientAuth/any, or keyUsage
                                     * without digitalSignature (RSA, EC, DSA) */
} jks_key_fit;

typedef struct {
    unsigned version;              /* JKS_KEY_CHOICE_OPTS_VERSION */
    const char *const *key_types;  /* Java key algorithms in the order asked ("RSA", "EC",
                                    * "DSA", "RSASSA-PSS", "EdDSA"); NULL: {"RSA", "EC"} */
    size_t n_key_types;
    const jks_bytes *issuers;      /* DER Names the server accepts; none: any issuer */
    size_t n_issuers;
    int64_t now;                   /* seconds since the epoch for validity; 0: the clock */
} jks_key_choice_opts;
#define JKS_KEY_CHOICE_OPTS_VERSION 1
#define JKS_KEY_CHOICE_OPTS_INIT {JKS_KEY_CHOICE_OPTS_VERSION, NULL, 0, NULL, 0, 0}

typedef struct {
    size_t sunx509;         /* entry index SunX509KeyManagerImpl returns, SIZE_MAX for none */
    size_t pkix;            /* entry index X509KeyManagerImpl returns, SIZE_MAX for none */
    jks_key_fit pkix_fit;   /* its check result (when pkix is an index) */
    size_t qualifying;      /* key entries of an asked type with an accepted issuer */
    int order_exact;        /* 0 when Java's order could not be modelled (a HashMap bin
                             * turned into a tree: 9+ aliases in one bucket) */
} jks_key_choice;

/* What chooseClientAlias(key_types, issuers, null) returns for a key manager
 * made from st, for both default key managers, computed from the order in
 * which Java holds the aliases (jks_store_java_alias_order): SunX509 copies
 * the key entries into a HashMap (String.hashCode, spread h ^ h >>> 16,
 * power-of-two tables grown at 3/4) and takes, key type by key type, the
 * first whose leaf key has that type and whose chain has a certificate issued
 * by an accepted name; no validity or extension check. PKIX walks the
 * keystore's aliases, returns the first match of the first key type that is
 * valid with fitting extensions, else the best by (jks_key_fit, key type
 * rank) - the JDK 17 rules. Names compare as X500Principal does (canonical).
 * Certificates that do not decode are skipped. NULL opts =
 * JKS_KEY_CHOICE_OPTS_INIT. Returns JKS_OK, JKS_ERR_USAGE for an issuer that
 * is no DER Name, JKS_ERR_IO when out of memory. */
JKS_EXTERN jks_status jks_client_key_choice(const jks_store *st, const jks_key_choice_opts *opts,
                                           jks_key_choice *out, jks_error *err);

/* The order of KeyStore.aliases() for st as Java loads it: JKS and JCEKS
 * keep entries in a java.util.Hashtable (capacity 11, load 0.75, rehash to
 * 2n+1, new entries at the head of their chain, enumerated from the last
 * bucket down), PKCS#12 in a LinkedHashMap (file order); other formats
 * are given in store order. Writes entry indexes of the entries Java lists
 * (jks_entry_java_visible) to order (room for jks_store_count(st)) and their
 * number to *n. Returns JKS_OK or JKS_ERR_IO when out of memory. */
JKS_EXTERN jks_status jks_store_java_alias_order(const jks_store *st, size_t *order, size_t *n,
                                                jks_error *err);

/* ---- a JDK release's TLS client defaults (ops/jdkprofile.c) ---- */

typedef struct {
    int version;                      /* 17, 21 or 25 */
    const char *tls_disabled;         /* jdk.tls.disabledAlgorithms as the release ships it */
    const char *certpath_disabled;    /* jdk.certpath.disabledAlgorithms */
    const char *const *cipher_suites; /* the client's enabled suites, IANA names, Java's order */
    size_t n_cipher_suites;
    int rsa_min_bits, dsa_min_bits, ec_min_bits; /* certificate keys below are disabled */
    int dh_min_bits;                  /* (EC)DHE: "DH keySize < N" of jdk.tls.disabledAlgorithms */
    int sha1_handshake_signatures;    /* rsa_pkcs1_sha1, ecdsa_sha1, dsa_sha1 offered */
    const char *const *protocols;     /* the client's enabled protocols, Java's order
                                       * ("TLSv1.3", "TLSv1.2"), as keytool -showinfo -tls
                                       * lists them */
    size_t n_protocols;
    int renegotiation_scsv;           /* Java's enabled suites end with
                                       * TLS_EMPTY_RENEGOTIATION_INFO_SCSV (no cipher: not in
                                       * cipher_suites) */
} jks_jdk_profile;

/* The defaults of JDK 17, 21 or 25 (what java.security and SSLContext.getDefault()
 * of that release hold), or NULL for another version. Static, never freed. */
JKS_EXTERN const jks_jdk_profile *jks_jdk_profile_get(int version);

/* 1 when profile p's jdk.certpath.disabledAlgorithms reject the DER certificate
 * of a TLS server chain (its key size; an MD2/MD5 signature; a SHA-1 signature
 * when the chain ends at a root of the JDK's own cacerts, jdk_ca_anchored),
 * with the constraint that matched in why; 0 when allowed or not decodable. */
JKS_EXTERN int jks_jdk_cert_disabled(const jks_jdk_profile *p, const uint8_t *der, size_t len,
                                     int jdk_ca_anchored, char *why, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
