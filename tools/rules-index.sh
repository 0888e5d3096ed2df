#!/usr/bin/env bash
# Rewrites the "All rules" table of docs/rules/README.md from the registry
# (wrangler-lint --list-rules), so the index cannot miss a rule.
#   tools/rules-index.sh BUILD_DIR/wrangler-lint
set -eu
bin=$1
root=$(cd "$(dirname "$0")/.." && pwd)
index=$root/docs/rules/README.md
table=$(mktemp)
trap 'rm -f "$table"' EXIT
{
	echo "| Rule | Severity | Family | Summary |"
	echo "| --- | --- | --- | --- |"
	"$bin" --list-rules | awk '{
		id = $1; fam = $2; sev = $3
		sub(/^[^ ]+ +[^ ]+ +[^ ]+ +/, "")
		printf "| [`%s`](%s.md) | %s | %s | %s |\n", id, id, sev, fam, $0
	}'
} >"$table"
awk -v t="$table" '
	/^\| Rule \| Severity \| Family \| Summary \|/ { while ((getline l < t) > 0) print l; skip = 1; next }
	skip && /^\|/ { next }
	{ skip = 0; print }
' "$index" >"$index.new"
mv "$index.new" "$index"
