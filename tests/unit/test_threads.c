/* CUnit suite "threads": the threading rule of include/jks/jks.h. Distinct
 * stores in distinct threads at once (four threads each reading the JKS,
 * JCEKS, PKCS#12 -- JDK legacy and openssl -legacy RC2-40 -- and PEM
 * vectors, each thread starting at another one, and writing each as JKS,
 * PKCS#12 and PEM), and one store shared by four threads through const
 * calls (accessors, jks_cert_info_get, jks_store_find, jks_store_write,
 * jks_check_run). Every result is compared with one computed before the
 * threads start. `make tsan-check` runs this suite under
 * ThreadSanitizer. Worker threads never call CUnit (it is not thread-safe):
 * they count mismatches, the main thread asserts on the counts. */
#include "jks/check.h"
#include "jks/jks.h"
#include "testutil.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <string.h>

#define N_WORKERS 4
#define ROUNDS 2

typedef struct {
    const char *file;
    const char *pass;
    unsigned char digest[32]; /* of aliases and certificates, single-threaded */
    size_t count;
} vector;

static vector g_vectors[] = {
    {"jks-rsa2048.jks", "changeit", {0}, 0},
    {"cacerts.jks", "changeit", {0}, 0},
    {"jceks-ec256.jceks", "changeit", {0}, 0},
    {"p12-jdk-legacy-chain3.p12", "changeit", {0}, 0},
    {"ossl-legacy.p12", "changeit", {0}, 0},
    {"pem-rsa-trad.pem", NULL, {0}, 0},
    {"pem-enc-pkcs8.pem", "changeit", {0}, 0},
};
#define N_VECTORS (sizeof(g_vectors) / sizeof(g_vectors[0]))

static char g_dir[512];

static void vector_path(const vector *v, char *out, size_t cap)
{
    snprintf(out, cap, "%s/files/%s", g_dir, v->file);
}

/* SHA-256 over the aliases, kinds and certificates of st (in order). */
static void store_digest(const jks_store *st, unsigned char out[32])
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    unsigned int len = 0;
    EVP_DigestInit_ex(c, EVP_sha256(), NULL);
    for (size_t i = 0; i < jks_store_count(st); i++) {
        const jks_entry *e = jks_store_entry(st, i);
        jks_entry_kind k = jks_entry_kind_of(e);
        const char *a = jks_entry_alias(e);
        EVP_DigestUpdate(c, a, strlen(a) + 1);
        EVP_DigestUpdate(c, &k, sizeof(k));
        for (size_t j = 0; j < jks_entry_chain_len(e); j++) {
            jks_bytes b = jks_entry_cert(e, j);
            EVP_DigestUpdate(c, b.data, b.len);
        }
    }
    EVP_DigestFinal_ex(c, out, &len);
    EVP_MD_CTX_free(c);
}

static jks_status read_vector(const vector *v, jks_store **st, jks_error *err)
{
    char path[640];
    jks_read_opts ro;
    memset(&ro, 0, sizeof(ro));
    ro.storepass = v->pass ? v->pass : "changeit"; /* tried on PEM keys too */
    vector_path(v, path, sizeof(path));
    return jks_store_read_file(path, &ro, st, err);
}

/* Write st as f and read it back: 1 when the entries and the keys that
 * were decrypted survive (count and key states; certificates compared by
 * the caller for JKS, whose aliases and order are kept). */
