/* Bad inventory input: truncated JSON (every prefix of real output), wrong
 * types, a 200 MB file, deep nesting, control characters and invalid
 * UTF-8, duplicates, unreadable paths. Each is refused with a message that
 * names the file and where, nothing is half-loaded, nothing crashes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <dirent.h>

#include "export/template_inventory.h"
#include "model/util.h"

/* TEXT (LEN bytes) is refused with a message starting "x.json" and
 * containing WANT; INV keeps what it had. */
static void refused_n(inventory *inv, const char *text, size_t len, const char *want)
{
    size_t before = inv->n, sources = inv->n_sources;
    char *err = NULL;
    if (inventory_load_any(inv, text, len, "x.json", &err) != INV_LOAD_INVALID)
        fail_msg("accepted: %.*s", (int)(len < 200 ? len : 200), text);
    if (!err || strncmp(err, "x.json", 6) != 0 || (want && !strstr(err, want)))
        fail_msg("message \"%s\" lacks \"%s\"", err ? err : "(none)", want ? want : "x.json");
    assert_int_equal(inv->n, before);
    assert_int_equal(inv->n_sources, sources);
    free(err);
}

/* The same for a NUL-terminated TEXT on an empty inventory. */
static void refused(const char *text, const char *want)
{
    inventory inv;
    inventory_init(&inv);
    refused_n(&inv, text, strlen(text), want);
    inventory_free(&inv);
}

/* The fixture NAME's bytes. Caller frees. */
static char *fixture(const char *name, size_t *len)
{
    char path[512], *err = NULL;
    snprintf(path, sizeof path, "%s/inventory/%s", FIXTURES, name);
    char *text = file_read_all(path, 1 << 20, len, &err);
    if (!text)
        fail_msg("%s", err);
    return text;
}

/* Every prefix of real output is refused (or, cut after its end, taken). */
static void truncated(void **state)
{
    (void)state;
    const char *names[] = {"describe-table.json", "list-functions.json", "template.json"};
    for (size_t f = 0; f < sizeof names / sizeof names[0]; f++) {
        size_t len;
        char *text = fixture(names[f], &len);
        while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
            len--;
        inventory inv;
        inventory_init(&inv);
        for (size_t cut = 0; cut < len; cut++)
            refused_n(&inv, text, cut, NULL);
        refused_n(&inv, text, len - len / 2, "not valid JSON (line ");
        inventory_free(&inv);
        free(text);
    }
    refused("{\"esmcfg_inventory\": 1, \"tables\": [{\"arn\": \"arn:aws:dyn",
            "x.json: not valid JSON (line 1): a string is not closed (truncated?)");
    refused("{\"TableNames\": [\"orders\",\n\"sessions\"\n",
            "(line 3): expected ',' or ']', found the end");
}

/* Wrong JSON syntax and wrong types. */
static void wrong_types(void **state)
{
    (void)state;
    refused("{\"TableNames\": [\"orders\" \"x\"]}", "expected ',' or ']', found '\"'");
    refused("{\"Other\": 01, \"TableNames\": []}", "(line 1): expected ',' or '}', found '1'");
    refused("{\"TableNames\": [01]}", "TableNames[0]: must be a string");
    refused("{\"TableNames\": [\"orders\"]} {}", "more after the end of the document");
    refused("{\"TableNames\": [\"a\\q\"]}", "a malformed escape in a string");
    refused("{\"Other\": [tru], \"TableNames\": []}", "(line 1): expected a value");
    refused("{\"esmcfg_inventory\": \"1\"}", "schema version esmcfg does not know");
    refused("{\"esmcfg_inventory\": 1, \"tables\": [{\"arn\": [\"x\"]}]}",
            "x.json: tables[0].arn: must be a string");
    refused("{\"esmcfg_inventory\": 1, \"tables\": [7]}", "x.json: tables[0]: must be an object");
    refused("{\"esmcfg_inventory\": 1, \"functions\": [{\"name\": \"f\", \"role\": 1}]}",
            "functions[0].role: must be a string");
    refused("{\"esmcfg_inventory\": 1, \"tables\": [{\"arn\": "
            "\"arn:aws:dynamodb:us-east-1:123456789012:table/orders\", \"stream_view_type\": "
            "\"EVERYTHING\"}]}",
            "tables[0].stream_view_type: EVERYTHING is not a stream view type");
    refused("{\"esmcfg_inventory\": 1, \"tables\": [], \"tables\": []}",
            "\"tables\" is given twice");
    refused("{\"esmcfg_inventory\": 1, \"queues\": [{\"arn\": \"a\", \"arn\": \"b\"}]}",
            "queues[0].arn: is given twice");
    refused("", "x.json: is empty: " INV_NOT_AN_INVENTORY);
    refused("  \n\t ", "is empty");
}

