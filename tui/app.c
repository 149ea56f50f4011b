/* The terminal's lifecycle and the main loop: the screen goes to /dev/tty
 * (newterm) so stdout stays free for the export; keys are read, turned
 * into actions through the key table, applied to the form state, and the
 * frame is drawn. The terminal is restored on exit and on fatal signals. */
#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>

#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/tui.h"

enum { NO_KEY = 0, RESIZED = -2, TTY_GONE = -3 };

enum { N_FATAL = 3 };
static const int fatal_signals[N_FATAL] = {SIGINT, SIGTERM, SIGHUP};
static struct sigaction old_actions[N_FATAL];

/* Restore the terminal, then die of SIG as if we had not caught it. */
static void on_fatal_signal(int sig)
{
    endwin();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Catch the signals that end the process, to restore the terminal first. */
static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < N_FATAL; i++)
        sigaction(fatal_signals[i], &sa, &old_actions[i]);
}

/* Put back the handlers that were there before. */
static void release_signals(void)
{
    for (size_t i = 0; i < N_FATAL; i++)
        sigaction(fatal_signals[i], &old_actions[i], NULL);
}

/* curses function and cursor keys as TK_ codes. */
static unsigned from_curses(wint_t k)
{
    static const struct {
        int curses;
        unsigned tk;
    } map[] = {
        {KEY_UP, TK_UP},       {KEY_DOWN, TK_DOWN},
        {KEY_LEFT, TK_LEFT},   {KEY_RIGHT, TK_RIGHT},
        {KEY_HOME, TK_HOME},   {KEY_END, TK_END},
        {KEY_PPAGE, TK_PGUP},  {KEY_NPAGE, TK_PGDN},
        {KEY_BTAB, TK_BTAB},   {KEY_BACKSPACE, TK_BACKSPACE},
        {KEY_DC, TK_DC},       {KEY_IC, TK_IC},
        {KEY_ENTER, TK_ENTER}, {KEY_F(1), TK_F1},
        {KEY_F(2), TK_F2},     {KEY_F(3), TK_F3},
        {KEY_F(4), TK_F4},     {KEY_F(10), TK_F10},
        {KEY_A1, TK_HOME},     {KEY_C1, TK_END},
        {KEY_A3, TK_PGUP},     {KEY_C3, TK_PGDN},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if ((wint_t)map[i].curses == k)
            return map[i].tk;
    return NO_KEY;
}

/* Escape sequences terminals send that a terminfo entry may not list
 * (tmux sends xterm-style keys whatever TERM says). */
static const struct {
    const char *seq;
    unsigned tk;
} extra_keys[] = {
    {"[A", TK_UP},   {"[B", TK_DOWN},  {"[C", TK_RIGHT}, {"[D", TK_LEFT}, {"OA", TK_UP},
    {"OB", TK_DOWN}, {"OC", TK_RIGHT}, {"OD", TK_LEFT},  {"[H", TK_HOME}, {"[F", TK_END},
    {"OH", TK_HOME}, {"OF", TK_END},   {"[1~", TK_HOME}, {"[4~", TK_END}, {"[7~", TK_HOME},
    {"[8~", TK_END}, {"[5~", TK_PGUP}, {"[6~", TK_PGDN}, {"[3~", TK_DC},  {"[2~", TK_IC},
    {"[Z", TK_BTAB}, {"OP", TK_F1},    {"OQ", TK_F2},    {"OR", TK_F3},   {"OS", TK_F4},
    {"[11~", TK_F1}, {"[12~", TK_F2},  {"[13~", TK_F3},  {"[14~", TK_F4}, {"[21~", TK_F10},
    {"[[A", TK_F1},  {"[[B", TK_F2},   {"[[C", TK_F3},   {"[[D", TK_F4},
};

/* After Esc: a known sequence is its key, an unknown one is swallowed
 * whole so its bytes never reach a field; Esc alone (or before an
 * ordinary key) is Esc. */
static unsigned after_escape(void)
{
    char seq[16];
    size_t n = 0;
    wint_t c;
    nodelay(stdscr, TRUE);
    int r;
    while (n < sizeof seq - 1 && (r = get_wch(&c)) != ERR) {
        if (n == 0 && (r == KEY_CODE_YES || (c != '[' && c != 'O'))) {
            /* Esc, then another key typed quickly: both count */
            if (r == KEY_CODE_YES)
                ungetch((int)c);
            else
                unget_wch((wchar_t)c);
            break;
        }
        seq[n++] = (char)c;
        bool intro = n == 1 ? (c == '[' || c == 'O') : (n == 2 && seq[0] == '[' && c == '[');
        if (!intro && (n == 1 || (c >= 0x40 && c <= 0x7e)))
            break;
    }
    nodelay(stdscr, FALSE);
    seq[n] = '\0';
    if (n == 0)
        return TK_ESC;
    for (size_t i = 0; i < sizeof extra_keys / sizeof extra_keys[0]; i++)
        if (strcmp(seq, extra_keys[i].seq) == 0)
            return extra_keys[i].tk;
    return NO_KEY;
}

/* One key as a TK_ code or character; RESIZED or TTY_GONE. */
static int read_key(void)
{
    static int errors;
    wint_t c;
    int r = get_wch(&c);
    if (r == ERR)
        return ++errors > 50 ? TTY_GONE : NO_KEY;
    errors = 0;
    if (r == KEY_CODE_YES)
        return c == KEY_RESIZE ? RESIZED : (int)from_curses(c);
    switch (c) {
    case 27:
        return (int)after_escape();
    case '\r':
    case '\n':
        return TK_ENTER;
    case 127:
    case 8:
        return TK_BACKSPACE;
    default:
        return (int)c;
    }
}

/* Turn off XON/XOFF so Ctrl-S and Ctrl-Q reach the program. */
static void no_flow_control(FILE *tty)
{
    struct termios t;
    if (tcgetattr(fileno(tty), &t) == 0) {
        t.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
        tcsetattr(fileno(tty), TCSANOW, &t);
        def_prog_mode();
    }
}

/* True when colour is wanted and the terminal has it. */
static bool want_color(const tui_options *opts)
{
    const char *nc = getenv("NO_COLOR");
    if (opts->no_color || (nc && *nc) || !has_colors())
        return false;
    start_color();
    use_default_colors();
    return true;
}

/* Read keys and draw until the person is done; returns the exit code. */
static int main_loop(tui_ui *ui, form_state *st)
{
    tui_layout(ui, st);
    for (;;) {
        tui_draw(ui, st);
        int k = read_key();
        if (k == TTY_GONE)
            return 4;
        if (k == RESIZED) {
            tui_layout(ui, st);
            continue;
        }
        if (k == NO_KEY)
            continue;
        form_action a = tui_key_action(tui_key_context(st), (unsigned)k);
        if (ui->too_small && a != ACT_QUIT && a != ACT_YES && a != ACT_NO)
            continue;
        form_apply(st, a, (unsigned)k);
        if (st->done)
            return st->exit_code;
    }
}

/* Set the terminal up on TTY; NULL when curses cannot use it. */
static SCREEN *start_screen(FILE *tty)
{
    SCREEN *scr = newterm(NULL, tty, tty);
    if (!scr)
        return NULL;
    set_term(scr);
    set_escdelay(25);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    intrflush(stdscr, FALSE);
    no_flow_control(tty);
    curs_set(0);
    /* stdscr stays blank and untouched: get_wch refreshes it otherwise */
    refresh();
    return scr;
}

int tui_run(mapping *m, const tui_options *opts, tui_result *res)
{
    res->document = NULL;
    FILE *tty = fopen("/dev/tty", "r+");
    if (!tty) {
        fputs("esmcfg: no terminal: use --batch\n", stderr);
        return 4;
    }
    setlocale(LC_ALL, "");
    bool utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
    SCREEN *scr = start_screen(tty);
    if (!scr) {
        const char *term = getenv("TERM");
        fprintf(stderr, "esmcfg: cannot drive the terminal (TERM=%s): use --batch\n",
                term ? term : "");
        fclose(tty);
        return 4;
    }
    catch_signals();
    tui_ui ui;
    tui_ui_init(&ui, utf8, want_color(opts));
    form_state st;
    form_init(&st, m, opts->inv, opts->format, opts->output_path, opts->focus);
    int code = main_loop(&ui, &st);
    tui_ui_free(&ui);
    endwin();
    delscreen(scr);
    release_signals();
    fclose(tty);
    if (code == 4)
        fputs("esmcfg: lost the terminal\n", stderr);
    res->document = st.document;
    st.document = NULL;
    form_free(&st);
    return code;
}
