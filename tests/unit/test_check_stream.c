/* CUnit suite "check_stream": jks_check_file (include/jks/check.h), the
 * streamed check, hands out exactly the findings jks_check_run gives for the
 * store jks_store_read_file reads, in jks_findings_report_order's order, with
 * the same purpose, inference and counts: for every file of vectors/files and
 * vectors/check (with and without a store password, every purpose), read
 * whole and streamed (JKS_READ_LOW_MEMORY); for JKS stores crafted to hit
 * every per-entry rule at scale (duplicates, capital aliases that clash,
 * certificates that do not parse); and for the hostile shapes of
 * fuzz/hostile-shapes.py at small sizes. A read error is the read's, before
 * any finding; the visitor can stop the walk. */
#include "jksraw.h"
#include "jks/check.h"
#include "jks/jks.h"
#include "testutil.h"

#include <dirent.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SP "changeit"

typedef struct {
    const jks_findings *ref;
    const size_t *ix;
    jks_format format;
    size_t k, headers, bad;
    size_t stop_at; /* return 1 at this finding (SIZE_MAX: never) */
} cmp_ctx;

static int same(const char *a, const char *b) { return a && b && !strcmp(a, b); }

static int cmp_visit(const jks_findings *sum, jks_format format, const jks_finding *f, void *arg)
{
    cmp_ctx *c = arg;
    const jks_findings *r = c->ref;
    if (!f) {
        c->headers++;
        if (c->k || sum->purpose != r->purpose || sum->inferred != r->inferred ||
            !same(sum->inferred_from, r->inferred_from) || sum->count != r->count ||
            sum->errors != r->errors || sum->warnings != r->warnings || sum->infos != r->infos ||
            format != c->format || sum->items)
            c->bad++;
        return 0;
    }
    if (c->k >= r->count) {
        c->bad++;
        return 1;
    }
    const jks_finding *w = &r->items[c->ix[c->k]];
    if (!same(f->id, w->id) || f->severity != w->severity || !same(f->alias, w->alias) ||
        !same(f->message, w->message) || !same(f->fix, w->fix)) {
        fprintf(stderr, "\n  finding %zu differs: %s/%s %s/%s\n    %s\n    %s\n", c->k, f->id,
                w->id, f->alias, w->alias, f->fix, w->fix);
        c->bad++;
    }
    return ++c->k == c->stop_at;
}

/* Both paths on path: the same findings in the same order (or the same read
 * error before any). Returns the number of findings compared. */
static size_t compare(const char *path, const char *storepass, jks_purpose purpose, int low)
{
    jks_read_opts ro = JKS_READ_OPTS_INIT;
    jks_check_opts co = JKS_CHECK_OPTS_INIT;
    jks_error e1, e2;
    jks_store *st = NULL;
    ro.storepass = storepass;
    ro.flags = low ? JKS_READ_LOW_MEMORY : 0;
    co.purpose = purpose;
    co.at = 1767225600; /* 2026-01-01 */
    co.at_set = 1;
    co.file_name = path;
    co.storepass = storepass;
    jks_status s1 = jks_store_read_file(path, &ro, &st, &e1);
    jks_findings *ref = NULL;
    size_t *ix = NULL;
    cmp_ctx c = {0};
    c.stop_at = (size_t)-1;
    if (s1 == JKS_OK) {
        CU_ASSERT_EQUAL_FATAL(jks_check_run(st, &co, &ref), JKS_OK);
        CU_ASSERT_PTR_NOT_NULL_FATAL(ix = jks_findings_report_order(ref));
        c.ref = ref;
        c.ix = ix;
        c.format = jks_store_format(st);
    }
    jks_status s2 = jks_check_file(path, &ro, &co, cmp_visit, &c, &e2);
    CU_ASSERT_EQUAL(s1, s2);
    if (s1 != JKS_OK) {
        CU_ASSERT_EQUAL(c.headers, 0);
        CU_ASSERT_STRING_EQUAL(e1.msg, e2.msg);
    } else {
        if (c.bad || c.k != ref->count || c.headers != 1)
            fprintf(stderr, "\n  %s (storepass %s, purpose %d, low %d): %zu of %zu, %zu bad\n",
                    path, storepass ? storepass : "-", (int)purpose, low, c.k, ref->count, c.bad);
        CU_ASSERT_EQUAL(c.headers, 1);
        CU_ASSERT_EQUAL(c.bad, 0);
        CU_ASSERT_EQUAL(c.k, ref->count);
    }
    size_t n = c.k;
    jks_free(ix);
    jks_findings_free(ref);
    jks_store_free(st);
    return n;
}

/* With and without the vectors' usual password, the inferred purpose, read
 * whole and streamed; with purposes, the given ones too (streamed). (JCEKS
 * keys take ~0.1 s each to open: the suite stays under half a minute.) */
