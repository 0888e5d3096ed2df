#!/usr/bin/env bash
# The source checks' run-time budget (issue #9): the seed-shaped project
# (config + 3 source files) against the same config with --no-source, and a
# monorepo of 1,000 Workers in the seed's layout, linted in one run.
# usage: bench/source.sh BUILD_DIR [RUNS]
set -eu
build=$(cd "$1" && pwd)
runs=${2:-200}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$build/wrangler-lint"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

seconds() { # command... -> CPU seconds (user + system) of $runs runs; wall
	# time is too noisy on a shared machine
	local t
	t=$( { TIMEFORMAT='%U %S'; time (for _ in $(seq "$runs"); do "$@" >/dev/null || true; done); } 2>&1)
	echo "$t" | awk '{ print $1 + $2 }'
}

mkdir -p "$work/seed" && cp -r "$root/fixtures/source/seed/." "$work/seed/"
(cd "$work/seed" && git init -q .)
with=$(seconds "$bin" "$work/seed/wrangler.jsonc")
without=$(seconds "$bin" --no-source "$work/seed/wrangler.jsonc")
printf 'seed project, %d runs: %.3f s CPU with source checks, %.3f s without (ratio %.2f)\n' \
	"$runs" "$with" "$without" "$(echo "$with / $without" | bc -l)"

mkdir -p "$work/mono" && (cd "$work/mono" && git init -q .)
for i in $(seq 1000); do
	mkdir -p "$work/mono/w$i" && cp -r "$root/fixtures/source/seed/." "$work/mono/w$i/"
done
start=$(date +%s.%N)
status=0
(cd "$work/mono" && "$bin" . >/dev/null) || status=$?
end=$(date +%s.%N)
printf 'monorepo of 1,000 Workers: %.3f s (exit status %d)\n' "$(echo "$end - $start" | bc -l)" "$status"
