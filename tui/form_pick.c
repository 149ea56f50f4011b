/* Pickers: a list of inventory items (tables, functions, destinations,
 * keys) or of an option's choices, filtered by a text field; Enter on the
 * text field's line uses the text as typed. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "model/pick.h"
#include "model/util.h"
#include "tui/form_int.h"

/* The inventory kinds a picker for option D lists. */
static size_t kinds_for(const opt_def *d, inv_kind *kinds)
{
    switch (d->type) {
    case OPT_T_STREAM:
        kinds[0] = INV_TABLE;
        return 1;
    case OPT_T_FUNCTION:
        kinds[0] = INV_FUNCTION;
        return 1;
    case OPT_T_DESTINATION:
        kinds[0] = INV_QUEUE;
        kinds[1] = INV_TOPIC;
        kinds[2] = INV_BUCKET;
        return 3;
    case OPT_T_KMS_KEY:
        kinds[0] = INV_KEY;
        return 1;
    default:
        return 0;
    }
}

void form_picker_free(form_picker *pk)
{
    tui_line_free(&pk->query);
    free(pk->match);
    memset(pk, 0, sizeof *pk);
}

/* Case-insensitive: does HAY contain NEEDLE (N bytes)? */
static bool contains_ci(const char *hay, const char *needle, size_t n)
{
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] &&
               tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return true;
    }
    return n == 0;
}

/* Does choice C match every space-separated word of QUERY? */
static bool choice_matches(const char *c, const char *query)
{
    const char *p = query;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (n && !contains_ci(c, p, n))
            return false;
        p += n;
    }
    return true;
}

/* Recompute the entries that match the query. */
static void refilter(form_state *st)
{
    form_picker *pk = &st->pk;
    const opt_def *d = opt_get(pk->opt);
    free(pk->match);
    pk->match = NULL;
    pk->n_match = 0;
    if (pk->choices) {
        size_t n = 0;
        while (d->choices[n])
            n++;
        pk->match = xcalloc(n + 1, sizeof *pk->match);
        for (size_t i = 0; i < n; i++)
            if (choice_matches(d->choices[i], pk->query.s))
                pk->match[pk->n_match++] = i;
    } else if (st->inv && st->inv->n) {
        pk->match = xcalloc(st->inv->n, sizeof *pk->match);
        size_t all =
            inventory_filter(st->inv, pk->kinds, pk->n_kinds, pk->query.s, pk->match, st->inv->n);
        pk->n_match = all < st->inv->n ? all : st->inv->n;
    }
    pk->top = 0;
}

/* The inventory item of entry I. */
static const inv_item *entry_item(const form_state *st, size_t i)
{
    return &st->inv->items[st->pk.match[i]];
}

/* The stored value of entry I, as it would be set (NULL: a template
 * reference only). */
static const char *entry_value(const form_state *st, size_t i)
{
    if (st->pk.choices)
        return opt_get(st->pk.opt)->choices[st->pk.match[i]];
    const inv_item *it = entry_item(st, i);
    return it->kind == INV_TABLE ? it->stream_arn : it->arn;
}

/* NULL-safe string equality. */
static bool same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* The entry that holds the current value (or template reference), or -1. */
static long current_entry(const form_state *st)
{
    const opt_value *v = mapping_get(st->m, st->pk.opt);
    const char *ref = st->pk.choices ? NULL : mapping_ref(st->m, st->pk.opt);
    for (size_t i = 0; i < st->pk.n_match; i++) {
        if (ref ? same(ref, entry_item(st, i)->logical_id)
                : v->set && same(v->str, entry_value(st, i)))
            return (long)i;
    }
    return -1;
}

/* Why inventory item IT cannot be used for the picker's option, or NULL. */
static char *refusal(const form_state *st, const inv_item *it)
{
    if (opt_get(st->pk.opt)->type == OPT_T_KMS_KEY)
        return it->arn ? NULL : xstrdup("the key's ARN is not known: type it");
    return mapping_pick_refusal(st->pk.opt, it, true);
}

/* Store inventory item IT as option ID, with what comes with it (the
 * table's name, the function's role, template references). */
static int set_item(form_state *st, opt_id id, const inv_item *it, char **err)
{
    char *no = refusal(st, it);
    if (no) {
        *err = no;
        return -1;
    }
    switch (opt_get(id)->type) {
    case OPT_T_STREAM:
        return mapping_pick_table(st->m, it, true, err);
    case OPT_T_FUNCTION:
        return mapping_pick_function(st->m, it, true, err);
    case OPT_T_DESTINATION:
        return mapping_pick_destination(st->m, it, true, err);
    default:
        return mapping_pick_text(st->m, id, it->arn, err);
    }
}

