/* libjks: read, write, convert and validate Java keystores without Java.
 *
 * The public API, version 1. Every format (JKS, JCEKS, PKCS#12, PEM/DER)
 * decodes into one format-neutral model, a jks_store holding jks_entry
 * values, and encodes back from it. Byte layouts follow shared/FORMATS.md.
 *
 * Conventions, for every header under <jks/>:
 *  - Symbols. Everything declared with JKS_EXTERN is the ABI, and nothing
 *    else is exported from libjks.so (hidden visibility and a version script;
 *    tests/abi.sh compares the two lists). Internal names never clash with a
 *    caller's own.
 *  - Errors. Each call returns a jks_status and, on failure, fills the
 *    caller's jks_error (when not NULL): a status class, the byte offset and
 *    entry alias where known, and a one-line message in library terms (it
 *    never names a command-line option). The library prints nothing and
 *    never exits.
 *  - Ownership. Views (jks_bytes, const char *) returned by accessors are
 *    borrowed from the store and valid until jks_store_free or until the
 *    entry is removed. Buffers the library allocates for the caller are freed
 *    with jks_free, which wipes them first; never with free().
 *  - Options. Option structs start with an `unsigned int version` field; set
 *    them up with their JKS_..._OPTS_INIT macro. A zeroed struct (version 0)
 *    is taken as version 1; a NULL options pointer means the defaults
 *    documented with the function.
 *  - Arguments. No call faults on NULL pointers or zero lengths: a call
 *    that cannot work without them returns JKS_ERR_USAGE (err may itself be
 *    NULL: the status is then the only report); accessors given a NULL store
 *    or entry, or an index out of range, give the empty answer (0, NULL, an
 *    empty jks_bytes, "", JKS_FORMAT_UNKNOWN, JKS_INTEGRITY_NOT_CHECKED); free
 *    functions accept NULL. tests/unit/test_null_args.c calls every function
 *    so.
 *  - Threads. See "Threading" below: the library keeps no process-wide
 *    mutable state of its own and never changes OpenSSL's default library
 *    context. */
#ifndef JKS_H
#define JKS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define JKS_VERSION_STRING "2.0.0"

/* Marks the functions of the public ABI (exported from libjks.so). */
#ifndef JKS_EXTERN
#if defined(__GNUC__) || defined(__clang__)
#define JKS_EXTERN __attribute__((visibility("default")))
#else
#define JKS_EXTERN
#endif
#endif

/* What went wrong, as a class. The values are stable ABI; jkstool maps each
 * class to its exit code (README "Exit codes": the same numbers). 1 is not
 * used: it is jkstool's "the check found errors", which is no library
 * failure (jks_check_run reports findings as data). */
typedef enum {
    JKS_OK = 0,
    JKS_ERR_USAGE = 2,    /* bad arguments, or a conversion that would lose data */
    JKS_ERR_PASSWORD = 3, /* wrong password, failed integrity, unrecoverable key */
    JKS_ERR_FORMAT = 4,   /* malformed, truncated, corrupt or unsupported input */
    JKS_ERR_IO = 5,       /* file system or memory failure */
} jks_status;

/* One error per call: the deepest failure fills it; callers may add the alias.
 * offset is the byte offset in the input, or -1 when it does not apply. */
typedef struct {
    jks_status status;
    long long offset;
    char alias[128];
    char msg[256];
} jks_error;

/* Clear an error to "no error". */
JKS_EXTERN void jks_error_clear(jks_error *err);

/* Format one line "entry "alias" at byte N: msg" (parts omitted when unknown)
 * into buf; returns buf. */
JKS_EXTERN const char *jks_error_format(const jks_error *err, char *buf, size_t buflen);

typedef enum {
    JKS_FORMAT_UNKNOWN = 0,
    JKS_FORMAT_JKS,
    JKS_FORMAT_JCEKS,
    JKS_FORMAT_PKCS12,
    JKS_FORMAT_PEM,  /* PEM text or a single DER certificate / key */
    JKS_FORMAT_BKS,  /* BouncyCastle BKS (version 1 or 2) */
    JKS_FORMAT_UBER, /* BouncyCastle UBER (BKS encrypted whole) */
    JKS_FORMAT_BCFKS, /* BouncyCastle FIPS keystore */
} jks_format;

/* "jks", "jceks", "pkcs12", "pem", "bks", "uber", "bcfks" (or "unknown"). */
JKS_EXTERN const char *jks_format_name(jks_format f);
/* Parse such a name (also "p12", "pfx", "der"); JKS_FORMAT_UNKNOWN when none. */
JKS_EXTERN jks_format jks_format_from_name(const char *name);
/* 1 when Java names this format's entries by their lower-cased alias (JKS,
 * JCEKS, PKCS#12 and PEM, which becomes one of them), 0 when it keeps the
 * stored spelling (BouncyCastle's BKS, UBER and BCFKS). */
