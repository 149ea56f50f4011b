/* export/: the SAM, Terraform and CDK exports. SAM read back through
 * export/yaml_read equals the CloudFormation mapping under SAM's names;
 * template references carry over to SAM and are refused by the others;
 * Terraform's strings decode back to the values (escapes, "${", "%{") and
 * every set option appears under its table name; the CDK snippets name
 * every prop from the table and import the function as the API would
 * address it. (Golden files for every format: test_export.c; compiling and
 * synthesizing: tests/e2e/beyond_*.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "export/export.h"
#include "export/yaml_read.h"
#include "model/mapping.h"
#include "model/util.h"

#define STREAM "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000"
#define ROLE "arn:aws:iam::123456789012:role/service-role/process-orders-role"
#define AWKWARD "{\"a\": [\"q\\\"b\\\\s ${x} %{y} $${z} \\u00e9\\n\"]}"

/* A mapping from (flag, value) pairs, NULL-ended. */
static mapping *build(const char *const *settings)
{
    mapping *m = mapping_new();
    for (size_t i = 0; settings[i]; i += 2) {
        const opt_def *d = opt_find(settings[i]);
        assert_non_null(d);
        char *err = NULL;
        if (mapping_set(m, d->id, settings[i + 1], &err) < 0)
            fail_msg("%s %s: %s", settings[i], settings[i + 1], err);
    }
    return m;
}

static const char *const full[] = {
    "table",
    STREAM,
    "function",
    "arn:aws:lambda:us-east-1:123456789012:function:process-orders:live",
    "starting-position",
    "LATEST",
    "batch-size",
    "500",
    "max-batching-window",
    "5m",
    "tumbling-window",
    "30",
    "bisect-batch-on-error",
    "true",
    "retry-attempts",
    "-1",
    "max-record-age",
    "-1",
    "on-failure",
    "arn:aws:sns:us-east-1:123456789012:orders-failures",
    "report-batch-item-failures",
    "true",
    "parallelization-factor",
    "2",
    "filter",
    AWKWARD,
    "filter-kms-key",
    "arn:aws:kms:us-east-1:123456789012:key/1234abcd",
    "enabled",
    "false",
    "metrics",
    "EventCount",
    "tag",
    "team=pay @ments",
    NULL};

static char *render_ok(const mapping *m, export_format f)
{
    char *err = NULL;
    char *out = export_render(m, f, &err);
    if (!out)
        fail_msg("render %s refused: %s", export_format_name(f), err);
    return out;
}

/* The one resource of TYPE in template TREE. */
static cJSON *resource_of(cJSON *tree, const char *type)
{
    cJSON *res = cJSON_GetObjectItemCaseSensitive(tree, "Resources");
    for (cJSON *r = res ? res->child : NULL; r; r = r->next) {
        cJSON *t = cJSON_GetObjectItemCaseSensitive(r, "Type");
        if (cJSON_IsString(t) && strcmp(t->valuestring, type) == 0)
            return r;
    }
    fail_msg("no %s resource", type);
    return NULL;
}

/* The CloudFormation mapping's properties, renamed and cut down to what
 * SAM's DynamoDB event takes (the table's .sam names). */
static cJSON *expected_sam_properties(const mapping *m, const char *dest_type)
{
    char *json = render_ok(m, FMT_CFN_JSON);
    cJSON *tree = cJSON_Parse(json);
    free(json);
    cJSON *props = cJSON_DetachItemFromObject(resource_of(tree, "AWS::Lambda::EventSourceMapping"),
                                              "Properties");
    cJSON_Delete(tree);
    cJSON *out = cJSON_CreateObject();
    const opt_def *t = opt_table();
    for (size_t i = 0; i < OPT_COUNT; i++) {
        char head[128], sam[128];
        snprintf(head, sizeof head, "%.*s", (int)strcspn(t[i].cfn, "."), t[i].cfn);
        snprintf(sam, sizeof sam, "%.*s", (int)strcspn(t[i].sam, "."), t[i].sam);
        cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(props, head);
        if (v && *sam)
            cJSON_AddItemToObject(out, sam, v);
        else
            cJSON_Delete(v);
    }
    cJSON *on = cJSON_GetObjectItem(cJSON_GetObjectItem(out, "DestinationConfig"), "OnFailure");
    if (on && dest_type)
        cJSON_AddStringToObject(on, "Type", dest_type);
    cJSON_Delete(props);
    return out;
}

/* SAM reads back as the CloudFormation mapping under SAM's names, with the
 * alias as AutoPublishAlias, the role and its policy, and a note on tags. */
