/* Loading a mapping from a document: parsing (JSON or YAML, told from the
 * content), telling what the document is, picking its one mapping (a
 * template's resource, an entry of list-event-source-mappings), and what
 * lies around the properties: the UUID, the logical ID, the role of the
 * template's IAM policy. The properties themselves are read in
 * load_values.c. */
#include "export/load_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/yaml_read.h"
#include "model/util.h"
#include "model/value.h"

/* Template structure (not options: those come from the table). */
#define RESOURCES_KEY "Resources"
#define VERSION_KEY "AWSTemplateFormatVersion"
#define TYPE_KEY "Type"
#define PROPERTIES_KEY "Properties"
#define DEPENDS_ON_KEY "DependsOn"
#define ROLES_KEY "Roles"
#define REF_KEY "Ref"
#define ESM_TYPE "AWS::Lambda::EventSourceMapping"
#define POLICY_TYPE "AWS::IAM::Policy"
#define POLICY_SUFFIX "Policy"
/* AWS CLI output: the mapping's ID, and list-event-source-mappings' list. */
#define UUID_KEY "UUID"
#define LIST_KEY "EventSourceMappings"
/* Most mappings listed when a pick is ambiguous. */
#define LIST_SHOWN 10

static const char *const kind_names[LOAD_KIND_COUNT] = {
    [LOAD_API_JSON] = "json",
    [LOAD_CFN_JSON] = "cfn-json",
    [LOAD_CFN_YAML] = "cfn-yaml",
    [LOAD_AWS_MAPPING] = "get-event-source-mapping output",
    [LOAD_AWS_LIST] = "list-event-source-mappings output",
    [LOAD_UPDATE_JSON] = "update-json",
};

/* What kind K is called in messages. */
const char *load_kind_name(load_kind k)
{
    return (unsigned)k < LOAD_KIND_COUNT ? kind_names[k] : "";
}

/* ---- paths, problems, context ---- */

/* "base.key", or "key" at the top. */
char *load_path_join(const char *base, const char *key)
{
    return *base ? xasprintf("%s.%s", base, key ? key : "") : xstrdup(key ? key : "");
}

/* "base[i]". */
char *load_path_index(const char *base, size_t i)
{
    return xasprintf("%s[%zu]", base, i);
}

/* The row's path in this document: api_read in AWS output, else cfn or api. */
const char *load_row_path(const load_ctx *c, const opt_def *d)
{
    if (c->aws && d->api_read)
        return d->api_read;
    return c->cfn ? d->cfn : d->api;
}

/* Append a problem at PATH, with the line where PATH starts. */
void load_add(load_ctx *c, diag_level level, const char *path, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    load_report *r = c->r;
    r->items = xrealloc(r->items, (r->n + 1) * sizeof *r->items);
    size_t line = *path ? load_lines_find(&c->lines, path) : 0; /* the whole document: none */
    r->items[r->n++] = (load_problem){level, line, xstrdup(path), xstrdup(msg)};
}

/* The inventory item with template logical ID ID. */
const inv_item *load_find_logical(const load_ctx *c, const char *id)
{
    const inventory *inv = c->o->inv;
    for (size_t i = 0; inv && i < inv->n; i++)
        if (inv->items[i].logical_id && strcmp(inv->items[i].logical_id, id) == 0)
            return &inv->items[i];
    return NULL;
}

/* A context for TEXT, its lines indexed. */
void load_ctx_init(load_ctx *c, const load_options *o, const char *text, size_t len, load_report *r)
{
    static const load_options none = {0};
    memset(c, 0, sizeof *c);
    c->o = o ? o : &none;
    c->r = r;
    load_lines_build(&c->lines, text, len);
}

/* ---- parsing ---- */

/* Whether TEXT starts (after white space and a BOM) like JSON. */
static bool looks_like_json(const char *text, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
        i++;
    return i < len && (text[i] == '{' || text[i] == '[');
}

/* A JSON syntax error at END: its line and column reported. */
static void json_error(load_ctx *c, const char *text, size_t len, const char *end)
{
    size_t off = end && end >= text ? (size_t)(end - text) : 0;
    size_t line = 1, col = 1;
    for (size_t i = 0; i < off && i < len; i++) {
        if (text[i] == '\n')
            line++, col = 1;
        else
            col++;
    }
    load_report *r = c->r;
    r->items = xrealloc(r->items, (r->n + 1) * sizeof *r->items);
    r->items[r->n++] =
        (load_problem){DIAG_ERROR, line, xstrdup(""), xasprintf("invalid JSON at column %zu", col)};
}

