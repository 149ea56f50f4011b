/* Running one AWS CLI command and waiting for its answer: argv only (never
 * a shell), aws found on PATH, in a session of its own with stdin from
 * /dev/null (it can never prompt), its pager and auto-prompt off, a
 * timeout that kills its whole process group. For --apply; discovery
 * (cli/discover.c) runs several calls at once with the same rules. */
#ifndef ESMCFG_CLI_AWSRUN_H
#define ESMCFG_CLI_AWSRUN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct awsrun_opts {
    const char *profile; /* --profile, passed only when set */
    const char *region;  /* --region, passed only when set */
    int timeout_s;       /* <= 0: $ESMCFG_AWS_TIMEOUT, else 60 */
} awsrun_opts;

typedef struct awsrun_result {
    int status;     /* aws's exit code; -1 when it was killed, timed out or did not run */
    bool timed_out; /* killed after timeout_s */
    char *out;      /* what it wrote to stdout (NUL-terminated) */
    size_t out_len;
    char *err; /* what it wrote to stderr (NUL-terminated) */
    size_t err_len;
} awsrun_result;

/* Run "aws ARGS... [--profile P] [--region R]" (ARGS NULL-terminated,
 * without "aws") and wait. Returns 0 when it ran (whatever its exit code;
 * see R->status), or -1 with *err when it could not be started ("aws CLI
 * not found on PATH: ..."). R is always safe to free. */
int awsrun_run(const awsrun_opts *o, const char *const *args, awsrun_result *r, char **err);
void awsrun_result_free(awsrun_result *r);

/* Why a call failed, for a message: aws's last line on stderr (escaped
 * for display), else how it ended ("timed out after 60 s"). Caller frees. */
char *awsrun_failure(const awsrun_result *r, int timeout_s);

/* Pieces discovery shares, which runs several calls at once: */
/* Milliseconds on the monotonic clock. */
long awsrun_now_ms(void);
/* The first regular, executable "aws" in a PATH folder (empty entries, the
 * current folder, skipped), or NULL. Caller frees. */
char *awsrun_find_aws(void);
/* Our environment with aws's pager and auto-prompt off (both would wait
 * for a terminal aws does not have). Free with awsrun_strv_free. */
char **awsrun_env(void);
void awsrun_strv_free(char **v);
/* In a forked child (async-signal-safe calls only): a session of its own
 * with no terminal, stdin from /dev/null, OUT and ERR on stdout and stderr,
 * every other descriptor closed, default signals, then execve PATH. Does
 * not return. */
void awsrun_child_exec(const char *path, char *const argv[], char *const envp[], int out, int err);

/* The timeout awsrun_run uses for O. */
int awsrun_timeout(const awsrun_opts *o);

#endif
