/* Reading inventories: the file (mapped, size checked first), telling the
 * JSON kinds apart, esmcfg's own document (docs/inventory.md) and the
 * helpers every reader uses to check values; writing the document back.
 *
 *   {"esmcfg_inventory": 1,
 *    "tables":    [{"arn" | "name", "stream_arn"?, "stream_view_type"?}],
 *    "functions": [{"arn" | "name", "role"?, "runtime"?, "last_modified"?}],
 *    "queues": [{"arn"}], "topics": [{"arn"}],
 *    "buckets": [{"arn" | "name", "region"?}], "keys": [{"arn", "alias"?}]}
 *
 * A file is read whole and checked whole: on any error nothing of it is
 * added, and the message names the file and the JSON path. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/inventory_int.h"

enum { INVENTORY_SCHEMA = 1 };

static const char *const own_sections[INV_KIND_COUNT] = {
    [INV_TABLE] = "tables", [INV_FUNCTION] = "functions", [INV_QUEUE] = "queues",
    [INV_TOPIC] = "topics", [INV_BUCKET] = "buckets",     [INV_KEY] = "keys",
};

/* --- errors -------------------------------------------------------------- */

int inv_fail(load_ctx *c, const char *field, const char *msg)
{
    strbuf path = {0};
    if (c->section) {
        sb_add(&path, c->section);
        if (c->index >= 0)
            sb_addf(&path, "[%ld]", c->index);
        if (c->sub)
            sb_addf(&path, "%s%s", path.len ? "." : "", c->sub);
    }
    if (field)
        sb_addf(&path, "%s%s", path.len ? "." : "", field);
    char *src = str_escape_display(c->source);
    if (path.len)
        *c->err = xasprintf("%s: %s: %s", src, path.s, msg);
    else
        *c->err = xasprintf("%s: %s", src, msg);
    free(src);
    free(path.s);
    return -1;
}

int inv_fail_scan(load_ctx *c, jscan *s)
{
    char *src = str_escape_display(c->source);
    *c->err = xasprintf("%s: %s", src, s->err ? s->err : "not valid JSON");
    free(src);
    return -1;
}

int inv_fail_type(load_ctx *c, const char *field, const char *want)
{
    char *msg = xasprintf("must be %s", want);
    inv_fail(c, field, msg);
    free(msg);
    return -1;
}

/* --- values -------------------------------------------------------------- */

int inv_read_string(load_ctx *c, jscan *s, inventory *stage, const char *field, char **out)
{
    int ch = js_peek(s);
    *out = NULL;
    if (ch == 'n')
        return js_skip(s) ? 0 : inv_fail_scan(c, s);
    if (ch != '"')
        return s->err ? inv_fail_scan(c, s) : inv_fail_type(c, field, "a string");
    return js_string(s, stage, out) ? 0 : inv_fail_scan(c, s);
}

int inv_read_bool(load_ctx *c, jscan *s, const char *field, bool *out)
{
    int ch = js_peek(s);
    if (ch == 'n')
        return js_skip(s) ? 0 : inv_fail_scan(c, s);
    if (ch != 't' && ch != 'f')
        return s->err ? inv_fail_scan(c, s) : inv_fail_type(c, field, "true or false");
    return js_bool(s, out) ? 0 : inv_fail_scan(c, s);
}

int inv_read_object(load_ctx *c, jscan *s, inventory *stage, const inv_field *f, size_t n)
{
    if (js_peek(s) != '{')
        return s->err ? inv_fail_scan(c, s) : inv_fail(c, NULL, "must be an object");
    js_open(s, '{');
    while (js_next(s, '{')) {
        const inv_field *hit = NULL;
        for (size_t i = 0; i < n && !hit; i++)
            if (strcmp(f[i].name, s->key.s) == 0)
                hit = &f[i];
        int rc = 0;
        if (!hit)
            rc = js_skip(s) ? 0 : inv_fail_scan(c, s);
        else if (hit->str && *hit->str)
            rc = inv_fail(c, hit->name, "is given twice");
        else if (hit->str)
            rc = inv_read_string(c, s, stage, hit->name, hit->str);
        else if (hit->flag)
            rc = inv_read_bool(c, s, hit->name, hit->flag);
        else
            rc = hit->nested(c, s, stage, hit->arg);
        if (rc < 0)
            return -1;
    }
    return s->err ? inv_fail_scan(c, s) : 0;
}

