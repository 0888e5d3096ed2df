#!/usr/bin/env python3
"""Development aid (not part of the test suite): probe wrangler's validator
and wrangler-lint with configs generated from a wrangler config-schema.json,
and print where they disagree.

usage: tools/schema-probe.py BUILD_DIR WRANGLER_PKG [--depth N] [--keep DIR]
  BUILD_DIR     holds wrangler-lint
  WRANGLER_PKG  an installed wrangler (node_modules/wrangler): its
                config-schema.json makes the configs, and the oracle in
                ../shared/oracle runs its validator (needs Node)
  --depth N     expand objects into per-key variants down to N levels
                (default 3)
  --keep DIR    write the configs to DIR and keep them (default: a temporary
                folder)

Each config is a minimal Worker plus one top-level key. For every key of the
schema's RawConfig: the value with every property filled in, the value with
only its required properties, and one variant per enum value, per anyOf/oneOf
alternative and per property (recursively, down to --depth). Values are
placeholders ("x", 1, true), so a disagreement is a lead to read, not a
verdict. Printed, per kind:

  FALSE-ERROR      wrangler-lint has an error, wrangler accepts the config
  MISSED-ERROR     wrangler refuses it, wrangler-lint has no error
  warn-only-ours   a warning here, none from wrangler
  warn-only-theirs a warning from wrangler, nothing here

The exit status is 0 when there is no FALSE-ERROR, 1 otherwise.
"""
import argparse
import collections
import copy
import json
import os
import subprocess
import sys
import tempfile

BASE = {"name": "probe", "main": "src/index.ts", "compatibility_date": "2025-06-01"}
SKIP = {"name", "main", "compatibility_date", "env", "$schema"}


class Generator:
    def __init__(self, schema, depth):
        self.defs = schema.get("definitions", {})
        self.depth = depth

    def resolve(self, node):
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 64:
            node = self.defs[node["$ref"].split("/")[-1]]
            seen += 1
        return node

    def alternatives(self, node):
        for key in ("anyOf", "oneOf"):
            if key in node:
                return [a for a in node[key] if self.resolve(a).get("type") != "null"]
        return None

    def instance(self, node, depth=0, full=True):
        """One value of `node`: every property when `full`, else the required ones."""
        node = self.resolve(node)
        if depth > 8:
            return None
        if "const" in node:
            return node["const"]
        if "enum" in node:
            return node["enum"][0]
        alts = self.alternatives(node)
        if alts:
            return self.instance(alts[0], depth + 1, full)
        kind = node.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), None)
        if kind == "object" or "properties" in node:
            out = {}
            required = set(node.get("required", []))
            for key, sub in node.get("properties", {}).items():
                if full or key in required:
                    value = self.instance(sub, depth + 1, full)
                    if value is not None:
                        out[key] = value
            return out
        if kind == "array":
            items = node.get("items", {})
            if isinstance(items, list):
                return [self.instance(i, depth + 1, full) for i in items]
            value = self.instance(items, depth + 1, full)
            return [] if value is None else [value]
        return {"string": "x", "number": 1, "integer": 1, "boolean": True}.get(kind)

    def variants(self, node, depth=0):
        """(label, value) pairs that cover enum values, alternatives and keys."""
        node = self.resolve(node)
        if "enum" in node:
            return [(str(v), v) for v in node["enum"]]
        alts = self.alternatives(node)
        if alts:
            out = []
            for i, alt in enumerate(alts):
                out += [(f"alt{i}.{label}", v) for label, v in self.variants(alt, depth + 1)]
            return out
        kind = node.get("type")
        if kind == "array" and not isinstance(node.get("items", {}), list):
            return [(label, [v]) for label, v in self.variants(node.get("items", {}), depth + 1)]
        if (kind == "object" or "properties" in node) and depth < self.depth:
            out = [("full", self.instance(node, depth, True)),
                   ("req", self.instance(node, depth, False))]
            base = self.instance(node, depth, False)
            for key, sub in node.get("properties", {}).items():
                for label, value in self.variants(sub, depth + 1)[:12]:
                    variant = copy.deepcopy(base)
                    variant[key] = value
                    out.append((f"{key}={label}", variant))
            return out
        return [("v", self.instance(node, depth, True))]


