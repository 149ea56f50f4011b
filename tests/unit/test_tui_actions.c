/* The screen's preset (F6) and apply-to-AWS (F7) actions, with no
 * terminal and no aws: keys go through the one key table into form_apply
 * as the main loop sends them; aws is a fake tui_apply_ops. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/preset.h"
#include "model/util.h"
#include "tui/form.h"
#include "tui/form_int.h"
#include "tui/keys.h"

#define STREAM_ORDERS                                                                              \
    "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000"
#define FN_ARN "arn:aws:lambda:us-east-1:123456789012:function:process-orders"
#define QUEUE_ARN "arn:aws:sqs:us-east-1:123456789012:orders-dlq"

/* What the fake aws does and what it was asked. */
static struct {
    tui_apply_plan plan; /* what plan answers with (copied) */
    bool run_ok;
    const char *answer;
    int plans, runs;
    char *run_request; /* the request run was given */
} fake;

static void fake_plan(void *ctx, const mapping *m, tui_apply_plan *out)
{
    (void)ctx;
    (void)m;
    fake.plans++;
    *out = fake.plan;
    out->text = xstrdup(fake.plan.text);
    out->request = fake.plan.request ? xstrdup(fake.plan.request) : NULL;
}

static bool fake_run(void *ctx, const tui_apply_plan *plan, char **answer)
{
    (void)ctx;
    fake.runs++;
    free(fake.run_request);
    fake.run_request = plan->request ? xstrdup(plan->request) : NULL;
    *answer = xstrdup(fake.answer);
    return fake.run_ok;
}

static const tui_apply_ops fake_ops = {.plan = fake_plan, .run = fake_run};

typedef struct fixture {
    mapping *m;
    form_state st;
} fixture;

/* A valid mapping on screen, with the fake aws. */
static int setup(void **state)
{
    fixture *f = xcalloc(1, sizeof *f);
    f->m = mapping_new();
    char *err = NULL;
    assert_int_equal(mapping_set(f->m, OPT_TABLE, STREAM_ORDERS, &err), 0);
    assert_int_equal(mapping_set(f->m, OPT_FUNCTION, FN_ARN, &err), 0);
    assert_int_equal(mapping_set(f->m, OPT_STARTING_POSITION, "LATEST", &err), 0);
    form_init(&f->st, f->m, NULL, FMT_JSON, NULL, NULL);
    form_aws_setup(&f->st, &fake_ops, NULL);
    free(fake.run_request);
    memset(&fake, 0, sizeof fake);
    fake.plan =
        (tui_apply_plan){TUI_APPLY_CREATE, false, "Plan: create a mapping\n  Batch size 100",
                         "{\"BatchSize\": 100}"};
    fake.run_ok = true;
    fake.answer = "{\n    \"State\": \"Creating\"\n}\n";
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    form_free(&f->st);
    mapping_free(f->m);
    free(fake.run_request);
    fake.run_request = NULL;
    free(f);
    return 0;
}

/* Send KEY as the main loop does: through the key table. */
static void press(form_state *st, unsigned key)
{
    form_apply(st, tui_key_action(tui_key_context(st), key), key);
}

/* The preset the screen offers. */
static const preset *offered(void)
{
    size_t n;
    const preset *p = preset_list(&n);
    assert_true(n > 0);
    return p;
}

/* Whether option S->opt holds S's value on M. */
static bool holds(const mapping *m, const preset_setting *s)
{
    opt_value v;
    char *err = NULL;
    assert_int_equal(opt_parse(opt_get(s->opt), s->value, &v, &err), 0);
    bool same = mapping_is_set(m, s->opt) && opt_value_equal(mapping_get(m, s->opt), &v);
    opt_value_clear(&v);
    return same;
}

/* F6 lists every value with its reason and what to pick; y sets them and
 * moves to the option still to pick, saying why. */
static void preset_yes(void **state)
{
    fixture *f = *state;
    const preset *p = offered();
    press(&f->st, TK_F6);
    assert_int_equal(f->st.mode, FM_PRESET);
    for (size_t i = 0; i < p->n_settings; i++) {
        assert_non_null(strstr(f->st.box.text, opt_get(p->settings[i].opt)->label));
        assert_non_null(strstr(f->st.box.text, p->settings[i].why));
    }
    assert_non_null(strstr(f->st.box.text, p->pick_why));
    assert_non_null(f->st.box.question);
    press(&f->st, 'y');
    assert_int_equal(f->st.mode, FM_FORM);
    for (size_t i = 0; i < p->n_settings; i++)
        assert_true(holds(f->m, &p->settings[i]));
    assert_int_equal(form_focused(&f->st), p->must_pick);
    assert_non_null(f->st.status);
    assert_non_null(strstr(f->st.status, p->pick_why));
    assert_true(form_dirty(&f->st));
    /* validated and previewed as an edit is */
    assert_non_null(strstr(f->st.preview, opt_get(p->settings[0].opt)->api));
}

