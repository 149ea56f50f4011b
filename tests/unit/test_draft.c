/* Drafts: a mapping saved and read back equal (every option type, the
 * context, an update's original), the file 0600 in a 0700 folder under
 * XDG_STATE_HOME or HOME, atomic saves, the async-signal-safe save from a
 * real SIGTERM handler, clearing, and damaged drafts refused with a message
 * that says where. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "export/draft.h"
#include "model/util.h"

#define STREAM "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000"
#define FUNCTION "arn:aws:lambda:us-east-1:123456789012:function:process-orders"
#define QUEUE "arn:aws:sqs:us-east-1:123456789012:orders-dlq"
#define ROLE "arn:aws:iam::123456789012:role/process-orders-role"

static char state_dir[256];

/* Remove DIR and everything in it (two levels are enough here). */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *p = xasprintf("%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(p);
        else
            unlink(p);
        free(p);
    }
    closedir(d);
    rmdir(dir);
}

/* A fresh XDG_STATE_HOME for each test. */
static int setup(void **state)
{
    (void)state;
    snprintf(state_dir, sizeof state_dir, "/tmp/esmcfg-draft-XXXXXX");
    if (!mkdtemp(state_dir))
        return -1;
    setenv("XDG_STATE_HOME", state_dir, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    draft_disarm();
    remove_tree(state_dir);
    return 0;
}

/* Set option ID of M to TEXT, which must be valid. */
static void set(mapping *m, opt_id id, const char *text)
{
    char *err = NULL;
    if (mapping_set(m, id, text, &err) != 0)
        fail_msg("%s: %s", text, err);
}

/* A mapping with every kind of option and context set. */
static mapping *full_mapping(void)
{
    mapping *m = mapping_new();
    set(m, OPT_TABLE, STREAM);
    set(m, OPT_FUNCTION, FUNCTION);
    set(m, OPT_STARTING_POSITION, "TRIM_HORIZON");
    set(m, OPT_BATCH_SIZE, "500");
    set(m, OPT_MAX_BATCHING_WINDOW, "10s");
    set(m, OPT_BISECT_BATCH_ON_ERROR, "true");
    set(m, OPT_RETRY_ATTEMPTS, "-1");
    set(m, OPT_MAX_RECORD_AGE, "2h");
    set(m, OPT_ON_FAILURE, QUEUE);
    set(m, OPT_REPORT_BATCH_ITEM_FAILURES, "true");
    set(m, OPT_PARALLELIZATION_FACTOR, "4");
    set(m, OPT_FILTERS, "{\"eventName\": [\"INSERT\"], \"x\": [\"a,b\"]}");
    set(m, OPT_FILTERS, "{\"dynamodb\": {\"NewImage\": {\"s\": {\"S\": [\"#: !Ref\\n\"]}}}}");
    set(m, OPT_ENABLED, "false");
    set(m, OPT_METRICS, "EventCount");
    set(m, OPT_TAGS, "team=orders");
    set(m, OPT_TAGS, "cost center=a:b=c");
    m->table_name = xstrdup("orders");
    m->function_role = xstrdup(ROLE);
    m->logical_id = xstrdup("OrdersMapping");
    m->destination_ref = xstrdup("OrdersDlq");
    m->destination_kind = ARN_SQS_QUEUE;
    return m;
}

/* Render M and parse it back equal. */
static void round_trip(const mapping *m)
{
    char *text = draft_render(m, 1718000000);
    mapping *back = mapping_new();
    char *err = NULL;
    time_t at = 0;
    if (draft_parse(text, strlen(text), back, &at, &err) != 0)
        fail_msg("%s\n%s", err, text);
    assert_int_equal(at, 1718000000);
    if (!mapping_equal(m, back))
        fail_msg("not equal after a round trip:\n%s", text);
    assert_true(mapping_equal(m, back));
    mapping_free(back);
    free(text);
}

/* Every option type and the context come back equal. */
static void render_parse(void **state)
{
    (void)state;
    mapping *m = mapping_new();
    round_trip(m); /* empty */
    mapping_free(m);

    m = full_mapping();
    round_trip(m);
    /* An emptied list stays set (--metrics none). */
    mapping_unset(m, OPT_METRICS);
    set(m, OPT_METRICS, "");
    assert_true(mapping_is_set(m, OPT_METRICS));
    round_trip(m);
    /* An existing mapping: its UUID and the mapping as loaded. */
    m->uuid = xstrdup("14e0db71-5d35-4eb5-b481-8945cf9d10c2");
    m->original = mapping_clone(m);
    set(m, OPT_BATCH_SIZE, "50");
    round_trip(m);
    mapping_free(m);
}

/* The path: XDG_STATE_HOME when absolute, else ~/.local/state; none without HOME. */
static void paths(void **state)
{
    (void)state;
    char *p = draft_path();
    char *want = xasprintf("%s/esmcfg/draft.json", state_dir);
    assert_string_equal(p, want);
    free(p);
    free(want);

    char *home = xstrdup(getenv("HOME"));
    setenv("XDG_STATE_HOME", "relative/dir", 1);
    setenv("HOME", "/home/someone", 1);
    p = draft_path();
    assert_string_equal(p, "/home/someone/.local/state/esmcfg/draft.json");
    free(p);
    unsetenv("XDG_STATE_HOME");
    unsetenv("HOME");
    assert_null(draft_path());
    mapping *m = mapping_new();
    assert_int_equal(draft_load(m, NULL, NULL), 0); /* no path: no draft */
    char *err = NULL;
    assert_int_equal(draft_save(m, &err), -1);
    assert_non_null(strstr(err, "HOME"));
    free(err);
    mapping_free(m);
    if (home)
        setenv("HOME", home, 1);
    free(home);
    setenv("XDG_STATE_HOME", state_dir, 1);
}

/* Mode of PATH, or -1. */
static int mode_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

/* How many entries DIR holds (besides . and ..). */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d)
        closedir(d);
    return n;
}

