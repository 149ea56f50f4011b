/* CDK snippets, TypeScript and Python: a Stack that imports the table and
 * the function by ARN and adds a DynamoEventSource with the mapping's
 * options, durations as cdk.Duration helpers. Prop names come from the
 * option table (.cdk, .cdk_snake, .cdk_enum) and values are written by
 * their type, as every exporter does. tests/e2e/beyond_cdk.py compiles the
 * TypeScript one with tsc against aws-cdk-lib, synthesizes it, and checks
 * that the mapping equals the CloudFormation export's. */
#include "export/render.h"

#include <stdlib.h>
#include <string.h>

#include "model/util.h"

/* What the snippet needs besides aws-cdk-lib and aws-lambda. */
typedef struct cdk_needs {
    bool iam, kms, sqs, sns, s3;
} cdk_needs;

/* The language being written. */
typedef struct cdk_out {
    bool py;
    strbuf b;
    cdk_needs needs;
} cdk_out;

/* Append S to B as a string literal: TypeScript single-quoted, Python
 * double-quoted; control characters (and U+2028/9 in TypeScript) escaped. */
static void add_str(const cdk_out *o, strbuf *b, const char *s)
{
    char q = o->py ? '"' : '\'';
    sb_addn(b, &q, 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == (unsigned char)q || *p == '\\')
            sb_addf(b, "\\%c", *p);
        else if (*p == '\n')
            sb_add(b, "\\n");
        else if (*p == '\r')
            sb_add(b, "\\r");
        else if (*p == '\t')
            sb_add(b, "\\t");
        else if (*p < 0x20 || *p == 0x7f)
            sb_addf(b, "\\x%02x", *p);
        else if (!o->py && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
            sb_addf(b, "\\u%s", p[2] == 0xA8 ? "2028" : "2029");
            p += 2;
        } else
            sb_addn(b, (const char *)p, 1);
    }
    sb_addn(b, &q, 1);
}

/* S as a string literal. Caller frees. */
static char *str_lit(const cdk_out *o, const char *s)
{
    strbuf b = {0};
    add_str(o, &b, s);
    return sb_take(&b);
}

/* Append the JSON value N as a TypeScript / Python literal, on one line. */
static void add_literal(const cdk_out *o, strbuf *b, const cJSON *n)
{
    if (cJSON_IsObject(n) || cJSON_IsArray(n)) {
        bool obj = cJSON_IsObject(n);
        sb_add(b, obj ? "{" : "[");
        for (const cJSON *c = n->child; c; c = c->next) {
            if (obj) {
                add_str(o, b, c->string ? c->string : "");
                sb_add(b, ": ");
            }
            add_literal(o, b, c);
            if (c->next)
                sb_add(b, ", ");
        }
        sb_add(b, obj ? "}" : "]");
    } else if (cJSON_IsString(n)) {
        add_str(o, b, n->valuestring);
    } else if (cJSON_IsNumber(n)) {
        double d = n->valuedouble;
        if (d > -9007199254740992.0 && d < 9007199254740992.0 && d == (double)(long long)d)
            sb_addf(b, "%lld", (long long)d);
        else
            sb_addf(b, "%.17g", d);
    } else if (cJSON_IsBool(n)) {
        sb_add(b, cJSON_IsTrue(n) ? (o->py ? "True" : "true") : (o->py ? "False" : "false"));
    } else {
        sb_add(b, o->py ? "None" : "null");
    }
}

/* "EventCount" -> "EVENT_COUNT"; "TRIM_HORIZON" stays. Caller frees. */
static char *upper_snake(const char *s)
{
    strbuf b = {0};
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z' && p > s && p[-1] >= 'a' && p[-1] <= 'z')
            sb_add(&b, "_");
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        sb_addn(&b, &c, 1);
    }
    return sb_take(&b);
}

/* "Metrics" -> "metrics" (TypeScript); Python snake_cases it the same way
 * for these one-word names. Caller frees. */
static char *lower_first(const char *s)
{
    char *c = xstrdup(s);
    if (c[0] >= 'A' && c[0] <= 'Z')
        c[0] = (char)(c[0] - 'A' + 'a');
    return c;
}

/* "metricsConfig" -> "MetricsConfig": the struct's class. Caller frees. */
static char *upper_first(const char *s)
{
    char *c = xstrdup(s);
    if (c[0] >= 'a' && c[0] <= 'z')
        c[0] = (char)(c[0] - 'a' + 'A');
    return c;
}

