/* The mapping: one value per option, set or at AWS's default. */
#include "model/mapping.h"

#include <stdlib.h>
#include <string.h>

mapping *mapping_new(void)
{
    mapping *m = xcalloc(1, sizeof(mapping));
    m->destination_kind = ARN_OTHER;
    return m;
}

void mapping_free(mapping *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < OPT_COUNT; i++)
        opt_value_clear(&m->v[i]);
    free(m->function_role);
    free(m->logical_id);
    free(m->table_name);
    free(m->stream_view_type);
    free(m->table_ref);
    free(m->function_ref);
    free(m->role_ref);
    free(m->destination_ref);
    free(m->uuid);
    mapping_free(m->original);
    free(m);
}

mapping *mapping_clone(const mapping *m)
{
    mapping *c = mapping_new();
    for (size_t i = 0; i < OPT_COUNT; i++)
        opt_value_copy(&c->v[i], &m->v[i]);
    c->function_role = xstrdup(m->function_role);
    c->logical_id = xstrdup(m->logical_id);
    c->table_name = xstrdup(m->table_name);
    c->stream_view_type = xstrdup(m->stream_view_type);
    c->table_ref = xstrdup(m->table_ref);
    c->function_ref = xstrdup(m->function_ref);
    c->role_ref = xstrdup(m->role_ref);
    c->destination_ref = xstrdup(m->destination_ref);
    c->destination_kind = m->destination_kind;
    c->uuid = xstrdup(m->uuid);
    c->original = m->original ? mapping_clone(m->original) : NULL;
    return c;
}

/* NULL-safe string equality. */
static bool same_str(const char *a, const char *b)
{
    return (!a || !b) ? a == b : strcmp(a, b) == 0;
}

bool mapping_equal(const mapping *a, const mapping *b)
{
    for (size_t i = 0; i < OPT_COUNT; i++)
        if (!opt_value_equal(&a->v[i], &b->v[i]))
            return false;
    return same_str(a->function_role, b->function_role) && same_str(a->logical_id, b->logical_id) &&
           same_str(a->table_name, b->table_name) &&
           same_str(a->stream_view_type, b->stream_view_type) &&
           same_str(a->table_ref, b->table_ref) && same_str(a->function_ref, b->function_ref) &&
           same_str(a->role_ref, b->role_ref) && same_str(a->destination_ref, b->destination_ref) &&
           same_str(a->uuid, b->uuid);
}

/* An existing mapping: one with a UUID. */
bool mapping_is_update(const mapping *m)
{
    return m && m->uuid && *m->uuid;
}

/* An item key already in the list (tags and metrics must be unique). */
static bool has_key(const opt_value *v, const char *key)
{
    for (size_t i = 0; i < v->n_items; i++)
        if (strcmp(v->items[i].key, key) == 0)
            return true;
    return false;
}

/* Check that appending ADD's items to CUR keeps the list valid. */
static int check_append(const opt_def *d, const opt_value *cur, const opt_value *add, char **err)
{
    if (cur->n_items + add->n_items > d->max_items) {
        *err = xasprintf("at most %zu allowed (--%s)", d->max_items, d->name);
        return -1;
    }
    for (size_t i = 0; i < add->n_items; i++) {
        const char *k = add->items[i].key;
        bool twice = has_key(cur, k);
        for (size_t j = 0; j < i && !twice; j++)
            twice = strcmp(add->items[j].key, k) == 0;
        if (twice) {
            char *s = str_escape_display(k);
            *err = xasprintf("%s is given twice", s);
            free(s);
            return -1;
        }
    }
    return 0;
}

/* Move ADD's items to the end of CUR. */
static void append_items(opt_value *cur, opt_value *add)
{
    cur->set = true;
    if (add->n_items == 0)
        return;
    cur->items = xrealloc(cur->items, (cur->n_items + add->n_items) * sizeof *cur->items);
    memcpy(cur->items + cur->n_items, add->items, add->n_items * sizeof *add->items);
    cur->n_items += add->n_items;
    free(add->items);
    add->items = NULL;
    add->n_items = 0;
}

int mapping_set(mapping *m, opt_id id, const char *text, char **err)
{
    const opt_def *d = opt_get(id);
    opt_value v;
    if (opt_parse(d, text, &v, err) < 0)
        return -1;
    if (!opt_is_list(d)) {
        opt_value_clear(&m->v[id]);
        m->v[id] = v;
        return 0;
    }
    if (check_append(d, &m->v[id], &v, err) < 0) {
        opt_value_clear(&v);
        return -1;
    }
    append_items(&m->v[id], &v);
    return 0;
}

void mapping_put(mapping *m, opt_id id, const opt_value *v)
{
    opt_value copy;
    opt_value_copy(&copy, v);
    opt_value_clear(&m->v[id]);
    m->v[id] = copy;
}

void mapping_unset(mapping *m, opt_id id)
{
    opt_value_clear(&m->v[id]);
}

const opt_value *mapping_get(const mapping *m, opt_id id)
{
    return &m->v[id];
}

bool mapping_is_set(const mapping *m, opt_id id)
{
    return m->v[id].set;
}

long long mapping_num(const mapping *m, opt_id id)
{
    return m->v[id].set ? m->v[id].num : opt_get(id)->default_num;
}

int mapping_replace_item(mapping *m, opt_id id, size_t idx, const char *text, char **err)
{
    opt_value *cur = &m->v[id];
    if (idx >= cur->n_items)
        return mapping_set(m, id, text, err);
    opt_value v;
    if (opt_parse(opt_get(id), text, &v, err) < 0)
        return -1;
    if (v.n_items != 1) {
        *err = xstrdup("give exactly one item");
        opt_value_clear(&v);
        return -1;
    }
    free(cur->items[idx].key);
    free(cur->items[idx].val);
    cur->items[idx] = v.items[0];
    free(v.items);
    return 0;
}

void mapping_remove_item(mapping *m, opt_id id, size_t idx)
{
    opt_value *cur = &m->v[id];
    if (idx >= cur->n_items)
        return;
    free(cur->items[idx].key);
    free(cur->items[idx].val);
    memmove(cur->items + idx, cur->items + idx + 1, (cur->n_items - idx - 1) * sizeof *cur->items);
    cur->n_items--;
}

void mapping_set_role(mapping *m, const char *role_arn)
{
    free(m->function_role);
    m->function_role = xstrdup(role_arn);
}

void mapping_set_logical_id(mapping *m, const char *id)
{
    free(m->logical_id);
    m->logical_id = xstrdup(id);
}
