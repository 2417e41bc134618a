/* The one option parser of jkstool, password specs (pass:, env:, file:,
 * prompt without echo), and the shared error and JSON output helpers. */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/x509.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    const char *name;
    char shortc;
    int has_arg;
    unsigned group;
    int id;
} optdef;

enum {
    O_STOREPASS, O_KEYPASS, O_TYPE, O_JSON, O_VERBOSE, O_RFC, O_HELP, O_TO, O_OUTSTOREPASS,
    O_OUTKEYPASS, O_ALIAS, O_FORCE, O_KEEP, O_REENC, O_SKIP, O_KEEPHIDDEN, O_P12ALG, O_SPLIT, O_FOR, O_AT,
    O_STRICT, O_MAXITER, O_MAXWORK, O_NEWSTOREPASS, O_NEWKEYPASS, O_FILE, O_OUT, O_DER, O_TRUSTCA,
    O_DNAME, O_KEYALG, O_SIGALG, O_EXT, O_KEYSIZE, O_VALIDITY, O_CONNECT, O_SERVERNAME,
    O_CAFILE, O_TRUSTSTORE, O_TRUSTPASS, O_TIMEOUT, O_ALIASES, O_REQKEY, O_KEYMGR, O_EXPLAIN, O_CANAMES,
    O_JDK, O_JAVACACERTS,
    O_INFILE, O_OUTFILE, O_STARTDATE, O_PWENTRY,
};

static const optdef defs[] = {
    {"storepass", 0, 1, OPT_STOREPASS, O_STOREPASS},
    {"keypass", 0, 1, OPT_KEYPASS, O_KEYPASS},
    {"type", 't', 1, OPT_TYPE, O_TYPE},
    {"json", 0, 0, OPT_JSON, O_JSON},
    {"verbose", 'v', 0, OPT_VERBOSE, O_VERBOSE},
    {"rfc", 0, 0, OPT_RFC, O_RFC},
    {"help", 'h', 0, 0, O_HELP},
    {"to", 0, 1, OPT_CONVERT, O_TO},
    {"out-storepass", 0, 1, OPT_OUTPASS, O_OUTSTOREPASS},
    {"out-keypass", 0, 1, OPT_OUTPASS, O_OUTKEYPASS},
    {"alias", 'a', 1, OPT_ALIAS, O_ALIAS},
    {"force", 'f', 0, OPT_CONVERT, O_FORCE},
    {"keep-encryption", 0, 0, OPT_CONVERT, O_KEEP},
    {"reencrypt", 0, 0, OPT_CONVERT, O_REENC},
    {"skip-unsupported", 0, 0, OPT_CONVERT, O_SKIP},
    {"require-key", 0, 0, OPT_CONVERT, O_REQKEY},
    {"keep-hidden", 0, 0, OPT_CONVERT, O_KEEPHIDDEN},
    {"pkcs12-algorithms", 0, 1, OPT_CONVERT, O_P12ALG},
    {"split", 0, 1, OPT_CONVERT, O_SPLIT},
    {"for", 0, 1, OPT_CHECK, O_FOR},
    {"at", 0, 1, OPT_CHECK, O_AT},
    {"strict", 0, 0, OPT_CHECK, O_STRICT},
    {"max-iterations", 0, 1, OPT_LIMITS, O_MAXITER},
    {"max-work", 0, 1, OPT_LIMITS, O_MAXWORK},
    {"new-storepass", 0, 1, OPT_NEWPASS, O_NEWSTOREPASS},
    {"new-keypass", 0, 1, OPT_NEWPASS, O_NEWKEYPASS},
    {"file", 0, 1, OPT_FILE, O_FILE},
    {"out", 'o', 1, OPT_FILE, O_OUT},
    {"der", 0, 0, OPT_FILE, O_DER},
    {"trustcacerts", 0, 0, OPT_FILE, O_TRUSTCA},
    {"dname", 0, 1, OPT_GEN, O_DNAME},
    {"keyalg", 0, 1, OPT_GEN, O_KEYALG},
    {"sigalg", 0, 1, OPT_GEN, O_SIGALG},
    {"ext", 0, 1, OPT_GEN, O_EXT},
    {"keysize", 0, 1, OPT_GEN, O_KEYSIZE},
    {"validity", 0, 1, OPT_GEN, O_VALIDITY},
    {"connect", 0, 1, OPT_PROBE, O_CONNECT},
    {"servername", 0, 1, OPT_PROBE, O_SERVERNAME},
    {"cafile", 0, 1, OPT_PROBE, O_CAFILE},
    {"truststore", 0, 1, OPT_PROBE, O_TRUSTSTORE},
    {"truststore-pass", 0, 1, OPT_PROBE, O_TRUSTPASS},
    {"timeout", 0, 1, OPT_PROBE, O_TIMEOUT},
    {"key-manager", 0, 1, OPT_PROBE, O_KEYMGR},
    {"explain-choice", 0, 0, OPT_PROBE, O_EXPLAIN},
    {"ca-names", 0, 1, OPT_PROBE, O_CANAMES},
    {"jdk", 0, 1, OPT_PROBE, O_JDK},
    {"java-cacerts", 0, 1, OPT_PROBE, O_JAVACACERTS},
    {"aliases", 0, 0, OPT_ALIASES, O_ALIASES},
    {"infile", 0, 1, OPT_GENCERT, O_INFILE},
    {"outfile", 0, 1, OPT_GENCERT, O_OUTFILE},
    {"startdate", 0, 1, OPT_GENCERT, O_STARTDATE},
    {"password-entry", 0, 1, OPT_SECRET, O_PWENTRY},
};

