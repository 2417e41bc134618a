/* Store-level and per-entry rules of the validator: what the store holds for
 * its purpose, PKCS#12 specifics (FORMATS.md 4.2-4.4), passwords, aliases
 * (FORMATS.md 1.2), keys against their certificates, and cert replies. */
#include "check_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int has(const char *s, const char *sub) { return s && strstr(s, sub) != NULL; }

/* A PBE algorithm name (as the PKCS#12 reader reports it) that is weak. */
static int weak_pbe(const char *a)
{
    return has(a, "rc2") || has(a, "rc4") ||
           (has(a, "des") && !has(a, "3des") && !has(a, "des-ede") && !has(a, "tripledes"));
}

/* A PKCS#12 algorithm old JDK 8/11 builds and old Windows cannot open. */
static int new_pbe(const char *a) { return has(a, "pbes2") || has(a, "aes"); }

static void pkcs12_rules(chk_ctx *c)
{
    const jks_store *st = c->st;
    const char *key_alg = jks_store_key_encryption(st), *cert_alg = jks_store_cert_encryption(st);
    const char *mac_alg = jks_store_mac_algorithm(st);
    int has_mac = jks_store_mac_present(st);
    uint32_t mac_iterations = jks_store_mac_iterations(st);
    const char *ks = c->ks;
    if (weak_pbe(key_alg) || weak_pbe(cert_alg)) {
        chk_add(c, "pkcs12-algorithms-legacy", JKS_SEV_WARNING, "",
                chk_fmt(c, "keytool -importkeystore -srckeystore %s -srcstoretype PKCS12 "
                           "-destkeystore new.p12 -deststoretype PKCS12 (JDK 17 writes AES-256)",
                        ks),
                "weak legacy PKCS#12 encryption (keys: %s, certificates: %s): 40-bit RC2 "
                "is broken, and OpenSSL 3 cannot read it without -legacy",
                key_alg[0] ? key_alg : "none", cert_alg[0] ? cert_alg : "none");
    }
    /* openssl -nomaciter writes 1: each password guess then costs one hash */
    if (has_mac && mac_iterations > 0 && mac_iterations < 1000)
        chk_add(c, "pkcs12-mac-iterations-low", JKS_SEV_WARNING, "",
                chk_fmt(c, "jkstool convert %s new.p12 --storepass env:STOREPASS (10,000 "
                           "iterations, as keytool writes)", ks),
                "the PKCS#12 MAC key is derived with %u iteration%s (openssl -nomaciter): the "
                "store password can be guessed at the speed of a plain hash",
                (unsigned)mac_iterations, mac_iterations == 1 ? "" : "s");
    int pbmac1 = has(mac_alg, "pbmac1");
    int newmac = has_mac && mac_alg[0] && strcasecmp(mac_alg, "sha1") != 0;
    if (new_pbe(key_alg) || new_pbe(cert_alg) || newmac) {
        const char *fix = chk_fmt(c,
            "only if an old JDK must read it: keytool -J-Dkeystore.pkcs12.legacy -importkeystore "
            "-srckeystore %s -srcstoretype PKCS12 -destkeystore legacy.p12 -deststoretype PKCS12",
            ks);
        if (pbmac1)
            chk_add(c, "pkcs12-algorithms-new", JKS_SEV_WARNING, "", fix,
                    "PKCS#12 integrity uses PBMAC1 (%s): JDK releases before 24 and OpenSSL "
                    "before 3.4 cannot verify it", mac_alg);
        else
            chk_add(c, "pkcs12-algorithms-new", JKS_SEV_INFO, "", fix,
                    "modern PKCS#12 algorithms (keys: %s, certificates: %s, MAC: %s): JDK 8 "
                    "before 8u301, JDK 11 before 11.0.12 and Windows before 10 (1709) / "
                    "Server 2019 cannot open it",
                    key_alg[0] ? key_alg : "none", cert_alg[0] ? cert_alg : "none",
                    has_mac ? mac_alg : "none");
    }
    if (c->n_ignored) {
        int empty = c->n_trusted == 0 && c->n_private == 0;
        jks_severity sev = c->n_trusted == 0 && c->purpose == JKS_PURPOSE_TRUSTSTORE
                               ? JKS_SEV_ERROR : JKS_SEV_WARNING;
        chk_add(c, "pkcs12-no-java-trust", sev, "",
                chk_fmt(c, "openssl pkcs12 -in %s -nokeys -out certs.pem, then for each "
                           "certificate: keytool -importcert -trustcacerts -noprompt -alias "
                           "ca1 -file ca1.pem -keystore truststore.p12 (OpenSSL 3.2+: openssl "
                           "pkcs12 -export -nokeys -jdktrust anyExtendedKeyUsage -in certs.pem "
                           "-out truststore.p12)",
                        ks),
                "%zu certificate%s without Java's trusted-key-usage attribute (as OpenSSL "
                "writes them): Java ignores %s%s",
                c->n_ignored, c->n_ignored == 1 ? "" : "s", c->n_ignored == 1 ? "it" : "them",
                empty ? " and sees an empty keystore" : "");
    }
}

