/* export/merge.c: the export's resources spliced into existing templates.
 * YAML with comments, SAM, 2- and 4-space indentation, block scalars, CRLF,
 * a byte order mark, no final newline; flow-style Resources refused; JSON
 * in its own indentation and key order; clashing logical IDs and bad
 * references refused. Every merge keeps the template's bytes outside the
 * inserted block and reads back as the template plus the new resources.
 * UPDATE_GOLDEN=1 rewrites the golden files (review them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "export/export.h"
#include "export/merge.h"
#include "export/yaml_read.h"
#include "model/inventory.h"
#include "model/mapping.h"
#include "model/pick.h"
#include "model/util.h"

#define QUEUE "arn:aws:sqs:us-east-1:123456789012:orders-dlq"
#define STREAM "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000"

/* A fixture's text. Caller frees. */
static char *fixture(const char *name, size_t *len)
{
    char *path = xasprintf("%s/merge/%s", FIXTURES, name);
    char *err = NULL;
    char *text = file_read_all(path, 1 << 20, len, &err);
    if (!text)
        fail_msg("%s", err);
    free(path);
    return text;
}

/* Whether S starts with PREFIX. */
static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Compare TEXT with golden/NAME, or rewrite it under UPDATE_GOLDEN. */
static void check_golden(const char *name, const char *text)
{
    char *path = xasprintf("%s/golden/%s", FIXTURES, name);
    char *err = NULL;
    if (getenv("UPDATE_GOLDEN") && export_write_atomic(path, text, strlen(text), &err) < 0)
        fail_msg("%s", err);
    size_t len = 0;
    char *want = file_read_all(path, 1 << 20, &len, &err);
    if (!want)
        fail_msg("%s (UPDATE_GOLDEN=1 writes it)", err);
    if (strcmp(want, text) != 0)
        fail_msg("%s differs from the merge:\n%s", path, text);
    free(want);
    free(path);
}

/* A template item of KIND with logical ID ID. */
static inv_item item(inv_kind kind, const char *id)
{
    return (inv_item){.kind = kind,
                      .name = (char *)id,
                      .logical_id = (char *)id,
                      .stream_known = kind == INV_TABLE,
                      .stream_enabled = kind == INV_TABLE};
}

/* A mapping of template TABLE to FUNCTION (role ROLE_ID, may be NULL) with
 * on-failure DEST (a template item of DEST_KIND, or NULL). */
static mapping *refs_mapping(const char *table, const char *function, const char *role_id,
                             inv_kind dest_kind, const char *dest)
{
    mapping *m = mapping_new();
    inv_item t = item(INV_TABLE, table), f = item(INV_FUNCTION, function);
    f.role_logical_id = (char *)role_id;
    char *err = NULL;
    if (mapping_pick_table(m, &t, true, &err) < 0 || mapping_pick_function(m, &f, true, &err) < 0)
        fail_msg("%s", err);
    inv_item d = item(dest_kind, dest);
    if (dest && mapping_pick_destination(m, &d, true, &err) < 0)
        fail_msg("%s", err);
    const char *const settings[] = {"starting-position",
                                    "TRIM_HORIZON",
                                    "batch-size",
                                    "100",
                                    "bisect-batch-on-error",
                                    "true",
                                    "retry-attempts",
                                    "3",
                                    "max-record-age",
                                    "1h",
                                    NULL};
    for (size_t i = 0; settings[i]; i += 2)
        if (mapping_set(m, opt_find(settings[i])->id, settings[i + 1], &err) < 0)
            fail_msg("%s", err);
    return m;
}

/* Merge M into TEXT, failing the test when it is refused. */
static char *merge_ok(const mapping *m, const char *text, size_t len)
{
    char *err = NULL;
    char *out = export_merge(m, text, len, "template", &err);
    if (!out)
        fail_msg("merge refused: %s", err);
    return out;
}

/* Merge M into TEXT expecting a refusal that contains WANT. */
static void merge_refused(const mapping *m, const char *text, const char *want)
{
    char *err = NULL;
    char *out = export_merge(m, text, strlen(text), "template", &err);
    if (out)
        fail_msg("merge accepted, expected \"%s\":\n%s", want, out);
    if (!err || !strstr(err, want))
        fail_msg("expected \"%s\" in: %s", want, err ? err : "(no message)");
    free(err);
}

/* MERGED is ORIG with one block inserted: the bytes before and after it
 * are ORIG's, unchanged. Returns the inserted block. Caller frees. */
