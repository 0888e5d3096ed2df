/* srcgraph: module graphs of the fixtures/source projects, and of
 * temporary trees for what fixtures cannot hold (symbolic links, FIFOs,
 * limits, 10,000-file chains).
 *
 *   test-srcgraph SOURCE_ROOT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "source/srcgraph.h"
#include "source/srcignore.h"
#include "xalloc.h"

static const char *source_root;

/* The graph of fixtures/source/NAME with entry `main` and the fixture's
 * folder as root and config folder. */
static wl_srcgraph *
fixture(const char *name, const char *main_path)
{
	char *dir = wl_xasprintf("%s/fixtures/source/%s", source_root, name);
	char *entry = wl_xasprintf("%s/%s", dir, main_path);
	wl_srcgraph *g = wl_srcgraph_build(entry, dir, dir, NULL);
	free(entry);
	free(dir);
	return g;
}

static wl_tri
fixture_exports(const char *name, const char *main_path, const char *cls)
{
	wl_srcgraph *g = fixture(name, main_path);
	wl_tri r = wl_srcgraph_exports(g, cls);
	wl_srcgraph_free(g);
	return r;
}

static bool
path_ends(const wl_srcfile *f, const char *suffix)
{
	size_t a = strlen(f->src->path), b = strlen(suffix);
	return a >= b && strcmp(f->src->path + a - b, suffix) == 0;
}

static void
test_seed_layout(void **state)
{
	(void)state;
	wl_srcgraph *g = fixture("seed", "workers/index.ts");
	assert_true(g->entry_found);
	assert_false(g->entry_unsupported);
	assert_int_equal(g->limits_hit, 0);
	assert_int_equal(g->n_files, 3);
	assert_int_equal(wl_srcgraph_exports(g, "MyDurableObject"), WL_TRI_YES);
	assert_int_equal(wl_srcgraph_exports(g, "Other"), WL_TRI_NO);
	assert_int_equal(wl_srcgraph_service_worker(g), WL_TRI_NO);
	assert_true(wl_srcgraph_has_full_env(g));
	const wl_srcgraph_env *env = NULL;
	const wl_src_env_member *m = wl_srcgraph_env_member(g, "MY_DO", false, &env);
	assert_non_null(m);
	assert_int_equal(m->kind, WL_ENV_TYPE_DO);
	assert_string_equal(m->class_name, "MyDurableObject");
	assert_true(path_ends(&g->files[env->file], "workers/env.d.ts"));
	/* the span points into the file's own wl_source */
	const wl_source *src = g->files[env->file].src;
	assert_memory_equal(src->bytes + m->name_span.start, "MY_DO", 5);
	assert_null(wl_srcgraph_env_member(g, "NOPE", false, NULL));
	assert_true(wl_srcgraph_env_closed(g));
	/* a source handed over outlives the graph */
	wl_source *given = wl_srcgraph_give_source(g, env->file);
	assert_ptr_equal(wl_srcgraph_give_source(g, env->file), given);
	uint32_t at = m->name_span.start;
	wl_srcgraph_free(g);
	assert_memory_equal(given->bytes + at, "MY_DO", 5);
	wl_source_free(given);
}

static void
test_not_exported_points_at_declaration(void **state)
{
	(void)state;
	wl_srcgraph *g = fixture("not-exported", "src/index.ts");
	assert_int_equal(wl_srcgraph_exports(g, "MyDO"), WL_TRI_NO);
	const wl_srcfile *f = NULL;
	const wl_src_class *c = wl_srcgraph_find_class(g, "MyDO", &f);
	assert_non_null(c);
	assert_true(path_ends(f, "src/do.ts"));
	assert_memory_equal(f->src->bytes + c->name_span.start, "MyDO", 4);
	wl_srcgraph_free(g);

	g = fixture("declared-in-entry", "src/index.ts");
	assert_int_equal(wl_srcgraph_exports(g, "MyDO"), WL_TRI_NO);
	c = wl_srcgraph_find_class(g, "MyDO", &f);
	assert_non_null(c);
	assert_ptr_equal(f, &g->files[0]);
	assert_false(c->exported);
	wl_srcgraph_free(g);

	g = fixture("default-class", "src/index.ts");
	assert_int_equal(wl_srcgraph_exports(g, "MyDO"), WL_TRI_NO);
	c = wl_srcgraph_find_class(g, "MyDO", &f);
	assert_non_null(c);
	assert_true(c->exported_default);
	wl_srcgraph_free(g);
}

