/* CUnit suite "ownership": a store read from a file owns its bytes
 * (include/jks/jks.h, jks_store_read_file and JKS_READ_LOW_MEMORY). A file
 * truncated or rewritten in place after the read (as Java's KeyStore.store
 * to a FileOutputStream does) changes nothing in the store and cannot make
 * an accessor fault; a pipe or device longer than the cap is refused at the
 * cap. */
#include "file.h"
#include "jks/jks.h"
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SP "changeit"
#define N_CERTS 100

static uint8_t *g_der[N_CERTS];
static size_t g_der_len[N_CERTS];
static uint8_t *g_p8;
static size_t g_p8_len;

static uint8_t *der_of(X509 *x, size_t *len)
{
    unsigned char *p = NULL;
    int n = i2d_X509(x, &p);
    uint8_t *d = n > 0 ? malloc((size_t)n) : NULL;
    if (!d)
        exit(2);
    memcpy(d, p, (size_t)n);
    OPENSSL_free(p);
    *len = (size_t)n;
    return d;
}

/* One EC key; N_CERTS self-signed certificates for it, each its own CN. */
static void fixtures(void)
{
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    PKCS8_PRIV_KEY_INFO *pi = k ? EVP_PKEY2PKCS8(k) : NULL;
    unsigned char *p = NULL;
    if (!pi)
        exit(2);
    int n = i2d_PKCS8_PRIV_KEY_INFO(pi, &p);
    g_p8 = malloc((size_t)n);
    memcpy(g_p8, p, (size_t)n);
    g_p8_len = (size_t)n;
    OPENSSL_free(p);
    PKCS8_PRIV_KEY_INFO_free(pi);
    for (int i = 0; i < N_CERTS; i++) {
        X509 *x = X509_new();
        char cn[32];
        snprintf(cn, sizeof(cn), "ownership %d", i);
        X509_set_version(x, 2);
        ASN1_INTEGER_set(X509_get_serialNumber(x), 1000 + i);
        X509_gmtime_adj(X509_getm_notBefore(x), 0);
        X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 30);
        X509_NAME *nm = X509_get_subject_name(x);
        X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1,
                                   0);
        X509_set_issuer_name(x, nm);
        X509_set_pubkey(x, k);
        if (!X509_sign(x, k, EVP_sha256()))
            exit(2);
        g_der[i] = der_of(x, &g_der_len[i]);
        X509_free(x);
    }
    EVP_PKEY_free(k);
}

/* A store of N_CERTS trusted certificates plus one private key whose chain
 * is the first two of them (a protected key and a chain to own as well), in
 * format f, written to a new temporary file whose name goes to path. */
static int write_store_file(jks_format f, char *path)
{
    jks_store *st = jks_store_new(f);
    jks_error err;
    jks_bytes chain[2] = {{g_der[0], g_der_len[0]}, {g_der[1], g_der_len[1]}};
    int ok = st != NULL;
    for (int i = 0; ok && i < N_CERTS; i++) {
        char alias[32];
        snprintf(alias, sizeof(alias), "cert-%03d", i);
        ok = jks_store_add_trusted_cert(st, alias, 1700000000000LL + i, g_der[i], g_der_len[i],
                                        &err) == JKS_OK;
    }
    ok = ok && jks_store_add_private_key(st, "key", 1700000000000LL, g_p8, g_p8_len, chain, 2,
                                         &err) == JKS_OK;
    if (ok && f == JKS_FORMAT_JCEKS) {
        static const uint8_t aes[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        ok = jks_store_add_secret_key(st, "secret", 1700000000000LL, "AES", aes, sizeof(aes),
                                      &err) == JKS_OK;
    }
    jks_write_opts wo;
    memset(&wo, 0, sizeof(wo));
    wo.format = f;
    wo.storepass = SP;
    uint8_t *out = NULL;
    size_t out_len = 0;
    ok = ok && jks_store_write(st, &wo, &out, &out_len, &err) == JKS_OK;
    jks_store_free(st);
    strcpy(path, "/tmp/jks-ownership-XXXXXX");
    int fd = ok ? mkstemp(path) : -1;
    ok = fd >= 0 && write(fd, out, out_len) == (ssize_t)out_len;
    if (fd >= 0)
        close(fd);
    jks_buffer_free(out, out_len);
    return ok;
}

/* SHA-256 over everything an accessor hands out: aliases, kinds, every
 * certificate, protected keys, decrypted keys. Touching every byte is the
 * point: a view into a truncated mapping would fault here. */
static void store_digest(const jks_store *st, unsigned char out[32], size_t *n_certs)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    unsigned int len = 0;
    *n_certs = 0;
    EVP_DigestInit_ex(c, EVP_sha256(), NULL);
    for (size_t i = 0; i < jks_store_count(st); i++) {
        const jks_entry *e = jks_store_entry(st, i);
        jks_entry_kind k = jks_entry_kind_of(e);
        const char *a = jks_entry_alias(e);
        EVP_DigestUpdate(c, a, strlen(a) + 1);
        EVP_DigestUpdate(c, &k, sizeof(k));
        for (size_t j = 0; j < jks_entry_chain_len(e); j++, (*n_certs)++) {
            jks_bytes b = jks_entry_cert(e, j);
            jks_cert_info info;
            EVP_DigestUpdate(c, b.data, b.len);
            CU_ASSERT_EQUAL(jks_cert_info_get(b.data, b.len, &info), JKS_OK);
        }
        jks_bytes pk = jks_entry_protected_key(e), p8 = jks_entry_pkcs8(e),
                  sk = jks_entry_secret(e);
        EVP_DigestUpdate(c, pk.data, pk.len);
        EVP_DigestUpdate(c, p8.data, p8.len);
        EVP_DigestUpdate(c, sk.data, sk.len);
    }
    EVP_DigestFinal_ex(c, out, &len);
    EVP_MD_CTX_free(c);
}

