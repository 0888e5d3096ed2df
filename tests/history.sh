#!/usr/bin/env bash
# History against a deployed baseline, with real git: each case makes a
# temporary repository, commits a baseline wrangler.jsonc, edits it, and
# checks the findings of --baseline=HEAD, and that --baseline-file (a copy of
# the committed file) and --applied (the deployed tags) agree where they
# overlap. Also: the project file's "baseline", a config that did not exist
# at the revision, unknown revisions and folders outside a repository (exit 2,
# one line), one git process per repository, subfolders and standard input.
# usage: history.sh PATH/TO/wrangler-lint SOURCE_ROOT
set -u
bin=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
command -v git >/dev/null || { echo "SKIP: git not found"; exit 77; }
export HOME=$tmp GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com \
	GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# "LINE RULE" per diagnostic of the history rules (and do-prefer-sqlite),
# sorted; the whole gcc output goes to $tmp/raw.
findings() {
	"$bin" --format=gcc --no-config "$@" >"$tmp/raw" 2>"$tmp/err"
	echo $? >"$tmp/status"
	sed -n 's/^[^:]*:\([0-9]*\):[0-9]*: [a-z]*: .*\[\(history-[a-z-]*\|do-prefer-sqlite\)\]$/\1 \2/p' \
		"$tmp/raw" | sort
}

expect() { # name expected actual
	if [ "$2" = "$3" ]; then ok; else
		bad "$1"
		echo "    expected: $(echo "$2" | tr '\n' '|')"
		echo "    got:      $(echo "$3" | tr '\n' '|')"
		sed 's/^/    | /' "$tmp/raw" "$tmp/err" | head -20
	fi
}

# new_repo NAME: a repository with $tmp/NAME.base committed as wrangler.jsonc,
# then $tmp/NAME.new as the working copy.
new_repo() {
	local d=$tmp/repo-$1
	rm -rf "$d"
	mkdir -p "$d"
	git -C "$d" init -q
	cp "$tmp/$1.base" "$d/wrangler.jsonc"
	git -C "$d" add wrangler.jsonc
	git -C "$d" commit -qm base
	cp "$tmp/$1.new" "$d/wrangler.jsonc"
	echo "$d"
}

