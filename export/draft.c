/* Drafts: the mapping being edited, saved atomically in the state folder
 * after each change and from the SIGHUP/SIGTERM handler, read back at the
 * next start. The format and the way the screen uses it are in draft.h. */
#include "export/draft.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/util.h"
#include "model/value.h"

#define DRAFT_VERSION 1
#define VERSION_KEY "esmcfg_draft"
#define SAVED_AT_KEY "saved_at"
#define OPTIONS_KEY "options"
#define CONTEXT_KEY "context"
#define ORIGINAL_KEY "original"
#define DESTINATION_KIND_KEY "destination_kind"
#define DRAFT_FOLDER "esmcfg"
#define DRAFT_FILE "draft.json"
/* Longest context string kept (a role ARN, a logical ID, a table name). */
#define CONTEXT_MAX 2048
/* CloudFormation logical IDs: 1..255 ASCII letters and digits. */
#define LOGICAL_ID_MAX 255

/* ---- the document ---- */

/* A context string member of a mapping: its JSON name and where it is. */
typedef struct ctx_field {
    const char *name;
    size_t offset;
} ctx_field;

static const ctx_field ctx_fields[] = {
    {"table_name", offsetof(mapping, table_name)},
    {"stream_view_type", offsetof(mapping, stream_view_type)},
    {"function_role", offsetof(mapping, function_role)},
    {"logical_id", offsetof(mapping, logical_id)},
    {"table_ref", offsetof(mapping, table_ref)},
    {"function_ref", offsetof(mapping, function_ref)},
    {"role_ref", offsetof(mapping, role_ref)},
    {"destination_ref", offsetof(mapping, destination_ref)},
    {"uuid", offsetof(mapping, uuid)},
};
#define N_CTX_FIELDS (sizeof ctx_fields / sizeof ctx_fields[0])

/* The string member F of M. */
static char **ctx_slot(mapping *m, const ctx_field *f)
{
    return (char **)((char *)m + f->offset);
}

static const char *ctx_get(const mapping *m, const ctx_field *f)
{
    return *(char *const *)((const char *)m + f->offset);
}

/* One list item as the text its option's parser takes back ("KEY=VALUE"). */
static char *item_text(const opt_item *it)
{
    return it->val ? xasprintf("%s=%s", it->key, it->val) : xstrdup(it->key);
}

/* {"options": {...}, "context": {...}} members of M, added to OBJ. */
static void add_mapping(cJSON *obj, const mapping *m)
{
    cJSON *opts = cJSON_AddObjectToObject(obj, OPTIONS_KEY);
    for (int i = 0; i < OPT_COUNT; i++) {
        const opt_def *d = opt_get((opt_id)i);
        const opt_value *v = mapping_get(m, d->id);
        if (!v->set)
            continue;
        if (opt_is_list(d)) {
            cJSON *arr = cJSON_AddArrayToObject(opts, d->name);
            for (size_t j = 0; j < v->n_items; j++) {
                char *t = item_text(&v->items[j]);
                cJSON_AddItemToArray(arr, cJSON_CreateString(t));
                free(t);
            }
        } else {
            char *t = opt_edit_text(d, v);
            cJSON_AddStringToObject(opts, d->name, t);
            free(t);
        }
    }
    cJSON *ctx = cJSON_AddObjectToObject(obj, CONTEXT_KEY);
    for (size_t i = 0; i < N_CTX_FIELDS; i++) {
        const char *s = ctx_get(m, &ctx_fields[i]);
        if (s)
            cJSON_AddStringToObject(ctx, ctx_fields[i].name, s);
    }
    if (m->destination_kind != ARN_OTHER)
        cJSON_AddStringToObject(ctx, DESTINATION_KIND_KEY, arn_kind_name(m->destination_kind));
}

