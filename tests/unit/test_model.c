/* The model: effective config per env, inheritance, worker names, locality. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "jsonc.h"
#include "model.h"

static const char config[] =
    "{\n"
    "  \"name\": \"app\",\n"
    "  \"migrations\": [{\"tag\": \"v1\", \"new_sqlite_classes\": [\"A\"]}],\n"
    "  \"assets\": {\"binding\": \"ASSETS\"},\n"
    "  \"durable_objects\": {\"bindings\": [{\"name\": \"A_DO\", \"class_name\": \"A\"}]},\n"
    "  \"vars\": {\"X\": \"1\"},\n"
    "  \"env\": {\n"
    "    \"staging\": {\n"
    "      \"durable_objects\": {\"bindings\": [\n"
    "        {\"name\": \"A_DO\", \"class_name\": \"A\", \"script_name\": \"app-staging\"},\n"
    "        {\"name\": \"B_DO\", \"class_name\": \"B\", \"script_name\": \"other\"}]}\n"
    "    },\n"
    "    \"prod\": {\"name\": \"app-live\", \"migrations\": [], \"exports\": {}},\n"
    "    \"weird\": 5\n"
    "  }\n"
    "}\n";

static void
test_envs_resolved(void **state)
{
	(void)state;
	wl_diag_list diags;
	wl_diag_list_init(&diags);
	wl_doc *doc = wl_jsonc_parse(wl_source_new("t", config, strlen(config)), &diags);
	assert_int_equal(diags.len, 0);
	wl_model *m = wl_model_build(doc);
	assert_non_null(m);
	assert_int_equal(m->n_envs, 3); /* top, staging, prod; "weird" is not an object */
	const wl_env *top = &m->envs[0], *st = &m->envs[1], *pr = &m->envs[2];
	assert_null(top->name);
	assert_string_equal(top->worker_name, "app");
	assert_string_equal(st->worker_name, "app-staging");
	assert_string_equal(pr->worker_name, "app-live");
	assert_string_equal(st->label, "env.staging");
	/* migrations inherit unless overridden; [] overrides */
	assert_ptr_equal(st->migrations, top->migrations);
	assert_false(st->own_migrations);
	assert_true(pr->own_migrations);
	assert_int_equal(pr->migrations->n_children, 0);
	assert_true(pr->own_exports);
	/* script_name equal to the env's own worker name is local */
	assert_int_equal(st->n_do_bindings, 2);
	assert_true(st->do_bindings[0].local);
	assert_false(st->do_bindings[1].local);
	assert_true(st->has_local_do);
	assert_false(pr->has_local_do);
	/* bindings: non-inheritable ones only from the env; assets inherited */
	assert_int_equal(top->n_bindings, 3);
	size_t assets = 0, vars = 0;
	for (size_t i = 0; i < st->n_bindings; i++) {
		if (strcmp(st->bindings[i].type, "Assets") == 0) {
			assets++;
			assert_true(st->bindings[i].inherited);
		}
		if (strcmp(st->bindings[i].type, "Environment Variable") == 0)
			vars++;
	}
	assert_int_equal(assets, 1);
	assert_int_equal(vars, 0);
	wl_model_free(m);
	wl_doc_free(doc);
	wl_diag_list_free(&diags);
}

static void
test_exports_liveness(void **state)
{
	(void)state;
	const char *text = "{\"exports\": {\"A\": {\"type\": \"durable-object\", \"storage\": "
	                   "\"sqlite\"}, \"B\": {\"type\": \"durable-object\", \"state\": "
	                   "\"deleted\"}, \"C\": {\"type\": \"worker\"}, \"D\": {\"type\": "
	                   "\"durable-object\", \"state\": \"expecting-transfer\"}}}";
	wl_diag_list diags;
	wl_diag_list_init(&diags);
	wl_doc *doc = wl_jsonc_parse(wl_source_new("t", text, strlen(text)), &diags);
	const wl_node *ex = wl_node_get(doc->root, "exports");
	assert_true(wl_exports_class_live(ex, "A"));
	assert_false(wl_exports_class_live(ex, "B"));
	assert_false(wl_exports_class_live(ex, "C"));
	assert_true(wl_exports_class_live(ex, "D"));
	assert_false(wl_exports_class_live(ex, "E"));
	wl_doc_free(doc);
	wl_diag_list_free(&diags);
}

static void
test_no_object_root(void **state)
{
	(void)state;
	wl_diag_list diags;
	wl_diag_list_init(&diags);
	wl_doc *doc = wl_jsonc_parse(wl_source_new("t", "[1]", 3), &diags);
	assert_null(wl_model_build(doc));
	wl_doc_free(doc);
	wl_diag_list_free(&diags);
}

/* wl_key_is_non_inheritable and wl_key_is_top_level_only search the lists
 * by bisection. */
static void
test_key_lists_sorted(void **state)
{
	(void)state;
	const char *const *lists[] = {wl_non_inheritable_keys, wl_top_level_only_keys};
	for (size_t l = 0; l < 2; l++)
		for (const char *const *k = lists[l]; k[0] && k[1]; k++)
			assert_true(strcmp(k[0], k[1]) < 0);
	assert_true(wl_key_is_non_inheritable("analytics"));
	assert_true(wl_key_is_non_inheritable("websearch"));
	assert_true(wl_key_is_non_inheritable("vars"));
	assert_false(wl_key_is_non_inheritable("routes"));
	assert_true(wl_key_is_top_level_only("$schema"));
	assert_true(wl_key_is_top_level_only("wasm_modules"));
	assert_false(wl_key_is_top_level_only("main"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_envs_resolved),
	    cmocka_unit_test(test_exports_liveness),
	    cmocka_unit_test(test_no_object_root),
	    cmocka_unit_test(test_key_lists_sorted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
