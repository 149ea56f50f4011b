/* Reading a mapping back: from esmcfg's own exports (json, cfn-json,
 * cfn-yaml) and from the AWS CLI's `aws lambda get-event-source-mapping`
 * and `list-event-source-mappings` output (JSON or YAML). The kind of
 * document is told from its content. Property values are found by walking
 * the option table's api / cfn paths and types, and go through
 * mapping_set, so they are checked exactly as flags are. Every problem
 * names where it is: a JSON path ("Resources.M.Properties.BatchSize") and,
 * when known, the line. */
#ifndef ESMCFG_EXPORT_LOAD_H
#define ESMCFG_EXPORT_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "model/inventory.h"
#include "model/mapping.h"

/* What a document is. */
typedef enum {
    LOAD_API_JSON,    /* a CreateEventSourceMapping request (esmcfg's json export) */
    LOAD_CFN_JSON,    /* a CloudFormation template in JSON */
    LOAD_CFN_YAML,    /* a CloudFormation template in YAML */
    LOAD_AWS_MAPPING, /* aws lambda get-event-source-mapping output */
    LOAD_AWS_LIST,    /* aws lambda list-event-source-mappings output */
    LOAD_UPDATE_JSON, /* an UpdateEventSourceMapping request (esmcfg's update-json) */
    LOAD_KIND_COUNT
} load_kind;

/* "json", "cfn-json", "cfn-yaml", "get-event-source-mapping output", ... */
const char *load_kind_name(load_kind k);

/* One problem, with where it is. */
typedef struct load_problem {
    diag_level level;
    size_t line;   /* 1-based line in the document, 0 when not known */
    char *path;    /* "Resources.M.Properties.BatchSize"; "" for the whole document */
    char *message; /* "0 is out of range (1..10000, default 100)" */
} load_problem;

typedef struct load_report {
    load_problem *items;
    size_t n;
} load_report;

/* How a document is read. */
typedef struct load_options {
    const char *source;     /* names the document in messages (a file name), or NULL */
    const char *uuid;       /* pick the mapping with this UUID (AWS output), or NULL */
    const char *logical_id; /* pick this resource (a template), or NULL */
    const inventory *inv;   /* resolves Ref / Fn::GetAtt to ARNs and role names to
                               role ARNs; may be NULL */
} load_options;

/* What load_mapping returns. */
typedef enum {
    LOAD_OK = 0,
    LOAD_INVALID = -1,  /* the document cannot be read or holds invalid values */
    LOAD_AMBIGUOUS = -2 /* several mappings and none picked (--uuid, --logical-id) */
} load_status;

/* Read the one mapping of TEXT (LEN bytes) into M, a new mapping. A mapping
 * from AWS output gets its UUID, values at AWS's default are left unset, and
 * M->original keeps a copy as loaded. Problems (errors, and warnings about
 * what is ignored) go to R. *KIND (when not NULL) says what TEXT was. */
load_status load_mapping(const char *text, size_t len, const load_options *o, mapping *m,
                         load_kind *kind, load_report *r);

/* Check every mapping in TEXT as esmcfg would export it: syntax, unknown
 * properties, each value, required options and the rules across options,
 * and a template's IAM policy. Appends every problem to R; returns the
 * number of errors. */
size_t load_check(const char *text, size_t len, const load_options *o, load_kind *kind,
                  load_report *r);

/* "SOURCE:LINE: PATH: message" (no "esmcfg: " prefix; SOURCE, LINE and PATH
 * left out when unknown or empty). Caller frees. */
char *load_problem_format(const load_problem *p, const char *source);
size_t load_report_count(const load_report *r, diag_level level);
void load_report_free(load_report *r);

#endif