# run_case NAME EXPECTED [APPLIED-ARGS EXPECTED-WITH-APPLIED [EXPECTED-WITH-BOTH]]
run_case() {
	local name=$1 want=$2 d got
	d=$(new_repo "$name")
	got=$(cd "$d" && findings --baseline=HEAD wrangler.jsonc)
	expect "$name: --baseline=HEAD" "$want" "$got"
	cp "$tmp/raw" "$tmp/raw.rev"
	got=$(cd "$d" && findings --baseline-file="$tmp/$name.base" wrangler.jsonc)
	expect "$name: --baseline-file" "$want" "$got"
	if cmp -s "$tmp/raw" "$tmp/raw.rev"; then ok; else
		bad "$name: --baseline-file and --baseline=HEAD differ"
		diff "$tmp/raw.rev" "$tmp/raw" | head
	fi
	if [ $# -ge 4 ]; then
		local -a applied
		read -r -a applied <<<"$3"
		got=$(cd "$d" && findings "${applied[@]}" wrangler.jsonc)
		expect "$name: $3" "$4" "$got"
		# Both: --applied is the truth, the baseline adds content checks.
		got=$(cd "$d" && findings --baseline=HEAD "${applied[@]}" wrangler.jsonc)
		expect "$name: --baseline=HEAD $3" "${5-$want}" "$got"
	fi
}

head_='"name": "app", "main": "src/index.ts", "compatibility_date": "2025-09-01"'

# ---- history-step-edited (and do-prefer-sqlite on a deployed step) ----
cat >"$tmp/edited.base" <<JSON
{ $head_,
  "durable_objects": { "bindings": [{ "name": "A", "class_name": "A" }, { "name": "B", "class_name": "B" }, { "name": "K", "class_name": "K" }] },
  "migrations": [
    { "tag": "v1", "new_classes": ["A"] },
    { "tag": "v2", "new_sqlite_classes": ["B", "K"] },
    { "tag": "v3", "new_classes": ["Legacy"] }
  ]
}
JSON
cat >"$tmp/edited.new" <<JSON
{ $head_,
  "durable_objects": { "bindings": [{ "name": "A", "class_name": "A" }, { "name": "B", "class_name": "B" }, { "name": "K", "class_name": "K" }, { "name": "L", "class_name": "Legacy" }] },
  "migrations": [
    { "tag": "v1", "new_sqlite_classes": ["A"] },
    // same step: keys, names, spacing and comments differ
    {   "new_sqlite_classes": [ "K", "B" ],   "tag": "v2" },
    { "tag": "v3", "new_classes": ["Legacy"] }
  ]
}
JSON
run_case edited "4 history-step-edited
7 do-prefer-sqlite" "--applied=v3" "7 do-prefer-sqlite"
grep -qF 'already deployed, so it cannot change' "$tmp/raw" && ok || bad "edited: do-prefer-sqlite says deployed"
# Without any baseline: the plain warning.
d=$tmp/repo-edited
(cd "$d" && "$bin" --format=gcc --no-config wrangler.jsonc) | grep -F 'do-prefer-sqlite' | grep -qF 'create new classes with new_sqlite_classes' && ok || bad "edited: plain do-prefer-sqlite without a baseline"
# The message names the change.
(cd "$d" && "$bin" --format=gcc --no-config --baseline=HEAD wrangler.jsonc) | grep -qF 'class A changed from new_classes to new_sqlite_classes' && ok || bad "edited: the message names the storage change"
# A class added to a deployed step.
sed 's/"new_sqlite_classes": \[ "K", "B" \]/"new_sqlite_classes": [ "K", "B", "C" ]/' "$tmp/edited.new" >"$d/wrangler.jsonc"
(cd "$d" && "$bin" --format=gcc --no-config --baseline=HEAD wrangler.jsonc) | grep -qF 'class C added to new_sqlite_classes' && ok || bad "edited: a class added"

# ---- history-step-removed ----
cat >"$tmp/removed.base" <<JSON
{ $head_,
  "durable_objects": { "bindings": [{ "name": "C", "class_name": "Cart" }] },
  "migrations": [
    { "tag": "v1", "new_sqlite_classes": ["Basket"] },
    { "tag": "v2", "renamed_classes": [{ "from": "Basket", "to": "Cart" }] }
  ]
}
JSON
cat >"$tmp/removed.new" <<JSON
{ $head_,
  "durable_objects": { "bindings": [{ "name": "C", "class_name": "Cart" }] },
  "migrations": [
    { "tag": "v2", "renamed_classes": [{ "from": "Basket", "to": "Cart" }] }
  ]
}
JSON
# --applied=v2 alone cannot know that v1 was deployed before it.
run_case removed "3 history-step-removed" "--applied=v2" ""

# ---- history-step-reordered ----
cat >"$tmp/reordered.base" <<JSON
{ $head_,
  "durable_objects": { "bindings": [{ "name": "R", "class_name": "Room" }, { "name": "U", "class_name": "User" }, { "name": "T", "class_name": "Typing" }] },
  "migrations": [
    { "tag": "v1", "new_sqlite_classes": ["Room"] },
    { "tag": "v2", "new_sqlite_classes": ["User"] }
  ]
}
JSON
cat >"$tmp/reordered.new" <<JSON
{ $head_,
  "durable_objects": { "bindings": [{ "name": "R", "class_name": "Room" }, { "name": "U", "class_name": "User" }, { "name": "T", "class_name": "Typing" }] },
  "migrations": [
    { "tag": "v1", "new_sqlite_classes": ["Room"] },
    { "tag": "v1b", "new_sqlite_classes": ["Typing"] },
    { "tag": "v2", "new_sqlite_classes": ["User"] }
  ]
}
JSON
# The deployed tag alone cannot tell that v1b was inserted before it.
run_case reordered "5 history-pending-migration
5 history-step-reordered" "--applied=v2" ""

# ---- history-delete-with-unbind ----
cat >"$tmp/unbind.base" <<JSON
{ $head_,
  "durable_objects": { "bindings": [{ "name": "S", "class_name": "Sessions" }, { "name": "L", "class_name": "Legacy" }] },
  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["Sessions", "Legacy"] }]
}
JSON
cat >"$tmp/unbind.new" <<JSON
{ $head_,
  "durable_objects": { "bindings": [{ "name": "S", "class_name": "Sessions" }] },
  "migrations": [
    { "tag": "v1", "new_sqlite_classes": ["Sessions", "Legacy"] },
    { "tag": "v2", "deleted_classes": ["Legacy"] }
  ]
}
JSON
# --applied knows no bindings: only the pending step.
run_case unbind "5 history-delete-with-unbind
5 history-pending-migration" "--applied=v1" "5 history-pending-migration"
# One deploy later (binding already gone from the baseline): fine.
d=$tmp/repo-unbind
sed 's/, { "name": "L", "class_name": "Legacy" }//' "$tmp/unbind.base" >"$d/wrangler.jsonc"
git -C "$d" commit -qam "binding removed"
cp "$tmp/unbind.new" "$d/wrangler.jsonc"
got=$(cd "$d" && findings --baseline=HEAD wrangler.jsonc)
expect "unbind: after the binding was deployed away" "5 history-pending-migration" "$got"
# Against the older revision it is still reported.
got=$(cd "$d" && findings --baseline=HEAD~1 wrangler.jsonc)
expect "unbind: --baseline=HEAD~1" "5 history-delete-with-unbind
5 history-pending-migration" "$got"

