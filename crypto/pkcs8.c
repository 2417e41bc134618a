/* libtasn1 glue for the PKCS#8 structures of jks/pkcs8.asn (see pkcs8.h). */
#include "pkcs8.h"
#include "builder.h"
#include "cursor.h"

#include <libtasn1.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

extern const asn1_static_node jks_pkcs8_asn1_tab[];

/* The definitions tree is built once and only read afterwards. */
static asn1_node g_defs;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static void defs_init(void)
{
    if (asn1_array2tree(jks_pkcs8_asn1_tab, &g_defs, NULL) != ASN1_SUCCESS)
        g_defs = NULL;
}

static int decode(const char *type, const uint8_t *der, size_t len, asn1_node *out)
{
    pthread_once(&g_once, defs_init);
    *out = NULL;
    if (!g_defs || len > INT32_MAX)
        return 0;
    if (asn1_create_element(g_defs, type, out) != ASN1_SUCCESS)
        return 0;
    int max = (int)len;
    if (asn1_der_decoding2(out, der, &max, ASN1_DECODE_FLAG_STRICT_DER, NULL) != ASN1_SUCCESS ||
        (size_t)max != len) {
        asn1_delete_structure2(out, ASN1_DELETE_FLAG_ZEROIZE);
        return 0;
    }
    return 1;
}

/* Read a value into a new buffer; absent optional fields give 0. */
static int read_alloc(asn1_node n, const char *name, uint8_t **out, size_t *out_len)
{
    int len = 0;
    int r = asn1_read_value(n, name, NULL, &len);
    *out = NULL;
    *out_len = 0;
    if (r == ASN1_ELEMENT_NOT_FOUND || r == ASN1_VALUE_NOT_FOUND)
        return 0;
    if (r != ASN1_MEM_ERROR && r != ASN1_SUCCESS)
        return 0;
    uint8_t *b = malloc(len > 0 ? (size_t)len : 1);
    if (!b)
        return 0;
    if (len > 0 && asn1_read_value(n, name, b, &len) != ASN1_SUCCESS) {
        free(b);
        return 0;
    }
    *out = b;
    *out_len = (size_t)len;
    return 1;
}

int jks_epki_parse(const uint8_t *der, size_t len, jks_epki *e)
{
    asn1_node n;
    memset(e, 0, sizeof(*e));
    if (!decode("JKS-PKCS8.EncryptedPrivateKeyInfo", der, len, &n))
        return 0;
    int olen = (int)sizeof(e->oid);
    int ok = asn1_read_value(n, "encryptionAlgorithm.algorithm", e->oid, &olen) == ASN1_SUCCESS &&
             read_alloc(n, "encryptedData", &e->data, &e->data_len);
    if (ok)
        read_alloc(n, "encryptionAlgorithm.parameters", &e->params, &e->params_len);
    asn1_delete_structure2(&n, ASN1_DELETE_FLAG_ZEROIZE);
    if (!ok)
        jks_epki_clear(e);
    return ok;
}

void jks_epki_clear(jks_epki *e)
{
    free(e->params);
    free(e->data);
    memset(e, 0, sizeof(*e));
}

static int encode(asn1_node n, uint8_t **out, size_t *out_len)
{
    int len = 0;
    if (asn1_der_coding(n, "", NULL, &len, NULL) != ASN1_MEM_ERROR)
        return 0;
    uint8_t *b = malloc((size_t)len);
    if (!b || asn1_der_coding(n, "", b, &len, NULL) != ASN1_SUCCESS) {
        free(b);
        return 0;
    }
    *out = b;
    *out_len = (size_t)len;
    return 1;
}

int jks_epki_build(const char *oid, const uint8_t *params, size_t params_len,
                   const uint8_t *data, size_t data_len, uint8_t **out, size_t *out_len)
{
    asn1_node n = NULL;
    int ok;
    pthread_once(&g_once, defs_init);
    if (!g_defs || data_len > INT32_MAX || params_len > INT32_MAX ||
        asn1_create_element(g_defs, "JKS-PKCS8.EncryptedPrivateKeyInfo", &n) != ASN1_SUCCESS)
        return 0;
    ok = asn1_write_value(n, "encryptionAlgorithm.algorithm", oid, 1) == ASN1_SUCCESS &&
         asn1_write_value(n, "encryptionAlgorithm.parameters", params, params ? (int)params_len : 0) ==
             ASN1_SUCCESS &&
         asn1_write_value(n, "encryptedData", data, (int)data_len) == ASN1_SUCCESS &&
         encode(n, out, out_len);
    asn1_delete_structure2(&n, ASN1_DELETE_FLAG_ZEROIZE);
    return ok;
}

