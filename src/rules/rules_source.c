/* The source checks (issue #9): the Worker's entry point and its module
 * graph (src/source/srcgraph.h) against the config's Durable Objects, and
 * the hand-written `Env` type against the DO bindings.
 *
 * Runs only on a config read from disk (wl_lint_options.check_siblings) and
 * not with --no-source. One graph is built per distinct `main`; anything the
 * graph cannot know (packages, limits, unreadable files) is never reported. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lint.h"
#include "model.h"
#include "readfile.h"
#include "rules_families.h"
#include "source/srcgraph.h"
#include "source/srcignore.h"
#include "xalloc.h"

static const wl_rule rule_entry_missing = {"source-entry-missing", "source", WL_SEV_ERROR,
                                           "An environment's main file does not exist"};
static const wl_rule rule_not_exported = {
    "source-class-not-exported", "source", WL_SEV_ERROR,
    "A locally bound Durable Object class is not exported by name from the entry point"};
static const wl_rule rule_service_worker = {
    "source-service-worker", "source", WL_SEV_ERROR,
    "Durable Objects bound by a service-worker format Worker (no ES module exports)"};
static const wl_rule rule_env_missing = {
    "source-env-type-missing", "source", WL_SEV_WARNING,
    "A Durable Object binding has no member in the hand-written Env type"};
static const wl_rule rule_env_mismatch = {
    "source-env-type-mismatch", "source", WL_SEV_WARNING,
    "The Env member of a Durable Object binding names another class or binding kind"};
static const wl_rule rule_env_unknown = {
    "source-env-type-unknown", "source", WL_SEV_WARNING,
    "The Env type declares a Durable Object namespace that no environment binds"};
static const wl_rule rule_types_stale = {
    "source-env-types-stale", "source", WL_SEV_WARNING,
    "worker-configuration.d.ts no longer matches the config's Durable Objects"};

static const wl_rule *const rules[] = {
    &rule_entry_missing, &rule_not_exported, &rule_service_worker, &rule_env_missing,
    &rule_env_mismatch,  &rule_env_unknown,  &rule_types_stale,
};

/* One distinct `main` and the graph read from it. */
typedef struct entry {
	const wl_node *main; /* the string node (top level's or the env's own) */
	char *path;          /* the entry as shown: config folder + main */
	char *resolved;      /* the file it names (wl_srcgraph_resolve_main), or NULL */
	bool exists;         /* resolved is a regular file */
	bool reported;       /* source-entry-missing said so already */
	wl_srcgraph *g;      /* NULL until graph_of */
	bool *adopted;       /* per graph file: handed to the lint result */
} entry;

typedef struct source_ctx {
	wl_check_ctx *ctx;
	char *config_dir; /* "" for the current folder */
	char *root;
	entry *entries;
	size_t n_entries, cap_entries;
} source_ctx;

static const wl_node *
effective_main(const wl_model *m, const wl_env *e)
{
	const wl_node *n = wl_node_get(e->node, "main");
	if (!n && e->name)
		n = wl_node_get(m->envs[0].node, "main");
	return n && wl_node_str(n) ? n : NULL;
}

/* The source a diagnostic may point into, handed to the lint result first
 * so its suppression directives apply and it outlives the graph. */
static wl_source *
use_file(source_ctx *sc, entry *en, size_t file)
{
	wl_srcfile *f = &en->g->files[file];
	if (!en->adopted[file]) {
		en->adopted[file] = true;
		wl_check_adopt_source(sc->ctx, wl_srcgraph_give_source(en->g, file),
		                      f->scan->directives, f->scan->n_directives);
	}
	return f->src;
}

static bool
has_js_extension(const char *path)
{
	static const char *const exts[] = {".ts",  ".tsx", ".mts", ".cts", ".js",
	                                   ".jsx", ".mjs", ".cjs", NULL};
	size_t n = strlen(path);
	for (size_t i = 0; exts[i]; i++) {
		size_t k = strlen(exts[i]);
		if (n > k && strcmp(path + n - k, exts[i]) == 0)
			return true;
	}
	return false;
}

static bool
package_like(const char *main)
{
	/* virtual modules and package entry points that build tools (the Vite
	 * plugin) resolve: not a file wrangler-lint can look for */
	return main[0] == '@' || strchr(main, ':') != NULL;
}

