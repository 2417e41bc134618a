/* BER normalised to DER once, at the edge (BoringSSL's CBS_asn1_ber_to_der).
 * Parsers then read DER only, through the cursor's getters. */
#ifndef JKS_BER_H
#define JKS_BER_H

#include <stddef.h>
#include <stdint.h>

/* Walks the elements of in (a sequence of one or more TLVs) and, where it
 * meets BER that DER forbids, writes a DER copy:
 *  - indefinite lengths become definite ones;
 *  - lengths in a longer form than needed become the shortest one;
 *  - constructed universal string types (OCTET STRING, the character strings)
 *    become one primitive string holding their chunks in order.
 * It descends into constructed elements only: the contents of a primitive
 * element (an OCTET STRING holding more ASN.1, a ciphertext) are opaque and
 * the caller normalises them when it opens them.
 * Returns 1 with *out NULL when in needs no change (no copy is made), 1 with
 * *out, *out_len a new DER copy (free with jks_buffer_free) when it did, and 0
 * when in is not BER this walker takes (cut short, a stray end-of-contents,
 * chunks of another type, high tag numbers, nesting past 64): *bad_offset is
 * then the offset in in of the element at fault. -1: out of memory. */
int jks_ber_to_der(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len,
                   size_t *bad_offset);

/* 1 when in starts with one whole BER element (of any form this walker
 * takes): *size is its length in bytes, so bytes after it are trailing. */
int jks_ber_element_size(const uint8_t *in, size_t len, size_t *size);

#endif
