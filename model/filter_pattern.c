/* The one check of a filter pattern, and its compiled form (see
 * filter_match.h for the rules). The structure follows event-ruler's rule
 * compiler so that what it accepts, and what the fields mean, agree: the
 * pattern becomes a list of alternatives ($or multiplies them), each a set
 * of fields keyed by their dotted path, where a later field replaces an
 * earlier one with the same path. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/filter_int.h"
#include "model/util.h"

/* How much of a value a message shows. */
enum { SHOW_MAX = 60 };

static const char OR_KEY[] = "$or";

/* Names that cannot be fields inside $or (event-ruler's reserved words). */
static const char *const reserved_in_or[] = {"exactly",
                                             "equals-ignore-case",
                                             "prefix",
                                             "suffix",
                                             "anything-but",
                                             "exists",
                                             "wildcard",
                                             "numeric",
                                             "cidr",
                                             "=",
                                             "<",
                                             "<=",
                                             ">",
                                             ">=",
                                             "regex",
                                             "not-wildcard",
                                             "not-equals-ignore-case",
                                             "date-after",
                                             "date-on-or-after",
                                             "date-before",
                                             "date-on-or-before",
                                             "in-date-range",
                                             "ip-address-in-range",
                                             "ip-address-not-in-range",
                                             NULL};

/* The operators, as a message lists them. */
#define LAMBDA_OPERATORS                                                                           \
    "prefix, suffix, equals-ignore-case, anything-but, numeric, exists (EventBridge also has "     \
    "wildcard, cidr, exactly)"

typedef struct compiler {
    filter_pattern *p;
    char *err;
    bool plain_or; /* read "$or" as a field name (event-ruler's older compiler) */
    branch *rules; /* the alternatives so far */
    size_t nrules, cap;
} compiler;

/* ---- messages ---- */