/* A YAML reader error "line L, column C: reason", reported at line L. */
static void yaml_error(load_ctx *c, const char *err)
{
    size_t line = 0, col = 0;
    int off = 0;
    const char *msg = err ? err : "invalid YAML";
    if (err && sscanf(err, "line %zu, column %zu: %n", &line, &col, &off) == 2 && off > 0)
        msg = err + off;
    load_report *r = c->r;
    r->items = xrealloc(r->items, (r->n + 1) * sizeof *r->items);
    char *text = col ? xasprintf("%s (column %zu)", msg, col) : xstrdup(msg);
    r->items[r->n++] = (load_problem){DIAG_ERROR, line, xstrdup(""), text};
}

/* Whether some object in NODE has more members than the YAML reader takes
 * in one mapping (checks for duplicates and unknown properties look at
 * every earlier member). Recursion is bounded by cJSON's nesting limit. */
static bool too_wide(const cJSON *node)
{
    size_t n = 0;
    for (const cJSON *c = node->child; c; c = c->next, n++)
        if (too_wide(c))
            return true;
    return cJSON_IsObject(node) && n > EXPORT_YAML_MAX_KEYS;
}

/* TEXT as a tree (JSON when it looks like JSON, else YAML); NULL with the
 * syntax error reported. *YAML says which. */
cJSON *load_parse(load_ctx *c, const char *text, size_t len, bool *yaml)
{
    *yaml = !looks_like_json(text, len);
    if (!*yaml) {
        const char *end = NULL;
        size_t skip = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        char *copy = xstrndup(text + skip, len - skip); /* stops at a NUL byte: an error */
        cJSON *root = cJSON_ParseWithOpts(copy, &end, true);
        if (root && strlen(copy) != len - skip) {
            cJSON_Delete(root);
            root = NULL;
            end = copy + strlen(copy);
        }
        if (!root)
            json_error(c, text, len, text + skip + (end ? (size_t)(end - copy) : 0));
        free(copy);
        if (root && too_wide(root)) {
            load_add(c, DIAG_ERROR, "", "an object has more than %d members", EXPORT_YAML_MAX_KEYS);
            cJSON_Delete(root);
            root = NULL;
        }
        return root;
    }
    char *err = NULL;
    cJSON *root = export_yaml_read(text, len, NULL, &err);
    if (!root)
        yaml_error(c, err);
    free(err);
    return root;
}

/* Whether the AWS output object OBJ has a member that only output has
 * (a row's api_read: FunctionArn, State). */
static bool has_output_member(const cJSON *obj)
{
    for (int i = 0; i < OPT_COUNT; i++) {
        const char *p = opt_get((opt_id)i)->api_read;
        if (p && cJSON_GetObjectItemCaseSensitive(obj, p))
            return true;
    }
    return false;
}

/* What ROOT is; sets c->kind and how its properties are named. -1 (reported)
 * when it is none of the documents esmcfg reads. */
int load_detect(load_ctx *c, const cJSON *root, bool yaml)
{
    if (!cJSON_IsObject(root)) {
        load_add(c, DIAG_ERROR, "",
                 "is not an esmcfg export or AWS CLI output (an object is needed, not %s)",
                 cJSON_IsArray(root) ? "a list" : "a single value");
        return -1;
    }
    if (cJSON_GetObjectItemCaseSensitive(root, RESOURCES_KEY) ||
        cJSON_GetObjectItemCaseSensitive(root, VERSION_KEY))
        c->kind = yaml ? LOAD_CFN_YAML : LOAD_CFN_JSON;
    else if (cJSON_GetObjectItemCaseSensitive(root, LIST_KEY))
        c->kind = LOAD_AWS_LIST;
    else if (cJSON_GetObjectItemCaseSensitive(root, UUID_KEY))
        c->kind = has_output_member(root) ? LOAD_AWS_MAPPING : LOAD_UPDATE_JSON;
    else
        c->kind = LOAD_API_JSON;
    c->cfn = c->kind == LOAD_CFN_JSON || c->kind == LOAD_CFN_YAML;
    c->aws = c->kind == LOAD_AWS_MAPPING || c->kind == LOAD_AWS_LIST;
    c->update = c->kind == LOAD_UPDATE_JSON;
    c->skip_key = c->update ? UUID_KEY : NULL;
    return 0;
}

