"""The wheel carries everything the pipeline reads (models/, the schema, the sample corpus, the report's script)
and runs, installed in a fresh venv, from any directory."""
from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS, needs_seeds

from pipeline.cli import main

IGNORE = shutil.ignore_patterns(".venv", ".git", "outputs", "build", "*.egg-info", "__pycache__", ".hypothesis",
                                ".pytest_cache", ".cache")


def test_setup_cfg_lists_every_subpackage():
    from setuptools import find_packages

    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    listed = set(cfg["options"]["packages"].split())
    assert set(find_packages(str(ROOT), include=["pipeline", "pipeline.*"])) <= listed
    assert {"pipeline.models", "pipeline.samples"} <= listed


@needs_seeds
def test_the_wheel_installed_in_a_fresh_venv_runs_from_another_directory(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=IGNORE)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "-w", str(tmp_path / "dist"),
                            "-v"], capture_output=True, text=True, env=env, cwd=src)
    assert build.returncode == 0, build.stderr[-3000:]
    # setuptools warns as `SomethingWarning:`, `warning:` (distutils) or a `!!` banner; pip's `WARNING:` are pip's
    warnings = [line for line in (build.stdout + build.stderr).splitlines()
                if re.search(r"[a-z]Warning\b|\bwarning:|^\s*!!", line)]
    assert warnings == []
    (wheel,) = (tmp_path / "dist").glob("plans_pipeline-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    code = {f"pipeline/{p.relative_to(ROOT / 'pipeline').as_posix()}" for p in (ROOT / "pipeline").rglob("*.py")}
    models = {f"pipeline/models/{p.relative_to(ROOT / 'models').as_posix()}" for p in (ROOT / "models").rglob("*")
              if p.is_file()}
    samples = {f"pipeline/samples/{p.name}" for p in (ROOT / "corpora" / "samples").iterdir()}
    assert code | models | samples | {"pipeline/schema/plan.schema.json"} <= names
    assert any(n.startswith("pipeline/compare/plotly") for n in names)

    # a fresh venv with the wheel; its dependencies are this venv's (a .pth line: its own .pth files, among them
    # the editable install of the checkout, are not read), so nothing is downloaded
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-deps", "--no-index",
                    str(wheel)], check=True, env=env, capture_output=True)
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "project-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    def plans(*args):
        return subprocess.run([str(venv / "bin" / "plans"), *args], capture_output=True, text=True, cwd=elsewhere,
                              env=env)

    where = subprocess.run([str(py), "-c", "import pipeline, pipeline.settings as s; "
                            "print(pipeline.__file__, s.MODELS_DIR, s.SAMPLES_DIR, sep='\\n')"],
                           capture_output=True, text=True, cwd=elsewhere, env=env, check=True).stdout.split()
    assert all(p.startswith(site) for p in where), where
    assert plans("--version").stdout.strip().startswith("plans ")
    seed = sorted(SEEDS.glob("000_*.txt"))[0].resolve()
    r = plans("run", str(seed), "--out", "seed", "-q")
    assert r.returncode == 0, r.stderr
    lines = (elsewhere / "seed" / "plans.jsonl").read_text(encoding="utf-8").splitlines()
    assert sum(len(json.loads(line)["tasks"]) for line in lines) > 0
    assert main(["run", str(seed), "--out", str(tmp_path / "checkout"), "-q"]) == 0  # the same as from the checkout
    assert (tmp_path / "checkout" / "plans.jsonl").read_text(encoding="utf-8").splitlines() == lines
    r = plans("run", "--out", "samples", "-q")                   # no input: the bundled samples
    assert r.returncode == 0, r.stderr
    m = json.loads((elsewhere / "samples" / "manifest.json").read_text(encoding="utf-8"))
    bundled = [f for f in (ROOT / "corpora" / "samples").iterdir() if not f.name.startswith(".")]
    assert m["counts"]["files"] == len(bundled) and all(e["path"].startswith(site) for e in m["inputs"])
    r = plans("compare", "samples")
    assert r.returncode == 0, r.stderr
    assert "Plotly.newPlot" in (elsewhere / "samples" / "report.html").read_text(encoding="utf-8")


def test_the_duckdb_command_is_in_the_venv(tmp_path):
    duckdb = shutil.which("duckdb", path=str(Path(sys.executable).parent))
    if duckdb is None:
        pytest.fail("no duckdb command beside this Python: the duckdb-cli dependency is missing")
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text("为加强安全管理，特制定本方案。\n一、工作目标\n全面排查隐患。\n二、主要任务\n1.开展排查。"
                             "由总务处牵头，3月底前完成。\n", encoding="utf-8")
    assert main(["run", str(d), "--out", str(tmp_path / "out"), "-q"]) == 0
    r = subprocess.run([duckdb, "-csv", "-noheader", str(tmp_path / "out" / "plans.duckdb"),
                        "select count(*) from plans"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == "1", r.stderr
