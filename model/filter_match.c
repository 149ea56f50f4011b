/* Lambda's event filtering on DynamoDB stream records (see filter_match.h
 * for the rules). Patterns and records are read by a small strict JSON
 * reader of our own, because exact number matching compares numbers as
 * written ("300" is not "300.0"), which a parsed double cannot tell. */
#include "model/filter_match.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/util.h"

/* ---- JSON ---- */

typedef enum { FJ_NULL, FJ_FALSE, FJ_TRUE, FJ_NUMBER, FJ_STRING, FJ_ARRAY, FJ_OBJECT } fj_type;

/* One JSON value. Strings are decoded UTF-8 (len bytes, NUL-terminated);
 * numbers keep their text in s and their value in num. */
typedef struct fj {
    fj_type t;
    char *s;
    size_t len;
    double num;
    char *key; /* member name inside an object */
    struct fj *child, *next;
} fj;

typedef struct fj_reader {
    const char *p, *end;
    size_t line;
    char *err;
} fj_reader;

static void fj_free(fj *v)
{
    while (v) {
        fj *next = v->next;
        fj_free(v->child);
        free(v->s);
        free(v->key);
        free(v);
        v = next;
    }
}

/* Record the first error, with its line. */
static bool fj_fail(fj_reader *r, const char *why)
{
    if (!r->err)
        r->err = xasprintf("not valid JSON (line %zu): %s", r->line, why);
    return false;
}

static void fj_skip_ws(fj_reader *r)
{
    for (; r->p < r->end; r->p++) {
        if (*r->p == '\n')
            r->line++;
        else if (*r->p != ' ' && *r->p != '\t' && *r->p != '\r')
            return;
    }
}

/* The value of hex digit C, or -1. */
static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Four hex digits after "\u". */
static bool read_hex4(fj_reader *r, unsigned *out)
{
    if (r->end - r->p < 4)
        return fj_fail(r, "a \\u escape needs four hex digits");
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex_value(r->p[i]);
        if (h < 0)
            return fj_fail(r, "a \\u escape needs four hex digits");
        v = v * 16 + (unsigned)h;
    }
    r->p += 4;
    *out = v;
    return true;
}

/* Append code point CP to B as UTF-8. */
static void add_utf8(strbuf *b, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    sb_addn(b, u, n);
}

/* A \u escape (the "\u" already read), with a surrogate pair's second half. */
static bool read_unicode_escape(fj_reader *r, strbuf *b)
{
    unsigned cp;
    if (!read_hex4(r, &cp))
        return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return fj_fail(r, "a lone low surrogate in a \\u escape");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        unsigned lo;
        if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
            return fj_fail(r, "a high surrogate without its low half");
        r->p += 2;
        if (!read_hex4(r, &lo))
            return false;
        if (lo < 0xDC00 || lo > 0xDFFF)
            return fj_fail(r, "a high surrogate without its low half");
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    add_utf8(b, cp);
    return true;
}

/* The length of the valid UTF-8 sequence at P (before END), or 0. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
    size_t n = 0;
    if (*p < 0x80)
        n = 1;
    else if (*p >= 0xC2 && *p <= 0xDF)
        n = 2;
    else if (*p >= 0xE0 && *p <= 0xEF)
        n = 3;
    else if (*p >= 0xF0 && *p <= 0xF4)
        n = 4;
    if (n == 0 || (size_t)(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] > 0x9F) ||
        (p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] > 0x8F))
        return 0;
    return n;
}

/* One escape after a backslash. */
static bool read_escape(fj_reader *r, strbuf *b)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    if (r->p >= r->end)
        return fj_fail(r, "unterminated string");
    char c = *r->p++;
    if (c == 'u')
        return read_unicode_escape(r, b);
    const char *at = c ? strchr(from, c) : NULL;
    if (!at)
        return fj_fail(r, "an unknown escape in a string");
    sb_addn(b, &to[at - from], 1);
    return true;
}

/* A string (at its opening quote), decoded. */
static bool read_string(fj_reader *r, char **out, size_t *len)
{
    strbuf b = {0};
    r->p++;
    while (r->p < r->end && *r->p != '"') {
        unsigned char c = (unsigned char)*r->p;
        bool ok = true;
        if (c == '\\') {
            r->p++;
            ok = read_escape(r, &b);
        } else if (c < 0x20) {
            ok = fj_fail(r, "a control character inside a string");
        } else {
            size_t n = utf8_len((const unsigned char *)r->p, (const unsigned char *)r->end);
            if (n == 0) {
                ok = fj_fail(r, "invalid UTF-8 in a string");
            } else {
                sb_addn(&b, r->p, n);
                r->p += n;
            }
        }
        if (!ok) {
            free(b.s);
            return false;
        }
    }
    if (r->p >= r->end) {
        free(b.s);
        return fj_fail(r, "unterminated string");
    }
    r->p++;
    *len = b.len;
    *out = sb_take(&b);
    return true;
}

