/* srcscan: a one-pass scanner for one JavaScript / TypeScript file, and what
 * the source checks need from it (issue #9).
 *
 * Owns: the tokenizer (wl_srclex: comments, strings, template literals with
 * nested `${}`, regular-expression literals, so their contents are never
 * taken for code) and the extraction built on it (wl_srcscan: exports,
 * imports, class declarations, `Env` declarations, service-worker and
 * generated-file markers). It is not a parser: it recognises statement
 * shapes from tokens and errs towards "exported" and "unknown", never
 * towards "missing". What it does not understand is listed in
 * docs/ARCHITECTURE.md.
 *
 * Any bytes are accepted (binary, invalid UTF-8, unterminated constructs):
 * time is linear in the input, memory proportional to it, and there is no
 * recursion. Never fails: a run that hits a limit sets `incomplete`, which
 * callers treat as "anything may be exported". */
#ifndef WL_SRCSCAN_H
#define WL_SRCSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "span.h"
#include "xalloc.h"

/* ---- tokenizer ---------------------------------------------------------- */

typedef enum wl_srctok_kind {
	WL_TK_EOF,
	WL_TK_IDENT,    /* identifiers and keywords alike */
	WL_TK_PRIVATE,  /* #name */
	WL_TK_STRING,   /* '…' or "…"; `value` is the part between the quotes */
	WL_TK_TEMPLATE, /* a template piece: `…` , `…${ , }…${ or }…` */
	WL_TK_REGEX,    /* /…/flags */
	WL_TK_NUMBER,
	WL_TK_PUNCT, /* one character, or ++ -- (which matter for `/`) */
	WL_TK_JSX,   /* (jsx mode) a piece of a JSX element, up to a `{` or its end */
} wl_srctok_kind;

typedef struct wl_srctok {
	wl_srctok_kind kind;
	uint32_t start, end; /* byte offsets, end exclusive */
	uint32_t depth;      /* nesting of ( [ { and ${ around the token */
	char punct;          /* first character for WL_TK_PUNCT ('+' for ++, '-' for --) */
	bool dbl;            /* ++ or -- */
	bool postfix;        /* `!` after an expression: TypeScript's non-null assertion */
	bool nl_before;      /* a line break (or a comment holding one) precedes it */
	bool unterminated;   /* a string, template, comment or regex ran to a line end or EOF */
	bool opens;          /* TEMPLATE/JSX: ends with a `${` or `{` that opens a substitution */
	bool closes;         /* TEMPLATE/JSX: starts with the `}` that closed one */
	wl_span value;       /* WL_TK_STRING: the content between the quotes */
} wl_srctok;

/* Nesting of substitutions (template `${}`, JSX `{}`) that the tokenizer
 * follows; deeper input stops the scan (the file's result becomes
 * `incomplete`). */
#define WL_SRCLEX_MAX_TEMPLATE 64

/* An open substitution: where the template or JSX element resumes. */
typedef struct wl_srclex_sub {
	uint32_t depth; /* nesting outside the `${` / `{` */
	uint32_t level; /* JSX: open elements */
	unsigned char jsx, state;
} wl_srclex_sub;

typedef struct wl_srclex {
	const char *s;
	size_t len, pos;
	uint32_t depth;
	wl_srctok prev; /* last significant token, for the `/` decision */
	bool prev_after_dot;
	bool has_prev;
	bool stopped;    /* a limit was hit: only EOF from now on */
	bool unbalanced; /* a closer without opener, an unterminated template or comment */
	wl_srclex_sub subs[WL_SRCLEX_MAX_TEMPLATE];
	bool jsx; /* .tsx / .jsx: `<` where an expression starts opens a JSX element */
	/* With keep_directives (set by wl_srcscan_run; off after init), the
	 * spans of comments mentioning "wrangler-lint", owned by the caller. */
	bool keep_directives;
	wl_span *directives;
	size_t n_directives, cap_directives;
	unsigned n_subs;
} wl_srclex;

/* The text must stay alive while the lexer is used. Offsets are 32-bit:
 * input beyond 4 GiB - 1 is ignored (callers limit file sizes far below). */
void wl_srclex_init(wl_srclex *lx, const char *text, size_t len);
/* The next token; WL_TK_EOF at the end, forever. Comments and white space
 * are skipped. */
wl_srctok wl_srclex_next(wl_srclex *lx);
/* True when the token is the identifier `word`. */
bool wl_srctok_is(const wl_srclex *lx, const wl_srctok *t, const char *word);

/* ---- extraction ---------------------------------------------------------- */

typedef enum wl_src_export_kind {
	WL_SRC_EXPORT_LOCAL,   /* export class X / const X / function X / { a as X } */
	WL_SRC_EXPORT_FROM,    /* export { a as X } from "m" (also default as X) */
	WL_SRC_EXPORT_STAR,    /* export * from "m": every named export of m */
	WL_SRC_EXPORT_STAR_AS, /* export * as X from "m": X only */
} wl_src_export_kind;

