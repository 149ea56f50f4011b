/* libFuzzer target: --load and --check on arbitrary documents (exports,
 * templates, get-event-source-mapping output). A mapping that loads must
 * render in every format without crashing. */
#include <stdint.h>
#include <stdlib.h>

#include "export/export.h"
#include "export/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    load_options o = {.source = "fuzz"};
    load_report r = {0};
    mapping *m = mapping_new();
    if (load_mapping((const char *)data, size, &o, m, NULL, &r) == LOAD_OK) {
        for (int f = 0; f < FMT_COUNT; f++) {
            char *err = NULL;
            free(export_render(m, (export_format)f, &err));
            free(err);
        }
    }
    mapping_free(m);
    load_report_free(&r);
    load_report r2 = {0};
    load_check((const char *)data, size, &o, NULL, &r2);
    load_report_free(&r2);
    return 0;
}
