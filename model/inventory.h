/* The inventory: tables, functions and destinations a person can pick
 * from, read from esmcfg's own inventory document (schema in
 * docs/inventory.md). Pickers filter it; --table NAME is resolved to a
 * stream ARN through it. */
#ifndef ESMCFG_MODEL_INVENTORY_H
#define ESMCFG_MODEL_INVENTORY_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    INV_TABLE,
    INV_FUNCTION,
    INV_QUEUE,
    INV_TOPIC,
    INV_BUCKET,
    INV_KEY,
    INV_KIND_COUNT
} inv_kind;

typedef struct inv_item {
    inv_kind kind;
    char *name;    /* table/function/queue/topic/bucket name, key alias or id */
    char *arn;     /* the resource's ARN */
    char *region;  /* from the ARN, when it has one */
    char *account; /* from the ARN, when it has one */
    /* tables */
    bool stream_enabled;
    char *stream_arn;       /* latest stream ARN, when the stream is on */
    char *stream_view_type; /* NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY */
    /* functions */
    char *role_arn;
    char *runtime;
    char *last_modified;
    /* queues and topics */
    bool fifo;
    const char *source; /* the file it came from (owned by the inventory) */
    /* from a CloudFormation/SAM template: the resource's logical ID there
       (exports then refer to it with Ref / Fn::GetAtt), and for functions
       the logical ID of their role when the template defines it */
    char *logical_id;
    char *role_logical_id;
    bool stream_known; /* false when the source does not say (list-tables) */
} inv_item;

typedef struct inventory {
    inv_item *items;
    size_t n, cap;
    char **sources; /* file names, owned */
    size_t n_sources;
} inventory;

void inventory_init(inventory *inv);
void inventory_free(inventory *inv);

/* Load esmcfg's inventory document from PATH and add its items. On error
 * nothing is added and *err names the file and where in it. */
int inventory_load_file(inventory *inv, const char *path, char **err);
/* The same from memory; SOURCE names it in messages. */
int inventory_load_text(inventory *inv, const char *text, size_t len, const char *source,
                        char **err);

/* Exact match by name or ARN (a table also by its stream ARN); NULL if none. */
const inv_item *inventory_find(const inventory *inv, inv_kind kind, const char *name_or_arn);

/* Items of any of the N_KINDS kinds whose name or ARN contains every
 * space-separated word of QUERY, case-insensitively, in inventory order.
 * Writes up to MAX indexes into OUT, returns how many matched in all. */
size_t inventory_filter(const inventory *inv, const inv_kind *kinds, size_t n_kinds,
                        const char *query, size_t *out, size_t max);

const char *inv_kind_name(inv_kind k); /* "table", "function", "queue", ... */

#endif