static void compare_all(const char *path, int purposes, size_t *files, size_t *findings)
{
    static const jks_purpose given[] = {JKS_PURPOSE_CLIENT, JKS_PURPOSE_SERVER,
                                        JKS_PURPOSE_TRUSTSTORE};
    for (int low = 0; low < 2; low++) {
        *findings += compare(path, NULL, JKS_PURPOSE_AUTO, low);
        *findings += compare(path, SP, JKS_PURPOSE_AUTO, low);
    }
    *findings += compare(path, "password", JKS_PURPOSE_AUTO, 1);
    for (size_t u = 0; purposes && u < 3; u++)
        *findings += compare(path, SP, given[u], 1);
    (*files)++;
}

static void every_file_of(const char *sub, int purposes, size_t *files, size_t *findings)
{
    const char *root = getenv("JKS_VECTORS") ? getenv("JKS_VECTORS") : "vectors";
    char dir[512];
    snprintf(dir, sizeof(dir), "%s/%s", root, sub);
    DIR *d = opendir(dir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char path[1024];
        struct stat sb;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        if (de->d_name[0] == '.' || stat(path, &sb) || !S_ISREG(sb.st_mode) ||
            strstr(de->d_name, ".java") || strstr(de->d_name, ".md") || strstr(de->d_name, ".sh"))
            continue;
        compare_all(path, purposes, files, findings);
    }
    closedir(d);
}

static void test_every_vector(void)
{
    size_t files = 0, findings = 0;
    every_file_of("files", 0, &files, &findings);
    every_file_of("check", 1, &files, &findings);
    CU_ASSERT(files >= 150);
    CU_ASSERT(findings >= 1000);
}

/* A JKS of n trusted entries meant to hit the per-entry rules at scale: the
 * same certificate under many aliases (duplicate-certificate), aliases with
 * capitals some of which clash once lower-cased (alias-not-lowercase), a
 * 1-byte certificate that does not parse (bad-certificate), and the
 * hostile shape's "0" everywhere else. */
static int write_mixed(const char *path, size_t n, const uint8_t *der, size_t der_len)
{
    jks_builder b;
    jks_builder_init(&b, 0);
    jks_builder_u32(&b, 0xFEEDFEED);
    jks_builder_u32(&b, 2);
    jks_builder_u32(&b, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        char alias[32];
        if (i % 7 == 3)
            snprintf(alias, sizeof(alias), "Cap%zu", i);
        else if (i % 11 == 5)
            snprintf(alias, sizeof(alias), "cap%zu", i - 2); /* may clash with Cap(i-2) */
        else if (i % 13 == 1)
            snprintf(alias, sizeof(alias), "it's %zu", i); /* quoted in fixes */
        else
            snprintf(alias, sizeof(alias), "a%zu", i);
        jks_builder_u32(&b, 2);
        jks_builder_java_utf(&b, alias);
        jks_builder_u64(&b, 1700000000000ULL + i);
        jks_builder_java_utf(&b, "X.509");
        if (i % 3 == 0 && der) {
            jks_builder_u32(&b, (uint32_t)der_len);
            jks_builder_bytes(&b, der, der_len);
        } else {
            jks_builder_u32(&b, 1);
            jks_builder_u8(&b, (uint8_t)(i % 5 == 0 ? '0' : '1'));
        }
    }
    size_t len;
    uint8_t *out = finish_with_digest(&b, SP, &len);
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(out, 1, len, f) == len;
    if (f)
        fclose(f);
    jks_buffer_free(out, len);
    return ok;
}

