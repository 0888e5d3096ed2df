#!/usr/bin/env bash
# --fix, --unsafe-fixes and --diff from the command line: what is written,
# what is not, and every way a write can fail leaving the original intact.
# usage: fix.sh WRANGLER_LINT WRANGLER_LINT_WITH_TEST_HOOKS SOURCE_ROOT
set -u
WL=$1
HOOKS=$2
ROOT=$3
pass=0
fails=0
ok() { pass=$((pass + 1)); }
bad() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
check() { # description, then a command that must succeed
	local what=$1
	shift
	if "$@"; then ok; else bad "$what"; fi
}

tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT

broken() { # a config with one safe fix (a missing comma) and nothing else
	printf '{\n\t"name": "app"\n\t"main": "src/index.ts",\n\t"compatibility_date": "2025-01-01"\n}\n'
}
fixed() {
	printf '{\n\t"name": "app",\n\t"main": "src/index.ts",\n\t"compatibility_date": "2025-01-01"\n}\n'
}
mtime() { stat -c %Y.%y "$1"; }

# --- fixing in place, and the summary ---
d=$tmp/basic
mkdir -p "$d"
broken >"$d/wrangler.jsonc"
chmod 640 "$d/wrangler.jsonc"
out=$("$WL" --fix "$d/wrangler.jsonc" 2>&1)
rc=$?
check "--fix exits 0 when nothing remains (rc=$rc)" test $rc -eq 0
check "--fix summary: $out" grep -q '^1 fix applied in 1 file$' <<<"$out"
check "--fix writes the fixed text" cmp -s "$d/wrangler.jsonc" <(fixed)
check "--fix keeps the mode" test "$(stat -c %a "$d/wrangler.jsonc")" = 640
check "--fix leaves no temporary file" test "$(ls -A "$d" | wc -l)" -eq 1

# --- several files: counted once each; a folder is searched ---
m=$tmp/multi
mkdir -p "$m/a" "$m/b" "$m/c"
broken >"$m/a/wrangler.jsonc"
broken >"$m/b/wrangler.jsonc"
fixed >"$m/c/wrangler.jsonc"
out=$("$WL" --fix "$m" 2>&1)
check "folder --fix summary: $out" grep -q '^2 fixes applied in 2 files$' <<<"$out"
check "folder --fix fixed both" cmp -s "$m/a/wrangler.jsonc" "$m/b/wrangler.jsonc"

# --- nothing to fix: not written at all ---
touch -d '2020-01-01 00:00:00' "$d/wrangler.jsonc"
before=$(mtime "$d/wrangler.jsonc")
ino=$(stat -c %i "$d/wrangler.jsonc")
out=$("$WL" --fix "$d/wrangler.jsonc" 2>&1)
check "second --fix: 0 fixes ($out)" grep -q '^0 fixes applied in 0 files$' <<<"$out"
check "nothing to fix: mtime unchanged" test "$(mtime "$d/wrangler.jsonc")" = "$before"
check "nothing to fix: same inode" test "$(stat -c %i "$d/wrangler.jsonc")" = "$ino"

# --- --diff writes nothing and exits 1 when there are changes ---
broken >"$d/wrangler.jsonc"
out=$("$WL" --diff "$d/wrangler.jsonc")
rc=$?
check "--diff exits 1 with changes (rc=$rc)" test $rc -eq 1
check "--diff shows the change" grep -q '^+	"name": "app",$' <<<"$out"
check "--diff header" grep -q "^--- a/$d/wrangler.jsonc\$" <<<"$out"
check "--diff writes nothing" cmp -s "$d/wrangler.jsonc" <(broken)
"$WL" --fix "$d/wrangler.jsonc" >/dev/null
out=$("$WL" --diff "$d/wrangler.jsonc")
rc=$?
check "--diff exits 0 without changes (rc=$rc)" test $rc -eq 0
check "--diff prints nothing without changes" test -z "$out"

# --- standard input: the whole fixed text on stdout ---
out=$(broken | "$WL" --fix - 2>/dev/null)
check "stdin --fix prints the fixed text" cmp -s <(printf '%s\n' "$out") <(fixed)
out=$(broken | "$WL" --fix - 2>&1 >/dev/null)
check "stdin --fix reports on stderr" grep -q '1 fix applied' <<<"$out"