/* ---- around the properties ---- */

/* The first row of type T (the stream, the function). */
static const opt_def *row_of_type(opt_type t)
{
    for (int i = 0; i < OPT_COUNT; i++)
        if (opt_get((opt_id)i)->type == t)
            return opt_get((opt_id)i);
    return NULL;
}

/* The string value of M's row of type T, or NULL. */
static const char *value_of_type(const mapping *m, opt_type t)
{
    const opt_def *d = row_of_type(t);
    const opt_value *v = d ? mapping_get(m, d->id) : NULL;
    return v && v->set ? v->str : NULL;
}

/* The table's name from the stream ARN, as --table sets it. */
static void set_table_name(mapping *m)
{
    const char *stream = value_of_type(m, OPT_T_STREAM);
    arn_parts p;
    char *err = NULL;
    if (stream && arn_parse(stream, &p, &err) == 0) {
        free(m->table_name);
        m->table_name = xstrdup(p.name);
    }
    free(err);
}

/* The name part of a role ARN (after the last '/'). */
static const char *role_name_of(const char *arn)
{
    const char *slash = strrchr(arn, '/');
    return slash ? slash + 1 : arn;
}

/* The partition and account of the ARN or function TEXT into P; false
 * when TEXT has no account. */
static bool arn_account(const char *text, bool function, arn_parts *p)
{
    char *err = NULL;
    int rc = function ? value_parse_function(text, p, &err) : arn_parse(text, p, &err);
    free(err);
    return rc == 0 && p->account[0];
}

/* The ARN of the role named NAME: the inventory's function role of that
 * name, else built from the function's (else the stream's) partition and
 * account. Without either, the name itself: the templates write only the
 * role's name. Caller frees. */
static char *role_arn_for(const load_ctx *c, const mapping *m, const char *name)
{
    const inventory *inv = c->o->inv;
    for (size_t i = 0; inv && i < inv->n; i++) {
        const char *r = inv->items[i].role_arn;
        if (inv->items[i].kind == INV_FUNCTION && r && strcmp(role_name_of(r), name) == 0)
            return xstrdup(r);
    }
    const char *fn = value_of_type(m, OPT_T_FUNCTION);
    const char *stream = value_of_type(m, OPT_T_STREAM);
    arn_parts p;
    if ((fn && arn_account(fn, true, &p)) || (stream && arn_account(stream, false, &p)))
        return xasprintf("arn:%s:iam::%s:role/%s", p.partition[0] ? p.partition : "aws", p.account,
                         name);
    return xstrdup(name);
}

/* The resource named ID in RESOURCES when it is of TYPE. */
const cJSON *load_resource_of_type(const cJSON *resources, const char *id, const char *type)
{
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(resources, id);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(res, TYPE_KEY);
    return cJSON_IsString(t) && strcmp(t->valuestring, type) == 0 ? res : NULL;
}

/* The IAM policy of mapping resource RES (ID): one it depends on, else
 * ID + "Policy". Sets *POLICY_ID. NULL when there is none. */
const cJSON *load_policy_of(const cJSON *resources, const char *id, const cJSON *res,
                            const char **policy_id)
{
    const cJSON *dep = cJSON_GetObjectItemCaseSensitive(res, DEPENDS_ON_KEY);
    const cJSON *one = cJSON_IsArray(dep) ? dep->child : dep;
    for (; one; one = cJSON_IsArray(dep) ? one->next : NULL) {
        const cJSON *p = cJSON_IsString(one)
                             ? load_resource_of_type(resources, one->valuestring, POLICY_TYPE)
                             : NULL;
        if (p) {
            *policy_id = one->valuestring;
            return p;
        }
    }
    char *guess = xasprintf("%s%s", id, POLICY_SUFFIX);
    const cJSON *p = load_resource_of_type(resources, guess, POLICY_TYPE);
    free(guess);
    *policy_id = p ? p->string : NULL;
    return p;
}

/* The function's role from the template's policy on it: a role name (made
 * an ARN), or {"Ref": ROLE} (kept as a reference). */