/* Save, load, clear: 0600 file in a 0700 folder, nothing else left. */
static void save_load_clear(void **state)
{
    (void)state;
    mode_t old = umask(0);
    mapping *m = full_mapping();
    char *err = NULL;
    mapping *none = mapping_new();
    assert_int_equal(draft_load(none, NULL, &err), 0);
    mapping_free(none);

    assert_int_equal(draft_save(m, &err), 0);
    char *path = draft_path();
    char *dir = xasprintf("%s/esmcfg", state_dir);
    assert_int_equal(mode_of(path), 0600);
    assert_int_equal(mode_of(dir), 0700);
    assert_int_equal(entries(dir), 1);

    /* A second save replaces it; a loose mode is tightened. */
    chmod(path, 0644);
    set(m, OPT_BATCH_SIZE, "600");
    assert_int_equal(draft_save(m, &err), 0);
    assert_int_equal(mode_of(path), 0600);
    assert_int_equal(entries(dir), 1);

    mapping *back = mapping_new();
    time_t at = 0;
    assert_int_equal(draft_load(back, &at, &err), 1);
    assert_true(mapping_equal(m, back));
    assert_true(at > 1700000000);
    mapping_free(back);

    assert_int_equal(draft_clear(&err), 0);
    assert_int_equal(mode_of(path), -1);
    assert_int_equal(draft_clear(&err), 0); /* twice is fine */
    back = mapping_new();
    assert_int_equal(draft_load(back, NULL, &err), 0);
    mapping_free(back);
    /* Cleared also means disarmed: a signal now writes nothing. */
    assert_int_equal(draft_signal_save(), 1);
    assert_int_equal(mode_of(path), -1);

    free(path);
    free(dir);
    mapping_free(m);
    umask(old);
}

/* A failed save (the folder is a file) leaves the old draft and says why. */
static void save_fails(void **state)
{
    (void)state;
    char *dir = xasprintf("%s/esmcfg", state_dir);
    FILE *f = fopen(dir, "w"); /* a file where the folder should be */
    assert_non_null(f);
    fclose(f);
    mapping *m = full_mapping();
    char *err = NULL;
    assert_int_equal(draft_save(m, &err), -1);
    assert_non_null(strstr(err, dir));
    assert_non_null(strstr(err, "Not a directory"));
    free(err);
    err = NULL;
    /* A draft that is a folder cannot be loaded, and says so. */
    unlink(dir);
    char *path = draft_path();
    mkdir(dir, 0700);
    mkdir(path, 0700);
    mapping *back = mapping_new();
    assert_int_equal(draft_load(back, NULL, &err), -1);
    assert_non_null(strstr(err, "draft.json"));
    free(err);
    mapping_free(back);
    rmdir(path);
    free(path);
    free(dir);
    mapping_free(m);
}

static void on_term(int sig)
{
    draft_signal_save();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* A child arms a draft and is killed with SIGTERM: its handler saves it. */
static void signal_save(void **state)
{
    (void)state;
    mapping *m = full_mapping();
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_term;
        sigfillset(&sa.sa_mask);
        sigaction(SIGTERM, &sa, NULL);
        char *err = NULL;
        if (draft_prepare(m, &err) != 0)
            _exit(3);
        (void)write(ready[1], "x", 1);
        for (;;)
            pause();
    }
    char c;
    assert_int_equal(read(ready[0], &c, 1), 1);
    char *path = draft_path();
    assert_int_equal(mode_of(path), -1); /* prepared, not written */
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    assert_int_equal(mode_of(path), 0600);
    mapping *back = mapping_new();
    char *err = NULL;
    assert_int_equal(draft_load(back, NULL, &err), 1);
    assert_true(mapping_equal(m, back));
    char *dir = xasprintf("%s/esmcfg", state_dir);
    assert_int_equal(entries(dir), 1); /* no temporary left */
    free(dir);
    mapping_free(back);
    mapping_free(m);
    free(path);
    close(ready[0]);
    close(ready[1]);
}

