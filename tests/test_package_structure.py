"""Package structure: complete ``__all__``, allowed imports, no import cycles; the CLI starts."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

PACKAGES = ("lattice", "theory", "compare", "batch", "vwloc_common")
ROOT = Path(__file__).resolve().parents[1]


def public_modules() -> list[str]:
    """Names of every public module of the four top-level packages, recursively."""
    names = []
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        names.append(package_name)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."):
            if not any(part.startswith("_") for part in info.name.split(".")):
                names.append(info.name)
    return names


@pytest.mark.parametrize("name", public_modules())
def test_all_is_declared_complete_and_unique(name: str) -> None:
    if name == "batch.__main__":
        pytest.skip("entry-point script, not an importable module")
    module = importlib.import_module(name)
    assert hasattr(module, "__all__"), f"{name} has no __all__"
    entries = list(module.__all__)
    assert len(entries) == len(set(entries)), f"{name}.__all__ has duplicates"
    for entry in entries:
        assert isinstance(entry, str), f"{name}.__all__ holds {entry!r}, not a name"
        assert hasattr(module, entry), f"{name}.__all__ names missing {entry!r}"


def test_science_packages_do_not_import_each_other() -> None:
    """DESIGN.md section 1: lattice and theory never import each other or batch.

    All of them may import ``vwloc_common``, which imports none of them.
    """
    root = ROOT
    forbidden = {
        "lattice": ("theory", "compare", "batch"),
        "theory": ("lattice", "compare", "batch"),
        "compare": ("lattice", "batch"),
        "vwloc_common": ("lattice", "theory", "compare", "batch"),
    }
    for package, others in forbidden.items():
        for path in (root / package).rglob("*.py"):
            for line in path.read_text().splitlines():
                stripped = line.strip()
                for other in others:
                    assert not stripped.startswith((f"import {other}", f"from {other}")), (
                        f"{path.relative_to(root)} imports {other}: {stripped}"
                    )


def _module_files() -> dict[str, Path]:
    """Module name -> source file, for every module (private ones too) of PACKAGES."""
    files = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            files[".".join(parts)] = path
    return files


def _type_checking_only(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth (deferred ones too), except under TYPE_CHECKING."""
    for node in ast.iter_child_nodes(tree):
        if _type_checking_only(node):
            yield from (n for child in node.orelse for n in _imports_of(child))
            continue
        yield from _imports_of(node)


