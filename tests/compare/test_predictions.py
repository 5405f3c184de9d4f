"""Prediction rows: ratios against each reference and the verdict rules."""

from __future__ import annotations

import json

import pytest

from compare import predictions
from compare.estimate import Estimate


def _row(numerics: Estimate, **references: Estimate) -> predictions.Prediction:
    return predictions.Prediction(
        key="k", claim="claim", quantity="q", regime="r", numerics=numerics, references=references
    )


@pytest.mark.parametrize(
    ("value", "low", "high", "expected"),
    [
        (1.1, 0.9, 1.3, "agrees"),
        (1.5, 1.4, 1.6, "same order"),
        (0.6, 0.55, 0.65, "same order"),
        (2.5, 2.4, 2.6, "disagrees"),
        (0.3, 0.2, 0.4, "disagrees"),
        (1.5, 0.5, 6.0, "inconclusive"),
        (30.0, 19.0, 8e14, "inconclusive"),
        (1.0, 0.0, 1.5, "inconclusive"),
        (1.0, 0.3, 2.9, "agrees"),
    ],
)
def test_verdict_tiers(value: float, low: float, high: float, expected: str) -> None:
    assert predictions.verdict(Estimate(value, low, high)) == expected


def test_verdict_uses_expected_ratio() -> None:
    ratio = Estimate(0.7, 0.68, 0.72)
    assert predictions.verdict(ratio, expected=0.707) == "agrees"
    assert predictions.verdict(ratio) == "same order"
    assert predictions.verdict(None) == "no reference"


def test_theory_is_preferred_over_exact_and_printed() -> None:
    row = _row(
        Estimate(2.0, 1.9, 2.1),
        printed=Estimate.exact(2.0),
        exact=Estimate.exact(10.0),
        theory=Estimate.exact(2.05),
    )
    assert row.judged_against == "theory"
    assert row.verdict == "agrees"
    assert row.ratio("exact").value == pytest.approx(0.2)
    only_exact = _row(Estimate(2.0, 1.9, 2.1), exact=Estimate.exact(10.0))
    assert only_exact.judged_against == "exact"
    assert only_exact.verdict == "disagrees"
    assert "disagrees" in only_exact.summary_line()


def test_no_reference_and_json_form() -> None:
    row = _row(Estimate(1.0, 0.0, 2.0), theory=Estimate.exact(1.0))
    data = row.as_dict()
    assert data["ratios"]["theory"]["high"] is None  # infinite bound -> null
    json.dumps(data, allow_nan=False)
    assert _row(Estimate.exact(1.0)).verdict == "no reference"
    with pytest.raises(ValueError, match="references"):
        _row(Estimate.exact(1.0), guess=Estimate.exact(1.0))
