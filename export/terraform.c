/* Terraform: an aws_lambda_event_source_mapping resource (HCL) and, when
 * the function's execution role is known, an aws_iam_role_policy with the
 * permissions the CloudFormation export grants. Every argument name comes
 * from the option table's .tf path; the layout is what `terraform fmt`
 * writes (attributes first with their '=' aligned, then blocks, then the
 * tags map), so that `terraform fmt -check` passes on it. */
#include "export/render.h"

#include <stdlib.h>
#include <string.h>

#include "model/util.h"

#define TF_RESOURCE "aws_lambda_event_source_mapping"
#define TF_POLICY "aws_iam_role_policy"
#define TF_INDENT "  "
#define HEREDOC_TAG "EOT"

/* Append S to B as an HCL string literal: JSON-like escapes, and "${" and
 * "%{" doubled so that Terraform reads no template sequence. */
static void add_hcl_string(strbuf *b, const char *s)
{
    sb_add(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            sb_addf(b, "\\%c", *p);
        else if (*p == '\n')
            sb_add(b, "\\n");
        else if (*p == '\r')
            sb_add(b, "\\r");
        else if (*p == '\t')
            sb_add(b, "\\t");
        else if (*p < 0x20 || *p == 0x7f)
            sb_addf(b, "\\u%04x", *p);
        else if ((*p == '$' || *p == '%') && p[1] == '{')
            sb_addf(b, "%c%c", *p, *p);
        else
            sb_addn(b, (const char *)p, 1);
    }
    sb_add(b, "\"");
}

/* One "name = value" line waiting to be aligned. */
typedef struct tf_attr {
    char *name;
    char *value;
} tf_attr;

typedef struct tf_attrs {
    tf_attr *items;
    size_t n;
} tf_attrs;

/* Queue NAME = VALUE (taken). */
static void attr_add(tf_attrs *a, const char *name, char *value)
{
    a->items = xrealloc(a->items, (a->n + 1) * sizeof *a->items);
    a->items[a->n++] = (tf_attr){xstrdup(name), value};
}

/* Write the queued attributes at DEPTH with their '=' aligned, and empty
 * the queue. */
static void attrs_flush(strbuf *b, tf_attrs *a, int depth)
{
    size_t width = 0;
    for (size_t i = 0; i < a->n; i++)
        if (strlen(a->items[i].name) > width)
            width = strlen(a->items[i].name);
    for (size_t i = 0; i < a->n; i++) {
        for (int d = 0; d < depth; d++)
            sb_add(b, TF_INDENT);
        sb_addf(b, "%-*s = %s\n", (int)width, a->items[i].name, a->items[i].value);
        free(a->items[i].name);
        free(a->items[i].value);
    }
    free(a->items);
    a->items = NULL;
    a->n = 0;
}

/* S as an HCL string literal. Caller frees. */
static char *hcl_string(const char *s)
{
    strbuf b = {0};
    add_hcl_string(&b, s);
    return sb_take(&b);
}

/* ["a", "b"]: the items' keys as an HCL list. Caller frees. */
static char *hcl_list(const opt_value *v)
{
    strbuf b = {0};
    sb_add(&b, "[");
    for (size_t i = 0; i < v->n_items; i++) {
        if (i > 0)
            sb_add(&b, ", ");
        add_hcl_string(&b, v->items[i].key);
    }
    sb_add(&b, "]");
    return sb_take(&b);
}

/* The single-line HCL value of option D's value V, or NULL when it is left
 * out (a false flag list, an empty list). */
static char *simple_value(const opt_def *d, const opt_value *v)
{
    switch (d->type) {
    case OPT_T_STREAM:
    case OPT_T_FUNCTION:
    case OPT_T_ENUM:
    case OPT_T_DESTINATION:
    case OPT_T_KMS_KEY:
        return v->str ? hcl_string(v->str) : NULL;
    case OPT_T_INT:
    case OPT_T_DURATION:
        return xasprintf("%lld", v->num);
    case OPT_T_BOOL:
        return xstrdup(v->num ? "true" : "false");
    case OPT_T_FLAG_LIST: {
        if (!v->num || !d->list_value)
            return NULL;
        char *item = hcl_string(d->list_value);
        char *list = xasprintf("[%s]", item);
        free(item);
        return list;
    }
    case OPT_T_ENUM_LIST:
        return v->n_items ? hcl_list(v) : NULL;
    case OPT_T_PATTERNS:
    case OPT_T_TAGS:
        return NULL;
    }
    return NULL;
}

