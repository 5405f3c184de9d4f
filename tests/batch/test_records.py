"""batch.records: the reader's dictionaries become compare's typed records, names and units."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from batch.config import SWEEP_AXES, Sweep, parse_config, to_toml
from batch.points import SweepPoint
from batch.records import archive_records
from vwloc_common.vocabulary import POINT_PARAMETERS

CONFIG = """
[run]
seed = 5
realizations = 3
[model]
dim = 1
L = 40
kind = "gaussian"
boundary = "open"
hopping = 1.0
[sweep]
W = [2.0]
[observables.conductivity]
omega = [0.1, 0.2]
eta = 0.03
[observables.static_polarizability]
[observables.localization_length]
widths = [1]
energies = [0.5, 1.0]
"""


def _archive(alpha_rows: int = 3) -> dict:
    text = to_toml(parse_config(CONFIG))
    xi = np.array([[[20.0, 15.0]]])
    return {
        "seed": 5,
        "config": text,
        "runs": [{"started": "t0", "host": "h"}],
        "points": {
            "p": {
                "params": {"dim": 1, "L": [40], "W": 2.0, "E_F": 0.0, "flux": 0.0},
                "observables": {
                    "conductivity": {
                        "axes": {"omega": np.array([0.1, 0.2])},
                        "values": {"sigma": np.ones((3, 2))},
                    },
                    "static_polarizability": {
                        "axes": {},
                        "values": {"alpha": np.ones(alpha_rows)},
                    },
                    "localization_length": {
                        "axes": {"width": np.array([1]), "energy": np.array([0.5, 1.0])},
                        "values": {"xi": xi, "xi_err": 0.1 * xi},
                    },
                },
            }
        },
    }


def test_names_units_and_settings_come_from_the_archive() -> None:
    record = archive_records(_archive())
    assert record.seed == 5 and record.provenance[0]["host"] == "h"
    (point,) = record.points
    assert point.lattice.disorder == 2.0 and point.lattice.fermi_energy == 0.0
    assert point.lattice.shape == (40,) and point.lattice.kind == "gaussian"
    assert point.conductivity.eta == 0.03  # from the config, not a re-default
    assert point.conductivity.w_max == np.inf  # dense engine: every pair
    assert point.lattice.boundary == ("open",)
    assert point.conductivity.values.shape == (3, 2)
    assert point.static_response is None
    lengths = {length.energy: length for length in record.lengths}
    assert lengths[1.0].xi.tolist() == [15.0] and lengths[0.5].kind == "gaussian"
    with pytest.raises(ValueError):
        point.conductivity.values[0, 0] = 2.0  # records are read-only


def test_running_archive_notes_observables_without_rows() -> None:
    (point,) = archive_records(_archive(alpha_rows=0)).points
    assert point.polarizability is None
    assert point.notes == ("static_polarizability: no completed realization in the archive yet",)


def test_unparsable_config_is_a_value_error() -> None:
    broken = _archive()
    broken["config"] = "[run"
    with pytest.raises(ValueError, match="archive config"):
        archive_records(broken)


def test_archive_attributes_and_sweep_axes_are_the_vocabulary_symbols() -> None:
    """A point's archive attributes, the sweep axes and the records use one table."""
    assert SWEEP_AXES == {p.symbol: p.name for p in POINT_PARAMETERS}
    assert set(SWEEP_AXES) <= {f.name for f in dataclasses.fields(Sweep)}
    point = SweepPoint(dim=1, L=(40,), disorder=2.0, fermi_energy=-0.5, flux=0.0)
    archive = _archive()
    archive["points"]["p"]["params"] = point.params()
    assert point.params() == {"dim": 1, "L": [40], "W": 2.0, "E_F": -0.5, "flux": 0.0}
    (record,) = archive_records(archive).points
    assert (record.lattice.disorder, record.lattice.fermi_energy) == (2.0, -0.5)


def test_sparse_window_and_per_axis_boundary_reach_the_records() -> None:
    """The weak-localization claim needs w_max (the kernel's cut) and the boundary per axis."""
    data = _archive()
    config = CONFIG.replace("dim = 1\nL = 40", "dim = 2\nL = [40, 40]").replace(
        'boundary = "open"', 'boundary = ["open", "periodic"]'
    )
    config = config.replace("eta = 0.03", 'eta = 0.03\nengine = "sparse"\nw_max = 0.25')
    config = config.replace("[observables.static_polarizability]\n", "")
    data["config"] = to_toml(parse_config(config))
    data["points"]["p"]["params"].update(dim=2, L=[40, 40])
    del data["points"]["p"]["observables"]["static_polarizability"]
    (point,) = archive_records(data).points
    assert point.conductivity.w_max == 0.25
    assert point.lattice.boundary == ("open", "periodic")
