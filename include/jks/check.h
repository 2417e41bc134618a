/* libjks validator: names the pitfalls of a keystore meant for (mutual) TLS.
 *
 * jks_check_run reads only the model (a jks_store from any format) and returns
 * a list of findings, each with a stable id (README "Check findings"), a
 * severity, the alias it concerns, a one-line message and a concrete fix. It
 * prints nothing. */
#ifndef JKS_CHECK_H
#define JKS_CHECK_H

#include "jks.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    JKS_SEV_ERROR = 0,
    JKS_SEV_WARNING = 1,
    JKS_SEV_INFO = 2,
} jks_severity;

/* "error", "warning", "info". */
JKS_EXTERN const char *jks_severity_name(jks_severity s);

/* What the keystore is meant to be. AUTO infers it: a store holding a
 * PrivateKeyEntry is an IDENTITY store (client or server, the checks common to
 * both); one holding only certificates is a TRUSTSTORE when its file name says
 * so (jks_check_name_says_truststore), else an IDENTITY store that lacks its
 * key (no-private-key, an error: the pitfall of a keystore holding only the
 * CA certificate); an empty store or one with only secret keys is NONE (no
 * purpose checks). jks_findings.inferred_from says which rule applied. */
typedef enum {
    JKS_PURPOSE_AUTO = 0,
    JKS_PURPOSE_CLIENT,
    JKS_PURPOSE_SERVER,
    JKS_PURPOSE_TRUSTSTORE,
    JKS_PURPOSE_IDENTITY,
    JKS_PURPOSE_NONE,
} jks_purpose;

/* "auto", "client", "server", "truststore", "identity", "none". */
JKS_EXTERN const char *jks_purpose_name(jks_purpose p);
/* Parse "client", "server" or "truststore" (also "identity"); AUTO when none. */
JKS_EXTERN jks_purpose jks_purpose_from_name(const char *name);

/* Options. Zeroed options check at the current time with an inferred purpose.
 * The password fields only describe how the store was read (they are compared,
 * never used to decrypt): pass the same storepass/keypasses that went into
 * jks_read_opts so key-password-differs can tell which password opened a key. */
typedef struct {
    unsigned int version;    /* JKS_CHECK_OPTS_VERSION (0 is taken as 1) */
    jks_purpose purpose;
    int64_t at;              /* evaluation time, seconds since the epoch */
    int at_set;              /* 0: use the current time */
    int expiry_warn_days;    /* expires-soon window; 0 = 30 days */
    const char *file_name;   /* for file-name-not-lowercase and in fixes; NULL = "KEYSTORE" */
    const char *storepass;
    const char *const *keypasses;
    size_t n_keypasses;
} jks_check_opts;

#define JKS_CHECK_OPTS_VERSION 1
#define JKS_CHECK_OPTS_INIT {.version = JKS_CHECK_OPTS_VERSION}

/* One finding. Strings are owned by the jks_findings list. alias is "" for
 * findings about the whole store. */
typedef struct {
    const char *id;
    jks_severity severity;
    const char *alias;
    const char *message;
    const char *fix;
} jks_finding;

/* The result of one check. items are in the order found (store-level facts
 * first, then per entry in file order). */
typedef struct {
    jks_finding *items;
    size_t count;
    jks_purpose purpose;     /* the purpose checked (never AUTO) */
    int inferred;            /* purpose was inferred, not given */
    size_t errors, warnings, infos;
    /* private */
    size_t cap;
    /* added after 2.0.0 (the list is allocated by the library, so older
     * callers, which never read it, are unaffected) */
    const char *inferred_from; /* when inferred: why, one static English clause
                                  ("it holds a private key", ...); else "" */
    void *strings_;            /* private: the arena holding the strings */
} jks_findings;

/* Check st. On success *out receives a new list (free with
 * jks_findings_free); JKS_ERR_IO when memory runs out (nothing returned).
 * A store with findings is still JKS_OK: look at (*out)->errors. */
JKS_EXTERN jks_status jks_check_run(const jks_store *st, const jks_check_opts *opts, jks_findings **out);

/* The report order of a list (as jkstool check prints it): findings grouped
 * by alias, the store's own (alias "") first; groups holding an error before
 * the others, then in the order of their first finding; within a group
 * errors, warnings, then info, each in the order found. Returns a new array
 * of f->count indices into f->items (free with jks_free); NULL when memory
 * runs out or the list has 2^28 findings or more. */
JKS_EXTERN size_t *jks_findings_report_order(const jks_findings *f);

/* Called by jks_check_file: once with f NULL before any finding (sum then
 * holds the purpose, whether and why it was inferred, and the counts of the
 * whole list; sum->items is NULL, format is the store's), then once per
 * finding in report order (jks_findings_report_order). sum and f, and the
 * strings of f, are valid during the call only. Return 0 to go on, non-zero
 * to stop. */
typedef int (*jks_finding_visitor)(const jks_findings *sum, jks_format format,
                                   const jks_finding *f, void *ctx);

/* Check the keystore in path without holding it nor its findings' texts: the
 * file is read with jks_store_visit_file and JKS_READ_LOW_MEMORY (a JKS or
 * JCEKS file of any size in two passes through a window; other files whole,
 * then visited), each entry kept as the few facts the rules read, and
 * each finding as its id, severity, alias and interned texts (a fix repeated
 * but for the alias is kept once), made whole when handed to fn. The findings
 * are those jks_check_run gives for the store jks_store_read_file(path, ro)
 * returns, in report order (a JKS of 1,000,000 tiny trusted entries, 31 MiB,
 * checks in about 92 MiB; jks_check_run on the read store needed 380). The
 * read's errors are returned before fn is called
 * (as jks_store_visit_file); JKS_ERR_IO when memory runs out; JKS_OK when fn
 * stops the walk. */
JKS_EXTERN jks_status jks_check_file(const char *path, const jks_read_opts *ro,
                                     const jks_check_opts *opts, jks_finding_visitor fn,
                                     void *ctx, jks_error *err);

/* 1 when the list holds an error (or, with strict, a warning). */
JKS_EXTERN int jks_findings_failed(const jks_findings *f, int strict);

/* Free a list. NULL is accepted. */
JKS_EXTERN void jks_findings_free(jks_findings *f);

/* 1 when a file name (its last path component) names a truststore: it
 * contains "trust" or "cacerts", or "ca" as a word of its own (ca.jks,
 * my-ca.p12, ca_bundle.pem; not "onlyca.jks"), case-insensitively. */
JKS_EXTERN int jks_check_name_says_truststore(const char *file_name);

/* Parse an evaluation time: ISO-8601 date "2025-01-31" (midnight UTC), date
 * and time "2025-01-31T12:00[:00][Z|+hh:mm|-hh:mm]" (UTC when no zone; a space
 * may replace the T), or "@SECONDS" since the epoch. Returns 0 and sets *secs,
 * or -1 when the text is none of these. */
JKS_EXTERN int jks_check_parse_time(const char *text, int64_t *secs);

/* Every finding id jks_check_run can produce, with its usual severity
 * (NULL-terminated table; some ids take another severity in some cases, as
 * README documents). */
typedef struct {
    const char *id;
    jks_severity severity;
    const char *summary;
} jks_check_id;
JKS_EXTERN extern const jks_check_id jks_check_ids[];

#ifdef __cplusplus
}
#endif
#endif
