/* jkstool import: add to a keystore (created when missing) a trusted
 * certificate, a CA reply onto an existing key entry (keytool -importcert on
 * a key alias), or the entries of another store or PEM bundle with keys
 * (keytool -importkeystore). The keystore is rewritten atomically; nothing is
 * written when anything fails (README "import"). */
#include "cli.h"
#include "jks/ops.h"

#include <errno.h>
#include <limits.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

static const char *help =
    "usage: jkstool import KEYSTORE --file FILE [--alias A]... [options]\n"
    "Add to KEYSTORE (created when missing) what FILE holds:\n"
    "  * certificates only (a CA bundle: PEM, or PKCS#7 .p7b) and no --alias: each a trusted\n"
    "    entry named from its CN (lower-cased, made unique as cn-2, ...); certificates\n"
    "    already in a trusted entry are skipped with a note\n"
    "  * one certificate, new alias A: a trusted certificate entry\n"
    "  * certificates whose leaf has the public key of key entry A: a CA reply; it replaces\n"
    "    the entry's chain. A reply holding only the leaf is completed from the store's\n"
    "    certificates (and with --trustcacerts the system CA bundle), as keytool does\n"
    "  * keys, or any keystore (also a truststore of certificates only), or PEM with keys\n"
    "    and certificates: every entry\n"
    "    of FILE is added under its own alias; --alias A picks entries of FILE, or names the\n"
    "    new entry when FILE holds just one\n"
    "  --file FILE           the certificate, reply, PEM bundle or keystore to import;\n"
    "                        \"-\" reads it from standard input (bounded as a file is)\n"
    "  --alias A             destination alias (certificates), or entries to take (keystores)\n"
    "  --storepass SPEC      KEYSTORE's password: pass:TEXT, env:VAR or file:PATH (prompted for\n"
    "                        on a terminal); also tried first as FILE's store password\n"
    "  --keypass SPEC        key password, repeatable: opens the keys of FILE (and of KEYSTORE);\n"
    "                        when FILE does not open with --storepass, each --keypass is tried\n"
    "                        as its store password too\n"
    "  --trustcacerts        also complete a reply's chain from the system CA bundle\n"
    "                        (OpenSSL's default, or $SSL_CERT_FILE)\n"
    "  --type T              KEYSTORE's format (jks, jceks, pkcs12, pem, bks, uber, bcfks);\n"
    "                        for a new KEYSTORE the default comes from its extension (.jks\n"
    "                        .jceks .p12 .pfx .bks .uber .bcfks .pem), else PKCS#12, as\n"
    "                        keytool's default\n"
    "  --pkcs12-algorithms modern|legacy   for a PKCS#12 KEYSTORE (default: as the file was\n"
    "                        written; modern for a new one)\n"
    "  -f, --force           replace an existing entry of the same alias; install a reply\n"
    "                        whose chain cannot be completed, or with extra certificates;\n"
    "                        add a key entry's certificate as a trusted certificate\n"
    "  --max-iterations N    refuse PBE iteration counts above N (default 5000000)\n"
    "  --max-work N          refuse files asking more key-derivation work than N\n"
    "                        (PBKDF2-SHA256 iterations summed; default 20000000)\n"
    "Imported keys are encrypted with the store password (what Java's key manager uses).\n"
    "Existing JKS/JCEKS keys keep their encryption; PKCS#12 keys must open with the store\n"
    "password or a --keypass (they are re-encrypted with the store password).\n"
    "exit: 0 ok; 2 usage (no --file, alias already exists without --force, several\n"
    "certificates for one trusted entry); 3 wrong password or a key that does not open;\n"
    "4 malformed input, or a reply that does not match the key or whose chain cannot be\n"
    "completed; 5 I/O\n";

typedef struct {
    jks_bytes der;
    jks_cert_info info;
    int ok;   /* info decoded */
} cert;

#define index_of jks_store_index_of
#define find_java jks_store_find_java

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int same_bytes(jks_bytes a, jks_bytes b)
{
    return a.len == b.len && !memcmp(a.data, b.data, a.len);
}

