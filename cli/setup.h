/* From parsed arguments to a mapping: load the inventories, then set every
 * option flag's value through the model's parsers, resolving table and
 * function names through the inventory. Every problem is printed to stderr
 * as "esmcfg: --OPTION: message". */
#ifndef ESMCFG_CLI_SETUP_H
#define ESMCFG_CLI_SETUP_H

#include <stdbool.h>

#include "cli/args.h"
#include "model/inventory.h"
#include "model/mapping.h"

/* Which values could not be set; validation stays quiet about those. */
typedef struct cli_failures {
    bool opt[OPT_COUNT];
    bool any;
} cli_failures;

/* Load every --inventory file into INV. Returns CLI_EXIT_OK, CLI_EXIT_IO
 * when a file cannot be read, or CLI_EXIT_INVALID when one is not a valid
 * inventory (I/O wins when both happen). */
int cli_load_inventories(const cli_args *a, inventory *inv);

/* Set every option flag, --function-role and --logical-id on M, reporting
 * all value errors, not just the first. Returns CLI_EXIT_OK or
 * CLI_EXIT_INVALID; FAIL says which options failed. */
int cli_fill_mapping(const cli_args *a, const inventory *inv, mapping *m, cli_failures *fail);

/* Print M's validation errors ("esmcfg: --OPTION: ..."), except those about
 * options in FAIL; when there are none (and FAIL is empty) print the
 * warnings ("esmcfg: warning: ..."). Returns how many errors were printed. */
size_t cli_report_validation(const mapping *m, const cli_failures *fail);

#endif
