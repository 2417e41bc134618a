/* A small, bounded parser and writer for Java serialization streams
 * (java.io.ObjectOutputStream protocol version 5) restricted to the classes
 * of JCEKS secret-key entries, FORMATS.md 3.2 and 3.3. The parser builds a
 * tiny value tree; handles, depth and sizes are all bounded by the input. */
#include "javaser.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

enum {
    TC_NULL = 0x70, TC_REFERENCE = 0x71, TC_CLASSDESC = 0x72, TC_OBJECT = 0x73,
    TC_STRING = 0x74, TC_ARRAY = 0x75, TC_ENDBLOCKDATA = 0x78, TC_ENUM = 0x7E,
};
#define SC_WRITE_METHOD 0x01
#define SC_SERIALIZABLE 0x02
#define SC_EXTERNALIZABLE 0x04
#define SC_ENUM 0x10
#define BASE_HANDLE 0x7E0000u
#define MAX_DEPTH 8
#define MAX_FIELDS 16
#define MAX_HANDLES 256

typedef enum { V_NULL, V_STRING, V_BYTES, V_OBJECT, V_ENUM, V_DESC } vtype;

typedef struct val val;
typedef struct {
    char type;
    char *name;
} field;

struct val {
    vtype t;
    /* V_STRING: str; V_BYTES: bytes; V_DESC: name/flags/fields/super;
     * V_OBJECT: desc + values (flattened, superclass fields first); V_ENUM: desc + str */
    char *str;
    jks_bytes bytes;
    char *name;
    uint8_t flags;
    field fields[MAX_FIELDS];
    int nfields;
    val *super;
    val *desc;
    val *values[2 * MAX_FIELDS];
    int nvalues;
};

typedef struct {
    jks_cursor c;
    val *handles[MAX_HANDLES];
    int nhandles;
    val *all[4 * MAX_HANDLES];
    int nall;
    const char *const *allowed; /* NULL-terminated class names */
    jks_error *err;
    size_t start;
} ctx;

static val *new_val(ctx *x, vtype t)
{
    if (x->nall >= (int)(sizeof(x->all) / sizeof(x->all[0])))
        return NULL;
    val *v = calloc(1, sizeof(*v));
    if (v)
        x->all[x->nall++] = v;
    if (v)
        v->t = t;
    return v;
}

static void free_ctx(ctx *x)
{
    for (int i = 0; i < x->nall; i++) {
        val *v = x->all[i];
        free(v->str);
        free(v->name);
        for (int j = 0; j < v->nfields; j++)
            free(v->fields[j].name);
        free(v);
    }
    x->nall = 0;
}

static jks_status bad(ctx *x, const char *what)
{
    return jks_fail(x->err, JKS_ERR_FORMAT, (long long)jks_cursor_offset(&x->c),
                    "Java serialization: %s", what);
}

static int add_handle(ctx *x, val *v)
{
    if (x->nhandles >= MAX_HANDLES)
        return 0;
    x->handles[x->nhandles++] = v;
    return 1;
}

static int read_utf(ctx *x, char **out)
{
    size_t n;
    return jks_cursor_java_utf(&x->c, out, &n);
}

static int allowed(ctx *x, const char *name)
{
    for (const char *const *a = x->allowed; *a; a++)
        if (!strcmp(*a, name))
            return 1;
    return 0;
}

static jks_status read_content(ctx *x, int depth, val **out);

static jks_status read_ref(ctx *x, val **out)
{
    uint32_t h;
    if (!jks_cursor_u32(&x->c, &h))
        return bad(x, "truncated reference");
    if (h < BASE_HANDLE || h - BASE_HANDLE >= (uint32_t)x->nhandles)
        return bad(x, "reference to an unknown handle");
    *out = x->handles[h - BASE_HANDLE];
    return JKS_OK;
}