static void test_sam_equals_cfn(void **state)
{
    (void)state;
    mapping *m = build(full);
    mapping_set_role(m, ROLE);
    char *yaml = render_ok(m, FMT_SAM);
    char *err = NULL;
    cJSON *tree = export_yaml_read(yaml, strlen(yaml), "sam", &err);
    if (!tree)
        fail_msg("%s\n%s", err, yaml);
    assert_string_equal(cJSON_GetObjectItem(tree, "Transform")->valuestring,
                        "AWS::Serverless-2016-10-31");
    cJSON *fn = resource_of(tree, "AWS::Serverless::Function");
    assert_string_equal(fn->string, "ProcessOrders");
    cJSON *props = cJSON_GetObjectItem(fn, "Properties");
    assert_string_equal(cJSON_GetObjectItem(props, "AutoPublishAlias")->valuestring, "live");
    assert_string_equal(cJSON_GetObjectItem(props, "Role")->valuestring, ROLE);
    cJSON *policy = resource_of(tree, "AWS::IAM::Policy");
    assert_string_equal(cJSON_GetObjectItem(fn, "DependsOn")->valuestring, policy->string);
    cJSON *ev = cJSON_GetObjectItem(cJSON_GetObjectItem(props, "Events"), "OrdersStream");
    assert_non_null(ev);
    assert_string_equal(cJSON_GetObjectItem(ev, "Type")->valuestring, "DynamoDB");
    cJSON *want = expected_sam_properties(m, "SNS");
    if (!cJSON_Compare(cJSON_GetObjectItem(ev, "Properties"), want, 1))
        fail_msg("SAM event differs:\n%s\n%s", yaml, cJSON_Print(want));
    assert_non_null(strstr(yaml, "# Tags are not part of SAM's DynamoDB event"));
    cJSON_Delete(want);
    cJSON_Delete(tree);
    free(yaml);
    mapping_free(m);
}

/* Template references: SAM writes them (the template's own function and
 * Fn::GetAtt of its table); Terraform and the CDK need literal values. */
static void test_references(void **state)
{
    (void)state;
    static const char *const settings[] = {"starting-position", "TRIM_HORIZON", NULL};
    mapping *m = build(settings);
    m->table_ref = xstrdup("OrdersTable");
    m->function_ref = xstrdup("ProcessOrdersFunction");
    m->destination_ref = xstrdup("OrdersDlq");
    m->destination_kind = ARN_SQS_QUEUE;
    char *yaml = render_ok(m, FMT_SAM);
    char *err = NULL;
    cJSON *tree = export_yaml_read(yaml, strlen(yaml), "sam", &err);
    assert_non_null(tree);
    cJSON *fn = resource_of(tree, "AWS::Serverless::Function");
    assert_string_equal(fn->string, "ProcessOrdersFunction");
    cJSON *ev = cJSON_GetObjectItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(fn, "Properties"), "Events"), "OrdersTableStream");
    cJSON *ep = cJSON_GetObjectItem(ev, "Properties");
    cJSON *stream = cJSON_GetObjectItem(cJSON_GetObjectItem(ep, "Stream"), "Fn::GetAtt");
    assert_string_equal(stream->child->valuestring, "OrdersTable");
    assert_string_equal(stream->child->next->valuestring, "StreamArn");
    cJSON *on = cJSON_GetObjectItem(cJSON_GetObjectItem(ep, "DestinationConfig"), "OnFailure");
    assert_string_equal(cJSON_GetObjectItem(on, "Type")->valuestring, "SQS");
    assert_non_null(cJSON_GetObjectItem(cJSON_GetObjectItem(on, "Destination"), "Fn::GetAtt"));
    cJSON_Delete(tree);
    free(yaml);
    static const export_format literal_only[] = {FMT_TERRAFORM, FMT_CDK_TS, FMT_CDK_PYTHON};
    for (size_t i = 0; i < 3; i++) {
        err = NULL;
        assert_null(export_render(m, literal_only[i], &err));
        assert_non_null(err);
        if (!strstr(err, "comes from a template") ||
            !strstr(err, export_format_title(literal_only[i])))
            fail_msg("%s: %s", export_format_name(literal_only[i]), err);
        free(err);
    }
    mapping_free(m);
}

/* The HCL string literal starting at P (at its quote), decoded: the
 * escapes, "$${" and "%%{". Sets *END after the closing quote. */
