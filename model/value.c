/* Parsing option values from text, and showing them back. */
#include "model/value.h"

#include "model/filter_match.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <locale.h>
#include <wchar.h>
#include <wctype.h>

#include <cJSON.h>

/* Longest text any value may have; longer is refused before parsing. */
enum { VALUE_TEXT_MAX = 65536 };

void opt_value_clear(opt_value *v)
{
    free(v->str);
    for (size_t i = 0; i < v->n_items; i++) {
        free(v->items[i].key);
        free(v->items[i].val);
    }
    free(v->items);
    memset(v, 0, sizeof *v);
}

int opt_value_copy(opt_value *dst, const opt_value *src)
{
    opt_value tmp = *src;
    tmp.str = xstrdup(src->str);
    tmp.items = src->n_items ? xcalloc(src->n_items, sizeof *tmp.items) : NULL;
    for (size_t i = 0; i < src->n_items; i++) {
        tmp.items[i].key = xstrdup(src->items[i].key);
        tmp.items[i].val = xstrdup(src->items[i].val);
    }
    *dst = tmp;
    return 0;
}

/* NULL-safe string equality. */
static bool str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

bool opt_value_equal(const opt_value *a, const opt_value *b)
{
    if (a->set != b->set || a->num != b->num || !str_eq(a->str, b->str) || a->n_items != b->n_items)
        return false;
    for (size_t i = 0; i < a->n_items; i++)
        if (!str_eq(a->items[i].key, b->items[i].key) || !str_eq(a->items[i].val, b->items[i].val))
            return false;
    return true;
}

/* A copy of TEXT without leading and trailing white space. */
static char *trimmed(const char *text)
{
    while (isspace((unsigned char)*text))
        text++;
    size_t n = strlen(text);
    while (n > 0 && isspace((unsigned char)text[n - 1]))
        n--;
    return xstrndup(text, n);
}

/* TEXT as shown inside a message: escaped, and cut when very long. */
static char *shown(const char *text)
{
    char *e = str_escape_display(text);
    if (strlen(e) > 80) {
        char *cut = xasprintf("%.60s... (%zu characters)", e, strlen(text));
        free(e);
        return cut;
    }
    return e;
}

/* Set *err to "<shown text> <what>" and return -1. */
static int fail_value(char **err, const char *text, const char *what)
{
    char *s = shown(text);
    *err = xasprintf("%s %s", s, what);
    free(s);
    return -1;
}

int value_parse_int(const char *text, long long *out, char **err)
{
    const char *p = text;
    if (*p == '-')
        p++;
    if (!isdigit((unsigned char)*p))
        return fail_value(err, text, "is not a whole number");
    for (const char *q = p; *q; q++) {
        if (*q == '.' && isdigit((unsigned char)q[1]))
            return fail_value(err, text, "is not a whole number (no fractions)");
        if (!isdigit((unsigned char)*q))
            return fail_value(err, text, "is not a whole number");
    }
    errno = 0;
    long long v = strtoll(text, NULL, 10);
    if (errno == ERANGE)
        return fail_value(err, text, "is too large");
    *out = v;
    return 0;
}

