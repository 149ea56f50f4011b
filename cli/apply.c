/* --apply: the plan, the look for an existing mapping of the same stream
 * and function, then create-event-source-mapping (or
 * update-event-source-mapping) with the exported request as
 * --cli-input-json (see beyond.h for the exit codes). The update request
 * is esmcfg's own update-json of the existing mapping as listed, so it
 * carries exactly what changed; what an update cannot change (the stream,
 * the starting position) is refused with the reason.
 *
 * It works in two steps that the screen (F7) shares through
 * tui_apply_ops: make_plan asks aws for an existing mapping and says, line
 * by line, what it will do (or why it will not); send_request runs the
 * plan's request. The command line prints the lines on stderr and asks on
 * the terminal; the screen shows them in a dialog and asks with y/n. */
#include "cli/beyond.h"

#include <cJSON.h>
#include <errno.h>
#include <stdarg.h>
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

/* What --apply says, line by line; the command line and the screen put
 * their own lead before each kind. */
typedef enum {
    SAY_PLAN,    /* the plan's first line: "create a mapping of stream ..." */
    SAY_ITEM,    /* one option of the plan: "Batch size   500" */
    SAY_WARNING, /* works, but read it */
    SAY_STOP,    /* why nothing runs, or what failed */
    SAY_REPORT,  /* a problem of the list call's answer, with its own "warning: " */
} say_kind;

typedef struct apply_line {
    say_kind kind;
    char *text; /* escaped for display */
} apply_line;

/* The plan: its lines, what it runs, or why it runs nothing. */
typedef struct apply_plan {
    apply_line *lines;
    size_t n;
    tui_apply_kind kind; /* what it runs; TUI_APPLY_NOTHING: nothing */
    int rc;              /* when it runs nothing: CLI_EXIT_OK (no change), _INVALID, _IO */
    char *request;       /* the request document, when it runs something */
    char *uuid, *state;  /* the existing mapping (an update), escaped */
} apply_plan;

/* Add a line of KIND to P. */
static void say(apply_plan *p, say_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(apply_plan *p, say_kind kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char buf[4096];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    p->lines = xrealloc(p->lines, (p->n + 1) * sizeof *p->lines);
    p->lines[p->n++] = (apply_line){kind, xstrdup(buf)};
}

/* Nothing runs: say why (STOP) and with which exit code. */
static void stop(apply_plan *p, int rc, const char *text)
{
    say(p, SAY_STOP, "%s", text);
    p->kind = TUI_APPLY_NOTHING;
    p->rc = rc;
}

static void plan_free(apply_plan *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->lines[i].text);
    free(p->lines);
    free(p->request);
    free(p->uuid);
    free(p->state);
    memset(p, 0, sizeof *p);
}

/* The AWS CLI options of A. */
static awsrun_opts aws_opts(const cli_args *a)
{
    return (awsrun_opts){.profile = a->profile, .region = a->region, .timeout_s = 0};
}

/* "aws lambda OP: message" for a failed call. Caller frees. */
static char *failure_text(const char *op, const awsrun_result *r, const awsrun_opts *o)
{
    char *why = awsrun_failure(r, awsrun_timeout(o));
    char *s = xasprintf("aws lambda %s: %s", op, why);
    free(why);
    return s;
}

/* The list call's answer, or NULL (said in P) when aws failed. */
static char *list_mappings(const awsrun_opts *o, const mapping *m, apply_plan *p)
{
    char *arg_stream = xasprintf("--event-source-arn=%s", mapping_get(m, OPT_TABLE)->str);
    char *arg_fn = xasprintf("--function-name=%s", mapping_get(m, OPT_FUNCTION)->str);
    const char *args[] = {"lambda", LIST_OP, arg_stream, arg_fn, "--output", "json", NULL};
    awsrun_result r;
    char *err = NULL;
    int rc = awsrun_run(o, args, &r, &err);
    free(arg_stream);
    free(arg_fn);
    char *text = NULL;
    if (rc < 0) {
        stop(p, CLI_EXIT_IO, err);
    } else if (r.status != 0) {
        char *why = failure_text(LIST_OP, &r, o);
        stop(p, CLI_EXIT_IO, why);
        free(why);
    } else {
        text = r.out ? r.out : xstrdup("");
        r.out = NULL;
    }
    free(err);
    awsrun_result_free(&r);
    return text;
}

