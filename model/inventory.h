/* The inventory: tables, functions and destinations a person can pick
 * from. It is read from esmcfg's own inventory document (schema in
 * docs/inventory.md), from the JSON output of the AWS CLI (list-tables,
 * describe-table, list-functions, list-queues, list-topics, list-buckets,
 * list-keys, list-aliases) and, through export/template_inventory.h, from
 * CloudFormation and SAM templates. Pickers filter it; --table NAME is
 * resolved to a stream ARN through it.
 *
 * Every string of an item belongs to the inventory (an arena freed by
 * inventory_free); items never free or change them. */
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

/* One resource. An item from an account has an ARN (arn != NULL), except a
 * table known only by name (from list-tables: arn NULL, stream_known false)
 * and a function or bucket given by name alone. An item from a template has
 * no ARN: arn, region and account are NULL, logical_id is its logical ID and
 * name is its literal physical name (TableName, FunctionName, ...) or, when
 * that is absent or computed (!Sub ...), the logical ID. */
typedef struct inv_item {
    inv_kind kind;
    /* tables */
    bool stream_enabled; /* the table has a stream on (a template: StreamViewType given) */
    bool stream_known;   /* false when the source does not say (list-tables, a condition) */
    /* queues and topics */
    bool fifo;
    char *name;             /* table/function/queue/topic/bucket name, key alias (alias/X) or id */
    char *arn;              /* the resource's ARN; NULL for template items and names alone */
    char *region;           /* from the ARN (buckets: list-buckets' BucketRegion), when known */
    char *account;          /* from the ARN, when it has one */
    char *stream_arn;       /* latest stream ARN, when the stream is on (never for templates) */
    char *stream_view_type; /* NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY, when known */
    /* functions */
    char *role_arn; /* execution role ARN, when a literal ARN is known */
    char *runtime;
    char *last_modified;
    const char *source; /* the file it came from (owned by the inventory) */
    /* from a CloudFormation/SAM template: the resource's logical ID there
       (exports then refer to it with Ref / Fn::GetAtt), its resource type
       (AWS::DynamoDB::Table, AWS::Serverless::Function, ...), and for
       functions the logical ID of their role when the template defines it
       (an AWS::IAM::Role resource, or SAM's implicit "<LogicalId>Role") */
    char *logical_id;
    char *cfn_type;
    char *role_logical_id;
} inv_item;

struct inv_arena;
struct inv_cache;

typedef struct inventory {
    inv_item *items;
    size_t n, cap;
    char **sources; /* file names, owned */
    size_t n_sources;
    struct inv_arena *arena; /* every item string */
    struct inv_cache *cache; /* indexes for merging, text for filtering */
} inventory;

/* Results of loading. */
enum {
    INV_LOAD_OK = 0,
    INV_LOAD_INVALID = -1, /* the content is not an inventory, or is wrong */
    INV_LOAD_IO = -2,      /* the file cannot be read */
    INV_LOAD_TEMPLATE = 1  /* inventory_load_json: a template, for the template reader */
};

/* The largest file read as an inventory: 50,000 tables as describe-table
 * output is about 75 MB. Larger files are refused before they are read. */
#define INVENTORY_FILE_MAX ((size_t)128 * 1024 * 1024)
/* The deepest nesting of arrays and objects read from JSON. */
#define INVENTORY_JSON_MAX_DEPTH 100

/* What a file of no known kind gets, after "FILE: ". */
#define INV_NOT_AN_INVENTORY                                                                       \
    "not an inventory: expected esmcfg's inventory, AWS CLI output (list-tables, "                 \
    "describe-table, list-functions, ...) or a CloudFormation/SAM template"

void inventory_init(inventory *inv);
void inventory_free(inventory *inv);

/* Load esmcfg's inventory document from memory and add its items. On error
 * nothing is added and *err names SOURCE and where in it
 * ("inv.json: tables[3].stream_arn: ..."). */
int inventory_load_text(inventory *inv, const char *text, size_t len, const char *source,
                        char **err);
/* The JSON output of one AWS CLI command (list-tables, describe-table or a
 * JSON array of describe-table outputs, list-functions, list-queues,
 * list-topics, list-buckets, list-keys, list-aliases); SOURCE names it in
 * messages. Same error rules. */
