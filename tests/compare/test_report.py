"""The report layout: summary table, sections per claim, Unicode, TOC, PDF links, footer."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from compare.analysis import analyze
from compare.claims import evaluate
from compare.report import (
    MAX_TABLE_ROWS,
    render_html,
    render_markdown,
    report_blocks,
    summary_table,
    unicode_text,
    verdict_table,
)

sys.path.insert(0, str(Path(__file__).parent))
from test_analysis import synthetic  # noqa: E402


@pytest.fixture(scope="module")
def evaluated():
    analysis = analyze([synthetic()])
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


def test_claim_tables_carry_units_in_headers_and_are_condensed(evaluated) -> None:
    _, evaluation = evaluated
    rows = [r for r in evaluation.rows if r.kind == "sigma_w2"]
    headers, _ = verdict_table(rows).content
    assert headers[1].startswith("A (e² ħ/t² per site)")
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
