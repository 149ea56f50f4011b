/* The list editor (filter patterns, tags: add, edit, delete, each item
 * checked as it is typed) and the checklist (metrics). */
#include <stdlib.h>
#include <string.h>

#include "model/util.h"
#include "tui/form_int.h"

/* The option the list editor or checklist works on. */
static opt_id list_opt(const form_state *st)
{
    return st->pk.opt;
}

size_t form_list_count(const form_state *st)
{
    const opt_def *d = opt_get(list_opt(st));
    if (d->type == OPT_T_ENUM_LIST) {
        size_t n = 0;
        while (d->choices[n])
            n++;
        return n;
    }
    return mapping_get(st->m, d->id)->n_items + 1;
}

/* Item I of the list as editable text ("KEY=VALUE", the pattern). Caller frees. */
static char *item_text(const form_state *st, size_t i)
{
    const opt_def *d = opt_get(list_opt(st));
    const opt_value *v = mapping_get(st->m, d->id);
    opt_value one = {.set = true, .items = &v->items[i], .n_items = 1};
    return opt_edit_text(d, &one);
}

/* True when choice C of an enum list is ticked. */
static bool ticked(const form_state *st, const char *c, size_t *at)
{
    const opt_value *v = mapping_get(st->m, list_opt(st));
    for (size_t i = 0; i < v->n_items; i++) {
        if (strcmp(v->items[i].key, c) == 0) {
            *at = i;
            return true;
        }
    }
    return false;
}

char *form_list_entry(const form_state *st, size_t i)
{
    const opt_def *d = opt_get(list_opt(st));
    if (d->type == OPT_T_ENUM_LIST) {
        size_t at;
        return xasprintf("[%c] %s", ticked(st, d->choices[i], &at) ? 'x' : ' ', d->choices[i]);
    }
    size_t n = mapping_get(st->m, d->id)->n_items;
    if (i >= n) {
        if (n >= d->max_items)
            return xasprintf("(%zu of %zu: that is the most AWS takes)", n, d->max_items);
        return xasprintf("+ add (%s)", d->metavar);
    }
    char *t = item_text(st, i);
    char *shown = str_escape_display(t);
    free(t);
    return shown;
}

char *form_list_note(const form_state *st)
{
    const opt_def *d = opt_get(list_opt(st));
    if (d->type != OPT_T_PATTERNS)
        return NULL;
    size_t n = mapping_get(st->m, d->id)->n_items;
    if (n == 0)
        return xstrdup("No filters: Lambda sends every record to the function. a adds a filter, "
                       "t builds one from a template.");
    strbuf b = {0};
    sb_add(&b, "A record is sent when filter 1");
    for (size_t i = 2; i <= n && i <= 4; i++)
        sb_addf(&b, " OR %s%zu", i == 2 ? "filter " : "", i);
    if (n > 4)
        sb_addf(&b, " ... OR %zu", n);
    sb_add(&b, " matches; the fields inside one filter must all match (AND).");
    if (d->quota_items && n > d->quota_items)
        sb_addf(&b, " More than %zu filters need the quota \"%s\" raised.", d->quota_items,
                d->quota_name);
    return sb_take(&b);
}

char form_list_mark(const form_state *st, size_t i)
{
    char mark = ' ';
    for (size_t k = 0; k < st->diags.n; k++) {
        const diag *d = &st->diags.items[k];
        if (d->opt != list_opt(st) || d->item != (long)i)
            continue;
        if (d->level == DIAG_ERROR)
            return '!';
        mark = '~';
    }
    return mark;
}

void form_list_open(form_state *st, opt_id id)
{
    form_picker_free(&st->pk);
    form_clear_err(st);
    st->pk.opt = id;
    st->list_sel = 0;
    st->list_top = 0;
    st->mode = opt_get(id)->type == OPT_T_ENUM_LIST ? FM_CHECKS : FM_LIST;
}

/* Keep the list selection valid and in view. */
static void clamp_list(form_state *st)
{
    size_t n = form_list_count(st), h = st->vp.list_height;
    if (st->list_sel >= n)
        st->list_sel = n ? n - 1 : 0;
    if (st->list_sel < st->list_top)
        st->list_top = st->list_sel;
    if (st->list_sel >= st->list_top + h)
        st->list_top = st->list_sel - h + 1;
    st->list_top = form_clamp_scroll(st->list_top, n, h);
}

bool form_list_has_room(form_state *st)
{
    const opt_def *d = opt_get(list_opt(st));
    if (mapping_get(st->m, d->id)->n_items < d->max_items)
        return true;
    form_status(st, MSG_ERROR, "%s: at most %zu; delete one first (d)", d->label, d->max_items);
    return false;
}

int form_list_add(form_state *st, const char *text, char **err)
{
    opt_id id = list_opt(st);
    size_t n = mapping_get(st->m, id)->n_items;
    if (mapping_set(st->m, id, text, err) < 0)
        return -1;
    st->list_sel = n;
    clamp_list(st);
    form_changed(st);
    return 0;
}