static void file_name_rule(chk_ctx *c)
{
    const char *f = c->opts->file_name, *base;
    if (!f)
        return;
    base = strrchr(f, '/');
    base = base ? base + 1 : f;
    for (const char *p = base; *p; p++)
        if (*p >= 'A' && *p <= 'Z') {
            char *low = strdup(f), *q;
            if (!low) {
                c->oom = 1;
                return;
            }
            for (q = low + (base - f); *q; q++)
                if (*q >= 'A' && *q <= 'Z')
                    *q = (char)(*q + 32);
            char *ql = chk_shell_quote(low);
            free(low);
            if (!ql) {
                c->oom = 1;
                return;
            }
            chk_add(c, "file-name-not-lowercase", JKS_SEV_INFO, "",
                    chk_fmt(c, "mv %s %s (and update the configuration that names it)", c->ks, ql),
                    "the file name \"%s\" has capitals: a path written in lower case (common in "
                    "configuration made on Windows or macOS) does not find it on Linux", base);
            free(ql);
            return;
        }
}

void chk_store_rules(chk_ctx *c)
{
    const jks_store *st = c->st;
    const char *ks = c->ks;

    if (c->format != JKS_FORMAT_PEM && jks_store_integrity(st) != JKS_INTEGRITY_VERIFIED) {
        if (!jks_store_storepass_given(st))
            chk_add(c, "integrity-not-checked", JKS_SEV_WARNING, "",
                    chk_fmt(c, "jkstool check %s --storepass env:STOREPASS", ks),
                    "no store password given: the file's integrity was not verified, so "
                    "tampering cannot be excluded, and keys were not opened (key-cert-mismatch "
                    "and key-password-differs not checked)");
        else
            chk_add(c, "integrity-not-checked", JKS_SEV_WARNING, "",
                    chk_fmt(c, "keytool -importkeystore -srckeystore %s -destkeystore "
                               "protected.p12 -deststoretype PKCS12 (keytool writes a MAC)", ks),
                    "the file has no integrity MAC: tampering cannot be detected");
    }
    if (c->certs_unread)
        chk_add(c, "certs-not-checked", JKS_SEV_WARNING, "",
                chk_fmt(c, "jkstool check %s --storepass env:STOREPASS", ks),
                "the PKCS#12 certificates are encrypted (%s) and cannot be read without the "
                "store password: validity, chains and trust were not checked",
                jks_store_cert_encryption(st));
    if (c->format == JKS_FORMAT_PKCS12)
        pkcs12_rules(c);
    file_name_rule(c);

    if (c->n_entries == 0) {
        if (!c->certs_unread)
            chk_add(c, "empty-keystore", JKS_SEV_ERROR, "",
                    c->purpose == JKS_PURPOSE_TRUSTSTORE
                        ? chk_fmt(c, "keytool -importcert -trustcacerts -alias ca -file ca.pem "
                                     "-keystore %s", ks)
                        : chk_fmt(c, "keytool -genkeypair -alias NAME -keyalg EC -groupname "
                                     "secp256r1 -dname CN=NAME -keystore %s", ks),
                    "the keystore holds no entry");
        return;
    }
    /* a key in an unencrypted key bag: pkcs12-key-not-encrypted says it */
    if (chk_is_identity(c->purpose) && c->n_private == 0 && c->n_plain_keys == 0) {
        char alt[600] = "";
        if (c->out->inferred)
            snprintf(alt, sizeof(alt), "; if it is a truststore: jkstool check %s --for truststore",
                     ks);
        chk_add(c, "no-private-key", JKS_SEV_ERROR, "",
                chk_fmt(c, "jkstool import %s --file key-and-chain.pem --alias NAME --storepass "
                           "env:STOREPASS (the private key with its certificate chain, PEM or "
                           "PKCS#12)%s", ks,
                        alt),
                "this keystore holds no private key (%zu trusted certificate%s)%s: as a %s "
                "keystore Java sends no certificate (\"Empty client certificate chain\", \"No "
                "available authentication scheme\")",
                c->n_trusted, c->n_trusted == 1 ? "" : "s",
                c->out->inferred ? ", and its name does not say truststore" : "",
                c->purpose == JKS_PURPOSE_CLIENT   ? "client"
                : c->purpose == JKS_PURPOSE_SERVER ? "server"
                                                   : "client or server");
    }
    if (c->purpose == JKS_PURPOSE_TRUSTSTORE && c->n_trusted == 0 && c->n_ignored == 0 &&
        !c->certs_unread)
        chk_add(c, "no-trusted-certs", JKS_SEV_ERROR, "",
                chk_fmt(c, "keytool -importcert -trustcacerts -alias ca -file ca.pem -keystore %s",
                        ks),
                "a truststore needs trustedCertEntries, and this one has none: every peer is "
                "rejected (\"PKIX path building failed\")");
    if (c->purpose == JKS_PURPOSE_CLIENT && c->n_private > 1) {
        char list[512] = "";
        size_t used = 0;
        for (size_t i = 0; i < c->n_entries && used < sizeof(list) - 1; i++) {
            const jks_entry *e = c->entries[i].e;
            if (jks_entry_kind_of(e) == JKS_ENTRY_PRIVATE_KEY && jks_entry_java_visible(e))
                used += (size_t)snprintf(list + used, sizeof(list) - used, "%s\"%s\"",
                                         used ? ", " : "", jks_entry_alias(e));
        }
        chk_add(c, "multiple-private-keys", JKS_SEV_WARNING, "",
                chk_fmt(c, "keytool -delete -alias OTHER -keystore %s (keep one key per client "
                           "keystore)", ks),
                "%zu PrivateKeyEntries (%s): Java's key manager picks one by key type and the "
                "server's accepted issuers, which may not be the one meant",
                c->n_private, list);
    }
    if (c->purpose == JKS_PURPOSE_TRUSTSTORE)
        for (size_t i = 0; i < c->n_entries; i++) {
            const jks_entry *e = c->entries[i].e;
            if (jks_entry_kind_of(e) != JKS_ENTRY_PRIVATE_KEY || !jks_entry_java_visible(e))
                continue;
            char *qa = chk_shell_quote(jks_entry_alias(e));
            if (!qa) {
                c->oom = 1;
                return;
            }
            chk_add(c, "wrong-entry-type", JKS_SEV_WARNING, jks_entry_alias(e),
                    chk_fmt(c, "keytool -exportcert -rfc -alias %s -keystore %s -file cert.pem "
                               "&& keytool -delete -alias %s -keystore %s && keytool -importcert "
                               "-trustcacerts -alias %s -file cert.pem -keystore %s",
                            qa, ks, qa, ks, qa, ks),
                    "a truststore should hold only trustedCertEntries: this PrivateKeyEntry "
                    "gives its private key to everyone who gets the truststore, and Java trusts "
                    "only its own certificate, not the CAs of its chain");
            free(qa);
        }
}

