/* One mapping's properties read into a mapping: for every row of the option
 * table, the value at the row's property path (api, cfn, or api_read for
 * AWS output), turned into the text a flag would carry and set with
 * mapping_set, switching on the row's type, never on the option. Members
 * that no row's path names are reported. */
#include "export/load_int.h"
#include "model/pick.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/util.h"
#include "model/value.h"

/* CloudFormation's intrinsic functions: {"Ref": X}, {"Fn::GetAtt": [X, A]}. */
#define REF_KEY "Ref"
#define FN_PREFIX "Fn::"
#define GETATT_KEY "Fn::GetAtt"
/* The attribute of a DynamoDB table resource that is its stream's ARN. */
#define STREAM_ATTR "StreamArn"
/* Largest integer a JSON number holds exactly (2^53). */
#define EXACT_MAX 9007199254740992.0

/* "a string", "a number", "a list", ... for messages. */
static const char *json_kind(const cJSON *v)
{
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsBool(v))
        return "a boolean";
    if (cJSON_IsNull(v))
        return "null";
    if (cJSON_IsArray(v))
        return "a list";
    return "an object";
}

/* The value at PATH is of the wrong JSON type for row D; WANT says what fits. */
static void wrong_type(load_ctx *c, const opt_def *d, const cJSON *v, const char *path,
                       const char *want, load_found *found)
{
    char *allowed = opt_allowed_text(d);
    load_add(c, DIAG_ERROR, path, "is %s, not %s (%s)", json_kind(v), want, allowed);
    free(allowed);
    found->failed[d->id] = true;
}

/* Set TEXT for row D through the option's parser; a refusal is reported at PATH. */
static bool set_text(load_ctx *c, const opt_def *d, const char *text, const char *path, mapping *m,
                     load_found *found)
{
    char *err = NULL;
    if (mapping_set(m, d->id, text, &err) == 0)
        return true;
    load_add(c, DIAG_ERROR, path, "%s", err ? err : "invalid value");
    free(err);
    found->failed[d->id] = true;
    return false;
}

/* Whether V is a CloudFormation intrinsic function: one member, "Ref" or "Fn::...". */
static bool is_intrinsic(const cJSON *v)
{
    if (!cJSON_IsObject(v) || !v->child || v->child->next || !v->child->string)
        return false;
    const char *k = v->child->string;
    return strcmp(k, REF_KEY) == 0 || strncmp(k, FN_PREFIX, strlen(FN_PREFIX)) == 0;
}

/* The logical ID an intrinsic V refers to (Ref, Fn::GetAtt), or NULL;
 * *ATTR is Fn::GetAtt's attribute (NULL for Ref). */
static const char *referenced_id(const cJSON *v, const char **attr)
{
    const cJSON *f = v->child;
    *attr = NULL;
    if (strcmp(f->string, REF_KEY) == 0)
        return cJSON_IsString(f) ? f->valuestring : NULL;
    if (strcmp(f->string, GETATT_KEY) != 0)
        return NULL;
    const cJSON *id = cJSON_GetArrayItem(f, 0), *at = cJSON_GetArrayItem(f, 1);
    if (!cJSON_IsArray(f) || !cJSON_IsString(id) || !cJSON_IsString(at))
        return NULL;
    *attr = at->valuestring;
    return id->valuestring;
}

/* Why reference V cannot stand for row D's value, or NULL when it can: a
 * stream is Fn::GetAtt [TABLE, StreamArn]; other intrinsics are not read. */
static char *reference_problem(const opt_def *d, const cJSON *v, const char *id, const char *attr,
                               char **slot)
{
    char *fn = str_escape_display(v->child->string);
    char *shown = id ? str_escape_display(id) : NULL;
    char *why = NULL;
    if (!id)
        why = xasprintf("%s cannot be read; esmcfg needs the value, Ref or Fn::GetAtt", fn);
    else if (!slot)
        why = xasprintf("refers to %s; esmcfg needs the ARN itself here", shown);
    else if (d->type == OPT_T_STREAM && (!attr || strcmp(attr, STREAM_ATTR) != 0))
        why = xasprintf("refers to %s but not to its stream: write Fn::GetAtt [%s, %s]", shown,
                        shown, STREAM_ATTR);
    free(shown);
    free(fn);
    return why;
}

