/* Any inventory file: the kind is told from the content. JSON goes to the
 * model's readers (esmcfg's inventory, AWS CLI output); a CloudFormation or
 * SAM template, in JSON or YAML (short-form tags such as !Ref, !GetAtt and
 * !Sub included), is read here, because YAML needs libyaml.
 *
 * A template's tables, functions, queues, topics and buckets become items
 * without ARNs: logical_id is the logical ID, name the literal physical
 * name (TableName, FunctionName, QueueName, TopicName, BucketName) or the
 * logical ID when there is none, cfn_type the resource type. Functions
 * carry role_arn for a literal role ARN, or role_logical_id for a role the
 * template defines (Role: !GetAtt X.Arn or !Ref X, X an AWS::IAM::Role; a
 * SAM function without Role gets SAM's implicit "<LogicalId>Role"). */
#ifndef ESMCFG_EXPORT_TEMPLATE_INVENTORY_H
#define ESMCFG_EXPORT_TEMPLATE_INVENTORY_H

#include <stddef.h>

#include <cJSON.h>

#include "model/inventory.h"

/* The largest template read (CloudFormation's own limit, from S3). */
#define TEMPLATE_INVENTORY_MAX_BYTES ((size_t)1024 * 1024)

/* Load TEXT, of any kind, and add its items; SOURCE names it in messages.
 * Returns INV_LOAD_OK, or INV_LOAD_INVALID with *err naming SOURCE and
 * where in it (a JSON path, or a YAML line), nothing added. Text of no
 * known kind gets "SOURCE: not an inventory: expected esmcfg's inventory,
 * AWS CLI output (list-tables, describe-table, list-functions, ...) or a
 * CloudFormation/SAM template". */
int inventory_load_any(inventory *inv, const char *text, size_t len, const char *source,
                       char **err);

/* The same for the file PATH: INV_LOAD_OK, INV_LOAD_INVALID (content, or
 * larger than INVENTORY_FILE_MAX) or INV_LOAD_IO (cannot be read), *err
 * set on failure. Large files are mapped, not copied. */
int inventory_load_path(inventory *inv, const char *path, char **err);

/* The resources of template DOC (already parsed) as items. TEXT (LEN
 * bytes, may be NULL) is the YAML it was read from, for line numbers in
 * messages. Same results as inventory_load_any. */
int inventory_load_template(inventory *inv, const cJSON *doc, const char *text, size_t len,
                            const char *source, char **err);

#endif