# --- json: fixed counts and safety ---
broken >"$d/wrangler.jsonc"
out=$("$WL" --diff --unsafe-fixes "$d/wrangler.jsonc" >/dev/null; "$WL" -f json --fix "$d/wrangler.jsonc")
check "json summary.fixed: $out" grep -q '"fixed":{"fixes":1,"files":1}' <<<"$out"
broken >"$d/wrangler.jsonc"
out=$("$WL" -f json "$d/wrangler.jsonc")
check "json fix safety" grep -q '"safety":"safe"' <<<"$out"

# --- safe vs unsafe ---
printf '{\n  "name": "a",\n  "main": "x.ts",\n  "name": "b",\n  "compatibility_date": "2025-01-01"\n}\n' >"$d/wrangler.jsonc"
cp "$d/wrangler.jsonc" "$tmp/dup.orig"
"$WL" --fix "$d/wrangler.jsonc" >/dev/null
check "--fix leaves unsafe fixes alone" cmp -s "$d/wrangler.jsonc" "$tmp/dup.orig"
"$WL" --fix --unsafe-fixes "$d/wrangler.jsonc" >/dev/null
check "--unsafe-fixes applies them" test "$(grep -c '"name"' "$d/wrangler.jsonc")" -eq 1

# --- usage errors ---
for args in "--unsafe-fixes $d/wrangler.jsonc" "--diff -f json $d/wrangler.jsonc" \
	"--fix - $d/wrangler.jsonc"; do
	# shellcheck disable=SC2086
	"$WL" $args </dev/null >/dev/null 2>"$tmp/err"
	rc=$?
	check "usage error for '$args' (rc=$rc)" test $rc -eq 2
	check "usage error is one line and a hint" test "$(wc -l <"$tmp/err")" -eq 2
done

# --- TOML files: the fixes are JSON text, so none is applied there ---
t=$tmp/toml
mkdir -p "$t"
printf 'name = "a"\nmain = "x.ts"\ncompatibility_date = "2025-01-01"\ndurable_objects = { bindings = [{ name = "R", class_name = "R" }] }\n[[migrations]]\ntag = "v1"\nnew_sqlite_classes = ["R"]\n[env.staging]\ndurable_objects = { bindings = [] }\n' >"$t/wrangler.toml"
cp "$t/wrangler.toml" "$tmp/toml.orig"
"$WL" --fix "$t/wrangler.toml" >/dev/null 2>&1
check "TOML: not changed by --fix" cmp -s "$t/wrangler.toml" "$tmp/toml.orig"

# --- a symbolic link: its target is replaced, the link stays ---
s=$tmp/sym
mkdir -p "$s/real"
broken >"$s/real/wrangler.jsonc"
ln -s real/wrangler.jsonc "$s/wrangler.jsonc"
"$WL" --fix "$s/wrangler.jsonc" >/dev/null
check "symlink is still a symlink" test -L "$s/wrangler.jsonc"
check "symlink target fixed" cmp -s "$s/real/wrangler.jsonc" <(fixed)
check "no temporary file next to the link or the target" \
	test "$(ls -A "$s" | wc -l)" -eq 2 -a "$(ls -A "$s/real" | wc -l)" -eq 1

