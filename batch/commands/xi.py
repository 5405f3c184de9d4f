"""``vwloc xi``: transfer-matrix localization length of a chain, strip or bar.

Wraps :func:`lattice.localization_length` (DESIGN.md section 4). Bad input
(``--width 0``, negative or NaN disorder, ``--precision`` outside (0, 1), ...)
is a ValueError from lattice, printed by :mod:`batch.cli` as one line, exit 2.
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from batch.progress import Progress
from lattice import LocalizationResult, localization_length
from lattice.seeding import DEFAULT_SEED

__all__ = ["add_parser", "result_json", "run"]


def _finite_or_none(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        return [_finite_or_none(v) for v in value]
    return value


def result_json(result: LocalizationResult) -> dict[str, Any]:
    """Return the JSON object printed by ``vwloc xi --json`` (non-finite numbers -> null)."""
    out = result.as_dict()
    out["xi_rel_err"] = result.xi_err / result.xi if result.xi > 0 else math.nan
    return {key: _finite_or_none(value) for key, value in out.items()}


def _text(r: LocalizationResult) -> str:
    where = "chain" if r.dim == 1 else f"{'strip' if r.dim == 2 else 'bar'} M={r.width}"
    lines = [
        f"xi = {r.xi:.6g} +- {r.xi_err:.2g} (lattice constants, {100 * r.xi_err / r.xi:.2f} %)"
        if math.isfinite(r.xi)
        else "xi = inf (no positive Lyapunov exponent resolved)",
        f"Lambda = xi/M = {r.Lambda:.6g}" if r.dim > 1 else "",
        f"{where}, dim={r.dim}, E={r.energy:g}, W={r.disorder:g} ({r.kind}), "
        f"{r.boundary} transverse boundary, flux={r.flux:g}, seed={r.seed}",
        f"{r.length} slices in {r.chains} independent system(s)"
        + ("" if r.converged else f"; target precision {r.precision:g} NOT reached"),
    ]
    return "\n".join(line for line in lines if line)


def run(args: argparse.Namespace) -> int:
    """Entry point of ``vwloc xi``."""
    # percent of the target precision reached (the error falls as 1/sqrt(slices)); a bar on
    # a terminal, plain lines in a log, nothing with --json
    bar = Progress(100, enabled=False if args.json else None, label="vwloc xi", unit="%")

    def callback(length: int, relative: float) -> None:
        done = 100.0 * min(1.0, (args.precision / relative) ** 2) if relative > 0 else 0.0
        bar.set(round(done, 1), note=f"{length} slices, relative error {relative:.2g}")

    try:
        result = localization_length(
            dim=args.dim,
            disorder=args.disorder,
            energy=args.energy,
            width=args.width,
            precision=args.precision,
            kind=args.kind,
            boundary=args.boundary,
            flux=args.flux,
            seed=args.seed,
            callback=callback,
        )
    finally:
        bar.close()
    print(json.dumps(result_json(result), allow_nan=False) if args.json else _text(result))
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``vwloc xi``."""
    parser = subparsers.add_parser(
        "xi",
        help="transfer-matrix localization length of a chain, strip or bar",
        description=(
            "Localization length xi = 1/gamma_min (amplitude decay, lattice constants) "
            "from transfer matrices, to a target relative precision."
        ),
    )
    parser.add_argument("--dim", type=int, required=True, help="1 chain, 2 strip, 3 bar")
    parser.add_argument("--disorder", type=float, required=True, help="W in units of t")
    parser.add_argument("--energy", type=float, required=True, help="E in units of t")
    parser.add_argument("--width", type=int, default=1, help="M (strip width, bar side)")
    parser.add_argument(
        "--precision", type=float, default=0.005, help="target relative error of xi"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="root seed (non-negative)")
    parser.add_argument("--kind", choices=("box", "gaussian"), default="box")
    parser.add_argument("--boundary", choices=("periodic", "open"), default="periodic")
    parser.add_argument("--flux", type=float, default=0.0, help="flux quanta per xy plaquette")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(run=run)
