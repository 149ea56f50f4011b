/* Themes, glyphs, text primitives measured in columns (wcwidth), the
 * layout, and the frame: each part drawn into its window when what it shows
 * changed (tui_drawn), then one doupdate so that only the cells that differ
 * go to the terminal. Attributes are chosen for what they cost on the wire:
 * ncurses resets them after every update, so an attribute on a cell that
 * changes is paid for on each keystroke. */
#include "tui/draw.h"

#include <stdlib.h>
#include <string.h>

#include "model/util.h"

static const tui_glyphs utf8_glyphs = {L"\u2500", L"\u2502", L"\u250c", L"\u2510", L"\u2514",
                                       L"\u2518", L"\u2026", "\u2191",  "\u2193"};
static const tui_glyphs ascii_glyphs = {L"-", L"|", L"+", L"+", L"+", L"+", L">", "^", "v"};

/* Colour pairs: foreground, background (-1: the terminal's own). */
enum { P_TITLE = 1, P_BORDER, P_GROUP, P_DEFAULT, P_FOCUS, P_ERROR, P_WARN, P_OK, P_KEY, P_PLAIN };

/* The colour theme, one entry per element. */
static void color_theme(attr_t *a)
{
    init_pair(P_TITLE, COLOR_WHITE, COLOR_BLUE);
    init_pair(P_BORDER, COLOR_BLUE, -1);
    init_pair(P_GROUP, COLOR_YELLOW, -1);
    init_pair(P_DEFAULT, COLOR_CYAN, -1);
    init_pair(P_FOCUS, -1, COLOR_CYAN); /* a background alone: 5 bytes on, 11 off */
    init_pair(P_ERROR, COLOR_RED, -1);
    init_pair(P_WARN, COLOR_YELLOW, -1);
    init_pair(P_OK, COLOR_GREEN, -1);
    init_pair(P_KEY, COLOR_CYAN, -1);
    init_pair(P_PLAIN, -1, -1);
    a[EL_TITLE] = COLOR_PAIR(P_TITLE) | A_BOLD;
    a[EL_TITLE_MARK] = COLOR_PAIR(P_TITLE) | A_BOLD;
    a[EL_BORDER] = COLOR_PAIR(P_BORDER);
    a[EL_BOX_TITLE] = COLOR_PAIR(P_BORDER) | A_BOLD;
    a[EL_GROUP] = COLOR_PAIR(P_GROUP) | A_BOLD;
    a[EL_DEFAULT] = COLOR_PAIR(P_DEFAULT) | A_DIM;
    a[EL_FOCUS] = COLOR_PAIR(P_FOCUS);
    /* attributes a typed character needs are sent with it: reverse costs
       4 bytes on and 6 off, a colour pair 10 and 14 */
    a[EL_EDIT] = A_REVERSE;
    a[EL_EDIT_MARK] = COLOR_PAIR(P_KEY);
    a[EL_ERROR] = COLOR_PAIR(P_ERROR) | A_BOLD;
    a[EL_WARNING] = COLOR_PAIR(P_WARN);
    a[EL_OK] = COLOR_PAIR(P_OK) | A_BOLD;
    /* colour alone: bold would cost an sgr0 and a colour again per key */
    a[EL_HINT_KEY] = COLOR_PAIR(P_KEY);
    /* the terminal's colours as a pair: from a key to its word costs one
       colour (5 bytes), where plain text would cost an sgr0 as well (11) */
    a[EL_HINT_TEXT] = COLOR_PAIR(P_PLAIN);
    a[EL_SELECT] = COLOR_PAIR(P_FOCUS);
    a[EL_DISABLED] = A_DIM;
}

/* The monochrome theme: attributes only. */
static void mono_theme(attr_t *a)
{
    a[EL_TITLE] = A_REVERSE;
    a[EL_TITLE_MARK] = A_REVERSE | A_BOLD;
    a[EL_BOX_TITLE] = A_BOLD;
    a[EL_GROUP] = A_BOLD;
    a[EL_DEFAULT] = A_DIM;
    a[EL_FOCUS] = A_REVERSE;
    a[EL_EDIT] = A_UNDERLINE;
    a[EL_EDIT_MARK] = A_BOLD;
    a[EL_ERROR] = A_BOLD;
    a[EL_OK] = A_BOLD;
    a[EL_HINT_KEY] = A_BOLD;
    a[EL_SELECT] = A_REVERSE;
    a[EL_DISABLED] = A_DIM;
}

