/* libFuzzer target: the YAML reader (templates, cfn-yaml exports). What it
 * reads, printed as JSON, must parse again. */
#include <stdint.h>
#include <stdlib.h>

#include "export/yaml_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *err = NULL;
    cJSON *tree = export_yaml_read((const char *)data, size, "fuzz.yaml", &err);
    if (tree) {
        char *json = cJSON_PrintUnformatted(tree);
        cJSON *again = json ? cJSON_Parse(json) : NULL;
        if (json && !again)
            abort();
        cJSON_Delete(again);
        free(json);
        cJSON_Delete(tree);
    } else if (!err) {
        abort();
    }
    free(err);
    return 0;
}
