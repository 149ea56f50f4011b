/* --list-options: the option table, the program flags and the export
 * formats as one JSON document, for scripts and for the generated man page
 * and bash completion (scripts/gendocs.py). */
#ifndef ESMCFG_CLI_LISTOPTS_H
#define ESMCFG_CLI_LISTOPTS_H

#include <stdio.h>

/* Print the document to OUT. Returns CLI_EXIT_OK, or CLI_EXIT_IO when it
 * cannot be written. */
int cli_list_options(FILE *out);

#endif
