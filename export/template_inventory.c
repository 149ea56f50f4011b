/* Inventory files of any kind, and CloudFormation/SAM templates as
 * inventory items (see template_inventory.h). A template is parsed whole
 * (JSON with cJSON, YAML with export_yaml_read), then its Resources are
 * read; on any error nothing of it is added. */
#include "export/template_inventory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/yaml_read.h"
#include "model/util.h"
#include "model/value.h"

/* What reading one template needs. */
typedef struct tpl {
    const cJSON *resources;
    const char *runtime; /* SAM Globals.Function.Runtime, or NULL */
    const char *text;    /* the YAML, for line numbers; NULL for JSON */
    size_t len;
    const char *source;
    inventory *stage;
    char **err;
} tpl;

/* The line of resource ID's key under "Resources:" in the YAML, or 0. */
static size_t resource_line(const tpl *t, const char *id)
{
    if (!t->text)
        return 0; /* a JSON template: no YAML lines to point at */
    size_t line = 1, indent = 0, idlen = strlen(id);
    bool in_resources = false;
    const char *end = t->text + t->len;
    for (const char *p = t->text; p < end; line++) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        eol = eol ? eol : end;
        const char *q = p;
        while (q < eol && *q == ' ')
            q++;
        if (q == eol || *q == '#') {
            p = eol + 1;
            continue;
        }
        if (q == p) {
            in_resources = eol - p >= 10 && strncmp(p, "Resources:", 10) == 0;
            indent = 0;
        } else if (in_resources && (indent == 0 || (size_t)(q - p) == indent)) {
            indent = (size_t)(q - p);
            q += *q == '"' || *q == '\'';
            if ((size_t)(eol - q) > idlen && strncmp(q, id, idlen) == 0) {
                const char *r = q + idlen;
                r += *r == '"' || *r == '\'';
                while (r < eol && *r == ' ')
                    r++;
                if (r < eol && *r == ':')
                    return line;
            }
        }
        p = eol + 1;
    }
    return 0;
}

/* Set the error for PATH (under Resources.ID, or the template when ID is
 * NULL): "SOURCE:LINE: Resources.ID.PATH: MSG" (YAML) or "SOURCE:
 * Resources.ID.PATH: MSG" (JSON). Returns -1. */
static int tpl_fail(tpl *t, const char *id, const char *path, const char *msg)
{
    char *src = str_escape_display(t->source);
    char *shown = id ? str_escape_display(id) : NULL;
    size_t line = id ? resource_line(t, id) : 0;
    char where[32] = "";
    if (line)
        snprintf(where, sizeof where, ":%zu", line);
    if (shown)
        *t->err = xasprintf("%s%s: Resources.%s%s%s: %s", src, where, shown, path ? "." : "",
                            path ? path : "", msg);
    else
        *t->err = xasprintf("%s: %s%s%s", src, path ? path : "", path ? ": " : "", msg);
    free(shown);
    free(src);
    return -1;
}

