/* The filters' JSON reader (see filter_json.h). */
#include "model/filter_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/util.h"

/* ---- arena ---- */

struct fj_chunk {
    fj_chunk *next;
    size_t size, used;
    _Alignas(max_align_t) unsigned char data[];
};

enum { CHUNK_MIN = 64 * 1024 };

void *fj_alloc(fj_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    fj_chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        /* chunks double up to 1 MiB; a larger request gets its own size */
        size_t size = c ? (c->size < 16 * CHUNK_MIN ? c->size * 2 : c->size) : CHUNK_MIN;
        if (size < n)
            size = n;
        fj_chunk *nc = xmalloc(sizeof *nc + size);
        nc->size = size;
        nc->used = 0;
        nc->next = c;
        a->head = c = nc;
    }
    void *p = c->data + c->used;
    c->used += n;
    return p;
}

void fj_arena_reset(fj_arena *a)
{
    fj_chunk *keep = NULL;
    for (fj_chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        if (!keep || c->size > keep->size) {
            free(keep);
            keep = c;
        } else {
            free(c);
        }
    }
    if (keep) {
        keep->next = NULL;
        keep->used = 0;
    }
    a->head = keep;
}

void fj_arena_free(fj_arena *a)
{
    for (fj_chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    a->head = NULL;
}

/* ---- reading ---- */

typedef struct reader {
    const char *start, *p, *end;
    const fj_parse_opts *o;
    fj_arena *a;
    fj_error *e;
    bool more; /* ran out of input before EOF */
    bool failed;
} reader;

/* Byte classes inside a string: 0 plain ASCII, 1 quote, 2 backslash,
 * 3 control character, 4 the first byte of a multi-byte character. */
static const unsigned char string_class[256] = {
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
};

/* Fail at AT with WHY (the first failure counts). */
static bool fail_at(reader *r, const char *at, const char *why)
{
    if (!r->failed) {
        r->failed = true;
        r->e->offset = (size_t)(at - r->start);
        snprintf(r->e->what, sizeof r->e->what, "%s", why);
    }
    return false;
}

/* The input ended: more may come, or it is truncated. */
static bool ran_out(reader *r, const char *what)
{
    if (!r->o->eof) {
        r->more = true;
        r->failed = true;
        return false;
    }
    char why[128];
    snprintf(why, sizeof why, "the text ends inside %s", what);
    return fail_at(r, r->end, why);
}

static void skip_ws(reader *r)
{
    const char *p = r->p;
    while (p < r->end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    r->p = p;
}

/* The length of the valid UTF-8 sequence at P (before END); 0 when invalid,
 * -1 when it is cut short by END. */
static int utf8_seq(const unsigned char *p, const unsigned char *end)
{
    int n = *p >= 0xC2 && *p <= 0xDF   ? 2
            : *p >= 0xE0 && *p <= 0xEF ? 3
            : *p >= 0xF0 && *p <= 0xF4 ? 4
                                       : 0;
    if (n == 0)
        return 0;
    for (int i = 1; i < n; i++) {
        if (p + i >= end)
            return -1;
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    }
    if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] > 0x9F) ||
        (p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] > 0x8F))
        return 0;
    return n;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Four hex digits at P (checked to be in the input). */
