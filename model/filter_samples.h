/* The sample DynamoDB stream records bundled in the binary (INSERT,
 * MODIFY and REMOVE, from the JSON files in examples/records, embedded at build time
 * by cmake/embed_records.cmake), for testing filters without a file. */
#ifndef ESMCFG_MODEL_FILTER_SAMPLES_H
#define ESMCFG_MODEL_FILTER_SAMPLES_H

#include <stddef.h>

typedef struct filter_sample {
    const char *name; /* the file's name without .json: "insert" */
    const char *text; /* the file's bytes, NUL-terminated */
    size_t len;
} filter_sample;

/* The samples, in file name order; *N gets the count. */
const filter_sample *filter_samples(size_t *n);

#endif
