/* Applying the mapping to AWS from the screen (F7): refused with the
 * reason while the mapping is invalid (as the export is); else the CLI's
 * --apply is asked, through tui_apply_ops, for its plan (which looks for
 * an existing mapping of the same stream and function and offers to
 * update it instead of a create that would conflict); y runs the plan and
 * aws's answer is shown as it is, escaped. A successful apply counts as an
 * export: exit code 0, no "quit without exporting?", the draft removed. */
#include <stdlib.h>
#include <string.h>

#include "model/util.h"
#include "tui/form_int.h"

void form_aws_setup(form_state *st, const tui_apply_ops *ops, void *ctx)
{
    st->aws.ops = ops;
    st->aws.ctx = ctx;
}

/* Forget the plan. */
static void drop_plan(form_state *st)
{
    free(st->aws.plan.text);
    free(st->aws.plan.request);
    memset(&st->aws.plan, 0, sizeof st->aws.plan);
}

void form_aws_start(form_state *st)
{
    if (!st->aws.ops) {
        form_status(st, MSG_INFO, "Applying to AWS is not available here");
        return;
    }
    if (form_refuse_invalid(st, "apply"))
        return;
    st->aws.next = AWS_WANT_PLAN;
    form_status(st, MSG_INFO, "Asking AWS for an existing mapping of this stream and function...");
}

bool form_aws_waiting(const form_state *st)
{
    return st->aws.next != AWS_IDLE;
}

/* The question under the plan, or NULL when there is nothing to run. */
static char *plan_question(const tui_apply_plan *p)
{
    switch (p->kind) {
    case TUI_APPLY_CREATE:
        return xstrdup("Create it (aws lambda create-event-source-mapping)?");
    case TUI_APPLY_UPDATE:
        return xstrdup("Update this mapping (a second one would fail to create)?");
    default:
        return NULL;
    }
}

/* Ask for the plan and show it. */
static void ask_plan(form_state *st)
{
    drop_plan(st);
    st->aws.ops->plan(st->aws.ctx, st->m, &st->aws.plan);
    const tui_apply_plan *p = &st->aws.plan;
    char *text = xstrdup(p->text ? p->text : "");
    if (p->failed) {
        form_textbox_open(st, FM_AWS_ANSWER, "Apply to AWS: failed", text, NULL);
        form_status(st, MSG_ERROR, "Apply: could not ask AWS; nothing applied");
        drop_plan(st);
        return;
    }
    form_textbox_open(st, FM_AWS_PLAN, "Apply to AWS: the plan", text, plan_question(p));
    if (p->kind == TUI_APPLY_CREATE)
        form_status(st, MSG_INFO, "AWS has no mapping of this stream and function yet");
    else if (p->kind == TUI_APPLY_UPDATE)
        form_status(st, MSG_WARN, "AWS has a mapping of this stream and function: y updates it");
    else
        form_status(st, MSG_INFO, "Nothing to apply: the plan says why");
}

/* Each line of RAW escaped on its own, so the lines stay lines. Caller frees. */
static char *escape_lines(const char *raw)
{
    strbuf b = {0};
    for (const char *p = raw; *p;) {
        size_t len = strcspn(p, "\n");
        char *line = xstrndup(p, len);
        char *shown = str_escape_display(line);
        sb_addf(&b, "%s\n", shown);
        free(shown);
        free(line);
        p += len + (p[len] == '\n');
    }
    return b.len ? sb_take(&b) : xstrdup("(aws wrote nothing)\n");
}

/* The apply worked: it counts as an export. */
static void applied(form_state *st)
{
    st->exported = true;
    st->applied = true;
    mapping_free(st->baseline);
    st->baseline = mapping_clone(st->m);
    form_draft_exported(st);
}

/* Run the plan and show aws's answer. */
static void run_plan(form_state *st)
{
    char *answer = NULL;
    bool ok = st->aws.ops->run(st->aws.ctx, &st->aws.plan, &answer);
    bool update = st->aws.plan.kind == TUI_APPLY_UPDATE;
    drop_plan(st);
    form_textbox_open(st, FM_AWS_ANSWER, ok ? "AWS's answer" : "AWS's answer: failed",
                      escape_lines(answer ? answer : ""), NULL);
    free(answer);
    if (!ok) {
        form_status(st, MSG_ERROR, "Apply failed: aws's answer is above; nothing was %s",
                    update ? "updated" : "created");
        return;
    }
    applied(st);
    form_status(st, MSG_OK, "Applied: the mapping was %s in AWS", update ? "updated" : "created");
}

void form_aws_continue(form_state *st)
{
    form_aws_step next = st->aws.next;
    st->aws.next = AWS_IDLE;
    if (next == AWS_WANT_PLAN)
        ask_plan(st);
    else if (next == AWS_WANT_RUN)
        run_plan(st);
}

/* y on the plan: run it after the frame says so. */
static void confirm_plan(form_state *st)
{
    if (st->aws.plan.kind == TUI_APPLY_NOTHING || !st->aws.plan.request)
        return;
    st->aws.next = AWS_WANT_RUN;
    form_status(st, MSG_INFO, "Running aws lambda %s-event-source-mapping...",
                st->aws.plan.kind == TUI_APPLY_UPDATE ? "update" : "create");
}

void form_aws_apply(form_state *st, form_action a)
{
    if (form_textbox_scroll(st, a))
        return;
    bool asking = st->mode == FM_AWS_PLAN && st->box.question;
    if (a == ACT_YES && asking) {
        confirm_plan(st);
    } else if (a == ACT_NO || a == ACT_CANCEL || (!asking && a == ACT_COMMIT)) {
        if (asking)
            form_status(st, MSG_INFO, "Nothing applied");
        drop_plan(st);
        form_textbox_close(st);
    }
}

void form_aws_free(form_state *st)
{
    drop_plan(st);
}
