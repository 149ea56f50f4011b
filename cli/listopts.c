/* The option table as JSON: every row's flag, names (CDK, snake_case, API,
 * CloudFormation), type, unit, limits, special value, default, help, long
 * help, choices and list sizes; then the program flags and the formats. */
#include "cli/listopts.h"

#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "cli/args.h"
#include "export/export.h"
#include "model/options.h"
#include "model/preset.h"
#include "tui/tui.h"
#include "model/util.h"

/* Each type's name in the document, in opt_type order. */
static const char *const type_names[] = {
    [OPT_T_STREAM] = "stream",
    [OPT_T_FUNCTION] = "function",
    [OPT_T_ENUM] = "enum",
    [OPT_T_INT] = "int",
    [OPT_T_BOOL] = "bool",
    [OPT_T_DURATION] = "duration",
    [OPT_T_DESTINATION] = "destination",
    [OPT_T_KMS_KEY] = "kms-key",
    [OPT_T_FLAG_LIST] = "flag-list",
    [OPT_T_ENUM_LIST] = "enum-list",
    [OPT_T_PATTERNS] = "patterns",
    [OPT_T_TAGS] = "tags",
};

/* S as a JSON string, or null when S is NULL or empty. */
static cJSON *text_or_null(const char *s)
{
    return s && *s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* {"cdk", "snake", "api", "cfn", "api_read"}: the row's names. */
static cJSON *names_of(const opt_def *d)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "cdk", text_or_null(d->cdk));
    cJSON_AddItemToObject(o, "snake", text_or_null(d->cdk_snake));
    cJSON_AddItemToObject(o, "api", text_or_null(d->api));
    cJSON_AddItemToObject(o, "cfn", text_or_null(d->cfn));
    cJSON_AddItemToObject(o, "terraform", text_or_null(d->tf));
    cJSON_AddItemToObject(o, "sam", text_or_null(d->sam));
    cJSON_AddItemToObject(o, "cdk_enum", text_or_null(d->cdk_enum));
    cJSON_AddItemToObject(o, "api_read", text_or_null(d->api_read));
    return o;
}

/* The row's limits: a number's range, or a string's or tag's lengths. */
static cJSON *limits_of(const opt_def *d)
{
    cJSON *o = cJSON_CreateObject();
    if (d->type == OPT_T_INT || d->type == OPT_T_DURATION) {
        cJSON_AddNumberToObject(o, "min", (double)d->min);
        cJSON_AddNumberToObject(o, "max", (double)d->max);
    } else if (d->max > 0) {
        cJSON_AddNumberToObject(o, d->type == OPT_T_TAGS ? "min_key_length" : "min_length",
                                (double)d->min);
        cJSON_AddNumberToObject(o, d->type == OPT_T_TAGS ? "max_key_length" : "max_length",
                                (double)d->max);
    }
    if (d->max_value > 0)
        cJSON_AddNumberToObject(o, "max_value_length", (double)d->max_value);
    if (d->max_items > 0)
        cJSON_AddNumberToObject(o, "max_items", (double)d->max_items);
    if (d->quota_items > 0) {
        cJSON_AddNumberToObject(o, "quota_items", (double)d->quota_items);
        cJSON_AddStringToObject(o, "quota_name", d->quota_name);
    }
    return o;
}

/* {"value": -1, "name": "infinite"}, or null. */
static cJSON *special_of(const opt_def *d)
{
    if (!d->has_special)
        return cJSON_CreateNull();
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "value", (double)d->special);
    cJSON_AddStringToObject(o, "name", d->special_name);
    return o;
}

/* {"value": 100, "text": "100"}: the AWS default (value null unless numeric). */
static cJSON *default_of(const opt_def *d)
{
    cJSON *o = cJSON_CreateObject();
    if (d->type == OPT_T_BOOL || d->type == OPT_T_FLAG_LIST)
        cJSON_AddBoolToObject(o, "value", d->default_num != 0);
    else if (opt_is_numeric(d))
        cJSON_AddNumberToObject(o, "value", (double)d->default_num);
    else
        cJSON_AddNullToObject(o, "value");
    cJSON_AddStringToObject(o, "text", d->default_text);
    return o;
}

/* A NULL-terminated list of strings as a JSON list, or null. */
static cJSON *string_list(const char *const *items)
{
    if (!items)
        return cJSON_CreateNull();
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; items[i]; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(items[i]));
    return a;
}

/* What an update request writes to remove the option (clear_json, or the
 * AWS default of a number or boolean); null when it cannot be removed. */
static cJSON *clear_of(const opt_def *d)
{
    if (d->clear_json)
        return cJSON_Parse(d->clear_json);
    if (d->update_note || d->required || !opt_is_numeric(d))
        return cJSON_CreateNull();
    cJSON *def = default_of(d);
    cJSON *v = cJSON_DetachItemFromObject(def, "value");
    cJSON_Delete(def);
    return v;
}

/* {"immutable", "update_note", "clear"}: how the update request treats it. */
static cJSON *update_of(const opt_def *d)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "immutable", d->immutable);
    cJSON_AddBoolToObject(o, "in_request", d->update_note == NULL);
    cJSON_AddItemToObject(o, "note", text_or_null(d->update_note));
    cJSON_AddItemToObject(o, "clear", clear_of(d));
    return o;
}

