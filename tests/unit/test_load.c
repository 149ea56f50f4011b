/* export/load*.c and export/update_json.c: every golden export loads back
 * and renders to the same bytes; AWS CLI output (get and list) loads with
 * its UUID; each problem names its JSON path and line; --check; the update
 * request's clearing values come from the table; the line index. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "export/export.h"
#include "export/load.h"
#include "export/load_int.h"
#include "export/update_json.h"
#include "model/inventory.h"
#include "model/mapping.h"
#include "model/util.h"

#define ROLE "arn:aws:iam::123456789012:role/service-role/process-orders-role"
#define UUID "6d9bce8e-836b-442c-8070-74e77903c815"
#define OTHER_STREAM                                                                               \
    "arn:aws:dynamodb:us-east-1:123456789012:table/other/stream/2024-01-01T00:00:00.000"

/* A fixture file's text (tests/fixtures/REL). */
static char *fixture(const char *rel, size_t *len)
{
    char *path = xasprintf("%s/%s", FIXTURES, rel);
    char *err = NULL;
    char *text = file_read_all(path, 1 << 22, len, &err);
    if (!text)
        fail_msg("%s", err);
    free(path);
    return text;
}

/* All of R's problems, one per line, for failure messages. */
static char *report_text(const load_report *r)
{
    strbuf b = {0};
    for (size_t i = 0; i < r->n; i++) {
        char *line = load_problem_format(&r->items[i], "doc");
        sb_addf(&b, "%s\n", line);
        free(line);
    }
    return sb_take(&b);
}

/* TEXT loaded with O, failing the test on any error; *KIND what it was. */
static mapping *load_text_ok(const char *text, const load_options *o, load_kind *kind)
{
    mapping *m = mapping_new();
    load_report r = {0};
    if (load_mapping(text, strlen(text), o, m, kind, &r) != LOAD_OK ||
        load_report_count(&r, DIAG_ERROR) > 0)
        fail_msg("load failed:\n%s", report_text(&r));
    load_report_free(&r);
    return m;
}

/* Fixture REL loaded with O. */
static mapping *load_fixture_ok(const char *rel, const load_options *o, load_kind *kind)
{
    size_t len = 0;
    char *text = fixture(rel, &len);
    mapping *m = load_text_ok(text, o, kind);
    free(text);
    return m;
}

/* M in F, failing the test when refused. */
static char *render_ok(const mapping *m, export_format f)
{
    char *err = NULL;
    char *out = export_render(m, f, &err);
    if (!out)
        fail_msg("render %s refused: %s", export_format_name(f), err);
    return out;
}

/* The format a golden file name ends with. */
static export_format format_of(const char *name)
{
    size_t n = strlen(name);
    if (n > 9 && strcmp(name + n - 9, ".cfn.json") == 0)
        return FMT_CFN_JSON;
    if (n > 9 && strcmp(name + n - 9, ".cfn.yaml") == 0)
        return FMT_CFN_YAML;
    return FMT_JSON;
}

/* The load kind of a format's export. */
static load_kind kind_of(export_format f)
{
    return f == FMT_CFN_JSON ? LOAD_CFN_JSON : f == FMT_CFN_YAML ? LOAD_CFN_YAML : LOAD_API_JSON;
}

/* Load golden file NAME (with O) and render it again in its own format:
 * the same bytes. */
static void assert_round_trip(const char *name, const load_options *o)
{
    char *rel = xasprintf("golden/%s", name);
    size_t len = 0;
    char *want = fixture(rel, &len);
    load_kind kind;
    mapping *m = load_text_ok(want, o, &kind);
    export_format f = format_of(name);
    assert_int_equal(kind, kind_of(f));
    char *got = render_ok(m, f);
    if (strcmp(got, want) != 0)
        fail_msg("%s does not round-trip:\n%s", name, got);
    free(got);
    free(want);
    free(rel);
    mapping_free(m);
}

