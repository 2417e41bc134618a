/* jkstool genkey: a key pair and a self-signed certificate added to a keystore
 * as a private-key entry, the way keytool -genkeypair does it (README
 * "genkey"). The store is created when missing and written atomically, 0600. */
#include "cli.h"
#include "jks/ops.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *help =
    "usage: jkstool genkey KEYSTORE --alias A --dname DN [options]\n"
    "Generate a key pair and a self-signed certificate and add them to KEYSTORE as a\n"
    "private-key entry, as keytool -genkeypair does. KEYSTORE is created when missing.\n"
    "  --alias A           entry name (required); lower-cased, as keytool stores it\n"
    "  --dname DN          subject (required), keytool syntax, most specific first:\n"
    "                      \"CN=client.example, OU=Dev, O=Acme, L=Town, ST=State, C=US\"\n"
    "  --keyalg ALG        RSA (default), RSASSA-PSS, EC, DSA, Ed25519 (also EdDSA), Ed448\n"
    "  --keysize N         RSA, RSASSA-PSS: bits (default 2048); EC: 256 (default), 384\n"
    "                      or 521; DSA: 2048 (default), 3072, 512..1024 in steps of 64\n"
    "  --sigalg NAME       SHA256withRSA, SHA384withRSA, SHA512withRSA, RSASSA-PSS,\n"
    "                      SHA256withECDSA, SHA384withECDSA, SHA512withECDSA,\n"
    "                      SHA256withDSA (SHA224/384/512), Ed25519, Ed448; the weak\n"
    "                      SHA1withRSA/ECDSA/DSA and MD5withRSA as keytool; default as\n"
    "                      keytool 17: SHA256withRSA (SHA384 above 3072 bits), ECDSA with\n"
    "                      SHA-256/384/512 for P-256/384/521, SHA256withDSA, RSASSA-PSS\n"
    "                      (SHA-256, above 3072 bits SHA-384) for an RSASSA-PSS key\n"
    "  --validity DAYS     certificate validity (default 90)\n"
    "  --ext EXT           extension, repeatable, keytool syntax NAME[:critical]=VALUE:\n"
    "                        san=dns:a.example,ip:10.0.0.1,email:x@a.example,uri:https://a/\n"
    "                        eku=clientAuth,serverAuth (codeSigning, emailProtection, ...)\n"
    "                        ku=digitalSignature,keyEncipherment (keyCertSign, cRLSign, ...)\n"
    "                        bc=ca:true,pathlen:0   (bc alone: ca:true)\n"
    "                        aia=ocsp:uri:http://ocsp.example/,caIssuers:uri:http://ca/c.crt\n"
    "                        sia=caRepository:uri:http://repo/  (timeStamping; not critical)\n"
    "                        1.2.3.4=0403010203   (OID=HEX: the extension's value bytes)\n"
    "                      a SubjectKeyIdentifier is always added, as keytool does\n"
    "  --type T            format of a new KEYSTORE: pkcs12 (default, as keytool 17), jks,\n"
    "                      jceks, pem; default from the extension (.p12 .pfx .jks .jceks .pem);\n"
    "                      an existing KEYSTORE keeps its format\n"
    "  --storepass SPEC    store password: pass:TEXT, env:VAR or file:PATH (prompted on a\n"
    "                      terminal); it also protects the new key\n"
    "  --keypass SPEC      JKS/JCEKS: a different password for the new key (Java's\n"
    "                      KeyManagerFactory wants it equal to the store password);\n"
    "                      PKCS#12 ignores it, as keytool does\n"
    "  --json              print a JSON summary on stdout\n"
    "exit: 0 ok; 2 usage: bad option, dname, ext, sigalg or key size, alias exists, no\n"
    "store password; 3 wrong store password, or an existing PKCS#12 key that does not\n"
    "open with it; 4 malformed KEYSTORE; 5 I/O\n";