static char *inserted_block(const char *orig, const char *merged)
{
    size_t n = strlen(orig), m = strlen(merged), pre = 0, post = 0;
    while (pre < n && orig[pre] == merged[pre])
        pre++;
    while (post < n - pre && orig[n - 1 - post] == merged[m - 1 - post])
        post++;
    if (pre + post != n)
        fail_msg("the template changed outside the inserted block:\n%s", merged);
    return xstrndup(merged + pre, m - n);
}

/* MERGED parses (as JSON or YAML) with every resource of ORIG unchanged,
 * and the new resources IDS (NULL-terminated) after them. */
static void check_reads_back(const char *orig, const char *merged, bool json,
                             const char *const *ids)
{
    char *err = NULL;
    cJSON *a = json ? cJSON_Parse(orig) : export_yaml_read(orig, strlen(orig), "orig", &err);
    cJSON *b =
        json ? cJSON_Parse(merged) : export_yaml_read(merged, strlen(merged), "merged", &err);
    if (!a || !b)
        fail_msg("does not parse: %s\n%s", err ? err : "", merged);
    cJSON *ra = cJSON_GetObjectItem(a, "Resources"), *rb = cJSON_GetObjectItem(b, "Resources");
    const cJSON *cb = rb->child;
    for (const cJSON *ca = ra->child; ca; ca = ca->next, cb = cb->next) {
        assert_non_null(cb);
        assert_string_equal(ca->string, cb->string);
        assert_true(cJSON_Compare(ca, cb, 1));
    }
    for (size_t i = 0; ids[i]; i++, cb = cb->next) {
        assert_non_null(cb);
        assert_string_equal(cb->string, ids[i]);
    }
    assert_null(cb);
    cJSON_DetachItemViaPointer(a, ra);
    cJSON_DetachItemViaPointer(b, rb);
    assert_true(cJSON_Compare(a, b, 1)); /* the rest of the template too */
    cJSON_Delete(ra);
    cJSON_Delete(rb);
    cJSON_Delete(a);
    cJSON_Delete(b);
}

/* SAM template, 2 spaces, comments: table, function, role and queue refs. */
static void test_merge_sam_yaml(void **state)
{
    (void)state;
    size_t len;
    char *text = fixture("sam.yaml", &len);
    mapping *m = refs_mapping("OrdersTable", "ProcessOrdersFunction", "ProcessOrdersRole",
                              INV_QUEUE, "OrdersDlq");
    char *out = merge_ok(m, text, len);
    check_golden("merge-sam.yaml", out);
    char *block = inserted_block(text, out);
    /* after the last resource's own lines, before the comments that follow */
    assert_non_null(strstr(out,
                           "    Type: AWS::S3::Bucket\n  OrdersTableProcessOrdersFunctionMapping:"
                           "\n    Type: AWS::Lambda::EventSourceMapping\n"));
    assert_non_null(strstr(out, "    # the last line of Resources is this comment\n\n# Outputs"));
    const char *const ids[] = {"OrdersTableProcessOrdersFunctionMapping",
                               "OrdersTableProcessOrdersFunctionMappingPolicy", NULL};
    check_reads_back(text, out, false, ids);
    free(block);
    free(out);
    free(text);
    mapping_free(m);
}

/* Four-space template: the block uses four spaces too; an SNS topic is
 * referred to with Ref. */
static void test_merge_four_spaces(void **state)
{
    (void)state;
    size_t len;
    char *text = fixture("cfn-4space.yaml", &len);
    mapping *m =
        refs_mapping("PaymentsTable", "SettleFunction", "SettleRole", INV_TOPIC, "AlertsTopic");
    char *out = merge_ok(m, text, len);
    check_golden("merge-4space.yaml", out);
    char *block = inserted_block(text, out);
    assert_non_null(strstr(block, "\n        Type: AWS::Lambda::EventSourceMapping\n"));
    assert_non_null(strstr(block, "\n            EventSourceArn:\n                Fn::GetAtt:\n"));
    assert_non_null(strstr(block, "                -   Effect: Allow\n"));
    assert_non_null(strstr(block, "Destination:\n                        Ref: AlertsTopic\n"));
    const char *const ids[] = {"PaymentsTableSettleFunctionMapping",
                               "PaymentsTableSettleFunctionMappingPolicy", NULL};
    check_reads_back(text, out, false, ids);
    free(block);
    free(out);
    free(text);
    mapping_free(m);
}