void tui_ui_init(tui_ui *ui, bool utf8, bool color)
{
    memset(ui, 0, sizeof *ui);
    ui->utf8 = utf8;
    ui->g = utf8 ? utf8_glyphs : ascii_glyphs;
    for (int i = 0; i < EL_COUNT; i++)
        ui->attr[i] = A_NORMAL;
    if (color)
        color_theme(ui->attr);
    else
        mono_theme(ui->attr);
}

tui_hash tui_hash_str(tui_hash h, const char *s)
{
    /* FNV-1a; NULL differs from "" */
    if (!s)
        return (h ^ 0xffu) * 1099511628211ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    h = (h ^ 0xfeu) * 1099511628211ULL;
    return h == TUI_HASH_NONE ? 1 : h;
}

tui_hash tui_hash_num(tui_hash h, long long v)
{
    unsigned long long u = (unsigned long long)v;
    for (int i = 0; i < 8; i++, u >>= 8)
        h = (h ^ (u & 0xffu)) * 1099511628211ULL;
    return h == TUI_HASH_NONE ? 1 : h;
}

/* Draw on W with element EL's attributes. */
static void set_el(WINDOW *w, const tui_ui *ui, tui_el el)
{
    wattrset(w, (int)ui->attr[el]);
}

/* UTF-8 TEXT as wide characters, unprintable ones as '?' (newlines kept
 * when NEWLINES). Caller frees. */
static wchar_t *widen_text(const char *text, size_t *n, bool newlines)
{
    size_t len = strlen(text);
    wchar_t *out = xmalloc((len + 1) * sizeof *out);
    mbstate_t ps;
    memset(&ps, 0, sizeof ps);
    size_t k = 0;
    while (len > 0) {
        unsigned char c = (unsigned char)*text;
        if (c >= 0x20 && c < 0x7f) {
            /* printable ASCII, most of what is drawn: no mbrtowc, no wcwidth */
            out[k++] = c;
            text++;
            len--;
            continue;
        }
        wchar_t wc;
        size_t r = mbrtowc(&wc, text, len, &ps);
        if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
            memset(&ps, 0, sizeof ps);
            wc = L'?';
            r = 1;
        }
        out[k++] = (newlines && wc == L'\n') || wcwidth(wc) >= 0 ? wc : L'?';
        text += r;
        len -= r;
    }
    out[k] = 0;
    *n = k;
    return out;
}

/* UTF-8 TEXT as printable wide characters. Caller frees. */
static wchar_t *widen(const char *text, size_t *n)
{
    return widen_text(text, n, false);
}

/* Columns of one wide character. */
static int colw(wchar_t c)
{
    if (c >= 0x20 && c < 0x7f)
        return 1;
    int w = wcwidth(c);
    return w < 0 ? 1 : w;
}

/* Put wide S[0..N) at the cursor in at most MAXW columns; returns columns used. */
static int put_wide(const tui_ui *ui, WINDOW *w, const wchar_t *s, size_t n, int maxw)
{
    int total = 0;
    for (size_t i = 0; i < n; i++)
        total += colw(s[i]);
    int room = total > maxw ? maxw - 1 : maxw, used = 0;
    size_t i = 0;
    while (i < n && used + colw(s[i]) <= room)
        used += colw(s[i++]);
    if (i)
        waddnwstr(w, s, (int)i);
    if (total > maxw && maxw > 0) {
        waddwstr(w, ui->g.more);
        used++;
    }
    return used;
}

int tui_put(const tui_ui *ui, WINDOW *w, int y, int x, const char *text, int maxw, tui_el el)
{
    if (maxw <= 0 || !text)
        return 0;
    size_t n;
    wchar_t *ws = widen(text, &n);
    wmove(w, y, x);
    set_el(w, ui, el);
    int used = put_wide(ui, w, ws, n, maxw);
    free(ws);
    return used;
}

void tui_fill(const tui_ui *ui, WINDOW *w, int y, int x, int n, tui_el el)
{
    if (n <= 0)
        return;
    set_el(w, ui, el);
    mvwhline(w, y, x, ' ', n);
}