JKS_EXTERN int jks_format_java_lowercases(jks_format f);
/* Guess the format from the first bytes of a file (magic numbers, PEM, DER). */
JKS_EXTERN jks_format jks_format_sniff(const uint8_t *data, size_t len);

typedef enum {
    JKS_ENTRY_PRIVATE_KEY = 1,
    JKS_ENTRY_TRUSTED_CERT = 2,
    JKS_ENTRY_SECRET_KEY = 3,
} jks_entry_kind;

/* "private-key", "trusted-cert", "secret-key". */
JKS_EXTERN const char *jks_entry_kind_name(jks_entry_kind k);

typedef enum {
    JKS_INTEGRITY_NOT_CHECKED = 0, /* no password given, or no MAC in the file */
    JKS_INTEGRITY_VERIFIED = 1,
} jks_integrity;

/* State of a private or secret key of an entry. */
typedef enum {
    JKS_KEY_ENCRYPTED = 0,   /* not tried (no password given) */
    JKS_KEY_DECRYPTED = 1,   /* plaintext available */
    JKS_KEY_WRONG_PASSWORD = 2, /* every password tried failed */
    JKS_KEY_UNSUPPORTED = 3, /* protection algorithm not supported */
} jks_key_state;

/* How a key is protected inside its container. */
typedef enum {
    JKS_PROT_NONE = 0,          /* plaintext (PEM, or built in memory) */
    JKS_PROT_JKS = 1,           /* Sun KeyProtector 1.3.6.1.4.1.42.2.17.1.1 */
    JKS_PROT_JCEKS_3DES = 2,    /* PBEWithMD5AndTripleDES 1.3.6.1.4.1.42.2.19.1 */
    JKS_PROT_PKCS12 = 3,        /* PKCS#12 shrouded key bag (PBES1/PBES2) */
    JKS_PROT_PKCS8_PBES2 = 4,   /* PEM ENCRYPTED PRIVATE KEY */
    JKS_PROT_BKS_3DES = 5,      /* BKS sealed key: PBEWithSHAAnd3-KeyTripleDES-CBC */
    JKS_PROT_BCFKS = 6,         /* BCFKS key: PBES2, PBKDF2-HMAC-SHA512, AES-256 CCM/KWP */
} jks_protection;

typedef struct jks_store jks_store;
typedef struct jks_entry jks_entry;

/* A borrowed view of bytes owned by the store (valid until jks_store_free). */
typedef struct {
    const uint8_t *data;
    size_t len;
} jks_bytes;

/* Threading. The library keeps no global mutable state of its own (one-time
 * initialisation runs under pthread_once; per-thread scratch buffers are
 * thread-local), and OpenSSL 3 is thread-safe, so:
 *  - distinct stores may be used from distinct threads at once, every call
 *    included (reading, writing, editing, checking);
 *  - one store may be shared by threads at once as long as every call they
 *    make takes it as const (jks_store_count, _entry, _find, the jks_entry_*
 *    accessors, jks_store_write, the jks/source.h and jks/check.h readers):
 *    these never modify the store, no cache is filled behind a const pointer;
 *  - a call that takes a non-const jks_store * (add, remove, set or forget,
 *    jks_store_release_memory, jks_store_free) must not overlap any other
 *    call on that store: the caller serialises them (a mutex, or a
 *    reader-writer lock with these as writers).
 * Calls on no store (jks_cert_info_get, jks_key_info_get, generation, ...)
 * may run in any thread at any time. tests/unit/test_threads.c proves the
 * first two points under ThreadSanitizer (make tsan-check). */

/* Options for reading. Passwords are UTF-8 C strings; NULL means "none given".
 * keypasses are tried on each key first, then storepass. force_format
 * overrides sniffing when not JKS_FORMAT_UNKNOWN. */
typedef struct {
    unsigned int version;    /* JKS_READ_OPTS_VERSION (0 is taken as 1) */
    const char *storepass;
    const char *const *keypasses;
    size_t n_keypasses;
    jks_format force_format;
    int no_decrypt;   /* do not try to decrypt keys at all */
    uint32_t max_iterations; /* PBE iteration cap; 0 = default 5,000,000 */
    unsigned flags;   /* JKS_READ_* bits; 0 = the defaults */
    /* version 2: the key-derivation work one read may do with the passwords
     * given, summed over the MAC, every encrypted safe and every key tried
     * with every password, in units of one PBKDF2-HMAC-SHA256 iteration per
     * 32-byte output block (SHA-384/512 PRFs count 2 per block of their size;
     * PKCS#12 and JCEKS PBEs count per block they derive). Beyond it the read
     * fails with JKS_ERR_FORMAT before doing that work. Keys no password is
     * given for cost nothing. 0 = JKS_DEFAULT_MAX_WORK. */
    uint64_t max_work;
} jks_read_opts;

