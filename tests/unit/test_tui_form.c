/* The configurator's state and keys, with no terminal: keys go through
 * the one key table (tui_key_action) into form_apply, exactly as the main
 * loop sends them, and the state is read back as drawing reads it. */
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

#include "model/filter_samples.h"
#include "model/util.h"
#include "tui/form.h"
#include "tui/form_int.h"
#include "tui/keys.h"

#define STREAM_ORDERS                                                                              \
    "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000"
#define STREAM_OTHER                                                                               \
    "arn:aws:dynamodb:us-east-1:123456789012:table/typed/stream/2026-02-02T00:00:00.000"
#define FN_ARN "arn:aws:lambda:us-east-1:123456789012:function:process-orders"
#define ROLE_ARN "arn:aws:iam::123456789012:role/process-orders-role"
#define QUEUE_ARN "arn:aws:sqs:us-east-1:123456789012:orders-dlq"
#define KEY_ARN "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

static const char inventory_json[] =
    "{\"esmcfg_inventory\": 1,"
    " \"tables\": ["
    "  {\"arn\": \"arn:aws:dynamodb:us-east-1:123456789012:table/orders\","
    "   \"stream_arn\": \"" STREAM_ORDERS "\", \"stream_view_type\": \"NEW_AND_OLD_IMAGES\"},"
    "  {\"arn\": \"arn:aws:dynamodb:us-east-1:123456789012:table/archive\"},"
    "  {\"arn\": \"arn:aws:dynamodb:us-east-1:123456789012:table/order-items\","
    "   \"stream_arn\": \"arn:aws:dynamodb:us-east-1:123456789012:table/order-items/stream/"
    "2026-01-01T00:00:00.000\", \"stream_view_type\": \"NEW_IMAGE\"}],"
    " \"functions\": ["
    "  {\"arn\": \"" FN_ARN "\", \"role\": \"" ROLE_ARN "\", \"runtime\": \"python3.12\"},"
    "  {\"arn\": \"arn:aws:lambda:eu-west-1:123456789012:function:far-away\"}],"
    " \"queues\": [{\"arn\": \"" QUEUE_ARN "\"},"
    "  {\"arn\": \"arn:aws:sqs:us-east-1:123456789012:orders-dlq.fifo\"}],"
    " \"topics\": [{\"arn\": \"arn:aws:sns:us-east-1:123456789012:alerts\"}],"
    " \"keys\": [{\"arn\": \"" KEY_ARN "\"}]}";

typedef struct fixture {
    inventory inv;
    mapping *m;
    form_state st;
    char dir[64];
} fixture;

/* A fresh state on an empty mapping with the test inventory. */
static int setup(void **state)
{
    fixture *f = xcalloc(1, sizeof *f);
    inventory_init(&f->inv);
    char *err = NULL;
    if (inventory_load_text(&f->inv, inventory_json, strlen(inventory_json), "test", &err) < 0)
        fail_msg("inventory: %s", err);
    f->m = mapping_new();
    form_init(&f->st, f->m, &f->inv, FMT_JSON, NULL, NULL);
    snprintf(f->dir, sizeof f->dir, "/tmp/esmcfg-tui-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    *state = f;
    return 0;
}

/* Remove the temporary folder and its files. */
static int teardown(void **state)
{
    fixture *f = *state;
    form_free(&f->st);
    mapping_free(f->m);
    inventory_free(&f->inv);
    char *cmd = xasprintf("rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
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

/* Restart F's state with the mapping as it is, focused on FOCUS, exporting to OUT. */
static void restart(fixture *f, const char *focus, const char *out)
{
    form_free(&f->st);
    form_init(&f->st, f->m, &f->inv, FMT_JSON, out, focus);
}

/* Fill the required options so the mapping exports. */
static void fill_required(fixture *f)
{
    char *err = NULL;
    assert_int_equal(mapping_set(f->m, OPT_TABLE, STREAM_ORDERS, &err), 0);
    assert_int_equal(mapping_set(f->m, OPT_FUNCTION, FN_ARN, &err), 0);
    assert_int_equal(mapping_set(f->m, OPT_STARTING_POSITION, "LATEST", &err), 0);
    mapping_set_role(f->m, ROLE_ARN);
}

/* The row view's problem for ID (NULL if none); caller frees. */
static char *row_problem(const form_state *st, opt_id id)
{
    form_row_view v;
    form_row_view_get(st, id, &v);
    char *p = v.problem ? xstrdup(v.problem) : NULL;
    form_row_view_free(&v);
    return p;
}

/* Rows follow the table's groups, with a heading before each group. */
static void rows_grouped(void **state)
{
    fixture *f = *state;
    const char *want[] = {"Source", "Batching", "Errors", "Scaling", "Filters", "Other"};
    size_t g = 0;
    for (size_t i = 0; i < f->st.n_lines; i++)
        if (f->st.lines[i].group)
            assert_string_equal(f->st.lines[i].group, want[g++]);
    assert_int_equal(g, 6);
    assert_int_equal(f->st.n_lines, OPT_COUNT + 6);
    assert_int_equal(form_focused(&f->st), OPT_TABLE);
    restart(f, "batch-size", NULL);
    assert_int_equal(form_focused(&f->st), OPT_BATCH_SIZE);
}

/* Up/Down, k/j, Tab/Shift-Tab, Home/End move; they stop at the ends. */
static void moving(void **state)
{
    form_state *st = &((fixture *)*state)->st;
    press(st, TK_UP);
    assert_int_equal(form_focused(st), OPT_TABLE);
    press(st, TK_DOWN);
    assert_int_equal(form_focused(st), OPT_FUNCTION);
    press(st, 'j');
    assert_int_equal(form_focused(st), OPT_STARTING_POSITION);
    press(st, 'k');
    press(st, '\t');
    press(st, '\t');
    assert_int_equal(form_focused(st), OPT_BATCH_SIZE);
    press(st, TK_BTAB);
    assert_int_equal(form_focused(st), OPT_STARTING_POSITION);
    press(st, TK_END);
    assert_int_equal(form_focused(st), st->rows[OPT_COUNT - 1]);
    press(st, TK_DOWN);
    assert_int_equal(form_focused(st), st->rows[OPT_COUNT - 1]);
    press(st, TK_HOME);
    assert_int_equal(form_focused(st), OPT_TABLE);
}

/* Enter edits from the current value; Enter stores it and the preview follows. */
static void int_edit_commit(void **state)
{
    fixture *f = *state;
    fill_required(f);
    restart(f, "batch-size", NULL);
    form_state *st = &f->st;
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_EDIT);
    assert_string_equal(st->edit.s, "100");
    press(st, 21); /* Ctrl-U */
    type(st, "500");
    assert_null(st->edit_err);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_FORM);
    assert_true(mapping_is_set(f->m, OPT_BATCH_SIZE));
    assert_int_equal(mapping_num(f->m, OPT_BATCH_SIZE), 500);
    assert_true(st->preview_ok);
    assert_non_null(strstr(st->preview, "\"BatchSize\": 500"));
    assert_true(form_dirty(st));
}

/* A character on a number row starts an edit holding just that character. */
static void typing_replaces(void **state)
{
    fixture *f = *state;
    restart(f, "batch-size", NULL);
    form_state *st = &f->st;
    press(st, '7');
    assert_int_equal(st->mode, FM_EDIT);
    assert_string_equal(st->edit.s, "7");
    press(st, TK_ENTER);
    assert_int_equal(mapping_num(f->m, OPT_BATCH_SIZE), 7);
    form_row_view v;
    form_row_view_get(st, OPT_BATCH_SIZE, &v);
    assert_string_equal(v.value, "7 records");
    assert_false(v.is_default);
    form_row_view_free(&v);
}

/* Out of range: said at once with the range; Enter keeps editing; Esc restores. */
static void invalid_keeps_editing(void **state)
{
    fixture *f = *state;
    restart(f, "batch-size", NULL);
    form_state *st = &f->st;
    type(st, "20000");
    assert_non_null(st->edit_err);
    assert_non_null(strstr(st->edit_err, "1..10000"));
    form_row_view v;
    form_row_view_get(st, OPT_BATCH_SIZE, &v);
    assert_true(v.editing);
    assert_string_equal(v.value, "20000");
    assert_non_null(strstr(v.problem, "out of range"));
    assert_non_null(strstr(v.allowed, "1..10000"));
    form_row_view_free(&v);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_EDIT);
    form_msg_level lv;
    char *msg = form_message(st, &lv);
    assert_int_equal(lv, MSG_ERROR);
    assert_non_null(strstr(msg, "Not saved: 20000 is out of range"));
    free(msg);
    press(st, TK_DOWN); /* moving away saves, and is refused too */
    assert_int_equal(st->mode, FM_EDIT);
    press(st, TK_ESC);
    assert_int_equal(st->mode, FM_FORM);
    assert_false(mapping_is_set(f->m, OPT_BATCH_SIZE));
    assert_false(form_dirty(st));
    /* an empty buffer puts back AWS's default */
    press(st, '5');
    press(st, TK_ENTER);
    press(st, TK_ENTER);
    press(st, 21);
    press(st, TK_ENTER);
    assert_false(mapping_is_set(f->m, OPT_BATCH_SIZE));
}

