/* The CloudFormation template: the event source mapping and, when the
 * function's execution role is known, an inline policy on that role with
 * exactly the permissions the reference lists (what the CDK grants in bind).
 * A table, function, role or destination picked from a template is written
 * as a reference to its logical ID: Fn::GetAtt [Table, StreamArn], Ref
 * Function, Ref Role (a role's name), Fn::GetAtt [Queue, Arn], Ref Topic
 * (a topic's ARN), Fn::GetAtt [Bucket, Arn]. */
#include "export/export.h"
#include "export/render.h"

#include <stdlib.h>
#include <string.h>

#include "model/pick.h"
#include "model/util.h"
#include "model/value.h"

#define TEMPLATE_VERSION "2010-09-09"
#define POLICY_VERSION "2012-10-17"
#define ESM_TYPE "AWS::Lambda::EventSourceMapping"
#define POLICY_TYPE "AWS::IAM::Policy"
#define POLICY_ID_SUFFIX "Policy"
/* CloudFormation's intrinsic functions and the attributes read with them. */
#define FN_REF "Ref"
#define FN_GETATT "Fn::GetAtt"
#define FN_SUB "Fn::Sub"
#define ATTR_STREAM_ARN "StreamArn"
#define ATTR_ARN "Arn"
#define ALL_RESOURCES "*"
/* CloudFormation's limits on a logical ID and on an inline policy's name. */
#define LOGICAL_ID_MAX 255
#define POLICY_NAME_MAX 128

/* IAM actions the function's role needs (reference: "IAM the function's
 * execution role needs"). NULL-terminated. */
static const char *const stream_list_actions[] = {"dynamodb:ListStreams", NULL};
static const char *const stream_read_actions[] = {"dynamodb:DescribeStream", "dynamodb:GetRecords",
                                                  "dynamodb:GetShardIterator", NULL};
static const char *const sqs_actions[] = {"sqs:SendMessage", "sqs:GetQueueAttributes",
                                          "sqs:GetQueueUrl", NULL};
static const char *const sns_actions[] = {"sns:Publish", NULL};
static const char *const s3_object_actions[] = {"s3:PutObject", NULL};
static const char *const s3_bucket_actions[] = {"s3:ListBucket", NULL};

/* {"Ref": ID}. */
static cJSON *ref_of(const char *id)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, FN_REF, id);
    return o;
}

/* {"Fn::GetAtt": [ID, ATTR]}. */
static cJSON *getatt_of(const char *id, const char *attr)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(o, FN_GETATT);
    cJSON_AddItemToArray(list, cJSON_CreateString(id));
    cJSON_AddItemToArray(list, cJSON_CreateString(attr));
    return o;
}

/* {"Fn::Sub": "${ID.ATTR}SUFFIX"}: an attribute with text after it. */
static cJSON *sub_of(const char *id, const char *attr, const char *suffix)
{
    cJSON *o = cJSON_CreateObject();
    char *text = xasprintf("${%s.%s}%s", id, attr, suffix);
    cJSON_AddStringToObject(o, FN_SUB, text);
    free(text);
    return o;
}

/* True when S is set and not empty. */
static bool has_text(const char *s)
{
    return s && *s;
}

/* The kind of M's on-failure destination: from its ARN, else GIVEN. */
static arn_kind destination_kind(const mapping *m, arn_kind given)
{
    const opt_value *v = mapping_get(m, OPT_ON_FAILURE);
    arn_parts p;
    char *err = NULL;
    if (v->set && v->str && arn_parse(v->str, &p, &err) == 0)
        return p.kind;
    free(err);
    return given != ARN_OTHER ? given : m->destination_kind;
}

/* How a destination of KIND is referred to: a topic's Ref is its ARN; a
 * queue's Ref is its URL, so queues (and buckets) use their Arn attribute. */
static cJSON *destination_ref_json(const char *id, arn_kind kind)
{
    return kind == ARN_SNS_TOPIC ? ref_of(id) : getatt_of(id, ATTR_ARN);
}

/* The reference option D's value is written as, or NULL when D was not
 * picked from a template (the literal value is written then). */
static cJSON *option_ref_json(const mapping *m, const opt_def *d, arn_kind dest_kind)
{
    const char *ref = mapping_ref(m, d->id);
    if (!ref)
        return NULL;
    switch (d->type) {
    case OPT_T_STREAM:
        return getatt_of(ref, ATTR_STREAM_ARN);
    case OPT_T_FUNCTION:
        return ref_of(ref);
    case OPT_T_DESTINATION:
        return destination_ref_json(ref, destination_kind(m, dest_kind));
    default:
        return NULL;
    }
}

/* Append an Allow statement for ACTIONS on RESOURCE (taken) to the
 * STATEMENTS array; one action is written as a string, several as a list
 * (as the CDK writes them). */
