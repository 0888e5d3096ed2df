/* srcscan: the tokenizer (comments, strings, templates, regex literals)
 * and the extraction of exports, imports, classes and Env declarations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "source/srcscan.h"

static wl_srcscan *
scan(const char *text)
{
	return wl_srcscan_run(text, strlen(text));
}

/* Whether `text` exports `name` by name (its own statements). */
static bool
exports(const char *text, const char *name)
{
	wl_srcscan *s = scan(text);
	bool r = wl_srcscan_exports_name(s, name);
	wl_srcscan_free(s);
	return r;
}

static const wl_src_export *
find_export(const wl_srcscan *s, const char *name)
{
	for (size_t i = 0; i < s->n_exports; i++)
		if (s->exports[i].name && strcmp(s->exports[i].name, name) == 0)
			return &s->exports[i];
	return NULL;
}

/* The kinds of every token, as letters: i(dent) s(tring) t(emplate)
 * r(egex) n(umber) p(unct) #(private) x (JSX). */
static char *
kinds(const char *text)
{
	wl_srclex lx;
	wl_srclex_init(&lx, text, strlen(text));
	size_t cap = strlen(text) + 2, n = 0;
	char *out = malloc(cap);
	for (;;) {
		wl_srctok t = wl_srclex_next(&lx);
		if (t.kind == WL_TK_EOF)
			break;
		static const char letters[] = "?i#strnpx";
		out[n++] = letters[t.kind];
	}
	out[n] = '\0';
	return out;
}

static void
expect_kinds(const char *text, const char *want)
{
	char *got = kinds(text);
	assert_string_equal(got, want);
	free(got);
}

/* ---- tokenizer ---- */

static void
test_lex_regex_vs_division(void **state)
{
	(void)state;
	expect_kinds("a / b / c", "ipipi");
	expect_kinds("x = /re/g", "ipr");
	expect_kinds("f(/a/)", "iprp");
	expect_kinds("return /x/.test(s)", "irpipip");
	expect_kinds("a.return / 2", "ipipn");
	expect_kinds("(a) / 2", "pippn");
	expect_kinds("a++ / 2", "ippn");
	expect_kinds("a[i]! / 2 / 3", "ipipppnpn");
	expect_kinds("x = !/re/.test(s)", "ipprpipip");
	expect_kinds("x = a[0] / 2", "ipipnppn");
	expect_kinds("if (x) {} /re/.test(y)", "ipippprpipip");
	/* a regex with a slash in a class, and an escaped slash */
	expect_kinds("x = /[/]\\//; y", "iprpi");
	/* a regex never spans a line */
	expect_kinds("x = /abc\ny", "ipri");
}

static void
test_lex_templates(void **state)
{
	(void)state;
	expect_kinds("`plain`", "t");
	expect_kinds("`a ${b} c`", "tit");
	expect_kinds("`a ${ {x: 1}.x } c`", "tpipnppit");
	expect_kinds("`a ${`inner ${x}`} c`", "ttitt");
	/* braces inside a substitution's object do not end it */
	expect_kinds("`${ f({}) }` + 1", "tipppptpn");
	/* a regex right after `${` */
	expect_kinds("`${/x/.source}`", "trpit");
}

static void
test_lex_comments_and_strings(void **state)
{
	(void)state;
	expect_kinds("a // export class X\nb", "ii");
	expect_kinds("a /* export class X */ b", "ii");
	expect_kinds("'it\\'s' \"q\\\"\"", "ss");
	expect_kinds("#!/usr/bin/env node\nx", "i");
	expect_kinds("this.#secret", "ip#");
	/* an unterminated string ends at the line break */
	expect_kinds("'abc\nx", "si");
}

static wl_srcscan *
scan_jsx(const char *text)
{
	return wl_srcscan_run_ex(text, strlen(text), WL_SRCSCAN_JSX);
}

