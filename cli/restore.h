/* Drafts from the command line: --restore starts from the draft an
 * interrupted session left, and a successful export removes it. The screen
 * saves the draft while a person edits and offers to restore it itself. */
#ifndef ESMCFG_CLI_RESTORE_H
#define ESMCFG_CLI_RESTORE_H

#include "cli/args.h"
#include "model/mapping.h"

/* --restore: read the draft into M (new), then --unset and the repeatable
 * lists given as flags cleared, so that the flags override the draft as
 * they do a --load. Returns CLI_EXIT_OK, CLI_EXIT_IO when there is no
 * draft or it cannot be read, CLI_EXIT_INVALID when it holds an invalid
 * value (printed: "esmcfg: --restore: PATH: options.batch-size: ..."). */
int cli_restore_draft(const cli_args *a, mapping *m);

/* After a successful export: remove the draft. A failure is only a
 * warning (the export is written). */
void cli_clear_draft(void);

#endif