int jks_pbe_param_parse(const uint8_t *der, size_t len, uint8_t *salt, size_t salt_cap,
                        size_t *salt_len, uint32_t *iterations)
{
    asn1_node n;
    uint8_t ib[8];
    int sl = (int)salt_cap, il = (int)sizeof(ib);
    if (!decode("JKS-PKCS8.PBEParameter", der, len, &n))
        return 0;
    int ok = asn1_read_value(n, "salt", salt, &sl) == ASN1_SUCCESS &&
             asn1_read_value(n, "iterationCount", ib, &il) == ASN1_SUCCESS && il >= 1 && il <= 5;
    asn1_delete_structure2(&n, ASN1_DELETE_FLAG_ZEROIZE);
    if (!ok)
        return 0;
    uint64_t v = 0;
    if (ib[0] & 0x80)
        return 0; /* negative */
    for (int i = 0; i < il; i++)
        v = (v << 8) | ib[i];
    if (v > UINT32_MAX)
        return 0;
    *salt_len = (size_t)sl;
    *iterations = (uint32_t)v;
    return 1;
}

int jks_pbe_param_build(const uint8_t *salt, size_t salt_len, uint32_t iterations,
                        uint8_t **out, size_t *out_len)
{
    asn1_node n = NULL;
    uint8_t ib[5];
    int ok;
    /* minimal two's complement big-endian */
    ib[0] = 0;
    ib[1] = (uint8_t)(iterations >> 24);
    ib[2] = (uint8_t)(iterations >> 16);
    ib[3] = (uint8_t)(iterations >> 8);
    ib[4] = (uint8_t)iterations;
    int s = 0;
    while (s < 4 && ib[s] == 0 && !(ib[s + 1] & 0x80))
        s++;
    pthread_once(&g_once, defs_init);
    if (!g_defs || asn1_create_element(g_defs, "JKS-PKCS8.PBEParameter", &n) != ASN1_SUCCESS)
        return 0;
    ok = asn1_write_value(n, "salt", salt, (int)salt_len) == ASN1_SUCCESS &&
         asn1_write_value(n, "iterationCount", ib + s, 5 - s) == ASN1_SUCCESS &&
         encode(n, out, out_len);
    asn1_delete_structure2(&n, ASN1_DELETE_FLAG_ZEROIZE);
    return ok;
}

int jks_pkcs8_valid(const uint8_t *der, size_t len)
{
    asn1_node n;
    uint8_t ver[4], oid[128];
    int vl = (int)sizeof(ver), ol = (int)sizeof(oid), kl = 0;
    if (!decode("JKS-PKCS8.PrivateKeyInfo", der, len, &n))
        return 0;
    /* libtasn1 accepts an empty SEQUENCE ("30 00") without its mandatory
     * fields, so read each of them */
    int r = asn1_read_value(n, "privateKey", NULL, &kl);
    int ok = asn1_read_value(n, "version", ver, &vl) == ASN1_SUCCESS && vl == 1 && ver[0] <= 1 &&
             asn1_read_value(n, "privateKeyAlgorithm.algorithm", oid, &ol) == ASN1_SUCCESS &&
             (r == ASN1_MEM_ERROR || r == ASN1_SUCCESS) && kl > 0;
    asn1_delete_structure2(&n, ASN1_DELETE_FLAG_ZEROIZE);
    return ok;
}

int jks_pkcs8_without_attributes(const uint8_t *der, size_t len, uint8_t **out,
                                 size_t *out_len)
{
    jks_cursor c, seq, part;
    uint8_t tag;
    jks_cursor_init(&c, der, len);
    if (!jks_cursor_der(&c, &tag, &seq) || tag != 0x30 || jks_cursor_remaining(&c))
        return 0;
    const uint8_t *head = seq.p; /* version, privateKeyAlgorithm, privateKey */
    if (!jks_cursor_der(&seq, &tag, &part) || tag != 0x02 || !jks_cursor_der(&seq, &tag, &part) ||
        tag != 0x30 || !jks_cursor_der(&seq, &tag, &part) || tag != 0x04)
        return 0;
    size_t head_len = (size_t)(seq.p - head);
    if (!jks_cursor_der(&seq, &tag, &part) || tag != 0xA0)
        return 0;
    size_t tail_len = jks_cursor_remaining(&seq); /* [1] publicKey, kept */
    const uint8_t *tail = seq.p;
    jks_builder b;
    jks_builder_init(&b, len);
    jks_builder_der_header(&b, 0x30, head_len + tail_len);
    jks_builder_bytes(&b, head, head_len);
    jks_builder_bytes(&b, tail, tail_len);
    return jks_builder_finish(&b, out, out_len);
}
