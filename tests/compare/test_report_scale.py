"""The report of many plans: the top pairs and clusters instead of a heatmap, caps that say what they leave out,
a font that covers every character even when made in parts, and the same content for any number of processes."""
from __future__ import annotations

import html
import json
import re

import pandas as pd
import pytest
from compare.families import family_texts, write_dataset
from emit.sample import write_sample

from pipeline.compare import compare, load_dataset, owners, rules, similarity, tfidf, top_pairs
from pipeline.compare import report as rp


def _figures(text: str) -> list[dict]:
    return json.loads(re.search(r"const PLANS_FIGURES = (.*?);\n", text, re.S).group(1))


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    out = write_dataset(tmp_path_factory.mktemp("many"), family_texts(25))  # 75 plans > HEATMAP_MAX
    return out, load_dataset(out), compare(out, out / "report.html").read_text(encoding="utf-8")


def test_many_plans_get_the_best_cosines_instead_of_a_heatmap(many):
    _, ds, text = many
    assert len(ds) > similarity.HEATMAP_MAX
    traces = [t["type"] for f in _figures(text) for t in f["figure"]["data"]]
    assert "heatmap" not in traces[:1] and traces[0] == "bar"
    bars = _figures(text)[0]["figure"]["data"][0]
    assert sum(bars["y"]) == len(ds)                       # every plan counted once, by its best cosine
    assert f"{len(ds)} plans, more than a heatmap shows" in text


def test_the_ranking_is_the_similarity_searchs_best_pairs(many):
    _, ds, text = many
    best = top_pairs(tfidf([p["text"] for p in ds.plans]), k=rp.TOP_PAIRS)
    table = re.search(r'<table class="ranking">.*?<tbody>(.*?)</tbody>', text, re.S).group(1)
    shown = re.findall(r"<tr><td class=\"num\">\d+</td><td><b>(P\d+)</b>.*?<td><b>(P\d+)</b>", table, re.S)
    assert shown == [(ds.codes[ds.ids[p.a]], ds.codes[ds.ids[p.b]]) for p in best]


def test_clusters_are_listed_with_a_bound_on_members(many):
    _, ds, text = many
    groups = similarity.clusters(len(ds), top_pairs(tfidf([p["text"] for p in ds.plans]), k=len(ds) * 10))
    assert groups and max(map(len, groups)) > rp.MAX_CLUSTER_MEMBERS
    block = re.search(r"near-duplicate clusters</h3>.*?<ol>(.*?)</ol>", text, re.S).group(1)
    items = re.findall(r"<li>(.*?)</li>", block, re.S)
    assert len(items) == len(groups)
    for g, item in zip(groups, items):
        assert item.count("<b>P") == min(len(g), rp.MAX_CLUSTER_MEMBERS)
        assert (f"{len(g) - rp.MAX_CLUSTER_MEMBERS} more" in item) == (len(g) > rp.MAX_CLUSTER_MEMBERS)


def _ranges(css: str) -> list[set[int]] | None:
    """Per @font-face rule its code points (`unicode-range`), or None for a rule without one (all)."""
    out = []
    for rule in re.findall(r"@font-face \{(.*?)\}", css, re.S):
        m = re.search(r"unicode-range: ([^;]*);", rule)
        if not m:
            out.append(None)
            continue
        points: set[int] = set()
        for part in m.group(1).split(", "):
            lo, _, hi = part[2:].partition("-")
            points |= set(range(int(lo, 16), int(hi or lo, 16) + 1))
        out.append(points)
    return out


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_font_covers_every_character_of_the_page(tmp_path, jobs):
    out = write_dataset(tmp_path / "ds", family_texts(4))
    text = compare(out, out / "r.html", jobs=jobs).read_text(encoding="utf-8")
    style = re.search(r"<style>(.*?)</style>", text, re.S).group(1)
    if "@font-face" not in style:
        pytest.skip("no CJK font on this machine")
    ranges = _ranges(style)
    body = html.unescape(re.sub(r"<[^>]+>", "", text[text.index("<body>"):text.index("<script>")]))
    wanted = {ord(c) for c in body if c.isprintable() and c != " " and ord(c) >= 0x2E80}
    if None in ranges:
        assert len(ranges) == 1                              # one subset of everything
    else:
        assert len(ranges) > 1 and wanted <= set().union(*ranges)
        assert all(not (a & b) for i, a in enumerate(ranges) for b in ranges[i + 1:])  # each character once


def test_the_report_says_the_same_for_any_number_of_processes(tmp_path):
    pages = []
    for jobs in (1, 2):
        out = write_dataset(tmp_path / f"j{jobs}", family_texts(5))
        text = compare(out, out / "r.html", jobs=jobs).read_text(encoding="utf-8")
        main = text[text.index("<main>"):text.index("</main>")].replace(str(out), "DIR")
        pages.append((main, _figures(text)))
    assert pages[0] == pages[1]


def test_plain_counts_are_what_pandas_counts(tmp_path):
    write_sample(tmp_path)
    ds = load_dataset(tmp_path)
    rows = [{"owner": o, "code": ds.codes[p["plan_id"]]} for p in ds.plans for t in p.get("tasks") or []
            for o in t.get("owners") or []]
    ref = pd.crosstab(pd.DataFrame(rows)["owner"], pd.DataFrame(rows)["code"])
    found, codes, counts = owners.owner_counts(ds)
    assert sorted(found) == sorted(ref.index) and sorted(codes) == sorted(ref.columns)
    assert all(counts[i][j] == ref.loc[o, c] for i, o in enumerate(found) for j, c in enumerate(codes))
    assert owners.owner_matrix(ds).values.tolist() == counts
    codes, mods, counts = rules.modality_table(ds)
    ref = pd.crosstab(*(pd.Series([x[k] for x in (
        (ds.codes[p["plan_id"]], r["modality"]) for p in ds.plans for r in p["rules"])]) for k in (0, 1)))
    assert all(counts[i][j] == ref.loc[c, m] for i, c in enumerate(codes) for j, m in enumerate(mods))
    assert rules.rule_amounts(ds).to_dict("records") == rules.amount_rows(ds)


def test_a_slim_dataset_reads_whole_plans_again_when_asked(tmp_path):
    write_sample(tmp_path)
    slim, whole = load_dataset(tmp_path, slim_plans=True), load_dataset(tmp_path)
    assert [p["text"] for p in slim.plans] == [p["text"] for p in whole.plans]
    assert "sections" not in slim.plans[0] and "original_text" not in slim.plans[0]
    assert slim.full("P1") == whole.plan("P1")
    assert [t["owners"] for t in slim.plans[0]["tasks"]] == [t["owners"] for t in whole.plans[0]["tasks"]]
