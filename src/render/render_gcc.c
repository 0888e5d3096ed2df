/* The gcc format: one `path:line:col: severity: message [rule-id]` line per
 * diagnostic, for editors and tools that parse compiler output. No frames,
 * notes, colour or summary; user text is escaped and long quoted values cut
 * as in the text format. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "render_impl.h"

static void
gcc_file(wl_renderer *r, wl_source *src, const wl_diag_list *diags)
{
	size_t shown = wl_render_shown(&r->opts, diags);
	for (size_t i = 0; i < shown; i++) {
		const wl_diag *d = &diags->items[i];
		wl_source *dsrc = wl_render_src(d->src, src);
		wl_position pos = wl_render_position(r, dsrc, d->span.start, NULL);
		wl_render_escaped(r->out, dsrc->path, strlen(dsrc->path));
		fprintf(r->out, ":%" PRIu32 ":%" PRIu32 ": %s: ", pos.line, pos.column,
		        wl_severity_name(d->severity));
		char *msg = wl_render_shorten(d->message);
		wl_render_escaped(r->out, msg, strlen(msg));
		free(msg);
		fprintf(r->out, " [%s]\n", d->rule->id);
	}
}

static void
gcc_finish(wl_renderer *r, const wl_summary *summary)
{
	(void)r;
	(void)summary;
}

const wl_render_ops wl_render_gcc_ops = {NULL, gcc_file, gcc_finish, NULL};
