/* wrangler-lint: the command line. It owns argument parsing, reading files,
 * choosing a renderer and the exit-status contract; everything else is in the
 * library. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "history.h"
#include "lint.h"
#include "project.h"
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
    "      --color=WHEN           auto (default), always or never\n"
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
    "      --baseline=REV         compare migrations with the same config at git\n"
    "                             revision REV (what is deployed; also the project\n"
    "                             file's \"baseline\")\n"
    "      --baseline-file=FILE   compare migrations with FILE, a copy of the\n"
    "                             deployed config\n"
    "      --applied=[ENV=]TAG    TAG is deployed for the top level (or env ENV):\n"
    "                             steps up to it are applied (repeatable)\n"
    "      --list-rules           print every rule: id, family, severity, summary\n"
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

/* Reads all of `fd`, up to `limit` bytes; *too_large when there was more. */
static char *
read_all(int fd, size_t limit, size_t *len, bool *too_large)
{
	size_t cap = 64 * 1024, n = 0;
	char *buf = wl_xmalloc(cap + 1);
	*too_large = false;
	for (;;) {
		if (n == cap) {
			if (cap > limit) {
				*too_large = true;
				break;
			}
			cap *= 2;
			buf = wl_xrealloc(buf, cap + 1);
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > limit)
		*too_large = true;
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Returns NULL (after printing why) when the file cannot be read. */
static wl_lint_result *
lint_input(const input *in, const wl_lint_options *opts)
{
	bool is_stdin = strcmp(in->path, "-") == 0;
	int fd = is_stdin ? STDIN_FILENO : open(in->path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "wrangler-lint: %s: %s\n", in->path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (!is_stdin && fstat(fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			fprintf(stderr, "wrangler-lint: %s: is a directory\n", in->path);
			close(fd);
			return NULL;
		}
		if (S_ISREG(st.st_mode) && (size_t)st.st_size > WL_MAX_FILE_SIZE) {
			close(fd);
			return wl_lint_oversized(in->display, (size_t)st.st_size, opts);
		}
	}
	size_t len = 0;
	bool too_large;
	char *bytes = read_all(fd, WL_MAX_FILE_SIZE, &len, &too_large);
	int saved = errno;
	if (!is_stdin)
		close(fd);
	if (!bytes) {
		fprintf(stderr, "wrangler-lint: %s: %s\n", in->path, strerror(saved));
		return NULL;
	}
	if (too_large) {
		free(bytes);
		return wl_lint_oversized(in->display, 0, opts); /* a pipe: size unknown */
	}
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
	const char *baseline_rev;  /* --baseline */
	const char *baseline_file; /* --baseline-file */
	wl_applied_tag *applied;   /* --applied, pointing into argv */
	size_t n_applied;
	wl_project *forced; /* --config */
	wl_strmap by_dir;   /* folder -> wl_project* (or &no_project) */
	wl_strlist dir_keys;
	wl_project **projects; /* every project file loaded */
	size_t n_projects, cap_projects;
	bool trouble;
} cli;

static wl_project no_project;

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

/* The folder a path is in ("." for a bare name). */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return wl_xstrdup(".");
	return wl_xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
}

static wl_project *
load_project(cli *c, const char *path)
{
	wl_project *p = wl_project_load(path);
	if (!p) {
		fprintf(stderr, "wrangler-lint: %s: %s\n", path, strerror(errno));
		c->trouble = true;
		return NULL;
	}
	wl_xgrow((void **)&c->projects, &c->cap_projects, c->n_projects + 1, sizeof(*c->projects));
	c->projects[c->n_projects++] = p;
	/* The effective levels: the project's, then --rule on top. */
	for (size_t i = 0; i < wl_rules_count(); i++)
		if (c->levels[i] != WL_LEVEL_DEFAULT)
			p->levels[i] = c->levels[i];
	return p;
}

/* The project file that governs files in `dir` (cached per folder). */
static wl_project *
project_for_dir(cli *c, const char *dir)
{
	if (c->forced || c->no_config)
		return c->forced;
	wl_project *p = wl_strmap_get(&c->by_dir, dir);
	if (p)
		return p == &no_project ? NULL : p;
	char *path = wl_project_find(dir);
	p = NULL;
	if (path) {
		/* One object per project file, however many folders share it. */
		for (size_t i = 0; i < c->n_projects && !p; i++)
			if (strcmp(c->projects[i]->path, path) == 0)
				p = c->projects[i];
		if (!p)
			p = load_project(c, path);
		free(path);
	}
	char *key = wl_xstrdup(dir);
	wl_strlist_push(&c->dir_keys, key);
	wl_strmap_put(&c->by_dir, key, p ? p : &no_project);
	return p;
}

/* Expands the arguments into the list of inputs (sorted, de-duplicated). */
static input *
collect_inputs(cli *c, int argc, char **argv, size_t *n_out)
{
	wl_strlist paths = {0};
	bool want_stdin = false;
	if (argc == 0) {
		static const char *const defaults[] = {"wrangler.json", "wrangler.jsonc"};
		for (size_t i = 0; i < 2; i++)
			if (access(defaults[i], F_OK) == 0)
				wl_strlist_push(&paths, wl_xstrdup(defaults[i]));
		if (paths.len == 0) {
			fprintf(stderr, "wrangler-lint: no wrangler.json or wrangler.jsonc in the "
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
			size_t before = paths.len;
			wl_walk(argv[i], p ? p->dir : NULL, p ? p->ignore : NULL,
			        p ? p->n_ignore : 0, &paths);
			if (paths.len == before) {
				fprintf(
				    stderr,
				    "wrangler-lint: %s: no wrangler.json or wrangler.jsonc in this "
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
	for (size_t i = 0; i < c->n_projects; i++)
		wl_project_free(c->projects[i]);
	free(c->projects);
	wl_strmap_free(&c->by_dir);
	wl_strlist_free(&c->dir_keys);
	wl_strlist_free(&c->envs);
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
		OPT_BASELINE,
		OPT_BASELINE_FILE,
		OPT_APPLIED,
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
	    {"baseline", required_argument, NULL, OPT_BASELINE},
	    {"baseline-file", required_argument, NULL, OPT_BASELINE_FILE},
	    {"applied", required_argument, NULL, OPT_APPLIED},
	    {"list-rules", no_argument, NULL, OPT_LIST_RULES},
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
		case OPT_NO_USER_SCHEMA:
			c->no_user_schema = true;
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
			exit(EXIT_CLEAN);
		case 'h':
			fputs(usage_text, stdout);
			exit(EXIT_CLEAN);
		case 'V':
			printf("wrangler-lint %s\n", wl_version());
			exit(EXIT_CLEAN);
		case ':':
			usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (c->config_path && c->no_config)
		usage_error("--config and --no-config exclude each other%s", "");
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
	wl_strmap_init(&c.by_dir);
	parse_options(&c, argc, argv);

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
		int fd = open(c.baseline_file, O_RDONLY);
		struct stat st;
		bool too_large = false;
		if (fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			close(fd);
			fd = -1;
			errno = EISDIR;
		}
		if (fd >= 0) {
			base_file = read_all(fd, WL_MAX_FILE_SIZE, &base_file_len, &too_large);
			close(fd);
		}
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

	wl_renderer *renderer = wl_renderer_new(c.format, stdout, &c.ropts);
	wl_summary summary = {0};
	bool findings = false;
	size_t rendered_projects = 0;
	for (size_t i = 0; i < n_inputs; i++) {
		if (i > 0 && strcmp(inputs[i].display, inputs[i - 1].display) == 0 &&
		    strcmp(inputs[i].path, inputs[i - 1].path) == 0)
			continue; /* the same file named twice */
		bool is_stdin = strcmp(inputs[i].path, "-") == 0;
		char *dir = dir_of(is_stdin ? (c.stdin_name ? c.stdin_name : "x") : inputs[i].path);
		wl_project *p = project_for_dir(&c, dir);
		free(dir);
		/* A project file's own problems are shown once, before its first user. */
		while (rendered_projects < c.n_projects) {
			wl_project *q = c.projects[rendered_projects++];
			if (q->result->diags.len) {
				findings |= tally(&summary, &q->result->diags, c.fail_on);
				wl_renderer_file(renderer, q->result->doc->src, &q->result->diags);
			}
		}
		/* What is deployed: a file, a git revision (one git call), --applied. */
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
			wl_git_status gs = path ? wl_history_git_show(path, rev, WL_MAX_FILE_SIZE,
			                                              &git_bytes, &base.len, &err)
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
		    .baseline = base.bytes || base.n_applied ? &base : NULL,
		    .check_siblings = !is_stdin,
		    .levels = p ? p->levels : cli_levels,
		    .envs = c.env_list,
		    .schema_path = c.schema_path,
		    .no_user_schema = c.no_user_schema,
		};
		wl_severity fail_on = c.fail_on_set         ? c.fail_on
		                      : p && p->has_fail_on ? p->fail_on
		                                            : WL_SEV_ERROR;
		wl_lint_result *r = lint_input(&inputs[i], &opts);
		free(git_bytes);
		free(base_name);
		if (!r) {
			c.trouble = true;
			continue;
		}
		findings |= tally(&summary, &r->diags, fail_on);
		wl_renderer_file(renderer, r->doc->src, &r->diags);
		wl_lint_result_free(r);
	}
	while (rendered_projects < c.n_projects) { /* e.g. --config with no input */
		wl_project *q = c.projects[rendered_projects++];
		if (q->result->diags.len) {
			findings |= tally(&summary, &q->result->diags, c.fail_on);
			wl_renderer_file(renderer, q->result->doc->src, &q->result->diags);
		}
	}
	wl_renderer_finish(renderer, &summary);
	free(base_file);
	free(last_git_error);

	for (size_t i = 0; i < n_inputs; i++) {
		free(inputs[i].path);
		free(inputs[i].display);
	}
	free(inputs);
	cli_free(&c);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "wrangler-lint: error writing output: %s\n", strerror(errno));
		return EXIT_TROUBLE;
	}
	if (c.trouble)
		return EXIT_TROUBLE;
	return findings ? EXIT_FINDINGS : EXIT_CLEAN;
}
