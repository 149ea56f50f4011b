/* Matching a compiled pattern against a record (see filter_match.h).
 *
 * For each field of an alternative, the record's leaves at the field's
 * dotted path are found by walking the record (a member whose name is the
 * path, or a prefix of it followed by '.', leads on; lists are crossed,
 * remembering which element each leaf came from); a leaf that passes a
 * condition is a candidate. An alternative matches when every field has a
 * candidate (or, for {"exists": false}, the record has no leaf there at
 * all) and one candidate per field can be picked such that no two come
 * from different elements of the same list: a trie of the candidates'
 * list elements answers that in time linear in them. When {"exists":
 * false} meets a field inside a list, the answer depends on the elements
 * the other fields use, and event-ruler's own search decides: the fields
 * in Java's order of their paths, each picked from the elements so far. */
#include <stdlib.h>
#include <string.h>

#include "model/filter_int.h"
#include "model/util.h"

/* A list element a leaf is inside: the list and the element's index. */
typedef struct memb {
    const fj *arr;
    uint32_t idx;
} memb;

/* A leaf of the record at some path, with the elements it is inside. */
typedef struct leaf {
    const fj *v;
    uint32_t m0, mn; /* its memberships: membs[m0 .. m0+mn) */
} leaf;

/* What one field found in the record. */
typedef struct field_result {
    bool done;
    bool satisfied;
    bool unconstrained; /* satisfied by absence, or by a candidate outside every list */
    size_t l0, ln;      /* the leaves at its path: leaves[l0 .. l0+ln) */
    size_t c0, cn;      /* its candidates: cand[c0 .. c0+cn), indices into leaves */
} field_result;

/* Growable arrays for one match. */
typedef struct scratch {
    leaf *leaves;
    size_t nleaves, capleaves;
    memb *membs;
    size_t nmembs, capmembs;
    size_t *cand;
    size_t ncand, capcand;
    memb *stack; /* the elements the walk is inside */
    size_t depth, capstack;
    field_result *fields;
    size_t capfields;
    memb *acc; /* the elements the leaves picked so far are in (ordered search) */
    size_t capacc;
    unsigned as_ruler;
} scratch;

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    *cap = n;
    return xrealloc(p, n * size);
}

/* The scratch of the last match on this thread, kept for the next one:
 * --test-filter matches millions of records, each without an allocation. */
static _Thread_local scratch kept;

/* The scratch for a pattern of NSPECS fields, emptied. */
static scratch *scratch_take(size_t nspecs, unsigned as_ruler)
{
    scratch *s = &kept;
    s->nleaves = s->nmembs = s->ncand = s->depth = 0;
    s->fields = grow(s->fields, &s->capfields, nspecs ? nspecs : 1, sizeof *s->fields);
    memset(s->fields, 0, (nspecs ? nspecs : 1) * sizeof *s->fields);
    s->as_ruler = as_ruler;
    return s;
}

/* ---- conditions on one leaf ---- */

static bool same_bytes(const char *a, size_t an, const char *b, size_t bn)
{
    return an == bn && memcmp(a, b, an) == 0;
}

static bool has_prefix(const fj *v, const cond_text *t)
{
    return v->len >= t->len && memcmp(v->s, t->s, t->len) == 0;
}

static bool has_suffix(const fj *v, const cond_text *t)
{
    return v->len >= t->len && memcmp(v->s + v->len - t->len, t->s, t->len) == 0;
}

/* Case-insensitive T on string V (MODE); as event-ruler reads characters
 * beyond U+FFFF when AS_RULER says so. */
static bool case_match(const cond_text *t, const fj *v, filter_case_mode mode, unsigned as_ruler)
{
    if (!(as_ruler & FILTER_AS_RULER_UTF16))
        return filter_case_match(&t->ic, v->s, v->len, mode);
    filter_case_pattern java;
    filter_case_compile_utf16(&java, t->s, t->len);
    bool hit = filter_case_match(&java, v->s, v->len, mode);
    filter_case_free(&java);
    return hit;
}

