/* The form: rows from the option table, focus, editing a value in place,
 * the preview, help, and the dispatch of actions to the current mode. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/pick.h"
#include "export/update_json.h"
#include "model/util.h"
#include "tui/form_int.h"

void form_status(form_state *st, form_msg_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char buf[2048];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    free(st->status);
    st->status = xstrdup(buf);
    st->status_level = level;
}

void form_clear_err(form_state *st)
{
    free(st->edit_err);
    st->edit_err = NULL;
    st->edit_refused = false;
}

size_t form_clamp_scroll(size_t s, size_t total, size_t page)
{
    size_t max = total > page ? total - page : 0;
    return s > max ? max : s;
}

bool form_scroll(size_t *top, form_action a, size_t total, size_t page)
{
    long at = (long)*top, step = (long)(page > 1 ? page - 1 : 1);
    switch (a) {
    case ACT_UP:
    case ACT_DOWN:
        at += a == ACT_UP ? -1 : 1;
        break;
    case ACT_PGUP:
    case ACT_PGDN:
        at += a == ACT_PGUP ? -step : step;
        break;
    case ACT_HOME:
        at = 0;
        break;
    case ACT_END:
        at = (long)total;
        break;
    default:
        return false;
    }
    *top = form_clamp_scroll(at < 0 ? 0 : (size_t)at, total, page);
    return true;
}

bool form_menu_move(size_t *sel, form_action a, size_t n)
{
    long to = (long)*sel;
    if (a == ACT_UP || a == ACT_DOWN)
        to += a == ACT_UP ? -1 : 1;
    else if (a == ACT_HOME || a == ACT_END)
        to = a == ACT_HOME ? 0 : (long)n - 1;
    else
        return false;
    *sel = to < 0 || n == 0 ? 0 : (size_t)to >= n ? n - 1 : (size_t)to;
    return true;
}

/* Rows in form order: groups in order of first appearance, each group's
 * options in table order. */
static void build_rows(form_state *st)
{
    size_t n = 0;
    bool done[OPT_COUNT] = {false};
    for (size_t i = 0; i < OPT_COUNT; i++) {
        if (done[i])
            continue;
        const char *group = opt_get((opt_id)i)->group;
        for (size_t j = i; j < OPT_COUNT; j++) {
            if (!done[j] && strcmp(opt_get((opt_id)j)->group, group) == 0) {
                done[j] = true;
                st->rows[n++] = (opt_id)j;
            }
        }
    }
}

/* Form lines: a heading line before each group's first row, unless the
 * layout shows groups in a column beside the rows. */
static void build_lines(form_state *st, bool headings)
{
    st->n_lines = 0;
    for (size_t r = 0; r < OPT_COUNT; r++) {
        const opt_def *d = opt_get(st->rows[r]);
        bool first = r == 0 || strcmp(opt_get(st->rows[r - 1])->group, d->group) != 0;
        if (headings && first)
            st->lines[st->n_lines++] = (form_line){d->group, OPT_COUNT};
        st->lines[st->n_lines++] = (form_line){NULL, d->id};
    }
}

opt_id form_focused(const form_state *st)
{
    return st->rows[st->focus];
}

/* The form line of row index R. */
static size_t line_of_row(const form_state *st, size_t r)
{
    for (size_t i = 0; i < st->n_lines; i++)
        if (!st->lines[i].group && st->lines[i].opt == st->rows[r])
            return i;
    return 0;
}

/* Scroll the form so the focused row (and its group heading) is in view. */
static void keep_focus_visible(form_state *st)
{
    size_t line = line_of_row(st, st->focus);
    size_t h = st->vp.form_height;
    size_t want_top = line > 0 && st->lines[line - 1].group ? line - 1 : line;
    if (st->focus == 0)
        want_top = 0;
    if (want_top < st->form_top)
        st->form_top = want_top;
    if (line >= st->form_top + h)
        st->form_top = line - h + 1;
    st->form_top = form_clamp_scroll(st->form_top, st->n_lines, h);
}

/* Move focus to row index R and keep it in view. */
static void focus_row(form_state *st, size_t r)
{
    st->focus = r < OPT_COUNT ? r : OPT_COUNT - 1;
    keep_focus_visible(st);
}

void form_focus_opt(form_state *st, opt_id id)
{
    for (size_t r = 0; r < OPT_COUNT; r++)
        if (st->rows[r] == id)
            focus_row(st, r);
}