static void
test_lex_jsx(void **state)
{
	(void)state;
	static const char *const balanced[] = {
	    "const v = <div className=\"a\">don't {y} </div>;\nexport class A {}",
	    "function f() { return <><B c={`${d}`} e='it\"s'/>text / more</>; }\nexport class A {}",
	    "const l = <ul>{items.map((i) => <li key={i}>{i}</li>)}</ul>;\nexport class A {}",
	    "const f = <T,>(x: T) => x;\nexport class A {}",
	    "const g = <T extends object>(x: T) => x;\nexport class A {}",
	    "if (a < b && c > d) { x = a <b; }\nexport class A {}",
	    "const c = cond ? <A /> : <B>{/* a comment } */}</B>;\nexport class A {}",
	    "const d = <B icon={<I size={18} />} onClick={() => f(`${x}`)} />;\nexport class A {}",
	    "const e = <C\n  // it's a comment\n  /* {also} */ a={1}\n/>;\nexport class A {}",
	};
	for (size_t i = 0; i < sizeof(balanced) / sizeof(balanced[0]); i++) {
		wl_srcscan *s = scan_jsx(balanced[i]);
		if (s->unbalanced || !wl_srcscan_exports_name(s, "A"))
			fail_msg("%s: unbalanced %d", balanced[i], s->unbalanced);
		wl_srcscan_free(s);
	}
	/* without JSX mode (a .ts file) the same text is not balanced */
	wl_srcscan *s = scan(balanced[2]);
	assert_true(s->unbalanced);
	wl_srcscan_free(s);
	/* an unterminated element */
	s = scan_jsx("const v = <div>{x}");
	assert_true(s->unbalanced);
	wl_srcscan_free(s);
}

static void
test_lex_unterminated_and_binary(void **state)
{
	(void)state;
	expect_kinds("`abc ${", "t");
	expect_kinds("/* never closed", "");
	expect_kinds("`never closed", "t");
	const char bin[] = "\x00\xff\xfe export class X {}\x80\x80";
	wl_srcscan *s = wl_srcscan_run(bin, sizeof(bin) - 1);
	assert_false(s->incomplete);
	wl_srcscan_free(s);
}

static void
test_lex_template_depth_limit(void **state)
{
	(void)state;
	/* `${` nested beyond the limit: the scan stops, marked incomplete */
	size_t n = 200;
	char *text = malloc(n * 3 + 64);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		memcpy(text + o, "`${", 3);
		o += 3;
	}
	strcpy(text + o, " export class X {}");
	wl_srcscan *s = scan(text);
	assert_true(s->incomplete);
	assert_false(wl_srcscan_exports_name(s, "X"));
	wl_srcscan_free(s);
	free(text);
}

/* ---- exports ---- */

static void
test_export_class_forms(void **state)
{
	(void)state;
	assert_true(exports("export class A extends DurableObject<Env> {}", "A"));
	assert_true(exports("export abstract class A {}", "A"));
	assert_true(exports("@dec export class A {}", "A"));
	assert_true(exports("@dec.x({ a: [1] }) @other\nexport class A {}", "A"));
	assert_true(exports("export @dec() class A {}", "A"));
	assert_true(exports("export declare class A {}", "A"));
	assert_false(exports("class A {}", "A"));
	assert_false(exports("function f() { class A {} }", "A"));
	wl_srcscan *s = scan("export class A {}\nabstract class B {}\nfunction f() { class C {} }");
	assert_int_equal(s->n_classes, 3);
	assert_string_equal(s->classes[0].name, "A");
	assert_true(s->classes[0].exported);
	assert_int_equal(s->classes[0].name_span.start, 13);
	assert_int_equal(s->classes[0].decl_span.start, 0);
	assert_string_equal(s->classes[1].name, "B");
	assert_false(s->classes[1].exported);
	assert_int_equal(s->classes[1].decl_span.start, 18);
	assert_int_equal(s->classes[2].depth, 1);
	assert_null(s->classes[0].base);
	wl_srcscan_free(s);
	s = scan("export class A<T extends X = Y> extends ns.Base<Env> implements I {}");
	assert_string_equal(s->classes[0].base, "Base");
	assert_true(wl_srcscan_exports_name(s, "A"));
	wl_srcscan_free(s);
}

static void
test_export_lists(void **state)
{
	(void)state;
	assert_true(exports("class A {}\nexport { A };", "A"));
	assert_true(exports("export { A, B as C };", "C"));
	assert_false(exports("export { B as C };", "B"));
	assert_true(exports("export { A as \"A\" };", "A"));
	wl_srcscan *s =
	    scan("export { X } from \"./m\";\nexport { default as Y, Z as W } from './n'");
	const wl_src_export *x = find_export(s, "X");
	assert_non_null(x);
	assert_int_equal(x->kind, WL_SRC_EXPORT_FROM);
	assert_string_equal(x->module, "./m");
	assert_string_equal(x->imported, "X");
	const wl_src_export *y = find_export(s, "Y");
	assert_non_null(y);
	assert_string_equal(y->imported, "default");
	assert_string_equal(y->module, "./n");
	assert_non_null(find_export(s, "W"));
	assert_null(find_export(s, "Z"));
	assert_false(s->has_default);
	wl_srcscan_free(s);
}

