/* The title bar, the form pane, the message lines and the key-hint bar. */
#include <stdlib.h>
#include <string.h>

#include "model/util.h"
#include "tui/draw.h"
#include "tui/keys.h"

void tui_draw_title(tui_ui *ui, const form_state *st)
{
    WINDOW *w = ui->title;
    const char *mark = form_dirty(st) ? "[modified]"
                       : st->applied  ? "[applied]"
                       : st->exported ? "[exported]"
                                      : "";
    char *t = form_title(st);
    tui_hash k = tui_hash_str(tui_hash_str(TUI_HASH_START, mark), t);
    if (k == ui->drawn.title) {
        free(t);
        return;
    }
    ui->drawn.title = k;
    werase(w);
    tui_fill(ui, w, 0, 0, ui->cols, EL_TITLE);
    int mw = (int)strlen(mark);
    int x = tui_put(ui, w, 0, 1, "esmcfg", ui->cols - 2, EL_TITLE_MARK) + 1;
    tui_put(ui, w, 0, x + 2, t, ui->cols - x - 3 - (mw ? mw + 2 : 0), EL_TITLE);
    free(t);
    if (mw && ui->cols > mw + 12)
        tui_put(ui, w, 0, ui->cols - mw - 1, mark, mw, EL_TITLE_MARK);
}

/* Columns of a form row. */
typedef struct row_cols {
    int group_x, label_x, label_w, value_x, value_w;
} row_cols;

/* Where a row's parts go in a pane of INNER columns. */
static row_cols columns(const form_state *st, int inner)
{
    row_cols c;
    /* rows sit beside their group's name, or indented under its heading */
    int gw = st->vp.group_column ? tui_group_width() + 2 : 2;
    c.group_x = 2;
    c.label_x = 2 + gw;
    c.label_w = tui_label_width() + 2;
    int rest = inner - 1 - gw;
    if (c.label_w > rest / 2)
        c.label_w = rest / 2;
    c.value_x = c.label_x + c.label_w;
    c.value_w = inner + 1 - c.value_x;
    return c;
}

/* The problem (or "default") after a value, in ROOM columns: the short
 * form (what is allowed) when the whole message does not fit. */
static void draw_note(tui_ui *ui, WINDOW *w, int y, int x, int room, const form_row_view *v)
{
    if (room < 4)
        return;
    if (v->problem) {
        const char *mark = v->problem_error ? "!" : "~";
        char *s = xasprintf("%s %s", mark, v->problem);
        if ((int)tui_text_width(s) > room && v->allowed) {
            free(s);
            s = xasprintf("%s %s", mark, v->allowed);
        }
        tui_put(ui, w, y, x, s, room, v->problem_error ? EL_ERROR : EL_WARNING);
        free(s);
    } else if (v->read_only) {
        tui_put(ui, w, y, x, "read-only", room, EL_DEFAULT);
    } else if (v->is_default) {
        tui_put(ui, w, y, x, "default", room, EL_DEFAULT);
    }
}

/* The value part of a row: the edit field while editing. */
static void draw_value(tui_ui *ui, WINDOW *w, int y, const row_cols *c, const form_row_view *v,
                       const form_state *st)
{
    if (v->editing) {
        /* the field between brackets, its text plain: a typed character
           is then sent as itself, without attributes to set and reset */
        int want = (int)tui_text_width(v->value) + 2;
        int fw = want < 8 ? 8 : want;
        if (fw > c->value_w - 1)
            fw = c->value_w - 1;
        tui_put(ui, w, y, c->value_x - 1, "[", 1, EL_EDIT_MARK);
        tui_put_field(ui, w, y, c->value_x, fw, &st->edit, EL_NORMAL);
        tui_put(ui, w, y, c->value_x + fw, "]", 1, EL_EDIT_MARK);
        draw_note(ui, w, y, c->value_x + fw + 2, c->value_w - fw - 2, v);
        return;
    }
    int vw = (int)tui_text_width(v->value);
    /* "default" only where it fits beside the whole value (the colour says it too) */
    bool tag = v->is_default || v->read_only;
    int note_room = v->problem ? c->value_w / 2 : tag && vw + 11 <= c->value_w ? 11 : 0;
    int max = c->value_w - note_room;
    if (max < c->value_w / 2)
        max = c->value_w / 2;
    tui_el el = v->is_default ? EL_DEFAULT : EL_VALUE;
    int used = tui_put(ui, w, y, c->value_x, v->value, vw < max ? vw : max, el);
    if (note_room || v->problem)
        draw_note(ui, w, y, c->value_x + used + 2, c->value_w - used - 2, v);
}