/* Write DEPTH levels of indentation. */
static void indent(strbuf *b, int depth)
{
    for (int d = 0; d < depth; d++)
        sb_add(b, TF_INDENT);
}

/* Write the nested blocks of PATH down to its last segment, which gets
 * VALUE: "a.b.c" -> a { b { c = VALUE } }. */
static void write_nested(strbuf *b, int depth, const char *path, const char *value)
{
    const char *dot = strchr(path, '.');
    indent(b, depth);
    if (!dot) {
        sb_addf(b, "%s = %s\n", path, value);
        return;
    }
    sb_addf(b, "%.*s {\n", (int)(dot - path), path);
    write_nested(b, depth + 1, dot + 1, value);
    indent(b, depth);
    sb_add(b, "}\n");
}

/* A pattern list: the blocks before the repeated one open once, then the
 * repeated block (the one holding the last segment) once per pattern:
 * "filter_criteria.filter.pattern" -> filter_criteria { filter {...} ... }. */
static void write_patterns(strbuf *b, int depth, const char *path, const opt_value *v)
{
    const char *last = strrchr(path, '.');
    const char *rep = path; /* where the repeated block's segment starts */
    for (const char *p = path; last && p < last; p++)
        if (*p == '.')
            rep = p + 1;
    if (rep == path) {
        for (size_t i = 0; i < v->n_items; i++) {
            char *s = hcl_string(v->items[i].key);
            write_nested(b, depth, path, s);
            free(s);
        }
        return;
    }
    const char *dot = strchr(path, '.');
    indent(b, depth);
    sb_addf(b, "%.*s {\n", (int)(dot - path), path);
    write_patterns(b, depth + 1, dot + 1, v);
    indent(b, depth);
    sb_add(b, "}\n");
}

/* tags = { "k" = "v" ... } with the keys' '=' aligned. */
static void write_map(strbuf *b, int depth, const char *name, const opt_value *v)
{
    indent(b, depth);
    sb_addf(b, "%s = {\n", name);
    tf_attrs a = {0};
    for (size_t i = 0; i < v->n_items; i++) {
        bool later = false; /* a repeated key keeps its last value, as the API's map */
        for (size_t j = i + 1; j < v->n_items && !later; j++)
            later = strcmp(v->items[j].key, v->items[i].key) == 0;
        if (later)
            continue;
        char *key = hcl_string(v->items[i].key);
        attr_add(&a, key, hcl_string(v->items[i].val ? v->items[i].val : ""));
        free(key);
    }
    attrs_flush(b, &a, depth + 1);
    indent(b, depth);
    sb_add(b, "}\n");
}

/* The value option D has in M for the export: the set value, the default
 * of an always exported option, or NULL when it is left out. */
static const opt_value *export_value(const mapping *m, const opt_def *d, opt_value *def)
{
    const opt_value *v = mapping_get(m, d->id);
    if (v && v->set)
        return v;
    if (!d->always_export || !opt_is_numeric(d))
        return NULL;
    *def = (opt_value){.set = true, .num = d->default_num};
    return def;
}

/* A Terraform name: lower case letters, digits and '_' from S's words,
 * starting with a letter. Caller frees. */
static char *tf_name(const char *table, const char *fn)
{
    strbuf b = {0};
    const char *parts[2] = {table, fn};
    for (int k = 0; k < 2; k++) {
        bool gap = b.len > 0;
        for (const char *p = parts[k]; *p; p++) {
            char c = *p;
            bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum) {
                gap = b.len > 0;
                continue;
            }
            if (gap)
                sb_add(&b, "_");
            gap = false;
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            sb_addn(&b, &c, 1);
        }
    }
    if (b.len == 0 || (b.s[0] >= '0' && b.s[0] <= '9')) {
        char *rest = sb_take(&b);
        sb_add(&b, "esm");
        if (*rest)
            sb_addf(&b, "_%s", rest);
        free(rest);
    }
    return sb_take(&b);
}

