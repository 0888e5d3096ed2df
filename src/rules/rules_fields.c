/* Combinations of fields that wrangler's validator refuses although each
 * field alone has the right shape, so no schema finding covers them:
 * observability with nothing turned on or off, a placement hint outside
 * smart placement, a send_email binding with both kinds of destination,
 * cloudchamber sizes given twice, site.entry-point beside main, and three
 * combinations inside containers[] (observability, rollout steps, tiers). Each is an
 * error of `wrangler deploy` (and of `wrangler dev`) before anything is
 * uploaded. The same checks apply to the overrides under `previews`. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "model.h"
#include "rules_families.h"
#include "strmap.h"
#include "xalloc.h"

static const wl_rule rule_observability = {
    "observability-not-enabled", "field", WL_SEV_ERROR,
    "observability sets none of enabled, logs.enabled, traces.enabled, issues.enabled"};
static const wl_rule rule_placement = {
    "placement-hint-conflict", "field", WL_SEV_ERROR,
    "placement.hint without mode \"smart\", or beside region/host/hostname"};
static const wl_rule rule_send_email = {
    "send-email-destination-conflict", "field", WL_SEV_ERROR,
    "A send_email binding with both destination_address and allowed_destination_addresses"};
static const wl_rule rule_cloudchamber = {
    "cloudchamber-size-conflict", "field", WL_SEV_ERROR,
    "cloudchamber sets memory or vcpu together with instance_type"};
static const wl_rule rule_site_main = {
    "site-entry-point-with-main", "field", WL_SEV_ERROR,
    "site.entry-point and main both set (they name the same entry point)"};

static const wl_rule rule_container_obs = {
    "container-observability-conflict", "field", WL_SEV_ERROR,
    "containers[].observability: enabled and logs.enabled differ, or a target without logging "
    "on, or both targets"};
static const wl_rule rule_container_rollout = {
    "container-rollout-too-many-steps", "field", WL_SEV_ERROR,
    "containers[].rollout_step_percentage has more steps than max_instances"};
static const wl_rule rule_container_tiers = {"container-tier-conflict", "field", WL_SEV_ERROR,
                                             "containers[].constraints sets both tier and tiers"};

static const wl_rule rule_container_duplicate = {
    "container-duplicate", "field", WL_SEV_ERROR,
    "Two containers[] entries with the same name, or on the same Durable Object class"};
static const wl_rule rule_preview_container = {
    "preview-container-invalid", "field", WL_SEV_ERROR,
    "A previews.containers[] entry with a name, or managed by its Durable Object"};
static const wl_rule rule_connect_duplicate = {
    "connect-duplicate", "field", WL_SEV_ERROR,
    "Two connect entries with the same protocol and port"};

static const wl_rule *const rules[] = {
    &rule_cloudchamber,  &rule_connect_duplicate, &rule_container_duplicate,
    &rule_container_obs, &rule_container_rollout, &rule_container_tiers,
    &rule_observability, &rule_placement,         &rule_preview_container,
    &rule_send_email,    &rule_site_main};

/* "KEY in the top level" / "KEY in env.NAME" / "previews.KEY in …". */
typedef struct where {
	const wl_env *env;
	const char *prefix; /* "" or "previews." */
} where;

static bool
has(const wl_node *obj, const char *key)
{
	return wl_node_get(obj, key) != NULL;
}

static void
check_observability(wl_check_ctx *ctx, const wl_node *obs, where w)
{
	if (!wl_node_is(obs, json_type_object))
		return; /* the schema reports the type */
	static const char *const parts[] = {"logs", "traces", "issues"};
	if (has(obs, "enabled"))
		return;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const wl_node *part = wl_node_get(obs, parts[i]);
		if (wl_node_is(part, json_type_object) && has(part, "enabled"))
			return;
	}
	wl_report(ctx, &rule_observability, obs, w.env->name,
	          "%sobservability in %s turns nothing on or off: wrangler refuses it unless one "
	          "of \"enabled\", \"logs.enabled\", \"traces.enabled\" or \"issues.enabled\" "
	          "is set; add \"enabled\": true (or false)",
	          w.prefix, wl_env_where(w.env));
}