static char *hcl_decode(const char *p, const char **end)
{
    strbuf b = {0};
    assert_int_equal(*p, '"');
    for (p++; *p && *p != '"'; p++) {
        if (*p == '\\') {
            p++;
            if (*p == 'n')
                sb_add(&b, "\n");
            else if (*p == 't')
                sb_add(&b, "\t");
            else if (*p == 'r')
                sb_add(&b, "\r");
            else if (*p == 'u') {
                unsigned cp = (unsigned)strtoul((char[]){p[1], p[2], p[3], p[4], 0}, NULL, 16);
                assert_true(cp < 0x80);
                char c = (char)cp;
                sb_addn(&b, &c, 1);
                p += 4;
            } else
                sb_addn(&b, p, 1);
        } else if ((p[0] == '$' || p[0] == '%') && p[1] == p[0] && p[2] == '{') {
            sb_addn(&b, p, 1);
            p++;
        } else {
            assert_false((p[0] == '$' || p[0] == '%') && p[1] == '{'); /* a live template */
            sb_addn(&b, p, 1);
        }
    }
    assert_int_equal(*p, '"');
    *end = p + 1;
    return sb_take(&b);
}

/* The value of the first "NAME = " in TF (a string decoded), or NULL. */
static char *hcl_value(const char *tf, const char *name)
{
    char *key = xasprintf(" %s ", name);
    const char *at = strstr(tf, key);
    free(key);
    if (!at)
        return NULL;
    at += strlen(name) + 1;
    at += strspn(at, " ");
    if (*at != '=')
        return NULL;
    at += 2;
    const char *end;
    return *at == '"' ? hcl_decode(at, &end) : xstrndup(at, strcspn(at, "\n"));
}

/* Terraform: every set option under its table name; strings decode back
 * exactly; braces balance; no live template sequence. */
static void test_terraform(void **state)
{
    (void)state;
    mapping *m = build(full);
    char *tf = render_ok(m, FMT_TERRAFORM);
    assert_true(strncmp(tf, "# DynamoDB stream of table orders", 33) == 0);
    assert_non_null(
        strstr(tf, "resource \"aws_lambda_event_source_mapping\" \"orders_process_orders\" {"));
    int depth = 0;
    for (const char *p = tf; *p; p++) {
        if (*p == '"') {
            const char *end;
            free(hcl_decode(p, &end));
            p = end - 1;
        } else if (*p == '{' || *p == '}') {
            depth += *p == '{' ? 1 : -1;
            assert_true(depth >= 0);
        }
    }
    assert_int_equal(depth, 0);
    const opt_def *t = opt_table();
    for (size_t i = 0; i < OPT_COUNT; i++) {
        const char *last = strrchr(t[i].tf, '.');
        char *v = hcl_value(tf, last ? last + 1 : t[i].tf);
        if (!v)
            fail_msg("%s is not in:\n%s", t[i].tf, tf);
        free(v);
    }
    char *pattern = hcl_value(tf, "pattern");
    assert_string_equal(pattern, mapping_get(m, OPT_FILTERS)->items[0].key);
    free(pattern);
    char *age = hcl_value(tf, "maximum_record_age_in_seconds");
    assert_string_equal(age, "-1");
    free(age);
    assert_non_null(strstr(tf, "\"team\" = \"pay @ments\""));
    assert_null(strstr(tf, "aws_iam_role_policy")); /* no role known */
    free(tf);
    mapping_free(m);
}

/* The CDK snippets: a prop for every set option (record age -1 is the
 * CDK's default, said in a comment), Duration helpers, the qualifier. */
