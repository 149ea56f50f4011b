/* A streaming JSON scanner for the inventory readers: strict RFC 8259
 * syntax, UTF-8 checked, nesting bounded, no tree. Large inventories are
 * read from a mapped file whose pages are given back once scanned. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "model/inventory_int.h"

/* Mapped pages are given back in steps of this many bytes. */
enum { RELEASE_STEP = 4 * 1024 * 1024 };

/* Start scanning T. */
void js_init(jscan *s, const inv_text *t)
{
    memset(s, 0, sizeof *s);
    s->p = t->text;
    s->end = t->text + t->len;
    s->released = t->text;
    s->mapped = t->mapped;
    s->line = 1;
    if (s->end - s->p >= 3 && memcmp(s->p, "\xEF\xBB\xBF", 3) == 0)
        s->p += 3; /* a UTF-8 byte order mark */
}

/* Free what the scanner holds (not its error, which the caller takes). */
void js_done(jscan *s)
{
    free(s->key.s);
    free(s->err);
    s->key.s = s->err = NULL;
}

bool js_fail(jscan *s, const char *why)
{
    if (!s->err)
        s->err = xasprintf("not valid JSON (line %zu): %s", s->line, why);
    return false;
}

/* Give back the mapped pages scanned so far. */
static void release_pages(jscan *s)
{
    if (!s->mapped || s->p - s->released < RELEASE_STEP)
        return;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t from = (uintptr_t)s->released & ~(page - 1);
    uintptr_t to = (uintptr_t)s->p & ~(page - 1);
    if (to > from)
        madvise((void *)from, to - from, MADV_DONTNEED);
    s->released = (const char *)to;
}

int js_peek(jscan *s)
{
    const char *p = s->p, *end = s->end;
    for (; p < end; p++) {
        unsigned char c = (unsigned char)*p;
        if (c > ' ')
            break;
        if (c == '\n')
            s->line++;
        else if (c != ' ' && c != '\t' && c != '\r')
            break;
    }
    s->p = p;
    return p < end ? (unsigned char)*p : -1;
}

/* Describe the byte C for a message ("'x'", "the end"). */
static void describe(int c, char *buf, size_t cap)
{
    if (c < 0)
        snprintf(buf, cap, "the end of the text (truncated?)");
    else if (c >= 0x21 && c < 0x7F)
        snprintf(buf, cap, "'%c'", c);
    else
        snprintf(buf, cap, "byte 0x%02x", c);
}

/* Fail with "expected WHAT, found X". */
static bool expected(jscan *s, const char *what)
{
    char found[64], msg[160];
    describe(js_peek(s), found, sizeof found);
    snprintf(msg, sizeof msg, "expected %s, found %s", what, found);
    return js_fail(s, msg);
}

bool js_open(jscan *s, char open)
{
    if (s->err)
        return false;
    if (js_peek(s) != open)
        return expected(s, open == '{' ? "'{'" : "'['");
    if (s->depth >= INVENTORY_JSON_MAX_DEPTH) {
        char msg[64];
        snprintf(msg, sizeof msg, "nested deeper than %d levels", INVENTORY_JSON_MAX_DEPTH);
        return js_fail(s, msg);
    }
    s->p++;
    s->depth++;
    s->more[s->depth] = false;
    return true;
}

/* Length of the valid UTF-8 sequence at P (before END), or 0. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (c < 0xC2 || c > 0xF4 || (size_t)(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0) || (c == 0xF0 && p[1] < 0x90) ||
        (c == 0xF4 && p[1] >= 0x90))
        return 0; /* overlong, surrogate or beyond U+10FFFF */
    return n;
}

/* Four hex digits at P into *OUT. */
static bool hex4(const char *p, const char *end, unsigned *out)
{
    if (end - p < 4)
        return false;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return false;
        v = v * 16 + (unsigned)d;
    }
    *out = v;
    return true;
}

/* The code point of the \u escape at P ("\uXXXX", a surrogate pair taking
 * twelve bytes); *used gets its length. False when malformed. */