/* ---- per entry ---- */

static void alias_rule(chk_ctx *c, const jks_entry *e, size_t idx)
{
    if (c->format == JKS_FORMAT_PEM)
        return; /* PEM aliases are made up by the reader */
    char *low = jks_alias_java_lower(jks_entry_alias(e));
    if (!low) {
        c->oom = 1;
        return;
    }
    if (strcmp(low, jks_entry_alias(e))) {
        const char *clash = NULL;
        for (size_t i = 0; i < c->n_entries && !clash; i++)
            if (i != idx && !jks_alias_java_cmp(jks_entry_alias(c->entries[i].e), jks_entry_alias(e)))
                clash = jks_entry_alias(c->entries[i].e);
        int jks = c->format == JKS_FORMAT_JKS || c->format == JKS_FORMAT_JCEKS;
        jks_severity sev = jks || clash ? JKS_SEV_WARNING : JKS_SEV_INFO;
        char *ql = chk_shell_quote(low);
        if (!ql) {
            jks_free(low);
            c->oom = 1;
            return;
        }
        const char *fix =
            c->format == JKS_FORMAT_JKS
                ? chk_fmt(c, "keytool -importkeystore -srckeystore %s -srcstoretype CaseExactJKS "
                             "-destkeystore fixed.jks -deststoretype JKS (writes it as %s)",
                          c->ks, ql)
                : chk_fmt(c, "keytool -changealias -alias %s -destalias %s-new -keystore %s, "
                             "then back to %s (aliases are matched lower-cased)",
                          ql, ql, c->ks, ql);
        if (clash)
            chk_add(c, "alias-not-lowercase", sev, jks_entry_alias(e), fix,
                    "alias has capitals and equals \"%s\" once lower-cased: Java keeps only one "
                    "of the two", clash);
        else if (jks)
            chk_add(c, "alias-not-lowercase", sev, jks_entry_alias(e), fix,
                    "alias has capitals: keytool and Java look it up as \"%s\" and do not find "
                    "it (\"Alias <%s> does not exist\")", low, jks_entry_alias(e));
        else
            chk_add(c, "alias-not-lowercase", sev, jks_entry_alias(e), fix,
                    "alias has capitals: Java matches it lower-cased (\"%s\"), and a conversion "
                    "to JKS lower-cases it", low);
        free(ql);
    }
    jks_free(low);
}

