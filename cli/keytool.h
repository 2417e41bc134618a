/* keytool-compatible mode (jkstool keytool): text in keytool's formats,
 * shared by cli/cmd_keytool.c and cli/keytool_print.c. */
#ifndef JKSTOOL_KEYTOOL_H
#define JKSTOOL_KEYTOOL_H

#include "jks/jks.h"
#include "jks/certificate.h"

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
/* A password line read after a prompt on stderr, without echo on a terminal
 * (cli/cmd_keytool.c); NULL at end of input. */
char *kt_ask(const char *question);

/* "ab01.." -> "AB:01:.." */
void kt_colon_hex(FILE *f, const char *hex);

#endif