void load_role(load_ctx *c, const cJSON *resources, const char *id, const cJSON *res, mapping *m)
{
    const char *policy_id = NULL;
    const cJSON *policy = load_policy_of(resources, id, res, &policy_id);
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(policy, PROPERTIES_KEY);
    const cJSON *role = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(props, ROLES_KEY), 0);
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(role, REF_KEY);
    if (cJSON_IsString(role)) {
        char *arn = role_arn_for(c, m, role->valuestring);
        mapping_set_role(m, arn);
        free(arn);
    } else if (cJSON_IsString(ref)) {
        free(m->role_ref);
        m->role_ref = xstrdup(ref->valuestring);
        const inventory *inv = c->o->inv;
        for (size_t i = 0; inv && i < inv->n; i++)
            if (inv->items[i].role_logical_id && inv->items[i].role_arn &&
                strcmp(inv->items[i].role_logical_id, ref->valuestring) == 0)
                mapping_set_role(m, inv->items[i].role_arn);
    }
}

/* ---- picking the one mapping ---- */

/* The mapping resources of template ROOT, in order; reports a template
 * without any. Caller frees the array (not the items). */
const cJSON **load_template_mappings(load_ctx *c, const cJSON *root, size_t *n)
{
    const cJSON *resources = cJSON_GetObjectItemCaseSensitive(root, RESOURCES_KEY);
    *n = 0;
    if (!cJSON_IsObject(resources)) {
        load_add(c, DIAG_ERROR, resources ? RESOURCES_KEY : "",
                 resources ? "is not an object of resources" : "has no Resources");
        return NULL;
    }
    const cJSON **out = xcalloc((size_t)cJSON_GetArraySize(resources) + 1, sizeof *out);
    for (const cJSON *r = resources->child; r; r = r->next)
        if (load_resource_of_type(resources, r->string, ESM_TYPE))
            out[(*n)++] = r;
    if (*n == 0)
        load_add(c, DIAG_ERROR, RESOURCES_KEY, "has no %s resource", ESM_TYPE);
    return out;
}

/* "A, B, C" of the N names. */
static char *name_list(const cJSON *const *items, size_t n)
{
    strbuf b = {0};
    for (size_t i = 0; i < n && i < LIST_SHOWN; i++) {
        char *shown = str_escape_display(items[i]->string);
        sb_addf(&b, "%s%s", i ? ", " : "", shown);
        free(shown);
    }
    if (n > LIST_SHOWN)
        sb_addf(&b, " and %zu more", n - LIST_SHOWN);
    return sb_take(&b);
}

/* The template's mapping resource to load: --logical-id's, else the only one. */
static const cJSON *pick_resource(load_ctx *c, const cJSON *const *items, size_t n, load_status *st)
{
    const char *want = c->o->logical_id;
    for (size_t i = 0; want && i < n; i++)
        if (strcmp(items[i]->string, want) == 0)
            return items[i];
    if (n == 1)
        return items[0]; /* --logical-id then renames it */
    char *names = name_list(items, n);
    if (want) {
        char *shown = str_escape_display(want);
        load_add(c, DIAG_ERROR, RESOURCES_KEY, "has no mapping %s (it has %s)", shown, names);
        free(shown);
    } else {
        load_add(c, DIAG_ERROR, RESOURCES_KEY,
                 "holds %zu event source mappings; pick one with --logical-id: %s", n, names);
        *st = LOAD_AMBIGUOUS;
    }
    free(names);
    return NULL;
}

/* The string member of OBJ at the row path of the row of type T (AWS output). */
static const char *aws_string(const load_ctx *c, const cJSON *obj, opt_type t)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, load_row_path(c, row_of_type(t)));
    return cJSON_IsString(v) ? v->valuestring : "";
}

/* Whether AWS output entry E reads a DynamoDB stream. */
bool load_reads_stream(const load_ctx *c, const cJSON *e)
{
    arn_parts p;
    char *err = NULL;
    bool ok =
        arn_parse(aws_string(c, e, OPT_T_STREAM), &p, &err) == 0 && p.kind == ARN_DYNAMODB_STREAM;
    free(err);
    return ok;
}

