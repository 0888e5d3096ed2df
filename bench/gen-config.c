/* gen-config: writes a large, valid, synthetic wrangler.jsonc to stdout.
 *
 *   gen-config ENVS BINDINGS STEPS
 *   gen-config --small
 *
 * The config has a top-level worker with BINDINGS Durable Object bindings
 * (DO_i -> Classi), a migration history of STEPS steps, KV namespaces and
 * vars, and ENVS environments that each repeat the Durable Object bindings
 * (bindings are not inherited), with their own KV namespaces and vars.
 * Comments of both kinds and some trailing commas are sprinkled in, as people
 * write them.
 *
 * The migration history replays cleanly: step v1 creates Class0..ClassN-1 as
 * SQLite classes; the later steps create throwaway classes (TmpK), rename
 * them and delete them, and the history always ends with every throwaway
 * deleted, so the classes alive at the end are exactly the bound ones. No
 * bound class is ever renamed or deleted.
 *
 * Output is deterministic: the only "randomness" is a fixed-seed LCG.
 * No dependencies beyond the C library. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long lcg_state = 0x5eed2025ULL;

static unsigned
lcg(void)
{
	lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(lcg_state >> 33);
}

/* A value in [0, n). */
static unsigned
lcg_below(unsigned n)
{
	return n ? lcg() % n : 0;
}

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static void
out(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (vprintf(fmt, ap) < 0) {
		perror("gen-config: write");
		exit(1);
	}
	va_end(ap);
}

static void
indent(int n)
{
	for (int i = 0; i < n; i++)
		out("  ");
}

/* The separator after an item of a list of n items: a comma between items;
 * after the last one, a trailing comma now and then (wrangler accepts it). */
static const char *
sep(size_t i, size_t n, int trailing_ok)
{
	if (i + 1 < n)
		return ",";
	return trailing_ok ? "," : "";
}

static void
hex_id(char buf[33])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++)
		buf[i] = digits[lcg_below(16)];
	buf[32] = '\0';
}

static const char *const comment_words[] = {
    "hot path: keep this binding first in its shard",
    "owned by the storage team",
    "TODO: split this namespace once traffic doubles",
    "see docs/architecture.md for the sharding scheme",
    "do not rename: referenced by the dashboard",
    "legacy binding, kept for old clients",
};
#define N_COMMENT_WORDS (sizeof(comment_words) / sizeof(comment_words[0]))

static const char *
some_comment(void)
{
	return comment_words[lcg_below(N_COMMENT_WORDS)];
}

/* "durable_objects": { "bindings": [ ... ] } at the given depth, no trailing
 * separator (the caller writes it). */
static void
emit_do_bindings(int depth, unsigned n_bindings, int env_index)
{
	indent(depth);
	out("\"durable_objects\": {\n");
	indent(depth + 1);
	out("\"bindings\": [\n");
	int trailing = (env_index % 3) == 1;
	for (unsigned i = 0; i < n_bindings; i++) {
		if (i % 64 == 0 && i) {
			indent(depth + 2);
			out("// shard group %u\n", i / 64);
		}
		indent(depth + 2);
		if (i % 97 == 5)
			out("{ \"name\": \"DO_%u\", /* %s */ \"class_name\": \"Class%u\" }%s\n", i,
			    some_comment(), i, sep(i, n_bindings, trailing));
		else
			out("{ \"name\": \"DO_%u\", \"class_name\": \"Class%u\" }%s\n", i, i,
			    sep(i, n_bindings, trailing));
	}
	indent(depth + 1);
	out("]%s\n", (env_index % 4) == 2 ? "," : "");
	indent(depth);
	out("}");
}

#define N_KV 4
static const char *const kv_names[N_KV] = {"CACHE", "SESSIONS", "FLAGS", "ASSETS_MANIFEST"};

static void
emit_kv(int depth, int env_index)
{
	indent(depth);
	out("\"kv_namespaces\": [\n");
	for (unsigned i = 0; i < N_KV; i++) {
		char id[33], preview[33];
		hex_id(id);
		hex_id(preview);
		indent(depth + 1);
		if (i == 2)
			out("{ \"binding\": \"%s\", \"id\": \"%s\", \"preview_id\": \"%s\" }%s\n",
			    kv_names[i], id, preview, sep(i, N_KV, env_index % 2 == 0));
		else
			out("{ \"binding\": \"%s\", \"id\": \"%s\" }%s\n", kv_names[i], id,
			    sep(i, N_KV, env_index % 2 == 0));
	}
	indent(depth);
	out("]");
}

