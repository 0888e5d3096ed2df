/* The JSONC front end: tree shape, spans, recovery and every lexical error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jsonc.h"

typedef struct parsed {
	wl_doc *doc;
	wl_diag_list diags;
} parsed;

static parsed
parse(const char *text)
{
	parsed p;
	wl_diag_list_init(&p.diags);
	p.doc = wl_jsonc_parse(wl_source_new("t.jsonc", text, strlen(text)), &p.diags);
	wl_diag_list_sort(&p.diags);
	return p;
}

static parsed
parse_n(const char *text, size_t n)
{
	parsed p;
	wl_diag_list_init(&p.diags);
	p.doc = wl_jsonc_parse(wl_source_new("t.jsonc", text, n), &p.diags);
	wl_diag_list_sort(&p.diags);
	return p;
}

static void
done(parsed *p)
{
	wl_diag_list_free(&p->diags);
	wl_doc_free(p->doc);
}

static size_t
count_rule(const parsed *p, const char *id)
{
	size_t n = 0;
	for (size_t i = 0; i < p->diags.len; i++)
		if (strcmp(p->diags.items[i].rule->id, id) == 0)
			n++;
	return n;
}

static const char *
first_message(const parsed *p)
{
	return p->diags.len ? p->diags.items[0].message : "";
}

static void
test_tree_and_spans(void **state)
{
	(void)state;
	parsed p = parse("{\n  \"a\": [1, 2.5, true, null],\n  \"b\": {\"c\": \"x\"}\n}");
	assert_int_equal(p.diags.len, 0);
	const wl_node *root = p.doc->root;
	assert_true(wl_node_is(root, json_type_object));
	assert_int_equal(root->span.start, 0);
	assert_int_equal(root->span.end, strlen(p.doc->src->bytes));
	const wl_node *a = wl_node_get(root, "a");
	assert_non_null(a);
	assert_int_equal(a->key_span.start, 4);
	assert_int_equal(a->key_span.end, 7);
	assert_int_equal(a->span.start, 9);
	assert_int_equal(a->n_children, 4);
	const wl_node *null_item = a->first_child->next->next->next;
	assert_int_equal(null_item->type, json_type_null);
	assert_int_equal(null_item->span.end - null_item->span.start, 4);
	const wl_node *c = wl_node_get(wl_node_get(root, "b"), "c");
	assert_string_equal(wl_node_str(c), "x");
	char *ptr = wl_node_pointer(c, &p.doc->arena);
	assert_string_equal(ptr, "/b/c");
	ptr = wl_node_pointer(null_item, &p.doc->arena);
	assert_string_equal(ptr, "/a/3");
	done(&p);
}

static void
test_pointer_escapes(void **state)
{
	(void)state;
	parsed p = parse("{\"a/b~c\": 1}");
	char *ptr = wl_node_pointer(wl_node_get(p.doc->root, "a/b~c"), &p.doc->arena);
	assert_string_equal(ptr, "/a~1b~0c");
	done(&p);
	/* Indices of one and of several digits. */
	p = parse("{\"x\": [[0], 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, [11, 12]]}");
	const wl_node *x = wl_node_get(p.doc->root, "x");
	const wl_node *last = x->first_child;
	while (last->next)
		last = last->next;
	ptr = wl_node_pointer(x->first_child->first_child, &p.doc->arena);
	assert_string_equal(ptr, "/x/0/0");
	ptr = wl_node_pointer(last->first_child->next, &p.doc->arena);
	assert_string_equal(ptr, "/x/11/1");
	done(&p);
}

static void
test_jsonc_extensions_accepted(void **state)
{
	(void)state;
	parsed p = parse("\xEF\xBB\xBF// c\n{ /* b */ \"a\": [1, 2,], \"b\": 1, }");
	assert_int_equal(p.diags.len, 0);
	assert_int_equal(p.doc->n_comments, 2);
	assert_int_equal(p.doc->n_extensions, 4); /* 2 comments, 2 trailing commas */
	done(&p);
}

static void
test_escapes_decoded(void **state)
{
	(void)state;
	parsed p = parse("{\"k\": \"a\\n\\u00e9\\ud83d\\ude00\\/\"}");
	assert_int_equal(p.diags.len, 0);
	assert_string_equal(wl_node_str(wl_node_get(p.doc->root, "k")),
	                    "a\n\xC3\xA9\xF0\x9F\x98\x80/");
	done(&p);
}

