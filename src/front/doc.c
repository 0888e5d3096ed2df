#include "doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
wl_doc_free(wl_doc *doc)
{
	if (!doc)
		return;
	json_object_put(doc->root_value);
	for (size_t i = 0; i < doc->n_orphans; i++)
		json_object_put(doc->orphans[i]);
	free(doc->orphans);
	free(doc->comments);
	wl_arena_free(&doc->arena);
	wl_source_free(doc->src);
	free(doc);
}

const wl_node *
wl_node_first(const wl_node *n)
{
	if (!n)
		return NULL;
	const wl_node *c = n->first_child;
	while (c && (c->flags & WL_NODE_SHADOWED))
		c = c->next;
	return c;
}

const wl_node *
wl_node_next(const wl_node *n)
{
	const wl_node *c = n->next;
	while (c && (c->flags & WL_NODE_SHADOWED))
		c = c->next;
	return c;
}

const wl_node *
wl_node_get(const wl_node *obj, const char *key)
{
	if (!wl_node_is(obj, json_type_object) || !obj->value)
		return NULL;
	if (obj->n_children <= 8) {
		/* Small objects (most of a config): comparing a few keys beats
		 * hashing; the last match is the effective member. */
		const wl_node *found = NULL;
		WL_NODE_FOREACH(c, obj)
		{
			if (c->key[0] == key[0] && strcmp(c->key, key) == 0)
				found = c;
		}
		return found;
	}
	struct json_object *v;
	if (!json_object_object_get_ex(obj->value, key, &v))
		return NULL;
	if (v)
		return wl_node_of(v);
	/* A null member has no json-c object to carry its node: scan. */
	const wl_node *found = NULL;
	WL_NODE_FOREACH(c, obj)
	{
		if (strcmp(c->key, key) == 0)
			found = c;
	}
	return found;
}

void
wl_node_fields(const wl_node *obj, const char *const *keys, const wl_node **out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = NULL;
	if (!wl_node_is(obj, json_type_object))
		return;
	WL_NODE_FOREACH(c, obj)
	{
		for (size_t i = 0; i < n; i++)
			if (c->key[0] == keys[i][0] && strcmp(c->key, keys[i]) == 0)
				out[i] = c;
	}
}

const char *
wl_node_str(const wl_node *n)
{
	return wl_node_is(n, json_type_string) ? n->str : NULL;
}

const char *
wl_node_type_name(const wl_node *n)
{
	if (!n)
		return "nothing";
	if (n->flags & WL_NODE_DATETIME)
		return "TOML date";
	switch ((enum json_type)n->type) {
	case json_type_object:
		return "object";
	case json_type_array:
		return "array";
	case json_type_string:
		return "string";
	case json_type_int:
	case json_type_double:
		return "number";
	case json_type_boolean:
		return "boolean";
	case json_type_null:
		return "null";
	}
	return "value";
}

wl_span
wl_node_key_or_value_span(const wl_node *n)
{
	return n->key ? n->key_span : n->span;
}

static size_t
pointer_escape(char *out, const char *seg)
{
	size_t n = 0;
	for (const char *p = seg; *p; p++) {
		if (*p == '~' || *p == '/') {
			if (out) {
				out[n] = '~';
				out[n + 1] = *p == '~' ? '0' : '1';
			}
			n += 2;
		} else {
			if (out)
				out[n] = *p;
			n++;
		}
	}
	return n;
}

/* The decimal digits of an array index, written at the end of buf[10]
 * (formatting is a hot path for hostile files: one pointer per duplicate
 * key); returns the number of digits. */
