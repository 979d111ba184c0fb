"""One plan's extracted items shown in its text: a spaCy `Doc` of the plan's jieba words with the items as a
span group, rendered by displaCy (overlapping spans allowed), for reading a plan in a notebook.

    from pipeline.compare.display import render
    HTML(render(plan))            # plan: one `plans.jsonl` record

This is where spaCy earns its place: Doc/Span containers and the visualizer. The batch path never imports it
(`segment.py` says why). Words are cut again at every item boundary, so every span is the item exactly.
"""
from __future__ import annotations

from ..segment import words

SPANS_KEY = "plan"
KINDS = ("phases", "dates", "people", "rules")  # tasks and sections are whole paragraphs: too long to mark


def _label(kind: str, item: dict) -> str:
    if kind == "rules":
        return f"rule:{item['modality']}"
    if kind == "people":
        return f"person:{item['role']}" if item.get("role") else "person"
    return kind.rstrip("s")


def plan_doc(plan: dict, kinds: tuple[str, ...] = KINDS):
    """A `Doc` of `plan["text"]` whose span group `SPANS_KEY` holds the plan's items of `kinds`, each labelled
    (`date`, `phase`, `person:leader`, `rule:prohibition` …) and exactly `text[item.start:item.end]`."""
    import spacy
    from spacy.tokens import Doc

    text = plan["text"]
    items = [(it["start"], it["end"], _label(kind, it)) for kind in kinds for it in plan.get(kind) or ()
             if 0 <= it["start"] < it["end"] <= len(text)]
    cuts = {0, len(text)} | {b for s, e, _ in items for b in (s, e)}
    pos = 0
    for w in words(text):
        cuts.add(pos)
        pos += len(w)
    bounds = sorted(cuts)
    pieces = [text[a:b] for a, b in zip(bounds, bounds[1:])]
    doc = Doc(spacy.blank("zh").vocab, words=pieces, spaces=[False] * len(pieces))
    doc.spans[SPANS_KEY] = [doc.char_span(s, e, label=label) for s, e, label in sorted(items)]
    return doc


def render(plan: dict, kinds: tuple[str, ...] = KINDS) -> str:
    """HTML of the plan's text with its items of `kinds` marked (displaCy's span style)."""
    from spacy import displacy

    return displacy.render(plan_doc(plan, kinds), style="span", options={"spans_key": SPANS_KEY}, jupyter=False)