int value_parse_bool(const char *text, bool *out, char **err)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(text, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcasecmp(text, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return fail_value(err, text, "is not a boolean (true, false, yes, no, on, off, 1 or 0)");
}

/* Seconds in one unit letter (s, m, h, d), or 0 for none. Lower case only:
 * an upper-case M could be read as months. */
static long long unit_seconds(char c)
{
    switch (c) {
    case 's':
        return 1;
    case 'm':
        return 60;
    case 'h':
        return 3600;
    case 'd':
        return 86400;
    default:
        return 0;
    }
}

/* total += n * unit, refusing overflow. */
static bool add_scaled(long long *total, long long n, long long unit)
{
    if (n > (LLONG_MAX - *total) / unit)
        return false;
    *total += n * unit;
    return true;
}

/* Read a run of digits at *P into *N; false when none or too large. */
static bool read_number(const char **p, long long *n, bool *overflow)
{
    if (!isdigit((unsigned char)**p))
        return false;
    long long v = 0;
    while (isdigit((unsigned char)**p)) {
        int d = **p - '0';
        if (v > (LLONG_MAX - d) / 10)
            *overflow = true;
        else
            v = v * 10 + d;
        (*p)++;
    }
    *n = v;
    return true;
}

/* What a duration may look like, for messages. */
static const char not_duration[] = "is not a duration (whole seconds: 90, 30s, 5m, 1h, 7d or PT5M)";

/* ISO 8601 "PnDTnHnMnS" (and PnW) into seconds. */
static int parse_iso_duration(const char *text, long long *out, char **err)
{
    const char *p = text + 1;
    long long total = 0;
    bool in_time = false, any = false, overflow = false;
    while (*p) {
        if (!in_time && *p == 'T') {
            in_time = true;
            p++;
            continue;
        }
        long long n;
        if (!read_number(&p, &n, &overflow))
            return fail_value(err, text, "is not a duration (ISO 8601 like PT5M or P7D)");
        if (*p == '.' || *p == ',')
            return fail_value(err, text, "is not a whole number of seconds");
        char u = *p;
        long long unit = in_time ? (u == 'H'   ? 3600
                                    : u == 'M' ? 60
                                    : u == 'S' ? 1
                                               : 0)
                                 : (u == 'D'   ? 86400
                                    : u == 'W' ? 604800
                                               : 0);
        if (!unit)
            return fail_value(err, text, "is not a duration (ISO 8601 like PT5M or P7D)");
        if (overflow || !add_scaled(&total, n, unit))
            return fail_value(err, text, "is too large");
        any = true;
        p++;
    }
    if (!any)
        return fail_value(err, text, "is not a duration (ISO 8601 like PT5M or P7D)");
    *out = total;
    return 0;
}

/* "90", "30s", "1h30m" into seconds. */
static int parse_unit_duration(const char *text, long long *out, char **err)
{
    const char *p = text;
    long long total = 0;
    bool overflow = false;
    while (*p) {
        long long n;
        if (!read_number(&p, &n, &overflow))
            return fail_value(err, text, not_duration);
        if (*p == '.' || *p == ',')
            return fail_value(err, text, "is not a whole number of seconds");
        long long unit = *p ? unit_seconds(*p) : 1;
        if (!unit)
            return fail_value(err, text, not_duration);
        if (overflow || !add_scaled(&total, n, unit))
            return fail_value(err, text, "is too large");
        if (*p)
            p++;
    }
    *out = total;
    return 0;
}

int value_parse_duration(const char *text, long long *out, char **err)
{
    if (text[0] == '-')
        return value_parse_int(text, out, err);
    if (text[0] == 'P')
        return parse_iso_duration(text, out, err);
    if (!isdigit((unsigned char)text[0]))
        return fail_value(err, text, not_duration);
    return parse_unit_duration(text, out, err);
}

char *value_format_duration(long long seconds)
{
    static const struct {
        long long secs;
        char unit;
    } units[] = {{86400, 'd'}, {3600, 'h'}, {60, 'm'}};
    if (seconds > 0)
        for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
            if (seconds % units[i].secs == 0)
                return xasprintf("%lld%c", seconds / units[i].secs, units[i].unit);
    return xasprintf("%llds", seconds);
}

/* Number of code points in valid UTF-8 S, or -1 when S is not valid UTF-8. */
static long long utf8_chars(const char *s)
{
    long long n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t len = *p < 0x80             ? 1
                     : (*p & 0xE0) == 0xC0 ? 2
                     : (*p & 0xF0) == 0xE0 ? 3
                     : (*p & 0xF8) == 0xF0 ? 4
                                           : 0;
        if (!len)
            return -1;
        for (size_t i = 1; i < len; i++)
            if ((p[i] & 0xC0) != 0x80)
                return -1;
        p += len;
        n++;
    }
    return n;
}

/* Range check of a number against D, with the message of the design. */
static int check_range(const opt_def *d, const char *text, long long v, char **err)
{
    if ((v >= d->min && v <= d->max) || (d->has_special && v == d->special))
        return 0;
    char *allowed = opt_allowed_text(d);
    char *s = shown(text);
    char *num = xasprintf("%lld", v);
    if (strcmp(num, s) == 0 || d->type != OPT_T_DURATION)
        *err = xasprintf("%s is out of range (%s)", s, allowed);
    else
        *err = xasprintf("%s (%lld s) is out of range (%s)", s, v, allowed);
    free(num);
    free(s);
    free(allowed);
    return -1;
}

/* Rewrite a number parser's message to say what the option allows:
 * overflow is "out of range", anything else gets the allowed values added. */
