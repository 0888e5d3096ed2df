/* Whole-config validation: the built-in schema (every key of the top level
 * and of each env.NAME) and, when the config's "$schema" names a local file
 * inside the project (typically node_modules/wrangler/config-schema.json),
 * that schema too, so the checked fields follow the wrangler the project
 * uses. schema.c knows no rules: this file maps its neutral issues to the
 * schema-* rules, applies wrangler's published-schema gaps and the env
 * layout, and decides which files may be read. Runs after the other
 * families: where one of them already reported a position, the more
 * specific rule wins and the schema stays quiet there. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fix.h"
#include "jsonc.h"
#include "lint.h"
#include "linter.h"
#include "readfile.h"
#include "rules_families.h"
#include "rules_schema.h"
#include "toml.h"

const wl_rule wl_rule_schema_unknown_key = {
    "schema-unknown-key", "schema", WL_SEV_WARNING,
    "A key the configuration schema does not allow (with a did-you-mean suggestion)"};
const wl_rule wl_rule_schema_type = {"schema-type", "schema", WL_SEV_ERROR,
                                     "A value of the wrong JSON type"};
const wl_rule wl_rule_schema_required = {"schema-required", "schema", WL_SEV_ERROR,
                                         "A required key is missing"};
const wl_rule wl_rule_schema_enum = {"schema-enum", "schema", WL_SEV_ERROR,
                                     "A value outside the allowed set"};
const wl_rule wl_rule_schema_pattern = {"schema-pattern", "schema", WL_SEV_ERROR,
                                        "A string in the wrong format (name, date, ...)"};
const wl_rule wl_rule_schema_range = {"schema-range", "schema", WL_SEV_ERROR,
                                      "A number, string or list outside its allowed range or size"};
const wl_rule wl_rule_schema_deprecated = {
    "schema-deprecated", "schema", WL_SEV_WARNING,
    "A deprecated field (an error when wrangler has removed it)"};
const wl_rule wl_rule_schema_unavailable = {
    "schema-unavailable", "schema", WL_SEV_NOTE,
    "The schema named by $schema (or --schema) could not be used, or was too complex"};

const wl_rule wl_rule_schema_needs_newer_wrangler = {
    "schema-needs-newer-wrangler", "schema", WL_SEV_WARNING,
    "A key newer than the wrangler version the project uses"};

static const wl_rule *const rules[] = {
    &wl_rule_schema_unknown_key, &wl_rule_schema_type,        &wl_rule_schema_required,
    &wl_rule_schema_enum,        &wl_rule_schema_pattern,     &wl_rule_schema_range,
    &wl_rule_schema_deprecated,  &wl_rule_schema_unavailable, &wl_rule_schema_needs_newer_wrangler,
};

/* ---- which files a config may name ---- */

char *
wl_schema_project_root(const char *config_path)
{
	/* The repository root; without one, the config's folder. */
	char *dir = wl_path_dir(config_path, ".");
	char *root = wl_path_repo_root(dir);
	if (!root)
		root = realpath(dir, NULL);
	free(dir);
	return root;
}

static bool
inside(const char *root, const char *real)
{
	size_t n = strlen(root);
	if (strcmp(root, "/") == 0)
		return true;
	return strncmp(real, root, n) == 0 && (real[n] == '/' || real[n] == '\0');
}

/* The file a local $schema value names, relative to the config's folder. */
static char *
schema_path(const char *config_path, const char *ref)
{
	if (ref[0] == '/')
		return wl_xstrdup(ref);
	const char *slash = strrchr(config_path, '/');
	if (slash)
		return wl_xasprintf("%.*s/%s", (int)(slash - config_path), config_path, ref);
	return wl_xstrdup(ref);
}

wl_schema *
wl_rules_schema_load(wl_schema_cache *cache, const char *config_path, const char *ref,
                     bool explicit_path, char **error)
{
	if (explicit_path)
		return wl_schema_cache_load(cache, ref, error);
	char *path = schema_path(config_path, ref);
	/* A config (perhaps from an untrusted pull request) may name any path:
	 * read only files inside the project, after resolving symbolic links. */
	char *root = wl_schema_project_root(config_path);
	char *real = realpath(path, NULL);
	wl_schema *s = NULL;
	struct stat st;
	if (!real) {
		*error = wl_xasprintf("cannot read %s: %s", path, strerror(errno));
	} else if (stat(real, &st) == 0 && !S_ISREG(st.st_mode)) {
		*error = wl_xasprintf("%s is not a regular file", path);
	} else if (!root || !inside(root, real)) {
		*error = wl_xasprintf("%s is outside the project; schemas are read only from "
		                      "the config's folder or its repository",
		                      path);
	} else {
		s = wl_schema_cache_load(cache, path, error);
	}
	free(real);
	free(root);
	free(path);
	return s;
}

