/* jkstool convert: decode any keystore, select and check its entries, encode
 * it as another format and write it atomically (README "convert"). Lossy
 * conversions fail before anything is written unless --skip-unsupported. */
#include "cli.h"
#include "jks/ops.h"
#include "jks/source.h"
#include "jks/check.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/crypto.h>

static const char *help =
    "usage: jkstool convert IN... OUT [options]\n"
    "       jkstool convert IN... --split DIR [options]\n"
    "Convert a JKS, JCEKS, PKCS#12, PEM/DER, BKS, UBER or BCFKS keystore into another format.\n"
    "IN or OUT \"-\" is standard input or output (bounded as a file; OUT - needs --to).\n"
    "Several IN are PEM files read as one (key.pem chain.pem: the key finds its chain).\n"
    "  --type T              input format (jks, jceks, pkcs12, pem, bks, uber, bcfks);\n"
    "                        default: sniffed\n"
    "  --to T                output format (jks, jceks, pkcs12, pem, bks, uber, bcfks);\n"
    "                        default: OUT's extension (.jks .jceks .p12 .pfx .bks .uber\n"
    "                        .bcfks .pem .crt .cer .key); .cer and .crt\n"
    "                        hold certificates only, never a key (--to pem writes it)\n"
    "  --storepass SPEC      input store password: pass:TEXT, env:VAR or file:PATH; when\n"
    "                        none is given on a terminal: asked for (PEM input: the key's\n"
    "                        password if it is encrypted, then the new store's password)\n"
    "  --keypass SPEC        input key password, repeatable; each key tries them, then the\n"
    "                        store password\n"
    "  --out-storepass SPEC  output store password (default: the input store password);\n"
    "                        none or empty for PKCS#12: a password-less store as JDK 18+\n"
    "                        writes it (no MAC, certificates in the clear; no keys)\n"
    "  --out-keypass SPEC    output key password (default: the output store password)\n"
    "                        PEM keys are written encrypted (PBES2 AES-256-CBC) only when\n"
    "                        --out-storepass or --out-keypass is given\n"
    "  --alias A             convert only this entry, repeatable (exit 2 if missing); for\n"
    "                        PEM input with one key and no entry A: the key entry's alias\n"
    "  --keep-encryption     keep keys' stored encryption when the output format can hold it\n"
    "                        (default for JKS->JKS and JCEKS->JCEKS when passwords do not\n"
    "                        change: an unchanged store is rewritten byte for byte)\n"
    "  --reencrypt           always decrypt and encrypt keys afresh\n"
    "  --pkcs12-algorithms modern|legacy\n"
    "                        modern (default): AES-256/PBKDF2/HMAC-SHA256, JDK 17+;\n"
    "                        legacy: 3DES/RC2-40/SHA-1 for JDK 8 and old tools\n"
    "  --require-key         fail (exit 4) when IN holds no private key; without it a note\n"
    "                        on stderr says so (the result can only be a truststore)\n"
    "  --skip-unsupported    drop entries the output cannot hold (secret keys in PEM or JKS,\n"
    "                        keys without a certificate in JKS/JCEKS/PKCS#12), naming each\n"
    "  --keep-hidden         keep the entries Java does not show (a PKCS#12 certificate in no\n"
    "                        chain without Java's trust attribute, a key in a plain key bag);\n"
    "                        by default a JKS, JCEKS or PKCS#12 output holds what Java sees\n"
    "                        of IN, named as Java names them (lower-case aliases), and each\n"
    "                        entry left out is named on stderr\n"
    "  --split DIR           PEM only: one file per entry in DIR: ALIAS.key.pem (key, 0600)\n"
    "                        and ALIAS.crt.pem (certificate and chain)\n"
    "  -f, --force           replace OUT (or files in DIR) when it exists\n"
    "  --json                print a JSON summary on stdout instead of the stderr line\n"
    "  --max-iterations N    refuse PBE iteration counts above N (default 5000000)\n"
    "  --max-work N          refuse files asking more key-derivation work than N\n"
    "                        (PBKDF2-SHA256 iterations summed; default 20000000)\n"
    "OUT is written atomically (unnamed temporary file, fsync, then its name) keeping an\n"
    "existing file's owner, group, mode and hard links; a new one is 0600 when it holds a\n"
    "private or secret key, else 0644 less the umask; a symlink is followed; a FIFO, device\n"
    "or /dev/fd/N is written in place; on any failure or kill no file is left.\n"
    "exit: 0 ok; 2 usage: bad option, OUT exists without --force, unknown output type,\n"
    "no password to write with, secret key into PEM or JKS; 3 wrong password, or a key\n"
    "that must be re-encrypted could not be decrypted; 4 malformed input, or a key\n"
    "without its certificate into JKS/JCEKS/PKCS#12; 5 I/O\n";

