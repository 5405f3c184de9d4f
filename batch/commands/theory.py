"""``vwloc theory``: the Vollhardt-Woelfle predictions for one parameter set (docs/theory.md).

Two ways in (DESIGN.md section 4): lattice parameters ``--dim --disorder
--energy`` (mapped to the continuum in the Born approximation,
:func:`theory.mapping.map_lattice`; units hbar = t = a = 1) or the continuum
coupling ``--dim --lambda [--cutoff X0]`` (free electrons, units
hbar = p_F = E_F = 1). ``--json`` prints one object; non-finite numbers are
``null``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from batch.errors import CommandError
from theory.asymptotics import seed_omega0_squared
from theory.critical import critical_coupling, critical_disorder
from theory.exact1d import thouless_localization_length
from theory.localized import localization_properties
from theory.mapping import DISORDER_KINDS, map_lattice
from theory.parameters import TheoryParameters

__all__ = ["add_parser", "predictions", "run"]

#: Units of each reported key, for the terminal table.
_UNITS = {
    "tau": "time",
    "mean_free_path": "length",
    "D0": "length^2/time",
    "fermi_velocity": "length/time",
    "continuum_fermi_energy": "energy",
    "density_of_states": "1/(energy length^d), per spin",
    "omega0": "1/time",
    "r0": "length",
    "alpha0": "e = 1, per spin",
    "sigma_w2_coefficient": "Re sigma = A w^2, e = hbar = 1",
    "kernel_constant": "Im c (1/time), M = -w0^2/w + c",
    "diffusion_ratio_zero": "D(0)/D0",
}


def _parameters(args: argparse.Namespace) -> tuple[TheoryParameters, dict[str, Any]]:
    lattice = args.disorder is not None or args.energy is not None
    if lattice and args.coupling is not None:
        raise CommandError("give either --disorder/--energy or --lambda, not both")
    if lattice:
        if args.disorder is None or args.energy is None:
            raise CommandError("lattice mode needs both --disorder and --energy")
        mapping = map_lattice(
            args.dim,
            args.disorder,
            args.energy,
            kind=args.kind,
            cutoff=args.cutoff,
            tau_s=args.tau_s,
            tau_inel=args.tau_inel,
        )
        extra: dict[str, Any] = {
            "mode": "lattice",
            "disorder": mapping.disorder,
            "energy": mapping.energy,
            "kind": mapping.kind,
            "filling": mapping.filling,
            "stiffness_Df": mapping.stiffness,
        }
        if args.dim == 1:
            extra["xi_thouless"] = thouless_localization_length(args.energy, args.disorder)
        if args.dim == 3:
            w_c = critical_disorder(args.energy, kind=args.kind, cutoff=args.cutoff)
            extra["critical_disorder"] = w_c
            extra["lambda_c"] = mapping.coupling * (w_c / mapping.disorder) ** 2
        return mapping.parameters, extra
    if args.coupling is None:
        raise CommandError("give --disorder and --energy (lattice) or --lambda (continuum)")
    params = TheoryParameters.from_lambda(
        args.dim, args.coupling, cutoff=args.cutoff, tau_s=args.tau_s, tau_inel=args.tau_inel
    )
    extra = {"mode": "continuum"}
    if args.dim == 3:
        extra["lambda_c"] = critical_coupling(params.cutoff)
    return params, extra


def predictions(args: argparse.Namespace) -> dict[str, Any]:
    """All reported numbers for the parsed arguments (keys of ``--json``)."""
    params, extra = _parameters(args)
    limits = localization_properties(params)
    result: dict[str, Any] = {
        "dim": params.dim,
        **extra,
        "tau": params.tau,
        "mean_free_path": params.mean_free_path,
        "lambda": params.coupling,
        "D0": params.diffusion_constant,
        "fermi_velocity": params.fermi_velocity,
        "continuum_fermi_energy": params.continuum_fermi_energy,
        "density_of_states": params.density_of_states,
        "cutoff": params.cutoff,
        "tau_s": params.tau_s,
        "tau_inel": params.tau_inel,
        "localized": limits.localized,
        "omega0": limits.omega0,
        "r0": limits.localization_length,
        "alpha0": limits.static_polarizability,
        "sigma_w2_coefficient": limits.sigma_w2_coefficient,
        "kernel_constant": limits.kernel_constant.imag,
        "diffusion_ratio_zero": limits.diffusion_ratio,
    }
    if params.dim < 3 and limits.localized:
        result["seed_omega0_eq43"] = math.sqrt(seed_omega0_squared(params))
    return result


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def run(args: argparse.Namespace) -> int:
    """Entry point of ``vwloc theory``."""
    result = predictions(args)
    if args.json:
        print(json.dumps({key: _json_safe(value) for key, value in result.items()}))
        return 0
    width = max(map(len, result))
    for key, value in result.items():
        text = f"{value:.6g}" if isinstance(value, float) else str(value)
        unit = _UNITS.get(key, "")
        sys.stdout.write(f"{key:<{width}}  {text:>14}  {unit}\n".rstrip() + "\n")
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``vwloc theory``."""
    parser = subparsers.add_parser(
        "theory",
        help="Vollhardt-Woelfle predictions (Eq. 42) for lattice or continuum parameters",
        description=(
            "Solve the self-consistent Eq. (42) of Vollhardt and Woelfle (1980) and print "
            "tau, l, lambda, D0, localization, omega0, r0, alpha(0) and the w^2 coefficient. "
            "Lattice mode (--disorder --energy): units hbar = t = a = 1. Continuum mode "
            "(--lambda): units hbar = p_F = E_F = 1."
        ),
    )
    parser.add_argument("--dim", type=int, required=True, help="dimension 1, 2 or 3")
    parser.add_argument("--disorder", type=float, help="lattice disorder W (variance W^2/12)")
    parser.add_argument("--energy", type=float, help="lattice Fermi energy E, |E| < 2 d t")
    parser.add_argument(
        "--kind", choices=DISORDER_KINDS, default="box", help="disorder distribution"
    )
    parser.add_argument(
        "--lambda", dest="coupling", type=float, help="continuum coupling 1/(2 pi E_F tau)"
    )
    parser.add_argument(
        "--cutoff",
        type=float,
        help="momentum cutoff x0 = k0 l (default: none in d = 1, 1 in d = 2, 3)",
    )
    parser.add_argument(
        "--tau-s", type=float, default=math.inf, help="time-reversal breaking time (default inf)"
    )
    parser.add_argument(
        "--tau-inel", type=float, default=math.inf, help="inelastic time (default inf)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(run=run)