int inv_check_arn(load_ctx *c, const char *field, const char *arn, arn_kind want, arn_parts *parts)
{
    char *err = NULL;
    if (arn_parse(arn, parts, &err) < 0) {
        inv_fail(c, field, err);
        free(err);
        return -1;
    }
    if (parts->kind != want) {
        char *msg =
            xasprintf("is %s %s ARN, expected %s %s ARN", arn_kind_article(parts->kind),
                      arn_kind_name(parts->kind), arn_kind_article(want), arn_kind_name(want));
        inv_fail(c, field, msg);
        free(msg);
        return -1;
    }
    return 0;
}

void inv_take_arn_parts(load_ctx *c, inventory *stage, inv_item *it, const arn_parts *p)
{
    if (!it->name) {
        size_t an = it->arn ? strlen(it->arn) : 0, nn = strlen(p->name);
        if (an >= nn && strcmp(it->arn + an - nn, p->name) == 0)
            it->name = it->arn + an - nn;
        else
            it->name = inventory_strdup(stage, p->name);
    }
    if (p->region[0])
        it->region = inv_intern_copy(c, stage, p->region);
    if (p->account[0])
        it->account = inv_intern_copy(c, stage, p->account);
}

int inv_check_view_type(load_ctx *c, const char *field, const char *v)
{
    static const char *const types[] = {"NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES",
                                        "KEYS_ONLY"};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(v, types[i]) == 0)
            return 0;
    char *shown = str_escape_display(v);
    char *msg = xasprintf("%.100s is not a stream view type (NEW_IMAGE, OLD_IMAGE, "
                          "NEW_AND_OLD_IMAGES or KEYS_ONLY)",
                          shown);
    inv_fail(c, field, msg);
    free(msg);
    free(shown);
    return -1;
}

bool inv_table_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 3 || n > 255)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
        if (!ok)
            return false;
    }
    return true;
}

bool inv_stream_of_table(const arn_parts *table, const arn_parts *stream)
{
    return strcmp(table->name, stream->name) == 0 && strcmp(table->region, stream->region) == 0 &&
           strcmp(table->account, stream->account) == 0;
}

int inv_check_table_name(load_ctx *c, const char *field, const char *name)
{
    char *why = NULL;
    if (inventory_check_name(INV_TABLE, name, &why) == 0)
        return 0;
    inv_fail(c, field, why);
    free(why);
    return -1;
}

/* Whether NAME is a valid name for KIND (see inventory_check_name). */
static bool name_ok(inv_kind kind, const char *name)
{
    static const char *const prefix[INV_KIND_COUNT] = {
        [INV_QUEUE] = "arn:aws:sqs:us-east-1:123456789012:",
        [INV_TOPIC] = "arn:aws:sns:us-east-1:123456789012:",
        [INV_BUCKET] = "arn:aws:s3:::",
    };
    if (kind == INV_TABLE)
        return inv_table_name_ok(name);
    if (kind == INV_KEY)
        return *name != '\0';
    if (strchr(name, ':') || strchr(name, '/'))
        return false;
    arn_parts p;
    char *e = NULL;
    bool ok;
    if (kind == INV_FUNCTION) {
        ok = value_parse_function(name, &p, &e) == 0;
    } else {
        char *arn = xasprintf("%s%s", prefix[kind], name);
        ok = arn_parse(arn, &p, &e) == 0;
        free(arn);
    }
    free(e);
    return ok;
}

