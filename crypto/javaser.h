/* The subset of Java object serialization found in JCEKS secret-key entries
 * (FORMATS.md 3.2, 3.3): a sealed object around a SecretKeySpec or KeyRep.
 * Only the classes keytool writes are accepted; nothing is ever executed. */
#ifndef JKS_JAVASER_H
#define JKS_JAVASER_H

#include "builder.h"
#include "cursor.h"
#include "store.h"

/* The parts of a SealedObjectForKeyProtector; views into the input. */
typedef struct {
    jks_bytes params;   /* DER PBEParameter */
    jks_bytes content;  /* encrypted inner stream */
    char params_alg[64];
    char seal_alg[64];
} jks_sealed;

/* Parse one complete serialization stream at c (no length prefix: the
 * stream's end ends it) and advance c past it. */
jks_status jks_sealed_parse(jks_cursor *c, jks_sealed *out, jks_error *err);
/* Write the stream keytool writes for a sealed key. */
void jks_sealed_build(jks_builder *b, const uint8_t *params, size_t params_len,
                      const uint8_t *content, size_t content_len);

/* Parse the decrypted inner stream: a SecretKeySpec or a KeyRep of type
 * SECRET and format RAW. *alg and *key are malloc'd (key wiped by caller). */
jks_status jks_secretkey_parse(const uint8_t *p, size_t n, char **alg, uint8_t **key,
                               size_t *key_len, jks_error *err);
/* The inner stream Java writes for a key of this algorithm (KeyRep for DES
 * DESede and PBE* password keys, SecretKeySpec otherwise). */
int jks_secretkey_build(const char *alg, const uint8_t *key, size_t key_len, uint8_t **out,
                        size_t *out_len);

#endif
