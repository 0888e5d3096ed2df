#!/usr/bin/env bash
# For each real wrangler.toml: lint it, convert it to JSON with the decoder,
# lint the JSON, and compare the findings as (rule, JSON pointer, env) sets,
# leaving out the TOML-only rules. Prints one line per file and a summary.
#   toml-corpus-compare.sh WRANGLER_LINT TOML_DECODER DIR
set -u
bin=$1 dec=$2 dir=$3
if [ ! -d "$dir" ]; then echo "SKIP: $dir not found"; exit 77; fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
same=0 differ=0
keys='.files[].diagnostics[] | select(.rule | startswith("toml-") | not) | "\(.rule) \(.pointer // "") \(.env // "")"'
for f in "$dir"/*.toml; do
	"$bin" --format=json --no-config "$f" >"$tmp/t.json" 2>/dev/null
	# the JSON copy lives in a temporary folder: the corpus is never written
	"$dec" --json <"$f" >"$tmp/wrangler.jsonc" || { echo "DECODE FAIL $f"; differ=$((differ + 1)); continue; }
	"$bin" --format=json --no-config "$tmp/wrangler.jsonc" >"$tmp/j.json" 2>/dev/null
	jq -r "$keys" "$tmp/t.json" | sort >"$tmp/t.txt"
	jq -r "$keys" "$tmp/j.json" | sort >"$tmp/j.txt"
	n=$(wc -l <"$tmp/t.txt")
	if cmp -s "$tmp/t.txt" "$tmp/j.txt"; then
		same=$((same + 1)); echo "same ($n findings): $(basename "$f")"
	else
		differ=$((differ + 1)); echo "DIFFERENT: $(basename "$f")"; diff "$tmp/t.txt" "$tmp/j.txt" | sed 's/^/    /'
	fi
done
echo "$same files with the same findings, $differ different"
[ $differ -eq 0 ]
