"""`report.html`: one self-contained, offline comparison report of a run's plans.

Self-contained: plotly.js is inlined once, the charts' data are inline JSON, the CJK font is an embedded subset
(`fonts.py`); nothing is fetched from the network. Safe: document text is untrusted, so every text that reaches
the page is HTML-escaped (`html.escape`), including every text given to plotly (which renders entities as
text), and the inline JSON has `<`, `>` and `&` as `\\u` escapes, so no text can close a `<script>`.
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..emit import atomic_write
from . import align, owners, reuse, reuse_table, rules, similarity, timeline
from . import fonts
from .fonts import FONT_STACK, EmbeddedFont, embed_font
from .load import Dataset, EmptyDataset, load_dataset, plot_text, short
from .vectors import tfidf_matrix

TOP_PAIRS = 20
DETAIL_PAIRS = reuse_table.TOP_PAIRS          # the pairs whose passages the report shows
DETAIL_MIN_SCORE = reuse_table.TOP_MIN_COSINE
TOP_REUSE = 20                                # rows of reuse_pairs summed up per pair
MAX_PASSAGES = 60
MAX_PLANS_TABLE = 500
MAX_CLUSTERS = 30
MAX_CLUSTER_MEMBERS = 12
MAX_RULE_PLANS = 60
MAX_AMOUNT_ROWS = 200
TITLE = "方案比较报告 · Plan comparison report"

e = html.escape

MODALITY_NAMES = {"prohibition": "禁止 prohibition", "obligation": "义务 obligation",
                  "sanction": "惩处 sanction", "reward": "奖励 reward"}
MODALITY_COLORS = {"prohibition": "#c0392b", "obligation": "#2e86c1", "sanction": "#8e44ad", "reward": "#27ae60"}

CSS = """
:root { --ink:#1d2733; --muted:#5d6d7e; --line:#d5dbe1; --bg:#f7f9fb; --a:#fdf2e9; --b:#eaf2f8; }
* { box-sizing: border-box; }
body { font-family: FONTS; color: var(--ink); margin: 0; background: #fff; line-height: 1.55; }
header { background: #17324d; color: #fff; padding: 18px 28px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; color: #c9d6e3; font-size: 13px; }
nav { padding: 8px 28px; background: var(--bg); border-bottom: 1px solid var(--line); font-size: 13px; }
nav a { margin-right: 14px; color: #17324d; }
main { padding: 6px 28px 40px; max-width: 1500px; }
section { margin-top: 26px; }
h2 { font-size: 18px; border-bottom: 2px solid #17324d; padding-bottom: 3px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0; }
th, td { border: 1px solid var(--line); padding: 3px 7px; vertical-align: top; text-align: left; }
th { background: var(--bg); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.note { color: var(--muted); font-size: 13px; }
.warn { background: #fff4e5; border: 1px solid #f0b36b; padding: 8px 12px; font-size: 13px; }
.ptext { white-space: pre-wrap; max-height: 18em; overflow: auto; }
.diff { border-top: 1px dashed var(--line); margin-top: 2px; }
.a-text { background: var(--a); }
.b-text { background: var(--b); }
.off { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-size: 12px; white-space: nowrap; }
del { background: #f5b7b1; text-decoration: line-through; }
ins { background: #abebc6; text-decoration: none; }
.fig { width: 100%; }
.side td { width: 45%; }
.side td.score { width: 10%; text-align: center; }
.owners { color: var(--muted); font-size: 12px; }
td.zero { color: #c5ccd3; }
.note .en { color: #7f8c8d; }
"""

SCRIPT = """
function plansDraw() {
  for (const f of PLANS_FIGURES) {
    const el = document.getElementById(f.id);
    if (el) Plotly.newPlot(el, f.figure.data, f.figure.layout, {displaylogo: false, responsive: true});
  }
}
if (document.fonts && document.fonts.load) {
  document.fonts.load("16px PlansCJK", "计划").then(plansDraw, plansDraw);
} else { plansDraw(); }
"""


# plotly.js's "cartesian" partial bundle (bar, heatmap, scatter…: every trace the report draws), 1.5 MB against
# the 4.6 MB of the full bundle that the plotly package ships: npm `plotly.js-cartesian-dist-min`, MIT (its
# licence header is kept in the file), stored gzipped beside this module (package data)
PARTIAL_BUNDLE = "plotly-cartesian-{version}.min.js.gz"
TRACES = {"bar", "heatmap", "scatter"}  # what the report's figures use; the partial bundle has them all


def plotly_js(traces: set[str] | None = None) -> tuple[str, str]:
    """(the plotly.js to inline, what it is): the partial bundle when it matches the plotly.js version of the
    installed plotly package and has every trace type used, else that package's full bundle."""
    from importlib import resources

    from plotly.offline import get_plotlyjs, get_plotlyjs_version

    version = get_plotlyjs_version()
    ref = resources.files(__package__) / PARTIAL_BUNDLE.format(version=version)
    if ref.is_file() and (traces or set()) <= TRACES:
        import gzip

        return gzip.decompress(ref.read_bytes()).decode("utf-8"), f"plotly.js {version} (cartesian bundle)"
    return get_plotlyjs(), f"plotly.js {version}"


def safe_json(value) -> str:
    """JSON for inline `<script>`: `<`, `>`, `&`, U+2028/9 escaped, so text cannot end the script."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@dataclass
class _Page:
    """What the report collects while it is built: body parts and figures (ids `fig-{prefix}{n}`)."""

    prefix: str = ""
    parts: list[str] = field(default_factory=list)
    figures: list[tuple[str, object]] = field(default_factory=list)
    nav: list[tuple[str, str]] = field(default_factory=list)
    _json: list | None = None

    def figure_json(self) -> list[tuple[str, object]]:
        """The figures as plotly JSON (made once: the page must be complete)."""
        if self._json is None:
            import plotly.io as pio

            self._json = [(fid, json.loads(pio.to_json(fig, validate=False))) for fid, fig in self.figures]
        return self._json

    def section(self, anchor: str, title: str) -> None:
        self.nav.append((anchor, title))
        self.parts.append(f'<section id="{anchor}"><h2>{e(title)}</h2>')

    def end(self) -> None:
        self.parts.append("</section>")

    def add(self, html_text: str) -> None:
        self.parts.append(html_text)

    def figure(self, fig) -> None:
        if fig is None:
            return
        fid = f"fig-{self.prefix}{len(self.figures) + 1}"
        fig.update_layout(font_family=FONT_STACK)
        self.figures.append((fid, fig))
        self.parts.append(f'<div class="fig" id="{fid}"></div>')


def _table(headers: list[str], rows: list[list[str]], cls: str = "") -> str:
    """An HTML table; `rows` cells are already-escaped HTML."""
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(rows_cell for rows_cell in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _td(text, cls: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    return f"<td{c}>{e(str(text))}</td>"


def _plan_ref(ds: Dataset, pid: str, n: int = 28) -> str:
    return f'<b>{e(ds.codes[pid])}</b> {e(ds.short_name(pid, n))}'


# ------------------------------------------------------------------ sections


def _note(zh: str, en: str) -> str:
    """A note in Chinese, then English (both already-escaped HTML)."""
    return f'<p class="note">{zh}<br><span class="en">{en}</span></p>'


def _count(n: int) -> str:
    """A count cell: zero shown faint, so it stands apart from one."""
    return '<td class="num zero">0</td>' if not n else f'<td class="num">{n}</td>'


def _plans_section(page: _Page, ds: Dataset) -> None:
    page.section("plans", "方案一览 · Plans")
    n_copies = sum(len(c) for c in ds.copies.values())
    if n_copies:
        page.add(_note(f"完全相同的副本（同一文本）不再单列，也不参与比较：{n_copies} 份副本列在其原件一行的“副本”栏。",
                       f"Exact copies (the same text) are not listed or compared again: {n_copies} "
                       f"cop{'y is' if n_copies == 1 else 'ies are'} shown in the original's row, under “copies”."))
    rows = []
    for p in ds.plans[:MAX_PLANS_TABLE]:
        pid = p["plan_id"]
        dup = p.get("duplicate_of")
        copies = "<br>".join(e(ds.source(c["plan_id"])) for c in ds.copies.get(pid, []))
        rows.append([_td(ds.codes[pid]), f'<td class="off">{e(pid)}</td>', _td(short(ds.name(pid), 60)),
                     _td(ds.source(pid)), f"<td>{copies}</td>",
                     _td(len(p.get("text") or ""), "num"), _count(len(p.get("tasks") or [])),
                     _count(len(p.get("phases") or [])), _count(len(p.get("rules") or [])),
                     _td(ds.codes.get(dup, dup) if dup else "")])
    page.add(_table(["code", "标题（无标题：发文单位 · 文件）title, else issuer · file", "plan_id", "来源 source",
                     "副本 copies", "字数 chars", "任务 tasks", "阶段 phases", "规则 rules",
                     "近似重复于 duplicate_of"], [[r[0], r[2], r[1], *r[3:]] for r in rows]))
    if len(ds) > MAX_PLANS_TABLE:
        page.add(_note(f"另有 {len(ds) - MAX_PLANS_TABLE} 个方案未列出。",
                       f"{len(ds) - MAX_PLANS_TABLE} more plans not listed."))
    page.end()


def _every_label(fig, columns: int, angle: int = -45) -> None:
    """Label every column (plotly drops every other category label once they crowd), turned upright past 30
    columns so they do not overlap; for a heatmap every row too."""
    if any(t.type == "heatmap" for t in fig.data):
        fig.update_yaxes(autorange="reversed", automargin=True, dtick=1)
    fig.update_xaxes(automargin=True, dtick=1, tickangle=-90 if columns > 30 else angle)


def _heatmap(ds: Dataset, x, members: list[int]):
    import plotly.graph_objects as go

    sim = similarity.similarity_matrix(x, members)
    ids = [ds.ids[i] for i in members]
    labels = [plot_text(ds.label(pid, 8)) for pid in ids]
    names = [plot_text(short(ds.name(pid), 60)) for pid in ids]
    custom = [[f"{names[r]}<br>× {names[c]}" for c in range(len(ids))] for r in range(len(ids))]
    fig = go.Figure(go.Heatmap(
        z=sim.round(3).tolist(), x=labels, y=labels, customdata=custom, zmin=0, zmax=1, colorscale="Blues",
        texttemplate="%{z:.2f}" if len(ids) <= 25 else None, colorbar=dict(title=dict(text="cosine")),
        hovertemplate="%{customdata}<br>cosine %{z:.3f}<extra></extra>"))
    size = max(420, 26 * len(ids) + 220)
    fig.update_layout(height=size, margin=dict(l=10, r=10, t=40, b=10), template="plotly_white",
                      title=dict(text="方案相似度（TF-IDF 余弦）· plan × plan similarity", font=dict(size=14)))
    _every_label(fig, len(ids))
    return fig


def _nearest_figure(ds: Dataset, pairs: list[similarity.Pair]):
    """Bars: how many plans have their most similar other plan at each cosine (steps of 0.1)."""
    import numpy as np
    import plotly.graph_objects as go

    best = similarity.nearest(len(ds), pairs)
    counts = np.bincount(np.minimum((best * 10).astype(int), 9), minlength=10)
    labels = [f"{k / 10:.1f}–{(k + 1) / 10:.1f}" for k in range(10)]
    fig = go.Figure(go.Bar(x=labels, y=counts.tolist(), marker_color="#2e86c1",
                           hovertemplate="%{x}: %{y} 个方案 plans<extra></extra>"))
    fig.update_layout(height=340, margin=dict(l=10, r=10, t=40, b=10), template="plotly_white",
                      title=dict(text="每个方案与最相似方案的余弦 · each plan's best cosine with another plan",
                                 font=dict(size=14)),
                      xaxis_title="cosine", yaxis_title="方案 plans")
    return fig


def _similarity_section(page: _Page, ds: Dataset, x, pairs: list[similarity.Pair]) -> None:
    page.section("similarity", "相似度 · Similarity and near-duplicates")
    if len(ds) < 2:
        page.add(_note("不足两个方案，无可比较。", "Fewer than two plans: nothing to compare."))
        page.end()
        return
    if len(ds) <= similarity.HEATMAP_MAX:
        page.figure(_heatmap(ds, x, list(range(len(ds)))))
    else:
        page.add(_note(f"{len(ds)} 个方案，超过热图上限（{similarity.HEATMAP_MAX}）：下图为各方案与其最相似方案的余弦分布，"
                       "最相似的方案对见下一节，近似重复聚类见下表。",
                       f"{len(ds)} plans, more than a heatmap shows ({similarity.HEATMAP_MAX}): below, how similar "
                       "each plan's closest other plan is; the most similar pairs follow in the next section, "
                       "near-duplicate clusters in the list below."))
        page.figure(_nearest_figure(ds, pairs))
    index = {pid: i for i, pid in enumerate(ds.ids)}
    links = [(index[p["duplicate_of"]], i) for i, p in enumerate(ds.plans)
             if p.get("duplicate_of") in index]
    groups = similarity.clusters(len(ds), pairs, links=links)
    page.add(f"<h3>{e('近似重复聚类 · near-duplicate clusters')}</h3>")
    page.add(_note(f"余弦相似度 ≥ {similarity.DUPLICATE_COSINE}，或由运行结果的 <code>duplicate_of</code> 相连的方案。",
                   f"Connected plans with cosine ≥ {similarity.DUPLICATE_COSINE} or linked by the run's "
                   "<code>duplicate_of</code>."))
    if not groups:
        page.add(_note("无。", "None."))
    else:
        def members(g: list[int]) -> str:
            refs = "，".join(_plan_ref(ds, ds.ids[i]) for i in g[:MAX_CLUSTER_MEMBERS])
            more = len(g) - MAX_CLUSTER_MEMBERS
            size = f'<span class="note">{len(g)} 个 · {len(g)} plans：</span>' if len(ds) > similarity.HEATMAP_MAX else ""
            return size + refs + (f' <span class="note">… 另 {more} 个 · {more} more</span>' if more > 0 else "")

        items = "".join(f"<li>{members(g)}</li>" for g in groups[:MAX_CLUSTERS])
        page.add(f"<ol>{items}</ol>")
        if len(groups) > MAX_CLUSTERS:
            rest = groups[MAX_CLUSTERS:]
            page.add(_note(f"另有 {len(rest)} 个聚类（共 {sum(map(len, rest))} 个方案）未列出。",
                           f"{len(rest)} more clusters ({sum(map(len, rest))} plans) not listed."))
    page.end()


def _pair_flags(ds: Dataset, a: str, b: str) -> str:
    pa, pb = ds.plan(a), ds.plan(b)
    return "duplicate_of" if pa.get("duplicate_of") == b or pb.get("duplicate_of") == a else ""


def _ranking_section(page: _Page, ds: Dataset, pairs: list[similarity.Pair],
                     reuse_by_pair: dict[tuple[int, int], reuse_table.PairReuse]) -> None:
    page.section("pairs", "最相似的方案对 · Most similar pairs")
    if not pairs:
        page.add(_note("没有可比较的方案对。", "No pairs."))
        page.end()
        return
    rows = []
    for rank, p in enumerate(pairs[:TOP_PAIRS], 1):
        a, b = ds.ids[p.a], ds.ids[p.b]
        found = reuse_by_pair.get((p.a, p.b))
        cov_text = f"{found.a_share:.0%} / {found.b_share:.0%}" if found else "—"
        rows.append([_td(rank, "num"), f"<td>{_plan_ref(ds, a)}</td>", f"<td>{_plan_ref(ds, b)}</td>",
                     _td(f"{p.score:.3f}", "num"), _td(cov_text, "num"), _td(_pair_flags(ds, a, b))])
    page.add(_table(["#", "方案 A", "方案 B", "余弦 cosine", "重复部分占 A / B · reused share of A / B",
                     "运行关联 run link"], rows, "ranking"))
    page.end()


def _passage_rows(ds: Dataset, passages: list[reuse.Passage]) -> str:
    rows = []
    for k, ps in enumerate(passages[:MAX_PASSAGES], 1):
        b_div = f'<div class="ptext b-text" hidden>{e(ps.b_text)}</div>'
        if not ps.identical:
            b_div += ('<div class="ptext diff" title="A → B: struck = only in A, green = only in B">' + "".join(
                e(t) if op == "same" else f"<{op}>{e(t)}</{op}>" for op, t in reuse.diff_segments(ps.a_text, ps.b_text))
                + "</div>")
        rows.append(
            f'<tr class="passage" data-a-start="{ps.a_start}" data-a-end="{ps.a_end}" '
            f'data-b-start="{ps.b_start}" data-b-end="{ps.b_end}">'
            f'<td class="num">{k}</td>'
            f'<td class="off">A [{ps.a_start}, {ps.a_end})<br>B [{ps.b_start}, {ps.b_end})</td>'
            f'<td class="num">{ps.score:.2f}{"" if ps.identical else "<br>≠"}</td>'
            f'<td><div class="ptext a-text">{e(ps.a_text)}</div>{b_div}</td></tr>')
    more = len(passages) - MAX_PASSAGES
    tail = _note(f"另有 {more} 段未显示。", f"{more} more passages not shown.") if more > 0 else ""
    return ('<table class="passages"><thead><tr><th>#</th><th>offsets [start, end)</th><th>score</th>'
            '<th>passage in A (below: the edits from A to B, where they differ)</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table>" + tail)


def _reuse_section(page: _Page, ds: Dataset, analysis: Analysis, table_files: list[str]) -> None:
    page.section("reuse", "重复使用的段落 · Reused passages")
    page.add(_note("针对最相似的几对方案：先按字符 n-gram TF-IDF 找出相近的句子，再逐字对齐（difflib）。"
                   "偏移量 <code>[start, end)</code> 指向 <code>plans.jsonl</code> 中各方案的 <code>text</code>。",
                   "For the most similar pairs: sentences found by character n-gram TF-IDF, then aligned character "
                   "by character (difflib). Offsets are <code>[start, end)</code> into each plan's <code>text</code> "
                   "in <code>plans.jsonl</code>."))
    _reuse_table_summary(page, ds, analysis, table_files)
    detail = analysis.detail()
    if not detail:
        page.add(_note("没有足够相似的方案对。", "No pair similar enough."))
    for r in detail:
        p, passages = r.pair, r.passages
        a, b = ds.ids[p.a], ds.ids[p.b]
        page.add(f'<div class="pair" data-a="{e(a)}" data-b="{e(b)}">'
                 f"<h3>{_plan_ref(ds, a, 40)} ↔ {_plan_ref(ds, b, 40)}</h3>"
                 + _note(f"余弦 {p.score:.3f}；{len(passages)} 段；重复部分占 A 的 {r.a_share:.0%}、B 的 {r.b_share:.0%}。",
                         f"cosine {p.score:.3f}; {len(passages)} passages; reused share "
                         f"{r.a_share:.0%} of A, {r.b_share:.0%} of B."))
        page.add(_passage_rows(ds, passages) if passages else _note("没有共同段落。", "No shared passage."))
        page.add("</div>")
    page.end()


def _reuse_table_summary(page: _Page, ds: Dataset, analysis: Analysis, table_files: list[str]) -> None:
    """The top of `reuse_pairs`: the pairs sharing the most text."""
    found, k = analysis.reuse, analysis.neighbours
    with_text = [r for r in found if r.spans]
    n_passages = sum(len(r.spans) for r in with_text)
    where = "、".join(f"<code>{e(f)}</code>" for f in table_files)
    page.add(f"<h3>{e('reuse_pairs：重复最多的方案对 · the pairs that share the most text')}</h3>")
    page.add(_note(f"比较了 {len(found)} 对方案（最相似的 {reuse_table.TOP_PAIRS} 对，以及每个方案最相似的 "
                   f"{k} 个方案，余弦 ≥ {reuse_table.NEIGHBOUR_MIN_COSINE}），其中 {len(with_text)} "
                   f"对有共同段落，共 {n_passages} 段" + (f"，全部写入 {where}" if where else "") + "。",
                   f"{len(found)} pairs compared (the {reuse_table.TOP_PAIRS} most similar, and each plan's "
                   f"{'' if k == 1 else f'{k} '}most similar plan{'' if k == 1 else 's'}, with cosine ≥ "
                   f"{reuse_table.NEIGHBOUR_MIN_COSINE}); {len(with_text)} share text, {n_passages} passages in all"
                   + (f", every one in {where}" if where else "") + "."))
    if not with_text:
        return
    ranked = sorted(with_text, key=lambda r: (-r.matched, r.pair.a, r.pair.b))
    rows = [[_td(k, "num"), f"<td>{_plan_ref(ds, ds.ids[r.pair.a])}</td>",
             f"<td>{_plan_ref(ds, ds.ids[r.pair.b])}</td>",
             _td(f"{r.pair.score:.3f}", "num"), _td(len(r.spans), "num"),
             _td(r.matched, "num"), _td(f"{r.a_share:.0%} / {r.b_share:.0%}", "num")]
            for k, r in enumerate(ranked[:TOP_REUSE], 1)]
    page.add(_table(["#", "方案 A", "方案 B", "余弦 cosine", "段数 passages", "重复字数 reused chars",
                     "占 A / B · share of A / B"], rows, "reuse-top"))


def _timeline_section(page: _Page, ds: Dataset) -> None:
    page.section("timeline", "阶段时间轴 · Phase timelines")
    bars = timeline.phase_bars(ds)
    if not bars:
        page.add(_note("本数据集没有阶段。", "No phases in this dataset."))
    else:
        page.add(_note("每个方案画在它自己的年度上：横轴是该方案年度的 1–12 月（延续到次年的阶段画到次年），"
                       "不同年份的方案因此可以对照；图例注明年份，悬停显示实际日期。年份未知（XXXX）的阶段按月日画在同一轴上。",
                       "Each plan is drawn on its own year: the axis is January to December of the plan's year (phases "
                       "that go on run into the next year), so plans of different years line up; the legend gives "
                       "each plan's year, the hover the dates. Phases of unknown year (XXXX) are drawn by month and "
                       "day on the same axis."))
    page.figure(timeline.timeline_figure(ds, bars, FONT_STACK))
    undated = [b for b in bars if b.axis == "undated"]
    if undated:
        page.add(f"<h3>{e('无日期的阶段 · phases without days')}</h3>")
        page.add(_table(["plan", "order", "name", "time_text"],
                        [[f"<td>{_plan_ref(ds, b.plan_id)}</td>", _td(b.order, "num"), _td(b.name),
                          _td(b.time_text or "")] for b in undated]))
    inconsistent = [b for b in bars if b.inconsistent]
    if inconsistent:
        page.add(_note("斜线条：所写结束日期早于开始日期（<code>inconsistent</code>），按原文画在两个日期之间。",
                       "Hatched bars: the stated end precedes the stated start (<code>inconsistent</code>); drawn "
                       "across both days as written."))
    page.end()


def _owners_section(page: _Page, ds: Dataset) -> None:
    import plotly.graph_objects as go

    page.section("owners", "责任单位 × 方案 · Owners × plans")
    found, codes, counts = owners.owner_counts(ds)
    if not found:
        page.add(_note("本数据集没有任务责任单位。", "No task owners in this dataset."))
        page.end()
        return
    code_to_id = {c: pid for pid, c in ds.codes.items()}
    xs = [plot_text(ds.label(code_to_id[code], 8)) for code in codes]
    ys = [plot_text(o) for o in found]
    # zero cells are left blank (no colour at all), so a single task never looks like none
    fig = go.Figure(go.Heatmap(z=[[v if v else None for v in row] for row in counts], x=xs, y=ys,
                               zmin=1, zmax=max(2, max(max(row) for row in counts)), hoverongaps=False,
                               colorscale=[[0, "#f8c471"], [1, "#a04000"]], texttemplate="%{text}",
                               text=[[str(v) if v else "" for v in row] for row in counts],
                               xgap=1, ygap=1, hovertemplate="%{y} · %{x}: %{z} 项任务 tasks<extra></extra>",
                               colorbar=dict(title=dict(text="任务 tasks"), dtick=1 if max(map(max, counts)) <= 12
                                             else None)))
    fig.update_layout(height=max(320, 26 * len(ys) + 180), margin=dict(l=10, r=10, t=40, b=10),
                      template="plotly_white",
                      title=dict(text="各单位牵头任务数 · tasks owned per plan", font=dict(size=14)))
    _every_label(fig, len(xs))
    page.figure(fig)
    page.add(_note(f"行：牵头任务最多的 {len(ys)} 个责任单位（配合单位见 <code>task_owners</code>）；空白格为 0。",
                   f"Rows: the {len(ys)} owners with most tasks (as owner; co-owners are in <code>task_owners</code>);"
                   " a blank cell is 0."))
    page.end()


def _rules_section(page: _Page, ds: Dataset) -> None:
    import plotly.graph_objects as go

    page.section("rules", "规则对照 · Rules side by side")
    codes, mods, counts = rules.modality_table(ds)
    if not codes:
        page.add(_note("本数据集没有规则。", "No rules in this dataset."))
        page.end()
        return
    if len(codes) > MAX_RULE_PLANS:
        page.add(_note(f"有规则的方案共 {len(codes)} 个，图表只显示前 {MAX_RULE_PLANS} 个（<code>rules</code> 表中有全部）。",
                       f"{len(codes)} plans have rules; the chart and table show the first {MAX_RULE_PLANS} (all are "
                       "in the <code>rules</code> table)."))
        codes, counts = codes[:MAX_RULE_PLANS], counts[:MAX_RULE_PLANS]
    code_to_id = {c: pid for pid, c in ds.codes.items()}
    xs = [plot_text(ds.label(code_to_id[c], 8)) for c in codes]
    fig = go.Figure()
    for k, mod in enumerate(mods):
        fig.add_trace(go.Bar(x=xs, y=[row[k] for row in counts], name=plot_text(MODALITY_NAMES.get(mod, mod)),
                             marker_color=MODALITY_COLORS.get(mod),
                             hovertemplate="%{x}: %{y}<extra>" + plot_text(MODALITY_NAMES.get(mod, mod))
                             + "</extra>"))
    fig.update_layout(barmode="stack", height=380, margin=dict(l=10, r=10, t=40, b=10), template="plotly_white",
                      title=dict(text="规则类型数量 · rules per modality", font=dict(size=14)))
    _every_label(fig, len(xs), angle=-30)
    page.figure(fig)
    rows = [[_td(code, "num")] + [_count(n) for n in row] for code, row in zip(codes, counts)]
    page.add(_table(["plan", *[MODALITY_NAMES.get(c, c) for c in mods]], rows))
    summary = rules.summary_rows(ds)
    if summary:
        page.add(f"<h3>{e('各方案处罚金额（按单位）· sanction amounts per plan and unit')}</h3>")

        def num(v):
            return "" if v is None or v != v else f"{v:g}"

        page.add(_table(["plan", "单位 unit", "含金额的处罚规则 sanctions with amounts", "最低 lowest", "最高 highest"], [
            [_td(r["code"]), _td(r["unit"]), _td(r["rules"], "num"), _td(num(r["lowest"]), "num"),
             _td(num(r["highest"]), "num")] for r in summary[:MAX_AMOUNT_ROWS]]))
        _more_rows(page, len(summary))
    amounts = rules.amount_rows(ds)
    page.add(f"<h3>{e('处罚与奖励金额明细 · amounts in sanctions and rewards')}</h3>")
    if not amounts:
        page.add(_note("没有写明金额。", "No amounts stated."))
    else:
        page.add(_table(["plan", "modality", "amounts", "rule text", "[start, end)"], [
            [f"<td>{_plan_ref(ds, r['plan_id'])}</td>", _td(MODALITY_NAMES.get(r["modality"], r["modality"] or "")),
             _td(r["amounts"]), f'<td class="ptext">{e(short(r["text"], 120))}</td>',
             _td(f"[{r['start']}, {r['end']})", "off")] for r in amounts[:MAX_AMOUNT_ROWS]]))
        _more_rows(page, len(amounts))
    page.end()


def _more_rows(page: _Page, n: int) -> None:
    if n > MAX_AMOUNT_ROWS:
        page.add(_note(f"另有 {n - MAX_AMOUNT_ROWS} 行未列出（见 <code>rule_amounts</code> 表）。",
                       f"{n - MAX_AMOUNT_ROWS} more rows not listed (see the <code>rule_amounts</code> table)."))


def _side_by_side_section(page: _Page, ds: Dataset, a_key: str, b_key: str) -> None:
    pa, pb = ds.full(a_key), ds.full(b_key)
    kind = align.unit_kind(pa, pb)
    page.section("side", "方案并排对照 · Side by side")
    page.add(f'<p>A: {_plan_ref(ds, pa["plan_id"], 60)} <span class="off">{e(pa["plan_id"])}</span><br>'
             f'B: {_plan_ref(ds, pb["plan_id"], 60)} <span class="off">{e(pb["plan_id"])}</span></p>')
    what = "tasks" if kind == "tasks" else "paragraphs (no tasks were extracted for one of the plans)"
    page.add(_note(f"对齐单位：{'任务' if kind == 'tasks' else '段落（其中一个方案没有抽出任务）'}；按字符二元组 TF-IDF "
                   f"余弦一对一配对，低于 {align.MIN_SCORE} 的不配对。",
                   f"Aligned unit: {e(what)}; one-to-one by character-bigram TF-IDF cosine, pairs below "
                   f"{align.MIN_SCORE} left unpaired."))
    rows = align.align_units(align.units(pa, kind), align.units(pb, kind))

    def cell(u: align.Unit | None, side: str) -> str:
        if u is None:
            return "<td></td>"
        owners_html = f'<div class="owners">{e("、".join(u.owners))}</div>' if u.owners else ""
        off = f'<div class="off">[{u.start}, {u.end})</div>' if u.start is not None else ""
        return (f'<td class="{side}-text"><div class="owners">{e(u.label.strip())}</div>'
                f'<div class="ptext">{e(u.text)}</div>{owners_html}{off}</td>')

    body = [[cell(r.a, "a"), f'<td class="score">{r.score:.2f}</td>' if r.a and r.b else '<td class="score"></td>',
             cell(r.b, "b")] for r in rows]
    page.add(_table([f"A {ds.codes[pa['plan_id']]}", "similarity", f"B {ds.codes[pb['plan_id']]}"], body, "side"))
    page.end()


# ------------------------------------------------------------------ assembly


def _strings(value, out: set[str]) -> None:
    if isinstance(value, str):
        out.update(html.unescape(value))
    elif isinstance(value, dict):
        for v in value.values():
            _strings(v, out)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _strings(v, out)


@dataclass
class Analysis:
    """What the report shows of a dataset's similarity: the TF-IDF matrix, the pairs found (best first, each
    plan's nearest), and the pairs examined for reused passages (`reuse_table`)."""

    x: object
    pairs: list[similarity.Pair]
    reuse: list[reuse_table.PairReuse]
    neighbours: int = reuse_table.NEIGHBOURS  # how many nearest plans of each plan were examined

    def detail(self) -> list[reuse_table.PairReuse]:
        """The pairs whose passages the report shows: the best `DETAIL_PAIRS` (cosine ≥ `DETAIL_MIN_SCORE`)."""
        by_pair = {(r.pair.a, r.pair.b): r for r in self.reuse}
        top = [p for p in self.pairs[:DETAIL_PAIRS] if p.score >= DETAIL_MIN_SCORE]
        return [by_pair[(p.a, p.b)] for p in top]


def _texts(ds: Dataset) -> list[str]:
    return [p.get("text") or "" for p in ds.plans]


def _pairs(x, n: int) -> list[similarity.Pair]:
    return similarity.top_pairs(x, k=n * 10) if n > 1 else []


def analyse(ds: Dataset, jobs: int = 1, neighbours: int = reuse_table.NEIGHBOURS) -> Analysis:
    """Similarity of every plan with its nearest plans, and the passages of the pairs to examine (`reuse_table`;
    each plan's `neighbours` nearest), in `jobs` processes."""
    texts = _texts(ds)
    x = similarity.tfidf(texts, jobs) if ds.plans else None
    pairs = _pairs(x, len(ds))
    examined = reuse_table.pairs_to_examine(pairs, neighbours=neighbours)
    return Analysis(x, pairs, reuse_table.find_reuse(texts, examined, jobs), neighbours)


def _plain_pages(ds: Dataset, plans: tuple[str, str] | None) -> tuple[_Page, _Page, _Page]:
    """The parts that need no similarity: (the plans table and side-by-side view, nothing yet, timelines with
    owners and rules)."""
    head, tail = _Page("a"), _Page("c")
    _plans_section(head, ds)
    if plans:
        _side_by_side_section(head, ds, *plans)
    _timeline_section(tail, ds)
    _owners_section(tail, ds)
    _rules_section(tail, ds)
    return head, _Page("b"), tail


def _reuse_pages(page: _Page, ds: Dataset, analysis: Analysis, table_files: list[str]) -> None:
    """The sections that show reused passages (after `_similarity_section`)."""
    reuse_by_pair = {(r.pair.a, r.pair.b): r for r in analysis.reuse}
    _ranking_section(page, ds, analysis.pairs, reuse_by_pair)
    _reuse_section(page, ds, analysis, table_files)


def render_report(ds: Dataset, plans: tuple[str, str] | None = None, analysis: Analysis | None = None,
                  table_files: list[str] = ()) -> str:
    """The report's HTML for a dataset; `plans=(A, B)` adds their side-by-side view (ids, prefixes or codes);
    `analysis` is `analyse(ds)` (computed when not given); `table_files` are the `reuse_pairs` files written."""
    if plans:
        for key in plans:
            ds.plan(key)  # KeyError early, before any work
    pages = _plain_pages(ds, plans)
    analysis = analysis or analyse(ds)
    _similarity_section(pages[1], ds, analysis.x, analysis.pairs)
    _reuse_pages(pages[1], ds, analysis, list(table_files))
    return _assemble(ds, pages)


def _header(ds: Dataset, nav: list[tuple[str, str]]) -> str:
    n_copies = sum(len(c) for c in ds.copies.values())
    counted = f"{len(ds)} 个方案 plans" + (f"（另有 {n_copies} 份完全相同的副本 · and {n_copies} exact "
                                          f"cop{'y' if n_copies == 1 else 'ies'}）" if n_copies else "")
    links = "".join(f'<a href="#{a}">{e(t)}</a>' for a, t in nav)
    return (f"<header><h1>{e(TITLE)}</h1><p>{e(counted)} · {e(str(ds.path))} · schema "
            f"{e(str(ds.plans[0].get('schema')) if ds.plans else '—')}</p></header><nav>{links}</nav>")


def _chars(parts: list[str], figures: list) -> set[str]:
    chars: set[str] = set()
    _strings(parts, chars)
    _strings([f for _, f in figures], chars)
    return chars


@dataclass
class _Assembly:
    """The sections of `pages` joined, their figures as JSON, and the characters the font must have."""

    page: _Page
    header: str
    figures: list[tuple[str, object]]
    chars: set[str]


def _join(ds: Dataset, pages: tuple[_Page, ...]) -> _Assembly:
    page = _Page(parts=[x for p in pages for x in p.parts], figures=[f for p in pages for f in p.figures],
                 nav=[n for p in pages for n in p.nav])
    header = _header(ds, page.nav)
    figures = [f for p in pages for f in p.figure_json()]
    return _Assembly(page, header, figures, _chars([header, *page.parts], figures))


def _font_of(chars: set[str]) -> EmbeddedFont | None:
    """`embed_font` (a worker's job: by name, so a worker forked after a test replaced it runs the replacement)."""
    return embed_font(chars)


def _font_part(chars: set[str]) -> EmbeddedFont | None:
    return embed_font(chars, part=True)


def _submit_font(workers, chars: set[str], done: set[str] = frozenset()):
    """Start making the font for `chars` but those in `done` (a part made already): all workers but one (this
    process has work meanwhile) a subset of its share (in code point order, so their `unicode-range`s stay short);
    `_font_result` of it. Without workers, one subset of every character."""
    if not workers.parallel:
        return workers.submit(_font_of, [chars])
    ordered = sorted(fonts.wanted_chars(chars) - set(done))
    size = max(1, -(-len(ordered) // max(1, workers.jobs - 1)))
    return workers.submit(_font_part, [set(ordered[i:i + size]) for i in range(0, len(ordered), size)], alone=True)


def _font_result(*pending) -> EmbeddedFont | None:
    parts = [f for p in pending for f in p.result()]
    return None if None in parts or not parts else parts[0] if len(parts) == 1 else fonts.joined(parts)


def _page_chars(pages: list[_Page]) -> set[str]:
    """The characters of some sections (their text and figures)."""
    return _chars([x for p in pages for x in p.parts], [f for p in pages for f in p.figure_json()])


def _assemble(ds: Dataset, pages: tuple[_Page, ...]) -> str:
    """The HTML page of the sections in `pages`, in order, with the CJK font subset they need."""
    joined = _join(ds, pages)
    return _html(joined, _font_of(joined.chars))


def _html(joined: _Assembly, font: EmbeddedFont | None) -> str:
    page, header, figures = joined.page, joined.header, joined.figures
    if font is None:
        notice = ('<p class="warn">No CJK font was found to embed (install the Python package '
                  '<code>pylopdf-fonts-zh-cn</code> or Debian <code>fonts-noto-cjk</code>, or set '
                  '<code>PLANS_CJK_FONT</code>): Chinese text uses the viewer\'s own fonts.</p>')
        credit = "viewer's fonts"
    else:
        notice = ("" if not font.missing else
                  f'<p class="warn">{len(font.missing)} characters are not in the embedded font and use the '
                  f'viewer\'s fonts.</p>')
        credit = f"embedded subset of {font.credit}, {font.size // 1024} KB"
    fig_json = safe_json([{"id": fid, "figure": f} for fid, f in figures])
    script, script_credit = plotly_js({getattr(t, "type", None) for _, f in page.figures for t in f.data})
    script = script.replace("</script", "<\\/script")
    footer = (f'<footer class="note" style="padding:0 28px 30px">Generated by plans-pipeline compare from '
              f'<code>plans.jsonl</code>. Similarity: TF-IDF over jieba words and word bigrams, cosine. '
              f'Charts: {e(script_credit)}, inlined. Font: {e(credit)}.</footer>')
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="zh-Hans"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="plans-pipeline {e(__version__)} compare">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline' "
        "'unsafe-eval'; style-src 'unsafe-inline'; font-src data:; img-src data:\">",
        f"<title>{e(TITLE)}</title>",
        f"<style>{font.css if font else ''}\n{CSS.replace('FONTS', FONT_STACK)}</style>",
        "</head><body>",
        header, "<main>", notice, *page.parts, "</main>", footer,
        f"<script>{script}</script>",
        f"<script>const PLANS_FIGURES = {fig_json};\n{SCRIPT}</script>",
        "</body></html>",
    ]) + "\n"


def compare(output_dir: Path, out_html: Path, plans: tuple[str, str] | None = None, jobs: int | None = None,
            write_table: bool = True, neighbours: int = reuse_table.NEIGHBOURS) -> Path:
    """Write the comparison report of the plans in `output_dir` (its `plans.jsonl`) to `out_html`, and (with
    `write_table`) the `reuse_pairs` table into `output_dir`; the report's path.

    `plans=(A, B)` (plan ids, unique id prefixes or codes `P3`) adds a side-by-side view of their tasks; `jobs`:
    processes for segmentation and alignment (default: the machine's cores); `neighbours`: how many nearest
    plans of each plan `reuse_pairs` examines. The workers segment and align while this process builds the
    sections that need neither. Raises FileNotFoundError without `plans.jsonl`, EmptyDataset when it holds no
    plan, KeyError when A or B names no single plan."""
    import os

    from .workers import Workers

    ds = load_dataset(Path(output_dir), slim_plans=True)
    if not ds.plans:
        raise EmptyDataset(f"{ds.path}: no plans to compare (the run found none)")
    if plans:
        for key in plans:
            ds.plan(key)  # KeyError early, before any work
    texts = _texts(ds)
    with Workers(texts, jobs or os.cpu_count() or 1) as workers:
        terms = similarity.submit_terms(workers, texts)
        pages = _plain_pages(ds, plans)
        first = _page_chars([pages[0], pages[2]]) if workers.parallel else set()
        font_first = workers.submit(_font_part, [fonts.wanted_chars(first)], alone=True) if first else None
        if write_table:
            reuse_table.load_writer()  # while the workers segment
        x = tfidf_matrix(similarity.collect_terms(terms))
        pairs = _pairs(x, len(ds))
        examined = reuse_table.pairs_to_examine(pairs, neighbours=neighbours)
        pending = reuse_table.submit_reuse(workers, examined)
        _similarity_section(pages[1], ds, x, pairs)
        found = reuse_table.collect_reuse(texts, examined, pending)
        analysis = Analysis(x, pairs, found, neighbours)
        folder = ds.path.parent
        files = reuse_table.table_files(folder) if write_table else []
        _reuse_pages(pages[1], ds, analysis, files)
        joined = _join(ds, pages)
        # the font of the other sections is made there while the table is written here
        font = _submit_font(workers, joined.chars, fonts.wanted_chars(first))
        if write_table:
            reuse_table.write_reuse_pairs(folder, reuse_table.reuse_rows(ds.ids, found))
        text = _html(joined, _font_result(*[p for p in (font_first, font) if p is not None]))
    out_html = Path(out_html)
    with atomic_write(out_html) as f:
        f.write(text)
    return out_html