/* Read FILE: with the store password, then each --keypass as its store
 * password. */
static jks_status read_source(const cli_args *a, jks_store **src, jks_error *err)
{
    const char *kp[CLI_MAX_MULTI];
    jks_read_opts ro;
    uint8_t *buf = NULL;
    size_t len = 0;
    cli_read_opts(a, &ro, kp);
    ro.force_format = JKS_FORMAT_UNKNOWN;
    /* read once ("-" is standard input), decoded with each password */
    jks_status s = cli_read_bytes(a->file, &buf, &len, err);
    if (s == JKS_OK)
        s = jks_store_read(buf, len, &ro, src, err);
    for (int i = 0; s == JKS_ERR_PASSWORD && i < a->n_keypass; i++) {
        jks_error e2;
        ro.storepass = a->keypass[i];
        jks_error_clear(&e2);
        if (jks_store_read(buf, len, &ro, src, &e2) == JKS_OK)
            s = JKS_OK;
    }
    jks_buffer_free(buf, len);
    return s;
}

/* Case (b): install certs (the reply) onto private key entry idx. */
static int install_reply(const cli_args *a, jks_store *st, size_t idx, const jks_bytes *r,
                         size_t nr, const char *ks, int *changed)
{
    const char *alias = jks_entry_alias(jks_store_entry(st, idx));
    jks_reply_opts ro = JKS_REPLY_OPTS_INIT;
    jks_reply_result res;
    jks_store *sys = NULL;
    jks_error err;
    if (a->trustcacerts)
        ro.extra_cas = sys = cli_system_cas();
    ro.allow_extra = ro.allow_incomplete = a->force;
    jks_error_clear(&err);
    jks_status s = jks_store_install_reply(st, idx, r, nr, &ro, &res, &err);
    jks_store_free(sys);
    switch (res.outcome) {
    case JKS_REPLY_KEY_UNKNOWN:
        cli_errorf(ks, "entry \"%s\": its public key is unknown (no readable certificate, key "
                       "not opened): give the key password with --keypass",
                   alias);
        return EXIT_PASSWORD;
    case JKS_REPLY_NOT_FOR_KEY:
        cli_errorf(a->file, "no certificate here has the public key of entry \"%s\" of %s: "
                            "not a reply for this key",
                   alias, ks);
        return EXIT_FORMAT;
    case JKS_REPLY_EXTRA_CERTS:
        cli_errorf(a->file, "%zu certificate%s here %s not part of the reply's chain "
                            "(install the chain without %s with --force)",
                   res.unused, res.unused == 1 ? "" : "s", res.unused == 1 ? "is" : "are",
                   res.unused == 1 ? "it" : "them");
        return EXIT_FORMAT;
    case JKS_REPLY_INCOMPLETE:
        cli_errorf(a->file, "cannot complete the chain of the reply: its issuer \"%s\" is "
                            "neither in the file nor in %s (import the CA certificate "
                            "first, give the whole chain in the file%s, or install the "
                            "lone certificate with --force)",
                   res.top.issuer, ks, a->trustcacerts ? "" : ", use --trustcacerts");
        return EXIT_FORMAT;
    default:
        break;
    }
    if (s != JKS_OK) {
        cli_error(ks, &err);
        return (int)s;
    }
    if (!res.complete)
        fprintf(stderr, "jkstool: %s: note: the chain of \"%s\" ends at \"%s\", which is "
                        "not self-signed (its issuer \"%s\" was not found)\n",
                ks, alias, res.top.subject, res.top.issuer);
    if (res.outcome == JKS_REPLY_UNCHANGED) {
        fprintf(stderr, "jkstool: %s: entry \"%s\" already has this chain; nothing to do\n", ks,
                alias);
    } else {
        *changed = 1;
        fprintf(stderr, "jkstool: %s: installed the certificate reply on \"%s\" "
                        "(chain of %zu)\n",
                ks, alias, res.chain_len);
    }
    return EXIT_OK;
}