char *draft_render(const mapping *m, time_t saved_at)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, VERSION_KEY, DRAFT_VERSION);
    cJSON_AddNumberToObject(root, SAVED_AT_KEY, (double)saved_at);
    add_mapping(root, m);
    if (m->original)
        add_mapping(cJSON_AddObjectToObject(root, ORIGINAL_KEY), m->original);
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        abort(); /* cJSON fails only without memory */
    char *out = xasprintf("%s\n", text);
    cJSON_free(text);
    return out;
}

/* Set *err to "WHERE: message" (message shown escaped); returns -1. */
static int bad(char **err, const char *where, const char *what, const char *value)
{
    if (value) {
        char *s = str_escape_display(value);
        *err = xasprintf("%s: %s %s", where, s, what);
        free(s);
    } else {
        *err = xasprintf("%s: %s", where, what);
    }
    return -1;
}

/* Whether S is valid UTF-8 without control characters: its display copy
 * only doubles the backslashes (every other escape lengthens it more). */
static bool plain_text(const char *s)
{
    size_t backslashes = 0;
    for (const char *p = s; *p; p++)
        backslashes += *p == '\\';
    char *shown = str_escape_display(s);
    bool plain = strlen(shown) == strlen(s) + backslashes;
    free(shown);
    return plain;
}

/* Whether S is 1..LOGICAL_ID_MAX ASCII letters and digits. */
static bool logical_id_ok(const char *s)
{
    size_t n = strlen(s);
    bool ok = n > 0 && n <= LOGICAL_ID_MAX;
    for (size_t i = 0; ok && i < n; i++)
        ok = isascii((unsigned char)s[i]) && isalnum((unsigned char)s[i]);
    return ok;
}

/* Check context string F's value S; -1 with *err. */
static int check_ctx(const char *where, const ctx_field *f, const char *s, char **err)
{
    char *path = xasprintf("%s.%s", where, f->name);
    int rc = 0;
    if (strlen(s) > CONTEXT_MAX || !plain_text(s)) {
        rc = bad(err, path, "is not a plain string of at most 2048 bytes", s);
    } else if (strcmp(f->name, "function_role") == 0) {
        arn_parts p;
        char *why = NULL;
        if (arn_parse(s, &p, &why) < 0 || p.kind != ARN_IAM_ROLE)
            rc = bad(err, path, "is not an IAM role ARN", s);
        free(why);
    } else if (strstr(f->name, "_ref") || strcmp(f->name, "logical_id") == 0) {
        if (!logical_id_ok(s))
            rc = bad(err, path, "is not a logical ID (1..255 letters and digits)", s);
    }
    free(path);
    return rc;
}

/* The arn_kind named NAME (a destination's), or -1. */
static int kind_named(const char *name)
{
    for (int k = 0; k < ARN_OTHER; k++)
        if (strcmp(arn_kind_name((arn_kind)k), name) == 0)
            return k;
    return -1;
}