/* A positive decimal number for a numeric option. */
static int number(const char *opt, const char *v, unsigned long max, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (errno || *end || !*v || v[0] == '-' || n == 0 || n > max) {
        fprintf(stderr, "jkstool: bad %s value: %s (see --help)\n", opt, v);
        return EXIT_USAGE;
    }
    *out = n;
    return 0;
}

static int usage_err(const char *fmt, const char *arg)
{
    fprintf(stderr, "jkstool: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (see --help)\n");
    return EXIT_USAGE;
}

static int apply(cli_args *a, int id, const char *v)
{
    switch (id) {
    case O_STOREPASS: a->storepass_spec = v; break;
    case O_KEYPASS:
        if (a->n_keypass >= CLI_MAX_MULTI)
            return usage_err("too many %s options", "--keypass");
        a->keypass_spec[a->n_keypass++] = v;
        break;
    case O_TYPE: a->type = v; break;
    case O_JSON: a->json = 1; break;
    case O_VERBOSE: a->verbose = 1; break;
    case O_RFC: a->rfc = 1; break;
    case O_HELP: a->help = 1; break;
    case O_TO: a->to = v; break;
    case O_OUTSTOREPASS: a->out_storepass_spec = v; break;
    case O_OUTKEYPASS: a->out_keypass_spec = v; break;
    case O_ALIAS:
        if (a->n_aliases >= CLI_MAX_MULTI)
            return usage_err("too many %s options", "--alias");
        a->aliases[a->n_aliases++] = v;
        break;
    case O_FORCE: a->force = 1; break;
    case O_KEEP: a->keep_encryption = 1; break;
    case O_REENC: a->reencrypt = 1; break;
    case O_SKIP: a->skip_unsupported = 1; break;
    case O_REQKEY: a->require_key = 1; break;
    case O_KEEPHIDDEN: a->keep_hidden = 1; break;
    case O_P12ALG: a->pkcs12_algorithms = v; break;
    case O_SPLIT: a->split_dir = v; break;
    case O_FOR: a->for_what = v; break;
    case O_AT: a->at = v; break;
    case O_STRICT: a->strict = 1; break;
    case O_NEWSTOREPASS: a->new_storepass_spec = v; break;
    case O_NEWKEYPASS: a->new_keypass_spec = v; break;
    case O_PWENTRY: a->password_entry_spec = v; break;
    case O_FILE: a->file = v; break;
    case O_OUT: a->out = v; break;
    case O_DER: a->der = 1; break;
    case O_TRUSTCA: a->trustcacerts = 1; break;
    case O_DNAME: a->dname = v; break;
    case O_KEYALG: a->keyalg = v; break;
    case O_SIGALG: a->sigalg = v; break;
    case O_EXT:
        if (a->n_ext >= CLI_MAX_MULTI)
            return usage_err("too many %s options", "--ext");
        a->ext[a->n_ext++] = v;
        break;
    case O_KEYSIZE: return number("--keysize", v, 16384, &a->keysize);
    case O_VALIDITY: return number("--validity", v, 36500, &a->validity);
    case O_CONNECT: a->connect = v; break;
    case O_SERVERNAME: a->servername = v; break;
    case O_CAFILE: a->cafile = v; break;
    case O_TRUSTSTORE: a->truststore = v; break;
    case O_TRUSTPASS: a->truststore_pass_spec = v; break;
    case O_TIMEOUT: return number("--timeout", v, 3600, &a->timeout);
    case O_ALIASES: a->aliases_only = 1; break;
    case O_KEYMGR:
        if (strcmp(v, "sunx509") && strcmp(v, "pkix"))
            return usage_err("bad --key-manager %s: want sunx509 or pkix", v);
        a->key_manager_pkix = !strcmp(v, "pkix");
        break;
    case O_EXPLAIN: a->explain_choice = 1; break;
    case O_CANAMES: a->ca_names = v; break;
    case O_JDK:
        if (strcmp(v, "17") && strcmp(v, "21") && strcmp(v, "25"))
            return usage_err("bad --jdk %s: want 17, 21 or 25", v);
        a->jdk = atoi(v);
        break;
    case O_JAVACACERTS: a->java_cacerts = v; break;
    case O_INFILE: a->infile = v; break;
    case O_OUTFILE: a->outfile = v; break;
    case O_STARTDATE: a->startdate = v; break;
    case O_MAXITER: {
        char *end;
        errno = 0;
        unsigned long n = strtoul(v, &end, 10);
        if (errno || *end || !*v || n == 0 || n > 0xFFFFFFFFul)
            return usage_err("bad --max-iterations value: %s", v);
        a->max_iterations = n;
        break;
    }
    case O_MAXWORK: {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(v, &end, 10);
        if (errno || *end || !*v || n == 0 || *v == '-')
            return usage_err("bad --max-work value: %s", v);
        a->max_work = n;
        break;
    }
    }
    return 0;
}

