/* esmcfg: configure an AWS Lambda event source mapping that reads a
 * DynamoDB stream, on screen or headless (--batch). main only parses,
 * builds the mapping and dispatches. */
#include <signal.h>
#include <stdio.h>

#include "cli/args.h"
#include "cli/beyond.h"
#include "cli/check.h"
#include "cli/discover.h"
#include "cli/help.h"
#include "cli/listopts.h"
#include "cli/restore.h"
#include "cli/run.h"
#include "cli/setup.h"
#include "model/inventory.h"
#include "model/mapping.h"

/* --help / --version on stdout. */
static int print_info(const cli_args *a)
{
    if (a->help)
        cli_print_help(stdout);
    else
        cli_print_version(stdout);
    if (fflush(stdout) != 0) {
        perror("esmcfg: stdout");
        return CLI_EXIT_IO;
    }
    return CLI_EXIT_OK;
}

/* Whether M validates without errors (the batch export will be written). */
static bool mapping_ok(const mapping *m)
{
    diag_list l = {0};
    mapping_validate(m, &l);
    bool ok = diag_count(&l, DIAG_ERROR) == 0;
    diag_list_free(&l);
    return ok;
}

/* Fill M from the flags, then run headless or on screen. With --batch,
 * --save-inventory writes only when the export will be written too. */
static int build_and_run(const cli_args *a, const inventory *inv, mapping *m)
{
    cli_failures fail;
    int rc = a->load      ? cli_load_mapping(a, inv, m)
             : a->restore ? cli_restore_draft(a, m)
                          : CLI_EXIT_OK;
    if (rc != CLI_EXIT_OK)
        return rc;
    rc = cli_apply_preset(a, m); /* before the flags, which override it */
    if (rc != CLI_EXIT_OK)
        return rc;
    rc = cli_fill_mapping(a, inv, m, &fail);
    if (a->batch && a->save_inventory && rc == CLI_EXIT_OK && mapping_ok(m) &&
        cli_save_inventory(a, inv) != CLI_EXIT_OK)
        return CLI_EXIT_IO;
    if (a->apply)
        return cli_run_apply(a, m, &fail); /* headless: the plan, then the AWS CLI */
    if (a->batch && cli_check_preset(a, m) != CLI_EXIT_OK) {
        if (!mapping_ok(m) || fail.any) /* the other errors too, not the warnings */
            cli_report_validation(m, &fail);
        return CLI_EXIT_INVALID;
    }
    if (a->batch) {
        rc = cli_run_batch(a, m, &fail); /* also reports validation after value errors */
    } else if (rc == CLI_EXIT_OK) {
        cli_args b = *a; /* a preset's missing pick: open the screen on it */
        if (!b.focus)
            b.focus = cli_preset_pick(a, m);
        rc = cli_run_interactive(&b, m, inv);
    }
    /* The screen's draft is this session's; a batch run's only with --restore. */
    if (rc == CLI_EXIT_OK && (!a->batch || a->restore))
        cli_clear_draft();
    return rc;
}

/* --save-inventory needs something to save. */
static int check_save(const cli_args *a)
{
    if (!a->save_inventory || a->discover || a->n_inventories > 0)
        return CLI_EXIT_OK;
    fputs("esmcfg: --save-inventory: nothing to save: add --discover or --inventory FILE\n",
          stderr);
    return CLI_EXIT_USAGE;
}

/* --discover: a failed call is exit 4 headless (--batch, --save-inventory);
 * before the screen it is not, as names can still be typed there. */
static int discover(const cli_args *a, inventory *inv)
{
    int rc = cli_discover(a, inv);
    return a->batch || a->save_inventory ? rc : CLI_EXIT_OK;
}

/* After the inventories: save them and stop (--save-inventory without
 * --batch), or build the mapping and run. */
static int after_inventory(const cli_args *a, inventory *inv, mapping *m)
{
    int rc = a->discover ? discover(a, inv) : CLI_EXIT_OK;
    if (rc != CLI_EXIT_OK)
        return rc;
    if (a->save_inventory && !a->batch)
        return cli_save_inventory(a, inv);
    return build_and_run(a, inv, m);
}

/* Load the inventories, then build and run. */
static int dispatch(const cli_args *a)
{
    if (a->help || a->version)
        return print_info(a);
    if (a->list_options)
        return cli_list_options(stdout);
    int rc = cli_check_combinations(a);
    if (rc == CLI_EXIT_OK)
        rc = check_save(a);
    if (rc == CLI_EXIT_OK)
        rc = cli_beyond_combinations(a);
    if (rc != CLI_EXIT_OK)
        return rc;
    inventory inv;
    inventory_init(&inv);
    mapping *m = mapping_new();
    rc = cli_load_inventories(a, &inv);
    if (rc == CLI_EXIT_OK)
        rc = a->check         ? cli_check_file(a, &inv)
             : a->test_filter ? cli_test_filter(a, &inv)
                              : after_inventory(a, &inv, m);
    mapping_free(m);
    inventory_free(&inv);
    return rc;
}

int main(int argc, char **argv)
{
    /* Past a file size limit (ulimit -f) write(2) then fails with EFBIG, and
       the export says so and leaves the old file, instead of being killed
       halfway with a temporary left behind. */
    signal(SIGXFSZ, SIG_IGN);
    cli_args a;
    int rc = cli_args_parse(argc, argv, &a);
    if (rc == CLI_EXIT_OK)
        rc = dispatch(&a);
    cli_args_free(&a);
    return rc;
}