#define JKS_DEFAULT_MAX_WORK 20000000u
#define JKS_READ_OPTS_VERSION 2
#define JKS_READ_OPTS_INIT {.version = JKS_READ_OPTS_VERSION}

/* jks_store_read_file: decode a JKS or JCEKS file from a read-only mapping
 * instead of reading it into memory first. Each entry's bytes (certificates,
 * protected key) are copied into the store as the parser reaches them and
 * the pages behind are handed back, so the peak memory is what the store
 * keeps plus a few MiB, not that plus the whole file. The mapping is gone
 * when the call returns: the store owns every byte as after a default read,
 * and a later truncation or rewrite of the file changes nothing. During the
 * call the file must not be truncated (a process that does so may make the
 * caller fault, SIGBUS); a change of size or modification time seen when
 * the parse ends fails the read with JKS_ERR_IO. Other formats (PKCS#12,
 * PEM/DER) and files that cannot be mapped (pipes, devices) are read as
 * without the flag. Ignored by jks_store_read. */
#define JKS_READ_LOW_MEMORY 0x1u

/* Decode a keystore from data/len (copied once; the store owns its copy).
 * On success *out receives a new store (free with jks_store_free). Keys that
 * do not open with any password stay listed with state WRONG_PASSWORD; this is
 * not a failure of the read. A wrong store password or failed integrity
 * returns JKS_ERR_PASSWORD; malformed bytes JKS_ERR_FORMAT. */
JKS_EXTERN jks_status jks_store_read(const uint8_t *data, size_t len, const jks_read_opts *opts,
                          jks_store **out, jks_error *err);

/* As jks_store_read, from a file: read into memory the store owns (see
 * JKS_READ_LOW_MEMORY for a mapped read), so the store does not depend on the
 * file once this returns. At most JKS_MAX_FILE_SIZE bytes: a larger regular
 * file is refused before reading, a pipe or device as soon as one byte more
 * arrives (JKS_ERR_FORMAT, "file too large"). */
#define JKS_MAX_FILE_SIZE ((size_t)1 << 30)
JKS_EXTERN jks_status jks_store_read_file(const char *path, const jks_read_opts *opts,
                               jks_store **out, jks_error *err);

/* Visiting a very large store without holding it: jks_store_visit_file
 * calls fn once for each entry the store would list, in the order
 * jks_store_read_file would list them (index 0..total-1). facts answers the
 * store accessors (format, version, integrity) and holds only the entry being
 * visited; facts and e are valid during the call only. Keys are decrypted as
 * a read would (opts->no_decrypt leaves them). After the last entry (for an
 * empty store: instead of any) fn is called once more with e NULL and index
 * equal to total, so that the facts are seen even without entries. Return 0
 * to go on, non-zero to stop (the visit then returns JKS_OK). */
typedef int (*jks_entry_visitor)(const jks_store *facts, const jks_entry *e, size_t index,
                                 size_t total, void *ctx);

/* Read path entry by entry. A JKS or JCEKS regular file over 8 MiB (any size
 * with JKS_READ_LOW_MEMORY in opts->flags) is read twice through
 * a window of about 1 MiB (pread, no mapping): the first pass checks the
 * whole structure and the integrity digest, the second hands each entry to
 * fn and drops it, so the memory is the window plus the largest entry plus
 * 24 bytes an entry, whatever the file's size. Every error jks_store_read_file
 * would return (a wrong password, a malformed or cut file) is returned before
 * fn is called once. A file changed between or during the passes gives
 * JKS_ERR_IO (possibly after some entries were visited); it can never fault
 * the caller. Smaller files, other formats and other files (pipes, devices)
 * are read whole with jks_store_read_file and then visited. */
JKS_EXTERN jks_status jks_store_visit_file(const char *path, const jks_read_opts *opts,
                                           jks_entry_visitor fn, void *ctx, jks_error *err);

/* Kept for compatibility: a store no longer holds a file mapping after its
 * read returns (JKS_READ_LOW_MEMORY releases pages while decoding), so this
 * does nothing. NULL is accepted. */
JKS_EXTERN void jks_store_release_memory(jks_store *st);

/* Free a store and wipe every secret it holds. NULL is accepted. */
JKS_EXTERN void jks_store_free(jks_store *st);

/* A new, empty store of the given format (JKS, version 2, by default). */
JKS_EXTERN jks_store *jks_store_new(jks_format f);

