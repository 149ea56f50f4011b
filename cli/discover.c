/* Live discovery through the AWS CLI. Each call is one aws process started
 * with fork + execve from an argv array (no shell: a table named
 * "$(touch x)" is just a word), in a session of its own (so it can never
 * prompt on the terminal, and a timeout kills its whole process group),
 * stdin from /dev/null, stdout and stderr on non-blocking pipes. A few run
 * at once; discover_step polls their pipes. */
#include "cli/discover.h"
#include "cli/awsrun.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>

#include "model/util.h"


enum {
    DEFAULT_TIMEOUT_S = 20,
    MAX_TIMEOUT_S = 3600,
    DEFAULT_JOBS = 4,
    MAX_JOBS = 32,
    STDERR_KEEP = 64 * 1024, /* the end of aws's stderr kept for the message */
    ERROR_LINE_MAX = 1000,   /* longest message taken from aws's stderr */
    REPORT_NAMES = 4,        /* commands named on one report line before "and N more" */
    EXIT_POLL_MS = 10,       /* how often to look for a process that closed its pipes */
};
/* The largest answer read from one call: what the readers take from a file. */
#define OUTPUT_MAX INVENTORY_FILE_MAX

/* The characters of a DynamoDB table name. */
#define TABLE_NAME_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"

typedef enum {
    OP_LIST_TABLES,
    OP_DESCRIBE_TABLE,
    OP_LIST_FUNCTIONS,
    OP_LIST_QUEUES,
    OP_LIST_TOPICS,
    OP_COUNT
} op_id;

/* The aws command of each call and the list its answer holds. */
static const struct {
    const char *service, *operation, *list_key;
} ops[OP_COUNT] = {
    [OP_LIST_TABLES] = {"dynamodb", "list-tables", "TableNames"},
    [OP_DESCRIBE_TABLE] = {"dynamodb", "describe-table", NULL},
    [OP_LIST_FUNCTIONS] = {"lambda", "list-functions", "Functions"},
    [OP_LIST_QUEUES] = {"sqs", "list-queues", "QueueUrls"},
    [OP_LIST_TOPICS] = {"sns", "list-topics", "Topics"},
};

typedef enum {
    CALL_QUEUED,
    CALL_RUNNING,
    CALL_OK,      /* answered; the answer is in out */
    CALL_GONE,    /* describe-table: the table was deleted since list-tables */
    CALL_FAILED,  /* error says why */
    CALL_DROPPED, /* cancelled before it answered */
} call_state;

typedef struct call {
    op_id op;
    char *table; /* describe-table: the table's name */
    call_state state;
    pid_t pid;
    int fd[2];        /* stdout, stderr read ends; -1 once closed */
    strbuf buf[2];    /* what aws wrote there */
    long deadline_ms; /* monotonic */
    char *error;      /* CALL_FAILED: the message, escaped for display */
} call;

struct discovery {
    char *aws; /* aws's path, found on PATH */
    char *profile, *region;
    int timeout_s, jobs;
    discover_progress_fn on_progress;
    void *ud;
    char **envp;
    call **calls; /* each allocated alone: queueing never moves a call */
    size_t n, cap;
    size_t next;         /* calls[next..] are queued */
    call *run[MAX_JOBS]; /* the calls running now */
    size_t running;
    size_t failed; /* calls that failed */
    long counts[OP_COUNT];
    discover_progress shown; /* what on_progress last saw */
    bool applied;
};

/* The per-call timeout: O's, else $ESMCFG_AWS_TIMEOUT (whole seconds), else 20 s. */
static int pick_timeout(const discover_opts *o)
{
    if (o->timeout_s > 0)
        return o->timeout_s < MAX_TIMEOUT_S ? o->timeout_s : MAX_TIMEOUT_S;
    const char *s = getenv("ESMCFG_AWS_TIMEOUT");
    char *end = NULL;
    long v = s ? strtol(s, &end, 10) : 0;
    if (s && end != s && *end == '\0' && v > 0 && v <= MAX_TIMEOUT_S)
        return (int)v;
    return DEFAULT_TIMEOUT_S;
}

