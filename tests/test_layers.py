"""The package's layers, read from the source: no import cycle between packages, no lower layer importing a higher one.

Every import of every module under rag/ counts, at module level or inside a function or a
TYPE_CHECKING block (a lazy import is still a dependency). A node is a top-level module
(`rag.store`) or a sub-package as a whole (`rag.answering`, `rag.events`, `rag.ingest`,
`rag.evaluation`, `rag.ui`, `rag.web`). The layers, lowest first (a module may import its
own layer or lower ones, never a higher one):

0. text and data: arabic, textmap, splitting, safety, date_names, dates, numbers, documents, citation, resources,
   settings, terms, gazetteer, embeddings, prompts, llm, maps, version, lock, romanise
1. store and index: store, chroma, lexical, sentences, ingest/, indexing, events/, events_store, retrieval
2. features: answering/, briefing, briefing_reports, briefing_rank, briefing_render, briefing_rules, briefing_scope, web/
3. the agent: agent, corpus (its ingest/list/remove half)
4. evaluation: evaluation/, events_eval, briefing_eval
5. faces: cli, ui/, and the package's public names (rag/__init__.py)

A new module must be given a layer here (the test fails on an unplaced one), so this list and
the README's design section stay the map of the house.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

RAG = Path(__file__).resolve().parent.parent / "rag"

LAYERS: list[set[str]] = [
    {"arabic", "textmap", "splitting", "safety", "date_names", "dates", "numbers", "documents", "citation", "resources", "settings", "terms",
     "gazetteer", "embeddings", "prompts", "llm", "maps", "version", "lock", "romanise"},
    {"store", "chroma", "lexical", "sentences", "ingest", "indexing", "events", "events_store", "retrieval"},
    {"answering", "briefing", "briefing_reports", "briefing_rank", "briefing_render", "briefing_rules", "briefing_scope", "web"},
    {"agent", "corpus"},
    {"evaluation", "events_eval", "briefing_eval"},
    {"cli", "ui", ""},  # "" is rag/__init__.py
]
LAYER_OF = {name: i for i, names in enumerate(LAYERS) for name in names}


def module_name(path: Path) -> str:
    """rag/answering/chain.py -> 'rag.answering.chain'; a package's __init__ -> the package."""
    parts = list(path.relative_to(RAG.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def node(module: str) -> str:
    """The unit layers and cycles are judged on: the top-level module or sub-package under rag ('' for rag itself)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def imports_of(path: Path) -> list[tuple[str, int]]:
    """(imported rag module, line) for every import in a file, relative ones resolved."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for item in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(item, ast.Import):
            found += [(a.name, item.lineno) for a in item.names]
        elif isinstance(item, ast.ImportFrom):
            if item.level:
                base = package.split(".")[: len(package.split(".")) - (item.level - 1)]
                target = ".".join(base + ([item.module] if item.module else []))
            else:
                target = item.module or ""
            if item.module is None:  # `from . import arabic`: each name is a module
                found += [(f"{target}.{a.name}", item.lineno) for a in item.names]
            else:
                found.append((target, item.lineno))
    return [(t, line) for t, line in found if t == "rag" or t.startswith("rag.")]


@functools.cache
def graph() -> dict[str, dict[str, list[str]]]:
    """node -> imported node -> where ('rag/x.py:12'), self-imports left out."""
    edges: dict[str, dict[str, list[str]]] = {}
    for path in sorted(RAG.rglob("*.py")):
        source = node(module_name(path))
        for target, line in imports_of(path):
            if (dest := node(target)) != source and dest:
                edges.setdefault(source, {}).setdefault(dest, []).append(f"{path.relative_to(RAG.parent)}:{line}")
    return edges


def find_cycle(edges: dict[str, dict[str, list[str]]]) -> list[str]:
    """One import cycle as a path of nodes (first node repeated at the end), or [] when there is none."""
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    path: list[str] = []

    def visit(n: str) -> list[str]:
        state[n] = 1
        path.append(n)
        for m in sorted(edges.get(n, {})):
            if state.get(m) == 1:
                return path[path.index(m):] + [m]
            if m not in state and (cycle := visit(m)):
                return cycle
        path.pop()
        state[n] = 2
        return []

    for n in sorted(edges):
        if n not in state and (cycle := visit(n)):
            return cycle
    return []


def test_cycle_finder_sees_a_cycle_and_a_clean_graph():
    """The checker itself: a three-node loop is found, the same edges without the closing one are clean."""
    loop = {"a": {"b": ["x"]}, "b": {"c": ["y"]}, "c": {"a": ["z"]}}
    assert find_cycle(loop) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b": ["x"]}, "b": {"c": ["y"]}}) == []


def test_every_module_has_a_layer():
    unplaced = sorted({node(module_name(p)) for p in RAG.rglob("*.py")} - set(LAYER_OF))
    assert not unplaced, f"give these modules a layer in tests/test_layers.py (and a line in README's design section): {unplaced}"


def test_no_import_cycle_between_packages():
    edges = graph()
    cycle = find_cycle(edges)
    where = [f"{a} -> {b} ({', '.join(edges[a][b][:2])})" for a, b in zip(cycle, cycle[1:])]
    assert not cycle, "import cycle: " + "; ".join(where)


@pytest.mark.parametrize("source", sorted({node(module_name(p)) for p in RAG.rglob("*.py")} & set(LAYER_OF)))
def test_no_lower_layer_imports_a_higher_one(source):
    upward = [f"{source or 'rag'} (layer {LAYER_OF[source]}) imports {dest} (layer {LAYER_OF.get(dest)}) at {', '.join(where[:2])}"
              for dest, where in graph().get(source, {}).items() if LAYER_OF.get(dest, -1) > LAYER_OF[source]]
    assert not upward, "\n".join(upward)
