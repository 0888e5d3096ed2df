/* The gcc format: one `path:line:col: severity: message [rule-id]` line per
 * diagnostic, for editors and tools that parse compiler output. No frames,
 * notes, colour or summary; user text is escaped as in the text format. */
#include <inttypes.h>
#include <string.h>

#include "render_impl.h"

static void
gcc_file(wl_renderer *r, wl_source *src, const wl_diag_list *diags)
{
	size_t shown = wl_render_shown(&r->opts, diags);
	for (size_t i = 0; i < shown; i++) {
		const wl_diag *d = &diags->items[i];
		wl_source *dsrc = wl_render_src(d->src, src);
		wl_position pos = wl_source_position(dsrc, d->span.start);
		wl_render_escaped(r->out, dsrc->path, strlen(dsrc->path));
		fprintf(r->out, ":%" PRIu32 ":%" PRIu32 ": %s: ", pos.line, pos.column,
		        wl_severity_name(d->severity));
		wl_render_escaped(r->out, d->message, strlen(d->message));
		fprintf(r->out, " [%s]\n", d->rule->id);
	}
}

static void
gcc_finish(wl_renderer *r, const wl_summary *summary)
{
	(void)r;
	(void)summary;
}

const wl_render_ops wl_render_gcc_ops = {NULL, gcc_file, gcc_finish};
