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

#include "lint.h"
#include "render.h"
#include "rules.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_TROUBLE = 2 };

static const char usage_text[] =
    "Usage: wrangler-lint [OPTIONS] [FILE...]\n"
    "Check wrangler.json / wrangler.jsonc files: JSONC syntax, and Durable Objects\n"
    "bindings and migrations in every environment.\n"
    "\n"
    "With no FILE, checks wrangler.json and wrangler.jsonc in the current directory.\n"
    "FILE '-' reads standard input.\n"
    "\n"
    "Options:\n"
    "  -f, --format=FORMAT        text (default), json or gcc\n"
    "      --color=WHEN           auto (default), always or never\n"
    "      --fail-on=SEVERITY     exit 1 on diagnostics at or above SEVERITY:\n"
    "                             error (default), warning or note\n"
    "      --stdin-filename=NAME  name standard input NAME in the output\n"
    "      --max-diagnostics=N    show at most N diagnostics per file (default 200,\n"
    "                             0 = no limit); the rest are counted\n"
    "      --list-rules           print every rule: id, family, severity, summary\n"
    "  -h, --help                 print this help\n"
    "  -V, --version              print the version\n"
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
lint_input(const input *in)
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
			return wl_lint_oversized(in->display, (size_t)st.st_size);
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
		return wl_lint_oversized(in->display, 0); /* a pipe: size unknown */
	}
	wl_lint_options opts = {.check_siblings = !is_stdin};
	return wl_lint_source(wl_source_adopt(in->display, bytes, len), &opts);
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

int
main(int argc, char **argv)
{
	enum { OPT_COLOR = 256, OPT_FAIL_ON, OPT_STDIN_NAME, OPT_MAX_DIAG, OPT_LIST_RULES };
	static const struct option longopts[] = {
	    {"format", required_argument, NULL, 'f'},
	    {"color", required_argument, NULL, OPT_COLOR},
	    {"colour", required_argument, NULL, OPT_COLOR},
	    {"fail-on", required_argument, NULL, OPT_FAIL_ON},
	    {"stdin-filename", required_argument, NULL, OPT_STDIN_NAME},
	    {"max-diagnostics", required_argument, NULL, OPT_MAX_DIAG},
	    {"list-rules", no_argument, NULL, OPT_LIST_RULES},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	wl_format format = WL_FORMAT_TEXT;
	const char *color = "auto";
	const char *stdin_name = NULL;
	wl_severity fail_on = WL_SEV_ERROR;
	wl_render_options ropts = {.color = false, .max_per_file = 200};

	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":f:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!wl_format_parse(optarg, &format))
				usage_error("unknown format '%s' (expected text, json or gcc)",
				            optarg);
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") &&
			    strcmp(optarg, "never"))
				usage_error("--color takes auto, always or never, not '%s'",
				            optarg);
			color = optarg;
			break;
		case OPT_FAIL_ON:
			if (!wl_severity_parse(optarg, &fail_on))
				usage_error("--fail-on takes error, warning or note, not '%s'",
				            optarg);
			break;
		case OPT_STDIN_NAME:
			stdin_name = optarg;
			break;
		case OPT_MAX_DIAG:
			ropts.max_per_file = parse_count(optarg);
			break;
		case OPT_LIST_RULES:
			list_rules();
			return EXIT_CLEAN;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_CLEAN;
		case 'V':
			printf("wrangler-lint %s\n", wl_version());
			return EXIT_CLEAN;
		case ':':
			usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}

	if (strcmp(color, "always") == 0) {
		ropts.color = true;
	} else if (strcmp(color, "auto") == 0) {
		const char *no_color = getenv("NO_COLOR");
		const char *term = getenv("TERM");
		ropts.color = isatty(STDOUT_FILENO) && !(no_color && *no_color) &&
		              !(term && strcmp(term, "dumb") == 0);
	}

	size_t n_inputs = 0;
	input *inputs = wl_xcalloc((size_t)(argc - optind) + 2, sizeof(*inputs));
	bool trouble = false;
	if (optind == argc) {
		static const char *const defaults[] = {"wrangler.json", "wrangler.jsonc"};
		for (size_t i = 0; i < 2; i++)
			if (access(defaults[i], F_OK) == 0) {
				inputs[n_inputs].path = wl_xstrdup(defaults[i]);
				inputs[n_inputs++].display = wl_xstrdup(defaults[i]);
			}
		if (n_inputs == 0) {
			fprintf(stderr,
			        "wrangler-lint: no wrangler.json or wrangler.jsonc in the current "
			        "directory; name a file to check\n");
			free(inputs);
			return EXIT_TROUBLE;
		}
	} else {
		size_t n_stdin = 0;
		for (int i = optind; i < argc; i++) {
			bool is_stdin = strcmp(argv[i], "-") == 0;
			if (is_stdin && n_stdin++)
				continue; /* standard input can be read once */
			inputs[n_inputs].path = wl_xstrdup(argv[i]);
			inputs[n_inputs++].display =
			    wl_xstrdup(is_stdin ? (stdin_name ? stdin_name : "<stdin>") : argv[i]);
		}
	}
	qsort(inputs, n_inputs, sizeof(*inputs), input_cmp);

	wl_renderer *renderer = wl_renderer_new(format, stdout, &ropts);
	wl_summary summary = {0};
	bool findings = false;
	for (size_t i = 0; i < n_inputs; i++) {
		if (i > 0 && strcmp(inputs[i].display, inputs[i - 1].display) == 0 &&
		    strcmp(inputs[i].path, inputs[i - 1].path) == 0)
			continue; /* the same file named twice */
		wl_lint_result *r = lint_input(&inputs[i]);
		if (!r) {
			trouble = true;
			continue;
		}
		summary.files++;
		for (int s = 0; s < WL_SEV_COUNT; s++) {
			size_t n = wl_diag_list_count(&r->diags, (wl_severity)s);
			summary.by_sev[s] += n;
			if (n && s <= (int)fail_on)
				findings = true;
		}
		wl_renderer_file(renderer, r->doc->src, &r->diags);
		wl_lint_result_free(r);
	}
	wl_renderer_finish(renderer, &summary);

	for (size_t i = 0; i < n_inputs; i++) {
		free(inputs[i].path);
		free(inputs[i].display);
	}
	free(inputs);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "wrangler-lint: error writing output: %s\n", strerror(errno));
		return EXIT_TROUBLE;
	}
	if (trouble)
		return EXIT_TROUBLE;
	return findings ? EXIT_FINDINGS : EXIT_CLEAN;
}
