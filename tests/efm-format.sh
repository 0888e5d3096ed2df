#!/usr/bin/env bash
# The --format=gcc lines that editors parse (docs/editors.md: efm-langserver's
# lintFormats, Vim's errorformat, Emacs' compile mode, VS Code's problem
# matcher): for every fixture in fixtures/render, checked as a file and as
# standard input (the way efm-langserver runs it), each line has the shape
#   path:line:column: error|warning|note: message [rule-id]
# and the output is byte for byte tests/golden/<fixture>.gcc. When vim is
# installed, the errorformat of docs/editors.md is also tried on it.
# usage: efm-format.sh PATH/TO/wrangler-lint SOURCE_ROOT
set -u
bin=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
line_re='^[^:]+:[0-9]+:[0-9]+: (error|warning|note): .+ \[[a-z0-9-]+\]$'

cd "$root" || exit 2
# A project file found above the source tree must not change the output.
opts=(--format=gcc)
"$bin" --help 2>/dev/null | grep -q -- '--no-config' && opts+=(--no-config)

check_output() { # name output-file golden-file
	local bad
	if cmp -s "$2" "$3"; then
		pass=$((pass + 1))
	else
		echo "FAIL: $1: output differs from $3"
		diff "$3" "$2" | head -20
		fail=$((fail + 1))
	fi
	bad=$(LC_ALL=C grep -cvE -- "$line_re" "$2")
	if [ "$bad" -eq 0 ] && [ -s "$2" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: $1: $bad line(s) not of the form path:line:col: severity: message [rule]"
		LC_ALL=C grep -vE -- "$line_re" "$2" | head -5
		fail=$((fail + 1))
	fi
}

n=0
for f in fixtures/render/*.jsonc fixtures/render/*.json; do
	[ -f "$f" ] || continue
	name=${f##*/}
	golden=tests/golden/$name.gcc
	if [ ! -f "$golden" ]; then
		echo "FAIL: $golden is missing"
		fail=$((fail + 1))
		continue
	fi
	n=$((n + 1))
	"$bin" "${opts[@]}" "$f" >"$tmp/out" 2>"$tmp/err"
	status=$?
	[ -s "$tmp/err" ] && { echo "FAIL: $name: stderr: $(head -3 "$tmp/err")"; fail=$((fail + 1)); }
	expected=0
	grep -q ': error: ' "$golden" && expected=1
	if [ "$status" -eq "$expected" ]; then pass=$((pass + 1)); else
		echo "FAIL: $name: exit $status, expected $expected"
		fail=$((fail + 1))
	fi
	check_output "$name" "$tmp/out" "$golden"
	# as efm-langserver runs it: the buffer on stdin, named with --stdin-filename
	# shellcheck disable=SC2094 # $f is only read
	"$bin" "${opts[@]}" --stdin-filename "$f" - <"$f" >"$tmp/out" 2>/dev/null
	check_output "$name (stdin)" "$tmp/out" "$golden"
	cat "$golden" >>"$tmp/all.golden"
done
if [ "$n" -eq 0 ]; then
	echo "FAIL: no fixtures in fixtures/render"
	fail=$((fail + 1))
fi

# all at once: files in sorted path order, the same lines
mapfile -t all < <(printf '%s\n' fixtures/render/*.jsonc fixtures/render/*.json | LC_ALL=C sort)
"$bin" "${opts[@]}" "${all[@]}" >"$tmp/out" 2>/dev/null
LC_ALL=C sort "$tmp/all.golden" >"$tmp/all.sorted"
LC_ALL=C sort "$tmp/out" >"$tmp/out.sorted"
if cmp -s "$tmp/out.sorted" "$tmp/all.sorted"; then pass=$((pass + 1)); else
	echo "FAIL: one run over every fixture differs from the goldens"
	fail=$((fail + 1))
fi

# Vim's quickfix with the errorformat given in docs/editors.md
if command -v vim >/dev/null 2>&1; then
	efm='%f:%l:%c:\ %trror:\ %m,%f:%l:%c:\ %tarning:\ %m,%f:%l:%c:\ %tote:\ %m'
	vim -N -u NONE -i NONE -es \
		-c "set errorformat=$efm" \
		-c "cgetfile $tmp/out" \
		-c "call writefile(map(getqflist(), 'v:val.valid . \" \" . v:val.lnum . \" \" . v:val.col . \" \" . v:val.type . \" \" . bufname(v:val.bufnr)'), '$tmp/qf')" \
		-c 'qa!' </dev/null >/dev/null 2>&1
	# the same fields, taken from the lines with sed
	sed -E 's/^([^:]+):([0-9]+):([0-9]+): (.).*/1 \2 \3 \4 \1/' "$tmp/out" >"$tmp/qf.expected"
	if [ -s "$tmp/qf.expected" ] && cmp -s "$tmp/qf" "$tmp/qf.expected"; then
		pass=$((pass + 1))
	else
		echo "FAIL: vim errorformat: quickfix entries differ"
		diff "$tmp/qf.expected" "$tmp/qf" 2>&1 | head -10
		fail=$((fail + 1))
	fi
else
	echo "vim is not installed: errorformat check skipped"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
