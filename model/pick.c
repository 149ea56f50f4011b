/* Picking tables, functions and destinations: value, template reference
 * and what comes with them, changed together (see pick.h). */
#include "model/pick.h"

#include <stdlib.h>
#include <string.h>

#include "model/util.h"
#include "model/value.h"

/* True when S is set and not empty. */
static bool has_text(const char *s)
{
    return s && *s;
}

/* Replace the string *SLOT with a copy of S (NULL or "" clears it). */
static void set_str(char **slot, const char *s)
{
    char *copy = has_text(s) ? xstrdup(s) : NULL;
    free(*slot);
    *slot = copy;
}

char **mapping_ref_slot(mapping *m, opt_id id)
{
    switch (opt_get(id)->type) {
    case OPT_T_STREAM:
        return &m->table_ref;
    case OPT_T_FUNCTION:
        return &m->function_ref;
    case OPT_T_DESTINATION:
        return &m->destination_ref;
    default:
        return NULL;
    }
}

/* The logical ID behind option ID, or NULL. */
const char *mapping_ref(const mapping *m, opt_id id)
{
    char **slot = mapping_ref_slot((mapping *)m, id);
    return slot && has_text(*slot) ? *slot : NULL;
}

/* Whether IT is of a kind option ID can take. */
static bool kind_fits(opt_id id, const inv_item *it)
{
    switch (opt_get(id)->type) {
    case OPT_T_STREAM:
        return it->kind == INV_TABLE;
    case OPT_T_FUNCTION:
        return it->kind == INV_FUNCTION;
    case OPT_T_DESTINATION:
        return it->kind == INV_QUEUE || it->kind == INV_TOPIC || it->kind == INV_BUCKET;
    default:
        return false;
    }
}

/* The partition of a region's ARNs ("aws-cn" for cn-north-1). */
static const char *partition_of(const char *region)
{
    if (region && strncmp(region, "cn-", 3) == 0)
        return "aws-cn";
    if (region && strncmp(region, "us-gov-", 7) == 0)
        return "aws-us-gov";
    return "aws";
}

/* The literal value picking IT gives: a table's stream ARN, else the ARN;
 * a function or bucket known by name alone (not from a template) by its
 * name or bucket ARN. NULL when there is none. Caller frees. */
static char *item_value(const inv_item *it)
{
    const char *v = it->kind == INV_TABLE ? it->stream_arn : it->arn;
    if (has_text(v))
        return xstrdup(v);
    if (has_text(it->logical_id) || !has_text(it->name))
        return NULL;
    if (it->kind == INV_FUNCTION)
        return xstrdup(it->name);
    if (it->kind == INV_BUCKET)
        return xasprintf("arn:%s:s3:::%s", partition_of(it->region), it->name);
    return NULL;
}

/* Whether picking IT records a template reference. */
static bool item_ref(const inv_item *it, bool use_ref)
{
    return use_ref && has_text(it->logical_id);
}

/* "OrdersTable (template.yaml)" or the name, escaped for display. Caller frees. */
static char *item_label(const inv_item *it)
{
    const char *name = has_text(it->name)         ? it->name
                       : has_text(it->logical_id) ? it->logical_id
                                                  : "?";
    char *shown = str_escape_display(name);
    if (!has_text(it->source))
        return shown;
    char *src = str_escape_display(it->source);
    char *label = xasprintf("%s (%s)", shown, src);
    free(src);
    free(shown);
    return label;
}

/* A table Lambda cannot read: "NAME: " and the inventory's advice on
 * turning its stream on (in AWS, or in the template). */
static char *no_stream(const inv_item *it)
{
    char *hint = inventory_enable_stream_hint(it);
    char *name = str_escape_display(has_text(it->name) ? it->name : "");
    char *msg = xasprintf("%s: %s", name, hint ? hint : "the table has no stream");
    free(name);
    free(hint);
    return msg;
}

/* An item that has neither a literal value nor a usable reference. */
static char *no_value(const inv_item *it)
{
    char *label = item_label(it);
    const char *what = it->kind == INV_TABLE ? "stream ARN" : "ARN";
    char *msg;
    if (has_text(it->logical_id))
        msg = xasprintf("%s comes from another template than the one merged into: its %s is not "
                        "known; give the %s",
                        label, what, what);
    else
        msg = xasprintf("%s: its %s is not known; give the %s", label, what, what);
    free(label);
    return msg;
}

/* Why IT cannot be picked for option ID, or NULL. */
char *mapping_pick_refusal(opt_id id, const inv_item *it, bool use_ref)
{
    if (!kind_fits(id, it)) {
        char *label = item_label(it);
        char *msg = xasprintf("%s is a %s, not a value for --%s", label, inv_kind_name(it->kind),
                              opt_get(id)->name);
        free(label);
        return msg;
    }
    if (it->kind == INV_TABLE && !inventory_table_usable(it))
        return no_stream(it);
    if ((it->kind == INV_QUEUE || it->kind == INV_TOPIC) && it->fifo) {
        char *label = item_label(it);
        char *msg = xasprintf("%s is a FIFO %s; stream failures need a standard one", label,
                              inv_kind_name(it->kind));
        free(label);
        return msg;
    }
    char *value = item_value(it);
    char *msg = !value && !item_ref(it, use_ref) ? no_value(it) : NULL;
    free(value);
    return msg;
}

