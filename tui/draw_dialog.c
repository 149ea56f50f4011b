/* Dialogs over the panes: picker, list editor, checklist, export path,
 * questions and help. */
#include <stdlib.h>
#include <string.h>

#include "model/util.h"
#include "tui/draw.h"

/* Where the parts of a picker go. */
typedef struct picker_geom {
    bool roomy;
    int field, header, first, rows, problem; /* lines; header 0: none */
} picker_geom;

/* The largest dialog on this screen. */
void tui_dialog_size(const tui_ui *ui, int *h, int *w)
{
    /* inside the form box when it is tall enough, else over it */
    *h = ui->box_h >= 16 ? ui->box_h - 2 : ui->rows - 2;
    *h = *h < 22 ? *h : 22;
    /* Up to 80 columns it spans the form box's inside, so no clipped row
       end peeks out beside it; wider screens get a floating 76. */
    *w = ui->cols - 2 <= 80 ? ui->cols - 2 : 76;
    if (*w < 20)
        *w = ui->cols;
}

/* The picker's lines in a dialog of H lines: a roomy one has a heading, a
 * column header and three lines for a problem; a short one, one line. */
static picker_geom picker_layout(int h)
{
    picker_geom g;
    g.roomy = h >= 14;
    g.field = g.roomy ? 2 : 1;
    g.header = g.roomy ? 4 : 0;
    g.first = g.roomy ? 5 : 3;
    g.problem = g.roomy ? 3 : 1;
    g.rows = h - 1 - g.first - g.problem;
    if (g.rows < 1)
        g.rows = 1;
    return g;
}

size_t tui_picker_rows(const tui_ui *ui)
{
    int h, w;
    tui_dialog_size(ui, &h, &w);
    return (size_t)picker_layout(h).rows;
}

WINDOW *tui_dialog_window(tui_ui *ui, int h, int w, int y, int x)
{
    if (ui->dlg) {
        int oh, ow, oy, ox;
        getmaxyx(ui->dlg, oh, ow);
        getbegyx(ui->dlg, oy, ox);
        if (oh == h && ow == w && oy == y && ox == x)
            return ui->dlg;
        delwin(ui->dlg);
    }
    ui->dlg = newwin(h, w, y, x);
    return ui->dlg;
}

/* A window of H lines and W columns (at most the usual dialog's width, or
 * with WIDE the screen's) centred on the screen, boxed with TITLE. */
static WINDOW *place_dialog(tui_ui *ui, int h, int w, bool wide, const char *title,
                            const char *note)
{
    int maxh, maxw;
    tui_dialog_size(ui, &maxh, &maxw);
    if (wide && ui->cols - 2 > maxw)
        maxw = ui->cols - 2;
    if (h > maxh)
        h = maxh;
    w = w > maxw ? maxw : w;
    int y = 1 + (ui->box_h - h) / 2, x = (ui->cols - w) / 2;
    WINDOW *win = tui_dialog_window(ui, h, w, y < 1 ? 1 : y, x < 0 ? 0 : x);
    if (!win)
        return NULL;
    werase(win);
    tui_box(ui, win, title, note, false);
    return win;
}

/* The usual dialog: at most 76 columns on a wide screen. */
WINDOW *tui_open_dialog(tui_ui *ui, int h, int w, const char *title, const char *note)
{
    return place_dialog(ui, h, w, false, title, note);
}

/* Queue the dialog for the screen. */
static void close_dialog(tui_ui *ui, WINDOW *win)
{
    (void)ui;
    wnoutrefresh(win);
}

/* The problem with what is typed, wrapped at the bottom of a dialog. */
static void draw_problem(tui_ui *ui, WINDOW *win, const form_state *st, int y, int lines)
{
    char *s = form_edit_problem(st);
    if (s)
        tui_put_wrapped(ui, win, y, 2, getmaxx(win) - 4, lines, s, EL_ERROR);
    free(s);
}

