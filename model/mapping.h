/* A mapping: one value per option of the table, each either set by the
 * person or left at AWS's default, plus what is known around it (the
 * function's execution role, the template logical ID). Values in a mapping
 * have always passed their option's parser; rules across options are
 * checked by mapping_validate. */
#ifndef ESMCFG_MODEL_MAPPING_H
#define ESMCFG_MODEL_MAPPING_H

#include <stdbool.h>
#include <stddef.h>

#include "model/options.h"
#include "model/value.h"

typedef struct mapping {
    opt_value v[OPT_COUNT];
    char *function_role; /* execution role ARN, when known: adds the IAM policy */
    char *logical_id;    /* CloudFormation logical ID, when given */
    char *table_name;    /* table name as picked (for the logical ID and the title) */
    char *stream_view_type; /* the stream's view type when the inventory knows it
                               (KEYS_ONLY, NEW_IMAGE, ...): what the filters can see */
    /* Logical IDs in the template the table, function, role and on-failure
       destination were picked from (NULL when they are literal ARNs):
       cfn exports refer to them with Fn::GetAtt / Ref. */
    char *table_ref;
    char *function_ref;
    char *role_ref;
    char *destination_ref;
    arn_kind destination_kind; /* what destination_ref is (queue, topic, bucket);
                                  ARN_OTHER when not picked from a template */
    /* An existing mapping (loaded from get-event-source-mapping output): its
       UUID, and the mapping as loaded, so that an update request knows what
       the person changed and removed. NULL for a new mapping. */
    char *uuid;
    struct mapping *original;
} mapping;

mapping *mapping_new(void);
void mapping_free(mapping *m);
mapping *mapping_clone(const mapping *m);
bool mapping_equal(const mapping *a, const mapping *b);

/* Parse TEXT for option ID and store it. List options: TEXT is one item and is
 * appended (use mapping_unset first to replace the list). Returns -1 with
 * *err ("10001 is out of range (...)") and the mapping unchanged on error. */
int mapping_set(mapping *m, opt_id id, const char *text, char **err);
/* Store an already parsed value (copied). */
void mapping_put(mapping *m, opt_id id, const opt_value *v);
/* Back to AWS's default (lists emptied). */
void mapping_unset(mapping *m, opt_id id);
const opt_value *mapping_get(const mapping *m, opt_id id);
bool mapping_is_set(const mapping *m, opt_id id);

/* Effective numeric value: the set value, or AWS's default. */
long long mapping_num(const mapping *m, opt_id id);

/* List editing; idx counts from 0. */
int mapping_replace_item(mapping *m, opt_id id, size_t idx, const char *text, char **err);
void mapping_remove_item(mapping *m, opt_id id, size_t idx);

/* True when M is an existing mapping (it has a UUID): exports can update it,
 * and options marked immutable in the table are read-only. */
bool mapping_is_update(const mapping *m);

void mapping_set_role(mapping *m, const char *role_arn);
void mapping_set_logical_id(mapping *m, const char *id);

/* Problems found by validation. */
typedef enum { DIAG_ERROR, DIAG_WARNING } diag_level;

typedef struct diag {
    diag_level level;
    opt_id opt;    /* the option it concerns (the first, for rules across options) */
    opt_id other;  /* the second option of a rule across options, or OPT_COUNT */
    char *message; /* without the option: "KMS key needs at least one filter" */
    long item;     /* the list item it concerns (0 for the first filter), or -1 */
} diag;

typedef struct diag_list {
    diag *items;
    size_t n;
} diag_list;

/* Check required options and every rule across options (region mismatch,
 * FIFO destination, KMS key without filters, tumbling window with
 * parallelization, risky defaults, SNS size limit, ...). Appends to OUT. */
void mapping_validate(const mapping *m, diag_list *out);
size_t diag_count(const diag_list *l, diag_level level);
void diag_list_free(diag_list *l);
/* "--filter-kms-key: needs at least one filter", "--filter 2: eventName: ..." (no
 * "esmcfg: " prefix). Caller frees. */
char *diag_format(const diag *d);
/* The message with its item, as a screen shows it beside the option's label:
 * "filter 2: eventName: ...". Caller frees. */
char *diag_message(const diag *d);

#endif
