/* Stream records: one from text, many streamed from a file of any size in
 * bounded memory (a buffer that holds at least the current record and an
 * arena reset per record), and what a record is, for a title line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/filter_int.h"
#include "model/util.h"

/* How much is read from a file at once. */
enum { READ_CHUNK = 1024 * 1024 };

/* ---- one record ---- */

fj *filter_json_copy(fj_arena *a, const fj *v)
{
    fj *c = fj_alloc(a, sizeof *c);
    *c = *v;
    c->next = NULL;
    c->child = NULL;
    if (v->t == FJ_STRING || v->t == FJ_NUMBER) {
        char *s = fj_alloc(a, v->len + 1);
        memcpy(s, v->s, v->len);
        s[v->len] = '\0';
        c->s = s;
    }
    if (v->key) {
        char *k = fj_alloc(a, v->klen + 1);
        memcpy(k, v->key, v->klen);
        k[v->klen] = '\0';
        c->key = k;
    }
    fj **tail = &c->child;
    for (const fj *e = v->child; e; e = e->next) {
        *tail = filter_json_copy(a, e);
        tail = &(*tail)->next;
    }
    return c;
}

/* "record 3 (line 40): WHAT at line 41, column 7": where a parse failed. */
static char *where_text(const char *start, size_t offset, size_t line0)
{
    size_t line = line0, col = 1;
    for (size_t i = 0; i < offset; i++) {
        if (start[i] == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char)start[i] & 0xC0) != 0x80) {
            col++;
        }
    }
    return xasprintf("line %zu, column %zu", line, col);
}

filter_record *filter_record_new(const char *text, size_t len, char **err)
{
    filter_record *r = xcalloc(1, sizeof *r);
    fj_parse_opts o = {.eof = true, .refuse_dups = true, .copy_strings = true};
    fj_error e;
    fj *root = NULL;
    const char *stop = NULL;
    fj_status st = fj_parse(&r->arena, text, text + len, &o, &root, &stop, &e);
    if (st == FJ_OK) {
        while (stop < text + len && strchr(" \t\r\n", *stop))
            stop++;
        if (stop < text + len) {
            st = FJ_ERROR;
            e.offset = (size_t)(stop - text);
            snprintf(e.what, sizeof e.what, "text after the record");
        }
    }
    if (st != FJ_OK) {
        char *at = where_text(text, e.offset, 1);
        *err = xasprintf("not valid JSON (%s): %s", at, e.what);
        free(at);
        filter_record_free(r);
        return NULL;
    }
    if (root->t != FJ_OBJECT) {
        *err = xstrdup("a record is a JSON object");
        filter_record_free(r);
        return NULL;
    }
    r->root = root;
    return r;
}

void filter_record_free(filter_record *r)
{
    if (!r)
        return;
    fj_arena_free(&r->arena);
    free(r);
}

char *filter_record_describe(const filter_record *r)
{
    strbuf b = {0};
    const fj *name = fj_get(r->root, "eventName");
    if (name && name->t == FJ_STRING)
        sb_addn(&b, name->s, name->len);
    else
        sb_add(&b, "record");
    const fj *keys = fj_get(fj_get(r->root, "dynamodb"), "Keys");
    const char *sep = ", keys ";
    for (const fj *k = keys && keys->t == FJ_OBJECT ? keys->child : NULL; k; k = k->next) {
        const fj *typed = k->t == FJ_OBJECT ? k->child : NULL;
        sb_add(&b, sep);
        sb_addn(&b, k->key, k->klen);
        sb_add(&b, "=");
        if (typed && fj_is_leaf(typed))
            fj_print(&b, typed);
        else
            sb_add(&b, "?");
        sep = " ";
    }
    for (size_t i = 0; i < b.len; i++)
        if (b.s[i] == '\0')
            b.s[i] = '?';
    char *shown = str_escape_display(b.s ? b.s : "");
    free(b.s);
    return shown;
}

/* ---- the reader ---- */

typedef enum {
    R_BEGIN,      /* before a top-level value */
    R_FIRST,      /* just inside a list of records: a record or ']' */
    R_NEXT,       /* after a record of a list: ',' or ']' */
    R_EVENT_TAIL, /* after an event's list of records: its other members, '}' */
    R_PENDING,    /* the records of an event read whole */
    R_DONE
} reader_state;

