"""``vwloc xi``: transfer-matrix localization length of a chain, strip or bar.

Wraps :func:`lattice.localization_length` (DESIGN.md section 4). Bad input
(``--width 0``, negative or NaN disorder, ``--precision`` outside (0, 1), ...)
is a ValueError from lattice, printed by :mod:`batch.cli` as one line, exit 2.
So is ``--disorder 0`` at an energy where the clean system has a propagating
channel (xi is infinite there; outside every clean band W = 0 is fine and gives
the exact evanescent length), and a run whose memory
(:func:`batch.resources.transfer_estimate`) exceeds the machine's, unless
``--no-resource-check``. A run expected to take more than
:data:`ESTIMATE_SECONDS` announces its size and time range on stderr first.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from batch.progress import Progress
from batch.resources import check, format_bytes, transfer_estimate
from lattice import LocalizationResult, localization_length
from lattice.models.seeding import DEFAULT_SEED
from lattice.transfer_matrix.transfer import propagating_channel, transfer_work

__all__ = ["ESTIMATE_SECONDS", "SliceProgress", "add_parser", "result_json", "run"]

#: Runs expected to take longer than this (at their minimum length) print an estimate.
ESTIMATE_SECONDS = 30.0


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


def _refuse_clean_band(args: argparse.Namespace) -> None:
    if args.disorder != 0.0 or args.kind == "constant":
        return
    if args.flux != 0.0:
        inside = abs(args.energy) <= 2.0 * args.dim  # the Hofstadter bands lie in the bulk band
    else:
        inside = propagating_channel(args.energy, args.dim, args.width, args.boundary)
    if inside:
        raise ValueError(
            f"--disorder 0 at --energy {args.energy:g}: the clean system conducts there "
            "(xi is infinite); give a disorder W > 0"
        )


def _announce(args: argparse.Namespace) -> Any:
    """Check the memory of the run; print its size and time range if it is long.

    Returns the run's :class:`lattice.transfer_matrix.transfer.TransferWork`."""
    work = transfer_work(
        args.dim, args.disorder, args.energy, args.width, kind=args.kind, flux=args.flux
    )
    estimate = transfer_estimate(work)
    if not args.no_resource_check:
        check(estimate)
    if not args.json and estimate.seconds > ESTIMATE_SECONDS:
        print(
            f"vwloc xi: estimate: {format_bytes(estimate.memory)} of memory, "
            f"{estimate.notes[0]} (rough; the length depends on xi)",
            file=sys.stderr,
        )
    return work


class SliceProgress:
    """Progress of a transfer-matrix run, with a remaining time from its first slices.

    Shown by :class:`batch.progress.Progress` (a bar on a terminal, plain lines in a
    log, nothing with ``enabled=False``) as the percentage of a target length: the
    run's minimum length until the first error estimate, then the length at which
    the error should reach the precision (it falls as 1/sqrt(slices)), within
    [min_length, max_length]. The ``progress`` hook of
    :func:`lattice.localization_length` reports slices after every QR interval of
    a big slice, so the rate and the remaining time are known from the start.
    """

    def __init__(
        self,
        work: Any,
        precision: float,
        enabled: bool = True,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.low, self.high, self.precision = work.min_length, work.max_length, precision
        self.target = self.low
        self.slices = 0
        self.relative = math.inf
        self._bar = Progress(
            100,
            enabled=None if enabled else False,
            stream=stream,
            label="vwloc xi",
            unit="%",
            clock=clock,
        )

    def estimate(self, length: int, relative: float) -> None:
        """``callback`` of :func:`lattice.localization_length`: the error after ``length``."""
        if 0 < relative < math.inf:
            self.relative = relative
            wanted = length * (relative / self.precision) ** 2
            self.target = int(min(self.high, max(self.low, length, wanted)))
        self.update(length)

    def update(self, slices: int) -> None:
        """``progress`` hook of :func:`lattice.localization_length`: slices done so far."""
        self.slices = slices
        note = f"{slices:,} of about {self.target:,} slices"
        if math.isfinite(self.relative):
            note += f", relative error {self.relative:.2g}"
        self._bar.set(round(min(100.0, 100.0 * slices / self.target), 1), note=note)

    def close(self) -> None:
        """Finish the bar or write the last line."""
        self._bar.close()


def run(args: argparse.Namespace) -> int:
    """Entry point of ``vwloc xi``."""
    work = _announce(args)
    _refuse_clean_band(args)
    progress = SliceProgress(work, args.precision, enabled=not args.json)
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
            callback=progress.estimate,
            progress=progress.update,
        )
    finally:
        progress.close()
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
    parser.add_argument(
        "--no-resource-check",
        action="store_true",
        help="run even if the estimated memory exceeds this machine's",
    )
    parser.set_defaults(run=run)