/* Queue a call of OP (TABLE for describe-table). */
static void queue_call(discovery *d, op_id op, const char *table)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->calls = xrealloc(d->calls, d->cap * sizeof *d->calls);
    }
    call *c = xcalloc(1, sizeof *c);
    d->calls[d->n++] = c;
    c->op = op;
    c->table = xstrdup(table);
    c->fd[0] = c->fd[1] = -1;
}

/* NAME as a shell word: as it is when it holds only [A-Za-z0-9_.-] (every
 * real table name), else in single quotes, so a message copied into a
 * shell runs nothing. */
static char *shell_word(const char *name)
{
    if (*name && strspn(name, TABLE_NAME_CHARS) == strlen(name))
        return xstrdup(name);
    strbuf b = {0};
    sb_add(&b, "'");
    for (const char *p = name; *p; p++)
        if (*p == '\'')
            sb_add(&b, "'\\''");
        else
            sb_addn(&b, p, 1);
    sb_add(&b, "'");
    return sb_take(&b);
}

/* "aws dynamodb describe-table --table-name NAME", not yet escaped. */
static char *call_command(const call *c)
{
    if (c->op != OP_DESCRIBE_TABLE)
        return xasprintf("aws %s %s", ops[c->op].service, ops[c->op].operation);
    char *word = shell_word(c->table);
    char *s = xasprintf("aws dynamodb describe-table --table-name %s", word);
    free(word);
    return s;
}

/* The command as shown in messages: escaped for display. */
static char *call_display(const call *c)
{
    char *cmd = call_command(c);
    char *shown = str_escape_display(cmd);
    free(cmd);
    return shown;
}

/* aws SERVICE OPERATION [--table-name=NAME] --output json [--profile P]
 * [--region R]. The table name is joined to its flag with '=': a name may
 * begin with '-' ("--region" is a valid table name), and aws would take it
 * for a flag of its own. */
static char **call_argv(const discovery *d, const call *c)
{
    char **v = xcalloc(12, sizeof *v);
    size_t n = 0;
    v[n++] = xstrdup("aws");
    v[n++] = xstrdup(ops[c->op].service);
    v[n++] = xstrdup(ops[c->op].operation);
    if (c->op == OP_DESCRIBE_TABLE)
        v[n++] = xasprintf("--table-name=%s", c->table);
    v[n++] = xstrdup("--output");
    v[n++] = xstrdup("json");
    if (d->profile) {
        v[n++] = xstrdup("--profile");
        v[n++] = xstrdup(d->profile);
    }
    if (d->region) {
        v[n++] = xstrdup("--region");
        v[n++] = xstrdup(d->region);
    }
    return v;
}

/* A pipe whose ends close on exec (so no other aws inherits them) and
 * whose read end does not block. */
static int make_pipe(int p[2])
{
    if (pipe(p) != 0)
        return -1;
    fcntl(p[0], F_SETFD, FD_CLOEXEC);
    fcntl(p[1], F_SETFD, FD_CLOEXEC);
    fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
    return 0;
}

/* Mark C failed with MESSAGE (already escaped for display). */
static void fail_call(discovery *d, call *c, char *message)
{
    d->failed += c->state != CALL_FAILED;
    free(c->error);
    c->error = message;
    c->state = CALL_FAILED;
}

/* C now runs. */
static void run_add(discovery *d, call *c)
{
    d->run[d->running++] = c;
}

/* C no longer runs. */
static void run_remove(discovery *d, call *c)
{
    for (size_t r = 0; r < d->running; r++)
        if (d->run[r] == c) {
            d->run[r] = d->run[--d->running];
            return;
        }
}

