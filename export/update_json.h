/* The UpdateEventSourceMapping request of an existing mapping (one loaded
 * from get-event-source-mapping output, with its UUID and the mapping as
 * loaded): every option it can carry, and for each option the person
 * removed the value that clears it (the table's clear_json, or the AWS
 * default). Options the request cannot carry (the table's update_note)
 * must not have changed. */
#ifndef ESMCFG_EXPORT_UPDATE_JSON_H
#define ESMCFG_EXPORT_UPDATE_JSON_H

#include "model/mapping.h"

/* Why M cannot be written as an update request at all (it has no UUID),
 * or NULL when it can. */
const char *export_update_refusal(const mapping *m);

/* Append an error to OUT for every option of M that changed although the
 * update request cannot carry it ("a mapping's stream cannot be changed:
 * create a new mapping"). */
void export_update_problems(const mapping *m, diag_list *out);

/* The request for M (assumed valid, see export_render), or NULL with *err
 * set to the first problem ("--table: a mapping's stream cannot be
 * changed: create a new mapping"). Caller frees. */
char *export_update_render(const mapping *m, char **err);

#endif