/* Digits at the reader; returns how many. */
static size_t skip_digits(fj_reader *r)
{
    size_t n = 0;
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
        r->p++, n++;
    return n;
}

/* A number in RFC 8259's grammar; keeps its text. */
static bool read_number(fj_reader *r, fj *v)
{
    const char *start = r->p;
    if (r->p < r->end && *r->p == '-')
        r->p++;
    if (r->p < r->end && *r->p == '0')
        r->p++;
    else if (skip_digits(r) == 0)
        return fj_fail(r, "a number needs digits");
    if (r->p < r->end && *r->p == '.') {
        r->p++;
        if (skip_digits(r) == 0)
            return fj_fail(r, "a number needs digits after '.'");
    }
    if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
        r->p++;
        if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
            r->p++;
        if (skip_digits(r) == 0)
            return fj_fail(r, "a number needs digits in its exponent");
    }
    v->t = FJ_NUMBER;
    v->len = (size_t)(r->p - start);
    v->s = xstrndup(start, v->len);
    v->num = strtod(v->s, NULL);
    return true;
}

/* The literal WORD at the reader. */
static bool read_word(fj_reader *r, const char *word, fj_type t, fj *v)
{
    size_t n = strlen(word);
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
        return fj_fail(r, "unexpected character");
    r->p += n;
    v->t = t;
    return true;
}

static bool read_value(fj_reader *r, fj *v, int depth);

/* Whether a member of OBJ before STOP is named KEY. */
static bool has_key_before(const fj *obj, const fj *stop, const char *key)
{
    for (const fj *c = obj->child; c && c != stop; c = c->next)
        if (strcmp(c->key, key) == 0)
            return true;
    return false;
}

