/* --apply: the plan, the look for an existing mapping of the same stream
 * and function, then create-event-source-mapping (or
 * update-event-source-mapping) with the exported request as
 * --cli-input-json (see beyond.h for the exit codes). The update request
 * is esmcfg's own update-json of the existing mapping as listed, so it
 * carries exactly what changed; what an update cannot change (the stream,
 * the starting position) is refused with the reason. */
#include "cli/beyond.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/awsrun.h"
#include "cli/check.h"
#include "export/export.h"
#include "export/load.h"
#include "export/update_json.h"
#include "model/options.h"
#include "model/util.h"
#include "model/value.h"

#define LIST_OP "list-event-source-mappings"
#define CREATE_OP "create-event-source-mapping"
#define UPDATE_OP "update-event-source-mapping"
#define TTY_PATH "/dev/tty"
/* The width of an option's label in the plan. */
enum { LABEL_WIDTH = 24 };

/* The AWS CLI options of A. */
static awsrun_opts aws_opts(const cli_args *a)
{
    return (awsrun_opts){.profile = a->profile, .region = a->region, .timeout_s = 0};
}

/* "aws lambda OP: message" on stderr for a failed call. */
static void report_failure(const char *op, const awsrun_result *r, const awsrun_opts *o)
{
    char *why = awsrun_failure(r, awsrun_timeout(o));
    fprintf(stderr, "esmcfg: --apply: aws lambda %s: %s\n", op, why);
    free(why);
}

/* The existing mappings of the stream and function: the list call's
 * answer (kept in *TEXT for the loader) and how many of its mappings read
 * STREAM; *UUID gets the one's UUID. -1 (printed) when the call failed. */
static int find_existing(const cli_args *a, const mapping *m, char **text, size_t *count,
                         char **uuid, char **state)
{
    awsrun_opts o = aws_opts(a);
    const char *stream = mapping_get(m, OPT_TABLE)->str;
    char *arg_stream = xasprintf("--event-source-arn=%s", stream);
    char *arg_fn = xasprintf("--function-name=%s", mapping_get(m, OPT_FUNCTION)->str);
    const char *args[] = {"lambda", LIST_OP, arg_stream, arg_fn, "--output", "json", NULL};
    awsrun_result r;
    char *err = NULL;
    int rc = awsrun_run(&o, args, &r, &err);
    free(arg_stream);
    free(arg_fn);
    if (rc < 0) {
        fprintf(stderr, "esmcfg: --apply: %s\n", err);
        free(err);
        awsrun_result_free(&r);
        return -1;
    }
    if (r.status != 0) {
        report_failure(LIST_OP, &r, &o);
        awsrun_result_free(&r);
        return -1;
    }
    cJSON *doc = r.out_len ? cJSON_Parse(r.out) : cJSON_CreateObject();
    cJSON *list = cJSON_GetObjectItemCaseSensitive(doc, "EventSourceMappings");
    if (!doc || (list && !cJSON_IsArray(list))) {
        fprintf(stderr, "esmcfg: --apply: aws lambda %s: the answer is not its JSON\n", LIST_OP);
        cJSON_Delete(doc);
        awsrun_result_free(&r);
        return -1;
    }
    *count = 0;
    for (cJSON *e = list ? list->child : NULL; e; e = e->next) {
        /* list-event-source-mappings answers with the request's names */
        cJSON *arn = cJSON_GetObjectItemCaseSensitive(e, opt_get(OPT_TABLE)->api);
        cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "UUID");
        cJSON *st = cJSON_GetObjectItemCaseSensitive(e, "State");
        if (!cJSON_IsString(arn) || strcmp(arn->valuestring, stream) != 0 || !cJSON_IsString(id))
            continue;
        if ((*count)++ == 0) {
            *uuid = xstrdup(id->valuestring);
            *state = xstrdup(cJSON_IsString(st) ? st->valuestring : "?");
        } else {
            char *extra = xasprintf("%s, %s", *uuid, id->valuestring);
            free(*uuid);
            *uuid = extra;
        }
    }
    cJSON_Delete(doc);
    *text = r.out;
    r.out = NULL;
    awsrun_result_free(&r);
    return 0;
}

