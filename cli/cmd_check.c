/* jkstool check: validate a keystore (or every keystore of a directory) for
 * its TLS purpose and print the findings of jks_check_run, as text grouped by
 * alias (errors first, coloured on a terminal) or as JSON (README "check"). */
#include "cli.h"
#include "jks/check.h"

#include <dirent.h>
#include <pthread.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *help =
    "usage: jkstool check KEYSTORE|DIRECTORY [--for client|server|truststore] [--at TIME]\n"
    "                     [--storepass SPEC] [--keypass SPEC]... [--type T] [--json] [--strict]\n"
    "Check a JKS, JCEKS, PKCS#12 or PEM keystore for the pitfalls of (mutual) TLS and name\n"
    "each one with a stable id, its severity, the alias, and a fix.\n"
    "  --for WHAT         what the keystore is for: client, server or truststore; without it\n"
    "                     it is inferred (a private key: identity store; only certificates:\n"
    "                     truststore) and the output says so\n"
    "  --at TIME          evaluate validity at TIME instead of now: 2025-01-31,\n"
    "                     2025-01-31T12:00:00Z (or +hh:mm), or @EPOCH-SECONDS\n"
    "  --storepass SPEC   store password (pass:TEXT, env:VAR, file:PATH); without it the\n"
    "                     certificates are still checked, integrity and keys are not\n"
    "  --keypass SPEC     key password, repeatable (keys try them, then the store password)\n"
    "  --type T           force the format: jks, jceks, pkcs12, pem, bks, uber, bcfks\n"
    "  --json             machine-readable output\n"
    "  --strict           warnings fail the check too\n"
    "  --max-iterations N refuse PBE iteration counts above N (default 5000000)\n"
    "  --max-work N       refuse files asking more key-derivation work than N\n"
    "                     (PBKDF2-SHA256 iterations summed; default 20000000)\n"
    "A DIRECTORY checks every keystore in it (not recursive; other files are skipped with a\n"
    "note) and sums up.\n"
    "exit: 0 no errors, 1 errors found (or warnings with --strict), 2 usage, 3 wrong\n"
    "password, 4 malformed input, 5 I/O\n";

typedef struct {
    cli_args *a;
    jks_check_opts co;
    int color;
    FILE *f;
} run_ctx;

static const char *sev_color(jks_severity s)
{
    return s == JKS_SEV_ERROR ? "\033[1;31m" : s == JKS_SEV_WARNING ? "\033[33m" : "\033[36m";
}

static const char *purpose_text(jks_purpose p)
{
    switch (p) {
    case JKS_PURPOSE_CLIENT: return "client keystore";
    case JKS_PURPOSE_SERVER: return "server keystore";
    case JKS_PURPOSE_TRUSTSTORE: return "truststore";
    case JKS_PURPOSE_IDENTITY: return "identity keystore (client or server)";
    default: return "keystore of no TLS purpose";
    }
}

/* The findings as jks_check_file hands them over, in report order: the
 * header on the first call (f NULL), then one finding a call. */
typedef struct {
    run_ctx *r;
    const char *file;
    char *group;     /* the alias of the group printed last (NULL: none yet) */
    size_t k;        /* findings printed */
    size_t errors, warnings, infos;
    int failed;
    int oom;
    int in_dir, first;
    int started;     /* the header is printed */
} print_ctx;

static int print_text(const jks_findings *fs, jks_format format, const jks_finding *it, void *arg)
{
    print_ctx *p = arg;
    run_ctx *r = p->r;
    FILE *f = r->f;
    const char *bold = r->color ? "\033[1m" : "", *off = r->color ? "\033[0m" : "";
    if (!it) {
        p->started = 1;
        fprintf(f, "%s%s%s: %s, checked as %s", bold, p->file, off, jks_format_name(format),
                purpose_text(fs->purpose));
        if (fs->inferred)
            fprintf(f, " (inferred: %s)", fs->inferred_from);
        fputc('\n', f);
        p->errors = fs->errors;
        p->warnings = fs->warnings;
        p->infos = fs->infos;
        p->failed = jks_findings_failed(fs, r->a->strict);
        return 0;
    }
    if (!p->group || strcmp(p->group, it->alias)) {
        free(p->group);
        if (!(p->group = strdup(it->alias))) {
            p->oom = 1;
            return 1;
        }
        if (it->alias[0])
            fprintf(f, "  entry \"%s\":\n", it->alias);
        else
            fprintf(f, "  keystore:\n");
    }
    fprintf(f, "    %s%-7s%s %s: %s\n", r->color ? sev_color(it->severity) : "",
            jks_severity_name(it->severity), off, it->id, it->message);
    if (it->fix[0])
        fprintf(f, "            fix: %s\n", it->fix);
    p->k++;
    return 0;
}

