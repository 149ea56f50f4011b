/* --check: every mapping of a document read as load_mapping reads one,
 * then validated with each problem at the property it concerns, and a
 * template's IAM policy compared with the statements esmcfg would write. */
#include "export/load_int.h"

#include <stdlib.h>
#include <string.h>

#include "export/render.h"
#include "model/util.h"

/* Template and policy structure (not options: those come from the table). */
#define RESOURCES_KEY "Resources"
#define PROPERTIES_KEY "Properties"
#define POLICY_TYPE "AWS::IAM::Policy"
#define DOCUMENT_KEY "PolicyDocument"
#define STATEMENT_KEY "Statement"
#define ACTION_KEY "Action"
#define RESOURCE_KEY "Resource"
/* AWS CLI output: the mapping's ID, and list-event-source-mappings' list. */
#define UUID_KEY "UUID"
#define LIST_KEY "EventSourceMappings"
/* A role for working out the policy when the template's is a reference. */
#define PLACEHOLDER_ROLE "arn:aws:iam::000000000000:role/esmcfg-check"

/* Report M's validation problems at the property each concerns, leaving
 * out those about values already refused or unresolved references, and,
 * in an update request, the options it does not carry. */
static void report_validation(load_ctx *c, const mapping *m, const load_found *f, const char *path)
{
    diag_list l = {0};
    mapping_validate(m, &l);
    for (size_t i = 0; i < l.n; i++) {
        const diag *d = &l.items[i];
        const opt_def *def = opt_get(d->opt);
        bool other_failed = (unsigned)d->other < OPT_COUNT && f->failed[d->other];
        bool unset = !mapping_is_set(m, d->opt);
        if (f->failed[d->opt] || other_failed || (unset && f->ref[d->opt]) ||
            (unset && c->update && def->update_note))
            continue;
        char *at = load_path_join(path, load_row_path(c, def));
        if (d->item >= 0 && def->list_key) { /* the item's own line: ...Filters[1].Pattern */
            char *item = load_path_index(at, (size_t)d->item);
            free(at);
            at = load_path_join(item, def->list_key);
            free(item);
        }
        load_add(c, d->level, at, "%s", d->message);
        free(at);
    }
    diag_list_free(&l);
}

/* Check one mapping's properties PROPS at PATH (AWS output: with its UUID). */
static mapping *check_properties(load_ctx *c, const cJSON *props, const char *path,
                                 load_found *found)
{
    mapping *m = mapping_new();
    if (c->aws || c->update) {
        const cJSON *u = cJSON_GetObjectItemCaseSensitive(props, UUID_KEY);
        char *at = load_path_join(path, UUID_KEY);
        if (!cJSON_IsString(u) || !*u->valuestring)
            load_add(c, DIAG_ERROR, u ? at : path, u ? "is not a UUID string" : "has no UUID");
        free(at);
    }
    load_properties(c, props, path, m, found);
    report_validation(c, m, found, path);
    return m;
}

/* "dynamodb:GetRecords, dynamodb:GetShardIterator on ARN": a statement for messages. */
static char *statement_text(const cJSON *st)
{
    strbuf b = {0};
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(st, ACTION_KEY);
    const cJSON *one = cJSON_IsArray(a) ? a->child : a;
    for (; one; one = cJSON_IsArray(a) ? one->next : NULL)
        sb_addf(&b, "%s%s", b.len ? ", " : "", cJSON_IsString(one) ? one->valuestring : "?");
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(st, RESOURCE_KEY);
    char *ref = cJSON_IsString(r) || !r ? NULL : cJSON_PrintUnformatted(r);
    sb_addf(&b, " on %s", cJSON_IsString(r) ? r->valuestring : ref ? ref : "its resource");
    free(ref);
    return sb_take(&b);
}

/* Whether LIST has an item equal to ST. */
static bool has_equal(const cJSON *list, const cJSON *st)
{
    for (const cJSON *e = list ? list->child : NULL; e; e = e->next)
        if (cJSON_Compare(e, st, true))
            return true;
    return false;
}

/* The statements of POLICY, an IAM policy resource. */
static const cJSON *policy_statements(const cJSON *policy)
{
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(policy, PROPERTIES_KEY);
    const cJSON *doc = cJSON_GetObjectItemCaseSensitive(props, DOCUMENT_KEY);
    return cJSON_GetObjectItemCaseSensitive(doc, STATEMENT_KEY);
}

/* A template's policy for mapping M (resource RES): every statement esmcfg
 * would write must be there. */