/* Backspace, Delete, Home, End, Left and Right inside the buffer. */
static void edit_cursor_keys(void **state)
{
    fixture *f = *state;
    restart(f, "batch-size", NULL);
    form_state *st = &f->st;
    type(st, "123");
    press(st, TK_LEFT);
    press(st, TK_LEFT);
    press(st, TK_BACKSPACE);
    assert_string_equal(st->edit.s, "23");
    press(st, TK_DC);
    assert_string_equal(st->edit.s, "3");
    press(st, TK_HOME);
    press(st, '9');
    press(st, TK_END);
    press(st, '0');
    assert_string_equal(st->edit.s, "930");
    press(st, 1); /* Ctrl-A */
    press(st, TK_RIGHT);
    press(st, '5');
    assert_string_equal(st->edit.s, "9530");
    press(st, TK_UP); /* saves and moves */
    assert_int_equal(st->mode, FM_FORM);
    assert_int_equal(mapping_num(f->m, OPT_BATCH_SIZE), 9530);
    assert_int_equal(form_focused(st), OPT_STARTING_POSITION);
}

/* Durations take units; their range and special value come from the table. */
static void durations(void **state)
{
    fixture *f = *state;
    restart(f, "max-batching-window", NULL);
    form_state *st = &f->st;
    type(st, "5m");
    assert_null(st->edit_err);
    press(st, TK_ENTER);
    assert_int_equal(mapping_num(f->m, OPT_MAX_BATCHING_WINDOW), 300);
    form_row_view v;
    form_row_view_get(st, OPT_MAX_BATCHING_WINDOW, &v);
    assert_string_equal(v.value, "5m");
    form_row_view_free(&v);
    type(st, "6m");
    assert_non_null(strstr(st->edit_err, "0..300"));
    press(st, TK_ESC);
    assert_int_equal(mapping_num(f->m, OPT_MAX_BATCHING_WINDOW), 300);

    restart(f, "max-record-age", NULL);
    st = &f->st;
    type(st, "30");
    assert_non_null(strstr(st->edit_err, "60..604800"));
    press(st, 21);
    type(st, "-1");
    assert_null(st->edit_err);
    press(st, TK_ENTER);
    assert_int_equal(mapping_num(f->m, OPT_MAX_RECORD_AGE), -1);
    press(st, TK_ENTER);
    assert_string_equal(st->edit.s, "-1");
}

/* Space, Enter, Left and Right flip booleans, including the flag list. */
static void booleans(void **state)
{
    fixture *f = *state;
    restart(f, "bisect-batch-on-error", NULL);
    form_state *st = &f->st;
    press(st, ' ');
    assert_int_equal(mapping_num(f->m, OPT_BISECT_BATCH_ON_ERROR), 1);
    press(st, TK_ENTER);
    assert_int_equal(mapping_num(f->m, OPT_BISECT_BATCH_ON_ERROR), 0);
    assert_true(mapping_is_set(f->m, OPT_BISECT_BATCH_ON_ERROR));
    press(st, TK_RIGHT);
    press(st, TK_LEFT);
    press(st, TK_LEFT);
    assert_int_equal(mapping_num(f->m, OPT_BISECT_BATCH_ON_ERROR), 1);
    press(st, '7'); /* characters do nothing on a boolean */
    assert_int_equal(st->mode, FM_FORM);
    restart(f, "report-batch-item-failures", NULL);
    press(&f->st, ' ');
    assert_int_equal(mapping_num(f->m, OPT_REPORT_BATCH_ITEM_FAILURES), 1);
    restart(f, "enabled", NULL);
    press(&f->st, ' ');
    assert_int_equal(mapping_num(f->m, OPT_ENABLED), 0);
}

/* Left/Right cycle an enum; Enter picks from its choices with a filter. */
static void enums(void **state)
{
    fixture *f = *state;
    restart(f, "starting-position", NULL);
    form_state *st = &f->st;
    const char *const *c = opt_get(OPT_STARTING_POSITION)->choices;
    press(st, TK_RIGHT);
    assert_string_equal(mapping_get(f->m, OPT_STARTING_POSITION)->str, c[0]);
    press(st, TK_RIGHT);
    assert_string_equal(mapping_get(f->m, OPT_STARTING_POSITION)->str, c[1]);
    press(st, TK_RIGHT);
    assert_string_equal(mapping_get(f->m, OPT_STARTING_POSITION)->str, c[0]);
    press(st, TK_LEFT);
    assert_string_equal(mapping_get(f->m, OPT_STARTING_POSITION)->str, c[1]);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_PICKER);
    assert_true(st->pk.choices);
    type(st, "trim");
    assert_int_equal(st->pk.n_match, 1);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_FORM);
    assert_string_equal(mapping_get(f->m, OPT_STARTING_POSITION)->str, "TRIM_HORIZON");
}

/* Del puts a value back to AWS's default. */
static void reset_to_default(void **state)
{
    fixture *f = *state;
    restart(f, "batch-size", NULL);
    form_state *st = &f->st;
    type(st, "42");
    press(st, TK_ENTER);
    assert_true(mapping_is_set(f->m, OPT_BATCH_SIZE));
    press(st, TK_BACKSPACE); /* an empty edit: nothing changes until Enter */
    assert_int_equal(st->mode, FM_EDIT);
    assert_string_equal(st->edit.s, "");
    press(st, TK_ESC);
    assert_true(mapping_is_set(f->m, OPT_BATCH_SIZE));
    press(st, TK_DC);
    assert_false(mapping_is_set(f->m, OPT_BATCH_SIZE));
    form_row_view v;
    form_row_view_get(st, OPT_BATCH_SIZE, &v);
    assert_true(v.is_default);
    form_row_view_free(&v);
}

/* The table picker lists, filters, and picks: the stream ARN and the name. */
static void pick_table(void **state)
{
    fixture *f = *state;
    form_state *st = &f->st;
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_PICKER);
    assert_int_equal(st->pk.n_match, 3);
    type(st, "ord");
    assert_int_equal(st->pk.n_match, 2);
    assert_int_equal(st->pk.sel, 0);
    type(st, " item");
    assert_int_equal(st->pk.n_match, 1);
    press(st, TK_BACKSPACE);
    press(st, TK_BACKSPACE);
    press(st, TK_BACKSPACE);
    press(st, TK_BACKSPACE);
    press(st, TK_BACKSPACE);
    assert_int_equal(st->pk.n_match, 2);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_FORM);
    assert_string_equal(mapping_get(f->m, OPT_TABLE)->str, STREAM_ORDERS);
    assert_string_equal(f->m->table_name, "orders");
    char *t = form_title(st);
    assert_non_null(strstr(t, "orders ->"));
    free(t);
    /* reopening selects the current value */
    press(st, TK_ENTER);
    assert_int_equal(st->pk.sel, 0);
    assert_string_equal(st->pk.query.s, "");
    press(st, TK_ESC);
    assert_int_equal(st->mode, FM_FORM);
}