/* Every golden file of every format: export, load, export gives the same bytes. */
static void test_golden_round_trip(void **state)
{
    (void)state;
    static const char *const cases[] = {"minimal", "full", "role-sqs", "role-sns", "role-s3", NULL};
    static const char *const exts[] = {".json", ".cfn.json", ".cfn.yaml", NULL};
    load_options o = {.source = "golden"};
    for (size_t i = 0; cases[i]; i++) {
        for (size_t j = 0; exts[j]; j++) {
            char *name = xasprintf("%s%s", cases[i], exts[j]);
            assert_round_trip(name, &o);
            free(name);
        }
    }
}

/* Templates whose table and function are references to other resources
 * round-trip too; the inventory of their template gives the table's name. */
static void test_refs_round_trip(void **state)
{
    (void)state;
    inv_item items[] = {
        {.kind = INV_TABLE, .name = "orders", .logical_id = "OrdersTable"},
        {.kind = INV_FUNCTION,
         .name = "ProcessOrdersFunction",
         .logical_id = "ProcessOrdersFunction",
         .role_logical_id = "ProcessOrdersRole"},
    };
    inventory inv = {.items = items, .n = 2};
    load_options o = {.source = "golden", .inv = &inv};
    static const char *const names[] = {"refs.cfn.json", "refs.cfn.yaml", "refs-mixed.cfn.json",
                                        "refs-mixed.cfn.yaml", NULL};
    for (size_t i = 0; names[i]; i++)
        assert_round_trip(names[i], &o);
    mapping *m = load_fixture_ok("golden/refs.cfn.yaml", &o, NULL);
    assert_false(mapping_is_set(m, OPT_TABLE));
    assert_string_equal(m->table_ref, "OrdersTable");
    assert_string_equal(m->function_ref, "ProcessOrdersFunction");
    assert_string_equal(m->role_ref, "ProcessOrdersRole");
    mapping_free(m);
}

/* An API JSON export loaded and given the role renders the golden
 * templates, and a template loaded renders the golden API JSON. */
static void test_cross_format(void **state)
{
    (void)state;
    load_options o = {0};
    mapping *m = load_fixture_ok("golden/full.json", &o, NULL);
    mapping_set_role(m, ROLE);
    size_t len = 0;
    char *want = fixture("golden/full.cfn.yaml", &len);
    char *got = render_ok(m, FMT_CFN_YAML);
    assert_string_equal(got, want);
    free(got);
    free(want);
    mapping_free(m);
    m = load_fixture_ok("golden/full.cfn.yaml", &o, NULL);
    want = fixture("golden/full.json", &len);
    got = render_ok(m, FMT_JSON);
    assert_string_equal(got, want);
    assert_string_equal(m->function_role,
                        "arn:aws:iam::123456789012:role/process-orders-role"); /* from Roles */
    free(got);
    free(want);
    mapping_free(m);
}

/* get-event-source-mapping output: UUID, FunctionArn, State, values at
 * AWS's default left unset, the mapping as loaded kept. JSON and YAML read
 * alike. */
static void test_aws_mapping(void **state)
{
    (void)state;
    load_options o = {0};
    load_kind kind;
    mapping *m = load_fixture_ok("load/get.json", &o, &kind);
    assert_int_equal(kind, LOAD_AWS_MAPPING);
    assert_true(mapping_is_update(m));
    assert_string_equal(m->uuid, UUID);
    assert_non_null(m->original);
    assert_true(mapping_equal(m, m->original));
    assert_string_equal(mapping_get(m, OPT_FUNCTION)->str,
                        "arn:aws:lambda:us-east-1:123456789012:function:process-orders");
    assert_true(mapping_is_set(m, OPT_ENABLED)); /* State: Disabled */
    assert_int_equal(mapping_get(m, OPT_ENABLED)->num, 0);
    assert_false(mapping_is_set(m, OPT_BATCH_SIZE));             /* 100: the default */
    assert_false(mapping_is_set(m, OPT_PARALLELIZATION_FACTOR)); /* 1 */
    assert_false(mapping_is_set(m, OPT_TUMBLING_WINDOW));        /* 0 */
    assert_int_equal(mapping_get(m, OPT_MAX_BATCHING_WINDOW)->num, 5);
    assert_int_equal(mapping_get(m, OPT_FILTERS)->n_items, 1);
    assert_string_equal(m->table_name, "orders");
    mapping *y = load_fixture_ok("load/get.yaml", &o, &kind);
    assert_int_equal(kind, LOAD_AWS_MAPPING);
    assert_true(mapping_equal(m, y));
    mapping_free(y);
    mapping_free(m);
}

