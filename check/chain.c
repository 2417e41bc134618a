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
    const chk_entry *e = ce;
    size_t n = ce_chain_len(e);
    if (!n)
        return;
    char *qa = chk_shell_quote(ce_alias(e));
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
            /* the next certificate has the issuer's name but not its key: a
             * different CA certificate of the same name (a re-keyed CA), which
             * reordering cannot fix */
            if (!strcmp(a->info.issuer, b->info.subject) && !a->info.self_issued)
                chk_add(c, "chain-order", JKS_SEV_ERROR, ce_alias(e),
                        chk_fmt(c, "jkstool export %s --alias %s --to cert --out cert.pem "
                                   "--storepass env:STOREPASS && cat cert.pem issuer.pem > "
                                   "chain.pem && jkstool import %s --file chain.pem --alias %s "
                                   "--force --storepass env:STOREPASS  # issuer.pem: the CA "
                                   "certificate \"%s\" whose key signed it",
                                c->ks, qa, c->ks, qa, b->info.subject),
                        "wrong issuer certificate: chain certificate %zu (\"%s\") names "
                        "\"%s\" as issuer, and chain certificate %zu has that name but is a "
                        "different CA certificate (its key did not sign certificate %zu): "
                        "peers cannot build the path", i + 1, a->info.subject, a->info.issuer,
                        i + 2, i + 1);
            else
                chk_add(c, "chain-order", JKS_SEV_ERROR, ce_alias(e),
                        chk_fmt(c, "jkstool export %s --alias %s --to chain --out chain.pem "
                                   "--storepass env:STOREPASS && jkstool import %s --file "
                                   "chain.pem --alias %s --storepass env:STOREPASS  # import puts "
                                   "a reply in issuing order, leaf first", c->ks, qa, c->ks, qa),
                        "chain certificate %zu (\"%s\") is not issued by certificate %zu "
                        "(\"%s\"): reorder the chain, or peers cannot build the path", i + 1,
                        a->info.subject, i + 2, b->info.subject);
            break;
        }
    }
    if (ordered && last->x && !last->trusted && !chk_self_signed(last)) {
        /* a client: Java's key manager offers a chain only when a certificate
         * of it is issued by one of the CAs the server names (often only its
         * root), so a chain that stops short sends no certificate at all */
        int client = c->purpose == JKS_PURPOSE_CLIENT;
        if (!issuer_in_store(c, last))
            chk_add(c, "chain-incomplete", client ? JKS_SEV_ERROR : JKS_SEV_WARNING,
                    ce_alias(e),
                    chk_fmt(c, "jkstool export %s --alias %s --to chain --out chain.pem "
                               "--storepass env:STOREPASS && cat issuer.pem >> chain.pem && "
                               "jkstool import %s --file chain.pem --alias %s --storepass "
                               "env:STOREPASS  # issuer.pem: the certificate of \"%s\", from "
                               "the CA", c->ks, qa, c->ks, qa, last->info.issuer),
                    "the chain (%zu certificate%s) ends at \"%s\", and its issuer \"%s\" is "
                    "missing: it is neither in the chain nor in this keystore%s",
                    n, n == 1 ? "" : "s", last->info.subject, last->info.issuer,
                    client ? "; a server that names only its root CA as accepted issuer gets "
                             "no certificate from Java (\"Empty client certificate chain\")"
                           : ": peers lacking that CA cannot verify it");
    }

    if (c->purpose == JKS_PURPOSE_TRUSTSTORE) {
        for (size_t i = 1; i < n; i++) {
            const chk_cert *r = &c->certs[ce->certs[i]];
            if (!r->x || r->trusted || !(r->info.is_ca || chk_self_signed(r)))
                continue;
            chk_add(c, "wrong-entry-type", JKS_SEV_ERROR, ce_alias(e),
                    chk_fmt(c, "jkstool export %s --alias %s --to chain --out chain.pem "
                               "--storepass env:STOREPASS && awk '/-BEGIN CERTIFICATE-/{n++} "
                               "n==%zu' chain.pem > ca%zu.pem && jkstool import %s --file "
                               "ca%zu.pem --alias ca%zu --storepass env:STOREPASS  # trusts "
                               "chain certificate %zu", c->ks, qa, i + 1, i + 1, c->ks, i + 1,
                            i + 1, i + 1),
                    "CA certificate \"%s\" is only inside this PrivateKeyEntry (chain "
                    "certificate %zu), not a trustedCertEntry: Java does not trust it, so "
                    "peers it issued are rejected", r->info.subject, i + 1);
        }
    } else if (chk_is_identity(c->purpose) && n > 1 && ordered && c->format != JKS_FORMAT_PEM) {
        /* (a PEM file is never Java's truststore as it is) */
        int any = 0;
        for (size_t i = 1; i < n; i++)
            any |= c->certs[ce->certs[i]].trusted;
        if (!any)
            chk_add(c, "wrong-entry-type", JKS_SEV_INFO, ce_alias(e),
                    chk_fmt(c, "jkstool export %s --alias %s --to chain --out chain.pem "
                               "--storepass env:STOREPASS && awk '/-BEGIN CERTIFICATE-/{n++} "
                               "n==%zu' chain.pem > ca.pem && jkstool import %s --file ca.pem "
                               "--alias ca --storepass env:STOREPASS  # only if this file is "
                               "also the truststore", c->ks, qa, n, c->ks),
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
        return chk_fmt(c, "jkstool keytool -delete -alias %s -keystore %s -storepass:env "
                          "STOREPASS && jkstool import %s --file renewed.pem --alias %s "
                          "--storepass env:STOREPASS  # renewed.pem: the CA's renewed "
                          "certificate", qa, c->ks, c->ks, qa);
    if (r->pos == 0 && chk_self_signed(r)) {
        char *dn = chk_shell_quote(r->info.subject);
        const char *f = dn ? chk_fmt(c, "jkstool keytool -delete -alias %s -keystore %s "
                                        "-storepass:env STOREPASS && jkstool genkey %s --alias "
                                        "%s --keyalg EC --dname %s --storepass env:STOREPASS",
                                     qa, c->ks, c->ks, qa, dn)
                           : "";
        free(dn);
        return f;
    }
    if (r->pos == 0)
        return chk_fmt(c, "jkstool csr %s --alias %s --out req.csr --storepass env:STOREPASS  "
                          "# have the CA sign req.csr into reply.pem, then: jkstool import %s "
                          "--file reply.pem --alias %s --storepass env:STOREPASS",
                       c->ks, qa, c->ks, qa);
    return chk_fmt(c, "jkstool import %s --file reply.pem --alias %s --storepass env:STOREPASS"
                      "  # reply.pem: the chain with the CA's renewed certificate, leaf first",
                   c->ks, qa);
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
        chk_add(c, "bad-certificate", JKS_SEV_ERROR, r->alias,
                chk_fmt(c, "jkstool list %s --rfc --storepass env:STOREPASS  # see the entry; "
                           "replace its certificate with jkstool import", c->ks),
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
                "date -u  # check the system clock; or have the certificate reissued with a "
                "start date in the past",
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

    char *dnq = chk_shell_quote(ci->subject);
    if (!dnq) {
        free(qa);
        c->oom = 1;
        return;
    }
    int rsa = !strcmp(ci->key_algorithm, "RSA") || !strcmp(ci->key_algorithm, "RSASSA-PSS") ||
              !strcmp(ci->key_algorithm, "DSA");
    int ec = !strcmp(ci->key_algorithm, "EC");
    if ((rsa && ci->key_bits < 2048) || (ec && ci->key_bits < 256)) {
        int broken = rsa ? ci->key_bits < 1024 : ci->key_bits < 224;
        chk_add(c, "weak-key", broken ? JKS_SEV_ERROR : JKS_SEV_WARNING, r->alias,
                r->kind == JKS_ENTRY_PRIVATE_KEY && r->pos == 0 && dnq
                    ? chk_fmt(c, "jkstool keytool -delete -alias %s -keystore %s -storepass:env "
                                 "STOREPASS && jkstool genkey %s --alias %s --keyalg EC --dname "
                                 "%s --storepass env:STOREPASS  # a new P-256 key replaces the "
                                 "old one; then have it certified: jkstool csr %s --alias %s",
                              qa, c->ks, c->ks, qa, dnq, c->ks, qa)
                    : chk_fmt(c, "jkstool keytool -delete -alias %s -keystore %s -storepass:env "
                                 "STOREPASS && jkstool import %s --file ca.pem --alias %s "
                                 "--storepass env:STOREPASS  # ca.pem: the CA's certificate for "
                                 "an RSA 2048+ or EC P-256+ key", qa, c->ks, c->ks, qa),
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
                        ? chk_fmt(c, "jkstool csr %s --alias %s --out req.csr --storepass "
                                     "env:STOREPASS  # have the CA sign it with SHA-256 into "
                                     "reply.pem, then: jkstool import %s --file reply.pem "
                                     "--alias %s --storepass env:STOREPASS", c->ks, qa, c->ks, qa)
                        : r->kind == JKS_ENTRY_TRUSTED_CERT
                              ? chk_fmt(c, "jkstool keytool -delete -alias %s -keystore %s "
                                           "-storepass:env STOREPASS && jkstool import %s "
                                           "--file ca-sha256.pem --alias %s --storepass "
                                           "env:STOREPASS  # ca-sha256.pem: the CA's "
                                           "certificate signed with SHA-256",
                                        qa, c->ks, c->ks, qa)
                              : chk_fmt(c, "jkstool import %s --file reply.pem --alias %s "
                                           "--storepass env:STOREPASS  # a chain whose CA "
                                           "certificates are signed with SHA-256", c->ks, qa),
                    "%s is signed with %s (%s)%s", w, ci->sig_algorithm, m,
                    md5 ? ": Java rejects it" : ": broken for collision resistance; Java "
                                                "rejects it for TLS to public roots");
    }
    free(qa);
    free(dnq);
}

void chk_cert_rules(chk_ctx *c)
{
    for (size_t i = 0; i < c->n_certs && !c->oom; i++)
        one_cert(c, &c->certs[i]);
}
