/* Export formats, the dispatch from a mapping to the bytes of an export,
 * the names derived for it (logical ID, file name) and the JSON printer. */
#include "export/export.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "export/render.h"
#include "export/update_json.h"
#include "model/pick.h"
#include "model/util.h"
#include "model/value.h"

/* The longest logical ID derived (CloudFormation takes 255): with the
 * policy's suffix it stays within the 128 characters that libyaml writes
 * as a plain "key:" (longer keys come out in the explicit "? key" form). */
#define LOGICAL_ID_MAX 128
/* What a derived logical ID ends with, and what the policy's ID adds. */
#define LOGICAL_ID_SUFFIX "Mapping"
#define POLICY_ID_SUFFIX "Policy"

static const struct {
    const char *name, *title, *ext;
} formats[FMT_COUNT] = {
    [FMT_JSON] = {"json", "API JSON", ".json"},
    [FMT_CFN_JSON] = {"cfn-json", "CloudFormation JSON", ".cfn.json"},
    [FMT_CFN_YAML] = {"cfn-yaml", "CloudFormation YAML", ".cfn.yaml"},
    [FMT_SAM] = {"sam", "SAM template", ".sam.yaml"},
    [FMT_TERRAFORM] = {"terraform", "Terraform", ".tf"},
    [FMT_CDK_TS] = {"cdk-ts", "CDK TypeScript", ".cdk.ts"},
    [FMT_CDK_PYTHON] = {"cdk-python", "CDK Python", ".cdk.py"},
    [FMT_UPDATE_JSON] = {"update-json", "API update JSON", ".update.json"},
};

/* "json", "cfn-json", "cfn-yaml": the --format name. */
const char *export_format_name(export_format f)
{
    return (unsigned)f < FMT_COUNT ? formats[f].name : "";
}

/* "CloudFormation YAML": the preview's title. */
const char *export_format_title(export_format f)
{
    return (unsigned)f < FMT_COUNT ? formats[f].title : "";
}

/* ".json", ".cfn.json", ".cfn.yaml": the suggested file name's ending. */
const char *export_format_ext(export_format f)
{
    return (unsigned)f < FMT_COUNT ? formats[f].ext : "";
}

/* The format whose --format name is NAME. */
int export_format_parse(const char *name, export_format *out)
{
    for (int i = 0; i < FMT_COUNT && name; i++) {
        if (strcmp(name, formats[i].name) == 0) {
            *out = (export_format)i;
            return 0;
        }
    }
    return -1;
}

/* When M has a validation error: sets *err to the first one and returns -1. */
static int refuse_invalid(const mapping *m, char **err)
{
    diag_list dl = {0};
    mapping_validate(m, &dl);
    int rc = 0;
    for (size_t i = 0; i < dl.n; i++) {
        if (dl.items[i].level == DIAG_ERROR) {
            if (err)
                *err = diag_format(&dl.items[i]);
            rc = -1;
            break;
        }
    }
    diag_list_free(&dl);
    return rc;
}

/* What option D's value is called where the API JSON needs it. */
static const char *literal_name(const opt_def *d)
{
    switch (d->type) {
    case OPT_T_STREAM:
        return "stream ARN";
    case OPT_T_FUNCTION:
        return "name or ARN";
    default:
        return "ARN";
    }
}

/* What option D picks, for messages: "table", "function", "destination". */
static const char *picked_thing(const opt_def *d)
{
    switch (d->type) {
    case OPT_T_STREAM:
        return "table";
    case OPT_T_FUNCTION:
        return "function";
    default:
        return "on-failure destination";
    }
}

/* The API JSON (and Terraform, the CDK) cannot refer to a template: an
 * option picked from one needs its literal value. Sets *err and returns -1
 * when one lacks it. */
static int refuse_refs_in_json(const mapping *m, export_format f, char **err)
{
    for (int i = 0; i < OPT_COUNT; i++) {
        const opt_def *d = opt_get((opt_id)i);
        const char *ref = mapping_ref(m, d->id);
        if (!ref || mapping_is_set(m, d->id))
            continue;
        if (err) {
            char *shown = str_escape_display(ref);
            char *what = f == FMT_JSON ? xstrdup(export_format_title(f))
                                       : xasprintf("%s export", export_format_title(f));
            *err = xasprintf("--%s: the %s comes from a template (%s): the %s needs its %s; "
                             "use --format %s or %s, or give the %s",
                             d->name, picked_thing(d), shown, what, literal_name(d),
                             export_format_name(FMT_CFN_YAML), export_format_name(FMT_CFN_JSON),
                             literal_name(d));
            free(what);
            free(shown);
        }
        return -1;
    }
    return 0;
}

/* A template needs the on-failure destination's kind (queue, topic or
 * bucket) to refer to it and grant it: from its ARN, else DEST_KIND. */
