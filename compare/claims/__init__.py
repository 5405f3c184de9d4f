"""The predictions of the seed, one module per claim, each producing rows, figures and blocks.

========================  ===================================================  ==============
module                    claim                                                row kinds
========================  ===================================================  ==============
:mod:`.sigma_w2`          Re sigma = A w^2 in the localized phase (Eqs. 36,44) sigma_w2
:mod:`.polarizability`    finite alpha(0); r0 from alpha and from chi(q,0)     alpha0, r0_*
:mod:`.localization`      1D xi (check); 2D ln xi linear in 1/lambda           xi_1d, ln_xi_2d
:mod:`.weak_localization` 2D Re sigma slope in ln w = 1/(4 pi^2) (universal)   wl_2d, ...
:mod:`.time_reversal`     a flux delocalizes in d <= 2 (Eq. 42 with 1/tau_s)   tr_xi, tr_r0, ...
:mod:`.transition`        3D mobility edge, nu = 1, D(0)/D0 on the metal side  critical_3d, ...
========================  ===================================================  ==============

Each module exposes ``TITLE``, ``SUMMARY`` (its line of the five-line summary),
``KINDS`` (its row-key prefixes), ``rows(analysis)``
(every :class:`~compare.verdicts.VerdictRow`, made by
:func:`compare.verdicts.judge`), ``plots(analysis)`` and ``blocks(analysis)``
(its detail tables for the report). A new claim is a new module added to
:data:`CLAIMS`. :func:`evaluate` runs them all once; the report, the summary
and ``predictions.json`` all read its result.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

import numpy as np

from theory.eq42 import solve_eq42
from theory.localized import localization_properties
from theory.parameters import TheoryParameters

from ..analysis import Analysis
from ..blocks import Block
from ..figures import Curve, Plot, kernel_figure
from ..verdicts import VerdictRow, verdict_summary
from . import (
    localization,
    polarizability,
    sigma_w2,
    time_reversal,
    transition,
    weak_localization,
)

__all__ = [
    "CLAIMS",
    "KERNEL_COUPLINGS",
    "ClaimResult",
    "Evaluation",
    "evaluate",
    "kernel_plot",
]

#: The claim modules in report order.
CLAIMS: tuple[ModuleType, ...] = (
    sigma_w2,
    polarizability,
    localization,
    weak_localization,
    time_reversal,
    transition,
)
#: Couplings lambda of the Eq. (42) kernel figure per dimension (free electrons, default
#: cutoffs): weak to moderate in d = 1, 2; in d = 3 on both sides of lambda_c = 0.326.
KERNEL_COUPLINGS = {1: (0.02, 0.05, 0.1), 2: (0.1, 0.15, 0.25), 3: (0.2, 0.3, 0.4)}


@dataclass(frozen=True)
class ClaimResult:
    """What one claim module produced.

    Attributes
    ----------
    title : str
        Section title.
    summary : str
        The summary line the rows are counted on.
    kinds : tuple of str
        Row-key prefixes of the claim.
    rows : list of VerdictRow
    plots : list of Plot
    blocks : list of Block
        Detail tables and paragraphs (without the section heading).
    """

    title: str
    summary: str
    kinds: tuple[str, ...]
    rows: list[VerdictRow]
    plots: list[Plot]
    blocks: list[Block]


@dataclass(frozen=True)
class Evaluation:
    """Every claim's result, in report order, plus the theory overview figure."""

    claims: list[ClaimResult]
    overview: list[Plot]

    @property
    def rows(self) -> list[VerdictRow]:
        """All verdict rows in report order (what ``predictions.json`` holds)."""
        return [row for claim in self.claims for row in claim.rows]

    @property
    def plots(self) -> list[Plot]:
        """All figures in report order."""
        return [plot for claim in self.claims for plot in claim.plots] + self.overview

    def summary(self, lines: int = 5, note: str = "") -> list[str]:
        """The verdict summary (at most ``lines`` lines): counts, then one line per group.

        Claims share a line by their module's ``SUMMARY`` label (four labels, so
        the summary stays within five lines). ``note`` is appended to the first line
        (the demo: where the rows it cannot settle are tested).
        """
        categories: dict[str, tuple[str, ...]] = {}
        for claim in self.claims:
            categories[claim.summary] = categories.get(claim.summary, ()) + claim.kinds
        out = verdict_summary(self.rows, categories, lines)
        if note:
            out[0] += f" ({note})"
        return out


def kernel_plot() -> Plot:
    """-Re M(0,w)/E_F of Eq. (42) against w/E_F for several lambda in d = 1, 2, 3.

    Units of E_F, not of 1/tau: in d = 1, -Re M tau = 1/(4 w tau) whatever lambda, so
    curves against w tau would coincide.
    """
    omega = np.geomspace(1e-6, 10.0, 200)
    panels: dict[str, list[Curve]] = {}
    for dim, couplings in KERNEL_COUPLINGS.items():
        curves = panels.setdefault(f"$d = {dim}$", [])
        for coupling in couplings:
            params = TheoryParameters.from_lambda(dim, coupling)
            solution = solve_eq42(params, omega)
            state = "localized" if localization_properties(params).localized else "metal"
            curves.append(
                Curve(
                    rf"$\lambda={coupling:g}$ ({state})",
                    omega,
                    -solution.kernel.real,
                    role="theory",
                )  # fmt: skip
            )
    caption = (
        "Numerical solution of Eq. (42) for free electrons with the default cutoffs (k₀ = 1/l "
        "in d = 2, 3; none in d = 1), in units of E_F = 1 (ħ = p_F = 1): −Re M(0,ω). In "
        "the localized phase it grows as ω₀²/ω (slope −1); in the d = 3 metal it vanishes "
        "as ω → 0."
    )
    return kernel_figure(
        panels, caption, {"couplings": {str(k): v for k, v in KERNEL_COUPLINGS.items()}}
    )


def evaluate(analysis: Analysis) -> Evaluation:
    """Run every claim module on ``analysis`` (each once) and add the kernel figure."""
    claims = [
        ClaimResult(
            title=module.TITLE,
            summary=module.SUMMARY,
            kinds=tuple(module.KINDS),
            rows=module.rows(analysis),
            plots=module.plots(analysis),
            blocks=module.blocks(analysis),
        )
        for module in CLAIMS
    ]
    return Evaluation(claims, [kernel_plot()])
