/* The option table, value parsing and validation, driven by the table
 * itself: every numeric row is tried at min-1, min, max, max+1, empty,
 * garbage and overflow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/inventory.h"
#include "model/mapping.h"
#include "model/preset.h"

static const char *const stream_arn =
    "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000";

/* Parse TEXT for option ID; returns the rc and leaves the message in *err. */
static int parse(opt_id id, const char *text, opt_value *v, char **err)
{
    *err = NULL;
    return opt_parse(opt_get(id), text, v, err);
}

/* TEXT is accepted for ID and gives NUM. */
static void expect_num(opt_id id, const char *text, long long num)
{
    opt_value v;
    char *err;
    int rc = parse(id, text, &v, &err);
    if (rc != 0)
        fail_msg("--%s %s rejected: %s", opt_get(id)->name, text, err);
    assert_int_equal(v.num, num);
    opt_value_clear(&v);
}

/* TEXT is refused for ID with a message containing WANT. */
static void expect_error(opt_id id, const char *text, const char *want)
{
    opt_value v;
    char *err;
    int rc = parse(id, text, &v, &err);
    if (rc == 0)
        fail_msg("--%s %s accepted", opt_get(id)->name, text);
    assert_non_null(err);
    if (!strstr(err, want))
        fail_msg("--%s %s: message \"%s\" lacks \"%s\"", opt_get(id)->name, text, err, want);
    free(err);
}

/* Every row has the fields every reader needs. */
static void table_rows_complete(void **state)
{
    (void)state;
    for (size_t i = 0; i < OPT_COUNT; i++) {
        const opt_def *d = &opt_table()[i];
        assert_int_equal(d->id, i);
        assert_non_null(d->name);
        assert_non_null(d->label);
        assert_non_null(d->group);
        assert_non_null(d->api);
        assert_non_null(d->cfn);
        assert_non_null(d->help);
        assert_non_null(d->long_help);
        assert_non_null(d->default_text);
        assert_non_null(d->metavar);
        assert_ptr_equal(opt_find(d->name), d);
        if (opt_is_list(d))
            assert_true(d->max_items > 0);
    }
    assert_null(opt_find("no-such-option"));
    assert_ptr_equal(opt_find("--batch-size"), opt_get(OPT_BATCH_SIZE));
}

/* min-1, min, max, max+1, empty, garbage, fraction, overflow for every number row. */
static void numeric_rows_bounds(void **state)
{
    (void)state;
    for (size_t i = 0; i < OPT_COUNT; i++) {
        const opt_def *d = &opt_table()[i];
        if (d->type != OPT_T_INT && d->type != OPT_T_DURATION)
            continue;
        char buf[64];
        snprintf(buf, sizeof buf, "%lld", d->min);
        expect_num(d->id, buf, d->min);
        snprintf(buf, sizeof buf, "%lld", d->max);
        expect_num(d->id, buf, d->max);
        snprintf(buf, sizeof buf, "%lld", d->max + 1);
        expect_error(d->id, buf, "is out of range (");
        snprintf(buf, sizeof buf, "%lld", d->min - 1);
        if (d->has_special && d->min - 1 == d->special)
            expect_num(d->id, buf, d->special);
        else
            expect_error(d->id, buf, "is out of range (");
        expect_error(d->id, "", "a value is needed");
        expect_error(d->id, "abc", "abc is not a");
        expect_error(d->id, "12abc", "12abc is not a");
        expect_error(d->id, "1.5", "1.5 is not a whole number");
        expect_error(d->id, "99999999999999999999", "is out of range (");
        expect_error(d->id, "-2", "is out of range (");
    }
}

/* The message names value, range and default, as the design shows. */
static void message_format(void **state)
{
    (void)state;
    opt_value v;
    char *err;
    assert_int_equal(parse(OPT_BATCH_SIZE, "10001", &v, &err), -1);
    assert_string_equal(err, "10001 is out of range (1..10000, default 100)");
    free(err);
    assert_int_equal(parse(OPT_RETRY_ATTEMPTS, "20000", &v, &err), -1);
    assert_string_equal(err, "20000 is out of range (-1 (infinite) or 0..10000, default -1 "
                             "(infinite))");
    free(err);
    assert_int_equal(parse(OPT_MAX_BATCHING_WINDOW, "10m", &v, &err), -1);
    assert_string_equal(err, "10m (600 s) is out of range (0..300 s, default 0s)");
    free(err);
    assert_int_equal(parse(OPT_MAX_RECORD_AGE, "30", &v, &err), -1);
    assert_string_equal(err, "30 is out of range (-1 (infinite) or 60..604800 s, default -1 "
                             "(infinite))");
    free(err);
}

