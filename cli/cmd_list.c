/* jkstool list: the entries of any keystore, like `keytool -list` (-v, --rfc)
 * or as JSON (README "JSON: list"). Text and JSON come from one pass over
 * the same facts (cert and key info decoded once per certificate). */
#include "cli.h"
#include "jks/source.h"

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
    "  --type T           force the format: jks, jceks, pkcs12, pem, bks, uber, bcfks\n"
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

static const char *const ku_names[9] = {
    "digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement",
    "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"};

static void json_opt_str(FILE *f, const char *s)
{
    if (s[0])
        json_str(f, s);
    else
        fputs("null", f);
}

/* A separated list as a JSON array (null when absent). */
static void json_list(FILE *f, int present, const char *s, const char *sep)
{
    if (!present) {
        fputs("null", f);
        return;
    }
    size_t sl = strlen(sep);
    int first = 1;
    fputc('[', f);
    while (*s) {
        const char *e = strstr(s, sep);
        size_t n = e ? (size_t)(e - s) : strlen(s);
        char item[1024];
        if (n >= sizeof item)
            n = sizeof item - 1;
        memcpy(item, s, n);
        item[n] = 0;
        if (!first)
            fputc(',', f);
        json_str(f, item);
        first = 0;
        s += n + (e ? sl : 0);
        if (!e)
            break;
    }
    fputc(']', f);
}

/* The same list as text, joined by ", ". */
static void text_list(FILE *f, const char *s, const char *sep)
{
    size_t sl = strlen(sep);
    int first = 1;
    while (*s) {
        const char *e = strstr(s, sep);
        size_t n = e ? (size_t)(e - s) : strlen(s);
        fprintf(f, "%s%.*s", first ? "" : ", ", (int)n, s);
        first = 0;
        s += n + (e ? sl : 0);
        if (!e)
            break;
    }
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
            "\"key_algorithm\":\"%s\",\"key_bits\":%d,\"signature_algorithm\":\"%s\"",
            ci->serial, a, b, ci->spki_sha256, ci->key_algorithm, ci->key_bits,
            ci->sig_algorithm);
    /* added fields (after the original ones, none renamed) */
    fprintf(f, ",\"version\":%d,\"key_curve\":", ci->version);
    json_opt_str(f, ci->key_curve);
    fputs(",\"basic_constraints\":", f);
    if (ci->has_basic_constraints) {
        fprintf(f, "{\"ca\":%s,\"path_len\":", ci->basic_ca ? "true" : "false");
        if (ci->path_len >= 0)
            fprintf(f, "%d}", ci->path_len);
        else
            fputs("null}", f);
    } else {
        fputs("null", f);
    }
    fputs(",\"key_usage\":", f);
    if (ci->has_key_usage) {
        int first = 1;
        fputc('[', f);
        for (int i = 0; i < 9; i++)
            if (ci->key_usage & (1u << i)) {
                fprintf(f, "%s\"%s\"", first ? "" : ",", ku_names[i]);
                first = 0;
            }
        fputc(']', f);
    } else {
        fputs("null", f);
    }
    fputs(",\"extended_key_usage\":", f);
    json_list(f, ci->has_eku, ci->eku, ", ");
    fputs(",\"subject_alt_names\":", f);
    json_list(f, ci->san[0] != 0, ci->san, "\n");
    fputs(",\"subject_key_id\":", f);
    json_opt_str(f, ci->ski);
    fputs(",\"authority_key_id\":", f);
    json_opt_str(f, ci->aki);
    fputc('}', f);
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
    fprintf(f, "\nSignature algorithm name: %s\n", ci->sig_algorithm);
    if (ci->key_bits > 0)
        fprintf(f, "Subject Public Key Algorithm: %d-bit %s key\n", ci->key_bits, ci->key_algorithm);
    else /* ML-DSA-65, ML-KEM-768: named by the parameter set, as keytool 25 does */
        fprintf(f, "Subject Public Key Algorithm: %s key\n",
                ci->key_algorithm[0] ? ci->key_algorithm : "unknown");
    if (ci->has_basic_constraints) {
        fprintf(f, "Basic constraints: CA:%s", ci->basic_ca ? "true" : "false");
        if (ci->path_len >= 0)
            fprintf(f, ", pathlen:%d", ci->path_len);
        fputc('\n', f);
    }
    if (ci->has_key_usage) {
        fputs("Key usage:", f);
        for (int i = 0, first = 1; i < 9; i++)
            if (ci->key_usage & (1u << i)) {
                fprintf(f, "%s%s", first ? " " : ", ", ku_names[i]);
                first = 0;
            }
        fputc('\n', f);
    }
    if (ci->has_eku)
        fprintf(f, "Extended key usage: %s\n", ci->eku);
    if (ci->san[0]) {
        fputs("Subject alternative names: ", f);
        text_list(f, ci->san, "\n");
        fputc('\n', f);
    }
    fputc('\n', f);
}

