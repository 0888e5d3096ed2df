#!/usr/bin/env bash
# CLI contract: options, exit statuses, stdin, several files, unreadable files.
# usage: cli.sh PATH/TO/wrangler-lint SOURCE_ROOT
set -u
bin=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

check() { # name expected-status actual-status
	if [ "$2" = "$3" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: $1: expected exit $2, got $3"
		fail=$((fail + 1))
	fi
}
contains() { # name haystack-file needle
	if grep -qF -- "$3" "$2"; then
		pass=$((pass + 1))
	else
		echo "FAIL: $1: output lacks '$3'"
		sed 's/^/    /' "$2" | head -20
		fail=$((fail + 1))
	fi
}

good='{ "name": "app", "main": "src/index.ts", "compatibility_date": "2025-01-01" }'
printf '%s\n' "$good" >"$tmp/good.jsonc"
printf '{ "name": "app", "name": "x" }\n' >"$tmp/dup.jsonc"

"$bin" --version >"$tmp/out" 2>&1; check version 0 $?
contains version "$tmp/out" "wrangler-lint "
"$bin" --help >"$tmp/out" 2>&1; check help 0 $?
contains help "$tmp/out" "Exit status"
"$bin" --list-rules >"$tmp/out" 2>&1; check list-rules 0 $?
contains list-rules "$tmp/out" "do-class-not-created"
contains list-rules "$tmp/out" "jsonc-syntax"

"$bin" --bogus >"$tmp/out" 2>&1; check unknown-option 2 $?
contains unknown-option "$tmp/out" "unknown option"
"$bin" --format=xml "$tmp/good.jsonc" >"$tmp/out" 2>&1; check bad-format 2 $?
"$bin" --fail-on=fatal "$tmp/good.jsonc" >"$tmp/out" 2>&1; check bad-fail-on 2 $?
"$bin" --color=sometimes "$tmp/good.jsonc" >"$tmp/out" 2>&1; check bad-color 2 $?
"$bin" --max-diagnostics=-1 "$tmp/good.jsonc" >"$tmp/out" 2>&1; check bad-max 2 $?

"$bin" "$tmp/good.jsonc" >"$tmp/out" 2>&1; check clean 0 $?
[ -s "$tmp/out" ] && { echo "FAIL: clean file printed output"; cat "$tmp/out"; fail=$((fail + 1)); }
"$bin" "$tmp/dup.jsonc" >"$tmp/out" 2>&1; check error-found 1 $?
contains error-header "$tmp/out" "dup.jsonc:1:18: error: duplicate key"
contains error-rule "$tmp/out" "[jsonc-duplicate-key]"
contains summary "$tmp/out" "1 error, 0 warnings, 0 notes in 1 file"

# --fail-on: a warning alone fails only at warning level
printf '{ "name": "app", "vars": { "my-var": "x" } }\n' >"$tmp/warn.jsonc"
"$bin" "$tmp/warn.jsonc" >/dev/null 2>&1; check warning-default 0 $?
"$bin" --fail-on=warning "$tmp/warn.jsonc" >/dev/null 2>&1; check warning-fail-on 1 $?

# unreadable and missing files: exit 2, one line naming the file, others still linted
"$bin" "$tmp/missing.jsonc" "$tmp/dup.jsonc" >"$tmp/out" 2>"$tmp/err"; check missing-file 2 $?
contains missing-file-msg "$tmp/err" "missing.jsonc: No such file or directory"
contains missing-file-others "$tmp/out" "duplicate key"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || { echo "FAIL: stderr is not one line"; fail=$((fail + 1)); }
mkdir "$tmp/noconfigs"
"$bin" "$tmp/noconfigs" >"$tmp/out" 2>"$tmp/err"; check empty-directory 2 $?
contains empty-directory-msg "$tmp/err" "no wrangler.json, wrangler.jsonc or wrangler.toml in this folder"

# stdin, named with --stdin-filename
"$bin" --stdin-filename=wrangler.jsonc - <"$tmp/dup.jsonc" >"$tmp/out" 2>&1; check stdin 1 $?
contains stdin-name "$tmp/out" "wrangler.jsonc:1:18:"
"$bin" - <"$tmp/good.jsonc" >"$tmp/out" 2>&1; check stdin-clean 0 $?

# formats
"$bin" --format=gcc "$tmp/dup.jsonc" >"$tmp/out" 2>&1; check gcc 1 $?
[ "$(wc -l <"$tmp/out")" -eq 1 ] || { echo "FAIL: gcc format is not one line"; cat "$tmp/out"; fail=$((fail + 1)); }
"$bin" --format=json "$tmp/dup.jsonc" "$tmp/good.jsonc" >"$tmp/out" 2>&1; check json 1 $?
contains json-shape "$tmp/out" '"summary":{"files":2,"errors":1,"warnings":0,"notes":0}'
contains json-rule "$tmp/out" '"rule":"jsonc-duplicate-key"'

# colour: never by default when not a TTY, always on request, NO_COLOR honoured
"$bin" "$tmp/dup.jsonc" >"$tmp/out" 2>&1
grep -q $'\033\[' "$tmp/out" && { echo "FAIL: colour when not a tty"; fail=$((fail + 1)); }
"$bin" --color=always "$tmp/dup.jsonc" >"$tmp/out" 2>&1
grep -q $'\033\[' "$tmp/out" || { echo "FAIL: --color=always has no colour"; fail=$((fail + 1)); }

# no FILE: wrangler.json / wrangler.jsonc in the current directory
mkdir "$tmp/proj" "$tmp/empty"
printf '%s\n' "$good" >"$tmp/proj/wrangler.jsonc"
(cd "$tmp/proj" && "$bin" >"$tmp/out" 2>&1); check default-file 0 $?
printf '%s\n' "$good" >"$tmp/proj/wrangler.json"
(cd "$tmp/proj" && "$bin" >"$tmp/out" 2>&1); check shadowed-exit 0 $?
contains shadowed "$tmp/out" "[config-file-shadowed]"
(cd "$tmp/empty" && "$bin" >"$tmp/out" 2>&1); check no-config 2 $?
# wrangler.toml: found by default and in folders, shadowed by the JSON forms
mkdir "$tmp/tomlproj"
printf 'name = "app"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\n' >"$tmp/tomlproj/wrangler.toml"
(cd "$tmp/tomlproj" && "$bin" >"$tmp/out" 2>&1); check toml-default-file 0 $?
"$bin" --format=gcc "$tmp/tomlproj" >"$tmp/out" 2>&1; check toml-walk 0 $?
printf 'name = "app"\n[vars]\ncompatibility_date = 2025-01-01\n' >"$tmp/tomlproj/wrangler.toml"
"$bin" --format=gcc "$tmp/tomlproj" >"$tmp/out" 2>&1; check toml-walk-findings 1 $?
contains toml-walk-path "$tmp/out" "wrangler.toml:3:"
printf '%s\n' "$good" >"$tmp/tomlproj/wrangler.jsonc"
"$bin" "$tmp/tomlproj/wrangler.toml" >"$tmp/out" 2>&1
contains toml-shadowed "$tmp/out" "wrangler.jsonc, which sits next to this file"

# the shipped example is clean
"$bin" "$root/examples/wrangler.jsonc" >"$tmp/out" 2>&1; check example 0 $?

# --max-diagnostics
printf '{ "name": "a", "name": "b", "name": "c", "name": "d" }\n' >"$tmp/many.jsonc"
"$bin" --max-diagnostics=1 "$tmp/many.jsonc" >"$tmp/out" 2>&1; check max-diag 1 $?
contains max-diag-more "$tmp/out" "2 more diagnostics not shown"

# jsonc-file-too-large: a file one byte over the limit, one exactly at it
if sh "$root/fixtures/rules/jsonc-file-too-large/check.sh" "$bin" >"$tmp/out" 2>&1; then
	pass=$((pass + 1))
else
	echo "FAIL: jsonc-file-too-large"
	cat "$tmp/out"
	fail=$((fail + 1))
fi
# ... and through a pipe, whose size is not known in advance
head -c 70000000 /dev/zero | tr '\0' ' ' | "$bin" --format=gcc - >"$tmp/out" 2>&1; check stdin-too-large 1 $?
contains stdin-too-large-msg "$tmp/out" "<stdin>:1:1: error: the input is more than the 67108864-byte limit"

# Monorepos: a folder is searched; node_modules, .git and ignore globs are
# skipped; a symlink loop is entered once; output is in path order.
mono="$tmp/mono"
mkdir -p "$mono/apps/a" "$mono/apps/b" "$mono/legacy/c" "$mono/node_modules/x" "$mono/.git/y"
printf '{ "name": "a", "name": "a" }\n' >"$mono/apps/a/wrangler.jsonc"
printf '{ "name": "b", "vars": { "my-var": "1" } }\n' >"$mono/apps/b/wrangler.json"
for d in legacy/c node_modules/x .git/y; do printf '{ "name": "z", "name": "z" }\n' >"$mono/$d/wrangler.jsonc"; done
ln -s "$mono" "$mono/apps/loop"
"$bin" --format=gcc --no-config "$mono" >"$tmp/out" 2>&1; check walk 1 $?
[ "$(grep -c 'jsonc-duplicate-key' "$tmp/out")" -eq 2 ] || { echo "FAIL: walk found $(grep -c 'jsonc-duplicate-key' "$tmp/out") duplicates, expected 2 (apps/a, legacy/c)"; cat "$tmp/out"; fail=$((fail + 1)); }
grep -q node_modules "$tmp/out" && { echo "FAIL: walk entered node_modules"; fail=$((fail + 1)); }
printf '{\n  "rules": { "jsonc-duplicate-key": "warning", "binding-name-not-identifier": "off" },\n  "ignore": ["legacy"],\n  "fail-on": "warning"\n}\n' >"$mono/.wrangler-lint.jsonc"
"$bin" --format=gcc "$mono" >"$tmp/out" 2>&1; check project-fail-on 1 $?
contains project-severity "$tmp/out" "apps/a/wrangler.jsonc:1:16: warning: duplicate key"
grep -q legacy "$tmp/out" && { echo "FAIL: ignore glob not applied"; fail=$((fail + 1)); }
grep -q binding-name-not-identifier "$tmp/out" && { echo "FAIL: rule set to off still reported"; fail=$((fail + 1)); }
"$bin" --format=gcc --rule jsonc-duplicate-key=off --fail-on=error "$mono" >"$tmp/out" 2>&1; check rule-off 0 $?
[ -s "$tmp/out" ] && { echo "FAIL: --rule ...=off left output"; cat "$tmp/out"; fail=$((fail + 1)); }
"$bin" --rule no-such-rule=off "$mono" >"$tmp/out" 2>&1; check rule-unknown 2 $?
"$bin" --rule jsonc-duplicate-key=loud "$mono" >"$tmp/out" 2>&1; check rule-bad-level 2 $?
# The project file's own mistakes are diagnostics against it.
printf '{ "rules": { "jsonc-duplicate-kye": "off", "jsonc-syntax": "loud" }, "fail_on": 1 }\n' >"$mono/.wrangler-lint.jsonc"
"$bin" --format=gcc "$mono/apps/a/wrangler.jsonc" >"$tmp/out" 2>&1; check project-errors 1 $?
contains project-unknown-rule "$tmp/out" '.wrangler-lint.jsonc:1:14: warning: no rule is called "jsonc-duplicate-kye" (did you mean "jsonc-duplicate-key"?) [config-unknown-rule]'
contains project-bad-level "$tmp/out" "[config-invalid]"
"$bin" --config "$tmp/missing.jsonc" "$mono" >"$tmp/out" 2>&1; check config-missing 2 $?
rm "$mono/.wrangler-lint.jsonc"

# --env keeps top-level findings and those of the named envs only
cat >"$tmp/envs.jsonc" <<'JSON'
{
  "name": "app",
  "durable_objects": { "bindings": [{ "name": "R", "class_name": "Room" }] },
  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["Room"] }],
  "env": { "staging": {}, "production": {} }
}
JSON
"$bin" --format=gcc "$tmp/envs.jsonc" >"$tmp/out" 2>&1; check env-all 1 $?
[ "$(grep -c env-do-bindings-missing "$tmp/out")" -eq 2 ] || { echo "FAIL: expected 2 env findings"; fail=$((fail + 1)); }
"$bin" --format=gcc --env production "$tmp/envs.jsonc" >"$tmp/out" 2>&1; check env-one 1 $?
[ "$(grep -c env-do-bindings-missing "$tmp/out")" -eq 1 ] && grep -q "env.production" "$tmp/out" || { echo "FAIL: --env production"; cat "$tmp/out"; fail=$((fail + 1)); }

