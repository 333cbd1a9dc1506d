"""govlab's import structure, read from the source: no circles, no upward imports.

The layers are those of ``shared/DESIGN.md`` (imports point down only)::

    faces        govlab.cli, govlab.service (and govlab's own ``__init__``)
    components   govlab.widgets
    orchestration govlab.casestudies, govlab.course
    rules        govlab.community
    storage      govlab.library, govlab.analysis
    records      govlab.models, govlab.datasets
    base         govlab.errors, govlab.render, govlab.text, govlab.lazy, govlab._countries

Every import counts, function-level ones included (``import`` inside a function hides
a circle from Python, not from this test). Three rules more:

* a face never touches storage or the rules' internals directly (``sqlalchemy``,
  ``govlab.library.store``, ``govlab.community.policy``): it calls the session;
* a private name (``_name``) is not imported from another module, and a private module
  (``_name.py``) only from inside its own package;
* two packages of the same layer do not import each other (except faces: the CLI
  starts the service).

The checks are plain functions, so the last tests plant a circle, an upward import
and a private import in a throwaway package and make sure each is caught.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

LAYERS: list[tuple[str, ...]] = [
    ("govlab.errors", "govlab.render", "govlab.text", "govlab.lazy", "govlab._countries"),
    ("govlab.models", "govlab.datasets"),
    ("govlab.library", "govlab.analysis"),
    ("govlab.community",),
    ("govlab.casestudies", "govlab.course"),
    ("govlab.widgets",),
    ("govlab.cli", "govlab.service", "govlab"),
]
OUTSIDE = ("govlab.testing",)  # helpers for tests: may import anything, imported by none
FACES = ("govlab.cli", "govlab.service", "govlab.widgets")
FORBIDDEN_IN_FACES = ("sqlalchemy", "govlab.library.store", "govlab.community.policy")
SAME_LAYER_ALLOWED = {
    ("govlab.cli", "govlab.service"),  # `govlab serve` starts the service
    ("govlab.cli", "govlab"),  # the CLI opens the library as govlab.open_library does
    ("govlab", "govlab.service"),  # open_library("hub") returns the service's client
}


@dataclass(frozen=True)
class Edge:
    """One import: which module imports which name, and where."""

    source: str
    target: str  # the module imported (a govlab module, or a third-party top name)
    name: str  # the name taken from it ("" for ``import x``)
    line: int


def modules(root: Path, package: str = "govlab") -> dict[str, Path]:
    """Every module of ``package`` under ``root``, by dotted name."""
    found = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(root: Path, package: str = "govlab") -> list[Edge]:
    """Every import in the package's modules, function-level and TYPE_CHECKING ones too."""
    known = modules(root, package)
    edges = []
    for name, path in known.items():
        tree = ast.parse(path.read_text("utf-8"))
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                edges += [Edge(name, _known(a.name, known), "", node.lineno) for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(name, node, is_package)
                for alias in node.names:
                    whole = f"{base}.{alias.name}"
                    target = whole if whole in known else base
                    taken = "" if whole in known else alias.name
                    edges.append(Edge(name, _known(target, known), taken, node.lineno))
    return [edge for edge in edges if edge.target != edge.source]


def _absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".") if is_package else module.split(".")[:-1]
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join(parts + ([node.module] if node.module else []))


def _known(target: str, known: dict[str, Path]) -> str:
    """The longest prefix of ``target`` that is a module of ours (else its top name)."""
    probe = target
    while probe and probe not in known:
        probe = probe.rpartition(".")[0]
    return probe or target.split(".")[0]


def group(module: str) -> str:
    """The layer group a module belongs to: the longest listed prefix."""
    names = [g for layer in LAYERS for g in layer] + list(OUTSIDE)
    matches = [g for g in names if module == g or module.startswith(g + ".")]
    return max(matches, key=len) if matches else module


def level(module: str) -> int:
    named = group(module)
    for index, layer in enumerate(LAYERS):
        if named in layer:
            return index
    return len(LAYERS) if named in OUTSIDE else -1


def circles(edges: Iterable[Edge]) -> list[list[str]]:
    """Groups of modules that import each other, round and round (Tarjan's algorithm)."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            part = []
            while True:
                top = stack.pop()
                part.append(top)
                if top == node:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for node in list(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def upward(edges: Iterable[Edge], package: str = "govlab") -> list[str]:
    """Imports from a lower layer into a higher one, or across one layer's packages."""
    wrong = []
    for edge in edges:
        if not edge.target.startswith(package):
            continue
        here, there = group(edge.source), group(edge.target)
        if here == there or here in OUTSIDE:
            continue
        if there in OUTSIDE:
            wrong.append(f"{edge.source}:{edge.line} imports the test helpers {edge.target}")
        elif level(there) > level(edge.source):
            wrong.append(f"{edge.source}:{edge.line} imports {edge.target}, a layer above it")
        elif level(there) == level(edge.source) and (here, there) not in SAME_LAYER_ALLOWED:
            wrong.append(f"{edge.source}:{edge.line} imports {edge.target}, beside it")
    return wrong


