/* The command line of issue 9: --test-filter (Lambda's filtering on sample
 * records), --preset (a named set of values), --apply (create or update the
 * mapping through the AWS CLI, cli/apply.c). The model does the work
 * (model/filter_match.h, model/preset.h); these print and map results to
 * exit codes. */
#ifndef ESMCFG_CLI_BEYOND_H
#define ESMCFG_CLI_BEYOND_H

#include "cli/args.h"
#include "cli/setup.h"
#include "model/inventory.h"
#include "model/mapping.h"
#include "tui/tui.h"

/* Flags that do not go with --test-filter, --apply or --preset (e.g.
 * --check, --merge-into with --apply). CLI_EXIT_OK or CLI_EXIT_USAGE
 * (printed). */
int cli_beyond_combinations(const cli_args *a);

/* --test-filter RECORD: the mapping's filters (--filter, --load FILE) on
 * every record of RECORD (a record, a list, or an event {"Records": [...]};
 * "-": stdin), one line per filter and record on stdout, warnings and
 * invalid filters on stderr. Exit 0 when Lambda sends at least one record
 * to the function, 1 when it sends none, 2 when there is no filter, 3 when
 * a filter or the record file is invalid, 4 when it cannot be read. */
int cli_test_filter(const cli_args *a, const inventory *inv);

/* --preset NAME: its values on M, before the option flags (which
 * override them). */
int cli_apply_preset(const cli_args *a, mapping *m);

/* Headless with --preset: the option the preset needs the person to pick
 * ("--preset safe needs --on-failure ARN: ..."). CLI_EXIT_OK or
 * CLI_EXIT_INVALID (printed). */
int cli_check_preset(const cli_args *a, const mapping *m);

/* The name of the option --preset still needs the person to pick on M
 * (the screen opens on it), or NULL. */
const char *cli_preset_pick(const cli_args *a, const mapping *m);

/* --apply: validate M, show the plan on stderr, look for an existing
 * mapping of the same stream and function (aws lambda
 * list-event-source-mappings), then create it (or, when one exists and
 * --update-existing is given or the person agrees on the terminal, update
 * it) with aws lambda create-/update-event-source-mapping --cli-input-json;
 * aws's answer goes to stdout as it is. Exit 0 done (or nothing to change),
 * 1 the person declined, 3 invalid or a conflict not allowed to update,
 * 4 aws failed or could not be run (its message on stderr). */
int cli_run_apply(const cli_args *a, const mapping *m, const cli_failures *fail);

/* The screen's F7 (tui_apply_ops; CTX: the cli_args): --apply's plan for
 * M, as text for a dialog, and the run of its request with aws's answer.
 * Neither writes to stdout or stderr (the screen is on the terminal). */
void cli_apply_screen_plan(void *ctx, const mapping *m, tui_apply_plan *out);
bool cli_apply_screen_run(void *ctx, const tui_apply_plan *plan, char **answer);

#endif