/* Whether option D is the same in A and B as AWS sees it: numbers by
 * their effective value, the function by name and qualifier. */
static bool same_option(const opt_def *d, const mapping *a, const mapping *b)
{
    if (opt_is_numeric(d))
        return mapping_num(a, d->id) == mapping_num(b, d->id);
    const opt_value *x = mapping_get(a, d->id), *y = mapping_get(b, d->id);
    if (d->type == OPT_T_FUNCTION && x->str && y->str) {
        arn_parts p, q;
        char *err = NULL;
        bool ok = value_parse_function(x->str, &p, &err) == 0;
        free(err);
        err = NULL;
        ok = ok && value_parse_function(y->str, &q, &err) == 0;
        free(err);
        if (ok)
            return strcmp(p.name, q.name) == 0 && strcmp(p.qualifier, q.qualifier) == 0;
    }
    if (opt_is_list(d) && x->n_items == 0 && y->n_items == 0)
        return true;
    return (!x->set && !y->set) || opt_value_equal(x, y);
}

/* Option D's value in M as the plan shows it. Caller frees. */
static char *shown_value(const opt_def *d, const mapping *m)
{
    const opt_value *v = mapping_get(m, d->id);
    if (!v->set && !(opt_is_list(d) && v->n_items)) {
        char *def = xasprintf("%s (default)", d->default_text);
        return def;
    }
    char *f = opt_format(d, v);
    char *shown = str_escape_display(f);
    free(f);
    return shown;
}

/* The plan for a new mapping: every option it sets. */
static void print_create_plan(const mapping *m)
{
    char *stream = str_escape_display(mapping_get(m, OPT_TABLE)->str);
    char *fn = str_escape_display(mapping_get(m, OPT_FUNCTION)->str);
    fprintf(stderr, "esmcfg: plan: create a mapping of stream %s to function %s:\n", stream, fn);
    const opt_def *t = opt_table();
    for (size_t i = 0; i < OPT_COUNT; i++) {
        const opt_value *v = mapping_get(m, t[i].id);
        bool shown = (v->set || t[i].always_export) && t[i].type != OPT_T_STREAM &&
                     t[i].type != OPT_T_FUNCTION;
        if (!shown)
            continue;
        char *val = shown_value(&t[i], m);
        fprintf(stderr, "  %-*s %s\n", LABEL_WIDTH, t[i].label, val);
        free(val);
    }
    free(stream);
    free(fn);
}

/* The plan for an update: every option that changes. Returns how many. */
static size_t print_update_plan(const mapping *upd, const mapping *orig, const char *state)
{
    char *stream = str_escape_display(mapping_get(upd, OPT_TABLE)->str);
    char *fn = str_escape_display(mapping_get(upd, OPT_FUNCTION)->str);
    char *st = str_escape_display(state);
    fprintf(stderr, "esmcfg: plan: update mapping %s (%s) of stream %s to function %s:\n",
            upd->uuid, st, stream, fn);
    size_t changes = 0;
    const opt_def *t = opt_table();
    for (size_t i = 0; i < OPT_COUNT; i++) {
        if (same_option(&t[i], upd, orig) || t[i].update_note)
            continue;
        char *from = shown_value(&t[i], orig), *to = shown_value(&t[i], upd);
        fprintf(stderr, "  %-*s %s -> %s\n", LABEL_WIDTH, t[i].label, from, to);
        free(from);
        free(to);
        changes++;
    }
    if (changes == 0)
        fprintf(stderr, "  (no change)\n");
    free(st);
    free(stream);
    free(fn);
    return changes;
}

/* Ask QUESTION on the terminal; true for y or yes. *RC gets CLI_EXIT_IO
 * when there is no terminal to ask on. */
