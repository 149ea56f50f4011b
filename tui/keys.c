/* The one key table, and what reads it: dispatch, the hint bar and the
 * key list of the help screen. */
#include "tui/keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/util.h"

#define C_FORMISH (C_ROW | C_PREVIEW)
#define C_DIALOGS (C_EDIT | C_LIST_EDIT | C_PICKER | C_LIST | C_CHECKS | C_FILTER_DIALOGS)
#define C_MENUS (C_TEMPLATES | C_TESTER)

/* Order matters: the first entry for a key in a context wins, and hint-bar
 * items appear in table order. TK_CHAR entries come last. */
static const tui_key keys[] = {
    /* Moving on the form */
    {C_ROW, TK_UP, "Up", ACT_UP, "previous field", "move", 3},
    {C_ROW, TK_DOWN, "Down", ACT_DOWN, "next field", "move", 3},
    {C_ROW, 'k', "k", ACT_UP, "previous field", NULL, 0},
    {C_ROW, 'j', "j", ACT_DOWN, "next field", NULL, 0},
    {C_ROW, '\t', "Tab", ACT_DOWN, "next field", NULL, 0},
    {C_ROW, TK_BTAB, "Shift-Tab", ACT_UP, "previous field", NULL, 0},
    {C_ROW, TK_HOME, "Home", ACT_HOME, "first field", NULL, 0},
    {C_ROW, TK_END, "End", ACT_END, "last field", NULL, 0},
    {C_ROW, TK_PGUP, "PgUp", ACT_PGUP, "scroll the preview (side by side) or page the form", NULL,
     0},
    {C_ROW, TK_PGDN, "PgDn", ACT_PGDN, "scroll the preview (side by side) or page the form", NULL,
     0},

    /* Changing the focused value. The bar shows only the number row's
       "Enter edit": every row shares one bar (tui_bar_context). */
    {C_ROW_NUM, TK_ENTER, "Enter", ACT_EDIT, "edit the value, starting from the current one",
     "edit", 1},
    {C_ROW_PICK, TK_ENTER, "Enter", ACT_EDIT,
     "open the picker: choose from the inventory or type a name or ARN", NULL, 0},
    {C_ROW_PICK, '/', "/", ACT_EDIT, "open the picker to filter it", NULL, 0},
    {C_ROW_ENUM, TK_LEFT, "Left", ACT_LEFT, "previous choice", NULL, 0},
    {C_ROW_ENUM, TK_RIGHT, "Right", ACT_RIGHT, "next choice", NULL, 0},
    {C_ROW_ENUM, ' ', "Space", ACT_RIGHT, "next choice", NULL, 0},
    {C_ROW_ENUM, TK_ENTER, "Enter", ACT_EDIT, "choose from a list", NULL, 0},
    {C_ROW_BOOL, ' ', "Space", ACT_TOGGLE, "switch between true and false", NULL, 0},
    {C_ROW_BOOL, TK_ENTER, "Enter", ACT_TOGGLE, "switch between true and false", NULL, 0},
    {C_ROW_BOOL, TK_LEFT, "Left", ACT_TOGGLE, "switch between true and false", NULL, 0},
    {C_ROW_BOOL, TK_RIGHT, "Right", ACT_TOGGLE, "switch between true and false", NULL, 0},
    {C_ROW_LIST, TK_ENTER, "Enter", ACT_EDIT, "open the list: add, edit and delete items", NULL, 0},
    {C_ROW_CHECKS, TK_ENTER, "Enter", ACT_EDIT, "open the choices to tick", NULL, 0},
    {C_ROW_CHECKS, ' ', "Space", ACT_EDIT, "open the choices to tick", NULL, 0},

    /* The preview */
    {C_PREVIEW, TK_UP, "Up", ACT_UP, "scroll up", "scroll", 2},
    {C_PREVIEW, TK_DOWN, "Down", ACT_DOWN, "scroll down", "scroll", 2},
    {C_PREVIEW, 'k', "k", ACT_UP, "scroll up", NULL, 0},
    {C_PREVIEW, 'j', "j", ACT_DOWN, "scroll down", NULL, 0},
    {C_PREVIEW, TK_LEFT, "Left", ACT_LEFT, "scroll sideways", NULL, 0},
    {C_PREVIEW, TK_RIGHT, "Right", ACT_RIGHT, "scroll sideways", NULL, 0},
    {C_PREVIEW, TK_PGUP, "PgUp", ACT_PGUP, "a page up", NULL, 0},
    {C_PREVIEW, TK_PGDN, "PgDn", ACT_PGDN, "a page down", NULL, 0},
    {C_PREVIEW, TK_HOME, "Home", ACT_HOME, "top", NULL, 0},
    {C_PREVIEW, TK_END, "End", ACT_END, "bottom", NULL, 0},
    {C_PREVIEW, TK_ESC, "Esc", ACT_PANE, "back to the form", NULL, 0},
    {C_PREVIEW, TK_F4, "F4", ACT_PANE, "back to the form", "form", 1},
    {C_PREVIEW, 16, "Ctrl-P", ACT_PANE, "back to the form", NULL, 0},

    /* On the form and the preview */
    {C_FORMISH, TK_F2, "F2", ACT_EXPORT, "export (asks for the file unless -o was given)", "export",
     1},
    {C_FORMISH, 19, "Ctrl-S", ACT_EXPORT, "export (asks for the file unless -o was given)", NULL,
     0},
    {C_FORMISH, TK_F3, "F3", ACT_FORMAT, "next format of the preview and the export", "format", 2},
    {C_FORMISH, 6, "Ctrl-F", ACT_FORMAT, "next format of the preview and the export", NULL, 0},
    {C_ROW, TK_F4, "F4", ACT_PANE, "show the preview (narrow) or scroll it (side by side)",
     "preview", 1},
    {C_ROW, 16, "Ctrl-P", ACT_PANE, "show the preview (narrow) or scroll it (side by side)", NULL,
     0},
    {C_ROW, TK_DC, "Del", ACT_RESET, "back to AWS's default (left out of the export)", "default",
     3},
    {C_ROW_NUM, TK_BACKSPACE, "Backspace", ACT_CLEAR, "start editing from an empty value", NULL, 0},

    /* Filter templates: before the text keys, whose Left, Right and Esc
       they take over */
    {C_MENUS, TK_UP, "Up", ACT_UP, "previous entry", "move", 2},
    {C_MENUS, TK_DOWN, "Down", ACT_DOWN, "next entry", "move", 2},
    {C_MENUS, 'k', "k", ACT_UP, "previous entry", NULL, 0},
    {C_MENUS, 'j', "j", ACT_DOWN, "next entry", NULL, 0},
    {C_MENUS, TK_HOME, "Home", ACT_HOME, "first entry", NULL, 0},
    {C_MENUS, TK_END, "End", ACT_END, "last entry", NULL, 0},
    {C_TEMPLATES, TK_ENTER, "Enter", ACT_COMMIT, "fill in the highlighted template", "choose", 1},
    {C_TPL_FILL, TK_UP, "Up", ACT_UP, "previous parameter", "move", 2},
    {C_TPL_FILL, TK_DOWN, "Down", ACT_DOWN, "next parameter", "move", 2},
    {C_TPL_FILL, '\t', "Tab", ACT_DOWN, "next parameter", NULL, 0},
    {C_TPL_FILL, TK_BTAB, "Shift-Tab", ACT_UP, "previous parameter", NULL, 0},
    {C_TPL_FILL, TK_LEFT, "Left", ACT_LEFT, "previous choice (a text parameter: cursor left)",
     "change", 2},
    {C_TPL_FILL, TK_RIGHT, "Right", ACT_RIGHT, "next choice (a text parameter: cursor right)",
     "change", 2},
    {C_TPL_FILL, TK_ENTER, "Enter", ACT_COMMIT,
     "add the pattern to the filters (refused, with the reason, while a value is wrong)", "add", 1},
    {C_TPL_FILL, TK_ESC, "Esc", ACT_CANCEL, "back to the templates: nothing is added", "back", 1},

    /* Filter tester */
    {C_TESTER, TK_ENTER, "Enter", ACT_COMMIT,
     "test the filters on the highlighted sample, or load a file, or paste a record", "test", 1},
    {C_TEST_PATH, TK_ENTER, "Enter", ACT_COMMIT, "read the file and test the filters on it", "load",
     1},
    {C_TEST_PATH, TK_ESC, "Esc", ACT_CANCEL, "back to the samples", "back", 1},
    {C_PASTE, TK_ENTER, "Enter", ACT_COMMIT,
     "end the line; once the text is complete JSON, the filters are tested on it", "new line", 1},
    {C_PASTE, '\t', "Tab", ACT_CHAR, "a space", NULL, 0},
    {C_PASTE, TK_BACKSPACE, "Backspace", ACT_BACKSPACE, "delete the last character", NULL, 0},
    {C_PASTE, 21, "Ctrl-U", ACT_CLEAR, "clear the text", "clear", 3},
    {C_PASTE, TK_ESC, "Esc", ACT_CANCEL, "drop the text: back to the samples", "cancel", 1},
    {C_RESULT, TK_UP, "Up", ACT_UP, "scroll up", "scroll", 2},
    {C_RESULT, TK_DOWN, "Down", ACT_DOWN, "scroll down", "scroll", 2},
    {C_RESULT, 'k', "k", ACT_UP, "scroll up", NULL, 0},
    {C_RESULT, 'j', "j", ACT_DOWN, "scroll down", NULL, 0},
    {C_RESULT, TK_PGUP, "PgUp", ACT_PGUP, "a page up", NULL, 0},
    {C_RESULT, TK_PGDN, "PgDn", ACT_PGDN, "a page down", NULL, 0},
    {C_RESULT, ' ', "Space", ACT_PGDN, "a page down", NULL, 0},
    {C_RESULT, TK_LEFT, "Left", ACT_LEFT, "the previous bundled sample (results of a bundled one)",
     "sample", 2},
    {C_RESULT, TK_RIGHT, "Right", ACT_RIGHT, "the next bundled sample (results of a bundled one)",
     "sample", 2},
    {C_RESULT, TK_HOME, "Home", ACT_HOME, "top", NULL, 0},
    {C_RESULT, TK_END, "End", ACT_END, "bottom", NULL, 0},
    {C_RESULT, TK_ESC, "Esc", ACT_CANCEL, "back to the samples", "back", 1},
    {C_RESULT, 'q', "q", ACT_CANCEL, "back to the samples", NULL, 0},
    {C_MENUS, TK_ESC, "Esc", ACT_CANCEL, "back to the filters", "close", 1},
    {C_MENUS, 'q', "q", ACT_CANCEL, "back to the filters", NULL, 0},

    /* Editing text: a value, a list item, a path, a picker's text field */
    {C_PICKER, TK_UP, "Up", ACT_UP, "previous entry", "move", 2},
    {C_PICKER, TK_DOWN, "Down", ACT_DOWN, "next entry", "move", 2},
    /* first in the edit's bar, as in the form's: switching between the two
       bars re-sends only what differs after "Up/Down move  Enter " */
    {C_EDIT, TK_UP, "Up", ACT_UP, "save and go to the previous field", "move", 2},
    {C_EDIT, TK_DOWN, "Down", ACT_DOWN, "save and go to the next field", "move", 2},
    {C_EDIT | C_LIST_EDIT, TK_ENTER, "Enter", ACT_COMMIT,
     "save (refused, with the reason, while the value is invalid)", "save", 1},
    {C_PATH, TK_ENTER, "Enter", ACT_COMMIT, "export to this file", "export", 1},
    {C_PICKER, TK_ENTER, "Enter", ACT_COMMIT, "use the highlighted entry or the typed text", "pick",
     1},
    {C_LINE, TK_ESC, "Esc", ACT_CANCEL, "cancel: keep the value as it was", "cancel", 1},
    {C_PATH, TK_F3, "F3", ACT_FORMAT, "next format, and the suggested name with it", "format", 2},
    {C_PATH, 6, "Ctrl-F", ACT_FORMAT, "next format, and the suggested name with it", NULL, 0},
    {C_EDIT, '\t', "Tab", ACT_DOWN, "save and go to the next field", NULL, 0},
    {C_EDIT, TK_BTAB, "Shift-Tab", ACT_UP, "save and go to the previous field", NULL, 0},
    {C_PICKER, TK_PGUP, "PgUp", ACT_PGUP, "a page up", NULL, 0},
    {C_PICKER, TK_PGDN, "PgDn", ACT_PGDN, "a page down", NULL, 0},
    {C_LINE, TK_LEFT, "Left", ACT_LEFT, "cursor left", NULL, 0},
    {C_LINE, TK_RIGHT, "Right", ACT_RIGHT, "cursor right", NULL, 0},
    {C_LINE, TK_HOME, "Home", ACT_HOME, "start of the text", NULL, 0},
    {C_LINE, 1, "Ctrl-A", ACT_HOME, "start of the text", NULL, 0},
    {C_LINE, TK_END, "End", ACT_END, "end of the text", NULL, 0},
    {C_LINE, 5, "Ctrl-E", ACT_END, "end of the text", NULL, 0},
    {C_LINE, TK_BACKSPACE, "Backspace", ACT_BACKSPACE, "delete before the cursor", NULL, 0},
    {C_LINE, TK_DC, "Del", ACT_DELETE, "delete at the cursor", NULL, 0},
    {C_LINE, 21, "Ctrl-U", ACT_CLEAR, "clear the text", "clear", 3},

    /* List editor (filters, tags) and checklist (metrics) */
    {C_LIST | C_CHECKS, TK_UP, "Up", ACT_UP, "previous item", "move", 2},
    {C_LIST | C_CHECKS, TK_DOWN, "Down", ACT_DOWN, "next item", "move", 2},
    {C_LIST | C_CHECKS, 'k', "k", ACT_UP, "previous item", NULL, 0},
    {C_LIST | C_CHECKS, 'j', "j", ACT_DOWN, "next item", NULL, 0},
    {C_LIST, TK_ENTER, "Enter", ACT_EDIT, "edit the item (on the last line: add one)", "edit", 1},
    {C_LIST, 'a', "a", ACT_ADD, "add an item", "add", 1},
    {C_LIST, TK_IC, "Insert", ACT_ADD, "add an item", NULL, 0},
    {C_LIST, 'd', "d", ACT_REMOVE, "delete the item", "delete", 1},
    {C_LIST, TK_DC, "Del", ACT_REMOVE, "delete the item", NULL, 0},
    {C_FILTERS, 't', "t", ACT_TEMPLATE,
     "add a filter from a template: event name, attribute equals, prefix, range, exists",
     "template", 1},
    {C_FILTERS, 'r', "r", ACT_TEST,
     "test the filters on a bundled sample record (INSERT, MODIFY, REMOVE), a file or a paste",
     "test", 1},
    {C_CHECKS, ' ', "Space", ACT_TOGGLE, "tick or untick", "toggle", 1},
    {C_CHECKS, TK_ENTER, "Enter", ACT_TOGGLE, "tick or untick", NULL, 0},
    {C_LIST | C_CHECKS, TK_ESC, "Esc", ACT_CANCEL, "close", "close", 1},
    {C_LIST | C_CHECKS, 'q', "q", ACT_CANCEL, "close", NULL, 0},

    /* Questions */
    {C_CONFIRM, 'y', "y", ACT_YES, "yes", "yes", 1},
    {C_CONFIRM, 'Y', "Y", ACT_YES, "yes", NULL, 0},
    {C_CONFIRM, 'n', "n", ACT_NO, "no", "no", 1},
    {C_CONFIRM, 'N', "N", ACT_NO, "no", NULL, 0},
    {C_CONFIRM, TK_ESC, "Esc", ACT_NO, "no", NULL, 0},

    /* Help */
    {C_HELP, TK_UP, "Up", ACT_UP, "scroll up", "scroll", 2},
    {C_HELP, TK_DOWN, "Down", ACT_DOWN, "scroll down", "scroll", 2},
    {C_HELP, 'k', "k", ACT_UP, "scroll up", NULL, 0},
    {C_HELP, 'j', "j", ACT_DOWN, "scroll down", NULL, 0},
    {C_HELP, TK_PGUP, "PgUp", ACT_PGUP, "a page up", NULL, 0},
    {C_HELP, TK_PGDN, "PgDn", ACT_PGDN, "a page down", NULL, 0},
    {C_HELP, ' ', "Space", ACT_PGDN, "a page down", NULL, 0},
    {C_HELP, TK_HOME, "Home", ACT_HOME, "top", NULL, 0},
    {C_HELP, TK_END, "End", ACT_END, "bottom", NULL, 0},
    {C_HELP, TK_ESC, "Esc", ACT_CANCEL, "close help", "close", 1},
    {C_HELP, 'q', "q", ACT_CANCEL, "close help", NULL, 0},
    {C_HELP, TK_F1, "F1", ACT_CANCEL, "close help", NULL, 0},
    {C_HELP, '?', "?", ACT_CANCEL, "close help", NULL, 0},

    /* Discovery */
    {C_FORMISH | C_PICKER, TK_F5, "F5", ACT_DISCOVER,
     "discover tables, functions, queues and topics with the AWS CLI (--profile, --region)",
     "discover", 3},
    {C_BUSY, TK_ESC, "Esc", ACT_CANCEL, "stop the discovery (what answered so far is kept)",
     "stop discovery", 1},

    /* Presets and applying to AWS */
    {C_FORMISH, TK_F7, "F7", ACT_APPLY,
     "apply to AWS: the plan (create, or update the mapping of this stream and function that "
     "exists), then y runs the AWS CLI and shows its answer",
     "apply", 2},
    {C_FORMISH, 4, "Ctrl-D", ACT_APPLY,
     "apply to AWS: the plan (create, or update the mapping of this stream and function that "
     "exists), then y runs the AWS CLI and shows its answer",
     NULL, 0},
    {C_FORMISH, TK_F6, "F6", ACT_PRESET,
     "the preset: what it sets and why, and what you must pick; y sets it", "preset", 3},
    {C_FORMISH, 18, "Ctrl-R", ACT_PRESET,
     "the preset: what it sets and why, and what you must pick; y sets it", NULL, 0},

    /* Text dialogs (after the questions: Esc there answers no) */
    {C_TEXT, TK_UP, "Up", ACT_UP, "scroll up", "scroll", 2},
    {C_TEXT, TK_DOWN, "Down", ACT_DOWN, "scroll down", "scroll", 2},
    {C_TEXT, 'k', "k", ACT_UP, "scroll up", NULL, 0},
    {C_TEXT, 'j', "j", ACT_DOWN, "scroll down", NULL, 0},
    {C_TEXT, TK_PGUP, "PgUp", ACT_PGUP, "a page up", NULL, 0},
    {C_TEXT, TK_PGDN, "PgDn", ACT_PGDN, "a page down", NULL, 0},
    {C_TEXT, ' ', "Space", ACT_PGDN, "a page down", NULL, 0},
    {C_TEXT, TK_HOME, "Home", ACT_HOME, "top", NULL, 0},
    {C_TEXT, TK_END, "End", ACT_END, "bottom", NULL, 0},
    {C_READ, TK_ESC, "Esc", ACT_CANCEL, "close", "close", 1},
    {C_READ, TK_ENTER, "Enter", ACT_COMMIT, "close", NULL, 0},
    {C_READ, 'q', "q", ACT_CANCEL, "close", NULL, 0},

    /* Help and quit */
    {C_FORMISH | C_DIALOGS, TK_F1, "F1", ACT_HELP, "help: keys and the focused option", "help", 1},
    {C_FORMISH, '?', "?", ACT_HELP, "help: keys and the focused option", NULL, 0},
    {C_FORMISH, TK_F10, "F10", ACT_QUIT, "quit (asks first when changes are not exported)", "quit",
     1},
    {C_FORMISH, 17, "Ctrl-Q", ACT_QUIT, "quit (asks first when changes are not exported)", NULL, 0},
    {C_FORMISH, 'q', "q", ACT_QUIT, "quit (asks first when changes are not exported)", NULL, 0},

    /* Any other character */
    {C_ROW_NUM, TK_CHAR, "typing", ACT_CHAR, "start a new value with what is typed", NULL, 0},
    {C_ROW_PICK | C_ROW_ENUM, TK_CHAR, "typing", ACT_CHAR, "open the picker with what is typed",
     NULL, 0},
    {C_PICKER, TK_CHAR, "typing", ACT_CHAR, "filter the list; Enter on it uses the text as typed",
     NULL, 0},
    {C_EDIT | C_LIST_EDIT | C_PATH | C_TPL_FILL | C_TEST_PATH, TK_CHAR, "typing", ACT_CHAR,
     "insert at the cursor", NULL, 0},
    {C_PASTE, TK_CHAR, "typing, pasting", ACT_CHAR, "add to the record's text", NULL, 0},
};

