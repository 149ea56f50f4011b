/* Amazon Resource Names: splitting, checking and telling their kind.
 * Patterns follow AWS's own: botocore's Lambda model for EventSourceArn,
 * FunctionName and destinations, and each service's naming rules. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/value.h"

/* Longest ARN taken at all (IAM's limit for resource ARNs). */
enum { ARN_TEXT_MAX = 2048, FUNCTION_NAME_MAX = 64, QUALIFIER_MAX = 128 };

const char *arn_kind_name(arn_kind k)
{
    static const char *const names[] = {
        [ARN_DYNAMODB_TABLE] = "DynamoDB table",
        [ARN_DYNAMODB_STREAM] = "DynamoDB stream",
        [ARN_LAMBDA_FUNCTION] = "Lambda function",
        [ARN_SQS_QUEUE] = "SQS queue",
        [ARN_SNS_TOPIC] = "SNS topic",
        [ARN_S3_BUCKET] = "S3 bucket",
        [ARN_KMS_KEY] = "KMS key",
        [ARN_IAM_ROLE] = "IAM role",
        [ARN_OTHER] = "non-matching",
    };
    return names[k];
}

const char *arn_kind_article(arn_kind k)
{
    return (k == ARN_SQS_QUEUE || k == ARN_SNS_TOPIC || k == ARN_S3_BUCKET || k == ARN_IAM_ROLE)
               ? "an"
               : "a";
}

/* Every character of S (length N) is alphanumeric or in EXTRA. */
static bool all_of(const char *s, size_t n, const char *extra)
{
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr(extra, s[i]))
            return false;
    return true;
}

/* Partition: "aws" followed by [a-zA-Z0-9-]*. */
static bool partition_ok(const char *p)
{
    return strncmp(p, "aws", 3) == 0 && all_of(p + 3, strlen(p + 3), "-");
}

/* Region: xx-name-N, xx-gov-name-N, xx-iso[x]-name-N. */
static bool region_ok(const char *r)
{
    size_t n = strlen(r);
    if (n < 6 || !islower((unsigned char)r[0]) || !islower((unsigned char)r[1]) || r[2] != '-')
        return false;
    if (!isdigit((unsigned char)r[n - 1]) || r[n - 2] != '-')
        return false;
    const char *mid = r + 3;
    size_t mid_len = n - 5; /* between "xx-" and "-N" */
    size_t dash = 0;
    for (size_t i = 0; i < mid_len; i++) {
        if (mid[i] == '-')
            dash++;
        else if (!islower((unsigned char)mid[i]))
            return false;
    }
    if (mid_len == 0 || mid[0] == '-' || mid[mid_len - 1] == '-')
        return false;
    if (dash == 0)
        return true;
    return dash == 1 && (strncmp(mid, "gov-", 4) == 0 || strncmp(mid, "iso", 3) == 0);
}

/* Twelve digits. */
static bool account_ok(const char *a)
{
    size_t n = strlen(a);
    return n == 12 && strspn(a, "0123456789") == 12;
}

/* Set *err to "TEXT is not a valid ARN: WHY" and return -1. */
static int arn_fail(const char *text, const char *why, char **err)
{
    char *s = str_escape_display(text);
    if (strlen(s) > 80)
        s[80] = '\0';
    *err = xasprintf("%s is not a valid ARN: %s", s, why);
    free(s);
    return -1;
}

/* Copy field N of SRC into DST (size CAP); false when too long. */
static bool copy_field(char *dst, size_t cap, const char *src, size_t n)
{
    if (n >= cap)
        return false;
    memcpy(dst, src, n);
    dst[n] = '\0';
    return true;
}

