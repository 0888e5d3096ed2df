#!/usr/bin/env bash
# History comparison cost (issue #10): a baseline adds one parse, one model,
# one silent replay and one linear comparison per environment group. This
# times the whole process with and without --baseline-file for histories of
# 2,000 to 16,000 steps (gen-config, 4 environments, 50 bindings), with one
# step edited, so every step is compared.
#
#   bench/history.sh BUILD_DIR
set -euo pipefail
BUILD=$(cd "$1" && pwd)
LINT=$BUILD/wrangler-lint
GEN=$BUILD/bench/gen-config
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
RUNS=${WL_BENCH_RUNS:-5}

ms() { # median wall time in ms of "$@" over RUNS runs
	local t=() i s e
	for ((i = 0; i < RUNS; i++)); do
		s=$(date +%s%N)
		"$@" >/dev/null 2>&1 || true
		e=$(date +%s%N)
		t+=($(((e - s) / 1000000)))
	done
	printf '%s\n' "${t[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p"
}

printf '%-8s %-10s %-14s %-14s %-10s\n' steps bytes "lint (ms)" "+baseline (ms)" "ms/1k steps"
for steps in 2000 4000 8000 16000; do
	"$GEN" 4 50 "$steps" >"$TMP/base.jsonc"
	# One deployed step edited (a class added to v2).
	sed -e '0,/\["Tmp0", "Tmp1"\]/s//["Tmp0", "Tmp1", "Extra"]/' "$TMP/base.jsonc" >"$TMP/new.jsonc"
	bytes=$(wc -c <"$TMP/new.jsonc")
	a=$(ms "$LINT" --no-config --format=gcc "$TMP/new.jsonc")
	b=$(ms "$LINT" --no-config --format=gcc --baseline-file="$TMP/base.jsonc" "$TMP/new.jsonc")
	n=$("$LINT" --no-config --format=gcc --baseline-file="$TMP/base.jsonc" "$TMP/new.jsonc" | grep -c 'history-' || true)
	printf '%-8s %-10s %-14s %-14s %-10s (%s history findings)\n' "$steps" "$bytes" "$a" "$b" \
		"$(awk -v b="$b" -v a="$a" -v s="$steps" 'BEGIN { printf "%.2f", (b - a) * 1000 / s }')" "$n"
done

# Many environments sharing one list: one comparison per group, not per env.
"$GEN" 1000 5 2000 >"$TMP/base.jsonc"
sed -e '0,/\["Tmp0", "Tmp1"\]/s//["Tmp0", "Tmp1", "Extra"]/' "$TMP/base.jsonc" >"$TMP/new.jsonc"
a=$(ms "$LINT" --no-config --format=gcc "$TMP/new.jsonc")
b=$(ms "$LINT" --no-config --format=gcc --baseline-file="$TMP/base.jsonc" "$TMP/new.jsonc")
printf '1000 envs x 2000 steps (%s bytes): lint %s ms, with baseline %s ms\n' "$(wc -c <"$TMP/new.jsonc")" "$a" "$b"

# --baseline=REV in a folder walk: one git process per repository. A
# repository of N configs, linted by one folder search without a baseline,
# with --baseline=HEAD, and the git processes counted through a wrapper.
if command -v git >/dev/null; then
	repo=$TMP/repo
	mkdir -p "$repo" "$TMP/bin"
	export GIT_CONFIG_NOSYSTEM=1 HOME=$TMP GIT_AUTHOR_NAME=b GIT_AUTHOR_EMAIL=b@example.com \
		GIT_COMMITTER_NAME=b GIT_COMMITTER_EMAIL=b@example.com
	git -C "$repo" init -q
	"$GEN" 2 10 20 >"$TMP/small.jsonc"
	for ((i = 0; i < 200; i++)); do
		mkdir -p "$repo/app$i" && cp "$TMP/small.jsonc" "$repo/app$i/wrangler.jsonc"
	done
	git -C "$repo" add -A && git -C "$repo" commit -qm base
	real_git=$(command -v git)
	printf '#!/bin/sh\necho x >>"%s/calls"\nexec "%s" "$@"\n' "$TMP" "$real_git" >"$TMP/bin/git"
	chmod +x "$TMP/bin/git"
	a=$(ms "$LINT" --no-config --format=gcc "$repo")
	b=$(ms "$LINT" --no-config --format=gcc --baseline=HEAD "$repo")
	rm -f "$TMP/calls"
	PATH=$TMP/bin:$PATH "$LINT" --no-config --format=gcc --baseline=HEAD "$repo" >/dev/null || true
	printf 'walk of 200 configs in one repository: lint %s ms, --baseline=HEAD %s ms, %s git process(es)\n' \
		"$a" "$b" "$(wc -l <"$TMP/calls")"
fi