const tui_key *tui_keys(size_t *n)
{
    *n = sizeof keys / sizeof keys[0];
    return keys;
}

/* The row kind of option D as a context bit. */
static unsigned row_context(const opt_def *d)
{
    switch (d->type) {
    case OPT_T_INT:
    case OPT_T_DURATION:
        return C_ROW_NUM;
    case OPT_T_BOOL:
    case OPT_T_FLAG_LIST:
        return C_ROW_BOOL;
    case OPT_T_ENUM:
        return C_ROW_ENUM;
    case OPT_T_STREAM:
    case OPT_T_FUNCTION:
    case OPT_T_DESTINATION:
    case OPT_T_KMS_KEY:
        return C_ROW_PICK;
    case OPT_T_PATTERNS:
    case OPT_T_TAGS:
        return C_ROW_LIST;
    case OPT_T_ENUM_LIST:
        return C_ROW_CHECKS;
    }
    return C_ROW_NUM;
}

unsigned tui_key_context(const form_state *st)
{
    static const unsigned by_mode[FM_COUNT] = {
        [FM_EDIT] = C_EDIT,
        [FM_PICKER] = C_PICKER,
        [FM_LIST] = C_LIST,
        [FM_LIST_EDIT] = C_LIST_EDIT,
        [FM_CHECKS] = C_CHECKS,
        [FM_PATH] = C_PATH,
        [FM_OVERWRITE] = C_CONFIRM,
        [FM_QUIT] = C_CONFIRM,
        [FM_HELP] = C_HELP,
        [FM_PREVIEW] = C_PREVIEW,
        [FM_RESTORE] = C_CONFIRM,
        [FM_TEMPLATES] = C_TEMPLATES,
        [FM_TPL_FILL] = C_TPL_FILL,
        [FM_TESTER] = C_TESTER,
        [FM_TEST_PATH] = C_TEST_PATH,
        [FM_TEST_PASTE] = C_PASTE,
        [FM_TEST_RESULT] = C_RESULT,
        [FM_PRESET] = C_CONFIRM | C_TEXT,
        [FM_AWS_PLAN] = C_CONFIRM | C_TEXT,
        [FM_AWS_ANSWER] = C_TEXT | C_READ,
    };
    if (st->mode == FM_LIST && st->pk.opt == OPT_FILTERS)
        return C_LIST | C_FILTERS;
    if (st->mode == FM_AWS_PLAN && !st->box.question)
        return C_TEXT | C_READ;
    if (st->mode == FM_FORM)
        return row_context(opt_get(form_focused(st))) | (form_discover_running(st) ? C_BUSY : 0u);
    return by_mode[st->mode];
}