static void explain_number_error(const opt_def *d, const char *text, char **err)
{
    char *allowed = opt_allowed_text(d);
    char *msg;
    if (strstr(*err, "too large")) {
        char *s = shown(text);
        msg = xasprintf("%s is out of range (%s)", s, allowed);
        free(s);
    } else {
        msg = xasprintf("%s; allowed: %s", *err, allowed);
    }
    free(*err);
    free(allowed);
    *err = msg;
}

/* Integer or duration option: whole number (of seconds) within range, or
 * the special value by its name ("infinite"). */
static int parse_number_opt(const opt_def *d, const char *text, opt_value *out, char **err)
{
    long long v;
    int rc;
    if (d->has_special && strcasecmp(text, d->special_name) == 0) {
        v = d->special;
        rc = 0;
    } else if (d->type == OPT_T_DURATION) {
        rc = value_parse_duration(text, &v, err);
    } else {
        rc = value_parse_int(text, &v, err);
    }
    if (rc < 0) {
        explain_number_error(d, text, err);
        return -1;
    }
    out->num = v;
    return check_range(d, text, v, err);
}

/* Enum option: one of the choices, any case. */
static int parse_enum_opt(const opt_def *d, const char *text, opt_value *out, char **err)
{
    for (size_t i = 0; d->choices[i]; i++) {
        if (strcasecmp(text, d->choices[i]) == 0) {
            out->str = xstrdup(d->choices[i]);
            return 0;
        }
    }
    char *allowed = opt_allowed_text(d);
    char *s = shown(text);
    *err = xasprintf("%s is not allowed (%s)", s, allowed);
    free(s);
    free(allowed);
    return -1;
}

/* Append an item to OUT's list. */
static void push_item(opt_value *out, char *key, char *val)
{
    out->items = xrealloc(out->items, (out->n_items + 1) * sizeof *out->items);
    out->items[out->n_items].key = key;
    out->items[out->n_items].val = val;
    out->n_items++;
}

/* Comma-separated list; each piece trimmed and handed to ONE. */
static int parse_comma_list(const opt_def *d, const char *text, opt_value *out, char **err,
                            int (*one)(const opt_def *, const char *, opt_value *, char **))
{
    const char *p = text;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char *raw = xstrndup(p, n);
        /* Tags keep their exact text: AWS keeps spaces at the ends. */
        char *piece = d->type == OPT_T_TAGS ? xstrdup(raw) : trimmed(raw);
        free(raw);
        int rc = *piece ? one(d, piece, out, err) : 0;
        free(piece);
        if (rc < 0)
            return -1;
        p += n + (comma ? 1 : 0);
    }
    return 0;
}

/* One metric name of an enum list ("none" adds nothing). */
static int parse_metric(const opt_def *d, const char *text, opt_value *out, char **err)
{
    if (strcmp(text, "none") == 0)
        return 0;
    opt_value one = {0};
    if (parse_enum_opt(d, text, &one, err) < 0)
        return -1;
    push_item(out, one.str, NULL);
    return 0;
}

/* One KEY=VALUE tag of a tag list. */
static int parse_tag_item(const opt_def *d, const char *text, opt_value *out, char **err)
{
    (void)d;
    char *key, *val;
    if (value_parse_tag(text, &key, &val, err) < 0)
        return -1;
    push_item(out, key, val);
    return 0;
}

/* glibc's built-in C.UTF-8 classifies every Unicode letter and number,
 * whatever the program's own locale is. */
static locale_t unicode_ctype(void)
{
    static locale_t loc;
    static bool tried;
    if (!tried) {
        tried = true;
        loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    }
    return loc;
}

/* Space separators (Zs) and number forms (No) that glibc's classes leave
 * out but AWS's \\p{Z} and \\p{N} take. */
