/* The terminal's lifecycle and the main loop: the screen goes to /dev/tty
 * (newterm) so stdout stays free for the export; keys are read, turned
 * into actions through the key table, applied to the form state, and the
 * frame is drawn. The terminal is restored on exit, on the signals that
 * end a process and on crashes; SIGHUP and SIGTERM save the draft first. */
#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "export/draft.h"
#include "model/util.h"
#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/tui.h"

/* Last: its capability macros (lines, columns, ...) must not reach the headers above. */
#include <term.h>

enum { NO_KEY = 0, RESIZED = -2, TTY_GONE = -3 };

/* How long a key is waited for while discovery runs, in milliseconds. */
enum { BUSY_WAIT_MS = 100 };

/* The signals that end the process (with a draft saved for SIGHUP and
 * SIGTERM), and those of a crash. */
enum { N_FATAL = 9, N_KEPT = N_FATAL + 2 };
static const int fatal_signals[N_KEPT] = {SIGINT, SIGTERM, SIGHUP,  SIGQUIT, SIGSEGV, SIGBUS,
                                          SIGFPE, SIGILL,  SIGABRT, SIGTSTP, SIGWINCH};
/* Every handler from before the screen (ncurses adds its own for SIGINT,
 * SIGTERM, SIGTSTP and SIGWINCH), put back when the screen is gone. */
static struct sigaction old_actions[N_KEPT];

/* What the handlers need, made before they can run: the terminal's file
 * descriptor and modes from before the screen, and the bytes that put the
 * terminal's display back (attributes, cursor, keypad, alternate screen). */
static int restore_fd = -1;
static struct termios restore_modes;
static char restore_seq[256];
static size_t restore_len;

/* Append terminfo string capability NAME to the restore bytes, without
 * its padding ($<5>), which only tputs understands. */
static void add_restore_cap(const char *name)
{
    const char *cap = tigetstr(name);
    if (!cap || cap == (const char *)-1)
        return;
    for (const char *p = cap; *p; p++) {
        if (p[0] == '$' && p[1] == '<' && strchr(p, '>')) {
            p = strchr(p, '>');
            continue;
        }
        if (restore_len + 1 < sizeof restore_seq)
            restore_seq[restore_len++] = *p;
    }
}

/* Remember how to give the terminal FD back from a signal handler. */
static void prepare_restore(int fd, const struct termios *modes)
{
    restore_fd = fd;
    restore_modes = *modes;
    restore_len = 0;
    add_restore_cap("sgr0");
    add_restore_cap("cnorm");
    add_restore_cap("rmkx");
    add_restore_cap("rmcup");
}

/* From a handler: the terminal's modes and display as they were (only
 * write and tcsetattr, which are async-signal-safe). */
static void restore_terminal_now(void)
{
    if (restore_fd < 0)
        return;
    if (restore_len > 0) {
        ssize_t w = write(restore_fd, restore_seq, restore_len);
        (void)w;
    }
    tcsetattr(restore_fd, TCSADRAIN, &restore_modes);
}

/* Save the draft (SIGHUP, SIGTERM), restore the terminal, then die of SIG
 * as if it had not been caught. */
static void on_fatal_signal(int sig)
{
    int saved_errno = errno;
    if (sig == SIGHUP || sig == SIGTERM)
        draft_signal_save();
    restore_terminal_now();
    signal(sig, SIG_DFL);
    errno = saved_errno;
    raise(sig);
}

/* Remember the handlers from before the screen. */
static void keep_signals(void)
{
    for (size_t i = 0; i < N_KEPT; i++)
        sigaction(fatal_signals[i], NULL, &old_actions[i]);
}

/* Catch the signals that end the process, to restore the terminal first;
 * a signal the process was started ignoring (nohup, a background job)
 * stays ignored. */
static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < N_FATAL; i++)
        sigaddset(&sa.sa_mask, fatal_signals[i]);
    for (size_t i = 0; i < N_FATAL; i++)
        if (old_actions[i].sa_handler != SIG_IGN)
            sigaction(fatal_signals[i], &sa, NULL);
}

