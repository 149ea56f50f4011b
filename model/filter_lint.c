/* Warnings about valid patterns that will not do on a DynamoDB stream what
 * they seem to: the shape of a stream record is known (its fields, the
 * typed attribute objects of its images, the images its stream view type
 * carries), so a condition that can never match, or always does, is told
 * with what to write instead. */
#include <stdlib.h>
#include <string.h>

#include "model/filter_int.h"
#include "model/util.h"

/* The fields of a stream record as Lambda delivers it. */
static const char *const record_fields[] = {"awsRegion",    "dynamodb",     "eventID",
                                            "eventName",    "eventSource",  "eventSourceARN",
                                            "eventVersion", "userIdentity", NULL};
/* Those holding a string. */
static const char *const string_fields[] = {
    "awsRegion", "eventID", "eventName", "eventSource", "eventSourceARN", "eventVersion", NULL};
static const char *const dynamodb_fields[] = {"ApproximateCreationDateTime",
                                              "Keys",
                                              "NewImage",
                                              "OldImage",
                                              "SequenceNumber",
                                              "SizeBytes",
                                              "StreamViewType",
                                              NULL};
static const char *const identity_fields[] = {"type", "principalId", NULL};
static const char *const event_names[] = {"INSERT", "MODIFY", "REMOVE", NULL};
static const char *const view_types[] = {"KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE",
                                         "NEW_AND_OLD_IMAGES", NULL};
static const char *const types[] = {"S", "N",  "B",  "BOOL", "NULL", "M",
                                    "L", "SS", "NS", "BS",   NULL};
#define TYPES_TEXT "S, N, B, BOOL, NULL, M, L, SS, NS or BS"

/* What a leaf at some place of a stream record is. */
typedef enum { W_STRING, W_NUMBER, W_NUMBER_TEXT, W_BOOL, W_NULL_TRUE } want;

typedef struct lint {
    const filter_pattern *p;
    const char *view;
    filter_notes *out;
} lint;

/* Whether V is a string equal to one of WORDS. */
static bool text_in(const fj *v, const char *const *words)
{
    for (size_t i = 0; words[i]; i++)
        if (fj_is_text(v, words[i]))
            return true;
    return false;
}

/* Whether M is an $or (read as one). */
static bool is_or(const lint *l, const fj *m)
{
    return !l->p->or_as_field && fj_key_is(m, "$or") && m->t == FJ_ARRAY;
}

/* FN on each object of $or M (at AT), with its own path: AT[i]. */
static void each_or(lint *l, const fj *m, const char *at,
                    void (*fn)(lint *, const fj *, const char *))
{
    size_t i = 0;
    for (const fj *e = m->child; e; e = e->next, i++) {
        char *ei = xasprintf("%s[%zu]", at, i);
        if (e->t == FJ_OBJECT)
            fn(l, e, ei);
        free(ei);
    }
}

/* The operator of condition C (an object), or "". */
static const char *op_of(const fj *c)
{
    return c->t == FJ_OBJECT && c->child ? c->child->key : "";
}

/* Whether every condition of LIST is {"exists": false}. */
static bool only_absent(const fj *list)
{
    for (const fj *c = list->child; c; c = c->next)
        if (strcmp(op_of(c), "exists") != 0 || c->child->t != FJ_FALSE)
            return false;
    return true;
}

/* Whether text S (LEN bytes) is a number as DynamoDB writes one. */
static bool number_text(const char *s, size_t len)
{
    size_t i = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        i++;
    size_t d = 0;
    while (i < len && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
        d += s[i++] != '.';
    if (d == 0)
        return false;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '-' || s[i] == '+'))
            i++;
        if (i == len)
            return false;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    return i == len;
}

/* ---- one list of conditions against what the record holds there ---- */

