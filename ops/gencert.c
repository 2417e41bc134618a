/* Signing a certificate request with a CA key entry (keytool -gencert): the
 * entry checks and the output here, the certificate itself in
 * cert/x509gen.c (jks_cert_issue, sharing keytool's -ext, -sigalg and
 * -validity handling with -genkeypair and -certreq). */
#include "builder.h"
#include "cert.h"
#include "error.h"
#include "store.h"
#include "jks/ops.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

static jks_gencert_ca ca_state(const jks_cert_info *ci)
{
    int cert_sign = !ci->has_key_usage || (ci->key_usage & (1u << 5));
    if (ci->version < 3 && !ci->has_basic_constraints)
        return JKS_GENCERT_IS_CA;
    if ((ci->has_basic_constraints && !ci->basic_ca) || !cert_sign)
        return JKS_GENCERT_NOT_CA;
    return ci->has_basic_constraints ? JKS_GENCERT_IS_CA : JKS_GENCERT_CA_UNMARKED;
}

/* One certificate in the output form. */
static void put_cert(jks_builder *b, jks_gencert_output form, jks_bytes der)
{
    static const char begin[] = "-----BEGIN CERTIFICATE-----\n", end[] = "-----END CERTIFICATE-----\n";
    if (form == JKS_GENCERT_DER) {
        jks_builder_bytes(b, der.data, der.len);
        return;
    }
    jks_builder_bytes(b, begin, sizeof(begin) - 1);
    for (size_t i = 0; i < der.len; i += 48) {
        size_t n = der.len - i < 48 ? der.len - i : 48;
        unsigned char line[65]; /* 64 characters and EVP_EncodeBlock's NUL */
        jks_builder_bytes(b, line, (size_t)EVP_EncodeBlock(line, der.data + i, (int)n));
        if (i + 48 < der.len && form == JKS_GENCERT_PEM_KEYTOOL)
            jks_builder_bytes(b, "\r\n", 2);
        else
            jks_builder_bytes(b, "\n", 1);
    }
    jks_builder_bytes(b, end, sizeof(end) - 1);
}

jks_status jks_store_gencert(const jks_store *st, size_t index, const uint8_t *csr,
                             size_t csr_len, const jks_gencert_opts *opts,
                             jks_gencert_result *res, uint8_t **out, size_t *out_len,
                             jks_error *err)
{
    static const jks_gencert_opts defaults = JKS_GENCERT_OPTS_INIT;
    jks_gencert_result local;
    jks_cert_info ci;
    if (!opts)
        opts = &defaults;
    if (!res)
        res = &local;
    memset(res, 0, sizeof(*res));
    if (!out || !out_len || (!csr && csr_len))
        return jks_fail(err, JKS_ERR_USAGE, -1, "no request or no place for the certificate");
    *out = NULL;
    *out_len = 0;
    if (opts->version > JKS_GENCERT_OPTS_VERSION)
        return jks_fail(err, JKS_ERR_USAGE, -1, "jks_gencert_opts version %u is newer than this library's (%u)",
                        opts->version, JKS_GENCERT_OPTS_VERSION);
    if (opts->output > JKS_GENCERT_PEM_KEYTOOL)
        return jks_fail(err, JKS_ERR_USAGE, -1, "unknown output form %d", (int)opts->output);
    const jks_entry *e = st ? jks_store_entry(st, index) : NULL;
    if (!e)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no entry %zu", index);
    const char *alias = jks_entry_alias(e);
    jks_status s = JKS_OK;
    if (jks_entry_kind_of(e) != JKS_ENTRY_PRIVATE_KEY)
        s = jks_fail(err, JKS_ERR_USAGE, -1, "a %s entry has no key to sign with",
                     jks_entry_kind_name(jks_entry_kind_of(e)));
    else if (jks_entry_key_state(e) != JKS_KEY_DECRYPTED)
        s = jks_fail(err, JKS_ERR_PASSWORD, -1, "the key is not decrypted");
    else if (!jks_entry_chain_len(e))
        s = jks_fail(err, JKS_ERR_FORMAT, -1, "the key entry has no certificate");
    jks_bytes ca = s == JKS_OK ? jks_entry_cert(e, 0) : (jks_bytes){NULL, 0};
    if (s == JKS_OK && jks_cert_facts_get(ca.data, ca.len, &ci) != JKS_OK)
        s = jks_fail(err, JKS_ERR_FORMAT, -1, "the key entry's certificate does not parse");
    if (s == JKS_OK && (res->ca = ca_state(&ci)) == JKS_GENCERT_NOT_CA && !opts->allow_non_ca)
        s = jks_fail(err, JKS_ERR_USAGE, -1, "its certificate (%.200s) is not a CA certificate: %s",
                     ci.subject,
                     ci.has_basic_constraints && !ci.basic_ca ? "basicConstraints say cA false"
                                                              : "its keyUsage lacks keyCertSign");
    if (s != JKS_OK) {
        jks_error_set_alias(err, alias);
        return s;
    }

    jks_gen_params p = JKS_GEN_PARAMS_INIT;
    p.dname = opts->dname;
    p.sigalg = opts->sigalg;
    p.exts = opts->exts;
    p.n_exts = opts->n_exts;
    p.validity_days = opts->validity_days;
    p.not_before = opts->not_before;
    uint8_t *der = NULL;
    size_t der_len = 0;
    s = jks_cert_issue(jks_entry_pkcs8(e), ca, (jks_bytes){csr, csr_len}, &p, &der, &der_len, err);
    if (s != JKS_OK) {
        jks_error_set_alias(err, alias);
        return s;
    }
    jks_builder b;
    jks_builder_init(&b, der_len * 2 + 256);
    put_cert(&b, opts->output, (jks_bytes){der, der_len});
    res->n_certs = 1;
    for (size_t i = 0; !opts->cert_only && i < jks_entry_chain_len(e); i++) {
        jks_bytes c = jks_entry_cert(e, i);
        jks_cert_info x;
        if (jks_cert_info_get(c.data, c.len, &x) == JKS_OK && x.self_signed)
            continue;
        put_cert(&b, opts->output, c);
        res->n_certs++;
    }
    if (jks_cert_info_get(der, der_len, &res->cert) != JKS_OK || !jks_builder_finish(&b, out, out_len))
        s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    jks_builder_cleanup(&b);
    jks_buffer_free(der, der_len);
    return s;
}
