#!/usr/bin/env bash
# Hostile shapes whose run time must not grow with what is never shown
# (issue #8): every one must finish in under 2 s whole-process.
#
#   bench/hostile.sh BUILD_DIR
#
#   do-x-envs     200,000 DO bindings at the top level, 1,000 envs each
#                 with one of them (~10 MB): 200 M missing bindings
#   do-no-migrations  the same 200,000 bindings without migrations, 1,000
#                 empty envs: one do-migrations-missing naming every class
#   unknown-keys  1,000,000 unknown top-level keys (~23 MB)
#   dup-keys      500,000 duplicate keys in one object (~6 MB)
#   directives    10,000 next-line directives and 200,000 file-wide ones
set -euo pipefail
BUILD=$(cd "$1" && pwd)
LINT=$BUILD/wrangler-lint
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
BUDGET_MS=${WL_HOSTILE_BUDGET_MS:-2000}

awk 'BEGIN {
	n = 200000; envs = 1000
	printf "{\"name\":\"w\",\"durable_objects\":{\"bindings\":["
	for (i = 0; i < n; i++) printf "%s{\"name\":\"B%d\",\"class_name\":\"C%d\"}", i ? "," : "", i, i
	printf "]},\"migrations\":[{\"tag\":\"v1\",\"new_sqlite_classes\":["
	for (i = 0; i < n; i++) printf "%s\"C%d\"", i ? "," : "", i
	printf "]}],\"env\":{"
	for (i = 0; i < envs; i++)
		printf "%s\"e%d\":{\"durable_objects\":{\"bindings\":[{\"name\":\"B0\",\"class_name\":\"C0\"}]}}", i ? "," : "", i
	print "}}"
}' >"$TMP/do-x-envs.jsonc"
awk 'BEGIN {
	n = 200000; envs = 1000
	printf "{\"name\":\"w\",\"durable_objects\":{\"bindings\":["
	for (i = 0; i < n; i++) printf "%s{\"name\":\"B%d\",\"class_name\":\"C%d\"}", i ? "," : "", i, i
	printf "]},\"env\":{"
	for (i = 0; i < envs; i++) printf "%s\"e%d\":{}", i ? "," : "", i
	print "}}"
}' >"$TMP/do-no-migrations.jsonc"
awk 'BEGIN {
	printf "{\"name\":\"w\""
	for (i = 0; i < 1000000; i++) printf ",\"unknown_key_%d\":1", i
	print "}"
}' >"$TMP/unknown-keys.jsonc"
awk 'BEGIN {
	printf "{\"name\":\"w\",\"vars\":{"
	for (i = 0; i < 500000; i++) printf "%s\"k\":%d", i ? "," : "", i
	print "}}"
}' >"$TMP/dup-keys.jsonc"
awk 'BEGIN {
	print "{"
	for (i = 0; i < 200000; i++) print "// wrangler-lint-disable jsonc-duplicate-key"
	for (i = 0; i < 10000; i++) {
		print "// wrangler-lint-disable-next-line binding-name-not-identifier"
		printf "\"k%d\": 1,\n", i
	}
	print "\"name\": \"w\" }"
}' >"$TMP/directives.jsonc"

fail=0
printf '%-14s %10s %8s %10s\n' input bytes ms peak-KiB
for name in do-x-envs do-no-migrations unknown-keys dup-keys directives; do
	f=$TMP/$name.jsonc
	t0=${EPOCHREALTIME/[.,]/}
	/usr/bin/time -f %M -o "$TMP/mem" "$LINT" --format=gcc "$f" >/dev/null 2>&1 || true
	t1=${EPOCHREALTIME/[.,]/}
	ms=$(((t1 - t0) / 1000))
	printf "%-14s %10s %8s %10s\n" "$name" "$(wc -c <"$f")" "$ms" "$(tail -1 "$TMP/mem")"
	if [ "$ms" -gt "$BUDGET_MS" ]; then
		echo "  over the ${BUDGET_MS} ms budget"
		fail=1
	fi
done
exit $fail
