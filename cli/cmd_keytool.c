/* jkstool keytool: a drop-in for `keytool -COMMAND [options]` (JDK 17's
 * options and texts) on machines without Java. keytool's single-dash options
 * are parsed here; -list, -exportcert, -printcert, -certreq, -gencert, -delete,
 * -changealias (jks_store_rename),
 * -storepasswd, -keypasswd, -importcert (jks_store_install_reply),
 * -importkeystore (jks_store_merge) and -genkeypair are done with the library
 * so their output and file effects match keytool's; no other subcommand is
 * run and no password leaves its allocation. Errors are keytool's one line
 * ("keytool error: java...: message", on standard output as keytool prints it)
 * and, like keytool, exit 1. */
#include "cli.h"
#include "keytool.h"
#include "jks/ops.h"
#include "jks/source.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

enum { K_LIST = 1, K_EXPORT, K_IMPORT, K_IMPKS, K_GENKEY, K_CERTREQ, K_STOREPW, K_KEYPW,
       K_DELETE, K_PRINTCERT, K_CHALIAS, K_GENCERT, K_PRINTREQ, K_PRINTCRL, K_SHOWINFO,
       K_GENSECKEY, K_IMPPASS, K_NCMD };
#define B(c) (1u << (c))
#define ALL_KS (B(K_LIST) | B(K_EXPORT) | B(K_IMPORT) | B(K_IMPKS) | B(K_GENKEY) | \
                B(K_CERTREQ) | B(K_STOREPW) | B(K_KEYPW) | B(K_DELETE) | B(K_CHALIAS) | \
                B(K_GENCERT) | KT_SECKEY_CMDS)
#define KT_SECKEY_CMDS (B(K_GENSECKEY) | B(K_IMPPASS)) /* cli/keytool_seckey.c */
#define ALL (ALL_KS | B(K_PRINTCERT) | B(K_PRINTREQ) | B(K_PRINTCRL) | B(K_SHOWINFO))

static const struct {
    const char *name;
    int id;
} commands[] = {
    {"-list", K_LIST},          {"-exportcert", K_EXPORT},     {"-export", K_EXPORT},
    {"-importcert", K_IMPORT},  {"-import", K_IMPORT},         {"-importkeystore", K_IMPKS},
    {"-genkeypair", K_GENKEY},  {"-genkey", K_GENKEY},         {"-certreq", K_CERTREQ},
    {"-storepasswd", K_STOREPW}, {"-keypasswd", K_KEYPW},      {"-delete", K_DELETE},
    {"-printcert", K_PRINTCERT}, {"-changealias", K_CHALIAS}, {"-gencert", K_GENCERT},
    {"-printcertreq", K_PRINTREQ}, {"-printcrl", K_PRINTCRL}, {"-showinfo", K_SHOWINFO},
    {"-genseckey", K_GENSECKEY}, {"-importpass", K_IMPPASS},
};
static const char *const other_commands[] = {
    "-selfcert", "-identitydb", "-keyclone",
};

typedef struct {
    int cmd;
    const char *cmdname;
    const char *alias, *keystore, *storetype, *file, *srckeystore, *srcstoretype, *srcalias;
    const char *destalias; /* -changealias's new alias */
    const char *providerclass, *providerpath; /* accepted, unused: BouncyCastle is built in */
    const char *keyalg, *groupname, *dname, *sigalg, *keysize, *validity;
    const char *infile, *outfile, *startdate;
    const char *ext[CLI_MAX_MULTI];
    int n_ext;
    int verbose, rfc, noprompt, trustcacerts, help, cacerts, tls;
    const char *sslserver;
    /* secrets, owned and wiped */
    char *storepass, *keypass, *newpass, *srcstorepass, *srckeypass;
    char keystore_default[PATH_MAX];
} kt_args;

enum { A_STR, A_PASS, A_FLAG, A_EXT, A_UNSUP, A_UNSUP_FLAG };

/* Option table. keytool itself treats -keystore/-destkeystore, -storepass/
 * -deststorepass, -storetype/-deststoretype, -keypass/-destkeypass and
 * -alias/-destalias as the same option; so do we. */
static const struct ktopt {
    const char *name;
    int kind;
    size_t off;
    unsigned cmds;
} ktopts[] = {
    {"-alias", A_STR, offsetof(kt_args, alias),
     B(K_LIST) | B(K_EXPORT) | B(K_IMPORT) | B(K_GENKEY) | B(K_CERTREQ) | B(K_KEYPW) | B(K_DELETE) |
         B(K_CHALIAS) | B(K_GENCERT) | KT_SECKEY_CMDS},
    {"-destalias", A_STR, offsetof(kt_args, alias), B(K_IMPKS)},
    {"-destalias", A_STR, offsetof(kt_args, destalias), B(K_CHALIAS)},
    {"-keystore", A_STR, offsetof(kt_args, keystore), ALL_KS | B(K_PRINTCRL)},
    {"-destkeystore", A_STR, offsetof(kt_args, keystore), ALL_KS},
    {"-storepass", A_PASS, offsetof(kt_args, storepass), ALL_KS | B(K_PRINTCRL)},
    {"-deststorepass", A_PASS, offsetof(kt_args, storepass), ALL_KS},
    {"-storetype", A_STR, offsetof(kt_args, storetype), ALL_KS | B(K_PRINTCRL)},
    {"-deststoretype", A_STR, offsetof(kt_args, storetype), ALL_KS},
    {"-keypass", A_PASS, offsetof(kt_args, keypass),
     B(K_IMPORT) | B(K_IMPKS) | B(K_GENKEY) | B(K_CERTREQ) | B(K_KEYPW) | B(K_CHALIAS) |
         B(K_GENCERT) | KT_SECKEY_CMDS},
    {"-destkeypass", A_PASS, offsetof(kt_args, keypass),
     B(K_IMPORT) | B(K_IMPKS) | B(K_GENKEY) | B(K_CERTREQ) | B(K_KEYPW)},
    {"-new", A_PASS, offsetof(kt_args, newpass), B(K_STOREPW) | B(K_KEYPW)},
    {"-file", A_STR, offsetof(kt_args, file),
     B(K_EXPORT) | B(K_IMPORT) | B(K_CERTREQ) | B(K_PRINTCERT) | B(K_PRINTREQ) | B(K_PRINTCRL)},
    {"-srckeystore", A_STR, offsetof(kt_args, srckeystore), B(K_IMPKS)},
    {"-srcstoretype", A_STR, offsetof(kt_args, srcstoretype), B(K_IMPKS)},
    {"-srcstorepass", A_PASS, offsetof(kt_args, srcstorepass), B(K_IMPKS)},
    {"-srckeypass", A_PASS, offsetof(kt_args, srckeypass), B(K_IMPKS)},
    {"-srcalias", A_STR, offsetof(kt_args, srcalias), B(K_IMPKS)},
    {"-keyalg", A_STR, offsetof(kt_args, keyalg), B(K_GENKEY) | KT_SECKEY_CMDS},
    {"-keysize", A_STR, offsetof(kt_args, keysize), B(K_GENKEY) | KT_SECKEY_CMDS},
    {"-groupname", A_STR, offsetof(kt_args, groupname), B(K_GENKEY)},
    {"-dname", A_STR, offsetof(kt_args, dname), B(K_GENKEY) | B(K_CERTREQ) | B(K_GENCERT)},
    {"-validity", A_STR, offsetof(kt_args, validity), B(K_GENKEY) | B(K_GENCERT)},
    {"-sigalg", A_STR, offsetof(kt_args, sigalg), B(K_GENKEY) | B(K_CERTREQ) | B(K_GENCERT)},
    {"-ext", A_EXT, 0, B(K_GENKEY) | B(K_CERTREQ) | B(K_GENCERT)},
    {"-startdate", A_STR, offsetof(kt_args, startdate), B(K_GENKEY) | B(K_GENCERT)},
    {"-infile", A_STR, offsetof(kt_args, infile), B(K_GENCERT)},
    {"-outfile", A_STR, offsetof(kt_args, outfile), B(K_GENCERT)},
    {"-v", A_FLAG, offsetof(kt_args, verbose), ALL},
    {"-rfc", A_FLAG, offsetof(kt_args, rfc),
     B(K_LIST) | B(K_EXPORT) | B(K_PRINTCERT) | B(K_GENCERT) | B(K_PRINTCRL)},
    {"-tls", A_FLAG, offsetof(kt_args, tls), B(K_SHOWINFO)},
    {"-sslserver", A_STR, offsetof(kt_args, sslserver), B(K_PRINTCERT)},
    {"-noprompt", A_FLAG, offsetof(kt_args, noprompt),
     B(K_IMPORT) | B(K_IMPKS) | B(K_GENKEY) | B(K_DELETE) | B(K_STOREPW) | B(K_KEYPW) |
         B(K_CERTREQ)},
    {"-trustcacerts", A_FLAG, offsetof(kt_args, trustcacerts), B(K_IMPORT) | B(K_PRINTCRL)},
    /* keytool options jkstool keytool does not implement */
    {"-cacerts", A_FLAG, offsetof(kt_args, cacerts),
     B(K_LIST) | B(K_EXPORT) | B(K_IMPORT) | B(K_DELETE) | B(K_STOREPW)},
    {"-protected", A_UNSUP_FLAG, 0, ALL},
    {"-srcprotected", A_UNSUP_FLAG, 0, ALL},
    {"-destprotected", A_UNSUP_FLAG, 0, ALL},
    {"-providername", A_UNSUP, 0, ALL},
    {"-srcprovidername", A_UNSUP, 0, ALL},
    {"-destprovidername", A_UNSUP, 0, ALL},
    /* BouncyCastle's stores are read without a provider: its options are taken */
    {"-providerclass", A_STR, offsetof(kt_args, providerclass), ALL},
    {"-providerpath", A_STR, offsetof(kt_args, providerpath), ALL},
    {"-providerarg", A_UNSUP, 0, ALL},
    {"-addprovider", A_UNSUP, 0, ALL},
    {"-signer", A_UNSUP, 0, ALL},
    {"-signerkeypass", A_UNSUP, 0, ALL},
    {"-jarfile", A_UNSUP, 0, ALL},
    {"-conf", A_UNSUP, 0, ALL},
};