/* Options that hold a password: a bare value is refused (resolve). */
static int is_password_option(int id)
{
    return id == O_STOREPASS || id == O_KEYPASS || id == O_OUTSTOREPASS || id == O_OUTKEYPASS ||
           id == O_NEWSTOREPASS || id == O_NEWKEYPASS || id == O_TRUSTPASS;
}

/* keytool's spellings that are not ours: what to write instead. */
static const struct {
    const char *keytool, *ours;
} kt_names[] = {
    {"storetype", "--type"}, {"destalias", "--alias"}, {"srcalias", "--alias"},
    {"srcstorepass", "--storepass"}, {"deststorepass", "--out-storepass"},
    {"destkeypass", "--out-keypass"}, {"srckeypass", "--keypass"}, {"new", "--new-storepass"},
    {"dname", "--dname"}, {"outfile", "--out"}, {"infile", "--file"},
};

/* A single-dash long option (-storepass x, -keystore ks.jks): keytool's
 * habit. One line naming jkstool's spelling; no value is echoed (it may be
 * a password). */
static int keytool_habit(const char *name, unsigned allowed)
{
    const char *ours = NULL;
    int pw = 0;
    for (size_t k = 0; k < sizeof(defs) / sizeof(defs[0]); k++)
        if (!strcmp(defs[k].name, name) && (!defs[k].group || (defs[k].group & allowed))) {
            ours = defs[k].name;
            pw = is_password_option(defs[k].id);
        }
    for (size_t k = 0; !ours && k < sizeof(kt_names) / sizeof(kt_names[0]); k++)
        if (!strcmp(kt_names[k].keytool, name)) {
            ours = kt_names[k].ours + 2;
            pw = strstr(ours, "pass") != NULL;
        }
    if (!strcmp(name, "keystore") || !strcmp(name, "srckeystore") ||
        !strcmp(name, "destkeystore")) {
        fprintf(stderr, "jkstool: -%s is keytool's spelling: jkstool takes keystores as "
                        "arguments (see --help), or run `jkstool keytool -%s ...`\n",
                name, name);
        return EXIT_USAGE;
    }
    if (!ours) {
        /* not printed whole: -secret could be a mistyped password */
        fprintf(stderr, "jkstool: unknown option -%.24s%s (options take two dashes; see "
                        "--help)\n",
                name, strlen(name) > 24 ? "..." : "");
        return EXIT_USAGE;
    }
    fprintf(stderr, "jkstool: -%s is keytool's spelling: write --%s%s, or run `jkstool keytool "
                    "-%s ...`\n",
            name, ours, pw ? " pass:PASSWORD (or env:VAR, file:PATH)" : "", name);
    return EXIT_USAGE;
}