# --- a read-only folder: exit 2, one line, original intact ---
# (root writes anywhere: then the check runs as nobody, when setpriv can)
as_user=()
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
if [ "$(id -u)" -ne 0 ] || [ ${#as_user[@]} -gt 0 ]; then
	r=$tmp/ro
	mkdir -p "$r"
	broken >"$r/wrangler.jsonc"
	chmod 755 "$tmp"
	chmod 644 "$r/wrangler.jsonc"
	[ ${#as_user[@]} -gt 0 ] && chown 65534:65534 "$r" "$r/wrangler.jsonc"
	chmod 555 "$r"
	"${as_user[@]}" "$WL" --fix "$r/wrangler.jsonc" >/dev/null 2>"$tmp/err"
	rc=$?
	chmod 755 "$r"
	check "read-only folder: exit 2 (rc=$rc)" test $rc -eq 2
	check "read-only folder: one line ($(cat "$tmp/err"))" test "$(wc -l <"$tmp/err")" -eq 1
	check "read-only folder: original intact" cmp -s "$r/wrangler.jsonc" <(broken)
fi

# --- injected failures at every step ---
for step in open write fsync rename; do
	f=$tmp/inj-$step
	mkdir -p "$f"
	broken >"$f/wrangler.jsonc"
	WL_TEST_WRITE_FAIL=$step "$HOOKS" --fix "$f/wrangler.jsonc" >/dev/null 2>"$tmp/err"
	rc=$?
	check "failing $step: exit 2 (rc=$rc)" test $rc -eq 2
	check "failing $step: one line ($(cat "$tmp/err"))" test "$(wc -l <"$tmp/err")" -eq 1
	check "failing $step: original intact" cmp -s "$f/wrangler.jsonc" <(broken)
	check "failing $step: no temporary file left" test "$(ls -A "$f" | wc -l)" -eq 1
done

# --- the file changed between read and write: left alone ---
c=$tmp/changed
mkdir -p "$c"
broken >"$c/wrangler.jsonc"
WL_TEST_WRITE_MODIFY=1 "$HOOKS" --fix "$c/wrangler.jsonc" >/dev/null 2>"$tmp/err"
rc=$?
check "changed on disk: exit 2 (rc=$rc)" test $rc -eq 2
check "changed on disk: one line ($(cat "$tmp/err"))" \
	test "$(wc -l <"$tmp/err")" -eq 1 -a "$(grep -c 'changed on disk' "$tmp/err")" -eq 1
check "changed on disk: the other writer's content stays" \
	cmp -s "$c/wrangler.jsonc" <(broken; printf '\n')
check "changed on disk: no temporary file left" test "$(ls -A "$c" | wc -l)" -eq 1

# --- the golden fixtures through the binary: byte for byte, twice ---
for src in "$ROOT"/fixtures/fix/*.jsonc; do
	case $src in *.fixed.jsonc) continue ;; esac
	name=$(basename "$src" .jsonc)
	g=$tmp/golden-$name
	mkdir -p "$g"
	cp "$src" "$g/wrangler.jsonc"
	extra=
	case $name in unsafe-*) extra=--unsafe-fixes ;; esac
	"$WL" --fix $extra "$g/wrangler.jsonc" >/dev/null 2>&1
	check "$name: --fix gives the golden file" cmp -s "$g/wrangler.jsonc" "$ROOT/fixtures/fix/$name.fixed.jsonc"
	touch -d '2020-01-01 00:00:00' "$g/wrangler.jsonc"
	before=$(mtime "$g/wrangler.jsonc")
	"$WL" --fix $extra "$g/wrangler.jsonc" >/dev/null 2>&1
	check "$name: a second --fix does not write" test "$(mtime "$g/wrangler.jsonc")" = "$before"
done

# do-prefer-sqlite: an unsafe fix only in a step known to be pending.
d=$(mktemp -d "$tmp/sqlite.XXXX")
cat >"$d/wrangler.jsonc" <<'JSON'
{
  "name": "w",
  "durable_objects": { "bindings": [{ "name": "A", "class_name": "A" }, { "name": "B", "class_name": "B" }] },
  "migrations": [
    { "tag": "v1", "new_classes": ["A"] },
    { "tag": "v2", "new_classes": ["B"] }
  ]
}
JSON
out=$("$WL" --diff --unsafe-fixes "$d/wrangler.jsonc" 2>&1)
check "do-prefer-sqlite: no fix when nothing says what is deployed" test -z "$out"
out=$("$WL" --diff --applied=v1 "$d/wrangler.jsonc" 2>&1)
check "do-prefer-sqlite: not a safe fix" test -z "$out"
out=$("$WL" --diff --unsafe-fixes --applied=v1 "$d/wrangler.jsonc" 2>&1)
check "do-prefer-sqlite: the pending step only" grep -q '^+    { "tag": "v2", "new_sqlite_classes": \["B"\] }$' <<<"$out"
check "do-prefer-sqlite: the deployed step stays" grep -q '^     { "tag": "v1", "new_classes": \["A"\] },$' <<<"$out"

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