static bool confirm(const char *question, int *rc)
{
    FILE *tty = fopen(TTY_PATH, "r+");
    if (!tty) {
        fputs("esmcfg: --apply: no terminal to confirm on: add --batch to apply without asking\n",
              stderr);
        *rc = CLI_EXIT_IO;
        return false;
    }
    fprintf(tty, "%s [y/N] ", question);
    fflush(tty);
    char line[32] = "";
    bool yes =
        fgets(line, sizeof line, tty) && (strcmp(line, "y\n") == 0 || strcmp(line, "yes\n") == 0 ||
                                          strcmp(line, "Y\n") == 0 || strcmp(line, "y") == 0);
    fclose(tty);
    if (!yes)
        fputs("esmcfg: --apply: nothing applied\n", stderr);
    *rc = yes ? CLI_EXIT_OK : CLI_EXIT_QUIT;
    return yes;
}

/* Write DOC to a private temporary file; its path, or NULL (printed). */
static char *write_request(const char *doc)
{
    const char *dir = getenv("TMPDIR");
    char *path = xasprintf("%s/esmcfg-apply-XXXXXX.json", dir && *dir ? dir : "/tmp");
    int fd = mkstemps(path, 5);
    size_t len = strlen(doc);
    if (fd < 0 || write(fd, doc, len) != (ssize_t)len || close(fd) != 0) {
        perror("esmcfg: --apply: the request's temporary file");
        if (fd >= 0)
            unlink(path);
        free(path);
        return NULL;
    }
    return path;
}

/* Run aws lambda OP with DOC as --cli-input-json; aws's answer to stdout
 * and its messages to stderr, as they are. */
static int run_request(const cli_args *a, const char *op, const char *doc)
{
    char *path = write_request(doc);
    if (!path)
        return CLI_EXIT_IO;
    char *input = xasprintf("file://%s", path);
    const char *args[] = {"lambda", op, "--cli-input-json", input, "--output", "json", NULL};
    awsrun_opts o = aws_opts(a);
    awsrun_result r;
    char *err = NULL;
    int rc = awsrun_run(&o, args, &r, &err);
    unlink(path);
    free(path);
    free(input);
    if (rc < 0) {
        fprintf(stderr, "esmcfg: --apply: %s\n", err);
        free(err);
        awsrun_result_free(&r);
        return CLI_EXIT_IO;
    }
    fwrite(r.out, 1, r.out_len, stdout);
    bool flushed = fflush(stdout) == 0;
    fwrite(r.err, 1, r.err_len, stderr);
    rc = CLI_EXIT_OK;
    if (r.status != 0) {
        report_failure(op, &r, &o);
        rc = CLI_EXIT_IO;
    } else if (!flushed) {
        perror("esmcfg: stdout");
        rc = CLI_EXIT_IO;
    }
    awsrun_result_free(&r);
    return rc;
}

/* The update of the existing mapping (in TEXT, the list call's answer):
 * UPD is M with the existing one's UUID and values as its original. NULL
 * (printed, *RC set) when it cannot be read. */
static mapping *update_of(const mapping *m, const char *text, const char *uuid, int *rc)
{
    mapping *orig = mapping_new();
    load_options lo = {.source = "aws lambda " LIST_OP, .uuid = uuid};
    load_report rep = {0};
    load_status st = load_mapping(text, strlen(text), &lo, orig, NULL, &rep);
    if (st != LOAD_OK) {
        cli_print_load_report(&rep, lo.source);
        load_report_free(&rep);
        mapping_free(orig);
        *rc = CLI_EXIT_IO;
        return NULL;
    }
    load_report_free(&rep);
    mapping *upd = mapping_clone(m);
    free(upd->uuid);
    upd->uuid = xstrdup(orig->uuid);
    mapping_free(upd->original);
    upd->original = orig;
    /* Tags are not in the list's answer nor in the update request. */
    mapping_put(orig, OPT_TAGS, mapping_get(m, OPT_TAGS));
    return upd;
}

