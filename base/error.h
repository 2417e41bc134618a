/* Layer "base": filling a jks_error. The deepest failure sets it; callers
 * may add the alias, never replace it (STYLE.md 4). */
#ifndef JKS_BASE_ERROR_H
#define JKS_BASE_ERROR_H

#include "jks/jks.h"

/* Set err (if not NULL) and return status. fmt is printf-style. offset -1
 * when unknown. Does nothing to err->alias. */
jks_status jks_fail(jks_error *err, jks_status status, long long offset, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* Put alias into err if err has none yet. */
void jks_error_set_alias(jks_error *err, const char *alias);

#endif