/* The CloudFormation template's policy resource for M, or NULL. */
static const cJSON *find_policy(const cJSON *resources)
{
    for (const cJSON *r = resources->child; r; r = r->next) {
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(r, "Type");
        if (cJSON_IsString(type) && strcmp(type->valuestring, "AWS::IAM::Policy") == 0)
            return r;
    }
    return NULL;
}

/* The role's name: what follows the last '/' of its ARN. */
static const char *role_name(const char *arn)
{
    const char *slash = strrchr(arn, '/');
    return slash ? slash + 1 : arn;
}

/* resource "aws_iam_role_policy" NAME: the CloudFormation policy's
 * document as a heredoc. */
static void write_policy(strbuf *b, const mapping *m, const cJSON *policy, const char *name)
{
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(policy, "Properties");
    const cJSON *pname = cJSON_GetObjectItemCaseSensitive(props, "PolicyName");
    const cJSON *doc = cJSON_GetObjectItemCaseSensitive(props, "PolicyDocument");
    sb_addf(b, "\nresource \"%s\" \"%s\" {\n", TF_POLICY, name);
    tf_attrs a = {0};
    attr_add(&a, "name", hcl_string(cJSON_IsString(pname) ? pname->valuestring : name));
    attr_add(&a, "role", hcl_string(role_name(m->function_role)));
    char *json = export_json_print_styled(doc, "  ", TF_INDENT TF_INDENT, "\n");
    attr_add(&a, "policy",
             xasprintf("<<-%s\n%s%s\n%s%s", HEREDOC_TAG, TF_INDENT TF_INDENT, json, TF_INDENT,
                       HEREDOC_TAG));
    free(json);
    attrs_flush(b, &a, 1);
    sb_add(b, "}\n");
}

/* The first line: what the file holds, names escaped so that no control
 * character ends the comment. */
static void write_header(strbuf *b, const mapping *m)
{
    char *table = export_table_name(m), *fn = export_function_name(m);
    char *t = str_escape_display(table), *f = str_escape_display(fn);
    sb_addf(b, "# DynamoDB stream of table %s to Lambda function %s, generated by esmcfg.\n", t, f);
    free(t);
    free(f);
    free(table);
    free(fn);
}

/* The resources for M (assumed to pass export_check). */
char *export_terraform_render(const mapping *m)
{
    strbuf b = {0};
    write_header(&b, m);
    char *table = export_table_name(m), *fn = export_function_name(m);
    char *name = tf_name(table, fn);
    free(table);
    free(fn);
    cJSON *resources = export_cfn_resources(m, ARN_OTHER);
    const cJSON *policy = m->function_role && *m->function_role ? find_policy(resources) : NULL;
    sb_addf(&b, "\nresource \"%s\" \"%s\" {\n", TF_RESOURCE, name);
    const opt_def *t = opt_table();
    tf_attrs a = {0};
    for (size_t i = 0; i < OPT_COUNT; i++) { /* the attributes, aligned */
        opt_value def;
        const opt_value *v = export_value(m, &t[i], &def);
        char *val = v && t[i].tf && !strchr(t[i].tf, '.') ? simple_value(&t[i], v) : NULL;
        if (val)
            attr_add(&a, t[i].tf, val);
    }
    attrs_flush(&b, &a, 1);
    for (size_t i = 0; i < OPT_COUNT; i++) { /* the blocks and the map */
        opt_value def;
        const opt_value *v = export_value(m, &t[i], &def);
        if (!v || !t[i].tf || !*t[i].tf)
            continue;
        if (t[i].type == OPT_T_PATTERNS && v->n_items) {
            sb_add(&b, "\n");
            write_patterns(&b, 1, t[i].tf, v);
        } else if (t[i].type == OPT_T_TAGS && v->n_items) {
            sb_add(&b, "\n");
            write_map(&b, 1, t[i].tf, v);
        } else if (strchr(t[i].tf, '.')) {
            char *val = simple_value(&t[i], v);
            if (val) {
                sb_add(&b, "\n");
                write_nested(&b, 1, t[i].tf, val);
            }
            free(val);
        }
    }
    if (policy)
        sb_addf(&b, "\n%sdepends_on = [%s.%s]\n", TF_INDENT, TF_POLICY, name);
    sb_add(&b, "}\n");
    if (policy)
        write_policy(&b, m, policy, name);
    cJSON_Delete(resources);
    free(name);
    return sb_take(&b);
}
