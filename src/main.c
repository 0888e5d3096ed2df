/* wrangler-lint: the command line. It owns argument parsing, reading files,
 * choosing a renderer and the exit-status contract; everything else is in the
 * library. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fix.h"
#include "gitread.h"
#include "history.h"
#include "lint.h"
#include "linter.h"
#include "lsp/server.h"
#include "pages.h"
#include "project.h"
#include "readfile.h"
#include "render.h"
#include "rules.h"
#include "strmap.h"
#include "walk.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_TROUBLE = 2 };

static const char usage_text[] =
    "Usage: wrangler-lint [OPTIONS] [FILE|DIR...]\n"
    "Check wrangler.json / wrangler.jsonc files: JSONC syntax, and Durable Objects\n"
    "bindings and migrations in every environment.\n"
    "\n"
    "With no FILE, checks wrangler.json and wrangler.jsonc in the current directory.\n"
    "FILE '-' reads standard input. A DIR is searched for wrangler.json and\n"
    "wrangler.jsonc files (node_modules, .git and the project file's ignore globs\n"
    "are skipped).\n"
    "\n"
    "Options:\n"
    "  -f, --format=FORMAT        text (default), json, gcc, sarif or github\n"
    "      --color=WHEN           auto (default), always or never; also --colour\n"
    "      --fail-on=SEVERITY     exit 1 on diagnostics at or above SEVERITY:\n"
    "                             error (default), warning or note\n"
    "      --stdin-filename=NAME  name standard input NAME in the output\n"
    "      --max-diagnostics=N    show at most N diagnostics per file (default 200,\n"
    "                             0 = no limit); the rest are counted\n"
    "      --rule ID=LEVEL        set a rule's level: error, warning, note or off\n"
    "                             (repeatable; overrides the project file)\n"
    "      --env NAME             report per-environment findings only for NAME\n"
    "                             (repeatable)\n"
    "      --config FILE          use FILE as the project file instead of looking for\n"
    "                             .wrangler-lint.jsonc next to and above each config\n"
    "      --no-config            use no project file\n"
    "      --schema FILE          also validate against this JSON Schema (instead of\n"
    "                             the local file the config's $schema names)\n"
    "      --no-user-schema       ignore the config's $schema (the built-in schema\n"
    "                             is always used)\n"
    "      --fix                  apply the safe fixes in place, then report what\n"
    "                             remains; with FILE '-', print the fixed text\n"
    "      --unsafe-fixes         with --fix or --diff: the unsafe fixes too\n"
    "      --diff                 print a unified diff of what --fix would change;\n"
    "                             write nothing (exit 1 when there are changes)\n"
    "      --no-source            do not read the Worker's source files (the\n"
    "                             source-* checks of main, exports and Env)\n"
    "      --baseline=REV         compare migrations with the same config at git\n"
    "                             revision REV (what is deployed; also the project\n"
    "                             file's \"baseline\")\n"
    "      --baseline-file=FILE   compare migrations with FILE, a copy of the\n"
    "                             deployed config\n"
    "      --applied=[ENV=]TAG    TAG is deployed for the top level (or env ENV):\n"
    "                             steps up to it are applied (repeatable)\n"
    "      --list-rules           print every rule: id, family, severity, summary\n"
    "      --explain RULE         print the rule's page (what, examples, why, fix)\n"
    "      --lsp                  run as a language server on stdin/stdout\n"
    "  -h, --help                 print this help\n"
    "  -V, --version              print the version\n"
    "\n"
    "Inline suppressions: // wrangler-lint-disable-next-line RULE[, RULE] -- reason\n"
    "(also -disable-line, and -disable for the whole file).\n"
    "\n"
    "Exit status: 0 nothing at or above the --fail-on level; 1 diagnostics at or\n"
    "above it; 2 usage error, or a file that could not be read.\n"
    "Rules are documented in docs/rules/<rule-id>.md.\n";

typedef struct input {
	char *path;    /* as given; "-" for stdin */
	char *display; /* as shown */
} input;

static int
input_cmp(const void *a, const void *b)
{
	return strcmp(((const input *)a)->display, ((const input *)b)->display);
}

static _Noreturn void usage_error(const char *fmt, ...) WL_PRINTF(1, 2);

