/* The filters list editor's dialogs: the templates, a template's
 * parameters, and the tester (its menu, the file prompt, the paste area
 * and the results). They read the state only. */
#include <stdlib.h>
#include <string.h>

#include "model/util.h"
#include "tui/draw.h"

/* A block of wrapped text a dialog may show, dropped when there is no room. */
typedef struct block {
    char *text; /* owned; NULL: not shown */
    tui_el el;
    int lines; /* lines it gets */
} block;

/* Lines TEXT takes wrapped at WIDTH, at most CAP (0 for no text). */
static int lines_for(const char *text, int width, int cap)
{
    return text ? tui_wrapped_lines(text, width, cap) : 0;
}

/* Give the blocks (most important first) what is left of ROOM lines: a
 * block shown after another has a blank line before it; the first one
 * that does not fit gets what is left (its last line cut with the
 * marker), the rest none. Returns the lines used. */
static int fit_blocks(block *b, size_t n, int room)
{
    int used = 0;
    for (size_t i = 0; i < n; i++) {
        int gap = used ? 1 : 0, left = room - used - gap;
        if (!b[i].text || b[i].lines == 0 || left < 1) {
            b[i].lines = 0;
            continue;
        }
        if (b[i].lines > left)
            b[i].lines = left;
        used += gap + b[i].lines;
    }
    return used;
}

/* Draw the blocks that got lines from Y on, in ORDER (indexes into B). */
static void draw_blocks(tui_ui *ui, WINDOW *win, int y, const block *b, const size_t *order,
                        size_t n)
{
    int width = getmaxx(win) - 4;
    bool first = true;
    for (size_t k = 0; k < n; k++) {
        const block *one = &b[order[k]];
        if (!one->lines)
            continue;
        y += first ? 0 : 1;
        tui_put_wrapped(ui, win, y, 2, width, one->lines, one->text, one->el);
        y += one->lines;
        first = false;
    }
}

static void free_blocks(block *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(b[i].text);
}

/* One line of a menu at Y: TEXT, highlighted when SEL. */
static void menu_line(tui_ui *ui, WINDOW *win, int y, const char *text, bool sel)
{
    int width = getmaxx(win) - 4;
    if (sel)
        tui_fill(ui, win, y, 1, width + 2, EL_SELECT);
    tui_put(ui, win, y, 2, text, width, sel ? EL_SELECT : EL_NORMAL);
}

/* The first entry shown so that SEL is in view in ROWS lines. */
static size_t menu_top(size_t sel, size_t rows)
{
    return sel >= rows ? sel - rows + 1 : 0;
}

/* The templates: their titles, the highlighted one's help and note. */
static void draw_templates(tui_ui *ui, const form_state *st)
{
    int maxh, maxw;
    tui_dialog_size(ui, &maxh, &maxw);
    size_t n;
    const filter_tpl *list = filter_tpl_list(&n);
    const filter_tpl *t = form_tpl_chosen(st);
    int width = maxw - 4, inner = maxh - 2;
    int rows = (int)n < inner ? (int)n : inner;
    block b[2] = {{xasprintf("Matches %s.", t->help), EL_DEFAULT, 0},
                  {t->note ? xstrdup(t->note) : NULL, EL_WARNING, 0}};
    b[0].lines = lines_for(b[0].text, width, 2);
    b[1].lines = lines_for(b[1].text, width, 4);
    /* the list, then a blank line and what fits of help and note */
    int extra = fit_blocks(b, 2, inner - rows - 1);
    WINDOW *win =
        tui_open_dialog(ui, 2 + rows + (extra ? extra + 1 : 0), 80, "Filter templates", NULL);
    if (win) {
        size_t top = menu_top(st->tpl.sel, (size_t)rows);
        for (int i = 0; i < rows && top + (size_t)i < n; i++)
            menu_line(ui, win, 1 + i, list[top + (size_t)i].title, top + (size_t)i == st->tpl.sel);
        size_t order[] = {0, 1};
        draw_blocks(ui, win, 2 + rows, b, order, 2);
        wnoutrefresh(win);
    }
    free_blocks(b, 2);
}

