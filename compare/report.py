"""The validation report: layout and the two renderers (no file I/O).

:func:`report_blocks` lays the report out as a list of
:class:`~compare.blocks.Block` from an analysis and its
:class:`~compare.claims.Evaluation`: the header, the verdict summary and the
table of every verdict row, then one section per claim (its detail blocks and
figures), the parameters, provenance and configs. Nothing here computes a
verdict: the rows come from the claim modules through
:func:`compare.verdicts.judge`.

The renderers take the block list and nothing else:

- :func:`render_markdown` ``(blocks, figure_dir="figures") -> str``: figures
  referenced as ``figure_dir/<name>.png`` (and the PDF beside it);
- :func:`render_html` ``(blocks, images) -> str``: standalone HTML, figures
  embedded from ``images[name]`` (PNG bytes).

A restyled renderer needs only to handle the five block kinds of
:data:`compare.blocks.BLOCK_KINDS`.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping, Sequence

from .analysis import Analysis
from .blocks import Block, estimate_text, number_text, table
from .claims import Evaluation
from .verdicts import REFERENCES, VerdictRow

__all__ = ["render_html", "render_markdown", "report_blocks", "verdict_table"]


def verdict_table(rows: Sequence[VerdictRow]) -> Block:
    """One line per verdict row: claim, regime, numerics, references, ratio, verdict, reason."""
    headers = ["claim", "regime", "numerics", *REFERENCES, "ratio (judged)", "verdict", "reason"]
    cells = []
    for row in rows:
        expected = "" if row.expected == 1 else f" (expected {row.expected:.3g})"
        cells.append(
            [
                row.claim,
                row.regime_text,
                f"{row.quantity}: {estimate_text(row.numerics)}",
                *(estimate_text(row.references.get(name)) for name in REFERENCES),
                f"{row.ratio} vs {row.judged_against}{expected}" if row.ratio else "-",
                row.verdict,
                row.reason,
            ]
        )
    return table(headers, cells)


def _parameter_table(analysis: Analysis) -> Block:
    headers = ["point", "d", "L", "W", "E_F", "kind", "rho", "tau", "l", "lambda"]
    headers += ["Eq. (42): localized", "r0", "w0"]
    cells = []
    for p in analysis.points:
        m, t = p.mapping, p.theory
        mapped = (m.density_of_states, m.tau, m.mean_free_path, m.coupling) if m else (None,) * 4
        cells.append(
            [
                p.point_id,
                str(p.dim),
                "x".join(map(str, p.shape)),
                number_text(p.disorder),
                number_text(p.fermi_energy),
                p.kind,
                *(number_text(v) for v in mapped),
                "-" if t is None else str(t.localized),
                "-" if t is None else number_text(t.localization_length),
                "-" if t is None else number_text(t.omega0),
            ]
        )
    return table(headers, cells)


def report_blocks(
    analysis: Analysis, evaluation: Evaluation, sources: Sequence[str] = (), note: str = ""
) -> list[Block]:
    """The report's content, in order.

    Parameters
    ----------
    analysis : Analysis
        The analysed archives.
    evaluation : Evaluation
        :func:`compare.claims.evaluate` of ``analysis``.
    sources : sequence of str
        Names of the archives (for the header only).
    note : str
        Added to the summary's first line (e.g. the demo's pointer to the study).
    """
    rows = evaluation.rows
    blocks = [
        Block("heading", (1, "vwloc validation report")),
        Block(
            "paragraph",
            "The self-consistent theory of Anderson localization (D. Vollhardt and P. Woelfle, "
            "Phys. Rev. B 22, 4666 (1980), Eq. (42)) against exact lattice numerics. Archives: "
            + (", ".join(sources) or "(unnamed)")
            + f"; root seeds {analysis.seeds}. Every number and figure below is regenerated "
            "from the archive(s) and the theory alone by `vwloc compare`. Intervals are 95 %.",
        ),
        Block("heading", (2, "Verdicts")),
        Block(
            "paragraph",
            "A prediction is judged only where the numerics are converged (at least three "
            "sizes, size-independent or extrapolated within errors, an honest interval of a "
            "possibly heavy-tailed quantity), its fits pass their own chi^2 and the theory's "
            "regime holds; otherwise it is 'not tested' with the reason. Judged: agrees (the "
            "expected ratio lies inside the interval of numerics/reference), same order "
            "(within a factor 2), disagrees (further), inconclusive (interval wider than a "
            "factor 10). The reference is the Eq. (42) solution through the lattice mapping "
            "where it exists, else the exact result, else the seed's printed formula. The "
            "rules: docs/verdicts.md.",
        ),
        Block("pre", "\n".join(evaluation.summary(note=note))),
        verdict_table(rows),
    ]
    notes = [f"- {row.key}: {row.note}" for row in rows if row.note]
    if notes:
        blocks.append(Block("pre", "\n".join(notes)))
    for claim in evaluation.claims:
        if not (claim.rows or claim.plots or claim.blocks):
            continue
        blocks.append(Block("heading", (2, claim.title)))
        blocks += claim.blocks
        blocks += [Block("figure", (plot.name, plot.caption)) for plot in claim.plots]
    blocks.append(Block("heading", (2, "The Eq. (42) memory kernel")))
    blocks += [Block("figure", (plot.name, plot.caption)) for plot in evaluation.overview]
    blocks += [Block("heading", (2, "Parameters")), _parameter_table(analysis)]
    point_notes = [f"- {p.point_id}: {n}" for p in analysis.points for n in p.notes]
    if point_notes:
        blocks.append(Block("pre", "\n".join(point_notes)))
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