/* ---- the project's wrangler ---- */

/* A small JSON file (package.json) parsed with our own front end; NULL when
 * absent, not a regular file, over 1 MiB or not an object. */
static wl_doc *
read_json(const char *path)
{
	size_t len;
	bool too_large;
	char *buf = wl_read_file(path, 1 << 20, &len, &too_large, NULL);
	if (!buf || too_large) {
		free(buf);
		return NULL;
	}
	wl_diag_list diags;
	wl_diag_list_init(&diags);
	wl_doc *doc = wl_jsonc_parse(wl_source_new(path, buf, len), &diags);
	wl_diag_list_free(&diags);
	free(buf);
	if (!wl_node_is(doc->root, json_type_object)) {
		wl_doc_free(doc);
		return NULL;
	}
	return doc;
}

/* "4.86.0" from "4.86.0", "^4.86.0", "~4.86", ">=4.86.0 <5",
 * "npm:wrangler@^4.86.0": the lowest version a range allows, always with
 * three parts ("4.x" is "4.0.0"); NULL for "*", "latest", "workspace:*",
 * "<5". */
static char *
lowest_version(const char *range)
{
	const char *p = range;
	static const char alias[] = "npm:wrangler@";
	if (strncmp(p, alias, sizeof(alias) - 1) == 0)
		p += sizeof(alias) - 1;
	while (*p == ' ' || *p == '^' || *p == '~' || *p == '>' || *p == '=' || *p == 'v')
		p++;
	if (*p < '0' || *p > '9')
		return NULL;
	size_t n = strspn(p, "0123456789.");
	while (n && p[n - 1] == '.')
		n--;
	size_t dots = 0;
	for (size_t i = 0; i < n; i++)
		dots += p[i] == '.';
	return wl_xasprintf("%.*s%s", (int)n, p, dots >= 2 ? "" : dots == 1 ? ".0" : ".0.0");
}

/* ---- pnpm catalogs ---- */

/* One line of a YAML block mapping: its indent, and the key and value as
 * spans of the line, unquoted. False for what this reader does not take
 * (tabs in the indent, a sequence item, no "key:"), which the caller skips. */
typedef struct yaml_line {
	size_t indent;
	const char *key, *value;
	size_t key_len, value_len;
} yaml_line;

/* The end of a scalar that starts at p (quoted or plain), before a comment;
 * *text and *len get its text without quotes. Returns where it ends. */
static const char *
yaml_scalar(const char *p, const char *end, bool is_key, const char **text, size_t *len)
{
	if (p < end && (*p == '"' || *p == '\'')) {
		const char *q = memchr(p + 1, *p, (size_t)(end - p - 1));
		if (!q)
			return NULL;
		*text = p + 1;
		*len = (size_t)(q - p - 1);
		return q + 1;
	}
	const char *q = p;
	while (q < end) {
		/* A key ends at ": " or ":" at the end; any scalar at " #". */
		if (is_key && *q == ':' && (q + 1 == end || q[1] == ' '))
			break;
		if (*q == '#' && q > p && q[-1] == ' ')
			break;
		q++;
	}
	const char *e = q;
	while (e > p && e[-1] == ' ')
		e--;
	*text = p;
	*len = (size_t)(e - p);
	return q;
}

static bool
yaml_mapping_line(const char *line, const char *end, yaml_line *out)
{
	const char *p = line;
	while (p < end && *p == ' ')
		p++;
	if (p == end || *p == '#' || *p == '\t' || *p == '-')
		return false;
	out->indent = (size_t)(p - line);
	p = yaml_scalar(p, end, true, &out->key, &out->key_len);
	if (!p || p == end || *p != ':')
		return false;
	p++;
	while (p < end && *p == ' ')
		p++;
	out->value = p;
	out->value_len = 0;
	if (p < end && *p != '#' && !yaml_scalar(p, end, false, &out->value, &out->value_len))
		return false;
	return true;
}

static bool
span_is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(s, word, n) == 0;
}

/* The default catalog is `catalog:` or `catalogs: default:`. Block
 * mappings only, as pnpm's own files are written: a flow mapping ({...})
 * leaves the range unknown. */
