/* The CreateEventSourceMapping request, and the property walk it shares with
 * the CloudFormation template: every value comes from the option table
 * (property path, list item keys, flag element), never from a literal. */
#include "export/render.h"

#include <stdbool.h>
#include <string.h>

/* True when S is a usable table string (set and not empty). */
static bool has_text(const char *s)
{
    return s && *s;
}

/* A JSON array of the items' keys, or NULL for an empty list. */
static cJSON *string_list(const opt_value *v)
{
    if (v->n_items == 0)
        return NULL;
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < v->n_items; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(v->items[i].key));
    return arr;
}

/* A JSON array of one-member objects {list_key: item}, or NULL when empty. */
static cJSON *keyed_list(const opt_def *d, const opt_value *v)
{
    if (v->n_items == 0 || !has_text(d->list_key))
        return NULL;
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < v->n_items; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, d->list_key, v->items[i].key);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

/* Tags as the API takes them: a map {"key": "value"}; a repeated key keeps
 * its last value. NULL when there are none. */
static cJSON *tag_map(const opt_value *v)
{
    if (v->n_items == 0)
        return NULL;
    cJSON *obj = cJSON_CreateObject();
    for (size_t i = 0; i < v->n_items; i++) {
        const char *val = v->items[i].val ? v->items[i].val : "";
        cJSON *s = cJSON_CreateString(val);
        if (cJSON_GetObjectItemCaseSensitive(obj, v->items[i].key))
            cJSON_ReplaceItemInObjectCaseSensitive(obj, v->items[i].key, s);
        else
            cJSON_AddItemToObject(obj, v->items[i].key, s);
    }
    return obj;
}

/* Tags as CloudFormation takes them: [{list_key: k, list_value: v}]. */
static cJSON *tag_list(const opt_def *d, const opt_value *v)
{
    if (v->n_items == 0)
        return NULL;
    const char *kname = d->list_key;
    const char *vname = d->list_value;
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < v->n_items; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, kname, v->items[i].key);
        cJSON_AddStringToObject(o, vname, v->items[i].val ? v->items[i].val : "");
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

/* A boolean written as a list: [list_value] when true, left out when false
 * (an empty list is what AWS assumes anyway). */
static cJSON *flag_list(const opt_def *d, const opt_value *v)
{
    if (!v->num || !has_text(d->list_value))
        return NULL;
    cJSON *arr = cJSON_CreateArray();
    cJSON_AddItemToArray(arr, cJSON_CreateString(d->list_value));
    return arr;
}

/* The JSON value of a set value V of option D, or NULL when it is left out. */
static cJSON *value_json(const opt_def *d, const opt_value *v, bool cfn)
{
    switch (d->type) {
    case OPT_T_STREAM:
    case OPT_T_FUNCTION:
    case OPT_T_ENUM:
    case OPT_T_DESTINATION:
    case OPT_T_KMS_KEY:
        return v->str ? cJSON_CreateString(v->str) : NULL;
    case OPT_T_INT:
    case OPT_T_DURATION:
        return cJSON_CreateNumber((double)v->num);
    case OPT_T_BOOL:
        return cJSON_CreateBool(v->num != 0);
    case OPT_T_FLAG_LIST:
        return flag_list(d, v);
    case OPT_T_ENUM_LIST:
        return string_list(v);
    case OPT_T_PATTERNS:
        return keyed_list(d, v);
    case OPT_T_TAGS:
        return cfn ? tag_list(d, v) : tag_map(v);
    }
    return NULL;
}

/* The JSON value option D contributes for M, or NULL when it is left out:
 * unset options are, except those always exported at their default. */
static cJSON *option_json(const mapping *m, const opt_def *d, bool cfn)
{
    const opt_value *v = mapping_get(m, d->id);
    if (v && v->set)
        return value_json(d, v, cfn);
    if (!d->always_export || !opt_is_numeric(d))
        return NULL;
    opt_value def = {.set = true, .num = d->default_num};
    return value_json(d, &def, cfn);
}

/* Add every option of M to OBJ under its API (or CloudFormation) property
 * path, in table order. */
void export_add_properties(cJSON *obj, const mapping *m, bool cfn)
{
    const opt_def *t = opt_table();
    for (int i = 0; i < OPT_COUNT; i++) {
        const char *path = cfn ? t[i].cfn : t[i].api;
        if (!has_text(path))
            continue;
        cJSON *val = option_json(m, &t[i], cfn);
        if (val)
            export_put_path(obj, path, val);
    }
}

/* Split PATH at its first '.': copies the first part into SEG (size N) and
 * returns the rest, or NULL when PATH has no '.'. */
static const char *path_head(const char *path, char *seg, size_t n)
{
    const char *dot = strchr(path, '.');
    size_t len = dot ? (size_t)(dot - path) : strlen(path);
    if (len >= n)
        len = n - 1;
    memcpy(seg, path, len);
    seg[len] = '\0';
    return dot ? dot + 1 : NULL;
}

/* Add VALUE at the dotted PATH of OBJ, creating the objects between. */
void export_put_path(cJSON *obj, const char *path, cJSON *value)
{
    char seg[256];
    const char *rest = path_head(path, seg, sizeof seg);
    if (!rest) {
        cJSON_AddItemToObject(obj, seg, value);
        return;
    }
    cJSON *child = cJSON_GetObjectItemCaseSensitive(obj, seg);
    if (!cJSON_IsObject(child))
        child = cJSON_AddObjectToObject(obj, seg);
    export_put_path(child, rest, value);
}

/* The CreateEventSourceMapping request: every option at its API path. */
cJSON *export_api_tree(const mapping *m)
{
    cJSON *root = cJSON_CreateObject();
    export_add_properties(root, m, false);
    return root;
}