def write_configs(schema, depth, folder):
    gen = Generator(schema, depth)
    raw = gen.resolve(gen.defs["RawConfig"])
    count = 0
    for key, node in raw.get("properties", {}).items():
        if key in SKIP:
            continue
        for label, value in gen.variants(node):
            config = dict(BASE)
            config[key] = value
            name = f"{key}__{label}".replace("/", "_")[:120] + ".json"
            with open(os.path.join(folder, name), "w") as f:
                json.dump(config, f, indent=1)
            count += 1
    return count


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build")
    ap.add_argument("package")
    ap.add_argument("--depth", type=int, default=3)
    ap.add_argument("--keep")
    args = ap.parse_args()
    lint = os.path.join(args.build, "wrangler-lint")
    oracle = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared",
                          "oracle", "wrangler-oracle.mjs")
    with open(os.path.join(args.package, "config-schema.json")) as f:
        schema = json.load(f)
    folder = args.keep or tempfile.mkdtemp(prefix="schema-probe-")
    os.makedirs(folder, exist_ok=True)
    count = write_configs(schema, args.depth, folder)
    env = dict(os.environ, WRANGLER_ORACLE_PKG=os.path.abspath(args.package))
    out = subprocess.run(["node", oracle, "--batch", folder], capture_output=True, text=True,
                         env=env, check=True).stdout
    theirs = {}
    for line in out.splitlines():
        record = json.loads(line)
        if "file" in record:
            theirs[os.path.basename(record["file"])] = record
    rows = collections.defaultdict(list)
    for name in sorted(theirs):
        w = theirs[name]
        run = subprocess.run([lint, "--no-config", "--no-source", "--format=json",
                              os.path.join(folder, name)], capture_output=True, text=True)
        try:
            report = json.loads(run.stdout)
        except ValueError:
            rows["NO-OUTPUT"].append(f"{name}: exit {run.returncode}: {run.stderr.strip()[:200]}")
            continue
        diags = [d for f in report["files"] for d in f["diagnostics"]
                 if d["rule"] != "schema-unavailable"]
        errors = [d for d in diags if d["severity"] == "error"]
        warnings = [d for d in diags if d["severity"] == "warning"]
        ours = lambda ds: "; ".join(f"{d['rule']}: {d['message'][:120]}" for d in ds[:3])
        first = lambda ms: "; ".join(m.splitlines()[0][:160] for m in ms[:3])
        if errors and w["ok"]:
            rows["FALSE-ERROR"].append(f"{name}: {ours(errors)}")
        if not errors and not w["ok"]:
            rows["MISSED-ERROR"].append(f"{name}: {first(w['errors'])}")
        if warnings and not w["warnings"] and w["ok"]:
            rows["warn-only-ours"].append(f"{name}: {ours(warnings)}")
        if w["warnings"] and not warnings and not errors:
            rows["warn-only-theirs"].append(f"{name}: {first(w['warnings'])}")
    with open(os.path.join(args.package, "package.json")) as f:
        version = json.load(f).get("version", "?")
    print(f"{count} configs in {folder}; wrangler {version}")
    for kind in ("FALSE-ERROR", "MISSED-ERROR", "warn-only-ours", "warn-only-theirs", "NO-OUTPUT"):
        print(f"== {kind}: {len(rows[kind])}")
        for row in rows[kind]:
            print("   " + row)
    if not args.keep:
        for name in os.listdir(folder):
            os.remove(os.path.join(folder, name))
        os.rmdir(folder)
    return 1 if rows["FALSE-ERROR"] else 0


if __name__ == "__main__":
    sys.exit(main())
