#!/usr/bin/env python3
"""Development aid (not part of the test suite): diff wrangler-lint's schema
against a wrangler release's config-schema.json.

usage: tools/schema-diff.py [options] THEIRS
  THEIRS           a wrangler config-schema.json (e.g.
                   node_modules/wrangler/config-schema.json)
  --ours PATH      the schema to compare (default: schemas/wrangler.schema.json
                   next to this script); any draft-07 schema works, so two
                   wrangler releases can be compared too
  --types          also compare JSON types
  --only-theirs    print only what THEIRS has and OURS lacks (new keys and
                   enum values of a new release)
  --ignore REGEX   skip paths matching REGEX (repeatable)

Both schemas are flattened into instance paths: "(root)", "d1_databases[]",
"env.*", "containers[].constraints", ... ($ref resolved, allOf merged, the
branches of anyOf/oneOf united). For each path present in either schema it
prints the property keys, enum/const values and required lists that differ.
A path that only one schema reaches is printed once, as a missing key of its
parent. Descriptions, defaults, patterns and extension keywords (x-since,
deprecated, ...) are not compared. The exit status is 0 when nothing differs,
1 when something does, 2 on bad usage.
"""
import json
import os
import re
import sys


class Node:
    def __init__(self):
        self.keys = set()          # property names
        self.open = False          # additionalProperties not false
        self.enums = set()         # json-encoded enum and const values
        self.types = set()
        self.required = set()      # required on every branch that reaches here
        self.required_alts = set()  # frozensets, one per anyOf/oneOf branch


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def resolve(root, ref):
    if not ref.startswith("#"):
        raise SystemExit("schema-diff: only local $refs are supported: " + ref)
    node = root
    for part in ref[1:].split("/"):
        if part == "":
            continue
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[part]
    return node


def flatten(root):
    out = {}

    def node_at(path):
        if path not in out:
            out[path] = Node()
        return out[path]

    def walk(s, path, stack, branch_req=None):
        if not isinstance(s, dict):
            return
        if "$ref" in s:
            ref = s["$ref"]
            if ref in stack:  # recursive definition (JSON values): stop
                return
            walk(resolve(root, ref), path, stack | {ref}, branch_req)
        n = node_at(path)
        t = s.get("type")
        if isinstance(t, str):
            n.types.add(t)
        elif isinstance(t, list):
            n.types.update(t)
        for v in s.get("enum", []):
            n.enums.add(json.dumps(v, sort_keys=True))
        if "const" in s:
            n.enums.add(json.dumps(s["const"], sort_keys=True))
        req = s.get("required")
        if isinstance(req, list) and req:
            if branch_req is not None:
                branch_req.update(req)
            else:
                n.required.update(req)
        for k, sub in (s.get("properties") or {}).items():
            n.keys.add(k)
            walk(sub, f"{path}.{k}" if path else k, stack)
        ap = s.get("additionalProperties")
        if isinstance(ap, dict):
            n.open = True
            walk(ap, f"{path}.*" if path else "*", stack)
        elif ap is None and "properties" not in s and "object" in n.types:
            n.open = True
        items = s.get("items")
        if isinstance(items, dict):
            walk(items, path + "[]", stack)
        elif isinstance(items, list):
            for it in items:
                walk(it, path + "[]", stack)
        for kw in ("allOf",):
            for sub in s.get(kw, []):
                walk(sub, path, stack, branch_req)
        for kw in ("anyOf", "oneOf"):
            for sub in s.get(kw, []):
                r = set()
                walk(sub, path, stack, r)
                if r:
                    n.required_alts.add(frozenset(r))

    walk(root, "", frozenset())
    return out


def effective_required(n):
    """The required lists a valid instance may satisfy: the object's own
    required keys plus those of one anyOf/oneOf branch."""
    if not n.required_alts:
        return {frozenset(n.required)} if n.required else set()
    return {frozenset(n.required | alt) for alt in n.required_alts}


def fmt(values):
    return ", ".join(sorted(values))


def main(argv):
    ours = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schemas",
                        "wrangler.schema.json")
    theirs = None
    types = only_theirs = False
    ignore = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--ours" and i + 1 < len(argv):
            ours = argv[i + 1]
            i += 1
        elif a == "--ignore" and i + 1 < len(argv):
            ignore.append(re.compile(argv[i + 1]))
            i += 1
        elif a == "--types":
            types = True
        elif a == "--only-theirs":
            only_theirs = True
        elif a.startswith("-") or theirs is not None:
            print(__doc__.strip(), file=sys.stderr)
            return 2
        else:
            theirs = a
        i += 1
    if theirs is None:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    a, b = flatten(load(ours)), flatten(load(theirs))
    differs = False
    for path in sorted(set(a) | set(b)):
        if any(r.search(path) for r in ignore):
            continue
        na, nb = a.get(path), b.get(path)
        if na is None or nb is None:
            continue  # reported as a key of the parent
        lines = []
        only_b = nb.keys - na.keys
        only_a = na.keys - nb.keys
        if only_b:
            lines.append("keys only in theirs: " + fmt(only_b))
        if only_a and not only_theirs:
            lines.append("keys only in ours:   " + fmt(only_a))
        eb, ea = nb.enums - na.enums, na.enums - nb.enums
        if (na.enums or nb.enums) and eb:
            lines.append("values only in theirs: " + fmt(eb))
        if (na.enums and nb.enums) and ea and not only_theirs:
            lines.append("values only in ours:   " + fmt(ea))
        if not only_theirs:
            ra, rb = effective_required(na), effective_required(nb)
            if ra != rb:
                alt = lambda s: " | ".join("[" + fmt(x) + "]" for x in sorted(s, key=sorted))
                lines.append(f"required: ours {alt(ra) or '[]'}  theirs {alt(rb) or '[]'}")
            if types and na.types != nb.types:
                lines.append(f"types: ours {fmt(na.types) or '-'}  theirs {fmt(nb.types) or '-'}")
        if lines:
            differs = True
            print(path or "(root)")
            for line in lines:
                print("  " + line)
    return 1 if differs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
