/* Template references: picking tables, functions, roles and destinations
 * from template items (model/pick.h), validation with references, the
 * CloudFormation exports' Ref / Fn::GetAtt (golden files), the YAML reading
 * back as the JSON, and the API JSON refusing what it cannot express.
 * UPDATE_GOLDEN=1 rewrites the golden files (review them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "export/export.h"
#include "export/yaml_read.h"
#include "model/inventory.h"
#include "model/mapping.h"
#include "model/pick.h"
#include "model/util.h"

#define SOURCE "template.yaml"
#define STREAM "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000"
#define ROLE "arn:aws:iam::123456789012:role/service-role/process-orders-role"
#define QUEUE "arn:aws:sqs:us-east-1:123456789012:orders-dlq"

/* Items as the template reader makes them: logical IDs, no ARNs. */
static inv_item table_item(void)
{
    return (inv_item){.kind = INV_TABLE,
                      .name = "orders",
                      .logical_id = "OrdersTable",
                      .stream_known = true,
                      .stream_enabled = true,
                      .source = SOURCE};
}

static inv_item function_item(void)
{
    return (inv_item){.kind = INV_FUNCTION,
                      .name = "ProcessOrdersFunction",
                      .logical_id = "ProcessOrdersFunction",
                      .role_logical_id = "ProcessOrdersRole",
                      .source = SOURCE};
}

static inv_item queue_item(void)
{
    return (inv_item){
        .kind = INV_QUEUE, .name = "OrdersDlq", .logical_id = "OrdersDlq", .source = SOURCE};
}

/* Pick IT for option ID, failing the test when it is refused. */
static void pick_ok(mapping *m, opt_id id, const inv_item *it)
{
    char *err = NULL;
    int rc = id == OPT_TABLE      ? mapping_pick_table(m, it, true, &err)
             : id == OPT_FUNCTION ? mapping_pick_function(m, it, true, &err)
                                  : mapping_pick_destination(m, it, true, &err);
    if (rc < 0)
        fail_msg("pick refused: %s", err);
}

/* Set a literal option value, failing the test when it is refused. */
static void set_ok(mapping *m, opt_id id, const char *text)
{
    char *err = NULL;
    if (mapping_set(m, id, text, &err) < 0)
        fail_msg("%s: %s", text, err);
}

/* Table and function (with its role) from the template, literal queue. */
static mapping *template_mapping(void)
{
    mapping *m = mapping_new();
    inv_item t = table_item(), f = function_item();
    pick_ok(m, OPT_TABLE, &t);
    pick_ok(m, OPT_FUNCTION, &f);
    set_ok(m, OPT_STARTING_POSITION, "TRIM_HORIZON");
    set_ok(m, OPT_BATCH_SIZE, "250");
    set_ok(m, OPT_ON_FAILURE, QUEUE);
    set_ok(m, OPT_RETRY_ATTEMPTS, "5");
    return m;
}

/* Render M in F, failing the test when it is refused. */
static char *render_ok(const mapping *m, export_format f)
{
    char *err = NULL;
    char *out = export_render(m, f, &err);
    if (!out)
        fail_msg("render %s refused: %s", export_format_name(f), err);
    return out;
}

/* Compare TEXT with golden/NAME+ext, or rewrite it under UPDATE_GOLDEN. */
static void check_golden(const char *name, export_format f, const char *text)
{
    char *path = xasprintf("%s/golden/%s%s", FIXTURES, name, export_format_ext(f));
    char *err = NULL;
    if (getenv("UPDATE_GOLDEN") && export_write_atomic(path, text, strlen(text), &err) < 0)
        fail_msg("%s", err);
    size_t len = 0;
    char *want = file_read_all(path, 1 << 20, &len, &err);
    if (!want)
        fail_msg("%s (UPDATE_GOLDEN=1 writes it)", err);
    if (strcmp(want, text) != 0)
        fail_msg("%s differs from the rendering:\n%s", path, text);
    free(want);
    free(path);
}

/* Picking from a template: references, no literal values, names and role. */
static void test_pick_template_items(void **state)
{
    (void)state;
    mapping *m = template_mapping();
    assert_false(mapping_is_set(m, OPT_TABLE));
    assert_false(mapping_is_set(m, OPT_FUNCTION));
    assert_string_equal(mapping_ref(m, OPT_TABLE), "OrdersTable");
    assert_string_equal(mapping_ref(m, OPT_FUNCTION), "ProcessOrdersFunction");
    assert_string_equal(m->role_ref, "ProcessOrdersRole");
    assert_null(m->function_role);
    assert_string_equal(m->table_name, "orders");
    assert_null(mapping_ref(m, OPT_ON_FAILURE));
    assert_null(mapping_ref(m, OPT_BATCH_SIZE));
    mapping_free(m);
}

