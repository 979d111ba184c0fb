"""PDF files: the text layer comes out page by page; scans, garbage glyphs and damaged files give errors.

PDFs are made here: reportlab with its built-in CID font STSong-Light (Adobe-GB1, not embedded: the
text layer maps through pdfminer's bundled CMaps, no font file needed), or written by hand.
"""
import io

import pytest

from pipeline.errors import InputError
from pipeline.ingest import pdf as pdf_reader
from pipeline.ingest.pdf import read_pdf

reportlab = pytest.importorskip("reportlab")
from reportlab.lib.pdfencrypt import StandardEncryption  # noqa: E402
from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))

PAGE1 = ["某街道2026年健康服务方案", "一、总体目标", "（一）组长：张三", "1.到2026年底前完成。（责任单位：社区卫生服务中心）"]
PAGE2 = ["二、工作要求", "严禁虚报数据，违者通报批评。", "某街道办事处", "2026年3月16日"]


def make_pdf(pages, encrypt=None, image=False) -> bytes:
    """A PDF with one page per list of lines, drawn in STSong-Light; optionally an image per page."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=encrypt)
    for lines in pages:
        if image:
            from PIL import Image
            c.drawImage(ImageReader(Image.new("L", (300, 200), 200)), 72, 500, width=300, height=200)
        c.setFont("STSong-Light", 12)
        for i, line in enumerate(lines):
            c.drawString(72, 780 - 20 * i, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def handmade_pdf(content: bytes) -> bytes:
    """A one-page PDF written by hand. /F1 is Helvetica; /F2 is a CID font with Identity-H encoding and
    no ToUnicode map, so its glyphs come out as (cid:NN), like a badly made Chinese PDF."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 7 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /NoMap /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NoMap "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def ascii_line(y: int, text: str) -> bytes:
    return b"BT /F1 12 Tf 72 %d Td (%s) Tj ET\n" % (y, text.encode("ascii"))


def cid_line(y: int, glyphs: int) -> bytes:
    return b"BT /F2 12 Tf 72 %d Td <%s> Tj ET\n" % (y, b"".join(b"%04X" % (0x100 + i) for i in range(glyphs)))


@pytest.mark.parametrize("pages, text", [
    ([PAGE1], "\n".join(PAGE1)),
    ([PAGE1, PAGE2], "\n".join(PAGE1 + PAGE2)),          # pages follow each other, one line apart
    ([PAGE1, [], PAGE2], "\n".join(PAGE1 + PAGE2)),      # a blank page adds nothing
])
def test_chinese_text_layer(pages, text):
    raw = read_pdf(make_pdf(pages))
    assert (raw.text, raw.format, raw.encoding) == (text, "pdf", None)


def test_a_few_unmapped_glyphs_are_dropped():
    data = handmade_pdf(ascii_line(760, "Plan for the year: forty characters of text") + cid_line(700, 3))
    raw = read_pdf(data)
    assert raw.text == "Plan for the year: forty characters of text"


@pytest.mark.parametrize("data, why", [
    (make_pdf([[]]), "0 characters"),                               # an empty page
    (make_pdf([[], []], image=True), "2 images"),                   # a scan: images, no text
    (make_pdf([["方案"]], image=True), "OCR"),                      # a few characters only
    (handmade_pdf(cid_line(760, 40)), "cid:NN"),                    # glyphs without characters
    (handmade_pdf(ascii_line(760, "Plan for the year 2026") + cid_line(700, 60)), "cid:NN"),  # mostly garbage
])
def test_no_text_layer(data, why):
    with pytest.raises(InputError) as e:
        read_pdf(data)
    assert e.value.code == "no_text_layer"
    assert why in e.value.detail


GOOD = make_pdf([PAGE1, PAGE2])


@pytest.mark.parametrize("data", [
    GOOD[: len(GOOD) // 2],                        # truncated in the middle
    GOOD[:-40],                                    # lost its trailer
    GOOD[:200],
    b"%PDF-1.7\n" + bytes(range(256)) * 8,         # a header, then noise
    b"%PDF-1.4\n%%EOF\n",
])
def test_corrupt_pdf(data):
    with pytest.raises(InputError) as e:
        read_pdf(data)
    assert e.value.code == "corrupt_pdf"


def test_password_protected_pdf_is_encrypted_like_office_documents():
    data = make_pdf([PAGE1], encrypt=StandardEncryption("user-secret", ownerPassword="owner"))
    with pytest.raises(InputError) as e:
        read_pdf(data)
    assert e.value.code == "encrypted" and "password" in e.value.detail


def test_owner_password_only_pdf_reads_or_says_it_is_encrypted():
    """No user password: pdfminer opens it. reportlab's encryption leaves the CID font's system info
    unreadable to pdfminer, so the text may come out as cid:NN; then the error names the encryption."""
    data = make_pdf([PAGE1], encrypt=StandardEncryption("", ownerPassword="owner", canPrint=0))
    try:
        assert read_pdf(data).text == "\n".join(PAGE1)
    except InputError as e:
        assert e.code == "no_text_layer" and "encrypted" in e.detail


def test_page_limit(monkeypatch):
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 1)
    with pytest.raises(InputError) as e:
        read_pdf(GOOD)
    assert e.value.code == "too_large" and "2 pages" in e.value.detail
