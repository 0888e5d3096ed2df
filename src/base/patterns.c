#include "patterns.h"

#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* ECMAScript's ID_Start and ID_Continue, expressed with Unicode properties. */
static const char js_identifier_re[] =
    "^[\\p{L}\\p{Nl}$_][\\p{L}\\p{Nl}\\p{Mn}\\p{Mc}\\p{Nd}\\p{Pc}$_\\x{200C}\\x{200D}]*$";

/* Compiled once, under pthread_once, and never changed: a compiled PCRE2
 * pattern may be shared by threads; match data may not, so each call makes
 * its own. The pattern lives until the process ends (no atexit in library
 * code). */
static pcre2_code *js_identifier;
static pthread_once_t js_identifier_once = PTHREAD_ONCE_INIT;

static pcre2_code *
compile(const char *re)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *code =
	    pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
	                  PCRE2_UTF | PCRE2_UCP | PCRE2_DOLLAR_ENDONLY, &err, &off, NULL);
	if (!code) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(err, msg, sizeof(msg));
		fprintf(stderr, "wrangler-lint: built-in pattern does not compile at %zu: %s\n",
		        (size_t)off, (const char *)msg);
		abort();
	}
	pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* optional speed-up; failure is fine */
	return code;
}

static void
compile_js_identifier(void)
{
	js_identifier = compile(js_identifier_re);
}

/* Nearly every name is ASCII: answer those without the regex engine. */
static int
ascii_identifier(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	if (!*p)
		return 0;
	for (size_t i = 0; p[i]; i++) {
		unsigned char c = p[i];
		if (c >= 0x80)
			return -1; /* needs the Unicode tables */
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
		          c == '$' || (i > 0 && c >= '0' && c <= '9');
		if (!ok)
			return 0;
	}
	return 1;
}

bool
wl_is_js_identifier(const char *s)
{
	int ascii = ascii_identifier(s);
	if (ascii >= 0)
		return ascii == 1;
	pthread_once(&js_identifier_once, compile_js_identifier);
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	if (!md)
		wl_oom();
	/* Strings come from our parser, which guarantees valid UTF-8; the
	 * check stays on anyway because a NUL escape can shorten a string. */
	int rc = pcre2_match(js_identifier, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL);
	pcre2_match_data_free(md);
	return rc >= 0;
}
