/* jkstool passwd: rewrite a keystore in place, in its own format, with a new
 * store password, re-encrypting its keys with the new key password (README
 * "passwd"). Every key to re-encrypt must open first; otherwise nothing is
 * written. The file is replaced atomically. */
#include "cli.h"
#include "jks/ops.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *help =
    "usage: jkstool passwd KEYSTORE --storepass OLD --new-storepass NEW [options]\n"
    "Change the store password of a keystore (JKS, JCEKS, PKCS#12, BKS, UBER, BCFKS) and\n"
    "re-encrypt its keys, rewriting the file in place in the same format.\n"
    "  --storepass SPEC      current store password: pass:TEXT, env:VAR or file:PATH\n"
    "                        (prompted for on a terminal when not given)\n"
    "  --keypass SPEC        current key password, repeatable; each key tries them, then the\n"
    "                        current store password\n"
    "  --new-storepass SPEC  new store password (default: keep the current one)\n"
    "  --new-keypass SPEC    new password of the keys (default: the new store password, which\n"
    "                        is what Java's TLS key manager needs); PKCS#12 keys always use the\n"
    "                        store password\n"
    "  --alias A             JKS/JCEKS: re-encrypt only this entry's key, repeatable; the other\n"
    "                        keys keep their current encryption and password\n"
    "  --type T              read KEYSTORE as this format (jks, jceks, pkcs12, pem, bks,\n"
    "                        uber, bcfks)\n"
    "  --max-iterations N    refuse PBE iteration counts above N (default 5000000)\n"
    "  --max-work N          refuse files asking more key-derivation work than N\n"
    "                        (PBKDF2-SHA256 iterations summed; default 20000000)\n"
    "Without --alias every private and secret key is decrypted and encrypted again with the\n"
    "new key password, so that afterwards all keys use one password. To give every key the\n"
    "store password (the fix for check's key-password-differs):\n"
    "  jkstool passwd KS --storepass env:P --keypass env:K --new-storepass env:P\n"
    "A PKCS#12 file keeps its algorithm family (legacy JDK 8 or modern). A PEM file has no\n"
    "store password: its keys are written as ENCRYPTED PRIVATE KEY with the new key password.\n"
    "The file is replaced atomically (mode 0600 when it holds keys, else its current mode).\n"
    "exit: 0 ok; 2 usage (no new password, unknown alias, PKCS#12 key password other than the\n"
    "store password); 3 wrong store password, or a key that does not open (named; nothing is\n"
    "written); 4 malformed keystore; 5 I/O\n";

static int is_key(const jks_entry *e)
{
    return jks_entry_kind_of(e) != JKS_ENTRY_TRUSTED_CERT;
}

