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

#include "model/filter_json.h"
#include "model/filter_match.h"
#include "model/filter_samples.h"
#include "model/filter_template.h"
#include "model/mapping.h"
#include "model/value.h"
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

#define REC(body) "{\"eventName\": \"INSERT\", " body "}"

/* Where a rule comes from. */
#define LAMBDA "Lambda's filter rule syntax"
#define RULER "event-ruler README"
#define ESMCFG "esmcfg (Lambda's page is silent, event-ruler's code)"

typedef enum { MATCH, NO_MATCH, REFUSED } expect;

/* One case: a pattern on a record, and what Lambda does with it. */
typedef struct filter_case {
    const char *source; /* the rule's source */
    const char *rule;   /* the rule, in words */
    const char *pattern;
    const char *record;
    expect want;
    const char *part; /* REFUSED: a part of the message */
} filter_case;

/* The record most cases use. */
#define R                                                                                          \
    REC("\"s\": \"Alice\", \"n\": 300, \"f\": 1.5, \"b\": true, \"z\": null, \"e\": \"\", "        \
        "\"region\": \"us-east-1\", \"file\": \"a.PNG\", \"state\": \"running\", \"neg\": -3, "    \
        "\"ns\": \"12\", \"o\": {\"k\": 1}, \"l\": [], \"tags\": [\"a\", \"b\"], "                 \
        "\"ip\": \"10.0.0.77\", \"greek\": \"ΣΊΣΥΦΟΣ\", \"german\": \"STRASSE\", "          \
        "\"items\": [{\"sku\": \"X\", \"n\": 1}, {\"sku\": \"Y\", \"n\": 2}], "                    \
        "\"x\": {\"y\": \"z\"}, \"dotted.key\": \"d\"")