static bool
regular_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The entry for a `main` string (one per distinct string); its graph is
 * read on first need (graph_of). */
static entry *
entry_for(source_ctx *sc, const wl_node *main)
{
	const char *m = wl_node_str(main);
	for (size_t i = 0; i < sc->n_entries; i++)
		if (strcmp(wl_node_str(sc->entries[i].main), m) == 0)
			return &sc->entries[i];
	wl_xgrow((void **)&sc->entries, &sc->cap_entries, sc->n_entries + 1, sizeof(*sc->entries));
	entry *en = &sc->entries[sc->n_entries++];
	memset(en, 0, sizeof(*en));
	en->main = main;
	en->path = m[0] == '/' ? wl_srcgraph_join(NULL, m) : wl_srcgraph_join(sc->config_dir, m);
	en->resolved = wl_srcgraph_resolve_main(en->path);
	en->exists = en->resolved != NULL;
	return en;
}

static wl_srcgraph *
graph_of(source_ctx *sc, entry *en)
{
	if (!en->g) {
		en->g = wl_srcgraph_build(en->resolved, sc->root,
		                          *sc->config_dir ? sc->config_dir : ".", NULL);
		en->adopted = wl_xcalloc(en->g->n_files ? en->g->n_files : 1, sizeof(bool));
	}
	return en->g;
}

static bool
is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool
exists_in(const char *dir, const char *name)
{
	char *p = *dir ? wl_xasprintf("%s/%s", dir, name) : wl_xstrdup(name);
	struct stat st;
	bool ok = stat(p, &st) == 0;
	free(p);
	return ok;
}

/* A config copied without its project (a corpus, a snippet) has no source
 * to compare with: report a missing entry only when the folder it names
 * exists, and for a file in the config's own folder only when that folder
 * holds a package.json or tsconfig.json. */
static bool
looks_like_project(const source_ctx *sc, const char *entry_path)
{
	char *dir = wl_path_dir(entry_path, "");
	bool same = strcmp(dir, sc->config_dir) == 0;
	bool ok = is_dir(*dir ? dir : ".");
	if (ok && same)
		ok = exists_in(sc->config_dir, "package.json") ||
		     exists_in(sc->config_dir, "tsconfig.json");
	free(dir);
	return ok;
}

static bool
has_build_command(const wl_model *m)
{
	const wl_node *build = wl_node_get(m->envs[0].node, "build");
	return build && wl_node_str(wl_node_get(build, "command"));
}

/* source-entry-missing. Returns whether the entry exists. */
static bool
check_entry_exists(source_ctx *sc, entry *en, const char *env)
{
	if (en->exists)
		return true;
	if (en->reported)
		return false;
	en->reported = true;
	const char *m = wl_node_str(en->main);
	if (package_like(m) || !has_js_extension(m))
		return false; /* a module build tools resolve (Vite): not ours to look for */
	bool built = has_build_command(sc->ctx->model) || wl_srcignore_build_output(en->path) ||
	             wl_srcignore_ignored(sc->root, en->path);
	if (built) {
		if (!exists_in(sc->config_dir, "package.json") &&
		    !exists_in(sc->config_dir, "tsconfig.json") &&
		    !exists_in(sc->config_dir, "src"))
			return false; /* a config without its project */
		wl_diag *d = wl_report(sc->ctx, &rule_entry_missing, en->main, env,
		                       "entry %s not built yet: source checks skipped", m);
		if (wl_diag_kept(sc->ctx->diags, d))
			d->severity = WL_SEV_NOTE;
		return false;
	}
	if (!looks_like_project(sc, en->path))
		return false;
	/* wrangler's own hint: a TypeScript file of the same name */
	const char *near = NULL;
	char *alt = NULL;
	size_t n = strlen(m);
	static const char *const swaps[][2] = {
	    {".js", ".ts"}, {".jsx", ".tsx"}, {".mjs", ".mts"}, {".ts", ".js"}};
	for (size_t i = 0; i < 4 && !near; i++) {
		size_t k = strlen(swaps[i][0]);
		if (n <= k || strcmp(m + n - k, swaps[i][0]) != 0)
			continue;
		alt = wl_xasprintf("%.*s%s", (int)(n - k), m, swaps[i][1]);
		char *p = alt[0] == '/' ? wl_srcgraph_join(NULL, alt)
		                        : wl_srcgraph_join(sc->config_dir, alt);
		if (regular_file(p))
			near = alt;
		else {
			free(alt);
			alt = NULL;
		}
		free(p);
	}
	if (near)
		wl_report(sc->ctx, &rule_entry_missing, en->main, env,
		          "main %s does not exist; did you mean %s?", m, near);
	else
		wl_report(sc->ctx, &rule_entry_missing, en->main, env, "main %s does not exist", m);
	free(alt);
	return false;
}

