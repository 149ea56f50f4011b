/* Inside export/: the document trees the renderers build and the printers
 * that turn a tree into the exact bytes of an export. Not for other modules;
 * they use export.h. */
#ifndef ESMCFG_EXPORT_RENDER_H
#define ESMCFG_EXPORT_RENDER_H

#include <stdbool.h>

#include <cJSON.h>

#include "export/export.h"
#include "model/mapping.h"
#include "model/value.h"

/* The CreateEventSourceMapping request for M (assumed valid). Caller deletes. */
cJSON *export_api_tree(const mapping *m);
/* The CloudFormation template for M (assumed to pass export_check). Caller
 * deletes. */
cJSON *export_cfn_tree(const mapping *m);
/* The template's resources for M (assumed to pass export_check): {ID: the
 * event source mapping, ID "Policy": the policy on the function's role, when
 * that role is known}. Options picked from a template are written as Ref /
 * Fn::GetAtt of their logical IDs. DEST_KIND is the kind of the on-failure
 * destination when M refers to it in a template without its ARN (the type of
 * the template's resource), else ARN_OTHER. Caller deletes. */
cJSON *export_cfn_resources(const mapping *m, arn_kind dest_kind);

/* The Terraform, SAM and CDK documents for M (assumed to pass
 * export_check): export/terraform.c, sam.c, cdk.c. SAM returns NULL with
 * *err on an emitter failure; the CDK when M needs what a snippet cannot
 * say (an S3 destination without the function's role). Caller frees. */
char *export_terraform_render(const mapping *m);
char *export_sam_render(const mapping *m, char **err);
char *export_cdk_render(const mapping *m, bool py, char **err);

/* Whether M can be exported as F: it validates, and every option picked
 * from a template has what F needs (the API JSON: the literal ARN; the
 * templates: the destination's kind, from its ARN or DEST_KIND). -1 with
 * *err (as diag_format writes it) when not. */
int export_check(const mapping *m, export_format f, arn_kind dest_kind, char **err);

/* TREE as JSON with 2-space indentation, keys in tree order and a trailing
 * newline. Caller frees. */
char *export_json_print(const cJSON *tree);
/* TREE as JSON in a given style: UNIT is one level of indentation ("  ",
 * "    ", "\t"), every line after the first starts with PREFIX, lines end
 * with NEWLINE ("\n" or "\r\n"); no newline after the last line. Caller
 * frees. */
char *export_json_print_styled(const cJSON *tree, const char *unit, const char *prefix,
                               const char *newline);
/* TREE as block-style YAML (libyaml emitter, 2-space indentation), every
 * string quoted wherever plain would read back as something else. NULL with
 * *err on an emitter failure. Caller frees. */
char *export_yaml_print(const cJSON *tree, char **err);

/* Table name (M's own, else from the stream ARN, else the template's
 * logical ID) and function name (without qualifier, else the template's
 * logical ID), or "" when unknown. Caller frees. */
char *export_table_name(const mapping *m);
char *export_function_name(const mapping *m);

/* Add every option of M to OBJ under its API (CFN: CloudFormation) property
 * path, in table order; unset options are left out unless always exported. */
void export_add_properties(cJSON *obj, const mapping *m, bool cfn);

/* Add VALUE to OBJ at the '.'-separated PATH, creating the objects between;
 * takes VALUE. */
void export_put_path(cJSON *obj, const char *path, cJSON *value);

#endif
