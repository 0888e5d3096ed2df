/* libFuzzer target: bytes as a user schema. The input is compiled with
 * wl_schema_compile (the path a config's "$schema" takes); when it holds a
 * NUL byte, what follows it is the instance, else a fixed config is. Every
 * schema must compile or be refused, and validation must finish within its
 * budget, whatever the schema's cycles, alternatives or patterns. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonc.h"
#include "schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char sample[] =
    "{\"name\": \"app\", \"main\": \"src/index.ts\", \"compatibility_date\": \"2025-09-01\",\n"
    " \"vars\": {\"A\": \"1\", \"B\": {\"c\": [1, 2.5, null, true]}},\n"
    " \"durable_objects\": {\"bindings\": [{\"name\": \"R\", \"class_name\": \"Room\"}]},\n"
    " \"migrations\": [{\"tag\": \"v1\", \"new_sqlite_classes\": [\"Room\"]}],\n"
    " \"env\": {\"staging\": {\"name\": \"app-staging\", \"routes\": [\"a.example.com/*\"]}}}";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *bytes = (const char *)data;
	const char *nul = memchr(bytes, '\0', size);
	size_t schema_len = nul ? (size_t)(nul - bytes) : size;
	const char *inst = nul ? nul + 1 : sample;
	size_t inst_len = nul ? size - schema_len - 1 : strlen(sample);
	char *error = NULL;
	wl_schema *s = wl_schema_compile("fuzz.schema", bytes, schema_len, &error);
	free(error);
	if (!s)
		return 0;
	wl_diag_list diags;
	wl_diag_list_init(&diags);
	wl_doc *doc = wl_jsonc_parse(wl_source_new("i.jsonc", inst, inst_len), &diags);
	wl_schema_issues out = {0};
	wl_schema_validate(s, doc->root, wl_schema_default_budget(inst_len), &out);
	for (size_t i = 0; i < out.len; i++)
		if (!out.items[i].message || !out.items[i].at)
			abort();
	wl_schema_issues_free(&out);
	wl_diag_list_free(&diags);
	wl_doc_free(doc);
	wl_schema_release(s);
	return 0;
}