static const char *
limit_text(unsigned hit)
{
	if (hit & WL_SRCGRAPH_LIMIT_OUTSIDE_ROOT)
		return "an import leads outside the repository";
	if (hit & WL_SRCGRAPH_LIMIT_FILE_SIZE)
		return "a file is larger than 32 MiB";
	if (hit & WL_SRCGRAPH_LIMIT_TOTAL_SIZE)
		return "the files add up to more than 128 MiB";
	if (hit & WL_SRCGRAPH_LIMIT_FILES)
		return "more than 20,000 files";
	return "templates nest too deeply";
}

/* Classes this env's own Worker must export: local bindings, and the
 * destinations of renames and transfers in its effective migrations. */
static void
check_class(source_ctx *sc, entry *en, const wl_env *e, const char *cls, const wl_node *at,
            const wl_node *binding_name, bool *limit_noted)
{
	wl_srcgraph *g = en->g;
	wl_tri r = wl_srcgraph_exports(g, cls);
	if (r == WL_TRI_YES)
		return;
	if (r == WL_TRI_UNKNOWN) {
		if (g->limits_hit && !*limit_noted) {
			*limit_noted = true;
			wl_diag *d = wl_report(sc->ctx, &rule_not_exported, en->main, e->name,
			                       "source checks incomplete for %s: %s",
			                       wl_node_str(en->main), limit_text(g->limits_hit));
			if (wl_diag_kept(sc->ctx->diags, d))
				d->severity = WL_SEV_NOTE;
		}
		return;
	}
	const char *entry_name = g->files[0].src->path;
	const char *near = wl_srcgraph_closest_export(g, cls);
	char *hint = near ? wl_xasprintf("; did you mean %s?", near) : wl_xstrdup("");
	wl_diag *d;
	if (binding_name)
		d = wl_report(sc->ctx, &rule_not_exported, at, e->name,
		              "class %s (binding %s) is not exported from the entry point %s; add "
		              "`export { %s }` there%s",
		              cls, wl_node_str(binding_name), entry_name, cls, hint);
	else
		d = wl_report(
		    sc->ctx, &rule_not_exported, at, e->name,
		    "class %s is not exported from the entry point %s; add `export { %s }` "
		    "there%s",
		    cls, entry_name, cls, hint);
	free(hint);
	if (!wl_diag_kept(sc->ctx->diags, d))
		return;
	wl_diag_add_related_in(d, use_file(sc, en, 0), wl_span_make(0, 0), "the entry point");
	const wl_srcfile *f = NULL;
	const wl_src_class *c = wl_srcgraph_find_class(g, cls, &f);
	if (c) {
		size_t idx = (size_t)(f - g->files);
		const char *what = c->exported_default ? "declared here, exported only as default"
		                   : c->exported
		                       ? "declared and exported here, but the entry point "
		                         "does not re-export it"
		                       : "declared here, not exported";
		wl_diag_add_related_in(d, use_file(sc, en, idx), c->name_span, "%s", what);
	}
}

static void
check_migration_targets(source_ctx *sc, entry *en, const wl_env *e, bool *limit_noted)
{
	WL_NODE_FOREACH(step, e->migrations)
	{
		static const char *const lists[] = {"renamed_classes", "transferred_classes"};
		for (size_t l = 0; l < 2; l++) {
			WL_NODE_FOREACH(item, wl_node_get(step, lists[l]))
			{
				const wl_node *to = wl_node_get(item, "to");
				if (wl_node_str(to) && *wl_node_str(to))
					check_class(sc, en, e, wl_node_str(to), to, NULL,
					            limit_noted);
			}
		}
	}
}