int inventory_load_aws(inventory *inv, const char *text, size_t len, const char *source,
                       char **err);

/* A file's text for loading: a regular file is mapped (its size checked
 * before anything is read, and pages already parsed are given back, so a
 * large file does not stay in memory); a pipe is read up to the limit. */
typedef struct inv_text {
    const char *text;
    size_t len;
    bool mapped;
    void *map_;   /* private */
    char *owned_; /* private */
} inv_text;
/* INV_LOAD_OK, INV_LOAD_IO (cannot be read: "PATH: reason") or
 * INV_LOAD_INVALID (larger than INVENTORY_FILE_MAX). */
int inventory_text_open(inv_text *t, const char *path, char **err);
void inventory_text_close(inv_text *t);

/* JSON text of any kind the model reads: esmcfg's inventory or AWS CLI
 * output, told apart by their top-level keys. Returns INV_LOAD_OK,
 * INV_LOAD_INVALID with *err (also when it is none of them), or
 * INV_LOAD_TEMPLATE (nothing loaded, no error) when it is a CloudFormation
 * template, which export/template_inventory.h reads. */
int inventory_load_json(inventory *inv, const inv_text *t, const char *source, char **err);
/* inventory_load_json on a file (no templates: use inventory_load_path).
 * Returns INV_LOAD_OK, INV_LOAD_INVALID or INV_LOAD_IO, with *err. */
int inventory_load_file(inventory *inv, const char *path, char **err);

/* esmcfg's inventory document (schema 1) holding every item that did not
 * come from a template; inventory_load_text reads it back. Caller frees. */
char *inventory_to_json(const inventory *inv);

/* Exact match by name or ARN (a table also by its stream ARN, a template
 * item by its logical ID); the first in inventory order; NULL if none. */
const inv_item *inventory_find(const inventory *inv, inv_kind kind, const char *name_or_arn);

/* Items of any of the N_KINDS kinds whose name, ARN or logical ID contains
 * every space-separated word of QUERY, case-insensitively, in inventory
 * order. Writes up to MAX indexes into OUT, returns how many matched in all. */
size_t inventory_filter(const inventory *inv, const inv_kind *kinds, size_t n_kinds,
                        const char *query, size_t *out, size_t max);

/* Whether table IT can be the mapping's source: its stream is on and known
 * (a stream ARN, or a template table with StreamSpecification). */
bool inventory_table_usable(const inv_item *it);
/* Why table IT cannot be used and how to fix it, or NULL when it can:
 * "the table has no stream; enable one with: aws dynamodb update-table
 * --table-name orders --region us-east-1 --stream-specification
 * StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES", the
 * StreamSpecification to add for a template table, or what to load for a
 * table known only by name. Callers put the table's name in front
 * ("orders: ..."). Names are escaped for display. Caller frees. */
char *inventory_enable_stream_hint(const inv_item *it);

const char *inv_kind_name(inv_kind k); /* "table", "function", "queue", ... */

/* Whether NAME is a valid physical name for a resource of KIND: a table
 * 3..255 of a-z A-Z 0-9 _ . -, a function 1..64 of a-z A-Z 0-9 - _, a
 * queue 1..80 and a topic 1..256 of a-z A-Z 0-9 _ - (with .fifo), a bucket
 * 3..63 of a-z 0-9 . -. Otherwise -1 with *why saying what is allowed. */
int inventory_check_name(inv_kind kind, const char *name, char **why);

/* For readers that build items (the template reader): a stage is an
 * inventory of one source's items, added to the real one all at once. */
/* Append a zeroed item of KIND to STAGE. */
inv_item *inventory_stage_add(inventory *stage, inv_kind kind);
/* A copy of S (NULL stays NULL) owned by INV. */
char *inventory_strdup(inventory *inv, const char *s);
/* Move STAGE's items into INV, read from SOURCE. The same resource twice in
 * STAGE is an error ("SOURCE: table orders is listed twice", nothing
 * added); a resource INV already has is merged into it (docs/inventory.md).
 * STAGE is emptied either way. */
int inventory_commit(inventory *inv, inventory *stage, const char *source, char **err);

#endif
