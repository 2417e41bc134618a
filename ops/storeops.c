/* Small public facts and lookups over a store for callers that see only the
 * public API (the CLI, the validator): Java's alias matching, positions,
 * distinguished names as keytool prints them. */
#include "cert.h"
#include "store.h"
#include "jks/ops.h"

#include <limits.h>
#include <openssl/x509.h>

const jks_entry *jks_store_find_java(const jks_store *st, const char *alias)
{
    return jks_store_find(st, alias); /* the one matcher, Java's rules */
}

int jks_alias_java_equal(const char *a, const char *b)
{
    return a && b && !jks_alias_java_cmp(a, b);
}

size_t jks_store_index_of(const jks_store *st, const jks_entry *e)
{
    for (size_t i = 0; st && i < st->n; i++)
        if (st->entries[i] == e)
            return i;
    return SIZE_MAX;
}

int jks_name_format(const uint8_t *der, size_t len, char *out, size_t cap)
{
    const unsigned char *p = der;
    X509_NAME *n = der && len <= (size_t)LONG_MAX ? d2i_X509_NAME(NULL, &p, (long)len) : NULL;
    if (cap)
        out[0] = 0;
    if (!n)
        return 0;
    if (cap)
        jks_name_string(n, out, cap);
    X509_NAME_free(n);
    return 1;
}

jks_status jks_store_generate_key(jks_store *st, const char *alias, const char *keyalg,
                                  unsigned bits, const jks_gen_params *p, int64_t created_ms,
                                  jks_error *err)
{
    uint8_t *key = NULL, *cert = NULL;
    size_t key_len = 0, cert_len = 0;
    jks_status s = jks_key_generate(keyalg, bits, &key, &key_len, err);
    if (s == JKS_OK)
        s = jks_cert_self_signed(key, key_len, p, &cert, &cert_len, err);
    if (s == JKS_OK) {
        jks_bytes chain = {cert, cert_len};
        s = jks_store_add_private_key(st, alias, created_ms, key, key_len, &chain, 1, err);
    }
    jks_buffer_free(key, key_len);
    jks_buffer_free(cert, cert_len);
    return s;
}