# ---- history-new-env-replay ----
cat >"$tmp/newenv.base" <<JSON
{ $head_,
  "durable_objects": { "bindings": [{ "name": "R", "class_name": "Room" }] },
  "migrations": [
    { "tag": "v1", "new_sqlite_classes": ["OldRoom"] },
    { "tag": "v2", "renamed_classes": [{ "from": "OldRoom", "to": "Room" }] }
  ]
}
JSON
cat >"$tmp/newenv.new" <<JSON
{ $head_,
  "durable_objects": { "bindings": [{ "name": "R", "class_name": "Room" }] },
  "migrations": [
    { "tag": "v1", "new_sqlite_classes": ["OldRoom"] },
    { "tag": "v2", "renamed_classes": [{ "from": "OldRoom", "to": "Room" }] }
  ],
  "env": { "staging": { "durable_objects": { "bindings": [{ "name": "R", "class_name": "Room" }] } } }
}
JSON
# --applied for staging says it is deployed: not a new Worker.
run_case newenv "4 history-pending-migration
5 history-new-env-replay" "--applied=v2 --applied=staging=v2" "" ""

# ---- history-pending-migration ----
cat >"$tmp/pending.base" <<JSON
{ $head_,
  "durable_objects": { "bindings": [{ "name": "R", "class_name": "Room" }] },
  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["Room"] }]
}
JSON
cat >"$tmp/pending.new" <<JSON
{ $head_,
  "durable_objects": { "bindings": [{ "name": "R", "class_name": "Room" }, { "name": "C", "class_name": "Chat" }] },
  "migrations": [
    { "tag": "v1", "new_sqlite_classes": ["Room"] },
    { "tag": "v2", "new_sqlite_classes": ["Chat"] }
  ]
}
JSON
run_case pending "5 history-pending-migration" "--applied=v1" "5 history-pending-migration"
# Nothing pending once v2 is applied.
got=$(cd "$tmp/repo-pending" && findings --applied=v2 wrangler.jsonc)
expect "pending: --applied=v2" "" "$got"
# The same file as the baseline: nothing at all.
got=$(cd "$tmp/repo-pending" && git stash -q && findings --baseline=HEAD wrangler.jsonc; git stash pop -q)
expect "pending: unchanged" "" "$got"

# ---- history-applied-tag-unknown ----
got=$(cd "$tmp/repo-pending" && findings --applied=v9 wrangler.jsonc)
expect "applied: unknown tag" "3 history-applied-tag-unknown" "$got"
got=$(cd "$tmp/repo-pending" && findings --applied=qa=v1 wrangler.jsonc)
expect "applied: unknown env" "1 history-applied-tag-unknown" "$got"
"$bin" --applied= "$tmp/pending.new" >/dev/null 2>&1
[ $? = 2 ] && ok || bad "applied: an empty tag is a usage error"

# ---- baselines that do not apply ----
d=$tmp/repo-absent
mkdir -p "$d" && git -C "$d" init -q && echo '# x' >"$d/README" && git -C "$d" add README && git -C "$d" commit -qm x
cp "$tmp/pending.new" "$d/wrangler.jsonc"
got=$(cd "$d" && findings --baseline=HEAD wrangler.jsonc)
expect "absent at REV: nothing applied, no finding" "" "$got"
[ "$(cat "$tmp/status")" = 0 ] && ok || bad "absent at REV: exit 0"