typedef struct {
    char *names[4096];
    size_t n;
} droplist;

static int drop_add(droplist *d, const char *alias)
{
    if (d->n >= sizeof(d->names) / sizeof(d->names[0]))
        return 1;
    d->names[d->n] = strdup(alias);
    if (!d->names[d->n])
        return 0;
    d->n++;
    return 1;
}

static void drop_free(droplist *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->names[i]);
}

/* Output format from --to or OUT's extension. */
static jks_format output_format(const char *to, const char *out)
{
    if (to) {
        jks_format f = jks_format_from_name(to);
        return !strcasecmp(to, "der") ? JKS_FORMAT_UNKNOWN : f;
    }
    return out ? cli_format_from_extension(out) : JKS_FORMAT_UNKNOWN;
}

static int has_extension(const char *path, const char *ext)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    return dot && !strcasecmp(dot + 1, ext);
}

static int streq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The password that opened entry e (NULL when none). */
static const char *opened_with(const cli_args *a, const jks_entry *e)
{
    int i = jks_entry_password_index(e);
    if (i < 0)
        return NULL;
    return i < a->n_keypass ? a->keypass[i] : a->storepass;
}

static int has_keys(const jks_store *st)
{
    for (size_t i = 0; i < jks_store_count(st); i++)
        if (jks_entry_kind_of(jks_store_entry(st, i)) != JKS_ENTRY_TRUSTED_CERT)
            return 1;
    return 0;
}

/* An alias as a safe file name: [A-Za-z0-9._-], others become '_'. */
static void safe_name(const char *alias, char *out, size_t cap)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)alias; *p && n + 1 < cap; p++) {
        int ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                 (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || (*p == '.' && n > 0);
        out[n++] = ok ? (char)*p : '_';
    }
    out[n] = 0;
    if (!n)
        snprintf(out, cap, "entry");
}

typedef struct {
    char path[4096];
    uint8_t *data;
    size_t len;
    unsigned mode;
} outfile;

