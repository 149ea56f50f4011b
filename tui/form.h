/* The configurator's state and everything that changes it, in plain C with
 * no terminal: the rows of the form, focus, the edit buffer, pickers, the
 * list editors, dialogs, help and the preview. Keys reach it as actions
 * (tui/keys.h); drawing (tui/draw*.c) only reads it. */
#ifndef ESMCFG_TUI_FORM_H
#define ESMCFG_TUI_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "export/export.h"
#include "model/filter_match.h"
#include "model/filter_template.h"
#include "model/inventory.h"
#include "model/mapping.h"
#include "model/util.h"
#include "tui/tui.h"

/* What a key asks for; the key table (tui/keys.c) maps keys to these. */
typedef enum {
    ACT_NONE,
    ACT_UP,        /* previous row / item / line */
    ACT_DOWN,      /* next row / item / line */
    ACT_PGUP,      /* a page up */
    ACT_PGDN,      /* a page down */
    ACT_HOME,      /* first row / start of the buffer */
    ACT_END,       /* last row / end of the buffer */
    ACT_LEFT,      /* cursor left / previous choice / scroll left */
    ACT_RIGHT,     /* cursor right / next choice / scroll right */
    ACT_EDIT,      /* edit the focused value or open its picker or list */
    ACT_TOGGLE,    /* flip a boolean, tick a choice */
    ACT_CHAR,      /* a typed character (ch) */
    ACT_BACKSPACE, /* delete before the cursor */
    ACT_DELETE,    /* delete at the cursor */
    ACT_CLEAR,     /* empty the buffer */
    ACT_COMMIT,    /* accept the edit / pick / answer the prompt */
    ACT_CANCEL,    /* drop the edit, close the dialog */
    ACT_RESET,     /* the focused option back to AWS's default */
    ACT_ADD,       /* list editor: a new item */
    ACT_REMOVE,    /* list editor: delete the item */
    ACT_YES,       /* confirm */
    ACT_NO,        /* refuse */
    ACT_EXPORT,    /* write the export */
    ACT_FORMAT,    /* next preview / export format */
    ACT_PANE,      /* switch between the form and the preview */
    ACT_HELP,      /* open or close help */
    ACT_QUIT,      /* leave (asking first when there are unexported changes) */
    ACT_DISCOVER,  /* find tables, functions, queues and topics with the AWS CLI */
    ACT_TEMPLATE,  /* filters: build one from a template */
    ACT_TEST,      /* filters: test them on a sample record */
    ACT_PRESET,    /* offer the safe preset's values */
    ACT_APPLY,     /* create or update the mapping in AWS with the AWS CLI */
    ACT_COUNT
} form_action;

/* Which screen or dialog has the keys. */
typedef enum {
    FM_FORM,        /* moving between rows */
    FM_EDIT,        /* editing a row's value in place */
    FM_PICKER,      /* a list to pick from, with a text field */
    FM_LIST,        /* the items of a list option (filters, tags) */
    FM_LIST_EDIT,   /* editing one item of the list */
    FM_CHECKS,      /* ticking choices of an enum list (metrics) */
    FM_PATH,        /* the export path prompt */
    FM_OVERWRITE,   /* "the file exists, overwrite?" */
    FM_QUIT,        /* "quit without exporting?" */
    FM_HELP,        /* the help screen */
    FM_PREVIEW,     /* the preview has the keys (scrolling) */
    FM_RESTORE,     /* "restore the unsaved mapping from <time>?" */
    FM_TEMPLATES,   /* filters: choosing a template */
    FM_TPL_FILL,    /* filters: filling the chosen template's parameters */
    FM_TESTER,      /* filters: choosing the record to test them on */
    FM_TEST_PATH,   /* filters: the path of a record file */
    FM_TEST_PASTE,  /* filters: a record pasted or typed, until it is complete JSON */
    FM_TEST_RESULT, /* filters: which of them match the record */
    FM_PRESET,      /* what the preset sets and why: apply it? */
    FM_AWS_PLAN,    /* what applying to AWS will do: do it? */
    FM_AWS_ANSWER,  /* the AWS CLI's answer, as it is */
    FM_COUNT
} form_mode;

/* A one-line text buffer, UTF-8, with a cursor (a byte offset). */
typedef struct tui_line {
    char *s; /* always NUL-terminated */
    size_t len, cap;
    size_t cur;
} tui_line;