static void summary(const cli_args *a, const char *path, const char *alias, jks_format f,
                    const char *sigalg, const jks_cert_info *ci, int created)
{
    char nb[32], na[32];
    iso_time(nb, sizeof(nb), ci->not_before);
    iso_time(na, sizeof(na), ci->not_after);
    if (!a->json) {
        char bits[32] = "";
        if (strcmp(ci->key_algorithm, "Ed25519") && strcmp(ci->key_algorithm, "Ed448"))
            snprintf(bits, sizeof(bits), "%d-bit ", ci->key_bits);
        fprintf(stderr,
                "jkstool: %s: generated a %s%s key pair and a self-signed certificate (%s) "
                "valid until %s for %s; added as \"%s\" (%s%s)\n",
                path, bits, ci->key_algorithm, sigalg, na, ci->subject, alias, cli_format_label(f),
                created ? ", new file" : "");
        return;
    }
    printf("{\"keystore\":");
    json_str(stdout, path);
    printf(",\"format\":\"%s\",\"created\":%s,\"alias\":", jks_format_name(f),
           created ? "true" : "false");
    json_str(stdout, alias);
    printf(",\"key_algorithm\":");
    json_str(stdout, ci->key_algorithm);
    printf(",\"key_bits\":%d,\"sigalg\":", ci->key_bits);
    json_str(stdout, sigalg);
    printf(",\"subject\":");
    json_str(stdout, ci->subject);
    printf(",\"serial\":\"%s\",\"not_before\":\"%s\",\"not_after\":\"%s\",\"sha256\":\"%s\"}\n",
           ci->serial, nb, na, ci->sha256);
}

