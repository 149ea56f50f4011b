/* The JSON reader behind event filtering: patterns and stream records.
 *
 * Why not cJSON: an exact match compares numbers as written ("300" is not
 * "300.0"), which a parsed double cannot tell; records are read by the
 * million, so a value lives in an arena that is reset per record (no
 * allocation per value, strings without escapes point into the input);
 * and a record read from a file must be resumable when the buffer ends in
 * the middle of it.
 *
 * Strict RFC 8259: no comments, no trailing commas, valid UTF-8, no raw
 * control characters in strings, nesting at most FJ_MAX_DEPTH levels. The
 * tree keeps members in document order, duplicates included (fj_duplicate
 * finds them in linear time).
 *
 * model/: no terminal, no processes. */
#ifndef ESMCFG_MODEL_FILTER_JSON_H
#define ESMCFG_MODEL_FILTER_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The deepest nesting read: Jackson's default (event-ruler reads with it). */
#define FJ_MAX_DEPTH 1000

typedef enum { FJ_NULL, FJ_FALSE, FJ_TRUE, FJ_NUMBER, FJ_STRING, FJ_ARRAY, FJ_OBJECT } fj_type;

/* One value. S is a string's decoded UTF-8 or a number's text (LEN bytes,
 * not NUL-terminated: it may point into the input); KEY the member name
 * (KLEN bytes) inside an object. */
typedef struct fj {
    fj_type t;
    uint32_t len;  /* STRING, NUMBER: bytes of s; ARRAY, OBJECT: members */
    uint32_t klen; /* bytes of key */
    const char *s;
    const char *key;
    struct fj *child, *next;
} fj;

/* Memory for trees: chunks handed out in order, freed all at once. */
typedef struct fj_chunk fj_chunk;
typedef struct fj_arena {
    fj_chunk *head; /* the chunk being filled; older ones follow */
} fj_arena;

void *fj_alloc(fj_arena *a, size_t n);
/* Forget every tree, keeping the largest chunk for the next one. */
void fj_arena_reset(fj_arena *a);
void fj_arena_free(fj_arena *a);

typedef enum {
    FJ_OK,   /* *out holds the value; *stop is just after it */
    FJ_MORE, /* the input ended inside the value and more may come */
    FJ_ERROR /* *e says what is wrong and where */
} fj_status;

typedef struct fj_error {
    size_t offset;  /* bytes from the start of the input */
    char what[160]; /* "expected ',' or '}'" */
} fj_error;

typedef struct fj_parse_opts {
    bool eof;          /* nothing follows END: running out is an error */
    bool refuse_dups;  /* a member named twice in one object is an error */
    bool copy_strings; /* strings are copied into the arena even without escapes */
} fj_parse_opts;

/* One value at P (white space before it skipped), read up to END. */
fj_status fj_parse(fj_arena *a, const char *p, const char *end, const fj_parse_opts *o, fj **out,
                   const char **stop, fj_error *e);

/* The first member of object OBJ whose name an earlier member already has,
 * or NULL: linear in the members (a hash of the names beyond a few). */
const fj *fj_duplicate(const fj *obj);

/* The member of OBJ named KEY (KLEN bytes): the last one when named twice. */
const fj *fj_member(const fj *obj, const char *key, size_t klen);
/* The same for a NUL-terminated KEY. */
const fj *fj_get(const fj *obj, const char *key);

/* Whether member M is named NAME; whether its name is one of WORDS
 * (NULL-terminated). */
bool fj_key_is(const fj *m, const char *name);
bool fj_key_in(const fj *m, const char *const *words);

/* Whether V is a string equal to the NUL-terminated TEXT. */
bool fj_is_text(const fj *v, const char *text);

/* Whether V is a leaf (string, number, boolean, null). */
bool fj_is_leaf(const fj *v);

/* A JSON string (quotes, escapes) of the LEN bytes at S, appended to B. */
struct strbuf;
void fj_add_string(struct strbuf *b, const char *s, size_t len);
/* V as compact JSON, appended to B. */
void fj_print(struct strbuf *b, const fj *v);
/* V as compact JSON, shortened to about MAX bytes, escaped for display. Caller frees. */
char *fj_show(const fj *v, size_t max);

#endif
