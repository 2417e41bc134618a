/* keytool-compatible mode (jkstool keytool): text in keytool's formats,
 * shared by cli/cmd_keytool.c and cli/keytool_print.c. */
#ifndef JKSTOOL_KEYTOOL_H
#define JKSTOOL_KEYTOOL_H

#include "jks/jks.h"

#include <stdio.h>

/* keytool's MEDIUM date in the local time zone: "Nov 6, 2026". */
void kt_date(char *out, size_t cap, int64_t ms);
/* keytool -rfc PEM: BEGIN line, 64-column base64 lines joined by CRLF, LF
 * before the END line (byte for byte what keytool -exportcert -rfc writes). */
void kt_pem(FILE *f, const char *label, const uint8_t *der, size_t len);
/* keytool's certificate text (Owner ... Version, then Extensions); returns 0,
 * or -1 when the certificate does not parse (nothing printed). */
int kt_print_cert(FILE *f, const uint8_t *der, size_t len);
/* "ab01.." -> "AB:01:.." */
void kt_colon_hex(FILE *f, const char *hex);

#endif