enum { MAX_COLS = 8, MIN_LAST_COL = 10, MIN_NAME_COL = 12, MAX_OTHER_COL = 30 };

/* Split tab-separated S in place into at most MAX_COLS columns. */
static size_t split_cols(char *s, char **cols)
{
    size_t n = 0;
    while (s && n < MAX_COLS) {
        cols[n++] = s;
        s = strchr(s, '\t');
        if (s)
            *s++ = '\0';
    }
    return n;
}

/* Widen W[] to fit the columns of tab-separated TEXT. */
static void fit_cols(const char *text, int *w)
{
    char *copy = xstrdup(text);
    char *cols[MAX_COLS];
    size_t n = split_cols(copy, cols);
    for (size_t k = 0; k < n; k++) {
        int cw = (int)tui_text_width(cols[k]);
        if (k > 0 && cw > MAX_OTHER_COL)
            cw = MAX_OTHER_COL; /* cut with the marker; the name column is kept whole */
        w[k] = cw > w[k] ? cw : w[k];
    }
    free(copy);
}

/* Columns the shown ones need in all, the last one cut to MIN_LAST_COL
 * when CUT_LAST. */
static int cols_width(const int *w, const bool *shown, bool cut_last)
{
    int total = 0, last = -1;
    for (int k = 0; k < MAX_COLS; k++) {
        if (!shown[k] || !w[k])
            continue;
        total += (last >= 0 ? 2 : 0) + w[k];
        last = k;
    }
    if (cut_last && last > 0 && w[last] > MIN_LAST_COL)
        total -= w[last] - MIN_LAST_COL;
    return total;
}

/* Drop the least important columns (the highest priority number, the
 * rightmost of equals) until the rest fit WIDTH, the last of them cut if
 * need be; the name column is never dropped, only narrowed. */
static void fit_width(const form_state *st, int width, int *w, bool *shown)
{
    int prio[MAX_COLS];
    size_t n = form_picker_priorities(st, prio, MAX_COLS);
    for (int k = 0; k < MAX_COLS; k++)
        shown[k] = (size_t)k < n;
    while (cols_width(w, shown, true) > width) {
        int worst = -1;
        for (int k = 1; k < (int)n; k++)
            if (shown[k] && (worst < 0 || prio[k] >= prio[worst]))
                worst = k;
        if (worst < 0)
            break;
        shown[worst] = false;
    }
    int total = cols_width(w, shown, true);
    if (total > width && w[0] > MIN_NAME_COL)
        w[0] = w[0] - (total - width) < MIN_NAME_COL ? MIN_NAME_COL : w[0] - (total - width);
}

/* The widths the picker's header (if shown) and entries ask for. */
static void picker_columns(const form_state *st, const char *header, int *w)
{
    memset(w, 0, MAX_COLS * sizeof *w);
    if (header)
        fit_cols(header, w);
    /* the first few hundred entries and the ones in view (big accounts list
     * tens of thousands of tables) */
    for (size_t i = 0; i < st->pk.n_match; i++) {
        if (i >= 500 && (i < st->pk.top || i >= st->pk.top + st->vp.list_height))
            continue;
        bool off;
        char *e = form_picker_entry(st, i, &off);
        fit_cols(e, w);
        free(e);
    }
}

/* Tab-separated TEXT at line Y in the SHOWN columns of widths W; the last
 * one shown gets what is left of the line. */
static void draw_cols(tui_ui *ui, WINDOW *win, int y, const char *text, const int *w,
                      const bool *shown, tui_el el)
{
    int width = getmaxx(win) - 4, x = 2;
    char *copy = xstrdup(text);
    char *cols[MAX_COLS];
    size_t n = split_cols(copy, cols);
    size_t last = 0;
    for (size_t k = 0; k < n; k++)
        if (shown[k])
            last = k;
    for (size_t k = 0; k < n && x < 2 + width; k++) {
        if (!shown[k])
            continue;
        int cw = k == last ? 2 + width - x : w[k];
        tui_put(ui, win, y, x, cols[k], cw < 2 + width - x ? cw : 2 + width - x, el);
        x += w[k] + 2;
    }
    free(copy);
}