/* Count lines and the widest line of the preview. */
static void measure_preview(form_state *st)
{
    st->preview_lines = 0;
    st->preview_maxw = 0;
    for (const char *p = st->preview; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *line = xstrndup(p, len);
        size_t w = tui_text_width(line);
        free(line);
        st->preview_maxw = w > st->preview_maxw ? w : st->preview_maxw;
        st->preview_lines++;
        if (!nl)
            break;
        p = nl + 1;
    }
}

/* The preview while the mapping cannot be exported: what to fix. */
static char *problems_text(const form_state *st, const char *render_err)
{
    strbuf b = {0};
    sb_addf(&b, "Nothing to export until %s fixed:\n\n",
            diag_count(&st->diags, DIAG_ERROR) > 1 ? "these are" : "this is");
    size_t shown = 0;
    for (size_t i = 0; i < st->diags.n; i++) {
        const diag *d = &st->diags.items[i];
        if (d->level != DIAG_ERROR)
            continue;
        char *msg = diag_message(d);
        sb_addf(&b, "- %s: %s\n", opt_get(d->opt)->label, msg);
        free(msg);
        shown++;
    }
    if (!shown && render_err)
        sb_addf(&b, "- %s\n", render_err);
    return sb_take(&b);
}

void form_changed(form_state *st)
{
    diag_list_free(&st->diags);
    mapping_validate(st->m, &st->diags);
    if (st->fmt == FMT_UPDATE_JSON)
        export_update_problems(st->m, &st->diags);
    free(st->preview);
    char *err = NULL;
    st->preview = export_render(st->m, st->fmt, &err);
    st->preview_ok = st->preview != NULL;
    if (!st->preview)
        st->preview = problems_text(st, err);
    free(err);
    measure_preview(st);
    st->preview_top = form_clamp_scroll(st->preview_top, st->preview_lines, st->vp.preview_height);
    st->preview_left = form_clamp_scroll(st->preview_left, st->preview_maxw, st->vp.preview_width);
}

void form_init(form_state *st, mapping *m, inventory *inv, export_format fmt,
               const char *output_path, const char *focus)
{
    memset(st, 0, sizeof *st);
    st->m = m;
    st->inv = inv;
    st->fmt = fmt < FMT_COUNT ? fmt : FMT_JSON;
    st->output_path = output_path;
    st->baseline = mapping_clone(m);
    st->exit_code = 1;
    st->vp = (form_viewport){.form_height = 2 * OPT_COUNT,
                             .preview_height = 20,
                             .preview_width = 60,
                             .list_height = 8,
                             .help_height = 20,
                             .help_width = 76,
                             .dialog_height = 20,
                             .dialog_width = 72,
                             .text_height = 20,
                             .text_width = 76};
    tui_line_set(&st->edit, "");
    build_rows(st);
    build_lines(st, true);
    const opt_def *d = focus ? opt_find(focus) : NULL;
    if (d)
        form_focus_opt(st, d->id);
    form_changed(st);
}

void form_free(form_state *st)
{
    mapping_free(st->baseline);
    tui_line_free(&st->edit);
    form_picker_free(&st->pk);
    diag_list_free(&st->diags);
    free(st->edit_err);
    free(st->preview);
    free(st->status);
    free(st->export_path);
    free(st->last_path);
    free(st->document);
    if (st->disc.d)
        st->disc.ops->free(st->disc.d);
    free(st->disc.progress);
    form_draft_free(st);
    form_tpl_free(&st->tpl);
    form_tester_free(&st->test);
    form_aws_free(st);
    form_textbox_close(st);
    memset(st, 0, sizeof *st);
}

/* At least one line or column. */
static size_t at_least_1(size_t n)
{
    return n ? n : 1;
}

/* Number of help lines at the current help width. */
static size_t help_count(const form_state *st)
{
    size_t n;
    char **lines = form_help_lines(st, st->vp.help_width, &n);
    form_lines_free(lines, n);
    return n;
}