static void
test_export_star(void **state)
{
	(void)state;
	wl_srcscan *s =
	    scan("export * from './a';\nexport * as ns from './b';\nexport type * from './c'");
	assert_int_equal(s->n_exports, 2);
	assert_int_equal(s->exports[0].kind, WL_SRC_EXPORT_STAR);
	assert_string_equal(s->exports[0].module, "./a");
	assert_int_equal(s->exports[1].kind, WL_SRC_EXPORT_STAR_AS);
	assert_string_equal(s->exports[1].name, "ns");
	assert_true(wl_srcscan_exports_name(s, "ns"));
	assert_false(wl_srcscan_exports_name(s, "X"));
	wl_srcscan_free(s);
}

static void
test_export_declarations(void **state)
{
	(void)state;
	assert_true(exports("export const A = class extends DurableObject {};", "A"));
	assert_true(exports("export let a = 1, b = f(1, 2), c;", "b"));
	assert_true(exports("export let a = 1, b = f(1, 2), c;", "c"));
	assert_true(exports("export var v;", "v"));
	assert_true(exports("export function f() {}", "f"));
	assert_true(exports("export async function* g() {}", "g"));
	assert_true(exports("export enum E { A }", "E"));
	assert_true(exports("export const enum E { A }", "E"));
	assert_true(exports("export namespace N {}", "N"));
	/* the declarator list ends with its statement */
	assert_false(exports("export const a = 1;\nconst b = 2, c = 3;", "c"));
	assert_false(exports("export const a = 1\nlet b = 2, c = 3", "c"));
	/* an object literal's commas are not declarators */
	assert_false(exports("export const a = { b, c };", "c"));
	wl_srcscan *s = scan("export const { a, b } = obj;");
	assert_true(s->unknown_exports);
	wl_srcscan_free(s);
	s = scan("const A = class extends Base {};");
	assert_int_equal(s->n_classes, 1);
	assert_string_equal(s->classes[0].name, "A");
	assert_true(s->classes[0].from_const);
	wl_srcscan_free(s);
}

static void
test_export_default_is_not_named(void **state)
{
	(void)state;
	wl_srcscan *s = scan("export default class A extends DurableObject {}");
	assert_true(s->has_default);
	assert_false(wl_srcscan_exports_name(s, "A"));
	assert_false(wl_srcscan_exports_name(s, "default"));
	assert_int_equal(s->n_classes, 1);
	assert_true(s->classes[0].exported_default);
	assert_false(s->classes[0].exported);
	wl_srcscan_free(s);
	s = scan("const app = 1;\nexport { app as default };");
	assert_true(s->has_default);
	assert_int_equal(s->n_exports, 0);
	wl_srcscan_free(s);
	s = scan("export default { fetch() {} }");
	assert_true(s->has_default);
	wl_srcscan_free(s);
	s = scan("export { default } from './app';");
	assert_true(s->has_default);
	assert_int_equal(s->n_exports, 0);
	wl_srcscan_free(s);
}

static void
test_export_types_are_not_values(void **state)
{
	(void)state;
	assert_false(exports("export type A = string;", "A"));
	assert_false(exports("export interface A {}", "A"));
	assert_false(exports("export type { A };", "A"));
	assert_false(exports("export { type A };", "A"));
	assert_true(exports("export { type A, B };", "B"));
	assert_false(exports("export type { A } from './m';", "A"));
	/* a specifier named `type` is a value */
	assert_true(exports("export { type };", "type"));
}

static void
test_export_ignored_contexts(void **state)
{
	(void)state;
	assert_false(exports("// export class A {}", "A"));
	assert_false(exports("/* export { A } */", "A"));
	assert_false(exports("const s = 'export class A {}';", "A"));
	assert_false(exports("const s = `export class A ${x} {}`;", "A"));
	assert_false(exports("const s = `${`export { A }`}`;", "A"));
	assert_false(exports("const r = /export class A/;", "A"));
	assert_false(exports("declare module 'x' { export class A {} }", "A"));
	assert_false(exports("obj.export; x.class", "A"));
	/* a division does not start a regex that would hide the export */
	assert_true(exports("const x = a / 2; export class A {} // /", "A"));
	assert_true(exports("const x = (a) / 2 /* / */; export class A {}", "A"));
	/* a template with nested braces does not hide what follows it */
	assert_true(exports("const t = `${ {a: `${ {} }`}.a }`;\nexport class A {}", "A"));
}

