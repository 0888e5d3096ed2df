#include "model.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* From wrangler's normalizeAndValidateEnvironment (notInheritable calls),
 * wrangler 4.86 plus the keys added up to 4.164 (websearch: 4.125 only). */
const char *const wl_non_inheritable_keys[] = {
    "agent_memory",
    "ai",
    "ai_search",
    "ai_search_namespaces",
    "analytics",
    "analytics_engine_datasets",
    "artifacts",
    "browser",
    "cloudchamber",
    "connect",
    "containers",
    "d1_databases",
    "define",
    "dispatch_namespaces",
    "durable_objects",
    "flagship",
    "hyperdrive",
    "images",
    "k2",
    "kv_namespaces",
    "media",
    "mtls_certificates",
    "pipelines",
    "queues",
    "r2_buckets",
    "ratelimits",
    "secrets",
    "secrets_store_secrets",
    "send_email",
    "services",
    "stream",
    "streaming_tail_consumers",
    "tail_consumers",
    "unsafe",
    "unsafe_hello_world",
    "vars",
    "vectorize",
    "version_metadata",
    "vpc_networks",
    "vpc_services",
    "websearch",
    "worker_loaders",
    "workflows",
    NULL,
};

/* Read only from the root (wrangler's ConfigFields; addresses and
 * dependencies_instrumentation since 4.164). */
const char *const wl_top_level_only_keys[] = {
    "$schema",      "addresses", "alias",      "data_blobs",   "dependencies_instrumentation",
    "dev",          "env",       "keep_vars",  "legacy_env",   "pages_build_output_dir",
    "send_metrics", "site",      "text_blobs", "wasm_modules", NULL,
};

static int
cmp_key(const void *key, const void *entry)
{
	return strcmp(key, *(const char *const *)entry);
}

/* The lists are sorted (test_model checks it): the model asks for every
 * member of every environment. */
static bool
in_list(const char *const *list, size_t n, const char *key)
{
	return bsearch(key, list, n, sizeof(*list), cmp_key) != NULL;
}

bool
wl_key_is_non_inheritable(const char *key)
{
	return in_list(wl_non_inheritable_keys,
	               sizeof(wl_non_inheritable_keys) / sizeof(*wl_non_inheritable_keys) - 1, key);
}

bool
wl_key_is_top_level_only(const char *key)
{
	return in_list(wl_top_level_only_keys,
	               sizeof(wl_top_level_only_keys) / sizeof(*wl_top_level_only_keys) - 1, key);
}

typedef enum {
	SHAPE_ARRAY,        /* key: [ {field: NAME} ] */
	SHAPE_NESTED_ARRAY, /* key: { sub: [ {field: NAME} ] }, or [ NAME ] when field is NULL */
	SHAPE_OBJECT,       /* key: { field: NAME } */
	SHAPE_KEYS,         /* key: { NAME: value } */
} binding_shape;

typedef enum { SCOPE_ENV, SCOPE_INHERITABLE, SCOPE_TOP_ONLY } binding_scope;

typedef struct binding_kind {
	const char *key;
	const char *type; /* wrangler's friendly name */
	binding_shape shape;
	const char *sub;
	const char *field;
	binding_scope scope;
} binding_kind;