/* Split "arn:P:S:R:A:RES" into OUT's fields. */
static int arn_split(const char *text, arn_parts *out, char **err)
{
    if (strncmp(text, "arn:", 4) != 0)
        return arn_fail(text, "it does not start with arn:", err);
    const char *f[5];
    size_t len[5];
    const char *p = text + 4;
    for (int i = 0; i < 4; i++) {
        const char *c = strchr(p, ':');
        if (!c)
            return arn_fail(text, "it needs arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE", err);
        f[i] = p;
        len[i] = (size_t)(c - p);
        p = c + 1;
    }
    f[4] = p;
    len[4] = strlen(p);
    if (!copy_field(out->partition, sizeof out->partition, f[0], len[0]) ||
        !copy_field(out->service, sizeof out->service, f[1], len[1]) ||
        !copy_field(out->region, sizeof out->region, f[2], len[2]) ||
        !copy_field(out->account, sizeof out->account, f[3], len[3]) ||
        !copy_field(out->resource, sizeof out->resource, f[4], len[4]))
        return arn_fail(text, "a part is too long", err);
    return 0;
}

/* Region and account that the service requires. */
static int check_region_account(const char *text, const arn_parts *a, char **err)
{
    if (!region_ok(a->region)) {
        char *why = xasprintf("region \"%s\" is not a region like us-east-1", a->region);
        arn_fail(text, why, err);
        free(why);
        return -1;
    }
    if (!account_ok(a->account))
        return arn_fail(text, "the account is not 12 digits", err);
    return 0;
}

/* DynamoDB: table/NAME or table/NAME/stream/LABEL. */
static int classify_dynamodb(const char *text, arn_parts *a, char **err)
{
    const char *r = a->resource;
    if (strncmp(r, "table/", 6) != 0)
        return arn_fail(text, "a DynamoDB ARN's resource is table/NAME[/stream/LABEL]", err);
    const char *name = r + 6;
    const char *slash = strchr(name, '/');
    size_t n = slash ? (size_t)(slash - name) : strlen(name);
    if (n < 3 || n > 255 || !all_of(name, n, "_.-"))
        return arn_fail(text, "a table name is 3..255 of a-z A-Z 0-9 _ . -", err);
    copy_field(a->name, sizeof a->name, name, n);
    a->kind = ARN_DYNAMODB_TABLE;
    if (!slash)
        return 0;
    const char *label = slash + 1;
    if (strncmp(label, "stream/", 7) != 0 || label[7] == '\0' || strchr(label + 7, '/'))
        return arn_fail(text, "a stream ARN ends in table/NAME/stream/LABEL", err);
    copy_field(a->qualifier, sizeof a->qualifier, label + 7, strlen(label + 7));
    a->kind = ARN_DYNAMODB_STREAM;
    return 0;
}

/* SQS queue or SNS topic name: [A-Za-z0-9_-], optional .fifo. */
static int classify_queue_topic(const char *text, arn_parts *a, size_t max, char **err)
{
    const char *r = a->resource;
    size_t n = strlen(r);
    size_t base = n;
    if (n > 5 && strcmp(r + n - 5, ".fifo") == 0)
        base = n - 5;
    if (n < 1 || n > max || !all_of(r, base, "_-"))
        return arn_fail(text, "the name is not 1..80 (SQS) or 1..256 (SNS) of A-Z a-z 0-9 _ -",
                        err);
    copy_field(a->name, sizeof a->name, r, n);
    return 0;
}

/* S3 bucket: arn:aws:s3:::NAME, no region or account. */
static int classify_s3(const char *text, arn_parts *a, char **err)
{
    const char *r = a->resource;
    size_t n = strlen(r);
    if (a->region[0] || a->account[0])
        return arn_fail(text, "an S3 bucket ARN has no region or account (arn:aws:s3:::BUCKET)",
                        err);
    if (n < 3 || n > 63 || strchr(r, '/') || !all_of(r, n, ".-") || !isalnum((unsigned char)r[0]) ||
        !isalnum((unsigned char)r[n - 1]))
        return arn_fail(text, "a bucket name is 3..63 of a-z 0-9 . -", err);
    for (size_t i = 0; i < n; i++)
        if (isupper((unsigned char)r[i]))
            return arn_fail(text, "a bucket name is lower case", err);
    copy_field(a->name, sizeof a->name, r, n);
    a->kind = ARN_S3_BUCKET;
    return 0;
}

