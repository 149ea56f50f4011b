/* --merge-into: the export's resources spliced as text into an existing
 * template. The template is read whole first (syntax, Resources, the
 * logical IDs the mapping refers to and the ones it adds); the place to
 * insert is found with libyaml's event marks (YAML) or a small scanner
 * (JSON); the result is read back and must equal the template plus the new
 * resources. */
#include "export/merge.h"

#include <float.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "export/render.h"
#include "export/yaml_read.h"
#include "model/pick.h"
#include "model/util.h"

#define UTF8_BOM "\xef\xbb\xbf"
/* Template sections and resource members read here. */
#define SECTION_RESOURCES "Resources"
#define SECTION_PARAMETERS "Parameters"
#define MEMBER_TYPE "Type"
#define MEMBER_PROPERTIES "Properties"
#define PROP_STREAM_SPEC "StreamSpecification"
#define PROP_ROLE "Role"
/* SAM names a function's generated role "<LogicalId>Role". */
#define SAM_FUNCTION_TYPE "AWS::Serverless::Function"
#define SAM_ROLE_SUFFIX "Role"
/* Indentation used when the template shows none (one line of JSON). */
#define DEFAULT_UNIT "  "
#define DEFAULT_STEP 2
/* libyaml's emitter writes indentation steps of 2..9 columns. */
#define MAX_STEP 9

static const char *const table_types[] = {"AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable",
                                          NULL};
static const char *const function_types[] = {"AWS::Lambda::Function", SAM_FUNCTION_TYPE, NULL};
static const char *const role_types[] = {"AWS::IAM::Role", NULL};

/* Resource types an on-failure destination can be, and what marks a FIFO one. */
static const struct {
    const char *type;
    arn_kind kind;
    const char *fifo_property;
} destination_types[] = {
    {"AWS::SQS::Queue", ARN_SQS_QUEUE, "FifoQueue"},
    {"AWS::SNS::Topic", ARN_SNS_TOPIC, "FifoTopic"},
    {"AWS::S3::Bucket", ARN_S3_BUCKET, NULL},
};

/* Where the JSON template's Resources object is and how it is indented. */
typedef struct json_spot {
    size_t key;          /* the "Resources" key */
    size_t open, close;  /* its '{' and '}' */
    size_t first_member; /* its first key, or close when empty */
} json_spot;

/* What the event walk finds. */
typedef struct yaml_spot {
    size_t end_index; /* character index where the last resource's text ends */
    bool end_at_line; /* that index starts a line (a block scalar ends so) */
    size_t base;      /* column of the resource keys */
    size_t step;      /* indentation step inside a resource, 0 when unknown */
    size_t parent;    /* column of the Resources key */
    yaml_mark_t flow; /* where Resources is in flow style, when it is */
    bool is_flow, found;
} yaml_spot;

typedef struct merge {
    const char *text; /* the template */
    size_t len;
    const char *source; /* its name in messages */
    export_format fmt;  /* FMT_CFN_JSON or FMT_CFN_YAML */
    const char *nl;     /* the template's line ending */
    cJSON *tmpl;        /* the template as read */
    cJSON *added;       /* the new resources */
    json_spot js;       /* where they go (JSON) */
    yaml_spot ys;       /* where they go (YAML) */
    char *err;          /* the first error */
} merge;

static void fail(merge *mg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Record the first error as "SOURCE: message". */
static void fail(merge *mg, const char *fmt, ...)
{
    if (mg->err)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char *src = str_escape_display(mg->source ? mg->source : "the template");
    mg->err = xasprintf("%s: %s", src, msg);
    free(src);
}

/* Length of the UTF-8 byte order mark at the start of TEXT, or 0. */
static size_t bom_len(const char *text, size_t len)
{
    return len >= 3 && memcmp(text, UTF8_BOM, 3) == 0 ? 3 : 0;
}

/* JSON when the template starts with '{', else YAML. */
export_format export_merge_format(const char *text, size_t len)
{
    size_t i = bom_len(text, len);
    while (i < len && strchr(" \t\r\n", text[i]) && text[i])
        i++;
    return i < len && text[i] == '{' ? FMT_CFN_JSON : FMT_CFN_YAML;
}

/* ---- reading the template ---- */

/* Line and column (from 1) of byte AT of the template. */
static void position_of(const merge *mg, size_t at, size_t *line, size_t *col)
{
    *line = 1, *col = 1;
    for (size_t i = 0; i < at && i < mg->len; i++) {
        if (mg->text[i] == '\n')
            (*line)++, *col = 1;
        else
            (*col)++;
    }
}

/* The template as JSON: cJSON, with nothing but white space after it. */
static cJSON *read_json(merge *mg)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(mg->text, mg->len, &end, 0);
    size_t at = end ? (size_t)(end - mg->text) : 0;
    while (root && at < mg->len && strchr(" \t\r\n", mg->text[at]) && mg->text[at])
        at++;
    if (root && at == mg->len)
        return root;
    if (!root && cJSON_GetErrorPtr())
        at = (size_t)(cJSON_GetErrorPtr() - mg->text);
    size_t line, col;
    position_of(mg, at, &line, &col);
    fail(mg, "line %zu, column %zu: %s", line, col,
         root ? "unexpected content after the template" : "not valid JSON");
    cJSON_Delete(root);
    return NULL;
}