static long hex4(const char *p)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex_digit(p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Append code point CP as UTF-8 at *Q. */
static void put_utf8(char **q, unsigned long cp)
{
    unsigned char *o = (unsigned char *)*q;
    if (cp < 0x80) {
        *o++ = (unsigned char)cp;
    } else if (cp < 0x800) {
        *o++ = (unsigned char)(0xC0 | (cp >> 6));
        *o++ = (unsigned char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (unsigned char)(0xE0 | (cp >> 12));
        *o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (unsigned char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (unsigned char)(0xF0 | (cp >> 18));
        *o++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        *o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (unsigned char)(0x80 | (cp & 0x3F));
    }
    *q = (char *)o;
}

/* Whether the text at P (before END) is "\uDC00".."\uDFFF": 1, 0, or -1
 * when END comes first. */
static int low_half_at(const char *p, const char *end)
{
    static const char lead[] = "\\u";
    size_t have = (size_t)(end - p);
    if (memcmp(p, lead, have < 2 ? have : 2) != 0)
        return 0;
    if (have < 6)
        return -1;
    long lo = hex4(p + 2);
    return lo >= 0xDC00 && lo <= 0xDFFF;
}

/* One escape at P (after the backslash), checked; sets *ADV to its length.
 * An unpaired surrogate is taken, as Java (and so event-ruler) takes one. */
static bool check_escape(reader *r, const char *p, size_t *adv)
{
    if (p >= r->end)
        return ran_out(r, "a string");
    if (strchr("\"\\/bfnrt", *p) && *p) {
        *adv = 1;
        return true;
    }
    if (*p != 'u')
        return fail_at(r, p - 1, "an unknown escape in a string");
    if (r->end - p < 5)
        return ran_out(r, "a string");
    long cp = hex4(p + 1);
    if (cp < 0)
        return fail_at(r, p - 1, "a \\u escape needs four hex digits");
    *adv = 5;
    if (cp < 0xD800 || cp > 0xDBFF)
        return true;
    int low = low_half_at(p + 5, r->end);
    if (low < 0 && !r->o->eof)
        return ran_out(r, "a string");
    if (low > 0)
        *adv = 11;
    return true;
}

/* Decode the string body [P, END) (checked, with escapes) into the arena.
 * An unpaired surrogate becomes '?', as Java's String.getBytes writes it. */
static char *decode(reader *r, const char *p, const char *end, uint32_t *len)
{
    char *out = fj_alloc(r->a, (size_t)(end - p) + 1), *q = out;
    while (p < end) {
        if (*p != '\\') {
            *q++ = *p++;
            continue;
        }
        char c = p[1];
        const char *at = strchr("\"\\/bfnrt", c);
        if (c != 'u') {
            *q++ = "\"\\/\b\f\n\r\t"[at - "\"\\/bfnrt"];
            p += 2;
            continue;
        }
        unsigned long cp = (unsigned long)hex4(p + 2);
        p += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF && low_half_at(p, end) > 0) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + ((unsigned long)hex4(p + 2) - 0xDC00);
            p += 6;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = '?';
        }
        put_utf8(&q, cp);
    }
    *q = '\0';
    *len = (uint32_t)(q - out);
    return out;
}

/* A string at its opening quote: *S and *LEN get its decoded bytes. */
static bool read_string(reader *r, const char **s, uint32_t *len)
{
    const char *body = ++r->p, *p = body, *end = r->end;
    bool escaped = false;
    for (;;) {
        while (p < end && string_class[(unsigned char)*p] == 0)
            p++;
        if (p >= end)
            return ran_out(r, "a string");
        unsigned char cls = string_class[(unsigned char)*p];
        if (cls == 1)
            break;
        if (cls == 3)
            return fail_at(r, p, "a control character inside a string (write it as \\u00XX)");
        if (cls == 2) {
            size_t adv = 0;
            if (!check_escape(r, p + 1, &adv))
                return false;
            escaped = true;
            p += 1 + adv;
            continue;
        }
        int n = utf8_seq((const unsigned char *)p, (const unsigned char *)end);
        if (n < 0)
            return ran_out(r, "a string");
        if (n == 0)
            return fail_at(r, p, "invalid UTF-8 in a string");
        p += n;
    }
    if ((size_t)(p - body) > UINT32_MAX)
        return fail_at(r, body, "a string longer than 4 GiB");
    if (escaped) {
        *s = decode(r, body, p, len);
    } else if (r->o->copy_strings) {
        char *c = fj_alloc(r->a, (size_t)(p - body) + 1);
        memcpy(c, body, (size_t)(p - body));
        c[p - body] = '\0';
        *s = c;
        *len = (uint32_t)(p - body);
    } else {
        *s = body;
        *len = (uint32_t)(p - body);
    }
    r->p = p + 1;
    return true;
}

/* Digits at P; returns where they stop. */
static const char *digits(const char *p, const char *end)
{
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    return p;
}

/* A number in RFC 8259's grammar; its text is kept. */
static bool read_number(reader *r, fj *v)
{
    const char *start = r->p, *p = start, *end = r->end;
    if (*p == '-')
        p++;
    if (p >= end)
        return ran_out(r, "a number");
    if (*p == '0') {
        p++;
    } else {
        const char *d = digits(p, end);
        if (d == p)
            return fail_at(r, p, "a number needs digits");
        p = d;
    }
    if (p < end && *p == '.') {
        const char *d = digits(p + 1, end);
        if (d == p + 1)
            return d >= end ? ran_out(r, "a number")
                            : fail_at(r, d, "a number needs digits after '.'");
        p = d;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        const char *d = digits(p, end);
        if (d == p)
            return d >= end ? ran_out(r, "a number")
                            : fail_at(r, d, "a number needs digits in its exponent");
        p = d;
    }
    if (p >= end && !r->o->eof)
        return ran_out(r, "a number"); /* more digits may follow */
    if (p < end && *p >= '0' && *p <= '9')
        return fail_at(r, p, "a number with a leading zero");
    v->t = FJ_NUMBER;
    if (r->o->copy_strings) {
        char *c = fj_alloc(r->a, (size_t)(p - start) + 1);
        memcpy(c, start, (size_t)(p - start));
        c[p - start] = '\0';
        v->s = c;
    } else {
        v->s = start;
    }
    v->len = (uint32_t)(p - start);
    r->p = p;
    return true;
}

/* The literal WORD at the reader. */
static bool read_word(reader *r, const char *word, fj_type t, fj *v)
{
    size_t n = strlen(word), have = (size_t)(r->end - r->p);
    if (memcmp(r->p, word, have < n ? have : n) != 0)
        return fail_at(r, r->p,
                       "an unexpected character (a value is a string, number, object, "
                       "array, true, false or null)");
    if (have < n)
        return ran_out(r, "a value");
    r->p += n;
    v->t = t;
    return true;
}

static bool read_value(reader *r, fj *v, int depth);

/* Skip white space and expect a byte: SEP or CLOSE; *GOT says which. */
static bool read_sep(reader *r, char close, char *got, const char *what)
{
    skip_ws(r);
    if (r->p >= r->end)
        return ran_out(r, what);
    if (*r->p != ',' && *r->p != close) {
        char why[64];
        snprintf(why, sizeof why, "expected ',' or '%c'", close);
        return fail_at(r, r->p, why);
    }
    *got = *r->p++;
    return true;
}

/* A member name and its colon, into C. */
static bool read_key(reader *r, fj *c)
{
    skip_ws(r);
    if (r->p >= r->end)
        return ran_out(r, "an object");
    if (*r->p != '"')
        return fail_at(r, r->p, "expected a member name in double quotes");
    if (!read_string(r, &c->key, &c->klen))
        return false;
    skip_ws(r);
    if (r->p >= r->end)
        return ran_out(r, "an object");
    if (*r->p != ':')
        return fail_at(r, r->p, "expected ':' after a member name");
    r->p++;
    return true;
}

/* An object or array at its opening bracket. */
static bool read_container(reader *r, fj *v, int depth)
{
    bool obj = *r->p == '{';
    const char *open = r->p;
    char close = obj ? '}' : ']';
    v->t = obj ? FJ_OBJECT : FJ_ARRAY;
    if (depth >= FJ_MAX_DEPTH) {
        char why[80];
        snprintf(why, sizeof why, "nested deeper than %d levels", FJ_MAX_DEPTH);
        return fail_at(r, open, why);
    }
    r->p++;
    skip_ws(r);
    if (r->p >= r->end)
        return ran_out(r, obj ? "an object" : "an array");
    if (*r->p == close) {
        r->p++;
        return true;
    }
    fj **tail = &v->child;
    for (;;) {
        fj *c = fj_alloc(r->a, sizeof *c);
        memset(c, 0, sizeof *c);
        *tail = c;
        tail = &c->next;
        v->len++;
        if (obj && !read_key(r, c))
            return false;
        if (!read_value(r, c, depth + 1))
            return false;
        char got = 0;
        if (!read_sep(r, close, &got, obj ? "an object" : "an array"))
            return false;
        if (got == close)
            break;
    }
    if (obj && r->o->refuse_dups) {
        const fj *d = fj_duplicate(v);
        if (d) {
            char *name = xstrndup(d->key, d->klen);
            char *shown = str_escape_display(name);
            char why[160];
            snprintf(why, sizeof why, "the member \"%.100s\" appears twice in one object", shown);
            free(shown);
            free(name);
            return fail_at(r, open, why);
        }
    }
    return true;
}

static bool read_value(reader *r, fj *v, int depth)
{
    skip_ws(r);
    if (r->p >= r->end)
        return ran_out(r, "a value");
    switch (*r->p) {
    case '{':
    case '[':
        return read_container(r, v, depth);
    case '"':
        v->t = FJ_STRING;
        return read_string(r, &v->s, &v->len);
    case 't':
        return read_word(r, "true", FJ_TRUE, v);
    case 'f':
        return read_word(r, "false", FJ_FALSE, v);
    case 'n':
        return read_word(r, "null", FJ_NULL, v);
    default:
        if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))
            return read_number(r, v);
        return fail_at(r, r->p,
                       "an unexpected character (a value is a string, number, object, "
                       "array, true, false or null)");
    }
}

