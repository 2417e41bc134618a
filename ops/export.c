/* Exporting one part of an entry: its certificate, its chain or its private
 * key (PKCS#8, RFC 5208/5958), as PEM (RFC 7468) or DER. */
#include "error.h"
#include "keys.h"
#include "store.h"
#include "jks/ops.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

/* Append one PEM block to *buf (grown; *len bytes so far). */
static jks_status add_pem(const char *label, const uint8_t *der, size_t n, uint8_t **buf,
                          size_t *len, jks_error *err)
{
    char *pem;
    size_t pl;
    jks_status s = jks_pem_armor(label, der, n, &pem, &pl, err);
    if (s != JKS_OK)
        return s;
    uint8_t *nb = malloc(*len + pl);
    if (!nb) {
        free(pem);
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    }
    if (*len)
        memcpy(nb, *buf, *len);
    memcpy(nb + *len, pem, pl);
    OPENSSL_cleanse(pem, pl);
    free(pem);
    jks_buffer_free(*buf, *len);
    *buf = nb;
    *len += pl;
    return JKS_OK;
}

jks_status jks_entry_export(const jks_entry *e, jks_export_what what, const jks_export_opts *opts,
                            uint8_t **out, size_t *out_len, jks_error *err)
{
    static const jks_export_opts defaults = JKS_EXPORT_OPTS_INIT;
    uint8_t *buf = NULL;
    size_t len = 0;
    jks_status s = JKS_OK;
    if (!e || !out || !out_len)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no entry or no place for the bytes");
    if (!opts)
        opts = &defaults;
    *out = NULL;
    *out_len = 0;
    if (what == JKS_EXPORT_KEY) {
        if (e->kind != JKS_ENTRY_PRIVATE_KEY)
            return jks_fail(err, JKS_ERR_USAGE, -1, "the entry has no private key");
        if (e->state != JKS_KEY_DECRYPTED || !e->plain)
            return jks_fail(err, JKS_ERR_PASSWORD, -1, "the private key is not decrypted");
        if (opts->password) {
            s = jks_pkcs8_encrypt(e->plain, e->plain_len, opts->password, &buf, &len, err);
            if (s == JKS_OK && !opts->der) {
                uint8_t *der = buf;
                size_t dl = len;
                buf = NULL;
                len = 0;
                s = add_pem("ENCRYPTED PRIVATE KEY", der, dl, &buf, &len, err);
                jks_buffer_free(der, dl);
            }
        } else if (opts->der) {
            if (!(buf = malloc(e->plain_len ? e->plain_len : 1)))
                return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
            memcpy(buf, e->plain, e->plain_len);
            len = e->plain_len;
        } else {
            s = add_pem("PRIVATE KEY", e->plain, e->plain_len, &buf, &len, err);
        }
    } else {
        size_t n = what == JKS_EXPORT_CHAIN ? e->n_chain : 1;
        if (e->n_chain == 0)
            return jks_fail(err, JKS_ERR_USAGE, -1, "the entry has no certificate");
        if (opts->der && n > 1)
            return jks_fail(err, JKS_ERR_USAGE, -1,
                            "DER holds one certificate and the chain has %zu", n);
        if (opts->der) {
            if (!(buf = malloc(e->chain[0].len ? e->chain[0].len : 1)))
                return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
            memcpy(buf, e->chain[0].data, e->chain[0].len);
            len = e->chain[0].len;
        }
        for (size_t i = 0; s == JKS_OK && !opts->der && i < n; i++)
            s = add_pem("CERTIFICATE", e->chain[i].data, e->chain[i].len, &buf, &len, err);
    }
    if (s != JKS_OK) {
        jks_buffer_free(buf, len);
        return s;
    }
    *out = buf;
    *out_len = len;
    return JKS_OK;
}