/* Whether the text's lines end in "\r\n". */
static bool has_crlf(const char *t, size_t n)
{
    const char *nl = memchr(t, '\n', n);
    return nl && nl > t && nl[-1] == '\r';
}

/* Read the template into mg->tmpl and check it has a Resources mapping. */
static int read_template(merge *mg)
{
    if (mg->len > EXPORT_YAML_MAX_BYTES) {
        fail(mg, "larger than %zu bytes", EXPORT_YAML_MAX_BYTES);
        return -1;
    }
    if (memchr(mg->text, '\0', mg->len)) {
        fail(mg, "not a text file (it holds a NUL byte)");
        return -1;
    }
    mg->fmt = export_merge_format(mg->text, mg->len);
    mg->nl = has_crlf(mg->text, mg->len) ? "\r\n" : "\n";
    if (mg->fmt == FMT_CFN_JSON) {
        mg->tmpl = read_json(mg);
    } else {
        char *err = NULL;
        mg->tmpl = export_yaml_read(mg->text, mg->len, mg->source, &err);
        if (!mg->tmpl)
            mg->err = err ? err : xstrdup("cannot read the template");
    }
    if (!mg->tmpl)
        return -1;
    if (!cJSON_IsObject(mg->tmpl) ||
        !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(mg->tmpl, SECTION_RESOURCES))) {
        fail(mg, "not a CloudFormation template: it has no %s mapping", SECTION_RESOURCES);
        return -1;
    }
    return 0;
}

/* The template's Resources. */
static cJSON *resources(const merge *mg)
{
    return cJSON_GetObjectItemCaseSensitive(mg->tmpl, SECTION_RESOURCES);
}

/* ---- the references the mapping makes ---- */

/* Whether S is one of the NULL-terminated WORDS. */
static bool one_of(const char *s, const char *const *words)
{
    for (size_t i = 0; s && words[i]; i++)
        if (strcmp(s, words[i]) == 0)
            return true;
    return false;
}

/* The Type of resource ID, or NULL when the template has no such resource. */
static const char *resource_type(const merge *mg, const char *id)
{
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(resources(mg), id);
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(res, MEMBER_TYPE);
    return cJSON_IsString(type) ? type->valuestring : NULL;
}

/* Property NAME of resource ID, or NULL. */
static const cJSON *resource_property(const merge *mg, const char *id, const char *name)
{
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(resources(mg), id);
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(res, MEMBER_PROPERTIES);
    return cJSON_GetObjectItemCaseSensitive(props, name);
}

/* Check that REF names a resource of one of TYPES; WHAT and option D say
 * what it was picked as. */
static int check_ref(merge *mg, const char *ref, const char *const *types, const char *what,
                     const opt_def *d)
{
    const char *type = resource_type(mg, ref);
    if (one_of(type, types))
        return 0;
    char *shown = str_escape_display(ref);
    if (!type)
        fail(mg, "the %s (--%s) is %s, which is not a resource of this template", what, d->name,
             shown);
    else
        fail(mg, "the %s (--%s) is %s, which is %s here, not a %s", what, d->name, shown, type,
             what);
    free(shown);
    return -1;
}