/* A reference to another resource of the template: kept as the option's
 * reference (the CloudFormation exports write it back), with the ARN too
 * when the inventory knows the resource. */
static void read_reference(load_ctx *c, const opt_def *d, const cJSON *v, const char *path,
                           mapping *m, load_found *found)
{
    const char *attr = NULL;
    const char *id = referenced_id(v, &attr);
    char **slot = mapping_ref_slot(m, d->id);
    char *why = reference_problem(d, v, id, attr, slot);
    if (why && c->check && !id) {
        found->ref[d->id] = true; /* an expression --check does not evaluate */
    } else if (why) {
        load_add(c, DIAG_ERROR, path, "%s", why);
        found->failed[d->id] = true;
    }
    if (why) {
        free(why);
        return;
    }
    const inv_item *it = load_find_logical(c, id);
    const char *arn = !it ? NULL : d->type == OPT_T_STREAM ? it->stream_arn : it->arn;
    if (arn && *arn && !set_text(c, d, arn, path, m, found))
        return;
    free(*slot);
    *slot = xstrdup(id);
    if (it && it->name && d->type == OPT_T_STREAM) {
        free(m->table_name);
        m->table_name = xstrdup(it->name);
    }
}

/* A string option (stream, function, enum, destination, KMS key). */
static void read_string(load_ctx *c, const opt_def *d, const cJSON *v, const char *path, mapping *m,
                        load_found *found)
{
    if (c->cfn && is_intrinsic(v))
        read_reference(c, d, v, path, m, found);
    else if (!cJSON_IsString(v))
        wrong_type(c, d, v, path, "a string", found);
    else if (!(c->aws && *v->valuestring == '\0'))
        set_text(c, d, v->valuestring, path, m, found);
}

/* Whether AWS output holds row D at its default (left unset, as if the
 * person had not set it). */
static bool aws_default(const load_ctx *c, const opt_def *d, long long n)
{
    return c->aws && !d->required && n == d->default_num;
}

/* A whole number (int, duration). */
static void read_number(load_ctx *c, const opt_def *d, const cJSON *v, const char *path, mapping *m,
                        load_found *found)
{
    if (!cJSON_IsNumber(v)) {
        wrong_type(c, d, v, path, "a number", found);
        return;
    }
    double x = v->valuedouble;
    if (!(x > -EXACT_MAX && x < EXACT_MAX) || x != (double)(long long)x) {
        char *allowed = opt_allowed_text(d);
        load_add(c, DIAG_ERROR, path, "%.17g is not a whole number (%s)", x, allowed);
        free(allowed);
        found->failed[d->id] = true;
        return;
    }
    if (aws_default(c, d, (long long)x))
        return;
    char *text = xasprintf("%lld", (long long)x);
    set_text(c, d, text, path, m, found);
    free(text);
}

/* Whether S is one of the NULL-terminated WORDS. */
static bool in_words(const char *s, const char *const *words)
{
    for (size_t i = 0; words && words[i]; i++)
        if (strcmp(s, words[i]) == 0)
            return true;
    return false;
}

/* A boolean; in AWS output possibly a state ("Enabled", "Disabled"). */
static void read_bool(load_ctx *c, const opt_def *d, const cJSON *v, const char *path, mapping *m,
                      load_found *found)
{
    bool b;
    if (cJSON_IsBool(v)) {
        b = cJSON_IsTrue(v);
    } else if (c->aws && d->api_read && cJSON_IsString(v)) {
        b = !in_words(v->valuestring, d->read_false);
    } else {
        wrong_type(c, d, v, path, "true or false", found);
        return;
    }
    if (!aws_default(c, d, b))
        set_text(c, d, b ? "true" : "false", path, m, found);
}

/* Whether V is a list; reports it at PATH when not. */
static bool want_list(load_ctx *c, const opt_def *d, const cJSON *v, const char *path,
                      load_found *found)
{
    if (cJSON_IsArray(v))
        return true;
    wrong_type(c, d, v, path, "a list", found);
    return false;
}

