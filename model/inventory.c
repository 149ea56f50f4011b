/* esmcfg's inventory document (docs/inventory.md):
 *
 *   {"esmcfg_inventory": 1,
 *    "tables":    [{"arn", "stream_arn"?, "stream_view_type"?}],
 *    "functions": [{"arn" | "name", "role"?, "runtime"?, "last_modified"?}],
 *    "queues": [{"arn"}], "topics": [{"arn"}], "buckets": [{"arn" | "name"}],
 *    "keys": [{"arn", "alias"?}]}
 *
 * A file is read whole and checked whole: on any error nothing of it is
 * added, and the message names the file and the JSON path. */
#include "model/inventory.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cJSON.h>

#include "model/value.h"

/* Largest inventory file read (a 50,000-table account is ~20 MB). */
enum { INVENTORY_FILE_MAX = 256 * 1024 * 1024, INVENTORY_SCHEMA = 1 };

static const char *const section_names[INV_KIND_COUNT] = {
    [INV_TABLE] = "tables", [INV_FUNCTION] = "functions", [INV_QUEUE] = "queues",
    [INV_TOPIC] = "topics", [INV_BUCKET] = "buckets",     [INV_KEY] = "keys",
};

static const char *const kind_names[INV_KIND_COUNT] = {
    [INV_TABLE] = "table", [INV_FUNCTION] = "function", [INV_QUEUE] = "queue",
    [INV_TOPIC] = "topic", [INV_BUCKET] = "bucket",     [INV_KEY] = "KMS key",
};

const char *inv_kind_name(inv_kind k)
{
    return kind_names[k];
}

void inventory_init(inventory *inv)
{
    memset(inv, 0, sizeof *inv);
}

/* Free one item's strings. */
static void item_free(inv_item *it)
{
    free(it->name);
    free(it->arn);
    free(it->region);
    free(it->account);
    free(it->stream_arn);
    free(it->stream_view_type);
    free(it->role_arn);
    free(it->runtime);
    free(it->last_modified);
    free(it->logical_id);
    free(it->role_logical_id);
}

void inventory_free(inventory *inv)
{
    for (size_t i = 0; i < inv->n; i++)
        item_free(&inv->items[i]);
    free(inv->items);
    for (size_t i = 0; i < inv->n_sources; i++)
        free(inv->sources[i]);
    free(inv->sources);
    inventory_init(inv);
}

/* Where an error is: "FILE: tables[3].stream_arn: ". */
typedef struct load_ctx {
    const char *source;
    const char *section;
    int index;
    char **err;
} load_ctx;

/* Set the error for FIELD of the current entry; returns -1. */
static int load_fail(load_ctx *c, const char *field, const char *msg)
{
    char *src = str_escape_display(c->source);
    if (c->section && field)
        *c->err = xasprintf("%s: %s[%d].%s: %s", src, c->section, c->index, field, msg);
    else if (c->section)
        *c->err = xasprintf("%s: %s[%d]: %s", src, c->section, c->index, msg);
    else
        *c->err = xasprintf("%s: %s", src, msg);
    free(src);
    return -1;
}

/* Optional string FIELD of OBJ into *OUT (NULL when absent). */
static int get_string(load_ctx *c, const cJSON *obj, const char *field, char **out)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, field);
    *out = NULL;
    if (!j || cJSON_IsNull(j))
        return 0;
    if (!cJSON_IsString(j))
        return load_fail(c, field, "must be a string");
    *out = xstrdup(j->valuestring);
    return 0;
}

/* Check an ARN field against the kind expected. */
static int check_arn(load_ctx *c, const char *field, const char *arn, arn_kind want,
                     arn_parts *parts)
{
    char *err = NULL;
    if (arn_parse(arn, parts, &err) < 0) {
        load_fail(c, field, err);
        free(err);
        return -1;
    }
    if (parts->kind != want) {
        char *msg =
            xasprintf("is %s %s ARN, expected %s %s ARN", arn_kind_article(parts->kind),
                      arn_kind_name(parts->kind), arn_kind_article(want), arn_kind_name(want));
        load_fail(c, field, msg);
        free(msg);
        return -1;
    }
    return 0;
}

/* Fill name/region/account from the parsed ARN. */
static void take_arn_parts(inv_item *it, const arn_parts *p)
{
    if (!it->name)
        it->name = xstrdup(p->name);
    it->region = p->region[0] ? xstrdup(p->region) : NULL;
    it->account = p->account[0] ? xstrdup(p->account) : NULL;
}

