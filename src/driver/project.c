#include "project.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "readfile.h"
#include "strmap.h"
#include "suggest.h"
#include "xalloc.h"

static const wl_rule rule_unknown_rule = {"config-unknown-rule", "config", WL_SEV_WARNING,
                                          "The project file names a rule that does not exist"};
static const wl_rule rule_invalid = {
    "config-invalid", "config", WL_SEV_ERROR,
    "A project file (.wrangler-lint.jsonc) setting of the wrong shape or value"};

static const wl_rule *const rules[] = {&rule_unknown_rule, &rule_invalid};

/* Reported while the project file is read, not by a check. */
const wl_rule_family wl_family_project = {"config", rules, sizeof(rules) / sizeof(rules[0]), NULL};

static const char *const top_keys[] = {"$schema", "rules", "ignore", "fail-on", "baseline", NULL};

bool
wl_level_parse(const char *name, signed char *out)
{
	if (strcmp(name, "off") == 0) {
		*out = WL_LEVEL_OFF;
		return true;
	}
	wl_severity s;
	if (!wl_severity_parse(name, &s))
		return false;
	*out = (signed char)s;
	return true;
}

static void report(wl_project *p, const wl_rule *rule, const wl_node *at, wl_span span,
                   const char *fmt, ...) WL_PRINTF(5, 6);

static void
report(wl_project *p, const wl_rule *rule, const wl_node *at, wl_span span, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	wl_diag *d = wl_diag_addv(&p->result->diags, rule, span, fmt, ap);
	va_end(ap);
	wl_diag_set_pointer(d, wl_node_pointer(at, d->arena));
}

static void
read_rules(wl_project *p, const wl_node *rules_node)
{
	if (!wl_node_is(rules_node, json_type_object)) {
		report(p, &rule_invalid, rules_node, rules_node->span,
		       "\"rules\" must be an object mapping rule ids to \"error\", \"warning\", "
		       "\"note\" or \"off\", not %s",
		       wl_node_type_name(rules_node));
		return;
	}
	/* Candidates for did-you-mean: every rule id. */
	size_t n = wl_rules_count();
	const char **ids = wl_xcalloc(n + 1, sizeof(*ids));
	for (size_t i = 0; i < n; i++)
		ids[i] = wl_rules_at(i)->id;
	WL_NODE_FOREACH(m, rules_node)
	{
		const wl_rule *rule = wl_rules_find(m->key);
		if (!rule) {
			const char *hint = wl_suggest(m->key, ids);
			report(p, &rule_unknown_rule, m, m->key_span,
			       "no rule is called \"%s\"%s%s%s", m->key,
			       hint ? " (did you mean \"" : "", hint ? hint : "",
			       hint ? "\"?)" : "");
			continue;
		}
		const char *level = wl_node_str(m);
		signed char v;
		if (!level || !wl_level_parse(level, &v)) {
			report(
			    p, &rule_invalid, m, m->span,
			    "the level of %s must be \"error\", \"warning\", \"note\" or \"off\"",
			    m->key);
			continue;
		}
		p->levels[wl_rules_index(rule)] = v;
	}
	free(ids);
}

static void
read_ignore(wl_project *p, const wl_node *ignore)
{
	if (!wl_node_is(ignore, json_type_array)) {
		report(p, &rule_invalid, ignore, ignore->span,
		       "\"ignore\" must be an array of glob patterns, not %s",
		       wl_node_type_name(ignore));
		return;
	}
	p->ignore = wl_xcalloc(ignore->n_children + 1, sizeof(*p->ignore));
	WL_NODE_FOREACH(g, ignore)
	{
		const char *s = wl_node_str(g);
		if (!s || !*s) {
			report(p, &rule_invalid, g, g->span,
			       "each \"ignore\" entry must be a non-empty glob pattern string");
			continue;
		}
		p->ignore[p->n_ignore++] = wl_xstrdup(s);
	}
}

static wl_project *
project_new(const char *path)
{
	wl_project *p = wl_xcalloc(1, sizeof(*p));
	p->path = wl_xstrdup(path);
	const char *slash = strrchr(path, '/');
	p->dir =
	    slash ? wl_xstrndup(path, (size_t)(slash - path) + (slash == path)) : wl_xstrdup(".");
	p->levels = wl_xmalloc(wl_rules_count() ? wl_rules_count() : 1);
	memset(p->levels, WL_LEVEL_DEFAULT, wl_rules_count());
	return p;
}