# A $schema naming a device or a FIFO must not hang or flood the linter.
printf '{ "$schema": "/dev/zero", "name": "a" }\n' >"$tmp/devzero.jsonc"
timeout 10 "$bin" --format=gcc "$tmp/devzero.jsonc" >"$tmp/out" 2>&1; check schema-device 0 $?
contains schema-device-note "$tmp/out" "/dev/zero is not a regular file"

# --help, --version and --list-rules fail (exit 2, one line) when stdout cannot be written.
if [ -w /dev/full ]; then
	for o in --help --version --list-rules; do
		"$bin" $o >/dev/full 2>"$tmp/err"; check "full-$o" 2 $?
		contains "full-$o-msg" "$tmp/err" "error writing output"
		[ "$(wc -l <"$tmp/err")" -eq 1 ] || { echo "FAIL: $o: stderr is not one line"; fail=$((fail + 1)); }
	done
fi
"$bin" --help >"$tmp/out" 2>&1
contains help-colour "$tmp/out" "--colour"

# Unreadable files are listed in the json and sarif documents.
"$bin" --format=json "$tmp/missing.jsonc" "$tmp/good.jsonc" >"$tmp/out" 2>"$tmp/err"; check json-unreadable 2 $?
contains json-unreadable-entry "$tmp/out" '"error":"No such file or directory","diagnostics":[],"omitted":0}'
contains json-unreadable-good "$tmp/out" 'good.jsonc","diagnostics":[],"omitted":0}'
"$bin" --format=sarif "$tmp/missing.jsonc" "$tmp/good.jsonc" >"$tmp/out" 2>"$tmp/err"; check sarif-unreadable 2 $?
contains sarif-unreadable-ok "$tmp/out" '"executionSuccessful": false'
contains sarif-unreadable-note "$tmp/out" 'missing.jsonc: No such file or directory"'
"$bin" --format=sarif "$tmp/good.jsonc" >"$tmp/out" 2>"$tmp/err"; check sarif-readable 0 $?
contains sarif-readable-ok "$tmp/out" '"executionSuccessful": true'
# A backslash in a POSIX file name is part of the name.
cp "$tmp/dup.jsonc" "$tmp/back\\slash.jsonc"
"$bin" --format=sarif "$tmp/back\\slash.jsonc" >"$tmp/out" 2>&1; check sarif-backslash 1 $?
contains sarif-backslash-uri "$tmp/out" 'back%5Cslash.jsonc"'