static const binding_kind binding_kinds[] = {
    {"durable_objects", "Durable Object", SHAPE_NESTED_ARRAY, "bindings", "name", SCOPE_ENV},
    {"kv_namespaces", "KV Namespace", SHAPE_ARRAY, NULL, "binding", SCOPE_ENV},
    {"r2_buckets", "R2 Bucket", SHAPE_ARRAY, NULL, "binding", SCOPE_ENV},
    {"d1_databases", "D1 Database", SHAPE_ARRAY, NULL, "binding", SCOPE_ENV},
    {"queues", "Queue", SHAPE_NESTED_ARRAY, "producers", "binding", SCOPE_ENV},
    {"services", "Worker", SHAPE_ARRAY, NULL, "binding", SCOPE_ENV},
    {"vars", "Environment Variable", SHAPE_KEYS, NULL, NULL, SCOPE_ENV},
    {"secrets", "Secret", SHAPE_NESTED_ARRAY, "required", NULL, SCOPE_ENV},
    {"workflows", "Workflow", SHAPE_ARRAY, NULL, "binding", SCOPE_ENV},
    {"ai", "AI", SHAPE_OBJECT, NULL, "binding", SCOPE_ENV},
    {"browser", "Browser", SHAPE_OBJECT, NULL, "binding", SCOPE_ENV},
    {"images", "Images", SHAPE_OBJECT, NULL, "binding", SCOPE_ENV},
    {"version_metadata", "Worker Version Metadata", SHAPE_OBJECT, NULL, "binding", SCOPE_ENV},
    {"vectorize", "Vectorize Index", SHAPE_ARRAY, NULL, "binding", SCOPE_ENV},
    {"hyperdrive", "Hyperdrive", SHAPE_ARRAY, NULL, "binding", SCOPE_ENV},
    {"analytics_engine_datasets", "Analytics Engine Dataset", SHAPE_ARRAY, NULL, "binding",
     SCOPE_ENV},
    {"dispatch_namespaces", "Dispatch Namespace", SHAPE_ARRAY, NULL, "binding", SCOPE_ENV},
    {"mtls_certificates", "mTLS Certificate", SHAPE_ARRAY, NULL, "binding", SCOPE_ENV},
    {"send_email", "Send Email", SHAPE_ARRAY, NULL, "name", SCOPE_ENV},
    {"pipelines", "Pipeline", SHAPE_ARRAY, NULL, "binding", SCOPE_ENV},
    {"secrets_store_secrets", "Secrets Store Secret", SHAPE_ARRAY, NULL, "binding", SCOPE_ENV},
    {"ratelimits", "Rate Limit", SHAPE_ARRAY, NULL, "name", SCOPE_ENV},
    {"worker_loaders", "Worker Loader", SHAPE_ARRAY, NULL, "binding", SCOPE_ENV},
    {"vpc_services", "VPC Service", SHAPE_ARRAY, NULL, "binding", SCOPE_ENV},
    {"unsafe", "Unsafe", SHAPE_NESTED_ARRAY, "bindings", "name", SCOPE_ENV},
    /* Binding keys of newer wrangler releases (4.164's friendlyBindingNames). */
    {"ai_search_namespaces", "AI Search Namespace", SHAPE_ARRAY, NULL, "binding", SCOPE_ENV},
    {"ai_search", "AI Search Instance", SHAPE_ARRAY, NULL, "binding", SCOPE_ENV},
    {"agent_memory", "Agent Memory", SHAPE_ARRAY, NULL, "binding", SCOPE_ENV},
    {"analytics", "Analytics SQL", SHAPE_OBJECT, NULL, "binding", SCOPE_ENV},
    {"stream", "Stream", SHAPE_OBJECT, NULL, "binding", SCOPE_ENV},
    {"media", "Media", SHAPE_OBJECT, NULL, "binding", SCOPE_ENV},
    {"k2", "K2 Stream", SHAPE_ARRAY, NULL, "binding", SCOPE_ENV},
    {"artifacts", "Artifacts", SHAPE_ARRAY, NULL, "binding", SCOPE_ENV},
    {"unsafe_hello_world", "Hello World", SHAPE_ARRAY, NULL, "binding", SCOPE_ENV},
    {"flagship", "Flagship", SHAPE_ARRAY, NULL, "binding", SCOPE_ENV},
    {"vpc_networks", "VPC Network", SHAPE_ARRAY, NULL, "binding", SCOPE_ENV},
    {"logfwdr", "logfwdr", SHAPE_NESTED_ARRAY, "bindings", "name", SCOPE_INHERITABLE},
    {"assets", "Assets", SHAPE_OBJECT, NULL, "binding", SCOPE_INHERITABLE},
    {"wasm_modules", "Wasm Module", SHAPE_KEYS, NULL, NULL, SCOPE_TOP_ONLY},
    {"text_blobs", "Text Blob", SHAPE_KEYS, NULL, NULL, SCOPE_TOP_ONLY},
    {"data_blobs", "Data Blob", SHAPE_KEYS, NULL, NULL, SCOPE_TOP_ONLY},
};

static uint32_t
intern_in(wl_strmap *map, size_t *n, const char *name)
{
	uintptr_t id = (uintptr_t)wl_strmap_get(map, name);
	if (id)
		return (uint32_t)(id - 1);
	wl_strmap_put(map, name, (const void *)(uintptr_t)(*n + 1));
	return (uint32_t)(*n)++;
}

static uint32_t
intern(wl_model *m, const char *name)
{
	return intern_in(&m->name_ids, &m->n_names, name);
}

bool
wl_model_class_id(const wl_model *m, const char *class_name, uint32_t *id)
{
	uintptr_t v = (uintptr_t)wl_strmap_get(&m->class_ids, class_name);
	if (!v)
		return false;
	*id = (uint32_t)(v - 1);
	return true;
}