/* A table: its ARN, and its stream when on. */
static int read_table(load_ctx *c, const cJSON *o, inv_item *it)
{
    arn_parts p, s;
    if (get_string(c, o, "arn", &it->arn) < 0 ||
        get_string(c, o, "stream_arn", &it->stream_arn) < 0 ||
        get_string(c, o, "stream_view_type", &it->stream_view_type) < 0)
        return -1;
    if (!it->arn)
        return load_fail(c, "arn", "is missing");
    if (check_arn(c, "arn", it->arn, ARN_DYNAMODB_TABLE, &p) < 0)
        return -1;
    take_arn_parts(it, &p);
    it->stream_known = true;
    if (!it->stream_arn)
        return 0;
    if (check_arn(c, "stream_arn", it->stream_arn, ARN_DYNAMODB_STREAM, &s) < 0)
        return -1;
    if (strcmp(s.name, p.name) != 0 || strcmp(s.region, p.region) != 0)
        return load_fail(c, "stream_arn", "is not a stream of this table");
    it->stream_enabled = true;
    return 0;
}

/* A function: ARN (or bare name), role, runtime, last change. */
static int read_function(load_ctx *c, const cJSON *o, inv_item *it)
{
    if (get_string(c, o, "arn", &it->arn) < 0 || get_string(c, o, "name", &it->name) < 0 ||
        get_string(c, o, "role", &it->role_arn) < 0 ||
        get_string(c, o, "runtime", &it->runtime) < 0 ||
        get_string(c, o, "last_modified", &it->last_modified) < 0)
        return -1;
    if (!it->arn && !it->name)
        return load_fail(c, NULL, "needs \"arn\" or \"name\"");
    arn_parts p, r;
    char *err = NULL;
    if (value_parse_function(it->arn ? it->arn : it->name, &p, &err) < 0) {
        load_fail(c, it->arn ? "arn" : "name", err);
        free(err);
        return -1;
    }
    free(it->name);
    it->name = NULL;
    take_arn_parts(it, &p);
    if (it->role_arn && check_arn(c, "role", it->role_arn, ARN_IAM_ROLE, &r) < 0)
        return -1;
    return 0;
}

/* A queue, topic, bucket or key: an ARN of the section's kind. */
static int read_resource(load_ctx *c, const cJSON *o, inv_item *it)
{
    static const arn_kind want[INV_KIND_COUNT] = {
        [INV_QUEUE] = ARN_SQS_QUEUE,
        [INV_TOPIC] = ARN_SNS_TOPIC,
        [INV_BUCKET] = ARN_S3_BUCKET,
        [INV_KEY] = ARN_KMS_KEY,
    };
    char *alias = NULL;
    if (get_string(c, o, "arn", &it->arn) < 0 || get_string(c, o, "alias", &alias) < 0)
        return -1;
    if (!it->arn && it->kind == INV_BUCKET && get_string(c, o, "name", &it->name) == 0 && it->name)
        it->arn = xasprintf("arn:aws:s3:::%s", it->name);
    free(it->name);
    it->name = alias;
    if (!it->arn)
        return load_fail(c, "arn", "is missing");
    arn_parts p;
    if (check_arn(c, "arn", it->arn, want[it->kind], &p) < 0)
        return -1;
    take_arn_parts(it, &p);
    size_t n = strlen(it->name);
    it->fifo = n > 5 && strcmp(it->name + n - 5, ".fifo") == 0;
    return 0;
}

/* Read one entry of a section into IT. */
static int read_entry(load_ctx *c, const cJSON *o, inv_item *it)
{
    if (!cJSON_IsObject(o))
        return load_fail(c, NULL, "must be an object");
    if (it->kind == INV_TABLE)
        return read_table(c, o, it);
    if (it->kind == INV_FUNCTION)
        return read_function(c, o, it);
    return read_resource(c, o, it);
}

/* Append items of one section to the staging list. */
static int read_section(load_ctx *c, const cJSON *doc, inv_kind kind, inventory *stage)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, section_names[kind]);
    c->section = NULL;
    if (!arr)
        return 0;
    if (!cJSON_IsArray(arr)) {
        char *msg = xasprintf("\"%s\" must be an array", section_names[kind]);
        load_fail(c, NULL, msg);
        free(msg);
        return -1;
    }
    c->section = section_names[kind];
    c->index = 0;
    for (const cJSON *o = arr->child; o; o = o->next, c->index++) {
        if (stage->n == stage->cap) {
            stage->cap = stage->cap ? stage->cap * 2 : 64;
            stage->items = xrealloc(stage->items, stage->cap * sizeof *stage->items);
        }
        inv_item *it = &stage->items[stage->n];
        memset(it, 0, sizeof *it);
        it->kind = kind;
        if (read_entry(c, o, it) < 0) {
            item_free(it);
            return -1;
        }
        stage->n++;
    }
    return 0;
}