static int refuse_unknown_destination(const mapping *m, arn_kind dest_kind, char **err)
{
    const opt_def *d = opt_get(OPT_ON_FAILURE);
    const char *ref = mapping_ref(m, d->id);
    if (dest_kind == ARN_OTHER)
        dest_kind = m->destination_kind;
    bool known =
        dest_kind == ARN_SQS_QUEUE || dest_kind == ARN_SNS_TOPIC || dest_kind == ARN_S3_BUCKET;
    if (!ref || mapping_is_set(m, d->id) || known)
        return 0;
    if (err) {
        char *shown = str_escape_display(ref);
        *err = xasprintf("--%s: the destination comes from a template (%s) and its ARN is not "
                         "known: export it with --merge-into TEMPLATE, or give its ARN",
                         d->name, shown);
        free(shown);
    }
    return -1;
}

/* Whether M can be exported as F (see render.h). */
int export_check(const mapping *m, export_format f, arn_kind dest_kind, char **err)
{
    if ((unsigned)f >= FMT_COUNT) {
        if (err)
            *err = xstrdup("unknown export format");
        return -1;
    }
    if (refuse_invalid(m, err) < 0)
        return -1;
    if (f != FMT_CFN_JSON && f != FMT_CFN_YAML && f != FMT_SAM)
        return refuse_refs_in_json(m, f, err);
    return refuse_unknown_destination(m, dest_kind, err);
}

/* The bytes of M's export in format F, once M validates. */
char *export_render(const mapping *m, export_format f, char **err)
{
    if (export_check(m, f, ARN_OTHER, err) < 0)
        return NULL;
    if (f == FMT_UPDATE_JSON)
        return export_update_render(m, err);
    if (f == FMT_SAM)
        return export_sam_render(m, err);
    if (f == FMT_TERRAFORM)
        return export_terraform_render(m);
    if (f == FMT_CDK_TS || f == FMT_CDK_PYTHON)
        return export_cdk_render(m, f == FMT_CDK_PYTHON, err);
    cJSON *tree = f == FMT_JSON ? export_api_tree(m) : export_cfn_tree(m);
    char *out = f == FMT_CFN_YAML ? export_yaml_print(tree, err) : export_json_print(tree);
    cJSON_Delete(tree);
    return out;
}

/* ---- names ---- */

/* True for the ASCII letters and digits. */
static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Append S to B in CamelCase: its letters and digits only, each word's
 * first letter upper case ("process-orders" -> "ProcessOrders"). */
static void add_camel(strbuf *b, const char *s)
{
    bool word_start = true;
    for (; *s; s++) {
        if (!is_alnum(*s)) {
            word_start = true;
            continue;
        }
        char c = *s;
        if (word_start && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        sb_addn(b, &c, 1);
        word_start = false;
    }
}

/* The table's name: as picked, else from the stream ARN, else the
 * template's logical ID. */
char *export_table_name(const mapping *m)
{
    if (m->table_name && *m->table_name)
        return xstrdup(m->table_name);
    const opt_value *v = mapping_get(m, OPT_TABLE);
    const char *ref = mapping_ref(m, OPT_TABLE);
    arn_parts p;
    char *err = NULL;
    if (!v || !v->str || arn_parse(v->str, &p, &err) < 0) {
        free(err);
        return xstrdup(ref ? ref : "");
    }
    return xstrdup(p.name);
}

/* The function's name, without account, region or qualifier; else the
 * template's logical ID. */
char *export_function_name(const mapping *m)
{
    const opt_value *v = mapping_get(m, OPT_FUNCTION);
    const char *ref = mapping_ref(m, OPT_FUNCTION);
    arn_parts p;
    char *err = NULL;
    if (!v || !v->str || value_parse_function(v->str, &p, &err) < 0) {
        free(err);
        return xstrdup(ref ? ref : "");
    }
    return xstrdup(p.name);
}

/* The mapping's logical ID: given, or CamelCase table + function + "Mapping". */
char *export_logical_id(const mapping *m)
{
    if (m->logical_id && *m->logical_id)
        return xstrdup(m->logical_id);
    char *table = export_table_name(m);
    char *fn = export_function_name(m);
    strbuf b = {0};
    add_camel(&b, table);
    add_camel(&b, fn);
    free(table);
    free(fn);
    /* Leave room for the suffix and for the policy's ID built from this one. */
    size_t room = LOGICAL_ID_MAX - strlen(LOGICAL_ID_SUFFIX) - strlen(POLICY_ID_SUFFIX);
    if (b.len > room)
        b.s[b.len = room] = '\0';
    sb_add(&b, LOGICAL_ID_SUFFIX);
    return sb_take(&b);
}

/* Append S to B with every character outside [A-Za-z0-9._-] replaced by
 * '_', and no leading '.' or '-' (no hidden file, no option-like name). */
static void add_file_safe(strbuf *b, const char *s)
{
    for (const char *p = s; *p; p++) {
        bool ok = is_alnum(*p) || *p == '.' || *p == '_' || *p == '-';
        if (p == s && (*p == '.' || *p == '-'))
            ok = false;
        sb_addn(b, ok ? p : "_", 1);
    }
}

/* "TABLE-FUNCTION" plus the format's ending, safe as a file name. */
char *export_suggested_path(const mapping *m, export_format f)
{
    char *table = export_table_name(m);
    char *fn = export_function_name(m);
    strbuf b = {0};
    add_file_safe(&b, table);
    if (*table && *fn)
        sb_add(&b, "-");
    add_file_safe(&b, fn);
    if (b.len == 0)
        sb_add(&b, "mapping");
    sb_add(&b, export_format_ext(f));
    free(table);
    free(fn);
    return sb_take(&b);
}

/* ---- JSON printer ---- */

/* Append S to B as a JSON string literal; UTF-8 passes through as is. */
static void json_add_string(strbuf *b, const char *s)
{
    sb_add(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            sb_add(b, "\\\"");
            break;
        case '\\':
            sb_add(b, "\\\\");
            break;
        case '\n':
            sb_add(b, "\\n");
            break;
        case '\r':
            sb_add(b, "\\r");
            break;
        case '\t':
            sb_add(b, "\\t");
            break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                sb_addf(b, "\\u%04x", *p);
            else
                sb_addn(b, (const char *)p, 1);
        }
    }
    sb_add(b, "\"");
}

