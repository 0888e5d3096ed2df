#!/usr/bin/env bash
# The hook in .pre-commit-hooks.yaml, run the way pre-commit runs it, without
# pre-commit itself: in a scratch git repository, the staged files (added,
# copied, modified or renamed; never deleted ones) whose path matches the
# hook's `files` regex are passed to its `entry`, run from the top of the
# repository; when no staged file matches, the hook is skipped.
# usage: pre-commit.sh PATH/TO/wrangler-lint SOURCE_ROOT
set -u
bin=$1
root=$2
hooks=$root/.pre-commit-hooks.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { # name why
	echo "FAIL: $1: $2"
	fail=$((fail + 1))
}
same() { # name expected actual
	if [ "$2" = "$3" ]; then
		ok
	else
		bad "$1" "expected '$2', got '$3'"
	fi
}
contains() { # name haystack-file needle
	if grep -qF -- "$3" "$2"; then
		ok
	else
		bad "$1" "output lacks '$3'"
		sed 's/^/    /' "$2" | head -20
	fi
}
lacks() { # name haystack-file needle
	if grep -qF -- "$3" "$2"; then
		bad "$1" "output has '$3'"
		sed 's/^/    /' "$2" | head -20
	else
		ok
	fi
}

# The value of KEY in the hook definition: plain or single-quoted YAML scalars
# only (a double-quoted one would need its backslash escapes undone).
hook_value() { # KEY
	sed -n "s/^[[:space:]-]*$1:[[:space:]]*//p" "$hooks" | head -n 1 |
		sed -e 's/[[:space:]]*$//' -e "s/^'\\(.*\\)'\$/\\1/" -e "s/''/'/g"
}

[ -f "$hooks" ] || {
	echo "FAIL: $hooks is missing"
	echo "0 passed, 1 failed"
	exit 1
}
same hook-count 1 "$(grep -c '^- id:' "$hooks")"
same hook-id wrangler-lint "$(hook_value id)"
same hook-language system "$(hook_value language)"
same hook-pass-filenames true "$(hook_value pass_filenames)"
same hook-require-serial false "$(hook_value require_serial)"
entry=$(hook_value entry)
files=$(hook_value files)
same hook-entry wrangler-lint "$entry"
case $files in
"" | \"*) bad hook-files "no usable files regex: '$files'" ;;
*) ok ;;
esac

# The regex alone, on paths as git shows them (relative to the top).
for p in wrangler.json wrangler.jsonc apps/api/wrangler.jsonc "my app/wrangler.json"; do
	if printf '%s\n' "$p" | grep -qE -- "$files"; then ok; else bad files-regex "'$p' not matched"; fi
done
for p in wrangler.toml mywrangler.json apps/mywrangler.jsonc wrangler.json.bak wrangler.jsonc.orig \
	wrangler.jsonc/notes.md Wrangler.jsonc wrangler.jsonx other.jsonc; do
	if printf '%s\n' "$p" | grep -qE -- "$files"; then bad files-regex "'$p' matched"; else ok; fi
done

# The built binary comes first on PATH, as an installed one would be there.
bin_dir=$(cd "$(dirname "$bin")" && pwd)
export PATH="$bin_dir:$PATH"
same entry-on-path "$bin_dir/wrangler-lint" "$(command -v wrangler-lint)"

# A repository of its own, untouched by the user's git configuration.
export HOME=$tmp/home GIT_CONFIG_NOSYSTEM=1
mkdir "$HOME"
repo=$tmp/repo
git -c init.defaultBranch=main init -q "$repo" || {
	echo "FAIL: git init"
	echo "$pass passed, $((fail + 1)) failed"
	exit 1
}
git -C "$repo" config user.name "wrangler-lint tests"
git -C "$repo" config user.email "tests@wrangler-lint.invalid"
git -C "$repo" config commit.gpgsign false

