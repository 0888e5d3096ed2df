#!/usr/bin/env bash
# Enablement before counting: levels, `off`, suppressions and --env decide
# what is kept before the 10,000-per-file cap; unknown --env; the project
# file's path; the oversized-file rule's level; block-comment directives.
# usage: cli-gate.sh PATH/TO/wrangler-lint SOURCE_ROOT
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
check() { # name expected-status actual-status
	if [ "$2" = "$3" ]; then pass=$((pass + 1)); else
		echo "FAIL: $1: expected exit $2, got $3"
		fail=$((fail + 1))
	fi
}
contains() { # name file needle
	if grep -qF -- "$3" "$2"; then pass=$((pass + 1)); else
		echo "FAIL: $1: output lacks '$3'"
		head -c 2000 "$2" | sed 's/^/    /'
		fail=$((fail + 1))
	fi
}
lacks() { # name file needle
	if grep -qF -- "$3" "$2"; then
		echo "FAIL: $1: output has '$3'"
		fail=$((fail + 1))
	else pass=$((pass + 1)); fi
}

# 14,000 duplicate keys: more than the cap.
{
	printf '{ "name": "w", "vars": {'
	for i in $(seq 1 14001); do printf '"k": %d, ' "$i"; done
	printf '"z": 0 } }\n'
} >"$tmp/dups.jsonc"
"$bin" --format=gcc "$tmp/dups.jsonc" >"$tmp/out" 2>&1; check dups-default 1 $?
"$bin" --format=json --rule jsonc-duplicate-key=off "$tmp/dups.jsonc" >"$tmp/out" 2>&1
check dups-off 0 $?
contains dups-off-summary "$tmp/out" '"summary":{"files":1,"errors":0,"warnings":0,"notes":0}'
"$bin" --format=json --rule jsonc-duplicate-key=warning "$tmp/dups.jsonc" >"$tmp/out" 2>&1
check dups-warning 0 $?
contains dups-warning-count "$tmp/out" '"errors":0,"warnings":14000'
# A file-wide directive at the end covers what the parser reported before it.
{ cat "$tmp/dups.jsonc"; printf '// wrangler-lint-disable jsonc-duplicate-key\n'; } >"$tmp/dups-sup.jsonc"
"$bin" --format=json "$tmp/dups-sup.jsonc" >"$tmp/out" 2>&1; check dups-suppressed 0 $?
contains dups-suppressed-summary "$tmp/out" '"errors":0,"warnings":0,"notes":0'

# 11,000 environments with a finding each, then env zz: --env zz shows zz's.
{
	printf '{ "name": "w", "durable_objects": { "bindings": [{ "name": "R", "class_name": "Room" }] },\n'
	printf '  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["Room"] }], "env": {'
	for i in $(seq 1 11000); do printf '"e%d": {}, ' "$i"; done
	printf '"zz": {} } }\n'
} >"$tmp/envs.jsonc"
"$bin" --format=gcc --env zz "$tmp/envs.jsonc" >"$tmp/out" 2>&1; check env-zz 1 $?
contains env-zz-shown "$tmp/out" 'env.zz has no "durable_objects"'
[ "$(grep -c 'env-do-bindings-missing' "$tmp/out")" -eq 1 ] && pass=$((pass + 1)) || {
	echo "FAIL: --env zz shows other envs' findings"
	fail=$((fail + 1))
}
"$bin" --format=gcc --env prodution "$tmp/envs.jsonc" >"$tmp/out" 2>&1; check env-unknown 2 $?
contains env-unknown-line "$tmp/out" "--env prodution: no such environment (its environments: e1, e2"
printf '{ "name": "w" }\n' >"$tmp/noenv.jsonc"
"$bin" --env production "$tmp/noenv.jsonc" >"$tmp/out" 2>&1; check env-none 2 $?
contains env-none-line "$tmp/out" "no such environment (the file defines none)"