/* classDesc: TC_CLASSDESC ... | TC_NULL | TC_REFERENCE */
static jks_status read_desc(ctx *x, int depth, val **out)
{
    uint8_t tc;
    jks_status s;
    if (depth > MAX_DEPTH)
        return bad(x, "nesting too deep");
    if (!jks_cursor_u8(&x->c, &tc))
        return bad(x, "truncated class descriptor");
    if (tc == TC_NULL) {
        *out = NULL;
        return JKS_OK;
    }
    if (tc == TC_REFERENCE) {
        if ((s = read_ref(x, out)))
            return s;
        if (!*out || (*out)->t != V_DESC)
            return bad(x, "reference is not a class descriptor");
        return JKS_OK;
    }
    if (tc != TC_CLASSDESC)
        return bad(x, "unsupported class descriptor token");
    val *d = new_val(x, V_DESC);
    uint64_t suid;
    uint16_t nf;
    if (!d)
        return jks_fail(x->err, JKS_ERR_IO, -1, "out of memory");
    if (!read_utf(x, &d->name))
        return bad(x, "bad class name");
    if (!allowed(x, d->name))
        return jks_fail(x->err, JKS_ERR_FORMAT, (long long)jks_cursor_offset(&x->c),
                        "Java serialization: class %.80s is not allowed here", d->name);
    if (!jks_cursor_u64(&x->c, &suid) || !jks_cursor_u8(&x->c, &d->flags) ||
        !jks_cursor_u16(&x->c, &nf))
        return bad(x, "truncated class descriptor");
    if (d->flags & (SC_WRITE_METHOD | SC_EXTERNALIZABLE))
        return bad(x, "custom-serialized classes are not supported");
    if (nf > MAX_FIELDS)
        return bad(x, "too many fields");
    if (!add_handle(x, d))
        return bad(x, "too many objects");
    for (uint16_t i = 0; i < nf; i++) {
        uint8_t t;
        if (!jks_cursor_u8(&x->c, &t))
            return bad(x, "truncated field");
        field *f = &d->fields[d->nfields];
        f->type = (char)t;
        f->name = NULL;
        d->nfields++;
        if (!read_utf(x, &f->name))
            return bad(x, "bad field name");
        if (t == 'L' || t == '[') {
            val *cn;
            if ((s = read_content(x, depth + 1, &cn)))
                return s;
            if (!cn || cn->t != V_STRING)
                return bad(x, "field class name is not a string");
        } else if (!strchr("BCDFIJSZ", t)) {
            return bad(x, "bad field type");
        }
    }
    uint8_t end;
    if (!jks_cursor_u8(&x->c, &end) || end != TC_ENDBLOCKDATA)
        return bad(x, "class annotations are not supported");
    if ((s = read_desc(x, depth + 1, &d->super)))
        return s;
    *out = d;
    return JKS_OK;
}

static size_t prim_size(char t)
{
    switch (t) {
    case 'B': case 'Z': return 1;
    case 'C': case 'S': return 2;
    case 'I': case 'F': return 4;
    default: return 8; /* J, D */
    }
}

static jks_status read_fields(ctx *x, int depth, val *obj, val *d)
{
    jks_status s;
    if (!d)
        return JKS_OK;
    if (depth > MAX_DEPTH)
        return bad(x, "class hierarchy too deep");
    if ((s = read_fields(x, depth + 1, obj, d->super)))
        return s;
    for (int i = 0; i < d->nfields; i++) {
        char t = d->fields[i].type;
        if (t == 'L' || t == '[') {
            val *v;
            if ((s = read_content(x, depth + 1, &v)))
                return s;
            if (obj->nvalues >= 2 * MAX_FIELDS)
                return bad(x, "too many field values");
            obj->values[obj->nvalues++] = v;
        } else if (!jks_cursor_skip(&x->c, prim_size(t))) {
            return bad(x, "truncated field value");
        }
    }
    return JKS_OK;
}

static jks_status read_content(ctx *x, int depth, val **out)
{
    uint8_t tc;
    jks_status s;
    val *v, *d;
    if (depth > MAX_DEPTH)
        return bad(x, "nesting too deep");
    if (!jks_cursor_u8(&x->c, &tc))
        return bad(x, "truncated stream");
    switch (tc) {
    case TC_NULL:
        *out = NULL;
        return JKS_OK;
    case TC_REFERENCE:
        return read_ref(x, out);
    case TC_STRING:
        if (!(v = new_val(x, V_STRING)))
            return jks_fail(x->err, JKS_ERR_IO, -1, "out of memory");
        if (!read_utf(x, &v->str))
            return bad(x, "bad string");
        if (!add_handle(x, v))
            return bad(x, "too many objects");
        *out = v;
        return JKS_OK;
    case TC_ARRAY: {
        uint32_t n;
        const uint8_t *p;
        if ((s = read_desc(x, depth + 1, &d)))
            return s;
        if (!d || strcmp(d->name, "[B"))
            return bad(x, "only byte arrays are supported");
        if (!(v = new_val(x, V_BYTES)) || !add_handle(x, v))
            return bad(x, "too many objects");
        if (!jks_cursor_u32(&x->c, &n) || !jks_cursor_view(&x->c, n, &p))
            return bad(x, "truncated byte array");
        v->bytes.data = p;
        v->bytes.len = n;
        *out = v;
        return JKS_OK;
    }
    case TC_ENUM: {
        val *name;
        if ((s = read_desc(x, depth + 1, &d)))
            return s;
        if (!d || !(d->flags & SC_ENUM))
            return bad(x, "enum without an enum class");
        if (!(v = new_val(x, V_ENUM)) || !add_handle(x, v))
            return bad(x, "too many objects");
        v->desc = d;
        if ((s = read_content(x, depth + 1, &name)))
            return s;
        if (!name || name->t != V_STRING)
            return bad(x, "enum constant is not a string");
        v->values[0] = name;
        v->nvalues = 1;
        *out = v;
        return JKS_OK;
    }
    case TC_OBJECT:
        if ((s = read_desc(x, depth + 1, &d)))
            return s;
        if (!d || !(d->flags & SC_SERIALIZABLE) || (d->flags & SC_ENUM))
            return bad(x, "object of a non-serializable class");
        if (!(v = new_val(x, V_OBJECT)) || !add_handle(x, v))
            return bad(x, "too many objects");
        v->desc = d;
        if ((s = read_fields(x, depth + 1, v, d)))
            return s;
        *out = v;
        return JKS_OK;
    default:
        return bad(x, "unsupported token");
    }
}