/* KMS: key/ID (a key ARN; aliases are not keys). */
static int classify_kms(const char *text, arn_parts *a, char **err)
{
    const char *r = a->resource;
    if (strncmp(r, "key/", 4) != 0 || r[4] == '\0' || !all_of(r + 4, strlen(r + 4), "-"))
        return arn_fail(text, "a KMS key ARN ends in key/KEY_ID (not an alias)", err);
    copy_field(a->name, sizeof a->name, r + 4, strlen(r + 4));
    a->kind = ARN_KMS_KEY;
    return 0;
}

/* IAM: role/[PATH/]NAME, global (no region). */
static int classify_iam(const char *text, arn_parts *a, char **err)
{
    const char *r = a->resource;
    if (strncmp(r, "role/", 5) != 0) {
        a->kind = ARN_OTHER;
        return 0;
    }
    const char *name = strrchr(r, '/') + 1;
    size_t n = strlen(name);
    if (a->region[0] || !account_ok(a->account) || n < 1 || n > 64 || !all_of(name, n, "+=,.@_-"))
        return arn_fail(text, "a role ARN is arn:aws:iam::ACCOUNT:role/NAME", err);
    copy_field(a->name, sizeof a->name, name, n);
    a->kind = ARN_IAM_ROLE;
    return 0;
}

/* Lambda: function:NAME[:QUALIFIER]. */
static int classify_lambda(const char *text, arn_parts *a, char **err)
{
    arn_parts f;
    if (value_parse_function(text, &f, err) < 0)
        return -1;
    copy_field(a->name, sizeof a->name, f.name, strlen(f.name));
    copy_field(a->qualifier, sizeof a->qualifier, f.qualifier, strlen(f.qualifier));
    a->kind = ARN_LAMBDA_FUNCTION;
    return 0;
}

int arn_parse(const char *text, arn_parts *out, char **err)
{
    memset(out, 0, sizeof *out);
    if (strlen(text) > ARN_TEXT_MAX)
        return arn_fail(text, "longer than 2048 characters", err);
    if (arn_split(text, out, err) < 0)
        return -1;
    if (!partition_ok(out->partition))
        return arn_fail(text, "the partition is not aws, aws-cn, aws-us-gov, ...", err);
    if (!out->service[0] || !all_of(out->service, strlen(out->service), "-"))
        return arn_fail(text, "the service is missing", err);
    out->kind = ARN_OTHER;
    const char *s = out->service;
    if (strcmp(s, "s3") == 0)
        return classify_s3(text, out, err);
    if (strcmp(s, "iam") == 0)
        return classify_iam(text, out, err);
    if (strcmp(s, "dynamodb") != 0 && strcmp(s, "sqs") != 0 && strcmp(s, "sns") != 0 &&
        strcmp(s, "kms") != 0 && strcmp(s, "lambda") != 0)
        return 0;
    if (check_region_account(text, out, err) < 0)
        return -1;
    if (strcmp(s, "dynamodb") == 0)
        return classify_dynamodb(text, out, err);
    if (strcmp(s, "sqs") == 0) {
        out->kind = ARN_SQS_QUEUE;
        return classify_queue_topic(text, out, 80, err);
    }
    if (strcmp(s, "sns") == 0) {
        out->kind = ARN_SNS_TOPIC;
        return classify_queue_topic(text, out, 256, err);
    }
    if (strcmp(s, "kms") == 0)
        return classify_kms(text, out, err);
    return classify_lambda(text, out, err);
}

