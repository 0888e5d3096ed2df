#!/usr/bin/env bash
# Runs libFuzzer targets for SECONDS each (default 60) from corpora seeded with
# every fixture, with fuzz/wrangler.dict. A crash leaves its input in
# BUILD_DIR/fuzz-artifacts/ and fails the run; turn it into a fixture under
# fixtures/regress/. Prints each target's executions and rate.
# usage: fuzz/run.sh BUILD_DIR [SECONDS [TARGET...]]   (TARGET: jsonc, lint, ...)
set -eu
build=$1
seconds=${2:-60}
shift $(($# >= 2 ? 2 : 1))
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/fuzz/common.sh"
if [ $# -eq 0 ]; then
	# shellcheck disable=SC2046 # target names have no spaces
	set -- $(fuzz_targets)
fi
mkdir -p "$build/fuzz-artifacts"
status=0
for t in "$@"; do
	corpus="$build/fuzz-corpus-$t"
	mkdir -p "$corpus"
	fuzz_seed "$t" "$corpus"
	log="$build/fuzz-$t.log"
	# -entropic=0: entropic scheduling updates a 4 MiB frequency table at a
	# random place for every feature of every run; on fuzz-lint (35,000
	# features) that was four fifths of the time. Sanitizer options:
	# fuzz/common.sh.
	if "$build/fuzz/fuzz-$t" -entropic=0 -max_total_time="$seconds" -max_len="${WL_FUZZ_MAX_LEN:-16384}" -rss_limit_mb=2048 \
		-timeout=10 -print_final_stats=1 -dict="$root/fuzz/wrangler.dict" \
		-artifact_prefix="$build/fuzz-artifacts/$t-" "$corpus" >"$log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
		echo "fuzz-$t: ${execs:-?} executions in ${seconds} s (${rate:-?}/s), no finding"
	else
		echo "fuzz-$t: FINDING (see $log)"
		tail -30 "$log"
		status=1
	fi
done
exit $status