static const char *help =
    "usage: jkstool keytool -COMMAND [keytool options]\n"
    "A keytool-compatible mode: scripts written for JDK 17's keytool run unchanged with\n"
    "`keytool` replaced by `jkstool keytool`, on machines without Java.\n"
    "Commands (keytool's options; -J... options are ignored):\n"
    "  -list [-v] [-rfc] [-alias A] -keystore KS [-storepass P] [-storetype T]\n"
    "  -exportcert (-export) [-rfc] -alias A -keystore KS [-file F]\n"
    "  -importcert (-import) [-noprompt] [-trustcacerts] -alias A [-file F] -keystore KS\n"
    "                    a trusted certificate, or a CA reply for key entry A (standard\n"
    "                    input without -file); asks as keytool unless -noprompt\n"
    "  -importkeystore -srckeystore S [-srcstoretype T] [-srcstorepass P] [-srckeypass P]\n"
    "                  [-srcalias A [-destalias A]] -destkeystore D [-deststoretype T]\n"
    "                  [-deststorepass P] [-destkeypass P] [-noprompt]\n"
    "                  keys keep their passwords (or take -destkeypass) in JKS/JCEKS;\n"
    "                  D the same file as S converts in place and keeps S.old, as keytool\n"
    "  -genkeypair (-genkey) -alias A -keyalg RSA|EC|DSA|RSASSA-PSS|Ed25519|Ed448 [-keysize N]\n"
    "                  [-groupname secp256r1|secp384r1|secp521r1] -dname DN [-validity D]\n"
    "                  [-ext EXT]... [-sigalg S] [-startdate WHEN] -keystore KS [-storepass P]\n"
    "                  [-keypass P]   (JKS/JCEKS without -keypass: keytool's key password prompt)\n"
    "  -certreq -alias A [-file F] [-dname DN] [-ext EXT]... [-sigalg S] -keystore KS\n"
    "  -gencert -alias CA [-infile REQ] [-outfile CERT] [-rfc] [-ext EXT]... [-dname DN]\n"
    "                  [-validity D] [-startdate WHEN] [-sigalg S] -keystore KS\n"
    "                    sign a request with key entry CA (standard input and output\n"
    "                    without -infile/-outfile)\n"
    "  -storepasswd -new P -keystore KS -storepass P\n"
    "  -keypasswd -alias A [-keypass P] -new P -keystore KS -storepass P   (JKS, JCEKS)\n"
    "  -delete -alias A -keystore KS -storepass P\n"
    "  -changealias -alias A -destalias B [-keypass P] -keystore KS -storepass P\n"
    "  -printcert [-rfc] [-file F]          (standard input without -file)\n"
    "  -printcert [-rfc] -sslserver HOST[:PORT]   the chain a TLS server sends (port 443)\n"
    "  -printcertreq [-file F]              a PKCS #10 request, PEM or DER\n"
    "  -printcrl [-rfc] [-file F] [-keystore KS [-storepass P]] [-trustcacerts]\n"
    "                    a CRL, verified with the certificates of KS (or cacerts)\n"
    "  -showinfo -tls   JDK 17's default enabled TLS protocols and cipher suites (the\n"
    "                    built-in JDK 17 profile, not a local JVM's security properties)\n"
    "  -genseckey -alias A -keyalg ALG [-keysize N] [-keypass P] -keystore KS\n"
    "                    a random AES, DES, DESede, Hmac..., ARCFOUR, RC2, Blowfish or\n"
    "                    ChaCha20 key (JCEKS, PKCS12; JKS cannot hold it)\n"
    "  -importpass -alias A [-keyalg PBE...] [-keypass P] -keystore KS\n"
    "                    a password (read from standard input) kept as a PBE key\n"
    "-cacerts (with -list, -exportcert, -importcert, -delete, -storepasswd): the store\n"
    "$JAVA_HOME/lib/security/cacerts, else /etc/ssl/certs/java/cacerts.\n"
    "Passwords: -storepass P, -storepass:env VAR, -storepass:file PATH (likewise -keypass,\n"
    "-new, -srcstorepass, -srckeypass, -deststorepass, -destkeypass). A password not given\n"
    "is read from standard input after a prompt, as keytool does.\n"
    "Defaults as keytool 17: -keystore ~/.keystore, -alias mykey, new stores PKCS12,\n"
    "validity 90 days. Outputs follow keytool's texts (dates in the local time zone, in\n"
    "English); -list -v shows the extensions keytool decodes except CRL distribution\n"
    "points, authority info access and policies, which are hex dumps.\n"
    "-storetype T: JKS, JCEKS, PKCS12, and BouncyCastle's BKS, UBER and BCFKS (built in:\n"
    "keytool's -providerclass and -providerpath are accepted and not needed).\n"
    "Not supported (named in the error):\n"
    "-protected, other provider options.\n"
    "exit: as keytool, 0 on success and 1 on any error (not jkstool's exit codes); the\n"
    "error is one line \"keytool error: java...Exception: message\" on standard output\n"
    "(as keytool prints it); with -v the exception line follows it.\n";

/* ---- small helpers ---- */

/* Set once the options are parsed: keytool -v prints the exception again
 * (Throwable.printStackTrace's first line) after its error line. */
static int kt_verbose;

/* "keytool error: EXC: message" on standard output, as keytool 17 and 25
 * print it (System.out); with -v followed by the exception line "EXC:
 * message" (keytool's stack frames that follow it are not reproduced).
 * Returns 1 (keytool's exit). */
int kt_fail(const char *exc, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fflush(stderr);
    printf("keytool error: %s: %s\n", exc, msg);
    if (kt_verbose)
        printf("%s: %s\n", exc, msg);
    fflush(stdout);
    OPENSSL_cleanse(msg, sizeof msg);
    return 1;
}

/* The reason Java's FileInputStream/FileOutputStream give in parentheses
 * ("No such file or directory"): the library's "cannot ...: REASON" (the
 * system's strerror text last) without its prefix; any other message as it
 * is. */
static const char *java_io_reason(const char *msg)
{
    const char *r = strncmp(msg, "cannot ", 7) == 0 ? strrchr(msg, ':') : NULL;
    if (r && r[1] == ' ')
        return r + 2;
    return msg;
}

const char *kt_io_reason(const char *msg)
{
    return java_io_reason(msg);
}

static void wipe(char **p)
{
    if (*p) {
        OPENSSL_cleanse(*p, strlen(*p));
        free(*p);
        *p = NULL;
    }
}

static char *dup_n(const char *s, size_t n)
{
    char *o = malloc(n + 1);
    if (o) {
        memcpy(o, s, n);
        o[n] = 0;
    }
    return o;
}

/* Read one line from standard input after a prompt on stderr, without echo
 * on a terminal, as keytool reads passwords it was not given. NULL at EOF. */
static char *ask(const char *question)
{
    char line[1024];
    struct termios old, quiet;
    int tty = isatty(STDIN_FILENO), restore = 0;
    fputs(question, stderr);
    fflush(stderr);
    if (tty && tcgetattr(STDIN_FILENO, &old) == 0) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        restore = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
    char *r = fgets(line, sizeof(line), stdin);
    if (restore) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    char *out = r ? dup_n(line, strcspn(line, "\r\n")) : NULL;
    OPENSSL_cleanse(line, sizeof(line));
    return out;
}

char *kt_ask(const char *question)
{
    return ask(question);
}

/* keytool's yes/no question (getYesNoReply): "y"/"yes" 1; "n"/"no", an empty
 * line or end of input 0; anything else is asked again after "Wrong
 * answer, try again" (keytool gives up after 21 wrong answers). */
static int ask_yes(const char *question, int *too_many)
{
    *too_many = 0;
    for (int tries = 0; tries <= 20; tries++) {
        fputs(question, stderr);
        fflush(stderr);
        char line[256];
        if (!fgets(line, sizeof(line), stdin))
            return 0;
        line[strcspn(line, "\r\n")] = 0;
        if (!*line || !strcasecmp(line, "n") || !strcasecmp(line, "no"))
            return 0;
        if (!strcasecmp(line, "y") || !strcasecmp(line, "yes"))
            return 1;
        fputs("Wrong answer, try again\n", stderr);
    }
    *too_many = 1;
    return 0;
}

/* A line of standard input after a prompt on stderr, echoed (an alias). NULL
 * at end of input. */
static char *ask_line(const char *question)
{
    char line[1024];
    fputs(question, stderr);
    fflush(stderr);
    if (!fgets(line, sizeof(line), stdin))
        return NULL;
    return dup_n(line, strcspn(line, "\r\n"));
}

/* -storepass VALUE, -storepass:env VAR, -storepass:file PATH. 0 done, 1 failed
 * (message printed), 2 a usage error whose line is printed (the caller points
 * to the command's help, where keytool prints its usage). */
static int resolve_pass(const char *opt, const char *how, const char *v, char **out)
{
    wipe(out);
    if (!how) {
        *out = dup_n(v, strlen(v));
    } else if (!strcmp(how, "env")) {
        const char *e = getenv(v);
        if (!e) {
            /* keytool prints this line and the command's usage on stderr, exit 1 */
            fprintf(stderr, "Cannot find environment variable: %s\n", v);
            return 2;
        }
        *out = dup_n(e, strlen(e));
    } else if (!strcmp(how, "file")) {
        uint8_t *buf;
        size_t len, n = 0;
        jks_error err;
        jks_error_clear(&err);
        if (jks_file_read(v, &buf, &len, &err) != JKS_OK)
            return kt_fail("java.io.FileNotFoundException", "%s (%s)", v,
                           java_io_reason(err.msg));
        while (n < len && buf[n] != '\n' && buf[n] != '\r')
            n++;
        *out = dup_n((const char *)buf, n);
        OPENSSL_cleanse(buf, len);
        free(buf);
    } else {
        fprintf(stderr, "Illegal option:  %s:%s\n", opt, how);
        return 2;
    }
    return *out ? 0 : kt_fail("java.lang.OutOfMemoryError", "out of memory");
}

static void args_free(kt_args *k)
{
    wipe(&k->storepass);
    wipe(&k->keypass);
    wipe(&k->newpass);
    wipe(&k->srcstorepass);
    wipe(&k->srckeypass);
}

/* -J-Dkeystore.pkcs12.legacy (any value, as Java tests the property's
 * presence): PKCS#12 stores are written with JDK 8's algorithms. One
 * command per process, so the parse sets it for the whole run. */
static int p12_legacy;

static jks_p12_algorithms p12_algorithms(jks_p12_algorithms otherwise)
{
    return p12_legacy ? JKS_P12_LEGACY : otherwise;
}

/* JVM options: the ones that change what keytool does take effect or are
 * named on stderr; memory and English-locale options change nothing here. */
static void jvm_option(const char *s)
{
    if (!strcmp(s, "-J-Dkeystore.pkcs12.legacy") || !strncmp(s, "-J-Dkeystore.pkcs12.legacy=", 27))
        p12_legacy = 1;
    else if (strncmp(s, "-J-X", 4) && strcmp(s, "-J-Duser.language=en") &&
             strncmp(s, "-J-Duser.country=", 17) && strncmp(s, "-J-Dfile.encoding=", 18))
        fprintf(stderr, "jkstool keytool: the JVM option %s has no effect here (ignored)\n", s);
}

/* -cacerts: the JDK's cacerts ($JAVA_HOME/lib/security/cacerts, else the
 * system's /etc/ssl/certs/java/cacerts), as keytool refuses it with
 * -keystore or -storetype. */
static int kt_cacerts(kt_args *k)
{
    if (k->keystore || k->storetype)
        return kt_fail("java.lang.IllegalArgumentException",
                       "The -keystore or -storetype option cannot be used with the -cacerts option");
    const char *jh = getenv("JAVA_HOME");
    struct stat sb;
    if (jh && *jh)
        snprintf(k->keystore_default, sizeof(k->keystore_default), "%s/lib/security/cacerts", jh);
    if (!jh || !*jh || stat(k->keystore_default, &sb) != 0)
        snprintf(k->keystore_default, sizeof(k->keystore_default), "/etc/ssl/certs/java/cacerts");
    k->keystore = k->keystore_default;
    return 0;
}

static int parse(int argc, char **argv, kt_args *k)
{
    memset(k, 0, sizeof(*k));
    p12_legacy = 0;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (!strncmp(s, "-J", 2)) {
            jvm_option(s);
            continue;
        }
        if (!strcmp(s, "-help") || !strcmp(s, "--help") || !strcmp(s, "-h") || !strcmp(s, "-?")) {
            k->help = 1;
            continue;
        }
        if (!k->cmd) {
            for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
                if (!strcasecmp(s, commands[c].name)) {
                    k->cmd = commands[c].id;
                    k->cmdname = commands[c].name;
                }
            if (k->cmd)
                continue;
            for (size_t c = 0; c < sizeof(other_commands) / sizeof(other_commands[0]); c++)
                if (!strcasecmp(s, other_commands[c]))
                    return kt_fail("java.lang.Exception",
                                   "jkstool keytool does not support the %s command", s);
            fprintf(stderr, "Illegal option:  %s\n", s);
            return 1;
        }
        char name[64];
        const char *how = strchr(s, ':');
        size_t nl = how ? (size_t)(how - s) : strlen(s);
        if (nl >= sizeof(name))
            nl = sizeof(name) - 1;
        memcpy(name, s, nl);
        name[nl] = 0;
        if (how)
            how++;
        const struct ktopt *o = NULL;
        /* a name listed twice (-destalias) takes the entry of this command */
        for (size_t j = 0; j < sizeof(ktopts) / sizeof(ktopts[0]); j++)
            if (!strcasecmp(name, ktopts[j].name) && (!o || (ktopts[j].cmds & B(k->cmd))))
                o = &ktopts[j];
        if (!o || !(o->cmds & B(k->cmd)) || (how && o->kind != A_PASS)) {
            fprintf(stderr, "Illegal option:  %s\n", s);
            fprintf(stderr, "Try \"jkstool keytool %s -help\"\n", k->cmdname);
            return 1;
        }
        if (o->kind == A_UNSUP || o->kind == A_UNSUP_FLAG)
            return kt_fail("java.lang.Exception", "jkstool keytool does not support option %s",
                           name);
        if (o->kind == A_FLAG) {
            *(int *)(void *)((char *)k + o->off) = 1;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "Command option %s needs an argument.\n", s);
            return 1;
        }
        const char *v = argv[++i];
        if (o->kind == A_STR) {
            *(const char **)(void *)((char *)k + o->off) = v;
        } else if (o->kind == A_EXT) {
            if (k->n_ext >= CLI_MAX_MULTI)
                return kt_fail("java.lang.Exception", "too many -ext options");
            k->ext[k->n_ext++] = v;
        } else {
            int r = resolve_pass(name, how, v, (char **)(void *)((char *)k + o->off));
            if (r == 2)
                fprintf(stderr, "Try \"jkstool keytool %s -help\"\n", k->cmdname);
            if (r)
                return 1;
        }
    }
    if (k->cacerts && kt_cacerts(k))
        return 1;
    if (!k->keystore) {
        const char *home = getenv("HOME");
        snprintf(k->keystore_default, sizeof(k->keystore_default), "%s/.keystore",
                 home ? home : ".");
        k->keystore = k->keystore_default;
    }
    if (!k->alias && k->cmd != K_LIST && k->cmd != K_IMPKS)
        k->alias = "mykey";
    return 0;
}