JKS_EXTERN jks_format jks_store_format(const jks_store *st);
JKS_EXTERN uint32_t jks_store_version(const jks_store *st);
JKS_EXTERN jks_integrity jks_store_integrity(const jks_store *st);
JKS_EXTERN size_t jks_store_count(const jks_store *st);
/* Entry i in file order (NULL when out of range). Borrowed. */
JKS_EXTERN const jks_entry *jks_store_entry(const jks_store *st, size_t i);
/* Remove entry i (freed, its secrets wiped), keeping the order of the rest;
 * out-of-range i is ignored. Pointers to that entry become invalid. */
JKS_EXTERN void jks_store_remove(jks_store *st, size_t i);
/* Find an entry by alias as Java does: the exact spelling first, then the
 * entry whose alias equals alias once both are lower-cased as Java does
 * (String.toLowerCase(Locale.ENGLISH), jks_alias_java_lower). */
JKS_EXTERN const jks_entry *jks_store_find(const jks_store *st, const char *alias);

JKS_EXTERN jks_entry_kind jks_entry_kind_of(const jks_entry *e);
/* Alias as UTF-8 (decoded from Java's modified UTF-8 for JKS/JCEKS). */
JKS_EXTERN const char *jks_entry_alias(const jks_entry *e);
/* Creation time in ms since the epoch; returns 0 when the entry has none. */
JKS_EXTERN int jks_entry_created(const jks_entry *e, int64_t *ms);
/* Number of certificates: the chain (leaf first) of a private key, 1 for a
 * trusted certificate, 0 for a secret key. */
JKS_EXTERN size_t jks_entry_chain_len(const jks_entry *e);
/* DER bytes of certificate i (borrowed). */
JKS_EXTERN jks_bytes jks_entry_cert(const jks_entry *e, size_t i);
JKS_EXTERN jks_key_state jks_entry_key_state(const jks_entry *e);
JKS_EXTERN jks_protection jks_entry_protection(const jks_entry *e);
/* Decrypted PKCS#8 PrivateKeyInfo (len 0 unless state is DECRYPTED). */
JKS_EXTERN jks_bytes jks_entry_pkcs8(const jks_entry *e);
/* Protected key bytes as stored (EncryptedPrivateKeyInfo, or the JCEKS
 * serialized SealedObject for a secret key); len 0 when none. */
JKS_EXTERN jks_bytes jks_entry_protected_key(const jks_entry *e);
/* Secret key algorithm ("AES", "DESede", "HmacSHA256", ...) or NULL; bytes
 * when decrypted. */
JKS_EXTERN const char *jks_entry_secret_algorithm(const jks_entry *e);
JKS_EXTERN jks_bytes jks_entry_secret(const jks_entry *e);
/* 0 when Java's KeyStore would not show this entry (a PKCS#12 certificate
 * bag outside any chain and without Java's trust attribute, FORMATS.md 4.4,
 * or a private key in an unencrypted PKCS#12 keyBag, which Java skips);
 * 1 otherwise. */
JKS_EXTERN int jks_entry_java_visible(const jks_entry *e);
/* Index of the password that opened the key: 0..n_keypasses-1 for a keypass,
 * n_keypasses for the store password, -1 when not decrypted or no password
 * was needed. */
JKS_EXTERN int jks_entry_password_index(const jks_entry *e);

/* ---- certificate and key facts (decoded on demand, never cached) ---- */

typedef struct {
    char sha256[65];       /* SHA-256 of the DER certificate, lowercase hex */
    char sha1[41];
    char spki_sha256[65];  /* SHA-256 of the DER SubjectPublicKeyInfo */
    char subject[512];     /* RFC 2253 order, ", " separated, UTF-8 (keytool style) */
    char issuer[512];
    char serial[132];      /* lowercase hex */
    int64_t not_before;    /* seconds since the epoch */
    int64_t not_after;
    char key_algorithm[16]; /* RSA, EC, DSA, Ed25519, ... */
    int key_bits;
    char sig_algorithm[64]; /* e.g. sha256WithRSAEncryption */
    int self_issued;       /* subject == issuer */
    int self_signed;       /* self-issued and its signature verifies with its own key */
    int is_ca;             /* basicConstraints cA */
    int has_eku;           /* an extendedKeyUsage extension is present */
    int eku_client_auth;   /* EKU allows TLS client auth (or anyExtendedKeyUsage) */
    int eku_server_auth;
    char md_name[32];      /* signature hash: sha256, sha1, md5, ... */
    /* ---- added with the DER fact reader (jks_cert_facts_get) ---- */
    int version;           /* 1, 2 or 3 */
    int self_signed_known; /* 1 when self_signed was computed (jks_cert_info_get);
                              0 from jks_cert_facts_get, which verifies nothing */
    char key_curve[32];    /* EC named curve short name (prime256v1, ...), else "" */
    int has_basic_constraints;
    int basic_ca;          /* basicConstraints cA as encoded (is_ca also needs keyCertSign) */
    int path_len;          /* basicConstraints pathLenConstraint, -1 when absent */
    int has_key_usage;
    unsigned key_usage;    /* KeyUsage bit n (RFC 5280 numbering) at 1 << n:
                              digitalSignature = 1, keyCertSign = 1 << 5, ... */
    char eku[256];         /* extendedKeyUsage purposes, ", " separated short names
                              (serverAuth, clientAuth, ...) or dotted OIDs; "" when absent */
    char san[1024];        /* subjectAltName entries, each ended by '\n', OpenSSL
                              style ("DNS:x", "IP Address:10.0.0.1", "email:x", "URI:x",
                              "DirName:...", "othername:...", "Registered ID:..."); control
                              characters in values shown as '?'; "" when absent */
    char ski[65];          /* subjectKeyIdentifier, lowercase hex ("" when absent; truncated to 32 bytes) */
    char aki[65];          /* authorityKeyIdentifier keyIdentifier, likewise */
} jks_cert_info;

