/* The one key table: every key of every screen with the action it takes,
 * what it does (for help) and its word in the key-hint bar. Dispatch, the
 * hint bar and the help screen all read it. No curses here: the main loop
 * translates curses key codes to the TK_ codes below. */
#ifndef ESMCFG_TUI_KEYS_H
#define ESMCFG_TUI_KEYS_H

#include <stddef.h>

#include "tui/form.h"

/* Keys that are not characters; characters are their Unicode code point. */
enum {
    TK_BASE = 0x110000,
    TK_UP,
    TK_DOWN,
    TK_LEFT,
    TK_RIGHT,
    TK_HOME,
    TK_END,
    TK_PGUP,
    TK_PGDN,
    TK_BTAB,
    TK_BACKSPACE,
    TK_DC,
    TK_IC,
    TK_ENTER,
    TK_ESC,
    TK_F1,
    TK_F2,
    TK_F3,
    TK_F4,
    TK_F5,
    TK_F6,
    TK_F7,
    TK_F10,
    TK_CHAR, /* in the table: any printable character not listed before it */
};

/* Where a key applies: the mode, and in the form the kind of the focused row. */
enum {
    C_ROW_NUM = 1 << 0,    /* number or duration row */
    C_ROW_BOOL = 1 << 1,   /* boolean row */
    C_ROW_ENUM = 1 << 2,   /* one-of-choices row */
    C_ROW_PICK = 1 << 3,   /* table, function, destination, key: picker row */
    C_ROW_LIST = 1 << 4,   /* filters, tags: list editor row */
    C_ROW_CHECKS = 1 << 5, /* metrics: checklist row */
    C_EDIT = 1 << 6,
    C_PICKER = 1 << 7,
    C_LIST = 1 << 8,
    C_LIST_EDIT = 1 << 9,
    C_CHECKS = 1 << 10,
    C_PATH = 1 << 11,
    C_CONFIRM = 1 << 12,
    C_HELP = 1 << 13,
    C_PREVIEW = 1 << 14,
    C_BUSY = 1 << 15,      /* on the form while discovery runs */
    C_FILTERS = 1 << 16,   /* the list editor of the filters (with C_LIST) */
    C_TEMPLATES = 1 << 17, /* choosing a filter template */
    C_TPL_FILL = 1 << 18,  /* filling a template's parameters */
    C_TESTER = 1 << 19,    /* choosing a record to test the filters on */
    C_TEST_PATH = 1 << 20, /* the record file's path */
    C_PASTE = 1 << 21,     /* pasting a record */
    C_RESULT = 1 << 22,    /* the tester's results */
    C_TEXT = 1 << 23,      /* a text dialog: preset, plan, aws's answer (scrolls) */
    C_READ = 1 << 24,      /* a text dialog without a question: only closed */
};
#define C_ROW (C_ROW_NUM | C_ROW_BOOL | C_ROW_ENUM | C_ROW_PICK | C_ROW_LIST | C_ROW_CHECKS)
#define C_LINE (C_EDIT | C_LIST_EDIT | C_PATH | C_PICKER | C_TPL_FILL | C_TEST_PATH)
#define C_FILTER_DIALOGS (C_TEMPLATES | C_TPL_FILL | C_TESTER | C_TEST_PATH | C_PASTE | C_RESULT)

typedef struct tui_key {
    unsigned ctx;     /* C_ bits where it applies */
    unsigned key;     /* TK_ code or character */
    const char *name; /* as help and the bar show it: "F2", "Ctrl-S", "k" */
    form_action action;
    const char *help; /* what it does, for the help screen */
    const char *bar;  /* its word in the hint bar, or NULL; keys with the same
                         word next to each other share it: "Up/Down move" */
    int prio;         /* hint bar: 1 always shown, 2, 3 dropped first when narrow */
} tui_key;

/* The table and its length. */
const tui_key *tui_keys(size_t *n);
/* The context of ST: its mode and, in the form, the focused row's kind. */
unsigned tui_key_context(const form_state *st);
/* The context whose keys the hint bar shows: tui_key_context, except that
 * on the form every row shows the same bar. */
unsigned tui_bar_context(const form_state *st);
/* The action KEY takes in context CTX (ACT_NONE if none). */
form_action tui_key_action(unsigned ctx, unsigned key);
/* One item of the hint bar: its keys ("Up/Down") and its word ("move"). */
typedef struct tui_hint {
    char keys[40];
    const char *word;
} tui_hint;

/* The hint bar for CTX fitted to WIDTH columns (two spaces between items):
 * fills OUT with up to MAX items in table order, returns how many. */
size_t tui_key_hints(unsigned ctx, size_t width, tui_hint *out, size_t max);
/* Columns N hint items take with SEP spaces between them. */
size_t tui_hint_width(const tui_hint *h, size_t n, size_t sep);
/* The same as one string (one space between items when two do not fit): "Up/Down move  Enter edit
 * ...". Caller frees. */
char *tui_key_bar(unsigned ctx, size_t width);
/* Help lines for the keys: "  Up, k        previous field". Caller frees each. */
char **tui_key_help(size_t *n);

#endif
