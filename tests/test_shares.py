"""A re-run copies the shares of unchanged inputs from the previous dataset (`emit/shares.py`): what it writes
is byte for byte what a run that encodes every input writes, whatever changed."""
import shutil

import pytest

from pipeline import run as run_mod
from pipeline.emit import shares as shares_mod
from pipeline.emit.tables import TableWriter

SAME = ("plans.jsonl", ".csv", ".parquet")  # the manifest has timings; DuckDB and XLSX files are not byte-stable


def plan(n: int, trad: bool = False) -> str:
    if trad:
        return (f"為加強第{n}校區安全管理，特訂定本計畫。\n壹、工作目標\n全面排查第{n}棟隱患。\n貳、主要任務\n"
                f"一、開展第{n}次排查。由總務處負責，3月底前完成。\n二、辦理演練。（學務處主辦，教務處協辦）\n")
    return (f"为加强第{n}院区安全管理，特制定本方案。\n一、工作目标\n全面排查第{n}栋隐患。\n二、主要任务\n"
            f"1.开展第{n}次排查。由总务处牵头，3月底前完成。\n2.组织演练。（保卫科负责，护理部配合）\n")


@pytest.fixture
def folder(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for n in range(1, 13):
        name = f"plan-{n:02d}.txt"
        text = plan(n, trad=n % 3 == 0)
        if n in (5, 9):  # exact copies: their plans get `-2` ids and duplicate_of
            text = plan(1)
        (src / name).write_text(text, encoding="utf-8")
    return src


def _outputs(out):
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file() and p.name.endswith(SAME)}


def _assert_as_encoded_anew(src, out, tmp_path):
    ref = tmp_path / "ref"
    shutil.rmtree(ref, ignore_errors=True)
    run_mod.run([str(src)], ref, use_cache=False)
    mine, theirs = _outputs(out), _outputs(ref)
    assert sorted(mine) == sorted(theirs)
    assert [n for n in mine if mine[n] != theirs[n]] == []


@pytest.fixture
def spliced(monkeypatch):
    """How many inputs the run copied from the previous dataset."""
    calls = []
    real = TableWriter.splice

    def splice(self, *a, **k):
        calls.append(1)
        return real(self, *a, **k)

    monkeypatch.setattr(TableWriter, "splice", splice)
    return calls


@pytest.mark.parametrize("change", ["add", "add_first", "edit", "remove", "copy_before", "nothing"])
def test_a_rerun_writes_what_encoding_every_input_again_writes(folder, tmp_path, spliced, change):
    out = tmp_path / "out"
    run_mod.run([str(folder)], out)
    assert spliced == []  # the first run has nothing to copy from
    run_mod.run([str(folder)], out)  # a run that copies every input writes a map as exact as one that encodes
    assert len(spliced) == 12
    spliced.clear()
    if change == "add":
        (folder / "plan-06b.txt").write_text(plan(40), encoding="utf-8")
    elif change == "add_first":
        (folder / "a-first.txt").write_text(plan(41, trad=True), encoding="utf-8")
    elif change == "edit":
        (folder / "plan-04.txt").write_text(plan(4) + "3.加强宣传。由宣传科负责。\n", encoding="utf-8")
    elif change == "remove":
        (folder / "plan-07.txt").unlink()
    elif change == "copy_before":
        # a copy of plan 1 sorting before it: plan 1 and its copies get other ids, so their shares are encoded
        (folder / "plan-00.txt").write_text(plan(1), encoding="utf-8")
    result = run_mod.run([str(folder)], out)
    assert result.code == 0
    _assert_as_encoded_anew(folder, out, tmp_path)
    kept = {"add": 12, "add_first": 12, "edit": 11, "remove": 11, "copy_before": 9, "nothing": 12}[change]
    assert len(spliced) == kept


def test_an_output_changed_since_the_last_run_is_not_copied_from(folder, tmp_path, spliced):
    out = tmp_path / "out"
    run_mod.run([str(folder)], out)
    with open(out / "tasks.csv", "ab") as f:  # somebody edited a table: the map no longer describes it
        f.write(b"x\r\n")
    (folder / "plan-03.txt").unlink()
    run_mod.run([str(folder)], out)
    assert spliced == []
    _assert_as_encoded_anew(folder, out, tmp_path)


def test_other_formats_or_a_damaged_map_mean_every_input_is_encoded(folder, tmp_path, spliced):
    out = tmp_path / "out"
    run_mod.run([str(folder)], out, formats=["jsonl", "csv"])
    run_mod.run([str(folder)], out)  # now with Parquet too: nothing to copy Parquet rows from
    assert spliced == []
    _assert_as_encoded_anew(folder, out, tmp_path)
    (path,) = out.glob(f".plans-cache/*/{shares_mod.MAP_NAME}")
    path.write_bytes(path.read_bytes()[:100])
    run_mod.run([str(folder)], out)
    assert spliced == []
    _assert_as_encoded_anew(folder, out, tmp_path)
    run_mod.run([str(folder)], out)  # the map is whole again
    assert len(spliced) == 12


def test_add_copies_the_kept_inputs(folder, tmp_path, spliced):
    out = tmp_path / "out"
    run_mod.run([str(folder)], out)
    new = tmp_path / "more"
    new.mkdir()
    (new / "extra.txt").write_text(plan(50, trad=True), encoding="utf-8")
    run_mod.add([str(new / "extra.txt")], out)
    assert len(spliced) == 12
    both = tmp_path / "both"
    shutil.copytree(folder, both)
    shutil.copy(new / "extra.txt", both)
    ref = tmp_path / "ref"
    run_mod.run([str(folder), str(new / "extra.txt")], ref, use_cache=False)
    mine, theirs = _outputs(out), _outputs(ref)
    assert [n for n in mine if mine[n] != theirs[n]] == []


def test_splicer_copies_adjacent_ranges_as_one_and_keeps_order(tmp_path):
    old = tmp_path / "old.bin"
    old.write_bytes(b"0123456789abcdef")
    new = tmp_path / "new.bin"
    with open(new, "wb") as f:
        s = shares_mod.Splicer(f, old)
        s.write(b"<")
        s.copy(2, 4)
        s.copy(4, 7)   # adjacent: one copy of 2..7
        assert s.pending == (2, 7) and s.pos == 6
        s.write(b"|")
        s.copy(10, 12)
        s.copy(0, 1)
        s.close()
        assert s.pos == len(b"<23456|ab0")
    assert new.read_bytes() == b"<23456|ab0"


def test_copies_of_a_text_are_numbered_in_run_order():
    from pipeline.identity import Registry

    r = Registry()
    got = [r.assign(base, lambda base=base: frozenset({ord(base[2])}))
           for base in ["p-aaaaaaaaaaaa", "p-bbbbbbbbbbbb", "p-aaaaaaaaaaaa", "p-aaaaaaaaaaaa", "p-bbbbbbbbbbbb"]]
    assert got == [("p-aaaaaaaaaaaa", None), ("p-bbbbbbbbbbbb", None), ("p-aaaaaaaaaaaa-2", "p-aaaaaaaaaaaa"),
                   ("p-aaaaaaaaaaaa-3", "p-aaaaaaaaaaaa"), ("p-bbbbbbbbbbbb-2", "p-bbbbbbbbbbbb")]
    assert r.duplicates == 3