/* Typing a value drops the reference; unpicking drops what came with it. */
static void test_pick_text_and_unpick(void **state)
{
    (void)state;
    mapping *m = template_mapping();
    char *err = NULL;
    assert_int_equal(mapping_pick_text(m, OPT_TABLE, STREAM, &err), 0);
    assert_null(mapping_ref(m, OPT_TABLE));
    assert_string_equal(m->table_name, "orders");
    assert_int_equal(mapping_pick_text(m, OPT_FUNCTION, "other-function", &err), 0);
    assert_null(m->function_ref);
    assert_null(m->role_ref);
    assert_int_equal(mapping_pick_text(m, OPT_BATCH_SIZE, "0", &err), -1);
    free(err);
    mapping_unpick(m, OPT_TABLE);
    assert_false(mapping_is_set(m, OPT_TABLE));
    assert_null(m->table_name);
    inv_item f = function_item();
    pick_ok(m, OPT_FUNCTION, &f);
    mapping_pick_role(m, ROLE);
    assert_null(m->role_ref);
    assert_string_equal(m->function_role, ROLE);
    mapping_unpick(m, OPT_FUNCTION);
    assert_null(m->function_ref);
    assert_null(m->function_role);
    mapping_free(m);
}

/* Items that cannot be picked say why, and leave the mapping as it was. */
static void test_pick_refusals(void **state)
{
    (void)state;
    mapping *m = mapping_new();
    inv_item t = table_item();
    t.stream_enabled = false;
    char *err = NULL;
    assert_int_equal(mapping_pick_table(m, &t, true, &err), -1);
    assert_non_null(strstr(err, "StreamSpecification"));
    free(err);
    t = table_item();
    assert_int_equal(mapping_pick_table(m, &t, false, &err), -1);
    assert_non_null(strstr(err, "another template"));
    free(err);
    inv_item q = queue_item();
    q.fifo = true;
    assert_int_equal(mapping_pick_destination(m, &q, true, &err), -1);
    assert_non_null(strstr(err, "FIFO"));
    free(err);
    assert_int_equal(mapping_pick_table(m, &q, true, &err), -1);
    assert_non_null(strstr(err, "not a value for --table"));
    free(err);
    inv_item aws = {
        .kind = INV_TABLE, .name = "customers", .region = "us-east-1", .stream_known = true};
    assert_int_equal(mapping_pick_table(m, &aws, true, &err), -1);
    assert_string_equal(err, "customers: the table has no stream; enable one with: aws dynamodb "
                             "update-table --table-name customers --region us-east-1 "
                             "--stream-specification "
                             "StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES");
    free(err);
    char *why = mapping_pick_refusal(OPT_TABLE, &aws, true);
    assert_non_null(why);
    free(why);
    aws.stream_known = false; /* from list-tables: names only */
    why = mapping_pick_refusal(OPT_TABLE, &aws, true);
    assert_non_null(strstr(why, "customers: the inventory knows the table only by name"));
    free(why);
    mapping *empty = mapping_new();
    assert_true(mapping_equal(m, empty));
    mapping_free(empty);
    mapping_free(m);
}

/* An item with a literal ARN and a logical ID gives both. */
static void test_pick_both(void **state)
{
    (void)state;
    mapping *m = mapping_new();
    inv_item t = table_item();
    t.stream_arn = STREAM;
    pick_ok(m, OPT_TABLE, &t);
    assert_string_equal(mapping_get(m, OPT_TABLE)->str, STREAM);
    assert_string_equal(m->table_ref, "OrdersTable");
    char *err = NULL;
    assert_int_equal(mapping_pick_table(m, &t, false, &err), 0);
    assert_null(m->table_ref);
    mapping_free(m);
}

