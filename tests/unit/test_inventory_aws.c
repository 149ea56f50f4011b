/* The AWS CLI's JSON output as inventory: every command's real shape
 * (tests/fixtures/inventory, as the CLI prints it), what each item knows,
 * merging of what several files know, and the messages for wrong shapes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "export/template_inventory.h"

/* Load fixture NAME into INV, failing the test on an error. */
static void load(inventory *inv, const char *name)
{
    char path[512], *err = NULL;
    snprintf(path, sizeof path, "%s/inventory/%s", FIXTURES, name);
    if (inventory_load_path(inv, path, &err) != INV_LOAD_OK)
        fail_msg("%s: %s", name, err);
}

/* TEXT is refused by inventory_load_any with a message that starts with
 * "x.json: " and contains WANT; nothing is added. */
static void expect_refused(const char *text, const char *want)
{
    inventory inv;
    inventory_init(&inv);
    char *err = NULL;
    if (inventory_load_any(&inv, text, strlen(text), "x.json", &err) != INV_LOAD_INVALID)
        fail_msg("accepted: %s", text);
    if (!err || strncmp(err, "x.json: ", 8) != 0 || !strstr(err, want))
        fail_msg("message \"%s\" lacks \"%s\"", err ? err : "(none)", want);
    assert_int_equal(inv.n, 0);
    free(err);
    inventory_free(&inv);
}

/* list-tables: names only, the stream unknown. */
static void list_tables(void **state)
{
    (void)state;
    inventory inv;
    inventory_init(&inv);
    load(&inv, "list-tables.json");
    assert_int_equal(inv.n, 3);
    const inv_item *t = inventory_find(&inv, INV_TABLE, "orders");
    assert_non_null(t);
    assert_null(t->arn);
    assert_false(t->stream_known);
    assert_false(inventory_table_usable(t));
    char *hint = inventory_enable_stream_hint(t);
    assert_non_null(strstr(hint, "only by name"));
    assert_non_null(strstr(hint, "describe-table --table-name orders"));
    free(hint);
    inventory_free(&inv);
}

/* describe-table, one and an array: the stream when on, nothing when off
 * (a disabled stream's LatestStreamArn is not offered). */
static void describe_table(void **state)
{
    (void)state;
    inventory inv;
    inventory_init(&inv);
    load(&inv, "describe-table.json");
    load(&inv, "describe-tables.json");
    assert_int_equal(inv.n, 4);
    const inv_item *o = inventory_find(&inv, INV_TABLE, "orders");
    assert_true(o->stream_known && o->stream_enabled);
    assert_string_equal(o->stream_view_type, "NEW_AND_OLD_IMAGES");
    assert_string_equal(o->stream_arn, "arn:aws:dynamodb:us-east-1:123456789012:table/orders/"
                                       "stream/2026-03-14T09:26:53.589");
    assert_string_equal(o->region, "us-east-1");
    assert_string_equal(o->account, "123456789012");
    assert_ptr_equal(inventory_find(&inv, INV_TABLE, o->stream_arn), o);
    const inv_item *a = inventory_find(&inv, INV_TABLE, "audit-log");
    assert_true(a->stream_known);
    assert_false(a->stream_enabled);
    assert_null(a->stream_arn);
    char *hint = inventory_enable_stream_hint(a);
    assert_string_equal(hint, "the table has no stream; enable one with: aws dynamodb update-table "
                              "--table-name audit-log --region us-east-1 --stream-specification "
                              "StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES");
    free(hint);
    const inv_item *p = inventory_find(&inv, INV_TABLE, "payments");
    assert_string_equal(p->region, "eu-west-1");
    assert_string_equal(p->stream_view_type, "KEYS_ONLY");
    assert_null(inventory_enable_stream_hint(p));
    inventory_free(&inv);
}

/* list-tables, then describe-table: one item per table, now complete,
 * in list-tables' order; the same output again changes nothing. */
static void merging_tables(void **state)
{
    (void)state;
    inventory inv;
    inventory_init(&inv);
    load(&inv, "list-tables.json");
    load(&inv, "describe-table.json");
    load(&inv, "describe-tables.json");
    load(&inv, "describe-table.json");
    load(&inv, "list-tables.json");
    assert_int_equal(inv.n, 4);
    assert_string_equal(inv.items[0].name, "orders");
    assert_true(inventory_table_usable(&inv.items[0]));
    assert_non_null(strstr(inv.items[0].source, "list-tables.json"));
    assert_string_equal(inv.items[3].name, "payments");
    for (size_t i = 0; i < inv.n; i++)
        assert_true(inv.items[i].stream_known);
    inventory_free(&inv);
}

/* list-functions: name, ARN, runtime, role, last change; no runtime for a
 * container image. */