/* A boolean written as a list: [list_value] is true, [] false. */
static void read_flag_list(load_ctx *c, const opt_def *d, const cJSON *v, const char *path,
                           mapping *m, load_found *found)
{
    if (!want_list(c, d, v, path, found))
        return;
    bool on = false, ok = true;
    size_t i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        if (cJSON_IsString(e) && strcmp(e->valuestring, d->list_value) == 0) {
            on = true;
            continue;
        }
        char *at = load_path_index(path, i);
        char *shown = cJSON_IsString(e) ? str_escape_display(e->valuestring) : NULL;
        load_add(c, DIAG_ERROR, at, "%s is not allowed (only %s)", shown ? shown : json_kind(e),
                 d->list_value);
        free(shown);
        free(at);
        ok = false;
    }
    if (!ok)
        found->failed[d->id] = true;
    else if (!aws_default(c, d, on))
        set_text(c, d, on ? "true" : "false", path, m, found);
}

/* An empty list: set as "no items", except in AWS output (the default). */
static void read_empty_list(load_ctx *c, const opt_def *d, const char *path, mapping *m,
                            load_found *found)
{
    if (!c->aws)
        set_text(c, d, "", path, m, found);
}

/* A list of strings (metrics): each item through the parser, in order. */
static void read_string_list(load_ctx *c, const opt_def *d, const cJSON *v, const char *path,
                             mapping *m, load_found *found)
{
    if (!want_list(c, d, v, path, found))
        return;
    if (!v->child)
        read_empty_list(c, d, path, m, found);
    size_t i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        char *at = load_path_index(path, i);
        if (cJSON_IsString(e))
            set_text(c, d, e->valuestring, at, m, found);
        else
            wrong_type(c, d, e, at, "a string", found);
        free(at);
    }
}

/* Members of OBJ (at PATH) other than the NULL-terminated NAMES, reported. */
static bool only_members(load_ctx *c, const cJSON *obj, const char *path, const char *const *names)
{
    bool ok = true;
    for (const cJSON *e = obj->child; e; e = e->next) {
        if (in_words(e->string, names))
            continue;
        char *at = load_path_join(path, e->string);
        load_add(c, DIAG_ERROR, at, "is not a member esmcfg knows here (only %s%s%s)", names[0],
                 names[1] ? " and " : "", names[1] ? names[1] : "");
        free(at);
        ok = false;
    }
    return ok;
}

/* The string member NAME of item E (at PATH), reported when missing or not a string. */
static const char *item_string(load_ctx *c, const opt_def *d, const cJSON *e, const char *path,
                               const char *name, load_found *found)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(e, name);
    char *at = load_path_join(path, name);
    if (!s)
        load_add(c, DIAG_ERROR, path, "has no %s", name);
    else if (!cJSON_IsString(s))
        wrong_type(c, d, s, at, "a string", found);
    free(at);
    if (!cJSON_IsString(s)) {
        found->failed[d->id] = true;
        return NULL;
    }
    return s->valuestring;
}

/* Filter patterns: [{list_key: PATTERN}, ...]. */
static void read_keyed_list(load_ctx *c, const opt_def *d, const cJSON *v, const char *path,
                            mapping *m, load_found *found)
{
    if (!want_list(c, d, v, path, found))
        return;
    if (!v->child)
        read_empty_list(c, d, path, m, found);
    const char *const names[] = {d->list_key, NULL};
    size_t i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        char *at = load_path_index(path, i);
        if (!cJSON_IsObject(e)) {
            wrong_type(c, d, e, at, "an object", found);
        } else {
            const char *pattern = item_string(c, d, e, at, d->list_key, found);
            char *pat_at = load_path_join(at, d->list_key);
            if (only_members(c, e, at, names) && pattern)
                set_text(c, d, pattern, pat_at, m, found);
            free(pat_at);
        }
        free(at);
    }
}

/* One tag KEY=VAL at PATH through the tag parser. */
static void set_tag(load_ctx *c, const opt_def *d, const char *key, const char *val,
                    const char *path, mapping *m, load_found *found)
{
    if (strchr(key, '=')) {
        char *shown = str_escape_display(key);
        load_add(c, DIAG_ERROR, path, "tag key %s has '=', which esmcfg cannot keep (KEY=VALUE)",
                 shown);
        free(shown);
        found->failed[d->id] = true;
        return;
    }
    char *text = xasprintf("%s=%s", key, val);
    set_text(c, d, text, path, m, found);
    free(text);
}

