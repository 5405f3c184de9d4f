"""Chebyshev (KPM) engine against KITE, pybinding-dev and Kwant (issue 10, "Performance").

Run as a plain script::

    .venv/bin/python benchmarks/bench_kpm.py [--repeats 3] [--threads 1] [--quick]
        [--parts check,dos,sigma,scale] [--peers-python /work/peers-venv/bin/python]

Workload: 2D square lattice, t = 1, box disorder W = 1 (uniform in [-1/2, 1/2]),
periodic, complex128 in every code. Parts (``--parts``):

``check``
    Agreement first (a benchmark of a wrong answer is worthless): the Jackson
    DOS of the clean L = 128 lattice (512 moments x 10 random-phase vectors,
    every code at the same spectral scale a = 4.7) against the exact Jackson
    reconstruction from the lattice's own eigenvalues, in units of the
    stochastic standard error of a random-phase trace (computed exactly from
    the eigenvalues), and vwloc against each peer.
``dos``
    KPM DOS, 512 moments x 10 vectors, L = 512 and 1024: vwloc against
    pybinding-dev (``pb.kpm(...).calc_dos``; 510 moments, it rounds to 4k + 2),
    Kwant (``kwant.kpm.SpectralDensity`` on the CSR matrix) and KITE (``dos``,
    KITEx only). vwloc's achieved memory bandwidth (byte model in
    :func:`dos_bytes`) against a STREAM triad measured in the same run.
``sigma``
    Re sigma_xx(w) at E_F = 0, T = 0, L = 128 and 512, 512 moments (Jackson
    resolution pi a / M = 0.029 t): vwloc against KITE's
    ``conductivity_optical`` (KITEx, same moments and vectors), peak memory of
    each; pybinding-dev's and Kwant's dc Kubo-Bastin times (same moments and
    vectors) beside them. vwloc runs twice: the full band at the alias step, and the
    band mode (``time_step_rule="band"``: Re sigma on [7.43 eta, 1 t] only, both
    sides filtered to E_F +- Omega), so its KITE ratio is for "Re sigma on
    w <= 1 t" while KITE computes the whole band; and the band mode once more on an
    open x axis (no ring Drude peak; J = i[X, H] there, so two propagated columns
    instead of three).
``scale``
    vwloc Re sigma on L = 512, 1024, 2048, 2 vectors, resolution 1e-2 t: time,
    peak memory, time per site relative to L = 512, per time-step rule
    (``--scale-rules``: ``alias`` the full band, ``band`` w <= 1 t; ``-open``, e.g.
    ``band-open``, on an open x axis).

Every measurement runs in a child process (this file with ``--worker``) so its
peak resident memory is the child's own (``os.wait4``); the time is the
child's own timer around the computation alone (model set-up, imports and a
numba warm-up excluded). Peers run with the ``--peers-python`` interpreter (the
separate venv of ``benchmarks/README-peers.md``); a missing peer is skipped with
a note, a missing vwloc kpm engine prints "vwloc kpm engine not available".
Repeats are interleaved (vwloc, then each peer, per repeat) so that load from
other processes hits all alike; medians are printed with the load average.
Threads: ``--threads`` for vwloc, pybinding and the BLAS of Kwant; KITE always
runs with OMP_NUM_THREADS=1 (with two threads it stalls on this machine).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOPPING = 1.0
DISORDER = 1.0
SCALE = 4.7  # common spectral half-width a (units of t): |E| <= 4 + W/2 = 4.5 inside
DOS_MOMENTS = 512
DOS_VECTORS = 10
SIGMA_MOMENTS = 512
SCALE_RESOLUTION = 1e-2
# The band mode (time_step_rule="band"): Re sigma on [7.43 eta, BAND_OMEGA_MAX] only, the
# low-frequency window of the physics (omega <= 1/tau ~ 1 t or less).
BAND_OMEGA_MAX = 1.0
# vwloc's Re sigma window: Gaussian of standard deviation eta = pi a / M, the width of the
# Jackson kernel of M moments (Weisse et al., RMP 78, 275, section II.C.3), i.e. KITE's
# resolution; the Lorentzian of the same eta has tails that need 3x the time window.
SIGMA_KERNEL = "gaussian"
SEED = 7
CHECK_L = 128
SIGMA_ONE_VECTOR_FROM = 512  # Re sigma: 2 vectors below this L, 1 from it (KITE costs M^2 N)
# Kwant's Correlator keeps 2 M vectors of N per random vector (peak 1.8 GB measured at L = 128,
# M = 512): L = 512 would need about 28 GB on this 24 GB machine.
KWANT_KUBO_MAX_SITES = 256**2
CHECK_SIGMAS = 6.0  # max |deviation| / stderr over ~200 correlated energies; ±1 vectors double var
# STREAM reports the best of its repeats; on the shared machine a run is often preempted, so
# many short repeats (20 ms each at 2^25 elements) give the unloaded rate a chance.
TRIAD_REPEATS = 50
CHILD_TIMEOUT = 1800.0  # s; a peer slower than this is reported as timed out


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="threads (default 1)")
    parser.add_argument("--repeats", type=int, default=3, help="timed repeats (default 3)")
    parser.add_argument(
        "--large-repeats", type=int, default=None, help="repeats for the last size of a part"
    )
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    parser.add_argument("--parts", default="check,dos,sigma,scale", help="comma-separated")
    parser.add_argument(
        "--peers", default="kite,pybinding,kwant", help="peer codes to run (comma-separated)"
    )
    parser.add_argument(
        "--scale-probe",
        type=float,
        default=None,
        help="scale part: run at this coarser eta and predict the 1e-2 run from the exact "
        "product counts (same buffers, so the peak memory is measured as is)",
    )
    parser.add_argument(
        "--scale-rules",
        default="alias,band",
        help="scale part: time-step rules (alias: full band; band: w <= 1 t; a suffix "
        "-open, e.g. band-open: open x axis, two propagated columns)",
    )
    for part, sizes in (("dos", "512,1024"), ("sigma", "128,512"), ("scale", "512,1024,2048")):
        parser.add_argument(f"--{part}-sizes", help=f"lattice sizes L (default {sizes})")
    parser.add_argument(
        "--peers-python", default="/work/peers-venv/bin/python", help="peer venv interpreter"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--spec", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    return parser.parse_args()


# --------------------------------------------------------------------------------------------
# Workers: run in a child process, under the project venv (vwloc) or the peers venv.
# --------------------------------------------------------------------------------------------


def rss_mb() -> float:
    """Peak resident memory of this process so far (MB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def square_lattice_csr(size: int, disorder: float, seed: int, velocity: bool = False):
    """H (and v_x = i[H, X]) of the periodic square lattice as complex128 CSR matrices."""
    import numpy as np
    import scipy.sparse as sp

    sites = size * size
    index = np.arange(sites).reshape(size, size)
    onsite = np.random.default_rng(seed).uniform(-disorder / 2, disorder / 2, sites)
    rows = np.concatenate([np.roll(index, -1, 0).ravel(), np.roll(index, -1, 1).ravel()])
    cols = np.concatenate([index.ravel(), index.ravel()])
    lower = sp.coo_matrix((np.full(2 * sites, -HOPPING, complex), (rows, cols)), (sites, sites))
    hamiltonian = (lower + lower.conj().T + sp.diags(onsite.astype(complex))).tocsr()
    if not velocity:
        return hamiltonian
    # x is the first axis: bond (r + e_x, r) carries v = i H (x_r - x_{r+e_x}) = -i H.
    xbonds = sp.coo_matrix(
        (np.full(sites, -1j * -HOPPING), (rows[:sites], cols[:sites])), (sites, sites)
    )
    return hamiltonian, (xbonds + xbonds.conj().T).tocsr()


def pybinding_model(size: int, disorder: float, seed: int):
    """pybinding model of the periodic lattice, complex128 (double-precision modifiers)."""
    import numpy as np
    import pybinding as pb

    lattice = pb.Lattice(a1=[1, 0], a2=[0, 1])
    lattice.add_sublattices(("A", [0, 0], 0.0))
    lattice.add_hoppings(([1, 0], "A", "A", -HOPPING), ([0, 1], "A", "A", -HOPPING))
    rng = np.random.default_rng(seed)

    @pb.onsite_energy_modifier(is_double=True)
    def box(energy):
        return energy + rng.uniform(-disorder / 2, disorder / 2, energy.shape)

    @pb.hopping_energy_modifier(is_complex=True, is_double=True)
    def complex_hopping(energy):
        return energy.astype(np.complex128)

    shape = pb.primitive(size, size)
    periodic = pb.translational_symmetry(a1=size, a2=size)
    model = pb.Model(lattice, shape, periodic, box, complex_hopping)
    assert model.hamiltonian.dtype == np.complex128
    return model


def worker_pybinding(spec: dict) -> dict:
    import numpy as np
    import pybinding as pb

    model = pybinding_model(spec["L"], spec["disorder"], spec["seed"])
    scale = spec.get("scale", SCALE)
    kpm = pb.kpm(
        model, energy_range=(-scale / 1.01, scale / 1.01), silent=True, num_threads=spec["threads"]
    )  # pybinding widens the range by 1 %
    scale = kpm.scaling_factors[0]
    # pybinding computes the smallest 4k + 2 > pi a / broadening moments: ask for the largest
    # 4k + 2 <= M (510 for M = 512).
    target = spec["moments"] - (spec["moments"] - 2) % 4
    broadening = np.pi * scale / (target - 1)
    before = rss_mb()
    start, cpu_start = time.perf_counter(), time.process_time()
    if spec["task"] == "dos":
        energies = np.asarray(spec.get("energies", [0.0]))
        values = kpm.calc_dos(energies, broadening, num_random=spec["vectors"]).data
        result = {"dos": (np.asarray(values) / spec["L"] ** 2).tolist()}
    else:
        values = kpm.calc_conductivity(
            np.array([0.0]), broadening, 0.0, direction="xx", num_random=spec["vectors"]
        ).data
        result = {"sigma_dc": float(np.real(values[0]))}
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    moments = int(kpm.report().split("calculated ")[1].split()[0])
    return result | {
        "seconds": seconds,
        "cpu": cpu,
        "scale": scale,
        "moments": moments,
        "rss_before": before,
    }


def worker_kwant(spec: dict) -> dict:
    import numpy as np
    from kwant import kpm

    half = spec.get("scale", SCALE) * (1 - 0.05 / 2)  # Kwant: a = span / (2 - eps), eps = 0.05
    bounds = (-half, half)
    common = {"num_moments": spec["moments"], "num_vectors": spec["vectors"], "bounds": bounds}
    if spec["task"] == "dos":
        hamiltonian = square_lattice_csr(spec["L"], spec["disorder"], spec["seed"])
        before = rss_mb()
        start, cpu_start = time.perf_counter(), time.process_time()
        density = kpm.SpectralDensity(hamiltonian, rng=spec["seed"], **common)
        energies = np.asarray(spec.get("energies", [0.0]))
        values = density(energies).real / spec["L"] ** 2
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        return {
            "seconds": seconds,
            "cpu": cpu,
            "dos": values.tolist(),
            "scale": density._a,
            "moments": density.num_moments,
            "rss_before": before,
        }
    hamiltonian, velocity = square_lattice_csr(spec["L"], spec["disorder"], spec["seed"], True)
    before = rss_mb()
    start, cpu_start = time.perf_counter(), time.process_time()
    correlator = kpm.Correlator(
        hamiltonian, operator1=velocity, operator2=velocity, rng=spec["seed"], **common
    )
    value = correlator(mu=0.0, temperature=0.0)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    return {
        "seconds": seconds,
        "cpu": cpu,
        "sigma_dc": float(np.real(value)) / spec["L"] ** 2,
        "scale": correlator._a,
        "moments": spec["moments"],
        "rss_before": before,
    }


def worker_kite_config(spec: dict) -> dict:
    """Write KITE's HDF5 input with the kite module (pybinding lattice + kite.Disorder)."""
    import kite
    import numpy as np
    import pybinding as pb

    lattice = pb.Lattice(a1=[1, 0], a2=[0, 1])
    lattice.add_sublattices(("A", [0, 0], 0.0))
    lattice.add_hoppings(([1, 0], "A", "A", -HOPPING), ([0, 1], "A", "A", -HOPPING))
    disorder = None
    if spec["disorder"] > 0:
        disorder = kite.Disorder(lattice)  # KITE's "Uniform" takes (mean, standard deviation)
        disorder.add_disorder("A", "Uniform", 0.0, spec["disorder"] / np.sqrt(12.0))
    size = spec["L"]
    configuration = kite.Configuration(
        divisions=[1, 1],
        length=[size, size],
        boundaries=["periodic", "periodic"],
        is_complex=True,
        precision=1,
        spectrum_range=[-spec.get("scale", SCALE), spec.get("scale", SCALE)],
    )
    calculation = kite.Calculation(configuration)
    counts = {"num_moments": spec["moments"], "num_random": spec["vectors"], "num_disorder": 1}
    if spec["task"] == "dos":
        calculation.dos(num_points=1000, **counts)
    else:
        calculation.conductivity_optical("xx", num_points=1000, temperature=0, **counts)
    kite.config_system(lattice, configuration, calculation, disorder=disorder, filename=spec["h5"])
    return {"seconds": 0.0}


def worker_kitex(spec: dict) -> dict:
    """Run KITEx on the file: kitecore loaded from its path (no pybinding import)."""
    import importlib.util

    import h5py
    import numpy as np

    library = Path(spec["kite_lib"])
    module_spec = importlib.util.spec_from_file_location(
        "kitecore", next(library.glob("kitecore*.so"))
    )
    kitecore = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(kitecore)
    index = 2 - 1 + 3 * 1 + 1 * 3 * 3  # dim - 1 + 3 precision + 9 is_complex (kite.execute)
    before = rss_mb()
    start, cpu = time.perf_counter(), time.process_time()
    status = kitecore.kitex(spec["h5"], index)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if status != 0:
        raise RuntimeError(f"KITEx exited with {status}")
    result = {"seconds": seconds, "cpu": cpu, "rss_before": before, "moments": spec["moments"]}
    with h5py.File(spec["h5"], "r") as handle:
        result["scale"] = float(handle["EnergyScale"][()])
        if spec["task"] == "dos" and "energies" in spec:
            moments = np.asarray(handle["Calculation/dos/MU"][()]).real.ravel()
            result["dos"] = jackson_dos(moments, np.asarray(spec["energies"]), result["scale"])
            result["dos"] = result["dos"].tolist()
    return result


def jackson_coefficients(moments: int):
    """Jackson damping g_n, n = 0..M-1 (Weisse et al., RMP 78, 275 (2006), Eq. 71)."""
    import numpy as np

    n = np.arange(moments)
    q = np.pi / (moments + 1)
    return ((moments - n + 1) * np.cos(q * n) + np.sin(q * n) / np.tan(q)) / (moments + 1)


def jackson_dos(moments, energies, scale: float):
    """rho(E) per site from Chebyshev moments mu_n = Tr T_n(H / a) / N (RMP 78, 275, Eq. 69)."""
    import numpy as np

    x = np.asarray(energies) / scale
    chebyshev = np.cos(np.outer(np.arccos(x), np.arange(len(moments))))
    weights = jackson_coefficients(len(moments)) * np.asarray(moments)
    weights[1:] *= 2
    return chebyshev @ weights / (np.pi * scale * np.sqrt(1 - x**2))


def worker_vwloc(spec: dict) -> dict:
    """vwloc's kpm engine: DOS or Re sigma(w) of one realization (numba warmed up first)."""
    import numpy as np

    import lattice

    def model(size: int):
        x_axis = spec.get("x_boundary", "periodic")  # open x: the two-column route
        return lattice.AndersonModel(
            dim=2, L=size, disorder=spec["disorder"], kind="box", boundary=[x_axis, "periodic"]
        )

    energies = np.asarray(spec.get("energies", [0.0]))
    vectors = spec["vectors"]
    if spec["task"] == "dos":

        def call(system):
            return lattice.density_of_states(
                system,
                energies,
                kernel="jackson",
                moments=spec["moments"],
                engine="kpm",
                vectors=vectors,
                realizations=1,
                seed=spec["seed"],
            )
    else:
        import warnings

        from lattice.chebyshev import kpm

        rule = spec.get("rule", kpm.ALIAS_STEP)
        if rule == kpm.BAND_STEP:  # Re sigma on [BAND_MIN_OMEGA eta, BAND_OMEGA_MAX] only
            lowest = kpm.BAND_MIN_OMEGA * spec["resolution"]
            omega = np.linspace(lowest, BAND_OMEGA_MAX, 100)
        else:
            omega = np.linspace(0.01, 2 * SCALE, 300)  # the whole band, as KITE's Gamma matrix

        def call(system):
            # periodic as KITE's lattice: the ring's Drude peak D K(w) is part of both
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", kpm.DrudePeakWarning)
                return kpm.kpm_complex_conductivity(
                    system,
                    omega,
                    fermi_energy=0.0,
                    eta=spec["resolution"],
                    kernel=spec.get("kernel", SIGMA_KERNEL),
                    vectors=vectors,
                    realizations=1,
                    seed=spec["seed"],
                    real_part=True,
                    time_step_rule=rule,
                )

    call(model(8))  # numba compilation outside the timer
    system = model(spec["L"])
    before = rss_mb()
    start, cpu = time.perf_counter(), time.process_time()
    result = call(system)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    out = {
        "seconds": seconds,
        "cpu": cpu,
        "rss_before": before,
        "scale": float(result.raw.scale[0][0]),
    }
    if spec["task"] == "dos":
        out["moments"] = int(result.raw.moments.shape[-1])
        out["dos"] = np.asarray(result.mean).tolist()
    else:
        out["sigma"] = np.asarray(result.mean).tolist()
        columns = 2 if spec.get("x_boundary") == "open" else 3
        out["products"] = sigma_products(result.raw, spec["resolution"], columns)
        if "target_resolution" in spec:
            out["target_products"] = sigma_products(result.raw, spec["target_resolution"], columns)
    return out


def sigma_products(raw, resolution: float, columns: int = 3) -> dict:
    """Single-column products with H of a kpm Re sigma run like ``raw`` at ``resolution``
    (same w_max and time-step rule): ``total`` = 2(F - 1) + 2 + C n_t (P - 1) per vector
    (lattice.raw.kpm_conductivity_raw), F the Fermi terms (the band filter g f has as
    many), P the propagator terms, n_t the time steps and C the propagated columns (3 on
    a periodic x axis, 2 on an open one); ``projection`` = 2(F - 1) and ``evolution`` =
    C n_t (P - 1) per vector, ``per_at`` = (P - 1)/(a dt), ``dt``."""
    from lattice.chebyshev import kpm

    settings = raw.settings
    scale = tuple(raw.scale[0])
    rule = settings.get("time_step_rule", kpm.NYQUIST_STEP)
    temperature = settings["temperature"] or kpm.T0_SMEARING * resolution
    fermi = kpm.fermi_series(scale, settings["fermi_energy"], temperature).size
    omega_max, kernel = settings["omega_max"], settings["kernel"]
    evolution = columns * kpm.propagation_products(
        scale, omega_max, resolution, kernel, rule, temperature
    )
    dt = kpm._time_step(scale, omega_max, resolution, rule, temperature)
    terms = kpm.propagator_series(scale, dt).size - 1
    vectors = raw.values.shape[1]
    return {
        "total": vectors * (2 * (fermi - 1) + 2 + evolution),
        "projection": 2 * (fermi - 1),
        "evolution": evolution,
        "per_at": terms / (scale[0] * dt),
        "dt": dt,
    }


def worker_vwloc_probe(spec: dict) -> dict:
    """Whether vwloc has the kpm engine: a DOS on a 4 x 4 lattice."""
    return worker_vwloc(spec | {"L": 4, "vectors": 1, "moments": 16, "task": "dos"})


def worker_triad(spec: dict) -> dict:
    """STREAM triad a = b + s c and copy a = b (numba, float64, arrays >> cache): best and
    median GB/s of each (triad 24, copy 16 bytes per element; no write-allocate counted)."""
    import numba
    import numpy as np

    @numba.njit(parallel=spec["threads"] > 1, cache=False)
    def triad(a, b, c, s):
        for i in numba.prange(a.size):
            a[i] = b[i] + s * c[i]

    @numba.njit(parallel=spec["threads"] > 1, cache=False)
    def copy(a, b):
        for i in numba.prange(a.size):
            a[i] = b[i]

    size = spec["size"]
    a, b, c = np.zeros(size), np.ones(size), np.full(size, 2.0)
    out = {"seconds": 0.0}
    for name, call, arguments, width in (
        ("triad", triad, (a, b, c, 3.0), 24),
        ("copy", copy, (a, b), 16),
    ):
        call(*arguments)
        rates = []
        for _ in range(spec["repeats"]):
            start = time.perf_counter()
            call(*arguments)
            rates.append(width * size / (time.perf_counter() - start) / 1e9)
        out[name] = {"best": max(rates), "median": statistics.median(rates)}
    # the triad's best rate is the reference (STREAM reports the best of its repeats)
    return out | {"best": out["triad"]["best"], "median": out["triad"]["median"]}


WORKERS = {
    "vwloc": worker_vwloc,
    "vwloc-probe": worker_vwloc_probe,
    "triad": worker_triad,
    "pybinding": worker_pybinding,
    "kwant": worker_kwant,
    "kite-config": worker_kite_config,
    "kitex": worker_kitex,
}


# --------------------------------------------------------------------------------------------
# The parent: child runners, tables.
# --------------------------------------------------------------------------------------------


def run_child(python: str, worker: str, spec: dict, threads: int) -> dict:
    """Run one worker in a child process; its result, ``peak_mb`` (ru_maxrss) and wall time.

    Returns ``{"error": text}`` when the child fails or exceeds CHILD_TIMEOUT.
    """
    environment = dict(os.environ)
    for variable in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
        environment[variable] = str(threads)
    environment["OMP_NUM_THREADS"] = "1" if worker == "kitex" else str(threads)
    if python == sys.executable:
        environment["PYTHONPATH"] = str(ROOT)
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "result.json"
        log = open(Path(scratch) / "log.txt", "w+")
        command = [python, str(Path(__file__).resolve()), "--worker", worker]
        command += ["--spec", json.dumps(spec), "--out", str(out)]
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=environment)
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > CHILD_TIMEOUT:
                child.kill()
                os.wait4(child.pid, 0)
                return {"error": f"timed out after {CHILD_TIMEOUT:.0f} s"}
            time.sleep(0.05)
        child.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        text = log.read()
        log.close()
        if child.returncode != 0 or not out.exists():
            return {"error": text.strip().splitlines()[-1] if text.strip() else "no output"}
        result = json.loads(out.read_text())
    return result | {
        "peak_mb": usage.ru_maxrss / 1024.0,
        "wall": time.perf_counter() - start,
        "cpu_total": usage.ru_utime + usage.ru_stime,
    }


