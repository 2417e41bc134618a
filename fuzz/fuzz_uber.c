/* Fuzz target: the BouncyCastle UBER reader (jks_store_read with
 * force_format = JKS_FORMAT_UBER): PKCS#12-KDF + Twofish-CBC decryption of
 * the whole store, the padding and SHA-1 checks, then the BKS entry parser
 * over the decrypted bytes and every accessor over the result. Input:
 * flags/password prefix, then the file (fuzz_common.h). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read_format(data, size, JKS_FORMAT_UBER);
    return 0;
}