/* Load TEXT expecting status ST and an error containing WANT. */
static void assert_load_fails(const char *text, const load_options *o, load_status st,
                              const char *want)
{
    mapping *m = mapping_new();
    load_report r = {0};
    assert_int_equal(load_mapping(text, strlen(text), o, m, NULL, &r), st);
    char *all = report_text(&r);
    if (!strstr(all, want))
        fail_msg("no \"%s\" in:\n%s", want, all);
    free(all);
    load_report_free(&r);
    mapping_free(m);
}

/* list-event-source-mappings output: the one stream mapping, or --uuid's;
 * several without --uuid is ambiguous and lists them. */
static void test_aws_list(void **state)
{
    (void)state;
    size_t len = 0;
    char *text = fixture("load/list.json", &len);
    load_options o = {.uuid = "a1b2c3d4-2222-4e5f-8a9b-000000000003"};
    load_kind kind;
    mapping *m = load_text_ok(text, &o, &kind);
    assert_int_equal(kind, LOAD_AWS_LIST);
    assert_string_equal(m->uuid, o.uuid);
    assert_string_equal(m->table_name, "customers");
    mapping_free(m);
    o.uuid = NULL;
    assert_load_fails(text, &o, LOAD_AMBIGUOUS,
                      "doc:2: EventSourceMappings: holds 2 DynamoDB stream mappings; pick one "
                      "with --uuid: " UUID " (orders -> ");
    o.uuid = "nope";
    assert_load_fails(text, &o, LOAD_INVALID, "EventSourceMappings: has no mapping with UUID nope");
    o.uuid = "0f2e7a4c-1111-4a5b-9c3d-000000000001"; /* the SQS one */
    assert_load_fails(text, &o, LOAD_INVALID, "is an SQS queue ARN, not a DynamoDB stream ARN");
    free(text);
    /* One stream mapping among others is picked without --uuid. */
    const char *one = "{\"EventSourceMappings\": [{\"UUID\": \"u1\", \"EventSourceArn\": "
                      "\"arn:aws:sqs:us-east-1:123456789012:q\"}, {\"UUID\": \"u2\", "
                      "\"StartingPosition\": \"LATEST\", \"EventSourceArn\": \"" OTHER_STREAM
                      "\", \"FunctionArn\": \"f\", \"State\": \"Enabling\"}]}";
    o.uuid = NULL;
    m = load_text_ok(one, &o, NULL);
    assert_string_equal(m->uuid, "u2");
    assert_false(mapping_is_set(m, OPT_ENABLED)); /* Enabling: true, the default */
    mapping_free(m);
}

/* A template with two mappings: --logical-id picks, else ambiguous. */
static void test_template_pick(void **state)
{
    (void)state;
    const char *two = "Resources:\n"
                      "  A:\n"
                      "    Type: AWS::Lambda::EventSourceMapping\n"
                      "    Properties: {EventSourceArn: " OTHER_STREAM ", FunctionName: f,\n"
                      "                 StartingPosition: LATEST}\n"
                      "  B:\n"
                      "    Type: AWS::Lambda::EventSourceMapping\n"
                      "    Properties: {EventSourceArn: " OTHER_STREAM ", FunctionName: g,\n"
                      "                 StartingPosition: LATEST}\n";
    load_options o = {0};
    assert_load_fails(two, &o, LOAD_AMBIGUOUS,
                      "Resources: holds 2 event source mappings; pick one with --logical-id: A, B");
    o.logical_id = "B";
    mapping *m = load_text_ok(two, &o, NULL);
    assert_string_equal(mapping_get(m, OPT_FUNCTION)->str, "g");
    assert_string_equal(m->logical_id, "B");
    mapping_free(m);
    o.logical_id = "C";
    assert_load_fails(two, &o, LOAD_INVALID, "Resources: has no mapping C (it has A, B)");
    assert_load_fails("Resources: {}\n", &o, LOAD_INVALID,
                      "Resources: has no AWS::Lambda::EventSourceMapping resource");
}

