/* The filter tester in the filters list editor: choose a bundled sample
 * record, load a file or paste a record, and see per record which of the
 * mapping's filters match it (and why the others do not) and whether
 * Lambda sends it to the function. The same model functions as
 * --test-filter. Plain C, no terminal. */
#include <stdlib.h>
#include <string.h>

#include "model/filter_samples.h"
#include "model/util.h"
#include "tui/form_int.h"

/* How much room the verdict column of a result takes ("no match  "). */
enum { VERDICT_W = 13 };

/* The bundled samples and how many. */
static const filter_sample *samples(size_t *n)
{
    return filter_samples(n);
}

size_t form_tester_sources(const form_state *st)
{
    (void)st;
    size_t n;
    samples(&n);
    return n + 2; /* and: a file, a paste */
}

/* What Lambda does with record R under the mapping's filters, in a word. */
static const char *fate(const form_state *st, const filter_record *r)
{
    filter_test t;
    filter_test_mapping(st->m, r, &t);
    const char *word = t.invalid ? "not testable" : t.any_match ? "sent" : "dropped";
    filter_test_free(&t);
    return word;
}

char *form_tester_source(const form_state *st, size_t i)
{
    size_t n;
    const filter_sample *s = samples(&n);
    if (i == n)
        return xstrdup("Load a record file ...");
    if (i > n)
        return xstrdup("Paste a record ...");
    filter_records rs = {0};
    char *err = NULL;
    char *line = NULL;
    if (filter_records_parse(s[i].text, s[i].len, &rs, &err) == 0 && rs.n > 0) {
        char *what = filter_record_describe(rs.items[0]);
        line = xasprintf("Bundled sample: %s  -> %s", what, fate(st, rs.items[0]));
        free(what);
    } else {
        line = xasprintf("Bundled sample: %s", s[i].name);
    }
    free(err);
    filter_records_free(&rs);
    return line;
}

/* Forget the paste and where its scan got to. */
static void clear_paste(form_tester *t)
{
    free(t->paste.s);
    t->paste = (strbuf){0};
    t->scanned = t->depth = 0;
    t->started = t->in_string = t->escaped = false;
}

/* Forget the last problem. */
static void clear_err(form_tester *t)
{
    free(t->err);
    t->err = NULL;
}

void form_tester_free(form_tester *t)
{
    filter_records_free(&t->recs);
    free(t->source);
    clear_err(t);
    clear_paste(t);
}

void form_tester_open(form_state *st)
{
    clear_err(&st->test);
    if (st->test.sel >= form_tester_sources(st))
        st->test.sel = 0;
    st->mode = FM_TESTER;
}

/* Read the records in TEXT (LEN bytes) from SOURCE and show the results;
 * -1 (the reason kept) when TEXT holds none. */
static int load_records(form_state *st, const char *text, size_t len, const char *source)
{
    filter_records rs = {0};
    char *err = NULL;
    if (filter_records_parse(text, len, &rs, &err) < 0) {
        char *shown = str_escape_display(source);
        clear_err(&st->test);
        st->test.err = xasprintf("%s: %s", shown, err);
        free(shown);
        free(err);
        filter_records_free(&rs);
        return -1;
    }
    filter_records_free(&st->test.recs);
    st->test.recs = rs;
    free(st->test.source);
    st->test.source = xstrdup(source);
    clear_err(&st->test);
    st->test.top = 0;
    st->mode = FM_TEST_RESULT;
    return 0;
}

/* Test on the record file at the typed path. */
static void load_path(form_state *st)
{
    const char *path = st->edit.s;
    clear_err(&st->test);
    if (!*path) {
        st->test.err = xstrdup("Type the path of a JSON file: one stream record, an array of "
                               "records, or an event ({\"Records\": [...]})");
        return;
    }
    size_t len = 0;
    char *err = NULL;
    char *text = file_read_all(path, FILTER_RECORD_MAX_BYTES, &len, &err);
    if (!text) {
        st->test.err = str_escape_display(err ? err : path);
        free(err);
        return;
    }
    load_records(st, text, len, path);
    free(text);
}

/* Read the paste from where the scan stopped: true once the text is one
 * whole JSON value (its brackets and braces closed outside strings), or
 * starts with something that is not an object or array (the parser then
 * says what is wrong). */
