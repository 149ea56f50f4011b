/* Dispatch after the mapping is built: the --batch export, or the screen. */
#include "cli/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/export.h"
#include "tui/tui.h"

/* Whether PATH means stdout: no -o, or "-o -". */
static bool is_stdout(const char *path)
{
    return !path || strcmp(path, "-") == 0;
}

/* Write DATA to stdout; CLI_EXIT_IO when that fails (a closed pipe, a full disk). */
static int write_stdout(const char *data, size_t len)
{
    if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
        perror("esmcfg: stdout");
        return CLI_EXIT_IO;
    }
    return CLI_EXIT_OK;
}

/* Write the document to -o FILE (atomically) or stdout. */
static int write_document(const char *path, const char *doc)
{
    if (is_stdout(path))
        return write_stdout(doc, strlen(doc));
    char *err = NULL;
    if (export_write_atomic(path, doc, strlen(doc), &err) == 0)
        return CLI_EXIT_OK;
    fprintf(stderr, "esmcfg: %s\n", err ? err : path);
    free(err);
    return CLI_EXIT_IO;
}

/* Validate, render, write. */
int cli_run_batch(const cli_args *a, const mapping *m, const cli_failures *fail)
{
    size_t errors = cli_report_validation(m, fail);
    if (errors > 0 || fail->any)
        return CLI_EXIT_INVALID;
    char *err = NULL;
    char *doc = export_render(m, a->format, &err);
    if (!doc) {
        fprintf(stderr, "esmcfg: %s\n", err ? err : "cannot render the export");
        free(err);
        return CLI_EXIT_INVALID;
    }
    int rc = write_document(a->output, doc);
    free(doc);
    return rc;
}

/* Hand the mapping to the screen. */
int cli_run_interactive(const cli_args *a, mapping *m, const inventory *inv)
{
    tui_options opts = {
        .output_path = a->output,
        .format = a->format,
        .focus = a->focus,
        .no_color = a->no_color,
        .inv = inv,
    };
    tui_result res = {0};
    int rc = tui_run(m, &opts, &res);
    if (res.document && rc == CLI_EXIT_OK)
        rc = write_stdout(res.document, strlen(res.document));
    free(res.document);
    return rc;
}