/* Decode a DER certificate into info. JKS_ERR_FORMAT when it does not parse.
 * self_signed is computed (the signature of a self-issued certificate is
 * verified): use jks_cert_facts_get when only the facts are needed. */
JKS_EXTERN jks_status jks_cert_info_get(const uint8_t *der, size_t len, jks_cert_info *info);

/* The facts of a DER certificate read in one pass by libjks's own DER reader
 * (no OpenSSL X.509 object; rare encodings it does not take fall back to
 * OpenSSL with the same result). Verifies no signature: self_signed is 0 and
 * self_signed_known 0. JKS_ERR_FORMAT when it does not parse. */
JKS_EXTERN jks_status jks_cert_facts_get(const uint8_t *der, size_t len, jks_cert_info *info);

/* Flags of jks_cert_facts_get_ex. */
#define JKS_FACTS_NO_FINGERPRINTS 0x1u /* leave sha1, sha256 and spki_sha256 empty: for
                                           callers that show no fingerprint (hashing the
                                           certificate twice is most of the cost of its facts) */

/* jks_cert_facts_get with flags (0: the same answer). JKS_ERR_USAGE for an
 * unknown flag. */
JKS_EXTERN jks_status jks_cert_facts_get_ex(const uint8_t *der, size_t len, unsigned flags,
                                            jks_cert_info *info);

/* The fingerprints of a DER certificate on demand, as jks_cert_facts_get
 * fills them: SHA-1 and SHA-256 of the bytes, lowercase hex (either pointer
 * may be NULL). Parses nothing. */
JKS_EXTERN jks_status jks_cert_fingerprints(const uint8_t *der, size_t len, char sha1[41], char sha256[65]);

typedef struct {
    char algorithm[16];    /* as Java's Key.getAlgorithm: RSA, EC, DSA, EdDSA, XDH, ... */
    int bits;
    char curve[32];        /* EC: the curve's short name; EdDSA: Ed25519 or Ed448;
                            * XDH: X25519 or X448 (from the key's OID); else "" */
    char spki_sha256[65];  /* SHA-256 of the public key derived from the private key */
} jks_key_info;

/* Decode a PKCS#8 PrivateKeyInfo and derive its public key. JKS_ERR_FORMAT
 * when it cannot; for a post-quantum key the OpenSSL in use does not
 * support (ML-DSA, ML-KEM, SLH-DSA made by Java 24 and later, OpenSSL before
 * 3.5) algorithm and curve still name it ("ML-DSA" and "ML-DSA-65", as
 * Java's Key.getAlgorithm and keytool do), bits is 0 and spki_sha256 empty. */
JKS_EXTERN jks_status jks_key_info_get(const uint8_t *pkcs8, size_t len, jks_key_info *info);

/* Check that a DER certificate was issued by another one (names match and
 * the signature verifies with issuer's key): 1 yes, 0 no. */
JKS_EXTERN int jks_cert_issued_by(const uint8_t *der, size_t len, const uint8_t *issuer_der,
                       size_t issuer_len);

/* Lowercase hex of the SHA-256 of data (out: 65 bytes). */
JKS_EXTERN void jks_sha256_hex(const uint8_t *data, size_t len, char out[65]);

/* ---- building a store (used by PEM/PKCS#12 readers and by callers) ---- */

/* Append entries. Bytes are copied into the store. The alias must be unique
 * (returns JKS_ERR_USAGE otherwise). pkcs8 is a plaintext PrivateKeyInfo;
 * certs[0] is the leaf. created_ms < 0 means "no creation time". */
