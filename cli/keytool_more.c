/* keytool mode, continued: the weak-algorithm warnings keytool collects
 * while a command runs (sun.security.tools.keytool.Main.weakWarnings, JDK
 * 17's texts), printed in one "Warning:" block at the end. The judgement is
 * the library's (jks_cert_strength); only the words are here. */
#include "cli.h"
#include "keytool.h"
#include "jks/certificate.h"

#include <stdlib.h>
#include <string.h>

#define KT_MAX_WARN 64

static char *warnings[KT_MAX_WARN];
static size_t n_warnings;

void kt_warn(const char *line)
{
    if (n_warnings < KT_MAX_WARN) {
        char *d = strdup(line);
        if (d)
            warnings[n_warnings++] = d;
    }
}

void kt_weak_lines(const char *label, const char *sig, jks_strength ss, const char *key,
                   jks_strength ks)
{
    char line[512];
    if (sig && ss != JKS_STRENGTH_OK) {
        snprintf(line, sizeof(line),
                 ss == JKS_STRENGTH_DISABLED
                     ? "%s uses the %s signature algorithm which is considered a security risk "
                       "and is disabled."
                     : "%s uses the %s signature algorithm which is considered a security risk. "
                       "This algorithm will be disabled in a future update.",
                 label, sig);
        kt_warn(line);
    }
    if (key && ks != JKS_STRENGTH_OK) {
        snprintf(line, sizeof(line),
                 ks == JKS_STRENGTH_DISABLED
                     ? "%s uses a %s which is considered a security risk and is disabled."
                     : "%s uses a %s which is considered a security risk. This key size will be "
                       "disabled in a future update.",
                 label, key);
        kt_warn(line);
    }
}

void kt_check_weak(const char *label, const uint8_t *der, size_t len, int trusted)
{
    char sig[96], key[128];
    jks_strength ss, ks;
    if (jks_cert_strength(der, len, JKS_JDK_17, &ss, &ks) != JKS_OK ||
        kt_cert_names(der, len, sig, sizeof(sig), key, sizeof(key)) != 0)
        return;
    kt_weak_lines(label, trusted ? NULL : sig, ss, key, ks);
}

void kt_warnings_flush(const char *extra)
{
    if (n_warnings || extra) {
        fputs("\nWarning:\n", stderr);
        for (size_t i = 0; i < n_warnings; i++)
            fprintf(stderr, "%s\n", warnings[i]);
        if (extra)
            fprintf(stderr, "%s\n", extra);
    }
    for (size_t i = 0; i < n_warnings; i++)
        free(warnings[i]);
    n_warnings = 0;
}