static _Noreturn void
usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "wrangler-lint: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nTry 'wrangler-lint --help'.\n");
	va_end(ap);
	exit(EXIT_TROUBLE);
}

/* A file that cannot be read: one line on stderr, and an entry in the
 * formats that list files. */
static void
unreadable(wl_renderer *renderer, const input *in, const char *why)
{
	fprintf(stderr, "wrangler-lint: %s: %s\n", in->path, why);
	if (renderer) /* none with --diff */
		wl_renderer_unreadable(renderer, in->display, why);
}

/* Reads an input into *bytes / *len and its status into *st (zeroed for
 * standard input). Returns false when there is nothing to lint: then either
 * the input could not be read (already reported, *oversized NULL) or it is
 * over the size limit (*oversized is its jsonc-file-too-large result; a
 * regular file over the limit is not read at all). `regular_only` refuses
 * anything but a regular file, for --fix, which writes the file back. */
static bool
read_input(const input *in, const wl_lint_options *opts, wl_renderer *renderer, bool regular_only,
           struct stat *st, char **bytes, size_t *len, wl_lint_result **oversized)
{
	*oversized = NULL;
	memset(st, 0, sizeof(*st));
	bool is_stdin = strcmp(in->path, "-") == 0;
	int fd = is_stdin ? STDIN_FILENO : open(in->path, O_RDONLY);
	if (fd < 0) {
		unreadable(renderer, in, strerror(errno));
		return false;
	}
	if (!is_stdin && fstat(fd, st) == 0) {
		if (S_ISDIR(st->st_mode) || (regular_only && !S_ISREG(st->st_mode))) {
			unreadable(renderer, in,
			           S_ISDIR(st->st_mode) ? "is a directory" : "not a regular file");
			close(fd);
			return false;
		}
		if (S_ISREG(st->st_mode) && (size_t)st->st_size > WL_MAX_FILE_SIZE) {
			close(fd);
			*oversized = wl_lint_oversized(in->display, (size_t)st->st_size, opts);
			return false;
		}
	}
	bool too_large;
	*bytes = wl_read_fd(fd, WL_MAX_FILE_SIZE, len, &too_large);
	int saved = errno;
	if (!is_stdin)
		close(fd);
	if (!*bytes) {
		unreadable(renderer, in, strerror(saved));
		return false;
	}
	if (too_large) {
		free(*bytes);
		*bytes = NULL;
		*oversized = wl_lint_oversized(in->display, 0, opts); /* a pipe: size unknown */
		return false;
	}
	return true;
}

/* Returns NULL (after reporting why) when the file cannot be read. */
static wl_lint_result *
lint_input(const input *in, const wl_lint_options *opts, wl_renderer *renderer)
{
	struct stat st;
	char *bytes;
	size_t len = 0;
	wl_lint_result *oversized;
	if (!read_input(in, opts, renderer, false, &st, &bytes, &len, &oversized))
		return oversized;
	return wl_lint_source(wl_source_adopt(in->display, bytes, len), opts);
}

static void
list_rules(void)
{
	for (size_t i = 0; i < wl_rules_count(); i++) {
		const wl_rule *r = wl_rules_at(i);
		printf("%-36s %-12s %-8s %s\n", r->id, r->family, wl_severity_name(r->severity),
		       r->summary);
	}
}

/* After --help, --version or --list-rules: 0 only if the text was written
 * (stdout may be a full disk or a closed pipe). */
static _Noreturn void
exit_written(void)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		fprintf(stderr, "wrangler-lint: error writing output: %s\n", strerror(errno));
		exit(EXIT_TROUBLE);
	}
	exit(EXIT_CLEAN);
}

/* --explain RULE: the rule's page, as shipped in docs/rules/. */
static void
explain(const char *id)
{
	const wl_rule_page *page = wl_rule_page_find(id);
	if (!page) {
		if (wl_rules_find(id))
			usage_error("rule '%s' has no page in this build", id);
		usage_error("--explain: no rule is called '%s' (see --list-rules)", id);
	}
	fwrite(page->text, 1, page->len, stdout);
	if (page->len && page->text[page->len - 1] != '\n')
		fputc('\n', stdout);
}

static size_t
parse_count(const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno || s[0] == '-')
		usage_error("--max-diagnostics needs a whole number, not '%s'", s);
	return (size_t)v;
}