fj_status fj_parse(fj_arena *a, const char *p, const char *end, const fj_parse_opts *o, fj **out,
                   const char **stop, fj_error *e)
{
    reader r = {.start = p, .p = p, .end = end, .o = o, .a = a, .e = e};
    fj *v = fj_alloc(a, sizeof *v);
    memset(v, 0, sizeof *v);
    if (!read_value(&r, v, 0))
        return r.more ? FJ_MORE : FJ_ERROR;
    *out = v;
    if (stop)
        *stop = r.p;
    return FJ_OK;
}

/* ---- looking things up ---- */

/* FNV-1a of a member name. */
static uint32_t name_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static bool same_key(const fj *a, const fj *b)
{
    return a->klen == b->klen && memcmp(a->key, b->key, a->klen) == 0;
}

const fj *fj_duplicate(const fj *obj)
{
    size_t n = obj->len;
    if (n <= 8) {
        for (const fj *c = obj->child; c; c = c->next)
            for (const fj *d = obj->child; d != c; d = d->next)
                if (same_key(c, d))
                    return c;
        return NULL;
    }
    size_t size = 16;
    while (size < 2 * n)
        size *= 2;
    const fj **slots = xcalloc(size, sizeof *slots);
    const fj *found = NULL;
    for (const fj *c = obj->child; c && !found; c = c->next) {
        size_t i = name_hash(c->key, c->klen) & (size - 1);
        while (slots[i] && !same_key(slots[i], c))
            i = (i + 1) & (size - 1);
        if (slots[i])
            found = c;
        slots[i] = c;
    }
    free(slots);
    return found;
}

