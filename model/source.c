/* Layer "model": the read-only accessors of a store's source record (what
 * the file said about itself: jks_p12_info, the store password flag) and of
 * per-entry source attributes (include/jks/source.h). The codecs fill them. */
#include "store.h"

int jks_store_storepass_given(const jks_store *st) { return st && st->has_storepass != 0; }

static int is_p12(const jks_store *st) { return st && st->format == JKS_FORMAT_PKCS12; }

int jks_store_mac_present(const jks_store *st) { return is_p12(st) && st->p12.has_mac; }

const char *jks_store_mac_algorithm(const jks_store *st)
{
    return jks_store_mac_present(st) ? st->p12.mac_alg : "";
}

uint32_t jks_store_mac_iterations(const jks_store *st)
{
    return jks_store_mac_present(st) ? st->p12.mac_iterations : 0;
}

const char *jks_store_key_encryption(const jks_store *st)
{
    return is_p12(st) ? st->p12.key_alg : "";
}

const char *jks_store_cert_encryption(const jks_store *st)
{
    return is_p12(st) ? st->p12.cert_alg : "";
}

size_t jks_store_hidden_cert_count(const jks_store *st)
{
    return is_p12(st) ? st->p12.certs_without_trust : 0;
}

size_t jks_store_private_key_count(const jks_store *st)
{
    size_t n = 0;
    for (size_t i = 0; st && i < jks_store_count(st); i++)
        n += jks_entry_kind_of(jks_store_entry(st, i)) == JKS_ENTRY_PRIVATE_KEY;
    return n;
}

jks_bytes jks_entry_local_key_id(const jks_entry *e)
{
    jks_bytes none = {NULL, 0};
    return e ? e->local_key_id : none;
}