void tui_line_set(tui_line *l, const char *text);
void tui_line_free(tui_line *l);
/* Apply an editing action (ACT_CHAR with CH, ACT_BACKSPACE, ACT_DELETE, ACT_LEFT,
 * ACT_RIGHT, ACT_HOME, ACT_END, ACT_CLEAR); returns true when the text changed. */
bool tui_line_apply(tui_line *l, form_action a, unsigned ch);

/* One line of the form: a group heading or an option's row. */
typedef struct form_line {
    const char *group; /* heading text, or NULL for a row */
    opt_id opt;        /* the row's option (OPT_COUNT for a heading) */
} form_line;

/* A picker's entry: an inventory item or one of an enum's choices. */
typedef struct form_picker {
    opt_id opt;
    bool choices;      /* entries are the option's choices, not inventory items */
    inv_kind kinds[4]; /* inventory kinds listed */
    size_t n_kinds;
    tui_line query; /* the text field: filters the list; Enter on it uses it as typed */
    size_t *match;  /* indexes of the entries that match the query */
    size_t n_match;
    long sel;   /* -1: the typed text; else an index into match */
    size_t top; /* first entry shown */
} form_picker;

typedef enum { MSG_INFO, MSG_OK, MSG_WARN, MSG_ERROR } form_msg_level;

/* How much of each part fits on the screen; the layout sets it. */
typedef struct form_viewport {
    bool wide;          /* form and preview side by side */
    bool group_column;  /* groups shown beside the rows, not as heading lines */
    size_t form_height; /* form lines shown */
    size_t preview_height, preview_width;
    size_t list_height;                 /* entries shown in a picker or list editor */
    size_t dialog_height, dialog_width; /* text lines and columns inside the largest dialog */
    size_t help_height, help_width;
    size_t text_height, text_width; /* a text dialog's lines (preset, plan, answer) */
} form_viewport;

/* Where picked items may come from, and how they are referred to. */
typedef struct form_sources {
    const char *merge_into;   /* --merge-into TEMPLATE, or NULL */
    const char *merge_source; /* its source string in the inventory, or NULL */
} form_sources;

/* Live discovery started from the screen (F5). */
typedef struct form_discovery {
    const tui_discover_ops *ops; /* NULL: not available */
    void *ctx;
    struct discovery *d; /* running, or NULL */
    char *progress;      /* "tables 12/40, ..." while running */
} form_discovery;

/* A dialog of text that scrolls, with a yes/no question under it or none
 * (FM_PRESET, FM_AWS_PLAN, FM_AWS_ANSWER). */
typedef struct form_textbox {
    char *title;
    char *text;     /* lines, safe to display (escaped where they came from AWS) */
    char *question; /* asked under the text, or NULL: just read it */
    size_t top;     /* first line shown */
    form_mode back; /* the mode it goes back to */
} form_textbox;

/* Applying the mapping to AWS from the screen (F7). The AWS CLI is asked
 * between frames: the screen draws "asking AWS..." first, then the main
 * loop calls form_aws_continue, which waits for aws. */
typedef enum { AWS_IDLE, AWS_WANT_PLAN, AWS_WANT_RUN } form_aws_step;
typedef struct form_aws {
    const tui_apply_ops *ops; /* NULL: not available */
    void *ctx;
    form_aws_step next;  /* what form_aws_continue does */
    tui_apply_plan plan; /* the plan shown (FM_AWS_PLAN) */
} form_aws;

/* Drafts: the mapping saved after each committed change (export/draft.h). */
typedef struct form_draft {
    bool on;          /* keep a draft */
    mapping *saved;   /* the mapping as last saved (or at start) */
    bool ours;        /* this session wrote the draft */
    bool failed;      /* the last save failed (said once) */
    mapping *offer;   /* FM_RESTORE: the draft offered */
    char *offer_when; /* FM_RESTORE: when it was saved, as text */
} form_draft;

/* The most parameters a filter template has. */
enum { FORM_TPL_PARAMS = 8 };

