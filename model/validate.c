/* Rules across options, from the reference's "Rules across options":
 * required options, region and account of stream and function, FIFO
 * destinations, filter encryption without filters, and the warnings about
 * risky combinations. Single values were range-checked when parsed. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/filter_match.h"
#include "model/mapping.h"
#include "model/pick.h"

/* Append MSG (taken) about OPT (and OTHER), list item ITEM (or -1), to L. */
static void push_diag(diag_list *l, diag_level level, opt_id opt, opt_id other, long item,
                      char *msg)
{
    l->items = xrealloc(l->items, (l->n + 1) * sizeof *l->items);
    l->items[l->n++] = (diag){level, opt, other, msg, item};
}

/* Append a problem about OPT (and OTHER) to L. */
static void add_diag(diag_list *l, diag_level level, opt_id opt, opt_id other, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void add_diag(diag_list *l, diag_level level, opt_id opt, opt_id other, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    push_diag(l, level, opt, other, -1, msg);
}

/* "--on-failure" for messages. */
static const char *flag(opt_id id)
{
    return opt_get(id)->name;
}

/* Required options that are neither set nor a template reference (which
 * the CloudFormation exports write as Ref / Fn::GetAtt, and the API JSON
 * export refuses). */
static void check_required(const mapping *m, diag_list *out)
{
    for (size_t i = 0; i < OPT_COUNT; i++) {
        const opt_def *d = opt_get((opt_id)i);
        if (!d->required || mapping_is_set(m, d->id) || mapping_ref(m, d->id))
            continue;
        char *allowed = opt_allowed_text(d);
        add_diag(out, DIAG_ERROR, d->id, OPT_COUNT, "is required (%s)", allowed);
        free(allowed);
    }
}

/* Stream and function: same region; another account needs a stream policy. */
static void check_regions(const mapping *m, diag_list *out)
{
    if (!mapping_is_set(m, OPT_TABLE) || !mapping_is_set(m, OPT_FUNCTION))
        return;
    arn_parts s, f;
    char *err = NULL;
    if (arn_parse(mapping_get(m, OPT_TABLE)->str, &s, &err) < 0 ||
        value_parse_function(mapping_get(m, OPT_FUNCTION)->str, &f, &err) < 0) {
        free(err);
        return;
    }
    if (f.region[0] && strcmp(f.region, s.region) != 0)
        add_diag(out, DIAG_ERROR, OPT_FUNCTION, OPT_TABLE,
                 "is in region %s but the stream is in %s (a mapping cannot cross regions)",
                 f.region, s.region);
    if (f.account[0] && strcmp(f.account, s.account) != 0)
        add_diag(out, DIAG_WARNING, OPT_TABLE, OPT_FUNCTION,
                 "the stream is in account %s and the function in %s: this works only with a "
                 "resource-based policy on the stream",
                 s.account, f.account);
}

/* On-failure destination: no FIFO; SNS size limit; same region as the stream. */
static void check_destination(const mapping *m, diag_list *out)
{
    if (!mapping_is_set(m, OPT_ON_FAILURE))
        return;
    arn_parts a;
    char *err = NULL;
    if (arn_parse(mapping_get(m, OPT_ON_FAILURE)->str, &a, &err) < 0) {
        free(err);
        return;
    }
    size_t n = strlen(a.name);
    bool fifo = n > 5 && strcmp(a.name + n - 5, ".fifo") == 0;
    if (fifo && (a.kind == ARN_SQS_QUEUE || a.kind == ARN_SNS_TOPIC))
        add_diag(out, DIAG_ERROR, OPT_ON_FAILURE, OPT_COUNT,
                 "%s is a FIFO %s; stream failures need a standard one", a.name,
                 a.kind == ARN_SQS_QUEUE ? "queue" : "topic");
    if (a.kind == ARN_SNS_TOPIC && !fifo)
        add_diag(out, DIAG_WARNING, OPT_ON_FAILURE, OPT_COUNT,
                 "SNS drops messages over 256 KB; large batches' failure records may be lost");
}

/* Filter encryption needs at least one filter. */
static void check_filter_key(const mapping *m, diag_list *out)
{
    if (mapping_is_set(m, OPT_FILTER_KMS_KEY) && mapping_get(m, OPT_FILTERS)->n_items == 0)
        add_diag(out, DIAG_ERROR, OPT_FILTER_KMS_KEY, OPT_FILTERS,
                 "needs at least one filter (--%s): the key encrypts the filter criteria",
                 flag(OPT_FILTERS));
}

/* Filters: more than the default quota; and each filter's warnings (a
 * pattern that never matches on a stream, or is not what it seems), for
 * the table's stream view type when it is known. */
static void check_filters(const mapping *m, diag_list *out)
{
    const opt_def *d = opt_get(OPT_FILTERS);
    const opt_value *v = mapping_get(m, OPT_FILTERS);
    if (d->quota_items && v->n_items > d->quota_items)
        add_diag(out, DIAG_WARNING, OPT_FILTERS, OPT_COUNT,
                 "%zu filters: Lambda takes %zu per mapping by default and refuses more unless the "
                 "service quota \"%s\" is raised (at most %zu)",
                 v->n_items, d->quota_items, d->quota_name, d->max_items);
    for (size_t i = 0; i < v->n_items; i++) {
        char *err = NULL;
        filter_pattern *p = filter_pattern_parse(v->items[i].key, &err);
        if (!p) { /* values in a mapping passed the same check: only when it changed */
            push_diag(out, DIAG_ERROR, OPT_FILTERS, OPT_COUNT, (long)i, err);
            continue;
        }
        filter_notes notes = {0};
        filter_pattern_notes(p, m->stream_view_type, &notes);
        for (size_t k = 0; k < notes.n; k++) {
            const filter_note *n = &notes.items[k];
            push_diag(out, DIAG_WARNING, OPT_FILTERS, OPT_COUNT, (long)i,
                      *n->path ? xasprintf("%s: %s", n->path, n->text) : xstrdup(n->text));
        }
        filter_notes_free(&notes);
        filter_pattern_free(p);
    }
}

/* Warnings about combinations that deploy but behave badly. */
static void check_risks(const mapping *m, diag_list *out)
{
    const opt_def *retries = opt_get(OPT_RETRY_ATTEMPTS), *age = opt_get(OPT_MAX_RECORD_AGE);
    bool endless = mapping_num(m, OPT_RETRY_ATTEMPTS) == retries->special &&
                   mapping_num(m, OPT_MAX_RECORD_AGE) == age->special;
    if (endless && !mapping_num(m, OPT_BISECT_BATCH_ON_ERROR))
        add_diag(out, DIAG_WARNING, OPT_RETRY_ATTEMPTS, OPT_MAX_RECORD_AGE,
                 "with infinite retries and record age, one bad record can block its shard for "
                 "up to a day; safer: --%s, finite --%s and --%s, and --%s",
                 flag(OPT_BISECT_BATCH_ON_ERROR), flag(OPT_RETRY_ATTEMPTS),
                 flag(OPT_MAX_RECORD_AGE), flag(OPT_ON_FAILURE));
    else if (!endless && !mapping_is_set(m, OPT_ON_FAILURE) && !mapping_ref(m, OPT_ON_FAILURE))
        add_diag(out, DIAG_WARNING, OPT_ON_FAILURE, OPT_RETRY_ATTEMPTS,
                 "records given up after retries or by age are lost without an on-failure "
                 "destination");
    if (mapping_num(m, OPT_TUMBLING_WINDOW) > 0 && mapping_num(m, OPT_PARALLELIZATION_FACTOR) > 1)
        add_diag(out, DIAG_WARNING, OPT_TUMBLING_WINDOW, OPT_PARALLELIZATION_FACTOR,
                 "tumbling windows are reported to work only with --%s 1",
                 flag(OPT_PARALLELIZATION_FACTOR));
    /* Partial batch responses with bisect is no risk: bisect still splits a
       batch whose function fails as a whole (a timeout, a crash), which
       returns no batchItemFailures. The reference asks only for a hint,
       which the option's help gives; a warning here told people who took
       --preset safe that the preset was wrong. */
}

void mapping_validate(const mapping *m, diag_list *out)
{
    check_required(m, out);
    check_regions(m, out);
    check_destination(m, out);
    check_filter_key(m, out);
    check_filters(m, out);
    check_risks(m, out);
}

size_t diag_count(const diag_list *l, diag_level level)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += l->items[i].level == level;
    return n;
}

void diag_list_free(diag_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i].message);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

char *diag_format(const diag *d)
{
    const opt_def *o = opt_get(d->opt);
    if (d->item >= 0 && o->item_name)
        return xasprintf("--%s %ld: %s", o->name, d->item + 1, d->message);
    return xasprintf("--%s: %s", o->name, d->message);
}

char *diag_message(const diag *d)
{
    const opt_def *o = opt_get(d->opt);
    if (d->item >= 0 && o->item_name)
        return xasprintf("%s %ld: %s", o->item_name, d->item + 1, d->message);
    return xstrdup(d->message);
}