/* The lambda module's name in the snippet. */
static const char *lambda_mod(const cdk_out *o)
{
    return o->py ? "lambda_" : "lambda";
}

/* "lambda.StartingPosition.LATEST" for choice TEXT of enum ENUM_CLASS. */
static char *enum_value(const cdk_out *o, const char *enum_class, const char *text)
{
    char *member = upper_snake(text);
    char *s = xasprintf("%s.%s.%s", lambda_mod(o), enum_class, member);
    free(member);
    return s;
}

/* cdk.Duration.minutes(5): the largest unit that divides SECONDS. */
static char *duration_value(long long seconds)
{
    static const struct {
        long long size;
        const char *name;
    } units[] = {{86400, "days"}, {3600, "hours"}, {60, "minutes"}, {1, "seconds"}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (seconds != 0 && seconds % units[i].size == 0)
            return xasprintf("cdk.Duration.%s(%lld)", units[i].name, seconds / units[i].size);
    return xasprintf("cdk.Duration.seconds(%lld)", seconds);
}

/* The on-failure destination of ARN as a DLQ construct. */
static char *destination_value(cdk_out *o, const char *arn)
{
    arn_parts p;
    char *err = NULL;
    arn_kind kind = arn_parse(arn, &p, &err) == 0 ? p.kind : ARN_OTHER;
    free(err);
    char *lit = str_lit(o, arn);
    const char *self = o->py ? "self" : "this", *es = o->py ? "event_sources." : "new ";
    char *s;
    if (kind == ARN_SNS_TOPIC) {
        o->needs.sns = true;
        s = xasprintf("%sSnsDlq(sns.Topic.%s(%s, %s, %s))", es,
                      o->py ? "from_topic_arn" : "fromTopicArn", self,
                      o->py ? "\"OnFailureTopic\"" : "'OnFailureTopic'", lit);
    } else if (kind == ARN_S3_BUCKET) {
        o->needs.s3 = true;
        s = xasprintf("%sS3OnFailureDestination(s3.Bucket.%s(%s, %s, %s))", es,
                      o->py ? "from_bucket_arn" : "fromBucketArn", self,
                      o->py ? "\"OnFailureBucket\"" : "'OnFailureBucket'", lit);
    } else {
        o->needs.sqs = true;
        s = xasprintf("%sSqsDlq(sqs.Queue.%s(%s, %s, %s))", es,
                      o->py ? "from_queue_arn" : "fromQueueArn", self,
                      o->py ? "\"OnFailureQueue\"" : "'OnFailureQueue'", lit);
    }
    free(lit);
    return s;
}

/* metricsConfig: {metrics: [...]} / lambda_.MetricsConfig(metrics=[...]). */
static char *enum_list_value(const cdk_out *o, const opt_def *d, const opt_value *v)
{
    const char *dot = strrchr(d->api, '.');
    char *key = lower_first(dot ? dot + 1 : d->api);
    strbuf b = {0};
    if (o->py) {
        char *cls = upper_first(d->cdk);
        sb_addf(&b, "%s.%s(%s=[", lambda_mod(o), cls, key);
        free(cls);
    } else {
        sb_addf(&b, "{ %s: [", key);
    }
    for (size_t i = 0; i < v->n_items; i++) {
        char *e = enum_value(o, d->cdk_enum, v->items[i].key);
        sb_addf(&b, "%s%s", i ? ", " : "", e);
        free(e);
    }
    sb_add(&b, o->py ? "])" : "] }");
    free(key);
    return sb_take(&b);
}

/* The value of option D (set to V) as a DynamoEventSource prop, or NULL
 * when the prop is left out (infinite record age: the CDK's default, and
 * its Duration cannot be negative). */
static char *prop_value(cdk_out *o, const opt_def *d, const opt_value *v)
{
    switch (d->type) {
    case OPT_T_ENUM:
        return enum_value(o, d->cdk_enum, v->str);
    case OPT_T_INT:
        return xasprintf("%lld", v->num);
    case OPT_T_BOOL:
    case OPT_T_FLAG_LIST:
        return xstrdup(v->num ? (o->py ? "True" : "true") : (o->py ? "False" : "false"));
    case OPT_T_DURATION:
        return d->has_special && v->num == d->special ? NULL : duration_value(v->num);
    case OPT_T_DESTINATION:
        return destination_value(o, v->str);
    case OPT_T_KMS_KEY: {
        o->needs.kms = true;
        char *lit = str_lit(o, v->str);
        char *s = xasprintf("kms.Key.%s(%s, %s, %s)", o->py ? "from_key_arn" : "fromKeyArn",
                            o->py ? "self" : "this", o->py ? "\"FilterKey\"" : "'FilterKey'", lit);
        free(lit);
        return s;
    }
    case OPT_T_ENUM_LIST:
        return v->n_items ? enum_list_value(o, d, v) : NULL;
    default:
        return NULL;
    }
}

/* Write one line at DEPTH (4 spaces in Python, 2 in TypeScript). */
static void line(cdk_out *o, int depth, const char *text)
{
    for (int i = 0; i < depth; i++)
        sb_add(&o->b, o->py ? "    " : "  ");
    sb_add(&o->b, text);
    sb_add(&o->b, "\n");
}

/* Write the filters prop: one FilterCriteria.filter(...) per pattern. */
static void write_filters(cdk_out *o, int depth, const opt_def *d, const opt_value *v)
{
    char *open = xasprintf(o->py ? "%s=[" : "%s: [", o->py ? d->cdk_snake : d->cdk);
    line(o, depth, open);
    free(open);
    for (size_t i = 0; i < v->n_items; i++) {
        cJSON *tree = cJSON_Parse(v->items[i].key);
        strbuf b = {0};
        sb_addf(&b, "%s.FilterCriteria.filter(", lambda_mod(o));
        add_literal(o, &b, tree);
        sb_add(&b, "),");
        line(o, depth + 1, b.s);
        free(b.s);
        cJSON_Delete(tree);
    }
    line(o, depth, o->py ? "]," : "],");
}

/* The value option D has in M for the export, or NULL (see api_json.c). */
static const opt_value *export_value(const mapping *m, const opt_def *d, opt_value *def)
{
    const opt_value *v = mapping_get(m, d->id);
    if (v && v->set)
        return v;
    if (!d->always_export || !opt_is_numeric(d))
        return NULL;
    *def = (opt_value){.set = true, .num = d->default_num};
    return def;
}

/* Every DynamoEventSource prop of M, one per line. */
static void write_props(cdk_out *o, int depth, const mapping *m)
{
    const opt_def *t = opt_table();
    for (size_t i = 0; i < OPT_COUNT; i++) {
        opt_value def;
        const opt_value *v = export_value(m, &t[i], &def);
        if (!v || !*t[i].cdk)
            continue;
        if (t[i].type == OPT_T_PATTERNS) {
            if (v->n_items)
                write_filters(o, depth, &t[i], v);
            continue;
        }
        char *val = prop_value(o, &t[i], v);
        char *text =
            val ? xasprintf(o->py ? "%s=%s," : "%s: %s,", o->py ? t[i].cdk_snake : t[i].cdk, val)
                : xasprintf(o->py ? "# %s: %s is the default" : "// %s: %s is the default",
                            o->py ? t[i].cdk_snake : t[i].cdk, t[i].default_text);
        line(o, depth, text);
        free(text);
        free(val);
    }
}

/* What the snippet imports the function from. */
typedef struct fn_parts {
    char *arn;       /* the unqualified function ARN */
    char *qualifier; /* alias or version, or NULL */
} fn_parts;

/* The function's unqualified ARN (region, account and partition from the
 * stream when the value does not say) and its qualifier. */
static void function_parts(const mapping *m, fn_parts *out)
{
    const opt_value *fv = mapping_get(m, OPT_FUNCTION), *sv = mapping_get(m, OPT_TABLE);
    arn_parts f, s;
    char *err = NULL;
    memset(&s, 0, sizeof s);
    if (arn_parse(sv->str, &s, &err) < 0) {
        free(err);
        err = NULL;
    }
    if (value_parse_function(fv->str, &f, &err) < 0) {
        free(err);
        memset(&f, 0, sizeof f);
    }
    out->arn =
        xasprintf("arn:%s:lambda:%s:%s:function:%s", *f.partition ? f.partition : s.partition,
                  *f.region ? f.region : s.region, *f.account ? f.account : s.account, f.name);
    out->qualifier = *f.qualifier ? xstrdup(f.qualifier) : NULL;
}

/* The table's ARN: the stream ARN without "/stream/LABEL". Caller frees. */
static char *table_arn(const char *stream)
{
    const char *cut = strstr(stream, "/stream/");
    return cut ? xstrndup(stream, (size_t)(cut - stream)) : xstrdup(stream);
}

/* One keyword argument of an import call: its TypeScript and Python
 * names and its value (taken). */
typedef struct cdk_arg {
    const char *ts, *py;
    char *val;
} cdk_arg;

/* VAR = CALL(this, 'ID', {args}) in TypeScript, or its Python form with
 * keyword arguments, one argument a line. Frees the values. */
static void write_import(cdk_out *o, int d, const char *var, const char *ts_call,
                         const char *py_call, const char *id, cdk_arg *args, size_t n)
{
    char *s = o->py ? xasprintf("%s = %s(", var, py_call)
                    : xasprintf("const %s = %s(this, '%s', {", var, ts_call, id);
    line(o, d, s);
    free(s);
    if (o->py) {
        line(o, d + 1, "self,");
        s = xasprintf("\"%s\",", id);
        line(o, d + 1, s);
        free(s);
    }
    for (size_t i = 0; i < n; i++) {
        s = xasprintf(o->py ? "%s=%s," : "%s: %s,", o->py ? args[i].py : args[i].ts, args[i].val);
        line(o, d + 1, s);
        free(s);
        free(args[i].val);
    }
    line(o, d, o->py ? ")" : "});");
}

/* The body of the constructor: imports of table, function (and role,
 * qualifier), the event source, the tags. */
static void write_body(cdk_out *o, int d, const mapping *m)
{
    const opt_value *stream = mapping_get(m, OPT_TABLE);
    char *tarn = table_arn(stream->str);
    cdk_arg targs[] = {{"tableArn", "table_arn", str_lit(o, tarn)},
                       {"tableStreamArn", "table_stream_arn", str_lit(o, stream->str)}};
    write_import(o, d, "table", "dynamodb.Table.fromTableAttributes",
                 "dynamodb.Table.from_table_attributes", "Table", targs, 2);
    free(tarn);

    fn_parts fp;
    function_parts(m, &fp);
    cdk_arg fargs[3] = {{"functionArn", "function_arn", str_lit(o, fp.arn)},
                        {"sameEnvironment", "same_environment", xstrdup(o->py ? "True" : "true")},
                        {"role", "role", NULL}};
    size_t nf = 2;
    if (m->function_role && *m->function_role) {
        o->needs.iam = true;
        char *rl = str_lit(o, m->function_role);
        fargs[nf++].val = xasprintf(o->py ? "iam.Role.from_role_arn(self, \"Role\", %s)"
                                          : "iam.Role.fromRoleArn(this, 'Role', %s)",
                                    rl);
        free(rl);
    }
    write_import(o, d, "fn", "lambda.Function.fromFunctionAttributes",
                 "lambda_.Function.from_function_attributes", "Function", fargs, nf);
    const char *target = "fn";
    char *s;
    if (fp.qualifier) {
        cdk_arg qargs[] = {{"lambda", "lambda_", xstrdup("fn")},
                           {"version", "version", str_lit(o, fp.qualifier)}};
        write_import(o, d, "target", "lambda.Version.fromVersionAttributes",
                     "lambda_.Version.from_version_attributes", "Qualified", qargs, 2);
        target = "target";
    }
    s = xasprintf(o->py ? "%s.add_event_source(" : "%s.addEventSource(", target);
    line(o, d, s);
    free(s);
    line(o, d + 1, o->py ? "event_sources.DynamoEventSource(" : "new DynamoEventSource(table, {");
    if (o->py)
        line(o, d + 2, "table,");
    write_props(o, d + 2, m);
    line(o, d + 1, o->py ? ")" : "}),");
    line(o, d, o->py ? ")" : ");");
    const opt_value *tags = mapping_get(m, OPT_TAGS);
    for (size_t i = 0; tags && i < tags->n_items; i++) {
        char *k = str_lit(o, tags->items[i].key);
        char *v = str_lit(o, tags->items[i].val ? tags->items[i].val : "");
        s = xasprintf("cdk.Tags.of(%s).add(%s, %s)%s", target, k, v, o->py ? "" : ";");
        line(o, d, s);
        free(s);
        free(k);
        free(v);
    }
    free(fp.arn);
    free(fp.qualifier);
}

/* The imports the body needed, in module order. */
static void write_imports(strbuf *b, const cdk_out *o, const mapping *m)
{
    const cdk_needs *n = &o->needs;
    arn_parts p;
    char *err = NULL;
    const opt_value *dest = mapping_get(m, OPT_ON_FAILURE);
    const char *dlq = NULL;
    if (dest->set && dest->str && arn_parse(dest->str, &p, &err) == 0)
        dlq = p.kind == ARN_SNS_TOPIC   ? "SnsDlq"
              : p.kind == ARN_S3_BUCKET ? "S3OnFailureDestination"
                                        : "SqsDlq";
    free(err);
    if (o->py) {
        sb_add(b, "import aws_cdk as cdk\n");
        sb_add(b, "from aws_cdk import aws_dynamodb as dynamodb\n");
        if (n->iam)
            sb_add(b, "from aws_cdk import aws_iam as iam\n");
        if (n->kms)
            sb_add(b, "from aws_cdk import aws_kms as kms\n");
        sb_add(b, "from aws_cdk import aws_lambda as lambda_\n");
        sb_add(b, "from aws_cdk import aws_lambda_event_sources as event_sources\n");
        if (n->s3)
            sb_add(b, "from aws_cdk import aws_s3 as s3\n");
        if (n->sns)
            sb_add(b, "from aws_cdk import aws_sns as sns\n");
        if (n->sqs)
            sb_add(b, "from aws_cdk import aws_sqs as sqs\n");
        sb_add(b, "from constructs import Construct\n");
        return;
    }
    sb_add(b, "import * as cdk from 'aws-cdk-lib';\n");
    sb_add(b, "import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';\n");
    if (n->iam)
        sb_add(b, "import * as iam from 'aws-cdk-lib/aws-iam';\n");
    if (n->kms)
        sb_add(b, "import * as kms from 'aws-cdk-lib/aws-kms';\n");
    sb_add(b, "import * as lambda from 'aws-cdk-lib/aws-lambda';\n");
    sb_addf(b, "import { DynamoEventSource%s%s } from 'aws-cdk-lib/aws-lambda-event-sources';\n",
            dlq ? ", " : "", dlq ? dlq : "");
    if (n->s3)
        sb_add(b, "import * as s3 from 'aws-cdk-lib/aws-s3';\n");
    if (n->sns)
        sb_add(b, "import * as sns from 'aws-cdk-lib/aws-sns';\n");
    if (n->sqs)
        sb_add(b, "import * as sqs from 'aws-cdk-lib/aws-sqs';\n");
    sb_add(b, "import { Construct } from 'constructs';\n");
}

/* Whether M's on-failure destination is an S3 bucket. */
static bool s3_destination(const mapping *m)
{
    const opt_value *v = mapping_get(m, OPT_ON_FAILURE);
    arn_parts p;
    char *err = NULL;
    bool s3 = v->set && v->str && arn_parse(v->str, &p, &err) == 0 && p.kind == ARN_S3_BUCKET;
    free(err);
    return s3;
}

/* The snippet for M in TypeScript or (PY) Python; M passes export_check.
 * The CDK grants an S3 destination to the function's role and fails
 * without one (an imported function has none unless it is given): NULL
 * with *err then. */
char *export_cdk_render(const mapping *m, bool py, char **err)
{
    if (s3_destination(m) && !(m->function_role && *m->function_role)) {
        if (err)
            *err = xasprintf("--%s: the CDK grants the S3 bucket to the function's execution role "
                             "and cannot without it: give --function-role ROLE_ARN",
                             opt_get(OPT_ON_FAILURE)->name);
        return NULL;
    }
    cdk_out o = {.py = py};
    char *id = export_logical_id(m);
    if (py) {
        sb_addf(&o.b, "class %sStack(cdk.Stack):\n", id);
        line(&o, 1, "def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:");
        line(&o, 2, "super().__init__(scope, construct_id, **kwargs)");
        sb_add(&o.b, "\n");
        write_body(&o, 2, m);
    } else {
        sb_addf(&o.b, "export class %sStack extends cdk.Stack {\n", id);
        line(&o, 1, "constructor(scope: Construct, id: string, props?: cdk.StackProps) {");
        line(&o, 2, "super(scope, id, props);");
        sb_add(&o.b, "\n");
        write_body(&o, 2, m);
        line(&o, 1, "}");
        sb_add(&o.b, "}\n");
    }
    free(id);
    strbuf out = {0};
    char *table = export_table_name(m), *fn = export_function_name(m);
    char *t = str_escape_display(table), *f = str_escape_display(fn);
    const char *c = py ? "#" : "//";
    sb_addf(&out, "%s DynamoDB stream of table %s to Lambda function %s, generated by esmcfg.\n", c,
            t, f);
    sb_addf(&out, "%s A stack with the mapping: add it to your app, or copy the %s call.\n", c,
            py ? "add_event_source" : "addEventSource");
    free(t);
    free(f);
    free(table);
    free(fn);
    write_imports(&out, &o, m);
    sb_add(&out, py ? "\n\n" : "\n");
    sb_add(&out, o.b.s);
    free(o.b.s);
    return sb_take(&out);
}
