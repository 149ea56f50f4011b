/* Building the mapping from the command line: inventories first, then each
 * option flag in order through the model's parsers. */
#include "cli/setup.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/util.h"
#include "model/value.h"

/* The largest inventory file read. */
#define INVENTORY_MAX_BYTES (256u * 1024 * 1024)
/* CloudFormation: a logical ID is at most this many letters and digits. */
#define LOGICAL_ID_MAX 255

/* One inventory file: CLI_EXIT_IO when unreadable, CLI_EXIT_INVALID when not an inventory. */
static int load_one(inventory *inv, const char *path)
{
    char *err = NULL;
    size_t len = 0;
    char *text = file_read_all(path, INVENTORY_MAX_BYTES, &len, &err);
    int rc = CLI_EXIT_OK;
    if (!text)
        rc = CLI_EXIT_IO;
    else if (inventory_load_text(inv, text, len, path, &err) != 0)
        rc = CLI_EXIT_INVALID;
    if (rc != CLI_EXIT_OK)
        fprintf(stderr, "esmcfg: --inventory: %s\n", err ? err : path);
    free(err);
    free(text);
    return rc;
}

/* Load every --inventory file, reporting each one that fails. */
int cli_load_inventories(const cli_args *a, inventory *inv)
{
    int rc = CLI_EXIT_OK;
    for (size_t i = 0; i < a->n_inventories; i++) {
        int one = load_one(inv, a->inventories[i]);
        if (one == CLI_EXIT_IO || (one != CLI_EXIT_OK && rc == CLI_EXIT_OK))
            rc = one;
    }
    return rc;
}

/* "esmcfg: --batch-size: 10001 is out of range (1..10000, default 100)". */
static void print_value_error(const opt_def *d, const char *err)
{
    fprintf(stderr, "esmcfg: --%s: %s\n", d->name, err ? err : "invalid value");
}

/* Remember the table's name, for the logical ID and the screen's title. */
static void set_table_name(mapping *m, const char *name)
{
    free(m->table_name);
    m->table_name = xstrdup(name);
}

/* A table from the inventory: its stream, or why there is none. */
static int set_stream_of(mapping *m, const opt_def *d, const inv_item *it, char **err)
{
    if (!it->stream_enabled || !it->stream_arn || !*it->stream_arn) {
        char *name = str_escape_display(it->name);
        char *region = it->region ? str_escape_display(it->region) : NULL;
        *err = xasprintf("%s: the table has no stream; enable one with: aws dynamodb "
                         "update-table --table-name %s%s%s --stream-specification "
                         "StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES",
                         name, name, region ? " --region " : "", region ? region : "");
        free(region);
        free(name);
        return -1;
    }
    if (mapping_set(m, d->id, it->stream_arn, err) != 0)
        return -1;
    set_table_name(m, it->name);
    return 0;
}

/* The table option: a stream ARN as it is; a table name or table ARN
 * through the inventory. */
static int set_stream(mapping *m, const opt_def *d, const char *text, const inventory *inv,
                      char **err)
{
    const inv_item *it = inventory_find(inv, INV_TABLE, text);
    arn_parts p;
    char *arn_err = NULL;
    bool is_arn = arn_parse(text, &p, &arn_err) == 0;
    if (is_arn && p.kind == ARN_DYNAMODB_STREAM) {
        if (mapping_set(m, d->id, text, err) != 0)
            return -1;
        set_table_name(m, it ? it->name : p.name);
        return 0;
    }
    if (it) {
        free(arn_err);
        return set_stream_of(m, d, it, err);
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

/* One option flag's value; a list flag that is not repeatable replaces its
 * list, and an empty value adds no item. */
static int set_value(mapping *m, const cli_value *v, const inventory *inv)
{
    const opt_def *d = v->def;
    char *err = NULL;
    int rc;
    if (opt_is_list(d) && !d->repeatable)
        mapping_unset(m, d->id);
    if (opt_is_list(d) && *v->text == '\0')
        return 0; /* "--metrics ''": no items */
    if (d->type == OPT_T_STREAM)
        rc = set_stream(m, d, v->text, inv, &err);
    else
        rc = mapping_set(m, d->id, v->text, &err);
    if (rc != 0)
        print_value_error(d, err);
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
        mapping_set_role(m, text);
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
    const char *function = NULL;
    for (size_t i = 0; i < a->n_values; i++) {
        const cli_value *v = &a->values[i];
        if (set_value(m, v, inv) != 0)
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