static void
test_closest_export(void **state)
{
	(void)state;
	wl_srcgraph *g = fixture("typo", "src/index.ts");
	assert_int_equal(wl_srcgraph_exports(g, "MyDurableObjct"), WL_TRI_NO);
	const char *s = wl_srcgraph_closest_export(g, "MyDurableObjct");
	assert_non_null(s);
	assert_string_equal(s, "MyDurableObject");
	/* `helper` is exported but is not a class */
	assert_null(wl_srcgraph_closest_export(g, "helpr"));
	wl_srcgraph_free(g);
}

static void
test_export_forms_through_the_graph(void **state)
{
	(void)state;
	assert_int_equal(fixture_exports("reexport-as", "src/index.ts", "MyDO"), WL_TRI_YES);
	assert_int_equal(fixture_exports("reexport-as", "src/index.ts", "Impl"), WL_TRI_NO);
	assert_int_equal(fixture_exports("local-as", "src/index.ts", "MyDO"), WL_TRI_YES);
	assert_int_equal(fixture_exports("local-as", "src/index.ts", "Impl"), WL_TRI_NO);
	assert_int_equal(fixture_exports("default-as", "src/index.ts", "MyDO"), WL_TRI_YES);
	assert_int_equal(fixture_exports("star", "src/index.ts", "MyDO"), WL_TRI_YES);
	assert_int_equal(fixture_exports("star", "src/index.ts", "Nope"), WL_TRI_NO);
	assert_int_equal(fixture_exports("star-as", "src/index.ts", "MyDO"), WL_TRI_NO);
	assert_int_equal(fixture_exports("star-as", "src/index.ts", "objects"), WL_TRI_YES);
	assert_int_equal(fixture_exports("index-folder", "src/index.ts", "MyDO"), WL_TRI_YES);
	assert_int_equal(fixture_exports("js-is-ts", "src/index.ts", "MyDO"), WL_TRI_YES);
	assert_int_equal(fixture_exports("js-is-ts", "src/index.ts", "OtherDO"), WL_TRI_YES);
	assert_int_equal(fixture_exports("cycle", "src/index.ts", "MyDO"), WL_TRI_YES);
	assert_int_equal(fixture_exports("cycle", "src/index.ts", "Nope"), WL_TRI_NO);
	assert_int_equal(fixture_exports("decorated", "src/index.ts", "MyDO"), WL_TRI_YES);
	assert_int_equal(fixture_exports("decorated", "src/index.ts", "Base"), WL_TRI_YES);
	assert_int_equal(fixture_exports("const-class", "src/index.ts", "MyDO"), WL_TRI_YES);
	assert_int_equal(fixture_exports("type-only", "src/index.ts", "MyDO"), WL_TRI_NO);
	assert_int_equal(fixture_exports("type-only", "src/index.ts", "Other"), WL_TRI_NO);
	assert_int_equal(fixture_exports("tricky-lexing", "src/index.ts", "MyDO"), WL_TRI_NO);
	assert_int_equal(fixture_exports("tricky-lexing", "src/index.ts", "Real"), WL_TRI_YES);
}