static void test_crafted_at_scale(void)
{
    const char *root = getenv("JKS_VECTORS") ? getenv("JKS_VECTORS") : "vectors";
    char path[] = "/tmp/jks-check-stream-XXXXXX";
    size_t der_len = 0, files = 0, findings = 0;
    /* a real certificate: the first of any vector's trusted entries */
    jks_store *st = NULL;
    jks_error err;
    char vp[512];
    snprintf(vp, sizeof(vp), "%s/check/dup-trust.jks", root);
    CU_ASSERT_EQUAL_FATAL(jks_store_read_file(vp, NULL, &st, &err), JKS_OK);
    jks_bytes cert = jks_entry_cert(jks_store_entry(st, 0), 0);
    der_len = cert.len;
    CU_ASSERT_FATAL(der_len > 100);
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    /* 300 entries (read whole unless low memory), 40,000 (8.4 MB: streamed
     * through the window in any case) */
    static const size_t sizes[] = {300, 40000};
    for (size_t s = 0; s < 2; s++) {
        CU_ASSERT_FATAL(write_mixed(path, sizes[s], cert.data, der_len));
        if (s == 0) {
            compare_all(path, 1, &files, &findings);
        } else {
            findings += compare(path, SP, JKS_PURPOSE_AUTO, 0);
            findings += compare(path, NULL, JKS_PURPOSE_TRUSTSTORE, 0);
        }
    }
    CU_ASSERT(findings > 40000);
    /* the visitor stops the walk: JKS_OK, no more calls */
    jks_findings *ref = NULL;
    jks_store *big = NULL;
    CU_ASSERT_EQUAL_FATAL(jks_store_read_file(path, NULL, &big, &err), JKS_OK);
    jks_check_opts co = JKS_CHECK_OPTS_INIT;
    co.file_name = path;
    co.at = 1767225600;
    co.at_set = 1;
    CU_ASSERT_EQUAL_FATAL(jks_check_run(big, &co, &ref), JKS_OK);
    size_t *ix = jks_findings_report_order(ref);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ix);
    cmp_ctx c = {ref, ix, JKS_FORMAT_JKS, 0, 0, 0, 10};
    CU_ASSERT_EQUAL(jks_check_file(path, NULL, &co, cmp_visit, &c, &err), JKS_OK);
    CU_ASSERT_EQUAL(c.k, 10);
    CU_ASSERT_EQUAL(c.bad, 0);
    jks_free(ix);
    jks_findings_free(ref);
    jks_store_free(big);
    jks_store_free(st);
    unlink(path);
}

/* fuzz/hostile-shapes.py's JKS shapes (and the others, read whole) at small
 * sizes, and jks-tiny of 60,000 entries (streamed with JKS_READ_LOW_MEMORY). */
static void test_hostile_shapes(void)
{
    static const struct {
        const char *shape;
        int n;
    } shapes[] = {{"jks-tiny", 2000}, {"jks-tiny", 60000}, {"jks-trusted", 500},
                  {"jks-chain-claim", 1000}, {"p12-same-name", 300}, {"pem-dup", 200}};
    char dir[] = "/tmp/jks-check-shapes-XXXXXX";
    size_t findings = 0;
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        char cmd[1024], path[1024] = "";
        snprintf(cmd, sizeof(cmd), "/usr/bin/python3 fuzz/hostile-shapes.py %s %s %d", dir,
                 shapes[i].shape, shapes[i].n);
        FILE *p = popen(cmd, "r");
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        CU_ASSERT(fgets(path, sizeof(path), p) != NULL);
        pclose(p);
        path[strcspn(path, "\n")] = 0;
        CU_ASSERT_FATAL(path[0] != 0);
        for (int low = 0; low < 2; low++) {
            findings += compare(path, NULL, JKS_PURPOSE_AUTO, low);
            findings += compare(path, SP, JKS_PURPOSE_TRUSTSTORE, low);
        }
        unlink(path);
    }
    char rm[1100];
    snprintf(rm, sizeof(rm), "rm -rf %s", dir);
    CU_ASSERT_EQUAL(system(rm), 0);
    CU_ASSERT(findings > 4 * 60000);
}

static void test_arguments(void)
{
    jks_error err;
    CU_ASSERT_EQUAL(jks_check_file(NULL, NULL, NULL, cmp_visit, NULL, &err), JKS_ERR_USAGE);
    CU_ASSERT_EQUAL(jks_check_file("x.jks", NULL, NULL, NULL, NULL, &err), JKS_ERR_USAGE);
    CU_ASSERT_EQUAL(jks_check_file("/nonexistent/x.jks", NULL, NULL, cmp_visit, NULL, &err),
                    JKS_ERR_IO);
    jks_check_opts co = JKS_CHECK_OPTS_INIT;
    co.version = JKS_CHECK_OPTS_VERSION + 1;
    CU_ASSERT_EQUAL(jks_check_file("x.jks", NULL, &co, cmp_visit, NULL, &err), JKS_ERR_USAGE);
    jks_read_opts ro = JKS_READ_OPTS_INIT;
    ro.version = JKS_READ_OPTS_VERSION + 1;
    CU_ASSERT_EQUAL(jks_check_file("x.jks", &ro, NULL, cmp_visit, NULL, &err), JKS_ERR_USAGE);
    CU_ASSERT_PTR_NULL(jks_findings_report_order(NULL));
}

int main(void)
{
    static const test_case cases[] = {
        {"every vector: streamed check == jks_check_run in report order", test_every_vector},
        {"crafted stores at scale, whole and streamed; stopping", test_crafted_at_scale},
        {"hostile shapes at small sizes", test_hostile_shapes},
        {"arguments", test_arguments},
    };
    return run_suite("check_stream", cases, sizeof(cases) / sizeof(cases[0]));
}
