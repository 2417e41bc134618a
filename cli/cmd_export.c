/* jkstool export: write one entry's certificate, certificate chain or private
 * key (PKCS#8) as PEM or DER, to stdout or atomically to a file (README
 * "export"). Keys go only where asked: a file (mode 0600) or "--out -". */
#include "cli.h"
#include "jks/ops.h"
#include "jks/source.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *help =
    "usage: jkstool export KEYSTORE [--alias A] [--to cert|chain|key] [--out FILE] [options]\n"
    "Write an entry's certificate (default), its whole chain, or its private key.\n"
    "  --alias A             the entry (may be left out when the store has one entry, or\n"
    "                        for --to key one private key entry)\n"
    "  --to cert             the entry's (leaf) certificate, PEM (default) or DER\n"
    "  --to chain            the leaf and its chain, leaf first, PEM\n"
    "  --to key              the private key as PKCS#8: PEM \"PRIVATE KEY\", or \"ENCRYPTED\n"
    "                        PRIVATE KEY\" (PBES2 AES-256-CBC, PBKDF2-HMAC-SHA256) when\n"
    "                        --new-keypass is given (also: --to pkcs8)\n"
    "  --der                 DER instead of PEM (a single certificate, or the key)\n"
    "  --rfc                 PEM (the default; accepted for keytool's -rfc)\n"
    "  -o, --out FILE        write FILE atomically (mode 0600 for a key, 0644 otherwise);\n"
    "                        \"-\" is stdout; --file FILE is the same\n"
    "  -f, --force           replace FILE when it exists\n"
    "  --storepass SPEC      store password: pass:TEXT, env:VAR or file:PATH (prompted for on\n"
    "                        a terminal when not given)\n"
    "  --keypass SPEC        key password, repeatable; tried before the store password\n"
    "  --new-keypass SPEC    --to key: encrypt the exported key with this password\n"
    "  --type T              read KEYSTORE as this format (jks, jceks, pkcs12, pem, bks,\n"
    "                        uber, bcfks)\n"
    "  --max-iterations N    refuse PBE iteration counts above N (default 5000000)\n"
    "  --max-work N          refuse files asking more key-derivation work than N\n"
    "                        (PBKDF2-SHA256 iterations summed; default 20000000)\n"
    "KEYSTORE \"-\" is read from standard input (bounded as a file is).\n"
    "Without --out a certificate goes to stdout; a private key needs --out FILE, or --out -\n"
    "to send it to stdout on purpose.\n"
    "exit: 0 ok; 2 usage (unknown alias, no key in the entry, --der for a chain, a key\n"
    "without --out, FILE exists without --force); 3 wrong password or key does not open;\n"
    "4 malformed keystore; 5 I/O\n";

enum { WHAT_CERT, WHAT_CHAIN, WHAT_KEY };