/* A file over the limit is refused before it is read. */
static void huge_file(void **state)
{
    (void)state;
    char path[] = "/tmp/esmcfg-inv-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)200 * 1024 * 1024), 0); /* sparse: no disk used */
    close(fd);
    inventory inv;
    inventory_init(&inv);
    char *err = NULL;
    assert_int_equal(inventory_load_path(&inv, path, &err), INV_LOAD_INVALID);
    assert_non_null(strstr(err, "200 MB is more than the 128 MB an inventory file may be"));
    assert_int_equal(strncmp(err, path, strlen(path)), 0);
    free(err);
    unlink(path);
    inventory_free(&inv);
}

/* Unreadable paths are I/O errors; a pipe is read like a file. */
static void paths(void **state)
{
    (void)state;
    inventory inv;
    inventory_init(&inv);
    char *err = NULL;
    assert_int_equal(inventory_load_path(&inv, "/nonexistent/inv.json", &err), INV_LOAD_IO);
    assert_string_equal(err, "/nonexistent/inv.json: No such file or directory");
    free(err);
    assert_int_equal(inventory_load_path(&inv, "/tmp", &err), INV_LOAD_IO);
    assert_string_equal(err, "/tmp: Is a directory");
    free(err);
    int p[2];
    assert_int_equal(pipe(p), 0);
    const char *text = "{\"TableNames\": [\"orders\"]}";
    assert_int_equal(write(p[1], text, strlen(text)), (ssize_t)strlen(text));
    close(p[1]);
    char path[64];
    snprintf(path, sizeof path, "/dev/fd/%d", p[0]);
    if (inventory_load_path(&inv, path, &err) != INV_LOAD_OK)
        fail_msg("%s", err);
    close(p[0]);
    assert_int_equal(inv.n, 1);
    inventory_free(&inv);
}

/* Deep nesting is refused at a bounded depth, without recursion trouble. */
static void deep_nesting(void **state)
{
    (void)state;
    size_t n = 200000;
    char *text = xmalloc(n + 64);
    strcpy(text, "{\"TableNames\": ");
    size_t at = strlen(text);
    memset(text + at, '[', n);
    text[at + n] = '\0';
    refused(text, "nested deeper than 100 levels");
    strcpy(text, "[{\"Extra\": ");
    at = strlen(text);
    memset(text + at, '[', n);
    text[at + n] = '\0';
    refused(text, "nested deeper than 100 levels");
    strcpy(text, "{\"Resources\": {\"A\": {\"Type\": \"AWS::SQS::Queue\", \"Properties\": ");
    at = strlen(text);
    memset(text + at, '[', 150);
    text[at + 150] = '\0';
    refused(text, "nested deeper than 100 levels");
    free(text);
}

/* Names with control characters are refused and shown escaped; invalid
 * UTF-8 is refused; free text (a runtime) is kept and shown escaped. */
static void control_characters(void **state)
{
    (void)state;
    inventory inv;
    inventory_init(&inv);
    refused("{\"TableNames\": [\"ord\\u001b[2Jers\"]}", "TableNames[0]: ord\\x1b[2Jers is not");
    char *err = NULL;
    const char *esc = "{\"TableNames\": [\"ord\\u001b[2Jers\"]}";
    inventory_load_any(&inv, esc, strlen(esc), "x.json", &err);
    assert_null(strchr(err, '\x1b'));
    free(err);
    refused("{\"TableNames\": [\"caf\xc3\x28\"]}", "invalid UTF-8 in a string");
    refused("{\"TableNames\": [\"a\xff\"]}", "(line 1): invalid UTF-8");
    refused("{\"TableNames\": [\"a\\u0000b\"]}", "a string holds a NUL character");
    refused("{\"TableNames\": [\"a\\ud800\"]}", "a malformed escape");
    refused("{\"TableNames\": [\"tab\there\"]}", "a control character inside a string");
    const char *fn = "{\"Functions\": [{\"FunctionArn\": "
                     "\"arn:aws:lambda:us-east-1:123456789012:function:f\", \"Runtime\": "
                     "\"py\\u001b]0;pwned\\u0007 \\u00e9\\ud83d\\ude00\"}]}";
    if (inventory_load_any(&inv, fn, strlen(fn), "x.json", &err) != 0)
        fail_msg("%s", err);
    assert_string_equal(inv.items[0].runtime, "py\x1b]0;pwned\x07 \xc3\xa9\xf0\x9f\x98\x80");
    char *shown = str_escape_display(inv.items[0].runtime);
    assert_string_equal(shown, "py\\x1b]0;pwned\\x07 \xc3\xa9\xf0\x9f\x98\x80");
    free(shown);
    const char *tpl = "Resources:\n  A\x1b:\n    Type: AWS::SQS::Queue\n";
    refused_n(&inv, tpl, strlen(tpl), "x.json:");
    inventory_free(&inv);
}