unsigned tui_bar_context(const form_state *st)
{
    unsigned ctx = tui_key_context(st);
    /* On the form the bar is the same for every row (a number row's:
       "Enter edit" opens a picker, a list or the choices, or toggles, on
       the other rows): moving between fields then leaves it alone, which
       keeps a move within 150 bytes (issue 8). Space, Left/Right and / are
       in help (F1). */
    return ctx & C_ROW ? (ctx & ~(unsigned)C_ROW) | C_ROW_NUM : ctx;
}

/* True for a character that can be typed into text. */
static bool printable(unsigned key)
{
    return key >= 32 && key != 127 && key < TK_BASE && !(key >= 0x80 && key < 0xa0);
}

/* The index of the entry that KEY takes in context CTX (the table's
 * length when none). */
static size_t entry_of(unsigned ctx, unsigned key)
{
    size_t i = 0;
    for (; i < sizeof keys / sizeof keys[0]; i++) {
        const tui_key *k = &keys[i];
        if ((k->ctx & ctx) && (k->key == key || (k->key == TK_CHAR && printable(key))))
            break;
    }
    return i;
}

form_action tui_key_action(unsigned ctx, unsigned key)
{
    size_t i = entry_of(ctx, key);
    return i < sizeof keys / sizeof keys[0] ? keys[i].action : ACT_NONE;
}