/* Refuse changes an update cannot carry, with what to do instead. */
static bool update_possible(const mapping *upd)
{
    diag_list l = {0};
    export_update_problems(upd, &l);
    for (size_t i = 0; i < l.n; i++) {
        char *text = diag_format(&l.items[i]);
        fprintf(stderr,
                "esmcfg: --apply: %s (or delete mapping %s first: aws lambda "
                "delete-event-source-mapping --uuid %s)\n",
                text, upd->uuid, upd->uuid);
        free(text);
    }
    bool ok = l.n == 0;
    diag_list_free(&l);
    return ok;
}

/* The existing mapping UUID: refuse (batch without --update-existing),
 * ask, or update it. */
static int apply_update(const cli_args *a, const mapping *m, const char *text, const char *uuid,
                        const char *state)
{
    int rc = CLI_EXIT_OK;
    mapping *upd = update_of(m, text, uuid, &rc);
    if (!upd)
        return rc;
    if (!update_possible(upd)) {
        mapping_free(upd);
        return CLI_EXIT_INVALID;
    }
    size_t changes = print_update_plan(upd, upd->original, state);
    const opt_value *tags = mapping_get(m, OPT_TAGS);
    if (tags->n_items)
        fprintf(stderr, "esmcfg: warning: --tag: %s\n", opt_get(OPT_TAGS)->update_note);
    if (changes == 0) {
        fprintf(stderr, "esmcfg: --apply: mapping %s already has these values: nothing to do\n",
                uuid);
        mapping_free(upd);
        return CLI_EXIT_OK;
    }
    if (a->batch && !a->update_existing) {
        fprintf(stderr,
                "esmcfg: --apply: a mapping of this stream to this function exists (%s, %s): "
                "creating another fails with ResourceConflictException; add --update-existing to "
                "update it\n",
                uuid, state);
        mapping_free(upd);
        return CLI_EXIT_INVALID;
    }
    if (!a->batch) {
        char *q =
            xasprintf("A mapping of this stream to this function exists (%s). Update it?", uuid);
        bool yes = confirm(q, &rc);
        free(q);
        if (!yes) {
            mapping_free(upd);
            return rc;
        }
    }
    char *err = NULL;
    char *doc = export_render(upd, FMT_UPDATE_JSON, &err);
    mapping_free(upd);
    if (!doc) {
        fprintf(stderr, "esmcfg: --apply: %s\n", err);
        free(err);
        return CLI_EXIT_INVALID;
    }
    rc = run_request(a, UPDATE_OP, doc);
    free(doc);
    return rc;
}

int cli_run_apply(const cli_args *a, const mapping *m, const cli_failures *fail)
{
    size_t errors = cli_report_validation(m, fail);
    if (errors > 0 || fail->any)
        return CLI_EXIT_INVALID;
    int rc = cli_check_preset(a, m);
    if (rc != CLI_EXIT_OK)
        return rc;
    char *err = NULL;
    char *create = export_render(m, FMT_JSON, &err);
    if (!create) {
        fprintf(stderr, "esmcfg: --apply: %s\n", err ? err : "cannot render the request");
        free(err);
        return CLI_EXIT_INVALID;
    }
    char *text = NULL, *uuid = NULL, *state = NULL;
    size_t count = 0;
    if (find_existing(a, m, &text, &count, &uuid, &state) < 0) {
        rc = CLI_EXIT_IO;
    } else if (count > 1) {
        fprintf(stderr,
                "esmcfg: --apply: %zu mappings of this stream to this function exist (%s): pick "
                "one with --load LIST_OUTPUT --uuid UUID --format update-json, and run aws "
                "lambda update-event-source-mapping yourself\n",
                count, uuid);
        rc = CLI_EXIT_INVALID;
    } else if (count == 1) {
        rc = apply_update(a, m, text, uuid, state);
    } else {
        print_create_plan(m);
        if (a->batch || confirm("Create it?", &rc))
            rc = run_request(a, CREATE_OP, create);
    }
    free(text);
    free(uuid);
    free(state);
    free(create);
    return rc;
}
