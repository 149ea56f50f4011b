/* Live discovery: run the AWS CLI (argv only, never a shell) to list the
 * account's tables (then describe each, a few at a time), functions,
 * queues and topics, and load the answers into the inventory through the
 * model's readers for AWS CLI output.
 *
 * Two ways to drive it:
 * - cli_discover: blocking, for the command line (progress on stderr);
 * - discover_start / discover_step / discover_apply / discover_free: one
 *   step at a time, for a screen that keeps reading keys meanwhile:
 *
 *       discovery *d = discover_start(&opts, &err);   // NULL: err says why
 *       while (discover_step(d, 0) > 0) { ...show discover_status_text(d)... }
 *       discover_apply(d, inv);            // partial results are kept
 *       char *report = discover_report(d); // NULL when every call succeeded
 *       discover_free(d);                  // also stops what still runs
 */
#ifndef ESMCFG_CLI_DISCOVER_H
#define ESMCFG_CLI_DISCOVER_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/args.h"
#include "model/inventory.h"

/* Where discovery stands. Counts are -1 while their call has not answered
 * (or when it failed). */
typedef struct discover_progress {
    long tables_total;    /* names list-tables gave */
    long tables_done;     /* describe-table calls finished, answered or not */
    long functions;       /* from list-functions */
    long queues;          /* from list-queues */
    long topics;          /* from list-topics */
    size_t calls_running; /* aws processes running now */
    size_t calls_failed;  /* calls that failed so far */
    bool done;            /* nothing left to run */
} discover_progress;

typedef void (*discover_progress_fn)(const discover_progress *p, void *ud);

typedef struct discover_opts {
    const char *profile; /* --profile: passed to aws only when set (else aws reads AWS_PROFILE) */
    const char *region;  /* --region: passed to aws only when set (else AWS_REGION) */
    int timeout_s;       /* per call; <= 0: $ESMCFG_AWS_TIMEOUT, else 20 */
    int jobs;            /* aws processes at once; <= 0: 4 */
    discover_progress_fn on_progress; /* called from discover_step when progress changes */
    void *ud;
} discover_opts;

typedef struct discovery discovery;

/* Find aws on PATH and start the first calls. NULL with *err set ("aws CLI
 * not found on PATH: install it or use --inventory FILE") when it cannot. */
discovery *discover_start(const discover_opts *o, char **err);

/* Read what the running calls wrote, waiting at most TIMEOUT_MS (0: do not
 * wait), finish the calls that ended or timed out and start queued ones.
 * Returns 1 while calls remain, 0 when discovery is over. */
int discover_step(discovery *d, int timeout_ms);

/* The current progress. */
void discover_progress_get(const discovery *d, discover_progress *p);

/* "tables 12/40, functions 57, queues 3, topics 2" (only the parts known so
 * far; "waiting for aws" before anything answered). Caller frees. */
char *discover_progress_text(const discover_progress *p);

/* The same for D as it stands: what a screen shows while discovery runs. */
char *discover_status_text(const discovery *d);

/* Stop every running call (killing its process group); queued calls are
 * dropped. What already answered is kept for discover_apply. */
void discover_cancel(discovery *d);

/* Add every answer gathered so far to INV, through the readers for AWS CLI
 * output (a table whose describe-table failed is added by name only).
 * Answers the readers refuse count as failures in the report. Call once,
 * when discover_step has returned 0 or after discover_cancel. Returns the
 * number of items added. */
size_t discover_apply(discovery *d, inventory *inv);

/* How many calls failed (timed out, non-zero exit, unreadable answer). */
size_t discover_failures(const discovery *d);

/* The failures, one line each ("aws lambda list-functions: An error occurred
 * (AccessDeniedException) ..."), names and aws's own words escaped for
 * display; calls that failed the same way share one line. NULL when
 * nothing failed. Caller frees. */
char *discover_report(const discovery *d);

/* Stop what still runs and free D (NULL is fine). */
void discover_free(discovery *d);

/* ---- the command line (cli/discover_cli.c) ---- */

/* The whole discovery for the command line: progress on stderr (one line
 * rewritten with \r on a terminal, plain lines otherwise), then each
 * failure as "esmcfg: aws ...: message". Whatever answered is added to INV
 * even when other calls failed. Returns CLI_EXIT_OK, or CLI_EXIT_IO when a
 * call failed or aws could not be run. */
int cli_discover(const cli_args *a, inventory *inv);

/* What the last cli_discover printed about its failures (the reason it
 * could not start, or the report, one failure a line), for the screen to
 * show when it opens; NULL when nothing failed. Caller frees. */
char *cli_discover_take_notice(void);

/* --save-inventory FILE: write INV as esmcfg's inventory document,
 * atomically. Returns CLI_EXIT_OK or CLI_EXIT_IO (message on stderr). */
int cli_save_inventory(const cli_args *a, const inventory *inv);

#endif