/* Start C: two pipes, fork, exec. A failure to start is C's failure. */
static void start_call(discovery *d, call *c)
{
    int out[2] = {-1, -1}, err[2] = {-1, -1};
    if (make_pipe(out) != 0 || make_pipe(err) != 0) {
        fail_call(d, c, xasprintf("cannot start aws: %s", strerror(errno)));
        for (int i = 0; i < 2; i++)
            if (out[i] >= 0)
                close(out[i]);
        return;
    }
    char **argv = call_argv(d, c);
    pid_t pid = fork();
    if (pid == 0)
        awsrun_child_exec(d->aws, argv, d->envp, out[1], err[1]);
    int saved = errno;
    awsrun_strv_free(argv);
    close(out[1]);
    close(err[1]);
    if (pid < 0) {
        close(out[0]);
        close(err[0]);
        fail_call(d, c, xasprintf("cannot start aws: %s", strerror(saved)));
        return;
    }
    c->pid = pid;
    c->fd[0] = out[0];
    c->fd[1] = err[0];
    c->deadline_ms = awsrun_now_ms() + (long)d->timeout_s * 1000;
    c->state = CALL_RUNNING;
    run_add(d, c);
}

/* Start queued calls while fewer than jobs run. */
static void start_queued(discovery *d)
{
    while (d->next < d->n && d->running < (size_t)d->jobs) {
        call *c = d->calls[d->next++];
        start_call(d, c);
        if (c->op == OP_DESCRIBE_TABLE && c->state == CALL_FAILED)
            d->counts[OP_DESCRIBE_TABLE]++;
    }
}

/* Close C's pipes. */
static void close_pipes(call *c)
{
    for (int i = 0; i < 2; i++) {
        if (c->fd[i] >= 0)
            close(c->fd[i]);
        c->fd[i] = -1;
    }
}

/* Kill C's process group (and C, should setsid have failed) and reap it. */
static void kill_call(discovery *d, call *c)
{
    close_pipes(c);
    kill(-c->pid, SIGKILL);
    kill(c->pid, SIGKILL);
    while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    c->pid = 0;
    run_remove(d, c);
}

/* Keep only the end of a long stderr: the message is in its last lines. */
static void trim_stderr(strbuf *b)
{
    if (b->len <= 2 * STDERR_KEEP)
        return;
    memmove(b->s, b->s + b->len - STDERR_KEEP, STDERR_KEEP);
    b->len = STDERR_KEEP;
    b->s[b->len] = '\0';
}

/* Read what waits on C's pipe WHICH; close it at end of file. Returns -1
 * when stdout grew past OUTPUT_MAX. */
static int read_pipe(call *c, int which)
{
    char tmp[65536];
    for (;;) {
        ssize_t r = read(c->fd[which], tmp, sizeof tmp);
        if (r > 0) {
            sb_addn(&c->buf[which], tmp, (size_t)r);
            if (which == 1)
                trim_stderr(&c->buf[1]);
            else if (c->buf[0].len > OUTPUT_MAX)
                return -1;
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return 0;
        close(c->fd[which]);
        c->fd[which] = -1;
        return 0;
    }
}

/* The last non-empty line of TEXT, trimmed, at most ERROR_LINE_MAX bytes,
 * escaped for display; NULL when there is none. */
static char *last_line(const char *text, size_t len)
{
    while (len > 0 && strchr(" \t\r\n", text[len - 1]))
        len--;
    if (len == 0)
        return NULL;
    size_t start = len;
    while (start > 0 && text[start - 1] != '\n')
        start--;
    while (start < len && strchr(" \t\r", text[start]))
        start++;
    size_t n = len - start;
    char *line = xstrndup(text + start, n > ERROR_LINE_MAX ? ERROR_LINE_MAX : n);
    char *shown = str_escape_display(line);
    free(line);
    if (n <= ERROR_LINE_MAX)
        return shown;
    char *cut = xasprintf("%s...", shown);
    free(shown);
    return cut;
}

/* Why a call failed: aws's own last line, else how it ended. */
static char *exit_message(const call *c, int status)
{
    char *line = last_line(c->buf[1].s ? c->buf[1].s : "", c->buf[1].len);
    if (line)
        return line;
    if (WIFSIGNALED(status))
        return xasprintf("aws was ended by signal %d (%s)", WTERMSIG(status),
                         strsignal(WTERMSIG(status)));
    return xasprintf("aws exited with status %d and no message", WEXITSTATUS(status));
}

/* Whether TEXT is empty or only white space (aws prints nothing for an
 * empty answer, e.g. sqs list-queues in an account without queues). */
static bool is_blank(const char *text)
{
    return !text || text[strspn(text, " \t\r\n")] == '\0';
}

/* list-tables answered: queue a describe-table for every name. */
static int take_table_names(discovery *d, call *c, const cJSON *names)
{
    long n = 0;
    for (const cJSON *j = names ? names->child : NULL; j; j = j->next)
        if (!cJSON_IsString(j)) {
            fail_call(d, c, xstrdup("TableNames holds something that is not a name"));
            return -1;
        }
    for (const cJSON *j = names ? names->child : NULL; j; j = j->next, n++)
        queue_call(d, OP_DESCRIBE_TABLE, j->valuestring);
    d->counts[OP_LIST_TABLES] = n;
    return 0;
}

/* Check the answer's shape and count what it lists. */
static void take_answer(discovery *d, call *c)
{
    const char *text = c->buf[0].s;
    cJSON *doc = is_blank(text) ? cJSON_CreateObject() : cJSON_Parse(text);
    const char *key = ops[c->op].list_key;
    const cJSON *list = doc && key ? cJSON_GetObjectItemCaseSensitive(doc, key) : NULL;
    c->state = CALL_OK;
    if (!doc)
        fail_call(d, c, xstrdup("the answer is not valid JSON"));
    else if (!cJSON_IsObject(doc))
        fail_call(d, c, xstrdup("the answer is not a JSON object"));
    else if (c->op == OP_DESCRIBE_TABLE &&
             !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(doc, "Table")))
        fail_call(d, c, xstrdup("the answer has no \"Table\" object"));
    else if (list && !cJSON_IsArray(list))
        fail_call(d, c, xasprintf("\"%s\" in the answer is not a list", key));
    else if (c->op == OP_LIST_TABLES)
        take_table_names(d, c, list);
    else if (key)
        d->counts[c->op] = cJSON_GetArraySize(list);
    cJSON_Delete(doc);
}