static void
test_duplicate_key(void **state)
{
	(void)state;
	parsed p = parse("{\"a\": {\"x\": 1}, \"a\": 2}");
	assert_int_equal(count_rule(&p, "jsonc-duplicate-key"), 1);
	const wl_diag *d = &p.diags.items[0];
	assert_int_equal(d->span.start, 16);
	assert_int_equal(d->n_related, 1);
	assert_int_equal(d->related[0].span.start, 1);
	/* Last value wins, and the shadowed one is skipped in iteration. */
	const wl_node *a = wl_node_get(p.doc->root, "a");
	assert_int_equal(a->type, json_type_int);
	size_t n = 0;
	WL_NODE_FOREACH(m, p.doc->root)
	{
		n++;
		(void)m;
	}
	assert_int_equal(n, 1);
	done(&p);
}

static void
test_recovers_many_errors(void **state)
{
	(void)state;
	/* missing comma, missing colon, unquoted key, bad number, single quotes */
	parsed p = parse("{\"a\": 1 \"b\" 2, c: 3, \"d\": 01, \"e\": 'x'}");
	assert_true(count_rule(&p, "jsonc-syntax") >= 5);
	assert_non_null(wl_node_get(p.doc->root, "b"));
	assert_non_null(wl_node_get(p.doc->root, "c"));
	assert_string_equal(wl_node_str(wl_node_get(p.doc->root, "e")), "x");
	done(&p);
}

static void
test_unterminated(void **state)
{
	(void)state;
	parsed p = parse("{\"a\": \"xyz\n}");
	assert_true(count_rule(&p, "jsonc-syntax") >= 1);
	assert_non_null(strstr(first_message(&p), "unterminated string"));
	done(&p);
	p = parse("{\"a\": 1 /* never closed");
	assert_non_null(strstr(p.diags.items[0].message, "unterminated"));
	done(&p);
	p = parse("{\"a\": [1, 2");
	assert_true(count_rule(&p, "jsonc-syntax") >= 2);
	done(&p);
}

static void
test_empty_and_comment_only(void **state)
{
	(void)state;
	parsed p = parse("");
	assert_int_equal(p.diags.len, 1);
	assert_non_null(strstr(first_message(&p), "empty"));
	assert_null(p.doc->root);
	done(&p);
	p = parse("// only\n");
	assert_non_null(strstr(first_message(&p), "only comments"));
	done(&p);
}

static void
test_binary_and_nul(void **state)
{
	(void)state;
	parsed p = parse_n("{\"a\": 1}\0\0\0junk", 15);
	assert_int_equal(p.diags.len, 1);
	assert_non_null(strstr(first_message(&p), "not a text file"));
	assert_int_equal(p.diags.items[0].span.start, 8);
	done(&p);
	p = parse_n("{\"a\": \"x\0y\"}", 12);
	/* a short file with one NUL is still reported at the NUL */
	assert_int_equal(p.diags.items[0].span.start, 8);
	done(&p);
}

static void
test_control_and_utf8_in_string(void **state)
{
	(void)state;
	parsed p = parse("{\"a\": \"x\001y\", \"b\": \"\xFF\"}");
	assert_int_equal(count_rule(&p, "jsonc-syntax"), 2);
	assert_non_null(strstr(p.diags.items[0].message, "control character U+0001"));
	assert_non_null(strstr(p.diags.items[1].message, "invalid UTF-8"));
	assert_string_equal(wl_node_str(wl_node_get(p.doc->root, "b")), "\xEF\xBF\xBD");
	done(&p);
}

static void
test_lone_surrogates(void **state)
{
	(void)state;
	/* wrangler accepts them: warnings, not syntax errors; U+FFFD in the value. */
	parsed p = parse("{\"a\": \"\\ud800x\", \"b\": \"\\udc00\"}");
	assert_int_equal(count_rule(&p, "jsonc-syntax"), 0);
	assert_int_equal(count_rule(&p, "jsonc-lone-surrogate"), 2);
	assert_int_equal(p.diags.items[0].severity, WL_SEV_WARNING);
	assert_false(p.doc->syntax_errors);
	assert_non_null(strstr(p.diags.items[0].message, "lone surrogate"));
	assert_int_equal(p.diags.items[0].span.start, 7);
	assert_int_equal(p.diags.items[0].span.end, 13);
	assert_string_equal(wl_node_str(wl_node_get(p.doc->root, "a")), "\xEF\xBF\xBDx");
	assert_string_equal(wl_node_str(wl_node_get(p.doc->root, "b")), "\xEF\xBF\xBD");
	done(&p);
}