static void
test_export_equals_and_cjs(void **state)
{
	(void)state;
	wl_srcscan *s = scan("export = Foo;");
	assert_true(s->unknown_exports);
	wl_srcscan_free(s);
	s = scan("module.exports = { A };");
	assert_true(s->cjs);
	wl_srcscan_free(s);
	s = scan("exports.A = A;");
	assert_true(s->cjs);
	wl_srcscan_free(s);
	s = scan("const module = 1; export class A {}");
	assert_false(s->cjs);
	wl_srcscan_free(s);
}

/* ---- imports ---- */

static void
test_imports(void **state)
{
	(void)state;
	wl_srcscan *s = scan("import D, { A, B as C, type T } from './m';\n"
	                     "import * as ns from \"../n\";\n"
	                     "import type { X as Y } from './types';\n"
	                     "import './side';\n"
	                     "import type from './t';\n"
	                     "const lazy = () => import('./lazy');\n"
	                     "import.meta.url;\n");
	assert_int_equal(s->n_imports, 9);
	assert_string_equal(s->imports[0].imported, "default");
	assert_string_equal(s->imports[0].local, "D");
	assert_string_equal(s->imports[0].module, "./m");
	assert_string_equal(s->imports[2].imported, "B");
	assert_string_equal(s->imports[2].local, "C");
	assert_true(s->imports[3].type_only);
	assert_false(s->imports[1].type_only);
	assert_string_equal(s->imports[4].imported, "*");
	assert_string_equal(s->imports[4].module, "../n");
	assert_string_equal(s->imports[5].imported, "X");
	assert_string_equal(s->imports[5].local, "Y");
	assert_true(s->imports[5].type_only);
	assert_null(s->imports[6].imported);
	assert_string_equal(s->imports[6].module, "./side");
	assert_string_equal(s->imports[7].local, "type");
	assert_false(s->imports[7].type_only);
	assert_true(s->imports[8].dynamic);
	assert_string_equal(s->imports[8].module, "./lazy");
	assert_true(s->has_esm);
	wl_srcscan_free(s);
	s = scan("import A = require('x');\nimport B = C.D;");
	assert_int_equal(s->n_imports, 0);
	wl_srcscan_free(s);
}

/* ---- service worker and generated files ---- */

static void
test_directive_comments(void **state)
{
	(void)state;
	const char *text =
	    "// plain\n// wrangler-lint-disable-next-line source-class-not-exported\n"
	    "const s = '// wrangler-lint-disable';\n"
	    "/* wrangler-lint-disable source-env-type-missing */ x";
	wl_srcscan *s = scan(text);
	assert_int_equal(s->n_directives, 2);
	assert_int_equal(s->directives[0].start, 9);
	assert_memory_equal(text + s->directives[0].start, "// wrangler-lint-disable-next", 29);
	assert_int_equal(text[s->directives[0].end], '\n');
	assert_memory_equal(text + s->directives[1].start, "/* wrangler", 11);
	assert_memory_equal(text + s->directives[1].end - 2, "*/", 2);
	wl_srcscan_free(s);
}

static void
test_service_worker_markers(void **state)
{
	(void)state;
	wl_srcscan *s = scan("addEventListener('fetch', (e) => e.respondWith(new Response('')));");
	assert_true(s->fetch_listener);
	assert_false(s->has_default);
	assert_false(s->has_esm);
	wl_srcscan_free(s);
	s = scan("self.addEventListener(\"fetch\", handler)");
	assert_true(s->fetch_listener);
	/* the note points at the call, not at the top of the file */
	assert_int_equal(s->fetch_listener_span.start, 5);
	assert_int_equal(s->fetch_listener_span.end, 21);
	wl_srcscan_free(s);
	s = scan("addEventListener('scheduled', h); // addEventListener('fetch'");
	assert_false(s->fetch_listener);
	wl_srcscan_free(s);
}