/* Every duration syntax the design lists. */
static void duration_forms(void **state)
{
    (void)state;
    expect_num(OPT_MAX_RECORD_AGE, "90", 90);
    expect_num(OPT_MAX_RECORD_AGE, "90s", 90);
    expect_num(OPT_MAX_RECORD_AGE, "5m", 300);
    expect_num(OPT_MAX_RECORD_AGE, "1h", 3600);
    expect_num(OPT_MAX_RECORD_AGE, "7d", 604800);
    expect_num(OPT_MAX_RECORD_AGE, "1h30m", 5400);
    expect_num(OPT_MAX_RECORD_AGE, "PT5M", 300);
    expect_num(OPT_MAX_RECORD_AGE, "P7D", 604800);
    expect_num(OPT_MAX_RECORD_AGE, "P1W", 604800);
    expect_error(OPT_MAX_RECORD_AGE, "5M", "is not a duration");
    expect_error(OPT_MAX_RECORD_AGE, "1w", "is not a duration");
    expect_error(OPT_MAX_RECORD_AGE, "pt5m", "is not a duration");
    expect_num(OPT_MAX_RECORD_AGE, "PT1H30M", 5400);
    expect_num(OPT_MAX_RECORD_AGE, "-1", -1);
    expect_num(OPT_MAX_RECORD_AGE, "infinite", -1);
    expect_num(OPT_MAX_RECORD_AGE, " 2m ", 120);
    expect_error(OPT_MAX_BATCHING_WINDOW, "infinite", "infinite is not a duration");
    expect_num(OPT_RETRY_ATTEMPTS, "infinite", -1);
    expect_error(OPT_BATCH_SIZE, "abc",
                 "abc is not a whole number; allowed: 1..10000, default 100");
    expect_error(OPT_MAX_RECORD_AGE, "1.5m", "is not a whole number of seconds");
    expect_error(OPT_MAX_RECORD_AGE, "PT1.5M", "is not a whole number of seconds");
    expect_error(OPT_MAX_RECORD_AGE, "5x", "is not a duration");
    expect_error(OPT_MAX_RECORD_AGE, "P", "is not a duration");
    expect_error(OPT_MAX_RECORD_AGE, "PT", "is not a duration");
    expect_error(OPT_MAX_RECORD_AGE, "m", "is not a duration");
    expect_error(OPT_MAX_RECORD_AGE, "99999999999999999d", "is out of range");
    expect_error(OPT_MAX_RECORD_AGE, "8d", "8d (691200 s) is out of range");
    char *f = value_format_duration(604800);
    assert_string_equal(f, "7d");
    free(f);
    f = value_format_duration(90);
    assert_string_equal(f, "90s");
    free(f);
    f = value_format_duration(0);
    assert_string_equal(f, "0s");
    free(f);
}

/* Booleans, bare words and garbage. */
static void booleans(void **state)
{
    (void)state;
    const char *yes[] = {"true", "yes", "on", "1", "TRUE", "Yes"};
    const char *no[] = {"false", "no", "off", "0", "False"};
    for (size_t i = 0; i < 6; i++)
        expect_num(OPT_BISECT_BATCH_ON_ERROR, yes[i], 1);
    for (size_t i = 0; i < 5; i++)
        expect_num(OPT_ENABLED, no[i], 0);
    expect_error(OPT_ENABLED, "maybe", "maybe is not a boolean");
    expect_error(OPT_REPORT_BATCH_ITEM_FAILURES, "2", "is not a boolean");
}

/* TEXT is accepted for string option ID. */
static void expect_ok(opt_id id, const char *text)
{
    opt_value v;
    char *err;
    if (parse(id, text, &v, &err) != 0)
        fail_msg("--%s %s rejected: %s", opt_get(id)->name, text, err);
    opt_value_clear(&v);
}