int inventory_check_name(inv_kind kind, const char *name, char **why)
{
    static const char *const rule[INV_KIND_COUNT] = {
        [INV_TABLE] = "3..255 of a-z A-Z 0-9 _ . -",
        [INV_FUNCTION] = "1..64 of a-z A-Z 0-9 - _",
        [INV_QUEUE] = "1..80 of a-z A-Z 0-9 _ -, .fifo at the end",
        [INV_TOPIC] = "1..256 of a-z A-Z 0-9 _ -, .fifo at the end",
        [INV_BUCKET] = "3..63 of a-z 0-9 . -",
        [INV_KEY] = "not empty",
    };
    if (name_ok(kind, name))
        return 0;
    char *shown = str_escape_display(name);
    *why = xasprintf("%.100s is not a %s name (%s)", shown, inv_kind_name(kind), rule[kind]);
    free(shown);
    return -1;
}

/* --- esmcfg's own document ----------------------------------------------- */

/* A table: its ARN and its stream when on, or its name alone. */
static int own_table(load_ctx *c, jscan *s, inventory *stage, inv_item *it)
{
    char *name = NULL;
    const inv_field f[] = {{"arn", &it->arn, NULL, NULL, NULL},
                           {"name", &name, NULL, NULL, NULL},
                           {"stream_arn", &it->stream_arn, NULL, NULL, NULL},
                           {"stream_view_type", &it->stream_view_type, NULL, NULL, NULL}};
    if (inv_read_object(c, s, stage, f, sizeof f / sizeof f[0]) < 0)
        return -1;
    if (!it->arn && name && !it->stream_arn) { /* from list-tables: the stream is unknown */
        it->name = name;
        return inv_check_table_name(c, "name", name);
    }
    arn_parts p, sp;
    if (!it->arn)
        return inv_fail(c, "arn", "is missing");
    if (inv_check_arn(c, "arn", it->arn, ARN_DYNAMODB_TABLE, &p) < 0)
        return -1;
    inv_take_arn_parts(c, stage, it, &p);
    it->stream_known = true;
    if (it->stream_view_type &&
        inv_check_view_type(c, "stream_view_type", it->stream_view_type) < 0)
        return -1;
    it->stream_view_type = inv_intern(c, stage, it->stream_view_type);
    if (!it->stream_arn)
        return 0;
    if (inv_check_arn(c, "stream_arn", it->stream_arn, ARN_DYNAMODB_STREAM, &sp) < 0)
        return -1;
    if (!inv_stream_of_table(&p, &sp))
        return inv_fail(c, "stream_arn", "is not a stream of this table");
    it->stream_enabled = true;
    return 0;
}

/* A function: ARN (or bare name), role, runtime, last change. */
static int own_function(load_ctx *c, jscan *s, inventory *stage, inv_item *it)
{
    char *name = NULL;
    const inv_field f[] = {{"arn", &it->arn, NULL, NULL, NULL},
                           {"name", &name, NULL, NULL, NULL},
                           {"role", &it->role_arn, NULL, NULL, NULL},
                           {"runtime", &it->runtime, NULL, NULL, NULL},
                           {"last_modified", &it->last_modified, NULL, NULL, NULL}};
    if (inv_read_object(c, s, stage, f, sizeof f / sizeof f[0]) < 0)
        return -1;
    if (!it->arn && !name)
        return inv_fail(c, NULL, "needs \"arn\" or \"name\"");
    arn_parts p, r;
    char *err = NULL;
    if (value_parse_function(it->arn ? it->arn : name, &p, &err) < 0) {
        inv_fail(c, it->arn ? "arn" : "name", err);
        free(err);
        return -1;
    }
    inv_take_arn_parts(c, stage, it, &p);
    it->runtime = inv_intern(c, stage, it->runtime);
    if (it->role_arn && inv_check_arn(c, "role", it->role_arn, ARN_IAM_ROLE, &r) < 0)
        return -1;
    return 0;
}