/* Whether string V is one of X's texts, by TEST. */
static bool any_text(const fj *v, const cond *x, int how, unsigned as_ruler)
{
    for (size_t i = 0; i < x->ntexts; i++) {
        const cond_text *t = &x->texts[i];
        bool hit = how == 0   ? same_bytes(v->s, v->len, t->s, t->len)
                   : how == 1 ? has_prefix(v, t)
                   : how == 2 ? has_suffix(v, t)
                   : how == 3 ? case_match(t, v, FCASE_EQUALS, as_ruler)
                              : filter_wildcard_match(t->s, t->len, v->s, v->len);
        if (hit)
            return true;
    }
    return false;
}

/* Number leaf V as a comparable integer. */
static bool leaf_number(const fj *v, int64_t *n)
{
    return v->t == FJ_NUMBER && filter_number_value(v->s, v->len, n);
}

static bool in_numeric(const cond *x, int64_t n)
{
    if (x->has_lo && (x->lo_open ? n <= x->lo : n < x->lo))
        return false;
    if (x->has_hi && (x->hi_open ? n >= x->hi : n > x->hi))
        return false;
    return true;
}

static bool in_cidr(const cond *x, const fj *v)
{
    uint8_t a[16], alen;
    if (v->t != FJ_STRING || !filter_ip_parse(v->s, v->len, a, &alen) || alen != x->alen)
        return false;
    return memcmp(a, x->first, alen) >= 0 && memcmp(a, x->last, alen) <= 0;
}

/* Whether leaf V passes condition X (not exists/absent: those look at
 * the field, not at one value). */
static bool leaf_passes(const cond *x, const fj *v, unsigned as_ruler)
{
    bool str = v->t == FJ_STRING;
    int64_t n;
    switch (x->k) {
    case C_STRING:
        return str && same_bytes(v->s, v->len, x->texts[0].s, x->texts[0].len);
    case C_NUMBER:
        if (v->t == FJ_NUMBER && same_bytes(v->s, v->len, x->texts[0].s, x->texts[0].len))
            return true;
        return (as_ruler & FILTER_AS_RULER_NUMBERS) && x->comparable && leaf_number(v, &n) &&
               n == x->value;
    case C_NULL:
        return v->t == FJ_NULL;
    case C_TRUE:
        return v->t == FJ_TRUE;
    case C_FALSE:
        return v->t == FJ_FALSE;
    case C_PREFIX:
        return str && has_prefix(v, &x->texts[0]);
    case C_SUFFIX:
        return str && has_suffix(v, &x->texts[0]);
    case C_EQUALS_IC:
        return str && case_match(&x->texts[0], v, FCASE_EQUALS, as_ruler);
    case C_PREFIX_IC:
        return str && case_match(&x->texts[0], v, FCASE_PREFIX, as_ruler);
    case C_SUFFIX_IC:
        return str && case_match(&x->texts[0], v, FCASE_SUFFIX, as_ruler);
    case C_WILDCARD:
        return str && filter_wildcard_match(x->texts[0].s, x->texts[0].len, v->s, v->len);
    case C_CIDR:
        return in_cidr(x, v);
    case C_NUMERIC:
        return leaf_number(v, &n) && in_numeric(x, n);
    case C_EXISTS:
        return true;
    case C_ABSENT:
        return false;
    case C_BUT_STRINGS:
        return !(str && any_text(v, x, 0, as_ruler));
    case C_BUT_NUMBERS:
        if (!leaf_number(v, &n))
            return true;
        for (size_t i = 0; i < x->nnums; i++)
            if (x->nums[i] == n)
                return false;
        return true;
    case C_BUT_PREFIX:
        return !(str && any_text(v, x, 1, as_ruler));
    case C_BUT_SUFFIX:
        return !(str && any_text(v, x, 2, as_ruler));
    case C_BUT_IC:
        return !(str && any_text(v, x, 3, as_ruler));
    case C_BUT_WILDCARD:
        return !(str && any_text(v, x, 4, as_ruler));
    }
    return false;
}

/* ---- the leaves at a path ---- */

static void add_leaf(scratch *s, const fj *v)
{
    s->leaves = grow(s->leaves, &s->capleaves, s->nleaves + 1, sizeof *s->leaves);
    s->membs = grow(s->membs, &s->capmembs, s->nmembs + s->depth, sizeof *s->membs);
    leaf *l = &s->leaves[s->nleaves++];
    l->v = v;
    l->m0 = (uint32_t)s->nmembs;
    l->mn = (uint32_t)s->depth;
    if (s->depth)
        memcpy(s->membs + s->nmembs, s->stack, s->depth * sizeof *s->stack);
    s->nmembs += s->depth;
}

