#!/usr/bin/env python3
"""Lists import circles between the modules of a crate: modules that use each
other, directly or through others (each group printed once). "Use" is a `use
crate::…` or `use super::…`, a `crate::…` or `super::…` path in code, or a
child's `child::item` in its parent. Re-exports (`pub use`) are wiring, not use:
a parent that only declares and re-exports its children is no party to a
circle. Test modules are left out.

    scripts/module-cycles.py src lambda/src      # exit 1 if any circle
"""
import os
import re
import sys

USE = re.compile(r"\b(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)+|::\{)")


def modules(root):
    mods = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            if not f.endswith(".rs"):
                continue
            path = os.path.join(dirpath, f)
            rel = os.path.relpath(path, root)[:-3].split(os.sep)
            if "tests" in rel or rel[-1].endswith("_tests"):
                continue
            if rel[-1] in ("mod", "lib", "main"):
                rel = rel[:-1]
            mods[tuple(rel)] = path
    return mods


def strip_tests(text):
    # Everything after `#[cfg(test)]` declaring an inline module is test code.
    i = text.find("#[cfg(test)]\nmod tests {")
    text = text if i < 0 else text[:i]
    # Re-exports are wiring (a parent naming what its children offer), not use.
    text = re.sub(r"^\s*pub(\([a-z]+\))?\s+use\s[^;]*;", "", text, flags=re.M)
    # Comments name paths without using them.
    return re.sub(r"//[^\n]*", "", text)


def targets(mod, text, mods):
    out = set()
    for m in re.finditer(r"use\s+(crate|super)::([^;]+);", text, re.S):
        base = [] if m.group(1) == "crate" else list(mod[:-1]) if mod else []
        body = m.group(2)
        for path in expand(body):
            out.add(resolve(base + path, mods))
    for m in re.finditer(r"\bcrate((?:::[A-Za-z_][A-Za-z0-9_]*)+)", text):
        out.add(resolve(m.group(1).split("::")[1:], mods))
    for m in re.finditer(r"(?<![:\w])super((?:::[A-Za-z_][A-Za-z0-9_]*)+)", text):
        out.add(resolve(list(mod[:-1]) + m.group(1).split("::")[1:], mods))
    # A child used by a relative path (`child::item`, `pub use child::Item`).
    for child in re.findall(r"^\s*(?:pub(?:\([a-z]+\))?\s+)?mod\s+([a-z_0-9]+)\s*;", text, re.M):
        if re.search(rf"(?<![:\w]){child}::", text):
            out.add(resolve(list(mod) + [child], mods))
    out.discard(None)
    out.discard(mod)
    return out


def expand(body):
    body = re.sub(r"\s+", "", body)
    if "{" not in body:
        return [body.split("::")]
    head, _, rest = body.partition("{")
    prefix = [p for p in head.split("::") if p]
    inner = rest[:-1] if rest.endswith("}") else rest
    parts, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        cur += ch
    parts.append(cur)
    out = []
    for p in filter(None, parts):
        for sub in expand(p):
            out.append(prefix + sub)
    return out


def resolve(path, mods):
    path = [p for p in path if p not in ("self",)]
    for n in range(len(path), 0, -1):
        if tuple(path[:n]) in mods:
            return tuple(path[:n])
    return None


def cycles(graph):
    """The strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main(roots):
    found = False
    for root in roots:
        mods = modules(root)
        graph = {}
        for mod, path in mods.items():
            text = strip_tests(open(path).read())
            graph[mod] = targets(mod, text, mods)
        for cycle in cycles(graph):
            found = True
            names = ["::".join(m) or "crate" for m in cycle]
            print(f"{root}: " + " -> ".join(names + names[:1]))
    if not found:
        print("no import circles")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["src"]))
