/* SAM: the mapping as the DynamoDB event of an AWS::Serverless::Function
 * (Events: NAME: Type: DynamoDB), in a template with SAM's Transform.
 *
 * The event's properties are the CloudFormation export's mapping
 * properties (so template references, Ref / Fn::GetAtt, come along),
 * renamed through the option table's .sam paths; options SAM's event does
 * not take (.sam "") are left out, and the header says so for tags. The
 * on-failure destination gets SAM's Type (SQS, SNS, S3) so that SAM grants
 * the function's role access to it.
 *
 * The function resource carries only what the mapping knows: its logical
 * ID (the template's, or one made from the function's name), an alias
 * qualifier as AutoPublishAlias, and a known execution role (then the
 * CloudFormation export's policy comes along, since SAM adds no policy to
 * a role it did not make). Its code (CodeUri, Handler, Runtime) is the
 * person's: the header says to add the Events entry to their function. */
#include "export/render.h"

#include <stdlib.h>
#include <string.h>

#include "model/pick.h"
#include "model/util.h"

#define SAM_TRANSFORM "AWS::Serverless-2016-10-31"
#define SAM_FUNCTION_TYPE "AWS::Serverless::Function"
#define SAM_EVENT_TYPE "DynamoDB"
#define TEMPLATE_VERSION "2010-09-09"
#define POLICY_TYPE "AWS::IAM::Policy"
#define EVENT_SUFFIX "Stream"

/* True for ASCII letters and digits. */
static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* S in CamelCase, letters and digits only ("process-orders" ->
 * "ProcessOrders"); FALLBACK when nothing is left. Caller frees. */