/* keytool's store type names; JKS_FORMAT_UNKNOWN (and a message) when not one. */
static int parse_type(const char *t, jks_format *f)
{
    *f = JKS_FORMAT_UNKNOWN;
    if (!t)
        return 0;
    if (!strcasecmp(t, "JKS"))
        *f = JKS_FORMAT_JKS;
    else if (!strcasecmp(t, "JCEKS"))
        *f = JKS_FORMAT_JCEKS;
    else if (!strcasecmp(t, "PKCS12"))
        *f = JKS_FORMAT_PKCS12;
    else if (!strcasecmp(t, "BKS"))
        *f = JKS_FORMAT_BKS;
    else if (!strcasecmp(t, "UBER"))
        *f = JKS_FORMAT_UBER;
    else if (!strcasecmp(t, "BCFKS"))
        *f = JKS_FORMAT_BCFKS;
    else
        return kt_fail("java.security.KeyStoreException", "%s not found", t);
    return 0;
}

static const char *type_label(jks_format f)
{
    return f == JKS_FORMAT_JKS     ? "JKS"
           : f == JKS_FORMAT_JCEKS ? "JCEKS"
           : f == JKS_FORMAT_BKS   ? "BKS"
           : f == JKS_FORMAT_UBER  ? "UBER"
           : f == JKS_FORMAT_BCFKS ? "BCFKS"
                                   : "PKCS12";
}

static int file_exists(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0;
}

/* Read a keystore as keytool loads it, reporting failures in keytool's
 * words. keypass (may be NULL) is tried on keys before storepass. */
static int load(const char *path, const char *type, const char *storepass, const char *keypass,
                int decrypt, jks_store **out)
{
    jks_format forced;
    uint8_t *buf = NULL;
    size_t len = 0;
    jks_error err;
    *out = NULL;
    if (parse_type(type, &forced))
        return 1;
    if (!file_exists(path))
        return kt_fail("java.lang.Exception", "Keystore file does not exist: %s", path);
    jks_error_clear(&err);
    if (jks_file_read(path, &buf, &len, &err) != JKS_OK)
        return kt_fail("java.io.IOException", "%s: %s", path, err.msg);
    jks_format sniffed = jks_format_sniff(buf, len);
    /* BouncyCastle's stores load only under their own -storetype */
    if (sniffed != JKS_FORMAT_JKS && sniffed != JKS_FORMAT_JCEKS && sniffed != JKS_FORMAT_PKCS12 &&
        !((sniffed == JKS_FORMAT_BKS || sniffed == JKS_FORMAT_UBER || sniffed == JKS_FORMAT_BCFKS) &&
          forced == sniffed)) {
        free(buf);
        return kt_fail("java.security.KeyStoreException",
                       "Unrecognized keystore format. Please load it with a specified type");
    }
    const char *kp[1] = {keypass};
    jks_read_opts ro;
    memset(&ro, 0, sizeof(ro));
    ro.storepass = storepass;
    ro.keypasses = kp;
    ro.n_keypasses = keypass ? 1 : 0;
    ro.force_format = forced;
    ro.no_decrypt = !decrypt;
    jks_status s = jks_store_read(buf, len, &ro, out, &err);
    free(buf);
    if (s == JKS_OK)
        return 0;
    if (s == JKS_ERR_PASSWORD)
        return kt_fail("java.io.IOException", "%s",
                       sniffed != JKS_FORMAT_PKCS12 ? "Keystore was tampered with, or password was incorrect"
                       : kt_p12_certs_encrypted(path) ? "keystore password was incorrect"
                                                      : KT_P12_MAC_FAILED);
    if (s == JKS_ERR_FORMAT && sniffed == JKS_FORMAT_JKS)
        return kt_fail("java.io.IOException", "Invalid keystore format (%s)", err.msg);
    char line[512];
    return kt_fail(s == JKS_ERR_FORMAT ? "java.io.IOException" : "java.lang.Exception", "%s",
                   jks_error_format(&err, line, sizeof(line)));
}

/* Whether the store at path holds anything but trusted certificates, as
 * written at the end of the command (keytool looks at its KeyStore then);
 * 1 when it cannot tell. */
static int file_has_keys(const char *path)
{
    jks_read_opts ro;
    jks_store *st = NULL;
    jks_error err;
    memset(&ro, 0, sizeof(ro));
    ro.no_decrypt = 1;
    jks_error_clear(&err);
    if (jks_store_read_file(path, &ro, &st, &err) != JKS_OK)
        return 1;
    int r = 0;
    for (size_t i = 0; i < jks_store_count(st) && !r; i++)
        r = jks_entry_kind_of(jks_store_entry(st, i)) != JKS_ENTRY_TRUSTED_CERT;
    jks_store_free(st);
    return r;
}

/* The end of a command: the weak-algorithm lines collected, then, for a
 * JKS or JCEKS store that holds keys (not for a certificates-only store
 * such as cacerts, nor an empty one: keytool 17 says nothing there), the
 * migration advice, in one "Warning:" block. */
static void migration_warning(jks_format f, const char *path)
{
    char line[PATH_MAX * 2 + 256];
    int migrate = (f == JKS_FORMAT_JKS || f == JKS_FORMAT_JCEKS) && file_has_keys(path);
    if (migrate)
        snprintf(line, sizeof(line),
                 "The %s keystore uses a proprietary format. It is recommended to "
                 "migrate to PKCS12 which is an industry standard format using \"keytool "
                 "-importkeystore -srckeystore %s -destkeystore %s -deststoretype pkcs12\".",
                 type_label(f), path, path);
    kt_warnings_flush(migrate ? line : NULL);
}

/* keytool -v: "[Storing PATH]" as the store is written. */
static void storing(const char *path)
{
    if (kt_verbose)
        fprintf(stderr, "[Storing %s]\n", path);
}

/* The store password: given, or read after keytool's prompt. */
static int need_storepass(kt_args *k, const char *prompt, int required)
{
    if (k->storepass)
        return 0;
    k->storepass = ask(prompt ? prompt : "Enter keystore password:  ");
    if (k->storepass && !*k->storepass)
        wipe(&k->storepass);
    if (!k->storepass && required)
        return kt_fail("java.lang.Exception", "Keystore password must be at least 6 characters");
    return 0;
}

static ssize_t find_index(const jks_store *st, const char *alias)
{
    const jks_entry *e = jks_store_find(st, alias);
    if (!e || !jks_entry_java_visible(e))
        return -1;
    for (size_t i = 0; i < jks_store_count(st); i++)
        if (jks_store_entry(st, i) == e)
            return (ssize_t)i;
    return -1;
}

static int has_keys(const jks_store *st)
{
    for (size_t i = 0; i < jks_store_count(st); i++)
        if (jks_entry_kind_of(jks_store_entry(st, i)) != JKS_ENTRY_TRUSTED_CERT)
            return 1;
    return 0;
}

/* keytool 17 cannot encrypt a PKCS#12 under a non-ASCII password (its PBE
 * key refuses: "Password is not ASCII"); JDK 25 can, and writes what JDK 17
 * cannot open. This mode refuses as keytool 17 does: 1 when f is PKCS12 and
 * the password holds a non-ASCII character. */
static int p12_not_ascii(jks_format f, const char *pass)
{
    for (const char *p = pass; f == JKS_FORMAT_PKCS12 && p && *p; p++)
        if ((unsigned char)*p >= 0x80)
            return 1;
    return 0;
}
#define P12_KEY_NOT_ASCII                                                                     \
    "Key protection algorithm not found: java.security.UnrecoverableKeyException: Encrypt " \
    "Private Key failed: getSecretKey failed: Password is not ASCII"

/* Write st back over path in its own format. Keys keep their stored
 * encryption where the format allows; keys without it (or PKCS#12 keys when
 * reencrypt is set) are encrypted with keypass. */
static int rewrite(jks_store *st, const char *path, const char *storepass, const char *keypass,
                   int reencrypt)
{
    char real[PATH_MAX];
    struct stat sb;
    jks_error err;
    if (!realpath(path, real) || stat(real, &sb) != 0)
        return kt_fail("java.io.IOException", "%s: %s", path, strerror(errno));
    jks_format f = jks_store_format(st);
    if (p12_not_ascii(f, storepass))
        return kt_fail("java.io.IOException", "getSecretKey failed: Password is not ASCII");
    for (size_t i = 0; i < jks_store_count(st); i++) {
        const jks_entry *e = jks_store_entry(st, i);
        if (jks_entry_kind_of(e) == JKS_ENTRY_TRUSTED_CERT)
            continue;
        if (f == JKS_FORMAT_PKCS12 && jks_entry_key_state(e) != JKS_KEY_DECRYPTED)
            return kt_fail("java.security.UnrecoverableKeyException",
                           "Get Key failed: entry <%s> does not open with the store password",
                           jks_entry_alias(e));
        if (reencrypt && f == JKS_FORMAT_PKCS12)
            jks_store_forget_protection(st, i);
    }
    jks_write_opts wo;
    memset(&wo, 0, sizeof(wo));
    wo.format = f;
    wo.storepass = storepass;
    wo.keypass = keypass ? keypass : storepass;
    wo.keep_encryption = 1;
    wo.p12_algorithms = p12_algorithms(jks_store_p12_algorithms(st));
    uint8_t *buf = NULL;
    size_t len = 0;
    jks_error_clear(&err);
    jks_status s = jks_store_write(st, &wo, &buf, &len, &err);
    if (s == JKS_OK)
        storing(path);
    if (s == JKS_OK)
        s = jks_file_write_atomic(real, buf, len,
                                  has_keys(st) ? 0600 : (unsigned)(sb.st_mode & 07777), 1, &err);
    jks_buffer_free(buf, len);
    if (s != JKS_OK) {
        char line[512];
        return kt_fail("java.io.IOException", "%s", jks_error_format(&err, line, sizeof(line)));
    }
    return 0;
}

/* ---- -list ---- */

static int alias_cmp(const void *a, const void *b)
{
    return strcmp(jks_entry_alias(*(const jks_entry *const *)a),
                  jks_entry_alias(*(const jks_entry *const *)b));
}

static const char *kind_text(jks_entry_kind k)
{
    return k == JKS_ENTRY_PRIVATE_KEY    ? "PrivateKeyEntry"
           : k == JKS_ENTRY_TRUSTED_CERT ? "trustedCertEntry"
                                         : "SecretKeyEntry";
}

static void list_entry(FILE *f, const kt_args *k, const jks_entry *e, int64_t now_ms, int stars)
{
    int64_t ms = 0;
    char date[64];
    if (!jks_entry_created(e, &ms))
        ms = now_ms; /* PKCS#12 has no dates: Java shows the time of loading */
    kt_date(date, sizeof(date), ms);
    jks_entry_kind kind = jks_entry_kind_of(e);
    size_t n = jks_entry_chain_len(e);
    if (!k->verbose && !k->rfc) {
        fprintf(f, "%s, %s, %s, \n", jks_entry_alias(e), date, kind_text(kind));
        if (n) {
            char h[65];
            jks_bytes c = jks_entry_cert(e, 0);
            jks_sha256_hex(c.data, c.len, h);
            fputs("Certificate fingerprint (SHA-256): ", f);
            kt_colon_hex(f, h);
            fputc('\n', f);
        }
        return;
    }
    fprintf(f, "Alias name: %s\nCreation date: %s\nEntry type: %s\n", jks_entry_alias(e), date,
            kind_text(kind));
    if (kind == JKS_ENTRY_PRIVATE_KEY)
        fprintf(f, "Certificate chain length: %zu\n", n);
    else if (kind == JKS_ENTRY_TRUSTED_CERT)
        fputc('\n', f);
    for (size_t i = 0; i < n; i++) {
        jks_bytes c = jks_entry_cert(e, i);
        if (kind == JKS_ENTRY_PRIVATE_KEY)
            fprintf(f, "Certificate[%zu]:\n", i + 1);
        if (k->rfc)
            kt_pem(f, "CERTIFICATE", c.data, c.len);
        else if (kt_print_cert_trusted(f, c.data, c.len, kind == JKS_ENTRY_TRUSTED_CERT) != 0)
            fputs("(the certificate does not parse)\n", f);
    }
    if (stars) /* between the entries of a whole listing, not after -alias */
        fputs("\n\n*******************************************\n"
              "*******************************************\n\n\n",
              f);
}