/* Cases (a) and (b): FILE holds certificates only. */
static int import_certs(const cli_args *a, jks_store *st, const jks_store *src, const char *ks,
                        int *changed)
{
    size_t nr = 0, ns = jks_store_count(src);
    for (size_t i = 0; i < ns; i++)
        nr += jks_entry_chain_len(jks_store_entry(src, i));
    if (a->n_aliases != 1) {
        cli_errorf(NULL, "give the destination entry with one --alias (or none: each "
                         "certificate becomes a trusted entry named from its CN)");
        return EXIT_USAGE;
    }
    if (nr == 0) {
        cli_errorf(a->file, "no certificate to import");
        return EXIT_FORMAT;
    }
    cert *r = calloc(nr, sizeof(*r));
    if (!r)
        return EXIT_IO;
    nr = 0;
    for (size_t i = 0; i < ns; i++) {
        const jks_entry *e = jks_store_entry(src, i);
        for (size_t j = 0; j < jks_entry_chain_len(e); j++, nr++) {
            r[nr].der = jks_entry_cert(e, j);
            r[nr].ok = jks_cert_info_get(r[nr].der.data, r[nr].der.len, &r[nr].info) == JKS_OK;
        }
    }
    const char *alias = a->aliases[0];
    const jks_entry *e = jks_store_find(st, alias);
    if (e && !jks_alias_java_equal(jks_entry_alias(e), alias))
        e = NULL;
    if (!e)
        e = find_java(st, alias);
    int rc = EXIT_OK;
    jks_error err;
    if (e && jks_entry_kind_of(e) == JKS_ENTRY_PRIVATE_KEY) {
        jks_bytes *rb = malloc(nr * sizeof(*rb));
        for (size_t i = 0; rb && i < nr; i++)
            rb[i] = r[i].der;
        rc = rb ? install_reply(a, st, index_of(st, e), rb, nr, ks, changed) : EXIT_IO;
        free(rb);
        free(r);
        return rc;
    }
    if (nr != 1) {
        cli_errorf(a->file, "holds %zu certificates and a trusted entry holds one: leave out "
                            "--alias to add each as its own trusted entry (or install a reply "
                            "on a key entry's alias)",
                   nr);
        rc = EXIT_USAGE;
    } else if (!r[0].ok) {
        cli_errorf(a->file, "the certificate does not parse");
        rc = EXIT_FORMAT;
    } else if (e && !a->force) {
        cli_errorf(ks, "entry \"%s\": alias already exists (replace it with --force)",
                   jks_entry_alias(e));
        rc = EXIT_USAGE;
    }
    for (size_t i = 0; rc == EXIT_OK && i < jks_store_count(st); i++) {
        const jks_entry *o = jks_store_entry(st, i);
        jks_cert_info oi;
        if (!jks_entry_chain_len(o) || o == e)
            continue;
        jks_bytes d = jks_entry_cert(o, 0);
        if (jks_entry_kind_of(o) == JKS_ENTRY_PRIVATE_KEY && !a->force &&
            jks_cert_info_get(d.data, d.len, &oi) == JKS_OK &&
            !strcmp(oi.spki_sha256, r[0].info.spki_sha256)) {
            cli_errorf(a->file, "this certificate has the public key of key entry \"%s\": a CA "
                                "reply belongs on that alias (--alias %s), not in a trusted "
                                "entry (--force adds it anyway)",
                       jks_entry_alias(o), jks_entry_alias(o));
            rc = EXIT_USAGE;
        } else if (jks_entry_kind_of(o) == JKS_ENTRY_TRUSTED_CERT && same_bytes(d, r[0].der)) {
            fprintf(stderr, "jkstool: %s: note: the certificate is already in trusted entry "
                            "\"%s\"\n",
                    ks, jks_entry_alias(o));
        }
    }
    if (rc == EXIT_OK) {
        if (e)
            jks_store_remove(st, index_of(st, e));
        jks_error_clear(&err);
        if (jks_store_add_trusted_cert(st, alias, now_ms(), r[0].der.data, r[0].der.len, &err) !=
            JKS_OK) {
            cli_error(ks, &err);
            rc = (int)err.status;
        } else {
            *changed = 1;
            fprintf(stderr, "jkstool: %s: added trusted certificate \"%s\" (%s)\n", ks, alias,
                    r[0].info.subject);
        }
    }
    free(r);
    return rc;
}

