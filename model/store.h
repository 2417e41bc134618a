/* Layer "model": the format-neutral keystore model's internals (entries,
 * store memory, aliases, in-place edits), shared by the layers above it. Not
 * installed: the CLI and library users go through include/jks.h. */
#ifndef JKS_STORE_H
#define JKS_STORE_H

#include "cursor.h"
#include "error.h"
#include "jks/jks.h"
#include "jks/source.h"

/* One entry. Byte views (prot, chain[i]) point into the store's input buffer
 * (its own heap copy of the file) or into memory the store keeps
 * (jks_store_keep); never into a file mapping once the read has returned.
 * plain is owned and wiped. */
struct jks_entry {
    /* small fields first, packed: stores of 100,000 entries keep one of these
     * per entry, so its size is the memory cost of a listing */
    jks_entry_kind kind;
    jks_protection protection;
    jks_key_state state;
    int pw_index;            /* which password opened it (see jks_entry_password_index) */
    int has_created;
    int java_ignores;        /* PKCS#12 bag Java would not show: a cert bag without trust
                              * attribute, or an unencrypted keyBag */
    int64_t created_ms;
    char *alias;             /* UTF-8; points at alias_buf unless replaced */
    jks_bytes prot;          /* protected key as stored (EPKI, sealed object, p12 bag) */
    uint8_t *plain;          /* PKCS#8 PrivateKeyInfo, or raw secret key bytes */
    size_t plain_len;
    char *secret_alg;        /* owned; secret keys only */
    jks_bytes *chain;        /* array of views, leaf first (cert1 when one certificate) */
    size_t n_chain;
    jks_bytes local_key_id;  /* PKCS#12 localKeyID as read (view), len 0 if none */
    jks_bytes cert1;         /* chain storage for one certificate (no extra allocation) */
    char alias_buf[];        /* alias storage: one allocation per entry */
};

/* What a PKCS#12 file said about itself: the per-store source record the
 * PKCS#12 reader fills, read through jks/source.h (validator) and by the
 * PKCS#12 writer (jks_store_p12_algorithms). */
typedef struct {
    int has_mac;
    char mac_alg[48];        /* "sha1", "sha256", "pbmac1-hmac-sha256", ... */
    uint32_t mac_iterations;
    char key_alg[64];        /* e.g. "pbes2-aes-256-cbc", "pbe-sha1-3des" */
    char cert_alg[64];       /* e.g. "pbes2-aes-256-cbc", "pbe-sha1-rc2-40", "none" */
    size_t certs_without_trust; /* cert bags outside any chain without Java's trust attribute */
} jks_p12_info;

typedef struct jks_blob jks_blob;

struct jks_store {
    jks_format format;
    uint32_t version;        /* JKS/JCEKS: 1 or 2 */
    jks_integrity integrity;
    jks_entry **entries;
    size_t n, cap;
    uint8_t *input;          /* owned heap copy of the input bytes (free), or NULL */
    size_t input_len;
    int input_mapped;        /* only while a low-memory read decodes: input is a file
                              * mapping the reader detaches before returning; the codec
                              * copies every view it keeps (jks_entry_own_views) */
    jks_blob *blobs;         /* memory kept by jks_store_keep */
    jks_blob *arena;         /* the one of them new bytes are carved from */
    size_t *alias_tab;       /* hash index of entries[0..alias_indexed) by alias, for adds */
    size_t alias_cap, alias_indexed;
    char **java_low;         /* Java-lower-cased aliases of entries[0..java_indexed) */
    size_t *java_tab;        /* their hash index (jks_store_has_java_alias) */
    size_t java_cap, java_low_cap, java_indexed;
    struct jks_alias_set *java_bases; /* base -> next counter (jks_store_unique_java_alias) */
    jks_p12_info p12;
    uint32_t bcfks_iterations; /* BCFKS: the MAC's PBKDF2 iteration count as read (BC keeps
                              * it for the MAC and the store encryption when it stores) */
    int has_storepass;       /* a store password was given when reading */
    uint64_t work_used, work_max; /* key-derivation work of this read (crypto/work.h) */
    int work_over;           /* a derivation was refused: the read fails */
};

/* Copy n bytes into memory owned by st (wiped at jks_store_free when
 * secret); p NULL leaves the n bytes uninitialised for the caller to fill.
 * Returns NULL on allocation failure. */