static size_t
index_digits(uint32_t v, char buf[10])
{
	size_t n = 0;
	do {
		buf[9 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return n;
}

char *
wl_node_pointer(const wl_node *n, wl_arena *arena)
{
	if (!arena)
		return NULL;
	/* Two passes over the ancestors: measure, then fill from the end. */
	size_t total = 0;
	char num[10];
	for (const wl_node *p = n; p && p->parent; p = p->parent)
		total += 1 + (p->key ? pointer_escape(NULL, p->key) : index_digits(p->index, num));
	/* In the arena: a hostile file makes one per duplicate key, and a
	 * malloc and free each were a third of the front end's allocations. */
	char *out = wl_arena_take(arena, total + 1);
	out[total] = '\0';
	size_t at = total;
	for (const wl_node *p = n; p && p->parent; p = p->parent) {
		size_t len;
		if (p->key) {
			len = pointer_escape(NULL, p->key);
			pointer_escape(out + at - len, p->key);
		} else {
			len = index_digits(p->index, num);
			memcpy(out + at - len, num + 10 - len, len);
		}
		at -= len;
		out[--at] = '/';
	}
	return out;
}

/* The node's json-c value: there exactly when the document has values and
 * the node is not null, pointing back at the node, of the node's type, and
 * holding what the node's children hold. */
static const char *
check_value(const wl_node *n, bool values)
{
	struct json_object *v = n->value;
	if (!values || n->type == json_type_null)
		return v ? "a node has a value it should not have" : NULL;
	if (!v)
		return "a node lacks its value";
	if (json_object_get_userdata(v) != n)
		return "a value's userdata is not its node";
	if (json_object_get_type(v) != (enum json_type)n->type)
		return "a value's type is not its node's";
	if (n->type == json_type_array) {
		if (json_object_array_length(v) != n->n_children)
			return "an array value's length is not its node's child count";
		for (const wl_node *c = n->first_child; c; c = c->next)
			if (json_object_array_get_idx(v, c->index) != c->value)
				return "an array value's item is not its node's";
	} else if (n->type == json_type_object && !(n->flags & WL_NODE_DATETIME)) {
		int effective = 0;
		for (const wl_node *c = n->first_child; c; c = c->next) {
			if (c->flags & WL_NODE_SHADOWED)
				continue;
			effective++;
			struct json_object *m = NULL;
			if (!json_object_object_get_ex(v, c->key, &m) || m != c->value)
				return "an object value's member is not its node's";
		}
		if (json_object_object_length(v) != effective)
			return "an object value's size is not its node's member count";
	}
	return NULL;
}

static const char *
check_node(const wl_node *n, size_t len, bool values)
{
	if (n->span.start > n->span.end || n->span.end > len)
		return "a value's span is reversed or past the end of the file";
	if (n->key && n->parent) {
		if (n->key_span.start > n->key_span.end || n->key_span.end > n->span.start)
			return "a member's key does not end before its value";
		if (n->key_span.start < n->parent->span.start)
			return "a member's key starts before its object";
	}
	if (n->parent && (n->span.start < n->parent->span.start ||
	                  (n->span.end > n->parent->span.end && n->parent->span.end > 0)))
		return "a child's span is outside its parent's";
	uint32_t count = 0;
	uint32_t prev = 0;
	for (const wl_node *c = n->first_child; c; c = c->next) {
		if (c->parent != n)
			return "a child's parent link is wrong";
		uint32_t at = c->key ? c->key_span.start : c->span.start;
		if (at < prev)
			return "children are not in source order";
		prev = c->span.end;
		count++;
	}
	if (count != n->n_children)
		return "a node's child count is wrong";
	return check_value(n, values);
}

const char *
wl_doc_check(const wl_doc *doc)
{
	if (!doc->root)
		return NULL;
	if (doc->root->parent)
		return "the root has a parent";
	size_t len = doc->src ? doc->src->len : 0;
	/* Depth-first along first_child / next / parent links, no stack. */
	const wl_node *n = doc->root;
	while (n) {
		const char *why = check_node(n, len, doc->root_value != NULL);
		if (why)
			return why;
		if (n->first_child) {
			n = n->first_child;
			continue;
		}
		while (n && n != doc->root && !n->next)
			n = n->parent;
		if (!n || n == doc->root)
			break;
		n = n->next;
	}
	return NULL;
}

char *
wl_doc_text(wl_doc *doc, const char *str, size_t len)
{
	if (!memchr(str, '\0', len))
		return wl_arena_strndup(&doc->arena, str, len);
	size_t nuls = 0;
	for (size_t i = 0; i < len; i++)
		nuls += str[i] == '\0';
	char *out = wl_arena_take(&doc->arena, len + 2 * nuls + 1);
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (str[i]) {
			out[o++] = str[i];
		} else {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
		}
	}
	out[o] = '\0';
	return out;
}
