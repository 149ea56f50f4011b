/* Export (the path prompt with a suggested name, the overwrite question,
 * the atomic write) and quitting (asking first about unexported changes). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model/util.h"
#include "tui/form_int.h"

const diag *form_first_error(const form_state *st)
{
    for (size_t i = 0; i < st->diags.n; i++)
        if (st->diags.items[i].level == DIAG_ERROR)
            return &st->diags.items[i];
    return NULL;
}

/* "~/x" with $HOME; anything else as it is. Caller frees. */
static char *expand_home(const char *path)
{
    const char *home = getenv("HOME");
    if (path[0] == '~' && (path[1] == '/' || !path[1]) && home && *home)
        return xasprintf("%s%s", home, path + 1);
    return xstrdup(path);
}

/* The export succeeded: remember it. */
static void exported(form_state *st, const char *path)
{
    st->exported = true;
    st->applied = false;
    mapping_free(st->baseline);
    st->baseline = mapping_clone(st->m);
    free(st->last_path);
    st->last_path = xstrdup(path);
    st->mode = st->back;
    /* standard output is written after the screen is gone: the CLI clears
       the draft once that worked */
    if (strcmp(path, "-") != 0)
        form_draft_exported(st);
}

/* Render and write to PATH ("-": keep it for standard output). On failure
 * the prompt stays open when it was asked for. */
static void write_to(form_state *st, const char *path)
{
    char *err = NULL;
    char *doc = export_render(st->m, st->fmt, &err);
    if (!doc) {
        form_status(st, MSG_ERROR, "Cannot export: %s", err ? err : "unknown error");
        free(err);
        st->mode = st->back;
        return;
    }
    if (strcmp(path, "-") == 0) {
        free(st->document);
        st->document = doc;
        exported(st, path);
        form_status(st, MSG_OK, "Exported %s: it goes to standard output when you quit",
                    export_format_title(st->fmt));
        return;
    }
    int rc = export_write_atomic(path, doc, strlen(doc), &err);
    free(doc);
    if (rc < 0) {
        bool asked = st->mode == FM_PATH || st->mode == FM_OVERWRITE;
        form_status(st, MSG_ERROR, "Not exported: %s", err ? err : path);
        free(st->edit_err);
        st->edit_err = err;
        st->mode = asked ? FM_PATH : st->back;
        return;
    }
    char *shown = str_escape_display(path);
    size_t warnings = diag_count(&st->diags, DIAG_WARNING);
    exported(st, path);
    if (warnings)
        form_status(st, MSG_WARN, "Exported %s to %s, with %zu warning%s (~ on the rows)",
                    export_format_title(st->fmt), shown, warnings, warnings == 1 ? "" : "s");
    else
        form_status(st, MSG_OK, "Exported %s to %s", export_format_title(st->fmt), shown);
    free(shown);
}

bool form_refuse_invalid(form_state *st, const char *what)
{
    const diag *e = form_first_error(st);
    if (!e)
        return false;
    size_t n = diag_count(&st->diags, DIAG_ERROR);
    form_status(st, MSG_ERROR, "Cannot %s yet: %s %s%s", what, opt_get(e->opt)->label, e->message,
                n > 1 ? " (and more: see the preview)" : "");
    st->mode = FM_FORM;
    form_focus_opt(st, e->opt);
    return true;
}

void form_export_start(form_state *st)
{
    st->back = st->mode;
    if (form_refuse_invalid(st, "export"))
        return;
    if (st->output_path) {
        write_to(st, st->output_path);
        return;
    }
    char *suggested =
        st->last_path ? xstrdup(st->last_path) : export_suggested_path(st->m, st->fmt);
    form_clear_err(st);
    tui_line_set(&st->edit, suggested);
    free(suggested);
    st->mode = FM_PATH;
}

