/* baseline-jsonc: the whole-process baseline for the benchmark.
 *
 *   baseline-jsonc FILE
 *
 * Reads FILE, parses it with json-c's own tokener in its default (non-strict)
 * mode, which accepts comments and trailing commas, frees the tree and exits
 * 0; exits 1 when the file cannot be read or does not parse. It does the least
 * a JSONC-reading tool can do, so wrangler-lint's whole-process time is
 * compared against it. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *
read_file(const char *path, size_t *len_out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (len < cap) {
			if (ferror(f)) {
				free(buf);
				buf = NULL;
			}
			break;
		}
		char *bigger = realloc(buf, cap * 2);
		if (!bigger) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = bigger;
		cap *= 2;
	}
	fclose(f);
	*len_out = len;
	return buf;
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: baseline-jsonc FILE\n");
		return 2;
	}
	size_t len;
	char *buf = read_file(argv[1], &len);
	if (!buf) {
		perror(argv[1]);
		return 1;
	}
	if (len > 0x7fffffff) {
		fprintf(stderr, "%s: too large for json_tokener\n", argv[1]);
		free(buf);
		return 1;
	}
	json_tokener *tok = json_tokener_new();
	if (!tok) {
		fprintf(stderr, "out of memory\n");
		free(buf);
		return 1;
	}
	json_object *root = json_tokener_parse_ex(tok, buf, (int)len);
	enum json_tokener_error err = json_tokener_get_error(tok);
	int ok = root != NULL && err == json_tokener_success;
	if (!ok)
		fprintf(stderr, "%s: parse failed at byte %zu: %s\n", argv[1],
		        json_tokener_get_parse_end(tok), json_tokener_error_desc(err));
	json_object_put(root);
	json_tokener_free(tok);
	free(buf);
	return ok ? 0 : 1;
}