static void
test_unknown_is_never_no(void **state)
{
	(void)state;
	assert_int_equal(fixture_exports("star-package", "src/index.ts", "MyDO"), WL_TRI_UNKNOWN);
	assert_int_equal(fixture_exports("cjs", "src/index.js", "MyDO"), WL_TRI_UNKNOWN);
	/* no entry: nothing is known */
	assert_int_equal(fixture_exports("seed", "workers/missing.ts", "MyDurableObject"),
	                 WL_TRI_UNKNOWN);
	wl_srcgraph *g = fixture("seed", "workers/missing.ts");
	assert_false(g->entry_found);
	assert_int_equal(wl_srcgraph_service_worker(g), WL_TRI_UNKNOWN);
	wl_srcgraph_free(g);
	/* a Python Worker's entry is not read */
	g = fixture("seed", "wrangler.jsonc");
	assert_true(g->entry_unsupported);
	assert_int_equal(wl_srcgraph_exports(g, "MyDurableObject"), WL_TRI_UNKNOWN);
	wl_srcgraph_free(g);
}

static void
test_service_worker(void **state)
{
	(void)state;
	wl_srcgraph *g = fixture("service-worker", "src/index.js");
	assert_int_equal(wl_srcgraph_service_worker(g), WL_TRI_YES);
	assert_int_equal(wl_srcgraph_exports(g, "MyDO"), WL_TRI_NO);
	wl_srcgraph_free(g);
	g = fixture("cjs", "src/index.js");
	assert_int_equal(wl_srcgraph_service_worker(g), WL_TRI_NO);
	wl_srcgraph_free(g);
}

static void
test_env_collection(void **state)
{
	(void)state;
	/* declare global in a .d.ts of src/; the generated file is listed but
	 * not hand-written */
	wl_srcgraph *g = fixture("env-global", "src/index.ts");
	const wl_srcgraph_env *env = NULL;
	const wl_src_env_member *m = wl_srcgraph_env_member(g, "MY_DO", false, &env);
	assert_non_null(m);
	assert_string_equal(m->class_name, "MyDO");
	assert_false(env->generated);
	assert_int_equal(env->env->scope, WL_ENV_SCOPE_GLOBAL);
	assert_true(path_ends(&g->files[env->file], "src/globals.d.ts"));
	size_t generated = 0;
	for (size_t i = 0; i < g->n_envs; i++)
		if (g->envs[i].generated) {
			generated++;
			assert_true(
			    path_ends(&g->files[g->envs[i].file], "worker-configuration.d.ts"));
		}
	assert_int_equal(generated, 2);
	/* generated members count as declared when asked */
	assert_null(wl_srcgraph_env_member(g, "ONLY_GENERATED", false, NULL));
	assert_true(wl_srcgraph_has_full_env(g));
	wl_srcgraph_free(g);

	g = fixture("env-cloudflare", "src/index.ts");
	m = wl_srcgraph_env_member(g, "BUCKET", false, &env);
	assert_non_null(m);
	assert_int_equal(env->env->scope, WL_ENV_SCOPE_CLOUDFLARE);
	assert_true(env->full);
	assert_non_null(wl_srcgraph_env_member(g, "API_TOKEN", false, NULL));
	/* extends Cloudflare.Env, declared by hand */
	assert_true(wl_srcgraph_env_closed(g));
	wl_srcgraph_free(g);

	/* `type Env =` in the entry; an alias imported with `as`; the
	 * declaration in a test file is not the Worker's */
	g = fixture("env-type-alias", "src/index.ts");
	m = wl_srcgraph_env_member(g, "MY_DO", false, &env);
	assert_non_null(m);
	assert_true(env->env->is_type_alias);
	assert_string_equal(m->class_name, "Counter");
	assert_string_equal(wl_srcgraph_imported_name(&g->files[env->file], "Counter"), "MyDO");
	assert_string_equal(wl_srcgraph_imported_name(&g->files[env->file], "MyDO"), "MyDO");
	assert_null(wl_srcgraph_env_member(g, "TEST_ONLY", false, NULL));
	bool saw_test = false;
	for (size_t i = 0; i < g->n_files; i++)
		if (path_ends(&g->files[i], "index.spec.d.ts"))
			saw_test = g->files[i].test;
	assert_true(saw_test);
	wl_srcgraph_free(g);

	/* only an augmentation: not a full Env */
	g = fixture("env-augment-only", "src/index.ts");
	assert_false(wl_srcgraph_has_full_env(g));
	assert_false(wl_srcgraph_env_closed(g));
	assert_non_null(wl_srcgraph_env_member(g, "API_TOKEN", false, NULL));
	wl_srcgraph_free(g);
}

