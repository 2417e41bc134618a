/* Shared parts of the libjks fuzz harnesses (fuzz/README.md).
 *
 * Each harness defines LLVMFuzzerTestOneInput once; this header adds the
 * driver that fits the compiler:
 *   - clang -fsanitize=fuzzer: libFuzzer supplies main;
 *   - afl-clang-fast: a persistent-mode main (__AFL_LOOP over the
 *     shared-memory test case, copied into an exact-size heap buffer so that
 *     ASan sees one-byte over-reads);
 *   - -DFUZZ_STANDALONE (any compiler): main replays the files named on the
 *     command line, used by tests/regress.sh under ASan+UBSan.
 *
 * Input layout for the store harnesses (see fuzz_split):
 *   byte 0: bits 0-3 password length (0-15), bit 4: no store password,
 *           bit 5: also try the password as a --keypass, bit 6: no_decrypt
 *   then the password bytes, then the file. */
#ifndef JKS_FUZZ_COMMON_H
#define JKS_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jks/jks.h"

/* Low enough that 3DES/PBKDF2 derivations stay cheap; real keytool files
 * (200000+ iterations) are then refused with "exceeds the limit". */
#define FUZZ_MAX_ITERATIONS 2048u

typedef struct {
    char pw[16];
    const char *keypass[1];
    jks_read_opts opts;
    const uint8_t *data;
    size_t len;
} fuzz_input;

/* Split an input into password, flags and file bytes. Returns 0 when the
 * input is empty. */
static inline int fuzz_split(const uint8_t *d, size_t n, fuzz_input *in, jks_format force)
{
    memset(in, 0, sizeof(*in));
    if (n < 1)
        return 0;
    uint8_t flags = d[0];
    size_t pl = flags & 0x0F;
    d++, n--;
    if (pl > n)
        pl = n;
    memcpy(in->pw, d, pl);
    in->pw[pl] = 0; /* an embedded NUL only shortens the password */
    d += pl, n -= pl;
    in->opts.force_format = force;
    in->opts.max_iterations = FUZZ_MAX_ITERATIONS;
    in->opts.storepass = (flags & 0x10) ? NULL : in->pw;
    if (flags & 0x20) {
        in->keypass[0] = in->pw;
        in->opts.keypasses = in->keypass;
        in->opts.n_keypasses = 1;
    }
    in->opts.no_decrypt = (flags & 0x40) != 0;
    in->data = d;
    in->len = n;
    return 1;
}

/* Touch every accessor of a decoded store, and decode the certificates and
 * keys it holds, so that the whole model is walked (ASan checks each view). */
static inline void fuzz_walk(const jks_store *st)
{
    volatile size_t sink = 0;
    (void)jks_store_format(st);
    (void)jks_store_version(st);
    (void)jks_store_integrity(st);
    for (size_t i = 0; i < jks_store_count(st); i++) {
        const jks_entry *e = jks_store_entry(st, i);
        int64_t ms;
        sink += strlen(jks_entry_alias(e));
        sink += (size_t)jks_entry_kind_of(e) + (size_t)jks_entry_key_state(e);
        (void)jks_entry_created(e, &ms);
        (void)jks_store_find(st, jks_entry_alias(e));
        jks_bytes pk = jks_entry_protected_key(e);
        for (size_t j = 0; j < pk.len; j += 64)
            sink += pk.data[j];
        for (size_t j = 0; j < jks_entry_chain_len(e) && j < 4; j++) {
            jks_bytes c = jks_entry_cert(e, j);
            jks_cert_info ci;
            if (c.len && jks_cert_info_get(c.data, c.len, &ci) == JKS_OK)
                sink += strlen(ci.subject);
            if (j > 0) {
                jks_bytes prev = jks_entry_cert(e, j - 1);
                sink += (size_t)jks_cert_issued_by(prev.data, prev.len, c.data, c.len);
            }
        }
        jks_bytes k = jks_entry_pkcs8(e);
        if (k.len) {
            jks_key_info ki;
            if (jks_key_info_get(k.data, k.len, &ki) == JKS_OK)
                sink += (size_t)ki.bits;
        }
        jks_bytes s = jks_entry_secret(e);
        if (s.len)
            sink += s.data[0] + s.data[s.len - 1];
        if (jks_entry_secret_algorithm(e))
            sink += strlen(jks_entry_secret_algorithm(e));
    }
    (void)sink;
}

/* Read as one format and walk the result; formats the error message too. */
static inline void fuzz_read_format(const uint8_t *d, size_t n, jks_format force)
{
    fuzz_input in;
    jks_store *st = NULL;
    jks_error err;
    char line[512];
    if (!fuzz_split(d, n, &in, force))
        return;
    jks_error_clear(&err);
    if (jks_store_read(in.data, in.len, &in.opts, &st, &err) == JKS_OK) {
        fuzz_walk(st);
        jks_store_free(st);
    } else {
        jks_error_format(&err, line, sizeof(line));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#if defined(__AFL_FUZZ_TESTCASE_LEN)
#include <unistd.h>
__AFL_FUZZ_INIT();
int main(void)
{
    __AFL_INIT();
    unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
    while (__AFL_LOOP(10000)) {
        size_t len = (size_t)__AFL_FUZZ_TESTCASE_LEN;
        uint8_t *copy = malloc(len ? len : 1);
        if (!copy)
            abort();
        memcpy(copy, buf, len);
        LLVMFuzzerTestOneInput(copy, len);
        free(copy);
    }
    return 0;
}
#elif defined(FUZZ_STANDALONE)
int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        uint8_t *buf = NULL;
        size_t len = 0, cap = 0;
        if (!f) {
            perror(argv[i]);
            return 2;
        }
        for (;;) {
            if (len == cap) {
                cap = cap ? cap * 2 : 65536;
                uint8_t *nb = realloc(buf, cap);
                if (!nb)
                    abort();
                buf = nb;
            }
            size_t r = fread(buf + len, 1, cap - len, f);
            if (!r)
                break;
            len += r;
        }
        fclose(f);
        /* exact-size copy so that ASan sees over-reads */
        uint8_t *copy = malloc(len ? len : 1);
        if (!copy)
            abort();
        memcpy(copy, buf, len);
        free(buf);
        LLVMFuzzerTestOneInput(copy, len);
        free(copy);
    }
    return 0;
}
#endif

#endif