/* The table: a DynamoDB table of the template, with a stream to read. */
static int check_table(merge *mg, const mapping *m)
{
    const char *ref = mapping_ref(m, OPT_TABLE);
    if (!ref)
        return 0;
    if (check_ref(mg, ref, table_types, "table", opt_get(OPT_TABLE)) < 0)
        return -1;
    if (resource_property(mg, ref, PROP_STREAM_SPEC))
        return 0;
    char *shown = str_escape_display(ref);
    fail(mg,
         "the table %s has no stream for Lambda to read: add %s (StreamViewType: "
         "NEW_AND_OLD_IMAGES) to its %s",
         shown, PROP_STREAM_SPEC, MEMBER_PROPERTIES);
    free(shown);
    return -1;
}

/* The function and its role: resources of the template (SAM's generated
 * role of a function without Role counts). */
static int check_function(merge *mg, const mapping *m)
{
    const char *fn = mapping_ref(m, OPT_FUNCTION);
    if (fn && check_ref(mg, fn, function_types, "function", opt_get(OPT_FUNCTION)) < 0)
        return -1;
    if (!m->role_ref || !*m->role_ref || one_of(resource_type(mg, m->role_ref), role_types))
        return 0;
    const char *fn_type = fn ? resource_type(mg, fn) : NULL;
    bool sam = fn_type && strcmp(fn_type, SAM_FUNCTION_TYPE) == 0;
    char *generated = fn ? xasprintf("%s%s", fn, SAM_ROLE_SUFFIX) : NULL;
    bool ok = sam && !resource_property(mg, fn, PROP_ROLE) && strcmp(generated, m->role_ref) == 0;
    free(generated);
    if (ok)
        return 0;
    char *shown = str_escape_display(m->role_ref);
    fail(mg, "the function's role %s is not an %s of this template", shown, role_types[0]);
    free(shown);
    return -1;
}

/* The on-failure destination: a standard queue, a standard topic or a
 * bucket of the template; its kind goes to *KIND. */
static int check_destination(merge *mg, const mapping *m, arn_kind *kind)
{
    *kind = ARN_OTHER;
    const char *ref = mapping_ref(m, OPT_ON_FAILURE);
    if (!ref)
        return 0;
    const char *type = resource_type(mg, ref);
    for (size_t i = 0; i < sizeof destination_types / sizeof destination_types[0]; i++) {
        if (!type || strcmp(type, destination_types[i].type) != 0)
            continue;
        const char *fifo = destination_types[i].fifo_property;
        if (fifo && cJSON_IsTrue(resource_property(mg, ref, fifo))) {
            char *shown = str_escape_display(ref);
            fail(mg,
                 "the on-failure destination %s is FIFO (%s); stream failures need a "
                 "standard one",
                 shown, fifo);
            free(shown);
            return -1;
        }
        *kind = destination_types[i].kind;
        return 0;
    }
    char *shown = str_escape_display(ref);
    fail(mg,
         "the on-failure destination (--%s) is %s, which is %s here, not an SQS queue, SNS "
         "topic or S3 bucket",
         opt_get(OPT_ON_FAILURE)->name, shown, type ? type : "not a resource");
    free(shown);
    return -1;
}

/* Check M against the template and build the resources it adds. */
static int build_added(merge *mg, const mapping *m)
{
    arn_kind kind;
    if (check_table(mg, m) < 0 || check_function(mg, m) < 0 || check_destination(mg, m, &kind) < 0)
        return -1;
    char *err = NULL;
    if (export_check(m, mg->fmt, kind, &err) < 0) {
        mg->err = err ? err : xstrdup("the mapping cannot be exported");
        return -1;
    }
    mg->added = export_cfn_resources(m, kind);
    return 0;
}

/* Refuse a new logical ID the template already uses for a resource or a
 * parameter (they share one namespace for Ref). */
static int check_free_ids(merge *mg)
{
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(mg->tmpl, SECTION_PARAMETERS);
    for (const cJSON *c = mg->added->child; c; c = c->next) {
        bool res = cJSON_GetObjectItemCaseSensitive(resources(mg), c->string) != NULL;
        if (!res && !cJSON_GetObjectItemCaseSensitive(params, c->string))
            continue;
        char *shown = str_escape_display(c->string);
        fail(mg,
             "the template already has a %s named %s: give the mapping another logical ID "
             "with --logical-id ID",
             res ? "resource" : "parameter", shown);
        free(shown);
        return -1;
    }
    return 0;
}

/* ---- putting text together ---- */