/* ---- temporary trees ---- */

static char tmp_root[64];

static void
put(const char *rel, const char *text)
{
	char *path = wl_xasprintf("%s/%s", tmp_root, rel);
	/* parent folders, one level at a time (no shell per file) */
	for (char *p = path + strlen(tmp_root) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(path, 0700);
		*p = '/';
	}
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fwrite(text, 1, strlen(text), f);
	fclose(f);
	free(path);
}

static int
make_tmp(void **state)
{
	(void)state;
	strcpy(tmp_root, "/tmp/wl-srcgraph-XXXXXX");
	assert_non_null(mkdtemp(tmp_root));
	return 0;
}

static int
remove_tmp(void **state)
{
	(void)state;
	char *cmd = wl_xasprintf("rm -rf '%s'", tmp_root);
	int rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static wl_srcgraph *
tmp_graph(const char *root_rel, const char *entry_rel, const wl_srcgraph_limits *lim)
{
	char *root = wl_xasprintf("%s/%s", tmp_root, root_rel);
	char *entry = wl_xasprintf("%s/%s", tmp_root, entry_rel);
	wl_srcgraph *g = wl_srcgraph_build(entry, root, root, lim);
	free(root);
	free(entry);
	return g;
}

static void
test_symlink_loops_and_fifos(void **state)
{
	(void)state;
	put("p/src/index.ts", "export * from './loop';\nexport * from './fifo';\n"
	                      "export * from './dir/self/self/self/do';\nexport default {};\n");
	put("p/src/dir/do.ts", "export class MyDO {}\n");
	char *a = wl_xasprintf("%s/p/src/loop.ts", tmp_root);
	assert_int_equal(symlink(a, a), 0);
	char *b = wl_xasprintf("%s/p/src/dir/self", tmp_root);
	assert_int_equal(symlink(".", b), 0);
	char *c = wl_xasprintf("%s/p/src/fifo.ts", tmp_root);
	assert_int_equal(mkfifo(c, 0600), 0);
	wl_srcgraph *g = tmp_graph("p", "p/src/index.ts", NULL);
	assert_int_equal(wl_srcgraph_exports(g, "MyDO"), WL_TRI_YES);
	/* the loop and the FIFO are not files: anything might come from them */
	assert_int_equal(wl_srcgraph_exports(g, "Other"), WL_TRI_UNKNOWN);
	assert_int_equal(g->n_files, 2);
	wl_srcgraph_free(g);
	/* the same file through two paths is read once */
	put("p/src/twice.ts", "export * from './dir/do';\nexport * from './dir/self/do';\n");
	g = tmp_graph("p", "p/src/twice.ts", NULL);
	assert_int_equal(g->n_files, 2);
	assert_int_equal(wl_srcgraph_exports(g, "Other"), WL_TRI_NO);
	wl_srcgraph_free(g);
	free(a);
	free(b);
	free(c);
}

static void
test_outside_root(void **state)
{
	(void)state;
	put("q/app/src/index.ts", "export * from '../../shared/do';\nexport default {};\n");
	put("q/shared/do.ts", "export class MyDO {}\n");
	put("q/app/src/linked-entry.ts", "export * from './link';\n");
	char *target = wl_xasprintf("%s/q/shared/do.ts", tmp_root);
	char *link = wl_xasprintf("%s/q/app/src/link.ts", tmp_root);
	assert_int_equal(symlink(target, link), 0);
	wl_srcgraph *g = tmp_graph("q/app", "q/app/src/index.ts", NULL);
	assert_int_equal(wl_srcgraph_exports(g, "MyDO"), WL_TRI_UNKNOWN);
	assert_true(g->limits_hit & WL_SRCGRAPH_LIMIT_OUTSIDE_ROOT);
	assert_int_equal(g->n_files, 1);
	wl_srcgraph_free(g);
	g = tmp_graph("q/app", "q/app/src/linked-entry.ts", NULL);
	assert_int_equal(wl_srcgraph_exports(g, "MyDO"), WL_TRI_UNKNOWN);
	assert_true(g->limits_hit & WL_SRCGRAPH_LIMIT_OUTSIDE_ROOT);
	wl_srcgraph_free(g);
	/* with the repository as root the same import is followed */
	g = tmp_graph("q", "q/app/src/index.ts", NULL);
	assert_int_equal(wl_srcgraph_exports(g, "MyDO"), WL_TRI_YES);
	assert_int_equal(g->limits_hit, 0);
	wl_srcgraph_free(g);
	free(target);
	free(link);
}

static void
test_size_limits(void **state)
{
	(void)state;
	put("r/src/index.ts", "export * from './big';\nexport class Small {}\n");
	char big[4096];
	memset(big, ' ', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "export class MyDO {}", 20);
	put("r/src/big.ts", big);
	wl_srcgraph_limits lim = wl_srcgraph_default_limits();
	lim.max_file_bytes = 1000;
	wl_srcgraph *g = tmp_graph("r", "r/src/index.ts", &lim);
	assert_int_equal(wl_srcgraph_exports(g, "Small"), WL_TRI_YES);
	assert_int_equal(wl_srcgraph_exports(g, "MyDO"), WL_TRI_UNKNOWN);
	assert_true(g->limits_hit & WL_SRCGRAPH_LIMIT_FILE_SIZE);
	wl_srcgraph_free(g);
	lim = wl_srcgraph_default_limits();
	lim.max_total_bytes = 2000;
	g = tmp_graph("r", "r/src/index.ts", &lim);
	assert_int_equal(wl_srcgraph_exports(g, "MyDO"), WL_TRI_UNKNOWN);
	assert_true(g->limits_hit & WL_SRCGRAPH_LIMIT_TOTAL_SIZE);
	wl_srcgraph_free(g);
	/* an entry over the limit: nothing is known */
	lim = wl_srcgraph_default_limits();
	lim.max_file_bytes = 10;
	g = tmp_graph("r", "r/src/index.ts", &lim);
	assert_true(g->entry_found);
	assert_true(g->entry_unsupported);
	assert_int_equal(wl_srcgraph_exports(g, "Small"), WL_TRI_UNKNOWN);
	wl_srcgraph_free(g);
}

static void
test_unbalanced_module_is_unknown(void **state)
{
	(void)state;
	/* a file the scanner could not balance may hide exports */
	put("w/src/index.ts", "export * from './odd';\nexport default {};\n");
	put("w/src/odd.tsx", "export const view = () => <div>{`${x</div>;\nexport class MyDO {}\n");
	wl_srcgraph *g = tmp_graph("w", "w/src/index.ts", NULL);
	/* the template swallows the class: unknown, not "not exported" */
	assert_int_equal(wl_srcgraph_exports(g, "MyDO"), WL_TRI_UNKNOWN);
	assert_int_equal(wl_srcgraph_exports(g, "Other"), WL_TRI_UNKNOWN);
	wl_srcgraph_free(g);
}

static void
test_binary_module(void **state)
{
	(void)state;
	put("s/src/index.ts", "export * from './bin.js';\nexport default {};\n");
	char *path = wl_xasprintf("%s/s/src/bin.js", tmp_root);
	FILE *f = fopen(path, "wb");
	fwrite("export class A {}\0\1\2", 1, 20, f);
	fclose(f);
	free(path);
	wl_srcgraph *g = tmp_graph("s", "s/src/index.ts", NULL);
	assert_int_equal(wl_srcgraph_exports(g, "A"), WL_TRI_UNKNOWN);
	assert_true(g->files[1].binary);
	wl_srcgraph_free(g);
}

static void
test_long_star_chain(void **state)
{
	(void)state;
	size_t n = 10000;
	char name[64], text[128];
	for (size_t i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "t/src/m%zu.ts", i);
		if (i + 1 < n)
			snprintf(text, sizeof(text), "export * from './m%zu';\n", i + 1);
		else
			snprintf(text, sizeof(text), "export class Last {}\n");
		put(name, text);
	}
	wl_srcgraph *g = tmp_graph("t", "t/src/m0.ts", NULL);
	assert_int_equal(g->n_files, n);
	assert_int_equal(wl_srcgraph_exports(g, "Last"), WL_TRI_YES);
	assert_int_equal(wl_srcgraph_exports(g, "Nope"), WL_TRI_NO);
	wl_srcgraph_free(g);
	wl_srcgraph_limits lim = wl_srcgraph_default_limits();
	lim.max_files = 100;
	g = tmp_graph("t", "t/src/m0.ts", &lim);
	assert_int_equal(g->n_files, 100);
	assert_true(g->limits_hit & WL_SRCGRAPH_LIMIT_FILES);
	assert_int_equal(wl_srcgraph_exports(g, "Last"), WL_TRI_UNKNOWN);
	wl_srcgraph_free(g);
}