static void
test_bad_escapes(void **state)
{
	(void)state;
	parsed p = parse("{\"a\": \"\\x41\", \"b\": \"\\u12\"}");
	assert_int_equal(count_rule(&p, "jsonc-syntax"), 2);
	done(&p);
	/* A backslash before an undecodable byte: U+FFFD keeps the value UTF-8. */
	p = parse("{\"a\": \"x\\\xFFy\", \"b\": \"\\\xC3\xA9\"}");
	assert_int_equal(count_rule(&p, "jsonc-syntax"), 2);
	assert_string_equal(wl_node_str(wl_node_get(p.doc->root, "a")), "x\xEF\xBF\xBDy");
	assert_string_equal(wl_node_str(wl_node_get(p.doc->root, "b")), "\xC3\xA9");
	done(&p);
}

static void
test_number_range(void **state)
{
	(void)state;
	parsed p = parse(
	    "{\"a\": 1e999, \"b\": 123456789012345678901234567890, \"c\": "
	    "9007199254740993, \"d\": -9223372036854775808, \"e\": 1.5e3, \"f\": 1e-400, \"g\": "
	    "9007199254740994}");
	assert_int_equal(count_rule(&p, "jsonc-number-range"), 4);
	assert_int_equal(count_rule(&p, "jsonc-syntax"), 0);
	assert_non_null(strstr(p.diags.items[0].message, "Infinity"));
	done(&p);
}

static void
test_bad_numbers(void **state)
{
	(void)state;
	const char *bad[] = {"{\"a\": 01}",   "{\"a\": 1.}",  "{\"a\": .5}",
	                     "{\"a\": +1}",   "{\"a\": 1e}",  "{\"a\": -}",
	                     "{\"a\": 0x10}", "{\"a\": NaN}", "{\"a\": -Infinity}"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		parsed p = parse(bad[i]);
		assert_int_equal(count_rule(&p, "jsonc-syntax"), 1);
		done(&p);
	}
}

static void
test_depth_limit(void **state)
{
	(void)state;
	size_t depth = 100000;
	char *text = malloc(depth * 2 + 1);
	memset(text, '[', depth);
	memset(text + depth, ']', depth);
	text[depth * 2] = '\0';
	parsed p = parse(text);
	assert_int_equal(count_rule(&p, "jsonc-nesting-too-deep"), 1);
	assert_int_equal(count_rule(&p, "jsonc-syntax"), 1); /* the root is not an object */
	done(&p);
	free(text);
}

static void
test_error_cap(void **state)
{
	(void)state;
	size_t n = 5000;
	char *text = malloc(n * 3 + 3);
	strcpy(text, "[");
	for (size_t i = 0; i < n; i++)
		strcat(text + i * 2, "@,");
	strcat(text, "]");
	parsed p = parse(text);
	assert_int_equal(count_rule(&p, "jsonc-syntax"), WL_MAX_SYNTAX_ERRORS + 1);
	done(&p);
	free(text);
}

static void
test_trailing_content(void **state)
{
	(void)state;
	parsed p = parse("{} {}");
	assert_int_equal(p.diags.len, 1);
	assert_non_null(strstr(first_message(&p), "after the end"));
	done(&p);
}

static void
test_wrong_closer_recovery(void **state)
{
	(void)state;
	parsed p = parse("{\"a\": [1, 2}, \"b\": 3}");
	assert_int_equal(count_rule(&p, "jsonc-syntax"), 1);
	assert_non_null(wl_node_get(p.doc->root, "b"));
	done(&p);
}