static bool unicode_extra_tag_char(wchar_t wc)
{
    static const struct {
        wchar_t lo, hi;
    } ranges[] = {
        {0x00A0, 0x00A0}, {0x00B2, 0x00B3}, {0x00B9, 0x00B9}, {0x00BC, 0x00BE},
        {0x1680, 0x1680}, {0x2000, 0x200A}, {0x202F, 0x202F}, {0x205F, 0x205F},
        {0x2070, 0x2070}, {0x2074, 0x2079}, {0x2080, 0x2089}, {0x2150, 0x2189},
        {0x2460, 0x249B}, {0x24EA, 0x24FF}, {0x2776, 0x2793}, {0x3000, 0x3000},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if (wc >= ranges[i].lo && wc <= ranges[i].hi)
            return true;
    return false;
}

/* A non-ASCII character at P that AWS's letters, numbers or spaces take;
 * *LEN is its length in bytes. */
static bool unicode_tag_char(const unsigned char *p, size_t *len)
{
    locale_t loc = unicode_ctype();
    *len = 1;
    if (loc == (locale_t)0)
        return true; /* nothing here to classify with: leave it to AWS */
    mbstate_t st;
    memset(&st, 0, sizeof st);
    wchar_t wc;
    locale_t old = uselocale(loc);
    size_t n = mbrtowc(&wc, (const char *)p, 4, &st);
    bool ok = n != (size_t)-1 && n != (size_t)-2 && n > 0 &&
              (iswalnum_l((wint_t)wc, loc) || iswspace_l((wint_t)wc, loc) ||
               iswblank_l((wint_t)wc, loc) || unicode_extra_tag_char(wc));
    uselocale(old);
    if (ok)
        *len = n;
    return ok;
}

/* Tag characters AWS allows: letters, numbers, spaces and _ . : / = + - @. */
static bool tag_chars_ok(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t len = 1;
        bool ok =
            *p >= 0x80 ? unicode_tag_char(p, &len) : isalnum(*p) || strchr(" _.:/=+-@", *p) != NULL;
        if (!ok)
            return false;
        p += len;
    }
    return true;
}

/* Why tag K=V is refused, or NULL when AWS takes it. Caller frees. */
static char *tag_problem(const opt_def *d, const char *k, const char *v)
{
    long long klen = utf8_chars(k), vlen = utf8_chars(v);
    if (klen < 0 || vlen < 0)
        return xstrdup("is not valid UTF-8");
    if (klen < d->min || klen > d->max)
        return xasprintf("has a key that is not %lld..%lld characters", d->min, d->max);
    if (vlen > d->max_value)
        return xasprintf("has a value longer than %lld characters", d->max_value);
    if (!tag_chars_ok(k) || !tag_chars_ok(v))
        return xstrdup("has a character tags do not allow (letters, digits, spaces and "
                       "_ . : / = + - @)");
    if (strncasecmp(k, "aws:", 4) == 0)
        return xstrdup("has a key starting with aws:, which AWS reserves");
    return NULL;
}

int value_parse_tag(const char *text, char **key, char **val, char **err)
{
    const char *eq = strchr(text, '=');
    if (!eq)
        return fail_value(err, text, "is not KEY=VALUE");
    char *k = xstrndup(text, (size_t)(eq - text));
    char *v = xstrdup(eq + 1);
    char *why = tag_problem(opt_get(OPT_TAGS), k, v);
    if (why) {
        fail_value(err, text, why);
        free(why);
        free(k);
        free(v);
        return -1;
    }
    *key = k;
    *val = v;
    return 0;
}

/* The offset of the first control character inside a JSON string of TEXT
 * (cJSON takes them; JSON, and so AWS, does not), or -1. */
static long raw_control_in_string(const char *text)
{
    bool in_string = false, escaped = false;
    for (const char *p = text; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (in_string && c < 0x20)
            return (long)(p - text);
        if (escaped)
            escaped = false;
        else if (in_string && c == '\\')
            escaped = true;
        else if (c == '"')
            in_string = !in_string;
    }
    return -1;
}

int value_check_pattern(const char *text, char **err)
{
    const opt_def *d = opt_get(OPT_FILTERS);
    long long chars = utf8_chars(text);
    if (chars < 0)
        return fail_value(err, text, "is not valid UTF-8");
    if (chars > d->max) {
        *err = xasprintf("pattern of %lld characters is too long (at most %lld)", chars, d->max);
        return -1;
    }
    long raw = raw_control_in_string(text);
    if (raw >= 0) {
        char *s = shown(text);
        *err = xasprintf("%s is not valid JSON (a control character inside a string at character "
                         "%ld: write it as \\u%04x)",
                         s, raw + 1, (unsigned)(unsigned char)text[raw]);
        free(s);
        return -1;
    }
    /* the one check of Lambda's filter syntax */
    filter_pattern *p = filter_pattern_parse(text, err);
    if (!p)
        return -1;
    filter_pattern_free(p);
    return 0;
}

/* PATTERN written over several lines, joined into one: the line breaks and
 * the white space around them go (outside JSON strings, where a line break
 * cannot be). AWS's API takes a pattern on a single line. Caller frees. */