static int write_split(const cli_args *a, const jks_store *st, const char *dir,
                       const jks_write_opts *wo, const char *in, size_t *nfiles_out,
                       char ***files_out)
{
    size_t n = jks_store_count(st), nf = 0;
    outfile *f = calloc(2 * n + 1, sizeof(*f));
    char (*base)[200] = calloc(n + 1, sizeof(*base));
    int rc = EXIT_OK;
    jks_error err;
    if (!f || !base) {
        free(f);
        free(base);
        cli_errorf(NULL, "out of memory");
        return EXIT_IO;
    }
    jks_error_clear(&err);
    for (size_t i = 0; i < n && rc == EXIT_OK; i++) {
        const jks_entry *e = jks_store_entry(st, i);
        char nm[160];
        safe_name(jks_entry_alias(e), nm, sizeof(nm));
        snprintf(base[i], sizeof(base[i]), "%s", nm);
        for (unsigned k = 2;; k++) {
            int taken = 0;
            for (size_t j = 0; j < i && !taken; j++)
                taken = !strcasecmp(base[j], base[i]);
            if (!taken)
                break;
            snprintf(base[i], sizeof(base[i]), "%s-%u", nm, k);
        }
        jks_store *one = jks_store_new(JKS_FORMAT_PEM), *chain = NULL;
        jks_write_opts o = *wo;
        int64_t ms = -1;
        jks_status s = one ? JKS_OK : JKS_ERR_IO;
        if (!jks_entry_created(e, &ms))
            ms = -1;
        if (s == JKS_OK && jks_entry_kind_of(e) == JKS_ENTRY_PRIVATE_KEY) {
            jks_bytes p8 = jks_entry_pkcs8(e);
            if (!p8.len) {
                cli_errorf(in, "entry \"%s\": key cannot be decrypted (wrong or missing --keypass)",
                           jks_entry_alias(e));
                rc = EXIT_PASSWORD;
            } else {
                s = jks_store_add_private_key(one, jks_entry_alias(e), ms, p8.data, p8.len, NULL,
                                              0, &err);
                if (s == JKS_OK)
                    s = jks_store_write(one, &o, &f[nf].data, &f[nf].len, &err);
                if (s == JKS_OK) {
                    snprintf(f[nf].path, sizeof(f[nf].path), "%s.key.pem", base[i]);
                    f[nf++].mode = 0600;
                }
                size_t nc = jks_entry_chain_len(e);
                if (s == JKS_OK && nc) {
                    chain = jks_store_new(JKS_FORMAT_PEM);
                    s = chain ? JKS_OK : JKS_ERR_IO;
                    for (size_t j = 0; j < nc && s == JKS_OK; j++) {
                        char al[32];
                        jks_bytes c = jks_entry_cert(e, j);
                        snprintf(al, sizeof(al), "c%zu", j);
                        s = jks_store_add_trusted_cert(chain, al, -1, c.data, c.len, &err);
                    }
                    o.pem_no_comments = 1;
                    if (s == JKS_OK)
                        s = jks_store_write(chain, &o, &f[nf].data, &f[nf].len, &err);
                    if (s == JKS_OK) {
                        snprintf(f[nf].path, sizeof(f[nf].path), "%s.crt.pem", base[i]);
                        f[nf++].mode = 0644;
                    }
                }
            }
        } else if (s == JKS_OK) {
            jks_bytes c = jks_entry_cert(e, 0);
            s = jks_store_add_trusted_cert(one, jks_entry_alias(e), ms, c.data, c.len, &err);
            if (s == JKS_OK)
                s = jks_store_write(one, &o, &f[nf].data, &f[nf].len, &err);
            if (s == JKS_OK) {
                snprintf(f[nf].path, sizeof(f[nf].path), "%s.crt.pem", base[i]);
                f[nf++].mode = 0644;
            }
        }
        if (rc == EXIT_OK && s != JKS_OK) {
            if (!err.alias[0])
                snprintf(err.alias, sizeof(err.alias), "%s", jks_entry_alias(e));
            cli_error(in, &err);
            rc = (int)s;
        }
        jks_store_free(one);
        jks_store_free(chain);
    }
    /* all files or none (jks_file_write_set) */
    jks_file_part *parts = calloc(nf + 1, sizeof(*parts));
    char **names = calloc(nf + 1, sizeof(char *));
    size_t nn = 0;
    if (rc == EXIT_OK && (!parts || !names)) {
        cli_errorf(NULL, "out of memory");
        rc = EXIT_IO;
    }
    for (size_t i = 0; rc == EXIT_OK && i < nf; i++)
        parts[i] = (jks_file_part){f[i].path, f[i].data, f[i].len, f[i].mode};
    if (rc == EXIT_OK) {
        jks_error_clear(&err);
        jks_status s = jks_file_write_set(dir, parts, nf, a->force, &err);
        if (s != JKS_OK) {
            cli_error(dir, &err);
            rc = s == JKS_ERR_USAGE ? EXIT_USAGE : (int)s;
        }
    }
    for (size_t i = 0; rc == EXIT_OK && i < nf; i++) {
        size_t n2 = strlen(dir) + strlen(f[i].path) + 2;
        if ((names[nn] = malloc(n2)))
            snprintf(names[nn++], n2, "%s/%s", dir, f[i].path);
    }
    for (size_t i = 0; i < nf; i++)
        jks_buffer_free(f[i].data, f[i].len);
    free(parts);
    free(f);
    free(base);
    *nfiles_out = nn;
    *files_out = names;
    return rc;
}

static void json_summary(const char *in, const char *out, jks_format f, size_t n,
                         const droplist *d, char **files, size_t nfiles)
{
    printf("{\"input\":");
    json_str(stdout, in);
    printf(",\"output\":");
    json_str(stdout, out);
    printf(",\"format\":\"%s\",\"entries\":%zu,\"dropped\":[", jks_format_name(f), n);
    for (size_t i = 0; i < d->n; i++) {
        if (i)
            putchar(',');
        json_str(stdout, d->names[i]);
    }
    putchar(']');
    if (files) {
        printf(",\"files\":[");
        for (size_t i = 0; i < nfiles; i++) {
            if (i)
                putchar(',');
            json_str(stdout, files[i]);
        }
        putchar(']');
    }
    printf("}\n");
}

