/* Fuzz target: the BouncyCastle BCFKS reader (jks_store_read with
 * force_format = JKS_FORMAT_BCFKS): the DER ObjectStore, its PBKDF2 MAC
 * parameters, the encrypted store and key parameters (PBES2, AES-CCM/KWP),
 * the object list, then every accessor over the result. Keytool's stores
 * use 51,200 PBKDF2 iterations, over the fuzz cap: seeds from them reach
 * the parameter checks; the structure past the MAC needs low-count seeds.
 * Input: flags/password prefix, then the file (fuzz_common.h). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read_format(data, size, JKS_FORMAT_BCFKS);
    return 0;
}