/* Whether aws's stderr for C says CODE ("ResourceNotFoundException"). */
static bool error_code_is(const call *c, const char *code)
{
    char *want = xasprintf("An error occurred (%s)", code);
    bool is = c->buf[1].s && strstr(c->buf[1].s, want);
    free(want);
    return is;
}

/* C's process ended with STATUS: take its answer or its error. */
static void finish_call(discovery *d, call *c, int status)
{
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        take_answer(d, c);
    else if (c->op == OP_DESCRIBE_TABLE && error_code_is(c, "ResourceNotFoundException"))
        c->state = CALL_GONE;
    else
        fail_call(d, c, exit_message(c, status));
    if (c->op == OP_DESCRIBE_TABLE)
        d->counts[OP_DESCRIBE_TABLE]++;
    free(c->buf[1].s);
    memset(&c->buf[1], 0, sizeof c->buf[1]);
}

/* C closed both pipes: reap it if it has exited. Returns false while it
 * has not. */
static bool reap_call(discovery *d, call *c)
{
    int status = 0;
    pid_t r;
    while ((r = waitpid(c->pid, &status, WNOHANG)) < 0 && errno == EINTR)
        ;
    if (r == 0)
        return false;
    if (r < 0) /* SIGCHLD ignored elsewhere: judge by what it wrote */
        status = c->buf[1].len ? 1 << 8 : 0;
    c->pid = 0;
    run_remove(d, c);
    finish_call(d, c, status);
    return true;
}

/* A running call out of time: kill its process group. */
static void time_out(discovery *d, call *c)
{
    kill_call(d, c);
    fail_call(d, c, xasprintf("timed out after %d s", d->timeout_s));
    if (c->op == OP_DESCRIBE_TABLE)
        d->counts[OP_DESCRIBE_TABLE]++;
}

/* The time to wait for output: TIMEOUT_MS, less when a deadline comes
 * first or a call that closed its pipes is to be reaped. */
static long poll_wait(const discovery *d, long timeout_ms)
{
    long now = awsrun_now_ms(), wait = timeout_ms;
    for (size_t r = 0; r < d->running; r++) {
        const call *c = d->run[r];
        if (c->deadline_ms - now < wait)
            wait = c->deadline_ms - now;
        if (c->fd[0] < 0 && c->fd[1] < 0 && wait > EXIT_POLL_MS)
            wait = EXIT_POLL_MS;
    }
    return wait > 0 ? wait : 0;
}