void form_set_viewport(form_state *st, const form_viewport *vp)
{
    st->vp = *vp;
    st->vp.form_height = at_least_1(vp->form_height);
    st->vp.preview_height = at_least_1(vp->preview_height);
    st->vp.preview_width = at_least_1(vp->preview_width);
    st->vp.list_height = at_least_1(vp->list_height);
    st->vp.help_height = at_least_1(vp->help_height);
    st->vp.help_width = at_least_1(vp->help_width);
    st->vp.dialog_height = at_least_1(vp->dialog_height);
    st->vp.dialog_width = at_least_1(vp->dialog_width);
    st->vp.text_height = at_least_1(vp->text_height);
    st->vp.text_width = at_least_1(vp->text_width);
    size_t n_text = 0;
    char **text = form_textbox_lines(st, &n_text);
    form_lines_free(text, n_text);
    st->box.top = form_clamp_scroll(st->box.top, n_text, form_textbox_page(st));
    build_lines(st, !vp->group_column);
    st->form_top = form_clamp_scroll(st->form_top, st->n_lines, st->vp.form_height);
    keep_focus_visible(st);
    st->preview_top = form_clamp_scroll(st->preview_top, st->preview_lines, st->vp.preview_height);
    st->preview_left = form_clamp_scroll(st->preview_left, st->preview_maxw, st->vp.preview_width);
    /* help is laid out only while it is shown (opening it starts at the
       top): wrapping it at every layout was a third of start-up's work */
    if (st->mode == FM_HELP)
        st->help_top = form_clamp_scroll(st->help_top, help_count(st), st->vp.help_height);
    if (st->mode == FM_TEST_RESULT) {
        size_t total = 0;
        form_text *results = form_tester_lines(st, st->vp.dialog_width, &total);
        form_texts_free(results, total);
        st->test.top = form_clamp_scroll(st->test.top, total, st->vp.dialog_height);
    }
}

bool form_dirty(const form_state *st)
{
    return !mapping_equal(st->m, st->baseline);
}

/* Scroll the preview by DELTA lines (negative: up). */
static void scroll_preview(form_state *st, long delta)
{
    long top = (long)st->preview_top + delta;
    st->preview_top =
        form_clamp_scroll(top < 0 ? 0 : (size_t)top, st->preview_lines, st->vp.preview_height);
}

void form_open_help(form_state *st)
{
    st->help_return = st->mode;
    st->help_top = 0;
    st->mode = FM_HELP;
}

void form_check_text(form_state *st, opt_id id, const char *text)
{
    form_clear_err(st);
    if (!*text)
        return;
    opt_value tmp;
    char *err = NULL;
    if (opt_parse(opt_get(id), text, &tmp, &err) < 0)
        st->edit_err = err;
    else
        opt_value_clear(&tmp);
}

/* Start editing the focused number row with TEXT in the buffer. */
static void start_edit(form_state *st, const char *text)
{
    tui_line_set(&st->edit, text);
    st->mode = FM_EDIT;
    form_check_text(st, form_focused(st), text);
}

/* Store the edit buffer; false (and the reason kept) when it is invalid. */
static bool commit_edit(form_state *st)
{
    opt_id id = form_focused(st);
    const opt_def *d = opt_get(id);
    if (!*st->edit.s) {
        mapping_unset(st->m, id);
        form_changed(st);
        form_status(st, MSG_INFO, "%s: back to AWS's default (%s)", d->label, d->default_text);
        return true;
    }
    char *err = NULL;
    if (mapping_set(st->m, id, st->edit.s, &err) < 0) {
        free(st->edit_err);
        st->edit_err = err;
        st->edit_refused = true;
        return false;
    }
    form_clear_err(st);
    form_changed(st);
    return true;
}

/* Flip a boolean row. */
static void toggle(form_state *st, opt_id id)
{
    opt_value v = {.set = true, .num = !mapping_num(st->m, id)};
    mapping_put(st->m, id, &v);
    form_changed(st);
}

/* Step an enum row's choice by DIR (+1 / -1), wrapping. */
static void cycle_choice(form_state *st, opt_id id, int dir)
{
    const opt_def *d = opt_get(id);
    size_t n = 0, cur = 0;
    const opt_value *v = mapping_get(st->m, id);
    bool found = false;
    while (d->choices[n]) {
        if (v->set && v->str && strcmp(v->str, d->choices[n]) == 0) {
            cur = n;
            found = true;
        }
        n++;
    }
    if (n == 0)
        return;
    size_t next = !found ? (dir > 0 ? 0 : n - 1) : (cur + n + (size_t)(dir > 0 ? 1 : n - 1)) % n;
    char *err = NULL;
    if (mapping_set(st->m, id, d->choices[next], &err) < 0) {
        form_status(st, MSG_ERROR, "%s", err);
        free(err);
        return;
    }
    form_changed(st);
}

/* Back to AWS's default, with what is known about the value. */
static void reset_row(form_state *st, opt_id id)
{
    const opt_def *d = opt_get(id);
    mapping_unpick(st->m, id);
    form_changed(st);
    if (d->required)
        form_status(st, MSG_INFO, "%s cleared (it is required)", d->label);
    else
        form_status(st, MSG_INFO, "%s: back to AWS's default (%s)", d->label, d->default_text);
}