/* JSON: the template's four spaces and key order; a bucket destination. */
static void test_merge_json(void **state)
{
    (void)state;
    size_t len;
    char *text = fixture("template.json", &len);
    mapping *m =
        refs_mapping("ArchiveTable", "ArchiveFunction", "ArchiveRole", INV_BUCKET, "ArchiveBucket");
    assert_int_equal(export_merge_format(text, len), FMT_CFN_JSON);
    char *out = merge_ok(m, text, len);
    check_golden("merge-template.json", out);
    char *block = inserted_block(text, out);
    assert_true(starts_with(block, ",\n        \"ArchiveTableArchiveFunctionMapping\": {\n"
                                   "            \"Type\""));
    assert_non_null(strstr(block, "\"Fn::Sub\": \"${ArchiveBucket.Arn}/*\""));
    const char *const ids[] = {"ArchiveTableArchiveFunctionMapping",
                               "ArchiveTableArchiveFunctionMappingPolicy", NULL};
    check_reads_back(text, out, true, ids);
    /* top-level keys in the template's own order */
    cJSON *b = cJSON_Parse(out);
    assert_string_equal(b->child->string, "Description");
    assert_string_equal(b->child->next->string, "AWSTemplateFormatVersion");
    cJSON_Delete(b);
    free(block);
    free(out);
    free(text);
    mapping_free(m);
}

/* JSON indented with tabs, with CRLF line ends; an empty Resources; one line. */
static void test_merge_json_styles(void **state)
{
    (void)state;
    mapping *m = refs_mapping("T", "F", NULL, INV_QUEUE, NULL);
    const char *const ids[] = {"TFMapping", NULL};
    const char *tabs = "{\r\n\t\"Resources\": {\r\n\t\t\"T\": {\r\n\t\t\t\"Type\": "
                       "\"AWS::DynamoDB::Table\",\r\n\t\t\t\"Properties\": "
                       "{\"StreamSpecification\": {\"StreamViewType\": \"NEW_IMAGE\"}}\r\n"
                       "\t\t},\r\n\t\t\"F\": {\"Type\": \"AWS::Lambda::Function\"}\r\n\t}\r\n}\r\n";
    char *out = merge_ok(m, tabs, strlen(tabs));
    char *block = inserted_block(tabs, out);
    assert_true(starts_with(block, ",\r\n\t\t\"TFMapping\": {\r\n\t\t\t\"Type\": "));
    assert_null(strstr(block, "  "));
    check_reads_back(tabs, out, true, ids);
    free(block);
    free(out);
    const char *one_line =
        "{\"Resources\":{\"T\":{\"Type\":\"AWS::DynamoDB::Table\",\"Properties\":"
        "{\"StreamSpecification\":{\"StreamViewType\":\"KEYS_ONLY\"}}},\"F\":"
        "{\"Type\":\"AWS::Lambda::Function\"}},\"Outputs\":{}}";
    out = merge_ok(m, one_line, strlen(one_line));
    check_reads_back(one_line, out, true, ids);
    free(inserted_block(one_line, out));
    free(out);
    mapping_free(m);
    m = mapping_new();
    char *err = NULL;
    const char *const lit[] = {"table",  STREAM, "function", "process-orders", "starting-position",
                               "LATEST", NULL};
    for (size_t i = 0; lit[i]; i += 2)
        if (mapping_set(m, opt_find(lit[i])->id, lit[i + 1], &err) < 0)
            fail_msg("%s", err);
    const char *empty = "{\n  \"Resources\": {}\n}\n";
    out = merge_ok(m, empty, strlen(empty));
    assert_true(starts_with(out, "{\n  \"Resources\": {\n    \"OrdersProcessOrdersMapping\": {\n"));
    assert_non_null(strstr(out, "\n    }\n  }\n}\n"));
    const char *const lit_ids[] = {"OrdersProcessOrdersMapping", NULL};
    check_reads_back(empty, out, true, lit_ids);
    free(out);
    mapping_free(m);
}

/* A YAML template whose Resources end in a block scalar, then blank lines
 * and comments; without a final newline; with CRLF; with a BOM. */