int cli_parse(int argc, char **argv, unsigned allowed, cli_args *a)
{
    memset(a, 0, sizeof(*a));
    a->pos = calloc((size_t)argc + 1, sizeof(char *));
    if (!a->pos)
        return EXIT_IO;
    int only_pos = 0;
    for (int i = 0; i < argc; i++) {
        char *s = argv[i];
        if (only_pos || s[0] != '-' || !s[1]) {
            a->pos[a->npos++] = s;
            continue;
        }
        if (!strcmp(s, "--")) {
            only_pos = 1;
            continue;
        }
        const optdef *d = NULL;
        const char *val = NULL;
        if (s[1] == '-') {
            const char *name = s + 2, *eq = strchr(name, '=');
            size_t nl = eq ? (size_t)(eq - name) : strlen(name);
            for (size_t k = 0; k < sizeof(defs) / sizeof(defs[0]); k++)
                if (strlen(defs[k].name) == nl && !strncmp(defs[k].name, name, nl))
                    d = &defs[k];
            if (eq)
                val = eq + 1;
        } else if (!s[2]) {
            for (size_t k = 0; k < sizeof(defs) / sizeof(defs[0]); k++)
                if (defs[k].shortc == s[1])
                    d = &defs[k];
        }
        if (!d && s[1] != '-' && s[2])
            return keytool_habit(s + 1, allowed);
        if (!d || (d->group && !(d->group & allowed)))
            return usage_err("unknown option %s", s);
        if (d->has_arg && !val) {
            if (i + 1 >= argc)
                return usage_err("option %s needs a value", s);
            val = argv[++i];
        } else if (!d->has_arg && val) {
            return usage_err("option %s takes no value", s);
        }
        int r = apply(a, d->id, val);
        if (r)
            return r;
    }
    return 0;
}

void cli_usage_line(const char *help, const char *unexpected)
{
    size_t n = strcspn(help, "\n");
    char buf[160];
    if (unexpected)
        fprintf(stderr, "jkstool: unexpected argument \"%s\" (%.*s; see --help)\n",
                text_safe(unexpected, buf, sizeof buf), (int)n, help);
    else
        fprintf(stderr, "jkstool: missing argument (%.*s; see --help)\n", (int)n, help);
}

int cli_start(int argc, char **argv, unsigned allowed, const char *help, int min_pos,
              int max_pos, cli_args *a)
{
    int rc = cli_parse(argc, argv, allowed, a);
    if (!rc && a->help) {
        fputs(help, stdout);
    } else if (!rc && a->npos >= min_pos && a->npos <= max_pos) {
        return -1;
    } else if (!rc) {
        cli_usage_line(help, a->npos < min_pos ? NULL : a->pos[max_pos]);
        rc = EXIT_USAGE;
    }
    cli_args_free(a);
    return rc;
}