# The same file under several names is linted once, under the first name in sorted order.
same="$tmp/same"
mkdir -p "$same/real" "$same/links"
cp "$tmp/dup.jsonc" "$same/real/wrangler.jsonc"
ln -s ../real "$same/links/to-real"
(cd "$same/real" && "$bin" --format=gcc wrangler.jsonc ./wrangler.jsonc "$PWD/wrangler.jsonc") >"$tmp/out" 2>&1; check same-file 1 $?
[ "$(wc -l <"$tmp/out")" -eq 1 ] && contains same-file-name "$tmp/out" "./wrangler.jsonc:1:18:" ||
	{ echo "FAIL: same file linted more than once"; cat "$tmp/out"; fail=$((fail + 1)); }
(cd "$same" && "$bin" --format=gcc .) >"$tmp/out" 2>&1; check same-file-walk 1 $?
[ "$(wc -l <"$tmp/out")" -eq 1 ] && contains same-file-walk-name "$tmp/out" "links/to-real/wrangler.jsonc:1:18:" ||
	{ echo "FAIL: same file linted more than once in a walk"; cat "$tmp/out"; fail=$((fail + 1)); }

# Ignore globs: a trailing '/' or a leading './' as in .gitignore; excluding everything is said.
ign="$tmp/ign"
mkdir -p "$ign/apps/a" "$ign/legacy/b"
cp "$tmp/dup.jsonc" "$ign/apps/a/wrangler.jsonc"
cp "$tmp/dup.jsonc" "$ign/legacy/b/wrangler.jsonc"
printf '{ "ignore": ["legacy/"] }\n' >"$ign/.wrangler-lint.jsonc"
"$bin" --format=gcc "$ign" >"$tmp/out" 2>&1; check ignore-trailing-slash 1 $?
grep -q legacy "$tmp/out" && { echo "FAIL: legacy/ not ignored"; cat "$tmp/out"; fail=$((fail + 1)); }
printf '{ "ignore": ["./legacy/b/wrangler.jsonc"] }\n' >"$ign/.wrangler-lint.jsonc"
"$bin" --format=gcc "$ign" >"$tmp/out" 2>&1; check ignore-dot-slash 1 $?
grep -q legacy "$tmp/out" && { echo "FAIL: ./legacy/b/wrangler.jsonc not ignored"; cat "$tmp/out"; fail=$((fail + 1)); }
printf '{ "ignore": ["wrangler.jsonc/"] }\n' >"$ign/.wrangler-lint.jsonc"
"$bin" --format=gcc "$ign" >"$tmp/out" 2>&1; check ignore-dir-only 1 $?
[ "$(wc -l <"$tmp/out")" -eq 2 ] || { echo "FAIL: a trailing-slash glob matched files"; cat "$tmp/out"; fail=$((fail + 1)); }
printf '{ "ignore": ["apps/", "legacy"] }\n' >"$ign/.wrangler-lint.jsonc"
"$bin" --format=gcc "$ign" >"$tmp/out" 2>"$tmp/err"; check ignore-everything 2 $?
contains ignore-everything-msg "$tmp/err" "2 wrangler.json, wrangler.jsonc or wrangler.toml files in this folder or below, all excluded by the ignore globs of"
rm "$ign/.wrangler-lint.jsonc"

