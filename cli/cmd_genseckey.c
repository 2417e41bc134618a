/* jkstool genseckey: a random secret key (keytool -genseckey) or a password
 * kept as a PBE key (keytool -importpass) added to a JCEKS or PKCS#12 store
 * (README "genseckey"). The key is the library's (jks_store_generate_secret_key,
 * jks_store_add_password); the store is created when missing and written
 * atomically, 0600. */
#include "cli.h"
#include "jks/ops.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *help =
    "usage: jkstool genseckey KEYSTORE --alias A (--keyalg ALG [--keysize N] | --password-entry SPEC)\n"
    "                         [--type T] [--storepass SPEC] [--keypass SPEC] [--json]\n"
    "Add a secret key entry to KEYSTORE (JCEKS or PKCS#12; JKS cannot hold one), as keytool\n"
    "-genseckey and -importpass do. KEYSTORE is created when missing.\n"
    "  --alias A           entry name (required); lower-cased, as keytool stores it\n"
    "  --keyalg ALG        a random key, Java's names and sizes: AES (128, 192, 256), DES\n"
    "                      (56, default), DESede (112, 168 default), HmacSHA1/224/256/384/512\n"
    "                      and HmacSHA3-* (40 bits or more), ARCFOUR (40..1024), and for\n"
    "                      JCEKS only HmacMD5, RC2, Blowfish, ChaCha20 (JDK 17's PKCS12\n"
    "                      cannot store them)\n"
    "  --keysize N         key size in bits (required but for DES and DESede)\n"
    "  --password-entry SPEC  keep this password (pass:TEXT, env:VAR, file:PATH; printable\n"
    "                      ASCII) as a PBE key, as keytool -importpass does\n"
    "  --type T            format of a new KEYSTORE: pkcs12 (default, as keytool 17) or\n"
    "                      jceks; default from the extension (.p12 .pfx .jceks); an existing\n"
    "                      KEYSTORE keeps its format\n"
    "  --storepass SPEC    store password: pass:TEXT, env:VAR or file:PATH (prompted on a\n"
    "                      terminal); it also protects the new key\n"
    "  --keypass SPEC      JCEKS: a different password for the new key; PKCS#12 ignores it,\n"
    "                      as keytool does\n"
    "  --json              print a JSON summary on stdout\n"
    "exit: 0 ok; 2 usage: bad option, algorithm or size, alias exists, JKS or PEM store, an\n"
    "algorithm PKCS#12 cannot hold, no store password; 3 wrong store password, or an\n"
    "existing PKCS#12 key that does not open with it; 4 malformed KEYSTORE; 5 I/O\n";

static void summary(const cli_args *a, const char *path, const char *alias, jks_format f,
                    const char *alg, unsigned bits, int created)
{
    if (!a->json) {
        if (bits)
            fprintf(stderr, "jkstool: %s: generated a %u-bit %s secret key; added as \"%s\" (%s%s)\n",
                    path, bits, alg, alias, cli_format_label(f), created ? ", new file" : "");
        else
            fprintf(stderr, "jkstool: %s: stored the password as a %s key; added as \"%s\" (%s%s)\n",
                    path, alg, alias, cli_format_label(f), created ? ", new file" : "");
        return;
    }
    printf("{\"keystore\":");
    json_str(stdout, path);
    printf(",\"format\":\"%s\",\"created\":%s,\"alias\":", jks_format_name(f),
           created ? "true" : "false");
    json_str(stdout, alias);
    printf(",\"kind\":\"%s\",\"algorithm\":", bits ? "secret-key" : "password");
    json_str(stdout, alg);
    printf(",\"bits\":%u}\n", bits);
}