/* What the command line asked for, and the project files met so far. */
typedef struct cli {
	wl_format format;
	wl_render_options ropts;
	const char *color;
	const char *stdin_name;
	bool fail_on_set;
	wl_severity fail_on;
	signed char *levels; /* from --rule, per registry index */
	wl_strlist envs;
	const char **env_list; /* NULL-terminated view of envs, or NULL */
	const char *config_path;
	bool no_config;
	const char *schema_path; /* --schema */
	bool no_user_schema;
	bool no_source;
	const char *baseline_rev;  /* --baseline */
	const char *baseline_file; /* --baseline-file */
	wl_applied_tag *applied;   /* --applied, pointing into argv */
	size_t n_applied;
	wl_project *forced;           /* --config */
	wl_linter *linter;            /* the project-file cache */
	wl_walk_report walk;          /* of every folder searched */
	bool fix, unsafe_fixes, diff; /* --fix, --unsafe-fixes, --diff */
	bool diff_changes;            /* --diff found something to change */
	bool trouble;
} cli;

#ifdef WL_TEST_HOOKS
/* Only in the test build (tests/meson.build): WL_TEST_WRITE_FAIL=STEP makes
 * that step of the write fail; WL_TEST_WRITE_MODIFY=1 changes the file just
 * before the last check, as another writer would. */
static bool
test_write_hook(const char *step, const char *tmp, const char *target)
{
	(void)tmp;
	const char *fail = getenv("WL_TEST_WRITE_FAIL");
	if (fail && strcmp(fail, step) == 0)
		return false;
	const char *modify = getenv("WL_TEST_WRITE_MODIFY");
	if (modify && *modify == '1' && strcmp(step, "check") == 0) {
		FILE *f = fopen(target, "a");
		if (f) {
			fputs("\n", f);
			fclose(f);
		}
	}
	return true;
}
#endif

/* --fix and --diff for one input: returns what remains to report (NULL after
 * printing why when the input cannot be read). A file is written only when a
 * fix changed it, and then only if it is as it was when read. */
static wl_lint_result *
fix_input(cli *c, const input *in, const wl_lint_options *opts, wl_renderer *renderer,
          size_t *fixes, size_t *fixed_files)
{
	bool is_stdin = strcmp(in->path, "-") == 0;
	struct stat st;
	char *bytes;
	size_t len = 0;
	wl_lint_result *oversized;
	if (!read_input(in, opts, renderer, true, &st, &bytes, &len, &oversized))
		return oversized;
	wl_fix_result *fr = wl_fix_run(in->display, bytes, len, opts, c->unsafe_fixes);
	if (c->diff) {
		char *d = wl_fix_unified_diff(in->display, bytes, len, fr->text, fr->len);
		fputs(d, stdout);
		free(d);
	} else if (is_stdin) {
		fwrite(fr->text, 1, fr->len, stdout);
	} else if (fr->changed) {
		char *err = NULL;
		wl_write_status ws =
		    wl_fix_write(in->path, &st, bytes, len, fr->text, fr->len, &err);
		if (ws != WL_WRITE_OK) {
			fprintf(stderr, "wrangler-lint: %s: %s\n", in->path, err);
			free(err);
			c->trouble = true;
			/* Nothing was written: report the file as it is. */
			wl_fix_result_free(fr);
			return wl_lint_source(wl_source_adopt(in->display, bytes, len), opts);
		}
	}
	if (fr->changed) {
		*fixes += fr->applied;
		(*fixed_files)++;
		c->diff_changes = true;
	}
	free(bytes);
	wl_lint_result *r = fr->lint;
	fr->lint = NULL;
	wl_fix_result_free(fr);
	return r;
}

static void
parse_rule_option(cli *c, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq)
		usage_error("--rule takes ID=LEVEL, not '%s'", arg);
	char *id = wl_xstrndup(arg, (size_t)(eq - arg));
	const wl_rule *rule = wl_rules_find(id);
	if (!rule) {
		usage_error("--rule: no rule is called '%s' (see --list-rules)", id);
	}
	signed char level;
	if (!wl_level_parse(eq + 1, &level))
		usage_error("--rule %s: the level is error, warning, note or off, not '%s'", id,
		            eq + 1);
	c->levels[wl_rules_index(rule)] = level;
	free(id);
}