/* The note for a value condition V (at AT) of the wrong type for W. */
static void wrong_value(lint *l, const fj *v, const char *at, want w)
{
    char *s = fj_show(v, 40);
    switch (w) {
    case W_STRING:
        filter_notes_add(l->out, at,
                         "%s never matches: a stream record holds a string here; write it as a "
                         "string, e.g. [\"%s\"]",
                         s, v->t == FJ_NUMBER ? s : "text");
        break;
    case W_NUMBER_TEXT:
        if (v->t == FJ_NUMBER)
            filter_notes_add(l->out, at,
                             "%s never matches: a stream record writes a number attribute as a "
                             "string ({\"N\": \"42\"}); write [\"%s\"]",
                             s, s);
        else if (v->t == FJ_STRING)
            filter_notes_add(l->out, at,
                             "%s never matches: an N attribute holds a number written as a "
                             "string, e.g. [\"42\"]",
                             s);
        else
            filter_notes_add(l->out, at,
                             "%s never matches: an N attribute holds a number written as a "
                             "string, e.g. [\"42\"]",
                             s);
        break;
    case W_NUMBER:
        if (v->t == FJ_STRING && number_text(v->s, v->len))
            filter_notes_add(l->out, at,
                             "%s never matches: a stream record holds a number here, not a "
                             "string; write it without quotes",
                             s);
        else
            filter_notes_add(l->out, at,
                             "%s never matches: a stream record holds a number here; write a "
                             "number, or {\"numeric\": [...]}",
                             s);
        break;
    case W_BOOL:
        filter_notes_add(l->out, at,
                         "%s never matches: a BOOL attribute holds true or false; write [true] "
                         "or [false]%s",
                         s, v->t == FJ_STRING ? " (without quotes)" : "");
        break;
    case W_NULL_TRUE:
        filter_notes_add(l->out, at,
                         "%s never matches: a NULL attribute always holds true; write [true] (or "
                         "{\"exists\": true})",
                         s);
        break;
    }
    free(s);
}

/* Whether leaf V fits what W says the record holds. */
static bool value_fits(const fj *v, want w)
{
    switch (w) {
    case W_STRING:
        return v->t == FJ_STRING;
    case W_NUMBER_TEXT:
        return v->t == FJ_STRING && number_text(v->s, v->len);
    case W_NUMBER:
        return v->t == FJ_NUMBER;
    case W_BOOL:
        return v->t == FJ_TRUE || v->t == FJ_FALSE;
    case W_NULL_TRUE:
        return v->t == FJ_TRUE;
    }
    return false;
}

/* Each condition of LIST (at AT) against what the record holds there. */
static void check_list(lint *l, const fj *list, const char *at, want w, bool event_name)
{
    size_t i = 0;
    for (const fj *c = list->child; c; c = c->next, i++) {
        char *ci = xasprintf("%s[%zu]", at, i);
        const char *op = op_of(c);
        bool text_op = !strcmp(op, "prefix") || !strcmp(op, "suffix") ||
                       !strcmp(op, "equals-ignore-case") || !strcmp(op, "wildcard") ||
                       !strcmp(op, "cidr") || !strcmp(op, "exactly");
        bool numeric_op = !strcmp(op, "numeric");
        if (c->t != FJ_OBJECT && !value_fits(c, w)) {
            wrong_value(l, c, ci, w);
        } else if (c->t != FJ_OBJECT && event_name && !text_in(c, event_names)) {
            char *s = fj_show(c, 40);
            filter_notes_add(l->out, ci,
                             "%s is never a stream record's eventName: write \"INSERT\", "
                             "\"MODIFY\" or \"REMOVE\" (upper case)",
                             s);
            free(s);
        } else if (numeric_op && w == W_NUMBER_TEXT) {
            filter_notes_add(l->out, ci,
                             "numeric never matches an N attribute: a stream record writes its "
                             "number as a string ({\"N\": \"42\"}) and numeric compares JSON "
                             "numbers only; compare the text instead: [\"42\"], or a prefix");
        } else if (numeric_op && w != W_NUMBER) {
            filter_notes_add(l->out, ci,
                             "numeric never matches: a stream record holds %s here, not a number",
                             w == W_BOOL        ? "true or false"
                             : w == W_NULL_TRUE ? "true"
                                                : "a string");
        } else if (text_op && w != W_STRING && w != W_NUMBER_TEXT) {
            filter_notes_add(l->out, ci,
                             "%s never matches: it looks at strings, and a stream record holds %s "
                             "here; write %s",
                             op, w == W_NUMBER ? "a number" : "true or false",
                             w == W_NUMBER ? "{\"numeric\": [...]}" : "[true] or [false]");
        }
        free(ci);
    }
}