/* Streams, functions, destinations and keys. */
static void arns(void **state)
{
    (void)state;
    expect_ok(OPT_TABLE, stream_arn);
    expect_ok(OPT_TABLE, "arn:aws-cn:dynamodb:cn-north-1:123456789012:table/t_1.x-y/stream/L");
    expect_error(OPT_TABLE, "arn:aws:dynamodb:us-east-1:123456789012:table/orders",
                 "is a table ARN, not its stream ARN");
    expect_error(OPT_TABLE, "orders", "does not start with arn:");
    expect_error(OPT_TABLE, "arn:aws:dynamodb:us-east-1:12345:table/orders/stream/x",
                 "account is not 12 digits");
    expect_error(OPT_TABLE, "arn:aws:dynamodb:useast1:123456789012:table/orders/stream/x",
                 "is not a region");
    expect_error(OPT_TABLE, "arn:aws:sqs:us-east-1:123456789012:q", "is an SQS queue ARN");
    expect_ok(OPT_FUNCTION, "process-orders");
    expect_ok(OPT_FUNCTION, "process-orders:live");
    expect_ok(OPT_FUNCTION, "process-orders:$LATEST");
    expect_ok(OPT_FUNCTION, "123456789012:function:process-orders");
    expect_ok(OPT_FUNCTION, "arn:aws:lambda:us-east-1:123456789012:function:process-orders:7");
    expect_error(OPT_FUNCTION, "bad name", "is not a function name or ARN");
    expect_error(OPT_FUNCTION, "a:b:c:d", "is not a function name or ARN");
    char longname[80];
    memset(longname, 'a', 65);
    longname[65] = '\0';
    expect_error(OPT_FUNCTION, longname, "1..64");
    expect_error(OPT_FUNCTION, "arn:aws:lambda:us-east-1:123456789012:role:x",
                 "is not a function name or ARN");
    expect_ok(OPT_ON_FAILURE, "arn:aws:sqs:us-east-1:123456789012:orders-dlq");
    expect_ok(OPT_ON_FAILURE, "arn:aws:sns:us-east-1:123456789012:failures");
    expect_ok(OPT_ON_FAILURE, "arn:aws:s3:::acme-failures");
    expect_error(OPT_ON_FAILURE, "arn:aws:s3:::Acme", "lower case");
    expect_error(OPT_ON_FAILURE, "arn:aws:lambda:us-east-1:123456789012:function:f",
                 "is a Lambda function ARN; an on-failure destination is");
    expect_ok(OPT_FILTER_KMS_KEY, "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab");
    expect_error(OPT_FILTER_KMS_KEY, "arn:aws:kms:us-east-1:123456789012:alias/x", "key/KEY_ID");
    expect_ok(OPT_STARTING_POSITION, "latest");
    expect_error(OPT_STARTING_POSITION, "AT_TIMESTAMP", "(TRIM_HORIZON or LATEST)");
}

