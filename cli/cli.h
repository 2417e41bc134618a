/* jkstool internals shared by the subcommands: exit codes, the one option
 * parser, password specs, and output helpers (text and JSON). */
#ifndef JKSTOOL_CLI_H
#define JKSTOOL_CLI_H

#include "jks/jks.h"

#include <limits.h>
#include <sys/stat.h>
#include <stdio.h>

/* Exit codes (README "Exit codes"); equal to jks_status values. */
enum {
    EXIT_OK = 0,
    EXIT_CHECK = 1,
    EXIT_USAGE = 2,
    EXIT_PASSWORD = 3,
    EXIT_FORMAT = 4,
    EXIT_IO = 5,
};

#define CLI_MAX_MULTI 32

/* Every option of every subcommand; each command says which it takes. */
typedef struct {
    /* passwords, as SPECs (pass:TEXT, env:VAR, file:PATH) */
    const char *storepass_spec;
    const char *keypass_spec[CLI_MAX_MULTI];
    int n_keypass;
    const char *out_storepass_spec;
    const char *out_keypass_spec;
    /* resolved secrets (owned, wiped by cli_args_free) */
    char *storepass;
    char *keypass[CLI_MAX_MULTI];
    char *out_storepass;
    char *out_keypass;
    int storepass_given;      /* a password was given or typed */
    /* common */
    const char *type;         /* --type */
    int json, verbose, rfc, help;
    int aliases_only;         /* list --aliases: one alias per line */
    unsigned long max_iterations;
    unsigned long long max_work; /* --max-work; 0 = the library's default */
    /* convert */
    const char *to;
    const char *aliases[CLI_MAX_MULTI];
    int n_aliases;
    int force, keep_encryption, reencrypt, skip_unsupported, require_key, keep_hidden;
    const char *pkcs12_algorithms;
    const char *split_dir;
    /* check */
    const char *for_what;
    const char *at;
    int strict;
    /* passwd, export, import, genkey, csr, probe */
    const char *new_storepass_spec;
    const char *new_keypass_spec;
    char *new_storepass;      /* resolved, wiped by cli_args_free */
    char *new_keypass;
    const char *file;         /* --file: certificate/key/CSR input or output */
    const char *out;          /* --out */
    int der, trustcacerts;
    const char *dname, *keyalg, *sigalg, *ext[CLI_MAX_MULTI];
    int n_ext;
    unsigned long keysize, validity;
    const char *infile, *outfile, *startdate; /* gencert */
    const char *connect, *servername, *cafile, *truststore, *truststore_pass_spec;
    char *truststore_pass;
    unsigned long timeout;
    int key_manager_pkix;     /* --key-manager pkix */
    int explain_choice;       /* --explain-choice: offline, no --connect */
    const char *ca_names;     /* --ca-names PEM: the acceptable CA names for --explain-choice */
    int jdk;                  /* --jdk 17|21|25; 0: not given (17) */
    const char *java_cacerts; /* --java-cacerts PATH: a JDK's cacerts as the server trust */
    /* genseckey */
    const char *password_entry_spec; /* --password-entry SPEC: a password kept as a PBE key */
    char *password_entry;            /* resolved, wiped by cli_args_free */
    /* positional arguments */
    char **pos;
    int npos;
} cli_args;

/* Option flags: which options a command accepts. */
enum {
    OPT_STOREPASS = 1 << 0, OPT_KEYPASS = 1 << 1, OPT_TYPE = 1 << 2, OPT_JSON = 1 << 3,
    OPT_VERBOSE = 1 << 4, OPT_RFC = 1 << 5, OPT_CONVERT = 1 << 6, OPT_CHECK = 1 << 7,
    OPT_OUTPASS = 1 << 8, OPT_ALIAS = 1 << 9, OPT_LIMITS = 1 << 10,
    OPT_NEWPASS = 1 << 11, OPT_FILE = 1 << 12, OPT_GEN = 1 << 13, OPT_PROBE = 1 << 14,
    OPT_ALIASES = 1 << 15, OPT_GENCERT = 1 << 16, OPT_SECRET = 1 << 17,
};

/* Parse argv (after the subcommand name). Returns 0, or EXIT_USAGE after
 * printing one line to stderr. */
int cli_parse(int argc, char **argv, unsigned allowed, cli_args *a);
/* The start of every subcommand: parse argv, answer --help (on stdout, exit
 * 0) and a parse error or a count of positional arguments outside
 * [min_pos, max_pos] (usage on stderr, exit 2). Returns -1 to go on, else
 * the exit code, with a already freed. */
int cli_start(int argc, char **argv, unsigned allowed, const char *help, int min_pos,
              int max_pos, cli_args *a);
/* The one line for a wrong count of positional arguments: the first
 * unexpected one named (or "missing argument" when unexpected is NULL) and
 * the first line of help (its usage). */
