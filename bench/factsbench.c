/* bench/factsbench: in-process cost of reading a store and decoding every
 * certificate's facts, against one SHA-1 of the file's bytes (the floor).
 *   usage: factsbench STORE PASSWORD [ROUNDS]
 * Prints medians in microseconds: sha1, read, read+facts
 * (jks_cert_facts_get_ex with JKS_FACTS_NO_FINGERPRINTS: every fact, no
 * hash of the certificate), read+facts-fp (jks_cert_facts_get: the facts and
 * the SHA-1, SHA-256 and SPKI SHA-256 fingerprints), read+info
 * (jks_cert_info_get: also verifies the self-signature of self-issued
 * certificates), and the ratios read+facts / sha1 ("ratio X") and
 * read+facts-fp / sha1 ("ratio-fp X"). */
#include "jks/jks.h"

#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return v[n / 2];
}

static size_t g_certs;

/* mode 0: read only, 1: + facts without fingerprints, 2: + info, 3: + facts */
static void one(const uint8_t *d, size_t n, const char *pw, int mode)
{
    jks_read_opts o = JKS_READ_OPTS_INIT;
    jks_store *st = NULL;
    jks_error err;
    o.storepass = pw;
    if (jks_store_read(d, n, &o, &st, &err) != JKS_OK) {
        fprintf(stderr, "read: %s\n", err.msg);
        exit(1);
    }
    g_certs = 0;
    for (size_t i = 0; mode && i < jks_store_count(st); i++) {
        const jks_entry *e = jks_store_entry(st, i);
        for (size_t k = 0; k < jks_entry_chain_len(e); k++) {
            jks_bytes c = jks_entry_cert(e, k);
            jks_cert_info ci;
            jks_status s = mode == 1   ? jks_cert_facts_get_ex(c.data, c.len, JKS_FACTS_NO_FINGERPRINTS, &ci)
                           : mode == 3 ? jks_cert_facts_get(c.data, c.len, &ci)
                                       : jks_cert_info_get(c.data, c.len, &ci);
            if (s != JKS_OK)
                exit(1);
            g_certs++;
        }
    }
    jks_store_free(st);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: factsbench STORE PASSWORD [ROUNDS]\n");
        return 2;
    }
    int rounds = argc > 3 ? atoi(argv[3]) : 101;
    FILE *f = fopen(argv[1], "rb");
    if (!f)
        return 1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *d = malloc((size_t)n);
    if (!d || fread(d, 1, (size_t)n, f) != (size_t)n)
        return 1;
    fclose(f);
    double *t[5];
    for (int m = 0; m < 5; m++)
        t[m] = calloc((size_t)rounds, sizeof(double));
    unsigned char md[20];
    /* warm-up */
    SHA1(d, (size_t)n, md);
    if (getenv("FACTSBENCH_PROFILE")) { /* only read+facts (mode 1, or the value), for a profiler */
        int mode = atoi(getenv("FACTSBENCH_PROFILE"));
        for (int r = 0; r < rounds; r++)
            one(d, (size_t)n, argv[2], mode >= 0 && mode <= 3 && mode != 2 ? mode : 1);
        return 0;
    }
    one(d, (size_t)n, argv[2], 2);
    for (int r = 0; r < rounds; r++) { /* the four measures alternate */
        double a = now_us();
        SHA1(d, (size_t)n, md);
        double b = now_us();
        one(d, (size_t)n, argv[2], 0);
        double c = now_us();
        one(d, (size_t)n, argv[2], 1);
        double e = now_us();
        one(d, (size_t)n, argv[2], 3);
        double e3 = now_us();
        t[4][r] = e3 - e;
        if (r % 10 == 0 || rounds <= 20) /* info is slow: every 10th round */
            one(d, (size_t)n, argv[2], 2);
        double g = now_us();
        t[0][r] = b - a;
        t[1][r] = c - b;
        t[2][r] = e - c;
        t[3][r] = g - e3;
    }
    int ni = 0;
    for (int r = 0; r < rounds; r++)
        if (r % 10 == 0 || rounds <= 20)
            t[3][ni++] = t[3][r];
    double s = median(t[0], rounds), rd = median(t[1], rounds), fa = median(t[2], rounds),
           in = median(t[3], ni), fp = median(t[4], rounds);
    printf("certs %zu bytes %ld\n", g_certs, n);
    printf("sha1 %.1f\nread %.1f\nfacts %.1f\nfacts-fp %.1f\ninfo %.1f\n", s, rd, fa, fp, in);
    printf("per-cert-facts %.2f\n", (fa - rd) / (double)(g_certs ? g_certs : 1));
    printf("per-cert-facts-fp %.2f\n", (fp - rd) / (double)(g_certs ? g_certs : 1));
    printf("ratio-fp %.2f\n", fp / s);
    printf("ratio %.2f\n", fa / s);
    return 0;
}
