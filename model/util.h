/* Small allocation and string helpers shared by every module. Allocation
 * failure aborts: there is nothing sensible to do without memory. */
#ifndef ESMCFG_MODEL_UTIL_H
#define ESMCFG_MODEL_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* printf into a new allocation. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same with a va_list (left unused for the caller's va_end). */
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* strdup that aborts on out of memory; NULL stays NULL. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);

/* A growable string. */
typedef struct strbuf {
    char *s;
    size_t len, cap;
} strbuf;
void sb_add(strbuf *b, const char *s);
void sb_addn(strbuf *b, const char *s, size_t n);
void sb_addf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Take the string out (never NULL); the buffer is empty afterwards. */
char *sb_take(strbuf *b);

/* Copy of S with control characters, DEL, C1 controls and invalid UTF-8
 * shown as escapes (\n, \x1b, \u009b, \xff), so a name from AWS or a file
 * can never move the cursor or change the terminal. Caller frees. */
char *str_escape_display(const char *s);

/* Read a whole file (at most max_bytes) into a NUL-terminated allocation.
 * Returns NULL with *err set ("PATH: reason"). */
char *file_read_all(const char *path, size_t max_bytes, size_t *len, char **err);

#endif
