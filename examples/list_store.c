/* List a keystore as a library user would: alias, kind, creation date,
 * chain length and each certificate's SHA-256 fingerprint.
 *   cc list_store.c $(pkg-config --cflags --libs libjks) -o list_store
 *   ./list_store client.jks changeit */
#define _POSIX_C_SOURCE 200809L /* gmtime_r */
#include <jks/jks.h>

#include <stdio.h>
#include <time.h>

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s KEYSTORE [STOREPASS]\n", argv[0]);
        return 2;
    }
    jks_read_opts opts = JKS_READ_OPTS_INIT;
    opts.storepass = argc == 3 ? argv[2] : NULL; /* NULL: no integrity check */

    jks_store *st;
    jks_error err;
    if (jks_store_read_file(argv[1], &opts, &st, &err) != JKS_OK) {
        char line[512];
        fprintf(stderr, "%s: %s\n", argv[1], jks_error_format(&err, line, sizeof line));
        return (int)err.status; /* the status classes double as exit codes */
    }
    printf("%s: %s, %zu entries, integrity %s\n", argv[1], jks_format_name(jks_store_format(st)),
           jks_store_count(st),
           jks_store_integrity(st) == JKS_INTEGRITY_VERIFIED ? "verified" : "not checked");
    for (size_t i = 0; i < jks_store_count(st); i++) {
        const jks_entry *e = jks_store_entry(st, i); /* borrowed from st */
        int64_t ms;
        char when[32] = "-";
        if (jks_entry_created(e, &ms)) {
            time_t t = (time_t)(ms / 1000);
            struct tm tm;
            strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
        }
        printf("%s\t%s\t%s\t%zu\n", jks_entry_alias(e), jks_entry_kind_name(jks_entry_kind_of(e)),
               when, jks_entry_chain_len(e));
        for (size_t k = 0; k < jks_entry_chain_len(e); k++) {
            jks_bytes der = jks_entry_cert(e, k); /* DER view, valid until jks_store_free */
            char sha256[65];
            jks_sha256_hex(der.data, der.len, sha256);
            printf("\tcert %zu sha256 %s\n", k, sha256);
        }
    }
    jks_store_free(st); /* wipes every key it holds */
    return 0;
}