static void password_rule(chk_ctx *c, const jks_entry *e, const char *qa)
{
    const jks_check_opts *o = c->opts;
    const char *how = NULL;
    if (jks_entry_key_state(e) == JKS_KEY_DECRYPTED && jks_entry_password_index(e) >= 0 && (size_t)jks_entry_password_index(e) < o->n_keypasses) {
        const char *kp = o->keypasses ? o->keypasses[jks_entry_password_index(e)] : NULL;
        if (!o->storepass || !kp || !strcmp(kp, o->storepass))
            return; /* opened by a keypass equal to the store password, or cannot tell */
        how = "the key opened with a key password that is not the store password";
    } else if (jks_entry_key_state(e) == JKS_KEY_WRONG_PASSWORD && o->storepass) {
        how = o->n_keypasses ? "the key opens with neither the store password nor any key password given"
                             : "the key does not open with the store password";
    } else {
        return;
    }
    int p12 = c->format == JKS_FORMAT_PKCS12;
    jks_severity sev = c->purpose == JKS_PURPOSE_TRUSTSTORE ? JKS_SEV_WARNING : JKS_SEV_ERROR;
    chk_add(c, "key-password-differs", sev, jks_entry_alias(e),
            p12 ? chk_fmt(c, "keytool -importkeystore -srckeystore %s -srcalias %s -srckeypass "
                             "KEYPASS -destkeystore new.p12 -deststoretype PKCS12 (one password "
                             "for store and keys)", c->ks, qa)
                : chk_fmt(c, "keytool -keypasswd -alias %s -keypass KEYPASS -new STOREPASS "
                             "-keystore %s", qa, c->ks),
            "%s: Java's TLS key manager opens every key with the store password "
            "(javax.net.ssl.keyStorePassword) and fails with \"Cannot recover key\"", how);
}

