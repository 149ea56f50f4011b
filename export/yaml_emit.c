/* A JSON tree written as the YAML a person would write: block style, two
 * spaces, keys in tree order, through libyaml's emitter. Strings are plain
 * only when a YAML reader cannot take them for anything else (a number, a
 * boolean, null, an indicator, a comment); otherwise they are quoted. */
#include "export/render.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "model/util.h"

/* Plain scalars YAML 1.1 or 1.2 would read as null or a boolean. */
static const char *const reserved_words[] = {"~",   "null", "true", "false", "yes", "no", "on",
                                             "off", "y",    "n",    "<<",    "=",   NULL};

/* Characters a plain scalar must not start with: YAML indicators, and the
 * starts of numbers (digits, signs, '.'), dates and times. */
static const char plain_bad_first[] = "-?:,[]{}#&*!|>'\"%@`<=+.0123456789 ";

/* True when S is a reserved word in any letter case. */
static bool is_reserved(const char *s)
{
    for (size_t i = 0; reserved_words[i]; i++)
        if (strcasecmp(s, reserved_words[i]) == 0)
            return true;
    return false;
}

/* True when S contains a control character (tab and newline included). */
static bool has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return true;
    return false;
}

/* True when S reads back as the same string if written plain. */
static bool plain_safe(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || strchr(plain_bad_first, s[0]) || is_reserved(s) || has_control(s))
        return false;
    if (s[n - 1] == ' ' || s[n - 1] == ':')
        return false;
    return !strstr(s, ": ") && !strstr(s, " #");
}

/* The style for string S: plain when safe, else single quotes when S has
 * double quotes (a filter pattern reads best so), else double quotes
 * (which also escape control characters). */
static yaml_scalar_style_t string_style(const char *s)
{
    if (plain_safe(s))
        return YAML_PLAIN_SCALAR_STYLE;
    if (!has_control(s) && strchr(s, '"'))
        return YAML_SINGLE_QUOTED_SCALAR_STYLE;
    return YAML_DOUBLE_QUOTED_SCALAR_STYLE;
}

/* Emit one event; false (with the emitter's problem set) on failure. */
static bool emit(yaml_emitter_t *em, yaml_event_t *ev)
{
    return yaml_emitter_emit(em, ev) != 0;
}

/* Emit S as a string scalar in the style string_style picks. */
static bool emit_string(yaml_emitter_t *em, const char *s)
{
    yaml_event_t ev;
    yaml_scalar_style_t style = string_style(s);
    int plain = style == YAML_PLAIN_SCALAR_STYLE;
    if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), plain, 1,
                                      style))
        return false;
    return emit(em, &ev);
}

/* Emit TEXT as a plain scalar that is not a string (number, bool, null). */
static bool emit_plain(yaml_emitter_t *em, const char *text)
{
    yaml_event_t ev;
    if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)text, (int)strlen(text), 1, 0,
                                      YAML_PLAIN_SCALAR_STYLE))
        return false;
    return emit(em, &ev);
}

/* Emit the number D as JSON would write it. */
static bool emit_number(yaml_emitter_t *em, double d)
{
    char buf[64];
    if (d != d || d - d != 0)
        snprintf(buf, sizeof buf, "%s", d != d ? ".nan" : d > 0 ? ".inf" : "-.inf");
    else if (d > -9007199254740992.0 && d < 9007199254740992.0 && d == (double)(long long)d)
        snprintf(buf, sizeof buf, "%lld", (long long)d);
    else
        snprintf(buf, sizeof buf, "%.17g", d);
    return emit_plain(em, buf);
}

static bool emit_node(yaml_emitter_t *em, const cJSON *n);

/* Emit an object as a block mapping, members in order. */
static bool emit_mapping(yaml_emitter_t *em, const cJSON *n)
{
    yaml_event_t ev;
    if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) ||
        !emit(em, &ev))
        return false;
    for (const cJSON *c = n->child; c; c = c->next)
        if (!emit_string(em, c->string ? c->string : "") || !emit_node(em, c))
            return false;
    return yaml_mapping_end_event_initialize(&ev) && emit(em, &ev);
}

/* Emit an array as a block sequence. */
static bool emit_sequence(yaml_emitter_t *em, const cJSON *n)
{
    yaml_event_t ev;
    if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE) ||
        !emit(em, &ev))
        return false;
    for (const cJSON *c = n->child; c; c = c->next)
        if (!emit_node(em, c))
            return false;
    return yaml_sequence_end_event_initialize(&ev) && emit(em, &ev);
}

/* Emit any JSON value. */
static bool emit_node(yaml_emitter_t *em, const cJSON *n)
{
    if (cJSON_IsObject(n))
        return emit_mapping(em, n);
    if (cJSON_IsArray(n))
        return emit_sequence(em, n);
    if (cJSON_IsString(n))
        return emit_string(em, n->valuestring);
    if (cJSON_IsNumber(n))
        return emit_number(em, n->valuedouble);
    if (cJSON_IsBool(n))
        return emit_plain(em, cJSON_IsTrue(n) ? "true" : "false");
    return emit_plain(em, "null");
}

/* Emit the stream around one implicit document holding TREE. */
static bool emit_document(yaml_emitter_t *em, const cJSON *tree)
{
    yaml_event_t ev;
    if (!yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) || !emit(em, &ev))
        return false;
    if (!yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) || !emit(em, &ev))
        return false;
    if (!emit_node(em, tree))
        return false;
    if (!yaml_document_end_event_initialize(&ev, 1) || !emit(em, &ev))
        return false;
    return yaml_stream_end_event_initialize(&ev) && emit(em, &ev);
}

/* libyaml output handler: append to the strbuf in DATA. */
static int write_to_strbuf(void *data, unsigned char *buffer, size_t size)
{
    sb_addn(data, (const char *)buffer, size);
    return 1;
}

/* TREE as block-style YAML through libyaml's emitter. */
char *export_yaml_print(const cJSON *tree, char **err)
{
    yaml_emitter_t em;
    if (!yaml_emitter_initialize(&em)) {
        if (err)
            *err = xstrdup("YAML emitter: out of memory");
        return NULL;
    }
    strbuf b = {0};
    yaml_emitter_set_output(&em, write_to_strbuf, &b);
    yaml_emitter_set_indent(&em, 2);
    yaml_emitter_set_width(&em, -1); /* never fold long lines */
    yaml_emitter_set_unicode(&em, 1);
    bool ok = emit_document(&em, tree) && yaml_emitter_flush(&em);
    if (!ok && err)
        *err =
            xasprintf("YAML emitter: %s", em.problem ? em.problem : "a string is not valid UTF-8");
    yaml_emitter_delete(&em);
    char *out = sb_take(&b);
    if (!ok) {
        free(out);
        return NULL;
    }
    return out;
}