static void
test_generated_header(void **state)
{
	(void)state;
	wl_srcscan *s = scan("// Generated by Wrangler by running `wrangler types` (hash: 1)\n"
	                     "interface Env { A: KVNamespace }");
	assert_true(s->generated);
	wl_srcscan_free(s);
	s = scan("\xEF\xBB\xBF/* eslint-disable */\n// Generated by Wrangler on Mon Jan 01\n");
	assert_true(s->generated); /* among the comments that open the file */
	wl_srcscan_free(s);
	s = scan("/* Generated by Wrangler on Mon Jan 01 2024 */");
	assert_true(s->generated);
	wl_srcscan_free(s);
	s = scan("const x = 1; // Generated by Wrangler");
	assert_false(s->generated);
	wl_srcscan_free(s);
	s = scan("// my env\nconst x = 1;\n// Generated by Wrangler");
	assert_false(s->generated);
	wl_srcscan_free(s);
	s = scan("// generated by wrangler \xff\xfe");
	assert_true(s->generated);
	wl_srcscan_free(s);
}

/* ---- Env ---- */

static const wl_src_env_member *
member(const wl_src_env *e, const char *name)
{
	for (size_t i = 0; i < e->n_members; i++)
		if (strcmp(e->members[i].name, name) == 0)
			return &e->members[i];
	return NULL;
}

static void
test_env_interface_members(void **state)
{
	(void)state;
	const char *text = "export interface Env {\n"
	                   "  ENVIRONMENT: string;\n"
	                   "  ASSETS: Fetcher\n"
	                   "  MY_DO: DurableObjectNamespace<MyDurableObject>;\n"
	                   "  AGENT: AgentNamespace<ns.Chat>,\n"
	                   "  LAZY?: DurableObjectNamespace<import(\"./do\").Lazy> | undefined;\n"
	                   "  'QUOTED': KVNamespace<string>;\n"
	                   "  ANY: DurableObjectNamespace;\n"
	                   "  UNION: DurableObjectNamespace<A | B>;\n"
	                   "  MODE: \"dev\" | \"prod\";\n"
	                   "  SHAPE: { get(id: string): unknown };\n"
	                   "  MULTI:\n    | KVNamespace\n    | R2Bucket;\n"
	                   "  method(): void;\n"
	                   "  [key: string]: unknown;\n"
	                   "}\n";
	wl_srcscan *s = scan(text);
	assert_int_equal(s->n_envs, 1);
	const wl_src_env *e = &s->envs[0];
	assert_int_equal(e->scope, WL_ENV_SCOPE_MODULE);
	assert_true(e->declares_binding);
	assert_true(e->has_index_signature);
	assert_false(e->has_extends);
	assert_int_equal(member(e, "ENVIRONMENT")->kind, WL_ENV_TYPE_PRIMITIVE);
	assert_int_equal(member(e, "ASSETS")->kind, WL_ENV_TYPE_BINDING);
	const wl_src_env_member *m = member(e, "MY_DO");
	assert_int_equal(m->kind, WL_ENV_TYPE_DO);
	assert_string_equal(m->class_name, "MyDurableObject");
	assert_int_equal(m->name_span.start, (uint32_t)(strstr(text, "MY_DO") - text));
	assert_int_equal(m->type_span.end - m->type_span.start,
	                 strlen("DurableObjectNamespace<MyDurableObject>"));
	assert_string_equal(member(e, "AGENT")->class_name, "Chat");
	assert_string_equal(member(e, "LAZY")->class_name, "Lazy");
	assert_true(member(e, "LAZY")->optional);
	assert_int_equal(member(e, "QUOTED")->kind, WL_ENV_TYPE_BINDING);
	assert_int_equal(member(e, "ANY")->kind, WL_ENV_TYPE_DO);
	assert_null(member(e, "ANY")->class_name);
	assert_int_equal(member(e, "UNION")->kind, WL_ENV_TYPE_DO);
	assert_null(member(e, "UNION")->class_name);
	assert_int_equal(member(e, "MODE")->kind, WL_ENV_TYPE_PRIMITIVE);
	assert_int_equal(member(e, "SHAPE")->kind, WL_ENV_TYPE_OTHER);
	assert_int_equal(member(e, "MULTI")->kind, WL_ENV_TYPE_OTHER);
	assert_null(member(e, "method"));
	assert_null(member(e, "get"));
	wl_srcscan_free(s);
}