static void check_policy(load_ctx *c, const cJSON *resources, const cJSON *res, const mapping *m)
{
    const char *policy_id = NULL;
    const cJSON *policy = load_policy_of(resources, res->string, res, &policy_id);
    if (!policy)
        return;
    mapping *want_m = mapping_clone(m);
    if (!want_m->function_role)
        mapping_set_role(want_m, PLACEHOLDER_ROLE);
    cJSON *want = export_cfn_tree(want_m);
    const cJSON *want_res = cJSON_GetObjectItemCaseSensitive(want, RESOURCES_KEY);
    const cJSON *want_policy = NULL;
    for (const cJSON *r = want_res ? want_res->child : NULL; r && !want_policy; r = r->next)
        if (load_resource_of_type(want_res, r->string, POLICY_TYPE))
            want_policy = r;
    const cJSON *have = policy_statements(policy);
    char *at = xasprintf("%s.%s.%s.%s.%s", RESOURCES_KEY, policy_id, PROPERTIES_KEY, DOCUMENT_KEY,
                         STATEMENT_KEY);
    const cJSON *need = policy_statements(want_policy);
    for (const cJSON *st = need ? need->child : NULL; st; st = st->next) {
        if (has_equal(have, st))
            continue;
        char *text = statement_text(st);
        load_add(c, DIAG_ERROR, at, "lacks a permission the mapping needs: Allow %s", text);
        free(text);
    }
    free(at);
    cJSON_Delete(want);
    mapping_free(want_m);
}

/* Whether any option of F is an unresolved reference. */
static bool any_ref(const load_found *f)
{
    for (int i = 0; i < OPT_COUNT; i++)
        if (f->ref[i])
            return true;
    return false;
}

/* Check one mapping resource of a template. */
static void check_resource(load_ctx *c, const cJSON *root, const cJSON *res)
{
    const cJSON *resources = cJSON_GetObjectItemCaseSensitive(root, RESOURCES_KEY);
    char *path = xasprintf("%s.%s", RESOURCES_KEY, res->string);
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(res, PROPERTIES_KEY);
    if (!props) {
        load_add(c, DIAG_ERROR, path, "has no Properties");
        free(path);
        return;
    }
    char *at = load_path_join(path, PROPERTIES_KEY);
    size_t before = load_report_count(c->r, DIAG_ERROR);
    load_found found;
    mapping *m = check_properties(c, props, at, &found);
    load_role(c, resources, res->string, res, m);
    if (load_report_count(c->r, DIAG_ERROR) == before && !any_ref(&found))
        check_policy(c, resources, res, m);
    mapping_free(m);
    free(at);
    free(path);
}

/* Check every mapping of ROOT, by its kind. */
static void check_document(load_ctx *c, const cJSON *root)
{
    load_found found;
    if (c->cfn) {
        size_t n = 0;
        const cJSON **items = load_template_mappings(c, root, &n);
        for (size_t i = 0; i < n; i++)
            check_resource(c, root, items[i]);
        free(items);
    } else if (c->kind == LOAD_AWS_LIST) {
        const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, LIST_KEY);
        if (!cJSON_IsArray(list) || !list->child)
            load_add(c, DIAG_ERROR, LIST_KEY,
                     cJSON_IsArray(list) ? "holds no mapping" : "is not a list");
        size_t i = 0;
        for (const cJSON *e = cJSON_IsArray(list) ? list->child : NULL; e; e = e->next, i++) {
            char *path = load_path_index(LIST_KEY, i);
            if (load_reads_stream(c, e))
                mapping_free(check_properties(c, e, path, &found));
            else
                load_add(c, DIAG_WARNING, path,
                         "does not read a DynamoDB stream: not checked (esmcfg configures "
                         "stream mappings only)");
            free(path);
        }
    } else {
        mapping_free(check_properties(c, root, "", &found));
    }
}

/* Sort R's items from FROM on by line, keeping the order within a line
 * (problems without a line first: they concern the whole document). */
static void sort_by_line(load_report *r, size_t from)
{
    for (size_t i = from + 1; i < r->n; i++) {
        load_problem p = r->items[i];
        size_t j = i;
        for (; j > from && r->items[j - 1].line > p.line; j--)
            r->items[j] = r->items[j - 1];
        r->items[j] = p;
    }
}

/* Check every mapping in TEXT (see load.h). */
size_t load_check(const char *text, size_t len, const load_options *o, load_kind *kind,
                  load_report *r)
{
    load_ctx c;
    load_ctx_init(&c, o, text, len, r);
    c.check = true;
    size_t before = load_report_count(r, DIAG_ERROR), first = r->n;
    bool yaml = false;
    cJSON *root = load_parse(&c, text, len, &yaml);
    if (root && load_detect(&c, root, yaml) == 0) {
        if (kind)
            *kind = c.kind;
        check_document(&c, root);
    }
    cJSON_Delete(root);
    load_lines_free(&c.lines);
    sort_by_line(r, first);
    return load_report_count(r, DIAG_ERROR) - before;
}
