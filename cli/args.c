/* Command-line parsing. Every option flag comes from a row of the option
 * table (name, metavar, type, repeatable); only esmcfg's own program flags
 * are listed here. */
#include "cli/args.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/preset.h"
#include "model/util.h"

/* getopt_long val ranges: program flags without a short letter, option rows. */
enum { VAL_FLAG = 0x100, VAL_OPT = 0x200 };

static const cli_flag flags[CLI_F_COUNT] = {
    {CLI_F_BATCH, "batch", 0, NULL, false, "no screen: validate, export and exit (for scripts)"},
    {CLI_F_LOAD, "load", 0, "FILE", false,
     "start from an earlier export (json, cfn-json, cfn-yaml) or from aws lambda "
     "get-event-source-mapping or list-event-source-mappings output (\"-\": stdin); flags "
     "override its values"},
    {CLI_F_RESTORE, "restore", 0, NULL, false,
     "start from the draft an interrupted session left (without asking, as scripts need); "
     "flags override its values; with --batch a successful export removes the draft"},
    {CLI_F_UUID, "uuid", 0, "UUID", false,
     "the mapping to --load from list-event-source-mappings output (needed when it holds "
     "several DynamoDB stream mappings)"},
    {CLI_F_UNSET, "unset", 0, "OPTION", true,
     "put OPTION back to AWS's default after --load (update-json then writes the value that "
     "clears it)"},
    {CLI_F_CHECK, "check", 0, "FILE", false,
     "validate FILE (\"-\": stdin) as esmcfg would export it (any --format, or AWS CLI "
     "output), naming where each problem is; exit 0 or 3"},
    {CLI_F_FORMAT, "format", 0, "FORMAT", false, "export format"},
    {CLI_F_OUTPUT, "output", 'o', "FILE", false,
     "write the export to FILE, atomically (\"-\": stdout; default: stdout with --batch, "
     "asked on screen)"},
    {CLI_F_OUTPUT_FD, "output-fd", 0, "N", false,
     "write the export to file descriptor N, which must be open for writing (as dialog does: "
     "3>FILE or 3>&1)"},
    {CLI_F_MERGE_INTO, "merge-into", 0, "TEMPLATE", false,
     "write TEMPLATE (CloudFormation or SAM, JSON or YAML) with the mapping and its policy added "
     "at the end of Resources and everything else kept as it was, in the template's format, to "
     "-o FILE or stdout (TEMPLATE itself changes only when -o names it); --table, --function "
     "and --on-failure may name its resources by logical ID"},
    {CLI_F_LOGICAL_ID, "logical-id", 0, "ID", false,
     "CloudFormation logical ID of the mapping (default: from the table and function names)"},
    {CLI_F_FUNCTION_ROLE, "function-role", 0, "ROLE_ARN", false,
     "the function's execution role: templates add an IAM policy with the permissions the "
     "mapping needs (default: the role the inventory knows for --function)"},
    {CLI_F_INVENTORY, "inventory", 0, "FILE", true,
     "tables, functions and destinations to pick from; resolves --table NAME to its stream"},
    {CLI_F_DISCOVER, "discover", 0, NULL, false,
     "list the account's tables (with their streams), functions, queues and topics with the "
     "AWS CLI (aws on PATH, its usual credentials) and add them to the inventory; with "
     "--batch or --save-inventory a failed call is exit 4, on screen names can still be typed"},
    {CLI_F_PROFILE, "profile", 0, "NAME", false,
     "the AWS CLI profile for --discover and --apply (default: the CLI's own choice: "
     "AWS_PROFILE, else its "
     "default profile)"},
    {CLI_F_REGION, "region", 0, "NAME", false,
     "the AWS region for --discover and --apply (default: the CLI's own choice: AWS_REGION, "
     "else the profile's region)"},
    {CLI_F_SAVE_INVENTORY, "save-inventory", 0, "FILE", false,
     "write the inventory (--inventory files and --discover results) to FILE as esmcfg's "
     "inventory document, atomically; without --batch, esmcfg then exits instead of opening "
     "the screen"},
    {CLI_F_PRESET, "preset", 0, "NAME", false,
     "start from a preset's values, which option flags override: safe (see Presets below)"},
    {CLI_F_TEST_FILTER, "test-filter", 0, "FILE", false,
     "test the filters (--filter, or those of --load FILE) on the DynamoDB stream records in "
     "FILE of any size (a record, a list, a Lambda event {\"Records\": [...]}, or one record "
     "per line; \"-\": stdin) by Lambda's filtering rules; up to 5 records: each in full, "
     "more: a summary (read, sent, dropped, per filter) and the first dropped ones; exit 0 when "
     "a record would reach the function, 1 when none would, 3 when a filter or a record is "
     "invalid"},
    {CLI_F_EXPLAIN, "explain", 0, NULL, false,
     "with --test-filter: every record in full, with why each filter does not match"},
    {CLI_F_APPLY, "apply", 0, NULL, false,
     "create the mapping with the AWS CLI (aws lambda create-event-source-mapping) after "
     "showing the plan on stderr and asking on the terminal (--batch: without asking); when a "
     "mapping of the same stream and function exists, update it instead (asked; --batch only "
     "with --update-existing); aws's answer goes to stdout as it is; declined: exit 1, a failed "
     "aws call: exit 4"},
    {CLI_F_UPDATE_EXISTING, "update-existing", 0, NULL, false,
     "with --apply --batch: update the existing mapping of the same stream and function "
     "instead of refusing (exit 3) to create a second one"},
    {CLI_F_FOCUS, "focus", 0, "OPTION", false, "open the screen on this option's field"},
    {CLI_F_NO_COLOR, "no-color", 0, NULL, false,
     "monochrome screen (so does the NO_COLOR environment variable)"},
    {CLI_F_LIST_OPTIONS, "list-options", 0, NULL, false,
     "print the option table as JSON (flags, names, types, limits, defaults, help) and exit"},
    {CLI_F_HELP, "help", 'h', NULL, false, "show this help and exit"},
    {CLI_F_VERSION, "version", 'V', NULL, false, "show the version and exit"},
};

