/* A YAML document read with libyaml's event parser into a cJSON tree, with
 * CloudFormation's short-form intrinsic function tags expanded. */
#include "export/yaml_read.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "model/util.h"

#define YAML_STR_TAG "tag:yaml.org,2002:str"
#define YAML_CORE_PREFIX "tag:yaml.org,2002:"

typedef struct reader {
    yaml_parser_t parser;
    const char *text; /* the document, for positions of encoding errors */
    size_t len;
    const char *source; /* names the text in messages, or NULL */
    char *err;          /* the first error */
} reader;

static void fail(reader *r, yaml_mark_t mark, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Record the first error, at MARK, as "SOURCE:LINE:COL: message". */
static void fail(reader *r, yaml_mark_t mark, const char *fmt, ...)
{
    if (r->err)
        return;
    va_list ap;
    va_start(ap, fmt);
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (r->source)
        r->err = xasprintf("%s:%zu:%zu: %s", r->source, mark.line + 1, mark.column + 1, msg);
    else
        r->err = xasprintf("line %zu, column %zu: %s", mark.line + 1, mark.column + 1, msg);
}

/* The position of byte OFFSET of the text, for the reader's encoding errors
 * that libyaml reports by offset only. */
static yaml_mark_t mark_at(const reader *r, size_t offset)
{
    yaml_mark_t m = {offset, 0, 0};
    for (size_t i = 0; i < offset && i < r->len; i++) {
        if (r->text[i] == '\n')
            m.line++, m.column = 0;
        else
            m.column++;
    }
    return m;
}

/* Fetch the next event into EV; false (error recorded) on a syntax error. */
static bool next_event(reader *r, yaml_event_t *ev)
{
    if (yaml_parser_parse(&r->parser, ev))
        return true;
    const yaml_parser_t *p = &r->parser;
    const char *problem = p->problem ? p->problem : "invalid YAML";
    if (p->error == YAML_READER_ERROR)
        fail(r, mark_at(r, p->problem_offset), "%s (byte %zu)", problem, p->problem_offset);
    else if (p->context)
        fail(r, p->problem_mark, "%s %s started at line %zu", problem, p->context,
             p->context_mark.line + 1);
    else
        fail(r, p->problem_mark, "%s", problem);
    return false;
}

/* True when S is one of the NULL-terminated WORDS. */
static bool is_word(const char *s, const char *const *words)
{
    for (size_t i = 0; words[i]; i++)
        if (strcmp(s, words[i]) == 0)
            return true;
    return false;
}

/* True when S is a decimal integer or float as YAML's core schema reads it. */
static bool is_number(const char *s)
{
    const char *p = s + (*s == '-' || *s == '+');
    size_t digits = strspn(p, "0123456789");
    if (digits > 1 && *p == '0' && p[digits] == '\0')
        return false; /* 0123: an octal in YAML 1.1, not a decimal */
    p += digits;
    if (*p == '.') {
        size_t frac = strspn(p + 1, "0123456789");
        digits += frac;
        p += 1 + frac;
    }
    if (digits == 0)
        return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        p += (*p == '-' || *p == '+');
        size_t exp = strspn(p, "0123456789");
        if (exp == 0)
            return false;
        p += exp;
    }
    return *p == '\0';
}

/* The value of a plain (unquoted, untagged) scalar S. */
static cJSON *resolve_plain(const char *s)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
    static const char *const trues[] = {"true", "True", "TRUE", "yes", "Yes",
                                        "YES",  "on",   "On",   "ON",  NULL};
    static const char *const falses[] = {"false", "False", "FALSE", "no",  "No",
                                         "NO",    "off",   "Off",   "OFF", NULL};
    if (is_word(s, nulls))
        return cJSON_CreateNull();
    if (is_word(s, trues))
        return cJSON_CreateTrue();
    if (is_word(s, falses))
        return cJSON_CreateFalse();
    double d = is_number(s) ? strtod(s, NULL) : 0;
    if (is_number(s) && d - d == 0) /* 1e999 overflows: JSON has no infinity */
        return cJSON_CreateNumber(d);
    return cJSON_CreateString(s);
}

/* The value of scalar event EV: plain untagged scalars are resolved, every
 * other scalar (quoted, or tagged !!str or with a CloudFormation tag) is a
 * string. NULL (error recorded) for a scalar holding a NUL character. */
static cJSON *scalar_node(reader *r, const yaml_event_t *ev)
{
    const char *s = (const char *)ev->data.scalar.value;
    if (strlen(s) != ev->data.scalar.length) {
        fail(r, ev->start_mark, "a NUL character cannot be read");
        return NULL;
    }
    const char *tag = (const char *)ev->data.scalar.tag;
    bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    bool core = tag && strncmp(tag, YAML_CORE_PREFIX, strlen(YAML_CORE_PREFIX)) == 0;
    if (plain && (!tag || (core && strcmp(tag, YAML_STR_TAG) != 0)))
        return resolve_plain(s);
    return cJSON_CreateString(s);
}

/* {KEY: VALUE}, taking VALUE. */
static cJSON *wrap(const char *key, cJSON *value)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, key, value);
    return o;
}