/* Append the number D to B: integers without a fraction or exponent. */
static void json_add_number(strbuf *b, double d)
{
    if (d != d || d - d != 0) /* NaN or infinite: JSON has no such number */
        sb_add(b, "null");
    else if (d > -9007199254740992.0 && d < 9007199254740992.0 && d == (double)(long long)d)
        sb_addf(b, "%lld", (long long)d);
    else
        sb_addf(b, "%.17g", d);
}

/* How JSON is laid out: one indentation step, what starts every line
 * after the first, and what ends a line. */
typedef struct json_style {
    const char *unit, *prefix, *newline;
} json_style;

/* End a line and indent the next one DEPTH steps. */
static void json_newline(strbuf *b, const json_style *st, int depth)
{
    sb_add(b, st->newline);
    sb_add(b, st->prefix);
    for (int i = 0; i < depth; i++)
        sb_add(b, st->unit);
}

static void json_add_value(strbuf *b, const cJSON *n, const json_style *st, int depth);

/* Append an object or array N with one member per line. */
static void json_add_container(strbuf *b, const cJSON *n, const json_style *st, int depth)
{
    bool obj = cJSON_IsObject(n);
    if (!n->child) {
        sb_add(b, obj ? "{}" : "[]");
        return;
    }
    sb_add(b, obj ? "{" : "[");
    for (const cJSON *c = n->child; c; c = c->next) {
        json_newline(b, st, depth + 1);
        if (obj) {
            json_add_string(b, c->string ? c->string : "");
            sb_add(b, ": ");
        }
        json_add_value(b, c, st, depth + 1);
        if (c->next)
            sb_add(b, ",");
    }
    json_newline(b, st, depth);
    sb_add(b, obj ? "}" : "]");
}

/* Append any JSON value N at nesting DEPTH. */
static void json_add_value(strbuf *b, const cJSON *n, const json_style *st, int depth)
{
    if (cJSON_IsObject(n) || cJSON_IsArray(n))
        json_add_container(b, n, st, depth);
    else if (cJSON_IsString(n))
        json_add_string(b, n->valuestring);
    else if (cJSON_IsNumber(n))
        json_add_number(b, n->valuedouble);
    else if (cJSON_IsBool(n))
        sb_add(b, cJSON_IsTrue(n) ? "true" : "false");
    else
        sb_add(b, "null");
}

/* TREE as JSON in the style UNIT, PREFIX, NEWLINE, without a final newline. */
char *export_json_print_styled(const cJSON *tree, const char *unit, const char *prefix,
                               const char *newline)
{
    json_style st = {unit, prefix, newline};
    strbuf b = {0};
    json_add_value(&b, tree, &st, 0);
    return sb_take(&b);
}

/* TREE as JSON, two spaces per level, ending in a newline. */
char *export_json_print(const cJSON *tree)
{
    char *s = export_json_print_styled(tree, "  ", "", "\n");
    strbuf b = {0};
    sb_add(&b, s);
    sb_add(&b, "\n");
    free(s);
    return sb_take(&b);
}
