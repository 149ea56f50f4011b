/* The filter templates: data (name, title, help, parameters) and one
 * builder per template that turns parameter values into a pattern. */
#include "model/filter_template.h"

#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "model/filter_int.h"
#include "model/filter_json.h"
#include "model/util.h"
#include "model/value.h"

static const char *const event_names[] = {"INSERT", "MODIFY", "REMOVE", NULL};
static const char *const images[] = {"NewImage", "OldImage", "Keys", NULL};
static const char *const equal_types[] = {"S", "N", "BOOL", NULL};
static const char *const exists_types[] = {"S", "N",  "BOOL", "B",    "M",
                                           "L", "SS", "NS",   "NULL", NULL};

/* The parameters the templates share. */
#define P_IMAGE                                                                                    \
    {                                                                                              \
        "image", "Image",                                                                          \
            "NewImage: the item after the change; OldImage: before it; Keys: the key attributes",  \
            images, "NewImage", 0                                                                  \
    }
#define P_ATTRIBUTE                                                                                \
    {                                                                                              \
        "attribute", "Attribute", "the attribute's name, as in the table (case matters)", NULL,    \
            NULL, 0                                                                                \
    }

static const filter_tpl_param event_params[] = {
    {"events", "Event names",
     "INSERT (new item), MODIFY (changed item), REMOVE (deleted item); several: INSERT,MODIFY",
     event_names, "INSERT", 1},
};
static const filter_tpl_param equals_params[] = {
    P_IMAGE,
    P_ATTRIBUTE,
    {"type", "Type", "S (string), N (number, compared as written: 10 is not 10.0) or BOOL",
     equal_types, "S", 0},
    {"value", "Value", "the value to match exactly (BOOL: true or false)", NULL, NULL, 0},
};
static const filter_tpl_param prefix_params[] = {
    P_IMAGE,
    P_ATTRIBUTE,
    {"prefix", "Prefix", "the string attribute starts with this (case matters)", NULL, NULL, 0},
};
static const filter_tpl_param range_params[] = {
    P_IMAGE,
    P_ATTRIBUTE,
    {"min", "At least", "the smallest value that matches (empty: no lower bound)", NULL, "", 0},
    {"max", "At most", "the largest value that matches (empty: no upper bound)", NULL, "", 0},
};
static const filter_tpl_param exists_params[] = {
    P_IMAGE,
    P_ATTRIBUTE,
    {"type", "Type", "the attribute's DynamoDB type (exists looks at the typed value)",
     exists_types, "S", 0},
};

enum { T_EVENT, T_EQUALS, T_PREFIX, T_RANGE, T_EXISTS, T_ABSENT, T_COUNT };

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const filter_tpl templates[T_COUNT] = {
    [T_EVENT] = {"event-name", "Event name is ...",
                 "only records of these kinds: INSERT, MODIFY and/or REMOVE", NULL, event_params,
                 N_OF(event_params)},
    [T_EQUALS] = {"attribute-equals", "Attribute equals ...",
                  "records whose image has the attribute with exactly this value", NULL,
                  equals_params, N_OF(equals_params)},
    [T_PREFIX] = {"attribute-prefix", "Attribute starts with ...",
                  "records whose image has the string attribute starting with this prefix", NULL,
                  prefix_params, N_OF(prefix_params)},
    [T_RANGE] = {"attribute-range", "Attribute is in a numeric range ...",
                 "records whose number attribute lies between the bounds (inclusive)",
                 "Lambda compares numbers only with JSON numbers, and a stream record writes an "
                 "attribute's number as a string ({\"N\": \"42\"}): this filter never matches "
                 "an attribute; the tester shows it. Use equals or a prefix instead.",
                 range_params, N_OF(range_params)},
    [T_EXISTS] = {"attribute-exists", "Attribute exists",
                  "records whose image has the attribute, of this type", NULL, exists_params,
                  N_OF(exists_params)},
    [T_ABSENT] = {"attribute-absent", "Attribute does not exist",
                  "records whose image lacks the attribute (or has it with another type)", NULL,
                  exists_params, N_OF(exists_params)},
};

const filter_tpl *filter_tpl_list(size_t *n)
{
    *n = T_COUNT;
    return templates;
}

