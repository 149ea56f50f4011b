/* Coming back to a mapping from the command line: --load FILE (read the
 * mapping the flags then override), --check FILE (validate a file as
 * esmcfg would export it), and the usage rules of these flags and of
 * --output-fd. Every problem in a file is printed with where it is:
 * "esmcfg: FILE:LINE: PATH: message". */
#ifndef ESMCFG_CLI_CHECK_H
#define ESMCFG_CLI_CHECK_H

#include "cli/args.h"
#include "export/load.h"
#include "model/inventory.h"
#include "model/mapping.h"

/* Usage errors in how flags combine (--uuid or --unset without --load, -o
 * with --output-fd, --check with option flags) and an --output-fd that is
 * not open for writing. Returns CLI_EXIT_OK or CLI_EXIT_USAGE (printed). */
int cli_check_combinations(const cli_args *a);

/* --load FILE into M (new), then --unset and the repeatable lists given as
 * flags cleared, so that the flags override what was loaded. Returns
 * CLI_EXIT_OK, CLI_EXIT_IO (unreadable), CLI_EXIT_INVALID (each problem
 * printed) or CLI_EXIT_USAGE (several mappings: pick one with --uuid or
 * --logical-id). */
int cli_load_mapping(const cli_args *a, const inventory *inv, mapping *m);

/* After --load or --restore: --unset options back to AWS's default, and a
 * repeatable list given as flags replaces the loaded one. */
void cli_clear_overridden(const cli_args *a, mapping *m);

/* --check FILE: every problem printed; CLI_EXIT_OK when there is no error,
 * CLI_EXIT_INVALID when there is one, CLI_EXIT_IO when FILE is unreadable. */
int cli_check_file(const cli_args *a, const inventory *inv);

/* --format update-json: print why M cannot be written as an update
 * request ("esmcfg: --table: a mapping's stream cannot be changed: create a
 * new mapping"), every reason. Returns how many were printed. */
size_t cli_report_update(const mapping *m);

/* Print R's problems ("esmcfg: [warning: ]SOURCE:LINE: PATH: message"). */
void cli_print_load_report(const load_report *r, const char *source);

#endif
