/* Filter templates in the filters list editor: choose a template, fill its
 * parameters (checked by filter_tpl_build as they are typed), see the
 * pattern and how it fares on the bundled sample records, and add it
 * through the list editor's own add. Plain C, no terminal. */
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
    free(t->pattern);
    free(t->err);
    free(t->samples);
    t->pattern = t->err = t->samples = NULL;
    t->refused = false;
}

void form_tpl_free(form_tpl *t)
{
    clear_built(t);
    for (size_t i = 0; i < FORM_TPL_PARAMS; i++)
        tui_line_free(&t->vals[i]);
}

void form_tpl_open(form_state *st)
{
    size_t n;
    templates(&n);
    if (st->tpl.sel >= n)
        st->tpl.sel = 0;
    clear_built(&st->tpl);
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

/* Build the pattern from the values as they are now. */
static void rebuild(form_state *st)
{
    const filter_tpl *t = form_tpl_chosen(st);
    const char *values[FORM_TPL_PARAMS] = {0};
    for (size_t i = 0; i < t->n_params && i < FORM_TPL_PARAMS; i++)
        values[i] = st->tpl.vals[i].s;
    clear_built(&st->tpl);
    st->tpl.pattern = filter_tpl_build(t, values, &st->tpl.err);
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

/* The focused parameter's next (DIR 1) or previous (-1) choice. */
static void cycle_choice(form_state *st, int dir)
{
    const filter_tpl_param *p = &form_tpl_chosen(st)->params[st->tpl.param];
    size_t n = 0, at = 0;
    bool found = false;
    while (p->choices[n]) {
        if (!found && strcmp(p->choices[n], st->tpl.vals[st->tpl.param].s) == 0) {
            at = n;
            found = true;
        }
        n++;
    }
    if (!found)
        at = dir > 0 ? n - 1 : 0; /* typed text: start from the first or last choice */
    at = (at + n + (size_t)(dir > 0 ? 1 : n - 1)) % n;
    tui_line_set(&st->tpl.vals[st->tpl.param], p->choices[at]);
}

/* Add the built pattern to the mapping's filters; refused (with the reason
 * kept) while the values build none or the mapping will not take it. */
static void add_pattern(form_state *st)
{
    if (!st->tpl.pattern) {
        st->tpl.refused = true;
        return;
    }
    char *err = NULL;
    if (form_list_add(st, st->tpl.pattern, &err) < 0) {
        free(st->tpl.err);
        st->tpl.err = err;
        st->tpl.refused = true;
        return;
    }
    const filter_tpl *t = form_tpl_chosen(st);
    form_status(st, MSG_OK, "%s: item %zu added from the template \"%s\"",
                opt_get(OPT_FILTERS)->label, st->list_sel + 1, t->title);
    clear_built(&st->tpl);
    st->mode = FM_LIST;
}

void form_tpl_fill_apply(form_state *st, form_action a, unsigned ch)
{
    const filter_tpl *t = form_tpl_chosen(st);
    const filter_tpl_param *p = &t->params[st->tpl.param];
    switch (a) {
    case ACT_UP:
    case ACT_DOWN:
        form_menu_move(&st->tpl.param, a, t->n_params);
        return;
    case ACT_LEFT:
    case ACT_RIGHT:
        if (!p->choices)
            break;
        cycle_choice(st, a == ACT_LEFT ? -1 : 1);
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
    if (tui_line_apply(&st->tpl.vals[st->tpl.param], a, ch))
        rebuild(st);
}

char *form_tpl_value_text(const form_state *st, size_t i)
{
    const filter_tpl *t = form_tpl_chosen(st);
    char *shown = str_escape_display(st->tpl.vals[i].s);
    if (!t->params[i].choices)
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
