"""The report's building blocks: what a claim module hands the report layout.

A report is a list of :class:`Block`; each claim module (:mod:`compare.claims`)
returns its own blocks, :mod:`compare.report` orders them and renders the
list as Markdown or HTML. Keeping the content in this neutral form is what
lets the two renderings (and any restyled renderer) say the same thing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .estimate import Estimate

__all__ = ["BLOCK_KINDS", "Block", "estimate_text", "number_text", "table"]

#: The block kinds every renderer must handle.
BLOCK_KINDS = ("heading", "paragraph", "table", "figure", "pre")


@dataclass(frozen=True)
class Block:
    """One element of the report.

    Attributes
    ----------
    kind : str
        One of :data:`BLOCK_KINDS`.
    content : Any
        heading: ``(level, text)``; paragraph and pre: text; table:
        ``(headers, rows)`` with every cell a string; figure: ``(name, caption)``
        (the renderer finds the image by name).
    """

    kind: str
    content: Any

    def __post_init__(self) -> None:
        if self.kind not in BLOCK_KINDS:
            raise ValueError(f"block kind must be one of {BLOCK_KINDS}, got {self.kind!r}")


def table(headers: list[str], rows: list[list[str]]) -> Block:
    """A table block (``rows`` of string cells, one per header)."""
    return Block("table", (headers, rows))


def number_text(value: float | None) -> str:
    """A number for a table cell: 4 significant digits, ``-`` for None/NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float) and math.isinf(value):
        return "inf"
    return f"{value:.4g}"


def estimate_text(estimate: Estimate | None) -> str:
    """An estimate for a table cell (``-`` for None)."""
    return "-" if estimate is None else str(estimate)
