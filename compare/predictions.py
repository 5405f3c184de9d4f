r"""Each numerical quantity beside the theory, the seed's printed formula and exact results.

A :class:`Prediction` row holds one quantity measured on the lattice (an
:class:`~compare.estimate.Estimate` with its confidence interval) and up to
three references, each an exact number or an Estimate:

- ``theory``: the numerical solution of Eq. (42) through the lattice mapping
  (``theory.mapping``), the prediction proper;
- ``printed``: the seed's printed asymptotic formula (Eqs. 43, 44 and the 1D
  statements after them), which ``docs/theory.md`` shows to differ from Eq.
  (42) in several constants;
- ``exact``: the exact result where one exists (1D: Thouless, Berezinskii,
  Abrikosov-Ryzhkin).

The ratio numerics / reference carries the interval of both (log-space
propagation, :meth:`Estimate.ratio`). The verdict compares the ratio to the
expected value (1, unless the prediction is a relation such as r0/xi with a
theory-fixed constant):

- ``agrees``: the expected value lies inside the ratio's interval;
- ``same order``: outside the interval but within a factor
  :data:`SAME_ORDER_FACTOR` of it (a weak-coupling theory with O(lambda)
  corrections applied at finite lambda);
- ``disagrees``: further off;
- ``no reference``: nothing to compare with.

The verdict judges the *theory* reference when there is one, otherwise the
exact one, otherwise the printed one; the table shows all three ratios.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ._checks import check_real
from .estimate import Estimate

__all__ = [
    "REFERENCES",
    "SAME_ORDER_FACTOR",
    "VERDICTS",
    "Prediction",
    "verdict",
]

#: Reference kinds, in the order the verdict prefers them.
REFERENCES = ("theory", "exact", "printed")
#: Verdict labels.
VERDICTS = ("agrees", "same order", "disagrees", "no reference")
#: A ratio within this factor of the expected value (but outside its interval) is
#: "same order": the theory is a weak-coupling resummation whose constants are not
#: exact at the lambda of a lattice simulation (seed Sec. IV).
SAME_ORDER_FACTOR = 2.0


def verdict(ratio: Estimate | None, expected: float = 1.0) -> str:
    """Classify a ratio numerics/reference against its ``expected`` value."""
    if ratio is None:
        return "no reference"
    expected = check_real("expected", expected, positive=True)
    if ratio.contains(expected):
        return "agrees"
    factor = ratio.value / expected
    if 1 / SAME_ORDER_FACTOR <= factor <= SAME_ORDER_FACTOR:
        return "same order"
    return "disagrees"


@dataclass(frozen=True)
class Prediction:
    """One prediction of the seed tested against exact numerics.

    Attributes
    ----------
    key : str
        Short identifier (``sigma_w2_1d``), stable across runs.
    claim : str
        The seed's claim in words, with its equation number.
    quantity : str
        The measured quantity with units.
    regime : str
        Parameters and regime covered (dimension, W, E_F, lambda, sizes).
    numerics : Estimate
        The lattice value with its interval.
    references : dict
        ``"theory"``, ``"exact"``, ``"printed"`` -> Estimate (any subset).
    expected : float
        Expected ratio numerics/reference (1 unless stated).
    note : str
        What else the reader must know (fit window, model selection, caveats).
    """

    key: str
    claim: str
    quantity: str
    regime: str
    numerics: Estimate
    references: dict[str, Estimate] = field(default_factory=dict)
    expected: float = 1.0
    note: str = ""

    def __post_init__(self) -> None:
        unknown = set(self.references) - set(REFERENCES)
        if unknown:
            raise ValueError(f"references must be among {REFERENCES}, got {sorted(unknown)}")

    def ratio(self, reference: str) -> Estimate | None:
        """numerics / reference, or None if that reference is absent or not positive."""
        other = self.references.get(reference)
        if other is None or other.value <= 0 or self.numerics.value <= 0:
            return None
        return self.numerics.ratio(other)

    @property
    def judged_against(self) -> str | None:
        """The reference the verdict uses (theory, else exact, else printed)."""
        return next((name for name in REFERENCES if self.ratio(name) is not None), None)

    @property
    def verdict(self) -> str:
        """``agrees``, ``same order``, ``disagrees`` or ``no reference``."""
        reference = self.judged_against
        return verdict(None if reference is None else self.ratio(reference), self.expected)

    def summary_line(self) -> str:
        """One line: claim, verdict and the judged ratio."""
        reference = self.judged_against
        if reference is None:
            return f"{self.claim}: no reference ({self.numerics})"
        ratio = self.ratio(reference)
        expected = "" if self.expected == 1 else f", expected {self.expected:.3g}"
        return f"{self.claim}: {self.verdict} (numerics/{reference} = {ratio}{expected})"

    def as_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        ratios = {}
        for name in REFERENCES:
            ratio = self.ratio(name)
            if ratio is not None:
                ratios[name] = _finite(ratio.as_dict())
        return {
            "key": self.key,
            "claim": self.claim,
            "quantity": self.quantity,
            "regime": self.regime,
            "numerics": _finite(self.numerics.as_dict()),
            "references": {k: _finite(v.as_dict()) for k, v in self.references.items()},
            "ratios": ratios,
            "expected": self.expected,
            "verdict": self.verdict,
            "judged_against": self.judged_against,
            "note": self.note,
        }


def _finite(data: dict[str, Any]) -> dict[str, Any]:
    """Replace infinite bounds by None (strict JSON)."""
    return {
        k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in data.items()
    }
