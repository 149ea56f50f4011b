/* Reading a YAML document (a CloudFormation template, an earlier cfn-yaml
 * export) into the same JSON tree a JSON template parses to. */
#ifndef ESMCFG_EXPORT_YAML_READ_H
#define ESMCFG_EXPORT_YAML_READ_H

#include <stddef.h>

#include <cJSON.h>

/* The largest document read, in bytes (CloudFormation takes 1 MB from S3). */
#define EXPORT_YAML_MAX_BYTES ((size_t)1024 * 1024)
/* The deepest nesting of mappings and sequences read. */
#define EXPORT_YAML_MAX_DEPTH 64
/* The most keys one mapping may hold (a template has at most 500 resources);
 * keeps the duplicate-key check fast on hostile input. */
#define EXPORT_YAML_MAX_KEYS 10000

/* Parse the one YAML document in TEXT (LEN bytes) into a new cJSON tree.
 * Plain scalars become null, booleans, numbers or strings as YAML's core
 * schema reads them (YAML 1.1 yes/no/on/off are booleans, as CloudFormation
 * reads them); quoted scalars are strings. CloudFormation's short-form tags
 * become their long form: `!Ref X` -> {"Ref": "X"}, `!GetAtt A.B` ->
 * {"Fn::GetAtt": ["A", "B"]}, `!Condition C` -> {"Condition": "C"}, any
 * other `!Name V` -> {"Fn::Name": V}. Aliases, duplicate keys, non-scalar
 * keys and other tags are refused. Returns NULL with *err set to
 * "SOURCE:LINE:COLUMN: reason" (SOURCE NULL: "line LINE, column COLUMN:
 * reason"). Caller deletes the tree. */
cJSON *export_yaml_read(const char *text, size_t len, const char *source, char **err);

#endif
