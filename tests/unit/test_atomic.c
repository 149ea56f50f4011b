/* export/atomic.c: a file is either the old one or the whole new one, its
 * mode is kept, and failures name the path and leave nothing behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "export/export.h"
#include "model/util.h"

/* A fresh temporary folder per test. */
static int make_dir(void **state)
{
    char tmpl[] = "/tmp/esmcfg-atomic-XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    *state = xstrdup(dir);
    return 0;
}

/* Remove the folder and whatever is left in it. */
static int remove_dir(void **state)
{
    char *dir = *state;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *p = xasprintf("%s/%s", dir, e->d_name);
        if (unlink(p) < 0)
            rmdir(p);
        free(p);
    }
    if (d)
        closedir(d);
    rmdir(dir);
    free(dir);
    return 0;
}

/* How many entries DIR holds (besides . and ..). */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* The contents of PATH; fails the test when unreadable. */
static char *slurp(const char *path)
{
    char *err = NULL;
    size_t len;
    char *s = file_read_all(path, 1 << 20, &len, &err);
    if (!s)
        fail_msg("%s", err);
    return s;
}

/* A new file gets the data and the mode open(2) would give it. */
static void test_new_file(void **state)
{
    char *path = xasprintf("%s/out.json", (char *)*state);
    char *err = NULL;
    mode_t mask = umask(022);
    assert_int_equal(export_write_atomic(path, "{}\n", 3, &err), 0);
    umask(mask);
    char *s = slurp(path);
    assert_string_equal(s, "{}\n");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0644);
    assert_int_equal(count_entries(*state), 1);
    free(s);
    free(path);
}

/* Overwriting replaces the contents and keeps the old file's mode. */
static void test_overwrite_keeps_mode(void **state)
{
    char *path = xasprintf("%s/out.json", (char *)*state);
    char *err = NULL;
    assert_int_equal(export_write_atomic(path, "old old old\n", 12, &err), 0);
    assert_int_equal(chmod(path, 0600), 0);
    assert_int_equal(export_write_atomic(path, "new\n", 4, &err), 0);
    char *s = slurp(path);
    assert_string_equal(s, "new\n");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(count_entries(*state), 1);
    free(s);
    free(path);
}

/* A symbolic link stays a link; the file it points to gets the data. */
static void test_symlink_kept(void **state)
{
    char *target = xasprintf("%s/real.json", (char *)*state);
    char *link = xasprintf("%s/link.json", (char *)*state);
    char *err = NULL;
    assert_int_equal(export_write_atomic(target, "a\n", 2, &err), 0);
    assert_int_equal(symlink("real.json", link), 0);
    assert_int_equal(export_write_atomic(link, "b\n", 2, &err), 0);
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    char *s = slurp(target);
    assert_string_equal(s, "b\n");
    free(s);
    free(target);
    free(link);
}

/* A folder as the path: an error naming it, and nothing left behind. */
static void test_path_is_directory(void **state)
{
    char *path = xasprintf("%s/sub", (char *)*state);
    assert_int_equal(mkdir(path, 0755), 0);
    char *err = NULL;
    assert_int_equal(export_write_atomic(path, "x", 1, &err), -1);
    char *want = xasprintf("%s: Is a directory", path);
    assert_string_equal(err, want);
    assert_int_equal(count_entries(*state), 1);
    assert_int_equal(count_entries(path), 0);
    free(want);
    free(err);
    free(path);
}

/* A missing folder: an error naming the path. */
static void test_missing_folder(void **state)
{
    char *path = xasprintf("%s/no/such/out.json", (char *)*state);
    char *err = NULL;
    assert_int_equal(export_write_atomic(path, "x", 1, &err), -1);
    char *want = xasprintf("%s: No such file or directory", path);
    assert_string_equal(err, want);
    assert_int_equal(count_entries(*state), 0);
    free(want);
    free(err);
    free(path);
}

/* A folder that takes no new files (/proc even for root): an error, and the
 * old contents of an existing file are untouched on failure. */
static void test_unwritable_folder(void **state)
{
    (void)state;
    char *err = NULL;
    assert_int_equal(export_write_atomic("/proc/esmcfg-out.json", "x", 1, &err), -1);
    assert_non_null(strstr(err, "/proc/esmcfg-out.json: "));
    free(err);
}

