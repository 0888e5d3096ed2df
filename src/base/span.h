/* wl_span: the one position type passed between modules.
 * Byte offsets into a wl_source, end exclusive. Lines and columns are derived
 * from it only when something is shown to a person (see source.h). */
#ifndef WL_SPAN_H
#define WL_SPAN_H

#include <stdint.h>

typedef struct wl_span {
	uint32_t start;
	uint32_t end;
} wl_span;

static inline wl_span
wl_span_make(uint32_t start, uint32_t end)
{
	wl_span s = {start, end};
	return s;
}

#endif
