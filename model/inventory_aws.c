/* The JSON output of the AWS CLI as inventory items, in the CLI's real
 * shapes (botocore's output shapes of each operation):
 *
 *   dynamodb list-tables      {"TableNames": ["orders", ...]}
 *   dynamodb describe-table   {"Table": {"TableName", "TableArn", "LatestStreamArn",
 *                              "StreamSpecification": {"StreamEnabled", "StreamViewType"}}}
 *                             or a JSON array of those (or of the Table objects)
 *   lambda list-functions     {"Functions": [{"FunctionName", "FunctionArn", "Runtime",
 *                              "Role", "LastModified"}]}
 *   sqs list-queues           {"QueueUrls": ["https://sqs.REGION.amazonaws.com/ACCOUNT/NAME"]}
 *   sns list-topics           {"Topics": [{"TopicArn"}]}
 *   s3api list-buckets        {"Buckets": [{"Name", "BucketRegion"?, "BucketArn"?}]}
 *   kms list-keys             {"Keys": [{"KeyId", "KeyArn"}]}
 *   kms list-aliases          {"Aliases": [{"AliasName", "AliasArn", "TargetKeyId"?}]}
 *
 * One object may hold several of these keys (a merged file); others, such
 * as NextToken, are skipped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/inventory_int.h"

/* The partition of REGION: aws-cn for cn-*, aws-us-gov for us-gov-*, ... */
static const char *partition_of(const char *region)
{
    static const char *const map[][2] = {
        {"cn-", "aws-cn"},         {"us-gov-", "aws-us-gov"}, {"us-isob-", "aws-iso-b"},
        {"us-isof-", "aws-iso-f"}, {"us-iso-", "aws-iso"},    {"eu-isoe-", "aws-iso-e"},
        {"eusc-", "aws-eusc"},
    };
    for (size_t i = 0; region && i < sizeof map / sizeof map[0]; i++)
        if (strncmp(region, map[i][0], strlen(map[i][0])) == 0)
            return map[i][1];
    return "aws";
}

/* A copy of ARN in STAGE, checked to be of kind WANT; fills P. */
static int take_arn(load_ctx *c, inventory *stage, const char *field, const char *arn,
                    arn_kind want, inv_item *it, arn_parts *p)
{
    if (inv_check_arn(c, field, arn, want, p) < 0)
        return -1;
    it->arn = inventory_strdup(stage, arn);
    inv_take_arn_parts(c, stage, it, p);
    return 0;
}

/* "FIELD: is missing" when V is NULL. */
static int need(load_ctx *c, const char *field, const char *v)
{
    return v ? 0 : inv_fail(c, field, "is missing");
}

/* The entries of the array that comes next, SECTION[i], each read by ENTRY. */
static int read_array(load_ctx *c, jscan *s, inventory *stage, const char *section,
                      int (*entry)(load_ctx *, jscan *, inventory *))
{
    if (js_peek(s) != '[')
        return s->err ? inv_fail_scan(c, s) : inv_fail_type(c, section, "an array");
    js_open(s, '[');
    c->section = section;
    for (c->index = 0; js_next(s, '['); c->index++)
        if (entry(c, s, stage) < 0)
            return -1;
    c->section = NULL;
    c->index = -1;
    return s->err ? inv_fail_scan(c, s) : 0;
}

/* --- DynamoDB ------------------------------------------------------------ */

/* list-tables: a name; the stream is not known. */
static int list_tables_entry(load_ctx *c, jscan *s, inventory *stage)
{
    char *name;
    if (inv_read_string(c, s, stage, NULL, &name) < 0)
        return -1;
    if (!name)
        return inv_fail_type(c, NULL, "a table name");
    if (inv_check_table_name(c, NULL, name) < 0)
        return -1;
    inventory_stage_add(stage, INV_TABLE)->name = name;
    return 0;
}