char *
wl_pnpm_catalog_range(const char *text, size_t len, const char *name)
{
	bool want_default = !*name || strcmp(name, "default") == 0;
	enum { OTHER, CATALOG, CATALOGS } section = OTHER;
	bool in_wanted = false; /* under catalogs: the wanted catalog */
	size_t name_indent = 0, entry_indent = 0;
	const char *end = text + len;
	for (const char *line = text; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *le = nl ? nl : end;
		if (le > line && le[-1] == '\r')
			le--;
		yaml_line y;
		bool ok = yaml_mapping_line(line, le, &y);
		line = nl ? nl + 1 : end;
		if (!ok)
			continue;
		if (y.indent == 0) {
			section = y.value_len                             ? OTHER
			          : span_is(y.key, y.key_len, "catalog")  ? CATALOG
			          : span_is(y.key, y.key_len, "catalogs") ? CATALOGS
			                                                  : OTHER;
			name_indent = entry_indent = 0;
			in_wanted = false;
			continue;
		}
		if (section == CATALOG && want_default) {
			if (!entry_indent)
				entry_indent = y.indent;
			if (y.indent == entry_indent && span_is(y.key, y.key_len, "wrangler"))
				return wl_xstrndup(y.value, y.value_len);
		} else if (section == CATALOGS) {
			if (!name_indent)
				name_indent = y.indent;
			if (y.indent == name_indent) {
				in_wanted = !y.value_len &&
				            (want_default ? span_is(y.key, y.key_len, "default")
				                          : span_is(y.key, y.key_len, name));
				entry_indent = 0;
			} else if (in_wanted && y.indent > name_indent) {
				if (!entry_indent)
					entry_indent = y.indent;
				if (y.indent == entry_indent &&
				    span_is(y.key, y.key_len, "wrangler"))
					return wl_xstrndup(y.value, y.value_len);
			}
		}
	}
	return NULL;
}

/* The config's folder as the user named it, "../" `up` times, then `tail`. */
static char *
shown_path(const char *config_path, int up, const char *tail)
{
	const char *slash = strrchr(config_path, '/');
	char *out =
	    slash ? wl_xstrndup(config_path, (size_t)(slash - config_path + 1)) : wl_xstrdup("");
	for (int i = 0; i < up; i++) {
		char *more = wl_xasprintf("%s../", out);
		free(out);
		out = more;
	}
	char *done = wl_xasprintf("%s%s", out, tail);
	free(out);
	return done;
}

char *
wl_project_wrangler_version(const char *config_path, char **where)
{
	*where = NULL;
	char *dir = wl_path_dir(config_path, ".");
	char *cur = realpath(dir, NULL);
	free(dir);
	char *root = wl_schema_project_root(config_path);
	char *range = NULL, *range_where = NULL, *version = NULL;
	/* The catalog a "catalog:" or "catalog:NAME" range names, until the
	 * nearest pnpm-workspace.yaml at or above its package.json says. */
	char *catalog = NULL;
	bool settled = false; /* the nearest package.json's range is known, or is none */
	/* Up from the config's folder, no further than the project. */
	for (int up = 0; cur && !version; up++) {
		char *pkg = wl_xasprintf("%s/node_modules/wrangler/package.json", cur);
		wl_doc *doc = read_json(pkg);
		free(pkg);
		const char *v = doc ? wl_node_str(wl_node_get(doc->root, "version")) : NULL;
		if (v && (version = lowest_version(v)))
			*where = shown_path(config_path, up, "node_modules/wrangler/package.json");
		wl_doc_free(doc);
		if (!settled && !catalog && !version) {
			char *own = wl_xasprintf("%s/package.json", cur);
			doc = read_json(own);
			free(own);
			static const char *const kinds[] = {"devDependencies", "dependencies",
			                                    "peerDependencies"};
			for (size_t i = 0; doc && i < 3 && !range && !catalog; i++) {
				const char *r = wl_node_str(
				    wl_node_get(wl_node_get(doc->root, kinds[i]), "wrangler"));
				if (r && strncmp(r, "catalog:", 8) == 0) {
					catalog = wl_xstrdup(r + 8);
				} else if (r && (range = lowest_version(r))) {
					range_where = shown_path(config_path, up, "package.json");
					settled = true;
				}
			}
			wl_doc_free(doc);
		}
		if (catalog && !version) {
			char *yaml = wl_xasprintf("%s/pnpm-workspace.yaml", cur);
			size_t len;
			bool too_large;
			char *text = wl_read_file(yaml, 1 << 20, &len, &too_large, NULL);
			free(yaml);
			if (text) {
				/* The workspace's file: found, the catalog is settled
				 * (a missing entry leaves the version unknown). */
				char *r =
				    too_large ? NULL : wl_pnpm_catalog_range(text, len, catalog);
				if (r && (range = lowest_version(r)))
					range_where =
					    shown_path(config_path, up, "pnpm-workspace.yaml");
				free(r);
				free(text);
				free(catalog);
				catalog = NULL;
				settled = true;
			}
		}
		char *slash = strrchr(cur, '/');
		if (version || !root || strcmp(cur, root) == 0 || !slash || slash == cur)
			break;
		*slash = '\0';
	}
	free(cur);
	free(root);
	free(catalog);
	if (version) {
		free(range);
		free(range_where);
		return version;
	}
	*where = range_where;
	return range;
}

