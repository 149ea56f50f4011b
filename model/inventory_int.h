/* Inside the inventory readers (model/inventory*.c, model/json_scan.c):
 * where an error is, the streaming JSON scanner, and the helpers every
 * reader uses to check and store values. Not for other modules. */
#ifndef ESMCFG_MODEL_INVENTORY_INT_H
#define ESMCFG_MODEL_INVENTORY_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "model/inventory.h"
#include "model/util.h"
#include "model/value.h"

/* A JSON scanner over text in memory: no tree is built, strings are
 * decoded straight into the inventory's arena, lines are counted for
 * messages. Every function returns false once an error is recorded. */
typedef struct jscan {
    const char *p, *end;
    const char *released; /* mapped text before this was given back */
    bool mapped;
    size_t line;
    int depth;
    bool more[INVENTORY_JSON_MAX_DEPTH + 1]; /* an element was read at this depth */
    strbuf key;                              /* the last member name read */
    char *err;                               /* "not valid JSON (line N): why" */
} jscan;

void js_init(jscan *s, const inv_text *t);
void js_done(jscan *s);
/* The next significant byte, or -1 at the end of the text. */
int js_peek(jscan *s);
/* Consume OPEN ('{' or '['), one level deeper. */
bool js_open(jscan *s, char open);
/* In a container opened with OPEN: true when another element follows (for
 * an object its name is in s->key and the ':' is consumed); false at the
 * end of the container (consumed) or on an error. */
bool js_next(jscan *s, char open);
/* A string value, decoded into INV's arena (NUL characters are refused). */
bool js_string(jscan *s, inventory *inv, char **out);
bool js_bool(jscan *s, bool *out);
bool js_number(jscan *s, double *out);
/* Skip one value of any type, checking it. */
bool js_skip(jscan *s);
/* Skip one value fast, matching brackets and quotes only: false when they
 * do not match (no message; scan again with js_skip to get one). */
bool js_skip_unchecked(jscan *s);
/* Nothing but white space is left. */
bool js_finish(jscan *s);
/* Record an error at the current line (no effect when one is recorded). */
bool js_fail(jscan *s, const char *why);

/* N bytes owned by INV (strings of its items). */
char *inv_arena_alloc(inventory *inv, size_t n);

/* Where an error is, for "FILE: PATH.FIELD: message": PATH is SECTION,
 * then "[INDEX]" when INDEX >= 0, then ".SUB" when SUB is set. */
typedef struct load_ctx {
    const char *source;
    const char *section;
    long index;
    const char *sub;
    char **err;
    char *recent[8]; /* strings lately stored, shared when they repeat */
    size_t next_recent;
} load_ctx;

/* Set *c->err for FIELD (NULL: the entry itself) of the current entry;
 * returns -1. With no section, the message is about the whole file. */
int inv_fail(load_ctx *c, const char *field, const char *msg);
/* The scanner's error (syntax) as the load's error; returns -1. */
int inv_fail_scan(load_ctx *c, jscan *s);
/* "FIELD: must be a string" and the like, for the value that comes next. */
int inv_fail_type(load_ctx *c, const char *field, const char *want);

/* Read the next value as an optional string (null: absent). */
int inv_read_string(load_ctx *c, jscan *s, inventory *stage, const char *field, char **out);
/* Read the next value as an optional boolean (null: absent). */
int inv_read_bool(load_ctx *c, jscan *s, const char *field, bool *out);

/* One member of an object a reader takes: a string, a boolean, or an
 * object read by NESTED(ctx, scanner, stage, ARG). Others are skipped. */
typedef struct inv_field {
    const char *name;
    char **str;
    bool *flag;
    int (*nested)(load_ctx *c, jscan *s, inventory *stage, void *arg);
    void *arg;
} inv_field;
/* Read the object that comes next, storing the members F names. A member
 * given twice is an error. */
int inv_read_object(load_ctx *c, jscan *s, inventory *stage, const inv_field *f, size_t n);

