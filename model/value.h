/* Parsing and formatting of option values. Every parser returns 0 on
 * success, or -1 with *err set to an allocated message that names the value
 * and what is allowed, without the option's name ("10001 is out of range
 * (1..10000, default 100)"); callers prefix the option ("--batch-size: ").
 * The same message serves stderr in batch mode and the inline hint on screen. */
#ifndef ESMCFG_MODEL_VALUE_H
#define ESMCFG_MODEL_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/options.h"
#include "model/util.h"

typedef struct opt_item {
    char *key; /* pattern, metric name or tag key */
    char *val; /* tag value; NULL for other lists */
} opt_item;

/* One option's value in a mapping. */
typedef struct opt_value {
    bool set;        /* the user set it (else AWS's default applies) */
    long long num;   /* INT, DURATION, BOOL, FLAG_LIST */
    char *str;       /* STREAM, FUNCTION, ENUM, DESTINATION, KMS_KEY */
    opt_item *items; /* ENUM_LIST, PATTERNS, TAGS */
    size_t n_items;
} opt_value;

void opt_value_clear(opt_value *v);
int opt_value_copy(opt_value *dst, const opt_value *src);
bool opt_value_equal(const opt_value *a, const opt_value *b);

/* Parse TEXT as a value of option D into OUT (cleared first; OUT->set true).
 * For list types TEXT is one item (a pattern, "KEY=VALUE", a metric) and OUT
 * holds that single item; mapping_add_item appends it. A list type also
 * accepts "" meaning "no items". */
int opt_parse(const opt_def *d, const char *text, opt_value *out, char **err);

/* The value as the form and preview show it, with unit: "500", "10s",
 * "-1 (infinite)", "true", "2 filters". Caller frees. */
char *opt_format(const opt_def *d, const opt_value *v);
/* The value as an editable string that opt_parse accepts back ("10s",
 * "-1", "k=v,k2=v2" for tags, "EventCount" for metrics). Caller frees. */
char *opt_edit_text(const opt_def *d, const opt_value *v);

/* Lower-level parsers, also used by the inventory and loaders. */
int value_parse_int(const char *text, long long *out, char **err);
int value_parse_bool(const char *text, bool *out, char **err);
/* Whole seconds: "90", "30s", "5m", "1h", "7d", "1m30s", ISO 8601 "PT5M",
 * "P7D"; "-1" is a plain int. (A row's special name, "infinite", is read by
 * opt_parse from the table.) */
int value_parse_duration(const char *text, long long *out, char **err);
/* "7d", "5m", "90s": the largest unit that divides the value exactly. Caller frees. */
char *value_format_duration(long long seconds);

/* ARN kinds accepted by the ARN parser. */
typedef enum {
    ARN_DYNAMODB_TABLE,
    ARN_DYNAMODB_STREAM,
    ARN_LAMBDA_FUNCTION,
    ARN_SQS_QUEUE,
    ARN_SNS_TOPIC,
    ARN_S3_BUCKET,
    ARN_KMS_KEY,
    ARN_IAM_ROLE,
    ARN_OTHER
} arn_kind;

typedef struct arn_parts {
    arn_kind kind;
    char partition[32];
    char service[32];
    char region[32];
    char account[16];
    char resource[2048]; /* everything after the fifth ':' */
    char name[1024];     /* table, function, queue, topic, bucket, key id or alias, role name */
    char qualifier[256]; /* function alias/version, or stream label */
} arn_parts;

/* Split and check an ARN; kind is what the ARN is. */
int arn_parse(const char *text, arn_parts *out, char **err);
const char *arn_kind_name(arn_kind k); /* "SQS queue", "DynamoDB stream", ... */
/* "a" or "an", whichever reads right before arn_kind_name(k). */
const char *arn_kind_article(arn_kind k);

/* Function: a name, "ACCOUNT:function:NAME" or full ARN, each with an
 * optional ":ALIAS" or ":VERSION". Fills name (and region/account when known). */
int value_parse_function(const char *text, arn_parts *out, char **err);

/* A filter pattern: a JSON object, at most 4096 characters. */
int value_check_pattern(const char *text, char **err);
/* A tag: "KEY=VALUE" within AWS's limits; fills allocated key and value. */
int value_parse_tag(const char *text, char **key, char **val, char **err);

#endif