static bool paste_complete(form_tester *t)
{
    for (; t->scanned < t->paste.len; t->scanned++) {
        char c = t->paste.s[t->scanned];
        if (t->in_string) {
            if (t->escaped)
                t->escaped = false;
            else if (c == '\\')
                t->escaped = true;
            else if (c == '"')
                t->in_string = false;
        } else if (c == '"') {
            t->in_string = true;
        } else if (c == '{' || c == '[') {
            t->depth++;
            t->started = true;
        } else if (c == '}' || c == ']') {
            if (t->depth > 0 && --t->depth == 0)
                return true;
        } else if (!t->started && !strchr(" \t\r\n", c)) {
            return true;
        }
    }
    return false;
}

/* Append code point CH to the paste as UTF-8 (a tab as a space). */
static void paste_char(form_tester *t, unsigned ch)
{
    char buf[4];
    size_t n;
    if (ch == '\t')
        ch = ' ';
    if (ch < 0x80) {
        buf[0] = (char)ch;
        n = 1;
    } else if (ch < 0x800) {
        buf[0] = (char)(0xC0 | ch >> 6);
        buf[1] = (char)(0x80 | (ch & 0x3F));
        n = 2;
    } else if (ch < 0x10000) {
        buf[0] = (char)(0xE0 | ch >> 12);
        buf[1] = (char)(0x80 | (ch >> 6 & 0x3F));
        buf[2] = (char)(0x80 | (ch & 0x3F));
        n = 3;
    } else {
        buf[0] = (char)(0xF0 | ch >> 18);
        buf[1] = (char)(0x80 | (ch >> 12 & 0x3F));
        buf[2] = (char)(0x80 | (ch >> 6 & 0x3F));
        buf[3] = (char)(0x80 | (ch & 0x3F));
        n = 4;
    }
    sb_addn(&t->paste, buf, n);
}

/* Drop the paste's last character; the scan starts again. */
static void paste_backspace(form_tester *t)
{
    if (!t->paste.len)
        return;
    size_t n = t->paste.len - 1;
    while (n > 0 && ((unsigned char)t->paste.s[n] & 0xC0) == 0x80)
        n--;
    t->paste.len = n;
    t->paste.s[n] = '\0';
    t->scanned = t->depth = 0;
    t->started = t->in_string = t->escaped = false;
}

/* Enter in the paste: the line ends; a complete text is read. */
static void paste_line(form_state *st)
{
    form_tester *t = &st->test;
    sb_add(&t->paste, "\n");
    if (!paste_complete(t))
        return;
    if (load_records(st, t->paste.s, t->paste.len, "the pasted text") == 0)
        clear_paste(t);
}

/* Keys in the paste area. */
static void paste_apply(form_state *st, form_action a, unsigned ch)
{
    form_tester *t = &st->test;
    if (a != ACT_HELP)
        clear_err(t);
    switch (a) {
    case ACT_CHAR:
        if (t->paste.len + 4 < FILTER_RECORD_MAX_BYTES)
            paste_char(t, ch);
        else
            t->err = xasprintf("The pasted text is over %zu bytes: load it from a file instead",
                               FILTER_RECORD_MAX_BYTES);
        break;
    case ACT_COMMIT:
        paste_line(st);
        break;
    case ACT_BACKSPACE:
        paste_backspace(t);
        break;
    case ACT_CLEAR:
        clear_paste(t);
        break;
    case ACT_CANCEL:
        clear_paste(t);
        st->mode = FM_TESTER;
        break;
    case ACT_HELP:
        form_open_help(st);
        break;
    default:
        break;
    }
}

/* Keys in the path prompt. */
static void path_apply(form_state *st, form_action a, unsigned ch)
{
    switch (a) {
    case ACT_COMMIT:
        load_path(st);
        break;
    case ACT_CANCEL:
        clear_err(&st->test);
        st->mode = FM_TESTER;
        break;
    case ACT_HELP:
        form_open_help(st);
        break;
    default:
        if (tui_line_apply(&st->edit, a, ch))
            clear_err(&st->test);
        break;
    }
}