/* `id` is the name's interned id when the caller has it, else UINT32_MAX. */
static void
push_binding_id(wl_model *mo, wl_env *e, size_t *cap, const binding_kind *k,
                const wl_node *name_node, const char *name, uint32_t id, bool inherited)
{
	if (!name) /* an empty name is kept: binding-name-not-identifier says so */
		return;
	wl_xgrow((void **)&e->bindings, cap, e->n_bindings + 1, sizeof(*e->bindings));
	wl_binding *b = &e->bindings[e->n_bindings++];
	b->name = name;
	b->name_id = id != UINT32_MAX ? id : intern(mo, name);
	b->name_node = name_node;
	b->type = k->type;
	b->key = k->key;
	b->inherited = inherited;
	b->per_env = k->scope == SCOPE_ENV;
	b->name_is_key = k->shape == SHAPE_KEYS;
}

static void
push_binding(wl_model *mo, wl_env *e, size_t *cap, const binding_kind *k, const wl_node *name_node,
             const char *name, bool inherited)
{
	push_binding_id(mo, e, cap, k, name_node, name, UINT32_MAX, inherited);
}

static void
push_named_items(wl_model *mo, wl_env *e, size_t *cap, const binding_kind *k, const wl_node *arr,
                 bool inherited)
{
	if (!wl_node_is(arr, json_type_array))
		return;
	WL_NODE_FOREACH(item, arr)
	{
		if (!k->field) {
			push_binding(mo, e, cap, k, item, wl_node_str(item), inherited);
			continue;
		}
		const wl_node *n = wl_node_get(item, k->field);
		push_binding(mo, e, cap, k, n, wl_node_str(n), inherited);
	}
}

static void
collect_kind(wl_model *mo, wl_env *e, size_t *cap, const binding_kind *k, const wl_node *v,
             bool inherited)
{
	switch (k->shape) {
	case SHAPE_ARRAY:
		push_named_items(mo, e, cap, k, v, inherited);
		break;
	case SHAPE_NESTED_ARRAY:
		push_named_items(mo, e, cap, k, wl_node_get(v, k->sub), inherited);
		break;
	case SHAPE_OBJECT: {
		const wl_node *n = wl_node_get(v, k->field);
		push_binding(mo, e, cap, k, n, wl_node_str(n), inherited);
		break;
	}
	case SHAPE_KEYS:
		if (!wl_node_is(v, json_type_object))
			break;
		WL_NODE_FOREACH(m, v)
		{
			push_binding(mo, e, cap, k, m, m->key, inherited);
		}
		break;
	}
}

static void
collect_bindings(wl_model *mo, wl_env *e, const wl_node *root)
{
	size_t cap = 0;
	for (size_t i = 0; i < sizeof(binding_kinds) / sizeof(binding_kinds[0]); i++) {
		const binding_kind *k = &binding_kinds[i];
		const wl_node *own =
		    e->name && k->scope == SCOPE_TOP_ONLY ? NULL : wl_node_get(e->node, k->key);
		/* wrangler resolves inheritable keys with `??`: null inherits. */
		if (own && own->type == json_type_null && e->name && k->scope == SCOPE_INHERITABLE)
			own = NULL;
		if (own && k == &binding_kinds[0]) {
			/* Durable Objects: already collected, keep those. */
			for (size_t j = 0; j < e->n_do_bindings; j++)
				push_binding_id(mo, e, &cap, k, e->do_bindings[j].name_node,
				                e->do_bindings[j].name, e->do_bindings[j].name_id,
				                false);
		} else if (own) {
			collect_kind(mo, e, &cap, k, own, false);
		} else if (e->name && k->scope != SCOPE_ENV) {
			collect_kind(mo, e, &cap, k, wl_node_get(root, k->key), true);
		}
	}
}

static void
collect_do_bindings(wl_model *mo, wl_env *e)
{
	const wl_node *bindings = wl_node_get(e->durable_objects, "bindings");
	if (!wl_node_is(bindings, json_type_array))
		return;
	e->do_bindings = wl_xcalloc(bindings->n_children, sizeof(*e->do_bindings));
	static const char *const fields[] = {"name", "class_name", "script_name", "environment"};
	WL_NODE_FOREACH(item, bindings)
	{
		const wl_node *f[4];
		wl_node_fields(item, fields, f, 4);
		const wl_node *name = f[0], *cls = f[1];
		const char *name_s = wl_node_str(name), *cls_s = wl_node_str(cls);
		if (!name_s || !*name_s || !cls_s || !*cls_s)
			continue;
		wl_do_binding *b = &e->do_bindings[e->n_do_bindings++];
		b->node = item;
		b->name_node = name;
		b->class_node = cls;
		b->name = name_s;
		b->name_id = intern(mo, name_s);
		b->class_name = cls_s;
		b->class_id = intern_in(&mo->class_ids, &mo->n_classes, cls_s);
		b->script_raw = f[2];
		b->environment_raw = f[3];
		const wl_node *script = f[2];
		if (wl_node_str(script)) {
			b->script_node = script;
			b->script_name = wl_node_str(script);
		}
		const wl_node *envn = f[3];
		if (wl_node_str(envn)) {
			b->environment_node = envn;
			b->environment = wl_node_str(envn);
		}
		/* A binding whose script_name or environment is malformed has no
		 * known target: neither local nor external checks apply to it (its
		 * shape is reported). A Pages project implements no classes. */
		bool malformed = (f[2] && !b->script_name) || (f[3] && !b->environment) ||
		                 (b->environment && !b->script_name);
		b->local = !malformed && !mo->pages &&
		           (!b->script_name || (!b->environment && e->worker_name &&
		                                strcmp(b->script_name, e->worker_name) == 0));
		if (b->local)
			e->has_local_do = true;
	}
}

