/* Algorithm strength as a JDK judges it with its default java.security
 * (jdk.certpath.disabledAlgorithms and jdk.security.legacyAlgorithms), the
 * judgement keytool shows as "(weak)"/"(disabled)". Names are decomposed as
 * sun.security.util.AlgorithmDecomposer does: split on "with", "and" and
 * "/", SHA-1 and SHA1 being the same name. */
#include "jks/certificate.h"

#include <string.h>
#include <strings.h>

/* the profiles' bare algorithm names */
static const char *const disabled_names[] = {"MD2", "MD5"};
static const char *const legacy_17[] = {"SHA1"};
static const char *const legacy_25[] = {"SHA1", "DES", "DESede", "MD5", "RC2", "ARCFOUR"};

static int in_list(const char *name, size_t n, const char *const *list, size_t count)
{
    char norm[32];
    if (n == 0 || n >= sizeof(norm))
        return 0;
    memcpy(norm, name, n);
    norm[n] = 0;
    if (!strcasecmp(norm, "SHA-1"))
        strcpy(norm, "SHA1");
    for (size_t i = 0; i < count; i++)
        if (!strcasecmp(norm, list[i]))
            return 1;
    return 0;
}

/* Each part of java_name (and the whole of it) judged by the lists. */
static jks_strength judge_parts(const char *s, int jdk)
{
    const char *const *legacy = jdk == JKS_JDK_25 ? legacy_25 : legacy_17;
    size_t nlegacy = jdk == JKS_JDK_25 ? sizeof(legacy_25) / sizeof(legacy_25[0])
                                       : sizeof(legacy_17) / sizeof(legacy_17[0]);
    jks_strength worst = JKS_STRENGTH_OK;
    size_t len = strlen(s), start = 0;
    for (size_t i = 0; i <= len; i++) {
        size_t sep = 0;
        if (i == len || s[i] == '/')
            sep = 1;
        else if (!strncasecmp(s + i, "with", 4))
            sep = 4;
        else if (!strncasecmp(s + i, "and", 3))
            sep = 3;
        if (!sep)
            continue;
        size_t n = i - start;
        if (in_list(s + start, n, disabled_names, sizeof(disabled_names) / sizeof(disabled_names[0])))
            return JKS_STRENGTH_DISABLED;
        if (in_list(s + start, n, legacy, nlegacy))
            worst = JKS_STRENGTH_WEAK;
        i += sep - 1;
        start = i + 1;
    }
    return worst;
}

jks_strength jks_algorithm_strength(const char *java_name, int jdk)
{
    if (!java_name || !*java_name)
        return JKS_STRENGTH_OK;
    /* the whole name first ("DESede" holds no separator but "RSASSA-PSS" and
     * "HmacSHA1" are single names the JDK also splits no further) */
    const char *p = java_name;
    if (!strncasecmp(p, "Hmac", 4))
        p += 4; /* HmacSHA1: the digest decides */
    return judge_parts(p, jdk);
}

jks_strength jks_key_strength(const char *key_algorithm, int bits, int jdk)
{
    if (!key_algorithm)
        return JKS_STRENGTH_OK;
    if (!strcasecmp(key_algorithm, "RSA") || !strcasecmp(key_algorithm, "DSA"))
        return bits < 1024 ? JKS_STRENGTH_DISABLED
               : bits < 2048 ? JKS_STRENGTH_WEAK
                             : JKS_STRENGTH_OK;
    if (!strcasecmp(key_algorithm, "EC"))
        return bits < 224 ? JKS_STRENGTH_DISABLED : JKS_STRENGTH_OK;
    return jks_algorithm_strength(key_algorithm, jdk);
}

jks_status jks_cert_strength(const uint8_t *der, size_t len, int jdk, jks_strength *sig,
                             jks_strength *key)
{
    jks_cert_info ci;
    if (sig)
        *sig = JKS_STRENGTH_OK;
    if (key)
        *key = JKS_STRENGTH_OK;
    if (!der || jks_cert_facts_get(der, len, &ci) != JKS_OK)
        return JKS_ERR_FORMAT;
    if (sig)
        *sig = jks_algorithm_strength(ci.md_name, jdk);
    if (key)
        *key = jks_key_strength(ci.key_algorithm, ci.key_bits, jdk);
    return JKS_OK;
}
