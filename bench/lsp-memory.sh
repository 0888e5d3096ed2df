#!/usr/bin/env bash
# Memory of the language server over a long editing session: one server run,
# one document (examples/wrangler.jsonc with a few problems added), N edits
# (default 10,000), each an incremental didChange followed by a request that
# makes the server lint the new text and publish its diagnostics (hover and
# code actions in turn), so every edit goes through the whole pipeline.
#
# Reports the server's peak RSS (VmHWM) after the first edit, hover and code
# action (everything lazily built by then: the schema, the registry) and after
# the last edit, and fails when it grew by more than 1 MB (1024 kB).
#
# usage: bench/lsp-memory.sh BUILD_DIR [EDITS]
set -eu
export LC_ALL=C # ${#body} counts bytes
build=$1
edits=${2:-10000}
bin=$build/wrangler-lint
[ -x "$bin" ] || {
	echo "no $bin: build first" >&2
	exit 2
}
tmp=$(mktemp -d)
mkfifo "$tmp/in"
"$bin" --lsp <"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
pid=$!
exec 3>"$tmp/in"
cleanup() {
	exec 3>&- || true
	kill "$pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

send() {
	printf 'Content-Length: %d\r\n\r\n%s' "${#1}" "$1" >&3
}
# Waits until the response to request $1 is in the output.
wait_for() {
	local i=0
	until grep -q "\"id\":$1,\"result\"" "$tmp/out"; do
		sleep 0.01
		i=$((i + 1))
		if [ $i -gt 6000 ]; then
			echo "no response to request $1" >&2
			exit 1
		fi
	done
}
hwm() {
	awk '/^VmHWM/ { print $2 }' "/proc/$pid/status"
}

uri="file:///nonexistent-wl-bench/wrangler.jsonc"
# The example, as one JSON string (escaped by hand: it has no backslashes
# or control characters other than newlines), with an unknown migration key
# and a missing binding in staging, so there are diagnostics and fixes.
text=$(sed -e 's/"new_sqlite_classes"/"new_sqlite_clases"/' \
	-e '/"staging": {/,/^    },/{/durable_objects/,/^      },/d}' \
	"$(dirname "$0")/../examples/wrangler.jsonc" |
	sed -e 's/"/\\"/g' | awk '{ printf "%s\\n", $0 }')
line=$(grep -n '"name": "chat-app"' "$(dirname "$0")/../examples/wrangler.jsonc" | cut -d: -f1)
line=$((line - 1))

send '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}'
wait_for 1
send '{"jsonrpc":"2.0","method":"initialized","params":{}}'
send "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"$uri\",\"languageId\":\"jsonc\",\"version\":1,\"text\":\"$text\"}}}"

# One edit: the fourth letter of the Worker's name, "chat-app", changes.
letters=abcdefghijklmnopqrstuvwxyz
edit() { # version
	local c=${letters:$(($1 % 26)):1}
	send "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":{\"uri\":\"$uri\",\"version\":$1},\"contentChanges\":[{\"range\":{\"start\":{\"line\":$line,\"character\":14},\"end\":{\"line\":$line,\"character\":15}},\"text\":\"$c\"}]}}"
	if (($1 % 2)); then
		send "{\"jsonrpc\":\"2.0\",\"id\":$((1000 + $1)),\"method\":\"textDocument/hover\",\"params\":{\"textDocument\":{\"uri\":\"$uri\"},\"position\":{\"line\":$line,\"character\":4}}}"
	else
		send "{\"jsonrpc\":\"2.0\",\"id\":$((1000 + $1)),\"method\":\"textDocument/codeAction\",\"params\":{\"textDocument\":{\"uri\":\"$uri\"},\"range\":{\"start\":{\"line\":0,\"character\":0},\"end\":{\"line\":40,\"character\":0}},\"context\":{\"diagnostics\":[]}}}"
	fi
}

edit 2
edit 3
wait_for 1003
before=$(hwm)
start=$(date +%s%N)
for ((v = 4; v < edits + 4; v++)); do
	edit $v
done
last=$((1000 + edits + 3))
wait_for $last
end=$(date +%s%N)
after=$(hwm)
publishes=$(grep -o '"method":"textDocument/publishDiagnostics"' "$tmp/out" | wc -l)
if ! grep -q 'do-migration-unknown-key' "$tmp/out"; then
	echo "the server published no diagnostics for the document" >&2
	exit 1
fi
send '{"jsonrpc":"2.0","id":2,"method":"shutdown"}'
wait_for 2
send '{"jsonrpc":"2.0","method":"exit"}'
exec 3>&-
status=0
wait "$pid" || status=$?

growth=$((after - before))
ms=$(((end - start) / 1000000))
printf 'edits: %d (each followed by a hover or code action request), %d publications\n' \
	"$edits" "$publishes"
printf 'peak RSS after the first edits: %d kB, after the last: %d kB, growth: %d kB\n' \
	"$before" "$after" "$growth"
printf 'time: %d ms for the edits (%d us per edit and request, client included)\n' \
	"$ms" $((ms * 1000 / edits))
printf 'server exit status: %d\n' "$status"
if [ "$status" -ne 0 ]; then
	echo "FAIL: the server exited with $status after shutdown and exit" >&2
	exit 1
fi
if [ "$growth" -gt 1024 ]; then
	echo "FAIL: peak RSS grew by more than 1 MB" >&2
	exit 1
fi
echo "ok: peak RSS growth within 1 MB"