/* Enter (or a typed character CH when TYPED) on the focused row. */
static void edit_row(form_state *st, bool typed, unsigned ch)
{
    opt_id id = form_focused(st);
    const opt_def *d = opt_get(id);
    tui_line first = {0};
    if (typed)
        tui_line_apply(&first, ACT_CHAR, ch);
    switch (d->type) {
    case OPT_T_INT:
    case OPT_T_DURATION:
        if (typed) {
            start_edit(st, first.s);
        } else {
            char *t = opt_edit_text(d, mapping_get(st->m, id));
            start_edit(st, t);
            free(t);
        }
        break;
    case OPT_T_BOOL:
    case OPT_T_FLAG_LIST:
        if (!typed)
            toggle(st, id);
        break;
    case OPT_T_ENUM:
    case OPT_T_STREAM:
    case OPT_T_FUNCTION:
    case OPT_T_DESTINATION:
    case OPT_T_KMS_KEY:
        form_picker_open(st, id, typed ? first.s : NULL);
        break;
    case OPT_T_PATTERNS:
    case OPT_T_TAGS:
    case OPT_T_ENUM_LIST:
        if (!typed)
            form_list_open(st, id);
        break;
    }
    tui_line_free(&first);
}

/* Move focus by DELTA rows, clamped. */
static void move_focus(form_state *st, long delta)
{
    long r = (long)st->focus + delta;
    focus_row(st, r < 0 ? 0 : (size_t)r);
}

/* Whether format F can be written for the mapping: an update request
 * only for an existing mapping. */
static bool format_applies(const form_state *st, export_format f)
{
    return f != FMT_UPDATE_JSON || mapping_is_update(st->m);
}

void form_next_format(form_state *st)
{
    do
        st->fmt = (export_format)((st->fmt + 1) % FMT_COUNT);
    while (!format_applies(st, st->fmt));
    st->preview_top = 0;
    st->preview_left = 0;
    form_changed(st);
    form_status(st, MSG_INFO, "Preview and export: %s", export_format_title(st->fmt));
}

/* Actions that work the same on the form and in the preview. */
static bool apply_common(form_state *st, form_action a)
{
    switch (a) {
    case ACT_EXPORT:
        form_export_start(st);
        return true;
    case ACT_FORMAT:
        form_next_format(st);
        return true;
    case ACT_HELP:
        form_open_help(st);
        return true;
    case ACT_QUIT:
        form_quit(st);
        return true;
    case ACT_DISCOVER:
        form_discover_start(st);
        return true;
    case ACT_PRESET:
        form_preset_open(st);
        return true;
    case ACT_APPLY:
        form_aws_start(st);
        return true;
    default:
        return false;
    }
}

/* Actions that change the focused row's value. */
static bool changes_value(form_action a)
{
    return a == ACT_EDIT || a == ACT_CHAR || a == ACT_TOGGLE || a == ACT_LEFT || a == ACT_RIGHT ||
           a == ACT_RESET || a == ACT_CLEAR;
}

bool form_read_only(const form_state *st, opt_id id)
{
    return opt_get(id)->immutable && mapping_is_update(st->m);
}

/* Keys while moving between rows. */
static void apply_form(form_state *st, form_action a, unsigned ch)
{
    opt_id id = form_focused(st);
    const opt_def *d = opt_get(id);
    if (changes_value(a) && form_read_only(st, id)) {
        form_status(st, MSG_INFO,
                    "%s cannot be changed on an existing mapping: a different one needs a new "
                    "mapping",
                    d->label);
        return;
    }
    bool is_bool = d->type == OPT_T_BOOL || d->type == OPT_T_FLAG_LIST;
    long page = (long)(st->vp.form_height > 1 ? st->vp.form_height - 1 : 1);
    switch (a) {
    case ACT_UP:
    case ACT_DOWN:
        move_focus(st, a == ACT_UP ? -1 : 1);
        break;
    case ACT_HOME:
    case ACT_END:
        focus_row(st, a == ACT_HOME ? 0 : OPT_COUNT - 1);
        break;
    case ACT_PGUP:
    case ACT_PGDN:
        if (st->vp.wide)
            scroll_preview(st, (a == ACT_PGUP ? -1 : 1) * (long)st->vp.preview_height);
        else
            move_focus(st, a == ACT_PGUP ? -page : page);
        break;
    case ACT_EDIT:
    case ACT_CHAR:
        edit_row(st, a == ACT_CHAR, ch);
        break;
    case ACT_CLEAR:
        if (opt_is_numeric(d) && !is_bool)
            start_edit(st, "");
        break;
    case ACT_TOGGLE:
        if (is_bool)
            toggle(st, id);
        break;
    case ACT_LEFT:
    case ACT_RIGHT:
        if (is_bool)
            toggle(st, id);
        else if (d->type == OPT_T_ENUM)
            cycle_choice(st, id, a == ACT_LEFT ? -1 : 1);
        break;
    case ACT_RESET:
        reset_row(st, id);
        break;
    case ACT_PANE:
        st->mode = FM_PREVIEW;
        st->show_preview = true;
        break;
    case ACT_CANCEL:
        form_discover_stop(st);
        break;
    default:
        apply_common(st, a);
        break;
    }
}

