/* Build-time helper: writes a C file defining `const unsigned char NAME[]` with the
 * bytes of a file (NUL-terminated) and `const size_t NAME_len`.
 * usage: embed NAME INPUT OUTPUT */
#include <stdio.h>
#include <stdlib.h>

int
main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: embed NAME INPUT OUTPUT\n");
		return 2;
	}
	FILE *in = fopen(argv[2], "rb");
	FILE *out = fopen(argv[3], "wb");
	if (!in || !out) {
		perror("embed");
		return 1;
	}
	fprintf(out, "/* Generated from %s by tools/embed.c. */\n#include <stddef.h>\n\n", argv[2]);
	fprintf(out, "extern const unsigned char %s[];\nextern const size_t %s_len;\n\n", argv[1],
	        argv[1]);
	fprintf(out, "const unsigned char %s[] = {", argv[1]);
	size_t n = 0;
	int c;
	while ((c = fgetc(in)) != EOF) {
		fprintf(out, "%s0x%02x,", n % 16 ? " " : "\n\t", c);
		n++;
	}
	fprintf(out, "\n\t0x00};\nconst size_t %s_len = %zu;\n", argv[1], n);
	fclose(in);
	return fclose(out) == 0 ? 0 : 1;
}