/* The inventory item TEXT names for option D (name, ARN, logical ID), or NULL. */
static const inv_item *find_item(const form_state *st, const opt_def *d, const char *text)
{
    inv_kind kinds[4];
    size_t n = kinds_for(d, kinds);
    for (size_t k = 0; k < n; k++) {
        const inv_item *it = mapping_pick_find(st->inv, kinds[k], text, NULL);
        if (it)
            return it;
    }
    return NULL;
}

/* The function item a qualified name ("process-orders:live") belongs to. */
static const inv_item *qualified_function(const form_state *st, const char *text)
{
    arn_parts parts;
    char *err = NULL;
    if (value_parse_function(text, &parts, &err) < 0 || !parts.qualifier[0]) {
        free(err);
        return NULL;
    }
    return mapping_pick_find(st->inv, INV_FUNCTION, parts.name, NULL);
}

/* Store TEXT, typed by hand, as option ID: a name the inventory knows is
 * picked from it; a qualified function keeps its function's role. */
static int set_text(form_state *st, opt_id id, const char *text, char **err)
{
    const opt_def *d = opt_get(id);
    const inv_item *it = find_item(st, d, text);
    if (it)
        return set_item(st, id, it, err);
    if (mapping_pick_text(st->m, id, text, err) < 0)
        return -1;
    const inv_item *fn = d->type == OPT_T_FUNCTION ? qualified_function(st, text) : NULL;
    if (fn)
        mapping_pick_role(st->m, fn->role_arn);
    return 0;
}

/* Why entry I cannot be picked, or NULL. Caller frees. */
static char *entry_refusal(const form_state *st, size_t i)
{
    return st->pk.choices ? NULL : refusal(st, entry_item(st, i));
}

/* True when entry I cannot be picked. */
static bool entry_unusable(const form_state *st, size_t i)
{
    char *no = entry_refusal(st, i);
    free(no);
    return no != NULL;
}

/* What Enter would do wrong, said before it is pressed: the highlighted
 * entry cannot be used, or the typed text is not valid. Goes to edit_err. */
static void check_selection(form_state *st)
{
    form_clear_err(st);
    const form_picker *pk = &st->pk;
    if (pk->sel >= 0 && (size_t)pk->sel < pk->n_match) {
        st->edit_err = entry_refusal(st, (size_t)pk->sel);
        return;
    }
    const char *text = pk->query.s;
    if (!*text)
        return;
    const opt_def *d = opt_get(pk->opt);
    const inv_item *it = find_item(st, d, text);
    if (it)
        st->edit_err = refusal(st, it);
    else
        form_check_text(st, d->id, text);
}

/* After the query changed: the first entry that can be used, else the typed text. */
static void select_first(form_state *st)
{
    form_picker *pk = &st->pk;
    pk->sel = *pk->query.s || !pk->n_match ? -1 : 0;
    for (size_t i = 0; i < pk->n_match; i++) {
        if (!entry_unusable(st, i)) {
            pk->sel = (long)i;
            break;
        }
    }
}

void form_picker_open(form_state *st, opt_id id, const char *query)
{
    const opt_def *d = opt_get(id);
    form_picker_free(&st->pk);
    form_clear_err(st);
    st->pk.opt = id;
    st->pk.choices = d->type == OPT_T_ENUM;
    st->pk.n_kinds = kinds_for(d, st->pk.kinds);
    tui_line_set(&st->pk.query, query ? query : "");
    refilter(st);
    select_first(st);
    if (!query) {
        long cur = current_entry(st);
        const opt_value *v = mapping_get(st->m, id);
        if (cur >= 0) {
            st->pk.sel = cur;
        } else if (v->set && v->str) {
            /* typed by hand before: start from that text */
            tui_line_set(&st->pk.query, v->str);
            refilter(st);
            select_first(st);
        }
    }
    st->mode = FM_PICKER;
    form_picker_apply(st, ACT_NONE, 0);
}

/* Close the picker after a change to the mapping. */
static void picked(form_state *st)
{
    const opt_def *d = opt_get(st->pk.opt);
    form_clear_err(st);
    st->mode = FM_FORM;
    form_changed(st);
    char *v = form_value_text(st, d->id);
    form_status(st, MSG_OK, "%s: %s", d->label, v);
    free(v);
}

/* Enter in the picker: the highlighted entry, or the text as typed. */
static void commit(form_state *st)
{
    form_picker *pk = &st->pk;
    char *err = NULL;
    int rc;
    if (pk->sel >= 0 && (size_t)pk->sel < pk->n_match) {
        if (pk->choices)
            rc = mapping_set(st->m, pk->opt, entry_value(st, (size_t)pk->sel), &err);
        else
            rc = set_item(st, pk->opt, entry_item(st, (size_t)pk->sel), &err);
    } else if (!*pk->query.s) {
        form_status(st, MSG_INFO, "Type a name or ARN, or pick an entry of the list");
        return;
    } else {
        rc = set_text(st, pk->opt, pk->query.s, &err);
    }
    if (rc < 0) {
        free(st->edit_err);
        st->edit_err = err;
        st->edit_refused = true;
        return;
    }
    picked(st);
}

