/* Live discovery from the screen (F5): the CLI's discovery, driven one
 * step at a time through the function pointers of tui_discover_ops while
 * keys keep working; progress in the message line, Esc on the form stops
 * it, and what answered is added to the inventory when it is over. */
#include <stdlib.h>
#include <string.h>

#include "model/util.h"
#include "tui/form_int.h"

void form_discover_setup(form_state *st, const tui_discover_ops *ops, void *ctx)
{
    st->disc.ops = ops;
    st->disc.ctx = ctx;
}

bool form_discover_running(const form_state *st)
{
    return st->disc.d != NULL;
}

/* Take the progress text from the running discovery. */
static void update_progress(form_state *st)
{
    free(st->disc.progress);
    st->disc.progress = st->disc.ops->status ? st->disc.ops->status(st->disc.d) : NULL;
}

void form_discover_start(form_state *st)
{
    const tui_discover_ops *ops = st->disc.ops;
    if (!ops) {
        form_status(st, MSG_INFO, "Discovery is not available here: load --inventory FILE");
        return;
    }
    if (st->disc.d) {
        form_status(st, MSG_INFO, "Discovery is running: Esc on the form stops it");
        return;
    }
    char *err = NULL;
    st->disc.d = ops->start(st->disc.ctx, &err);
    if (!st->disc.d) {
        form_status(st, MSG_ERROR, "Discovery: %s", err ? err : "cannot start the AWS CLI");
        free(err);
        return;
    }
    update_progress(st);
}

/* An open picker lists what was just added. */
static void refresh_picker(form_state *st)
{
    if (st->mode != FM_PICKER || st->pk.choices)
        return;
    form_picker_refilter(st);
}

/* REPORT's first line, "aws lambda list-functions, aws sqs list-queues:
 * An error ...", with aws's words first (they are what a narrow message
 * line must show): "An error ... (aws lambda list-functions, aws sqs
 * list-queues)"; *MORE: how many more lines it has. Caller frees. */
static char *first_failure(const char *report, size_t *more)
{
    size_t len = strcspn(report, "\n");
    *more = 0;
    for (const char *p = report + len; *p; p++)
        if (*p == '\n' && p[1])
            (*more)++;
    char *line = xstrndup(report, len);
    char *colon = strstr(line, ": ");
    if (strncmp(line, "aws ", 4) != 0 || !colon)
        return line;
    *colon = '\0';
    char *s = xasprintf("%s (%s)", colon + 2, line);
    free(line);
    return s;
}

/* Discovery is over (or stopped): add what answered, say what failed. */
static void finish(form_state *st, bool stopped)
{
    const tui_discover_ops *ops = st->disc.ops;
    size_t added = ops->apply ? ops->apply(st->disc.d, st->inv) : 0;
    char *report = ops->report ? ops->report(st->disc.d) : NULL;
    char *progress = ops->status ? ops->status(st->disc.d) : NULL;
    ops->free(st->disc.d);
    st->disc.d = NULL;
    free(st->disc.progress);
    st->disc.progress = NULL;
    const char *how = stopped ? "stopped" : "done";
    if (report && *report) {
        size_t more;
        char *line = first_failure(report, &more);
        char *extra =
            more ? xasprintf("; and %zu more failure%s", more, more > 1 ? "s" : "") : xstrdup("");
        form_status(st, MSG_ERROR, "Discovery %s, %zu added. %s%s", how, added, line, extra);
        free(extra);
        free(line);
    } else {
        form_status(st, stopped ? MSG_INFO : MSG_OK, "Discovery %s: %zu added (%s)", how, added,
                    progress ? progress : "");
    }
    free(report);
    free(progress);
    refresh_picker(st);
}

bool form_discover_tick(form_state *st)
{
    if (!st->disc.d)
        return false;
    char *before = st->disc.progress ? xstrdup(st->disc.progress) : NULL;
    int more = st->disc.ops->step(st->disc.d, 0);
    bool changed;
    if (more > 0) {
        update_progress(st);
        changed = !before || !st->disc.progress || strcmp(before, st->disc.progress) != 0;
    } else {
        finish(st, false);
        changed = true;
    }
    free(before);
    return changed;
}

void form_discover_stop(form_state *st)
{
    if (!st->disc.d)
        return;
    if (st->disc.ops->cancel)
        st->disc.ops->cancel(st->disc.d);
    finish(st, true);
}
