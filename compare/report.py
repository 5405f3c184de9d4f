"""The validation report: Markdown and HTML text from the analysed results (no file I/O).

The report is built once as a list of blocks (headings, paragraphs, tables,
figures, preformatted text) by :func:`report_blocks`, then rendered by
:func:`render_markdown` (figures referenced as ``figures/<name>.png``) or
:func:`render_html` (figures embedded as base64 PNG given by the caller), so
the two renderings always say the same thing.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from theory.magnetic import reduced_flux
from theory.mapping import LatticeMapping

from .analysis import Analysis
from .estimate import Estimate
from .figures import Plot
from .predictions import REFERENCES, Prediction
from .time_reversal import FluxPrediction, flux_prediction, flux_verdict

__all__ = [
    "SUMMARY_CATEGORIES",
    "Block",
    "render_html",
    "render_markdown",
    "report_blocks",
    "verdict_summary",
]


@dataclass(frozen=True)
class Block:
    """One element of the report.

    Attributes
    ----------
    kind : str
        ``heading``, ``paragraph``, ``table``, ``figure`` or ``pre``.
    content : Any
        Heading ``(level, text)``; paragraph or pre text; table ``(headers, rows)``;
        figure ``(name, caption)``.
    """

    kind: str
    content: Any


def _number(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float) and math.isinf(value):
        return "inf"
    return f"{value:.4g}"


def _estimate(estimate: Estimate | None) -> str:
    return "-" if estimate is None else str(estimate)


#: Categories of the five-line summary: label -> prediction key prefixes.
SUMMARY_CATEGORIES = {
    "conductivity": ("sigma_w2",),
    "alpha(0) and r0": ("alpha0", "r0_chi", "r0_alpha"),
    "lengths": ("xi_1d", "r0_over_xi", "ln_xi_2d", "critical_3d"),
}


def _counts(rows: Sequence[Prediction]) -> str:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.verdict] = counts.get(row.verdict, 0) + 1
    return ", ".join(f"{n} {verdict}" for verdict, n in counts.items())


def _ratio_range(rows: Sequence[Prediction]) -> str:
    ratios = [
        (row.ratio(row.judged_against).value, row.judged_against)
        for row in rows
        if row.judged_against
    ]
    if not ratios:
        return "no reference"
    values = [v for v, _ in ratios]
    span = f"{min(values):.3g}" if len(values) == 1 else f"{min(values):.3g}...{max(values):.3g}"
    return f"numerics/{ratios[0][1]} {span}"


def verdict_summary(predictions: Sequence[Prediction], lines: int = 5) -> list[str]:
    """At most ``lines`` lines: verdict counts, one line per category, the regime caveats.

    Each category line gives the verdict counts and, per kind of prediction
    (the key prefix), the range of the judged ratio numerics/reference; the
    last line counts the rows outside the theory's range or limited by size.
    """
    if not predictions:
        return ["no prediction could be tested with this archive"]
    out = [f"{len(predictions)} predictions tested: {_counts(predictions)}"]
    for label, prefixes in SUMMARY_CATEGORIES.items():
        rows = [row for row in predictions if row.key.split("/")[0] in prefixes]
        if not rows:
            continue
        kinds = []
        for prefix in prefixes:
            group = [row for row in rows if row.key.split("/")[0] == prefix]
            if group:
                kinds.append(f"{prefix}: {_ratio_range(group)}")
        tags: dict[str, int] = {}
        for row in rows:
            for tag in row.tags:
                tags[tag] = tags.get(tag, 0) + 1
        tagged = sum(bool(row.tags) for row in rows)
        kinds += [f"{tag} at {n} of {tagged} points" for tag, n in tags.items()]
        out.append(f"{label}: {_counts(rows)} ({'; '.join(kinds)})")
    outside = [row for row in predictions if "l < 1" in row.regime or "finite size" in row.regime]
    out.append(
        f"regime: {len(outside)} of {len(predictions)} rows outside the theory's weak-disorder "
        "range (l < 1) or limited by the lattice size (L < 4 r0); see the report's table"
    )
    return out[:lines]


def _prediction_table(predictions: Sequence[Prediction]) -> Block:
    headers = ["claim", "regime", "numerics", *REFERENCES, "ratio (judged)", "verdict"]
    rows = []
    for row in predictions:
        judged = row.judged_against
        ratio = row.ratio(judged) if judged else None
        expected = "" if row.expected == 1 else f" (expected {row.expected:.3g})"
        rows.append(
            [
                row.claim,
                row.regime,
                f"{row.quantity}: {row.numerics}",
                *(_estimate(row.references.get(name)) for name in REFERENCES),
                f"{_estimate(ratio)} vs {judged}{expected}" if judged else "-",
                row.verdict,
            ]
        )
    return Block("table", (headers, rows))


def _parameter_table(analysis: Analysis) -> Block:
    headers = [
        "point",
        "d",
        "L",
        "W",
        "E_F",
        "kind",
        "rho",
        "tau",
        "l",
        "lambda",
        "Eq. (42): localized",
        "r0",
        "w0",
    ]
    rows = []
    for p in analysis.points:
        m, t = p.mapping, p.theory
        rows.append(
            [
                p.point_id,
                str(p.dim),
                "x".join(map(str, p.shape)),
                _number(p.disorder),
                _number(p.fermi_energy),
                p.kind,
                *(
                    _number(v)
                    for v in (
                        (m.density_of_states, m.tau, m.mean_free_path, m.coupling)
                        if m
                        else (math.nan,) * 4
                    )
                ),
                "-" if t is None else str(t.localized),
                "-" if t is None else _number(t.localization_length),
                "-" if t is None else _number(t.omega0),
            ]
        )
    return Block("table", (headers, rows))


def _fit_blocks(analysis: Analysis) -> list[Block]:
    blocks: list[Block] = []
    headers = [
        "point",
        "law",
        "coefficient [95 % bootstrap]",
        "stderr (diagonal)",
        "window",
        "points",
        "reduced chi^2",
        "AIC",
    ]
    rows, skipped = [], []
    for p in analysis.points_with("conductivity"):
        c = p.conductivity
        if c.skipped:
            skipped.append(f"{p.point_id}: {c.skipped}")
        for law, fit in c.fits.items():
            low, high = fit.interval
            rows.append(
                [
                    p.point_id,
                    law,
                    f"{fit.coefficient:.4g} [{low:.4g}, {high:.4g}]",
                    _number(fit.stderr),
                    f"{fit.window[0]:.3g} - {fit.window[1]:.3g}",
                    str(fit.n_points),
                    _number(fit.reduced_chi2),
                    _number(fit.aic),
                ]
            )
    if rows:
        blocks.append(Block("table", (headers, rows)))
    if skipped:
        blocks.append(Block("paragraph", "Not fitted: " + "; ".join(skipped) + "."))
    sens_rows = []
    for p in analysis.points_with("conductivity"):
        for row in p.conductivity.sensitivity:
            sens_rows.append(
                [
                    p.point_id,
                    f"{row['window'][0]:.3g} - {row['window'][1]:.3g}",
                    f"{row['A']:.4g} [{row['A_interval'][0]:.4g}, {row['A_interval'][1]:.4g}]",
                    _number(row["A_reduced_chi2"]),
                    f"{row['A_mott']:.4g}" if "A_mott" in row else "-",
                    _number(row["mott_reduced_chi2"]) if "A_mott" in row else "-",
                    row.get("best", "-"),
                ]
            )
    if sens_rows:
        blocks.append(
            Block(
                "paragraph",
                "Window sensitivity: both window edges scaled by "
                "0.5, 1 and 2 (A in e^2 hbar/t^2 per site).",
            )
        )
        blocks.append(
            Block(
                "table",
                (
                    [
                        "point",
                        "window",
                        "A [95 %]",
                        "red. chi^2",
                        "A' (Mott)",
                        "red. chi^2 (Mott)",
                        "best by AIC",
                    ],
                    sens_rows,
                ),
            )
        )
    return blocks


def _length_blocks(analysis: Analysis) -> list[Block]:
    blocks: list[Block] = []
    rows = [
        [
            str(e.dim),
            str(e.width),
            _number(e.disorder),
            _number(e.energy),
            _number(e.flux),
            str(e.xi),
            _number(e.Lambda),
            str(e.n_realizations),
            "-" if e.theory is None else _number(e.theory.localization_length),
        ]
        for e in analysis.lengths
    ]
    if rows:
        blocks.append(
            Block(
                "table",
                (
                    [
                        "d",
                        "M",
                        "W",
                        "E",
                        "flux",
                        "xi_M [95 %]",
                        "Lambda_M",
                        "chains",
                        "r0 Eq. (42)",
                    ],
                    rows,
                ),
            )
        )
    rows = []
    for p in analysis.points:
        r, a = p.static_response, p.polarizability
        if r is not None:
            fit = r.fit
            rows.append(
                [
                    p.point_id,
                    "Eq. (37) fit, chi^T free",
                    _estimate(fit.r0) if fit else r.skipped,
                    _estimate(fit.chi_t) if fit else "-",
                    _number(fit.reduced_chi2) if fit else "-",
                ]
            )
            if r.fit_fixed is not None:
                rows.append(
                    [
                        p.point_id,
                        "Eq. (37) fit, chi^T = rho",
                        _estimate(r.fit_fixed.r0),
                        _number(r.chi_t),
                        _number(r.fit_fixed.reduced_chi2),
                    ]
                )
        if a is not None:
            for name, estimate in a.r0.items():
                rows.append(
                    [
                        p.point_id,
                        f"sqrt({name} alpha(0)/rho)",
                        str(estimate),
                        _number(p.mapping.density_of_states),
                        "-",
                    ]
                )
    if rows:
        blocks.append(
            Block("table", (["point", "route", "r0 [95 %]", "chi^T", "red. chi^2"], rows))
        )
    rows = []
    for p in analysis.points_with("polarizability"):
        s = p.polarizability.summary
        rows.append(
            [
                p.point_id,
                str(s.n),
                f"{s.mean:.4g} [{s.mean_ci[0]:.4g}, {s.mean_ci[1]:.4g}]",
                f"{s.median:.4g} [{s.median_ci[0]:.4g}, {s.median_ci[1]:.4g}]",
                f"{s.typical:.4g} [{s.typical_ci[0]:.4g}, {s.typical_ci[1]:.4g}]",
                "-" if p.theory is None else _number(p.theory.static_polarizability),
            ]
        )
    if rows:
        blocks.append(
            Block(
                "paragraph",
                "alpha(0) (e^2 a^2/t per site): robust statistics over "
                "realizations with 95 % bootstrap intervals.",
            )
        )
        blocks.append(
            Block("table", (["point", "n", "mean", "median", "typical", "Eq. (42)"], rows))
        )
    return blocks


def _flux_theory(mapping: LatticeMapping | None, flux: float) -> FluxPrediction | None:
    """Eq. (42) with 1/tau_s of the flux at the flux-free mapping (None where it does not apply).

    None without a Born mapping, in d = 1 (no plaquette) and for an integer flux (a gauge).
    """
    if mapping is None or mapping.dim < 2 or reduced_flux(flux) == 0.0:
        return None
    return flux_prediction(mapping, flux)


def _flux_row(
    label: str,
    point: tuple[float, float, float],
    lengths: tuple[Estimate, Estimate],
    theory: FluxPrediction | None,
    width: int | None = None,
) -> list[str]:
    """One time-reversal row: numerics without and with flux, the theory, the verdict."""
    disorder, energy, flux = point
    reference, broken = lengths
    ratio = broken.ratio(reference)
    return [
        label,
        _number(disorder),
        _number(energy),
        _number(flux),
        str(reference),
        str(broken),
        str(ratio),
        "-" if theory is None else _number(theory.breaking_rate),
        "-" if theory is None else _number(theory.diffusion_ratio),
        "-" if theory is None else f"{_number(theory.zero_flux_length)} -> inf",
        flux_verdict(theory, ratio, broken, width),
    ]


def _time_reversal_blocks(analysis: Analysis) -> list[Block]:
    """Flux against no flux at otherwise equal parameters: the numerics beside Eq. (42)."""
    rows = []
    plain = {(e.dim, e.disorder, e.energy, e.width): e for e in analysis.lengths if e.flux == 0}
    for e in analysis.lengths:
        reference = plain.get((e.dim, e.disorder, e.energy, e.width))
        if e.flux != 0 and reference is not None:
            rows.append(
                _flux_row(
                    f"xi_M, d={e.dim}, M={e.width}",
                    (e.disorder, e.energy, e.flux),
                    (reference.xi, e.xi),
                    _flux_theory(reference.mapping, e.flux),
                    e.width,
                )
            )
    fitted = {
        (p.dim, p.disorder, p.fermi_energy, p.shape): p
        for p in analysis.points_with("static_response")
        if p.flux == 0 and p.static_response.fit is not None
    }
    for p in analysis.points_with("static_response"):
        reference = fitted.get((p.dim, p.disorder, p.fermi_energy, p.shape))
        fit = p.static_response.fit
        if p.flux != 0 and reference is not None and fit is not None:
            rows.append(
                _flux_row(
                    f"r0 (Eq. 37 fit), d={p.dim}",
                    (p.disorder, p.fermi_energy, p.flux),
                    (reference.static_response.fit.r0, fit.r0),
                    _flux_theory(reference.mapping, p.flux),
                )
            )
    if not rows:
        return []
    headers = [
        "length",
        "W",
        "E",
        "flux",
        "no flux",
        "with flux",
        "ratio",
        "1/tau_s [t/hbar]",
        "D(0)/D0 Eq. (42)",
        "r0 Eq. (42): no flux -> flux",
        "verdict",
    ]
    return [
        Block("heading", (2, "Time-reversal breaking")),
        Block(
            "paragraph",
            "Eq. (42) with any finite time-reversal-breaking rate 1/tau_s has no localized "
            "solution in d <= 2 (M(0) stays finite: a metal), whereas a magnetic flux on the "
            "lattice moves the model to the unitary class, which is still localized in 2D with "
            "a larger length. The flux enters Eq. (42) as the Cooperon dephasing rate "
            "1/tau_s = 4 e D0 B/hbar = 8 pi flux D0 (B = 2 pi flux hbar/(e a^2), D0 of the "
            "flux-free Born mapping; Altshuler-Aronov-Khmelnitskii-Larkin 1982, "
            "Hikami-Larkin-Nagaoka 1980; docs/theory.md section 5a). Replacing the Landau-"
            "quantized Cooperon by a constant rate is an approximation valid for l_B >> l; "
            "its O(1) factor is uncertain (the 2D logarithm matches for 0.14 times this rate). "
            "The lengths with and without flux at equal W and E, beside the theory:",
        ),
        Block("table", (headers, rows)),
    ]


def report_blocks(
    analysis: Analysis,
    predictions: Sequence[Prediction],
    plots: Sequence[Plot],
    sources: Sequence[str] = (),
) -> list[Block]:
    """The report's content, in order.

    Parameters
    ----------
    analysis : Analysis
        The analysed archives.
    predictions : sequence of Prediction
        Rows from :func:`compare.predictions.collect_predictions`.
    plots : sequence of Plot
        Figures from :func:`compare.gallery.build_plots`.
    sources : sequence of str
        Names of the archives (for the header only).
    """
    blocks = [
        Block("heading", (1, "vwloc validation report")),
        Block(
            "paragraph",
            "The self-consistent theory of Anderson localization (D. Vollhardt and P. Woelfle, "
            "Phys. Rev. B 22, 4666 (1980), Eq. (42)) against exact lattice numerics. Archives: "
            + (", ".join(sources) or "(unnamed)")
            + f"; root seeds {analysis.seeds}. Every "
            "number and figure below is regenerated from the archive(s) and the theory alone "
            "by `vwloc compare`. Intervals are 95 % (bootstrap over disorder realizations "
            "unless stated).",
        ),
        Block("heading", (2, "Verdicts")),
        Block(
            "paragraph",
            "agrees: the expected ratio lies inside the interval of numerics/reference; same "
            "order: within a factor 2; disagrees: further; inconclusive: the interval spans "
            "more than a factor 10 and judges nothing. The verdict judges the Eq. (42) "
            "solution through the lattice mapping where it exists, else the exact result, "
            "else the seed's printed formula.",
        ),
        Block("pre", "\n".join(verdict_summary(predictions))),
        _prediction_table(predictions),
    ]
    notes = [f"- {row.key}: {row.note}" for row in predictions if row.note]
    if notes:
        blocks.append(Block("pre", "\n".join(notes)))
    blocks += [Block("heading", (2, "Parameters")), _parameter_table(analysis)]
    point_notes = [f"- {p.point_id}: {n}" for p in analysis.points for n in p.notes]
    if point_notes:
        blocks.append(Block("pre", "\n".join(point_notes)))
    blocks += [Block("heading", (2, "Low-frequency conductivity fits")), *_fit_blocks(analysis)]
    blocks += [Block("heading", (2, "Localization lengths")), *_length_blocks(analysis)]
    blocks += _time_reversal_blocks(analysis)
    blocks.append(Block("heading", (2, "Figures")))
    for plot in plots:
        blocks.append(Block("figure", (plot.name, plot.caption)))
    blocks.append(Block("heading", (2, "Provenance")))
    for run in analysis.provenance:
        blocks.append(Block("pre", "\n".join(f"{k}: {v}" for k, v in run.items())))
    for index, text in enumerate(analysis.configs):
        blocks.append(Block("heading", (3, f"Config of archive {index + 1} (every default)")))
        blocks.append(Block("pre", text))
    return blocks


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(blocks: Sequence[Block], figure_dir: str = "figures") -> str:
    """Markdown text; figures as ``![caption](figure_dir/<name>.png)`` with a PDF link."""
    out = []
    for block in blocks:
        if block.kind == "heading":
            level, text = block.content
            out.append(f"{'#' * level} {text}")
        elif block.kind == "paragraph":
            out.append(block.content)
        elif block.kind == "pre":
            out.append(f"```\n{block.content}\n```")
        elif block.kind == "table":
            headers, rows = block.content
            lines = ["| " + " | ".join(map(_md_cell, headers)) + " |", "|" + "---|" * len(headers)]
            lines += ["| " + " | ".join(map(_md_cell, row)) + " |" for row in rows]
            out.append("\n".join(lines))
        elif block.kind == "figure":
            name, caption = block.content
            out.append(
                f"![{name}]({figure_dir}/{name}.png)\n\n**{name}** "
                f"([PDF]({figure_dir}/{name}.pdf)). {caption}"
            )
        else:
            raise ValueError(f"unknown block kind {block.kind!r}")
    return "\n\n".join(out) + "\n"


_STYLE = (
    "body{font-family:sans-serif;max-width:72em;margin:2em auto;padding:0 1em;line-height:1.4}"
    "table{border-collapse:collapse;font-size:85%;margin:1em 0}"
    "td,th{border:1px solid #bbb;padding:2px 6px;vertical-align:top}"
    "th{background:#eee}pre{background:#f6f6f6;padding:.5em;overflow-x:auto;font-size:85%}"
    "figure{margin:1.5em 0}img{max-width:100%}figcaption{font-size:90%}"
)


def render_html(blocks: Sequence[Block], images: Mapping[str, bytes]) -> str:
    """Standalone HTML text with each figure embedded from ``images[name]`` (PNG bytes)."""
    out = [
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>vwloc report</title>"
        f"<style>{_STYLE}</style></head><body>"
    ]
    for block in blocks:
        if block.kind == "heading":
            level, text = block.content
            out.append(f"<h{level}>{html.escape(text)}</h{level}>")
        elif block.kind == "paragraph":
            out.append(f"<p>{html.escape(block.content)}</p>")
        elif block.kind == "pre":
            out.append(f"<pre>{html.escape(block.content)}</pre>")
        elif block.kind == "table":
            headers, rows = block.content
            head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)
            body = "".join(
                "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>"
                for row in rows
            )
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        elif block.kind == "figure":
            name, caption = block.content
            if name not in images:
                raise ValueError(f"no image bytes for figure {name!r}")
            data = base64.b64encode(images[name]).decode("ascii")
            out.append(
                f"<figure id='{html.escape(name)}'><img alt='{html.escape(name)}' "
                f"src='data:image/png;base64,{data}'><figcaption><b>{html.escape(name)}</b>. "
                f"{html.escape(caption)}</figcaption></figure>"
            )
        else:
            raise ValueError(f"unknown block kind {block.kind!r}")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