/* Every env's main must exist, whatever it binds. */
static void
check_main(source_ctx *sc, const wl_env *e)
{
	const wl_node *main = effective_main(sc->ctx->model, e);
	if (!main)
		return;
	/* reported at its node: the top level's once, with no env */
	bool own = main->parent == e->node;
	check_entry_exists(sc, entry_for(sc, main), own ? e->name : NULL);
}

static void
check_env_exports(source_ctx *sc, const wl_env *e)
{
	if (!e->has_local_do)
		return;
	const wl_node *main = effective_main(sc->ctx->model, e);
	if (!main)
		return;
	entry *en = entry_for(sc, main);
	if (!en->exists)
		return; /* reported by check_main */
	wl_srcgraph *g = graph_of(sc, en);
	if (g->entry_unsupported)
		return;
	if (wl_srcgraph_service_worker(g) == WL_TRI_YES) {
		const wl_do_binding *b = NULL;
		for (size_t i = 0; i < e->n_do_bindings && !b; i++)
			if (e->do_bindings[i].local)
				b = &e->do_bindings[i];
		wl_diag *d =
		    wl_report(sc->ctx, &rule_service_worker, b->class_node, e->name,
		              "Durable Object %s needs an ES module Worker, but %s is a "
		              "service-worker script (addEventListener(\"fetch\"), no exports)",
		              b->class_name, g->files[0].src->path);
		if (wl_diag_kept(sc->ctx->diags, d))
			wl_diag_add_related_in(d, use_file(sc, en, 0),
			                       g->files[0].scan->fetch_listener_span,
			                       "the entry point listens for fetch events here");
		return;
	}
	bool limit_noted = false;
	for (size_t i = 0; i < e->n_do_bindings; i++) {
		const wl_do_binding *b = &e->do_bindings[i];
		if (b->local)
			check_class(sc, en, e, b->class_name, b->class_node, b->name_node,
			            &limit_noted);
	}
	if (e->migrations)
		check_migration_targets(sc, en, e, &limit_noted);
}

/* Every DO binding of the config, by name: the first binding node and
 * whether some binding of that name uses class `cls`. */
static const wl_do_binding *
first_binding(const wl_model *m, const char *name)
{
	for (size_t i = 0; i < m->n_envs; i++)
		for (size_t k = 0; k < m->envs[i].n_do_bindings; k++)
			if (strcmp(m->envs[i].do_bindings[k].name, name) == 0)
				return &m->envs[i].do_bindings[k];
	return NULL;
}

/* Whether a binding called `name` uses class `cls` (the Env's type argument,
 * import aliases resolved) or a class that extends it. */
static bool
some_binding_uses(const wl_srcgraph *g, const wl_model *m, const char *name, const char *cls)
{
	for (size_t i = 0; i < m->n_envs; i++)
		for (size_t k = 0; k < m->envs[i].n_do_bindings; k++) {
			const wl_do_binding *b = &m->envs[i].do_bindings[k];
			if (strcmp(b->name, name) != 0)
				continue;
			if (wl_srcgraph_class_is_a(g, b->class_name, cls))
				return true;
			/* another Worker's class: its declaration is not ours to read */
			if (!b->local)
				return true;
		}
	return false;
}

static const char *
kind_text(const wl_src_env_member *m)
{
	return m->type_name ? m->type_name : "another type";
}