static void print_text_end(print_ctx *p)
{
    run_ctx *r = p->r;
    const char *off = r->color ? "\033[0m" : "";
    int fail = p->failed;
    fprintf(r->f, "  %s%s%s: %zu error%s, %zu warning%s, %zu note%s\n",
            r->color ? (fail ? sev_color(JKS_SEV_ERROR) : "\033[32m") : "", fail ? "FAIL" : "OK",
            off, p->errors, p->errors == 1 ? "" : "s", p->warnings,
            p->warnings == 1 ? "" : "s", p->infos, p->infos == 1 ? "" : "s");
}

static int print_json(const jks_findings *fs, jks_format format, const jks_finding *it, void *arg)
{
    print_ctx *p = arg;
    run_ctx *r = p->r;
    FILE *f = r->f;
    if (!it) {
        p->started = 1;
        if (p->in_dir && !p->first)
            fputc(',', f);
        fprintf(f, "{\"file\":");
        json_str(f, p->file);
        fprintf(f, ",\"format\":\"%s\",\"for\":\"%s\",\"inferred\":%s,", jks_format_name(format),
                jks_purpose_name(fs->purpose), fs->inferred ? "true" : "false");
        if (fs->inferred) {
            fprintf(f, "\"inferred_from\":");
            json_str(f, fs->inferred_from);
            fputc(',', f);
        }
        p->failed = jks_findings_failed(fs, r->a->strict);
        fprintf(f, "\"ok\":%s,\"findings\":[", p->failed ? "false" : "true");
        return 0;
    }
    fprintf(f, "%s{\"id\":\"%s\",\"severity\":\"%s\",\"alias\":", p->k ? "," : "", it->id,
            jks_severity_name(it->severity));
    json_str(f, it->alias);
    fprintf(f, ",\"message\":");
    json_str(f, it->message);
    fprintf(f, ",\"fix\":");
    json_str(f, it->fix);
    fputc('}', f);
    p->k++;
    return 0;
}

/* Check one file. in_dir: skip non-keystores with a note instead of failing.
 * Returns 0 ok, 1 findings fail, 3/4/5 read failure, -1 skipped. */