/* Row I's line at Y: label, then its value (the edit field when focused,
 * a choice between < > with the choices after it). */
static void draw_param(tui_ui *ui, WINDOW *win, int y, const form_state *st, size_t i, int label_w)
{
    int width = getmaxx(win) - 4;
    bool focused = st->tpl.param == i;
    tui_put(ui, win, y, 2, form_tpl_row_label(st, i), label_w - 1, focused ? EL_FOCUS : EL_LABEL);
    int x = 2 + label_w, room = width - label_w;
    if (room < 4)
        return;
    char *choices = form_tpl_row_choices(st, i);
    if (!focused || choices) {
        char *v = form_tpl_value_text(st, i);
        int used = tui_put(ui, win, y, x, v, room, focused ? EL_EDIT : EL_VALUE);
        free(v);
        if (focused && room - used - 2 > 8)
            tui_put(ui, win, y, x + used + 2, choices, room - used - 2, EL_DEFAULT);
        if (focused) { /* the cursor on the choice */
            ui->cur_win = win;
            ui->cur_y = y;
            ui->cur_x = x;
        }
        free(choices);
        return;
    }
    /* free text: the field as wide as its text (at least 12) */
    int fw = (int)tui_text_width(st->tpl.vals[i].s) + 2;
    fw = fw < 12 ? 12 : fw > room ? room : fw;
    tui_put_field(ui, win, y, x, fw, &st->tpl.vals[i], EL_EDIT);
}

/* A template's rows, with the filter they give (or what is wrong) and how
 * it fares on the bundled samples. */
static void draw_fill(tui_ui *ui, const form_state *st)
{
    int maxh, maxw;
    tui_dialog_size(ui, &maxh, &maxw);
    const filter_tpl *t = form_tpl_chosen(st);
    size_t nrows = form_tpl_rows(st);
    int width = maxw - 4, inner = maxh - 2;
    int rows = (int)nrows < inner ? (int)nrows : inner;
    int label_w = 0;
    for (size_t i = 0; i < nrows; i++) {
        int w = (int)tui_text_width(form_tpl_row_label(st, i)) + 2;
        label_w = w > label_w ? w : label_w;
    }
    char *problem = form_tpl_problem(st);
    char *pattern = st->tpl.pattern ? str_escape_display(st->tpl.pattern) : NULL;
    char *result = form_tpl_result_label(st);
    char *row_help = form_tpl_row_help(st, st->tpl.param);
    enum { B_RESULT, B_PARAM, B_SAMPLES, B_HELP, B_NOTE, B_N };
    block b[B_N] = {
        [B_RESULT] = {problem ? problem : xasprintf("%s: %s", result, pattern),
                      problem ? (st->tpl.refused ? EL_ERROR : EL_WARNING) : EL_VALUE, 0},
        [B_PARAM] = {xasprintf("%s: %s", form_tpl_row_label(st, st->tpl.param), row_help),
                     EL_DEFAULT, 0},
        [B_SAMPLES] = {st->tpl.samples ? xasprintf("Bundled samples: %s", st->tpl.samples) : NULL,
                       EL_NORMAL, 0},
        [B_HELP] = {xasprintf("Matches %s.", t->help), EL_DEFAULT, 0},
        [B_NOTE] = {t->note ? xstrdup(t->note) : NULL, EL_WARNING, 0},
    };
    free(row_help);
    free(result);
    free(pattern);
    static const int caps[B_N] = {4, 2, 2, 2, 4};
    for (int i = 0; i < B_N; i++)
        b[i].lines = lines_for(b[i].text, width, caps[i]);
    /* the rows and the most important blocks: help above them, the rest
       below */
    int extra = fit_blocks(b, B_N, inner - rows - 1);
    int h = 2 + rows + (extra ? extra + 1 : 0);
    WINDOW *win = tui_open_dialog(ui, h, 80, t->title, NULL);
    if (win) {
        int y = 1;
        if (b[B_HELP].lines) {
            tui_put_wrapped(ui, win, y, 2, width, b[B_HELP].lines, b[B_HELP].text, EL_DEFAULT);
            y += b[B_HELP].lines + 1;
        }
        b[B_HELP].lines = 0;
        size_t top = menu_top(st->tpl.param, (size_t)rows);
        size_t focus_y = 0;
        for (int i = 0; i < rows && top + (size_t)i < nrows; i++) {
            if (top + (size_t)i == st->tpl.param) {
                focus_y = (size_t)(y + i);
                continue;
            }
            draw_param(ui, win, y + i, st, top + (size_t)i, label_w);
        }
        size_t order[] = {B_PARAM, B_RESULT, B_SAMPLES, B_NOTE};
        draw_blocks(ui, win, y + rows + 1, b, order, 4);
        /* last: the focused row places the cursor */
        draw_param(ui, win, (int)focus_y, st, st->tpl.param, label_w);
        wnoutrefresh(win);
    }
    free_blocks(b, B_N);
}

