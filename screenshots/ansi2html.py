#!/usr/bin/env python3
"""A tmux capture (`capture-pane -e -p -N`) as an HTML page that looks like
the terminal, and that page as a PNG through headless Chromium.

    ansi2html.py COLS ROWS < capture > page.html
    ansi2html.py COLS ROWS --png out.png < capture

The grid is kept exactly: every run of cells with the same look is placed
at its column, so a glyph the font lacks cannot shift the rest of the row.
Colours are xterm's: the 16 ANSI colours of its default resources, the
6x6x6 cube and the grey ramp for 256 colours, 24-bit colours as given;
bold also brightens colours 0..7 (xterm's boldColors), dim takes two
thirds of each component of the foreground (as xterm does), reverse swaps
foreground and background. The default colours are light grey on black
(xterm -rv). A visible cursor is a reversed cell. The font is DejaVu Sans
Mono, whose box-drawing characters join up when a row is no taller than
the font's own height (ascent + descent): the rows here are that height
rounded down, so vertical lines overlap by a fraction of a pixel instead
of leaving gaps.
"""
import html
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata

XTERM16 = [
    "#000000", "#cd0000", "#00cd00", "#cdcd00", "#0000ee", "#cd00cd", "#00cdcd", "#e5e5e5",
    "#7f7f7f", "#ff0000", "#00ff00", "#ffff00", "#5c5cff", "#ff00ff", "#00ffff", "#ffffff",
]
DEFAULT_FG = "#e5e5e5"
DEFAULT_BG = "#000000"
FONT_DIR = "/usr/share/fonts/truetype/dejavu"
FONT_SIZE = 16
# DejaVu Sans Mono: advance 1233, ascent 1901, descent 483 (units per em 2048)
ADVANCE = 1233 / 2048
HEIGHT = (1901 + 483) / 2048
PAD = 12

# DEC special graphics (ESC ( 0, or SO while G1 holds it), as tmux replays it
DEC_GRAPHICS = {
    "`": "◆", "a": "▒", "f": "°", "g": "±", "j": "┘", "k": "┐", "l": "┌", "m": "└",
    "n": "┼", "o": "⎺", "p": "⎻", "q": "─", "r": "⎼", "s": "⎽", "t": "├", "u": "┤",
    "v": "┴", "w": "┬", "x": "│", "y": "≤", "z": "≥", "{": "π", "|": "≠", "}": "£", "~": "·",
}


def color256(n):
    if n < 16:
        return XTERM16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    g = 8 + 10 * (n - 232)
    return "#%02x%02x%02x" % (g, g, g)


def mix(a, b, t):
    """A colour T of the way from A to B."""
    ca = [int(a[i:i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i:i + 2], 16) for i in (1, 3, 5)]
    return "#%02x%02x%02x" % tuple(round(x + (y - x) * t) for x, y in zip(ca, cb))


class Attr:
    __slots__ = ("fg", "bg", "bold", "dim", "italic", "underline", "blink", "reverse",
                 "hidden", "strike", "overline")

    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = None  # None: default; int: palette index; str: "#rrggbb"
        self.bg = None
        self.bold = self.dim = self.italic = self.underline = self.blink = False
        self.reverse = self.hidden = self.strike = self.overline = False

    def key(self):
        return tuple(getattr(self, k) for k in self.__slots__)

    def copy(self):
        a = Attr()
        for k in self.__slots__:
            setattr(a, k, getattr(self, k))
        return a

    def sgr(self, params):
        """Apply one SGR parameter list (strings, ':' sub-parameters kept)."""
        i = 0
        ps = params or ["0"]
        while i < len(ps):
            p = ps[i]
            sub = p.split(":")
            n = int(sub[0]) if sub[0] else 0
            if n == 0:
                self.reset()
            elif n == 1:
                self.bold = True
            elif n == 2:
                self.dim = True
            elif n == 3:
                self.italic = True
            elif n == 4:
                self.underline = not (len(sub) > 1 and sub[1] == "0")
            elif n == 5 or n == 6:
                self.blink = True
            elif n == 7:
                self.reverse = True
            elif n == 8:
                self.hidden = True
            elif n == 9:
                self.strike = True
            elif n == 21:
                self.underline = True
            elif n == 22:
                self.bold = self.dim = False
            elif n == 23:
                self.italic = False
            elif n == 24:
                self.underline = False
            elif n == 25:
                self.blink = False
            elif n == 27:
                self.reverse = False
            elif n == 28:
                self.hidden = False
            elif n == 29:
                self.strike = False
            elif 30 <= n <= 37:
                self.fg = n - 30
            elif n == 39:
                self.fg = None
            elif 40 <= n <= 47:
                self.bg = n - 40
            elif n == 49:
                self.bg = None
            elif n == 53:
                self.overline = True
            elif n == 55:
                self.overline = False
            elif 90 <= n <= 97:
                self.fg = n - 90 + 8
            elif 100 <= n <= 107:
                self.bg = n - 100 + 8
            elif n in (38, 48, 58):
                # 38;5;N  38;2;R;G;B (one parameter each) or 38:5:N,
                # 38:2:R:G:B, 38:2:CS:R:G:B (sub-parameters of one)
                if len(sub) > 1:
                    args = sub[1:]
                    if args[0] == "2" and len(args) >= 5:
                        args = ["2"] + args[-3:]
                else:
                    args = ps[i + 1:i + 5] if ps[i + 1:i + 2] == ["2"] else ps[i + 1:i + 3]
                    i += len(args)
                val = None
                if len(args) >= 2 and args[0] == "5":
                    val = int(args[1] or 0)
                elif len(args) >= 4 and args[0] == "2":
                    val = "#%02x%02x%02x" % tuple(min(255, int(x or 0)) for x in args[1:4])
                if n == 38:
                    self.fg = val
                elif n == 48:
                    self.bg = val
            i += 1

    def colors(self, fg_default=DEFAULT_FG, bg_default=DEFAULT_BG, bold_bright=True):
        fg = self.fg
        if isinstance(fg, int) and self.bold and bold_bright and fg < 8:
            fg += 8
        fgc = color256(fg) if isinstance(fg, int) else (fg or fg_default)
        bgc = color256(self.bg) if isinstance(self.bg, int) else (self.bg or bg_default)
        if self.reverse:
            fgc, bgc = bgc, fgc
        if self.dim:
            fgc = mix(fgc, "#000000", 1 / 3)  # xterm: two thirds of each component
        if self.hidden:
            fgc = bgc
        return fgc, bgc


