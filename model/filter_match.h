/* Lambda's event filtering, applied to DynamoDB stream records: the same
 * rules Lambda applies to an event source mapping's FilterCriteria, so that
 * a person can see which filters a record passes before deploying them.
 *
 * The rules (Lambda's filter rule syntax, a subset of EventBridge's):
 * - a pattern is a JSON object whose keys follow the record's keys
 *   (dynamodb.NewImage.status.S) down to an array of conditions;
 * - the fields of a pattern are ANDed, the conditions of a field's array
 *   are ORed, and the filters of a mapping are ORed;
 * - a condition is an exact value (string, number, true, false, null; a
 *   number matches the same number written the same way: 300 is not 300.0),
 *   or one operator object: {"prefix": s}, {"suffix": s},
 *   {"equals-ignore-case": s}, {"anything-but": v | [v...] | {"prefix": s} |
 *   {"suffix": s} | {"equals-ignore-case": s}}, {"numeric": [op, n (, op,
 *   n)]} with =, <, <=, >, >=, {"exists": true | false};
 * - a field whose record value is an array matches when any element does;
 * - exists and the other conditions look only at leaves (strings, numbers,
 *   booleans, null): a field whose value is an object does not "exist" as
 *   a value; numeric matches JSON numbers only, never a string.
 *
 * That last rule matters for DynamoDB: a stream record writes numbers as
 * strings ({"N": "42"}), so {"numeric": ...} never matches an attribute;
 * filter_pattern_lint says so, with the other DynamoDB pitfalls.
 *
 * model/: no terminal, no processes; a screen and the CLI call the same
 * functions. */
#ifndef ESMCFG_MODEL_FILTER_MATCH_H
#define ESMCFG_MODEL_FILTER_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "model/mapping.h"

/* The largest record file read (a record holds at most two 400 KB items). */
#define FILTER_RECORD_MAX_BYTES ((size_t)4 * 1024 * 1024)
/* The deepest nesting read in a pattern or a record. */
#define FILTER_MAX_DEPTH 64

typedef struct filter_pattern filter_pattern;
typedef struct filter_record filter_record;

/* Parse and check TEXT as a Lambda filter pattern. NULL with *err
 * ("dynamodb.NewImage.status.S: {\"wildcard\": ...}: Lambda's filter syntax
 * has no wildcard operator (EventBridge only)") when it is not one. */
filter_pattern *filter_pattern_parse(const char *text, char **err);
void filter_pattern_free(filter_pattern *p);

/* Whether P matches R. When it does not and WHY is not NULL, *WHY says the
 * first field that failed and what the record holds there
 * ("dynamodb.NewImage.status.S: the record has \"SHIPPED\""). Caller frees. */
bool filter_pattern_match(const filter_pattern *p, const filter_record *r, char **why);

/* Warnings about a valid pattern that will not do on a DynamoDB stream
 * what it seems to: numeric on an attribute, a field no stream record has,
 * an eventName other than INSERT, MODIFY or REMOVE, conditions on an
 * attribute without its type key. One per line, without a final newline;
 * NULL when there is nothing to say. Caller frees. */
char *filter_pattern_lint(const filter_pattern *p);

/* The records in TEXT: one record object, a JSON array of records, or an
 * event as Lambda delivers it ({"Records": [...]}). Each must be an object
 * with "dynamodb" or "eventName". -1 with *err on anything else. */
typedef struct filter_records {
    filter_record **items;
    size_t n;
} filter_records;
int filter_records_parse(const char *text, size_t len, filter_records *out, char **err);
void filter_records_free(filter_records *rs);

/* "MODIFY, keys id=\"o-1001\"": what a record is, for a title line,
 * escaped for display. Caller frees. */
char *filter_record_describe(const filter_record *r);

/* ---- testing a mapping's filters on a record (what a screen shows) ---- */

typedef struct filter_result {
    const char *pattern; /* the filter as the mapping holds it */
    bool valid;          /* it parsed and passed the checks */
    bool matched;        /* valid and matching */
    char *error;         /* !valid: why */
    char *why;           /* valid && !matched: the first field that failed */
    char *lint;          /* warnings (filter_pattern_lint), or NULL */
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
/* Test M's filters (the option table's pattern list) on R. */
void filter_test_mapping(const mapping *m, const filter_record *r, filter_test *out);
void filter_test_free(filter_test *t);

#endif