static void test_merge_yaml_edges(void **state)
{
    (void)state;
    mapping *m = refs_mapping("T", "F", NULL, INV_QUEUE, NULL);
    const char *const ids[] = {"TFMapping", NULL};
    const char *cases[] = {
        "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      "
        "StreamSpecification: {StreamViewType: NEW_IMAGE}\n  F:\n    Type: AWS::Lambda::Function\n"
        "    Properties:\n      Code:\n        ZipFile: |\n          exports.handler = 1;\n\n\n"
        "# comment\nOutputs: {}\n",
        "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      "
        "StreamSpecification:\n        StreamViewType: NEW_IMAGE\n  F: {Type: "
        "AWS::Lambda::Function}  # last",
        "Resources:\r\n  T:\r\n    Type: AWS::DynamoDB::Table\r\n    Properties:\r\n      "
        "StreamSpecification: {StreamViewType: NEW_IMAGE}\r\n  F:\r\n    Type: "
        "AWS::Lambda::Function\r\nOutputs:\r\n  X: {Value: 1}\r\n",
        "\xef\xbb\xbf# caf\xc3\xa9 \xe2\x80\x94 unicode before the spot\nDescription: "
        "\"\xc3\xa9t\xc3\xa9\"\n"
        "Resources:\n   T:\n      Type: AWS::DynamoDB::Table\n      Properties: "
        "{StreamSpecification: "
        "{StreamViewType: NEW_IMAGE}}\n   F:\n      Type: \"AWS::Lambda::Function\" # \xc3\xa9\n",
        "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      "
        "StreamSpecification: {StreamViewType: NEW_IMAGE}\n  F:\n    Type: AWS::Lambda::Function\n"
        "    Properties:\n      Description: |+\n        kept\n\n\n",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = merge_ok(m, cases[i], strlen(cases[i]));
        char *block = inserted_block(cases[i], out);
        if (i == 2 && !starts_with(block, "  TFMapping:\r\n    Type: "))
            fail_msg("CRLF: %s", out);
        if (i == 3 && !starts_with(block, "   TFMapping:\n      Type:"))
            fail_msg("three spaces: %s", out);
        check_reads_back(cases[i], out, false, ids);
        free(block);
        free(out);
    }
    mapping_free(m);
}

/* Flow-style Resources, no Resources, bad syntax: refused with reasons. */
static void test_merge_refuses_templates(void **state)
{
    (void)state;
    mapping *m = refs_mapping("Queue", "F", NULL, INV_QUEUE, NULL);
    size_t len;
    char *flow = fixture("flow-resources.yaml", &len);
    merge_refused(m, flow, "line 2: Resources is written in flow style");
    free(flow);
    merge_refused(m, "Description: x\n", "it has no Resources mapping");
    merge_refused(m, "Resources: [1]\n", "it has no Resources mapping");
    merge_refused(m, "Resources:\n  A: [\n", "template:");
    merge_refused(m, "{\n  \"Resources\": {\n    \"A\": 1,\n  }\n}\n",
                  "template: line 4, column 4: not valid JSON");
    merge_refused(m, "{\"Resources\": {}} x", "unexpected content after the template");
    merge_refused(m, "Resources:\n  A: &a {Type: X}\n  B: *a\n", "aliases");
    mapping_free(m);
}

/* A logical ID the template already uses: refused, named, --logical-id
 * suggested; the policy's ID and parameters count too. */
static void test_merge_refuses_duplicates(void **state)
{
    (void)state;
    size_t len;
    char *text = fixture("sam.yaml", &len);
    mapping *m = refs_mapping("OrdersTable", "ProcessOrdersFunction", "ProcessOrdersRole",
                              INV_QUEUE, "OrdersDlq");
    mapping_set_logical_id(m, "OrdersDlq");
    merge_refused(m, text,
                  "template: the template already has a resource named OrdersDlq: give the "
                  "mapping another logical ID with --logical-id ID");
    mapping_set_logical_id(m, "Orders");
    char *res_policy = xstrdup(text);
    char *spot = strstr(res_policy, "  FailureTopic:");
    memcpy(spot, "  OrdersPolicy:", 15);
    merge_refused(m, res_policy, "already has a resource named OrdersPolicy");
    free(res_policy);
    mapping_set_logical_id(m, "Stage");
    merge_refused(m, text, "already has a parameter named Stage");
    free(text);
    mapping_free(m);
}