/* The tester's menu: the bundled samples, a file, a paste. */
static void draw_tester(tui_ui *ui, const form_state *st)
{
    int maxh, maxw;
    tui_dialog_size(ui, &maxh, &maxw);
    size_t n = form_tester_sources(st);
    size_t filters = mapping_get(st->m, OPT_FILTERS)->n_items;
    int width = maxw - 4, inner = maxh - 2;
    int rows = (int)n < inner ? (int)n : inner;
    block b[2] = {
        {st->test.err ? str_escape_display(st->test.err) : NULL, EL_ERROR, 0},
        {filters ? xasprintf("Tests the mapping's %zu filter%s as Lambda's event filtering does: "
                             "a record is sent to the function when any filter matches it.",
                             filters, filters == 1 ? "" : "s")
                 : xstrdup("The mapping has no filters yet: Lambda sends every record."),
         EL_DEFAULT, 0},
    };
    b[0].lines = lines_for(b[0].text, width, 3);
    b[1].lines = lines_for(b[1].text, width, 2);
    int extra = fit_blocks(b, 2, inner - rows - 1);
    WINDOW *win = tui_open_dialog(ui, 2 + rows + (extra ? extra + 1 : 0), 80,
                                  "Test the filters on a record", NULL);
    if (win) {
        size_t top = menu_top(st->test.sel, (size_t)rows);
        for (int i = 0; i < rows && top + (size_t)i < n; i++) {
            char *s = form_tester_source(st, top + (size_t)i);
            menu_line(ui, win, 1 + i, s, top + (size_t)i == st->test.sel);
            free(s);
        }
        size_t order[] = {0, 1};
        draw_blocks(ui, win, 2 + rows, b, order, 2);
        wnoutrefresh(win);
    }
    free_blocks(b, 2);
}

/* The path prompt of a record file. */
static void draw_test_path(tui_ui *ui, const form_state *st)
{
    WINDOW *win = tui_open_dialog(ui, 7, 80, "Test the filters: a record file", NULL);
    if (!win)
        return;
    int width = getmaxx(win) - 4;
    tui_put(ui, win, 1, 2, "JSON file: a stream record, an array of them, or an event", width,
            EL_NORMAL);
    if (st->test.err) {
        char *shown = str_escape_display(st->test.err);
        tui_put_wrapped(ui, win, 3, 2, width, getmaxy(win) - 4, shown, EL_ERROR);
        free(shown);
    }
    tui_put_field(ui, win, 2, 2, width, &st->edit, EL_EDIT);
    wnoutrefresh(win);
}