static void add_statement(cJSON *statements, const char *const *actions, cJSON *resource)
{
    cJSON *st = cJSON_CreateObject();
    cJSON_AddStringToObject(st, "Effect", "Allow");
    if (actions[1] == NULL) {
        cJSON_AddStringToObject(st, "Action", actions[0]);
    } else {
        cJSON *list = cJSON_AddArrayToObject(st, "Action");
        for (size_t i = 0; actions[i]; i++)
            cJSON_AddItemToArray(list, cJSON_CreateString(actions[i]));
    }
    cJSON_AddItemToObject(st, "Resource", resource);
    cJSON_AddItemToArray(statements, st);
}

/* Statements for an on-failure destination of KIND: the literal ARN, or
 * the template's resource REF when not NULL. */
static void add_destination_statements(cJSON *statements, arn_kind kind, const char *arn,
                                       const char *ref)
{
    if (kind == ARN_SQS_QUEUE) {
        add_statement(statements, sqs_actions,
                      ref ? getatt_of(ref, ATTR_ARN) : cJSON_CreateString(arn));
    } else if (kind == ARN_SNS_TOPIC) {
        add_statement(statements, sns_actions, ref ? ref_of(ref) : cJSON_CreateString(arn));
    } else if (kind == ARN_S3_BUCKET) {
        char *objects = ref ? NULL : xasprintf("%s/*", arn);
        add_statement(statements, s3_object_actions,
                      ref ? sub_of(ref, ATTR_ARN, "/*") : cJSON_CreateString(objects));
        add_statement(statements, s3_bucket_actions,
                      ref ? getatt_of(ref, ATTR_ARN) : cJSON_CreateString(arn));
        free(objects);
    }
}

/* Statements for option D of M, set to V or picked from a template,
 * switching on its type. */
static void add_option_statements(cJSON *statements, const mapping *m, const opt_def *d,
                                  const opt_value *v, arn_kind dest_kind)
{
    const char *ref = mapping_ref(m, d->id);
    switch (d->type) {
    case OPT_T_STREAM:
        add_statement(statements, stream_list_actions, cJSON_CreateString(ALL_RESOURCES));
        add_statement(statements, stream_read_actions,
                      ref ? getatt_of(ref, ATTR_STREAM_ARN) : cJSON_CreateString(v->str));
        break;
    case OPT_T_DESTINATION:
        add_destination_statements(statements, destination_kind(m, dest_kind),
                                   v->set ? v->str : NULL, ref);
        break;
    case OPT_T_KMS_KEY:
        /* The reference grants kms:Decrypt to the Lambda service principal:
         * that is a statement in the key's own policy, made by the key's
         * owner; Lambda, not the function's role, decrypts the filter
         * criteria. A role policy cannot grant it, so none is added here. */
    default:
        break;
    }
}

/* The policy document with the statements every set (or referred to)
 * option of M needs. */
static cJSON *policy_document(const mapping *m, arn_kind dest_kind)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "Version", POLICY_VERSION);
    cJSON *statements = cJSON_AddArrayToObject(doc, "Statement");
    const opt_def *t = opt_table();
    for (int i = 0; i < OPT_COUNT; i++) {
        const opt_value *v = mapping_get(m, t[i].id);
        if ((v->set && v->str) || mapping_ref(m, t[i].id))
            add_option_statements(statements, m, &t[i], v, dest_kind);
    }
    return doc;
}

/* The role's name: what follows the last '/' of its ARN. */
static const char *role_name(const char *role_arn)
{
    const char *slash = strrchr(role_arn, '/');
    return slash ? slash + 1 : role_arn;
}

/* The policy's Roles: Ref of the template's role (its name), else the
 * name in the role's ARN. */
static cJSON *policy_roles(const mapping *m)
{
    cJSON *roles = cJSON_CreateArray();
    if (has_text(m->role_ref))
        cJSON_AddItemToArray(roles, ref_of(m->role_ref));
    else
        cJSON_AddItemToArray(roles, cJSON_CreateString(role_name(m->function_role)));
    return roles;
}

/* The AWS::IAM::Policy resource named POLICY_ID on M's function role. */
static cJSON *policy_resource(const mapping *m, const char *policy_id, arn_kind dest_kind)
{
    cJSON *res = cJSON_CreateObject();
    cJSON_AddStringToObject(res, "Type", POLICY_TYPE);
    cJSON *props = cJSON_AddObjectToObject(res, "Properties");
    char *name = xstrndup(policy_id, strnlen(policy_id, POLICY_NAME_MAX));
    cJSON_AddStringToObject(props, "PolicyName", name);
    free(name);
    cJSON_AddItemToObject(props, "Roles", policy_roles(m));
    cJSON_AddItemToObject(props, "PolicyDocument", policy_document(m, dest_kind));
    return res;
}

/* Split PATH at its first '.': copies the first part into SEG (size N) and
 * returns the rest, or NULL when PATH has no '.'. */
static const char *path_head(const char *path, char *seg, size_t n)
{
    const char *dot = strchr(path, '.');
    size_t len = dot ? (size_t)(dot - path) : strlen(path);
    if (len >= n)
        len = n - 1;
    memcpy(seg, path, len);
    seg[len] = '\0';
    return dot ? dot + 1 : NULL;
}

/* The option table row whose CloudFormation property starts with KEY, as
 * an index in table order; OPT_COUNT when none does. */