def run_worker(arguments: argparse.Namespace) -> None:
    spec = json.loads(arguments.spec)
    result = WORKERS[arguments.worker](spec)
    Path(arguments.out).write_text(json.dumps(result))


def load() -> str:
    return "load average " + ", ".join(f"{value:.2f}" for value in os.getloadavg())


def clean_reference(size: int, moments: int, scale: float, energies):
    """Exact Jackson DOS of the clean periodic L x L lattice and its random-phase stderr.

    rho(E) = sum_k g(E, E_k) / N with g the Jackson-smoothed delta at scale a; a
    random-phase trace estimate of rho has per-vector variance
    (1/N^2) sum_{i != j} |g_ij(E)|^2 = (<g^2>_k - rho^2) / N, since every diagonal
    element g_ii equals rho on a translation-invariant lattice.
    """
    import numpy as np

    wave = 2 * np.pi * np.arange(size) / size
    levels = -2 * HOPPING * (np.cos(wave)[:, None] + np.cos(wave)[None, :]).ravel()
    values, counts = np.unique(np.round(levels, 12), return_counts=True)
    weights = counts / levels.size
    orders = np.arange(moments)
    damping = jackson_coefficients(moments) * np.where(orders > 0, 2.0, 1.0)
    x = np.asarray(energies) / scale
    at_levels = np.cos(np.outer(np.arccos(values / scale), orders)) * damping
    smoothed = at_levels @ np.cos(np.outer(np.arccos(x), orders)).T
    smoothed /= np.pi * scale * np.sqrt(1 - x**2)
    rho = weights @ smoothed
    variance = np.maximum(weights @ smoothed**2 - rho**2, 0.0) / levels.size
    return rho, np.sqrt(variance)