/* A list of conditions where the record has an object (WHAT), at AT. */
static void object_here(lint *l, const fj *list, const char *at, const char *what,
                        const char *instead)
{
    if (only_absent(list))
        filter_notes_add(l->out, at,
                         "{\"exists\": false} always matches here: the record holds %s, and "
                         "exists looks at values only; %s",
                         what, instead);
    else
        filter_notes_add(l->out, at,
                         "never matches: a stream record holds %s here, not a value; %s", what,
                         instead);
}

/* ---- the record's shape ---- */

static void lint_attributes(lint *l, const fj *obj, const char *at);

/* The typed object of one attribute ({"S": [...]}, ...), at AT. */
static void lint_typed(lint *l, const fj *obj, const char *at)
{
    for (const fj *m = obj->child; m; m = m->next) {
        char *sub = filter_path_join(at, m->key, m->klen);
        if (is_or(l, m)) {
            each_or(l, m, sub, lint_typed);
        } else if (!fj_key_in(m, types)) {
            filter_notes_add(l->out, sub,
                             "never matches: a stream record's attribute is typed with " TYPES_TEXT
                             ", so this is not one of them; write e.g. {\"S\": [\"text\"]}");
        } else if (fj_key_is(m, "M")) {
            if (m->t == FJ_OBJECT)
                lint_attributes(l, m, sub);
            else
                object_here(l, m, sub, "a map of attributes",
                            "name an attribute inside, e.g. {\"M\": {\"name\": {\"S\": [...]}}}");
        } else if (fj_key_is(m, "L")) {
            if (m->t == FJ_OBJECT)
                lint_typed(l, m, sub); /* a list's elements: typed objects */
            else
                object_here(l, m, sub, "a list of typed values",
                            "match an element by its type, e.g. {\"L\": {\"S\": [...]}}");
        } else if (m->t == FJ_ARRAY) {
            want w = fj_key_is(m, "N") || fj_key_is(m, "NS") ? W_NUMBER_TEXT
                     : fj_key_is(m, "BOOL")                  ? W_BOOL
                     : fj_key_is(m, "NULL")                  ? W_NULL_TRUE
                                                             : W_STRING;
            check_list(l, m, sub, w, false);
        } else {
            filter_notes_add(l->out, sub,
                             "never matches: a stream record holds a value under %s, not an "
                             "object; put the conditions in a list, e.g. {\"%s\": [...]}",
                             m->key, m->key);
        }
        free(sub);
    }
}

/* The attributes of an image (or of a map), at AT. */
static void lint_attributes(lint *l, const fj *obj, const char *at)
{
    for (const fj *m = obj->child; m; m = m->next) {
        char *sub = filter_path_join(at, m->key, m->klen);
        if (is_or(l, m)) {
            each_or(l, m, sub, lint_attributes);
        } else if (m->t == FJ_OBJECT) {
            lint_typed(l, m, sub);
        } else {
            char *name = fj_show(&(fj){.t = FJ_STRING, .s = m->key, .len = m->klen}, 40);
            char *inner = fj_show(m, 40);
            if (only_absent(m))
                filter_notes_add(l->out, sub,
                                 "{\"exists\": false} always matches: a stream record holds an "
                                 "attribute as an object of its type ({\"S\": \"x\"}), never a "
                                 "value; write {%s: {\"S\": %s}} (or the attribute's type)",
                                 name, inner);
            else
                filter_notes_add(l->out, sub,
                                 "never matches: a stream record holds an attribute as an object "
                                 "of its type ({\"S\": \"PAID\"}, {\"N\": \"42\"}); write {%s: "
                                 "{\"S\": %s}} (or the attribute's type)",
                                 name, inner);
            free(inner);
            free(name);
        }
        free(sub);
    }
}

