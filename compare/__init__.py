"""Fits of the numerics and their comparison with the self-consistent theory.

The pipeline, each step a function of plain data (no file I/O, no printing):

- :func:`analyze` (:mod:`compare.analysis`): archived sweeps -> fits, lengths,
  robust statistics and the Eq. (42) predictions per sweep point;
- :func:`collect_predictions` (:mod:`compare.predictions`): one row per
  prediction of the seed with ratios to the theory, the printed formula and
  exact results, and a verdict;
- :func:`build_plots` (:mod:`compare.gallery`): the report's figures;
- :func:`report_blocks`, :func:`render_markdown`, :func:`render_html`
  (:mod:`compare.report`): the report text.

The building blocks: :mod:`compare.fits` (low-frequency laws of Re sigma),
:mod:`compare.lengths` (Eq. 37, r0 from alpha(0), crossings),
:mod:`compare.time_reversal` (Eq. 42 with the flux's 1/tau_s),
:mod:`compare.bootstrap`, :mod:`compare.statistics`, :mod:`compare.estimate`,
:mod:`compare.figures`. Imports :mod:`theory`, never :mod:`lattice` or
:mod:`batch`.
"""

from compare.analysis import Analysis, analyze
from compare.estimate import Estimate
from compare.gallery import build_plots
from compare.predictions import Prediction, collect_predictions
from compare.report import render_html, render_markdown, report_blocks

__all__ = [
    "Analysis",
    "Estimate",
    "Prediction",
    "analyze",
    "build_plots",
    "collect_predictions",
    "render_html",
    "render_markdown",
    "report_blocks",
]
