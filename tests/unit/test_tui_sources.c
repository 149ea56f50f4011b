/* Where the screen's items come from and what survives a lost session,
 * with no terminal: template items picked through model/pick.h (references,
 * never a NULL value), pickers' columns and details, --merge-into, live
 * discovery driven through fake function pointers, and drafts (saved after
 * each change, offered at start, cleared by an export). Keys go through
 * the key table into form_apply as the main loop sends them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "export/draft.h"
#include "export/template_inventory.h"
#include "model/pick.h"
#include "model/util.h"
#include "tui/form.h"
#include "tui/form_int.h"
#include "tui/keys.h"

#define EXAMPLES FIXTURES "/../../examples"
#define TEMPLATE EXAMPLES "/template.yaml"
#define INVENTORY EXAMPLES "/inventory.json"
#define STREAM_TYPED                                                                               \
    "arn:aws:dynamodb:us-east-1:123456789012:table/typed/stream/2026-02-02T00:00:00.000"

typedef struct fixture {
    inventory inv;
    mapping *m;
    form_state st;
    char dir[64];
} fixture;

/* Remove F's temporary folder. */
static void remove_dir(const char *dir)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

/* The examples' template and inventory, an empty mapping, drafts in a
 * temporary XDG_STATE_HOME (off until a test turns them on). */
static int setup(void **state)
{
    fixture *f = xcalloc(1, sizeof *f);
    inventory_init(&f->inv);
    char *err = NULL;
    if (inventory_load_path(&f->inv, TEMPLATE, &err) != INV_LOAD_OK)
        fail_msg("template: %s", err);
    if (inventory_load_path(&f->inv, INVENTORY, &err) != INV_LOAD_OK)
        fail_msg("inventory: %s", err);
    f->m = mapping_new();
    snprintf(f->dir, sizeof f->dir, "/tmp/esmcfg-tui-src-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    setenv("XDG_STATE_HOME", f->dir, 1);
    form_init(&f->st, f->m, &f->inv, FMT_CFN_JSON, NULL, NULL);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    form_free(&f->st);
    mapping_free(f->m);
    inventory_free(&f->inv);
    remove_dir(f->dir);
    free(f);
    return 0;
}

/* Send KEY as the main loop does: through the key table. */
static void press(form_state *st, unsigned key)
{
    form_apply(st, tui_key_action(tui_key_context(st), key), key);
}

/* Type each character of S. */
static void type(form_state *st, const char *s)
{
    for (; *s; s++)
        press(st, (unsigned char)*s);
}

/* Open the picker of option ID. */
static void open_picker(fixture *f, const char *focus)
{
    form_free(&f->st);
    form_init(&f->st, f->m, &f->inv, FMT_CFN_JSON, NULL, focus);
    press(&f->st, TK_ENTER);
    assert_int_equal(f->st.mode, FM_PICKER);
}

/* The index of the picker entry whose first column is NAME and whose
 * item is (or is not) from a template; fails when there is none. */
static size_t entry_named(const form_state *st, const char *name, bool from_template)
{
    for (size_t i = 0; i < st->pk.n_match; i++) {
        const inv_item *it = &st->inv->items[st->pk.match[i]];
        const char *n = it->name ? it->name : it->logical_id;
        if (strcmp(n, name) == 0 && (it->logical_id != NULL) == from_template)
            return i;
    }
    fail_msg("no entry %s", name);
    return 0;
}

/* Highlight entry I. */
static void select_entry(form_state *st, size_t i)
{
    while (st->pk.sel < (long)i)
        press(st, TK_DOWN);
    while (st->pk.sel > (long)i)
        press(st, TK_UP);
}

/* Column K (0-based) of a tab-separated entry. Caller frees. */
static char *column_of(const char *entry, int k)
{
    const char *p = entry;
    for (int i = 0; i < k && p; i++) {
        p = strchr(p, '\t');
        if (p)
            p++;
    }
    assert_non_null(p);
    return xstrndup(p, strcspn(p, "\t"));
}

/* Count the tab-separated columns of S. */
static size_t n_columns(const char *s)
{
    size_t n = 1;
    for (; *s; s++)
        n += *s == '\t';
    return n;
}

/* A template table is picked by reference: no value, its logical ID, its
 * name; the CloudFormation preview refers to it. */
static void template_table(void **state)
{
    fixture *f = *state;
    open_picker(f, "table");
    form_state *st = &f->st;
    size_t i = entry_named(st, "orders", true);
    select_entry(st, i);
    assert_null(st->edit_err);
    char *d = form_picker_detail(st);
    assert_non_null(strstr(d, "OrdersTable (AWS::DynamoDB::Table)"));
    assert_non_null(strstr(d, "template.yaml"));
    assert_non_null(strstr(d, "Fn::GetAtt OrdersTable.StreamArn"));
    free(d);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_FORM);
    assert_false(mapping_is_set(f->m, OPT_TABLE));
    assert_string_equal(mapping_ref(f->m, OPT_TABLE), "OrdersTable");
    assert_string_equal(f->m->table_name, "orders");
    char *t = form_title(st);
    assert_non_null(strstr(t, "orders ->"));
    free(t);
    char *v = form_value_text(st, OPT_TABLE);
    assert_non_null(strstr(v, "orders"));
    assert_non_null(strstr(v, "OrdersTable"));
    free(v);
    /* reopening highlights it, not the account's table of the same name */
    press(st, TK_ENTER);
    assert_int_equal(st->pk.sel, (long)i);
    press(st, TK_ESC);
    /* the function too, with the role SAM makes for it */
    press(st, TK_DOWN);
    press(st, TK_ENTER);
    select_entry(st, entry_named(st, "process-orders", true));
    press(st, TK_ENTER);
    assert_false(mapping_is_set(f->m, OPT_FUNCTION));
    assert_string_equal(mapping_ref(f->m, OPT_FUNCTION), "ProcessOrdersFunction");
    assert_string_equal(f->m->role_ref, "ProcessOrdersFunctionRole");
    char *err = NULL;
    assert_int_equal(mapping_set(f->m, OPT_STARTING_POSITION, "LATEST", &err), 0);
    form_changed(st);
    assert_true(st->preview_ok);
    assert_non_null(strstr(st->preview, "\"OrdersTable\",\n            \"StreamArn\""));
    assert_non_null(strstr(st->preview, "\"Ref\": \"ProcessOrdersFunction\""));
    assert_non_null(strstr(st->preview, "\"Ref\": \"ProcessOrdersFunctionRole\""));
    /* the API request needs literal ARNs: F3 to it says so */
    while (st->fmt != FMT_JSON)
        press(st, TK_F3);
    assert_false(st->preview_ok);
}