/* Width of one hint item: keys, a space, the word. */
static size_t hint_width(const tui_hint *h)
{
    return strlen(h->keys) + 1 + strlen(h->word);
}

/* The items of CTX before fitting, with their priorities. */
static size_t collect_hints(unsigned ctx, tui_hint *out, int *prio, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const tui_key *k = &keys[i];
        if (!(k->ctx & ctx) || !k->bar || entry_of(ctx, k->key) != i)
            continue;
        if (n > 0 && strcmp(out[n - 1].word, k->bar) == 0) {
            size_t used = strlen(out[n - 1].keys);
            snprintf(out[n - 1].keys + used, sizeof out[n - 1].keys - used, "/%s", k->name);
            prio[n - 1] = prio[n - 1] < k->prio ? prio[n - 1] : k->prio;
            continue;
        }
        if (n == max)
            break;
        snprintf(out[n].keys, sizeof out[n].keys, "%s", k->name);
        out[n].word = k->bar;
        prio[n++] = k->prio;
    }
    return n;
}

/* Drop the last item of the lowest priority (highest number); with only
 * first-priority items left, the one before the last two (help and quit,
 * which stay longest). */
static void drop_one(tui_hint *h, int *prio, size_t *n)
{
    size_t worst = *n;
    for (size_t i = 0; i < *n; i++)
        if (prio[i] > 1 && (worst == *n || prio[i] >= prio[worst]))
            worst = i;
    if (worst == *n)
        worst = *n >= 3 ? *n - 3 : 0;
    memmove(h + worst, h + worst + 1, (*n - worst - 1) * sizeof *h);
    memmove(prio + worst, prio + worst + 1, (*n - worst - 1) * sizeof *prio);
    (*n)--;
}

