#include "rules.h"

#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "rules_families.h"

/* The families, in the order their checks run. Adding a family adds a line. */
static const wl_rule_family *const families[] = {
    &wl_family_syntax,        &wl_family_env,         &wl_family_bindings, &wl_family_do_bindings,
    &wl_family_do_migrations, &wl_family_do_exports,  &wl_family_source,   &wl_family_fields,
    &wl_family_toml, /* before schema, which skips
                       what the TOML rules reported */
    &wl_family_schema,        &wl_family_suppression, &wl_family_project,  &wl_family_history,
    &wl_family_containers,
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

static bool
any_rule_on(const signed char *levels, const wl_rule_family *fam)
{
	for (size_t r = 0; r < fam->n_rules; r++)
		if (levels[wl_rules_index(fam->rules[r])] != WL_LEVEL_OFF)
			return true;
	return false;
}

/* A family whose every rule is turned off is not run at all. The
 * migrations family also drives the container and history checks (they
 * need its replay), so it runs while any of theirs is on. */
static bool
family_enabled(const wl_check_ctx *ctx, const wl_rule_family *fam)
{
	const signed char *levels = ctx->opts ? ctx->opts->levels : NULL;
	if (!levels || any_rule_on(levels, fam))
		return true;
	return fam == &wl_family_do_migrations && (any_rule_on(levels, &wl_family_containers) ||
	                                           any_rule_on(levels, &wl_family_history));
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

/* A node-keyed open-addressing set of claims: linear in the number of
 * claims, nothing per node that nobody claims. */
struct wl_claims {
	const wl_node **keys;
	unsigned *aspects;
	size_t cap, len;
};

static size_t
ptr_hash(const wl_node *n, size_t cap)
{
	uintptr_t h = (uintptr_t)n;
	h ^= h >> 17;
	h *= (uintptr_t)0x9E3779B97F4A7C15ULL;
	return (size_t)(h >> 7) & (cap - 1);
}

static bool rule_off(const wl_check_ctx *ctx, const wl_rule *rule);

void
wl_claim(wl_check_ctx *ctx, const wl_rule *rule, const wl_node *node, unsigned aspects)
{
	if (!node || !aspects || (rule && rule_off(ctx, rule)))
		return;
	struct wl_claims *c = ctx->claims;
	if (!c)
		c = ctx->claims = wl_xcalloc(1, sizeof(*c));
	if ((c->len + 1) * 2 > c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 64;
		const wl_node **nk = wl_xcalloc(ncap, sizeof(*nk));
		unsigned *na = wl_xcalloc(ncap, sizeof(*na));
		for (size_t i = 0; i < c->cap; i++) {
			if (!c->keys[i])
				continue;
			size_t j = ptr_hash(c->keys[i], ncap);
			while (nk[j])
				j = (j + 1) & (ncap - 1);
			nk[j] = c->keys[i];
			na[j] = c->aspects[i];
		}
		free(c->keys);
		free(c->aspects);
		c->keys = nk;
		c->aspects = na;
		c->cap = ncap;
	}
	size_t j = ptr_hash(node, c->cap);
	while (c->keys[j] && c->keys[j] != node)
		j = (j + 1) & (c->cap - 1);
	if (!c->keys[j]) {
		c->keys[j] = node;
		c->len++;
	}
	c->aspects[j] |= aspects;
}

unsigned
wl_claimed(const wl_check_ctx *ctx, const wl_node *node)
{
	const struct wl_claims *c = ctx->claims;
	if (!c || !node)
		return 0;
	size_t j = ptr_hash(node, c->cap);
	while (c->keys[j]) {
		if (c->keys[j] == node)
			return c->aspects[j];
		j = (j + 1) & (c->cap - 1);
	}
	return 0;
}

void
wl_claims_free(wl_check_ctx *ctx)
{
	if (!ctx->claims)
		return;
	free(ctx->claims->keys);
	free(ctx->claims->aspects);
	free(ctx->claims);
	ctx->claims = NULL;
}

/* The rules that judge, at the node they report, what the schema would
 * also judge there, and which aspects: the one table of precedence. */
static const struct {
	const char *id;
	unsigned aspects;
} claiming[] = {
    {"container-tier-conflict", WL_CLAIM_KEY}, /* its message says "deprecated" too */
    {"do-binding-invalid", WL_CLAIM_ALL},
    {"do-class-name-invalid", WL_CLAIM_VALUE},
    {"do-export-invalid", WL_CLAIM_ALL},
    {"do-migration-invalid", WL_CLAIM_ALL},
    {"do-migration-tag-missing", WL_CLAIM_TYPE | WL_CLAIM_MEMBERS},
    {"do-migration-unknown-key", WL_CLAIM_KEY},
    {"env-top-level-only-key", WL_CLAIM_KEY},
    {"site-entry-point-with-main", WL_CLAIM_KEY}, /* its message says "deprecated" too */
    {"toml-date-value", WL_CLAIM_TYPE},
    {"toml-key-in-table", WL_CLAIM_KEY},
    {"toml-migrations-header-missing", WL_CLAIM_KEY | WL_CLAIM_MEMBERS},
    {"toml-wrong-brackets", WL_CLAIM_TYPE},
};

unsigned
wl_rule_claims(const wl_rule *rule)
{
	for (size_t i = 0; i < sizeof(claiming) / sizeof(claiming[0]); i++)
		if (strcmp(claiming[i].id, rule->id) == 0)
			return claiming[i].aspects;
	return 0;
}

static bool
rule_off(const wl_check_ctx *ctx, const wl_rule *rule)
{
	const signed char *levels = ctx->opts ? ctx->opts->levels : NULL;
	return levels && levels[wl_rules_index(rule)] == WL_LEVEL_OFF;
}

static wl_diag *
report_v(wl_check_ctx *ctx, const wl_rule *rule, const wl_node *node, wl_span span, const char *env,
         const char *fmt, va_list ap)
{
	unsigned claims = node ? wl_rule_claims(rule) : 0;
	if (claims)
		wl_claim(ctx, rule, node, claims);
	wl_diag *d = wl_diag_emitv(ctx->diags, rule, NULL, span, env, fmt, ap);
	if (node && wl_diag_kept(ctx->diags, d))
		wl_diag_set_pointer(d, wl_node_pointer(node, d->arena));
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
