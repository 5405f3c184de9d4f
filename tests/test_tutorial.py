"""docs/tutorial.ipynb runs from top to bottom (executed here so that it cannot rot)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="the dev extra's notebook runner")
nbclient = pytest.importorskip("nbclient", reason="the dev extra's notebook runner")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "docs" / "tutorial.ipynb"
#: Seconds one cell may take (the notebook runs in about 15 s on the 2-core machine).
CELL_TIMEOUT = 300


def test_tutorial_notebook_executes(monkeypatch: pytest.MonkeyPatch) -> None:
    # the standard platform directories (silences jupyter_core's migration warning) and
    # this checkout on the kernel's path
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT)}},
    )
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "(Thouless)" in text and "lambda = " in text
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert images, "the Re sigma figure is displayed"
