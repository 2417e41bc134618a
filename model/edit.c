/* Changing a decoded store in place, for jkstool passwd/import/export:
 * replacing a key entry's certificate chain (installing a CA reply), making
 * the next write encrypt a key afresh, the PKCS#12 algorithm family a file was
 * written with. */
#include "store.h"
#include "jks/ops.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

jks_status jks_store_set_chain(jks_store *st, size_t i, const jks_bytes *certs, size_t n,
                               jks_error *err)
{
    if (i >= st->n || st->entries[i]->kind != JKS_ENTRY_PRIVATE_KEY || n == 0)
        return jks_fail(err, JKS_ERR_USAGE, -1, "a chain can be set on a private key entry only");
    jks_entry *e = st->entries[i];
    jks_bytes *views = malloc(n * sizeof(*views));
    if (!views)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    for (size_t k = 0; k < n; k++) {
        views[k].data = jks_store_keep(st, certs[k].data, certs[k].len, 0);
        views[k].len = certs[k].len;
        if (!views[k].data) {
            free(views);
            return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        }
    }
    /* the old chain's views stay valid (store memory) until jks_store_free */
    if (e->chain != &e->cert1)
        free(e->chain);
    if (n == 1) {
        e->cert1 = views[0];
        e->chain = &e->cert1;
        free(views);
    } else {
        e->chain = views;
    }
    e->n_chain = n;
    return JKS_OK;
}

int jks_store_forget_protection(jks_store *st, size_t i)
{
    if (!st || i >= st->n)
        return 0;
    jks_entry *e = st->entries[i];
    if (e->kind == JKS_ENTRY_TRUSTED_CERT || e->state != JKS_KEY_DECRYPTED || !e->plain)
        return 0;
    e->prot.data = NULL;
    e->prot.len = 0;
    e->protection = JKS_PROT_NONE;
    e->pw_index = -1;
    return 1;
}

jks_p12_algorithms jks_store_p12_algorithms(const jks_store *st)
{
    /* JDK 8 and openssl's legacy defaults: PBE-SHA1-3DES keys, RC2 certs, SHA-1 MAC */
    if (st && st->format == JKS_FORMAT_PKCS12 &&
        (!strncmp(st->p12.key_alg, "pbe-", 4) || !strncmp(st->p12.cert_alg, "pbe-", 4) ||
         !strcmp(st->p12.mac_alg, "sha1")))
        return JKS_P12_LEGACY;
    return JKS_P12_MODERN;
}