/* TEXT with INSERT put in at byte AT. Caller frees. */
static char *splice(const merge *mg, size_t at, const char *insert)
{
    strbuf b = {0};
    sb_addn(&b, mg->text, at);
    sb_add(&b, insert);
    sb_addn(&b, mg->text + at, mg->len - at);
    return sb_take(&b);
}

/* S with every "\n" turned into NL. Takes S. */
static char *with_newlines(char *s, const char *nl)
{
    if (strcmp(nl, "\n") == 0)
        return s;
    strbuf b = {0};
    for (const char *p = s; *p; p++) {
        if (*p == '\n')
            sb_add(&b, nl);
        else
            sb_addn(&b, p, 1);
    }
    free(s);
    return sb_take(&b);
}

/* The template as read with the new resources after its own. */
static cJSON *expected_tree(const merge *mg)
{
    cJSON *want = cJSON_Duplicate(mg->tmpl, 1);
    cJSON *res = cJSON_GetObjectItemCaseSensitive(want, SECTION_RESOURCES);
    for (const cJSON *c = mg->added->child; c; c = c->next)
        cJSON_AddItemToObject(res, c->string, cJSON_Duplicate(c, 1));
    return want;
}

/* Whether numbers X and Y are equal as cJSON_Compare tells it. */
static bool same_number(double x, double y)
{
    double ax = x < 0 ? -x : x, ay = y < 0 ? -y : y, d = x - y;
    return x == y || (d < 0 ? -d : d) <= (ax > ay ? ax : ay) * DBL_EPSILON;
}

/* Whether A and B are the same tree, object members in the same order.
 * Linear, where cJSON_Compare looks every member up by name (quadratic: a
 * template with 40000 properties took half a minute). Recursion is bounded
 * by the readers' nesting limits. */
static bool same_tree(const cJSON *a, const cJSON *b)
{
    if ((a->type & 0xFF) != (b->type & 0xFF))
        return false;
    if (cJSON_IsNumber(a))
        return same_number(a->valuedouble, b->valuedouble);
    if (cJSON_IsString(a) || cJSON_IsRaw(a)) {
        const char *x = a->valuestring ? a->valuestring : "";
        return strcmp(x, b->valuestring ? b->valuestring : "") == 0;
    }
    if (!cJSON_IsArray(a) && !cJSON_IsObject(a))
        return true;
    const cJSON *x = a->child, *y = b->child;
    for (; x && y; x = x->next, y = y->next) {
        if (cJSON_IsObject(a) && strcmp(x->string ? x->string : "", y->string ? y->string : ""))
            return false;
        if (!same_tree(x, y))
            return false;
    }
    return !x && !y;
}

/* Whether MERGED reads back as the template plus the new resources, the
 * new ones last. */
static bool reads_back(const merge *mg, const char *merged)
{
    size_t n = strlen(merged);
    cJSON *got = NULL;
    if (mg->fmt == FMT_CFN_JSON) {
        got = cJSON_ParseWithLength(merged, n);
    } else {
        char *err = NULL;
        got = export_yaml_read(merged, n, NULL, &err);
        free(err);
    }
    cJSON *want = expected_tree(mg);
    bool ok = got && same_tree(want, got);
    const cJSON *last = ok ? cJSON_GetObjectItemCaseSensitive(got, SECTION_RESOURCES)->child : NULL;
    while (last && last->next)
        last = last->next;
    const cJSON *added_last = mg->added->child;
    while (added_last && added_last->next)
        added_last = added_last->next;
    ok = ok && last && strcmp(last->string, added_last->string) == 0;
    cJSON_Delete(want);
    cJSON_Delete(got);
    return ok;
}

/* ---- JSON: a scanner for the text cJSON has already accepted ---- */

/* Index after the white space at I. */
static size_t js_space(const char *t, size_t n, size_t i)
{
    while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n'))
        i++;
    return i;
}

/* Index after the string that starts at I. */
static size_t js_string(const char *t, size_t n, size_t i)
{
    for (i++; i < n && t[i] != '"'; i++)
        if (t[i] == '\\')
            i++;
    return i < n ? i + 1 : n;
}