/* One picker entry at line Y. */
static void draw_entry(tui_ui *ui, WINDOW *win, int y, const form_state *st, size_t i, const int *w,
                       const bool *shown)
{
    bool off, sel = st->pk.sel == (long)i;
    char *e = form_picker_entry(st, i, &off);
    tui_el el = sel ? EL_SELECT : off ? EL_DISABLED : EL_NORMAL;
    if (sel)
        tui_fill(ui, win, y, 1, getmaxx(win) - 2, EL_SELECT);
    draw_cols(ui, win, y, e, w, shown, el);
    free(e);
}

/* Under the list: what is wrong with the choice, else what is known about
 * the highlighted entry. */
static void draw_below(tui_ui *ui, WINDOW *win, const form_state *st, int y, int lines)
{
    char *s = form_edit_problem(st);
    if (s) {
        tui_put_wrapped(ui, win, y, 2, getmaxx(win) - 4, lines, s, EL_ERROR);
    } else if ((s = form_picker_detail(st))) {
        tui_put_wrapped(ui, win, y, 2, getmaxx(win) - 4, lines, s, EL_DEFAULT);
    }
    free(s);
}

/* The line Y under the text field: the typed text as an entry, or a hint. */
static void draw_typed(tui_ui *ui, WINDOW *win, const form_state *st, int y)
{
    int width = getmaxx(win) - 4;
    if (!*st->pk.query.s) {
        tui_put(ui, win, y, 2, st->pk.n_match ? "" : "(nothing to list: type a name or ARN)", width,
                EL_DEFAULT);
        return;
    }
    char *typed = xasprintf("Use \"%s\" as typed", st->pk.query.s);
    char *shown = str_escape_display(typed);
    bool sel = st->pk.sel < 0;
    if (sel)
        tui_fill(ui, win, y, 1, width + 2, EL_SELECT);
    tui_put(ui, win, y, 2, shown, width, sel ? EL_SELECT : EL_NORMAL);
    free(shown);
    free(typed);
}

/* The picker: heading, text field, "as typed" line, entries, problem. */
static void draw_picker(tui_ui *ui, const form_state *st)
{
    int maxh, maxw;
    tui_dialog_size(ui, &maxh, &maxw);
    picker_geom g = picker_layout(maxh);
    size_t rows = (size_t)g.rows;
    size_t shown = st->pk.n_match < rows ? st->pk.n_match : rows;
    char *note = st->pk.n_match > shown ? xasprintf("%zu-%zu of %zu", st->pk.top + 1,
                                                    st->pk.top + shown, st->pk.n_match)
                                        : NULL;
    int h = g.first + (int)(shown ? shown : 1) + g.problem + 1;
    char *header = form_picker_header(st);
    int w[MAX_COLS];
    bool cols[MAX_COLS];
    picker_columns(st, g.header ? header : NULL, w);
    for (int k = 0; k < MAX_COLS; k++)
        cols[k] = true;
    /* as wide as every column wants, on a screen wide enough */
    int want = cols_width(w, cols, false) + 4;
    WINDOW *win =
        place_dialog(ui, h, want > 80 ? want : 80, true, opt_get(st->pk.opt)->label, note);
    free(note);
    if (!win) {
        free(header);
        return;
    }
    int width = getmaxx(win) - 4;
    fit_width(st, width, w, cols);
    if (g.roomy) {
        char *head = form_picker_title(st);
        tui_put(ui, win, 1, 2, head, width, EL_DEFAULT);
        free(head);
    }
    tui_put(ui, win, g.field, 2, ">", 1, EL_NORMAL);
    draw_typed(ui, win, st, g.field + 1);
    if (header && st->pk.n_match && g.header)
        draw_cols(ui, win, g.header, header, w, cols, EL_GROUP);
    free(header);
    for (size_t i = 0; i < shown && st->pk.top + i < st->pk.n_match; i++)
        draw_entry(ui, win, g.first + (int)i, st, st->pk.top + i, w, cols);
    draw_below(ui, win, st, h - 1 - g.problem, g.problem);
    tui_put_field(ui, win, g.field, 4, width - 2, &st->pk.query, EL_EDIT);
    close_dialog(ui, win);
}

