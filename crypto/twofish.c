/* Twofish (crypto/twofish.h), from the specification: the q permutations
 * from their 4-bit tables, the MDS and RS matrices over GF(2^8), the h
 * function, the key schedule and the 16-round Feistel network. The round
 * function g uses tables built once per key (h of every byte value at each
 * position, MDS column included), as the specification's "full keying"
 * option: 1,024 h evaluations per key instead of 64 per block. */
#include "twofish.h"

#include <openssl/crypto.h>
#include <string.h>

static const uint8_t Q0T[4][16] = {
    {0x8, 0x1, 0x7, 0xD, 0x6, 0xF, 0x3, 0x2, 0x0, 0xB, 0x5, 0x9, 0xE, 0xC, 0xA, 0x4},
    {0xE, 0xC, 0xB, 0x8, 0x1, 0x2, 0x3, 0x5, 0xF, 0x4, 0xA, 0x6, 0x7, 0x0, 0x9, 0xD},
    {0xB, 0xA, 0x5, 0xE, 0x6, 0xD, 0x9, 0x0, 0xC, 0x8, 0xF, 0x3, 0x2, 0x4, 0x7, 0x1},
    {0xD, 0x7, 0xF, 0x4, 0x1, 0x2, 0x6, 0xE, 0x9, 0xB, 0x3, 0x0, 0x8, 0x5, 0xC, 0xA}};
static const uint8_t Q1T[4][16] = {
    {0x2, 0x8, 0xB, 0xD, 0xF, 0x7, 0x6, 0xE, 0x3, 0x1, 0x9, 0x4, 0x0, 0xA, 0xC, 0x5},
    {0x1, 0xE, 0x2, 0xB, 0x4, 0xC, 0x3, 0x7, 0x6, 0xD, 0xA, 0x5, 0xF, 0x9, 0x0, 0x8},
    {0x4, 0xC, 0x7, 0x5, 0x1, 0x6, 0x9, 0xA, 0x0, 0xE, 0xD, 0x8, 0x2, 0xB, 0x3, 0xF},
    {0xB, 0x9, 0x5, 0x1, 0xC, 0x3, 0xD, 0xE, 0x6, 0x4, 0x7, 0xF, 0x2, 0x0, 0x8, 0xA}};

static uint8_t ror4(uint8_t x) { return (uint8_t)(((x >> 1) | (x << 3)) & 0xF); }

static uint8_t q(const uint8_t t[4][16], uint8_t x)
{
    uint8_t a = x >> 4, b = x & 0xF;
    uint8_t a1 = a ^ b, b1 = (uint8_t)((a ^ ror4(b) ^ (a << 3)) & 0xF);
    uint8_t a2 = t[0][a1], b2 = t[1][b1];
    uint8_t a3 = a2 ^ b2, b3 = (uint8_t)((a2 ^ ror4(b2) ^ (a2 << 3)) & 0xF);
    return (uint8_t)(t[3][b3] << 4 | t[2][a3]);
}
#define Q0(x) q(Q0T, (x))
#define Q1(x) q(Q1T, (x))

/* Multiplication in GF(2^8) modulo poly (0x169 for MDS, 0x14D for RS). */
static uint8_t gmul(uint8_t a, uint8_t b, unsigned poly)
{
    unsigned r = 0, x = a;
    for (; b; b >>= 1) {
        if (b & 1)
            r ^= x;
        x <<= 1;
        if (x & 0x100)
            x ^= poly;
    }
    return (uint8_t)r;
}

