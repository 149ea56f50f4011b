/* The UpdateEventSourceMapping request: the CreateEventSourceMapping
 * properties of the mapping (the same walk over the option table), less
 * the options the request cannot carry, plus explicit clearing values for
 * the options the person removed since the mapping was loaded. */
#include "export/update_json.h"

#include <stdlib.h>
#include <string.h>

#include "export/render.h"
#include "model/util.h"

/* The request's member naming the mapping (botocore: required). */
#define UUID_MEMBER "UUID"
/* The longest first segment of a property path. */
#define SEGMENT_MAX 256

/* Why M cannot be written as an update request, or NULL. */
const char *export_update_refusal(const mapping *m)
{
    if (mapping_is_update(m))
        return NULL;
    return "update-json needs an existing mapping: --load the output of aws lambda "
           "get-event-source-mapping --uuid UUID";
}

/* Whether option D of M differs from the mapping as loaded. Without the
 * loaded mapping only a set option the request cannot carry counts (an
 * immutable one must be set, so it cannot tell). */
static bool changed(const mapping *m, const opt_def *d)
{
    const opt_value *now = mapping_get(m, d->id);
    if (m->original)
        return !opt_value_equal(now, mapping_get(m->original, d->id));
    return !d->immutable && now->set && (now->str || now->n_items || now->num);
}

/* Append a problem about option D to OUT. */
static void add_problem(diag_list *out, const opt_def *d, const char *message)
{
    out->items = xrealloc(out->items, (out->n + 1) * sizeof *out->items);
    out->items[out->n++] = (diag){DIAG_ERROR, d->id, OPT_COUNT, xstrdup(message), -1};
}

/* Every changed option that the update request cannot carry. */
void export_update_problems(const mapping *m, diag_list *out)
{
    const opt_def *t = opt_table();
    for (int i = 0; i < OPT_COUNT; i++)
        if (t[i].update_note && changed(m, &t[i]))
            add_problem(out, &t[i], t[i].update_note);
}

/* The first '.'-separated segment of PATH into SEG. */
static void first_segment(const char *path, char *seg)
{
    size_t n = strcspn(path, ".");
    if (n >= SEGMENT_MAX)
        n = SEGMENT_MAX - 1;
    memcpy(seg, path, n);
    seg[n] = '\0';
}

/* The value that removes option D in an update request: the table's clear
 * shape, or for numbers and booleans the AWS default. */
static cJSON *clear_value(const opt_def *d)
{
    if (d->clear_json)
        return cJSON_Parse(d->clear_json);
    if (d->type == OPT_T_BOOL)
        return cJSON_CreateBool(d->default_num != 0);
    if (opt_is_numeric(d))
        return cJSON_CreateNumber((double)d->default_num);
    return NULL;
}

/* The member for row D at segment SEG: moved from NOW, or a clearing value
 * when BEFORE had it and NOW has not. NULL when there is none. */
static cJSON *member_for(const opt_def *d, const char *seg, cJSON *now, const cJSON *before)
{
    cJSON *item = cJSON_DetachItemFromObjectCaseSensitive(now, seg);
    if (!item && before && cJSON_GetObjectItemCaseSensitive(before, seg))
        item = clear_value(d);
    return item;
}

/* The request: the UUID, then every option it carries, in table order. */
static cJSON *update_tree(const mapping *m)
{
    cJSON *now = export_api_tree(m);
    cJSON *before = m->original ? export_api_tree(m->original) : NULL;
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, UUID_MEMBER, m->uuid);
    const opt_def *t = opt_table();
    for (int i = 0; i < OPT_COUNT; i++) {
        char seg[SEGMENT_MAX];
        if (!t[i].api || !*t[i].api || t[i].update_note)
            continue;
        first_segment(t[i].api, seg);
        if (cJSON_GetObjectItemCaseSensitive(out, seg))
            continue; /* another row's path already moved it */
        cJSON *item = member_for(&t[i], seg, now, before);
        if (item)
            cJSON_AddItemToObject(out, seg, item);
    }
    cJSON_Delete(now);
    cJSON_Delete(before);
    return out;
}

/* The request's bytes, or NULL with the first reason it cannot be written. */
char *export_update_render(const mapping *m, char **err)
{
    const char *refusal = export_update_refusal(m);
    if (refusal) {
        if (err)
            *err = xstrdup(refusal);
        return NULL;
    }
    diag_list problems = {0};
    export_update_problems(m, &problems);
    if (problems.n > 0) {
        if (err)
            *err = diag_format(&problems.items[0]);
        diag_list_free(&problems);
        return NULL;
    }
    cJSON *tree = update_tree(m);
    char *out = export_json_print(tree);
    cJSON_Delete(tree);
    return out;
}
