/* Runs the official JSON-Schema-Test-Suite (draft 7) against schema.c.
 *
 *   schema-suite DIR   DIR is the suite's tests/draft7 folder (Debian:
 *                      /usr/share/json-schema-test-suite/tests/draft7)
 *
 * Every case of every keyword file we claim to support must pass. ref.json
 * is run too; its groups whose schema uses what we do not support ($id
 * based or remote references) fail to compile and are counted as
 * unsupported, by name; every group that compiles must pass. Exit 77
 * (skipped) with a message when DIR does not exist. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jsonc.h"
#include "schema.h"
#include "schema_impl.h"
#include "xalloc.h"

static const char *const supported[] = {
    "additionalItems",
    "additionalProperties",
    "allOf",
    "anyOf",
    "boolean_schema",
    "const",
    "contains",
    "default",
    "dependencies",
    "enum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "if-then-else",
    "items",
    "maxItems",
    "maxLength",
    "maxProperties",
    "maximum",
    "minItems",
    "minLength",
    "minProperties",
    "minimum",
    "multipleOf",
    "not",
    "oneOf",
    "pattern",
    "patternProperties",
    "properties",
    "propertyNames",
    "required",
    "type",
    "uniqueItems",
};
/* Files where only some groups use features we support. */
static const char *const partial[] = {"ref", "definitions", "refRemote"};

static size_t passed, failed, unsupported_groups, unsupported_cases;

static bool
instance_valid(const wl_schema *s, struct json_object *data, bool *complete)
{
	const char *text = json_object_to_json_string_ext(data, JSON_C_TO_STRING_PLAIN);
	wl_diag_list diags;
	wl_diag_list_init(&diags);
	wl_doc *doc = wl_jsonc_parse(wl_source_new("data.json", text, strlen(text)), &diags);
	wl_schema_issues out = {0};
	*complete = wl_schema_validate(s, doc->root, wl_schema_default_budget(strlen(text)), &out);
	size_t fails = 0;
	for (size_t i = 0; i < out.len; i++)
		fails += out.items[i].kind < WL_SCHEMA_DEPRECATED;
	wl_schema_issues_free(&out);
	wl_diag_list_free(&diags);
	wl_doc_free(doc);
	return fails == 0;
}

static void
run_file(const char *dir, const char *name, bool is_partial)
{
	char *path = wl_xasprintf("%s/%s.json", dir, name);
	struct json_object *groups = json_object_from_file(path);
	if (!groups) {
		printf("FAIL: %s: cannot read\n", path);
		failed++;
		free(path);
		return;
	}
	size_t file_pass = 0, file_fail = 0;
	for (size_t g = 0; g < json_object_array_length(groups); g++) {
		struct json_object *group = json_object_array_get_idx(groups, g), *schema, *tests,
		                   *desc;
		json_object_object_get_ex(group, "schema", &schema);
		json_object_object_get_ex(group, "tests", &tests);
		json_object_object_get_ex(group, "description", &desc);
		char *error = NULL;
		wl_schema *s = wl_schema_from_json(schema, &error);
		if (!s) {
			size_t n = json_object_array_length(tests);
			if (is_partial) {
				printf("unsupported: %s: %s (%zu cases): %s\n", name,
				       json_object_get_string(desc), n, error);
				unsupported_groups++;
				unsupported_cases += n;
			} else {
				printf("FAIL: %s: %s: schema does not compile: %s\n", name,
				       json_object_get_string(desc), error);
				failed += n;
				file_fail += n;
			}
			free(error);
			continue;
		}
		for (size_t t = 0; t < json_object_array_length(tests); t++) {
			struct json_object *test = json_object_array_get_idx(tests, t), *data,
			                   *valid, *tdesc;
			json_object_object_get_ex(test, "data", &data);
			json_object_object_get_ex(test, "valid", &valid);
			json_object_object_get_ex(test, "description", &tdesc);
			bool complete;
			bool got = instance_valid(s, data, &complete);
			if (complete && got == (bool)json_object_get_boolean(valid)) {
				passed++;
				file_pass++;
			} else {
				printf("FAIL: %s: %s: %s: expected %s, got %s%s\n", name,
				       json_object_get_string(desc), json_object_get_string(tdesc),
				       json_object_get_boolean(valid) ? "valid" : "invalid",
				       got ? "valid" : "invalid", complete ? "" : " (budget)");
				failed++;
				file_fail++;
			}
		}
		wl_schema_release(s);
	}
	printf("%s: %zu passed, %zu failed\n", name, file_pass, file_fail);
	json_object_put(groups);
	free(path);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: schema-suite DIR\n");
		return 2;
	}
	struct stat st;
	if (stat(argv[1], &st) != 0 || !S_ISDIR(st.st_mode)) {
		printf("skipped: %s does not exist; install the json-schema-test-suite package "
		       "(apt-get install json-schema-test-suite)\n",
		       argv[1]);
		return 77;
	}
	for (size_t i = 0; i < sizeof(supported) / sizeof(supported[0]); i++)
		run_file(argv[1], supported[i], false);
	for (size_t i = 0; i < sizeof(partial) / sizeof(partial[0]); i++)
		run_file(argv[1], partial[i], true);
	printf("unsupported: %zu groups, %zu cases\n", unsupported_groups, unsupported_cases);
	printf("%zu passed, %zu failed\n", passed, failed);
	return failed ? 1 : 0;
}
