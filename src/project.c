#include "project.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
	wl_diag_set_pointer(d, wl_node_pointer(at));
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

wl_project *
wl_project_load(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, len = 0;
	char *buf = wl_xmalloc(cap + 1);
	size_t r;
	while ((r = fread(buf + len, 1, cap - len, f)) > 0) {
		len += r;
		if (len == cap) {
			if (cap > WL_MAX_FILE_SIZE)
				break;
			cap *= 2;
			buf = wl_xrealloc(buf, cap + 1);
		}
	}
	int failed = ferror(f);
	int saved = errno;
	fclose(f);
	if (failed) {
		free(buf);
		errno = saved;
		return NULL;
	}
	buf[len] = '\0';
	wl_project *p = wl_xcalloc(1, sizeof(*p));
	p->path = wl_xstrdup(path);
	const char *slash = strrchr(path, '/');
	p->dir =
	    slash ? wl_xstrndup(path, (size_t)(slash - path) + (slash == path)) : wl_xstrdup(".");
	p->levels = wl_xmalloc(wl_rules_count() ? wl_rules_count() : 1);
	memset(p->levels, WL_LEVEL_DEFAULT, wl_rules_count());
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
			return candidate;
		}
		free(candidate);
		char *slash = strrchr(cur, '/');
		if (!slash || strcmp(cur, "/") == 0) {
			free(cur);
			return NULL;
		}
		if (slash == cur)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
}
