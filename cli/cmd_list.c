/* jkstool list: the entries of any keystore, like `keytool -list` (-v, --rfc)
 * or as JSON (README "JSON: list"). Text and JSON come from one pass over
 * the same facts (cert and key info decoded once per certificate). */
#include "cli.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdlib.h>
#include <string.h>

static const char *help =
    "usage: jkstool list KEYSTORE [--storepass SPEC] [--keypass SPEC]... [--type T]\n"
    "                    [-v] [--rfc] [--json | --aliases]\n"
    "List the entries of a JKS, JCEKS, PKCS#12 or PEM keystore (type sniffed from content).\n"
    "  --storepass SPEC   store password: pass:TEXT, env:VAR or file:PATH; without it\n"
    "                     entries are listed and integrity is not checked (a terminal\n"
    "                     is prompted)\n"
    "  --keypass SPEC     key password, repeatable; each key tries them, then the store password\n"
    "  --type T           force the format: jks, jceks, pkcs12, pem\n"
    "  -v, --verbose      subject, issuer, serial, validity, key and chain details\n"
    "  --rfc              print certificates as PEM\n"
    "  --json             machine-readable output\n"
    "  --aliases          only the aliases, one per line (for shell completion): never\n"
    "                     prompts, prints no warning\n"
    "  --max-iterations N refuse PBE iteration counts above N (default 5000000)\n"
    "  --max-work N       refuse files asking more key-derivation work than N\n"
    "                     (PBKDF2-SHA256 iterations summed; default 20000000)\n"
    "exit: 0 ok, 2 usage, 3 wrong password (or a --keypass opened no key), 4 malformed, 5 I/O\n";

static const char *kind_text(jks_entry_kind k)
{
    switch (k) {
    case JKS_ENTRY_PRIVATE_KEY: return "PrivateKeyEntry";
    case JKS_ENTRY_TRUSTED_CERT: return "trustedCertEntry";
    default: return "SecretKeyEntry";
    }
}

static const char *key_error(jks_key_state s)
{
    switch (s) {
    case JKS_KEY_ENCRYPTED: return "no-password";
    case JKS_KEY_WRONG_PASSWORD: return "wrong-password";
    case JKS_KEY_UNSUPPORTED: return "unsupported";
    default: return NULL;
    }
}

/* "ab01.." -> "AB:01:..", built in a buffer: this runs once per certificate
 * of stores with 100,000 entries, where one printf per byte pair would
 * dominate the listing. */
static void colon_hex(FILE *f, const char *hex)
{
    char out[3 * 64 + 1];
    size_t k = 0;
    for (size_t i = 0; hex[i] && hex[i + 1] && k + 3 < sizeof(out); i += 2) {
        if (i)
            out[k++] = ':';
        out[k++] = hex[i] >= 'a' ? (char)(hex[i] - 32) : hex[i];
        out[k++] = hex[i + 1] >= 'a' ? (char)(hex[i + 1] - 32) : hex[i + 1];
    }
    out[k] = 0;
    fputs(out, f);
}

static void print_pem(FILE *f, jks_bytes c)
{
    BIO *b = BIO_new_fp(f, BIO_NOCLOSE);
    const unsigned char *p = c.data;
    X509 *x = d2i_X509(NULL, &p, (long)c.len);
    if (b && x)
        PEM_write_bio_X509(b, x);
    X509_free(x);
    BIO_free(b);
}

static void json_cert(FILE *f, const jks_cert_info *ci, int ok, jks_bytes der)
{
    char a[64], b[64];
    if (!ok) {
        char h[65];
        jks_sha256_hex(der.data, der.len, h);
        fprintf(f, "{\"sha256\":\"%s\",\"error\":\"unparseable-certificate\"}", h);
        return;
    }
    iso_time(a, sizeof(a), ci->not_before);
    iso_time(b, sizeof(b), ci->not_after);
    fprintf(f, "{\"sha256\":\"%s\",\"subject\":", ci->sha256);
    json_str(f, ci->subject);
    fprintf(f, ",\"issuer\":");
    json_str(f, ci->issuer);
    fprintf(f,
            ",\"serial\":\"%s\",\"not_before\":\"%s\",\"not_after\":\"%s\",\"spki_sha256\":\"%s\","
            "\"key_algorithm\":\"%s\",\"key_bits\":%d,\"signature_algorithm\":\"%s\"}",
            ci->serial, a, b, ci->spki_sha256, ci->key_algorithm, ci->key_bits,
            ci->sig_algorithm);
}

