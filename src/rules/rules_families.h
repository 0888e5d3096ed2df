/* Every rule family's exported table; rules.c lists them in order. */
#ifndef WL_RULES_FAMILIES_H
#define WL_RULES_FAMILIES_H

#include "rules.h"

extern const wl_rule_family wl_family_syntax;
extern const wl_rule_family wl_family_env;
extern const wl_rule_family wl_family_bindings;
extern const wl_rule_family wl_family_do_bindings;
extern const wl_rule_family wl_family_do_migrations;
extern const wl_rule_family wl_family_do_exports;
extern const wl_rule_family wl_family_schema;
extern const wl_rule_family wl_family_suppression;
extern const wl_rule_family wl_family_project;
extern const wl_rule_family wl_family_toml;
extern const wl_rule_family wl_family_source;
extern const wl_rule_family wl_family_history;
extern const wl_rule_family wl_family_containers;
extern const wl_rule_family wl_family_fields;

#endif
