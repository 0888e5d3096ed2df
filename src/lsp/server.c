#include "server.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linter.h"
#include "lsp_impl.h"
#include "render.h"
#include "uri.h"
#include "xalloc.h"

/* A burst of changes is linted this long after its last change, and at the
 * latest this long after its first (a client that never pauses still gets
 * diagnostics). Linting a typical config takes well under a millisecond. */
#define QUIET_MS     5
#define MAX_DELAY_MS 50
/* How long a project-file lookup is trusted without a notification. */
#define PROJECT_TTL_MS 1000

enum {
	ERR_PARSE = -32700,
	ERR_INVALID_REQUEST = -32600,
	ERR_METHOD_NOT_FOUND = -32601,
	ERR_INVALID_PARAMS = -32602,
	ERR_NOT_INITIALIZED = -32002,
};

/* ---- output ---- */

static void
send_json(lsp_server *s, struct json_object *msg)
{
	json_object_object_add(msg, "jsonrpc", json_object_new_string("2.0"));
	size_t len = 0;
	const char *text = json_object_to_json_string_length(
	    msg, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	wl_lsp_writer_queue(&s->writer, text, len);
	if (s->writer.failed)
		s->dead = true; /* the client has gone */
	json_object_put(msg);
}

/* `id` and `result` are borrowed / taken: result is owned by the message. */
static void
respond(lsp_server *s, struct json_object *id, struct json_object *result)
{
	struct json_object *msg = json_object_new_object();
	json_object_object_add(msg, "id", json_object_get(id));
	json_object_object_add(msg, "result", result);
	send_json(s, msg);
}

static void
respond_error(lsp_server *s, struct json_object *id, int code, const char *message)
{
	struct json_object *msg = json_object_new_object();
	struct json_object *err = json_object_new_object();
	json_object_object_add(err, "code", json_object_new_int(code));
	json_object_object_add(err, "message", json_object_new_string(message));
	json_object_object_add(msg, "id", json_object_get(id));
	json_object_object_add(msg, "error", err);
	send_json(s, msg);
}

static void
notify(lsp_server *s, const char *method, struct json_object *params)
{
	struct json_object *msg = json_object_new_object();
	json_object_object_add(msg, "method", json_object_new_string(method));
	json_object_object_add(msg, "params", params);
	send_json(s, msg);
}

/* ---- small json-c helpers ---- */

static struct json_object *
member(struct json_object *obj, const char *key)
{
	struct json_object *v = NULL;
	if (obj && json_object_is_type(obj, json_type_object))
		json_object_object_get_ex(obj, key, &v);
	return v;
}

static const char *
member_str(struct json_object *obj, const char *key)
{
	struct json_object *v = member(obj, key);
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static bool
member_int(struct json_object *obj, const char *key, int64_t *out)
{
	struct json_object *v = member(obj, key);
	if (!v || !json_object_is_type(v, json_type_int))
		return false;
	*out = json_object_get_int64(v);
	return true;
}

bool
wl_lsp_position_offset(wl_source *src, struct json_object *pos, wl_encoding enc, uint32_t *out)
{
	int64_t line, ch;
	if (!member_int(pos, "line", &line) || !member_int(pos, "character", &ch))
		return false;
	if (line < 0 || ch < 0)
		return false;
	*out = wl_source_unit_offset(src, line > UINT32_MAX ? UINT32_MAX : (uint32_t)line,
	                             ch > UINT32_MAX ? UINT32_MAX : (uint32_t)ch, enc);
	return true;
}

bool
wl_lsp_range_offsets(wl_source *src, struct json_object *range, wl_encoding enc, uint32_t *start,
                     uint32_t *end)
{
	if (!wl_lsp_position_offset(src, member(range, "start"), enc, start) ||
	    !wl_lsp_position_offset(src, member(range, "end"), enc, end))
		return false;
	if (*end < *start) {
		uint32_t t = *start;
		*start = *end;
		*end = t;
	}
	return true;
}

/* ---- documents ---- */

const wl_lint_result *
wl_lsp_doc_result(const lsp_doc *doc)
{
	return doc->project ? doc->project->result : doc->lint;
}

static bool
kind_of(const char *name, lsp_kind *kind)
{
	if (strcmp(name, "wrangler.json") == 0 || strcmp(name, "wrangler.jsonc") == 0 ||
	    strcmp(name, "wrangler.toml") == 0) {
		*kind = LSP_CONFIG;
		return true;
	}
	if (strcmp(name, WL_PROJECT_FILE) == 0) {
		*kind = LSP_PROJECT;
		return true;
	}
	return false;
}

static lsp_doc *
find_doc(lsp_server *s, const char *uri, size_t *index)
{
	if (!uri)
		return NULL;
	/* Linear: an editor has a handful of wrangler configs open. */
	for (size_t i = 0; i < s->n_docs; i++)
		if (strcmp(s->docs[i]->uri, uri) == 0) {
			if (index)
				*index = i;
			return s->docs[i];
		}
	return NULL;
}

static void
doc_free(lsp_doc *d)
{
	free(d->uri);
	free(d->path);
	wl_source_free(d->text);
	wl_lint_result_free(d->lint);
	wl_project_free(d->project);
	free(d->fix_all_text);
	for (size_t i = 0; i < d->n_foreign; i++)
		free(d->foreign[i]);
	free(d->foreign);
	free(d);
}

static void
projects_forget(lsp_server *s)
{
	for (size_t i = 0; i < s->n_dirs; i++) {
		free(s->dirs[i].dir);
		wl_project_free(s->dirs[i].p);
	}
	s->n_dirs = 0;
}

static void
mark_dirty(lsp_server *s, lsp_doc *d)
{
	long long now = wl_lsp_now_ms();
	d->dirty = true;
	if (!s->pending)
		s->first_pending = now;
	s->pending = true;
	s->last_change = now;
}

/* A project file changed: every config may have new rule levels. */
static void
project_changed(lsp_server *s)
{
	projects_forget(s);
	for (size_t i = 0; i < s->n_docs; i++)
		mark_dirty(s, s->docs[i]);
}

/* Reads a project file from the editor's text. */
static wl_project *
project_from_text(const char *path, const wl_source *text)
{
	char *copy = wl_xmalloc(text->len + 1);
	memcpy(copy, text->bytes, text->len);
	copy[text->len] = '\0';
	return wl_project_parse(path, copy, text->len);
}

static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return wl_xstrdup(".");
	return wl_xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/* The project file governing configs in `dir`: found like the command line
 * finds it (the folder, then its parents), so each workspace folder, and each
 * folder within one, gets its own. Read from the editor when it is open. */
static const wl_project *
project_for(lsp_server *s, const char *dir)
{
	/* Project files edited outside the editor, or created, are noticed
	 * within PROJECT_TTL_MS even when the client watches no files. */
	long long now = wl_lsp_now_ms();
	if (now - s->dirs_time > PROJECT_TTL_MS) {
		projects_forget(s);
		s->dirs_time = now;
	}
	for (size_t i = 0; i < s->n_dirs; i++)
		if (strcmp(s->dirs[i].dir, dir) == 0)
			return s->dirs[i].p;
	char *found = wl_project_find(dir);
	char *path = found ? realpath(found, NULL) : NULL;
	free(found);
	wl_project *p = NULL;
	if (path) {
		lsp_doc *open = NULL;
		for (size_t i = 0; i < s->n_docs && !open; i++)
			if (s->docs[i]->kind == LSP_PROJECT && s->docs[i]->is_file) {
				char *real = realpath(s->docs[i]->path, NULL);
				if (real && strcmp(real, path) == 0)
					open = s->docs[i];
				free(real);
			}
		p = open ? project_from_text(path, open->text) : wl_project_load(path);
		free(path);
	}
	wl_xgrow((void **)&s->dirs, &s->cap_dirs, s->n_dirs + 1, sizeof(*s->dirs));
	s->dirs[s->n_dirs].dir = wl_xstrdup(dir);
	s->dirs[s->n_dirs].p = p;
	s->n_dirs++;
	return p;
}

void
wl_lsp_lint_options(lsp_server *s, const lsp_doc *d, wl_lint_options *o)
{
	bool fs = d->is_file && !s->opts.no_fs;
	const wl_project *p = NULL;
	if (fs) {
		char *dir = dir_of(d->path);
		p = project_for(s, dir);
		free(dir);
	}
	*o = (wl_lint_options){
	    .linter = s->linter,
	    .check_siblings = fs,
	    .levels = p ? p->levels : NULL,
	    .no_user_schema = !fs,
	};
}

static void
lint_doc(lsp_server *s, lsp_doc *d)
{
	wl_lint_result_free(d->lint);
	wl_project_free(d->project);
	d->lint = NULL;
	d->project = NULL;
	bool fs = d->is_file && !s->opts.no_fs;
	if (d->kind == LSP_PROJECT) {
		if (fs && d->text->len <= WL_MAX_FILE_SIZE)
			d->project = project_from_text(d->path, d->text);
		if (!d->project) {
			wl_lint_options o = {.linter = s->linter, .syntax_only = true};
			d->lint = wl_lint_source(
			    wl_source_new(d->path, d->text->bytes, d->text->len), &o);
		}
	} else {
		wl_lint_options o;
		wl_lsp_lint_options(s, d, &o);
		/* Over WL_MAX_FILE_SIZE, this is one jsonc-file-too-large. */
		d->lint = wl_lint_source(wl_source_new(d->path, d->text->bytes, d->text->len), &o);
	}
	d->dirty = false;
	free(d->fix_all_text);
	d->fix_all_text = NULL;
	d->fix_all_done = false;
	d->lint_version = d->version;
}

static void
publish_list(lsp_server *s, const char *uri, const int64_t *version, struct json_object *list)
{
	struct json_object *params = json_object_new_object();
	json_object_object_add(params, "uri", json_object_new_string(uri));
	if (version)
		json_object_object_add(params, "version", json_object_new_int64(*version));
	json_object_object_add(params, "diagnostics", list);
	notify(s, "textDocument/publishDiagnostics", params);
}

/* Publishes the document's diagnostics (none when `clear`). Those located in
 * other files go to those files' URIs, and a file that had some last time
 * and has none now is cleared. */
static void
publish(lsp_server *s, lsp_doc *d, bool clear)
{
	const wl_lint_result *r = clear ? NULL : wl_lsp_doc_result(d);
	struct json_object *own = json_object_new_array();
	char **uris = NULL;
	struct json_object **lists = NULL;
	size_t n = 0, cap = 0;
	lsp_hints h = {.src = r ? r->doc->src : NULL};
	for (size_t i = 0; r && i < r->diags.len; i++) {
		const wl_diag *diag = &r->diags.items[i];
		if (diag->src == r->doc->src) {
			json_object_array_add(own, wl_lsp_diagnostic(s, d, diag, &h));
			continue;
		}
		char *uri = wl_lsp_source_uri(d, diag->src);
		size_t k = 0;
		while (k < n && strcmp(uris[k], uri) != 0)
			k++;
		if (k == n) {
			size_t c2 = cap;
			wl_xgrow((void **)&uris, &cap, n + 1, sizeof(*uris));
			wl_xgrow((void **)&lists, &c2, n + 1, sizeof(*lists));
			uris[n] = uri;
			lists[n++] = json_object_new_array();
		} else {
			free(uri);
		}
		json_object_array_add(lists[k], wl_lsp_diagnostic(s, d, diag, NULL));
	}
	publish_list(s, d->uri, clear ? NULL : &d->lint_version, own);
	for (size_t k = 0; k < n; k++)
		publish_list(s, uris[k], NULL, lists[k]);
	for (size_t j = 0; j < d->n_foreign; j++) {
		bool still = false;
		for (size_t k = 0; k < n && !still; k++)
			still = strcmp(uris[k], d->foreign[j]) == 0;
		if (!still)
			publish_list(s, d->foreign[j], NULL, json_object_new_array());
		free(d->foreign[j]);
	}
	free(d->foreign);
	free(lists);
	d->foreign = uris;
	d->n_foreign = n;
	d->cap_foreign = cap;
}

/* Lints and publishes every document changed since the last time. */
static void
flush(lsp_server *s)
{
	s->pending = false;
	/* Project files first: configs read their rule levels from them. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < s->n_docs; i++) {
			lsp_doc *d = s->docs[i];
			if (d->dirty && (d->kind == LSP_PROJECT) == (pass == 0)) {
				lint_doc(s, d);
				publish(s, d, false);
			}
		}
}

/* A request about a document answers from a current lint. */
static void
make_current(lsp_server *s, lsp_doc *d)
{
	if (d->dirty) {
		lint_doc(s, d);
		publish(s, d, false);
	}
}

static struct json_object *
text_document(struct json_object *params)
{
	return member(params, "textDocument");
}

static void
did_open(lsp_server *s, struct json_object *params)
{
	struct json_object *td = text_document(params);
	const char *uri = member_str(td, "uri");
	struct json_object *text = member(td, "text");
	if (!uri || !text || !json_object_is_type(text, json_type_string))
		return;
	char *name = wl_lsp_uri_basename(uri);
	lsp_kind kind;
	bool ours = kind_of(name, &kind);
	if (!ours) {
		free(name);
		return; /* another JSON file: not a wrangler config */
	}
	size_t index;
	lsp_doc *d = find_doc(s, uri, &index);
	if (!d) {
		d = wl_xcalloc(1, sizeof(*d));
		d->uri = wl_xstrdup(uri);
		char *path = wl_lsp_uri_to_path(uri);
		d->is_file = path != NULL;
		d->path = path ? path : wl_xstrdup(name);
		d->kind = kind;
		wl_xgrow((void **)&s->docs, &s->cap_docs, s->n_docs + 1, sizeof(*s->docs));
		s->docs[s->n_docs++] = d;
	}
	free(name);
	wl_source_free(d->text);
	d->text = wl_source_new(d->path, json_object_get_string(text),
	                        (size_t)json_object_get_string_len(text));
	int64_t v = 0;
	member_int(td, "version", &v);
	d->version = v;
	if (kind == LSP_PROJECT)
		project_changed(s);
	mark_dirty(s, d);
}

/* Replaces bytes [start, end) of the document's text with `text`. */
static void
splice(lsp_doc *d, uint32_t start, uint32_t end, const char *text, size_t n)
{
	size_t len = d->text->len - (end - start) + n;
	char *buf = wl_xmalloc(len + 1);
	memcpy(buf, d->text->bytes, start);
	memcpy(buf + start, text, n);
	memcpy(buf + start + n, d->text->bytes + end, d->text->len - end);
	buf[len] = '\0';
	wl_source_free(d->text);
	d->text = wl_source_adopt(d->path, buf, len);
}

static void
did_change(lsp_server *s, struct json_object *params)
{
	struct json_object *td = text_document(params);
	lsp_doc *d = find_doc(s, member_str(td, "uri"), NULL);
	struct json_object *changes = member(params, "contentChanges");
	if (!d || !changes || !json_object_is_type(changes, json_type_array))
		return;
	size_t n = json_object_array_length(changes);
	for (size_t i = 0; i < n; i++) {
		struct json_object *c = json_object_array_get_idx(changes, i);
		struct json_object *text = member(c, "text");
		if (!text || !json_object_is_type(text, json_type_string))
			continue;
		const char *t = json_object_get_string(text);
		size_t tn = (size_t)json_object_get_string_len(text);
		struct json_object *range = member(c, "range");
		uint32_t start = 0, end = (uint32_t)d->text->len;
		if (range && !wl_lsp_range_offsets(d->text, range, s->enc, &start, &end))
			continue;
		/* Offsets are 32-bit: a document may not grow past 4 GiB (the
		 * linter stops at WL_MAX_FILE_SIZE long before). */
		if (d->text->len - (end - start) + tn >= UINT32_MAX) {
			fprintf(stderr,
			        "wrangler-lint --lsp: %s: change refused: the document would "
			        "be over 4 GiB\n",
			        d->uri);
			continue;
		}
		splice(d, start, end, t, tn);
	}
	int64_t v;
	if (member_int(td, "version", &v))
		d->version = v;
	if (d->kind == LSP_PROJECT)
		project_changed(s);
	mark_dirty(s, d);
}

static void
did_save(lsp_server *s, struct json_object *params)
{
	lsp_doc *d = find_doc(s, member_str(text_document(params), "uri"), NULL);
	if (!d) {
		/* Another file was saved: a config's checks may read it (source
		 * files, a $schema), so the open configs are checked again. */
		for (size_t i = 0; i < s->n_docs; i++)
			if (s->docs[i]->kind == LSP_CONFIG)
				mark_dirty(s, s->docs[i]);
		return;
	}
	struct json_object *text = member(params, "text");
	if (text && json_object_is_type(text, json_type_string)) {
		wl_source_free(d->text);
		d->text = wl_source_new(d->path, json_object_get_string(text),
		                        (size_t)json_object_get_string_len(text));
	}
	/* Saving can change what is on disk next to it (wrangler.json beside
	 * wrangler.jsonc, a $schema file, a project file). */
	if (d->kind == LSP_PROJECT)
		project_changed(s);
	mark_dirty(s, d);
}

static void
did_close(lsp_server *s, struct json_object *params)
{
	size_t index;
	lsp_doc *d = find_doc(s, member_str(text_document(params), "uri"), &index);
	if (!d)
		return;
	publish(s, d, true);
	memmove(s->docs + index, s->docs + index + 1, (s->n_docs - index - 1) * sizeof(*s->docs));
	s->n_docs--;
	bool project = d->kind == LSP_PROJECT;
	doc_free(d);
	if (project)
		project_changed(s); /* the file on disk governs again */
}

/* ---- lifecycle ---- */

static bool
offers(struct json_object *list, const char *name)
{
	if (!list || !json_object_is_type(list, json_type_array))
		return false;
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		struct json_object *v = json_object_array_get_idx(list, i);
		if (v && json_object_is_type(v, json_type_string) &&
		    strcmp(json_object_get_string(v), name) == 0)
			return true;
	}
	return false;
}

static struct json_object *
strings(const char *const *names)
{
	struct json_object *a = json_object_new_array();
	for (; *names; names++)
		json_object_array_add(a, json_object_new_string(*names));
	return a;
}

static void
initialize(lsp_server *s, struct json_object *id, struct json_object *params)
{
	struct json_object *general = member(member(params, "capabilities"), "general");
	s->enc = offers(member(general, "positionEncodings"), "utf-8") ? WL_ENC_UTF8 : WL_ENC_UTF16;
	struct json_object *dyn = member(
	    member(member(member(params, "capabilities"), "workspace"), "didChangeWatchedFiles"),
	    "dynamicRegistration");
	s->watch_files = dyn && json_object_is_type(dyn, json_type_boolean) &&
	                 json_object_get_boolean(dyn) && !s->opts.no_fs;

	struct json_object *caps = json_object_new_object();
	json_object_object_add(caps, "positionEncoding",
	                       json_object_new_string(s->enc == WL_ENC_UTF8 ? "utf-8" : "utf-16"));
	struct json_object *sync = json_object_new_object();
	json_object_object_add(sync, "openClose", json_object_new_boolean(1));
	json_object_object_add(sync, "change", json_object_new_int(2)); /* incremental */
	struct json_object *save = json_object_new_object();
	json_object_object_add(save, "includeText", json_object_new_boolean(0));
	json_object_object_add(sync, "save", save);
	json_object_object_add(caps, "textDocumentSync", sync);
	json_object_object_add(caps, "hoverProvider", json_object_new_boolean(1));
	struct json_object *ca = json_object_new_object();
	static const char *const kinds[] = {"quickfix", "source.fixAll.wrangler-lint", NULL};
	json_object_object_add(ca, "codeActionKinds", strings(kinds));
	json_object_object_add(caps, "codeActionProvider", ca);
	struct json_object *cp = json_object_new_object();
	static const char *const triggers[] = {"\"", NULL};
	json_object_object_add(cp, "triggerCharacters", strings(triggers));
	json_object_object_add(caps, "completionProvider", cp);

	struct json_object *info = json_object_new_object();
	json_object_object_add(info, "name", json_object_new_string("wrangler-lint"));
	json_object_object_add(info, "version", json_object_new_string(wl_version()));
	struct json_object *result = json_object_new_object();
	json_object_object_add(result, "capabilities", caps);
	json_object_object_add(result, "serverInfo", info);
	s->initialized = true;
	respond(s, id, result);
}

/* Asks the client to report changes to project files and configs on disk
 * (workspace/didChangeWatchedFiles), when it can register watchers. The
 * answer needs nothing: responses are ignored. */
static void
register_watchers(lsp_server *s)
{
	static const char *const globs[] = {"**/" WL_PROJECT_FILE, "**/wrangler.{json,jsonc,toml}"};
	struct json_object *watchers = json_object_new_array();
	for (size_t i = 0; i < 2; i++) {
		struct json_object *w = json_object_new_object();
		json_object_object_add(w, "globPattern", json_object_new_string(globs[i]));
		json_object_array_add(watchers, w);
	}
	struct json_object *opts = json_object_new_object();
	json_object_object_add(opts, "watchers", watchers);
	struct json_object *reg = json_object_new_object();
	json_object_object_add(reg, "id", json_object_new_string("wrangler-lint-watch"));
	json_object_object_add(reg, "method",
	                       json_object_new_string("workspace/didChangeWatchedFiles"));
	json_object_object_add(reg, "registerOptions", opts);
	struct json_object *regs = json_object_new_array();
	json_object_array_add(regs, reg);
	struct json_object *params = json_object_new_object();
	json_object_object_add(params, "registrations", regs);
	struct json_object *msg = json_object_new_object();
	json_object_object_add(msg, "id", json_object_new_string("wrangler-lint-watch"));
	json_object_object_add(msg, "method", json_object_new_string("client/registerCapability"));
	json_object_object_add(msg, "params", params);
	send_json(s, msg);
}

/* ---- dispatch ---- */

enum { REQ_CODE_ACTION, REQ_HOVER, REQ_COMPLETION };

static void
doc_request(lsp_server *s, struct json_object *id, struct json_object *params, int what)
{
	struct json_object *td = text_document(params);
	const char *uri = member_str(td, "uri");
	if (!uri) {
		respond_error(s, id, ERR_INVALID_PARAMS, "params.textDocument.uri is missing");
		return;
	}
	lsp_doc *d = find_doc(s, uri, NULL);
	if (!d) { /* not open, or not a wrangler config */
		respond(s, id, what == REQ_HOVER ? NULL : json_object_new_array());
		return;
	}
	make_current(s, d);
	respond(s, id,
	        what == REQ_HOVER        ? wl_lsp_hover(s, d, params)
	        : what == REQ_COMPLETION ? wl_lsp_completion(s, d, params)
	                                 : wl_lsp_code_actions(s, d, params));
}

static void
request(lsp_server *s, const char *method, struct json_object *id, struct json_object *params)
{
	if (strcmp(method, "initialize") == 0) {
		if (s->initialized)
			respond_error(s, id, ERR_INVALID_REQUEST,
			              "initialize may be sent only once");
		else
			initialize(s, id, params);
		return;
	}
	if (!s->initialized) {
		respond_error(s, id, ERR_NOT_INITIALIZED,
		              "the server is not initialized: send initialize first");
		return;
	}
	if (s->shutdown) {
		respond_error(s, id, ERR_INVALID_REQUEST,
		              "the server is shutting down: only exit is accepted");
		return;
	}
	if (strcmp(method, "shutdown") == 0) {
		s->shutdown = true;
		respond(s, id, NULL);
	} else if (strcmp(method, "textDocument/codeAction") == 0) {
		doc_request(s, id, params, REQ_CODE_ACTION);
	} else if (strcmp(method, "textDocument/hover") == 0) {
		doc_request(s, id, params, REQ_HOVER);
	} else if (strcmp(method, "textDocument/completion") == 0) {
		doc_request(s, id, params, REQ_COMPLETION);
	} else {
		char *m = wl_xasprintf("unknown method \"%s\"", method);
		respond_error(s, id, ERR_METHOD_NOT_FOUND, m);
		free(m);
	}
}

static void
notification(lsp_server *s, const char *method, struct json_object *params)
{
	if (strcmp(method, "exit") == 0) {
		s->exit = true;
		return;
	}
	if (strcmp(method, "initialized") == 0 && s->initialized && !s->shutdown &&
	    s->watch_files) {
		register_watchers(s);
		return;
	}
	if (!s->initialized || s->shutdown)
		return; /* the specification says to drop them */
	if (strcmp(method, "textDocument/didOpen") == 0)
		did_open(s, params);
	else if (strcmp(method, "textDocument/didChange") == 0)
		did_change(s, params);
	else if (strcmp(method, "textDocument/didSave") == 0)
		did_save(s, params);
	else if (strcmp(method, "textDocument/didClose") == 0)
		did_close(s, params);
	else if (strcmp(method, "workspace/didChangeWatchedFiles") == 0)
		project_changed(s); /* a project file or a $schema may have changed */
	/* Others (initialized, $/cancelRequest, $/setTrace, ...) need nothing. */
}

static void
handle(lsp_server *s, const char *body, size_t len)
{
	bool blank = true; /* an empty body is not JSON (but "null" is) */
	for (size_t i = 0; i < len && blank; i++)
		blank = strchr(" \t\r\n", body[i]) != NULL;
	struct json_object *msg = NULL;
	bool complete = false;
	if (!blank && len <= INT32_MAX) {
		struct json_tokener *tok = json_tokener_new_ex(64);
		json_tokener_set_flags(tok, JSON_TOKENER_VALIDATE_UTF8);
		msg = json_tokener_parse_ex(tok, body, (int)len);
		enum json_tokener_error err = json_tokener_get_error(tok);
		if (err == json_tokener_continue) {
			/* A top-level number may go on: the end of the body ends it. */
			msg = json_tokener_parse_ex(tok, "", 1);
			complete = json_tokener_get_error(tok) == json_tokener_success;
		} else if (err == json_tokener_success) {
			/* Only whitespace may follow the value. */
			complete = true;
			for (size_t i = json_tokener_get_parse_end(tok); i < len; i++)
				if (!strchr(" \t\r\n", body[i]))
					complete = false;
		}
		json_tokener_free(tok);
	}
	if (!complete) {
		json_object_put(msg);
		respond_error(s, NULL, ERR_PARSE, "the message body is not JSON");
		return;
	}
	struct json_object *id = member(msg, "id");
	struct json_object *method_v = member(msg, "method");
	struct json_object *params = member(msg, "params");
	bool has_id = msg && json_object_is_type(msg, json_type_object) &&
	              json_object_object_get_ex(msg, "id", NULL);
	if (!msg || !json_object_is_type(msg, json_type_object)) {
		respond_error(s, NULL, ERR_INVALID_REQUEST, "a message must be a JSON object");
	} else if (!method_v) {
		/* A response to a request of ours: we send none. */
	} else if (!json_object_is_type(method_v, json_type_string)) {
		respond_error(s, has_id ? id : NULL, ERR_INVALID_REQUEST,
		              "\"method\" must be a string");
	} else if (has_id && !(json_object_is_type(id, json_type_int) ||
	                       json_object_is_type(id, json_type_string))) {
		respond_error(s, NULL, ERR_INVALID_REQUEST, "\"id\" must be a number or a string");
	} else if (has_id) {
		request(s, json_object_get_string(method_v), id, params);
	} else {
		notification(s, json_object_get_string(method_v), params);
	}
	json_object_put(msg);
}

static int
serve(lsp_server *s)
{
	while (!s->exit && !s->dead) {
		int timeout = -1;
		if (s->pending && s->reader.fd < 0) {
			flush(s); /* memory input (the fuzzer): no clock, same results every run */
			continue;
		}
		if (s->pending) {
			long long now = wl_lsp_now_ms();
			long long due = s->last_change + QUIET_MS;
			if (due > s->first_pending + MAX_DELAY_MS)
				due = s->first_pending + MAX_DELAY_MS;
			if (due <= now) {
				flush(s);
				continue;
			}
			timeout = (int)(due - now);
		}
		const char *body = NULL;
		size_t len = 0;
		wl_lsp_read_status st = wl_lsp_read(&s->reader, timeout, &body, &len);
		if (st == WL_LSP_READ_EOF)
			break;
		if (st == WL_LSP_READ_TIMEOUT) {
			flush(s);
		} else if (st == WL_LSP_READ_MESSAGE) {
			handle(s, body, len);
		} else if (st == WL_LSP_READ_TOO_LARGE) {
			char *m =
			    wl_xasprintf("message refused: its body is %zu bytes, over the limit "
			                 "of %zu bytes; it is skipped",
			                 len, (size_t)WL_LSP_MAX_MESSAGE);
			fprintf(stderr, "wrangler-lint --lsp: %s\n", m);
			respond_error(s, NULL, ERR_INVALID_REQUEST, m);
			free(m);
		} else {
			static const char m[] = "message refused: its header has no valid "
			                        "Content-Length";
			fprintf(stderr, "wrangler-lint --lsp: %s\n", m);
			respond_error(s, NULL, ERR_PARSE, m);
		}
	}
	int status = s->shutdown ? 0 : 1;
	for (size_t i = 0; i < s->n_docs; i++)
		doc_free(s->docs[i]);
	free(s->docs);
	projects_forget(s);
	free(s->dirs);
	wl_linter_free(s->linter);
	wl_lsp_reader_free(&s->reader);
	wl_lsp_writer_finish(&s->writer);
	return status;
}

int
wl_lsp_run(int in_fd, int out_fd, const wl_lsp_options *opts)
{
	lsp_server s = {.enc = WL_ENC_UTF16, .linter = wl_linter_new(NULL)};
	if (opts)
		s.opts = *opts;
	wl_lsp_reader_init_fd(&s.reader, in_fd);
	wl_lsp_writer_init(&s.writer, out_fd);
	s.reader.writer = &s.writer;
	return serve(&s);
}

int
wl_lsp_run_mem(const char *data, size_t len, const wl_lsp_options *opts)
{
	lsp_server s = {.enc = WL_ENC_UTF16, .linter = wl_linter_new(NULL)};
	if (opts)
		s.opts = *opts;
	wl_lsp_reader_init_mem(&s.reader, data, len);
	wl_lsp_writer_init(&s.writer, -1);
	return serve(&s);
}
