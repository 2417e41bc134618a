/* jkstool csr: a PKCS#10 certificate signing request for a key entry, signed
 * with its key, the way keytool -certreq makes it (README "csr"). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char *help =
    "usage: jkstool csr KEYSTORE --alias A [options]\n"
    "Write a PKCS#10 certificate signing request for the key of entry A, signed with it,\n"
    "as keytool -certreq does (PEM \"CERTIFICATE REQUEST\", the label openssl and CAs use;\n"
    "keytool writes \"NEW CERTIFICATE REQUEST\").\n"
    "  --alias A           the private-key entry (required)\n"
    "  --dname DN          subject (default: the subject of the entry's certificate)\n"
    "  --ext EXT           extension to request, repeatable, keytool syntax (see genkey\n"
    "                      --help): san=dns:a.example,ip:10.0.0.1 eku=clientAuth ku=... bc=...\n"
    "                      the SubjectKeyIdentifier is always requested, as keytool does\n"
    "  --sigalg NAME       signature algorithm (default as keytool 17 for the key)\n"
    "  --out FILE          write the request to FILE (replaced if present; also --file);\n"
    "                      default: standard output\n"
    "  --der               write DER instead of PEM\n"
    "  --type T            keystore format (jks, jceks, pkcs12, pem, bks, uber, bcfks);\n"
    "                      default: sniffed\n"
    "  --storepass SPEC    store password: pass:TEXT, env:VAR or file:PATH\n"
    "  --keypass SPEC      key password, repeatable (default: the store password)\n"
    "exit: 0 ok; 2 usage: bad option, dname, ext or sigalg, no such key entry; 3 wrong\n"
    "password, or the key does not decrypt; 4 malformed KEYSTORE; 5 I/O\n";

static int run(cli_args *a)
{
    const char *path = a->pos[0];
    const char *outpath = a->out ? a->out : a->file;
    jks_gen_params gp;
    jks_error err;
    jks_read_opts ro;
    const char *kp[CLI_MAX_MULTI];
    jks_store *st = NULL;
    int rc;

    if (a->n_aliases != 1) {
        cli_errorf(NULL, "csr needs one --alias (see --help)");
        return EXIT_USAGE;
    }
    if (a->out && a->file) {
        cli_errorf(NULL, "give --out or --file, not both");
        return EXIT_USAGE;
    }
    if (!cli_type_ok(a)) {
        return EXIT_USAGE;
    }
    if (a->keyalg || a->keysize || a->validity) {
        cli_errorf(NULL, "csr takes no --keyalg, --keysize or --validity");
        return EXIT_USAGE;
    }
    memset(&gp, 0, sizeof(gp));
    gp.dname = a->dname;
    gp.sigalg = a->sigalg;
    gp.exts = a->ext;
    gp.n_exts = (size_t)a->n_ext;
    jks_error_clear(&err);
    if (jks_gen_params_check(&gp, NULL, &err) != JKS_OK) {
        cli_error(NULL, &err);
        return EXIT_USAGE;
    }
    if ((rc = cli_resolve_passwords(a, 1, path)))
        return rc;
    cli_read_opts(a, &ro, kp);
    jks_status s = jks_store_read_file(path, &ro, &st, &err);
    if (s != JKS_OK) {
        cli_error(path, &err);
        return (int)s;
    }
    const jks_entry *e = jks_store_find(st, a->aliases[0]);
    if (!e || jks_entry_kind_of(e) != JKS_ENTRY_PRIVATE_KEY) {
        if (!e)
            cli_errorf(path, "no entry \"%s\"", a->aliases[0]);
        else
            cli_errorf(path, "entry \"%s\" is a %s entry, not a private key", jks_entry_alias(e),
                       jks_entry_kind_name(jks_entry_kind_of(e)));
        jks_store_free(st);
        return EXIT_USAGE;
    }
    if (jks_entry_key_state(e) != JKS_KEY_DECRYPTED) {
        jks_key_state ks = jks_entry_key_state(e);
        cli_errorf(path, "entry \"%s\": key cannot be decrypted (%s)", jks_entry_alias(e),
                   ks == JKS_KEY_ENCRYPTED     ? "no password given: use --storepass/--keypass"
                   : ks == JKS_KEY_UNSUPPORTED ? "unsupported protection"
                                               : "wrong password: give it with --keypass");
        jks_store_free(st);
        return EXIT_PASSWORD;
    }
    jks_bytes p8 = jks_entry_pkcs8(e);
    jks_bytes cert = jks_entry_chain_len(e) ? jks_entry_cert(e, 0) : (jks_bytes){NULL, 0};
    uint8_t *der = NULL;
    size_t der_len = 0;
    char *pem = NULL;
    size_t pem_len = 0;
    s = jks_csr_create(p8.data, p8.len, cert.data, cert.len, &gp, &der, &der_len, &err);
    if (s == JKS_OK && !a->der)
        s = jks_pem_armor("CERTIFICATE REQUEST", der, der_len, &pem, &pem_len, &err);
    const uint8_t *bytes = a->der ? der : (const uint8_t *)pem;
    size_t n = a->der ? der_len : pem_len;
    if (s == JKS_OK && outpath) {
        s = jks_file_write_atomic(outpath, bytes, n, 0644, 1, &err);
        if (s != JKS_OK) {
            cli_error(outpath, &err);
        } else {
            fprintf(stderr, "jkstool: wrote %s (certificate request for \"%s\")\n", outpath,
                    jks_entry_alias(e));
        }
    } else if (s == JKS_OK) {
        if (fwrite(bytes, 1, n, stdout) != n)
            s = JKS_ERR_IO;
    } else {
        if (!err.alias[0])
            snprintf(err.alias, sizeof(err.alias), "%s", jks_entry_alias(e));
        cli_error(path, &err);
    }
    jks_buffer_free(der, der_len);
    jks_free(pem);
    jks_store_free(st);
    return (int)s;
}

int cmd_csr(int argc, char **argv)
{
    cli_args a;
    int rc = cli_start(argc, argv,
                       OPT_STOREPASS | OPT_KEYPASS | OPT_ALIAS | OPT_TYPE | OPT_GEN | OPT_FILE |
                           OPT_LIMITS,
                       help, 1, 1, &a);
    if (rc >= 0)
        return rc;
    rc = run(&a);
    if (cli_output_failed(stdout))
        rc = rc ? rc : EXIT_IO;
    cli_args_free(&a);
    return rc;
}