static char *join_lines(const char *pattern)
{
    if (!strpbrk(pattern, "\r\n"))
        return xstrdup(pattern);
    strbuf b = {0};
    bool in_string = false;
    for (const char *p = pattern; *p; p++) {
        if (in_string) {
            sb_addn(&b, p, 1);
            if (*p == '\\' && p[1])
                sb_addn(&b, ++p, 1);
            else if (*p == '"')
                in_string = false;
            continue;
        }
        if (*p == '\r' || *p == '\n') {
            while (b.len > 0 && (b.s[b.len - 1] == ' ' || b.s[b.len - 1] == '\t'))
                b.s[--b.len] = '\0';
            while (p[1] == ' ' || p[1] == '\t' || p[1] == '\r' || p[1] == '\n')
                p++;
            continue;
        }
        in_string = *p == '"';
        sb_addn(&b, p, 1);
    }
    return sb_take(&b);
}

/* A filter pattern item. */
static int parse_pattern_opt(const opt_def *d, const char *text, opt_value *out, char **err)
{
    (void)d;
    if (value_check_pattern(text, err) < 0)
        return -1;
    push_item(out, xstrdup(text), NULL);
    return 0;
}

/* "TEXT is an SQS queue ARN<WANTED>": an ARN of the wrong kind. */
static int fail_kind(char **err, const char *text, arn_kind kind, const char *wanted)
{
    char *what = xasprintf("is %s %s ARN%s", arn_kind_article(kind), arn_kind_name(kind), wanted);
    fail_value(err, text, what);
    free(what);
    return -1;
}

/* The table's stream value: only a stream ARN here (names are resolved
 * through the inventory by the caller). */
static int parse_stream_opt(const opt_def *d, const char *text, opt_value *out, char **err)
{
    (void)d;
    arn_parts a;
    if (arn_parse(text, &a, err) < 0)
        return -1;
    if (a.kind == ARN_DYNAMODB_TABLE)
        return fail_value(err, text,
                          "is a table ARN, not its stream ARN (pick the table from "
                          "the inventory, or give .../stream/LABEL)");
    if (a.kind != ARN_DYNAMODB_STREAM) {
        return fail_kind(err, text, a.kind, ", not a DynamoDB stream ARN");
    }
    out->str = xstrdup(text);
    return 0;
}

/* A function name or ARN. */
static int parse_function_opt(const opt_def *d, const char *text, opt_value *out, char **err)
{
    (void)d;
    arn_parts a;
    if (value_parse_function(text, &a, err) < 0)
        return -1;
    out->str = xstrdup(text);
    return 0;
}

/* An on-failure destination: SQS queue, SNS topic or S3 bucket ARN. */
static int parse_destination_opt(const opt_def *d, const char *text, opt_value *out, char **err)
{
    if ((long long)strlen(text) > d->max) {
        char *what = xasprintf("is longer than %lld characters", d->max);
        fail_value(err, text, what);
        free(what);
        return -1;
    }
    arn_parts a;
    if (arn_parse(text, &a, err) < 0)
        return -1;
    if (a.kind != ARN_SQS_QUEUE && a.kind != ARN_SNS_TOPIC && a.kind != ARN_S3_BUCKET) {
        return fail_kind(err, text, a.kind,
                         "; an on-failure destination is an SQS queue, SNS topic or S3 bucket ARN");
    }
    out->str = xstrdup(text);
    return 0;
}

/* A KMS key ARN. */
static int parse_kms_opt(const opt_def *d, const char *text, opt_value *out, char **err)
{
    (void)d;
    arn_parts a;
    if (arn_parse(text, &a, err) < 0)
        return -1;
    if (a.kind != ARN_KMS_KEY) {
        return fail_kind(err, text, a.kind,
                         ", not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY_ID)");
    }
    out->str = xstrdup(text);
    return 0;
}

/* Boolean option (also the flag list, stored as 0/1). */
static int parse_bool_opt(const opt_def *d, const char *text, opt_value *out, char **err)
{
    (void)d;
    bool b;
    if (value_parse_bool(text, &b, err) < 0)
        return -1;
    out->num = b;
    return 0;
}

/* The empty value: allowed only for lists (no items). */
static int parse_empty(const opt_def *d, opt_value *out, char **err)
{
    if (opt_is_list(d))
        return 0;
    char *allowed = opt_allowed_text(d);
    *err = xasprintf("a value is needed (%s)", allowed);
    free(allowed);
    opt_value_clear(out);
    return -1;
}

