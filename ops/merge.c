/* Copying entries from one store into another (keytool -importkeystore) with
 * a policy for alias conflicts, and renaming an entry (keytool
 * -changealias). Aliases are compared as Java compares JKS/JCEKS aliases:
 * lower-cased with Locale.ENGLISH (model/alias.c). */
#include "error.h"
#include "store.h"
#include "jks/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A free alias "base-2", "base-3", ... in dst (malloc'd), NULL on OOM. */
static char *free_alias(const jks_store *dst, const char *base)
{
    size_t bl = strlen(base);
    char *a = malloc(bl + 24);
    for (unsigned k = 2; a; k++) {
        snprintf(a, bl + 24, "%s-%u", base, k);
        if (!jks_store_find_java(dst, a))
            break;
    }
    return a;
}

static jks_status copy_entry(jks_store *dst, const jks_entry *e, const char *alias, int64_t ms,
                             jks_error *err)
{
    if (e->has_created)
        ms = e->created_ms;
    if (e->kind == JKS_ENTRY_TRUSTED_CERT)
        return jks_store_add_trusted_cert(dst, alias, ms, e->chain[0].data, e->chain[0].len, err);
    if (e->kind == JKS_ENTRY_SECRET_KEY)
        return jks_store_add_secret_key(dst, alias, ms, e->secret_alg, e->plain, e->plain_len,
                                        err);
    return jks_store_add_private_key(dst, alias, ms, e->plain, e->plain_len, e->chain, e->n_chain,
                                     err);
}

jks_status jks_store_merge(jks_store *dst, const jks_store *src, const jks_merge_opts *opts,
                           jks_merge_result *res, jks_error *err)
{
    static const jks_merge_opts defaults = JKS_MERGE_OPTS_INIT;
    jks_merge_result local;
    if (!dst || !src)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no destination or source store");
    if (!opts)
        opts = &defaults;
    if (!res)
        res = &local;
    memset(res, 0, sizeof(*res));
    char *sel = calloc(src->n + 1, 1);
    if (!sel)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    jks_status s = JKS_OK;
    for (size_t i = 0; opts->aliases && i < opts->n_aliases && s == JKS_OK; i++) {
        const jks_entry *e = jks_store_find(src, opts->aliases[i]);
        if (e)
            sel[jks_store_index_of(src, e)] = 1;
        else
            s = jks_fail(err, JKS_ERR_USAGE, -1, "no entry \"%s\" in the source store",
                         opts->aliases[i]);
    }
    for (size_t i = 0; s == JKS_OK && i < src->n; i++) {
        const jks_entry *e = src->entries[i];
        if (opts->aliases ? !sel[i] : e->java_ignores) {
            res->hidden += !opts->aliases;
            continue;
        }
        const char *alias = opts->rename_to && opts->n_aliases == 1 ? opts->rename_to : e->alias;
        char *renamed = NULL;
        if (e->kind != JKS_ENTRY_TRUSTED_CERT && (e->state != JKS_KEY_DECRYPTED || !e->plain)) {
            res->failed = e;
            s = jks_fail(err, JKS_ERR_PASSWORD, -1, "%s",
                         e->state == JKS_KEY_UNSUPPORTED ? "key uses an unsupported protection"
                                                         : "key is not decrypted");
            jks_error_set_alias(err, e->alias);
            break;
        }
        const jks_entry *old = jks_store_find_java(dst, alias);
        if (old) {
            switch (opts->on_conflict) {
            case JKS_CONFLICT_SKIP:
                res->skipped++;
                continue;
            case JKS_CONFLICT_OVERWRITE:
                jks_store_remove(dst, jks_store_index_of(dst, old));
                res->replaced++;
                break;
            case JKS_CONFLICT_RENAME:
                if (!(alias = renamed = free_alias(dst, alias))) {
                    s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
                    continue;
                }
                res->renamed++;
                break;
            default:
                res->failed = e;
                res->existing = old;
                s = jks_fail(err, JKS_ERR_USAGE, -1, "alias already exists");
                jks_error_set_alias(err, old->alias);
                continue;
            }
        }
        s = copy_entry(dst, e, alias, opts->created_ms, err);
        if (s != JKS_OK)
            res->failed = e;
        else
            res->added++;
        free(renamed);
    }
    free(sel);
    return s;
}

/* Encrypt dst's entry i now with keypass as dst's format stores keys: the
 * entry alone is written to that format and read back undecrypted, and its
 * protected bytes become the entry's, so that a write keeping the stored
 * encryption keeps this password for this key alone. */