static int check_file(run_ctx *r, const char *file, int in_dir, int first)
{
    jks_error err;
    jks_read_opts ro;
    const char *kp[CLI_MAX_MULTI];
    jks_status s;
    FILE *f = r->f;

    cli_read_opts(r->a, &ro, kp);
    jks_error_clear(&err);
    jks_check_opts co = r->co;
    co.file_name = file;
    /* the store is visited, not held (a JKS/JCEKS file over 8 MiB in two
     * passes through a window), and each finding's text made as it is
     * printed: a million entries check in bounded memory */
    print_ctx p = {.r = r, .file = file, .in_dir = in_dir, .first = first};
    s = jks_check_file(file, &ro, &co, r->a->json ? print_json : print_text, &p, &err);
    free(p.group);
    if (p.started) { /* the read went through: only memory can have failed */
        if (s != JKS_OK || p.oom) {
            cli_errorf(file, "out of memory");
            return EXIT_IO;
        }
        if (r->a->json)
            fputs("]}", f);
        else
            print_text_end(&p);
        return p.failed ? EXIT_CHECK : EXIT_OK;
    }
    if (s == JKS_OK) /* (never: the header is printed before any finding) */
        s = JKS_ERR_IO;
    if (s == JKS_ERR_FORMAT && in_dir) {
        /* not a keystore at all (a README beside the stores)? sniff its head */
        uint8_t head[65536];
        size_t n = 0;
        FILE *h = fopen(file, "rb");
        if (h) {
            n = fread(head, 1, sizeof(head), h);
            fclose(h);
        }
        jks_format sniff = ro.force_format ? ro.force_format : jks_format_sniff(head, n);
        if (sniff == JKS_FORMAT_UNKNOWN || sniff == JKS_FORMAT_PEM) {
            char line[512];
            jks_error_format(&err, line, sizeof(line));
            if (r->a->json) {
                fprintf(f, "%s{\"file\":", first ? "" : ",");
                json_str(f, file);
                fprintf(f, ",\"skipped\":true,\"note\":");
                json_str(f, line);
                fputc('}', f);
            } else {
                fprintf(f, "%s: skipped, not a keystore (%s)\n", file, line);
            }
            return -1;
        }
    }
    if (r->a->json) { /* scripts get a JSON answer also for an unreadable file */
        char line[512];
        jks_error_format(&err, line, sizeof(line));
        fprintf(f, "%s{\"file\":", first ? "" : ",");
        json_str(f, file);
        fprintf(f, ",\"ok\":false,\"exit\":%d,\"error\":", (int)s);
        json_str(f, line);
        fputc('}', f);
        if (!in_dir)
            fputc('\n', f);
    } else if (in_dir) {
        char line[512];
        fprintf(f, "%s: not checked: %s\n", file, jks_error_format(&err, line, sizeof(line)));
    }
    cli_error(file, &err);
    return (int)s;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* ---- check DIR: a bounded worker pool, output in input order ----
 * Each file is checked by one worker (a thread per core, at most
 * POOL_THREADS) into its own memory streams (findings and error lines);
 * the main thread prints them in file order. Workers stay at most
 * POOL_AHEAD files ahead of the printer. A job always runs as "not the
 * first file" (in JSON its object starts with a comma); the printer drops
 * that comma where the sequential run would not have printed it. */
#define POOL_THREADS 8
#define POOL_AHEAD 64

typedef struct {
    char *out, *err;
    size_t out_len, err_len;
    int rc;
    int done;
} pool_job;

typedef struct {
    run_ctx *r;
    char **names;
    size_t n, next, printed;
    pool_job *jobs;
    pthread_t th[POOL_THREADS];
    int n_th;
    pthread_mutex_t mu;
    pthread_cond_t cv_done, cv_room;
} pool;

static void run_job(pool *p, size_t i)
{
    run_ctx rr = *p->r;
    pool_job *j = &p->jobs[i];
    FILE *o = open_memstream(&j->out, &j->out_len), *e = open_memstream(&j->err, &j->err_len);
    if (!o || !e) {
        if (o)
            fclose(o);
        if (e)
            fclose(e);
        free(j->out);
        free(j->err);
        j->out = j->err = NULL;
        j->out_len = j->err_len = 0;
        /* no memory for streams: check directly in order later */
        j->rc = -2;
        return;
    }
    rr.f = o;
    cli_err_out = e;
    j->rc = check_file(&rr, p->names[i], 1, 0);
    cli_err_out = NULL;
    fclose(o);
    fclose(e);
}

static void *pool_worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (p->next < p->n && p->next >= p->printed + POOL_AHEAD)
            pthread_cond_wait(&p->cv_room, &p->mu);
        if (p->next >= p->n) {
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        size_t i = p->next++;
        pthread_mutex_unlock(&p->mu);
        run_job(p, i);
        pthread_mutex_lock(&p->mu);
        p->jobs[i].done = 1;
        pthread_cond_broadcast(&p->cv_done);
        pthread_mutex_unlock(&p->mu);
    }
}

static void pool_start(pool *p, run_ctx *r, char **names, size_t n)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    memset(p, 0, sizeof(*p));
    p->r = r;
    p->names = names;
    p->n = n;
    if (n < 2 || cpus < 2 || !(p->jobs = calloc(n, sizeof(*p->jobs))))
        return; /* sequential */
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv_done, NULL);
    pthread_cond_init(&p->cv_room, NULL);
    int want = cpus > POOL_THREADS ? POOL_THREADS : (int)cpus;
    for (int t = 0; t < want; t++)
        if (pthread_create(&p->th[p->n_th], NULL, pool_worker, p) == 0)
            p->n_th++;
}

/* The result of file i, its output printed (JSON: the separator first). */
static int pool_next(pool *p, size_t i, int first)
{
    if (!p->n_th)
        return check_file(p->r, p->names[i], 1, first);
    pthread_mutex_lock(&p->mu);
    while (!p->jobs[i].done)
        pthread_cond_wait(&p->cv_done, &p->mu);
    pthread_mutex_unlock(&p->mu);
    pool_job *j = &p->jobs[i];
    int rc = j->rc;
    if (rc == -2) {
        rc = check_file(p->r, p->names[i], 1, first);
    } else {
        const char *o = j->out;
        size_t ol = j->out_len;
        /* jobs run as "not first": in JSON they begin with the comma */
        if (p->r->a->json && first && ol && o[0] == ',')
            o++, ol--;
        fflush(p->r->f);
        fwrite(o, 1, ol, p->r->f);
        if (j->err_len) {
            fflush(p->r->f);
            fwrite(j->err, 1, j->err_len, stderr);
        }
    }
    free(j->out);
    free(j->err);
    j->out = j->err = NULL;
    pthread_mutex_lock(&p->mu);
    p->printed = i + 1;
    pthread_cond_broadcast(&p->cv_room);
    pthread_mutex_unlock(&p->mu);
    return rc;
}