static char *dup_secret(const char *s, size_t n)
{
    char *o = malloc(n + 1);
    if (!o)
        return NULL;
    memcpy(o, s, n);
    o[n] = 0;
    return o;
}

/* Read the first line of a file (without its line end). */
/* The first line of a password file, read as it streams and never more than
 * PASSWORD_FILE_MAX bytes: file:/dev/zero or a huge file is refused at once,
 * not after reading it whole. */
#define PASSWORD_FILE_MAX (64u << 10)
static int read_first_line(const char *path, char **out)
{
    static uint8_t buf[PASSWORD_FILE_MAX];
    size_t len = 0, n = 0;
    int found = 0;
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "jkstool: %s: cannot open password file: %s\n", path, strerror(errno));
        return EXIT_IO;
    }
    while (!found && len < sizeof buf) {
        ssize_t r = read(fd, buf + len, sizeof buf - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            fprintf(stderr, "jkstool: %s: cannot read password file: %s\n", path, strerror(errno));
            close(fd);
            OPENSSL_cleanse(buf, len);
            return EXIT_IO;
        }
        if (r == 0)
            break;
        for (size_t i = len; i < len + (size_t)r && !found; i++)
            if (buf[i] == '\n' || buf[i] == '\r')
                found = 1, n = i;
        len += (size_t)r;
    }
    close(fd);
    if (!found && len == sizeof buf) {
        OPENSSL_cleanse(buf, len);
        fprintf(stderr, "jkstool: %s: password file has no line end in its first %u KiB\n", path,
                PASSWORD_FILE_MAX >> 10);
        return EXIT_USAGE;
    }
    if (!found)
        n = len;
    *out = dup_secret((const char *)buf, n);
    OPENSSL_cleanse(buf, len);
    return *out ? 0 : EXIT_IO;
}

static int resolve(const char *spec, const char *option, char **out)
{
    *out = NULL;
    if (!spec)
        return 0;
    if (!strncmp(spec, "pass:", 5)) {
        *out = dup_secret(spec + 5, strlen(spec + 5));
    } else if (!strncmp(spec, "env:", 4)) {
        const char *v = getenv(spec + 4);
        if (!v) {
            fprintf(stderr, "jkstool: environment variable %s is not set\n", spec + 4);
            return EXIT_USAGE;
        }
        *out = dup_secret(v, strlen(v));
    } else if (!strncmp(spec, "file:", 5)) {
        return read_first_line(spec + 5, out);
    } else {
        /* nothing of what was given is echoed: it may be the password */
        fprintf(stderr, "jkstool: %s takes a password as pass:TEXT, env:VAR or file:PATH, "
                        "not bare: write %s pass:PASSWORD\n",
                option, option);
        return EXIT_USAGE;
    }
    return *out ? 0 : EXIT_IO;
}

/* Prompt on the terminal without echo; an empty answer means no password. */
int cli_prompt(const char *question, char **out)
{
    struct termios old, quiet;
    char line[1024];
    int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
    *out = NULL;
    if (fd < 0)
        return 0;
    FILE *tty = fdopen(fd, "r+");
    if (!tty) {
        close(fd);
        return 0;
    }
    fprintf(tty, "%s", question);
    fflush(tty);
    int restore = tcgetattr(fd, &old) == 0;
    if (restore) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    char *r = fgets(line, sizeof(line), tty);
    if (restore)
        tcsetattr(fd, TCSAFLUSH, &old);
    fprintf(tty, "\n");
    fclose(tty);
    if (r) {
        size_t n = strcspn(line, "\r\n");
        if (n)
            *out = dup_secret(line, n);
    }
    OPENSSL_cleanse(line, sizeof(line));
    return 0;
}

