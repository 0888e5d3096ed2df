#!/usr/bin/env python3
"""Development aid (not part of the test suite): compare wrangler-lint's
built-in schema with wrangler's published config-schema.json on a folder of
real configs.

usage: tools/schema-corpus.py BUILD_DIR CORPUS_DIR [WRANGLER_SCHEMA]

For every *.json / *.jsonc file it runs
  (a) wrangler-lint --format=json --no-user-schema FILE        (our schema)
  (b) wrangler-lint --format=json --schema WRANGLER_SCHEMA FILE (wrangler's
      schema as the user schema; its findings end with "(per PATH)")
and prints Markdown: one row per file where either run reports
schema-unknown-key or schema-type, then every schema-* error of run (a).

Run (b) shows a finding of wrangler's schema only where the built-in schema
said nothing at that place. So that agreements are visible too, the script
also validates each file against wrangler's schema on its own with Python's
jsonschema package (column "wrangler schema alone"), when it is installed.

WRANGLER_SCHEMA defaults to the oracle's copy:
~/.cache/wrangler-oracle/node_modules/wrangler/config-schema.json
"""
import json
import os
import re
import subprocess
import sys

FOCUS = ("schema-unknown-key", "schema-type")


def lint(build, path, *flags):
    res = subprocess.run([os.path.join(build, "wrangler-lint"), "--format=json",
                          "--max-diagnostics=0", *flags, path],
                         capture_output=True, text=True)
    doc = json.loads(res.stdout)
    return [d for f in doc["files"] for d in f["diagnostics"]]


def jsonc_to_json(text):
    """Drops comments and trailing commas (strings are kept as they are)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        else:
            out.append(c)
            i += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))


def pointer(path):
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path)


def reference_findings(validator, path):
    """(rule, pointer) pairs wrangler's schema reports, found by jsonschema."""
    with open(path, encoding="utf-8") as f:
        doc = json.loads(jsonc_to_json(f.read()))
    found = []

    def visit(err):
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            known = err.schema.get("properties", {})
            for key in err.instance:
                if key not in known:
                    found.append(("schema-unknown-key", pointer([*err.absolute_path, key])))
        elif err.validator == "type":
            found.append(("schema-type", pointer(err.absolute_path)))
        elif err.validator == "required":
            found.append(("schema-required", pointer(err.absolute_path)))
        else:
            found.append((f"({err.validator})", pointer(err.absolute_path)))
        for sub in err.context or []:
            visit(sub)

    for err in validator.iter_errors(doc):
        visit(err)
    return found


def cell(items):
    return "<br>".join(items).replace("|", "\\|") or "—"


def show(d):
    return f'`{d["pointer"]}` ({d["start"]["line"]}:{d["start"]["column"]})'


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    build, corpus = sys.argv[1], sys.argv[2]
    schema = sys.argv[3] if len(sys.argv) > 3 else os.path.expanduser(
        "~/.cache/wrangler-oracle/node_modules/wrangler/config-schema.json")
    try:
        from jsonschema import Draft7Validator
        with open(schema, encoding="utf-8") as f:
            validator = Draft7Validator(json.load(f))
    except ImportError:
        validator = None

    rows, errors = [], []
    names = sorted(n for n in os.listdir(corpus) if n.endswith((".json", ".jsonc")))
    for name in names:
        path = os.path.join(corpus, name)
        ours = lint(build, path, "--no-user-schema")
        theirs = [d for d in lint(build, path, "--schema", schema) if "(per " in d["message"]]
        for d in ours:
            if d["rule"].startswith("schema-") and d["severity"] == "error":
                errors.append((name, d))
        a = {r: [show(d) for d in ours if d["rule"] == r] for r in FOCUS}
        b = {r: [show(d) for d in theirs if d["rule"] == r] for r in FOCUS}
        ref = []
        if validator:
            ref = [f"{rule} `{ptr}`" for rule, ptr in reference_findings(validator, path)
                   if rule in FOCUS]
        if any(a.values()) or any(b.values()) or ref:
            rows.append((name, a, b, ref))

    print(f"{len(names)} files.\n")
    head = "| file | (a) schema-unknown-key | (a) schema-type | (b) schema-unknown-key | (b) schema-type |"
    rule = "| --- | --- | --- | --- | --- |"
    if validator:
        head += " wrangler schema alone |"
        rule += " --- |"
    print(head)
    print(rule)
    for name, a, b, ref in rows:
        line = f"| {name} | {cell(a[FOCUS[0]])} | {cell(a[FOCUS[1]])} | {cell(b[FOCUS[0]])} | {cell(b[FOCUS[1]])} |"
        if validator:
            line += f" {cell(ref)} |"
        print(line)
    print("\nschema-* errors of run (a):\n")
    print("| file | rule | where | message |")
    print("| --- | --- | --- | --- |")
    for name, d in errors:
        print(f'| {name} | {d["rule"]} | {show(d)} | {cell([d["message"]])} |')


if __name__ == "__main__":
    main()