static uint32_t rol(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }
static uint32_t ror(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
static uint8_t byte(uint32_t x, int i) { return (uint8_t)(x >> (8 * i)); }

static uint32_t mds(const uint8_t y[4])
{
    static const uint8_t M[4][4] = {
        {0x01, 0xEF, 0x5B, 0x5B}, {0x5B, 0xEF, 0xEF, 0x01}, {0xEF, 0x5B, 0x01, 0xEF}, {0xEF, 0x01, 0xEF, 0x5B}};
    uint32_t z = 0;
    for (int i = 0; i < 4; i++) {
        uint8_t v = 0;
        for (int j = 0; j < 4; j++)
            v ^= gmul(M[i][j], y[j], 0x169);
        z |= (uint32_t)v << (8 * i);
    }
    return z;
}

/* The byte path of h at position i (spec 4.3.2): y through the q
 * permutations and the key bytes l[..] at that position, before the MDS. */
static uint8_t hbyte(int i, uint8_t y, const uint32_t *l, int n)
{
    /* q0/q1 choice per stage (rows: the stage of L[3], L[2], L[1], L[0] and
     * the last) for positions 0..3 */
    static const uint8_t Q1AT[5][4] = {
        {1, 0, 0, 1}, {1, 1, 0, 0}, {0, 1, 0, 1}, {0, 0, 1, 1}, {1, 0, 1, 0}};
    if (n == 4)
        y = (Q1AT[0][i] ? Q1(y) : Q0(y)) ^ byte(l[3], i);
    if (n >= 3)
        y = (Q1AT[1][i] ? Q1(y) : Q0(y)) ^ byte(l[2], i);
    y = (Q1AT[2][i] ? Q1(y) : Q0(y)) ^ byte(l[1], i);
    y = (Q1AT[3][i] ? Q1(y) : Q0(y)) ^ byte(l[0], i);
    return Q1AT[4][i] ? Q1(y) : Q0(y);
}

/* h(X, L) with L[0..n-1] (spec 4.3.2). */
static uint32_t h(uint32_t x, const uint32_t *l, int n)
{
    uint8_t y[4];
    for (int i = 0; i < 4; i++)
        y[i] = hbyte(i, byte(x, i), l, n);
    return mds(y);
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
}

int jks_twofish_init(jks_twofish *t, const uint8_t *key, size_t key_len)
{
    static const uint8_t RS[4][8] = {{0x01, 0xA4, 0x55, 0x87, 0x5A, 0x58, 0xDB, 0x9E},
                                     {0xA4, 0x56, 0x82, 0xF3, 0x1E, 0xC6, 0x68, 0xE5},
                                     {0x02, 0xA1, 0xFC, 0xC1, 0x47, 0xAE, 0x3D, 0x19},
                                     {0xA4, 0x55, 0x87, 0x5A, 0x58, 0xDB, 0x9E, 0x03}};
    uint32_t me[4], mo[4];
    if (key_len != 16 && key_len != 24 && key_len != 32)
        return 0;
    int n = (int)(key_len / 8);
    t->n = n;
    for (int i = 0; i < n; i++) {
        me[i] = le32(key + 8 * i);
        mo[i] = le32(key + 8 * i + 4);
        uint32_t s = 0;
        for (int r = 0; r < 4; r++) {
            uint8_t v = 0;
            for (int c = 0; c < 8; c++)
                v ^= gmul(RS[r][c], key[8 * i + c], 0x14D);
            s |= (uint32_t)v << (8 * r);
        }
        t->s[n - 1 - i] = s; /* S = (S_{k-1}, ..., S_0) */
    }
    for (int i = 0; i < 20; i++) {
        uint32_t a = h((uint32_t)(2 * i) * 0x01010101u, me, n);
        uint32_t b = rol(h((uint32_t)(2 * i + 1) * 0x01010101u, mo, n), 8);
        t->k[2 * i] = a + b;
        t->k[2 * i + 1] = rol(a + 2 * b, 9);
    }
    /* MDS is linear over GF(2^8)^4: g(x) is the XOR of one column product
     * per input byte */
    for (int i = 0; i < 4; i++)
        for (unsigned b = 0; b < 256; b++) {
            uint8_t y[4] = {0, 0, 0, 0};
            y[i] = hbyte(i, (uint8_t)b, t->s, n);
            t->g[i][b] = mds(y);
        }
    OPENSSL_cleanse(me, sizeof(me));
    OPENSSL_cleanse(mo, sizeof(mo));
    return 1;
}

void jks_twofish_clear(jks_twofish *t)
{
    OPENSSL_cleanse(t, sizeof(*t));
}

#define G(t, x) ((t)->g[0][byte((x), 0)] ^ (t)->g[1][byte((x), 1)] ^ \
                 (t)->g[2][byte((x), 2)] ^ (t)->g[3][byte((x), 3)])

void jks_twofish_encrypt(const jks_twofish *t, const uint8_t in[16], uint8_t out[16])
{
    uint32_t r[4];
    for (int i = 0; i < 4; i++)
        r[i] = le32(in + 4 * i) ^ t->k[i];
    for (int rd = 0; rd < 16; rd++) {
        uint32_t t0 = G(t, r[0]), t1 = G(t, rol(r[1], 8));
        uint32_t f0 = t0 + t1 + t->k[2 * rd + 8], f1 = t0 + 2 * t1 + t->k[2 * rd + 9];
        uint32_t n2 = ror(r[2] ^ f0, 1), n3 = rol(r[3], 1) ^ f1;
        r[2] = r[0], r[3] = r[1], r[0] = n2, r[1] = n3;
    }
    for (int i = 0; i < 4; i++)
        put_le32(out + 4 * i, r[(i + 2) % 4] ^ t->k[i + 4]);
}

void jks_twofish_decrypt(const jks_twofish *t, const uint8_t in[16], uint8_t out[16])
{
    uint32_t r[4];
    for (int i = 0; i < 4; i++)
        r[(i + 2) % 4] = le32(in + 4 * i) ^ t->k[i + 4];
    for (int rd = 15; rd >= 0; rd--) {
        uint32_t t0 = G(t, r[2]), t1 = G(t, rol(r[3], 8));
        uint32_t f0 = t0 + t1 + t->k[2 * rd + 8], f1 = t0 + 2 * t1 + t->k[2 * rd + 9];
        uint32_t p2 = rol(r[0], 1) ^ f0, p3 = ror(r[1] ^ f1, 1);
        r[0] = r[2], r[1] = r[3], r[2] = p2, r[3] = p3;
    }
    for (int i = 0; i < 4; i++)
        put_le32(out + 4 * i, r[i] ^ t->k[i]);
}

void jks_twofish_cbc(const jks_twofish *t, int enc, uint8_t iv[16], const uint8_t *in,
                     uint8_t *out, size_t len)
{
    uint8_t x[16], c[16];
    for (size_t off = 0; off + 16 <= len; off += 16) {
        if (enc) {
            for (int i = 0; i < 16; i++)
                x[i] = in[off + i] ^ iv[i];
            jks_twofish_encrypt(t, x, out + off);
            memcpy(iv, out + off, 16);
        } else {
            memcpy(c, in + off, 16);
            jks_twofish_decrypt(t, c, x);
            for (int i = 0; i < 16; i++)
                out[off + i] = x[i] ^ iv[i];
            memcpy(iv, c, 16);
        }
    }
    OPENSSL_cleanse(x, sizeof(x));
}