wl_project *
wl_project_load(const char *path)
{
	size_t len = 0, size = 0;
	bool too_large = false;
	char *buf = wl_read_file(path, WL_MAX_FILE_SIZE, &len, &too_large, &size);
	if (!buf)
		return NULL;
	wl_project *p;
	if (too_large) { /* not parsed: its settings would be a guess */
		free(buf);
		p = project_new(path);
		p->result = wl_lint_oversized(path, size, NULL);
	} else {
		p = wl_project_parse(path, buf, len);
	}
	struct stat st;
	if (stat(path, &st) == 0) {
		p->stamp.dev = (unsigned long long)st.st_dev;
		p->stamp.ino = (unsigned long long)st.st_ino;
		p->stamp.size = (long long)st.st_size;
		p->stamp.mtime_sec = (long long)st.st_mtim.tv_sec;
		p->stamp.mtime_nsec = (long)st.st_mtim.tv_nsec;
	}
	return p;
}

wl_project *
wl_project_parse(const char *path, char *buf, size_t len)
{
	wl_project *p = project_new(path);
	wl_lint_options opts = {.check_siblings = false, .syntax_only = true};
	p->result = wl_lint_source(wl_source_adopt(path, buf, len), &opts);
	const wl_node *root = p->result->doc->root;
	if (!wl_node_is(root, json_type_object)) {
		wl_diag_list_sort(&p->result->diags);
		return p; /* jsonc-syntax said why */
	}
	WL_NODE_FOREACH(m, root)
	{
		if (strcmp(m->key, "rules") == 0) {
			read_rules(p, m);
		} else if (strcmp(m->key, "ignore") == 0) {
			read_ignore(p, m);
		} else if (strcmp(m->key, "fail-on") == 0) {
			const char *s = wl_node_str(m);
			if (s && wl_severity_parse(s, &p->fail_on))
				p->has_fail_on = true;
			else
				report(p, &rule_invalid, m, m->span,
				       "\"fail-on\" must be \"error\", \"warning\" or \"note\"");
		} else if (strcmp(m->key, "baseline") == 0) {
			const char *s = wl_node_str(m);
			if (s && *s && s[0] != '-') {
				free(p->baseline);
				p->baseline = wl_xstrdup(s);
			} else {
				report(
				    p, &rule_invalid, m, m->span,
				    "\"baseline\" must be a git revision such as \"origin/main\"");
			}
		} else if (strcmp(m->key, "$schema") != 0) {
			const char *hint = wl_suggest(m->key, top_keys);
			report(p, &rule_invalid, m, m->key_span,
			       "unknown setting \"%s\"%s%s%s; a project file has \"rules\", "
			       "\"ignore\", \"fail-on\" and \"baseline\"",
			       m->key, hint ? " (did you mean \"" : "", hint ? hint : "",
			       hint ? "\"?)" : "");
		}
	}
	wl_diag_list_sort(&p->result->diags);
	return p;
}

void
wl_project_free(wl_project *p)
{
	if (!p)
		return;
	free(p->path);
	free(p->dir);
	free(p->baseline);
	free(p->levels);
	for (size_t i = 0; i < p->n_ignore; i++)
		free(p->ignore[i]);
	free(p->ignore);
	wl_lint_result_free(p->result);
	free(p);
}

/* `abs` relative to the working directory when that is shorter to read:
 * a file under it loses the prefix, one in an ancestor becomes "../…", so
 * annotations attach to it as they do to configs named relatively. */
static char *
relative_to_cwd(char *abs)
{
	char *cwd = realpath(".", NULL);
	if (!cwd)
		return abs;
	size_t n = strlen(cwd);
	char *out = NULL;
	if (strncmp(abs, cwd, n) == 0 && abs[n] == '/') {
		out = wl_xstrdup(abs + n + 1);
	} else if (strcmp(cwd, "/") == 0) {
		out = wl_xstrdup(abs + 1);
	} else {
		/* The longest common folder prefix, then one ".." per folder left. */
		size_t common = 0;
		for (size_t i = 0; abs[i] && abs[i] == cwd[i]; i++)
			if (abs[i] == '/')
				common = i;
		size_t ups = 0;
		for (size_t i = common; cwd[i]; i++)
			if (cwd[i] == '/')
				ups++;
		if (common > 0 && ups <= 8) {
			size_t len = ups * 3 + strlen(abs + common + 1) + 1;
			out = wl_xmalloc(len);
			out[0] = '\0';
			for (size_t i = 0; i < ups; i++)
				strcat(out, "../");
			strcat(out, abs + common + 1);
		}
	}
	free(cwd);
	if (!out)
		return abs;
	free(abs);
	return out;
}

