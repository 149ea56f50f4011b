/* --merge-into TEMPLATE: an existing CloudFormation template with the
 * export's resources (the event source mapping and its role policy) added
 * and everything else kept as it was. The new resources go in as text at
 * the end of the template's Resources block, in the template's own
 * indentation and line endings, so comments, key order and formatting
 * outside that block survive byte for byte. The result is read back and
 * checked before it is returned. */
#ifndef ESMCFG_EXPORT_MERGE_H
#define ESMCFG_EXPORT_MERGE_H

#include <stddef.h>

#include "export/export.h"
#include "model/mapping.h"

/* The format a template is written in: FMT_CFN_JSON when its first
 * character (after a byte order mark and white space) is '{', else
 * FMT_CFN_YAML. */
export_format export_merge_format(const char *text, size_t len);

/* TEXT (LEN bytes, the template named SOURCE in messages) with M's
 * resources added. M's template references must name resources of this
 * template, of the right type. Refused, NULL with *err: M does not
 * validate; the template cannot be read, has no block-style Resources
 * mapping, or already has a resource or parameter with one of the new
 * logical IDs (the message names it and suggests --logical-id). Caller
 * frees. */
char *export_merge(const mapping *m, const char *text, size_t len, const char *source, char **err);

#endif