/* Filter templates (FM_TEMPLATES, FM_TPL_FILL). */
typedef struct form_tpl {
    size_t sel;                     /* the template highlighted or being filled */
    size_t param;                   /* FM_TPL_FILL: the parameter being typed */
    tui_line vals[FORM_TPL_PARAMS]; /* each parameter's text */
    size_t target;                  /* where it goes: 0 a new filter (OR), K filter K (AND) */
    char *condition;                /* what the values build, or NULL */
    char *pattern;                  /* the filter that results (the condition, or filter K
                                       with it), or NULL */
    char *err;                      /* why they build nothing, or why adding failed */
    bool refused;                   /* Enter was pressed while err */
    char *samples;                  /* how the pattern fares on the bundled samples */
} form_tpl;

/* The filter tester (FM_TESTER, FM_TEST_PATH, FM_TEST_PASTE, FM_TEST_RESULT). */
typedef struct form_tester {
    size_t sel;          /* FM_TESTER: the source highlighted */
    filter_records recs; /* the records tested */
    char *source;        /* where they came from ("the bundled INSERT sample", a path) */
    char *err;           /* why the last path or paste gave no records, or NULL */
    strbuf paste;        /* FM_TEST_PASTE: the text so far */
    size_t scanned;      /* how much of it the completeness scan has read */
    size_t depth;        /* open brackets and braces at that point */
    bool started, in_string, escaped;
    size_t top; /* FM_TEST_RESULT: first line shown */
} form_tester;

typedef struct form_state {
    mapping *m;     /* edited in place; owned by the caller */
    inventory *inv; /* may be NULL; discovery adds to it */
    form_sources src;
    form_discovery disc;
    form_aws aws;
    form_textbox box; /* FM_PRESET, FM_AWS_PLAN, FM_AWS_ANSWER */
    form_draft draft;
    mapping *baseline; /* the mapping at start or at the last export */
    form_mode mode;
    form_mode help_return; /* the mode help goes back to */
    form_mode back;        /* the mode the export and quit questions go back to */

    form_line lines[2 * OPT_COUNT];
    size_t n_lines;
    opt_id rows[OPT_COUNT]; /* options in form order */
    size_t focus;           /* index into rows */
    size_t form_top;        /* first form line shown */

    tui_line edit;     /* FM_EDIT, FM_LIST_EDIT, FM_PATH */
    char *edit_err;    /* what is wrong with the buffer, or NULL */
    bool edit_refused; /* Enter was pressed on an invalid buffer */

    form_picker pk;
    size_t list_sel; /* FM_LIST: item, n_items is the "add" line; FM_CHECKS: choice */
    size_t list_top;
    size_t list_editing; /* item being edited (n_items: a new one) */

    diag_list diags; /* of the committed mapping */
    export_format fmt;
    char *preview;   /* the export, or what must be fixed first */
    bool preview_ok; /* preview holds the document */
    size_t preview_lines;
    size_t preview_maxw; /* widest preview line, in columns */
    size_t preview_top, preview_left;
    bool show_preview; /* narrow layout: the preview is the pane shown */

    form_tpl tpl;
    form_tester test;

    size_t help_top;
    form_viewport vp; /* what fits on the screen (set by the layout) */

    char *status; /* a message for the person, until the next key */
    form_msg_level status_level;

    const char *output_path; /* -o, or NULL: ask */
    char *export_path;       /* the path waiting for the overwrite answer */
    char *last_path;         /* where the last export went */
    bool exported;           /* at least one export (or apply to AWS) happened */
    bool applied;            /* the last of them was an apply to AWS */
    char *document;          /* the export for stdout ("-"), caller takes it */

    bool done; /* leave the main loop */
    int exit_code;
} form_state;

/* Set up ST for M; FOCUS is an option's CLI name or NULL. */
void form_init(form_state *st, mapping *m, inventory *inv, export_format fmt,
               const char *output_path, const char *focus);
void form_free(form_state *st);

/* Template references (--merge-into): pickers refer to a template item by
 * its logical ID only when it comes from MERGE_SOURCE (all template items
 * when MERGE_INTO is NULL). */
void form_set_sources(form_state *st, const char *merge_into, const char *merge_source);
/* Whether picking IT records its template reference. */
bool form_use_ref(const form_state *st, const inv_item *it);

/* Discovery from the screen (form_discover.c). OPS NULL: F5 says it is
 * not available. */
void form_discover_setup(form_state *st, const tui_discover_ops *ops, void *ctx);
/* True while discovery runs: the main loop then calls form_discover_tick
 * between keys (and waits for keys at most ~100 ms). */
bool form_discover_running(const form_state *st);
/* Let discovery read what aws wrote (no wait); when it is over, add the
 * results to the inventory and say what happened. True when the screen
 * changed. */
