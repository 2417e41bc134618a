/* jkstool gencert: sign a PKCS#10 certificate request with a CA key entry of
 * a keystore, as keytool -gencert does (README "gencert"). The work is
 * jks_store_gencert; this file parses options and prints. */
#include "cli.h"
#include "jks/ops.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *help =
    "usage: jkstool gencert KEYSTORE --alias CA --infile REQ --outfile CERT [options]\n"
    "Sign the certificate request REQ (PKCS#10, PEM or DER; - for standard input) with\n"
    "the key of entry CA and write the certificate, as keytool -gencert does: the\n"
    "request's signature must verify; issuer = the CA certificate's subject;\n"
    "AuthorityKeyIdentifier from the CA, SubjectKeyIdentifier of the new key; random\n"
    "64-bit serial. The CA's chain certificates that are not self-signed follow the new\n"
    "one, so that the file is a complete CA reply (keytool -importcert, jkstool import).\n"
    "  --alias CA          the CA's private-key entry (required); its certificate must not\n"
    "                      say it is no CA (basicConstraints cA false, keyUsage without\n"
    "                      keyCertSign)\n"
    "  --infile REQ        the request (default: standard input)\n"
    "  --outfile CERT      where to write (replaced if present; default: standard output)\n"
    "  --rfc               PEM (\"CERTIFICATE\" blocks); the default for a terminal or a file\n"
    "                      named .pem/.crt\n"
    "  --der               DER certificates one after the other (keytool's default)\n"
    "  --ext EXT           extension, repeatable, keytool syntax (see genkey --help):\n"
    "                      san=dns:a.example eku=serverAuth ku=digitalSignature bc=ca:false;\n"
    "                      the request's own extensions are copied only when asked:\n"
    "                      honored=all  honored=all,-bc  honored=san,eku:critical\n"
    "  --dname DN          subject (default: the request's)\n"
    "  --validity DAYS     validity (default 90)\n"
    "  --startdate WHEN    start of validity, keytool syntax: -1d, +1m+2d, -2H,\n"
    "                      \"2027/01/31 12:00:00\", 2027/01/31 (local time; default now)\n"
    "  --sigalg NAME       signature algorithm (default as keytool 17 for the CA key)\n"
    "  --type T            keystore format (jks, jceks, pkcs12, pem, bks, uber, bcfks);\n"
    "                      default: sniffed\n"
    "  --storepass SPEC    store password: pass:TEXT, env:VAR or file:PATH\n"
    "  --keypass SPEC      key password, repeatable (default: the store password)\n"
    "exit: 0 ok; 2 usage: bad option, dname, ext or sigalg, no such entry, not a key\n"
    "entry, not a CA certificate; 3 wrong password, or the key does not decrypt;\n"
    "4 malformed KEYSTORE or request, or the request's signature does not verify; 5 I/O\n";

static int pem_name(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    return n > 4 && (!strcmp(path + n - 4, ".pem") || !strcmp(path + n - 4, ".crt"));
}