def char_width(ch):
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


class Page:
    def __init__(self, cols, rows, font_size=FONT_SIZE, bold_bright=True):
        self.cols, self.rows = cols, rows
        self.font_size = font_size
        self.bold_bright = bold_bright
        blank = Attr()
        self.grid = [[(" ", blank, 1) for _ in range(cols)] for _ in range(rows)]
        self.cw = font_size * ADVANCE
        self.ch = int(font_size * HEIGHT)  # a shade under the glyphs: lines join

    def feed(self, text):
        """Lay the capture onto the grid (one line per row)."""
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        attr = Attr()
        for y, line in enumerate(lines[:self.rows]):
            x = 0
            i = 0
            shifted = False
            g0_graphics = False
            while i < len(line):
                c = line[i]
                if c == "\x1b":
                    if i + 1 < len(line) and line[i + 1] == "[":
                        j = i + 2
                        while j < len(line) and not ("@" <= line[j] <= "~"):
                            j += 1
                        if j < len(line) and line[j] == "m":
                            body = line[i + 2:j]
                            attr = attr.copy()
                            attr.sgr(body.split(";") if body else [])
                        i = j + 1
                        continue
                    if i + 1 < len(line) and line[i + 1] == "]":
                        # OSC (hyperlinks): skip to BEL or ST
                        j = i + 2
                        while j < len(line) and line[j] != "\x07" and line[j:j + 2] != "\x1b\\":
                            j += 1
                        i = j + (1 if j < len(line) and line[j] == "\x07" else 2)
                        continue
                    if i + 2 < len(line) and line[i + 1] == "(":
                        g0_graphics = line[i + 2] == "0"
                        i += 3
                        continue
                    i += 2
                    continue
                if c == "\x0e":
                    shifted = True
                    i += 1
                    continue
                if c == "\x0f":
                    shifted = False
                    i += 1
                    continue
                if (shifted or g0_graphics) and c in DEC_GRAPHICS:
                    c = DEC_GRAPHICS[c]
                i += 1
                w = char_width(c)
                if w == 0:
                    if x > 0:
                        pc, pa, pw = self.grid[y][x - 1]
                        self.grid[y][x - 1] = (pc + c, pa, pw)
                    continue
                if x + w > self.cols:
                    break
                self.grid[y][x] = (c, attr, w)
                if w == 2:
                    self.grid[y][x + 1] = ("", attr, 0)
                x += w

    def cursor(self, x, y):
        """Show a block cursor at column X, row Y."""
        if 0 <= y < self.rows and 0 <= x < self.cols:
            c, a, w = self.grid[y][x]
            a = a.copy()
            a.reverse = not a.reverse
            self.grid[y][x] = (c, a, w)

    def size(self):
        return (int(self.cols * self.cw + 0.999) + 2 * PAD, self.rows * self.ch + 2 * PAD)

    def runs(self, y):
        """(x, width in cells, text, attr) runs of row Y. A run is one look;
        characters outside ASCII and the box-drawing block stand alone."""
        row = self.grid[y]
        out = []
        x = 0
        while x < self.cols:
            c, a, w = row[x]
            if w == 0:
                x += 1
                continue
            alone = w != 1 or not (c.isascii() or "\u2500" <= c[0] <= "\u259f") or len(c) > 1
            n = w
            text = c
            if not alone:
                while x + n < self.cols:
                    c2, a2, w2 = row[x + n]
                    if w2 != 1 or a2.key() != a.key() or len(c2) != 1 or not (
                            c2.isascii() or "\u2500" <= c2 <= "\u259f"):
                        break
                    text += c2
                    n += 1
            out.append((x, n, text, a))
            x += n
        return out

    def html(self, title="esmcfg"):
        W, H = self.size()
        fs, cw, ch = self.font_size, self.cw, self.ch
        css = """
@font-face { font-family: "T"; font-weight: normal; font-style: normal;
  src: local("DejaVu Sans Mono"), url("file://%(d)s/DejaVuSansMono.ttf"); }
@font-face { font-family: "T"; font-weight: bold; font-style: normal;
  src: local("DejaVu Sans Mono Bold"), url("file://%(d)s/DejaVuSansMono-Bold.ttf"); }
@font-face { font-family: "T"; font-weight: normal; font-style: italic;
  src: local("DejaVu Sans Mono Oblique"), url("file://%(d)s/DejaVuSansMono-Oblique.ttf"); }
@font-face { font-family: "T"; font-weight: bold; font-style: italic;
  src: local("DejaVu Sans Mono Bold Oblique"),
       url("file://%(d)s/DejaVuSansMono-BoldOblique.ttf"); }
html, body { margin: 0; padding: 0; background: %(bg)s; overflow: hidden; }
#t { position: relative; width: %(w)dpx; height: %(h)dpx; color: %(fg)s; }
#t span { position: absolute; height: %(ch)dpx; line-height: %(ch)dpx; white-space: pre;
  font-family: "T", "DejaVu Sans Mono", monospace; font-size: %(fs)dpx;
  font-kerning: none; font-variant-ligatures: none; font-synthesis: none;
  overflow: visible; }
""" % {"d": FONT_DIR, "bg": DEFAULT_BG, "fg": DEFAULT_FG, "w": W, "h": H, "ch": ch, "fs": fs}
        parts = []
        for y in range(self.rows):
            for x, n, text, a in self.runs(y):
                fg, bg = a.colors(bold_bright=self.bold_bright)
                style = ["left:%.3fpx" % (PAD + x * cw), "top:%dpx" % (PAD + y * ch),
                         "width:%.3fpx" % (n * cw)]
                if bg != DEFAULT_BG:
                    style.append("background:%s" % bg)
                if text.strip() and fg != DEFAULT_FG:
                    style.append("color:%s" % fg)
                elif text.strip():
                    style.append("color:%s" % DEFAULT_FG)
                if a.bold:
                    style.append("font-weight:bold")
                if a.italic:
                    style.append("font-style:italic")
                deco = [d for d, on in (("underline", a.underline), ("line-through", a.strike),
                                        ("overline", a.overline)) if on]
                if deco:
                    style.append("text-decoration:%s;text-decoration-color:%s" %
                                 (" ".join(deco), fg))
                    style.append("text-underline-offset:2px")
                if bg == DEFAULT_BG and not text.strip() and not deco:
                    continue
                parts.append('<span style="%s">%s</span>' % (";".join(style), html.escape(text)))
            parts.append("\n")
        return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s</title>"
                "<style>%s</style></head>\n<body><div id=\"t\">\n%s</div></body></html>\n" %
                (html.escape(title), css, "".join(parts)))


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        p = shutil.which(name)
        if p:
            return p
    raise RuntimeError("no chromium (apt-get install chromium)")