/* Set *err to "TEXT is not a function name or ARN: WHY" and return -1. */
static int function_fail(const char *text, const char *why, char **err)
{
    char *s = str_escape_display(text);
    if (strlen(s) > 80)
        s[80] = '\0';
    *err = xasprintf("%s is not a function name or ARN: %s", s, why);
    free(s);
    return -1;
}

/* Function name [a-zA-Z0-9-_], 1..64. */
static bool function_name_ok(const char *s, size_t n)
{
    return n >= 1 && n <= FUNCTION_NAME_MAX && all_of(s, n, "-_");
}

/* Qualifier: $LATEST, a version number or an alias [a-zA-Z0-9-_]. */
static bool qualifier_ok(const char *s)
{
    size_t n = strlen(s);
    if (strcmp(s, "$LATEST") == 0)
        return true;
    return n >= 1 && n <= QUALIFIER_MAX && all_of(s, n, "-_");
}

/* Split TEXT at ':' into at most MAX parts; returns the count, or -1 for too many. */
static int split_colons(char *text, char **parts, int max)
{
    int n = 0;
    for (char *p = text;; n++) {
        if (n == max)
            return -1;
        parts[n] = p;
        char *c = strchr(p, ':');
        if (!c)
            return n + 1;
        *c = '\0';
        p = c + 1;
    }
}

/* Fill OUT from "NAME[:Q]" parts. */
static int function_from_parts(const char *text, char **parts, int n, arn_parts *out, char **err)
{
    if (!function_name_ok(parts[0], strlen(parts[0])))
        return function_fail(text, "the name is 1..64 of a-z A-Z 0-9 - _", err);
    if (n == 2 && !qualifier_ok(parts[1]))
        return function_fail(text, "the qualifier is $LATEST, a version or an alias", err);
    if (n > 2)
        return function_fail(text, "too many ':'", err);
    snprintf(out->name, sizeof out->name, "%s", parts[0]);
    if (n == 2)
        snprintf(out->qualifier, sizeof out->qualifier, "%s", parts[1]);
    return 0;
}

int value_parse_function(const char *text, arn_parts *out, char **err)
{
    memset(out, 0, sizeof *out);
    out->kind = ARN_LAMBDA_FUNCTION;
    size_t len = strlen(text);
    if (len < 1 || len > 256)
        return function_fail(text, "it must be 1..256 characters", err);
    char *copy = xstrdup(text);
    char *parts[9];
    int n = split_colons(copy, parts, 9);
    int rc;
    if (n < 0) {
        rc = function_fail(text, "too many ':'", err);
    } else if (n >= 6 && strcmp(parts[0], "arn") == 0) {
        /* arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:Q] */
        if (n < 7 || !partition_ok(parts[1]) || strcmp(parts[2], "lambda") != 0 ||
            strcmp(parts[5], "function") != 0)
            rc = function_fail(text,
                               "a function ARN is arn:aws:lambda:REGION:ACCOUNT:function:"
                               "NAME",
                               err);
        else if (!region_ok(parts[3]) || !account_ok(parts[4]))
            rc = function_fail(text, "bad region or account", err);
        else {
            snprintf(out->partition, sizeof out->partition, "%s", parts[1]);
            snprintf(out->service, sizeof out->service, "lambda");
            snprintf(out->region, sizeof out->region, "%s", parts[3]);
            snprintf(out->account, sizeof out->account, "%s", parts[4]);
            rc = function_from_parts(text, parts + 6, n - 6, out, err);
        }
    } else if (n >= 3 && strcmp(parts[1], "function") == 0) {
        /* ACCOUNT:function:NAME[:Q] */
        if (!account_ok(parts[0]))
            rc = function_fail(text, "the account is not 12 digits", err);
        else {
            snprintf(out->account, sizeof out->account, "%s", parts[0]);
            rc = function_from_parts(text, parts + 2, n - 2, out, err);
        }
    } else {
        rc = function_from_parts(text, parts, n, out, err);
    }
    free(copy);
    return rc;
}