static int row_of_property(const char *key)
{
    const opt_def *t = opt_table();
    char seg[256];
    for (int i = 0; i < OPT_COUNT; i++) {
        path_head(t[i].cfn, seg, sizeof seg);
        if (*seg && strcmp(seg, key) == 0)
            return i;
    }
    return OPT_COUNT;
}

/* Put VALUE (taken) at the dotted PATH of OBJ, replacing what is there. */
static void replace_path(cJSON *obj, const char *path, cJSON *value)
{
    char seg[256];
    const char *rest = path_head(path, seg, sizeof seg);
    cJSON *child = cJSON_GetObjectItemCaseSensitive(obj, seg);
    if (rest && cJSON_IsObject(child))
        replace_path(child, rest, value);
    else if (!rest && child)
        cJSON_ReplaceItemInObjectCaseSensitive(obj, seg, value);
    else
        export_put_path(obj, path, value);
}

/* Put VALUE (taken) at option D's property of PROPS: in place of the
 * literal value, or where table order puts it. */
static void put_in_order(cJSON *props, const opt_def *d, cJSON *value)
{
    char seg[256];
    path_head(d->cfn, seg, sizeof seg);
    if (cJSON_GetObjectItemCaseSensitive(props, seg)) {
        replace_path(props, d->cfn, value);
        return;
    }
    cJSON *tmp = cJSON_CreateObject();
    export_put_path(tmp, d->cfn, value);
    cJSON *item = cJSON_DetachItemViaPointer(tmp, tmp->child);
    cJSON_Delete(tmp);
    cJSON *after = props->child;
    while (after && row_of_property(after->string) <= (int)d->id)
        after = after->next;
    cJSON *moved = cJSON_CreateArray(); /* what comes after, moved behind ITEM */
    while (after) {
        cJSON *next = after->next;
        cJSON_AddItemToArray(moved, cJSON_DetachItemViaPointer(props, after));
        after = next;
    }
    cJSON_AddItemToArray(props, item);
    while (moved->child)
        cJSON_AddItemToArray(props, cJSON_DetachItemViaPointer(moved, moved->child));
    cJSON_Delete(moved);
}

/* The mapping's properties: the literal values, then every option picked
 * from a template as its reference. */
static cJSON *mapping_properties(const mapping *m, arn_kind dest_kind)
{
    cJSON *props = cJSON_CreateObject();
    export_add_properties(props, m, true);
    const opt_def *t = opt_table();
    for (int i = 0; i < OPT_COUNT; i++) {
        cJSON *ref = option_ref_json(m, &t[i], dest_kind);
        if (ref && *t[i].cfn)
            put_in_order(props, &t[i], ref);
        else
            cJSON_Delete(ref);
    }
    return props;
}

/* The AWS::Lambda::EventSourceMapping resource; DEPENDS_ON names the
 * policy it must wait for, or is NULL. */
static cJSON *mapping_resource(const mapping *m, const char *depends_on, arn_kind dest_kind)
{
    cJSON *res = cJSON_CreateObject();
    cJSON_AddStringToObject(res, "Type", ESM_TYPE);
    if (depends_on)
        cJSON_AddStringToObject(res, "DependsOn", depends_on);
    cJSON_AddItemToObject(res, "Properties", mapping_properties(m, dest_kind));
    return res;
}

/* The template's one-line description, naming table and function. */
static char *description(const mapping *m)
{
    char *table = export_table_name(m);
    char *fn = export_function_name(m);
    char *d = xasprintf("DynamoDB stream of table %s to Lambda function %s, generated by esmcfg",
                        table, fn);
    free(table);
    free(fn);
    return d;
}

/* ID of the policy resource: the mapping's ID plus a suffix, within the limit. */
static char *policy_id_for(const char *id)
{
    size_t room = LOGICAL_ID_MAX - strlen(POLICY_ID_SUFFIX);
    return xasprintf("%.*s%s", (int)strnlen(id, room), id, POLICY_ID_SUFFIX);
}

/* The mapping resource and, when the role is known, its policy. */
cJSON *export_cfn_resources(const mapping *m, arn_kind dest_kind)
{
    cJSON *resources = cJSON_CreateObject();
    char *id = export_logical_id(m);
    bool has_role = has_text(m->function_role) || has_text(m->role_ref);
    char *policy_id = has_role ? policy_id_for(id) : NULL;
    cJSON_AddItemToObject(resources, id, mapping_resource(m, policy_id, dest_kind));
    if (has_role)
        cJSON_AddItemToObject(resources, policy_id, policy_resource(m, policy_id, dest_kind));
    free(policy_id);
    free(id);
    return resources;
}

/* The template: version, description, the mapping and its role policy. */
cJSON *export_cfn_tree(const mapping *m)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "AWSTemplateFormatVersion", TEMPLATE_VERSION);
    char *desc = description(m);
    cJSON_AddStringToObject(root, "Description", desc);
    free(desc);
    cJSON_AddItemToObject(root, "Resources", export_cfn_resources(m, ARN_OTHER));
    return root;
}
