/* Text dialogs (the preset, the plan for AWS, aws's answer): the panes'
 * place, lines that scroll like help, the question and its keys at the
 * bottom. The message line and the key bar stay visible under it. */
#include <stdlib.h>

#include "model/util.h"
#include "tui/draw.h"

/* "3-20 of 41" when the text does not fit, else NULL. Caller frees. */
static char *scroll_note(const form_state *st, size_t n, size_t page)
{
    if (n <= page)
        return NULL;
    size_t last = st->box.top + page < n ? st->box.top + page : n;
    return xasprintf("%zu-%zu of %zu", st->box.top + 1, last, n);
}

/* The question at line Y, then its keys: "y yes  n no". */
static void draw_question(tui_ui *ui, WINDOW *win, int y, const char *q)
{
    int width = getmaxx(win) - 4;
    int keys = 13;
    int used = tui_put(ui, win, y, 2, q, width - keys, EL_NORMAL);
    int x = 2 + used + 2;
    x += tui_put(ui, win, y, x, "y", 1, EL_HINT_KEY);
    x += tui_put(ui, win, y, x + 1, "yes", 3, EL_NORMAL) + 3;
    x += tui_put(ui, win, y, x, "n", 1, EL_HINT_KEY);
    tui_put(ui, win, y, x + 1, "no", 2, EL_NORMAL);
}

void tui_draw_textbox(tui_ui *ui, const form_state *st)
{
    size_t n;
    char **lines = form_textbox_lines(st, &n);
    size_t page = form_textbox_page(st);
    char *note = scroll_note(st, n, page);
    WINDOW *win = tui_dialog_window(ui, ui->box_h, ui->cols, 1, 0);
    if (win) {
        werase(win);
        tui_box(ui, win, st->box.title, note, false);
        for (size_t i = 0; i < page && st->box.top + i < n; i++)
            tui_put(ui, win, (int)i + 1, 2, lines[st->box.top + i], ui->cols - 4, EL_NORMAL);
        if (st->box.question)
            draw_question(ui, win, getmaxy(win) - 2, st->box.question);
        wnoutrefresh(win);
    }
    free(note);
    form_lines_free(lines, n);
}
