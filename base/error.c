/* Layer "base": the error value every call fills (include/jks.h, STYLE.md 4). */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void jks_error_clear(jks_error *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof(*err));
    err->offset = -1;
}

jks_status jks_fail(jks_error *err, jks_status status, long long offset, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->status = status;
        err->offset = offset;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
    }
    return status;
}

void jks_error_set_alias(jks_error *err, const char *alias)
{
    if (err && alias && !err->alias[0])
        snprintf(err->alias, sizeof(err->alias), "%s", alias);
}

const char *jks_error_format(const jks_error *err, char *buf, size_t buflen)
{
    size_t n = 0;
    if (!buflen)
        return buf;
    buf[0] = 0;
    if (err->alias[0])
        n += (size_t)snprintf(buf + n, buflen - n, "entry \"%s\"%s", err->alias,
                              err->offset >= 0 ? " " : ": ");
    if (n < buflen && err->offset >= 0)
        n += (size_t)snprintf(buf + n, buflen - n, "at byte %lld: ", err->offset);
    if (n < buflen)
        snprintf(buf + n, buflen - n, "%s", err->msg[0] ? err->msg : "unknown error");
    return buf;
}
