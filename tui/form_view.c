/* What the screen shows, as text: rows, the message line, the title and
 * the help screen. Everything about an option comes from the option table
 * and from mapping_validate; drawing only places these strings. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "model/pick.h"
#include "model/util.h"
#include "tui/form_int.h"
#include "tui/keys.h"

/* The inventory table whose stream is ARN, or NULL. */
static const inv_item *table_of_stream(const form_state *st, const char *arn)
{
    return st->inv ? inventory_find(st->inv, INV_TABLE, arn) : NULL;
}

/* "orders-dlq (SQS queue)" for an ARN the parser knows; else the text. */
static char *arn_short(const char *arn)
{
    arn_parts p;
    char *err = NULL;
    if (arn_parse(arn, &p, &err) < 0 || !p.name[0]) {
        free(err);
        return xstrdup(arn);
    }
    return xasprintf("%s (%s)", p.name, arn_kind_name(p.kind));
}

/* A function's name with its qualifier: "process-orders:live". */
static char *function_short(const char *text)
{
    arn_parts p;
    char *err = NULL;
    if (value_parse_function(text, &p, &err) < 0 || !p.name[0]) {
        free(err);
        return xstrdup(text);
    }
    return p.qualifier[0] ? xasprintf("%s:%s", p.name, p.qualifier) : xstrdup(p.name);
}

/* The table's name and its stream's view type when known. */
static char *table_short(const form_state *st, const char *arn)
{
    const inv_item *it = table_of_stream(st, arn);
    const char *name = st->m->table_name;
    arn_parts p;
    char *err = NULL;
    if (!name && arn_parse(arn, &p, &err) == 0 && p.name[0])
        name = p.name;
    free(err);
    if (!name)
        return xstrdup(arn);
    if (it && it->stream_view_type)
        return xasprintf("%s  stream %s", name, it->stream_view_type);
    return xstrdup(name);
}

/* The value as the row shows it, before escaping. Caller frees. */
static char *value_text(const form_state *st, opt_id id)
{
    const opt_def *d = opt_get(id);
    const opt_value *v = mapping_get(st->m, id);
    const char *ref = mapping_ref(st->m, id);
    if (!v->set && ref && d->type == OPT_T_STREAM && st->m->table_name)
        return xasprintf("%s  (%s in the template)", st->m->table_name, ref);
    if (!v->set && ref)
        return xasprintf("%s (in the template)", ref);
    if (!v->set && !opt_is_numeric(d))
        return xstrdup(d->required ? "" : d->default_text);
    switch (d->type) {
    case OPT_T_STREAM:
        return table_short(st, v->str);
    case OPT_T_FUNCTION:
        return function_short(v->str);
    case OPT_T_DESTINATION:
    case OPT_T_KMS_KEY:
        return arn_short(v->str);
    case OPT_T_INT: {
        char *s = opt_format(d, v);
        if (!d->unit[0] || (d->has_special && mapping_num(st->m, id) == d->special))
            return s;
        char *u = xasprintf("%s %s", s, d->unit);
        free(s);
        return u;
    }
    default:
        return opt_format(d, v);
    }
}

char *form_value_text(const form_state *st, opt_id id)
{
    char *raw = value_text(st, id);
    char *shown = str_escape_display(raw);
    free(raw);
    return shown;
}

/* The diag to show on option ID's row: its own errors first, then rules
 * that name it second, then warnings. NULL if none. */
static const diag *row_diag(const form_state *st, opt_id id)
{
    const diag *best = NULL;
    int best_rank = 99;
    for (size_t i = 0; i < st->diags.n; i++) {
        const diag *d = &st->diags.items[i];
        if (d->opt != id && d->other != id)
            continue;
        int rank = (d->level == DIAG_ERROR ? 0 : 2) + (d->opt == id ? 0 : 1);
        if (rank < best_rank) {
            best = d;
            best_rank = rank;
        }
    }
    return best;
}

