/* model/filter_match and model/filter_template: each of Lambda's filter
 * rules on small records, the bundled sample records, the checks that
 * refuse what Lambda refuses, the DynamoDB warnings, the explanation of a
 * failed match, and every template's pattern. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/filter_match.h"
#include "model/filter_samples.h"
#include "model/filter_template.h"
#include "model/mapping.h"
#include "model/util.h"

/* One record from JSON text; fails the test when it is refused. */
static filter_records records_of(const char *json)
{
    filter_records rs;
    char *err = NULL;
    if (filter_records_parse(json, strlen(json), &rs, &err) < 0)
        fail_msg("record refused: %s\n%s", err, json);
    return rs;
}

/* Whether PATTERN matches the first record of RECORD_JSON. */
static bool matches(const char *pattern, const char *record_json)
{
    filter_records rs = records_of(record_json);
    char *err = NULL;
    filter_pattern *p = filter_pattern_parse(pattern, &err);
    if (!p)
        fail_msg("pattern refused: %s\n%s", err, pattern);
    bool ok = filter_pattern_match(p, rs.items[0], NULL);
    filter_pattern_free(p);
    filter_records_free(&rs);
    return ok;
}

/* The error for PATTERN, which must be refused. Caller frees. */
static char *refusal(const char *pattern)
{
    char *err = NULL;
    filter_pattern *p = filter_pattern_parse(pattern, &err);
    if (p)
        fail_msg("pattern accepted: %s", pattern);
    assert_non_null(err);
    return err;
}

/* Assert PATTERN is refused with a message containing PART. */
static void assert_refused(const char *pattern, const char *part)
{
    char *err = refusal(pattern);
    if (!strstr(err, part))
        fail_msg("%s\nrefused with: %s\nexpected: ...%s...", pattern, err, part);
    free(err);
}

#define REC(body) "{\"eventName\": \"INSERT\", " body "}"

/* Strings, numbers (as written), booleans, null and the empty string. */
static void test_exact_values(void **state)
{
    (void)state;
    const char *r = REC("\"s\": \"Alice\", \"n\": 300, \"f\": 1.5, \"b\": true, \"z\": null, "
                        "\"e\": \"\"");
    assert_true(matches("{\"s\": [\"Alice\"]}", r));
    assert_false(matches("{\"s\": [\"alice\"]}", r)); /* case matters */
    assert_true(matches("{\"s\": [\"Bob\", \"Alice\"]}", r));
    assert_true(matches("{\"n\": [300]}", r));
    assert_false(matches("{\"n\": [300.0]}", r));   /* numbers as written */
    assert_false(matches("{\"n\": [\"300\"]}", r)); /* a string is not a number */
    assert_true(matches("{\"f\": [1.5]}", r));
    assert_true(matches("{\"b\": [true]}", r));
    assert_false(matches("{\"b\": [false]}", r));
    assert_false(matches("{\"b\": [\"true\"]}", r));
    assert_true(matches("{\"z\": [null]}", r));
    assert_false(matches("{\"s\": [null]}", r));
    assert_false(matches("{\"missing\": [null]}", r)); /* null is not absent */
    assert_true(matches("{\"e\": [\"\"]}", r));
    assert_false(matches("{\"s\": [\"\"]}", r));
}

/* prefix, suffix, equals-ignore-case: strings only. */
static void test_string_operators(void **state)
{
    (void)state;
    const char *r = REC("\"region\": \"us-east-1\", \"file\": \"a.PNG\", \"n\": 12");
    assert_true(matches("{\"region\": [{\"prefix\": \"us-\"}]}", r));
    assert_false(matches("{\"region\": [{\"prefix\": \"eu-\"}]}", r));
    assert_true(matches("{\"region\": [{\"prefix\": \"\"}]}", r));
    assert_false(matches("{\"n\": [{\"prefix\": \"1\"}]}", r));
    assert_true(matches("{\"file\": [{\"suffix\": \".PNG\"}]}", r));
    assert_false(matches("{\"file\": [{\"suffix\": \".png\"}]}", r));
    assert_true(matches("{\"file\": [{\"equals-ignore-case\": \"A.png\"}]}", r));
    assert_false(matches("{\"file\": [{\"equals-ignore-case\": \"A.pn\"}]}", r));
    assert_false(matches("{\"region\": [{\"suffix\": \"us-east-1-extra\"}]}", r));
}

