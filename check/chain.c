/* Chain and certificate rules: issuing order, completeness, CA certificates in
 * the wrong kind of entry, and per-certificate validity, key size and
 * signature hash (each distinct certificate once, under the first alias it
 * appears in). */
#include "check_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>


static void day(char *out, size_t cap, int64_t secs)
{
    time_t t = (time_t)secs;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(out, cap, "%Y-%m-%d %H:%M:%SZ", &tm))
        snprintf(out, cap, "(invalid date)");
}

/* A name's key for the subject index: ASCII lower-cased, runs of spaces
 * collapsed, so that names OpenSSL compares equal (canonical form) land in
 * one bucket; chk_issued decides among the candidates. */
static uint64_t name_key(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    int space = 0;
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == ' ' || ch == '\t') {
            space = 1;
            continue;
        }
        if (space)
            h = (h ^ ' ') * 1099511628211ULL;
        space = 0;
        if (ch >= 'A' && ch <= 'Z')
            ch = (unsigned char)(ch + 32);
        h = (h ^ ch) * 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

/* Index the parsed certificates by subject (chained buckets), once. */
static int subject_index(chk_ctx *c)
{
    if (c->subj_tab)
        return 1;
    size_t cap = 16;
    while (cap < c->n_certs * 2)
        cap *= 2;
    c->subj_tab = calloc(cap, sizeof(size_t));
    c->subj_next = calloc(c->n_certs ? c->n_certs : 1, sizeof(size_t));
    if (!c->subj_tab || !c->subj_next) {
        c->oom = 1;
        return 0;
    }
    c->subj_cap = cap;
    for (size_t i = c->n_certs; i-- > 0;) {
        if (!c->certs[i].x)
            continue;
        size_t h = (size_t)name_key(c->certs[i].info.subject) & (cap - 1);
        c->subj_next[i] = c->subj_tab[h];
        c->subj_tab[h] = i + 1;
    }
    return 1;
}

/* 1 when some certificate of the store other than last issued it. */
static int issuer_in_store(chk_ctx *c, const chk_cert *last)
{
    if (!subject_index(c))
        return 1;
    size_t h = (size_t)name_key(last->info.issuer) & (c->subj_cap - 1);
    for (size_t j = c->subj_tab[h]; j; j = c->subj_next[j - 1])
        if (&c->certs[j - 1] != last && chk_issued(last, &c->certs[j - 1]))
            return 1;
    return 0;
}

