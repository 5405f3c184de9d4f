"""vwloc_common.vocabulary: one table of parameter names and symbols, the docs' copy equal."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vwloc_common.vocabulary import NAMES, POINT_PARAMETERS, SYMBOLS, by_name, by_symbol

ARCHITECTURE = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"


def test_docs_table_is_the_vocabulary() -> None:
    """docs/architecture.md shows exactly the table of the code (no second, drifting copy)."""
    section = ARCHITECTURE.read_text().split("## Vocabulary", 1)[1].split("\n## ", 1)[0]
    rows = [
        [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]
        for line in section.splitlines()
        if re.match(r"^\|\s*`", line)
    ]
    assert rows == [[p.name, p.symbol, p.unit, p.meaning] for p in POINT_PARAMETERS]


def test_names_and_symbols_are_one_to_one() -> None:
    assert len(NAMES) == len(SYMBOLS) == len(POINT_PARAMETERS)
    assert SYMBOLS["disorder"] == "W" and SYMBOLS["fermi_energy"] == "E_F"
    values = {"dim": 2, "L": [8, 8], "disorder": 1.5, "fermi_energy": -0.5, "flux": 0.25}
    symbols = by_symbol(values)
    assert symbols == {"dim": 2, "L": [8, 8], "W": 1.5, "E_F": -0.5, "flux": 0.25}
    assert by_name({**symbols, "other": 1}) == values  # non-parameter keys dropped
    with pytest.raises(KeyError):
        by_symbol({"continuum_fermi_energy": 1.0})  # derived, never a point parameter
