/* The two ways esmcfg runs once the mapping is built: headless (--batch)
 * and on screen. */
#ifndef ESMCFG_CLI_RUN_H
#define ESMCFG_CLI_RUN_H

#include "cli/args.h"
#include "cli/setup.h"
#include "model/inventory.h"
#include "model/mapping.h"

/* --batch: validate M (quiet about options in FAIL, which already failed),
 * render it in --format and write it to -o FILE or stdout. Returns the exit
 * code; nothing is written unless it is CLI_EXIT_OK. */
int cli_run_batch(const cli_args *a, const mapping *m, const cli_failures *fail);

/* The screen, pre-filled with M; prints a document the screen hands back to
 * stdout. Returns the screen's exit code (or CLI_EXIT_IO). */
int cli_run_interactive(const cli_args *a, mapping *m, const inventory *inv);

#endif