static void
check_env_types(source_ctx *sc, entry *en)
{
	const wl_model *m = sc->ctx->model;
	wl_srcgraph *g = en->g;
	bool closed = wl_srcgraph_env_closed(g);
	wl_strmap seen;
	wl_strmap_init(&seen);
	for (size_t i = 0; i < m->n_envs; i++) {
		for (size_t k = 0; k < m->envs[i].n_do_bindings; k++) {
			const wl_do_binding *b = &m->envs[i].do_bindings[k];
			if (wl_strmap_get(&seen, b->name))
				continue;
			wl_strmap_put(&seen, b->name, b);
			const wl_srcgraph_env *decl = NULL;
			const wl_src_env_member *mem =
			    wl_srcgraph_env_member(g, b->name, false, &decl);
			if (!mem) {
				if (!closed || wl_srcgraph_env_member(g, b->name, true, NULL))
					continue;
				/* the first full declaration, for the related note */
				const wl_srcgraph_env *full = NULL;
				for (size_t j = 0; j < g->n_envs && !full; j++)
					if (g->envs[j].full && !g->envs[j].generated)
						full = &g->envs[j];
				wl_diag *d = wl_report(
				    sc->ctx, &rule_env_missing, b->name_node, m->envs[i].name,
				    "Durable Object binding %s has no member in the Env type; add "
				    "`%s: DurableObjectNamespace<%s>`",
				    b->name, b->name, b->class_name);
				if (full && wl_diag_kept(sc->ctx->diags, d))
					wl_diag_add_related_in(d, use_file(sc, en, full->file),
					                       full->env->name_span,
					                       "Env is declared here");
				continue;
			}
			wl_source *src = g->files[decl->file].src;
			if (mem->kind == WL_ENV_TYPE_DO && mem->class_name) {
				const char *cls = wl_srcgraph_imported_name(&g->files[decl->file],
				                                            mem->class_name);
				if (some_binding_uses(g, m, b->name, cls))
					continue;
				src = use_file(sc, en, decl->file);
				char *as = strcmp(cls, mem->class_name) != 0
				               ? wl_xasprintf(" (class %s, imported as %s)", cls,
				                              mem->class_name)
				               : wl_xstrdup("");
				wl_diag *d = wl_diag_emit(
				    sc->ctx->diags, &rule_env_mismatch, src, mem->type_span, NULL,
				    "Env.%s is %s<%s>%s, but binding %s is bound to "
				    "class %s",
				    b->name, kind_text(mem), mem->class_name, as, b->name,
				    b->class_name);
				free(as);
				if (wl_diag_kept(sc->ctx->diags, d))
					wl_diag_add_related_in(d, m->doc->src, b->class_node->span,
					                       "bound here");
			} else if (mem->kind == WL_ENV_TYPE_BINDING ||
			           mem->kind == WL_ENV_TYPE_PRIMITIVE) {
				src = use_file(sc, en, decl->file);
				wl_diag *d = wl_diag_emit(
				    sc->ctx->diags, &rule_env_mismatch, src, mem->type_span, NULL,
				    "Env.%s is declared as %s, but %s is a Durable Object binding; "
				    "use DurableObjectNamespace<%s>",
				    b->name, kind_text(mem), b->name, b->class_name);
				if (wl_diag_kept(sc->ctx->diags, d))
					wl_diag_add_related_in(d, m->doc->src, b->name_node->span,
					                       "bound here");
			}
		}
	}
	/* DO members no env binds */
	for (size_t j = 0; j < g->n_envs; j++) {
		const wl_srcgraph_env *decl = &g->envs[j];
		if (decl->generated)
			continue;
		for (size_t k = 0; k < decl->env->n_members; k++) {
			const wl_src_env_member *mem = &decl->env->members[k];
			if (mem->kind != WL_ENV_TYPE_DO || wl_strmap_get(&seen, mem->name))
				continue;
			wl_diag_emit(
			    sc->ctx->diags, &rule_env_unknown, use_file(sc, en, decl->file),
			    mem->name_span, NULL,
			    "Env.%s is a Durable Object namespace that no environment of %s "
			    "binds; it is undefined at run time",
			    mem->name, m->doc->src->path);
		}
	}
	wl_strmap_free(&seen);
}

/* The member `name` of any binding interface of a generated file. */
static const wl_src_env_member *
generated_member(const wl_srcscan *scan, const char *name)
{
	for (size_t e = 0; e < scan->n_envs; e++)
		for (size_t q = 0; q < scan->envs[e].n_members; q++)
			if (strcmp(scan->envs[e].members[q].name, name) == 0)
				return &scan->envs[e].members[q];
	return NULL;
}

/* source-env-types-stale: a generated file against the config's bindings.
 * Its binding interfaces together (Env, __BaseEnv_Env, per-env ones) must
 * declare every top-level DO binding (a per-env binding may be absent when
 * the file was generated for one env), and each DO member must be a binding
 * of the config, of a class bound to that name. */