/* A table without a stream is refused with the reason and the fix. */
static void table_without_stream(void **state)
{
    fixture *f = *state;
    form_state *st = &f->st;
    press(st, TK_ENTER);
    bool off = false;
    char *e = form_picker_entry(st, 1, &off);
    assert_true(off);
    assert_non_null(strstr(e, "archive"));
    assert_non_null(strstr(e, "off"));
    free(e);
    e = form_picker_entry(st, 0, &off);
    assert_false(off);
    assert_non_null(strstr(e, "NEW_AND_OLD_IMAGES"));
    free(e);
    press(st, TK_DOWN);
    assert_int_equal(st->pk.sel, 1);
    assert_non_null(st->edit_err); /* said before Enter */
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_PICKER);
    assert_non_null(strstr(st->edit_err, "no stream"));
    assert_non_null(strstr(st->edit_err, "update-table"));
    assert_false(mapping_is_set(f->m, OPT_TABLE));
    /* typed by name: refused the same way */
    type(st, "archive");
    assert_int_equal(st->pk.sel, -1);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_PICKER);
    assert_non_null(strstr(st->edit_err, "no stream"));
    assert_false(mapping_is_set(f->m, OPT_TABLE));
}

/* A stream ARN typed by hand is used as typed; garbage is refused with why. */
static void typed_by_hand(void **state)
{
    fixture *f = *state;
    form_state *st = &f->st;
    press(st, TK_ENTER);
    type(st, "nonsense");
    assert_int_equal(st->pk.n_match, 0);
    assert_int_equal(st->pk.sel, -1);
    assert_non_null(st->edit_err);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_PICKER);
    press(st, 21);
    type(st, STREAM_OTHER);
    assert_null(st->edit_err);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_FORM);
    assert_string_equal(mapping_get(f->m, OPT_TABLE)->str, STREAM_OTHER);
    assert_string_equal(f->m->table_name, "typed");
    /* Enter again starts from the typed text */
    press(st, TK_ENTER);
    assert_string_equal(st->pk.query.s, STREAM_OTHER);
    press(st, TK_ESC);
    /* a character on a picker row opens the picker with it */
    press(st, TK_DOWN);
    press(st, 'p');
    assert_int_equal(st->mode, FM_PICKER);
    assert_string_equal(st->pk.query.s, "p");
    assert_int_equal(st->pk.opt, OPT_FUNCTION);
    press(st, TK_ESC);
    /* '/' opens it to filter */
    press(st, '/');
    assert_int_equal(st->mode, FM_PICKER);
}

/* Picking a function keeps its execution role; typing one clears it. */
static void pick_function_role(void **state)
{
    fixture *f = *state;
    form_state *st = &f->st;
    press(st, TK_DOWN);
    press(st, TK_ENTER);
    assert_int_equal(st->pk.n_match, 2);
    press(st, TK_ENTER);
    assert_string_equal(mapping_get(f->m, OPT_FUNCTION)->str, FN_ARN);
    assert_string_equal(f->m->function_role, ROLE_ARN);
    /* by name with a qualifier: the role is still known */
    press(st, TK_ENTER);
    type(st, "process-orders:live");
    press(st, TK_UP);
    assert_int_equal(st->pk.sel, -1);
    press(st, TK_ENTER);
    assert_string_equal(mapping_get(f->m, OPT_FUNCTION)->str, "process-orders:live");
    assert_string_equal(f->m->function_role, ROLE_ARN);
    press(st, TK_ENTER);
    press(st, 21);
    type(st, "someone-else");
    press(st, TK_ENTER);
    assert_null(f->m->function_role);
}

/* Rules across options show on both rows they concern. */
static void rules_on_rows(void **state)
{
    fixture *f = *state;
    fill_required(f);
    char *err = NULL;
    assert_int_equal(
        mapping_set(f->m, OPT_FUNCTION, "arn:aws:lambda:eu-west-1:123456789012:function:x", &err),
        0);
    restart(f, NULL, NULL);
    char *p = row_problem(&f->st, OPT_FUNCTION);
    assert_non_null(p);
    assert_non_null(strstr(p, "region"));
    free(p);
    p = row_problem(&f->st, OPT_TABLE);
    assert_non_null(p);
    assert_non_null(strstr(p, opt_get(OPT_FUNCTION)->label));
    free(p);
    assert_false(f->st.preview_ok);
    assert_non_null(strstr(f->st.preview, "region"));
    /* KMS key without filters: on both rows */
    fill_required(f);
    assert_int_equal(mapping_set(f->m, OPT_FILTER_KMS_KEY, KEY_ARN, &err), 0);
    restart(f, NULL, NULL);
    p = row_problem(&f->st, OPT_FILTER_KMS_KEY);
    assert_non_null(strstr(p, "filter"));
    free(p);
    p = row_problem(&f->st, OPT_FILTERS);
    assert_non_null(p);
    free(p);
}

/* The destination picker lists queues, topics and buckets. */
static void pick_destination(void **state)
{
    fixture *f = *state;
    restart(f, "on-failure", NULL);
    form_state *st = &f->st;
    press(st, TK_ENTER);
    assert_int_equal(st->pk.n_match, 3);
    type(st, "dlq");
    assert_int_equal(st->pk.n_match, 2);
    bool off;
    char *e = form_picker_entry(st, 1, &off);
    assert_non_null(strstr(e, "FIFO"));
    assert_true(off); /* a FIFO queue cannot take stream failures */
    free(e);
    press(st, TK_ENTER);
    assert_string_equal(mapping_get(f->m, OPT_ON_FAILURE)->str, QUEUE_ARN);
    form_row_view v;
    form_row_view_get(st, OPT_ON_FAILURE, &v);
    assert_non_null(strstr(v.value, "orders-dlq"));
    form_row_view_free(&v);
}

/* Filters: add, refuse bad JSON inline, edit, delete. */
static void filter_editor(void **state)
{
    fixture *f = *state;
    fill_required(f);
    restart(f, "filter", NULL);
    form_state *st = &f->st;
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_LIST);
    assert_int_equal(form_list_count(st), 1); /* the "add" line */
    press(st, 'a');
    assert_int_equal(st->mode, FM_LIST_EDIT);
    type(st, "{\"eventName\": [");
    assert_non_null(st->edit_err);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_LIST_EDIT);
    assert_true(st->edit_refused);
    type(st, "\"INSERT\"]}");
    assert_null(st->edit_err);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_LIST);
    assert_int_equal(mapping_get(f->m, OPT_FILTERS)->n_items, 1);
    assert_non_null(strstr(st->preview, "INSERT"));
    char *e = form_list_entry(st, 0);
    assert_string_equal(e, "{\"eventName\": [\"INSERT\"]}");
    free(e);
    /* edit item 1 */
    press(st, TK_ENTER);
    assert_string_equal(st->edit.s, "{\"eventName\": [\"INSERT\"]}");
    press(st, 21);
    type(st, "{\"eventName\": [\"MODIFY\"]}");
    press(st, TK_ENTER);
    assert_string_equal(mapping_get(f->m, OPT_FILTERS)->items[0].key,
                        "{\"eventName\": [\"MODIFY\"]}");
    /* the same pattern twice is refused where it is typed */
    press(st, 'a');
    type(st, "{\"eventName\": [\"MODIFY\"]}");
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_LIST_EDIT);
    assert_non_null(strstr(st->edit_err, "twice"));
    press(st, TK_ESC);
    assert_int_equal(mapping_get(f->m, OPT_FILTERS)->n_items, 1);
    /* Enter on the add line adds; Esc drops the new one */
    press(st, TK_DOWN);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_LIST_EDIT);
    press(st, TK_ESC);
    assert_int_equal(st->mode, FM_LIST);
    press(st, TK_UP);
    press(st, 'd');
    assert_false(mapping_is_set(f->m, OPT_FILTERS));
    press(st, TK_ESC);
    assert_int_equal(st->mode, FM_FORM);
}

/* Filters stop at the table's maximum. */
static void filter_limit(void **state)
{
    fixture *f = *state;
    restart(f, "filter", NULL);
    form_state *st = &f->st;
    press(st, TK_ENTER);
    for (size_t i = 0; i < opt_get(OPT_FILTERS)->max_items; i++) {
        char *p = xasprintf("{\"a\": [%zu]}", i);
        press(st, 'a');
        type(st, p);
        press(st, TK_ENTER);
        free(p);
    }
    assert_int_equal(mapping_get(f->m, OPT_FILTERS)->n_items, opt_get(OPT_FILTERS)->max_items);
    press(st, 'a');
    assert_int_equal(st->mode, FM_LIST);
    assert_non_null(st->status);
    assert_non_null(strstr(st->status, "at most"));
}