/* Draw wide string G N times from Y,X to the right. */
static void repeat(WINDOW *w, int y, int x, const wchar_t *g, int n)
{
    for (int i = 0; i < n; i++)
        mvwaddwstr(w, y, x + i, g);
}

void tui_box(const tui_ui *ui, WINDOW *w, const char *title, const char *note, bool focus)
{
    int h, wd;
    getmaxyx(w, h, wd);
    set_el(w, ui, EL_BORDER);
    mvwaddwstr(w, 0, 0, ui->g.tl);
    repeat(w, 0, 1, ui->g.h, wd - 2);
    mvwaddwstr(w, 0, wd - 1, ui->g.tr);
    for (int y = 1; y < h - 1; y++) {
        mvwaddwstr(w, y, 0, ui->g.v);
        mvwaddwstr(w, y, wd - 1, ui->g.v);
    }
    mvwaddwstr(w, h - 1, 0, ui->g.bl);
    repeat(w, h - 1, 1, ui->g.h, wd - 2);
    mvwaddwstr(w, h - 1, wd - 1, ui->g.br);
    if (title && wd > 6) {
        char *t = xasprintf(" %s ", title);
        tui_put(ui, w, 0, 2, t, wd - 4, focus ? EL_SELECT : EL_BOX_TITLE);
        free(t);
    }
    if (note && *note && wd > 8) {
        int nw = (int)tui_text_width(note) + 2;
        if (nw > wd - 4)
            nw = wd - 4;
        char *t = xasprintf(" %s ", note);
        tui_put(ui, w, h - 1, wd - 2 - nw, t, nw, EL_BORDER);
        free(t);
    }
}

/* Index of the character at byte offset CUR of UTF-8 TEXT. */
static size_t char_index(const char *text, size_t cur)
{
    size_t n;
    char *head = xstrndup(text, cur);
    wchar_t *ws = widen(head, &n);
    free(ws);
    free(head);
    return n;
}

void tui_put_field(tui_ui *ui, WINDOW *w, int y, int x, int width, const tui_line *l, tui_el el)
{
    if (width <= 0)
        return;
    size_t n;
    wchar_t *ws = widen(l->s ? l->s : "", &n);
    size_t ci = char_index(l->s ? l->s : "", l->cur);
    /* first character shown: the cursor stays inside the field */
    size_t start = 0;
    int before = 0;
    for (size_t i = 0; i < ci && i < n; i++)
        before += colw(ws[i]);
    while (before > width - 1 && start < ci) {
        before -= colw(ws[start]);
        start++;
    }
    tui_fill(ui, w, y, x, width, el);
    wmove(w, y, x);
    set_el(w, ui, el);
    put_wide(ui, w, ws + start, n - start, width);
    ui->cur_win = w;
    ui->cur_y = y;
    ui->cur_x = x + before;
    free(ws);
}

/* Where the wrapped line that starts at I of WS (N characters) ends in
 * WIDTH columns: at the last space that fits, else where the width or the
 * line runs out. */
static size_t line_end(const wchar_t *ws, size_t n, size_t i, int width)
{
    size_t j = i, brk = 0;
    int used = 0;
    while (j < n && ws[j] != L'\n' && used + colw(ws[j]) <= width) {
        if (ws[j] == L' ')
            brk = j;
        used += colw(ws[j++]);
    }
    return (j < n && ws[j] != L'\n' && brk > i) ? brk : j;
}

/* Where the next wrapped line starts after one that ends at I. */
static size_t next_line(const wchar_t *ws, size_t n, size_t i)
{
    if (i < n && ws[i] == L'\n')
        return i + 1;
    while (i < n && ws[i] == L' ')
        i++;
    return i;
}

int tui_put_wrapped(const tui_ui *ui, WINDOW *w, int y, int x, int width, int maxl,
                    const char *text, tui_el el)
{
    size_t n;
    wchar_t *ws = widen_text(text, &n, true);
    int line = 0;
    size_t i = 0;
    while (i < n && line < maxl && width > 0) {
        size_t end = line_end(ws, n, i, width);
        if (line == maxl - 1 && end < n)
            end = n; /* the last line shows the rest, cut with the marker */
        wmove(w, y + line, x);
        set_el(w, ui, el);
        put_wide(ui, w, ws + i, end - i, width);
        i = next_line(ws, n, end);
        line++;
    }
    free(ws);
    return line;
}