static void
check_generated(source_ctx *sc, entry *en)
{
	const wl_model *m = sc->ctx->model;
	wl_srcgraph *g = en->g;
	for (size_t f = 0; f < g->n_files; f++) {
		const wl_srcfile *file = &g->files[f];
		const wl_srcscan *scan = file->scan;
		if (!scan->generated)
			continue;
		const wl_src_env *first = NULL;
		for (size_t e = 0; e < scan->n_envs && !first; e++)
			if (scan->envs[e].n_members)
				first = &scan->envs[e];
		if (!first)
			continue; /* a custom --env-interface name, or no bindings at all */
		char *problem = NULL;
		const wl_env *top = &m->envs[0];
		for (size_t k = 0; k < top->n_do_bindings && !problem; k++)
			if (!generated_member(scan, top->do_bindings[k].name))
				problem =
				    wl_xasprintf("binding %s is missing", top->do_bindings[k].name);
		for (size_t e = 0; e < scan->n_envs && !problem; e++) {
			const wl_src_env *env = &scan->envs[e];
			for (size_t q = 0; q < env->n_members && !problem; q++) {
				const wl_src_env_member *mem = &env->members[q];
				if (mem->kind != WL_ENV_TYPE_DO)
					continue;
				const wl_do_binding *b = first_binding(m, mem->name);
				if (!b) {
					problem = wl_xasprintf(
					    "it declares %s, which the config no longer binds",
					    mem->name);
					continue;
				}
				if (!mem->class_name)
					continue;
				bool any = false;
				for (size_t i = 0; i < m->n_envs && !any; i++)
					for (size_t k = 0; k < m->envs[i].n_do_bindings; k++) {
						const wl_do_binding *o = &m->envs[i].do_bindings[k];
						if (strcmp(o->name, mem->name) == 0 &&
						    (strcmp(o->class_name, mem->class_name) == 0 ||
						     !o->local))
							any = true;
					}
				if (!any)
					problem =
					    wl_xasprintf("it types %s as %s, the config binds %s",
					                 mem->name, mem->class_name, b->class_name);
			}
		}
		if (!problem)
			continue;
		wl_source *src = use_file(sc, en, f);
		wl_diag_emit(sc->ctx->diags, &rule_types_stale, src, first->name_span, NULL,
		             "%s is out of date (%s): run `wrangler types`", src->path, problem);
		free(problem);
	}
}

static void
check(wl_check_ctx *ctx)
{
	const wl_lint_options *opts = ctx->opts;
	if (!ctx->model || !opts || !opts->check_siblings || opts->no_source || !ctx->session)
		return;
	const wl_model *m = ctx->model;
	if (m->pages)
		return;
	bool any_do = false;
	for (size_t i = 0; i < m->n_envs; i++)
		if (m->envs[i].n_do_bindings)
			any_do = true;
	source_ctx sc = {.ctx = ctx};
	sc.config_dir = wl_path_dir(ctx->doc->src->path, "");
	sc.root = wl_srcgraph_find_root(*sc.config_dir ? sc.config_dir : ".");
	if (!sc.root) {
		free(sc.config_dir);
		return;
	}
	for (size_t i = 0; i < m->n_envs; i++)
		check_main(&sc, &m->envs[i]);
	for (size_t i = 0; any_do && i < m->n_envs; i++)
		check_env_exports(&sc, &m->envs[i]);
	/* Env types: with the top level's entry, or, when only environments
	 * name one, the first of theirs (the d.ts files of the config's folder
	 * come with every graph; one Env type serves every environment). */
	const wl_node *main = NULL;
	for (size_t i = 0; any_do && !main && i < m->n_envs; i++)
		main = effective_main(m, &m->envs[i]);
	if (main) {
		entry *en = entry_for(&sc, main);
		if (en->exists && !graph_of(&sc, en)->entry_unsupported) {
			check_env_types(&sc, en);
			check_generated(&sc, en);
		}
	}
	for (size_t i = 0; i < sc.n_entries; i++) {
		if (sc.entries[i].g)
			wl_srcgraph_free(sc.entries[i].g);
		free(sc.entries[i].adopted);
		free(sc.entries[i].path);
		free(sc.entries[i].resolved);
	}
	free(sc.entries);
	free(sc.root);
	free(sc.config_dir);
}

const wl_rule_family wl_family_source = {"source", rules, sizeof(rules) / sizeof(rules[0]), check};
