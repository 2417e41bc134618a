/* Fuzz target: decode, encode, decode again, and abort when the second
 * decode differs from the first.
 *
 * Any input format is read (sniffed). A JKS or JCEKS store is written back
 * in its own format with keep_encryption (stored key bytes re-used, so the
 * round trip must be exact: aliases as Java lower-cases them, kinds,
 * creation times, certificate bytes, protected and decrypted key bytes,
 * key states, version). Any other format is converted to JKS (keys
 * re-protected with the cheap KeyProtector) and certificates and decrypted
 * PKCS#8 bytes must survive. A BKS (UBER) store is written back as BKS (UBER) with
 * keep_encryption: aliases exact (BKS keeps their case), kinds, times,
 * certificates and decrypted keys must survive (version 1 comes back as 2,
 * and a key BKS kept in plain comes back sealed). A BCFKS store is written
 * back as BCFKS with keep_encryption, checked as BKS is (the MAC's
 * iteration count kept, so only stores within FUZZ_MAX_ITERATIONS, which
 * the second read takes). Input: flags/password prefix (fuzz_common.h). */
#include "fuzz_common.h"
#include "store.h"

static void check_bytes(jks_bytes a, jks_bytes b)
{
    if (a.len != b.len || (a.len && memcmp(a.data, b.data, a.len)))
        abort();
}

static void compare(const jks_store *a, const jks_store *b, int same_format, int keys_opened,
                    int bks)
{
    if (jks_store_count(a) != jks_store_count(b))
        abort();
    if (same_format && (jks_store_format(a) != jks_store_format(b) ||
                        jks_store_version(a) != jks_store_version(b)))
        abort();
    if (jks_store_integrity(b) != JKS_INTEGRITY_VERIFIED && !bks)
        abort();
    for (size_t i = 0; i < jks_store_count(a); i++) {
        const jks_entry *x = jks_store_entry(a, i), *y = jks_store_entry(b, i);
        char *lower = jks_alias_java_lower(jks_entry_alias(x));
        if (!lower)
            abort();
        if (strcmp(bks ? jks_entry_alias(x) : lower, jks_entry_alias(y)))
            abort();
        free(lower);
        if (jks_entry_kind_of(x) != jks_entry_kind_of(y))
            abort();
        int64_t t1 = 0, t2 = 0;
        if (jks_entry_created(x, &t1) && (!jks_entry_created(y, &t2) || t1 != t2))
            abort();
        if (jks_entry_chain_len(x) != jks_entry_chain_len(y))
            abort();
        for (size_t j = 0; j < jks_entry_chain_len(x); j++)
            check_bytes(jks_entry_cert(x, j), jks_entry_cert(y, j));
        if (same_format && keys_opened) {
            if (jks_entry_key_state(x) != jks_entry_key_state(y))
                abort();
        }
        if (same_format)
            check_bytes(jks_entry_protected_key(x), jks_entry_protected_key(y));
        if (keys_opened && jks_entry_key_state(x) == JKS_KEY_DECRYPTED) {
            if (jks_entry_key_state(y) != JKS_KEY_DECRYPTED)
                abort();
            check_bytes(jks_entry_pkcs8(x), jks_entry_pkcs8(y));
            check_bytes(jks_entry_secret(x), jks_entry_secret(y));
            const char *s1 = jks_entry_secret_algorithm(x), *s2 = jks_entry_secret_algorithm(y);
            if ((s1 == NULL) != (s2 == NULL) || (s1 && strcmp(s1, s2)))
                abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in;
    jks_store *a = NULL, *b = NULL;
    jks_error err;
    uint8_t *out = NULL;
    size_t out_len = 0;
    if (!fuzz_split(data, size, &in, JKS_FORMAT_UNKNOWN))
        return 0;
    if (jks_store_read(in.data, in.len, &in.opts, &a, &err) != JKS_OK)
        return 0;
    jks_format f = jks_store_format(a);
    int same = f == JKS_FORMAT_JKS || f == JKS_FORMAT_JCEKS;
    int bks = f == JKS_FORMAT_BKS || f == JKS_FORMAT_UBER || f == JKS_FORMAT_BCFKS;
    if (f == JKS_FORMAT_BCFKS && a->bcfks_iterations > FUZZ_MAX_ITERATIONS) {
        jks_store_free(a); /* read without its password: written back, too slow to re-read */
        return 0;
    }
    jks_write_opts w;
    memset(&w, 0, sizeof(w));
    w.format = same || bks ? f : JKS_FORMAT_JKS;
    w.storepass = in.opts.storepass ? in.opts.storepass : "";
    w.keep_encryption = same || bks;
    if (jks_store_write(a, &w, &out, &out_len, &err) == JKS_OK) {
        jks_read_opts r;
        memset(&r, 0, sizeof(r));
        r.storepass = w.storepass;
        r.max_iterations = FUZZ_MAX_ITERATIONS;
        r.keypasses = in.opts.keypasses;
        r.n_keypasses = in.opts.n_keypasses;
        /* Without a store password the first time, the second read (which
         * needs one for the digest) would try different passwords on the
         * keys: then keys are not opened and only their bytes compared. */
        r.no_decrypt = in.opts.no_decrypt || !in.opts.storepass;
        jks_error_clear(&err);
        if (jks_store_read(out, out_len, &r, &b, &err) != JKS_OK) {
            char line[512];
            fprintf(stderr, "round trip: re-read failed: %s\n",
                    jks_error_format(&err, line, sizeof(line)));
            abort();
        }
        if (bks && w.storepass[0] && jks_store_integrity(b) != JKS_INTEGRITY_VERIFIED)
            abort(); /* BC checks the MAC under a non-empty password only */
        compare(a, b, same, !r.no_decrypt, bks);
        jks_store_free(b);
        jks_buffer_free(out, out_len);
    }
    jks_store_free(a);
    return 0;
}