static void
test_env_forms(void **state)
{
	(void)state;
	wl_srcscan *s =
	    scan("declare global {\n  interface Env { A: DurableObjectNamespace<X> }\n}\n"
	         "declare namespace Cloudflare { interface Env { B: KVNamespace } }\n"
	         "interface Env extends Cloudflare.Env { SECRET: string }\n"
	         "type Env = { C: R2Bucket } & Other;\n"
	         "function f() { interface Env { D: KVNamespace } }\n"
	         "const o = { interface: 1, type: 2 };\n");
	assert_int_equal(s->n_envs, 4);
	assert_int_equal(s->envs[0].scope, WL_ENV_SCOPE_GLOBAL);
	assert_string_equal(s->envs[0].members[0].class_name, "X");
	assert_int_equal(s->envs[1].scope, WL_ENV_SCOPE_CLOUDFLARE);
	assert_int_equal(s->envs[2].scope, WL_ENV_SCOPE_MODULE);
	assert_true(s->envs[2].has_extends);
	assert_false(s->envs[2].declares_binding);
	assert_true(s->envs[3].is_type_alias);
	assert_true(s->envs[3].has_extends);
	assert_string_equal(s->envs[3].members[0].name, "C");
	wl_srcscan_free(s);
	s = scan(
	    "interface EnvExtra { A: KVNamespace }\ntype Envy = {}\n// interface Env { B: X }");
	assert_int_equal(s->n_envs, 0);
	wl_srcscan_free(s);
}

/* ---- hostile input ---- */

static void
test_unbalanced_is_flagged(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "export class A {",       "export class A {}}",    "const t = `abc ${ x",
	    "/* open comment export", "const t = `${ ) }`; x", "f(() => { export class A {}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		wl_srcscan *s = scan(bad[i]);
		assert_true(s->unbalanced);
		wl_srcscan_free(s);
	}
	static const char *const good[] = {
	    "export class A {}", "const t = `a${`b${c}`}`;", "x = /[}]/; y = '{'; // }",
	    "<p>don't</p>", /* JSX text: a string to the line end, balanced */
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		wl_srcscan *s = scan(good[i]);
		assert_false(s->unbalanced);
		wl_srcscan_free(s);
	}
}

static void
test_large_minified_is_linear(void **state)
{
	(void)state;
	/* 8 MiB of one-line minified code, with an export at the end */
	const char chunk[] = "var a=b/2,c=/x\\/y/g.test(`${d}`)?{e:1}:[f];function g(h){return h}";
	size_t n = 8u << 20, k = strlen(chunk);
	char *text = malloc(n + 64);
	size_t o = 0;
	while (o + k < n) {
		memcpy(text + o, chunk, k);
		o += k;
	}
	const char tail[] = ";export{Z as MyDO};";
	memcpy(text + o, tail, sizeof(tail));
	wl_srcscan *s = wl_srcscan_run(text, o + sizeof(tail) - 1);
	assert_true(wl_srcscan_exports_name(s, "MyDO"));
	assert_false(s->incomplete);
	wl_srcscan_free(s);
	free(text);
}

static void
test_deep_nesting_no_recursion(void **state)
{
	(void)state;
	size_t n = 1u << 20;
	char *text = malloc(n * 2 + 32);
	memset(text, '{', n);
	memset(text + n, '}', n);
	strcpy(text + 2 * n, "\nexport class A {}");
	wl_srcscan *s = scan(text);
	assert_true(wl_srcscan_exports_name(s, "A"));
	wl_srcscan_free(s);
	/* unbalanced closers do not underflow */
	s = scan("}}}))) ]]] export class B {}");
	assert_true(wl_srcscan_exports_name(s, "B"));
	assert_true(s->unbalanced);
	wl_srcscan_free(s);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lex_regex_vs_division),
	    cmocka_unit_test(test_lex_templates),
	    cmocka_unit_test(test_lex_comments_and_strings),
	    cmocka_unit_test(test_lex_jsx),
	    cmocka_unit_test(test_lex_unterminated_and_binary),
	    cmocka_unit_test(test_lex_template_depth_limit),
	    cmocka_unit_test(test_export_class_forms),
	    cmocka_unit_test(test_export_lists),
	    cmocka_unit_test(test_export_star),
	    cmocka_unit_test(test_export_declarations),
	    cmocka_unit_test(test_export_default_is_not_named),
	    cmocka_unit_test(test_export_types_are_not_values),
	    cmocka_unit_test(test_export_ignored_contexts),
	    cmocka_unit_test(test_export_equals_and_cjs),
	    cmocka_unit_test(test_imports),
	    cmocka_unit_test(test_directive_comments),
	    cmocka_unit_test(test_service_worker_markers),
	    cmocka_unit_test(test_generated_header),
	    cmocka_unit_test(test_env_interface_members),
	    cmocka_unit_test(test_env_forms),
	    cmocka_unit_test(test_unbalanced_is_flagged),
	    cmocka_unit_test(test_large_minified_is_linear),
	    cmocka_unit_test(test_deep_nesting_no_recursion),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