static int run(cli_args *a)
{
    const char *path = a->pos[0];
    const char *out = a->out ? a->out : a->file;
    const char *kp[CLI_MAX_MULTI];
    jks_read_opts ro;
    jks_store *st = NULL;
    jks_error err;
    int rc, what = WHAT_CERT;

    if (a->keep_encryption || a->reencrypt || a->skip_unsupported || a->require_key ||
        a->keep_hidden || a->pkcs12_algorithms ||
        a->split_dir || a->trustcacerts || a->new_storepass_spec) {
        cli_errorf(NULL, "option not used by export (see --help)");
        return EXIT_USAGE;
    }
    if (a->out && a->file) {
        cli_errorf(NULL, "give the output once: --out or --file");
        return EXIT_USAGE;
    }
    if (!cli_type_ok(a)) {
        return EXIT_USAGE;
    }
    if (a->to) {
        if (!strcasecmp(a->to, "cert"))
            what = WHAT_CERT;
        else if (!strcasecmp(a->to, "chain"))
            what = WHAT_CHAIN;
        else if (!strcasecmp(a->to, "key") || !strcasecmp(a->to, "pkcs8"))
            what = WHAT_KEY;
        else {
            cli_errorf(NULL, "--to takes cert, chain or key, not %s", a->to);
            return EXIT_USAGE;
        }
    }
    if (a->der && a->rfc) {
        cli_errorf(NULL, "--der and --rfc exclude each other");
        return EXIT_USAGE;
    }
    if (a->n_aliases > 1) {
        cli_errorf(NULL, "export writes one entry: give one --alias");
        return EXIT_USAGE;
    }
    if (a->new_keypass_spec && what != WHAT_KEY) {
        cli_errorf(NULL, "--new-keypass encrypts an exported key: use it with --to key");
        return EXIT_USAGE;
    }
    if (what == WHAT_KEY && !out) {
        cli_errorf(NULL, "a private key is written only where asked: give --out FILE "
                         "(or --out - for stdout)");
        return EXIT_USAGE;
    }
    int to_stdout = !out || !strcmp(out, "-");
    if (!to_stdout && !a->force && jks_file_would_replace(out)) {
        cli_errorf(out, "exists (use --force to replace it)");
        return EXIT_USAGE;
    }
    if ((rc = cli_resolve_passwords(a, 1, path)))
        return rc;

    cli_read_opts(a, &ro, kp);
    ro.no_decrypt = what != WHAT_KEY;
    jks_error_clear(&err);
    jks_status s = cli_read_store(path, &ro, &st, &err);
    if (s != JKS_OK) {
        cli_error(cli_name(path), &err);
        return (int)s;
    }
    if (!a->storepass && jks_store_format(st) != JKS_FORMAT_PEM)
        fprintf(stderr, "jkstool: %s: note: no store password given: the file's integrity "
                        "was not verified\n",
                path);
    const jks_entry *e = NULL;
    if (a->n_aliases) {
        e = jks_store_find(st, a->aliases[0]);
        if (!e) {
            cli_errorf(path, "no entry \"%s\"", a->aliases[0]);
            rc = EXIT_USAGE;
            goto out;
        }
    } else if (jks_store_count(st) == 1) {
        e = jks_store_entry(st, 0);
    } else if (what == WHAT_KEY && jks_store_private_key_count(st) == 1) {
        for (size_t i = 0; i < jks_store_count(st); i++)
            if (jks_entry_kind_of(jks_store_entry(st, i)) == JKS_ENTRY_PRIVATE_KEY)
                e = jks_store_entry(st, i);
    } else {
        cli_errorf(path, "the store holds %zu entries%s: say which with --alias",
                   jks_store_count(st),
                   what == WHAT_KEY ? " and not exactly one private key" : "");
        rc = EXIT_USAGE;
        goto out;
    }
    const char *alias = jks_entry_alias(e);
    jks_entry_kind kind = jks_entry_kind_of(e);
    size_t nc = jks_entry_chain_len(e);
    if (kind == JKS_ENTRY_SECRET_KEY || (what == WHAT_KEY && kind != JKS_ENTRY_PRIVATE_KEY) ||
        (what != WHAT_KEY && nc == 0)) {
        cli_errorf(path, "entry \"%s\" is a %s: it has no %s", alias, jks_entry_kind_name(kind),
                   what == WHAT_KEY ? "private key" : "certificate");
        rc = EXIT_USAGE;
        goto out;
    }
    if (what == WHAT_CHAIN && a->der && nc > 1) {
        cli_errorf(path, "entry \"%s\": DER holds one certificate and the chain has %zu: "
                         "use PEM (leave out --der)",
                   alias, nc);
        rc = EXIT_USAGE;
        goto out;
    }
    jks_bytes p8 = {NULL, 0};
    if (what == WHAT_KEY) {
        p8 = jks_entry_pkcs8(e);
        if (!p8.len) {
            jks_key_state ks = jks_entry_key_state(e);
            cli_errorf(path, "entry \"%s\": key %s", alias,
                       ks == JKS_KEY_UNSUPPORTED ? "uses an unsupported protection"
                       : ks == JKS_KEY_ENCRYPTED ? "is encrypted and no password was given: use "
                                                   "--storepass/--keypass"
                                                 : "does not open: give its password with --keypass");
            rc = EXIT_PASSWORD;
            goto out;
        }
    }

    /* the bytes (PEM, or DER as stored; keys encrypted with --new-keypass) */
    uint8_t *buf = NULL;
    size_t len = 0;
    jks_export_opts xo = JKS_EXPORT_OPTS_INIT;
    xo.der = a->der;
    xo.password = what == WHAT_KEY ? a->new_keypass : NULL;
    jks_error_clear(&err);
    s = jks_entry_export(e, what == WHAT_KEY     ? JKS_EXPORT_KEY
                            : what == WHAT_CHAIN ? JKS_EXPORT_CHAIN
                                                 : JKS_EXPORT_CERT,
                         &xo, &buf, &len, &err);
    if (s == JKS_OK && to_stdout) {
        if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0) {
            s = err.status = JKS_ERR_IO;
            snprintf(err.msg, sizeof(err.msg), "cannot write to stdout");
        }
    } else if (s == JKS_OK) {
        s = jks_file_write_atomic(out, buf, len, what == WHAT_KEY ? 0600 : 0644, a->force, &err);
    }
    jks_buffer_free(buf, len);
    if (s != JKS_OK) {
        if (!err.alias[0])
            snprintf(err.alias, sizeof(err.alias), "%s", alias);
        cli_error(to_stdout ? path : out, &err);
        rc = (int)s;
        goto out;
    }
    if (!to_stdout)
        fprintf(stderr, "jkstool: wrote %s (%s of \"%s\", %s%s)\n", out,
                what == WHAT_KEY     ? "private key"
                : what == WHAT_CHAIN ? "certificate chain"
                                     : "certificate",
                alias, a->der ? "DER" : "PEM",
                what == WHAT_KEY ? (a->new_keypass ? ", encrypted" : ", not encrypted") : "");
    rc = EXIT_OK;
out:
    jks_store_free(st);
    return rc;
}

int cmd_export(int argc, char **argv)
{
    cli_args a;
    int rc = cli_start(argc, argv,
                       OPT_STOREPASS | OPT_KEYPASS | OPT_NEWPASS | OPT_ALIAS | OPT_FILE |
                           OPT_TYPE | OPT_RFC | OPT_CONVERT | OPT_LIMITS,
                       help, 1, 1, &a);
    if (rc >= 0)
        return rc;
    rc = run(&a);
    cli_args_free(&a);
    return rc;
}