/* anything-but: a value, a list, numbers, prefix, suffix, ignore case; an
 * absent field never matches. */
static void test_anything_but(void **state)
{
    (void)state;
    const char *r = REC("\"state\": \"running\", \"n\": 100, \"region\": \"us-west-2\"");
    assert_true(matches("{\"state\": [{\"anything-but\": \"stopped\"}]}", r));
    assert_false(matches("{\"state\": [{\"anything-but\": \"running\"}]}", r));
    assert_false(matches("{\"state\": [{\"anything-but\": [\"stopped\", \"running\"]}]}", r));
    assert_true(matches("{\"state\": [{\"anything-but\": [\"stopped\", \"pending\"]}]}", r));
    assert_false(matches("{\"n\": [{\"anything-but\": [100, 200]}]}", r));
    assert_false(matches("{\"n\": [{\"anything-but\": 100.0}]}", r)); /* numbers by value */
    assert_true(matches("{\"n\": [{\"anything-but\": [200, 300]}]}", r));
    assert_true(matches("{\"n\": [{\"anything-but\": \"100\"}]}", r)); /* another type */
    assert_false(matches("{\"region\": [{\"anything-but\": {\"prefix\": \"us-\"}}]}", r));
    assert_true(matches("{\"region\": [{\"anything-but\": {\"prefix\": \"eu-\"}}]}", r));
    assert_false(matches("{\"region\": [{\"anything-but\": {\"suffix\": \"-2\"}}]}", r));
    assert_true(matches("{\"region\": [{\"anything-but\": {\"suffix\": \"-1\"}}]}", r));
    assert_false(
        matches("{\"state\": [{\"anything-but\": {\"equals-ignore-case\": \"RUNNING\"}}]}", r));
    assert_true(matches("{\"missing\": [{\"exists\": false}]}", r));
    assert_false(matches("{\"missing\": [{\"anything-but\": \"x\"}]}", r));
}

/* numeric: =, <, <=, >, >= and ranges, on JSON numbers only. */
static void test_numeric(void **state)
{
    (void)state;
    const char *r = REC("\"p\": 150.5, \"i\": 10, \"s\": \"12\", \"neg\": -3");
    assert_true(matches("{\"p\": [{\"numeric\": [\">\", 10, \"<=\", 150.5]}]}", r));
    assert_false(matches("{\"p\": [{\"numeric\": [\">\", 10, \"<\", 150.5]}]}", r));
    assert_true(matches("{\"i\": [{\"numeric\": [\"=\", 10]}]}", r));
    assert_true(matches("{\"i\": [{\"numeric\": [\"=\", 1e1]}]}", r)); /* by value */
    assert_true(matches("{\"i\": [{\"numeric\": [\">=\", 10]}]}", r));
    assert_false(matches("{\"i\": [{\"numeric\": [\">\", 10]}]}", r));
    assert_true(matches("{\"i\": [{\"numeric\": [\"<=\", 10]}]}", r));
    assert_false(matches("{\"i\": [{\"numeric\": [\"<\", 10]}]}", r));
    assert_true(matches("{\"neg\": [{\"numeric\": [\"<\", 0]}]}", r));
    assert_false(matches("{\"s\": [{\"numeric\": [\">\", 0]}]}", r)); /* strings never */
    assert_false(matches("{\"missing\": [{\"numeric\": [\">\", 0]}]}", r));
}

