/* Filter templates in the filters list editor: choose a template, fill its
 * parameters (checked by filter_tpl_build as they are typed), see the
 * pattern and how it fares on the bundled sample records, and add it
 * through the list editor's own add. Plain C, no terminal. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "model/filter_samples.h"
#include "model/util.h"
#include "tui/form_int.h"

/* The templates and how many there are. */
static const filter_tpl *templates(size_t *n)
{
    return filter_tpl_list(n);
}

const filter_tpl *form_tpl_chosen(const form_state *st)
{
    size_t n;
    const filter_tpl *list = templates(&n);
    return &list[st->tpl.sel < n ? st->tpl.sel : 0];
}

/* Forget what the values built. */
static void clear_built(form_tpl *t)
{
    free(t->condition);
    free(t->pattern);
    free(t->err);
    free(t->samples);
    t->condition = t->pattern = t->err = t->samples = NULL;
    t->refused = false;
}

void form_tpl_free(form_tpl *t)
{
    clear_built(t);
    for (size_t i = 0; i < FORM_TPL_PARAMS; i++)
        tui_line_free(&t->vals[i]);
}

/* How many filters the mapping has. */
static size_t filters(const form_state *st)
{
    return mapping_get(st->m, OPT_FILTERS)->n_items;
}

/* Whether another filter fits. */
static bool room(const form_state *st)
{
    return filters(st) < opt_get(OPT_FILTERS)->max_items;
}

void form_tpl_open(form_state *st)
{
    size_t n;
    templates(&n);
    if (st->tpl.sel >= n)
        st->tpl.sel = 0;
    clear_built(&st->tpl);
    /* a new filter, unless the list is full: then into the highlighted one */
    size_t k = filters(st);
    st->tpl.target = room(st) ? 0 : (st->list_sel < k ? st->list_sel + 1 : 1);
    st->mode = FM_TEMPLATES;
}

/* "INSERT match, MODIFY no match, REMOVE no match": PATTERN on each
 * bundled sample record. Caller frees. */
static char *sample_verdicts(const char *pattern)
{
    size_t n;
    const filter_sample *s = filter_samples(&n);
    strbuf b = {0};
    for (size_t i = 0; i < n; i++) {
        filter_records rs = {0};
        char *err = NULL;
        if (filter_records_parse(s[i].text, s[i].len, &rs, &err) < 0 || rs.n == 0) {
            free(err);
            filter_records_free(&rs);
            continue;
        }
        filter_test t;
        filter_test_patterns(&pattern, 1, rs.items[0], &t);
        char *what = filter_record_describe(rs.items[0]);
        sb_addf(&b, "%s%.*s %s", b.len ? ", " : "", (int)strcspn(what, ","), what,
                t.any_match ? "match" : "no match");
        free(what);
        filter_test_free(&t);
        filter_records_free(&rs);
    }
    return sb_take(&b);
}

/* Build the condition from the values as they are now, and the filter it
 * gives where it goes. */
static void rebuild(form_state *st)
{
    const filter_tpl *t = form_tpl_chosen(st);
    const char *values[FORM_TPL_PARAMS] = {0};
    for (size_t i = 0; i < t->n_params && i < FORM_TPL_PARAMS; i++)
        values[i] = st->tpl.vals[i].s;
    clear_built(&st->tpl);
    st->tpl.condition = filter_tpl_build(t, values, &st->tpl.err);
    if (!st->tpl.condition)
        return;
    if (st->tpl.target == 0) {
        st->tpl.pattern = xstrdup(st->tpl.condition);
    } else {
        const opt_value *v = mapping_get(st->m, OPT_FILTERS);
        char *err = NULL;
        st->tpl.pattern =
            filter_pattern_and(v->items[st->tpl.target - 1].key, st->tpl.condition, &err);
        if (!st->tpl.pattern) {
            st->tpl.err = xasprintf("filter %zu: %s", st->tpl.target, err);
            free(err);
        }
    }
    if (st->tpl.pattern)
        st->tpl.samples = sample_verdicts(st->tpl.pattern);
}

/* Fill the highlighted template: every parameter at its default, the
 * first one without a default to be typed first. */