# run_hook: does what pre-commit does for this hook. The files passed are
# left in $tmp/selected (one per line), the output in $tmp/out; the status
# is the hook's (0 when it was skipped). $tmp/ran says whether it ran.
run_hook() {
	local -a staged selected=()
	local f status=0
	mapfile -d '' -t staged < <(git -C "$repo" diff --cached --name-only --diff-filter=ACMR -z)
	for f in "${staged[@]}"; do
		if printf '%s\n' "$f" | grep -qE -- "$files"; then
			selected+=("$f")
		fi
	done
	if [ "${#selected[@]}" -eq 0 ]; then
		: >"$tmp/selected"
		: >"$tmp/out"
		echo no >"$tmp/ran"
		return 0
	fi
	printf '%s\n' "${selected[@]}" >"$tmp/selected"
	echo yes >"$tmp/ran"
	# entry is split into words, as pre-commit splits it.
	# shellcheck disable=SC2086
	(cd "$repo" && $entry "${selected[@]}") >"$tmp/out" 2>&1 || status=$?
	return "$status"
}
selected() { tr '\n' ' ' <"$tmp/selected" | sed 's/ $//'; }

good='{ "name": "app", "main": "src/index.ts", "compatibility_date": "2025-01-01" }'
dup='{ "name": "app", "name": "x" }'
mkdir -p "$repo/apps/api" "$repo/apps/web" "$repo/my app" "$repo/docs"
printf '%s\n' "$dup" >"$repo/wrangler.jsonc"
printf '%s\n' "$good" >"$repo/apps/api/wrangler.jsonc"
printf '%s\n' "$good" >"$repo/apps/web/wrangler.json"
printf '%s\n' "$good" >"$repo/my app/wrangler.jsonc"
# Not for the hook, and each would fail it if it were passed.
printf 'name = "app"\nname = "x"\n' >"$repo/wrangler.toml"
for f in mywrangler.json wrangler.jsonc.orig apps/api/old-wrangler.jsonc docs/wrangler.jsonc.md; do
	printf '%s\n' "$dup" >"$repo/$f"
done
git -C "$repo" add -A

# 1. a bad file at the top, good ones below: the hook fails and points at it.
run_hook
same bad-status 1 $?
same bad-selected "apps/api/wrangler.jsonc apps/web/wrangler.json my app/wrangler.jsonc wrangler.jsonc" "$(selected)"
contains bad-location "$tmp/out" "wrangler.jsonc:1:18: error: duplicate key"
contains bad-rule "$tmp/out" "[jsonc-duplicate-key]"
lacks bad-good-files-clean "$tmp/out" "apps/api/wrangler.jsonc:"
lacks bad-unselected "$tmp/out" "mywrangler.json"

# 2. only the good files staged (the bad one left untracked): the hook passes.
git -C "$repo" rm -q --cached wrangler.jsonc
run_hook
same good-status 0 $?
same good-ran yes "$(cat "$tmp/ran")"
same good-selected "apps/api/wrangler.jsonc apps/web/wrangler.json my app/wrangler.jsonc" "$(selected)"
[ -s "$tmp/out" ] && bad good-quiet "a clean run printed output: $(head -5 "$tmp/out")"
git -C "$repo" commit -q -m "first" || bad commit "git commit failed"

# 3. only files the regex does not match staged: the hook is skipped (run
# without a file, wrangler-lint would check the current directory instead).
printf 'name = "app"\n' >"$repo/wrangler.toml"
printf '%s\n' "$good" >"$repo/mywrangler.json"
git -C "$repo" add wrangler.toml mywrangler.json
run_hook
same skipped-status 0 $?
same skipped-ran no "$(cat "$tmp/ran")"
same skipped-selected "" "$(selected)"
git -C "$repo" commit -q -m "second" || bad commit "git commit failed"

# 4. a staged deletion is not passed (the file is gone), a modification is.
git -C "$repo" rm -q apps/web/wrangler.json
printf '{ "name": "api", "main": "src/index.ts", "compatibility_date": "2025-02-01" }\n' \
	>"$repo/apps/api/wrangler.jsonc"
git -C "$repo" add apps/api/wrangler.jsonc
run_hook
same deleted-status 0 $?
same deleted-selected "apps/api/wrangler.jsonc" "$(selected)"

# 5. a bad file in a subfolder: its path from the top of the repository.
printf '{\n  "name": "api"\n  "main": "src/index.ts"\n}\n' >"$repo/apps/api/wrangler.jsonc"
git -C "$repo" add apps/api/wrangler.jsonc
run_hook
same sub-status 1 $?
contains sub-location "$tmp/out" "apps/api/wrangler.jsonc:2:16: error:"
contains sub-rule "$tmp/out" "[jsonc-syntax]"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
