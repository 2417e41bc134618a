/* CUnit suite "null_args": every public call survives NULL pointers and
 * zero lengths (include/jks/jks.h "Arguments"): it returns JKS_ERR_USAGE (or
 * the documented empty answer: 0, NULL, an empty jks_bytes, "unknown"),
 * never faults. Each call runs in a child process so that a fault is
 * counted, named, and does not end the suite. The store and entry calls
 * are also made with a real store and out-of-range indexes. */
#include "jks/certificate.h"
#include "jks/check.h"
#include "jks/jks.h"
#include "jks/ops.h"
#include "jks/source.h"
#include "testutil.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static jks_store *g_st;          /* a store with one trusted entry */
static const jks_entry *g_e;

typedef struct {
    const char *name;
    int (*call)(void); /* 1: the answer is the documented one */
} api_case;

#define ST ((jks_store *)NULL)
#define E ((const jks_entry *)NULL)

static jks_error ERR;

static int c_read(void) { return jks_store_read(NULL, 5, NULL, NULL, NULL) == JKS_ERR_USAGE; }
static int c_read2(void)
{
    jks_store *o = (jks_store *)1;
    return jks_store_read(NULL, 0, NULL, &o, NULL) != JKS_OK || o == NULL;
}
static int c_read_file(void) { return jks_store_read_file(NULL, NULL, NULL, NULL) == JKS_ERR_USAGE; }
static int c_visit(void) { return jks_store_visit_file(NULL, NULL, NULL, NULL, NULL) == JKS_ERR_USAGE; }
static int c_release(void) { jks_store_release_memory(NULL); return 1; }
static int c_free(void) { jks_store_free(NULL); jks_free(NULL); jks_buffer_free(NULL, 9); return 1; }
static int c_format(void) { return jks_store_format(ST) == JKS_FORMAT_UNKNOWN; }
static int c_version(void) { return jks_store_version(ST) == 0; }
static int c_integrity(void) { return jks_store_integrity(ST) == JKS_INTEGRITY_NOT_CHECKED; }
static int c_count(void) { return jks_store_count(ST) == 0; }
static int c_entry(void) { return jks_store_entry(ST, 0) == NULL && jks_store_entry(g_st, 99) == NULL; }
static int c_remove(void) { jks_store_remove(ST, 0); jks_store_remove(g_st, 99); return jks_store_count(g_st) == 1; }
static int c_find(void) { return jks_store_find(ST, "a") == NULL && jks_store_find(g_st, NULL) == NULL; }
static int c_kind(void) { return jks_entry_kind_of(E) == JKS_ENTRY_TRUSTED_CERT || 1; }
static int c_alias(void) { const char *a = jks_entry_alias(E); return a == NULL || !*a; }
static int c_created(void) { int64_t ms; return jks_entry_created(E, &ms) == 0 && jks_entry_created(g_e, NULL) >= 0; }
static int c_chain_len(void) { return jks_entry_chain_len(E) == 0; }
static int c_cert(void) { return jks_entry_cert(E, 0).len == 0 && jks_entry_cert(g_e, 99).len == 0; }
static int c_key_state(void) { (void)jks_entry_key_state(E); return 1; }
static int c_protection(void) { (void)jks_entry_protection(E); return 1; }
static int c_pkcs8(void) { return jks_entry_pkcs8(E).len == 0; }
static int c_protected(void) { return jks_entry_protected_key(E).len == 0; }
static int c_secret_alg(void) { const char *a = jks_entry_secret_algorithm(E); return !a || !*a; }
static int c_secret(void) { return jks_entry_secret(E).len == 0; }
static int c_visible(void) { (void)jks_entry_java_visible(E); return 1; }
static int c_pw_index(void) { return jks_entry_password_index(E) < 0; }
static int c_cert_info(void) { jks_cert_info i; return jks_cert_info_get(NULL, 0, &i) != JKS_OK && jks_cert_info_get(NULL, 10, NULL) != JKS_OK; }
static int c_key_info(void) { jks_key_info i; return jks_key_info_get(NULL, 0, &i) != JKS_OK && jks_key_info_get(NULL, 3, NULL) != JKS_OK; }
static int c_issued_by(void) { return jks_cert_issued_by(NULL, 5, NULL, 5) == 0; }
static int c_sha256_hex(void) { char o[65]; jks_sha256_hex(NULL, 0, o); jks_sha256_hex(NULL, 5, NULL); return 1; }
static int c_add_pk(void) { return jks_store_add_private_key(ST, NULL, 0, NULL, 5, NULL, 3, NULL) == JKS_ERR_USAGE && jks_store_add_private_key(g_st, NULL, 0, NULL, 5, NULL, 3, &ERR) == JKS_ERR_USAGE; }
static int c_add_tc(void) { return jks_store_add_trusted_cert(ST, NULL, 0, NULL, 5, NULL) == JKS_ERR_USAGE && jks_store_add_trusted_cert(g_st, "x", 0, NULL, 5, &ERR) == JKS_ERR_USAGE; }
static int c_add_sk(void) { return jks_store_add_secret_key(ST, NULL, 0, NULL, NULL, 5, NULL) == JKS_ERR_USAGE && jks_store_add_secret_key(g_st, "x", 0, NULL, NULL, 5, &ERR) == JKS_ERR_USAGE; }
static int c_write(void) { return jks_store_write(ST, NULL, NULL, NULL, NULL) == JKS_ERR_USAGE && jks_store_write(g_st, NULL, NULL, NULL, &ERR) == JKS_ERR_USAGE; }
static int c_write_atomic(void) { return jks_file_write_atomic(NULL, NULL, 5, 0600, 0, NULL) == JKS_ERR_USAGE; }
static int c_would_replace(void) { return jks_file_would_replace(NULL) == 0; }
static int c_write_set(void) { return jks_file_write_set(NULL, NULL, 3, 0, NULL) == JKS_ERR_USAGE; }
static int c_file_read(void) { return jks_file_read(NULL, NULL, NULL, NULL) == JKS_ERR_USAGE; }
static int c_key_generate(void) { return jks_key_generate(NULL, 0, NULL, NULL, NULL) == JKS_ERR_USAGE; }
static int c_gen_params(void) { return jks_gen_params_check(NULL, NULL, NULL) != JKS_OK || 1; }
static int c_sigalg(void) { return jks_sigalg_default(NULL, 0, NULL, 0, NULL) == JKS_ERR_USAGE; }
static int c_self_signed(void) { return jks_cert_self_signed(NULL, 0, NULL, NULL, NULL, NULL) == JKS_ERR_USAGE; }
static int c_csr(void) { return jks_csr_create(NULL, 0, NULL, 0, NULL, NULL, NULL, NULL) == JKS_ERR_USAGE; }
static int c_pem_armor(void) { return jks_pem_armor(NULL, NULL, 5, NULL, NULL, NULL) == JKS_ERR_USAGE; }
static int c_chain_build(void) { return jks_chain_build(NULL, 0, NULL, 3, NULL, 3, NULL, NULL) == JKS_ERR_USAGE; }
static int c_key_find_cert(void) { return jks_key_find_cert(NULL, 0, NULL, 3) < 0; }
static int c_install_reply(void) { return jks_store_install_reply(ST, 0, NULL, 3, NULL, NULL, NULL) == JKS_ERR_USAGE && jks_store_install_reply(g_st, 99, NULL, 3, NULL, NULL, &ERR) == JKS_ERR_USAGE; }
static int c_export(void) { return jks_entry_export(E, JKS_EXPORT_CERT, NULL, NULL, NULL, NULL) == JKS_ERR_USAGE && jks_entry_export(g_e, JKS_EXPORT_CERT, NULL, NULL, NULL, &ERR) == JKS_ERR_USAGE; }
static int c_find_java(void) { return jks_store_find_java(ST, NULL) == NULL && jks_store_find_java(g_st, NULL) == NULL; }
static int c_alias_java_equal(void) { return jks_alias_java_equal(NULL, NULL) == 0 && jks_alias_java_equal("a", NULL) == 0; }
static int c_index_of(void) { return jks_store_index_of(ST, NULL) == (size_t)-1 || jks_store_index_of(g_st, NULL) >= jks_store_count(g_st); }
static int c_forget(void) { return jks_store_forget_protection(ST, 0) == 0 && jks_store_forget_protection(g_st, 99) == 0; }
static int c_p12alg(void) { (void)jks_store_p12_algorithms(ST); return 1; }
static int c_generate_key(void) { return jks_store_generate_key(ST, NULL, NULL, 0, NULL, 0, NULL) == JKS_ERR_USAGE; }
static int c_name_format(void) { char o[8]; return jks_name_format(NULL, 5, o, sizeof(o)) <= 0 && jks_name_format(NULL, 0, NULL, 0) <= 0; }
static int c_merge(void) { return jks_store_merge(ST, ST, NULL, NULL, NULL) == JKS_ERR_USAGE && jks_store_merge(g_st, NULL, NULL, NULL, &ERR) == JKS_ERR_USAGE; }
static int c_java_view(void) { return jks_store_java_view(ST, 0, NULL, NULL) == JKS_ERR_USAGE; }
static int c_import_entry(void) { return jks_store_import_entry(ST, ST, 0, NULL, NULL, -1, NULL) == JKS_ERR_USAGE && jks_store_import_entry(g_st, NULL, 0, NULL, NULL, -1, &ERR) == JKS_ERR_USAGE && jks_store_import_entry(g_st, g_st, 99, NULL, NULL, -1, &ERR) == JKS_ERR_USAGE; }
static int c_rename(void) { return jks_store_rename(ST, 0, NULL, NULL) == JKS_ERR_USAGE && jks_store_rename(g_st, 0, NULL, &ERR) == JKS_ERR_USAGE && jks_store_rename(g_st, 99, "x", &ERR) == JKS_ERR_USAGE; }
static int c_storepass_given(void) { return jks_store_storepass_given(ST) == 0; }
static int c_mac(void) { return jks_store_mac_present(ST) == 0 && jks_store_mac_iterations(ST) == 0; }
static int c_mac_alg(void) { const char *a = jks_store_mac_algorithm(ST); return !a || !*a; }
static int c_key_enc(void) { const char *a = jks_store_key_encryption(ST), *b = jks_store_cert_encryption(ST); return (!a || !*a) && (!b || !*b); }
static int c_hidden(void) { return jks_store_hidden_cert_count(ST) == 0; }
static int c_prot_name(void) { char o[8]; (void)jks_entry_protection_name(E, o, sizeof(o)); (void)jks_entry_protection_name(g_e, NULL, 0); return 1; }
static int c_lkid(void) { return jks_entry_local_key_id(E).len == 0; }
static int c_reusable(void) { return jks_entry_protection_reusable(E, JKS_FORMAT_JKS) == 0; }
static int c_java_lower(void) { return jks_alias_java_lower(NULL) == NULL; }
static int c_java_cmp(void) { (void)jks_alias_java_cmp(NULL, NULL); (void)jks_alias_java_cmp("a", NULL); return 1; }
static int c_error(void) { char b[4]; jks_error_clear(NULL); (void)jks_error_format(NULL, b, sizeof(b)); (void)jks_error_format(&ERR, NULL, 0); return 1; }
static int c_names(void) { return jks_format_from_name(NULL) == JKS_FORMAT_UNKNOWN && jks_format_sniff(NULL, 5) == JKS_FORMAT_UNKNOWN && jks_format_name((jks_format)99) != NULL && jks_entry_kind_name((jks_entry_kind)99) != NULL; }
static int c_check_run(void) { jks_findings *f = (jks_findings *)1; return jks_check_run(ST, NULL, &f) == JKS_ERR_USAGE && jks_check_run(g_st, NULL, NULL) == JKS_ERR_USAGE; }
static int c_findings(void) { (void)jks_findings_failed(NULL, 1); jks_findings_free(NULL); return 1; }
static int c_check_time(void) { int64_t s; return jks_check_parse_time(NULL, &s) == -1 && jks_check_parse_time("2026-01-01", NULL) == -1; }
static int c_purpose(void) { return jks_purpose_from_name(NULL) == jks_purpose_from_name("no such purpose") && jks_severity_name((jks_severity)99) != NULL && jks_purpose_name((jks_purpose)99) != NULL; }
static int c_cert_decode(void) { return jks_cert_decode(NULL, 5, NULL, NULL) != JKS_OK; }
static int c_cert_decode_view(void) { return jks_cert_decode_view(NULL, 5, NULL, NULL) != JKS_OK; }
static int c_cert_issued(void) { jks_cert_free(NULL); return jks_cert_issued(NULL, NULL) == 0; }
static int c_cert_facts(void) { jks_cert_info i; return jks_cert_facts_get(NULL, 0, &i) != JKS_OK && jks_cert_facts_get(NULL, 10, NULL) != JKS_OK; }
static int c_self_verified(void) { return jks_cert_self_verified(NULL) == 0; }

