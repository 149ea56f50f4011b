/* Picking a table, a function or an on-failure destination for a mapping:
 * from an inventory item (AWS, esmcfg's inventory, or a CloudFormation/SAM
 * template) or as typed text. The CLI and the TUI's pickers both call these,
 * so that a value, its template reference, the table's name and the
 * function's role always change together.
 *
 * An item read from a template has a logical ID but, until the stack is
 * deployed, no ARN: picking it leaves the option's value unset and records
 * the reference (m->table_ref, function_ref, role_ref, destination_ref).
 * Validation counts a reference as the value; the CloudFormation exports
 * write Ref / Fn::GetAtt; the API JSON export refuses, since it needs the
 * literal ARN. */
#ifndef ESMCFG_MODEL_PICK_H
#define ESMCFG_MODEL_PICK_H

#include <stdbool.h>

#include "model/inventory.h"
#include "model/mapping.h"

/* The table IT as the mapping's source: its stream ARN when known, its
 * logical ID as m->table_ref when it comes from a template and USE_REF
 * (pass false when the export goes into another template than IT's), and
 * its name as m->table_name. Returns -1 with *err and M unchanged when IT
 * cannot be used (no stream, or no stream ARN and no reference). */
int mapping_pick_table(mapping *m, const inv_item *it, bool use_ref, char **err);

/* The function IT: its ARN when known, m->function_ref as for tables, and
 * its execution role (m->function_role, and m->role_ref when the template
 * defines the role). Returns -1 with *err and M unchanged when IT cannot be
 * used. */
int mapping_pick_function(mapping *m, const inv_item *it, bool use_ref, char **err);

/* The queue, topic or bucket IT as on-failure destination: its ARN when
 * known, m->destination_ref as for tables. FIFO queues and topics are
 * refused. Returns -1 with *err and M unchanged when IT cannot be used. */
int mapping_pick_destination(mapping *m, const inv_item *it, bool use_ref, char **err);

/* Why IT cannot be picked for option ID (with USE_REF as above), or NULL
 * when it can: for a picker to say before Enter is pressed. Caller frees. */
char *mapping_pick_refusal(opt_id id, const inv_item *it, bool use_ref);

/* TEXT typed for option ID (not picked from the inventory): parsed and set
 * as mapping_set does, the template reference dropped, the table's name
 * taken from a stream ARN, the function's role forgotten. Returns -1 with
 * *err and M unchanged on a bad value. */
int mapping_pick_text(mapping *m, opt_id id, const char *text, char **err);

/* The function's execution role given as an ARN (--function-role): it
 * replaces the role that came with the function, template reference too. */
void mapping_pick_role(mapping *m, const char *role_arn);

/* Option ID back to AWS's default, with its reference and what came with
 * it (the table's name; the function's role and role reference). */
void mapping_unpick(mapping *m, opt_id id);

/* The template logical ID behind option ID (table, function, on-failure
 * destination), or NULL when there is none. */
const char *mapping_ref(const mapping *m, opt_id id);
/* Where the reference of option ID is kept (table_ref, function_ref,
 * destination_ref), or NULL for options that cannot have one. */
char **mapping_ref_slot(mapping *m, opt_id id);

/* The item of KIND that TEXT names: by name, ARN (a table also by stream
 * ARN) or template logical ID. When PREFER_SOURCE is not NULL, items read
 * from that source (an inventory's source string) win. NULL if none. */
const inv_item *mapping_pick_find(const inventory *inv, inv_kind kind, const char *text,
                                  const char *prefer_source);

#endif