/* ---- issues to diagnostics ---- */

static const wl_rule *
rule_of(const wl_schema_issue *is, wl_severity *sev)
{
	const wl_rule *r;
	switch (is->kind) {
	case WL_SCHEMA_UNKNOWN_KEY:
		r = &wl_rule_schema_unknown_key;
		break;
	case WL_SCHEMA_FALSE:
		r = is->at->key ? &wl_rule_schema_unknown_key : &wl_rule_schema_enum;
		break;
	case WL_SCHEMA_TYPE:
	case WL_SCHEMA_ONE_OF:
		r = &wl_rule_schema_type;
		break;
	case WL_SCHEMA_REQUIRED:
		r = &wl_rule_schema_required;
		break;
	case WL_SCHEMA_ENUM:
		r = &wl_rule_schema_enum;
		break;
	case WL_SCHEMA_PATTERN:
		r = &wl_rule_schema_pattern;
		break;
	case WL_SCHEMA_RANGE:
		r = &wl_rule_schema_range;
		break;
	case WL_SCHEMA_DEPRECATED:
		r = &wl_rule_schema_deprecated;
		break;
	case WL_SCHEMA_REMOVED:
		*sev = WL_SEV_ERROR;
		return &wl_rule_schema_deprecated;
	default:
		return NULL; /* x-since: not a finding by itself */
	}
	*sev = r->severity;
	return r;
}

/* wrangler 4.86's published schema rejects valid configuration here. */
static bool
known_gap(const wl_schema_issue *i)
{
	if (i->kind != WL_SCHEMA_UNKNOWN_KEY && i->kind != WL_SCHEMA_FALSE)
		return false;
	const wl_node *m = i->at;
	const wl_node *p = m->parent; /* the object holding the key */
	if (!m->key)
		return false;
	if (strcmp(m->key, "transferred_classes") == 0)
		return p && p->parent && p->parent->key &&
		       strcmp(p->parent->key, "migrations") == 0;
	if (strcmp(m->key, "remote") == 0)
		return p && p->parent && p->parent->key &&
		       strcmp(p->parent->key, "bindings") == 0 && p->parent->parent &&
		       p->parent->parent->key &&
		       strcmp(p->parent->parent->key, "durable_objects") == 0;
	return false;
}

/* The env.NAME member a node lies in, or NULL for the top level. */
static const char *
env_of(const wl_doc *doc, const wl_node *n)
{
	for (const wl_node *e = n; e && e->parent && e->parent->parent; e = e->parent)
		if (e->parent->key && strcmp(e->parent->key, "env") == 0 &&
		    e->parent->parent == doc->root)
			return e->key;
	return NULL;
}

/* The aspect a schema issue judges (see wl_claim). */
static unsigned
aspect_of(const wl_schema_issue *is)
{
	/* x-deprecated-values, x-since-values: about the value, not the key. */
	if ((is->kind == WL_SCHEMA_DEPRECATED || is->kind == WL_SCHEMA_SINCE) && !is->key)
		return WL_CLAIM_VALUE;
	switch (is->kind) {
	case WL_SCHEMA_UNKNOWN_KEY:
	case WL_SCHEMA_DEPRECATED:
	case WL_SCHEMA_REMOVED:
	case WL_SCHEMA_SINCE:
		return WL_CLAIM_KEY;
	case WL_SCHEMA_FALSE:
		return is->at->key ? WL_CLAIM_KEY : WL_CLAIM_VALUE;
	case WL_SCHEMA_TYPE:
	case WL_SCHEMA_ONE_OF:
		return WL_CLAIM_TYPE;
	case WL_SCHEMA_REQUIRED:
		return WL_CLAIM_MEMBERS;
	case WL_SCHEMA_ENUM:
	case WL_SCHEMA_PATTERN:
	case WL_SCHEMA_RANGE:
		return WL_CLAIM_VALUE;
	default:
		return 0;
	}
}