static void push_elem(scratch *s, const fj *arr, uint32_t idx)
{
    s->stack = grow(s->stack, &s->capstack, s->depth + 1, sizeof *s->stack);
    s->stack[s->depth++] = (memb){arr, idx};
}

/* The leaves of value V, where the path ends: V itself, or a list's
 * leaves (lists inside lists too); objects hold none. */
static void end_leaves(scratch *s, const fj *v)
{
    if (v->t == FJ_OBJECT)
        return;
    if (v->t != FJ_ARRAY) {
        add_leaf(s, v);
        return;
    }
    uint32_t i = 0;
    for (const fj *e = v->child; e; e = e->next, i++) {
        push_elem(s, v, i);
        end_leaves(s, e);
        s->depth--;
    }
}

/* The leaves under V at the rest of the path, REST (N bytes). */
static void walk(scratch *s, const fj *v, const char *rest, size_t n)
{
    if (v->t == FJ_ARRAY) {
        uint32_t i = 0;
        for (const fj *e = v->child; e; e = e->next, i++) {
            if (e->t != FJ_OBJECT && e->t != FJ_ARRAY)
                continue;
            push_elem(s, v, i);
            walk(s, e, rest, n);
            s->depth--;
        }
        return;
    }
    if (v->t != FJ_OBJECT)
        return;
    for (const fj *m = v->child; m; m = m->next) {
        if (m->klen > n || memcmp(m->key, rest, m->klen) != 0)
            continue;
        if (m->klen == n)
            end_leaves(s, m);
        else if (rest[m->klen] == '.' && (m->t == FJ_OBJECT || m->t == FJ_ARRAY))
            walk(s, m, rest + m->klen + 1, n - m->klen - 1);
    }
}

/* What field F finds in record ROOT (computed once per match). */
static field_result *eval_field(scratch *s, const field_spec *f, const fj *root)
{
    field_result *r = &s->fields[f->id];
    if (r->done)
        return r;
    r->done = true;
    r->l0 = s->nleaves;
    s->depth = 0;
    walk(s, root, f->path, f->plen);
    r->ln = s->nleaves - r->l0;
    r->c0 = s->ncand;
    bool free_candidate = false;
    for (size_t i = r->l0; i < r->l0 + r->ln; i++) {
        const leaf *l = &s->leaves[i];
        bool hit = f->any_leaf;
        for (size_t k = 0; k < f->nconds && !hit; k++)
            hit = leaf_passes(&f->conds[k], l->v, s->as_ruler);
        if (!hit)
            continue;
        s->cand = grow(s->cand, &s->capcand, s->ncand + 1, sizeof *s->cand);
        s->cand[s->ncand++] = i;
        free_candidate = free_candidate || l->mn == 0;
    }
    r->cn = s->ncand - r->c0;
    bool absent = r->ln == 0 && f->absent_ok;
    r->satisfied = absent || r->cn > 0;
    r->unconstrained = absent || free_candidate;
    return r;
}

/* ---- one candidate per field, from the same list elements ---- */

/* Whether leaves A and B come from different elements of one list. */
static bool conflict(const scratch *s, const leaf *a, const leaf *b)
{
    for (uint32_t i = 0; i < a->mn; i++) {
        const memb *x = &s->membs[a->m0 + i];
        for (uint32_t k = 0; k < b->mn; k++) {
            const memb *y = &s->membs[b->m0 + k];
            if (x->arr == y->arr && x->idx != y->idx)
                return true;
        }
    }
    return false;
}

/* Backtracking over candidates: field K onwards, PICK holding the leaves
 * picked for the fields before. */
static bool pick_from(const scratch *s, field_result *const *fr, size_t n, size_t k,
                      const leaf **pick)
{
    if (k == n)
        return true;
    for (size_t c = fr[k]->c0; c < fr[k]->c0 + fr[k]->cn; c++) {
        const leaf *l = &s->leaves[s->cand[c]];
        bool ok = true;
        for (size_t j = 0; j < k && ok; j++)
            ok = !conflict(s, l, pick[j]);
        if (!ok)
            continue;
        pick[k] = l;
        if (pick_from(s, fr, n, k + 1, pick))
            return true;
    }
    return false;
}

