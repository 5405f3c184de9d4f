"""The verdict rules: ratio tiers, the gates that make a row "not tested", size convergence."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from compare import verdicts
from compare.estimate import Estimate
from theory.mapping import map_lattice


def _row(numerics: Estimate | None, untested=(), **references: Estimate) -> verdicts.VerdictRow:
    return verdicts.judge("k/x", "claim", "q", {"d": 1}, numerics, references, untested=untested)


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
def test_ratio_tiers(value: float, low: float, high: float, expected: str) -> None:
    assert verdicts.ratio_verdict(Estimate(value, low, high)) == expected


def test_expected_ratio_and_preferred_reference() -> None:
    ratio = Estimate(0.7, 0.68, 0.72)
    assert verdicts.ratio_verdict(ratio, expected=0.707) == "agrees"
    assert verdicts.ratio_verdict(ratio) == "same order"
    row = _row(
        Estimate(2.0, 1.9, 2.1),
        printed=Estimate.exact(2.0),
        exact=Estimate.exact(10.0),
        theory=Estimate.exact(2.05),
    )
    assert row.judged_against == "theory" and row.verdict == "agrees"
    assert row.ratio_to("exact").value == pytest.approx(0.2)
    only_exact = _row(Estimate(2.0, 1.9, 2.1), exact=Estimate.exact(10.0))
    assert only_exact.judged_against == "exact" and only_exact.verdict == "disagrees"


def test_an_untested_row_is_never_judged() -> None:
    """A non-converged or out-of-regime row cannot agree, whatever its ratio."""
    perfect = Estimate(1.0, 0.99, 1.01)
    for reasons in (["2 size(s) [600, 1200]: need >= 3"], ["l = 0.5 < 3: Born"], ["a", "b"]):
        row = _row(perfect, reasons, theory=Estimate.exact(1.0))
        assert row.verdict == "not tested"
        assert row.reason == "; ".join(reasons)
        assert row.ratio.value == pytest.approx(1.0)  # the ratio is still shown
    assert _row(perfect, ["", ""], theory=Estimate.exact(1.0)).verdict == "agrees"
    assert _row(None, theory=Estimate.exact(1.0)).verdict == "not tested"
    qualitative = verdicts.judge(
        "t/x", "c", "q", {}, None, untested=["1 size"], qualitative=("agrees", "trend")
    )
    assert qualitative.verdict == "not tested"


def test_a_rejected_fit_is_not_evidence() -> None:
    """reduced chi^2 of 6-27 on ~20 points (issue 11's 1D fits) rejects; chi^2 ~ dof does not."""
    assert verdicts.fit_rejection(20.0, 20) == ""
    reason = verdicts.fit_rejection(6.0 * 20, 20, "A w^2 fit")
    assert "rejected by its own chi^2" in reason and "A w^2 fit" in reason
    row = _row(Estimate(1.2, 1.1, 1.3), [reason], theory=Estimate.exact(1.0))
    assert row.verdict == "not tested"  # never "same order" from a rejected fit
    assert "no degrees of freedom" in verdicts.fit_rejection(1.0, 0)


def test_size_convergence() -> None:
    flat = [Estimate.from_stderr(v, 0.05) for v in (1.02, 0.98, 1.01)]
    result = verdicts.size_convergence([600, 1200, 2400], flat)
    assert result.method == "size-independent" and result.limit == flat[-1]
    # 1 + 300/N exactly: extrapolated to 1 with an interval around it
    sizes = [300, 600, 1200, 2400]
    drift = [Estimate.from_stderr(1 + 300 / n, 0.01) for n in sizes]
    result = verdicts.size_convergence(sizes, drift)
    assert result.method.startswith("extrapolated")
    assert result.limit.contains(1.0) and result.limit.high < 1.05
    # ln N growth (the 1D alpha(0) median): neither constant nor a + b/N
    growing = [Estimate.from_stderr(math.log(n), 0.01) for n in (150, 300, 600, 1200, 2400)]
    result = verdicts.size_convergence([150, 300, 600, 1200, 2400], growing)
    assert result.limit is None and "drifts with size" in result.reason
    # ln N growth on three sizes with 5 % errors: a + b/N (one dof) accepts it (p = 0.16),
    # so an extrapolation needs four sizes
    three = [Estimate.from_stderr(math.log(n / 100), 0.05 * math.log(n / 100)) for n in sizes[1:]]
    result = verdicts.size_convergence(sizes[1:], three)
    assert result.p_extrapolation > verdicts.SIZE_P_VALUE
    assert result.limit is None and "needs >= 4 sizes" in result.reason
    two = verdicts.size_convergence([600, 1200], flat[:2])
    assert two.limit is None and "need >= 3" in two.reason
    with pytest.raises(ValueError, match="distinct"):
        verdicts.size_convergence([600, 600, 1200], flat)


def test_born_regime_and_regime_parameters() -> None:
    weak = map_lattice(1, 1.0, 0.5)  # l = 22.5
    strong = map_lattice(2, 6.0, -1.0)  # l < 1
    assert verdicts.born_regime(weak) == []
    assert any("Born mapping only qualitative" in r for r in verdicts.born_regime(strong))
    assert "no Born mapping" in verdicts.born_regime(None)[0]
    params = verdicts.regime_parameters(weak, d=1, W=1.0)
    assert params["l"] == pytest.approx(weak.mean_free_path)
    assert params["k_F l"] == pytest.approx(1 / (math.pi * weak.coupling))


def test_json_form_and_summary() -> None:
    row = _row(Estimate(1.0, 0.0, 2.0), theory=Estimate.exact(1.0))
    data = row.as_dict()
    assert data["ratios"]["theory"]["high"] is None  # infinite bound -> null
    assert data["verdict"] == "inconclusive" and data["reason"]
    json.dumps(data, allow_nan=False)
    untested = _row(None, ["need >= 3 sizes"], theory=Estimate.exact(1.0))
    assert untested.as_dict()["numerics"] is None
    with pytest.raises(ValueError, match="references"):
        _row(Estimate.exact(1.0), guess=Estimate.exact(1.0))
    lines = verdicts.verdict_summary([row, untested], {"cat": ("k",)})
    assert lines[0] == "2 predictions: 1 inconclusive, 1 not tested"
    assert "need >= 3 sizes" in lines[1]
    assert np.isfinite(len(lines))


def test_summary_example_of_tied_reasons_is_the_first_in_row_order() -> None:
    """Two reasons as common as each other: the summary names the first row's, not the
    one a set of strings happens to yield first (which varies with the hash seed)."""
    for first, second in (("reason a", "reason b"), ("reason b", "reason a")):
        rows = [_row(None, [first], theory=Estimate.exact(1.0)),
                _row(None, [second], theory=Estimate.exact(1.0))]  # fmt: skip
        (_, line) = verdicts.verdict_summary(rows, {"cat": ("k",)})
        assert line.endswith(f"not tested e.g.: {first}")


def test_a_heavy_tailed_mean_is_judged_only_with_a_finite_mean_established() -> None:
    """mean_interval_reasons / mean_estimate (docs/verdicts.md 1b): a Pareto sample of
    index 3 (mean 1.5) gets an interval that holds the mean; index 0.8 (no finite mean)
    and too few realizations are refused with the reason."""
    from compare.verdicts import MIN_MEAN_SAMPLES, mean_estimate, mean_interval_reasons

    rng = np.random.default_rng(12)
    light = rng.random(400) ** (-1 / 3.0)
    assert mean_interval_reasons(light, "x") == []
    estimate = mean_estimate(light)
    assert estimate is not None and estimate.contains(1.5)
    heavy = rng.random(400) ** (-1 / 0.8)
    (reason,) = mean_interval_reasons(heavy, "alpha")
    assert "exclude 1" in reason and mean_estimate(heavy) is None
    (reason,) = mean_interval_reasons(light[: MIN_MEAN_SAMPLES - 1], "alpha")
    assert f"< {MIN_MEAN_SAMPLES}" in reason and mean_estimate(light[:50]) is None


def test_a_rejected_shape_never_agrees() -> None:
    """shape_verdict: a no-parameter curve whose ratio to the data is not constant.

    Ratios around 1 (crossing it) are "same order", not "agrees"; ratios 3-5 across
    the window "disagree"; ratios spanning more than INCONCLUSIVE_SPREAD judge nothing.
    """
    error = np.full(5, 0.01)
    crossing = np.linspace(0.8, 1.25, 5)
    assert verdicts.shape_verdict(crossing, error)[0] == "same order"
    assert verdicts.shape_verdict(np.linspace(3.0, 5.0, 5), error)[0] == "disagrees"
    assert verdicts.shape_verdict(np.linspace(0.2, 0.45, 5), error)[0] == "disagrees"
    # one end inside the factor 2, the other beyond: not every point disagrees
    assert verdicts.shape_verdict(np.linspace(1.5, 3.0, 5), error)[0] == "same order"
    # the pointwise intervals count: 2.05 +- 0.1 reaches below a factor 2
    assert verdicts.shape_verdict(np.linspace(2.05, 3.0, 5), np.full(5, 0.1))[0] == "same order"
    assert verdicts.shape_verdict(np.geomspace(0.1, 2.0, 5), error)[0] == "inconclusive"