/* Index after the value that starts at I. */
static size_t js_value(const char *t, size_t n, size_t i)
{
    if (i < n && t[i] == '"')
        return js_string(t, n, i);
    if (i >= n || (t[i] != '{' && t[i] != '[')) {
        while (i < n && !strchr(",}] \t\r\n", t[i]))
            i++;
        return i;
    }
    int depth = 0;
    while (i < n) {
        char c = t[i];
        if (c == '"') {
            i = js_string(t, n, i);
            continue;
        }
        depth += (c == '{' || c == '[') - (c == '}' || c == ']');
        i++;
        if (depth == 0)
            return i;
    }
    return n;
}

/* The white space that starts the line holding byte AT. Caller frees. */
static char *line_lead(const char *t, size_t at)
{
    size_t start = at;
    while (start > 0 && t[start - 1] != '\n')
        start--;
    size_t end = start;
    while (end < at && (t[end] == ' ' || t[end] == '\t'))
        end++;
    return xstrndup(t + start, end - start);
}

/* The white space that starts the line holding byte AT, when only white
 * space comes before AT on it; else NULL. Caller frees. */
static char *line_indent(const char *t, size_t at)
{
    size_t start = at;
    while (start > 0 && t[start - 1] != '\n')
        start--;
    for (size_t i = start; i < at; i++)
        if (t[i] != ' ' && t[i] != '\t')
            return NULL;
    return xstrndup(t + start, at - start);
}

/* Find the top-level "Resources" member's object. */
static int find_json_resources(merge *mg, json_spot *s)
{
    const char *t = mg->text;
    size_t n = mg->len, i = js_space(t, n, bom_len(t, n));
    const size_t want = strlen(SECTION_RESOURCES);
    for (i = js_space(t, n, i + 1); i < n && t[i] == '"';) {
        size_t key = i, key_end = js_string(t, n, i);
        size_t v = js_space(t, n, js_space(t, n, key_end) + 1);
        size_t v_end = js_value(t, n, v);
        if (key_end - key == want + 2 && memcmp(t + key + 1, SECTION_RESOURCES, want) == 0 &&
            v < n && t[v] == '{') {
            *s = (json_spot){key, v, v_end - 1, js_space(t, n, v + 1)};
            return 0;
        }
        i = js_space(t, n, v_end);
        i = js_space(t, n, i < n && t[i] == ',' ? i + 1 : n);
    }
    fail(mg, "cannot find the %s object in the text", SECTION_RESOURCES);
    return -1;
}

/* One indentation step of the JSON template: how much deeper the first
 * resource's members are than the resource, else how deep Resources is. */
static char *json_unit(const merge *mg, const json_spot *s, const char *member_indent)
{
    const char *t = mg->text;
    size_t n = mg->len;
    if (member_indent && s->first_member < s->close) {
        size_t v = js_space(t, n, js_space(t, n, js_string(t, n, s->first_member)) + 1);
        size_t inner = v < n && t[v] == '{' ? js_space(t, n, v + 1) : n;
        char *ind = inner < n && t[inner] == '"' ? line_indent(t, inner) : NULL;
        size_t base = strlen(member_indent);
        if (ind && strlen(ind) > base && strncmp(ind, member_indent, base) == 0) {
            char *unit = xstrdup(ind + base);
            free(ind);
            return unit;
        }
        free(ind);
    }
    char *root = line_indent(t, s->key);
    if (root && *root)
        return root;
    free(root);
    return xstrdup(DEFAULT_UNIT);
}

/* The new resources as JSON members, each line starting with INDENT. */
static char *json_members(const merge *mg, const char *indent, const char *unit, bool first)
{
    strbuf b = {0};
    for (const cJSON *c = mg->added->child; c; c = c->next, first = false) {
        sb_add(&b, first ? "" : ",");
        sb_add(&b, mg->nl);
        sb_add(&b, indent);
        cJSON *key = cJSON_CreateString(c->string);
        char *k = export_json_print_styled(key, unit, indent, mg->nl);
        char *v = export_json_print_styled(c, unit, indent, mg->nl);
        sb_addf(&b, "%s: %s", k, v);
        free(k);
        free(v);
        cJSON_Delete(key);
    }
    return sb_take(&b);
}