/* Tags: KEY=VALUE items, checked as typed. */
static void tag_editor(void **state)
{
    fixture *f = *state;
    restart(f, "tag", NULL);
    form_state *st = &f->st;
    press(st, TK_ENTER);
    press(st, TK_IC);
    type(st, "=x");
    assert_non_null(st->edit_err);
    press(st, 21);
    type(st, "team=orders");
    assert_null(st->edit_err);
    press(st, TK_ENTER);
    const opt_value *v = mapping_get(f->m, OPT_TAGS);
    assert_int_equal(v->n_items, 1);
    assert_string_equal(v->items[0].key, "team");
    assert_string_equal(v->items[0].val, "orders");
    char *e = form_list_entry(st, 0);
    assert_string_equal(e, "team=orders");
    free(e);
    press(st, 'q');
    assert_int_equal(st->mode, FM_FORM);
}

/* Metrics: a checklist of the table's choices. */
static void metrics_checklist(void **state)
{
    fixture *f = *state;
    restart(f, "metrics", NULL);
    form_state *st = &f->st;
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_CHECKS);
    char *e = form_list_entry(st, 0);
    assert_string_equal(e, "[ ] EventCount");
    free(e);
    press(st, ' ');
    assert_int_equal(mapping_get(f->m, OPT_METRICS)->n_items, 1);
    e = form_list_entry(st, 0);
    assert_string_equal(e, "[x] EventCount");
    free(e);
    press(st, TK_ENTER);
    assert_false(mapping_is_set(f->m, OPT_METRICS));
    press(st, TK_ESC);
    assert_int_equal(st->mode, FM_FORM);
}

/* F2 on an invalid mapping says why and focuses the first problem. */
static void export_refused_while_invalid(void **state)
{
    fixture *f = *state;
    restart(f, "batch-size", NULL);
    form_state *st = &f->st;
    press(st, TK_F2);
    assert_int_equal(st->mode, FM_FORM);
    assert_int_equal(st->status_level, MSG_ERROR);
    assert_non_null(strstr(st->status, "Cannot export"));
    assert_int_equal(form_focused(st), OPT_TABLE);
    assert_false(st->preview_ok);
    assert_non_null(strstr(st->preview, opt_get(OPT_TABLE)->label));
}

/* Read a whole file; caller frees. */
static char *slurp(const char *path)
{
    char *err = NULL;
    size_t len;
    char *s = file_read_all(path, 1 << 20, &len, &err);
    if (!s)
        fail_msg("%s", err);
    return s;
}

/* F2 asks for the path with a suggested name, writes, and remembers it. */
static void export_dialog(void **state)
{
    fixture *f = *state;
    fill_required(f);
    restart(f, NULL, NULL);
    form_state *st = &f->st;
    press(st, TK_F3); /* cfn-json */
    press(st, 19);    /* Ctrl-S */
    assert_int_equal(st->mode, FM_PATH);
    char *sug = export_suggested_path(f->m, FMT_CFN_JSON);
    assert_string_equal(st->edit.s, sug);
    press(st, TK_F3); /* the format changes the suggested name with it */
    free(sug);
    sug = export_suggested_path(f->m, FMT_CFN_YAML);
    assert_string_equal(st->edit.s, sug);
    free(sug);
    press(st, 21);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_PATH); /* empty: refused */
    assert_non_null(st->edit_err);
    char *path = xasprintf("%s/out.yaml", f->dir);
    type(st, path);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_FORM);
    assert_true(st->exported);
    assert_false(form_dirty(st));
    assert_non_null(strstr(st->status, path));
    char *doc = slurp(path);
    assert_string_equal(doc, st->preview);
    free(doc);
    /* a change, and the same path again: no question, it was ours */
    press(st, TK_DOWN);
    press(st, TK_DOWN);
    press(st, TK_DOWN);
    type(st, "250");
    press(st, TK_ENTER);
    assert_true(form_dirty(st));
    press(st, TK_F2);
    assert_string_equal(st->edit.s, path);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_FORM);
    doc = slurp(path);
    assert_non_null(strstr(doc, "250"));
    free(doc);
    free(path);
}

/* An existing file is replaced only after yes. */
static void export_overwrite(void **state)
{
    fixture *f = *state;
    fill_required(f);
    restart(f, NULL, NULL);
    form_state *st = &f->st;
    char *path = xasprintf("%s/existing.json", f->dir);
    FILE *fp = fopen(path, "w");
    fputs("old\n", fp);
    fclose(fp);
    press(st, TK_F2);
    press(st, 21);
    type(st, path);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_OVERWRITE);
    char *q = form_dialog_text(st);
    assert_non_null(strstr(q, "exists"));
    free(q);
    press(st, 'n');
    assert_int_equal(st->mode, FM_PATH);
    char *doc = slurp(path);
    assert_string_equal(doc, "old\n");
    free(doc);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_OVERWRITE);
    press(st, 'y');
    assert_int_equal(st->mode, FM_FORM);
    doc = slurp(path);
    assert_string_equal(doc, st->preview);
    free(doc);
    /* a folder is not a file */
    press(st, TK_F2);
    press(st, 21);
    type(st, f->dir);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_PATH);
    assert_non_null(st->edit_err);
    press(st, TK_ESC);
    assert_int_equal(st->mode, FM_FORM);
    free(path);
}

/* With -o the export goes there at once; "-" keeps it for stdout. */
static void export_output_path(void **state)
{
    fixture *f = *state;
    fill_required(f);
    char *path = xasprintf("%s/given.json", f->dir);
    restart(f, NULL, path);
    form_state *st = &f->st;
    press(st, TK_F2);
    assert_int_equal(st->mode, FM_FORM);
    assert_true(st->exported);
    char *doc = slurp(path);
    assert_string_equal(doc, st->preview);
    free(doc);
    restart(f, NULL, "-");
    st = &f->st;
    press(st, TK_F2);
    assert_non_null(st->document);
    assert_string_equal(st->document, st->preview);
    press(st, 'q');
    assert_true(st->done);
    assert_int_equal(st->exit_code, 0);
    free(path);
}

/* Quit: 1 without an export, 0 after one; unexported changes ask first. */
static void quit_codes(void **state)
{
    fixture *f = *state;
    form_state *st = &f->st;
    press(st, 'q');
    assert_true(st->done);
    assert_int_equal(st->exit_code, 1);

    fill_required(f);
    restart(f, "batch-size", NULL);
    st = &f->st;
    type(st, "9");
    press(st, TK_ENTER);
    press(st, TK_F10);
    assert_int_equal(st->mode, FM_QUIT);
    assert_false(st->done);
    press(st, 'n');
    assert_int_equal(st->mode, FM_FORM);
    press(st, 17); /* Ctrl-Q */
    press(st, TK_ESC);
    assert_int_equal(st->mode, FM_FORM);
    press(st, 'q');
    press(st, 'y');
    assert_true(st->done);
    assert_int_equal(st->exit_code, 1);

    char *path = xasprintf("%s/q.json", f->dir);
    restart(f, NULL, path);
    st = &f->st;
    press(st, TK_F2);
    press(st, 'q');
    assert_true(st->done);
    assert_int_equal(st->exit_code, 0);
    free(path);
}