static void
check_placement(wl_check_ctx *ctx, const wl_node *placement, where w)
{
	if (!wl_node_is(placement, json_type_object))
		return;
	const wl_node *hint = wl_node_get(placement, "hint");
	if (!hint)
		return;
	static const char *const targeted[] = {"region", "host", "hostname"};
	for (size_t i = 0; i < sizeof(targeted) / sizeof(targeted[0]); i++) {
		const wl_node *t = wl_node_get(placement, targeted[i]);
		if (t) {
			wl_diag *d = wl_report(
			    ctx, &rule_placement, hint, w.env->name,
			    "%splacement in %s has both \"hint\" (smart placement) and \"%s\" "
			    "(targeted placement); wrangler refuses it: keep one of the two forms",
			    w.prefix, wl_env_where(w.env), targeted[i]);
			wl_diag_add_related(d, t->span, "%s set here", targeted[i]);
			return;
		}
	}
	const char *hint_text = wl_node_str(hint);
	if (!hint_text || !*hint_text)
		return; /* an empty hint is ignored; a wrong type is the schema's */
	const wl_node *mode = wl_node_get(placement, "mode");
	const char *mode_text = wl_node_str(mode);
	if (mode_text && strcmp(mode_text, "smart") == 0)
		return;
	if (mode_text)
		wl_report(ctx, &rule_placement, hint, w.env->name,
		          "%splacement.hint in %s has no effect with mode \"%s\", and wrangler "
		          "refuses it: a hint applies only to \"mode\": \"smart\"",
		          w.prefix, wl_env_where(w.env), mode_text);
	else if (!mode) {
		/* This says what the schema's missing "mode" would. */
		wl_claim(ctx, &rule_placement, placement, WL_CLAIM_MEMBERS);
		wl_report(ctx, &rule_placement, hint, w.env->name,
		          "%splacement.hint in %s needs \"mode\": \"smart\"; without a mode "
		          "wrangler refuses it",
		          w.prefix, wl_env_where(w.env));
	}
}

static void
check_send_email(wl_check_ctx *ctx, const wl_node *list, where w)
{
	if (!wl_node_is(list, json_type_array))
		return;
	WL_NODE_FOREACH(item, list)
	{
		if (!wl_node_is(item, json_type_object))
			continue;
		const wl_node *one = wl_node_get(item, "destination_address");
		const wl_node *many = wl_node_get(item, "allowed_destination_addresses");
		if (!one || !many)
			continue;
		const char *name = wl_node_str(wl_node_get(item, "name"));
		wl_diag *d = wl_report(
		    ctx, &rule_send_email, many, w.env->name,
		    "%ssend_email binding%s%s%s in %s has both \"destination_address\" and "
		    "\"allowed_destination_addresses\"; wrangler refuses it: keep "
		    "destination_address for one fixed recipient, or the list for several",
		    w.prefix, name ? " \"" : "", name ? name : "", name ? "\"" : "",
		    wl_env_where(w.env));
		wl_diag_add_related(d, one->span, "destination_address set here");
	}
}

static void
check_cloudchamber(wl_check_ctx *ctx, const wl_node *cc, where w)
{
	if (!wl_node_is(cc, json_type_object))
		return;
	const wl_node *type = wl_node_get(cc, "instance_type");
	if (!type || wl_node_is(type, json_type_null))
		return;
	const char *sizes[] = {"memory", "vcpu"};
	for (size_t i = 0; i < 2; i++) {
		const wl_node *s = wl_node_get(cc, sizes[i]);
		if (!s || wl_node_is(s, json_type_null))
			continue;
		wl_diag *d = wl_report(ctx, &rule_cloudchamber, s, w.env->name,
		                       "%scloudchamber in %s sets \"%s\" and \"instance_type\"; "
		                       "wrangler refuses it: an instance type fixes the size, "
		                       "so give one or the other",
		                       w.prefix, wl_env_where(w.env), sizes[i]);
		wl_diag_add_related(d, type->span, "instance_type set here");
		return;
	}
}

static bool
is_true(const wl_node *n)
{
	return wl_node_is(n, json_type_boolean) && json_object_get_boolean(n->value);
}