/* The program flags, in cli_flag_id order. */
const cli_flag *cli_flags(void)
{
    return flags;
}

/* Booleans (and booleans exported as a list) take an optional value. */
bool cli_opt_value_optional(const opt_def *d)
{
    return d->type == OPT_T_BOOL || d->type == OPT_T_FLAG_LIST;
}

/* getopt_long's array: one entry per table row, then the program flags. */
static struct option *build_longopts(void)
{
    struct option *lo = xcalloc(OPT_COUNT + CLI_F_COUNT + 1, sizeof *lo);
    const opt_def *t = opt_table();
    size_t n = 0;
    for (size_t i = 0; i < OPT_COUNT; i++) {
        int has_arg = cli_opt_value_optional(&t[i]) ? optional_argument : required_argument;
        lo[n++] = (struct option){t[i].name, has_arg, NULL, VAL_OPT + (int)i};
    }
    for (size_t i = 0; i < CLI_F_COUNT; i++) {
        int has_arg = flags[i].metavar ? required_argument : no_argument;
        int val = flags[i].short_name ? flags[i].short_name : VAL_FLAG + (int)i;
        lo[n++] = (struct option){flags[i].name, has_arg, NULL, val};
    }
    return lo;
}

/* "+:o:hV": stop at the first non-option, report a missing value as ':'. */
static char *build_shortopts(void)
{
    strbuf b = {0};
    sb_add(&b, "+:");
    for (size_t i = 0; i < CLI_F_COUNT; i++) {
        if (!flags[i].short_name)
            continue;
        sb_addf(&b, "%c%s", flags[i].short_name, flags[i].metavar ? ":" : "");
    }
    return sb_take(&b);
}

/* The program flag with getopt value VAL, or NULL. */
static const cli_flag *flag_by_val(int val)
{
    for (size_t i = 0; i < CLI_F_COUNT; i++) {
        int v = flags[i].short_name ? flags[i].short_name : VAL_FLAG + (int)i;
        if (v == val)
            return &flags[i];
    }
    return NULL;
}