/* Every item of every hint bar is a key that does what the bar says. */
static void key_bar_matches_dispatch(void **state)
{
    (void)state;
    size_t nk;
    const tui_key *keys = tui_keys(&nk);
    for (unsigned ctx = 1; ctx <= C_PREVIEW; ctx <<= 1) {
        tui_hint h[32];
        size_t n = tui_key_hints(ctx, 1000, h, 32);
        assert_true(n > 0);
        for (size_t i = 0; i < n; i++) {
            char *names = xstrdup(h[i].keys);
            for (char *name = strtok(names, "/"); name; name = strtok(NULL, "/")) {
                bool found = false;
                for (size_t k = 0; k < nk; k++) {
                    if (!(keys[k].ctx & ctx) || strcmp(keys[k].name, name) != 0 || !keys[k].bar ||
                        strcmp(keys[k].bar, h[i].word) != 0)
                        continue;
                    assert_int_equal(tui_key_action(ctx, keys[k].key), keys[k].action);
                    found = true;
                }
                if (!found)
                    fail_msg("bar item %s %s has no key in context %#x", name, h[i].word, ctx);
            }
            free(names);
        }
        /* narrow bars keep the first-priority items and fit */
        for (size_t width = 20; width <= 120; width += 2) {
            char *bar = tui_key_bar(ctx, width);
            if (strlen(bar) > width)
                fail_msg("bar for %#x is %zu > %zu: %s", ctx, strlen(bar), width, bar);
            free(bar);
        }
        char *bar = tui_key_bar(ctx, 38);
        if (ctx & C_ROW)
            assert_non_null(strstr(bar, "F1 help"));
        free(bar);
    }
    /* every entry has help text and a name */
    for (size_t k = 0; k < nk; k++) {
        assert_non_null(keys[k].name);
        assert_true(strlen(keys[k].help) > 0);
    }
    char *bar = tui_key_bar(C_ROW_NUM, 200);
    assert_non_null(strstr(bar, "Enter edit"));
    assert_non_null(strstr(bar, "F2 export"));
    assert_non_null(strstr(bar, "F10 quit"));
    free(bar);
}

/* Moving between fields changes only the rows and the help line: the key
 * bar and the message line stay the same on every row (issue 8: a move
 * within 150 bytes); the range appears once an edit starts. */
static void moving_keeps_bar_and_message(void **state)
{
    fixture *f = *state;
    form_state *st = &f->st;
    form_msg_level lv0 = MSG_INFO, lv;
    char *bar0 = tui_key_bar(tui_bar_context(st), 80);
    char *msg0 = form_message(st, &lv0);
    assert_non_null(msg0); /* the empty mapping lacks its table */
    assert_int_equal(lv0, MSG_ERROR);
    for (size_t i = 0; i < OPT_COUNT; i++, press(st, TK_DOWN)) {
        const opt_def *d = opt_get(form_focused(st));
        char *bar = tui_key_bar(tui_bar_context(st), 80);
        char *msg = form_message(st, &lv);
        char *help = form_help_line(st);
        assert_string_equal(bar, bar0);
        assert_string_equal(msg, msg0);
        assert_int_equal(lv, lv0);
        /* the help without the label (the row is highlighted), one line at 80 columns */
        assert_null(strstr(help, d->label));
        assert_non_null(strstr(help, d->help + 1));
        if (tui_text_width(help) > 78)
            fail_msg("%s's help is wider than the message line: %s", d->name, help);
        free(bar);
        free(msg);
        free(help);
    }
    free(bar0);
    free(msg0);
    restart(f, "batch-size", NULL);
    press(st, TK_ENTER);
    char *msg = form_message(st, &lv);
    assert_string_equal(msg, "1..10000, default 100.");
    free(msg);
}

/* Help shows the focused option's table row and the keys. */
static void help_screen(void **state)
{
    fixture *f = *state;
    restart(f, "batch-size", NULL);
    form_state *st = &f->st;
    press(st, '?');
    assert_int_equal(st->mode, FM_HELP);
    const opt_def *d = opt_get(OPT_BATCH_SIZE);
    size_t n;
    char **lines = form_help_lines(st, 1000, &n);
    strbuf all = {0};
    for (size_t i = 0; i < n; i++)
        sb_addf(&all, "%s\n", lines[i]);
    form_lines_free(lines, n);
    char *text = sb_take(&all);
    char *allowed = opt_allowed_text(d);
    assert_non_null(strstr(text, d->long_help));
    assert_non_null(strstr(text, allowed));
    assert_non_null(strstr(text, d->default_text));
    assert_non_null(strstr(text, "--batch-size"));
    assert_non_null(strstr(text, d->api));
    assert_non_null(strstr(text, "Ctrl-S"));
    free(allowed);
    free(text);
    lines = form_help_lines(st, 30, &n);
    for (size_t i = 0; i < n; i++)
        assert_true(tui_text_width(lines[i]) <= 30);
    form_lines_free(lines, n);
    press(st, TK_PGDN);
    press(st, TK_ESC);
    assert_int_equal(st->mode, FM_FORM);
    press(st, TK_F1);
    assert_int_equal(st->mode, FM_HELP);
    press(st, TK_F1);
    assert_int_equal(st->mode, FM_FORM);
    /* help from inside an edit returns to it */
    press(st, '5');
    press(st, TK_F1);
    press(st, 'q');
    assert_int_equal(st->mode, FM_EDIT);
}

/* F3 cycles formats; the preview is exactly export_render's string. */
static void preview_formats(void **state)
{
    fixture *f = *state;
    fill_required(f);
    restart(f, NULL, NULL);
    form_state *st = &f->st;
    int seen = 0;
    do {
        char *err = NULL;
        char *doc = export_render(f->m, st->fmt, &err);
        assert_non_null(doc);
        assert_string_equal(doc, st->preview);
        free(doc);
        assert_int_not_equal(st->fmt, FMT_UPDATE_JSON); /* a new mapping has no update */
        press(st, TK_F3);
        seen++;
    } while (st->fmt != FMT_JSON && seen < FMT_COUNT);
    assert_int_equal(st->fmt, FMT_JSON);
    assert_int_equal(seen, FMT_COUNT - 1);
}

/* An existing mapping: immutable options are read-only; F3 reaches the update. */
static void existing_mapping(void **state)
{
    fixture *f = *state;
    fill_required(f);
    f->m->uuid = xstrdup("14e0db71-5d35-4eb5-b481-8945cf9d10c2");
    f->m->original = mapping_clone(f->m);
    restart(f, NULL, NULL);
    form_state *st = &f->st;
    assert_true(opt_get(OPT_TABLE)->immutable);
    form_row_view v;
    form_row_view_get(st, OPT_TABLE, &v);
    assert_true(v.read_only);
    form_row_view_free(&v);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_FORM);
    assert_non_null(strstr(st->status, "existing mapping"));
    press(st, TK_DC);
    assert_true(mapping_is_set(f->m, OPT_TABLE));
    bool update = false;
    for (int i = 0; i < FMT_COUNT; i++) {
        press(st, TK_F3);
        update |= st->fmt == FMT_UPDATE_JSON;
    }
    assert_true(update);
}

/* The preview scrolls; narrow screens show it instead of the form. */
static void preview_scroll(void **state)
{
    fixture *f = *state;
    fill_required(f);
    restart(f, NULL, NULL);
    form_state *st = &f->st;
    press(st, TK_F3);
    form_viewport vp = {.wide = false,
                        .form_height = 10,
                        .preview_height = 5,
                        .preview_width = 30,
                        .list_height = 5,
                        .help_height = 5,
                        .help_width = 40};
    form_set_viewport(st, &vp);
    assert_true(st->preview_lines > 5);
    press(st, TK_F4);
    assert_int_equal(st->mode, FM_PREVIEW);
    assert_true(st->show_preview);
    press(st, TK_DOWN);
    assert_int_equal(st->preview_top, 1);
    press(st, TK_END);
    assert_int_equal(st->preview_top, st->preview_lines - 5);
    press(st, TK_PGUP);
    press(st, TK_HOME);
    assert_int_equal(st->preview_top, 0);
    press(st, TK_RIGHT);
    assert_true(st->preview_left > 0);
    press(st, TK_LEFT);
    assert_int_equal(st->preview_left, 0);
    press(st, TK_ESC);
    assert_int_equal(st->mode, FM_FORM);
    assert_false(st->show_preview);
    /* side by side, PgDn on the form scrolls the preview */
    vp.wide = true;
    form_set_viewport(st, &vp);
    press(st, TK_PGDN);
    assert_int_equal(st->preview_top, 5);
    /* narrow: PgDn pages the form */
    vp.wide = false;
    form_set_viewport(st, &vp);
    press(st, TK_PGDN);
    assert_true(st->focus > 0);
}

