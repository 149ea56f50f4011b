/* libFuzzer target: Lambda's filter matching (model/filter_*.c) on
 * arbitrary bytes. The input is split at its first NUL byte into a pattern
 * and a record file; both go through their parsers (the records also
 * through the streaming reader), the pattern's warnings for each stream
 * view type, the matcher (each record, also as event-ruler would), a failed
 * match's explanation, and the pattern ANDed with itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/filter_match.h"
#include "model/filter_template.h"

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
    err = NULL;
    filter_reader *rd = filter_reader_text(record, rlen, "fuzz");
    const filter_record *rec;
    while (filter_reader_next(rd, &rec, &err) > 0)
        if (p)
            (void)filter_pattern_match_as(p, rec,
                                          FILTER_AS_RULER_NUMBERS | FILTER_AS_RULER_OR_PREFIX |
                                              FILTER_AS_RULER_UTF16);
    filter_reader_close(rd);
    free(err);
    static const char *const views[] = {NULL, "KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE"};
    for (size_t v = 0; p && v < 4; v++) {
        filter_notes notes = {0};
        filter_pattern_notes(p, views[v], &notes);
        filter_notes_free(&notes);
    }
    if (p) {
        err = NULL;
        free(filter_pattern_and(buf, buf, &err));
        free(err);
    }
    filter_pattern_free(p);
    free(buf);
    return 0;
}