/* A logical ID: 1..255 ASCII letters and digits. */
static bool logical_id_ok(const char *id)
{
    size_t n = strlen(id);
    if (n < 1 || n > 255)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

/* An intrinsic function or reference: an object with a single key that is
 * "Ref", "Condition" or "Fn::...". */
static bool is_intrinsic(const cJSON *v)
{
    if (!cJSON_IsObject(v) || !v->child || v->child->next)
        return false;
    const char *k = v->child->string;
    return strcmp(k, "Ref") == 0 || strcmp(k, "Condition") == 0 || strncmp(k, "Fn::", 4) == 0;
}

/* Property KEY of PROPS as a literal string into *OUT (NULL when absent or
 * computed by an intrinsic function); an error for other types. */
static int prop_string(tpl *t, const char *id, const cJSON *props, const char *key,
                       const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(props, key);
    *out = NULL;
    if (!v || cJSON_IsNull(v) || is_intrinsic(v))
        return 0;
    if (cJSON_IsString(v)) {
        *out = v->valuestring;
        return 0;
    }
    char *path = xasprintf("Properties.%s", key);
    tpl_fail(t, id, path, "must be a string");
    free(path);
    return -1;
}

/* Property KEY of PROPS as a literal boolean (true or "true"); false when
 * absent or computed. */
static int prop_bool(tpl *t, const char *id, const cJSON *props, const char *key, bool *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(props, key);
    *out = false;
    if (!v || cJSON_IsNull(v) || is_intrinsic(v))
        return 0;
    if (cJSON_IsBool(v) || (cJSON_IsString(v) && (strcmp(v->valuestring, "true") == 0 ||
                                                  strcmp(v->valuestring, "false") == 0))) {
        *out = cJSON_IsTrue(v) || (cJSON_IsString(v) && strcmp(v->valuestring, "true") == 0);
        return 0;
    }
    char *path = xasprintf("Properties.%s", key);
    tpl_fail(t, id, path, "must be true or false");
    free(path);
    return -1;
}

/* The item's name: the literal physical name in property KEY, checked, or
 * the logical ID. */
static int take_name(tpl *t, const char *id, const cJSON *props, const char *key, inv_item *it)
{
    const char *name;
    if (prop_string(t, id, props, key, &name) < 0)
        return -1;
    char *why = NULL;
    if (name && inventory_check_name(it->kind, name, &why) < 0) {
        char *path = xasprintf("Properties.%s", key);
        tpl_fail(t, id, path, why);
        free(path);
        free(why);
        return -1;
    }
    it->name = inventory_strdup(t->stage, name ? name : id);
    return 0;
}

/* --- tables -------------------------------------------------------------- */

/* StreamSpecification: on when StreamViewType is given; unknown when it is
 * decided by a condition. */
static int table_stream(tpl *t, const char *id, const cJSON *props, inv_item *it)
{
    const cJSON *spec = cJSON_GetObjectItemCaseSensitive(props, "StreamSpecification");
    it->stream_known = true;
    if (!spec || cJSON_IsNull(spec))
        return 0;
    if (is_intrinsic(spec)) { /* !If [cond, {...}, !Ref AWS::NoValue] */
        it->stream_known = false;
        return 0;
    }
    if (!cJSON_IsObject(spec))
        return tpl_fail(t, id, "Properties.StreamSpecification", "must be a mapping");
    const cJSON *vt = cJSON_GetObjectItemCaseSensitive(spec, "StreamViewType");
    if (!vt)
        return tpl_fail(t, id, "Properties.StreamSpecification", "needs StreamViewType");
    it->stream_enabled = true;
    if (is_intrinsic(vt))
        return 0;
    static const char *const types[] = {"NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES",
                                        "KEYS_ONLY"};
    for (size_t i = 0; cJSON_IsString(vt) && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(vt->valuestring, types[i]) == 0) {
            it->stream_view_type = inventory_strdup(t->stage, types[i]);
            return 0;
        }
    return tpl_fail(t, id, "Properties.StreamSpecification.StreamViewType",
                    "must be NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES or KEYS_ONLY");
}

/* AWS::DynamoDB::Table, AWS::DynamoDB::GlobalTable, AWS::Serverless::SimpleTable. */
static int read_table(tpl *t, const char *id, const cJSON *props, inv_item *it)
{
    if (take_name(t, id, props, "TableName", it) < 0)
        return -1;
    if (strcmp(it->cfn_type, "AWS::Serverless::SimpleTable") == 0) {
        it->stream_known = true; /* a SimpleTable cannot have a stream */
        return 0;
    }
    return table_stream(t, id, props, it);
}

/* --- functions ----------------------------------------------------------- */

/* The resource LOGICAL of the template is an AWS::IAM::Role. */
static bool is_role_resource(const tpl *t, const char *logical)
{
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(t->resources, logical);
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(r, "Type");
    return cJSON_IsString(type) && strcmp(type->valuestring, "AWS::IAM::Role") == 0;
}

/* The logical ID a role reference names: Fn::GetAtt [X, Arn] (or "X.Arn"), Ref X. */
static const char *role_reference(const cJSON *role)
{
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(role, "Ref");
    if (cJSON_IsString(ref))
        return ref->valuestring;
    const cJSON *ga = cJSON_GetObjectItemCaseSensitive(role, "Fn::GetAtt");
    if (cJSON_IsArray(ga) && cJSON_GetArraySize(ga) == 2 &&
        cJSON_IsString(cJSON_GetArrayItem(ga, 0)) && cJSON_IsString(cJSON_GetArrayItem(ga, 1)) &&
        strcmp(cJSON_GetArrayItem(ga, 1)->valuestring, "Arn") == 0)
        return cJSON_GetArrayItem(ga, 0)->valuestring;
    if (cJSON_IsString(ga)) {
        size_t n = strlen(ga->valuestring);
        if (n > 4 && strcmp(ga->valuestring + n - 4, ".Arn") == 0)
            return ga->valuestring; /* the caller cuts ".Arn" */
    }
    return NULL;
}

/* Role: a literal ARN, or a role resource of the template. */
static int function_role(tpl *t, const char *id, const cJSON *props, inv_item *it)
{
    const cJSON *role = cJSON_GetObjectItemCaseSensitive(props, "Role");
    if (!role || cJSON_IsNull(role)) {
        if (strcmp(it->cfn_type, "AWS::Serverless::Function") == 0) {
            char *implicit = xasprintf("%sRole", id); /* what SAM generates */
            it->role_logical_id = inventory_strdup(t->stage, implicit);
            free(implicit);
        }
        return 0;
    }
    if (cJSON_IsString(role)) {
        arn_parts p;
        char *err = NULL;
        if (arn_parse(role->valuestring, &p, &err) == 0 && p.kind == ARN_IAM_ROLE) {
            it->role_arn = inventory_strdup(t->stage, role->valuestring);
            return 0;
        }
        char *msg = err ? err : xstrdup("is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)");
        tpl_fail(t, id, "Properties.Role", msg);
        free(msg);
        return -1;
    }
    const char *ref = role_reference(role);
    char *logical = ref ? xstrdup(ref) : NULL;
    char *dot = logical ? strstr(logical, ".Arn") : NULL;
    if (dot && dot[4] == '\0')
        *dot = '\0';
    if (logical && is_role_resource(t, logical))
        it->role_logical_id = inventory_strdup(t->stage, logical);
    free(logical); /* else a parameter or !Sub: the role is not known */
    return 0;
}

/* AWS::Lambda::Function, AWS::Serverless::Function. */
static int read_function(tpl *t, const char *id, const cJSON *props, inv_item *it)
{
    const char *runtime;
    if (take_name(t, id, props, "FunctionName", it) < 0 ||
        prop_string(t, id, props, "Runtime", &runtime) < 0)
        return -1;
    if (!runtime && strcmp(it->cfn_type, "AWS::Serverless::Function") == 0)
        runtime = t->runtime;
    it->runtime = inventory_strdup(t->stage, runtime);
    return function_role(t, id, props, it);
}

/* --- destinations -------------------------------------------------------- */

/* Whether NAME ends in ".fifo". */
static bool fifo_name(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, ".fifo") == 0;
}

