/* keytool mode, -genkeypair's words: the "Generating ..." line keytool 17
 * prints for each key algorithm (RSA, RSASSA-PSS, EC, DSA, EdDSA) and its
 * key-password prompt for JKS/JCEKS (Main.promptForKeyPass). The key and
 * certificate are the library's (jks_store_generate_key). */
#include "cli.h"
#include "keytool.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void kt_gen_describe(const char *keyalg, const char *keysize, const char *sigalg,
                     const char *validity, const char *dname, kt_gen_text *out)
{
    long bits = keysize ? strtol(keysize, NULL, 10) : 0;
    const char *alg = keyalg, *sig = sigalg, *curve = "";
    long shown;
    if (!strcasecmp(alg, "EC")) {
        bits = bits ? bits : 256;
        curve = bits == 384 ? " (secp384r1)" : bits == 521 ? " (secp521r1)" : " (secp256r1)";
        sig = sig ? sig : bits == 384 ? "SHA384withECDSA" : bits == 521 ? "SHA512withECDSA"
                                                                        : "SHA256withECDSA";
        alg = "EC";
    } else if (!strcasecmp(alg, "Ed25519") || !strcasecmp(alg, "EdDSA")) {
        bits = 255;
        sig = sig ? sig : "Ed25519";
        alg = "Ed25519";
    } else if (!strcasecmp(alg, "Ed448")) {
        bits = 448;
        sig = sig ? sig : "Ed448";
        alg = "Ed448";
    } else if (!strcasecmp(alg, "DSA")) {
        bits = bits ? bits : 2048;
        sig = sig ? sig : "SHA256withDSA";
        alg = "DSA";
    } else if (!strcasecmp(alg, "RSASSA-PSS")) {
        bits = bits ? bits : 2048;
        sig = sig ? sig : "RSASSA-PSS";
        alg = "RSASSA-PSS";
    } else {
        bits = bits ? bits : 2048;
        sig = sig ? sig : bits > 7680 ? "SHA512withRSA" : bits > 3072 ? "SHA384withRSA"
                                                                      : "SHA256withRSA";
        alg = "RSA";
    }
    /* keytool 17 says "-1 bit" for an RSASSA-PSS key without -keysize (its
     * KeyPairGenerator has no size to report); the key is 2048 bits */
    shown = !strcmp(alg, "RSASSA-PSS") && !keysize ? -1 : bits;
    char b[32];
    if (shown >= 1000)
        snprintf(b, sizeof(b), "%ld,%03ld", shown / 1000, shown % 1000);
    else
        snprintf(b, sizeof(b), "%ld", shown);
    snprintf(out->line, sizeof(out->line),
             "Generating %s bit %s%s key pair and self-signed certificate (%s) with a validity of "
             "%s days\n\tfor: %s\n",
             b, alg, curve, sig, validity ? validity : "90", dname);
    snprintf(out->sigalg, sizeof(out->sigalg), "%s", sig);
    snprintf(out->keyname, sizeof(out->keyname), "%ld-bit %s%s key", bits, alg, curve);
    snprintf(out->alg, sizeof(out->alg), "%s", alg);
    out->bits = (int)bits;
}

/* keytool's promptForKeyPass: three tries; an empty line or end of input is
 * the store password; a password of 6 or more characters is asked again. */
int kt_ask_keypass(const char *alias, char **out)
{
    char q[1024];
    *out = NULL;
    snprintf(q, sizeof(q), "Enter key password for <%s>\n\t(RETURN if same as keystore password):  ",
             alias);
    for (int tries = 0; tries < 3; tries++) {
        char *pw = kt_ask(q);
        if (!pw || !*pw) {
            free(pw);
            return 0; /* the caller uses the store password */
        }
        if (strlen(pw) >= 6) {
            char *again = kt_ask("Re-enter new password: ");
            int same = again && !strcmp(pw, again);
            if (again) {
                OPENSSL_cleanse(again, strlen(again));
                free(again);
            }
            if (same) {
                *out = pw;
                return 0;
            }
            fputs("They don't match. Try again\n", stderr);
        } else {
            fputs("Key password is too short - must be at least 6 characters\n", stderr);
        }
        OPENSSL_cleanse(pw, strlen(pw));
        free(pw);
    }
    return 1;
}