static bool
is_number(const wl_node *n)
{
	return wl_node_is(n, json_type_int) || wl_node_is(n, json_type_double);
}

/* What one container's `observability` may not combine. */
static void
check_container_observability(wl_check_ctx *ctx, const wl_node *obs, const char *cname,
                              bool do_managed, where w)
{
	if (!wl_node_is(obs, json_type_object))
		return;
	const wl_node *enabled = wl_node_get(obs, "enabled");
	const wl_node *logs = wl_node_get(obs, "logs");
	const wl_node *logs_enabled =
	    wl_node_is(logs, json_type_object) ? wl_node_get(logs, "enabled") : NULL;
	const wl_node *pct = wl_node_get(obs, "target_instance_percentage");
	const wl_node *count = wl_node_get(obs, "target_instance_count");
	if (wl_node_is(enabled, json_type_boolean) && wl_node_is(logs_enabled, json_type_boolean) &&
	    json_object_get_boolean(enabled->value) !=
	        json_object_get_boolean(logs_enabled->value)) {
		wl_diag *d = wl_report(ctx, &rule_container_obs, logs_enabled, w.env->name,
		                       "%scontainer %s in %s sets observability.enabled and "
		                       "observability.logs.enabled to different values; wrangler "
		                       "refuses it: give them the same value, or keep one",
		                       w.prefix, cname, wl_env_where(w.env));
		wl_diag_add_related(d, enabled->span, "enabled set here");
	}
	if (pct && count) {
		wl_diag *d =
		    wl_report(ctx, &rule_container_obs, count, w.env->name,
		              "%scontainer %s in %s sets both target_instance_percentage and "
		              "target_instance_count; wrangler refuses it: keep one",
		              w.prefix, cname, wl_env_where(w.env));
		wl_diag_add_related(d, pct->span, "target_instance_percentage set here");
		return;
	}
	const wl_node *target = pct ? pct : count;
	if (target && do_managed) {
		wl_report(
		    ctx, &rule_container_obs, target, w.env->name,
		    "%scontainer %s in %s is managed by its Durable Object "
		    "(scheduling_policy \"durable_object\"), whose observability can only turn "
		    "logs on or off; wrangler refuses %s: remove it",
		    w.prefix, cname, wl_env_where(w.env),
		    pct ? "target_instance_percentage" : "target_instance_count");
		return;
	}
	if (target && !is_true(enabled) && !is_true(logs_enabled))
		wl_report(ctx, &rule_container_obs, target, w.env->name,
		          "%scontainer %s in %s sets observability.%s, which needs "
		          "\"enabled\": true (or \"logs\": { \"enabled\": true }) beside it: a "
		          "container's observability replaces the Worker's, so wrangler refuses it",
		          w.prefix, cname, wl_env_where(w.env),
		          pct ? "target_instance_percentage" : "target_instance_count");
}

/* One container per name and per Durable Object class, within one list. */
static void
check_container_unique(wl_check_ctx *ctx, const wl_node *item, wl_strmap *names, wl_strmap *classes,
                       where w)
{
	const wl_node *keys[] = {wl_node_get(item, "name"), wl_node_get(item, "class_name")};
	wl_strmap *seen[] = {names, classes};
	for (size_t k = 0; k < 2; k++) {
		const char *v = wl_node_str(keys[k]);
		if (!v)
			continue;
		const wl_node *first = wl_strmap_get(seen[k], v);
		if (!first) {
			wl_strmap_put(seen[k], v, keys[k]);
			continue;
		}
		wl_diag *d =
		    k == 0
		        ? wl_report(ctx, &rule_container_duplicate, keys[k], w.env->name,
		                    "%scontainers in %s has two containers named \"%s\"; "
		                    "wrangler refuses it: container names must be unique",
		                    w.prefix, wl_env_where(w.env), v)
		        : wl_report(ctx, &rule_container_duplicate, keys[k], w.env->name,
		                    "%scontainers in %s attaches two containers to Durable Object "
		                    "class %s; wrangler refuses it: a Durable Object has one "
		                    "container",
		                    w.prefix, wl_env_where(w.env), v);
		wl_diag_add_related(d, first->span, "the first one");
	}
}

