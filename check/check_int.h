/* Validator internals: the check context (every certificate decoded once per
 * run and cached with its facts), the finding builder, and the rule groups of
 * check/rules.c and check/chain.c. */
#ifndef JKS_CHECK_INT_H
#define JKS_CHECK_INT_H

#include "jks/jks.h"
#include "jks/check.h"
#include "jks/certificate.h"
#include "jks/source.h"

/* The facts of jks_cert_info the rules use (that struct is 3 KB: a store of
 * 50,000 certificates kept 160 MB of it); subject and issuer are owned. */
typedef struct {
    char *subject, *issuer; /* issuer == subject (one allocation) when the text is equal */
    char spki_sha256[65];
    const char *key_algorithm, *sig_algorithm, *md_name; /* interned (chk_ctx.names) */
    int64_t not_before, not_after;
    int key_bits;
    unsigned char self_issued, is_ca, eku_client_auth, eku_server_auth, has_key_usage;
    unsigned key_usage; /* bit 0 digitalSignature ... as jks_cert_info */
} chk_facts;

/* One distinct certificate of the store (deduplicated by DER bytes through a
 * hash index), decoded once (jks_cert_decode) for its facts and issuer tests. */
typedef struct {
    jks_bytes der;
    jks_cert *x;          /* NULL when it does not parse */
    chk_facts info;       /* valid when x != NULL */
    const char *alias;    /* first entry it appears in (file order) */
    size_t pos;           /* its position in that entry's chain */
    jks_entry_kind kind;  /* that entry's kind */
    int trusted;          /* appears as a TrustedCertEntry Java sees */
    const char *trusted_alias; /* first such alias */
} chk_cert;

/* Per entry (kept small: a store may hold a million): what the rules read of
 * it (the entry itself is gone in a streamed check), indices of its chain
 * certificates and its key facts. */
typedef struct {
    const char *alias;    /* the store's (jks_check_run) or the list's arena (streamed) */
    size_t *certs;        /* n_chain indices into ctx->certs (a slice of ctx->chain_ix) */
    jks_key_info *ki;     /* key facts when the key was decrypted and parsed, else NULL */
    uint32_t n_chain;
    int pw_index;         /* jks_entry_password_index */
    unsigned char kind, visible, key_state; /* jks_entry_kind_of, _java_visible, _key_state */
} chk_entry;

static inline const char *ce_alias(const chk_entry *e) { return e->alias; }
static inline jks_entry_kind ce_kind(const chk_entry *e) { return (jks_entry_kind)e->kind; }
static inline int ce_visible(const chk_entry *e) { return e->visible; }
static inline size_t ce_chain_len(const chk_entry *e) { return e->n_chain; }
static inline jks_key_state ce_key_state(const chk_entry *e) { return (jks_key_state)e->key_state; }
static inline int ce_pw_index(const chk_entry *e) { return e->pw_index; }

/* The store-level facts the rules read (copied: a streamed check has no store
 * once the entries are visited). */
typedef struct {
    jks_integrity integrity;
    int storepass_given, mac_present;
    uint32_t mac_iterations;
    char *key_enc, *cert_enc, *mac_alg; /* owned, never NULL after ctx_build */
    size_t hidden_certs;
} chk_store_facts;

/* A finding of a streamed check (32 bytes: a million findings cost 32 MB):
 * its texts interned in the list's arena, the fix as a template where each
 * occurrence of the shell-quoted alias is the byte 1 (tmpl set), expanded
 * when the finding is handed over. */
typedef struct {
    const char *alias, *message, *fix;
    unsigned char id;     /* index into jks_check_ids */
    unsigned char severity, tmpl;
} chk_item;

typedef struct {
    chk_store_facts sf;
    chk_item *items;      /* streamed: the findings (c->out->items stays NULL) */
    size_t n_items, cap_items;
    int streamed;         /* aliases and certificates copied (no store behind the run) */
    void *bytes_;         /* streamed: the certificates' DER (arena chunks) */
    size_t n_entries;     /* jks_store_count(st) */
    jks_format format;    /* jks_store_format(st) */
    const jks_check_opts *opts;
    jks_findings *out;
    int oom;
    int64_t now;
    jks_purpose purpose;
    const char *ks;       /* the file name, shell-quoted, for fixes */
    char *ks_owned;
    chk_cert *certs;
    size_t n_certs, cap_certs;
    size_t *cert_tab;     /* hash index of certs by DER bytes (open addressing, +1) */
    size_t cert_tab_cap;
    size_t *chain_ix;     /* every entry's chain indices, one allocation */
    size_t n_chain_ix, cap_chain_ix;
    size_t n_added;       /* entries added so far (ctx_add) */
    char **names;         /* distinct algorithm names of the certificates (few) */
    size_t n_names, cap_names;
    size_t *subj_tab;     /* certs by normalised subject (built on first use) */
    size_t *subj_next, subj_cap;
    size_t *reply_ix;     /* trusted entries sorted by their certificate's key hash */
    uint64_t *low_hash_reply; /* per entry: that hash (valid for the entries in reply_ix) */
    size_t n_reply;
    int reply_built;
    uint64_t *low_hash;   /* per entry: hash of the Java-lower-cased alias (on first use) */
    size_t *low_ix;       /* entries sorted by low_hash */
    chk_entry *entries;   /* one per store entry, file order */
    size_t n_private, n_trusted, n_secret, n_ignored;
    size_t n_plain_keys;  /* keys in unencrypted PKCS#12 key bags: Java skips them */
    size_t n_keys_opened; /* private keys decrypted and parsed */
    int key_passwords_differ; /* keys of the store open with different passwords */
    int pem_keys_encrypted; /* a private key needed (or lacks) a password */
    int certs_unread;     /* PKCS#12 read without password: encrypted certs not seen */
    const char **msg_tab; /* interned messages (open addressing): a million
                             findings with one text keep one copy */
    size_t msg_cap, n_msg;
} chk_ctx;

/* The certificate is self-issued and its signature verifies with its own
 * key: verified on first use, once per certificate and run. */
int chk_self_signed(const chk_cert *r);

/* Add a finding; message is printf-style, fix is taken as is (NULL = none). */
void chk_add(chk_ctx *c, const char *id, jks_severity sev, const char *alias, const char *fix,
             const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* Format into a buffer of the context (for fixes); valid until the next call. */
const char *chk_fmt(chk_ctx *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Shell-quote s for a fix command line (malloc'd; NULL on OOM). */
char *chk_shell_quote(const char *s);

/* 1 when cert b issued cert a (names and signature). */
int chk_issued(const chk_cert *a, const chk_cert *b);

/* Rule groups, run in this order. */
void chk_store_rules(chk_ctx *c);
void chk_entry_rules(chk_ctx *c);
void chk_chain_rules(chk_ctx *c, const chk_entry *ce);
void chk_cert_rules(chk_ctx *c);

/* A 64-bit hash of n bytes (FNV-1a), for the context's indexes. */
uint64_t chk_hash(const void *p, size_t n);

/* 1 when the purpose is an identity store (client, server or inferred). */
static inline int chk_is_identity(jks_purpose p)
{
    return p == JKS_PURPOSE_CLIENT || p == JKS_PURPOSE_SERVER || p == JKS_PURPOSE_IDENTITY;
}

#endif
