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
    for (size_t i = 0; st && alias && i < st->n; i++)
        if (!jks_alias_java_cmp(st->entries[i]->alias, alias))
            return st->entries[i];
    return NULL;
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