/* Case (d): FILE holds certificates only and no --alias was given: a CA
 * bundle, each certificate a trusted entry named from its CN
 * (jks_store_add_ca_bundle); those already in the store are named and
 * skipped. */
static int import_bundle(const cli_args *a, jks_store *st, const jks_store *src, const char *ks,
                         int *changed)
{
    size_t nr = 0, ns = jks_store_count(src), added = 0;
    for (size_t i = 0; i < ns; i++)
        nr += jks_entry_chain_len(jks_store_entry(src, i));
    if (nr == 0) {
        cli_errorf(cli_name(a->file), "no certificate to import");
        return EXIT_FORMAT;
    }
    jks_bytes *certs = calloc(nr, sizeof(*certs));
    jks_bundle_item *items = calloc(nr, sizeof(*items));
    if (!certs || !items) {
        free(certs);
        free(items);
        return EXIT_IO;
    }
    nr = 0;
    for (size_t i = 0; i < ns; i++) {
        const jks_entry *e = jks_store_entry(src, i);
        for (size_t j = 0; j < jks_entry_chain_len(e); j++)
            certs[nr++] = jks_entry_cert(e, j);
    }
    jks_error err;
    jks_error_clear(&err);
    jks_status s = jks_store_add_ca_bundle(st, certs, nr, now_ms(), items, &err);
    if (s != JKS_OK) {
        cli_error(cli_name(a->file), &err);
        free(certs);
        free(items);
        return (int)s;
    }
    char buf[256];
    for (size_t i = 0; i < nr; i++) {
        if (items[i].added) {
            added++;
            continue;
        }
        jks_cert_info ci;
        int ok = jks_cert_info_get(certs[i].data, certs[i].len, &ci) == JKS_OK;
        fprintf(stderr, "jkstool: %s: note: skipped certificate %zu (%s): already in trusted "
                        "entry \"%s\"\n",
                ks, i + 1, ok ? text_safe(ci.subject, buf, sizeof buf) : "?",
                text_safe(items[i].alias, buf + 128, 128));
    }
    *changed = added > 0;
    fprintf(stderr, "jkstool: %s: added %zu trusted certificate%s from %s", ks, added,
            added == 1 ? "" : "s", cli_name(a->file));
    for (size_t i = 0, k = 0; i < nr; i++)
        if (items[i].added)
            fprintf(stderr, "%s\"%s\"", k++ ? ", " : " (", text_safe(items[i].alias, buf, sizeof buf));
    fprintf(stderr, "%s; %zu skipped\n", added ? ")" : "", nr - added);
    free(certs);
    free(items);
    return EXIT_OK;
}