static jks_status protect_with(jks_store *dst, size_t i, const char *keypass, jks_error *err)
{
    jks_entry *e = dst->entries[i];
    jks_store *one = jks_store_new(dst->format), *back = NULL;
    jks_write_opts wo = JKS_WRITE_OPTS_INIT;
    jks_read_opts ro;
    uint8_t *buf = NULL;
    size_t len = 0;
    if (!one)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    memset(&ro, 0, sizeof(ro));
    wo.format = dst->format;
    wo.storepass = wo.keypass = keypass;
    ro.storepass = keypass;
    ro.no_decrypt = 1;
    jks_status s = copy_entry(one, e, e->alias, -1, err);
    if (s == JKS_OK)
        s = jks_store_write(one, &wo, &buf, &len, err);
    if (s == JKS_OK)
        s = jks_store_read(buf, len, &ro, &back, err);
    if (s == JKS_OK && (back->n != 1 || !back->entries[0]->prot.len))
        s = jks_fail(err, JKS_ERR_IO, -1, "the key was not encrypted");
    const uint8_t *kept = NULL;
    if (s == JKS_OK) {
        jks_bytes p = back->entries[0]->prot;
        if (!(kept = jks_store_keep(dst, p.data, p.len, 0)))
            s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    }
    if (s == JKS_OK) {
        e->prot.data = kept;
        e->prot.len = back->entries[0]->prot.len;
        e->protection = back->entries[0]->protection;
        e->pw_index = -1;
    }
    jks_buffer_free(buf, len);
    jks_store_free(back);
    jks_store_free(one);
    return s;
}

jks_status jks_store_import_entry(jks_store *dst, const jks_store *src, size_t si,
                                  const char *alias, const char *keypass, int64_t created_ms,
                                  jks_error *err)
{
    if (!dst || !src || si >= src->n)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no destination, source or source entry");
    const jks_entry *e = src->entries[si];
    if (!alias || !*alias)
        alias = e->alias;
    if (e->kind == JKS_ENTRY_SECRET_KEY && dst->format == JKS_FORMAT_JKS) {
        jks_fail(err, JKS_ERR_USAGE, -1, "Cannot store non-PrivateKeys");
        jks_error_set_alias(err, e->alias);
        return JKS_ERR_USAGE;
    }
    if (e->kind != JKS_ENTRY_TRUSTED_CERT && (e->state != JKS_KEY_DECRYPTED || !e->plain)) {
        jks_fail(err, JKS_ERR_PASSWORD, -1, "key is not decrypted");
        jks_error_set_alias(err, e->alias);
        return JKS_ERR_PASSWORD;
    }
    const jks_entry *old = jks_store_find_java(dst, alias);
    if (old)
        jks_store_remove(dst, jks_store_index_of(dst, old));
    jks_status s = copy_entry(dst, e, alias, created_ms, err);
    if (s == JKS_OK && keypass && e->kind != JKS_ENTRY_TRUSTED_CERT &&
        (dst->format == JKS_FORMAT_JKS || dst->format == JKS_FORMAT_JCEKS)) {
        s = protect_with(dst, dst->n - 1, keypass, err);
        if (s != JKS_OK)
            jks_store_remove(dst, dst->n - 1);
    }
    return s;
}

jks_status jks_store_rename(jks_store *st, size_t i, const char *alias, jks_error *err)
{
    if (!st || i >= st->n || !alias || !*alias)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no such entry, or an empty alias");
    jks_entry *e = st->entries[i];
    const jks_entry *other = jks_store_find_java(st, alias);
    if (other && other != e) {
        jks_fail(err, JKS_ERR_USAGE, -1, "alias already exists");
        jks_error_set_alias(err, other->alias);
        return JKS_ERR_USAGE;
    }
    char *a = strdup(alias);
    if (!a)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    if (e->alias != e->alias_buf)
        free(e->alias);
    e->alias = a;
    st->alias_indexed = 0;       /* the add index hashed the old alias */
    jks_store_java_index_clear(st);
    return JKS_OK;
}

jks_status jks_store_java_view(jks_store *st, int keep_hidden, size_t *n_removed, jks_error *err)
{
    size_t removed = 0;
    if (n_removed)
        *n_removed = 0;
    if (!st)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no store");
    for (size_t i = st->n; !keep_hidden && i-- > 0;)
        if (!jks_entry_java_visible(st->entries[i])) {
            jks_store_remove(st, i);
            removed++;
        }
    for (size_t i = 0; jks_format_java_lowercases(st->format) && i < st->n; i++) {
        char *low = jks_alias_java_lower(st->entries[i]->alias);
        if (!low)
            return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        jks_status s = JKS_OK;
        if (strcmp(low, st->entries[i]->alias) != 0) {
            const jks_entry *other = jks_store_find(st, low);
            if (!other || other == st->entries[i]) /* else: Java sees one of the two */
                s = jks_store_rename(st, i, low, err);
        }
        free(low);
        if (s != JKS_OK)
            return s;
    }
    if (n_removed)
        *n_removed = removed;
    return JKS_OK;
}