/* A diag as a row shows it: on its own row plain, elsewhere with the
 * option it is about. Caller frees. */
static char *diag_text(const diag *d, opt_id row)
{
    char *msg = diag_message(d);
    if (d->opt == row)
        return msg;
    char *s = xasprintf("%s: %s", opt_get(d->opt)->label, msg);
    free(msg);
    return s;
}

/* True when the mode edits option ID's row in place. */
static bool editing_row(const form_state *st, opt_id id)
{
    return st->mode == FM_EDIT && form_focused(st) == id;
}

void form_row_view_get(const form_state *st, opt_id id, form_row_view *out)
{
    const opt_def *d = opt_get(id);
    memset(out, 0, sizeof *out);
    out->label = d->label;
    if (editing_row(st, id)) {
        out->editing = true;
        out->value = xstrdup(st->edit.s);
        out->problem = st->edit_err ? xstrdup(st->edit_err) : NULL;
        out->allowed = st->edit_err ? opt_allowed_text(d) : NULL;
        out->problem_error = true;
        return;
    }
    out->value = form_value_text(st, id);
    out->is_default = !mapping_is_set(st->m, id) && !mapping_ref(st->m, id) && !d->required;
    out->read_only = form_read_only(st, id);
    const diag *dg = row_diag(st, id);
    if (dg) {
        out->problem = diag_text(dg, id);
        out->problem_error = dg->level == DIAG_ERROR;
    }
}

void form_row_view_free(form_row_view *v)
{
    free(v->value);
    free(v->problem);
    free(v->allowed);
    memset(v, 0, sizeof *v);
}

/* The focused option's help line: "Most records sent to the function in one
 * batch." Without the label (the row is highlighted) and without the range
 * (shown while editing, and in F1 help): moving between fields re-sends
 * only this line and the two labels, at most about 140 bytes (issue 8). */
char *form_help_line(const form_state *st)
{
    if (st->mode == FM_PREVIEW)
        return xasprintf("The preview: exactly the bytes the export writes, as %s. It scrolls "
                         "both ways.",
                         export_format_title(st->fmt));
    if (st->mode == FM_RESTORE)
        return xstrdup("An earlier run ended without exporting and left this draft. y: edit it "
                       "instead; n: start as given (the draft stays until you change something).");
    if (st->mode == FM_PRESET)
        return xstrdup("Each value with its reason. y sets them all; n or Esc changes nothing.");
    if (st->mode == FM_AWS_PLAN)
        return xstrdup("What applying does, given what AWS has. y runs the AWS CLI; n or Esc: "
                       "nothing.");
    if (st->mode == FM_AWS_ANSWER)
        return xstrdup("The AWS CLI's answer as it wrote it (control characters escaped).");
    if (st->mode == FM_PATH || st->mode == FM_OVERWRITE)
        return xstrdup("A path from the folder esmcfg started in (~ is your home). The file is "
                       "written whole or not at all.");
    opt_id id = st->mode == FM_PICKER ? st->pk.opt : form_focused(st);
    const char *help = opt_get(id)->help;
    return xasprintf("%c%s.", toupper((unsigned char)help[0]), help + 1);
}

/* "1..10000, default 100." for option ID. Caller frees. */
static char *allowed_sentence(opt_id id)
{
    char *allowed = opt_allowed_text(opt_get(id));
    char *s = xasprintf("%c%s.", toupper((unsigned char)allowed[0]), allowed + 1);
    free(allowed);
    return s;
}

/* Every diag of option ID's row, joined with "; ". NULL if none. */
static char *row_problems(const form_state *st, opt_id id, form_msg_level *level)
{
    strbuf b = {0};
    *level = MSG_WARN;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < st->diags.n; i++) {
            const diag *d = &st->diags.items[i];
            if ((d->opt != id && d->other != id) || (d->level == DIAG_ERROR) != (pass == 0))
                continue;
            if (d->level == DIAG_ERROR)
                *level = MSG_ERROR;
            char *msg = diag_message(d);
            sb_addf(&b, "%s%s: %s", b.len ? "; " : "", opt_get(d->opt)->label, msg);
            free(msg);
        }
    }
    return b.len ? sb_take(&b) : NULL;
}

