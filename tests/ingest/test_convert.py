"""Legacy office formats through LibreOffice: a .doc, .rtf, .odt (and a .wps) made here from a .docx give the
plan the .docx gives; content decides the format (a .doc that is RTF, HTML or a .docx); a missing, crashing
or hanging converter and a password-protected document each get one clear error, and the batch goes on."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from formats_helpers import matched_tasks, plan_of, write
from plan_texts import PLAN, TASKS, TITLE, traditional

from pipeline import settings
from pipeline.errors import InputError
from pipeline.ingest import read_file
from pipeline.ingest.detect import detect_format

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice missing: apt-get install libreoffice-writer-nogui")


def plan_docx(paragraphs: list[str]) -> bytes:
    d = docx.Document()
    d.add_heading(paragraphs[0], level=0)
    for p in paragraphs[1:]:
        d.add_paragraph(p)
    table = d.add_table(rows=2, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells + table.rows[1].cells,
                          ["工作任务", "责任单位", "完成时限", "开展宣传培训活动", "区卫生健康局", "2026年5月底前"]):
        cell.text = text
    d.add_paragraph("")  # Word always ends a body with a paragraph (LibreOffice's .doc export drops a last table)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def soffice_convert(data: bytes, suffix: str, fmt: str, tmp: Path) -> bytes:
    """Convert with the real LibreOffice, as a user saving in an older format would."""
    src = tmp / f"src{suffix}"
    src.write_bytes(data)
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless",
                    "--convert-to", fmt, "--outdir", str(tmp / "made"), str(src)], check=True, capture_output=True,
                   timeout=120)
    return next((tmp / "made").iterdir()).read_bytes()


SCRIPTS = {"simplified": PLAN, "traditional": traditional(PLAN)}


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Per script: the .docx bytes and the plan read from it."""
    d = tmp_path_factory.mktemp("docx")
    out = {}
    for name, paras in SCRIPTS.items():
        data = plan_docx(paras)
        out[name] = (data, plan_of(write(d / f"{name}.docx", data)))
    return out


@needs_soffice
@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("suffix, target", [(".doc", "doc:MS Word 97"), (".rtf", "rtf"), (".odt", "odt")])
def test_legacy_formats_give_the_plan_the_docx_gives(made, tmp_path, script, suffix, target):
    data, ref = made[script]
    legacy = soffice_convert(data, ".docx", target, tmp_path)
    plan = plan_of(write(tmp_path / f"plan{suffix}", legacy))
    assert plan.source.format == suffix[1:]
    assert plan.title == ref.title == TITLE
    assert len(ref.tasks) == TASKS + 1  # six items and the table's row
    assert matched_tasks(ref, plan) >= 0.8 * len(ref.tasks)
    row = next(t for t in plan.tasks if t.path[0] == "table1")
    assert row.deadline.value == "2026-05-31"
    assert plan.text == ref.text


@needs_soffice
def test_rtf_written_by_hand(tmp_path):
    body = "".join(r"\uc1\u%d?" % ord(c) if ord(c) > 127 else c for c in "\\par ".join(PLAN))
    rtf = ("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 SimSun;}}\\f0 " + body + "\\par}").encode("ascii")
    plan = plan_of(write(tmp_path / "hand.rtf", rtf))
    assert plan.title == TITLE and len(plan.tasks) == TASKS


@needs_soffice
def test_a_wps_file_holding_a_word_binary_is_converted(made, tmp_path):
    legacy = soffice_convert(made["simplified"][0], ".docx", "doc:MS Word 97", tmp_path)
    plan = plan_of(write(tmp_path / "plan.wps", legacy))
    assert plan.source.format == "wps" and plan.title == TITLE