static bool fail(compiler *c, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(compiler *c, const char *path, const char *fmt, ...)
{
    if (c->err)
        return false;
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    c->err = *path ? xasprintf("%s: %s", path, msg) : xstrdup(msg);
    free(msg);
    return false;
}

static char *show(const fj *v)
{
    return fj_show(v, SHOW_MAX);
}

/* "PATH[I]". Caller frees. */
static char *path_index(const char *path, size_t i)
{
    return xasprintf("%s[%zu]", path, i);
}

/* ---- the alternatives ---- */

/* A copy of branch B in the arena. */
static branch copy_branch(compiler *c, const branch *b)
{
    branch n = {0};
    n.cap = b->n + 4;
    n.fields = fj_alloc(&c->p->arena, n.cap * sizeof *n.fields);
    if (b->n)
        memcpy(n.fields, b->fields, b->n * sizeof *b->fields);
    n.n = b->n;
    return n;
}

static void push_rule(compiler *c, branch b)
{
    if (c->nrules == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 4;
        c->rules = xrealloc(c->rules, c->cap * sizeof *c->rules);
    }
    c->rules[c->nrules++] = b;
}

/* Put field F into every alternative, replacing a field of the same path
 * (a member named twice: the last one counts). */
static void put_field(compiler *c, field_spec *f, const char *jpath)
{
    if (c->nrules == 0)
        push_rule(c, (branch){0});
    for (size_t i = 0; i < c->nrules; i++) {
        branch *b = &c->rules[i];
        size_t k = 0;
        while (k < b->n && !(b->fields[k]->plen == f->plen &&
                             memcmp(b->fields[k]->path, f->path, f->plen) == 0))
            k++;
        if (k < b->n) {
            filter_notes_add(&c->p->notes, jpath,
                             "this field is given more than once (the same path from another "
                             "member): Lambda keeps only the last list, the earlier conditions "
                             "are dropped; put every value in one list");
            b->fields[k] = f;
            continue;
        }
        if (b->n == b->cap) {
            branch grown = copy_branch(c, b);
            *b = grown;
        }
        b->fields[b->n++] = f;
    }
}

/* ---- conditions ---- */

static bool compile_object(compiler *c, const fj *obj, const char *name, size_t depth,
                           const char *jpath, bool in_or);

/* Text operand S of condition X, kept; with its ignore-case units. */
static void add_text(compiler *c, cond *x, const fj *s, bool ic)
{
    cond_text *t = &x->texts[x->ntexts++];
    t->s = s->s;
    t->len = s->len;
    if (ic) {
        filter_case_compile(&t->ic, s->s, s->len);
        /* the units live in the heap: keep them with the pattern's arena */
        filter_case_unit *u = fj_alloc(&c->p->arena, (t->ic.n ? t->ic.n : 1) * sizeof *u);
        if (t->ic.n)
            memcpy(u, t->ic.units, t->ic.n * sizeof *u);
        free(t->ic.units);
        t->ic.units = u;
    }
}

static cond_text *texts_for(compiler *c, size_t n)
{
    cond_text *t = fj_alloc(&c->p->arena, (n ? n : 1) * sizeof *t);
    memset(t, 0, (n ? n : 1) * sizeof *t);
    return t;
}

/* The string operand of OP at JOP. */
static bool want_string(compiler *c, const fj *v, const char *jop, const char *op)
{
    if (v->t == FJ_STRING)
        return true;
    char *s = show(v);
    fail(c, jop, "%s is not a string: \"%s\" takes a string, e.g. {\"%s\": \"abc\"}", s, op, op);
    free(s);
    return false;
}

/* A number operand N at JPATH, as a comparable integer. */
static bool want_comparable(compiler *c, const fj *n, const char *jpath, int64_t *out)
{
    if (filter_number_value(n->s, n->len, out))
        return true;
    char *s = show(n);
    fail(c, jpath,
         "%s cannot be compared exactly: Lambda's filter engine compares numbers with at most %d "
         "decimals between -%lld and %lld",
         s, FILTER_NUMERIC_DECIMALS, FILTER_NUMERIC_MAX, FILTER_NUMERIC_MAX);
    free(s);
    return false;
}

/* Wildcard W: no "**", a backslash only before '*' or '\'. */
static bool check_wildcard(compiler *c, const fj *w, const char *jop)
{
    for (size_t i = 0; i < w->len; i++) {
        if (w->s[i] == '*' && i + 1 < w->len && w->s[i + 1] == '*') {
            char *s = show(w);
            fail(c, jop, "%s has two * in a row (at byte %zu): one * already matches any text", s,
                 i);
            free(s);
            return false;
        }
        if (w->s[i] == '\\') {
            if (i + 1 < w->len && (w->s[i + 1] == '*' || w->s[i + 1] == '\\')) {
                i++;
                continue;
            }
            char *s = show(w);
            fail(c, jop,
                 "%s has a backslash (at byte %zu) before neither * nor \\: write \\* for a star "
                 "and \\\\ for a backslash",
                 s, i);
            free(s);
            return false;
        }
    }
    return true;
}

/* {"cidr": "ADDRESS/BITS"}. */
static bool compile_cidr(compiler *c, cond *x, const fj *v, const char *jop)
{
    if (!want_string(c, v, jop, "cidr"))
        return false;
    const char *slash = memchr(v->s, '/', v->len);
    const char *after = slash ? slash + 1 : NULL;
    size_t alen_text = slash ? (size_t)(v->s + v->len - after) : 0;
    long bits = 0;
    bool ok = slash && !memchr(after, '/', alen_text) && alen_text > 0 && alen_text < 5;
    for (size_t i = 0; ok && i < alen_text; i++) {
        ok = after[i] >= '0' && after[i] <= '9';
        bits = bits * 10 + (after[i] - '0');
    }
    uint8_t addr[16], alen = 0;
    ok = ok && filter_ip_parse(v->s, (size_t)(slash - v->s), addr, &alen) &&
         bits <= (alen == 4 ? 31 : 127);
    if (!ok) {
        char *s = show(v);
        fail(
            c, jop,
            "%s is not a CIDR block: write ADDRESS/BITS, e.g. \"10.0.0.0/24\" or \"2001:db8::/32\" "
            "(IPv4 bits 0..31, IPv6 0..127)",
            s);
        free(s);
        return false;
    }
    x->k = C_CIDR;
    x->alen = alen;
    memcpy(x->first, addr, alen);
    memcpy(x->last, addr, alen);
    long host = (alen == 4 ? 32 : 128) - bits;
    for (int i = alen - 1; i >= 0 && host > 0; i--, host -= 8)
        x->last[i] |= (uint8_t)(host >= 8 ? 0xFF : (1u << host) - 1);
    return true;
}

/* {"numeric": [OP, N (, OP2, M)]}. */
static bool compile_numeric(compiler *c, cond *x, const fj *v, const char *jop)
{
    static const char usage[] =
        "numeric takes [\"=\", n], [\"<\" or \"<=\", n], [\">\" or \">=\", n] or a range [\">\" "
        "or \">=\", n, \"<\" or \"<=\", m]";
    const fj *e[5] = {0};
    size_t n = 0;
    for (const fj *k = v->t == FJ_ARRAY ? v->child : NULL; k && n < 5; k = k->next)
        e[n++] = k;
    char *s = show(v);
    bool ok = false;
    const char *op = e[0] && e[0]->t == FJ_STRING ? e[0]->s : "";
    bool lower = e[0] && (fj_is_text(e[0], ">") || fj_is_text(e[0], ">="));
    bool upper = e[0] && (fj_is_text(e[0], "<") || fj_is_text(e[0], "<="));
    bool eq = e[0] && fj_is_text(e[0], "=");
    if (v->t != FJ_ARRAY || !(lower || upper || eq)) {
        fail(c, jop, "%s: %s", s, usage);
    } else if (!e[1] || e[1]->t != FJ_NUMBER) {
        fail(c, jop, "%s: \"%s\" needs a number after it (%s)", s, op, usage);
    } else if (upper && n == 4) {
        fail(c, jop, "%s: a range is a lower bound then an upper bound: %s", s, usage);
    } else if ((eq || upper) && n > 2) {
        fail(c, jop, "%s has too many elements: %s", s, usage);
    } else if (lower && n > 2 &&
               (n != 4 || !(fj_is_text(e[2], "<") || fj_is_text(e[2], "<=")) ||
                e[3]->t != FJ_NUMBER)) {
        fail(c, jop, "%s: a range is a lower bound then an upper bound: %s", s, usage);
    } else {
        ok = true;
    }
    free(s);
    if (!ok)
        return false;
    int64_t a, b = 0;
    if (!want_comparable(c, e[1], jop, &a) || (n == 4 && !want_comparable(c, e[3], jop, &b)))
        return false;
    /* a one-sided bound at the end of the engine's range: nothing, or one
       number, lies beyond it */
    if (n == 2 && !eq &&
        (lower ? a >= FILTER_NUMERIC_MAX * 1000000LL : a <= -FILTER_NUMERIC_MAX * 1000000LL)) {
        char *sa = show(e[1]);
        bool open = fj_is_text(e[0], ">") || fj_is_text(e[0], "<");
        filter_notes_add(
            &c->p->notes, jop,
            "%s: Lambda compares numbers between -%lld and %lld only, so %s; write "
            "[\"=\", %s] or another bound",
            open ? "never matches" : "surprising", FILTER_NUMERIC_MAX, FILTER_NUMERIC_MAX,
            open ? "nothing lies beyond this bound" : "only the bound itself matches", sa);
        free(sa);
    }
    x->k = C_NUMERIC;
    if (eq) {
        x->has_lo = x->has_hi = true;
        x->lo = x->hi = a;
    } else if (upper) {
        x->has_hi = true;
        x->hi = a;
        x->hi_open = fj_is_text(e[0], "<");
    } else {
        x->has_lo = true;
        x->lo = a;
        x->lo_open = fj_is_text(e[0], ">");
        if (n == 4) {
            x->has_hi = true;
            x->hi = b;
            x->hi_open = fj_is_text(e[2], "<");
            if (a >= b) {
                char *sa = show(e[1]), *sb = show(e[3]);
                fail(c, jop,
                     "the lower bound %s is not below the upper bound %s: nothing would match; "
                     "write the smaller number first",
                     sa, sb);
                free(sa);
                free(sb);
                return false;
            }
        }
    }
    return true;
}

/* anything-but's list or value for the set kinds (prefix, suffix,
 * equals-ignore-case, wildcard): strings only. */
static bool compile_but_set(compiler *c, cond *x, const fj *v, const char *jop, const char *inner)
{
    bool affix = x->k == C_BUT_PREFIX || x->k == C_BUT_SUFFIX;
    size_t n = v->t == FJ_ARRAY ? v->len : 1;
    if (n == 0) /* (event-ruler fails on it while adding the rule) */
        return fail(c, jop, "[] is an empty list: anything-but's %s needs at least one string",
                    inner);
    x->texts = texts_for(c, n);
    const fj *one = v->t == FJ_ARRAY ? v->child : v;
    size_t i = 0;
    for (const fj *e = one; e; e = v->t == FJ_ARRAY ? e->next : NULL, i++) {
        char *at = v->t == FJ_ARRAY ? path_index(jop, i) : xstrdup(jop);
        bool ok = want_string(c, e, at, inner);
        if (ok && affix && e->len == 0)
            ok = fail(c, at,
                      "an empty %s inside anything-but would exclude every string: give at least "
                      "one character",
                      inner);
        if (ok && x->k == C_BUT_WILDCARD)
            ok = check_wildcard(c, e, at);
        free(at);
        if (!ok)
            return false;
        add_text(c, x, e, x->k == C_BUT_IC);
    }
    return true;
}

/* anything-but: a string or number, a list of strings or of numbers, or
 * one of {"prefix"|"suffix"|"equals-ignore-case"|"wildcard": s | [s...]}. */
static bool compile_anything_but(compiler *c, cond *x, const fj *v, const char *jop)
{
    static const char usage[] =
        "anything-but takes a string or number, a list of strings or a list of numbers, or "
        "{\"prefix\": s}, {\"suffix\": s}, {\"equals-ignore-case\": s or [s, ...]}";
    if (v->t == FJ_OBJECT) {
        const fj *in = v->child;
        char *at = in ? filter_path_join(jop, in->key, in->klen) : xstrdup(jop);
        bool ok = true;
        if (!in || (!fj_key_is(in, "prefix") && !fj_key_is(in, "suffix") &&
                    !fj_key_is(in, "equals-ignore-case") && !fj_key_is(in, "wildcard"))) {
            char *s = show(v);
            ok = fail(c, jop, "%s: %s", s, usage);
            free(s);
        } else if (in->next) {
            char *s = show(v);
            ok = fail(c, jop, "%s holds more than one operator: %s", s, usage);
            free(s);
        } else if (in->t != FJ_STRING && in->t != FJ_ARRAY) {
            ok = want_string(c, in, at, in->key);
        } else {
            x->k = fj_key_is(in, "prefix")     ? C_BUT_PREFIX
                   : fj_key_is(in, "suffix")   ? C_BUT_SUFFIX
                   : fj_key_is(in, "wildcard") ? C_BUT_WILDCARD
                                               : C_BUT_IC;
            ok = compile_but_set(c, x, in, at, in->key);
            if (ok && x->k == C_BUT_WILDCARD)
                filter_notes_add(&c->p->notes, at,
                                 "anything-but with wildcard is not in Lambda's filter rule syntax "
                                 "(EventBridge has it): AWS may refuse the mapping; use "
                                 "anything-but with prefix or suffix");
        }
        free(at);
        return ok;
    }
    if (v->t == FJ_STRING || v->t == FJ_NUMBER) {
        x->k = v->t == FJ_STRING ? C_BUT_STRINGS : C_BUT_NUMBERS;
    } else if (v->t == FJ_ARRAY && v->child) {
        x->k = v->child->t == FJ_NUMBER ? C_BUT_NUMBERS : C_BUT_STRINGS;
        fj_type want = x->k == C_BUT_NUMBERS ? FJ_NUMBER : FJ_STRING;
        for (const fj *e = v->child; e; e = e->next)
            if (e->t != want) {
                char *s = show(v);
                fail(c, jop, "%s mixes types or holds %s: %s", s,
                     e->t == FJ_STRING || e->t == FJ_NUMBER ? "strings and numbers"
                                                            : "something else",
                     usage);
                free(s);
                return false;
            }
    } else {
        char *s = show(v);
        fail(c, jop, "%s: %s", s, usage);
        free(s);
        return false;
    }
    size_t n = v->t == FJ_ARRAY ? v->len : 1;
    const fj *first = v->t == FJ_ARRAY ? v->child : v;
    if (x->k == C_BUT_NUMBERS) {
        x->nums = fj_alloc(&c->p->arena, n * sizeof *x->nums);
        for (const fj *e = first; e; e = v->t == FJ_ARRAY ? e->next : NULL)
            if (!want_comparable(c, e, jop, &x->nums[x->nnums++]))
                return false;
        return true;
    }
    x->texts = texts_for(c, n);
    for (const fj *e = first; e; e = v->t == FJ_ARRAY ? e->next : NULL)
        add_text(c, x, e, false);
    return true;
}

/* prefix or suffix: a string, or {"equals-ignore-case": s}. */
static bool compile_affix(compiler *c, cond *x, const fj *v, const char *jop, bool suffix)
{
    const char *op = suffix ? "suffix" : "prefix";
    x->texts = texts_for(c, 1);
    if (v->t != FJ_OBJECT) {
        if (!want_string(c, v, jop, op))
            return false;
        x->k = suffix ? C_SUFFIX : C_PREFIX;
        add_text(c, x, v, false);
        return true;
    }
    const fj *in = v->child;
    if (!in || in->next || !fj_key_is(in, "equals-ignore-case")) {
        char *s = show(v);
        fail(c, jop, "%s: %s takes a string, or {\"equals-ignore-case\": s}", s, op);
        free(s);
        return false;
    }
    char *at = filter_path_join(jop, in->key, in->klen);
    bool ok = want_string(c, in, at, "equals-ignore-case");
    if (ok) {
        x->k = suffix ? C_SUFFIX_IC : C_PREFIX_IC;
        add_text(c, x, in, true);
        filter_notes_add(&c->p->notes, jop,
                         "%s with equals-ignore-case is not in Lambda's filter rule syntax "
                         "(EventBridge has it): AWS may refuse the mapping; use {\"%s\": ...} with "
                         "the case as stored, or equals-ignore-case on the whole value",
                         op, op);
    }
    free(at);
    return ok;
}

/* One operator object {"OP": ARG} at JPATH. */
static bool compile_operator(compiler *c, cond *x, const fj *obj, const char *jpath)
{
    const fj *arg = obj->child;
    if (!arg) {
        return fail(c, jpath,
                    "{} is not a condition: an operator object holds one operator, e.g. "
                    "{\"prefix\": \"us-\"}; Lambda has " LAMBDA_OPERATORS);
    }
    if (arg->next) {
        char *s = show(obj);
        fail(c, jpath,
             "%s holds %u operators: one per object; list each on its own, e.g. [{\"prefix\": "
             "\"a\"}, {\"suffix\": \"z\"}]",
             s, obj->len);
        free(s);
        return false;
    }
    char *jop = filter_path_join(jpath, arg->key, arg->klen);
    bool ok = true;
    if (fj_key_is(arg, "prefix") || fj_key_is(arg, "suffix")) {
        ok = compile_affix(c, x, arg, jop, fj_key_is(arg, "suffix"));
    } else if (fj_key_is(arg, "equals-ignore-case") || fj_key_is(arg, "exactly") ||
               fj_key_is(arg, "wildcard")) {
        ok = want_string(c, arg, jop, arg->key) &&
             (!fj_key_is(arg, "wildcard") || check_wildcard(c, arg, jop));
        if (ok) {
            x->k = fj_key_is(arg, "equals-ignore-case") ? C_EQUALS_IC
                   : fj_key_is(arg, "exactly")          ? C_STRING
                                                        : C_WILDCARD;
            x->texts = texts_for(c, 1);
            add_text(c, x, arg, x->k == C_EQUALS_IC);
        }
        if (ok && x->k == C_WILDCARD)
            filter_notes_add(
                &c->p->notes, jop,
                "wildcard is not in Lambda's filter rule syntax (EventBridge has it): "
                "AWS may refuse the mapping; use prefix or suffix, or list the values");
        if (ok && fj_key_is(arg, "exactly"))
            filter_notes_add(&c->p->notes, jop,
                             "exactly is not in Lambda's filter rule syntax: AWS may refuse the "
                             "mapping; write the value itself in the list, e.g. [\"abc\"]");
    } else if (fj_key_is(arg, "numeric")) {
        ok = compile_numeric(c, x, arg, jop);
    } else if (fj_key_is(arg, "anything-but")) {
        ok = compile_anything_but(c, x, arg, jop);
    } else if (fj_key_is(arg, "exists")) {
        if (arg->t == FJ_TRUE || arg->t == FJ_FALSE) {
            x->k = arg->t == FJ_TRUE ? C_EXISTS : C_ABSENT;
        } else {
            char *s = show(arg);
            ok = fail(c, jop, "%s: exists takes true or false", s);
            free(s);
        }
    } else if (fj_key_is(arg, "cidr")) {
        ok = compile_cidr(c, x, arg, jop);
        if (ok)
            filter_notes_add(&c->p->notes, jop,
                             "cidr is not in Lambda's filter rule syntax (EventBridge has it): AWS "
                             "may refuse the mapping; use prefix (e.g. {\"prefix\": \"10.0.\"})");
    } else {
        char *name = xstrndup(arg->key, arg->klen);
        char *shown = str_escape_display(name);
        ok = fail(c, jpath, "\"%s\" is not an operator; Lambda has " LAMBDA_OPERATORS, shown);
        free(shown);
        free(name);
    }
    free(jop);
    return ok;
}

/* A field's list of conditions at JPATH, for the dotted path NAME. */
static field_spec *compile_list(compiler *c, const fj *list, const char *name, const char *jpath)
{
    if (!list->child) {
        fail(c, jpath,
             "[] is an empty list: a field's list needs at least one condition, e.g. [\"INSERT\"] "
             "or [{\"exists\": true}]");
        return NULL;
    }
    field_spec *f = fj_alloc(&c->p->arena, sizeof *f);
    memset(f, 0, sizeof *f);
    f->path = name;
    f->plen = strlen(name);
    f->id = c->p->nspecs++;
    f->list = list;
    f->conds = fj_alloc(&c->p->arena, list->len * sizeof *f->conds);
    memset(f->conds, 0, list->len * sizeof *f->conds);
    size_t i = 0;
    for (const fj *e = list->child; e; e = e->next, i++) {
        cond *x = &f->conds[f->nconds++];
        char *at = path_index(jpath, i);
        bool ok = true;
        switch (e->t) {
        case FJ_OBJECT:
            ok = compile_operator(c, x, e, at);
            break;
        case FJ_ARRAY:
            ok = fail(c, at,
                      "a list inside a field's list: a condition is a string, number, true, "
                      "false, null or one operator object");
            break;
        case FJ_STRING:
            x->k = C_STRING;
            x->texts = texts_for(c, 1);
            add_text(c, x, e, false);
            break;
        case FJ_NUMBER:
            x->k = C_NUMBER;
            x->texts = texts_for(c, 1);
            add_text(c, x, e, false);
            x->comparable = filter_number_value(e->s, e->len, &x->value);
            break;
        case FJ_NULL:
            x->k = C_NULL;
            break;
        case FJ_TRUE:
            x->k = C_TRUE;
            break;
        case FJ_FALSE:
            x->k = C_FALSE;
            break;
        }
        free(at);
        if (!ok)
            return NULL;
        f->absent_ok = f->absent_ok || x->k == C_ABSENT;
        f->any_leaf = f->any_leaf || x->k == C_EXISTS;
    }
    return f;
}

/* ---- objects and $or ---- */

/* NAME.KEY, as event-ruler joins a path (no dot after an empty name). */
static char *extended(compiler *c, const char *name, const fj *m)
{
    size_t n = strlen(name);
    char *s = fj_alloc(&c->p->arena, n + 1 + m->klen + 1);
    memcpy(s, name, n);
    if (n)
        s[n++] = '.';
    memcpy(s + n, m->key, m->klen);
    s[n + m->klen] = '\0';
    return s;
}

/* The name after stepping into member M at DEPTH: steps joined with '.'. */
static char *pushed(compiler *c, const char *name, size_t depth, const fj *m)
{
    size_t n = strlen(name);
    char *s = fj_alloc(&c->p->arena, n + 1 + m->klen + 1);
    memcpy(s, name, n);
    if (depth > 0)
        s[n++] = '.';
    memcpy(s + n, m->key, m->klen);
    s[n + m->klen] = '\0';
    return s;
}

/* "$or": [{...}, {...}, ...]: every alternative so far, once per object. */
static bool compile_or(compiler *c, const fj *m, const char *name, size_t depth, const char *jpath)
{
    if (m->t != FJ_ARRAY)
        return fail(c, jpath,
                    "$or needs a list of at least two pattern objects, e.g. [{\"eventName\": "
                    "[\"INSERT\"]}, {\"dynamodb\": {\"Keys\": {\"id\": {\"S\": [\"a\"]}}}}]");
    branch *before = c->rules;
    size_t nbefore = c->nrules;
    branch *all = NULL;
    size_t nall = 0, capall = 0, i = 0;
    bool ok = true;
    for (const fj *e = m->child; e && ok; e = e->next, i++) {
        char *at = path_index(jpath, i);
        if (e->t != FJ_OBJECT) {
            ok = fail(c, at,
                      "an element of $or is a pattern object, e.g. {\"eventName\": "
                      "[\"INSERT\"]}");
        } else {
            c->rules = NULL;
            c->nrules = c->cap = 0;
            for (size_t k = 0; k < nbefore; k++)
                push_rule(c, copy_branch(c, &before[k]));
            if (nbefore == 0)
                push_rule(c, (branch){0});
            ok = compile_object(c, e, name, depth, at, true);
            for (size_t k = 0; ok && k < c->nrules; k++) {
                if (nall == capall) {
                    capall = capall ? capall * 2 : 8;
                    all = xrealloc(all, capall * sizeof *all);
                }
                all[nall++] = c->rules[k];
            }
            free(c->rules);
            if (ok && nall > FILTER_MAX_BRANCHES)
                ok = fail(c, at,
                          "the $or lists combine into more than %d alternatives: split the "
                          "pattern into several filters (Lambda ORs them)",
                          FILTER_MAX_BRANCHES);
        }
        free(at);
    }
    if (ok && i < 2)
        ok = fail(c, jpath,
                  "$or needs at least two pattern objects (it ORs them); with one, write its "
                  "fields directly");
    free(before);
    c->rules = all;
    c->nrules = nall;
    c->cap = capall;
    return ok;
}

/* The message for member M, neither an object nor a list. */
static bool scalar_member(compiler *c, const fj *m, const char *jpath)
{
    /* (operator names are plain ASCII: printed as they are) */
    static const char *const operators[] = {
        "prefix",  "suffix", "equals-ignore-case", "anything-but",
        "numeric", "exists", "wildcard",           "cidr",
        "exactly", NULL};
    char *s = show(m);
    if (fj_key_in(m, operators))
        fail(c, jpath,
             "\"%s\" is an operator: it goes in a field's list, e.g. {\"status\": [{\"%s\": %s}]}",
             m->key, m->key, s);
    else
        fail(c, jpath, "%s is not a list: a field's conditions are a list, e.g. [%s]", s, s);
    free(s);
    return false;
}

static bool compile_object(compiler *c, const fj *obj, const char *name, size_t depth,
                           const char *jpath, bool in_or)
{
    if (!obj->child)
        return fail(c, jpath,
                    *jpath ? "{} is empty: an object in a pattern needs at least one field"
                           : "the pattern {} is empty: give at least one field, e.g. "
                             "{\"eventName\": [\"INSERT\"]}");
    const fj *dup = fj_duplicate(obj);
    if (dup) {
        char *at = filter_path_join(jpath, dup->key, dup->klen);
        filter_notes_add(&c->p->notes, at,
                         "this member is named twice in one object: Lambda keeps both objects' "
                         "fields but only the last list of a field; write it once");
        free(at);
    }
    for (const fj *m = obj->child; m; m = m->next) {
        char *at = filter_path_join(jpath, m->key, m->klen);
        bool ok;
        if (!c->plain_or && fj_key_is(m, OR_KEY)) {
            ok = compile_or(c, m, name, depth, at);
        } else if (in_or && !c->plain_or && fj_key_in(m, reserved_in_or)) {
            ok = fail(c, at,
                      "\"%s\" is a reserved word inside $or and cannot be a field there; an "
                      "operator goes in a field's list, e.g. {\"status\": [{\"%s\": ...}]}",
                      m->key, m->key);
        } else if (m->t == FJ_OBJECT) {
            ok = compile_object(c, m, pushed(c, name, depth, m), depth + 1, at, in_or);
        } else if (m->t == FJ_ARRAY) {
            field_spec *f = compile_list(c, m, extended(c, name, m), at);
            ok = f != NULL;
            if (ok)
                put_field(c, f, at);
        } else {
            ok = scalar_member(c, m, at);
        }
        free(at);
        if (!ok)
            return false;
    }
    return true;
}

/* ---- the pattern ---- */

/* Compile ROOT into P's alternatives; -1 with *err. */
static int compile_root(filter_pattern *p, bool plain_or, char **err)
{
    compiler c = {.p = p, .plain_or = plain_or};
    p->nspecs = 0;
    bool ok = compile_object(&c, p->root, "", 0, "", false);
    if (!ok) {
        free(c.rules);
        *err = c.err;
        return -1;
    }
    p->branches = fj_alloc(&p->arena, (c.nrules ? c.nrules : 1) * sizeof *p->branches);
    if (c.nrules)
        memcpy(p->branches, c.rules, c.nrules * sizeof *c.rules);
    p->nbranches = c.nrules;
    free(c.rules);
    return 0;
}

/* The pattern parsed from TEXT, its tree in its arena; NULL with *err. */
static filter_pattern *parse_tree(const char *text, size_t len, char **err)
{
    filter_pattern *p = xcalloc(1, sizeof *p);
    fj_parse_opts o = {.eof = true, .copy_strings = true};
    fj_error e;
    const char *stop = NULL;
    fj_status st = fj_parse(&p->arena, text, text + len, &o, &p->root, &stop, &e);
    if (st == FJ_OK) {
        while (stop < text + len && strchr(" \t\r\n", *stop))
            stop++;
        if (stop < text + len) {
            e.offset = (size_t)(stop - text);
            snprintf(e.what, sizeof e.what, "text after the pattern's closing brace");
            st = FJ_ERROR;
        }
    }
    if (st != FJ_OK) {
        char *raw = xstrndup(text, len > 200 ? 200 : len);
        char *s = str_escape_display(raw);
        *err = xasprintf("%s%s is not valid JSON (at character %zu: %s)", s, len > 200 ? "..." : "",
                         e.offset + 1, e.what);
        free(s);
        free(raw);
        filter_pattern_free(p);
        return NULL;
    }
    if (p->root->t != FJ_OBJECT) {
        char *s = show(p->root);
        *err = xasprintf("%s is not a JSON object: a filter pattern is one, e.g. {\"eventName\": "
                         "[\"INSERT\"]}",
                         s);
        free(s);
        filter_pattern_free(p);
        return NULL;
    }
    return p;
}

filter_pattern *filter_pattern_compile(const char *text, size_t len, char **err)
{
    *err = NULL;
    filter_pattern *p = parse_tree(text, len, err);
    if (!p)
        return NULL;
    if (compile_root(p, false, err) == 0)
        return p;
    /* event-ruler reads a pattern its $or compiler refuses once more with
       its older compiler, where "$or" is a field name like any other. */
    filter_notes_free(&p->notes);
    char *plain_err = NULL;
    if (compile_root(p, true, &plain_err) == 0) {
        p->or_as_field = true;
        filter_notes_add(&p->notes, "",
                         "\"$or\" is read as a field named \"$or\", not as an OR, because %s; a "
                         "stream record has no such field: write \"$or\": [{...}, {...}] with at "
                         "least two pattern objects",
                         *err);
        free(*err);
        *err = NULL;
        return p;
    }
    free(plain_err);
    filter_pattern_free(p);
    return NULL;
}

filter_pattern *filter_pattern_parse(const char *text, char **err)
{
    return filter_pattern_compile(text, strlen(text), err);
}

void filter_pattern_free(filter_pattern *p)
{
    if (!p)
        return;
    filter_notes_free(&p->notes);
    fj_arena_free(&p->arena);
    free(p);
}

size_t filter_pattern_alternatives(const filter_pattern *p)
{
    return p->nbranches;
}
