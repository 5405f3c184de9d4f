"""The README's Python examples run as written (a newcomer copies them first).

A block that names ``pytest -m full_size`` is the full-size engine example
(L = 512 sparse, L = 2048 kpm: about 9 minutes and 6 GB on two cores); it runs
under ``pytest -m full_size`` only, as neither CI run has that budget. Its calls
run at small sizes in tests/lattice (the engines against the dense engine).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def _is_full_size(block: str) -> bool:
    """True for the block that says it is tested by ``pytest -m full_size``."""
    return "pytest -m full_size" in block


def test_readme_has_python_examples() -> None:
    assert len(BLOCKS) >= 3
    assert sum(map(_is_full_size, BLOCKS)) == 1  # the full-size engine example


@pytest.mark.parametrize(
    "index",
    [
        pytest.param(i, marks=pytest.mark.full_size) if _is_full_size(block) else i
        for i, block in enumerate(BLOCKS)
    ],
)
def test_readme_example_runs(index: int, capsys: pytest.CaptureFixture[str]) -> None:
    exec(compile(BLOCKS[index], f"README.md python block {index}", "exec"), {})
