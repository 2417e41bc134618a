/* keytool-compatible mode (jkstool keytool): text in keytool's formats,
 * shared by cli/cmd_keytool.c and cli/keytool_print.c. */
#ifndef JKSTOOL_KEYTOOL_H
#define JKSTOOL_KEYTOOL_H

#include "jks/jks.h"
#include "jks/certificate.h"

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdio.h>

/* keytool's MEDIUM date in the local time zone: "Nov 6, 2026". */
void kt_date(char *out, size_t cap, int64_t ms);
/* keytool -rfc PEM: BEGIN line, 64-column base64 lines joined by CRLF, LF
 * before the END line (byte for byte what keytool -exportcert -rfc writes). */
void kt_pem(FILE *f, const char *label, const uint8_t *der, size_t len);
/* keytool's certificate text (Owner ... Version, then Extensions); returns 0,
 * or -1 when the certificate does not parse (nothing printed). */
int kt_print_cert(FILE *f, const uint8_t *der, size_t len);
/* The same with the signature algorithm's "(weak)"/"(disabled)" marker
 * left out when trusted (keytool judges no trust anchor's signature). */
int kt_print_cert_trusted(FILE *f, const uint8_t *der, size_t len, int trusted);
/* keytool's names of a certificate's signature algorithm ("SHA1withRSA")
 * and key ("1024-bit RSA key"); -1 when it does not parse. */
int kt_cert_names(const uint8_t *der, size_t len, char *sig, size_t sigcap, char *key,
                  size_t keycap);
/* Weak-algorithm warnings (keytool's weakWarnings): collected while a
 * command runs, printed at its end in one "Warning:" block on stderr. */
/* label ("The certificate", "<alias>") uses a weak/disabled algorithm or key
 * of the DER certificate; trusted: its signature is not judged. */
void kt_check_weak(const char *label, const uint8_t *der, size_t len, int trusted);
/* The lines for a signature algorithm sig judged ss and a key named key
 * ("1024-bit RSA key") judged ks; a NULL name is not judged. */
void kt_weak_lines(const char *label, const char *sig, jks_strength ss, const char *key,
                   jks_strength ks);
/* Add one line to the block ("%s" of the caller). */
void kt_warn(const char *line);
/* Print the collected block (and extra, when not NULL, as its last line);
 * nothing when both are empty. Clears the list. */
void kt_warnings_flush(const char *extra);

/* java.util.Date.toString() of secs in the local time zone ("Thu Nov 26
 * 04:22:23 UTC 2026"). */
void kt_java_date(char *out, size_t cap, int64_t secs);
/* sun.security.util.HexDumpEncoder.encodeBuffer. */
void kt_hexdump(FILE *f, const unsigned char *p, size_t len);
/* Java's name of a signature algorithm NID ("SHA256withRSA"), NULL when none. */
const char *kt_java_sigalg(int nid);
/* keytool's name of a public key ("2048-bit RSA key"); pub names a key k
 * OpenSSL does not know (k NULL) by its OID. */
void kt_key_text(EVP_PKEY *k, X509_PUBKEY *pub, char *out, size_t cap);
/* A Name as X500Name.toString() writes it ("" when it cannot). */
void kt_java_name(const X509_NAME *n, char *out, size_t cap);
/* keytool's extensions block (title, then "#1: ObjectId: ..." for each,
 * sorted by keytool's extension names), as -printcert prints it. */
void kt_print_exts(FILE *f, const STACK_OF(X509_EXTENSION) *exts, const char *title);
/* The toString() of one extension keytool decodes, after its "ObjectId"
 * line; -1 (nothing printed) when it is not one of them. */
int kt_print_ext_body(FILE *f, X509_EXTENSION *ext, int nid);

/* From cmd_keytool.c: keytool's error line on stdout (and the exception
 * line with -v); returns 1. */
