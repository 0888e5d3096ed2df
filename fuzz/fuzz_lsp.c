/* libFuzzer target for the language server: the bytes are the client's
 * side of a session (framing, JSON-RPC, every method the server handles),
 * served from memory with no file system access. Seeds: fuzz/lsp-seeds/. */
#include <stddef.h>
#include <stdint.h>

#include "lsp/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wl_lsp_options opts = {.no_fs = true};
	wl_lsp_run_mem((const char *)data, size, &opts);
	return 0;
}
