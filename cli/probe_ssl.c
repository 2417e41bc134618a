/* jkstool probe: libssl opened with dlopen, its functions resolved into one
 * typed table the first time probe needs them (why: probe_ssl.h). Never
 * closed once loaded: libcrypto's exit handlers may call back into it. */
#include "probe_ssl.h"

#include <dlfcn.h>
#include <stdio.h>

static probe_ssl_api table;
static int loaded;

int probe_ssl_load(char *why, size_t cap)
{
    if (loaded)
        return 1;
    /* the soname first; then the unversioned name of the development link */
    const char *lib = "libssl.so.3";
    void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        char first[256];
        snprintf(first, sizeof(first), "%s", dlerror());
        lib = "libssl.so";
        if (!(h = dlopen(lib, RTLD_NOW | RTLD_LOCAL))) {
            snprintf(why, cap, "probe needs libssl (OpenSSL 3): %s", first);
            return 0;
        }
    }
    probe_ssl_api t;
    void *p;
#define PROBE_SSL_RESOLVE(f)                                                                \
    if (!(p = dlsym(h, #f))) {                                                              \
        snprintf(why, cap, "probe needs libssl (OpenSSL 3): %s has no symbol %s", lib, #f); \
        dlclose(h);                                                                         \
        return 0;                                                                           \
    }                                                                                       \
    t.f = (__typeof__(t.f))p;
    PROBE_SSL_FUNCS(PROBE_SSL_RESOLVE)
#undef PROBE_SSL_RESOLVE
    table = t;
    loaded = 1;
    return 1;
}

const probe_ssl_api *probe_ssl(void)
{
    return &table;
}