/* A template table without StreamSpecification: listed, refused with how
 * to turn the stream on in the template. */
static void template_table_without_stream(void **state)
{
    fixture *f = *state;
    open_picker(f, "table");
    form_state *st = &f->st;
    size_t i = entry_named(st, "sessions", true);
    bool off = false;
    char *e = form_picker_entry(st, i, &off);
    assert_true(off);
    char *c = column_of(e, 1);
    assert_string_equal(c, "off");
    free(c);
    free(e);
    select_entry(st, i);
    assert_non_null(st->edit_err);
    assert_non_null(strstr(st->edit_err, "StreamSpecification"));
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_PICKER);
    assert_false(mapping_is_set(f->m, OPT_TABLE));
    assert_null(mapping_ref(f->m, OPT_TABLE));
    /* typed by its logical ID: the same refusal */
    type(st, "SessionsTable");
    press(st, TK_UP);
    press(st, TK_UP);
    press(st, TK_ENTER);
    assert_non_null(strstr(st->edit_err, "StreamSpecification"));
    assert_null(mapping_ref(f->m, OPT_TABLE));
}

/* Typing a logical ID picks the template item. */
static void typed_logical_id(void **state)
{
    fixture *f = *state;
    open_picker(f, "table");
    form_state *st = &f->st;
    type(st, "CustomersTable");
    assert_int_equal(st->pk.n_match, 1);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_FORM);
    assert_string_equal(mapping_ref(f->m, OPT_TABLE), "CustomersTable");
    assert_string_equal(f->m->table_name, "customers");
}

