/* libFuzzer target: every inventory reader (esmcfg's document, AWS CLI
 * outputs, CloudFormation/SAM templates) behind the one detecting entry
 * point. A failed load must leave the inventory as it was. */
#include <stdint.h>
#include <stdlib.h>

#include "export/template_inventory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    inventory inv;
    inventory_init(&inv);
    char *err = NULL;
    if (inventory_load_any(&inv, (const char *)data, size, "fuzz", &err) < 0) {
        if (inv.n != 0 || !err)
            abort();
    } else {
        size_t idx[8];
        inv_kind kinds[] = {INV_TABLE, INV_FUNCTION, INV_QUEUE};
        inventory_filter(&inv, kinds, 3, "a b", idx, 8);
    }
    free(err);
    inventory_free(&inv);
    return 0;
}