/* Keep the selection within the entries and in view. */
static void clamp_selection(form_state *st)
{
    form_picker *pk = &st->pk;
    long first = *pk->query.s || !pk->n_match ? -1 : 0;
    if (pk->sel >= (long)pk->n_match)
        pk->sel = (long)pk->n_match - 1;
    if (pk->sel < first)
        pk->sel = first;
    size_t h = st->vp.list_height;
    size_t sel = pk->sel < 0 ? 0 : (size_t)pk->sel;
    if (sel < pk->top)
        pk->top = sel;
    if (sel >= pk->top + h)
        pk->top = sel - h + 1;
    pk->top = form_clamp_scroll(pk->top, pk->n_match, h);
}

void form_picker_apply(form_state *st, form_action a, unsigned ch)
{
    form_picker *pk = &st->pk;
    long page = (long)(st->vp.list_height > 1 ? st->vp.list_height - 1 : 1);
    switch (a) {
    case ACT_UP:
    case ACT_DOWN:
        pk->sel += a == ACT_UP ? -1 : 1;
        break;
    case ACT_PGUP:
    case ACT_PGDN:
        pk->sel += a == ACT_PGUP ? -page : page;
        break;
    case ACT_COMMIT:
        commit(st);
        return;
    case ACT_CANCEL:
        form_clear_err(st);
        st->mode = FM_FORM;
        return;
    case ACT_HELP:
        form_open_help(st);
        return;
    default:
        if (tui_line_apply(&pk->query, a, ch)) {
            refilter(st);
            select_first(st);
        }
        break;
    }
    clamp_selection(st);
    check_selection(st);
}

char *form_picker_title(const form_state *st)
{
    const opt_def *d = opt_get(st->pk.opt);
    if (st->pk.choices)
        return xstrdup("Up/Down and Enter, or type to filter");
    size_t total = 0;
    if (st->inv)
        total = inventory_filter(st->inv, st->pk.kinds, st->pk.n_kinds, "", NULL, 0);
    if (!total)
        return xasprintf("No %s in the inventory (--inventory FILE): type a name or ARN",
                         d->type == OPT_T_KMS_KEY ? "keys" : "entries");
    return xasprintf("%zu of %zu; type to filter, or type a name or ARN", st->pk.n_match, total);
}

char *form_picker_header(const form_state *st)
{
    if (st->pk.choices)
        return NULL;
    switch (st->pk.kinds[0]) {
    case INV_TABLE:
        return xstrdup("Table\tStream\tView\tRegion");
    case INV_FUNCTION:
        return xstrdup("Function\tRuntime\tRegion");
    case INV_KEY:
        return xstrdup("Key\tRegion");
    default:
        return xstrdup("Name\tKind\tRegion");
    }
}

/* Append a column to B: a tab, then TEXT escaped ("-" when missing). */
static void column(strbuf *b, const char *text)
{
    char *s = str_escape_display(text && *text ? text : "-");
    sb_addf(b, "\t%s", s);
    free(s);
}

/* A table's stream columns: on/off (or ? when the source does not say) and
 * its view type, or why it cannot be picked. */
static void stream_columns(strbuf *b, const inv_item *it, bool unusable)
{
    if (!it->stream_known && !it->stream_arn) {
        column(b, "?");
        column(b, unusable ? "(not known: give the stream ARN)" : "");
        return;
    }
    bool on = it->stream_enabled || it->stream_arn;
    column(b, on ? "on" : "off");
    column(b, !on ? "(no stream: cannot be picked)" : it->stream_view_type);
}

char *form_picker_entry(const form_state *st, size_t i, bool *unusable)
{
    *unusable = false;
    if (st->pk.choices)
        return xstrdup(entry_value(st, i));
    const inv_item *it = entry_item(st, i);
    *unusable = entry_unusable(st, i);
    strbuf b = {0};
    char *name = str_escape_display(it->name ? it->name : it->logical_id ? it->logical_id : "?");
    sb_add(&b, name);
    free(name);
    switch (it->kind) {
    case INV_TABLE:
        stream_columns(&b, it, *unusable);
        break;
    case INV_FUNCTION:
        column(&b, it->runtime);
        break;
    case INV_KEY:
        break;
    default: {
        char *kind = xasprintf("%s%s", inv_kind_name(it->kind), it->fifo ? " (FIFO)" : "");
        column(&b, kind);
        free(kind);
        break;
    }
    }
    column(&b, it->region ? it->region : it->logical_id ? "template" : NULL);
    return sb_take(&b);
}