/* True when some item may go before first-priority ones do. */
static bool has_droppable(const int *prio, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (prio[i] > 1)
            return true;
    return false;
}

size_t tui_hint_width(const tui_hint *h, size_t n, size_t sep)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        w += hint_width(&h[i]) + (i ? sep : 0);
    return w;
}

size_t tui_key_hints(unsigned ctx, size_t width, tui_hint *out, size_t max)
{
    int prio[32];
    tui_hint all[32];
    size_t n = collect_hints(ctx, all, prio, 32);
    /* two spaces between items, dropping the less important ones; when only
     * first-priority items are left and they do not fit, one space */
    while (tui_hint_width(all, n, 2) > width && has_droppable(prio, n))
        drop_one(all, prio, &n);
    while (n > 0 && tui_hint_width(all, n, 1) > width)
        drop_one(all, prio, &n);
    size_t keep = n < max ? n : max;
    memcpy(out, all, keep * sizeof *out);
    return keep;
}

char *tui_key_bar(unsigned ctx, size_t width)
{
    tui_hint h[32];
    size_t n = tui_key_hints(ctx, width, h, 32);
    const char *sep = tui_hint_width(h, n, 2) <= width ? "  " : " ";
    strbuf b = {0};
    for (size_t i = 0; i < n; i++)
        sb_addf(&b, "%s%s %s", i ? sep : "", h[i].keys, h[i].word);
    return sb_take(&b);
}

