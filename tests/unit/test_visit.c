/* CUnit suite "visit": jks_store_visit_file (include/jks/jks.h) hands out
 * exactly what jks_store_read_file reads, in the same order, for every
 * vector and for crafted stores bigger than its window; it returns every
 * error a read returns before any entry is visited; it stops when asked; a
 * file truncated during the visit is an I/O error, not a fault. */
#include "builder.h"
#include "jks/jks.h"
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SP "changeit"

/* What an accessor hands out for one entry, folded into a running SHA-256. */
static void fold_entry(EVP_MD_CTX *c, const jks_entry *e)
{
    jks_entry_kind k = jks_entry_kind_of(e);
    jks_key_state ks = jks_entry_key_state(e);
    const char *a = jks_entry_alias(e);
    int64_t ms = 0;
    int has = jks_entry_created(e, &ms);
    EVP_DigestUpdate(c, a, strlen(a) + 1);
    EVP_DigestUpdate(c, &k, sizeof(k));
    EVP_DigestUpdate(c, &ks, sizeof(ks));
    EVP_DigestUpdate(c, &has, sizeof(has));
    EVP_DigestUpdate(c, &ms, sizeof(ms));
    for (size_t j = 0; j < jks_entry_chain_len(e); j++) {
        jks_bytes b = jks_entry_cert(e, j);
        EVP_DigestUpdate(c, b.data, b.len);
    }
    jks_bytes pk = jks_entry_protected_key(e), p8 = jks_entry_pkcs8(e), sk = jks_entry_secret(e);
    EVP_DigestUpdate(c, pk.data, pk.len);
    EVP_DigestUpdate(c, p8.data, p8.len);
    EVP_DigestUpdate(c, sk.data, sk.len);
}

typedef struct {
    EVP_MD_CTX *md;
    size_t calls, ends, bad_index, total;
    jks_format format;
    jks_integrity integrity;
    size_t stop_at;             /* return 1 at this index (SIZE_MAX: never) */
    const char *truncate_path;  /* truncate this file at index 1 */
} visit_log;

static int visitor(const jks_store *facts, const jks_entry *e, size_t index, size_t total,
                   void *ctx)
{
    visit_log *v = ctx;
    v->format = jks_store_format(facts);
    v->integrity = jks_store_integrity(facts);
    v->total = total;
    if (!e) {
        v->ends++;
        if (index != total)
            v->bad_index++;
        return 0;
    }
    if (index != v->calls)
        v->bad_index++;
    v->calls++;
    fold_entry(v->md, e);
    if (v->truncate_path && index == 1 && truncate(v->truncate_path, 0) != 0)
        v->bad_index++;
    return index == v->stop_at;
}

/* Read and visit path the same way; compare entries, order, facts, status
 * and message. Returns the visit's status. */
static jks_status compare(const char *path, const jks_read_opts *o)
{
    jks_store *st = NULL;
    jks_error re, ve;
    unsigned char want[32], got[32];
    unsigned int n;
    jks_status rs = jks_store_read_file(path, o, &st, &re);
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    EVP_DigestInit_ex(c, EVP_sha256(), NULL);
    for (size_t i = 0; st && i < jks_store_count(st); i++)
        fold_entry(c, jks_store_entry(st, i));
    EVP_DigestFinal_ex(c, want, &n);
    visit_log v = {EVP_MD_CTX_new(), 0, 0, 0, 0, 0, 0, (size_t)-1, NULL};
    EVP_DigestInit_ex(v.md, EVP_sha256(), NULL);
    jks_status vs = jks_store_visit_file(path, o, visitor, &v, &ve);
    EVP_DigestFinal_ex(v.md, got, &n);
    CU_ASSERT_EQUAL(vs, rs);
    if (rs != JKS_OK) {
        CU_ASSERT_EQUAL(v.calls + v.ends, 0); /* nothing visited before the error */
        CU_ASSERT_STRING_EQUAL(ve.msg, re.msg);
        CU_ASSERT_EQUAL(ve.offset, re.offset);
        if (vs != rs || strcmp(ve.msg, re.msg))
            fprintf(stderr, "\n  %s: read %d \"%s\", visit %d \"%s\"\n", path, rs, re.msg, vs,
                    ve.msg);
    } else {
        CU_ASSERT_EQUAL(v.calls, jks_store_count(st));
        CU_ASSERT_EQUAL(v.total, jks_store_count(st));
        CU_ASSERT_EQUAL(v.ends, 1);
        CU_ASSERT_EQUAL(v.bad_index, 0);
        CU_ASSERT_EQUAL(v.format, jks_store_format(st));
        CU_ASSERT_EQUAL(v.integrity, jks_store_integrity(st));
        CU_ASSERT_EQUAL(memcmp(want, got, 32), 0);
        if (memcmp(want, got, 32))
            fprintf(stderr, "\n  %s: visited entries differ from the read\n", path);
    }
    EVP_MD_CTX_free(v.md);
    EVP_MD_CTX_free(c);
    jks_store_free(st);
    return vs;
}

