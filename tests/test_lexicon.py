"""models/: every cue file loads (no empty group, no duplicate) and is written in simplified script."""
from pathlib import Path

import pytest

from pipeline import lexicon, settings
from pipeline.script import t2s

CUE_FILES = sorted(Path(settings.MODELS_DIR).glob("*/*.txt"))


@pytest.mark.parametrize("path", CUE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_cue_file_loads_and_is_simplified(path):
    rel = f"{path.parent.name}/{path.name}"
    if path.parent.name == "patterns":
        entries = list(lexicon.regexes(path.stem).values())
    else:
        entries = [e for group in lexicon.table(rel).values() for e in group]
    assert entries
    for entry in entries:
        assert t2s(entry) == entry, f"{rel}: {entry!r} is not simplified"


def test_empty_group_and_duplicates_are_refused(tmp_path, monkeypatch):
    (tmp_path / "cues").mkdir()
    (tmp_path / "cues" / "empty.txt").write_text("[a]\n[b]\n甲\n", encoding="utf-8")
    (tmp_path / "cues" / "dup.txt").write_text("[a]\n甲\n甲\n", encoding="utf-8")
    monkeypatch.setattr(settings, "MODELS_DIR", tmp_path)
    lexicon.table.cache_clear()
    try:
        with pytest.raises(lexicon.LexiconError, match="empty"):
            lexicon.groups("empty")
        with pytest.raises(lexicon.LexiconError, match="duplicate"):
            lexicon.groups("dup")
    finally:
        lexicon.table.cache_clear()


def test_alternation_is_longest_first():
    assert lexicon.alternation(["牵头", "牵头单位"]).startswith("(?:牵头单位|牵头")
    with pytest.raises(lexicon.LexiconError):
        lexicon.alternation([])