static wl_project *
load_project(cli *c, const char *path)
{
	wl_project *p = wl_project_cache_load(c->linter->projects, path);
	if (!p) {
		fprintf(stderr, "wrangler-lint: %s: %s\n", path,
		        errno == EINVAL ? "not a regular file" : strerror(errno));
		c->trouble = true;
	}
	return p;
}

/* The project file that governs files in `dir`. */
static wl_project *
project_for_dir(cli *c, const char *dir)
{
	if (c->forced || c->no_config)
		return c->forced;
	const char *failed;
	wl_project *p = wl_project_cache_for_dir(c->linter->projects, dir, &failed);
	if (failed) {
		fprintf(stderr, "wrangler-lint: %s: %s\n", failed, strerror(errno));
		c->trouble = true;
	}
	return p;
}

/* Expands the arguments into the list of inputs (sorted, de-duplicated). */
static input *
collect_inputs(cli *c, int argc, char **argv, size_t *n_out)
{
	wl_strlist paths = {0};
	bool want_stdin = false;
	if (argc == 0) {
		static const char *const defaults[] = {"wrangler.json", "wrangler.jsonc",
		                                       "wrangler.toml"};
		for (size_t i = 0; i < 3; i++)
			if (access(defaults[i], F_OK) == 0)
				wl_strlist_push(&paths, wl_xstrdup(defaults[i]));
		if (paths.len == 0) {
			fprintf(stderr, "wrangler-lint: no wrangler.json, wrangler.jsonc or "
			                "wrangler.toml in the "
			                "current directory; name a file or folder to check\n");
			exit(EXIT_TROUBLE);
		}
	}
	for (int i = 0; i < argc; i++) {
		struct stat st;
		if (strcmp(argv[i], "-") == 0) {
			want_stdin = true;
		} else if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			wl_project *p = project_for_dir(c, argv[i]);
			size_t before = paths.len, unread = c->walk.unreadable.len;
			size_t ignored = c->walk.ignored;
			wl_walk(argv[i], p ? p->dir : NULL, p ? p->ignore : NULL,
			        p ? p->n_ignore : 0, &paths, &c->walk);
			/* Folders that could not be read are I/O errors, like files. */
			for (size_t k = unread; k < c->walk.unreadable.len; k++) {
				fprintf(stderr, "wrangler-lint: %s: %s\n",
				        c->walk.unreadable.items[k], c->walk.reasons.items[k]);
				c->trouble = true;
			}
			if (paths.len == before && c->walk.ignored > ignored) {
				size_t n = c->walk.ignored - ignored;
				fprintf(
				    stderr,
				    "wrangler-lint: %s: %zu wrangler.json, wrangler.jsonc or "
				    "wrangler.toml file%s in this folder or below, all excluded by "
				    "the ignore globs of %s\n",
				    argv[i], n, n == 1 ? "" : "s", p->path);
				c->trouble = true;
			} else if (paths.len == before && c->walk.unreadable.len == unread) {
				fprintf(stderr,
				        "wrangler-lint: %s: no wrangler.json, wrangler.jsonc or "
				        "wrangler.toml in this "
				        "folder or below\n",
				        argv[i]);
				c->trouble = true;
			}
		} else {
			wl_strlist_push(&paths, wl_xstrdup(argv[i]));
		}
	}
	input *inputs = wl_xcalloc(paths.len + 1, sizeof(*inputs));
	size_t n = 0;
	for (size_t i = 0; i < paths.len; i++) {
		inputs[n].path = paths.items[i];
		inputs[n++].display = wl_xstrdup(paths.items[i]);
	}
	free(paths.items);
	if (want_stdin) {
		/* Standard input is read once, however often it is named. */
		inputs[n].path = wl_xstrdup("-");
		inputs[n++].display = wl_xstrdup(c->stdin_name ? c->stdin_name : "<stdin>");
	}
	qsort(inputs, n, sizeof(*inputs), input_cmp);
	*n_out = n;
	return inputs;
}

/* True when `path` is a file already linted under another name (the same
 * device and inode: "./x", "$PWD/x", a path through a symbolic link). */
typedef struct seen_files {
	wl_strmap map; /* "dev:ino" -> itself */
	wl_strlist keys;
} seen_files;

