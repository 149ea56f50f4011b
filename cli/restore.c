/* --restore and clearing the draft after an export; the draft itself is
 * export/draft.c's. */
#include "cli/restore.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli/check.h"
#include "export/draft.h"
#include "model/util.h"

/* --restore: the draft into M, the flags then override it. */
int cli_restore_draft(const cli_args *a, mapping *m)
{
    char *err = NULL;
    int rc = draft_load(m, NULL, &err);
    if (rc == DRAFT_LOADED) {
        cli_clear_overridden(a, m);
        return CLI_EXIT_OK;
    }
    if (rc == DRAFT_NONE) {
        char *path = draft_path();
        char *shown = str_escape_display(path);
        if (path)
            fprintf(stderr, "esmcfg: --restore: no draft to restore (%s does not exist)\n", shown);
        else
            fputs("esmcfg: --restore: no draft to restore (neither XDG_STATE_HOME nor HOME is "
                  "set)\n",
                  stderr);
        free(shown);
        free(path);
        return CLI_EXIT_IO;
    }
    fprintf(stderr, "esmcfg: --restore: %s\n", err ? err : "cannot read the draft");
    /* A damaged draft is invalid (3, as for --load); an unreadable one is 4. */
    rc = rc == DRAFT_INVALID ? CLI_EXIT_INVALID : CLI_EXIT_IO;
    free(err);
    return rc;
}

/* Remove the draft after a successful export. */
void cli_clear_draft(void)
{
    char *err = NULL;
    if (draft_clear(&err) != 0)
        fprintf(stderr, "esmcfg: warning: the draft stays: %s\n", err ? err : "cannot remove it");
    free(err);
}
