/* Adding a CA bundle to a truststore (each certificate a trusted entry named
 * from its CN, duplicates skipped), and reading several PEM inputs as one
 * store (a key file and its chain file). */
#include "cert.h"
#include "error.h"
#include "store.h"
#include "jks/ops.h"

#include <stdlib.h>
#include <string.h>

static int same_der(jks_bytes a, jks_bytes b)
{
    return a.len == b.len && !memcmp(a.data, b.data, a.len);
}

/* The trusted entry of st holding der, or NULL. */
static const jks_entry *trusted_holding(const jks_store *st, jks_bytes der)
{
    for (size_t i = 0; i < st->n; i++) {
        const jks_entry *e = st->entries[i];
        if (e->kind == JKS_ENTRY_TRUSTED_CERT && e->n_chain && same_der(e->chain[0], der))
            return e;
    }
    return NULL;
}

jks_status jks_store_add_ca_bundle(jks_store *st, const jks_bytes *certs, size_t n,
                                   int64_t created_ms, jks_bundle_item *items, jks_error *err)
{
    if (!st || (n && !certs))
        return jks_fail(err, JKS_ERR_USAGE, -1, "no store or no certificates");
    size_t *where = calloc(n ? n : 1, sizeof(*where)); /* the entry holding certs[i] */
    unsigned char *added = calloc(n ? n : 1, 1);
    if (!where || !added) {
        free(where);
        free(added);
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    }
    jks_status s = JKS_OK;
    for (size_t i = 0; i < n && s == JKS_OK; i++) {
        const jks_entry *old = trusted_holding(st, certs[i]);
        if (old) {
            where[i] = jks_store_index_of(st, old);
            continue;
        }
        if (!jks_cert_der_shaped(certs[i], NULL)) {
            s = jks_fail(err, JKS_ERR_FORMAT, -1, "certificate %zu of the bundle does not parse",
                         i + 1);
            break;
        }
        char *cn = jks_cert_name_base(certs[i]);
        char *low = jks_alias_java_lower(cn && *cn ? cn : "ca");
        char *alias = low ? jks_store_unique_java_alias(st, low) : NULL;
        if (!alias)
            s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        else
            s = jks_store_add_trusted_cert(st, alias, created_ms, certs[i].data, certs[i].len,
                                           err);
        if (s == JKS_OK) {
            where[i] = st->n - 1;
            added[i] = 1;
        }
        free(cn);
        free(low);
        free(alias);
    }
    /* aliases are looked up once every entry is in: views stay valid */
    for (size_t i = 0; s == JKS_OK && items && i < n; i++) {
        items[i].added = added[i];
        items[i].alias = st->entries[where[i]]->alias;
    }
    free(where);
    free(added);
    return s;
}

jks_status jks_store_read_parts(const jks_bytes *parts, size_t n, const jks_read_opts *opts,
                                size_t *bad_part, jks_store **out, jks_error *err)
{
    if (bad_part)
        *bad_part = SIZE_MAX;
    if (!parts || !n || !out)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no input");
    if (n == 1)
        return jks_store_read(parts[0].data, parts[0].len, opts, out, err);
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        /* PEM text only: binary stores and DER cannot be joined */
        int pem = memchr(parts[i].data, 0, parts[i].len) == NULL;
        if (!pem || !memmem(parts[i].data, parts[i].len, "-----BEGIN ", 11)) {
            if (bad_part)
                *bad_part = i;
            return jks_fail(err, JKS_ERR_USAGE, -1,
                            "several inputs are read as one PEM store, and input %zu is not PEM "
                            "text",
                            i + 1);
        }
        total += parts[i].len + 1;
        if (total > JKS_MAX_FILE_SIZE)
            return jks_fail(err, JKS_ERR_FORMAT, -1,
                            "inputs too large together (more than %zu bytes)",
                            (size_t)JKS_MAX_FILE_SIZE);
    }
    uint8_t *joined = malloc(total);
    if (!joined)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(joined + off, parts[i].data, parts[i].len);
        off += parts[i].len;
        joined[off++] = '\n';
    }
    jks_read_opts o = opts ? *opts : (jks_read_opts)JKS_READ_OPTS_INIT;
    o.force_format = JKS_FORMAT_PEM;
    jks_status s = jks_store_read(joined, off, &o, out, err);
    jks_buffer_free(joined, off); /* may hold keys: wiped */
    return s;
}