(cd "$tmp/repo-pending" && "$bin" --no-config --baseline=no-such-rev wrangler.jsonc) >"$tmp/out" 2>"$tmp/err"
[ $? = 2 ] && ok || bad "unknown REV: exit 2"
[ "$(wc -l <"$tmp/err")" = 1 ] && ok || bad "unknown REV: one line on stderr: $(cat "$tmp/err")"
grep -qF 'no-such-rev' "$tmp/err" && ok || bad "unknown REV: the line names it"
mkdir -p "$tmp/norepo" && cp "$tmp/pending.new" "$tmp/norepo/wrangler.jsonc"
(cd "$tmp/norepo" && GIT_CEILING_DIRECTORIES=$tmp "$bin" --no-config --baseline=HEAD wrangler.jsonc) >"$tmp/out" 2>"$tmp/err"
[ $? = 2 ] && ok || bad "not a repository: exit 2"
[ "$(wc -l <"$tmp/err")" = 1 ] && ok || bad "not a repository: one line: $(cat "$tmp/err")"
"$bin" --no-config --baseline-file="$tmp/nope.jsonc" "$tmp/pending.new" >/dev/null 2>"$tmp/err"
[ $? = 2 ] && ok || bad "missing --baseline-file: exit 2"
"$bin" --baseline=HEAD --baseline-file=x "$tmp/pending.new" >/dev/null 2>&1
[ $? = 2 ] && ok || bad "--baseline with --baseline-file: usage error"

# ---- the project file's "baseline", subfolders, stdin, one git process per repository ----
d=$tmp/repo-mono
mkdir -p "$d/apps/a" "$d/apps/b" "$tmp/fakebin"
git -C "$d" init -q
cp "$tmp/pending.base" "$d/apps/a/wrangler.jsonc"
cp "$tmp/pending.base" "$d/apps/b/wrangler.jsonc"
printf '{ "baseline": "HEAD" }\n' >"$d/.wrangler-lint.jsonc"
git -C "$d" add -A && git -C "$d" commit -qm base
cp "$tmp/pending.new" "$d/apps/a/wrangler.jsonc"
real_git=$(command -v git)
# The wrapper logs each git process and what it is asked on standard input.
cat >"$tmp/fakebin/git" <<SH
#!/bin/sh
echo "\$*" >>"$tmp/git-calls"
tee -a "$tmp/git-asked" | "$real_git" "\$@"
SH
chmod +x "$tmp/fakebin/git"
rm -f "$tmp/git-calls" "$tmp/git-asked"
(cd "$tmp" && PATH=$tmp/fakebin:$PATH "$bin" --format=gcc "$d") >"$tmp/raw" 2>"$tmp/err"
grep -c 'history-pending-migration' "$tmp/raw" | grep -qx 1 && ok || bad "project baseline: one pending note (apps/a only)"
grep -qF 'apps/a/wrangler.jsonc' "$tmp/raw" && ok || bad "project baseline: reported in apps/a"
[ "$(wc -l <"$tmp/git-calls")" = 1 ] && ok || bad "one git process for the repository's two configs: $(cat "$tmp/git-calls")"
grep -q 'cat-file --batch$' "$tmp/git-calls" && ok || bad "git cat-file --batch: $(cat "$tmp/git-calls")"
grep -qxF 'HEAD:apps/a/wrangler.jsonc' "$tmp/git-asked" && grep -qxF 'HEAD:apps/b/wrangler.jsonc' "$tmp/git-asked" \
	&& ok || bad "the paths are relative to the repository root: $(cat "$tmp/git-asked")"
[ "$(grep -cxF 'HEAD^{commit}' "$tmp/git-asked")" = 1 ] && ok || bad "the revision is checked once: $(cat "$tmp/git-asked")"
# A walk over two repositories (and a config new since HEAD): one process each.
multi=$tmp/multi
rm -rf "$multi" && mkdir -p "$multi"
for r in one two; do
	mkdir -p "$multi/$r/app"
	git -C "$multi/$r" init -q
	cp "$tmp/pending.base" "$multi/$r/app/wrangler.jsonc"
	git -C "$multi/$r" add -A && git -C "$multi/$r" commit -qm base
	cp "$tmp/pending.new" "$multi/$r/app/wrangler.jsonc"
	mkdir -p "$multi/$r/fresh" && cp "$tmp/pending.new" "$multi/$r/fresh/wrangler.jsonc"