/* Returns 1 when a key could not be opened although --keypass was given. */
/* The alias as Java lists it (lower-cased for JDK formats), or NULL to use
 * the stored spelling. */
static char *java_alias(const jks_entry *e, int lower)
{
    return lower ? jks_alias_java_lower(jks_entry_alias(e)) : NULL;
}

static int list_entry(FILE *f, const cli_args *a, const jks_entry *e, int first, int lower)
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
        /* the alias as Java lists it (lower-cased), when that is not the stored spelling */
        char *jl = java_alias(e, lower);
        if (jl && strcmp(jl, jks_entry_alias(e)) != 0) {
            fprintf(f, ",\"java_alias\":");
            json_str(f, jl);
        }
        jks_free(jl);
        fprintf(f, ",\"kind\":\"%s\",\"created\":", jks_entry_kind_name(kind));
        json_time_ms(f, has, ms);
        if (!jks_entry_java_visible(e))
            fprintf(f, ",\"java_visible\":false");
    } else {
        char d[64] = "unknown date";
        if (has)
            iso_time(d, sizeof(d), ms / 1000);
        /* the alias as Java lists it; -v adds the stored spelling when it differs */
        char al[1024], st[1024];
        char *jl = java_alias(e, lower);
        text_safe(jl ? jl : jks_entry_alias(e), al, sizeof al);
        if (a->verbose) {
            fprintf(f, "Alias name: %s\n", al);
            if (jl && strcmp(jl, jks_entry_alias(e)) != 0)
                fprintf(f, "Stored alias: %s\n", text_safe(jks_entry_alias(e), st, sizeof st));
            fprintf(f, "Creation date: %s\nEntry type: %s\n", d, kind_text(kind));
        } else
            fprintf(f, "%s, %.*s, %s,\n", al, has ? 10 : (int)sizeof(d), d,
                    kind_text(kind));
        if (a->verbose && kind == JKS_ENTRY_PRIVATE_KEY)
            fprintf(f, "Certificate chain length: %zu\n", n);
        if (!jks_entry_java_visible(e))
            fprintf(f, "  (Java does not show this entry: %s)\n",
                    kind == JKS_ENTRY_PRIVATE_KEY ? "key in an unencrypted PKCS#12 key bag, or a BKS public key"
                                                  : "certificate without Java's trust attribute");
        jks_free(jl);
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
        /* facts only: listing verifies no signature */
        ok = jks_cert_facts_get(c.data, c.len, &ci) == JKS_OK;
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
            else if (ks == JKS_KEY_DECRYPTED && ki.algorithm[0]) /* ML-DSA with OpenSSL 3.0 */
                fprintf(f, "\"decrypted\":true,\"error\":\"unsupported-key-algorithm\","
                           "\"algorithm\":\"%s\",\"curve\":\"%s\"", ki.algorithm, ki.curve);
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
        } else if (a->verbose && ks == JKS_KEY_DECRYPTED && ki.algorithm[0]) {
            fprintf(f, "Private key: %s (decrypted; this build's OpenSSL cannot use %s keys)\n\n",
                    ki.curve, ki.algorithm);
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

/* One listing, visited entry by entry (jks_store_visit_file). */
typedef struct {
    FILE *f;
    const cli_args *a;
    const char *file;
    int started;          /* the header is out */
    int failed;           /* some key did not open */
    jks_key_state bad_state;
    char *bad_alias;      /* the first such key's alias */
} list_run;

static void list_header(list_run *r, const jks_store *facts, size_t total)
{
    r->started = 1;
    if (r->a->aliases_only)
        return;
    if (r->a->json) {
        fprintf(r->f, "{\"file\":");
        json_str(r->f, r->file);
        fprintf(r->f, ",\"format\":\"%s\",\"integrity\":\"%s\",\"entries\":[",
                jks_format_name(jks_store_format(facts)),
                jks_store_integrity(facts) == JKS_INTEGRITY_VERIFIED ? "verified" : "not-checked");
    } else {
        static const char *tn[] = {"unknown", "JKS", "JCEKS", "PKCS12", "PEM", "BKS", "UBER", "BCFKS"};
        fprintf(r->f, "Keystore type: %s\n", tn[jks_store_format(facts)]);
        fprintf(r->f, "Your keystore contains %zu entr%s\n\n", total, total == 1 ? "y" : "ies");
    }
}

static int list_visit(const jks_store *facts, const jks_entry *e, size_t index, size_t total,
                      void *ctx)
{
    list_run *r = ctx;
    if (!r->started)
        list_header(r, facts, total);
    if (!e) { /* the end */
        if (r->a->aliases_only)
            return 0;
        if (r->a->json)
            fprintf(r->f, "]}\n");
        if (!r->a->json && jks_store_integrity(facts) != JKS_INTEGRITY_VERIFIED &&
            (jks_store_format(facts) == JKS_FORMAT_JKS ||
             jks_store_format(facts) == JKS_FORMAT_JCEKS))
            fprintf(stderr, "jkstool: %s: warning: integrity not checked (no store password given)\n",
                    r->file);
        /* a PKCS#12 read without its password: encrypted certificates are
         * not listed (often every one of them: "0 entries") */
        const char *ce = jks_store_cert_encryption(facts);
        if (jks_store_format(facts) == JKS_FORMAT_PKCS12 && !jks_store_storepass_given(facts) &&
            ce[0] && strcmp(ce, "none"))
            fprintf(stderr, "jkstool: %s: note: the certificates are encrypted (%s) and not "
                            "listed without the store password: give --storepass\n",
                    r->file, ce);
        return 0;
    }
    if (r->a->aliases_only) { /* shell completion: aliases only, no prompt, no warning */
        char al[1024];
        char *jl = java_alias(e, jks_format_java_lowercases(jks_store_format(facts)));
        fprintf(r->f, "%s\n", text_safe(jl ? jl : jks_entry_alias(e), al, sizeof al));
        jks_free(jl);
        return 0;
    }
    r->failed |= list_entry(r->f, r->a, e, index == 0,
                            jks_format_java_lowercases(jks_store_format(facts)));
    if (!r->bad_alias && jks_entry_kind_of(e) != JKS_ENTRY_TRUSTED_CERT &&
        jks_entry_key_state(e) != JKS_KEY_DECRYPTED) {
        r->bad_state = jks_entry_key_state(e);
        r->bad_alias = strdup(jks_entry_alias(e));
    }
    return 0;
}

int cmd_list(int argc, char **argv)
{
    cli_args a;
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
    if (!cli_type_ok(&a)) {
        cli_args_free(&a);
        return EXIT_USAGE;
    }
    if ((rc = cli_resolve_passwords(&a, !a.json && !a.aliases_only, file))) {
        cli_args_free(&a);
        return rc;
    }
    cli_read_opts(&a, &ro, kp);
    /* entry by entry: a huge store is listed in constant memory */
    list_run r = {stdout, &a, file, 0, 0, JKS_KEY_DECRYPTED, NULL};
    jks_error_clear(&err);
    jks_status s = jks_store_visit_file(file, &ro, list_visit, &r, &err);
    FILE *f = r.f;
    if (s != JKS_OK) {
        cli_error(file, &err);
        free(r.bad_alias);
        cli_args_free(&a);
        return (int)s;
    }
    rc = EXIT_OK;
    if (r.failed && r.bad_alias) { /* the first key that did not open */
        char al[1024];
        if (r.bad_state == JKS_KEY_UNSUPPORTED)
            cli_errorf(file,
                       "entry \"%s\": key protection is unsupported or over a limit "
                       "(e.g. its iteration count; see --max-iterations)",
                       text_safe(r.bad_alias, al, sizeof al));
        else
            cli_errorf(file,
                       "entry \"%s\": key does not open with any --keypass nor the "
                       "store password",
                       text_safe(r.bad_alias, al, sizeof al));
    }
    if (r.failed)
        rc = EXIT_PASSWORD;
    free(r.bad_alias);
    if (cli_output_failed(f))
        rc = EXIT_IO;
    cli_args_free(&a);
    return rc;
}