/* Every problem with its JSON path and line, not just the first. */
static void test_problems_located(void **state)
{
    (void)state;
    const char *yaml = "Resources:\n"                                     /* 1 */
                       "  M:\n"                                           /* 2 */
                       "    Type: AWS::Lambda::EventSourceMapping\n"      /* 3 */
                       "    Properties:\n"                                /* 4 */
                       "      EventSourceArn: " OTHER_STREAM "\n"         /* 5 */
                       "      FunctionName: f\n"                          /* 6 */
                       "      StartingPosition: AT_TIMESTAMP\n"           /* 7 */
                       "      BatchSize: 0\n"                             /* 8 */
                       "      MaximumRetryAttempts: '3'\n"                /* 9 */
                       "      FunctionResponseTypes: [Nope]\n"            /* 10 */
                       "      Tags:\n"                                    /* 11 */
                       "      - Key: a=b\n"                               /* 12 */
                       "        Value: c\n"                               /* 13 */
                       "      KMSKeyArn: arn:aws:kms:us-east-1:1:key/k\n" /* 14 */
                       "      MaximumRecordAgeInSeconds: 1.5\n"           /* 15 */
                       "      Enabled: null\n";                           /* 16 */
    static const struct {
        size_t line;
        const char *path, *message;
    } want[] = {
        {7, "Resources.M.Properties.StartingPosition",
         "AT_TIMESTAMP is not allowed (TRIM_HORIZON or LATEST)"},
        {8, "Resources.M.Properties.BatchSize", "0 is out of range (1..10000, default 100)"},
        {9, "Resources.M.Properties.MaximumRetryAttempts",
         "is a string, not a number (-1 (infinite) or 0..10000, default -1 (infinite))"},
        {15, "Resources.M.Properties.MaximumRecordAgeInSeconds",
         "1.5 is not a whole number (-1 (infinite) or 60..604800 s, default -1 (infinite))"},
        {10, "Resources.M.Properties.FunctionResponseTypes[0]",
         "Nope is not allowed (only ReportBatchItemFailures)"},
        {16, "Resources.M.Properties.Enabled", "is null; leave the property out for AWS's default"},
        {12, "Resources.M.Properties.Tags[0]",
         "tag key a=b has '=', which esmcfg cannot keep (KEY=VALUE)"},
        {14, "Resources.M.Properties.KMSKeyArn",
         "is not a property esmcfg knows here (did you mean KmsKeyArn?)"},
    };
    mapping *m = mapping_new();
    load_report r = {0};
    assert_int_equal(load_mapping(yaml, strlen(yaml), NULL, m, NULL, &r), LOAD_INVALID);
    char *all = report_text(&r);
    if (r.n != sizeof want / sizeof want[0])
        fail_msg("%zu problems:\n%s", r.n, all);
    for (size_t i = 0; i < r.n; i++) {
        if (r.items[i].line != want[i].line || strcmp(r.items[i].path, want[i].path) != 0 ||
            strcmp(r.items[i].message, want[i].message) != 0)
            fail_msg("problem %zu:\n%s", i, all);
    }
    char *line = load_problem_format(&r.items[1], "t.yaml");
    assert_string_equal(line, "t.yaml:8: Resources.M.Properties.BatchSize: 0 is out of range "
                              "(1..10000, default 100)");
    free(line);
    free(all);
    load_report_free(&r);
    mapping_free(m);
}

/* Syntax errors: JSON by line and column, YAML by the reader's line. */
static void test_syntax_errors(void **state)
{
    (void)state;
    assert_load_fails("{\n  \"BatchSize\": 5,\n  oops\n}\n", NULL, LOAD_INVALID,
                      "doc:3: invalid JSON at column ");
    assert_load_fails("a: 1\nb: [1, 2\nc: 3\n", NULL, LOAD_INVALID, "doc:3: ");
    assert_load_fails(
        "[1, 2]", NULL, LOAD_INVALID,
        "is not an esmcfg export or AWS CLI output (an object is needed, not a list)");
    /* A NUL byte inside the document. */
    static const char nul[] = "{\"BatchSize\": 5}\0{}";
    mapping *m = mapping_new();
    load_report r = {0};
    assert_int_equal(load_mapping(nul, sizeof nul - 1, NULL, m, NULL, &r), LOAD_INVALID);
    assert_string_equal(r.items[0].message, "invalid JSON at column 17");
    load_report_free(&r);
    mapping_free(m);
}

