#!/usr/bin/env bash
# The bash completion (completions/wrangler-lint.bash): sourced here, its
# function is driven as bash drives it, with COMP_WORDS split at '=' and ':'
# like COMP_WORDBREAKS splits them, COMP_CWORD, COMP_LINE and COMP_POINT.
# usage: completion.sh PATH/TO/wrangler-lint SOURCE_ROOT
set -u
bin=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

bin_dir=$(cd "$(dirname "$bin")" && pwd)
export PATH="$bin_dir:$PATH"
# shellcheck source-path=SCRIPTDIR/..
# shellcheck source=completions/wrangler-lint.bash
. "$root/completions/wrangler-lint.bash"

# comp LINE: completes the end of LINE; the candidates, sorted, on one line.
comp() {
	local line=$1 chunk piece
	local -a chunks
	COMP_WORDS=()
	read -ra chunks <<<"$line"
	for chunk in "${chunks[@]}"; do
		while [[ -n $chunk ]]; do
			if [[ $chunk == [=:]* ]]; then
				piece=${chunk%%[!=:]*}
			else
				piece=${chunk%%[=:]*}
			fi
			COMP_WORDS+=("$piece")
			chunk=${chunk#"$piece"}
		done
	done
	[[ $line == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMPREPLY=()
	_wrangler_lint
	((${#COMPREPLY[@]})) && printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'
}
expect() { # LINE expected-candidates
	local got
	got=$(comp "$1")
	if [ "$got" = "$2" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: '$1': expected '$2', got '$got'"
		fail=$((fail + 1))
	fi
}
has() { # LINE candidate...: each is among the candidates
	local got c
	got=" $(comp "$1") "
	shift
	for c in "$@"; do
		if [[ $got == *" $c "* ]]; then
			pass=$((pass + 1))
		else
			echo "FAIL: completion lacks '$c': got '$got'"
			fail=$((fail + 1))
		fi
	done
}

if complete -p wrangler-lint 2>/dev/null | grep -q -- '-F _wrangler_lint wrangler-lint$'; then
	pass=$((pass + 1))
else
	echo "FAIL: no 'complete -F _wrangler_lint wrangler-lint'"
	fail=$((fail + 1))
fi

# options
has 'wrangler-lint -' -f --format= --color= --fail-on= --stdin-filename= --max-diagnostics= \
	--rule --env --config --no-config --schema --no-user-schema --no-source --list-rules -h --help -V --version -
expect 'wrangler-lint --for' '--format='
expect 'wrangler-lint --no-c' '--no-config'
expect 'wrangler-lint --no' '--no-config --no-source --no-user-schema'
expect 'wrangler-lint --co' '--color= --colour= --config'
expect 'wrangler-lint --list' '--list-rules'
# every long option the binary's --help names is offered (--colour is an alias)
for o in $("$bin" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
	[ "$o" = --colour ] && continue
	got=" $(comp "wrangler-lint $o") "
	if [[ $got == *" $o "* || $got == *" $o= "* ]]; then
		pass=$((pass + 1))
	else
		echo "FAIL: $o (from --help) is not completed: got '$got'"
		fail=$((fail + 1))
	fi
done

# option values, after '=' (split off by bash), after a blank, and glued to -f
expect 'wrangler-lint --format=' 'gcc github json sarif text'
expect 'wrangler-lint --format=js' 'json'
expect 'wrangler-lint --format ' 'gcc github json sarif text'
expect 'wrangler-lint -f s' 'sarif'
expect 'wrangler-lint -fg' '-fgcc -fgithub'
expect 'wrangler-lint --color=' 'always auto never'
expect 'wrangler-lint --colour a' 'always auto'
expect 'wrangler-lint --fail-on=' 'error note warning'
expect 'wrangler-lint x.jsonc --fail-on w' 'warning'
expect 'wrangler-lint --env ' ''
expect 'wrangler-lint --max-diagnostics=' ''

# --rule: ids from --list-rules, then severities
n_rules=$("$bin" --list-rules | wc -l)
n_got=$(comp 'wrangler-lint --rule ' | wc -w)
if [ "$n_rules" -gt 0 ] && [ "$n_got" -eq "$n_rules" ]; then
	pass=$((pass + 1))
else
	echo "FAIL: --rule offers $n_got ids, --list-rules has $n_rules"
	fail=$((fail + 1))
fi
has 'wrangler-lint --rule ' do-prefer-sqlite= binding-name-not-identifier= jsonc-syntax=
expect 'wrangler-lint --rule do-pref' 'do-prefer-sqlite='
expect 'wrangler-lint --rule=do-pref' 'do-prefer-sqlite='
expect 'wrangler-lint --rule do-prefer-sqlite=' 'error note off warning'
expect 'wrangler-lint --rule do-prefer-sqlite=e' 'error'
expect 'wrangler-lint --rule=do-prefer-sqlite=o' 'off'
expect 'wrangler-lint --rule nonesuch-rule' ''
# the command being completed is asked, even when it is not on PATH
saved_path=$PATH
PATH=/usr/bin:/bin
expect "$bin --rule do-pref" 'do-prefer-sqlite='
PATH=$saved_path

# files: directories, *.json and *.jsonc; any file for --config
mkdir -p "$tmp/w/sub" "$tmp/w/my dir"
: >"$tmp/w/wrangler.json"
: >"$tmp/w/wrangler.jsonc"
: >"$tmp/w/wrangler.toml"
: >"$tmp/w/notes.txt"
: >"$tmp/w/.wrangler-lint.jsonc"
: >"$tmp/w/a=b.jsonc"
cd "$tmp/w" || exit 1
# (hidden files too, as readline shows them by default)
expect 'wrangler-lint ' '.wrangler-lint.jsonc a=b.jsonc my dir sub wrangler.json wrangler.jsonc'
expect 'wrangler-lint w' 'wrangler.json wrangler.jsonc'
expect 'wrangler-lint --format=gcc wrangler.jsonc n' ''
expect 'wrangler-lint a=' 'b.jsonc'
expect 'wrangler-lint --config .w' '.wrangler-lint.jsonc'
expect 'wrangler-lint --config=wr' 'wrangler.json wrangler.jsonc wrangler.toml'
expect 'wrangler-lint --schema n' 'notes.txt'
expect 'wrangler-lint --stdin-filename n' 'notes.txt'
expect 'wrangler-lint -- --f' ''
expect 'wrangler-lint -- w' 'wrangler.json wrangler.jsonc'
cd - >/dev/null || exit 1

# without COMP_LINE, the pieces are joined all the same
COMP_WORDS=(wrangler-lint --format '=' js)
COMP_CWORD=3
unset COMP_LINE COMP_POINT
COMPREPLY=()
_wrangler_lint
if [ "${COMPREPLY[*]}" = json ]; then
	pass=$((pass + 1))
else
	echo "FAIL: no COMP_LINE: expected 'json', got '${COMPREPLY[*]}'"
	fail=$((fail + 1))
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