void cli_usage_line(const char *help, const char *unexpected);
/* Resolve password specs; prompt (no echo) for the store password when none
 * was given, prompt_store is set and stdin is a terminal. */
int cli_resolve_passwords(cli_args *a, int prompt_store, const char *prompt_file);
void cli_args_free(cli_args *a);
/* Ask question on the terminal (/dev/tty) without echo: *out is the answer
 * (owned, wipe it), NULL for an empty answer or no terminal. Returns 0. */
int cli_prompt(const char *question, char **out);

/* "-" as a file name: standard input (reading) or standard output (writing). */
int cli_is_std(const char *path);
/* path for messages ("(standard input)" for "-"). */
const char *cli_name(const char *path);
/* The bytes of path, or of standard input for "-" (bounded as a file is:
 * JKS_MAX_FILE_SIZE). Free with jks_buffer_free. */
jks_status cli_read_bytes(const char *path, uint8_t **out, size_t *len, jks_error *err);
/* jks_store_read_file, or for "-" the store on standard input. */
jks_status cli_read_store(const char *path, const jks_read_opts *o, jks_store **st,
                          jks_error *err);
/* jks_file_write_atomic, or for "-" the bytes on standard output. */
jks_status cli_write_output(const char *path, const uint8_t *buf, size_t len, unsigned mode,
                            int force, jks_error *err);
/* Build read options from parsed args (pointers into a). */
/* 1 when --type is absent or names a format; else prints the error, 0. */
int cli_type_ok(const cli_args *a);
/* path resolved (symlinks followed) into real, which must be a regular
 * file (its status in *sb): 0, else the error printed and EXIT_IO. */
int cli_existing_store(const char *path, char real[PATH_MAX], struct stat *sb);
void cli_read_opts(const cli_args *a, jks_read_opts *o, const char **kp_array);

/* "JKS", "JCEKS", "PKCS#12", "PEM": format names for messages. */
const char *cli_format_label(jks_format f);
/* The format a file name's extension names (.jks .jceks .p12 .pfx .pkcs12 .pem
 * .crt .cer .key), or JKS_FORMAT_UNKNOWN. */
jks_format cli_format_from_extension(const char *path);
/* The format of a keystore to create: --type, else the extension, else
 * PKCS#12 (keytool 17's default). */
jks_format cli_new_store_format(const char *type, const char *path);
/* The store at path read with a's passwords (*exists 1), or a new empty store
 * of format want when there is no file (*exists 0): EXIT_OK, else the error
 * printed and its exit code. */
int cli_open_or_new_store(const cli_args *a, const char *path, jks_format want, jks_store **st,
                          int *exists);
/* The --alias of a new entry as keytool stores it (lower-cased: Java does in
 * JKS, JCEKS and PKCS#12) into out: EXIT_OK, else "bad --alias" printed and
 * EXIT_USAGE. */
int cli_new_entry_alias(const char *in, char *out, size_t cap);
/* The system CA bundle (SSL_CERT_FILE, else OpenSSL's default file) as a
 * store, for completing CA replies; NULL (with a note on stderr) when it
 * does not read. Free with jks_store_free. */
jks_store *cli_system_cas(void);
/* --pkcs12-algorithms modern|legacy: 0 with *out set, or EXIT_USAGE after
 * one line on stderr. */
int cli_p12_algorithms(const cli_args *a, jks_p12_algorithms *out);

/* Flush f (stdout of a command); on a write error print one line and return
 * 1, so that output lost to a full disk or closed pipe is never a success. */
int cli_output_failed(FILE *f);

/* One error line: "jkstool: FILE: entry "alias" at byte N: msg". */
/* Where cli_error/cli_errorf write in this thread (NULL: stderr); the
 * workers of `check DIR` collect their messages to print them in order. */
extern _Thread_local FILE *cli_err_out;
void cli_error(const char *file, const jks_error *err);
void cli_errorf(const char *file, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* JSON helpers: write a quoted, escaped string (UTF-8 kept; C0 80 -> \u0000). */
void json_str(FILE *f, const char *s);
/* ISO-8601 UTC from ms or s since epoch ("null" when !has). */
void json_time_ms(FILE *f, int has, int64_t ms);
/* Seconds of a millisecond time, rounded down (no overflow at INT64_MIN). */
int64_t ms_to_secs(int64_t ms);
/* s with control characters (C0, DEL, C1) escaped as \xHH / \u00HH, into
 * buf (cut to cap); returns buf. For text output of names from a file. */
const char *text_safe(const char *s, char *buf, size_t cap);
void iso_time(char *out, size_t cap, int64_t secs);

/* Subcommands. */
int cmd_list(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_passwd(int argc, char **argv);
int cmd_rename(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_genkey(int argc, char **argv);
int cmd_genseckey(int argc, char **argv);
int cmd_csr(int argc, char **argv);
int cmd_gencert(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_keytool(int argc, char **argv);

#endif