/* Hostile shapes that must stay linear (meson's timeout catches a regression). */
static void
test_many_duplicate_nulls(void **state)
{
	(void)state;
	size_t n = 200000;
	char *text = malloc(n * 11 + 3);
	char *w = text;
	*w++ = '{';
	for (size_t i = 0; i < n; i++) {
		memcpy(w, "\"a\": null,", 10);
		w += 10;
	}
	*w++ = '}';
	*w = '\0';
	parsed p = parse(text);
	assert_int_equal(count_rule(&p, "jsonc-duplicate-key"), WL_DIAG_LIST_MAX);
	assert_int_equal(p.diags.dropped, n - 1 - WL_DIAG_LIST_MAX);
	done(&p);
	free(text);
}

/* Unclosed nesting at the end of the file repeats one error per level: the
 * repeats are not shown, so they do not count toward the limit. */
static void
test_too_many_only_when_reported(void **state)
{
	(void)state;
	char text[400] = "{\"a\": ";
	memset(text + 6, '[', 300);
	text[306] = '\0';
	parsed p = parse(text);
	for (size_t i = 0; i < p.diags.len; i++)
		assert_null(strstr(p.diags.items[i].message, "too many"));
	assert_int_equal(count_rule(&p, "jsonc-syntax"), 2);
	done(&p);
	/* 150 distinct errors: the limit applies. */
	char many[2000] = "{";
	for (int i = 0; i < 150; i++)
		strcat(many, "'k': 1,\n");
	strcat(many, "}");
	p = parse(many);
	assert_int_equal(count_rule(&p, "jsonc-syntax"), 101);
	size_t too_many = 0;
	for (size_t i = 0; i < p.diags.len; i++)
		too_many += strstr(p.diags.items[i].message, "too many syntax errors") != NULL;
	assert_int_equal(too_many, 1);
	done(&p);
}

/* A junk value is read to stay in step and discarded: no duplicate keys
 * reported inside it (their pointers would name nothing in the tree). */
static void
test_junk_value_no_duplicates(void **state)
{
	(void)state;
	parsed p = parse("{ \"a\": 1, 2 {\"x\": 1, \"x\": 2} }");
	assert_int_equal(count_rule(&p, "jsonc-duplicate-key"), 0);
	assert_true(count_rule(&p, "jsonc-syntax") > 0);
	assert_null(wl_node_get(p.doc->root, "x"));
	done(&p);
}

static void
test_utf16(void **state)
{
	(void)state;
	static const char le_bom[] = "\xFF\xFE{\0}\0";
	static const char be[] = "\0{\0\"\0a\0\"\0:\0 \0"
	                         "1\0}";
	static const char le[] = "{\0\"\0a\0\"\0:\0 \0"
	                         "1\0}\0";
	const char *texts[] = {le_bom, be, le};
	size_t lens[] = {sizeof(le_bom) - 1, sizeof(be) - 1, sizeof(le) - 1};
	const char *want[] = {"little-endian, with a byte order mark", "big-endian",
	                      "little-endian"};
	for (int i = 0; i < 3; i++) {
		parsed p = parse_n(texts[i], lens[i]);
		assert_int_equal(p.diags.len, 1);
		assert_non_null(strstr(p.diags.items[0].message, "looks like UTF-16"));
		assert_non_null(strstr(p.diags.items[0].message, want[i]));
		assert_non_null(strstr(p.diags.items[0].message, "must be UTF-8"));
		assert_null(strstr(p.diags.items[0].message, "NUL byte"));
		done(&p);
	}
	/* A NUL in a UTF-8 file is still "not a text file". */
	parsed p = parse_n("{\"a\": \"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\"}", 26);
	assert_null(strstr(first_message(&p), "UTF-16"));
	done(&p);
}

/* The front end alone reports exactly what the whole parse does and builds
 * the same tree, without values; the document stage then gives every node
 * the value the text means: last duplicate wins in small objects (members
 * scanned) and large ones (indexed), a \u0000 survives in the json-c string,
 * numbers keep their int or double type. */