/* AWS::SQS::Queue, AWS::SNS::Topic: the name, FIFO or not. */
static int read_queue_topic(tpl *t, const char *id, const cJSON *props, inv_item *it)
{
    bool queue = it->kind == INV_QUEUE;
    if (take_name(t, id, props, queue ? "QueueName" : "TopicName", it) < 0 ||
        prop_bool(t, id, props, queue ? "FifoQueue" : "FifoTopic", &it->fifo) < 0)
        return -1;
    it->fifo = it->fifo || fifo_name(it->name);
    return 0;
}

/* AWS::S3::Bucket. */
static int read_bucket(tpl *t, const char *id, const cJSON *props, inv_item *it)
{
    return take_name(t, id, props, "BucketName", it);
}

/* --- resources ----------------------------------------------------------- */

/* The resource types read, their kinds and readers. */
typedef struct tpl_type {
    const char *type;
    inv_kind kind;
    int (*read)(tpl *t, const char *id, const cJSON *props, inv_item *it);
} tpl_type;

static const tpl_type types[] = {
    {"AWS::DynamoDB::Table", INV_TABLE, read_table},
    {"AWS::DynamoDB::GlobalTable", INV_TABLE, read_table},
    {"AWS::Serverless::SimpleTable", INV_TABLE, read_table},
    {"AWS::Lambda::Function", INV_FUNCTION, read_function},
    {"AWS::Serverless::Function", INV_FUNCTION, read_function},
    {"AWS::SQS::Queue", INV_QUEUE, read_queue_topic},
    {"AWS::SNS::Topic", INV_TOPIC, read_queue_topic},
    {"AWS::S3::Bucket", INV_BUCKET, read_bucket},
};