/* The image IMG (NewImage, OldImage) the table's stream does not carry. */
static void lint_view(lint *l, const fj *img, const char *at)
{
    if (!l->view)
        return;
    bool is_new = fj_key_is(img, "NewImage"), is_old = fj_key_is(img, "OldImage");
    bool carried = strcmp(l->view, "NEW_AND_OLD_IMAGES") == 0 ||
                   (is_new && strcmp(l->view, "NEW_IMAGE") == 0) ||
                   (is_old && strcmp(l->view, "OLD_IMAGE") == 0) || (!is_new && !is_old);
    if (carried)
        return;
    filter_notes_add(
        l->out, at,
        "the table's stream view type is %s, so its records carry no %s: %s; filter "
        "on Keys, or change the stream to %s",
        l->view, is_new ? "NewImage" : "OldImage",
        img->t == FJ_ARRAY && only_absent(img) ? "this always matches" : "this never matches",
        is_new ? "NEW_IMAGE or NEW_AND_OLD_IMAGES" : "OLD_IMAGE or NEW_AND_OLD_IMAGES");
}

/* The members of the pattern's "dynamodb" object, at AT. */
static void lint_dynamodb(lint *l, const fj *obj, const char *at)
{
    for (const fj *m = obj->child; m; m = m->next) {
        char *sub = filter_path_join(at, m->key, m->klen);
        if (is_or(l, m)) {
            each_or(l, m, sub, lint_dynamodb);
        } else if (!fj_key_in(m, dynamodb_fields)) {
            filter_notes_add(l->out, sub,
                             "never matches: a stream record's dynamodb object has Keys, NewImage, "
                             "OldImage, ApproximateCreationDateTime, SequenceNumber, SizeBytes and "
                             "StreamViewType (names are case-sensitive)");
        } else if (fj_key_is(m, "Keys") || fj_key_is(m, "NewImage") || fj_key_is(m, "OldImage")) {
            lint_view(l, m, sub);
            if (m->t == FJ_OBJECT)
                lint_attributes(l, m, sub);
            else
                object_here(l, m, sub, "the item's attributes",
                            "name an attribute, e.g. {\"NewImage\": {\"status\": {\"S\": [...]}}}");
        } else if (m->t == FJ_OBJECT) {
            filter_notes_add(l->out, sub,
                             "never matches: a stream record holds a value here, not an object; "
                             "put the conditions in a list");
        } else if (fj_key_is(m, "ApproximateCreationDateTime") || fj_key_is(m, "SizeBytes")) {
            check_list(l, m, sub, W_NUMBER, false);
        } else {
            check_list(l, m, sub, W_STRING, false);
            if (fj_key_is(m, "StreamViewType"))
                for (const fj *c = m->child; c; c = c->next)
                    if (c->t == FJ_STRING && !text_in(c, view_types))
                        filter_notes_add(l->out, sub,
                                         "never matches: StreamViewType is KEYS_ONLY, NEW_IMAGE, "
                                         "OLD_IMAGE or NEW_AND_OLD_IMAGES");
        }
        free(sub);
    }
}

