/* PBMAC1 MAC verification (RFC 9579) for PKCS#12, which OpenSSL 3.0 lacks:
 * macData.mac.digestAlgorithm = { id-PBMAC1, PBMAC1-params { PBKDF2 params,
 * HMAC scheme } }; the key is PBKDF2(UTF-8 password) and the MAC is the HMAC
 * of the authSafe octets. macData.macSalt and .iterations are ignored. */
#include "p12.h"
#include "work.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/objects.h>
#include <stdio.h>
#include <string.h>

#define PBMAC1_MIN_KEY 20   /* shorter keys make the MAC forgeable (2026 bypass) */
#define PBMAC1_MAX_KEY 512  /* bounds the PBKDF2 work a file can ask for */

/* hmacWithSHAxxx -> its digest */
static const EVP_MD *prf_md(const X509_ALGOR *a)
{
    int md_nid;
    int nid = a ? OBJ_obj2nid(a->algorithm) : NID_hmacWithSHA1;
    if (nid == NID_undef || !EVP_PBE_find(EVP_PBE_TYPE_PRF, nid, NULL, &md_nid, NULL))
        return NULL;
    return EVP_get_digestbynid(md_nid);
}

jks_status jks_pbmac1_verify(const X509_ALGOR *macalg, const ASN1_OCTET_STRING *mac,
                             const uint8_t *content, size_t content_len, const char *password,
                             uint32_t max_iter, jks_store *work, char *alg, size_t alg_len, uint32_t *iterations,
                             jks_error *err)
{
    const ASN1_OBJECT *oid;
    int ptype;
    const void *pval;
    X509_ALGORS *parts = NULL;
    PBKDF2PARAM *kdf = NULL;
    jks_status s;
    uint8_t key[PBMAC1_MAX_KEY], out[EVP_MAX_MD_SIZE];
    unsigned out_len = 0;
    long key_len = 0;
    uint64_t iter = 0;

    X509_ALGOR_get0(&oid, &ptype, &pval, macalg);
    if (ptype != V_ASN1_SEQUENCE || !pval)
        return jks_fail(err, JKS_ERR_FORMAT, -1, "PBMAC1 MAC without parameters");
    const ASN1_STRING *seq = pval;
    const unsigned char *p = ASN1_STRING_get0_data(seq);
    parts = d2i_X509_ALGORS(NULL, &p, ASN1_STRING_length(seq));
    if (!parts || sk_X509_ALGOR_num(parts) != 2) {
        s = jks_fail(err, JKS_ERR_FORMAT, -1, "malformed PBMAC1 parameters");
        goto out;
    }
    const X509_ALGOR *kdf_alg = sk_X509_ALGOR_value(parts, 0);
    const X509_ALGOR *scheme = sk_X509_ALGOR_value(parts, 1);
    if (OBJ_obj2nid(kdf_alg->algorithm) != NID_id_pbkdf2) {
        s = jks_fail(err, JKS_ERR_FORMAT, -1, "PBMAC1 key derivation is not PBKDF2 (unsupported)");
        goto out;
    }
    kdf = kdf_alg->parameter ? ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM), kdf_alg->parameter)
                             : NULL;
    if (!kdf || !kdf->salt || kdf->salt->type != V_ASN1_OCTET_STRING ||
        !ASN1_INTEGER_get_uint64(&iter, kdf->iter)) {
        s = jks_fail(err, JKS_ERR_FORMAT, -1, "malformed PBMAC1 PBKDF2 parameters");
        goto out;
    }
    /* RFC 9579 makes keyLength mandatory; a short key lets anyone forge the
     * MAC by trying every key, whatever the password. */
    if (!kdf->keylength) {
        s = jks_fail(err, JKS_ERR_FORMAT, -1,
                     "PBMAC1 PBKDF2 parameters lack keyLength (required by RFC 9579): refusing the MAC");
        goto out;
    }
    key_len = ASN1_INTEGER_get(kdf->keylength);
    if (key_len < PBMAC1_MIN_KEY) {
        s = jks_fail(err, JKS_ERR_FORMAT, -1,
                     "PBMAC1 keyLength %ld is below %d bytes: refusing a forgeable MAC", key_len,
                     PBMAC1_MIN_KEY);
        goto out;
    }
    if (key_len > PBMAC1_MAX_KEY) {
        s = jks_fail(err, JKS_ERR_FORMAT, -1, "PBMAC1 keyLength %ld is too large", key_len);
        goto out;
    }
    if (iter < 1 || iter > max_iter) {
        s = jks_fail(err, JKS_ERR_FORMAT, -1, "PBMAC1 iteration count %llu is outside 1..%u",
                     (unsigned long long)iter, max_iter);
        goto out;
    }
    const EVP_MD *kdf_md = prf_md(kdf->prf);
    const EVP_MD *mac_md = prf_md(scheme);
    if (!kdf_md || !mac_md) {
        s = jks_fail(err, JKS_ERR_FORMAT, -1, "PBMAC1 with an unsupported PRF or HMAC algorithm");
        goto out;
    }
    snprintf(alg, alg_len, "pbmac1-hmac-%s", OBJ_nid2sn(EVP_MD_get_type(mac_md)));
    for (char *c = alg; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    *iterations = (uint32_t)iter;
    if (!password) { /* caller only wants the facts */
        s = JKS_OK;
        goto out;
    }
    if ((s = jks_work_charge(work, jks_kdf_work(kdf_md, iter, (size_t)key_len), err)) != JKS_OK)
        goto out;
    const ASN1_OCTET_STRING *salt = kdf->salt->value.octet_string;
    if (!PKCS5_PBKDF2_HMAC(password, (int)strlen(password), ASN1_STRING_get0_data(salt),
                           ASN1_STRING_length(salt), (int)iter, kdf_md, (int)key_len, key) ||
        !HMAC(mac_md, key, (int)key_len, content, content_len, out, &out_len)) {
        s = jks_fail(err, JKS_ERR_IO, -1, "PBMAC1 computation failed");
        goto out;
    }
    if ((int)out_len != ASN1_STRING_length(mac) ||
        CRYPTO_memcmp(out, ASN1_STRING_get0_data(mac), out_len) != 0)
        s = JKS_ERR_PASSWORD;
    else
        s = JKS_OK;
out:
    OPENSSL_cleanse(key, sizeof(key));
    OPENSSL_cleanse(out, sizeof(out));
    PBKDF2PARAM_free(kdf);
    sk_X509_ALGOR_pop_free(parts, X509_ALGOR_free);
    return s;
}