struct filter_reader {
    FILE *f;
    bool close_f;
    char *name; /* for messages, escaped */
    char *buf;  /* the input; [start, end) not yet read */
    size_t cap, start, end;
    bool own_buf;  /* buf is ours (a file), not the caller's text */
    bool eof;      /* nothing more comes from the file */
    size_t line;   /* the line buf[start] is on */
    size_t number; /* records handed out */
    reader_state state;
    bool in_event; /* the list is an event's "Records" */
    bool any;      /* a top-level value was read */
    const fj *pending;
    fj_arena arena;
    filter_record rec;
};

static filter_reader *reader_new(const char *name)
{
    filter_reader *r = xcalloc(1, sizeof *r);
    r->name = str_escape_display(name);
    r->line = 1;
    return r;
}

filter_reader *filter_reader_open(const char *path, const char *name, char **err)
{
    bool std = strcmp(path, "-") == 0;
    FILE *f = std ? stdin : fopen(path, "rb");
    if (!f) {
        char *shown = str_escape_display(name ? name : path);
        *err = xasprintf("%s: %s", shown, strerror(errno));
        free(shown);
        return NULL;
    }
    filter_reader *r = reader_new(name ? name : path);
    r->f = f;
    r->close_f = !std;
    r->own_buf = true;
    r->cap = READ_CHUNK;
    r->buf = xmalloc(r->cap);
    return r;
}

filter_reader *filter_reader_text(const char *text, size_t len, const char *name)
{
    filter_reader *r = reader_new(name);
    r->buf = (char *)text; /* never written: own_buf is false */
    r->end = r->cap = len;
    r->eof = true;
    return r;
}

void filter_reader_close(filter_reader *r)
{
    if (!r)
        return;
    if (r->close_f)
        fclose(r->f);
    if (r->own_buf)
        free(r->buf);
    fj_arena_free(&r->arena);
    free(r->name);
    free(r);
}

size_t filter_reader_number(const filter_reader *r)
{
    return r->number;
}

/* Read more of the file, growing the buffer when it is full, up to what
 * one record may take. -1 with *err on a read error or a record too big. */
static int refill(filter_reader *r, char **err)
{
    if (r->eof)
        return 0;
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
    }
    if (r->end == r->cap) {
        if (r->cap >= FILTER_RECORD_MAX_BYTES + READ_CHUNK) {
            *err =
                xasprintf("%s: record %zu (line %zu) is larger than %zu MiB: a stream record "
                          "holds at most two 400 KB items",
                          r->name, r->number + 1, r->line, FILTER_RECORD_MAX_BYTES / (1024 * 1024));
            return -1;
        }
        r->cap *= 2;
        r->buf = xrealloc(r->buf, r->cap);
    }
    size_t got = fread(r->buf + r->end, 1, r->cap - r->end, r->f);
    r->end += got;
    if (got == 0) {
        if (ferror(r->f)) {
            *err = xasprintf("%s: %s", r->name, strerror(errno));
            return -1;
        }
        r->eof = true;
    }
    return 0;
}

/* Count the lines between start and AT, and move start there. */
static void advance(filter_reader *r, size_t at)
{
    const char *p = r->buf + r->start, *end = r->buf + at;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        r->line++;
        p++;
    }
    r->start = at;
}

/* Skip white space (and a UTF-8 byte order mark at the very start); -1
 * with *err on a read error; *C gets the next byte, or -1 at the end. */
static int peek(filter_reader *r, int *c, char **err)
{
    for (;;) {
        while (r->start < r->end && strchr(" \t\r\n", r->buf[r->start]) && r->buf[r->start])
            advance(r, r->start + 1);
        if (r->start == 0 && r->line == 1 && !r->any && r->end - r->start >= 3 &&
            memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) {
            r->start = 3;
            continue;
        }
        if (r->start < r->end) {
            *c = (unsigned char)r->buf[r->start];
            return 0;
        }
        if (r->eof) {
            *c = -1;
            return 0;
        }
        if (refill(r, err) < 0)
            return -1;
    }
}

/* "NAME: record N (line L): MSG". */
static int fail_record(filter_reader *r, char **err, size_t number, const char *msg)
{
    *err = xasprintf("%s: record %zu (line %zu): %s", r->name, number, r->line, msg);
    r->state = R_DONE;
    return -1;
}