/* What describe-table says about a table. */
typedef struct table_desc {
    char *name, *arn, *latest_stream, *view_type;
    bool enabled;
    bool is_wrapper; /* {"Table": {...}} was read */
} table_desc;

/* StreamSpecification: StreamEnabled and StreamViewType. */
static int stream_spec(load_ctx *c, jscan *s, inventory *stage, void *arg)
{
    table_desc *d = arg;
    const char *sub = c->sub;
    c->sub = sub ? "Table.StreamSpecification" : "StreamSpecification";
    const inv_field f[] = {{"StreamEnabled", NULL, &d->enabled, NULL, NULL},
                           {"StreamViewType", &d->view_type, NULL, NULL, NULL}};
    int rc = inv_read_object(c, s, stage, f, 2);
    if (rc == 0 && d->view_type)
        rc = inv_check_view_type(c, "StreamViewType", d->view_type);
    c->sub = sub;
    return rc;
}

/* The fields of a TableDescription. */
static int table_fields(load_ctx *c, jscan *s, inventory *stage, table_desc *d)
{
    const inv_field f[] = {{"TableName", &d->name, NULL, NULL, NULL},
                           {"TableArn", &d->arn, NULL, NULL, NULL},
                           {"LatestStreamArn", &d->latest_stream, NULL, NULL, NULL},
                           {"StreamSpecification", NULL, NULL, stream_spec, d}};
    return inv_read_object(c, s, stage, f, sizeof f / sizeof f[0]);
}

/* {"Table": TableDescription}. */
static int table_wrapper(load_ctx *c, jscan *s, inventory *stage, void *arg)
{
    table_desc *d = arg;
    const char *sub = c->sub;
    c->sub = "Table";
    d->is_wrapper = true;
    int rc = table_fields(c, s, stage, d);
    c->sub = sub;
    return rc;
}

/* A table from describe-table's fields. */
static int table_item(load_ctx *c, inventory *stage, table_desc *d)
{
    if (d->is_wrapper)
        c->sub = "Table";
    if (need(c, "TableName", d->name) < 0 || inv_check_table_name(c, "TableName", d->name) < 0 ||
        need(c, "TableArn", d->arn) < 0)
        return -1;
    inv_item *it = inventory_stage_add(stage, INV_TABLE);
    arn_parts p, sp;
    it->name = d->name;
    if (take_arn(c, stage, "TableArn", d->arn, ARN_DYNAMODB_TABLE, it, &p) < 0)
        return -1;
    if (strcmp(p.name, d->name) != 0)
        return inv_fail(c, "TableArn", "is the ARN of another table than TableName");
    it->stream_known = true;
    if (!d->enabled || !d->latest_stream)
        return 0; /* a disabled stream's LatestStreamArn stays: not usable */
    if (inv_check_arn(c, "LatestStreamArn", d->latest_stream, ARN_DYNAMODB_STREAM, &sp) < 0)
        return -1;
    if (!inv_stream_of_table(&p, &sp))
        return inv_fail(c, "LatestStreamArn", "is not a stream of this table");
    it->stream_enabled = true;
    it->stream_arn = d->latest_stream;
    it->stream_view_type = inv_intern(c, stage, d->view_type);
    return 0;
}

/* One describe-table output (or its Table), as an element of an array. */
static int describe_entry(load_ctx *c, jscan *s, inventory *stage)
{
    table_desc d = {0};
    const inv_field f[] = {{"Table", NULL, NULL, table_wrapper, &d},
                           {"TableName", &d.name, NULL, NULL, NULL},
                           {"TableArn", &d.arn, NULL, NULL, NULL},
                           {"LatestStreamArn", &d.latest_stream, NULL, NULL, NULL},
                           {"StreamSpecification", NULL, NULL, stream_spec, &d}};
    if (js_peek(s) != '{')
        return s->err ? inv_fail_scan(c, s)
                      : inv_fail_type(c, NULL, "an object (the output of describe-table)");
    if (inv_read_object(c, s, stage, f, sizeof f / sizeof f[0]) < 0)
        return -1;
    if (!d.is_wrapper && !d.name)
        return inv_fail(c, NULL, "is not the output of describe-table (no \"Table\")");
    int rc = table_item(c, stage, &d);
    c->sub = NULL;
    return rc;
}

