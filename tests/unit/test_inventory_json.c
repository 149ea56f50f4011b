/* esmcfg's own inventory document: written by inventory_to_json and read
 * back unchanged (what discovery's --save-inventory relies on); and the
 * filter pickers use, checked against a plain reference search, also after
 * merges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "export/template_inventory.h"

static const char *const fixtures[] = {
    "list-tables.json",  "describe-table.json", "describe-tables.json", "list-functions.json",
    "list-queues.json",  "list-topics.json",    "list-buckets.json",    "list-keys.json",
    "list-aliases.json", "template.json",
};

/* Load every fixture, the examples and a few odd items into INV. */
static void load_all(inventory *inv)
{
    char path[512], *err = NULL;
    for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
        snprintf(path, sizeof path, "%s/inventory/%s", FIXTURES, fixtures[i]);
        if (inventory_load_path(inv, path, &err) != INV_LOAD_OK)
            fail_msg("%s", err);
    }
    const char *examples[] = {"inventory.json", "template.yaml"};
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/../../examples/%s", FIXTURES, examples[i]);
        if (inventory_load_path(inv, path, &err) != INV_LOAD_OK)
            fail_msg("%s", err);
    }
    const char *odd = "{\"esmcfg_inventory\": 1, \"functions\": [{\"name\": \"adhoc\", "
                      "\"runtime\": \"say \\\"hi\\\"\\n\\u001b\\\\ caf\\u00e9\"}], \"tables\": "
                      "[{\"name\": \"only-a-name\"}]}";
    if (inventory_load_text(inv, odd, strlen(odd), "odd.json", &err) != 0)
        fail_msg("%s", err);
}

/* Both NULL or equal. */
static void same_text(const char *a, const char *b, const char *what, const char *name)
{
    if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
        fail_msg("%s of %s: \"%s\" became \"%s\"", what, name, a ? a : "(null)", b ? b : "(null)");
}

/* Every item not from a template comes back with what it knew. */
static void round_trip(void **state)
{
    (void)state;
    inventory inv, back;
    inventory_init(&inv);
    inventory_init(&back);
    load_all(&inv);
    char *doc = inventory_to_json(&inv);
    char *err = NULL;
    if (inventory_load_text(&back, doc, strlen(doc), "saved.json", &err) != 0)
        fail_msg("%s\n%s", err, doc);
    size_t saved = 0;
    for (size_t i = 0; i < inv.n; i++) {
        const inv_item *a = &inv.items[i];
        if (a->logical_id && !a->arn)
            continue;
        const inv_item *b = inventory_find(&back, a->kind, a->arn ? a->arn : a->name);
        if (!b)
            fail_msg("%s %s was not saved", inv_kind_name(a->kind), a->name);
        saved++;
        same_text(a->name, b->name, "name", a->name);
        same_text(a->arn, b->arn, "arn", a->name);
        same_text(a->region, b->region, "region", a->name);
        same_text(a->account, b->account, "account", a->name);
        same_text(a->stream_arn, b->stream_arn, "stream_arn", a->name);
        same_text(a->stream_view_type, b->stream_view_type, "stream_view_type", a->name);
        same_text(a->role_arn, b->role_arn, "role", a->name);
        same_text(a->runtime, b->runtime, "runtime", a->name);
        same_text(a->last_modified, b->last_modified, "last_modified", a->name);
        assert_int_equal(a->stream_known, b->stream_known);
        assert_int_equal(a->stream_enabled, b->stream_enabled);
        assert_int_equal(a->fifo, b->fifo);
    }
    assert_int_equal(back.n, saved);
    assert_true(saved > 30);
    char *again = inventory_to_json(&back);
    assert_string_equal(doc, again);
    free(again);
    free(doc);
    inventory_free(&back);
    inventory_free(&inv);
}

/* An empty inventory is a valid document. */
static void empty_document(void **state)
{
    (void)state;
    inventory inv;
    inventory_init(&inv);
    char *doc = inventory_to_json(&inv);
    assert_string_equal(doc, "{\n  \"esmcfg_inventory\": 1\n}\n");
    char *err = NULL;
    assert_int_equal(inventory_load_text(&inv, doc, strlen(doc), "e.json", &err), 0);
    assert_int_equal(inv.n, 0);
    free(doc);
    inventory_free(&inv);
}