const filter_tpl *filter_tpl_find(const char *name)
{
    for (size_t i = 0; name && i < T_COUNT; i++)
        if (strcmp(templates[i].name, name) == 0)
            return &templates[i];
    return NULL;
}

/* The value of parameter I: VALUES[I], or its default when NULL or "". */
static const char *param_value(const filter_tpl *t, const char *const *values, size_t i)
{
    const char *v = values ? values[i] : NULL;
    return v && *v ? v : t->params[i].default_value;
}

/* Whether TEXT is one of CHOICES. */
static bool is_choice(const char *text, const char *const *choices)
{
    for (size_t i = 0; choices[i]; i++)
        if (strcmp(text, choices[i]) == 0)
            return true;
    return false;
}

/* "S, N or BOOL". Caller frees. */
static char *choices_text(const char *const *choices)
{
    strbuf b = {0};
    for (size_t i = 0; choices[i]; i++) {
        if (i > 0)
            sb_add(&b, choices[i + 1] ? ", " : " or ");
        sb_add(&b, choices[i]);
    }
    return sb_take(&b);
}

/* Check every parameter (required, one of its choices) and fill OUT. */
static int check_params(const filter_tpl *t, const char *const *values, const char **out,
                        char **err)
{
    for (size_t i = 0; i < t->n_params; i++) {
        const filter_tpl_param *p = &t->params[i];
        const char *v = param_value(t, values, i);
        out[i] = v;
        if (!v) {
            *err = xasprintf("%s is required: %s", p->label, p->help);
            return -1;
        }
        if (!p->choices || p->list || is_choice(v, p->choices))
            continue;
        char *shown = str_escape_display(v);
        char *allowed = choices_text(p->choices);
        *err = xasprintf("%s: %s is not %s", p->label, shown, allowed);
        free(allowed);
        free(shown);
        return -1;
    }
    return 0;
}

/* {"dynamodb": {IMAGE: {ATTRIBUTE: {TYPE: CONDITIONS}}}}, taking CONDITIONS. */
static cJSON *attribute_pattern(const char *image, const char *attribute, const char *type,
                                cJSON *conditions)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *ddb = cJSON_AddObjectToObject(root, "dynamodb");
    cJSON *img = cJSON_AddObjectToObject(ddb, image);
    cJSON *attr = cJSON_AddObjectToObject(img, attribute);
    cJSON_AddItemToObject(attr, type, conditions);
    return root;
}

/* [{"OP": ARG}], taking ARG. */
static cJSON *one_operator(const char *op, cJSON *arg)
{
    cJSON *list = cJSON_CreateArray();
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, op, arg);
    cJSON_AddItemToArray(list, o);
    return list;
}

/* {"eventName": [names...]} from a comma-separated list of choices. */
static cJSON *build_event(const char *list, const filter_tpl_param *p, char **err)
{
    cJSON *names = cJSON_CreateArray();
    char *copy = xstrdup(list);
    int rc = 0;
    for (char *save = NULL, *w = strtok_r(copy, ", ", &save); w && rc == 0;
         w = strtok_r(NULL, ", ", &save)) {
        if (!is_choice(w, p->choices)) {
            char *shown = str_escape_display(w);
            char *allowed = choices_text(p->choices);
            *err = xasprintf("%s: %s is not %s", p->label, shown, allowed);
            free(allowed);
            free(shown);
            rc = -1;
        } else {
            bool dup = false;
            for (cJSON *c = names->child; c; c = c->next)
                dup = dup || strcmp(c->valuestring, w) == 0;
            if (!dup)
                cJSON_AddItemToArray(names, cJSON_CreateString(w));
        }
    }
    free(copy);
    if (rc == 0 && !names->child) {
        *err = xasprintf("%s: give at least one event name", p->label);
        rc = -1;
    }
    if (rc < 0) {
        cJSON_Delete(names);
        return NULL;
    }
    cJSON *root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "eventName", names);
    return root;
}

/* Whether TEXT is a number as DynamoDB writes one ("-12", "3.5", "1E+3"). */
static bool is_number_text(const char *text)
{
    char *end = NULL;
    if (!*text || strchr(" \t\n+", *text))
        return false;
    strtod(text, &end);
    return *end == '\0' && strcspn(text, "xXnNiI") == strlen(text);
}

