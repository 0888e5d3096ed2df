#!/usr/bin/env bash
# Benchmark of wrangler-lint: whole-process time and peak memory against a
# bare json-c parse, linearity in the input size, the typical 2 KB config, and
# the in-process breakdown (wl-bench). See bench/README.md.
#
#   bench/run.sh BUILD_DIR
#
# BUILD_DIR is a meson build directory (ideally --buildtype=release) where
# wrangler-lint, bench/gen-config, bench/baseline-jsonc and bench/wl-bench
# are built. Inputs are written to bench/out/ (ignored by git).
#
# Environment: WL_BENCH_ITERS (wl-bench iterations, default 11),
# WL_BENCH_RUNS (timing runs per command when hyperfine is missing, default 15),
# WL_BENCH_NO_HYPERFINE=1 (time with the shell loop even if hyperfine exists).
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: $0 BUILD_DIR" >&2
	exit 2
fi
BUILD=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$HERE/out

LINT=$BUILD/wrangler-lint
GEN=$BUILD/bench/gen-config
BASE=$BUILD/bench/baseline-jsonc
WLB=$BUILD/bench/wl-bench
PAIRS=$BUILD/bench/pairs
for exe in "$LINT" "$GEN" "$BASE" "$WLB" "$PAIRS"; do
	if [ ! -x "$exe" ]; then
		echo "$0: $exe is missing: build first (ninja -C $1)" >&2
		exit 1
	fi
done

ITERS=${WL_BENCH_ITERS:-11}
RUNS=${WL_BENCH_RUNS:-15}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# ---- inputs -----------------------------------------------------------------
# name    ENVS BINDINGS STEPS       shape
# small   --small                   a typical hand-written config, ~2 KB
# medium  12   1000     200         ~0.8 MB
# large   12   10000    2000        ~8 MB: medium with every dimension x10
# wide    120  1000     200         ~7 MB: medium with 10x the environments
# envs    2000 100      300         ~10 MB: thousands of environments
# Each file is OUT/NAME/wrangler.jsonc, alone in its folder, as in a project.
gen() {
	local name=$1
	shift
	mkdir -p "$OUT/$name"
	"$GEN" "$@" >"$OUT/$name/wrangler.jsonc"
}
echo "generating inputs in $OUT ..."
gen small --small
gen medium 12 1000 200
gen large 12 10000 2000
gen wide 120 1000 200
gen envs 2000 100 300
INPUTS="small medium large wide envs"

size_of() { wc -c <"$1" | tr -d ' '; }

# ---- sanity: every input parses, and the linter runs to completion ---------
declare -A LINT_RC
for name in $INPUTS; do
	f=$OUT/$name/wrangler.jsonc
	if ! "$BASE" "$f"; then
		echo "$0: json-c rejects $f: the generator is broken" >&2
		exit 1
	fi
	rc=0
	"$LINT" --format=json "$f" >"$TMP/$name.json" 2>"$TMP/$name.err" || rc=$?
	if [ "$rc" -gt 1 ]; then
		echo "$0: wrangler-lint exited $rc on $f:" >&2
		head -5 "$TMP/$name.err" >&2
		exit 1
	fi
	LINT_RC[$name]=$rc
done

# ---- timing -----------------------------------------------------------------
# median_ms CMD...: median wall time of CMD in milliseconds (exit codes 0 and 1
# both count as success; the sanity pass above rejected anything else).
if [ -z "${WL_BENCH_NO_HYPERFINE:-}" ] && command -v hyperfine >/dev/null 2>&1; then
	TIMER="hyperfine (median, -N, 3 warm-ups, >= 10 runs)"
	median_ms() {
		hyperfine -N -i --warmup 3 --min-runs 10 --style none \
			--export-json "$TMP/hf.json" -- "$(printf '%q ' "$@")" >/dev/null 2>&1
		# the first "median" in the export is this command's, in seconds
		grep -o '"median": *[0-9.eE+-]*' "$TMP/hf.json" | head -1 |
			awk -F: '{ printf "%.3f", $2 * 1000 }'
	}
else
	# bash >= 5 has a microsecond clock that costs no fork; else date(1),
	# whose own fork and exec (~1 ms) then inflate every figure.
	if [ -n "${EPOCHREALTIME:-}" ]; then
		TIMER="shell loop on \$EPOCHREALTIME (median of $RUNS runs)"
	else
		TIMER="shell loop on date +%s%N (median of $RUNS runs; includes ~1 ms of date's own cost)"
	fi
	median_ms() {
		local i t0 t1 per_ms
		: >"$TMP/times"
		"$@" >/dev/null 2>&1 || true # warm-up
		for ((i = 0; i < RUNS; i++)); do
			if [ -n "${EPOCHREALTIME:-}" ]; then
				t0=${EPOCHREALTIME/[.,]/}
				"$@" >/dev/null 2>&1 || true
				t1=${EPOCHREALTIME/[.,]/}
				per_ms=1e3 # microseconds
			else
				t0=$(date +%s%N)
				"$@" >/dev/null 2>&1 || true
				t1=$(date +%s%N)
				per_ms=1e6 # nanoseconds
			fi
			echo $((t1 - t0)) >>"$TMP/times"
		done
		sort -n "$TMP/times" | awk '{ a[NR] = $1 } END {
			m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
			printf "%.3f", m / '"$per_ms"' }'
	}
fi

# peak_kib CMD...: peak resident set size of CMD in KiB.
if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then
	MEMORY="/usr/bin/time -f %M"
	peak_kib() {
		/usr/bin/time -f %M -o "$TMP/rss" "$@" >/dev/null 2>&1 || true
		tail -1 "$TMP/rss"
	}