char *form_edit_problem(const form_state *st)
{
    if (!st->edit_err)
        return NULL;
    const char *lead = !st->edit_refused       ? ""
                       : st->mode == FM_PICKER ? "Not used: "
                       : st->mode == FM_PATH   ? "Not exported: "
                                               : "Not saved: ";
    return xasprintf("%s%s", lead, st->edit_err);
}

/* The mapping's first problem, errors before warnings: "! Label: message".
 * The same whichever row has the focus, so that moving does not re-send
 * it; each row marks its own problems, and F1 shows them in full. NULL
 * when there is none. */
static char *first_problem(const form_state *st, form_msg_level *level)
{
    const diag *first = NULL;
    for (size_t i = 0; i < st->diags.n; i++) {
        const diag *d = &st->diags.items[i];
        if (!first || (d->level == DIAG_ERROR && first->level != DIAG_ERROR))
            first = d;
    }
    if (!first)
        return NULL;
    *level = first->level == DIAG_ERROR ? MSG_ERROR : MSG_WARN;
    char *msg = diag_message(first);
    char *s = xasprintf("%s %s: %s", first->level == DIAG_ERROR ? "!" : "~",
                        opt_get(first->opt)->label, msg);
    free(msg);
    return s;
}

/* What is said about the edit buffer while typing. */
static char *edit_message(const form_state *st, form_msg_level *level)
{
    const opt_def *d = opt_get(st->mode == FM_EDIT ? form_focused(st) : st->pk.opt);
    if (st->edit_err) {
        *level = MSG_ERROR;
        return form_edit_problem(st);
    }
    *level = MSG_INFO;
    if (st->mode == FM_EDIT && !*st->edit.s)
        return xasprintf("Empty: Enter puts back AWS's default (%s); Esc keeps the old value",
                         d->default_text);
    if (st->mode == FM_EDIT || st->mode == FM_PICKER)
        return allowed_sentence(d->id);
    return NULL;
}

/* While discovery runs: how far it got. NULL otherwise. */
static char *progress_message(const form_state *st, form_msg_level *level)
{
    if (!form_discover_running(st))
        return NULL;
    *level = MSG_INFO;
    return xasprintf("Discovering with the AWS CLI: %s",
                     st->disc.progress ? st->disc.progress : "starting");
}

char *form_message(const form_state *st, form_msg_level *level)
{
    if (st->status) {
        *level = st->status_level;
        return xstrdup(st->status);
    }
    char *s = NULL;
    switch (st->mode) {
    case FM_EDIT:
    case FM_LIST_EDIT:
    case FM_PICKER:
    case FM_PATH:
        s = edit_message(st, level);
        return s ? s : progress_message(st, level);
    case FM_PREVIEW:
        return progress_message(st, level);
    case FM_FORM:
        if ((s = progress_message(st, level)))
            return s;
        return first_problem(st, level);
    default:
        return NULL;
    }
}

/* A display name for the title: the table, the function. Caller frees. */
char *form_title(const form_state *st)
{
    const opt_value *t = mapping_get(st->m, OPT_TABLE), *f = mapping_get(st->m, OPT_FUNCTION);
    const char *tref = mapping_ref(st->m, OPT_TABLE), *fref = mapping_ref(st->m, OPT_FUNCTION);
    char *table = t->set              ? table_short(st, t->str)
                  : st->m->table_name ? xstrdup(st->m->table_name)
                  : tref              ? xstrdup(tref)
                                      : xstrdup("(no table)");
    char *sp = strstr(table, "  stream");
    if (sp)
        *sp = '\0';
    char *fn = f->set ? function_short(f->str) : xstrdup(fref ? fref : "(no function)");
    char *s = xasprintf("%s -> %s", table, fn);
    free(table);
    free(fn);
    char *shown = str_escape_display(s);
    free(s);
    return shown;
}