int cli_resolve_passwords(cli_args *a, int prompt_store, const char *prompt_file)
{
    int r;
    if ((r = resolve(a->storepass_spec, "--storepass", &a->storepass)))
        return r;
    for (int i = 0; i < a->n_keypass; i++)
        if ((r = resolve(a->keypass_spec[i], "--keypass", &a->keypass[i])))
            return r;
    if ((r = resolve(a->out_storepass_spec, "--out-storepass", &a->out_storepass)) ||
        (r = resolve(a->out_keypass_spec, "--out-keypass", &a->out_keypass)) ||
        (r = resolve(a->new_storepass_spec, "--new-storepass", &a->new_storepass)) ||
        (r = resolve(a->new_keypass_spec, "--new-keypass", &a->new_keypass)) ||
        (r = resolve(a->truststore_pass_spec, "--truststore-pass", &a->truststore_pass)) ||
        (r = resolve(a->password_entry_spec, "--password-entry", &a->password_entry)))
        return r;
    if (!a->storepass_spec && prompt_store && isatty(STDIN_FILENO)) {
        char q[512];
        snprintf(q, sizeof(q), "Enter keystore password for %s (empty: none): ",
                 prompt_file ? prompt_file : "the keystore");
        cli_prompt(q, &a->storepass);
    }
    a->storepass_given = a->storepass != NULL;
    return 0;
}

static void wipe(char **p)
{
    if (*p) {
        OPENSSL_cleanse(*p, strlen(*p));
        free(*p);
        *p = NULL;
    }
}

void cli_args_free(cli_args *a)
{
    wipe(&a->storepass);
    for (int i = 0; i < a->n_keypass; i++)
        wipe(&a->keypass[i]);
    wipe(&a->out_storepass);
    wipe(&a->out_keypass);
    wipe(&a->new_storepass);
    wipe(&a->new_keypass);
    wipe(&a->truststore_pass);
    wipe(&a->password_entry);
    free(a->pos);
    a->pos = NULL;
}

int cli_type_ok(const cli_args *a)
{
    if (!a->type || jks_format_from_name(a->type) != JKS_FORMAT_UNKNOWN)
        return 1;
    cli_errorf(NULL, "unknown --type %s (jks, jceks, pkcs12, pem, bks, uber, bcfks)", a->type);
    return 0;
}

int cli_existing_store(const char *path, char real[PATH_MAX], struct stat *sb)
{
    if (!realpath(path, real)) {
        cli_errorf(path, "cannot open: %s", strerror(errno));
        return EXIT_IO;
    }
    if (stat(real, sb) != 0 || !S_ISREG(sb->st_mode)) {
        cli_errorf(path, "not a regular file");
        return EXIT_IO;
    }
    return 0;
}

void cli_read_opts(const cli_args *a, jks_read_opts *o, const char **kp_array)
{
    memset(o, 0, sizeof(*o));
    o->version = JKS_READ_OPTS_VERSION;
    o->storepass = a->storepass;
    for (int i = 0; i < a->n_keypass; i++)
        kp_array[i] = a->keypass[i];
    o->keypasses = kp_array;
    o->n_keypasses = (size_t)a->n_keypass;
    o->force_format = a->type ? jks_format_from_name(a->type) : JKS_FORMAT_UNKNOWN;
    o->max_iterations = (uint32_t)a->max_iterations;
    o->max_work = a->max_work;
}

const char *cli_format_label(jks_format f)
{
    switch (f) {
    case JKS_FORMAT_JKS: return "JKS";
    case JKS_FORMAT_JCEKS: return "JCEKS";
    case JKS_FORMAT_PKCS12: return "PKCS#12";
    case JKS_FORMAT_BKS: return "BKS";
    case JKS_FORMAT_UBER: return "UBER";
    case JKS_FORMAT_BCFKS: return "BCFKS";
    default: return "PEM";
    }
}

jks_format cli_format_from_extension(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    /* not .der: we write no raw DER stores */
    static const char *exts[] = {"jks", "jceks", "p12", "pfx", "pkcs12", "pem", "crt", "cer", "key", "bks", "uber", "bcfks"};
    for (size_t i = 0; dot && i < sizeof(exts) / sizeof(exts[0]); i++)
        if (!strcasecmp(dot + 1, exts[i]))
            return jks_format_from_name(exts[i]);
    return JKS_FORMAT_UNKNOWN;
}

