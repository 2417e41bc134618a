/* PKCS#12 codec: placeholder until the conversion hub lands (issue 4). */
#include "store.h"

jks_status jks_p12_decode(jks_store *st, const uint8_t *data, size_t len,
                          const jks_read_opts *opts, jks_error *err)
{
    (void)st, (void)data, (void)len, (void)opts;
    return jks_fail(err, JKS_ERR_FORMAT, 0, "PKCS#12 is not supported yet");
}

jks_status jks_p12_encode(const jks_store *st, const jks_write_opts *opts, uint8_t **out,
                          size_t *out_len, jks_error *err)
{
    (void)st, (void)opts, (void)out, (void)out_len;
    return jks_fail(err, JKS_ERR_USAGE, -1, "writing PKCS#12 is not supported yet");
}

jks_status jks_p12_secret_decrypt(jks_entry *e, const char *password, uint32_t max_iterations,
                                  jks_error *err)
{
    (void)e, (void)password, (void)max_iterations;
    return jks_fail(err, JKS_ERR_FORMAT, -1, "PKCS#12 secret keys are not supported yet");
}
