/* The interactive configurator. The only entry point the CLI uses; ncurses
 * stays inside tui/. */
#ifndef ESMCFG_TUI_TUI_H
#define ESMCFG_TUI_TUI_H

#include <stdbool.h>
#include <stddef.h>

#include "export/export.h"
#include "model/inventory.h"
#include "model/mapping.h"

/* Live discovery as the CLI runs it (cli/discover.h), handed to the screen
 * as function pointers so that tui/ needs no cli/ header: the screen calls
 * step with no wait between keys and shows status in the message line. */
struct discovery;
typedef struct tui_discover_ops {
    /* Start with CTX (the CLI's options: --profile, --region); NULL with *err
       (the CLI's own words, e.g. "aws CLI not found on PATH: ...") */
    struct discovery *(*start)(void *ctx, char **err);
    /* 1 while calls remain, 0 when over; waits at most TIMEOUT_MS */
    int (*step)(struct discovery *d, int timeout_ms);
    /* "tables 12/40, functions 57" as it stands. Caller frees. */
    char *(*status)(const struct discovery *d);
    /* stop what runs, keep what answered (may be NULL: free stops it) */
    void (*cancel)(struct discovery *d);
    /* add what answered to INV; returns the number of items added */
    size_t (*apply)(struct discovery *d, inventory *inv);
    /* the failures, one line each, escaped; NULL when none. Caller frees. */
    char *(*report)(const struct discovery *d);
    void (*free)(struct discovery *d);
} tui_discover_ops;

/* --apply as the CLI does it (cli/apply.c), in two steps the screen calls
 * through these pointers so that tui/ needs no cli/ header. Both wait for
 * the AWS CLI (at most its timeout, $ESMCFG_AWS_TIMEOUT). */
typedef enum {
    TUI_APPLY_NOTHING, /* nothing to run: no change, refused, or aws failed */
    TUI_APPLY_CREATE,  /* aws lambda create-event-source-mapping */
    TUI_APPLY_UPDATE,  /* aws lambda update-event-source-mapping of the one found */
} tui_apply_kind;
typedef struct tui_apply_plan {
    tui_apply_kind kind;
    bool failed;   /* aws could not be asked, or its answer not read */
    char *text;    /* the plan, or why there is none: lines, escaped for display */
    char *request; /* the request document run sends, or NULL */
} tui_apply_plan;
typedef struct tui_apply_ops {
    /* Look for an existing mapping of M's stream and function (aws lambda
       list-event-source-mappings) and fill OUT (all fields allocated) */
    void (*plan)(void *ctx, const mapping *m, tui_apply_plan *out);
    /* Run PLAN's request: true when aws succeeded; *ANSWER: what aws wrote
       to stdout, then to stderr, as it is (not escaped). Caller frees. */
    bool (*run)(void *ctx, const tui_apply_plan *plan, char **answer);
} tui_apply_ops;

typedef struct tui_options {
    const char *output_path; /* -o FILE; "-" means stdout; NULL: ask on export */
    export_format format;    /* --format: the preview's first format and the export's */
    const char *focus;       /* --focus OPTION name, or NULL */
    bool no_color;           /* --no-color (NO_COLOR is read by the TUI itself) */
    inventory *inv;          /* pickers' items (may be empty); discovery adds to it */
    /* --merge-into TEMPLATE: template items are referred to (Ref / GetAtt)
       only when they come from that template, whose source string in INV is
       merge_source (NULL when it was not loaded as an inventory) */
    const char *merge_into;
    const char *merge_source;
    const tui_discover_ops *discover; /* F5 on screen; NULL: not available */
    void *discover_ctx;               /* passed to discover->start */
    const tui_apply_ops *apply;       /* F7 on screen; NULL: not available */
    void *apply_ctx;                  /* passed to apply->plan and ->run */
    const char *notice;               /* shown in the message line at start (e.g.
                                         what --discover could not do), or NULL */
    bool restore; /* --restore: M holds the draft already (the CLI read it): no question */
} tui_options;

typedef struct tui_result {
    char *document; /* when output_path is "-": the exported bytes for the CLI to
                       write to stdout after the screen is gone; caller frees */
} tui_result;

/* Every key of the screen, for documentation: EACH(ARG, SECTION ("On the
 * form"), KEYS ("Up, k"), DOES ("previous field")), in the help screen's
 * order (tui/keys.c's table). */
typedef void (*tui_key_each_fn)(void *arg, const char *section, const char *keys, const char *does);
void tui_keys_each(tui_key_each_fn each, void *arg);

/* Run the screen on /dev/tty, editing M in place. Returns the exit code:
 * 0 exported, 1 quit without exporting, 4 no terminal, a terminal that
 * cannot draw (TERM=dumb, unknown) or an I/O error (message already
 * printed to stderr). */
int tui_run(mapping *m, const tui_options *opts, tui_result *res);

#endif