JKS_EXTERN jks_status jks_store_add_private_key(jks_store *st, const char *alias, int64_t created_ms,
                                     const uint8_t *pkcs8, size_t pkcs8_len,
                                     const jks_bytes *certs, size_t n_certs, jks_error *err);
JKS_EXTERN jks_status jks_store_add_trusted_cert(jks_store *st, const char *alias, int64_t created_ms,
                                      const uint8_t *der, size_t der_len, jks_error *err);
JKS_EXTERN jks_status jks_store_add_secret_key(jks_store *st, const char *alias, int64_t created_ms,
                                    const char *algorithm, const uint8_t *key, size_t key_len,
                                    jks_error *err);

/* ---- writing ---- */

typedef enum {
    JKS_P12_MODERN = 0, /* JDK 17+: PBES2 AES-256-CBC, PBKDF2-HMAC-SHA256, HMAC-SHA256 MAC */
    JKS_P12_LEGACY = 1, /* JDK 8: PBE-SHA1-3DES keys, RC2-40 certs, SHA-1 MAC */
} jks_p12_algorithms;

/* Options for writing. storepass protects the store; keypass (default:
 * storepass) protects each key. keep_encryption re-uses the stored protected
 * bytes of every key the output format can hold as they are
 * (jks_entry_protection_reusable, jks/source.h), decrypted or not: byte-
 * identical round trips, PKCS#12 included. A key whose password changes is
 * first handed to jks_store_forget_protection. Other keys must be decrypted;
 * an undecrypted one fails the write with JKS_ERR_PASSWORD naming it. */
typedef struct {
    unsigned int version;    /* JKS_WRITE_OPTS_VERSION (0 is taken as 1) */
    jks_format format;
    const char *storepass;
    const char *keypass;
    int keep_encryption;
    jks_p12_algorithms p12_algorithms;
    int pem_encrypt_keys; /* PEM: write ENCRYPTED PRIVATE KEY with keypass */
    int pem_no_comments;  /* PEM: leave out the "# jkstool:" line before each entry */
    /* version 2: */
    int pem_certs_only;   /* PEM: certificates only (each key entry's chain, each
                           * trusted certificate); keys and secret keys left out, so
                           * nothing needs decrypting. What a .cer/.crt file holds. */
} jks_write_opts;

#define JKS_WRITE_OPTS_VERSION 2
#define JKS_WRITE_OPTS_INIT {.version = JKS_WRITE_OPTS_VERSION}

/* Encode the store into a new malloc'd buffer (*out, *out_len; free with
 * jks_free, which wipes it). */
JKS_EXTERN jks_status jks_store_write(const jks_store *st, const jks_write_opts *opts,
                           uint8_t **out, size_t *out_len, jks_error *err);

/* Free any buffer or string the library allocated for the caller (outputs of
 * jks_store_write, jks_file_read, jks_pem_armor, jks_key_generate,
 * jks_cert_self_signed, jks_csr_create, jks_alias_java_lower, ...), wiping
 * the whole allocation first. NULL is accepted. The one deallocator for
 * library memory: never pass such memory to free(). */
JKS_EXTERN void jks_free(void *p);
/* For applications, once, before anything else uses OpenSSL: make every
 * OpenSSL allocation wiped when it is freed (CRYPTO_set_mem_functions with
 * malloc, a copying realloc and jks_free). OpenSSL 3.0's key decoders free
 * their copies of a private key's bytes without wiping them, and libjks
 * cannot reach those copies; this does. It changes process-wide state, so
 * the library never calls it itself (jkstool does, first thing). Returns 1
 * when installed, 0 when OpenSSL has already allocated memory. */
JKS_EXTERN int jks_openssl_wipe_on_free(void);

/* The same as jks_free(buf) (len is not needed; kept for version-0 callers). */
JKS_EXTERN void jks_buffer_free(uint8_t *buf, size_t len);

/* Write bytes to path as users expect. A regular file is replaced
 * atomically: the content goes to an unnamed temporary file in the same
 * directory (O_TMPFILE; where the file system lacks it, ".jkstool-PID-*",
 * which the next write there removes once PID is gone), is fsynced, then
 * named, so a kill leaves the old file or the new one, nothing else. An
 * existing file keeps its owner, group and mode; a hard-linked one, one whose
 * owner cannot be kept, or one in a directory that is not writable, is
 * written in place once the content is complete. A symbolic link is followed
 * (a dangling one is refused); devices, FIFOs, sockets and /dev/fd/N,
 * /dev/stdout, /dev/stderr are written in place, never replaced; a directory
 * or a file we may not write is refused (JKS_ERR_IO). A new file gets mode
 * less the umask when mode gives others any bits (0600 stays 0600). An
 * existing file without overwrite, also one created by someone else while
 * we wrote, is JKS_ERR_USAGE "output file exists (not replaced)". */