/* Every vector in vectors/manifest.tsv, with its password and without. */
static void test_every_vector(void)
{
    const char *dir = getenv("JKS_VECTORS") ? getenv("JKS_VECTORS") : "vectors";
    char mf[512], line[4096];
    snprintf(mf, sizeof(mf), "%s/manifest.tsv", dir);
    FILE *f = fopen(mf, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    int n = 0, jks = 0;
    while (fgets(line, sizeof(line), f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char *path = strtok(line, "\t\n"), *type = strtok(NULL, "\t\n");
        char *pass = strtok(NULL, "\t\n");
        char full[1024];
        if (!path || !type)
            continue;
        if (pass && !strcmp(pass, type))
            pass = NULL;
        snprintf(full, sizeof(full), "%s/%s", dir, path);
        jks_read_opts o = JKS_READ_OPTS_INIT;
        for (int lm = 0; lm < 2; lm++) { /* read whole, then streamed */
            o.flags = lm ? JKS_READ_LOW_MEMORY : 0;
            o.storepass = pass && *pass && strchr(pass, ' ') == NULL ? pass : NULL;
            compare(full, &o);
            o.storepass = NULL;
            compare(full, &o);
            o.storepass = "not-the-password";
            compare(full, &o);
        }
        n++;
        jks += !strcmp(type, "JKS") || !strcmp(type, "JCEKS");
    }
    fclose(f);
    CU_ASSERT(n >= 50);
    CU_ASSERT(jks >= 20);
}

static void sha1_jks(jks_builder *b, const char *pw)
{
    /* SHA1(UTF-16BE(password) || "Mighty Aphrodite" || data) */
    uint8_t md[20];
    unsigned int n;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    EVP_DigestInit_ex(c, EVP_sha1(), NULL);
    for (const char *p = pw; *p; p++) {
        uint8_t u[2] = {0, (uint8_t)*p};
        EVP_DigestUpdate(c, u, 2);
    }
    EVP_DigestUpdate(c, "Mighty Aphrodite", 16);
    EVP_DigestUpdate(c, b->buf, b->len);
    EVP_DigestFinal_ex(c, md, &n);
    EVP_MD_CTX_free(c);
    jks_builder_bytes(b, md, 20);
}

/* A JKS bigger than the visit window: n trusted entries of ~1.3 KiB of
 * opaque "certificate" bytes, one key entry whose chain alone is bigger than
 * the window, and duplicate aliases far apart (Java keeps the last). */
static int write_big(const char *path, size_t n)
{
    jks_builder b;
    uint8_t cert[1300];
    jks_builder_init(&b, 0);
    jks_builder_u32(&b, 0xFEEDFEED);
    jks_builder_u32(&b, 2);
    jks_builder_u32(&b, (uint32_t)(n + 1));
    for (size_t i = 0; i < n; i++) {
        char alias[32];
        if (i == 0 || i == n - 1)
            snprintf(alias, sizeof(alias), "dup");
        else if (i == 7 || i == n / 2)
            snprintf(alias, sizeof(alias), "Mid");
        else
            snprintf(alias, sizeof(alias), "a%zu", i);
        memset(cert, (int)(i & 0xFF), sizeof(cert));
        cert[0] = 0x30;
        jks_builder_u32(&b, 2);
        jks_builder_java_utf(&b, alias);
        jks_builder_u64(&b, 1700000000000ULL + i);
        jks_builder_java_utf(&b, "X.509");
        jks_builder_u32(&b, sizeof(cert));
        jks_builder_bytes(&b, cert, sizeof(cert));
    }
    /* the key entry: protected key bytes (never opened: no key password
     * works) and a chain of 1,000 certificates, 1.3 MB */
    jks_builder_u32(&b, 1);
    jks_builder_java_utf(&b, "bigkey");
    jks_builder_u64(&b, 1700000000000ULL);
    jks_builder_u32(&b, 40);
    for (int i = 0; i < 40; i++)
        jks_builder_u8(&b, (uint8_t)i);
    jks_builder_u32(&b, 1000);
    for (int i = 0; i < 1000; i++) {
        memset(cert, i & 0xFF, sizeof(cert));
        jks_builder_java_utf(&b, "X.509");
        jks_builder_u32(&b, sizeof(cert));
        jks_builder_bytes(&b, cert, sizeof(cert));
    }
    sha1_jks(&b, SP);
    uint8_t *out;
    size_t len;
    if (!jks_builder_finish(&b, &out, &len))
        return 0;
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(out, 1, len, f) == len;
    if (f)
        fclose(f);
    jks_buffer_free(out, len);
    return ok;
}

static void test_bigger_than_the_window(void)
{
    char path[] = "/tmp/jks-visit-XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    CU_ASSERT_FATAL(write_big(path, 3000));
    jks_read_opts o = JKS_READ_OPTS_INIT;
    o.storepass = SP;
    o.flags = JKS_READ_LOW_MEMORY; /* streamed although under 8 MiB */
    CU_ASSERT_EQUAL(compare(path, &o), JKS_OK);
    o.no_decrypt = 1;
    CU_ASSERT_EQUAL(compare(path, &o), JKS_OK);
    /* the duplicates are gone as in a read: 3000 + 1 entries, 2 repeats */
    visit_log v = {EVP_MD_CTX_new(), 0, 0, 0, 0, 0, 0, (size_t)-1, NULL};
    EVP_DigestInit_ex(v.md, EVP_sha256(), NULL);
    jks_error err;
    CU_ASSERT_EQUAL(jks_store_visit_file(path, &o, visitor, &v, &err), JKS_OK);
    CU_ASSERT_EQUAL(v.total, 2999);
    CU_ASSERT_EQUAL(v.integrity, JKS_INTEGRITY_VERIFIED);
    /* stopping early: no end call */
    v.calls = v.ends = 0;
    v.stop_at = 5;
    CU_ASSERT_EQUAL(jks_store_visit_file(path, &o, visitor, &v, &err), JKS_OK);
    CU_ASSERT_EQUAL(v.calls, 6);
    CU_ASSERT_EQUAL(v.ends, 0);
    /* cut copies: the read's error, nothing visited */
    struct stat sb;
    CU_ASSERT_FATAL(stat(path, &sb) == 0);
    uint8_t *all = malloc((size_t)sb.st_size);
    FILE *f = fopen(path, "rb");
    CU_ASSERT_FATAL(f && all && fread(all, 1, (size_t)sb.st_size, f) == (size_t)sb.st_size);
    fclose(f);
    char cut[] = "/tmp/jks-visit-cut-XXXXXX";
    int cfd = mkstemp(cut);
    CU_ASSERT_FATAL(cfd >= 0);
    close(cfd);
    size_t cuts[] = {0, 3, 11, 12, 100, 1400000, (size_t)sb.st_size / 2,
                     (size_t)sb.st_size - 21, (size_t)sb.st_size - 1};
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        f = fopen(cut, "wb");
        CU_ASSERT_FATAL(f != NULL);
        fwrite(all, 1, cuts[i], f);
        fclose(f);
        CU_ASSERT_NOT_EQUAL(compare(cut, &o), JKS_OK);
    }
    /* one flipped byte in a certificate: the read's diagnosis */
    all[(size_t)sb.st_size / 3] ^= 0x55;
    f = fopen(cut, "wb");
    fwrite(all, 1, (size_t)sb.st_size, f);
    fclose(f);
    CU_ASSERT_NOT_EQUAL(compare(cut, &o), JKS_OK);
    unlink(cut);
    free(all);
    /* truncated during the visit: an I/O error, no fault */
    v.calls = v.ends = 0;
    v.stop_at = (size_t)-1;
    v.truncate_path = path;
    CU_ASSERT_EQUAL(jks_store_visit_file(path, &o, visitor, &v, &err), JKS_ERR_IO);
    CU_ASSERT(v.calls >= 2 && v.calls < 2999);
    EVP_MD_CTX_free(v.md);
    unlink(path);
}

/* A pipe cannot be read twice: it is read whole, then visited. */
static void test_pipe(void)
{
    const char *dir = getenv("JKS_VECTORS") ? getenv("JKS_VECTORS") : "vectors";
    char src[512], fifo[] = "/tmp/jks-visit-fifo-XXXXXX";
    snprintf(src, sizeof(src), "%s/files/jks-chain3.jks", dir);
    CU_ASSERT_FATAL(mkdtemp(fifo) != NULL);
    char path[600];
    snprintf(path, sizeof(path), "%s/p", fifo);
    CU_ASSERT_FATAL(mkfifo(path, 0600) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        int in = open(src, O_RDONLY), out = open(path, O_WRONLY);
        char buf[4096];
        ssize_t r;
        while (in >= 0 && out >= 0 && (r = read(in, buf, sizeof(buf))) > 0)
            if (write(out, buf, (size_t)r) != r)
                _exit(1);
        _exit(0);
    }
    visit_log v = {EVP_MD_CTX_new(), 0, 0, 0, 0, 0, 0, (size_t)-1, NULL};
    EVP_DigestInit_ex(v.md, EVP_sha256(), NULL);
    jks_read_opts o = JKS_READ_OPTS_INIT;
    o.storepass = SP;
    jks_error err;
    CU_ASSERT_EQUAL(jks_store_visit_file(path, &o, visitor, &v, &err), JKS_OK);
    CU_ASSERT_EQUAL(v.calls, 2);
    CU_ASSERT_EQUAL(v.ends, 1);
    CU_ASSERT_EQUAL(v.integrity, JKS_INTEGRITY_VERIFIED);
    int st;
    waitpid(pid, &st, 0);
    EVP_MD_CTX_free(v.md);
    unlink(path);
    rmdir(fifo);
    /* arguments */
    CU_ASSERT_EQUAL(jks_store_visit_file(NULL, &o, visitor, &v, &err), JKS_ERR_USAGE);
    CU_ASSERT_EQUAL(jks_store_visit_file(src, &o, NULL, &v, &err), JKS_ERR_USAGE);
    CU_ASSERT_EQUAL(jks_store_visit_file("/nonexistent/x.jks", &o, visitor, &v, &err),
                    JKS_ERR_IO);
}

int main(void)
{
    static const test_case cases[] = {
        {"every vector: visit == read", test_every_vector},
        {"bigger than the window: duplicates, cuts, stop, truncation", test_bigger_than_the_window},
        {"a pipe is read whole; arguments", test_pipe},
    };
    return run_suite("visit", cases, sizeof(cases) / sizeof(cases[0]));
}