const uint8_t *jks_store_keep(jks_store *st, const void *p, size_t n, int secret);

/* Append a new zeroed entry of a kind with a copy of alias; NULL on OOM. */
jks_entry *jks_store_append(jks_store *st, jks_entry_kind kind, const char *alias);
/* Give an entry room for n chain certificates (views set by the caller). */
int jks_entry_alloc_chain(jks_entry *e, size_t n);
/* Set the plaintext key bytes (copied into an owned, wiped allocation). */
int jks_entry_set_plain(jks_entry *e, const uint8_t *p, size_t n);
/* Remove entry i (frees it), keeping order. */
void jks_store_remove(jks_store *st, size_t i);

/* Java's alias lower-casing: jks_alias_java_lower and jks_alias_java_cmp
 * (public, jks/source.h). */
/* JKS_OK when the aliases stay distinct once lower-cased as Java does, else
 * JKS_ERR_USAGE naming the two (linear time). */
jks_status jks_store_check_java_aliases(const jks_store *st, jks_error *err);
/* 1 when an entry's alias equals alias once both are lower-cased as Java
 * does; keeps an index so that naming n entries costs O(n). */
int jks_store_has_java_alias(jks_store *st, const char *alias);
/* Drop that index (done by jks_store_remove and jks_store_free). */
void jks_store_java_index_clear(jks_store *st);
/* The first of base, base-2, base-3, ... that no entry has once lower-cased
 * as Java does (malloc'd; NULL on OOM). Remembers where each base stopped, so
 * naming n entries alike costs O(n) (the index above forgets it too). */
char *jks_store_unique_java_alias(jks_store *st, const char *base);

/* A set of names compared as Java compares aliases (lower-cased), for codecs
 * that invent aliases before the entries exist (PEM). O(1) per operation. */
typedef struct jks_alias_set jks_alias_set;
jks_alias_set *jks_alias_set_new(void);
void jks_alias_set_free(jks_alias_set *s);
int jks_alias_set_has(const jks_alias_set *s, const char *alias);
/* Add alias (copied); 0 on OOM. */
int jks_alias_set_add(jks_alias_set *s, const char *alias);
/* The first of base, base-2, ... not in the set, added and returned
 * (malloc'd; NULL on OOM). Names are never removed, so each base resumes
 * where it stopped: n equal bases cost O(n). */
char *jks_alias_set_unique(jks_alias_set *s, const char *base);

/* Find two equal strings among s[0..n) in linear time: 1 and the indexes
 * (first < second) when found. */
int jks_strings_find_dup(const char *const *s, size_t n, size_t *first, size_t *second);
/* Drop earlier entries whose alias repeats later (Java keeps the last read). */
void jks_store_dedupe_keep_last(jks_store *st);
/* The verdict after a store's integrity check failed: JKS_ERR_FORMAT naming
 * alias when the codec found an entry's bytes corrupt, else JKS_ERR_PASSWORD
 * at byte off (the check's position). */
jks_status jks_integrity_mismatch(int corrupt, const char *alias, long long off, jks_error *err);
/* The rule it applies (two aliases are the same entry's), for readers that
 * dedupe without a whole store (jks_store_visit_file). */
int jks_alias_dedupe_same(const char *a, const char *b);

/* Copy the bytes an entry's views point at (protected key, chain) into
 * memory the store keeps and point the views there: a low-memory read calls
 * it for every entry so that nothing refers to the file mapping after the
 * read. 0 on allocation failure (views unchanged). */
int jks_entry_own_views(jks_store *st, jks_entry *e);

/* Give the kernel back the mapped input pages before byte upto (they are
 * read again from the page cache when touched); nothing for other inputs. */
void jks_store_release_input(const jks_store *st, size_t upto);

/* ---- editing a decoded store (jks/edit.c) ---- */

/* Replace the chain (leaf first, n >= 1) of private key entry i with copies
 * of certs. The key and its protection are untouched. */
jks_status jks_store_set_chain(jks_store *st, size_t i, const jks_bytes *certs, size_t n,
                               jks_error *err);
/* jks_store_forget_protection (jks/source.h) and jks_store_p12_algorithms
 * (model/edit.c, jks/ops.h) are public. */

#endif