static void pool_end(pool *p)
{
    for (int t = 0; t < p->n_th; t++)
        pthread_join(p->th[t], NULL);
    if (p->n_th) {
        pthread_mutex_destroy(&p->mu);
        pthread_cond_destroy(&p->cv_done);
        pthread_cond_destroy(&p->cv_room);
    }
    free(p->jobs);
}

static int check_dir(run_ctx *r, const char *dir)
{
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = EXIT_OK, read_fail = 0, first = 1;
    size_t checked = 0, failed = 0, skipped = 0;
    struct dirent *de;
    if (!d) {
        cli_errorf(dir, "cannot open directory");
        return EXIT_IO;
    }
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        size_t dl = strlen(dir);
        char *p = malloc(dl + strlen(de->d_name) + 2);
        struct stat sb;
        if (!p)
            break;
        sprintf(p, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", de->d_name);
        if (stat(p, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            free(p);
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **nn = realloc(names, cap * sizeof(*nn));
            if (!nn) {
                free(p);
                break;
            }
            names = nn;
        }
        names[n++] = p;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(*names), cmp_str);
    if (r->a->json)
        fprintf(r->f, "{\"files\":[");
    pool p;
    pool_start(&p, r, names, n);
    for (size_t i = 0; i < n; i++) {
        int one = pool_next(&p, i, first);
        if (!r->a->json && one != -1 && i + 1 < n)
            fputc('\n', r->f);
        if (r->a->json)
            first = 0; /* a skipped file printed its object too: commas follow */
        if (one == -1) {
            skipped++;
        } else {
            first = 0;
            checked++;
            if (one == EXIT_CHECK) {
                failed++;
            } else if (one != EXIT_OK) {
                failed++;
                if (!read_fail)
                    read_fail = one;
            }
        }
        free(names[i]);
    }
    pool_end(&p);
    free(names);
    if (read_fail)
        rc = read_fail;
    else if (failed)
        rc = EXIT_CHECK;
    if (r->a->json)
        fprintf(r->f, "],\"ok\":%s}\n", failed ? "false" : "true");
    else
        fprintf(r->f, "\n%s: %zu keystore%s checked, %zu failed, %zu file%s skipped\n", dir,
                checked, checked == 1 ? "" : "s", failed, skipped, skipped == 1 ? "" : "s");
    return rc;
}

int cmd_check(int argc, char **argv)
{
    cli_args a;
    run_ctx r;
    struct stat sb;
    int rc = cli_start(argc, argv,
                       OPT_STOREPASS | OPT_KEYPASS | OPT_TYPE | OPT_JSON | OPT_CHECK | OPT_LIMITS,
                       help, 1, 1, &a);
    if (rc >= 0)
        return rc;
    memset(&r, 0, sizeof(r));
    r.a = &a;
    r.f = stdout;
    const char *path = a.pos[0];
    if (!cli_type_ok(&a)) {
        cli_args_free(&a);
        return EXIT_USAGE;
    }
    if (a.for_what) {
        r.co.purpose = jks_purpose_from_name(a.for_what);
        if (r.co.purpose == JKS_PURPOSE_AUTO) {
            cli_errorf(NULL, "unknown --for %s (client, server, truststore)", a.for_what);
            cli_args_free(&a);
            return EXIT_USAGE;
        }
    }
    if (a.at) {
        if (jks_check_parse_time(a.at, &r.co.at) != 0) {
            cli_errorf(NULL, "bad --at %s (2025-01-31, 2025-01-31T12:00:00Z or @SECONDS)", a.at);
            cli_args_free(&a);
            return EXIT_USAGE;
        }
        r.co.at_set = 1;
    }
    int is_dir = stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
    if ((rc = cli_resolve_passwords(&a, !a.json && !is_dir, path))) {
        cli_args_free(&a);
        return rc;
    }
    r.co.storepass = a.storepass;
    r.co.keypasses = (const char *const *)a.keypass;
    r.co.n_keypasses = (size_t)a.n_keypass;
    const char *nc = getenv("NO_COLOR");
    r.color = !a.json && isatty(STDOUT_FILENO) && !(nc && nc[0]);

    if (is_dir) {
        rc = check_dir(&r, path);
    } else {
        rc = check_file(&r, path, 0, 1);
        if (a.json && rc != EXIT_PASSWORD && rc != EXIT_FORMAT && rc != EXIT_IO)
            fputc('\n', r.f);
    }
    if (cli_output_failed(r.f))
        rc = EXIT_IO;
    cli_args_free(&a);
    return rc;
}
