/* --help and --version, generated from the option table and the program
 * flags. */
#ifndef ESMCFG_CLI_HELP_H
#define ESMCFG_CLI_HELP_H

#include <stdio.h>

void cli_print_help(FILE *out);
void cli_print_version(FILE *out);

#endif
