"""The comparison report: self-contained, escaped, and right about which plans are alike and where."""
from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

import pytest
from emit.sample import A_TEXT, B_TEXT, C_TEXT, SCRIPT, write_sample
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.compare import (
    align_units,
    compare,
    load_dataset,
    reused_passages,
    tfidf,
    top_pairs,
    units,
)
from pipeline.compare.fonts import find_cjk_font
from pipeline.compare.reuse import sentences
from pipeline.compare.timeline import place


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    d = tmp_path_factory.mktemp("report")
    write_sample(d)
    ds = load_dataset(d)
    a, b = ds.ids[0], ds.ids[1]
    path = compare(d, d / "report.html", plans=(a, b[:8]))
    return d, ds, path.read_text(encoding="utf-8")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(text: str) -> list[tuple[str, dict]]:
    p = _Tags()
    p.feed(text)
    return p.tags


def test_report_is_self_contained(built):
    _, _, text = built
    tags = _tags(text)
    for tag, attrs in tags:
        for key in ("src", "href", "data", "action", "poster"):
            value = (attrs.get(key) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//")), (tag, key, value)
        assert tag not in ("link", "iframe", "object", "embed")
    scripts = [a for t, a in tags if t == "script"]
    assert len(scripts) == 2 and not any("src" in a for a in scripts)  # plotly.js inline once + our figures
    assert text.count("Plotly.newPlot") >= 1
    assert "@import" not in text
    if find_cjk_font() is not None:
        assert re.search(r"@font-face \{ font-family: 'PlansCJK';[^}]*url\(data:font/woff;base64,", text)
    else:
        assert "No CJK font was found" in text


def test_script_in_plan_text_is_shown_as_text(built):
    _, _, text = built
    assert SCRIPT not in text
    assert html.escape(SCRIPT) in text
    assert 'alert(1)' not in "".join(a.get("onload", "") + a.get("onerror", "") for _, a in _tags(text))
    figures = json.loads(re.search(r"const PLANS_FIGURES = (.*?);\n", text, re.S).group(1))
    strings: list[str] = []

    def walk(v):
        if isinstance(v, str):
            strings.append(v)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(figures)
    assert strings and not any("<script" in s for s in strings)
    assert any("&lt;script&gt;" in s for s in strings)  # plotly renders the entity as text


def _ranking_rows(text: str) -> list[str]:
    table = re.search(r'<table class="ranking">.*?<tbody>(.*?)</tbody>', text, re.S).group(1)
    return re.findall(r"<tr>(.*?)</tr>", table, re.S)


def test_near_identical_pair_ranks_first(built):
    _, ds, text = built
    first = _ranking_rows(text)[0]
    assert "<b>P1</b>" in first and "<b>P2</b>" in first and "duplicate_of" in first
    pairs = top_pairs(tfidf([p["text"] for p in ds.plans]))
    assert (pairs[0].a, pairs[0].b) == (0, 1) and pairs[0].score > 0.7
    assert all(p.score < 0.3 for p in pairs[1:])


def test_shared_passages_have_offsets_that_round_trip_into_both_texts(built):
    _, ds, text = built
    a, b = ds.plan("P1"), ds.plan("P2")
    block = re.search(rf'<div class="pair" data-a="{a["plan_id"]}" data-b="{b["plan_id"]}">(.*?)</table>',
                      text, re.S).group(1)
    rows = re.findall(r'<tr class="passage" data-a-start="(\d+)" data-a-end="(\d+)" data-b-start="(\d+)" '
                      r'data-b-end="(\d+)">(.*?)</tr>', block, re.S)
    assert len(rows) >= 2
    for a0, a1, b0, b1, cells in rows:
        a0, a1, b0, b1 = map(int, (a0, a1, b0, b1))
        shown_a = html.unescape(re.search(r'<div class="ptext a-text">(.*?)</div>', cells, re.S).group(1))
        shown_b = html.unescape(re.search(r'<div class="ptext b-text"(?: hidden)?>(.*?)</div>', cells, re.S).group(1))
        assert shown_a == a["text"][a0:a1] and shown_b == b["text"][b0:b1]
        assert f"A [{a0}, {a1})" in cells and f"B [{b0}, {b1})" in cells
    assert max(int(r[1]) - int(r[0]) for r in rows) >= 40
    assert "通过专项整治，全面排查医院消防" in block


def test_side_by_side_aligns_the_tasks(built):
    _, ds, text = built
    a, b = ds.plan("P1"), ds.plan("P2")
    rows = align_units(units(a), units(b))
    pairs = {(r.a.key if r.a else None, r.b.key if r.b else None): r.score for r in rows}
    assert pairs[("t1", "t1")] > 0.9 and pairs[("t2", "t2")] > 0.9
    assert ("t3", "t3") not in pairs  # rewritten task: unpaired on both sides
    assert '<table class="side">' in text and "开展消防安全大排查" in text


def test_timelines_owners_and_rules_are_drawn(built):
    _, _, text = built
    for anchor in ("timeline", "owners", "rules", "side", "reuse", "similarity", "pairs"):
        assert f'<section id="{anchor}">' in text
    assert "month–day axis" in text  # the year-less phases get their own panel
    assert "500–1000 元" in text


def test_errors_name_the_problem(tmp_path):
    with pytest.raises(FileNotFoundError):
        compare(tmp_path, tmp_path / "r.html")
    write_sample(tmp_path)
    with pytest.raises(KeyError):
        compare(tmp_path, tmp_path / "r.html", plans=("P1", "p-nope"))
    assert not (tmp_path / "r.html").exists()


def test_a_single_plan_without_a_font_gives_a_report(tmp_path, monkeypatch):
    monkeypatch.setattr("pipeline.compare.report.embed_font", lambda chars: None)
    path = write_sample(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").splitlines()[2] + "\n", encoding="utf-8")
    text = compare(tmp_path, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Fewer than two plans" in text and html.escape(SCRIPT) in text
    assert "No CJK font was found" in text and "@font-face" not in text


# ------------------------------------------------------------------ reuse and timeline units


def test_passages_between_unrelated_texts_are_none():
    assert reused_passages(A_TEXT, C_TEXT) == []


def test_identical_texts_are_one_reused_text():
    ps = reused_passages(A_TEXT, A_TEXT)
    assert sum(p.a_end - p.a_start for p in ps) > 0.9 * len(A_TEXT)
    assert all(p.identical and p.a_start == p.b_start for p in ps)


def test_sentences_have_offsets():
    for s, e in sentences(B_TEXT):
        piece = B_TEXT[s:e]
        assert piece == piece.strip() and "。" not in piece and "\n" not in piece


_pieces = st.sampled_from([line for line in (A_TEXT + "\n" + C_TEXT).split("\n") if line])


@settings(max_examples=25, deadline=None)
@given(st.lists(_pieces, min_size=1, max_size=8), st.lists(_pieces, min_size=1, max_size=8),
       st.text(alphabet="，。甲乙丙丁\n", max_size=6))
def test_passage_offsets_round_trip_and_do_not_overlap(xs, ys, noise):
    a = "\n".join(xs)
    b = noise + "\n".join(reversed(ys)) + noise
    ps = reused_passages(a, b)
    for p in ps:
        assert a[p.a_start:p.a_end] == p.a_text and b[p.b_start:p.b_end] == p.b_text
        assert 0 < p.score <= 1
    spans = sorted((p.a_start, p.a_end) for p in ps)
    assert all(x[1] <= y[0] for x, y in zip(spans, spans[1:]))


@pytest.mark.parametrize("first, last, inconsistent, expected", [
    ("2021-03-01", "2021-03-31", False, ("calendar", "2021-03-01", "2021-03-31")),
    ("XXXX-03-01", "XXXX-03-31", False, ("relative", "2000-03-01", "2000-03-31")),
    ("XXXX-12-11", "XXXX-01-31", False, ("relative", "2000-12-11", "2001-01-31")),
    ("XXXX-05-01", "XXXX-04-10", True, ("relative", "2000-04-10", "2000-05-01")),
    ("2021-12-11", "XXXX-01-31", False, ("calendar", "2021-12-11", "2022-01-31")),
    (None, "2021-06-30", False, ("calendar", "2021-06-30", "2021-06-30")),
    ("XXXX-02-29", None, False, ("relative", "2000-02-29", "2000-02-29")),
    (None, None, False, ("undated", None, None)),
    ("2021-02-30", "2021-03-01", False, ("undated", None, None)),
])
def test_phases_are_placed_on_their_axis(first, last, inconsistent, expected):
    axis, x0, x1 = place(first, last, inconsistent)
    assert (axis, x0 and x0.isoformat(), x1 and x1.isoformat()) == expected
