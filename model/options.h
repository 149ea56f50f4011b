/* The one option table: every option of a DynamoDB-stream event source
 * mapping, described once. The argument parser, validator, form, help, man
 * page and every exporter read these rows; nothing else names an option's
 * flag, property or range. */
#ifndef ESMCFG_MODEL_OPTIONS_H
#define ESMCFG_MODEL_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

/* Row identifiers, in table (and form) order. */
typedef enum {
    OPT_TABLE,
    OPT_FUNCTION,
    OPT_STARTING_POSITION,
    OPT_BATCH_SIZE,
    OPT_MAX_BATCHING_WINDOW,
    OPT_TUMBLING_WINDOW,
    OPT_BISECT_BATCH_ON_ERROR,
    OPT_RETRY_ATTEMPTS,
    OPT_MAX_RECORD_AGE,
    OPT_ON_FAILURE,
    OPT_REPORT_BATCH_ITEM_FAILURES,
    OPT_PARALLELIZATION_FACTOR,
    OPT_FILTERS,
    OPT_FILTER_KMS_KEY,
    OPT_ENABLED,
    OPT_METRICS,
    OPT_TAGS,
    OPT_COUNT
} opt_id;

/* How a value is typed, parsed, stored and exported. Exporters switch on
 * this, never on the option. */
typedef enum {
    OPT_T_STREAM,      /* table name / table ARN / stream ARN -> stream ARN (str) */
    OPT_T_FUNCTION,    /* function name or ARN with optional qualifier (str) */
    OPT_T_ENUM,        /* one of choices (str) */
    OPT_T_INT,         /* integer in [min,max] or special (num) */
    OPT_T_BOOL,        /* true/false (num 0/1) */
    OPT_T_DURATION,    /* whole seconds in [min,max] or special (num) */
    OPT_T_DESTINATION, /* SQS queue / SNS topic / S3 bucket ARN (str) */
    OPT_T_KMS_KEY,     /* KMS key ARN (str) */
    OPT_T_FLAG_LIST,   /* boolean exported as a one-element list: [list_value] (num) */
    OPT_T_ENUM_LIST,   /* list of choices (items[].key) */
    OPT_T_PATTERNS,    /* list of JSON event patterns (items[].key) */
    OPT_T_TAGS         /* list of key/value pairs (items[].key, items[].val) */
} opt_type;

typedef struct opt_def {
    opt_id id;
    const char *name;       /* CLI flag without dashes; also --focus name: "batch-size" */
    const char *label;      /* form label: "Batch size" */
    const char *group;      /* form group: "Source", "Batching", ... */
    const char *cdk;        /* aws-cdk-lib DynamoEventSource prop (camelCase), "" if none */
    const char *cdk_snake;  /* the same in snake_case, "" if none */
    const char *api;        /* API JSON property path, '.'-separated */
    const char *cfn;        /* CloudFormation property path, '.'-separated */
    const char *tf;         /* Terraform aws_lambda_event_source_mapping argument path,
                               '.'-separated: segments before the last are nested blocks
                               ("destination_config.on_failure.destination_arn"); for a
                               pattern list the block holding the last one repeats per item */
    const char *sam;        /* property path in SAM's DynamoDB event (Events: Type: DynamoDB);
                               "" when that event has none (the function is the
                               AWS::Serverless::Function itself; tags) */
    const char *cdk_enum;   /* OPT_T_ENUM, OPT_T_ENUM_LIST: the CDK's enum in aws_lambda
                               ("StartingPosition"; members are the choices in
                               UPPER_SNAKE_CASE), else NULL */
    const char *list_key;   /* member name of each item: "Pattern" (filters), "Key" (CFN tags) */
    const char *list_value; /* OPT_T_FLAG_LIST: the element written when true;
                               OPT_T_TAGS: the value's member name in CFN ("Value") */
    opt_type type;
    const char *metavar;        /* "N", "DUR", "ARN", "BOOL", "JSON", ... */
    const char *unit;           /* "records", "s", "" */
    long long min, max;         /* OPT_T_INT / OPT_T_DURATION range; string length for strings */
    bool has_special;           /* a value outside [min,max] that is allowed */
    long long special;          /* that value, e.g. -1 */
    const char *special_name;   /* its meaning: "infinite" */
    const char *const *choices; /* NULL-terminated, for enum types */
    size_t max_items;           /* list types: how many items AWS takes */
    size_t quota_items;         /* list types: how many AWS takes by default, when a
                                   service quota (quota_name) raises it up to max_items;
                                   0: no such quota */
    const char *quota_name;     /* that quota, as the Service Quotas console names it */
    const char *item_name;      /* list types: what one item is called in messages
                                   ("filter 2: ..."), or NULL */
    long long max_value;        /* OPT_T_TAGS: longest tag value, in characters */
    bool required;              /* must be set to export */
    bool always_export;         /* written even when unset (BatchSize, as the CDK does) */
    bool repeatable;            /* the CLI flag may be given several times (adds an item) */
    long long default_num;      /* AWS default for numeric/bool types */
    const char *default_text;   /* AWS default, as shown: "100", "-1 (infinite)", "none" */
    const char *help;           /* one line */
    const char *long_help;      /* paragraph for the help screen and man page */
    /* Coming back to an existing mapping (--load, --format update-json): */
    bool immutable;                /* AWS cannot change it on an existing mapping (read-only
                                      on screen when mapping_is_update) */
    const char *update_note;       /* why it is not in the UpdateEventSourceMapping request
                                      (changing it is an error with this reason), or NULL */
    const char *clear_json;        /* the update request's JSON, at the first segment of api,
                                      that removes the option; NULL: numbers and booleans
                                      write their AWS default */
    const char *api_read;          /* its property in get-event-source-mapping's output when
                                      that is not api ("FunctionArn", "State"), or NULL */
    const char *const *read_false; /* OPT_T_BOOL read from api_read: the states meaning false */
} opt_def;

/* The table, OPT_COUNT rows in opt_id order. */
const opt_def *opt_table(void);
const opt_def *opt_get(opt_id id);
/* Row by CLI name ("batch-size"), with or without leading "--"; NULL if none. */
const opt_def *opt_find(const char *name);

/* "1..10000, default 100" / "-1 (infinite) or 60..604800 s, default -1 (infinite)";
 * what the option allows, as error messages and help show it. Caller frees. */
char *opt_allowed_text(const opt_def *d);

/* True when the type stores a list of items. */
bool opt_is_list(const opt_def *d);
/* True when the type stores a number (int, duration, bool, flag list). */
bool opt_is_numeric(const opt_def *d);

#endif
