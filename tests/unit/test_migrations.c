/* The migrations replay's public result: per distinct list, its steps and
 * every class's final state, with how and where it became live. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "jsonc.h"
#include "migrations.h"
#include "model.h"

static const char config[] =
    "{\n"
    "  \"name\": \"app\",\n"
    "  \"durable_objects\": {\"bindings\": [{\"name\": \"R\", \"class_name\": \"Room\"}]},\n"
    "  \"migrations\": [\n"
    "    {\"tag\": \"v1\", \"new_classes\": [\"Old\"], \"new_sqlite_classes\": [\"Lobby\"]},\n"
    "    {\"tag\": \"v2\", \"renamed_classes\": [{\"from\": \"Lobby\", \"to\": \"Room\"}]},\n"
    "    {\"tag\": \"v3\", \"transferred_classes\": [{\"from\": \"Cart\", \"from_script\": "
    "\"shop\", \"to\": \"Cart\"}], \"deleted_classes\": [\"Old\"]},\n"
    "    5\n"
    "  ],\n"
    "  \"env\": {\n"
    "    \"staging\": {\"durable_objects\": {\"bindings\": [{\"name\": \"R\", \"class_name\": "
    "\"Room\"}]}},\n"
    "    \"eu\": {\"migrations\": [{\"new_sqlite_classes\": [\"Room\"]}]}\n"
    "  }\n"
    "}\n";

typedef struct fixture {
	wl_diag_list diags;
	wl_doc *doc;
	wl_model *m;
	wl_migrations *r;
} fixture;

static void
load(fixture *f)
{
	wl_diag_list_init(&f->diags);
	f->doc = wl_jsonc_parse(wl_source_new("t", config, strlen(config)), &f->diags);
	assert_int_equal(f->diags.len, 0);
	f->m = wl_model_build(f->doc);
	f->r = wl_migrations_replay(f->m, NULL); /* silent */
}

static void
unload(fixture *f)
{
	wl_migrations_free(f->r);
	wl_model_free(f->m);
	wl_doc_free(f->doc);
	wl_diag_list_free(&f->diags);
}

static void
test_lists_and_steps(void **state)
{
	(void)state;
	fixture f;
	load(&f);
	/* The top level's list (shared by staging), then eu's own. */
	assert_int_equal(f.r->n_lists, 2);
	const wl_mig_list *top = &f.r->lists[0], *eu = &f.r->lists[1];
	assert_ptr_equal(f.r->of_env[0], top);
	assert_ptr_equal(f.r->of_env[1], top);
	assert_ptr_equal(f.r->of_env[2], eu);
	assert_int_equal(top->n_envs, 2);
	assert_false(top->own);
	assert_true(eu->own);
	assert_true(top->replayable);
	/* The number 5 is not a step. */
	assert_int_equal(top->n_steps, 3);
	assert_string_equal(top->steps[1].tag, "v2");
	assert_non_null(top->steps[1].renamed);
	assert_null(top->steps[1].new_kv);
	assert_non_null(top->steps[0].new_kv);
	assert_non_null(top->steps[0].new_sqlite);
	/* A step without a tag gets a label. */
	assert_null(eu->steps[0].tag);
	assert_string_equal(eu->steps[0].label, "#1");
	unload(&f);
}

static void
test_how_and_where(void **state)
{
	(void)state;
	fixture f;
	load(&f);
	const wl_mig_list *top = &f.r->lists[0];
	const wl_mig_class *room = wl_mig_list_class(top, "Room");
	assert_non_null(room);
	assert_true(room->live);
	assert_true(room->sqlite); /* the storage of the class it was renamed from */
	assert_int_equal(room->how, WL_MIG_RENAME);
	assert_string_equal(room->from, "Lobby");
	assert_string_equal(room->created_tag, "v2");
	assert_int_equal(room->created_step, 1);
	assert_string_equal(wl_mig_how_key(room->how), "renamed_classes");

	const wl_mig_class *lobby = wl_mig_list_class(top, "Lobby");
	assert_false(lobby->live);
	assert_int_equal(lobby->gone, WL_MIG_GONE_RENAMED);
	assert_string_equal(lobby->renamed_to, "Room");
	assert_int_equal(lobby->how, WL_MIG_NEW_SQLITE);

	const wl_mig_class *cart = wl_mig_list_class(top, "Cart");
	assert_true(cart->live);
	assert_int_equal(cart->how, WL_MIG_TRANSFER);
	assert_string_equal(cart->from_script, "shop");
	assert_int_equal(cart->created_step, 2);

	const wl_mig_class *old = wl_mig_list_class(top, "Old");
	assert_false(old->live);
	assert_false(old->sqlite);
	assert_int_equal(old->how, WL_MIG_NEW);
	assert_int_equal(old->gone, WL_MIG_GONE_DELETED);
	assert_string_equal(old->gone_tag, "v3");

	assert_null(wl_mig_list_class(top, "Nope"));
	/* Bound classes are found by the model's class id too. */
	uint32_t id;
	assert_true(wl_model_class_id(f.m, "Room", &id));
	assert_ptr_equal(top->by_id[id], room);
	unload(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lists_and_steps),
	    cmocka_unit_test(test_how_and_where),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