/* Read the context object CTX into M. */
static int read_context(const cJSON *ctx, const char *where, mapping *m, char **err)
{
    if (!ctx)
        return 0;
    if (!cJSON_IsObject(ctx))
        return bad(err, where, "must be an object", NULL);
    const cJSON *it;
    cJSON_ArrayForEach(it, ctx)
    {
        char *path = xasprintf("%s.%s", where, it->string);
        int rc = 0;
        if (!cJSON_IsString(it)) {
            rc = bad(err, path, "must be a string", NULL);
        } else if (strcmp(it->string, DESTINATION_KIND_KEY) == 0) {
            int k = kind_named(it->valuestring);
            if (k != ARN_SQS_QUEUE && k != ARN_SNS_TOPIC && k != ARN_S3_BUCKET)
                rc = bad(err, path, "is not a destination kind", it->valuestring);
            else
                m->destination_kind = (arn_kind)k;
        } else {
            const ctx_field *f = NULL;
            for (size_t i = 0; i < N_CTX_FIELDS && !f; i++)
                if (strcmp(ctx_fields[i].name, it->string) == 0)
                    f = &ctx_fields[i];
            if (!f) {
                rc = bad(err, path, "is not a field of a draft", NULL);
            } else if (check_ctx(where, f, it->valuestring, err) == 0) {
                char **slot = ctx_slot(m, f);
                free(*slot);
                *slot = xstrdup(it->valuestring);
            } else {
                rc = -1;
            }
        }
        free(path);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* Set option D on M from TEXT; -1 with *err prefixed with PATH. */
static int set_option(mapping *m, const opt_def *d, const char *path, const char *text, char **err)
{
    char *why = NULL;
    if (mapping_set(m, d->id, text, &why) == 0)
        return 0;
    *err = xasprintf("%s: %s", path, why);
    free(why);
    return -1;
}

/* Read the options object OPTS into M. */
static int read_options(const cJSON *opts, const char *where, mapping *m, char **err)
{
    if (!opts)
        return 0;
    if (!cJSON_IsObject(opts))
        return bad(err, where, "must be an object", NULL);
    const cJSON *it;
    cJSON_ArrayForEach(it, opts)
    {
        char *path = xasprintf("%s.%s", where, it->string);
        const opt_def *d = opt_find(it->string);
        int rc = 0;
        if (!d) {
            rc = bad(err, path, "is not an option", NULL);
        } else if (opt_is_list(d)) {
            if (!cJSON_IsArray(it)) {
                rc = bad(err, path, "must be a list of strings", NULL);
            } else if ((size_t)cJSON_GetArraySize(it) > d->max_items) {
                *err = xasprintf("%s: more than %zu items", path, d->max_items);
                rc = -1;
            } else {
                mapping_unset(m, d->id);
                rc = set_option(m, d, path, "", err); /* set, even when empty */
                const cJSON *x;
                size_t i = 0;
                cJSON_ArrayForEach(x, it)
                {
                    if (rc < 0)
                        break;
                    char *ipath = xasprintf("%s[%zu]", path, i++);
                    if (!cJSON_IsString(x))
                        rc = bad(err, ipath, "must be a string", NULL);
                    else if (!*x->valuestring)
                        rc = bad(err, ipath, "is empty", NULL);
                    else
                        rc = set_option(m, d, ipath, x->valuestring, err);
                    free(ipath);
                }
            }
        } else if (!cJSON_IsString(it)) {
            rc = bad(err, path, "must be a string", NULL);
        } else {
            rc = set_option(m, d, path, it->valuestring, err);
        }
        free(path);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* Read a mapping's options and context from OBJ. */
static int read_mapping(const cJSON *obj, const char *prefix, mapping *m, char **err)
{
    char *opath = *prefix ? xasprintf("%s.%s", prefix, OPTIONS_KEY) : xstrdup(OPTIONS_KEY);
    char *cpath = *prefix ? xasprintf("%s.%s", prefix, CONTEXT_KEY) : xstrdup(CONTEXT_KEY);
    int rc = read_options(cJSON_GetObjectItemCaseSensitive(obj, OPTIONS_KEY), opath, m, err);
    if (rc == 0)
        rc = read_context(cJSON_GetObjectItemCaseSensitive(obj, CONTEXT_KEY), cpath, m, err);
    free(opath);
    free(cpath);
    return rc;
}

int draft_parse(const char *text, size_t len, mapping *m, time_t *saved_at, char **err)
{
    if (saved_at)
        *saved_at = 0;
    if (len > DRAFT_MAX_BYTES)
        return bad(err, "draft", "is larger than 4 MiB", NULL);
    if (memchr(text, '\0', len))
        return bad(err, "draft", "holds a NUL byte", NULL);
    /* cJSON recurses once per nesting level; it stops at CJSON_NESTING_LIMIT. */
    cJSON *root = cJSON_ParseWithLength(text, len);
    if (!root)
        return bad(err, "draft", "is not valid JSON", NULL);
    int rc = 0;
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, VERSION_KEY);
    const cJSON *at = cJSON_GetObjectItemCaseSensitive(root, SAVED_AT_KEY);
    if (!cJSON_IsObject(root) || !cJSON_IsNumber(ver)) {
        rc = bad(err, "draft", "is not an esmcfg draft", NULL);
    } else if (ver->valuedouble != DRAFT_VERSION) {
        rc = bad(err, "draft", "was written by another version of esmcfg", NULL);
    } else {
        if (saved_at && cJSON_IsNumber(at) && at->valuedouble > 0 && at->valuedouble < 1e15)
            *saved_at = (time_t)at->valuedouble;
        rc = read_mapping(root, "", m, err);
        const cJSON *orig = cJSON_GetObjectItemCaseSensitive(root, ORIGINAL_KEY);
        if (rc == 0 && orig) {
            if (!cJSON_IsObject(orig)) {
                rc = bad(err, ORIGINAL_KEY, "must be an object", NULL);
            } else {
                mapping *o = mapping_new();
                rc = read_mapping(orig, ORIGINAL_KEY, o, err);
                mapping_free(m->original);
                m->original = o;
            }
        }
    }
    cJSON_Delete(root);
    return rc;
}

/* ---- paths ---- */

char *draft_path(void)
{
    const char *state = getenv("XDG_STATE_HOME");
    if (state && state[0] == '/')
        return xasprintf("%s/" DRAFT_FOLDER "/" DRAFT_FILE, state);
    const char *home = getenv("HOME");
    if (home && home[0] == '/')
        return xasprintf("%s/.local/state/" DRAFT_FOLDER "/" DRAFT_FILE, home);
    return NULL;
}

/* Set *err to "PATH: reason" for ERRNUM; returns -1. */
static int fail_errno(const char *path, int errnum, char **err)
{
    if (err) {
        char *s = str_escape_display(path);
        *err = xasprintf("%s: %s", s, strerror(errnum));
        free(s);
    }
    return -1;
}

/* Create the folder of PATH and its missing parents, mode 0700. */
static int make_folders(const char *path, char **err)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir)
        *slash = '\0';
    int rc = 0;
    for (char *p = dir + 1; rc == 0; p++) {
        bool end = *p == '\0';
        if (*p != '/' && !end)
            continue;
        *p = '\0';
        struct stat st;
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
            rc = fail_errno(dir, errno, err);
        else if (stat(dir, &st) < 0)
            rc = fail_errno(dir, errno, err);
        else if (!S_ISDIR(st.st_mode))
            rc = fail_errno(dir, ENOTDIR, err);
        if (end)
            break;
        *p = '/';
    }
    free(dir);
    return rc;
}

/* ---- the armed text for the signal handler ---- */

/* What draft_signal_save writes: made whole before it is published. */
typedef struct armed_draft {
    char *text;
    size_t len;
    char *path; /* the draft */
    char *tmp;  /* a fixed temporary beside it, used only by the handler */
} armed_draft;

static armed_draft slots[2];
/* The slot the handler reads: 0, 1, or -1 when disarmed. */
static volatile sig_atomic_t armed = -1;

/* Free slot I's contents. */
static void slot_clear(int i)
{
    free(slots[i].text);
    free(slots[i].path);
    free(slots[i].tmp);
    memset(&slots[i], 0, sizeof slots[i]);
}

/* Publish TEXT (taken) for PATH in the slot the handler does not read. */
static void arm(char *text, const char *path)
{
    int next = armed == 0 ? 1 : 0;
    slot_clear(next);
    slots[next].text = text;
    slots[next].len = strlen(text);
    slots[next].path = xstrdup(path);
    slots[next].tmp = xasprintf("%s.%ld.sig", path, (long)getpid());
    /* Everything above is in memory before the handler can see it. */
    atomic_signal_fence(memory_order_seq_cst);
    armed = next;
    atomic_signal_fence(memory_order_seq_cst);
}

void draft_disarm(void)
{
    armed = -1;
    atomic_signal_fence(memory_order_seq_cst);
    slot_clear(0);
    slot_clear(1);
}

/* Write all LEN bytes; 0, or -1 with errno. Async-signal-safe. */
static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Write DATA to the already open FD, make it 0600 and flush it, then close
 * it and rename TMP over PATH; TMP removed on failure. Async-signal-safe. */
static int finish_file(int fd, const char *tmp, const char *path, const char *data, size_t len)
{
    int rc = write_all(fd, data, len);
    if (rc == 0)
        rc = fchmod(fd, 0600);
    if (rc == 0)
        rc = fsync(fd);
    int errnum = errno;
    if (close(fd) < 0 && rc == 0)
        rc = -1, errnum = errno;
    if (rc == 0 && rename(tmp, path) < 0)
        rc = -1, errnum = errno;
    if (rc < 0)
        unlink(tmp);
    errno = errnum;
    return rc;
}

int draft_signal_save(void)
{
    int saved_errno = errno;
    int i = armed;
    if (i < 0) {
        errno = saved_errno;
        return 1;
    }
    const armed_draft *s = &slots[i];
    int rc = -1;
    int fd = open(s->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0)
        rc = finish_file(fd, s->tmp, s->path, s->text, s->len);
    errno = saved_errno;
    return rc;
}

int draft_prepare(const mapping *m, char **err)
{
    char *path = draft_path();
    if (!path) {
        if (err)
            *err = xstrdup("no draft folder: neither XDG_STATE_HOME nor HOME is set");
        return -1;
    }
    int rc = make_folders(path, err);
    if (rc == 0)
        arm(draft_render(m, time(NULL)), path);
    free(path);
    return rc;
}

/* Flush the folder of PATH (the rename) to disk; errors ignored. */
static void sync_folder(const char *path)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir)
        *slash = '\0';
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