/* `!GetAtt Resource.Attribute` as {"Fn::GetAtt": ["Resource", "Attribute"]};
 * the list form passes as it is. Takes NODE. */
static cJSON *expand_getatt(reader *r, cJSON *node, yaml_mark_t mark)
{
    if (!cJSON_IsString(node))
        return wrap("Fn::GetAtt", node);
    const char *s = node->valuestring;
    const char *dot = strchr(s, '.');
    if (!dot || dot == s || !dot[1]) {
        char *shown = str_escape_display(s);
        fail(r, mark, "!GetAtt needs RESOURCE.ATTRIBUTE, not \"%.200s\"", shown);
        free(shown);
        cJSON_Delete(node);
        return NULL;
    }
    cJSON *list = cJSON_CreateArray();
    char *res = xstrndup(s, (size_t)(dot - s));
    cJSON_AddItemToArray(list, cJSON_CreateString(res));
    cJSON_AddItemToArray(list, cJSON_CreateString(dot + 1));
    free(res);
    cJSON_Delete(node);
    return wrap("Fn::GetAtt", list);
}

/* NODE with TAG applied: core-schema tags leave it, CloudFormation's short
 * forms expand it, others are refused. Takes NODE. */
static cJSON *apply_tag(reader *r, cJSON *node, const char *tag, yaml_mark_t mark)
{
    if (!tag || strcmp(tag, "!") == 0 ||
        strncmp(tag, YAML_CORE_PREFIX, strlen(YAML_CORE_PREFIX)) == 0)
        return node;
    if (tag[0] != '!' || tag[1] == '\0' || tag[1] == '!') {
        char *shown = str_escape_display(tag);
        fail(r, mark, "unknown tag %.200s", shown);
        free(shown);
        cJSON_Delete(node);
        return NULL;
    }
    const char *name = tag + 1;
    if (strcmp(name, "Ref") == 0 || strcmp(name, "Condition") == 0)
        return wrap(name, node);
    if (strcmp(name, "GetAtt") == 0)
        return expand_getatt(r, node, mark);
    char *key = xasprintf("Fn::%s", name);
    cJSON *o = wrap(key, node);
    free(key);
    return o;
}

static cJSON *read_node(reader *r, yaml_event_t *ev, int depth);

/* The items of a sequence whose start event was consumed, up to its end. */
static cJSON *read_sequence(reader *r, int depth)
{
    cJSON *arr = cJSON_CreateArray();
    yaml_event_t ev;
    while (next_event(r, &ev)) {
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            return arr;
        }
        cJSON *item = read_node(r, &ev, depth);
        if (!item)
            break;
        cJSON_AddItemToArray(arr, item);
    }
    cJSON_Delete(arr);
    return NULL;
}

/* The keys of one mapping, hashed: finding a duplicate stays linear in
 * the number of keys (a lookup in the cJSON object is a walk of its
 * members, quadratic over a mapping of 10000 keys). */
typedef struct keyset {
    const char **slot; /* the members' own key strings; NULL: free */
    size_t cap, n;     /* cap: a power of two, at least twice n */
} keyset;

/* FNV-1a of S. */
static size_t key_hash(const char *s)
{
    size_t h = (size_t)1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * (size_t)1099511628211ULL;
    return h;
}

/* The slot of KEY in KS: where it is, or the free slot where it would go. */
static size_t keyset_find(const keyset *ks, const char *key)
{
    size_t i = key_hash(key) & (ks->cap - 1);
    while (ks->slot[i] && strcmp(ks->slot[i], key) != 0)
        i = (i + 1) & (ks->cap - 1);
    return i;
}

/* Whether KEY is in KS. */
static bool keyset_has(const keyset *ks, const char *key)
{
    return ks->cap && ks->slot[keyset_find(ks, key)];
}

/* Add KEY (not in KS; it must outlive KS). */
static void keyset_add(keyset *ks, const char *key)
{
    if (2 * (ks->n + 1) > ks->cap) {
        keyset bigger = {xcalloc(ks->cap ? 2 * ks->cap : 16, sizeof(char *)),
                         ks->cap ? 2 * ks->cap : 16, ks->n};
        for (size_t i = 0; i < ks->cap; i++)
            if (ks->slot[i])
                bigger.slot[keyset_find(&bigger, ks->slot[i])] = ks->slot[i];
        free(ks->slot);
        *ks = bigger;
    }
    ks->slot[keyset_find(ks, key)] = key;
    ks->n++;
}

/* Read one key/value pair whose key event is EV into OBJ (whose keys KS
 * holds); false on error. */
