"""The batch engine as a library: run a sweep into an archive, write the report.

:func:`run_sweep` plans the tasks a config still needs (:mod:`batch.sweep`),
runs them on an executor (:mod:`batch.executors`) and hands each result to the
one archive writer (:mod:`batch.archive`); :func:`write_report` reads archives,
runs the comparison layer (:mod:`compare`) and writes the report, figures and
JSON. The ``vwloc run``, ``vwloc compare`` and ``vwloc demo`` commands are thin
wrappers around these two functions.

>>> from batch import parse_config, run_sweep, write_report  # doctest: +SKIP
>>> from batch.executors import SerialExecutor  # doctest: +SKIP
>>> run_sweep(parse_config(text), text, "out.h5", SerialExecutor())  # doctest: +SKIP
>>> write_report(["out.h5"], "report/")  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from batch.archive import ArchiveError, ArchiveWriter, SweepInput, read_sweeps
from batch.config import Config
from batch.errors import CommandError
from batch.executors import Executor
from batch.progress import Progress
from batch.sweep import Task, plan_tasks, vector_count
from batch.tasks import execute
from batch.version import package_version

if TYPE_CHECKING:
    from compare.figures import Plot

__all__ = ["PNG_DPI", "run_study", "run_sweep", "write_report"]

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
                "CreationDate": None,  # none: the same archive gives the same bytes
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


def _completion(sweeps: Sequence[dict[str, Any]]) -> tuple[int, int]:
    """Completed and planned realizations (per observable) of an archive's sweeps."""
    done = total = 0
    for sweep in sweeps:
        for point in sweep["points"].values():
            for obs in point["observables"].values():
                done += len(obs["realizations"])
                total += obs["total"]
    return done, total


def _sha256(path: str | Path) -> str:
    """SHA-256 of a file (the report's footer names the exact archive it was made from)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_report(
    archives: Sequence[str | Path],
    out: str | Path,
    note: str = "",
    reprocess: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Analyse ``archives`` and write the report into directory ``out``.

    ``reprocess`` (``{observable: {setting: value}}``, :func:`batch.config.parse_reprocess`)
    rebuilds sparse and kpm results from their archived raw data on a new grid, kernel
    or width first (:func:`batch.archive.read_sweeps`).

    ``note`` is added to the first summary line and to the report's verdict
    section (``vwloc demo`` says where its untested rows are tested).

    Returns
    -------
    dict
        ``report`` (path of report.md), ``html``, ``figures`` (names),
        ``figures_json``, ``predictions_json``, ``summary`` (verdict lines) and
        ``predictions`` (plain rows). A partial archive (running or interrupted)
        puts a banner at the top of the report and a warning line on stderr.

    Raises
    ------
    CommandError
        Unreadable or foreign archive, or an output path that is not a directory.
    """
    # matplotlib and the comparison layer are imported here, not at module level:
    # `vwloc --help` imports this module to build every parser (~0.7 s saved).
    import matplotlib

    from batch.records import archive_records
    from compare.analysis import analyze
    from compare.claims import evaluate
    from compare.figure_check import figure_problems
    from compare.report import render_html, render_markdown, report_blocks, tables_json
    from compare.style import RC
    from lattice.transfer_matrix import scaling

    matplotlib.use("Agg")
    records, partial = [], []
    for path in archives:
        try:
            sweeps = read_sweeps(path, reprocess=reprocess)
            records += [archive_records(sweep) for sweep in sweeps]
        except (ArchiveError, OSError, ValueError) as exc:
            message = str(exc)
            raise CommandError(message if str(path) in message else f"{path}: {message}") from None
        done, total = _completion(sweeps)
        if done < total:
            partial.append(f"{path}: {done} of {total} realization-observables")
    banner = ""
    if partial:
        banner = (
            "partial archive (still being written, or interrupted): "
            + "; ".join(partial)
            + ". Every number below uses only the completed realizations; rerun "
            "`vwloc run` to complete it, then `vwloc compare` again."
        )
        print(f"vwloc compare: warning: {banner}", file=sys.stderr)
    analysis = analyze(records, scaling=scaling)
    evaluation = evaluate(analysis)
    plots = evaluation.plots
    directory = Path(out)
    if directory.exists() and not directory.is_dir():
        raise CommandError(f"-o {out}: exists and is not a directory")
    figures = directory / "figures"
    checksums = {str(p): _sha256(p) for p in archives}
    blocks = report_blocks(
        analysis, evaluation, [str(p) for p in archives], note, banner, checksums
    )
    plotted = {plot.name: plot.data for plot in plots}
    rows = [row.as_dict() for row in evaluation.rows]
    try:  # the path was probed before the work (batch.paths); this catches a full disk
        figures.mkdir(parents=True, exist_ok=True)
        images = {plot.name: _save(plot, figures) for plot in plots}
        for plot in plots:  # what a referee would object to (compare.figure_check)
            for problem in figure_problems(plot.figure, plot.caption, RC):
                print(f"vwloc compare: warning: figure {plot.name}: {problem}", file=sys.stderr)
        (directory / "report.md").write_text(render_markdown(blocks), encoding="utf-8")
        (directory / "report.html").write_text(render_html(blocks, images), encoding="utf-8")
        (directory / "figures.json").write_text(
            json.dumps(plotted, indent=1, allow_nan=False), encoding="utf-8"
        )
        (directory / "tables.json").write_text(
            json.dumps(tables_json(evaluation), indent=1, ensure_ascii=False), encoding="utf-8"
        )
        (directory / "predictions.json").write_text(
            json.dumps(rows, indent=1, allow_nan=False), encoding="utf-8"
        )
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise CommandError(f"-o {out}: cannot write the report ({reason})") from None
    return {
        "report": str(directory / "report.md"),
        "html": str(directory / "report.html"),
        "figures": sorted(images),
        "figures_json": str(directory / "figures.json"),
        "predictions_json": str(directory / "predictions.json"),
        "summary": evaluation.summary(note=note),
        "predictions": rows,
    }