/* One resource, ID: R. */
static int read_resource(tpl *t, const char *id, const cJSON *r)
{
    if (!logical_id_ok(id))
        return tpl_fail(t, id, NULL, "a logical ID is 1..255 letters and digits");
    if (!cJSON_IsObject(r))
        return tpl_fail(t, id, NULL, "must be a mapping with Type and Properties");
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(r, "Type");
    if (!cJSON_IsString(type))
        return tpl_fail(t, id, "Type", type ? "must be a string" : "is missing");
    const tpl_type *k = NULL;
    for (size_t i = 0; i < sizeof types / sizeof types[0] && !k; i++)
        if (strcmp(types[i].type, type->valuestring) == 0)
            k = &types[i];
    if (!k)
        return 0;
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(r, "Properties");
    if (props && !cJSON_IsNull(props) && !cJSON_IsObject(props))
        return tpl_fail(t, id, "Properties", "must be a mapping");
    inv_item *it = inventory_stage_add(t->stage, k->kind);
    it->logical_id = inventory_strdup(t->stage, id);
    it->cfn_type = inventory_strdup(t->stage, k->type);
    return k->read(t, id, props, it);
}

/* An entry of the sorted list of literal names, for duplicates. */
typedef struct named {
    inv_kind kind;
    const char *name, *id;
} named;