/* Duplicate keys in JSON, unknown members, wrong shapes of lists. */
static void test_shapes(void **state)
{
    (void)state;
    const char *base = "\"EventSourceArn\": \"" OTHER_STREAM "\", \"FunctionName\": \"f\", "
                       "\"StartingPosition\": \"LATEST\"";
    struct {
        const char *extra, *want;
    } cases[] = {
        {"\"BatchSize\": 5, \"BatchSize\": 6", "BatchSize: is given twice"},
        {"\"Colour\": 1", "Colour: is not a property esmcfg knows (not an option of a "
                          "DynamoDB stream mapping)"},
        {"\"KmsKeyArn\": \"x\"", "KmsKeyArn: is not a property esmcfg knows here (did you mean "
                                 "KMSKeyArn?)"},
        {"\"DestinationConfig\": {\"OnSuccess\": {}}",
         "DestinationConfig.OnSuccess: is not a property esmcfg knows"},
        {"\"DestinationConfig\": 5", "DestinationConfig: is a number, not an object"},
        {"\"FilterCriteria\": {\"Filters\": [{\"Pattern\": \"{}\", \"X\": 1}]}",
         "FilterCriteria.Filters[0].X: is not a member esmcfg knows here (only Pattern)"},
        {"\"FilterCriteria\": {\"Filters\": [{}]}", "FilterCriteria.Filters[0]: has no Pattern"},
        {"\"FilterCriteria\": {\"Filters\": [{\"Pattern\": \"[1]\"}]}",
         "FilterCriteria.Filters[0].Pattern: [1] is not a JSON object"},
        {"\"Tags\": [\"a\"]", "Tags: is a list, not an object of KEY: VALUE"},
        {"\"Tags\": {\"k\": 1}", "Tags.k: is a number, not a string"},
        {"\"MetricsConfig\": {\"Metrics\": [\"EventCount\", \"EventCount\"]}",
         "MetricsConfig.Metrics[1]: at most 1 allowed"},
        {"\"Enabled\": \"yes\"", "Enabled: is a string, not true or false"},
        {"\"UUID\": \"u\"", "is an update request, which holds only changes"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *doc = xasprintf("{%s, %s}", base, cases[i].extra);
        assert_load_fails(doc, NULL, LOAD_INVALID, cases[i].want);
        free(doc);
    }
}

/* The update request's member at the first segment of row D's API path. */
static const cJSON *member_of(const cJSON *req, const opt_def *d)
{
    char *seg = xstrndup(d->api, strcspn(d->api, "."));
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(req, seg);
    free(seg);
    return v;
}

/* What the table says removes row D: its clear_json, else its AWS default. */
static cJSON *table_clear(const opt_def *d)
{
    if (d->clear_json)
        return cJSON_Parse(d->clear_json);
    if (d->type == OPT_T_BOOL)
        return cJSON_CreateBool(d->default_num != 0);
    return cJSON_CreateNumber((double)d->default_num);
}

/* Set TEXT for option ID on M, failing the test when refused. */
static void set_ok(mapping *m, opt_id id, const char *text)
{
    char *err = NULL;
    if (mapping_set(m, id, text, &err) < 0)
        fail_msg("%s: %s", text, err);
}

/* Options the person removed get the table's clearing value: the issue's
 * list (FilterCriteria {}, DestinationConfig {}, MetricsConfig
 * {"Metrics": []}, KMSKeyArn "", FunctionResponseTypes [], retries -1,
 * record age -1, parallelization 1, tumbling window 0) and every other. */
static void test_update_clears(void **state)
{
    (void)state;
    mapping *m = load_fixture_ok("load/get.json", NULL, NULL);
    static const struct {
        opt_id id;
        const char *value;
    } extra[] = {{OPT_FILTER_KMS_KEY, "arn:aws:kms:us-east-1:123456789012:key/k1"},
                 {OPT_PARALLELIZATION_FACTOR, "2"},
                 {OPT_TUMBLING_WINDOW, "60"}};
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
        set_ok(m, extra[i].id, extra[i].value);
        set_ok(m->original, extra[i].id, extra[i].value);
    }
    const opt_def *t = opt_table();
    for (int i = 0; i < OPT_COUNT; i++)
        if (!t[i].required && !t[i].update_note && !t[i].always_export)
            mapping_unset(m, t[i].id);
    char *doc = render_ok(m, FMT_UPDATE_JSON);
    cJSON *req = cJSON_Parse(doc);
    assert_string_equal(req->child->string, "UUID");
    size_t cleared = 0;
    for (int i = 0; i < OPT_COUNT; i++) {
        if (!mapping_is_set(m->original, t[i].id) || t[i].required || t[i].update_note ||
            t[i].always_export)
            continue;
        cJSON *want = table_clear(&t[i]);
        if (!cJSON_Compare(member_of(req, &t[i]), want, true))
            fail_msg("--%s is not cleared as the table says:\n%s", t[i].name, doc);
        cJSON_Delete(want);
        cleared++;
    }
    assert_int_equal(cleared, 12);
    assert_non_null(strstr(doc, "\"FilterCriteria\": {}"));
    assert_non_null(strstr(doc, "\"DestinationConfig\": {}"));
    assert_non_null(strstr(doc, "\"MetricsConfig\": {\n    \"Metrics\": []\n  }"));
    assert_non_null(strstr(doc, "\"KMSKeyArn\": \"\""));
    assert_non_null(strstr(doc, "\"FunctionResponseTypes\": []"));
    assert_non_null(strstr(doc, "\"MaximumRetryAttempts\": -1"));
    assert_non_null(strstr(doc, "\"MaximumRecordAgeInSeconds\": -1"));
    assert_non_null(strstr(doc, "\"ParallelizationFactor\": 1"));
    assert_non_null(strstr(doc, "\"TumblingWindowInSeconds\": 0"));
    assert_non_null(strstr(doc, "\"Enabled\": true"));
    cJSON_Delete(req);
    free(doc);
    mapping_free(m);
}

