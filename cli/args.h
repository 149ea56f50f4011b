/* The command line: getopt_long's array built from the option table (one
 * flag per row) plus esmcfg's own program flags. Parsing only sorts the
 * arguments; values are checked when the mapping is built. */
#ifndef ESMCFG_CLI_ARGS_H
#define ESMCFG_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "export/export.h"
#include "model/options.h"

/* Exit codes of the design. */
enum {
    CLI_EXIT_OK = 0,      /* exported (or --help, --version) */
    CLI_EXIT_QUIT = 1,    /* the person quit without exporting */
    CLI_EXIT_USAGE = 2,   /* unknown flag, missing argument, bad --format/--focus, stray argument */
    CLI_EXIT_INVALID = 3, /* the configuration is invalid */
    CLI_EXIT_IO = 4       /* an I/O error, a failed external command, no terminal */
};

/* esmcfg's own flags (not options of a mapping). */
typedef enum {
    CLI_F_BATCH,
    CLI_F_LOAD,
    CLI_F_RESTORE,
    CLI_F_UUID,
    CLI_F_UNSET,
    CLI_F_CHECK,
    CLI_F_FORMAT,
    CLI_F_OUTPUT,
    CLI_F_OUTPUT_FD,
    CLI_F_MERGE_INTO,
    CLI_F_LOGICAL_ID,
    CLI_F_FUNCTION_ROLE,
    CLI_F_INVENTORY,
    CLI_F_DISCOVER,
    CLI_F_PROFILE,
    CLI_F_REGION,
    CLI_F_SAVE_INVENTORY,
    CLI_F_PRESET,
    CLI_F_TEST_FILTER,
    CLI_F_EXPLAIN,
    CLI_F_APPLY,
    CLI_F_UPDATE_EXISTING,
    CLI_F_FOCUS,
    CLI_F_NO_COLOR,
    CLI_F_LIST_OPTIONS,
    CLI_F_HELP,
    CLI_F_VERSION,
    CLI_F_COUNT
} cli_flag_id;

typedef struct cli_flag {
    cli_flag_id id;
    const char *name;    /* long name without dashes */
    char short_name;     /* or 0 */
    const char *metavar; /* NULL: takes no value */
    bool repeatable;
    const char *help;
} cli_flag;

/* One option flag as given: its row and its text (a bare boolean flag: "true"). */
typedef struct cli_value {
    const opt_def *def;
    const char *text;
} cli_value;

typedef struct cli_args {
    bool batch, help, version, no_color;
    export_format format;
    const char *output;        /* -o FILE, "-" for stdout, NULL when not given */
    const char *merge_into;    /* --merge-into TEMPLATE */
    const char *logical_id;    /* --logical-id */
    const char *function_role; /* --function-role */
    const char *focus;         /* --focus, as the table names it */
    const char *load;          /* --load FILE */
    bool restore;              /* --restore: start from the draft without asking */
    const char *uuid;          /* --uuid UUID: the mapping to load from AWS CLI output */
    const char *check;         /* --check FILE */
    const char *preset;        /* --preset NAME (a name model/preset.h knows) */
    const char *test_filter;   /* --test-filter RECORD: test the filters, export nothing */
    bool explain;              /* --explain: with --test-filter, every record in full */
    bool apply;                /* --apply: create (or update) the mapping with the AWS CLI */
    bool update_existing;      /* --update-existing: --apply --batch may update a mapping */
    bool list_options;         /* --list-options */
    int output_fd;             /* --output-fd N, -1 when not given */
    const opt_def **unsets;    /* --unset OPTION, in order */
    size_t n_unsets;
    const char **inventories; /* --inventory FILE, in order */
    size_t n_inventories;
    bool discover;              /* --discover: list the account's resources with the AWS CLI */
    const char *profile;        /* --profile NAME for aws, NULL when not given */
    const char *region;         /* --region NAME for aws, NULL when not given */
    const char *save_inventory; /* --save-inventory FILE */
    cli_value *values;          /* option flags, in command-line order */
    size_t n_values;
} cli_args;

/* The program flags, CLI_F_COUNT entries in cli_flag_id order. */
const cli_flag *cli_flags(void);
/* True when row D's flag takes an optional value (booleans: a bare flag means true). */
bool cli_opt_value_optional(const opt_def *d);

/* Sort ARGV into A. Returns CLI_EXIT_OK, or CLI_EXIT_USAGE after printing
 * the problem to stderr. A is always safe to pass to cli_args_free. */
int cli_args_parse(int argc, char **argv, cli_args *a);
void cli_args_free(cli_args *a);

#endif