static void list_functions(void **state)
{
    (void)state;
    inventory inv;
    inventory_init(&inv);
    load(&inv, "list-functions.json");
    assert_int_equal(inv.n, 2);
    const inv_item *f = inventory_find(&inv, INV_FUNCTION, "process-orders");
    assert_string_equal(f->runtime, "python3.12");
    assert_string_equal(f->role_arn,
                        "arn:aws:iam::123456789012:role/service-role/process-orders-role");
    assert_string_equal(f->last_modified, "2026-11-20T14:03:11.000+0000");
    assert_string_equal(f->region, "us-east-1");
    const inv_item *img = inventory_find(&inv, INV_FUNCTION,
                                         "arn:aws:lambda:us-east-1:123456789012:function:"
                                         "image-resizer");
    assert_non_null(img);
    assert_null(img->runtime);
    inventory_free(&inv);
}

/* list-queues: URLs (current, legacy, China) become ARNs; .fifo is FIFO. */
static void list_queues(void **state)
{
    (void)state;
    inventory inv;
    inventory_init(&inv);
    load(&inv, "list-queues.json");
    assert_int_equal(inv.n, 5);
    assert_string_equal(inv.items[0].arn, "arn:aws:sqs:us-east-1:123456789012:orders-dlq");
    assert_false(inv.items[0].fifo);
    assert_true(inv.items[1].fifo);
    assert_string_equal(inv.items[2].arn, "arn:aws:sqs:eu-west-1:123456789012:legacy-queue");
    assert_string_equal(inv.items[3].arn, "arn:aws:sqs:us-east-1:123456789012:oldest-queue");
    assert_string_equal(inv.items[4].arn, "arn:aws-cn:sqs:cn-north-1:123456789012:china-queue");
    inventory_free(&inv);
}

/* list-topics and list-buckets. */
static void topics_and_buckets(void **state)
{
    (void)state;
    inventory inv;
    inventory_init(&inv);
    load(&inv, "list-topics.json");
    load(&inv, "list-buckets.json");
    assert_int_equal(inv.n, 4);
    const inv_item *t = inventory_find(&inv, INV_TOPIC, "ledger.fifo");
    assert_true(t->fifo);
    const inv_item *b = inventory_find(&inv, INV_BUCKET, "acme-failed-records");
    assert_string_equal(b->arn, "arn:aws:s3:::acme-failed-records");
    assert_string_equal(b->region, "us-east-1");
    assert_null(b->account);
    assert_null(inventory_find(&inv, INV_BUCKET, "acme-archive")->region);
    inventory_free(&inv);
}

/* list-keys and list-aliases, in either order: one item per key, named by
 * its first alias; an alias without a key is left out. */
static void keys_and_aliases(void **state)
{
    (void)state;
    const char *orders[2][2] = {{"list-keys.json", "list-aliases.json"},
                                {"list-aliases.json", "list-keys.json"}};
    for (int o = 0; o < 2; o++) {
        inventory inv;
        inventory_init(&inv);
        load(&inv, orders[o][0]);
        load(&inv, orders[o][1]);
        assert_int_equal(inv.n, 2);
        const inv_item *k = inventory_find(&inv, INV_KEY, "alias/esm-filters");
        assert_non_null(k);
        assert_string_equal(k->arn, "arn:aws:kms:us-east-1:123456789012:key/"
                                    "1234abcd-12ab-34cd-56ef-1234567890ab");
        assert_null(inventory_find(&inv, INV_KEY, "alias/aws/dynamodb"));
        assert_non_null(inventory_find(&inv, INV_KEY, "mrk-0123456789abcdef0123456789abcdef"));
        inventory_free(&inv);
    }
}

/* One object may hold several commands' keys; pagination keys are skipped. */
static void merged_object(void **state)
{
    (void)state;
    const char *text = "{\"TableNames\": [\"orders\"], \"NextToken\": \"abc\", \"Functions\": "
                       "[{\"FunctionName\": \"f\", \"FunctionArn\": "
                       "\"arn:aws:lambda:us-east-1:123456789012:function:f\"}], "
                       "\"LastEvaluatedTableName\": \"orders\"}";
    inventory inv;
    inventory_init(&inv);
    char *err = NULL;
    assert_int_equal(inventory_load_aws(&inv, text, strlen(text), "mixed", &err), 0);
    assert_int_equal(inv.n, 2);
    inventory_free(&inv);
}

/* Each reader takes only its own kind; the detecting reader takes all. */
static void kinds_told_apart(void **state)
{
    (void)state;
    const char *own = "{\"esmcfg_inventory\": 1, \"tables\": []}";
    const char *aws = "{\"TableNames\": []}";
    inventory inv;
    inventory_init(&inv);
    char *err = NULL;
    assert_int_equal(inventory_load_aws(&inv, own, strlen(own), "o.json", &err), -1);
    assert_non_null(strstr(err, "o.json: is not AWS CLI output"));
    free(err);
    err = NULL;
    assert_int_equal(inventory_load_text(&inv, aws, strlen(aws), "a.json", &err), -1);
    assert_non_null(strstr(err, "a.json: is not an esmcfg inventory"));
    free(err);
    assert_int_equal(inventory_load_any(&inv, own, strlen(own), "o.json", &err), 0);
    assert_int_equal(inventory_load_any(&inv, aws, strlen(aws), "a.json", &err), 0);
    inventory_free(&inv);
    expect_refused("{\"Items\": [], \"Count\": 0}", "x.json: " INV_NOT_AN_INVENTORY);
    expect_refused("42", INV_NOT_AN_INVENTORY);
    expect_refused("just some text\n", INV_NOT_AN_INVENTORY);
}

