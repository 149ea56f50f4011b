/* export/yaml_emit.c and export/yaml_read.c: any string survives the round
 * trip as a string, block style as a person writes it, CloudFormation's
 * short-form tags, and errors with line numbers and limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "export/render.h"
#include "export/yaml_read.h"
#include "model/util.h"

/* Strings a careless emitter writes so that they read back as something
 * else, or not at all. */
static const char *const awkward[] = {"yes",
                                      "no",
                                      "on",
                                      "off",
                                      "true",
                                      "false",
                                      "null",
                                      "~",
                                      "",
                                      "Yes",
                                      "NO",
                                      "TRUE",
                                      "Off",
                                      "y",
                                      "n",
                                      "NULL",
                                      "-",
                                      "- x",
                                      "-x",
                                      "--",
                                      "---",
                                      "...",
                                      "*",
                                      "*x",
                                      "&a",
                                      "!Ref X",
                                      "!!str",
                                      "%x",
                                      "@x",
                                      "`x",
                                      "a: b",
                                      "a #b",
                                      "a#b",
                                      "#x",
                                      "x:",
                                      ":x",
                                      "?",
                                      "? x",
                                      "|",
                                      ">",
                                      "'",
                                      "\"",
                                      "it's",
                                      "say \"hi\"",
                                      "both ' and \"",
                                      "line1\nline2",
                                      "trailing\n",
                                      "tab\there",
                                      " lead",
                                      "trail ",
                                      "123",
                                      "0123",
                                      "0x1F",
                                      "0o17",
                                      "1e3",
                                      "1.5",
                                      ".5",
                                      "+1",
                                      "-1",
                                      "1_000",
                                      "2010-09-09",
                                      "12:30",
                                      "12:30:00",
                                      ".inf",
                                      "-.inf",
                                      ".nan",
                                      "<<",
                                      "=",
                                      "{a: 1}",
                                      "[1]",
                                      "a, b",
                                      "\\back",
                                      "\xc3\xbc"
                                      "n\xc3\xaf"
                                      "c\xc3\xb6"
                                      "de",
                                      "\x1b[31m",
                                      "\r",
                                      "a\x7f",
                                      "{\"a\": [\"b\"]}",
                                      "arn:aws:sqs:us-east-1:123456789012:q",
                                      "arn:aws:s3:::b/*",
                                      "Fn::GetAtt",
                                      "plain words",
                                      NULL};

/* TREE printed as YAML and read back; fails the test when unequal. */
static void assert_round_trip(const cJSON *tree)
{
    char *err = NULL;
    char *yaml = export_yaml_print(tree, &err);
    if (!yaml)
        fail_msg("emit: %s", err);
    cJSON *back = export_yaml_read(yaml, strlen(yaml), "t", &err);
    if (!back)
        fail_msg("read: %s\n%s", err, yaml);
    if (!cJSON_Compare(tree, back, 1)) {
        char *j = cJSON_Print(back);
        fail_msg("differs:\n%s\nread as\n%s", yaml, j);
    }
    cJSON_Delete(back);
    free(yaml);
}

/* Every awkward string as a value, a list item and a key. */
static void test_awkward_strings(void **state)
{
    (void)state;
    for (size_t i = 0; awkward[i]; i++) {
        cJSON *t = cJSON_CreateObject();
        cJSON_AddStringToObject(t, "v", awkward[i]);
        cJSON *list = cJSON_AddArrayToObject(t, "l");
        cJSON_AddItemToArray(list, cJSON_CreateString(awkward[i]));
        cJSON *keyed = cJSON_AddObjectToObject(t, "k");
        cJSON_AddNumberToObject(keyed, awkward[i], 1);
        assert_round_trip(t);
        cJSON_Delete(t);
    }
}

/* A key too long for libyaml's simple keys ("? key" form) reads back. */
static void test_long_key(void **state)
{
    (void)state;
    char key[301];
    memset(key, 'K', sizeof key - 1);
    key[sizeof key - 1] = '\0';
    cJSON *t = cJSON_CreateObject();
    cJSON_AddStringToObject(cJSON_AddObjectToObject(t, key), key, key);
    assert_round_trip(t);
    cJSON_Delete(t);
}

/* Numbers, booleans, null, empty collections and nesting keep their types. */
static void test_types(void **state)
{
    (void)state;
    cJSON *t = cJSON_Parse("{\"i\": 100, \"neg\": -1, \"big\": 604800, \"f\": 1.5,"
                           " \"t\": true, \"fa\": false, \"n\": null, \"ea\": [], \"eo\": {},"
                           " \"nest\": [[1, [2]], {\"a\": [{\"b\": \"c\"}]}]}");
    assert_non_null(t);
    assert_round_trip(t);
    cJSON_Delete(t);
}