int tui_wrapped_lines(const char *text, int width, int maxl)
{
    size_t n;
    wchar_t *ws = widen_text(text ? text : "", &n, true);
    int line = 0;
    for (size_t i = 0; i < n && line < maxl && width > 0; line++)
        i = next_line(ws, n, line == maxl - 1 ? n : line_end(ws, n, i, width));
    free(ws);
    return line;
}

/* Delete the windows. */
static void drop_windows(tui_ui *ui)
{
    WINDOW **all[] = {&ui->title, &ui->form, &ui->preview, &ui->msg, &ui->bar, &ui->dlg};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (*all[i])
            delwin(*all[i]);
        *all[i] = NULL;
    }
}

/* Forget what was drawn: the next frame draws every part. */
static void forget_drawn(tui_ui *ui, size_t rows)
{
    free(ui->drawn.rows);
    free(ui->drawn.preview_rows);
    memset(&ui->drawn, 0, sizeof ui->drawn);
    ui->drawn.rows = rows ? xcalloc(rows, sizeof *ui->drawn.rows) : NULL;
    ui->drawn.preview_rows = rows ? xcalloc(rows, sizeof *ui->drawn.preview_rows) : NULL;
    ui->drawn.n_rows = rows;
}

void tui_ui_free(tui_ui *ui)
{
    drop_windows(ui);
    forget_drawn(ui, 0);
}

/* Widest of a text field of every option row, in columns. */
static int widest(bool group)
{
    int w = 0;
    for (size_t i = 0; i < OPT_COUNT; i++) {
        const opt_def *d = opt_get((opt_id)i);
        int n = (int)tui_text_width(group ? d->group : d->label);
        w = n > w ? n : w;
    }
    return w;
}

/* The option table does not change: measured once. */
int tui_group_width(void)
{
    static int w = -1;
    if (w < 0)
        w = widest(true);
    return w;
}

int tui_label_width(void)
{
    static int w = -1;
    if (w < 0)
        w = widest(false);
    return w;
}

/* How many groups the option table has. */
static size_t n_groups(void)
{
    size_t n = 0;
    for (size_t i = 0; i < OPT_COUNT; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(opt_get((opt_id)j)->group, opt_get((opt_id)i)->group) == 0;
        n += !seen;
    }
    return n;
}

/* What fits, told to the state. */
static void set_viewport(const tui_ui *ui, form_state *st)
{
    int inner = ui->form_w - 2, dlg_h, dlg_w;
    tui_dialog_size(ui, &dlg_h, &dlg_w);
    form_viewport vp = {
        .wide = ui->wide,
        /* groups beside the rows only when heading lines would not fit */
        .group_column = ui->box_h - 2 < (int)(OPT_COUNT + n_groups()) &&
                        inner >= tui_group_width() + tui_label_width() + 24,
        .form_height = (size_t)(ui->box_h - 2),
        .preview_height = (size_t)(ui->box_h - 2),
        .preview_width = (size_t)((ui->wide ? ui->cols - ui->form_w : ui->cols) - 3),
        .list_height = tui_picker_rows(ui),
        .dialog_height = (size_t)(dlg_h > 2 ? dlg_h - 2 : 1),
        .dialog_width = (size_t)(dlg_w > 4 ? dlg_w - 4 : 1),
        .help_height = (size_t)(ui->rows - 4),
        .help_width = (size_t)(ui->cols - 4),
        .text_height = (size_t)(ui->box_h - 2),
        .text_width = (size_t)(ui->cols - 4),
    };
    form_set_viewport(st, &vp);
}

