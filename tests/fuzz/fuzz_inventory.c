/* libFuzzer target: the inventory reader on arbitrary documents. A failed
 * load must leave the inventory as it was. */
#include <stdint.h>
#include <stdlib.h>

#include "model/inventory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    inventory inv;
    inventory_init(&inv);
    char *err = NULL;
    if (inventory_load_text(&inv, (const char *)data, size, "fuzz.json", &err) < 0) {
        if (inv.n != 0 || !err)
            abort();
    } else {
        size_t idx[8];
        inv_kind tables = INV_TABLE;
        inventory_filter(&inv, &tables, 1, "a b", idx, 8);
    }
    free(err);
    inventory_free(&inv);
    return 0;
}