/* The single describe-table output's "Table". */
static int describe_one(load_ctx *c, jscan *s, inventory *stage)
{
    table_desc d = {0};
    c->section = "Table";
    int rc = table_fields(c, s, stage, &d);
    if (rc == 0)
        rc = table_item(c, stage, &d);
    c->section = NULL;
    return rc;
}

/* --- Lambda -------------------------------------------------------------- */

/* list-functions: name, ARN, runtime, role, last change. */
static int function_entry(load_ctx *c, jscan *s, inventory *stage)
{
    char *name = NULL, *arn = NULL;
    inv_item tmp = {0};
    const inv_field f[] = {{"FunctionName", &name, NULL, NULL, NULL},
                           {"FunctionArn", &arn, NULL, NULL, NULL},
                           {"Runtime", &tmp.runtime, NULL, NULL, NULL},
                           {"Role", &tmp.role_arn, NULL, NULL, NULL},
                           {"LastModified", &tmp.last_modified, NULL, NULL, NULL}};
    if (inv_read_object(c, s, stage, f, sizeof f / sizeof f[0]) < 0 ||
        need(c, "FunctionArn", arn) < 0)
        return -1;
    arn_parts p, r;
    if (inv_check_arn(c, "FunctionArn", arn, ARN_LAMBDA_FUNCTION, &p) < 0)
        return -1;
    if (name && strcmp(name, p.name) != 0)
        return inv_fail(c, "FunctionArn", "is the ARN of another function than FunctionName");
    if (tmp.role_arn && inv_check_arn(c, "Role", tmp.role_arn, ARN_IAM_ROLE, &r) < 0)
        return -1;
    inv_item *it = inventory_stage_add(stage, INV_FUNCTION);
    it->arn = arn;
    it->role_arn = tmp.role_arn;
    it->runtime = inv_intern(c, stage, tmp.runtime);
    it->last_modified = tmp.last_modified;
    inv_take_arn_parts(c, stage, it, &p);
    return 0;
}

/* --- SQS, SNS, S3 -------------------------------------------------------- */

/* The ARN of queue URL U (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME, or
 * the older https://REGION.queue.amazonaws.com/... and
 * https://queue.amazonaws.com/... of us-east-1), or NULL. Caller frees. */
static char *queue_arn(const char *u)
{
    const char *host = strncmp(u, "https://", 8) == 0  ? u + 8
                       : strncmp(u, "http://", 7) == 0 ? u + 7
                                                       : NULL;
    const char *path = host ? strchr(host, '/') : NULL;
    if (!path)
        return NULL;
    const char *acct = path + 1, *slash = strchr(acct, '/');
    if (!slash || strchr(slash + 1, '/') || !slash[1])
        return NULL;
    char region[64] = "";
    size_t hn = (size_t)(path - host);
    const char *dot = memchr(host, '.', hn);
    if (hn > 6 && strncmp(host, "queue.", 6) == 0)
        snprintf(region, sizeof region, "us-east-1");
    else if (hn > 4 && strncmp(host, "sqs.", 4) == 0 && (dot = memchr(host + 4, '.', hn - 4)))
        snprintf(region, sizeof region, "%.*s", (int)(dot - host - 4), host + 4);
    else if (dot && (size_t)(path - dot) > 7 && strncmp(dot, ".queue.", 7) == 0)
        snprintf(region, sizeof region, "%.*s", (int)(dot - host), host);
    if (!region[0])
        return NULL;
    return xasprintf("arn:%s:sqs:%s:%.*s:%s", partition_of(region), region, (int)(slash - acct),
                     acct, slash + 1);
}