static int run(cli_args *a)
{
    const char *path = a->pos[0];
    jks_error err;
    int rc;
    jks_secret_spec sp;
    memset(&sp, 0, sizeof(sp));
    jks_error_clear(&err);
    if (a->n_aliases != 1 || (!a->keyalg == !a->password_entry_spec)) {
        cli_errorf(NULL, "genseckey needs --alias and one of --keyalg or --password-entry (see --help)");
        return EXIT_USAGE;
    }
    if (a->dname || a->sigalg || a->n_ext || a->validity) {
        cli_errorf(NULL, "genseckey takes no --dname, --sigalg, --ext or --validity (see --help)");
        return EXIT_USAGE;
    }
    if (a->n_keypass > 1) {
        cli_errorf(NULL, "genseckey takes one --keypass");
        return EXIT_USAGE;
    }
    jks_format want = cli_new_store_format(a->type, path);
    if (want == JKS_FORMAT_UNKNOWN) {
        cli_errorf(NULL, "unknown --type %s (pkcs12, jceks)", a->type);
        return EXIT_USAGE;
    }
    if (a->keyalg && jks_secret_key_spec(a->keyalg, (unsigned)a->keysize, &sp, &err) != JKS_OK) {
        cli_error(NULL, &err);
        return EXIT_USAGE;
    }
    char alias[512];
    if ((rc = cli_new_entry_alias(a->aliases[0], alias, sizeof(alias))))
        return rc;

    if ((rc = cli_resolve_passwords(a, !a->json, path)))
        return rc;
    jks_store *st = NULL;
    int exists = 0;
    if ((rc = cli_open_or_new_store(a, path, want, &st, &exists)))
        return rc;
    jks_format f = jks_store_format(st);
    rc = EXIT_USAGE;
    const jks_entry *old = jks_store_find(st, alias);
    if (old)
        cli_errorf(path, "alias \"%s\" already exists", jks_entry_alias(old));
    else if (f != JKS_FORMAT_JCEKS && f != JKS_FORMAT_PKCS12)
        cli_errorf(path, "%s cannot hold a secret key (use JCEKS or PKCS#12)", cli_format_label(f));
    else if (f == JKS_FORMAT_PKCS12 && a->keyalg && !sp.pkcs12)
        cli_errorf(path, "JDK 17's PKCS#12 cannot store a %s key (use JCEKS)", sp.algorithm);
    else if (!a->storepass)
        cli_errorf(path, "writing %s needs a store password: give --storepass", cli_format_label(f));
    else
        rc = EXIT_OK;
    const char *keypass = a->storepass;
    if (!rc && a->n_keypass && a->keypass[0] && strcmp(a->keypass[0], a->storepass)) {
        if (f == JKS_FORMAT_JCEKS)
            keypass = a->keypass[0];
        else
            fprintf(stderr, "jkstool: warning: PKCS#12 keys use the store password; ignoring "
                            "--keypass (as keytool does)\n");
    }
    if (!rc && f == JKS_FORMAT_PKCS12) /* rewriting encrypts every key with the store password */
        for (size_t i = 0; i < jks_store_count(st); i++) {
            const jks_entry *e = jks_store_entry(st, i);
            if (jks_entry_kind_of(e) != JKS_ENTRY_TRUSTED_CERT &&
                jks_entry_key_state(e) != JKS_KEY_DECRYPTED) {
                cli_errorf(path, "entry \"%s\" does not open with the store password",
                           jks_entry_alias(e));
                rc = EXIT_PASSWORD;
                break;
            }
        }
    if (rc) {
        jks_store_free(st);
        return rc;
    }
    int64_t now = (int64_t)time(NULL) * 1000;
    jks_status s = a->keyalg ? jks_store_generate_secret_key(st, alias, a->keyalg, sp.bits, now, &err)
                             : jks_store_add_password(st, alias, a->password_entry, now, &err);
    uint8_t *out = NULL;
    size_t out_len = 0;
    if (s == JKS_OK) {
        jks_write_opts wo;
        memset(&wo, 0, sizeof(wo));
        wo.format = f;
        wo.storepass = a->storepass;
        wo.keypass = keypass;
        wo.keep_encryption = f != JKS_FORMAT_PKCS12; /* other JCEKS keys keep their passwords */
        wo.p12_algorithms = jks_store_p12_algorithms(st);
        s = jks_store_write(st, &wo, &out, &out_len, &err);
    }
    if (s == JKS_OK)
        s = jks_file_write_atomic(path, out, out_len, 0600, exists, &err);
    if (s == JKS_OK)
        summary(a, path, alias, f, a->keyalg ? sp.algorithm : JKS_PASSWORD_KEY_ALG, sp.bits, !exists);
    else
        cli_error(path, &err);
    jks_buffer_free(out, out_len);
    jks_store_free(st);
    return (int)s;
}

int cmd_genseckey(int argc, char **argv)
{
    cli_args a;
    int rc = cli_start(argc, argv,
                       OPT_STOREPASS | OPT_KEYPASS | OPT_ALIAS | OPT_TYPE | OPT_GEN | OPT_SECRET |
                           OPT_JSON | OPT_LIMITS,
                       help, 1, 1, &a);
    if (rc >= 0)
        return rc;
    rc = run(&a);
    if (cli_output_failed(stdout))
        rc = rc ? rc : EXIT_IO;
    cli_args_free(&a);
    return rc;
}