/* References must name resources of this template of the right type. */
static void test_merge_refuses_bad_refs(void **state)
{
    (void)state;
    size_t len;
    char *text = fixture("sam.yaml", &len);
    mapping *m = refs_mapping("NoSuchTable", "ProcessOrdersFunction", NULL, INV_QUEUE, NULL);
    merge_refused(m, text,
                  "the table (--table) is NoSuchTable, which is not a resource of this template");
    mapping_free(m);
    m = refs_mapping("OrdersDlq", "ProcessOrdersFunction", NULL, INV_QUEUE, NULL);
    merge_refused(m, text, "OrdersDlq, which is AWS::SQS::Queue here, not a table");
    mapping_free(m);
    m = refs_mapping("CustomersTable", "ProcessOrdersFunction", NULL, INV_QUEUE, NULL);
    merge_refused(m, text,
                  "the table CustomersTable has no stream for Lambda to read: add "
                  "StreamSpecification");
    mapping_free(m);
    m = refs_mapping("OrdersTable", "OrdersTable", NULL, INV_QUEUE, NULL);
    merge_refused(m, text, "not a function");
    mapping_free(m);
    m = refs_mapping("OrdersTable", "ProcessOrdersFunction", "NoRole", INV_QUEUE, NULL);
    merge_refused(m, text, "the function's role NoRole is not an AWS::IAM::Role");
    mapping_free(m);
    m = refs_mapping("OrdersTable", "ProcessOrdersFunction", NULL, INV_QUEUE, "OrdersFifo");
    merge_refused(m, text, "OrdersFifo is FIFO (FifoQueue)");
    mapping_free(m);
    m = refs_mapping("OrdersTable", "ProcessOrdersFunction", NULL, INV_QUEUE, "OrdersTable");
    merge_refused(m, text, "not an SQS queue, SNS topic or S3 bucket");
    mapping_free(m);
    free(text);
}

/* SAM's generated role of a function without Role; literal values merge too. */
static void test_merge_sam_role_and_literals(void **state)
{
    (void)state;
    size_t len;
    char *text = fixture("sam.yaml", &len);
    mapping *m = refs_mapping("OrdersTable", "AuditFunction", "AuditFunctionRole", INV_TOPIC,
                              "FailureTopic");
    char *out = merge_ok(m, text, len);
    char *block = inserted_block(text, out);
    assert_non_null(strstr(block, "      Roles:\n      - Ref: AuditFunctionRole\n"));
    assert_non_null(strstr(block, "          Action: sns:Publish\n          Resource:\n"
                                  "            Ref: FailureTopic\n"));
    free(block);
    free(out);
    mapping_free(m);
    m = refs_mapping("OrdersTable", "ProcessOrdersFunction", "AuditFunctionRole", INV_TOPIC, NULL);
    merge_refused(m, text, "the function's role AuditFunctionRole is not an AWS::IAM::Role");
    mapping_free(m);
    m = mapping_new();
    char *err = NULL;
    const char *const lit[] = {
        "table",      STREAM, "function", "process-orders", "starting-position", "LATEST",
        "on-failure", QUEUE,  NULL};
    for (size_t i = 0; lit[i]; i += 2)
        if (mapping_set(m, opt_find(lit[i])->id, lit[i + 1], &err) < 0)
            fail_msg("%s", err);
    out = merge_ok(m, text, len);
    const char *const ids[] = {"OrdersProcessOrdersMapping", NULL};
    check_reads_back(text, out, false, ids);
    free(out);
    mapping_free(m);
    free(text);
}

/* An invalid mapping is refused before the template is touched. */
static void test_merge_refuses_invalid_mapping(void **state)
{
    (void)state;
    size_t len;
    char *text = fixture("sam.yaml", &len);
    mapping *m = mapping_new();
    merge_refused(m, text, "--table: is required");
    mapping_free(m);
    free(text);
}

/* The format is told from the first character. */
static void test_merge_format(void **state)
{
    (void)state;
    assert_int_equal(export_merge_format("  \n{}", 5), FMT_CFN_JSON);
    assert_int_equal(export_merge_format("\xef\xbb\xbf{}", 5), FMT_CFN_JSON);
    assert_int_equal(export_merge_format("# {\n{}", 6), FMT_CFN_YAML);
    assert_int_equal(export_merge_format("", 0), FMT_CFN_YAML);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_sam_yaml),
        cmocka_unit_test(test_merge_four_spaces),
        cmocka_unit_test(test_merge_json),
        cmocka_unit_test(test_merge_json_styles),
        cmocka_unit_test(test_merge_yaml_edges),
        cmocka_unit_test(test_merge_refuses_templates),
        cmocka_unit_test(test_merge_refuses_duplicates),
        cmocka_unit_test(test_merge_refuses_bad_refs),
        cmocka_unit_test(test_merge_sam_role_and_literals),
        cmocka_unit_test(test_merge_refuses_invalid_mapping),
        cmocka_unit_test(test_merge_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