else
	MEMORY="unavailable (no GNU time); see wl-bench's getrusage figure"
	peak_kib() { echo "-"; }
fi

calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }
verdict() { awk "BEGIN { print (($1) ? \"ok\" : \"MISSED\") }"; }

declare -A SIZE T_LINT T_BASE RSS_LINT RSS_BASE
for name in $INPUTS; do
	f=$OUT/$name/wrangler.jsonc
	echo "timing $name ..."
	SIZE[$name]=$(size_of "$f")
	T_LINT[$name]=$(median_ms "$LINT" --format=json "$f")
	T_BASE[$name]=$(median_ms "$BASE" "$f")
	RSS_LINT[$name]=$(peak_kib "$LINT" --format=json "$f")
	RSS_BASE[$name]=$(peak_kib "$BASE" "$f")
done

echo
echo "machine: $(nproc) cores, $(uname -sr); $(date -u +%Y-%m-%dT%H:%MZ)"
echo "timer:   $TIMER"
echo "memory:  $MEMORY"
echo
echo "Whole process: wrangler-lint --format=json FILE vs baseline-jsonc FILE"
printf '%-7s %10s %7s %10s %10s %8s %10s %10s %10s %6s\n' \
	input bytes lint-rc lint-ms jsonc-ms ratio lint-KiB jsonc-KiB limit-KiB mem
for name in $INPUTS; do
	s=${SIZE[$name]}
	ratio=$(calc "${T_LINT[$name]} / ${T_BASE[$name]}")
	# memory target: 10x the input + 8 MiB
	limit=$(awk "BEGIN { printf \"%d\", (10 * $s) / 1024 + 8192 }")
	mem="-"
	if [ "${RSS_LINT[$name]}" != "-" ]; then
		mem=$(verdict "${RSS_LINT[$name]} <= $limit")
	fi
	printf '%-7s %10s %7s %10s %10s %8s %10s %10s %10s %6s\n' "$name" "$s" "${LINT_RC[$name]}" \
		"${T_LINT[$name]}" "${T_BASE[$name]}" "$ratio" "${RSS_LINT[$name]}" "${RSS_BASE[$name]}" \
		"$limit" "$mem"
done

echo
echo "Linearity (whole-process wrangler-lint time, 10x input vs 1x)"
printf '%-16s %10s %10s %10s %14s %8s %16s\n' series size-ratio time-ratio per-byte "time@10x-size" target "jsonc@10x-size"
for pair in "medium large" "medium wide"; do
	read -r small_in big_in <<<"$pair"
	set -- "$small_in" "$big_in"
	sr=$(calc "${SIZE[$2]} / ${SIZE[$1]}")
	tr=$(calc "${T_LINT[$2]} / ${T_LINT[$1]}")
	pb=$(calc "$tr / $sr")
	norm=$(calc "$tr * 10 / $sr")
	bnorm=$(calc "${T_BASE[$2]} / ${T_BASE[$1]} * 10 / $sr")
	printf '%-16s %10s %10s %10s %14s %8s %16s\n' "$1->$2" "$sr" "$tr" "$pb" "$norm" \
		"$(verdict "$norm <= 11")" "$bnorm"
done
echo "(time@10x-size: the time ratio scaled to exactly 10x the bytes; target <= 11."
echo " jsonc@10x-size: the same for baseline-jsonc, for reference)"

echo
echo "Typical config: ${SIZE[small]} bytes, wrangler-lint ${T_LINT[small]} ms whole-process" \
	"(target <= 3 ms: $(verdict "${T_LINT[small]} <= 3")), baseline-jsonc ${T_BASE[small]} ms"

# ---- start-up (issue #15): pairwise, so drift hits both commands alike ------
PAIR_ROUNDS=${WL_BENCH_PAIRS:-400}
echo
echo "Start-up: $PAIR_ROUNDS interleaved pairs on the typical config (A: baseline-jsonc," \
	"B: wrangler-lint --format=json; target B/A <= 1.3)"
pairs_out=$("$PAIRS" "$PAIR_ROUNDS" "$BASE" "$OUT/small/wrangler.jsonc" -- \
	"$LINT" --format=json "$OUT/small/wrangler.jsonc")
echo "$pairs_out"
pair_ratio=$(echo "$pairs_out" | sed -n 's/.*median of ratios \([0-9.]*\).*/\1/p')
echo "verdict: $(verdict "$pair_ratio <= 1.3") ($(file -b "$LINT" | sed 's/, BuildID.*//'))"

# ---- many small configs (a monorepo) ----------------------------------------
# 1,000 typical configs in 1,000 folders, found by searching the folder.
MANY=$OUT/many
if [ ! -d "$MANY/app1000" ]; then
	rm -rf "$MANY"
	for i in $(seq 1 1000); do
		mkdir -p "$MANY/app$i"
		cp "$OUT/small/wrangler.jsonc" "$MANY/app$i/wrangler.jsonc"
	done
fi
T_MANY=$(median_ms "$LINT" --format=json --no-config "$MANY")
echo
echo "Monorepo: 1000 configs of ${SIZE[small]} bytes found by searching one folder:" \
	"wrangler-lint ${T_MANY} ms whole-process (target <= 1000 ms: $(verdict "$T_MANY <= 1000"))"

echo
echo "In process (wl-bench, $ITERS iterations) on the large input:"
"$WLB" "$OUT/large/wrangler.jsonc" "$ITERS"
echo
echo "In process (wl-bench, $ITERS iterations) on the thousands-of-environments input:"
"$WLB" "$OUT/envs/wrangler.jsonc" "$ITERS"