/* Whether NAME ends in ".fifo". */
static bool fifo_name(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, ".fifo") == 0;
}

/* list-queues: a queue URL. */
static int queue_entry(load_ctx *c, jscan *s, inventory *stage)
{
    char *url;
    if (inv_read_string(c, s, stage, NULL, &url) < 0)
        return -1;
    if (!url)
        return inv_fail_type(c, NULL, "a queue URL");
    char *arn = queue_arn(url);
    if (!arn) {
        char *shown = str_escape_display(url);
        char *msg = xasprintf("%.200s is not an SQS queue URL "
                              "(https://sqs.REGION.amazonaws.com/ACCOUNT/NAME)",
                              shown);
        inv_fail(c, NULL, msg);
        free(msg);
        free(shown);
        return -1;
    }
    inv_item *it = inventory_stage_add(stage, INV_QUEUE);
    arn_parts p;
    int rc = take_arn(c, stage, NULL, arn, ARN_SQS_QUEUE, it, &p);
    free(arn);
    it->fifo = rc == 0 && fifo_name(it->name);
    return rc;
}

/* list-topics: a topic ARN. */
static int topic_entry(load_ctx *c, jscan *s, inventory *stage)
{
    char *arn = NULL;
    const inv_field f[] = {{"TopicArn", &arn, NULL, NULL, NULL}};
    if (inv_read_object(c, s, stage, f, 1) < 0 || need(c, "TopicArn", arn) < 0)
        return -1;
    inv_item *it = inventory_stage_add(stage, INV_TOPIC);
    arn_parts p;
    if (take_arn(c, stage, "TopicArn", arn, ARN_SNS_TOPIC, it, &p) < 0)
        return -1;
    it->fifo = fifo_name(it->name);
    return 0;
}

/* list-buckets: a bucket's name, and its region when the CLI gives it. */
static int bucket_entry(load_ctx *c, jscan *s, inventory *stage)
{
    char *name = NULL, *region = NULL, *arn = NULL;
    const inv_field f[] = {{"Name", &name, NULL, NULL, NULL},
                           {"BucketRegion", &region, NULL, NULL, NULL},
                           {"BucketArn", &arn, NULL, NULL, NULL}};
    if (inv_read_object(c, s, stage, f, 3) < 0 || need(c, "Name", name) < 0)
        return -1;
    arn_parts p;
    char *e = NULL;
    if (arn && (arn_parse(arn, &p, &e) < 0 || p.kind != ARN_S3_BUCKET))
        arn = NULL; /* a directory bucket's or another form: made from the name */
    free(e);
    char *why = NULL;
    if (!arn && inventory_check_name(INV_BUCKET, name, &why) < 0) {
        inv_fail(c, "Name", why);
        free(why);
        return -1;
    }
    char *made = arn ? NULL : xasprintf("arn:%s:s3:::%s", partition_of(region), name);
    inv_item *it = inventory_stage_add(stage, INV_BUCKET);
    int rc =
        take_arn(c, stage, arn ? "BucketArn" : "Name", arn ? arn : made, ARN_S3_BUCKET, it, &p);
    free(made);
    if (rc == 0 && strcmp(p.name, name) != 0)
        rc = inv_fail(c, "BucketArn", "is the ARN of another bucket than Name");
    it->region = inv_intern(c, stage, region);
    return rc;
}

/* --- KMS ----------------------------------------------------------------- */

/* list-keys: a key. */
static int key_entry(load_ctx *c, jscan *s, inventory *stage)
{
    char *id = NULL, *arn = NULL;
    const inv_field f[] = {{"KeyId", &id, NULL, NULL, NULL}, {"KeyArn", &arn, NULL, NULL, NULL}};
    if (inv_read_object(c, s, stage, f, 2) < 0 || need(c, "KeyArn", arn) < 0)
        return -1;
    inv_item *it = inventory_stage_add(stage, INV_KEY);
    arn_parts p;
    if (take_arn(c, stage, "KeyArn", arn, ARN_KMS_KEY, it, &p) < 0)
        return -1;
    if (id && strcmp(id, p.name) != 0)
        return inv_fail(c, "KeyArn", "is the ARN of another key than KeyId");
    return 0;
}

