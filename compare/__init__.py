"""Fits of the numerics and their comparison with the self-consistent theory.

The pipeline, each step a function of plain data (no file I/O, no printing):

- typed records in (:mod:`compare.records`, produced by the batch layer's reader);
- :func:`analyze` (:mod:`compare.analysis`): records -> fits, lengths,
  robust statistics and the Eq. (42) predictions per sweep point;
- :func:`evaluate` (:mod:`compare.claims`): one module per prediction of the
  seed, each producing its verdict rows (:mod:`compare.verdicts`, the only
  place verdicts are decided), figures and report blocks;
- :func:`report_blocks`, :func:`render_markdown`, :func:`render_html`
  (:mod:`compare.report`): the report's layout and its two renderings.

The building blocks: :mod:`compare.fits` (low-frequency laws of Re sigma),
:mod:`compare.lengths` (Eq. 37, r0 from alpha(0)), :mod:`compare.bootstrap`,
:mod:`compare.statistics` (robust and heavy-tail statistics),
:mod:`compare.estimate`, :mod:`compare.figures`, :mod:`compare.blocks`;
:mod:`compare.style` (the journal style every figure shares) and
:mod:`compare.figure_check` (legends clear of data, units, axis ranges and
caption claims, checked in display coordinates by the test suite).
Imports :mod:`theory`, never :mod:`lattice` or :mod:`batch` (the
finite-size-scaling fits of ``lattice.transfer_matrix.scaling`` are passed in to :func:`analyze`).
"""

from compare.analysis import Analysis, analyze
from compare.claims import Evaluation, evaluate
from compare.estimate import Estimate
from compare.records import ArchiveRecord
from compare.report import render_html, render_markdown, report_blocks
from compare.verdicts import VerdictRow, judge

__all__ = [
    "Analysis",
    "ArchiveRecord",
    "Estimate",
    "Evaluation",
    "VerdictRow",
    "analyze",
    "evaluate",
    "judge",
    "render_html",
    "render_markdown",
    "report_blocks",
]