static const filter_case table[] = {
    /* Lambda's filter rule syntax table, row by row */
    {LAMBDA, "null", "{\"z\": [null]}", R, MATCH, NULL},
    {LAMBDA, "null is not absent", "{\"missing\": [null]}", R, NO_MATCH, NULL},
    {LAMBDA, "null is not a string", "{\"s\": [null]}", R, NO_MATCH, NULL},
    {LAMBDA, "empty", "{\"e\": [\"\"]}", R, MATCH, NULL},
    {LAMBDA, "empty is not any string", "{\"s\": [\"\"]}", R, NO_MATCH, NULL},
    {LAMBDA, "equals", "{\"s\": [\"Alice\"]}", R, MATCH, NULL},
    {LAMBDA, "equals: case matters", "{\"s\": [\"alice\"]}", R, NO_MATCH, NULL},
    {LAMBDA, "equals, ignore case", "{\"s\": [{\"equals-ignore-case\": \"aLICE\"}]}", R, MATCH,
     NULL},
    {LAMBDA, "and", "{\"s\": [\"Alice\"], \"state\": [\"running\"]}", R, MATCH, NULL},
    {LAMBDA, "and: every field", "{\"s\": [\"Alice\"], \"state\": [\"stopped\"]}", R, NO_MATCH,
     NULL},
    {LAMBDA, "or (values)", "{\"s\": [\"Bob\", \"Alice\"]}", R, MATCH, NULL},
    {LAMBDA, "or (several fields)", "{\"$or\": [{\"s\": [\"Bob\"]}, {\"state\": [\"running\"]}]}",
     R, MATCH, NULL},
    {LAMBDA, "or (several fields): none", "{\"$or\": [{\"s\": [\"Bob\"]}, {\"state\": [\"x\"]}]}",
     R, NO_MATCH, NULL},
    {LAMBDA, "not", "{\"state\": [{\"anything-but\": [\"stopped\"]}]}", R, MATCH, NULL},
    {LAMBDA, "not: the value itself", "{\"state\": [{\"anything-but\": [\"running\"]}]}", R,
     NO_MATCH, NULL},
    {LAMBDA, "numeric equals", "{\"n\": [{\"numeric\": [\"=\", 300]}]}", R, MATCH, NULL},
    {LAMBDA, "numeric equals by value", "{\"n\": [{\"numeric\": [\"=\", 3e2]}]}", R, MATCH, NULL},
    {LAMBDA, "numeric range", "{\"f\": [{\"numeric\": [\">\", 1, \"<=\", 1.5]}]}", R, MATCH, NULL},
    {LAMBDA, "numeric range: open end", "{\"f\": [{\"numeric\": [\">\", 1, \"<\", 1.5]}]}", R,
     NO_MATCH, NULL},
    {LAMBDA, "exists", "{\"s\": [{\"exists\": true}]}", R, MATCH, NULL},
    {LAMBDA, "exists: absent", "{\"missing\": [{\"exists\": true}]}", R, NO_MATCH, NULL},
    {LAMBDA, "does not exist", "{\"missing\": [{\"exists\": false}]}", R, MATCH, NULL},
    {LAMBDA, "does not exist: present", "{\"s\": [{\"exists\": false}]}", R, NO_MATCH, NULL},
    {LAMBDA, "begins with", "{\"region\": [{\"prefix\": \"us-\"}]}", R, MATCH, NULL},
    {LAMBDA, "begins with: not", "{\"region\": [{\"prefix\": \"eu-\"}]}", R, NO_MATCH, NULL},
    {LAMBDA, "ends with", "{\"file\": [{\"suffix\": \".PNG\"}]}", R, MATCH, NULL},
    {LAMBDA, "ends with: case matters", "{\"file\": [{\"suffix\": \".png\"}]}", R, NO_MATCH, NULL},
    /* values as written (Lambda's page wins over event-ruler here) */
    {LAMBDA, "a number as written", "{\"n\": [300]}", R, MATCH, NULL},
    {LAMBDA, "300.0 is not 300", "{\"n\": [300.0]}", R, NO_MATCH, NULL},
    {LAMBDA, "3e2 is not 300", "{\"n\": [3e2]}", R, NO_MATCH, NULL},
    {LAMBDA, "a string is not a number", "{\"n\": [\"300\"]}", R, NO_MATCH, NULL},
    {LAMBDA, "numeric on a string never", "{\"ns\": [{\"numeric\": [\">\", 0]}]}", R, NO_MATCH,
     NULL},
    {LAMBDA, "true", "{\"b\": [true]}", R, MATCH, NULL},
    {LAMBDA, "\"true\" is a string", "{\"b\": [\"true\"]}", R, NO_MATCH, NULL},
    /* every leaf is a list */
    {LAMBDA, "a value without its list", "{\"s\": \"Alice\"}", R, REFUSED, "is not a list"},
    {LAMBDA, "an empty list", "{\"s\": []}", R, REFUSED, "empty list"},
    {RULER, "a condition object holds one operator",
     "{\"s\": [{\"prefix\": \"A\", \"suffix\": \"e\"}]}", R, REFUSED, "2 operators"},
    {RULER, "an unknown operator", "{\"s\": [{\"bogus\": 1}]}", R, REFUSED,
     "\"bogus\" is not an operator"},
    {RULER, "numeric: lower bound then upper", "{\"n\": [{\"numeric\": [\"<\", 5, \">\", 1]}]}", R,
     REFUSED, "a range is a lower bound then an upper bound"},
    {RULER, "numeric: lower below upper", "{\"n\": [{\"numeric\": [\">\", 5, \"<\", 5]}]}", R,
     REFUSED, "not below the upper bound"},
    {RULER, "numeric: an operator first", "{\"n\": [{\"numeric\": [5]}]}", R, REFUSED,
     "numeric takes"},
    {RULER, "numeric: a number operand", "{\"n\": [{\"numeric\": [\">\", \"1\"]}]}", R, REFUSED,
     "needs a number"},
    {RULER, "numeric: <= with one number only", "{\"n\": [{\"numeric\": [\"<=\", 1, \"<\", 2]}]}",
     R, REFUSED, "a range is a lower bound then an upper bound"},
    {RULER, "numeric: = with one number only", "{\"n\": [{\"numeric\": [\"=\", 1, \"<\", 2]}]}", R,
     REFUSED, "too many elements"},
    {RULER, "numeric: 6 decimals at most", "{\"f\": [{\"numeric\": [\">\", 1.0000001]}]}", R,
     REFUSED, "cannot be compared exactly"},
    {RULER, "numeric: within 5e9", "{\"f\": [{\"numeric\": [\"<\", 5000000001]}]}", R, REFUSED,
     "between -5000000000 and 5000000000"},
    {RULER, "numeric: 5e9 itself", "{\"n\": [{\"numeric\": [\"<\", 5e9]}]}", R, MATCH, NULL},
    {RULER, "numeric: 6 decimals", "{\"f\": [{\"numeric\": [\"<\", 1.500001]}]}", R, MATCH, NULL},
    {RULER, "numeric: a record value too precise never matches",
     "{\"v\": [{\"numeric\": [\">\", 0]}]}", REC("\"v\": 1.0000001"), NO_MATCH, NULL},
    {RULER, "numeric: negative", "{\"neg\": [{\"numeric\": [\"<\", 0]}]}", R, MATCH, NULL},
    {RULER, "exists takes true or false", "{\"s\": [{\"exists\": \"yes\"}]}", R, REFUSED,
     "true or false"},
    {RULER, "exists: null is a value", "{\"z\": [{\"exists\": true}]}", R, MATCH, NULL},
    {RULER, "exists: only leaves (an object is none)", "{\"o\": [{\"exists\": true}]}", R, NO_MATCH,
     NULL},
    {RULER, "exists false: an object is no leaf", "{\"o\": [{\"exists\": false}]}", R, MATCH, NULL},
    {RULER, "exists: an empty list holds no value", "{\"l\": [{\"exists\": true}]}", R, NO_MATCH,
     NULL},
    {RULER, "prefix: strings only", "{\"n\": [{\"prefix\": \"3\"}]}", R, NO_MATCH, NULL},
    {RULER, "prefix: the empty prefix", "{\"region\": [{\"prefix\": \"\"}]}", R, MATCH, NULL},
    {RULER, "prefix takes a string", "{\"s\": [{\"prefix\": 1}]}", R, REFUSED, "not a string"},
    /* anything-but, each form */
    {RULER, "anything-but a number", "{\"n\": [{\"anything-but\": 300}]}", R, NO_MATCH, NULL},
    {RULER, "anything-but numbers by value", "{\"n\": [{\"anything-but\": [3e2, 5]}]}", R, NO_MATCH,
     NULL},
    {RULER, "anything-but a string matches a number", "{\"n\": [{\"anything-but\": \"300\"}]}", R,
     MATCH, NULL},
    {RULER, "anything-but: absent never matches", "{\"missing\": [{\"anything-but\": \"x\"}]}", R,
     NO_MATCH, NULL},
    {RULER, "anything-but prefix", "{\"region\": [{\"anything-but\": {\"prefix\": \"us-\"}}]}", R,
     NO_MATCH, NULL},
    {RULER, "anything-but suffix", "{\"region\": [{\"anything-but\": {\"suffix\": \"-2\"}}]}", R,
     MATCH, NULL},
    {RULER, "anything-but equals-ignore-case",
     "{\"state\": [{\"anything-but\": {\"equals-ignore-case\": [\"STOPPED\", \"RUNNING\"]}}]}", R,
     NO_MATCH, NULL},
    {RULER, "anything-but: an empty prefix is refused",
     "{\"s\": [{\"anything-but\": {\"prefix\": \"\"}}]}", R, REFUSED, "empty prefix"},
    {RULER, "anything-but: an empty suffix is refused",
     "{\"s\": [{\"anything-but\": {\"suffix\": \"\"}}]}", R, REFUSED, "empty suffix"},
    {RULER, "anything-but: strings or numbers, not both",
     "{\"s\": [{\"anything-but\": [\"x\", 1]}]}", R, REFUSED, "mixes types"},
    {RULER, "anything-but: not an empty list", "{\"s\": [{\"anything-but\": []}]}", R, REFUSED,
     "anything-but takes"},
    {RULER, "anything-but: no null", "{\"s\": [{\"anything-but\": null}]}", R, REFUSED,
     "anything-but takes"},
    /* equals-ignore-case folds Unicode case */
    {ESMCFG, "ignore case: Greek", "{\"greek\": [{\"equals-ignore-case\": \"σίσυφοσ\"}]}", R, MATCH,
     NULL},
    {ESMCFG, "ignore case: ß upper-cases to SS",
     "{\"german\": [{\"equals-ignore-case\": \"straße\"}]}", R, MATCH, NULL},
    {ESMCFG, "ignore case: strings only", "{\"n\": [{\"equals-ignore-case\": \"300\"}]}", R,
     NO_MATCH, NULL},
    /* EventBridge operators Lambda's page does not list: accepted, evaluated */
    {RULER, "wildcard", "{\"region\": [{\"wildcard\": \"us-*-1\"}]}", R, MATCH, NULL},
    {RULER, "wildcard: no match", "{\"region\": [{\"wildcard\": \"eu-*\"}]}", R, NO_MATCH, NULL},
    {RULER, "wildcard: no two * in a row", "{\"s\": [{\"wildcard\": \"a**\"}]}", R, REFUSED,
     "two * in a row"},
    {RULER, "wildcard: \\ escapes * and \\ only", "{\"s\": [{\"wildcard\": \"a\\\\b\"}]}", R,
     REFUSED, "backslash"},
    {RULER, "cidr", "{\"ip\": [{\"cidr\": \"10.0.0.0/24\"}]}", R, MATCH, NULL},
    {RULER, "cidr: outside", "{\"ip\": [{\"cidr\": \"10.0.1.0/24\"}]}", R, NO_MATCH, NULL},
    {RULER, "cidr: a block", "{\"ip\": [{\"cidr\": \"10.0.0.0\"}]}", R, REFUSED,
     "not a CIDR block"},
    {RULER, "prefix with equals-ignore-case",
     "{\"region\": [{\"prefix\": {\"equals-ignore-case\": \"US-\"}}]}", R, MATCH, NULL},
    {RULER, "suffix with equals-ignore-case",
     "{\"file\": [{\"suffix\": {\"equals-ignore-case\": \".png\"}}]}", R, MATCH, NULL},
    /* $or, nested, at any depth */
    {RULER, "$or nested in $or",
     "{\"$or\": [{\"s\": [\"Bob\"]}, {\"$or\": [{\"n\": [1]}, {\"n\": [300]}]}]}", R, MATCH, NULL},
    {RULER, "$or inside an object", "{\"x\": {\"$or\": [{\"y\": [\"q\"]}, {\"y\": [\"z\"]}]}}", R,
     MATCH, NULL},
    {RULER, "$or ANDed with fields",
     "{\"s\": [\"Bob\"], \"$or\": [{\"n\": [300]}, {\"f\": [1.5]}]}", R, NO_MATCH, NULL},
    {RULER, "$or: a reserved word is no field inside it",
     "{\"$or\": [{\"s\": [\"Bob\"]}, {\"numeric\": [1]}]}", R, REFUSED, "reserved word"},
    {RULER, "$or with one object is a field named $or", "{\"$or\": [{\"prefix\": \"A\"}]}",
     REC("\"$or\": \"Abc\""), MATCH, NULL},
    {RULER, "$or elements are objects", "{\"$or\": [{\"s\": [\"x\"]}, [1]]}", R, REFUSED,
     "pattern object"},
    /* the shape of a pattern */
    {RULER, "an empty pattern", "{}", R, REFUSED, "is empty"},
    {RULER, "an empty object inside", "{\"o\": {}}", R, REFUSED, "is empty"},
    {RULER, "a list inside a list", "{\"s\": [[\"Alice\"]]}", R, REFUSED, "a list inside"},
    {RULER, "not an object", "[1]", R, REFUSED, "not a JSON object"},
    {RULER, "an operator where a field goes", "{\"prefix\": \"x\"}", R, REFUSED, "is an operator"},
    {RULER, "a member twice: the last list counts", "{\"s\": [\"Bob\"], \"s\": [\"Alice\"]}", R,
     MATCH, NULL},
    {RULER, "keys join with '.'", "{\"dotted\": {\"key\": [\"d\"]}}", R, MATCH, NULL},
    {RULER, "a nested field", "{\"x\": {\"y\": [\"z\"]}}", R, MATCH, NULL},
    {RULER, "an object where the record has a value", "{\"s\": {\"t\": [\"Alice\"]}}", R, NO_MATCH,
     NULL},
    /* arrays */
    {RULER, "a list matches when an element does", "{\"tags\": [\"b\"]}", R, MATCH, NULL},
    {RULER, "a list: no element", "{\"tags\": [\"c\"]}", R, NO_MATCH, NULL},
    {RULER, "fields of one element", "{\"items\": {\"sku\": [\"Y\"], \"n\": [2]}}", R, MATCH, NULL},
    {RULER, "fields of different elements do not match together",
     "{\"items\": {\"sku\": [\"X\"], \"n\": [2]}}", R, NO_MATCH, NULL},
    {ESMCFG, "exists false: no element may have the field",
     "{\"items\": {\"n\": [{\"exists\": false}]}}", R, NO_MATCH, NULL},
    {ESMCFG, "exists false: an element without it is not enough",
     "{\"items\": {\"sku\": [\"X\"], \"q\": [{\"exists\": false}]}}",
     REC("\"items\": [{\"sku\": \"X\"}, {\"q\": 1}]"), NO_MATCH, NULL},
    /* JSON */
    {RULER, "strict JSON: no leading zeros", "{\"n\": [01]}", R, REFUSED, "leading zero"},
    {RULER, "strict JSON: nothing after the object", "{\"n\": [1]} x", R, REFUSED,
     "after the pattern"},
    {RULER, "strict JSON: valid UTF-8", "{\"s\": [\"\xff\"]}", R, REFUSED, "UTF-8"},
    {ESMCFG, "an unpaired \\ud800 is taken as Java takes it: '?'", "{\"q\": [\"\\ud800\"]}",
     REC("\"q\": \"?\""), MATCH, NULL},
    /* {"exists": false} beside fields of a list of objects: the elements the
       fields before it (in the order of their paths) use */
    {ESMCFG, "exists false: another element has the field",
     "{\"a\": {\"b\": [1], \"c\": [{\"exists\": false}]}}", REC("\"a\": [{\"b\": 1}, {\"c\": 2}]"),
     MATCH, NULL},
    {ESMCFG, "exists false: the same element has the field",
     "{\"a\": {\"b\": [1], \"c\": [{\"exists\": false}]}}", REC("\"a\": [{\"b\": 1, \"c\": 2}]"),
     NO_MATCH, NULL},
    {ESMCFG, "exists false: a field after it in path order does not count",
     "{\"a\": {\"a0\": [{\"exists\": false}], \"b\": [1]}}",
     REC("\"a\": [{\"b\": 1}, {\"a0\": 2}]"), NO_MATCH, NULL},
    {ESMCFG, "exists false: another element of the one the field before uses",
     "{\"a\": {\"b\": [1, 3], \"c\": [{\"exists\": false}]}}",
     REC("\"a\": [{\"b\": 1, \"c\": 5}, {\"b\": 3}]"), MATCH, NULL},
    /* a field named inside and after $or: the later list counts in each
       alternative */
    {RULER, "a field after $or replaces it in each alternative",
     "{\"$or\": [{\"s\": [\"Bob\"]}, {\"n\": [1]}], \"s\": [\"Alice\"]}", R, MATCH, NULL},
    {RULER, "anything-but: an empty equals-ignore-case list is refused",
     "{\"s\": [{\"anything-but\": {\"equals-ignore-case\": []}}]}", R, REFUSED, "empty list"},
};

