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

/* Control characters from a file (an alias with a newline or an ANSI escape)
 * must not forge lines or drive the terminal: C0, DEL and the C1 controls
 * (UTF-8 C2 80..C2 9F) become \xHH / \u00HH, as text. */
static size_t escape_controls(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)in;
    for (; *p && n + 1 < cap; p++) {
        char tmp[8];
        const char *w = NULL;
        if (*p < 0x20 || *p == 0x7F) {
            snprintf(tmp, sizeof tmp, "\\x%02x", *p);
            w = tmp;
        } else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
            snprintf(tmp, sizeof tmp, "\\u%04x", p[1]);
            w = tmp;
            p++;
        }
        if (!w) {
            out[n++] = (char)*p;
            continue;
        }
        size_t wl = strlen(w);
        if (n + wl >= cap)
            break;
        memcpy(out + n, w, wl);
        n += wl;
    }
    out[n] = 0;
    return n;
}

const char *jks_error_format(const jks_error *err, char *buf, size_t buflen)
{
    char alias[sizeof(err->alias) * 4], msg[sizeof(err->msg) * 4];
    size_t n = 0;
    if (!buf || !buflen)
        return buf;
    buf[0] = 0;
    if (!err)
        return buf;
    escape_controls(err->alias, alias, sizeof alias);
    escape_controls(err->msg[0] ? err->msg : "unknown error", msg, sizeof msg);
    if (alias[0])
        n += (size_t)snprintf(buf + n, buflen - n, "entry \"%s\"%s", alias,
                              err->offset >= 0 ? " " : ": ");
    if (n < buflen && err->offset >= 0)
        n += (size_t)snprintf(buf + n, buflen - n, "at byte %lld: ", err->offset);
    if (n < buflen)
        snprintf(buf + n, buflen - n, "%s", msg);
    return buf;
}