/* The store to add to: read when the file exists, else new. */
static int run(cli_args *a)
{
    const char *path = a->pos[0];
    jks_gen_params gp;
    jks_error err;
    int rc;

    if (a->n_aliases != 1 || !a->dname) {
        cli_errorf(NULL, "genkey needs --alias and --dname (see --help)");
        return EXIT_USAGE;
    }
    if (a->n_keypass > 1) {
        cli_errorf(NULL, "genkey takes one --keypass");
        return EXIT_USAGE;
    }
    jks_format want = cli_new_store_format(a->type, path);
    if (want == JKS_FORMAT_UNKNOWN) {
        cli_errorf(NULL, "unknown --type %s (pkcs12, jks, jceks, pem)", a->type);
        return EXIT_USAGE;
    }
    memset(&gp, 0, sizeof(gp));
    gp.dname = a->dname;
    gp.sigalg = a->sigalg;
    gp.exts = a->ext;
    gp.n_exts = (size_t)a->n_ext;
    gp.validity_days = (uint32_t)a->validity;
    jks_error_clear(&err);
    if (jks_gen_params_check(&gp, a->keyalg ? a->keyalg : "RSA", &err) != JKS_OK) {
        cli_error(NULL, &err);
        return EXIT_USAGE;
    }

    /* the alias as keytool stores it (Java lower-cases in JKS, JCEKS and PKCS#12) */
    char alias[512];
    if ((rc = cli_new_entry_alias(a->aliases[0], alias, sizeof(alias))))
        return rc;

    if ((rc = cli_resolve_passwords(a, !a->json, path)))
        return rc;
    jks_store *st = NULL;
    int exists = 0;
    if ((rc = cli_open_or_new_store(a, path, want, &st, &exists)))
        return rc;
    jks_format f = jks_store_format(st);
    const jks_entry *old = jks_store_find(st, alias);
    if (old) {
        cli_errorf(path, "alias \"%s\" already exists", jks_entry_alias(old));
        jks_store_free(st);
        return EXIT_USAGE;
    }
    if (f != JKS_FORMAT_PEM && !a->storepass) {
        cli_errorf(path, "writing %s needs a store password: give --storepass", cli_format_label(f));
        jks_store_free(st);
        return EXIT_USAGE;
    }
    const char *keypass = a->storepass;
    if (a->n_keypass && a->keypass[0] && a->storepass && strcmp(a->keypass[0], a->storepass)) {
        if (f == JKS_FORMAT_JKS || f == JKS_FORMAT_JCEKS) {
            keypass = a->keypass[0];
            fprintf(stderr, "jkstool: warning: the key password differs from the store password; "
                            "Java's KeyManagerFactory (and so most TLS servers and clients) "
                            "expects them to be equal\n");
        } else {
            fprintf(stderr, "jkstool: warning: %s keys use the store password; ignoring --keypass "
                            "(as keytool does)\n", cli_format_label(f));
        }
    }
    if (f == JKS_FORMAT_PKCS12) /* rewriting encrypts every key with the store password */
        for (size_t i = 0; i < jks_store_count(st); i++) {
            const jks_entry *e = jks_store_entry(st, i);
            int pi = jks_entry_password_index(e);
            if (pi >= 0 && pi < a->n_keypass && strcmp(a->keypass[pi], a->storepass))
                fprintf(stderr, "jkstool: %s: warning: entry \"%s\" is re-encrypted with the "
                                "store password\n", path, jks_entry_alias(e));
        }

    /* key, certificate, entry */
    uint8_t *out = NULL;
    size_t out_len = 0;
    char sigalg[64];
    jks_cert_info ci;
    jks_status s = jks_store_generate_key(st, alias, a->keyalg, (unsigned)a->keysize, &gp,
                                          (int64_t)time(NULL) * 1000, &err);
    const jks_entry *ne = s == JKS_OK ? jks_store_entry(st, jks_store_count(st) - 1) : NULL;
    jks_bytes key = ne ? jks_entry_pkcs8(ne) : (jks_bytes){NULL, 0};
    jks_bytes cert = ne ? jks_entry_cert(ne, 0) : (jks_bytes){NULL, 0};
    if (s == JKS_OK && !a->sigalg)
        s = jks_sigalg_default(key.data, key.len, sigalg, sizeof(sigalg), &err);
    else
        snprintf(sigalg, sizeof(sigalg), "%s", a->sigalg ? a->sigalg : "");
    if (s == JKS_OK) {
        jks_write_opts wo;
        memset(&wo, 0, sizeof(wo));
        wo.format = f;
        wo.storepass = a->storepass;
        wo.keypass = keypass;
        /* other keys of a JKS/JCEKS/PEM store keep their bytes and passwords */
        wo.keep_encryption = f != JKS_FORMAT_PKCS12;
        wo.pem_encrypt_keys = f == JKS_FORMAT_PEM && a->storepass;
        s = jks_store_write(st, &wo, &out, &out_len, &err);
    }
    if (s == JKS_OK)
        s = jks_file_write_atomic(path, out, out_len, 0600, exists, &err);
    if (s == JKS_OK && jks_cert_info_get(cert.data, cert.len, &ci) != JKS_OK)
        s = JKS_ERR_IO;
    if (s == JKS_OK)
        summary(a, path, alias, f, sigalg, &ci, !exists);
    else if (err.msg[0])
        cli_error(path, &err);
    else
        cli_errorf(path, "cannot decode the new certificate");
    jks_buffer_free(out, out_len);
    jks_store_free(st);
    return (int)s;
}

int cmd_genkey(int argc, char **argv)
{
    cli_args a;
    int rc = cli_start(argc, argv,
                       OPT_STOREPASS | OPT_KEYPASS | OPT_ALIAS | OPT_TYPE | OPT_GEN | OPT_JSON |
                           OPT_LIMITS,
                       help, 1, 1, &a);
    if (rc >= 0)
        return rc;
    rc = run(&a);
    if (cli_output_failed(stdout))
        rc = rc ? rc : EXIT_IO;
    cli_args_free(&a);
    return rc;
}