static bool
seen_before(seen_files *seen, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return false; /* reported when it is read */
	char *key =
	    wl_xasprintf("%llu:%llu", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	if (wl_strmap_get(&seen->map, key)) {
		free(key);
		return true;
	}
	wl_strmap_put(&seen->map, key, key);
	wl_strlist_push(&seen->keys, key);
	return false;
}

/* --env names an environment: a name the file does not define is a usage
 * error (as in wrangler), or a typo would hide every finding of the env. */
static void
check_envs_exist(cli *c, const wl_lint_result *r)
{
	if (!c->env_list || !r->doc->root || r->doc->syntax_errors)
		return;
	const wl_node *envs = wl_node_get(r->doc->root, "env");
	for (const char *const *e = c->env_list; *e; e++) {
		if (wl_node_is(envs, json_type_object) && wl_node_get(envs, *e))
			continue;
		wl_strlist names = {0};
		size_t shown = 0, total = 0;
		if (wl_node_is(envs, json_type_object))
			WL_NODE_FOREACH(m, envs)
			{
				total++;
				if (shown++ < 8)
					wl_strlist_push(&names, wl_xstrdup(m->key));
			}
		fprintf(stderr, "wrangler-lint: %s: --env %s: no such environment",
		        r->doc->src->path, *e);
		if (!total)
			fprintf(stderr, " (the file defines none)\n");
		else {
			fprintf(stderr, " (its environments:");
			for (size_t i = 0; i < names.len; i++)
				fprintf(stderr, "%s %s", i ? "," : "", names.items[i]);
			fprintf(stderr, "%s)\n", total > names.len ? ", ..." : "");
		}
		wl_strlist_free(&names);
		c->trouble = true;
	}
}

static bool
tally(wl_summary *summary, const wl_diag_list *diags, wl_severity fail_on)
{
	bool findings = false;
	summary->files++;
	for (int s = 0; s < WL_SEV_COUNT; s++) {
		size_t n = wl_diag_list_count(diags, (wl_severity)s);
		summary->by_sev[s] += n;
		if (n && s <= (int)fail_on)
			findings = true;
	}
	return findings;
}

static void
cli_free(cli *c)
{
	wl_linter_free(c->linter);
	wl_strlist_free(&c->envs);
	wl_walk_report_free(&c->walk);
	free(c->env_list);
	free(c->levels);
	free(c->applied);
}

static void
parse_options(cli *c, int argc, char **argv)
{
	enum {
		OPT_COLOR = 256,
		OPT_FAIL_ON,
		OPT_STDIN_NAME,
		OPT_MAX_DIAG,
		OPT_LIST_RULES,
		OPT_RULE,
		OPT_ENV,
		OPT_CONFIG,
		OPT_NO_CONFIG,
		OPT_SCHEMA,
		OPT_NO_USER_SCHEMA,
		OPT_FIX,
		OPT_UNSAFE_FIXES,
		OPT_DIFF,
		OPT_NO_SOURCE,
		OPT_EXPLAIN,
		OPT_BASELINE,
		OPT_BASELINE_FILE,
		OPT_APPLIED,
		OPT_LSP,
	};
	static const struct option longopts[] = {
	    {"format", required_argument, NULL, 'f'},
	    {"color", required_argument, NULL, OPT_COLOR},
	    {"colour", required_argument, NULL, OPT_COLOR},
	    {"fail-on", required_argument, NULL, OPT_FAIL_ON},
	    {"stdin-filename", required_argument, NULL, OPT_STDIN_NAME},
	    {"max-diagnostics", required_argument, NULL, OPT_MAX_DIAG},
	    {"rule", required_argument, NULL, OPT_RULE},
	    {"env", required_argument, NULL, OPT_ENV},
	    {"config", required_argument, NULL, OPT_CONFIG},
	    {"no-config", no_argument, NULL, OPT_NO_CONFIG},
	    {"schema", required_argument, NULL, OPT_SCHEMA},
	    {"no-user-schema", no_argument, NULL, OPT_NO_USER_SCHEMA},
	    {"fix", no_argument, NULL, OPT_FIX},
	    {"unsafe-fixes", no_argument, NULL, OPT_UNSAFE_FIXES},
	    {"diff", no_argument, NULL, OPT_DIFF},
	    {"no-source", no_argument, NULL, OPT_NO_SOURCE},
	    {"baseline", required_argument, NULL, OPT_BASELINE},
	    {"baseline-file", required_argument, NULL, OPT_BASELINE_FILE},
	    {"applied", required_argument, NULL, OPT_APPLIED},
	    {"list-rules", no_argument, NULL, OPT_LIST_RULES},
	    {"explain", required_argument, NULL, OPT_EXPLAIN},
	    {"lsp", no_argument, NULL, OPT_LSP},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	opterr = 0;
	int o;
	while ((o = getopt_long(argc, argv, ":f:hV", longopts, NULL)) != -1) {
		switch (o) {
		case 'f':
			if (!wl_format_parse(optarg, &c->format))
				usage_error(
				    "unknown format '%s' (expected text, json, gcc, sarif or "
				    "github)",
				    optarg);
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") &&
			    strcmp(optarg, "never"))
				usage_error("--color takes auto, always or never, not '%s'",
				            optarg);
			c->color = optarg;
			break;
		case OPT_FAIL_ON:
			if (!wl_severity_parse(optarg, &c->fail_on))
				usage_error("--fail-on takes error, warning or note, not '%s'",
				            optarg);
			c->fail_on_set = true;
			break;
		case OPT_STDIN_NAME:
			c->stdin_name = optarg;
			break;
		case OPT_MAX_DIAG:
			c->ropts.max_per_file = parse_count(optarg);
			break;
		case OPT_RULE:
			parse_rule_option(c, optarg);
			break;
		case OPT_ENV:
			wl_strlist_push(&c->envs, wl_xstrdup(optarg));
			break;
		case OPT_CONFIG:
			c->config_path = optarg;
			break;
		case OPT_NO_CONFIG:
			c->no_config = true;
			break;
		case OPT_SCHEMA:
			c->schema_path = optarg;
			break;
		case OPT_FIX:
			c->fix = true;
			break;
		case OPT_UNSAFE_FIXES:
			c->unsafe_fixes = true;
			break;
		case OPT_DIFF:
			c->diff = true;
			break;
		case OPT_NO_USER_SCHEMA:
			c->no_user_schema = true;
			break;
		case OPT_NO_SOURCE:
			c->no_source = true;
			break;
		case OPT_BASELINE:
			c->baseline_rev = optarg;
			break;
		case OPT_BASELINE_FILE:
			c->baseline_file = optarg;
			break;
		case OPT_APPLIED:
			c->applied =
			    wl_xrealloc(c->applied, (c->n_applied + 1) * sizeof(*c->applied));
			if (!wl_applied_parse(optarg, &c->applied[c->n_applied]))
				usage_error("--applied takes [ENV=]TAG, not '%s'", optarg);
			c->n_applied++;
			break;
		case OPT_LIST_RULES:
			list_rules();
			exit_written();
		case OPT_EXPLAIN:
			explain(optarg);
			exit_written();
		case OPT_LSP: {
			/* The language server owns stdin and stdout until it exits. */
			signal(SIGPIPE, SIG_IGN);
			cli_free(c);
			exit(wl_lsp_run(STDIN_FILENO, STDOUT_FILENO, NULL));
		}
		case 'h':
			fputs(usage_text, stdout);
			exit_written();
		case 'V':
			printf("wrangler-lint %s\n", wl_version());
			exit_written();
		case ':':
			usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (c->config_path && c->no_config)
		usage_error("--config and --no-config exclude each other%s", "");
	if (c->unsafe_fixes && !c->fix && !c->diff)
		usage_error("--unsafe-fixes needs --fix or --diff%s", "");
	if (c->diff && c->format != WL_FORMAT_TEXT)
		usage_error("--diff prints a diff, not diagnostics: drop --format%s", "");
	if (c->fix || c->diff) {
		bool has_stdin = false;
		for (int i = optind; i < argc; i++)
			has_stdin |= strcmp(argv[i], "-") == 0;
		if (has_stdin && argc - optind > 1)
			usage_error("with --fix or --diff, '-' (standard input) must be the only "
			            "input%s",
			            "");
	}
	if (c->baseline_rev && c->baseline_file)
		usage_error("--baseline and --baseline-file exclude each other%s", "");
}

int
main(int argc, char **argv)
{
	cli c = {.format = WL_FORMAT_TEXT,
	         .ropts = {.color = false, .max_per_file = 200},
	         .color = "auto",
	         .fail_on = WL_SEV_ERROR};
	c.levels = wl_xmalloc(wl_rules_count());
	memset(c.levels, WL_LEVEL_DEFAULT, wl_rules_count());
	parse_options(&c, argc, argv);
#ifdef WL_TEST_HOOKS
	wl_fix_write_hook = test_write_hook;
#endif
	c.linter = wl_linter_new(c.levels);

	if (strcmp(c.color, "always") == 0) {
		c.ropts.color = true;
	} else if (strcmp(c.color, "auto") == 0) {
		const char *no_color = getenv("NO_COLOR");
		const char *term = getenv("TERM");
		c.ropts.color = isatty(STDOUT_FILENO) && !(no_color && *no_color) &&
		                !(term && strcmp(term, "dumb") == 0);
	}
	if (c.envs.len) {
		c.env_list = wl_xcalloc(c.envs.len + 1, sizeof(*c.env_list));
		for (size_t i = 0; i < c.envs.len; i++)
			c.env_list[i] = c.envs.items[i];
	}
	if (c.config_path) {
		c.forced = load_project(&c, c.config_path);
		if (!c.forced) {
			cli_free(&c);
			return EXIT_TROUBLE;
		}
	}

	size_t n_inputs;
	input *inputs = collect_inputs(&c, argc - optind, argv + optind, &n_inputs);
	/* Command-line levels apply even where no project file does. */
	signed char *cli_levels = c.levels;

	/* --baseline-file: one copy of the deployed config for every input. */
	char *base_file = NULL;
	size_t base_file_len = 0;
	if (c.baseline_file) {
		bool too_large = false;
		base_file = wl_read_file(c.baseline_file, WL_MAX_FILE_SIZE, &base_file_len,
		                         &too_large, NULL);
		if (!base_file || too_large) {
			fprintf(stderr, "wrangler-lint: --baseline-file=%s: %s\n", c.baseline_file,
			        too_large ? "file too large" : strerror(errno));
			free(base_file);
			for (size_t i = 0; i < n_inputs; i++) {
				free(inputs[i].path);
				free(inputs[i].display);
			}
			free(inputs);
			cli_free(&c);
			return EXIT_TROUBLE;
		}
	}
	char *last_git_error = NULL;
	wl_git_reader *git = NULL; /* one git process per repository, started on demand */

	/* With --fix on standard input the fixed text owns standard output. */
	bool fix_stdin = c.fix && !c.diff && n_inputs == 1 && strcmp(inputs[0].path, "-") == 0;
	FILE *report = c.diff ? NULL : fix_stdin ? stderr : stdout;
	wl_renderer *renderer = report ? wl_renderer_new(c.format, report, &c.ropts) : NULL;
	for (size_t i = 0; renderer && i < c.walk.unreadable.len; i++)
		wl_renderer_unreadable(renderer, c.walk.unreadable.items[i],
		                       c.walk.reasons.items[i]);
	wl_summary summary = {0};
	size_t fixes = 0, fixed_files = 0;
	bool findings = false;
	seen_files seen = {0};
	wl_strmap_init(&seen.map);
	size_t rendered_projects = 0;
	for (size_t i = 0; i < n_inputs; i++) {
		if (i > 0 && strcmp(inputs[i].display, inputs[i - 1].display) == 0 &&
		    strcmp(inputs[i].path, inputs[i - 1].path) == 0)
			continue; /* the same file named twice */
		bool is_stdin = strcmp(inputs[i].path, "-") == 0;
		if (!is_stdin && seen_before(&seen, inputs[i].path))
			continue; /* the same file under another name: the first name wins */
		char *dir = wl_path_dir(
		    is_stdin ? (c.stdin_name ? c.stdin_name : "x") : inputs[i].path, ".");
		wl_project *p = project_for_dir(&c, dir);
		free(dir);
		/* A project file's own problems are shown once, before its first user. */
		while (rendered_projects < wl_project_cache_count(c.linter->projects)) {
			wl_project *q =
			    wl_project_cache_at(c.linter->projects, rendered_projects++);
			if (q->result->diags.len) {
				findings |= tally(&summary, &q->result->diags, c.fail_on);
				if (renderer)
					wl_renderer_file(renderer, q->result->doc->src,
					                 &q->result->diags);
			}
		}
		/* What is deployed: a file, a git revision, --applied. */
		wl_baseline base = {.applied = c.applied, .n_applied = c.n_applied};
		char *git_bytes = NULL, *base_name = NULL;
		const char *rev = c.baseline_rev    ? c.baseline_rev
		                  : c.baseline_file ? NULL
		                  : p               ? p->baseline
		                                    : NULL;
		if (c.baseline_file) {
			base.name = c.baseline_file;
			base.bytes = base_file;
			base.len = base_file_len;
		} else if (rev) {
			const char *path = is_stdin ? c.stdin_name : inputs[i].path;
			char *err = NULL;
			if (path && !git)
				git = wl_git_reader_new(WL_MAX_FILE_SIZE);
			wl_git_status gs =
			    path ? wl_git_reader_read(git, path, rev, &git_bytes, &base.len, &err)
			         : WL_GIT_ERROR;
			if (!path)
				err =
				    wl_xstrdup("standard input has no path in the repository; name "
				               "it with --stdin-filename");
			if (gs == WL_GIT_ERROR) {
				/* The same failure (an unknown revision) is said once. */
				if (!last_git_error || strcmp(last_git_error, err) != 0)
					fprintf(stderr, "wrangler-lint: --baseline=%s: %s\n", rev,
					        err);
				free(last_git_error);
				last_git_error = err;
				c.trouble = true;
				continue;
			}
			base_name = wl_xasprintf("%s:%s", rev, inputs[i].display);
			base.name = base_name;
			base.bytes = gs == WL_GIT_OK ? git_bytes : "";
			base.absent = gs == WL_GIT_ABSENT;
		}
		wl_lint_options opts = {
		    .linter = c.linter,
		    .baseline = base.bytes || base.n_applied ? &base : NULL,
		    .check_siblings = !is_stdin,
		    .levels = p ? p->levels : cli_levels,
		    .envs = c.env_list,
		    .schema_path = c.schema_path,
		    .no_user_schema = c.no_user_schema,
		    .no_source = c.no_source,
		};
		wl_severity fail_on = c.fail_on_set         ? c.fail_on
		                      : p && p->has_fail_on ? p->fail_on
		                                            : WL_SEV_ERROR;
		wl_lint_result *r = c.fix || c.diff ? fix_input(&c, &inputs[i], &opts, renderer,
		                                                &fixes, &fixed_files)
		                                    : lint_input(&inputs[i], &opts, renderer);
		free(git_bytes);
		free(base_name);
		if (!r) {
			c.trouble = true;
			continue;
		}
		check_envs_exist(&c, r);
		findings |= tally(&summary, &r->diags, fail_on);
		if (renderer)
			wl_renderer_file(renderer, r->doc->src, &r->diags);
		wl_lint_result_free(r);
	}
	/* e.g. --config with no input */
	while (rendered_projects < wl_project_cache_count(c.linter->projects)) {
		wl_project *q = wl_project_cache_at(c.linter->projects, rendered_projects++);
		if (q->result->diags.len) {
			findings |= tally(&summary, &q->result->diags, c.fail_on);
			if (renderer)
				wl_renderer_file(renderer, q->result->doc->src, &q->result->diags);
		}
	}
	if (renderer && c.fix)
		wl_renderer_set_fixes(renderer, fixes, fixed_files);
	if (renderer)
		wl_renderer_finish(renderer, &summary);
	free(base_file);
	free(last_git_error);
	wl_git_reader_free(git);

	for (size_t i = 0; i < n_inputs; i++) {
		free(inputs[i].path);
		free(inputs[i].display);
	}
	free(inputs);
	wl_strmap_free(&seen.map);
	wl_strlist_free(&seen.keys);
	cli_free(&c);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "wrangler-lint: error writing output: %s\n", strerror(errno));
		return EXIT_TROUBLE;
	}
	if (c.trouble)
		return EXIT_TROUBLE;
	if (c.diff)
		return c.diff_changes ? EXIT_FINDINGS : EXIT_CLEAN;
	return findings ? EXIT_FINDINGS : EXIT_CLEAN;
}
