/* esmcfg: configure an AWS Lambda event source mapping that reads a
 * DynamoDB stream, on screen or headless (--batch). main only parses,
 * builds the mapping and dispatches. */
#include <stdio.h>

#include "cli/args.h"
#include "cli/help.h"
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

/* Fill M from the flags, then run headless or on screen. */
static int build_and_run(const cli_args *a, const inventory *inv, mapping *m)
{
    cli_failures fail;
    int rc = cli_fill_mapping(a, inv, m, &fail);
    if (a->batch)
        return cli_run_batch(a, m, &fail); /* also reports validation after value errors */
    return rc == CLI_EXIT_OK ? cli_run_interactive(a, m, inv) : rc;
}

/* Load the inventories, then build and run. */
static int dispatch(const cli_args *a)
{
    if (a->help || a->version)
        return print_info(a);
    inventory inv;
    inventory_init(&inv);
    mapping *m = mapping_new();
    int rc = cli_load_inventories(a, &inv);
    if (rc == CLI_EXIT_OK)
        rc = build_and_run(a, &inv, m);
    mapping_free(m);
    inventory_free(&inv);
    return rc;
}

int main(int argc, char **argv)
{
    cli_args a;
    int rc = cli_args_parse(argc, argv, &a);
    if (rc == CLI_EXIT_OK)
        rc = dispatch(&a);
    cli_args_free(&a);
    return rc;
}