/* Enter on the menu: a sample is tested at once; a file or a paste is asked for. */
static void choose_source(form_state *st)
{
    size_t n;
    const filter_sample *s = samples(&n);
    clear_err(&st->test);
    if (st->test.sel < n) {
        char *kind = xstrdup(s[st->test.sel].name);
        for (char *p = kind; *p; p++)
            *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
        char *source = xasprintf("the bundled %s sample", kind);
        free(kind);
        load_records(st, s[st->test.sel].text, s[st->test.sel].len, source);
        free(source);
    } else if (st->test.sel == n) {
        tui_line_set(&st->edit, "");
        st->mode = FM_TEST_PATH;
    } else {
        clear_paste(&st->test);
        st->mode = FM_TEST_PASTE;
    }
}

/* Keys on the menu of sources. */
static void menu_apply(form_state *st, form_action a)
{
    if (form_menu_move(&st->test.sel, a, form_tester_sources(st)))
        return;
    switch (a) {
    case ACT_COMMIT:
        choose_source(st);
        break;
    case ACT_CANCEL:
        st->mode = FM_LIST;
        break;
    case ACT_HELP:
        form_open_help(st);
        break;
    default:
        break;
    }
}

/* Keys on the results: scrolling; Esc back to the menu. */
static void result_apply(form_state *st, form_action a)
{
    if (a == ACT_CANCEL) {
        st->mode = FM_TESTER;
        return;
    }
    if (a == ACT_HELP) {
        form_open_help(st);
        return;
    }
    size_t n;
    samples(&n);
    if ((a == ACT_LEFT || a == ACT_RIGHT) && st->test.sel < n) {
        /* the other bundled samples, without going back to the menu */
        st->test.sel = (st->test.sel + (a == ACT_LEFT ? n - 1 : 1)) % n;
        choose_source(st);
        return;
    }
    size_t total = 0;
    form_text *lines = form_tester_lines(st, st->vp.dialog_width, &total);
    form_texts_free(lines, total);
    form_scroll(&st->test.top, a, total, st->vp.dialog_height);
}

void form_tester_apply(form_state *st, form_action a, unsigned ch)
{
    switch (st->mode) {
    case FM_TESTER:
        menu_apply(st, a);
        break;
    case FM_TEST_PATH:
        path_apply(st, a, ch);
        break;
    case FM_TEST_PASTE:
        paste_apply(st, a, ch);
        break;
    case FM_TEST_RESULT:
        result_apply(st, a);
        break;
    default:
        break;
    }
}

/* ---- the results as lines ---- */

typedef struct text_list {
    form_text *t;
    size_t n;
    size_t width;
} text_list;

/* Append TEXT wrapped at the list's width; lines after the first start
 * INDENT columns in. */
static void add_wrapped(text_list *l, const char *text, size_t indent, form_msg_level level,
                        bool heading)
{
    size_t width = l->width < 20 ? 20 : l->width;
    if (indent + 10 > width)
        indent = 0;
    const char *p = text;
    bool first = true;
    do {
        size_t pad = first ? 0 : indent;
        size_t room = width - pad, len = strlen(p), cut = len;
        if (tui_text_width(p) > room) {
            cut = 0;
            for (size_t i = 0; i <= room && i < len; i++)
                if (p[i] == ' ')
                    cut = i;
            /* a space in the hanging indent's columns is no place to break */
            if (cut <= indent)
                cut = room;
            while (cut > 1 && ((unsigned char)p[cut] & 0xC0) == 0x80)
                cut--;
        }
        l->t = xrealloc(l->t, (l->n + 1) * sizeof *l->t);
        l->t[l->n++] =
            (form_text){xasprintf("%*s%.*s", (int)pad, "", (int)cut, p), level, heading && first};
        p += cut;
        while (*p == ' ')
            p++;
        first = false;
    } while (*p);
}

/* "Sent to the function: filter 1 matches" and the like. Caller frees. */
static char *verdict_text(const filter_test *t, form_msg_level *level)
{
    if (t->invalid) {
        *level = MSG_ERROR;
        return xasprintf("Not testable: %zu filter%s invalid (Lambda refuses the mapping)",
                         t->invalid, t->invalid == 1 ? " is" : "s are");
    }
    if (t->no_filters) {
        *level = MSG_OK;
        return xstrdup("Sent to the function: the mapping has no filters, so every record is");
    }
    if (!t->any_match) {
        *level = MSG_WARN;
        return xstrdup("Dropped: no filter matches, Lambda does not send it to the function");
    }
    strbuf b = {0};
    size_t matched = 0;
    for (size_t i = 0; i < t->n; i++)
        if (t->results[i].matched)
            sb_addf(&b, "%s%zu", matched++ ? ", " : "", i + 1);
    char *which = sb_take(&b);
    char *s = xasprintf("Sent to the function: filter%s %s match%s", matched > 1 ? "s" : "", which,
                        matched > 1 ? "" : "es");
    free(which);
    *level = MSG_OK;
    return s;
}

