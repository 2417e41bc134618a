/* Fuzz target: the JKS (FEEDFEED) reader, forced as JKS (jks_store_read with
 * force_format = JKS_FORMAT_JKS), then every accessor and certificate/key decoder
 * over the result. Input: flags/password prefix, then the file
 * (fuzz_common.h). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read_format(data, size, JKS_FORMAT_JKS);
    return 0;
}
