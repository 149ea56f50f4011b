/* One AWS CLI call, waited for (see awsrun.h). The child is set up as
 * discovery's calls are: fork + execve from an argv array, setsid, stdin
 * from /dev/null, stdout and stderr on pipes, every other descriptor
 * closed, signals back to their defaults. */
#include "cli/awsrun.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "model/util.h"

extern char **environ;

enum {
    DEFAULT_TIMEOUT_S = 60, /* create and update answer in seconds; a hung credential
                               process must not hold the terminal */
    MAX_TIMEOUT_S = 3600,
    OUTPUT_MAX = 16 * 1024 * 1024,
    ERROR_LINE_MAX = 1000,
    CHILD_CLOSE_MAX = 1024,
    MAX_ARGS = 64,
};

/* Milliseconds on the monotonic clock. */
long awsrun_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The first regular, executable "aws" in a PATH folder (empty entries,
 * the current folder, skipped), or NULL. */
char *awsrun_find_aws(void)
{
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path;;) {
        size_t n = strcspn(p, ":");
        if (n > 0) {
            char *file = xasprintf("%.*s/aws", (int)n, p);
            struct stat st;
            if (stat(file, &st) == 0 && S_ISREG(st.st_mode) && access(file, X_OK) == 0)
                return file;
            free(file);
        }
        if (!p[n])
            return NULL;
        p += n + 1;
    }
}

/* Whether environment entry E sets NAME. */
static bool env_is(const char *e, const char *name)
{
    size_t n = strlen(name);
    return strncmp(e, name, n) == 0 && e[n] == '=';
}

/* Our environment with aws's pager and auto-prompt off. */
char **awsrun_env(void)
{
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = xcalloc(n + 3, sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!env_is(environ[i], "AWS_PAGER") && !env_is(environ[i], "AWS_CLI_AUTO_PROMPT"))
            env[k++] = xstrdup(environ[i]);
    env[k++] = xstrdup("AWS_PAGER=");
    env[k++] = xstrdup("AWS_CLI_AUTO_PROMPT=off");
    return env;
}