/* The JSON template with the new members after the last resource. */
static char *merge_json(merge *mg)
{
    json_spot s = mg->js;
    bool empty = s.first_member >= s.close;
    char *member_indent = empty ? NULL : line_indent(mg->text, s.first_member);
    char *unit = json_unit(mg, &s, member_indent);
    if (!member_indent) {
        char *outer = line_lead(mg->text, s.open);
        member_indent = xasprintf("%s%s", outer, unit);
        free(outer);
    }
    size_t at = s.close;
    while (at > s.open + 1 && strchr(" \t\r\n", mg->text[at - 1]))
        at--;
    char *members = json_members(mg, member_indent, unit, empty);
    if (empty) {
        char *outer = line_lead(mg->text, s.open);
        char *closed = xasprintf("%s%s%s", members, mg->nl, outer);
        free(outer);
        free(members);
        members = closed;
    }
    char *out = splice(mg, at, members);
    free(members);
    free(unit);
    free(member_indent);
    return out;
}

/* ---- YAML: the end of the Resources block, from libyaml's marks ---- */

/* The walk over the template's events. */
typedef struct yaml_walk {
    yaml_parser_t parser;
    bool ok;
} yaml_walk;

/* The next event; false at a parse error (the template was read before,
 * so this does not happen on the text cJSON/libyaml already accepted). */
static bool walk_next(yaml_walk *w, yaml_event_t *ev)
{
    w->ok = w->ok && yaml_parser_parse(&w->parser, ev);
    return w->ok;
}

/* Whether event EV shows text (a scalar, an alias, the end of a flow
 * collection): block collection ends sit at the next token instead. */
static bool shows_text(const yaml_event_t *ev, const bool *flow, int depth)
{
    if (ev->type == YAML_SCALAR_EVENT || ev->type == YAML_ALIAS_EVENT)
        return true;
    bool end = ev->type == YAML_MAPPING_END_EVENT || ev->type == YAML_SEQUENCE_END_EVENT;
    return end && depth >= 0 && flow[depth];
}

/* Whether collection start event EV is in flow style. */
static bool is_flow_start(const yaml_event_t *ev)
{
    if (ev->type == YAML_MAPPING_START_EVENT)
        return ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
    return ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
}

/* Skip the node that starts with EV (deleted here), recording in S where
 * its text ends; *INNER gets the column of the first event inside it when
 * it is a block mapping (else stays). */
static void walk_node(yaml_walk *w, yaml_event_t *ev, yaml_spot *s, size_t *inner)
{
    bool flow[EXPORT_YAML_MAX_DEPTH + 2];
    int depth = -1;
    bool first = true;
    do {
        bool start = ev->type == YAML_MAPPING_START_EVENT || ev->type == YAML_SEQUENCE_START_EVENT;
        bool end = ev->type == YAML_MAPPING_END_EVENT || ev->type == YAML_SEQUENCE_END_EVENT;
        if (!first && depth == 0 && inner && *inner == 0 && !flow[0])
            *inner = ev->start_mark.column;
        if (shows_text(ev, flow, depth)) {
            s->end_index = ev->end_mark.index;
            s->end_at_line = ev->type == YAML_SCALAR_EVENT && ev->end_mark.column == 0;
        }
        if (start && depth + 1 < (int)(sizeof flow / sizeof flow[0]))
            flow[++depth] = is_flow_start(ev);
        depth -= end;
        first = false;
        yaml_event_delete(ev);
    } while (depth >= 0 && walk_next(w, ev));
}

/* Walk the Resources mapping whose start event was consumed. */
static void walk_resources(yaml_walk *w, yaml_spot *s)
{
    yaml_event_t ev;
    bool first = true;
    while (walk_next(w, &ev)) {
        if (ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            return;
        }
        if (first)
            s->base = ev.start_mark.column;
        walk_node(w, &ev, s, NULL); /* the key */
        if (!walk_next(w, &ev))
            return;
        size_t inner = 0;
        bool block_map = ev.type == YAML_MAPPING_START_EVENT && !is_flow_start(&ev);
        walk_node(w, &ev, s, first && block_map ? &inner : NULL);
        if (first && inner > s->base)
            s->step = inner - s->base;
        first = false;
    }
}

/* The value of the top-level key Resources. EV is its first event. */
static void walk_resources_value(yaml_walk *w, yaml_event_t *ev, yaml_spot *s)
{
    s->found = true;
    if (ev->type == YAML_MAPPING_START_EVENT && !is_flow_start(ev)) {
        yaml_event_delete(ev);
        walk_resources(w, s);
        return;
    }
    s->is_flow = true;
    s->flow = ev->start_mark;
    walk_node(w, ev, s, NULL);
}