/* Tables: name, stream, view, region, account, where from. */
static void table_columns(void **state)
{
    fixture *f = *state;
    open_picker(f, "table");
    form_state *st = &f->st;
    char *h = form_picker_header(st);
    assert_string_equal(h, "Table\tStream\tView\tRegion\tAccount\tFrom");
    int prio[8];
    assert_int_equal(form_picker_priorities(st, prio, 8), n_columns(h));
    assert_int_equal(prio[0], 0);
    free(h);
    bool off;
    char *e = form_picker_entry(st, entry_named(st, "orders", true), &off);
    assert_false(off);
    assert_string_equal(e,
                        "orders\ton\tNEW_AND_OLD_IMAGES\ttemplate\t-\tOrdersTable (template.yaml)");
    free(e);
    e = form_picker_entry(st, entry_named(st, "orders", false), &off);
    assert_false(off);
    assert_string_equal(e,
                        "orders\ton\tNEW_AND_OLD_IMAGES\tus-east-1\t123456789012\tinventory.json");
    free(e);
    e = form_picker_entry(st, entry_named(st, "audit-log", false), &off);
    assert_true(off);
    char *c = column_of(e, 1);
    assert_string_equal(c, "off");
    free(c);
    free(e);
    /* the reason and the fix, said when it is highlighted */
    select_entry(st, entry_named(st, "audit-log", false));
    assert_non_null(strstr(st->edit_err, "update-table"));
    assert_non_null(strstr(st->edit_err, "--table-name audit-log"));
}

/* Functions: runtime, region, the role's name, the last change. */
static void function_columns(void **state)
{
    fixture *f = *state;
    open_picker(f, "function");
    form_state *st = &f->st;
    char *h = form_picker_header(st);
    assert_string_equal(h, "Function\tRuntime\tRegion\tRole\tLast change\tAccount\tFrom");
    free(h);
    bool off;
    char *e = form_picker_entry(st, entry_named(st, "process-orders", false), &off);
    assert_string_equal(e, "process-orders\tpython3.12\tus-east-1\tprocess-orders-role\t2026-11-20 "
                           "14:03\t123456789012\tinventory.json");
    free(e);
    e = form_picker_entry(st, entry_named(st, "IndexOrderItemsFunction", true), &off);
    assert_string_equal(e, "IndexOrderItemsFunction\tnodejs20.x\ttemplate\tIndexerRole\t-\t-\t"
                           "IndexOrderItemsFunction (template.yaml)");
    free(e);
    select_entry(st, entry_named(st, "process-orders", false));
    char *d = form_picker_detail(st);
    assert_non_null(
        strstr(d, "role arn:aws:iam::123456789012:role/service-role/process-orders-role"));
    assert_non_null(strstr(d, "changed 2026-11-20 14:03"));
    free(d);
}

/* Destinations: the kind, FIFO marked and refused with the reason. */
static void destination_columns(void **state)
{
    fixture *f = *state;
    open_picker(f, "on-failure");
    form_state *st = &f->st;
    char *h = form_picker_header(st);
    assert_string_equal(h, "Name\tKind\tRegion\tAccount\tFrom");
    free(h);
    bool off;
    size_t i = entry_named(st, "billing-events.fifo", false);
    char *e = form_picker_entry(st, i, &off);
    assert_true(off);
    char *c = column_of(e, 1);
    assert_string_equal(c, "queue FIFO");
    free(c);
    free(e);
    select_entry(st, i);
    assert_non_null(strstr(st->edit_err, "FIFO"));
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_PICKER);
    e = form_picker_entry(st, entry_named(st, "order-alerts", true), &off);
    assert_false(off);
    c = column_of(e, 1);
    assert_string_equal(c, "topic");
    free(c);
    free(e);
    e = form_picker_entry(st, entry_named(st, "acme-stream-failures", false), &off);
    c = column_of(e, 1);
    assert_string_equal(c, "bucket");
    free(c);
    free(e);
    /* a template queue is picked by reference */
    select_entry(st, entry_named(st, "orders-dlq", true));
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_FORM);
    assert_string_equal(mapping_ref(f->m, OPT_ON_FAILURE), "OrdersDeadLetterQueue");
    assert_false(mapping_is_set(f->m, OPT_ON_FAILURE));
}