static void start_fill(form_state *st)
{
    const filter_tpl *t = form_tpl_chosen(st);
    st->tpl.param = 0;
    bool found = false;
    for (size_t i = 0; i < t->n_params && i < FORM_TPL_PARAMS; i++) {
        const char *def = t->params[i].default_value;
        tui_line_set(&st->tpl.vals[i], def ? def : "");
        if (!def && !found) {
            st->tpl.param = i;
            found = true;
        }
    }
    rebuild(st);
    st->mode = FM_TPL_FILL;
}

void form_tpl_apply(form_state *st, form_action a, unsigned ch)
{
    (void)ch;
    size_t n;
    templates(&n);
    if (form_menu_move(&st->tpl.sel, a, n))
        return;
    switch (a) {
    case ACT_COMMIT:
        start_fill(st);
        break;
    case ACT_CANCEL:
        st->mode = FM_LIST;
        break;
    case ACT_HELP:
        form_open_help(st);
        break;
    default:
        break;
    }
}

/* "a new filter (OR)" or "filter K (AND)": target K as shown. Caller frees. */
static char *target_text(size_t k)
{
    return k ? xasprintf("filter %zu (AND)", k) : xstrdup("a new filter (OR)");
}

size_t form_tpl_rows(const form_state *st)
{
    return form_tpl_chosen(st)->n_params + 1;
}

/* Whether row I is "Add to". */
static bool target_row(const form_state *st, size_t i)
{
    return i == form_tpl_chosen(st)->n_params;
}

const char *form_tpl_row_label(const form_state *st, size_t i)
{
    return target_row(st, i) ? "Add to" : form_tpl_chosen(st)->params[i].label;
}

char *form_tpl_row_help(const form_state *st, size_t i)
{
    if (!target_row(st, i))
        return xstrdup(form_tpl_chosen(st)->params[i].help);
    return xstrdup("a new filter is ORed with the others; added to filter N, the condition is "
                   "ANDed with its fields (all must match)");
}

/* The choices of row I (a parameter's, or the targets), *N of them. */
static char **row_choices(const form_state *st, size_t i, size_t *n)
{
    if (!target_row(st, i))
        return filter_tpl_choices(&form_tpl_chosen(st)->params[i], n);
    size_t k = filters(st);
    bool fits = room(st);
    *n = k + fits;
    char **c = xcalloc(*n ? *n : 1, sizeof *c);
    for (size_t j = 0; j < *n; j++)
        c[j] = target_text(fits ? j : j + 1);
    return c;
}

/* Whether row I has choices (a parameter with choices, or "Add to"). */
static bool is_choice_row(const form_state *st, size_t i)
{
    return target_row(st, i) || form_tpl_chosen(st)->params[i].choices;
}

char *form_tpl_row_choices(const form_state *st, size_t i)
{
    if (!is_choice_row(st, i))
        return NULL;
    size_t n;
    char **c = row_choices(st, i, &n);
    strbuf b = {0};
    sb_add(&b, "Left/Right or a letter:");
    for (size_t k = 0; k < n && k < 12; k++)
        sb_addf(&b, " %s", c[k]);
    if (n > 12)
        sb_add(&b, " ...");
    filter_tpl_choices_free(c, n);
    return sb_take(&b);
}

/* The value of row I as text (a target as its choice text). Caller frees. */
static char *row_value(const form_state *st, size_t i)
{
    return target_row(st, i) ? target_text(st->tpl.target) : xstrdup(st->tpl.vals[i].s);
}

/* Set row I to choice text C. */
static void set_row(form_state *st, size_t i, const char *c)
{
    if (!target_row(st, i)) {
        tui_line_set(&st->tpl.vals[i], c);
        return;
    }
    size_t k = 0;
    if (strncmp(c, "filter ", 7) == 0)
        k = (size_t)strtoul(c + 7, NULL, 10);
    st->tpl.target = k;
}

/* Row I's next (DIR 1) or previous (-1) choice; with LETTER, the next one
 * after the current that starts with it (case ignored; a digit finds
 * "filter N"), staying put when none does. */
