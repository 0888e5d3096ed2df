/* Build-time helper: embeds every docs/rules/<id>.md page (not README.md) as
 * a sorted table, for `wrangler-lint --explain RULE`.
 * usage: embed-pages DIR OUTPUT
 * The folder is read when the target runs (it is always rebuilt), so a new
 * page needs no build-file change. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: embed-pages DIR OUTPUT\n");
		return 2;
	}
	DIR *d = opendir(argv[1]);
	if (!d) {
		perror(argv[1]);
		return 1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 4 || strcmp(e->d_name + len - 3, ".md") != 0 ||
		    strcmp(e->d_name, "README.md") == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				return 1;
		}
		names[n] = malloc(len - 2);
		if (!names[n])
			return 1;
		memcpy(names[n], e->d_name, len - 3);
		names[n][len - 3] = '\0';
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp);
	FILE *out = fopen(argv[2], "wb");
	if (!out) {
		perror(argv[2]);
		return 1;
	}
	fprintf(out,
	        "/* Generated from %s by tools/embed_pages.c. */\n"
	        "#include \"pages.h\"\n\n",
	        argv[1]);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s.md", argv[1], names[i]);
		FILE *in = fopen(path, "rb");
		if (!in) {
			perror(path);
			return 1;
		}
		fprintf(out, "static const unsigned char page_%zu[] = {", i);
		int c;
		size_t k = 0;
		while ((c = fgetc(in)) != EOF)
			fprintf(out, "%s%d,", k++ % 20 ? "" : "\n\t", c);
		fprintf(out, "\n\t0};\n");
		fclose(in);
	}
	fprintf(out, "\nconst wl_rule_page wl_rule_pages[] = {\n");
	for (size_t i = 0; i < n; i++)
		fprintf(out, "\t{\"%s\", (const char *)page_%zu, sizeof(page_%zu) - 1},\n",
		        names[i], i, i);
	fprintf(out, "};\nconst size_t wl_rule_pages_count = %zu;\n", n);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return fclose(out) == 0 ? 0 : 1;
}