def _imports_of(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        yield node
    else:
        yield from _imports(node)


def imported(sources: Mapping[str, str]) -> Iterator[tuple[str, str, str | None]]:
    """Every ``(importer, module, name)`` of ``sources``: ``import m`` gives ``name`` None,
    ``from m import x`` gives ``x``; relative imports resolved to absolute module names.

    Parameters
    ----------
    sources : mapping
        Module name -> source text. A name whose file is a package
        ``__init__`` is the package name itself.
    """
    packages = {name.rsplit(".", 1)[0] for name in sources if "." in name}
    for name, text in sources.items():
        base = name if name in packages else name.rpartition(".")[0]
        for node in _imports(ast.parse(text)):
            if isinstance(node, ast.Import):
                yield from ((name, alias.name, None) for alias in node.names)
                continue
            module = node.module or ""
            if node.level:
                anchor = base.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                module = ".".join([*anchor, module] if module else anchor)
            yield from ((name, module, alias.name) for alias in node.names)


def _target(sources: Mapping[str, str], module: str, name: str | None) -> str:
    """The module an import reaches: ``from p import m`` reaches ``p.m`` if that is a module."""
    return f"{module}.{name}" if name and f"{module}.{name}" in sources else module


def import_graph(sources: Mapping[str, str]) -> dict[str, set[str]]:
    """Module -> the modules among ``sources`` it imports (``from p import m`` counts m)."""
    graph: dict[str, set[str]] = {name: set() for name in sources}
    for importer, module, name in imported(sources):
        target = _target(sources, module, name)
        if target in sources and target != importer:
            graph[importer].add(target)
    return graph


def private_imports(sources: Mapping[str, str]) -> list[str]:
    """Imports that reach into another module's privacy, as readable lines.

    A name with a leading underscore may be imported only inside its own module
    (never), and a private module (``_kernels``, ``_stencil``, ``_checks``) only by
    modules of the package that holds it (and its subpackages). Dunder names are public.
    """
    roots = {name.split(".")[0] for name in sources}
    found = []
    for importer, module, name in imported(sources):
        if module.split(".")[0] not in roots:
            continue
        target = _target(sources, module, name)
        if target == module and name and name.startswith("_") and not name.endswith("__"):
            found.append(f"{importer} imports the private name {module}.{name}")
        parts = target.split(".")
        private = next((i for i, part in enumerate(parts) if part.startswith("_")), None)
        if private is not None:
            home = ".".join(parts[:private])
            if importer != home and not importer.startswith(home + "."):
                found.append(f"{importer} imports {target}, private to {home}")
    return found


def find_cycle(graph: Mapping[str, set[str]]) -> list[str] | None:
    """One import cycle ``[a, b, ..., a]`` of ``graph``, or None (depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)) is not None:
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)) is not None:
            return cycle
    return None


def test_no_import_cycles() -> None:
    """No module of the four packages imports itself through others (deferred imports too)."""
    sources = {name: path.read_text() for name, path in _module_files().items()}
    graph = import_graph(sources)
    assert len(graph) > 50, "the graph should cover every module"
    assert "batch.tasks" in graph["batch.runner"], "edges should be found"
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


#: The engine groups of ``lattice`` and the groups each may import (issue 12): the
#: models are the base, the Chebyshev engine and the transfer matrices stand on them,
#: the exact-diagonalization entry points dispatch ``engine="kpm"`` to the Chebyshev
#: engine. Only the package itself and the declaration layer sit at the top.
LATTICE_GROUPS = {
    "lattice.models": set(),
    "lattice.chebyshev": {"lattice.models"},
    "lattice.transfer_matrix": {"lattice.models"},
    "lattice.exact": {"lattice.models", "lattice.chebyshev"},
}
LATTICE_TOP = {"lattice", "lattice.observables", "lattice.raw"}


def _group(module: str) -> str | None:
    return next((g for g in LATTICE_GROUPS if module == g or module.startswith(g + ".")), None)


def test_lattice_is_grouped_by_engine_in_layers() -> None:
    """Every lattice module sits in one engine group (or the top layer), each group has
    a module docstring, and a group imports only the groups below it."""
    files = {n: p for n, p in _module_files().items() if n.split(".")[0] == "lattice"}
    graph = import_graph({name: path.read_text() for name, path in files.items()})
    for name in files:
        assert name in LATTICE_TOP or _group(name), f"{name} belongs to no engine group"
    for group in LATTICE_GROUPS:
        assert importlib.import_module(group).__doc__, f"{group} has no module docstring"
    for name, targets in graph.items():
        group = _group(name)
        if group is None:
            continue
        for target in targets:
            other = _group(target)
            assert other in ({group} | LATTICE_GROUPS[group]), (
                f"{name} imports {target}: {group} may import only {sorted(LATTICE_GROUPS[group])}"
            )
    assert "lattice.models.model" in graph["lattice.exact.spectrum"], "edges should be found"


def test_no_private_imports_across_modules() -> None:
    """No module imports another module's underscore names, and private modules are
    used only inside their own package (issue 12)."""
    sources = {name: path.read_text() for name, path in _module_files().items()}
    assert private_imports(sources) == []


def test_private_import_check_catches_planted_ones() -> None:
    planted = {
        "pkg": "",
        "pkg._kernels": "def k():\n    pass\n",
        "pkg.a": "from pkg import _kernels\nfrom ._kernels import k\nfrom pkg.b import _helper\n",
        "pkg.b": "def _helper():\n    pass\n__all__ = []\n",
        "pkg.sub": "",
        "pkg.sub._inner": "",
        "pkg.sub.c": "from .. import _kernels\nfrom pkg.sub import _inner\n",
        "pkg.d": "def f():\n    from pkg.sub._inner import x\n    from pkg.b import __all__\n",
        "other": "import pkg._kernels\nimport numpy._core\n",
    }
    assert private_imports(planted) == [
        "pkg.a imports the private name pkg.b._helper",
        "pkg.d imports pkg.sub._inner, private to pkg.sub",
        "other imports pkg._kernels, private to pkg",
    ]


def test_cycle_check_catches_a_planted_cycle() -> None:
    """The check finds a cycle hidden in a deferred import, through a package and a
    relative import, and ignores imports made only for type checking."""
    planted = {
        "pkg": "from pkg.a import f\n",
        "pkg.a": "from .b import g\n\ndef f():\n    return g()\n",
        "pkg.b": "def g():\n    from pkg import c\n    return c\n",
        "pkg.c": "import pkg.a\n",
        "pkg.d": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg\n",
    }
    graph = import_graph(planted)
    assert graph["pkg.b"] == {"pkg.c"}
    assert graph["pkg.d"] == set()
    cycle = find_cycle(graph)
    assert cycle is not None
    assert cycle[0] == cycle[-1]
    assert set(cycle) == {"pkg.a", "pkg.b", "pkg.c"}
    planted["pkg.c"] = "import numpy\n"  # the back edge removed: no cycle left
    assert find_cycle(import_graph(planted)) is None


def _vwloc(*args: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("vwloc")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "batch"]
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=120)


def test_console_script_help_and_version() -> None:
    help_run = _vwloc("--help")
    assert help_run.returncode == 0, help_run.stderr
    assert "usage: vwloc" in help_run.stdout
    version_run = _vwloc("--version")
    assert version_run.returncode == 0
    assert version_run.stdout.startswith("vwloc ")


def test_unknown_command_exits_with_status_2() -> None:
    run = _vwloc("no-such-command")
    assert run.returncode == 2
    assert "no-such-command" in run.stderr