enum damage { TRUNCATE, REWRITE };

/* Read path with flags, digest, damage the file, digest again (no crash,
 * same digests), and write the store out again keeping the stored key
 * bytes: the protected keys the store kept are still whole. */
static void read_then_damage(jks_format f, unsigned flags, enum damage how)
{
    char path[64];
    jks_store *st = NULL;
    jks_error err;
    jks_read_opts ro;
    unsigned char before[32], after[32];
    size_t n_before = 0, n_after = 0;
    CU_ASSERT_FATAL(write_store_file(f, path));
    memset(&ro, 0, sizeof(ro));
    ro.storepass = SP;
    ro.flags = flags;
    CU_ASSERT_EQUAL_FATAL(jks_store_read_file(path, &ro, &st, &err), JKS_OK);
    store_digest(st, before, &n_before);
    if (f == JKS_FORMAT_JKS || f == JKS_FORMAT_JCEKS) {
        CU_ASSERT_EQUAL(jks_store_count(st), N_CERTS + 1 + (f == JKS_FORMAT_JCEKS));
        CU_ASSERT_EQUAL(n_before, N_CERTS + 2);
    }
    CU_ASSERT(n_before >= N_CERTS);
    if (how == TRUNCATE) {
        CU_ASSERT_FATAL(truncate(path, 0) == 0);
    } else { /* in place, as FileOutputStream: same inode, truncated, new bytes */
        int fd = open(path, O_WRONLY | O_TRUNC);
        static uint8_t junk[4096];
        memset(junk, 0xA5, sizeof(junk));
        CU_ASSERT_FATAL(fd >= 0);
        for (int i = 0; i < 8; i++)
            CU_ASSERT(write(fd, junk, sizeof(junk)) == (ssize_t)sizeof(junk));
        close(fd);
    }
    jks_store_release_memory(st); /* valid, and nothing to give back */
    store_digest(st, after, &n_after);
    CU_ASSERT_EQUAL(n_after, n_before);
    CU_ASSERT_EQUAL(memcmp(before, after, sizeof(before)), 0);
    CU_ASSERT_EQUAL(jks_entry_key_state(jks_store_find(st, "key")), JKS_KEY_DECRYPTED);

    jks_write_opts wo;
    uint8_t *out = NULL;
    size_t out_len = 0;
    jks_store *back = NULL;
    memset(&wo, 0, sizeof(wo));
    wo.storepass = SP;
    wo.keep_encryption = 1;
    CU_ASSERT_EQUAL(jks_store_write(st, &wo, &out, &out_len, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_read(out, out_len, &ro, &back, &err), JKS_OK);
    if (back) {
        store_digest(back, after, &n_after);
        CU_ASSERT_EQUAL(memcmp(before, after, sizeof(before)), 0);
    }
    jks_store_free(back);
    jks_buffer_free(out, out_len);
    jks_store_free(st);
    unlink(path);
}

static void test_jks_default_truncated(void) { read_then_damage(JKS_FORMAT_JKS, 0, TRUNCATE); }
static void test_jks_default_rewritten(void) { read_then_damage(JKS_FORMAT_JKS, 0, REWRITE); }
static void test_jks_low_memory_truncated(void)
{
    read_then_damage(JKS_FORMAT_JKS, JKS_READ_LOW_MEMORY, TRUNCATE);
}
static void test_jks_low_memory_rewritten(void)
{
    read_then_damage(JKS_FORMAT_JKS, JKS_READ_LOW_MEMORY, REWRITE);
}
static void test_jceks_low_memory_truncated(void)
{
    read_then_damage(JKS_FORMAT_JCEKS, JKS_READ_LOW_MEMORY, TRUNCATE);
}
static void test_p12_low_memory_truncated(void)
{
    read_then_damage(JKS_FORMAT_PKCS12, JKS_READ_LOW_MEMORY, TRUNCATE);
}
static void test_pem_default_rewritten(void) { read_then_damage(JKS_FORMAT_PEM, 0, REWRITE); }

/* The low-memory reader's guard: a mapped file whose size changed since it
 * was mapped is reported, not trusted. */
static void test_mapping_change_detected(void)
{
    char path[64];
    jks_file_mapping m;
    uint8_t *p = NULL;
    size_t len = 0;
    jks_error err;
    CU_ASSERT_FATAL(write_store_file(JKS_FORMAT_JKS, path));
    CU_ASSERT_EQUAL_FATAL(jks_file_map(path, &m, &p, &len, &err), JKS_OK);
    CU_ASSERT(m.mapped);
    CU_ASSERT_EQUAL(jks_file_map_unchanged(&m, &err), JKS_OK);
    int fd = open(path, O_WRONLY | O_APPEND);
    CU_ASSERT(fd >= 0 && write(fd, "x", 1) == 1);
    if (fd >= 0)
        close(fd);
    jks_error_clear(&err);
    CU_ASSERT_EQUAL(jks_file_map_unchanged(&m, &err), JKS_ERR_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "changed while it was being read"));
    jks_file_unmap(&m, p, len);
    CU_ASSERT_EQUAL(m.fd, -1);
    unlink(path);
}