/* A queue, topic, bucket or key: an ARN of the section's kind. */
static int own_resource(load_ctx *c, jscan *s, inventory *stage, inv_item *it)
{
    static const arn_kind want[INV_KIND_COUNT] = {
        [INV_QUEUE] = ARN_SQS_QUEUE,
        [INV_TOPIC] = ARN_SNS_TOPIC,
        [INV_BUCKET] = ARN_S3_BUCKET,
        [INV_KEY] = ARN_KMS_KEY,
    };
    char *alias = NULL, *name = NULL, *region = NULL;
    const inv_field f[] = {{"arn", &it->arn, NULL, NULL, NULL},
                           {"alias", &alias, NULL, NULL, NULL},
                           {"name", &name, NULL, NULL, NULL},
                           {"region", &region, NULL, NULL, NULL}};
    if (inv_read_object(c, s, stage, f, sizeof f / sizeof f[0]) < 0)
        return -1;
    if (!it->arn && it->kind == INV_BUCKET && name) {
        char *arn = xasprintf("arn:aws:s3:::%s", name);
        it->arn = inventory_strdup(stage, arn);
        free(arn);
    }
    if (!it->arn)
        return inv_fail(c, "arn", "is missing");
    arn_parts p;
    if (inv_check_arn(c, "arn", it->arn, want[it->kind], &p) < 0)
        return -1;
    if (it->kind == INV_KEY && alias)
        it->name = alias;
    inv_take_arn_parts(c, stage, it, &p);
    if (it->kind == INV_BUCKET && region)
        it->region = inv_intern(c, stage, region);
    size_t n = strlen(it->name);
    it->fifo = n > 5 && strcmp(it->name + n - 5, ".fifo") == 0;
    return 0;
}

/* One entry of section KIND. */
static int own_entry(load_ctx *c, jscan *s, inventory *stage, inv_kind kind)
{
    if (js_peek(s) != '{')
        return s->err ? inv_fail_scan(c, s) : inv_fail(c, NULL, "must be an object");
    inv_item *it = inventory_stage_add(stage, kind);
    if (kind == INV_TABLE)
        return own_table(c, s, stage, it);
    if (kind == INV_FUNCTION)
        return own_function(c, s, stage, it);
    return own_resource(c, s, stage, it);
}

/* The entries of one section, an array. */
static int own_section(load_ctx *c, jscan *s, inventory *stage, inv_kind kind)
{
    if (js_peek(s) != '[') {
        if (s->err)
            return inv_fail_scan(c, s);
        char *msg = xasprintf("\"%s\" must be an array", own_sections[kind]);
        inv_fail(c, NULL, msg);
        free(msg);
        return -1;
    }
    js_open(s, '[');
    c->section = own_sections[kind];
    for (c->index = 0; js_next(s, '['); c->index++)
        if (own_entry(c, s, stage, kind) < 0)
            return -1;
    c->section = NULL;
    c->index = -1;
    return s->err ? inv_fail_scan(c, s) : 0;
}

/* The kind whose section is called NAME, or -1. */
static int own_section_kind(const char *name)
{
    for (int k = 0; k < INV_KIND_COUNT; k++)
        if (strcmp(own_sections[k], name) == 0)
            return k;
    return -1;
}

int inv_read_own(load_ctx *c, const inv_text *t, inventory *stage)
{
    jscan s;
    js_init(&s, t);
    bool seen[INV_KIND_COUNT] = {false};
    int rc = js_open(&s, '{') ? 0 : inv_fail_scan(c, &s);
    while (rc == 0 && js_next(&s, '{')) {
        int k = own_section_kind(s.key.s);
        if (k < 0) {
            rc = js_skip(&s) ? 0 : inv_fail_scan(c, &s);
        } else if (seen[k]) {
            char *msg = xasprintf("\"%s\" is given twice", own_sections[k]);
            rc = inv_fail(c, NULL, msg);
            free(msg);
        } else {
            seen[k] = true;
            rc = own_section(c, &s, stage, (inv_kind)k);
        }
    }
    if (rc == 0 && (s.err || !js_finish(&s)))
        rc = inv_fail_scan(c, &s);
    js_done(&s);
    return rc;
}

/* --- telling the kinds apart --------------------------------------------- */