/* n and Esc change nothing; Ctrl-R opens it too; scrolling keeps it open. */
static void preset_no(void **state)
{
    fixture *f = *state;
    mapping *before = mapping_clone(f->m);
    press(&f->st, 18);
    assert_int_equal(f->st.mode, FM_PRESET);
    press(&f->st, TK_DOWN);
    press(&f->st, TK_PGDN);
    assert_int_equal(f->st.mode, FM_PRESET);
    press(&f->st, 'n');
    assert_int_equal(f->st.mode, FM_FORM);
    assert_true(mapping_equal(f->m, before));
    press(&f->st, TK_F6);
    press(&f->st, TK_ESC);
    assert_int_equal(f->st.mode, FM_FORM);
    assert_true(mapping_equal(f->m, before));
    assert_false(form_dirty(&f->st));
    mapping_free(before);
}

/* With the pick made already, y stays where it was and says it is set. */
static void preset_with_pick(void **state)
{
    fixture *f = *state;
    char *err = NULL;
    assert_int_equal(mapping_set(f->m, OPT_ON_FAILURE, QUEUE_ARN, &err), 0);
    form_changed(&f->st);
    press(&f->st, TK_F6);
    assert_null(strstr(f->st.box.text, "not set yet"));
    press(&f->st, 'Y');
    assert_int_equal(form_focused(&f->st), OPT_TABLE);
    assert_int_equal(f->st.status_level, MSG_OK);
    /* the preset's choices draw no warning */
    assert_int_equal(f->st.diags.n, 0);
}

/* F7 while invalid: refused with the reason, focus on it, aws not asked. */
static void apply_refused_while_invalid(void **state)
{
    fixture *f = *state;
    mapping_unset(f->m, OPT_STARTING_POSITION);
    form_changed(&f->st);
    press(&f->st, TK_F7);
    assert_false(form_aws_waiting(&f->st));
    assert_int_equal(f->st.mode, FM_FORM);
    assert_int_equal(form_focused(&f->st), OPT_STARTING_POSITION);
    assert_non_null(strstr(f->st.status, "Cannot apply yet"));
    assert_non_null(strstr(f->st.status, opt_get(OPT_STARTING_POSITION)->label));
    assert_int_equal(fake.plans, 0);
}

/* F7: "asking" first, then the plan; y runs it; the answer is shown
 * escaped; it counts as an export. */
static void apply_create(void **state)
{
    fixture *f = *state;
    fake.answer = "{\"State\": \"Creating\"}\n\x1b[31mred\n";
    press(&f->st, TK_F7);
    assert_true(form_aws_waiting(&f->st));
    assert_non_null(strstr(f->st.status, "Asking AWS"));
    assert_int_equal(fake.plans, 0); /* not before the frame says so */
    form_aws_continue(&f->st);
    assert_int_equal(fake.plans, 1);
    assert_int_equal(f->st.mode, FM_AWS_PLAN);
    assert_non_null(strstr(f->st.box.text, "Plan: create a mapping"));
    assert_non_null(strstr(f->st.box.question, "Create"));
    press(&f->st, 'y');
    assert_true(form_aws_waiting(&f->st));
    assert_int_equal(fake.runs, 0);
    form_aws_continue(&f->st);
    assert_int_equal(fake.runs, 1);
    assert_string_equal(fake.run_request, "{\"BatchSize\": 100}");
    assert_int_equal(f->st.mode, FM_AWS_ANSWER);
    assert_non_null(strstr(f->st.box.text, "\"State\": \"Creating\""));
    assert_null(strchr(f->st.box.text, '\x1b'));
    assert_non_null(strstr(f->st.box.text, "\\x1b[31mred"));
    assert_int_equal(f->st.status_level, MSG_OK);
    assert_true(f->st.exported);
    press(&f->st, TK_ESC);
    assert_int_equal(f->st.mode, FM_FORM);
    press(&f->st, 'q');
    assert_true(f->st.done);
    assert_int_equal(f->st.exit_code, 0);
}

/* An existing mapping: the plan offers the update; n runs nothing. */
static void apply_update_declined(void **state)
{
    fixture *f = *state;
    fake.plan.kind = TUI_APPLY_UPDATE;
    fake.plan.text = "Plan: update mapping 6d9b (Enabled)\n  Batch size 100 -> 500";
    press(&f->st, TK_F7);
    form_aws_continue(&f->st);
    assert_int_equal(f->st.mode, FM_AWS_PLAN);
    assert_non_null(strstr(f->st.box.question, "Update"));
    assert_non_null(strstr(f->st.status, "y updates it"));
    press(&f->st, 'n');
    assert_false(form_aws_waiting(&f->st));
    assert_int_equal(f->st.mode, FM_FORM);
    assert_int_equal(fake.runs, 0);
    assert_false(f->st.exported);
}