/* A read-only folder: refused for anyone but root; the old file survives. */
static void test_read_only_folder(void **state)
{
    char *path = xasprintf("%s/out.json", (char *)*state);
    char *err = NULL;
    assert_int_equal(export_write_atomic(path, "old\n", 4, &err), 0);
    assert_int_equal(chmod(*state, 0555), 0);
    int rc = export_write_atomic(path, "new\n", 4, &err);
    assert_int_equal(chmod(*state, 0755), 0);
    char *s = slurp(path);
    if (geteuid() != 0) {
        assert_int_equal(rc, -1);
        assert_non_null(strstr(err, "Permission denied"));
        assert_string_equal(s, "old\n");
        free(err);
    }
    assert_int_equal(count_entries(*state), 1);
    free(s);
    free(path);
}

/* A device is written in place, never renamed over. */
static void test_device(void **state)
{
    (void)state;
    char *err = NULL;
    assert_int_equal(export_write_atomic("/dev/null", "x", 1, &err), 0);
    struct stat st;
    assert_int_equal(stat("/dev/null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
}

/* A name of 250 bytes still fits: the temporary's name is shortened. */
static void test_long_name(void **state)
{
    char name[251];
    memset(name, 'n', 250);
    name[250] = '\0';
    char *path = xasprintf("%s/%s", (char *)*state, name);
    char *err = NULL;
    if (export_write_atomic(path, "x\n", 2, &err) != 0)
        fail_msg("%s", err);
    char *s = slurp(path);
    assert_string_equal(s, "x\n");
    assert_int_equal(count_entries(*state), 1);
    free(s);
    free(path);
}

/* A name with control characters is shown escaped in the message. */
static void test_message_escaped(void **state)
{
    char *path = xasprintf("%s/no\x1b[2J/out\n.json", (char *)*state);
    char *err = NULL;
    assert_int_equal(export_write_atomic(path, "x", 1, &err), -1);
    assert_null(strchr(err, '\x1b'));
    assert_null(strchr(err, '\n'));
    assert_non_null(strstr(err, "no\\x1b[2J/out\\n.json: No such file or directory"));
    free(err);
    free(path);
}

/* /dev/fd/N is written through descriptor N: its offset and O_APPEND hold
 * (renaming over the file it points to would replace the whole file). */
static void test_own_descriptor(void **state)
{
    char *path = xasprintf("%s/log", (char *)*state);
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "first\n", 6), 6);
    char *name = xasprintf("/dev/fd/%d", fd);
    char *err = NULL;
    assert_int_equal(export_write_atomic(name, "second\n", 7, &err), 0);
    close(fd);
    char *s = slurp(path);
    assert_string_equal(s, "first\nsecond\n");
    assert_int_equal(count_entries(*state), 1);
    /* A descriptor that is not open is an error naming it. */
    assert_int_equal(export_write_atomic("/dev/fd/999", "x", 1, &err), -1);
    assert_string_equal(err, "/dev/fd/999: Bad file descriptor");
    free(err);
    free(s);
    free(name);
    free(path);
}

/* A file one may not write is not replaced, unless one is root. */
static void test_read_only_file(void **state)
{
    char *path = xasprintf("%s/out.json", (char *)*state);
    char *err = NULL;
    assert_int_equal(export_write_atomic(path, "old\n", 4, &err), 0);
    assert_int_equal(chmod(path, 0444), 0);
    int rc = export_write_atomic(path, "new\n", 4, &err);
    char *s = slurp(path);
    if (geteuid() != 0) {
        assert_int_equal(rc, -1);
        assert_non_null(strstr(err, "Permission denied"));
        assert_string_equal(s, "old\n");
        free(err);
    } else {
        assert_int_equal(rc, 0);
        assert_string_equal(s, "new\n");
    }
    assert_int_equal(count_entries(*state), 1);
    free(s);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_file, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_overwrite_keeps_mode, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_symlink_kept, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_path_is_directory, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_missing_folder, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_unwritable_folder, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_read_only_folder, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_device, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_long_name, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_message_escaped, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_own_descriptor, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_read_only_file, make_dir, remove_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