static const api_case cases[] = {
#define C(f) {#f, f}
    C(c_read), C(c_read2), C(c_read_file), C(c_visit), C(c_release), C(c_free), C(c_format),
    C(c_version), C(c_integrity), C(c_count), C(c_entry), C(c_remove), C(c_find), C(c_kind),
    C(c_alias), C(c_created), C(c_chain_len), C(c_cert), C(c_key_state), C(c_protection),
    C(c_pkcs8), C(c_protected), C(c_secret_alg), C(c_secret), C(c_visible), C(c_pw_index),
    C(c_cert_info), C(c_key_info), C(c_issued_by), C(c_sha256_hex), C(c_add_pk), C(c_add_tc),
    C(c_add_sk), C(c_write), C(c_write_atomic), C(c_would_replace), C(c_write_set),
    C(c_file_read), C(c_key_generate), C(c_gen_params), C(c_sigalg), C(c_self_signed), C(c_csr),
    C(c_pem_armor), C(c_chain_build), C(c_key_find_cert), C(c_install_reply), C(c_export),
    C(c_find_java), C(c_alias_java_equal), C(c_index_of), C(c_forget), C(c_p12alg),
    C(c_generate_key), C(c_name_format), C(c_merge), C(c_import_entry), C(c_rename), C(c_java_view), C(c_storepass_given),
    C(c_mac), C(c_mac_alg), C(c_key_enc), C(c_hidden), C(c_prot_name), C(c_lkid),
    C(c_reusable), C(c_java_lower), C(c_java_cmp), C(c_error), C(c_names), C(c_check_run),
    C(c_findings), C(c_check_time), C(c_purpose), C(c_cert_decode), C(c_cert_decode_view), C(c_cert_issued),
    C(c_cert_facts), C(c_self_verified),
#undef C
};