/* True when `l` has an issue of the same kind at the same node: the other
 * schema agrees there is a problem. */
static bool
has_issue(const wl_schema_issues *l, const wl_schema_issue *is)
{
	for (size_t i = 0; l && i < l->len; i++)
		if (l->items[i].at == is->at && l->items[i].kind == is->kind)
			return true;
	return false;
}

typedef struct project_version {
	char *version; /* the project's wrangler, or NULL */
	char *where;   /* the file it came from */
} project_version;

typedef struct run {
	const wl_schema *schema;
	const char *label; /* "per PATH", or NULL */
	bool known_gaps;
	const wl_node *blame; /* where "too complex" is reported */
	const char *name;     /* for that message */
	const project_version *pv;
} run;

/* Validates with r's schema into `out`; false (after saying so) when the
 * schema was too complex to finish. */
static bool
collect(wl_check_ctx *ctx, const run *r, wl_schema_issues *out)
{
	out->since_after = r->pv ? r->pv->version : NULL;
	if (wl_schema_validate(r->schema, ctx->doc->root,
	                       wl_schema_default_budget(ctx->doc->src->len), out))
		return true;
	/* Partial results could name the wrong anyOf branch: none. */
	wl_report_span(ctx, &wl_rule_schema_unavailable, r->blame,
	               r->blame == ctx->doc->root ? wl_span_make(0, 0) : r->blame->span, NULL,
	               "the %s schema is too complex: validation stopped after %zu steps "
	               "(at the work limit, or a pattern that backtracks without end) "
	               "and its findings were dropped",
	               r->name, out->work);
	wl_schema_issues_free(out);
	memset(out, 0, sizeof(*out));
	return false;
}

/* Reports r's issues that no more specific rule claimed. `other` (may be
 * NULL) is the other schema's verdict: for the built-in schema, the
 * project's own schema, which clears an unknown key or value it accepts
 * (the project's wrangler may be newer than our schema); for the project's
 * schema, nothing is said again that the built-in one said. */
static void
report(wl_check_ctx *ctx, const run *r, const wl_schema_issues *out, const wl_schema_issues *other)
{
	bool *said = wl_xcalloc(out->len + 1, sizeof(*said));
	for (size_t i = 0; i < out->len; i++) {
		const wl_schema_issue *is = &out->items[i];
		wl_severity sev;
		const wl_rule *rule = rule_of(is, &sev);
		const char *version = r->pv->version;
		char *extra = NULL;
		if (is->kind == WL_SCHEMA_SINCE && version &&
		    wl_version_cmp(is->since, version) > 0) {
			rule = &wl_rule_schema_needs_newer_wrangler;
			sev = rule->severity;
			extra = wl_xasprintf("; this project has %s (%s)", version, r->pv->where);
		} else if (is->kind == WL_SCHEMA_UNKNOWN_KEY && version &&
		           wl_schema_newest_since(r->schema) &&
		           wl_version_cmp(version, wl_schema_newest_since(r->schema)) > 0) {
			/* Perhaps a key wrangler added after the schema was written. */
			sev = WL_SEV_NOTE;
			extra =
			    wl_xasprintf("; this project's wrangler %s (%s) is newer than the "
			                 "schema, which knows keys up to wrangler %s",
			                 version, r->pv->where, wl_schema_newest_since(r->schema));
		}
		if (!rule || (r->known_gaps && known_gap(is))) {
			free(extra);
			continue;
		}
		/* A value the front end could not read: fix that first. */
		unsigned aspect = aspect_of(is);
		if ((is->at->flags & WL_NODE_INVALID) || (wl_claimed(ctx, is->at) & aspect) ||
		    (other && !r->label &&
		     (is->kind == WL_SCHEMA_UNKNOWN_KEY || is->kind == WL_SCHEMA_ENUM) &&
		     !has_issue(other, is))) {
			free(extra);
			continue;
		}
		const char *env = env_of(ctx->doc, is->at);
		const char *more = extra ? extra : "";
		wl_diag *d = r->label ? wl_diag_emit(ctx->diags, rule, NULL, is->span, env,
		                                     "%s%s (%s)", is->message, more, r->label)
		                      : wl_diag_emit(ctx->diags, rule, NULL, is->span, env, "%s%s",
		                                     is->message, more);
		free(extra);
		said[i] = true;
		if (!wl_diag_kept(ctx->diags, d))
			continue;
		/* A stronger severity than the rule's (a removed key), unless the
		 * project changed the rule's level. */
		if (d->severity == rule->severity)
			d->severity = sev;
		wl_diag_set_pointer(d, wl_node_pointer(is->at, d->arena));
		/* Unsafe: the suggestion is a guess at what was meant. */
		if (is->kind == WL_SCHEMA_UNKNOWN_KEY && is->hint) {
			char *title = wl_xasprintf("rename to %s", is->hint);
			if (wl_fix_rename_key(d, ctx->doc, is->at, is->hint, title))
				wl_diag_set_fix_safety(d, WL_FIX_UNSAFE);
			free(title);
		}
	}
	/* Claimed after the run, whether or not the diagnostics were kept, so
	 * that the other schema does not say the same again. */
	for (size_t i = 0; i < out->len; i++)
		if (said[i])
			wl_claim(ctx, NULL, out->items[i].at, aspect_of(&out->items[i]));
	free(said);
}

