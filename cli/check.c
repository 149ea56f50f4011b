/* --load, --check and the rules of how they and --output-fd combine. The
 * reading itself is export/load.c's; this prints its problems and maps
 * them to exit codes. */
#include "cli/check.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/update_json.h"
#include "model/pick.h"
#include "model/util.h"

/* The largest file --load and --check read (CloudFormation takes 1 MB
 * templates from S3; AWS CLI output of many mappings is larger). */
#define LOAD_MAX_BYTES (4u * 1024 * 1024)
/* Where "-" reads from. */
#define STDIN_PATH "/dev/stdin"
/* The largest file descriptor --output-fd takes. */
#define OUTPUT_FD_MAX 1000000

/* A usage error about flags that do not go together. */
static int misuse(const char *message)
{
    fprintf(stderr, "esmcfg: %s\n", message);
    return CLI_EXIT_USAGE;
}

/* --output-fd N: N must be open for writing. */
static int check_output_fd(int fd)
{
    int fl = fd <= OUTPUT_FD_MAX ? fcntl(fd, F_GETFL) : -1;
    if (fl != -1 && (fl & O_ACCMODE) != O_RDONLY)
        return CLI_EXIT_OK;
    fprintf(stderr, "esmcfg: --output-fd: %d is not %s\n", fd,
            fl == -1 ? "an open file descriptor" : "open for writing");
    return CLI_EXIT_USAGE;
}

/* Flags that only make sense together, or not at all together. */
int cli_check_combinations(const cli_args *a)
{
    if (a->uuid && !a->load)
        return misuse("--uuid picks the mapping to load: give --load FILE too");
    if (a->restore && (a->load || a->check))
        return misuse(a->load ? "give either --load FILE or --restore, not both"
                              : "--check FILE checks the file as it is: it takes no --restore");
    if (a->n_unsets > 0 && !a->load && !a->restore)
        return misuse("--unset resets a loaded option: give --load FILE too");
    if (a->check && (a->load || a->n_values > 0 || a->n_unsets > 0))
        return misuse("--check FILE checks the file as it is: it takes no --load and no "
                      "option flags");
    if (a->output_fd >= 0 && a->output)
        return misuse("give either -o FILE or --output-fd N, not both");
    return a->output_fd >= 0 ? check_output_fd(a->output_fd) : CLI_EXIT_OK;
}

/* Print R's problems, errors as "esmcfg: SOURCE:LINE: PATH: message". */
void cli_print_load_report(const load_report *r, const char *source)
{
    for (size_t i = 0; i < r->n; i++) {
        char *text = load_problem_format(&r->items[i], source);
        fprintf(stderr, "esmcfg: %s%s\n", r->items[i].level == DIAG_WARNING ? "warning: " : "",
                text);
        free(text);
    }
}

/* What FILE is called in messages: "stdin" for "-". */
static const char *source_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "stdin" : path;
}

/* Read --FLAG's FILE ("-": standard input) whole; CLI_EXIT_IO (printed)
 * when it cannot be read. */
static int read_file(const char *flag, const char *path, char **text, size_t *len)
{
    char *err = NULL;
    *text = file_read_all(strcmp(path, "-") == 0 ? STDIN_PATH : path, LOAD_MAX_BYTES, len, &err);
    if (*text)
        return CLI_EXIT_OK;
    char *shown = str_escape_display(err ? err : path); /* the path as given */
    fprintf(stderr, "esmcfg: --%s: %s\n", flag, shown);
    free(shown);
    free(err);
    return CLI_EXIT_IO;
}

/* After loading: --unset options back to AWS's default (with a template
 * reference and what came with it), and a repeatable list given as flags
 * replaces the loaded one (--filter '' empties it). */
void cli_clear_overridden(const cli_args *a, mapping *m)
{
    for (size_t i = 0; i < a->n_unsets; i++)
        mapping_unpick(m, a->unsets[i]->id);
    for (size_t i = 0; i < a->n_values; i++)
        if (opt_is_list(a->values[i].def) && a->values[i].def->repeatable)
            mapping_unset(m, a->values[i].def->id);
}

/* --load FILE into M; each problem printed with where it is. */
int cli_load_mapping(const cli_args *a, const inventory *inv, mapping *m)
{
    char *text = NULL;
    size_t len = 0;
    int rc = read_file("load", a->load, &text, &len);
    if (rc != CLI_EXIT_OK)
        return rc;
    load_options o = {
        .source = source_name(a->load), .uuid = a->uuid, .logical_id = a->logical_id, .inv = inv};
    load_report r = {0};
    load_status st = load_mapping(text, len, &o, m, NULL, &r);
    cli_print_load_report(&r, source_name(a->load));
    load_report_free(&r);
    free(text);
    if (st == LOAD_OK)
        cli_clear_overridden(a, m);
    return st == LOAD_OK ? CLI_EXIT_OK : st == LOAD_AMBIGUOUS ? CLI_EXIT_USAGE : CLI_EXIT_INVALID;
}

/* --check FILE: every problem, then 0 or 3. */
int cli_check_file(const cli_args *a, const inventory *inv)
{
    char *text = NULL;
    size_t len = 0;
    int rc = read_file("check", a->check, &text, &len);
    if (rc != CLI_EXIT_OK)
        return rc;
    load_options o = {.source = source_name(a->check), .inv = inv};
    load_report r = {0};
    size_t errors = load_check(text, len, &o, NULL, &r);
    cli_print_load_report(&r, source_name(a->check));
    load_report_free(&r);
    free(text);
    return errors > 0 ? CLI_EXIT_INVALID : CLI_EXIT_OK;
}

/* Why M cannot be an update request: no UUID, or changes it cannot carry. */
size_t cli_report_update(const mapping *m)
{
    const char *refusal = export_update_refusal(m);
    if (refusal) {
        fprintf(stderr, "esmcfg: --format update-json: %s\n", refusal);
        return 1;
    }
    diag_list l = {0};
    export_update_problems(m, &l);
    for (size_t i = 0; i < l.n; i++) {
        char *text = diag_format(&l.items[i]);
        fprintf(stderr, "esmcfg: %s\n", text);
        free(text);
    }
    size_t n = l.n;
    diag_list_free(&l);
    return n;
}