void chk_chain_rules(chk_ctx *c, const chk_entry *ce)
{
    const jks_entry *e = ce->e;
    size_t n = jks_entry_chain_len(e);
    if (!n)
        return;
    char *qa = chk_shell_quote(jks_entry_alias(e));
    if (!qa) {
        c->oom = 1;
        return;
    }
    const chk_cert *last = &c->certs[ce->certs[n - 1]];
    int ordered = 1;
    for (size_t i = 0; i + 1 < n; i++) {
        const chk_cert *a = &c->certs[ce->certs[i]], *b = &c->certs[ce->certs[i + 1]];
        if (!a->x || !b->x)
            continue; /* bad-certificate says so */
        if (!chk_issued(a, b)) {
            ordered = 0;
            chk_add(c, "chain-order", JKS_SEV_ERROR, jks_entry_alias(e),
                    chk_fmt(c, "cat leaf.pem intermediate.pem root.pem > chain.pem && keytool "
                               "-importcert -trustcacerts -alias %s -file chain.pem -keystore %s "
                               "(leaf first, each certificate issued by the next)", qa, c->ks),
                    "chain certificate %zu (\"%s\") is not issued by certificate %zu (\"%s\"): "
                    "peers cannot build the path", i + 1, a->info.subject, i + 2,
                    b->info.subject);
            break;
        }
    }
    if (ordered && last->x && !last->trusted && !chk_self_signed(last)) {
        if (!issuer_in_store(c, last))
            chk_add(c, "chain-incomplete", JKS_SEV_WARNING, jks_entry_alias(e),
                    chk_fmt(c, "keytool -importcert -trustcacerts -alias %s -file "
                               "full-chain.pem -keystore %s (the reply with every CA "
                               "certificate, leaf first; PKCS#7 or concatenated PEM)", qa, c->ks),
                    "the chain (%zu certificate%s) ends at \"%s\", issued by \"%s\", which is "
                    "neither in the chain nor in this keystore: peers lacking that CA cannot "
                    "verify it", n, n == 1 ? "" : "s", last->info.subject, last->info.issuer);
    }

    if (c->purpose == JKS_PURPOSE_TRUSTSTORE) {
        for (size_t i = 1; i < n; i++) {
            const chk_cert *r = &c->certs[ce->certs[i]];
            if (!r->x || r->trusted || !(r->info.is_ca || chk_self_signed(r)))
                continue;
            chk_add(c, "wrong-entry-type", JKS_SEV_ERROR, jks_entry_alias(e),
                    chk_fmt(c, "jkstool list %s --rfc (save certificate [%zu] of \"%s\" as "
                               "ca.pem), then keytool -importcert -trustcacerts -alias ca -file "
                               "ca.pem -keystore %s", c->ks, i + 1, jks_entry_alias(e), c->ks),
                    "CA certificate \"%s\" is only inside this PrivateKeyEntry (chain "
                    "certificate %zu), not a trustedCertEntry: Java does not trust it, so "
                    "peers it issued are rejected", r->info.subject, i + 1);
        }
    } else if (chk_is_identity(c->purpose) && n > 1 && ordered) {
        int any = 0;
        for (size_t i = 1; i < n; i++)
            any |= c->certs[ce->certs[i]].trusted;
        if (!any)
            chk_add(c, "wrong-entry-type", JKS_SEV_INFO, jks_entry_alias(e),
                    chk_fmt(c, "keytool -importcert -trustcacerts -alias ca -file ca.pem "
                               "-keystore %s (only if this file is also the truststore)", c->ks),
                    "no CA of this chain (root \"%s\") is a trustedCertEntry: if this file "
                    "also serves as truststore, peers issued by the same CA are rejected",
                    last->x ? last->info.subject : "?");
    }
    free(qa);
}

/* Renewal advice for a certificate, by where it sits. */
static const char *renew_fix(chk_ctx *c, const chk_cert *r, const char *qa)
{
    if (r->kind == JKS_ENTRY_TRUSTED_CERT)
        return chk_fmt(c, "keytool -delete -alias %s -keystore %s && keytool -importcert "
                          "-trustcacerts -alias %s -file renewed.pem -keystore %s",
                       qa, c->ks, qa, c->ks);
    if (r->pos == 0 && chk_self_signed(r))
        return chk_fmt(c, "keytool -delete -alias %s -keystore %s && keytool -genkeypair "
                          "-alias %s -keyalg EC -groupname secp256r1 -dname \"%s\" -keystore %s",
                       qa, c->ks, qa, r->info.subject, c->ks);
    if (r->pos == 0)
        return chk_fmt(c, "keytool -certreq -alias %s -keystore %s -file req.csr, have the CA "
                          "sign it, then keytool -importcert -trustcacerts -alias %s -file "
                          "reply.pem -keystore %s", qa, c->ks, qa, c->ks);
    return chk_fmt(c, "keytool -importcert -trustcacerts -alias %s -file reply.pem -keystore %s "
                      "(a reply carrying the CA's renewed certificate)", qa, c->ks);
}

static void where(const chk_cert *r, char *out, size_t cap)
{
    if (r->pos)
        snprintf(out, cap, "chain certificate %zu \"%s\"", r->pos + 1, r->info.subject);
    else
        snprintf(out, cap, "certificate \"%s\"", r->info.subject);
}

