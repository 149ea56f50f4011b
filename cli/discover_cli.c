/* --discover on the command line: discovery run to its end with progress
 * on stderr, then each failure; and --save-inventory. */
#include "cli/discover.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "export/export.h"
#include "model/util.h"

/* Milliseconds on the monotonic clock. */
static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* How progress is shown on stderr. */
typedef struct cli_progress {
    bool tty;     /* rewrite one line with \r */
    long last_ms; /* when the last line was written */
    size_t last_len;
} cli_progress;

enum {
    TTY_EVERY_MS = 100,   /* a terminal's line is rewritten at most this often */
    PLAIN_EVERY_MS = 2000 /* a log gets a line at most this often */
};

/* Write the progress line: over the last one on a terminal, else a new line. */
static void show_progress(cli_progress *cp, const discover_progress *p, bool final)
{
    char *text = discover_progress_text(p);
    char *line = xasprintf("esmcfg: discovery: %s", text);
    size_t len = strlen(line);
    if (cp->tty)
        fprintf(stderr, "\r%s%*s%s", line, cp->last_len > len ? (int)(cp->last_len - len) : 0, "",
                final ? "\n" : "");
    else
        fprintf(stderr, "%s\n", line);
    fflush(stderr);
    cp->last_len = len;
    cp->last_ms = now_ms();
    free(line);
    free(text);
}

/* on_progress for the command line: rate-limited; the final line is
 * written by cli_discover. */
static void on_cli_progress(const discover_progress *p, void *ud)
{
    cli_progress *cp = ud;
    long every = cp->tty ? TTY_EVERY_MS : PLAIN_EVERY_MS;
    if (!p->done && now_ms() - cp->last_ms >= every)
        show_progress(cp, p, false);
}

static volatile sig_atomic_t interrupted;

/* What the last cli_discover said about its failures (cli_discover_take_notice). */
static char *last_notice;

char *cli_discover_take_notice(void)
{
    char *n = last_notice;
    last_notice = NULL;
    return n;
}

/* SIGINT, SIGTERM, SIGHUP while discovery runs: stop it, then die of the signal. */
static void on_signal(int sig)
{
    interrupted = sig;
}

/* Catch the signals that end esmcfg (not those it was started ignoring, as
 * a background job ignores SIGINT), or with RESTORE put OLD back. */
static void catch_signals(struct sigaction old[3], bool restore)
{
    static const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 3; i++) {
        if (restore) {
            sigaction(sigs[i], &old[i], NULL);
            continue;
        }
        sigaction(sigs[i], NULL, &old[i]);
        if (old[i].sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
}

/* Print the report, one "esmcfg: " line per failure. */
static void print_report(const discovery *d)
{
    char *report = discover_report(d);
    for (char *line = report; line;) {
        char *nl = strchr(line, '\n');
        fprintf(stderr, "esmcfg: %.*s\n", nl ? (int)(nl - line) : (int)strlen(line), line);
        line = nl ? nl + 1 : NULL;
    }
    free(report);
}

int cli_discover(const cli_args *a, inventory *inv)
{
    cli_progress cp = {.tty = isatty(STDERR_FILENO) == 1, .last_ms = now_ms()};
    discover_opts o = {
        .profile = a->profile, .region = a->region, .on_progress = on_cli_progress, .ud = &cp};
    char *err = NULL;
    discovery *d = discover_start(&o, &err);
    if (!d) {
        fprintf(stderr, "esmcfg: %s\n", err);
        free(last_notice);
        last_notice = err;
        return CLI_EXIT_IO;
    }
    struct sigaction old[3];
    interrupted = 0;
    catch_signals(old, false);
    while (!interrupted && discover_step(d, 250) > 0)
        ;
    if (interrupted)
        discover_cancel(d);
    catch_signals(old, true);
    discover_apply(d, inv);
    discover_progress p;
    discover_progress_get(d, &p);
    show_progress(&cp, &p, true);
    print_report(d);
    free(last_notice);
    last_notice = discover_report(d);
    int rc = discover_failures(d) > 0 ? CLI_EXIT_IO : CLI_EXIT_OK;
    discover_free(d);
    if (interrupted)
        raise(interrupted);
    return rc;
}

int cli_save_inventory(const cli_args *a, const inventory *inv)
{
    char *doc = inventory_to_json(inv);
    char *err = NULL;
    int rc = CLI_EXIT_OK;
    if (export_write_atomic(a->save_inventory, doc, strlen(doc), &err) != 0) {
        fprintf(stderr, "esmcfg: --save-inventory: %s\n", err ? err : a->save_inventory);
        rc = CLI_EXIT_IO;
    }
    free(err);
    free(doc);
    return rc;
}