/* A trie of the candidates' memberships: a node per (list, element)
 * prefix, with the fields a candidate ends at there and below. */
typedef struct tnode {
    const fj *arr;
    uint32_t idx;
    uint64_t here, below;
    size_t parent, child, sibling; /* node numbers; 0: none (0 is the root) */
} tnode;

typedef struct trie {
    tnode *nodes;
    size_t n, cap;
    size_t *slots; /* hash of (parent, list, element) -> node; 0: empty */
    size_t nslots;
} trie;

static size_t slot_of(const trie *t, size_t parent, const fj *arr, uint32_t idx)
{
    uint64_t h = ((uint64_t)(uintptr_t)arr >> 4) * 0x9E3779B97F4A7C15ull;
    h ^= (uint64_t)idx * 0xC2B2AE3D27D4EB4Full + (uint64_t)parent * 0x165667B19E3779F9ull;
    return (size_t)(h ^ (h >> 29)) & (t->nslots - 1);
}

/* The child of node PARENT for element M, made when new. */
static size_t trie_child(trie *t, size_t parent, const memb *m)
{
    size_t i = slot_of(t, parent, m->arr, m->idx);
    for (; t->slots[i]; i = (i + 1) & (t->nslots - 1)) {
        const tnode *c = &t->nodes[t->slots[i]];
        if (c->parent == parent && c->arr == m->arr && c->idx == m->idx)
            return t->slots[i];
    }
    t->nodes = grow(t->nodes, &t->cap, t->n + 1, sizeof *t->nodes);
    size_t k = t->n++;
    t->nodes[k] = (tnode){m->arr, m->idx, 0, 0, parent, 0, t->nodes[parent].child};
    t->nodes[parent].child = k;
    t->slots[i] = k;
    return k;
}

/* Whether the fields F can all be picked under node N. *AMBIGUOUS is set
 * when a field could go into two different lists (then the caller falls
 * back to backtracking). */
static bool trie_solve(const trie *t, size_t n, uint64_t f, bool *ambiguous)
{
    f &= ~t->nodes[n].here;
    if (!f)
        return true;
    /* the lists directly below, each with the fields it can give */
    const fj *arrs[64];
    uint64_t masks[64];
    size_t na = 0;
    for (size_t c = t->nodes[n].child; c; c = t->nodes[c].sibling) {
        size_t a = 0;
        while (a < na && arrs[a] != t->nodes[c].arr)
            a++;
        if (a == na) {
            if (na == 64) {
                *ambiguous = true;
                return false;
            }
            arrs[na] = t->nodes[c].arr;
            masks[na++] = 0;
        }
        masks[a] |= t->nodes[c].below & f;
    }
    uint64_t seen = 0;
    for (size_t a = 0; a < na; a++) {
        if (seen & masks[a]) {
            *ambiguous = true;
            return false;
        }
        seen |= masks[a];
    }
    if ((seen & f) != f)
        return false;
    for (size_t a = 0; a < na; a++) {
        if (!masks[a])
            continue;
        bool found = false;
        for (size_t c = t->nodes[n].child; c && !found; c = t->nodes[c].sibling)
            if (t->nodes[c].arr == arrs[a] && (t->nodes[c].below & masks[a]) == masks[a])
                found = trie_solve(t, c, masks[a], ambiguous);
        if (*ambiguous || !found)
            return false;
    }
    return true;
}

/* Whether the constrained fields FR (N of them) have one candidate each
 * with no two from different elements of one list. */