done
rm -f "$tmp/git-calls" "$tmp/git-asked"
(cd "$tmp" && PATH=$tmp/fakebin:$PATH "$bin" --no-config --format=gcc --baseline=HEAD "$multi") >"$tmp/raw" 2>"$tmp/err"
[ "$(wc -l <"$tmp/git-calls")" = 2 ] && ok || bad "two repositories, two git processes: $(cat "$tmp/git-calls")"
[ "$(grep -c 'app/wrangler.jsonc:.*history-pending-migration' "$tmp/raw")" = 2 ] && ok || bad "both repositories compared: $(cat "$tmp/raw" "$tmp/err")"
grep -q 'fresh/wrangler.jsonc:.*history-' "$tmp/raw" && bad "a config absent at HEAD has no history finding" || ok
[ ! -s "$tmp/err" ] && ok || bad "two repositories: nothing on stderr: $(cat "$tmp/err")"
# An unknown revision in a walk: one line, exit 2.
(cd "$tmp" && "$bin" --no-config --baseline=no-such-rev "$multi/one") >/dev/null 2>"$tmp/err"
[ $? = 2 ] && ok || bad "walk, unknown REV: exit 2"
[ "$(wc -l <"$tmp/err")" = 1 ] && ok || bad "walk, unknown REV: one line for the repository: $(cat "$tmp/err")"
# git missing from PATH: exit 2 with one line.
mkdir -p "$tmp/nogit"
ln -sf "$(command -v dirname)" "$tmp/nogit/dirname"
(cd "$multi/one/app" && PATH=$tmp/nogit "$bin" --no-config --baseline=HEAD wrangler.jsonc) >/dev/null 2>"$tmp/err"
[ $? = 2 ] && ok || bad "no git: exit 2"
grep -q 'cannot run git' "$tmp/err" && [ "$(wc -l <"$tmp/err")" = 1 ] && ok || bad "no git: one line: $(cat "$tmp/err")"
# --no-config: no baseline, no git call.
rm -f "$tmp/git-calls"
(cd "$tmp" && PATH=$tmp/fakebin:$PATH "$bin" --no-config --format=gcc "$d") >"$tmp/raw" 2>&1
[ ! -e "$tmp/git-calls" ] && ok || bad "no baseline: git is not run"
# Standard input needs its path.
(cd "$d" && "$bin" --no-config --baseline=HEAD --stdin-filename=apps/a/wrangler.jsonc - <apps/a/wrangler.jsonc) >"$tmp/raw" 2>&1
grep -qF 'history-pending-migration' "$tmp/raw" && ok || bad "stdin with --stdin-filename"
(cd "$d" && "$bin" --no-config --baseline=HEAD - <apps/a/wrangler.jsonc) >/dev/null 2>&1
[ $? = 2 ] && ok || bad "stdin without a name: exit 2"

# ---- wrangler.toml: the baseline is read as TOML (REV:wrangler.toml, a .toml file) ----
d=$tmp/repo-toml
rm -rf "$d" && mkdir -p "$d"
git -C "$d" init -q
printf 'name = "w"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\n\n[[durable_objects.bindings]]\nname = "R"\nclass_name = "Room"\n\n[[migrations]]\ntag = "v1"\nnew_sqlite_classes = ["Room"]\n' >"$d/wrangler.toml"
git -C "$d" add -A && git -C "$d" commit -qm base
cp "$d/wrangler.toml" "$tmp/deployed.toml"
cp "$d/wrangler.toml" "$tmp/deployed.txt"
sed -i 's/^tag = "v1"$/tag = "v1-init"/' "$d/wrangler.toml"
got=$(cd "$d" && findings --baseline=HEAD wrangler.toml)
expect "toml: a renamed deployed tag" "$(printf '10 history-pending-migration\n9 history-step-removed')" "$got"
got=$(cd "$d" && findings --baseline-file="$tmp/deployed.toml" wrangler.toml)
expect "toml: --baseline-file deployed.toml" "$(printf '10 history-pending-migration\n9 history-step-removed')" "$got"
got=$(cd "$d" && findings --baseline-file="$tmp/deployed.txt" wrangler.toml)
expect "toml: a baseline file of no known extension is read as the config is" "$(printf '10 history-pending-migration\n9 history-step-removed')" "$got"

# ---- related notes point into REV:path (json output) ----
(cd "$tmp/repo-edited" && cp "$tmp/edited.new" wrangler.jsonc && "$bin" --no-config --format=json --baseline=HEAD wrangler.jsonc) >"$tmp/out.json"
grep -qF '"HEAD:wrangler.jsonc"' "$tmp/out.json" && ok || bad "json: related note in HEAD:wrangler.jsonc"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