static int write_read_back(const jks_store *st, jks_format f, const unsigned char want[32])
{
    jks_write_opts wo;
    jks_read_opts ro;
    jks_error err;
    uint8_t *out = NULL;
    size_t out_len = 0;
    jks_store *back = NULL;
    int ok;
    memset(&wo, 0, sizeof(wo));
    memset(&ro, 0, sizeof(ro));
    wo.format = f;
    wo.storepass = "changeit";
    ro.storepass = "changeit";
    ok = jks_store_write(st, &wo, &out, &out_len, &err) == JKS_OK &&
         jks_store_read(out, out_len, &ro, &back, &err) == JKS_OK &&
         jks_store_count(back) == jks_store_count(st);
    for (size_t i = 0; ok && i < jks_store_count(st); i++) {
        const jks_entry *e = jks_store_entry(st, i);
        const jks_entry *b = jks_store_find(back, jks_entry_alias(e));
        ok = b && jks_entry_chain_len(b) == jks_entry_chain_len(e) &&
             (jks_entry_kind_of(e) == JKS_ENTRY_TRUSTED_CERT ||
              jks_entry_key_state(b) == JKS_KEY_DECRYPTED);
    }
    if (ok && want) {
        unsigned char got[32];
        store_digest(back, got);
        ok = !memcmp(got, want, 32);
    }
    jks_store_free(back);
    jks_buffer_free(out, out_len);
    return ok;
}

typedef struct {
    int id;
    const jks_store *shared;
    unsigned char shared_digest[32];
    size_t check_errors, check_warnings, check_count; /* single-threaded jks_check_run */
    size_t runs, failures;
    char first_failure[512];
} worker;

static void fail(worker *w, const char *what, const char *file)
{
    if (!w->failures++)
        snprintf(w->first_failure, sizeof(w->first_failure), "%s: %s", file, what);
}

/* Distinct stores: every vector, starting at a different one per thread. */
static void *codec_worker(void *arg)
{
    worker *w = arg;
    for (int r = 0; r < ROUNDS; r++) {
        for (size_t k = 0; k < N_VECTORS; k++) {
            const vector *v = &g_vectors[(k + (size_t)w->id) % N_VECTORS];
            jks_store *st = NULL;
            jks_error err;
            unsigned char d[32];
            w->runs++;
            if (read_vector(v, &st, &err) != JKS_OK) {
                fail(w, err.msg, v->file);
                continue;
            }
            store_digest(st, d);
            if (memcmp(d, v->digest, 32) || jks_store_count(st) != v->count)
                fail(w, "entries differ from the single-threaded read", v->file);
            /* a JKS or JCEKS store comes back with the same aliases and
             * certificates */
            jks_format f = jks_store_format(st);
            if (!write_read_back(st, JKS_FORMAT_JKS,
                                 f == JKS_FORMAT_JKS || f == JKS_FORMAT_JCEKS ? v->digest : NULL))
                fail(w, "JKS write and read back", v->file);
            if (!write_read_back(st, JKS_FORMAT_PKCS12, NULL))
                fail(w, "PKCS#12 write and read back", v->file);
            jks_write_opts wo;
            jks_error werr;
            uint8_t *out = NULL;
            size_t out_len = 0;
            memset(&wo, 0, sizeof(wo));
            wo.format = JKS_FORMAT_PEM;
            if (jks_store_write(st, &wo, &out, &out_len, &werr) != JKS_OK || out_len == 0)
                fail(w, werr.msg, v->file);
            jks_buffer_free(out, out_len);
            jks_store_free(st);
        }
    }
    return NULL;
}

/* The validator at a fixed time, so that every run finds the same. */
static jks_status check_shared(const jks_store *st, jks_findings **fs)
{
    jks_check_opts co;
    memset(&co, 0, sizeof(co));
    co.at = 1700000000;
    co.at_set = 1;
    return jks_check_run(st, &co, fs);
}