/* A bound of the range template (LABEL: its parameter's): a number, or ""
 * for none. */
static int parse_bound(const char *label, const char *text, bool *has, double *out, char **err)
{
    *has = *text != '\0';
    if (!*has)
        return 0;
    if (is_number_text(text)) {
        *out = strtod(text, NULL);
        return 0;
    }
    char *shown = str_escape_display(text);
    *err = xasprintf("%s: %s is not a number", label, shown);
    free(shown);
    return -1;
}

/* [{"numeric": [">=", MIN, "<=", MAX]}] (either bound may be missing). */
static cJSON *build_range(const char *const *v, char **err)
{
    bool has_min, has_max;
    double lo = 0, hi = 0;
    const char *min = range_params[2].label, *max = range_params[3].label;
    if (parse_bound(min, v[2], &has_min, &lo, err) < 0 ||
        parse_bound(max, v[3], &has_max, &hi, err) < 0)
        return NULL;
    if (!has_min && !has_max) {
        *err = xasprintf("%s or %s: give at least one bound", min, max);
        return NULL;
    }
    if (has_min && has_max && lo > hi) {
        *err = xasprintf("%s (%s) is above %s (%s)", min, v[2], max, v[3]);
        return NULL;
    }
    cJSON *args = cJSON_CreateArray();
    if (has_min && has_max && lo == hi) {
        cJSON_AddItemToArray(args, cJSON_CreateString("="));
        cJSON_AddItemToArray(args, cJSON_CreateNumber(lo));
    } else {
        if (has_min) {
            cJSON_AddItemToArray(args, cJSON_CreateString(">="));
            cJSON_AddItemToArray(args, cJSON_CreateNumber(lo));
        }
        if (has_max) {
            cJSON_AddItemToArray(args, cJSON_CreateString("<="));
            cJSON_AddItemToArray(args, cJSON_CreateNumber(hi));
        }
    }
    return attribute_pattern(v[0], v[1], "N", one_operator("numeric", args));
}

/* [VALUE] typed for TYPE: a string (S, N) or a boolean (BOOL). */
static cJSON *build_equals(const char *const *v, char **err)
{
    const char *type = v[2], *value = v[3];
    cJSON *item;
    if (strcmp(type, "BOOL") == 0) {
        bool b;
        char *perr = NULL;
        if (value_parse_bool(value, &b, &perr) < 0) {
            *err = xasprintf("%s: %s", equals_params[3].label, perr);
            free(perr);
            return NULL;
        }
        item = cJSON_CreateBool(b);
    } else if (strcmp(type, "N") == 0 && !is_number_text(value)) {
        char *shown = str_escape_display(value);
        *err = xasprintf("%s: %s is not a number", equals_params[3].label, shown);
        free(shown);
        return NULL;
    } else {
        item = cJSON_CreateString(value);
    }
    cJSON *list = cJSON_CreateArray();
    cJSON_AddItemToArray(list, item);
    return attribute_pattern(v[0], v[1], type, list);
}

char *filter_tpl_build(const filter_tpl *t, const char *const *values, char **err)
{
    const char *v[8] = {0};
    if (!t || t < templates || t >= templates + T_COUNT || t->n_params > 8) {
        *err = xstrdup("unknown template");
        return NULL;
    }
    if (check_params(t, values, v, err) < 0)
        return NULL;
    cJSON *root = NULL;
    switch (t - templates) {
    case T_EVENT:
        root = build_event(v[0], &t->params[0], err);
        break;
    case T_EQUALS:
        root = build_equals(v, err);
        break;
    case T_PREFIX:
        root = attribute_pattern(v[0], v[1], "S", one_operator("prefix", cJSON_CreateString(v[2])));
        break;
    case T_RANGE:
        root = build_range(v, err);
        break;
    case T_EXISTS:
    case T_ABSENT:
        root = attribute_pattern(
            v[0], v[1], v[2], one_operator("exists", cJSON_CreateBool(t == &templates[T_EXISTS])));
        break;
    default:
        *err = xstrdup("unknown template");
    }
    if (!root)
        return NULL;
    char *printed = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    char *out = xstrdup(printed);
    cJSON_free(printed);
    return out;
}

