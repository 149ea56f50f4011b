/* Run a command and record its peak resident memory and wall time.
 *
 *   peakrss OUT_FILE COMMAND [ARG...]
 *
 * Appends one line "maxrss_kb wall_ms status" to OUT_FILE (so that it can
 * run inside a pseudo-terminal whose output is being measured) and exits
 * with the command's exit code. The figure is the kernel's ru_maxrss of the
 * child (wait4), which includes the few hundred kilobytes this small
 * program had before the exec: a bound from above, never below. */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: peakrss OUT_FILE COMMAND [ARG...]\n", stderr);
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        perror("peakrss: fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror("peakrss: exec");
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("peakrss: wait4");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    FILE *f = fopen(argv[1], "a");
    if (!f) {
        perror("peakrss: output");
        return 2;
    }
    fprintf(f, "%ld %.3f %d\n", ru.ru_maxrss, ms, status);
    fclose(f);
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