class Bench:
    """Runs the parts; peers and vwloc share the child runner and the tables."""

    def __init__(self, arguments: argparse.Namespace):
        self.arguments = arguments
        self.threads = arguments.threads
        self.peers = arguments.peers_python if Path(arguments.peers_python).exists() else None
        if self.peers is None:
            print(
                f"peers skipped: no interpreter {arguments.peers_python} "
                "(benchmarks/README-peers.md)"
            )
        self.kite_lib = self.peer_path("kite", "lib")
        self.vwloc = self.probe_vwloc()

    def peer_path(self, package: str, *parts: str) -> str | None:
        """Directory of a peer package in the peers venv, or None (with a note)."""
        if self.peers is None:
            return None
        code = f"import importlib.util as u; s = u.find_spec({package!r}); print(s and s.origin)"
        found = subprocess.run([self.peers, "-c", code], capture_output=True, text=True)
        origin = found.stdout.strip()
        if found.returncode != 0 or origin in ("", "None"):
            print(f"{package} skipped: not installed in the peers venv")
            return None
        return str(Path(origin).parent.joinpath(*parts))

    def probe_vwloc(self) -> bool:
        probe = {"disorder": DISORDER, "seed": SEED, "energies": [0.0]}
        result = run_child(sys.executable, "vwloc-probe", probe, self.threads)
        if "error" in result:
            print(f"vwloc kpm engine not available ({result['error']})")
            return False
        return True

    def runners(self, spec: dict, peers: tuple[str, ...], vwloc: bool = True) -> dict:
        """name -> zero-argument callable measuring it once (present codes only)."""
        table = {}
        if self.vwloc and vwloc:
            table["vwloc"] = lambda: run_child(sys.executable, "vwloc", spec, self.threads)
        if self.peers is None:
            return table
        chosen = self.arguments.peers.split(",")
        for name in (peer for peer in peers if peer in chosen):
            if name == "kite":
                if self.kite_lib is not None:
                    table["KITE"] = lambda: self.run_kite(spec)
            elif (
                name == "kwant"
                and spec["task"] == "sigma"
                and spec["L"] ** 2 > KWANT_KUBO_MAX_SITES
            ):
                print(
                    f"  kwant skipped at L = {spec['L']}: its Correlator would need about "
                    f"{1.8 * spec['L'] ** 2 / 128**2:.0f} GB (1.8 GB measured at L = 128)"
                )
            elif self.peer_path(name) is not None:
                table[name] = lambda name=name: run_child(self.peers, name, spec, self.threads)
        return table

    def run_kite(self, spec: dict) -> dict:
        with tempfile.TemporaryDirectory() as scratch:
            spec = spec | {"h5": str(Path(scratch) / "kite.h5"), "kite_lib": self.kite_lib}
            configured = run_child(self.peers, "kite-config", spec, 1)
            if "error" in configured:
                return configured
            return run_child(self.peers, "kitex", spec, 1)

    def interleaved(self, runners: dict, repeats: int) -> dict:
        """Each code once per repeat, in turn; name -> list of results (errors dropped)."""
        results = {name: [] for name in runners}
        for _ in range(repeats):
            for name, runner in runners.items():
                result = runner()
                if "error" in result:
                    print(f"  {name}: {result['error']}")
                    continue
                results[name].append(result)
        return {name: runs for name, runs in results.items() if runs}

    def sizes(self, part: str, quick: tuple, full: tuple) -> tuple:
        """Lattice sizes of a part: ``--PART-sizes``, else the quick or the full set."""
        chosen = getattr(self.arguments, f"{part}_sizes")
        if chosen:
            return tuple(int(size) for size in chosen.split(","))
        return quick if self.arguments.quick else full

    def repeats(self, size: int, sizes: tuple) -> int:
        """``--repeats``, or ``--large-repeats`` for the last of several sizes."""
        last = len(sizes) > 1 and size == sizes[-1]
        if last and self.arguments.large_repeats is not None:
            return self.arguments.large_repeats
        return self.arguments.repeats

    def triad(self) -> dict:
        spec = {
            "threads": self.threads,
            "size": 2**22 if self.arguments.quick else 2**25,
            "repeats": TRIAD_REPEATS,
        }
        return run_child(sys.executable, "triad", spec, self.threads)

    # ---------------------------------------------------------------- parts

    def check(self) -> None:
        import numpy as np

        size = 32 if self.arguments.quick else CHECK_L
        energies = np.linspace(-3.9, 3.9, 157)  # inside every scale (vwloc: a = 4.04 clean)
        spec = {
            "task": "dos",
            "L": size,
            "disorder": 0.0,
            "seed": SEED,
            "threads": self.threads,
            "moments": DOS_MOMENTS,
            "vectors": DOS_VECTORS,
            "energies": energies.tolist(),
        }
        print(
            f"\nAgreement: clean L = {size} DOS, {DOS_MOMENTS} moments x {DOS_VECTORS} vectors, "
            f"Jackson kernel, a common scale a; deviation from the exact Jackson DOS of the "
            f"same lattice in units of the random-phase stderr (max over {energies.size} "
            f"energies in [-3.9, 3.9]; pass < {CHECK_SIGMAS})"
        )
        # vwloc first: the peers then use its spectral scale a, so that every Jackson
        # DOS has the same resolution pi a / M and the curves are directly comparable.
        results = self.interleaved(self.runners(spec, ()), 1)
        if "vwloc" in results:
            spec["scale"] = results["vwloc"][0]["scale"]
        peers = self.runners(spec, ("pybinding", "kwant", "kite"), vwloc=False)
        results |= self.interleaved(peers, 1)
        curves = {}
        for name, (result,) in results.items():
            scale = result.get("scale", SCALE)
            moments = result.get("moments") or DOS_MOMENTS
            exact, stderr = clean_reference(size, moments, scale, energies)
            stderr = stderr / np.sqrt(DOS_VECTORS)
            curve = np.asarray(result["dos"])
            curves[name] = (curve, stderr)
            worst = np.max(np.abs(curve - exact) / stderr)
            verdict = "ok" if worst < CHECK_SIGMAS else "DISAGREES"
            print(
                f"  {name:10s} a = {scale:.4f}, M = {moments}: max |rho - exact| = "
                f"{np.max(np.abs(curve - exact)):.2e} = {worst:.2f} stderr  {verdict}"
            )
        if "vwloc" in curves:
            ours, our_error = curves.pop("vwloc")
            for name, (curve, stderr) in curves.items():
                deviation = np.abs(ours - curve)
                units = np.max(deviation / np.hypot(our_error, stderr))
                print(
                    f"  vwloc - {name:10s} max |difference| = {np.max(deviation):.2e} "
                    f"= {units:.2f} combined stderr"
                )

    def dos(self) -> None:
        sizes = self.sizes("dos", (64, 128), (512, 1024))
        triad = self.triad()
        print(
            f"\nKPM DOS, {DOS_MOMENTS} moments x {DOS_VECTORS} vectors, W = {DISORDER}, "
            f"complex128, threads {self.threads} (KITE 1), median of repeats; {load()}"
        )
        if "error" not in triad:
            print(
                f"  STREAM (numba, {self.threads} thread(s)): triad best "
                f"{triad['triad']['best']:.2f} GB/s (median {triad['triad']['median']:.2f}), "
                f"copy best {triad['copy']['best']:.2f} GB/s (median "
                f"{triad['copy']['median']:.2f})"
            )
        for size in sizes:
            spec = {
                "task": "dos",
                "L": size,
                "disorder": DISORDER,
                "seed": SEED,
                "threads": self.threads,
                "moments": DOS_MOMENTS,
                "vectors": DOS_VECTORS,
            }
            runs = self.interleaved(
                self.runners(spec, ("pybinding", "kwant", "kite")), self.repeats(size, sizes)
            )
            self.table(size, runs)
            if "vwloc" in runs and "error" not in triad:
                moved = dos_bytes(size, DOS_MOMENTS, DOS_VECTORS)
                for kind in ("seconds", "cpu"):
                    seconds = statistics.median(run[kind] for run in runs["vwloc"])
                    rate = moved / seconds / 1e9
                    print(
                        f"  vwloc bandwidth by the byte model ({moved / 1e9:.0f} GB), "
                        f"{'wall' if kind == 'seconds' else 'CPU'} time: {rate:.2f} GB/s = "
                        f"{100 * rate / triad['best']:.0f} % of the best triad"
                    )
        print(f"  ({load()})")

    def sigma(self) -> None:
        import numpy as np

        sizes = self.sizes("sigma", (32, 64), (128, 512))
        print(
            f"\nKPM Re sigma_xx(w), E_F = 0, T = 0, W = {DISORDER}, {SIGMA_MOMENTS} moments "
            f"(Jackson resolution {np.pi * SCALE / SIGMA_MOMENTS:.3f} t; vwloc: {SIGMA_KERNEL} "
            f"window of that standard deviation, w in (0, {2 * SCALE}]); KITE "
            "conductivity_optical (KITEx, 1 thread), pybinding/Kwant dc Kubo-Bastin (same "
            f"moments, vectors); threads {self.threads}; {load()}"
        )
        for size in sizes:
            vectors = 2 if size < SIGMA_ONE_VECTOR_FROM else 1
            spec = {
                "task": "sigma",
                "L": size,
                "disorder": DISORDER,
                "seed": SEED,
                "threads": self.threads,
                "moments": SIGMA_MOMENTS,
                "vectors": vectors,
                "resolution": np.pi * SCALE / SIGMA_MOMENTS,
                "kernel": SIGMA_KERNEL,
            }
            runners = self.runners(spec, ("kite", "pybinding", "kwant"))
            if self.vwloc:  # the band mode beside the full band, interleaved with them
                band = spec | {"rule": "band"}
                runners["vwloc band"] = lambda band=band: run_child(
                    sys.executable, "vwloc", band, self.threads
                )
                open_x = band | {"x_boundary": "open"}  # no Drude peak, two columns
                runners["vwloc band open x"] = lambda open_x=open_x: run_child(
                    sys.executable, "vwloc", open_x, self.threads
                )
            runs = self.interleaved(runners, self.repeats(size, sizes))
            self.table(size, runs, f"{vectors} vector(s); {load()}")
            for name in ("vwloc", "vwloc band", "vwloc band open x"):
                if name in runs:
                    self.steps(name, runs[name][0]["products"])
            if "vwloc" in runs and "vwloc band" in runs:
                wall, cpu = ratios(runs["vwloc"], runs["vwloc band"])
                print(
                    f"    band mode (Re sigma on w <= {BAND_OMEGA_MAX} t only) vs full band: "
                    f"{wall:.2f} x (wall), {cpu:.2f} x (CPU)"
                )
            for name, what in (
                ("vwloc", "full band"),
                ("vwloc band", "w <= 1 t only"),
                ("vwloc band open x", "w <= 1 t only, open x"),
            ):
                if name in runs and "KITE" in runs:
                    ours, theirs = runs[name], runs["KITE"]
                    wall, cpu = ratios(theirs, ours)
                    memory = max(r["peak_mb"] for r in ours) / max(r["peak_mb"] for r in theirs)
                    print(
                        f"    speed-up {name} ({what}) vs KITE (full band): {wall:.2f} x (wall), "
                        f"{cpu:.2f} x (CPU); peak memory vwloc/KITE {memory:.2f} "
                        "(target: >= 5 x, <= 1)"
                    )
        print(f"  ({load()})")

    @staticmethod
    def steps(name: str, products: dict) -> None:
        """The time step and the work split of one vwloc run (:func:`sigma_products`)."""
        print(
            f"    {name}: dt = {products['dt']:.3f}, {products['per_at']:.2f} products per "
            f"unit a t; per vector {products['projection']} (projection) + "
            f"{products['evolution']} (evolution) column products"
        )

    def scale(self) -> None:
        for rule in self.arguments.scale_rules.split(","):
            self.scale_rule(rule.strip())

    def scale_rule(self, rule: str) -> None:
        sizes = self.sizes("scale", (64, 128, 256), (512, 1024, 2048))
        grid = (
            f"w in [7.43 eta, {BAND_OMEGA_MAX}] (band mode)"
            if rule.startswith("band")
            else f"w in (0, {2 * SCALE}] (full band)"
        ) + (", open x" if rule.endswith("-open") else "")
        print(
            f"\nvwloc Re sigma_xx(w) scaling, 2 vectors, resolution {SCALE_RESOLUTION} t "
            f"({SIGMA_KERNEL} window), {grid}, E_F = 0, W = {DISORDER}, threads "
            f"{self.threads}; target L = 2048 in <= 600 s, < 4 GB; {load()}"
        )
        if not self.vwloc:
            print("  vwloc kpm engine not available")
            return
        first = None
        for size in sizes:
            probe = self.arguments.scale_probe
            spec = {
                "task": "sigma",
                "L": size,
                "disorder": DISORDER,
                "seed": SEED,
                "threads": self.threads,
                "vectors": 2,
                "resolution": probe or SCALE_RESOLUTION,
                "target_resolution": SCALE_RESOLUTION,
                "kernel": SIGMA_KERNEL,
                "rule": rule.removesuffix("-open"),
                "x_boundary": "open" if rule.endswith("-open") else "periodic",
            }
            runs = self.interleaved(self.runners(spec, ()), self.repeats(size, sizes))
            if "vwloc" not in runs:
                continue
            seconds = statistics.median(run["seconds"] for run in runs["vwloc"])
            peak = max(run["peak_mb"] for run in runs["vwloc"])
            cpu = statistics.median(run["cpu"] for run in runs["vwloc"])
            run = runs["vwloc"][0]
            per_product = cpu / run["products"]["total"] / size**2
            note = ""
            if probe:
                factor = run["target_products"]["total"] / run["products"]["total"]
                seconds, cpu = seconds * factor, cpu * factor
                note = (
                    f" (predicted from a run at eta = {probe}: "
                    f"{run['products']['total']} products, x {factor:.1f})"
                )
            per_site = cpu / size**2  # CPU: the load of the shared machine varies
            first = first or per_site
            self.steps(f"L = {size}", run.get("target_products", run["products"]))
            print(
                f"  L = {size:5d}  N = {size**2:9d}  {seconds:8.2f} s wall, {cpu:8.2f} s CPU{note}"
                f"  peak {peak:7.0f} MB  {1e9 * per_product:.2f} ns CPU per site and product"
                f"  CPU time/N relative to L = {sizes[0]}: {per_site / first:.2f}  ({load()})"
            )

    def table(self, size: int, runs: dict, note: str = "") -> None:
        """One line per code: median s (n), peak MB (and before the timed call: interpreter,
        libraries, model), and the ratio to vwloc."""
        print(f"  L = {size} (N = {size**2}) {note}")
        ours = statistics.median(r["seconds"] for r in runs["vwloc"]) if "vwloc" in runs else None
        for name, results in runs.items():
            seconds = [result["seconds"] for result in results]
            median = statistics.median(seconds)
            cpu = [result["cpu"] for result in results if "cpu" in result]
            cpu_text = f", CPU {statistics.median(cpu):.2f} s" if cpu else ""
            peak = max(result["peak_mb"] for result in results)
            base = min(result.get("rss_before", peak) for result in results)
            ratio = f"  {name}/vwloc = {median / ours:6.2f}" if ours and name != "vwloc" else ""
            print(
                f"    {name:10s} {median:9.2f} s (n = {len(seconds)}, range "
                f"{min(seconds):.2f}-{max(seconds):.2f}{cpu_text})  peak {peak:6.0f} MB "
                f"({base:.0f} before the call){ratio}"
            )
        if ours and "cpu" in runs["vwloc"][0]:
            ours_cpu = statistics.median(r["cpu"] for r in runs["vwloc"])
            ratios = [
                f"{name}/vwloc = {statistics.median(r['cpu'] for r in results) / ours_cpu:.2f}"
                for name, results in runs.items()
                if name != "vwloc" and all("cpu" in r for r in results)
            ]
            if ratios:
                print(f"    CPU-time ratios: {', '.join(ratios)}")