/* The list editor or checklist of an option. */
static void draw_list(tui_ui *ui, const form_state *st)
{
    const opt_def *d = opt_get(st->pk.opt);
    size_t n = form_list_count(st);
    size_t shown = n < st->vp.list_height ? n : st->vp.list_height;
    char *title = st->mode == FM_CHECKS
                      ? xstrdup(d->label)
                      : xasprintf("%s (%zu of at most %zu)", d->label,
                                  mapping_get(st->m, d->id)->n_items, d->max_items);
    int maxh0, maxw0;
    tui_dialog_size(ui, &maxh0, &maxw0);
    char *note = form_list_note(st);
    int note_lines = note ? tui_wrapped_lines(note, maxw0 - 4, 3) : 0;
    /* the words only where the items keep their room */
    while (note_lines > 0 && 5 + (int)shown + note_lines + 1 > maxh0)
        note_lines--;
    WINDOW *win =
        tui_open_dialog(ui, 5 + (int)shown + (note_lines ? note_lines + 1 : 0), 80, title, NULL);
    free(title);
    if (!win) {
        free(note);
        return;
    }
    int width = getmaxx(win) - 4, maxh = getmaxy(win);
    int list_end = maxh - 3 - (note_lines ? note_lines + 1 : 0);
    if (note_lines)
        tui_put_wrapped(ui, win, maxh - 3 - note_lines, 2, width, note_lines, note, EL_DEFAULT);
    free(note);
    int y = 1;
    for (size_t i = st->list_top; i < n && y < list_end; i++, y++) {
        bool sel = st->list_sel == i;
        bool editing = st->mode == FM_LIST_EDIT && st->list_editing == i;
        char mark = d->type == OPT_T_ENUM_LIST || i + 1 == n ? ' ' : form_list_mark(st, i);
        char *num = d->type == OPT_T_ENUM_LIST || i + 1 == n ? xstrdup("")
                                                             : xasprintf("%zu%c", i + 1, mark);
        tui_put(ui, win, y, 2, num, 3,
                mark == '!'   ? EL_ERROR
                : mark == '~' ? EL_WARNING
                              : EL_DEFAULT);
        free(num);
        if (editing) {
            tui_put_field(ui, win, y, 5, width - 3, &st->edit, EL_EDIT);
            continue;
        }
        char *e = form_list_entry(st, i);
        if (sel && st->mode != FM_LIST_EDIT)
            tui_fill(ui, win, y, 5, width - 3, EL_SELECT);
        tui_put(ui, win, y, 5, e, width - 3,
                sel && st->mode != FM_LIST_EDIT ? EL_SELECT : EL_NORMAL);
        free(e);
    }
    draw_problem(ui, win, st, maxh - 3, 2);
    close_dialog(ui, win);
}

