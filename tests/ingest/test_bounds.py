"""Bounded input (issue 11 item 8): every .docx/.xlsx member and every page has an inflated-size limit, XML
with a DOCTYPE is refused in any encoding (found by parsing with DTDs and entities off, not by scanning
bytes); each refusal is its own clear error."""
from __future__ import annotations

import pytest

import docx_factory as f
from tests.ingest.test_docx import XXE, good_docx

from pipeline import settings
from pipeline.errors import InputError
from pipeline.ingest.docx import read_docx
from pipeline.ingest.html import read_html


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le",
                                      "utf-32-be"])
def test_a_doctype_is_refused_in_every_encoding(encoding):
    name = encoding.upper().replace("-LE", "LE").replace("-BE", "BE")
    xml = XXE.decode().replace('"1.0"', f'"1.0" encoding="{name}"').encode(encoding)
    with pytest.raises(InputError) as e:
        read_docx(f.replace_member(good_docx(), "word/document.xml", xml))
    assert e.value.code == "unsafe_docx" and "<!DOCTYPE" in e.value.detail


def test_a_doctype_after_a_long_comment_is_found():
    xml = XXE.replace(b"<!DOCTYPE", b"<!--" + b"x" * 300_000 + b"-->\n<!DOCTYPE")
    with pytest.raises(InputError) as e:
        read_docx(f.replace_member(good_docx(), "word/document.xml", xml))
    assert e.value.code == "unsafe_docx"


def test_a_member_inflating_beyond_the_limit_is_too_large(monkeypatch):
    text = "".join(f"<w:p><w:r><w:t>第{i}项工作任务按期完成</w:t></w:r></w:p>" for i in range(20000))
    xml = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           f"<w:body>{text}</w:body></w:document>").encode()
    data = f.replace_member(good_docx(), "word/document.xml", xml)
    monkeypatch.setattr(settings, "MAX_MEMBER_BYTES", len(xml) - 1)
    with pytest.raises(InputError) as e:
        read_docx(data)
    assert e.value.code == "too_large" and "'word/document.xml' inflates to" in e.value.detail
    monkeypatch.setattr(settings, "MAX_MEMBER_BYTES", len(xml))
    assert "第19999项工作任务按期完成" in read_docx(data).text


def test_a_page_beyond_the_limit_is_too_large(monkeypatch):
    page = ("<html><body>" + "<p>各部门要加强协调配合。</p>" * 1000 + "</body></html>").encode()
    monkeypatch.setattr(settings, "MAX_HTML_BYTES", len(page) - 1)
    with pytest.raises(InputError) as e:
        read_html(page)
    assert e.value.code == "too_large" and "PLANS_MAX_HTML_BYTES" in e.value.detail