/* The members or elements of an object or array (at its opening bracket). */
static bool read_container(fj_reader *r, fj *v, int depth)
{
    bool obj = *r->p == '{';
    char close = obj ? '}' : ']';
    v->t = obj ? FJ_OBJECT : FJ_ARRAY;
    if (depth >= FILTER_MAX_DEPTH)
        return fj_fail(r, "nested too deeply");
    r->p++;
    fj **tail = &v->child;
    fj_skip_ws(r);
    if (r->p < r->end && *r->p == close) {
        r->p++;
        return true;
    }
    for (;;) {
        fj *c = xcalloc(1, sizeof *c);
        *tail = c;
        tail = &c->next;
        fj_skip_ws(r);
        if (obj) {
            size_t klen;
            if (r->p >= r->end || *r->p != '"')
                return fj_fail(r, "expected a member name in quotes");
            if (!read_string(r, &c->key, &klen))
                return false;
            if (strlen(c->key) != klen)
                return fj_fail(r, "a member name holds \\u0000");
            fj_skip_ws(r);
            if (r->p >= r->end || *r->p != ':')
                return fj_fail(r, "expected ':' after a member name");
            r->p++;
        }
        if (!read_value(r, c, depth + 1))
            return false;
        if (obj && has_key_before(v, c, c->key))
            return fj_fail(r, "a member name appears twice in one object");
        fj_skip_ws(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        if (r->p < r->end && *r->p == close) {
            r->p++;
            return true;
        }
        return fj_fail(r, obj ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

/* Any value at the reader. */
static bool read_value(fj_reader *r, fj *v, int depth)
{
    fj_skip_ws(r);
    if (r->p >= r->end)
        return fj_fail(r, "unexpected end of input");
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
        return fj_fail(r, "unexpected character");
    }
}

/* Parse the one JSON value in TEXT; NULL with *err. */
static fj *fj_parse(const char *text, size_t len, char **err)
{
    fj_reader r = {text, text + len, 1, NULL};
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        r.p += 3;
    fj *v = xcalloc(1, sizeof *v);
    if (read_value(&r, v, 0)) {
        fj_skip_ws(&r);
        if (r.p < r.end)
            fj_fail(&r, "something follows the JSON value");
    }
    if (r.err) {
        fj_free(v);
        *err = r.err;
        return NULL;
    }
    return v;
}

/* The member KEY of object OBJ, or NULL. */
static const fj *fj_get(const fj *obj, const char *key)
{
    if (!obj || obj->t != FJ_OBJECT)
        return NULL;
    for (const fj *c = obj->child; c; c = c->next)
        if (strcmp(c->key, key) == 0)
            return c;
    return NULL;
}

/* Whether V is a leaf: not an object, not an array. */
static bool fj_is_leaf(const fj *v)
{
    return v->t != FJ_OBJECT && v->t != FJ_ARRAY;
}

/* Append V to B as compact JSON (numbers as written). */
static void fj_print(strbuf *b, const fj *v);

/* Append S (LEN bytes) to B as a JSON string literal. */
static void add_json_string(strbuf *b, const char *s, size_t len)
{
    sb_add(b, "\"");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            sb_addf(b, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            sb_addf(b, "\\u%04x", c);
        else
            sb_addn(b, (const char *)&s[i], 1);
    }
    sb_add(b, "\"");
}

static void fj_print(strbuf *b, const fj *v)
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
        sb_add(b, v->s);
        break;
    case FJ_STRING:
        add_json_string(b, v->s, v->len);
        break;
    case FJ_ARRAY:
    case FJ_OBJECT:
        sb_add(b, v->t == FJ_ARRAY ? "[" : "{");
        for (const fj *c = v->child; c; c = c->next) {
            if (v->t == FJ_OBJECT) {
                add_json_string(b, c->key, strlen(c->key));
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

/* V as compact JSON, shortened to about MAX bytes and escaped for display. */
static char *fj_show(const fj *v, size_t max)
{
    strbuf b = {0};
    fj_print(&b, v);
    if (b.len > max) {
        b.s[max] = '\0';
        b.len = max;
        sb_add(&b, "...");
    }
    char *shown = str_escape_display(b.s);
    free(b.s);
    return shown;
}

/* ---- patterns: checking ---- */

/* How long a value shown in a message may be. */
enum { SHOW_MAX = 80 };

struct filter_pattern {
    fj *root;
};

struct filter_record {
    fj *root;
};

/* The operators of Lambda's filter rule syntax. */
static const char *const operators[] = {
    "prefix", "suffix", "equals-ignore-case", "anything-but", "numeric", "exists", NULL};
/* EventBridge operators Lambda's syntax does not have. */
static const char *const eventbridge_only[] = {"wildcard", "cidr", "$or", NULL};

/* Whether NAME is in the NULL-terminated LIST. */
static bool in_list(const char *name, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(name, list[i]) == 0)
            return true;
    return false;
}

/* A dotted path: PARENT.KEY (or KEY at the top). Caller frees. */
static char *path_join(const char *parent, const char *key)
{
    char *k = str_escape_display(key);
    char *p = *parent ? xasprintf("%s.%s", parent, k) : xstrdup(k);
    free(k);
    return p;
}

/* Fail with "PATH: message". */
static bool check_fail(char **err, const char *path, const char *message)
{
    if (!*err)
        *err = *path ? xasprintf("%s: %s", path, message) : xstrdup(message);
    return false;
}

/* The one string an operator takes. */
static bool check_string_arg(const fj *arg, const char *op, const char *path, char **err)
{
    if (arg->t == FJ_STRING)
        return true;
    char *m = xasprintf("\"%s\" takes a string", op);
    check_fail(err, path, m);
    free(m);
    return false;
}

/* anything-but's argument: a string or number, a list of strings or of
 * numbers, or {"prefix"|"suffix"|"equals-ignore-case": string}. */
static bool check_anything_but(const fj *arg, const char *path, char **err)
{
    if (arg->t == FJ_STRING || arg->t == FJ_NUMBER)
        return true;
    if (arg->t == FJ_ARRAY) {
        if (!arg->child)
            return check_fail(err, path, "\"anything-but\" needs at least one value");
        fj_type t = arg->child->t;
        for (const fj *c = arg->child; c; c = c->next)
            if ((c->t != FJ_STRING && c->t != FJ_NUMBER) || c->t != t)
                return check_fail(err, path,
                                  "\"anything-but\" takes a list of strings or a list of numbers");
        return true;
    }
    if (arg->t == FJ_OBJECT && arg->child && !arg->child->next) {
        const char *k = arg->child->key;
        if (strcmp(k, "prefix") == 0 || strcmp(k, "suffix") == 0 ||
            strcmp(k, "equals-ignore-case") == 0)
            return check_string_arg(arg->child, k, path, err);
    }
    return check_fail(err, path,
                      "\"anything-but\" takes a value, a list of values, or one of "
                      "{\"prefix\": s}, {\"suffix\": s}, {\"equals-ignore-case\": s}");
}

/* Whether OP is a lower-bound operator (> or >=). */
static bool is_lower(const char *op)
{
    return strcmp(op, ">") == 0 || strcmp(op, ">=") == 0;
}

/* Whether OP is an upper-bound operator (< or <=). */
static bool is_upper(const char *op)
{
    return strcmp(op, "<") == 0 || strcmp(op, "<=") == 0;
}

/* numeric's argument: ["=", n], [op, n] or [lower-op, n, upper-op, m]. */
static bool check_numeric(const fj *arg, const char *path, char **err)
{
    static const char *usage =
        "\"numeric\" takes [\"=\", n], [\"<\"|\"<=\"|\">\"|\">=\", n] or a range "
        "[\">\"|\">=\", n, \"<\"|\"<=\", m]";
    const fj *items[5] = {0};
    size_t n = 0;
    for (const fj *c = arg->t == FJ_ARRAY ? arg->child : NULL; c && n < 5; c = c->next)
        items[n++] = c;
    if (arg->t != FJ_ARRAY || (n != 2 && n != 4))
        return check_fail(err, path, usage);
    for (size_t i = 0; i < n; i += 2)
        if (items[i]->t != FJ_STRING || items[i + 1]->t != FJ_NUMBER)
            return check_fail(err, path, usage);
    const char *op1 = items[0]->s;
    if (n == 2 && (strcmp(op1, "=") == 0 || is_lower(op1) || is_upper(op1)))
        return true;
    if (n == 4 && is_lower(op1) && is_upper(items[2]->s)) {
        if (items[1]->num >= items[3]->num)
            return check_fail(err, path,
                              "\"numeric\": the range's lower bound is not below its "
                              "upper bound, so nothing matches");
        return true;
    }
    return check_fail(err, path, usage);
}

/* One operator object {"op": argument} of a field's condition list. */
static bool check_operator(const fj *cond, const char *path, char **err)
{
    if (!cond->child)
        return check_fail(err, path, "an empty object is not a condition");
    if (cond->child->next)
        return check_fail(err, path, "a condition object holds exactly one operator");
    const fj *arg = cond->child;
    const char *op = arg->key;
    if (in_list(op, eventbridge_only)) {
        char *m = xasprintf("Lambda's filter rule syntax has no \"%s\" operator (that is "
                            "EventBridge's)",
                            op);
        check_fail(err, path, m);
        free(m);
        return false;
    }
    if (!in_list(op, operators)) {
        char *shown = str_escape_display(op);
        char *m = xasprintf("\"%s\" is not an operator; Lambda has prefix, suffix, "
                            "equals-ignore-case, anything-but, numeric and exists",
                            shown);
        check_fail(err, path, m);
        free(m);
        free(shown);
        return false;
    }
    if (strcmp(op, "anything-but") == 0)
        return check_anything_but(arg, path, err);
    if (strcmp(op, "numeric") == 0)
        return check_numeric(arg, path, err);
    if (strcmp(op, "exists") == 0) {
        if (arg->t == FJ_TRUE || arg->t == FJ_FALSE)
            return true;
        return check_fail(err, path, "\"exists\" takes true or false");
    }
    return check_string_arg(arg, op, path, err);
}

/* A field's condition list: a non-empty array of values and operators. */
static bool check_conditions(const fj *list, const char *path, char **err)
{
    if (!list->child)
        return check_fail(err, path, "an empty list of conditions matches nothing");
    for (const fj *c = list->child; c; c = c->next) {
        if (c->t == FJ_ARRAY)
            return check_fail(err, path, "a list inside a condition list");
        if (c->t == FJ_OBJECT && !check_operator(c, path, err))
            return false;
    }
    return true;
}

/* A member of a pattern object whose value is neither an object nor a
 * list: an operator out of place, or a value without its list. */
static bool check_scalar_member(const fj *c, const char *path, char **err)
{
    char *shown = fj_show(c, SHOW_MAX);
    char *m;
    if (in_list(c->key, operators) || in_list(c->key, eventbridge_only))
        m = xasprintf("\"%s\" is an operator: it goes inside a field's condition list, e.g. "
                      "{\"field\": [{\"%s\": %s}]}",
                      c->key, c->key, shown);
    else
        m = xasprintf("a field's conditions are a list: [%s], not %s", shown, shown);
    check_fail(err, path, m);
    free(m);
    free(shown);
    return false;
}

/* A pattern object: every member is a nested object or a condition list. */
static bool check_object(const fj *obj, const char *path, char **err)
{
    if (!obj->child)
        return check_fail(err, path, "an empty object: give at least one field");
    for (const fj *c = obj->child; c; c = c->next) {
        char *sub = path_join(path, c->key);
        bool ok;
        if (c->t == FJ_OBJECT)
            ok = check_object(c, sub, err);
        else if (c->t == FJ_ARRAY && strcmp(c->key, "$or") == 0)
            ok = check_fail(err, sub,
                            "Lambda's filter rule syntax has no \"$or\" (that is EventBridge's): "
                            "give several filters instead, which Lambda ORs");
        else if (c->t == FJ_ARRAY)
            ok = check_conditions(c, sub, err);
        else
            ok = check_scalar_member(c, sub, err);
        free(sub);
        if (!ok)
            return false;
    }
    return true;
}

filter_pattern *filter_pattern_parse(const char *text, char **err)
{
    char *perr = NULL;
    fj *root = fj_parse(text, strlen(text), &perr);
    if (!root) {
        *err = perr;
        return NULL;
    }
    if (root->t != FJ_OBJECT) {
        fj_free(root);
        *err = xstrdup("a filter pattern is a JSON object");
        return NULL;
    }
    if (!check_object(root, "", &perr)) {
        fj_free(root);
        *err = perr;
        return NULL;
    }
    filter_pattern *p = xcalloc(1, sizeof *p);
    p->root = root;
    return p;
}

void filter_pattern_free(filter_pattern *p)
{
    if (!p)
        return;
    fj_free(p->root);
    free(p);
}

/* ---- matching ---- */

/* ASCII-lowercase comparison of two byte strings of lengths AN and BN. */
static bool equal_ignore_case(const char *a, size_t an, const char *b, size_t bn)
{
    if (an != bn)
        return false;
    for (size_t i = 0; i < an; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return true;
}

/* Whether string V starts (SUFFIX: ends) with S. */
static bool has_affix(const fj *v, const fj *s, bool suffix)
{
    if (v->t != FJ_STRING || s->len > v->len)
        return false;
    const char *at = suffix ? v->s + v->len - s->len : v->s;
    return memcmp(at, s->s, s->len) == 0;
}

/* Exact equality of a leaf value and a pattern value: same type, same
 * bytes (numbers as written). */
static bool same_value(const fj *v, const fj *want)
{
    if (v->t != want->t)
        return false;
    if (v->t == FJ_STRING || v->t == FJ_NUMBER)
        return v->len == want->len && memcmp(v->s, want->s, v->len) == 0;
    return true;
}

/* Whether leaf V is one of anything-but's values (numbers by value). */
static bool excluded_value(const fj *v, const fj *x)
{
    if (x->t == FJ_NUMBER)
        return v->t == FJ_NUMBER && v->num == x->num;
    return same_value(v, x);
}

/* anything-but ARG on leaf V. */
static bool match_anything_but(const fj *v, const fj *arg)
{
    if (arg->t == FJ_ARRAY) {
        for (const fj *x = arg->child; x; x = x->next)
            if (excluded_value(v, x))
                return false;
        return true;
    }
    if (arg->t == FJ_OBJECT) {
        const fj *s = arg->child;
        if (v->t != FJ_STRING)
            return true;
        if (strcmp(s->key, "equals-ignore-case") == 0)
            return !equal_ignore_case(v->s, v->len, s->s, s->len);
        return !has_affix(v, s, strcmp(s->key, "suffix") == 0);
    }
    return !excluded_value(v, arg);
}

/* Whether number X satisfies "OP N". */
static bool compare(double x, const char *op, double n)
{
    if (strcmp(op, "=") == 0)
        return x == n;
    if (strcmp(op, "<") == 0)
        return x < n;
    if (strcmp(op, "<=") == 0)
        return x <= n;
    if (strcmp(op, ">") == 0)
        return x > n;
    return x >= n;
}

/* numeric ARG on leaf V: JSON numbers only. */
static bool match_numeric(const fj *v, const fj *arg)
{
    if (v->t != FJ_NUMBER)
        return false;
    for (const fj *op = arg->child; op && op->next; op = op->next->next)
        if (!compare(v->num, op->s, op->next->num))
            return false;
    return true;
}

/* One condition (not exists) on leaf V. */
static bool match_condition(const fj *v, const fj *cond)
{
    if (cond->t != FJ_OBJECT)
        return same_value(v, cond);
    const fj *arg = cond->child;
    const char *op = arg->key;
    if (strcmp(op, "prefix") == 0)
        return has_affix(v, arg, false);
    if (strcmp(op, "suffix") == 0)
        return has_affix(v, arg, true);
    if (strcmp(op, "equals-ignore-case") == 0)
        return v->t == FJ_STRING && equal_ignore_case(v->s, v->len, arg->s, arg->len);
    if (strcmp(op, "anything-but") == 0)
        return match_anything_but(v, arg);
    if (strcmp(op, "numeric") == 0)
        return match_numeric(v, arg);
    return false;
}

/* The leaves at a field's record value V (NULL when absent): V itself, or
 * the leaves of an array (nested arrays flattened). */
typedef struct leaves {
    const fj **v;
    size_t n, cap;
} leaves;

static void collect_leaves(leaves *l, const fj *v, int depth)
{
    if (!v || depth > FILTER_MAX_DEPTH)
        return;
    if (v->t == FJ_ARRAY) {
        for (const fj *c = v->child; c; c = c->next)
            collect_leaves(l, c, depth + 1);
        return;
    }
    if (!fj_is_leaf(v))
        return;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = v;
}

/* Whether condition COND is {"exists": ...}; sets *WANT. */
static bool is_exists(const fj *cond, bool *want)
{
    if (cond->t != FJ_OBJECT || strcmp(cond->child->key, "exists") != 0)
        return false;
    *want = cond->child->t == FJ_TRUE;
    return true;
}

/* The conditions LIST against the record value V of one field (NULL when
 * the record has no such field): any condition on any leaf. */
static bool match_field(const fj *list, const fj *v)
{
    leaves l = {0};
    collect_leaves(&l, v, 0);
    bool hit = false;
    for (const fj *cond = list->child; cond && !hit; cond = cond->next) {
        bool want;
        if (is_exists(cond, &want)) {
            hit = (l.n > 0) == want;
            continue;
        }
        for (size_t i = 0; i < l.n && !hit; i++)
            hit = match_condition(l.v[i], cond);
    }
    free(l.v);
    return hit;
}

/* Where matching stands: the first failing field, for the explanation. */
typedef struct match_ctx {
    char *fail_path;      /* dotted path of the first failing field */
    const fj *fail_value; /* the record's value there, or NULL (absent) */
    bool fail_set;
} match_ctx;

static bool match_object(const fj *pat, const fj *v, const char *path, match_ctx *mc, int depth);

/* Record the first failure. */
static void note_failure(match_ctx *mc, const char *path, const fj *v)
{
    if (mc->fail_set)
        return;
    mc->fail_set = true;
    mc->fail_path = xstrdup(path);
    mc->fail_value = v;
}

/* Pattern object PAT against an array V: any element that is an object
 * matches it as a whole (so that ANDed fields come from one element). */
static bool match_array(const fj *pat, const fj *v, const char *path, match_ctx *mc, int depth)
{
    bool any_object = false;
    for (const fj *e = v->child; e; e = e->next) {
        if (e->t != FJ_OBJECT && e->t != FJ_ARRAY)
            continue;
        any_object = true;
        match_ctx quiet = {0};
        bool ok = match_object(pat, e, path, &quiet, depth + 1);
        free(quiet.fail_path);
        if (ok)
            return true;
    }
    return !any_object ? match_object(pat, NULL, path, mc, depth + 1)
                       : (note_failure(mc, path, v), false);
}

/* Pattern object PAT against record value V (NULL when absent; a leaf
 * holds no fields): every field of PAT. */
static bool match_object(const fj *pat, const fj *v, const char *path, match_ctx *mc, int depth)
{
    if (depth > FILTER_MAX_DEPTH)
        return false;
    if (v && v->t == FJ_ARRAY)
        return match_array(pat, v, path, mc, depth);
    for (const fj *f = pat->child; f; f = f->next) {
        const fj *child = v && v->t == FJ_OBJECT ? fj_get(v, f->key) : NULL;
        char *sub = path_join(path, f->key);
        bool ok =
            f->t == FJ_OBJECT ? match_object(f, child, sub, mc, depth + 1) : match_field(f, child);
        if (!ok && f->t != FJ_OBJECT)
            note_failure(mc, sub, child);
        free(sub);
        if (!ok)
            return false;
    }
    return true;
}

bool filter_pattern_match(const filter_pattern *p, const filter_record *r, char **why)
{
    match_ctx mc = {0};
    bool ok = match_object(p->root, r->root, "", &mc, 0);
    if (!ok && why) {
        const char *path = mc.fail_path ? mc.fail_path : "";
        if (!mc.fail_value) {
            *why = xasprintf("%s: not in the record", path);
        } else if (mc.fail_value->t == FJ_OBJECT) {
            *why = xasprintf("%s: the record has an object there, not a value", path);
        } else {
            char *shown = fj_show(mc.fail_value, SHOW_MAX);
            *why = xasprintf("%s: the record has %s", path, shown);
            free(shown);
        }
    }
    free(mc.fail_path);
    return ok;
}

/* ---- lint: DynamoDB pitfalls ---- */

/* The fields of a DynamoDB stream record as Lambda delivers it. */
static const char *const record_fields[] = {"awsRegion",    "dynamodb",     "eventID",
                                            "eventName",    "eventSource",  "eventSourceARN",
                                            "eventVersion", "userIdentity", NULL};
static const char *const dynamodb_fields[] = {"ApproximateCreationDateTime",
                                              "Keys",
                                              "NewImage",
                                              "OldImage",
                                              "SequenceNumber",
                                              "SizeBytes",
                                              "StreamViewType",
                                              NULL};
static const char *const image_fields[] = {"Keys", "NewImage", "OldImage", NULL};
/* DynamoDB's attribute type keys. */
static const char *const attribute_types[] = {"S", "N",  "B",  "BOOL", "NULL", "M",
                                              "L", "SS", "NS", "BS",   NULL};
static const char *const event_names[] = {"INSERT", "MODIFY", "REMOVE", NULL};

/* Whether condition list LIST holds a numeric condition. */
static bool has_numeric(const fj *list)
{
    for (const fj *c = list->child; c; c = c->next)
        if (c->t == FJ_OBJECT && strcmp(c->child->key, "numeric") == 0)
            return true;
    return false;
}

/* Lint one attribute ATTR (a member of Keys/NewImage/OldImage) at PATH. */
static void lint_attribute(strbuf *b, const fj *attr, const char *path)
{
    if (attr->t == FJ_ARRAY) {
        bool only_absent = true;
        for (const fj *c = attr->child; c; c = c->next) {
            bool want;
            only_absent = only_absent && is_exists(c, &want) && !want;
        }
        if (!only_absent)
            sb_addf(b,
                    "%s: a stream record's attribute is an object of its type ({\"S\": \"x\"}): "
                    "put the conditions under the type, e.g. {\"S\": [...]}; as written only "
                    "{\"exists\": false} can match\n",
                    path);
        return;
    }
    for (const fj *t = attr->child; t; t = t->next) {
        char *sub = path_join(path, t->key);
        if (!in_list(t->key, attribute_types))
            sb_addf(b,
                    "%s: %s is not a DynamoDB attribute type (S, N, B, BOOL, NULL, M, L, SS, "
                    "NS, BS)\n",
                    sub, t->key);
        else if (t->t == FJ_ARRAY && has_numeric(t))
            sb_addf(b,
                    "%s: a stream record holds numbers as strings ({\"N\": \"42\"}) and numeric "
                    "matches JSON numbers only: this condition never matches; compare the "
                    "string instead (exact, prefix, anything-but)\n",
                    sub);
        free(sub);
    }
}

/* Warn when V (a value of an eventName condition) is no event name. */
static void lint_event_name_value(strbuf *b, const fj *v)
{
    if (v->t != FJ_STRING || in_list(v->s, event_names))
        return;
    char *shown = fj_show(v, SHOW_MAX);
    sb_addf(b, "eventName: %s is never a stream record's event name (INSERT, MODIFY or REMOVE)\n",
            shown);
    free(shown);
}

/* Lint the eventName conditions LIST: exact values and anything-but's. */
static void lint_event_name(strbuf *b, const fj *list)
{
    for (const fj *c = list->child; c; c = c->next) {
        if (c->t != FJ_OBJECT) {
            lint_event_name_value(b, c);
            continue;
        }
        const fj *arg = c->child;
        if (strcmp(arg->key, "anything-but") != 0)
            continue;
        if (arg->t == FJ_ARRAY)
            for (const fj *v = arg->child; v; v = v->next)
                lint_event_name_value(b, v);
        else
            lint_event_name_value(b, arg);
    }
}

/* Lint the members of the pattern's "dynamodb" object. */
static void lint_dynamodb(strbuf *b, const fj *obj)
{
    for (const fj *f = obj->child; f; f = f->next) {
        char *path = path_join("dynamodb", f->key);
        if (!in_list(f->key, dynamodb_fields))
            sb_addf(b, "%s: a stream record's dynamodb object has no such field\n", path);
        else if (in_list(f->key, image_fields) && f->t == FJ_OBJECT)
            for (const fj *a = f->child; a; a = a->next) {
                char *sub = path_join(path, a->key);
                lint_attribute(b, a, sub);
                free(sub);
            }
        free(path);
    }
}

char *filter_pattern_lint(const filter_pattern *p)
{
    strbuf b = {0};
    for (const fj *f = p->root->child; f; f = f->next) {
        char *path = path_join("", f->key);
        if (!in_list(f->key, record_fields))
            sb_addf(&b, "%s: a DynamoDB stream record has no such field\n", path);
        else if (strcmp(f->key, "eventName") == 0 && f->t == FJ_ARRAY)
            lint_event_name(&b, f);
        else if (strcmp(f->key, "dynamodb") == 0 && f->t == FJ_OBJECT)
            lint_dynamodb(&b, f);
        free(path);
    }
    if (b.len == 0) {
        free(b.s);
        return NULL;
    }
    b.s[--b.len] = '\0';
    return sb_take(&b);
}

/* ---- records ---- */

/* Whether V looks like a DynamoDB stream record. */
static bool is_record(const fj *v)
{
    return v->t == FJ_OBJECT && (fj_get(v, "dynamodb") || fj_get(v, "eventName"));
}

/* Add a copy-free record holding V (taken out of its parent). */
static void add_record(filter_records *out, fj *v)
{
    filter_record *r = xcalloc(1, sizeof *r);
    r->root = v;
    out->items = xrealloc(out->items, (out->n + 1) * sizeof *out->items);
    out->items[out->n++] = r;
}

/* Take every element of array LIST as a record; -1 with *err when one is not. */
static int take_records(fj *list, filter_records *out, const char *where, char **err)
{
    size_t i = 0;
    for (const fj *c = list->child; c; c = c->next, i++)
        if (!is_record(c)) {
            *err = xasprintf("%s[%zu]: not a DynamoDB stream record (no \"dynamodb\" and no "
                             "\"eventName\")",
                             where, i);
            return -1;
        }
    if (!list->child) {
        *err = xasprintf("%s: no records", where);
        return -1;
    }
    while (list->child) {
        fj *c = list->child;
        list->child = c->next;
        c->next = NULL;
        add_record(out, c);
    }
    return 0;
}

int filter_records_parse(const char *text, size_t len, filter_records *out, char **err)
{
    memset(out, 0, sizeof *out);
    fj *root = fj_parse(text, len, err);
    if (!root)
        return -1;
    int rc = 0;
    fj *records = root->t == FJ_OBJECT ? (fj *)fj_get(root, "Records") : NULL;
    if (records && records->t == FJ_ARRAY) {
        rc = take_records(records, out, "Records", err);
    } else if (root->t == FJ_ARRAY) {
        rc = take_records(root, out, "", err);
    } else if (is_record(root)) {
        add_record(out, root);
        root = NULL;
    } else {
        *err = xstrdup("not a DynamoDB stream record: expected a record (with \"eventName\" and "
                       "\"dynamodb\"), a list of records, or an event {\"Records\": [...]}");
        rc = -1;
    }
    fj_free(root);
    if (rc < 0)
        filter_records_free(out);
    return rc;
}

void filter_records_free(filter_records *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        fj_free(rs->items[i]->root);
        free(rs->items[i]);
    }
    free(rs->items);
    memset(rs, 0, sizeof *rs);
}

char *filter_record_describe(const filter_record *r)
{
    strbuf b = {0};
    const fj *name = fj_get(r->root, "eventName");
    if (name && name->t == FJ_STRING)
        sb_add(&b, name->s);
    else
        sb_add(&b, "record");
    const fj *keys = fj_get(fj_get(r->root, "dynamodb"), "Keys");
    const char *sep = ", keys ";
    for (const fj *k = keys && keys->t == FJ_OBJECT ? keys->child : NULL; k; k = k->next) {
        const fj *typed = k->t == FJ_OBJECT ? k->child : NULL;
        sb_addf(&b, "%s%s=", sep, k->key);
        if (typed && fj_is_leaf(typed))
            fj_print(&b, typed);
        else
            sb_add(&b, "?");
        sep = " ";
    }
    char *shown = str_escape_display(b.s);
    free(b.s);
    return shown;
}

/* ---- testing a mapping's filters ---- */

void filter_test_patterns(const char *const *patterns, size_t n, const filter_record *r,
                          filter_test *out)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    out->no_filters = n == 0;
    out->any_match = n == 0;
    out->results = n ? xcalloc(n, sizeof *out->results) : NULL;
    for (size_t i = 0; i < n; i++) {
        filter_result *res = &out->results[i];
        res->pattern = patterns[i];
        filter_pattern *p = filter_pattern_parse(patterns[i], &res->error);
        if (!p) {
            out->invalid++;
            continue;
        }
        res->valid = true;
        res->lint = filter_pattern_lint(p);
        res->matched = filter_pattern_match(p, r, &res->why);
        out->any_match = out->any_match || res->matched;
        filter_pattern_free(p);
    }
}

void filter_test_mapping(const mapping *m, const filter_record *r, filter_test *out)
{
    const opt_def *t = opt_table();
    const opt_value *v = NULL;
    for (size_t i = 0; i < OPT_COUNT && !v; i++)
        if (t[i].type == OPT_T_PATTERNS)
            v = mapping_get(m, t[i].id);
    size_t n = v ? v->n_items : 0;
    const char **patterns = n ? xcalloc(n, sizeof *patterns) : NULL;
    for (size_t i = 0; i < n; i++)
        patterns[i] = v->items[i].key;
    filter_test_patterns(patterns, n, r, out);
    free(patterns);
}

void filter_test_free(filter_test *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->results[i].error);
        free(t->results[i].why);
        free(t->results[i].lint);
    }
    free(t->results);
    memset(t, 0, sizeof *t);
}
