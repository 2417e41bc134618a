/* Installing a certificate-authority reply on a private key entry (keytool
 * -importcert on a key's alias): pair the reply with the key (cert/pair.c),
 * order and complete its chain (cert/chain.c), replace the entry's chain. */
#include "error.h"
#include "pair.h"
#include "store.h"
#include "jks/ops.h"

#include <stdlib.h>
#include <string.h>

#define REPLY_MAX_CHAIN 32

static jks_status outcome(jks_reply_result *res, jks_reply_outcome o)
{
    res->outcome = o;
    return JKS_OK;
}

jks_status jks_store_install_reply(jks_store *st, size_t index, const jks_bytes *reply, size_t n,
                                   const jks_reply_opts *opts, jks_reply_result *res,
                                   jks_error *err)
{
    static const jks_reply_opts defaults = JKS_REPLY_OPTS_INIT;
    jks_reply_result local;
    if (!opts)
        opts = &defaults;
    if (!res)
        res = &local;
    memset(res, 0, sizeof(*res));
    if (!st || index >= st->n || st->entries[index]->kind != JKS_ENTRY_PRIVATE_KEY) {
        outcome(res, JKS_REPLY_NOT_A_KEY);
        return jks_fail(err, JKS_ERR_USAGE, -1, "a reply is installed on a private key entry");
    }
    const jks_entry *e = st->entries[index];
    if (n == 0) {
        outcome(res, JKS_REPLY_NOT_FOR_KEY);
        return jks_fail(err, JKS_ERR_FORMAT, -1, "no certificate to install");
    }

    /* the pool: the reply, then the store's other certificates, then the extra CAs */
    size_t total = n;
    for (size_t i = 0; i < st->n; i++)
        total += i == index ? 0 : st->entries[i]->n_chain;
    const jks_store *x = opts->extra_cas;
    for (size_t i = 0; x && i < x->n; i++)
        total += x->entries[i]->n_chain;
    jks_bytes *pool = malloc(total * sizeof(*pool));
    int *rank = malloc(total * sizeof(*rank));
    jks_cert_pool *p = NULL;
    jks_status s = JKS_OK;
    if (pool && rank) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++, k++) {
            pool[k] = reply[i];
            rank[k] = 2; /* the reply's own certificates first */
        }
        for (size_t i = 0; i < st->n; i++)
            for (size_t j = 0; i != index && j < st->entries[i]->n_chain; j++, k++) {
                pool[k] = st->entries[i]->chain[j];
                rank[k] = 1;
            }
        for (size_t i = 0; x && i < x->n; i++)
            for (size_t j = 0; j < x->entries[i]->n_chain; j++, k++) {
                pool[k] = x->entries[i]->chain[j];
                rank[k] = 1;
            }
        p = jks_cert_pool_new(pool, total);
    }
    if (!p) {
        s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        goto out;
    }

    /* the leaf: the reply certificate with the entry's public key */
    for (size_t i = n; i < total; i++)
        rank[i] = -1;
    long leaf = -1;
    if (e->state == JKS_KEY_DECRYPTED && e->plain)
        leaf = jks_cert_pool_find_key(p, e->plain, e->plain_len, rank);
    else if (e->n_chain)
        leaf = jks_cert_pool_find_cert_key(p, e->chain[0].data, e->chain[0].len, rank);
    else {
        outcome(res, JKS_REPLY_KEY_UNKNOWN);
        s = jks_fail(err, JKS_ERR_PASSWORD, -1,
                     "the entry's public key is unknown (no certificate, key not decrypted)");
        goto out;
    }
    if (leaf < 0) {
        outcome(res, JKS_REPLY_NOT_FOR_KEY);
        s = jks_fail(err, JKS_ERR_FORMAT, -1,
                     "no reply certificate has the public key of the entry: not a reply for "
                     "this key");
        goto out;
    }

    /* its issuers: reply first, then the store and the extra CAs */
    for (size_t i = 0; i < n; i++)
        rank[i] = 2;
    for (size_t i = n; i < total; i++)
        rank[i] = 1;
    size_t picked[REPLY_MAX_CHAIN];
    jks_bytes chain[REPLY_MAX_CHAIN];
    size_t np = jks_cert_pool_chain(p, pool[leaf], rank, picked, REPLY_MAX_CHAIN - 1);
    size_t nc = 0, in_reply = 1;
    chain[nc++] = pool[leaf];
    for (size_t i = 0; i < np; i++) {
        chain[nc++] = pool[picked[i]];
        in_reply += picked[i] < n;
    }
    res->chain_len = nc;
    res->unused = n - in_reply;
    if (jks_cert_info_get(chain[nc - 1].data, chain[nc - 1].len, &res->top) == JKS_OK)
        res->complete = res->top.self_signed;
    if (res->unused && !opts->allow_extra) {
        outcome(res, JKS_REPLY_EXTRA_CERTS);
        s = jks_fail(err, JKS_ERR_FORMAT, -1, "%zu reply certificate%s not part of its chain",
                     res->unused, res->unused == 1 ? " is" : "s are");
        goto out;
    }
    if (!res->complete && n == 1 && !opts->allow_incomplete) {
        outcome(res, JKS_REPLY_INCOMPLETE);
        s = jks_fail(err, JKS_ERR_FORMAT, -1,
                     "cannot complete the chain of the reply: its issuer \"%s\" is not among "
                     "the certificates given or stored",
                     res->top.issuer);
        goto out;
    }
    int same = nc == e->n_chain;
    for (size_t k = 0; same && k < nc; k++)
        same = chain[k].len == e->chain[k].len &&
               !memcmp(chain[k].data, e->chain[k].data, chain[k].len);
    if (same) {
        outcome(res, JKS_REPLY_UNCHANGED);
        goto out;
    }
    s = jks_store_set_chain(st, index, chain, nc, err);
    if (s == JKS_OK)
        outcome(res, JKS_REPLY_INSTALLED);
out:
    if (s != JKS_OK)
        jks_error_set_alias(err, e->alias);
    jks_cert_pool_free(p);
    free(pool);
    free(rank);
    return s;
}