void tui_layout(tui_ui *ui, form_state *st)
{
    drop_windows(ui);
    forget_drawn(ui, 0);
    getmaxyx(stdscr, ui->rows, ui->cols);
    ui->too_small = ui->cols < TUI_MIN_COLS || ui->rows < TUI_MIN_ROWS;
    if (ui->too_small)
        return;
    ui->wide = ui->cols >= TUI_WIDE_COLS;
    ui->msg_lines = ui->rows >= 20 ? 2 : 1;
    ui->box_h = ui->rows - 2 - ui->msg_lines;
    /* side by side the form gets three fifths: its values and their
       problems are what the person reads; the preview scrolls sideways */
    int share = ui->cols * 3 / 5;
    ui->form_w = !ui->wide ? ui->cols : share < 56 ? 56 : share > 80 ? 80 : share;
    ui->title = newwin(1, ui->cols, 0, 0);
    ui->form = newwin(ui->box_h, ui->form_w, 1, 0);
    if (ui->wide)
        ui->preview = newwin(ui->box_h, ui->cols - ui->form_w, 1, ui->form_w);
    else
        ui->preview = newwin(ui->box_h, ui->cols, 1, 0);
    ui->msg = newwin(ui->msg_lines, ui->cols, 1 + ui->box_h, 0);
    ui->bar = newwin(1, ui->cols, ui->rows - 1, 0);
    forget_drawn(ui, (size_t)ui->box_h);
    set_viewport(ui, st);
}

/* The note shown when the terminal is smaller than the minimum. */
static void draw_too_small(tui_ui *ui, const form_state *st)
{
    werase(stdscr);
    char *need = xasprintf("esmcfg needs %dx%d", TUI_MIN_COLS, TUI_MIN_ROWS);
    char *now = xasprintf("this is %dx%d", ui->cols, ui->rows);
    const char *how = st->mode == FM_QUIT      ? "quit anyway? y/n"
                      : st->mode == FM_RESTORE ? "restore the unsaved mapping? y/n"
                                               : "enlarge it, or q to quit";
    const char *lines[] = {need, now, how};
    /* wrapped, so that even a few columns say it all */
    for (int i = 0, y = 0; i < 3 && y < ui->rows; i++)
        y += tui_put_wrapped(ui, stdscr, y, 0, ui->cols, ui->rows - y, lines[i],
                             i == 0 ? EL_ERROR : EL_NORMAL);
    free(need);
    free(now);
    wnoutrefresh(stdscr);
}

/* True in the modes that draw a dialog over the panes. */
static bool dialog_mode(const form_state *st)
{
    return st->mode != FM_FORM && st->mode != FM_EDIT && st->mode != FM_PREVIEW;
}

/* The panes keep what they show between frames and redraw only what
 * changed; copy them whole to the screen again where something else was
 * over them: stdscr (after a resize, or the too-small note), a dialog (also
 * while one is open: it may have shrunk), or the other narrow pane. */
static void uncover_panes(tui_ui *ui, const form_state *st)
{
    bool dialog = dialog_mode(st);
    if (is_wintouched(stdscr) || dialog || ui->drawn.dialog ||
        ui->drawn.show_preview != st->show_preview) {
        WINDOW *all[] = {ui->title, ui->form, ui->preview, ui->msg, ui->bar};
        for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
            if (all[i])
                touchwin(all[i]);
    }
    ui->drawn.dialog = dialog;
    ui->drawn.show_preview = st->show_preview;
}

void tui_draw(tui_ui *ui, const form_state *st)
{
    ui->cur_win = NULL;
    if (!ui->too_small)
        uncover_panes(ui, st);
    /* a resize touches stdscr; queue it first (it is blank) so get_wch does
     * not refresh it over the frame afterwards */
    wnoutrefresh(stdscr);
    if (ui->too_small) {
        draw_too_small(ui, st);
        curs_set(0);
        doupdate();
        return;
    }
    tui_draw_title(ui, st);
    if (ui->wide || !st->show_preview)
        tui_draw_form(ui, st);
    if (ui->wide || st->show_preview)
        tui_draw_preview(ui, st);
    tui_draw_message(ui, st);
    tui_draw_bar(ui, st);
    wnoutrefresh(ui->title);
    if (ui->wide || !st->show_preview)
        wnoutrefresh(ui->form);
    if (ui->wide || st->show_preview)
        wnoutrefresh(ui->preview);
    wnoutrefresh(ui->msg);
    wnoutrefresh(ui->bar);
    tui_draw_dialog(ui, st);
    if (ui->cur_win) {
        wmove(ui->cur_win, ui->cur_y, ui->cur_x);
        wnoutrefresh(ui->cur_win);
    }
    /* a hidden cursor stays where the output left it: no bytes to park it */
    leaveok(newscr, ui->cur_win == NULL);
    curs_set(ui->cur_win ? 1 : 0);
    doupdate();
}
