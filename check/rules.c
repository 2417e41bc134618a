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
    const char *key_alg = c->sf.key_enc, *cert_alg = c->sf.cert_enc;
    const char *mac_alg = c->sf.mac_alg;
    int has_mac = c->sf.mac_present;
    uint32_t mac_iterations = c->sf.mac_iterations;
    const char *ks = c->ks;
    if (weak_pbe(key_alg) || weak_pbe(cert_alg)) {
        chk_add(c, "pkcs12-algorithms-legacy", JKS_SEV_WARNING, "",
                chk_fmt(c, "jkstool convert %s %s --force --storepass env:STOREPASS  # rewritten "
                           "with AES-256 and PBKDF2, as JDK 17 writes it", ks, ks),
                "weak legacy PKCS#12 encryption (keys: %s, certificates: %s): 40-bit RC2 "
                "is broken, and OpenSSL 3 cannot read it without -legacy",
                key_alg[0] ? key_alg : "none", cert_alg[0] ? cert_alg : "none");
    }
    /* openssl -nomaciter writes 1: each password guess then costs one hash */
    if (has_mac && mac_iterations > 0 && mac_iterations < 1000)
        chk_add(c, "pkcs12-mac-iterations-low", JKS_SEV_WARNING, "",
                chk_fmt(c, "jkstool convert %s %s --force --storepass env:STOREPASS  # 10,000 "
                           "MAC iterations, as keytool writes", ks, ks),
                "the PKCS#12 MAC key is derived with %u iteration%s (openssl -nomaciter): the "
                "store password can be guessed at the speed of a plain hash",
                (unsigned)mac_iterations, mac_iterations == 1 ? "" : "s");
    int pbmac1 = has(mac_alg, "pbmac1");
    int newmac = has_mac && mac_alg[0] && strcasecmp(mac_alg, "sha1") != 0;
    if (new_pbe(key_alg) || new_pbe(cert_alg) || newmac) {
        const char *fix = chk_fmt(c,
            "jkstool convert %s %s --force --pkcs12-algorithms legacy --storepass env:STOREPASS"
            "  # only if an old JDK must read it (3DES/RC2-40, weak)", ks, ks);
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
                chk_fmt(c, "jkstool convert %s %s --force --storepass env:STOREPASS  # jkstool "
                           "writes the certificates as Java's trusted entries; or OpenSSL 3.2+: "
                           "openssl pkcs12 -export -nokeys -jdktrust anyExtendedKeyUsage", ks, ks),
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
                    chk_fmt(c, "mv %s %s  # and update the configuration that names it", c->ks, ql),
                    "the file name \"%s\" has capitals: a path written in lower case (common in "
                    "configuration made on Windows or macOS) does not find it on Linux", base);
            free(ql);
            return;
        }
}

