/* CloudFormation and SAM templates as inventory: examples/template.yaml
 * (YAML, short-form tags) and tests/fixtures/inventory/template.json (long
 * forms, conditions, parameters): what each resource becomes, how items
 * without ARNs are found and filtered, and messages with the YAML line or
 * the JSON path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "export/template_inventory.h"

/* Load PATH into INV, failing the test on an error. */
static void load_path(inventory *inv, const char *path)
{
    char *err = NULL;
    if (inventory_load_path(inv, path, &err) != INV_LOAD_OK)
        fail_msg("%s: %s", path, err);
}

/* The example SAM template's path. */
static const char *example(void)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/../../examples/template.yaml", FIXTURES);
    return path;
}

/* TEXT is refused with a message containing WANT; nothing is added. */
static void expect_refused(const char *text, const char *want)
{
    inventory inv;
    inventory_init(&inv);
    char *err = NULL;
    if (inventory_load_any(&inv, text, strlen(text), "t.yaml", &err) != INV_LOAD_INVALID)
        fail_msg("accepted: %s", text);
    if (!err || strncmp(err, "t.yaml", 6) != 0 || !strstr(err, want))
        fail_msg("message \"%s\" lacks \"%s\"", err ? err : "(none)", want);
    assert_int_equal(inv.n, 0);
    free(err);
    inventory_free(&inv);
}

/* The example: tables with and without streams, functions and their roles. */
static void sam_example(void **state)
{
    (void)state;
    inventory inv;
    inventory_init(&inv);
    load_path(&inv, example());
    assert_int_equal(inv.n, 12);
    const inv_item *t = inventory_find(&inv, INV_TABLE, "orders");
    assert_string_equal(t->logical_id, "OrdersTable");
    assert_string_equal(t->cfn_type, "AWS::DynamoDB::Table");
    assert_null(t->arn);
    assert_null(t->stream_arn);
    assert_null(t->region);
    assert_true(t->stream_known && t->stream_enabled);
    assert_string_equal(t->stream_view_type, "NEW_AND_OLD_IMAGES");
    assert_true(inventory_table_usable(t));
    assert_ptr_equal(inventory_find(&inv, INV_TABLE, "OrdersTable"), t);
    const inv_item *items = inventory_find(&inv, INV_TABLE, "OrderItemsTable");
    assert_string_equal(items->name, "OrderItemsTable"); /* !Sub name: the logical ID */
    const inv_item *g = inventory_find(&inv, INV_TABLE, "customers");
    assert_string_equal(g->cfn_type, "AWS::DynamoDB::GlobalTable");
    assert_true(inventory_table_usable(g));
    const inv_item *s = inventory_find(&inv, INV_TABLE, "sessions");
    assert_false(inventory_table_usable(s));
    char *hint = inventory_enable_stream_hint(s);
    assert_non_null(strstr(hint, "add to SessionsTable's Properties in"));
    assert_non_null(strstr(hint, "StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}"));
    free(hint);
    const inv_item *f = inventory_find(&inv, INV_FUNCTION, "process-orders");
    assert_string_equal(f->role_logical_id, "ProcessOrdersFunctionRole"); /* SAM's implicit */
    assert_string_equal(f->runtime, "python3.12");                        /* from Globals */
    f = inventory_find(&inv, INV_FUNCTION, "IndexOrderItemsFunction");
    assert_string_equal(f->role_logical_id, "IndexerRole"); /* !GetAtt IndexerRole.Arn */
    assert_string_equal(f->runtime, "nodejs20.x");
    f = inventory_find(&inv, INV_FUNCTION, "reconcile-payments");
    assert_string_equal(f->role_logical_id, "ReconcileRole"); /* Fn::GetAtt: [X, Arn] */
    f = inventory_find(&inv, INV_FUNCTION, "audit-writer");
    assert_null(f->role_logical_id);
    assert_string_equal(f->role_arn, "arn:aws:iam::123456789012:role/service-role/"
                                     "audit-writer-role");
    assert_false(inventory_find(&inv, INV_QUEUE, "orders-dlq")->fifo);
    assert_true(inventory_find(&inv, INV_QUEUE, "order-events.fifo")->fifo);
    assert_non_null(inventory_find(&inv, INV_TOPIC, "order-alerts"));
    assert_non_null(inventory_find(&inv, INV_BUCKET, "FailedRecordsBucket")); /* !If name */
    inventory_free(&inv);
}

/* Long forms, parameters, conditions and types esmcfg does not read. */
static void json_template(void **state)
{
    (void)state;
    inventory inv;
    inventory_init(&inv);
    char path[512];
    snprintf(path, sizeof path, "%s/inventory/template.json", FIXTURES);
    load_path(&inv, path);
    assert_int_equal(inv.n, 12);
    const inv_item *m = inventory_find(&inv, INV_TABLE, "MaybeStreamTable");
    assert_false(m->stream_known);
    char *hint = inventory_enable_stream_hint(m);
    assert_non_null(strstr(hint, "depends on a condition"));
    free(hint);
    const inv_item *p = inventory_find(&inv, INV_TABLE, "ParamViewTable");
    assert_true(inventory_table_usable(p));
    assert_null(p->stream_view_type);
    const inv_item *s = inventory_find(&inv, INV_TABLE, "simple-things");
    hint = inventory_enable_stream_hint(s);
    assert_non_null(strstr(hint, "AWS::Serverless::SimpleTable cannot have one"));
    free(hint);
    const char *roles[][2] = {{"GetAttListFunction", "WriterRole"},
                              {"GetAttStringFunction", "WriterRole"},
                              {"RefRoleFunction", "WriterRole"},
                              {"ParamRoleFunction", NULL},
                              {"SubRoleFunction", NULL}};
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        const inv_item *f = inventory_find(&inv, INV_FUNCTION, roles[i][0]);
        assert_non_null(f);
        if (roles[i][1])
            assert_string_equal(f->role_logical_id, roles[i][1]);
        else
            assert_null(f->role_logical_id);
        assert_null(f->role_arn);
    }
    assert_true(inventory_find(&inv, INV_QUEUE, "FifoByFlagQueue")->fifo);
    assert_true(inventory_find(&inv, INV_TOPIC, "AuditTopic")->fifo);
    inventory_free(&inv);
}

