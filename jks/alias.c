/* Java's alias rules (FORMATS.md 1.2): keytool and the JKS API lower-case
 * aliases with toLowerCase(Locale.ENGLISH). */
#include "store.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

static locale_t utf8_locale(void)
{
    static __thread locale_t loc; /* per thread: no shared mutable state */
    if (!loc)
        loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    return loc;
}

char *jks_alias_java_lower(const char *alias)
{
    size_t n = strlen(alias);
    char *o = malloc(n + 1);
    locale_t loc = utf8_locale();
    if (!o)
        return NULL;
    const unsigned char *s = (const unsigned char *)alias;
    size_t i = 0, k = 0;
    while (i < n) {
        unsigned char a = s[i];
        if (a < 0x80) {
            o[k++] = (char)(a >= 'A' && a <= 'Z' ? a + 32 : a);
            i++;
            continue;
        }
        /* two- and three-byte sequences whose lower case has the same length */
        size_t len = (a & 0xE0) == 0xC0 ? 2 : (a & 0xF0) == 0xE0 ? 3 : (a & 0xF8) == 0xF0 ? 4 : 1;
        if (i + len > n)
            len = n - i;
        uint32_t cp = 0;
        if (len == 2)
            cp = ((uint32_t)(a & 0x1F) << 6) | (s[i + 1] & 0x3F);
        else if (len == 3)
            cp = ((uint32_t)(a & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
        uint32_t lo = cp && loc ? (uint32_t)towlower_l((wint_t)cp, loc) : cp;
        if (cp && lo != cp && ((len == 2 && lo >= 0x80 && lo < 0x800) ||
                               (len == 3 && lo >= 0x800 && lo < 0x10000))) {
            if (len == 2) {
                o[k++] = (char)(0xC0 | (lo >> 6));
                o[k++] = (char)(0x80 | (lo & 0x3F));
            } else {
                o[k++] = (char)(0xE0 | (lo >> 12));
                o[k++] = (char)(0x80 | ((lo >> 6) & 0x3F));
                o[k++] = (char)(0x80 | (lo & 0x3F));
            }
        } else {
            memcpy(o + k, s + i, len);
            k += len;
        }
        i += len;
    }
    o[k] = 0;
    return o;
}

int jks_alias_java_cmp(const char *a, const char *b)
{
    char *la = jks_alias_java_lower(a), *lb = jks_alias_java_lower(b);
    int r = (la && lb) ? strcmp(la, lb) : strcmp(a, b);
    free(la);
    free(lb);
    return r;
}