def screenshot(html_path, png_path, page, tmp=None):
    """HTML_PATH as PNG_PATH, the window the size of the page's grid."""
    W, H = page.size()
    profile = tempfile.mkdtemp(prefix="chromium-", dir=tmp)
    try:
        cmd = [chromium(), "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--disable-extensions", "--disable-default-apps",
               "--hide-scrollbars", "--force-device-scale-factor=1",
               "--font-render-hinting=none", "--virtual-time-budget=3000",
               "--user-data-dir=" + profile, "--screenshot=" + os.path.abspath(png_path),
               "--window-size=%d,%d" % (W, H), "file://" + os.path.abspath(html_path)]
        if os.geteuid() == 0:
            cmd.insert(2, "--no-sandbox")
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=120)
        if r.returncode != 0 or not os.path.exists(png_path):
            raise RuntimeError("chromium failed (%d): %s" % (r.returncode, r.stderr[-2000:]))
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    page = Page(int(argv[1]), int(argv[2]))
    page.feed(sys.stdin.read())
    doc = page.html()
    if len(argv) >= 5 and argv[3] == "--png":
        tmp = tempfile.mkdtemp()
        try:
            path = os.path.join(tmp, "page.html")
            with open(path, "w", encoding="utf-8") as f:
                f.write(doc)
            screenshot(path, argv[4], page, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    else:
        sys.stdout.write(doc)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