/* keytool's checkWeak of an entry's chain: each certificate labelled
 * ("<alias>", "The certificate", "... #2 of 3"); a certificate the store
 * also holds as a trusted entry has its signature left unjudged. */
static int held_as_trusted(const jks_store *st, jks_bytes c)
{
    for (size_t j = 0; j < jks_store_count(st); j++) {
        const jks_entry *o = jks_store_entry(st, j);
        if (jks_entry_kind_of(o) == JKS_ENTRY_TRUSTED_CERT && jks_entry_chain_len(o)) {
            jks_bytes d = jks_entry_cert(o, 0);
            if (d.len == c.len && !memcmp(d.data, c.data, c.len))
                return 1;
        }
    }
    return 0;
}

static void weak_entry(const jks_store *st, const jks_entry *e, const char *label)
{
    size_t n = jks_entry_chain_len(e);
    for (size_t i = 0; i < n; i++) {
        jks_bytes c = jks_entry_cert(e, i);
        int trusted = held_as_trusted(st, c);
        char l[640];
        if (n > 1)
            snprintf(l, sizeof(l), "%s #%zu of %zu", label, i + 1, n);
        else
            snprintf(l, sizeof(l), "%s", label);
        kt_check_weak(l, c.data, c.len, trusted);
    }
}

static int do_list(kt_args *k)
{
    jks_store *st;
    if (need_storepass(k, NULL, 0) || load(k->keystore, k->storetype, k->storepass, NULL, 0, &st))
        return 1;
    size_t n = jks_store_count(st), m = 0;
    const jks_entry **v = calloc(n + 1, sizeof(*v));
    if (!v) {
        jks_store_free(st);
        return kt_fail("java.lang.OutOfMemoryError", "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        if (jks_entry_java_visible(jks_store_entry(st, i)))
            v[m++] = jks_store_entry(st, i);
    qsort(v, m, sizeof(*v), alias_cmp);
    int64_t now = (int64_t)time(NULL) * 1000;
    jks_format fmt = jks_store_format(st);
    int rc = 0;
    if (k->alias) {
        ssize_t i = find_index(st, k->alias);
        if (i < 0)
            rc = kt_fail("java.lang.Exception", "Alias <%s> does not exist", k->alias);
        else
            list_entry(stdout, k, jks_store_entry(st, (size_t)i), now, 0);
        if (i >= 0)
            weak_entry(st, jks_store_entry(st, (size_t)i), "The certificate");
    } else {
        jks_format shown = fmt;
        if (k->storetype)
            parse_type(k->storetype, &shown);
        printf("Keystore type: %s\nKeystore provider: %s\n\n", type_label(shown),
               shown == JKS_FORMAT_JCEKS                              ? "SunJCE"
               : shown == JKS_FORMAT_BKS || shown == JKS_FORMAT_UBER ||
                       shown == JKS_FORMAT_BCFKS
                   ? "BC"
                                                                      : "SUN");
        printf("Your keystore contains %zu entr%s\n\n", m, m == 1 ? "y" : "ies");
        for (size_t i = 0; i < m; i++) {
            char l[600];
            list_entry(stdout, k, v[i], now, 1);
            snprintf(l, sizeof(l), "<%s>", jks_entry_alias(v[i]));
            weak_entry(st, v[i], l);
        }
    }
    if (!rc && !k->storepass)
        fputs("\n*****************  WARNING WARNING WARNING  *****************\n"
              "* The integrity of the information stored in your keystore  *\n"
              "* has NOT been verified!  In order to verify its integrity, *\n"
              "* you must provide your keystore password.                  *\n"
              "*****************  WARNING WARNING WARNING  *****************\n\n",
              stderr);
    if (!rc)
        migration_warning(fmt, k->keystore);
    free(v);
    jks_store_free(st);
    return rc;
}

/* ---- output to a file (or stdout) ---- */

static int emit(const char *file, const char *data, size_t len, unsigned mode)
{
    if (!file) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
            return kt_fail("java.io.IOException", "cannot write to standard output");
        return 0;
    }
    jks_error err;
    jks_error_clear(&err);
    if (jks_file_write_atomic(file, (const uint8_t *)data, len, mode, 1, &err) != JKS_OK)
        return kt_fail("java.io.FileNotFoundException", "%s (%s)", file,
                       java_io_reason(err.msg));
    return 0;
}

/* ---- -exportcert ---- */

static int do_export(kt_args *k)
{
    jks_store *st;
    if (need_storepass(k, NULL, 0) || load(k->keystore, k->storetype, k->storepass, NULL, 0, &st))
        return 1;
    int rc;
    ssize_t i = find_index(st, k->alias);
    if (i < 0) {
        rc = kt_fail("java.lang.Exception", "Alias <%s> does not exist", k->alias);
    } else if (!jks_entry_chain_len(jks_store_entry(st, (size_t)i))) {
        rc = kt_fail("java.lang.Exception", "Alias <%s> has no certificate", k->alias);
    } else {
        jks_bytes c = jks_entry_cert(jks_store_entry(st, (size_t)i), 0);
        char *text = NULL;
        size_t tlen = 0;
        if (k->rfc) {
            FILE *m = open_memstream(&text, &tlen);
            if (m) {
                kt_pem(m, "CERTIFICATE", c.data, c.len);
                fclose(m);
            }
            rc = text ? emit(k->file, text, tlen, 0644)
                      : kt_fail("java.lang.OutOfMemoryError", "out of memory");
            free(text);
        } else {
            rc = emit(k->file, (const char *)c.data, c.len, 0644);
        }
        if (!rc && k->file)
            fprintf(stderr, "Certificate stored in file <%s>\n", k->file);
        if (!rc)
            kt_check_weak("The certificate", c.data, c.len,
                          jks_entry_kind_of(jks_store_entry(st, (size_t)i)) ==
                              JKS_ENTRY_TRUSTED_CERT);
        if (!rc)
            migration_warning(jks_store_format(st), k->keystore);
    }
    jks_store_free(st);
    return rc;
}

/* ---- -printcert ---- */

static int read_all(FILE *in, uint8_t **out, size_t *len)
{
    size_t cap = 0, n = 0;
    uint8_t *b = NULL;
    for (;;) {
        if (n == cap) {
            if (cap >= JKS_MAX_FILE_SIZE)
                break;
            uint8_t *nb = realloc(b, cap = cap ? cap * 2 : 65536);
            if (!nb) {
                free(b);
                return -1;
            }
            b = nb;
        }
        size_t r = fread(b + n, 1, cap - n, in);
        if (!r)
            break;
        n += r;
    }
    *out = b;
    *len = n;
    return 0;
}

int kt_read_all(FILE *in, uint8_t **out, size_t *len)
{
    return read_all(in, out, len);
}

static int do_printcert(kt_args *k)
{
    if (k->sslserver)
        return kt_sslserver(k->sslserver, k->rfc);
    uint8_t *buf = NULL;
    size_t len = 0;
    jks_error err;
    jks_error_clear(&err);
    if (k->file) {
        if (jks_file_read(k->file, &buf, &len, &err) != JKS_OK)
            return kt_fail("java.io.FileNotFoundException", "%s (%s)", k->file,
                           java_io_reason(err.msg));
    } else if (read_all(stdin, &buf, &len) != 0) {
        return kt_fail("java.lang.OutOfMemoryError", "out of memory");
    }
    STACK_OF(X509) *certs = sk_X509_new_null();
    BIO *b = BIO_new_mem_buf(buf, (int)len);
    X509 *x;
    while (b && certs && (x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL)
        if (!sk_X509_push(certs, x))
            X509_free(x);
    if (certs && sk_X509_num(certs) == 0) {
        const unsigned char *p = buf;
        if ((x = d2i_X509(NULL, &p, (long)len)) != NULL) {
            if (!sk_X509_push(certs, x))
                X509_free(x);
        } else {
            p = buf;
            PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long)len);
            if (p7 && PKCS7_type_is_signed(p7) && p7->d.sign && p7->d.sign->cert)
                for (int i = 0; i < sk_X509_num(p7->d.sign->cert); i++) {
                    X509 *c = X509_dup(sk_X509_value(p7->d.sign->cert, i));
                    if (c && !sk_X509_push(certs, c))
                        X509_free(c);
                }
            PKCS7_free(p7);
        }
    }
    BIO_free(b);
    free(buf);
    int n = certs ? sk_X509_num(certs) : 0, rc = 0;
    if (n == 0)
        rc = kt_fail("java.lang.Exception", "Failed to parse input");
    for (int i = 0; i < n && !rc; i++) {
        unsigned char *der = NULL;
        int dl = i2d_X509(sk_X509_value(certs, i), &der);
        if (dl <= 0) {
            rc = kt_fail("java.lang.Exception", "Failed to parse input");
            break;
        }
        if (n > 1)
            printf("Certificate[%d]:\n", i + 1);
        char label[64];
        if (n > 1)
            snprintf(label, sizeof(label), "The certificate #%d of %d", i + 1, n);
        else
            snprintf(label, sizeof(label), "The certificate");
        if (k->rfc)
            kt_pem(stdout, "CERTIFICATE", der, (size_t)dl);
        else if (kt_print_cert(stdout, der, (size_t)dl) != 0)
            rc = kt_fail("java.lang.Exception", "Failed to parse input");
        if (i < n - 1)
            putchar('\n');
        if (!rc)
            kt_check_weak(label, der, (size_t)dl, 0);
        OPENSSL_free(der);
    }
    sk_X509_pop_free(certs, X509_free);
    return rc;
}

/* ---- -delete, -storepasswd, -keypasswd ---- */

static int do_delete(kt_args *k)
{
    jks_store *st;
    if (need_storepass(k, NULL, 1) || load(k->keystore, k->storetype, k->storepass, NULL, 1, &st))
        return 1;
    int rc;
    ssize_t i = find_index(st, k->alias);
    if (i < 0) {
        rc = kt_fail("java.lang.Exception", "Alias <%s> does not exist", k->alias);
    } else {
        jks_store_remove(st, (size_t)i);
        rc = rewrite(st, k->keystore, k->storepass, NULL, 0);
        if (!rc)
            migration_warning(jks_store_format(st), k->keystore);
    }
    jks_store_free(st);
    return rc;
}

static int new_password(kt_args *k, const char *what)
{
    if (!k->newpass) {
        char q[128];
        snprintf(q, sizeof(q), "New %s password: ", what);
        k->newpass = ask(q);
        snprintf(q, sizeof(q), "Re-enter new %s password: ", what);
        char *again = k->newpass ? ask(q) : NULL;
        int same = again && !strcmp(again, k->newpass);
        wipe(&again);
        if (!same)
            return kt_fail("java.lang.Exception", "Passwords do not match");
    }
    if (strlen(k->newpass) < 6)
        return kt_fail("java.lang.Exception", "New password must be at least 6 characters");
    return 0;
}

static int do_storepasswd(kt_args *k)
{
    jks_store *st;
    if (need_storepass(k, NULL, 1) || load(k->keystore, k->storetype, k->storepass, NULL, 1, &st))
        return 1;
    int rc = new_password(k, "keystore");
    if (!rc && has_keys(st) && p12_not_ascii(jks_store_format(st), k->newpass))
        rc = kt_fail("java.security.KeyStoreException", P12_KEY_NOT_ASCII);
    /* JKS/JCEKS: only the store password changes (keys keep theirs, as with
     * keytool); PKCS#12: keys take the new store password */
    if (!rc)
        rc = rewrite(st, k->keystore, k->newpass, k->newpass, 1);
    if (!rc)
        migration_warning(jks_store_format(st), k->keystore);
    jks_store_free(st);
    return rc;
}

static int do_keypasswd(kt_args *k)
{
    jks_store *st;
    if (need_storepass(k, NULL, 1) ||
        load(k->keystore, k->storetype, k->storepass, k->keypass, 1, &st))
        return 1;
    int rc = 0;
    jks_format f = jks_store_format(st);
    ssize_t i = find_index(st, k->alias);
    if (f == JKS_FORMAT_PKCS12)
        rc = kt_fail("java.lang.UnsupportedOperationException",
                     "-keypasswd commands not supported if -storetype is PKCS12");
    else if (i < 0)
        rc = kt_fail("java.lang.Exception", "Alias <%s> does not exist", k->alias);
    else if (jks_entry_kind_of(jks_store_entry(st, (size_t)i)) == JKS_ENTRY_TRUSTED_CERT)
        rc = kt_fail("java.lang.Exception", "Alias <%s> has no key", k->alias);
    else if (jks_entry_key_state(jks_store_entry(st, (size_t)i)) != JKS_KEY_DECRYPTED)
        rc = kt_fail("java.security.UnrecoverableKeyException", "Cannot recover key");
    if (!rc)
        rc = new_password(k, "key");
    if (!rc) {
        jks_store_forget_protection(st, (size_t)i);
        rc = rewrite(st, k->keystore, k->storepass, k->newpass, 0);
    }
    if (!rc)
        migration_warning(f, k->keystore);
    jks_store_free(st);
    return rc;
}