static int run(cli_args *a)
{
    const char *path = a->pos[0];
    const char *kp[CLI_MAX_MULTI];
    jks_read_opts ro;
    jks_store *st = NULL;
    jks_error err;
    int rc;

    if (!cli_type_ok(a)) {
        return EXIT_USAGE;
    }
    if (!a->new_storepass_spec && !a->new_keypass_spec) {
        cli_errorf(NULL, "give the new password with --new-storepass (and/or --new-keypass)");
        return EXIT_USAGE;
    }
    if ((rc = cli_resolve_passwords(a, 1, path)))
        return rc;
    if (!a->storepass) {
        cli_errorf(path, "the current store password is needed: give --storepass");
        return EXIT_USAGE;
    }
    const char *nsp = a->new_storepass ? a->new_storepass : a->storepass;
    const char *nkp = a->new_keypass ? a->new_keypass : nsp;

    /* the real file behind a symbolic link is the one replaced */
    char real[PATH_MAX];
    struct stat sb;
    int erc = cli_existing_store(path, real, &sb);
    if (erc)
        return erc;

    cli_read_opts(a, &ro, kp);
    jks_error_clear(&err);
    jks_status s = jks_store_read_file(real, &ro, &st, &err);
    if (s != JKS_OK) {
        cli_error(path, &err);
        return (int)s;
    }
    jks_format f = jks_store_format(st);
    if (f == JKS_FORMAT_PKCS12 && a->new_keypass && strcmp(a->new_keypass, nsp)) {
        cli_errorf(path, "PKCS#12 keys must use the store password (Java opens them with it): "
                         "leave out --new-keypass or make it equal to --new-storepass");
        rc = EXIT_USAGE;
        goto out;
    }
    if (a->n_aliases && f != JKS_FORMAT_JKS && f != JKS_FORMAT_JCEKS) {
        cli_errorf(path, "--alias works on JKS and JCEKS only: %s keys are all re-encrypted",
                   cli_format_label(f));
        rc = EXIT_USAGE;
        goto out;
    }

    /* which keys get the new key password: all, or the --alias ones */
    size_t n = jks_store_count(st), nkeys = 0;
    char *sel = calloc(n + 1, 1);
    if (!sel) {
        cli_errorf(NULL, "out of memory");
        rc = EXIT_IO;
        goto out;
    }
    for (int i = 0; i < a->n_aliases; i++) {
        const jks_entry *e = jks_store_find(st, a->aliases[i]);
        if (!e || !is_key(e)) {
            cli_errorf(path, e ? "entry \"%s\" is a trusted certificate: it has no key password"
                               : "no entry \"%s\"",
                       a->aliases[i]);
            free(sel);
            rc = EXIT_USAGE;
            goto out;
        }
        for (size_t j = 0; j < n; j++)
            if (jks_store_entry(st, j) == e)
                sel[j] = 1;
    }
    for (size_t j = 0; j < n; j++) {
        const jks_entry *e = jks_store_entry(st, j);
        if (!is_key(e) || (a->n_aliases && !sel[j]))
            continue;
        sel[j] = 1;
        nkeys++;
        jks_key_state ks = jks_entry_key_state(e);
        if (ks == JKS_KEY_DECRYPTED)
            continue;
        cli_errorf(path, "entry \"%s\": key %s; nothing was written", jks_entry_alias(e),
                   ks == JKS_KEY_UNSUPPORTED
                       ? "uses an unsupported protection and cannot be re-encrypted"
                       : "does not open with the --keypass values or the store password: give "
                         "its password with --keypass");
        free(sel);
        rc = EXIT_PASSWORD;
        goto out;
    }
    for (size_t j = 0; j < n; j++) {
        const jks_entry *e = jks_store_entry(st, j);
        if (!jks_entry_java_visible(e) && is_key(e))
            fprintf(stderr,
                    "jkstool: %s: note: key \"%s\" was in an unencrypted key bag Java skips; "
                    "it is written encrypted, and Java will list it\n",
                    path, jks_entry_alias(e));
        else if (!jks_entry_java_visible(e))
            fprintf(stderr,
                    "jkstool: %s: note: certificate \"%s\" had no Java trust attribute; it is "
                    "written as a trusted certificate Java will list\n",
                    path, jks_entry_alias(e));
        if (a->n_aliases && sel[j])
            jks_store_forget_protection(st, j);
    }
    free(sel);
    if (strlen(nsp) < 6 || strlen(nkp) < 6)
        fprintf(stderr, "jkstool: %s: note: keytool refuses passwords shorter than 6 characters\n",
                path);

    jks_write_opts wo;
    memset(&wo, 0, sizeof(wo));
    wo.format = f;
    wo.storepass = nsp;
    wo.keypass = nkp;
    wo.keep_encryption = a->n_aliases > 0; /* unselected keys keep theirs */
    wo.p12_algorithms = jks_store_p12_algorithms(st);
    wo.pem_encrypt_keys = 1;
    uint8_t *buf = NULL;
    size_t len = 0;
    int has_keys = 0;
    for (size_t j = 0; j < n; j++)
        has_keys |= is_key(jks_store_entry(st, j));
    jks_error_clear(&err);
    s = jks_store_write(st, &wo, &buf, &len, &err);
    if (s == JKS_OK)
        s = jks_file_write_atomic(real, buf, len, has_keys ? 0600 : (unsigned)(sb.st_mode & 07777),
                                  1, &err);
    jks_buffer_free(buf, len);
    if (s != JKS_OK) {
        cli_error(path, &err);
        rc = (int)s;
        goto out;
    }
    fprintf(stderr, "jkstool: %s: %s%s%zu key%s re-encrypted (%s)\n", path,
            a->new_storepass ? "store password changed, " : "",
            f == JKS_FORMAT_PEM && a->new_storepass ? "(PEM has none) " : "", nkeys,
            nkeys == 1 ? "" : "s", jks_format_name(f));
    rc = EXIT_OK;
out:
    jks_store_free(st);
    return rc;
}

int cmd_passwd(int argc, char **argv)
{
    cli_args a;
    int rc = cli_start(argc, argv,
                       OPT_STOREPASS | OPT_KEYPASS | OPT_NEWPASS | OPT_ALIAS | OPT_TYPE |
                           OPT_LIMITS,
                       help, 1, 1, &a);
    if (rc >= 0)
        return rc;
    rc = run(&a);
    cli_args_free(&a);
    return rc;
}
