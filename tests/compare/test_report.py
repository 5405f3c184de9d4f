"""The report layout: summary table, sections per claim, Unicode, TOC, PDF links, footer."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from compare.analysis import analyze
from compare.blocks import Block
from compare.claims import evaluate
from compare.records import ArchiveRecord
from compare.report import (
    MAX_TABLE_ROWS,
    ascii_notation,
    render_html,
    render_markdown,
    report_blocks,
    summary_table,
    unicode_text,
    verdict_table,
)

sys.path.insert(0, str(Path(__file__).parent))
from test_analysis import _tm, synthetic  # noqa: E402
from test_sigma_w2 import _point  # noqa: E402


@pytest.fixture(scope="module")
def evaluated():
    """Demo-like: 1D chains at three lengths, 2D lattices, 2D strips and 3D bars."""
    from lattice.transfer_matrix import scaling

    strips = {(2, w): {m: 5.0 * m / w for m in (8, 16, 32)} for w in (5.0, 6.0, 7.0)}
    bars = {
        (3, w): {m: m * 0.6 * np.exp((16.5 - w) * m / 20) for m in (4, 6, 8)}
        for w in (14.0, 15.0, 16.0, 17.0, 18.0)
    }
    rng = np.random.default_rng(20261130)
    records = [
        synthetic(),
        ArchiveRecord(7, lengths=_tm(strips, -1.0) + _tm(bars, 0.0)),
        ArchiveRecord(3, points=(_point(8.0, True, rng), _point(10.0, False, rng))),
    ]
    analysis = analyze(records, scaling=scaling)
    return analysis, evaluate(analysis)


def test_unicode_notation_leaves_keys_alone() -> None:
    assert unicode_text("A (e^2 hbar/t^2 per site) at w <= w0") == "A (e² ħ/t² per site) at ω ≤ ω₀"
    assert unicode_text("alpha(0) and r0 +- 2") == "α(0) and r₀ ± 2"
    assert unicode_text("sigma_w2/dim1_L600_W1.0 xi_1d") == "sigma_w2/dim1_L600_W1.0 xi_1d"


def test_summary_is_one_line_per_claim_with_units_out_of_the_number_cells(evaluated) -> None:
    _, evaluation = evaluated
    headers, rows = summary_table(evaluation.rows).content
    assert headers[:2] == ["claim", "quantity (unit)"]
    assert len(rows) == len({row.kind for row in evaluation.rows})
    for row in rows:
        numerics, theory = row[3], row[4]
        assert not any(c.isalpha() for c in numerics.replace("e", "")), numerics
        assert not any(c.isalpha() for c in theory.replace("e", "")), theory
    sigma = next(r for r in rows if r[1].startswith("A ("))
    assert sigma[1] == "A (e² ħ/t² per site)"
    # the summary's regime: the lattice and l, λ only (the claim's table has the rest)
    assert headers[2] == "regime (energies in t, lengths in a)"
    assert sigma[2].startswith("d=1, W=2, E_F=0.5, sizes=[") and sigma[2].endswith(", λ=0.0429")


def test_claim_tables_carry_units_in_headers_and_are_condensed(evaluated) -> None:
    _, evaluation = evaluated
    rows = [r for r in evaluation.rows if r.kind == "sigma_w2"]
    headers, _ = verdict_table(rows).content
    assert headers[1].startswith("A (e² ħ/t² per site)")
    # a parenthesis that is no unit stays in the quantity: no "theory (transfer matrix)"
    (ratio,) = [r for r in evaluation.rows if r.kind == "r0_over_xi"]
    headers, _ = verdict_table([ratio]).content
    assert headers[1] == "r₀ (Eq. 37 fit) / ξ (transfer matrix) [95 %]"
    assert "theory" in headers and "exact" in headers
    many = rows * (MAX_TABLE_ROWS + 5)
    _, shown = verdict_table(many, condense=True).content
    assert len(shown) <= MAX_TABLE_ROWS


def test_markdown_and_html_layout(evaluated) -> None:
    analysis, evaluation = evaluated
    blocks = report_blocks(
        analysis, evaluation, ["a.h5"], banner="partial archive: a.h5: 3 of 8",
        checksums={"a.h5": "ab" * 32},
    )  # fmt: skip
    markdown = render_markdown(blocks)
    lines = markdown.splitlines()
    assert lines[0] == "# vwloc validation report"
    assert markdown.index("**Warning: partial archive") < markdown.index("## Summary")
    assert "- [Summary](#summary)" in markdown and "[Provenance](#provenance)" in markdown
    assert "(sha256 " + "ab" * 32 + ")" in markdown
    assert "hbar" not in markdown.split("## Provenance")[0]
    assert max(len(line) for line in lines if line.startswith("| ") and "Summary" not in line)
    images = {plot.name: b"png" for plot in evaluation.plots}
    page = render_html(blocks, images)
    assert page.count("<a href='figures/") == len(images)  # each figure links its PDF
    assert "<nav>" in page and "<footer>" in page and "class='banner'" in page
    assert page.index("<footer>") > page.index("id='parameters'")


def test_no_ascii_notation_in_the_report_text(evaluated) -> None:
    """Rows, notes, tables and captions reach the report in Unicode (ω, ħ, σ₀, √, ξ, α, λ);
    only identifiers (row keys, point ids, figure names) stay ASCII."""
    analysis, evaluation = evaluated
    blocks = report_blocks(analysis, evaluation, ["a.h5"])
    names = [plot.name for plot in evaluation.plots] + [row.kind for row in evaluation.rows]
    body = render_markdown(blocks).split("## Provenance")[0]
    assert "window_sensitivity" in body and "## The 3D transition" in body  # demo-like
    assert ascii_notation(body, names) == []
    planted = [*blocks[:3], Block("paragraph", "not fitted: omega_min = 0.03 >= w0/3, sqrt(2)")]
    found = ascii_notation(render_markdown(planted), names)
    assert found == ["omega_min", "w0", "sqrt"]
    assert unicode_text("omega_min = 0.03 >= w0/3, sqrt(2)") == "ω_min = 0.03 ≥ ω₀/3, √(2)"