/* Case (c): FILE holds keys; add its entries (jks_store_merge). */
static int import_entries(const cli_args *a, jks_store *st, const jks_store *src,
                          const char *ks, int *changed)
{
    size_t ns = jks_store_count(src);
    const char *one[1];
    jks_merge_opts mo = JKS_MERGE_OPTS_INIT;
    jks_merge_result res;
    jks_error err;
    mo.on_conflict = a->force ? JKS_CONFLICT_OVERWRITE : JKS_CONFLICT_FAIL;
    mo.created_ms = now_ms();
    if (a->n_aliases) {
        mo.aliases = (const char *const *)a->aliases;
        mo.n_aliases = (size_t)a->n_aliases;
        if (a->n_aliases == 1 && ns == 1 && !jks_store_find(src, a->aliases[0])) {
            one[0] = jks_entry_alias(jks_store_entry(src, 0));
            mo.aliases = one;
            mo.rename_to = a->aliases[0];
        }
        for (int i = 0; i < a->n_aliases && !mo.rename_to; i++)
            if (!jks_store_find(src, a->aliases[i])) {
                cli_errorf(a->file, "no entry \"%s\"", a->aliases[i]);
                return EXIT_USAGE;
            }
    } else {
        for (size_t i = 0; i < ns; i++) {
            const jks_entry *e = jks_store_entry(src, i);
            if (jks_entry_java_visible(e))
                continue;
            if (jks_entry_kind_of(e) == JKS_ENTRY_PRIVATE_KEY)
                fprintf(stderr, "jkstool: %s: skipped key \"%s\": unencrypted PKCS#12 key bag, "
                                "Java does not list it (--alias takes it)\n",
                        a->file, jks_entry_alias(e));
            else
                fprintf(stderr, "jkstool: %s: skipped certificate \"%s\": no Java trust "
                                "attribute, Java does not list it\n",
                        a->file, jks_entry_alias(e));
        }
    }
    jks_error_clear(&err);
    jks_status s = jks_store_merge(st, src, &mo, &res, &err);
    if (s == JKS_ERR_PASSWORD && res.failed) {
        cli_errorf(a->file, "entry \"%s\": key %s", jks_entry_alias(res.failed),
                   jks_entry_key_state(res.failed) == JKS_KEY_UNSUPPORTED
                       ? "uses an unsupported protection"
                       : "does not open: give its password with --keypass");
        return EXIT_PASSWORD;
    }
    if (s == JKS_ERR_USAGE && res.existing) {
        cli_errorf(ks, "entry \"%s\": alias already exists (replace it with --force)",
                   jks_entry_alias(res.existing));
        return EXIT_USAGE;
    }
    if (s != JKS_OK) {
        cli_error(ks, &err);
        return (int)s;
    }
    *changed = res.added > 0;
    fprintf(stderr, "jkstool: %s: imported %zu entr%s from %s\n", ks, res.added,
            res.added == 1 ? "y" : "ies", cli_name(a->file));
    return EXIT_OK;
}

