/* Inside export/: the document trees the renderers build and the printers
 * that turn a tree into the exact bytes of an export. Not for other modules;
 * they use export.h. */
#ifndef ESMCFG_EXPORT_RENDER_H
#define ESMCFG_EXPORT_RENDER_H

#include <stdbool.h>

#include <cJSON.h>

#include "model/mapping.h"

/* The CreateEventSourceMapping request for M (assumed valid). Caller deletes. */
cJSON *export_api_tree(const mapping *m);
/* The CloudFormation template for M (assumed valid). Caller deletes. */
cJSON *export_cfn_tree(const mapping *m);

/* TREE as JSON with 2-space indentation, keys in tree order and a trailing
 * newline. Caller frees. */
char *export_json_print(const cJSON *tree);
/* TREE as block-style YAML (libyaml emitter, 2-space indentation), every
 * string quoted wherever plain would read back as something else. NULL with
 * *err on an emitter failure. Caller frees. */
char *export_yaml_print(const cJSON *tree, char **err);

/* Table name (M's own, else from the stream ARN) and function name (without
 * qualifier), or "" when unknown. Caller frees. */
char *export_table_name(const mapping *m);
char *export_function_name(const mapping *m);

/* Add every option of M to OBJ under its API (CFN: CloudFormation) property
 * path, in table order; unset options are left out unless always exported. */
void export_add_properties(cJSON *obj, const mapping *m, bool cfn);

/* Add VALUE to OBJ at the '.'-separated PATH, creating the objects between;
 * takes VALUE. */
void export_put_path(cJSON *obj, const char *path, cJSON *value);

#endif
