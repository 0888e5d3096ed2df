/* Name patterns checked with PCRE2 (compiled once per process, on first use).
 * A built-in pattern that fails to compile is a programming error: abort. */
#ifndef WL_PATTERNS_H
#define WL_PATTERNS_H

#include <stdbool.h>

/* A JavaScript IdentifierName (Unicode ID_Start / ID_Continue, '$', '_'):
 * what `export class NAME` and `env.NAME` accept. */
bool wl_is_js_identifier(const char *s);

#endif
