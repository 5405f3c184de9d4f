"""The validation report: layout and the two renderers (no file I/O).

:func:`report_blocks` lays the report out as a list of
:class:`~compare.blocks.Block` from an analysis and its
:class:`~compare.claims.Evaluation`: a banner if the archive is partial, the
verdict summary and a one-screen summary table (one line per claim: quantity
with its unit, regime, numerics, theory, ratio, verdict), then one section per
claim (its verdict table with the units in the headers, its figures, fit tables
and the notes on convergence), the parameters, and a provenance footer
(archive checksums, seeds, package version, git commit) with the configs. Text
is in Unicode notation (ω, ħ, α); figures use mathtext. Nothing here computes a
verdict: the rows come from the claim modules through
:func:`compare.verdicts.judge`.

The renderers take the block list and nothing else:

- :func:`render_markdown` ``(blocks, figure_dir="figures") -> str``: figures
  referenced as ``figure_dir/<name>.png`` (and the PDF beside it);
- :func:`render_html` ``(blocks, images) -> str``: standalone HTML with a table
  of contents, figures embedded from ``images[name]`` (PNG bytes) and linked to
  their PDFs, the provenance as a footer.

A restyled renderer needs only to handle the five block kinds of
:data:`compare.blocks.BLOCK_KINDS`.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Mapping, Sequence

from .analysis import Analysis
from .blocks import Block, estimate_text, number_text, table
from .claims import Evaluation
from .figures import Plot
from .verdicts import REFERENCES, VerdictRow

__all__ = [
    "ASCII_NAMES",
    "MAX_TABLE_ROWS",
    "ascii_notation",
    "condensed",
    "regime_cell",
    "render_html",
    "render_markdown",
    "report_blocks",
    "summary_table",
    "tables_json",
    "unicode_text",
    "verdict_table",
]

#: Longest claim table shown whole; longer ones show their extreme rows (the full
#: table is in ``predictions.json``).
MAX_TABLE_ROWS = 12
#: Judged verdicts, in the order a claim's representative row is chosen by.
_JUDGED = ("disagrees", "agrees", "same order", "inconclusive")

_UNICODE = [
    (r"\bhbar\b", "ħ"),
    (r"\bsqrt\b\s*", "√"),
    (r"\b(?:w0|omega0)\^2", "ω₀²"),
    (r"\b(?:w0|omega0)\b", "ω₀"),
    (r"\b(?:w|omega)_(min|max)\b", r"ω_\1"),
    (r"\bw\^2", "ω²"),
    (r"\bw\b", "ω"),
    (r"\bomega\b", "ω"),
    (r"\bomega2\b", "A ω²"),
    (r"\bmott\b", "Mott"),
    (r"\bsigma0\b", "σ₀"),
    (r"\bsigma(?=_Eq\b)", "σ"),
    (r"\bsigma\b", "σ"),
    (r"\balpha(?=_Eq\b)", "α"),
    (r"\balpha\b", "α"),
    (r"\bchi\b", "χ"),
    (r"\blambda\b", "λ"),
    (r"\beta\b", "η"),
    (r"\bzeta\b", "ζ"),
    (r"\bdelta AIC\b", "ΔAIC"),
    (r"\btau_s\b", "τ_s"),
    (r"\btau\b", "τ"),
    (r"\bxi_M\b", "ξ_M"),
    (r"\bxi_2D\b", "ξ_2D"),
    (r"\bxi\b", "ξ"),
    (r"\bLambda_(M|c)\b", r"Λ_\1"),
    (r"\bLambda\b", "Λ"),
    (r"\bDelta\b ?", "Δ"),
    (r"(?<![\w.])x(?=\d*\.\d)", "×"),
    (r"\b([DKkx])0\b", r"\1₀"),
    (r"(?<=[\s=(→])inf\b", "∞"),
    (r"\brho\b", "ρ"),
    (r"\bnu\b", "ν"),
    (r"\bpi\b", "π"),
    (r"\br0\b", "r₀"),
    (r"\^2\b", "²"),
    (r"\+-", "±"),
    (r"<ln ([^<>]+)>", r"⟨ln \1⟩"),
    (r"<<", "≪"),
    (r">>", "≫"),
    (r"<=", "≤"),
    (r">=", "≥"),
    (r"->", "→"),
]
#: ASCII spellings of physics notation the report's text must not contain (ω, ħ, σ₀, √, ξ,
#: α, λ, χ ... instead): Greek letter names, alone or before an underscore (``omega_min``,
#: ``alpha_Eq``), and ``w``, ``w0``, ``r0``, ``sigma0``, ``hbar``, ``sqrt``; the scanner
#: (:func:`ascii_notation`) also flags ``<<``, ``>>``, ``+-`` and numeric powers ``^2``.
ASCII_NAMES = (
    "alpha|beta|gamma|delta|epsilon|zeta|eta|theta|kappa|lambda|Lambda|mu|nu|xi|pi|rho|"
    "sigma|tau|phi|chi|psi|omega|Omega|Delta|hbar|sqrt|w|w0|r0|sigma0|omega0|omega2|D0|k0|K0|x0|"
    "level_spacing"
)
_ASCII = re.compile(rf"(?<!\w)(?:{ASCII_NAMES})(?:_\w*)?(?!\w)|<<|>>|\+-|(?<=[\w)])\^[0-9]")
#: Identifiers the report prints as they are: row keys (``sigma_w2/dim1_...``) and point ids.
_IDENTIFIERS = re.compile(r"\b[a-z0-9_]+/(?:dim\d|E)\S*|\bdim\d_\S+")
#: Regime parameters: the name shown for each (Unicode), and those the summary keeps.
_REGIME_NAMES = {
    "w0": "ω₀",
    "eta": "η",
    "level_spacing": "level spacing",
    "lowest_cooperon_mode": "D₀q₁²",
    "breaking_rate": "1/τ_s",
    "rate_times_tau": "τ/τ_s",
    "magnetic_length": "l_B",
    "tau": "τ",
    "tau_s": "τ_s",
    "lambda": "λ",
}
_SUMMARY_REGIME = ("d", "W", "E_F", "E", "flux", "sizes", "widths", "l", "lambda")


def unicode_text(text: str) -> str:
    """ASCII physics notation of the rows (``hbar``, ``w^2``, ``alpha``) in Unicode (ħ, ω², α).

    Row keys and point ids (``sigma_w2/...``, ``dim1_L600_...``) are left alone:
    only whole words are replaced.
    """
    for pattern, replacement in _UNICODE:
        text = re.sub(pattern, replacement, text)
    return text


def ascii_notation(text: str, identifiers: Sequence[str] = ()) -> list[str]:
    """The ASCII physics names (:data:`ASCII_NAMES`, ``<<``, ``+-``) left in report text.

    Row keys and point ids, and the given ``identifiers`` (figure names), are
    skipped: they are names, not notation.
    """
    for name in sorted(identifiers, key=len, reverse=True):
        text = text.replace(name, " ")
    return _ASCII.findall(_IDENTIFIERS.sub(" ", text))


def regime_cell(row: VerdictRow, short: bool = False) -> str:
    """A row's regime as ``name=value`` text in Unicode, None values left out.

    ``short`` keeps the lattice and the mapping's l and λ only (the summary table;
    the claim's own table has every parameter). Energies are in t, lengths in a.
    """

    def text(value: object) -> str:
        if isinstance(value, float):
            return f"{value:.3g}"
        if isinstance(value, (list, tuple)):
            return "[" + ", ".join(text(v) for v in value) + "]"
        return str(value)

    items = [
        (key, value)
        for key, value in row.regime.items()
        if value is not None and (not short or key in _SUMMARY_REGIME)
    ]
    return ", ".join(f"{_REGIME_NAMES.get(k, k)}={text(v)}" for k, v in items)


def _quantity(row: VerdictRow) -> tuple[str, str]:
    """Split ``"A (e^2 hbar/t^2 per site)"`` into name and unit (unit "" if none).

    A unit is a parenthesis at the end after a space (``d ln ξ/d(1/λ)`` has none) made
    of symbols and "per site" (``ξ (transfer matrix)`` has none).
    """
    match = re.match(r"^(.*?)\s+\(([^()]*)\)\s*$", row.quantity)
    unit = unicode_text(match.group(2)) if match else ""
    if match and not re.search(r"[A-Za-z]{3,}", re.sub(r"\bper site\b", "", unit)):
        return unicode_text(match.group(1)), unit
    return unicode_text(row.quantity), ""


def _representative(rows: Sequence[VerdictRow]) -> VerdictRow:
    """The row a summary line shows: the first judged one, else the first."""
    for verdict in _JUDGED:
        for row in rows:
            if row.verdict == verdict:
                return row
    return rows[0]


def _tally(rows: Sequence[VerdictRow]) -> str:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.verdict] = counts.get(row.verdict, 0) + 1
    return ", ".join(f"{n} {verdict}" for verdict, n in counts.items())


def summary_table(rows: Sequence[VerdictRow]) -> Block:
    """One line per claim (row kind): its representative row and the tally of all its rows.

    The quantity column carries the unit, so the number columns hold numbers only;
    the ratio is dimensionless.
    """
    kinds: dict[str, list[VerdictRow]] = {}
    for row in rows:
        kinds.setdefault(row.kind, []).append(row)
    headers = [
        "claim",
        "quantity (unit)",
        "regime (energies in t, lengths in a)",
        "numerics [95 %]",
        "theory",
        "numerics/reference",
        "verdict",
    ]
    cells = []
    for group in kinds.values():
        row = _representative(group)
        name, unit = _quantity(row)
        theory = row.references.get("theory") or row.references.get("exact")
        ratio = "-"
        if row.ratio is not None:
            ratio = f"{row.ratio} (vs {row.judged_against})"
        verdict = row.verdict
        if len(group) > 1 and all(r.verdict == row.verdict for r in group):
            verdict += f" (all {len(group)} rows)"
        elif len(group) > 1:
            verdict += f" (of {len(group)} rows: {_tally(group)})"
        cells.append(
            [
                unicode_text(row.claim),
                f"{name} ({unit})" if unit else name,
                regime_cell(row, short=True),
                estimate_text(row.numerics),
                estimate_text(theory),
                ratio,
                verdict,
            ]
        )
    return table(headers, cells)


def verdict_table(rows: Sequence[VerdictRow], condense: bool = False) -> Block:
    """The rows of one claim, units in the headers (one quantity per row kind).

    With ``condense`` and more than :data:`MAX_TABLE_ROWS` rows, only the judged
    rows and the extremes of numerics/reference are kept.
    """
    quantities = {_quantity(row) for row in rows}
    single = len(quantities) == 1
    name, unit = next(iter(quantities)) if single else ("numerics", "")
    suffix = f" ({unit})" if unit else ""
    present = [ref for ref in REFERENCES if any(ref in row.references for row in rows)]
    headers = [
        "regime (energies in t, lengths in a)",
        f"{name}{suffix} [95 %]",
        *(f"{ref}{suffix}" for ref in present),
    ]
    headers += ["numerics/reference", "verdict", "why"]
    if not single:
        headers.insert(0, "quantity")
    shown = list(rows)
    if condense and len(shown) > MAX_TABLE_ROWS:
        ratios = [r for r in shown if r.ratio is not None]
        keep = {id(r) for r in shown if r.verdict in _JUDGED}
        if ratios:
            keep |= {id(min(ratios, key=lambda r: r.ratio.value))}
            keep |= {id(max(ratios, key=lambda r: r.ratio.value))}
        shown = [r for r in shown if id(r) in keep][:MAX_TABLE_ROWS]
    cells = []
    for row in shown:
        expected = "" if row.expected == 1 else f", expected {row.expected:.3g}"
        line = [
            regime_cell(row),
            estimate_text(row.numerics),
            *(estimate_text(row.references.get(ref)) for ref in present),
            f"{row.ratio} (vs {row.judged_against}{expected})" if row.ratio else "-",
            row.verdict,
            unicode_text(row.reason) or "-",
        ]
        if not single:
            line.insert(0, "{} ({})".format(*_quantity(row)))
        cells.append(line)
    return table(headers, cells)


def _number(cell: str) -> float | None:
    match = re.match(r"^\s*([-+]?\d[\d.]*(?:e[-+]?\d+)?)", cell)
    return float(match.group(1)) if match else None


def condensed(block: Block) -> tuple[Block, int]:
    """A claim's long table cut to its extreme rows, and the number of rows left out.

    Rows are grouped by their first cell (the sweep point); each group keeps the
    rows with the smallest and largest value of the first numeric column after it.
    Tables of at most :data:`MAX_TABLE_ROWS` rows are returned whole.
    """
    headers, rows = block.content
    if len(rows) <= MAX_TABLE_ROWS or len(headers) < 2:
        return block, 0
    column = next(
        (k for k in range(1, len(headers)) if all(_number(r[k]) is not None for r in rows)),
        None,
    )
    groups: dict[str, list[list[str]]] = {}
    for row in rows:
        groups.setdefault(row[0], []).append(row)
    kept = []
    for group in groups.values():
        if column is None:
            chosen = [group[0], group[-1]]
        else:
            chosen = [
                min(group, key=lambda r: _number(r[column])),
                max(group, key=lambda r: _number(r[column])),
            ]
        kept += [row for row in group if any(row is c for c in chosen)]
    return table(headers, kept), len(rows) - len(kept)


def _unicode_block(block: Block) -> Block:
    if block.kind == "table":
        headers, rows = block.content
        return table(
            [unicode_text(h) for h in headers], [[unicode_text(c) for c in r] for r in rows]
        )
    if block.kind == "paragraph":
        return Block("paragraph", unicode_text(block.content))
    return block


def _parameter_table(analysis: Analysis) -> Block:
    headers = ["point", "d", "L", "W (t)", "E_F (t)", "kind", "ρ (1/t per site)", "τ (ħ/t)"]
    headers += ["l (a)", "λ", "Eq. (42): localized", "r₀ (a)", "ω₀ (t/ħ)"]
    cells = []
    for p in analysis.points:
        m, t = p.mapping, p.theory
        mapped = (m.density_of_states, m.tau, m.mean_free_path, m.coupling) if m else (None,) * 4
        cells.append(
            [
                p.point_id,
                str(p.dim),
                "×".join(map(str, p.shape)),
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


def _provenance(
    analysis: Analysis, sources: Sequence[str], checksums: Mapping[str, str]
) -> list[str]:
    """Footer lines: archives with checksums, seeds, package version and commit per run."""
    lines = [
        f"archive {name}" + (f" (sha256 {checksums[name]})" if name in checksums else "")
        for name in sources
    ]
    lines.append(f"root seeds: {', '.join(map(str, analysis.seeds))}")
    for run in analysis.provenance:
        lines.append(
            f"run {run.get('started', '?')}: vwloc {run.get('vwloc', '?')}, git commit "
            f"{run.get('git_commit', '?')}, {run.get('executor', '?')} on {run.get('host', '?')}"
        )
    return list(dict.fromkeys(lines))  # the sweeps of one archive share its runs


def tables_json(evaluation: Evaluation) -> dict[str, list[dict[str, object]]]:
    """Every claim's detail tables in full (the report shows long ones condensed)."""
    return {
        claim.title: [
            {"headers": list(b.content[0]), "rows": [list(r) for r in b.content[1]]}
            for b in claim.blocks
            if b.kind == "table"
        ]
        for claim in evaluation.claims
        if any(b.kind == "table" for b in claim.blocks)
    }