/* Tags as CloudFormation writes them: [{list_key: K, list_value: V}, ...]. */
static void read_tag_list(load_ctx *c, const opt_def *d, const cJSON *v, const char *path,
                          mapping *m, load_found *found)
{
    if (!want_list(c, d, v, path, found))
        return;
    if (!v->child)
        read_empty_list(c, d, path, m, found);
    const char *const names[] = {d->list_key, d->list_value, NULL};
    size_t i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        char *at = load_path_index(path, i);
        if (!cJSON_IsObject(e)) {
            wrong_type(c, d, e, at, "an object", found);
        } else {
            const char *k = item_string(c, d, e, at, d->list_key, found);
            const char *val = item_string(c, d, e, at, d->list_value, found);
            if (only_members(c, e, at, names) && k && val)
                set_tag(c, d, k, val, at, m, found);
        }
        free(at);
    }
}

/* Tags as the API takes them: {"key": "value", ...}. */
static void read_tag_map(load_ctx *c, const opt_def *d, const cJSON *v, const char *path,
                         mapping *m, load_found *found)
{
    if (!cJSON_IsObject(v)) {
        wrong_type(c, d, v, path, "an object of KEY: VALUE", found);
        return;
    }
    if (!v->child)
        read_empty_list(c, d, path, m, found);
    for (const cJSON *e = v->child; e; e = e->next) {
        char *at = load_path_join(path, e->string);
        if (cJSON_IsString(e))
            set_tag(c, d, e->string, e->valuestring, at, m, found);
        else
            wrong_type(c, d, e, at, "a string", found);
        free(at);
    }
}

/* The value V of row D, found at PATH, by the row's type. */
static void read_value(load_ctx *c, const opt_def *d, const cJSON *v, const char *path, mapping *m,
                       load_found *found)
{
    switch (d->type) {
    case OPT_T_STREAM:
    case OPT_T_FUNCTION:
    case OPT_T_ENUM:
    case OPT_T_DESTINATION:
    case OPT_T_KMS_KEY:
        read_string(c, d, v, path, m, found);
        break;
    case OPT_T_INT:
    case OPT_T_DURATION:
        read_number(c, d, v, path, m, found);
        break;
    case OPT_T_BOOL:
        read_bool(c, d, v, path, m, found);
        break;
    case OPT_T_FLAG_LIST:
        read_flag_list(c, d, v, path, m, found);
        break;
    case OPT_T_ENUM_LIST:
        read_string_list(c, d, v, path, m, found);
        break;
    case OPT_T_PATTERNS:
        read_keyed_list(c, d, v, path, m, found);
        break;
    case OPT_T_TAGS:
        if (c->cfn)
            read_tag_list(c, d, v, path, m, found);
        else
            read_tag_map(c, d, v, path, m, found);
        break;
    }
}

/* The value at the dotted row path REL of PROPS (found at BASE), or NULL
 * when absent; a part of the path that is not an object is reported. */
static const cJSON *find_value(load_ctx *c, const cJSON *props, const char *base, const char *rel)
{
    const cJSON *node = props;
    char *at = xstrdup(base);
    const char *p = rel;
    while (node) {
        size_t n = strcspn(p, ".");
        char *seg = xstrndup(p, n);
        char *next_at = load_path_join(at, seg);
        node = cJSON_GetObjectItemCaseSensitive(node, seg);
        free(seg);
        free(at);
        at = next_at;
        if (!node || p[n] == '\0')
            break;
        p += n + 1;
        if (!cJSON_IsObject(node)) {
            if (!c->aws)
                load_add(c, DIAG_ERROR, at, "is %s, not an object", json_kind(node));
            node = NULL;
        }
    }
    free(at);
    return node;
}

/* The property's clearing value in an update request (the table's
 * clear_json at the path's first segment): the option is removed. */
static bool is_clearing(const load_ctx *c, const opt_def *d, const cJSON *props)
{
    if (!c->update || !d->clear_json)
        return false;
    char *seg = xstrndup(d->api, strcspn(d->api, "."));
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(props, seg);
    free(seg);
    cJSON *clear = cJSON_Parse(d->clear_json);
    bool same = v && clear && cJSON_Compare(v, clear, true);
    cJSON_Delete(clear);
    return same;
}

