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
. "$root/fuzz/common.sh"
if [ $# -eq 0 ]; then
	# shellcheck disable=SC2046 # target names have no spaces
	set -- $(fuzz_targets)
fi
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
for t in "$@"; do
	rm -rf "${seeds:?}"/*
	fuzz_seed "$t" "$seeds"
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
