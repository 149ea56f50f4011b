/* Building the mapping from the command line: inventories first, then each
 * option flag in order through the model's parsers. */
#include "cli/setup.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "export/template_inventory.h"
#include "model/pick.h"
#include "model/util.h"
#include "model/value.h"

/* CloudFormation: a logical ID is at most this many letters and digits. */
#define LOGICAL_ID_MAX 255

/* One inventory file of any kind: CLI_EXIT_IO when unreadable,
 * CLI_EXIT_INVALID when too large or not an inventory. */
static int load_one(inventory *inv, const char *path)
{
    char *err = NULL;
    int got = inventory_load_path(inv, path, &err);
    int rc = got == INV_LOAD_OK ? CLI_EXIT_OK : got == INV_LOAD_IO ? CLI_EXIT_IO : CLI_EXIT_INVALID;
    if (rc != CLI_EXIT_OK)
        fprintf(stderr, "esmcfg: --inventory: %s\n", err ? err : path);
    free(err);
    return rc;
}

/* Whether PATH and OTHER name the same file. */
static bool same_file(const char *path, const char *other)
{
    struct stat a, b;
    if (stat(path, &a) != 0 || stat(other, &b) != 0)
        return strcmp(path, other) == 0;
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* The inventory's source string for the file at PATH, or NULL. */
static const char *source_of(const inventory *inv, const char *path)
{
    for (size_t i = 0; path && i < inv->n_sources; i++)
        if (same_file(inv->sources[i], path))
            return inv->sources[i];
    return NULL;
}

/* --merge-into TEMPLATE: its resources can be picked by logical ID
 * without --inventory TEMPLATE. CLI_EXIT_IO when it cannot be read; a
 * template the inventory reader refuses can still take literal values, so
 * that is only a warning (the merge says what is wrong with it). */
static int load_merge_template(const cli_args *a, inventory *inv)
{
    if (!a->merge_into || source_of(inv, a->merge_into))
        return CLI_EXIT_OK;
    char *err = NULL;
    int got = inventory_load_path(inv, a->merge_into, &err);
    if (got == INV_LOAD_IO)
        fprintf(stderr, "esmcfg: --merge-into: %s\n", err ? err : a->merge_into);
    else if (got != INV_LOAD_OK)
        fprintf(stderr, "esmcfg: warning: --merge-into: its resources cannot be picked: %s\n",
                err ? err : a->merge_into);
    free(err);
    return got == INV_LOAD_IO ? CLI_EXIT_IO : CLI_EXIT_OK;
}

/* Load every --inventory file, reporting each one that fails, then the
 * --merge-into template's resources. */
int cli_load_inventories(const cli_args *a, inventory *inv)
{
    int rc = CLI_EXIT_OK;
    for (size_t i = 0; i < a->n_inventories; i++) {
        int one = load_one(inv, a->inventories[i]);
        if (one == CLI_EXIT_IO || (one != CLI_EXIT_OK && rc == CLI_EXIT_OK))
            rc = one;
    }
    return rc == CLI_EXIT_OK ? load_merge_template(a, inv) : rc;
}

/* "esmcfg: --batch-size: 10001 is out of range (1..10000, default 100)". */
static void print_value_error(const opt_def *d, const mapping *m, const char *err)
{
    if (d->item_name)
        fprintf(stderr, "esmcfg: --%s %zu: %s\n", d->name, mapping_get(m, d->id)->n_items + 1,
                err ? err : "invalid value");
    else
        fprintf(stderr, "esmcfg: --%s: %s\n", d->name, err ? err : "invalid value");
}

/* Where picked items may come from: the inventory, and with --merge-into
 * the template merged into (its source string in the inventory, when it
 * was loaded as one). */
typedef struct pick_ctx {
    const inventory *inv;
    const char *merge_into; /* --merge-into TEMPLATE, or NULL */
    const char *merge_src;  /* the inventory's source string for TEMPLATE, or NULL */
} pick_ctx;

/* Whether IT is referred to by its template logical ID: it comes from a
 * template, and with --merge-into from the template merged into (a
 * reference to another template's resource would not resolve there). */
static bool use_ref(const pick_ctx *c, const inv_item *it)
{
    if (!it->logical_id || !*it->logical_id)
        return false;
    return !c->merge_into || (c->merge_src && it->source && strcmp(it->source, c->merge_src) == 0);
}

/* The table option: a stream ARN as it is; a table name, table ARN or
 * template logical ID through the inventory. */
static int set_stream(mapping *m, const opt_def *d, const char *text, const pick_ctx *c, char **err)
{
    const inv_item *it = mapping_pick_find(c->inv, INV_TABLE, text, c->merge_src);
    arn_parts p;
    char *arn_err = NULL;
    bool is_arn = arn_parse(text, &p, &arn_err) == 0;
    if (is_arn && p.kind == ARN_DYNAMODB_STREAM) {
        if (mapping_pick_text(m, d->id, text, err) != 0)
            return -1;
        if (it && it->name) {
            free(m->table_name);
            m->table_name = xstrdup(it->name);
        }
        if (it && it->stream_view_type) {
            free(m->stream_view_type);
            m->stream_view_type = xstrdup(it->stream_view_type);
        }
        return 0;
    }
    if (it) {
        free(arn_err);
        return mapping_pick_table(m, it, use_ref(c, it), err);
    }
    if (!is_arn && strncmp(text, "arn:", 4) == 0) {
        *err = arn_err; /* a malformed ARN: say what is wrong with it */
        return -1;
    }
    free(arn_err);
    char *shown = str_escape_display(text);
    *err = xasprintf("%s: not a stream ARN and not in the inventory (give the stream ARN, or "
                     "--inventory FILE)",
                     shown);
    free(shown);
    return -1;
}

/* A function or on-failure destination that TEXT names in a template the
 * inventory holds, or NULL (then TEXT is taken as typed). */
static const inv_item *template_item(const pick_ctx *c, const opt_def *d, const char *text)
{
    static const inv_kind destinations[] = {INV_QUEUE, INV_TOPIC, INV_BUCKET};
    const inv_kind *kinds = destinations;
    size_t n = sizeof destinations / sizeof destinations[0];
    static const inv_kind function[] = {INV_FUNCTION};
    if (d->type == OPT_T_FUNCTION)
        kinds = function, n = 1;
    else if (d->type != OPT_T_DESTINATION)
        return NULL;
    for (size_t k = 0; k < n; k++) {
        const inv_item *it = mapping_pick_find(c->inv, kinds[k], text, c->merge_src);
        if (it && it->logical_id && *it->logical_id)
            return it;
    }
    return NULL;
}

/* One value TEXT for option D, picked from the inventory when it names an
 * item there (a table, or a function or destination of a template). */
static int pick_or_set(mapping *m, const opt_def *d, const char *text, const pick_ctx *c,
                       char **err)
{
    if (d->type == OPT_T_STREAM)
        return set_stream(m, d, text, c, err);
    const inv_item *it = template_item(c, d, text);
    if (it && d->type == OPT_T_FUNCTION)
        return mapping_pick_function(m, it, use_ref(c, it), err);
    if (it)
        return mapping_pick_destination(m, it, use_ref(c, it), err);
    return mapping_pick_text(m, d->id, text, err);
}

/* One option flag's value; a list flag that is not repeatable replaces its
 * list, and an empty value adds no item. */
static int set_value(mapping *m, const cli_value *v, const pick_ctx *c)
{
    const opt_def *d = v->def;
    char *err = NULL;
    if (opt_is_list(d) && !d->repeatable)
        mapping_unset(m, d->id);
    if (opt_is_list(d) && *v->text == '\0')
        return 0; /* "--metrics ''": no items */
    int rc = pick_or_set(m, d, v->text, c, &err);
    if (rc != 0)
        print_value_error(d, m, err);
    free(err);
    return rc;
}

/* The inventory's function for TEXT: by name or ARN, else by the name part
 * of a qualified name or ARN (in the same account and region when known). */
static const inv_item *find_function(const inventory *inv, const char *text)
{
    const inv_item *it = inventory_find(inv, INV_FUNCTION, text);
    if (it)
        return it;
    arn_parts p;
    char *err = NULL;
    if (value_parse_function(text, &p, &err) != 0) {
        free(err);
        return NULL;
    }
    it = inventory_find(inv, INV_FUNCTION, p.name);
    if (it && *p.account && it->account && strcmp(p.account, it->account) != 0)
        return NULL;
    if (it && *p.region && it->region && strcmp(p.region, it->region) != 0)
        return NULL;
    return it;
}

/* --function-role ARN: must be an IAM role ARN. */
static int set_role_flag(mapping *m, const char *text)
{
    arn_parts p;
    char *err = NULL;
    if (arn_parse(text, &p, &err) == 0 && p.kind == ARN_IAM_ROLE) {
        mapping_pick_role(m, text);
        return 0;
    }
    if (!err) {
        char *shown = str_escape_display(text);
        err = xasprintf("%s is %s %s ARN, not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)",
                        shown, arn_kind_article(p.kind), arn_kind_name(p.kind));
        free(shown);
    }
    fprintf(stderr, "esmcfg: --function-role: %s\n", err);
    free(err);
    return -1;
}

/* The execution role: --function-role, else the inventory's for the function. */
static int set_role(mapping *m, const cli_args *a, const inventory *inv, const char *function)
{
    if (a->function_role)
        return set_role_flag(m, a->function_role);
    const inv_item *it = function ? find_function(inv, function) : NULL;
    if (it && it->role_arn && *it->role_arn)
        mapping_set_role(m, it->role_arn);
    return 0;
}

/* --logical-id ID: CloudFormation takes 1..255 ASCII letters and digits. */
static int set_logical_id(mapping *m, const char *id)
{
    size_t n = strlen(id);
    bool ok = n > 0 && n <= LOGICAL_ID_MAX;
    for (size_t i = 0; ok && i < n; i++)
        ok = isascii((unsigned char)id[i]) && isalnum((unsigned char)id[i]);
    if (ok) {
        mapping_set_logical_id(m, id);
        return 0;
    }
    char *shown = str_escape_display(id);
    fprintf(stderr, "esmcfg: --logical-id: %s is not a logical ID (1..%d letters and digits)\n",
            shown, LOGICAL_ID_MAX);
    free(shown);
    return -1;
}

/* Set every option flag, then the role and the logical ID. */
int cli_fill_mapping(const cli_args *a, const inventory *inv, mapping *m, cli_failures *fail)
{
    memset(fail, 0, sizeof *fail);
    pick_ctx c = {inv, a->merge_into, source_of(inv, a->merge_into)};
    const char *function = NULL;
    for (size_t i = 0; i < a->n_values; i++) {
        const cli_value *v = &a->values[i];
        if (set_value(m, v, &c) != 0)
            fail->opt[v->def->id] = fail->any = true;
        else if (v->def->type == OPT_T_FUNCTION)
            function = v->text;
    }
    if (set_role(m, a, inv, function) != 0)
        fail->any = true;
    if (a->logical_id && set_logical_id(m, a->logical_id) != 0)
        fail->any = true;
    return fail->any ? CLI_EXIT_INVALID : CLI_EXIT_OK;
}

/* Whether diagnostic D is about an option whose value already failed. */
static bool about_failed(const diag *d, const cli_failures *fail)
{
    if ((unsigned)d->opt < OPT_COUNT && fail->opt[d->opt])
        return true;
    return (unsigned)d->other < OPT_COUNT && fail->opt[d->other];
}

/* Print the diagnostics of LEVEL; returns how many. */
static size_t print_diags(const diag_list *l, diag_level level, const cli_failures *fail)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++) {
        const diag *d = &l->items[i];
        if (d->level != level || about_failed(d, fail))
            continue;
        char *text = diag_format(d);
        fprintf(stderr, "esmcfg: %s%s\n", level == DIAG_WARNING ? "warning: " : "", text);
        free(text);
        n++;
    }
    return n;
}

/* Errors; warnings only when there is no error (then they are noise). */
size_t cli_report_validation(const mapping *m, const cli_failures *fail)
{
    diag_list l = {0};
    mapping_validate(m, &l);
    size_t errors = print_diags(&l, DIAG_ERROR, fail);
    if (errors == 0 && !fail->any)
        print_diags(&l, DIAG_WARNING, fail);
    diag_list_free(&l);
    return errors;
}