/* Whether entry E's UUID is WANT. */
static bool has_uuid(const cJSON *e, const char *want)
{
    const cJSON *u = cJSON_GetObjectItemCaseSensitive(e, UUID_KEY);
    return cJSON_IsString(u) && strcmp(u->valuestring, want) == 0;
}

/* "UUID (table -> function)" for each stream entry of LIST, for the
 * message asking to pick one. */
static char *entry_list(const load_ctx *c, const cJSON *list)
{
    strbuf b = {0};
    size_t n = 0;
    for (const cJSON *e = list->child; e; e = e->next) {
        if (!load_reads_stream(c, e) || ++n > LIST_SHOWN)
            continue;
        const cJSON *u = cJSON_GetObjectItemCaseSensitive(e, UUID_KEY);
        arn_parts s;
        char *err = NULL;
        if (arn_parse(aws_string(c, e, OPT_T_STREAM), &s, &err) < 0)
            s.name[0] = '\0';
        free(err);
        char *entry = xasprintf("%s (%s -> %s)", cJSON_IsString(u) ? u->valuestring : "?", s.name,
                                aws_string(c, e, OPT_T_FUNCTION));
        char *shown = str_escape_display(entry);
        sb_addf(&b, "%s%s", n > 1 ? ", " : "", shown);
        free(shown);
        free(entry);
    }
    if (n > LIST_SHOWN)
        sb_addf(&b, " and %zu more", n - LIST_SHOWN);
    return sb_take(&b);
}

/* Report why no entry of LIST was picked (MATCHES entries qualified). */
static void report_no_entry(load_ctx *c, const cJSON *list, size_t matches, load_status *st)
{
    if (c->o->uuid) {
        char *shown = str_escape_display(c->o->uuid);
        load_add(c, DIAG_ERROR, LIST_KEY, "has no mapping with UUID %s", shown);
        free(shown);
    } else if (matches == 0) {
        load_add(c, DIAG_ERROR, LIST_KEY, "has no mapping that reads a DynamoDB stream");
    } else {
        char *entries = entry_list(c, list);
        load_add(c, DIAG_ERROR, LIST_KEY,
                 "holds %zu DynamoDB stream mappings; pick one with --uuid: %s", matches, entries);
        free(entries);
        *st = LOAD_AMBIGUOUS;
    }
}

/* The entry of list-event-source-mappings output to load: --uuid's, else
 * the only DynamoDB stream mapping. Sets *INDEX. */
static const cJSON *pick_entry(load_ctx *c, const cJSON *list, size_t *index, load_status *st)
{
    size_t matches = 0, i = 0;
    const cJSON *found = NULL;
    for (const cJSON *e = list->child; e; e = e->next, i++) {
        if (!(c->o->uuid ? has_uuid(e, c->o->uuid) : load_reads_stream(c, e)))
            continue;
        if (!found) {
            found = e;
            *index = i;
        }
        matches++;
    }
    if (found && (c->o->uuid || matches == 1))
        return found;
    report_no_entry(c, list, matches, st);
    return NULL;
}

/* ---- loading ---- */

/* One mapping of AWS output, OBJ at PATH: UUID and properties. */
static void load_aws(load_ctx *c, const cJSON *obj, const char *path, mapping *m)
{
    const cJSON *u = cJSON_GetObjectItemCaseSensitive(obj, UUID_KEY);
    char *at = load_path_join(path, UUID_KEY);
    if (cJSON_IsString(u) && *u->valuestring)
        m->uuid = xstrdup(u->valuestring);
    else
        load_add(c, DIAG_ERROR, u ? at : path, u ? "is not a UUID string" : "has no UUID");
    free(at);
    load_found found;
    load_properties(c, obj, path, m, &found);
}

/* A template's mapping resource RES: properties, logical ID, role. */
static void load_resource(load_ctx *c, const cJSON *root, const cJSON *res, mapping *m)
{
    const cJSON *resources = cJSON_GetObjectItemCaseSensitive(root, RESOURCES_KEY);
    char *path = xasprintf("%s.%s", RESOURCES_KEY, res->string);
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(res, PROPERTIES_KEY);
    if (!props) {
        load_add(c, DIAG_ERROR, path, "has no Properties");
    } else {
        char *at = load_path_join(path, PROPERTIES_KEY);
        load_found found;
        load_properties(c, props, at, m, &found);
        free(at);
    }
    mapping_set_logical_id(m, res->string);
    load_role(c, resources, res->string, res, m);
    free(path);
}