/* Parse a whole stream (magic, version, one object). */
static jks_status parse_stream(ctx *x, val **out)
{
    uint16_t magic, ver;
    x->start = jks_cursor_offset(&x->c);
    if (!jks_cursor_u16(&x->c, &magic) || !jks_cursor_u16(&x->c, &ver) || magic != 0xACED ||
        ver != 5)
        return bad(x, "not a serialization stream (expected AC ED 00 05)");
    return read_content(x, 0, out);
}

/* Field value by name along the class hierarchy (values are flattened in
 * superclass-first order). */
static val *field_value(val *obj, const char *name)
{
    val *chain[MAX_DEPTH + 2];
    int n = 0, k = 0;
    for (val *d = obj->desc; d && n < MAX_DEPTH + 1; d = d->super)
        chain[n++] = d;
    while (n-- > 0) {
        val *d = chain[n];
        for (int i = 0; i < d->nfields; i++) {
            char t = d->fields[i].type;
            if (t != 'L' && t != '[')
                continue;
            if (k < obj->nvalues && !strcmp(d->fields[i].name, name))
                return obj->values[k];
            k++;
        }
    }
    return NULL;
}

static const char *const sealed_classes[] = {
    "com.sun.crypto.provider.SealedObjectForKeyProtector", "javax.crypto.SealedObject", "[B", NULL};

jks_status jks_sealed_parse(jks_cursor *c, jks_sealed *out, jks_error *err)
{
    ctx x;
    val *o = NULL;
    jks_status s;
    memset(&x, 0, sizeof(x));
    memset(out, 0, sizeof(*out));
    x.c = *c;
    x.allowed = sealed_classes;
    x.err = err;
    if ((s = parse_stream(&x, &o)) == JKS_OK) {
        val *params, *content, *palg, *salg;
        if (!o || o->t != V_OBJECT ||
            strcmp(o->desc->name, "com.sun.crypto.provider.SealedObjectForKeyProtector")) {
            s = bad(&x, "secret key entry is not a SealedObjectForKeyProtector");
        } else if (!(params = field_value(o, "encodedParams")) || params->t != V_BYTES ||
                   !(content = field_value(o, "encryptedContent")) || content->t != V_BYTES ||
                   !(salg = field_value(o, "sealAlg")) || salg->t != V_STRING) {
            s = bad(&x, "sealed object lacks its parameters or content");
        } else {
            palg = field_value(o, "paramsAlg");
            out->params = params->bytes;
            out->content = content->bytes;
            snprintf(out->seal_alg, sizeof(out->seal_alg), "%s", salg->str);
            snprintf(out->params_alg, sizeof(out->params_alg), "%s",
                     palg && palg->t == V_STRING ? palg->str : "");
            *c = x.c;
        }
    }
    free_ctx(&x);
    return s;
}

static const char *const key_classes[] = {"javax.crypto.spec.SecretKeySpec", "java.security.KeyRep",
                                          "java.security.KeyRep$Type", "java.lang.Enum", "[B",
                                          NULL};