/* Template items are filtered by name and by logical ID; loading the same
 * template twice keeps one item each; two templates keep both. */
static void find_and_filter(void **state)
{
    (void)state;
    inventory inv;
    inventory_init(&inv);
    load_path(&inv, example());
    load_path(&inv, example());
    assert_int_equal(inv.n, 12);
    inv_kind tables = INV_TABLE;
    size_t idx[16];
    assert_int_equal(inventory_filter(&inv, &tables, 1, "ORDERITEMS", idx, 16), 1);
    assert_int_equal(inventory_filter(&inv, &tables, 1, "ordersta", idx, 16), 1);
    assert_int_equal(inventory_filter(&inv, &tables, 1, "order", idx, 16), 2);
    const char *other = "Resources:\n  OrdersTable:\n    Type: AWS::DynamoDB::Table\n";
    char *err = NULL;
    assert_int_equal(inventory_load_any(&inv, other, strlen(other), "other.yaml", &err), 0);
    assert_int_equal(inv.n, 13);
    char *doc = inventory_to_json(&inv); /* template items are not an account's */
    assert_null(strstr(doc, "OrdersTable"));
    free(doc);
    inventory_free(&inv);
}

/* Errors: the YAML line of the resource and the path in it. */
static void template_errors(void **state)
{
    (void)state;
    expect_refused("Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties: [\n",
                   "t.yaml:5:1: ");
    expect_refused(
        "Resources:\n  A:\n    Type: AWS::SQS::Queue\n  Orders:\n"
        "    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: \"no good\"\n",
        "t.yaml:4: Resources.Orders.Properties.TableName: no good is not a table name");
    expect_refused("Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
                   "      StreamSpecification:\n        StreamViewType: EVERYTHING\n",
                   "t.yaml:2: Resources.Orders.Properties.StreamSpecification.StreamViewType: must "
                   "be NEW_IMAGE");
    expect_refused("Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
                   "      StreamSpecification: {}\n",
                   "Resources.Orders.Properties.StreamSpecification: needs StreamViewType");
    expect_refused(
        "Resources:\n  A:\n    Type: AWS::DynamoDB::Table\n    Properties: {TableName: "
        "tbl1}\n  B:\n    Type: AWS::DynamoDB::Table\n    Properties: {TableName: tbl1}\n",
        "t.yaml:5: Resources.B: table tbl1 has the same name as Resources.A");
    expect_refused("Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n"
                   "      Role: not-an-arn\n",
                   "t.yaml:2: Resources.F.Properties.Role: not-an-arn is not a valid ARN");
    expect_refused("Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n"
                   "      FunctionName: [a]\n",
                   "Resources.F.Properties.FunctionName: must be a string");
    expect_refused("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n"
                   "      FifoQueue: maybe\n",
                   "Resources.Q.Properties.FifoQueue: must be true or false");
    expect_refused("Resources:\n  Q:\n    Properties: {}\n",
                   "t.yaml:2: Resources.Q.Type: is missing");
    expect_refused("Resources:\n  Q: 3\n", "Resources.Q: must be a mapping");
    expect_refused("Resources:\n  \"Bad\\e[2JId\":\n    Type: AWS::SQS::Queue\n",
                   "Resources.Bad\\x1b[2JId: a logical ID is 1..255 letters and digits");
    expect_refused("Resources: [1, 2]\n", "t.yaml: Resources: must be a mapping");
    expect_refused("AWSTemplateFormatVersion: '2010-09-09'\n", "Resources: is missing");
    expect_refused("{\"Resources\": {\"A\": {\"Type\": \"AWS::SQS::Queue\"}, \"A\": {\"Type\": "
                   "\"AWS::SNS::Topic\"}}}",
                   "t.yaml: Resources.A: the logical ID is given twice");
    expect_refused("{\"Resources\": {\"A\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": "
                   "{\"BucketName\": \"Upper\"}}}}",
                   "t.yaml: Resources.A.Properties.BucketName: Upper is not a bucket name");
    expect_refused("name: value\nother: 2\n", "t.yaml: " INV_NOT_AN_INVENTORY);
    expect_refused("- a\n- b\n", INV_NOT_AN_INVENTORY);
}

/* YAML nested past the reader's limit is refused at its line. */
static void deep_yaml(void **state)
{
    (void)state;
    char *text = malloc(20000);
    strcpy(text, "Resources:\n  X: ");
    for (int i = 0; i < 1000; i++)
        strcat(text, "[");
    expect_refused(text, "nested deeper than 64 levels");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sam_example),     cmocka_unit_test(json_template),
        cmocka_unit_test(find_and_filter), cmocka_unit_test(template_errors),
        cmocka_unit_test(deep_yaml),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