static void
test_tree_stage_and_values(void **state)
{
	(void)state;
	static const char *const inputs[] = {
	    "{\"a\": 1, \"a\": [true, null, -0.5e3], \"s\": \"x\\u0000y\", \"n\": "
	    "9007199254740993}",
	    "{\"k0\":0,\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7,\"k8\":8,"
	    "\"k9\":9,\"k1\":\"again\",\"k9\":null,\"k0\":{}}",
	    "{ a: 1, 'b': 2, \"c\" 3 \"d\": , \"e\": [1 2], x }",
	    "{\"v\": [[[{\"z\": \"\\u0000\"}]]], \"big\": 123456789012345678901234567890}",
	};
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		parsed whole = parse(inputs[i]);
		parsed tree;
		wl_diag_list_init(&tree.diags);
		tree.doc = wl_jsonc_parse_tree(
		    wl_source_new("t.jsonc", inputs[i], strlen(inputs[i])), &tree.diags);
		wl_diag_list_sort(&tree.diags);
		assert_null(tree.doc->root_value);
		assert_null(wl_doc_check(tree.doc));
		assert_null(wl_doc_check(whole.doc));
		assert_int_equal(tree.diags.len, whole.diags.len);
		for (size_t k = 0; k < whole.diags.len; k++) {
			assert_string_equal(tree.diags.items[k].message,
			                    whole.diags.items[k].message);
			assert_int_equal(tree.diags.items[k].span.start,
			                 whole.diags.items[k].span.start);
		}
		const wl_node *a = whole.doc->root, *b = tree.doc->root;
		assert_int_equal(a->n_children, b->n_children);
		for (a = a->first_child, b = b->first_child; a && b; a = a->next, b = b->next) {
			assert_int_equal(a->type, b->type);
			assert_int_equal(a->flags, b->flags);
			assert_int_equal(a->span.start, b->span.start);
			assert_null(b->value);
		}
		done(&tree);
		done(&whole);
	}

	parsed p = parse(inputs[0]);
	struct json_object *v = NULL;
	assert_true(json_object_object_get_ex(p.doc->root_value, "a", &v));
	assert_int_equal(json_object_get_type(v), json_type_array);
	assert_int_equal(json_object_get_type(json_object_array_get_idx(v, 2)), json_type_double);
	assert_true(json_object_object_get_ex(p.doc->root_value, "s", &v));
	assert_int_equal(json_object_get_string_len(v), 3);
	assert_memory_equal(json_object_get_string(v), "x\0y", 3);
	assert_true(json_object_object_get_ex(p.doc->root_value, "n", &v));
	assert_int_equal(json_object_get_int64(v), 9007199254740993LL);
	assert_int_equal(json_object_object_length(p.doc->root_value), 3);
	done(&p);

	p = parse(inputs[1]);
	assert_int_equal(json_object_object_length(p.doc->root_value), 10);
	assert_true(json_object_object_get_ex(p.doc->root_value, "k1", &v));
	assert_string_equal(json_object_get_string(v), "again");
	assert_true(json_object_object_get_ex(p.doc->root_value, "k9", &v));
	assert_null(v);
	assert_true(json_object_object_get_ex(p.doc->root_value, "k0", &v));
	assert_int_equal(json_object_get_type(v), json_type_object);
	assert_int_equal(count_rule(&p, "jsonc-duplicate-key"), 3);
	/* The shadowed members keep values of their own (the document holds them). */
	const wl_node *first = p.doc->root->first_child;
	assert_true(first->flags & WL_NODE_SHADOWED);
	assert_int_equal(json_object_get_int(first->value), 0);
	done(&p);

	p = parse(inputs[3]);
	assert_true(json_object_object_get_ex(p.doc->root_value, "big", &v));
	assert_int_equal(json_object_get_type(v), json_type_double);
	done(&p);
}

/* The lexer scans eight bytes at a time: whatever stops a run (an escape,
 * a non-ASCII byte, a control character, the quote; CR or LF ending a line
 * comment; a non-space in indentation) is found at every offset within and
 * across words. */