int kt_fail(const char *exc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* The reason in a library "cannot ...: REASON" message, as Java's
 * FileNotFoundException gives it in parentheses. */
const char *kt_io_reason(const char *msg);
/* All of a stream (standard input), at most JKS_MAX_FILE_SIZE; -1 out of memory. */
int kt_read_all(FILE *in, uint8_t **out, size_t *len);

/* cli/keytool_printx.c: -printcertreq, -printcrl, -showinfo and -printcert
 * -sslserver. file NULL: standard input. Return keytool's exit (0/1). */
int kt_printcertreq(const char *file);
/* ks (may be NULL): the -keystore whose certificates verify the CRL;
 * cacerts (NULL without -trustcacerts): the path of the JDK's cacerts,
 * searched first as keytool does. */
int kt_printcrl(const char *file, int rfc, const jks_store *ks, const char *cacerts);
int kt_showinfo(int tls);
int kt_sslserver(const char *hostport, int rfc);

/* -genkeypair (cli/keytool_gen.c): keytool 17's "Generating ..." line (two
 * lines, LF-ended) for the options, the signature algorithm it names, the
 * key as -list names it ("2048-bit DSA key"), the key algorithm and size. */
typedef struct {
    char line[1536];
    char sigalg[64];
    char keyname[96];
    char alg[24];
    int bits;
} kt_gen_text;
void kt_gen_describe(const char *keyalg, const char *keysize, const char *sigalg,
                     const char *validity, const char *dname, kt_gen_text *out);
/* keytool's key-password prompt for a JKS/JCEKS key (three tries, "RETURN if
 * same as keystore password"): 0 with *out the new password, or NULL for the
 * store password; 1 after three failures ("Too many failures"). */
int kt_ask_keypass(const char *alias, char **out);

/* An extension with the name keytool sorts it by (NULL: by its OID text);
 * kt_ext_slot_cmp orders them as keytool prints certificate and CRL
 * extensions (qsort). */
typedef struct {
    const char *name;
    char oid[80];
    X509_EXTENSION *ext;
} kt_ext_slot;
int kt_ext_slot_cmp(const void *a, const void *b);

/* "ab01.." -> "AB:01:.." */
void kt_colon_hex(FILE *f, const char *hex);

/* ---- cli/cmd_keytool.c's helpers for commands kept in other files ---- */
/* A line of standard input after a prompt on stderr, not echoed on a
 * terminal (NULL at end of input); the caller wipes and frees it. */
char *kt_ask(const char *question);
/* Load a store as keytool does (errors printed in keytool's words): 0 or 1. */
int kt_load(const char *path, const char *type, const char *storepass, int decrypt, jks_store **out);
/* keytool's -storetype names: 0, or 1 after keytool's error. */
int kt_store_type(const char *type, jks_format *f);
/* 1 with -v. */
int kt_is_verbose(void);
/* "[Storing PATH]" with -v. */
void kt_storing(const char *path);
/* The Warning block at the end of a command that changed the store at path. */
void kt_end_warnings(jks_format f, const char *path);
/* PKCS#12 algorithms to write (-J-Dkeystore.pkcs12.legacy, else otherwise). */
jks_p12_algorithms kt_p12_algorithms(jks_p12_algorithms otherwise);

/* PKCS#12 under a wrong password: Java's message is "keystore password was
 * incorrect" when decrypting the certificates fails first, else (no
 * encrypted certificates: secret keys only, or an empty store) the MAC
 * check's KT_P12_MAC_FAILED. 1 when the file at path has encrypted
 * certificates (cli/keytool_seckey.c). */
int kt_p12_certs_encrypted(const char *path);
#define KT_P12_MAC_FAILED \
    "Integrity check failed: java.security.UnrecoverableKeyException: Failed PKCS12 integrity checking"

/* -genseckey and -importpass (cli/keytool_seckey.c) */
typedef struct {
    int importpass;
    const char *alias, *keystore, *storetype, *keyalg, *keysize;
    char **storepass, **keypass; /* the parsed options' copies: filled by prompts, wiped by the caller */
} kt_seckey_args;
int kt_seckey(const kt_seckey_args *a);

#endif
