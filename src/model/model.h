/* wl_model: the effective configuration of the top level and of every
 * `env.NAME`, as wrangler resolves it, with the bindings the checks need.
 *
 * Building a model reports nothing: ill-shaped parts are left out, and the
 * rule families that own those shapes report them. Every pointer into the
 * document is borrowed and lives as long as the document; the model itself
 * is owned by the caller (wl_model_free). */
#ifndef WL_MODEL_H
#define WL_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "doc.h"
#include "strmap.h"

/* A Durable Object binding whose name and class_name are non-empty strings. */
typedef struct wl_do_binding {
	const wl_node *node; /* the binding object */
	const wl_node *name_node;
	const wl_node *class_node;
	const wl_node *script_node; /* NULL when absent or not a string */
	const wl_node *environment_node;
	const char *name, *class_name, *script_name, *environment;
	uint32_t name_id;  /* interned binding name (see wl_model.n_names) */
	uint32_t class_id; /* interned class name (see wl_model.n_classes) */
	/* script_name and environment whatever their type (NULL when absent). */
	const wl_node *script_raw, *environment_raw;
	/* Implemented by this env's own Worker: no script_name, or the env's
	 * own Worker name. False when script_name/environment are malformed and
	 * in Pages projects, which implement no classes. */
	bool local;
} wl_do_binding;

/* Any named binding of any type (for name uniqueness and cross-env types). */
typedef struct wl_binding {
	const char *name;
	uint32_t name_id;         /* interned: equal names, equal ids, in every env */
	const wl_node *name_node; /* the string (or the key, for vars and blobs) */
	const char *type;         /* friendly name: "Durable Object", "KV Namespace", ... */
	const char *key;          /* config key: "durable_objects", "kv_namespaces", ... */
	bool inherited;           /* from the top level (inheritable or top-level-only key) */
	bool per_env;             /* its key is not inherited: each env must repeat it */
	bool name_is_key;         /* the name is name_node's key (vars, blobs) */
} wl_binding;

/* Where a binding's name stands in the file. */
static inline wl_span
wl_binding_span(const wl_binding *b)
{
	return b->name_is_key ? b->name_node->key_span : b->name_node->span;
}

typedef struct wl_env {
	const char *name;               /* NULL for the top level */
	char *label;                    /* owned: "top level" or "env.NAME" */
	const wl_node *node;            /* the env object (the root for the top level) */
	char *worker_name;              /* owned; resolved Worker name, NULL when unknown */
	const wl_node *durable_objects; /* own `durable_objects`, or NULL */
	wl_do_binding *do_bindings;     /* owned, source order */
	size_t n_do_bindings;
	bool has_local_do;
	wl_binding *bindings; /* owned, source order; every type */
	size_t n_bindings;
	const wl_node *migrations; /* effective: own, else the top level's; may be NULL */
	bool own_migrations;       /* set in env.NAME itself (overrides the top level) */
	const wl_node *exports;    /* effective `exports`, or NULL */
	bool own_exports;
} wl_env;

typedef struct wl_model {
	const wl_doc *doc;
	wl_env *envs; /* [0] is the top level, then env.* in source order */
	size_t n_envs;
	bool pages; /* a Pages project (pages_build_output_dir is set) */
	/* Binding names are interned once, so the checks index arrays by
	 * name_id instead of hashing the same names again per environment. */
	size_t n_names;
	wl_strmap name_ids; /* name -> id + 1 */
	/* Bound class names, interned the same way. */
	size_t n_classes;
	wl_strmap class_ids;
} wl_model;

/* The interned id of a class that some binding uses; false when none does. */
bool wl_model_class_id(const wl_model *m, const char *class_name, uint32_t *id);

/* Scratch marks over interned names, cleared in O(1) between uses: a value
 * per name id that is only visible until the next wl_name_marks_clear. */
typedef struct wl_name_marks {
	uint32_t *stamp;
	const void **value;
	uint32_t current;
} wl_name_marks;

void wl_name_marks_init(wl_name_marks *m, const wl_model *model);
void wl_name_marks_clear(wl_name_marks *m);
const void *wl_name_marks_get(const wl_name_marks *m, uint32_t id);
void wl_name_marks_set(wl_name_marks *m, uint32_t id, const void *value);
void wl_name_marks_free(wl_name_marks *m);

/* Returns NULL when the document has no object at its root. */
wl_model *wl_model_build(const wl_doc *doc);
void wl_model_free(wl_model *m);

/* Non-inheritable keys (each env must repeat them), top-level-only keys. */
bool wl_key_is_non_inheritable(const char *key);
bool wl_key_is_top_level_only(const char *key);
extern const char *const wl_non_inheritable_keys[];
extern const char *const wl_top_level_only_keys[];

/* True when `exports` (an effective exports object) declares `class_name`
 * as a live Durable Object: type "durable-object" and state "created" (the
 * default) or "expecting-transfer". */
bool wl_exports_class_live(const wl_node *exports, const char *class_name);

/* Where an env is, for messages: "the top level" or "env.NAME". */
static inline const char *
wl_env_where(const wl_env *e)
{
	return e->name ? e->label : "the top level";
}

#endif
