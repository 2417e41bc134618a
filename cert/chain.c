/* THE chain builder: orders the issuers of a certificate from a pool of
 * candidates by name, key identifiers and signature (RFC 5280 6.1, the
 * issuer-finding part only: no validity or policy checks, which are the
 * validator's). Each candidate is decoded once per pool and found by a
 * binary search on its subject name, so a chain costs O(depth log n). */
#include "chain.h"
#include "error.h"
#include "jks/ops.h"

#include <limits.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const X509_NAME *name;
    size_t idx;
} subject_ref;

struct jks_cert_pool {
    size_t n;
    const jks_bytes *der;
    X509 **x;
    subject_ref *sorted;     /* decoded candidates by subject, then index */
    size_t n_sorted;
};

static int by_subject(const void *a, const void *b)
{
    const subject_ref *x = a, *y = b;
    int c = X509_NAME_cmp(x->name, y->name);
    if (c)
        return c;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

jks_cert_pool *jks_cert_pool_new(const jks_bytes *certs, size_t n)
{
    jks_cert_pool *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    p->n = n;
    p->der = certs;
    p->x = calloc(n ? n : 1, sizeof(*p->x));
    p->sorted = calloc(n ? n : 1, sizeof(*p->sorted));
    if (!p->x || !p->sorted) {
        jks_cert_pool_free(p);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const unsigned char *q = certs[i].data;
        if (!certs[i].data || certs[i].len > (size_t)LONG_MAX)
            continue;
        p->x[i] = d2i_X509(NULL, &q, (long)certs[i].len);
        if (p->x[i])
            p->sorted[p->n_sorted++] = (subject_ref){X509_get_subject_name(p->x[i]), i};
    }
    qsort(p->sorted, p->n_sorted, sizeof(*p->sorted), by_subject);
    return p;
}

void jks_cert_pool_free(jks_cert_pool *p)
{
    if (!p)
        return;
    for (size_t i = 0; p->x && i < p->n; i++)
        X509_free(p->x[i]);
    free(p->x);
    free(p->sorted);
    free(p);
}

size_t jks_cert_pool_size(const jks_cert_pool *p)
{
    return p ? p->n : 0;
}

X509 *jks_cert_pool_x509(const jks_cert_pool *p, size_t i)
{
    return p && i < p->n ? p->x[i] : NULL;
}

/* First position in sorted whose subject is name (n_sorted when none). */
static size_t first_named(const jks_cert_pool *p, const X509_NAME *name)
{
    size_t lo = 0, hi = p->n_sorted;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (X509_NAME_cmp(p->sorted[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int same_der(jks_bytes a, jks_bytes b)
{
    return a.len == b.len && !memcmp(a.data, b.data, a.len);
}

/* issuer issued x: name (done by the caller's lookup), AKI/SKI and
 * signature. */
static int issued(X509 *issuer, X509 *x)
{
    if (X509_check_issued(issuer, x) != X509_V_OK)
        return 0;
    EVP_PKEY *k = X509_get0_pubkey(issuer);
    return k && X509_verify(x, k) == 1;
}

static size_t chain(const jks_cert_pool *p, jks_bytes leaf, const int *rank, size_t *out,
                    size_t cap, int java)
{
    size_t n = 0;
    if (!p || !leaf.data || leaf.len > (size_t)LONG_MAX)
        return 0;
    const unsigned char *q = leaf.data;
    X509 *leaf_x = d2i_X509(NULL, &q, (long)leaf.len);
    X509 *cur = leaf_x;
    /* bounded by the pool: each pick is a distinct pool certificate */
    while (cur && n < cap && n < p->n) {
        const X509_NAME *want = X509_get_issuer_name(cur);
        long best = -1, by_name = -1;
        int best_rank = -1, name_rank = -1;
        if (java && !X509_NAME_cmp(X509_get_subject_name(cur), want))
            break; /* self-issued: Java's chain ends here */
        for (size_t s = first_named(p, want);
             s < p->n_sorted && !X509_NAME_cmp(p->sorted[s].name, want); s++) {
            size_t i = p->sorted[s].idx;
            int r = rank ? rank[i] : 0;
            if (r < 0 || r <= best_rank)
                continue;
            int loop = same_der(p->der[i], leaf);
            for (size_t k = 0; k < n && !loop; k++)
                loop = same_der(p->der[i], p->der[out[k]]);
            if (loop)
                continue;
            if (java && r > name_rank) {
                by_name = (long)i;
                name_rank = r;
            }
            if (!issued(p->x[i], cur))
                continue;
            best = (long)i;
            best_rank = r;
        }
        if (best < 0)
            best = by_name; /* Java: the name is enough (-1 unless java) */
        if (best < 0)
            break;
        out[n++] = (size_t)best;
        cur = p->x[best];
    }
    X509_free(leaf_x);
    ERR_clear_error();
    return n;
}

size_t jks_cert_pool_chain(const jks_cert_pool *p, jks_bytes leaf, const int *rank, size_t *out,
                           size_t cap)
{
    return chain(p, leaf, rank, out, cap, 0);
}

size_t jks_cert_pool_chain_java(const jks_cert_pool *p, jks_bytes leaf, const int *rank,
                                size_t *out, size_t cap)
{
    return chain(p, leaf, rank, out, cap, 1);
}

jks_status jks_chain_build(const uint8_t *leaf, size_t leaf_len, const jks_bytes *pool, size_t n,
                           size_t *picked, size_t cap, size_t *n_picked, jks_error *err)
{
    if (!leaf || !leaf_len || (!pool && n) || (!picked && cap) || !n_picked)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no leaf, pool or place for the picks");
    *n_picked = 0;
    jks_cert_pool *p = jks_cert_pool_new(pool, n);
    if (!p)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    *n_picked = jks_cert_pool_chain(p, (jks_bytes){leaf, leaf_len}, NULL, picked, cap);
    jks_cert_pool_free(p);
    return JKS_OK;
}