/* Filters, tags and metrics, and the list limits of the mapping. */
static void lists(void **state)
{
    (void)state;
    mapping *m = mapping_new();
    char *err = NULL;
    assert_int_equal(mapping_set(m, OPT_FILTERS, "{\"eventName\": [\"INSERT\"]}", &err), 0);
    assert_int_equal(mapping_set(m, OPT_FILTERS, "{\"eventName\": [\"INSERT\"]}", &err), -1);
    assert_non_null(strstr(err, "is given twice"));
    free(err);
    /* 10 filters (5 by default, 10 with the quota raised: a warning), not 11 */
    const opt_def *fd = opt_get(OPT_FILTERS);
    assert_int_equal(fd->max_items, 10);
    assert_int_equal(fd->quota_items, 5);
    for (int i = 1; i < 10; i++) {
        char pattern[64];
        snprintf(pattern, sizeof pattern, "{\"n\": [%d]}", i);
        assert_int_equal(mapping_set(m, OPT_FILTERS, pattern, &err), 0);
    }
    assert_int_equal(mapping_set(m, OPT_FILTERS, "{\"n\": [11]}", &err), -1);
    assert_non_null(strstr(err, "at most 10"));
    free(err);
    expect_error(OPT_FILTERS, "{}", "is empty");
    expect_error(OPT_FILTERS, "{\"a\": \"x\"}", "is not a list");
    expect_error(OPT_FILTERS, "[1,2]", "is not a JSON object");
    expect_error(OPT_FILTERS, "{\"a\":", "is not valid JSON");
    expect_error(OPT_FILTERS, "{} x", "is not valid JSON");
    char *big = malloc(5000);
    memset(big, ' ', 4999);
    big[0] = '{';
    big[4997] = '}';
    big[4998] = '\0';
    expect_error(OPT_FILTERS, big, "too long (at most 4096)");
    free(big);
    assert_int_equal(mapping_set(m, OPT_TAGS, "team=orders, env=prod", &err), 0);
    assert_int_equal(mapping_get(m, OPT_TAGS)->n_items, 2);
    assert_int_equal(mapping_set(m, OPT_TAGS, "team=x", &err), -1);
    assert_non_null(strstr(err, "team is given twice"));
    free(err);
    expect_error(OPT_TAGS, "novalue", "is not KEY=VALUE");
    expect_error(OPT_TAGS, "aws:x=1", "aws:");
    expect_error(OPT_TAGS, "=1", "1..128");
    expect_error(OPT_TAGS, "k=a;b", "a character tags do not allow");
    expect_ok(OPT_TAGS, "k=");
    expect_ok(OPT_TAGS, " =x");
    expect_ok(OPT_TAGS, "k=a\xc2\xa0\xc2\xbd");
    expect_error(OPT_TAGS, "k=a\t", "a character tags do not allow");
    opt_value kept;
    char *kerr;
    assert_int_equal(parse(OPT_TAGS, "team=data ", &kept, &kerr), 0);
    assert_string_equal(kept.items[0].val, "data ");
    opt_value_clear(&kept);
    assert_int_equal(
        parse(OPT_FILTERS, "{\n  \"eventName\": [\"RE MOVE\"],\r\n  \"a\": [1]\n}", &kept, &kerr), 0);
    assert_string_equal(kept.items[0].key, "{\"eventName\": [\"RE MOVE\"],\"a\": [1]}");
    opt_value_clear(&kept);
    assert_int_equal(parse(OPT_METRICS, "none", &kept, &kerr), 0);
    assert_int_equal(kept.n_items, 0);
    opt_value_clear(&kept);
    expect_ok(OPT_TAGS, "\xc3\xa9quipe=caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac");
    expect_error(OPT_TAGS, "price=5\xe2\x82\xac", "a character tags do not allow");
    expect_error(OPT_TAGS, "k=\xff", "is not valid UTF-8");
    expect_error(OPT_FUNCTION, "f\xc3", "is not valid UTF-8");
    expect_ok(OPT_METRICS, "EventCount");
    expect_error(OPT_METRICS, "ErrorCount", "is not allowed (none or EventCount");
    mapping_free(m);
}

/* Diag of OPT with TEXT exists at LEVEL in L. */
static bool has_diag(const diag_list *l, diag_level level, opt_id opt, const char *text)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].level == level && l->items[i].opt == opt &&
            strstr(l->items[i].message, text))
            return true;
    return false;
}

/* A mapping with the required options set. */
static mapping *base_mapping(void)
{
    mapping *m = mapping_new();
    char *err = NULL;
    assert_int_equal(mapping_set(m, OPT_TABLE, stream_arn, &err), 0);
    assert_int_equal(mapping_set(m, OPT_FUNCTION, "process-orders", &err), 0);
    assert_int_equal(mapping_set(m, OPT_STARTING_POSITION, "LATEST", &err), 0);
    return m;
}