/* ---- -changealias ---- */

/* 1 when entry alias of the store at path holds a key that opens with pw
 * alone (the store password is not tried on it), as keytool's getEntry
 * with pw. */
static int key_opens_with(const char *path, jks_format f, const char *alias, const char *pw)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    jks_store *st = NULL;
    jks_error err;
    jks_error_clear(&err);
    if (jks_file_read(path, &buf, &len, &err) != JKS_OK)
        return 0;
    const char *kp[1] = {pw};
    jks_read_opts ro;
    memset(&ro, 0, sizeof(ro));
    ro.keypasses = kp;
    ro.n_keypasses = 1;
    ro.force_format = f;
    int opens = 0;
    if (jks_store_read(buf, len, &ro, &st, &err) == JKS_OK) {
        const jks_entry *e = jks_store_find(st, alias);
        opens = e && jks_entry_key_state(e) == JKS_KEY_DECRYPTED;
    }
    jks_store_free(st);
    jks_buffer_free(buf, len);
    return opens;
}

/* keytool -changealias: the entry moves to -destalias, stored as Java
 * stores aliases (lower-cased in JKS, JCEKS and PKCS#12); a JKS/JCEKS key
 * must open (-keypass, else the store password, else a prompt) and keeps
 * its password, as keytool's doCloneEntry keeps keyPass. */
static int do_changealias(kt_args *k)
{
    jks_store *st;
    char *asked = NULL, *low = NULL;
    if (!file_exists(k->keystore))
        return kt_fail("java.lang.Exception", "Keystore file does not exist: %s", k->keystore);
    if (!k->destalias) {
        asked = ask("Enter destination alias name:  ");
        if (!asked || !*asked) {
            free(asked);
            return kt_fail("java.lang.Exception", "Must specify destination alias");
        }
        k->destalias = asked;
    }
    int rc = need_storepass(k, NULL, 1) ||
             load(k->keystore, k->storetype, k->storepass, NULL, 1, &st);
    if (rc) {
        free(asked);
        return 1;
    }
    jks_format f = jks_store_format(st);
    ssize_t i = find_index(st, k->alias);
    const jks_entry *e = i >= 0 ? jks_store_entry(st, (size_t)i) : NULL;
    if (f == JKS_FORMAT_PKCS12 && k->keypass && strcmp(k->keypass, k->storepass))
        fputs("Warning:  Different store and key passwords not supported for PKCS12 KeyStores. "
              "Ignoring user-specified -keypass value.\n",
              stderr);
    if (find_index(st, k->destalias) >= 0)
        rc = kt_fail("java.lang.Exception", "Destination alias <%s> already exists",
                     k->destalias);
    else if (!e)
        rc = kt_fail("java.lang.Exception", "Alias <%s> does not exist", k->alias);
    else if (jks_entry_kind_of(e) != JKS_ENTRY_TRUSTED_CERT &&
             (f == JKS_FORMAT_JKS || f == JKS_FORMAT_JCEKS)) {
        /* keytool's recoverEntry: -keypass alone, else the store password,
         * else the password typed (three prompts for an empty answer) */
        const char *pw = k->keypass ? k->keypass : k->storepass;
        int opens = key_opens_with(k->keystore, f, jks_entry_alias(e), pw);
        char *typed = NULL;
        if (!opens && !k->keypass) {
            char q[256];
            snprintf(q, sizeof(q), "Enter key password for <%s>", k->alias);
            for (int n = 0; n < 3 && !typed; n++) {
                typed = ask(q);
                if (typed && !*typed)
                    wipe(&typed);
            }
            if (!typed)
                rc = kt_fail("java.lang.Exception", "Too many failures - try later");
            else
                opens = key_opens_with(k->keystore, f, jks_entry_alias(e), typed);
            wipe(&typed);
        }
        if (!rc && !opens)
            rc = kt_fail("java.security.UnrecoverableKeyException", "Cannot recover key");
    }
    if (!rc) {
        const char *stored = k->destalias;
        jks_error err;
        if (jks_format_java_lowercases(f)) {
            low = jks_alias_java_lower(k->destalias);
            stored = low;
        }
        jks_error_clear(&err);
        if (!stored)
            rc = kt_fail("java.lang.OutOfMemoryError", "out of memory");
        else if (jks_store_rename(st, (size_t)i, stored, &err) != JKS_OK)
            rc = kt_fail("java.lang.Exception", "Destination alias <%s> already exists",
                         k->destalias);
    }
    /* the key keeps its stored encryption: the same password, as keytool */
    if (!rc)
        rc = rewrite(st, k->keystore, k->storepass, NULL, 0); /* prints [Storing] with -v */
    if (!rc)
        migration_warning(f, k->keystore);
    jks_free(low);
    jks_store_free(st);
    if (asked) {
        k->destalias = NULL;
        free(asked);
    }
    return rc;
}

/* The store and the key entry -alias names, as -certreq and -gencert take
 * them: -1 when the store does not load (printed); else 0 with *st loaded
 * (the caller frees it) and *e the decrypted key entry, or NULL after
 * keytool's error for a missing alias, a certificate entry or a key that
 * does not open. */
static int load_key_entry(kt_args *k, jks_store **st, ssize_t *idx, const jks_entry **e)
{
    *e = NULL;
    if (need_storepass(k, NULL, 1) ||
        load(k->keystore, k->storetype, k->storepass, k->keypass, 1, st))
        return -1;
    *idx = find_index(*st, k->alias);
    const jks_entry *f = *idx >= 0 ? jks_store_entry(*st, (size_t)*idx) : NULL;
    if (!f)
        kt_fail("java.lang.Exception", "Alias <%s> does not exist", k->alias);
    else if (jks_entry_kind_of(f) != JKS_ENTRY_PRIVATE_KEY)
        kt_fail("java.lang.Exception", "Alias <%s> has no key", k->alias);
    else if (jks_entry_key_state(f) != JKS_KEY_DECRYPTED)
        kt_fail("java.security.UnrecoverableKeyException", "Cannot recover key");
    else
        *e = f;
    return 0;
}

/* ---- -certreq ---- */

static int do_certreq(kt_args *k)
{
    jks_store *st;
    ssize_t i;
    const jks_entry *e;
    if (load_key_entry(k, &st, &i, &e) < 0)
        return 1;
    int rc = e ? 0 : 1;
    if (!rc) {
        jks_gen_params p;
        jks_error err;
        uint8_t *der = NULL;
        size_t dl = 0;
        memset(&p, 0, sizeof(p));
        p.dname = k->dname;
        p.sigalg = k->sigalg;
        p.exts = k->ext;
        p.n_exts = (size_t)k->n_ext;
        jks_error_clear(&err);
        jks_bytes p8 = jks_entry_pkcs8(e), c = jks_entry_cert(e, 0);
        if (jks_csr_create(p8.data, p8.len, c.data, c.len, &p, &der, &dl, &err) != JKS_OK) {
            rc = kt_fail("java.lang.Exception", "%s", err.msg);
        } else {
            char *text = NULL;
            size_t tlen = 0;
            FILE *m = open_memstream(&text, &tlen);
            if (m) {
                kt_pem(m, "NEW CERTIFICATE REQUEST", der, dl);
                fclose(m);
            }
            rc = text ? emit(k->file, text, tlen, 0644)
                      : kt_fail("java.lang.OutOfMemoryError", "out of memory");
            free(text);
        }
        char csig[96], ckey[128];
        jks_strength ks;
        if (!rc && jks_cert_strength(c.data, c.len, JKS_JDK_17, NULL, &ks) == JKS_OK &&
            kt_cert_names(c.data, c.len, csig, sizeof(csig), ckey, sizeof(ckey)) == 0)
            kt_weak_lines("The generated certificate request", k->sigalg,
                          jks_algorithm_strength(k->sigalg, JKS_JDK_17), ckey, ks);
        jks_buffer_free(der, dl);
    }
    if (!rc)
        migration_warning(jks_store_format(st), k->keystore);
    jks_store_free(st);
    return rc;
}

/* ---- commands that change a store ---- */

/* The format a new store gets: -storetype, else keytool 17's PKCS12. */
static const char *new_type(const char *t)
{
    return t ? t : "pkcs12";
}

static int64_t creation_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Write st as the new file path (keytool creates a missing store). */
static int write_new(jks_store *st, const char *path, const char *storepass)
{
    jks_write_opts wo;
    jks_error err;
    uint8_t *buf = NULL;
    size_t len = 0;
    if (p12_not_ascii(jks_store_format(st), storepass))
        return kt_fail("java.io.IOException", "getSecretKey failed: Password is not ASCII");
    memset(&wo, 0, sizeof(wo));
    wo.format = jks_store_format(st);
    wo.storepass = storepass;
    wo.keep_encryption = 1;
    wo.p12_algorithms = p12_algorithms(JKS_P12_MODERN);
    jks_error_clear(&err);
    jks_status s = jks_store_write(st, &wo, &buf, &len, &err);
    if (s == JKS_OK)
        storing(path);
    if (s == JKS_OK)
        s = jks_file_write_atomic(path, buf, len, has_keys(st) ? 0600 : 0644, 0, &err);
    jks_buffer_free(buf, len);
    if (s != JKS_OK) {
        char line[512];
        return kt_fail("java.io.IOException", "%s", jks_error_format(&err, line, sizeof(line)));
    }
    return 0;
}

/* -file, or standard input without it (keytool reads the certificate from
 * System.in), read as a store of certificates. */
static jks_status read_cert_input(const char *path, const jks_read_opts *ro, jks_store **src,
                                  jks_error *err)
{
    if (path)
        return jks_store_read_file(path, ro, src, err);
    uint8_t *buf = NULL;
    size_t len = 0;
    if (read_all(stdin, &buf, &len) != 0)
    {
        snprintf(err->msg, sizeof(err->msg), "out of memory");
        return JKS_ERR_IO;
    }
    jks_status s = jks_store_read(buf, len, ro, src, err);
    free(buf);
    return s;
}

/* The certificates of -file (PEM, DER or PKCS#7), in file order. */
static int read_certs(const char *path, jks_store **src, jks_bytes **certs, size_t *n)
{
    jks_read_opts ro;
    jks_error err;
    memset(&ro, 0, sizeof(ro));
    *certs = NULL;
    *n = 0;
    jks_error_clear(&err);
    jks_status rs = read_cert_input(path, &ro, src, &err);
    if (rs == JKS_ERR_FORMAT)
        return kt_fail("java.lang.Exception", "Input not an X.509 certificate");
    if (rs != JKS_OK) {
        char line[512];
        return kt_fail("java.lang.Exception", "%s", jks_error_format(&err, line, sizeof(line)));
    }
    size_t total = 0;
    for (size_t i = 0; i < jks_store_count(*src); i++) {
        const jks_entry *e = jks_store_entry(*src, i);
        if (jks_entry_kind_of(e) != JKS_ENTRY_TRUSTED_CERT)
            return kt_fail("java.lang.Exception", "Input not an X.509 certificate");
        total += jks_entry_chain_len(e);
    }
    if (!total)
        return kt_fail("java.lang.Exception", "Input not an X.509 certificate");
    if (!(*certs = malloc(total * sizeof(**certs))))
        return kt_fail("java.lang.OutOfMemoryError", "out of memory");
    for (size_t i = 0; i < jks_store_count(*src); i++)
        for (size_t j = 0; j < jks_entry_chain_len(jks_store_entry(*src, i)); j++)
            (*certs)[(*n)++] = jks_entry_cert(jks_store_entry(*src, i), j);
    return 0;
}

/* A CA reply on key entry i (jks_store_install_reply). *changed when the
 * chain was replaced. */