/* A template: its picked mapping resource. */
static load_status load_template(load_ctx *c, const cJSON *root, mapping *m)
{
    size_t n = 0;
    load_status st = LOAD_INVALID;
    const cJSON **items = load_template_mappings(c, root, &n);
    const cJSON *res = n ? pick_resource(c, items, n, &st) : NULL;
    free(items);
    if (!res)
        return st;
    load_resource(c, root, res, m);
    return LOAD_OK;
}

/* list-event-source-mappings output: its picked entry. */
static load_status load_list(load_ctx *c, const cJSON *root, mapping *m)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, LIST_KEY);
    if (!cJSON_IsArray(list)) {
        load_add(c, DIAG_ERROR, LIST_KEY, "is not a list");
        return LOAD_INVALID;
    }
    size_t index = 0;
    load_status st = LOAD_INVALID;
    const cJSON *e = pick_entry(c, list, &index, &st);
    if (!e)
        return st;
    char *path = load_path_index(LIST_KEY, index);
    load_aws(c, e, path, m);
    free(path);
    return LOAD_OK;
}

/* The one mapping of ROOT, by its kind. */
static load_status load_document(load_ctx *c, const cJSON *root, mapping *m)
{
    if (c->o->uuid && !c->aws) {
        load_add(c, DIAG_ERROR, "", "--uuid picks a mapping from AWS CLI output; this is %s",
                 load_kind_name(c->kind));
        return LOAD_INVALID;
    }
    switch (c->kind) {
    case LOAD_CFN_JSON:
    case LOAD_CFN_YAML:
        return load_template(c, root, m);
    case LOAD_AWS_LIST:
        return load_list(c, root, m);
    case LOAD_AWS_MAPPING:
        load_aws(c, root, "", m);
        return LOAD_OK;
    case LOAD_UPDATE_JSON:
        load_add(c, DIAG_ERROR, "",
                 "is an update request, which holds only changes: load the mapping itself "
                 "(aws lambda get-event-source-mapping --uuid UUID)");
        return LOAD_INVALID;
    default: {
        load_found found;
        load_properties(c, root, "", m, &found);
        return LOAD_OK;
    }
    }
}

/* Read the one mapping of TEXT into M (see load.h). */
load_status load_mapping(const char *text, size_t len, const load_options *o, mapping *m,
                         load_kind *kind, load_report *r)
{
    load_ctx c;
    load_ctx_init(&c, o, text, len, r);
    size_t before = load_report_count(r, DIAG_ERROR);
    bool yaml = false;
    cJSON *root = load_parse(&c, text, len, &yaml);
    load_status st = LOAD_INVALID;
    if (root && load_detect(&c, root, yaml) == 0) {
        if (kind)
            *kind = c.kind;
        st = load_document(&c, root, m);
    }
    if (st == LOAD_OK && load_report_count(r, DIAG_ERROR) > before)
        st = LOAD_INVALID;
    if (st == LOAD_OK) {
        set_table_name(m);
        if (m->uuid)
            m->original = mapping_clone(m);
    }
    cJSON_Delete(root);
    load_lines_free(&c.lines);
    return st;
}

/* ---- reports ---- */

/* "SOURCE:LINE: PATH: message". */
char *load_problem_format(const load_problem *p, const char *source)
{
    strbuf b = {0};
    char *src = source ? str_escape_display(source) : NULL;
    char *path = str_escape_display(p->path);
    if (src && p->line)
        sb_addf(&b, "%s:%zu: ", src, p->line);
    else if (src)
        sb_addf(&b, "%s: ", src);
    else if (p->line)
        sb_addf(&b, "line %zu: ", p->line);
    if (*path)
        sb_addf(&b, "%s: ", path);
    sb_add(&b, p->message);
    free(path);
    free(src);
    return sb_take(&b);
}

/* How many problems of LEVEL R holds. */
size_t load_report_count(const load_report *r, diag_level level)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)
        n += r->items[i].level == level;
    return n;
}

/* Free R's problems; R is empty afterwards. */
void load_report_free(load_report *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->items[i].path);
        free(r->items[i].message);
    }
    free(r->items);
    r->items = NULL;
    r->n = 0;
}