/* Set option ID from item IT: the literal value (or none), then the reference. */
static int pick_value(mapping *m, opt_id id, const inv_item *it, bool use_ref, char **err)
{
    char *refusal = mapping_pick_refusal(id, it, use_ref);
    if (refusal) {
        *err = refusal;
        return -1;
    }
    char *value = item_value(it);
    bool literal = value != NULL;
    int rc = literal ? mapping_set(m, id, value, err) : 0;
    free(value);
    if (rc < 0)
        return -1;
    if (!literal)
        mapping_unset(m, id);
    set_str(mapping_ref_slot(m, id), item_ref(it, use_ref) ? it->logical_id : NULL);
    return 0;
}

/* Table IT as the source, with its name. */
int mapping_pick_table(mapping *m, const inv_item *it, bool use_ref, char **err)
{
    if (pick_value(m, OPT_TABLE, it, use_ref, err) < 0)
        return -1;
    set_str(&m->table_name, it->name);
    set_str(&m->stream_view_type, it->stream_view_type);
    return 0;
}

/* Function IT, with its role. */
int mapping_pick_function(mapping *m, const inv_item *it, bool use_ref, char **err)
{
    if (pick_value(m, OPT_FUNCTION, it, use_ref, err) < 0)
        return -1;
    set_str(&m->function_role, it->role_arn);
    set_str(&m->role_ref, item_ref(it, use_ref) ? it->role_logical_id : NULL);
    return 0;
}

/* Queue, topic or bucket IT as on-failure destination. */
int mapping_pick_destination(mapping *m, const inv_item *it, bool use_ref, char **err)
{
    if (pick_value(m, OPT_ON_FAILURE, it, use_ref, err) < 0)
        return -1;
    m->destination_kind = it->kind == INV_QUEUE    ? ARN_SQS_QUEUE
                          : it->kind == INV_TOPIC  ? ARN_SNS_TOPIC
                          : it->kind == INV_BUCKET ? ARN_S3_BUCKET
                                                   : ARN_OTHER;
    return 0;
}

/* What goes with option ID's value: the table's name from stream ARN TEXT
 * (NULL: none), the function's role. */
static void reset_companions(mapping *m, opt_id id, const char *text)
{
    const opt_def *d = opt_get(id);
    if (d->type == OPT_T_STREAM) {
        arn_parts p;
        char *err = NULL;
        bool ok = text && arn_parse(text, &p, &err) == 0;
        free(err);
        set_str(&m->table_name, ok ? p.name : NULL);
        set_str(&m->stream_view_type, NULL);
    } else if (d->type == OPT_T_FUNCTION) {
        set_str(&m->function_role, NULL);
        set_str(&m->role_ref, NULL);
    } else if (d->type == OPT_T_DESTINATION) {
        m->destination_kind = ARN_OTHER;
    }
}

/* TEXT as typed: the value, no reference. */
int mapping_pick_text(mapping *m, opt_id id, const char *text, char **err)
{
    if (mapping_set(m, id, text, err) < 0)
        return -1;
    char **slot = mapping_ref_slot(m, id);
    if (slot)
        set_str(slot, NULL);
    reset_companions(m, id, text);
    return 0;
}

/* A role ARN given on its own replaces the function's. */
void mapping_pick_role(mapping *m, const char *role_arn)
{
    set_str(&m->function_role, role_arn);
    set_str(&m->role_ref, NULL);
}

/* Option ID back to its default, with what came with it. */
void mapping_unpick(mapping *m, opt_id id)
{
    mapping_unset(m, id);
    char **slot = mapping_ref_slot(m, id);
    if (slot)
        set_str(slot, NULL);
    reset_companions(m, id, NULL);
}

/* NULL-safe string equality. */
static bool same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Whether IT is of KIND and TEXT is its name, ARN, stream ARN or logical ID. */
static bool item_matches(const inv_item *it, inv_kind kind, const char *text)
{
    return it->kind == kind && (same(it->name, text) || same(it->arn, text) ||
                                same(it->stream_arn, text) || same(it->logical_id, text));
}

/* The first item of KIND that TEXT names, from SOURCE only when not NULL. */
static const inv_item *find_in(const inventory *inv, inv_kind kind, const char *text,
                               const char *source)
{
    for (size_t i = 0; i < inv->n; i++) {
        const inv_item *it = &inv->items[i];
        if (item_matches(it, kind, text) && (!source || same(it->source, source)))
            return it;
    }
    return NULL;
}

/* The item TEXT names, PREFER_SOURCE's first. */
const inv_item *mapping_pick_find(const inventory *inv, inv_kind kind, const char *text,
                                  const char *prefer_source)
{
    if (!inv || !text)
        return NULL;
    const inv_item *it = prefer_source ? find_in(inv, kind, text, prefer_source) : NULL;
    if (!it)
        it = inventory_find(inv, kind, text);
    return it ? it : find_in(inv, kind, text, NULL);
}