/* Items known by name alone: a function by its name, a bucket by its ARN. */
static void test_pick_names_alone(void **state)
{
    (void)state;
    mapping *m = mapping_new();
    inv_item f = {.kind = INV_FUNCTION, .name = "process-orders", .role_arn = ROLE};
    inv_item b = {.kind = INV_BUCKET, .name = "failures", .region = "cn-north-1"};
    pick_ok(m, OPT_FUNCTION, &f);
    pick_ok(m, OPT_ON_FAILURE, &b);
    assert_string_equal(mapping_get(m, OPT_FUNCTION)->str, "process-orders");
    assert_string_equal(m->function_role, ROLE);
    assert_null(m->function_ref);
    assert_string_equal(mapping_get(m, OPT_ON_FAILURE)->str, "arn:aws-cn:s3:::failures");
    inv_item q = {.kind = INV_QUEUE, .name = "q"};
    char *err = NULL;
    assert_int_equal(mapping_pick_destination(m, &q, true, &err), -1);
    assert_string_equal(err, "q: its ARN is not known; give the ARN");
    free(err);
    mapping_free(m);
}

/* Finding items by name, ARN or logical ID, the merge template's first. */
static void test_pick_find(void **state)
{
    (void)state;
    inv_item items[3] = {table_item(), table_item(), table_item()};
    items[0].source = "other.yaml";
    items[1].name = "orders-copy";
    items[2].logical_id = "Archive";
    items[2].arn = "arn:aws:dynamodb:us-east-1:123456789012:table/archive";
    inventory inv = {.items = items, .n = 3, .cap = 3};
    assert_ptr_equal(mapping_pick_find(&inv, INV_TABLE, "OrdersTable", NULL), &items[0]);
    assert_ptr_equal(mapping_pick_find(&inv, INV_TABLE, "OrdersTable", SOURCE), &items[1]);
    assert_ptr_equal(mapping_pick_find(&inv, INV_TABLE, "orders-copy", NULL), &items[1]);
    assert_ptr_equal(mapping_pick_find(&inv, INV_TABLE, items[2].arn, NULL), &items[2]);
    assert_null(mapping_pick_find(&inv, INV_FUNCTION, "OrdersTable", NULL));
    assert_null(mapping_pick_find(&inv, INV_TABLE, "nothing", SOURCE));
}

/* A reference satisfies the required table and function. */
static void test_validate_with_refs(void **state)
{
    (void)state;
    mapping *m = template_mapping();
    diag_list l = {0};
    mapping_validate(m, &l);
    assert_int_equal(diag_count(&l, DIAG_ERROR), 0);
    diag_list_free(&l);
    /* a destination from the template counts as one: no "lost" warning */
    mapping_unpick(m, OPT_ON_FAILURE);
    inv_item q = queue_item();
    pick_ok(m, OPT_ON_FAILURE, &q);
    mapping_validate(m, &l);
    assert_int_equal(l.n, 0);
    diag_list_free(&l);
    mapping_unpick(m, OPT_ON_FAILURE);
    mapping_validate(m, &l);
    assert_int_equal(diag_count(&l, DIAG_WARNING), 1);
    assert_int_equal(l.items[0].opt, OPT_ON_FAILURE);
    diag_list_free(&l);
    mapping_unpick(m, OPT_TABLE);
    mapping_validate(m, &l);
    assert_int_equal(diag_count(&l, DIAG_ERROR), 1);
    assert_int_equal(l.items[0].opt, OPT_TABLE);
    diag_list_free(&l);
    mapping_free(m);
}

/* Both CloudFormation formats, byte for byte, and the YAML reads back as
 * the JSON. */
static void test_golden_refs(void **state)
{
    (void)state;
    mapping *m = template_mapping();
    char *json = render_ok(m, FMT_CFN_JSON);
    char *yaml = render_ok(m, FMT_CFN_YAML);
    check_golden("refs", FMT_CFN_JSON, json);
    check_golden("refs", FMT_CFN_YAML, yaml);
    char *err = NULL;
    cJSON *a = cJSON_Parse(json);
    cJSON *b = export_yaml_read(yaml, strlen(yaml), "refs.cfn.yaml", &err);
    if (!b)
        fail_msg("%s", err);
    assert_true(cJSON_Compare(a, b, 1));
    /* EventSourceArn and FunctionName keep their places, first. */
    cJSON *props = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(a, "Resources"),
                                                           "OrdersProcessOrdersFunctionMapping"),
                                       "Properties");
    assert_non_null(props);
    assert_string_equal(props->child->string, opt_get(OPT_TABLE)->cfn);
    assert_string_equal(props->child->next->string, opt_get(OPT_FUNCTION)->cfn);
    cJSON_Delete(a);
    cJSON_Delete(b);
    free(json);
    free(yaml);
    mapping_free(m);
}