static double cpu_now(void) { return (double)clock() / CLOCKS_PER_SEC; }

/* A device that never ends: refused with the cap error once the cap is
 * passed, never read beyond it (with a small cap, and with the real one
 * through the public call). */
static void test_endless_device_refused_at_cap(void)
{
    uint8_t *buf = (uint8_t *)"untouched";
    size_t len = 7;
    jks_error err;
    jks_store *st = (jks_store *)&err;
    jks_read_opts ro;
    double t0 = cpu_now();
    CU_ASSERT_EQUAL(jks_file_read_limit("/dev/zero", (size_t)1 << 20, &buf, &len, &err),
                    JKS_ERR_FORMAT);
    CU_ASSERT_PTR_NULL(buf);
    CU_ASSERT_EQUAL(len, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "file too large (more than 1048576 bytes)"));
    CU_ASSERT(cpu_now() - t0 < 0.5);
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    /* a sanitizer makes 1 GiB of reallocation take half a minute; the
     * small cap above proved the same code */
    (void)ro;
    (void)st;
    return;
#endif
    memset(&ro, 0, sizeof(ro));
    jks_error_clear(&err);
    t0 = cpu_now();
    CU_ASSERT_EQUAL(jks_store_read_file("/dev/zero", &ro, &st, &err), JKS_ERR_FORMAT);
    CU_ASSERT_PTR_NULL(st);
    char want[64];
    snprintf(want, sizeof(want), "more than %zu bytes", (size_t)JKS_MAX_FILE_SIZE);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, want));
    CU_ASSERT(cpu_now() - t0 < 10.0); /* 1 GiB read once, not more */
}

/* A FIFO whose writer sends more than the cap: refused at the cap while the
 * writer still has bytes to send (it dies of SIGPIPE, not of having sent
 * them all). */
static void test_fifo_over_cap_refused(void)
{
    char dir[] = "/tmp/jks-fifo-XXXXXX", path[64];
    uint8_t *buf = NULL;
    size_t len = 0;
    jks_error err;
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/fifo", dir);
    CU_ASSERT_FATAL(mkfifo(path, 0600) == 0);
    pid_t pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) { /* 64 MiB for a 256 KiB cap */
        static uint8_t chunk[65536];
        int fd = open(path, O_WRONLY);
        signal(SIGPIPE, SIG_DFL);
        for (int i = 0; fd >= 0 && i < 1024; i++)
            if (write(fd, chunk, sizeof(chunk)) != (ssize_t)sizeof(chunk))
                _exit(3);
        _exit(0);
    }
    CU_ASSERT_EQUAL(jks_file_read_limit(path, (size_t)256 << 10, &buf, &len, &err),
                    JKS_ERR_FORMAT);
    CU_ASSERT_PTR_NULL(buf);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "file too large"));
    int ws = 0;
    CU_ASSERT(waitpid(pid, &ws, 0) == pid);
    CU_ASSERT(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGPIPE);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    static const test_case cases[] = {
        {"JKS read, file truncated to 0: same bytes, no fault", test_jks_default_truncated},
        {"JKS read, file rewritten in place: same bytes", test_jks_default_rewritten},
        {"JKS low-memory read, file truncated to 0: same bytes, no fault",
         test_jks_low_memory_truncated},
        {"JKS low-memory read, file rewritten in place: same bytes",
         test_jks_low_memory_rewritten},
        {"JCEKS low-memory read (secret key too), file truncated", test_jceks_low_memory_truncated},
        {"PKCS#12 with the low-memory flag, file truncated", test_p12_low_memory_truncated},
        {"PEM read, file rewritten in place", test_pem_default_rewritten},
        {"a mapped file that changed size is reported", test_mapping_change_detected},
        {"/dev/zero refused at the cap", test_endless_device_refused_at_cap},
        {"a FIFO longer than the cap refused at the cap", test_fifo_over_cap_refused},
    };
    signal(SIGPIPE, SIG_IGN);
    fixtures();
    int rc = run_suite("ownership", cases, sizeof(cases) / sizeof(cases[0]));
    for (int i = 0; i < N_CERTS; i++)
        free(g_der[i]);
    free(g_p8);
    return rc;
}