/* Read row D's property, if present. */
static void read_row(load_ctx *c, const opt_def *d, const cJSON *props, const char *path,
                     mapping *m, load_found *found)
{
    const char *rel = load_row_path(c, d);
    if (!rel || !*rel)
        return;
    if (is_clearing(c, d, props)) {
        found->present[d->id] = true;
        return;
    }
    const cJSON *v = find_value(c, props, path, rel);
    if (!v)
        return;
    char *at = load_path_join(path, rel);
    found->present[d->id] = true;
    if (c->update && d->update_note) {
        load_add(c, DIAG_ERROR, at, "is not part of an update request: %s", d->update_note);
        found->failed[d->id] = true;
    } else if (cJSON_IsNull(v)) {
        load_add(c, DIAG_ERROR, at, "is null; leave the property out for AWS's default");
        found->failed[d->id] = true;
    } else {
        read_value(c, d, v, at, m, found);
    }
    free(at);
}

/* Whether some row's path is REL (exact) or starts with "REL." (prefix). */
static bool row_path_matches(const load_ctx *c, const char *rel, bool prefix)
{
    size_t n = strlen(rel);
    for (int i = 0; i < OPT_COUNT; i++) {
        const char *p = load_row_path(c, opt_get((opt_id)i));
        if (!p)
            continue;
        if (prefix ? strncmp(p, rel, n) == 0 && p[n] == '.' : strcmp(p, rel) == 0)
            return true;
    }
    return false;
}

/* The row whose api or cfn path is REL in any case ("KMSKeyArn" in a
 * template), for a hint; NULL if none. */
static const char *similar_path(const load_ctx *c, const char *rel)
{
    for (int i = 0; i < OPT_COUNT; i++) {
        const opt_def *d = opt_get((opt_id)i);
        const char *mine = load_row_path(c, d);
        if (mine && (strcasecmp(d->api, rel) == 0 || strcasecmp(d->cfn, rel) == 0))
            return mine;
    }
    return NULL;
}

/* Report member K (at AT, row path REL) that no row names. */
static void report_unknown(load_ctx *c, const char *rel, const char *at)
{
    const char *hint = similar_path(c, rel);
    if (hint)
        load_add(c, DIAG_ERROR, at, "is not a property esmcfg knows here (did you mean %s?)", hint);
    else
        load_add(c, DIAG_ERROR, at,
                 "is not a property esmcfg knows (not an option of a DynamoDB stream mapping)");
}

/* Whether OBJ has a member named like E before E. */
static bool seen_before(const cJSON *obj, const cJSON *e)
{
    for (const cJSON *x = obj->child; x && x != e; x = x->next)
        if (x->string && e->string && strcmp(x->string, e->string) == 0)
            return true;
    return false;
}

/* Members of OBJ (at AT, row path prefix REL) that are not on any row's path. */
static void check_members(load_ctx *c, const cJSON *obj, const char *rel, const char *at)
{
    for (const cJSON *e = obj->child; e; e = e->next) {
        char *r = load_path_join(rel, e->string);
        char *a = load_path_join(at, e->string);
        if (seen_before(obj, e))
            load_add(c, DIAG_ERROR, a, "is given twice");
        else if (!*rel && c->skip_key && strcmp(e->string, c->skip_key) == 0)
            ; /* not an option: the caller reads it */
        else if (row_path_matches(c, r, false))
            ;
        else if (row_path_matches(c, r, true)) {
            if (cJSON_IsObject(e))
                check_members(c, e, r, a);
        } else
            report_unknown(c, r, a);
        free(r);
        free(a);
    }
}

/* Read every row's property of PROPS into M, then report members no row names. */
void load_properties(load_ctx *c, const cJSON *props, const char *path, mapping *m,
                     load_found *found)
{
    memset(found, 0, sizeof *found);
    if (!cJSON_IsObject(props)) {
        load_add(c, DIAG_ERROR, path, "is %s, not an object of properties", json_kind(props));
        return;
    }
    for (int i = 0; i < OPT_COUNT; i++)
        read_row(c, opt_get((opt_id)i), props, path, m, found);
    if (!c->aws)
        check_members(c, props, "", path);
    /* the table's stream view type when the inventory knows the table: what
       the filters can see */
    const opt_value *t = mapping_get(m, OPT_TABLE);
    const inv_item *it = !c->o->inv     ? NULL
                         : t->set       ? inventory_find(c->o->inv, INV_TABLE, t->str)
                         : m->table_ref ? load_find_logical(c, m->table_ref)
                                        : NULL;
    if (it && it->stream_view_type) {
        free(m->stream_view_type);
        m->stream_view_type = xstrdup(it->stream_view_type);
    }
}