static int install_reply(kt_args *k, jks_store *st, size_t i, const jks_bytes *certs, size_t n,
                         int *changed)
{
    jks_reply_opts ro = JKS_REPLY_OPTS_INIT;
    jks_reply_result res;
    jks_error err;
    const jks_entry *e = jks_store_entry(st, i);
    jks_bytes own = jks_entry_chain_len(e) ? jks_entry_cert(e, 0) : (jks_bytes){NULL, 0};
    if (n == 1 && own.len == certs[0].len && !memcmp(own.data, certs[0].data, own.len))
        return kt_fail("java.lang.Exception",
                       "Certificate reply and certificate in keystore are identical");
    jks_store *sys = k->trustcacerts ? cli_system_cas() : NULL;
    ro.extra_cas = sys;
    jks_error_clear(&err);
    jks_status s = jks_store_install_reply(st, i, certs, n, &ro, &res, &err);
    jks_store_free(sys);
    if (res.outcome == JKS_REPLY_NOT_FOR_KEY)
        return kt_fail("java.lang.Exception", "Public keys in reply and keystore don't match");
    if (res.outcome == JKS_REPLY_INCOMPLETE)
        return kt_fail("java.lang.Exception", "Failed to establish chain from reply");
    if (res.outcome == JKS_REPLY_UNCHANGED && n == 1)
        return kt_fail("java.lang.Exception",
                       "Certificate reply and certificate in keystore are identical");
    if (s != JKS_OK)
        return kt_fail("java.lang.Exception", "%s", err.msg);
    *changed = res.outcome == JKS_REPLY_INSTALLED;
    return 0;
}

/* The alias keytool's getCertificateAlias finds for cert in st: the first
 * entry, in Java's order, whose certificate (a key's first) it is; NULL if
 * none. */
static const char *alias_of_cert(const jks_store *st, const jks_bytes *cert)
{
    size_t n = 0, *order = malloc((jks_store_count(st) + 1) * sizeof(*order));
    const char *found = NULL;
    jks_error err;
    jks_error_clear(&err);
    if (order && jks_store_java_alias_order(st, order, &n, &err) == JKS_OK)
        for (size_t i = 0; i < n && !found; i++) {
            const jks_entry *e = jks_store_entry(st, order[i]);
            jks_bytes c = jks_entry_chain_len(e) ? jks_entry_cert(e, 0) : (jks_bytes){NULL, 0};
            if (c.len == cert->len && !memcmp(c.data, cert->data, c.len))
                found = jks_entry_alias(e);
        }
    free(order);
    return found;
}

/* 1 when keytool's establishCertChain reaches a self-signed certificate from
 * cert through the store's certificates (and the system CAs with
 * -trustcacerts). */
static int chains_to_trusted(const jks_store *st, const jks_store *sys, const jks_bytes *cert)
{
    size_t n = 0, m = jks_store_count(st) + (sys ? jks_store_count(sys) : 0);
    jks_bytes *pool = malloc((m + 1) * sizeof(*pool));
    size_t *picked = malloc((m + 1) * sizeof(*picked)), np = 0;
    int ok = 0;
    for (int w = 0; pool && w < 2; w++) {
        const jks_store *x = w ? sys : st;
        for (size_t i = 0; x && i < jks_store_count(x); i++)
            if (jks_entry_chain_len(jks_store_entry(x, i)))
                pool[n++] = jks_entry_cert(jks_store_entry(x, i), 0);
    }
    jks_error err;
    jks_cert_info ci;
    jks_error_clear(&err);
    if (pool && picked &&
        jks_chain_build(cert->data, cert->len, pool, n, picked, m + 1, &np, &err) == JKS_OK &&
        np > 0)
        ok = jks_cert_info_get(pool[picked[np - 1]].data, pool[picked[np - 1]].len, &ci) ==
                 JKS_OK &&
             ci.self_signed;
    free(pool);
    free(picked);
    return ok;
}

/* keytool's addTrustedCert questions without -noprompt: a certificate the
 * store already holds, a self-signed one, or one that does not chain to a
 * trusted certificate is printed (to stdout) or named, and keytool's question
 * asked. 1: add it; 0: not (keytool's "not added"); -1: error printed. */
static int trust_question(kt_args *k, const jks_store *st, const jks_bytes *cert)
{
    jks_cert_info ci;
    if (jks_cert_info_get(cert->data, cert->len, &ci) != JKS_OK)
    {
        kt_fail("java.lang.Exception", "Input not an X.509 certificate");
        return -1;
    }
    const char *there = alias_of_cert(st, cert);
    int too_many = 0, yes;
    jks_store *sys = k->trustcacerts ? cli_system_cas() : NULL;
    const char *in_sys = sys && ci.self_signed ? alias_of_cert(sys, cert) : NULL;
    if (there) {
        fprintf(stderr, "Certificate already exists in keystore under alias <%s>\n", there);
        yes = ask_yes("Do you still want to add it? [no]:  ", &too_many);
    } else if (in_sys) {
        fprintf(stderr, "Certificate already exists in system-wide CA keystore under alias <%s>\n",
                in_sys);
        yes = ask_yes("Do you still want to add it to your own keystore? [no]:  ", &too_many);
    } else if (!ci.self_signed && chains_to_trusted(st, sys, cert)) {
        yes = 1;
    } else {
        fflush(stderr);
        kt_print_cert(stdout, cert->data, cert->len);
        fflush(stdout);
        yes = ask_yes("Trust this certificate? [no]:  ", &too_many);
    }
    jks_store_free(sys);
    if (too_many) {
        kt_fail("java.lang.RuntimeException", "Too many retries, program terminated");
        return -1;
    }
    return yes;
}

/* keytool's validateReply question for a reply of several certificates
 * (without -noprompt): when the top of the installed chain of entry i is
 * neither in the store nor signed by a certificate there (or, with
 * -trustcacerts, in the system CAs), it is printed and "Install reply
 * anyway?" asked. 1: keep it; 0: not (keytool's "not installed"); -1 error. */
static int reply_top_question(kt_args *k, const jks_store *st, size_t i)
{
    const jks_entry *e = jks_store_entry(st, i);
    size_t n = jks_entry_chain_len(e), m = jks_store_count(st);
    if (!n)
        return 1;
    jks_bytes top = jks_entry_cert(e, n - 1);
    jks_store *sys = k->trustcacerts ? cli_system_cas() : NULL;
    int trusted = alias_of_cert(st, &top) != NULL || (sys && alias_of_cert(sys, &top));
    size_t cap = m + (sys ? jks_store_count(sys) : 0) + 1, np = 0, k2 = 0;
    jks_bytes *pool = malloc(cap * sizeof(*pool));
    size_t *picked = malloc(cap * sizeof(*picked));
    for (int w = 0; !trusted && pool && w < 2; w++) {
        const jks_store *x = w ? sys : st;
        for (size_t j = 0; x && j < jks_store_count(x); j++)
            if ((x != st || j != i) && jks_entry_chain_len(jks_store_entry(x, j)))
                pool[k2++] = jks_entry_cert(jks_store_entry(x, j), 0);
    }
    jks_error err;
    jks_error_clear(&err);
    if (!trusted && pool && picked &&
        jks_chain_build(top.data, top.len, pool, k2, picked, 1, &np, &err) == JKS_OK && np)
        trusted = 1;
    free(pool);
    free(picked);
    jks_store_free(sys);
    if (trusted)
        return 1;
    fputs("\nTop-level certificate in reply:\n\n", stderr);
    fflush(stderr);
    kt_print_cert(stdout, top.data, top.len);
    fflush(stdout);
    fputs("\n... is not trusted. ", stderr);
    int too_many, yes = ask_yes("Install reply anyway? [no]:  ", &too_many);
    if (too_many) {
        kt_fail("java.lang.RuntimeException", "Too many retries, program terminated");
        return -1;
    }
    return yes;
}

static int do_importcert(kt_args *k)
{
    if (need_storepass(k, NULL, 1))
        return 1;
    int reply = 0;
    jks_format f = JKS_FORMAT_UNKNOWN;
    int exists = file_exists(k->keystore);
    jks_store *st = NULL, *src = NULL;
    ssize_t i = -1;
    if (exists) {
        if (load(k->keystore, k->storetype, k->storepass, k->keypass, 1, &st))
            return 1;
        f = jks_store_format(st);
        i = find_index(st, k->alias);
        int kind = i >= 0 ? (int)jks_entry_kind_of(jks_store_entry(st, (size_t)i)) : 0;
        if (kind == JKS_ENTRY_TRUSTED_CERT || kind == JKS_ENTRY_SECRET_KEY) {
            jks_store_free(st);
            return kt_fail("java.lang.Exception", "Certificate not imported, alias <%s> already exists",
                           k->alias);
        }
        reply = kind == JKS_ENTRY_PRIVATE_KEY;
    } else if (parse_type(new_type(k->storetype), &f)) {
        return 1;
    }
    if (k->file && !file_exists(k->file)) {
        jks_store_free(st);
        return kt_fail("java.io.FileNotFoundException", "%s (No such file or directory)", k->file);
    }
    jks_bytes *certs = NULL;
    size_t n = 0;
    int changed = 0, declined = 0, rc = read_certs(k->file, &src, &certs, &n);
    if (!rc && !st && !(st = jks_store_new(f)))
        rc = kt_fail("java.lang.OutOfMemoryError", "out of memory");
    if (!rc && reply) {
        rc = install_reply(k, st, (size_t)i, certs, n, &changed);
        int keep = rc || n < 2 || k->noprompt ? 1 : reply_top_question(k, st, (size_t)i);
        if (keep < 0)
            rc = 1;
        else if (!keep)
            declined = 1, changed = 0;
    } else if (!rc && n != 1) {
        rc = kt_fail("java.lang.Exception",
                     "%zu certificates in %s: a trusted entry holds one", n, k->file);
    } else if (!rc) {
        jks_cert_info ci;
        jks_error err;
        rc = jks_cert_info_get(certs[0].data, certs[0].len, &ci) != JKS_OK
                 ? kt_fail("java.lang.Exception", "Input not an X.509 certificate")
                 : 0;
        int was_trusted = !rc && held_as_trusted(st, certs[0]);
        int add = rc || k->noprompt ? 1 : trust_question(k, st, &certs[0]);
        if (add < 0)
            rc = 1;
        else if (!add)
            declined = 1;
        jks_error_clear(&err);
        if (!rc && !declined &&
            jks_store_add_trusted_cert(st, k->alias, creation_ms(), certs[0].data,
                                              certs[0].len,
                                              &err) != JKS_OK)
            rc = kt_fail("java.lang.Exception", "%s", err.msg);
        if (!rc && !declined) /* a copy the store already trusts has its signature unjudged */
            kt_check_weak("The input", certs[0].data, certs[0].len, was_trusted);
        changed = !rc && !declined;
    }
    /* keytool says so before it writes the store */
    if (!rc)
        fprintf(stderr, "%s\n",
                reply ? declined ? "Certificate reply was not installed in keystore"
                                 : "Certificate reply was installed in keystore"
                : declined ? "Certificate was not added to keystore"
                           : "Certificate was added to keystore");
    if (!rc && changed)
        rc = exists ? rewrite(st, k->keystore, k->storepass, NULL, 0)
                    : write_new(st, k->keystore, k->storepass);
    free(certs);
    jks_store_free(src);
    jks_store_free(st);
    if (rc)
        return 1;
    migration_warning(f, k->keystore);
    return 0;
}

/* ---- -importkeystore ---- */

typedef struct {
    kt_args *k;
    jks_store *src, *dst;
    jks_format sf, df;
    int inplace;
    int64_t now;
} impks;

/* The password keytool asks for a source key the store password does not
 * open ("Enter key password for <alias>", three tries; an empty answer counts
 * as none), with the source read again to open that key with it. *re and
 * *ri: the reread store and the entry's index there. */
static int ask_source_key(impks *x, const char *alias, char **pw, jks_store **re, size_t *ri)
{
    char q[600];
    snprintf(q, sizeof(q), "Enter key password for <%s>", alias);
    for (int i = 0; i < 3 && !*pw; i++) {
        *pw = ask(q);
        if (*pw && !**pw)
            wipe(pw);
    }
    if (!*pw)
        return kt_fail("java.lang.Exception", "Too many failures - try later");
    if (load(x->k->srckeystore, type_label(x->sf), x->k->srcstorepass, *pw, 1, re))
        return 1;
    const jks_entry *e = jks_store_find(*re, alias);
    if (!e || jks_entry_key_state(e) != JKS_KEY_DECRYPTED)
        return kt_fail("java.security.UnrecoverableKeyException", "Cannot recover key");
    *ri = jks_store_index_of(*re, e);
    return 0;
}

/* One entry as keytool's doImportKeyStoreSingle copies it: 1 imported, 0
 * cancelled at the alias question, 2 refused by the destination (message
 * printed), -1 on an error that ends the command (printed). */