/* How many mappings in the list call's answer TEXT read STREAM; *UUID
 * gets their UUIDs, *STATE the first one's state (both escaped, the raw
 * first UUID in *RAW_UUID). -1 (said in P) when TEXT is not its JSON. */
static int count_existing(const char *text, const char *stream, apply_plan *p, char **raw_uuid)
{
    cJSON *doc = *text ? cJSON_Parse(text) : cJSON_CreateObject();
    cJSON *list = cJSON_GetObjectItemCaseSensitive(doc, "EventSourceMappings");
    if (!doc || (list && !cJSON_IsArray(list))) {
        stop(p, CLI_EXIT_IO, "aws lambda " LIST_OP ": the answer is not its JSON");
        cJSON_Delete(doc);
        return -1;
    }
    int count = 0;
    for (cJSON *e = list ? list->child : NULL; e; e = e->next) {
        /* list-event-source-mappings answers with the request's names */
        cJSON *arn = cJSON_GetObjectItemCaseSensitive(e, opt_get(OPT_TABLE)->api);
        cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "UUID");
        cJSON *st = cJSON_GetObjectItemCaseSensitive(e, "State");
        if (!cJSON_IsString(arn) || strcmp(arn->valuestring, stream) != 0 || !cJSON_IsString(id))
            continue;
        char *shown = str_escape_display(id->valuestring);
        if (count++ == 0) {
            *raw_uuid = xstrdup(id->valuestring);
            p->uuid = shown;
            p->state = str_escape_display(cJSON_IsString(st) ? st->valuestring : "?");
        } else {
            char *both = xasprintf("%s, %s", p->uuid, shown);
            free(p->uuid);
            free(shown);
            p->uuid = both;
        }
    }
    cJSON_Delete(doc);
    return count;
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
static void plan_create(const mapping *m, apply_plan *p)
{
    char *stream = str_escape_display(mapping_get(m, OPT_TABLE)->str);
    char *fn = str_escape_display(mapping_get(m, OPT_FUNCTION)->str);
    say(p, SAY_PLAN, "create a mapping of stream %s to function %s:", stream, fn);
    const opt_def *t = opt_table();
    for (size_t i = 0; i < OPT_COUNT; i++) {
        const opt_value *v = mapping_get(m, t[i].id);
        bool shown = (v->set || t[i].always_export) && t[i].type != OPT_T_STREAM &&
                     t[i].type != OPT_T_FUNCTION;
        if (!shown)
            continue;
        char *val = shown_value(&t[i], m);
        say(p, SAY_ITEM, "%-*s %s", LABEL_WIDTH, t[i].label, val);
        free(val);
    }
    free(stream);
    free(fn);
}

/* The plan for an update: every option that changes. Returns how many. */
static size_t plan_changes(const mapping *upd, const mapping *orig, apply_plan *p)
{
    char *stream = str_escape_display(mapping_get(upd, OPT_TABLE)->str);
    char *fn = str_escape_display(mapping_get(upd, OPT_FUNCTION)->str);
    say(p, SAY_PLAN, "update mapping %s (%s) of stream %s to function %s:", p->uuid, p->state,
        stream, fn);
    size_t changes = 0;
    const opt_def *t = opt_table();
    for (size_t i = 0; i < OPT_COUNT; i++) {
        if (same_option(&t[i], upd, orig) || t[i].update_note)
            continue;
        char *from = shown_value(&t[i], orig), *to = shown_value(&t[i], upd);
        say(p, SAY_ITEM, "%-*s %s -> %s", LABEL_WIDTH, t[i].label, from, to);
        free(from);
        free(to);
        changes++;
    }
    if (changes == 0)
        say(p, SAY_ITEM, "(no change)");
    free(stream);
    free(fn);
    return changes;
}