static void text_cert(FILE *f, const jks_cert_info *ci, int ok, size_t idx, size_t n, int verbose)
{
    char a[64], b[64];
    if (!ok) {
        fprintf(f, "  (certificate %zu does not parse)\n", idx + 1);
        return;
    }
    if (!verbose) {
        fprintf(f, "Certificate fingerprint (SHA-256): ");
        colon_hex(f, ci->sha256);
        fputc('\n', f);
        return;
    }
    iso_time(a, sizeof(a), ci->not_before);
    iso_time(b, sizeof(b), ci->not_after);
    if (n > 1)
        fprintf(f, "Certificate[%zu]:\n", idx + 1);
    fprintf(f, "Owner: %s\nIssuer: %s\nSerial number: %s\nValid from: %s until: %s\n",
            ci->subject, ci->issuer, ci->serial, a, b);
    fprintf(f, "Certificate fingerprints:\n\t SHA1: ");
    colon_hex(f, ci->sha1);
    fprintf(f, "\n\t SHA256: ");
    colon_hex(f, ci->sha256);
    fprintf(f, "\nSignature algorithm name: %s\nSubject Public Key Algorithm: %d-bit %s key\n\n",
            ci->sig_algorithm, ci->key_bits, ci->key_algorithm);
}

/* Returns 1 when a key could not be opened although --keypass was given. */
static int list_entry(FILE *f, const cli_args *a, const jks_entry *e, int first)
{
    size_t n = jks_entry_chain_len(e);
    int64_t ms = 0;
    int has = jks_entry_created(e, &ms);
    jks_entry_kind kind = jks_entry_kind_of(e);
    jks_key_state ks = jks_entry_key_state(e);
    int failed = 0;
    jks_key_info ki;
    int have_ki = 0;
    if (kind == JKS_ENTRY_PRIVATE_KEY && ks == JKS_KEY_DECRYPTED) {
        jks_bytes p8 = jks_entry_pkcs8(e);
        have_ki = jks_key_info_get(p8.data, p8.len, &ki) == JKS_OK;
    }
    if (kind != JKS_ENTRY_TRUSTED_CERT && ks != JKS_KEY_DECRYPTED && a->n_keypass > 0)
        failed = 1;

    if (a->json) {
        fprintf(f, "%s{\"alias\":", first ? "" : ",");
        json_str(f, jks_entry_alias(e));
        fprintf(f, ",\"kind\":\"%s\",\"created\":", jks_entry_kind_name(kind));
        json_time_ms(f, has, ms);
        if (!jks_entry_java_visible(e))
            fprintf(f, ",\"java_visible\":false");
    } else {
        char d[64] = "unknown date";
        if (has)
            iso_time(d, sizeof(d), ms / 1000);
        char al[1024];
        text_safe(jks_entry_alias(e), al, sizeof al);
        if (a->verbose)
            fprintf(f, "Alias name: %s\nCreation date: %s\nEntry type: %s\n", al, d,
                    kind_text(kind));
        else
            fprintf(f, "%s, %.*s, %s,\n", al, has ? 10 : (int)sizeof(d), d,
                    kind_text(kind));
        if (a->verbose && kind == JKS_ENTRY_PRIVATE_KEY)
            fprintf(f, "Certificate chain length: %zu\n", n);
        if (!jks_entry_java_visible(e))
            fprintf(f, "  (Java does not show this entry: %s)\n",
                    kind == JKS_ENTRY_PRIVATE_KEY ? "key in an unencrypted PKCS#12 key bag"
                                                  : "certificate without Java's trust attribute");
    }

    if (a->json)
        fprintf(f, ",\"chain\":[");
    for (size_t i = 0; i < n; i++) {
        jks_bytes c = jks_entry_cert(e, i);
        jks_cert_info ci;
        int ok;
        if (!a->json && !a->verbose) {
            /* the short listing shows only the fingerprint: no X.509 decoding */
            if (!a->rfc && i == 0) {
                jks_sha256_hex(c.data, c.len, ci.sha256);
                text_cert(f, &ci, 1, i, n, 0);
                continue;
            }
            if (!a->rfc)
                continue;
        }
        ok = jks_cert_info_get(c.data, c.len, &ci) == JKS_OK;
        if (a->json) {
            if (i)
                fputc(',', f);
            json_cert(f, &ci, ok, c);
        } else if (a->rfc) {
            if (n > 1)
                fprintf(f, "Certificate[%zu]:\n", i + 1);
            print_pem(f, c);
        } else if (i == 0 || a->verbose) {
            text_cert(f, &ci, ok, i, n, a->verbose);
        }
    }
    if (a->json)
        fputc(']', f);

    if (kind == JKS_ENTRY_PRIVATE_KEY) {
        if (a->json) {
            fprintf(f, ",\"key\":{");
            if (have_ki)
                fprintf(f, "\"algorithm\":\"%s\",\"bits\":%d,\"decrypted\":true,\"spki_sha256\":\"%s\"",
                        ki.algorithm, ki.bits, ki.spki_sha256);
            else if (ks == JKS_KEY_DECRYPTED)
                fprintf(f, "\"decrypted\":true,\"error\":\"unparseable-key\"");
            else
                fprintf(f, "\"decrypted\":false,\"error\":\"%s\"", key_error(ks));
            if (have_ki && ki.curve[0])
                fprintf(f, ",\"curve\":\"%s\"", ki.curve);
            if (jks_entry_password_index(e) >= 0)
                fprintf(f, ",\"password\":\"%s\"",
                        jks_entry_password_index(e) < a->n_keypass ? "keypass" : "storepass");
            fputc('}', f);
        } else if (ks != JKS_KEY_DECRYPTED && (a->storepass_given || a->n_keypass)) {
            fprintf(f, "  key not decrypted: %s\n", key_error(ks));
        } else if (a->verbose && have_ki) {
            fprintf(f, "Private key: %d-bit %s%s%s, SPKI SHA-256 %s\n\n", ki.bits, ki.algorithm,
                    ki.curve[0] ? " " : "", ki.curve, ki.spki_sha256);
        }
    } else if (kind == JKS_ENTRY_SECRET_KEY) {
        jks_bytes s = jks_entry_secret(e);
        const char *alg = jks_entry_secret_algorithm(e);
        if (a->json) {
            fprintf(f, ",\"secret\":{");
            if (ks == JKS_KEY_DECRYPTED) {
                fprintf(f, "\"algorithm\":");
                json_str(f, alg);
                fprintf(f, ",\"bits\":%zu,\"decrypted\":true}", s.len * 8);
            } else {
                fprintf(f, "\"decrypted\":false,\"error\":\"%s\"}", key_error(ks));
            }
        } else if (ks == JKS_KEY_DECRYPTED) {
            fprintf(f, "Secret key: %s, %zu bits\n", alg ? alg : "?", s.len * 8);
        } else if (a->storepass_given || a->n_keypass) {
            fprintf(f, "  key not decrypted: %s\n", key_error(ks));
        }
    }
    if (a->json)
        fputc('}', f);
    else if (a->verbose || a->rfc)
        fprintf(f, "\n*******************************************\n\n");
    return failed;
}

