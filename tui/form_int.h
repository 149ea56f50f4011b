/* Shared between the form's parts (form.c, form_pick.c, form_list.c,
 * form_export.c, form_view.c); not for drawing code. */
#ifndef ESMCFG_TUI_FORM_INT_H
#define ESMCFG_TUI_FORM_INT_H

#include "tui/form.h"

/* A message for the person until the next key. */
void form_status(form_state *st, form_msg_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Check TEXT as a value (or list item) of option ID as it is typed: the
 * problem, if any, goes to edit_err. */
void form_check_text(form_state *st, opt_id id, const char *text);
/* Forget the edit buffer's problem. */
void form_clear_err(form_state *st);
/* The next export format that applies to the mapping (F3). */
void form_next_format(form_state *st);
/* Open help over the current mode. */
void form_open_help(form_state *st);
/* Move focus to option ID. */
void form_focus_opt(form_state *st, opt_id id);

/* Pickers (form_pick.c). */
void form_picker_open(form_state *st, opt_id id, const char *query);
void form_picker_apply(form_state *st, form_action a, unsigned ch);
void form_picker_free(form_picker *pk);
/* The inventory changed under an open picker: filter again, keeping the
 * highlighted item when it is still listed. */
void form_picker_refilter(form_state *st);

/* List editor and checklist (form_list.c). */
void form_list_open(form_state *st, opt_id id);
void form_list_apply(form_state *st, form_action a, unsigned ch);
void form_list_edit_apply(form_state *st, form_action a, unsigned ch);
void form_checks_apply(form_state *st, form_action a);
/* True when the open list takes another item; else says why (status). */
bool form_list_has_room(form_state *st);
/* Add TEXT as a new item of the open list, as the editor's "add" does
 * (checked by the model, selected, preview and drafts updated); -1 with
 * *err when the model refuses it. */
int form_list_add(form_state *st, const char *text, char **err);

/* Filter templates (form_filter.c). */
void form_tpl_open(form_state *st);
void form_tpl_apply(form_state *st, form_action a, unsigned ch);
void form_tpl_fill_apply(form_state *st, form_action a, unsigned ch);
void form_tpl_free(form_tpl *t);

/* The filter tester (form_tester.c). */
void form_tester_open(form_state *st);
void form_tester_apply(form_state *st, form_action a, unsigned ch);
void form_tester_free(form_tester *t);

/* Export and quit (form_export.c). */
void form_export_start(form_state *st);
void form_path_apply(form_state *st, form_action a, unsigned ch);
void form_confirm_apply(form_state *st, form_action a);
void form_quit(form_state *st);

/* Drafts (form_draft.c): the restore question's keys and text, and freeing. */
void form_restore_apply(form_state *st, form_action a);
char *form_restore_text(const form_state *st);
void form_draft_free(form_state *st);

/* Applying to AWS (form_aws.c): free the plan. */
void form_aws_free(form_state *st);

/* Clamp S into [0, max(0, total - page)]. */
size_t form_clamp_scroll(size_t s, size_t total, size_t page);
/* Move *TOP for a scrolling action A (Up/Down a line, PgUp/PgDn a page
 * less a line, Home/End) over TOTAL lines shown PAGE at a time; false,
 * *TOP unchanged, for any other action. */
bool form_scroll(size_t *top, form_action a, size_t total, size_t page);
/* Move the highlight *SEL of a menu of N entries for A (Up/Down, Home/End);
 * false, *SEL unchanged, for any other action. */
bool form_menu_move(size_t *sel, form_action a, size_t n);
/* While the mapping has an error: say "Cannot WHAT yet: ..." with the first
 * error, go to its field and return true; false when there is none. */
bool form_refuse_invalid(form_state *st, const char *what);

/* Append TEXT to LINES wrapped at WIDTH columns, continuation lines
 * indented by INDENT (form_view.c). */
void form_wrap(const char *text, size_t width, size_t indent, char ***lines, size_t *n);

/* The first error of the mapping, or NULL (form_export.c). */
const diag *form_first_error(const form_state *st);

/* The option's value as the row shows it (with unit). Caller frees. */
char *form_value_text(const form_state *st, opt_id id);

#endif