/* Export and quit questions asked from the preview go back to it. */
static void dialogs_return_to_preview(void **state)
{
    fixture *f = *state;
    fill_required(f);
    char *path = xasprintf("%s/p.json", f->dir);
    restart(f, "batch-size", NULL);
    form_state *st = &f->st;
    type(st, "3");
    press(st, TK_ENTER);
    press(st, 16); /* Ctrl-P */
    assert_int_equal(st->mode, FM_PREVIEW);
    press(st, 'q');
    assert_int_equal(st->mode, FM_QUIT);
    press(st, 'n');
    assert_int_equal(st->mode, FM_PREVIEW);
    press(st, TK_F2);
    assert_int_equal(st->mode, FM_PATH);
    press(st, TK_ESC);
    assert_int_equal(st->mode, FM_PREVIEW);
    press(st, TK_F2);
    press(st, 21);
    type(st, path);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_PREVIEW);
    assert_true(st->exported);
    free(path);
}

/* Names from files are shown escaped: title, row, help, status. */
static void names_escaped(void **state)
{
    fixture *f = *state;
    fill_required(f);
    free(f->m->table_name);
    f->m->table_name = xstrdup("evil\x1b[2J\xc2\x9b"
                               "31m");
    restart(f, NULL, NULL);
    form_state *st = &f->st;
    char *t = form_title(st);
    assert_null(strchr(t, 0x1b));
    assert_non_null(strstr(t, "evil"));
    free(t);
    char *v = form_value_text(st, OPT_TABLE);
    assert_null(strchr(v, 0x1b));
    assert_null(strstr(v, "\xc2\x9b"));
    free(v);
    size_t n;
    char **lines = form_help_lines(st, 80, &n);
    for (size_t i = 0; i < n; i++)
        assert_null(strchr(lines[i], 0x1b));
    form_lines_free(lines, n);
}

/* The line buffer edits UTF-8 by characters. */
static void line_utf8(void **state)
{
    (void)state;
    tui_line l = {0};
    tui_line_set(&l, "ab");
    tui_line_apply(&l, ACT_CHAR, 0xE9);
    assert_string_equal(l.s, "ab\xc3\xa9");
    tui_line_apply(&l, ACT_LEFT, 0);
    assert_int_equal(l.cur, 2);
    tui_line_apply(&l, ACT_DELETE, 0);
    assert_string_equal(l.s, "ab");
    tui_line_apply(&l, ACT_CHAR, 0x20AC);
    tui_line_apply(&l, ACT_BACKSPACE, 0);
    assert_string_equal(l.s, "ab");
    assert_int_equal(tui_text_width("abc"), 3);
    tui_line_free(&l);
}

/* Open the filters list editor on F's mapping. */
static form_state *open_filters(fixture *f)
{
    fill_required(f);
    restart(f, "filter", NULL);
    press(&f->st, TK_ENTER);
    assert_int_equal(f->st.mode, FM_LIST);
    return &f->st;
}

/* Pick template NAME in the templates dialog (opened with t). */
static void pick_template(form_state *st, const char *name)
{
    press(st, 't');
    assert_int_equal(st->mode, FM_TEMPLATES);
    press(st, TK_HOME);
    while (strcmp(form_tpl_chosen(st)->name, name) != 0) {
        size_t at = st->tpl.sel;
        press(st, TK_DOWN);
        assert_int_not_equal(st->tpl.sel, at);
    }
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_TPL_FILL);
}

/* Templates: the parameters start at their defaults, choices cycle with
 * Left/Right, the pattern is built as they are typed, and Enter adds it
 * through the list editor (the preview and the dirty mark follow). */
static void filter_templates(void **state)
{
    fixture *f = *state;
    form_state *st = open_filters(f);
    assert_false(form_dirty(st));
    pick_template(st, "attribute-equals");
    /* the first parameter without a default is the one typed first */
    assert_int_equal(st->tpl.param, 1);
    assert_string_equal(st->tpl.vals[0].s, "NewImage");
    assert_non_null(strstr(st->tpl.err, "Attribute is required"));
    type(st, "status");
    press(st, TK_DOWN);
    press(st, TK_RIGHT); /* S -> N */
    char *v = form_tpl_value_text(st, 2);
    assert_string_equal(v, "< N >");
    free(v);
    press(st, TK_LEFT); /* back to S */
    press(st, '\t');
    type(st, "SHIPPED");
    assert_null(st->tpl.err);
    assert_string_equal(st->tpl.pattern,
                        "{\"dynamodb\":{\"NewImage\":{\"status\":{\"S\":[\"SHIPPED\"]}}}}");
    assert_string_equal(st->tpl.samples, "INSERT no match, MODIFY match, REMOVE no match");
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_LIST);
    const opt_value *fv = mapping_get(f->m, OPT_FILTERS);
    assert_int_equal(fv->n_items, 1);
    assert_string_equal(fv->items[0].key,
                        "{\"dynamodb\":{\"NewImage\":{\"status\":{\"S\":[\"SHIPPED\"]}}}}");
    assert_non_null(strstr(st->preview, "SHIPPED"));
    assert_true(form_dirty(st));
    assert_non_null(strstr(st->status, "added"));
    /* event names: a choice, never typed: a letter jumps to the next choice
       starting with it (several names are choices too), others do nothing */
    pick_template(st, "event-name");
    assert_string_equal(st->tpl.vals[0].s, "INSERT");
    type(st, "xyz");
    assert_string_equal(st->tpl.vals[0].s, "INSERT");
    press(st, 'm');
    assert_string_equal(st->tpl.vals[0].s, "MODIFY");
    press(st, 'i');
    assert_string_equal(st->tpl.vals[0].s, "INSERT,MODIFY");
    press(st, 21); /* Ctrl-U clears nothing either */
    assert_string_equal(st->tpl.pattern, "{\"eventName\":[\"INSERT\",\"MODIFY\"]}");
    char *hint = form_tpl_row_choices(st, 0);
    assert_string_equal(hint, "Left/Right or a letter: INSERT MODIFY REMOVE INSERT,MODIFY "
                              "INSERT,REMOVE MODIFY,REMOVE INSERT,MODIFY,REMOVE");
    free(hint);
    press(st, TK_ENTER);
    assert_int_equal(fv->n_items, 2);
    assert_int_equal(st->list_sel, 1);
    /* the same pattern twice is refused */
    pick_template(st, "event-name");
    press(st, TK_LEFT);
    press(st, TK_LEFT);
    press(st, TK_LEFT);
    press(st, TK_LEFT);
    assert_string_equal(st->tpl.vals[0].s, "INSERT,MODIFY");
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_TPL_FILL);
    assert_true(st->tpl.refused);
    char *p = form_tpl_problem(st);
    assert_non_null(strstr(p, "Not added: "));
    assert_non_null(strstr(p, "twice"));
    free(p);
    assert_int_equal(fv->n_items, 2);
}

/* A bad parameter is refused at once with what is allowed, and Enter
 * adds nothing; Esc backs out of both dialogs without a change. */
static void filter_template_refusals(void **state)
{
    fixture *f = *state;
    form_state *st = open_filters(f);
    pick_template(st, "attribute-equals");
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_TPL_FILL);
    char *p = form_tpl_problem(st);
    assert_string_equal(p, "Not added: Attribute is required: the attribute's name, as in the "
                           "table (case matters)");
    free(p);
    assert_false(mapping_is_set(f->m, OPT_FILTERS));
    press(st, TK_ESC);
    assert_int_equal(st->mode, FM_TEMPLATES);
    pick_template(st, "attribute-range");
    assert_non_null(form_tpl_chosen(st)->note);
    type(st, "total");
    press(st, TK_DOWN);
    type(st, "9");
    press(st, TK_DOWN);
    type(st, "1x");
    assert_non_null(strstr(st->tpl.err, "At most: 1x is not a number"));
    press(st, TK_BACKSPACE);
    assert_non_null(strstr(st->tpl.err, "is above At most"));
    press(st, TK_ESC);
    press(st, TK_ESC);
    assert_int_equal(st->mode, FM_LIST);
    press(st, TK_ESC);
    assert_int_equal(st->mode, FM_FORM);
    assert_false(mapping_is_set(f->m, OPT_FILTERS));
    assert_false(form_dirty(st));
    /* a full list still takes a condition into one of its filters (AND) */
    restart(f, "filter", NULL);
    press(st, TK_ENTER);
    for (size_t i = 0; i < opt_get(OPT_FILTERS)->max_items; i++) {
        char *item = xasprintf("{\"eventID\": [\"%zu\"]}", i);
        char *err = NULL;
        assert_int_equal(form_list_add(st, item, &err), 0);
        free(item);
    }
    press(st, 'a');
    assert_int_equal(st->mode, FM_LIST);
    assert_non_null(strstr(st->status, "at most"));
    press(st, 't');
    assert_int_equal(st->mode, FM_TEMPLATES);
    press(st, TK_ENTER); /* Event name is ... */
    assert_int_equal(st->tpl.target, 10);
    char *to = form_tpl_value_text(st, 1);
    assert_string_equal(to, "< filter 10 (AND) >");
    free(to);
    assert_string_equal(st->tpl.pattern, "{\"eventID\": [\"9\"], \"eventName\": [\"INSERT\"]}");
}

