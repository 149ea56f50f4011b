/* libFuzzer target: --merge-into on arbitrary templates (JSON or YAML). A
 * merge either fails with a message or returns a template that reads back
 * (export_merge checks that itself; this finds what crashes on the way). */
#include <stdint.h>
#include <stdlib.h>

#include "export/merge.h"
#include "model/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A valid mapping to merge: every fuzz input gets the same one. */
static mapping *the_mapping(void)
{
    static mapping *m;
    if (m)
        return m;
    m = mapping_new();
    char *err = NULL;
    const char *set[][2] = {
        {"table",
         "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000"},
        {"function", "process-orders"},
        {"starting-position", "LATEST"},
        {"on-failure", "arn:aws:sqs:us-east-1:123456789012:orders-dlq"},
        {"filter", "{\"eventName\": [\"INSERT\"]}"},
    };
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        if (mapping_set(m, opt_find(set[i][0])->id, set[i][1], &err) != 0)
            abort();
    mapping_set_role(m, "arn:aws:iam::123456789012:role/process-orders-role");
    return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *err = NULL;
    char *out = export_merge(the_mapping(), (const char *)data, size, "fuzz", &err);
    if (!out && !err)
        abort();
    free(out);
    free(err);
    return 0;
}