static bool consistent(const scratch *s, field_result *const *fr, size_t n)
{
    bool ambiguous = n > 64;
    bool ok = false;
    if (!ambiguous) {
        size_t total = 1;
        for (size_t k = 0; k < n; k++)
            for (size_t c = fr[k]->c0; c < fr[k]->c0 + fr[k]->cn; c++)
                total += s->leaves[s->cand[c]].mn;
        trie t = {0};
        t.nslots = 16;
        while (t.nslots < 2 * total)
            t.nslots *= 2;
        t.slots = xcalloc(t.nslots, sizeof *t.slots);
        t.nodes = grow(NULL, &t.cap, 1, sizeof *t.nodes);
        t.nodes[0] = (tnode){0};
        t.n = 1;
        for (size_t k = 0; k < n; k++)
            for (size_t c = fr[k]->c0; c < fr[k]->c0 + fr[k]->cn; c++) {
                const leaf *l = &s->leaves[s->cand[c]];
                size_t node = 0;
                t.nodes[0].below |= 1ull << k;
                for (uint32_t i = 0; i < l->mn; i++) {
                    node = trie_child(&t, node, &s->membs[l->m0 + i]);
                    t.nodes[node].below |= 1ull << k;
                }
                t.nodes[node].here |= 1ull << k;
            }
        uint64_t all = n == 64 ? ~0ull : (1ull << n) - 1;
        ok = trie_solve(&t, 0, all, &ambiguous);
        free(t.nodes);
        free(t.slots);
    }
    if (!ambiguous)
        return ok;
    const leaf **pick = xcalloc(n ? n : 1, sizeof *pick);
    ok = pick_from(s, fr, n, 0, pick);
    free(pick);
    return ok;
}

/* ---- {"exists": false} among fields of a list of objects ---- */

/* The next UTF-16 code unit of the UTF-8 text at *P (before END), as Java
 * orders strings; *PEND holds the low surrogate of a pair. */
static unsigned next_unit(const unsigned char **p, const unsigned char *end, unsigned *pend)
{
    if (*pend) {
        unsigned u = *pend;
        *pend = 0;
        return u;
    }
    const unsigned char *s = *p;
    uint32_t cp;
    size_t n = s[0] < 0x80 ? 1 : s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
    if (n > (size_t)(end - s))
        n = (size_t)(end - s);
    cp = n == 1 ? s[0] : (uint32_t)(s[0] & (0x7F >> n));
    for (size_t i = 1; i < n; i++)
        cp = (cp << 6) | (s[i] & 0x3F);
    *p += n;
    if (cp < 0x10000)
        return cp;
    *pend = 0xDC00 + ((cp - 0x10000) & 0x3FF);
    return 0xD800 + ((cp - 0x10000) >> 10);
}