/* --merge-into another template: this template's items have no ARN to
 * give, so they are refused with why; the account's items still work. */
static void merge_into_other(void **state)
{
    fixture *f = *state;
    open_picker(f, "table");
    form_state *st = &f->st;
    form_set_sources(st, "/elsewhere/other.yaml", NULL);
    press(st, TK_ESC);
    press(st, TK_ENTER);
    size_t i = entry_named(st, "orders", true);
    bool off;
    char *e = form_picker_entry(st, i, &off);
    assert_true(off);
    free(e);
    select_entry(st, i);
    assert_non_null(strstr(st->edit_err, "another template"));
    press(st, TK_ENTER);
    assert_null(mapping_ref(f->m, OPT_TABLE));
    assert_false(mapping_is_set(f->m, OPT_TABLE));
    select_entry(st, entry_named(st, "orders", false));
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_FORM);
    assert_true(mapping_is_set(f->m, OPT_TABLE));
    assert_null(mapping_ref(f->m, OPT_TABLE));
    /* merging into the template itself: references again */
    const inv_item *it = mapping_pick_find(&f->inv, INV_TABLE, "OrdersTable", NULL);
    form_set_sources(st, TEMPLATE, it->source);
    press(st, TK_ENTER);
    select_entry(st, entry_named(st, "orders", true));
    char *d = form_picker_detail(st);
    assert_non_null(strstr(d, "Fn::GetAtt OrdersTable.StreamArn"));
    free(d);
    press(st, TK_ENTER);
    assert_string_equal(mapping_ref(f->m, OPT_TABLE), "OrdersTable");
    /* typed by name, the merged template's table wins over the account's */
    press(st, TK_ENTER);
    press(st, 21);
    type(st, "customers");
    press(st, TK_UP);
    press(st, TK_UP);
    assert_int_equal(st->pk.sel, -1);
    press(st, TK_ENTER);
    assert_string_equal(mapping_ref(f->m, OPT_TABLE), "CustomersTable");
}

/* Names from inventories are escaped in entries and details. */
static void entries_escaped(void **state)
{
    fixture *f = *state;
    static const char hostile[] =
        "{\"esmcfg_inventory\": 1, \"buckets\": [{\"name\": \"hostile-bucket\", "
        "\"region\": \"us-east-1\\u001b[2J\\u009b31m\"}]}";
    char *err = NULL;
    if (inventory_load_text(&f->inv, hostile, strlen(hostile), "evil\x1b]0;x\x07.json", &err) !=
        0) {
        /* refused at the door is fine too: nothing hostile can be shown */
        free(err);
        skip();
    }
    open_picker(f, "on-failure");
    form_state *st = &f->st;
    size_t i = entry_named(st, "hostile-bucket", false);
    bool off;
    char *e = form_picker_entry(st, i, &off);
    assert_null(strchr(e, 0x1b));
    assert_null(strstr(e, "\xc2\x9b"));
    assert_null(strchr(e, 0x07));
    free(e);
    select_entry(st, i);
    char *d = form_picker_detail(st);
    assert_null(strchr(d, 0x1b));
    assert_null(strchr(d, 0x07));
    free(d);
}

/* ---- discovery through fake function pointers ---- */

struct discovery {
    int done, steps;
};

static struct {
    int started, stepped, cancelled, applied, freed;
    int bad_timeouts;        /* steps asked to wait: the screen must not */
    const char *start_error; /* start fails with it */
    const char *report;      /* what failed */
    int steps;
} fake;