bool form_discover_tick(form_state *st);
/* Start (ACT_DISCOVER) and stop (Esc) it. */
void form_discover_start(form_state *st);
void form_discover_stop(form_state *st);

/* Presets (form_preset.c): ACT_PRESET opens FM_PRESET; y sets the values
 * as a committed edit does and moves to the option the person must pick. */
void form_preset_open(form_state *st);
void form_preset_apply(form_state *st, form_action a);

/* Applying to AWS (form_aws.c). OPS NULL: F7 says it is not available. */
void form_aws_setup(form_state *st, const tui_apply_ops *ops, void *ctx);
/* ACT_APPLY: refused with the reason while the mapping is invalid; else
 * "asking AWS..." and the plan is asked for by form_aws_continue. */
void form_aws_start(form_state *st);
/* True when aws must be asked before the next key (the main loop draws
 * the frame first, as the call waits). */
bool form_aws_waiting(const form_state *st);
/* Ask aws what form_aws_start or y in the plan wants: the plan, or the
 * run and its answer. Waits for aws (at most its timeout). */
void form_aws_continue(form_state *st);
/* Keys in FM_AWS_PLAN and FM_AWS_ANSWER. */
void form_aws_apply(form_state *st, form_action a);

/* Text dialogs (form_textbox.c). Open one over the form in MODE; TEXT,
 * QUESTION are taken (QUESTION may be NULL). */
void form_textbox_open(form_state *st, form_mode mode, const char *title, char *text,
                       char *question);
void form_textbox_close(form_state *st);
/* Scroll keys; false when A is not one. */
bool form_textbox_scroll(form_state *st, form_action a);
/* The text wrapped to the dialog's width. Free with form_lines_free. */
char **form_textbox_lines(const form_state *st, size_t *n);
/* Lines of text shown at once (the question takes two). */
size_t form_textbox_page(const form_state *st);

/* Drafts (form_draft.c). Turn drafts on: from now on each committed change
 * is saved (export/draft.h); a draft left by an earlier run is offered
 * (FM_RESTORE) unless RESTORED: the command line's --restore put it in M
 * already. */
void form_draft_start(form_state *st, bool restored);
/* After each action: save the mapping when it changed since the last save. */
void form_draft_after(form_state *st);
/* After a successful export: the draft is no longer needed. */
void form_draft_exported(form_state *st);
/* The person quit without exporting, after saying so: this session's draft goes. */
void form_draft_discarded(form_state *st);

/* Change the state for action A (CH: the character for ACT_CHAR). */
void form_apply(form_state *st, form_action a, unsigned ch);

/* The layout tells the state how much fits; scroll positions are kept valid. */
void form_set_viewport(form_state *st, const form_viewport *vp);

/* The focused option. */
opt_id form_focused(const form_state *st);
/* True when option ID cannot be changed: an existing mapping's immutable option. */
bool form_read_only(const form_state *st, opt_id id);
/* True when the mapping differs from the last export (or the start). */
bool form_dirty(const form_state *st);

/* What a row shows. Strings are allocated; form_row_view_free frees them. */
typedef struct form_row_view {
    const char *label;
    char *value;        /* with unit; the edit buffer while editing */
    bool is_default;    /* left at AWS's default */
    bool read_only;     /* cannot be changed (an existing mapping's immutable option) */
    bool editing;       /* value is the edit buffer (cursor: edit.cur) */
    char *problem;      /* what is wrong, with what is allowed, or NULL */
    char *allowed;      /* while editing with a problem: what is allowed, the short form */
    bool problem_error; /* an error (else a warning) */
} form_row_view;

void form_row_view_get(const form_state *st, opt_id id, form_row_view *out);
void form_row_view_free(form_row_view *v);

/* The message line: status, the edit's problem, the focused row's problem,
 * or the focused option's help and range. Caller frees. */
char *form_message(const form_state *st, form_msg_level *level);
/* What is wrong with the text being typed ("Not saved: ..." after Enter),
 * or NULL. Caller frees. */
char *form_edit_problem(const form_state *st);
/* The focused option's one-line help and what it allows. Caller frees. */
char *form_help_line(const form_state *st);
/* The title: "orders -> process-orders". Caller frees. */
char *form_title(const form_state *st);

