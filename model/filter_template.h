/* Filter pattern templates: the common DynamoDB stream filters, each a
 * generator that builds a pattern from a few parameters, so that a screen
 * (or a script) can offer "event name is INSERT", "NewImage.status equals
 * SHIPPED", ... without the person writing JSON.
 *
 * A screen lists filter_tpl_list(), shows each template's title and help,
 * asks for its parameters (label, help, choices, default), then calls
 * filter_tpl_build and adds the pattern to the mapping
 * (mapping_set(m, OPT_FILTERS, pattern, &err)). */
#ifndef ESMCFG_MODEL_FILTER_TEMPLATE_H
#define ESMCFG_MODEL_FILTER_TEMPLATE_H

#include <stddef.h>

typedef struct filter_tpl_param {
    const char *name;           /* "image", "attribute", ... (--template-style key) */
    const char *label;          /* "Image" */
    const char *help;           /* one line */
    const char *const *choices; /* NULL-terminated, or NULL for free text */
    const char *default_value;  /* used for NULL or ""; NULL: the parameter is required */
    int list;                   /* 1: a comma-separated list of choices is allowed */
} filter_tpl_param;

typedef struct filter_tpl {
    const char *name;  /* "event-name", "attribute-equals", ... */
    const char *title; /* "Event name is ..." */
    const char *help;  /* what the filter does */
    const char *note;  /* a caveat to show with it, or NULL */
    const filter_tpl_param *params;
    size_t n_params;
} filter_tpl;

/* The templates, in the order a screen offers them; *N gets the count. */
const filter_tpl *filter_tpl_list(size_t *n);
/* The template called NAME, or NULL. */
const filter_tpl *filter_tpl_find(const char *name);

/* The pattern T (from filter_tpl_list or filter_tpl_find) builds from
 * VALUES (T->n_params strings, in params order; NULL or "" takes the
 * default): compact JSON that filter_pattern_parse accepts. NULL with *err ("Attribute is required:
 * ...", "Value: 12x is not a number", named by the label) when a value does not fit. Caller frees.
 */
char *filter_tpl_build(const filter_tpl *t, const char *const *values, char **err);

/* A parameter's choices as a screen cycles them: its choices, and for a
 * list parameter every combination of them in their order ("INSERT",
 * "MODIFY", ..., "INSERT,MODIFY", ..., "INSERT,MODIFY,REMOVE"). *N gets the
 * count; caller frees the array and its strings (filter_tpl_choices_free). */
char **filter_tpl_choices(const filter_tpl_param *p, size_t *n);
void filter_tpl_choices_free(char **c, size_t n);

/* The pattern that holds both FILTER's conditions and ADD's (AND): ADD's
 * fields merged into FILTER's objects. NULL with *err when a field of ADD
 * already has a list in FILTER (one field holds one list, whose values
 * Lambda ORs: that combination is not an AND) or either is not a valid
 * pattern. Numbers keep their text. Caller frees. */
char *filter_pattern_and(const char *filter, const char *add, char **err);

#endif