/* Parse the value at start (refilling as needed) into the arena. */
static int parse_here(filter_reader *r, fj **out, char **err)
{
    fj_parse_opts o = {.refuse_dups = true};
    for (;;) {
        fj_arena_reset(&r->arena);
        o.eof = r->eof;
        fj_error e;
        const char *stop = NULL;
        fj_status st = fj_parse(&r->arena, r->buf + r->start, r->buf + r->end, &o, out, &stop, &e);
        if (st == FJ_OK) {
            advance(r, (size_t)(stop - r->buf));
            return 0;
        }
        if (st == FJ_ERROR) {
            char *at = where_text(r->buf + r->start, e.offset, r->line);
            bool cut = r->eof && r->start + e.offset >= r->end;
            char *what =
                cut ? xasprintf("the file ends inside it (%s): %s; is it cut short?", at, e.what)
                    : xasprintf("not valid JSON (%s): %s", at, e.what);
            fail_record(r, err, r->number + 1, what);
            free(what);
            free(at);
            return -1;
        }
        if (refill(r, err) < 0) {
            r->state = R_DONE;
            return -1;
        }
    }
}

/* What kind of JSON value V is, for messages. */
static const char *kind_of(const fj *v)
{
    static const char *const names[] = {"null",     "false",  "true",     "a number",
                                        "a string", "a list", "an object"};
    return names[v->t];
}

/* Hand out record V (checked). */
static int take(filter_reader *r, const fj *v, const filter_record **out, char **err)
{
    r->number++;
    if (v->t != FJ_OBJECT) {
        r->number--;
        char *msg = xasprintf("%s, not a stream record (a record is a JSON object)", kind_of(v));
        fail_record(r, err, r->number + 1, msg);
        free(msg);
        return -1;
    }
    if (!fj_get(v, "dynamodb") && !fj_get(v, "eventName")) {
        r->number--;
        return fail_record(r, err, r->number + 1,
                           "not a DynamoDB stream record: it has neither \"dynamodb\" nor "
                           "\"eventName\"");
    }
    r->rec.root = v;
    *out = &r->rec;
    return 1;
}

static const char *skip_white(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p;
}

/* Whether the text at P (a '{') goes on with "Records" ':' '[': 1 (and *AT
 * is just after the '['), 0, or 2 when the text ends before it is known. */
static int looks_like_event(const char *p, const char *end, const char **at)
{
    static const char key[] = "\"Records\"";
    size_t n = sizeof key - 1;
    p = skip_white(p + 1, end);
    size_t have = (size_t)(end - p);
    if (memcmp(p, key, have < n ? have : n) != 0)
        return 0;
    if (have < n)
        return 2;
    p = skip_white(p + n, end);
    if (p == end)
        return 2;
    if (*p != ':')
        return 0;
    p = skip_white(p + 1, end);
    if (p == end)
        return 2;
    *at = p + 1;
    return *p == '[';
}

/* Whether the input at start is an event whose first member is its list
 * of records; consumes up to the list when it is. -1 on a read error. */
static int event_start(filter_reader *r, char **err)
{
    for (;;) {
        const char *at = NULL;
        int k = looks_like_event(r->buf + r->start, r->buf + r->end, &at);
        if (k == 1)
            advance(r, (size_t)(at - r->buf));
        if (k != 2 || r->eof)
            return k == 1;
        if (refill(r, err) < 0)
            return -1;
    }
}

/* The top-level value at start: a list, an event, or one record. */
static int begin(filter_reader *r, const filter_record **out, char **err)
{
    int c;
    if (peek(r, &c, err) < 0)
        return -1;
    if (c < 0) {
        r->state = R_DONE;
        if (r->number > 0 || r->any)
            return 0;
        *err = xasprintf("%s: no records: the file is empty", r->name);
        return -1;
    }
    r->any = true;
    if (c == '[') {
        advance(r, r->start + 1);
        r->in_event = false;
        r->state = R_FIRST;
        return 2; /* go on */
    }
    if (c != '{')
        return fail_record(r, err, r->number + 1,
                           "expected a record ({...}), a list of records ([...]) or an event "
                           "({\"Records\": [...]})");
    int ev = event_start(r, err);
    if (ev < 0)
        return -1;
    if (ev > 0) {
        r->in_event = true;
        r->state = R_FIRST;
        return 2;
    }
    fj *v;
    if (parse_here(r, &v, err) < 0)
        return -1;
    const fj *records = fj_get(v, "Records");
    if (records && records->t == FJ_ARRAY) { /* an event read whole */
        r->pending = records->child;
        r->state = R_PENDING;
        return 2;
    }
    return take(r, v, out, err);
}

