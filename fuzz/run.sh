#!/usr/bin/env bash
# Runs the libFuzzer target for SECONDS (default 60) from a corpus seeded with
# every fixture. A crash leaves its input in BUILD_DIR/fuzz-artifacts/ and
# fails the run; turn it into a fixture under fixtures/regress/.
# usage: fuzz/run.sh BUILD_DIR [SECONDS]
set -eu
build=$1
seconds=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
corpus="$build/fuzz-corpus"
mkdir -p "$corpus" "$build/fuzz-artifacts"
find "$root/fixtures" -type f \( -name '*.jsonc' -o -name '*.json' \) -size -64k \
	-exec cp {} "$corpus/" \;
"$build/fuzz/fuzz-lint" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
	-timeout=10 -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/" "$corpus"