static bool unicode_escape(const char *p, const char *end, unsigned *cp, size_t *used)
{
    unsigned hi, lo;
    if (!hex4(p + 2, end, &hi))
        return false;
    *used = 6;
    *cp = hi;
    if (hi >= 0xDC00 && hi <= 0xDFFF)
        return false;
    if (hi < 0xD800 || hi > 0xDBFF)
        return true;
    if (end - p < 12 || p[6] != '\\' || p[7] != 'u' || !hex4(p + 8, end, &lo) || lo < 0xDC00 ||
        lo > 0xDFFF)
        return false;
    *cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
    *used = 12;
    return true;
}

/* Check the string that starts at s->p (a '"'); *len gets its raw length
 * without quotes. Leaves s->p at the opening quote. */
static bool string_extent(jscan *s, size_t *len)
{
    const unsigned char *p = (const unsigned char *)s->p + 1;
    const unsigned char *end = (const unsigned char *)s->end;
    for (;;) {
        while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
            p++; /* the common case: plain ASCII */
        if (p >= end || *p == '"')
            break;
        if (*p < 0x20)
            return js_fail(s, "a control character inside a string (escape it)");
        if (*p == '\\') {
            unsigned cp;
            size_t used = 2;
            if (p + 1 >= end)
                break;
            if (p[1] == 'u' ? !unicode_escape((const char *)p, s->end, &cp, &used)
                            : !strchr("\"\\/bfnrt", p[1]) || p[1] == '\0')
                return js_fail(s, "a malformed escape in a string");
            p += used;
        } else {
            size_t n = utf8_len(p, end);
            if (!n)
                return js_fail(s, "invalid UTF-8 in a string");
            p += n;
        }
    }
    if (p >= end)
        return js_fail(s, "a string is not closed (truncated?)");
    *len = (size_t)(p - (const unsigned char *)s->p) - 1;
    return true;
}

