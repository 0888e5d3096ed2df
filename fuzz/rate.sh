#!/usr/bin/env bash
# Executions per second of libFuzzer targets on the fixture corpus itself:
# each seed fuzz/run.sh would start from (every fixture under 64 KiB, plus
# fuzz/TARGET-seeds/) is executed ROUNDS times by the target (libFuzzer runs
# files given as arguments, without mutating them), with the sanitizer
# options of fuzz/run.sh. A campaign's own rate (fuzz/run.sh) is lower: its
# mutations grow the inputs towards -max_len, and it collects coverage of each.
# usage: fuzz/rate.sh BUILD_DIR [ROUNDS [TARGET...]]   (default 20 rounds, every target)
set -eu
build=$1
rounds=${2:-20}
shift $(($# >= 2 ? 2 : 1))
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -eq 0 ]; then
	for exe in "$build"/fuzz/fuzz-*; do
		[ -x "$exe" ] && [ -f "$exe" ] && set -- "$@" "${exe##*/fuzz-}"
	done
fi
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS-malloc_context_size=2:quarantine_size_mb=64}
export UBSAN_OPTIONS=${UBSAN_OPTIONS-halt_on_error=1:print_stacktrace=1}
for t in "$@"; do
	rm -rf "${seeds:?}"/*
	find "$root/fixtures" -type f -size -64k \( -name '*.jsonc' -o -name '*.json' \
		-o -name "*.toml" -o -name "*.ts" -o -name "*.js" -o -name "*.schema" -o -name "*.jsonschema" \) -exec cp {} "$seeds/" \;
	if [ -d "$root/fuzz/$t-seeds" ]; then
		cp "$root/fuzz/$t-seeds"/* "$seeds/" 2>/dev/null || true
	fi
	n=$(find "$seeds" -type f | wc -l)
	start=$(date +%s%N)
	"$build/fuzz/fuzz-$t" -runs="$rounds" "$seeds"/* >/dev/null 2>&1 || {
		echo "fuzz-$t: FAILED on a seed"
		exit 1
	}
	end=$(date +%s%N)
	awk -v t="$t" -v n="$n" -v r="$rounds" -v ns="$((end - start))" 'BEGIN {
		printf "fuzz-%s: %d executions (%d seeds x %d) in %.2f s: %d/s\n", t, n * r, n, r, ns / 1e9, n * r / (ns / 1e9) }'
done