/* The inputs for messages: IN, or IN1+IN2+... */
static const char *input_label(const cli_args *a, int nin, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = 0;
    for (int i = 0; i < nin && n + 1 < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? "+" : "", cli_name(a->pos[i]));
    return buf;
}

static int ask_new_password(const char *out, char **pw)
{
    char q[1200], *again = NULL;
    snprintf(q, sizeof q, "Enter a password for the new keystore %s: ", out);
    cli_prompt(q, pw);
    if (!*pw)
        return EXIT_OK;
    snprintf(q, sizeof q, "Re-enter the password for %s: ", out);
    cli_prompt(q, &again);
    int same = again && !strcmp(again, *pw);
    if (again) {
        OPENSSL_cleanse(again, strlen(again));
        free(again);
    }
    if (!same) {
        cli_errorf(out, "the two passwords differ; nothing was written");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* Read IN... into *st. On a terminal, when no password was given, ask for
 * what is needed by name: a keystore input's store password; for PEM input
 * the key's password (only when a key is encrypted), then the new store's
 * password (its own question, never the key's reused). */
static int read_inputs(cli_args *a, int nin, jks_format of, const char *out, jks_store **st)
{
    jks_bytes parts[CLI_MAX_MULTI];
    const char *kp[CLI_MAX_MULTI];
    jks_read_opts ro;
    jks_error err;
    jks_status s = JKS_OK;
    int nstd = 0, rc = EXIT_OK, i;
    char label[1024], q[1200];
    const char *in = input_label(a, nin, label, sizeof label);
    *st = NULL;
    for (i = 0; i < nin; i++)
        nstd += cli_is_std(a->pos[i]);
    if (nstd > 1) {
        cli_errorf(NULL, "standard input (-) can be read once");
        return EXIT_USAGE;
    }
    memset(parts, 0, sizeof parts);
    for (i = 0; i < nin && s == JKS_OK; i++) {
        uint8_t *b = NULL;
        size_t l = 0;
        jks_error_clear(&err);
        s = cli_read_bytes(a->pos[i], &b, &l, &err);
        parts[i] = (jks_bytes){b, l};
        if (s != JKS_OK) {
            cli_error(cli_name(a->pos[i]), &err);
            rc = (int)s;
        }
    }
    int ask = rc == EXIT_OK && !a->storepass_spec && !a->json && isatty(STDIN_FILENO) && !nstd;
    jks_format sniffed = a->type ? jks_format_from_name(a->type)
                                 : nin > 1 ? JKS_FORMAT_PEM
                                           : jks_format_sniff(parts[0].data, parts[0].len);
    if (ask && sniffed != JKS_FORMAT_PEM) {
        snprintf(q, sizeof q, "Enter keystore password for %s (empty: none): ", in);
        cli_prompt(q, &a->storepass);
        a->storepass_given = a->storepass != NULL;
    }
    for (int pass = 0; rc == EXIT_OK && pass < 2; pass++) {
        size_t bad;
        cli_read_opts(a, &ro, kp);
        jks_error_clear(&err);
        s = jks_store_read_parts(parts, (size_t)nin, &ro, &bad, st, &err);
        if (s != JKS_OK) {
            cli_error(bad < (size_t)nin ? cli_name(a->pos[bad]) : in, &err);
            rc = (int)s;
            break;
        }
        if (!ask || sniffed != JKS_FORMAT_PEM || pass || a->n_keypass >= CLI_MAX_MULTI)
            break;
        int encrypted = 0;
        for (size_t k = 0; k < jks_store_count(*st); k++)
            encrypted |= jks_entry_key_state(jks_store_entry(*st, k)) == JKS_KEY_ENCRYPTED;
        if (!encrypted)
            break;
        snprintf(q, sizeof q, "Enter the password of the private key in %s: ", in);
        cli_prompt(q, &a->keypass[a->n_keypass]);
        if (!a->keypass[a->n_keypass])
            break;
        a->n_keypass++;
        jks_store_free(*st);
        *st = NULL;
    }
    if (rc == EXIT_OK && ask && sniffed == JKS_FORMAT_PEM && of != JKS_FORMAT_PEM &&
        !a->out_storepass_spec && !a->split_dir)
        rc = ask_new_password(out, &a->out_storepass);
    for (i = 0; i < nin; i++)
        jks_buffer_free((uint8_t *)parts[i].data, parts[i].len);
    if (rc != EXIT_OK) {
        jks_store_free(*st);
        *st = NULL;
    }
    return rc;
}

static int run(cli_args *a, droplist *drops)
{
    jks_store *st = NULL;
    jks_error err;
    jks_write_opts wo;
    int rc;
    int nin = a->split_dir ? a->npos : a->npos - 1;
    const char *out = a->split_dir ? a->split_dir : a->pos[a->npos - 1];
    char label[1024];
    const char *in = input_label(a, nin, label, sizeof label);

    if (!cli_type_ok(a)) {
        return EXIT_USAGE;
    }
    jks_format of = a->split_dir && !a->to ? JKS_FORMAT_PEM : output_format(a->to, out);
    if (of == JKS_FORMAT_UNKNOWN) {
        if (a->to)
            cli_errorf(NULL, "unknown --to %s (jks, jceks, pkcs12, pem, bks, uber, bcfks)", a->to);
        else
            cli_errorf(out, "cannot tell the output format from the file name; give --to "
                            "(jks, jceks, pkcs12, pem, bks, uber, bcfks) or use .jks .jceks .p12 .pfx .bks .uber .bcfks .pem .crt .cer .key");
        return EXIT_USAGE;
    }
    if (a->split_dir && of != JKS_FORMAT_PEM) {
        cli_errorf(NULL, "--split writes PEM files only");
        return EXIT_USAGE;
    }
    if (a->keep_encryption && a->reencrypt) {
        cli_errorf(NULL, "--keep-encryption and --reencrypt exclude each other");
        return EXIT_USAGE;
    }
    jks_p12_algorithms p12alg;
    if (cli_p12_algorithms(a, &p12alg))
        return EXIT_USAGE;
    if (cli_is_std(out) && a->json) {
        cli_errorf(NULL, "--json prints on standard output, which OUT - already fills: name an "
                         "output file");
        return EXIT_USAGE;
    }
    if (cli_is_std(out) && !a->to) {
        cli_errorf(NULL, "standard output has no file name to tell the format by: give --to "
                         "(jks, jceks, pkcs12, pem, bks, uber, bcfks)");
        return EXIT_USAGE;
    }
    if (!a->split_dir && !a->force && !cli_is_std(out) && jks_file_would_replace(out)) {
        cli_errorf(out, "exists (use --force to replace it)");
        return EXIT_USAGE;
    }
    if ((rc = cli_resolve_passwords(a, 0, in)))
        return rc;
    jks_status s;
    if ((rc = read_inputs(a, nin, of, out, &st)))
        return rc;
    jks_format inf = jks_store_format(st);
    /* --alias NAME on a PEM input with one key entry and no entry NAME:
     * the key entry's name (PEM aliases come from the CN, not the user) */
    if (inf == JKS_FORMAT_PEM && a->n_aliases == 1 && !jks_store_find(st, a->aliases[0]) &&
        jks_store_private_key_count(st) == 1) {
        for (size_t i = 0; i < jks_store_count(st); i++)
            if (jks_entry_kind_of(jks_store_entry(st, i)) == JKS_ENTRY_PRIVATE_KEY) {
                jks_error_clear(&err);
                if ((s = jks_store_rename(st, i, a->aliases[0], &err)) != JKS_OK) {
                    cli_error(in, &err);
                    jks_store_free(st);
                    return (int)s;
                }
            }
        a->n_aliases = 0; /* named, not a selection: the chain's other entries stay */
    }

    /* --alias: keep only the named entries, in file order */
    if (a->n_aliases) {
        char *keep = calloc(jks_store_count(st) + 1, 1);
        for (int i = 0; keep && i < a->n_aliases; i++) {
            const jks_entry *e = jks_store_find(st, a->aliases[i]);
            if (!e) {
                cli_errorf(in, "no entry \"%s\"", a->aliases[i]);
                free(keep);
                jks_store_free(st);
                return EXIT_USAGE;
            }
            for (size_t j = 0; j < jks_store_count(st); j++)
                if (jks_store_entry(st, j) == e)
                    keep[j] = 1;
        }
        if (!keep) {
            jks_store_free(st);
            return EXIT_IO;
        }
        for (size_t j = jks_store_count(st); j-- > 0;)
            if (!keep[j])
                jks_store_remove(st, j);
        free(keep);
    }

    /* a .cer/.crt file holds certificates: keys are never written there
     * (the chain of a key entry, or each trusted certificate, is) */
    int certs_only = of == JKS_FORMAT_PEM && !a->to && !a->split_dir && out &&
                     (has_extension(out, "cer") || has_extension(out, "crt"));
    /* a keystore without a key cannot identify a client or server: say so
     * (a PFX exported with -nokeys, a PEM chain without its key) unless
     * certificates were asked for or a truststore is clearly meant */
    if (!jks_store_private_key_count(st)) {
        if (a->require_key) {
            cli_errorf(in, "holds no private key (--require-key): %zu entr%s, none a key%s", jks_store_count(st),
                       jks_store_count(st) == 1 ? "y" : "ies",
                       a->storepass ? "" : "; a PKCS#12 may need --storepass to show its keys");
            jks_store_free(st);
            return EXIT_FORMAT;
        }
        if (!certs_only && !jks_check_name_says_truststore(in) &&
            !(out && jks_check_name_says_truststore(out)))
            fprintf(stderr, "jkstool: warning: %s holds no private key: the result can serve "
                            "only as a truststore, not as a client or server keystore "
                            "(--require-key makes this an error)\n", in);
    }
    /* entries the output cannot hold */
    for (size_t i = 0; i < jks_store_count(st) && !certs_only;) {
        const jks_entry *e = jks_store_entry(st, i);
        jks_entry_kind k = jks_entry_kind_of(e);
        const char *why = NULL;
        int code = EXIT_OK;
        if (k == JKS_ENTRY_SECRET_KEY && (of == JKS_FORMAT_PEM || of == JKS_FORMAT_JKS)) {
            why = of == JKS_FORMAT_PEM ? "a secret key has no PEM form"
                                       : "JKS cannot hold secret keys (use JCEKS or PKCS#12)";
            code = EXIT_USAGE;
        } else if (k == JKS_ENTRY_PRIVATE_KEY && jks_entry_chain_len(e) == 0 &&
                   of != JKS_FORMAT_PEM && inf == JKS_FORMAT_PEM &&
                   jks_entry_key_state(e) != JKS_KEY_DECRYPTED) {
            /* a PEM key finds its certificate by its public key: it must open first */
            cli_errorf(in, "entry \"%s\": the key is encrypted and %s: its certificate is "
                           "found once it opens (give its password with --keypass)",
                       jks_entry_alias(e),
                       jks_entry_key_state(e) == JKS_KEY_ENCRYPTED ? "no password was given"
                                                                   : "no password opened it");
            jks_store_free(st);
            return EXIT_PASSWORD;
        } else if (k == JKS_ENTRY_PRIVATE_KEY && jks_entry_chain_len(e) == 0 &&
                   of != JKS_FORMAT_PEM) {
            why = "a key without its certificate cannot be stored";
            code = EXIT_FORMAT;
        } else if (k != JKS_ENTRY_TRUSTED_CERT && (inf == JKS_FORMAT_BKS || inf == JKS_FORMAT_UBER) &&
                   jks_entry_key_state(e) == JKS_KEY_UNSUPPORTED &&
                   !(a->keep_encryption && jks_entry_protection_reusable(e, of))) {
            /* no model kind holds these; only their own bytes, kept as they are */
            why = !jks_entry_java_visible(e)
                      ? "a BKS public key has no other form"
                      : "a BKS key stored as opaque bytes (or sealed around another kind) cannot be re-encrypted";
            code = EXIT_FORMAT;
        }
        if (!why) {
            i++;
            continue;
        }
        if (!a->skip_unsupported) {
            cli_errorf(in, "entry \"%s\": %s in %s (drop it with --skip-unsupported)",
                       jks_entry_alias(e), why, cli_format_label(of));
            jks_store_free(st);
            return code;
        }
        fprintf(stderr, "jkstool: %s: dropped entry \"%s\": %s in %s\n", in, jks_entry_alias(e),
                why, cli_format_label(of));
        if (!drop_add(drops, jks_entry_alias(e))) {
            jks_store_free(st);
            return EXIT_IO;
        }
        jks_store_remove(st, i);
    }
    /* a keystore output holds what Java sees of the input, named as Java
     * names it (keytool -importkeystore): hidden entries left out, named */
    if (of != JKS_FORMAT_PEM) {
        for (size_t i = 0; !a->keep_hidden && i < jks_store_count(st); i++) {
            const jks_entry *e = jks_store_entry(st, i);
            if (jks_entry_java_visible(e))
                continue;
            fprintf(stderr, "jkstool: %s: note: left out \"%s\": Java does not show it (%s); "
                            "--keep-hidden keeps it\n",
                    in, jks_entry_alias(e),
                    jks_entry_kind_of(e) == JKS_ENTRY_PRIVATE_KEY
                        ? "key in an unencrypted PKCS#12 key bag"
                        : "certificate in no chain without Java's trust attribute");
            if (!drop_add(drops, jks_entry_alias(e))) {
                jks_store_free(st);
                return EXIT_IO;
            }
        }
        jks_error_clear(&err);
        if ((s = jks_store_java_view(st, a->keep_hidden, NULL, &err)) != JKS_OK) {
            cli_error(in, &err);
            jks_store_free(st);
            return (int)s;
        }
    }
    size_t n_certs = 0;
    for (size_t i = 0; certs_only && i < jks_store_count(st); i++)
        n_certs += jks_entry_chain_len(jks_store_entry(st, i));
    if (certs_only && !n_certs) {
        cli_errorf(in, "nothing to write: no certificate%s",
                   a->storepass ? "" : " (a PKCS#12 keeps them encrypted: give --storepass)");
        jks_store_free(st);
        return EXIT_USAGE;
    }
    if (of == JKS_FORMAT_PEM && jks_store_count(st) == 0) {
        cli_errorf(in, "nothing to write: no entry left for PEM");
        jks_store_free(st);
        return EXIT_USAGE;
    }

    /* passwords and key encryption */
    const char *osp = a->out_storepass ? a->out_storepass : a->storepass;
    const char *okp = a->out_keypass ? a->out_keypass : osp;
    int keep = a->keep_encryption;
    if (!a->keep_encryption && !a->reencrypt && inf == of &&
        (inf == JKS_FORMAT_JKS || inf == JKS_FORMAT_JCEKS) && streq(osp, a->storepass)) {
        keep = 1;
        for (size_t i = 0; a->out_keypass && i < jks_store_count(st); i++) {
            const jks_entry *e = jks_store_entry(st, i);
            if (jks_entry_kind_of(e) != JKS_ENTRY_TRUSTED_CERT &&
                !streq(opened_with(a, e), a->out_keypass))
                keep = 0;
        }
    }
    int pem_encrypt = of == JKS_FORMAT_PEM && (a->out_keypass || a->out_storepass);
    /* keep_encryption holds only while no password changes: a decrypted key
     * that opened with another password than its output key password is
     * encrypted afresh with that one (keys whose password is unknown stay as
     * they are) */
    if (keep && (of != JKS_FORMAT_PEM || pem_encrypt))
        for (size_t i = 0; i < jks_store_count(st); i++) {
            const jks_entry *e = jks_store_entry(st, i);
            if (jks_entry_key_state(e) == JKS_KEY_DECRYPTED && !streq(opened_with(a, e), okp))
                jks_store_forget_protection(st, i);
        }
    /* PKCS#12 without a store password, or with an empty one: a
     * password-less store as JDK 18+ writes it (no MAC, certificates in the
     * clear), which Java loads with any password or none */
    if (of == JKS_FORMAT_PKCS12 && osp && !*osp)
        osp = NULL;
    if (of == JKS_FORMAT_PKCS12 && !osp && a->out_keypass && *a->out_keypass) {
        cli_errorf(NULL, "a password-less PKCS#12 cannot protect keys with --out-keypass: give "
                         "--out-storepass");
        jks_store_free(st);
        return EXIT_USAGE;
    }
    if (of == JKS_FORMAT_PKCS12 && !osp)
        okp = NULL;
    if (of != JKS_FORMAT_PEM && of != JKS_FORMAT_PKCS12 && !osp) {
        cli_errorf(NULL, "writing %s needs a store password: give --out-storepass (or --storepass)",
                   cli_format_label(of));
        jks_store_free(st);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < jks_store_count(st) && !certs_only; i++) {
        const jks_entry *e = jks_store_entry(st, i);
        jks_key_state ks = jks_entry_key_state(e);
        if (jks_entry_kind_of(e) == JKS_ENTRY_TRUSTED_CERT || ks == JKS_KEY_DECRYPTED ||
            (keep && jks_entry_protection_reusable(e, of) && !a->split_dir))
            continue;
        cli_errorf(in, "entry \"%s\": key cannot be decrypted (%s) and must be re-encrypted for %s",
                   jks_entry_alias(e),
                   ks == JKS_KEY_ENCRYPTED      ? "no password given: use --storepass/--keypass"
                   : ks == JKS_KEY_UNSUPPORTED ? "unsupported protection"
                                               : "wrong password: give it with --keypass",
                   cli_format_label(of));
        jks_store_free(st);
        return EXIT_PASSWORD;
    }

    /* JDK 25 writes and opens a PKCS#12 with a non-ASCII password (UTF-8
     * BMPString as here); JDK 17 cannot ("Password is not ASCII"), and its
     * keytool refuses to write one: written, with a warning */
    int non_ascii = 0;
    for (const char *c = of == JKS_FORMAT_PKCS12 ? osp : NULL; c && *c; c++)
        non_ascii |= (unsigned char)*c >= 0x80;
    if (non_ascii)
        fprintf(stderr, "jkstool: %s: warning: the store password is not ASCII: JDK 25 opens this "
                        "PKCS#12, JDK 17 and older cannot (\"Password is not ASCII\"; keytool 17 "
                        "refuses to write it); use an ASCII password for them\n",
                out);
    memset(&wo, 0, sizeof(wo));
    wo.version = JKS_WRITE_OPTS_VERSION; /* pem_certs_only is a version-2 field */
    wo.format = of;
    wo.storepass = osp;
    wo.keypass = okp;
    wo.keep_encryption = keep;
    wo.p12_algorithms = p12alg;
    wo.pem_encrypt_keys = pem_encrypt;
    wo.pem_certs_only = certs_only;

    size_t count = jks_store_count(st);
    if (a->split_dir) {
        char **files = NULL;
        size_t nfiles = 0;
        rc = write_split(a, st, a->split_dir, &wo, in, &nfiles, &files);
        if (rc == EXIT_OK) {
            if (a->json)
                json_summary(in, out, of, count, drops, files, nfiles);
            else
                fprintf(stderr, "jkstool: wrote %zu files to %s (pem, %zu entr%s)\n", nfiles, out,
                        count, count == 1 ? "y" : "ies");
        }
        for (size_t i = 0; files && i < nfiles; i++)
            free(files[i]);
        free(files);
        jks_store_free(st);
        return rc;
    }

    uint8_t *buf = NULL;
    size_t len = 0;
    jks_error_clear(&err);
    s = jks_store_write(st, &wo, &buf, &len, &err);
    if (s == JKS_OK)
        s = cli_write_output(out, buf, len, has_keys(st) && !certs_only ? 0600 : 0644,
                             a->force, &err);
    jks_buffer_free(buf, len);
    if (s != JKS_OK) {
        cli_error(out, &err);
        jks_store_free(st);
        return (int)s;
    }
    if (a->json)
        json_summary(in, out, of, count, drops, NULL, 0);
    else
        fprintf(stderr, "jkstool: wrote %s (%s, %zu entr%s)\n",
                cli_is_std(out) ? "standard output" : out, jks_format_name(of), count,
                count == 1 ? "y" : "ies");
    jks_store_free(st);
    return EXIT_OK;
}

int cmd_convert(int argc, char **argv)
{
    cli_args a;
    droplist drops;
    int rc = cli_start(argc, argv,
                       OPT_STOREPASS | OPT_KEYPASS | OPT_TYPE | OPT_JSON | OPT_CONVERT |
                           OPT_OUTPASS | OPT_ALIAS | OPT_LIMITS,
                       help, 1, CLI_MAX_MULTI + 1, &a);
    if (rc >= 0)
        return rc;
    if (a.npos < (a.split_dir ? 1 : 2) || (a.split_dir && a.npos > CLI_MAX_MULTI)) {
        cli_usage_line(help, a.npos > CLI_MAX_MULTI ? a.pos[CLI_MAX_MULTI] : NULL);
        cli_args_free(&a);
        return EXIT_USAGE;
    }
    drops.n = 0;
    rc = run(&a, &drops);
    drop_free(&drops);
    if (cli_output_failed(stdout))
        rc = rc ? rc : EXIT_IO;
    cli_args_free(&a);
    return rc;
}