/* Inside a list: the next record, or its end. */
static int in_list(filter_reader *r, const filter_record **out, char **err)
{
    int c;
    if (peek(r, &c, err) < 0)
        return -1;
    if (c == ']') {
        advance(r, r->start + 1);
        r->state = r->in_event ? R_EVENT_TAIL : R_BEGIN;
        return 2;
    }
    if (r->state == R_NEXT) {
        if (c != ',')
            return fail_record(r, err, r->number + 1,
                               c < 0 ? "the file ends inside the list of records; is it cut "
                                       "short?"
                                     : "expected ',' or ']' after the previous record");
        advance(r, r->start + 1);
        if (peek(r, &c, err) < 0)
            return -1;
    }
    if (c < 0)
        return fail_record(r, err, r->number + 1,
                           "the file ends inside the list of records; is it cut short?");
    fj *v;
    if (parse_here(r, &v, err) < 0)
        return -1;
    r->state = R_NEXT;
    return take(r, v, out, err);
}

/* After an event's list: its other members (read and dropped), then '}'. */
static int event_tail(filter_reader *r, char **err)
{
    int c;
    if (peek(r, &c, err) < 0)
        return -1;
    if (c == '}') {
        advance(r, r->start + 1);
        r->state = R_BEGIN;
        return 2;
    }
    if (c != ',')
        return fail_record(r, err, r->number + 1,
                           c < 0 ? "the file ends inside the event; is it cut short?"
                                 : "expected ',' or '}' after the event's list of records");
    advance(r, r->start + 1);
    if (peek(r, &c, err) < 0)
        return -1;
    if (c != '"')
        return fail_record(r, err, r->number + 1,
                           "expected a member name in double quotes in the event");
    /* "name": value, read and dropped */
    fj *v;
    if (parse_here(r, &v, err) < 0) /* the name */
        return -1;
    if (peek(r, &c, err) < 0)
        return -1;
    if (c != ':')
        return fail_record(r, err, r->number + 1, "expected ':' after a member name");
    advance(r, r->start + 1);
    return parse_here(r, &v, err) < 0 ? -1 : 2;
}

int filter_reader_next(filter_reader *r, const filter_record **out, char **err)
{
    *err = NULL;
    for (;;) {
        int rc = 2;
        switch (r->state) {
        case R_BEGIN:
            rc = begin(r, out, err);
            break;
        case R_FIRST:
        case R_NEXT:
            rc = in_list(r, out, err);
            break;
        case R_EVENT_TAIL:
            rc = event_tail(r, err);
            break;
        case R_PENDING:
            if (!r->pending) {
                r->state = R_BEGIN;
                break;
            }
            {
                const fj *v = r->pending;
                r->pending = v->next;
                rc = take(r, v, out, err);
            }
            break;
        case R_DONE:
            return 0;
        }
        if (rc != 2)
            return rc;
    }
}

/* ---- every record, kept ---- */

int filter_records_parse(const char *text, size_t len, filter_records *out, char **err)
{
    memset(out, 0, sizeof *out);
    filter_reader *rd = filter_reader_text(text, len, "the text");
    const filter_record *rec;
    int rc;
    while ((rc = filter_reader_next(rd, &rec, err)) > 0) {
        filter_record *kept = xcalloc(1, sizeof *kept);
        kept->root = filter_json_copy(&kept->arena, rec->root);
        out->items = xrealloc(out->items, (out->n + 1) * sizeof *out->items);
        out->items[out->n++] = kept;
    }
    filter_reader_close(rd);
    if (rc < 0) {
        filter_records_free(out);
        return -1;
    }
    if (out->n == 0) {
        *err = xstrdup("no records");
        return -1;
    }
    return 0;
}

void filter_records_free(filter_records *rs)
{
    for (size_t i = 0; i < rs->n; i++)
        filter_record_free(rs->items[i]);
    free(rs->items);
    memset(rs, 0, sizeof *rs);
}