/* F3 in the prompt: the next format, and the suggested name with it. */
static void path_format(form_state *st)
{
    char *old = export_suggested_path(st->m, st->fmt);
    bool untouched = strcmp(old, st->edit.s) == 0;
    free(old);
    form_next_format(st);
    if (untouched) {
        char *now = export_suggested_path(st->m, st->fmt);
        tui_line_set(&st->edit, now);
        free(now);
    }
}

/* Enter in the prompt: ask before replacing a file this session did not write. */
static void path_commit(form_state *st)
{
    form_clear_err(st);
    if (!*st->edit.s) {
        st->edit_err = xstrdup("type a file name, or - for standard output");
        st->edit_refused = true;
        return;
    }
    char *path = expand_home(st->edit.s);
    struct stat sb;
    bool exists = strcmp(path, "-") != 0 && stat(path, &sb) == 0;
    if (exists && S_ISDIR(sb.st_mode)) {
        st->edit_err = xstrdup("that is a folder: add a file name");
        st->edit_refused = true;
        free(path);
        return;
    }
    if (exists && !(st->last_path && strcmp(st->last_path, path) == 0)) {
        free(st->export_path);
        st->export_path = path;
        st->mode = FM_OVERWRITE;
        return;
    }
    write_to(st, path);
    free(path);
}

void form_path_apply(form_state *st, form_action a, unsigned ch)
{
    switch (a) {
    case ACT_COMMIT:
        path_commit(st);
        break;
    case ACT_CANCEL:
        form_clear_err(st);
        st->mode = st->back;
        form_status(st, MSG_INFO, "Not exported");
        break;
    case ACT_FORMAT:
        path_format(st);
        break;
    default:
        if (tui_line_apply(&st->edit, a, ch))
            form_clear_err(st);
        break;
    }
}

void form_quit(form_state *st)
{
    st->back = st->mode;
    if (form_dirty(st)) {
        st->mode = FM_QUIT;
        return;
    }
    st->done = true;
    st->exit_code = st->exported ? 0 : 1;
}

void form_confirm_apply(form_state *st, form_action a)
{
    if (st->mode == FM_QUIT) {
        if (a == ACT_YES) {
            st->done = true;
            st->exit_code = st->exported ? 0 : 1;
            form_draft_discarded(st);
        } else if (a == ACT_NO) {
            st->mode = st->back;
        }
        return;
    }
    if (a == ACT_YES) {
        char *path = st->export_path;
        st->export_path = NULL;
        write_to(st, path);
        free(path);
    } else if (a == ACT_NO) {
        free(st->export_path);
        st->export_path = NULL;
        st->mode = FM_PATH;
        form_status(st, MSG_INFO, "Not replaced: type another name");
    }
}

char *form_export_warnings(const form_state *st)
{
    size_t n = diag_count(&st->diags, DIAG_WARNING);
    if (n == 0)
        return NULL;
    strbuf b = {0};
    sb_addf(&b, "%zu warning%s (it exports; F1 on the row tells more):", n, n == 1 ? "" : "s");
    for (size_t i = 0; i < st->diags.n; i++) {
        const diag *d = &st->diags.items[i];
        if (d->level != DIAG_WARNING)
            continue;
        char *msg = diag_message(d);
        sb_addf(&b, " ~ %s: %s", opt_get(d->opt)->label, msg);
        free(msg);
    }
    return sb_take(&b);
}

char *form_dialog_text(const form_state *st)
{
    switch (st->mode) {
    case FM_PATH:
        return xasprintf("Export %s to the file (- for standard output):",
                         export_format_title(st->fmt));
    case FM_OVERWRITE: {
        char *p = str_escape_display(st->export_path ? st->export_path : "");
        char *s = xasprintf("%s already exists. Replace it?", p);
        free(p);
        return s;
    }
    case FM_RESTORE:
        return form_restore_text(st);
    case FM_QUIT:
        return xstrdup(st->exported ? "The changes since the last export are not exported. "
                                      "Quit anyway?"
                                    : "Nothing has been exported. Quit without exporting?");
    default:
        return xstrdup("");
    }
}
