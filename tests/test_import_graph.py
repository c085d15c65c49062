"""The import graph of ``src/vendorvet``: no cycles between modules, and every import follows the dependency order

    engine ← core ← accounts ← inventory ← {scans, discovery, supplychain, legal} ← {assessments, monitoring}

where monitoring imports only core, accounts and inventory (the feature apps reach it through the core registry),
the four feature apps in the middle do not import each other, and core imports neither accounts nor inventory.
Every import counts, also those inside functions: a function-local import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

BASE = {"vendorvet", "content", "engine", "web", "web.config"}
INFRA = BASE | {"web.core", "web.accounts", "web.inventory", "web.api"}
FEATURES = {"web.scans", "web.discovery", "web.supplychain", "web.legal"}
TOP = None  # may import anything of vendorvet

# unit -> the units it may import (besides itself)
ALLOWED: dict[str, set[str] | None] = {
    "vendorvet": {"vendorvet"},
    "content": {"vendorvet", "content"},
    "engine": {"vendorvet", "content", "engine"},
    "web": BASE,
    "web.config": {"vendorvet", "web", "web.config"},
    "web.core": BASE | {"web.core"},
    "web.accounts": BASE | {"web.core", "web.accounts"},
    "web.audit": BASE | {"web.core", "web.accounts", "web.audit"},
    "web.backup": BASE | {"web.core", "web.backup"},
    "web.inventory": BASE | {"web.core", "web.accounts", "web.inventory"},
    "web.api": INFRA,
    **{app: INFRA | {app} for app in FEATURES},
    "web.assessments": INFRA | FEATURES | {"web.assessments"},
    "web.monitoring": INFRA | {"web.monitoring"},
    # the vendor questionnaires build on the review (assessments) and reach the rest through the core registry
    "web.questionnaires": INFRA | {"web.assessments", "web.questionnaires"},
    # the other apps' figures reach the dashboard through registry.dashboard_sections
    "web.dashboard": INFRA | {"web.dashboard"},
    # the DORA register reads the legal app's contracts and sub-processors (its 1:1 profiles extend them)
    "web.dora": INFRA | {"web.legal", "web.dora"},
    # the documents (audit pack, management report, Art. 30 register, TIA) print what the other apps hold
    "web.reports": INFRA | FEATURES | {"web.assessments", "web.monitoring", "web.dashboard", "web.reports"},
    # watching vendors' published pages: compares with the sub-processors and transfer checks on record (legal)
    "web.watch": INFRA | {"web.legal", "web.watch"},
    # the composition root: settings, URL map, WSGI, demo data, the command line
    "web.settings": TOP, "web.urls": TOP, "web.wsgi": TOP, "web.demo": TOP, "web.demo_reviews": TOP, "web.demo_examples": TOP, "web.demo_dora": TOP,
    "web.demo_watch": TOP,
    "cli": TOP,
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _absolute(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _known(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str) -> set[str]:
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, path.name == "__init__.py", node)
            # ``from package import submodule`` runs the package's __init__ too: both are dependencies
            names = [base] + [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in MODULES]
        for name in names:
            if name.split(".")[0] == "vendorvet":
                target = _known(name)
                if target and target != module:
                    found.add(target)
    return found


GRAPH = {module: imports_of(module) for module in MODULES}


def unit(module: str) -> str:
    parts = module.split(".")[1:]
    if not parts:
        return "vendorvet"
    if parts[0] == "web" and len(parts) > 1:
        return f"web.{parts[1]}"
    return parts[0]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    out.append(sorted(component))
    return out


def test_every_module_belongs_to_a_known_unit():
    assert {unit(m) for m in MODULES} <= set(ALLOWED), {unit(m) for m in MODULES} - set(ALLOWED)


def test_no_import_cycles_between_modules():
    assert _cycles(GRAPH) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_imports_follow_the_dependency_order():
    wrong = []
    for module, targets in GRAPH.items():
        allowed = ALLOWED[unit(module)]
        if allowed is None:
            continue
        wrong += [f"{module} -> {target}" for target in sorted(targets) if unit(target) not in allowed]
    assert wrong == []


def test_nothing_below_the_composition_root_imports_it():
    roots = {name for name, allowed in ALLOWED.items() if allowed is None}
    wrong = [f"{m} -> {t}" for m, ts in GRAPH.items() if unit(m) not in roots for t in ts if unit(t) in roots]
    assert wrong == []


def test_engine_and_content_import_no_django():
    wrong = []
    for module, path in MODULES.items():
        if unit(module) not in {"engine", "content"}:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            wrong += [f"{module} imports {n}" for n in names if n.split(".")[0] in {"django", "rest_framework"}]
    assert wrong == []


def test_no_module_is_much_over_600_lines():
    long = {m: n for m, p in MODULES.items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > 650}
    assert long == {}
