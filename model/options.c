/* The option table. Facts from AWS's Lambda API model
 * (CreateEventSourceMapping), the AWS::Lambda::EventSourceMapping resource
 * and aws-cdk-lib's DynamoEventSource; see
 * shared/reference/dynamodb-esm-options.md. Terraform argument names (.tf)
 * are the AWS provider's aws_lambda_event_source_mapping (5.x: tags,
 * kms_key_arn and metrics_config included); SAM's (.sam) are the
 * properties of AWS::Serverless::Function's DynamoDB event, which has no
 * Tags. */
#include "model/options.h"

#include <stdio.h>
#include <string.h>

#include "model/util.h"

static const char *const starting_positions[] = {"TRIM_HORIZON", "LATEST", NULL};
static const char *const stream_metrics[] = {"EventCount", NULL};
/* get-event-source-mapping's State values of a mapping that does not poll. */
static const char *const states_disabled[] = {"Disabled", "Disabling", NULL};

static const opt_def table[OPT_COUNT] = {
    [OPT_TABLE] =
        {
            .id = OPT_TABLE,
            .name = "table",
            .label = "Table",
            .group = "Source",
            .cdk = "",
            .cdk_snake = "",
            .api = "EventSourceArn",
            .cfn = "EventSourceArn",
            .tf = "event_source_arn",
            .sam = "Stream",
            .type = OPT_T_STREAM,
            .metavar = "TABLE",
            .unit = "",
            .min = 1,
            .max = 1024,
            .required = true,
            .default_text = "required",
            .help = "DynamoDB table (name or ARN) or its stream ARN",
            .long_help = "The DynamoDB stream the function reads. Give the stream ARN, or a table "
                         "name or table ARN that the inventory resolves to the table's latest "
                         "stream. The table must have DynamoDB Streams enabled, and must be in "
                         "the function's region. It cannot be changed on an existing mapping.",
            .immutable = true,
            .update_note = "a mapping's stream cannot be changed: create a new mapping",
        },
    [OPT_FUNCTION] =
        {
            .id = OPT_FUNCTION,
            .name = "function",
            .label = "Function",
            .group = "Source",
            .cdk = "",
            .cdk_snake = "",
            .api = "FunctionName",
            .cfn = "FunctionName",
            .tf = "function_name",
            .sam = "",
            .type = OPT_T_FUNCTION,
            .metavar = "FUNCTION",
            .unit = "",
            .min = 1,
            .max = 256,
            .required = true,
            .default_text = "required",
            .help = "Lambda function name or ARN, with an optional :ALIAS or :VERSION",
            .long_help = "The Lambda function that processes the records: a name "
                         "(process-orders), a partial ARN (123456789012:function:process-orders) "
                         "or a full ARN, each optionally followed by :ALIAS or :VERSION. The name "
                         "part is 1..64 characters of letters, digits, '-' and '_'; the whole "
                         "value at most 256 characters.",
            .api_read = "FunctionArn",
        },
    [OPT_STARTING_POSITION] =
        {
            .id = OPT_STARTING_POSITION,
            .name = "starting-position",
            .label = "Starting position",
            .group = "Source",
            .cdk = "startingPosition",
            .cdk_snake = "starting_position",
            .api = "StartingPosition",
            .cfn = "StartingPosition",
            .tf = "starting_position",
            .sam = "StartingPosition",
            .cdk_enum = "StartingPosition",
            .type = OPT_T_ENUM,
            .metavar = "POSITION",
            .unit = "",
            .choices = starting_positions,
            .required = true,
            .default_text = "required",
            .help = "where in the stream to start reading",
            .long_help =
                "TRIM_HORIZON starts with the oldest record still in the stream (up to "
                "24 hours back); LATEST starts with records written after the mapping is "
                "created. AT_TIMESTAMP is not supported for DynamoDB streams. It cannot be "
                "changed on an existing mapping.",
            .immutable = true,
            .update_note = "a mapping's starting position cannot be changed: create a new mapping",
        },
    [OPT_BATCH_SIZE] =
        {
            .id = OPT_BATCH_SIZE,
            .name = "batch-size",
            .label = "Batch size",
            .group = "Batching",
            .cdk = "batchSize",
            .cdk_snake = "batch_size",
            .api = "BatchSize",
            .cfn = "BatchSize",
            .tf = "batch_size",
            .sam = "BatchSize",
            .type = OPT_T_INT,
            .metavar = "N",
            .unit = "records",
            .min = 1,
            .max = 10000,
            .always_export = true,
            .default_num = 100,
            .default_text = "100",
            .help = "most records sent to the function in one batch",
            .long_help = "The largest number of records Lambda reads from the stream and sends "
                         "to one invocation. Lambda sends fewer when the batching window ends or "
                         "the payload reaches 6 MB. Always written to the export, as the CDK "
                         "does.",
        },
    [OPT_MAX_BATCHING_WINDOW] =
        {
            .id = OPT_MAX_BATCHING_WINDOW,
            .name = "max-batching-window",
            .label = "Batching window",
            .group = "Batching",
            .cdk = "maxBatchingWindow",
            .cdk_snake = "max_batching_window",
            .api = "MaximumBatchingWindowInSeconds",
            .cfn = "MaximumBatchingWindowInSeconds",
            .tf = "maximum_batching_window_in_seconds",
            .sam = "MaximumBatchingWindowInSeconds",
            .type = OPT_T_DURATION,
            .metavar = "DUR",
            .unit = "s",
            .min = 0,
            .max = 300,
            .default_num = 0,
            .default_text = "0s",
            .help = "how long to gather records before invoking",
            .long_help = "How long Lambda waits to fill a batch before it invokes the function, "
                         "in whole seconds: 90, 30s, 5m or PT5M. A longer window means fewer, "
                         "fuller invocations and more latency.",
        },
    [OPT_TUMBLING_WINDOW] =
        {
            .id = OPT_TUMBLING_WINDOW,
            .name = "tumbling-window",
            .label = "Tumbling window",
            .group = "Batching",
            .cdk = "tumblingWindow",
            .cdk_snake = "tumbling_window",
            .api = "TumblingWindowInSeconds",
            .cfn = "TumblingWindowInSeconds",
            .tf = "tumbling_window_in_seconds",
            .sam = "TumblingWindowInSeconds",
            .type = OPT_T_DURATION,
            .metavar = "DUR",
            .unit = "s",
            .min = 0,
            .max = 900,
            .default_num = 0,
            .default_text = "0s (none)",
            .help = "aggregation window; the function must return its state",
            .long_help = "Groups records into windows of this length for aggregation; the "
                         "function receives the state it returned for the previous batch of the "
                         "window. 0 turns windows off. Reported to work only with a "
                         "parallelization factor of 1.",
        },
    [OPT_BISECT_BATCH_ON_ERROR] =
        {
            .id = OPT_BISECT_BATCH_ON_ERROR,
            .name = "bisect-batch-on-error",
            .label = "Bisect on error",
            .group = "Errors",
            .cdk = "bisectBatchOnError",
            .cdk_snake = "bisect_batch_on_error",
            .api = "BisectBatchOnFunctionError",
            .cfn = "BisectBatchOnFunctionError",
            .tf = "bisect_batch_on_function_error",
            .sam = "BisectBatchOnFunctionError",
            .type = OPT_T_BOOL,
            .metavar = "BOOL",
            .unit = "",
            .default_num = 0,
            .default_text = "false",
            .help = "split a failing batch in two and retry each half",
            .long_help = "When the function returns an error, split the batch in two and retry "
                         "each half, so one bad record does not hold back the others. Retries "
                         "of halves do not count against the retry attempts.",
        },
    [OPT_RETRY_ATTEMPTS] =
        {
            .id = OPT_RETRY_ATTEMPTS,
            .name = "retry-attempts",
            .label = "Retry attempts",
            .group = "Errors",
            .cdk = "retryAttempts",
            .cdk_snake = "retry_attempts",
            .api = "MaximumRetryAttempts",
            .cfn = "MaximumRetryAttempts",
            .tf = "maximum_retry_attempts",
            .sam = "MaximumRetryAttempts",
            .type = OPT_T_INT,
            .metavar = "N",
            .unit = "",
            .min = 0,
            .max = 10000,
            .has_special = true,
            .special = -1,
            .special_name = "infinite",
            .default_num = -1,
            .default_text = "-1 (infinite)",
            .help = "retries before a batch is dropped",
            .long_help = "How many times Lambda retries a batch that failed before it gives the "
                         "records up (to the on-failure destination, if any). -1 retries until "
                         "the records expire from the stream, which can block the shard for up "
                         "to a day.",
        },
    [OPT_MAX_RECORD_AGE] =
        {
            .id = OPT_MAX_RECORD_AGE,
            .name = "max-record-age",
            .label = "Max record age",
            .group = "Errors",
            .cdk = "maxRecordAge",
            .cdk_snake = "max_record_age",
            .api = "MaximumRecordAgeInSeconds",
            .cfn = "MaximumRecordAgeInSeconds",
            .tf = "maximum_record_age_in_seconds",
            .sam = "MaximumRecordAgeInSeconds",
            .type = OPT_T_DURATION,
            .metavar = "DUR",
            .unit = "s",
            .min = 60,
            .max = 604800,
            .has_special = true,
            .special = -1,
            .special_name = "infinite",
            .default_num = -1,
            .default_text = "-1 (infinite)",
            .help = "oldest record Lambda still sends to the function",
            .long_help = "Records older than this are discarded (to the on-failure destination, "
                         "if any) instead of being processed. -1 keeps them until they leave the "
                         "stream, which is 24 hours for DynamoDB Streams. Values from 0 to 59 "
                         "seconds are rejected by the API.",
        },
    [OPT_ON_FAILURE] =
        {
            .id = OPT_ON_FAILURE,
            .name = "on-failure",
            .label = "On-failure destination",
            .group = "Errors",
            .cdk = "onFailure",
            .cdk_snake = "on_failure",
            .api = "DestinationConfig.OnFailure.Destination",
            .cfn = "DestinationConfig.OnFailure.Destination",
            .tf = "destination_config.on_failure.destination_arn",
            .sam = "DestinationConfig.OnFailure.Destination",
            .type = OPT_T_DESTINATION,
            .metavar = "ARN",
            .unit = "",
            .min = 1,
            .max = 350,
            .default_text = "none",
            .help = "SQS queue, SNS topic or S3 bucket for discarded records",
            .long_help = "Where Lambda sends a record of each batch it gives up on: a standard "
                         "SQS queue, a standard SNS topic or an S3 bucket ARN (at most 350 "
                         "characters). FIFO queues and topics do not work. SNS drops messages "
                         "over 256 KB. Without one, discarded records are lost.",
            .clear_json = "{}",
        },
    [OPT_REPORT_BATCH_ITEM_FAILURES] =
        {
            .id = OPT_REPORT_BATCH_ITEM_FAILURES,
            .name = "report-batch-item-failures",
            .label = "Report item failures",
            .group = "Errors",
            .cdk = "reportBatchItemFailures",
            .cdk_snake = "report_batch_item_failures",
            .api = "FunctionResponseTypes",
            .cfn = "FunctionResponseTypes",
            .tf = "function_response_types",
            .sam = "FunctionResponseTypes",
            .list_value = "ReportBatchItemFailures",
            .type = OPT_T_FLAG_LIST,
            .metavar = "BOOL",
            .unit = "",
            .max_items = 1,
            .default_num = 0,
            .default_text = "false",
            .help = "the function reports which records failed (partial batch response)",
            .long_help = "Lets the function return batchItemFailures so that only the failed "
                         "records and those after them are retried. It changes nothing unless "
                         "the function's code returns that list. With bisect on error as well, "
                         "bisect still splits a batch when the function fails as a whole (a "
                         "timeout, a crash), which returns no list.",
            .clear_json = "[]",
        },
    [OPT_PARALLELIZATION_FACTOR] =
        {
            .id = OPT_PARALLELIZATION_FACTOR,
            .name = "parallelization-factor",
            .label = "Parallelization",
            .group = "Scaling",
            .cdk = "parallelizationFactor",
            .cdk_snake = "parallelization_factor",
            .api = "ParallelizationFactor",
            .cfn = "ParallelizationFactor",
            .tf = "parallelization_factor",
            .sam = "ParallelizationFactor",
            .type = OPT_T_INT,
            .metavar = "N",
            .unit = "per shard",
            .min = 1,
            .max = 10,
            .default_num = 1,
            .default_text = "1",
            .help = "concurrent batches per shard",
            .long_help = "How many batches from each shard Lambda processes at the same time. "
                         "Records with the same partition key stay in order.",
        },
    [OPT_FILTERS] =
        {
            .id = OPT_FILTERS,
            .name = "filter",
            .label = "Filters",
            .group = "Filters",
            .cdk = "filters",
            .cdk_snake = "filters",
            .api = "FilterCriteria.Filters",
            .cfn = "FilterCriteria.Filters",
            .tf = "filter_criteria.filter.pattern",
            .sam = "FilterCriteria.Filters",
            .list_key = "Pattern",
            .type = OPT_T_PATTERNS,
            .metavar = "JSON",
            .unit = "",
            .min = 1,
            .max = 4096,
            .max_items = 10,
            .quota_items = 5,
            .quota_name = "Filters per event source mapping",
            .item_name = "filter",
            .repeatable = true,
            .default_text = "none",
            .help = "event filter pattern (JSON object); repeat for more",
            .long_help = "Lambda invokes the function only with records that match at least one "
                         "filter (filters are ORed; the fields inside one filter must all match), "
                         "e.g. {\"eventName\": [\"INSERT\"]}. Each pattern is a JSON object of "
                         "at most 4096 characters in Lambda's filter rule syntax (values, prefix, "
                         "suffix, equals-ignore-case, anything-but, numeric, exists, $or). 5 "
                         "filters per mapping by default; up to 10 once the quota \"Filters per "
                         "event source mapping\" is raised.",
            .clear_json = "{}",
        },
    [OPT_FILTER_KMS_KEY] =
        {
            .id = OPT_FILTER_KMS_KEY,
            .name = "filter-kms-key",
            .label = "Filter KMS key",
            .group = "Filters",
            .cdk = "filterEncryption",
            .cdk_snake = "filter_encryption",
            .api = "KMSKeyArn",
            .cfn = "KmsKeyArn",
            .tf = "kms_key_arn",
            .sam = "KmsKeyArn",
            .type = OPT_T_KMS_KEY,
            .metavar = "ARN",
            .unit = "",
            .min = 1,
            .max = 2048,
            .default_text = "AWS-owned key",
            .help = "customer managed KMS key that encrypts the filter criteria",
            .long_help = "The KMS key ARN Lambda uses to encrypt the filter criteria at rest. "
                         "Only meaningful with at least one filter. The key policy must allow "
                         "kms:Decrypt to the Lambda service principal.",
            .clear_json = "\"\"",
        },
    [OPT_ENABLED] =
        {
            .id = OPT_ENABLED,
            .name = "enabled",
            .label = "Enabled",
            .group = "Other",
            .cdk = "enabled",
            .cdk_snake = "enabled",
            .api = "Enabled",
            .cfn = "Enabled",
            .tf = "enabled",
            .sam = "Enabled",
            .type = OPT_T_BOOL,
            .metavar = "BOOL",
            .unit = "",
            .default_num = 1,
            .default_text = "true",
            .help = "whether the mapping polls the stream",
            .long_help = "A disabled mapping exists but does not read the stream; enable it "
                         "later without losing its settings.",
            .api_read = "State",
            .read_false = states_disabled,
        },
    [OPT_METRICS] =
        {
            .id = OPT_METRICS,
            .name = "metrics",
            .label = "Metrics",
            .group = "Other",
            .cdk = "metricsConfig",
            .cdk_snake = "metrics_config",
            .api = "MetricsConfig.Metrics",
            .cfn = "MetricsConfig.Metrics",
            .tf = "metrics_config.metrics",
            .sam = "MetricsConfig.Metrics",
            .cdk_enum = "MetricType",
            .type = OPT_T_ENUM_LIST,
            .metavar = "LIST",
            .unit = "",
            .choices = stream_metrics,
            .max_items = 1,
            .default_text = "none",
            .help = "enhanced CloudWatch metrics for the mapping",
            .long_help = "EventCount publishes the mapping's event counts to CloudWatch. "
                         "ErrorCount and KafkaMetrics are for Kafka sources only.",
            .clear_json = "{\"Metrics\": []}",
        },
    [OPT_TAGS] =
        {
            .id = OPT_TAGS,
            .name = "tag",
            .label = "Tags",
            .group = "Other",
            .cdk = "",
            .cdk_snake = "",
            .api = "Tags",
            .cfn = "Tags",
            .tf = "tags",
            .sam = "",
            .list_key = "Key",
            .list_value = "Value",
            .type = OPT_T_TAGS,
            .metavar = "KEY=VALUE",
            .unit = "",
            .min = 1,
            .max = 128,
            .max_value = 256,
            .max_items = 50,
            .repeatable = true,
            .default_text = "none",
            .help = "tag the mapping (KEY=VALUE); repeat for more",
            .long_help = "Tags on the event source mapping: keys of 1..128 characters, values "
                         "of 0..256 characters, letters, digits, spaces and _ . : / = + - @; "
                         "keys must not start with aws:. At most 50 tags.",
            .update_note = "tags are not part of the update request: change them with aws "
                           "lambda tag-resource and untag-resource",
        },
};

