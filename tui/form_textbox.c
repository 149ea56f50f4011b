/* Text dialogs: a title, lines that scroll like help, and a yes/no
 * question under them or none. The preset's list, the plan for AWS and
 * aws's answer use one. */
#include <stdlib.h>
#include <string.h>

#include "model/util.h"
#include "tui/form_int.h"

void form_textbox_open(form_state *st, form_mode mode, const char *title, char *text,
                       char *question)
{
    form_mode back = st->box.title ? st->box.back : st->mode;
    form_textbox_close(st);
    st->box.back = back == FM_PREVIEW ? FM_PREVIEW : FM_FORM;
    st->box.title = xstrdup(title);
    st->box.text = text;
    st->box.question = question;
    st->box.top = 0;
    st->mode = mode;
}

void form_textbox_close(form_state *st)
{
    free(st->box.title);
    free(st->box.text);
    free(st->box.question);
    form_mode back = st->box.back;
    memset(&st->box, 0, sizeof st->box);
    if (st->mode == FM_PRESET || st->mode == FM_AWS_PLAN || st->mode == FM_AWS_ANSWER)
        st->mode = back;
}

/* Where LINE's continuation lines start: under its value when it is a
 * "  Label   value" line (the first gap of two spaces after some text),
 * else under its own start. */
static size_t indent_of(const char *line, size_t width)
{
    size_t lead = strspn(line, " ");
    const char *gap = strstr(line + lead, "  ");
    if (!gap || gap == line + lead)
        return lead;
    size_t value = (size_t)(gap - line) + strspn(gap, " ");
    return line[value] && value < width / 2 ? value : lead;
}

char **form_textbox_lines(const form_state *st, size_t *n)
{
    char **lines = NULL;
    *n = 0;
    size_t width = st->vp.text_width < 20 ? 20 : st->vp.text_width;
    const char *p = st->box.text ? st->box.text : "";
    while (*p) {
        size_t len = strcspn(p, "\n");
        char *line = xstrndup(p, len);
        form_wrap(line, width, indent_of(line, width), &lines, n);
        free(line);
        p += len + (p[len] == '\n');
    }
    return lines;
}

size_t form_textbox_page(const form_state *st)
{
    size_t h = st->vp.text_height, q = st->box.question ? 2 : 0;
    return h > q + 1 ? h - q : 1;
}

bool form_textbox_scroll(form_state *st, form_action a)
{
    size_t total;
    char **lines = form_textbox_lines(st, &total);
    form_lines_free(lines, total);
    return form_scroll(&st->box.top, a, total, form_textbox_page(st));
}