jks_status jks_secretkey_parse(const uint8_t *p, size_t n, char **alg, uint8_t **key,
                               size_t *key_len, jks_error *err)
{
    ctx x;
    val *o = NULL, *a = NULL, *k = NULL;
    jks_status s;
    memset(&x, 0, sizeof(x));
    jks_cursor_init(&x.c, p, n);
    x.allowed = key_classes;
    x.err = err;
    *alg = NULL;
    *key = NULL;
    if ((s = parse_stream(&x, &o)) != JKS_OK)
        goto out;
    if (!o || o->t != V_OBJECT) {
        s = bad(&x, "secret key is not an object");
        goto out;
    }
    if (!strcmp(o->desc->name, "javax.crypto.spec.SecretKeySpec")) {
        a = field_value(o, "algorithm");
        k = field_value(o, "key");
    } else if (!strcmp(o->desc->name, "java.security.KeyRep")) {
        val *fmt = field_value(o, "format"), *type = field_value(o, "type");
        a = field_value(o, "algorithm");
        k = field_value(o, "encoded");
        if (!fmt || fmt->t != V_STRING || strcmp(fmt->str, "RAW") || !type || type->t != V_ENUM ||
            strcmp(type->values[0]->str, "SECRET")) {
            s = bad(&x, "KeyRep is not a raw secret key");
            goto out;
        }
    }
    if (!a || a->t != V_STRING || !k || k->t != V_BYTES) {
        s = bad(&x, "secret key lacks its algorithm or bytes");
        goto out;
    }
    *alg = strdup(a->str);
    *key = malloc(k->bytes.len ? k->bytes.len : 1);
    if (!*alg || !*key) {
        free(*alg);
        free(*key);
        *alg = NULL;
        *key = NULL;
        s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        goto out;
    }
    memcpy(*key, k->bytes.data, k->bytes.len);
    *key_len = k->bytes.len;
out:
    free_ctx(&x);
    return s;
}

/* ---- writing ---- */

static void utf(jks_builder *b, const char *s) { jks_builder_java_utf(b, s); }

static void byte_array_desc(jks_builder *b)
{
    static const uint8_t suid[8] = {0xac, 0xf3, 0x17, 0xf8, 0x06, 0x08, 0x54, 0xe0};
    jks_builder_u8(b, TC_CLASSDESC);
    utf(b, "[B");
    jks_builder_bytes(b, suid, 8);
    jks_builder_u8(b, SC_SERIALIZABLE);
    jks_builder_u16(b, 0);
    jks_builder_u8(b, TC_ENDBLOCKDATA);
    jks_builder_u8(b, TC_NULL);
}

static void field_def(jks_builder *b, char type, const char *name)
{
    jks_builder_u8(b, (uint8_t)type);
    utf(b, name);
}

static void str(jks_builder *b, const char *s)
{
    jks_builder_u8(b, TC_STRING);
    utf(b, s);
}

static void ref(jks_builder *b, uint32_t h)
{
    jks_builder_u8(b, TC_REFERENCE);
    jks_builder_u32(b, BASE_HANDLE + h);
}

void jks_sealed_build(jks_builder *b, const uint8_t *params, size_t params_len,
                      const uint8_t *content, size_t content_len)
{
    static const uint8_t suid1[8] = {0xcd, 0x57, 0xca, 0x59, 0xe7, 0x30, 0xbb, 0x53};
    static const uint8_t suid2[8] = {0x3e, 0x36, 0x3d, 0xa6, 0xc3, 0xb7, 0x54, 0x70};
    jks_builder_u16(b, 0xACED);
    jks_builder_u16(b, 5);
    jks_builder_u8(b, TC_OBJECT);
    jks_builder_u8(b, TC_CLASSDESC); /* handle 0 */
    utf(b, "com.sun.crypto.provider.SealedObjectForKeyProtector");
    jks_builder_bytes(b, suid1, 8);
    jks_builder_u8(b, SC_SERIALIZABLE);
    jks_builder_u16(b, 0);
    jks_builder_u8(b, TC_ENDBLOCKDATA);
    jks_builder_u8(b, TC_CLASSDESC); /* handle 1 */
    utf(b, "javax.crypto.SealedObject");
    jks_builder_bytes(b, suid2, 8);
    jks_builder_u8(b, SC_SERIALIZABLE);
    jks_builder_u16(b, 4);
    field_def(b, '[', "encodedParams");
    str(b, "[B"); /* handle 2 */
    field_def(b, '[', "encryptedContent");
    ref(b, 2);
    field_def(b, 'L', "paramsAlg");
    str(b, "Ljava/lang/String;"); /* handle 3 */
    field_def(b, 'L', "sealAlg");
    ref(b, 3);
    jks_builder_u8(b, TC_ENDBLOCKDATA);
    jks_builder_u8(b, TC_NULL);
    /* object: handle 4 */
    jks_builder_u8(b, TC_ARRAY);
    byte_array_desc(b); /* handle 5; array handle 6 */
    jks_builder_u32(b, (uint32_t)params_len);
    jks_builder_bytes(b, params, params_len);
    jks_builder_u8(b, TC_ARRAY);
    ref(b, 5); /* array handle 7 */
    jks_builder_u32(b, (uint32_t)content_len);
    jks_builder_bytes(b, content, content_len);
    str(b, "PBEWithMD5AndTripleDES");
    str(b, "PBEWithMD5AndTripleDES");
}