void chk_store_rules(chk_ctx *c)
{
    const char *ks = c->ks;

    if (c->format != JKS_FORMAT_PEM && c->sf.integrity != JKS_INTEGRITY_VERIFIED) {
        if (c->format == JKS_FORMAT_PKCS12 && !c->sf.mac_present && !c->certs_unread)
            /* a password-less PKCS#12 (JDK 18+ without a password, openssl
             * -nomac): no password can verify what has no MAC */
            chk_add(c, "integrity-not-checked", JKS_SEV_WARNING, "",
                    chk_fmt(c, "jkstool convert %s %s --force --out-storepass env:STOREPASS  # "
                               "a store password adds the integrity MAC (and encrypts the keys "
                               "with it)", ks, ks),
                    "the PKCS#12 file has no integrity MAC (a password-less store): tampering "
                    "cannot be detected, whatever password is given");
        else if (!c->sf.storepass_given)
            chk_add(c, "integrity-not-checked", JKS_SEV_WARNING, "",
                    chk_fmt(c, "jkstool check %s --storepass env:STOREPASS", ks),
                    "no store password given: the file's integrity was not verified, so "
                    "tampering cannot be excluded%s",
                    c->n_keys_opened ? "" : ", and keys were not opened (key-cert-mismatch "
                                             "and key-password-differs not checked)");
        else
            chk_add(c, "integrity-not-checked", JKS_SEV_WARNING, "",
                    chk_fmt(c, "jkstool convert %s %s --force --storepass env:STOREPASS  # "
                               "rewritten with an integrity MAC", ks, ks),
                    "the file has no integrity MAC: tampering cannot be detected");
    }
    if (c->certs_unread)
        chk_add(c, "certs-not-checked", JKS_SEV_WARNING, "",
                chk_fmt(c, "jkstool check %s --storepass env:STOREPASS", ks),
                "the PKCS#12 certificates are encrypted (%s) and cannot be read without the "
                "store password: validity, chains and trust were not checked",
                c->sf.cert_enc);
    if (c->format == JKS_FORMAT_PKCS12)
        pkcs12_rules(c);
    file_name_rule(c);

    if (c->n_entries == 0) {
        if (!c->certs_unread)
            chk_add(c, "empty-keystore", JKS_SEV_ERROR, "",
                    c->purpose == JKS_PURPOSE_TRUSTSTORE
                        ? chk_fmt(c, "jkstool import %s --file ca.pem --alias ca --storepass "
                                     "env:STOREPASS  # the CA certificate to trust", ks)
                        : chk_fmt(c, "jkstool import %s --file key-and-chain.pem --alias NAME "
                                     "--storepass env:STOREPASS  # the private key with its "
                                     "certificate chain; or a new key: jkstool genkey %s --alias "
                                     "NAME --keyalg EC --dname CN=NAME", ks, ks),
                    "the keystore holds no entry");
        return;
    }
    /* a key in an unencrypted key bag: pkcs12-key-not-encrypted says it */
    if (chk_is_identity(c->purpose) && c->n_private == 0 && c->n_plain_keys == 0) {
        char alt[600] = "";
        if (c->out->inferred)
            snprintf(alt, sizeof(alt), "; if it is a truststore: jkstool check %s --for "
                     "truststore", ks);
        chk_add(c, "no-private-key", JKS_SEV_ERROR, "",
                chk_fmt(c, "jkstool import %s --file key-and-chain.pem --alias NAME --storepass "
                           "env:STOREPASS  # the private key with its certificate chain, PEM or "
                           "PKCS#12%s", ks, alt),
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
                chk_fmt(c, "jkstool import %s --file ca.pem --alias ca --storepass env:STOREPASS  "
                           "# the CA certificate to trust", ks),
                "a truststore needs trustedCertEntries, and this one has none: every peer is "
                "rejected (\"PKIX path building failed\")");
    if (c->purpose == JKS_PURPOSE_CLIENT && c->n_private > 1) {
        char list[512] = "", del[1024] = "";
        size_t used = 0, dused = 0;
        const char *keep = NULL;
        for (size_t i = 0; i < c->n_entries && used < sizeof(list) - 1; i++) {
            const chk_entry *e = &c->entries[i];
            if (ce_kind(e) != JKS_ENTRY_PRIVATE_KEY || !ce_visible(e))
                continue;
            used += (size_t)snprintf(list + used, sizeof(list) - used, "%s\"%s\"",
                                     used ? ", " : "", ce_alias(e));
            if (!keep) {
                keep = ce_alias(e);
                continue;
            }
            char *qa = chk_shell_quote(ce_alias(e));
            if (!qa) {
                c->oom = 1;
                return;
            }
            if (dused < sizeof(del) - 1)
                dused += (size_t)snprintf(del + dused, sizeof(del) - dused,
                                          "%sjkstool keytool -delete -alias %s -keystore %s "
                                          "-storepass:env STOREPASS", dused ? " && " : "", qa, ks);
            free(qa);
        }
        chk_add(c, "multiple-private-keys", JKS_SEV_WARNING, "",
                chk_fmt(c, "%s  # keeps \"%s\": one key per client keystore (delete the ones "
                           "not meant instead, if \"%s\" is not the one)", del, keep, keep),
                "%zu PrivateKeyEntries (%s): Java's key manager picks one by key type and the "
                "server's accepted issuers, which may not be the one meant",
                c->n_private, list);
    }
    if (c->purpose == JKS_PURPOSE_TRUSTSTORE)
        for (size_t i = 0; i < c->n_entries; i++) {
            const chk_entry *e = &c->entries[i];
            if (ce_kind(e) != JKS_ENTRY_PRIVATE_KEY || !ce_visible(e))
                continue;
            char *qa = chk_shell_quote(ce_alias(e));
            if (!qa) {
                c->oom = 1;
                return;
            }
            chk_add(c, "wrong-entry-type", JKS_SEV_WARNING, ce_alias(e),
                    chk_fmt(c, "jkstool export %s --alias %s --out cert.pem --storepass "
                               "env:STOREPASS && jkstool keytool -delete -alias %s -keystore %s "
                               "-storepass:env STOREPASS && jkstool import %s --file cert.pem "
                               "--alias %s --storepass env:STOREPASS  # keeps its certificate "
                               "as a trusted entry, drops the private key",
                            ks, qa, qa, ks, ks, qa),
                    "a truststore should hold only trustedCertEntries: this PrivateKeyEntry "
                    "gives its private key to everyone who gets the truststore, and Java trusts "
                    "only its own certificate, not the CAs of its chain");
            free(qa);
        }
}

/* ---- per entry ---- */

/* qsort has no context argument: the keys of the sort under way (per thread,
 * check DIR runs workers) */
static __thread const uint64_t *sort_keys;
static int by_key(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    if (sort_keys[a] != sort_keys[b])
        return sort_keys[a] < sort_keys[b] ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* Sort idx[0..n) by keys[idx], then by index (file order). */
static void sort_by_key(size_t *idx, size_t n, const uint64_t *keys)
{
    sort_keys = keys;
    qsort(idx, n, sizeof(size_t), by_key);
}

/* First entry of ix[0..n) (sorted by keys) whose key is k; n when none. */
static size_t lower_bound(const size_t *ix, size_t n, const uint64_t *keys, uint64_t k)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (keys[ix[mid]] < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The first other entry (file order) whose alias equals e's once both are
 * lower-cased as Java does: entries sorted by the hash of their lower-cased
 * alias, built on the first alias with capitals. */
static const char *alias_clash(chk_ctx *c, const chk_entry *e, const char *low, size_t idx)
{
    if (!c->low_ix) {
        c->low_hash = malloc((c->n_entries ? c->n_entries : 1) * sizeof(uint64_t));
        c->low_ix = malloc((c->n_entries ? c->n_entries : 1) * sizeof(size_t));
        if (!c->low_hash || !c->low_ix) {
            free(c->low_hash);
            free(c->low_ix);
            c->low_hash = NULL;
            c->low_ix = NULL;
            c->oom = 1;
            return NULL;
        }
        for (size_t i = 0; i < c->n_entries; i++) {
            char *l = jks_alias_java_lower(ce_alias(&c->entries[i]));
            if (!l) {
                c->oom = 1;
                return NULL;
            }
            c->low_hash[i] = chk_hash(l, strlen(l));
            c->low_ix[i] = i;
            jks_free(l);
        }
        sort_by_key(c->low_ix, c->n_entries, c->low_hash);
    }
    uint64_t k = chk_hash(low, strlen(low));
    for (size_t j = lower_bound(c->low_ix, c->n_entries, c->low_hash, k);
         j < c->n_entries && c->low_hash[c->low_ix[j]] == k; j++) {
        size_t i = c->low_ix[j];
        if (i != idx && !jks_alias_java_cmp(ce_alias(&c->entries[i]), ce_alias(e)))
            return ce_alias(&c->entries[i]);
    }
    return NULL;
}

static void alias_rule(chk_ctx *c, const chk_entry *e, size_t idx)
{
    if (c->format == JKS_FORMAT_PEM)
        return; /* PEM aliases are made up by the reader */
    char *low = jks_alias_java_lower(ce_alias(e));
    if (!low) {
        c->oom = 1;
        return;
    }
    if (strcmp(low, ce_alias(e))) {
        const char *clash = alias_clash(c, e, low, idx);
        int jks = c->format == JKS_FORMAT_JKS || c->format == JKS_FORMAT_JCEKS;
        jks_severity sev = jks || clash ? JKS_SEV_WARNING : JKS_SEV_INFO;
        char *ql = chk_shell_quote(low);
        if (!ql) {
            jks_free(low);
            c->oom = 1;
            return;
        }
        char *qo = chk_shell_quote(ce_alias(e));
        if (!qo) {
            free(ql);
            jks_free(low);
            c->oom = 1;
            return;
        }
        const char *fix =
            clash ? chk_fmt(c, "jkstool rename %s %s %s-2 --storepass env:STOREPASS  # a name "
                               "of its own, in lower case", c->ks, qo, ql)
                  : chk_fmt(c, "jkstool rename %s %s %s --storepass env:STOREPASS  # the alias "
                               "as Java looks it up", c->ks, qo, ql);
        free(qo);
        if (clash)
            chk_add(c, "alias-not-lowercase", sev, ce_alias(e), fix,
                    "alias has capitals and equals \"%s\" once lower-cased: Java keeps only one "
                    "of the two", clash);
        else if (jks)
            chk_add(c, "alias-not-lowercase", sev, ce_alias(e), fix,
                    "alias has capitals: keytool and Java look it up as \"%s\" and do not find "
                    "it (\"Alias <%s> does not exist\")", low, ce_alias(e));
        else
            chk_add(c, "alias-not-lowercase", sev, ce_alias(e), fix,
                    "alias has capitals: Java matches it lower-cased (\"%s\"), and a conversion "
                    "to JKS lower-cases it", low);
        free(ql);
    }
    jks_free(low);
}

static void password_rule(chk_ctx *c, const chk_entry *e, const char *qa)
{
    const jks_check_opts *o = c->opts;
    const char *how = NULL;
    if (ce_key_state(e) == JKS_KEY_DECRYPTED && ce_pw_index(e) >= 0 && (size_t)ce_pw_index(e) < o->n_keypasses) {
        const char *kp = o->keypasses ? o->keypasses[ce_pw_index(e)] : NULL;
        if (!o->storepass || !kp || !strcmp(kp, o->storepass))
            return; /* opened by a keypass equal to the store password, or cannot tell */
        how = "the key opened with a key password that is not the store password";
    } else if (ce_key_state(e) == JKS_KEY_WRONG_PASSWORD && o->storepass) {
        how = o->n_keypasses ? "the key opens with neither the store password nor any key password given"
                             : "the key does not open with the store password";
    } else {
        return;
    }
    (void)qa;
    /* one separate key password shared by every key is a working setup
     * (Tomcat keyPass, Jetty keyManagerPassword, Spring key-password); keys
     * of one store with different passwords no key manager can open */
    int differ = c->key_passwords_differ;
    jks_severity sev = differ && c->purpose != JKS_PURPOSE_TRUSTSTORE ? JKS_SEV_ERROR
                                                                       : JKS_SEV_WARNING;
    chk_add(c, "key-password-differs", sev, ce_alias(e),
            chk_fmt(c, "jkstool passwd %s --storepass env:STOREPASS --keypass env:KEYPASS "
                       "--new-storepass env:STOREPASS  # every key gets the store password",
                    c->ks),
            "%s: %s", how,
            differ ? "the keys of this store have different passwords, and Java's key managers "
                     "open every key with one password (\"Cannot recover key\")"
                   : "Java's default key manager (javax.net.ssl.keyStorePassword) opens keys "
                     "with the store password and fails with \"Cannot recover key\"; it works "
                     "where the key password is configured (Tomcat keyPass, Jetty "
                     "keyManagerPassword, Spring key-password)");
}

/* The trusted entries Java sees with a parsed certificate, sorted by the
 * hash of its key (then file order), built on the first key entry. */
static int reply_index(chk_ctx *c)
{
    if (c->reply_built)
        return c->reply_ix != NULL;
    c->reply_built = 1;
    c->low_hash_reply = malloc((c->n_entries ? c->n_entries : 1) * sizeof(uint64_t));
    c->reply_ix = malloc((c->n_entries ? c->n_entries : 1) * sizeof(size_t));
    if (!c->low_hash_reply || !c->reply_ix) {
        free(c->reply_ix);
        c->reply_ix = NULL;
        c->oom = 1;
        return 0;
    }
    for (size_t i = 0; i < c->n_entries; i++) {
        const chk_entry *t = &c->entries[i];
        if (ce_kind(t) != JKS_ENTRY_TRUSTED_CERT || !ce_visible(t) ||
            !ce_chain_len(t) || !c->certs[t->certs[0]].x)
            continue;
        const char *sp = c->certs[t->certs[0]].info.spki_sha256;
        c->low_hash_reply[i] = chk_hash(sp, strlen(sp));
        c->reply_ix[c->n_reply++] = i;
    }
    sort_by_key(c->reply_ix, c->n_reply, c->low_hash_reply);
    return 1;
}

static void reply_rule(chk_ctx *c, const chk_entry *ce, const chk_cert *leaf, const char *qa)
{
    const char *spki = ce->ki ? ce->ki->spki_sha256 : leaf->info.spki_sha256;
    if (!spki[0] || !reply_index(c))
        return;
    uint64_t k = chk_hash(spki, strlen(spki));
    for (size_t j = lower_bound(c->reply_ix, c->n_reply, c->low_hash_reply, k);
         j < c->n_reply && c->low_hash_reply[c->reply_ix[j]] == k; j++) {
        const chk_entry *t = &c->entries[c->reply_ix[j]];
        const chk_cert *tc = &c->certs[t->certs[0]];
        if (tc == leaf || strcmp(tc->info.spki_sha256, spki))
            continue;
        char *qt = chk_shell_quote(ce_alias(t));
        if (!qt) {
            c->oom = 1;
            return;
        }
        chk_add(c, "cert-reply-not-installed", JKS_SEV_ERROR, ce_alias(ce),
                chk_fmt(c, "jkstool export %s --alias %s --out reply.pem --storepass env:STOREPASS "
                           "&& jkstool keytool -delete -alias %s -keystore %s -storepass:env "
                           "STOREPASS && jkstool import %s --file reply.pem --alias %s "
                           "--storepass env:STOREPASS",
                        c->ks, qt, qt, c->ks, c->ks, qa),
                "trusted entry \"%s\" (%s, issued by %s) holds this key's certificate: the reply "
                "was imported under a new alias instead of onto the key's alias, so the key "
                "still presents %s", ce_alias(t), tc->info.subject, tc->info.issuer,
                chk_self_signed(leaf) ? "its old self-signed certificate" : "its old certificate");
        free(qt);
    }
}

static void key_entry_rules(chk_ctx *c, const chk_entry *ce)
{
    const chk_entry *e = ce;
    char *qa = chk_shell_quote(ce_alias(e));
    if (!qa) {
        c->oom = 1;
        return;
    }
    const chk_cert *leaf = ce_chain_len(e) ? &c->certs[ce->certs[0]] : NULL;
    if (leaf && !leaf->x)
        leaf = NULL;
    /* a PEM key no password opened: the reader pairs keys with certificates
     * by public key, so it has no chain (none is guessed); say why */
    int pem_locked = c->format == JKS_FORMAT_PEM && !ce_chain_len(e) &&
                     ce_key_state(e) != JKS_KEY_DECRYPTED;
    if (pem_locked)
        chk_add(c, "key-not-decrypted", JKS_SEV_ERROR, ce_alias(e),
                chk_fmt(c, "jkstool check %s --keypass env:KEYPASS  # the key's password: "
                           "then the key is paired with its certificate and checked", c->ks),
                "the private key is encrypted and %s: it could not be paired with its "
                "certificate, so neither it nor its chain was checked",
                ce_key_state(e) == JKS_KEY_WRONG_PASSWORD
                    ? "no password given opens it"
                    : ce_key_state(e) == JKS_KEY_UNSUPPORTED
                          ? "its encryption is not supported"
                          : "no password was given for it");
    if (!pem_locked && !ce_chain_len(e) && ce_kind(e) == JKS_ENTRY_PRIVATE_KEY &&
        !c->certs_unread)
        chk_add(c, "key-without-certificate",
                c->purpose == JKS_PURPOSE_TRUSTSTORE ? JKS_SEV_WARNING : JKS_SEV_ERROR, ce_alias(e),
                chk_fmt(c, "jkstool import %s --file cert.pem --alias %s --storepass "
                           "env:STOREPASS  # the certificate (and chain) issued for this key",
                        c->ks, qa),
                "the private key has no certificate (as openssl pkcs12 -export -nocerts writes "
                "it): Java's key manager offers only keys with a certificate chain, so TLS never "
                "uses it (\"No available authentication scheme\", empty client certificate)");
    if (ce->ki && leaf && strcmp(ce->ki->spki_sha256, leaf->info.spki_sha256))
        chk_add(c, "key-cert-mismatch", JKS_SEV_ERROR, ce_alias(e),
                chk_fmt(c, "jkstool import %s --file cert-for-this-key.pem --alias %s --force "
                           "--storepass env:STOREPASS  # the certificate (and chain) issued for "
                           "this key", c->ks, qa),
                "the private key (%s %d) does not match the public key of its certificate "
                "\"%s\" (%s %d): TLS handshakes with it fail",
                ce->ki->algorithm, ce->ki->bits, leaf->info.subject, leaf->info.key_algorithm,
                leaf->info.key_bits);
    password_rule(c, e, qa);
    if (leaf) {
        if (chk_is_identity(c->purpose) && chk_self_signed(leaf))
            chk_add(c, "self-signed-identity", JKS_SEV_WARNING, ce_alias(e),
                    chk_fmt(c, "jkstool csr %s --alias %s --out req.csr --storepass env:STOREPASS  "
                               "# have a CA sign req.csr into reply.pem, then: jkstool import %s "
                               "--file reply.pem --alias %s --storepass env:STOREPASS",
                            c->ks, qa, c->ks, qa),
                    "the %s certificate \"%s\" is self-signed: every peer must trust this very "
                    "certificate", c->purpose == JKS_PURPOSE_SERVER ? "server"
                                   : c->purpose == JKS_PURPOSE_CLIENT ? "client" : "key's",
                    leaf->info.subject);
        if (c->purpose == JKS_PURPOSE_CLIENT && !leaf->info.eku_client_auth)
            chk_add(c, "missing-client-auth-eku", JKS_SEV_ERROR, ce_alias(e),
                    chk_fmt(c, "jkstool csr %s --alias %s --ext eku=clientAuth --out req.csr "
                               "--storepass env:STOREPASS  # have the CA sign it with "
                               "extendedKeyUsage clientAuth into reply.pem, then: jkstool import "
                               "%s --file reply.pem --alias %s --storepass env:STOREPASS",
                            c->ks, qa, c->ks, qa),
                    "the certificate \"%s\" has an extendedKeyUsage without clientAuth: servers "
                    "reject it as a client certificate", leaf->info.subject);
        if (c->purpose == JKS_PURPOSE_SERVER && !leaf->info.eku_server_auth)
            chk_add(c, "missing-server-auth-eku", JKS_SEV_ERROR, ce_alias(e),
                    chk_fmt(c, "jkstool csr %s --alias %s --ext eku=serverAuth --out req.csr "
                               "--storepass env:STOREPASS  # have the CA sign it with "
                               "extendedKeyUsage serverAuth into reply.pem, then: jkstool import "
                               "%s --file reply.pem --alias %s --storepass env:STOREPASS",
                            c->ks, qa, c->ks, qa),
                    "the certificate \"%s\" has an extendedKeyUsage without serverAuth: clients "
                    "reject it as a server certificate", leaf->info.subject);
        /* TLS 1.2/1.3 client authentication signs CertificateVerify: a key
         * usage without digitalSignature makes the server reject it */
        if (c->purpose == JKS_PURPOSE_CLIENT && leaf->info.has_key_usage &&
            !(leaf->info.key_usage & 1u))
            chk_add(c, "missing-digital-signature", JKS_SEV_ERROR, ce_alias(e),
                    chk_fmt(c, "jkstool csr %s --alias %s --ext ku=digitalSignature --out "
                               "req.csr --storepass env:STOREPASS  # have the CA sign it with "
                               "keyUsage digitalSignature into reply.pem, then: jkstool import "
                               "%s --file reply.pem --alias %s --storepass env:STOREPASS",
                            c->ks, qa, c->ks, qa),
                    "the client certificate \"%s\" has a keyUsage without digitalSignature: "
                    "it cannot sign the handshake (CertificateVerify), and servers reject it "
                    "(\"KeyUsage does not allow digital signatures\")", leaf->info.subject);
        reply_rule(c, ce, leaf, qa);
    }
    /* X25519/X448 keys agree on secrets but cannot sign: no TLS peer can
     * authenticate with them */
    const char *alg = ce->ki ? ce->ki->algorithm : leaf ? leaf->info.key_algorithm : "";
    if (chk_is_identity(c->purpose) && (!strcmp(alg, "X25519") || !strcmp(alg, "X448") ||
                                        !strcmp(alg, "XDH")))
        chk_add(c, "key-cannot-sign", JKS_SEV_ERROR, ce_alias(e),
                chk_fmt(c, "jkstool keytool -delete -alias %s -keystore %s -storepass:env "
                           "STOREPASS && jkstool genkey %s --alias %s --keyalg EC --dname "
                           "CN=%s --storepass env:STOREPASS  # a signing key (EC, RSA or "
                           "Ed25519); then have it certified: jkstool csr %s --alias %s",
                        qa, c->ks, c->ks, qa, qa, c->ks, qa),
                "the key is %s, a key-agreement key that cannot sign: it cannot authenticate "
                "a TLS handshake as client or server", alg);
    free(qa);
    chk_chain_rules(c, ce);
}

/* A key in an unencrypted PKCS#12 keyBag (openssl -keypbe NONE): Java reads
 * only shrouded key bags, so the entry does not exist for it. */
static void plain_key_bag_rule(chk_ctx *c, const chk_entry *e)
{
    chk_add(c, "pkcs12-key-not-encrypted", chk_is_identity(c->purpose) ? JKS_SEV_ERROR
                                                                        : JKS_SEV_WARNING,
            ce_alias(e),
            chk_fmt(c, "jkstool convert %s %s --force --storepass env:STOREPASS  # keys written "
                       "encrypted", c->ks, c->ks),
            "the private key is stored unencrypted (a PKCS#12 keyBag, as openssl -keypbe NONE "
            "writes it): Java reads only encrypted key bags and does not see this entry, and "
            "anyone who can read the file has the key");
}

void chk_entry_rules(chk_ctx *c)
{
    for (size_t i = 0; i < c->n_entries && !c->oom; i++) {
        const chk_entry *ce = &c->entries[i];
        const chk_entry *e = ce;
        alias_rule(c, e, i);
        if (!ce_visible(e) && ce_kind(e) == JKS_ENTRY_PRIVATE_KEY)
            plain_key_bag_rule(c, e);
        if (!ce_visible(e))
            continue;
        if (ce_kind(e) == JKS_ENTRY_PRIVATE_KEY) {
            key_entry_rules(c, ce);
        } else if (ce_kind(e) == JKS_ENTRY_TRUSTED_CERT && ce_chain_len(e)) {
            const chk_cert *tc = &c->certs[ce->certs[0]];
            if (tc->trusted_alias && tc->trusted_alias != ce_alias(e)) {
                char *qa = chk_shell_quote(ce_alias(e));
                if (!qa) {
                    c->oom = 1;
                    return;
                }
                chk_add(c, "duplicate-certificate", JKS_SEV_WARNING, ce_alias(e),
                        c->format == JKS_FORMAT_PEM
                            ? chk_fmt(c, "delete the repeated certificate block from %s", c->ks)
                            : chk_fmt(c, "jkstool keytool -delete -alias %s -keystore %s "
                                         "-storepass:env STOREPASS", qa, c->ks),
                        "the same certificate (\"%s\") is also trusted as \"%s\"",
                        tc->info.subject, tc->trusted_alias);
                free(qa);
            }
        }
    }
}
