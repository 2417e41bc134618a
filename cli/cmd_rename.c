/* jkstool rename: give one entry of a keystore a new alias, in place, as
 * keytool -changealias does (README "rename"). OLD is found as Java finds it
 * (jks_store_find: exact, else lower-cased); NEW is stored as Java stores an
 * alias in the format (lower-cased for JKS, JCEKS and PKCS#12). The entry's
 * key keeps its stored protection byte for byte, so its password does not
 * change and it is not decrypted. The file is replaced atomically. */
#include "cli.h"
#include "jks/ops.h"
#include "jks/source.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *help =
    "usage: jkstool rename KEYSTORE OLD NEW [options]\n"
    "Rename entry OLD of a JKS, JCEKS, PKCS#12, BKS or UBER keystore to NEW, rewriting the\n"
    "file in place in the same format (keytool -changealias).\n"
    "  --storepass SPEC      store password: pass:TEXT, env:VAR or file:PATH (prompted for\n"
    "                        on a terminal when not given)\n"
    "  --keypass SPEC        the key password of OLD (repeatable): when given, OLD's key must\n"
    "                        open with one of them (or the store password), as keytool's\n"
    "                        -keypass must; without it the key is not decrypted at all\n"
    "  --type T              read KEYSTORE as this format (jks, jceks, pkcs12, bks, uber)\n"
    "  --json                print a JSON summary on stdout\n"
    "  --max-iterations N    refuse PBE iteration counts above N (default 5000000)\n"
    "  --max-work N          refuse files asking more key-derivation work than N\n"
    "                        (PBKDF2-SHA256 iterations summed; default 20000000)\n"
    "OLD is found as Java finds it: the exact alias, else the alias equal to it once both\n"
    "are lower-cased. NEW is stored as keytool stores it: lower-cased in JKS, JCEKS and\n"
    "PKCS#12 (Java lower-cases the aliases it writes), as given in BKS and UBER. The entry\n"
    "keeps its place, dates, chain and key: a key keeps its encryption and its password.\n"
    "The fix for check's alias-not-lowercase:\n"
    "  jkstool rename KS MyKey mykey --storepass env:STOREPASS\n"
    "The file is replaced atomically and keeps its owner, group and mode.\n"
    "exit: 0 ok; 2 usage (OLD does not exist, NEW exists, empty NEW, PEM input); 3 wrong\n"
    "store password, or OLD's key does not open with --keypass (nothing is written);\n"
    "4 malformed keystore; 5 I/O\n";

static int is_key(const jks_entry *e)
{
    return jks_entry_kind_of(e) != JKS_ENTRY_TRUSTED_CERT;
}

static void summary(const cli_args *a, const char *path, jks_format f, const char *old,
                    const char *new_alias, const char *asked)
{
    if (!a->json) {
        char o[256], n[256], q[256];
        fprintf(stderr, "jkstool: %s: renamed \"%s\" to \"%s\" (%s)\n", path,
                text_safe(old, o, sizeof o), text_safe(new_alias, n, sizeof n),
                cli_format_label(f));
        if (strcmp(asked, new_alias))
            fprintf(stderr,
                    "jkstool: %s: note: \"%s\" is stored lower-cased, as Java stores %s "
                    "aliases\n",
                    path, text_safe(asked, q, sizeof q), cli_format_label(f));
        return;
    }
    printf("{\"keystore\":");
    json_str(stdout, path);
    printf(",\"format\":\"%s\",\"old_alias\":", jks_format_name(f));
    json_str(stdout, old);
    printf(",\"alias\":");
    json_str(stdout, new_alias);
    printf(",\"lowercased\":%s}\n", strcmp(asked, new_alias) ? "true" : "false");
}