/* Note top-level key KEY in TOP; reads "esmcfg_inventory"'s value. */
static bool note_top_key(jscan *s, inv_top *top, bool checked)
{
    static const char *const aws[] = {"TableNames", "Table",   "Functions", "QueueUrls",
                                      "Topics",     "Buckets", "Keys",      "Aliases"};
    const char *key = s->key.s;
    if (strcmp(key, "esmcfg_inventory") == 0) {
        top->esmcfg = true;
        if (js_peek(s) == '-' || (js_peek(s) >= '0' && js_peek(s) <= '9'))
            return js_number(s, &top->version);
    }
    for (size_t i = 0; i < sizeof aws / sizeof aws[0]; i++)
        top->aws = top->aws || strcmp(key, aws[i]) == 0;
    top->own = top->own || own_section_kind(key) >= 0;
    top->template_ = top->template_ || strcmp(key, "Resources") == 0 ||
                     strcmp(key, "AWSTemplateFormatVersion") == 0;
    return checked ? js_skip(s) : js_skip_unchecked(s);
}

/* Read the top-level keys of the object in T; CHECKED checks the values
 * too (slower; gives the message when the fast way fails). */
static bool scan_keys(const inv_text *t, inv_top *top, bool checked, jscan *s)
{
    js_init(s, t);
    js_open(s, '{');
    while (js_next(s, '{'))
        if (!note_top_key(s, top, checked))
            return false;
    return !s->err && js_finish(s);
}

int inv_scan_top(load_ctx *c, const inv_text *t, inv_top *top)
{
    jscan s;
    js_init(&s, t);
    memset(top, 0, sizeof *top);
    top->version = -1;
    int ch = js_peek(&s);
    int rc = 0;
    if (ch == -1) {
        rc = inv_fail(c, NULL, "is empty: " INV_NOT_AN_INVENTORY);
    } else if (ch == '[') {
        top->is_array = true; /* the array's reader checks it */
    } else if (ch == '{') {
        top->is_object = true;
        bool fast = scan_keys(t, top, false, &s);
        if (!fast || (top->template_ && !top->aws && !top->esmcfg)) {
            js_done(&s); /* templates are small and read with cJSON: check them here */
            if (!scan_keys(t, top, true, &s))
                rc = inv_fail_scan(c, &s);
        }
    }
    js_done(&s);
    return rc;
}

/* The schema marker and version, read by inv_scan_top. */
static int check_schema(load_ctx *c, const inv_top *top)
{
    if (!top->is_object)
        return inv_fail(c, NULL, "is not an esmcfg inventory (expected a JSON object)");
    if (!top->esmcfg)
        return inv_fail(c, NULL, "is not an esmcfg inventory (no \"esmcfg_inventory\": 1)");
    if (top->version != INVENTORY_SCHEMA)
        return inv_fail(c, NULL, "has an inventory schema version esmcfg does not know (want 1)");
    return 0;
}

/* Read T as the kind its top-level keys say; fills SECTIONS for messages. */
static int read_kind(load_ctx *c, const inv_text *t, const inv_top *top, inventory *stage,
                     const char **sections)
{
    if (top->is_object && top->esmcfg) {
        if (check_schema(c, top) < 0)
            return -1;
        memcpy(sections, own_sections, sizeof own_sections);
        return inv_read_own(c, t, stage);
    }
    if (top->is_array || (top->is_object && top->aws))
        return inv_read_aws(c, t, top, stage, sections);
    if (top->is_object && top->template_)
        return INV_LOAD_TEMPLATE;
    if (top->is_object && top->own)
        return check_schema(c, top);
    return inv_fail(c, NULL, INV_NOT_AN_INVENTORY);
}

/* Which kinds a reader takes. */
typedef enum { WANT_ANY, WANT_OWN, WANT_AWS } want_kind;