/* What option row V is drawn from, or TUI_HASH_NONE (draw it every
 * time) while it is being edited: the edit field places the cursor. A
 * field of form_row_view that draw_row shows must be hashed here too. */
static tui_hash row_hash(const form_row_view *v, bool focused, bool show_group, opt_id id)
{
    if (v->editing)
        return TUI_HASH_NONE;
    tui_hash h = tui_hash_num(TUI_HASH_START, (long long)id);
    h = tui_hash_num(h, focused | show_group << 1 | v->is_default << 2 | v->read_only << 3 |
                            v->problem_error << 4);
    h = tui_hash_str(h, v->label);
    h = tui_hash_str(h, v->value);
    h = tui_hash_str(h, v->problem);
    return tui_hash_str(h, v->allowed);
}

/* One option row at line Y, unless it shows what it is drawn from already
 * (*DRAWN, updated). */
static void draw_row(tui_ui *ui, WINDOW *w, int y, const row_cols *c, const form_state *st,
                     opt_id id, bool show_group, tui_hash *drawn)
{
    bool focused = form_focused(st) == id && st->mode != FM_PREVIEW;
    form_row_view v;
    form_row_view_get(st, id, &v);
    tui_hash k = row_hash(&v, focused, show_group, id);
    if (k == TUI_HASH_NONE || k != *drawn) {
        *drawn = k;
        tui_fill(ui, w, y, 1, ui->form_w - 2, EL_NORMAL);
        if (show_group)
            tui_put(ui, w, y, c->group_x, opt_get(id)->group, c->label_x - c->group_x - 1,
                    EL_GROUP);
        /* the focus is the label's bar only: a move re-sends two labels, not two rows */
        tui_put(ui, w, y, c->label_x, v.label, c->label_w - 1, focused ? EL_FOCUS : EL_LABEL);
        draw_value(ui, w, y, c, &v, st);
    }
    form_row_view_free(&v);
}

/* "↑ more" / "↓ more" for a pane scrolled from TOP showing H of N lines. */
static char *scroll_note(const tui_ui *ui, size_t top, size_t h, size_t n)
{
    if (n <= h)
        return NULL;
    return xasprintf("%s%s %zu-%zu of %zu", top > 0 ? ui->g.up : "", top + h < n ? ui->g.down : "",
                     top + 1, top + h < n ? top + h : n, n);
}

void tui_draw_form(tui_ui *ui, const form_state *st)
{
    WINDOW *w = ui->form;
    size_t h = st->vp.form_height;
    row_cols c = columns(st, ui->form_w - 2);
    /* the box, and each line, only when what it shows changed */
    tui_hash k = tui_hash_num(TUI_HASH_START, c.label_x);
    k = tui_hash_num(tui_hash_num(tui_hash_num(k, c.label_w), c.value_x), c.value_w);
    if (k != ui->drawn.form_cols) {
        ui->drawn.form_cols = k;
        memset(ui->drawn.rows, 0, ui->drawn.n_rows * sizeof *ui->drawn.rows);
    }
    char *note = scroll_note(ui, st->form_top, h, st->n_lines);
    bool focus = ui->wide && st->mode != FM_PREVIEW;
    k = tui_hash_num(tui_hash_str(TUI_HASH_START, note), focus);
    if (k != ui->drawn.form_box) {
        ui->drawn.form_box = k;
        tui_box(ui, w, "Mapping", note, focus);
    }
    free(note);
    for (size_t i = 0; i < h && i < ui->drawn.n_rows; i++) {
        size_t li = st->form_top + i;
        int y = (int)i + 1;
        tui_hash *drawn = &ui->drawn.rows[i];
        if (li >= st->n_lines || st->lines[li].group) {
            const char *group = li < st->n_lines ? st->lines[li].group : NULL;
            k = tui_hash_str(TUI_HASH_START, group);
            if (k != *drawn) {
                *drawn = k;
                tui_fill(ui, w, y, 1, ui->form_w - 2, EL_NORMAL);
                if (group)
                    tui_put(ui, w, y, 2, group, ui->form_w - 4, EL_GROUP);
            }
            continue;
        }
        const form_line *l = &st->lines[li];
        const char *g = opt_get(l->opt)->group;
        bool first = li == 0 || i == 0 || st->lines[li - 1].group ||
                     strcmp(opt_get(st->lines[li - 1].opt)->group, g) != 0;
        draw_row(ui, w, y, &c, st, l->opt, st->vp.group_column && first, drawn);
    }
}