static void one_cert(chk_ctx *c, const chk_cert *r)
{
    char w[600], d[40];
    if (!r->x) {
        chk_add(c, "bad-certificate", JKS_SEV_ERROR, r->alias, "replace the certificate",
                "certificate %zu of the entry does not parse as X.509", r->pos + 1);
        return;
    }
    const chk_facts *ci = &r->info;
    char *qa = chk_shell_quote(r->alias);
    if (!qa) {
        c->oom = 1;
        return;
    }
    where(r, w, sizeof(w));
    int64_t soon = (int64_t)(c->opts->expiry_warn_days > 0 ? c->opts->expiry_warn_days : 30) * 86400;
    /* Java (PKIX) does not check a trust anchor's validity: an out-of-date
     * trustedCertEntry is a warning, anything in a key's chain an error. */
    jks_severity bad = r->kind == JKS_ENTRY_TRUSTED_CERT ? JKS_SEV_WARNING : JKS_SEV_ERROR;
    if (c->now < ci->not_before) {
        day(d, sizeof(d), ci->not_before);
        chk_add(c, "not-yet-valid", bad, r->alias,
                "check the system clock; or reissue with a start date in the past "
                "(keytool -startdate, openssl x509 -days)",
                "%s is not valid before %s", w, d);
    } else if (c->now > ci->not_after) {
        day(d, sizeof(d), ci->not_after);
        chk_add(c, "expired", bad, r->alias, renew_fix(c, r, qa),
                "%s expired on %s", w, d);
    } else if (ci->not_after - c->now <= soon) {
        day(d, sizeof(d), ci->not_after);
        chk_add(c, "expires-soon", JKS_SEV_WARNING, r->alias, renew_fix(c, r, qa),
                "%s expires on %s (in %lld day%s)", w, d,
                (long long)((ci->not_after - c->now) / 86400),
                (ci->not_after - c->now) / 86400 == 1 ? "" : "s");
    }

    int rsa = !strcmp(ci->key_algorithm, "RSA") || !strcmp(ci->key_algorithm, "RSASSA-PSS") ||
              !strcmp(ci->key_algorithm, "DSA");
    int ec = !strcmp(ci->key_algorithm, "EC");
    if ((rsa && ci->key_bits < 2048) || (ec && ci->key_bits < 256)) {
        int broken = rsa ? ci->key_bits < 1024 : ci->key_bits < 224;
        chk_add(c, "weak-key", broken ? JKS_SEV_ERROR : JKS_SEV_WARNING, r->alias,
                r->kind == JKS_ENTRY_PRIVATE_KEY && r->pos == 0
                    ? chk_fmt(c, "keytool -genkeypair -alias NEW -keyalg RSA -keysize 3072 "
                                 "-keystore %s (or -keyalg EC -groupname secp256r1), then "
                                 "have it certified", c->ks)
                    : "replace it with a certificate for an RSA 2048+ or EC P-256+ key",
                "%s has a %d-bit %s key (%s)", w, ci->key_bits, ci->key_algorithm,
                broken ? "Java rejects it (jdk.certpath.disabledAlgorithms)"
                       : rsa ? "under 2048 bits" : "under 256 bits");
    }
    if (ci->md_name[0]) {
        const char *m = ci->md_name;
        int md5 = !strcasecmp(m, "md5") || !strcasecmp(m, "md2") || !strcasecmp(m, "md4");
        /* a self-signed certificate's own signature protects nothing: verified
         * only here, where the finding depends on it */
        if ((md5 || !strcasecmp(m, "sha1")) && !chk_self_signed(r))
            chk_add(c, "weak-signature", md5 ? JKS_SEV_ERROR : JKS_SEV_WARNING, r->alias,
                    r->kind == JKS_ENTRY_PRIVATE_KEY && r->pos == 0
                        ? chk_fmt(c, "have the CA reissue it with SHA-256: keytool -certreq "
                                     "-alias %s -sigalg SHA256withRSA -keystore %s -file "
                                     "req.csr", qa, c->ks)
                        : "replace it with a CA certificate signed with SHA-256 or better",
                    "%s is signed with %s (%s)%s", w, ci->sig_algorithm, m,
                    md5 ? ": Java rejects it" : ": broken for collision resistance; Java "
                                                "rejects it for TLS to public roots");
    }
    free(qa);
}

void chk_cert_rules(chk_ctx *c)
{
    for (size_t i = 0; i < c->n_certs && !c->oom; i++)
        one_cert(c, &c->certs[i]);
}