static void test_every_call(void)
{
    int faults = 0, wrong = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0)
            _exit(cases[i].call() ? 0 : 1);
        int st = 0;
        waitpid(pid, &st, 0);
        if (WIFSIGNALED(st) || (WIFEXITED(st) && WEXITSTATUS(st) > 1)) {
            fprintf(stderr, "\n  %s: fault (%s)", cases[i].name,
                    WIFSIGNALED(st) ? strsignal(WTERMSIG(st)) : "sanitizer report");
            faults++;
        } else if (WEXITSTATUS(st) == 1) {
            fprintf(stderr, "\n  %s: not the documented answer", cases[i].name);
            wrong++;
        }
    }
    CU_ASSERT_EQUAL(faults, 0);
    CU_ASSERT_EQUAL(wrong, 0);
}

int main(void)
{
    static const test_case tc[] = {
        {"every public call with NULL and zero arguments", test_every_call},
    };
    static const uint8_t der[] = {0x30, 0x03, 0x02, 0x01, 0x00};
    g_st = jks_store_new(JKS_FORMAT_JKS);
    jks_store_add_trusted_cert(g_st, "one", 0, der, sizeof(der), &ERR);
    g_e = jks_store_entry(g_st, 0);
    int rc = run_suite("null_args", tc, sizeof(tc) / sizeof(tc[0]));
    jks_store_free(g_st);
    return rc;
}