/* A template's condition into a new filter (OR) or an existing one (AND),
 * the resulting filter shown before Enter; a field the filter already has
 * cannot take a second list. */
static void filter_template_and_or(void **state)
{
    fixture *f = *state;
    form_state *st = open_filters(f);
    char *err = NULL;
    assert_int_equal(form_list_add(st, "{\"eventName\": [\"MODIFY\"]}", &err), 0);
    assert_int_equal(
        form_list_add(st, "{\"dynamodb\": {\"Keys\": {\"id\": {\"S\": [\"o-1\"]}}}}", &err), 0);
    char *note = form_list_note(st);
    assert_string_equal(note, "A record is sent when filter 1 OR filter 2 matches; the fields "
                              "inside one filter must all match (AND).");
    free(note);
    pick_template(st, "attribute-equals");
    type(st, "status");
    press(st, TK_DOWN);
    press(st, TK_DOWN);
    type(st, "SHIPPED");
    press(st, TK_DOWN);
    assert_string_equal(form_tpl_row_label(st, st->tpl.param), "Add to");
    char *label = form_tpl_result_label(st);
    assert_string_equal(label, "New filter 3 (ORed with the other filters)");
    free(label);
    press(st, 'f'); /* the next choice starting with f: filter 1 */
    assert_int_equal(st->tpl.target, 1);
    label = form_tpl_result_label(st);
    assert_string_equal(label, "Filter 1 becomes (all its fields must match)");
    free(label);
    assert_string_equal(st->tpl.pattern, "{\"eventName\": [\"MODIFY\"], \"dynamodb\": "
                                         "{\"NewImage\": {\"status\": {\"S\": [\"SHIPPED\"]}}}}");
    assert_string_equal(st->tpl.samples, "INSERT no match, MODIFY match, REMOVE no match");
    press(st, '2'); /* a digit: that filter */
    assert_int_equal(st->tpl.target, 2);
    assert_string_equal(st->tpl.pattern,
                        "{\"dynamodb\": {\"Keys\": {\"id\": {\"S\": [\"o-1\"]}}, \"NewImage\": "
                        "{\"status\": {\"S\": [\"SHIPPED\"]}}}}");
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_LIST);
    const opt_value *fv = mapping_get(f->m, OPT_FILTERS);
    assert_int_equal(fv->n_items, 2);
    assert_non_null(strstr(fv->items[1].key, "SHIPPED"));
    assert_non_null(strstr(st->status, "filter 2 now also needs"));
    /* the same field again, ANDed into filter 2: one field holds one list */
    pick_template(st, "attribute-equals");
    type(st, "status");
    press(st, TK_DOWN);
    press(st, TK_DOWN);
    type(st, "PAID");
    press(st, TK_DOWN);
    press(st, TK_LEFT); /* from a new filter back to filter 2 */
    assert_int_equal(st->tpl.target, 2);
    assert_null(st->tpl.pattern);
    assert_non_null(strstr(st->tpl.err, "filter 2: dynamodb.NewImage.status.S: the filter "
                                        "already has conditions here"));
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_TPL_FILL);
    assert_int_equal(fv->n_items, 2);
    press(st, TK_RIGHT); /* a new filter: fine */
    assert_int_equal(st->tpl.target, 0);
    press(st, TK_ENTER);
    assert_int_equal(fv->n_items, 3);
}

/* The filters list: how Lambda combines them in words, a mark on a filter
 * with a warning, the warnings in the export dialog. */
static void filter_list_words_and_marks(void **state)
{
    fixture *f = *state;
    form_state *st = open_filters(f);
    char *note = form_list_note(st);
    assert_non_null(strstr(note, "No filters: Lambda sends every record"));
    free(note);
    char *err = NULL;
    assert_int_equal(form_list_add(st, "{\"eventName\": [\"INSERT\"]}", &err), 0);
    assert_int_equal(
        form_list_add(st, "{\"dynamodb\": {\"NewImage\": {\"status\": [\"PAID\"]}}}", &err), 0);
    assert_int_equal(form_list_mark(st, 0), ' ');
    assert_int_equal(form_list_mark(st, 1), '~');
    char *w = form_export_warnings(st);
    assert_non_null(w);
    assert_non_null(strstr(w, "~ Filters: filter 2: dynamodb.NewImage.status: never matches"));
    assert_non_null(strstr(w, "write {\"status\": {\"S\": [\"PAID\"]}}"));
    free(w);
    for (int i = 3; i <= 6; i++) {
        char *item = xasprintf("{\"eventID\": [\"%d\"]}", i);
        assert_int_equal(form_list_add(st, item, &err), 0);
        free(item);
    }
    note = form_list_note(st);
    assert_string_equal(
        note, "A record is sent when filter 1 OR filter 2 OR 3 OR 4 ... OR 6 matches; the "
              "fields inside one filter must all match (AND). More than 5 filters "
              "need the quota \"Filters per event source mapping\" raised.");
    free(note);
}

/* The result lines joined, for looking things up. Caller frees. */
static char *result_text(const form_state *st)
{
    size_t n = 0;
    form_text *lines = form_tester_lines(st, 70, &n);
    strbuf b = {0};
    for (size_t i = 0; i < n; i++)
        sb_addf(&b, "%s\n", lines[i].text);
    form_texts_free(lines, n);
    return sb_take(&b);
}

/* Test source I of the tester's menu (opened with r from the list). */
static void test_source(form_state *st, size_t i)
{
    if (st->mode == FM_LIST)
        press(st, 'r');
    assert_int_equal(st->mode, FM_TESTER);
    while (st->test.sel > i)
        press(st, TK_UP);
    while (st->test.sel < i)
        press(st, TK_DOWN);
    press(st, TK_ENTER);
}

/* The tester on the three bundled samples, with known filters: which
 * match, why the others do not, and whether Lambda sends the record. */
static void filter_tester_samples(void **state)
{
    fixture *f = *state;
    char *err = NULL;
    assert_int_equal(
        mapping_set(f->m, OPT_FILTERS, "{\"eventName\": [\"INSERT\", \"MODIFY\"]}", &err), 0);
    assert_int_equal(mapping_set(f->m, OPT_FILTERS,
                                 "{\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": "
                                 "[\"SHIPPED\"]}}}}",
                                 &err),
                     0);
    form_state *st = open_filters(f);
    assert_int_equal(form_tester_sources(st), 5);
    char *src = form_tester_source(st, 1);
    assert_string_equal(src, "Bundled sample: MODIFY, keys id=\"o-1001\"  -> sent");
    free(src);
    src = form_tester_source(st, 2);
    assert_string_equal(src, "Bundled sample: REMOVE, keys id=\"o-1001\"  -> dropped");
    free(src);
    static const struct {
        const char *has[3];
    } want[] = {
        {{"Record: INSERT", "Sent to the function: filter 1 matches",
          "the record has \"PENDING\""}},
        {{"Record: MODIFY", "Sent to the function: filters 1, 2 match", " 2 match "}},
        {{"Record: REMOVE", "Dropped: no filter matches", "eventName: the record has \"REMOVE\""}},
    };
    for (size_t i = 0; i < 3; i++) {
        test_source(st, i);
        assert_int_equal(st->mode, FM_TEST_RESULT);
        char *text = result_text(st);
        for (size_t k = 0; k < 3; k++)
            if (!strstr(text, want[i].has[k]))
                fail_msg("sample %zu: no \"%s\" in:\n%s", i, want[i].has[k], text);
        free(text);
        press(st, TK_ESC);
        assert_int_equal(st->mode, FM_TESTER);
    }
    /* Right and Left step through the samples from the results, round */
    test_source(st, 2);
    static const char *const order[] = {"Record: INSERT", "Record: MODIFY", "Record: REMOVE"};
    for (size_t step = 0; step < 4; step++) {
        press(st, step < 2 ? TK_RIGHT : TK_LEFT);
        assert_int_equal(st->mode, FM_TEST_RESULT);
        size_t at = (size_t[]){0, 1, 0, 2}[step];
        assert_int_equal(st->test.sel, at);
        char *text = result_text(st);
        if (!strstr(text, order[at]))
            fail_msg("step %zu: no \"%s\" in:\n%s", step, order[at], text);
        free(text);
    }
    press(st, TK_ESC);
    press(st, TK_ESC);
    assert_int_equal(st->mode, FM_LIST);
    assert_false(form_dirty(st));
}

