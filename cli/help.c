/* The help text: usage, every option of the table by group (flag, help,
 * what is allowed), the program flags, and the exit codes. */
#include "cli/help.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "model/options.h"
#include "model/preset.h"
#include "model/util.h"

/* Lines are wrapped to this width; help and allowed text are indented. */
#define HELP_WIDTH 79
#define HELP_INDENT 8

/* The exit codes of the design, as --help lists them. */
static const struct {
    int code;
    const char *meaning;
} exit_codes[] = {
    {CLI_EXIT_OK, "exported; --check found no problem; --help, --version, --list-options"},
    {CLI_EXIT_QUIT, "the person quit the screen without exporting"},
    {CLI_EXIT_USAGE, "usage error: unknown flag, missing value, bad --format or --focus"},
    {CLI_EXIT_INVALID, "the configuration is invalid (each problem on stderr)"},
    {CLI_EXIT_IO, "I/O error, unreadable inventory, no terminal, failed external command"},
};

/* TEXT word-wrapped to HELP_WIDTH, every line indented by HELP_INDENT. */
static void print_wrapped(FILE *out, const char *text)
{
    size_t col = 0;
    for (const char *p = text; *p;) {
        p += strspn(p, " ");
        size_t n = strcspn(p, " ");
        if (n == 0)
            break;
        if (col > 0 && col + 1 + n > HELP_WIDTH) {
            fputc('\n', out);
            col = 0;
        }
        if (col == 0)
            col = (size_t)fprintf(out, "%*s", HELP_INDENT, "");
        else
            col += (size_t)fprintf(out, " ");
        col += (size_t)fprintf(out, "%.*s", (int)n, p);
        p += n;
    }
    fputc('\n', out);
}

/* "  --bisect-batch-on-error[=BOOL]", "  --filter JSON  (repeatable)". */
static void print_option(FILE *out, const opt_def *d)
{
    if (cli_opt_value_optional(d))
        fprintf(out, "  --%s[=%s]", d->name, d->metavar);
    else
        fprintf(out, "  --%s %s", d->name, d->metavar);
    fprintf(out, "%s\n", d->repeatable ? "  (repeatable)" : "");
    char *help = xasprintf("%s.", d->help);
    help[0] = (char)toupper((unsigned char)help[0]);
    print_wrapped(out, help);
    char *allowed = opt_allowed_text(d);
    char *text = xasprintf("%s: %s.", d->required ? "Required" : "Allowed", allowed);
    print_wrapped(out, text);
    free(text);
    free(allowed);
    free(help);
}

/* Every option of GROUP, in table order. */
static void print_group(FILE *out, const char *group)
{
    fprintf(out, "\n%s:\n", group);
    for (size_t i = 0; i < OPT_COUNT; i++)
        if (strcmp(opt_table()[i].group, group) == 0)
            print_option(out, &opt_table()[i]);
}

/* Whether GROUP already appeared before row I. */
static bool group_seen(size_t i, const char *group)
{
    for (size_t j = 0; j < i; j++)
        if (strcmp(opt_table()[j].group, group) == 0)
            return true;
    return false;
}

/* "json, cfn-json or cfn-yaml". */
static char *format_names(void)
{
    strbuf b = {0};
    for (int f = 0; f < FMT_COUNT; f++) {
        if (f > 0)
            sb_add(&b, f + 1 < FMT_COUNT ? ", " : " or ");
        sb_add(&b, export_format_name((export_format)f));
    }
    return sb_take(&b);
}

/* One program flag: "  -o, --output FILE" and its help. */
static void print_flag(FILE *out, const cli_flag *f)
{
    if (f->short_name)
        fprintf(out, "  -%c, --%s", f->short_name, f->name);
    else
        fprintf(out, "  --%s", f->name);
    fprintf(out, "%s%s%s\n", f->metavar ? " " : "", f->metavar ? f->metavar : "",
            f->repeatable ? "  (repeatable)" : "");
    if (f->id == CLI_F_FORMAT) {
        char *names = format_names();
        char *text = xasprintf("%s: %s; default %s.", f->help, names, export_format_name(0));
        text[0] = (char)toupper((unsigned char)text[0]);
        print_wrapped(out, text);
        free(text);
        free(names);
    } else {
        char *text = xasprintf("%s.", f->help);
        text[0] = (char)toupper((unsigned char)text[0]);
        print_wrapped(out, text);
        free(text);
    }
}

/* Every preset: its summary, then each value with why it was chosen. */
static void print_presets(FILE *out)
{
    size_t n = 0;
    const preset *p = preset_list(&n);
    fputs("\nPresets (--preset NAME; option flags override its values):\n", out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "  %s: %s\n", p[i].name, p[i].title);
        char *summary = xasprintf("%s.", p[i].summary);
        summary[0] = (char)toupper((unsigned char)summary[0]);
        print_wrapped(out, summary);
        free(summary);
        for (size_t k = 0; k < p[i].n_settings; k++) {
            const preset_setting *s = &p[i].settings[k];
            char *text = xasprintf("--%s %s: %s.", opt_get(s->opt)->name, s->value, s->why);
            print_wrapped(out, text);
            free(text);
        }
        if (p[i].must_pick < OPT_COUNT) {
            const opt_def *d = opt_get(p[i].must_pick);
            char *text =
                xasprintf("--%s %s: yours to give: %s.", d->name, d->metavar, p[i].pick_why);
            print_wrapped(out, text);
            free(text);
        }
    }
}

/* The whole --help text. */
void cli_print_help(FILE *out)
{
    fputs("Usage: esmcfg [OPTIONS]           configure on screen (drawn on /dev/tty)\n"
          "       esmcfg --batch [OPTIONS]   validate and export, no screen (for scripts)\n"
          "\n"
          "Configures an AWS Lambda event source mapping that reads a DynamoDB stream, and\n"
          "exports it as the CreateEventSourceMapping JSON or a CloudFormation template.\n"
          "DUR is whole seconds: 90, 30s, 5m, 1h, 7d or ISO 8601 (PT5M). BOOL is\n"
          "true|false|yes|no|on|off|1|0; a bare flag means true.\n",
          out);
    for (size_t i = 0; i < OPT_COUNT; i++)
        if (!group_seen(i, opt_table()[i].group))
            print_group(out, opt_table()[i].group);
    fputs("\nProgram:\n", out);
    for (size_t i = 0; i < CLI_F_COUNT; i++)
        print_flag(out, &cli_flags()[i]);
    print_presets(out);
    fputs("\nExit codes:\n", out);
    for (size_t i = 0; i < sizeof exit_codes / sizeof exit_codes[0]; i++)
        fprintf(out, "  %d  %s\n", exit_codes[i].code, exit_codes[i].meaning);
}

/* "esmcfg 0.1.0". */
void cli_print_version(FILE *out)
{
    fprintf(out, "esmcfg %s\n", ESMCFG_VERSION);
}