/* Start editing item I (I == n_items: a new one). */
static void start_item(form_state *st, size_t i)
{
    const opt_def *d = opt_get(list_opt(st));
    size_t n = mapping_get(st->m, d->id)->n_items;
    if (i >= n && !form_list_has_room(st))
        return;
    form_clear_err(st);
    st->list_editing = i < n ? i : n;
    char *t = i < n ? item_text(st, i) : NULL;
    tui_line_set(&st->edit, t ? t : "");
    free(t);
    st->mode = FM_LIST_EDIT;
}

/* Delete the selected item. */
static void remove_item(form_state *st)
{
    opt_id id = list_opt(st);
    size_t n = mapping_get(st->m, id)->n_items;
    if (st->list_sel >= n)
        return;
    mapping_remove_item(st->m, id, st->list_sel);
    if (n == 1)
        mapping_unset(st->m, id);
    form_changed(st);
    form_status(st, MSG_INFO, "%s: item %zu deleted", opt_get(id)->label, st->list_sel + 1);
}

/* Move the selection by DELTA. */
static void move_sel(form_state *st, long delta)
{
    long s = (long)st->list_sel + delta;
    st->list_sel = s < 0 ? 0 : (size_t)s;
}

void form_list_apply(form_state *st, form_action a, unsigned ch)
{
    (void)ch;
    switch (a) {
    case ACT_UP:
    case ACT_DOWN:
        move_sel(st, a == ACT_UP ? -1 : 1);
        break;
    case ACT_EDIT:
        start_item(st, st->list_sel);
        break;
    case ACT_ADD:
        start_item(st, mapping_get(st->m, list_opt(st))->n_items);
        break;
    case ACT_REMOVE:
        remove_item(st);
        break;
    case ACT_TEMPLATE: /* a full list still takes a condition into one of its filters */
        if (list_opt(st) == OPT_FILTERS &&
            (mapping_get(st->m, OPT_FILTERS)->n_items > 0 || form_list_has_room(st)))
            form_tpl_open(st);
        return;
    case ACT_TEST:
        if (list_opt(st) == OPT_FILTERS)
            form_tester_open(st);
        return;
    case ACT_CANCEL:
        st->mode = FM_FORM;
        return;
    case ACT_HELP:
        form_open_help(st);
        return;
    default:
        break;
    }
    clamp_list(st);
}

/* Store the item being edited; false (reason kept) when invalid. */
static bool commit_item(form_state *st)
{
    opt_id id = list_opt(st);
    size_t n = mapping_get(st->m, id)->n_items;
    if (!*st->edit.s) {
        form_status(st, MSG_INFO, "Nothing stored: the item was empty (d deletes an item)");
        return true;
    }
    char *err = NULL;
    int rc = st->list_editing < n
                 ? mapping_replace_item(st->m, id, st->list_editing, st->edit.s, &err)
                 : form_list_add(st, st->edit.s, &err);
    if (rc < 0) {
        free(st->edit_err);
        st->edit_err = err;
        st->edit_refused = true;
        return false;
    }
    if (st->list_editing < n) {
        st->list_sel = st->list_editing;
        form_changed(st);
    }
    return true;
}

void form_list_edit_apply(form_state *st, form_action a, unsigned ch)
{
    switch (a) {
    case ACT_COMMIT:
        if (!commit_item(st))
            return;
        form_clear_err(st);
        st->mode = FM_LIST;
        break;
    case ACT_CANCEL:
        form_clear_err(st);
        st->mode = FM_LIST;
        break;
    case ACT_HELP:
        form_open_help(st);
        return;
    default:
        if (tui_line_apply(&st->edit, a, ch))
            form_check_text(st, list_opt(st), st->edit.s);
        return;
    }
    clamp_list(st);
}

/* Tick or untick the selected choice. */
static void toggle_choice(form_state *st)
{
    const opt_def *d = opt_get(list_opt(st));
    const char *c = d->choices[st->list_sel];
    size_t at;
    if (ticked(st, c, &at)) {
        mapping_remove_item(st->m, d->id, at);
        if (mapping_get(st->m, d->id)->n_items == 0)
            mapping_unset(st->m, d->id);
    } else {
        char *err = NULL;
        if (mapping_set(st->m, d->id, c, &err) < 0) {
            form_status(st, MSG_ERROR, "%s: %s", d->label, err);
            free(err);
            return;
        }
    }
    form_changed(st);
}

void form_checks_apply(form_state *st, form_action a)
{
    switch (a) {
    case ACT_UP:
    case ACT_DOWN:
        move_sel(st, a == ACT_UP ? -1 : 1);
        break;
    case ACT_TOGGLE:
        toggle_choice(st);
        break;
    case ACT_CANCEL:
        st->mode = FM_FORM;
        return;
    case ACT_HELP:
        form_open_help(st);
        return;
    default:
        break;
    }
    clamp_list(st);
}
