/* keytool mode: -genseckey and -importpass as JDK 17's keytool runs them
 * (sun.security.tools.keytool.Main.doGenSecretKey): the store password
 * prompt, the password to be stored, the key password prompt, in keytool's
 * order and words; keytool's messages and refusals (JKS: "Cannot store
 * non-PrivateKeys"). The key is the library's (jks_store_generate_secret_key,
 * jks_store_add_password); passwords are wiped. */
#include "cli.h"
#include "keytool.h"
#include "jks/ops.h"
#include "jks/source.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void wipe_str(char **p)
{
    if (*p) {
        OPENSSL_cleanse(*p, strlen(*p));
        free(*p);
        *p = NULL;
    }
}

/* keytool's Password.readPassword: an empty line is no answer (NULL). */
static char *ask_pw(const char *q)
{
    char *s = kt_ask(q);
    if (s && !*s)
        wipe_str(&s);
    return s;
}

/* The store password keytool asks for when -storepass is absent: three
 * tries, at least 6 characters, asked twice for a new store. 0, or 1 after
 * keytool's message. */
static int ask_storepass(char **pw, int new_store)
{
    for (int n = 0; n < 3 && !*pw; n++) {
        *pw = ask_pw("Enter keystore password:  ");
        if (!*pw || strlen(*pw) < 6) {
            fputs("Keystore password is too short - must be at least 6 characters\n", stderr);
            wipe_str(pw);
        }
        if (*pw && new_store) {
            char *again = ask_pw("Re-enter new password: ");
            if (!again || strcmp(again, *pw)) {
                fputs("They don't match. Try again\n", stderr);
                wipe_str(pw);
            }
            wipe_str(&again);
        }
    }
    if (!*pw)
        return kt_fail("java.lang.Exception", "Too many failures - try later");
    return 0;
}

/* keytool's promptForKeyPass for a new entry of a JKS/JCEKS store: RETURN
 * keeps the store password; else at least 6 characters, asked twice. */
static int ask_keypass(const char *alias, const char *storepass, char **out)
{
    char q[1200];
    snprintf(q, sizeof(q), "Enter key password for <%s>\n\t(RETURN if same as keystore password):  ",
             alias);
    for (int n = 0; n < 3; n++) {
        char *pw = ask_pw(q);
        if (!pw) {
            *out = strdup(storepass);
            return *out ? 0 : kt_fail("java.lang.OutOfMemoryError", "out of memory");
        }
        if (strlen(pw) >= 6) {
            char *again = ask_pw("Re-enter new password: ");
            int same = again && !strcmp(again, pw);
            wipe_str(&again);
            if (same) {
                *out = pw;
                return 0;
            }
            fputs("They don't match. Try again\n", stderr);
        } else {
            fputs("Key password is too short - must be at least 6 characters\n", stderr);
        }
        wipe_str(&pw);
    }
    return kt_fail("java.lang.Exception", "Too many failures - key not added to keystore");
}

/* keytool's promptForCredential: on a console the password is asked twice;
 * from a pipe or file one line is read without a prompt. */
static int ask_credential(char **out)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        *out = ask_pw("");
        return 0;
    }
    for (int n = 0; n < 3; n++) {
        char *pw = ask_pw("Enter the password to be stored:  ");
        char *again = ask_pw("Re-enter password: ");
        int same = (!pw && !again) || (pw && again && !strcmp(pw, again));
        wipe_str(&again);
        if (same) {
            *out = pw;
            return 0;
        }
        wipe_str(&pw);
        fputs("They don't match. Try again\n", stderr);
    }
    return kt_fail("java.lang.Exception", "Too many failures - key not added to keystore");
}

/* The PBE algorithms JDK 17's PKCS12 keystore encrypts an entry with
 * (-importpass -keyalg NAME names the entry's protection). */
static int p12_pbe_known(const char *a)
{
    static const char *const names[] = {
        "PBEWithMD5AndDES", "PBEWithSHA1AndDESede", "PBEWithSHA1AndRC2_40",
        "PBEWithSHA1AndRC2_128", "PBEWithSHA1AndRC4_40", "PBEWithSHA1AndRC4_128",
        "PBEWithHmacSHA1AndAES_128", "PBEWithHmacSHA224AndAES_128", "PBEWithHmacSHA256AndAES_128",
        "PBEWithHmacSHA384AndAES_128", "PBEWithHmacSHA512AndAES_128", "PBEWithHmacSHA1AndAES_256",
        "PBEWithHmacSHA224AndAES_256", "PBEWithHmacSHA256AndAES_256", "PBEWithHmacSHA384AndAES_256",
        "PBEWithHmacSHA512AndAES_256",
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcasecmp(a, names[i]))
            return 1;
    return 0;
}