/* HAY contains the N bytes of WORD, ignoring case. */
static bool has(const char *hay, const char *word, size_t n)
{
    for (; hay && *hay; hay++)
        if (strncasecmp(hay, word, n) == 0)
            return true;
    return false;
}

/* The reference: items of KINDS holding every word of QUERY. */
static size_t reference(const inventory *inv, const inv_kind *kinds, size_t nk, const char *query,
                        size_t *out)
{
    size_t found = 0;
    for (size_t i = 0; i < inv->n; i++) {
        const inv_item *it = &inv->items[i];
        bool ok = false;
        for (size_t k = 0; k < nk; k++)
            ok = ok || it->kind == kinds[k];
        for (const char *p = query; ok && *p;) {
            size_t n = strcspn(p, " ");
            if (n)
                ok = has(it->name, p, n) || has(it->arn, p, n) || has(it->logical_id, p, n);
            p += n + (p[n] == ' ');
        }
        if (ok)
            out[found++] = i;
    }
    return found;
}

/* The filter finds what the reference finds, in the same order. */
static void check_filter(const inventory *inv)
{
    const char *queries[] = {"",
                             "o",
                             "ORD",
                             "order eu",
                             "us-east-1",
                             "fifo",
                             "arn:aws:sqs",
                             "OrdersTable",
                             "  ",
                             "zzz",
                             "e e",
                             "Table",
                             ":",
                             "1234abcd-12ab",
                             "process orders",
                             "s3:::"};
    inv_kind all[] = {INV_TABLE, INV_FUNCTION, INV_QUEUE, INV_TOPIC, INV_BUCKET, INV_KEY};
    inv_kind dest[] = {INV_QUEUE, INV_TOPIC, INV_BUCKET};
    size_t *a = malloc(inv->n * sizeof *a + 1), *b = malloc(inv->n * sizeof *b + 1);
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        for (int set = 0; set < 2; set++) {
            const inv_kind *kinds = set ? dest : all;
            size_t nk = set ? 3 : 6;
            size_t want = reference(inv, kinds, nk, queries[q], a);
            size_t got = inventory_filter(inv, kinds, nk, queries[q], b, inv->n);
            if (want != got || memcmp(a, b, want * sizeof *a) != 0)
                fail_msg("\"%s\": %zu matches, want %zu", queries[q], got, want);
            assert_int_equal(inventory_filter(inv, kinds, nk, queries[q], NULL, 0), want);
        }
    }
    free(a);
    free(b);
}

/* Filtering over everything, and after merges changed what items know. */
static void filtering(void **state)
{
    (void)state;
    inventory inv;
    inventory_init(&inv);
    char path[512], *err = NULL;
    snprintf(path, sizeof path, "%s/inventory/list-tables.json", FIXTURES);
    assert_int_equal(inventory_load_path(&inv, path, &err), 0);
    inv_kind tables = INV_TABLE;
    size_t idx[8];
    assert_int_equal(inventory_filter(&inv, &tables, 1, "us-east-1", idx, 8), 0);
    snprintf(path, sizeof path, "%s/inventory/describe-table.json", FIXTURES);
    assert_int_equal(inventory_load_path(&inv, path, &err), 0);
    assert_int_equal(inventory_filter(&inv, &tables, 1, "us-east-1", idx, 8), 1);
    check_filter(&inv);
    inventory_free(&inv);
    inventory_init(&inv);
    load_all(&inv);
    check_filter(&inv);
    inventory_free(&inv);
}

/* Items built by hand (never committed) are filtered item by item. */
static void uncommitted(void **state)
{
    (void)state;
    inventory inv;
    inventory_init(&inv);
    inv_item *it = inventory_stage_add(&inv, INV_QUEUE);
    it->name = inventory_strdup(&inv, "Orders-DLQ");
    it->arn = inventory_strdup(&inv, "arn:aws:sqs:us-east-1:123456789012:Orders-DLQ");
    inv_kind q = INV_QUEUE;
    size_t idx[2];
    assert_int_equal(inventory_filter(&inv, &q, 1, "dlq orders", idx, 2), 1);
    assert_int_equal(inventory_filter(&inv, &q, 1, "dlq fifo", idx, 2), 0);
    inventory_free(&inv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
        cmocka_unit_test(empty_document),
        cmocka_unit_test(filtering),
        cmocka_unit_test(uncommitted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
