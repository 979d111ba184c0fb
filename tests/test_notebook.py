"""notebooks/explore_plans.ipynb runs top to bottom on a small output folder made here."""
from __future__ import annotations

import os

import nbformat
import pytest
from conftest import ROOT
from emit.sample import write_sample

from pipeline.emit.database import write_database
from pipeline.emit.tables import write_tables

NOTEBOOK = ROOT / "notebooks" / "explore_plans.ipynb"


def test_explore_notebook_runs(tmp_path, monkeypatch):
    nbclient = pytest.importorskip("nbclient")
    out = tmp_path / "out"
    write_sample(out)
    write_tables(out / "plans.jsonl", out)
    write_database(out)
    monkeypatch.setenv("PLANS_OUTPUT", str(out))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit the notebook without outputs"
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(ROOT / "notebooks")}})
    client.execute()
    text = "\n".join(str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", ""))
                     for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "P1" in text and "P2" in text          # the near-identical pair is found and ranked first
    pair = next(line for line in text.splitlines() if "<->" in line)
    assert not ("P1 " in pair and "P2 " in pair)   # but the pair looked at is the most similar non-duplicate
    assert "phases" in text                        # the pair's timeline
    assert not (out / "report.html").exists()      # the run's report is never overwritten
    (report,) = out.glob("report-P*-P*.html")
    assert report.stat().st_size > 100_000
    shown = "\n".join(str(o.get("data", {}).get("text/html", "")) for c in nb.cells if c.cell_type == "code"
                      for o in c.outputs)
    assert "@font-face" in shown and "white-space: pre-wrap" in shown   # the displaCy view