/* Keys while a row's value is being edited. */
static void apply_edit(form_state *st, form_action a, unsigned ch)
{
    switch (a) {
    case ACT_COMMIT:
        if (commit_edit(st))
            st->mode = FM_FORM;
        break;
    case ACT_UP:
    case ACT_DOWN:
        if (commit_edit(st)) {
            st->mode = FM_FORM;
            move_focus(st, a == ACT_UP ? -1 : 1);
        }
        break;
    case ACT_CANCEL: {
        char *was = form_value_text(st, form_focused(st));
        form_status(st, MSG_INFO, "Not changed: %s is still %s", opt_get(form_focused(st))->label,
                    was);
        free(was);
        form_clear_err(st);
        st->mode = FM_FORM;
        break;
    }
    case ACT_HELP:
        form_open_help(st);
        break;
    default:
        if (tui_line_apply(&st->edit, a, ch))
            form_check_text(st, form_focused(st), st->edit.s);
        break;
    }
}

/* Keys on the help screen. */
static void apply_help(form_state *st, form_action a)
{
    if (a == ACT_CANCEL || a == ACT_HELP)
        st->mode = st->help_return;
    else
        form_scroll(&st->help_top, a, help_count(st), st->vp.help_height);
}

/* Keys while the preview has focus. */
static void apply_preview(form_state *st, form_action a)
{
    long page = (long)(st->vp.preview_height > 1 ? st->vp.preview_height - 1 : 1);
    switch (a) {
    case ACT_UP:
    case ACT_DOWN:
        scroll_preview(st, a == ACT_UP ? -1 : 1);
        break;
    case ACT_PGUP:
    case ACT_PGDN:
        scroll_preview(st, a == ACT_PGUP ? -page : page);
        break;
    case ACT_HOME:
    case ACT_END:
        scroll_preview(st, a == ACT_HOME ? -(long)st->preview_lines : (long)st->preview_lines);
        break;
    case ACT_LEFT:
        st->preview_left = st->preview_left > 8 ? st->preview_left - 8 : 0;
        break;
    case ACT_RIGHT:
        st->preview_left =
            form_clamp_scroll(st->preview_left + 8, st->preview_maxw, st->vp.preview_width);
        break;
    case ACT_PANE:
        st->mode = FM_FORM;
        st->show_preview = false;
        break;
    default:
        apply_common(st, a);
        break;
    }
}

void form_apply(form_state *st, form_action a, unsigned ch)
{
    free(st->status);
    st->status = NULL;
    switch (st->mode) {
    case FM_FORM:
        apply_form(st, a, ch);
        break;
    case FM_EDIT:
        apply_edit(st, a, ch);
        break;
    case FM_PICKER:
        form_picker_apply(st, a, ch);
        break;
    case FM_LIST:
        form_list_apply(st, a, ch);
        break;
    case FM_LIST_EDIT:
        form_list_edit_apply(st, a, ch);
        break;
    case FM_CHECKS:
        form_checks_apply(st, a);
        break;
    case FM_PATH:
        form_path_apply(st, a, ch);
        break;
    case FM_OVERWRITE:
    case FM_QUIT:
        form_confirm_apply(st, a);
        break;
    case FM_HELP:
        apply_help(st, a);
        break;
    case FM_PREVIEW:
        apply_preview(st, a);
        break;
    case FM_RESTORE:
        form_restore_apply(st, a);
        break;
    case FM_PRESET:
        form_preset_apply(st, a);
        break;
    case FM_AWS_PLAN:
    case FM_AWS_ANSWER:
        form_aws_apply(st, a);
        break;
    case FM_TEMPLATES:
        form_tpl_apply(st, a, ch);
        break;
    case FM_TPL_FILL:
        form_tpl_fill_apply(st, a, ch);
        break;
    case FM_TESTER:
    case FM_TEST_PATH:
    case FM_TEST_PASTE:
    case FM_TEST_RESULT:
        form_tester_apply(st, a, ch);
        break;
    case FM_COUNT:
        break;
    }
    form_draft_after(st);
}