static int run(cli_args *a)
{
    const char *path = a->pos[0];
    const char *in = a->infile ? a->infile : "-";
    const char *outpath = a->outfile ? a->outfile : "-";
    jks_error err;
    jks_read_opts ro;
    const char *kp[CLI_MAX_MULTI];
    jks_store *st = NULL;
    int rc;

    if (a->n_aliases != 1) {
        cli_errorf(NULL, "gencert needs one --alias, the CA's key entry (see --help)");
        return EXIT_USAGE;
    }
    if (a->rfc && a->der) {
        cli_errorf(NULL, "give --rfc or --der, not both");
        return EXIT_USAGE;
    }
    if (!cli_type_ok(a)) {
        return EXIT_USAGE;
    }
    if (a->keyalg || a->keysize) {
        cli_errorf(NULL, "gencert takes no --keyalg or --keysize (the key is the request's)");
        return EXIT_USAGE;
    }
    if (a->file || a->out || a->trustcacerts) {
        cli_errorf(NULL, "gencert reads --infile and writes --outfile (no --file, --out or "
                         "--trustcacerts)");
        return EXIT_USAGE;
    }
    jks_gencert_opts go = JKS_GENCERT_OPTS_INIT;
    go.dname = a->dname;
    go.sigalg = a->sigalg;
    go.exts = a->ext;
    go.n_exts = (size_t)a->n_ext;
    go.validity_days = (uint32_t)a->validity;
    go.output = a->der ? JKS_GENCERT_DER
              : a->rfc || pem_name(outpath) || (cli_is_std(outpath) && isatty(1)) ? JKS_GENCERT_PEM
                                                                                 : JKS_GENCERT_DER;
    jks_error_clear(&err);
    jks_gen_params gp = JKS_GEN_PARAMS_INIT;
    gp.dname = a->dname;
    gp.sigalg = a->sigalg;
    gp.exts = a->ext;
    gp.n_exts = (size_t)a->n_ext;
    if (jks_gen_params_check(&gp, NULL, &err) != JKS_OK ||
        (a->startdate && jks_startdate_parse(a->startdate, 0, &go.not_before, &err) != JKS_OK)) {
        cli_error(NULL, &err);
        return EXIT_USAGE;
    }
    uint8_t *csr = NULL;
    size_t csr_len = 0;
    jks_status s = cli_read_bytes(in, &csr, &csr_len, &err);
    if (s != JKS_OK) {
        cli_error(cli_name(in), &err);
        return (int)s;
    }
    if ((rc = cli_resolve_passwords(a, 1, path))) {
        jks_buffer_free(csr, csr_len);
        return rc;
    }
    cli_read_opts(a, &ro, kp);
    s = jks_store_read_file(path, &ro, &st, &err);
    if (s != JKS_OK) {
        cli_error(path, &err);
        jks_buffer_free(csr, csr_len);
        return (int)s;
    }
    const jks_entry *e = jks_store_find(st, a->aliases[0]);
    if (!e)
        e = jks_store_find_java(st, a->aliases[0]);
    if (!e) {
        cli_errorf(path, "no entry \"%s\"", a->aliases[0]);
        jks_buffer_free(csr, csr_len);
        jks_store_free(st);
        return EXIT_USAGE;
    }
    if (jks_entry_kind_of(e) == JKS_ENTRY_PRIVATE_KEY && jks_entry_key_state(e) != JKS_KEY_DECRYPTED) {
        jks_key_state ks = jks_entry_key_state(e);
        cli_errorf(path, "entry \"%s\": key cannot be decrypted (%s)", jks_entry_alias(e),
                   ks == JKS_KEY_ENCRYPTED     ? "no password given: use --storepass/--keypass"
                   : ks == JKS_KEY_UNSUPPORTED ? "unsupported protection"
                                               : "wrong password: give it with --keypass");
        jks_buffer_free(csr, csr_len);
        jks_store_free(st);
        return EXIT_PASSWORD;
    }
    uint8_t *out = NULL;
    size_t out_len = 0;
    jks_gencert_result res;
    s = jks_store_gencert(st, jks_store_index_of(st, e), csr, csr_len, &go, &res, &out, &out_len,
                          &err);
    if (s != JKS_OK) {
        /* the request's faults name the request, the entry's the keystore */
        cli_error(s == JKS_ERR_FORMAT && strstr(err.msg, "request") ? cli_name(in) : path, &err);
    } else {
        if (res.ca == JKS_GENCERT_CA_UNMARKED)
            fprintf(stderr, "jkstool: %s: warning: entry \"%s\"'s certificate has no "
                            "basicConstraints: Java accepts it as a trusted root, but OpenSSL "
                            "and path validation through it as an intermediate do not (make CAs "
                            "with --ext bc=ca:true)\n",
                    path, jks_entry_alias(e));
        s = cli_write_output(outpath, out, out_len, 0644, 1, &err);
        if (s != JKS_OK)
            cli_error(cli_name(outpath), &err);
        else {
            char na[32];
            iso_time(na, sizeof(na), res.cert.not_after);
            fprintf(stderr, "jkstool: %s: signed \"%s\" with \"%s\" (%s, serial %s, valid "
                            "until %s); wrote %zu certificate%s to %s\n",
                    path, res.cert.subject, jks_entry_alias(e), res.cert.sig_algorithm,
                    res.cert.serial, na, res.n_certs, res.n_certs == 1 ? "" : "s",
                    cli_name(outpath));
        }
    }
    jks_buffer_free(out, out_len);
    jks_buffer_free(csr, csr_len);
    jks_store_free(st);
    return (int)s;
}

int cmd_gencert(int argc, char **argv)
{
    cli_args a;
    int rc = cli_start(argc, argv,
                       OPT_STOREPASS | OPT_KEYPASS | OPT_ALIAS | OPT_TYPE | OPT_GEN | OPT_RFC |
                           OPT_FILE | OPT_GENCERT | OPT_LIMITS,
                       help, 1, 1, &a);
    if (rc >= 0)
        return rc;
    rc = run(&a);
    if (cli_output_failed(stdout))
        rc = rc ? rc : EXIT_IO;
    cli_args_free(&a);
    return rc;
}