static int run(cli_args *a)
{
    const char *path = a->pos[0], *old = a->pos[1], *asked = a->pos[2];
    const char *kp[CLI_MAX_MULTI];
    jks_read_opts ro;
    jks_store *st = NULL;
    char *low = NULL, *old_alias = NULL;
    jks_error err;
    int rc;

    if (a->type && jks_format_from_name(a->type) == JKS_FORMAT_UNKNOWN) {
        cli_errorf(NULL, "unknown --type %s (jks, jceks, pkcs12, bks, uber)", a->type);
        return EXIT_USAGE;
    }
    if (!*asked) {
        cli_errorf(path, "the new alias is empty");
        return EXIT_USAGE;
    }
    if ((rc = cli_resolve_passwords(a, 1, path)))
        return rc;
    if (!a->storepass) {
        cli_errorf(path, "the store password is needed to write the store back: give --storepass");
        return EXIT_USAGE;
    }

    /* the real file behind a symbolic link is the one replaced */
    char real[PATH_MAX];
    struct stat sb;
    int erc = cli_existing_store(path, real, &sb);
    if (erc)
        return erc;

    cli_read_opts(a, &ro, kp);
    ro.no_decrypt = a->n_keypass == 0; /* a rename needs no key opened */
    jks_error_clear(&err);
    jks_status s = jks_store_read_file(real, &ro, &st, &err);
    if (s != JKS_OK) {
        cli_error(path, &err);
        return (int)s;
    }
    jks_format f = jks_store_format(st);
    if (f == JKS_FORMAT_PEM) {
        cli_errorf(path, "a PEM file has no aliases to rename (the names jkstool shows are "
                         "made up when it is read)");
        rc = EXIT_USAGE;
        goto out;
    }
    const jks_entry *e = jks_store_find(st, old);
    if (!e) {
        char t[256];
        cli_errorf(path, "alias \"%s\" does not exist", text_safe(old, t, sizeof t));
        rc = EXIT_USAGE;
        goto out;
    }
    size_t i = jks_store_index_of(st, e);
    const char *stored = asked;
    if (jks_format_java_lowercases(f)) {
        if (!(low = jks_alias_java_lower(asked))) {
            cli_errorf(NULL, "out of memory");
            rc = EXIT_IO;
            goto out;
        }
        stored = low;
    }
    if (!strcmp(jks_entry_alias(e), stored)) {
        char t[256];
        cli_errorf(path, "entry \"%s\" already has that alias: nothing to rename",
                   text_safe(stored, t, sizeof t));
        rc = EXIT_USAGE;
        goto out;
    }
    if (a->n_keypass && is_key(e) && jks_entry_key_state(e) != JKS_KEY_DECRYPTED) {
        char t[256];
        cli_errorf(path, "entry \"%s\": key does not open with the --keypass values or the store "
                         "password; nothing was written",
                   text_safe(jks_entry_alias(e), t, sizeof t));
        rc = EXIT_PASSWORD;
        goto out;
    }
    if (!(old_alias = strdup(jks_entry_alias(e)))) {
        cli_errorf(NULL, "out of memory");
        rc = EXIT_IO;
        goto out;
    }
    jks_error_clear(&err);
    s = jks_store_rename(st, i, stored, &err);
    if (s != JKS_OK) {
        char t[256], x[256];
        if (s == JKS_ERR_USAGE && err.alias[0] && !strcmp(err.alias, stored))
            cli_errorf(path, "alias \"%s\" already exists: choose another name",
                       text_safe(stored, t, sizeof t));
        else if (s == JKS_ERR_USAGE && err.alias[0])
            cli_errorf(path, "alias \"%s\" already exists as \"%s\": choose another name",
                       text_safe(stored, t, sizeof t), text_safe(err.alias, x, sizeof x));
        else
            cli_error(path, &err);
        rc = (int)s;
        goto out;
    }

    jks_write_opts wo;
    memset(&wo, 0, sizeof(wo));
    wo.format = f;
    wo.storepass = a->storepass;
    wo.keypass = a->storepass;
    wo.keep_encryption = 1; /* every key as stored: same encryption, same password */
    wo.p12_algorithms = jks_store_p12_algorithms(st);
    uint8_t *buf = NULL;
    size_t len = 0;
    jks_error_clear(&err);
    s = jks_store_write(st, &wo, &buf, &len, &err);
    if (s == JKS_OK) /* the existing file keeps its owner, group and mode */
        s = jks_file_write_atomic(real, buf, len, (unsigned)(sb.st_mode & 07777), 1, &err);
    jks_buffer_free(buf, len);
    if (s != JKS_OK) {
        cli_error(path, &err);
        rc = (int)s;
        goto out;
    }
    summary(a, path, f, old_alias, stored, asked);
    rc = a->json && cli_output_failed(stdout) ? EXIT_IO : EXIT_OK;
out:
    free(old_alias);
    jks_free(low);
    jks_store_free(st);
    return rc;
}

int cmd_rename(int argc, char **argv)
{
    cli_args a;
    int rc = cli_start(argc, argv, OPT_STOREPASS | OPT_KEYPASS | OPT_TYPE | OPT_JSON | OPT_LIMITS,
                       help, 3, 3, &a);
    if (rc >= 0)
        return rc;
    rc = run(&a);
    cli_args_free(&a);
    return rc;
}
