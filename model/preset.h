/* Presets: named sets of option values, each with the reason it was
 * chosen, as data that --preset, --help, --list-options and a screen
 * action all read. A preset may also name an option the person must pick
 * themselves (the on-failure destination of "safe": only they know where
 * discarded records should go).
 *
 * A screen applies one with preset_apply(p, m, NULL, &err), then, when
 * preset_missing(p, m) is not OPT_COUNT, moves to that option's field and
 * shows p->pick_why. */
#ifndef ESMCFG_MODEL_PRESET_H
#define ESMCFG_MODEL_PRESET_H

#include <stdbool.h>
#include <stddef.h>

#include "model/mapping.h"

typedef struct preset_setting {
    opt_id opt;        /* the option */
    const char *value; /* as opt_parse takes it: "true", "3", "1h" */
    const char *why;   /* one or two sentences: why this value */
} preset_setting;

typedef struct preset {
    const char *name;    /* --preset NAME: "safe" */
    const char *title;   /* "A safe start" */
    const char *summary; /* one line: what it is for */
    const preset_setting *settings;
    size_t n_settings;
    opt_id must_pick;     /* an option the person must set (OPT_COUNT: none) */
    const char *pick_why; /* why, and what to give */
} preset;

/* The presets; *N gets the count. */
const preset *preset_list(size_t *n);
/* The preset called NAME, or NULL. */
const preset *preset_find(const char *name);

/* Set P's values on M, except options marked in KEEP (OPT_COUNT flags,
 * or NULL: set them all), which the person gave themselves. Returns 0, or
 * -1 with *err if a value does not parse (a bug in the preset's data). */
int preset_apply(const preset *p, mapping *m, const bool *keep, char **err);

/* P's option the person must still pick on M (set neither as a value nor as
 * a template reference), or OPT_COUNT when none is missing. */
opt_id preset_missing(const preset *p, const mapping *m);

/* "--preset safe needs --on-failure ARN: ..." for a missing pick. Caller
 * frees. */
char *preset_missing_text(const preset *p);

#endif
