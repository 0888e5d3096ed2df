/* libFuzzer target: --fix on arbitrary bytes, safe and unsafe. Every fix a
 * diagnostic carries must apply (its edits inside the text, not overlapping)
 * and the loop must end; the fixed text is linted again inside wl_fix_run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fix.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wl_lint_options opts = {.check_siblings = false, .no_user_schema = true};
	for (int unsafe = 0; unsafe < 2; unsafe++) {
		wl_fix_result *r =
		    wl_fix_run("wrangler.jsonc", (const char *)data, size, &opts, unsafe != 0);
		const wl_diag_list *l = &r->lint->diags;
		for (size_t i = 0; i < l->len; i++) {
			const wl_diag *d = &l->items[i];
			if (!d->n_fix || (d->src && d->src != r->lint->doc->src))
				continue;
			size_t n;
			char *out = wl_fix_apply_edits(r->text, r->len, d->fix, d->n_fix, &n);
			if (!out) {
				fprintf(stderr, "%s: a fix that cannot be applied\n", d->rule->id);
				abort();
			}
			free(out);
		}
		wl_fix_result_free(r);
	}
	return 0;
}