/* The update of the existing mapping (in TEXT, the list call's answer):
 * M with the existing one's UUID and values as its original. NULL (the
 * loader's report said in P) when it cannot be read. */
static mapping *update_of(const mapping *m, const char *text, const char *uuid, apply_plan *p)
{
    mapping *orig = mapping_new();
    load_options lo = {.source = "aws lambda " LIST_OP, .uuid = uuid};
    load_report rep = {0};
    load_status st = load_mapping(text, strlen(text), &lo, orig, NULL, &rep);
    if (st != LOAD_OK) {
        for (size_t i = 0; i < rep.n; i++) {
            char *line = load_problem_format(&rep.items[i], lo.source);
            say(p, SAY_REPORT, "%s%s", rep.items[i].level == DIAG_WARNING ? "warning: " : "", line);
            free(line);
        }
        load_report_free(&rep);
        mapping_free(orig);
        p->kind = TUI_APPLY_NOTHING;
        p->rc = CLI_EXIT_IO;
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
static bool update_possible(const mapping *upd, apply_plan *p)
{
    diag_list l = {0};
    export_update_problems(upd, &l);
    for (size_t i = 0; i < l.n; i++) {
        char *text = diag_format(&l.items[i]);
        char *why = xasprintf("%s (or delete mapping %s first: aws lambda "
                              "delete-event-source-mapping --uuid %s)",
                              text, p->uuid, p->uuid);
        stop(p, CLI_EXIT_INVALID, why);
        free(why);
        free(text);
    }
    bool ok = l.n == 0;
    diag_list_free(&l);
    return ok;
}

/* The plan for the one existing mapping RAW_UUID (in TEXT, the list
 * call's answer): what changes, or why it cannot. */
static void plan_update(const mapping *m, const char *text, const char *raw_uuid, apply_plan *p)
{
    mapping *upd = update_of(m, text, raw_uuid, p);
    if (!upd)
        return;
    if (!update_possible(upd, p)) {
        mapping_free(upd);
        return;
    }
    size_t changes = plan_changes(upd, upd->original, p);
    if (mapping_get(m, OPT_TAGS)->n_items)
        say(p, SAY_WARNING, "--tag: %s", opt_get(OPT_TAGS)->update_note);
    char *err = NULL;
    char *doc = changes ? export_render(upd, FMT_UPDATE_JSON, &err) : NULL;
    mapping_free(upd);
    if (changes == 0) {
        char *why = xasprintf("mapping %s already has these values: nothing to do", p->uuid);
        stop(p, CLI_EXIT_OK, why);
        free(why);
    } else if (!doc) {
        stop(p, CLI_EXIT_INVALID, err ? err : "cannot render the update request");
    } else {
        p->kind = TUI_APPLY_UPDATE;
        p->request = doc;
    }
    free(err);
}

/* Ask aws for an existing mapping of M's stream and function and make
 * the plan: a create, an update of the one found, or nothing (P->rc). */
static void make_plan(const awsrun_opts *o, const mapping *m, apply_plan *p)
{
    memset(p, 0, sizeof *p);
    char *err = NULL;
    char *create = export_render(m, FMT_JSON, &err);
    if (!create) {
        stop(p, CLI_EXIT_INVALID, err ? err : "cannot render the request");
        free(err);
        return;
    }
    char *text = list_mappings(o, m, p), *raw_uuid = NULL;
    int count = text ? count_existing(text, mapping_get(m, OPT_TABLE)->str, p, &raw_uuid) : -1;
    if (count > 1) {
        char *why = xasprintf(
            "%d mappings of this stream to this function exist (%s): pick one with --load "
            "LIST_OUTPUT --uuid UUID --format update-json, and run aws lambda "
            "update-event-source-mapping yourself",
            count, p->uuid);
        stop(p, CLI_EXIT_INVALID, why);
        free(why);
    } else if (count == 1) {
        plan_update(m, text, raw_uuid, p);
    } else if (count == 0) {
        plan_create(m, p);
        p->kind = TUI_APPLY_CREATE;
        p->request = create;
        create = NULL;
    }
    free(raw_uuid);
    free(text);
    free(create);
}

/* P's lines on stderr, each kind with the command line's lead. */
static void print_plan(const apply_plan *p)
{
    static const char *const lead[] = {
        [SAY_PLAN] = "esmcfg: plan: ",       [SAY_ITEM] = "  ",
        [SAY_WARNING] = "esmcfg: warning: ", [SAY_STOP] = "esmcfg: --apply: ",
        [SAY_REPORT] = "esmcfg: ",
    };
    for (size_t i = 0; i < p->n; i++)
        fprintf(stderr, "%s%s\n", lead[p->lines[i].kind], p->lines[i].text);
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

/* Write DOC to a private temporary file; its path, or NULL with *ERR. */
static char *write_request(const char *doc, char **err)
{
    const char *dir = getenv("TMPDIR");
    char *path = xasprintf("%s/esmcfg-apply-XXXXXX.json", dir && *dir ? dir : "/tmp");
    int fd = mkstemps(path, 5);
    size_t len = strlen(doc);
    if (fd < 0 || write(fd, doc, len) != (ssize_t)len || close(fd) != 0) {
        *err = xasprintf("the request's temporary file: %s", strerror(errno));
        if (fd >= 0)
            unlink(path);
        free(path);
        return NULL;
    }
    return path;
}

/* The operation that runs KIND's request. */
static const char *operation(tui_apply_kind kind)
{
    return kind == TUI_APPLY_UPDATE ? UPDATE_OP : CREATE_OP;
}

/* Run aws lambda OP with DOC as --cli-input-json, into R. -1 with *ERR
 * when it could not be run. */
static int send_request(const awsrun_opts *o, const char *op, const char *doc, awsrun_result *r,
                        char **err)
{
    memset(r, 0, sizeof *r);
    char *path = write_request(doc, err);
    if (!path)
        return -1;
    char *input = xasprintf("file://%s", path);
    const char *args[] = {"lambda", op, "--cli-input-json", input, "--output", "json", NULL};
    int rc = awsrun_run(o, args, r, err);
    unlink(path);
    free(path);
    free(input);
    return rc;
}

/* Run the request; aws's answer to stdout and its messages to stderr, as
 * they are. */
static int run_request(const cli_args *a, const char *op, const char *doc)
{
    awsrun_opts o = aws_opts(a);
    awsrun_result r;
    char *err = NULL;
    if (send_request(&o, op, doc, &r, &err) < 0) {
        fprintf(stderr, "esmcfg: --apply: %s\n", err);
        free(err);
        awsrun_result_free(&r);
        return CLI_EXIT_IO;
    }
    fwrite(r.out, 1, r.out_len, stdout);
    bool flushed = fflush(stdout) == 0;
    fwrite(r.err, 1, r.err_len, stderr);
    int rc = CLI_EXIT_OK;
    if (r.status != 0) {
        char *why = failure_text(op, &r, &o);
        fprintf(stderr, "esmcfg: --apply: %s\n", why);
        free(why);
        rc = CLI_EXIT_IO;
    } else if (!flushed) {
        perror("esmcfg: stdout");
        rc = CLI_EXIT_IO;
    }
    awsrun_result_free(&r);
    return rc;
}

/* The existing mapping of P: refuse (batch without --update-existing),
 * ask, then update it. */
static int run_update(const cli_args *a, const apply_plan *p)
{
    int rc = CLI_EXIT_OK;
    if (a->batch && !a->update_existing) {
        fprintf(stderr,
                "esmcfg: --apply: a mapping of this stream to this function exists (%s, %s): "
                "creating another fails with ResourceConflictException; add --update-existing to "
                "update it\n",
                p->uuid, p->state);
        return CLI_EXIT_INVALID;
    }
    if (!a->batch) {
        char *q =
            xasprintf("A mapping of this stream to this function exists (%s). Update it?", p->uuid);
        bool yes = confirm(q, &rc);
        free(q);
        if (!yes)
            return rc;
    }
    return run_request(a, UPDATE_OP, p->request);
}

int cli_run_apply(const cli_args *a, const mapping *m, const cli_failures *fail)
{
    size_t errors = cli_report_validation(m, fail);
    if (errors > 0 || fail->any)
        return CLI_EXIT_INVALID;
    int rc = cli_check_preset(a, m);
    if (rc != CLI_EXIT_OK)
        return rc;
    awsrun_opts o = aws_opts(a);
    apply_plan p;
    make_plan(&o, m, &p);
    print_plan(&p);
    if (p.kind == TUI_APPLY_NOTHING)
        rc = p.rc;
    else if (p.kind == TUI_APPLY_UPDATE)
        rc = run_update(a, &p);
    else if (a->batch || confirm("Create it?", &rc))
        rc = run_request(a, CREATE_OP, p.request);
    plan_free(&p);
    return rc;
}

/* P's lines as the screen shows them. Caller frees. */
static char *screen_text(const apply_plan *p)
{
    static const char *const lead[] = {
        [SAY_PLAN] = "Plan: ", [SAY_ITEM] = "  ", [SAY_WARNING] = "Warning: ",
        [SAY_STOP] = "",       [SAY_REPORT] = "",
    };
    strbuf b = {0};
    for (size_t i = 0; i < p->n; i++) {
        /* a blank line after the plan's options, before what follows them */
        bool after_items = i > 0 && p->lines[i - 1].kind == SAY_ITEM;
        sb_addf(&b, "%s%s%s\n", after_items && p->lines[i].kind != SAY_ITEM ? "\n" : "",
                lead[p->lines[i].kind], p->lines[i].text);
    }
    return sb_take(&b);
}

void cli_apply_screen_plan(void *ctx, const mapping *m, tui_apply_plan *out)
{
    awsrun_opts o = aws_opts(ctx);
    apply_plan p;
    make_plan(&o, m, &p);
    out->kind = p.kind;
    out->failed = p.kind == TUI_APPLY_NOTHING && p.rc == CLI_EXIT_IO;
    out->text = screen_text(&p);
    out->request = p.request;
    p.request = NULL;
    plan_free(&p);
}

bool cli_apply_screen_run(void *ctx, const tui_apply_plan *plan, char **answer)
{
    awsrun_opts o = aws_opts(ctx);
    const char *op = operation(plan->kind);
    awsrun_result r;
    char *err = NULL;
    if (plan->kind == TUI_APPLY_NOTHING || !plan->request) {
        *answer = xstrdup("nothing to run");
        return false;
    }
    bool ok = false;
    strbuf b = {0};
    if (send_request(&o, op, plan->request, &r, &err) < 0) {
        sb_addf(&b, "%s\n", err);
    } else {
        sb_addn(&b, r.out, r.out_len);
        sb_addn(&b, r.err, r.err_len);
        ok = r.status == 0;
        /* aws's own words end its stderr; say how it ended only when it could not */
        if (!ok && (r.err_len == 0 || r.timed_out)) {
            char *why = failure_text(op, &r, &o);
            sb_addf(&b, "%s(esmcfg: %s)\n", b.len && b.s[b.len - 1] != '\n' ? "\n" : "", why);
            free(why);
        }
    }
    free(err);
    awsrun_result_free(&r);
    *answer = b.len ? sb_take(&b) : xstrdup("");
    return ok;
}