/* Wrong shapes name the file and the JSON path. */
static void wrong_shapes(void **state)
{
    (void)state;
    expect_refused("{\"Functions\": [{\"FunctionName\": \"f\", \"FunctionArn\": "
                   "\"arn:aws:lambda:us-east-1:123456789012:function:f\"}, {\"FunctionArn\": 7}]}",
                   "Functions[1].FunctionArn: must be a string");
    expect_refused("{\"Functions\": [{\"FunctionName\": \"g\", \"FunctionArn\": "
                   "\"arn:aws:lambda:us-east-1:123456789012:function:f\"}]}",
                   "Functions[0].FunctionArn: is the ARN of another function");
    expect_refused("{\"Functions\": [{\"FunctionArn\": "
                   "\"arn:aws:lambda:us-east-1:123456789012:function:f\", \"Role\": "
                   "\"arn:aws:sqs:us-east-1:123456789012:q\"}]}",
                   "Functions[0].Role: is an SQS queue ARN, expected an IAM role ARN");
    expect_refused("{\"Functions\": {}}", "Functions: must be an array");
    expect_refused("{\"TableNames\": [\"ok-name\", \"no spaces\"]}",
                   "TableNames[1]: no spaces is not a table name");
    expect_refused("{\"TableNames\": [\"orders\", 3]}", "TableNames[1]: must be a string");
    expect_refused("{\"Table\": {\"TableName\": \"orders\", \"TableArn\": "
                   "\"arn:aws:dynamodb:us-east-1:123456789012:table/other\"}}",
                   "Table.TableArn: is the ARN of another table");
    expect_refused("{\"Table\": {\"TableName\": \"orders\"}}", "Table.TableArn: is missing");
    expect_refused("[{\"Table\": {\"TableName\": \"orders\", \"TableArn\": "
                   "\"arn:aws:dynamodb:us-east-1:123456789012:table/orders\"}}, {\"Table\": "
                   "{\"StreamSpecification\": {\"StreamEnabled\": true, \"StreamViewType\": "
                   "\"ALL\"}}}]",
                   "[1].Table.StreamSpecification.StreamViewType: ALL is not a stream view type");
    expect_refused("[{\"Table\": {\"TableName\": \"orders\", \"TableArn\": "
                   "\"arn:aws:dynamodb:us-east-1:123456789012:table/orders\", "
                   "\"StreamSpecification\": {\"StreamEnabled\": \"yes\"}}}]",
                   "[0].Table.StreamSpecification.StreamEnabled: must be true or false");
    expect_refused("[{\"Table\": {\"TableName\": \"orders\", \"TableArn\": "
                   "\"arn:aws:dynamodb:us-east-1:123456789012:table/orders\", "
                   "\"StreamSpecification\": {\"StreamEnabled\": true}, \"LatestStreamArn\": "
                   "\"arn:aws:dynamodb:us-east-1:123456789012:table/other/stream/1\"}}]",
                   "[0].Table.LatestStreamArn: is not a stream of this table");
    expect_refused("[{\"Tables\": {}}]", "[0]: is not the output of describe-table");
    expect_refused("[1, 2]", "[0]: must be an object");
    expect_refused("{\"QueueUrls\": [\"sqs/orders\"]}",
                   "QueueUrls[0]: sqs/orders is not an SQS queue URL");
    expect_refused("{\"Topics\": [{\"TopicArn\": \"arn:aws:sns:us-east-1:123456789012:a b\"}]}",
                   "Topics[0].TopicArn: arn:aws:sns:us-east-1:123456789012:a b is not a valid ARN");
    expect_refused("{\"Buckets\": [{\"Name\": \"UPPER\"}]}",
                   "Buckets[0].Name: UPPER is not a bucket name (3..63 of a-z 0-9 . -)");
    expect_refused("{\"Keys\": [{\"KeyId\": \"a\", \"KeyArn\": "
                   "\"arn:aws:kms:us-east-1:123456789012:key/b\"}]}",
                   "Keys[0].KeyArn: is the ARN of another key");
    expect_refused("{\"Aliases\": [{\"AliasName\": \"alias/x\", \"TargetKeyId\": \"k\", "
                   "\"AliasArn\": \"arn:aws:kms:us-east-1:123456789012:key/k\"}]}",
                   "Aliases[0].AliasArn: is not a KMS alias ARN");
    expect_refused("{\"TableNames\": [], \"TableNames\": []}", "\"TableNames\" is given twice");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(list_tables),      cmocka_unit_test(describe_table),
        cmocka_unit_test(merging_tables),   cmocka_unit_test(list_functions),
        cmocka_unit_test(list_queues),      cmocka_unit_test(topics_and_buckets),
        cmocka_unit_test(keys_and_aliases), cmocka_unit_test(merged_object),
        cmocka_unit_test(kinds_told_apart), cmocka_unit_test(wrong_shapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