/* Each line of LINT (warnings), indented under a result. */
static void add_lint(text_list *l, const char *lint)
{
    for (const char *p = lint; p && *p;) {
        size_t n = strcspn(p, "\n");
        char *one = xstrndup(p, n);
        char *shown = str_escape_display(one);
        char *s = xasprintf("%*s~ %s", VERDICT_W, "", shown);
        add_wrapped(l, s, VERDICT_W + 2, MSG_WARN, false);
        free(s);
        free(shown);
        free(one);
        p += n + (p[n] == '\n');
    }
}

/* Filter I's result: its verdict and pattern, then why it did not match. */
static void add_result(text_list *l, const filter_result *r, size_t i)
{
    const char *verdict = !r->valid ? "invalid" : r->matched ? "match" : "no match";
    form_msg_level level = !r->valid ? MSG_ERROR : r->matched ? MSG_OK : MSG_WARN;
    char *pattern = str_escape_display(r->pattern);
    char *head = xasprintf("%2zu %-*s%s", i + 1, VERDICT_W - 3, verdict, pattern);
    add_wrapped(l, head, VERDICT_W, level, false);
    const char *why = !r->valid ? r->error : r->matched ? NULL : r->why;
    if (why) {
        char *shown = str_escape_display(why);
        char *s = xasprintf("%*s%s", VERDICT_W, "", shown);
        add_wrapped(l, s, VERDICT_W, MSG_INFO, false);
        free(s);
        free(shown);
    }
    add_lint(l, r->lint);
    free(head);
    free(pattern);
}

/* Record I's part: what it is, the verdict, each filter. True when sent. */
static bool add_record(const form_state *st, text_list *l, size_t i)
{
    const filter_record *rec = st->test.recs.items[i];
    char *what = filter_record_describe(rec);
    char *head = st->test.recs.n > 1
                     ? xasprintf("Record %zu of %zu: %s", i + 1, st->test.recs.n, what)
                     : xasprintf("Record: %s", what);
    add_wrapped(l, head, 2, MSG_INFO, true);
    free(head);
    free(what);
    filter_test t;
    filter_test_mapping(st->m, rec, &t);
    form_msg_level level;
    char *verdict = verdict_text(&t, &level);
    add_wrapped(l, verdict, 0, level, false);
    free(verdict);
    for (size_t k = 0; k < t.n; k++)
        add_result(l, &t.results[k], k);
    bool sent = t.invalid == 0 && t.any_match;
    filter_test_free(&t);
    return sent;
}

form_text *form_tester_lines(const form_state *st, size_t width, size_t *n)
{
    text_list l = {NULL, 0, width};
    size_t sent = 0;
    for (size_t i = 0; i < st->test.recs.n; i++) {
        if (i > 0)
            add_wrapped(&l, "", 0, MSG_INFO, false);
        sent += add_record(st, &l, i);
    }
    if (st->test.recs.n > 1) {
        char *s = xasprintf("%zu of %zu records sent to the function", sent, st->test.recs.n);
        add_wrapped(&l, "", 0, MSG_INFO, false);
        add_wrapped(&l, s, 0, MSG_INFO, true);
        free(s);
    }
    *n = l.n;
    return l.t;
}

void form_texts_free(form_text *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(t[i].text);
    free(t);
}

char **form_tester_paste_lines(const form_state *st, size_t max, size_t *n, size_t *total)
{
    const char *text = st->test.paste.s ? st->test.paste.s : "";
    size_t count = 1;
    for (const char *p = text; *p; p++)
        count += *p == '\n';
    *total = count;
    size_t skip = count > max ? count - max : 0;
    const char *p = text;
    for (size_t k = 0; k < skip; k++)
        p = strchr(p, '\n') + 1;
    char **lines = xcalloc(max ? max : 1, sizeof *lines);
    *n = 0;
    while (*n < max) {
        size_t len = strcspn(p, "\n");
        char *one = xstrndup(p, len);
        lines[(*n)++] = str_escape_display(one);
        free(one);
        if (!p[len])
            break;
        p += len + 1;
    }
    return lines;
}
