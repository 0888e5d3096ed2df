#!/usr/bin/env bash
# The source checks from the command line (issue #9): the seed's layout
# lints clean, diagnostics name the TypeScript file they are in (text, gcc,
# json, sarif, github), suppression comments work there, --no-source turns
# the family off, and a config on standard input reads no source.
# usage: source-cli.sh PATH/TO/wrangler-lint SOURCE_ROOT
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
contains() { # name file needle
	if grep -qF -- "$3" "$2"; then
		pass=$((pass + 1))
	else
		echo "FAIL: $1: output lacks '$3'"
		sed 's/^/    /' "$2" | head -20
		fail=$((fail + 1))
	fi
}
lacks() { # name file needle
	if grep -qF -- "$3" "$2"; then
		echo "FAIL: $1: output has '$3'"
		sed 's/^/    /' "$2" | head -20
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

cp -r "$root/fixtures/source/." "$tmp/"
cd "$tmp" && git init -q . 2>/dev/null

"$bin" seed/wrangler.jsonc >out 2>&1; check seed-clean 0 $?
"$bin" --format=gcc not-exported/wrangler.jsonc >out 2>&1; check not-exported 1 $?
contains not-exported-message out "class MyDO (binding MY_DO) is not exported from the entry point not-exported/src/index.ts"
"$bin" not-exported/wrangler.jsonc >out 2>&1
contains related-entry out "not-exported/src/index.ts:1:1: note: the entry point"
contains related-declaration out "not-exported/src/do.ts:3:14: note: declared and exported here"
"$bin" --no-source not-exported/wrangler.jsonc >out 2>&1; check no-source 0 $?
lacks no-source-silent out "source-class-not-exported"

# a diagnostic in a .ts file is shown at that file, in every format
"$bin" --format=gcc env-mismatch/wrangler.jsonc >out 2>&1; check mismatch-warning 0 $?
contains gcc-ts-path out "env-mismatch/src/env.d.ts:6:11: warning: Env.ROOM is declared as KVNamespace"
"$bin" --format=json env-mismatch/wrangler.jsonc >out 2>&1
contains json-ts-path out '"path":"env-mismatch/src/env.d.ts"'
"$bin" --format=sarif env-mismatch/wrangler.jsonc >out 2>&1
contains sarif-ts-path out 'env-mismatch/src/env.d.ts'
"$bin" --format=github env-mismatch/wrangler.jsonc >out 2>&1
contains github-ts-path out 'file=env-mismatch/src/env.d.ts,line=6'
"$bin" --fail-on=warning env-mismatch/wrangler.jsonc >out 2>&1; check fail-on-warning 1 $?

# suppression comments in the config and in the .ts file
"$bin" --format=gcc suppressed/wrangler.jsonc >out 2>&1; check suppressed 0 $?
lacks suppressed-config out "source-class-not-exported"
lacks suppressed-ts out "source-env-type-mismatch"
lacks suppressed-used out "suppression-unused"

# the project file turns the rules off
printf '{ "rules": { "source-class-not-exported": "off" } }\n' >not-exported/.wrangler-lint.jsonc
"$bin" not-exported/wrangler.jsonc >out 2>&1; check project-off 0 $?
rm not-exported/.wrangler-lint.jsonc

# a service-worker entry: the related note points at addEventListener("fetch"), line 5
"$bin" --no-config service-worker >out 2>&1
check service-worker 1 $?
contains service-worker-note out 'service-worker/src/index.js:5:1: note: the entry point listens for fetch events here'

# standard input has no folder: no source is read
"$bin" --stdin-filename=not-exported/wrangler.jsonc - <not-exported/wrangler.jsonc >out 2>&1
check stdin-no-source 0 $?

# a folder search lints every fixture config without a crash
"$bin" . >out 2>&1
status=$?
[ "$status" -le 1 ] && pass=$((pass + 1)) || { echo "FAIL: folder search exit $status"; fail=$((fail + 1)); }

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