def ratios(slow: list, fast: list) -> tuple[float, float]:
    """Median wall-time and CPU-time ratios slow / fast of two lists of runs."""
    wall = statistics.median(r["seconds"] for r in slow) / statistics.median(
        r["seconds"] for r in fast
    )
    cpu = statistics.median(r["cpu"] for r in slow) / statistics.median(r["cpu"] for r in fast)
    return wall, cpu


def dos_bytes(size: int, moments: int, vectors: int) -> float:
    """The issue's byte model: memory traffic (bytes) of a KPM DOS on the L x L lattice.

    With T_2n = 2 T_n^2 - T_0 two moments come from each Chebyshev step, so M/2 steps
    per block of vectors; a step reads T_n v and T_{n-1} v and writes T_{n+1} v
    (complex128, 3 x 16 bytes per site and vector) and reads the on-site energy
    (float64, 8 bytes per site, once per block). Hopping and neighbours are free
    (constant hopping; neighbours from cache). vwloc's real-H kernel moves less
    than this if nothing stays in cache (two steps per sweep: 40 bytes per site,
    complex vector and step, site energies included), and at L = 512 a vector's
    recursion (6 MB) stays in the last-level cache, so the figure is an effective
    bandwidth, not a measured DRAM traffic.
    """
    return (moments / 2) * size**2 * (48 * vectors + 8)


def main() -> None:
    arguments = parse_arguments()
    if arguments.worker:
        run_worker(arguments)
        return
    print(f"bench_kpm: {load()}, {os.cpu_count()} cores")
    bench = Bench(arguments)
    for part in arguments.parts.split(","):
        getattr(bench, part.strip())()


if __name__ == "__main__":
    main()
