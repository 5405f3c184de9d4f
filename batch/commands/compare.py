"""``vwloc compare OUT.h5 -o DIR``: fits, theory, figures and the validation report.

The work is :func:`batch.runner.write_report`: it reads only the archive(s)
(:func:`batch.archive.read_archive`) and evaluates the theory; writes into DIR:

- ``report.md`` and ``report.html`` (figures embedded, standalone),
- ``figures/<name>.pdf`` (vector) and ``figures/<name>.png``, with the caption,
  parameters and seeds in the file metadata,
- ``figures.json``: the plotted data of every figure (what was drawn, exactly),
- ``predictions.json``: every prediction row with references, ratios and verdict.

Several archives may be given; their sweep points are analysed together.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from batch.runner import write_report

__all__ = ["add_parser", "run"]


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
