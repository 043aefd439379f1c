#!/usr/bin/env python3
"""Checks that the library's top-level modules import each other without a circle.

Reads every `crate::<module>` path under src/ (outside src/bin, src/cli and src/main.rs: the
binary's own code, which reaches the library as `conduct_portal::`), builds the
graph between top-level modules and fails, naming the circle, if there is one. Also fails when
src/lib.rs declares more than ten modules, a file under src/ is over 600 lines, or a route
handler (a function under `#[get]`, `#[post]`, …) is over 30 lines, or a page is rendered from an
untyped `json!` context instead of a `#[derive(Serialize)]` view.
"""
import os, re, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
MAX_MODULES, MAX_LINES, MAX_HANDLER = 10, 600, 30
JSON_PAGE = re.compile(r"\.render(?:_status)?\((?:[^;]*?,)?\s*json!\(", re.S)
ROUTE = re.compile(r"^\s*#\[(get|post|put|patch|delete|head)\(")

def top_of(path):
    rel = os.path.relpath(path, ROOT)
    head = rel.split(os.sep)[0]
    return head[:-3] if head.endswith(".rs") else head

def long_handlers(lines):
    """(name, length) of each route handler longer than MAX_HANDLER lines, counted from its
    `fn` line to its closing brace."""
    out, i = [], 0
    while i < len(lines):
        if ROUTE.match(lines[i]):
            j = i
            while j < len(lines) and not re.match(r"^\s*(pub(\([^)]*\))? )?(async )?fn ", lines[j]):
                j += 1
            if j == len(lines):
                break
            name = re.search(r"fn (\w+)", lines[j]).group(1)
            indent = len(lines[j]) - len(lines[j].lstrip())
            k = j
            while k < len(lines) and not (lines[k].startswith(" " * indent + "}") and len(lines[k]) - len(lines[k].lstrip()) == indent):
                k += 1
            length = k - j + 1
            if length > MAX_HANDLER:
                out.append((name, length))
            i = k
        i += 1
    return out

def main():
    failures = []
    with open(os.path.join(ROOT, "lib.rs")) as f:
        modules = re.findall(r"^pub mod (\w+);", f.read(), re.M)
    if len(modules) > MAX_MODULES:
        failures.append(f"src/lib.rs declares {len(modules)} modules (at most {MAX_MODULES})")
    edges = {m: set() for m in modules}
    for dirpath, _, files in os.walk(ROOT):
        for name in files:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, ROOT)
            with open(path) as f:
                text = f.read()
            lines = text.count("\n")
            if lines > MAX_LINES:
                failures.append(f"src/{rel} has {lines} lines (at most {MAX_LINES})")
            for name_, length in long_handlers(text.split("\n")):
                failures.append(f"src/{rel}: handler {name_} has {length} lines (at most {MAX_HANDLER})")
            for m in JSON_PAGE.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                failures.append(f"src/{rel}:{line}: page rendered from a json! context (use a typed view)")
            if rel.startswith(("bin" + os.sep, "cli" + os.sep)) or rel in ("main.rs", "lib.rs"):
                continue
            src = top_of(path)
            # `use crate::{a, b::c}` groups as well as plain `crate::a::` paths.
            targets = set(re.findall(r"\bcrate::(\w+)", text))
            for group in re.findall(r"\bcrate::\{([^}]*)\}", text, re.S):
                targets |= set(re.findall(r"(?:^|[,{\s])(\w+)", group))
            for t in targets:
                if t in edges and t != src:
                    edges.setdefault(src, set()).add(t)
    # Tarjan-free: depth-first search for a back edge.
    state, stack = {}, []
    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(edges.get(n, ())):
            if state.get(m) == 1:
                cycle = stack[stack.index(m):] + [m]
                failures.append("import circle: " + " -> ".join(cycle))
            elif m not in state:
                visit(m)
        stack.pop()
        state[n] = 2
    for n in sorted(edges):
        if n not in state:
            visit(n)
    if "-v" in sys.argv:
        for n in sorted(edges):
            print(f"{n}: {', '.join(sorted(edges[n]))}")
    for f in failures:
        print(f)
    return 1 if failures else 0

if __name__ == "__main__":
    sys.exit(main())
