/* Dispatch after the mapping is built: the --batch export, or the screen. */
#include "cli/run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/beyond.h"
#include "cli/check.h"
#include "cli/discover.h"
#include "export/export.h"
#include "export/merge.h"
#include "export/yaml_read.h"
#include "model/util.h"
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

/* Write DATA to file descriptor FD (--output-fd), all of it. */
static int write_fd(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            fprintf(stderr, "esmcfg: --output-fd %d: %s\n", fd, strerror(n < 0 ? errno : EIO));
            return CLI_EXIT_IO;
        }
        data += n;
        len -= (size_t)n;
    }
    return CLI_EXIT_OK;
}

/* Write the document to --output-fd N, -o FILE or stdout. */
static int write_export(const cli_args *a, const char *doc)
{
    if (a->output_fd >= 0)
        return write_fd(a->output_fd, doc, strlen(doc));
    return write_document(a->output, doc);
}

/* The --merge-into template's text, or NULL (CLI_EXIT_IO in *RC) when it
 * cannot be read. */
static char *read_template(const char *path, size_t *len, int *rc)
{
    char *err = NULL;
    char *text = file_read_all(path, EXPORT_YAML_MAX_BYTES, len, &err);
    if (!text) {
        char *shown = str_escape_display(err ? err : path); /* the path as given */
        fprintf(stderr, "esmcfg: --merge-into: %s\n", shown);
        free(shown);
        *rc = CLI_EXIT_IO;
    }
    free(err);
    return text;
}

/* The document to write: M in --format, or the --merge-into template with
 * M's resources added; NULL (message printed, *RC set) when it cannot be. */
static char *build_document(const cli_args *a, const mapping *m, int *rc)
{
    char *err = NULL, *doc = NULL;
    size_t len = 0;
    if (!a->merge_into) {
        doc = export_render(m, a->format, &err);
    } else {
        char *text = read_template(a->merge_into, &len, rc);
        if (!text)
            return NULL;
        doc = export_merge(m, text, len, a->merge_into, &err);
        free(text);
    }
    if (!doc) {
        fprintf(stderr, "esmcfg: %s%s\n", a->merge_into ? "--merge-into: " : "",
                err ? err : "cannot render the export");
        *rc = CLI_EXIT_INVALID;
    }
    free(err);
    return doc;
}

/* Validate, render (or merge), write. */
int cli_run_batch(const cli_args *a, const mapping *m, const cli_failures *fail)
{
    size_t errors = cli_report_validation(m, fail);
    if (errors > 0 || fail->any)
        return CLI_EXIT_INVALID;
    if (a->format == FMT_UPDATE_JSON && !a->merge_into && cli_report_update(m) > 0)
        return CLI_EXIT_INVALID;
    int rc = CLI_EXIT_OK;
    char *doc = build_document(a, m, &rc);
    if (!doc)
        return rc;
    rc = write_export(a, doc);
    free(doc);
    return rc;
}

/* With --merge-into, the screen previews and exports the template's own
 * format and hands its document back: the merge is written afterwards.
 * CLI_EXIT_IO when the template cannot be read (before the screen opens). */
static int merge_options(const cli_args *a, tui_options *opts)
{
    if (!a->merge_into)
        return CLI_EXIT_OK;
    int rc = CLI_EXIT_OK;
    size_t len = 0;
    char *text = read_template(a->merge_into, &len, &rc);
    if (text)
        opts->format = export_merge_format(text, len);
    opts->output_path = "-";
    free(text);
    return rc;
}

/* The screen's F5: discovery with --profile / --region (CTX: the cli_args). */
static discovery *screen_discover_start(void *ctx, char **err)
{
    const cli_args *a = ctx;
    discover_opts o = {.profile = a->profile, .region = a->region};
    return discover_start(&o, err);
}

static const tui_discover_ops screen_discover = {
    .start = screen_discover_start,
    .step = discover_step,
    .status = discover_status_text,
    .cancel = discover_cancel,
    .apply = discover_apply,
    .report = discover_report,
    .free = discover_free,
};

/* The screen's F7: --apply's plan and run (CTX: the cli_args). */
static const tui_apply_ops screen_apply = {
    .plan = cli_apply_screen_plan,
    .run = cli_apply_screen_run,
};

/* The inventory's source string for the file at PATH (--merge-into), or NULL. */
static const char *source_of(const inventory *inv, const char *path)
{
    struct stat want, got;
    if (!path || stat(path, &want) != 0)
        return NULL;
    for (size_t i = 0; i < inv->n_sources; i++)
        if (stat(inv->sources[i], &got) == 0 && got.st_dev == want.st_dev &&
            got.st_ino == want.st_ino)
            return inv->sources[i];
    return NULL;
}

/* Hand the mapping to the screen. */
int cli_run_interactive(const cli_args *a, mapping *m, const inventory *inv)
{
    char *failed = a->discover ? cli_discover_take_notice() : NULL;
    char *notice = failed ? xasprintf("--discover: %s", failed) : NULL;
    free(failed);
    tui_options opts = {
        .output_path = a->output_fd >= 0 ? "-" : a->output,
        .format = a->format,
        .focus = a->focus,
        .no_color = a->no_color,
        /* main's inventory is not const: discovery on screen adds to it */
        .inv = (inventory *)inv,
        .merge_into = a->merge_into,
        .merge_source = source_of(inv, a->merge_into),
        .discover = &screen_discover,
        .discover_ctx = (void *)a,
        .apply = &screen_apply,
        .apply_ctx = (void *)a,
        .notice = notice,
        .restore = a->restore,
    };
    int rc = merge_options(a, &opts);
    tui_result res = {0};
    if (rc == CLI_EXIT_OK)
        rc = tui_run(m, &opts, &res);
    free(notice);
    if (res.document && rc == CLI_EXIT_OK && a->merge_into) {
        char *doc = build_document(a, m, &rc);
        if (doc)
            rc = write_export(a, doc);
        free(doc);
    } else if (res.document && rc == CLI_EXIT_OK) {
        rc = write_export(a, res.document);
    }
    free(res.document);
    return rc;
}