# Unreadable folders in a walk, and an unreadable DIR argument: exit 2, named on stderr.
# As root, permissions are not enforced: run the linter as nobody.
if [ "$(id -u)" -ne 0 ]; then
	as_user() { "$@"; }
elif command -v setpriv >/dev/null 2>&1; then
	as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
else
	as_user() { return 125; }
fi
priv=$(mktemp -d /tmp/wl-cli-perm.XXXXXX)
chmod 755 "$priv"
mkdir -p "$priv/ok" "$priv/closed"
cp "$tmp/good.jsonc" "$priv/ok/wrangler.jsonc"
cp "$tmp/dup.jsonc" "$priv/closed/wrangler.jsonc"
chmod -R a+rX "$priv"
chmod 000 "$priv/closed"
as_user "$bin" --format=gcc "$priv" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -ne 125 ] && [ -x "$bin" ]; then
	check unreadable-folder 2 $rc
	contains unreadable-folder-msg "$tmp/err" "closed: Permission denied"
	as_user "$bin" --format=json "$priv" >"$tmp/out" 2>"$tmp/err"; check unreadable-folder-json 2 $?
	contains unreadable-folder-json-entry "$tmp/out" 'closed","error":"Permission denied"'
	as_user "$bin" "$priv/closed" >"$tmp/out" 2>"$tmp/err"; check unreadable-dir-arg 2 $?
	contains unreadable-dir-arg-msg "$tmp/err" "closed: Permission denied"
	grep -q "no wrangler.json" "$tmp/err" && { echo "FAIL: unreadable DIR called empty"; fail=$((fail + 1)); }
else
	echo "unreadable-folder tests skipped: running as root without setpriv"
fi
chmod 755 "$priv/closed"
rm -rf "$priv"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
