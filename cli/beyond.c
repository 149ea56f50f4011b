/* --test-filter and --preset on the command line (see beyond.h). */
#include "cli/beyond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/check.h"
#include "model/filter_match.h"
#include "model/preset.h"
#include "model/util.h"

/* A usage error. */
static int misuse(const char *message)
{
    fprintf(stderr, "esmcfg: %s\n", message);
    return CLI_EXIT_USAGE;
}

int cli_beyond_combinations(const cli_args *a)
{
    if (a->explain && !a->test_filter)
        return misuse("--explain says how --test-filter shows its records: give --test-filter too");
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

/* How much of a pattern a result line shows. */
enum { PATTERN_SHOWN = 72 };
/* Up to this many records, each is shown in full; with more, a summary
 * and the first DROPPED_SHOWN dropped records (--explain: every one). */
enum { FULL_RECORDS = 5, DROPPED_SHOWN = 3 };

/* PATTERN as a result line shows it: escaped, shortened. Caller frees. */
static char *shown_pattern(const char *pattern)
{
    char *s = str_escape_display(pattern);
    if (strlen(s) > PATTERN_SHOWN)
        strcpy(s + PATTERN_SHOWN - 3, "...");
    return s;
}

/* The filters, compiled once for the whole run. */
typedef struct tester {
    const cli_args *a;
    filter_pattern **p;
    const char **text;
    size_t np;
    size_t *matched; /* per filter: records it matches */
    size_t read, sent;
    /* the first records, held until it is known whether there are more */
    char *held[FULL_RECORDS];
    char *held_what[FULL_RECORDS];
    bool held_sent[FULL_RECORDS];
    size_t nheld;
    bool summary;         /* more than FULL_RECORDS records */
    size_t dropped_shown; /* dropped records shown in full so far */
} tester;

/* Compile M's filters; their warnings (for the stream view type, when
 * known) once, on stderr. Filters in a mapping passed the check already. */
static int compile_filters(tester *t, const mapping *m)
{
    const opt_value *v = mapping_get(m, OPT_FILTERS);
    t->np = v->n_items;
    t->p = xcalloc(t->np, sizeof *t->p);
    t->text = xcalloc(t->np, sizeof *t->text);
    t->matched = xcalloc(t->np, sizeof *t->matched);
    for (size_t i = 0; i < t->np; i++) {
        char *err = NULL;
        t->text[i] = v->items[i].key;
        t->p[i] = filter_pattern_parse(t->text[i], &err);
        if (!t->p[i]) {
            fprintf(stderr, "esmcfg: --filter %zu: %s\n", i + 1, err);
            free(err);
            return CLI_EXIT_INVALID;
        }
        filter_notes notes = {0};
        filter_pattern_notes(t->p[i], m->stream_view_type, &notes);
        for (size_t k = 0; k < notes.n; k++)
            fprintf(stderr, "esmcfg: warning: --filter %zu: %s%s%s\n", i + 1, notes.items[k].path,
                    *notes.items[k].path ? ": " : "", notes.items[k].text);
        filter_notes_free(&notes);
    }
    return CLI_EXIT_OK;
}

static void tester_free(tester *t)
{
    for (size_t i = 0; i < t->np; i++)
        filter_pattern_free(t->p[i]);
    for (size_t i = 0; i < t->nheld; i++) {
        free(t->held[i]);
        free(t->held_what[i]);
    }
    free(t->p);
    free(t->text);
    free(t->matched);
}

/* Every filter on REC, counted; the lines of the full view when OUT is
 * not NULL. Returns whether the record is sent. */
static bool test_one(tester *t, const filter_record *rec, strbuf *out)
{
    bool sent = false;
    for (size_t k = 0; k < t->np; k++) {
        char *why = NULL;
        bool hit = filter_pattern_match(t->p[k], rec, out ? &why : NULL);
        t->matched[k] += hit;
        sent = sent || hit;
        if (!out)
            continue;
        char *shown = shown_pattern(t->text[k]);
        sb_addf(out, "  filter %zu: %s  %s\n", k + 1, hit ? "match   " : "no match", shown);
        if (why)
            sb_addf(out, "            %s\n", why);
        free(shown);
        free(why);
    }
    if (out)
        sb_addf(out, "  => %s\n", sent ? "sent to the function" : "dropped: no filter matches");
    t->read++;
    t->sent += sent;
    return sent;
}

/* One record in full: "record N: WHAT" (N of TOTAL when known, nothing
 * when it is the only one), then BODY. */
static void print_full(size_t n, size_t total, const char *what, const char *body)
{
    if (total == 1)
        printf("record: %s\n%s", what, body);
    else if (total)
        printf("record %zu of %zu: %s\n%s", n, total, what, body);
    else
        printf("record %zu: %s\n%s", n, what, body);
}

/* The held records, once it is known that more follow. */
static void flush_held(tester *t)
{
    t->summary = true;
    for (size_t i = 0; i < t->nheld; i++) {
        if (t->a->explain || (!t->held_sent[i] && t->dropped_shown < DROPPED_SHOWN)) {
            print_full(i + 1, 0, t->held_what[i], t->held[i]);
            t->dropped_shown += !t->held_sent[i];
        }
    }
}

/* One record: held (the first ones), shown (--explain, the first dropped
 * ones) or only counted. */
static void take_record(tester *t, const filter_record *rec, size_t n)
{
    if (!t->summary && t->nheld < FULL_RECORDS) {
        strbuf body = {0};
        t->held_sent[t->nheld] = test_one(t, rec, &body);
        t->held[t->nheld] = sb_take(&body);
        t->held_what[t->nheld] = filter_record_describe(rec);
        t->nheld++;
        return;
    }
    if (!t->summary)
        flush_held(t);
    if (!t->a->explain && t->dropped_shown >= DROPPED_SHOWN) {
        test_one(t, rec, NULL);
        return;
    }
    strbuf body = {0};
    bool sent = test_one(t, rec, &body);
    if (t->a->explain || !sent) {
        char *what = filter_record_describe(rec);
        print_full(n, 0, what, body.s);
        free(what);
        t->dropped_shown += !sent;
    }
    free(body.s);
}

/* The end: the held records with their total, or the summary. */
static void finish(tester *t)
{
    if (!t->summary) {
        for (size_t i = 0; i < t->nheld; i++)
            print_full(i + 1, t->nheld, t->held_what[i], t->held[i]);
        if (t->nheld > 1)
            printf("%zu of %zu records sent to the function\n", t->sent, t->read);
        return;
    }
    printf("%zu records: %zu sent to the function, %zu dropped (no filter matches)\n", t->read,
           t->sent, t->read - t->sent);
    for (size_t k = 0; k < t->np; k++) {
        char *shown = shown_pattern(t->text[k]);
        printf("  filter %zu matches %zu  %s\n", k + 1, t->matched[k], shown);
        free(shown);
    }
    if (!t->a->explain)
        printf("(%s; --explain shows every record)\n",
               t->dropped_shown ? "the first dropped records are shown above"
                                : "no record was dropped");
}

/* Stream the records of the --test-filter file through the filters. */
static int run_records(tester *t)
{
    const char *path = t->a->test_filter;
    const char *name = strcmp(path, "-") == 0 ? "standard input" : path;
    char *err = NULL;
    filter_reader *rd = filter_reader_open(path, name, &err);
    if (!rd) {
        fprintf(stderr, "esmcfg: --test-filter: %s\n", err);
        free(err);
        return CLI_EXIT_IO;
    }
    const filter_record *rec;
    int rc;
    while ((rc = filter_reader_next(rd, &rec, &err)) > 0)
        take_record(t, rec, filter_reader_number(rd));
    filter_reader_close(rd);
    if (rc < 0 || t->read == 0) {
        fflush(stdout);
        fprintf(stderr, "esmcfg: --test-filter: %s\n", err ? err : "no records: the list is empty");
        free(err);
        return CLI_EXIT_INVALID;
    }
    finish(t);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("esmcfg: stdout");
        return CLI_EXIT_IO;
    }
    return t->sent ? CLI_EXIT_OK : CLI_EXIT_QUIT;
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
    tester t = {.a = a};
    if (rc == CLI_EXIT_OK)
        rc = compile_filters(&t, m);
    if (rc == CLI_EXIT_OK)
        rc = run_records(&t);
    tester_free(&t);
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
