/* The preview pane: the exact export, scrolled, or what must be fixed. */
#include <stdlib.h>
#include <string.h>

#include "model/util.h"
#include "tui/draw.h"

/* Line LI of the preview (a pointer into it), or NULL past its end. */
static const char *nth_line(const char *text, size_t li)
{
    const char *p = text;
    for (size_t i = 0; i < li && p; i++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
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
    size_t h = st->vp.preview_height;
    char *title = st->preview_ok ? xasprintf("Preview: %s", export_format_title(st->fmt))
                                 : xstrdup("Preview: not exportable yet");
    char *note = NULL;
    if (st->preview_lines > h)
        note = xasprintf("%zu-%zu of %zu", st->preview_top + 1,
                         st->preview_top + h < st->preview_lines ? st->preview_top + h
                                                                 : st->preview_lines,
                         st->preview_lines);
    bool focus = st->mode == FM_PREVIEW && ui->wide;
    /* the box, the text and each line only when what it shows changed */
    tui_hash k = tui_hash_num(tui_hash_str(tui_hash_str(TUI_HASH_START, title), note), focus);
    if (k != ui->drawn.preview) {
        ui->drawn.preview = k;
        tui_box(ui, w, title, note, focus);
    }
    free(title);
    free(note);
    int width = getmaxx(w) - 3;
    if (!st->preview_ok) {
        k = tui_hash_str(TUI_HASH_START, st->preview);
        if (k != ui->drawn.preview_body) {
            ui->drawn.preview_body = k;
            memset(ui->drawn.preview_rows, 0, ui->drawn.n_rows * sizeof *ui->drawn.preview_rows);
            for (size_t i = 0; i < h; i++)
                tui_fill(ui, w, (int)i + 1, 1, width + 1, EL_NORMAL);
            tui_put_wrapped(ui, w, 1, 2, width - 1, (int)h, st->preview, EL_NORMAL);
        }
        return;
    }
    if (ui->drawn.preview_body != TUI_HASH_NONE) {
        /* the text that was there instead */
        ui->drawn.preview_body = TUI_HASH_NONE;
        memset(ui->drawn.preview_rows, 0, ui->drawn.n_rows * sizeof *ui->drawn.preview_rows);
    }
    const char *p = nth_line(st->preview, st->preview_top);
    for (size_t i = 0; i < h && i < ui->drawn.n_rows; i++) {
        char *line = NULL;
        if (p && st->preview_top + i < st->preview_lines) {
            const char *nl = strchr(p, '\n');
            line = xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));
            p = nl ? nl + 1 : NULL;
        }
        k = tui_hash_num(tui_hash_str(TUI_HASH_START, line), (long long)st->preview_left);
        if (k != ui->drawn.preview_rows[i]) {
            ui->drawn.preview_rows[i] = k;
            tui_fill(ui, w, (int)i + 1, 1, width + 1, EL_NORMAL);
            if (line)
                draw_line(ui, w, (int)i + 1, width, line, st->preview_left, EL_NORMAL);
        }
        free(line);
    }
}