int jks_secretkey_build(const char *alg, const uint8_t *key, size_t key_len, uint8_t **out,
                        size_t *out_len)
{
    jks_builder b;
    jks_builder_init(&b, 256 + key_len);
    jks_builder_u16(&b, 0xACED);
    jks_builder_u16(&b, 5);
    jks_builder_u8(&b, TC_OBJECT);
    /* Java's DES, DESede and PBE key classes serialize as a KeyRep */
    if (!strcmp(alg, "DES") || !strcmp(alg, "DESede") || !strncmp(alg, "PBE", 3)) {
        static const uint8_t suid[8] = {0xbd, 0xf9, 0x4f, 0xb3, 0x88, 0x9a, 0xa5, 0x43};
        static const uint8_t zero[8] = {0};
        jks_builder_u8(&b, TC_CLASSDESC); /* 0 */
        utf(&b, "java.security.KeyRep");
        jks_builder_bytes(&b, suid, 8);
        jks_builder_u8(&b, SC_SERIALIZABLE);
        jks_builder_u16(&b, 4);
        field_def(&b, 'L', "algorithm");
        str(&b, "Ljava/lang/String;"); /* 1 */
        field_def(&b, '[', "encoded");
        str(&b, "[B"); /* 2 */
        field_def(&b, 'L', "format");
        ref(&b, 1);
        field_def(&b, 'L', "type");
        str(&b, "Ljava/security/KeyRep$Type;"); /* 3 */
        jks_builder_u8(&b, TC_ENDBLOCKDATA);
        jks_builder_u8(&b, TC_NULL);
        /* object 4 */
        str(&b, alg); /* 5 */
        jks_builder_u8(&b, TC_ARRAY);
        byte_array_desc(&b); /* 6, array 7 */
        jks_builder_u32(&b, (uint32_t)key_len);
        jks_builder_bytes(&b, key, key_len);
        str(&b, "RAW"); /* 8 */
        jks_builder_u8(&b, TC_ENUM);
        jks_builder_u8(&b, TC_CLASSDESC); /* 9 */
        utf(&b, "java.security.KeyRep$Type");
        jks_builder_bytes(&b, zero, 8);
        jks_builder_u8(&b, SC_SERIALIZABLE | SC_ENUM);
        jks_builder_u16(&b, 0);
        jks_builder_u8(&b, TC_ENDBLOCKDATA);
        jks_builder_u8(&b, TC_CLASSDESC); /* 10 */
        utf(&b, "java.lang.Enum");
        jks_builder_bytes(&b, zero, 8);
        jks_builder_u8(&b, SC_SERIALIZABLE | SC_ENUM);
        jks_builder_u16(&b, 0);
        jks_builder_u8(&b, TC_ENDBLOCKDATA);
        jks_builder_u8(&b, TC_NULL);
        str(&b, "SECRET");
    } else {
        static const uint8_t suid[8] = {0x5b, 0x47, 0x0b, 0x66, 0xe2, 0x30, 0x61, 0x4d};
        jks_builder_u8(&b, TC_CLASSDESC);
        utf(&b, "javax.crypto.spec.SecretKeySpec");
        jks_builder_bytes(&b, suid, 8);
        jks_builder_u8(&b, SC_SERIALIZABLE);
        jks_builder_u16(&b, 2);
        field_def(&b, 'L', "algorithm");
        str(&b, "Ljava/lang/String;");
        field_def(&b, '[', "key");
        str(&b, "[B");
        jks_builder_u8(&b, TC_ENDBLOCKDATA);
        jks_builder_u8(&b, TC_NULL);
        str(&b, alg);
        jks_builder_u8(&b, TC_ARRAY);
        byte_array_desc(&b);
        jks_builder_u32(&b, (uint32_t)key_len);
        jks_builder_bytes(&b, key, key_len);
    }
    return jks_builder_finish(&b, out, out_len);
}
