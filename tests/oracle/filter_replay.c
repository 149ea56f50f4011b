/* Replay event-ruler's verdicts through esmcfg's filter check and matcher,
 * all cases in this one process.
 *
 *   filter_replay VERDICTS.jsonl
 *
 * Each line: {"id", "pattern", "event", "valid", "match", "error"} as
 * tests/oracle/RulerOracle.java wrote it for the cases of filter_cases.py.
 * A pattern is valid for esmcfg when value_check_pattern (the one check
 * every place a pattern enters goes through) accepts it; it matches when
 * filter_pattern_match says so.
 *
 * A disagreement fails the run unless it is one of the differences listed
 * below, where Lambda's page says otherwise than event-ruler does. Each
 * listed difference is proved, not assumed: esmcfg's matcher has a switch
 * that behaves as event-ruler does there (FILTER_AS_RULER_*), and a match
 * disagreement counts as listed only when that switch gives event-ruler's
 * answer; an acceptance disagreement only when the pattern has the listed
 * defect. Prints the figures; exit 1 on any other disagreement. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "model/filter_match.h"
#include "model/util.h"
#include "model/value.h"

/* The differences, each with the rule of Lambda's page it follows. */
typedef struct difference {
    const char *name;
    const char *lambda_says;
    size_t count;
} difference;

static difference listed[] = {
    {"numbers-as-written",
     "Lambda's filter rule syntax compares values by their text: a number in a pattern "
     "matches the same number written the same way (300 is not 300.0 nor 3e2); event-ruler "
     "also matches other spellings of the same value",
     0},
    {"one-json-object",
     "a pattern is one JSON object (FilterCriteria.Filters[].Pattern): text after its "
     "closing brace is not part of any JSON value; event-ruler stops reading at the brace",
     0},
    {"or-alternative",
     "\"Or (multiple fields)\": a record that matches any alternative of $or is sent; "
     "event-ruler loses an alternative whose fields begin an earlier alternative's (the same "
     "fields with the same lists, in the order of their paths) and drops such a record",
     0},
    {"unicode-case",
     "\"Equals, ignore case\": the value equals the pattern's text but for case; event-ruler "
     "folds a character beyond U+FFFF (an emoji, say) as the two halves of its UTF-16 form, "
     "which Java writes as \"??\", so \"a😀\" is not \"A😀\" for it",
     0},
    {"ruler-internal-error",
     "the pattern follows the syntax of Lambda's filter rule table (and esmcfg warns where AWS "
     "may refuse an operator the page does not list); event-ruler fails inside its machine "
     "with a Java runtime error (a bound at exactly +-5e9, some equals-ignore-case forms in "
     "$or), which is no verdict on the syntax",
     0},
};
enum { D_NUMBERS, D_TRAILING, D_OR_PREFIX, D_UNICODE, D_INTERNAL, D_COUNT };

/* The text of member NAME of line L, or NULL. */
static const char *text_of(const cJSON *l, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(l, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Whether event-ruler's refusal in line L is an internal failure (a Java
 * runtime exception), not its compiler's verdict on the syntax. */
static bool internal_failure(const cJSON *l)
{
    static const char *const signs[] = {"cannot be cast", "out of bounds", "Cannot invoke",
                                        "NullPointerException", NULL};
    const char *e = text_of(l, "error");
    if (!e || cJSON_GetObjectItemCaseSensitive(l, "error_reason"))
        return false;
    for (size_t i = 0; signs[i]; i++)
        if (strstr(e, signs[i]))
            return true;
    return false;
}

static void show(const char *what, const cJSON *id, const char *pattern, const char *event,
                 const char *detail)
{
    char *sid = cJSON_PrintUnformatted(id);
    printf("DISAGREE case %s: %s\n  pattern: %s\n  event:   %s\n  %s\n", sid, what, pattern,
           event ? event : "(none)", detail ? detail : "");
    free(sid);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: filter_replay VERDICTS.jsonl\n", stderr);
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    size_t cases = 0, agree = 0, unlisted = 0, checked_match = 0, skipped = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, f)) > 0) {
        if (got <= 1 || line[0] == '#')
            continue;
        cJSON *l = cJSON_Parse(line);
        const char *pattern = text_of(l, "pattern"), *event = text_of(l, "event");
        const cJSON *valid = cJSON_GetObjectItemCaseSensitive(l, "valid");
        const cJSON *match = cJSON_GetObjectItemCaseSensitive(l, "match");
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(l, "id");
        if (!l || !pattern || !cJSON_IsBool(valid)) {
            fprintf(stderr, "filter_replay: %s: a line without pattern and valid\n", argv[1]);
            return 2;
        }
        cases++;
        char *err = NULL;
        bool ours = value_check_pattern(pattern, &err) == 0;
        bool theirs = cJSON_IsTrue(valid);
        if (ours != theirs) {
            if (!ours && err && strstr(err, "after the pattern's closing brace")) {
                listed[D_TRAILING].count++;
            } else if (ours && internal_failure(l)) {
                listed[D_INTERNAL].count++;
            } else {
                const char *rerr = text_of(l, "error");
                char *detail = xasprintf("esmcfg: %s; event-ruler: %s", ours ? "valid" : err,
                                         theirs ? "valid" : (rerr ? rerr : "invalid"));
                show(ours ? "esmcfg accepts, event-ruler refuses"
                          : "esmcfg refuses, event-ruler accepts",
                     id, pattern, event, detail);
                free(detail);
                unlisted++;
            }
            free(err);
            cJSON_Delete(l);
            continue;
        }
        free(err);
        if (!ours || !event || !cJSON_IsBool(match)) {
            skipped += ours && event && !cJSON_IsBool(match); /* event-ruler could not match it */
            agree++;
            cJSON_Delete(l);
            continue;
        }
        filter_pattern *p = filter_pattern_parse(pattern, &err);
        filter_record *r = filter_record_new(event, strlen(event), &err);
        if (!r) {
            show("esmcfg cannot read the event", id, pattern, event, err);
            free(err);
            unlisted++;
        } else {
            checked_match++;
            bool m = filter_pattern_match(p, r, NULL), want = cJSON_IsTrue(match);
            if (m == want)
                agree++;
            else if (filter_pattern_match_as(p, r, FILTER_AS_RULER_NUMBERS) == want)
                listed[D_NUMBERS].count++;
            else if (filter_pattern_match_as(p, r, FILTER_AS_RULER_OR_PREFIX) == want)
                listed[D_OR_PREFIX].count++;
            else if (filter_pattern_match_as(p, r, FILTER_AS_RULER_UTF16) == want)
                listed[D_UNICODE].count++;
            else {
                show(m ? "esmcfg matches, event-ruler does not" : "event-ruler matches, esmcfg does not",
                     id, pattern, event, NULL);
                unlisted++;
            }
        }
        filter_record_free(r);
        filter_pattern_free(p);
        cJSON_Delete(l);
    }
    free(line);
    fclose(f);
    size_t nlisted = 0;
    for (int i = 0; i < D_COUNT; i++)
        nlisted += listed[i].count;
    printf("%zu cases (%zu matched against their record): %zu agree, %zu listed differences, "
           "%zu other disagreements",
           cases, checked_match, agree, nlisted, unlisted);
    if (skipped)
        printf(" (%zu records event-ruler could not match)", skipped);
    printf("\n");
    for (int i = 0; i < D_COUNT; i++)
        printf("  listed %-20s %5zu  (%s)\n", listed[i].name, listed[i].count,
               listed[i].lambda_says);
    return unlisted ? 1 : 0;
}