/* exists true/false, on leaves only. */
static void test_exists(void **state)
{
    (void)state;
    const char *r = REC("\"a\": \"x\", \"z\": null, \"o\": {\"k\": 1}, \"l\": [], \"m\": [1]");
    assert_true(matches("{\"a\": [{\"exists\": true}]}", r));
    assert_false(matches("{\"a\": [{\"exists\": false}]}", r));
    assert_true(matches("{\"z\": [{\"exists\": true}]}", r));
    assert_true(matches("{\"nope\": [{\"exists\": false}]}", r));
    assert_false(matches("{\"nope\": [{\"exists\": true}]}", r));
    assert_false(matches("{\"o\": [{\"exists\": true}]}", r)); /* an object is no leaf */
    assert_true(matches("{\"o\": [{\"exists\": false}]}", r));
    assert_false(matches("{\"l\": [{\"exists\": true}]}", r)); /* an empty list has no value */
    assert_true(matches("{\"m\": [{\"exists\": true}]}", r));
    assert_true(matches("{\"x\": {\"y\": [{\"exists\": false}]}}", r));
}

/* Fields ANDed, values ORed, nested keys, arrays in the record. */
static void test_and_or_nesting(void **state)
{
    (void)state;
    const char *r = REC("\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": \"SHIPPED\"}, "
                        "\"qty\": {\"N\": \"2\"}}}, \"tags\": [\"a\", \"b\"], "
                        "\"items\": [{\"sku\": \"X\", \"n\": 1}, {\"sku\": \"Y\", \"n\": 2}]");
    assert_true(matches("{\"eventName\": [\"INSERT\"], \"dynamodb\": {\"NewImage\": {\"status\": "
                        "{\"S\": [\"SHIPPED\"]}}}}",
                        r));
    assert_false(matches("{\"eventName\": [\"MODIFY\"], \"dynamodb\": {\"NewImage\": {\"status\": "
                         "{\"S\": [\"SHIPPED\"]}}}}",
                         r));
    assert_true(matches("{\"eventName\": [\"MODIFY\", \"INSERT\"]}", r));
    assert_true(matches("{\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": [\"PENDING\", "
                        "{\"prefix\": \"SHIP\"}]}}}}",
                        r));
    assert_true(matches("{\"tags\": [\"b\"]}", r));
    assert_false(matches("{\"tags\": [\"c\"]}", r));
    assert_true(matches("{\"items\": {\"sku\": [\"Y\"], \"n\": [2]}}", r));
    /* ANDed fields come from the same element of an array */
    assert_false(matches("{\"items\": {\"sku\": [\"X\"], \"n\": [2]}}", r));
    /* a deeper path that is not there */
    assert_false(
        matches("{\"dynamodb\": {\"OldImage\": {\"status\": {\"S\": [\"SHIPPED\"]}}}}", r));
}

/* Patterns Lambda refuses, each with a message that says why. */
static void test_invalid_patterns(void **state)
{
    (void)state;
    assert_refused("[1]", "a JSON object");
    assert_refused("{", "not valid JSON");
    assert_refused("{}", "empty object");
    assert_refused("{\"a\": {}}", "a: an empty object");
    assert_refused("{\"a\": \"x\"}", "a: a field's conditions are a list");
    assert_refused("{\"a\": []}", "empty list");
    assert_refused("{\"a\": [[1]]}", "a list inside");
    assert_refused("{\"a\": [{}]}", "empty object is not a condition");
    assert_refused("{\"a\": [{\"prefix\": \"x\", \"suffix\": \"y\"}]}", "exactly one operator");
    assert_refused("{\"a\": [{\"prefix\": 1}]}", "\"prefix\" takes a string");
    assert_refused("{\"a\": [{\"wildcard\": \"*x\"}]}", "no \"wildcard\" operator");
    assert_refused("{\"a\": [{\"cidr\": \"10.0.0.0/8\"}]}", "EventBridge");
    assert_refused("{\"a\": [{\"regex\": \"x\"}]}", "\"regex\" is not an operator");
    assert_refused("{\"$or\": [{\"a\": [1]}, {\"b\": [2]}]}", "several filters");
    assert_refused("{\"prefix\": \"x\"}", "is an operator");
    assert_refused("{\"a\": [{\"exists\": \"yes\"}]}", "true or false");
    assert_refused("{\"a\": [{\"numeric\": [\"<\"]}]}", "\"numeric\" takes");
    assert_refused("{\"a\": [{\"numeric\": [\"<\", 1, \">\", 0]}]}", "\"numeric\" takes");
    assert_refused("{\"a\": [{\"numeric\": [\"=\", 1, \"<\", 2]}]}", "\"numeric\" takes");
    assert_refused("{\"a\": [{\"numeric\": [\">\", \"1\"]}]}", "\"numeric\" takes");
    assert_refused("{\"a\": [{\"numeric\": [\">\", 5, \"<\", 5]}]}", "lower bound");
    assert_refused("{\"a\": [{\"anything-but\": []}]}", "at least one value");
    assert_refused("{\"a\": [{\"anything-but\": [\"x\", 1]}]}", "list of strings or a list");
    assert_refused("{\"a\": [{\"anything-but\": {\"wildcard\": \"x\"}}]}",
                   "\"anything-but\" takes");
    assert_refused("{\"a\": [1], \"a\": [2]}", "appears twice");
    assert_refused("{\"a\": [\"\\ud800\"]}", "surrogate");
    assert_refused("{\"a\": [\"\xff\"]}", "UTF-8");
    assert_refused("{\"a\": [01]}", "expected ','");
    assert_refused("{\"a\": [1]} x", "something follows");
    /* an attribute named like an operator is a field, not an operator */
    char *err = NULL;
    filter_pattern *p = filter_pattern_parse(
        "{\"dynamodb\": {\"NewImage\": {\"prefix\": {\"S\": [\"x\"]}}}}", &err);
    assert_non_null(p);
    filter_pattern_free(p);
}

/* Deep nesting is refused, not recursed into without bound. */
static void test_depth_bound(void **state)
{
    (void)state;
    strbuf b = {0};
    for (int i = 0; i < 200; i++)
        sb_add(&b, "{\"a\": ");
    sb_add(&b, "[1]");
    for (int i = 0; i < 200; i++)
        sb_add(&b, "}");
    char *err = refusal(b.s);
    assert_non_null(strstr(err, "nested too deeply"));
    free(err);
    free(b.s);
}

/* The bundled records: what each sample filter matches. */
static void test_sample_records(void **state)
{
    (void)state;
    static const char *const names[] = {"insert", "modify", "remove"};
    static const struct {
        const char *pattern;
        bool want[3];
    } cases[] = {
        {"{\"eventName\": [\"INSERT\"]}", {true, false, false}},
        {"{\"eventName\": [\"INSERT\", \"MODIFY\"]}", {true, true, false}},
        {"{\"eventName\": [{\"anything-but\": \"REMOVE\"}]}", {true, true, false}},
        {"{\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": [\"SHIPPED\"]}}}}",
         {false, true, false}},
        {"{\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": [\"SHIPPED\"]}}, \"OldImage\": "
         "{\"status\": {\"S\": [{\"anything-but\": \"SHIPPED\"}]}}}}",
         {false, true, false}},
        {"{\"dynamodb\": {\"Keys\": {\"id\": {\"S\": [{\"prefix\": \"o-\"}]}}}}",
         {true, true, true}},
        {"{\"dynamodb\": {\"NewImage\": {\"carrier\": {\"S\": [{\"exists\": true}]}}}}",
         {false, true, false}},
        {"{\"dynamodb\": {\"NewImage\": {\"carrier\": {\"S\": [{\"exists\": false}]}}}}",
         {true, false, true}},
        {"{\"dynamodb\": {\"NewImage\": {\"total\": {\"N\": [\"129.9\"]}}}}", {true, true, false}},
        {"{\"dynamodb\": {\"NewImage\": {\"total\": {\"N\": [{\"numeric\": [\">\", 100]}]}}}}",
         {false, false, false}},
        {"{\"dynamodb\": {\"SizeBytes\": [{\"numeric\": [\">\", 200]}]}}", {true, true, false}},
        {"{\"dynamodb\": {\"NewImage\": {\"express\": {\"BOOL\": [true]}}}}", {true, true, false}},
        {"{\"dynamodb\": {\"NewImage\": {\"labels\": {\"SS\": [\"gift\"]}}}}",
         {true, false, false}},
        {"{\"dynamodb\": {\"NewImage\": {\"items\": {\"L\": {\"M\": {\"sku\": {\"S\": "
         "[\"SKU-1\"]}}}}}}}",
         {true, false, false}},
        {"{\"userIdentity\": {\"principalId\": [\"dynamodb.amazonaws.com\"]}}",
         {false, false, true}},
        {"{\"dynamodb\": {\"OldImage\": {\"note\": {\"NULL\": [true]}}}}", {false, false, true}},
        {"{\"dynamodb\": {\"NewImage\": {\"email\": {\"S\": [{\"suffix\": \"@example.com\"}]}}}}",
         {true, true, false}},
        {"{\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": [{\"equals-ignore-case\": "
         "\"pending\"}]}}}}",
         {true, false, false}},
    };
    for (size_t f = 0; f < 3; f++) {
        char *path = xasprintf("%s/records/%s.json", FIXTURES, names[f]);
        char *err = NULL;
        size_t len = 0;
        char *text = file_read_all(path, FILTER_RECORD_MAX_BYTES, &len, &err);
        assert_non_null(text);
        filter_records rs = records_of(text);
        assert_int_equal(rs.n, 1);
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            filter_pattern *p = filter_pattern_parse(cases[i].pattern, &err);
            assert_non_null(p);
            bool got = filter_pattern_match(p, rs.items[0], NULL);
            if (got != cases[i].want[f])
                fail_msg("%s on %s: %s, expected %s", cases[i].pattern, names[f],
                         got ? "match" : "no match", cases[i].want[f] ? "match" : "no match");
            filter_pattern_free(p);
        }
        filter_records_free(&rs);
        free(text);
        free(path);
    }
}

/* Records as an event, a list, or one record; other JSON is refused. */
static void test_record_shapes(void **state)
{
    (void)state;
    filter_records rs;
    char *err = NULL;
    const char *event = "{\"Records\": [" REC(
        "\"a\": 1") ", {\"eventName\": \"REMOVE\", "
                    "\"dynamodb\": {\"Keys\": {\"id\": {\"S\": \"k\\u001b\"}}}}]}";
    assert_int_equal(filter_records_parse(event, strlen(event), &rs, &err), 0);
    assert_int_equal(rs.n, 2);
    char *d = filter_record_describe(rs.items[1]);
    assert_string_equal(d, "REMOVE, keys id=\"k\\\\u001b\""); /* escaped, no raw ESC */
    free(d);
    filter_records_free(&rs);
    const char *list = "[" REC("\"a\": 1") "]";
    assert_int_equal(filter_records_parse(list, strlen(list), &rs, &err), 0);
    assert_int_equal(rs.n, 1);
    filter_records_free(&rs);
    const char *bad[] = {"{\"a\": 1}", "[]", "[1]", "{\"Records\": [{\"x\": 1}]}", "nope"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err = NULL;
        assert_int_equal(filter_records_parse(bad[i], strlen(bad[i]), &rs, &err), -1);
        assert_non_null(err);
        free(err);
    }
}

/* A failed match says which field failed and what the record holds. */
static void test_explanation(void **state)
{
    (void)state;
    filter_records rs =
        records_of(REC("\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": \"SHIPPED\"}}}"));
    static const struct {
        const char *pattern, *why;
    } cases[] = {
        {"{\"eventName\": [\"MODIFY\"]}", "eventName: the record has \"INSERT\""},
        {"{\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": [\"PENDING\"]}}}}",
         "dynamodb.NewImage.status.S: the record has \"SHIPPED\""},
        {"{\"dynamodb\": {\"OldImage\": {\"status\": {\"S\": [\"PENDING\"]}}}}",
         "dynamodb.OldImage.status.S: not in the record"},
        {"{\"dynamodb\": {\"NewImage\": {\"status\": [\"x\"]}}}",
         "dynamodb.NewImage.status: the record has an object there, not a value"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *err = NULL, *why = NULL;
        filter_pattern *p = filter_pattern_parse(cases[i].pattern, &err);
        assert_non_null(p);
        assert_false(filter_pattern_match(p, rs.items[0], &why));
        assert_non_null(why);
        assert_string_equal(why, cases[i].why);
        free(why);
        filter_pattern_free(p);
    }
    filter_records_free(&rs);
}

/* The DynamoDB warnings, and none for a sound pattern. */
static void test_lint(void **state)
{
    (void)state;
    static const struct {
        const char *pattern, *part;
    } cases[] = {
        {"{\"dynamodb\": {\"NewImage\": {\"total\": {\"N\": [{\"numeric\": [\">\", 1]}]}}}}",
         "dynamodb.NewImage.total.N: a stream record holds numbers as strings"},
        {"{\"eventName\": [\"insert\"]}", "never a stream record's event name"},
        {"{\"eventName\": [{\"anything-but\": [\"DELETE\"]}]}", "\"DELETE\" is never"},
        {"{\"detail\": {\"a\": [1]}}", "detail: a DynamoDB stream record has no such field"},
        {"{\"dynamodb\": {\"Image\": {\"a\": [1]}}}", "dynamodb.Image: a stream record's"},
        {"{\"dynamodb\": {\"NewImage\": {\"status\": [\"x\"]}}}", "put the conditions under"},
        {"{\"dynamodb\": {\"NewImage\": {\"status\": {\"STR\": [\"x\"]}}}}",
         "STR is not a DynamoDB attribute type"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *err = NULL;
        filter_pattern *p = filter_pattern_parse(cases[i].pattern, &err);
        assert_non_null(p);
        char *lint = filter_pattern_lint(p);
        if (!lint || !strstr(lint, cases[i].part))
            fail_msg("%s: lint %s, expected ...%s...", cases[i].pattern, lint ? lint : "(none)",
                     cases[i].part);
        free(lint);
        filter_pattern_free(p);
    }
    const char *sound[] = {
        "{\"eventName\": [\"INSERT\", \"MODIFY\"]}",
        "{\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": [{\"prefix\": \"A\"}]}}}}",
        "{\"dynamodb\": {\"NewImage\": {\"gone\": [{\"exists\": false}]}}}",
        "{\"dynamodb\": {\"SizeBytes\": [{\"numeric\": [\"<\", 1000]}]}}",
    };
    for (size_t i = 0; i < sizeof sound / sizeof sound[0]; i++) {
        char *err = NULL;
        filter_pattern *p = filter_pattern_parse(sound[i], &err);
        assert_non_null(p);
        char *lint = filter_pattern_lint(p);
        if (lint)
            fail_msg("%s: unexpected lint %s", sound[i], lint);
        filter_pattern_free(p);
    }
}

/* A mapping's filters on a record: ORed, invalid ones counted apart. */
static void test_mapping_filters(void **state)
{
    (void)state;
    mapping *m = mapping_new();
    filter_records rs = records_of(REC("\"a\": 1"));
    filter_test t;
    filter_test_mapping(m, rs.items[0], &t);
    assert_true(t.no_filters);
    assert_true(t.any_match); /* no filter: every record goes to the function */
    filter_test_free(&t);
    char *err = NULL;
    assert_int_equal(mapping_set(m, OPT_FILTERS, "{\"eventName\": [\"REMOVE\"]}", &err), 0);
    assert_int_equal(mapping_set(m, OPT_FILTERS, "{\"a\": [1]}", &err), 0);
    assert_int_equal(mapping_set(m, OPT_FILTERS, "{\"a\": [{\"wildcard\": \"x\"}]}", &err), 0);
    filter_test_mapping(m, rs.items[0], &t);
    assert_int_equal(t.n, 3);
    assert_false(t.results[0].matched);
    assert_non_null(t.results[0].why);
    assert_true(t.results[1].matched);
    assert_false(t.results[2].valid);
    assert_non_null(t.results[2].error);
    assert_int_equal(t.invalid, 1);
    assert_true(t.any_match);
    filter_test_free(&t);
    filter_records_free(&rs);
    mapping_free(m);
}

/* Build template NAME with VALUES and compare with WANT (NULL: refused,
 * with ERR_PART in the message). */
static void check_template(const char *name, const char *const *values, const char *want,
                           const char *err_part)
{
    const filter_tpl *t = filter_tpl_find(name);
    assert_non_null(t);
    char *err = NULL;
    char *got = filter_tpl_build(t, values, &err);
    if (want) {
        if (!got)
            fail_msg("%s refused: %s", name, err);
        assert_string_equal(got, want);
        filter_pattern *p = filter_pattern_parse(got, &err);
        assert_non_null(p);
        filter_pattern_free(p);
    } else {
        if (got)
            fail_msg("%s built %s", name, got);
        if (!err || !strstr(err, err_part))
            fail_msg("%s: %s, expected ...%s...", name, err ? err : "(none)", err_part);
    }
    free(got);
    free(err);
}

/* Every template, its defaults and its refusals. */
static void test_templates(void **state)
{
    (void)state;
    size_t n = 0;
    const filter_tpl *list = filter_tpl_list(&n);
    assert_int_equal(n, 6);
    for (size_t i = 0; i < n; i++) {
        assert_ptr_equal(filter_tpl_find(list[i].name), &list[i]);
        assert_true(list[i].n_params > 0);
    }
    assert_null(filter_tpl_find("nope"));
    const char *ev[] = {"INSERT,MODIFY"};
    check_template("event-name", ev, "{\"eventName\":[\"INSERT\",\"MODIFY\"]}", NULL);
    check_template("event-name", NULL, "{\"eventName\":[\"INSERT\"]}", NULL);
    const char *ev_bad[] = {"DELETE"};
    check_template("event-name", ev_bad, NULL, "DELETE is not INSERT, MODIFY or REMOVE");
    const char *eq[] = {"", "status", "", "SHIPPED"};
    check_template("attribute-equals", eq,
                   "{\"dynamodb\":{\"NewImage\":{\"status\":{\"S\":[\"SHIPPED\"]}}}}", NULL);
    const char *eq_n[] = {"OldImage", "total", "N", "129.9"};
    check_template("attribute-equals", eq_n,
                   "{\"dynamodb\":{\"OldImage\":{\"total\":{\"N\":[\"129.9\"]}}}}", NULL);
    const char *eq_b[] = {"NewImage", "express", "BOOL", "yes"};
    check_template("attribute-equals", eq_b,
                   "{\"dynamodb\":{\"NewImage\":{\"express\":{\"BOOL\":[true]}}}}", NULL);
    const char *eq_nan[] = {"NewImage", "total", "N", "12x"};
    check_template("attribute-equals", eq_nan, NULL, "Value: 12x is not a number");
    const char *eq_noattr[] = {"NewImage", "", "S", "x"};
    check_template("attribute-equals", eq_noattr, NULL,
                   "Attribute is required: the attribute's name");
    const char *eq_img[] = {"Image", "a", "S", "x"};
    check_template("attribute-equals", eq_img, NULL, "Image: Image is not");
    const char *pre[] = {"Keys", "id", "o-"};
    check_template("attribute-prefix", pre,
                   "{\"dynamodb\":{\"Keys\":{\"id\":{\"S\":[{\"prefix\":\"o-\"}]}}}}", NULL);
    const char *range[] = {NULL, "total", "10", "100.5"};
    check_template("attribute-range", range,
                   "{\"dynamodb\":{\"NewImage\":{\"total\":{\"N\":[{\"numeric\":[\">=\",10,\"<=\","
                   "100.5]}]}}}}",
                   NULL);
    const char *range_lo[] = {NULL, "total", "10", NULL};
    check_template("attribute-range", range_lo,
                   "{\"dynamodb\":{\"NewImage\":{\"total\":{\"N\":[{\"numeric\":[\">=\",10]}]}}}}",
                   NULL);
    const char *range_eq[] = {NULL, "total", "7", "7"};
    check_template("attribute-range", range_eq,
                   "{\"dynamodb\":{\"NewImage\":{\"total\":{\"N\":[{\"numeric\":[\"=\",7]}]}}}}",
                   NULL);
    const char *range_none[] = {NULL, "total", "", ""};
    check_template("attribute-range", range_none, NULL, "at least one bound");
    const char *range_bad[] = {NULL, "total", "9", "1"};
    check_template("attribute-range", range_bad, NULL, "is above At most");
    assert_non_null(filter_tpl_find("attribute-range")->note);
    const char *ex[] = {"NewImage", "carrier", NULL};
    check_template("attribute-exists", ex,
                   "{\"dynamodb\":{\"NewImage\":{\"carrier\":{\"S\":[{\"exists\":true}]}}}}", NULL);
    check_template("attribute-absent", ex,
                   "{\"dynamodb\":{\"NewImage\":{\"carrier\":{\"S\":[{\"exists\":false}]}}}}",
                   NULL);
    const char *quote[] = {"NewImage", "we\"ird", "S", "a\\b"};
    check_template("attribute-equals", quote,
                   "{\"dynamodb\":{\"NewImage\":{\"we\\\"ird\":{\"S\":[\"a\\\\b\"]}}}}", NULL);
}

/* The bundled samples are the files of examples/records, byte for byte,
 * and each is one record of its kind. */
static void test_bundled_samples(void **state)
{
    (void)state;
    static const char *const kinds[] = {"INSERT", "MODIFY", "REMOVE"};
    size_t n = 0;
    const filter_sample *s = filter_samples(&n);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++) {
        char *path = xasprintf("%s/../../examples/records/%s.json", FIXTURES, s[i].name);
        size_t len = 0;
        char *err = NULL;
        char *file = file_read_all(path, FILTER_RECORD_MAX_BYTES, &len, &err);
        assert_non_null(file);
        assert_int_equal(len, s[i].len);
        assert_memory_equal(file, s[i].text, len);
        assert_int_equal(s[i].text[len], '\0');
        filter_records rs = {0};
        assert_int_equal(filter_records_parse(s[i].text, s[i].len, &rs, &err), 0);
        assert_int_equal(rs.n, 1);
        char *what = filter_record_describe(rs.items[0]);
        assert_true(strncmp(what, kinds[i], strlen(kinds[i])) == 0);
        free(what);
        filter_records_free(&rs);
        free(file);
        free(path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_values),     cmocka_unit_test(test_string_operators),
        cmocka_unit_test(test_anything_but),     cmocka_unit_test(test_numeric),
        cmocka_unit_test(test_exists),           cmocka_unit_test(test_and_or_nesting),
        cmocka_unit_test(test_invalid_patterns), cmocka_unit_test(test_depth_bound),
        cmocka_unit_test(test_sample_records),   cmocka_unit_test(test_record_shapes),
        cmocka_unit_test(test_explanation),      cmocka_unit_test(test_lint),
        cmocka_unit_test(test_mapping_filters),  cmocka_unit_test(test_templates),
        cmocka_unit_test(test_bundled_samples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
