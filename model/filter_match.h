/* Lambda's event filtering, applied to DynamoDB stream records: the one
 * check of a filter pattern's syntax (every place a pattern enters esmcfg
 * goes through filter_pattern_parse: --filter, the list editor, --load,
 * --check, --merge-into, the templates, the tester), the warnings about
 * patterns that will not do what they seem to, and the matching itself,
 * so that a person can see which filters a record passes before deploying.
 *
 * The rules, with their sources (shared/reference/lambda-filters.md):
 * Lambda's filter rule syntax table first; where it is silent, what
 * aws/event-ruler (the engine behind Lambda's filtering) does:
 * - a pattern is a JSON object whose members follow the record's members
 *   down to a non-empty list of conditions; the fields of a pattern are
 *   ANDed, a list's conditions are ORed, a mapping's filters are ORed;
 *   "$or": [{...}, {...}, ...] (at least two objects) ORs sub-patterns, at
 *   any depth, nested too; keys join with '.' (event-ruler: {"a.b": [...]}
 *   is {"a": {"b": [...]}}); a field given twice: the last list counts;
 * - a condition is a value (string, number as written, true, false, null)
 *   or one operator: prefix, suffix, equals-ignore-case (Unicode case),
 *   anything-but (a value, a list of strings or of numbers, or prefix,
 *   suffix, equals-ignore-case), numeric (= n, or one or two bounds, lower
 *   below upper), exists true/false; and, accepted with a warning because
 *   Lambda's page does not list them: wildcard, cidr, prefix/suffix with
 *   equals-ignore-case, anything-but wildcard, exactly;
 * - a record value that is a list matches when an element does; fields
 *   matched inside a list of objects must come from the same element;
 *   {"exists": false} matches when none of the elements the fields before
 *   it (in Java's order of their paths) use has the field, so alone: when
 *   no element has it;
 * - numeric compares JSON numbers with at most FILTER_NUMERIC_DECIMALS
 *   decimals within +-FILTER_NUMERIC_MAX (the engine's exact range); an
 *   operand outside it is refused, a record value outside it never matches.
 *
 * model/: no terminal, no processes. */
#ifndef ESMCFG_MODEL_FILTER_MATCH_H
#define ESMCFG_MODEL_FILTER_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "model/mapping.h"

/* Numbers numeric compares exactly (event-ruler's ComparableNumber). */
#define FILTER_NUMERIC_DECIMALS 6
#define FILTER_NUMERIC_MAX 5000000000LL
/* The most alternatives the $or of one pattern may combine into. */
#define FILTER_MAX_BRANCHES 1000
/* The largest record --test-filter reads (two 400 KB items and their JSON). */
#define FILTER_RECORD_MAX_BYTES ((size_t)16 * 1024 * 1024)

typedef struct filter_pattern filter_pattern;
typedef struct filter_record filter_record;

/* Warnings: where in the pattern (a dotted path) and what to know. */
typedef struct filter_note {
    char *path; /* "dynamodb.NewImage.status" ("" for the whole pattern) */
    char *text; /* what is surprising and what to write instead */
} filter_note;

typedef struct filter_notes {
    filter_note *items;
    size_t n;
} filter_notes;

void filter_notes_free(filter_notes *l);

/* Parse and check TEXT (LEN bytes) as a Lambda filter pattern. NULL with
 * *err ("dynamodb.NewImage.status.S: [] is an empty list; a field's list
 * needs at least one condition") when Lambda would refuse it. */
filter_pattern *filter_pattern_compile(const char *text, size_t len, char **err);
/* The same for a NUL-terminated TEXT. */
filter_pattern *filter_pattern_parse(const char *text, char **err);
void filter_pattern_free(filter_pattern *p);

/* What a valid pattern will not do on a DynamoDB stream the way it seems
 * to: operators Lambda's page does not list, a member named twice, "$or"
 * read as a field name, an attribute without its type, numeric on "N",
 * a field a stream record never has, a value of the wrong type for where
 * it stands, an image the table's stream does not carry (VIEW_TYPE:
 * KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, or NULL when not
 * known). Appends to OUT. */
void filter_pattern_notes(const filter_pattern *p, const char *view_type, filter_notes *out);

/* The same warnings (stream view type not known) as lines "PATH: TEXT",
 * or NULL when there are none. Caller frees. */