def faces_touching_storage(edges: Iterable[Edge]) -> list[str]:
    wrong = []
    for edge in edges:
        if group(edge.source) not in FACES:
            continue
        full = f"{edge.target}.{edge.name}" if edge.name else edge.target
        for forbidden in FORBIDDEN_IN_FACES:
            if full == forbidden or full.startswith(forbidden + "."):
                wrong.append(f"{edge.source}:{edge.line} imports {forbidden}")
    return wrong


def private_reaches(edges: Iterable[Edge]) -> list[str]:
    """Private names taken from another module; private modules from another package."""
    wrong = []
    for edge in edges:
        if edge.name.startswith("_") and not edge.name.startswith("__"):
            wrong.append(f"{edge.source}:{edge.line} takes {edge.target}.{edge.name}")
        last = edge.target.rsplit(".", 1)[-1]
        if last.startswith("_") and not last.startswith("__"):
            home = edge.target.rsplit(".", 1)[0]
            if not (edge.source == home or edge.source.startswith(home + ".")):
                wrong.append(f"{edge.source}:{edge.line} imports private {edge.target}")
    return wrong


# Known, and being removed on the branch that reworks datasets, analysis and case
# studies (issue 8): the tests hold them to exactly this, so each must leave this list
# when it is fixed, and nothing may join it.
KNOWN_CIRCLES: list[list[str]] = []
KNOWN_PRIVATE: set[str] = set()


@pytest.fixture(scope="module")
def edges() -> list[Edge]:
    return imports(ROOT)


def test_no_import_circles(edges: list[Edge]) -> None:
    assert circles(edges) == KNOWN_CIRCLES


def test_imports_point_down_the_layers(edges: list[Edge]) -> None:
    assert upward(edges) == []


def test_every_module_has_a_layer() -> None:
    assert [m for m in modules(ROOT) if level(m) < 0] == []


def test_faces_call_the_session_not_the_storage(edges: list[Edge]) -> None:
    assert faces_touching_storage(edges) == []


def test_private_names_stay_home(edges: list[Edge]) -> None:
    found = {_without_line(problem) for problem in private_reaches(edges)}
    assert found == KNOWN_PRIVATE


def _without_line(problem: str) -> str:
    where, _, what = problem.partition(" ")
    return f"{where.split(':')[0]} {what}"


# the checks catch what they are for: a throwaway package with each mistake planted ----
PLANTED = {
    "govlab/__init__.py": "",
    "govlab/models.py": "from govlab.library import store\n",  # upward
    "govlab/library/__init__.py": "",
    "govlab/library/store.py": "def f():\n    from govlab.library.search import x\n",
    "govlab/library/search.py": "from govlab.library.store import f\nx = 1\n",  # circle
    "govlab/library/_private.py": "",
    "govlab/community/__init__.py": "from govlab.library._private import *\n",  # private
    "govlab/cli/__init__.py": "import sqlalchemy\nfrom govlab.library.store import f\n",
    "govlab/analysis/__init__.py": "from govlab.library.search import _hidden\n",
}


@pytest.fixture
def planted(tmp_path: Path) -> list[Edge]:
    for name, text in PLANTED.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return imports(tmp_path)


def test_a_planted_circle_is_found(planted: list[Edge]) -> None:
    assert circles(planted) == [["govlab.library.search", "govlab.library.store"]]


def test_a_planted_upward_import_is_found(planted: list[Edge]) -> None:
    assert sorted(upward(planted)) == [
        "govlab.analysis:1 imports govlab.library.search, beside it",
        "govlab.models:1 imports govlab.library.store, a layer above it",
    ]


def test_a_face_reaching_the_store_is_found(planted: list[Edge]) -> None:
    assert sorted(faces_touching_storage(planted)) == [
        "govlab.cli:1 imports sqlalchemy",
        "govlab.cli:2 imports govlab.library.store",
    ]


def test_a_planted_private_import_is_found(planted: list[Edge]) -> None:
    assert sorted(private_reaches(planted)) == [
        "govlab.analysis:1 takes govlab.library.search._hidden",
        "govlab.community:1 imports private govlab.library._private",
    ]