/* A preview's containers are named by wrangler, and a Durable-Object-managed
 * container belongs to the deployed Worker's own list. */
static void
check_preview_container(wl_check_ctx *ctx, const wl_node *item, const char *cname,
                        const char *policy, where w)
{
	const wl_node *name = wl_node_get(item, "name");
	if (name)
		wl_report(ctx, &rule_preview_container, name, w.env->name,
		          "previews.containers in %s names container %s; wrangler refuses it: a "
		          "preview container's name is generated (from the Worker, the preview and "
		          "the class), so remove \"name\"",
		          wl_env_where(w.env), cname);
	if (policy && strcmp(policy, "durable_object") == 0)
		wl_report(
		    ctx, &rule_preview_container, wl_node_get(item, "scheduling_policy"),
		    w.env->name,
		    "previews.containers in %s has container %s managed by its Durable Object "
		    "(scheduling_policy \"durable_object\"); wrangler refuses it: such "
		    "containers are configured only in the Worker's own containers list",
		    wl_env_where(w.env), cname);
}

static void
check_connect(wl_check_ctx *ctx, const wl_node *list, where w)
{
	if (!wl_node_is(list, json_type_array))
		return;
	wl_strmap seen; /* "protocol:port" -> the first port node */
	wl_strmap_init(&seen);
	wl_arena keys = {0}; /* the map borrows its keys */
	WL_NODE_FOREACH(item, list)
	{
		const wl_node *port = wl_node_get(item, "port");
		const char *protocol = wl_node_str(wl_node_get(item, "protocol"));
		if (!protocol || !is_number(port))
			continue;
		const char *number = json_object_get_string(port->value);
		char *key = wl_xasprintf("%s:%s", protocol, number);
		const wl_node *first = wl_strmap_get(&seen, key);
		if (first) {
			wl_diag *d = wl_report(ctx, &rule_connect_duplicate, port, w.env->name,
			                       "%sconnect in %s has two entries for %s port %s; "
			                       "wrangler refuses it: each protocol and port once",
			                       w.prefix, wl_env_where(w.env), protocol, number);
			wl_diag_add_related(d, first->span, "the first one");
		} else {
			wl_strmap_put(&seen, wl_arena_strdup(&keys, key), port);
		}
		free(key);
	}
	wl_strmap_free(&seen);
	wl_arena_free(&keys);
}

/* At most one rollout step per instance. */
static void
check_container_rollout(wl_check_ctx *ctx, const wl_node *item, const char *cname, where w)
{
	const wl_node *steps = wl_node_get(item, "rollout_step_percentage");
	const wl_node *max = wl_node_get(item, "max_instances");
	if (!wl_node_is(steps, json_type_array) || !is_number(max) ||
	    (double)steps->n_children <= json_object_get_double(max->value))
		return;
	const char *most = json_object_get_string(max->value);
	wl_diag *d = wl_report(ctx, &rule_container_rollout, steps, w.env->name,
	                       "%scontainer %s in %s has %u rollout steps but max_instances is "
	                       "%s; wrangler refuses more steps than instances: use at most %s "
	                       "steps",
	                       w.prefix, cname, wl_env_where(w.env), steps->n_children, most, most);
	wl_diag_add_related(d, max->span, "max_instances set here");
}

/* The deprecated constraints.tier beside its replacement. */
static void
check_container_tiers(wl_check_ctx *ctx, const wl_node *item, const char *cname, where w)
{
	const wl_node *cons = wl_node_get(item, "constraints");
	const wl_node *tier = wl_node_is(cons, json_type_object) ? wl_node_get(cons, "tier") : NULL;
	const wl_node *tiers = tier ? wl_node_get(cons, "tiers") : NULL;
	if (!tiers)
		return;
	/* Its message says what the deprecation would. */
	wl_diag *d = wl_report(ctx, &rule_container_tiers, tier, w.env->name,
	                       "%scontainer %s in %s sets constraints.tier and constraints.tiers; "
	                       "wrangler refuses both: delete the deprecated tier",
	                       w.prefix, cname, wl_env_where(w.env));
	wl_diag_add_related(d, tiers->span, "tiers set here");
}