/* Scan, read and commit T as one of the kinds WANTED allows. */
static int load(inventory *inv, const inv_text *t, const char *source, want_kind wanted, char **err)
{
    load_ctx c = {.source = source, .index = -1, .err = err};
    inv_top top;
    if (inv_scan_top(&c, t, &top) < 0)
        return INV_LOAD_INVALID;
    if (wanted == WANT_OWN && check_schema(&c, &top) < 0)
        return INV_LOAD_INVALID;
    if (wanted == WANT_AWS && !top.is_array && !(top.is_object && top.aws && !top.esmcfg))
        return inv_fail(&c, NULL,
                        "is not AWS CLI output (list-tables, describe-table, list-functions, "
                        "list-queues, list-topics, list-buckets, list-keys or list-aliases)");
    inventory stage;
    inventory_init(&stage);
    const char *sections[INV_KIND_COUNT] = {NULL};
    int rc = read_kind(&c, t, &top, &stage, sections);
    if (rc != 0) {
        inventory_free(&stage);
        return rc < 0 ? INV_LOAD_INVALID : rc;
    }
    return inv_commit_sections(inv, &stage, source, sections, err) == 0 ? INV_LOAD_OK
                                                                        : INV_LOAD_INVALID;
}

int inventory_load_text(inventory *inv, const char *text, size_t len, const char *source,
                        char **err)
{
    inv_text t = {.text = text, .len = len};
    return load(inv, &t, source, WANT_OWN, err);
}

int inventory_load_aws(inventory *inv, const char *text, size_t len, const char *source, char **err)
{
    inv_text t = {.text = text, .len = len};
    return load(inv, &t, source, WANT_AWS, err);
}

int inventory_load_json(inventory *inv, const inv_text *t, const char *source, char **err)
{
    return load(inv, t, source, WANT_ANY, err);
}

int inventory_load_file(inventory *inv, const char *path, char **err)
{
    inv_text t;
    int rc = inventory_text_open(&t, path, err);
    if (rc != INV_LOAD_OK)
        return rc;
    rc = inventory_load_json(inv, &t, path, err);
    inventory_text_close(&t);
    if (rc == INV_LOAD_TEMPLATE) {
        char *src = str_escape_display(path);
        *err = xasprintf("%s: is a CloudFormation template, which this reader does not read", src);
        free(src);
        rc = INV_LOAD_INVALID;
    }
    return rc;
}

/* --- the file ------------------------------------------------------------ */

/* "PATH: reason" for errno. */
static int io_fail(const char *path, int e, char **err)
{
    char *src = str_escape_display(path);
    *err = xasprintf("%s: %s", src, strerror(e));
    free(src);
    return INV_LOAD_IO;
}

/* "PATH: N MB is more than the 128 MB an inventory file may be". */
static int too_big(const char *path, size_t size, char **err)
{
    char *src = str_escape_display(path);
    size_t mb = 1024 * 1024;
    if (size)
        *err = xasprintf("%s: %zu MB is more than the %zu MB an inventory file may be", src,
                         (size + mb - 1) / mb, INVENTORY_FILE_MAX / mb);
    else
        *err = xasprintf("%s: more than the %zu MB an inventory file may be", src,
                         INVENTORY_FILE_MAX / mb);
    free(src);
    return INV_LOAD_INVALID;
}

/* Read a pipe or device FD whole, up to the limit. */
static int read_stream(inv_text *t, int fd, const char *path, char **err)
{
    strbuf b = {0};
    char chunk[65536];
    int rc = INV_LOAD_OK;
    for (;;) {
        ssize_t got = read(fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            rc = io_fail(path, errno, err);
        else if (b.len + (size_t)got > INVENTORY_FILE_MAX)
            rc = too_big(path, 0, err);
        if (got <= 0 || rc != INV_LOAD_OK)
            break;
        sb_addn(&b, chunk, (size_t)got);
    }
    if (rc != INV_LOAD_OK) {
        free(b.s);
        return rc;
    }
    t->len = b.len;
    t->owned_ = sb_take(&b);
    t->text = t->owned_;
    return INV_LOAD_OK;
}

/* Map the regular file FD of SIZE bytes. */
static int map_file(inv_text *t, int fd, size_t size, const char *path, char **err)
{
    if (size > INVENTORY_FILE_MAX)
        return too_big(path, size, err);
    if (size == 0) {
        t->text = "";
        return INV_LOAD_OK;
    }
    void *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED)
        return io_fail(path, errno, err);
    madvise(p, size, MADV_SEQUENTIAL);
    t->map_ = p;
    t->text = p;
    t->len = size;
    t->mapped = true;
    return INV_LOAD_OK;
}