static int run(cli_args *a)
{
    const char *path = a->pos[0];
    const char *kp[CLI_MAX_MULTI];
    jks_read_opts ro;
    jks_store *st = NULL, *src = NULL;
    jks_error err;
    int rc, exists;

    if (a->to || a->keep_encryption || a->reencrypt || a->skip_unsupported || a->require_key ||
        a->keep_hidden || a->split_dir ||
        a->out || a->der) {
        cli_errorf(NULL, "option not used by import (see --help)");
        return EXIT_USAGE;
    }
    if (!a->file) {
        cli_errorf(NULL, "give what to import with --file FILE");
        return EXIT_USAGE;
    }
    if (cli_is_std(path)) {
        cli_errorf(NULL, "the keystore is rewritten in place, so it cannot be standard input: "
                         "name its file (--file - reads what to import from standard input)");
        return EXIT_USAGE;
    }
    if (!cli_type_ok(a)) {
        return EXIT_USAGE;
    }
    jks_p12_algorithms p12alg;
    if (cli_p12_algorithms(a, &p12alg))
        return EXIT_USAGE;
    char real[PATH_MAX];
    struct stat sb;
    exists = realpath(path, real) != NULL;
    if (!exists) {
        if (errno != ENOENT) {
            cli_errorf(path, "cannot open: %s", strerror(errno));
            return EXIT_IO;
        }
        snprintf(real, sizeof(real), "%s", path);
    } else if (stat(real, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        cli_errorf(path, "not a regular file");
        return EXIT_IO;
    }
    if ((rc = cli_resolve_passwords(a, 1, path)))
        return rc;

    jks_error_clear(&err);
    jks_status s = read_source(a, &src, &err);
    if (s != JKS_OK) {
        cli_error(cli_name(a->file), &err);
        return (int)s;
    }
    if (exists) {
        cli_read_opts(a, &ro, kp);
        jks_error_clear(&err);
        s = jks_store_read_file(real, &ro, &st, &err);
        if (s != JKS_OK) {
            cli_error(path, &err);
            jks_store_free(src);
            return (int)s;
        }
        if (!a->pkcs12_algorithms)
            p12alg = jks_store_p12_algorithms(st);
    } else {
        st = jks_store_new(cli_new_store_format(a->type, path));
        if (!st) {
            jks_store_free(src);
            return EXIT_IO;
        }
    }
    jks_format f = jks_store_format(st);
    if (f != JKS_FORMAT_PEM && !a->storepass) {
        cli_errorf(path, "writing %s needs the store password: give --storepass", cli_format_label(f));
        rc = EXIT_USAGE;
        goto out;
    }

    int src_keys = 0, changed = 0;
    for (size_t i = 0; i < jks_store_count(src); i++)
        src_keys |= jks_entry_kind_of(jks_store_entry(src, i)) != JKS_ENTRY_TRUSTED_CERT;
    /* a keystore of certificates (a JKS truststore) is merged keeping its
     * aliases; a PEM/PKCS#7/DER bundle gets aliases from the CNs */
    int bundle = !a->n_aliases && jks_store_format(src) == JKS_FORMAT_PEM;
    rc = src_keys || (!a->n_aliases && !bundle) ? import_entries(a, st, src, path, &changed)
         : bundle                               ? import_bundle(a, st, src, path, &changed)
                                                : import_certs(a, st, src, path, &changed);
    if (rc != EXIT_OK || !changed)
        goto out;

    /* PKCS#12 keys are encrypted afresh on every write: they must be open */
    int has_keys = 0;
    for (size_t i = 0; i < jks_store_count(st); i++) {
        const jks_entry *e = jks_store_entry(st, i);
        if (jks_entry_kind_of(e) == JKS_ENTRY_TRUSTED_CERT)
            continue;
        has_keys = 1;
        if ((f == JKS_FORMAT_PKCS12 && jks_entry_key_state(e) != JKS_KEY_DECRYPTED)) {
            cli_errorf(path, "entry \"%s\": key does not open with the store password and "
                             "PKCS#12 keys are re-encrypted on every write: give its password "
                             "with --keypass; nothing was written",
                       jks_entry_alias(e));
            rc = EXIT_PASSWORD;
            goto out;
        }
    }
    jks_write_opts wo;
    memset(&wo, 0, sizeof(wo));
    wo.format = f;
    wo.storepass = a->storepass;
    wo.keep_encryption = 1; /* existing JKS/JCEKS/PEM keys stay as they are */
    wo.p12_algorithms = p12alg;
    wo.pem_encrypt_keys = a->storepass != NULL;
    uint8_t *buf = NULL;
    size_t len = 0;
    jks_error_clear(&err);
    s = jks_store_write(st, &wo, &buf, &len, &err);
    if (s == JKS_OK)
        s = jks_file_write_atomic(real, buf, len,
                                  has_keys ? 0600 : exists ? (unsigned)(sb.st_mode & 07777) : 0644,
                                  exists, &err);
    jks_buffer_free(buf, len);
    if (s != JKS_OK) {
        cli_error(path, &err);
        rc = (int)s;
    } else if (!exists) {
        fprintf(stderr, "jkstool: %s: created (%s)\n", path, jks_format_name(f));
    }
out:
    jks_store_free(st);
    jks_store_free(src);
    return rc;
}

int cmd_import(int argc, char **argv)
{
    cli_args a;
    int rc = cli_start(argc, argv,
                       OPT_STOREPASS | OPT_KEYPASS | OPT_ALIAS | OPT_FILE | OPT_TYPE |
                           OPT_CONVERT | OPT_LIMITS,
                       help, 1, 1, &a);
    if (rc >= 0)
        return rc;
    rc = run(&a);
    cli_args_free(&a);
    return rc;
}
