/* Inside model/filter_*.c: a compiled pattern and a record. Not for other
 * modules; they use filter_match.h. */
#ifndef ESMCFG_MODEL_FILTER_INT_H
#define ESMCFG_MODEL_FILTER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/filter_case.h"
#include "model/filter_json.h"
#include "model/filter_match.h"

/* What one condition of a field's list tests. */
typedef enum {
    C_STRING,      /* exactly this string ("x", or {"exactly": "x"}) */
    C_NUMBER,      /* exactly this number, as written */
    C_NULL,        /* null */
    C_TRUE,        /* true */
    C_FALSE,       /* false */
    C_PREFIX,      /* {"prefix": s} */
    C_SUFFIX,      /* {"suffix": s} */
    C_EQUALS_IC,   /* {"equals-ignore-case": s} */
    C_PREFIX_IC,   /* {"prefix": {"equals-ignore-case": s}} */
    C_SUFFIX_IC,   /* {"suffix": {"equals-ignore-case": s}} */
    C_WILDCARD,    /* {"wildcard": s} */
    C_CIDR,        /* {"cidr": "a.b.c.d/n"} */
    C_NUMERIC,     /* {"numeric": [...]} */
    C_EXISTS,      /* {"exists": true} */
    C_ABSENT,      /* {"exists": false} */
    C_BUT_STRINGS, /* {"anything-but": s | [s...]} */
    C_BUT_NUMBERS, /* {"anything-but": n | [n...]} */
    C_BUT_PREFIX,  /* {"anything-but": {"prefix": s | [s...]}} */
    C_BUT_SUFFIX,  /* {"anything-but": {"suffix": s | [s...]}} */
    C_BUT_IC,      /* {"anything-but": {"equals-ignore-case": s | [s...]}} */
    C_BUT_WILDCARD /* {"anything-but": {"wildcard": s | [s...]}} */
} cond_kind;

/* A string operand: its bytes, and for the ignore-case forms its units. */
typedef struct cond_text {
    const char *s;
    size_t len;
    filter_case_pattern ic;
} cond_text;

typedef struct cond {
    cond_kind k;
    cond_text *texts; /* string operands (one, or anything-but's list) */
    size_t ntexts;
    int64_t *nums; /* anything-but's numbers, as comparable integers */
    size_t nnums;
    /* C_NUMBER: the number's comparable value, when it has one */
    bool comparable;
    int64_t value;
    /* C_NUMERIC: the bounds (comparable integers) */
    bool has_lo, has_hi, lo_open, hi_open;
    int64_t lo, hi;
    /* C_CIDR: the first and last address, ALEN bytes (4 or 16) */
    uint8_t alen;
    uint8_t first[16], last[16];
} cond;

/* One field of a pattern: its dotted path and its list of conditions. */
typedef struct field_spec {
    const char *path; /* "dynamodb.NewImage.status.S" (keys joined with '.') */
    size_t plen;
    cond *conds;
    size_t nconds;
    bool absent_ok; /* the list has {"exists": false} */
    bool any_leaf;  /* the list has {"exists": true} */
    const fj *list; /* the list in the pattern, for messages */
    size_t id;      /* its number in the pattern (0..nspecs-1) */
} field_spec;

/* One alternative: every field must match. A pattern without $or has one. */
typedef struct branch {
    field_spec **fields;
    size_t n, cap;
} branch;

struct filter_pattern {
    fj_arena arena; /* the pattern's tree and everything compiled from it */
    fj *root;
    branch *branches;
    size_t nbranches;
    size_t nspecs;      /* how many field_specs were compiled */
    bool or_as_field;   /* "$or" was read as a field name */
    filter_notes notes; /* what compiling noticed (syntax warnings) */
};

struct filter_record {
    const fj *root;
    fj_arena arena; /* a record of its own (not a reader's): its tree */
};

/* A deep copy of V in arena A (strings and names copied too). */
fj *filter_json_copy(fj_arena *a, const fj *v);

/* Comparable numbers: the value times 10^FILTER_NUMERIC_DECIMALS as an
 * integer, when the number has at most that many decimals and lies within
 * +-FILTER_NUMERIC_MAX. */
bool filter_number_value(const char *text, size_t len, int64_t *out);

/* Parse TEXT (LEN bytes) as an IPv4 or IPv6 address: *ALEN gets 4 or 16. */
bool filter_ip_parse(const char *text, size_t len, uint8_t *addr, uint8_t *alen);

/* Whether the wildcard pattern W (checked) matches TEXT. */
bool filter_wildcard_match(const char *w, size_t wlen, const char *text, size_t len);

/* Add a note "PATH: TEXT" to L. */
void filter_notes_add(filter_notes *l, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A dotted path for messages: PARENT.KEY with KEY escaped for display (KEY
 * alone at the top). Caller frees. */
char *filter_path_join(const char *parent, const char *key, size_t klen);

#endif