/* Append code point CP as UTF-8 at D; returns the bytes written. */
static size_t put_utf8(char *d, unsigned cp)
{
    if (cp < 0x80) {
        d[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        d[0] = (char)(0xC0 | (cp >> 6));
        d[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        d[0] = (char)(0xE0 | (cp >> 12));
        d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        d[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    d[0] = (char)(0xF0 | (cp >> 18));
    d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    d[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    d[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decode the checked string body SRC (LEN bytes) into DST (room for LEN+1);
 * false when it holds a NUL character. */
static bool decode(const char *src, size_t len, char *dst)
{
    const char *end = src + len;
    const char *run = src;
    char *d = dst;
    for (const char *p = src; p < end;) {
        const char *bs = memchr(p, '\\', (size_t)(end - p));
        if (!bs)
            break;
        memcpy(d, run, (size_t)(bs - run));
        d += bs - run;
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        size_t used = 2;
        if (bs[1] == 'u') {
            unsigned cp;
            unicode_escape(bs, end, &cp, &used);
            if (cp == 0)
                return false;
            d += put_utf8(d, cp);
        } else {
            *d++ = to[strchr(from, bs[1]) - from];
        }
        p = run = bs + used;
    }
    memcpy(d, run, (size_t)(end - run));
    d[end - run] = '\0';
    return true;
}

bool js_string(jscan *s, inventory *inv, char **out)
{
    size_t len;
    *out = NULL;
    if (s->err)
        return false;
    if (js_peek(s) != '"')
        return expected(s, "a string");
    if (!string_extent(s, &len))
        return false;
    char *buf = inv_arena_alloc(inv, len + 1); /* decoded text is never longer */
    if (!decode(s->p + 1, len, buf))
        return js_fail(s, "a string holds a NUL character (\\u0000)");
    s->p += len + 2;
    *out = buf;
    return true;
}

/* Read a member name into s->key, and the ':' after it. */
static bool read_key(jscan *s)
{
    size_t len;
    if (js_peek(s) != '"')
        return expected(s, "a member name in quotes");
    if (!string_extent(s, &len))
        return false;
    if (s->key.cap < len + 1) {
        s->key.s = xrealloc(s->key.s, len + 1);
        s->key.cap = len + 1;
    }
    if (!decode(s->p + 1, len, s->key.s))
        return js_fail(s, "a member name holds a NUL character (\\u0000)");
    s->key.len = strlen(s->key.s);
    s->p += len + 2;
    if (js_peek(s) != ':')
        return expected(s, "':' after a member name");
    s->p++;
    return true;
}

bool js_next(jscan *s, char open)
{
    char close = open == '{' ? '}' : ']';
    if (s->err)
        return false;
    release_pages(s);
    int c = js_peek(s);
    if (c == close) {
        s->p++;
        s->depth--;
        return false;
    }
    if (s->more[s->depth]) {
        if (c != ',')
            return expected(s, open == '{' ? "',' or '}'" : "',' or ']'");
        s->p++;
    }
    s->more[s->depth] = true;
    return open == '[' || read_key(s);
}

/* Consume the literal WORD. */
static bool literal(jscan *s, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
        return expected(s, "a value");
    s->p += n;
    return true;
}

bool js_bool(jscan *s, bool *out)
{
    int c = js_peek(s);
    if (s->err)
        return false;
    *out = c == 't';
    if (c == 't')
        return literal(s, "true");
    if (c == 'f')
        return literal(s, "false");
    return expected(s, "true or false");
}

/* The extent of a number at s->p, checked against JSON's grammar. */
static bool number_extent(jscan *s, size_t *len)
{
    const char *p = s->p, *e = s->end;
    if (p < e && *p == '-')
        p++;
    if (p < e && *p == '0')
        p++;
    else if (p < e && *p >= '1' && *p <= '9')
        while (p < e && *p >= '0' && *p <= '9')
            p++;
    else
        return expected(s, "a value");
    if (p < e && *p == '.') {
        const char *f = ++p;
        while (p < e && *p >= '0' && *p <= '9')
            p++;
        if (p == f)
            return js_fail(s, "a number without digits after '.'");
    }
    if (p < e && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < e && (*p == '+' || *p == '-'))
            p++;
        const char *x = p;
        while (p < e && *p >= '0' && *p <= '9')
            p++;
        if (p == x)
            return js_fail(s, "a number without digits in its exponent");
    }
    *len = (size_t)(p - s->p);
    return true;
}

bool js_number(jscan *s, double *out)
{
    size_t len;
    if (s->err)
        return false;
    js_peek(s);
    if (!number_extent(s, &len))
        return false;
    char buf[64];
    if (len >= sizeof buf) {
        *out = -1; /* too long to be a version or a count we use */
    } else {
        memcpy(buf, s->p, len);
        buf[len] = '\0';
        *out = strtod(buf, NULL);
    }
    s->p += len;
    return true;
}

bool js_skip(jscan *s)
{
    size_t len;
    int c = js_peek(s);
    if (s->err)
        return false;
    if (c == '{' || c == '[') {
        if (!js_open(s, (char)c))
            return false;
        while (js_next(s, (char)c))
            if (!js_skip(s))
                return false;
        return !s->err;
    }
    if (c == '"') {
        if (!string_extent(s, &len))
            return false;
        s->p += len + 2;
        return true;
    }
    if (c == 't')
        return literal(s, "true");
    if (c == 'f')
        return literal(s, "false");
    if (c == 'n')
        return literal(s, "null");
    if (!number_extent(s, &len))
        return false;
    s->p += len;
    return true;
}

/* The end of the string whose body starts at P (its closing quote), or NULL. */
static const char *string_end(const char *p, const char *end)
{
    for (;;) {
        const char *q = memchr(p, '"', (size_t)(end - p));
        if (!q)
            return NULL;
        size_t bs = 0;
        while (q - bs > p && q[-1 - (long)bs] == '\\')
            bs++;
        if (bs % 2 == 0)
            return q;
        p = q + 1;
    }
}

bool js_skip_unchecked(jscan *s)
{
    int c = js_peek(s);
    if (c != '{' && c != '[' && c != '"')
        return js_skip(s);
    const char *p = s->p, *end = s->end;
    long depth = 0;
    while (p < end) {
        char ch = *p++;
        if (ch == '"') {
            p = string_end(p, end);
            if (!p)
                break;
            p++;
        } else if (ch == '{' || ch == '[') {
            depth++;
        } else if (ch == '}' || ch == ']') {
            depth--;
        } else if (ch == '\n') {
            s->line++;
            if (s->mapped && p - s->released >= RELEASE_STEP) {
                s->p = p;
                release_pages(s);
            }
        }
        if (depth <= 0) {
            s->p = p;
            return depth == 0;
        }
    }
    s->p = end;
    return false;
}

bool js_finish(jscan *s)
{
    if (s->err)
        return false;
    if (js_peek(s) != -1)
        return js_fail(s, "more after the end of the document");
    return true;
}
