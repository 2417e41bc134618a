/* Fuzz target: the PEM/DER reader (jks_store_read with
 * force_format = JKS_FORMAT_PEM), then every accessor and certificate/key decoder
 * over the result. Input: flags/password prefix, then the file
 * (fuzz_common.h). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read_format(data, size, JKS_FORMAT_PEM);
    /* the raw bytes as one DER certificate or PKCS#8 key, too */
    if (size > 1) {
        jks_cert_info ci;
        jks_key_info ki;
        (void)jks_cert_info_get(data + 1, size - 1, &ci);
        (void)jks_key_info_get(data + 1, size - 1, &ki);
        (void)jks_format_sniff(data + 1, size - 1);
    }
    return 0;
}