/* Reject a second entry with the same kind and ARN within one load. */
static int check_duplicates(load_ctx *c, const inventory *stage)
{
    /* Sorted copy of indexes would be faster; ARNs are hashed instead. */
    size_t cap = 1;
    while (cap < stage->n * 2)
        cap *= 2;
    size_t *slots = xcalloc(cap, sizeof *slots); /* index + 1, 0 = empty */
    int rc = 0;
    for (size_t i = 0; i < stage->n && rc == 0; i++) {
        const inv_item *it = &stage->items[i];
        unsigned long h = 5381 + it->kind;
        for (const char *p = it->arn; *p; p++)
            h = h * 33 + (unsigned char)*p;
        for (size_t s = h & (cap - 1);; s = (s + 1) & (cap - 1)) {
            if (!slots[s]) {
                slots[s] = i + 1;
                break;
            }
            const inv_item *o = &stage->items[slots[s] - 1];
            if (o->kind == it->kind && strcmp(o->arn, it->arn) == 0) {
                char *arn = str_escape_display(it->arn);
                char *msg = xasprintf("%s %s is listed twice", kind_names[it->kind], arn);
                c->section = NULL;
                rc = load_fail(c, NULL, msg);
                free(msg);
                free(arn);
                break;
            }
        }
    }
    free(slots);
    return rc;
}

/* The schema marker and version. */
static int check_schema(load_ctx *c, const cJSON *doc)
{
    if (!cJSON_IsObject(doc))
        return load_fail(c, NULL, "is not an esmcfg inventory (expected a JSON object)");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, "esmcfg_inventory");
    if (!v)
        return load_fail(c, NULL, "is not an esmcfg inventory (no \"esmcfg_inventory\": 1)");
    if (!cJSON_IsNumber(v) || v->valuedouble != INVENTORY_SCHEMA)
        return load_fail(c, NULL, "has an inventory schema version esmcfg does not know (want 1)");
    return 0;
}

/* Move the staged items into INV, pointing at SOURCE. */
static void commit_stage(inventory *inv, inventory *stage, const char *source)
{
    inv->sources = xrealloc(inv->sources, (inv->n_sources + 1) * sizeof *inv->sources);
    char *src = xstrdup(source);
    inv->sources[inv->n_sources++] = src;
    if (inv->n + stage->n > inv->cap) {
        inv->cap = inv->n + stage->n;
        inv->items = xrealloc(inv->items, inv->cap * sizeof *inv->items);
    }
    for (size_t i = 0; i < stage->n; i++) {
        stage->items[i].source = src;
        inv->items[inv->n++] = stage->items[i];
    }
    free(stage->items);
}

/* Line number of byte offset AT in TEXT. */
static size_t line_of(const char *text, size_t at)
{
    size_t line = 1;
    for (size_t i = 0; i < at && text[i]; i++)
        line += text[i] == '\n';
    return line;
}

int inventory_load_text(inventory *inv, const char *text, size_t len, const char *source,
                        char **err)
{
    load_ctx c = {source, NULL, 0, err};
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (!doc) {
        size_t at = end ? (size_t)(end - text) : 0;
        char *msg = xasprintf("not valid JSON (line %zu)", line_of(text, at));
        load_fail(&c, NULL, msg);
        free(msg);
        return -1;
    }
    inventory stage;
    inventory_init(&stage);
    int rc = check_schema(&c, doc);
    for (int k = 0; k < INV_KIND_COUNT && rc == 0; k++)
        rc = read_section(&c, doc, (inv_kind)k, &stage);
    if (rc == 0)
        rc = check_duplicates(&c, &stage);
    cJSON_Delete(doc);
    if (rc < 0) {
        inventory_free(&stage);
        return -1;
    }
    commit_stage(inv, &stage, source);
    return 0;
}

int inventory_load_file(inventory *inv, const char *path, char **err)
{
    size_t len;
    char *text = file_read_all(path, INVENTORY_FILE_MAX, &len, err);
    if (!text)
        return -1;
    int rc = inventory_load_text(inv, text, len, path, err);
    free(text);
    return rc;
}

const inv_item *inventory_find(const inventory *inv, inv_kind kind, const char *name_or_arn)
{
    for (size_t i = 0; i < inv->n; i++) {
        const inv_item *it = &inv->items[i];
        if (it->kind != kind)
            continue;
        if ((it->name && strcmp(it->name, name_or_arn) == 0) ||
            (it->arn && strcmp(it->arn, name_or_arn) == 0) ||
            (it->stream_arn && strcmp(it->stream_arn, name_or_arn) == 0))
            return it;
    }
    return NULL;
}

/* Case-insensitive substring search. */
static bool contains_ci(const char *hay, const char *needle, size_t n)
{
    if (!hay)
        return false;
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

/* Every word of QUERY is in the item's name or ARN. */
static bool item_matches(const inv_item *it, const char *query)
{
    const char *p = query;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (n && !contains_ci(it->name, p, n) && !contains_ci(it->arn, p, n))
            return false;
        p += n;
    }
    return true;
}

size_t inventory_filter(const inventory *inv, const inv_kind *kinds, size_t n_kinds,
                        const char *query, size_t *out, size_t max)
{
    size_t found = 0;
    for (size_t i = 0; i < inv->n; i++) {
        bool kind_ok = false;
        for (size_t k = 0; k < n_kinds && !kind_ok; k++)
            kind_ok = inv->items[i].kind == kinds[k];
        if (!kind_ok || !item_matches(&inv->items[i], query ? query : ""))
            continue;
        if (found < max)
            out[found] = i;
        found++;
    }
    return found;
}
