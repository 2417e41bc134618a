/* Fuzz target: the BouncyCastle BKS reader (jks_store_read with force_format
 * = JKS_FORMAT_BKS): entries, unsealed keys, the HMAC-SHA1 check and sealed
 * keys (PBEWithSHAAnd3-KeyTripleDES-CBC), then every accessor and
 * certificate/key decoder over the result. Input: flags/password prefix,
 * then the file (fuzz_common.h). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read_format(data, size, JKS_FORMAT_BKS);
    return 0;
}