/* Append TEXT to LINES wrapped at WIDTH, continuation lines indented by INDENT. */
static void wrap(const char *text, size_t width, size_t indent, char ***lines, size_t *n)
{
    const char *p = text;
    bool first = true;
    do {
        size_t pad = first || indent + 10 > width ? 0 : indent;
        size_t room = width - pad, len = strlen(p), cut = len;
        if (tui_text_width(p) > room) {
            cut = 0;
            for (size_t i = 0; i <= room && i < len; i++)
                if (p[i] == ' ')
                    cut = i;
            if (cut == 0)
                cut = room;
            while (cut > 1 && ((unsigned char)p[cut] & 0xC0) == 0x80)
                cut--;
        }
        *lines = xrealloc(*lines, (*n + 1) * sizeof **lines);
        (*lines)[(*n)++] = xasprintf("%*s%.*s", (int)pad, "", (int)cut, p);
        p += cut;
        while (*p == ' ')
            p++;
        first = false;
    } while (*p);
}

void form_wrap(const char *text, size_t width, size_t indent, char ***lines, size_t *n)
{
    wrap(text, width, indent, lines, n);
}

/* Append "Label:   value" wrapped with a hanging indent. */
static void field(const char *name, const char *value, size_t width, char ***lines, size_t *n)
{
    char *s = xasprintf("%-16s%s", name, value);
    wrap(s, width, 16, lines, n);
    free(s);
}

/* The focused option's part of help. */
static void option_help(const form_state *st, size_t width, char ***lines, size_t *n)
{
    const opt_def *d = opt_get(form_focused(st));
    char *head = xasprintf("%s (--%s %s)", d->label, d->name, d->metavar);
    wrap(head, width, 0, lines, n);
    free(head);
    wrap("", width, 0, lines, n);
    wrap(d->long_help, width, 0, lines, n);
    wrap("", width, 0, lines, n);
    char *allowed = opt_allowed_text(d);
    char *now = form_value_text(st, d->id);
    field("Allowed:", allowed, width, lines, n);
    field("Default:", d->required ? "none: required" : d->default_text, width, lines, n);
    field("Now:", mapping_is_set(st->m, d->id) ? now : "not set (AWS's default applies)", width,
          lines, n);
    char *flag = xasprintf("--%s %s%s", d->name, d->metavar, d->repeatable ? " (repeatable)" : "");
    field("Flag:", flag, width, lines, n);
    field("API property:", d->api, width, lines, n);
    field("CloudFormation:", d->cfn, width, lines, n);
    if (d->cdk[0])
        field("CDK:", d->cdk, width, lines, n);
    form_msg_level lv;
    char *probs = row_problems(st, d->id, &lv);
    if (probs)
        field(lv == MSG_ERROR ? "Problem:" : "Warning:", probs, width, lines, n);
    free(probs);
    free(flag);
    free(now);
    free(allowed);
}

char **form_help_lines(const form_state *st, size_t width, size_t *n)
{
    char **lines = NULL;
    *n = 0;
    if (width < 20)
        width = 20;
    option_help(st, width, &lines, n);
    wrap("", width, 0, &lines, n);
    wrap("Marks", width, 0, &lines, n);
    field("  !", "a problem: the export refuses until it is fixed", width, &lines, n);
    field("  ~", "a warning: the export works, but read it", width, &lines, n);
    field("  default",
          "at AWS's default: the export leaves it out, unless the option's help "
          "says it is always written",
          width, &lines, n);
    wrap("", width, 0, &lines, n);
    wrap("Keys", width, 0, &lines, n);
    size_t nk;
    char **keys = tui_key_help(&nk);
    for (size_t i = 0; i < nk; i++)
        wrap(keys[i], width, 29, &lines, n);
    form_lines_free(keys, nk);
    return lines;
}

void form_lines_free(char **lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
}
