/* Migration history against what is deployed.
 *
 * Every environment is its own Worker, and the platform applies only the
 * migration steps after the Worker's deployed tag. A baseline says what is
 * deployed: a copy of the config as it was deployed (a git revision or a
 * file), and/or the tags known to be applied (--applied, the truth when git
 * lags; gitread.h reads a config at a revision). During a lint this module
 * matches each environment of the config with the same environment of the
 * baseline to decide which steps are applied; rules_history.c reports on it
 * and rules_do_migrations.c asks it whether a step is applied. */
#ifndef WL_HISTORY_H
#define WL_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "migrations.h"
#include "rules.h"

/* `--applied=[ENV=]TAG`: env NULL for the top level. Strings borrowed. */
typedef struct wl_applied_tag {
	const char *env;
	const char *tag;
} wl_applied_tag;

/* What the caller knows about the deployed state of one config; every
 * pointer is borrowed for the duration of the lint. */
typedef struct wl_baseline {
	/* The deployed config: its display name (e.g. "origin/main:wrangler.jsonc")
	 * and bytes. bytes NULL: no deployed copy is known. */
	const char *name;
	const char *bytes;
	size_t len;
	/* The config did not exist at the revision: nothing is applied yet, and
	 * no history finding is made from the file (only from `applied`). */
	bool absent;
	const wl_applied_tag *applied;
	size_t n_applied;
} wl_baseline;

/* Splits "[ENV=]TAG" into `out` (pointing into `arg`, which it modifies):
 * false when the tag is empty. */
bool wl_applied_parse(char *arg, wl_applied_tag *out);

/* ---- during a lint ---- */

/* What is known of one environment's deployment. */
typedef struct wl_hist_env {
	const wl_env *env;             /* current */
	const wl_mig_list *cur;        /* current effective list (NULL: none) */
	const wl_env *base_env;        /* the same env in the baseline, or NULL */
	const wl_mig_list *base;       /* its effective list, or NULL */
	bool known;                    /* something says what is deployed */
	bool is_new;                   /* absent from an existing baseline, no --applied */
	const wl_applied_tag *applied; /* the --applied entry for it, or NULL */
	bool applied_unknown;          /* that tag is not in the current list */
	/* The deployed steps in order: tags, and the baseline's step when the
	 * baseline has it (else NULL: known only from --applied). */
	const char **d_tags;
	const wl_mig_step **d_base;
	size_t n_d;
	/* Per current step: applied (its tag is deployed). */
	bool *cur_applied;
	/* The first environment with the same lists and the same deployed
	 * state (this one's index when none): findings are made once per
	 * group, and the arrays above are borrowed from it when shared. */
	size_t group;
	bool shares;
} wl_hist_env;

typedef struct wl_history {
	const wl_baseline *baseline;
	wl_doc *doc;           /* the baseline document, or NULL */
	wl_model *model;       /* its model, or NULL */
	wl_migrations *replay; /* silent replay of the baseline, or NULL */
	wl_source *src;        /* the baseline file for related notes (adopted by
	                          the lint result), or NULL */
	wl_hist_env *envs;     /* per current model env index */
	size_t n_envs;
	bool *applied_used; /* per baseline->applied entry: it named an env here */
	const wl_migrations *cur;
	bool **list_applied; /* per current list: step applied in every user */
	bool *list_unknown;  /* per current list: some user's deployment unknown */
} wl_history;

/* Analyses the options' baseline against `cur` (the current replay). NULL
 * when the options carry no baseline. Never fails: a baseline that does not
 * parse is used as far as it goes. */
wl_history *wl_history_open(wl_check_ctx *ctx, const wl_migrations *cur);
void wl_history_free(wl_history *h);

/* True when step `step` of `l` is deployed in every environment that uses
 * `l` and at least one says so. */
/* True only when a baseline (or --applied) shows step `step` of `l` is not
 * deployed yet: false when nothing is known. */
bool wl_history_step_pending(const wl_history *h, const wl_mig_list *l, size_t step);
bool wl_history_step_applied(const wl_history *h, const wl_mig_list *l, size_t step);

/* Reports the history-* rules (rules_history.c). */
void wl_history_report(wl_check_ctx *ctx, const wl_history *h);

#endif