#define N_VARS 8
static const char *const var_names[N_VARS] = {
    "LOG_LEVEL", "API_BASE_URL",       "REGION",          "FEATURE_SEARCH",
    "MAX_ROOMS", "SENTRY_ENVIRONMENT", "RELEASE_CHANNEL", "RATE_LIMIT_PER_MINUTE"};

static void
emit_vars(int depth, const char *env_name, int env_index)
{
	static const char *const levels[] = {"debug", "info", "warn", "error"};
	indent(depth);
	out("\"vars\": {\n");
	for (unsigned i = 0; i < N_VARS; i++) {
		indent(depth + 1);
		out("\"%s\": ", var_names[i]);
		switch (i) {
		case 0:
			out("\"%s\"", levels[lcg_below(4)]);
			break;
		case 1:
			out("\"https://api.%s.example.com/v1\"", env_name);
			break;
		case 2:
			out("\"region-%u\"", lcg_below(12));
			break;
		case 3:
			out("\"%s\"", lcg_below(2) ? "true" : "false");
			break;
		case 4:
			out("\"%u\"", 100 + lcg_below(9900));
			break;
		case 5:
			out("\"%s\"", env_name);
			break;
		case 6:
			out("\"%s\"", (env_index % 2) ? "beta" : "stable");
			break;
		default:
			out("\"%u\"", 60 + lcg_below(1000));
			break;
		}
		out("%s", sep(i, N_VARS, env_index % 5 == 3));
		if (i == 0 && env_index % 2 == 0)
			out(" // change with care: alerts key off it");
		out("\n");
	}
	indent(depth);
	out("}");
}

/* ---- migrations ---------------------------------------------------------- */

typedef struct {
	unsigned *live; /* throwaway class numbers alive now (TmpK) */
	size_t n_live, cap_live;
	unsigned next_tmp;
} tmp_pool;

static void
pool_push(tmp_pool *p, unsigned k)
{
	if (p->n_live == p->cap_live) {
		p->cap_live = p->cap_live ? p->cap_live * 2 : 16;
		p->live = realloc(p->live, p->cap_live * sizeof(*p->live));
		if (!p->live) {
			perror("gen-config");
			exit(1);
		}
	}
	p->live[p->n_live++] = k;
}

static void
pool_remove_at(tmp_pool *p, size_t i)
{
	p->live[i] = p->live[--p->n_live];
}

static void
emit_step_create(tmp_pool *p, unsigned count)
{
	out("      \"new_sqlite_classes\": [");
	for (unsigned i = 0; i < count; i++) {
		unsigned k = p->next_tmp++;
		pool_push(p, k);
		out("%s\"Tmp%u\"", i ? ", " : "", k);
	}
	out("]\n");
}

static void
emit_step_delete(tmp_pool *p, unsigned count)
{
	out("      \"deleted_classes\": [");
	for (unsigned i = 0; i < count; i++) {
		size_t at = lcg_below((unsigned)p->n_live);
		out("%s\"Tmp%u\"", i ? ", " : "", p->live[at]);
		pool_remove_at(p, at);
	}
	out("]\n");
}

/* Renames `count` distinct live classes to fresh names. Distinct slots keep
 * one step from renaming a class twice or onto a name renamed in the same
 * step. */
static void
emit_step_rename_distinct(tmp_pool *p, unsigned count)
{
	if (count > p->n_live)
		count = (unsigned)p->n_live;
	out("      \"renamed_classes\": [\n");
	/* pick `count` distinct slots: a window of consecutive slots from a random start */
	size_t start = lcg_below((unsigned)p->n_live);
	for (unsigned i = 0; i < count; i++) {
		size_t at = (start + i) % p->n_live;
		unsigned to = p->next_tmp++;
		out("        { \"from\": \"Tmp%u\", \"to\": \"Tmp%u\" }%s\n", p->live[at], to,
		    sep(i, count, 0));
		p->live[at] = to;
	}
	out("      ]\n");
}

