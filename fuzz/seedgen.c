/* Seed helper for fuzz/make-seeds.sh (not a fuzz target).
 *   seedgen reencode IN OUT PASSWORD   read a keystore and write it again in
 *                                      its own format with fresh protection
 *                                      (built against a library copy whose
 *                                      JCEKS and BCFKS iteration counts are
 *                                      lowered)
 *   seedgen secretkey OUTDIR           inner SecretKeySpec/KeyRep streams
 *   seedgen sealed IN OUTDIR           the sealed-object streams of a JCEKS */
#include "javaser.h"
#include "jks/jks.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int put(const char *path, const uint8_t *d, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(d, 1, n, f) != n) {
        perror(path);
        return 1;
    }
    return fclose(f) != 0;
}

int main(int argc, char **argv)
{
    jks_error err;
    char line[512];
    if (argc == 5 && !strcmp(argv[1], "reencode")) {
        jks_read_opts ro;
        jks_store *st;
        memset(&ro, 0, sizeof(ro));
        ro.storepass = argv[4];
        if (jks_store_read_file(argv[2], &ro, &st, &err)) {
            fprintf(stderr, "%s: %s\n", argv[2], jks_error_format(&err, line, sizeof(line)));
            return 1;
        }
        st->bcfks_iterations = 0; /* BCFKS: the (lowered) default count, not the file's */
        jks_write_opts wo;
        memset(&wo, 0, sizeof(wo));
        wo.format = jks_store_format(st);
        wo.storepass = argv[4];
        uint8_t *out;
        size_t out_len;
        if (jks_store_write(st, &wo, &out, &out_len, &err)) {
            fprintf(stderr, "%s: %s\n", argv[2], jks_error_format(&err, line, sizeof(line)));
            return 1;
        }
        int r = put(argv[3], out, out_len);
        jks_buffer_free(out, out_len);
        jks_store_free(st);
        return r;
    }
    if (argc == 3 && !strcmp(argv[1], "secretkey")) {
        static const char *algs[] = {"AES", "DESede", "HmacSHA256"};
        static const uint8_t key[24] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                                        13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24};
        for (int i = 0; i < 3; i++) {
            uint8_t *out;
            size_t n;
            char path[4096];
            if (!jks_secretkey_build(algs[i], key, i == 1 ? 24 : 16, &out, &n))
                return 1;
            snprintf(path, sizeof(path), "%s/inner-%s", argv[2], algs[i]);
            if (put(path, out, n))
                return 1;
            free(out);
        }
        return 0;
    }
    if (argc == 4 && !strcmp(argv[1], "sealed")) {
        jks_read_opts ro;
        jks_store *st;
        memset(&ro, 0, sizeof(ro));
        ro.no_decrypt = 1;
        if (jks_store_read_file(argv[2], &ro, &st, &err))
            return 1;
        for (size_t i = 0; i < jks_store_count(st); i++) {
            const jks_entry *e = jks_store_entry(st, i);
            char path[4096];
            if (jks_entry_kind_of(e) != JKS_ENTRY_SECRET_KEY)
                continue;
            jks_bytes b = jks_entry_protected_key(e);
            const char *base = strrchr(argv[2], '/');
            snprintf(path, sizeof(path), "%s/sealed-%s-%zu", argv[3], base ? base + 1 : argv[2], i);
            if (put(path, b.data, b.len))
                return 1;
        }
        jks_store_free(st);
        return 0;
    }
    fprintf(stderr, "usage: seedgen reencode IN OUT PW | secretkey DIR | sealed IN DIR\n");
    return 2;
}
