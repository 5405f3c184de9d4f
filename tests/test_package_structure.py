"""Package structure: every public module declares a complete ``__all__``; the CLI starts."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGES = ("lattice", "theory", "compare", "batch")


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
    """DESIGN.md section 1: lattice and theory never import each other or batch."""
    root = Path(__file__).resolve().parents[1]
    forbidden = {
        "lattice": ("theory", "compare", "batch"),
        "theory": ("lattice", "compare", "batch"),
        "compare": ("lattice", "batch"),
    }
    for package, others in forbidden.items():
        for path in (root / package).rglob("*.py"):
            for line in path.read_text().splitlines():
                stripped = line.strip()
                for other in others:
                    assert not stripped.startswith((f"import {other}", f"from {other}")), (
                        f"{path.relative_to(root)} imports {other}: {stripped}"
                    )


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