/* Wait up to TIMEOUT_MS for output on the running calls, and read it. */
static void poll_running(discovery *d, int timeout_ms)
{
    struct pollfd fds[2 * MAX_JOBS];
    call *owner[2 * MAX_JOBS];
    nfds_t n = 0;
    for (size_t r = 0; r < d->running; r++)
        for (int w = 0; w < 2; w++)
            if (d->run[r]->fd[w] >= 0) {
                fds[n] = (struct pollfd){.fd = d->run[r]->fd[w], .events = POLLIN};
                owner[n++] = d->run[r];
            }
    if (poll(fds, n, (int)poll_wait(d, timeout_ms)) <= 0)
        return;
    for (nfds_t k = 0; k < n; k++) {
        call *c = owner[k];
        if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR)) || c->state != CALL_RUNNING)
            continue;
        if (read_pipe(c, fds[k].fd == c->fd[0] ? 0 : 1) < 0) {
            kill_call(d, c);
            fail_call(d, c, xasprintf("the answer is larger than %zu MB", OUTPUT_MAX >> 20));
        }
    }
}

/* Finish the calls whose process ended; time out the late ones. */
static void check_running(discovery *d)
{
    call *run[MAX_JOBS];
    size_t n = d->running;
    memcpy(run, d->run, n * sizeof *run);
    long now = awsrun_now_ms();
    for (size_t r = 0; r < n; r++) {
        call *c = run[r];
        if (c->fd[0] < 0 && c->fd[1] < 0 && reap_call(d, c))
            continue;
        if (now >= c->deadline_ms)
            time_out(d, c);
    }
}

/* Whether two progress snapshots differ. */
static bool progress_differs(const discover_progress *a, const discover_progress *b)
{
    return a->tables_total != b->tables_total || a->tables_done != b->tables_done ||
           a->functions != b->functions || a->queues != b->queues || a->topics != b->topics ||
           a->calls_running != b->calls_running || a->calls_failed != b->calls_failed ||
           a->done != b->done;
}

/* Tell on_progress when something changed. */
static void notify(discovery *d)
{
    discover_progress p;
    discover_progress_get(d, &p);
    if (!progress_differs(&p, &d->shown))
        return;
    d->shown = p;
    if (d->on_progress)
        d->on_progress(&p, d->ud);
}

discovery *discover_start(const discover_opts *o, char **err)
{
    char *aws = awsrun_find_aws();
    if (!aws) {
        *err = xstrdup("aws CLI not found on PATH: install it or use --inventory FILE");
        return NULL;
    }
    discovery *d = xcalloc(1, sizeof *d);
    d->aws = aws;
    d->profile = xstrdup(o->profile);
    d->region = xstrdup(o->region);
    d->timeout_s = pick_timeout(o);
    d->jobs = o->jobs > 0 ? (o->jobs < MAX_JOBS ? o->jobs : MAX_JOBS) : DEFAULT_JOBS;
    d->on_progress = o->on_progress;
    d->ud = o->ud;
    d->envp = awsrun_env();
    for (int k = 0; k < OP_COUNT; k++)
        d->counts[k] = -1;
    d->counts[OP_DESCRIBE_TABLE] = 0;
    d->shown.tables_total = -2; /* so that the first step reports */
    queue_call(d, OP_LIST_TABLES, NULL);
    queue_call(d, OP_LIST_FUNCTIONS, NULL);
    queue_call(d, OP_LIST_QUEUES, NULL);
    queue_call(d, OP_LIST_TOPICS, NULL);
    start_queued(d);
    return d;
}

int discover_step(discovery *d, int timeout_ms)
{
    if (d->running > 0)
        poll_running(d, timeout_ms < 0 ? 0 : timeout_ms);
    check_running(d);
    start_queued(d);
    notify(d);
    return d->running > 0 || d->next < d->n;
}