bool
wl_exports_class_live(const wl_node *exports, const char *class_name)
{
	const wl_node *entry = wl_node_get(exports, class_name);
	const char *type = wl_node_str(wl_node_get(entry, "type"));
	if (!type || strcmp(type, "durable-object") != 0)
		return false;
	const wl_node *state = wl_node_get(entry, "state");
	if (!state)
		return true;
	const char *s = wl_node_str(state);
	return s && (strcmp(s, "created") == 0 || strcmp(s, "expecting-transfer") == 0);
}

/* wrangler's `??`: a key set to null counts as absent. */
static const wl_node *
present(const wl_node *obj, const char *key)
{
	const wl_node *n = wl_node_get(obj, key);
	return n && n->type != json_type_null ? n : NULL;
}

static void
init_env(wl_model *mo, wl_env *e, const wl_node *root, const wl_node *node, const char *name)
{
	e->name = name;
	e->node = node;
	e->label = name ? wl_xasprintf("env.%s", name) : wl_xstrdup("top level");
	const char *top_name = wl_node_str(wl_node_get(root, "name"));
	const char *own_name = wl_node_str(wl_node_get(node, "name"));
	if (own_name)
		e->worker_name = wl_xstrdup(own_name);
	else if (top_name)
		e->worker_name =
		    name ? wl_xasprintf("%s-%s", top_name, name) : wl_xstrdup(top_name);
	e->durable_objects = wl_node_get(node, "durable_objects");
	e->migrations = present(node, "migrations");
	e->own_migrations = name && e->migrations;
	if (!e->migrations && name)
		e->migrations = present(root, "migrations");
	e->exports = present(node, "exports");
	e->own_exports = name && e->exports;
	if (!e->exports && name)
		e->exports = present(root, "exports");
	collect_do_bindings(mo, e);
	collect_bindings(mo, e, root);
}

wl_model *
wl_model_build(const wl_doc *doc)
{
	const wl_node *root = doc->root;
	if (!wl_node_is(root, json_type_object))
		return NULL;
	wl_model *m = wl_xcalloc(1, sizeof(*m));
	m->doc = doc;
	m->pages = wl_node_get(root, "pages_build_output_dir") != NULL;
	const wl_node *envs = wl_node_get(root, "env");
	size_t n = 1 + (wl_node_is(envs, json_type_object) ? envs->n_children : 0);
	m->envs = wl_xcalloc(n, sizeof(*m->envs));
	wl_strmap_init(&m->name_ids);
	wl_strmap_init(&m->class_ids);
	init_env(m, &m->envs[m->n_envs++], root, root, NULL);
	WL_NODE_FOREACH(env, wl_node_is(envs, json_type_object) ? envs : NULL)
	{
		if (wl_node_is(env, json_type_object))
			init_env(m, &m->envs[m->n_envs++], root, env, env->key);
	}
	return m;
}

void
wl_model_free(wl_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_envs; i++) {
		free(m->envs[i].label);
		free(m->envs[i].worker_name);
		free(m->envs[i].do_bindings);
		free(m->envs[i].bindings);
	}
	free(m->envs);
	wl_strmap_free(&m->name_ids);
	wl_strmap_free(&m->class_ids);
	free(m);
}

void
wl_name_marks_init(wl_name_marks *m, const wl_model *model)
{
	size_t n = model->n_names ? model->n_names : 1;
	m->stamp = wl_xcalloc(n, sizeof(*m->stamp));
	m->value = wl_xcalloc(n, sizeof(*m->value));
	m->current = 1;
}

void
wl_name_marks_clear(wl_name_marks *m)
{
	m->current++;
}

const void *
wl_name_marks_get(const wl_name_marks *m, uint32_t id)
{
	return m->stamp[id] == m->current ? m->value[id] : NULL;
}

void
wl_name_marks_set(wl_name_marks *m, uint32_t id, const void *value)
{
	m->stamp[id] = m->current;
	m->value[id] = value;
}

void
wl_name_marks_free(wl_name_marks *m)
{
	free(m->stamp);
	free(m->value);
}
