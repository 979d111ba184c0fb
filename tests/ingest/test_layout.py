"""Reading order and paragraphs from positioned text (`ingest/layout.py`), on boxes laid out here the way a
typeset page holds them: 10 units a character, lines 16 apart, paragraphs indented by two characters."""
from __future__ import annotations

from hypothesis import given, settings as hsettings, strategies as st

from pipeline.ingest.layout import Box, page_lines, paragraphs

EM, STEP = 10.0, 16.0


def typeset(paras: list[str], width: int = 30, x: float = 50, top: float = 50, indent: bool = True,
            conf: float | None = None) -> list[Box]:
    """Paragraphs -> one box per line, wrapped at `width` characters, the first line indented by two."""
    boxes, y = [], top
    for para in paras:
        pos, first = 0, True
        while pos < len(para):
            lead = 2 if first and indent else 0
            n = width - lead
            line = para[pos:pos + n]
            boxes.append(Box(x + lead * EM, y, x + (lead + len(line)) * EM, y + EM, line, conf))
            pos, first, y = pos + n, False, y + STEP
    return boxes


def read(boxes: list[Box]) -> list[str]:
    return [p.text for p in paragraphs(page_lines(boxes))]


HANZI = st.text(alphabet=st.sampled_from("社区卫生服务能力方便群众就近看病就医结合实际制定本方案，。、"), min_size=1,
                max_size=140).filter(lambda s: s[0] not in "，。、")


@hsettings(max_examples=60, deadline=None)
@given(st.lists(HANZI, min_size=3, max_size=8))
def test_wrapped_paragraphs_come_back_whole(paras):
    boxes = typeset(paras)
    if sum(b.x1 >= 50 + 29 * EM for b in boxes) < 2:  # no measure to see: nothing wraps
        return
    if not any(len(p) > 28 for p in paras) and not all(p.endswith("。") for p in paras):
        # every paragraph one indented line: no indentation to see, and a full line not ending its sentence
        # reads as going on (a page of single full lines is ambiguous; typesetting does not tell)
        return
    assert read(boxes) == paras


def test_two_columns_are_read_one_after_the_other():
    left = ["左栏第一段文字，" * 6, "左栏第二段文字。" * 5]
    right = ["右栏第一段文字，" * 6, "右栏第二段文字。" * 4]
    title = [Box(200, 10, 400, 30, "某区工作方案")]
    boxes = title + typeset(left, width=20, x=50, top=50) + typeset(right, width=20, x=300, top=50)
    assert read(boxes) == ["某区工作方案"] + left + right


def test_a_table_with_narrow_columns_is_read_row_by_row():
    rows = [("序号", "工作任务", "完成时限")] + [(str(i), f"第{i}项任务", f"{i}月底前") for i in range(1, 6)]
    boxes = []
    for k, (a, b, c) in enumerate(rows):
        y = 50 + k * 20
        boxes += [Box(50, y, 50 + len(a) * EM, y + EM, a), Box(120, y, 120 + len(b) * EM, y + EM, b),
                  Box(300, y, 300 + len(c) * EM, y + EM, c)]
    assert [line.text for line in page_lines(boxes)] == [" ".join(r) for r in rows]


def test_item_markers_and_short_lines_end_paragraphs():
    paras = ["（一）" + "完善服务网络合理调整布局" * 4, "（二）" + "加强人才队伍建设" * 6, "某区卫生健康局"]
    boxes = typeset(paras, indent=False)
    assert read(boxes) == paras


def test_unindented_text_breaks_at_a_sentence_end_on_the_edge():
    a, b = "各部门要加强协调配合落实经费保障定期通报工作进展确保各项任务按时完成。", "某区卫生健康局办公室二〇二六年三月"
    boxes = typeset([a + "各单位要明确专人负责按照时间节点推进各项工作。"], width=len(a), indent=False) + \
        typeset([b], width=len(a), indent=False, top=50 + 2 * STEP)
    assert read(boxes)[:2] == [a, "各单位要明确专人负责按照时间节点推进各项工作。"]


def test_page_numbers_are_dropped_and_the_paragraph_goes_on():
    para = "为进一步提升社区卫生服务能力方便群众就近看病就医" * 3
    page1 = typeset(["前文" * 15, para[:58]]) + [Box(190, 700, 220, 710, "- 1 -")]
    page2 = [Box(50, 50, 50 + (len(para) - 58) * EM, 60, para[58:])] + typeset(["后文" * 15], top=66)
    lines = page_lines(page1, page=0) + page_lines(page2, page=1)
    assert para in [p.text for p in paragraphs(lines)]
    assert not any("- 1 -" in line.text for line in lines)


def test_confidences_follow_each_line_into_its_paragraph():
    boxes = typeset(["社区卫生服务" * 10], conf=0.9)
    boxes[1].conf = 0.5
    (para,) = paragraphs(page_lines(boxes))
    assert [round(c, 2) for _, _, c in para.spans] == [0.9, 0.5, 0.9]
    assert [para.text[a:b] for a, b, _ in para.spans] == [b.text for b in boxes]
