"""Batch machinery: scheduling overhead and the speed-up of local worker processes.

Run as a plain script: ``.venv/bin/python benchmarks/bench_batch.py [--repeats N]``.

1. Overhead. Sweeps of 64 tasks through ``run_sweep`` with the serial
   executor (plan, archive build, 64 flushed writes with running summaries),
   beside the baseline: the same 64 ``lattice.conductivity`` calls in a plain
   loop (both with one BLAS thread, as vwloc runs every task). Tiny tasks (one
   2D 10 x 10 realization, ~2 ms) expose the fixed cost per task; small tasks
   (four 2D 16 x 16 realizations) are the target case of issue 6: overhead
   < 5 % of compute.
2. Throughput. 2D L = 32 realizations on 1 and on 2 worker processes
   (``ProcessExecutor``, BLAS pinned to one thread per worker; workers
   started and warmed up before the clock starts). Target: 2 workers >= 1.8 x.

Medians of ``--repeats`` runs; the overhead is the median of the per-repeat
differences (sweep minus the loop timed just before it). The ratios are only
meaningful on an otherwise idle machine; the load average is printed beside them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from threadpoolctl import threadpool_limits

import lattice
from batch.config import parse_config
from batch.executors import ProcessExecutor, SerialExecutor
from batch.runner import run_sweep
from batch.sweep import plan_tasks
from batch.tasks import execute

OVERHEAD_CONFIG = """\
[run]
seed = 1
realizations = {realizations}
block_size = {block}

[model]
dim = 2
L = {L}

[sweep]
W = [1.0, 2.0, 3.0, 4.0]

[observables.conductivity]
omega = [0.25, 0.5, 1.0, 2.0]
eta = 0.05
"""

THROUGHPUT_CONFIG = """\
[run]
seed = 2
realizations = {n}
block_size = 1

[model]
dim = 2
L = 32
disorder = 4.0

[observables.conductivity]
omega = [0.25, 0.5, 1.0, 2.0]
eta = 0.05
"""


def overhead(repeats: int, L: int, block: int) -> None:
    text = OVERHEAD_CONFIG.format(realizations=16 * block, block=block, L=L)
    config = parse_config(text)
    tasks = plan_tasks(config)
    assert len(tasks) == 64
    omega = list(config.observables.conductivity.omega)
    batch_times, loop_times = [], []
    execute(tasks[0])  # compile and import once, outside the clock
    for _ in range(repeats):
        start = time.perf_counter()
        with threadpool_limits(limits=1):  # as every vwloc task runs
            for task in tasks:
                model = lattice.AndersonModel(dim=2, L=L, disorder=task.point.disorder)
                lattice.conductivity(
                    model, omega, eta=0.05, realizations=task.realizations, seed=config.run.seed
                )
        loop_times.append(time.perf_counter() - start)
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            run_sweep(config, text, Path(folder) / "o.h5", SerialExecutor(), (), False)
            batch_times.append(time.perf_counter() - start)
    loop, batch = statistics.median(loop_times), statistics.median(batch_times)
    # Each repeat times the loop and the sweep back to back; the median of these paired
    # differences is robust to the load drifts of a shared machine that shift both.
    extra = statistics.median(b - a for a, b in zip(loop_times, batch_times, strict=True))
    print(f"   64 tasks of {block} realization(s) of 2D {L}x{L} (serial executor):")
    print(f"     plain loop of lattice.conductivity : {loop:8.3f} s (median of {repeats})")
    print(f"     vwloc run_sweep incl. HDF5 archive : {batch:8.3f} s")
    print(f"     overhead (median paired difference): {1000 * extra / 64:8.2f} ms/task, "
          f"{100 * extra / loop:.1f} % of compute")  # fmt: skip


def throughput(repeats: int, n: int) -> None:
    text = THROUGHPUT_CONFIG.format(n=n)
    config = parse_config(text)
    tasks = plan_tasks(config)
    rates = {}
    for workers in (1, 2):
        times = []
        with ProcessExecutor(workers) as executor:
            list(executor.map_unordered(execute, tasks[:workers]))  # start and warm up
            for _ in range(repeats):
                start = time.perf_counter()
                for _result in executor.map_unordered(execute, tasks):
                    pass
                times.append(time.perf_counter() - start)
        rates[workers] = n / statistics.median(times)
        print(f"   {workers} worker(s): {rates[workers]:6.3f} realizations/s "
              f"(median of {repeats}, {n} realizations of 2D L=32)")  # fmt: skip
    print(
        f"   speed-up 2 vs 1                    : {rates[2] / rates[1]:8.2f} x  (target >= 1.8 x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--realizations", type=int, default=8)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()}")
    print("1. scheduling overhead (target < 5 % of compute for 64 small tasks)")
    overhead(args.repeats, L=10, block=1)  # tiny tasks: shows the fixed cost per task
    overhead(args.repeats, L=16, block=4)  # small tasks
    print("2. throughput of local worker processes")
    throughput(max(1, args.repeats - 1), args.realizations)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