/* ---- choices ---- */

char **filter_tpl_choices(const filter_tpl_param *p, size_t *n)
{
    size_t k = 0;
    while (p->choices && p->choices[k])
        k++;
    size_t total = p->list && k < 16 ? ((size_t)1 << k) - 1 : k;
    char **out = xcalloc(total ? total : 1, sizeof *out);
    size_t m = 0;
    /* one choice, then combinations of two, three, ...: by size, then by
       the order of the choices */
    for (size_t size = 1; size <= (p->list ? k : 1); size++)
        for (size_t mask = 1; mask < ((size_t)1 << k); mask++) {
            if ((size_t)__builtin_popcountll(mask) != size)
                continue;
            strbuf b = {0};
            for (size_t i = 0; i < k; i++)
                if (mask & ((size_t)1 << i))
                    sb_addf(&b, "%s%s", b.len ? "," : "", p->choices[i]);
            out[m++] = sb_take(&b);
        }
    *n = m;
    return out;
}

void filter_tpl_choices_free(char **c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(c[i]);
    free(c);
}

/* ---- AND: a template's condition into an existing filter ---- */

/* A copy of node V (its children shared) in arena A, without siblings. */
static fj *detached(fj_arena *a, const fj *v)
{
    fj *c = fj_alloc(a, sizeof *c);
    *c = *v;
    c->next = NULL;
    return c;
}

/* The members of objects X and Y merged into a new object (at PATH, for
 * messages); NULL with *err when both have a list (or an $or) for one
 * member. */
static fj *merge_objects(fj_arena *a, const fj *x, const fj *y, const char *path, char **err)
{
    fj *out = fj_alloc(a, sizeof *out);
    memset(out, 0, sizeof *out);
    out->t = FJ_OBJECT;
    fj **tail = &out->child;
    for (const fj *m = x->child; m; m = m->next) {
        const fj *other = fj_member(y, m->key, m->klen);
        fj *c;
        char *sub = filter_path_join(path, m->key, m->klen);
        if (!other) {
            c = detached(a, m);
        } else if (m->t == FJ_OBJECT && other->t == FJ_OBJECT) {
            c = merge_objects(a, m, other, sub, err);
            if (c) {
                c->key = m->key;
                c->klen = m->klen;
            }
        } else {
            *err = xasprintf("%s: the filter already has %s here, and one field holds one list, "
                             "whose values Lambda ORs: edit the filter to combine them, or add "
                             "the condition as a new filter (OR)",
                             sub,
                             fj_is_text(&(fj){.t = FJ_STRING, .s = m->key, .len = m->klen}, "$or")
                                 ? "an $or"
                                 : "conditions");
            c = NULL;
        }
        free(sub);
        if (!c)
            return NULL;
        *tail = c;
        tail = &c->next;
        out->len++;
    }
    for (const fj *m = y->child; m; m = m->next) {
        if (fj_member(x, m->key, m->klen))
            continue;
        *tail = detached(a, m);
        tail = &(*tail)->next;
        out->len++;
    }
    return out;
}

char *filter_pattern_and(const char *filter, const char *add, char **err)
{
    *err = NULL;
    filter_pattern *check = filter_pattern_parse(filter, err);
    if (!check)
        return NULL;
    filter_pattern_free(check);
    if (!(check = filter_pattern_parse(add, err)))
        return NULL;
    filter_pattern_free(check);
    fj_arena a = {0};
    fj_parse_opts o = {.eof = true, .copy_strings = true};
    fj_error e;
    fj *x = NULL, *y = NULL;
    char *out = NULL;
    if (fj_parse(&a, filter, filter + strlen(filter), &o, &x, NULL, &e) == FJ_OK &&
        fj_parse(&a, add, add + strlen(add), &o, &y, NULL, &e) == FJ_OK) {
        fj *m = merge_objects(&a, x, y, "", err);
        if (m) {
            strbuf b = {0};
            fj_print(&b, m);
            out = sb_take(&b);
        }
    }
    fj_arena_free(&a);
    return out;
}
