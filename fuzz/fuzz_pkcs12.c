/* Fuzz target: the PKCS#12 reader (jks_store_read with
 * force_format = JKS_FORMAT_PKCS12), then every accessor and certificate/key decoder
 * over the result. Input: flags/password prefix, then the file
 * (fuzz_common.h). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read_format(data, size, JKS_FORMAT_PKCS12);
    return 0;
}
