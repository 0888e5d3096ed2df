/* Rules reported by the front end (reading and parsing), not by checks. */
#ifndef WL_RULES_SYNTAX_H
#define WL_RULES_SYNTAX_H

#include "rules.h"

extern const wl_rule wl_rule_jsonc_syntax;
extern const wl_rule wl_rule_jsonc_duplicate_key;
extern const wl_rule wl_rule_jsonc_comment_in_json;
extern const wl_rule wl_rule_jsonc_nesting_too_deep;
extern const wl_rule wl_rule_jsonc_file_too_large;
extern const wl_rule wl_rule_jsonc_number_range;
extern const wl_rule wl_rule_jsonc_lone_surrogate;
extern const wl_rule wl_rule_config_file_shadowed;
extern const wl_rule wl_rule_toml_syntax;

extern const wl_rule_family wl_family_syntax;

#endif