static void
check_containers(wl_check_ctx *ctx, const wl_node *list, where w)
{
	if (!wl_node_is(list, json_type_array))
		return;
	wl_strmap names, classes;
	wl_strmap_init(&names);
	wl_strmap_init(&classes);
	size_t i = 0;
	WL_NODE_FOREACH(item, list)
	{
		i++;
		if (!wl_node_is(item, json_type_object))
			continue;
		const char *name = wl_node_str(wl_node_get(item, "name"));
		const char *cls = wl_node_str(wl_node_get(item, "class_name"));
		char *cname = name  ? wl_xasprintf("\"%s\"", name)
		              : cls ? wl_xasprintf("of class %s", cls)
		                    : wl_xasprintf("#%zu", i);
		const char *policy = wl_node_str(wl_node_get(item, "scheduling_policy"));
		check_container_observability(ctx, wl_node_get(item, "observability"), cname,
		                              policy && strcmp(policy, "durable_object") == 0, w);
		if (!*w.prefix) /* wrangler checks uniqueness of the deployed lists only */
			check_container_unique(ctx, item, &names, &classes, w);
		else
			check_preview_container(ctx, item, cname, policy, w);
		check_container_rollout(ctx, item, cname, w);
		check_container_tiers(ctx, item, cname, w);
		free(cname);
	}
	wl_strmap_free(&names);
	wl_strmap_free(&classes);
}

static void
check_object(wl_check_ctx *ctx, const wl_node *obj, where w)
{
	check_observability(ctx, wl_node_get(obj, "observability"), w);
	check_placement(ctx, wl_node_get(obj, "placement"), w);
	check_send_email(ctx, wl_node_get(obj, "send_email"), w);
	if (!*w.prefix) /* not validated under previews (wrangler 4.164) */
		check_cloudchamber(ctx, wl_node_get(obj, "cloudchamber"), w);
	check_containers(ctx, wl_node_get(obj, "containers"), w);
	check_connect(ctx, wl_node_get(obj, "connect"), w);
}

/* `site` exists only at the top level, and wrangler compares its
 * entry-point with the main of the environment being deployed: the top
 * level's own, or one an env sets for itself. */
static void
check_site(wl_check_ctx *ctx, const wl_model *m)
{
	const wl_node *site = wl_node_get(m->envs[0].node, "site");
	const wl_node *entry =
	    wl_node_is(site, json_type_object) ? wl_node_get(site, "entry-point") : NULL;
	if (!entry || wl_node_is(entry, json_type_null))
		return;
	const wl_node *top_main = wl_node_get(m->envs[0].node, "main");
	if (top_main && !wl_node_is(top_main, json_type_null)) {
		wl_diag *d = wl_report(ctx, &rule_site_main, entry, NULL,
		                       "site.entry-point and main are both set; they name the same "
		                       "entry point and wrangler refuses the config: delete the "
		                       "deprecated site.entry-point");
		wl_diag_add_related(d, top_main->span, "main set here");
		return;
	}
	for (size_t i = 1; i < m->n_envs; i++) {
		const wl_node *main = wl_node_get(m->envs[i].node, "main");
		if (!main || wl_node_is(main, json_type_null))
			continue;
		wl_diag *d =
		    wl_report(ctx, &rule_site_main, entry, m->envs[i].name,
		              "site.entry-point is set and %s sets main; they name the same entry "
		              "point and wrangler refuses to deploy %s: delete the deprecated "
		              "site.entry-point",
		              m->envs[i].label, m->envs[i].label);
		wl_diag_add_related(d, main->span, "main set here");
	}
}

static void
check(wl_check_ctx *ctx)
{
	const wl_model *m = ctx->model;
	if (!m || m->pages)
		return;
	for (size_t i = 0; i < m->n_envs; i++) {
		const wl_env *e = &m->envs[i];
		check_object(ctx, e->node, (where){e, ""});
		const wl_node *previews = wl_node_get(e->node, "previews");
		if (wl_node_is(previews, json_type_object))
			check_object(ctx, previews, (where){e, "previews."});
	}
	check_site(ctx, m);
}

const wl_rule_family wl_family_fields = {"field", rules, sizeof(rules) / sizeof(rules[0]), check};
