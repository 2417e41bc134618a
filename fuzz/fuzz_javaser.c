/* Fuzz target: the Java serialization parser of JCEKS secret-key entries
 * (jks/javaser.h), called directly. The whole input goes to both entry
 * points: jks_sealed_parse (the outer SealedObjectForKeyProtector stream as
 * stored in the file) and jks_secretkey_parse (the decrypted inner
 * SecretKeySpec / KeyRep stream). No password prefix. */
#include "fuzz_common.h"
#include "javaser.h"

#include <openssl/crypto.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    jks_cursor c;
    jks_sealed sealed;
    jks_error err;
    char *alg = NULL;
    uint8_t *key = NULL;
    size_t key_len = 0;
    volatile size_t sink = 0;

    jks_error_clear(&err);
    jks_cursor_init(&c, data, size);
    if (jks_sealed_parse(&c, &sealed, &err) == JKS_OK) {
        /* the views must lie inside the input and the cursor must have moved */
        if (c.p < data || c.p > data + size || c.len != (size_t)(data + size - c.p))
            abort();
        if (sealed.params.len)
            sink += sealed.params.data[0] + sealed.params.data[sealed.params.len - 1];
        if (sealed.content.len)
            sink += sealed.content.data[0] + sealed.content.data[sealed.content.len - 1];
        sink += strlen(sealed.seal_alg) + strlen(sealed.params_alg);
    }

    jks_error_clear(&err);
    if (jks_secretkey_parse(data, size, &alg, &key, &key_len, &err) == JKS_OK) {
        sink += strlen(alg);
        if (key_len)
            sink += key[0] + key[key_len - 1];
        /* what we parse we must be able to write back */
        uint8_t *out = NULL;
        size_t out_len = 0;
        if (jks_secretkey_build(alg, key, key_len, &out, &out_len)) {
            char *alg2 = NULL;
            uint8_t *key2 = NULL;
            size_t key2_len = 0;
            if (jks_secretkey_parse(out, out_len, &alg2, &key2, &key2_len, &err) != JKS_OK ||
                strcmp(alg, alg2) || key_len != key2_len || memcmp(key, key2, key_len))
                abort();
            free(alg2);
            OPENSSL_clear_free(key2, key2_len);
            free(out);
        }
        free(alg);
        OPENSSL_clear_free(key, key_len);
    }
    (void)sink;
    return 0;
}