static void reply_rule(chk_ctx *c, const chk_entry *ce, const chk_cert *leaf, const char *qa)
{
    const char *spki = ce->have_key ? ce->ki.spki_sha256 : leaf->info.spki_sha256;
    if (!spki[0])
        return;
    for (size_t i = 0; i < c->n_entries; i++) {
        const chk_entry *t = &c->entries[i];
        if (jks_entry_kind_of(t->e) != JKS_ENTRY_TRUSTED_CERT || !jks_entry_java_visible(t->e) || !jks_entry_chain_len(t->e))
            continue;
        const chk_cert *tc = &c->certs[t->certs[0]];
        if (tc == leaf || !tc->x || strcmp(tc->info.spki_sha256, spki))
            continue;
        char *qt = chk_shell_quote(jks_entry_alias(t->e));
        if (!qt) {
            c->oom = 1;
            return;
        }
        chk_add(c, "cert-reply-not-installed", JKS_SEV_ERROR, jks_entry_alias(ce->e),
                chk_fmt(c, "keytool -exportcert -rfc -alias %s -keystore %s -file reply.pem && "
                           "keytool -delete -alias %s -keystore %s && keytool -importcert "
                           "-trustcacerts -alias %s -file reply.pem -keystore %s",
                        qt, c->ks, qt, c->ks, qa, c->ks),
                "trusted entry \"%s\" (%s, issued by %s) holds this key's certificate: the reply "
                "was imported under a new alias instead of onto the key's alias, so the key "
                "still presents %s", jks_entry_alias(t->e), tc->info.subject, tc->info.issuer,
                chk_self_signed(leaf) ? "its old self-signed certificate" : "its old certificate");
        free(qt);
    }
}

static void key_entry_rules(chk_ctx *c, const chk_entry *ce)
{
    const jks_entry *e = ce->e;
    char *qa = chk_shell_quote(jks_entry_alias(e));
    if (!qa) {
        c->oom = 1;
        return;
    }
    const chk_cert *leaf = jks_entry_chain_len(e) ? &c->certs[ce->certs[0]] : NULL;
    if (leaf && !leaf->x)
        leaf = NULL;
    if (!jks_entry_chain_len(e) && jks_entry_kind_of(e) == JKS_ENTRY_PRIVATE_KEY && !c->certs_unread)
        chk_add(c, "key-without-certificate",
                c->purpose == JKS_PURPOSE_TRUSTSTORE ? JKS_SEV_WARNING : JKS_SEV_ERROR, jks_entry_alias(e),
                chk_fmt(c, "openssl pkcs12 -export -inkey key.pem -in cert.pem -certfile "
                           "chain.pem -name %s -out new.p12 (the key with the certificate issued "
                           "for it)", qa),
                "the private key has no certificate (as openssl pkcs12 -export -nocerts writes "
                "it): Java's key manager offers only keys with a certificate chain, so TLS never "
                "uses it (\"No available authentication scheme\", empty client certificate)");
    if (ce->have_key && leaf && strcmp(ce->ki.spki_sha256, leaf->info.spki_sha256))
        chk_add(c, "key-cert-mismatch", JKS_SEV_ERROR, jks_entry_alias(e),
                chk_fmt(c, "keytool -importcert -alias %s -file cert-for-this-key.pem -keystore "
                           "%s (the certificate issued for this key), or rebuild the entry: "
                           "openssl pkcs12 -export -inkey key.pem -in cert.pem -certfile "
                           "chain.pem -name %s -out new.p12", qa, c->ks, qa),
                "the private key (%s %d) does not match the public key of its certificate "
                "\"%s\" (%s %d): TLS handshakes with it fail",
                ce->ki.algorithm, ce->ki.bits, leaf->info.subject, leaf->info.key_algorithm,
                leaf->info.key_bits);
    password_rule(c, e, qa);
    if (leaf) {
        if (chk_is_identity(c->purpose) && chk_self_signed(leaf))
            chk_add(c, "self-signed-identity", JKS_SEV_WARNING, jks_entry_alias(e),
                    chk_fmt(c, "keytool -certreq -alias %s -keystore %s -file req.csr, have a CA "
                               "sign it, then keytool -importcert -trustcacerts -alias %s -file "
                               "reply.pem -keystore %s", qa, c->ks, qa, c->ks),
                    "the %s certificate \"%s\" is self-signed: every peer must trust this very "
                    "certificate", c->purpose == JKS_PURPOSE_SERVER ? "server"
                                   : c->purpose == JKS_PURPOSE_CLIENT ? "client" : "key's",
                    leaf->info.subject);
        if (c->purpose == JKS_PURPOSE_CLIENT && !leaf->info.eku_client_auth)
            chk_add(c, "missing-client-auth-eku", JKS_SEV_ERROR, jks_entry_alias(e),
                    "reissue the certificate with extendedKeyUsage clientAuth: openssl x509 -req "
                    "... -extfile <(printf 'extendedKeyUsage=clientAuth') or keytool -gencert "
                    "... -ext EKU=clientAuth",
                    "the certificate \"%s\" has an extendedKeyUsage without clientAuth: servers "
                    "reject it as a client certificate", leaf->info.subject);
        if (c->purpose == JKS_PURPOSE_SERVER && !leaf->info.eku_server_auth)
            chk_add(c, "missing-server-auth-eku", JKS_SEV_ERROR, jks_entry_alias(e),
                    "reissue the certificate with extendedKeyUsage serverAuth: openssl x509 -req "
                    "... -extfile <(printf 'extendedKeyUsage=serverAuth') or keytool -gencert "
                    "... -ext EKU=serverAuth",
                    "the certificate \"%s\" has an extendedKeyUsage without serverAuth: clients "
                    "reject it as a server certificate", leaf->info.subject);
        reply_rule(c, ce, leaf, qa);
    }
    free(qa);
    chk_chain_rules(c, ce);
}