/* Java's String order of two fields' paths. */
static int path_order(const field_spec *a, const field_spec *b)
{
    const unsigned char *p = (const unsigned char *)a->path, *pe = p + a->plen;
    const unsigned char *q = (const unsigned char *)b->path, *qe = q + b->plen;
    unsigned pp = 0, qp = 0;
    while ((p < pe || pp) && (q < qe || qp)) {
        unsigned x = next_unit(&p, pe, &pp), y = next_unit(&q, qe, &qp);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return (p < pe || pp) ? 1 : (q < qe || qp) ? -1 : 0;
}

/* Whether leaf L comes from the same elements as the first NACC entries
 * of the elements picked so far. */
static bool leaf_fits(const scratch *s, const leaf *l, size_t nacc)
{
    for (uint32_t i = 0; i < l->mn; i++) {
        const memb *x = &s->membs[l->m0 + i];
        for (size_t k = 0; k < nacc; k++)
            if (s->acc[k].arr == x->arr && s->acc[k].idx != x->idx)
                return false;
    }
    return true;
}

/* event-ruler's own search, needed when {"exists": false} meets lists:
 * the fields in Java's order of their paths, each either a candidate from
 * the elements picked so far or, for {"exists": false}, no leaf there
 * from those elements (a field later in that order does not count). */
static bool ordered(scratch *s, field_result *const *fr, const field_spec *const *fs, size_t n,
                    size_t k, size_t nacc)
{
    if (k == n)
        return true;
    const field_result *r = fr[k];
    for (size_t c = r->c0; c < r->c0 + r->cn; c++) {
        const leaf *l = &s->leaves[s->cand[c]];
        if (!leaf_fits(s, l, nacc))
            continue;
        s->acc = grow(s->acc, &s->capacc, nacc + l->mn, sizeof *s->acc);
        if (l->mn)
            memcpy(s->acc + nacc, s->membs + l->m0, l->mn * sizeof *s->acc);
        if (ordered(s, fr, fs, n, k + 1, nacc + l->mn))
            return true;
    }
    if (!fs[k]->absent_ok)
        return false;
    for (size_t i = r->l0; i < r->l0 + r->ln; i++)
        if (leaf_fits(s, &s->leaves[i], nacc))
            return false;
    return ordered(s, fr, fs, n, k + 1, nacc);
}

/* Whether field F's result R leaves {"exists": false} to the elements
 * the other fields pick (a leaf inside a list is there). */
static bool absence_depends(const field_spec *f, const field_result *r, const scratch *s)
{
    if (!f->absent_ok)
        return false;
    for (size_t i = r->l0; i < r->l0 + r->ln; i++)
        if (s->leaves[i].mn > 0)
            return true;
    return false;
}

/* The fields of B in Java's order of their paths, with their results. */
static bool match_ordered(scratch *s, const branch *b, field_result **fr)
{
    const field_spec *small[16];
    const field_spec **fs = b->n <= 16 ? small : xmalloc(b->n * sizeof *fs);
    for (size_t k = 0; k < b->n; k++)
        fs[k] = b->fields[k];
    for (size_t i = 1; i < b->n; i++) /* insertion sort: a pattern has few fields */
        for (size_t k = i; k > 0 && path_order(fs[k - 1], fs[k]) > 0; k--) {
            const field_spec *t = fs[k];
            fs[k] = fs[k - 1];
            fs[k - 1] = t;
        }
    for (size_t k = 0; k < b->n; k++)
        fr[k] = &s->fields[fs[k]->id];
    bool ok = ordered(s, fr, fs, b->n, 0, 0);
    if (fs != small)
        free(fs);
    return ok;
}

/* Whether alternative B matches; *FAILED gets the first field that does
 * not (NULL when every field matches but not from one list element). */
static bool match_branch(scratch *s, const branch *b, const fj *root, const field_spec **failed)
{
    field_result *small[16];
    field_result **fr = b->n <= 16 ? small : xmalloc(b->n * sizeof *fr);
    size_t nc = 0;
    bool ok = true, order = false;
    for (size_t k = 0; k < b->n && ok; k++) {
        field_result *r = eval_field(s, b->fields[k], root);
        bool depends = absence_depends(b->fields[k], r, s);
        order = order || depends;
        if (!r->satisfied && !depends) {
            *failed = b->fields[k];
            ok = false;
        } else if (!r->unconstrained) {
            fr[nc++] = r;
        }
    }
    if (ok && order)
        ok = match_ordered(s, b, fr);
    else if (ok && nc > 0)
        ok = consistent(s, fr, nc);
    if (fr != small)
        free(fr);
    return ok;
}

/* ---- explaining a failure ---- */

/* Whether the record has an object (no value) at the path of F. */
static bool object_at(const fj *v, const char *rest, size_t n)
{
    if (v->t == FJ_ARRAY) {
        for (const fj *e = v->child; e; e = e->next)
            if (object_at(e, rest, n))
                return true;
        return false;
    }
    if (v->t != FJ_OBJECT)
        return false;
    for (const fj *m = v->child; m; m = m->next) {
        if (m->klen > n || memcmp(m->key, rest, m->klen) != 0)
            continue;
        if (m->klen == n && m->t == FJ_OBJECT)
            return true;
        if (m->klen < n && rest[m->klen] == '.' &&
            object_at(m, rest + m->klen + 1, n - m->klen - 1))
            return true;
    }
    return false;
}

/* "PATH: why" for field F that failed. Caller frees. */
static char *explain_field(const scratch *s, const field_spec *f, const fj *root)
{
    char *path = filter_path_join("", f->path, f->plen);
    const field_result *r = &s->fields[f->id];
    char *why;
    if (r->ln == 0) {
        why = object_at(root, f->path, f->plen)
                  ? xasprintf("%s: the record has an object there, not a value", path)
                  : xasprintf("%s: not in the record", path);
    } else {
        char *shown = fj_show(s->leaves[r->l0].v, 60);
        if (r->ln > 1)
            why = xasprintf("%s: the record has %s (and %zu more)%s", path, shown, r->ln - 1,
                            f->absent_ok ? "; the field exists" : "");
        else
            why = xasprintf("%s: the record has %s%s", path, shown,
                            f->absent_ok ? "; the field exists" : "");
        free(shown);
    }
    free(path);
    return why;
}

static char *explain(const scratch *s, const filter_pattern *p, const field_spec *first,
                     bool first_set, const fj *root)
{
    char *one = first ? explain_field(s, first, root)
                      : xstrdup("each field matches, but not within one element of the same list "
                                "(Lambda takes the fields of a list of objects from one element, "
                                "and {\"exists\": false} looks at the elements the fields before "
                                "it use)");
    if (!first_set || p->nbranches <= 1)
        return one;
    char *why =
        xasprintf("none of the %zu alternatives of $or matches; the first: %s", p->nbranches, one);
    free(one);
    return why;
}

/* ---- the match ---- */

/* Whether the fields of A (in Java's path order) are the first fields of
 * B's, fewer and each with the same list: event-ruler then never reports
 * A (its machine shares B's states and loses A's end among them). */
static bool prefix_of(const branch *a, const branch *b)
{
    if (a->n >= b->n)
        return false;
    const field_spec **fa = xmalloc(a->n * sizeof *fa + 1), **fb = xmalloc(b->n * sizeof *fb);
    if (a->n)
        memcpy(fa, a->fields, a->n * sizeof *fa);
    memcpy(fb, b->fields, b->n * sizeof *fb);
    for (size_t i = 1; i < a->n; i++)
        for (size_t k = i; k > 0 && path_order(fa[k - 1], fa[k]) > 0; k--) {
            const field_spec *t = fa[k];
            fa[k] = fa[k - 1];
            fa[k - 1] = t;
        }
    for (size_t i = 1; i < b->n; i++)
        for (size_t k = i; k > 0 && path_order(fb[k - 1], fb[k]) > 0; k--) {
            const field_spec *t = fb[k];
            fb[k] = fb[k - 1];
            fb[k - 1] = t;
        }
    bool same = true;
    for (size_t i = 0; i < a->n && same; i++) {
        strbuf x = {0}, y = {0};
        fj_print(&x, fa[i]->list);
        fj_print(&y, fb[i]->list);
        same = path_order(fa[i], fb[i]) == 0 && strcmp(x.s, y.s) == 0;
        free(x.s);
        free(y.s);
    }
    free(fa);
    free(fb);
    return same;
}

/* Whether alternative I is one event-ruler never reports (see prefix_of). */
static bool ruler_loses(const filter_pattern *p, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (prefix_of(&p->branches[i], &p->branches[k]))
            return true;
    return false;
}

static bool match(const filter_pattern *p, const filter_record *r, unsigned as_ruler, char **why)
{
    scratch *s = scratch_take(p->nspecs, as_ruler);
    bool ok = false;
    const field_spec *first = NULL;
    bool first_set = false;
    for (size_t i = 0; i < p->nbranches && !ok; i++) {
        const field_spec *failed = NULL;
        if ((as_ruler & FILTER_AS_RULER_OR_PREFIX) && ruler_loses(p, i))
            continue;
        ok = match_branch(s, &p->branches[i], r->root, &failed);
        if (!ok && !first_set) {
            first = failed;
            first_set = true;
        }
    }
    if (!ok && why)
        *why = explain(s, p, first, first_set, r->root);
    return ok;
}

bool filter_pattern_match(const filter_pattern *p, const filter_record *r, char **why)
{
    return match(p, r, 0, why);
}

bool filter_pattern_match_as(const filter_pattern *p, const filter_record *r, unsigned as_ruler)
{
    return match(p, r, as_ruler, NULL);
}

/* ---- testing a mapping's filters ---- */

/* Test PATTERNS (N) on R, the warnings for VIEW (NULL: not known). */
static void test_patterns(const char *const *patterns, size_t n, const filter_record *r,
                          const char *view, filter_test *out)
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
        filter_notes notes = {0};
        filter_pattern_notes(p, view, &notes);
        res->lint = filter_notes_text(&notes);
        filter_notes_free(&notes);
        res->matched = filter_pattern_match(p, r, &res->why);
        out->any_match = out->any_match || res->matched;
        filter_pattern_free(p);
    }
}

void filter_test_patterns(const char *const *patterns, size_t n, const filter_record *r,
                          filter_test *out)
{
    test_patterns(patterns, n, r, NULL, out);
}

void filter_test_mapping(const mapping *m, const filter_record *r, filter_test *out)
{
    const opt_value *v = mapping_get(m, OPT_FILTERS);
    size_t n = v->n_items;
    const char **patterns = n ? xcalloc(n, sizeof *patterns) : NULL;
    for (size_t i = 0; i < n; i++)
        patterns[i] = v->items[i].key;
    test_patterns(patterns, n, r, m->stream_view_type, out);
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