jks_format cli_new_store_format(const char *type, const char *path)
{
    if (type)
        return jks_format_from_name(type);
    jks_format f = cli_format_from_extension(path);
    return f != JKS_FORMAT_UNKNOWN ? f : JKS_FORMAT_PKCS12;
}

int cli_open_or_new_store(const cli_args *a, const char *path, jks_format want, jks_store **st,
                          int *exists)
{
    struct stat sb;
    jks_error err;
    *exists = stat(path, &sb) == 0;
    if (!*exists) {
        *st = jks_store_new(want);
        if (!*st) {
            cli_errorf(NULL, "out of memory");
            return EXIT_IO;
        }
        return EXIT_OK;
    }
    const char *kp[CLI_MAX_MULTI];
    jks_read_opts ro;
    cli_read_opts(a, &ro, kp);
    jks_error_clear(&err);
    jks_status s = jks_store_read_file(path, &ro, st, &err);
    if (s != JKS_OK) {
        cli_error(path, &err);
        return (int)s;
    }
    return EXIT_OK;
}

int cli_new_entry_alias(const char *in, char *out, size_t cap)
{
    if (!in || !in[0] || strlen(in) >= cap) {
        cli_errorf(NULL, "bad --alias");
        return EXIT_USAGE;
    }
    size_t i = 0;
    for (; in[i]; i++)
        out[i] = (char)tolower((unsigned char)in[i]);
    out[i] = 0;
    return EXIT_OK;
}

int cli_p12_algorithms(const cli_args *a, jks_p12_algorithms *out)
{
    *out = JKS_P12_MODERN;
    if (!a->pkcs12_algorithms || !strcmp(a->pkcs12_algorithms, "modern"))
        return 0;
    if (!strcmp(a->pkcs12_algorithms, "legacy")) {
        *out = JKS_P12_LEGACY;
        return 0;
    }
    cli_errorf(NULL, "--pkcs12-algorithms takes modern or legacy, not %s", a->pkcs12_algorithms);
    return EXIT_USAGE;
}

int cli_output_failed(FILE *f)
{
    if (fflush(f) == 0 && !ferror(f))
        return 0;
    cli_errorf(NULL, "cannot write output");
    return 1;
}

/* The library speaks in its own terms, never of our options: the hint
 * that names the option goes here, after the library's message. */
static const struct {
    const char *msg;
    const char *hint;
} cli_hints[] = {
    {"output file exists (not replaced)", "use --force to replace it"},
};

_Thread_local FILE *cli_err_out;

void cli_error(const char *file, const jks_error *err)
{
    FILE *ef = cli_err_out ? cli_err_out : stderr;
    char line[512];
    const char *hint = NULL;
    jks_error_format(err, line, sizeof(line));
    for (size_t i = 0; i < sizeof(cli_hints) / sizeof(cli_hints[0]); i++)
        if (!strcmp(err->msg, cli_hints[i].msg))
            hint = cli_hints[i].hint;
    if (!strncmp(err->msg, "this file asks for more key-derivation work", 43))
        hint = "raise it with `--max-work`";
    if (file)
        fprintf(ef, "jkstool: %s: %s%s%s\n", file, line, hint ? "; " : "", hint ? hint : "");
    else
        fprintf(ef, "jkstool: %s%s%s\n", line, hint ? "; " : "", hint ? hint : "");
}

void cli_errorf(const char *file, const char *fmt, ...)
{
    va_list ap;
    FILE *ef = cli_err_out ? cli_err_out : stderr;
    fprintf(ef, "jkstool: ");
    if (file)
        fprintf(ef, "%s: ", file);
    va_start(ap, fmt);
    vfprintf(ef, fmt, ap);
    va_end(ap);
    fputc('\n', ef);
}

