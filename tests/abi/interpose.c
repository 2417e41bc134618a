/* tests/abi.sh: a program that defines functions named like libjks's
 * internal ones (with other behaviour) and reads a keystore through the
 * installed libjks.so. When the library exported its internals, the dynamic
 * linker bound the library's own calls to these and a right store password
 * was reported as wrong; with only the public ABI exported, the read
 * verifies. usage: interpose KEYSTORE PASSWORD EXPECTED_ENTRY_COUNT */
#include <jks/jks.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Same names as base/digest.h, base/error.h and model/store.h, other bodies. */
void jks_sha1_init(void *c);
void jks_sha1_update(void *c, const void *data, size_t len);
int jks_sha1_final(void *c, unsigned char *out);
int jks_fail(void *err, int status, long long offset, const char *fmt, ...);
void jks_store_decrypt_keys(void *st, const void *opts);

static int calls;
void jks_sha1_init(void *c) { (void)c; calls++; }
void jks_sha1_update(void *c, const void *data, size_t len) { (void)c; (void)data; (void)len; calls++; }
int jks_sha1_final(void *c, unsigned char *out) { (void)c; memset(out, 0, 20); calls++; return 1; }
int jks_fail(void *err, int status, long long offset, const char *fmt, ...)
{
    (void)err; (void)offset; (void)fmt; calls++;
    return status;
}
void jks_store_decrypt_keys(void *st, const void *opts) { (void)st; (void)opts; calls++; }

int main(int argc, char **argv)
{
    if (argc != 4)
        return 2;
    jks_read_opts ro = JKS_READ_OPTS_INIT;
    ro.storepass = argv[2];
    jks_store *st = NULL;
    jks_error err;
    jks_status s = jks_store_read_file(argv[1], &ro, &st, &err);
    if (s != JKS_OK) {
        char line[512];
        fprintf(stderr, "interpose: read failed (%d): %s\n", (int)s,
                jks_error_format(&err, line, sizeof line));
        return 1;
    }
    int rc = 0;
    if (jks_store_integrity(st) != JKS_INTEGRITY_VERIFIED) {
        fprintf(stderr, "interpose: integrity not verified\n");
        rc = 1;
    }
    if (jks_store_count(st) != strtoul(argv[3], NULL, 10)) {
        fprintf(stderr, "interpose: %zu entries, expected %s\n", jks_store_count(st), argv[3]);
        rc = 1;
    }
    if (calls) {
        fprintf(stderr, "interpose: the library called the program's %d look-alike function(s)\n", calls);
        rc = 1;
    }
    jks_store_free(st);
    if (!rc)
        printf("interpose: %s read with the library's own internals\n", argv[1]);
    return rc;
}
