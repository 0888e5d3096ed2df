/* Schema validation rules (reported by schema.c, run by rules_schema.c). */
#ifndef WL_RULES_SCHEMA_H
#define WL_RULES_SCHEMA_H

#include "rules.h"

extern const wl_rule wl_rule_schema_unknown_key;
extern const wl_rule wl_rule_schema_type;
extern const wl_rule wl_rule_schema_required;
extern const wl_rule wl_rule_schema_enum;
extern const wl_rule wl_rule_schema_pattern;
extern const wl_rule wl_rule_schema_range;
extern const wl_rule wl_rule_schema_deprecated;
extern const wl_rule wl_rule_schema_unavailable;

#endif