/* Rules across options. */
static void rules(void **state)
{
    (void)state;
    diag_list l = {0};
    mapping *m = mapping_new();
    mapping_validate(m, &l);
    assert_true(has_diag(&l, DIAG_ERROR, OPT_TABLE, "is required"));
    assert_true(has_diag(&l, DIAG_ERROR, OPT_FUNCTION, "is required"));
    assert_true(has_diag(&l, DIAG_ERROR, OPT_STARTING_POSITION, "is required"));
    diag_list_free(&l);
    mapping_free(m);

    m = base_mapping();
    mapping_validate(m, &l);
    assert_int_equal(diag_count(&l, DIAG_ERROR), 0);
    assert_true(has_diag(&l, DIAG_WARNING, OPT_RETRY_ATTEMPTS, "block its shard"));
    diag_list_free(&l);

    char *err = NULL;
    mapping_set(m, OPT_FUNCTION, "arn:aws:lambda:eu-west-1:123456789012:function:f", &err);
    mapping_set(m, OPT_FILTER_KMS_KEY, "arn:aws:kms:us-east-1:123456789012:key/k1", &err);
    mapping_set(m, OPT_ON_FAILURE, "arn:aws:sqs:us-east-1:123456789012:dlq.fifo", &err);
    mapping_set(m, OPT_TUMBLING_WINDOW, "60", &err);
    mapping_set(m, OPT_PARALLELIZATION_FACTOR, "2", &err);
    mapping_validate(m, &l);
    assert_true(has_diag(&l, DIAG_ERROR, OPT_FUNCTION, "cannot cross regions"));
    assert_true(has_diag(&l, DIAG_ERROR, OPT_FILTER_KMS_KEY, "needs at least one filter"));
    assert_true(has_diag(&l, DIAG_ERROR, OPT_ON_FAILURE, "FIFO queue"));
    assert_true(has_diag(&l, DIAG_WARNING, OPT_TUMBLING_WINDOW, "parallelization-factor 1"));
    char *msg = diag_format(&l.items[0]);
    assert_string_equal(msg, "--function: is in region eu-west-1 but the stream is in us-east-1 "
                             "(a mapping cannot cross regions)");
    free(msg);
    diag_list_free(&l);

    mapping_set(m, OPT_ON_FAILURE, "arn:aws:sns:us-east-1:123456789012:alerts", &err);
    mapping_validate(m, &l);
    assert_true(has_diag(&l, DIAG_WARNING, OPT_ON_FAILURE, "256 KB"));
    diag_list_free(&l);
    mapping_free(m);
}

/* The safe preset with its destination picked draws no warning: it sets
 * bisect and partial batch responses together on purpose. */
static void safe_preset_no_warning(void **state)
{
    (void)state;
    mapping *m = base_mapping();
    char *err = NULL;
    assert_int_equal(preset_apply(preset_find("safe"), m, NULL, &err), 0);
    assert_int_equal(mapping_set(m, OPT_ON_FAILURE, "arn:aws:sqs:us-east-1:123456789012:dlq", &err),
                     0);
    diag_list l = {0};
    mapping_validate(m, &l);
    assert_int_equal(l.n, 0);
    diag_list_free(&l);
    mapping_free(m);
}

/* Formatting and edit text round-trip through the parser. */
static void format_round_trip(void **state)
{
    (void)state;
    mapping *m = base_mapping();
    char *err = NULL;
    mapping_set(m, OPT_MAX_RECORD_AGE, "3600", &err);
    mapping_set(m, OPT_TAGS, "a=1,b=2", &err);
    for (size_t i = 0; i < OPT_COUNT; i++) {
        const opt_def *d = opt_get((opt_id)i);
        if (d->type == OPT_T_PATTERNS)
            continue;
        char *text = opt_edit_text(d, mapping_get(m, d->id));
        opt_value v;
        if (!mapping_is_set(m, d->id) && !opt_is_numeric(d)) {
            free(text);
            continue;
        }
        if (opt_parse(d, text, &v, &err) != 0)
            fail_msg("--%s: edit text \"%s\" does not parse: %s", d->name, text, err);
        if (mapping_is_set(m, d->id) && !opt_value_equal(&v, mapping_get(m, d->id)))
            fail_msg("--%s: \"%s\" parses to another value", d->name, text);
        opt_value_clear(&v);
        free(text);
    }
    char *shown = opt_format(opt_get(OPT_MAX_RECORD_AGE), mapping_get(m, OPT_MAX_RECORD_AGE));
    assert_string_equal(shown, "1h");
    free(shown);
    shown = opt_format(opt_get(OPT_RETRY_ATTEMPTS), mapping_get(m, OPT_RETRY_ATTEMPTS));
    assert_string_equal(shown, "-1 (infinite)");
    free(shown);
    mapping *c = mapping_clone(m);
    assert_true(mapping_equal(m, c));
    mapping_remove_item(c, OPT_TAGS, 0);
    assert_false(mapping_equal(m, c));
    mapping_free(c);
    mapping_free(m);
}

