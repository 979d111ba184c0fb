"""OCR of photos and scanned PDFs: the plan comes out with its title and tasks as from .txt, in both scripts,
one- and two-column pages; `source.ocr` and the mean confidence are recorded; bad images get one error.

Pages are drawn here (`tests/scan_factory.py`: Noto Sans SC, noise, blur) from the plan of `plan_texts.py`.
"""
from __future__ import annotations

import pytest

from formats_helpers import matched_tasks, plan_of, write
from plan_texts import PLAN, TASKS, TITLE, plan_text, traditional
from scan_factory import image_bytes, pages_of, scanned_pdf

from pipeline.errors import InputError
from pipeline.ingest import ocr
from pipeline.ingest.ocr import read_image

SCRIPTS = {"simplified": PLAN, "traditional": traditional(PLAN)}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The plan read from .txt, per script."""
    d = tmp_path_factory.mktemp("txt")
    return {name: plan_of(write(d / f"{name}.txt", plan_text(paras).encode("utf-8")))
            for name, paras in SCRIPTS.items()}


@pytest.mark.parametrize("script, columns, kind", [
    ("simplified", 1, "png"),
    ("traditional", 1, "jpg"),
    ("simplified", 2, "pdf"),       # a scanned two-column page: columns read one after the other
])
def test_a_scan_gives_the_plan_as_txt_does(reference, tmp_path, script, columns, kind):
    pages = pages_of(SCRIPTS[script], columns=columns)
    data = scanned_pdf(pages) if kind == "pdf" else image_bytes(pages[0], "JPEG" if kind == "jpg" else "PNG")
    plan = plan_of(write(tmp_path / f"scan.{kind}", data))
    ref = reference[script]
    assert plan.title == ref.title == TITLE
    assert len(ref.tasks) == TASKS
    assert matched_tasks(ref, plan) >= 0.8 * TASKS
    assert plan.source.ocr is True and plan.source.format == ("pdf" if kind == "pdf" else "image")
    assert 0.8 <= plan.source.ocr_confidence <= 1.0
    assert ref.source.ocr is False and ref.source.ocr_confidence is None


def test_wrapped_lines_are_rejoined_into_the_paragraphs_of_the_text():
    raw = read_image(image_bytes(pages_of(PLAN)[0]))
    lines = raw.text.split("\n")
    assert len(lines) == len(PLAN)
    close = sum(a == b for a, b in zip(lines, PLAN))
    assert close >= len(PLAN) - 6  # a few lines differ by a character or a half-width bracket
    assert [b.start for b in raw.blocks] == [raw.text.index(line) for line in lines]


def test_low_confidence_lines_are_kept_and_flagged(monkeypatch, tmp_path):
    page = pages_of(PLAN)[0]
    real = ocr.read_page

    def doubtful(image):  # the engine doubts every line holding 任务
        return [ocr.layout.Box(b.x0, b.top, b.x1, b.bottom, b.text, 0.5 if "任务" in b.text else b.conf)
                for b in real(image)]

    monkeypatch.setattr(ocr, "read_page", doubtful)
    plan = plan_of(write(tmp_path / "p.png", image_bytes(page)))
    flagged = [plan.original_text[a:b] for a, b in plan.source.ocr_flagged]
    assert flagged and all("任务" in t for t in flagged)
    assert "二、主要任务" in plan.original_text  # kept
    assert plan.source.ocr_confidence < 0.99


def test_a_long_scan_reports_progress(monkeypatch, capsys):
    monkeypatch.setattr(ocr.settings, "OCR_PROGRESS_PAGES", 2)
    monkeypatch.setattr(ocr, "read_page", lambda image: [ocr.layout.Box(10, 10, 200, 40, f"第{image}页内容", 0.9)])
    monkeypatch.setattr(ocr.time, "monotonic", iter(range(0, 1000, 11)).__next__)
    raw = ocr.read_pages(iter(range(1, 5)), "pdf", 4)
    assert raw.text.split("\n") == [f"第{k}页内容" for k in range(1, 5)]
    err = capsys.readouterr().err
    assert "OCR page 1/4" in err and "OCR page 4/4" in err and "s/page" in err


@pytest.mark.parametrize("data, code", [
    (b"\x89PNG\r\n\x1a\n" + bytes(100), "corrupt_image"),                # a PNG header, then nothing
    (image_bytes(pages_of(PLAN)[0], "JPEG")[:3000], "corrupt_image"),    # a photo cut short
    (b"BM" + bytes(60), "corrupt_image"),
])
def test_corrupt_images_get_one_clear_error(data, code):
    with pytest.raises(InputError) as e:
        read_image(data)
    assert e.value.code == code


def test_an_image_without_text_is_no_plan():
    from PIL import Image

    with pytest.raises(InputError) as e:
        read_image(image_bytes(Image.new("L", (800, 600), 240)))
    assert e.value.code == "no_plan" and "OCR" in e.value.detail


def test_huge_images_are_refused_before_decoding(monkeypatch):
    from PIL import Image

    monkeypatch.setattr(ocr.settings, "OCR_MAX_PIXELS", 10_000)
    with pytest.raises(InputError) as e:
        read_image(image_bytes(Image.new("L", (400, 400), 240)))
    assert e.value.code == "too_large"