/* The flag name ("batch-size", "output") for getopt value VAL, or NULL. */
static const char *name_by_val(int val)
{
    if (val >= VAL_OPT && val < VAL_OPT + OPT_COUNT)
        return opt_get((opt_id)(val - VAL_OPT))->name;
    const cli_flag *f = flag_by_val(val);
    return f ? f->name : NULL;
}

/* "--batch-s" out of "--batch-s=5": the name as typed, without a value. */
static char *typed_name(const char *arg)
{
    return xstrndup(arg, strcspn(arg, "="));
}

/* An unknown flag, or a value given to a flag that takes none. */
static int report_unknown(char **argv)
{
    const char *arg = argv[optind - 1];
    const char *name = name_by_val(optopt);
    if (name && strncmp(arg, "--", 2) == 0)
        fprintf(stderr, "esmcfg: --%s takes no value\n", name);
    else if (optopt && optopt < VAL_FLAG)
        fprintf(stderr, "esmcfg: unknown option -%c (see esmcfg --help)\n", optopt);
    else {
        char *typed = typed_name(arg);
        char *shown = str_escape_display(typed);
        fprintf(stderr, "esmcfg: unknown option %s (see esmcfg --help)\n", shown);
        free(shown);
        free(typed);
    }
    return CLI_EXIT_USAGE;
}

/* A flag that needs a value was last on the line. */
static int report_missing(void)
{
    const char *metavar = "";
    if (optopt >= VAL_OPT && optopt < VAL_OPT + OPT_COUNT)
        metavar = opt_get((opt_id)(optopt - VAL_OPT))->metavar;
    else if (flag_by_val(optopt))
        metavar = flag_by_val(optopt)->metavar;
    const char *name = name_by_val(optopt);
    fprintf(stderr, "esmcfg: --%s needs a value (%s)\n", name ? name : "?", metavar);
    return CLI_EXIT_USAGE;
}

/* getopt_long also takes unambiguous abbreviations ("--batch-s"); esmcfg
 * wants exact names, so scripts keep working when options are added. */
static int check_exact(char **argv, const struct option *o)
{
    const char *arg = argv[optind - 1];
    if (o->has_arg == required_argument && optarg == arg)
        arg = argv[optind - 2];
    if (strncmp(arg, "--", 2) != 0)
        return CLI_EXIT_OK;
    char *typed = typed_name(arg + 2);
    int rc = CLI_EXIT_OK;
    if (strcmp(typed, o->name) != 0) {
        char *shown = str_escape_display(typed);
        fprintf(stderr, "esmcfg: unknown option --%s (did you mean --%s?)\n", shown, o->name);
        free(shown);
        rc = CLI_EXIT_USAGE;
    }
    free(typed);
    return rc;
}

/* Append an option flag's value. */
static void add_value(cli_args *a, const opt_def *d, const char *text)
{
    a->values = xrealloc(a->values, (a->n_values + 1) * sizeof *a->values);
    a->values[a->n_values++] = (cli_value){d, text ? text : "true"};
}

/* --format NAME: one of the export's formats. */
static int set_format(cli_args *a, const char *name)
{
    if (export_format_parse(name, &a->format) == 0)
        return CLI_EXIT_OK;
    char *shown = str_escape_display(name);
    fprintf(stderr, "esmcfg: --format: %s is not one of", shown);
    for (int f = 0; f < FMT_COUNT; f++)
        fprintf(stderr, "%s %s", f ? "," : "", export_format_name((export_format)f));
    fputc('\n', stderr);
    free(shown);
    return CLI_EXIT_USAGE;
}

/* --preset NAME: one of model/preset's names. */
static int set_preset(cli_args *a, const char *name)
{
    if (preset_find(name)) {
        a->preset = name;
        return CLI_EXIT_OK;
    }
    char *shown = str_escape_display(name);
    fprintf(stderr, "esmcfg: --preset: %s is not a preset; one of:", shown);
    size_t n = 0;
    const preset *p = preset_list(&n);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "%s %s", i ? "," : "", p[i].name);
    fputc('\n', stderr);
    free(shown);
    return CLI_EXIT_USAGE;
}

