/* Convert a JKS (or JCEKS) keystore to PKCS#12, as Java 17+ writes it.
 *   cc jks_to_p12.c $(pkg-config --cflags --libs libjks) -o jks_to_p12
 *   ./jks_to_p12 in.jks out.p12 changeit
 * Keys are opened with the store password and protected again with it. */
#include <jks/jks.h>

#include <stdio.h>

static int fail(const char *what, const jks_error *err)
{
    char line[512];
    fprintf(stderr, "%s: %s\n", what, jks_error_format(err, line, sizeof line));
    return (int)err->status;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s IN.jks OUT.p12 PASSWORD\n", argv[0]);
        return 2;
    }
    jks_read_opts ro = JKS_READ_OPTS_INIT;
    ro.storepass = argv[3];
    jks_store *st;
    jks_error err;
    if (jks_store_read_file(argv[1], &ro, &st, &err) != JKS_OK)
        return fail(argv[1], &err);

    jks_write_opts wo = JKS_WRITE_OPTS_INIT;
    wo.format = JKS_FORMAT_PKCS12;
    wo.storepass = argv[3];
    wo.p12_algorithms = JKS_P12_MODERN; /* AES-256 + HMAC-SHA256; JKS_P12_LEGACY for Java 8 */
    uint8_t *out;
    size_t n;
    jks_status s = jks_store_write(st, &wo, &out, &n, &err);
    jks_store_free(st);
    if (s != JKS_OK)
        return fail(argv[2], &err);
    /* temp file, fsync, rename; 0600 because the file holds private keys */
    s = jks_file_write_atomic(argv[2], out, n, 0600, 1, &err);
    jks_free(out); /* library memory: wiped and freed */
    if (s != JKS_OK)
        return fail(argv[2], &err);
    printf("%s: %zu bytes\n", argv[2], n);
    return 0;
}