/* One row of the table. */
static cJSON *option_json(const opt_def *d)
{
    cJSON *o = cJSON_CreateObject();
    char *flag = xasprintf("--%s", d->name);
    cJSON_AddStringToObject(o, "flag", flag);
    free(flag);
    cJSON_AddStringToObject(o, "name", d->name);
    cJSON_AddStringToObject(o, "label", d->label);
    cJSON_AddStringToObject(o, "group", d->group);
    cJSON_AddItemToObject(o, "names", names_of(d));
    cJSON_AddStringToObject(o, "type", type_names[d->type]);
    cJSON_AddStringToObject(o, "metavar", d->metavar);
    cJSON_AddStringToObject(o, "value", cli_opt_value_optional(d) ? "optional" : "required");
    cJSON_AddItemToObject(o, "unit", text_or_null(d->unit));
    cJSON_AddItemToObject(o, "limits", limits_of(d));
    cJSON_AddItemToObject(o, "special", special_of(d));
    cJSON_AddItemToObject(o, "default", default_of(d));
    char *allowed = opt_allowed_text(d);
    cJSON_AddStringToObject(o, "allowed", allowed);
    free(allowed);
    cJSON_AddBoolToObject(o, "required", d->required);
    cJSON_AddBoolToObject(o, "always_export", d->always_export);
    cJSON_AddBoolToObject(o, "repeatable", d->repeatable);
    cJSON_AddItemToObject(o, "choices", string_list(d->choices));
    cJSON_AddItemToObject(o, "update", update_of(d));
    cJSON_AddStringToObject(o, "help", d->help);
    cJSON_AddStringToObject(o, "long_help", d->long_help);
    return o;
}

/* One program flag. */
static cJSON *flag_json(const cli_flag *f)
{
    cJSON *o = cJSON_CreateObject();
    char *flag = xasprintf("--%s", f->name);
    cJSON_AddStringToObject(o, "flag", flag);
    free(flag);
    if (f->short_name) {
        char s[3] = {'-', f->short_name, '\0'};
        cJSON_AddStringToObject(o, "short", s);
    } else {
        cJSON_AddNullToObject(o, "short");
    }
    cJSON_AddItemToObject(o, "metavar", text_or_null(f->metavar));
    cJSON_AddBoolToObject(o, "repeatable", f->repeatable);
    cJSON_AddStringToObject(o, "help", f->help);
    return o;
}

/* The export formats: name, title, file name ending. */
static cJSON *formats_json(void)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < FMT_COUNT; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", export_format_name((export_format)i));
        cJSON_AddStringToObject(o, "title", export_format_title((export_format)i));
        cJSON_AddStringToObject(o, "extension", export_format_ext((export_format)i));
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

/* The presets: name, title, summary, each value with its reason, and the
 * option the person must pick. */
static cJSON *presets_json(void)
{
    cJSON *a = cJSON_CreateArray();
    size_t n = 0;
    const preset *p = preset_list(&n);
    for (size_t i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", p[i].name);
        cJSON_AddStringToObject(o, "title", p[i].title);
        cJSON_AddStringToObject(o, "summary", p[i].summary);
        cJSON *vals = cJSON_AddArrayToObject(o, "settings");
        for (size_t k = 0; k < p[i].n_settings; k++) {
            cJSON *s = cJSON_CreateObject();
            cJSON_AddStringToObject(s, "option", opt_get(p[i].settings[k].opt)->name);
            cJSON_AddStringToObject(s, "value", p[i].settings[k].value);
            cJSON_AddStringToObject(s, "why", p[i].settings[k].why);
            cJSON_AddItemToArray(vals, s);
        }
        if (p[i].must_pick < OPT_COUNT) {
            cJSON *pick = cJSON_AddObjectToObject(o, "must_pick");
            cJSON_AddStringToObject(pick, "option", opt_get(p[i].must_pick)->name);
            cJSON_AddStringToObject(pick, "why", p[i].pick_why);
        } else {
            cJSON_AddNullToObject(o, "must_pick");
        }
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

/* One key of the screen as a member of the "keys" array ARG. */
static void key_json(void *arg, const char *section, const char *keys, const char *does)
{
    cJSON *k = cJSON_CreateObject();
    cJSON_AddStringToObject(k, "section", section);
    cJSON_AddStringToObject(k, "keys", keys);
    cJSON_AddStringToObject(k, "does", does);
    cJSON_AddItemToArray(arg, k);
}

/* The whole document. */
static cJSON *document(void)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "program", "esmcfg");
    cJSON_AddStringToObject(root, "version", ESMCFG_VERSION);
    cJSON *opts = cJSON_AddArrayToObject(root, "options");
    for (size_t i = 0; i < OPT_COUNT; i++)
        cJSON_AddItemToArray(opts, option_json(&opt_table()[i]));
    cJSON *flags = cJSON_AddArrayToObject(root, "flags");
    for (size_t i = 0; i < CLI_F_COUNT; i++)
        cJSON_AddItemToArray(flags, flag_json(&cli_flags()[i]));
    cJSON_AddItemToObject(root, "formats", formats_json());
    cJSON_AddItemToObject(root, "presets", presets_json());
    tui_keys_each(key_json, cJSON_AddArrayToObject(root, "keys"));
    return root;
}

/* Print the document (cJSON's formatting: a tab per level). */
int cli_list_options(FILE *out)
{
    cJSON *root = document();
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    int ok = text && fputs(text, out) >= 0 && fputc('\n', out) != EOF && fflush(out) == 0;
    free(text);
    if (ok)
        return CLI_EXIT_OK;
    perror("esmcfg: stdout");
    return CLI_EXIT_IO;
}