/* --focus OPTION: a name from the table. */
static int set_focus(cli_args *a, const char *name)
{
    const opt_def *d = opt_find(name);
    if (d) {
        a->focus = d->name;
        return CLI_EXIT_OK;
    }
    char *shown = str_escape_display(name);
    fprintf(stderr, "esmcfg: --focus: %s is not an option; one of:", shown);
    for (size_t i = 0; i < OPT_COUNT; i++)
        fprintf(stderr, "%s %s", i ? "," : "", opt_table()[i].name);
    fputc('\n', stderr);
    free(shown);
    return CLI_EXIT_USAGE;
}

/* -o FILE: a file name, or "-" for stdout. */
static int set_output(cli_args *a, const char *path)
{
    if (*path == '\0') {
        fputs("esmcfg: --output: needs a file name, or - for stdout\n", stderr);
        return CLI_EXIT_USAGE;
    }
    a->output = path;
    return CLI_EXIT_OK;
}

/* --profile NAME, --region NAME, --save-inventory FILE: not empty, and a
 * name is not a flag ("--profile --region x" would hand aws "--region" as
 * the profile). */
static int set_discovery_value(cli_args *a, const cli_flag *f, const char *arg)
{
    const char *what = f->id == CLI_F_PROFILE  ? "a profile name"
                       : f->id == CLI_F_REGION ? "a region name"
                                               : "a file name";
    if (*arg == '\0' || (*arg == '-' && f->id != CLI_F_SAVE_INVENTORY)) {
        char *shown = str_escape_display(arg);
        if (*arg)
            fprintf(stderr, "esmcfg: --%s: %s is not %s\n", f->name, shown, what);
        else
            fprintf(stderr, "esmcfg: --%s: needs %s\n", f->name, what);
        free(shown);
        return CLI_EXIT_USAGE;
    }
    if (f->id == CLI_F_PROFILE)
        a->profile = arg;
    else if (f->id == CLI_F_REGION)
        a->region = arg;
    else
        a->save_inventory = arg;
    return CLI_EXIT_OK;
}

/* --unset OPTION: a name from the table. */
static int add_unset(cli_args *a, const char *name)
{
    const opt_def *d = opt_find(name);
    if (!d) {
        char *shown = str_escape_display(name);
        fprintf(stderr, "esmcfg: --unset: %s is not an option (see esmcfg --list-options)\n",
                shown);
        free(shown);
        return CLI_EXIT_USAGE;
    }
    a->unsets = xrealloc(a->unsets, (a->n_unsets + 1) * sizeof *a->unsets);
    a->unsets[a->n_unsets++] = d;
    return CLI_EXIT_OK;
}

/* --output-fd N: a file descriptor number (whether it is open is checked
 * before anything runs). */
static int set_output_fd(cli_args *a, const char *arg)
{
    char *end = NULL;
    long n = strtol(arg, &end, 10);
    if (*arg < '0' || *arg > '9' || *end || n > 1000000) {
        char *shown = str_escape_display(arg);
        fprintf(stderr, "esmcfg: --output-fd: %s is not a file descriptor number\n", shown);
        free(shown);
        return CLI_EXIT_USAGE;
    }
    a->output_fd = (int)n;
    return CLI_EXIT_OK;
}

/* --merge-into TEMPLATE: a file name. */
static int set_merge_into(cli_args *a, const char *path)
{
    if (*path == '\0') {
        fputs("esmcfg: --merge-into: needs a template file name\n", stderr);
        return CLI_EXIT_USAGE;
    }
    a->merge_into = path;
    return CLI_EXIT_OK;
}