/* The export path prompt, with the mapping's warnings under it. */
static void draw_path(tui_ui *ui, const form_state *st)
{
    int maxh, maxw;
    tui_dialog_size(ui, &maxh, &maxw);
    char *warn = form_export_warnings(st);
    int cap = maxh - 7 < 6 ? maxh - 7 : 6;
    int wl = warn && cap > 0 ? tui_wrapped_lines(warn, maxw - 4, cap) : 0;
    WINDOW *win = tui_open_dialog(ui, 6 + (wl ? wl + 1 : 0), 80, "Export", NULL);
    if (!win) {
        free(warn);
        return;
    }
    int width = getmaxx(win) - 4;
    char *q = form_dialog_text(st);
    tui_put(ui, win, 1, 2, q, width, EL_NORMAL);
    free(q);
    draw_problem(ui, win, st, 3, 2);
    if (wl)
        tui_put_wrapped(ui, win, 6, 2, width, wl, warn, EL_WARNING);
    free(warn);
    tui_put_field(ui, win, 2, 2, width, &st->edit, EL_EDIT);
    close_dialog(ui, win);
}

/* A yes/no question. */
static void draw_confirm(tui_ui *ui, const form_state *st)
{
    char *q = form_dialog_text(st);
    int maxh, maxw;
    tui_dialog_size(ui, &maxh, &maxw);
    int w = maxw < 60 ? maxw : 60;
    int lines = (int)(tui_text_width(q) / (size_t)(w - 5)) + 1;
    const char *title = st->mode == FM_QUIT      ? "Quit"
                        : st->mode == FM_RESTORE ? "Unsaved mapping"
                                                 : "Replace";
    WINDOW *win = tui_open_dialog(ui, lines + 4, w, title, NULL);
    if (win) {
        int width = getmaxx(win) - 4;
        int used = tui_put_wrapped(ui, win, 1, 2, width, getmaxy(win) - 4, q, EL_NORMAL);
        int y = used + 2 < getmaxy(win) - 1 ? used + 2 : getmaxy(win) - 2;
        int x = 2 + tui_put(ui, win, y, 2, "y", 1, EL_HINT_KEY);
        x += tui_put(ui, win, y, x + 1, "yes", 3, EL_NORMAL) + 4;
        x += tui_put(ui, win, y, x, "n", 1, EL_HINT_KEY);
        tui_put(ui, win, y, x + 1, "no", 2, EL_NORMAL);
        close_dialog(ui, win);
    }
    free(q);
}

/* The help screen over everything but the title and the key bar. */
static void draw_help(tui_ui *ui, const form_state *st)
{
    size_t n;
    char **lines = form_help_lines(st, st->vp.help_width, &n);
    size_t h = st->vp.help_height;
    char *note = n > h ? xasprintf("%zu-%zu of %zu", st->help_top + 1,
                                   st->help_top + h < n ? st->help_top + h : n, n)
                       : NULL;
    WINDOW *win = tui_dialog_window(ui, ui->rows - 2, ui->cols, 1, 0);
    if (win) {
        werase(win);
        tui_box(ui, win, "Help", note, false);
        for (size_t i = 0; i < h && st->help_top + i < n; i++) {
            const char *l = lines[st->help_top + i];
            bool heading =
                l[0] && l[0] != ' ' && (st->help_top + i == 0 || !lines[st->help_top + i - 1][0]);
            tui_put(ui, win, (int)i + 1, 2, l, ui->cols - 4, heading ? EL_GROUP : EL_NORMAL);
        }
        close_dialog(ui, win);
    }
    free(note);
    form_lines_free(lines, n);
}

void tui_draw_dialog(tui_ui *ui, const form_state *st)
{
    switch (st->mode) {
    case FM_PICKER:
        draw_picker(ui, st);
        break;
    case FM_LIST:
    case FM_LIST_EDIT:
    case FM_CHECKS:
        draw_list(ui, st);
        break;
    case FM_PATH:
        draw_path(ui, st);
        break;
    case FM_OVERWRITE:
    case FM_QUIT:
    case FM_RESTORE:
        draw_confirm(ui, st);
        break;
    case FM_HELP:
        draw_help(ui, st);
        break;
    case FM_PRESET:
    case FM_AWS_PLAN:
    case FM_AWS_ANSWER:
        tui_draw_textbox(ui, st);
        break;
    default:
        tui_draw_filter_dialog(ui, st);
        break;
    }
}
