/* export/: golden files for every format, YAML read back equal to the JSON
 * template, quoting of awkward strings, refusal of invalid mappings, and the
 * derived names. UPDATE_GOLDEN=1 rewrites the golden files (review them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "export/export.h"
#include "export/yaml_read.h"
#include "model/mapping.h"
#include "model/util.h"

#define STREAM "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000"
#define ROLE "arn:aws:iam::123456789012:role/service-role/process-orders-role"

/* One golden case: option settings as (flag, value) pairs, NULL-ended. */
typedef struct golden_case {
    const char *name;
    const char *role;
    const char *const *settings;
} golden_case;

static const char *const minimal_settings[] = {
    "table", STREAM, "function", "process-orders", "starting-position", "TRIM_HORIZON", NULL};

static const char *const full_settings[] = {
    "table",
    STREAM,
    "function",
    "arn:aws:lambda:us-east-1:123456789012:function:process-orders:live",
    "starting-position",
    "LATEST",
    "batch-size",
    "500",
    "max-batching-window",
    "10s",
    "tumbling-window",
    "2m",
    "bisect-batch-on-error",
    "true",
    "retry-attempts",
    "3",
    "max-record-age",
    "1h",
    "on-failure",
    "arn:aws:sqs:us-east-1:123456789012:orders-dlq",
    "report-batch-item-failures",
    "true",
    "parallelization-factor",
    "1",
    "filter",
    "{\"eventName\": [\"INSERT\", \"MODIFY\"]}",
    "filter",
    "{\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": [\"yes: #1\"]}}}}",
    "filter-kms-key",
    "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "enabled",
    "false",
    "metrics",
    "EventCount",
    "tag",
    "team=payments",
    "tag",
    "env=yes",
    NULL};

static const char *const sqs_settings[] = {"table",
                                           STREAM,
                                           "function",
                                           "process-orders",
                                           "starting-position",
                                           "TRIM_HORIZON",
                                           "on-failure",
                                           "arn:aws:sqs:us-east-1:123456789012:orders-dlq",
                                           NULL};

static const char *const sns_settings[] = {"table",
                                           STREAM,
                                           "function",
                                           "process-orders",
                                           "starting-position",
                                           "TRIM_HORIZON",
                                           "on-failure",
                                           "arn:aws:sns:us-east-1:123456789012:orders-failures",
                                           NULL};

static const char *const s3_settings[] = {"table",
                                          STREAM,
                                          "function",
                                          "process-orders",
                                          "starting-position",
                                          "TRIM_HORIZON",
                                          "on-failure",
                                          "arn:aws:s3:::orders-failures",
                                          NULL};

static const golden_case cases[] = {
    {"minimal", NULL, minimal_settings}, {"full", ROLE, full_settings},
    {"role-sqs", ROLE, sqs_settings},    {"role-sns", ROLE, sns_settings},
    {"role-s3", ROLE, s3_settings},
};

/* A mapping from (flag, value) pairs; fails the test on a rejected value. */
static mapping *build(const char *const *settings, const char *role)
{
    mapping *m = mapping_new();
    for (size_t i = 0; settings[i]; i += 2) {
        const opt_def *d = opt_find(settings[i]);
        assert_non_null(d);
        char *err = NULL;
        if (mapping_set(m, d->id, settings[i + 1], &err) < 0)
            fail_msg("%s %s: %s", settings[i], settings[i + 1], err);
    }
    if (role)
        mapping_set_role(m, role);
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

/* Compare TEXT with the golden file NAME+ext, or rewrite it under UPDATE_GOLDEN. */
static void check_golden(const char *name, export_format f, const char *text)
{
    char *path = xasprintf("%s/golden/%s%s", FIXTURES, name, export_format_ext(f));
    char *err = NULL;
    if (getenv("UPDATE_GOLDEN")) {
        if (export_write_atomic(path, text, strlen(text), &err) < 0)
            fail_msg("%s", err);
    }
    size_t len = 0;
    char *want = file_read_all(path, 1 << 20, &len, &err);
    if (!want)
        fail_msg("%s (UPDATE_GOLDEN=1 writes it)", err);
    if (strcmp(want, text) != 0)
        fail_msg("%s differs from the rendering:\n%s", path, text);
    free(want);
    free(path);
}

/* Every golden case in every format, byte for byte. */
static void test_golden_files(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapping *m = build(cases[i].settings, cases[i].role);
        for (int f = 0; f < FMT_COUNT; f++) {
            if (f == FMT_UPDATE_JSON)
                continue; /* needs a loaded mapping: tests/unit/test_load.c */
            char *out = render_ok(m, (export_format)f);
            check_golden(cases[i].name, (export_format)f, out);
            free(out);
        }
        mapping_free(m);
    }
}

/* The cfn-yaml rendering of M reads back as the cfn-json one. */
static void assert_yaml_matches_json(const mapping *m)
{
    char *json = render_ok(m, FMT_CFN_JSON);
    char *yaml = render_ok(m, FMT_CFN_YAML);
    char *err = NULL;
    cJSON *a = cJSON_Parse(json);
    cJSON *b = export_yaml_read(yaml, strlen(yaml), "render", &err);
    assert_non_null(a);
    if (!b)
        fail_msg("%s\n%s", err, yaml);
    if (!cJSON_Compare(a, b, 1))
        fail_msg("YAML reads back differently:\n%s\n%s", yaml, json);
    cJSON_Delete(a);
    cJSON_Delete(b);
    free(json);
    free(yaml);
}

/* Each golden case's YAML equals its JSON template. */
static void test_yaml_equals_json(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapping *m = build(cases[i].settings, cases[i].role);
        assert_yaml_matches_json(m);
        mapping_free(m);
    }
}

