/* Drafts on screen: the mapping is saved (export/draft.h) after each
 * committed change, so a dropped link or a kill loses nothing; a draft
 * left by an earlier run is offered at start ("Restore the unsaved mapping
 * from <time>? y/n", or taken at once with --restore); a successful export
 * clears it. The signal handlers write the text the last save armed. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export/draft.h"
#include "model/util.h"
#include "tui/form_int.h"

/* Remember M as the mapping the draft holds. */
static void remember(form_state *st)
{
    mapping_free(st->draft.saved);
    st->draft.saved = mapping_clone(st->m);
}

/* Exchange the contents of A and B (both from mapping_new). */
static void swap_mappings(mapping *a, mapping *b)
{
    mapping tmp = *a;
    *a = *b;
    *b = tmp;
}

/* "2026-03-01 14:05" for WHEN (local time), or "an earlier run". Caller frees. */
static char *when_text(time_t when)
{
    struct tm tm;
    char buf[64];
    if (when <= 0 || !localtime_r(&when, &tm) || !strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm))
        return xstrdup("an earlier run");
    return xstrdup(buf);
}

/* Put the offered draft in place of the mapping. */
static void take_offer(form_state *st, mapping *draft, const char *when)
{
    swap_mappings(st->m, draft);
    mapping_free(draft);
    form_changed(st);
    remember(st);
    st->draft.ours = true;
    form_status(st, MSG_OK, "Restored the unsaved mapping from %s", when);
}

void form_draft_start(form_state *st, bool restored)
{
    st->draft.on = true;
    remember(st);
    mapping *d = mapping_new();
    time_t at = 0;
    char *err = NULL;
    int rc = draft_load(d, &at, &err);
    if (rc < 0)
        form_status(st, MSG_WARN, "The unsaved mapping of an earlier run cannot be restored: %s",
                    err ? err : "unreadable");
    free(err);
    if (rc == 1 && restored) {
        /* the command line put it in place already, with its flags over it */
        char *when = when_text(at);
        form_status(st, MSG_OK, "Restored the unsaved mapping from %s (--restore)", when);
        free(when);
        st->draft.ours = true;
    }
    if (rc != 1 || restored || mapping_equal(d, st->m)) {
        mapping_free(d);
        return;
    }
    char *when = when_text(at);
    st->draft.offer = d;
    st->draft.offer_when = when;
    st->back = st->mode;
    st->mode = FM_RESTORE;
}

/* Forget the question's draft. */
static void drop_offer(form_state *st)
{
    mapping_free(st->draft.offer);
    st->draft.offer = NULL;
    free(st->draft.offer_when);
    st->draft.offer_when = NULL;
}

void form_restore_apply(form_state *st, form_action a)
{
    if (a != ACT_YES && a != ACT_NO)
        return;
    st->mode = st->back;
    if (a == ACT_YES) {
        mapping *d = st->draft.offer;
        st->draft.offer = NULL;
        take_offer(st, d, st->draft.offer_when);
    } else {
        form_status(st, MSG_INFO,
                    "Not restored: the draft from %s is kept until you change something",
                    st->draft.offer_when);
    }
    drop_offer(st);
}

void form_draft_after(form_state *st)
{
    if (!st->draft.on || st->mode == FM_RESTORE || mapping_equal(st->m, st->draft.saved))
        return;
    remember(st); /* a failed save is tried again at the next change, not the next key */
    char *err = NULL;
    if (draft_save(st->m, &err) == 0) {
        st->draft.ours = true;
        st->draft.failed = false;
    } else if (!st->draft.failed) {
        st->draft.failed = true;
        if (!st->status)
            form_status(st, MSG_WARN, "The draft cannot be saved: %s", err ? err : "unknown error");
    }
    free(err);
}

void form_draft_exported(form_state *st)
{
    if (!st->draft.on)
        return;
    char *err = NULL;
    if (draft_clear(&err) < 0 && !st->status)
        form_status(st, MSG_WARN, "The draft cannot be removed: %s", err ? err : "unknown error");
    free(err);
    remember(st);
    st->draft.ours = false;
}

void form_draft_discarded(form_state *st)
{
    if (st->draft.on && st->draft.ours)
        draft_clear(NULL);
}

void form_draft_free(form_state *st)
{
    drop_offer(st);
    mapping_free(st->draft.saved);
    st->draft.saved = NULL;
}

char *form_restore_text(const form_state *st)
{
    char *title = NULL;
    if (st->draft.offer) {
        /* what the draft is about, as its title says it */
        form_state tmp = *st;
        tmp.m = st->draft.offer;
        title = form_title(&tmp);
    }
    char *s = xasprintf("Restore the unsaved mapping from %s%s%s%s?", st->draft.offer_when,
                        title ? " (" : "", title ? title : "", title ? ")" : "");
    free(title);
    return s;
}