static int import_one(impks *x, size_t si)
{
    kt_args *k = x->k;
    const jks_entry *e = jks_store_entry(x->src, si);
    const char *alias = jks_entry_alias(e);
    char *asked_alias = NULL, *asked_pw = NULL;
    const char *to = k->srcalias && k->alias ? k->alias : alias;
    if (jks_store_find_java(x->dst, to)) {
        if (k->noprompt) {
            fprintf(stderr, "Warning: Overwriting existing alias %s in destination keystore\n",
                    alias);
        } else {
            char q[600];
            int too_many;
            snprintf(q, sizeof(q), "Existing entry alias %s exists, overwrite? [no]:  ", alias);
            int yes = ask_yes(q, &too_many);
            if (too_many) {
                kt_fail("java.lang.RuntimeException", "Too many retries, program terminated");
                return -1;
            }
            if (!yes) {
                asked_alias =
                    ask_line("Enter new alias name\t(RETURN to cancel import for this entry):  ");
                if (!asked_alias || !*asked_alias) {
                    fprintf(stderr, "Entry for alias %s not imported.\n", alias);
                    free(asked_alias);
                    return 0;
                }
                to = asked_alias;
            }
        }
    }
    /* keytool's recoverEntry: -srckeypass alone, else the store password,
     * else (JKS, JCEKS) the password asked for */
    jks_store *re = NULL, *from = x->src;
    size_t fi = si;
    const char *pw = NULL;
    int rc = 0;
    if (jks_entry_kind_of(e) != JKS_ENTRY_TRUSTED_CERT) {
        int opened = jks_entry_key_state(e) == JKS_KEY_DECRYPTED;
        int by = jks_entry_password_index(e);
        if (k->srckeypass && !(opened && by == 0))
            rc = kt_fail("java.security.UnrecoverableKeyException", "Cannot recover key");
        else if (opened)
            pw = k->srckeypass ? k->srckeypass : k->srcstorepass;
        else if (x->sf == JKS_FORMAT_PKCS12)
            rc = kt_fail("java.security.UnrecoverableKeyException",
                         "Get Key failed: the key does not open with the store password");
        else if (!(rc = ask_source_key(x, alias, &asked_pw, &re, &fi)))
            from = re, pw = asked_pw;
    }
    /* the destination password: -destkeypass, else (PKCS12) the store's,
     * else the one that opened the source key */
    const char *keypass = k->keypass ? k->keypass : x->df == JKS_FORMAT_PKCS12 ? NULL : pw;
    jks_error err;
    jks_error_clear(&err);
    if (!rc) {
        int refused = jks_entry_kind_of(e) != JKS_ENTRY_TRUSTED_CERT &&
                      p12_not_ascii(x->df, k->storepass);
        jks_status s = refused ? JKS_ERR_USAGE
                               : jks_store_import_entry(x->dst, from, fi, to, keypass, x->now, &err);
        if (refused) {
            fprintf(stderr,
                    "Problem importing entry for alias %s: java.security.KeyStoreException: %s.\n"
                    "Entry for alias %s not imported.\n",
                    alias, P12_KEY_NOT_ASCII, alias);
            rc = 2;
        } else if (s == JKS_ERR_USAGE && !strcmp(err.msg, "Cannot store non-PrivateKeys")) {
            fprintf(stderr,
                    "Problem importing entry for alias %s: java.security.KeyStoreException: "
                    "Cannot store non-PrivateKeys.\nEntry for alias %s not imported.\n",
                    alias, alias);
            rc = 2;
        } else if (s != JKS_OK) {
            char line[512];
            rc = kt_fail("java.lang.Exception", "%s", jks_error_format(&err, line, sizeof(line)));
        } else {
            rc = 1;
        }
    } else {
        rc = -1;
    }
    wipe(&asked_pw);
    free(asked_alias);
    jks_store_free(re);
    return rc;
}

/* keytool's doImportKeyStoreAll: each entry in the order Java lists them,
 * then the summary line. */
static int import_all(impks *x)
{
    size_t n = 0, ok = 0, *order = malloc((jks_store_count(x->src) + 1) * sizeof(*order));
    jks_error err;
    jks_error_clear(&err);
    if (!order || jks_store_java_alias_order(x->src, order, &n, &err) != JKS_OK) {
        free(order);
        return kt_fail("java.lang.OutOfMemoryError", "out of memory");
    }
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        const char *alias = jks_entry_alias(jks_store_entry(x->src, order[i]));
        int r = import_one(x, order[i]);
        if (r < 0) {
            rc = 1;
            break;
        }
        if (r == 1) {
            ok++;
            fprintf(stderr, "Entry for alias %s successfully imported.\n", alias);
        } else if (r == 2 && !x->k->noprompt) {
            int too_many;
            if (ask_yes("Do you want to quit the import process? [no]:  ", &too_many))
                break;
            if (too_many) {
                rc = kt_fail("java.lang.RuntimeException", "Too many retries, program terminated");
                break;
            }
        }
    }
    if (!rc)
        fprintf(stderr,
                "Import command completed:  %zu entries successfully imported, %zu entries failed "
                "or cancelled\n",
                ok, n - ok);
    free(order);
    return rc;
}

/* In-place import: keytool copies the source to NAME.old (NAME.old2, ...,
 * the first that does not exist), keeping its mode, before the store is
 * written over NAME. *backup gets the name used. */
static int backup_source(const char *path, char *backup, size_t cap)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    struct stat sb;
    jks_error err;
    jks_error_clear(&err);
    if (stat(path, &sb) != 0 || jks_file_read(path, &buf, &len, &err) != JKS_OK)
        return kt_fail("java.io.IOException", "%s: cannot read", path);
    jks_status s = JKS_ERR_USAGE;
    for (unsigned n = 1; s == JKS_ERR_USAGE && n < 1000; n++) {
        if (n == 1)
            snprintf(backup, cap, "%s.old", path);
        else
            snprintf(backup, cap, "%s.old%u", path, n);
        if (file_exists(backup))
            continue;
        jks_error_clear(&err);
        s = jks_file_write_atomic(backup, buf, len, (unsigned)(sb.st_mode & 0777), 0, &err);
    }
    jks_buffer_free(buf, len);
    if (s != JKS_OK)
        return kt_fail("java.nio.file.FileAlreadyExistsException", "%s", backup);
    return 0;
}