/* Table from a template, function and role as literal ARNs: the policy's
 * Roles hold the role's name. */
static void test_golden_mixed(void **state)
{
    (void)state;
    mapping *m = mapping_new();
    inv_item t = table_item();
    pick_ok(m, OPT_TABLE, &t);
    set_ok(m, OPT_FUNCTION, "arn:aws:lambda:us-east-1:123456789012:function:process-orders");
    set_ok(m, OPT_STARTING_POSITION, "LATEST");
    set_ok(m, OPT_ON_FAILURE, "arn:aws:s3:::orders-failures");
    mapping_set_role(m, ROLE);
    char *json = render_ok(m, FMT_CFN_JSON);
    char *yaml = render_ok(m, FMT_CFN_YAML);
    check_golden("refs-mixed", FMT_CFN_JSON, json);
    check_golden("refs-mixed", FMT_CFN_YAML, yaml);
    free(json);
    free(yaml);
    mapping_free(m);
}

/* The API JSON cannot refer to a template: it refuses and says what to do. */
static void test_json_refuses_refs(void **state)
{
    (void)state;
    mapping *m = template_mapping();
    char *err = NULL;
    assert_null(export_render(m, FMT_JSON, &err));
    assert_string_equal(err, "--table: the table comes from a template (OrdersTable): the API "
                             "JSON needs its stream ARN; use --format cfn-yaml or cfn-json, or "
                             "give the stream ARN");
    free(err);
    set_ok(m, OPT_TABLE, STREAM); /* keeps table_ref: both known */
    assert_null(export_render(m, FMT_JSON, &err));
    assert_non_null(strstr(err, "--function: the function comes from a template "
                                "(ProcessOrdersFunction): the API JSON needs its name or ARN"));
    free(err);
    set_ok(m, OPT_FUNCTION, "process-orders");
    char *json = render_ok(m, FMT_JSON);
    assert_non_null(strstr(json, STREAM));
    assert_null(strstr(json, "OrdersTable"));
    free(json);
    char *cfn = render_ok(m, FMT_CFN_JSON); /* the references win in templates */
    assert_non_null(strstr(cfn, "\"OrdersTable\""));
    assert_null(strstr(cfn, STREAM));
    free(cfn);
    mapping_free(m);
}

/* A destination from a template without its ARN: the pick remembers that
 * it is a queue, so the template refers to it and grants sqs:SendMessage;
 * a reference whose kind nobody knows is refused with a way out. */
static void test_destination_ref_kind(void **state)
{
    (void)state;
    mapping *m = template_mapping();
    mapping_unpick(m, OPT_ON_FAILURE);
    inv_item q = queue_item();
    pick_ok(m, OPT_ON_FAILURE, &q);
    char *err = NULL;
    char *cfn = export_render(m, FMT_CFN_JSON, &err);
    assert_non_null(cfn);
    assert_non_null(strstr(cfn, "\"OrdersDlq\""));
    assert_non_null(strstr(cfn, "sqs:SendMessage"));
    free(cfn);
    m->destination_kind = ARN_OTHER;
    assert_null(export_render(m, FMT_CFN_YAML, &err));
    assert_non_null(strstr(err, "--on-failure: the destination comes from a template (OrdersDlq)"));
    assert_non_null(strstr(err, "--merge-into"));
    free(err);
    mapping_free(m);
}

/* Without a table name, the logical ID and file name come from the refs. */
static void test_names_from_refs(void **state)
{
    (void)state;
    mapping *m = template_mapping();
    free(m->table_name);
    m->table_name = NULL;
    char *id = export_logical_id(m);
    assert_string_equal(id, "OrdersTableProcessOrdersFunctionMapping");
    free(id);
    char *path = export_suggested_path(m, FMT_CFN_YAML);
    assert_string_equal(path, "OrdersTable-ProcessOrdersFunction.cfn.yaml");
    free(path);
    mapping_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pick_template_items),  cmocka_unit_test(test_pick_text_and_unpick),
        cmocka_unit_test(test_pick_refusals),        cmocka_unit_test(test_pick_both),
        cmocka_unit_test(test_pick_names_alone),     cmocka_unit_test(test_pick_find),
        cmocka_unit_test(test_validate_with_refs),   cmocka_unit_test(test_golden_refs),
        cmocka_unit_test(test_golden_mixed),         cmocka_unit_test(test_json_refuses_refs),
        cmocka_unit_test(test_destination_ref_kind), cmocka_unit_test(test_names_from_refs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
