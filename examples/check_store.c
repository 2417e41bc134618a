/* Validate a keystore and print the findings as JSON.
 *   cc check_store.c $(pkg-config --cflags --libs libjks) -o check_store
 *   ./check_store client.jks changeit [client|server|truststore]
 * Exit status: 0 no errors, 1 errors found, else the read's status. */
#include <jks/check.h>
#include <jks/jks.h>

#include <stdio.h>

static void json_string(const char *s)
{
    putchar('"');
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s KEYSTORE STOREPASS [PURPOSE]\n", argv[0]);
        return 2;
    }
    jks_read_opts ro = JKS_READ_OPTS_INIT;
    ro.storepass = argv[2];
    jks_store *st;
    jks_error err;
    if (jks_store_read_file(argv[1], &ro, &st, &err) != JKS_OK) {
        char line[512];
        fprintf(stderr, "%s: %s\n", argv[1], jks_error_format(&err, line, sizeof line));
        return (int)err.status;
    }
    jks_check_opts co = JKS_CHECK_OPTS_INIT;
    co.file_name = argv[1];
    co.storepass = argv[2]; /* tells the rules which password opened the keys */
    if (argc == 4)
        co.purpose = jks_purpose_from_name(argv[3]);
    jks_findings *f;
    if (jks_check_run(st, &co, &f) != JKS_OK) {
        jks_store_free(st);
        fprintf(stderr, "out of memory\n");
        return 5;
    }
    printf("{\"file\": ");
    json_string(argv[1]);
    printf(", \"purpose\": ");
    json_string(jks_purpose_name(f->purpose));
    printf(", \"findings\": [");
    for (size_t i = 0; i < f->count; i++) {
        const jks_finding *x = &f->items[i];
        printf("%s{\"id\": ", i ? ", " : "");
        json_string(x->id);
        printf(", \"severity\": ");
        json_string(jks_severity_name(x->severity));
        printf(", \"alias\": ");
        json_string(x->alias);
        printf(", \"message\": ");
        json_string(x->message);
        printf("}");
    }
    printf("]}\n");
    int rc = jks_findings_failed(f, 0) ? 1 : 0;
    jks_findings_free(f);
    jks_store_free(st);
    return rc;
}