static void
test_word_scans_at_every_offset(void **state)
{
	(void)state;
	for (int k = 0; k <= 40; k++) {
		char text[160], want[96];
		const char *pad = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
		/* an escape */
		snprintf(text, sizeof(text), "{\"s\": \"%.*s\\n%.*s\"}", k, pad, 40 - k, pad);
		snprintf(want, sizeof(want), "%.*s\n%.*s", k, pad, 40 - k, pad);
		parsed p = parse(text);
		assert_int_equal(p.diags.len, 0);
		assert_string_equal(wl_node_str(wl_node_get(p.doc->root, "s")), want);
		done(&p);
		/* a UTF-8 character */
		snprintf(text, sizeof(text), "{\"s\": \"%.*s\xC3\xA9%.*s\"}", k, pad, 40 - k, pad);
		p = parse(text);
		assert_int_equal(p.diags.len, 0);
		assert_int_equal(strlen(wl_node_str(wl_node_get(p.doc->root, "s"))), 42);
		done(&p);
		/* a control character: one error, at its offset */
		snprintf(text, sizeof(text), "{\"s\": \"%.*s\x01%.*s\"}", k, pad, 40 - k, pad);
		p = parse(text);
		assert_int_equal(count_rule(&p, "jsonc-syntax"), 1);
		assert_int_equal(p.diags.items[0].span.start, 7 + k);
		done(&p);
		/* the closing quote */
		snprintf(text, sizeof(text), "{\"s\": \"%.*s\", \"t\": 1}", k, pad);
		p = parse(text);
		assert_int_equal(p.diags.len, 0);
		assert_int_equal(strlen(wl_node_str(wl_node_get(p.doc->root, "s"))), (size_t)k);
		done(&p);
		/* a line comment ended by CR, then by LF */
		snprintf(text, sizeof(text), "{ // %.*s\r\"a\": 1, // %.*s\n\"b\": 2}", k, pad, k,
		         pad);
		p = parse(text);
		assert_int_equal(p.diags.len, 0);
		assert_int_equal(p.doc->n_comments, 2);
		assert_int_equal(p.doc->comments[0].end, 5 + (uint32_t)k);
		assert_non_null(wl_node_get(p.doc->root, "b"));
		done(&p);
		/* mixed whitespace, then a form feed (an error) at offset k */
		char ws[48];
		for (int w = 0; w < 44; w++)
			ws[w] = " \n\t\r"[w % 4];
		snprintf(text, sizeof(text), "{%.*s\f%.*s\"a\": 1}", k, ws, 44 - k, ws);
		p = parse(text);
		assert_int_equal(count_rule(&p, "jsonc-syntax"), 1);
		assert_int_equal(p.diags.items[0].span.start, 1 + (uint32_t)k);
		assert_int_equal(wl_node_get(p.doc->root, "a")->key_span.start, 46);
		done(&p);
		/* a NUL byte after k printable bytes: not a text file, said at k */
		memset(text, 'b', 2 + (size_t)k + 40);
		memcpy(text, "{\"", 2);
		text[2 + k] = '\0';
		p = parse_n(text, 2 + (size_t)k + 40);
		assert_int_equal(p.diags.len, 1);
		assert_non_null(strstr(first_message(&p), "not a text file (NUL byte at byte"));
		assert_int_equal(p.diags.items[0].span.start, 2 + (uint32_t)k);
		done(&p);
		/* indentation of k spaces, then a tab, then more spaces */
		snprintf(text, sizeof(text), "{\n%*s\t%*s\"a\": 1}", k, "", 40 - k, "");
		p = parse(text);
		assert_int_equal(p.diags.len, 0);
		assert_int_equal(wl_node_get(p.doc->root, "a")->key_span.start, 2 + 41);
		done(&p);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tree_and_spans),
	    cmocka_unit_test(test_pointer_escapes),
	    cmocka_unit_test(test_jsonc_extensions_accepted),
	    cmocka_unit_test(test_escapes_decoded),
	    cmocka_unit_test(test_duplicate_key),
	    cmocka_unit_test(test_recovers_many_errors),
	    cmocka_unit_test(test_unterminated),
	    cmocka_unit_test(test_empty_and_comment_only),
	    cmocka_unit_test(test_binary_and_nul),
	    cmocka_unit_test(test_control_and_utf8_in_string),
	    cmocka_unit_test(test_lone_surrogates),
	    cmocka_unit_test(test_too_many_only_when_reported),
	    cmocka_unit_test(test_junk_value_no_duplicates),
	    cmocka_unit_test(test_utf16),
	    cmocka_unit_test(test_bad_escapes),
	    cmocka_unit_test(test_number_range),
	    cmocka_unit_test(test_bad_numbers),
	    cmocka_unit_test(test_depth_limit),
	    cmocka_unit_test(test_error_cap),
	    cmocka_unit_test(test_trailing_content),
	    cmocka_unit_test(test_wrong_closer_recovery),
	    cmocka_unit_test(test_many_duplicate_nulls),
	    cmocka_unit_test(test_tree_stage_and_values),
	    cmocka_unit_test(test_word_scans_at_every_offset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