def run_sweep(
    config: Config,
    config_text: str,
    out: str | Path,
    executor: Executor,
    overrides: Sequence[str] = (),
    progress: bool | None = None,
) -> dict[str, Any]:
    """Run every task missing from ``out`` on ``executor``; write each as it finishes.

    Parameters
    ----------
    config, config_text : Config, str
        The validated config and the text it came from (archived).
    out : path
        The archive; created, resumed or extended (:class:`batch.archive.ArchiveWriter`).
    executor : Executor
        Where tasks run (:mod:`batch.executors`).
    overrides : sequence of str
        The ``--set`` items, archived beside the config text.
    progress : bool, optional
        None (default): a bar on stderr when it is a terminal, plain lines every few
        percent or 30 s otherwise; False: nothing (:class:`batch.progress.Progress`).

    Returns
    -------
    dict
        ``tasks`` run in this session, ``realizations`` computed and ``total``
        in the sweep (counted per observable: a realization of two observables
        counts twice); ``points`` (sweep points), ``observables`` (per point, at
        most), ``per_point`` (realizations computed in this session at a point,
        at most) and ``per_point_total`` (the sweep's realizations per point).
    """
    with ArchiveWriter.open(out, config, config_text, overrides, executor.description) as writer:
        return _run(writer, executor, progress)


def run_study(
    sweeps: Mapping[str, SweepInput],
    out: str | Path,
    executor: Executor,
    progress: bool | None = None,
) -> dict[str, Any]:
    """Run several named sweeps into one archive (one group ``/sweeps/<name>`` each).

    Like :func:`run_sweep`: tasks of all sweeps share the executor, each is written
    as it finishes, and rerunning resumes (a study may add sweeps, realizations
    or points, as :func:`run_sweep` may).

    Parameters
    ----------
    sweeps : mapping
        Sweep name -> :class:`batch.archive.SweepInput` (config, its text, ``--set`` items).
    out, executor, progress
        As for :func:`run_sweep`.
    """
    with ArchiveWriter.open_study(out, sweeps, executor.description) as writer:
        return _run(writer, executor, progress)


def _units(task: Task) -> float:
    """Realization-observables a task completes (a kpm task: its share of the vectors)."""
    units = float((task.stop - task.start) * len(task.observables))
    if task.vectors is not None:
        first, stop = task.vectors
        units *= (stop - first) / vector_count(task.config, task.point, task.observables[0])
    return units


def _run(writer: ArchiveWriter, executor: Executor, progress: bool | None) -> dict[str, Any]:
    tasks, total = [], 0
    sizes: dict[tuple[str, str], dict[str, int]] = {}  # (sweep, point) -> {observable: size}
    for name, sweep in writer.sweeps.items():
        done = writer.done_masks(name)
        tasks += plan_tasks(sweep.config, done, sweep=name)
        total += sum(int(mask.size) for mask in done.values())
        for (pid, observable), mask in done.items():
            sizes.setdefault((name, pid), {})[observable] = int(mask.size)
    units = {task.id: _units(task) for task in tasks}
    todo = round(sum(units.values()))
    computed: dict[tuple[str, str, str], float] = {}
    for task in tasks:
        for observable in task.observables:
            key = (task.sweep, task.point.id, observable)
            computed[key] = computed.get(key, 0) + units[task.id] / len(task.observables)
    work: dict[str, int] = {}
    with Progress(total, total - todo, enabled=progress) as bar:
        for result in executor.map_unordered(execute, tasks):
            writer.write(result)
            for kind, count in result.work.items():
                work[kind] = work.get(kind, 0) + count
            note = ", ".join(f"{count:,} {kind}" for kind, count in work.items())
            bar.set(bar.done + units[result.task_id], note)
    writer.finish()
    return {
        "tasks": len(tasks),
        "realizations": todo,
        "total": total,
        "points": len(sizes),
        "observables": max((len(v) for v in sizes.values()), default=0),
        "per_point": round(max(computed.values(), default=0)),
        "work": work,
        "per_point_total": max((max(v.values()) for v in sizes.values() if v), default=0),
    }
