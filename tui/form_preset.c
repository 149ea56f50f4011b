/* The preset from the screen (F6): a dialog lists what the preset sets,
 * each value with its reason, and what the person must pick; y sets the
 * values as a committed edit does (validation, preview, dirty state and
 * the draft follow) and moves to the option still to pick. Everything
 * shown comes from model/preset.c and the option table. */
#include <stdlib.h>
#include <string.h>

#include "model/preset.h"
#include "model/util.h"
#include "tui/form_int.h"

/* The preset the screen offers: the first (today the only one, "safe"). */
static const preset *screen_preset(void)
{
    size_t n;
    const preset *p = preset_list(&n);
    return n ? p : NULL;
}

/* Setting S's value as the option table writes it ("1h"). Caller frees. */
static char *setting_value(const preset_setting *s)
{
    const opt_def *d = opt_get(s->opt);
    opt_value v;
    char *err = NULL;
    if (opt_parse(d, s->value, &v, &err) < 0) {
        free(err);
        return xstrdup(s->value);
    }
    char *f = opt_format(d, &v);
    opt_value_clear(&v);
    return f;
}

/* One option's lines: "  Label   now -> new" (or "already new") and the reason. */
static void add_setting(const form_state *st, strbuf *b, const preset_setting *s)
{
    const opt_def *d = opt_get(s->opt);
    char *now = form_value_text(st, s->opt);
    char *want = setting_value(s);
    opt_value v;
    char *err = NULL;
    bool same = false;
    if (opt_parse(d, s->value, &v, &err) == 0) {
        same = mapping_is_set(st->m, s->opt) && opt_value_equal(mapping_get(st->m, s->opt), &v);
        opt_value_clear(&v);
    }
    free(err);
    if (same)
        sb_addf(b, "  %-26s %s (already)\n", d->label, want);
    else
        sb_addf(b, "  %-26s %s -> %s\n", d->label, now, want);
    sb_addf(b, "      %s\n", s->why);
    free(want);
    free(now);
}

/* What the preset asks the person to pick, with its state on the mapping. */
static void add_pick(const form_state *st, strbuf *b, const preset *p)
{
    if (p->must_pick >= OPT_COUNT)
        return;
    const opt_def *d = opt_get(p->must_pick);
    bool missing = preset_missing(p, st->m) < OPT_COUNT;
    char *now = form_value_text(st, p->must_pick);
    sb_addf(b, "\nYou pick:\n  %-26s %s\n", d->label, missing ? "not set yet" : now);
    sb_addf(b, "      %s\n", p->pick_why);
    free(now);
}

/* The dialog's text. Caller frees. */
static char *preset_text(const form_state *st, const preset *p)
{
    strbuf b = {0};
    sb_addf(&b, "%s: %s.\n\nIt sets:\n", p->title, p->summary);
    for (size_t i = 0; i < p->n_settings; i++)
        add_setting(st, &b, &p->settings[i]);
    add_pick(st, &b, p);
    return sb_take(&b);
}

void form_preset_open(form_state *st)
{
    const preset *p = screen_preset();
    if (!p) {
        form_status(st, MSG_INFO, "No preset is available");
        return;
    }
    char *title = xasprintf("Preset: %s", p->name);
    char *q =
        xasprintf("Set these %zu values? The rest of the mapping stays as it is.", p->n_settings);
    form_textbox_open(st, FM_PRESET, title, preset_text(st, p), q);
    free(title);
}

/* y: set the values, then go to what is still to pick. */
static void set_preset(form_state *st, const preset *p)
{
    char *err = NULL;
    int rc = preset_apply(p, st->m, NULL, &err);
    form_textbox_close(st);
    form_changed(st);
    if (rc < 0) {
        form_status(st, MSG_ERROR, "%s", err);
        free(err);
        return;
    }
    opt_id pick = preset_missing(p, st->m);
    if (pick < OPT_COUNT) {
        form_focus_opt(st, pick);
        form_status(st, MSG_WARN, "Preset %s set. Now pick %s: %s", p->name, opt_get(pick)->label,
                    p->pick_why);
        return;
    }
    form_status(st, MSG_OK, "Preset %s set: %zu values", p->name, p->n_settings);
}

void form_preset_apply(form_state *st, form_action a)
{
    if (form_textbox_scroll(st, a))
        return;
    const preset *p = screen_preset();
    if (a == ACT_YES && p) {
        set_preset(st, p);
    } else if (a == ACT_NO || a == ACT_CANCEL) {
        form_textbox_close(st);
        form_status(st, MSG_INFO, "Preset not applied: nothing changed");
    } else if (a == ACT_HELP) {
        form_open_help(st);
    }
}