/* An unchanged mapping: UUID first, every option the request carries, none
 * it cannot (stream, starting position, tags). */
static void test_update_unchanged(void **state)
{
    (void)state;
    mapping *m = load_fixture_ok("load/get.json", NULL, NULL);
    char *doc = render_ok(m, FMT_UPDATE_JSON);
    cJSON *req = cJSON_Parse(doc);
    assert_string_equal(req->child->string, "UUID");
    assert_string_equal(req->child->next->string, opt_get(OPT_FUNCTION)->api);
    const opt_def *t = opt_table();
    for (int i = 0; i < OPT_COUNT; i++)
        if (t[i].update_note)
            assert_null(member_of(req, &t[i]));
    assert_non_null(member_of(req, opt_get(OPT_BATCH_SIZE))); /* always written */
    assert_int_equal(cJSON_GetObjectItem(req, "MaximumRetryAttempts")->valueint, 10);
    cJSON_Delete(req);
    free(doc);
    mapping_free(m);
}

/* What the update request cannot carry is refused with the table's reason. */
static void test_update_refusals(void **state)
{
    (void)state;
    char *err = NULL;
    mapping *m = load_fixture_ok("golden/full.json", NULL, NULL);
    assert_null(export_render(m, FMT_UPDATE_JSON, &err));
    assert_non_null(strstr(err, "update-json needs an existing mapping"));
    free(err);
    mapping_free(m);
    m = load_fixture_ok("load/get.json", NULL, NULL);
    set_ok(m, OPT_STARTING_POSITION, "TRIM_HORIZON"); /* the same value: fine */
    free(render_ok(m, FMT_UPDATE_JSON));
    set_ok(m, OPT_TABLE, OTHER_STREAM);
    set_ok(m, OPT_STARTING_POSITION, "LATEST");
    set_ok(m, OPT_TAGS, "team=payments");
    assert_null(export_render(m, FMT_UPDATE_JSON, &err));
    assert_string_equal(err, "--table: a mapping's stream cannot be changed: create a new mapping");
    free(err);
    diag_list l = {0};
    export_update_problems(m, &l);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.items[1].opt, OPT_STARTING_POSITION);
    assert_string_equal(l.items[2].message, opt_get(OPT_TAGS)->update_note);
    diag_list_free(&l);
    assert_true(opt_get(OPT_TABLE)->immutable && opt_get(OPT_STARTING_POSITION)->immutable);
    assert_false(opt_get(OPT_TAGS)->immutable);
    mapping_free(m);
}

