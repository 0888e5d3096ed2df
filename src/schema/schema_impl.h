/* The compiled form of a JSON Schema: flat tables of schema objects, values,
 * properties and index lists, with every $ref resolved to a table index.
 *
 * The same tables come from two places: tools/schema-gen.c compiles
 * schemas/wrangler.schema.json at build time and writes them out as static
 * C arrays (so the built-in schema costs nothing at run time), and
 * wl_schema_compile builds them on the heap for a user schema. Both use
 * wl_stables_build below, which reads a json-c tree and depends on nothing
 * but json-c and xalloc.c (the build tool links it natively).
 *
 * Private to the schema module (schema.c, schema_compile.c, the build tool
 * and the unit tests). */
#ifndef WL_SCHEMA_IMPL_H
#define WL_SCHEMA_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

#define WL_SNONE UINT32_MAX

/* A JSON value from the schema (enum, const), kept for comparisons and
 * messages. Array items and object members are values[first .. first+n). */
enum {
	WL_SV_NULL,
	WL_SV_FALSE,
	WL_SV_TRUE,
	WL_SV_NUMBER,
	WL_SV_STRING,
	WL_SV_ARRAY,
	WL_SV_OBJECT,
};

typedef struct wl_sval {
	uint8_t kind;
	uint8_t integer; /* a number written without fraction or exponent */
	uint32_t first, n;
	double num;
	const char *str; /* WL_SV_STRING */
	const char *key; /* the member name, for members of an object */
} wl_sval;

enum {
	WL_SN_TRUE,   /* `true` or {}: accepts everything */
	WL_SN_FALSE,  /* `false`: accepts nothing */
	WL_SN_OBJECT, /* a schema object */
};

/* Bits of wl_snode.type_mask, one per JSON Schema type name. */
enum {
	WL_ST_OBJECT = 1,
	WL_ST_ARRAY = 2,
	WL_ST_STRING = 4,
	WL_ST_INTEGER = 8,
	WL_ST_NUMBER = 16,
	WL_ST_BOOLEAN = 32,
	WL_ST_NULL = 64,
};

/* Bits of wl_snode.flags: which numeric keywords are present. */
enum {
	WL_SF_MINIMUM = 1 << 0,
	WL_SF_MAXIMUM = 1 << 1,
	WL_SF_XMINIMUM = 1 << 2,
	WL_SF_XMAXIMUM = 1 << 3,
	WL_SF_MULTIPLE = 1 << 4,
	WL_SF_UNIQUE = 1 << 5,
	WL_SF_DEPRECATED = 1 << 6, /* "deprecated": true or a message */
	WL_SF_TYPE = 1 << 7,       /* "type" present (type_mask may still be 0) */
};

typedef struct wl_snode {
	uint8_t kind;
	uint8_t type_mask;
	uint16_t flags;
	/* Subschemas (node indices, WL_SNONE when absent). */
	uint32_t ref, additional, items, additional_items, not_, contains, property_names, if_,
	    then_, else_;
	uint32_t props, n_props;       /* props[]: "properties", in source order */
	uint32_t props_sorted;         /* lists[]: n_props indices into props[], by name */
	uint32_t pprops, n_pprops;     /* pprops[]: "patternProperties" */
	uint32_t required, n_required; /* strs[] */
	uint32_t types, n_types;       /* strs[]: the "type" names, in source order */
	uint32_t tuple, n_tuple;       /* lists[]: "items" given as an array */
	uint32_t all, n_all, any, n_any, one, n_one; /* lists[] */
	uint32_t deps, n_deps;                       /* deps[]: "dependencies" */
	uint32_t en;                                 /* values[] of the "enum" array */
	uint32_t cst;                                /* values[] of "const" */
	uint32_t pattern;                            /* patterns[] */
	double minimum, maximum, xminimum, xmaximum, multiple_of;
	/* -1 when absent. */
	int64_t min_items, max_items, min_length, max_length, min_props, max_props;
	/* notes[]: our text annotations, or WL_SNONE when there are none. */
	uint32_t notes;
	/* values[] of the x-deprecated-values object (string value -> message)
	 * and of the x-since-values object (string value -> version), or
	 * WL_SNONE. */
	uint32_t deprecated_values, since_values;
} wl_snode;

/* Our text annotations of a node, apart from wl_snode so that the node
 * table holds no pointer: the built-in one is then plain read-only data,
 * which the loader neither relocates nor copies at start-up. */
typedef struct wl_snotes {
	/* x-pattern-description, deprecated (a message; NULL with
	 * WL_SF_DEPRECATED for `true`), x-removed, x-since. */
	const char *pattern_desc, *deprecated, *removed, *since;
	/* x-deprecated-since: the wrangler version from which `deprecated`
	 * applies, or NULL (always). */
	const char *deprecated_since;
} wl_snotes;

typedef struct wl_sprop {
	const char *name;
	uint32_t node;
} wl_sprop;

typedef struct wl_spprop {
	uint32_t pattern, node;
} wl_spprop;

typedef struct wl_sdep {
	const char *name;
	uint32_t node;                 /* a schema dependency, or WL_SNONE */
	uint32_t required, n_required; /* strs[]: a property dependency */
} wl_sdep;

/* The root schema is nodes[0]. */
typedef struct wl_stables {
	const wl_snode *nodes;
	uint32_t n_nodes;
	const wl_sval *values;
	uint32_t n_values;
	const wl_sprop *props;
	uint32_t n_props;
	const wl_spprop *pprops;
	uint32_t n_pprops;
	const wl_sdep *deps;
	uint32_t n_deps;
	const uint32_t *lists;
	uint32_t n_lists;
	const char *const *strs;
	uint32_t n_strs;
	const char *const *patterns; /* pattern sources, compiled at run time */
	uint32_t n_patterns;
	const wl_snotes *notes;
	uint32_t n_notes;
	const char *newest_since; /* the highest x-since or x-wrangler-version, or NULL */
	void *heap;               /* what wl_stables_free releases; NULL when static */
} wl_stables;

/* The annotations of node `n` (all NULL when it has none). */
static inline const wl_snotes *
wl_snode_notes(const wl_stables *t, const wl_snode *n)
{
	static const wl_snotes none;
	return n->notes == WL_SNONE ? &none : &t->notes[n->notes];
}

/* Builds tables from a json-c tree. Every array and string of the result is
 * owned by it; release with wl_stables_free. Returns false with an owned
 * message in *error (quoting only $ref values, which the caller has already
 * accepted as schema text) when a $ref does not resolve. */
bool wl_stables_build(struct json_object *root, wl_stables *out, char **error);
void wl_stables_free(wl_stables *t);

/* The built-in schema's tables, generated at build time by
 * tools/schema-gen.c (builtin_schema.c in the build folder). */
extern const wl_stables wl_builtin_stables;

typedef struct wl_schema wl_schema;
/* A schema over tables that outlive it (static ones): one reference. */
wl_schema *wl_schema_from_tables(const wl_stables *t);

/* Compiles a schema from a json-c tree (borrowed; the result copies what it
 * needs) without the checks wl_schema_compile makes on files: any value,
 * booleans included, is a schema. For the test-suite runner. */
wl_schema *wl_schema_from_json(struct json_object *root, char **error);

/* Orders two dotted versions ("4.107.0"): <0, 0, >0. Missing parts are 0;
 * anything after the digits of a part is ignored. */
int wl_version_cmp(const char *a, const char *b);

#endif