void awsrun_strv_free(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

int awsrun_timeout(const awsrun_opts *o)
{
    if (o && o->timeout_s > 0)
        return o->timeout_s < MAX_TIMEOUT_S ? o->timeout_s : MAX_TIMEOUT_S;
    const char *s = getenv("ESMCFG_AWS_TIMEOUT");
    char *end = NULL;
    long v = s ? strtol(s, &end, 10) : 0;
    if (s && end != s && *end == '\0' && v > 0 && v <= MAX_TIMEOUT_S)
        return (int)v;
    return DEFAULT_TIMEOUT_S;
}

/* "aws", ARGS, then --profile/--region when set. */
static char **build_argv(const awsrun_opts *o, const char *const *args)
{
    char **v = xcalloc(MAX_ARGS + 6, sizeof *v);
    size_t n = 0;
    v[n++] = xstrdup("aws");
    for (size_t i = 0; args[i] && i < MAX_ARGS; i++)
        v[n++] = xstrdup(args[i]);
    if (o && o->profile) {
        v[n++] = xstrdup("--profile");
        v[n++] = xstrdup(o->profile);
    }
    if (o && o->region) {
        v[n++] = xstrdup("--region");
        v[n++] = xstrdup(o->region);
    }
    return v;
}

/* In the child: close every descriptor from LOW up. */
static void close_from(int low)
{
#ifdef SYS_close_range
    if (syscall(SYS_close_range, (unsigned)low, ~0U, 0) == 0)
        return;
#endif
    for (int fd = low; fd < CHILD_CLOSE_MAX; fd++)
        close(fd);
}

/* In the child (async-signal-safe calls only): own session, stdin from
 * /dev/null, the pipes, default signals, then aws. */
void awsrun_child_exec(const char *path, char *const argv[], char *const envp[], int out, int err)
{
    static const int sigs[] = {SIGPIPE, SIGINT,  SIGQUIT, SIGTERM, SIGHUP,
                               SIGCHLD, SIGTSTP, SIGTTIN, SIGTTOU, SIGWINCH};
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    setsid();
    int null = open("/dev/null", O_RDONLY);
    if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
        _exit(126);
    close_from(3);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &dfl, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execve(path, argv, envp);
    static const char msg[] = "cannot execute the aws CLI\n";
    ssize_t w = write(2, msg, sizeof msg - 1);
    (void)w;
    _exit(127);
}

/* A pipe whose ends close on exec, the read end non-blocking. */
static int make_pipe(int p[2])
{
    if (pipe(p) != 0)
        return -1;
    fcntl(p[0], F_SETFD, FD_CLOEXEC);
    fcntl(p[1], F_SETFD, FD_CLOEXEC);
    fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
    return 0;
}

/* Read what FD has into B; close it at end of file (sets *FD to -1). */
static void drain(int *fd, strbuf *b)
{
    char buf[8192];
    for (;;) {
        ssize_t r = read(*fd, buf, sizeof buf);
        if (r > 0) {
            if (b->len < OUTPUT_MAX)
                sb_addn(b, buf, (size_t)r);
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        close(*fd);
        *fd = -1;
        return;
    }
}

/* Wait for PID's exit; -1 status when it did not exit normally. */
static int reap(pid_t pid)
{
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int awsrun_run(const awsrun_opts *o, const char *const *args, awsrun_result *r, char **err)
{
    memset(r, 0, sizeof *r);
    r->status = -1;
    char *aws = awsrun_find_aws();
    if (!aws) {
        *err = xstrdup("aws CLI not found on PATH: install it, or run the exported JSON with aws "
                       "yourself");
        return -1;
    }
    int po[2], pe[2];
    if (make_pipe(po) < 0) {
        *err = xasprintf("cannot run aws: %s", strerror(errno));
        free(aws);
        return -1;
    }
    if (make_pipe(pe) < 0) {
        *err = xasprintf("cannot run aws: %s", strerror(errno));
        close(po[0]);
        close(po[1]);
        free(aws);
        return -1;
    }
    char **argv = build_argv(o, args), **envp = awsrun_env();
    pid_t pid = fork();
    if (pid == 0)
        awsrun_child_exec(aws, argv, envp, po[1], pe[1]);
    int fork_errno = errno;
    close(po[1]);
    close(pe[1]);
    awsrun_strv_free(argv);
    awsrun_strv_free(envp);
    free(aws);
    if (pid < 0) {
        close(po[0]);
        close(pe[0]);
        *err = xasprintf("cannot run aws: %s", strerror(fork_errno));
        return -1;
    }
    int timeout = awsrun_timeout(o);
    long deadline = awsrun_now_ms() + (long)timeout * 1000;
    int fds[2] = {po[0], pe[0]};
    strbuf bufs[2] = {{0}, {0}};
    while (fds[0] >= 0 || fds[1] >= 0) {
        long left = deadline - awsrun_now_ms();
        if (left <= 0) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            r->timed_out = true;
            break;
        }
        struct pollfd p[2];
        nfds_t n = 0;
        for (int w = 0; w < 2; w++)
            if (fds[w] >= 0)
                p[n++] = (struct pollfd){.fd = fds[w], .events = POLLIN};
        if (poll(p, n, (int)(left < 1000 ? left : 1000)) < 0 && errno != EINTR)
            break;
        for (int w = 0; w < 2; w++)
            if (fds[w] >= 0)
                drain(&fds[w], &bufs[w]);
    }
    for (int w = 0; w < 2; w++)
        if (fds[w] >= 0)
            close(fds[w]);
    int status = reap(pid);
    if (!r->timed_out)
        kill(-pid, SIGKILL); /* a helper it left behind in its session */
    r->status = r->timed_out ? -1 : status;
    r->out_len = bufs[0].len;
    r->out = sb_take(&bufs[0]);
    r->err_len = bufs[1].len;
    r->err = sb_take(&bufs[1]);
    return 0;
}

void awsrun_result_free(awsrun_result *r)
{
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof *r);
}

char *awsrun_failure(const awsrun_result *r, int timeout_s)
{
    if (r->timed_out)
        return xasprintf("timed out after %d s", timeout_s);
    size_t len = r->err ? r->err_len : 0;
    while (len > 0 && strchr(" \t\r\n", r->err[len - 1]))
        len--;
    size_t start = len;
    while (start > 0 && r->err[start - 1] != '\n')
        start--;
    if (len > start) {
        size_t n = len - start;
        char *line = xstrndup(r->err + start, n > ERROR_LINE_MAX ? ERROR_LINE_MAX : n);
        char *shown = str_escape_display(line);
        free(line);
        return shown;
    }
    if (r->status < 0)
        return xstrdup("aws was ended by a signal");
    return xasprintf("aws exited with status %d and no message", r->status);
}