int inventory_text_open(inv_text *t, const char *path, char **err)
{
    memset(t, 0, sizeof *t);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return io_fail(path, errno, err);
    struct stat st;
    int rc;
    if (fstat(fd, &st) != 0)
        rc = io_fail(path, errno, err);
    else if (S_ISDIR(st.st_mode))
        rc = io_fail(path, EISDIR, err);
    else if (S_ISREG(st.st_mode))
        rc = map_file(t, fd, (size_t)st.st_size, path, err);
    else
        rc = read_stream(t, fd, path, err);
    close(fd);
    return rc;
}

void inventory_text_close(inv_text *t)
{
    if (t->map_)
        munmap(t->map_, t->len);
    free(t->owned_);
    memset(t, 0, sizeof *t);
}

/* --- writing the document ------------------------------------------------ */

/* S as a JSON string. */
static void put_str(strbuf *b, const char *s)
{
    sb_add(b, "\"");
    const char *run = s;
    for (const char *p = s; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch >= 0x20 && ch != '"' && ch != '\\' && ch != 0x7F)
            continue;
        sb_addn(b, run, (size_t)(p - run));
        if (ch == '"' || ch == '\\')
            sb_addf(b, "\\%c", ch);
        else
            sb_addf(b, "\\u%04x", ch);
        run = p + 1;
    }
    sb_add(b, run);
    sb_add(b, "\"");
}

/* ", "KEY": VALUE" when VALUE is set. */
static void put_field(strbuf *b, bool *first, const char *key, const char *value)
{
    if (!value)
        return;
    sb_addf(b, "%s\"%s\": ", *first ? "" : ", ", key);
    put_str(b, value);
    *first = false;
}

/* One item of the document. */
static void put_item(strbuf *b, const inv_item *it)
{
    bool first = true;
    sb_add(b, "{");
    if (it->arn)
        put_field(b, &first, "arn", it->arn);
    else
        put_field(b, &first, "name", it->name);
    if (it->kind == INV_TABLE && it->stream_enabled && it->stream_arn) {
        put_field(b, &first, "stream_arn", it->stream_arn);
        put_field(b, &first, "stream_view_type", it->stream_view_type);
    }
    if (it->kind == INV_FUNCTION) {
        put_field(b, &first, "role", it->role_arn);
        put_field(b, &first, "runtime", it->runtime);
        put_field(b, &first, "last_modified", it->last_modified);
    }
    if (it->kind == INV_BUCKET)
        put_field(b, &first, "region", it->region);
    if (it->kind == INV_KEY && it->name && strncmp(it->name, "alias/", 6) == 0)
        put_field(b, &first, "alias", it->name);
    sb_add(b, "}");
}

/* Whether the document can hold IT (not a template's resource). */
static bool savable(const inv_item *it)
{
    return it->arn || !it->logical_id;
}

char *inventory_to_json(const inventory *inv)
{
    strbuf b = {0};
    sb_addf(&b, "{\n  \"esmcfg_inventory\": %d", INVENTORY_SCHEMA);
    for (int k = 0; k < INV_KIND_COUNT; k++) {
        bool any = false;
        for (size_t i = 0; i < inv->n; i++) {
            const inv_item *it = &inv->items[i];
            if (it->kind != (inv_kind)k || !savable(it))
                continue;
            if (any)
                sb_add(&b, ",\n    ");
            else
                sb_addf(&b, ",\n  \"%s\": [\n    ", own_sections[k]);
            any = true;
            put_item(&b, it);
        }
        if (any)
            sb_add(&b, "\n  ]");
    }
    sb_add(&b, "\n}\n");
    return sb_take(&b);
}