const opt_def *opt_table(void)
{
    return table;
}

const opt_def *opt_get(opt_id id)
{
    return (unsigned)id < OPT_COUNT ? &table[id] : NULL;
}

const opt_def *opt_find(const char *name)
{
    if (!name)
        return NULL;
    if (strncmp(name, "--", 2) == 0)
        name += 2;
    for (size_t i = 0; i < OPT_COUNT; i++)
        if (strcmp(table[i].name, name) == 0)
            return &table[i];
    return NULL;
}

bool opt_is_list(const opt_def *d)
{
    return d->type == OPT_T_ENUM_LIST || d->type == OPT_T_PATTERNS || d->type == OPT_T_TAGS;
}

bool opt_is_numeric(const opt_def *d)
{
    return d->type == OPT_T_INT || d->type == OPT_T_DURATION || d->type == OPT_T_BOOL ||
           d->type == OPT_T_FLAG_LIST;
}

/* "TRIM_HORIZON or LATEST" / "EventCount". */
static void add_choices(strbuf *b, const char *const *choices)
{
    for (size_t i = 0; choices[i]; i++) {
        if (i > 0)
            sb_add(b, choices[i + 1] ? ", " : " or ");
        sb_add(b, choices[i]);
    }
}

/* Range part for numbers: "-1 (infinite) or 60..604800 s". */
static void add_range(strbuf *b, const opt_def *d)
{
    if (d->has_special)
        sb_addf(b, "%lld (%s) or ", d->special, d->special_name);
    sb_addf(b, "%lld..%lld", d->min, d->max);
    if (d->type == OPT_T_DURATION)
        sb_add(b, " s");
}