char *
wl_project_find(const char *dir)
{
	char *cur = realpath(dir, NULL);
	if (!cur)
		return NULL;
	for (;;) {
		char *candidate =
		    wl_xasprintf("%s%s%s", cur, strcmp(cur, "/") == 0 ? "" : "/", WL_PROJECT_FILE);
		struct stat st;
		if (stat(candidate, &st) == 0 && S_ISREG(st.st_mode)) {
			free(cur);
			return relative_to_cwd(candidate);
		}
		free(candidate);
		if (!wl_path_up(cur)) {
			free(cur);
			return NULL;
		}
	}
}

/* ---- the cache of project files, per folder ---- */

struct wl_project_cache {
	signed char *overrides; /* --rule levels, or NULL */
	wl_strmap by_dir;       /* folder -> path (owned, in dir_paths) or "" */
	char **keys;            /* owned folder keys and values */
	size_t n_keys, cap_keys;
	wl_project **projects; /* every project loaded, in load order */
	size_t n_projects, cap_projects;
};

static char *
cache_keep(wl_project_cache *c, const char *s)
{
	wl_xgrow((void **)&c->keys, &c->cap_keys, c->n_keys + 1, sizeof(*c->keys));
	return c->keys[c->n_keys++] = wl_xstrdup(s);
}

wl_project_cache *
wl_project_cache_new(const signed char *overrides)
{
	wl_project_cache *c = wl_xcalloc(1, sizeof(*c));
	if (overrides) {
		c->overrides = wl_xmalloc(wl_rules_count() ? wl_rules_count() : 1);
		memcpy(c->overrides, overrides, wl_rules_count());
	}
	wl_strmap_init(&c->by_dir);
	return c;
}

void
wl_project_cache_free(wl_project_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_projects; i++)
		wl_project_free(c->projects[i]);
	free(c->projects);
	for (size_t i = 0; i < c->n_keys; i++)
		free(c->keys[i]);
	free(c->keys);
	wl_strmap_free(&c->by_dir);
	free(c->overrides);
	free(c);
}

static bool
stamp_current(const wl_project *p)
{
	struct stat st;
	if (stat(p->path, &st) != 0)
		return false;
	return p->stamp.dev == (unsigned long long)st.st_dev &&
	       p->stamp.ino == (unsigned long long)st.st_ino &&
	       p->stamp.size == (long long)st.st_size &&
	       p->stamp.mtime_sec == (long long)st.st_mtim.tv_sec &&
	       p->stamp.mtime_nsec == (long)st.st_mtim.tv_nsec;
}

wl_project *
wl_project_cache_load(wl_project_cache *c, const char *path)
{
	/* The newest load of this path, if the file has not changed since. */
	for (size_t i = c->n_projects; i-- > 0;)
		if (strcmp(c->projects[i]->path, path) == 0) {
			if (c->projects[i]->stale)
				break;
			if (stamp_current(c->projects[i]))
				return c->projects[i];
			c->projects[i]->stale = true;
			break;
		}
	wl_project *p = wl_project_load(path);
	if (!p)
		return NULL;
	if (c->overrides) /* the project's levels, then --rule on top */
		for (size_t i = 0; i < wl_rules_count(); i++)
			if (c->overrides[i] != WL_LEVEL_DEFAULT)
				p->levels[i] = c->overrides[i];
	wl_xgrow((void **)&c->projects, &c->cap_projects, c->n_projects + 1, sizeof(*c->projects));
	c->projects[c->n_projects++] = p;
	return p;
}

wl_project *
wl_project_cache_for_dir(wl_project_cache *c, const char *dir, const char **failed_path)
{
	*failed_path = NULL;
	const char *path = wl_strmap_get(&c->by_dir, dir);
	if (!path) {
		char *found = wl_project_find(dir);
		path = cache_keep(c, found ? found : "");
		free(found);
		wl_strmap_put(&c->by_dir, cache_keep(c, dir), path);
	}
	if (!*path)
		return NULL;
	wl_project *p = wl_project_cache_load(c, path);
	if (!p)
		*failed_path = path;
	return p;
}

size_t
wl_project_cache_count(const wl_project_cache *c)
{
	return c->n_projects;
}

wl_project *
wl_project_cache_at(const wl_project_cache *c, size_t i)
{
	return i < c->n_projects ? c->projects[i] : NULL;
}
