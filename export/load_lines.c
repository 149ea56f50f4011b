/* The line index: libyaml's events walked with a stack of the open
 * mappings and sequences, recording where each key and each list item
 * starts, so that a problem found in the parsed tree can name its line. */
#include "export/load_int.h"

#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "export/yaml_read.h"
#include "model/util.h"

/* One open mapping or sequence. */
typedef struct frame {
    char *path;
    bool is_map;
    bool want_key; /* mappings: the next scalar is a key */
    char *key;     /* mappings: the key whose value comes next */
    size_t index;  /* sequences: the next item's index */
} frame;

/* The walk's state. */
typedef struct walker {
    line_index *li;
    frame stack[EXPORT_YAML_MAX_DEPTH + 1];
    int depth;
} walker;

/* Record that PATH starts at LINE (0-based from libyaml). */
static void add_line(line_index *li, const char *path, size_t line)
{
    if (li->n == li->cap) {
        li->cap = li->cap ? li->cap * 2 : 64;
        li->items = xrealloc(li->items, li->cap * sizeof *li->items);
    }
    li->items[li->n++] = (line_entry){xstrdup(path), line + 1};
}

/* A key scalar of the innermost mapping: record it, wait for its value. */
static void take_key(walker *w, const yaml_event_t *ev)
{
    frame *f = &w->stack[w->depth - 1];
    free(f->key);
    f->key = xstrdup(ev->type == YAML_SCALAR_EVENT ? (const char *)ev->data.scalar.value : "?");
    char *path = load_path_join(f->path, f->key);
    add_line(w->li, path, ev->start_mark.line);
    free(path);
    f->want_key = false;
}

/* The path of the node that event EV starts (not a key). Caller frees. */
static char *node_path(walker *w, const yaml_event_t *ev)
{
    if (w->depth == 0) {
        add_line(w->li, "", ev->start_mark.line);
        return xstrdup("");
    }
    frame *f = &w->stack[w->depth - 1];
    if (f->is_map) {
        f->want_key = true;
        return load_path_join(f->path, f->key ? f->key : "?");
    }
    char *path = load_path_index(f->path, f->index++);
    add_line(w->li, path, ev->start_mark.line);
    return path;
}

/* Open a mapping or sequence at PATH (taken); false when too deep. */
static bool push(walker *w, char *path, bool is_map)
{
    if (w->depth > EXPORT_YAML_MAX_DEPTH) {
        free(path);
        return false;
    }
    w->stack[w->depth++] = (frame){path, is_map, true, NULL, 0};
    return true;
}

/* Close the innermost mapping or sequence. */
static void pop(walker *w)
{
    if (w->depth == 0)
        return;
    frame *f = &w->stack[--w->depth];
    free(f->path);
    free(f->key);
}

/* One event; false to stop (end of stream, or nesting too deep). */
static bool walk_event(walker *w, const yaml_event_t *ev)
{
    bool start = ev->type == YAML_MAPPING_START_EVENT || ev->type == YAML_SEQUENCE_START_EVENT;
    bool node = start || ev->type == YAML_SCALAR_EVENT || ev->type == YAML_ALIAS_EVENT;
    if (ev->type == YAML_MAPPING_END_EVENT || ev->type == YAML_SEQUENCE_END_EVENT)
        pop(w);
    if (!node)
        return ev->type != YAML_STREAM_END_EVENT;
    if (w->depth > 0 && w->stack[w->depth - 1].is_map && w->stack[w->depth - 1].want_key) {
        take_key(w, ev);
        return !start; /* a mapping or list as a key: the index stops here */
    }
    char *path = node_path(w, ev);
    if (start)
        return push(w, path, ev->type == YAML_MAPPING_START_EVENT);
    free(path);
    return true;
}

/* Index the lines of TEXT, as far as libyaml reads it. */
void load_lines_build(line_index *li, const char *text, size_t len)
{
    memset(li, 0, sizeof *li);
    yaml_parser_t p;
    if (len > EXPORT_YAML_MAX_BYTES || !yaml_parser_initialize(&p))
        return;
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    walker w = {.li = li};
    bool more = true;
    while (more) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev))
            break;
        more = walk_event(&w, &ev);
        yaml_event_delete(&ev);
    }
    while (w.depth > 0)
        pop(&w);
    yaml_parser_delete(&p);
}

/* PATH without its last part ("a.b[2]" -> "a.b", "a.b" -> "a"), in place;
 * false when nothing is left to remove. */
static bool parent_path(char *path)
{
    size_t n = strlen(path);
    if (n == 0)
        return false;
    char *cut = path + n;
    while (cut > path && cut[-1] != '.' && cut[-1] != '[')
        cut--;
    if (cut > path && cut[-1] == '[')
        cut--;
    else if (cut > path)
        cut--; /* the '.' */
    *cut = '\0';
    return true;
}

/* The line where PATH, or its nearest indexed ancestor, starts. */
size_t load_lines_find(const line_index *li, const char *path)
{
    char *p = xstrdup(path);
    size_t line = 0;
    do {
        for (size_t i = 0; i < li->n && !line; i++)
            if (strcmp(li->items[i].path, p) == 0)
                line = li->items[i].line;
    } while (!line && parent_path(p));
    free(p);
    return line;
}

/* Free the index; LI is empty afterwards. */
void load_lines_free(line_index *li)
{
    for (size_t i = 0; i < li->n; i++)
        free(li->items[i].path);
    free(li->items);
    memset(li, 0, sizeof *li);
}