char *opt_allowed_text(const opt_def *d)
{
    strbuf b = {0};
    switch (d->type) {
    case OPT_T_INT:
    case OPT_T_DURATION:
        add_range(&b, d);
        break;
    case OPT_T_BOOL:
    case OPT_T_FLAG_LIST:
        sb_add(&b, "true or false");
        break;
    case OPT_T_ENUM:
        add_choices(&b, d->choices);
        break;
    case OPT_T_ENUM_LIST:
        sb_add(&b, "none or ");
        add_choices(&b, d->choices);
        break;
    case OPT_T_STREAM:
        sb_add(&b, "a stream ARN, or a table name or ARN from the inventory");
        break;
    case OPT_T_FUNCTION:
        sb_add(&b, "a function name or ARN, optionally with :ALIAS or :VERSION");
        break;
    case OPT_T_DESTINATION:
        sb_addf(&b, "a standard SQS queue, SNS topic or S3 bucket ARN, at most %lld characters",
                d->max);
        break;
    case OPT_T_KMS_KEY:
        sb_add(&b, "a KMS key ARN");
        break;
    case OPT_T_PATTERNS:
        sb_addf(&b, "a JSON object of at most %lld characters; at most %zu", d->max, d->max_items);
        if (d->quota_items)
            sb_addf(&b, " (more than %zu needs the quota \"%s\" raised)", d->quota_items,
                    d->quota_name);
        break;
    case OPT_T_TAGS:
        sb_addf(&b, "KEY=VALUE, key %lld..%lld characters, value 0..%lld; at most %zu", d->min,
                d->max, d->max_value, d->max_items);
        break;
    }
    if (!d->required)
        sb_addf(&b, ", default %s", d->default_text);
    return sb_take(&b);
}
