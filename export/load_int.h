/* Inside export/load*.c: the reading context, the line index of a
 * document, and the walk of one mapping's properties over the option
 * table. Not for other modules; they use load.h. */
#ifndef ESMCFG_EXPORT_LOAD_INT_H
#define ESMCFG_EXPORT_LOAD_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <cJSON.h>

#include "export/load.h"

/* Where each node of a document starts: "a.b[2].c" -> line. */
typedef struct line_entry {
    char *path;
    size_t line;
} line_entry;

typedef struct line_index {
    line_entry *items;
    size_t n, cap;
} line_index;

/* Index the lines of TEXT (YAML, or JSON read as YAML). A document libyaml
 * cannot read leaves the index as far as it got (possibly empty). */
void load_lines_build(line_index *li, const char *text, size_t len);
/* The line of PATH, else of its nearest ancestor in the index; 0 if none. */
size_t load_lines_find(const line_index *li, const char *path);
void load_lines_free(line_index *li);

/* Reading one document. */
typedef struct load_ctx {
    const load_options *o;
    load_kind kind;
    bool cfn;             /* property names are CloudFormation's */
    bool aws;             /* AWS CLI output: api_read names, other members ignored,
                             values at AWS's default left unset */
    bool update;          /* an UpdateEventSourceMapping request */
    bool check;           /* --check: unresolved references are accepted */
    const char *skip_key; /* a top-level member that is not an option (UUID), or NULL */
    line_index lines;
    load_report *r;
} load_ctx;

/* Append a problem at PATH (its line looked up) to the report. */
void load_add(load_ctx *c, diag_level level, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "base.key" ("key" when BASE is empty). Caller frees. */
char *load_path_join(const char *base, const char *key);
/* "base[i]". Caller frees. */
char *load_path_index(const char *base, size_t i);

/* The row's property path in this document. */
const char *load_row_path(const load_ctx *c, const opt_def *d);

/* What reading one mapping's properties found, per option. */
typedef struct load_found {
    bool present[OPT_COUNT]; /* the property is in the document */
    bool ref[OPT_COUNT];     /* ... as a reference the inventory did not resolve (check) */
    bool failed[OPT_COUNT];  /* its value was refused (already reported) */
} load_found;

/* Read the properties object PROPS, found at PATH, into M, reporting every
 * problem; FOUND says what was there. */
void load_properties(load_ctx *c, const cJSON *props, const char *path, mapping *m,
                     load_found *found);

/* A context for TEXT (its lines indexed) reporting to R. */
void load_ctx_init(load_ctx *c, const load_options *o, const char *text, size_t len,
                   load_report *r);
/* TEXT as a tree: JSON when it starts like JSON, else YAML; NULL with the
 * syntax error reported at its line. *YAML says which. */
cJSON *load_parse(load_ctx *c, const char *text, size_t len, bool *yaml);
/* What ROOT is: sets c->kind and how properties are named; -1 (reported)
 * when it is no document esmcfg reads. */
int load_detect(load_ctx *c, const cJSON *root, bool yaml);

/* The resource ID of RESOURCES when its Type is TYPE, else NULL. */
const cJSON *load_resource_of_type(const cJSON *resources, const char *id, const char *type);
/* The mapping resources of template ROOT, in order (*N of them); a template
 * without any is reported. Caller frees the array. */
const cJSON **load_template_mappings(load_ctx *c, const cJSON *root, size_t *n);
/* The IAM policy resource mapping resource RES (ID) depends on, else the
 * one named ID + "Policy"; *POLICY_ID its ID. NULL when none. */
const cJSON *load_policy_of(const cJSON *resources, const char *id, const cJSON *res,
                            const char **policy_id);
/* M's function role from the policy of mapping resource RES (ID). */
void load_role(load_ctx *c, const cJSON *resources, const char *id, const cJSON *res, mapping *m);

/* Whether entry E of AWS output reads a DynamoDB stream. */
bool load_reads_stream(const load_ctx *c, const cJSON *e);

/* The inventory item whose template logical ID is ID, or NULL. */
const inv_item *load_find_logical(const load_ctx *c, const char *id);

#endif