/* An alias name: alias/ then 1..250 of a-z A-Z 0-9 / _ -. */
static bool alias_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 7 || n > 256 || strncmp(s, "alias/", 6) != 0)
        return false;
    for (size_t i = 6; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '/' || ch == '_' || ch == '-'))
            return false;
    }
    return true;
}

/* The key ARN an alias ARN's partition, region and account give KEY_ID, or NULL. */
static char *key_arn_of_alias(const char *alias_arn, const char *key_id)
{
    const char *f[6];
    const char *p = alias_arn;
    for (int i = 0; i < 6; i++) {
        f[i] = p;
        p = strchr(p, ':');
        if (!p && i < 5)
            return NULL;
        p = p ? p + 1 : NULL;
    }
    if (strncmp(alias_arn, "arn:", 4) != 0 || strncmp(f[2], "kms:", 4) != 0 ||
        strncmp(f[5], "alias/", 6) != 0)
        return NULL;
    return xasprintf("arn:%.*s:kms:%.*s:%.*s:key/%s", (int)(f[2] - f[1] - 1), f[1],
                     (int)(f[4] - f[3] - 1), f[3], (int)(f[5] - f[4] - 1), f[4], key_id);
}

/* The keys staged so far, so that aliases of one key make one item. */
typedef struct alias_ctx {
    inv_index keys;
    size_t count; /* items in KEYS */
} alias_ctx;

/* Index every key staged before position END, in an index with room to grow. */
static void alias_reindex(alias_ctx *a, const inventory *stage, size_t end)
{
    inv_index_free(&a->keys);
    inv_index_init(&a->keys, end * 2 + 64, false);
    a->count = 0;
    for (size_t i = 0; i < end; i++)
        if (stage->items[i].kind == INV_KEY) {
            inv_index_add(&a->keys, stage->items, i);
            a->count++;
        }
}

/* The staged key the last staged item repeats, or NULL (it is indexed then). */
static inv_item *staged_key(alias_ctx *a, inventory *stage)
{
    size_t last = stage->n - 1;
    inv_item *e = inv_index_find(&a->keys, stage->items, &stage->items[last], NULL);
    if (e)
        return e;
    if ((a->count + 1) * 2 > a->keys.mask + 1)
        alias_reindex(a, stage, last);
    inv_index_add(&a->keys, stage->items, last);
    a->count++;
    return NULL;
}

/* list-aliases: the key an alias names, under the alias's name. */
static int alias_entry(load_ctx *c, jscan *s, inventory *stage, alias_ctx *a)
{
    char *name = NULL, *arn = NULL, *target = NULL;
    const inv_field f[] = {{"AliasName", &name, NULL, NULL, NULL},
                           {"AliasArn", &arn, NULL, NULL, NULL},
                           {"TargetKeyId", &target, NULL, NULL, NULL}};
    if (inv_read_object(c, s, stage, f, 3) < 0 || need(c, "AliasName", name) < 0)
        return -1;
    if (!target)
        return 0; /* an AWS managed alias not yet backed by a key */
    if (need(c, "AliasArn", arn) < 0)
        return -1;
    if (!alias_name_ok(name))
        return inv_fail(c, "AliasName", "is not alias/NAME (a-z A-Z 0-9 / _ -)");
    char *key_arn = key_arn_of_alias(arn, target);
    if (!key_arn)
        return inv_fail(c, "AliasArn",
                        "is not a KMS alias ARN (arn:aws:kms:REGION:ACCOUNT:alias/NAME)");
    inv_item *it = inventory_stage_add(stage, INV_KEY);
    it->name = name;
    arn_parts p;
    int rc = take_arn(c, stage, "TargetKeyId", key_arn, ARN_KMS_KEY, it, &p);
    free(key_arn);
    if (rc < 0)
        return -1;
    inv_item *e = staged_key(a, stage);
    if (e && strncmp(e->name, "alias/", 6) != 0)
        e->name = name;
    if (e)
        stage->n--;
    return 0;
}