static void
emit_migrations(unsigned n_classes, unsigned n_steps)
{
	out("  // Every class ever exported, in order. Never edit a step that has been\n");
	out("  // deployed: add a new one.\n");
	out("  \"migrations\": [\n");
	if (n_steps == 0)
		n_steps = 1;
	/* With exactly two steps, a throwaway created in step 2 could not be
	 * deleted later: step 2 instead creates the last bound class. */
	unsigned first_count = (n_steps == 2 && n_classes > 1) ? n_classes - 1 : n_classes;
	out("    {\n      \"tag\": \"v1\",\n      \"new_sqlite_classes\": [\n");
	for (unsigned i = 0; i < first_count; i++)
		out("        \"Class%u\"%s\n", i, sep(i, first_count, 0));
	out("      ]\n    }%s\n", n_steps > 1 ? "," : "");

	tmp_pool pool = {0};
	for (unsigned s = 2; s <= n_steps; s++) {
		unsigned left = n_steps - s; /* steps after this one */
		out("    {\n");
		if (s % 17 == 0)
			out("      /* rollout %u: see the runbook before reverting */\n", s);
		out("      \"tag\": \"v%u\",\n", s);
		if (n_steps == 2) {
			out("      \"new_sqlite_classes\": [\"Class%u\"]\n", n_classes - 1);
		} else if (pool.n_live == 0) {
			/* left >= 1 here, by construction (see below) */
			emit_step_create(&pool, 1 + lcg_below(3));
		} else if (left == 0) {
			emit_step_delete(&pool, (unsigned)pool.n_live);
		} else {
			/* Choose among create / rename / delete, never leaving an empty
			 * pool with exactly one step to go (that step could only create). */
			unsigned r = lcg_below(10);
			if (r < 3) {
				emit_step_create(&pool, 1 + lcg_below(2));
			} else if (r < 7) {
				emit_step_rename_distinct(&pool, 1 + lcg_below(2));
			} else {
				unsigned count = 1 + lcg_below((unsigned)pool.n_live);
				if (count == pool.n_live && left == 1) {
					/* deleting everything would leave one step with nothing
					 * to do but create: rename instead */
					emit_step_rename_distinct(&pool, 1);
				} else {
					emit_step_delete(&pool, count);
				}
			}
		}
		out("    }%s\n", s < n_steps ? "," : "");
	}
	free(pool.live);
	out("  ]");
}

/* ---- whole configs ------------------------------------------------------- */

static void
gen_large(unsigned n_envs, unsigned n_bindings, unsigned n_steps)
{
	out("// wrangler.jsonc for the bench-worker: generated by bench/gen-config\n");
	out("// (%u environments, %u Durable Object bindings, %u migration steps).\n", n_envs,
	    n_bindings, n_steps);
	out("{\n");
	out("  \"name\": \"bench-worker\",\n");
	out("  \"main\": \"src/index.ts\",\n");
	out("  \"compatibility_date\": \"2025-04-01\",\n");
	out("  \"compatibility_flags\": [\"nodejs_compat\"],\n\n");
	out("  /* Durable Objects: one class per room shard. Bindings are not\n");
	out("     inherited by environments, so each env repeats them. */\n");
	emit_do_bindings(1, n_bindings, 0);
	out(",\n\n");
	emit_migrations(n_bindings, n_steps);
	out(",\n\n");
	emit_kv(1, 1);
	out(",\n");
	emit_vars(1, "production", 1);
	out(",\n\n");
	out("  \"env\": {\n");
	for (unsigned e = 0; e < n_envs; e++) {
		char env_name[32];
		snprintf(env_name, sizeof env_name, "env%u", e);
		if (e % 4 == 0)
			out("    // ---- %s: tenant group %u ----\n", env_name, e / 4);
		out("    \"%s\": {\n", env_name);
		out("      \"name\": \"bench-worker-%s\",\n", env_name);
		emit_do_bindings(3, n_bindings, (int)e);
		out(",\n");
		emit_kv(3, (int)e);
		out(",\n");
		emit_vars(3, env_name, (int)e);
		out("%s\n", e % 6 == 4 ? "," : "");
		out("    }%s\n", sep(e, n_envs, n_envs > 1 && e % 2 == 1));
	}
	out("  }\n");
	out("}\n");
}