/* Every case of the table. */
static void test_case_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        const filter_case *c = &table[i];
        char *err = NULL;
        filter_pattern *p = filter_pattern_parse(c->pattern, &err);
        if (c->want == REFUSED) {
            if (p)
                fail_msg("[%s] %s: %s accepted", c->source, c->rule, c->pattern);
            if (!err || !strstr(err, c->part))
                fail_msg("[%s] %s: %s refused with \"%s\", expected ...%s...", c->source, c->rule,
                         c->pattern, err ? err : "(nothing)", c->part);
            free(err);
            continue;
        }
        if (!p)
            fail_msg("[%s] %s: %s refused: %s", c->source, c->rule, c->pattern, err);
        filter_records rs = records_of(c->record);
        bool got = filter_pattern_match(p, rs.items[0], NULL);
        if (got != (c->want == MATCH))
            fail_msg("[%s] %s: %s %s, expected %s", c->source, c->rule, c->pattern,
                     got ? "matches" : "does not match", got ? "no match" : "a match");
        filter_records_free(&rs);
        filter_pattern_free(p);
    }
}

/* Deep nesting is refused with the limit, not recursed into without bound. */
static void test_depth_bound(void **state)
{
    (void)state;
    strbuf b = {0};
    for (int i = 0; i < FJ_MAX_DEPTH + 1; i++)
        sb_add(&b, "[");
    char *err = refusal(b.s);
    assert_non_null(strstr(err, "nested deeper than 1000 levels"));
    free(err);
    free(b.s);
}