/* The layout a person would write: block style, two spaces, plain where safe. */
static void test_layout(void **state)
{
    (void)state;
    cJSON *t =
        cJSON_Parse("{\"Resources\": {\"M\": {\"Type\": \"AWS::Lambda::EventSourceMapping\","
                    " \"Properties\": {\"BatchSize\": 100, \"Enabled\": false,"
                    " \"Roles\": [\"r\"], \"V\": \"2012-10-17\", \"P\": \"{\\\"a\\\": 1}\"}}}}");
    char *err = NULL;
    char *yaml = export_yaml_print(t, &err);
    assert_string_equal(yaml, "Resources:\n"
                              "  M:\n"
                              "    Type: AWS::Lambda::EventSourceMapping\n"
                              "    Properties:\n"
                              "      BatchSize: 100\n"
                              "      Enabled: false\n"
                              "      Roles:\n"
                              "      - r\n"
                              "      V: \"2012-10-17\"\n"
                              "      P: '{\"a\": 1}'\n");
    free(yaml);
    cJSON_Delete(t);
}

/* Parse TEXT, expecting success; returns the tree printed compactly. */
static char *read_compact(const char *text)
{
    char *err = NULL;
    cJSON *t = export_yaml_read(text, strlen(text), NULL, &err);
    if (!t)
        fail_msg("%s", err);
    char *s = cJSON_PrintUnformatted(t);
    cJSON_Delete(t);
    return s;
}

/* Parse TEXT, expecting an error that contains WANT. */
static void assert_read_error(const char *text, size_t len, const char *want)
{
    char *err = NULL;
    cJSON *t = export_yaml_read(text, len, "f.yaml", &err);
    assert_null(t);
    assert_non_null(err);
    if (!strstr(err, want))
        fail_msg("error \"%s\" lacks \"%s\"", err, want);
    free(err);
}

/* CloudFormation short forms become their long form. */
static void test_cfn_tags(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"a: !Ref Table", "{\"a\":{\"Ref\":\"Table\"}}"},
        {"a: !GetAtt Table.StreamArn", "{\"a\":{\"Fn::GetAtt\":[\"Table\",\"StreamArn\"]}}"},
        {"a: !GetAtt [T, Arn]", "{\"a\":{\"Fn::GetAtt\":[\"T\",\"Arn\"]}}"},
        {"a: !Sub '${AWS::StackName}-x'", "{\"a\":{\"Fn::Sub\":\"${AWS::StackName}-x\"}}"},
        {"a: !Join ['', [a, !Ref B]]", "{\"a\":{\"Fn::Join\":[\"\",[\"a\",{\"Ref\":\"B\"}]]}}"},
        {"a: !Condition IsProd", "{\"a\":{\"Condition\":\"IsProd\"}}"},
        {"a: !GetAZs ''", "{\"a\":{\"Fn::GetAZs\":\"\"}}"},
        {"a: !Ref 123", "{\"a\":{\"Ref\":\"123\"}}"},
        {"a: !!str 123\nb: 123\nc: '123'\nd: yes\ne: ~\nf: 1.5e3\ng: 0123",
         "{\"a\":\"123\",\"b\":123,\"c\":\"123\",\"d\":true,\"e\":null,\"f\":1500,\"g\":\"0123\"}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = read_compact(cases[i][0]);
        assert_string_equal(s, cases[i][1]);
        free(s);
    }
}

/* Errors name the file and line; limits hold. */
static void test_errors(void **state)
{
    (void)state;
    const char *bad = "a: 1\nb: [1, 2\nc: 3\n";
    assert_read_error(bad, strlen(bad), "f.yaml:");
    assert_read_error("a: 1\na: 2\n", 10, "f.yaml:2:1: duplicate key \"a\"");
    assert_read_error("a: &x 1\nb: *x\n", 14, "f.yaml:2:4: aliases");
    assert_read_error("a: !GetAtt Table\n", 17, "f.yaml:1:4: !GetAtt needs");
    assert_read_error("a: !<tag:example.com,1:x> 1\n", 28, "unknown tag");
    assert_read_error("? [a]\n: 1\n", 10, "a key must be");
    assert_read_error("a: 1\n---\nb: 2\n", 14, "only one document");
    assert_read_error("", 0, "empty");
    assert_read_error("a: \"x\\0y\"\n", 10, "NUL");
    assert_read_error("a: 1", EXPORT_YAML_MAX_BYTES + 1, "larger than");
    strbuf many = {0};
    for (int i = 0; i <= EXPORT_YAML_MAX_KEYS; i++)
        sb_addf(&many, "k%d: %d\n", i, i);
    assert_read_error(many.s, many.len, "more than 10000 keys");
    free(many.s);
    strbuf deep = {0};
    for (int i = 0; i <= EXPORT_YAML_MAX_DEPTH; i++)
        sb_add(&deep, "[");
    for (int i = 0; i <= EXPORT_YAML_MAX_DEPTH; i++)
        sb_add(&deep, "]");
    assert_read_error(deep.s, deep.len, "nested deeper than 64");
    deep.s[0] = ' ';
    deep.s[deep.len - 1] = ' ';
    char *ok = read_compact(deep.s);
    free(ok);
    free(deep.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_awkward_strings), cmocka_unit_test(test_long_key),
        cmocka_unit_test(test_types),           cmocka_unit_test(test_layout),
        cmocka_unit_test(test_cfn_tags),        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