/* The element for a message level. */
static tui_el level_el(form_msg_level lv)
{
    switch (lv) {
    case MSG_ERROR:
        return EL_ERROR;
    case MSG_WARN:
        return EL_WARNING;
    case MSG_OK:
        return EL_OK;
    default:
        return EL_NORMAL;
    }
}

void tui_draw_message(tui_ui *ui, const form_state *st)
{
    WINDOW *w = ui->msg;
    form_msg_level lv = MSG_INFO;
    char *msg = form_message(st, &lv);
    char *help = form_help_line(st);
    bool long_problem =
        st->status && msg && lv >= MSG_WARN && (int)tui_text_width(msg) > ui->cols - 2;
    /* everything below reads these only: unchanged, nothing is redrawn */
    tui_hash k = tui_hash_num(TUI_HASH_START, (long long)lv | (long long)long_problem << 8);
    k = tui_hash_str(tui_hash_str(tui_hash_num(k, form_focused(st)), msg), help);
    if (k == ui->drawn.msg) {
        free(msg);
        free(help);
        return;
    }
    ui->drawn.msg = k;
    werase(w);
    /* the help on the first line and the message on the second, each
       always in the same place: a keystroke re-sends only what differs */
    if (ui->msg_lines >= 2 && long_problem) {
        /* a long warning or error (a failed discovery) gets both lines */
        tui_put_wrapped(ui, w, 0, 1, ui->cols - 2, ui->msg_lines, msg, level_el(lv));
    } else if (ui->msg_lines >= 2 && msg) {
        tui_put(ui, w, 0, 1, help, ui->cols - 2, EL_NORMAL);
        tui_put(ui, w, 1, 1, msg, ui->cols - 2, level_el(lv));
    } else if (msg) {
        tui_put(ui, w, 0, 1, msg, ui->cols - 2, level_el(lv));
    } else {
        tui_put_wrapped(ui, w, 0, 1, ui->cols - 2, ui->msg_lines, help, EL_NORMAL);
    }
    free(msg);
    free(help);
}

void tui_draw_bar(tui_ui *ui, const form_state *st)
{
    WINDOW *w = ui->bar;
    unsigned ctx = tui_bar_context(st);
    tui_hash k = tui_hash_num(TUI_HASH_START, ctx);
    if (k == ui->drawn.bar)
        return;
    ui->drawn.bar = k;
    werase(w);
    /* the gaps in the words' attributes too: no attribute reset per key */
    tui_fill(ui, w, 0, 0, ui->cols, EL_HINT_TEXT);
    tui_hint h[32];
    size_t width = (size_t)ui->cols - 2;
    size_t n = tui_key_hints(ctx, width, h, 32);
    int sep = tui_hint_width(h, n, 2) <= width ? 2 : 1;
    int x = 1;
    for (size_t i = 0; i < n; i++) {
        x += tui_put(ui, w, 0, x, h[i].keys, ui->cols - x, EL_HINT_KEY);
        x += tui_put(ui, w, 0, x + 1, h[i].word, ui->cols - x - 1, EL_HINT_TEXT) + 1 + sep;
    }
}
