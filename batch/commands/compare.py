"""``vwloc compare OUT.h5 -o DIR``: fits, theory, figures and the validation report.

Reads only the archive(s) (:func:`batch.archive.read_archive`) and evaluates
the theory; writes into DIR:

- ``report.md`` and ``report.html`` (figures embedded, standalone),
- ``figures/<name>.pdf`` (vector) and ``figures/<name>.png``, with the caption,
  parameters and seeds in the file metadata,
- ``figures.json``: the plotted data of every figure (what was drawn, exactly),
- ``predictions.json``: every prediction row with references, ratios and verdict.

Several archives may be given; their sweep points are analysed together.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from batch.archive import ArchiveError, read_archive
from batch.cli import CommandError, package_version

if TYPE_CHECKING:
    from compare.figures import Plot

__all__ = ["add_parser", "run", "write_report"]

#: Resolution of the PNG renderings (the PDFs are vector).
PNG_DPI = 200


def _save(plot: Plot, directory: Path) -> bytes:
    """Write ``plot`` as PDF and PNG (metadata: caption, parameters, seeds); return the PNG."""
    from matplotlib import rc_context

    from compare.style import RC

    description = json.dumps(plot.metadata, sort_keys=True, default=str)
    buffer = io.BytesIO()
    with rc_context(RC):
        plot.figure.savefig(
            directory / f"{plot.name}.pdf",
            metadata={
                "Title": plot.name,
                "Subject": plot.caption,
                "Keywords": description,
                "Creator": f"vwloc {package_version()}",
            },
        )
        plot.figure.savefig(
            buffer,
            format="png",
            dpi=PNG_DPI,
            metadata={"Title": plot.name, "Description": plot.caption, "Comment": description},
        )
    png = buffer.getvalue()
    (directory / f"{plot.name}.png").write_bytes(png)
    return png


def write_report(archives: Sequence[str | Path], out: str | Path) -> dict[str, Any]:
    """Analyse ``archives`` and write the report into directory ``out``.

    Returns
    -------
    dict
        ``report`` (path of report.md), ``html``, ``figures`` (names),
        ``figures_json``, ``predictions_json``, ``summary`` (verdict lines) and
        ``predictions`` (plain rows).

    Raises
    ------
    CommandError
        Unreadable or foreign archive, or an output path that is not a directory.
    """
    # matplotlib and the comparison layer are imported here, not at module level:
    # every vwloc command imports this module to build its parser (~0.7 s saved).
    import matplotlib

    from compare.analysis import analyze
    from compare.gallery import build_plots
    from compare.predictions import collect_predictions
    from compare.report import render_html, render_markdown, report_blocks, verdict_summary

    matplotlib.use("Agg")
    data = []
    for path in archives:
        try:
            data.append(read_archive(path))
        except (ArchiveError, OSError) as exc:
            message = str(exc)
            raise CommandError(message if str(path) in message else f"{path}: {message}") from None
    analysis = analyze(data)
    predictions = collect_predictions(analysis)
    plots = build_plots(analysis)
    directory = Path(out)
    if directory.exists() and not directory.is_dir():
        raise CommandError(f"-o {out}: exists and is not a directory")
    figures = directory / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    images = {plot.name: _save(plot, figures) for plot in plots}
    blocks = report_blocks(analysis, predictions, plots, [str(p) for p in archives])
    (directory / "report.md").write_text(render_markdown(blocks), encoding="utf-8")
    (directory / "report.html").write_text(render_html(blocks, images), encoding="utf-8")
    plotted = {plot.name: plot.data for plot in plots}
    (directory / "figures.json").write_text(
        json.dumps(plotted, indent=1, allow_nan=False), encoding="utf-8"
    )
    rows = [row.as_dict() for row in predictions]
    (directory / "predictions.json").write_text(
        json.dumps(rows, indent=1, allow_nan=False), encoding="utf-8"
    )
    return {
        "report": str(directory / "report.md"),
        "html": str(directory / "report.html"),
        "figures": sorted(images),
        "figures_json": str(directory / "figures.json"),
        "predictions_json": str(directory / "predictions.json"),
        "summary": verdict_summary(predictions),
        "predictions": rows,
    }


def run(args: argparse.Namespace) -> int:
    """Entry point of ``vwloc compare``."""
    result = write_report(args.archives, args.output)
    if args.json:
        print(json.dumps(result, allow_nan=False))
        return 0
    print(f"report:  {result['report']}  (HTML: {result['html']})")
    print(
        f"figures: {Path(result['report']).parent / 'figures'}/ ({', '.join(result['figures'])})"
    )
    print(f"data:    {result['figures_json']}, {result['predictions_json']}")
    for line in result["summary"]:
        print(f"  {line}")
    sys.stdout.flush()
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``vwloc compare``."""
    parser = subparsers.add_parser(
        "compare",
        help="fit the numerics, set them beside the theory, write figures and the report",
        description=(
            "Analyse an archive (or several): low-frequency conductivity fits, localization "
            "lengths by three routes, the Eq. (42) theory through the lattice mapping, "
            "verdict per prediction; writes report.md, report.html, figures and JSON into DIR."
        ),
    )
    parser.add_argument("archives", nargs="+", metavar="OUT.h5", help="archive(s) of vwloc run")
    parser.add_argument("-o", "--output", required=True, metavar="DIR", help="output directory")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    parser.set_defaults(run=run)