/* One store, const calls only, from several threads at once. */
static void *shared_reader(void *arg)
{
    worker *w = arg;
    const jks_store *st = w->shared;
    for (int r = 0; r < ROUNDS * 4; r++) {
        unsigned char d[32];
        w->runs++;
        store_digest(st, d);
        if (memcmp(d, w->shared_digest, 32))
            fail(w, "shared store digest changed", "shared");
        for (size_t i = 0; i < jks_store_count(st); i++) {
            const jks_entry *e = jks_store_entry(st, i);
            jks_cert_info info;
            if (jks_store_find(st, jks_entry_alias(e)) != e)
                fail(w, "jks_store_find", jks_entry_alias(e));
            for (size_t j = 0; j < jks_entry_chain_len(e); j++) {
                jks_bytes b = jks_entry_cert(e, j);
                char hex[65];
                if (jks_cert_info_get(b.data, b.len, &info) != JKS_OK)
                    fail(w, "jks_cert_info_get", jks_entry_alias(e));
                jks_sha256_hex(b.data, b.len, hex);
                if (strcmp(hex, info.sha256))
                    fail(w, "certificate SHA-256", jks_entry_alias(e));
            }
            (void)jks_entry_protected_key(e);
            (void)jks_entry_pkcs8(e);
            (void)jks_entry_key_state(e);
        }
        if (r % 4 == 0 && !write_read_back(st, JKS_FORMAT_JKS, w->shared_digest))
            fail(w, "write of the shared store", "shared");
        jks_findings *fs = NULL;
        if (check_shared(st, &fs) != JKS_OK || fs->errors != w->check_errors ||
            fs->warnings != w->check_warnings || fs->count != w->check_count)
            fail(w, "jks_check_run on the shared store", "shared");
        jks_findings_free(fs);
    }
    return NULL;
}

static void test_threads_distinct_and_shared(void)
{
    pthread_t th[2 * N_WORKERS];
    worker w[2 * N_WORKERS];
    jks_store *shared = NULL;
    jks_error err;
    /* references, single-threaded */
    for (size_t k = 0; k < N_VECTORS; k++) {
        jks_store *st = NULL;
        CU_ASSERT_EQUAL_FATAL(read_vector(&g_vectors[k], &st, &err), JKS_OK);
        store_digest(st, g_vectors[k].digest);
        g_vectors[k].count = jks_store_count(st);
        CU_ASSERT(g_vectors[k].count > 0);
        jks_store_free(st);
    }
    CU_ASSERT_EQUAL_FATAL(read_vector(&g_vectors[1], &shared, &err), JKS_OK); /* cacerts */
    CU_ASSERT(jks_store_count(shared) > 100);
    jks_findings *ref = NULL;
    CU_ASSERT_EQUAL_FATAL(check_shared(shared, &ref), JKS_OK);
    CU_ASSERT(ref->count > 0);
    memset(w, 0, sizeof(w));
    for (int i = 0; i < 2 * N_WORKERS; i++) {
        w[i].id = i;
        w[i].shared = shared;
        memcpy(w[i].shared_digest, g_vectors[1].digest, 32);
        w[i].check_errors = ref->errors;
        w[i].check_warnings = ref->warnings;
        w[i].check_count = ref->count;
        CU_ASSERT_EQUAL_FATAL(
            pthread_create(&th[i], NULL, i < N_WORKERS ? codec_worker : shared_reader, &w[i]), 0);
    }
    for (int i = 0; i < 2 * N_WORKERS; i++) {
        pthread_join(th[i], NULL);
        if (w[i].failures)
            fprintf(stderr, "thread %d: %zu failures, first: %s\n", i, w[i].failures,
                    w[i].first_failure);
        CU_ASSERT_EQUAL(w[i].failures, 0);
        CU_ASSERT_EQUAL(w[i].runs, i < N_WORKERS ? ROUNDS * N_VECTORS : ROUNDS * 4);
    }
    jks_findings_free(ref);
    jks_store_free(shared);
}

int main(void)
{
    static const test_case cases[] = {
        {"4 threads on distinct stores + 4 on one shared store (const calls)",
         test_threads_distinct_and_shared},
    };
    const char *dir = getenv("JKS_VECTORS");
    snprintf(g_dir, sizeof(g_dir), "%s", dir ? dir : "vectors");
    return run_suite("threads", cases, sizeof(cases) / sizeof(cases[0]));
}