int draft_save(const mapping *m, char **err)
{
    if (draft_prepare(m, err) < 0)
        return -1;
    const armed_draft *s = &slots[armed];
    char *tmp = xasprintf("%s.XXXXXX", s->path);
    int fd = mkstemp(tmp); /* 0600 */
    int rc = -1;
    if (fd < 0) {
        fail_errno(s->path, errno, err);
    } else {
        (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
        rc = finish_file(fd, tmp, s->path, s->text, s->len);
        if (rc < 0)
            fail_errno(s->path, errno, err);
        else
            sync_folder(s->path);
    }
    free(tmp);
    return rc;
}

int draft_load(mapping *m, time_t *saved_at, char **err)
{
    if (saved_at)
        *saved_at = 0;
    char *path = draft_path();
    if (!path)
        return DRAFT_NONE;
    struct stat st;
    if (stat(path, &st) < 0) {
        int rc = errno == ENOENT ? DRAFT_NONE : fail_errno(path, errno, err);
        free(path);
        return rc;
    }
    size_t len = 0;
    char *why = NULL;
    char *text = file_read_all(path, DRAFT_MAX_BYTES, &len, &why);
    int rc;
    if (!text) {
        if (err)
            *err = str_escape_display(why); /* the path comes from the environment */
        free(why);
        rc = DRAFT_UNREADABLE;
    } else if (draft_parse(text, len, m, saved_at, &why) < 0) {
        char *shown = str_escape_display(path);
        if (err)
            *err = xasprintf("%s: %s", shown, why);
        free(shown);
        free(why);
        rc = DRAFT_INVALID;
    } else {
        rc = DRAFT_LOADED;
    }
    free(text);
    free(path);
    return rc;
}

int draft_clear(char **err)
{
    draft_disarm();
    char *path = draft_path();
    if (!path)
        return 0;
    int rc = 0;
    if (unlink(path) < 0 && errno != ENOENT)
        rc = fail_errno(path, errno, err);
    free(path);
    return rc;
}
