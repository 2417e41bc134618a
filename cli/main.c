/* jkstool: the command-line tool over libjks. Dispatches to one file per
 * subcommand (cli/cmd_*.c); prints usage and the exit codes. */
#include "cli.h"

#include <malloc.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} cmds[] = {
    {"list", cmd_list, "list the entries of a keystore (JKS, JCEKS, PKCS#12, PEM)"},
    {"convert", cmd_convert, "convert a keystore to another format"},
    {"check", cmd_check, "validate a keystore for mutual TLS and name each pitfall"},
    {"export", cmd_export, "write an entry's certificate, chain or key as PEM or DER"},
    {"import", cmd_import, "add a certificate, a key with its chain, or another store's entries"},
    {"passwd", cmd_passwd, "change the store password and key passwords"},
    {"rename", cmd_rename, "give an entry a new alias (keytool -changealias)"},
    {"genkey", cmd_genkey, "generate a key pair with a self-signed certificate in a keystore"},
    {"genseckey", cmd_genseckey, "add a random secret key or a password entry (keytool -genseckey, -importpass)"},
    {"csr", cmd_csr, "write a certificate signing request for a key entry"},
    {"gencert", cmd_gencert, "sign a certificate request with a CA key entry of a keystore"},
    {"probe", cmd_probe, "connect to a TLS server presenting the keystore's key (mutual TLS)"},
    {"keytool", cmd_keytool, "keytool-compatible mode: jkstool keytool -list -keystore KS ..."},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: jkstool COMMAND [OPTIONS] ...\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
    fprintf(f, "\n'jkstool COMMAND --help' describes each command.\n"
               "\nexit codes: 0 success, 1 check found errors, 2 usage, 3 wrong password or\n"
               "integrity failure, 4 malformed or unsupported input, 5 I/O error\n");
}

int main(int argc, char **argv)
{
    /* jkstool needs only OpenSSL's built-in providers: skipping the system
     * openssl.cnf saves reading and parsing it on every run (a third of the
     * time of listing a truststore) and keeps results independent of it. */
    /* key material OpenSSL copies while decoding keys is wiped when freed
     * (must come before OpenSSL allocates anything) */
    jks_openssl_wipe_on_free();
    OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL);
    /* Encoders copy whole keystores several times; served from the heap
     * rather than fresh mmaps, those copies stop costing page faults each. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    /* jkstool holds passwords and decrypted keys: no core dump may carry
     * them to disk (nor may another process of the user ptrace them out). */
    struct rlimit nocore = {0, 0};
    setrlimit(RLIMIT_CORE, &nocore);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("jkstool %s\n", JKS_VERSION_STRING);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (!strcmp(argv[1], cmds[i].name))
            return cmds[i].fn(argc - 2, argv + 2);
    fprintf(stderr, "jkstool: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
