/* PEM/DER codec: placeholder until the conversion hub lands (issue 4). */
#include "store.h"

jks_status jks_pem_decode(jks_store *st, const uint8_t *data, size_t len,
                          const jks_read_opts *opts, jks_error *err)
{
    (void)st, (void)data, (void)len, (void)opts;
    return jks_fail(err, JKS_ERR_FORMAT, 0, "PEM/DER is not supported yet");
}

jks_status jks_pem_encode(const jks_store *st, const jks_write_opts *opts, uint8_t **out,
                          size_t *out_len, jks_error *err)
{
    (void)st, (void)opts, (void)out, (void)out_len;
    return jks_fail(err, JKS_ERR_USAGE, -1, "writing PEM is not supported yet");
}