/* keytool's in-place check: the source and the destination are one file. */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* The destination store: the existing file, a new store of -deststoretype
 * (keytool 17's PKCS12 by default), or, in place, a new store replacing the
 * source. */
static int open_destination(impks *x, int *exists)
{
    kt_args *k = x->k;
    *exists = !x->inplace && file_exists(k->keystore);
    if (*exists) {
        if (load(k->keystore, k->storetype, k->storepass, NULL, 0, &x->dst))
            return 1;
        x->df = jks_store_format(x->dst);
        if (x->df == JKS_FORMAT_PKCS12) { /* PKCS#12 keys take the store password again */
            jks_store_free(x->dst);
            x->dst = NULL;
            if (load(k->keystore, k->storetype, k->storepass, NULL, 1, &x->dst))
                return 1;
        }
    } else {
        if (parse_type(new_type(k->storetype), &x->df))
            return 1;
        if (!x->inplace && strlen(k->storepass) < 6)
            return kt_fail("java.lang.Exception", "Keystore password must be at least 6 characters");
        if (!(x->dst = jks_store_new(x->df)))
            return kt_fail("java.lang.OutOfMemoryError", "out of memory");
    }
    if (x->df == JKS_FORMAT_PKCS12 && k->keypass && strcmp(k->keypass, k->storepass)) {
        fputs("Warning:  Different store and key passwords not supported for PKCS12 KeyStores. "
              "Ignoring user-specified -destkeypass value.\n",
              stderr);
        wipe(&k->keypass);
    }
    return 0;
}

static int open_source(impks *x)
{
    kt_args *k = x->k;
    if (!k->srcstorepass) {
        k->srcstorepass = ask("Enter source keystore password:  ");
        if (k->srcstorepass && !*k->srcstorepass)
            wipe(&k->srcstorepass);
    }
    if (load(k->srckeystore, k->srcstoretype, k->srcstorepass, k->srckeypass, 1, &x->src))
        return 1;
    x->sf = jks_store_format(x->src);
    if (x->sf == JKS_FORMAT_PKCS12 && k->srckeypass && k->srcstorepass &&
        strcmp(k->srckeypass, k->srcstorepass))
        fputs("Warning:  Different store and key passwords not supported for PKCS12 KeyStores. "
              "Ignoring user-specified -srckeypass value.\n",
              stderr);
    return 0;
}

/* The warning block keytool ends with: the JKS/JCEKS one for a destination
 * holding keys, and after an in-place import where the original went. */
static void import_warnings(const impks *x, const char *backup)
{
    int legacy = (x->df == JKS_FORMAT_JKS || x->df == JKS_FORMAT_JCEKS) && has_keys(x->dst);
    if (!legacy && !backup)
        return;
    fputs("\nWarning:\n", stderr);
    if (legacy)
        fprintf(stderr,
                "The %s keystore uses a proprietary format. It is recommended to migrate to PKCS12 "
                "which is an industry standard format using \"keytool -importkeystore "
                "-srckeystore %s -destkeystore %s -deststoretype pkcs12\".\n",
                type_label(x->df), x->k->keystore, x->k->keystore);
    if (backup && x->df == x->sf)
        fprintf(stderr, "The original keystore \"%s\" is backed up as \"%s\"...\n",
                x->k->srckeystore, backup);
    else if (backup)
        fprintf(stderr, "Migrated \"%s\" to %s. The %s keystore is backed up as \"%s\".\n",
                x->k->srckeystore, type_label(x->df), type_label(x->sf), backup);
}

static int do_importkeystore(kt_args *k)
{
    impks x;
    memset(&x, 0, sizeof(x));
    x.k = k;
    x.now = creation_ms();
    if (!k->srckeystore)
        return kt_fail("java.lang.Exception", "Please specify -srckeystore");
    x.inplace = same_file(k->srckeystore, k->keystore);
    int rc = 0, exists = 0;
    if (x.inplace) { /* the source first: its password is the new store's */
        rc = open_source(&x);
        if (!rc && !k->storepass && k->srcstorepass)
            k->storepass = dup_n(k->srcstorepass, strlen(k->srcstorepass));
        if (!rc)
            rc = need_storepass(k, "Enter destination keystore password:  ", 1) ||
                 open_destination(&x, &exists);
    } else {
        fprintf(stderr, "Importing keystore %s to %s...\n", k->srckeystore, k->keystore);
        rc = need_storepass(k, "Enter destination keystore password:  ", 1) ||
             open_destination(&x, &exists) || open_source(&x);
    }
    if (!rc && k->srcalias) {
        const jks_entry *e = jks_store_find(x.src, k->srcalias);
        if (!e || !jks_entry_java_visible(e))
            rc = kt_fail("java.lang.Exception", "Alias <%s> does not exist", k->srcalias);
        else
            rc = import_one(&x, jks_store_index_of(x.src, e)) < 0;
    } else if (!rc) {
        if (k->alias || k->srckeypass)
            rc = kt_fail("java.lang.Exception",
                         "if alias not specified, destalias and srckeypass must not be specified");
        else
            rc = import_all(&x);
    }
    char backup[PATH_MAX + 16];
    if (!rc && x.inplace)
        rc = backup_source(k->srckeystore, backup, sizeof(backup));
    if (!rc) /* keytool writes the store even when nothing was imported */
        rc = exists || x.inplace ? rewrite(x.dst, k->keystore, k->storepass, NULL, 0)
                                 : write_new(x.dst, k->keystore, k->storepass);
    if (!rc)
        import_warnings(&x, x.inplace ? backup : NULL);
    jks_store_free(x.dst);
    jks_store_free(x.src);
    return rc;
}

/* A number option of keytool (-keysize, -validity): 1..max. */
static int kt_number(const char *opt, const char *v, unsigned long max, unsigned long *out)
{
    char *end;
    *out = 0;
    if (!v)
        return 0;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (errno || *end || !*v || v[0] == '-' || n == 0 || n > max)
        return kt_fail("java.lang.Exception", "bad %s value: %s", opt, v);
    *out = n;
    return 0;
}

/* Generate the key pair and its self-signed certificate into the store
 * (created when missing) under the alias as Java stores it (lower-cased);
 * then, as keytool, the "Generating" line and (JKS, JCEKS without -keypass)
 * the key-password prompt before the store is written. */
static int make_keypair(kt_args *k, const char *size, jks_format f, int exists,
                        const char *generating)
{
    unsigned long bits, days;
    if (kt_number("-keysize", size, 16384, &bits) || kt_number("-validity", k->validity, 36500, &days))
        return 1;
    jks_gen_params gp;
    jks_error err;
    memset(&gp, 0, sizeof(gp));
    gp.dname = k->dname;
    gp.sigalg = k->sigalg;
    gp.exts = k->ext;
    gp.n_exts = (size_t)k->n_ext;
    gp.validity_days = (uint32_t)days;
    jks_error_clear(&err);
    if (k->startdate && jks_startdate_parse(k->startdate, 0, &gp.not_before, &err) != JKS_OK)
        return kt_fail("java.lang.Exception", "Illegal startdate value");
    if (jks_gen_params_check(&gp, k->keyalg, &err) != JKS_OK)
        return kt_fail("java.lang.Exception", "%s", err.msg);
    char alias[512];
    if (!k->alias[0] || strlen(k->alias) >= sizeof(alias))
        return kt_fail("java.lang.Exception", "bad alias");
    snprintf(alias, sizeof(alias), "%s", k->alias);
    for (char *p = alias; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    jks_store *st = NULL;
    if (exists ? load(k->keystore, k->storetype, k->storepass, NULL, f == JKS_FORMAT_PKCS12, &st)
               : !(st = jks_store_new(f)))
        return exists ? 1 : kt_fail("java.lang.OutOfMemoryError", "out of memory");
    const char *keypass = f != JKS_FORMAT_PKCS12 && k->keypass ? k->keypass : k->storepass;
    uint8_t *out = NULL;
    size_t out_len = 0;
    jks_status s = jks_store_generate_key(st, alias, k->keyalg, (unsigned)bits, &gp, creation_ms(),
                                          &err);
    if (s != JKS_OK) {
        jks_store_free(st);
        return kt_fail(strstr(err.msg, "security strength") ? "java.security.InvalidKeyException"
                       : strstr(err.msg, "Prime Size") ? "java.lang.IllegalArgumentException"
                                                       : "java.lang.Exception",
                       "%s", err.msg);
    }
    fputs(generating, stderr);
    if (f != JKS_FORMAT_PKCS12 && !k->keypass) {
        if (kt_ask_keypass(k->alias, &k->keypass)) {
            jks_store_free(st);
            return kt_fail("java.lang.Exception", "Too many failures - key not added to keystore");
        }
        keypass = k->keypass ? k->keypass : k->storepass;
    }
    if (s == JKS_OK) {
        jks_write_opts wo;
        memset(&wo, 0, sizeof(wo));
        wo.format = f;
        wo.storepass = k->storepass;
        wo.keypass = keypass;
        wo.keep_encryption = f != JKS_FORMAT_PKCS12; /* other keys keep their passwords */
        wo.p12_algorithms = p12_algorithms(JKS_P12_MODERN);
        s = jks_store_write(st, &wo, &out, &out_len, &err);
    }
    if (s == JKS_OK)
        s = jks_file_write_atomic(k->keystore, out, out_len, 0600, exists, &err);
    jks_buffer_free(out, out_len);
    jks_store_free(st);
    return s == JKS_OK ? 0 : kt_fail("java.lang.Exception", "%s", err.msg);
}

static int do_genkeypair(kt_args *k)
{
    if (!k->keyalg)
        return kt_fail("java.lang.Exception", "The -keyalg option must be specified.");
    if (!k->dname)
        return kt_fail("java.lang.Exception",
                       "jkstool keytool does not prompt for the name: give -dname");
    const char *size = k->keysize;
    if (k->groupname) {
        static const struct { const char *g, *bits; } groups[] = {
            {"secp256r1", "256"}, {"prime256v1", "256"}, {"nistp256", "256"},
            {"secp384r1", "384"}, {"nistp384", "384"},   {"secp521r1", "521"},
            {"nistp521", "521"},
        };
        if (k->keysize)
            return kt_fail("java.lang.Exception", "Cannot specify both -groupname and -keysize");
        size = NULL;
        for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
            if (!strcasecmp(k->groupname, groups[i].g))
                size = groups[i].bits;
        if (!size)
            return kt_fail("java.lang.Exception",
                           "jkstool keytool does not support -groupname %s", k->groupname);
    }
    if (need_storepass(k, NULL, 1))
        return 1;
    int exists = file_exists(k->keystore);
    jks_format f = JKS_FORMAT_UNKNOWN;
    if (exists) {
        jks_store *st;
        if (load(k->keystore, k->storetype, k->storepass, NULL, 0, &st))
            return 1;
        f = jks_store_format(st);
        int taken = find_index(st, k->alias) >= 0;
        jks_store_free(st);
        if (taken)
            return kt_fail("java.lang.Exception", "Key pair not generated, alias <%s> already exists",
                           k->alias);
    } else {
        if (parse_type(new_type(k->storetype), &f))
            return 1;
        if (strlen(k->storepass) < 6)
            return kt_fail("java.lang.Exception", "Keystore password must be at least 6 characters");
    }
    if (f == JKS_FORMAT_PKCS12 && k->keypass && strcmp(k->keypass, k->storepass))
        fputs("Warning:  Different store and key passwords not supported for PKCS12 KeyStores. "
              "Ignoring user-specified -keypass value.\n",
              stderr);
    if (k->keysize && !strcasecmp(k->keyalg, "EC")) {
        char w[160];
        unsigned long eb = strtoul(k->keysize, NULL, 10);
        snprintf(w, sizeof(w),
                 "Specifying -keysize for generating EC keys is deprecated, please use "
                 "\"-groupname %s\" instead.",
                 eb == 384 ? "secp384r1" : eb == 521 ? "secp521r1" : "secp256r1");
        kt_warn(w);
    }
    if (p12_not_ascii(f, k->storepass))
        return kt_fail("java.security.KeyStoreException", P12_KEY_NOT_ASCII);
    /* keytool's line, e.g. "Generating 2,048 bit RSA key pair and self-signed
     * certificate (SHA256withRSA) with a validity of 90 days" */
    kt_gen_text gt;
    kt_gen_describe(k->keyalg, size, k->sigalg, k->validity, k->dname, &gt);
    if (make_keypair(k, size, f, exists, gt.line))
        return 1;
    storing(k->keystore);
    kt_weak_lines("The generated certificate", gt.sigalg, jks_algorithm_strength(gt.sigalg, JKS_JDK_17),
                  gt.keyname, jks_key_strength(gt.alg, gt.bits, JKS_JDK_17));
    migration_warning(f, k->keystore);
    return 0;
}

/* ---- -gencert ---- */

static int do_gencert(kt_args *k)
{
    jks_store *st;
    unsigned long days;
    jks_gencert_opts go = JKS_GENCERT_OPTS_INIT;
    jks_error err;
    jks_error_clear(&err);
    if (kt_number("-validity", k->validity, 36500, &days))
        return 1;
    if (k->startdate && jks_startdate_parse(k->startdate, 0, &go.not_before, &err) != JKS_OK)
        return kt_fail("java.io.IOException", "Illegal startdate value");
    ssize_t i;
    const jks_entry *e;
    if (load_key_entry(k, &st, &i, &e) < 0)
        return 1;
    int rc = e ? 0 : 1;
    uint8_t *req = NULL, *out = NULL;
    size_t req_len = 0, out_len = 0;
    if (!rc && k->infile && jks_file_read(k->infile, &req, &req_len, &err) != JKS_OK)
        rc = kt_fail("java.io.FileNotFoundException", "%s (%s)", k->infile, java_io_reason(err.msg));
    else if (!rc && !k->infile && read_all(stdin, &req, &req_len) != 0)
        rc = kt_fail("java.lang.OutOfMemoryError", "out of memory");
    if (!rc) {
        go.dname = k->dname;
        go.sigalg = k->sigalg;
        go.exts = k->ext;
        go.n_exts = (size_t)k->n_ext;
        go.validity_days = (uint32_t)days;
        go.output = k->rfc ? JKS_GENCERT_PEM_KEYTOOL : JKS_GENCERT_DER;
        go.allow_non_ca = 1; /* keytool signs with any key */
        jks_gencert_result res;
        jks_status gs = jks_store_gencert(st, (size_t)i, req, req_len, &go, &res, &out, &out_len, &err);
        if (gs == JKS_ERR_FORMAT && strstr(err.msg, "signature does not verify"))
            rc = kt_fail("java.security.SignatureException", "Invalid PKCS #10 signature");
        else if (gs != JKS_OK)
            rc = kt_fail(gs == JKS_ERR_FORMAT ? "java.io.IOException" : "java.lang.Exception", "%s",
                         err.msg);
        else
            rc = emit(k->outfile, (const char *)out, out_len, 0644);
        if (gs == JKS_OK && !rc) { /* keytool's checkWeak of the new certificate */
            char key[96];
            snprintf(key, sizeof(key), "%d-bit %s key", res.cert.key_bits, res.cert.key_algorithm);
            kt_weak_lines("The generated certificate", k->sigalg,
                          jks_algorithm_strength(k->sigalg, JKS_JDK_17), key,
                          jks_key_strength(res.cert.key_algorithm, res.cert.key_bits, JKS_JDK_17));
        }
    }
    if (!rc)
        migration_warning(jks_store_format(st), k->keystore);
    jks_buffer_free(out, out_len);
    jks_buffer_free(req, req_len);
    jks_store_free(st);
    return rc;
}

/* ---- -genseckey, -importpass (cli/keytool_seckey.c) and what they use here ---- */

int kt_load(const char *path, const char *type, const char *storepass, int decrypt, jks_store **out)
{
    return load(path, type, storepass, NULL, decrypt, out);
}
int kt_store_type(const char *type, jks_format *f) { return parse_type(type, f); }
void kt_storing(const char *path) { storing(path); }
int kt_is_verbose(void) { return kt_verbose; }
void kt_end_warnings(jks_format f, const char *path) { migration_warning(f, path); }
jks_p12_algorithms kt_p12_algorithms(jks_p12_algorithms otherwise) { return p12_algorithms(otherwise); }

static int do_seckey(kt_args *k)
{
    kt_seckey_args a = {k->cmd == K_IMPPASS, k->alias, k->keystore, k->storetype, k->keyalg,
                        k->keysize, &k->storepass, &k->keypass};
    return kt_seckey(&a);
}

int cmd_keytool(int argc, char **argv)
{
    kt_args k;
    kt_verbose = 0;
    int rc = parse(argc, argv, &k);
    kt_verbose = k.verbose;
    if (rc || k.help || !k.cmd) {
        if (!rc && (k.help || !k.cmd))
            fputs(help, k.help ? stdout : stderr);
        args_free(&k);
        return rc || !k.help ? 1 : 0;
    }
    switch (k.cmd) {
    case K_LIST: rc = do_list(&k); break;
    case K_EXPORT: rc = do_export(&k); break;
    case K_IMPORT: rc = do_importcert(&k); break;
    case K_IMPKS: rc = do_importkeystore(&k); break;
    case K_GENKEY: rc = do_genkeypair(&k); break;
    case K_CERTREQ: rc = do_certreq(&k); break;
    case K_STOREPW: rc = do_storepasswd(&k); break;
    case K_KEYPW: rc = do_keypasswd(&k); break;
    case K_DELETE: rc = do_delete(&k); break;
    case K_CHALIAS: rc = do_changealias(&k); break;
    case K_PRINTCERT: rc = do_printcert(&k); break;
    case K_GENCERT: rc = do_gencert(&k); break;
    case K_PRINTREQ: rc = kt_printcertreq(k.file); break;
    case K_PRINTCRL: { /* the -keystore given (none: not verified); -trustcacerts */
        jks_store *cks = NULL;
        kt_args ca;
        memset(&ca, 0, sizeof(ca));
        rc = k.keystore != k.keystore_default &&
             load(k.keystore, k.storetype, k.storepass, NULL, 0, &cks);
        rc = rc ? rc : kt_printcrl(k.file, k.rfc, cks,
                                   k.trustcacerts && !kt_cacerts(&ca) ? ca.keystore : NULL);
        jks_store_free(cks);
        break;
    }
    case K_SHOWINFO: rc = kt_showinfo(k.tls); break;
    case K_GENSECKEY: case K_IMPPASS: rc = do_seckey(&k); break;
    default: rc = 1;
    }
    if (fflush(stdout) != 0 && !rc)
        rc = kt_fail("java.io.IOException", "cannot write to standard output");
    kt_warnings_flush(NULL); /* what an error left (keytool prints it in its finally) */
    args_free(&k);
    return rc ? 1 : 0;
}
