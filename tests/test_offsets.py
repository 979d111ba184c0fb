"""Offset maps: every unchanged character maps back to itself; spans round-trip through chains."""
from hypothesis import given
from hypothesis import strategies as st

from pipeline.offsets import apply_edits

TEXT = st.text(alphabet="甲乙丙丁戊己庚辛ab \n，。", min_size=0, max_size=60)


@st.composite
def text_and_edits(draw):
    text = draw(TEXT)
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    edits = []
    for a, b in zip(cuts[::2], cuts[1::2]):
        edits.append((a, b, draw(st.sampled_from(["", "X", "YZ", "\n"]))))
    return text, edits


@given(text_and_edits())
def test_unchanged_characters_map_back(case):
    text, edits = case
    out, m = apply_edits(text, edits)
    assert m.dst_len == len(out) and m.src_len == len(text)
    changed = set()
    for a, b, r in edits:
        changed.update(range(a, b))
    # every output char outside replacements maps to the identical source char
    for i in range(len(out)):
        s, e = m.span(i, i + 1)
        assert 0 <= s <= e <= len(text)
        if e - s == 1 and s not in changed:
            assert text[s] == out[i]


@given(text_and_edits(), text_and_edits())
def test_chained_maps_stay_in_bounds_and_ordered(c1, c2):
    text, edits = c1
    mid, m1 = apply_edits(text, edits)
    edits2 = [(min(a, len(mid)), min(b, len(mid)), r) for a, b, r in c2[1]]
    edits2 = [(a, b, r) for (a, b, r) in edits2 if a <= b]
    # make edits2 non-overlapping
    clean, pos = [], 0
    for a, b, r in sorted(edits2):
        if a >= pos:
            clean.append((a, b, r))
            pos = max(b, a + 1)
    out, m2 = apply_edits(mid, clean, parent=m1)
    prev = 0
    for i in range(len(out) + 1):
        s, _ = m2.span(i, i)
        assert prev <= s <= len(text)
        prev = s


def test_deletions_and_replacements():
    text = "衛(wèi)生 工作"
    out, m = apply_edits(text, [(1, 6, ""), (7, 8, "")])
    assert out == "衛生工作"
    assert m.span(0, 2) == (0, 7)          # 衛生 spans the deleted reading
    assert text[slice(*m.span(2, 4))] == "工作"