/* The sections of the key list on the help screen. */
static const struct {
    unsigned ctx;
    const char *title;
} sections[] = {
    {C_ROW, "On the form"},
    {C_EDIT, "Editing a value"},
    {C_PICKER, "In a picker"},
    {C_LIST | C_LIST_EDIT, "In a list (filters, tags)"},
    {C_FILTERS, "In the filters list"},
    {C_TEMPLATES | C_TPL_FILL, "Filter templates"},
    {C_TESTER | C_TEST_PATH | C_PASTE | C_RESULT, "Filter tester"},
    {C_CHECKS, "In a checklist (metrics)"},
    {C_PREVIEW, "In the preview"},
    {C_PATH, "Export path"},
    {C_CONFIRM, "Questions"},
    {C_BUSY, "While discovery runs"},
    {C_TEXT | C_READ, "In a text dialog (the preset, the plan, aws's answer)"},
};

/* The kinds of rows, for keys that work on some of them only. */
static const struct {
    unsigned ctx;
    const char *name;
} row_kinds[] = {
    {C_ROW_NUM, "numbers, durations"}, {C_ROW_BOOL, "true/false"}, {C_ROW_ENUM, "choices"},
    {C_ROW_PICK, "names, ARNs"},       {C_ROW_LIST, "lists"},      {C_ROW_CHECKS, "checklists"},
};

