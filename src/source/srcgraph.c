#include "source/srcgraph.h"
#include "readfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/srcpat.h"
#include "strmap.h"
#include "suggest.h"
#include "xalloc.h"

static const char *const js_exts[] = {".ts",  ".tsx", ".mts", ".cts",  ".js",
                                      ".jsx", ".mjs", ".cjs", ".d.ts", NULL};

wl_srcgraph_limits
wl_srcgraph_default_limits(void)
{
	wl_srcgraph_limits l = {WL_SRCGRAPH_MAX_FILE_BYTES, WL_SRCGRAPH_MAX_TOTAL_BYTES,
	                        WL_SRCGRAPH_MAX_FILES};
	return l;
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* The extension of the last path segment ("" if none). */
static const char *
extension(const char *path)
{
	const char *b = base_name(path);
	const char *dot = strrchr(b, '.');
	return dot && dot != b ? dot : "";
}

static bool
js_extension(const char *path)
{
	for (size_t i = 0; js_exts[i]; i++)
		if (ends_with(path, js_exts[i]))
			return true;
	return false;
}

/* dir + "/" + rel with `.` and `..` segments folded lexically (for display;
 * containment is decided on real paths). Owned. */
static char *
join_normalized(const char *dir, const char *rel)
{
	char *whole = dir && *dir ? wl_xasprintf("%s/%s", dir, rel) : wl_xstrdup(rel);
	size_t n = strlen(whole);
	char *out = wl_xmalloc(n + 3);
	size_t o = 0;
	bool absolute = whole[0] == '/';
	if (absolute)
		out[o++] = '/';
	size_t base = o; /* segments start here */
	size_t i = 0;
	while (i < n) {
		while (i < n && whole[i] == '/')
			i++;
		size_t j = i;
		while (j < n && whole[j] != '/')
			j++;
		size_t len = j - i;
		if (len == 0)
			break;
		if (len == 1 && whole[i] == '.') {
			/* skip */
		} else if (len == 2 && whole[i] == '.' && whole[i + 1] == '.') {
			/* drop the last segment unless it is itself ".." */
			size_t k = o;
			while (k > base && out[k - 1] != '/')
				k--;
			bool last_dotdot = o - k == 2 && out[k] == '.' && out[k + 1] == '.';
			if (o > base && !last_dotdot) {
				o = k > base ? k - 1 : base;
			} else if (!absolute) {
				if (o > base)
					out[o++] = '/';
				out[o++] = '.';
				out[o++] = '.';
			}
		} else {
			if (o > base)
				out[o++] = '/';
			memcpy(out + o, whole + i, len);
			o += len;
		}
		i = j;
	}
	if (o == 0)
		out[o++] = '.';
	out[o] = '\0';
	free(whole);
	return out;
}

char *
wl_srcgraph_join(const char *dir, const char *rel)
{
	return join_normalized(dir, rel);
}

static bool
under_root(const wl_srcgraph *g, const char *real)
{
	if (!g->root_real)
		return false;
	size_t n = strlen(g->root_real);
	if (n == 1 && g->root_real[0] == '/')
		return real[0] == '/';
	return strncmp(real, g->root_real, n) == 0 && (real[n] == '/' || real[n] == '\0');
}

char *
wl_srcgraph_find_root(const char *dir)
{
	char *real = realpath(dir, NULL);
	if (!real)
		return NULL;
	char *cur = wl_xstrdup(real);
	for (;;) {
		char *git = wl_xasprintf("%s/.git", strcmp(cur, "/") == 0 ? "" : cur);
		struct stat st;
		bool found = lstat(git, &st) == 0;
		free(git);
		if (found) {
			free(real);
			return cur;
		}
		char *slash = strrchr(cur, '/');
		if (!slash || strcmp(cur, "/") == 0)
			break;
		if (slash == cur)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	free(cur);
	return real;
}

static size_t
add_file(wl_srcgraph *g, const char *display)
{
	wl_xgrow((void **)&g->files, &g->cap_files, g->n_files + 1, sizeof(*g->files));
	wl_srcfile *f = &g->files[g->n_files];
	memset(f, 0, sizeof(*f));
	f->src = wl_source_new(display, "", 0);
	f->dts = ends_with(display, ".d.ts");
	return g->n_files++;
}

/* Reads a regular file of at most `max` bytes into an owned, NUL-terminated
 * buffer. O_NONBLOCK: a FIFO named like a module must not hang the open. */
static int
read_regular(const char *path, size_t max, char **out, size_t *len, bool *too_big)
{
	*too_big = false;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	if ((unsigned long long)st.st_size > max) {
		close(fd);
		*too_big = true;
		return -1;
	}
	size_t cap = (size_t)st.st_size + 1, n = 0;
	char *buf = wl_xmalloc(cap);
	for (;;) {
		if (n + 1 >= cap) {
			if (n >= max) { /* it grew while being read */
				free(buf);
				close(fd);
				*too_big = true;
				return -1;
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			buf = wl_xrealloc(buf, cap);
		}
		ssize_t r = read(fd, buf + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

static bool
looks_binary(const char *s, size_t len)
{
	return memchr(s, '\0', len < 4096 ? len : 4096) != NULL;
}

/* Reads and scans file `idx` (already added, with its display path). */
static void
load(wl_srcgraph *g, size_t idx, const char *real)
{
	wl_srcfile *f = &g->files[idx];
	f->real = wl_xstrdup(real);
	wl_strmap_put(g->by_real, f->real, (void *)(uintptr_t)(idx + 1));
	char *bytes = NULL;
	size_t len = 0;
	bool too_big = false;
	size_t room =
	    g->lim.max_total_bytes > g->total_bytes ? g->lim.max_total_bytes - g->total_bytes : 0;
	size_t max = g->lim.max_file_bytes < room ? g->lim.max_file_bytes : room;
	if (read_regular(real, max, &bytes, &len, &too_big) == 0) {
		g->total_bytes += len;
		char *path = wl_xstrdup(f->src->path);
		wl_source_free(f->src);
		f->src = wl_source_adopt(path, bytes, len);
		free(path);
		f->read = true;
	} else if (too_big) {
		g->limits_hit |= max < g->lim.max_file_bytes ? WL_SRCGRAPH_LIMIT_TOTAL_SIZE
		                                             : WL_SRCGRAPH_LIMIT_FILE_SIZE;
	}
	if (f->read && looks_binary(f->src->bytes, f->src->len)) {
		f->binary = true;
		f->read = false;
	}
	unsigned flags =
	    ends_with(f->src->path, ".tsx") || ends_with(f->src->path, ".jsx") ? WL_SRCSCAN_JSX : 0;
	f->scan =
	    f->read ? wl_srcscan_run_ex(f->src->bytes, f->src->len, flags) : wl_srcscan_run("", 0);
	if (!f->read)
		f->scan->incomplete = true;
	else if (f->scan->incomplete)
		g->limits_hit |= WL_SRCGRAPH_LIMIT_SCAN;
}

static bool
regular_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool
directory(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The display path of a relative specifier's file, or NULL. */
static char *
find_candidate(const char *joined, const char *spec, bool *not_js)
{
	*not_js = false;
	const char *ext = extension(base_name(spec));
	if (*ext && js_extension(joined) && regular_file(joined))
		return wl_xstrdup(joined);
	/* TypeScript's convention: `./x.js` names the output of `./x.ts` */
	static const char *const map[][3] = {{".js", ".ts", ".tsx"},
	                                     {".jsx", ".tsx", NULL},
	                                     {".mjs", ".mts", NULL},
	                                     {".cjs", ".cts", NULL}};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (strcmp(ext, map[i][0]) != 0)
			continue;
		size_t stem = strlen(joined) - strlen(ext);
		for (size_t k = 1; k < 3 && map[i][k]; k++) {
			char *c = wl_xasprintf("%.*s%s", (int)stem, joined, map[i][k]);
			if (regular_file(c))
				return c;
			free(c);
		}
	}
	for (size_t i = 0; js_exts[i]; i++) {
		char *c = wl_xasprintf("%s%s", joined, js_exts[i]);
		if (regular_file(c))
			return c;
		free(c);
	}
	if (directory(joined)) {
		for (size_t i = 0; js_exts[i]; i++) {
			char *c = wl_xasprintf("%s/index%s", joined, js_exts[i]);
			if (regular_file(c))
				return c;
			free(c);
		}
	}
	if (*ext && !js_extension(joined) && strcmp(ext, ".") != 0)
		*not_js = regular_file(joined) || !directory(joined);
	return NULL;
}

char *
wl_srcgraph_resolve_main(const char *path)
{
	if (regular_file(path))
		return wl_xstrdup(path);
	if (js_extension(path))
		return NULL;
	bool not_js;
	return find_candidate(path, path, &not_js);
}

static bool
relative_spec(const char *m)
{
	return strcmp(m, ".") == 0 || strcmp(m, "..") == 0 || strncmp(m, "./", 2) == 0 ||
	       strncmp(m, "../", 3) == 0;
}

/* Where `module`, imported from file `from`, leads (an index or a code);
 * queues files not seen yet. */
static int32_t
resolve(wl_srcgraph *g, size_t from, const char *module)
{
	if (!module)
		return WL_SRCGRAPH_NONE;
	if (!relative_spec(module) || strchr(module, '\\') || strchr(module, '?'))
		return WL_SRCGRAPH_PACKAGE;
	char *dir = wl_path_dir(g->files[from].src->path, "");
	char *joined = join_normalized(dir, module);
	free(dir);
	bool not_js;
	char *found = find_candidate(joined, module, &not_js);
	free(joined);
	if (!found)
		return not_js ? WL_SRCGRAPH_NOT_JS : WL_SRCGRAPH_UNRESOLVED;
	char *real = realpath(found, NULL);
	if (!real) {
		free(found);
		return WL_SRCGRAPH_UNRESOLVED; /* a symlink loop, a race */
	}
	void *seen = wl_strmap_get(g->by_real, real);
	if (seen) {
		free(real);
		free(found);
		return (int32_t)((uintptr_t)seen - 1);
	}
	int32_t code = 0;
	if (!under_root(g, real)) {
		g->limits_hit |= WL_SRCGRAPH_LIMIT_OUTSIDE_ROOT;
		code = WL_SRCGRAPH_NOT_READ;
	} else if (g->n_files >= g->lim.max_files) {
		g->limits_hit |= WL_SRCGRAPH_LIMIT_FILES;
		code = WL_SRCGRAPH_NOT_READ;
	}
	if (code) {
		free(real);
		free(found);
		return code;
	}
	size_t idx = add_file(g, found);
	g->files[idx].in_graph = true;
	load(g, idx, real);
	free(real);
	free(found);
	return (int32_t)idx;
}

static void
link_file(wl_srcgraph *g, size_t i)
{
	/* `resolve` may grow g->files: index, never hold a pointer across it */
	size_t ni = g->files[i].scan->n_imports, ne = g->files[i].scan->n_exports;
	int32_t *imp = wl_xcalloc(ni ? ni : 1, sizeof(int32_t));
	int32_t *exp = wl_xcalloc(ne ? ne : 1, sizeof(int32_t));
	for (size_t k = 0; k < ne; k++)
		exp[k] = resolve(g, i, g->files[i].scan->exports[k].module);
	for (size_t k = 0; k < ni; k++)
		imp[k] = resolve(g, i, g->files[i].scan->imports[k].module);
	g->files[i].import_to = imp;
	g->files[i].export_to = exp;
}

static void
add_envs(wl_srcgraph *g, size_t i)
{
	const wl_srcfile *f = &g->files[i];
	if (f->test || !f->read)
		return;
	for (size_t k = 0; k < f->scan->n_envs; k++) {
		/* hand-written files only declare `Env` (see env_like in srcscan.c);
		 * the generated file's other interfaces are for the stale check */
		if (!f->scan->generated && strcmp(f->scan->envs[k].name, "Env") != 0)
			continue;
		wl_xgrow((void **)&g->envs, &g->cap_envs, g->n_envs + 1, sizeof(*g->envs));
		wl_srcgraph_env *e = &g->envs[g->n_envs++];
		e->file = i;
		e->env = &f->scan->envs[k];
		e->generated = f->scan->generated;
		e->full = f->scan->envs[k].declares_binding;
	}
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The *.d.ts files directly in `dir`, in name order. */
static void
add_dts_folder(wl_srcgraph *g, const char *dir, const char *display_dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!ends_with(de->d_name, ".d.ts") || de->d_name[0] == '.')
			continue;
		wl_xgrow((void **)&names, &cap, n + 1, sizeof(*names));
		names[n++] = wl_xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		char *path = display_dir && *display_dir
		                 ? wl_xasprintf("%s/%s", display_dir, names[i])
		                 : wl_xstrdup(names[i]);
		free(names[i]);
		char *real = realpath(path, NULL);
		if (!real || wl_strmap_get(g->by_real, real) || !under_root(g, real) ||
		    g->n_files >= g->lim.max_files) {
			if (real && g->n_files >= g->lim.max_files &&
			    !wl_strmap_get(g->by_real, real))
				g->limits_hit |= WL_SRCGRAPH_LIMIT_FILES;
			free(real);
			free(path);
			continue;
		}
		size_t idx = add_file(g, path);
		load(g, idx, real);
		free(real);
		free(path);
	}
	free(names);
}

/* The path relative to the config's folder, for the test-file test (a
 * config that itself lives under tests/ has no test files for that). */
static bool
test_file(const char *path, const char *config_dir)
{
	if (config_dir && *config_dir && strcmp(config_dir, ".") != 0) {
		size_t n = strlen(config_dir);
		if (strncmp(path, config_dir, n) == 0 && path[n] == '/')
			path += n + 1;
	}
	return wl_srcpat_test_path(path);
}

wl_srcgraph *
wl_srcgraph_build(const char *entry_path, const char *root, const char *config_dir,
                  const wl_srcgraph_limits *lim)
{
	wl_srcgraph *g = wl_xcalloc(1, sizeof(*g));
	g->lim = lim ? *lim : wl_srcgraph_default_limits();
	g->by_real = wl_xmalloc(sizeof(*g->by_real));
	wl_strmap_init(g->by_real);
	g->root_real = root ? realpath(root, NULL) : NULL;
	if (!js_extension(entry_path))
		g->entry_unsupported = true;
	char *entry = join_normalized(NULL, entry_path);
	char *real = regular_file(entry) ? realpath(entry, NULL) : NULL;
	if (real && under_root(g, real) && !g->entry_unsupported) {
		g->entry_found = true;
		size_t idx = add_file(g, entry);
		g->files[idx].in_graph = true;
		load(g, idx, real);
		if (!g->files[0].read)
			g->entry_unsupported = true;
		/* breadth first: files appended by link_file are visited in turn */
		for (size_t i = 0; i < g->n_files; i++)
			link_file(g, i);
	} else if (real && !under_root(g, real)) {
		g->limits_hit |= WL_SRCGRAPH_LIMIT_OUTSIDE_ROOT;
		g->entry_found = true;
		g->entry_unsupported = true;
	} else if (real) {
		g->entry_found = true;
	}
	free(real);
	free(entry);
	size_t n_graph = g->n_files;
	if (config_dir) {
		char *cd = join_normalized(NULL, config_dir);
		const char *shown = strcmp(cd, ".") == 0 ? "" : cd;
		add_dts_folder(g, cd, shown);
		char *src = *shown ? wl_xasprintf("%s/src", shown) : wl_xstrdup("src");
		add_dts_folder(g, src, src);
		free(src);
		free(cd);
	}
	for (size_t i = n_graph; i < g->n_files; i++) {
		g->files[i].import_to = wl_xcalloc(1, sizeof(int32_t));
		g->files[i].export_to = wl_xcalloc(1, sizeof(int32_t));
	}
	for (size_t i = 0; i < g->n_files; i++) {
		g->files[i].test = i > 0 && test_file(g->files[i].src->path, config_dir);
		add_envs(g, i);
	}
	return g;
}

void
wl_srcgraph_free(wl_srcgraph *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n_files; i++) {
		if (!g->files[i].src_given)
			wl_source_free(g->files[i].src);
		wl_srcscan_free(g->files[i].scan);
		free(g->files[i].real);
		free(g->files[i].import_to);
		free(g->files[i].export_to);
	}
	free(g->files);
	free(g->envs);
	free(g->root_real);
	wl_strmap_free(g->by_real);
	free(g->by_real);
	free(g);
}

wl_source *
wl_srcgraph_give_source(wl_srcgraph *g, size_t i)
{
	g->files[i].src_given = true;
	return g->files[i].src;
}

static bool
names_unknown(const wl_srcscan *s)
{
	return s->incomplete || s->unbalanced || s->unknown_exports || s->cjs;
}

/* Visits the entry's `export *` closure; calls `fn` per file until it
 * returns true. Reports whether some file of it is unknown. */
typedef bool (*visit_fn)(const wl_srcgraph *g, size_t file, void *ctx);

static bool
star_closure(const wl_srcgraph *g, visit_fn fn, void *ctx, bool *stopped)
{
	*stopped = false;
	if (!g->entry_found || g->entry_unsupported || g->n_files == 0)
		return true;
	bool unknown = false;
	bool *seen = wl_xcalloc(g->n_files, 1);
	size_t *stack = wl_xmalloc(g->n_files * sizeof(*stack));
	size_t sp = 0;
	stack[sp++] = 0;
	seen[0] = true;
	while (sp) {
		size_t i = stack[--sp];
		const wl_srcfile *f = &g->files[i];
		if (fn(g, i, ctx)) {
			*stopped = true;
			break;
		}
		if (names_unknown(f->scan))
			unknown = true;
		for (size_t k = 0; k < f->scan->n_exports; k++) {
			if (f->scan->exports[k].kind != WL_SRC_EXPORT_STAR)
				continue;
			int32_t t = f->export_to[k];
			if (t < 0) {
				unknown = true;
			} else if (!seen[t]) {
				seen[t] = true;
				stack[sp++] = (size_t)t;
			}
		}
	}
	free(seen);
	free(stack);
	return unknown;
}

static bool
has_name(const wl_srcgraph *g, size_t file, void *ctx)
{
	return wl_srcscan_exports_name(g->files[file].scan, ctx);
}

wl_tri
wl_srcgraph_exports(const wl_srcgraph *g, const char *name)
{
	bool stopped;
	bool unknown = star_closure(g, has_name, (void *)(uintptr_t)name, &stopped);
	if (stopped)
		return WL_TRI_YES;
	return unknown ? WL_TRI_UNKNOWN : WL_TRI_NO;
}

const wl_src_class *
wl_srcgraph_find_class(const wl_srcgraph *g, const char *name, const wl_srcfile **file)
{
	const wl_src_class *best = NULL;
	for (size_t i = 0; i < g->n_files; i++) {
		const wl_srcfile *f = &g->files[i];
		if (!f->in_graph || f->dts || !f->read)
			continue;
		for (size_t k = 0; k < f->scan->n_classes; k++) {
			const wl_src_class *c = &f->scan->classes[k];
			if (strcmp(c->name, name) != 0)
				continue;
			if (!best || (best->depth > 0 && c->depth == 0)) {
				best = c;
				if (file)
					*file = f;
			}
			if (c->depth == 0)
				return best;
		}
	}
	return best;
}

typedef struct names_ctx {
	const char **v;
	size_t n, cap;
} names_ctx;

static bool
collect_names(const wl_srcgraph *g, size_t file, void *ctx)
{
	names_ctx *c = ctx;
	const wl_srcscan *s = g->files[file].scan;
	for (size_t k = 0; k < s->n_exports; k++) {
		const wl_src_export *e = &s->exports[k];
		if (!e->name || e->kind == WL_SRC_EXPORT_STAR)
			continue;
		wl_xgrow((void **)&c->v, &c->cap, c->n + 2, sizeof(*c->v));
		c->v[c->n++] = e->name;
	}
	return false;
}

const char *
wl_srcgraph_closest_export(const wl_srcgraph *g, const char *name)
{
	names_ctx c = {0};
	bool stopped;
	star_closure(g, collect_names, &c, &stopped);
	/* keep the names that are classes somewhere in the graph */
	size_t k = 0;
	for (size_t i = 0; i < c.n; i++)
		if (wl_srcgraph_find_class(g, c.v[i], NULL))
			c.v[k++] = c.v[i];
	const char *best = NULL;
	if (k) {
		c.v[k] = NULL;
		best = wl_suggest(name, c.v);
	}
	free(c.v);
	return best;
}

wl_tri
wl_srcgraph_service_worker(const wl_srcgraph *g)
{
	if (!g->entry_found || g->entry_unsupported || g->n_files == 0)
		return WL_TRI_UNKNOWN;
	const wl_srcscan *s = g->files[0].scan;
	if (names_unknown(s) || s->n_exports > 0 || s->has_default)
		return WL_TRI_NO;
	return s->fetch_listener ? WL_TRI_YES : WL_TRI_NO;
}

bool
wl_srcgraph_has_full_env(const wl_srcgraph *g)
{
	for (size_t i = 0; i < g->n_envs; i++)
		if (g->envs[i].full && !g->envs[i].generated)
			return true;
	return false;
}

bool
wl_srcgraph_env_closed(const wl_srcgraph *g)
{
	if (!wl_srcgraph_has_full_env(g))
		return false;
	bool cloudflare_by_hand = false, cloudflare_generated = false;
	for (size_t i = 0; i < g->n_envs; i++)
		if (g->envs[i].env->scope == WL_ENV_SCOPE_CLOUDFLARE) {
			if (g->envs[i].generated)
				cloudflare_generated = true;
			else
				cloudflare_by_hand = true;
		}
	for (size_t i = 0; i < g->n_envs; i++) {
		const wl_srcgraph_env *e = &g->envs[i];
		if (e->generated)
			continue;
		if (e->env->has_index_signature)
			return false;
		if (!e->env->has_extends)
			continue;
		if (e->env->is_type_alias)
			return false;
		const wl_source *src = g->files[e->file].src;
		wl_span x = e->env->extends_span;
		static const char cf[] = "Cloudflare.Env";
		bool is_cf = x.end - x.start == sizeof(cf) - 1 &&
		             memcmp(src->bytes + x.start, cf, sizeof(cf) - 1) == 0;
		if (!is_cf || !cloudflare_by_hand || cloudflare_generated)
			return false;
	}
	return true;
}

bool
wl_srcgraph_class_is_a(const wl_srcgraph *g, const char *cls, const char *ancestor)
{
	const char *cur = cls;
	for (int step = 0; step < 32 && cur; step++) {
		if (strcmp(cur, ancestor) == 0)
			return true;
		const wl_src_class *c = wl_srcgraph_find_class(g, cur, NULL);
		cur = c ? c->base : NULL;
	}
	return false;
}

const wl_src_env_member *
wl_srcgraph_env_member(const wl_srcgraph *g, const char *name, bool include_generated,
                       const wl_srcgraph_env **env)
{
	for (size_t i = 0; i < g->n_envs; i++) {
		if (g->envs[i].generated && !include_generated)
			continue;
		const wl_src_env *e = g->envs[i].env;
		for (size_t k = 0; k < e->n_members; k++) {
			if (strcmp(e->members[k].name, name) == 0) {
				if (env)
					*env = &g->envs[i];
				return &e->members[k];
			}
		}
	}
	return NULL;
}

const char *
wl_srcgraph_imported_name(const wl_srcfile *f, const char *local)
{
	for (size_t k = 0; k < f->scan->n_imports; k++) {
		const wl_src_import *im = &f->scan->imports[k];
		if (im->local && im->imported && strcmp(im->local, local) == 0 &&
		    strcmp(im->imported, "default") != 0 && strcmp(im->imported, "*") != 0)
			return im->imported;
	}
	return local;
}