const fj *fj_member(const fj *obj, const char *key, size_t klen)
{
    const fj *found = NULL;
    if (!obj || obj->t != FJ_OBJECT)
        return NULL;
    for (const fj *c = obj->child; c; c = c->next)
        if (c->klen == klen && memcmp(c->key, key, klen) == 0)
            found = c;
    return found;
}

const fj *fj_get(const fj *obj, const char *key)
{
    return fj_member(obj, key, strlen(key));
}

bool fj_key_is(const fj *m, const char *name)
{
    size_t n = strlen(name);
    return m->key && m->klen == n && memcmp(m->key, name, n) == 0;
}

bool fj_key_in(const fj *m, const char *const *words)
{
    for (size_t i = 0; words[i]; i++)
        if (fj_key_is(m, words[i]))
            return true;
    return false;
}

bool fj_is_text(const fj *v, const char *text)
{
    size_t n = strlen(text);
    return v && v->t == FJ_STRING && v->len == n && memcmp(v->s, text, n) == 0;
}

bool fj_is_leaf(const fj *v)
{
    return v->t != FJ_ARRAY && v->t != FJ_OBJECT;
}

/* ---- printing ---- */

void fj_add_string(strbuf *b, const char *s, size_t len)
{
    sb_add(b, "\"");
    size_t from = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c != '"' && c != '\\' && c >= 0x20 && c != 0x7f)
            continue;
        sb_addn(b, s + from, i - from);
        if (c == '"' || c == '\\')
            sb_addf(b, "\\%c", c);
        else
            sb_addf(b, "\\u%04x", c);
        from = i + 1;
    }
    sb_addn(b, s + from, len - from);
    sb_add(b, "\"");
}

void fj_print(strbuf *b, const fj *v)
{
    switch (v->t) {
    case FJ_NULL:
        sb_add(b, "null");
        break;
    case FJ_FALSE:
        sb_add(b, "false");
        break;
    case FJ_TRUE:
        sb_add(b, "true");
        break;
    case FJ_NUMBER:
        sb_addn(b, v->s, v->len);
        break;
    case FJ_STRING:
        fj_add_string(b, v->s, v->len);
        break;
    case FJ_ARRAY:
    case FJ_OBJECT:
        sb_add(b, v->t == FJ_ARRAY ? "[" : "{");
        for (const fj *c = v->child; c; c = c->next) {
            if (v->t == FJ_OBJECT) {
                fj_add_string(b, c->key, c->klen);
                sb_add(b, ": ");
            }
            fj_print(b, c);
            if (c->next)
                sb_add(b, ", ");
        }
        sb_add(b, v->t == FJ_ARRAY ? "]" : "}");
        break;
    }
}

char *fj_show(const fj *v, size_t max)
{
    strbuf b = {0};
    fj_print(&b, v);
    if (b.len > max) {
        size_t cut = max;
        while (cut > 0 && ((unsigned char)b.s[cut] & 0xC0) == 0x80)
            cut--; /* not inside a UTF-8 sequence */
        b.s[cut] = '\0';
        b.len = cut;
        sb_add(&b, "...");
    }
    char *shown = str_escape_display(b.s);
    free(b.s);
    return shown;
}
