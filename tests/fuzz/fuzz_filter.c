/* libFuzzer target: Lambda's filter matching (model/filter_match.c) on
 * arbitrary bytes. The input is split at its first NUL byte into a pattern
 * and a record file; both go through their parsers, the pattern's lint, and
 * the matcher (each record), and a failed match's explanation. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/filter_match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    size_t plen = strlen(buf);
    const char *record = plen < size ? buf + plen + 1 : "{\"eventName\": \"INSERT\"}";
    size_t rlen = plen < size ? size - plen - 1 : strlen(record);
    char *err = NULL;
    filter_pattern *p = filter_pattern_parse(buf, &err);
    free(err);
    err = NULL;
    filter_records rs;
    if (filter_records_parse(record, rlen, &rs, &err) == 0) {
        for (size_t i = 0; p && i < rs.n; i++) {
            char *why = NULL;
            if (!filter_pattern_match(p, rs.items[i], &why) && !why)
                abort(); /* a failed match always says why */
            free(why);
            free(filter_record_describe(rs.items[i]));
        }
        filter_records_free(&rs);
    }
    free(err);
    if (p)
        free(filter_pattern_lint(p));
    filter_pattern_free(p);
    free(buf);
    return 0;
}