/* A record file by path: errors name the file; a Records event is tested
 * record by record with a count at the end. */
static void filter_tester_file(void **state)
{
    fixture *f = *state;
    form_state *st = open_filters(f);
    test_source(st, 3);
    assert_int_equal(st->mode, FM_TEST_PATH);
    press(st, TK_ENTER);
    assert_non_null(strstr(st->test.err, "Type the path"));
    char *missing = xasprintf("%s/missing.json", f->dir);
    type(st, missing);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_TEST_PATH);
    assert_non_null(strstr(st->test.err, "missing.json"));
    free(missing);
    char *path = xasprintf("%s/event.json", f->dir);
    size_t n = 0;
    const filter_sample *s = filter_samples(&n);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, "{\"Records\": [%s, %s]}", s[0].text, s[2].text);
    fclose(fp);
    press(st, 21);
    type(st, path);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_TEST_RESULT);
    char *text = result_text(st);
    assert_non_null(strstr(text, "Record 1 of 2: INSERT"));
    assert_non_null(strstr(text, "Record 2 of 2: REMOVE"));
    assert_non_null(strstr(text, "the mapping has no filters"));
    assert_non_null(strstr(text, "2 of 2 records sent to the function"));
    free(text);
    free(path);
}

/* The paste area takes lines until the text is complete JSON, then tests
 * it; brackets inside strings do not count; Esc drops the text. */
static void filter_tester_paste(void **state)
{
    fixture *f = *state;
    char *err = NULL;
    assert_int_equal(mapping_set(f->m, OPT_FILTERS, "{\"eventName\": [\"REMOVE\"]}", &err), 0);
    form_state *st = open_filters(f);
    test_source(st, 4);
    assert_int_equal(st->mode, FM_TEST_PASTE);
    type(st, "{\"eventName\": \"REMOVE\",");
    press(st, TK_ENTER);
    type(st, "\t\"dynamodb\": {\"Keys\": {\"id\": {\"S\": \"}]{\"}}}");
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_TEST_PASTE);
    size_t n = 0, total = 0;
    char **lines = form_tester_paste_lines(st, 10, &n, &total);
    assert_int_equal(total, 3);
    assert_string_equal(lines[1], " \"dynamodb\": {\"Keys\": {\"id\": {\"S\": \"}]{\"}}}");
    form_lines_free(lines, n);
    press(st, TK_ESC);
    assert_int_equal(st->mode, FM_TESTER);
    assert_int_equal(st->test.paste.len, 0);
    /* again, complete this time */
    press(st, TK_ENTER);
    type(st, "{\"eventName\": \"REMOVE\",");
    press(st, TK_ENTER);
    type(st, "\"dynamodb\": {\"Keys\": {\"id\": {\"S\": \"x}\"}}}}");
    assert_int_equal(st->mode, FM_TEST_PASTE);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_TEST_RESULT);
    char *text = result_text(st);
    assert_non_null(strstr(text, "Record: REMOVE"));
    assert_non_null(strstr(text, "Sent to the function: filter 1 matches"));
    free(text);
    /* complete JSON that is no record: said, and the text is kept */
    press(st, TK_ESC);
    press(st, TK_ENTER);
    type(st, "[1, 2]");
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_TEST_PASTE);
    assert_non_null(st->test.err);
    assert_non_null(strstr(st->test.err, "the pasted text"));
    press(st, TK_BACKSPACE);
    assert_null(st->test.err);
    press(st, 21);
    assert_int_equal(st->test.paste.len, 0);
}

/* The t and r keys belong to the filters list only, and show in its bar. */
static void filter_keys_only_there(void **state)
{
    fixture *f = *state;
    form_state *st = open_filters(f);
    char *bar = tui_key_bar(tui_key_context(st), 200);
    assert_non_null(strstr(bar, "t template"));
    assert_non_null(strstr(bar, "r test"));
    free(bar);
    press(st, TK_ESC);
    restart(f, "tag", NULL);
    press(st, TK_ENTER);
    assert_int_equal(st->mode, FM_LIST);
    bar = tui_key_bar(tui_key_context(st), 200);
    assert_null(strstr(bar, "template"));
    free(bar);
    press(st, 't');
    assert_int_equal(st->mode, FM_LIST);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(rows_grouped, setup, teardown),
        cmocka_unit_test_setup_teardown(moving, setup, teardown),
        cmocka_unit_test_setup_teardown(int_edit_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(typing_replaces, setup, teardown),
        cmocka_unit_test_setup_teardown(invalid_keeps_editing, setup, teardown),
        cmocka_unit_test_setup_teardown(edit_cursor_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(durations, setup, teardown),
        cmocka_unit_test_setup_teardown(booleans, setup, teardown),
        cmocka_unit_test_setup_teardown(enums, setup, teardown),
        cmocka_unit_test_setup_teardown(reset_to_default, setup, teardown),
        cmocka_unit_test_setup_teardown(pick_table, setup, teardown),
        cmocka_unit_test_setup_teardown(table_without_stream, setup, teardown),
        cmocka_unit_test_setup_teardown(typed_by_hand, setup, teardown),
        cmocka_unit_test_setup_teardown(pick_function_role, setup, teardown),
        cmocka_unit_test_setup_teardown(rules_on_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(pick_destination, setup, teardown),
        cmocka_unit_test_setup_teardown(filter_editor, setup, teardown),
        cmocka_unit_test_setup_teardown(filter_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(filter_templates, setup, teardown),
        cmocka_unit_test_setup_teardown(filter_template_and_or, setup, teardown),
        cmocka_unit_test_setup_teardown(filter_list_words_and_marks, setup, teardown),
        cmocka_unit_test_setup_teardown(filter_template_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(filter_tester_samples, setup, teardown),
        cmocka_unit_test_setup_teardown(filter_tester_file, setup, teardown),
        cmocka_unit_test_setup_teardown(filter_tester_paste, setup, teardown),
        cmocka_unit_test_setup_teardown(filter_keys_only_there, setup, teardown),
        cmocka_unit_test_setup_teardown(tag_editor, setup, teardown),
        cmocka_unit_test_setup_teardown(metrics_checklist, setup, teardown),
        cmocka_unit_test_setup_teardown(export_refused_while_invalid, setup, teardown),
        cmocka_unit_test_setup_teardown(export_dialog, setup, teardown),
        cmocka_unit_test_setup_teardown(export_overwrite, setup, teardown),
        cmocka_unit_test_setup_teardown(export_output_path, setup, teardown),
        cmocka_unit_test_setup_teardown(quit_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(key_bar_matches_dispatch, setup, teardown),
        cmocka_unit_test_setup_teardown(help_screen, setup, teardown),
        cmocka_unit_test_setup_teardown(preview_formats, setup, teardown),
        cmocka_unit_test_setup_teardown(existing_mapping, setup, teardown),
        cmocka_unit_test_setup_teardown(preview_scroll, setup, teardown),
        cmocka_unit_test_setup_teardown(dialogs_return_to_preview, setup, teardown),
        cmocka_unit_test_setup_teardown(names_escaped, setup, teardown),
        cmocka_unit_test_setup_teardown(moving_keeps_bar_and_message, setup, teardown),
        cmocka_unit_test_setup_teardown(line_utf8, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