/* TEXT is refused with a message containing WANT. */
static void refused(const char *text, const char *want)
{
    mapping *m = mapping_new();
    char *err = NULL;
    if (draft_parse(text, strlen(text), m, NULL, &err) == 0)
        fail_msg("accepted: %s", text);
    if (!strstr(err, want))
        fail_msg("message \"%s\" lacks \"%s\"", err, want);
    assert_null(strchr(err, '\x1b')); /* shown escaped */
    free(err);
    mapping_free(m);
}

/* Damaged or hand-edited drafts never put an unchecked value in a mapping. */
static void damaged(void **state)
{
    (void)state;
    refused("", "not valid JSON");
    refused("{\"esmcfg_draft\": 1", "not valid JSON");
    refused("[1]", "not an esmcfg draft");
    refused("{\"esmcfg_draft\": 2}", "another version");
    refused("{\"esmcfg_draft\": 1, \"options\": {\"batch-size\": \"0\"}}",
            "options.batch-size: 0 is out of range");
    refused("{\"esmcfg_draft\": 1, \"options\": {\"batch-size\": 5}}", "must be a string");
    refused("{\"esmcfg_draft\": 1, \"options\": {\"bogus\": \"1\"}}",
            "options.bogus: is not an option");
    refused("{\"esmcfg_draft\": 1, \"options\": {\"filter\": \"{}\"}}", "must be a list");
    refused("{\"esmcfg_draft\": 1, \"options\": {\"filter\": [\"{\\\"a\\\": [1]}\", 3]}}",
            "filter[1]");
    refused("{\"esmcfg_draft\": 1, \"options\": {\"tag\": [\"a=1\", \"a=2\"]}}", "given twice");
    refused("{\"esmcfg_draft\": 1, \"options\": {\"table\": \"\\u001b[2Jx\"}}", "\\x1b[2Jx");
    refused("{\"esmcfg_draft\": 1, \"context\": {\"function_role\": \"arn:aws:sqs:us-east-1:"
            "123456789012:q\"}}",
            "context.function_role");
    refused("{\"esmcfg_draft\": 1, \"context\": {\"table_name\": \"a\\u001b]0;x\\u0007\"}}",
            "context.table_name: a\\x1b]0;x\\x07 is not");
    refused("{\"esmcfg_draft\": 1, \"context\": {\"logical_id\": \"a-b\"}}", "not a logical ID");
    refused("{\"esmcfg_draft\": 1, \"context\": {\"destination_kind\": \"IAM role\"}}",
            "not a destination kind");
    refused("{\"esmcfg_draft\": 1, \"context\": {\"nope\": \"x\"}}", "not a field");
    refused("{\"esmcfg_draft\": 1, \"original\": []}", "original: must be an object");
    refused("{\"esmcfg_draft\": 1, \"original\": {\"options\": {\"enabled\": \"maybe\"}}}",
            "original.options.enabled");
    /* Deep nesting stops at cJSON's limit instead of recursing without end. */
    size_t depth = 100000;
    char *deep = xmalloc(2 * depth + 64);
    strcpy(deep, "{\"esmcfg_draft\": 1, \"x\": ");
    size_t n = strlen(deep);
    memset(deep + n, '[', depth);
    memset(deep + n + depth, ']', depth);
    strcpy(deep + n + 2 * depth, "}");
    refused(deep, "not valid JSON");
    free(deep);
    /* More filters than AWS takes. */
    strbuf b = {0};
    sb_add(&b, "{\"esmcfg_draft\": 1, \"options\": {\"filter\": [");
    for (int i = 0; i < 200; i++)
        sb_addf(&b, "%s\"{\\\"a\\\": [%d]}\"", i ? "," : "", i);
    sb_add(&b, "]}}");
    char *many = sb_take(&b);
    refused(many, "more than");
    free(many);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(render_parse, setup, teardown),
        cmocka_unit_test_setup_teardown(paths, setup, teardown),
        cmocka_unit_test_setup_teardown(save_load_clear, setup, teardown),
        cmocka_unit_test_setup_teardown(save_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(signal_save, setup, teardown),
        cmocka_unit_test_setup_teardown(damaged, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
