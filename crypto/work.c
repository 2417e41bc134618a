/* The key-derivation work budget (crypto/work.h). */
#include "work.h"

#include <openssl/objects.h>
#include <openssl/x509.h>

uint64_t jks_kdf_work(const EVP_MD *md, uint64_t iter, size_t out_len)
{
    int hl = md ? EVP_MD_get_size(md) : 20;
    if (hl <= 0)
        hl = 20;
    uint64_t blocks = out_len ? (out_len + (size_t)hl - 1) / (size_t)hl : 1;
    uint64_t w = hl >= 48 ? 2 : 1;
    if (iter && blocks * w > UINT64_MAX / iter)
        return UINT64_MAX;
    return iter * blocks * w;
}

static const EVP_MD *prf_digest(const X509_ALGOR *prf)
{
    int md_nid;
    int nid = prf ? OBJ_obj2nid(prf->algorithm) : NID_hmacWithSHA1;
    if (nid == NID_undef || !EVP_PBE_find(EVP_PBE_TYPE_PRF, nid, NULL, &md_nid, NULL))
        return NULL;
    return EVP_get_digestbynid(md_nid);
}

uint64_t jks_algor_work(const X509_ALGOR *alg)
{
    uint64_t it = 0, w = 0;
    int nid = alg ? OBJ_obj2nid(alg->algorithm) : NID_undef;
    if (!alg || !alg->parameter)
        return 0;
    if (nid == NID_pbes2) {
        PBE2PARAM *p = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), alg->parameter);
        PBKDF2PARAM *k = NULL;
        if (p && p->keyfunc && OBJ_obj2nid(p->keyfunc->algorithm) == NID_id_pbkdf2 &&
            p->keyfunc->parameter)
            k = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM), p->keyfunc->parameter);
        if (k && ASN1_INTEGER_get_uint64(&it, k->iter)) {
            long kl = k->keylength ? ASN1_INTEGER_get(k->keylength) : 0;
            if (kl <= 0 && p->encryption) {
                const EVP_CIPHER *c = EVP_get_cipherbyobj(p->encryption->algorithm);
                kl = c ? EVP_CIPHER_get_key_length(c) : 32;
            }
            w = jks_kdf_work(prf_digest(k->prf), it, kl > 0 ? (size_t)kl : 32);
        }
        PBKDF2PARAM_free(k);
        PBE2PARAM_free(p);
        return w;
    }
    int cnid, mnid;
    if (!EVP_PBE_find(EVP_PBE_TYPE_OUTER, nid, &cnid, &mnid, NULL))
        return 0;
    PBEPARAM *p = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBEPARAM), alg->parameter);
    if (p && ASN1_INTEGER_get_uint64(&it, p->iter)) {
        const EVP_CIPHER *c = EVP_get_cipherbynid(cnid);
        const EVP_MD *md = EVP_get_digestbynid(mnid);
        /* key and IV are derived one after the other (PKCS#12 B.2) */
        size_t kl = c ? (size_t)EVP_CIPHER_get_key_length(c) : 24;
        size_t il = c ? (size_t)EVP_CIPHER_get_iv_length(c) : 8;
        uint64_t a = jks_kdf_work(md, it, kl), b = il ? jks_kdf_work(md, it, il) : 0;
        w = a > UINT64_MAX - b ? UINT64_MAX : a + b;
    }
    PBEPARAM_free(p);
    return w;
}

static uint64_t budget(const jks_store *st)
{
    return st->work_max ? st->work_max : JKS_DEFAULT_MAX_WORK;
}

jks_status jks_work_fail(const jks_store *st, jks_error *err)
{
    return jks_fail(err, JKS_ERR_FORMAT, -1,
                    "this file asks for more key-derivation work than allowed (%llu)",
                    (unsigned long long)budget(st));
}

jks_status jks_work_charge(jks_store *st, uint64_t units, jks_error *err)
{
    if (!st)
        return JKS_OK;
    if (st->work_over || units > budget(st) - st->work_used) {
        st->work_over = 1;
        return jks_work_fail(st, err);
    }
    st->work_used += units;
    return JKS_OK;
}