/* Control characters and invalid UTF-8 never reach the terminal. */
static void display_escaping(void **state)
{
    (void)state;
    char *e = str_escape_display("a\x1b[2Jb\n\xff\xc2\x9b"
                                 "c\\");
    assert_string_equal(e, "a\\x1b[2Jb\\n\\xff\\u009bc\\\\");
    free(e);
    e = str_escape_display("caf\xc3\xa9");
    assert_string_equal(e, "caf\xc3\xa9");
    free(e);
}

/* The inventory: the sample loads; errors name file and entry; nothing half-loaded. */
static void inventory_loading(void **state)
{
    (void)state;
    inventory inv;
    inventory_init(&inv);
    char *err = NULL;
    char path[512];
    snprintf(path, sizeof path, "%s/../../examples/inventory.json", FIXTURES);
    if (inventory_load_file(&inv, path, &err) != 0)
        fail_msg("%s", err);
    const inv_item *t = inventory_find(&inv, INV_TABLE, "orders");
    assert_non_null(t);
    assert_true(t->stream_enabled);
    assert_string_equal(t->region, "us-east-1");
    const inv_item *s = inventory_find(&inv, INV_TABLE, "sessions");
    assert_non_null(s);
    assert_false(s->stream_enabled);
    const inv_item *f = inventory_find(&inv, INV_FUNCTION, "process-orders");
    assert_non_null(f);
    assert_non_null(f->role_arn);
    size_t idx[64];
    inv_kind tables = INV_TABLE;
    assert_int_equal(inventory_filter(&inv, &tables, 1, "ORD", idx, 64), 3);
    assert_int_equal(inventory_filter(&inv, &tables, 1, "ord eu", idx, 64), 1);
    inv_kind dest[] = {INV_QUEUE, INV_TOPIC, INV_BUCKET};
    assert_int_equal(inventory_filter(&inv, dest, 3, "", idx, 64), 6);
    size_t before = inv.n;

    const char *bad[][2] = {
        {"{\"esmcfg_inventory\": 1, \"tables\": [{\"arn\": \"x\"}]}", "tables[0].arn"},
        {"{\"esmcfg_inventory\": 1, \"functions\": [{}]}", "functions[0]: needs"},
        {"{\"esmcfg_inventory\": 2}", "schema version"},
        {"{\"tables\": []}", "not an esmcfg inventory"},
        {"{\"esmcfg_inventory\": 1, \"tables\": [", "not valid JSON (line 1)"},
        {"{\"esmcfg_inventory\": 1, \"queues\": [{\"arn\": \"arn:aws:sqs:us-east-1:"
         "123456789012:q\"}, {\"arn\": \"arn:aws:sqs:us-east-1:123456789012:q\"}]}",
         "listed twice"},
        {"{\"esmcfg_inventory\": 1, \"tables\": {}}", "must be an array"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err = NULL;
        assert_int_equal(inventory_load_text(&inv, bad[i][0], strlen(bad[i][0]), "x.json", &err),
                         -1);
        if (!strstr(err, bad[i][1]) || strncmp(err, "x.json: ", 8) != 0)
            fail_msg("message \"%s\" lacks \"%s\"", err, bad[i][1]);
        free(err);
    }
    assert_int_equal(inv.n, before);
    inventory_free(&inv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_rows_complete),
        cmocka_unit_test(numeric_rows_bounds),
        cmocka_unit_test(message_format),
        cmocka_unit_test(duration_forms),
        cmocka_unit_test(booleans),
        cmocka_unit_test(arns),
        cmocka_unit_test(lists),
        cmocka_unit_test(rules),
        cmocka_unit_test(safe_preset_no_warning),
        cmocka_unit_test(format_round_trip),
        cmocka_unit_test(display_escaping),
        cmocka_unit_test(inventory_loading),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
