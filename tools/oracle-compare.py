#!/usr/bin/env python3
"""Development aid (not part of the test suite): compare wrangler's own
validation with wrangler-lint on a folder of real configs.

usage: tools/oracle-compare.py BUILD_DIR CORPUS_DIR [ORACLE_SCRIPT]

Runs ../shared/oracle/wrangler-oracle.mjs --batch (needs Node and the oracle's
setup) and build/wrangler-lint --format=json on every file, and prints one
Markdown table row per file that either tool says something about Durable
Objects, migrations or binding names for: what wrangler said, what wrangler-lint
said. The verdict column is left for a person to fill in.
"""
import json
import os
import re
import subprocess
import sys

RELEVANT_WRANGLER = re.compile(
    r"durable_objects|migrations|Durable Object|assigned to|reserved|"
    r"exists at the top level|binding with name|bindings are at the top level|class_name",
    re.I)
RELEVANT_RULE = re.compile(r"^(do-|env-|binding-)")


def main():
    build, corpus = sys.argv[1], sys.argv[2]
    oracle = sys.argv[3] if len(sys.argv) > 3 else os.path.join(
        os.path.dirname(__file__), "..", "..", "shared", "oracle", "wrangler-oracle.mjs")
    out = subprocess.run(["node", oracle, "--batch", corpus], capture_output=True,
                         text=True, check=True).stdout
    wrangler = {}
    for line in out.splitlines():
        d = json.loads(line)
        msgs = []
        for x in d.get("diagnostics", []):
            first = x["message"].splitlines()[0]
            if RELEVANT_WRANGLER.search(x["message"]):
                msgs.append(f'{x["level"]} [{x["env"]}] {first}')
        wrangler[os.path.basename(d["file"])] = msgs
    print("| file | wrangler 4.86 | wrangler-lint | verdict |")
    print("| --- | --- | --- | --- |")
    for name in sorted(os.listdir(corpus)):
        if not name.endswith((".json", ".jsonc")):
            continue
        res = subprocess.run([os.path.join(build, "wrangler-lint"), "--format=json",
                              "--max-diagnostics=0", os.path.join(corpus, name)],
                             capture_output=True, text=True)
        doc = json.loads(res.stdout)
        ours = []
        for f in doc["files"]:
            for dg in f["diagnostics"]:
                if RELEVANT_RULE.match(dg["rule"]):
                    env = dg["env"] or "top"
                    ours.append(f'{dg["severity"]} {dg["rule"]} ({env}, '
                                f'{dg["start"]["line"]}:{dg["start"]["column"]})')
        w = wrangler.get(name, [])
        if not w and not ours:
            continue
        cell = lambda xs: "<br>".join(x.replace("|", "\\|") for x in xs) or "—"
        print(f"| {name} | {cell(w)} | {cell(ours)} | |")


if __name__ == "__main__":
    main()