/* The same resource twice in one file is an error naming both places;
 * the same resource from two files is kept once. */
static void duplicates(void **state)
{
    (void)state;
    const char *fn = "\"FunctionArn\": \"arn:aws:lambda:us-east-1:123456789012:function:f\"";
    char *text = xasprintf("{\"Functions\": [{%s}, {\"FunctionArn\": "
                           "\"arn:aws:lambda:us-east-1:123456789012:function:g\"}, {%s}]}",
                           fn, fn);
    refused(text, "x.json: Functions[2]: function arn:aws:lambda:us-east-1:123456789012:function:f "
                  "is listed twice (also Functions[0])");
    free(text);
    refused("{\"esmcfg_inventory\": 1, \"buckets\": [{\"name\": \"abc\"}, {\"arn\": "
            "\"arn:aws:s3:::abc\"}]}",
            "buckets[1]: bucket arn:aws:s3:::abc is listed twice (also buckets[0])");
    refused("[{\"Table\": {\"TableName\": \"abc\", \"TableArn\": "
            "\"arn:aws:dynamodb:us-east-1:123456789012:table/abc\"}}, {\"Table\": {\"TableName\": "
            "\"abc\", \"TableArn\": \"arn:aws:dynamodb:us-east-1:123456789012:table/abc\"}}]",
            "x.json: [1]: table arn:aws:dynamodb:us-east-1:123456789012:table/abc is listed twice "
            "(also [0])");
    inventory inv;
    inventory_init(&inv);
    char *err = NULL;
    const char *one = "{\"Topics\": [{\"TopicArn\": \"arn:aws:sns:us-east-1:123456789012:t\"}]}";
    assert_int_equal(inventory_load_any(&inv, one, strlen(one), "a.json", &err), 0);
    assert_int_equal(inventory_load_any(&inv, one, strlen(one), "b.json", &err), 0);
    assert_int_equal(inv.n, 1);
    assert_string_equal(inv.items[0].source, "b.json");
    inventory_free(&inv);
}

/* A file whose last entry is bad adds none of the good ones before it. */
static void nothing_half_loaded(void **state)
{
    (void)state;
    inventory inv;
    inventory_init(&inv);
    const char *good = "{\"TableNames\": [\"kept\"]}";
    char *err = NULL;
    assert_int_equal(inventory_load_any(&inv, good, strlen(good), "good.json", &err), 0);
    const char *bad_last = "{\"TableNames\": [\"one\", \"two\", \"three\", \"x\"]}";
    refused_n(&inv, bad_last, strlen(bad_last), "TableNames[3]: x is not a table name");
    const char *bad_tpl = "Resources:\n  A:\n    Type: AWS::SQS::Queue\n  B:\n    Type: 5\n";
    refused_n(&inv, bad_tpl, strlen(bad_tpl), "x.json:4: Resources.B.Type: must be a string");
    assert_int_equal(inv.n, 1);
    assert_string_equal(inv.items[0].name, "kept");
    inventory_free(&inv);
}

/* Every input a fuzzer once crashed on loads or fails cleanly now. */
static void fuzz_crashes(void **state)
{
    (void)state;
    DIR *dir = opendir(FIXTURES "/crashes");
    assert_non_null(dir);
    size_t seen = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        if (strncmp(e->d_name, "inventory-", 10) != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/crashes/%s", FIXTURES, e->d_name);
        size_t len;
        char *err = NULL;
        char *text = file_read_all(path, 1 << 20, &len, &err);
        assert_non_null(text);
        inventory inv;
        inventory_init(&inv);
        if (inventory_load_any(&inv, text, len, path, &err) < 0) {
            assert_non_null(err);
            assert_int_equal(inv.n, 0);
        }
        free(err);
        inventory_free(&inv);
        free(text);
        seen++;
    }
    closedir(dir);
    assert_true(seen > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(truncated),    cmocka_unit_test(wrong_types),
        cmocka_unit_test(huge_file),    cmocka_unit_test(paths),
        cmocka_unit_test(deep_nesting), cmocka_unit_test(control_characters),
        cmocka_unit_test(duplicates),   cmocka_unit_test(nothing_half_loaded),
        cmocka_unit_test(fuzz_crashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