@pytest.mark.parametrize("name, data, fmt", [
    ("x.doc", b"{\\rtf1\\ansi hello}", "rtf"),                                  # a .doc that is RTF
    ("x.doc", b"<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),   # Word's "web page" .doc
    ("x.doc", "某区方案\n一、目标\n".encode("gbk"), "txt"),                      # text named .doc
    ("x.xls", b"<html><head><meta charset=utf-8></head><table></table></html>", "html"),
    ("x.aspx", b"\xef\xbb\xbf  <!-- saved --> <html lang=zh><body>x</body></html>", "html"),
    ("x.php", b"<?xml version='1.0'?>\n<!DOCTYPE html><html></html>", "html"),
    ("x.jsp", b"<HEAD><TITLE>t</TITLE></HEAD>", "html"),
    ("noext", b"<html><body>x</body></html>", "html"),
    ("x.mht", b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n", "mhtml"),
    ("x.txt", b"<html><body>a plan quoted as markup stays text</body></html>", "txt"),
    ("x.docx", b"%PDF-1.4\n", "pdf"),                                           # a misnamed PDF
    ("x.jpg", b"\x89PNG\r\n\x1a\n" + bytes(20), "image"),
    ("x.bin", b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image"),
])
def test_content_decides_the_format(name, data, fmt):
    assert detect_format(Path(name), data) == fmt


@pytest.mark.parametrize("name, data, code, words", [
    ("x.doc", b"\xd0\xcf\x11\xe0" + bytes(100), "unsupported_format", "no OLE2 header"),
    ("x.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "unsupported_format", "damaged OLE2"),
    ("x.xyz", b"hello", "unsupported_format", "supported:"),
])
def test_unreadable_office_files(name, data, code, words):
    with pytest.raises(InputError) as e:
        detect_format(Path(name), data)
    assert e.value.code == code and words in e.value.detail


def test_a_password_protected_document_is_encrypted(made, tmp_path):
    import msoffcrypto.format.ooxml

    out = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(made["simplified"][0])).encrypt("secret", out)
    for name in ("locked.doc", "locked.docx"):  # Word saves a protected document as an OLE2 package
        with pytest.raises(InputError) as e:
            read_file(write(tmp_path / name, out.getvalue()))
        assert e.value.code == "encrypted" and "password" in e.value.detail


@needs_soffice
def test_a_word_binary_with_its_encryption_flag_is_encrypted(made, tmp_path):
    import olefile

    path = write(tmp_path / "flag.doc", soffice_convert(made["simplified"][0], ".docx", "doc:MS Word 97", tmp_path))
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        fib = bytearray(ole.openstream("WordDocument").read())
        fib[11] |= 0x01  # FIB flags: fEncrypted (0x0100)
        ole.write_stream("WordDocument", bytes(fib))
    with pytest.raises(InputError) as e:
        read_file(path)
    assert e.value.code == "encrypted"


def fake_soffice(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake-soffice"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(0o755)
    return str(script)


RTF = b"{\\rtf1\\ansi plan}"


@pytest.mark.parametrize("body, words", [
    ("sleep 30", "did not finish within 1 s (killed)"),
    ("(sleep 30 &) ; sleep 30", "did not finish within 1 s (killed)"),   # a child of its own is killed too
    ("kill -SEGV $$", "signal 11 (SIGSEGV)"),
    ("echo 'Error: source file could not be loaded' ; exit 1", "source file could not be loaded"),
    ("exit 0", "wrote no document"),
])
def test_a_crashing_or_hanging_converter_is_conversion_failed(tmp_path, monkeypatch, body, words):
    monkeypatch.setattr(settings, "SOFFICE", fake_soffice(tmp_path, body))
    monkeypatch.setattr(settings, "CONVERT_TIMEOUT", 1)
    with pytest.raises(InputError) as e:
        read_file(write(tmp_path / "p.rtf", RTF))
    assert e.value.code == "conversion_failed" and words in e.value.detail


def test_a_missing_converter_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "SOFFICE", "no-such-soffice")
    with pytest.raises(InputError) as e:
        read_file(write(tmp_path / "p.rtf", RTF))
    assert e.value.code == "converter_missing" and "apt-get install libreoffice-writer-nogui" in e.value.detail


def test_the_batch_goes_on_after_a_failed_conversion(tmp_path, monkeypatch, capsys):
    from pipeline.cli import main

    monkeypatch.setenv("PLANS_SOFFICE", fake_soffice(tmp_path, "sleep 30"))
    monkeypatch.setattr(settings, "SOFFICE", os.environ["PLANS_SOFFICE"])
    monkeypatch.setattr(settings, "CONVERT_TIMEOUT", 1)
    d = tmp_path / "in"
    d.mkdir()
    write(d / "a.rtf", RTF)
    (d / "b.txt").write_text("\n".join(PLAN), encoding="utf-8")
    assert main(["run", str(d), "--out", str(tmp_path / "out"), "-q", "--jobs", "1"]) == 1
    assert "a.rtf: [conversion_failed]" in capsys.readouterr().err
    assert (tmp_path / "out" / "plans.jsonl").read_text(encoding="utf-8").count("\n") == 1