/* Where the paste stands, for the line under it. Caller frees. */
static char *paste_status(const form_state *st, size_t total)
{
    const form_tester *t = &st->test;
    if (t->err)
        return str_escape_display(t->err);
    if (!t->paste.len)
        return xstrdup("Paste or type a record; it is tested once its JSON is complete");
    return xasprintf("%zu line%s; %s", total, total == 1 ? "" : "s",
                     t->started ? "waiting for the closing brackets (Enter ends a line)"
                                : "Enter ends a line");
}

/* The paste area: the last lines of the text, the cursor after them. */
static void draw_paste(tui_ui *ui, const form_state *st)
{
    int maxh, maxw;
    tui_dialog_size(ui, &maxh, &maxw);
    WINDOW *win = tui_open_dialog(ui, maxh, 80, "Test the filters: paste a record", NULL);
    if (!win)
        return;
    int width = getmaxx(win) - 4, h = getmaxy(win);
    int area = h - 4 > 1 ? h - 4 : 1;
    size_t n = 0, total = 0;
    char **lines = form_tester_paste_lines(st, (size_t)area, &n, &total);
    for (size_t i = 0; i < n; i++)
        tui_put(ui, win, 1 + (int)i, 2, lines[i], width, EL_NORMAL);
    char *status = paste_status(st, total);
    tui_put(ui, win, h - 2, 2, status, width, st->test.err ? EL_ERROR : EL_DEFAULT);
    free(status);
    /* the cursor after the last line's text */
    int last = n ? (int)tui_text_width(lines[n - 1]) : 0;
    ui->cur_win = win;
    ui->cur_y = 1 + (n ? (int)n - 1 : 0);
    ui->cur_x = 2 + (last < width ? last : width - 1);
    form_lines_free(lines, n);
    wnoutrefresh(win);
}

/* The element for a result line. */
static tui_el result_el(const form_text *t)
{
    if (t->heading)
        return EL_GROUP;
    switch (t->level) {
    case MSG_OK:
        return EL_OK;
    case MSG_WARN:
        return EL_WARNING;
    case MSG_ERROR:
        return EL_ERROR;
    default:
        return EL_NORMAL;
    }
}

/* The results: per record, the verdict and each filter's. */
static void draw_results(tui_ui *ui, const form_state *st)
{
    size_t n = 0, h = st->vp.dialog_height;
    form_text *lines = form_tester_lines(st, st->vp.dialog_width, &n);
    char *note = n > h ? xasprintf("%s%s %zu-%zu of %zu", st->test.top ? ui->g.up : "",
                                   st->test.top + h < n ? ui->g.down : "", st->test.top + 1,
                                   st->test.top + h < n ? st->test.top + h : n, n)
                       : NULL;
    char *source = str_escape_display(st->test.source ? st->test.source : "");
    char *title = xasprintf("Filters on %s", source);
    WINDOW *win = tui_open_dialog(ui, 2 + (int)(n < h ? n : h), 80, title, note);
    if (win) {
        int width = getmaxx(win) - 4;
        for (size_t i = 0; i < h && st->test.top + i < n; i++) {
            const form_text *t = &lines[st->test.top + i];
            tui_put(ui, win, 1 + (int)i, 2, t->text, width, result_el(t));
        }
        wnoutrefresh(win);
    }
    free(title);
    free(source);
    free(note);
    form_texts_free(lines, n);
}

void tui_draw_filter_dialog(tui_ui *ui, const form_state *st)
{
    switch (st->mode) {
    case FM_TEMPLATES:
        draw_templates(ui, st);
        break;
    case FM_TPL_FILL:
        draw_fill(ui, st);
        break;
    case FM_TESTER:
        draw_tester(ui, st);
        break;
    case FM_TEST_PATH:
        draw_test_path(ui, st);
        break;
    case FM_TEST_PASTE:
        draw_paste(ui, st);
        break;
    case FM_TEST_RESULT:
        draw_results(ui, st);
        break;
    default:
        break;
    }
}