/* "numbers, durations: " for a key that works on some kinds of rows only. */
static char *kind_prefix(unsigned ctx)
{
    if ((ctx & C_ROW) == C_ROW || !(ctx & C_ROW))
        return xstrdup("");
    strbuf b = {0};
    for (size_t i = 0; i < sizeof row_kinds / sizeof row_kinds[0]; i++)
        if (ctx & row_kinds[i].ctx)
            sb_addf(&b, "%s%s", b.len ? ", " : "", row_kinds[i].name);
    sb_add(&b, ": ");
    return sb_take(&b);
}

/* True when entry I never acts in the contexts of CTX: in each of them an
 * earlier entry takes its key. */
static bool shadowed(size_t i, unsigned ctx)
{
    unsigned bits = keys[i].ctx & ctx;
    for (unsigned b = 1; b && b <= bits; b <<= 1)
        if ((bits & b) && (keys[i].key == TK_CHAR || entry_of(b, keys[i].key) == i))
            return false;
    return true;
}

/* Call EACH for the keys of one section, keys with the same help joined:
 * ("Up, k", "previous field"). */
static void each_in_section(unsigned ctx, const char *section, tui_key_each_fn each, void *arg)
{
    bool used[sizeof keys / sizeof keys[0]] = {false};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (used[i] || !(keys[i].ctx & ctx) || shadowed(i, ctx))
            continue;
        strbuf names = {0};
        for (size_t j = i; j < sizeof keys / sizeof keys[0]; j++) {
            if (used[j] || !(keys[j].ctx & ctx) || keys[j].ctx != keys[i].ctx ||
                strcmp(keys[j].help, keys[i].help) != 0)
                continue;
            used[j] = true;
            sb_addf(&names, "%s%s", names.len ? ", " : "", keys[j].name);
        }
        char *s = sb_take(&names);
        char *kind = kind_prefix(keys[i].ctx & ctx);
        char *does = xasprintf("%s%s", kind, keys[i].help);
        each(arg, section, s, does);
        free(does);
        free(kind);
        free(s);
    }
}

void tui_keys_each(tui_key_each_fn each, void *arg)
{
    for (size_t s = 0; s < sizeof sections / sizeof sections[0]; s++)
        each_in_section(sections[s].ctx, sections[s].title, each, arg);
}

/* Where tui_key_help's lines go. */
typedef struct help_lines {
    char **lines;
    size_t n;
    const char *section; /* the last section titled */
} help_lines;

/* One key's help line, after its section's title when it starts one. */
static void add_help_line(void *arg, const char *section, const char *names, const char *does)
{
    help_lines *h = arg;
    h->lines = xrealloc(h->lines, (h->n + 3) * sizeof *h->lines);
    if (section != h->section) {
        h->lines[h->n++] = xstrdup("");
        h->lines[h->n++] = xstrdup(section);
        h->section = section;
    }
    h->lines[h->n++] = xasprintf("  %-26s %s", names, does);
}

char **tui_key_help(size_t *n)
{
    help_lines h = {0};
    tui_keys_each(add_help_line, &h);
    *n = h.n;
    return h.lines;
}