static struct discovery *fake_start(void *ctx, char **err)
{
    assert_string_equal(ctx, "the CLI's options");
    fake.started++;
    if (fake.start_error) {
        *err = xstrdup(fake.start_error);
        return NULL;
    }
    struct discovery *d = xcalloc(1, sizeof *d);
    d->steps = fake.steps;
    return d;
}

static int fake_step(struct discovery *d, int timeout_ms)
{
    fake.stepped++;
    fake.bad_timeouts += timeout_ms != 0;
    if (d->done < d->steps)
        d->done++;
    return d->done < d->steps ? 1 : 0;
}

static char *fake_status(const struct discovery *d)
{
    return xasprintf("tables %d/%d", d->done, d->steps);
}

static void fake_cancel(struct discovery *d)
{
    (void)d;
    fake.cancelled++;
}

/* Two tables found by name (as list-tables gives them). */
static size_t fake_apply(struct discovery *d, inventory *inv)
{
    (void)d;
    fake.applied++;
    static const char found[] = "{\"TableNames\": [\"found-a\", \"found-b\"]}";
    char *err = NULL;
    assert_int_equal(
        inventory_load_aws(inv, found, strlen(found), "aws dynamodb list-tables", &err), 0);
    return 2;
}

static char *fake_report(const struct discovery *d)
{
    (void)d;
    return fake.report ? xstrdup(fake.report) : NULL;
}

static void fake_free(struct discovery *d)
{
    fake.freed++;
    free(d);
}

static const tui_discover_ops fake_ops = {fake_start, fake_step,   fake_status, fake_cancel,
                                          fake_apply, fake_report, fake_free};

/* Discovery on F5 with STEPS steps. */
static void start_fake(fixture *f, int steps)
{
    memset(&fake, 0, sizeof fake);
    fake.steps = steps;
    form_discover_setup(&f->st, &fake_ops, (void *)"the CLI's options");
}

/* The message line as drawing reads it. Caller frees. */
static char *message(const form_state *st, form_msg_level *lv)
{
    char *m = form_message(st, lv);
    assert_non_null(m);
    return m;
}

/* Without the CLI's discovery, F5 says so. */
static void discover_not_available(void **state)
{
    form_state *st = &((fixture *)*state)->st;
    press(st, TK_F5);
    assert_non_null(strstr(st->status, "not available"));
    assert_false(form_discover_running(st));
}

/* The CLI's own words when it cannot start (no aws). */
static void discover_start_fails(void **state)
{
    fixture *f = *state;
    start_fake(f, 1);
    fake.start_error = "aws CLI not found on PATH: install it or use --inventory FILE";
    press(&f->st, TK_F5);
    assert_int_equal(fake.started, 1);
    assert_false(form_discover_running(&f->st));
    form_msg_level lv;
    char *m = message(&f->st, &lv);
    assert_int_equal(lv, MSG_ERROR);
    assert_non_null(strstr(m, fake.start_error));
    free(m);
}

/* Progress in the message line while keys keep working; the results go
 * into the inventory and an open picker lists them. */