const char *text_safe(const char *s, char *buf, size_t cap)
{
    /* as jks_error_format: C0, DEL and C1 controls shown escaped */
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    if (!cap)
        return buf;
    for (; *p && n + 1 < cap; p++) {
        int c1 = *p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F;
        if (*p >= 0x20 && *p != 0x7F && !c1) {
            buf[n++] = (char)*p;
            continue;
        }
        char tmp[8];
        int w = c1 ? snprintf(tmp, sizeof tmp, "\\u%04x", *++p)
                   : snprintf(tmp, sizeof tmp, "\\x%02x", *p);
        if (n + (size_t)w >= cap)
            break;
        memcpy(buf + n, tmp, (size_t)w);
        n += (size_t)w;
    }
    buf[n] = 0;
    return buf;
}

void json_str(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    fputc('"', f);
    for (; *p; p++) {
        unsigned char c = *p;
        if (c == 0xC0 && p[1] == 0x80) { /* Java's U+0000 */
            fputs("\\u0000", f);
            p++;
        } else if (c == '"' || c == '\\') {
            fputc('\\', f);
            fputc(c, f);
        } else if (c == '\n') {
            fputs("\\n", f);
        } else if (c == '\r') {
            fputs("\\r", f);
        } else if (c == '\t') {
            fputs("\\t", f);
        } else if (c < 0x20 || c == 0x7F) {
            fprintf(f, "\\u%04x", c);
        } else {
            fputc(c, f);
        }
    }
    fputc('"', f);
}

int64_t ms_to_secs(int64_t ms)
{
    /* floor division that cannot overflow, even at INT64_MIN */
    return ms / 1000 - (ms % 1000 < 0);
}

void iso_time(char *out, size_t cap, int64_t secs)
{
    time_t t = (time_t)secs;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(out, cap, "invalid");
}

void json_time_ms(FILE *f, int has, int64_t ms)
{
    char b[64];
    if (!has) {
        fputs("null", f);
        return;
    }
    iso_time(b, sizeof(b), ms_to_secs(ms));
    fprintf(f, "\"%s\"", b);
}

jks_store *cli_system_cas(void)
{
    const char *bundle = getenv(X509_get_default_cert_file_env());
    jks_store *sys = NULL;
    jks_read_opts o;
    jks_error err;
    memset(&o, 0, sizeof(o));
    o.force_format = JKS_FORMAT_PEM;
    if (!bundle || !*bundle)
        bundle = X509_get_default_cert_file();
    jks_error_clear(&err);
    if (jks_store_read_file(bundle, &o, &sys, &err) != JKS_OK) {
        fprintf(stderr, "jkstool: %s: note: system CA bundle not read: %s\n", bundle, err.msg);
        return NULL;
    }
    return sys;
}

int cli_is_std(const char *path)
{
    return path && !strcmp(path, "-");
}

const char *cli_name(const char *path)
{
    return cli_is_std(path) ? "(standard input)" : path;
}

jks_status cli_read_bytes(const char *path, uint8_t **out, size_t *len, jks_error *err)
{
    return cli_is_std(path) ? jks_fd_read(STDIN_FILENO, out, len, err)
                            : jks_file_read(path, out, len, err);
}

jks_status cli_read_store(const char *path, const jks_read_opts *o, jks_store **st,
                          jks_error *err)
{
    if (!cli_is_std(path))
        return jks_store_read_file(path, o, st, err);
    uint8_t *buf = NULL;
    size_t len = 0;
    jks_status s = jks_fd_read(STDIN_FILENO, &buf, &len, err);
    if (s == JKS_OK)
        s = jks_store_read(buf, len, o, st, err);
    jks_buffer_free(buf, len);
    return s;
}

jks_status cli_write_output(const char *path, const uint8_t *buf, size_t len, unsigned mode,
                            int force, jks_error *err)
{
    if (!cli_is_std(path))
        return jks_file_write_atomic(path, buf, len, mode, force, err);
    if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0) {
        jks_error_clear(err);
        err->status = JKS_ERR_IO;
        snprintf(err->msg, sizeof(err->msg), "cannot write to standard output");
        return JKS_ERR_IO;
    }
    return JKS_OK;
}