static bool read_pair(reader *r, cJSON *obj, keyset *ks, yaml_event_t *ev, int depth)
{
    if (ev->type != YAML_SCALAR_EVENT) {
        fail(r, ev->start_mark, "a key must be a plain string, not a mapping or list");
        yaml_event_delete(ev);
        return false;
    }
    yaml_mark_t mark = ev->start_mark;
    char *key = xstrdup((const char *)ev->data.scalar.value);
    yaml_event_delete(ev);
    bool ok = false;
    if (keyset_has(ks, key)) {
        char *shown = str_escape_display(key);
        fail(r, mark, "duplicate key \"%.200s\"", shown);
        free(shown);
    } else if (next_event(r, ev)) {
        cJSON *val = read_node(r, ev, depth);
        if (val) {
            cJSON_AddItemToObject(obj, key, val);
            keyset_add(ks, val->string); /* cJSON's own copy of the key */
        }
        ok = val != NULL;
    }
    free(key);
    return ok;
}

/* The members of a mapping whose start event was consumed, up to its end. */
static cJSON *read_mapping(reader *r, int depth)
{
    cJSON *obj = cJSON_CreateObject();
    keyset ks = {0};
    yaml_event_t ev;
    for (size_t n = 0; next_event(r, &ev); n++) {
        if (ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            free(ks.slot);
            return obj;
        }
        if (n == EXPORT_YAML_MAX_KEYS) {
            fail(r, ev.start_mark, "more than %d keys in one mapping", EXPORT_YAML_MAX_KEYS);
            yaml_event_delete(&ev);
            break;
        }
        if (!read_pair(r, obj, &ks, &ev, depth))
            break;
    }
    free(ks.slot);
    cJSON_Delete(obj);
    return NULL;
}

/* The tag of a node event, or NULL. */
static const char *event_tag(const yaml_event_t *ev)
{
    if (ev->type == YAML_SCALAR_EVENT)
        return (const char *)ev->data.scalar.tag;
    if (ev->type == YAML_SEQUENCE_START_EVENT)
        return (const char *)ev->data.sequence_start.tag;
    if (ev->type == YAML_MAPPING_START_EVENT)
        return (const char *)ev->data.mapping_start.tag;
    return NULL;
}

/* The node that starts with event EV (consumed), DEPTH collections deep. */
static cJSON *read_node(reader *r, yaml_event_t *ev, int depth)
{
    yaml_mark_t mark = ev->start_mark;
    char *tag = xstrdup(event_tag(ev));
    yaml_event_type_t type = ev->type;
    cJSON *node = type == YAML_SCALAR_EVENT ? scalar_node(r, ev) : NULL;
    yaml_event_delete(ev);
    bool nested = type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT;
    if (nested && depth >= EXPORT_YAML_MAX_DEPTH)
        fail(r, mark, "nested deeper than %d levels", EXPORT_YAML_MAX_DEPTH);
    else if (type == YAML_SEQUENCE_START_EVENT)
        node = read_sequence(r, depth + 1);
    else if (type == YAML_MAPPING_START_EVENT)
        node = read_mapping(r, depth + 1);
    else if (type == YAML_ALIAS_EVENT)
        fail(r, mark, "aliases (*name) are not supported");
    else if (type != YAML_SCALAR_EVENT)
        fail(r, mark, "unexpected YAML event");
    if (node)
        node = apply_tag(r, node, tag, mark);
    free(tag);
    return node;
}

/* Expect an event of TYPE next; WHAT describes it for the error. */
static bool expect(reader *r, yaml_event_type_t type, const char *what)
{
    yaml_event_t ev;
    if (!next_event(r, &ev))
        return false;
    bool ok = ev.type == type;
    if (!ok)
        fail(r, ev.start_mark, "%s", what);
    yaml_event_delete(&ev);
    return ok;
}

/* The one document of the stream. */
static cJSON *read_stream(reader *r)
{
    yaml_event_t ev;
    if (!expect(r, YAML_STREAM_START_EVENT, "not a YAML stream") || !next_event(r, &ev))
        return NULL;
    if (ev.type != YAML_DOCUMENT_START_EVENT) {
        fail(r, ev.start_mark, "the document is empty");
        yaml_event_delete(&ev);
        return NULL;
    }
    yaml_event_delete(&ev);
    if (!next_event(r, &ev))
        return NULL;
    cJSON *root = read_node(r, &ev, 0);
    if (root && expect(r, YAML_DOCUMENT_END_EVENT, "unexpected content after the document") &&
        expect(r, YAML_STREAM_END_EVENT, "only one document is allowed"))
        return root;
    cJSON_Delete(root);
    return NULL;
}

/* The one YAML document in TEXT as a JSON tree (see yaml_read.h). */
cJSON *export_yaml_read(const char *text, size_t len, const char *source, char **err)
{
    reader r = {.text = text, .len = len, .source = source};
    if (len > EXPORT_YAML_MAX_BYTES) {
        yaml_mark_t start = {0, 0, 0};
        fail(&r, start, "larger than %zu bytes", EXPORT_YAML_MAX_BYTES);
    } else if (!yaml_parser_initialize(&r.parser)) {
        r.err = xstrdup("YAML parser: out of memory");
    } else {
        yaml_parser_set_input_string(&r.parser, (const unsigned char *)text, len);
        cJSON *root = read_stream(&r);
        yaml_parser_delete(&r.parser);
        if (root)
            return root;
    }
    if (err)
        *err = r.err;
    else
        free(r.err);
    return NULL;
}
