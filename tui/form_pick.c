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

/* Choice I of an enum picker. */
static const char *entry_choice(const form_state *st, size_t i)
{
    return opt_get(st->pk.opt)->choices[st->pk.match[i]];
}

/* NULL-safe string equality. */
static bool same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Whether entry I holds the option's current value: its template
 * reference, or the value it names (stream ARN, ARN, name). */
static bool is_current(const form_state *st, size_t i, const opt_value *v, const char *ref)
{
    if (st->pk.choices)
        return v->set && same(v->str, entry_choice(st, i));
    const inv_item *it = entry_item(st, i);
    if (ref)
        return same(ref, it->logical_id);
    return v->set && !it->logical_id &&
           (same(v->str, it->stream_arn) || same(v->str, it->arn) || same(v->str, it->name));
}

/* The entry that holds the current value (or template reference), or -1. */
static long current_entry(const form_state *st)
{
    const opt_value *v = mapping_get(st->m, st->pk.opt);
    const char *ref = st->pk.choices ? NULL : mapping_ref(st->m, st->pk.opt);
    for (size_t i = 0; i < st->pk.n_match; i++)
        if (is_current(st, i, v, ref))
            return (long)i;
    return -1;
}

/* Why inventory item IT cannot be used for the picker's option, or NULL. */
static char *refusal(const form_state *st, const inv_item *it)
{
    if (opt_get(st->pk.opt)->type == OPT_T_KMS_KEY)
        return it->arn ? NULL : xstrdup("the key's ARN is not known: type it");
    return mapping_pick_refusal(st->pk.opt, it, form_use_ref(st, it));
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
    bool ref = form_use_ref(st, it);
    switch (opt_get(id)->type) {
    case OPT_T_STREAM:
        return mapping_pick_table(st->m, it, ref, err);
    case OPT_T_FUNCTION:
        return mapping_pick_function(st->m, it, ref, err);
    case OPT_T_DESTINATION:
        return mapping_pick_destination(st->m, it, ref, err);
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
        const inv_item *it = mapping_pick_find(st->inv, kinds[k], text, st->src.merge_source);
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

void form_picker_refilter(form_state *st)
{
    form_picker *pk = &st->pk;
    bool had = pk->sel >= 0 && (size_t)pk->sel < pk->n_match;
    size_t item = had ? pk->match[pk->sel] : 0;
    refilter(st);
    select_first(st);
    for (size_t i = 0; had && i < pk->n_match; i++)
        if (pk->match[i] == item)
            pk->sel = (long)i;
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
            rc = mapping_set(st->m, pk->opt, entry_choice(st, (size_t)pk->sel), &err);
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
    bool keys = d->type == OPT_T_KMS_KEY;
    if (form_discover_running(st))
        return xasprintf("%zu of %zu; discovering: %s; type to filter, or a name or ARN",
                         st->pk.n_match, total, st->disc.progress ? st->disc.progress : "");
    if (!total && (keys || !st->disc.ops))
        return xasprintf("No %s in the inventory (--inventory FILE): type a name or ARN",
                         keys ? "keys" : "entries");
    if (!total)
        return xstrdup("Nothing in the inventory yet: F5 discovers it with the AWS CLI, or type a "
                       "name or ARN");
    return xasprintf("%zu of %zu; type to filter, or type a name or ARN", st->pk.n_match, total);
}

/* The columns a picker can show. */
typedef enum {
    COL_NAME,
    COL_STREAM,
    COL_VIEW,
    COL_RUNTIME,
    COL_ROLE,
    COL_CHANGED,
    COL_KIND,
    COL_REGION,
    COL_ACCOUNT,
    COL_FROM
} col_id;

/* A column: what it shows, its heading, and how long it stays when the
 * picker is narrow (0 always; the highest number goes first). */
typedef struct col_def {
    col_id id;
    const char *title;
    int prio;
} col_def;

static const col_def table_cols[] = {
    {COL_NAME, "Table", 0},    {COL_STREAM, "Stream", 1},   {COL_VIEW, "View", 3},
    {COL_REGION, "Region", 2}, {COL_ACCOUNT, "Account", 5}, {COL_FROM, "From", 4},
};
static const col_def function_cols[] = {
    {COL_NAME, "Function", 0}, {COL_RUNTIME, "Runtime", 2},     {COL_REGION, "Region", 1},
    {COL_ROLE, "Role", 3},     {COL_CHANGED, "Last change", 5}, {COL_ACCOUNT, "Account", 6},
    {COL_FROM, "From", 4},
};
static const col_def destination_cols[] = {
    {COL_NAME, "Name", 0},       {COL_KIND, "Kind", 1}, {COL_REGION, "Region", 2},
    {COL_ACCOUNT, "Account", 4}, {COL_FROM, "From", 3},
};
static const col_def key_cols[] = {
    {COL_NAME, "Key", 0},
    {COL_REGION, "Region", 1},
    {COL_ACCOUNT, "Account", 3},
    {COL_FROM, "From", 2},
};

/* The columns of the open picker (none for a choice list). */
static const col_def *picker_cols(const form_state *st, size_t *n)
{
    *n = 0;
    if (st->pk.choices)
        return NULL;
    switch (st->pk.kinds[0]) {
    case INV_TABLE:
        *n = sizeof table_cols / sizeof table_cols[0];
        return table_cols;
    case INV_FUNCTION:
        *n = sizeof function_cols / sizeof function_cols[0];
        return function_cols;
    case INV_KEY:
        *n = sizeof key_cols / sizeof key_cols[0];
        return key_cols;
    default:
        *n = sizeof destination_cols / sizeof destination_cols[0];
        return destination_cols;
    }
}

char *form_picker_header(const form_state *st)
{
    size_t n;
    const col_def *cols = picker_cols(st, &n);
    if (!cols)
        return NULL;
    strbuf b = {0};
    for (size_t k = 0; k < n; k++)
        sb_addf(&b, "%s%s", k ? "\t" : "", cols[k].title);
    return sb_take(&b);
}

size_t form_picker_priorities(const form_state *st, int *prio, size_t max)
{
    size_t n;
    const col_def *cols = picker_cols(st, &n);
    if (!cols) {
        if (max)
            prio[0] = 0;
        return max ? 1 : 0;
    }
    for (size_t k = 0; k < n && k < max; k++)
        prio[k] = cols[k].prio;
    return n < max ? n : max;
}

/* The last part of a path: "template.yaml". */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

/* Where IT came from, short: "OrdersTable (template.yaml)" for a template
 * item, the file name, or "aws CLI" for discovery. Caller frees. */
static char *from_text(const inv_item *it)
{
    const char *src = it->source ? it->source : "";
    bool aws = strncmp(src, "aws ", 4) == 0;
    if (it->logical_id && *it->logical_id)
        return *src ? xasprintf("%s (%s)", it->logical_id, base_name(src))
                    : xstrdup(it->logical_id);
    return xstrdup(aws ? "aws CLI" : *src ? base_name(src) : "");
}

/* The name part of a role ARN ("arn:aws:iam::1:role/service-role/x" -> "x"),
 * or the template's role logical ID. Caller frees. */
static char *role_text(const inv_item *it)
{
    if (it->role_arn && *it->role_arn) {
        const char *slash = strrchr(it->role_arn, '/');
        return xstrdup(slash && slash[1] ? slash + 1 : it->role_arn);
    }
    return xstrdup(it->role_logical_id ? it->role_logical_id : "");
}

/* "2026-11-20 14:03" from "2026-11-20T14:03:11.000+0000"; else as it is. Caller frees. */
static char *changed_text(const char *t)
{
    if (!t)
        return xstrdup("");
    if (strlen(t) >= 16 && t[10] == 'T' && t[13] == ':')
        return xasprintf("%.10s %.5s", t, t + 11);
    return xstrdup(t);
}

/* Whether a table can be read: "on", "off" or "?" (the source does not say). */
static const char *stream_text(const inv_item *it)
{
    if (inventory_table_usable(it))
        return "on";
    return it->stream_known || it->stream_arn ? "off" : "?";
}

/* The text of column C for item IT (not escaped). Caller frees. */
static char *col_text(const inv_item *it, col_id c)
{
    switch (c) {
    case COL_NAME:
        return xstrdup(it->name ? it->name : it->logical_id ? it->logical_id : "?");
    case COL_STREAM:
        return xstrdup(stream_text(it));
    case COL_VIEW:
        return xstrdup(inventory_table_usable(it) && it->stream_view_type ? it->stream_view_type
                                                                          : "");
    case COL_RUNTIME:
        return xstrdup(it->runtime ? it->runtime : "");
    case COL_ROLE:
        return role_text(it);
    case COL_CHANGED:
        return changed_text(it->last_modified);
    case COL_KIND:
        return xasprintf("%s%s", inv_kind_name(it->kind), it->fifo ? " FIFO" : "");
    case COL_REGION:
        return xstrdup(it->region ? it->region : it->logical_id ? "template" : "");
    case COL_ACCOUNT:
        return xstrdup(it->account ? it->account : "");
    case COL_FROM:
        return from_text(it);
    }
    return xstrdup("");
}

/* Append a column to B: a tab (but for the first), then TEXT escaped ("-"
 * when empty). */
static void column(strbuf *b, const char *text, bool first)
{
    char *s = str_escape_display(text && *text ? text : "-");
    sb_addf(b, "%s%s", first ? "" : "\t", s);
    free(s);
}

char *form_picker_entry(const form_state *st, size_t i, bool *unusable)
{
    *unusable = false;
    if (st->pk.choices)
        return xstrdup(entry_choice(st, i));
    const inv_item *it = entry_item(st, i);
    *unusable = entry_unusable(st, i);
    size_t n;
    const col_def *cols = picker_cols(st, &n);
    strbuf b = {0};
    for (size_t k = 0; k < n; k++) {
        char *t = col_text(it, cols[k].id);
        column(&b, t, k == 0);
        free(t);
    }
    return sb_take(&b);
}

/* Append "; " and the escaped TEXT (with LABEL before it) to B when TEXT is set. */
static void detail(strbuf *b, const char *label, const char *text)
{
    if (!text || !*text)
        return;
    char *s = str_escape_display(text);
    sb_addf(b, "%s%s%s", b->len ? "; " : "", label, s);
    free(s);
}

/* How the export will name IT: "Fn::GetAtt OrdersTable.StreamArn", or why
 * it will not refer to the template. Caller frees (NULL: nothing to say). */
static char *export_note(const form_state *st, const inv_item *it)
{
    if (!it->logical_id || !*it->logical_id)
        return NULL;
    if (!form_use_ref(st, it))
        return xstrdup("not from the --merge-into template: its ARN must be known");
    switch (it->kind) {
    case INV_TABLE:
        return xasprintf("the export refers to it: Fn::GetAtt %s.StreamArn", it->logical_id);
    case INV_QUEUE:
    case INV_BUCKET:
        return xasprintf("the export refers to it: Fn::GetAtt %s.Arn", it->logical_id);
    default:
        return xasprintf("the export refers to it: Ref %s", it->logical_id);
    }
}

char *form_picker_detail(const form_state *st)
{
    const form_picker *pk = &st->pk;
    if (pk->choices || pk->sel < 0 || (size_t)pk->sel >= pk->n_match)
        return NULL;
    const inv_item *it = entry_item(st, (size_t)pk->sel);
    strbuf b = {0};
    if (it->logical_id) {
        char *t = it->cfn_type ? xasprintf("%s (%s)", it->logical_id, it->cfn_type)
                               : xstrdup(it->logical_id);
        detail(&b, "", t);
        free(t);
        if (it->source) {
            char *in = str_escape_display(it->source);
            sb_addf(&b, " in %s", in);
            free(in);
        }
    } else {
        detail(&b, "", it->arn ? it->arn : it->name);
    }
    if (it->kind == INV_TABLE)
        detail(&b, "stream ", it->stream_arn ? it->stream_arn : it->stream_view_type);
    if (it->kind == INV_FUNCTION) {
        detail(&b, "role ", it->role_arn ? it->role_arn : it->role_logical_id);
        detail(&b, "runtime ", it->runtime);
        char *changed = changed_text(it->last_modified);
        detail(&b, "changed ", changed);
        free(changed);
    }
    if (!it->logical_id)
        detail(&b, "from ", it->source);
    char *note = export_note(st, it);
    detail(&b, "", note);
    free(note);
    return b.len ? sb_take(&b) : NULL;
}

void form_set_sources(form_state *st, const char *merge_into, const char *merge_source)
{
    st->src.merge_into = merge_into;
    st->src.merge_source = merge_source;
}

bool form_use_ref(const form_state *st, const inv_item *it)
{
    if (!it->logical_id || !*it->logical_id)
        return false;
    return !st->src.merge_into || same(it->source, st->src.merge_source);
}