/* Awkward tag values and filter patterns survive the YAML round trip and
 * never turn into numbers, booleans, nulls, maps or tags. */
static void test_awkward_strings_round_trip(void **state)
{
    (void)state;
    static const char *const tags[] = {
        "a=yes", "b=No",         "c=null", "d=-1",    "e=0123", "f=1e3",   "g=a: b", "h=@home",
        "i==",   "j=:",          "k=a:",   "l=+1",    "m=.5",   "n= lead", "o=",     "p=true",
        "q=- x", "r=2010-09-09", "s=off",  "t=12:30", "u=Y",    NULL};
    static const char *const patterns[] = {
        "{\"k\": [\"it's \\\"quoted\\\" #x: y\\nline\"]}",
        "{\"k\": [\"yes\", \"null\", \"*\", \"!Ref X\", \"- dash\", \"# c\", \"& a\"]}",
        "{\"k\": [{\"prefix\": \"\\\\back\\tslash\"}]}", NULL};
    mapping *m = build(minimal_settings, ROLE);
    char *err = NULL;
    for (size_t i = 0; tags[i]; i++)
        if (mapping_set(m, OPT_TAGS, tags[i], &err) < 0)
            fail_msg("%s: %s", tags[i], err);
    for (size_t i = 0; patterns[i]; i++)
        if (mapping_set(m, OPT_FILTERS, patterns[i], &err) < 0)
            fail_msg("%s: %s", patterns[i], err);
    assert_yaml_matches_json(m);
    char *yaml = render_ok(m, FMT_CFN_YAML);
    /* Spot checks of how a person would write them. */
    assert_non_null(strstr(yaml, "Value: \"yes\"\n"));
    assert_non_null(strstr(yaml, "Value: \"a: b\"\n"));
    assert_non_null(strstr(yaml, "Value: \"\"\n"));
    assert_non_null(strstr(yaml, "Resource: \"*\"\n"));
    assert_non_null(strstr(yaml, "AWSTemplateFormatVersion: \"2010-09-09\"\n"));
    assert_non_null(strstr(yaml, "Pattern: '{\"k\": [\"yes\""));
    free(yaml);
    mapping_free(m);
}

/* Unset options are left out, BatchSize is always written, and a flag list
 * set to false is left out. */
static void test_left_out_and_defaults(void **state)
{
    (void)state;
    mapping *m = build(minimal_settings, NULL);
    char *err = NULL;
    assert_int_equal(mapping_set(m, OPT_REPORT_BATCH_ITEM_FAILURES, "false", &err), 0);
    char *json = render_ok(m, FMT_JSON);
    cJSON *t = cJSON_Parse(json);
    assert_non_null(t);
    assert_int_equal(cJSON_GetArraySize(t), 4);
    const opt_def *bs = opt_get(OPT_BATCH_SIZE);
    cJSON *n = cJSON_GetObjectItemCaseSensitive(t, bs->api);
    assert_true(cJSON_IsNumber(n));
    assert_int_equal((long long)n->valuedouble, bs->default_num);
    assert_null(cJSON_GetObjectItemCaseSensitive(t, opt_get(OPT_REPORT_BATCH_ITEM_FAILURES)->api));
    cJSON_Delete(t);
    free(json);
    mapping_free(m);
}

