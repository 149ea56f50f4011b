/* Bounds of the readers: wide objects (many members), duplicate keys at
 * either end of a wide YAML mapping, the member limit of JSON documents
 * read by --load and --check, a merge into a template with a wide resource,
 * and filter patterns with raw control characters. Each is refused with a
 * clear message or handled in linear time (the quadratic versions took
 * seconds to minutes on these inputs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "export/load.h"
#include "export/merge.h"
#include "export/yaml_read.h"
#include "model/util.h"
#include "model/value.h"

#define STREAM "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000"

/* A YAML mapping of N keys "kI: I" under "Resources: R: Properties:",
 * with key DUP repeated last when not NULL. Caller frees. */
static char *wide_yaml(size_t n, const char *dup)
{
    strbuf b = {0};
    sb_add(&b, "Resources:\n  R:\n    Type: AWS::SNS::Topic\n    Properties:\n");
    for (size_t i = 0; i < n; i++)
        sb_addf(&b, "      k%zu: %zu\n", i, i);
    if (dup)
        sb_addf(&b, "      %s: again\n", dup);
    return sb_take(&b);
}

/* Duplicates are found at either end of a mapping of 9999 keys. */
static void yaml_duplicates(void **state)
{
    (void)state;
    const char *dups[] = {"k0", "k9998"};
    for (size_t i = 0; i < 2; i++) {
        char *text = wide_yaml(9999, dups[i]);
        char *err = NULL;
        cJSON *t = export_yaml_read(text, strlen(text), "w.yaml", &err);
        assert_null(t);
        char *want = xasprintf("duplicate key \"%s\"", dups[i]);
        if (!err || !strstr(err, want))
            fail_msg("%s lacks %s", err ? err : "(none)", want);
        free(want);
        free(err);
        free(text);
    }
    char *text = wide_yaml(9999, NULL);
    char *err = NULL;
    cJSON *t = export_yaml_read(text, strlen(text), "w.yaml", &err);
    assert_non_null(t);
    cJSON_Delete(t);
    free(text);
    text = wide_yaml(10001, NULL);
    assert_null(export_yaml_read(text, strlen(text), "w.yaml", &err));
    assert_non_null(strstr(err, "more than 10000 keys in one mapping"));
    free(err);
    free(text);
}

/* A JSON document for --load / --check with N unknown properties. */
static char *wide_json(size_t n)
{
    strbuf b = {0};
    sb_add(&b, "{\"Resources\": {\"M\": {\"Type\": \"AWS::Lambda::EventSourceMapping\", "
               "\"Properties\": {\"EventSourceArn\": \"" STREAM "\", \"FunctionName\": \"f\", "
               "\"StartingPosition\": \"LATEST\"");
    for (size_t i = 0; i < n; i++)
        sb_addf(&b, ", \"U%zu\": %zu", i, i);
    sb_add(&b, "}}}}");
    return sb_take(&b);
}

/* JSON objects take at most as many members as YAML mappings. */
static void json_members(void **state)
{
    (void)state;
    char *text = wide_json(20000);
    load_options o = {.source = "w.json"};
    load_report r = {0};
    mapping *m = mapping_new();
    assert_int_equal(load_mapping(text, strlen(text), &o, m, NULL, &r), LOAD_INVALID);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.items[0].message, "an object has more than 10000 members");
    load_report_free(&r);
    assert_true(load_check(text, strlen(text), &o, NULL, &r) == 1);
    load_report_free(&r);
    mapping_free(m);
    free(text);
    /* Within the limit every unknown property is reported. */
    text = wide_json(2000);
    m = mapping_new();
    assert_int_equal(load_mapping(text, strlen(text), &o, m, NULL, &r), LOAD_INVALID);
    assert_true(r.n >= 2000);
    load_report_free(&r);
    mapping_free(m);
    free(text);
}

/* A merge into a template with a resource of 5000 properties (JSON and
 * YAML) reads back in linear time (cJSON_Compare took seconds). */
static void merge_wide(void **state)
{
    (void)state;
    mapping *m = mapping_new();
    char *err = NULL;
    assert_int_equal(mapping_set(m, OPT_TABLE, STREAM, &err), 0);
    assert_int_equal(mapping_set(m, OPT_FUNCTION, "process-orders", &err), 0);
    assert_int_equal(mapping_set(m, OPT_STARTING_POSITION, "LATEST", &err), 0);
    char *yaml = wide_yaml(5000, NULL);
    char *out = export_merge(m, yaml, strlen(yaml), "w.yaml", &err);
    if (!out)
        fail_msg("%s", err);
    assert_non_null(strstr(out, "AWS::Lambda::EventSourceMapping"));
    free(out);
    free(yaml);
    strbuf b = {0};
    sb_add(&b, "{\"Resources\": {\"R\": {\"Type\": \"AWS::SNS::Topic\", \"Properties\": {");
    for (size_t i = 0; i < 5000; i++)
        sb_addf(&b, "%s\"k%zu\": %zu", i ? ", " : "", i, i);
    sb_add(&b, "}}}}\n");
    char *json = sb_take(&b);
    out = export_merge(m, json, strlen(json), "w.json", &err);
    if (!out)
        fail_msg("%s", err);
    free(out);
    free(json);
    mapping_free(m);
}

/* JSON forbids control characters inside strings; cJSON takes them, AWS
 * would not: a pattern with one is refused, shown escaped. */
static void pattern_control(void **state)
{
    (void)state;
    char *err = NULL;
    assert_int_equal(value_check_pattern("{\"a\": [\"x\x1b[2Jy\"]}", &err), -1);
    assert_string_equal(err, "{\"a\": [\"x\\x1b[2Jy\"]} is not valid JSON (a control character "
                             "inside a string at character 10: write it as \\u001b)");
    free(err);
    assert_int_equal(value_check_pattern("{\"a\": [\"x\ty\"]}", &err), -1);
    free(err);
    /* Escaped, they are fine; so is white space outside strings. */
    assert_int_equal(value_check_pattern("{\"a\": [\"x\\u001b\\t\\\"y\"]}", &err), 0);
    assert_int_equal(value_check_pattern("{\n\t\"a\": [1]\r\n}", &err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(yaml_duplicates),
        cmocka_unit_test(json_members),
        cmocka_unit_test(merge_wide),
        cmocka_unit_test(pattern_control),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
