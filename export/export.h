/* Rendering a mapping as the documents esmcfg exports, and writing them.
 * Every renderer returns the exact bytes the export writes; the preview
 * shows the same string. */
#ifndef ESMCFG_EXPORT_EXPORT_H
#define ESMCFG_EXPORT_EXPORT_H

#include <stddef.h>

#include "model/mapping.h"

typedef enum {
    FMT_JSON,        /* the CreateEventSourceMapping request (--cli-input-json) */
    FMT_CFN_JSON,    /* CloudFormation template, JSON */
    FMT_CFN_YAML,    /* CloudFormation template, YAML (libyaml emitter) */
    FMT_SAM,         /* SAM template: the function's Events: Type: DynamoDB (YAML) */
    FMT_TERRAFORM,   /* Terraform aws_lambda_event_source_mapping (HCL) */
    FMT_CDK_TS,      /* CDK TypeScript: a Stack with a DynamoEventSource */
    FMT_CDK_PYTHON,  /* CDK Python: the same */
    FMT_UPDATE_JSON, /* the UpdateEventSourceMapping request of a loaded existing mapping */
    FMT_COUNT
} export_format;

const char *export_format_name(export_format f);  /* "json", "cfn-json", "terraform" */
const char *export_format_title(export_format f); /* "API JSON", "CloudFormation YAML" */
const char *export_format_ext(export_format f);   /* ".json", ".yaml" */
/* Returns 0 and sets *out, or -1 for an unknown name. */
int export_format_parse(const char *name, export_format *out);

/* The document for M in format F, or NULL with *err when M does not
 * validate (the first error, formatted as diag_format does). Caller frees. */
char *export_render(const mapping *m, export_format f, char **err);

/* The CloudFormation logical ID: M's own when set, else derived from the
 * table and function names ("OrdersProcessOrdersMapping"). Caller frees. */
char *export_logical_id(const mapping *m);
/* A file name to suggest: "orders-process-orders.cfn.yaml". Caller frees. */
char *export_suggested_path(const mapping *m, export_format f);

/* Write DATA to PATH atomically: a temporary file in the same folder,
 * fsync, rename; an existing file's mode is kept. On failure the old file is
 * untouched, the temporary removed, and *err names the path and the reason. */
int export_write_atomic(const char *path, const char *data, size_t len, char **err);

#endif
