/* Values the filter operators compare: numbers exactly, IP addresses,
 * wildcards; and the notes' helpers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/filter_int.h"
#include "model/util.h"

/* ---- numbers ---- */

bool filter_number_value(const char *text, size_t len, int64_t *out)
{
    /* The digits (without the point and leading zeros) and the power of ten
       they are scaled by: value = digits * 10^exp. */
    const char *p = text, *end = text + len;
    bool neg = p < end && *p == '-';
    p += neg;
    char dig[40];
    size_t nd = 0;
    long exp = 0;
    bool frac = false, big = false;
    for (; p < end && (*p == '.' || (*p >= '0' && *p <= '9')); p++) {
        if (*p == '.') {
            frac = true;
            continue;
        }
        if (nd == 0 && *p == '0') {
            exp -= frac;
            continue;
        }
        if (nd < sizeof dig) {
            dig[nd++] = *p;
            exp -= frac;
        } else if (*p != '0') {
            big = true; /* more significant digits than any comparable number has */
        } else if (!frac) {
            exp++; /* a zero dropped before the point */
        }
    }
    if (big)
        return false;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        bool eneg = p < end && *p == '-';
        p += p < end && (*p == '-' || *p == '+');
        long e = 0;
        for (; p < end && *p >= '0' && *p <= '9'; p++)
            e = e > 100000 ? e : e * 10 + (*p - '0');
        exp += eneg ? -e : e;
    }
    while (nd > 0 && dig[nd - 1] == '0') {
        nd--;
        exp++;
    }
    if (nd == 0) {
        *out = 0;
        return true;
    }
    long scale = exp + FILTER_NUMERIC_DECIMALS; /* value * 10^6 = digits * 10^scale */
    if (scale < 0 || (long)nd + scale > 19)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < nd; i++)
        v = v * 10 + (dig[i] - '0');
    for (long i = 0; i < scale; i++) {
        if (v > INT64_MAX / 10)
            return false;
        v *= 10;
    }
    const int64_t max = FILTER_NUMERIC_MAX * 1000000LL;
    if (v > max)
        return false;
    *out = neg ? -v : v;
    return true;
}

/* ---- IP addresses ---- */

/* An IPv4 address a.b.c.d (each 0..255, decimal). */
static bool ipv4(const char *s, size_t len, uint8_t *addr)
{
    int part = 0;
    size_t i = 0;
    while (part < 4) {
        size_t start = i;
        unsigned v = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9' && i - start < 4)
            v = v * 10 + (unsigned)(s[i++] - '0');
        if (i == start || i - start > 3 || v > 255 || (i - start > 1 && s[start] == '0'))
            return false;
        addr[part++] = (uint8_t)v;
        if (part < 4) {
            if (i >= len || s[i] != '.')
                return false;
            i++;
        }
    }
    return i == len;
}

/* An IPv6 address: eight groups of 1..4 hex digits, "::" once for a run
 * of zero groups. */
static bool ipv6(const char *s, size_t len, uint8_t *addr)
{
    uint16_t g[8];
    int n = 0, gap = -1;
    size_t i = 0;
    if (len >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        i = 2;
    } else if (len >= 1 && s[0] == ':') {
        return false;
    }
    while (i < len) {
        size_t start = i;
        unsigned v = 0;
        while (i < len && i - start < 5) {
            char c = s[i];
            int h = c >= '0' && c <= '9'   ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                           : -1;
            if (h < 0)
                break;
            v = v * 16 + (unsigned)h;
            i++;
        }
        if (i == start || i - start > 4 || n == 8)
            return false;
        g[n++] = (uint16_t)v;
        if (i == len)
            break;
        if (s[i] != ':')
            return false;
        i++;
        if (i < len && s[i] == ':') {
            if (gap >= 0)
                return false;
            gap = n;
            i++;
        } else if (i == len) {
            return false; /* a trailing single ':' */
        }
    }
    if (gap < 0 && n != 8)
        return false;
    if (gap >= 0 && n > 7)
        return false;
    int fill = 8 - n;
    uint16_t full[8] = {0};
    for (int k = 0, o = 0; k < n; k++, o++) {
        if (k == gap)
            o += fill;
        full[o] = g[k];
    }
    for (int k = 0; k < 8; k++) {
        addr[2 * k] = (uint8_t)(full[k] >> 8);
        addr[2 * k + 1] = (uint8_t)(full[k] & 0xFF);
    }
    return true;
}

bool filter_ip_parse(const char *text, size_t len, uint8_t *addr, uint8_t *alen)
{
    if (memchr(text, ':', len)) {
        *alen = 16;
        return ipv6(text, len, addr);
    }
    *alen = 4;
    return ipv4(text, len, addr);
}

/* ---- wildcards ---- */

/* The next unit of wildcard W at *I: -1 for a '*', else the byte. */
static int wild_unit(const char *w, size_t wlen, size_t *i)
{
    char c = w[*i];
    if (c == '*') {
        (*i)++;
        return -1;
    }
    if (c == '\\' && *i + 1 < wlen) {
        *i += 2;
        return (unsigned char)w[*i - 1];
    }
    (*i)++;
    return (unsigned char)c;
}

bool filter_wildcard_match(const char *w, size_t wlen, const char *text, size_t len)
{
    /* Greedy with one remembered star: linear in practice, never worse
       than quadratic. */
    size_t wi = 0, ti = 0, star_w = (size_t)-1, star_t = 0;
    while (ti < len) {
        if (wi < wlen) {
            size_t next = wi;
            int u = wild_unit(w, wlen, &next);
            if (u < 0) {
                star_w = next;
                star_t = ti;
                wi = next;
                continue;
            }
            if ((unsigned char)text[ti] == u) {
                wi = next;
                ti++;
                continue;
            }
        }
        if (star_w == (size_t)-1)
            return false;
        wi = star_w;
        ti = ++star_t;
    }
    while (wi < wlen && w[wi] == '*')
        wi++;
    return wi == wlen;
}

/* ---- notes ---- */

void filter_notes_add(filter_notes *l, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = xvasprintf(fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].path, path) == 0 && strcmp(l->items[i].text, text) == 0) {
            free(text); /* said once is enough ($or repeats fields) */
            return;
        }
    l->items = xrealloc(l->items, (l->n + 1) * sizeof *l->items);
    l->items[l->n].path = xstrdup(path);
    l->items[l->n].text = text;
    l->n++;
}

void filter_notes_free(filter_notes *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].path);
        free(l->items[i].text);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

char *filter_notes_text(const filter_notes *l)
{
    if (l->n == 0)
        return NULL;
    strbuf b = {0};
    for (size_t i = 0; i < l->n; i++)
        sb_addf(&b, "%s%s%s%s", i ? "\n" : "", l->items[i].path, *l->items[i].path ? ": " : "",
                l->items[i].text);
    return sb_take(&b);
}

char *filter_path_join(const char *parent, const char *key, size_t klen)
{
    char *raw = xstrndup(key, klen);
    for (size_t i = 0; i < klen; i++)
        if (raw[i] == '\0')
            raw[i] = '?'; /* a NUL in a name cannot be shown */
    char *k = str_escape_display(raw);
    free(raw);
    char *p = *parent ? xasprintf("%s.%s", parent, k) : xstrdup(k);
    free(k);
    return p;
}
