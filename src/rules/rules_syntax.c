#include "rules_syntax.h"

const wl_rule wl_rule_jsonc_syntax = {
    "jsonc-syntax", "jsonc", WL_SEV_ERROR,
    "Malformed JSONC: the file cannot be read as wrangler reads it"};
const wl_rule wl_rule_jsonc_duplicate_key = {
    "jsonc-duplicate-key", "jsonc", WL_SEV_ERROR,
    "The same key twice in one object; wrangler silently keeps the last value"};
const wl_rule wl_rule_jsonc_comment_in_json = {
    "jsonc-comment-in-json", "jsonc", WL_SEV_NOTE,
    "A .json file uses comments or trailing commas, which only JSONC readers accept"};
const wl_rule wl_rule_jsonc_nesting_too_deep = {
    "jsonc-nesting-too-deep", "jsonc", WL_SEV_ERROR,
    "Arrays and objects nested deeper than wrangler-lint's limit (512 levels)"};
const wl_rule wl_rule_jsonc_file_too_large = {
    "jsonc-file-too-large", "jsonc", WL_SEV_ERROR,
    "The file is larger than wrangler-lint's size limit and was not parsed"};
const wl_rule wl_rule_jsonc_number_range = {
    "jsonc-number-range", "jsonc", WL_SEV_WARNING,
    "A number that JavaScript cannot represent exactly (or at all)"};
const wl_rule wl_rule_jsonc_lone_surrogate = {
    "jsonc-lone-surrogate", "jsonc", WL_SEV_WARNING,
    "A \\u escape of half a UTF-16 surrogate pair, which no UTF-8 text can hold"};
const wl_rule wl_rule_config_file_shadowed = {
    "config-file-shadowed", "config", WL_SEV_WARNING,
    "A config file next to one wrangler reads first (wrangler.json, then .jsonc, then .toml)"};
const wl_rule wl_rule_toml_syntax = {
    "toml-syntax", "toml", WL_SEV_ERROR,
    "Malformed TOML (TOML 1.0, as strict as wrangler's reader), or a table or key defined twice"};

static const wl_rule *const syntax_rules[] = {
    &wl_rule_jsonc_syntax,           &wl_rule_jsonc_duplicate_key,  &wl_rule_jsonc_comment_in_json,
    &wl_rule_jsonc_nesting_too_deep, &wl_rule_jsonc_file_too_large, &wl_rule_jsonc_number_range,
    &wl_rule_config_file_shadowed,   &wl_rule_jsonc_lone_surrogate, &wl_rule_toml_syntax,
};

const wl_rule_family wl_family_syntax = {"jsonc", syntax_rules,
                                         sizeof(syntax_rules) / sizeof(syntax_rules[0]), NULL};
