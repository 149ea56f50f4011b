/* libFuzzer target: every value parser of the option table, the ARN and
 * function parsers and the display escaping, on arbitrary bytes. The first
 * byte picks the option row. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/mapping.h"

/* Parse TEXT as option ROW, format it back and parse that again. */
static void parse_row(const opt_def *d, const char *text)
{
    opt_value v;
    char *err = NULL;
    if (opt_parse(d, text, &v, &err) == 0) {
        char *shown = opt_format(d, &v);
        char *edit = opt_edit_text(d, &v);
        opt_value again;
        char *err2 = NULL;
        /* What the form offers to edit must parse back to the same value. */
        if (d->type != OPT_T_PATTERNS && opt_parse(d, edit, &again, &err2) == 0) {
            if (!opt_value_equal(&v, &again))
                abort();
            opt_value_clear(&again);
        }
        free(err2);
        free(shown);
        free(edit);
        opt_value_clear(&v);
    }
    free(err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const opt_def *d = opt_get((opt_id)(data[0] % OPT_COUNT));
    char *text = xstrndup((const char *)data + 1, size - 1);
    parse_row(d, text);
    arn_parts a;
    char *err = NULL;
    arn_parse(text, &a, &err);
    free(err);
    err = NULL;
    value_parse_function(text, &a, &err);
    free(err);
    free(str_escape_display(text));
    free(text);
    return 0;
}