/* Parse ARN (from FIELD) and check it is of kind WANT. */
int inv_check_arn(load_ctx *c, const char *field, const char *arn, arn_kind want, arn_parts *parts);
/* Fill name (when unset), region and account of IT from parsed ARN P;
 * the name shares the ARN's bytes when it ends it. */
void inv_take_arn_parts(load_ctx *c, inventory *stage, inv_item *it, const arn_parts *p);
/* S (just allocated in INV's arena, or NULL), or an equal string stored
 * lately, S then given back (regions, accounts, runtimes repeat). */
char *inv_intern(load_ctx *c, inventory *inv, char *s);
/* A copy of S in INV, shared with an equal string stored lately. */
char *inv_intern_copy(load_ctx *c, inventory *inv, const char *s);
/* inventory_commit, naming duplicate entries SECTIONS[kind][N] (or by kind
 * and number when SECTIONS is NULL or has no name for the kind). */
int inv_commit_sections(inventory *inv, inventory *stage, const char *source,
                        const char *const *sections, char **err);
/* Check a stream view type: NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY. */
int inv_check_view_type(load_ctx *c, const char *field, const char *v);
/* A DynamoDB table name: 3..255 of a-z A-Z 0-9 _ . - */
bool inv_table_name_ok(const char *s);
/* The same, as an error about FIELD. */
int inv_check_table_name(load_ctx *c, const char *field, const char *name);
/* Whether the stream ARN belongs to the table ARN (same table and region). */
bool inv_stream_of_table(const arn_parts *table, const arn_parts *stream);

/* An open-addressing hash of item positions, keyed on an item's identity
 * (kind and ARN, else logical ID and file, else name) or, BY_NAME, on its
 * kind and name. A slot holds the position + 1 (0: empty) and the hash. */
typedef struct inv_slot {
    size_t pos, hash;
} inv_slot;
typedef struct inv_index {
    inv_slot *slot;
    size_t mask, count;
    bool by_name;
} inv_index;
/* Room for N items (it grows as items are added). */
void inv_index_init(inv_index *x, size_t n, bool by_name);
void inv_index_free(inv_index *x);
/* The hash of IT in X. */
size_t inv_index_hash(const inv_index *x, const inv_item *it);
/* Record that ITEMS[I] is at position I. */
void inv_index_add(inv_index *x, const inv_item *items, size_t i);
/* The same with its hash known. */
void inv_index_add_hashed(inv_index *x, size_t i, size_t hash);
/* The first of ITEMS in X that is the same as PROBE (BY_NAME: same kind
 * and name, and OK(item)), or NULL. */
inv_item *inv_index_find(const inv_index *x, inv_item *items, const inv_item *probe,
                         bool (*ok)(const inv_item *));
/* The same with PROBE's hash known. */
inv_item *inv_index_find_hashed(const inv_index *x, inv_item *items, const inv_item *probe,
                                size_t hash, bool (*ok)(const inv_item *));

/* Check that the text holds one object and report its top-level keys. */
typedef struct inv_top {
    bool is_object, is_array;
    bool esmcfg;    /* "esmcfg_inventory" */
    double version; /* its value, or -1 when not a number */
    bool own;       /* tables, functions, queues, topics, buckets, keys */
    bool aws;       /* TableNames, Table, Functions, QueueUrls, Topics, Buckets, Keys, Aliases */
    bool template_; /* Resources, AWSTemplateFormatVersion */
} inv_top;
int inv_scan_top(load_ctx *c, const inv_text *t, inv_top *top);

/* The AWS CLI readers (inventory_aws.c): the object or array in T; the
 * JSON path of each kind's entries goes to SECTIONS, for messages. */
int inv_read_aws(load_ctx *c, const inv_text *t, const inv_top *top, inventory *stage,
                 const char **sections);
/* esmcfg's own document (inventory.c). */
int inv_read_own(load_ctx *c, const inv_text *t, inventory *stage);

#endif