static void move_choice(form_state *st, size_t i, int dir, unsigned letter)
{
    size_t n;
    char **c = row_choices(st, i, &n);
    char *cur = row_value(st, i);
    size_t at = n;
    for (size_t k = 0; k < n && at == n; k++)
        if (strcmp(c[k], cur) == 0)
            at = k;
    if (n > 0 && letter) {
        for (size_t step = 1; step <= n; step++) {
            size_t k = ((at == n ? n - 1 : at) + step) % n;
            const char *w = c[k];
            bool digit = letter >= '0' && letter <= '9';
            bool hit =
                digit ? strncmp(w, "filter ", 7) == 0 && (unsigned)w[7] == letter &&
                            (w[8] == ' ' || letter != '1' || w[8] != '0')
                      : (unsigned)tolower((unsigned char)w[0]) == (unsigned)tolower((int)letter) ||
                            (letter == 'n' && strncmp(w, "a new", 5) == 0);
            if (hit) {
                set_row(st, i, w);
                break;
            }
        }
    } else if (n > 0) {
        if (at == n)
            at = dir > 0 ? n - 1 : 0; /* not one of them: start from an end */
        set_row(st, i, c[(at + n + (size_t)(dir > 0 ? 1 : n - 1)) % n]);
    }
    free(cur);
    filter_tpl_choices_free(c, n);
}

/* Add the built filter: a new one, or filter K with the condition in it;
 * refused (with the reason kept) while the values build none or the
 * mapping will not take it. */
static void add_pattern(form_state *st)
{
    if (!st->tpl.pattern) {
        st->tpl.refused = true;
        return;
    }
    char *err = NULL;
    size_t k = st->tpl.target;
    int rc = k ? mapping_replace_item(st->m, OPT_FILTERS, k - 1, st->tpl.pattern, &err)
               : form_list_add(st, st->tpl.pattern, &err);
    if (rc < 0) {
        free(st->tpl.err);
        st->tpl.err = err;
        st->tpl.refused = true;
        return;
    }
    const filter_tpl *t = form_tpl_chosen(st);
    if (k) {
        st->list_sel = k - 1;
        form_changed(st);
        form_status(st, MSG_OK, "%s: filter %zu now also needs \"%s\" (AND)",
                    opt_get(OPT_FILTERS)->label, k, t->title);
    } else {
        form_status(st, MSG_OK,
                    "%s: filter %zu added from the template \"%s\" (ORed with the "
                    "others)",
                    opt_get(OPT_FILTERS)->label, st->list_sel + 1, t->title);
    }
    clear_built(&st->tpl);
    st->mode = FM_LIST;
}

void form_tpl_fill_apply(form_state *st, form_action a, unsigned ch)
{
    size_t row = st->tpl.param;
    bool choice = is_choice_row(st, row);
    switch (a) {
    case ACT_UP:
    case ACT_DOWN:
        form_menu_move(&st->tpl.param, a, form_tpl_rows(st));
        return;
    case ACT_LEFT:
    case ACT_RIGHT:
        if (!choice)
            break;
        move_choice(st, row, a == ACT_LEFT ? -1 : 1, 0);
        rebuild(st);
        return;
    case ACT_COMMIT:
        add_pattern(st);
        return;
    case ACT_CANCEL:
        clear_built(&st->tpl);
        st->mode = FM_TEMPLATES;
        return;
    case ACT_HELP:
        form_open_help(st);
        return;
    default:
        break;
    }
    if (choice) { /* a choice is picked, never typed: a letter jumps to one */
        if (ch > ' ' && ch < 0x7f) {
            move_choice(st, row, 1, ch);
            rebuild(st);
        }
        return;
    }
    if (tui_line_apply(&st->tpl.vals[row], a, ch))
        rebuild(st);
}

char *form_tpl_result_label(const form_state *st)
{
    if (st->tpl.target)
        return xasprintf("Filter %zu becomes (all its fields must match)", st->tpl.target);
    size_t n = filters(st);
    if (n == 0)
        return xstrdup("New filter 1 (records it does not match are dropped)");
    return xasprintf("New filter %zu (ORed with the other filters)", n + 1);
}

char *form_tpl_value_text(const form_state *st, size_t i)
{
    char *raw = row_value(st, i);
    char *shown = str_escape_display(raw);
    free(raw);
    if (!is_choice_row(st, i))
        return shown;
    char *s = xasprintf("< %s >", shown);
    free(shown);
    return s;
}

char *form_tpl_problem(const form_state *st)
{
    if (!st->tpl.err)
        return NULL;
    char *shown = str_escape_display(st->tpl.err);
    char *s = xasprintf("%s%s", st->tpl.refused ? "Not added: " : "", shown);
    free(shown);
    return s;
}
