/* The preview pane: the exact export, scrolled, or what must be fixed. */
#include <stdlib.h>
#include <string.h>

#include "model/util.h"
#include "tui/draw.h"

/* Line LI of the preview (a pointer into it) and its length. */
static const char *nth_line(const char *text, size_t li, size_t *len)
{
    const char *p = text;
    for (size_t i = 0; i < li && p; i++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    if (!p) {
        *len = 0;
        return "";
    }
    const char *nl = strchr(p, '\n');
    *len = nl ? (size_t)(nl - p) : strlen(p);
    return p;
}

/* Skip COLS columns of UTF-8 S (whole characters). */
static const char *skip_columns(const char *s, size_t cols)
{
    while (*s && cols > 0) {
        size_t n = 1;
        while ((s[n] & 0xC0) == 0x80)
            n++;
        char *one = xstrndup(s, n);
        size_t w = tui_text_width(one);
        free(one);
        cols = w > cols ? 0 : cols - w;
        s += n;
    }
    return s;
}

/* One preview line at Y, scrolled sideways; a marker where it goes on. */
static void draw_line(tui_ui *ui, WINDOW *w, int y, int width, const char *line, size_t left,
                      tui_el el)
{
    char *shown = str_escape_display(line);
    size_t full = tui_text_width(shown);
    const char *from = skip_columns(shown, left);
    int x = 2;
    if (left > 0 && full > left) {
        tui_put(ui, w, y, x, "<", 1, EL_DEFAULT);
        x++;
        width--;
    }
    tui_put(ui, w, y, x, from, width, el);
    free(shown);
}

void tui_draw_preview(tui_ui *ui, const form_state *st)
{
    WINDOW *w = ui->preview;
    werase(w);
    size_t h = st->vp.preview_height;
    char *title = st->preview_ok ? xasprintf("Preview: %s", export_format_title(st->fmt))
                                 : xstrdup("Preview: not exportable yet");
    char *note = NULL;
    if (st->preview_lines > h)
        note = xasprintf("%zu-%zu of %zu", st->preview_top + 1,
                         st->preview_top + h < st->preview_lines ? st->preview_top + h
                                                                 : st->preview_lines,
                         st->preview_lines);
    tui_box(ui, w, title, note, st->mode == FM_PREVIEW && ui->wide);
    free(title);
    free(note);
    int width = getmaxx(w) - 3;
    if (!st->preview_ok) {
        tui_put_wrapped(ui, w, 1, 2, width - 1, (int)h, st->preview, EL_NORMAL);
        return;
    }
    for (size_t i = 0; i < h && st->preview_top + i < st->preview_lines; i++) {
        size_t len;
        const char *p = nth_line(st->preview, st->preview_top + i, &len);
        char *line = xstrndup(p, len);
        draw_line(ui, w, (int)i + 1, width, line, st->preview_left, EL_NORMAL);
        free(line);
    }
}
