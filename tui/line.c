/* A one-line UTF-8 text buffer with a cursor, and text width. Plain C. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "model/util.h"
#include "tui/form.h"

/* Length of the UTF-8 sequence that starts with byte C (1 for invalid bytes). */
static size_t seq_len(unsigned char c)
{
    if (c >= 0xF0 && c < 0xF8)
        return 4;
    if (c >= 0xE0)
        return c < 0xF0 ? 3 : 1;
    if (c >= 0xC0)
        return 2;
    return 1;
}

/* Make room for N more bytes. */
static void grow(tui_line *l, size_t n)
{
    if (l->len + n + 1 <= l->cap)
        return;
    l->cap = (l->len + n + 1) * 2;
    l->s = xrealloc(l->s, l->cap);
}

void tui_line_set(tui_line *l, const char *text)
{
    size_t n = text ? strlen(text) : 0;
    l->len = 0;
    grow(l, n);
    if (n)
        memcpy(l->s, text, n);
    l->s[n] = '\0';
    l->len = n;
    l->cur = n;
}

void tui_line_free(tui_line *l)
{
    free(l->s);
    memset(l, 0, sizeof *l);
}

/* Encode code point CH as UTF-8 into OUT; returns the length. */
static size_t utf8_encode(unsigned ch, char *out)
{
    if (ch < 0x80) {
        out[0] = (char)ch;
        return 1;
    }
    if (ch < 0x800) {
        out[0] = (char)(0xC0 | (ch >> 6));
        out[1] = (char)(0x80 | (ch & 0x3F));
        return 2;
    }
    if (ch < 0x10000) {
        out[0] = (char)(0xE0 | (ch >> 12));
        out[1] = (char)(0x80 | ((ch >> 6) & 0x3F));
        out[2] = (char)(0x80 | (ch & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (ch >> 18));
    out[1] = (char)(0x80 | ((ch >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((ch >> 6) & 0x3F));
    out[3] = (char)(0x80 | (ch & 0x3F));
    return 4;
}

/* Byte offset of the character before offset AT. */
static size_t prev_char(const tui_line *l, size_t at)
{
    if (at == 0)
        return 0;
    size_t p = at - 1;
    while (p > 0 && ((unsigned char)l->s[p] & 0xC0) == 0x80 && at - p < 4)
        p--;
    return p;
}

/* Byte offset of the character after offset AT. */
static size_t next_char(const tui_line *l, size_t at)
{
    if (at >= l->len)
        return l->len;
    size_t n = seq_len((unsigned char)l->s[at]);
    return at + n > l->len ? l->len : at + n;
}

/* Remove bytes [from, to). */
static void cut(tui_line *l, size_t from, size_t to)
{
    memmove(l->s + from, l->s + to, l->len - to + 1);
    l->len -= to - from;
    l->cur = from;
}

/* Insert character CH at the cursor. */
static void insert(tui_line *l, unsigned ch)
{
    char enc[4];
    size_t n = utf8_encode(ch, enc);
    grow(l, n);
    memmove(l->s + l->cur + n, l->s + l->cur, l->len - l->cur + 1);
    memcpy(l->s + l->cur, enc, n);
    l->len += n;
    l->cur += n;
}

bool tui_line_apply(tui_line *l, form_action a, unsigned ch)
{
    if (!l->s)
        tui_line_set(l, "");
    size_t old_len = l->len;
    switch (a) {
    case ACT_CHAR:
        insert(l, ch);
        return true;
    case ACT_BACKSPACE:
        if (l->cur > 0)
            cut(l, prev_char(l, l->cur), l->cur);
        break;
    case ACT_DELETE:
        if (l->cur < l->len)
            cut(l, l->cur, next_char(l, l->cur));
        break;
    case ACT_CLEAR:
        cut(l, 0, l->len);
        break;
    case ACT_LEFT:
        l->cur = prev_char(l, l->cur);
        break;
    case ACT_RIGHT:
        l->cur = next_char(l, l->cur);
        break;
    case ACT_HOME:
        l->cur = 0;
        break;
    case ACT_END:
        l->cur = l->len;
        break;
    default:
        break;
    }
    return l->len != old_len;
}

size_t tui_text_width(const char *s)
{
    size_t w = 0;
    mbstate_t ps;
    memset(&ps, 0, sizeof ps);
    size_t left = strlen(s);
    while (left > 0) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, s, left, &ps);
        if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
            memset(&ps, 0, sizeof ps);
            w++;
            s++;
            left--;
            continue;
        }
        int cw = wcwidth(wc);
        w += cw < 0 ? 1 : (size_t)cw;
        s += n;
        left -= n;
    }
    return w;
}