JKS_EXTERN jks_status jks_file_write_atomic(const char *path, const uint8_t *data, size_t len,
                                 unsigned mode, int overwrite, jks_error *err);

/* 1 when jks_file_write_atomic(path, ...) would replace an existing file
 * (a regular file, or a symbolic link to one), so that overwrite matters; 0
 * for a new path, a device, FIFO or /dev/fd/N (written in place). */
JKS_EXTERN int jks_file_would_replace(const char *path);

/* One file of a set (jks_file_write_set): a plain name (no '/'), its bytes
 * and its mode (0600 for keys; others less the umask). */
typedef struct {
    const char *name;
    const uint8_t *data;
    size_t len;
    unsigned mode;
} jks_file_part;

/* Write n files into directory dir all or nothing: they are written and
 * fsynced in a new directory beside dir first, which then becomes dir (dir
 * did not exist) or whose files are renamed into dir. A full disk or a kill
 * leaves dir as it was. Existing files are refused (JKS_ERR_USAGE) unless
 * overwrite is set. */
JKS_EXTERN jks_status jks_file_write_set(const char *dir, const jks_file_part *parts, size_t n,
                                         int overwrite, jks_error *err);

/* Read a whole file into a new buffer (free with jks_free); limited to
 * JKS_MAX_FILE_SIZE. */
JKS_EXTERN jks_status jks_file_read(const char *path, uint8_t **out, size_t *out_len, jks_error *err);

/* Read descriptor fd (a pipe, standard input: "jkstool convert - out.jks")
 * to its end into a new buffer (free with jks_free), bytes as they are, at
 * most JKS_MAX_FILE_SIZE: one byte more fails with JKS_ERR_FORMAT ("file too large (more
 * than N bytes") as soon as it arrives. fd is not closed. */
JKS_EXTERN jks_status jks_fd_read(int fd, uint8_t **out, size_t *out_len, jks_error *err);


/* ---- generating keys, certificates and requests (jks/x509gen.c) ----
 * As keytool 17 does for -genkeypair and -certreq. Names (dname) use
 * keytool's -dname syntax: "CN=x, OU=y, O=z, C=US" (RFC 4514 order, most
 * specific first; encoded in reverse, so the string reads back unchanged),
 * escapes \, \+ \" \XX, quoted values, "+" for multi-valued RDNs. Values are
 * PrintableString when possible, else UTF8String; EMAILADDRESS and DC IA5String.
 * Extensions use keytool's -ext syntax, name[:critical][=value], names and
 * values abbreviated as keytool allows:
 *   san=dns:a.example,ip:10.0.0.1,email:x@y,uri:https://a/,oid:1.2.3  (ian too)
 *   eku=serverAuth,clientAuth,codeSigning,emailProtection,timeStamping,
 *       OCSPSigning,anyExtendedKeyUsage or dotted OIDs
 *   ku=digitalSignature,nonRepudiation,keyEncipherment,dataEncipherment,
 *      keyAgreement,keyCertSign,cRLSign,encipherOnly,decipherOnly
 *   bc=ca:true,pathlen:N | bc=N | bc (ca:true)
 *   aia=METHOD:TYPE:VALUE,... sia=... (METHOD ocsp, caIssuers, timeStamping,
 *       caRepository or an OID; TYPE:VALUE as san; never critical, as keytool)
 *   OID=HEX (keytool's raw extension: the hex digits, others skipped, are the
 *       extnValue; a repeated OID replaces, 2.5.29.14 replaces keytool's SKI)
 * Extensions are encoded in Java's order (by the OID's dotted text) with the
 * SubjectKeyIdentifier (SHA-1 of the public key bits) keytool always adds. */

typedef struct {
    unsigned int version;       /* JKS_GEN_PARAMS_VERSION (0 is taken as 1) */
    const char *dname;          /* subject; NULL for a request = the certificate's subject */
    const char *sigalg;         /* Java name (SHA256withRSA, SHA384withECDSA, Ed25519, ...);
                                   NULL = keytool 17's default for the key */
    const char *const *exts;    /* keytool -ext values */
    size_t n_exts;
    uint32_t validity_days;     /* certificates: days from not_before; 0 = 90 */
    int64_t not_before;         /* certificates: seconds since the epoch; 0 = now */
} jks_gen_params;

#define JKS_GEN_PARAMS_VERSION 1
#define JKS_GEN_PARAMS_INIT {.version = JKS_GEN_PARAMS_VERSION}

/* keytool's -startdate: "[+-]N{y,m,d,H,M,S}..." relative to now (seconds
 * since the epoch; 0 = the clock), applied left to right in the local time
 * zone as java.util.Calendar.add does (a month or year step keeps the day,
 * clamped to the month's last), or "yyyy/mm/dd HH:MM:SS", "yyyy/mm/dd"
 * (time of day kept from now) or "HH:MM:SS" (today), local time. *out gets
 * seconds since the epoch for jks_gen_params.not_before. JKS_ERR_USAGE for
 * any other text. */
