/* Build-time compiler for the built-in schema: reads a JSON Schema, builds
 * its tables with the library's own wl_stables_build (schema_compile.c,
 * linked natively) and writes them as static C arrays, so the linter never
 * parses or compiles its own schema at run time.
 *
 * usage: schema-gen INPUT.json OUTPUT.c */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema_impl.h"
#include "xalloc.h"

static void
put_str(FILE *out, const char *s)
{
	if (!s) {
		fputs("NULL", out);
		return;
	}
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		/* Octal for anything but plain printable ASCII; '?' too, so no
		 * trigraph can form under -std=c11. */
		if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\' || *p == '?')
			fprintf(out, "\\%03o", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static void
put_u32(FILE *out, uint32_t v)
{
	if (v == WL_SNONE)
		fputs("WL_SNONE", out);
	else
		fprintf(out, "%uu", v);
}

static void
put_double(FILE *out, double d)
{
	fprintf(out, "%a", d);
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: schema-gen INPUT.json OUTPUT.c\n");
		return 2;
	}
	FILE *in = fopen(argv[1], "rb");
	if (!in) {
		perror(argv[1]);
		return 1;
	}
	size_t cap = 1 << 16, len = 0, r;
	char *buf = wl_xmalloc(cap);
	while ((r = fread(buf + len, 1, cap - len, in)) > 0) {
		len += r;
		if (len == cap) {
			cap *= 2;
			buf = wl_xrealloc(buf, cap);
		}
	}
	fclose(in);
	struct json_tokener *tok = json_tokener_new_ex(1000);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	struct json_object *root = json_tokener_parse_ex(tok, buf, (int)len);
	if (!root || json_tokener_get_error(tok) != json_tokener_success) {
		fprintf(stderr, "schema-gen: %s: %s\n", argv[1],
		        json_tokener_error_desc(json_tokener_get_error(tok)));
		return 1;
	}
	json_tokener_free(tok);
	free(buf);
	wl_stables t;
	char *error = NULL;
	if (!wl_stables_build(root, &t, &error)) {
		fprintf(stderr, "schema-gen: %s: %s\n", argv[1], error);
		return 1;
	}
	FILE *out = fopen(argv[2], "wb");
	if (!out) {
		perror(argv[2]);
		return 1;
	}
	fprintf(out, "/* Generated from %s by tools/schema-gen.c: do not edit. */\n", argv[1]);
	fputs("#include <stddef.h>\n#include \"schema_impl.h\"\n\n", out);

	fprintf(out, "static const char *const strs[%u] = {\n", t.n_strs ? t.n_strs : 1);
	if (!t.n_strs)
		fputs("\tNULL,\n", out);
	for (uint32_t i = 0; i < t.n_strs; i++) {
		fputc('\t', out);
		put_str(out, t.strs[i]);
		fputs(",\n", out);
	}
	fputs("};\n\n", out);

	fprintf(out, "static const char *const patterns[%u] = {\n",
	        t.n_patterns ? t.n_patterns : 1);
	if (!t.n_patterns)
		fputs("\tNULL,\n", out);
	for (uint32_t i = 0; i < t.n_patterns; i++) {
		fputc('\t', out);
		put_str(out, t.patterns[i]);
		fputs(",\n", out);
	}
	fputs("};\n\n", out);

	fprintf(out, "static const uint32_t lists[%u] = {", t.n_lists ? t.n_lists : 1);
	if (!t.n_lists)
		fputs("0u", out);
	for (uint32_t i = 0; i < t.n_lists; i++)
		fprintf(out, "%s%uu,", i % 12 ? " " : "\n\t", t.lists[i]);
	fputs("\n};\n\n", out);

	fprintf(out, "static const wl_sprop props[%u] = {\n", t.n_props ? t.n_props : 1);
	if (!t.n_props)
		fputs("\t{0},\n", out);
	for (uint32_t i = 0; i < t.n_props; i++) {
		fputs("\t{", out);
		put_str(out, t.props[i].name);
		fprintf(out, ", %uu},\n", t.props[i].node);
	}
	fputs("};\n\n", out);

	fprintf(out, "static const wl_spprop pprops[%u] = {\n", t.n_pprops ? t.n_pprops : 1);
	if (!t.n_pprops)
		fputs("\t{0},\n", out);
	for (uint32_t i = 0; i < t.n_pprops; i++)
		fprintf(out, "\t{%uu, %uu},\n", t.pprops[i].pattern, t.pprops[i].node);
	fputs("};\n\n", out);

	fprintf(out, "static const wl_sdep deps[%u] = {\n", t.n_deps ? t.n_deps : 1);
	if (!t.n_deps)
		fputs("\t{0},\n", out);
	for (uint32_t i = 0; i < t.n_deps; i++) {
		fputs("\t{", out);
		put_str(out, t.deps[i].name);
		fputs(", ", out);
		put_u32(out, t.deps[i].node);
		fprintf(out, ", %uu, %uu},\n", t.deps[i].required, t.deps[i].n_required);
	}
	fputs("};\n\n", out);

	fprintf(out, "static const wl_sval values[%u] = {\n", t.n_values ? t.n_values : 1);
	if (!t.n_values)
		fputs("\t{0},\n", out);
	for (uint32_t i = 0; i < t.n_values; i++) {
		const wl_sval *v = &t.values[i];
		fprintf(out, "\t{%u, %u, %uu, %uu, ", v->kind, v->integer, v->first, v->n);
		put_double(out, v->num);
		fputs(", ", out);
		put_str(out, v->str);
		fputs(", ", out);
		put_str(out, v->key);
		fputs("},\n", out);
	}
	fputs("};\n\n", out);

	fprintf(out, "static const wl_snotes notes[%u] = {\n", t.n_notes ? t.n_notes : 1);
	if (!t.n_notes)
		fputs("\t{0},\n", out);
	for (uint32_t i = 0; i < t.n_notes; i++) {
		const wl_snotes *nt = &t.notes[i];
		const char *const texts[] = {nt->pattern_desc, nt->deprecated, nt->removed,
		                             nt->since, nt->deprecated_since};
		fputs("\t{", out);
		for (size_t k = 0; k < 5; k++) {
			put_str(out, texts[k]);
			fputs(k < 4 ? ", " : "},\n", out);
		}
	}
	fputs("};\n\n", out);

	fprintf(out, "static const wl_snode nodes[%u] = {\n", t.n_nodes);
	for (uint32_t i = 0; i < t.n_nodes; i++) {
		const wl_snode *n = &t.nodes[i];
		fprintf(out, "\t{%u, %u, %u, ", n->kind, n->type_mask, n->flags);
		const uint32_t subs[] = {
		    n->ref,   n->additional, n->items,          n->additional_items,
		    n->not_,  n->contains,   n->property_names, n->if_,
		    n->then_, n->else_};
		for (size_t k = 0; k < sizeof(subs) / sizeof(subs[0]); k++) {
			put_u32(out, subs[k]);
			fputs(", ", out);
		}
		const uint32_t idx[] = {
		    n->props,      n->n_props, n->props_sorted, n->pprops, n->n_pprops, n->required,
		    n->n_required, n->types,   n->n_types,      n->tuple,  n->n_tuple,  n->all,
		    n->n_all,      n->any,     n->n_any,        n->one,    n->n_one,    n->deps,
		    n->n_deps,     n->en,      n->cst,          n->pattern};
		for (size_t k = 0; k < sizeof(idx) / sizeof(idx[0]); k++) {
			put_u32(out, idx[k]);
			fputs(", ", out);
		}
		const double nums[] = {n->minimum, n->maximum, n->xminimum, n->xmaximum,
		                       n->multiple_of};
		for (size_t k = 0; k < 5; k++) {
			put_double(out, nums[k]);
			fputs(", ", out);
		}
		const int64_t counts[] = {n->min_items,  n->max_items, n->min_length,
		                          n->max_length, n->min_props, n->max_props};
		for (size_t k = 0; k < 6; k++)
			fprintf(out, "%lldLL, ", (long long)counts[k]);
		put_u32(out, n->notes);
		fputs(", ", out);
		put_u32(out, n->deprecated_values);
		fputs(", ", out);
		put_u32(out, n->since_values);
		fputs("},\n", out);
	}
	fputs("};\n\n", out);

	fputs("const wl_stables wl_builtin_stables = {\n", out);
	fprintf(out, "\tnodes, %uu, values, %uu, props, %uu, pprops, %uu, deps, %uu,\n", t.n_nodes,
	        t.n_values, t.n_props, t.n_pprops, t.n_deps);
	fprintf(out, "\tlists, %uu, strs, %uu, patterns, %uu, notes, %uu, ", t.n_lists, t.n_strs,
	        t.n_patterns, t.n_notes);
	put_str(out, t.newest_since);
	fputs(", NULL,\n};\n", out);
	wl_stables_free(&t);
	json_object_put(root);
	return fclose(out) == 0 ? 0 : 1;
}