static void discover_progress(void **state)
{
    fixture *f = *state;
    form_state *st = &f->st;
    start_fake(f, 3);
    size_t before = f->inv.n;
    press(st, TK_F5);
    assert_true(form_discover_running(st));
    assert_true(tui_key_context(st) & C_BUSY);
    char *bar = tui_key_bar(tui_key_context(st), 200);
    assert_non_null(strstr(bar, "Esc stop discovery"));
    free(bar);
    form_msg_level lv;
    char *m = message(st, &lv);
    assert_non_null(strstr(m, "Discovering with the AWS CLI: tables 0/3"));
    free(m);
    assert_true(form_discover_tick(st));
    m = message(st, &lv);
    assert_non_null(strstr(m, "tables 1/3"));
    free(m);
    /* F5 again does not start another */
    press(st, TK_F5);
    assert_int_equal(fake.started, 1);
    /* keys work meanwhile: a picker opens and says discovery runs */
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_PICKER);
    assert_false(tui_key_context(st) & C_BUSY);
    char *title = form_picker_title(st);
    assert_non_null(strstr(title, "discovering: tables 1/3"));
    free(title);
    type(st, "found");
    assert_int_equal(st->pk.n_match, 0);
    form_discover_tick(st);
    assert_true(form_discover_tick(st));
    assert_false(form_discover_running(st));
    assert_int_equal(fake.applied, 1);
    assert_int_equal(fake.freed, 1);
    assert_int_equal(fake.bad_timeouts, 0);
    assert_int_equal(f->inv.n, before + 2);
    assert_int_equal(st->mode, FM_PICKER);
    assert_int_equal(st->pk.n_match, 2);
    assert_non_null(strstr(st->status, "Discovery done: 2 added"));
    assert_int_equal(st->status_level, MSG_OK);
    /* found by name only: whether it has a stream is not known */
    bool off;
    char *e = form_picker_entry(st, 0, &off);
    assert_true(off);
    assert_non_null(strstr(e, "found-a\t?"));
    free(e);
    assert_false(form_discover_tick(st)); /* nothing runs */
}

/* A failed call: the CLI's error as it is; names can still be typed. */
static void discover_failure(void **state)
{
    fixture *f = *state;
    form_state *st = &f->st;
    start_fake(f, 1);
    fake.report = "aws lambda list-functions: An error occurred (AccessDeniedException) when "
                  "calling the ListFunctions operation: not authorized\n"
                  "aws sqs list-queues: timed out after 20 s\n";
    press(st, TK_F5);
    form_discover_tick(st);
    assert_false(form_discover_running(st));
    form_msg_level lv;
    char *m = message(st, &lv);
    assert_int_equal(lv, MSG_ERROR);
    assert_non_null(strstr(m, "Discovery done, 2 added. An error occurred "
                              "(AccessDeniedException) when calling the ListFunctions operation: "
                              "not authorized (aws lambda list-functions); and 1 more failure"));
    free(m);
    press(st, TK_ENTER);
    type(st, STREAM_TYPED);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_FORM);
    assert_string_equal(mapping_get(f->m, OPT_TABLE)->str, STREAM_TYPED);
}

/* Esc on the form stops it, keeping what answered; Esc elsewhere does
 * what it always does. */
static void discover_stopped(void **state)
{
    fixture *f = *state;
    form_state *st = &f->st;
    start_fake(f, 5);
    press(st, TK_F5);
    press(st, TK_ENTER);
    press(st, TK_ESC); /* closes the picker */
    assert_int_equal(st->mode, FM_FORM);
    assert_true(form_discover_running(st));
    press(st, TK_ESC);
    assert_false(form_discover_running(st));
    assert_int_equal(fake.cancelled, 1);
    assert_int_equal(fake.applied, 1);
    assert_int_equal(fake.freed, 1);
    assert_non_null(strstr(st->status, "Discovery stopped"));
    /* freed with the state while running */
    press(st, TK_F5);
    assert_true(form_discover_running(st));
    form_free(st);
    assert_int_equal(fake.freed, 2);
    form_init(st, f->m, &f->inv, FMT_JSON, NULL, NULL);
}

/* F5 is in the one key table: dispatch, bar and help. */
static void discover_key(void **state)
{
    (void)state;
    assert_int_equal(tui_key_action(C_ROW_NUM, TK_F5), ACT_DISCOVER);
    assert_int_equal(tui_key_action(C_PICKER, TK_F5), ACT_DISCOVER);
    assert_int_equal(tui_key_action(C_ROW_NUM | C_BUSY, TK_ESC), ACT_CANCEL);
    assert_int_equal(tui_key_action(C_ROW_NUM, TK_ESC), ACT_NONE);
    char *bar = tui_key_bar(C_ROW_NUM, 200);
    assert_non_null(strstr(bar, "F5 discover"));
    free(bar);
    size_t n;
    char **help = tui_key_help(&n);
    bool f5 = false, busy = false;
    for (size_t i = 0; i < n; i++) {
        f5 |= strstr(help[i], "F5") && strstr(help[i], "AWS CLI");
        busy |= strstr(help[i], "While discovery runs") != NULL;
    }
    form_lines_free(help, n);
    assert_true(f5);
    assert_true(busy);
}

