/* Drawing: reads the form state and puts it on the screen with ncurses.
 * Nothing here changes the state. */
#ifndef ESMCFG_TUI_DRAW_H
#define ESMCFG_TUI_DRAW_H

#include <curses.h>
#include <stdbool.h>
#include <wchar.h>

#include "tui/form.h"

/* The smallest screen drawn; below it a note says what is needed. */
enum { TUI_MIN_COLS = 40, TUI_MIN_ROWS = 10, TUI_WIDE_COLS = 100 };

/* Screen elements; a theme gives each one its attributes. */
typedef enum {
    EL_NORMAL,
    EL_TITLE,
    EL_TITLE_MARK,
    EL_BORDER,
    EL_BOX_TITLE,
    EL_GROUP,
    EL_LABEL,
    EL_VALUE,
    EL_DEFAULT,
    EL_FOCUS,
    EL_EDIT,
    EL_EDIT_MARK, /* the brackets around a row's edit field */
    EL_ERROR,
    EL_WARNING,
    EL_OK,
    EL_HINT_KEY,
    EL_HINT_TEXT,
    EL_SELECT,
    EL_DISABLED,
    EL_COUNT
} tui_el;

/* Border and marker glyphs: UTF-8 or ASCII, chosen from the locale. */
typedef struct tui_glyphs {
    const wchar_t *h, *v, *tl, *tr, *bl, *br;
    const wchar_t *more;   /* text cut here */
    const char *up, *down; /* more above, more below (UTF-8 text) */
} tui_glyphs;

/* A hash of what a part of the screen was drawn from. */
typedef unsigned long long tui_hash;
enum { TUI_HASH_NONE = 0 }; /* not drawn yet: draw it */

/* What the last frame drew each part from, so that a frame redraws only
 * the parts whose inputs changed: a keystroke costs work in proportion to
 * what it changed (ncurses then sends only the cells that differ). */
typedef struct tui_drawn {
    tui_hash title, form_box, form_cols, msg, bar, preview, preview_body;
    tui_hash *rows;         /* per line of the form pane */
    tui_hash *preview_rows; /* per line of the preview pane */
    size_t n_rows;          /* of each */
    bool dialog;            /* a dialog was over the panes */
    bool show_preview;      /* the narrow screen showed the preview */
} tui_drawn;

typedef struct tui_ui {
    bool utf8;
    attr_t attr[EL_COUNT];
    tui_glyphs g;
    int rows, cols;
    bool too_small, wide;
    int msg_lines, form_w, box_h;
    WINDOW *title, *form, *preview, *msg, *bar;
    WINDOW *dlg; /* the dialog's window, kept while its size stays */
    /* where the cursor goes after drawing (NULL: hidden) */
    WINDOW *cur_win;
    int cur_y, cur_x;
    tui_drawn drawn;
} tui_ui;

/* Choose glyphs and theme. */
void tui_ui_init(tui_ui *ui, bool utf8, bool color);
/* Lay the windows out for the terminal's size and tell the state what fits. */
void tui_layout(tui_ui *ui, form_state *st);
void tui_ui_free(tui_ui *ui);
/* Draw everything that may have changed and update the terminal. */
void tui_draw(tui_ui *ui, const form_state *st);

/* Primitives (draw.c). */
/* Hashes for tui_drawn: H extended with string S (NULL too) or number V. */
tui_hash tui_hash_str(tui_hash h, const char *s);
tui_hash tui_hash_num(tui_hash h, long long v);
/* The start value; never TUI_HASH_NONE once extended. */
#define TUI_HASH_START 14695981039346656037ULL
/* Put UTF-8 text at Y,X in at most MAXW columns, cut with a marker; returns columns used. */
int tui_put(const tui_ui *ui, WINDOW *w, int y, int x, const char *text, int maxw, tui_el el);
/* Fill N columns with spaces in EL. */
void tui_fill(const tui_ui *ui, WINDOW *w, int y, int x, int n, tui_el el);
/* A box around W with TITLE in its top border and NOTE at the right of its bottom border. */
void tui_box(const tui_ui *ui, WINDOW *w, const char *title, const char *note, bool focus);
/* An edit field of W columns showing L around its cursor; records the cursor. */
void tui_put_field(tui_ui *ui, WINDOW *w, int y, int x, int width, const tui_line *l, tui_el el);
/* Wrap TEXT into at most MAXL lines of WIDTH at Y,X; returns lines used. */
int tui_put_wrapped(const tui_ui *ui, WINDOW *w, int y, int x, int width, int maxl,
                    const char *text, tui_el el);
/* The lines tui_put_wrapped takes for TEXT (at most MAXL). */
int tui_wrapped_lines(const char *text, int width, int maxl);

/* Parts (draw_form.c, draw_preview.c, draw_dialog.c). */
void tui_draw_title(tui_ui *ui, const form_state *st);
void tui_draw_form(tui_ui *ui, const form_state *st);
void tui_draw_message(tui_ui *ui, const form_state *st);
void tui_draw_bar(tui_ui *ui, const form_state *st);
void tui_draw_preview(tui_ui *ui, const form_state *st);
/* The dialog over the panes for the current mode, if any. */
void tui_draw_dialog(tui_ui *ui, const form_state *st);
/* UI's dialog window of H x W at Y,X, kept while its place stays the same. */
WINDOW *tui_dialog_window(tui_ui *ui, int h, int w, int y, int x);
/* The largest dialog on this screen: H lines, W columns. */
void tui_dialog_size(const tui_ui *ui, int *h, int *w);
/* The usual dialog (at most 76 columns on a wide screen) of H lines and W
 * columns, centred and boxed with TITLE and NOTE; queue it with wnoutrefresh. */
WINDOW *tui_open_dialog(tui_ui *ui, int h, int w, const char *title, const char *note);
/* The filters list editor's dialogs: templates, tester (draw_filter.c). */
void tui_draw_filter_dialog(tui_ui *ui, const form_state *st);
/* A text dialog: the preset, the plan for AWS, aws's answer (draw_text.c). */
void tui_draw_textbox(tui_ui *ui, const form_state *st);
/* Entries a picker shows at once on this screen. */
size_t tui_picker_rows(const tui_ui *ui);
/* Widest group name and label of the option table, in columns. */
int tui_group_width(void);
int tui_label_width(void);

#endif