int cmd_list(int argc, char **argv)
{
    cli_args a;
    jks_store *st = NULL;
    jks_error err;
    const char *kp[CLI_MAX_MULTI];
    jks_read_opts ro;
    int rc = cli_start(argc, argv,
                       OPT_STOREPASS | OPT_KEYPASS | OPT_TYPE | OPT_JSON | OPT_VERBOSE | OPT_RFC |
                           OPT_LIMITS | OPT_ALIASES,
                       help, 1, 1, &a);
    if (rc >= 0)
        return rc;
    const char *file = a.pos[0];
    if (a.type && jks_format_from_name(a.type) == JKS_FORMAT_UNKNOWN) {
        cli_errorf(NULL, "unknown --type %s (jks, jceks, pkcs12, pem)", a.type);
        cli_args_free(&a);
        return EXIT_USAGE;
    }
    if ((rc = cli_resolve_passwords(&a, !a.json && !a.aliases_only, file))) {
        cli_args_free(&a);
        return rc;
    }
    cli_read_opts(&a, &ro, kp);
    ro.flags |= JKS_READ_LOW_MEMORY; /* a huge store: keep only what it holds */
    jks_error_clear(&err);
    jks_status s = jks_store_read_file(file, &ro, &st, &err);
    if (s != JKS_OK) {
        cli_error(file, &err);
        cli_args_free(&a);
        return (int)s;
    }

    FILE *f = stdout;
    size_t n = jks_store_count(st);
    int failed = 0;
    if (a.aliases_only) { /* shell completion: aliases only, no prompt, no warning */
        for (size_t i = 0; i < n; i++)
        {
            char al[1024];
            fprintf(f, "%s\n", text_safe(jks_entry_alias(jks_store_entry(st, i)), al, sizeof al));
        }
        rc = cli_output_failed(f) ? EXIT_IO : EXIT_OK;
        jks_store_free(st);
        cli_args_free(&a);
        return rc;
    }
    if (a.json) {
        fprintf(f, "{\"file\":");
        json_str(f, file);
        fprintf(f, ",\"format\":\"%s\",\"integrity\":\"%s\",\"entries\":[",
                jks_format_name(jks_store_format(st)),
                jks_store_integrity(st) == JKS_INTEGRITY_VERIFIED ? "verified" : "not-checked");
    } else {
        static const char *tn[] = {"unknown", "JKS", "JCEKS", "PKCS12", "PEM"};
        fprintf(f, "Keystore type: %s\n", tn[jks_store_format(st)]);
        fprintf(f, "Your keystore contains %zu entr%s\n\n", n, n == 1 ? "y" : "ies");
    }
    for (size_t i = 0; i < n; i++)
        failed |= list_entry(f, &a, jks_store_entry(st, i), i == 0);
    if (a.json)
        fprintf(f, "]}\n");
    if (!a.json && jks_store_integrity(st) != JKS_INTEGRITY_VERIFIED &&
        (jks_store_format(st) == JKS_FORMAT_JKS || jks_store_format(st) == JKS_FORMAT_JCEKS))
        fprintf(stderr, "jkstool: %s: warning: integrity not checked (no store password given)\n",
                file);
    if (failed) {
        for (size_t i = 0; i < n; i++) {
            const jks_entry *e = jks_store_entry(st, i);
            char al[1024];
            if (jks_entry_kind_of(e) != JKS_ENTRY_TRUSTED_CERT &&
                jks_entry_key_state(e) != JKS_KEY_DECRYPTED) {
                if (jks_entry_key_state(e) == JKS_KEY_UNSUPPORTED)
                    cli_errorf(file,
                               "entry \"%s\": key protection is unsupported or over a limit "
                               "(e.g. its iteration count; see --max-iterations)",
                               text_safe(jks_entry_alias(e), al, sizeof al));
                else
                    cli_errorf(file,
                               "entry \"%s\": key does not open with any --keypass nor the "
                               "store password",
                               text_safe(jks_entry_alias(e), al, sizeof al));
                break;
            }
        }
        rc = EXIT_PASSWORD;
    }
    if (cli_output_failed(f))
        rc = EXIT_IO;
    jks_store_free(st);
    cli_args_free(&a);
    return rc;
}
