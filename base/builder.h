/* A growing output buffer with DER children (style of BoringSSL's CBB).
 * One sticky failure flag: call sites append freely and check
 * jks_builder_ok / jks_builder_finish once at the end. */
#ifndef JKS_BUILDER_H
#define JKS_BUILDER_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint8_t *buf;
    size_t len, cap;
    int failed;
} jks_builder;

void jks_builder_init(jks_builder *b, size_t initial);
int jks_builder_ok(const jks_builder *b);
void jks_builder_u8(jks_builder *b, uint8_t v);
void jks_builder_u16(jks_builder *b, uint16_t v);
void jks_builder_u32(jks_builder *b, uint32_t v);
void jks_builder_u64(jks_builder *b, uint64_t v);
void jks_builder_bytes(jks_builder *b, const void *p, size_t n);
/* writeUTF: u16 length + modified UTF-8 of a UTF-8 string (fails > 65535). */
void jks_builder_java_utf(jks_builder *b, const char *utf8);
/* DER (X.690 definite lengths), for the writers that emit ASN.1 themselves.
 * jks_der_size: bytes of a TLV whose content is n bytes (tag below 31).
 * jks_builder_der_header: tag and length of content the caller then appends.
 * jks_builder_der: a whole TLV with the given content.
 * jks_builder_der_open/close: content of unknown length; one length byte is
 * reserved and the content moved when it needs more, so use them for small
 * parts and known lengths (der_header) for big ones.
 * jks_builder_der_uint: INTEGER of a non-negative value. */
size_t jks_der_size(size_t n);
void jks_builder_der_header(jks_builder *b, uint8_t tag, size_t n);
void jks_builder_der(jks_builder *b, uint8_t tag, const void *p, size_t n);
size_t jks_builder_der_open(jks_builder *b, uint8_t tag);
void jks_builder_der_close(jks_builder *b, size_t mark);
void jks_builder_der_uint(jks_builder *b, uint64_t v);
/* Append n bytes the caller fills through the returned pointer (valid until
 * the next append); NULL after a failure. */
uint8_t *jks_builder_space(jks_builder *b, size_t n);
/* Hand the bytes over (caller frees with jks_buffer_free); 0 on failure, in
 * which case the buffer is wiped and freed. */
int jks_builder_finish(jks_builder *b, uint8_t **out, size_t *out_len);
/* Wipe and free without handing over. */
void jks_builder_cleanup(jks_builder *b);

#endif