typedef struct wl_src_export {
	wl_src_export_kind kind;
	const char *name;     /* exported name (NULL for STAR) */
	const char *imported; /* FROM: the name in `module`; LOCAL { a as X }: a */
	const char *module;   /* FROM / STAR / STAR_AS: the specifier */
	wl_span span;         /* the exported name, or the `*` */
} wl_src_export;

typedef struct wl_src_class {
	const char *name;
	wl_span name_span;
	wl_span decl_span;     /* from `export`/`abstract`/`class` to the end of the name */
	bool exported;         /* export class X / export abstract class X */
	bool exported_default; /* export default class X */
	bool from_const;       /* const X = class … (name from the variable) */
	const char *base;      /* the last name of `extends A.B<…>`, or NULL */
	uint32_t depth;        /* 0 at module level */
} wl_src_class;

typedef struct wl_src_import {
	const char *imported; /* the name in `module`, "default", "*"; NULL for `import "m"` */
	const char *local;    /* NULL for `import "m"` and dynamic imports */
	const char *module;
	wl_span span; /* the specifier string */
	bool type_only;
	bool dynamic; /* import("m") with a string literal */
} wl_src_import;

typedef enum wl_env_type_kind {
	WL_ENV_TYPE_OTHER,     /* anything else: structural, unions, unknown names */
	WL_ENV_TYPE_DO,        /* DurableObjectNamespace<…> / AgentNamespace<…> */
	WL_ENV_TYPE_BINDING,   /* another binding kind: KVNamespace, R2Bucket, Fetcher, … */
	WL_ENV_TYPE_PRIMITIVE, /* string, number, boolean (vars and secrets) */
} wl_env_type_kind;

typedef struct wl_src_env_member {
	const char *name;
	wl_span name_span;
	wl_span type_span; /* the type text, trimmed */
	wl_env_type_kind kind;
	const char
	    *type_name; /* first identifier of the type (DurableObjectNamespace, string, …) */
	const char *class_name; /* WL_ENV_TYPE_DO with one plain type argument: its last
	                           identifier (MyDO, or MyDO of ns.MyDO); else NULL */
	bool optional;
} wl_src_env_member;

typedef enum wl_src_env_scope {
	WL_ENV_SCOPE_MODULE,     /* the file's own top level */
	WL_ENV_SCOPE_GLOBAL,     /* declare global { … } */
	WL_ENV_SCOPE_CLOUDFLARE, /* namespace Cloudflare { … } */
	WL_ENV_SCOPE_NAMESPACE,  /* another namespace or declare module "…" */
} wl_src_env_scope;

typedef struct wl_src_env {
	const char *name; /* "Env"; in a generated file also __BaseEnv_Env, ProductionEnv, … */
	wl_span name_span;
	bool is_type_alias;   /* type Env = { … } */
	bool has_extends;     /* interface Env extends …, or type Env = X & {…} */
	wl_span extends_span; /* interface: the text between `extends` and `{` */
	bool has_index_signature;
	bool declares_binding; /* at least one WL_ENV_TYPE_DO or _BINDING member */
	wl_src_env_scope scope;
	wl_src_env_member *members;
	size_t n_members;
} wl_src_env;

typedef struct wl_srcscan {
	wl_src_export *exports;
	size_t n_exports;
	wl_src_class *classes;
	size_t n_classes;
	wl_src_import *imports;
	size_t n_imports;
	wl_src_env *envs;
	size_t n_envs;
	bool has_default;            /* export default …, export { x as default } */
	bool has_esm;                /* any import or export statement */
	bool cjs;                    /* module.exports / exports.x = … */
	bool unknown_exports;        /* a form whose names the scanner does not list
	                                (destructuring, export =); treat any name as exported */
	bool fetch_listener;         /* addEventListener("fetch", …) */
	wl_span fetch_listener_span; /* the first such call's name, when fetch_listener */
	bool generated;              /* the header says it was generated by `wrangler types` */
	bool incomplete;             /* the tokenizer stopped at a limit */
	bool unbalanced;             /* brackets or templates do not balance: the scanner
	                                (or the file) went wrong, so what it did not find
	                                may still be there (treat as unknown) */
	wl_span *directives;         /* comments that mention wrangler-lint (suppression
	                                directives), in order, for wl_check_adopt_source */
	size_t n_directives;
	wl_arena arena; /* names and modules */
	size_t cap_exports, cap_classes, cap_imports, cap_envs;
} wl_srcscan;

/* Scans `len` bytes of `text` (which need not be NUL-terminated). Returns an
 * owned result; free with wl_srcscan_free. Strings in it are owned by it. */
wl_srcscan *wl_srcscan_run(const char *text, size_t len);
/* Flags of wl_srcscan_run_ex. */
enum { WL_SRCSCAN_JSX = 1 }; /* the file may hold JSX (.tsx, .jsx) */
wl_srcscan *wl_srcscan_run_ex(const char *text, size_t len, unsigned flags);
void wl_srcscan_free(wl_srcscan *scan);

/* True when `name` is exported by name by this file's own statements
 * (LOCAL, FROM, STAR_AS), not counting `export *`. */
bool wl_srcscan_exports_name(const wl_srcscan *scan, const char *name);

#endif