void discover_progress_get(const discovery *d, discover_progress *p)
{
    memset(p, 0, sizeof *p);
    p->tables_total = d->counts[OP_LIST_TABLES];
    p->tables_done = d->counts[OP_DESCRIBE_TABLE];
    p->functions = d->counts[OP_LIST_FUNCTIONS];
    p->queues = d->counts[OP_LIST_QUEUES];
    p->topics = d->counts[OP_LIST_TOPICS];
    p->calls_running = d->running;
    p->calls_failed = discover_failures(d);
    p->done = d->running == 0 && d->next >= d->n;
}

char *discover_progress_text(const discover_progress *p)
{
    strbuf b = {0};
    if (p->tables_total >= 0)
        sb_addf(&b, "tables %ld/%ld", p->tables_done, p->tables_total);
    const long counts[] = {p->functions, p->queues, p->topics};
    const char *names[] = {"functions", "queues", "topics"};
    for (size_t i = 0; i < 3; i++)
        if (counts[i] >= 0)
            sb_addf(&b, "%s%s %ld", b.len ? ", " : "", names[i], counts[i]);
    if (p->calls_failed > 0)
        sb_addf(&b, "%s%zu call%s failed", b.len ? ", " : "", p->calls_failed,
                p->calls_failed == 1 ? "" : "s");
    if (b.len == 0)
        sb_add(&b, p->done ? "nothing found" : "waiting for aws");
    return sb_take(&b);
}

char *discover_status_text(const discovery *d)
{
    discover_progress p;
    discover_progress_get(d, &p);
    return discover_progress_text(&p);
}

void discover_cancel(discovery *d)
{
    while (d->running > 0) {
        call *c = d->run[0];
        kill_call(d, c);
        c->state = CALL_DROPPED;
    }
    for (; d->next < d->n; d->next++)
        d->calls[d->next]->state = CALL_DROPPED;
}

size_t discover_failures(const discovery *d)
{
    return d->failed;
}

/* A reader's message without the source it starts with (the report names
 * the command itself). */
static char *strip_source(char *msg, const char *source)
{
    char *shown = str_escape_display(source);
    size_t n = strlen(shown);
    if (strncmp(msg, shown, n) == 0 && strncmp(msg + n, ": ", 2) == 0)
        memmove(msg, msg + n + 2, strlen(msg + n + 2) + 1);
    free(shown);
    return msg;
}

/* Load TEXT into INV under SOURCE; on refusal C fails with the reader's message. */
static int load_answer(discovery *d, call *c, inventory *inv, const char *text, const char *source)
{
    char *err = NULL;
    if (inventory_load_aws(inv, text, strlen(text), source, &err) == 0)
        return 0;
    fail_call(d, c, strip_source(err ? err : xstrdup("not readable"), source));
    return -1;
}

/* The answers of every describe-table, as one JSON array. */
static char *describe_array(const discovery *d)
{
    strbuf b = {0};
    sb_add(&b, "[");
    for (size_t i = 0; i < d->n; i++) {
        const call *c = d->calls[i];
        if (c->op != OP_DESCRIBE_TABLE || c->state != CALL_OK)
            continue;
        if (b.len > 1)
            sb_add(&b, ",");
        sb_add(&b, c->buf[0].s);
    }
    sb_add(&b, "]");
    return sb_take(&b);
}

/* Every describe-table answer, at once; when the reader refuses the lot,
 * one by one, so that one odd table costs only itself. */
static void load_tables(discovery *d, inventory *inv)
{
    char *all = describe_array(d);
    char *err = NULL;
    int rc = strcmp(all, "[]") == 0
                 ? 0
                 : inventory_load_aws(inv, all, strlen(all), "aws dynamodb describe-table", &err);
    free(err);
    free(all);
    for (size_t i = 0; rc != 0 && i < d->n; i++) {
        call *c = d->calls[i];
        if (c->op != OP_DESCRIBE_TABLE || c->state != CALL_OK)
            continue;
        char *source = call_command(c);
        load_answer(d, c, inv, c->buf[0].s, source);
        free(source);
    }
}

/* DynamoDB's rule for table names: 3..255 of A-Z a-z 0-9 _ . - (a name
 * breaking it came from a broken aws, and its describe-table failed). */
static bool table_name_ok(const char *name)
{
    size_t n = strlen(name);
    return n >= 3 && n <= 255 && strspn(name, TABLE_NAME_CHARS) == n;
}