/* Dispatch on the option's type. */
static int parse_by_type(const opt_def *d, const char *text, opt_value *out, char **err)
{
    switch (d->type) {
    case OPT_T_STREAM:
        return parse_stream_opt(d, text, out, err);
    case OPT_T_FUNCTION:
        return parse_function_opt(d, text, out, err);
    case OPT_T_ENUM:
        return parse_enum_opt(d, text, out, err);
    case OPT_T_INT:
    case OPT_T_DURATION:
        return parse_number_opt(d, text, out, err);
    case OPT_T_BOOL:
    case OPT_T_FLAG_LIST:
        return parse_bool_opt(d, text, out, err);
    case OPT_T_DESTINATION:
        return parse_destination_opt(d, text, out, err);
    case OPT_T_KMS_KEY:
        return parse_kms_opt(d, text, out, err);
    case OPT_T_ENUM_LIST:
        return parse_comma_list(d, text, out, err, parse_metric);
    case OPT_T_PATTERNS:
        return parse_pattern_opt(d, text, out, err);
    case OPT_T_TAGS:
        return parse_comma_list(d, text, out, err, parse_tag_item);
    }
    return -1;
}

int opt_parse(const opt_def *d, const char *text, opt_value *out, char **err)
{
    memset(out, 0, sizeof *out);
    out->set = true;
    *err = NULL;
    if (!text)
        text = "";
    if (strlen(text) > VALUE_TEXT_MAX) {
        *err = xasprintf("value of %zu bytes is too long", strlen(text));
        return -1;
    }
    if (utf8_chars(text) < 0) {
        char *s = shown(text);
        *err = xasprintf("%s is not valid UTF-8", s);
        free(s);
        return -1;
    }
    /* Patterns and tags keep their exact text: it is what the export writes. */
    char *t = d->type == OPT_T_PATTERNS ? join_lines(text)
              : d->type == OPT_T_TAGS   ? xstrdup(text)
                                        : trimmed(text);
    int rc = *t ? parse_by_type(d, t, out, err) : parse_empty(d, out, err);
    free(t);
    if (rc < 0)
        opt_value_clear(out);
    return rc;
}

/* Join a list's items for display or editing: "a=1, b=2" / "EventCount". */
static char *join_items(const opt_value *v, const char *sep)
{
    strbuf b = {0};
    for (size_t i = 0; i < v->n_items; i++) {
        if (i)
            sb_add(&b, sep);
        sb_add(&b, v->items[i].key);
        if (v->items[i].val) {
            sb_add(&b, "=");
            sb_add(&b, v->items[i].val);
        }
    }
    return sb_take(&b);
}

/* A number as shown: the special value named, durations with units. */
static char *format_number(const opt_def *d, long long n)
{
    if (d->type == OPT_T_BOOL || d->type == OPT_T_FLAG_LIST)
        return xstrdup(n ? "true" : "false");
    if (d->has_special && n == d->special)
        return xasprintf("%lld (%s)", n, d->special_name);
    if (d->type == OPT_T_DURATION)
        return value_format_duration(n);
    return xasprintf("%lld", n);
}

char *opt_format(const opt_def *d, const opt_value *v)
{
    if (opt_is_numeric(d))
        return format_number(d, v->set ? v->num : d->default_num);
    if (opt_is_list(d)) {
        if (!v->set || v->n_items == 0)
            return xstrdup("none");
        if (d->type == OPT_T_PATTERNS)
            return xasprintf("%zu %s", v->n_items, v->n_items == 1 ? "filter" : "filters");
        return join_items(v, ", ");
    }
    if (!v->set || !v->str)
        return xstrdup(d->required ? "" : d->default_text);
    return xstrdup(v->str);
}

char *opt_edit_text(const opt_def *d, const opt_value *v)
{
    long long n = v->set ? v->num : d->default_num;
    switch (d->type) {
    case OPT_T_INT:
        return xasprintf("%lld", n);
    case OPT_T_DURATION:
        return (d->has_special && n == d->special) ? xasprintf("%lld", n)
                                                   : value_format_duration(n);
    case OPT_T_BOOL:
    case OPT_T_FLAG_LIST:
        return xstrdup(n ? "true" : "false");
    case OPT_T_ENUM_LIST:
    case OPT_T_TAGS:
        return join_items(v, ",");
    case OPT_T_PATTERNS:
        return xstrdup(v->n_items ? v->items[0].key : "");
    default:
        return xstrdup(v->set && v->str ? v->str : "");
    }
}
