"""One plan's extracted items shown in its text: a spaCy `Doc` of the plan's jieba words with the items as a
span group, rendered by displaCy (overlapping spans allowed), for reading a plan in a notebook.

    from pipeline.compare.display import render
    HTML(render(plan))            # plan: one `plans.jsonl` record

This is where spaCy earns its place: Doc/Span containers and the visualizer. The batch path never imports it
(`segment.py` says why). Words are cut again at every item boundary, so every span is the item exactly.
"""
from __future__ import annotations

import re

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


def _compact(template: str) -> str:
    """A displaCy template without the line breaks and indents between its tags: they would show as spaces."""
    return re.sub(r"\s*\n\s*", "", template)


def _renderer():
    """displaCy's span renderer, but without the space it puts after every word (Chinese has none) and with
    compact templates, so the text reads as written (its own line breaks kept by `white-space: pre-wrap`)."""
    from spacy.displacy.render import SpanRenderer
    from spacy.displacy.templates import TPL_SPAN, TPL_SPAN_SLICE, TPL_SPAN_START
    from spacy.util import escape_html

    class Spans(SpanRenderer):
        def _render_markup(self, per_token_info):
            markup = ""
            for token in per_token_info:
                if token["entities"] and token["text"].strip():
                    markup += super()._render_markup([token])
                else:
                    markup += escape_html(token["text"])
            return markup

    return Spans({"spans_key": SPANS_KEY, "template": {"span": _compact(TPL_SPAN), "slice": _compact(TPL_SPAN_SLICE),
                                                         "start": _compact(TPL_SPAN_START)}})


def render(plan: dict, kinds: tuple[str, ...] = KINDS) -> str:
    """HTML of the plan's text with its items of `kinds` marked (displaCy's span style), words not spaced apart,
    with the CJK font subset embedded (as in the report) so Chinese renders anywhere."""
    from spacy import displacy

    from .fonts import FONT_STACK, embed_font

    doc = plan_doc(plan, kinds)
    body = _renderer().render([displacy.parse_spans(doc, {"spans_key": SPANS_KEY})])
    labels = "".join(span.label_ for span in doc.spans[SPANS_KEY])
    font = embed_font(set(plan["text"]) | set(labels))
    css = (f"{font.css if font else ''} .plans-display .spans {{ white-space: pre-wrap; "
           f"font-family: {FONT_STACK}; }}")
    return f'<div class="plans-display"><style>{css}</style>{body}</div>'