/* One program flag. */
static int handle_flag(cli_args *a, const cli_flag *f, const char *arg)
{
    switch (f->id) {
    case CLI_F_BATCH:
        a->batch = true;
        break;
    case CLI_F_LOAD:
        a->load = arg;
        break;
    case CLI_F_RESTORE:
        a->restore = true;
        break;
    case CLI_F_UUID:
        a->uuid = arg;
        break;
    case CLI_F_UNSET:
        return add_unset(a, arg);
    case CLI_F_CHECK:
        a->check = arg;
        break;
    case CLI_F_OUTPUT_FD:
        return set_output_fd(a, arg);
    case CLI_F_LIST_OPTIONS:
        a->list_options = true;
        break;
    case CLI_F_FORMAT:
        return set_format(a, arg);
    case CLI_F_OUTPUT:
        return set_output(a, arg);
    case CLI_F_MERGE_INTO:
        return set_merge_into(a, arg);
    case CLI_F_LOGICAL_ID:
        a->logical_id = arg;
        break;
    case CLI_F_FUNCTION_ROLE:
        a->function_role = arg;
        break;
    case CLI_F_INVENTORY:
        a->inventories = xrealloc(a->inventories, (a->n_inventories + 1) * sizeof(char *));
        a->inventories[a->n_inventories++] = arg;
        break;
    case CLI_F_DISCOVER:
        a->discover = true;
        break;
    case CLI_F_PROFILE:
    case CLI_F_REGION:
    case CLI_F_SAVE_INVENTORY:
        return set_discovery_value(a, f, arg);
    case CLI_F_PRESET:
        return set_preset(a, arg);
    case CLI_F_TEST_FILTER:
        a->test_filter = arg;
        break;
    case CLI_F_EXPLAIN:
        a->explain = true;
        break;
    case CLI_F_APPLY:
        a->apply = true;
        break;
    case CLI_F_UPDATE_EXISTING:
        a->update_existing = true;
        break;
    case CLI_F_FOCUS:
        return set_focus(a, arg);
    case CLI_F_NO_COLOR:
        a->no_color = true;
        break;
    case CLI_F_HELP:
        a->help = true;
        break;
    case CLI_F_VERSION:
        a->version = true;
        break;
    case CLI_F_COUNT:
        break;
    }
    return CLI_EXIT_OK;
}

/* A word that is not a flag: esmcfg takes none. */
static int report_stray(char **argv, int at)
{
    char *shown = str_escape_display(argv[at]);
    fprintf(stderr, "esmcfg: unexpected argument '%s'", shown);
    const opt_def *prev = at > 1 ? opt_find(argv[at - 1]) : NULL;
    if (prev && strncmp(argv[at - 1], "--", 2) == 0 && cli_opt_value_optional(prev))
        fprintf(stderr, " (a %s value goes after '=': --%s=%s)", prev->metavar, prev->name, shown);
    fputc('\n', stderr);
    free(shown);
    return CLI_EXIT_USAGE;
}

/* One getopt_long result C (LO[IDX] when a long flag). */
static int handle(cli_args *a, char **argv, const struct option *lo, int c, int idx)
{
    if (c == '?')
        return report_unknown(argv);
    if (c == ':')
        return report_missing();
    if (idx >= 0 && check_exact(argv, &lo[idx]) != CLI_EXIT_OK)
        return CLI_EXIT_USAGE;
    if (c >= VAL_OPT && c < VAL_OPT + OPT_COUNT) {
        add_value(a, opt_get((opt_id)(c - VAL_OPT)), optarg);
        return CLI_EXIT_OK;
    }
    const cli_flag *f = flag_by_val(c);
    return f ? handle_flag(a, f, optarg) : CLI_EXIT_USAGE;
}

/* Sort ARGV into A; stop at the first usage error. */
int cli_args_parse(int argc, char **argv, cli_args *a)
{
    memset(a, 0, sizeof *a);
    a->format = FMT_JSON;
    a->output_fd = -1;
    struct option *lo = build_longopts();
    char *shorts = build_shortopts();
    int rc = CLI_EXIT_OK;
    opterr = 0;
    while (rc == CLI_EXIT_OK) {
        int idx = -1;
        int c = getopt_long(argc, argv, shorts, lo, &idx);
        if (c == -1)
            break;
        rc = handle(a, argv, lo, c, idx);
    }
    if (rc == CLI_EXIT_OK && optind < argc)
        rc = report_stray(argv, optind);
    free(shorts);
    free(lo);
    return rc;
}

/* Free what cli_args_parse allocated (the texts belong to argv). */
void cli_args_free(cli_args *a)
{
    free(a->values);
    free(a->inventories);
    free(a->unsets);
    memset(a, 0, sizeof *a);
}