/* A key in an unencrypted PKCS#12 keyBag (openssl -keypbe NONE): Java reads
 * only shrouded key bags, so the entry does not exist for it. */
static void plain_key_bag_rule(chk_ctx *c, const jks_entry *e)
{
    chk_add(c, "pkcs12-key-not-encrypted", chk_is_identity(c->purpose) ? JKS_SEV_ERROR
                                                                        : JKS_SEV_WARNING,
            jks_entry_alias(e),
            chk_fmt(c, "jkstool convert %s fixed.p12 --storepass env:STOREPASS (keys written "
                       "encrypted), or openssl pkcs12 -export without -keypbe NONE", c->ks),
            "the private key is stored unencrypted (a PKCS#12 keyBag, as openssl -keypbe NONE "
            "writes it): Java reads only encrypted key bags and does not see this entry, and "
            "anyone who can read the file has the key");
}

void chk_entry_rules(chk_ctx *c)
{
    for (size_t i = 0; i < c->n_entries && !c->oom; i++) {
        const chk_entry *ce = &c->entries[i];
        const jks_entry *e = ce->e;
        alias_rule(c, e, i);
        if (!jks_entry_java_visible(e) && jks_entry_kind_of(e) == JKS_ENTRY_PRIVATE_KEY)
            plain_key_bag_rule(c, e);
        if (!jks_entry_java_visible(e))
            continue;
        if (jks_entry_kind_of(e) == JKS_ENTRY_PRIVATE_KEY) {
            key_entry_rules(c, ce);
        } else if (jks_entry_kind_of(e) == JKS_ENTRY_TRUSTED_CERT && jks_entry_chain_len(e)) {
            const chk_cert *tc = &c->certs[ce->certs[0]];
            if (tc->trusted_alias && tc->trusted_alias != jks_entry_alias(e)) {
                char *qa = chk_shell_quote(jks_entry_alias(e));
                if (!qa) {
                    c->oom = 1;
                    return;
                }
                chk_add(c, "duplicate-certificate", JKS_SEV_WARNING, jks_entry_alias(e),
                        c->format == JKS_FORMAT_PEM
                            ? chk_fmt(c, "delete the repeated certificate block from %s", c->ks)
                            : chk_fmt(c, "keytool -delete -alias %s -keystore %s", qa, c->ks),
                        "the same certificate (\"%s\") is also trusted as \"%s\"",
                        tc->info.subject, tc->trusted_alias);
                free(qa);
            }
        }
    }
}
