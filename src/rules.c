#include "rules.h"

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "rules_families.h"

/* The families, in the order their checks run. Adding a family adds a line. */
static const wl_rule_family *const families[] = {
    &wl_family_syntax,      &wl_family_env,           &wl_family_bindings,
    &wl_family_do_bindings, &wl_family_do_migrations, &wl_family_do_exports,
    &wl_family_toml, /* before schema, which skips what the TOML rules reported */
    &wl_family_schema,      &wl_family_suppression,   &wl_family_project,
};

#define N_FAMILIES (sizeof(families) / sizeof(families[0]))
#define MAX_RULES  256

static const wl_rule *registry[MAX_RULES];
static size_t n_registry;

static int
rule_cmp(const void *a, const void *b)
{
	return strcmp((*(const wl_rule *const *)a)->id, (*(const wl_rule *const *)b)->id);
}

static void
fill_registry(void)
{
	size_t n = 0;
	for (size_t f = 0; f < N_FAMILIES; f++)
		for (size_t r = 0; r < families[f]->n_rules; r++) {
			if (n == MAX_RULES)
				abort(); /* raise MAX_RULES */
			registry[n++] = families[f]->rules[r];
		}
	qsort(registry, n, sizeof(registry[0]), rule_cmp);
	n_registry = n;
}

/* The registry is immutable data derived from static tables; building it
 * once under pthread_once makes every reader safe from any thread. */
static pthread_once_t registry_once = PTHREAD_ONCE_INIT;

static void
build_registry(void)
{
	pthread_once(&registry_once, fill_registry);
}

size_t
wl_rules_count(void)
{
	build_registry();
	return n_registry;
}

const wl_rule *
wl_rules_at(size_t i)
{
	build_registry();
	return i < n_registry ? registry[i] : NULL;
}

const wl_rule *
wl_rules_find(const char *id)
{
	build_registry();
	size_t lo = 0, hi = n_registry;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(id, registry[mid]->id);
		if (c == 0)
			return registry[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

size_t
wl_rules_index(const wl_rule *rule)
{
	build_registry();
	/* Ids are unique, so the sorted table answers by id. */
	size_t lo = 0, hi = n_registry;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(rule->id, registry[mid]->id);
		if (c == 0)
			return mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	assert(!"rule not in the registry");
	return 0;
}

/* A family whose every rule is turned off is not run at all. */
static bool
family_enabled(const wl_check_ctx *ctx, const wl_rule_family *fam)
{
	const signed char *levels = ctx->opts ? ctx->opts->levels : NULL;
	if (!levels)
		return true;
	for (size_t r = 0; r < fam->n_rules; r++)
		if (levels[wl_rules_index(fam->rules[r])] != WL_LEVEL_OFF)
			return true;
	return false;
}

void
wl_rules_run(wl_check_ctx *ctx)
{
	for (size_t f = 0; f < N_FAMILIES; f++)
		if (families[f]->check && family_enabled(ctx, families[f]))
			families[f]->check(ctx);
}

static wl_diag *report_v(wl_check_ctx *ctx, const wl_rule *rule, const wl_node *node, wl_span span,
                         const char *env, const char *fmt, va_list ap) WL_PRINTF(6, 0);

static wl_diag *
report_v(wl_check_ctx *ctx, const wl_rule *rule, const wl_node *node, wl_span span, const char *env,
         const char *fmt, va_list ap)
{
	wl_diag *d = wl_diag_emitv(ctx->diags, rule, NULL, span, env, fmt, ap);
	if (node && wl_diag_kept(ctx->diags, d))
		wl_diag_set_pointer(d, wl_node_pointer(node));
	return d;
}

wl_diag *
wl_report(wl_check_ctx *ctx, const wl_rule *rule, const wl_node *node, const char *env,
          const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	wl_diag *d = report_v(ctx, rule, node, node->span, env, fmt, ap);
	va_end(ap);
	return d;
}

wl_diag *
wl_report_span(wl_check_ctx *ctx, const wl_rule *rule, const wl_node *node, wl_span span,
               const char *env, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	wl_diag *d = report_v(ctx, rule, node, span, env, fmt, ap);
	va_end(ap);
	return d;
}