/* The Aliases array. */
static int read_aliases(load_ctx *c, jscan *s, inventory *stage)
{
    if (js_peek(s) != '[')
        return s->err ? inv_fail_scan(c, s) : inv_fail_type(c, "Aliases", "an array");
    alias_ctx a = {.count = 0};
    alias_reindex(&a, stage, stage->n);
    js_open(s, '[');
    c->section = "Aliases";
    int rc = 0;
    for (c->index = 0; rc == 0 && js_next(s, '['); c->index++)
        rc = alias_entry(c, s, stage, &a);
    inv_index_free(&a.keys);
    c->section = NULL;
    c->index = -1;
    return rc < 0 ? -1 : s->err ? inv_fail_scan(c, s) : 0;
}

/* --- the document -------------------------------------------------------- */

/* The top-level keys of AWS CLI output and their readers. */
typedef struct aws_key {
    const char *name;
    inv_kind kind;
    int (*entry)(load_ctx *, jscan *, inventory *);
} aws_key;

static const aws_key aws_keys[] = {
    {"TableNames", INV_TABLE, list_tables_entry},
    {"Table", INV_TABLE, NULL},
    {"Functions", INV_FUNCTION, function_entry},
    {"QueueUrls", INV_QUEUE, queue_entry},
    {"Topics", INV_TOPIC, topic_entry},
    {"Buckets", INV_BUCKET, bucket_entry},
    {"Keys", INV_KEY, key_entry},
    {"Aliases", INV_KEY, NULL},
};

/* Read the value of top-level key K. */
static int read_aws_key(load_ctx *c, jscan *s, inventory *stage, const aws_key *k)
{
    if (strcmp(k->name, "Table") == 0)
        return describe_one(c, s, stage);
    if (strcmp(k->name, "Aliases") == 0)
        return read_aliases(c, s, stage);
    return read_array(c, s, stage, k->name, k->entry);
}

/* An object of AWS CLI output: each known key read once. */
static int read_aws_object(load_ctx *c, jscan *s, inventory *stage, const char **sections)
{
    enum { N_KEYS = sizeof aws_keys / sizeof aws_keys[0] };
    bool seen[N_KEYS] = {false};
    js_open(s, '{');
    while (js_next(s, '{')) {
        const aws_key *k = NULL;
        for (size_t i = 0; i < N_KEYS && !k; i++)
            if (strcmp(aws_keys[i].name, s->key.s) == 0)
                k = &aws_keys[i];
        if (!k) {
            if (!js_skip(s))
                break;
            continue;
        }
        if (seen[k - aws_keys]) {
            char *msg = xasprintf("\"%s\" is given twice", k->name);
            inv_fail(c, NULL, msg);
            free(msg);
            return -1;
        }
        seen[k - aws_keys] = true;
        sections[k->kind] = k->name;
        if (read_aws_key(c, s, stage, k) < 0)
            return -1;
    }
    return s->err ? inv_fail_scan(c, s) : 0;
}

int inv_read_aws(load_ctx *c, const inv_text *t, const inv_top *top, inventory *stage,
                 const char **sections)
{
    jscan s;
    js_init(&s, t);
    int rc;
    if (top->is_array) {
        sections[INV_TABLE] = "";
        rc = read_array(c, &s, stage, "", describe_entry);
    } else {
        rc = read_aws_object(c, &s, stage, sections);
    }
    if (rc == 0 && !js_finish(&s))
        rc = inv_fail_scan(c, &s);
    js_done(&s);
    return rc;
}
