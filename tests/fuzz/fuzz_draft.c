/* libFuzzer target: reading a draft (export/draft.c), which a crash or a
 * person may have left damaged. A draft that reads must render and read
 * back as the same mapping. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "export/draft.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mapping *m = mapping_new();
    char *err = NULL;
    time_t at = 0;
    if (draft_parse((const char *)data, size, m, &at, &err) == 0) {
        char *text = draft_render(m, at);
        mapping *again = mapping_new();
        char *err2 = NULL;
        if (draft_parse(text, strlen(text), again, NULL, &err2) != 0 || !mapping_equal(m, again))
            abort();
        mapping_free(again);
        free(text);
    } else if (!err) {
        abort();
    }
    free(err);
    mapping_free(m);
    return 0;
}