static void test_cdk(void **state)
{
    (void)state;
    mapping *m = build(full);
    char *ts = render_ok(m, FMT_CDK_TS);
    char *py = render_ok(m, FMT_CDK_PYTHON);
    const opt_def *t = opt_table();
    for (size_t i = 0; i < OPT_COUNT; i++) {
        if (!*t[i].cdk)
            continue;
        char *a = xasprintf("%s: ", t[i].cdk), *b = xasprintf("%s=", t[i].cdk_snake);
        char *c = xasprintf("# %s: ", t[i].cdk_snake); /* a default said in a comment */
        bool in_py = strstr(py, b) || strstr(py, c);
        free(c);
        if (!strstr(ts, a) || !in_py)
            fail_msg("%s / %s missing:\n%s\n%s", a, b, ts, py);
        free(a);
        free(b);
    }
    assert_non_null(strstr(ts, "// maxRecordAge: -1 (infinite) is the default"));
    assert_non_null(strstr(py, "# max_record_age: -1 (infinite) is the default"));
    assert_non_null(strstr(ts, "retryAttempts: -1,"));
    assert_non_null(strstr(ts, "maxBatchingWindow: cdk.Duration.minutes(5),"));
    assert_non_null(strstr(py, "tumbling_window=cdk.Duration.seconds(30),"));
    assert_non_null(strstr(ts, "new SnsDlq(sns.Topic.fromTopicArn(this, 'OnFailureTopic', "));
    assert_non_null(strstr(py, "event_sources.SnsDlq(sns.Topic.from_topic_arn(self, "));
    assert_non_null(strstr(ts, "version: 'live',"));
    assert_non_null(strstr(py, "lambda_=fn,"));
    assert_non_null(strstr(ts, "metricsConfig: { metrics: [lambda.MetricType.EVENT_COUNT] },"));
    assert_non_null(strstr(
        py, "metrics_config=lambda_.MetricsConfig(metrics=[lambda_.MetricType.EVENT_COUNT]),"));
    assert_non_null(strstr(ts, "cdk.Tags.of(target).add('team', 'pay @ments');"));
    assert_non_null(strstr(py, "cdk.Tags.of(target).add(\"team\", \"pay @ments\")"));
    /* the pattern as a literal: quotes escaped, "${" harmless in both */
    assert_non_null(strstr(ts, "{'a': ['q\"b\\\\s ${x} %{y} $${z} \xc3\xa9\\n']}"));
    assert_non_null(strstr(py, "{\"a\": [\"q\\\"b\\\\s ${x} %{y} $${z} \xc3\xa9\\n\"]}"));
    free(ts);
    free(py);
    mapping_free(m);
}

/* A function given by name or partial ARN is imported by its full ARN in
 * the stream's region; a version number is a qualifier too; S3 and SQS
 * destinations have their own classes. */
static void test_cdk_functions(void **state)
{
    (void)state;
    static const struct {
        const char *function, *dest, *want_ts;
    } cases[] = {
        {"process-orders", "arn:aws:sqs:us-east-1:123456789012:q",
         "functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:process-orders',"},
        {"210987654321:function:other:7", "arn:aws:s3:::bucket",
         "functionArn: 'arn:aws:lambda:us-east-1:210987654321:function:other',"},
    };
    for (size_t i = 0; i < 2; i++) {
        const char *settings[] = {"table",
                                  STREAM,
                                  "function",
                                  cases[i].function,
                                  "starting-position",
                                  "LATEST",
                                  "on-failure",
                                  cases[i].dest,
                                  NULL};
        mapping *m = build(settings);
        if (i == 1) { /* the CDK grants an S3 bucket to the function's role: it needs it */
            char *err = NULL;
            assert_null(export_render(m, FMT_CDK_TS, &err));
            assert_non_null(strstr(err, "give --function-role ROLE_ARN"));
            free(err);
            mapping_set_role(m, ROLE);
        }
        char *ts = render_ok(m, FMT_CDK_TS);
        if (!strstr(ts, cases[i].want_ts))
            fail_msg("%s:\n%s", cases[i].want_ts, ts);
        if (i == 1) {
            assert_non_null(strstr(ts, "version: '7',"));
            assert_non_null(strstr(ts, "new S3OnFailureDestination(s3.Bucket.fromBucketArn("));
        } else {
            assert_null(strstr(ts, "Version.fromVersionAttributes"));
            assert_non_null(strstr(ts, "new SqsDlq(sqs.Queue.fromQueueArn("));
        }
        char *sam = render_ok(m, FMT_SAM);
        if (i == 1) /* a version number is no alias */
            assert_null(strstr(sam, "AutoPublishAlias"));
        free(sam);
        free(ts);
        mapping_free(m);
    }
}

/* Every format has a name, a title and an ending; update-json stays last. */
static void test_formats(void **state)
{
    (void)state;
    export_format f;
    static const char *const names[] = {"sam", "terraform", "cdk-ts", "cdk-python"};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(export_format_parse(names[i], &f), 0);
    assert_int_equal(FMT_UPDATE_JSON, FMT_COUNT - 1);
    assert_string_equal(export_format_ext(FMT_TERRAFORM), ".tf");
    mapping *m = build(full);
    char *p = export_suggested_path(m, FMT_CDK_PYTHON);
    assert_string_equal(p, "orders-process-orders.cdk.py");
    free(p);
    mapping_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sam_equals_cfn), cmocka_unit_test(test_references),
        cmocka_unit_test(test_terraform),      cmocka_unit_test(test_cdk),
        cmocka_unit_test(test_cdk_functions),  cmocka_unit_test(test_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