/* A picker entry's columns, tab-separated: "orders\ton\tNEW_IMAGE\tus-east-1";
 * UNUSABLE: it cannot be picked (a table without a stream). Caller frees. */
char *form_picker_entry(const form_state *st, size_t match_idx, bool *unusable);
/* The column names of the picker's entries, tab-separated, or NULL. Caller frees. */
char *form_picker_header(const form_state *st);
/* The picker's heading ("Pick a table") and the problem with the typed text. */
char *form_picker_title(const form_state *st);
/* How important each picker column is (0: never dropped; higher numbers
 * are dropped first when the columns do not fit). Returns the count. */
size_t form_picker_priorities(const form_state *st, int *prio, size_t max);
/* What is known about the highlighted entry, for the lines under the list
 * (its ARN, template and logical ID, stream, role): NULL when none. */
char *form_picker_detail(const form_state *st);
/* The list editor's line I (an item), or the "add" line when I == n_items. */
char *form_list_entry(const form_state *st, size_t i);
size_t form_list_count(const form_state *st);
/* What the list editor says under the items: for filters, how Lambda
 * combines them ("A record is sent when filter 1 OR filter 2 matches; the
 * fields inside one filter must all match (AND)."); NULL for other lists.
 * Caller frees. */
char *form_list_note(const form_state *st);
/* The mark of item I: '!' a problem, '~' a warning, ' ' none. */
char form_list_mark(const form_state *st, size_t i);

/* Filter templates (form_filter.c): the template highlighted or being
 * filled, and its parameter I's value as shown (escaped; one of choices
 * as "< S >"). Caller frees. */
const filter_tpl *form_tpl_chosen(const form_state *st);
char *form_tpl_value_text(const form_state *st, size_t i);
/* The rows of the template being filled: its parameters, then "Add to"
 * (a new filter, ORed with the others, or an existing one, ANDed). */
size_t form_tpl_rows(const form_state *st);
const char *form_tpl_row_label(const form_state *st, size_t i);
/* Row I's one-line help, and its choices as a hint ("Left/Right or a
 * letter: INSERT MODIFY REMOVE ..."), NULL for free text. Caller frees. */
char *form_tpl_row_help(const form_state *st, size_t i);
char *form_tpl_row_choices(const form_state *st, size_t i);
/* The line above the pattern: "New filter 3 (ORed with the others):" or
 * "Filter 2 becomes (its fields must all match):". Caller frees. */
char *form_tpl_result_label(const form_state *st);
/* The problem with the values ("Not added: " after Enter), or NULL. Caller frees. */
char *form_tpl_problem(const form_state *st);

/* The filter tester (form_tester.c). Source I of the tester's menu
 * ("Bundled sample: INSERT, keys id=\"o-1001\"  -> sent", "Load a record file ...",
 * "Paste a record ..."); their count. Caller frees. */
char *form_tester_source(const form_state *st, size_t i);
size_t form_tester_sources(const form_state *st);
/* A line of text with how it is shown. */
typedef struct form_text {
    char *text;
    form_msg_level level; /* MSG_OK: a match, MSG_WARN / MSG_ERROR: no match, invalid */
    bool heading;
} form_text;
/* The tester's results wrapped to WIDTH: per record, what it is, whether
 * Lambda sends it to the function, and each filter's verdict with why it
 * did not match. */
form_text *form_tester_lines(const form_state *st, size_t width, size_t *n);
void form_texts_free(form_text *t, size_t n);
/* The paste area's last MAX lines (escaped; the last one is being typed)
 * and the line count of the whole text. Caller frees each and the array. */
char **form_tester_paste_lines(const form_state *st, size_t max, size_t *n, size_t *total);

/* The help text for the focused option and the keys, as lines wrapped to WIDTH. */
char **form_help_lines(const form_state *st, size_t width, size_t *n);
void form_lines_free(char **lines, size_t n);

/* The question a dialog asks (FM_PATH, FM_OVERWRITE, FM_QUIT). Caller frees. */
char *form_dialog_text(const form_state *st);
/* The warnings the export dialog shows (the export works; they say what
 * will not), "1 warning: Filters: filter 2: ..." with each one's option and
 * item; NULL when there are none. Caller frees. */
char *form_export_warnings(const form_state *st);

/* Re-check and re-render after the mapping changed. */
void form_changed(form_state *st);

/* Display width in columns of UTF-8 text S (invalid bytes count 1). */
size_t tui_text_width(const char *s);

#endif