/* --check TEXT; returns its error count and the report as text (*ALL). */
static size_t check_text(const char *text, size_t len, char **all)
{
    load_report r = {0};
    load_options o = {.source = "doc"};
    size_t errors = load_check(text, len, &o, NULL, &r);
    *all = report_text(&r);
    load_report_free(&r);
    return errors;
}

/* --check: the golden files, AWS output and update requests pass; a broken
 * policy, refused values and a missing required property do not. */
static void test_check(void **state)
{
    (void)state;
    static const char *const ok[] = {"golden/full.json",     "golden/full.cfn.json",
                                     "golden/full.cfn.yaml", "golden/role-s3.cfn.yaml",
                                     "golden/refs.cfn.yaml", "load/get.json",
                                     "load/list.json",       NULL};
    for (size_t i = 0; ok[i]; i++) {
        size_t len = 0;
        char *text = fixture(ok[i], &len), *all = NULL;
        if (check_text(text, len, &all) != 0)
            fail_msg("%s:\n%s", ok[i], all);
        free(all);
        free(text);
    }
    mapping *m = load_fixture_ok("load/get.json", NULL, NULL);
    mapping_unset(m, OPT_FILTERS);
    mapping_unset(m, OPT_ON_FAILURE);
    char *doc = render_ok(m, FMT_UPDATE_JSON), *all = NULL;
    if (check_text(doc, strlen(doc), &all) != 0)
        fail_msg("update-json:\n%s", all);
    free(all);
    free(doc);
    mapping_free(m);

    size_t len = 0;
    char *text = fixture("golden/role-sqs.cfn.yaml", &len);
    char *bad = xstrdup(text);
    char *at = strstr(bad, "sqs:GetQueueUrl");
    memcpy(at, "sqs:GetQueueURL", 15);
    assert_int_equal(check_text(bad, len, &all), 1);
    assert_non_null(strstr(all, "doc:23: Resources.OrdersProcessOrdersMappingPolicy.Properties."
                                "PolicyDocument.Statement: lacks a permission the mapping needs: "
                                "Allow sqs:SendMessage, sqs:GetQueueAttributes, sqs:GetQueueUrl on "
                                "arn:aws:sqs:us-east-1:123456789012:orders-dlq"));
    free(all);
    free(bad);
    free(text);

    const char *missing = "{\"EventSourceArn\": \"" OTHER_STREAM "\",\n \"FunctionName\": \"f\","
                          "\n \"FilterCriteria\": {\"Filters\": []},\n \"KMSKeyArn\": "
                          "\"arn:aws:kms:us-east-1:123456789012:key/k\"}";
    assert_int_equal(check_text(missing, strlen(missing), &all), 2);
    assert_non_null(strstr(all, "doc:1: StartingPosition: is required (TRIM_HORIZON or LATEST)"));
    assert_non_null(strstr(all, "doc:4: KMSKeyArn: needs at least one filter"));
    free(all);
}

/* References: an expression --check cannot evaluate passes it, but cannot
 * be loaded; a table must be referred to by its stream. */