def _figures(plots: Sequence[Plot]) -> list[Block]:
    """Figure blocks, captions in Unicode notation (the figure files keep theirs)."""
    return [Block("figure", (plot.name, unicode_text(plot.caption))) for plot in plots]


def report_blocks(
    analysis: Analysis,
    evaluation: Evaluation,
    sources: Sequence[str] = (),
    note: str = "",
    banner: str = "",
    checksums: Mapping[str, str] | None = None,
) -> list[Block]:
    """The report's content, in order.

    A summary table (one line per claim) first, then one section per claim
    (its verdict table with units in the headers, its fit tables, the notes on
    convergence and fits, its figures), the Eq. (42) kernel, the parameters, and a
    provenance footer (archives with checksums, seeds, package version, commit)
    with the configs.

    Parameters
    ----------
    analysis : Analysis
        The analysed archives.
    evaluation : Evaluation
        :func:`compare.claims.evaluate` of ``analysis``.
    sources : sequence of str
        Names of the archives.
    note : str
        Added to the summary's first line (e.g. the demo's pointer to the study).
    banner : str
        A warning shown first (e.g. a partial archive).
    checksums : mapping, optional
        Archive name -> SHA-256 hex digest, for the footer.
    """
    rows = evaluation.rows
    blocks = [Block("heading", (1, "vwloc validation report"))]
    if banner:
        blocks.append(Block("paragraph", f"**Warning: {banner}**"))
    blocks += [
        Block(
            "paragraph",
            "The self-consistent theory of Anderson localization (D. Vollhardt and P. Wölfle, "
            "Phys. Rev. B 22, 4666 (1980), Eq. (42)) against exact lattice numerics, "
            "regenerated from the archive(s) and the theory alone by `vwloc compare`. "
            "Units: ħ = e = a = 1, energies in the hopping t. Intervals are 95 %.",
        ),
        Block("heading", (2, "Summary")),
        Block("pre", unicode_text("\n".join(evaluation.summary(note=note)))),
        summary_table(rows),
        Block(
            "paragraph",
            "A prediction is judged only where the numerics are converged (at least three "
            "sizes, size-independent or extrapolated within errors, an honest interval of a "
            "possibly heavy-tailed quantity), its fits pass their own χ² and the theory's "
            "regime holds; otherwise it is 'not tested' with the reason. Judged: agrees (the "
            "expected ratio lies inside the interval of numerics/reference), same order "
            "(within a factor 2), disagrees (further), inconclusive (interval wider than a "
            "factor 10). The reference is the Eq. (42) solution through the lattice mapping "
            "where it exists, else the exact result, else the seed's printed formula "
            "(docs/verdicts.md). Each claim's section below lists all its rows.",
        ),
    ]
    for claim in evaluation.claims:
        if not (claim.rows or claim.plots or claim.blocks):
            continue
        blocks.append(Block("heading", (2, unicode_text(claim.title))))
        by_kind: dict[str, list[VerdictRow]] = {}
        for row in claim.rows:
            by_kind.setdefault(row.kind, []).append(row)
        for kind_rows in by_kind.values():
            blocks.append(Block("paragraph", f"*{unicode_text(kind_rows[0].claim)}*"))
            blocks.append(verdict_table(kind_rows, condense=True))
            if len(kind_rows) > MAX_TABLE_ROWS:
                blocks.append(
                    Block(
                        "paragraph",
                        f"({len(kind_rows)} rows; shown: the judged ones and the extremes of "
                        "numerics/reference. All rows are in predictions.json.)",
                    )
                )
        blocks += _figures(claim.plots)
        for block in claim.blocks:
            block = _unicode_block(block)
            if block.kind == "table":
                block, left_out = condensed(block)
                blocks.append(block)
                if left_out:
                    blocks.append(
                        Block(
                            "paragraph",
                            f"(Extreme rows per point shown; {left_out} more rows in "
                            "tables.json.)",
                        )
                    )
            else:
                blocks.append(block)
        notes = [f"- {row.key}: {unicode_text(row.note)}" for row in claim.rows if row.note]
        if notes:
            blocks.append(Block("heading", (3, "Convergence and fits")))
            blocks.append(Block("paragraph", "\n".join(notes)))
    blocks.append(Block("heading", (2, "The Eq. (42) memory kernel")))
    blocks += _figures(evaluation.overview)
    blocks += [Block("heading", (2, "Parameters")), _parameter_table(analysis)]
    point_notes = [f"- {p.point_id}: {unicode_text(n)}" for p in analysis.points for n in p.notes]
    if point_notes:
        blocks.append(Block("paragraph", "\n".join(point_notes)))
    blocks.append(Block("heading", (2, "Provenance")))
    blocks.append(Block("pre", "\n".join(_provenance(analysis, sources, checksums or {}))))
    for index, text in enumerate(analysis.configs):
        blocks.append(Block("heading", (3, f"Config of archive {index + 1} (every default)")))
        blocks.append(Block("pre", text))
    return blocks


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _anchor(text: str) -> str:
    """The GitHub-style anchor of a heading."""
    return re.sub(r"[^\w\- ]", "", text.lower()).strip().replace(" ", "-")