/* Order by kind, then name. */
static int named_cmp(const void *a, const void *b)
{
    const named *x = a, *y = b;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Two resources of one kind with the same physical name cannot deploy. */
static int check_names(tpl *t)
{
    inventory *st = t->stage;
    named *list = xmalloc((st->n ? st->n : 1) * sizeof *list);
    size_t n = 0;
    for (size_t i = 0; i < st->n; i++)
        if (strcmp(st->items[i].name, st->items[i].logical_id) != 0)
            list[n++] = (named){st->items[i].kind, st->items[i].name, st->items[i].logical_id};
    qsort(list, n, sizeof *list, named_cmp);
    int rc = 0;
    for (size_t i = 1; i < n && rc == 0; i++) {
        if (named_cmp(&list[i - 1], &list[i]) != 0)
            continue;
        const named *a = strcmp(list[i - 1].id, list[i].id) < 0 ? &list[i - 1] : &list[i];
        const named *b = a == &list[i] ? &list[i - 1] : &list[i];
        char *name = str_escape_display(b->name);
        char *msg = xasprintf("%s %s has the same name as Resources.%s", inv_kind_name(b->kind),
                              name, a->id);
        rc = tpl_fail(t, b->id, NULL, msg);
        free(msg);
        free(name);
    }
    free(list);
    return rc;
}

/* Refuse a logical ID given twice (JSON allows it, CloudFormation does not). */
static int check_ids(tpl *t)
{
    size_t n = (size_t)cJSON_GetArraySize(t->resources);
    named *list = xmalloc((n ? n : 1) * sizeof *list);
    size_t i = 0;
    for (const cJSON *r = t->resources->child; r; r = r->next)
        list[i++] = (named){INV_TABLE, r->string, r->string};
    qsort(list, n, sizeof *list, named_cmp);
    int rc = 0;
    for (i = 1; i < n && rc == 0; i++)
        if (strcmp(list[i - 1].name, list[i].name) == 0)
            rc = tpl_fail(t, list[i].id, NULL, "the logical ID is given twice");
    free(list);
    return rc;
}

/* SAM's Globals.Function.Runtime, when literal. */
static const char *global_runtime(const cJSON *doc)
{
    const cJSON *g = cJSON_GetObjectItemCaseSensitive(doc, "Globals");
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(g, "Function");
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(f, "Runtime");
    return cJSON_IsString(r) ? r->valuestring : NULL;
}

/* Read every resource into T's stage. */
static int read_resources(tpl *t)
{
    if (!cJSON_IsObject(t->resources))
        return tpl_fail(t, NULL, "Resources",
                        t->resources ? "must be a mapping of logical IDs to resources"
                                     : "is missing (a template needs a Resources section)");
    if (check_ids(t) < 0)
        return -1;
    for (const cJSON *r = t->resources->child; r; r = r->next)
        if (read_resource(t, r->string, r) < 0)
            return -1;
    return check_names(t);
}

int inventory_load_template(inventory *inv, const cJSON *doc, const char *text, size_t len,
                            const char *source, char **err)
{
    inventory stage;
    inventory_init(&stage);
    tpl t = {.resources = cJSON_GetObjectItemCaseSensitive(doc, "Resources"),
             .runtime = global_runtime(doc),
             .text = text,
             .len = len,
             .source = source,
             .stage = &stage,
             .err = err};
    if (!cJSON_IsObject(doc)) {
        tpl_fail(&t, NULL, NULL, "is not a CloudFormation template (expected a mapping)");
        return INV_LOAD_INVALID;
    }
    if (read_resources(&t) < 0) {
        inventory_free(&stage);
        return INV_LOAD_INVALID;
    }
    return inventory_commit(inv, &stage, source, err) == 0 ? INV_LOAD_OK : INV_LOAD_INVALID;
}

/* --- any kind ------------------------------------------------------------ */

/* The first significant byte of T (after a byte order mark), or -1. */
static int first_byte(const inv_text *t)
{
    size_t i = t->len >= 3 && memcmp(t->text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (; i < t->len; i++)
        if (!strchr(" \t\r\n", t->text[i]))
            return (unsigned char)t->text[i];
    return -1;
}

/* "SOURCE: MSG" into *err; returns INV_LOAD_INVALID. */
static int fail_whole(const char *source, const char *msg, char **err)
{
    char *src = str_escape_display(source);
    *err = xasprintf("%s: %s", src, msg);
    free(src);
    return INV_LOAD_INVALID;
}

/* Whether DOC looks like a template: Resources or AWSTemplateFormatVersion. */
static bool is_template(const cJSON *doc)
{
    return cJSON_IsObject(doc) &&
           (cJSON_GetObjectItemCaseSensitive(doc, "Resources") ||
            cJSON_GetObjectItemCaseSensitive(doc, "AWSTemplateFormatVersion"));
}

/* A template in JSON (the model told it apart and checked its syntax). */
static int load_json_template(inventory *inv, const inv_text *t, const char *source, char **err)
{
    if (t->len > TEMPLATE_INVENTORY_MAX_BYTES)
        return fail_whole(
            source, "is a CloudFormation template larger than 1 MB, CloudFormation's limit", err);
    size_t bom = t->len >= 3 && memcmp(t->text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    cJSON *doc = cJSON_ParseWithLength(t->text + bom, t->len - bom);
    if (!doc)
        return fail_whole(source, "is a template that cJSON cannot read", err);
    int rc = inventory_load_template(inv, doc, NULL, 0, source, err);
    cJSON_Delete(doc);
    return rc;
}

/* A template in YAML, or nothing known. */
static int load_yaml(inventory *inv, const inv_text *t, const char *source, char **err)
{
    if (t->len > TEMPLATE_INVENTORY_MAX_BYTES)
        return fail_whole(source,
                          "is not JSON, and too large for a YAML template (CloudFormation's limit "
                          "is 1 MB): " INV_NOT_AN_INVENTORY,
                          err);
    char *yerr = NULL;
    cJSON *doc = export_yaml_read(t->text, t->len, source, &yerr);
    if (!doc) {
        *err = xasprintf("%s (read as a YAML template)", yerr ? yerr : source);
        free(yerr);
        return INV_LOAD_INVALID;
    }
    int rc = is_template(doc) ? inventory_load_template(inv, doc, t->text, t->len, source, err)
                              : fail_whole(source, INV_NOT_AN_INVENTORY, err);
    cJSON_Delete(doc);
    return rc;
}

/* Any kind, from T. */
static int load_inv_text(inventory *inv, const inv_text *t, const char *source, char **err)
{
    int c = first_byte(t);
    if (c != '{' && c != '[' && c != -1)
        return load_yaml(inv, t, source, err);
    int rc = inventory_load_json(inv, t, source, err);
    return rc == INV_LOAD_TEMPLATE ? load_json_template(inv, t, source, err) : rc;
}

int inventory_load_any(inventory *inv, const char *text, size_t len, const char *source, char **err)
{
    inv_text t = {.text = text, .len = len};
    return load_inv_text(inv, &t, source, err);
}

int inventory_load_path(inventory *inv, const char *path, char **err)
{
    inv_text t;
    int rc = inventory_text_open(&t, path, err);
    if (rc == INV_LOAD_OK)
        rc = load_inv_text(inv, &t, path, err);
    inventory_text_close(&t);
    return rc;
}
