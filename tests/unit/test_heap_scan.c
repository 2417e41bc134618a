/* CUnit suite "heap_scan": after a store holding an RSA key is read,
 * decrypted, described, written as PKCS#12 and PEM and freed, no part of the
 * key's prime p is left in the process's heap (issue 20 item 1: key material
 * must not linger in freed memory). The prime is computed in a child process
 * and handed over masked, so the test holds no copy of it; every readable,
 * writable anonymous mapping and [heap] is searched for any 24-byte window of
 * it. */
#include "jks/jks.h"
#include "testutil.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MASK 0xA5
#define WIN 24

static uint8_t g_masked[512]; /* the prime, each byte ^ MASK */
static size_t g_len;

static const char *vector(const char *name, char *buf, size_t n)
{
    const char *dir = getenv("JKS_VECTORS") ? getenv("JKS_VECTORS") : "vectors";
    snprintf(buf, n, "%s/files/%s", dir, name);
    return buf;
}

/* In a child: read the store, take p out of the key, write it masked. */
static int masked_prime(const char *path)
{
    int fd[2];
    if (pipe(fd) != 0)
        return 0;
    pid_t pid = fork();
    if (pid == 0) {
        jks_store *st = NULL;
        jks_error err;
        jks_read_opts o = JKS_READ_OPTS_INIT;
        o.storepass = "changeit";
        uint8_t out[512];
        size_t n = 0;
        if (jks_store_read_file(path, &o, &st, &err) == JKS_OK) {
            jks_bytes p8 = jks_entry_pkcs8(jks_store_entry(st, 0));
            const unsigned char *q = p8.data;
            PKCS8_PRIV_KEY_INFO *pi = d2i_PKCS8_PRIV_KEY_INFO(NULL, &q, (long)p8.len);
            EVP_PKEY *k = pi ? EVP_PKCS82PKEY(pi) : NULL;
            BIGNUM *p = NULL;
            if (k && EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_FACTOR1, &p))
                n = (size_t)BN_bn2bin(p, out);
            for (size_t i = 0; i < n; i++)
                out[i] ^= MASK;
        }
        if (write(fd[1], out, n) != (ssize_t)n)
            _exit(1);
        _exit(0);
    }
    close(fd[1]);
    ssize_t r = read(fd[0], g_masked, sizeof(g_masked));
    close(fd[0]);
    waitpid(pid, NULL, 0);
    g_len = r > 0 ? (size_t)r : 0;
    return g_len >= 64;
}

/* Does [p, p+n) hold any WIN-byte window of the prime? A plain loop, not
 * memmem, and not instrumented: under AddressSanitizer the scan reads
 * redzones and freed (quarantined) chunks on purpose. */
#if defined(__clang__) || defined(__GNUC__)
__attribute__((no_sanitize("address")))
#endif
static int holds_prime(const uint8_t *p, size_t n)
{
    for (size_t w = 0; w + WIN <= g_len; w += WIN) {
        uint8_t b0 = g_masked[w] ^ MASK;
        for (size_t i = 0; i + WIN <= n; i++) {
            if (p[i] != b0)
                continue;
            size_t k = 1;
            while (k < WIN && p[i + k] == (uint8_t)(g_masked[w + k] ^ MASK))
                k++;
            if (k == WIN)
                return 1;
        }
    }
    return 0;
}

/* Search [heap] and the anonymous read-write mappings. */
static int heap_holds_prime(void)
{
    FILE *m = fopen("/proc/self/maps", "r");
    char line[512];
    int found = 0;
    while (m && fgets(line, sizeof(line), m)) {
        unsigned long lo, hi;
        char perms[8], path[256] = "";
        if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %255s", &lo, &hi, perms, path) < 3)
            continue;
        if (perms[0] != 'r' || perms[1] != 'w')
            continue;
        if (path[0] && strcmp(path, "[heap]"))
            continue; /* files, stack, vdso */
        if (hi - lo > ((unsigned long)256 << 20))
            continue; /* a sanitizer's shadow reservation, not an allocation */
        if (holds_prime((const uint8_t *)lo, hi - lo)) {
            fprintf(stderr, "\n  prime found in %s", line);
            found = 1;
        }
    }
    if (m)
        fclose(m);
    return found;
}

/* Read the store (keys decrypted), do one thing with it, free it: op 0
 * nothing, 1 key facts, 2..5 write PKCS#12, PEM, JCEKS, JKS. */
static int after(int op, const char *path)
{
    jks_store *st = NULL;
    jks_error err;
    jks_read_opts o = JKS_READ_OPTS_INIT;
    o.storepass = "changeit";
    if (jks_store_read_file(path, &o, &st, &err) != JKS_OK)
        return -1;
    jks_bytes p8 = jks_entry_pkcs8(jks_store_entry(st, 0));
    int ok = p8.len > 0;
    if (op == 0)
        ok = ok && heap_holds_prime(); /* the control: found while the store lives */
    if (op == 1) {
        jks_key_info ki;
        ok = ok && jks_key_info_get(p8.data, p8.len, &ki) == JKS_OK;
    }
    if (op >= 2) {
        static const jks_format f[] = {JKS_FORMAT_PKCS12, JKS_FORMAT_PEM, JKS_FORMAT_JCEKS,
                                       JKS_FORMAT_JKS};
        jks_write_opts w = JKS_WRITE_OPTS_INIT;
        w.format = f[op - 2];
        w.storepass = "changeit";
        uint8_t *out = NULL;
        size_t n = 0;
        ok = ok && jks_store_write(st, &w, &out, &n, &err) == JKS_OK;
        jks_free(out); /* wipes: the PEM holds the key in clear */
    }
    jks_store_free(st);
    if (!ok)
        return -1;
    return heap_holds_prime();
}

static void test_no_prime_after_free(void)
{
    static const char *what[] = {"read", "key facts", "write PKCS#12", "write PEM",
                                 "write JCEKS", "write JKS"};
    char path[512];
    vector("jks-rsa2048.jks", path, sizeof(path));
    CU_ASSERT_FATAL(masked_prime(path));
    CU_ASSERT_FALSE(heap_holds_prime()); /* nothing yet */
    for (int op = 0; op < 6; op++) {
        int r = after(op, path);
        if (r)
            fprintf(stderr, "\n  after %s and free: %s", what[op],
                    r < 0 ? "the operation failed" : "the prime is still in memory");
        CU_ASSERT_EQUAL(r, 0);
    }
}

int main(void)
{
    /* as jkstool does: OpenSSL 3.0's key decoders free copies of the key
     * without wiping them; this is the application's switch for that */
    if (!jks_openssl_wipe_on_free())
        return 2;
    static const test_case cases[] = {
        {"no key prime in the heap after read, decrypt, write, free", test_no_prime_after_free},
    };
    return run_suite("heap_scan", cases, sizeof(cases) / sizeof(cases[0]));
}
