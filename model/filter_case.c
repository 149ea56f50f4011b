/* Case-insensitive comparison for equals-ignore-case (see filter_case.h). */
#include "model/filter_case.h"

#include <stdlib.h>
#include <string.h>

#include "model/util.h"

/* The code point of the valid UTF-8 sequence at S; *N gets its length. */
static uint32_t decode_one(const unsigned char *s, size_t *n)
{
    if (s[0] < 0x80) {
        *n = 1;
        return s[0];
    }
    if (s[0] < 0xE0) {
        *n = 2;
        return ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
    }
    if (s[0] < 0xF0) {
        *n = 3;
        return ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    }
    *n = 4;
    return ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
           ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
}

/* The table's entry for CP, or NULL when its case does not change. */
static const filter_case_entry *lookup(uint32_t cp)
{
    size_t lo = 0, hi = filter_case_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (filter_case_table[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < filter_case_count && filter_case_table[lo].cp == cp ? &filter_case_table[lo] : NULL;
}

void filter_case_compile(filter_case_pattern *p, const char *s, size_t len)
{
    memset(p, 0, sizeof *p);
    p->units = len ? xcalloc(len, sizeof *p->units) : NULL;
    p->ascii = true;
    for (size_t i = 0; i < len;) {
        size_t n;
        uint32_t cp = decode_one((const unsigned char *)s + i, &n);
        filter_case_unit *u = &p->units[p->n++];
        const filter_case_entry *e = lookup(cp);
        if (!e) {
            u->alt[0] = s + i;
            u->len[0] = (uint8_t)n;
            u->n = 1;
        } else {
            u->alt[0] = filter_case_pool + e->lower_off;
            u->len[0] = e->lower_len;
            u->alt[1] = filter_case_pool + e->upper_off;
            u->len[1] = e->upper_len;
            u->n = e->lower_len == e->upper_len && memcmp(u->alt[0], u->alt[1], e->lower_len) == 0
                       ? 1
                       : 2;
        }
        for (int k = 0; k < u->n; k++)
            p->ascii = p->ascii && u->len[k] == 1 && (unsigned char)u->alt[k][0] < 0x80;
        i += n;
    }
}

/* Whether unit X is a character beyond U+FFFF (all its forms are). */
static bool astral(const filter_case_unit *x)
{
    return x->len[0] == 4 && (x->n == 1 || x->len[1] == 4);
}

void filter_case_compile_utf16(filter_case_pattern *p, const char *s, size_t len)
{
    filter_case_compile(p, s, len);
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++)
        n += astral(&p->units[i]) ? 2 : 1;
    filter_case_unit *u = xcalloc(n ? n : 1, sizeof *u);
    size_t k = 0;
    p->ascii = true;
    for (size_t i = 0; i < p->n; i++) {
        const filter_case_unit *x = &p->units[i];
        if (astral(x)) {
            u[k++] = (filter_case_unit){{"?", NULL}, {1, 0}, 1};
            u[k++] = (filter_case_unit){{"?", NULL}, {1, 0}, 1};
            continue;
        }
        u[k++] = *x;
        for (int m = 0; m < x->n; m++)
            p->ascii = p->ascii && x->len[m] == 1 && (unsigned char)x->alt[m][0] < 0x80;
    }
    free(p->units);
    p->units = u;
    p->n = k;
}

void filter_case_free(filter_case_pattern *p)
{
    free(p->units);
    memset(p, 0, sizeof *p);
}

/* Whether unit U's form K is the text at AT (BACK: the text just before AT). */
static bool form_at(const filter_case_unit *u, int k, const char *text, size_t len, size_t at,
                    bool back)
{
    size_t n = u->len[k];
    if (back)
        return n <= at && memcmp(text + at - n, u->alt[k], n) == 0;
    return n <= len - at && memcmp(text + at, u->alt[k], n) == 0;
}

/* The ASCII case: one byte per unit. */
static bool match_ascii(const filter_case_pattern *p, const char *text, size_t len,
                        filter_case_mode mode)
{
    if (len < p->n || (mode == FCASE_EQUALS && len != p->n))
        return false;
    const char *t = mode == FCASE_SUFFIX ? text + len - p->n : text;
    for (size_t i = 0; i < p->n; i++) {
        const filter_case_unit *u = &p->units[i];
        if (t[i] != u->alt[0][0] && (u->n < 2 || t[i] != u->alt[1][0]))
            return false;
    }
    return true;
}

/* Add AT to the set S (N members) unless it is there. */
static void add_pos(size_t *s, size_t *n, size_t at)
{
    for (size_t i = 0; i < *n; i++)
        if (s[i] == at)
            return;
    s[(*n)++] = at;
}

bool filter_case_match(const filter_case_pattern *p, const char *text, size_t len,
                       filter_case_mode mode)
{
    if (p->ascii)
        return match_ascii(p, text, len, mode);
    /* Every offset the units read so far can end at (a suffix reads them
       backwards from the end). At most len + 1 offsets. */
    bool back = mode == FCASE_SUFFIX;
    size_t cap = len + 1, *cur = xmalloc(cap * sizeof *cur), *next = xmalloc(cap * sizeof *next);
    size_t ncur = 1, nnext;
    cur[0] = back ? len : 0;
    for (size_t i = 0; i < p->n && ncur > 0; i++) {
        const filter_case_unit *u = &p->units[back ? p->n - 1 - i : i];
        nnext = 0;
        for (size_t j = 0; j < ncur; j++)
            for (int k = 0; k < u->n; k++)
                if (form_at(u, k, text, len, cur[j], back))
                    add_pos(next, &nnext, back ? cur[j] - u->len[k] : cur[j] + u->len[k]);
        size_t *t = cur;
        cur = next;
        next = t;
        ncur = nnext;
    }
    bool ok = false;
    for (size_t j = 0; j < ncur && !ok; j++)
        ok = mode != FCASE_EQUALS || cur[j] == len;
    free(cur);
    free(next);
    return ok;
}
