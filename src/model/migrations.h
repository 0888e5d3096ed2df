/* Durable Object migrations replayed: each distinct migrations list of a
 * model (the top level's, shared by the environments that inherit it, and
 * each environment's own) with its steps and the final state of every class
 * it names, including how and where each class became live.
 *
 * The replay follows the platform: within a step deleted, then renamed,
 * then transferred, then new_classes, then new_sqlite_classes. It models
 * transferred_classes (which wrangler's own replay ignores).
 *
 * With a check context the replay reports the shape and replay rules below
 * as it goes (one report per shared list, naming who uses it); without one
 * it is silent, for a baseline. Everything points into the model's document
 * and lives as long as the result (wl_migrations_free), the document and the
 * model. */
#ifndef WL_MIGRATIONS_H
#define WL_MIGRATIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "rules.h"

/* The rules the replay itself reports (listed by rules_do_migrations.c). */
extern const wl_rule wl_rule_mig_tag_missing;
extern const wl_rule wl_rule_mig_tag_duplicate;
extern const wl_rule wl_rule_mig_unknown_key;
extern const wl_rule wl_rule_mig_invalid;
extern const wl_rule wl_rule_mig_empty;
extern const wl_rule wl_rule_mig_new_and_sqlite;
extern const wl_rule wl_rule_mig_created_twice;
extern const wl_rule wl_rule_mig_replay;
extern const wl_rule wl_rule_mig_transfer_precreated;
/* Defined by rules_do_bindings.c, which lists it; the replay reports class
 * names in steps with it too. */
extern const wl_rule wl_rule_do_class_name_invalid;

/* How a class became live. */
typedef enum wl_mig_how {
	WL_MIG_NONE = 0, /* never live */
	WL_MIG_NEW,      /* new_classes (KV-backed) */
	WL_MIG_NEW_SQLITE,
	WL_MIG_RENAME,   /* the `to` of a renamed_classes item */
	WL_MIG_TRANSFER, /* the `to` of a transferred_classes item */
} wl_mig_how;

/* Why a class that was live is not any more. */
typedef enum wl_mig_gone {
	WL_MIG_GONE_NONE = 0,
	WL_MIG_GONE_DELETED,
	WL_MIG_GONE_RENAMED
} wl_mig_gone;

/* One step (an object item of the list). Op nodes are NULL unless present
 * and an array. */
typedef struct wl_mig_step {
	const wl_node *node;
	size_t index;      /* position in the list (0-based, counting every item) */
	const char *tag;   /* NULL when missing or not a non-empty string */
	const char *label; /* the tag, or "#N" */
	const wl_node *deleted, *renamed, *transferred, *new_kv, *new_sqlite;
} wl_mig_step;

typedef struct wl_mig_class {
	const char *name;
	size_t index; /* order of first mention in the list, 0-based */
	bool live;    /* at the end of the list */
	bool sqlite;  /* storage while live (a transfer's is taken as SQLite) */
	/* The last time it became live: how, by which string, in which step. */
	wl_mig_how how;
	const wl_node *created;
	const char *created_tag; /* the step's label */
	size_t created_step;     /* index into steps */
	const char *from;        /* rename/transfer: the source class */
	const char *from_script; /* transfer: the source Worker */
	/* Why it is not live (when it was once). */
	wl_mig_gone gone;
	const wl_node *gone_at;
	const char *gone_tag;
	const char *renamed_to;
	struct wl_mig_class *next; /* first-mention order */
} wl_mig_class;

typedef struct wl_mig_list {
	const wl_node *node; /* the migrations value */
	const wl_env **envs; /* owned array of borrowed envs using it, model order */
	size_t n_envs;
	bool own;           /* an environment's own list (not the top level's) */
	bool replayable;    /* an array */
	wl_mig_step *steps; /* owned; the object items, in order */
	size_t n_steps;
	wl_mig_class *first; /* every class named, first-mention order */
	size_t n_classes;
	wl_strmap classes;    /* name -> wl_mig_class */
	wl_mig_class **by_id; /* owned; model class id -> class (NULL: not named) */
	char *users;          /* owned: "the top level and env.x" */
	char *users_or;       /* owned: "the top level or env.x" */
	wl_arena arena;
} wl_mig_list;

typedef struct wl_migrations {
	const wl_model *model;
	wl_mig_list *lists; /* owned; top level's first when set, then envs' own */
	size_t n_lists;
	wl_mig_list **of_env; /* owned; per model env index, NULL: no migrations */
} wl_migrations;

/* Replays every distinct list of `m`. `ctx` NULL: silent. Never fails. */
wl_migrations *wl_migrations_replay(const wl_model *m, wl_check_ctx *ctx);
void wl_migrations_free(wl_migrations *r);

/* The class named `name` in `l`, or NULL. */
const wl_mig_class *wl_mig_list_class(const wl_mig_list *l, const char *name);

/* The containers[] checks (rules_containers.c), run by the migrations
 * family over its replay. */
void wl_containers_check(wl_check_ctx *ctx, const wl_migrations *res);

/* "new_classes", "new_sqlite_classes", "renamed_classes", "transferred_classes". */
const char *wl_mig_how_key(wl_mig_how how);

#endif