static void
test_class_is_a(void **state)
{
	(void)state;
	put("v/src/index.ts", "import { Agent } from 'agents';\nclass Base extends Agent<Env> {}\n"
	                      "class Mid extends Base {}\nexport class Leaf extends Mid {}\n"
	                      "class A extends B {}\nclass B extends A {}\n");
	wl_srcgraph *g = tmp_graph("v", "v/src/index.ts", NULL);
	assert_true(wl_srcgraph_class_is_a(g, "Leaf", "Base"));
	assert_true(wl_srcgraph_class_is_a(g, "Leaf", "Agent"));
	assert_true(wl_srcgraph_class_is_a(g, "Leaf", "Leaf"));
	assert_false(wl_srcgraph_class_is_a(g, "Base", "Leaf"));
	assert_false(wl_srcgraph_class_is_a(g, "A", "Leaf")); /* a cycle ends */
	wl_srcgraph_free(g);
}

static void
test_gitignore(void **state)
{
	(void)state;
	put("x/.gitignore", "# build output\n/generated/\n*.bundle.js\n\n!keep.bundle.js\n");
	put("x/apps/w/.gitignore", "worker-out\nlib/*.js\n");
	put("x/apps/w/src/index.ts", "");
	char *root = wl_xasprintf("%s/x", tmp_root);
	struct {
		const char *rel;
		bool ignored;
	} cases[] = {
	    {"x/generated/index.js", true},       /* anchored folder */
	    {"x/apps/generated/index.js", false}, /* anchored: only at the root */
	    {"x/apps/w/main.bundle.js", true},    /* unanchored glob, any depth */
	    {"x/apps/w/keep.bundle.js", true},    /* negations are not applied */
	    {"x/apps/w/worker-out/index.js", true},
	    {"x/apps/w/lib/index.js", true},
	    {"x/apps/w/lib/deep/index.js", false},
	    {"x/apps/w/src/index.ts", false},
	    {"x/apps/other/worker-out/index.js", false}, /* another folder's .gitignore */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = wl_xasprintf("%s/%s", tmp_root, cases[i].rel);
		if (wl_srcignore_ignored(root, path) != cases[i].ignored)
			fail_msg("%s: expected %d", cases[i].rel, cases[i].ignored);
		free(path);
	}
	free(root);
	assert_true(wl_srcignore_build_output("dist/index.js"));
	assert_true(wl_srcignore_build_output("apps/web/.open-next/worker.js"));
	assert_false(wl_srcignore_build_output("src/dist.js"));
	assert_false(wl_srcignore_build_output("src/index.ts"));
}

