/* The CloudFormation template: the event source mapping and, when the
 * function's execution role is known, an inline policy on that role with
 * exactly the permissions the reference lists (what the CDK grants in bind). */
#include "export/export.h"
#include "export/render.h"

#include <stdlib.h>
#include <string.h>

#include "model/util.h"
#include "model/value.h"

#define TEMPLATE_VERSION "2010-09-09"
#define POLICY_VERSION "2012-10-17"
#define ESM_TYPE "AWS::Lambda::EventSourceMapping"
#define POLICY_TYPE "AWS::IAM::Policy"
#define POLICY_ID_SUFFIX "Policy"
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

/* Append an Allow statement for ACTIONS on RESOURCE to the STATEMENTS
 * array; one action is written as a string, several as a list (as the CDK
 * writes them). */
static void add_statement(cJSON *statements, const char *const *actions, const char *resource)
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
    cJSON_AddStringToObject(st, "Resource", resource);
    cJSON_AddItemToArray(statements, st);
}

/* Statements for an on-failure destination ARN, by the kind of resource. */
static void add_destination_statements(cJSON *statements, const char *arn)
{
    arn_parts p;
    char *err = NULL;
    if (arn_parse(arn, &p, &err) < 0) {
        free(err);
        return;
    }
    if (p.kind == ARN_SQS_QUEUE) {
        add_statement(statements, sqs_actions, arn);
    } else if (p.kind == ARN_SNS_TOPIC) {
        add_statement(statements, sns_actions, arn);
    } else if (p.kind == ARN_S3_BUCKET) {
        char *objects = xasprintf("%s/*", arn);
        add_statement(statements, s3_object_actions, objects);
        add_statement(statements, s3_bucket_actions, arn);
        free(objects);
    }
}

/* Statements for one set option D of M, switching on its type. */
static void add_option_statements(cJSON *statements, const opt_def *d, const opt_value *v)
{
    switch (d->type) {
    case OPT_T_STREAM:
        add_statement(statements, stream_list_actions, "*");
        add_statement(statements, stream_read_actions, v->str);
        break;
    case OPT_T_DESTINATION:
        add_destination_statements(statements, v->str);
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

/* The policy document with the statements every set option of M needs. */
static cJSON *policy_document(const mapping *m)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "Version", POLICY_VERSION);
    cJSON *statements = cJSON_AddArrayToObject(doc, "Statement");
    const opt_def *t = opt_table();
    for (int i = 0; i < OPT_COUNT; i++) {
        const opt_value *v = mapping_get(m, t[i].id);
        if (v && v->set && v->str)
            add_option_statements(statements, &t[i], v);
    }
    return doc;
}

/* The role's name: what follows the last '/' of its ARN. */
static const char *role_name(const char *role_arn)
{
    const char *slash = strrchr(role_arn, '/');
    return slash ? slash + 1 : role_arn;
}

/* The AWS::IAM::Policy resource named POLICY_ID on M's function role. */
static cJSON *policy_resource(const mapping *m, const char *policy_id)
{
    cJSON *res = cJSON_CreateObject();
    cJSON_AddStringToObject(res, "Type", POLICY_TYPE);
    cJSON *props = cJSON_AddObjectToObject(res, "Properties");
    char *name = xstrndup(policy_id, strnlen(policy_id, POLICY_NAME_MAX));
    cJSON_AddStringToObject(props, "PolicyName", name);
    free(name);
    cJSON *roles = cJSON_AddArrayToObject(props, "Roles");
    cJSON_AddItemToArray(roles, cJSON_CreateString(role_name(m->function_role)));
    cJSON_AddItemToObject(props, "PolicyDocument", policy_document(m));
    return res;
}

/* The AWS::Lambda::EventSourceMapping resource; DEPENDS_ON names the
 * policy it must wait for, or is NULL. */
static cJSON *mapping_resource(const mapping *m, const char *depends_on)
{
    cJSON *res = cJSON_CreateObject();
    cJSON_AddStringToObject(res, "Type", ESM_TYPE);
    if (depends_on)
        cJSON_AddStringToObject(res, "DependsOn", depends_on);
    cJSON *props = cJSON_AddObjectToObject(res, "Properties");
    export_add_properties(props, m, true);
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

/* The template: version, description, the mapping and its role policy. */
cJSON *export_cfn_tree(const mapping *m)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "AWSTemplateFormatVersion", TEMPLATE_VERSION);
    char *desc = description(m);
    cJSON_AddStringToObject(root, "Description", desc);
    free(desc);
    cJSON *resources = cJSON_AddObjectToObject(root, "Resources");
    char *id = export_logical_id(m);
    bool has_role = m->function_role && *m->function_role;
    char *policy_id = has_role ? policy_id_for(id) : NULL;
    cJSON_AddItemToObject(resources, id, mapping_resource(m, policy_id));
    if (has_role)
        cJSON_AddItemToObject(resources, policy_id, policy_resource(m, policy_id));
    free(policy_id);
    free(id);
    return root;
}
