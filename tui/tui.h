/* The interactive configurator. The only entry point the CLI uses; ncurses
 * stays inside tui/. */
#ifndef ESMCFG_TUI_TUI_H
#define ESMCFG_TUI_TUI_H

#include <stdbool.h>

#include "export/export.h"
#include "model/inventory.h"
#include "model/mapping.h"

typedef struct tui_options {
    const char *output_path; /* -o FILE; "-" means stdout; NULL: ask on export */
    export_format format;    /* --format: the preview's first format and the export's */
    const char *focus;       /* --focus OPTION name, or NULL */
    bool no_color;           /* --no-color (NO_COLOR is read by the TUI itself) */
    const inventory *inv;    /* pickers' items (may be empty) */
} tui_options;

typedef struct tui_result {
    char *document; /* when output_path is "-": the exported bytes for the CLI to
                       write to stdout after the screen is gone; caller frees */
} tui_result;

/* Run the screen on /dev/tty, editing M in place. Returns the exit code:
 * 0 exported, 1 quit without exporting, 4 no terminal or an I/O error
 * (message already printed to stderr). */
int tui_run(mapping *m, const tui_options *opts, tui_result *res);

#endif