/* ---- drafts ---- */

/* The draft file's path (in the fixture's XDG_STATE_HOME). Caller frees. */
static char *draft_file(void)
{
    char *p = draft_path();
    assert_non_null(p);
    return p;
}

static bool exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* A fresh state on M with drafts on (RESTORED: the CLI's --restore). */
static void restart_drafts(fixture *f, bool restored)
{
    form_free(&f->st);
    form_init(&f->st, f->m, &f->inv, FMT_JSON, NULL, "batch-size");
    form_draft_start(&f->st, restored);
}

/* Each committed change is saved, 0600; edits in progress are not. */
static void draft_saved(void **state)
{
    fixture *f = *state;
    restart_drafts(f, false);
    form_state *st = &f->st;
    char *path = draft_file();
    assert_int_equal(st->mode, FM_FORM);
    assert_false(exists(path));
    type(st, "500");
    assert_false(exists(path)); /* still typing */
    press(st, TK_ENTER);
    assert_true(exists(path));
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    mapping *back = mapping_new();
    time_t at = 0;
    char *err = NULL;
    assert_int_equal(draft_load(back, &at, &err), 1);
    assert_true(mapping_equal(back, f->m));
    assert_true(at > 0);
    mapping_free(back);
    free(path);
}

/* The next start asks; y puts the draft in place. */
static void draft_offered(void **state)
{
    fixture *f = *state;
    restart_drafts(f, false);
    type(&f->st, "500");
    press(&f->st, TK_ENTER);
    mapping_unset(f->m, OPT_BATCH_SIZE); /* the next run starts afresh */
    restart_drafts(f, false);
    form_state *st = &f->st;
    assert_int_equal(st->mode, FM_RESTORE);
    assert_int_equal(tui_key_context(st), (unsigned)C_CONFIRM);
    char *q = form_dialog_text(st);
    assert_non_null(strstr(q, "Restore the unsaved mapping from 20"));
    free(q);
    press(st, 'k'); /* nothing but an answer */
    assert_int_equal(st->mode, FM_RESTORE);
    press(st, 'y');
    assert_int_equal(st->mode, FM_FORM);
    assert_int_equal(mapping_num(f->m, OPT_BATCH_SIZE), 500);
    assert_true(form_dirty(st));
    assert_non_null(strstr(st->status, "Restored"));
    char *v = form_value_text(st, OPT_BATCH_SIZE);
    assert_string_equal(v, "500 records");
    free(v);
}

/* n keeps the draft until something changes; the change replaces it. */
static void draft_declined(void **state)
{
    fixture *f = *state;
    restart_drafts(f, false);
    type(&f->st, "500");
    press(&f->st, TK_ENTER);
    mapping_unset(f->m, OPT_BATCH_SIZE);
    restart_drafts(f, false);
    form_state *st = &f->st;
    press(st, TK_ESC);
    assert_int_equal(st->mode, FM_FORM);
    assert_false(mapping_is_set(f->m, OPT_BATCH_SIZE));
    assert_non_null(strstr(st->status, "kept until you change something"));
    char *path = draft_file();
    assert_true(exists(path));
    press(st, 'q'); /* nothing changed: no question, the draft stays */
    assert_true(st->done);
    assert_true(exists(path));
    restart_drafts(f, false);
    st = &f->st;
    press(st, 'n');
    type(st, "42");
    press(st, TK_ENTER);
    mapping *back = mapping_new();
    char *err = NULL;
    assert_int_equal(draft_load(back, NULL, &err), 1);
    assert_int_equal(mapping_num(back, OPT_BATCH_SIZE), 42);
    mapping_free(back);
    free(path);
}

/* An export removes the draft; quitting on purpose drops this session's. */
static void draft_cleared(void **state)
{
    fixture *f = *state;
    char *err = NULL;
    assert_int_equal(mapping_set(f->m, OPT_TABLE, STREAM_TYPED, &err), 0);
    assert_int_equal(mapping_set(f->m, OPT_FUNCTION, "process-orders", &err), 0);
    assert_int_equal(mapping_set(f->m, OPT_STARTING_POSITION, "LATEST", &err), 0);
    restart_drafts(f, false);
    form_state *st = &f->st;
    char *path = draft_file();
    type(st, "7");
    press(st, TK_ENTER);
    assert_true(exists(path));
    press(st, TK_F2);
    assert_int_equal(st->mode, FM_PATH);
    press(st, 21);
    char *out = xasprintf("%s/out.json", f->dir);
    type(st, out);
    press(st, TK_ENTER);
    assert_true(st->exported);
    assert_false(exists(path));
    /* to standard output: the CLI clears it once it is written */
    form_free(st);
    form_init(st, f->m, &f->inv, FMT_JSON, "-", "batch-size");
    form_draft_start(st, false);
    type(st, "8");
    press(st, TK_ENTER);
    press(st, TK_F2);
    assert_non_null(st->document);
    assert_true(exists(path));
    /* quit without exporting, said yes to: gone */
    restart_drafts(f, false);
    st = &f->st;
    if (st->mode == FM_RESTORE)
        press(st, 'n');
    type(st, "9");
    press(st, TK_ENTER);
    assert_true(exists(path));
    press(st, 'q');
    assert_int_equal(st->mode, FM_QUIT);
    press(st, 'y');
    assert_false(exists(path));
    free(out);
    free(path);
}

/* --restore: the CLI put the draft in place; no question. */
static void draft_restored_by_cli(void **state)
{
    fixture *f = *state;
    restart_drafts(f, false);
    type(&f->st, "500");
    press(&f->st, TK_ENTER);
    restart_drafts(f, true);
    form_state *st = &f->st;
    assert_int_equal(st->mode, FM_FORM);
    assert_non_null(strstr(st->status, "--restore"));
}

/* A draft that cannot be written is said once, and editing goes on. */
static void draft_unwritable(void **state)
{
    fixture *f = *state;
    char *blocker = xasprintf("%s/esmcfg", f->dir);
    FILE *fp = fopen(blocker, "w"); /* a file where the folder should be */
    assert_non_null(fp);
    fclose(fp);
    restart_drafts(f, false);
    form_state *st = &f->st;
    type(st, "5");
    press(st, TK_ENTER);
    assert_int_equal(mapping_num(f->m, OPT_BATCH_SIZE), 5);
    assert_int_equal(st->status_level, MSG_WARN);
    assert_non_null(strstr(st->status, "draft cannot be saved"));
    type(st, "6");
    press(st, TK_ENTER);
    assert_null(st->status);
    free(blocker);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(template_table, setup, teardown),
        cmocka_unit_test_setup_teardown(template_table_without_stream, setup, teardown),
        cmocka_unit_test_setup_teardown(typed_logical_id, setup, teardown),
        cmocka_unit_test_setup_teardown(table_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(function_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(destination_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(merge_into_other, setup, teardown),
        cmocka_unit_test_setup_teardown(entries_escaped, setup, teardown),
        cmocka_unit_test_setup_teardown(discover_not_available, setup, teardown),
        cmocka_unit_test_setup_teardown(discover_start_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(discover_progress, setup, teardown),
        cmocka_unit_test_setup_teardown(discover_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(discover_stopped, setup, teardown),
        cmocka_unit_test_setup_teardown(discover_key, setup, teardown),
        cmocka_unit_test_setup_teardown(draft_saved, setup, teardown),
        cmocka_unit_test_setup_teardown(draft_offered, setup, teardown),
        cmocka_unit_test_setup_teardown(draft_declined, setup, teardown),
        cmocka_unit_test_setup_teardown(draft_cleared, setup, teardown),
        cmocka_unit_test_setup_teardown(draft_restored_by_cli, setup, teardown),
        cmocka_unit_test_setup_teardown(draft_unwritable, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