/* Rendering refuses a mapping with a validation error and says which. */
static void test_refuses_invalid(void **state)
{
    (void)state;
    mapping *m = mapping_new();
    char *err = NULL;
    assert_int_equal(mapping_set(m, OPT_FUNCTION, "process-orders", &err), 0);
    for (int f = 0; f < FMT_COUNT; f++) {
        err = NULL;
        assert_null(export_render(m, (export_format)f, &err));
        assert_non_null(err);
        assert_non_null(strstr(err, "--table: is required"));
        free(err);
    }
    mapping_free(m);
    m = build(minimal_settings, NULL);
    assert_int_equal(
        mapping_set(m, OPT_FILTER_KMS_KEY, "arn:aws:kms:us-east-1:123456789012:key/abcd", &err), 0);
    assert_null(export_render(m, FMT_CFN_YAML, &err));
    assert_non_null(strstr(err, "--filter-kms-key: needs at least one filter"));
    free(err);
    mapping_free(m);
}

/* The logical ID: given, or CamelCase of table and function names. */
static void test_logical_id(void **state)
{
    (void)state;
    mapping *m = build(minimal_settings, NULL);
    char *id = export_logical_id(m);
    assert_string_equal(id, "OrdersProcessOrdersMapping");
    free(id);
    char *err = NULL;
    assert_int_equal(mapping_set(m, OPT_FUNCTION,
                                 "arn:aws:lambda:us-east-1:123456789012:function:send_mail:42",
                                 &err),
                     0);
    m->table_name = xstrdup("my-orders.v2");
    id = export_logical_id(m);
    assert_string_equal(id, "MyOrdersV2SendMailMapping");
    free(id);
    mapping_set_logical_id(m, "Custom1");
    id = export_logical_id(m);
    assert_string_equal(id, "Custom1");
    free(id);
    mapping_free(m);
}

/* A derived ID stays within 128 characters (CloudFormation takes 255; YAML
 * writes longer keys in the "? key" form), with room for the policy's
 * "Policy" suffix. */
static void test_logical_id_long(void **state)
{
    (void)state;
    mapping *m = build(minimal_settings, ROLE);
    char name[300];
    memset(name, 'a', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    m->table_name = xstrdup(name);
    char *id = export_logical_id(m);
    assert_true(strlen(id) <= 128 - strlen("Policy"));
    assert_non_null(strstr(id, "Mapping"));
    free(id);
    char *json = render_ok(m, FMT_CFN_JSON);
    cJSON *t = cJSON_Parse(json);
    for (cJSON *r = cJSON_GetObjectItem(t, "Resources")->child; r; r = r->next)
        assert_true(strlen(r->string) <= 128);
    char *yaml = render_ok(m, FMT_CFN_YAML);
    assert_null(strstr(yaml, "? "));
    free(yaml);
    cJSON_Delete(t);
    free(json);
    mapping_free(m);
}

/* Suggested file names: table-function plus the format's extension, safe. */
static void test_suggested_path(void **state)
{
    (void)state;
    mapping *m = build(minimal_settings, NULL);
    char *p = export_suggested_path(m, FMT_CFN_YAML);
    assert_string_equal(p, "orders-process-orders.cfn.yaml");
    free(p);
    p = export_suggested_path(m, FMT_JSON);
    assert_string_equal(p, "orders-process-orders.json");
    free(p);
    m->table_name = xstrdup("../a b/c");
    p = export_suggested_path(m, FMT_CFN_JSON);
    assert_string_equal(p, "_._a_b_c-process-orders.cfn.json");
    free(p);
    mapping_free(m);
    m = mapping_new();
    p = export_suggested_path(m, FMT_JSON);
    assert_string_equal(p, "mapping.json");
    free(p);
    mapping_free(m);
}

/* Format names and titles, and parsing of names. */
static void test_format_names(void **state)
{
    (void)state;
    export_format f;
    for (int i = 0; i < FMT_COUNT; i++) {
        assert_int_equal(export_format_parse(export_format_name((export_format)i), &f), 0);
        assert_int_equal(f, i);
        assert_true(strlen(export_format_title((export_format)i)) > 0);
    }
    assert_string_equal(export_format_name(FMT_CFN_YAML), "cfn-yaml");
    assert_int_equal(export_format_parse("yaml", &f), -1);
    assert_int_equal(export_format_parse(NULL, &f), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_files),
        cmocka_unit_test(test_yaml_equals_json),
        cmocka_unit_test(test_awkward_strings_round_trip),
        cmocka_unit_test(test_left_out_and_defaults),
        cmocka_unit_test(test_refuses_invalid),
        cmocka_unit_test(test_logical_id),
        cmocka_unit_test(test_logical_id_long),
        cmocka_unit_test(test_suggested_path),
        cmocka_unit_test(test_format_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