/* The top of the pattern (the record's own fields), at AT. */
static void lint_top(lint *l, const fj *obj, const char *at)
{
    for (const fj *m = obj->child; m; m = m->next) {
        char *sub = filter_path_join(at, m->key, m->klen);
        if (is_or(l, m)) {
            each_or(l, m, sub, lint_top);
        } else if (!fj_key_in(m, record_fields)) {
            filter_notes_add(l->out, sub,
                             "never matches: a DynamoDB stream record has no such field (it has "
                             "eventName, eventSource, awsRegion, eventID, eventVersion, "
                             "eventSourceARN, dynamodb and userIdentity; names are "
                             "case-sensitive)");
        } else if (fj_key_is(m, "dynamodb") || fj_key_is(m, "userIdentity")) {
            if (m->t != FJ_OBJECT)
                object_here(l, m, sub, "an object",
                            fj_key_is(m, "dynamodb")
                                ? "name its fields, e.g. {\"dynamodb\": {\"Keys\": ...}}"
                                : "name its fields, e.g. {\"userIdentity\": {\"type\": "
                                  "[\"Service\"]}}");
            else if (fj_key_is(m, "dynamodb"))
                lint_dynamodb(l, m, sub);
            else
                for (const fj *f = m->child; f; f = f->next)
                    if (!fj_key_in(f, identity_fields) && !is_or(l, f)) {
                        char *fs = filter_path_join(sub, f->key, f->klen);
                        filter_notes_add(l->out, fs,
                                         "never matches: userIdentity has type and principalId");
                        free(fs);
                    }
        } else if (m->t == FJ_OBJECT) {
            filter_notes_add(l->out, sub,
                             "never matches: a stream record holds a string here, not an object; "
                             "put the conditions in a list, e.g. [\"...\"]");
        } else if (fj_key_in(m, string_fields)) {
            check_list(l, m, sub, W_STRING, fj_key_is(m, "eventName"));
            if (fj_key_is(m, "eventSource"))
                for (const fj *c = m->child; c; c = c->next)
                    if (c->t == FJ_STRING && !fj_is_text(c, "aws:dynamodb"))
                        filter_notes_add(l->out, sub,
                                         "never matches: a DynamoDB stream record's eventSource "
                                         "is \"aws:dynamodb\"");
        }
        free(sub);
    }
}

/* Alternatives that ask INSERT records for OldImage, or REMOVE records
 * for NewImage. */
static void lint_events(lint *l)
{
    static const char ddb[] = "dynamodb.";
    for (size_t b = 0; b < l->p->nbranches; b++) {
        const branch *br = &l->p->branches[b];
        bool insert_only = false, remove_only = false, old_img = false, new_img = false;
        for (size_t k = 0; k < br->n; k++) {
            const field_spec *f = br->fields[k];
            if (f->plen == 9 && memcmp(f->path, "eventName", 9) == 0) {
                bool all_insert = f->nconds > 0, all_remove = f->nconds > 0;
                for (size_t i = 0; i < f->nconds; i++) {
                    const cond *x = &f->conds[i];
                    bool s = x->k == C_STRING;
                    all_insert = all_insert && s && x->texts[0].len == 6 &&
                                 memcmp(x->texts[0].s, "INSERT", 6) == 0;
                    all_remove = all_remove && s && x->texts[0].len == 6 &&
                                 memcmp(x->texts[0].s, "REMOVE", 6) == 0;
                }
                insert_only = all_insert;
                remove_only = all_remove;
            } else if (f->plen > 9 && memcmp(f->path, ddb, 9) == 0 && !f->absent_ok) {
                old_img = old_img || strncmp(f->path + 9, "OldImage", 8) == 0;
                new_img = new_img || strncmp(f->path + 9, "NewImage", 8) == 0;
            }
        }
        if (insert_only && old_img)
            filter_notes_add(l->out, "dynamodb.OldImage",
                             "never matches: the pattern asks for INSERT records, and an INSERT "
                             "record has no OldImage (the item is new); use NewImage");
        if (remove_only && new_img)
            filter_notes_add(l->out, "dynamodb.NewImage",
                             "never matches: the pattern asks for REMOVE records, and a REMOVE "
                             "record has no NewImage (the item is gone); use OldImage");
    }
}

void filter_pattern_notes(const filter_pattern *p, const char *view_type, filter_notes *out)
{
    for (size_t i = 0; i < p->notes.n; i++)
        filter_notes_add(out, p->notes.items[i].path, "%s", p->notes.items[i].text);
    lint l = {p, view_type && *view_type ? view_type : NULL, out};
    lint_top(&l, p->root, "");
    lint_events(&l);
}

char *filter_pattern_lint(const filter_pattern *p)
{
    filter_notes notes = {0};
    filter_pattern_notes(p, NULL, &notes);
    char *text = filter_notes_text(&notes);
    filter_notes_free(&notes);
    return text;
}