char *filter_pattern_lint(const filter_pattern *p);

/* How many alternatives the pattern's $or combine into (1 without $or). */
size_t filter_pattern_alternatives(const filter_pattern *p);

/* Whether P matches R. When it does not and WHY is not NULL, *WHY says the
 * first field that failed and what the record holds there
 * ("dynamodb.NewImage.status.S: the record has \"SHIPPED\""). Caller frees. */
bool filter_pattern_match(const filter_pattern *p, const filter_record *r, char **why);

/* Where esmcfg departs from event-ruler because Lambda's page says
 * otherwise; for the check against event-ruler only (tests/oracle). */
enum {
    FILTER_AS_RULER_NUMBERS = 1,   /* a number in a list matches the same value written
                                      otherwise (300 matches 300.0) */
    FILTER_AS_RULER_OR_PREFIX = 2, /* an $or alternative whose fields (in path order) begin
                                      an earlier alternative's never matches */
    FILTER_AS_RULER_UTF16 = 4,     /* equals-ignore-case reads a character beyond U+FFFF as
                                      "??" (Java's two UTF-16 halves) */
};
bool filter_pattern_match_as(const filter_pattern *p, const filter_record *r, unsigned as_ruler);

/* ---- records ---- */

/* One JSON object TEXT (LEN bytes) as a record, whatever its members (a
 * stream record, or any event). NULL with *err. */
filter_record *filter_record_new(const char *text, size_t len, char **err);
void filter_record_free(filter_record *r);

/* "MODIFY, keys id=\"o-1001\"": what a record is, for a title line,
 * escaped for display. Caller frees. */
char *filter_record_describe(const filter_record *r);

/* Records read one at a time from a file of any size, in memory that does
 * not grow with it: a JSON array of records, an event as Lambda delivers
 * it ({"Records": [...]}), one record, or one record per line. Each must be
 * an object with "dynamodb" or "eventName". */
typedef struct filter_reader filter_reader;

/* Read the file PATH ("-": standard input), or the LEN bytes at TEXT
 * (kept by the caller until the reader is closed). NAME names the input in
 * messages. NULL with *err when the file cannot be opened. */
filter_reader *filter_reader_open(const char *path, const char *name, char **err);
filter_reader *filter_reader_text(const char *text, size_t len, const char *name);
/* The next record: 1 with *OUT (valid until the next call), 0 at the end,
 * -1 with *err ("orders.json: record 12 (line 340): not valid JSON: expected
 * ',' or '}' at line 341, column 7"). */
int filter_reader_next(filter_reader *r, const filter_record **out, char **err);
/* The number of the record *OUT holds (1 for the first). */
size_t filter_reader_number(const filter_reader *r);
void filter_reader_close(filter_reader *r);

/* Every record of TEXT, kept (the screen's tester: a few records). */
typedef struct filter_records {
    filter_record **items;
    size_t n;
} filter_records;
int filter_records_parse(const char *text, size_t len, filter_records *out, char **err);
void filter_records_free(filter_records *rs);

/* ---- testing a mapping's filters on a record (what a screen shows) ---- */

typedef struct filter_result {
    const char *pattern; /* the filter as the mapping holds it */
    bool valid;          /* it parsed and passed the checks */
    bool matched;        /* valid and matching */
    char *error;         /* !valid: why */
    char *why;           /* valid && !matched: the first field that failed */
    char *lint;          /* warnings, one per line, or NULL */
} filter_result;

typedef struct filter_test {
    filter_result *results; /* one per filter, in the mapping's order */
    size_t n;
    size_t invalid;  /* how many filters are not valid */
    bool any_match;  /* Lambda sends the record to the function */
    bool no_filters; /* the mapping has none: every record is sent */
} filter_test;

/* Test every pattern of PATTERNS (N of them) on R. */
void filter_test_patterns(const char *const *patterns, size_t n, const filter_record *r,
                          filter_test *out);
/* Test M's filters (the option table's pattern list) on R, with the
 * warnings for M's stream view type when known. */
void filter_test_mapping(const mapping *m, const filter_record *r, filter_test *out);
void filter_test_free(filter_test *t);

/* The warnings of one pattern as lines "PATH: TEXT" (NULL when none).
 * Caller frees. */
char *filter_notes_text(const filter_notes *l);

#endif