static void
gen_small(void)
{
	static const char text[] =
	    "// Chat worker: rooms and presence, one Durable Object each.\n"
	    "{\n"
	    "  \"$schema\": \"node_modules/wrangler/config-schema.json\",\n"
	    "  \"name\": \"chat-worker\",\n"
	    "  \"main\": \"src/index.ts\",\n"
	    "  \"compatibility_date\": \"2025-04-01\",\n"
	    "  \"compatibility_flags\": [\"nodejs_compat\"],\n"
	    "  \"observability\": { \"enabled\": true },\n"
	    "\n"
	    "  /* Bindings are not inherited by environments: every env below\n"
	    "     repeats them with its own ids. */\n"
	    "  \"durable_objects\": {\n"
	    "    \"bindings\": [\n"
	    "      { \"name\": \"ROOMS\", \"class_name\": \"ChatRoom\" },\n"
	    "      { \"name\": \"PRESENCE\", \"class_name\": \"Presence\" }, // added in v2\n"
	    "    ]\n"
	    "  },\n"
	    "  \"migrations\": [\n"
	    "    { \"tag\": \"v1\", \"new_sqlite_classes\": [\"ChatRoom\"] },\n"
	    "    { \"tag\": \"v2\", \"new_sqlite_classes\": [\"Presence\"] }\n"
	    "  ],\n"
	    "  \"kv_namespaces\": [\n"
	    "    { \"binding\": \"CACHE\", \"id\": \"3f1c9a7be2d04c8a9e51b7d2c6a4f019\" }\n"
	    "  ],\n"
	    "  \"vars\": {\n"
	    "    \"LOG_LEVEL\": \"debug\",\n"
	    "    \"MAX_ROOM_SIZE\": \"50\",\n"
	    "  },\n"
	    "\n"
	    "  \"env\": {\n"
	    "    // Shared by the whole team; reset every Monday.\n"
	    "    \"staging\": {\n"
	    "      \"name\": \"chat-worker-staging\",\n"
	    "      \"durable_objects\": {\n"
	    "        \"bindings\": [\n"
	    "          { \"name\": \"ROOMS\", \"class_name\": \"ChatRoom\" },\n"
	    "          { \"name\": \"PRESENCE\", \"class_name\": \"Presence\" }\n"
	    "        ]\n"
	    "      },\n"
	    "      \"kv_namespaces\": [\n"
	    "        { \"binding\": \"CACHE\", \"id\": \"8d2e41f07a9c4b6f8e03d5a1b2c7e946\" }\n"
	    "      ],\n"
	    "      \"vars\": { \"LOG_LEVEL\": \"info\", \"MAX_ROOM_SIZE\": \"50\" }\n"
	    "    },\n"
	    "    \"production\": {\n"
	    "      \"name\": \"chat-worker-production\",\n"
	    "      \"routes\": [{ \"pattern\": \"chat.example.com/*\", \"zone_name\": "
	    "\"example.com\" }],\n"
	    "      \"durable_objects\": {\n"
	    "        \"bindings\": [\n"
	    "          { \"name\": \"ROOMS\", \"class_name\": \"ChatRoom\" },\n"
	    "          { \"name\": \"PRESENCE\", \"class_name\": \"Presence\" },\n"
	    "        ],\n"
	    "      },\n"
	    "      \"kv_namespaces\": [\n"
	    "        { \"binding\": \"CACHE\", \"id\": \"c05b7e92d14f4a3b9c68e0f2a7d5b183\" }\n"
	    "      ],\n"
	    "      \"vars\": {\n"
	    "        \"LOG_LEVEL\": \"warn\", // keep production quiet\n"
	    "        \"MAX_ROOM_SIZE\": \"200\"\n"
	    "      }\n"
	    "    },\n"
	    "    \"preview\": {\n"
	    "      \"name\": \"chat-worker-preview\",\n"
	    "      \"durable_objects\": {\n"
	    "        \"bindings\": [\n"
	    "          { \"name\": \"ROOMS\", \"class_name\": \"ChatRoom\" },\n"
	    "          { \"name\": \"PRESENCE\", \"class_name\": \"Presence\" }\n"
	    "        ]\n"
	    "      },\n"
	    "      \"kv_namespaces\": [\n"
	    "        { \"binding\": \"CACHE\", \"id\": \"5a8f0c3e9b7d41e2a6f4c8b0d3e7a912\" }\n"
	    "      ],\n"
	    "      \"vars\": { \"LOG_LEVEL\": \"debug\", \"MAX_ROOM_SIZE\": \"10\" }\n"
	    "    }\n"
	    "  }\n"
	    "}\n";
	out("%s", text);
}

static unsigned
parse_count(const char *s, const char *what)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > 10000000UL || s[0] == '-') {
		fprintf(stderr, "gen-config: bad %s: %s\n", what, s);
		exit(2);
	}
	return (unsigned)v;
}

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--small") == 0) {
		gen_small();
	} else if (argc == 4) {
		unsigned envs = parse_count(argv[1], "ENVS");
		unsigned bindings = parse_count(argv[2], "BINDINGS");
		unsigned steps = parse_count(argv[3], "STEPS");
		if (bindings == 0 || steps == 0) {
			fprintf(stderr, "gen-config: BINDINGS and STEPS must be at least 1\n");
			return 2;
		}
		if (steps == 2 && bindings < 2) {
			fprintf(stderr, "gen-config: STEPS=2 needs BINDINGS >= 2\n");
			return 2;
		}
		gen_large(envs, bindings, steps);
	} else {
		fprintf(stderr,
		        "usage: gen-config ENVS BINDINGS STEPS\n       gen-config --small\n");
		return 2;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("gen-config: write");
		return 1;
	}
	return 0;
}