JKS_EXTERN jks_status jks_startdate_parse(const char *s, int64_t now, int64_t *out, jks_error *err);

/* Generate a key pair. alg is "RSA", "RSASSA-PSS", "EC", "DSA", "Ed25519" (or
 * "EdDSA") or "Ed448" (case-insensitive; NULL = RSA). bits: RSA and RSASSA-PSS
 * modulus 512..16384 (an RSASSA-PSS key has no parameters, as keytool 17's),
 * EC 256, 384 or 521 (P-256/P-384/P-521), DSA as Java: 2048, 3072 or 512..1024
 * in steps of 64 (q 224, 256, 160 bits; "Invalid DSA Prime Size: N" otherwise),
 * 0 for keytool 17's default (RSA, RSASSA-PSS and DSA 2048, EC 256).
 * Bad arguments return JKS_ERR_USAGE before any work. On success *pkcs8 is a
 * new PKCS#8 PrivateKeyInfo (free with jks_free, which wipes it). */
JKS_EXTERN jks_status jks_key_generate(const char *alg, unsigned bits, uint8_t **pkcs8, size_t *pkcs8_len,
                            jks_error *err);

/* Check dname, exts and sigalg of p (and that sigalg fits a key of
 * algorithm keyalg, when not NULL) without a key: lets a caller refuse bad
 * arguments before generating a key. JKS_ERR_USAGE with a message naming the
 * bad part. */
JKS_EXTERN jks_status jks_gen_params_check(const jks_gen_params *p, const char *keyalg, jks_error *err);

/* keytool 17's default signature algorithm for a PKCS#8 key into out:
 * SHA256withRSA up to 3072 bits, SHA384withRSA up to 7680, else SHA512withRSA;
 * RSASSA-PSS for an RSASSA-PSS key; SHA256/384/512withECDSA for
 * P-256/P-384/P-521; SHA256withDSA; Ed25519; Ed448.
 * Signatures (jks_cert_self_signed, jks_csr_create, jks_store_gencert) are
 * encoded as JDK 17 encodes them: NULL parameters for RSA, DSA and
 * SHA1withECDSA, none for ECDSA with SHA-2 and EdDSA; "RSASSA-PSS" with
 * SHA-256 (SHA-384 above 3072 bits, SHA-512 above 7680), MGF1 of the same
 * hash and a salt of its length. The weak SHA1withRSA, SHA1withECDSA,
 * SHA1withDSA and MD5withRSA are accepted, as keytool 17 accepts them; a DSA
 * digest shorter than q is refused ("The security strength of SHA-1 digest
 * algorithm is not sufficient for this key size", as Java). */
JKS_EXTERN jks_status jks_sigalg_default(const uint8_t *pkcs8, size_t len, char *out, size_t cap,
                              jks_error *err);

/* A self-signed X.509 v3 certificate for the PKCS#8 key, as keytool
 * -genkeypair makes it: random positive 64-bit serial, subject = issuer =
 * p->dname (required), validity from p, SubjectKeyIdentifier plus p->exts,
 * signed with p->sigalg. *der receives the DER (free with jks_free).
 * JKS_ERR_USAGE for a bad dname, ext or sigalg; JKS_ERR_FORMAT when the key
 * does not parse. */
JKS_EXTERN jks_status jks_cert_self_signed(const uint8_t *pkcs8, size_t pkcs8_len, const jks_gen_params *p,
                                uint8_t **der, size_t *der_len, jks_error *err);

/* A PKCS#10 request (version 0) for the PKCS#8 key, signed with it, as keytool
 * -certreq makes it: subject p->dname or, when NULL, the subject of cert (DER,
 * copied byte for byte); an extensionRequest attribute holding the
 * SubjectKeyIdentifier and p->exts. validity/not_before are ignored. *der
 * receives the DER (free with jks_free). */
JKS_EXTERN jks_status jks_csr_create(const uint8_t *pkcs8, size_t pkcs8_len, const uint8_t *cert,
                          size_t cert_len, const jks_gen_params *p, uint8_t **der,
                          size_t *der_len, jks_error *err);

/* RFC 7468 text of DER bytes under label ("CERTIFICATE REQUEST", ...): 64-character
 * base64 lines, LF line ends. *out is freed with jks_free. */
JKS_EXTERN jks_status jks_pem_armor(const char *label, const uint8_t *der, size_t len, char **out,
                         size_t *out_len, jks_error *err);

#ifdef __cplusplus
}
#endif
#endif