void
wl_rules_schema_check(wl_check_ctx *ctx, wl_schema_cache *cache)
{
	const wl_lint_options *opts = ctx->opts;
	if (!ctx->doc->root)
		return;
	/* A root that is not an object is the front end's jsonc-syntax. */
	if (!wl_node_is(ctx->doc->root, json_type_object))
		return;
	wl_schema_cache *own = NULL;
	if (!cache)
		cache = own = wl_schema_cache_new();

	/* Only files on disk have a project around them. */
	project_version pv = {0};
	if (ctx->opts && ctx->opts->check_siblings)
		pv.version = wl_project_wrangler_version(ctx->doc->src->path, &pv.where);
	run builtin = {
	    wl_schema_cache_builtin(cache), NULL, false, ctx->doc->root, "built-in", &pv};
	wl_schema_issues from_builtin = {0}, from_user = {0};
	bool builtin_ok = collect(ctx, &builtin, &from_builtin);

	/* The project's own schema: --schema, else a local "$schema" (or TOML's
	 * #:schema directive). URLs are never fetched. */
	const wl_node *ref = wl_node_get(ctx->doc->root, "$schema");
	if (!ref && ctx->doc->toml)
		ref = ctx->doc->toml->schema;
	bool explicit_path = opts && opts->schema_path;
	const char *name = explicit_path ? opts->schema_path
	                   : !(opts && opts->no_user_schema) && wl_node_str(ref) &&
	                           !strstr(wl_node_str(ref), "://")
	                       ? wl_node_str(ref)
	                       : NULL;
	wl_schema *user_schema = NULL;
	run user = {0};
	bool user_ok = false;
	char *label = NULL;
	if (name) {
		char *error = NULL;
		user_schema =
		    wl_rules_schema_load(cache, ctx->doc->src->path, name, explicit_path, &error);
		const wl_node *at = explicit_path ? ctx->doc->root : ref;
		if (user_schema) {
			char *shown = explicit_path ? wl_xstrdup(name)
			                            : schema_path(ctx->doc->src->path, name);
			label = wl_xasprintf("per %s", shown);
			free(shown);
			user = (run){user_schema, label, true, at, label + 4, &pv};
			user_ok = collect(ctx, &user, &from_user);
		} else {
			wl_report_span(ctx, &wl_rule_schema_unavailable, at,
			               explicit_path ? wl_span_make(0, 0) : at->span, NULL,
			               "%s; only wrangler-lint's own schema was checked", error);
			free(error);
		}
	}
	if (builtin_ok)
		report(ctx, &builtin, &from_builtin, user_ok ? &from_user : NULL);
	if (user_ok)
		report(ctx, &user, &from_user, NULL);
	wl_schema_issues_free(&from_builtin);
	wl_schema_issues_free(&from_user);
	free(label);
	if (user_schema)
		wl_schema_release(user_schema);
	free(pv.version);
	free(pv.where);
	wl_schema_cache_free(own);
}

static void
check(wl_check_ctx *ctx)
{
	/* The linter's cache when there is one (user schemas compiled once per
	 * run or server); else one for this file, cheap since the built-in
	 * schema is static tables. */
	wl_linter *l = ctx->opts ? ctx->opts->linter : NULL;
	wl_rules_schema_check(ctx, l ? l->schemas : NULL);
}

const wl_rule_family wl_family_schema = {"schema", rules, sizeof(rules) / sizeof(rules[0]), check};
