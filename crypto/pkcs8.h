/* PKCS#8 structures through libtasn1 (jks/pkcs8.asn): EncryptedPrivateKeyInfo,
 * PBEParameter, PrivateKeyInfo. FORMATS.md 2.1 and 3.4. */
#ifndef JKS_PKCS8_H
#define JKS_PKCS8_H

#include <stddef.h>
#include <stdint.h>

/* A parsed EncryptedPrivateKeyInfo. params/data are malloc'd copies
 * (free with jks_epki_clear); params is the DER of the AlgorithmIdentifier
 * parameters, or NULL/0 when they are absent (JDK 21 writes none). */
typedef struct {
    char oid[128];
    uint8_t *params;
    size_t params_len;
    uint8_t *data;
    size_t data_len;
} jks_epki;

/* 1 on success, 0 when der is not exactly one EncryptedPrivateKeyInfo. */
int jks_epki_parse(const uint8_t *der, size_t len, jks_epki *out);
void jks_epki_clear(jks_epki *e);
/* DER of EncryptedPrivateKeyInfo { {oid, params}, data }. params NULL means
 * no parameters field at all. *out malloc'd. */
int jks_epki_build(const char *oid, const uint8_t *params, size_t params_len,
                   const uint8_t *data, size_t data_len, uint8_t **out, size_t *out_len);
/* PBEParameter: salt (up to salt_cap bytes) and iteration count. */
int jks_pbe_param_parse(const uint8_t *der, size_t len, uint8_t *salt, size_t salt_cap,
                        size_t *salt_len, uint32_t *iterations);
int jks_pbe_param_build(const uint8_t *salt, size_t salt_len, uint32_t iterations,
                        uint8_t **out, size_t *out_len);
/* 1 when der is exactly one well-formed PrivateKeyInfo (version 0 or 1). */
int jks_pkcs8_valid(const uint8_t *der, size_t len);
/* The key as Java hands it out (PKCS8Key.getEncoded) and OpenSSL writes it:
 * the PrivateKeyInfo without its [0] attributes (e.g. the Microsoft key usage
 * and CSP name of openssl pkcs12 -keysig/-keyex/-CSP). Returns 1 and a copy
 * in *out (free with jks_buffer_free) when der had attributes; 0 when it has
 * none or is not a PrivateKeyInfo (der is then the key as it is). */
int jks_pkcs8_without_attributes(const uint8_t *der, size_t len, uint8_t **out,
                                 size_t *out_len);

#define JKS_OID_KEYPROTECTOR "1.3.6.1.4.1.42.2.17.1.1"
#define JKS_OID_PBE_MD5_3DES "1.3.6.1.4.1.42.2.19.1"

#endif
