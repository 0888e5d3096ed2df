#!/usr/bin/env bash
# The whole test suite, as CI runs it (README: "Run the tests"):
#  1. a -Dwerror=true build and every meson test (unit, fixtures, golden,
#     rules meta-test, corpus, CLI), plus the clang-format and man page checks;
#  2. the same suite under AddressSanitizer + UndefinedBehaviorSanitizer;
#  3. every libFuzzer target (one per stage) for WL_FUZZ_SECONDS (default 15)
#     seconds each, when clang is installed (CI installs it).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
passed=0
failed=0

run_suite() { # build-dir [meson options...]
	local dir=$1
	shift
	if [ -d "$dir" ]; then
		meson setup --reconfigure "$dir" "$@" >/dev/null
	else
		meson setup "$dir" "$@" >/dev/null
	fi
	ninja -C "$dir" >/dev/null
	local out rc=0
	out=$(meson test -C "$dir" --print-errorlogs 2>&1) || rc=$?
	printf '%s\n' "$out" | grep -E '^ *[0-9]+/[0-9]+ |^(Ok|Fail|Skipped|Timeout):' || true
	# Say why a suite was skipped: the corpus test needs ../shared/corpus/real.
	if printf '%s\n' "$out" | grep -qE '^ *[0-9]+/[0-9]+ .*corpus +SKIP'; then
		echo "   (corpus test skipped: $(cd "$root/.." && pwd)/shared/corpus/real is absent;" \
			"set -Dcorpus_dir=DIR to use another folder of real configs)"
	fi
	[ $rc -eq 0 ] || printf '%s\n' "$out" | tail -60
	local ok fail
	ok=$(printf '%s\n' "$out" | sed -n 's/^Ok: *\([0-9]*\).*/\1/p')
	fail=$(printf '%s\n' "$out" | sed -n 's/^Fail: *\([0-9]*\).*/\1/p')
	passed=$((passed + ${ok:-0}))
	failed=$((failed + ${fail:-0}))
	[ $rc -eq 0 ] || failed=$((failed + 1))
}

echo "== build with -Dwerror=true, run the suite"
run_suite build-ci -Dwerror=true

echo "== the suite under AddressSanitizer + UndefinedBehaviorSanitizer"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
run_suite build-asan -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false

if command -v clang-format >/dev/null 2>&1; then
	echo "== clang-format"
	if ninja -C build-ci clang-format-check >/dev/null 2>&1; then
		passed=$((passed + 1))
	else
		echo "FAIL: the tree is not formatted (ninja -C build-ci clang-format)"
		failed=$((failed + 1))
	fi
fi

if command -v mandoc >/dev/null 2>&1; then
	echo "== man page"
	if [ -z "$(mandoc -Tlint -Wwarning man/wrangler-lint.1 2>&1)" ]; then
		passed=$((passed + 1))
	else
		mandoc -Tlint -Wwarning man/wrangler-lint.1 || true
		failed=$((failed + 1))
	fi
fi

if command -v clang >/dev/null 2>&1; then
	echo "== libFuzzer, ${WL_FUZZ_SECONDS:-15} s per target"
	# AddressSanitizer, and UBSan with OSS-Fuzz's checks (meson.build).
	fuzz_opts="-Dfuzzing=true -Dtests=disabled -Db_sanitize=address -Db_lundef=false"
	if [ -d build-fuzz ]; then
		# (meson 1.0's setup --reconfigure does not apply a changed b_sanitize)
		# shellcheck disable=SC2086 # the options are words
		meson configure build-fuzz $fuzz_opts >/dev/null
	else
		# shellcheck disable=SC2086
		CC=clang meson setup build-fuzz $fuzz_opts >/dev/null
	fi
	ninja -C build-fuzz >/dev/null
	if fuzz/run.sh build-fuzz "${WL_FUZZ_SECONDS:-15}" >build-fuzz/fuzz.log 2>&1; then
		grep -E '^fuzz-' build-fuzz/fuzz.log || true
		passed=$((passed + 1))
	else
		tail -40 build-fuzz/fuzz.log
		failed=$((failed + 1))
	fi
else
	echo "== libFuzzer skipped: clang is not installed"
fi

echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