int kt_p12_certs_encrypted(const char *path)
{
    jks_read_opts ro;
    jks_store *st = NULL;
    jks_error err;
    memset(&ro, 0, sizeof(ro));
    ro.no_decrypt = 1;
    jks_error_clear(&err);
    if (jks_store_read_file(path, &ro, &st, &err) != JKS_OK)
        return 1;
    const char *c = jks_store_cert_encryption(st);
    int r = c && *c && strcmp(c, "none");
    jks_store_free(st);
    return r;
}

/* Java's MessageFormat of an int: "1,024". */
static void java_int(char *out, size_t cap, unsigned long v)
{
    if (v >= 1000000)
        snprintf(out, cap, "%lu,%03lu,%03lu", v / 1000000, v / 1000 % 1000, v % 1000);
    else if (v >= 1000)
        snprintf(out, cap, "%lu,%03lu", v / 1000, v % 1000);
    else
        snprintf(out, cap, "%lu", v);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Write st over (or as) path with the new entry encrypted under keypass;
 * other keys keep their protection (JKS/JCEKS) or take the store password
 * (PKCS#12, as Java writes it). */
static int store_write(jks_store *st, const char *path, const char *storepass, const char *keypass,
                       int exists, jks_p12_algorithms algs)
{
    jks_write_opts wo;
    jks_error err;
    uint8_t *buf = NULL;
    size_t len = 0;
    jks_format f = jks_store_format(st);
    memset(&wo, 0, sizeof(wo));
    wo.format = f;
    wo.storepass = storepass;
    wo.keypass = keypass;
    wo.keep_encryption = f != JKS_FORMAT_PKCS12;
    wo.p12_algorithms = kt_p12_algorithms(algs);
    jks_error_clear(&err);
    jks_status s = jks_store_write(st, &wo, &buf, &len, &err);
    if (s == JKS_OK) {
        kt_storing(path);
        s = jks_file_write_atomic(path, buf, len, 0600, exists, &err);
    }
    jks_buffer_free(buf, len);
    if (s != JKS_OK) {
        char line[512];
        return kt_fail("java.io.IOException", "%s", jks_error_format(&err, line, sizeof(line)));
    }
    return 0;
}

/* keytool -genseckey (importpass 0) and -importpass (1). */
int kt_seckey(const kt_seckey_args *a)
{
    struct stat sb;
    jks_format f = JKS_FORMAT_UNKNOWN;
    jks_store *st = NULL;
    jks_error err;
    char *secret = NULL, *keypass = NULL;
    int rc = 1;
    long bits = -1;
    jks_error_clear(&err);
    /* -keysize is a number when keytool parses its options */
    if (a->keysize) {
        char *end;
        errno = 0;
        bits = strtol(a->keysize, &end, 10);
        if (errno || !*a->keysize || *end || bits < -2147483648L || bits > 2147483647L)
            return kt_fail("java.lang.NumberFormatException", "For input string: \"%s\"",
                            a->keysize);
    }
    int exists = stat(a->keystore, &sb) == 0;
    if (exists && sb.st_size == 0)
        return kt_fail("java.lang.Exception", "Keystore file exists, but is empty: %s",
                        a->keystore);
    if (exists) {
        /* the format first (keytool loads once without a password) */
        if (kt_load(a->keystore, a->storetype, NULL, 0, &st))
            return 1;
        f = jks_store_format(st);
        jks_store_free(st);
        st = NULL;
    } else if (kt_store_type(a->storetype ? a->storetype : "pkcs12", &f)) {
        return 1;
    }
    if (!*a->storepass) {
        if (ask_storepass(a->storepass, !exists))
            return 1;
    } else if (!exists && strlen(*a->storepass) < 6) {
        return kt_fail("java.lang.Exception", "Keystore password must be at least 6 characters");
    }
    if (exists ? kt_load(a->keystore, a->storetype, *a->storepass, f == JKS_FORMAT_PKCS12, &st)
               : !(st = jks_store_new(f)))
        return exists ? 1 : kt_fail("java.lang.OutOfMemoryError", "out of memory");
    if (f == JKS_FORMAT_PKCS12 && *a->keypass && strcmp(*a->keypass, *a->storepass)) {
        fputs("Warning:  Different store and key passwords not supported for PKCS12 KeyStores. "
              "Ignoring user-specified -keypass value.\n",
              stderr);
        wipe_str(a->keypass);
    }
    const char *keyalg = a->keyalg ? a->keyalg : a->importpass ? "PBE" : NULL;
    if (!keyalg) {
        rc = kt_fail("java.lang.Exception", "The -keyalg option must be specified.");
        goto out;
    }
    const jks_entry *old = jks_store_find_java(st, a->alias);
    if (old && jks_entry_java_visible(old)) {
        rc = kt_fail("java.lang.Exception", "Secret Key not generated, alias <%s> already exists",
                      a->alias);
        goto out;
    }
    char alias[512];
    snprintf(alias, sizeof(alias), "%s", a->alias);
    if (jks_format_java_lowercases(f))
        for (char *p = alias; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
    int pbe = !strncasecmp(keyalg, "PBE", 3), named_pbe = pbe && strcasecmp(keyalg, "PBE");
    jks_status s;
    int p12_ok = 1;
    jks_secret_spec sp; /* keyalg points into it after the generation below */
    memset(&sp, 0, sizeof(sp));
    if (pbe) {
        if (ask_credential(&secret))
            goto out;
        for (const char *p = secret; p && *p; p++)
            if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e) {
                rc = kt_fail("java.security.spec.InvalidKeySpecException", "Password is not ASCII");
                goto out;
            }
        if (!secret) {
            /* keytool stores an empty key that Java cannot read back
             * ("Empty key"); this mode refuses it */
            rc = kt_fail("java.lang.Exception",
                          "an empty password cannot be stored (Java cannot read it back)");
            goto out;
        }
        s = jks_store_add_password(st, alias, secret, now_ms(), &err);
        if (s == JKS_OK && kt_is_verbose())
            fprintf(stderr, "Generated %s secret key\n", named_pbe ? JKS_PASSWORD_KEY_ALG : "PBE");
    } else {
        /* -1 is keytool's "no -keysize"; other sizes below 1 reach Java's
         * KeyGenerator, which refuses them as it refuses 1 */
        unsigned ask = bits == -1 ? 0 : bits < 1 ? 1 : (unsigned)bits;
        s = jks_secret_key_spec(keyalg, ask, &sp, &err);
        if (s == JKS_OK)
            s = jks_store_generate_secret_key(st, alias, keyalg, sp.bits, now_ms(), &err);
        if (s == JKS_ERR_FORMAT) {
            rc = kt_fail("java.security.NoSuchAlgorithmException", "%s", err.msg);
            goto out;
        }
        if (s == JKS_ERR_USAGE && strstr(err.msg, "Please provide")) {
            rc = kt_fail("java.lang.Exception", "%s", err.msg);
            goto out;
        }
        if (s == JKS_ERR_USAGE) {
            rc = kt_fail("java.security.InvalidParameterException", "%s", err.msg);
            goto out;
        }
        if (s == JKS_OK) {
            char b[32];
            java_int(b, sizeof(b), sp.bits);
            fprintf(stderr, "Generated %s-bit %s secret key\n", b, sp.algorithm);
        }
        p12_ok = sp.pkcs12;
        keyalg = sp.algorithm;
    }
    if (s != JKS_OK) {
        rc = kt_fail(s == JKS_ERR_USAGE ? "java.security.spec.InvalidKeySpecException"
                                         : "java.lang.Exception",
                      "%s", err.msg);
        goto out;
    }
    if (!*a->keypass && f != JKS_FORMAT_PKCS12 && ask_keypass(alias, *a->storepass, &keypass))
        goto out;
    /* keytool's KeyStore.setEntry / setKeyEntry refusals */
    if (named_pbe && f != JKS_FORMAT_PKCS12)
        rc = kt_fail("java.security.KeyStoreException", "unsupported password protection algorithm");
    else if (f == JKS_FORMAT_JKS)
        rc = kt_fail("java.security.KeyStoreException", "Cannot store non-PrivateKeys");
    else if (f == JKS_FORMAT_PKCS12 && !p12_ok)
        rc = kt_fail("java.security.KeyStoreException",
                      "Key protection algorithm not found: java.security.NoSuchAlgorithmException: "
                      "unrecognized algorithm name: %s",
                      keyalg);
    else if (f == JKS_FORMAT_PKCS12 && named_pbe && !p12_pbe_known(keyalg))
        rc = kt_fail("java.security.KeyStoreException",
                      "Key protection algorithm not found: java.security.UnrecoverableKeyException: "
                      "Encrypt Private Key failed: getPBEAlgorithmParameters failed: %s "
                      "AlgorithmParameters not available",
                      keyalg);
    else
        rc = store_write(st, a->keystore, *a->storepass, keypass ? keypass : *a->keypass ? *a->keypass : *a->storepass,
                         exists, exists ? jks_store_p12_algorithms(st) : JKS_P12_MODERN);
    if (!rc)
        kt_end_warnings(f, a->keystore);
out:
    wipe_str(&secret);
    wipe_str(&keypass);
    jks_store_free(st);
    return rc;
}