/* aws fails: its answer shown, the message says so, nothing exported. */
static void apply_fails(void **state)
{
    fixture *f = *state;
    fake.run_ok = false;
    fake.answer = "\nAn error occurred (ResourceConflictException) when calling the "
                  "CreateEventSourceMapping operation\n";
    char *err = NULL;
    assert_int_equal(mapping_set(f->m, OPT_BATCH_SIZE, "7", &err), 0);
    form_changed(&f->st);
    press(&f->st, TK_F7);
    form_aws_continue(&f->st);
    press(&f->st, 'y');
    form_aws_continue(&f->st);
    assert_int_equal(f->st.mode, FM_AWS_ANSWER);
    assert_non_null(strstr(f->st.box.text, "ResourceConflictException"));
    assert_int_equal(f->st.status_level, MSG_ERROR);
    assert_non_null(strstr(f->st.status, "failed"));
    assert_false(f->st.exported);
    press(&f->st, TK_ENTER);
    press(&f->st, 'q');
    assert_int_equal(f->st.mode, FM_QUIT);
}

/* Nothing to do, or aws could not be asked: the text, no question, y does nothing. */
static void apply_nothing_or_failed(void **state)
{
    fixture *f = *state;
    fake.plan = (tui_apply_plan){TUI_APPLY_NOTHING, false,
                                 "mapping 6d9b already has these values: nothing to do", NULL};
    press(&f->st, TK_F7);
    form_aws_continue(&f->st);
    assert_int_equal(f->st.mode, FM_AWS_PLAN);
    assert_null(f->st.box.question);
    press(&f->st, 'y');
    assert_false(form_aws_waiting(&f->st));
    press(&f->st, TK_ESC);
    assert_int_equal(f->st.mode, FM_FORM);
    fake.plan =
        (tui_apply_plan){TUI_APPLY_NOTHING, true,
                         "aws lambda list-event-source-mappings: timed out after 1 s", NULL};
    press(&f->st, TK_F7);
    form_aws_continue(&f->st);
    assert_int_equal(f->st.mode, FM_AWS_ANSWER);
    assert_non_null(strstr(f->st.box.text, "timed out"));
    assert_int_equal(f->st.status_level, MSG_ERROR);
    assert_int_equal(fake.runs, 0);
}

/* Without ops (no CLI behind the screen): F7 says so. */
static void apply_not_available(void **state)
{
    fixture *f = *state;
    form_aws_setup(&f->st, NULL, NULL);
    press(&f->st, TK_F7);
    assert_false(form_aws_waiting(&f->st));
    assert_non_null(strstr(f->st.status, "not available"));
}

/* A long answer scrolls like help, within its bounds; from the preview
 * the dialog goes back to the preview. */
static void text_scrolls(void **state)
{
    fixture *f = *state;
    strbuf b = {0};
    for (int i = 0; i < 100; i++)
        sb_addf(&b, "line %d\n", i);
    char *answer = sb_take(&b);
    fake.answer = answer;
    form_viewport vp = f->st.vp;
    vp.text_height = 10;
    form_set_viewport(&f->st, &vp);
    press(&f->st, TK_F4);
    assert_int_equal(f->st.mode, FM_PREVIEW);
    press(&f->st, TK_F7);
    form_aws_continue(&f->st);
    press(&f->st, 'y');
    form_aws_continue(&f->st);
    assert_int_equal(f->st.mode, FM_AWS_ANSWER);
    press(&f->st, TK_PGDN);
    assert_int_equal(f->st.box.top, 9);
    press(&f->st, TK_END);
    assert_int_equal(f->st.box.top, 90);
    press(&f->st, TK_HOME);
    assert_int_equal(f->st.box.top, 0);
    press(&f->st, 'q');
    assert_int_equal(f->st.mode, FM_PREVIEW);
    free(answer);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(preset_yes, setup, teardown),
        cmocka_unit_test_setup_teardown(preset_no, setup, teardown),
        cmocka_unit_test_setup_teardown(preset_with_pick, setup, teardown),
        cmocka_unit_test_setup_teardown(apply_refused_while_invalid, setup, teardown),
        cmocka_unit_test_setup_teardown(apply_create, setup, teardown),
        cmocka_unit_test_setup_teardown(apply_update_declined, setup, teardown),
        cmocka_unit_test_setup_teardown(apply_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(apply_nothing_or_failed, setup, teardown),
        cmocka_unit_test_setup_teardown(apply_not_available, setup, teardown),
        cmocka_unit_test_setup_teardown(text_scrolls, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