static char *camel(const char *s, const char *fallback)
{
    strbuf b = {0};
    bool start = true;
    for (; *s; s++) {
        if (!is_alnum(*s)) {
            start = true;
            continue;
        }
        char c = *s;
        if (start && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        sb_addn(&b, &c, 1);
        start = false;
    }
    if (b.len == 0 || (b.s[0] >= '0' && b.s[0] <= '9')) {
        char *rest = sb_take(&b);
        sb_addf(&b, "%s%s", fallback, rest);
        free(rest);
    }
    return sb_take(&b);
}

/* The first segment of PATH in SEG (size N). */
static void head_of(const char *path, char *seg, size_t n)
{
    size_t len = strcspn(path, ".");
    if (len >= n)
        len = n - 1;
    memcpy(seg, path, len);
    seg[len] = '\0';
}

/* The table row whose CloudFormation property starts with KEY, or NULL. */
static const opt_def *row_of(const char *key)
{
    const opt_def *t = opt_table();
    char seg[128];
    for (size_t i = 0; i < OPT_COUNT; i++) {
        head_of(t[i].cfn, seg, sizeof seg);
        if (strcmp(seg, key) == 0)
            return &t[i];
    }
    return NULL;
}

/* SAM's Type for a destination of KIND, or NULL. */
static const char *destination_type(arn_kind kind)
{
    switch (kind) {
    case ARN_SQS_QUEUE:
        return "SQS";
    case ARN_SNS_TOPIC:
        return "SNS";
    case ARN_S3_BUCKET:
        return "S3";
    default:
        return NULL;
    }
}

/* The kind of M's on-failure destination: from its ARN, else as picked. */
static arn_kind destination_kind(const mapping *m)
{
    const opt_value *v = mapping_get(m, OPT_ON_FAILURE);
    arn_parts p;
    char *err = NULL;
    if (v->set && v->str && arn_parse(v->str, &p, &err) == 0)
        return p.kind;
    free(err);
    return m->destination_kind;
}

/* The event's Properties: the CloudFormation mapping's, renamed to SAM's
 * names; PROPS is consumed. */
static cJSON *event_properties(const mapping *m, cJSON *props)
{
    cJSON *out = cJSON_CreateObject();
    while (props->child) {
        cJSON *item = cJSON_DetachItemViaPointer(props, props->child);
        const opt_def *d = row_of(item->string);
        if (!d || !d->sam || !*d->sam) {
            cJSON_Delete(item);
            continue;
        }
        char seg[128];
        head_of(d->sam, seg, sizeof seg);
        if (d->type == OPT_T_DESTINATION) {
            const char *type = destination_type(destination_kind(m));
            cJSON *on = cJSON_GetObjectItemCaseSensitive(item, "OnFailure");
            if (type && cJSON_IsObject(on))
                cJSON_AddStringToObject(on, "Type", type);
        }
        cJSON_AddItemToObject(out, seg, item);
    }
    cJSON_Delete(props);
    return out;
}

/* The function's qualifier when it is an alias (not a version number). */
static char *alias_of(const mapping *m)
{
    const opt_value *v = mapping_get(m, OPT_FUNCTION);
    arn_parts p;
    char *err = NULL;
    if (!v->set || !v->str || value_parse_function(v->str, &p, &err) < 0) {
        free(err);
        return NULL;
    }
    if (!*p.qualifier || strspn(p.qualifier, "0123456789") == strlen(p.qualifier) ||
        strcmp(p.qualifier, "$LATEST") == 0)
        return NULL;
    return xstrdup(p.qualifier);
}

/* The function resource: Role, DependsOn, AutoPublishAlias, Events. */
static cJSON *function_resource(const mapping *m, const char *event_id, cJSON *event_props,
                                const char *policy_id)
{
    cJSON *fn = cJSON_CreateObject();
    cJSON_AddStringToObject(fn, "Type", SAM_FUNCTION_TYPE);
    if (policy_id)
        cJSON_AddStringToObject(fn, "DependsOn", policy_id);
    cJSON *props = cJSON_AddObjectToObject(fn, "Properties");
    if (m->role_ref && *m->role_ref) {
        cJSON *ga = cJSON_CreateObject();
        cJSON *list = cJSON_AddArrayToObject(ga, "Fn::GetAtt");
        cJSON_AddItemToArray(list, cJSON_CreateString(m->role_ref));
        cJSON_AddItemToArray(list, cJSON_CreateString("Arn"));
        cJSON_AddItemToObject(props, "Role", ga);
    } else if (m->function_role && *m->function_role) {
        cJSON_AddStringToObject(props, "Role", m->function_role);
    }
    char *alias = alias_of(m);
    if (alias)
        cJSON_AddStringToObject(props, "AutoPublishAlias", alias);
    free(alias);
    cJSON *events = cJSON_AddObjectToObject(props, "Events");
    cJSON *ev = cJSON_AddObjectToObject(events, event_id);
    cJSON_AddStringToObject(ev, "Type", SAM_EVENT_TYPE);
    cJSON_AddItemToObject(ev, "Properties", event_props);
    return fn;
}

/* The header comment: what the file is and what to do with it. */
static void add_header(strbuf *b, const mapping *m, const char *fn_id, const char *event_id)
{
    char *table = export_table_name(m), *fn = export_function_name(m);
    char *t = str_escape_display(table), *f = str_escape_display(fn);
    sb_addf(b, "# DynamoDB stream of table %s to Lambda function %s, generated by esmcfg.\n", t, f);
    sb_addf(b, "# Add the %s entry of Events to your function's Properties (or give %s its\n",
            event_id, fn_id);
    sb_add(b, "# CodeUri, Handler and Runtime here); SAM then creates the event source mapping.\n");
    const opt_value *tags = mapping_get(m, OPT_TAGS);
    if (tags && tags->n_items)
        sb_add(b, "# Tags are not part of SAM's DynamoDB event: tag the mapping after deploying\n"
                  "# with aws lambda tag-resource, or use --format cfn-yaml.\n");
    free(t);
    free(f);
    free(table);
    free(fn);
}

char *export_sam_render(const mapping *m, char **err)
{
    cJSON *resources = export_cfn_resources(m, ARN_OTHER);
    char *esm_id = export_logical_id(m);
    cJSON *esm = cJSON_DetachItemFromObjectCaseSensitive(resources, esm_id);
    cJSON *props = cJSON_DetachItemFromObjectCaseSensitive(esm, "Properties");
    cJSON_Delete(esm);
    const char *policy_id = NULL;
    for (cJSON *r = resources->child; r; r = r->next) {
        cJSON *type = cJSON_GetObjectItemCaseSensitive(r, "Type");
        if (cJSON_IsString(type) && strcmp(type->valuestring, POLICY_TYPE) == 0)
            policy_id = r->string;
    }
    char *fn_name = export_function_name(m);
    char *fn_id =
        m->function_ref && *m->function_ref ? xstrdup(m->function_ref) : camel(fn_name, "Function");
    char *table = export_table_name(m);
    char *table_id = camel(table, "Table");
    char *event_id = xasprintf("%s%s", table_id, EVENT_SUFFIX);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "AWSTemplateFormatVersion", TEMPLATE_VERSION);
    cJSON_AddStringToObject(root, "Transform", SAM_TRANSFORM);
    char *desc = xasprintf("DynamoDB stream of table %s to Lambda function %s, generated by esmcfg",
                           table, fn_name);
    cJSON_AddStringToObject(root, "Description", desc);
    cJSON *res = cJSON_AddObjectToObject(root, "Resources");
    cJSON_AddItemToObject(res, fn_id,
                          function_resource(m, event_id, event_properties(m, props), policy_id));
    while (resources->child) { /* the policy, when the role is known */
        cJSON *r = cJSON_DetachItemViaPointer(resources, resources->child);
        char *id = xstrdup(r->string);
        cJSON_AddItemToObject(res, id, r);
        free(id);
    }
    cJSON_Delete(resources);
    char *yaml = export_yaml_print(root, err);
    strbuf b = {0};
    if (yaml) {
        add_header(&b, m, fn_id, event_id);
        sb_add(&b, yaml);
    }
    free(yaml);
    cJSON_Delete(root);
    free(desc);
    free(event_id);
    free(table_id);
    free(table);
    free(fn_id);
    free(fn_name);
    free(esm_id);
    if (!b.s)
        return NULL;
    return sb_take(&b);
}
