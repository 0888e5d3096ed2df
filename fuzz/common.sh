# Sourced by fuzz/run.sh and fuzz/rate.sh (not run on its own): what both
# need to agree on. Expects $root (the source tree) and $build.

# The targets built in $build, as the names after "fuzz-".
fuzz_targets() {
	for exe in "$build"/fuzz/fuzz-*; do
		[ -x "$exe" ] && [ -f "$exe" ] && echo "${exe##*/fuzz-}"
	done
}

# fuzz_seed TARGET DIR: copies the seeds of TARGET into DIR: every fixture
# under 64 KiB, and the target's own fuzz/TARGET-seeds/ (fuzz/lsp-seeds:
# whole sessions).
fuzz_seed() {
	find "$root/fixtures" -type f -size -64k \( -name '*.jsonc' -o -name '*.json' \
		-o -name "*.toml" -o -name "*.ts" -o -name "*.js" -o -name "*.schema" -o -name "*.jsonschema" \) \
		-exec cp {} "$2/" \;
	if [ -d "$root/fuzz/$1-seeds" ]; then
		cp "$root/fuzz/$1-seeds"/* "$2/" 2>/dev/null || true
	fi
}

# The sanitizer options of every run, unless the caller set them: two frames
# of allocation stacks and a 64 MiB quarantine (defaults: 30 and 256 MiB;
# rerun an artifact with ASAN_OPTIONS= for full stacks), and undefined
# behaviour stops the run as a crash does.
export ASAN_OPTIONS=${ASAN_OPTIONS-malloc_context_size=2:quarantine_size_mb=64}
export UBSAN_OPTIONS=${UBSAN_OPTIONS-halt_on_error=1:print_stacktrace=1}