static void test_references(void **state)
{
    (void)state;
    const char *sub = "Resources:\n  M:\n    Type: AWS::Lambda::EventSourceMapping\n"
                      "    Properties:\n      EventSourceArn: !ImportValue orders-stream\n"
                      "      FunctionName: !Ref Fn\n      StartingPosition: LATEST\n";
    char *all = NULL;
    assert_int_equal(check_text(sub, strlen(sub), &all), 0);
    free(all);
    assert_load_fails(sub, NULL, LOAD_INVALID,
                      "doc:5: Resources.M.Properties.EventSourceArn: Fn::ImportValue cannot be "
                      "read; esmcfg needs the value, Ref or Fn::GetAtt");
    const char *arn = "Resources:\n  M:\n    Type: AWS::Lambda::EventSourceMapping\n"
                      "    Properties:\n      EventSourceArn: !GetAtt Orders.Arn\n"
                      "      FunctionName: f\n      StartingPosition: LATEST\n";
    assert_load_fails(arn, NULL, LOAD_INVALID,
                      "refers to Orders but not to its stream: write Fn::GetAtt [Orders, "
                      "StreamArn]");
    /* The inventory's ARN for a referenced resource is loaded too. */
    inv_item items[] = {
        {.kind = INV_QUEUE, .logical_id = "Dlq", .arn = "arn:aws:sqs:us-east-1:123456789012:dlq"}};
    inventory inv = {.items = items, .n = 1};
    load_options o = {.inv = &inv};
    const char *tpl = "Resources:\n  M:\n    Type: AWS::Lambda::EventSourceMapping\n"
                      "    Properties:\n      EventSourceArn: " OTHER_STREAM "\n"
                      "      FunctionName: f\n      StartingPosition: LATEST\n"
                      "      DestinationConfig:\n        OnFailure:\n"
                      "          Destination: !GetAtt Dlq.Arn\n";
    mapping *m = load_text_ok(tpl, &o, NULL);
    assert_string_equal(mapping_get(m, OPT_ON_FAILURE)->str, items[0].arn);
    assert_string_equal(m->destination_ref, "Dlq");
    mapping_free(m);
}

/* The line index: keys and list items, nested, in YAML and in JSON. */
static void test_line_index(void **state)
{
    (void)state;
    const char *yaml = "a:\n  b:\n  - x\n  - c: 1\n    d: [2, 3]\nz: 4\n";
    line_index li;
    load_lines_build(&li, yaml, strlen(yaml));
    assert_int_equal(load_lines_find(&li, "a"), 1);
    assert_int_equal(load_lines_find(&li, "a.b"), 2);
    assert_int_equal(load_lines_find(&li, "a.b[0]"), 3);
    assert_int_equal(load_lines_find(&li, "a.b[1].c"), 4);
    assert_int_equal(load_lines_find(&li, "a.b[1].d[1]"), 5);
    assert_int_equal(load_lines_find(&li, "a.b[1].nope.deeper"), 4); /* nearest ancestor */
    assert_int_equal(load_lines_find(&li, "z"), 6);
    assert_int_equal(load_lines_find(&li, "y"), 1); /* the document itself */
    load_lines_free(&li);
    const char *json = "{\n  \"a\": {\n    \"b\": [\n      1,\n      {\"c\": 2}\n    ]\n  }\n}\n";
    load_lines_build(&li, json, strlen(json));
    assert_int_equal(load_lines_find(&li, "a.b"), 3);
    assert_int_equal(load_lines_find(&li, "a.b[1].c"), 5);
    load_lines_free(&li);
    load_lines_build(&li, "a: [1,\n", 7); /* broken: indexed as far as read */
    assert_int_equal(load_lines_find(&li, "a"), 1);
    load_lines_free(&li);
}

/* Problem lines: source, line and path each left out when unknown. */
static void test_problem_format(void **state)
{
    (void)state;
    load_problem p = {DIAG_ERROR, 3, "A.B", "bad"};
    char *s = load_problem_format(&p, "f.yaml");
    assert_string_equal(s, "f.yaml:3: A.B: bad");
    free(s);
    p.line = 0;
    s = load_problem_format(&p, "f.yaml");
    assert_string_equal(s, "f.yaml: A.B: bad");
    free(s);
    p.path = "";
    p.line = 2;
    s = load_problem_format(&p, NULL);
    assert_string_equal(s, "line 2: bad");
    free(s);
    assert_string_equal(load_kind_name(LOAD_AWS_LIST), "list-event-source-mappings output");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_round_trip),
        cmocka_unit_test(test_refs_round_trip),
        cmocka_unit_test(test_cross_format),
        cmocka_unit_test(test_aws_mapping),
        cmocka_unit_test(test_aws_list),
        cmocka_unit_test(test_template_pick),
        cmocka_unit_test(test_problems_located),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_update_clears),
        cmocka_unit_test(test_update_unchanged),
        cmocka_unit_test(test_update_refusals),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_references),
        cmocka_unit_test(test_line_index),
        cmocka_unit_test(test_problem_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
