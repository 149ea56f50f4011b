/* Every input a fuzzer once crashed on, replayed through the very code the
 * fuzz target runs: each tests/fuzz/fuzz_NAME.c is compiled in here with
 * its entry point renamed, and one test per target feeds it
 * tests/fixtures/crashes/NAME-* (the crash fixtures) and the target's
 * committed corpus. A target aborts on a broken invariant; the sanitizers
 * and valgrind catch the rest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>

#include "model/util.h"

#define LLVMFuzzerTestOneInput fuzz_values_one
#include "../fuzz/fuzz_values.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_inventory_one
#include "../fuzz/fuzz_inventory.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_yaml_one
#include "../fuzz/fuzz_yaml.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_load_one
#include "../fuzz/fuzz_load.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_draft_one
#include "../fuzz/fuzz_draft.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_merge_one
#include "../fuzz/fuzz_merge.c"
#undef LLVMFuzzerTestOneInput

/* The corpus folder, beside the fixtures. */
#define CORPUS FIXTURES "/../fuzz/corpus"
/* The fuzzers' -max_len: no input is larger. */
#define INPUT_MAX (1 << 20)

typedef int (*fuzz_fn)(const uint8_t *, size_t);

/* Run FN on every file in DIR whose name starts with PREFIX ("" for all);
 * returns how many. */
static size_t replay_dir(const char *dir, const char *prefix, fuzz_fn fn)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.' || strncmp(e->d_name, prefix, strlen(prefix)) != 0)
            continue;
        char *path = xasprintf("%s/%s", dir, e->d_name);
        size_t len = 0;
        char *err = NULL;
        char *text = file_read_all(path, INPUT_MAX, &len, &err);
        if (!text)
            fail_msg("%s", err);
        /* An exact-size copy, so that reading past the end is caught. */
        uint8_t *data = xmalloc(len ? len : 1);
        memcpy(data, text, len);
        fn(data, len);
        free(data);
        free(text);
        free(path);
        n++;
    }
    closedir(d);
    return n;
}

/* The crash fixtures NAME-* and the corpus of fuzz_NAME. */
static void replay(const char *name, fuzz_fn fn)
{
    char *prefix = xasprintf("%s-", name);
    char *corpus = xasprintf("%s/fuzz_%s", CORPUS, name);
    size_t crashes = replay_dir(FIXTURES "/crashes", prefix, fn);
    size_t inputs = replay_dir(corpus, "", fn);
    printf("fuzz_%s: %zu crash fixtures, %zu corpus inputs\n", name, crashes, inputs);
    assert_true(crashes + inputs > 0);
    free(prefix);
    free(corpus);
}

static void values(void **state)
{
    (void)state;
    replay("values", fuzz_values_one);
}

static void inventory_any(void **state)
{
    (void)state;
    replay("inventory", fuzz_inventory_one);
}

static void yaml(void **state)
{
    (void)state;
    replay("yaml", fuzz_yaml_one);
}

static void load(void **state)
{
    (void)state;
    replay("load", fuzz_load_one);
}

static void draft(void **state)
{
    (void)state;
    replay("draft", fuzz_draft_one);
}

static void merge_into(void **state)
{
    (void)state;
    replay("merge", fuzz_merge_one);
    mapping_free(the_mapping()); /* the target keeps one for every input */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(values), cmocka_unit_test(inventory_any), cmocka_unit_test(yaml),
        cmocka_unit_test(load),   cmocka_unit_test(draft),         cmocka_unit_test(merge_into),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