# The project file is named relative to the working directory.
mkdir -p "$tmp/proj/sub"
printf '{ "rules": { "no-such-rule": "off" } }\n' >"$tmp/proj/.wrangler-lint.jsonc"
printf '{ "name": "w" }\n' >"$tmp/proj/sub/wrangler.jsonc"
(cd "$tmp/proj" && "$bin" --format=github sub/wrangler.jsonc) >"$tmp/out" 2>&1
contains project-relative "$tmp/out" "file=.wrangler-lint.jsonc,"
(cd "$tmp/proj/sub" && "$bin" --format=github wrangler.jsonc) >"$tmp/out" 2>&1
contains project-parent "$tmp/out" "file=../.wrangler-lint.jsonc,"
"$bin" --config "$tmp/proj" "$tmp/noenv.jsonc" >"$tmp/out" 2>&1; check config-dir 2 $?

# jsonc-file-too-large honours its level (through a pipe: size unknown).
head -c 70000000 /dev/zero | tr '\0' ' ' >"$tmp/big.jsonc"
"$bin" --format=gcc "$tmp/big.jsonc" >"$tmp/out" 2>&1; check big-default 1 $?
"$bin" --format=gcc --rule jsonc-file-too-large=off "$tmp/big.jsonc" >"$tmp/out" 2>&1
check big-off 0 $?
head -c 70000000 /dev/zero | tr '\0' ' ' | "$bin" --format=gcc --rule jsonc-file-too-large=warning - >"$tmp/out" 2>&1
check big-pipe-warning 0 $?
contains big-pipe-warning-line "$tmp/out" "warning: the input is more than"

# Directives on an inner line of a block comment; next-line counts from the
# comment's last line.
cat >"$tmp/block.jsonc" <<'JSON'
{
  "name": "w",
  /*
   * wrangler-lint-disable-next-line do-migrations-missing
   */
  "durable_objects": { "bindings": [{ "name": "R", "class_name": "Room" }] }
}
JSON
"$bin" --format=gcc "$tmp/block.jsonc" >"$tmp/out" 2>&1; check block-comment 0 $?
lacks block-comment-unused "$tmp/out" "suppression-unused"

# Every do-migration rule off: the container checks, which need the replay,
# still run (the family is skipped only when nothing it drives is on).
printf '{ "name": "w", "containers": [{ "class_name": "Nope", "image": "./Dockerfile" }] }\n' >"$tmp/cont.jsonc"
offs=$("$bin" --list-rules | awk '$2 == "do-migration" { printf "--rule %s=off ", $1 }')
# shellcheck disable=SC2086
"$bin" --format=gcc $offs "$tmp/cont.jsonc" >"$tmp/out" 2>&1; check containers-with-migrations-off 1 $?
contains containers-with-migrations-off-line "$tmp/out" "[container-class-unknown]"

# --explain prints every registered rule's embedded page.
explained=0
for id in $("$bin" --list-rules | awk '{ print $1 }'); do
	if [ "$("$bin" --explain "$id" | head -1)" = "# $id" ]; then
		explained=$((explained + 1))
	else
		echo "FAIL: --explain $id"
		fail=$((fail + 1))
	fi
done
[ "$explained" -gt 40 ] && pass=$((pass + 1)) || { echo "FAIL: only $explained pages"; fail=$((fail + 1)); }
# The rules index lists every registered rule (tools/rules-index.sh).
root=$2
for id in $("$bin" --list-rules | awk '{ print $1 }'); do
	grep -qF "[\`$id\`]($id.md)" "$root/docs/rules/README.md" || {
		echo "FAIL: docs/rules/README.md has no row for $id (run tools/rules-index.sh)"
		fail=$((fail + 1))
	}
done
"$bin" --explain no-such-rule >"$tmp/out" 2>&1; check explain-unknown 2 $?
contains explain-unknown-line "$tmp/out" "no rule is called 'no-such-rule'"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
