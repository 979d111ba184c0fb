"""The comparison report: self-contained, escaped, and right about which plans are alike and where."""
from __future__ import annotations

import html
import json
import re
from datetime import date
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
from pipeline.compare.rules import amount_summary
from pipeline.compare.timeline import month_ticks, phase_bars, place, timeline_figure


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
    assert "each plan on its own year" in text  # one timeline, plans of 2021, 2022 and of no year side by side
    assert "500–1000 元" in text


def _variant(tmp_path, edit):
    """The sample dataset with its plans.jsonl lines changed by `edit(list of plans)`."""
    d = tmp_path / "variant"
    write_sample(d)
    plans = [json.loads(line) for line in (d / "plans.jsonl").read_text(encoding="utf-8").splitlines()]
    plans = edit(plans)
    (d / "plans.jsonl").write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in plans),
                                   encoding="utf-8")
    return d


def test_plans_are_named_by_title_else_issuer_and_file_never_a_first_line(tmp_path):
    def untitle(plans):
        plans[0] = {**plans[0], "title": None}                       # issuer known
        plans[2] = {**plans[2], "title": None, "issuer": None}       # neither
        plans[3] = {**plans[3], "title": None, "issuer": None,       # the ninth plan of a long file name
                    "source": {**plans[3]["source"], "path": "x/004_fa22cc0aab637425.txt", "part": 9, "parts": 14}}
        return plans

    ds = load_dataset(_variant(tmp_path, untitle))
    a, c = ds.ids[0], ds.ids[2]
    assert ds.name(a) == "某市第一人民医院 · a.txt" and ds.name(c) == "c.txt"
    first_lines = {(p["text"].strip().splitlines() or [""])[0] for p in ds.plans}
    assert not {ds.name(pid) for pid in ds.ids} & first_lines - {p["title"] for p in ds.plans}
    assert ds.label(a, 8) == "P1 某市第… · a.txt"
    assert ds.name(ds.ids[3]) == "004_fa22cc0aab637425.txt #9/14" and ds.label(ds.ids[3], 14) == "P4 004_fa2…#9/14"


def test_exact_copies_are_listed_once_with_their_original(tmp_path):
    def copy(plans):
        dup = {**plans[0], "plan_id": plans[0]["plan_id"] + "-2", "duplicate_of": plans[0]["plan_id"],
               "source": {**plans[0]["source"], "path": "fixtures/zz-copy.txt"}}
        return [*plans, dup]

    d = _variant(tmp_path, copy)
    ds = load_dataset(d)
    assert len(ds) == 4 and [c["plan_id"] for c in ds.copies[ds.ids[0]]] == [ds.ids[0] + "-2"]
    text = compare(d, d / "report.html").read_text(encoding="utf-8")
    row = re.search(r"<tr><td>P1</td>.*?</tr>", text, re.S).group(0)
    assert "zz-copy.txt" in row                               # in its original's row
    figures = json.loads(re.search(r"const PLANS_FIGURES = (.*?);\n", text, re.S).group(1))
    heatmap = figures[0]["figure"]["data"][0]
    assert len(heatmap["x"]) == 4                              # compared once
    assert "<b>P5</b>" not in text


def test_the_timeline_puts_each_plan_on_its_own_year(built):
    _, ds, text = built
    bars = phase_bars(ds)
    by_plan = {b.code: b for b in bars if b.order == 1}
    # a 2021 plan, a 2022 plan and a plan of unknown year all start in March: at the same place on the axis
    assert {b.year for b in bars if b.code in ("P1", "P2")} == {2021, 2022}
    assert by_plan["P1"].a0 == by_plan["P2"].a0 == by_plan["P3"].a0 == date(2000, 3, 1)
    assert by_plan["P1"].x0 == date(2021, 3, 1)                 # the real day stays for the hover
    fig = timeline_figure(ds, bars)
    assert fig.layout.xaxis.ticktext[0] == "3月" and len(fig.data) == 3
    assert month_ticks(date(2000, 11, 1), date(2001, 2, 1))[1] == ["11月", "12月", "次年1月", "次年2月"]


def test_notes_are_in_chinese_too_and_zero_counts_differ_from_one(built):
    _, _, text = built
    notes = re.findall(r'<p class="note">(.*?)</p>', text, re.S)
    assert notes and all(re.search(r"[\u4e00-\u9fff]", n) for n in notes)
    assert '<td class="num zero">0</td>' in text
    figures = json.loads(re.search(r"const PLANS_FIGURES = (.*?);\n", text, re.S).group(1))
    owners = next(f["figure"] for f in figures if "任务" in json.dumps(f["figure"]["layout"]["title"],
                                                                     ensure_ascii=False)
                  and f["figure"]["data"][0]["type"] == "heatmap")
    z = [v for row in owners["data"][0]["z"] for v in row]
    assert None in z and 0 not in z and owners["data"][0]["zmin"] == 1  # a blank cell is none, 1 is coloured


def test_the_page_carries_the_partial_plotly_bundle(built):
    _, _, text = built
    assert "plotly.js (cartesian - minified)" in text and len(text.encode("utf-8")) < 2_500_000


def test_sanction_amounts_are_summed_up_per_unit(tmp_path):
    def units(plans):
        rules = [dict(r) for r in plans[0]["rules"]]
        k = next(i for i, r in enumerate(rules) if r["amounts"])  # the sanction with an amount: another unit too
        rules[k]["amounts"] = [{"value": 500, "upto": 1000, "unit": "元"}, {"value": 2, "upto": None, "unit": "分"}]
        plans[0] = {**plans[0], "rules": rules}
        return plans

    ds = load_dataset(_variant(tmp_path, units))
    summary = amount_summary(ds)
    p1 = summary[summary["code"] == "P1"]
    assert sorted(p1["unit"]) == ["元", "分"]
    assert p1.set_index("unit").loc["元", "highest"] == 1000 and p1.set_index("unit").loc["分", "highest"] == 2


def test_errors_name_the_problem(tmp_path):
    with pytest.raises(FileNotFoundError):
        compare(tmp_path, tmp_path / "r.html")
    write_sample(tmp_path)
    with pytest.raises(KeyError):
        compare(tmp_path, tmp_path / "r.html", plans=("P1", "p-nope"))
    assert not (tmp_path / "r.html").exists()


def test_a_single_plan_without_a_font_gives_a_report(tmp_path, monkeypatch):
    monkeypatch.setattr("pipeline.compare.report.embed_font", lambda chars, **how: None)
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


def test_charts_label_every_plan_and_owner(built):
    """Plotly drops every other category label once they crowd; the report asks for each one (heatmaps, the
    rules bars), upright past 30 columns."""
    import plotly.graph_objects as go

    from pipeline.compare.report import _every_label

    _, _, text = built
    figures = json.loads(re.search(r"const PLANS_FIGURES = (.*?);\n", text, re.S).group(1))
    heat = [f["figure"] for f in figures if f["figure"]["data"][0]["type"] == "heatmap"]
    assert len(heat) == 2  # plan × plan similarity, owners × plans
    for fig in heat:
        assert fig["layout"]["xaxis"]["dtick"] == 1 and fig["layout"]["yaxis"]["dtick"] == 1
        assert fig["layout"]["xaxis"]["tickangle"] == -45
    bars = [f["figure"] for f in figures if "rules per modality" in f["figure"]["layout"]["title"]["text"]]
    assert len(bars) == 1 and bars[0]["layout"]["xaxis"]["dtick"] == 1
    wide = go.Figure(go.Heatmap(z=[list(range(40))]))
    _every_label(wide, 40)
    assert wide.layout.xaxis.tickangle == -90