/* Tables list-tables named whose describe-table gave nothing: by name only
 * (their stream unknown), so they can still be picked and typed. */
static void load_unknown_tables(discovery *d, inventory *inv)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *names = cJSON_AddArrayToObject(doc, "TableNames");
    call *list = NULL;
    for (size_t i = 0; i < d->n; i++) {
        call *c = d->calls[i];
        if (c->op == OP_LIST_TABLES)
            list = c;
        else if (c->op == OP_DESCRIBE_TABLE && table_name_ok(c->table) &&
                 (c->state == CALL_FAILED || c->state == CALL_DROPPED))
            cJSON_AddItemToArray(names, cJSON_CreateString(c->table));
    }
    if (list && cJSON_GetArraySize(names) > 0) {
        char *text = cJSON_PrintUnformatted(doc);
        load_answer(d, list, inv, text, "aws dynamodb list-tables");
        cJSON_free(text);
    }
    cJSON_Delete(doc);
}

size_t discover_apply(discovery *d, inventory *inv)
{
    size_t before = inv->n;
    if (d->applied)
        return 0;
    d->applied = true;
    for (size_t i = 0; i < d->n; i++) {
        call *c = d->calls[i];
        bool listed = c->op != OP_LIST_TABLES && c->op != OP_DESCRIBE_TABLE;
        if (listed && c->state == CALL_OK && !is_blank(c->buf[0].s)) {
            char *source = call_command(c);
            load_answer(d, c, inv, c->buf[0].s, source);
            free(source);
        }
    }
    load_tables(d, inv);
    load_unknown_tables(d, inv);
    return inv->n - before;
}

/* One report line: the commands of SEQ[AT..] that failed with the message
 * of SEQ[AT] (marking them in USED), then the message. */
static void report_group(const discovery *d, const size_t *seq, size_t at, bool *used, strbuf *b)
{
    const char *msg = d->calls[seq[at]]->error;
    size_t named = 0, more = 0;
    for (size_t k = at; k < d->n; k++) {
        const call *c = d->calls[seq[k]];
        if (used[k] || c->state != CALL_FAILED || strcmp(c->error, msg) != 0)
            continue;
        used[k] = true;
        if (named++ >= REPORT_NAMES) {
            more++;
            continue;
        }
        char *shown = call_display(c);
        sb_addf(b, "%s%s", named > 1 ? ", " : "", shown);
        free(shown);
    }
    if (more)
        sb_addf(b, " and %zu more", more);
    sb_addf(b, ": %s\n", msg);
}

/* The calls' indexes in the order they are reported: tables first. */
static size_t *report_order(const discovery *d)
{
    static const op_id order[OP_COUNT] = {OP_LIST_TABLES, OP_DESCRIBE_TABLE, OP_LIST_FUNCTIONS,
                                          OP_LIST_QUEUES, OP_LIST_TOPICS};
    size_t *seq = xcalloc(d->n, sizeof *seq);
    size_t n = 0;
    for (size_t k = 0; k < OP_COUNT; k++)
        for (size_t i = 0; i < d->n; i++)
            if (d->calls[i]->op == order[k])
                seq[n++] = i;
    return seq;
}

char *discover_report(const discovery *d)
{
    if (discover_failures(d) == 0)
        return NULL;
    strbuf b = {0};
    size_t *seq = report_order(d);
    bool *used = xcalloc(d->n, sizeof *used);
    for (size_t k = 0; k < d->n; k++)
        if (!used[k] && d->calls[seq[k]]->state == CALL_FAILED)
            report_group(d, seq, k, used, &b);
    free(used);
    free(seq);
    if (b.len > 0)
        b.s[--b.len] = '\0'; /* no final newline */
    return sb_take(&b);
}

void discover_free(discovery *d)
{
    if (!d)
        return;
    discover_cancel(d);
    for (size_t i = 0; i < d->n; i++) {
        call *c = d->calls[i];
        free(c->table);
        free(c->buf[0].s);
        free(c->buf[1].s);
        free(c->error);
        free(c);
    }
    free(d->calls);
    awsrun_strv_free(d->envp);
    free(d->aws);
    free(d->profile);
    free(d->region);
    free(d);
}