def _contents(blocks: Sequence[Block]) -> list[tuple[str, str]]:
    """(title, anchor) of every level-2 heading."""
    return [
        (b.content[1], _anchor(b.content[1]))
        for b in blocks
        if b.kind == "heading" and b.content[0] == 2
    ]


def render_markdown(blocks: Sequence[Block], figure_dir: str = "figures") -> str:
    """Markdown text; figures as ``![caption](figure_dir/<name>.png)`` with a PDF link.

    A table of contents (the level-2 headings) follows the title.
    """
    out = []
    for block in blocks:
        if block.kind == "heading":
            level, text = block.content
            out.append(f"{'#' * level} {text}")
            if level == 1:
                toc = [f"- [{title}](#{anchor})" for title, anchor in _contents(blocks)]
                out.append("Contents:\n\n" + "\n".join(toc))
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
    ".banner{background:#fde2c8;border:1px solid #d55e00;padding:.5em 1em}"
    "nav{background:#f3f3f3;padding:.3em 1em;font-size:90%}"
    "footer{border-top:1px solid #bbb;margin-top:2em;font-size:85%;color:#333}"
)


def _inline(text: str) -> str:
    """Escaped HTML of a paragraph: **bold**, *italic*, `code`, line breaks."""
    text = html.escape(text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<em>\1</em>", text)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    return text.replace("\n", "<br>")


def render_html(
    blocks: Sequence[Block], images: Mapping[str, bytes], figure_dir: str = "figures"
) -> str:
    """Standalone HTML text with each figure embedded from ``images[name]`` (PNG bytes).

    A table of contents follows the title; each figure links its vector PDF
    (``figure_dir/<name>.pdf``); the Provenance section and the configs form
    the footer; a paragraph starting with "**Warning" is shown as a banner.
    """
    out = [
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>vwloc report</title>"
        f"<style>{_STYLE}</style></head><body>"
    ]
    in_footer = False
    for block in blocks:
        if block.kind == "heading":
            level, text = block.content
            if level == 2 and text == "Provenance":
                out.append("<footer>")
                in_footer = True
            out.append(f"<h{level} id='{_anchor(text)}'>{html.escape(text)}</h{level}>")
            if level == 1:
                links = "".join(
                    f"<li><a href='#{anchor}'>{html.escape(title)}</a></li>"
                    for title, anchor in _contents(blocks)
                )
                out.append(f"<nav><b>Contents</b><ul>{links}</ul></nav>")
        elif block.kind == "paragraph":
            css = " class='banner'" if block.content.startswith("**Warning") else ""
            out.append(f"<p{css}>{_inline(block.content)}</p>")
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
            pdf = html.escape(f"{figure_dir}/{name}.pdf")
            out.append(
                f"<figure id='{html.escape(name)}'><img alt='{html.escape(name)}' "
                f"src='data:image/png;base64,{data}'><figcaption><b>{html.escape(name)}</b> "
                f"(<a href='{pdf}'>PDF</a>). {html.escape(caption)}</figcaption></figure>"
            )
        else:
            raise ValueError(f"unknown block kind {block.kind!r}")
    if in_footer:
        out.append("</footer>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
