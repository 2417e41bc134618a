/* Layer "model": the codec interface. Every codec (jks/, pkcs12/, pem/, bks/) turns
 * bytes into the model or the model into bytes and exports one jks_codec;
 * the codec table (ops/codec.c) is the only place that knows them all. Codecs
 * never include or call each other. */
#ifndef JKS_MODEL_CODEC_H
#define JKS_MODEL_CODEC_H

#include "file.h"
#include "store.h"

typedef struct {
    /* Decode data/len (the store's own copy) into st. */
    jks_status (*decode)(jks_store *st, const uint8_t *data, size_t len,
                         const jks_read_opts *opts, jks_error *err);
    /* Encode st as opts->format into a new buffer (*out, *out_len). */
    jks_status (*encode)(const jks_store *st, const jks_write_opts *opts, uint8_t **out,
                         size_t *out_len, jks_error *err);
    /* Optional: hand each entry of the file behind w to fn without keeping
     * the store (jks_store_visit_file); NULL when the codec has none. st
     * holds the facts and the one entry being visited. *whole set: the file
     * needs a whole read instead (a fault to diagnose as decode would). */
    jks_status (*visit)(jks_store *st, jks_file_window *w, const jks_read_opts *opts,
                        jks_entry_visitor fn, void *ctx, int *whole, jks_error *err);
} jks_codec;

extern const jks_codec jks_codec_jks;    /* jks/jksfile.c: JKS and JCEKS */
extern const jks_codec jks_codec_pkcs12; /* pkcs12/: PKCS#12 */
extern const jks_codec jks_codec_pem;    /* pem/pem.c: PEM and DER */
extern const jks_codec jks_codec_bks;    /* bks/bksfile.c: BouncyCastle BKS */
extern const jks_codec jks_codec_uber;   /* bks/bksfile.c: BouncyCastle UBER */
extern const jks_codec jks_codec_bcfks;  /* bks/bcfks.c: BouncyCastle BCFKS */

#endif