static void
test_join(void **state)
{
	(void)state;
	static const char *const cases[][3] = {
	    {"a/b", "./c.ts", "a/b/c.ts"},  {"a/b", "../c.ts", "a/c.ts"},
	    {"a", "../../c.ts", "../c.ts"}, {"", "./x/./y.ts", "x/y.ts"},
	    {"/r", "../../x.ts", "/x.ts"},  {"a", "..", "."},
	    {NULL, "./w.ts", "w.ts"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = wl_srcgraph_join(cases[i][0], cases[i][1]);
		assert_string_equal(got, cases[i][2]);
		free(got);
	}
}

static void
test_resolve_main(void **state)
{
	(void)state;
	put("y/src/server.tsx", "export default {};\n");
	put("y/src/app/index.ts", "export default {};\n");
	put("y/src/plain.ts", "export default {};\n");
	struct {
		const char *main, *want;
	} cases[] = {
	    {"y/src/plain.ts", "y/src/plain.ts"},
	    {"y/src/server", "y/src/server.tsx"},
	    {"y/src/app", "y/src/app/index.ts"},
	    {"y/src/missing.ts", NULL},
	    {"y/src/plain.js", NULL}, /* wrangler does not map an entry's .js to .ts */
	    {"y/src/nothing", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = wl_xasprintf("%s/%s", tmp_root, cases[i].main);
		char *got = wl_srcgraph_resolve_main(path);
		if (!cases[i].want) {
			assert_null(got);
		} else {
			char *want = wl_xasprintf("%s/%s", tmp_root, cases[i].want);
			assert_non_null(got);
			assert_string_equal(got, want);
			free(want);
		}
		free(got);
		free(path);
	}
}

static void
test_find_root(void **state)
{
	(void)state;
	put("u/.git/HEAD", "ref: refs/heads/main\n");
	put("u/apps/w/wrangler.jsonc", "{}");
	char *dir = wl_xasprintf("%s/u/apps/w", tmp_root);
	char *root = wl_srcgraph_find_root(dir);
	char *want = wl_xasprintf("%s/u", tmp_root);
	char *want_real = realpath(want, NULL);
	assert_string_equal(root, want_real);
	free(root);
	free(want_real);
	free(want);
	free(dir);
	assert_null(wl_srcgraph_find_root("/nonexistent/wl-srcgraph"));
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test-srcgraph SOURCE_ROOT\n");
		return 2;
	}
	source_root = argv[1];
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_seed_layout),
	    cmocka_unit_test(test_not_exported_points_at_declaration),
	    cmocka_unit_test(test_closest_export),
	    cmocka_unit_test(test_export_forms_through_the_graph),
	    cmocka_unit_test(test_unknown_is_never_no),
	    cmocka_unit_test(test_service_worker),
	    cmocka_unit_test(test_env_collection),
	    cmocka_unit_test(test_symlink_loops_and_fifos),
	    cmocka_unit_test(test_outside_root),
	    cmocka_unit_test(test_size_limits),
	    cmocka_unit_test(test_unbalanced_module_is_unknown),
	    cmocka_unit_test(test_binary_module),
	    cmocka_unit_test(test_long_star_chain),
	    cmocka_unit_test(test_class_is_a),
	    cmocka_unit_test(test_gitignore),
	    cmocka_unit_test(test_join),
	    cmocka_unit_test(test_resolve_main),
	    cmocka_unit_test(test_find_root),
	};
	return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
