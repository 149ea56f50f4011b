/* --test-filter and --preset on the command line (see beyond.h). */
#include "cli/beyond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/check.h"
#include "model/filter_match.h"
#include "model/preset.h"
#include "model/util.h"

/* How much of a pattern a result line shows. */
enum { PATTERN_SHOWN = 72 };

/* A usage error. */
static int misuse(const char *message)
{
    fprintf(stderr, "esmcfg: %s\n", message);
    return CLI_EXIT_USAGE;
}

int cli_beyond_combinations(const cli_args *a)
{
    if (a->test_filter && (a->check || a->apply || a->merge_into || a->save_inventory))
        return misuse("--test-filter tests filters on records and exports nothing: it takes no "
                      "--check, --apply, --merge-into or --save-inventory");
    if (a->apply && (a->check || a->merge_into))
        return misuse("--apply sends the API request: it takes no --check and no --merge-into");
    if (a->apply && (a->output || a->output_fd >= 0))
        return misuse("--apply writes aws's answer to stdout: it takes no -o and no --output-fd");
    if (a->update_existing && !a->apply)
        return misuse("--update-existing says what --apply does when the mapping exists: give "
                      "--apply too");
    return CLI_EXIT_OK;
}

/* PATTERN as a result line shows it: escaped, shortened. Caller frees. */
static char *shown_pattern(const char *pattern)
{
    char *s = str_escape_display(pattern);
    if (strlen(s) > PATTERN_SHOWN)
        strcpy(s + PATTERN_SHOWN - 3, "...");
    return s;
}

/* Warnings and errors about the filters themselves, once, on stderr. */
static void report_filters(const filter_test *t)
{
    for (size_t i = 0; i < t->n; i++) {
        const filter_result *r = &t->results[i];
        if (!r->valid) {
            fprintf(stderr, "esmcfg: --filter %zu: %s\n", i + 1, r->error);
            continue;
        }
        for (const char *line = r->lint; line && *line;) {
            size_t n = strcspn(line, "\n");
            fprintf(stderr, "esmcfg: warning: --filter %zu: %.*s\n", i + 1, (int)n, line);
            line += n + (line[n] == '\n');
        }
    }
}

/* One record's results on stdout. */
static void print_record(const filter_test *t, const filter_record *rec, size_t i, size_t n)
{
    char *what = filter_record_describe(rec);
    if (n > 1)
        printf("record %zu of %zu: %s\n", i + 1, n, what);
    else
        printf("record: %s\n", what);
    free(what);
    for (size_t k = 0; k < t->n; k++) {
        const filter_result *r = &t->results[k];
        char *p = shown_pattern(r->pattern);
        const char *verdict = !r->valid ? "invalid " : r->matched ? "match   " : "no match";
        printf("  filter %zu: %s  %s\n", k + 1, verdict, p);
        if (r->valid && !r->matched && r->why)
            printf("            %s\n", r->why);
        free(p);
    }
    if (t->invalid > 0)
        printf("  => not testable: %zu filter%s invalid (Lambda refuses the mapping)\n", t->invalid,
               t->invalid == 1 ? " is" : "s are");
    else
        printf("  => %s\n", t->any_match ? "sent to the function" : "dropped: no filter matches");
}

/* The filter patterns of M as a list of strings (owned by M). */
static const char **patterns_of(const mapping *m, size_t *n)
{
    const opt_value *v = mapping_get(m, OPT_FILTERS);
    *n = v->n_items;
    const char **p = *n ? xcalloc(*n, sizeof *p) : NULL;
    for (size_t i = 0; i < *n; i++)
        p[i] = v->items[i].key;
    return p;
}

/* Test every record of RS with M's filters; returns the exit code. */
static int test_records(const mapping *m, const filter_records *rs)
{
    size_t np = 0;
    const char **patterns = patterns_of(m, &np);
    size_t sent = 0, invalid = 0;
    for (size_t i = 0; i < rs->n; i++) {
        filter_test t;
        filter_test_patterns(patterns, np, rs->items[i], &t);
        if (i == 0)
            report_filters(&t);
        print_record(&t, rs->items[i], i, rs->n);
        sent += t.invalid == 0 && t.any_match;
        invalid = t.invalid;
        filter_test_free(&t);
    }
    free(patterns);
    if (rs->n > 1 && invalid == 0)
        printf("%zu of %zu records sent to the function\n", sent, rs->n);
    if (fflush(stdout) != 0) {
        perror("esmcfg: stdout");
        return CLI_EXIT_IO;
    }
    return invalid ? CLI_EXIT_INVALID : sent ? CLI_EXIT_OK : CLI_EXIT_QUIT;
}

int cli_test_filter(const cli_args *a, const inventory *inv)
{
    mapping *m = mapping_new();
    cli_failures fail;
    int rc = a->load ? cli_load_mapping(a, inv, m) : CLI_EXIT_OK;
    if (rc == CLI_EXIT_OK)
        rc = cli_fill_mapping(a, inv, m, &fail);
    if (rc == CLI_EXIT_OK && mapping_get(m, OPT_FILTERS)->n_items == 0) {
        fprintf(stderr, "esmcfg: --test-filter: no filter to test: give --filter JSON (repeat for "
                        "more) or --load a file with filters; without filters Lambda sends every "
                        "record\n");
        rc = CLI_EXIT_USAGE;
    }
    char *text = NULL, *err = NULL;
    size_t len = 0;
    if (rc == CLI_EXIT_OK) {
        const char *path = strcmp(a->test_filter, "-") == 0 ? "/dev/stdin" : a->test_filter;
        text = file_read_all(path, FILTER_RECORD_MAX_BYTES, &len, &err);
        if (!text) {
            fprintf(stderr, "esmcfg: --test-filter: %s\n", err ? err : path);
            rc = CLI_EXIT_IO;
        }
    }
    filter_records rs = {0};
    if (rc == CLI_EXIT_OK && filter_records_parse(text, len, &rs, &err) < 0) {
        char *shown = str_escape_display(a->test_filter);
        fprintf(stderr, "esmcfg: --test-filter: %s: %s\n", shown, err);
        free(shown);
        rc = CLI_EXIT_INVALID;
    }
    if (rc == CLI_EXIT_OK)
        rc = test_records(m, &rs);
    filter_records_free(&rs);
    free(err);
    free(text);
    mapping_free(m);
    return rc;
}

int cli_apply_preset(const cli_args *a, mapping *m)
{
    const preset *p = a->preset ? preset_find(a->preset) : NULL;
    if (!p)
        return CLI_EXIT_OK;
    char *err = NULL;
    if (preset_apply(p, m, NULL, &err) == 0)
        return CLI_EXIT_OK;
    fprintf(stderr, "esmcfg: --preset: %s\n", err);
    free(err);
    return CLI_EXIT_INVALID;
}

const char *cli_preset_pick(const cli_args *a, const mapping *m)
{
    const preset *p = a->preset ? preset_find(a->preset) : NULL;
    opt_id id = p ? preset_missing(p, m) : OPT_COUNT;
    return id < OPT_COUNT ? opt_get(id)->name : NULL;
}

int cli_check_preset(const cli_args *a, const mapping *m)
{
    const preset *p = a->preset ? preset_find(a->preset) : NULL;
    if (!p || preset_missing(p, m) == OPT_COUNT)
        return CLI_EXIT_OK;
    char *text = preset_missing_text(p);
    fprintf(stderr, "esmcfg: %s\n", text);
    free(text);
    return CLI_EXIT_INVALID;
}