/* Walk the top-level mapping, looking for Resources. */
static void walk_root(yaml_walk *w, yaml_spot *s)
{
    yaml_event_t ev;
    while (walk_next(w, &ev) && ev.type != YAML_MAPPING_START_EVENT) {
        bool over = ev.type == YAML_STREAM_END_EVENT || ev.type == YAML_DOCUMENT_END_EVENT;
        yaml_event_delete(&ev);
        if (over)
            return;
    }
    if (!w->ok)
        return;
    yaml_event_delete(&ev);
    while (!s->found && walk_next(w, &ev) && ev.type == YAML_SCALAR_EVENT) {
        bool is_resources = strcmp((const char *)ev.data.scalar.value, SECTION_RESOURCES) == 0;
        size_t col = ev.start_mark.column;
        yaml_event_delete(&ev);
        if (!walk_next(w, &ev))
            return;
        if (is_resources) {
            s->parent = col;
            walk_resources_value(w, &ev, s);
        } else {
            walk_node(w, &ev, s, NULL);
        }
    }
    if (w->ok && !s->found)
        yaml_event_delete(&ev);
}

/* Byte offset of character INDEX (libyaml counts characters, not the BOM). */
static size_t byte_of_index(const merge *mg, size_t index)
{
    size_t at = bom_len(mg->text, mg->len);
    for (size_t chars = 0; at < mg->len && chars < index; chars++) {
        at++;
        while (at < mg->len && ((unsigned char)mg->text[at] & 0xC0) == 0x80)
            at++;
    }
    return at;
}

/* Find where the Resources block ends and how it is indented. */
static int find_yaml_spot(merge *mg, yaml_spot *s)
{
    yaml_walk w = {.ok = true};
    memset(s, 0, sizeof *s);
    if (!yaml_parser_initialize(&w.parser)) {
        fail(mg, "YAML parser: out of memory");
        return -1;
    }
    yaml_parser_set_input_string(&w.parser, (const unsigned char *)mg->text, mg->len);
    walk_root(&w, s);
    yaml_parser_delete(&w.parser);
    if (s->is_flow) {
        fail(mg,
             "line %zu: %s is written in flow style ({...}); esmcfg adds resources to a "
             "block mapping (one resource per line, indented)",
             s->flow.line + 1, SECTION_RESOURCES);
        return -1;
    }
    if (!w.ok || !s->found) {
        fail(mg, "cannot find the %s mapping in the text", SECTION_RESOURCES);
        return -1;
    }
    return 0;
}

/* Length of the YAML line break at byte I (LF, CR, CRLF, and YAML 1.1's
 * NEL, LS and PS, as libyaml counts lines), or 0. */
static size_t break_len(const char *t, size_t n, size_t i)
{
    static const char *const breaks[] = {"\r\n",         "\n",           "\r", "\xc2\x85",
                                         "\xe2\x80\xa8", "\xe2\x80\xa9", NULL};
    for (size_t k = 0; breaks[k]; k++) {
        size_t len = strlen(breaks[k]);
        if (i + len <= n && memcmp(t + i, breaks[k], len) == 0)
            return len;
    }
    return 0;
}

/* Whether the text before byte AT ends with a line break. */
static bool ends_line(const char *t, size_t at)
{
    return at > 0 && (t[at - 1] == '\n' || t[at - 1] == '\r' ||
                      (at >= 2 && memcmp(t + at - 2, "\xc2\x85", 2) == 0) ||
                      (at >= 3 && (memcmp(t + at - 3, "\xe2\x80\xa8", 3) == 0 ||
                                   memcmp(t + at - 3, "\xe2\x80\xa9", 3) == 0)));
}

/* The start of the line after the one holding byte AT (N when none). */
static size_t after_line(const char *t, size_t n, size_t at)
{
    if (ends_line(t, at))
        return at;
    while (at < n && !break_len(t, n, at))
        at++;
    return at + break_len(t, n, at);
}

/* LINE (without its newline) indented for STEP instead of 2: each 2-column
 * level, and each "- " or "? " indicator, becomes STEP columns. */