/* Put back the handlers that were there before the screen. */
static void release_signals(void)
{
    for (size_t i = 0; i < N_KEPT; i++)
        sigaction(fatal_signals[i], &old_actions[i], NULL);
    restore_fd = -1;
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
        {KEY_F(4), TK_F4},     {KEY_F(5), TK_F5},
        {KEY_F(6), TK_F6},     {KEY_F(7), TK_F7},
        {KEY_F(10), TK_F10},   {KEY_A1, TK_HOME},
        {KEY_C1, TK_END},      {KEY_A3, TK_PGUP},
        {KEY_C3, TK_PGDN},
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
    {"[[A", TK_F1},  {"[[B", TK_F2},   {"[[C", TK_F3},   {"[[D", TK_F4},  {"[15~", TK_F5},
    {"[[E", TK_F5},  {"Ot", TK_F5},    {"Ox", TK_F10},   {"[17~", TK_F6}, {"[18~", TK_F7},
    {"Ou", TK_F6},   {"Ov", TK_F7},
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

/* Milliseconds on the monotonic clock. */
static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One key as a TK_ code or character, waiting at most WAIT_MS (-1: until
 * one comes); NO_KEY when none came, RESIZED, or TTY_GONE when reading
 * keeps failing at once (the terminal was closed). */
static int read_key(int wait_ms)
{
    static int errors;
    wint_t c;
    timeout(wait_ms);
    long start = now_ms();
    int r = get_wch(&c);
    if (r == ERR && wait_ms >= 0 && now_ms() - start >= wait_ms / 2) {
        errors = 0; /* the wait ran out */
        return NO_KEY;
    }
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

/* NOTICE (one failure a line) in the message line, as one line. */
static void show_notice(form_state *st, const char *notice)
{
    char *one = xstrdup(notice);
    size_t n = strlen(one);
    while (n > 0 && one[n - 1] == '\n')
        one[--n] = '\0';
    strbuf b = {0};
    for (char *p = one; *p; p++) {
        if (*p == '\n')
            sb_add(&b, "; ");
        else
            sb_addn(&b, p, 1);
    }
    free(one);
    char *text = sb_take(&b);
    free(st->status);
    st->status = text;
    st->status_level = MSG_ERROR;
}

/* Whether action A may be taken on a screen too small to show the state:
 * quitting, and the questions the too-small note itself asks. */
static bool answers_unseen(const form_state *st, form_action a)
{
    bool asked = st->mode == FM_QUIT || st->mode == FM_RESTORE;
    return a == ACT_QUIT || (asked && (a == ACT_YES || a == ACT_NO));
}

/* The AWS CLI is waited for: the frame says so first, and keys typed
 * meanwhile are dropped (a y meant for nothing must not answer the plan). */
static void ask_aws(tui_ui *ui, form_state *st)
{
    tui_draw(ui, st);
    form_aws_continue(st);
    flushinp();
}

/* Read keys and draw until the person is done; returns the exit code.
 * While discovery runs, keys are waited for briefly and discovery gets a
 * step between them. */
static int main_loop(tui_ui *ui, form_state *st)
{
    tui_layout(ui, st);
    for (;;) {
        tui_draw(ui, st);
        bool busy = form_discover_running(st);
        int k = read_key(busy ? BUSY_WAIT_MS : -1);
        if (busy)
            form_discover_tick(st);
        if (k == TTY_GONE)
            return 4;
        if (k == RESIZED) {
            tui_layout(ui, st);
            continue;
        }
        if (k == NO_KEY)
            continue;
        form_action a = tui_key_action(tui_key_context(st), (unsigned)k);
        if (ui->too_small && !answers_unseen(st, a))
            continue;
        form_apply(st, a, (unsigned)k);
        if (st->done)
            return st->exit_code;
        if (form_aws_waiting(st))
            ask_aws(ui, st);
    }
}

/* Whether the terminal type TERM can draw the screen: known to terminfo
 * and able to move the cursor. Otherwise the message is printed. */
static bool term_can_draw(const char *term, int fd)
{
    const char *fix = "use --batch, or set TERM (e.g. xterm)";
    if (!term || !*term) {
        fprintf(stderr, "esmcfg: TERM is not set, so the screen cannot be drawn: %s\n", fix);
        return false;
    }
    char *shown = str_escape_display(term);
    int err = 0;
    bool ok = false;
    if (setupterm(term, fd, &err) != OK) {
        if (err == -1)
            fprintf(stderr, "esmcfg: no terminfo database: the screen cannot be drawn: %s\n", fix);
        else
            fprintf(stderr,
                    "esmcfg: terminal type '%s' is not known here (no terminfo entry): %s\n", shown,
                    fix);
    } else {
        const char *cup = tigetstr("cup");
        ok = cup && cup != (const char *)-1;
        if (!ok)
            fprintf(stderr,
                    "esmcfg: terminal type '%s' cannot draw the screen (it cannot move the "
                    "cursor): %s\n",
                    shown, fix);
        del_curterm(cur_term);
    }
    free(shown);
    return ok;
}

/* Set the terminal up on TTY; NULL when curses cannot use it. SHELL:
 * the terminal's modes before (newterm changes some), for the handlers. */
static SCREEN *start_screen(FILE *tty, const struct termios *shell)
{
    SCREEN *scr = newterm(NULL, tty, tty);
    if (!scr)
        return NULL;
    set_term(scr);
    if (shell)
        prepare_restore(fileno(tty), shell);
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
    keep_signals();
    struct termios shell;
    bool have_modes = tcgetattr(fileno(tty), &shell) == 0;
    SCREEN *scr = term_can_draw(getenv("TERM"), fileno(tty))
                      ? start_screen(tty, have_modes ? &shell : NULL)
                      : NULL;
    if (!scr) {
        fclose(tty);
        return 4;
    }
    catch_signals();
    tui_ui ui;
    tui_ui_init(&ui, utf8, want_color(opts));
    form_state st;
    form_init(&st, m, opts->inv, opts->format, opts->output_path, opts->focus);
    form_set_sources(&st, opts->merge_into, opts->merge_source);
    form_discover_setup(&st, opts->discover, opts->discover_ctx);
    form_aws_setup(&st, opts->apply, opts->apply_ctx);
    form_draft_start(&st, opts->restore);
    if (opts->notice && *opts->notice)
        show_notice(&st, opts->notice);
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
