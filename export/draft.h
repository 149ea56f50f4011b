/* Drafts: the mapping being edited, kept on disk so that a dropped SSH
 * link, a closed terminal or a kill loses nothing. The draft lives in
 * $XDG_STATE_HOME/esmcfg/draft.json (default ~/.local/state/esmcfg/),
 * mode 0600 in a folder created 0700, always written atomically (a
 * temporary in the same folder, fsync, rename).
 *
 * The draft is a small JSON document of esmcfg's own, not an export: a
 * mapping being edited may be invalid, which no export can hold. It keeps
 * every set option as the text its parser accepts back (lists as one text
 * per item) and what lies around the mapping (the table name, the
 * function's role, the template references, the logical ID, an existing
 * mapping's UUID and the mapping as loaded). Restoring sends every value
 * through mapping_set again, so a hand-edited or damaged draft can never
 * put an unchecked value into a mapping.
 *
 *   {"esmcfg_draft": 1, "saved_at": 1718000000,
 *    "options": {"batch-size": "500", "filter": ["{\"a\":[1]}"], ...},  (CLI names)
 *    "context": {"table_name": "orders", "function_role": "arn:...", ...},
 *    "original": {"options": {...}, "context": {...}}}      (updates only)
 *
 * How the screen uses it:
 *   start      draft_load(); when it returns 1, offer to restore (--restore:
 *              restore without asking).
 *   each committed change
 *              draft_save(m, &err): writes the file now and arms the signal
 *              save with the same text.
 *   SIGHUP / SIGTERM handler
 *              draft_signal_save(): async-signal-safe (only open, write,
 *              fsync, close, rename on a buffer and paths made earlier by
 *              draft_save / draft_prepare); then restore the terminal and
 *              re-raise.
 *   export done
 *              draft_clear(&err): removes the file and disarms the signal
 *              save.
 *
 * Every function returning int returns -1 with *err ("PATH: reason",
 * allocated) on failure; ERR may be NULL. */
#ifndef ESMCFG_EXPORT_DRAFT_H
#define ESMCFG_EXPORT_DRAFT_H

#include <stddef.h>
#include <time.h>

#include "model/mapping.h"

/* Largest draft file read back, in bytes. */
#define DRAFT_MAX_BYTES (4u * 1024u * 1024u)

/* The draft's path: $XDG_STATE_HOME/esmcfg/draft.json when XDG_STATE_HOME
 * is an absolute path, else $HOME/.local/state/esmcfg/draft.json. NULL when
 * neither is usable (no HOME): drafts are then off. Caller frees. */
char *draft_path(void);

/* The draft document for M, stamped SAVED_AT. Caller frees. */
char *draft_render(const mapping *m, time_t saved_at);

/* Read a draft document into M (a new, empty mapping). Returns 0, or -1
 * with *err naming what is wrong ("options.batch-size: 0 is out of range
 * (1..10000, default 100)"); M may then hold part of the draft, so the
 * caller frees it. *SAVED_AT (when not NULL) gets the stamp, 0 if none. */
int draft_parse(const char *text, size_t len, mapping *m, time_t *saved_at, char **err);

/* Save M as the draft now (the folder created 0700 when missing, the file
 * 0600, atomically) and arm the signal save with the same text. 0, or -1
 * with *err; the previous draft is then untouched. */
int draft_save(const mapping *m, char **err);

/* Render M's draft and arm the signal save with it, without writing the
 * file: the folder is created and the paths worked out here, so that the
 * handler has nothing left to compute. draft_save calls this. 0, or -1 with
 * *err when there is no usable draft path. */
int draft_prepare(const mapping *m, char **err);

/* Forget the armed text: draft_signal_save then does nothing. */
void draft_disarm(void);

/* From a signal handler: write the text armed by the last draft_save or
 * draft_prepare to a fixed temporary beside the draft, fsync it and rename
 * it over the draft. Async-signal-safe: no allocation, no stdio, errno kept.
 * Returns 0, 1 when nothing is armed, -1 when writing failed (the old draft
 * then stays). Call it with the other signals blocked (sa_mask), so that
 * two handlers never run it at once. */
int draft_signal_save(void);

/* What draft_load returns: test "< 0" for any error. */
enum {
    DRAFT_LOADED = 1,      /* a draft was read into M */
    DRAFT_NONE = 0,        /* there is none (or no draft path) */
    DRAFT_UNREADABLE = -1, /* it cannot be read ("PATH: Permission denied") */
    DRAFT_INVALID = -2     /* it is damaged or holds an invalid value
                              ("PATH: options.batch-size: 0 is out of range ...") */
};

/* Load the draft into M (a new, empty mapping): one of the DRAFT_ values
 * above, *err set on an error (M may then hold part of the draft: free it).
 * *SAVED_AT (when not NULL) gets when it was saved. */
int draft_load(mapping *m, time_t *saved_at, char **err);

/* Remove the draft (a missing draft is fine) and disarm the signal save. */
int draft_clear(char **err);

#endif