static void reindent_line(strbuf *b, const char *line, size_t n, size_t step)
{
    size_t lead = 0;
    while (lead < n && line[lead] == ' ')
        lead++;
    for (size_t i = 0; i < lead / 2 * step; i++)
        sb_add(b, " ");
    size_t i = lead;
    while (i + 1 < n && (line[i] == '-' || line[i] == '?') && line[i + 1] == ' ') {
        sb_addn(b, line + i, 1);
        for (size_t k = 1; k < step; k++)
            sb_add(b, " ");
        i += 2;
    }
    sb_addn(b, line + i, n - i);
}

/* YAML (2-space, from the emitter) with indentation STEP and every line
 * starting with BASE spaces. Caller frees. */
static char *reindent(const char *yaml, size_t base, size_t step)
{
    strbuf b = {0};
    for (const char *p = yaml; *p;) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        for (size_t i = 0; i < base; i++)
            sb_add(&b, " ");
        if (step == DEFAULT_STEP)
            sb_addn(&b, p, n);
        else
            reindent_line(&b, p, n, step);
        sb_add(&b, "\n");
        p += n + (eol != NULL);
    }
    return sb_take(&b);
}

/* The YAML template with BLOCK (the new resources) at the end of
 * Resources, in indentation STEP. NULL on an emitter error. */
static char *merge_yaml_step(merge *mg, const yaml_spot *s, const char *block, size_t step)
{
    char *text = with_newlines(reindent(block, s->base, step), mg->nl);
    size_t at = byte_of_index(mg, s->end_index);
    if (!s->end_at_line)
        at = after_line(mg->text, mg->len, at);
    bool need_nl = at == mg->len && at > 0 && !ends_line(mg->text, at);
    char *insert = need_nl ? xasprintf("%s%s", mg->nl, text) : xstrdup(text);
    char *out = splice(mg, at, insert);
    free(insert);
    free(text);
    return out;
}

/* The indentation step of the template's resources. */
static size_t yaml_step(const yaml_spot *s)
{
    size_t step = s->step ? s->step : s->base > s->parent ? s->base - s->parent : DEFAULT_STEP;
    return step < DEFAULT_STEP || step > MAX_STEP ? DEFAULT_STEP : step;
}

/* The YAML template with the new resources spliced in: in the template's
 * step, else (if that does not read back) in the emitter's own. */
static char *merge_yaml(merge *mg)
{
    const yaml_spot s = mg->ys;
    char *err = NULL;
    char *block = export_yaml_print(mg->added, &err);
    if (!block) {
        mg->err = err;
        return NULL;
    }
    size_t step = yaml_step(&s);
    char *out = merge_yaml_step(mg, &s, block, step);
    if (step != DEFAULT_STEP && !reads_back(mg, out)) {
        free(out);
        out = merge_yaml_step(mg, &s, block, DEFAULT_STEP);
    }
    free(block);
    return out;
}

/* ---- the whole ---- */

/* Find where the new resources go: refused when the text's Resources
 * block cannot take them. */
static int locate(merge *mg)
{
    if (mg->fmt == FMT_CFN_JSON)
        return find_json_resources(mg, &mg->js);
    return find_yaml_spot(mg, &mg->ys);
}

/* Splice in the new resources and check the result reads back. */
static char *merge_text(merge *mg)
{
    char *out = mg->fmt == FMT_CFN_JSON ? merge_json(mg) : merge_yaml(mg);
    if (out && strlen(out) > EXPORT_YAML_MAX_BYTES) {
        fail(mg,
             "with the new resources the template is larger than %zu bytes, "
             "CloudFormation's limit",
             EXPORT_YAML_MAX_BYTES);
        free(out);
        return NULL;
    }
    if (out && !reads_back(mg, out)) {
        fail(mg, "the merged template does not read back as the template plus the new resources "
                 "(please report this); nothing was written");
        free(out);
        return NULL;
    }
    return out;
}

/* Read, check, splice, read back. */
char *export_merge(const mapping *m, const char *text, size_t len, const char *source, char **err)
{
    merge mg = {.text = text, .len = len, .source = source};
    char *out = NULL;
    if (read_template(&mg) == 0 && locate(&mg) == 0 && build_added(&mg, m) == 0 &&
        check_free_ids(&mg) == 0)
        out = merge_text(&mg);
    cJSON_Delete(mg.tmpl);
    cJSON_Delete(mg.added);
    if (err)
        *err = mg.err;
    else
        free(mg.err);
    return out;
}