/* A member named twice is found in time linear in the members: a record
 * of 200,000 attributes, the last one named like the first. */
static void test_duplicates_linear(void **state)
{
    (void)state;
    strbuf b = {0};
    sb_add(&b, "{\"eventName\": \"INSERT\", \"dynamodb\": {\"NewImage\": {");
    for (int i = 0; i < 200000; i++)
        sb_addf(&b, "\"a%d\": {\"S\": \"v\"}, ", i);
    size_t cut = b.len;
    sb_add(&b, "\"last\": {\"S\": \"v\"}}}}");
    filter_records rs = records_of(b.s);
    filter_records_free(&rs);
    b.len = cut;
    sb_add(&b, "\"a0\": {\"S\": \"v\"}}}}");
    char *err = NULL;
    assert_int_equal(filter_records_parse(b.s, b.len, &rs, &err), -1);
    if (!strstr(err, "\"a0\" appears twice"))
        fail_msg("%s", err);
    free(err);
    /* in a pattern: a warning, and the last list counts */
    filter_pattern *p = filter_pattern_parse("{\"a\": [1], \"a\": [2]}", &err);
    assert_non_null(p);
    char *lint = filter_pattern_lint(p);
    assert_non_null(strstr(lint, "a: this member is named twice"));
    free(lint);
    filter_pattern_free(p);
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

/* The warnings: each names the JSON path and says what to write instead;
 * none for a sound pattern. */
static void test_lint(void **state)
{
    (void)state;
    static const struct {
        const char *pattern, *view, *part;
    } warn[] = {
        {"{\"dynamodb\": {\"NewImage\": {\"total\": {\"N\": [{\"numeric\": [\">\", 1]}]}}}}", NULL,
         "dynamodb.NewImage.total.N[0]: numeric never matches an N attribute"},
        {"{\"dynamodb\": {\"NewImage\": {\"total\": {\"N\": [42]}}}}", NULL,
         "dynamodb.NewImage.total.N[0]: 42 never matches: a stream record writes a number "
         "attribute as a string ({\"N\": \"42\"}); write [\"42\"]"},
        {"{\"dynamodb\": {\"NewImage\": {\"status\": [\"PAID\"]}}}", NULL,
         "dynamodb.NewImage.status: never matches: a stream record holds an attribute as an "
         "object of its type"},
        {"{\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": [5]}}}}", NULL,
         "dynamodb.NewImage.status.S[0]: 5 never matches: a stream record holds a string here; "
         "write it as a string, e.g. [\"5\"]"},
        {"{\"dynamodb\": {\"NewImage\": {\"ok\": {\"BOOL\": [\"true\"]}}}}", NULL,
         "write [true] or [false] (without quotes)"},
        {"{\"eventName\": [\"insert\"]}", NULL, "eventName[0]: \"insert\" is never"},
        {"{\"detail\": {\"a\": [1]}}", NULL,
         "detail: never matches: a DynamoDB stream record has "
         "no such field"},
        {"{\"dynamodb\": {\"Image\": {\"a\": [1]}}}", NULL, "dynamodb.Image: never matches"},
        {"{\"dynamodb\": {\"NewImage\": {\"status\": {\"STR\": [\"x\"]}}}}", NULL,
         "dynamodb.NewImage.status.STR: never matches: a stream record's attribute is typed"},
        {"{\"dynamodb\": {\"NewImage\": {\"a\": {\"S\": [\"x\"]}}}}", "KEYS_ONLY",
         "dynamodb.NewImage: the table's stream view type is KEYS_ONLY, so its records carry no "
         "NewImage"},
        {"{\"dynamodb\": {\"OldImage\": {\"a\": {\"S\": [\"x\"]}}}}", "NEW_IMAGE",
         "carry no OldImage"},
        {"{\"eventName\": [\"INSERT\"], \"dynamodb\": {\"OldImage\": {\"a\": {\"S\": [\"x\"]}}}}",
         NULL, "an INSERT record has no OldImage"},
        {"{\"$or\": [{\"eventName\": [\"INSERT\"]}, {\"dynamodb\": {\"NewImage\": {\"a\": "
         "[\"x\"]}}}]}",
         NULL, "$or[1].dynamodb.NewImage.a: never matches"},
        {"{\"eventName\": [{\"wildcard\": \"IN*\"}]}", NULL,
         "eventName[0].wildcard: wildcard is not in Lambda's filter rule syntax"},
        {"{\"a\": [{\"cidr\": \"10.0.0.0/8\"}]}", NULL, "AWS may refuse the mapping"},
        {"{\"$or\": {\"a\": [\"x\"]}}", NULL, "\"$or\" is read as a field named \"$or\""},
    };
    for (size_t i = 0; i < sizeof warn / sizeof warn[0]; i++) {
        char *err = NULL;
        filter_pattern *p = filter_pattern_parse(warn[i].pattern, &err);
        if (!p)
            fail_msg("%s refused: %s", warn[i].pattern, err);
        filter_notes notes = {0};
        filter_pattern_notes(p, warn[i].view, &notes);
        char *lint = filter_notes_text(&notes);
        if (!lint || !strstr(lint, warn[i].part))
            fail_msg("%s: warnings %s, expected ...%s...", warn[i].pattern, lint ? lint : "(none)",
                     warn[i].part);
        free(lint);
        filter_notes_free(&notes);
        filter_pattern_free(p);
    }
    const char *sound[] = {
        "{\"eventName\": [\"INSERT\", \"MODIFY\"]}",
        "{\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": [{\"prefix\": \"A\"}]}}}}",
        "{\"dynamodb\": {\"NewImage\": {\"gone\": {\"S\": [{\"exists\": false}]}}}}",
        "{\"dynamodb\": {\"SizeBytes\": [{\"numeric\": [\"<\", 1000]}]}}",
        "{\"dynamodb\": {\"NewImage\": {\"total\": {\"N\": [\"42\", {\"prefix\": \"4\"}]}}}}",
        "{\"$or\": [{\"eventName\": [\"REMOVE\"]}, {\"dynamodb\": {\"NewImage\": {\"a\": "
        "{\"BOOL\": "
        "[true]}}}}]}",
        "{\"dynamodb\": {\"NewImage\": {\"m\": {\"M\": {\"k\": {\"L\": {\"S\": [\"x\"]}}}}}}}",
    };
    for (size_t i = 0; i < sizeof sound / sizeof sound[0]; i++) {
        char *err = NULL;
        filter_pattern *p = filter_pattern_parse(sound[i], &err);
        if (!p)
            fail_msg("%s refused: %s", sound[i], err);
        char *lint = filter_pattern_lint(p);
        if (lint)
            fail_msg("%s: unexpected warning %s", sound[i], lint);
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
    assert_int_equal(mapping_set(m, OPT_FILTERS, "{\"a\": [{\"bogus\": \"x\"}]}", &err), -1);
    free(err);
    filter_test_mapping(m, rs.items[0], &t);
    assert_int_equal(t.n, 3);
    assert_false(t.results[0].matched);
    assert_non_null(t.results[0].why);
    assert_true(t.results[1].matched);
    assert_true(t.results[2].valid); /* EventBridge's wildcard: valid, with a warning */
    assert_non_null(strstr(t.results[2].lint, "wildcard is not in Lambda's"));
    assert_int_equal(t.invalid, 0);
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

/* ---- property: a template's pattern is accepted and matches what it says ---- */

static unsigned long prop_seed = 14;

static unsigned rnd(unsigned n)
{
    prop_seed = prop_seed * 6364136223846793005ul + 1442695040888963407ul;
    return (unsigned)((prop_seed >> 33) % n);
}

/* Attribute names and values of every kind a table has. */
static const char *const prop_names[] = {"status",      "Status",  "a.b",      "we\"ird",
                                         "back\\slash", "ünïcode", "σ",        "x y",
                                         "0",           "prefix",  "eventName"};
static const char *const prop_values[] = {"PAID",   "paid", "",       " ",  "a\"b", "\\",
                                          "Straße", "😀",    "o-1001", "12", "-3.5", "1E3"};

/* A record whose IMAGE has ATTR of TYPE holding VALUE (JSON text of the
 * typed value's content), eventName NAME. Caller frees. */
static char *prop_record(const char *name, const char *image, const char *attr, const char *type,
                         const char *value)
{
    strbuf b = {0};
    bool keys = attr && strcmp(image, "Keys") == 0;
    sb_addf(&b, "{\"eventName\": \"%s\", \"dynamodb\": {\"Keys\": {\"id\": {\"S\": \"k\"}%s", name,
            keys ? ", " : "}");
    if (attr) {
        if (!keys)
            sb_addf(&b, ", \"%s\": {", image);
        fj_add_string(&b, attr, strlen(attr));
        sb_addf(&b, ": {\"%s\": %s}}", type, value);
    }
    sb_add(&b, "}}");
    return sb_take(&b);
}

/* Whether PATTERN is accepted by the one check and matches RECORD. */
static bool prop_matches(const char *pattern, const char *record)
{
    char *err = NULL;
    if (value_check_pattern(pattern, &err) != 0)
        fail_msg("a template built a pattern the check refuses: %s\n%s", pattern, err);
    filter_pattern *p = filter_pattern_parse(pattern, &err);
    filter_records rs = records_of(record);
    bool ok = filter_pattern_match(p, rs.items[0], NULL);
    filter_records_free(&rs);
    filter_pattern_free(p);
    return ok;
}

/* VALUE as the JSON string content of an S or N attribute. Caller frees. */
static char *json_text(const char *value)
{
    strbuf b = {0};
    fj_add_string(&b, value, strlen(value));
    return sb_take(&b);
}

/* Every template, with random parameters, builds a pattern the one check
 * accepts, that matches the record it describes and not the record
 * without it; two of them ANDed into one filter match a record with both. */
static void test_template_properties(void **state)
{
    (void)state;
    static const char *const images[] = {"NewImage", "OldImage", "Keys"};
    static const char *const events[] = {"INSERT", "MODIFY", "REMOVE"};
    for (int run = 0; run < 400; run++) {
        const char *image = images[rnd(3)], *attr = prop_names[rnd(11)];
        const char *value = prop_values[rnd(12)], *event = events[rnd(3)];
        if (!*value) /* a template takes no empty value: it means "the default" */
            value = "x";
        char *err = NULL, *pat, *yes, *no;
        const char *bad_event =
            events[(rnd(2) + 1 + (event[0] == 'M') + 2 * (event[0] == 'R')) % 3];
        /* event name */
        const char *ev[] = {event};
        pat = filter_tpl_build(filter_tpl_find("event-name"), ev, &err);
        yes = prop_record(event, NULL, NULL, NULL, NULL);
        no = prop_record(bad_event, NULL, NULL, NULL, NULL);
        assert_true(prop_matches(pat, yes));
        if (strcmp(bad_event, event) != 0)
            assert_false(prop_matches(pat, no));
        free(no);
        /* equals: S (any text), N (a number's text), BOOL */
        const char *type = rnd(3) == 0 ? "N" : rnd(2) ? "S" : "BOOL";
        const char *v = strcmp(type, "N") == 0      ? (rnd(2) ? "12" : "-3.5")
                        : strcmp(type, "BOOL") == 0 ? (rnd(2) ? "true" : "false")
                                                    : value;
        const char *eq[] = {image, attr, type, v};
        char *eqp = filter_tpl_build(filter_tpl_find("attribute-equals"), eq, &err);
        if (!eqp)
            fail_msg("attribute-equals %s %s %s %s: %s", image, attr, type, v, err);
        char *content = strcmp(type, "BOOL") == 0 ? xstrdup(v) : json_text(v);
        char *with = prop_record(event, image, attr, type, content);
        char *other = prop_record(event, image, attr, type,
                                  strcmp(type, "BOOL") == 0 ? (strcmp(v, "true") ? "true" : "false")
                                                            : "\"something else\"");
        char *without = prop_record(event, image, NULL, NULL, NULL);
        assert_true(prop_matches(eqp, with));
        assert_false(prop_matches(eqp, other));
        assert_false(prop_matches(eqp, without));
        /* the two ANDed into one filter: both must hold */
        char *both = filter_pattern_and(pat, eqp, &err);
        if (!both)
            fail_msg("%s AND %s: %s", pat, eqp, err);
        assert_true(prop_matches(both, with));
        char *other_event = prop_record(bad_event, image, attr, type, content);
        if (strcmp(bad_event, event) != 0)
            assert_false(prop_matches(both, other_event));
        free(other_event);
        free(both);
        /* prefix: the value then more; not the more then the value */
        const char *pre[] = {image, attr, value};
        char *prep = filter_tpl_build(filter_tpl_find("attribute-prefix"), pre, &err);
        if (!prep)
            fail_msg("attribute-prefix %s %s %s: %s", image, attr, value, err);
        char *tail = xasprintf("%stail", value), *head = xasprintf("x%s", value);
        char *jt = json_text(tail), *jh = json_text(head);
        char *r1 = prop_record(event, image, attr, "S", jt),
             *r2 = prop_record(event, image, attr, "S", jh);
        assert_true(prop_matches(prep, r1));
        if (strncmp(head, value, strlen(value)) != 0)
            assert_false(prop_matches(prep, r2));
        free(r1);
        free(r2);
        free(jt);
        free(jh);
        free(tail);
        free(head);
        free(prep);
        /* exists / does not exist */
        const char *ex[] = {image, attr, type};
        char *exp = filter_tpl_build(filter_tpl_find("attribute-exists"), ex, &err);
        char *abp = filter_tpl_build(filter_tpl_find("attribute-absent"), ex, &err);
        assert_true(prop_matches(exp, with));
        assert_false(prop_matches(exp, without));
        assert_false(prop_matches(abp, with));
        assert_true(prop_matches(abp, without));
        free(exp);
        free(abp);
        /* the range never matches an attribute (its note says why), and warns */
        const char *range[] = {image, attr, "1", "100"};
        char *rp = filter_tpl_build(filter_tpl_find("attribute-range"), range, &err);
        char *n50 = prop_record(event, image, attr, "N", "\"50\"");
        assert_false(prop_matches(rp, n50));
        filter_pattern *p = filter_pattern_parse(rp, &err);
        char *lint = filter_pattern_lint(p);
        assert_non_null(strstr(lint, "numeric never matches an N attribute"));
        free(lint);
        filter_pattern_free(p);
        free(n50);
        free(rp);
        free(content);
        free(with);
        free(other);
        free(without);
        free(eqp);
        free(yes);
        free(pat);
    }
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
        cmocka_unit_test(test_case_table),      cmocka_unit_test(test_duplicates_linear),
        cmocka_unit_test(test_depth_bound),     cmocka_unit_test(test_template_properties),
        cmocka_unit_test(test_sample_records),  cmocka_unit_test(test_record_shapes),
        cmocka_unit_test(test_explanation),     cmocka_unit_test(test_lint),
        cmocka_unit_test(test_mapping_filters), cmocka_unit_test(test_templates),
        cmocka_unit_test(test_bundled_samples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
